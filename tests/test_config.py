"""config.yaml loading: every rule, each problem with its code and line, all in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from podfeed.config import load_config, parse_config, parse_config_text, read_config
from podfeed.config.lists import APPLE_CATEGORIES, LANGUAGES, suggest_language
from podfeed.config.model import Category, Config
from podfeed.problems import ConfigError, Level, Problem
from tests.configschema import assert_schema_agrees

DATA = Path(__file__).parent / "data" / "config"

BASE = """\
shows:
  - id: demo
    title: Demo
    description: A demo show.
    owner: {name: Ann Example, email: ann@example.org}
    image: https://example.org/art.png
    categories: [Technology]
    site_url: https://example.org
    feed_url: "https://example.org/feeds/{lang}.xml"
    episodes: episodes/*/*/episode.md
    languages: [en, de]
"""


def show_yaml(**fields: str | None) -> str:
    """BASE with show keys replaced (in place), added (at the end) or dropped (``None``)."""
    lines = BASE.splitlines()
    for key, value in fields.items():
        index = next((i for i, ln in enumerate(lines) if ln[4:].startswith(f"{key}:")), None)
        if value is None:
            assert index is not None
            lines[index] = lines[index][:4] + "# (dropped)"  # keeps every other line number
        elif index is None:
            lines.append(f"    {key}: {value}")
        else:
            lines[index] = f"{lines[index][:4]}{key}: {value}"
    return "\n".join(lines) + "\n"


def line_of(text: str, needle: str, nth: int | None = None) -> int:
    """1-based line of the only (or the ``nth``, from 0) line containing ``needle``."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    if nth is not None:
        return found[nth]
    assert len(found) == 1, (needle, found)
    return found[0]


def base_line(key: str) -> int:
    """Line of a show key in BASE; ``show_yaml`` keeps these line numbers."""
    return line_of(BASE, f" {key}:")


def two_shows(**second: str) -> str:
    """BASE followed by a copy of its show, with text replacements (old=new) in the copy."""
    copy = BASE.split("\n", 1)[1]
    for old, new in second.items():
        copy = copy.replace(old, new)
    return BASE + copy


def check(text: str, tmp_path: Path) -> tuple[Config | None, list[Problem]]:
    """The checker's verdict; every text checked here also checks the JSON Schema against it."""
    config, problems = parse_config_text(text, path=tmp_path / "config.yaml")
    assert_schema_agrees(text, config is not None, problems)
    return config, problems


def found(text: str, tmp_path: Path) -> list[tuple[str, int | None]]:
    """The (code, line) of every problem, in report order."""
    return [(p.code, p.line) for p in check(text, tmp_path)[1]]


def loaded(text: str, tmp_path: Path) -> Config:
    config, problems = check(text, tmp_path)
    assert config is not None, problems
    return config


# ---------------------------------------------------------------------------------------------
# The example and a clean config


def test_the_bundled_example_loads(repo: Path) -> None:
    config = load_config(repo / "config.yaml")
    assert config.path == repo / "config.yaml"
    assert config.problems == ()
    (show,) = config.shows
    assert show.id == "edt"
    assert show.languages == ("en", "de")
    assert show.default_language == "en"
    assert show.title == {"en": "Embracing Digital Transformation"} | {
        "de": "Embracing Digital Transformation"
    }
    assert show.description["de"].startswith("Welche digitalen Trends")
    assert show.categories == (Category("Technology"), Category("Business", "Management"))
    assert show.timezone == "America/Los_Angeles"
    assert show.feed_url_for("de") == "https://www.embracingdigital.org/feeds/edt/de.xml"
    assert show.transistor.feed_url is not None
    assert show.transistor.feed_url.startswith("https://feeds.transistor.fm/embracing-digital")
    assert show.root == repo
    assert config.max_age == 604800


def test_a_minimal_show_gets_the_documented_defaults(tmp_path: Path) -> None:
    config = loaded(BASE, tmp_path)
    show = config.shows[0]
    assert (config.output, config.lock, config.max_age) == (
        "feeds/{show}/{lang}.xml",
        "podfeed.lock",
        604800,
    )
    assert show.site_url == "https://example.org/"  # normalised with a trailing slash
    assert show.link == show.site_url
    assert show.author == "Ann Example"  # the owner's name
    assert show.default_language == "en"
    assert show.timezone == "UTC"
    assert (show.explicit, show.type, show.missing_audio, show.locked) == (
        False,
        "episodic",
        "warning",
        None,
    )
    assert show.episodes == ("episodes/*/*/episode.md",)
    assert show.title == {"en": "Demo", "de": "Demo"}
    assert show.episode_url_for("episode-1-en", "en") == "https://example.org/episode-1-en"
    assert show.root == tmp_path


def test_load_config_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(show_yaml(titel="Demo", languages="[en, ger]"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert {p.code for p in caught.value.problems} == {"config-unknown-key", "config-bad-language"}
    assert all(p.file == str(path) for p in caught.value.problems)
    assert caught.value.message == f"{path}: 2 errors in the configuration"
    assert caught.value.exit_code == 2


def test_warnings_travel_on_the_loaded_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(show_yaml(image="http://example.org/art.png"), encoding="utf-8")
    config = load_config(path)
    assert [(p.code, p.level) for p in config.problems] == [("config-insecure-url", Level.WARNING)]


def test_parse_config_without_a_source_map_reports_no_lines(tmp_path: Path) -> None:
    config, problems = parse_config({"shows": [], "colour": 1}, path=tmp_path / "c.yaml")
    assert config is None
    assert [(p.code, p.line) for p in problems] == [
        ("config-empty-value", None),
        ("config-unknown-key", None),
    ]


# ---------------------------------------------------------------------------------------------
# One pass, all problems, right lines


def test_five_mistakes_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    text = show_yaml(
        titel="Demo",
        languages="[en, de, ger]",
        timezone="Europe/Berlinn",
        episodes="../other-site/*.md",
        explicit="maybe",
    )
    expected = [
        ("config-bad-glob", line_of(text, "episodes:")),
        ("config-bad-language", line_of(text, "languages:")),
        ("config-unknown-key", line_of(text, "titel:")),
        ("config-bad-timezone", line_of(text, "timezone:")),
        ("config-wrong-type", line_of(text, "explicit:")),
    ]
    assert found(text, tmp_path) == sorted(expected, key=lambda cl: (cl[1], cl[0]))
    assert len({line for _, line in expected}) == 5


def test_problems_in_block_lists_point_at_the_item_line(tmp_path: Path) -> None:
    text = show_yaml(languages="\n      - en\n      - de\n      - ger")
    assert found(text, tmp_path) == [("config-bad-language", line_of(text, "- ger"))]


def test_problems_in_the_second_show_name_it(tmp_path: Path) -> None:
    text = two_shows(**{"id: demo": "id: other", "[en, de]": "[en, xx]"})
    _, problems = check(text.replace("{lang}.xml", "{show}-{lang}.xml"), tmp_path)
    assert [(p.code, p.line) for p in problems] == [
        ("config-bad-language", line_of(text, "[en, xx]"))
    ]
    assert problems[0].message.startswith("shows[1].languages[1]: 'xx'")


# ---------------------------------------------------------------------------------------------
# Keys


def test_unknown_key_suggests_the_closest_known_key(tmp_path: Path) -> None:
    text = show_yaml(titel="Other")
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line, p.message) for p in problems] == [
        (
            "config-unknown-key",
            line_of(text, "titel"),
            "shows[0].titel: unknown key; did you mean 'title'?",
        )
    ]
    assert problems[0].level is Level.ERROR


def test_unknown_top_level_and_nested_keys(tmp_path: Path) -> None:
    text = "outptu: x\nhttp:\n  timout: 3\n" + BASE
    assert found(text, tmp_path) == [("config-unknown-key", 1), ("config-unknown-key", 3)]


def test_unknown_key_far_from_any_known_key_still_lists_them(tmp_path: Path) -> None:
    _, problems = check(show_yaml(zzz="1"), tmp_path)
    assert problems[0].message == "shows[0].zzz: unknown key"
    assert problems[0].hint is not None and "title" in problems[0].hint


@pytest.mark.parametrize("key", ["api_key", "API-Key", "password"])
def test_secrets_are_refused_and_never_echoed(key: str, tmp_path: Path) -> None:
    text = show_yaml(transistor=f"{{feed_url: https://feeds.transistor.fm/x, {key}: s3cr3t-value}}")
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line) for p in problems] == [("config-secret", line_of(text, "transistor"))]
    assert "TRANSISTOR_API_KEY" in problems[0].message
    assert "s3cr3t" not in problems[0].message + (problems[0].hint or "")


def test_a_top_level_api_key_is_refused(tmp_path: Path) -> None:
    assert found("api_key: abc\n" + BASE, tmp_path) == [("config-secret", 1)]


def test_duplicate_keys_are_reported_at_the_second_one(tmp_path: Path) -> None:
    text = BASE + "    title: Again\n"
    assert found(text, tmp_path) == [("config-duplicate-key", line_of(text, "Again"))]


@pytest.mark.parametrize(
    "key",
    ["title", "description", "owner", "image", "site_url", "feed_url", "episodes", "languages"],
)
def test_required_show_keys_are_reported_at_the_show(key: str, tmp_path: Path) -> None:
    text = show_yaml(**{key: None})
    assert ("config-missing-key", line_of(text, "- id:")) in found(text, tmp_path)


def test_a_show_without_id(tmp_path: Path) -> None:
    text = BASE.replace("  - id: demo\n    title: Demo", "  - title: Demo")
    assert found(text, tmp_path) == [("config-missing-key", line_of(text, "- title:"))]


def test_an_empty_required_value_is_named_empty(tmp_path: Path) -> None:
    _, problems = check(show_yaml(image=""), tmp_path)
    assert [p.message for p in problems] == ["shows[0].image: required key is empty"]


def test_wrong_types_name_the_key_path_and_expected_type(tmp_path: Path) -> None:
    text = show_yaml(owner="Ann", categories="Technology", languages="en")
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line) for p in problems] == [
        ("config-wrong-type", line_of(text, "owner:")),
        ("config-wrong-type", line_of(text, "categories:")),
        ("config-wrong-type", line_of(text, "languages:")),
    ]
    assert problems[0].message == "shows[0].owner: expected a mapping (key: value lines), got text"


def test_shows_must_be_a_non_empty_list(tmp_path: Path) -> None:
    assert found("shows: []\n", tmp_path) == [("config-empty-value", 1)]
    assert found("shows: {id: x}\n", tmp_path) == [("config-wrong-type", 1)]
    assert found("output: x/{show}/{lang}\n", tmp_path) == [("config-missing-key", None)]


# ---------------------------------------------------------------------------------------------
# Reading the file


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    text = BASE.replace("    title: Demo", "    title: [Demo")
    _, problems = check(text, tmp_path)
    # The parser notices the unclosed '[' on the next line; it is reported where it began.
    assert [(p.code, p.line) for p in problems] == [
        ("config-yaml-syntax", line_of(text, "title: [Demo"))
    ]
    assert f"gave up on line {line_of(text, 'description:')}" in problems[0].message
    text = BASE.replace("    image:", "   image:")  # bad indentation
    assert found(text, tmp_path) == [("config-yaml-syntax", line_of(text, "   image:"))]


def test_unreadable_files_are_clear_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"shows:\n  - id: demo\n    title: Caf\xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8") as caught:
        load_config(latin1)
    assert caught.value.problems[0].line == 3


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_is_a_config_error(text: str, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="empty"):
        load_config(path)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_the_top_level_must_be_a_mapping(text: str, tmp_path: Path) -> None:
    assert found(text, tmp_path) == [("config-not-mapping", None)]


def test_only_one_yaml_document_is_allowed(tmp_path: Path) -> None:
    text = BASE + "---\nshows: []\n"
    assert found(text, tmp_path) == [("config-yaml-syntax", line_of(text, "---"))]


def test_python_tags_are_not_constructed(tmp_path: Path) -> None:
    assert found("max_age: !!python/object/apply:os.getcwd []\n" + BASE, tmp_path) == [
        ("config-yaml-syntax", 1)
    ]


def test_numeric_keys_are_named_as_written(tmp_path: Path) -> None:
    _, problems = check("1: x\n" + BASE, tmp_path)
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("config-unknown-key", 1, "1: unknown key")
    ]


def test_an_alias_bomb_is_checked_quickly(tmp_path: Path) -> None:
    levels = "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + levels + BASE
    assert [code for code, _ in found(text, tmp_path)] == ["config-unknown-key"] * 9


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert read_config(path)[0] is not None


def test_data_files_cover_a_broken_and_a_full_config() -> None:
    config = load_config(DATA / "full.yaml")
    show = config.shows[0]
    assert show.language_tags == {"pt": "pt-BR"}
    assert show.transistor.share_url == "http://127.0.0.1:8000/share"  # trailing slash dropped
    assert (config.http.timeout, config.http.concurrency, config.max_age) == (5.0, 2, 12 * 3600)
    assert show.root == DATA / "site"
    with pytest.raises(ConfigError) as caught:
        load_config(DATA / "broken.yaml")
    text = (DATA / "broken.yaml").read_text(encoding="utf-8")
    assert [(p.code, p.line) for p in caught.value.problems] == [
        ("config-missing-translation", line_of(text, "title:")),
        ("config-bad-email", line_of(text, "email:")),
        ("config-bad-category", line_of(text, "Techology")),
        ("config-bad-template", line_of(text, "episode_url:")),
        ("config-bad-language", line_of(text, "- ger")),
        ("config-bad-timezone", line_of(text, "timezone:")),
    ]


# ---------------------------------------------------------------------------------------------
# Languages


def test_a_three_letter_code_gets_the_exact_suggestion(tmp_path: Path) -> None:
    _, problems = check(show_yaml(languages="[en, de, ger]"), tmp_path)
    assert [p.message for p in problems] == [
        "shows[0].languages[2]: 'ger' is not a language code; did you mean 'de'?"
    ]


@pytest.mark.parametrize(
    ("wrong", "meant"),
    [
        ("ger", "de"),
        ("deu", "de"),
        ("german", "de"),
        ("German", "de"),
        ("fra", "fr"),
        ("fre", "fr"),
        ("spa", "es"),
        ("eng", "en"),
        ("por", "pt"),
        ("ita", "it"),
        ("EN", "en"),
        ("pt-BR", "pt"),
        ("jp", "ja"),
        ("Portugese", "pt"),
        ("deutsch", "de"),
    ],
)
def test_language_suggestions(wrong: str, meant: str) -> None:
    assert suggest_language(wrong) == meant


def test_an_unguessable_language_has_no_suggestion(tmp_path: Path) -> None:
    _, problems = check(show_yaml(languages="[en, qqq]"), tmp_path)
    assert problems[0].message == "shows[0].languages[1]: 'qqq' is not a language code"


def test_a_region_code_points_to_language_tags(tmp_path: Path) -> None:
    _, problems = check(show_yaml(languages="[en, pt-BR]"), tmp_path)
    assert problems[0].hint is not None and "language_tags" in problems[0].hint


def test_unquoted_norwegian_is_explained(tmp_path: Path) -> None:
    text = show_yaml(languages="[en, no]")
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line) for p in problems] == [
        ("config-bad-language", line_of(text, "languages"))
    ]
    assert "'no' in quotes" in problems[0].message
    assert loaded(show_yaml(languages="[en, 'no']"), tmp_path).shows[0].languages == ("en", "no")


def test_duplicate_and_empty_language_lists(tmp_path: Path) -> None:
    line = base_line("languages")
    assert found(show_yaml(languages="[en, en]"), tmp_path) == [("config-duplicate-language", line)]
    assert found(show_yaml(languages="[]"), tmp_path) == [("config-empty-value", line)]


def test_default_language_must_be_configured(tmp_path: Path) -> None:
    assert loaded(show_yaml(default_language="de"), tmp_path).shows[0].default_language == "de"
    text = show_yaml(default_language="fr")
    assert found(text, tmp_path) == [("config-language-not-configured", line_of(text, "default_"))]


def test_language_tags(tmp_path: Path) -> None:
    text = show_yaml(language_tags="{de: de-AT}")
    assert loaded(text, tmp_path).shows[0].language_tag("de") == "de-AT"
    assert loaded(text, tmp_path).shows[0].language_tag("en") == "en"
    for bad, code in [
        ("{fr: fr-CA}", "config-language-not-configured"),
        ("{de: de_AT}", "config-bad-language-tag"),
        ("{de: es-ES}", "config-bad-language-tag"),
    ]:
        text = show_yaml(language_tags=bad)
        assert found(text, tmp_path) == [(code, line_of(text, "language_tags"))], bad


def test_the_language_list_is_iso_639_1() -> None:
    assert len(LANGUAGES) == 183
    assert all(len(code) == 2 and code.islower() for code in LANGUAGES)


# ---------------------------------------------------------------------------------------------
# Localised texts


def test_title_mapping_missing_a_language_falls_back_with_a_warning(tmp_path: Path) -> None:
    text = show_yaml(title="{en: Demo}", description="{en: English., de: Deutsch.}")
    config, problems = check(text, tmp_path)
    assert [(p.code, p.level, p.line) for p in problems] == [
        ("config-missing-translation", Level.WARNING, line_of(text, "title:"))
    ]
    assert config is not None
    assert config.shows[0].title == {"en": "Demo", "de": "Demo"}
    assert config.shows[0].description == {"en": "English.", "de": "Deutsch."}


def test_a_mapping_without_the_default_language_is_an_error(tmp_path: Path) -> None:
    text = show_yaml(description="{de: Nur Deutsch.}")
    assert found(text, tmp_path) == [("config-missing-default-text", line_of(text, "description:"))]


def test_a_text_for_an_unconfigured_language_is_a_warning(tmp_path: Path) -> None:
    text = show_yaml(title="\n      en: Demo\n      de: Demo\n      fr: Démo")
    assert found(text, tmp_path) == [("config-unused-translation", line_of(text, "fr: "))]


def test_texts_are_kept_exactly_as_written(tmp_path: Path) -> None:
    show = loaded(show_yaml(title="1.10", copyright="2024", author="2025-02-02"), tmp_path).shows[0]
    assert (show.title["en"], show.copyright, show.author) == ("1.10", "2024", "2025-02-02")


# ---------------------------------------------------------------------------------------------
# Categories


def test_category_typo_suggests_the_apple_name(tmp_path: Path) -> None:
    text = show_yaml(categories="[Techology]")
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line) for p in problems] == [
        ("config-bad-category", line_of(text, "Techology"))
    ]
    assert problems[0].message.endswith("did you mean 'Technology'?")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("[Business > Managment]", "'Management'"),
        ("[Management]", "'Business > Management'"),
        ("[{Business: Investments}]", "'Investing'"),
    ],
)
def test_subcategory_suggestions(written: str, meant: str, tmp_path: Path) -> None:
    _, problems = check(show_yaml(categories=written), tmp_path)
    assert [p.code for p in problems] == ["config-bad-category"]
    assert problems[0].message.endswith(f"did you mean {meant}?")


def test_category_forms_and_forgiven_spelling(tmp_path: Path) -> None:
    text = show_yaml(
        categories='["health and fitness > mental health", {Business: [Management, Marketing]},'
        " {News: Tech News}, {Comedy: null}]"
    )
    assert loaded(text, tmp_path).shows[0].categories == (
        Category("Health & Fitness", "Mental Health"),
        Category("Business", "Management"),
        Category("Business", "Marketing"),
        Category("News", "Tech News"),
        Category("Comedy"),
    )


def test_category_without_subcategories_and_too_deep(tmp_path: Path) -> None:
    line = base_line("categories")
    assert found(show_yaml(categories="[Technology > AI]"), tmp_path) == [
        ("config-bad-category", line)
    ]
    text = show_yaml(categories="[Arts > Books > Novels]")
    assert found(text, tmp_path) == [("config-bad-category", line)]


def test_no_category_is_a_warning(tmp_path: Path) -> None:
    assert found(show_yaml(categories=None), tmp_path) == [("config-no-category", base_line("id"))]


def test_the_apple_category_list_is_complete() -> None:
    assert len(APPLE_CATEGORIES) == 19
    assert sum(len(subs) for subs in APPLE_CATEGORIES.values()) == 91
    assert "Tech News" in APPLE_CATEGORIES["News"]


# ---------------------------------------------------------------------------------------------
# Values


def test_timezone_typo_suggests_the_iana_name(tmp_path: Path) -> None:
    text = show_yaml(timezone="America/Los_Angles")
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line) for p in problems] == [
        ("config-bad-timezone", line_of(text, "timezone"))
    ]
    assert problems[0].message.endswith("did you mean 'America/Los_Angeles'?")
    _, problems = check(show_yaml(timezone="europe/berlin"), tmp_path)
    assert problems[0].message.endswith("did you mean 'Europe/Berlin'?")


@pytest.mark.parametrize(
    "pattern",
    [
        "../elsewhere/*.md",
        "episodes/../../x.md",
        "**/../../x.md",
        "x/**/../../y.md",
        "/abs/episodes/*.md",
        "C:/site/*.md",
        "~/site/*.md",
    ],
)
def test_episode_patterns_stay_inside_the_site(pattern: str, tmp_path: Path) -> None:
    text = show_yaml(episodes=f"['{pattern}']")
    assert found(text, tmp_path) == [("config-bad-glob", line_of(text, "episodes"))]


def test_episode_patterns_may_use_dotdot_inside_the_site(tmp_path: Path) -> None:
    show = loaded(show_yaml(episodes="[a/../b/*.md, '**/episode.md']"), tmp_path).shows[0]
    assert show.episodes == ("a/../b/*.md", "**/episode.md")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("no", False),
        ("'yes'", True),
        ('"No"', False),
        ("'false'", False),
        ("Yes", True),
    ],
)
def test_explicit_accepts_yaml_and_quoted_booleans(
    written: str, value: bool, tmp_path: Path
) -> None:
    assert loaded(show_yaml(explicit=written), tmp_path).shows[0].explicit is value


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("3600", 3600),
        ("7d", 604800),
        ("12h", 43200),
        ("30m", 1800),
        ("'1d12h'", 129600),
        ("'45s'", 45),
    ],
)
def test_max_age_in_seconds_or_with_a_unit(written: str, seconds: int, tmp_path: Path) -> None:
    assert loaded(f"max_age: {written}\n" + BASE, tmp_path).max_age == seconds


@pytest.mark.parametrize("written", ["7 days", "-5", "1.5", "[7d]"])
def test_bad_max_age(written: str, tmp_path: Path) -> None:
    problems = found(f"max_age: {written}\n" + BASE, tmp_path)
    assert [line for _, line in problems] == [1]


def test_urls_must_be_absolute_and_artwork_https(tmp_path: Path) -> None:
    assert found(show_yaml(site_url="example.org"), tmp_path) == [
        ("config-bad-url", base_line("site_url"))
    ]
    assert found(show_yaml(image="/art.png"), tmp_path) == [("config-bad-url", base_line("image"))]
    assert found(show_yaml(image="http://example.org/a.png"), tmp_path) == [
        ("config-insecure-url", 6)
    ]


def test_owner_email_shape(tmp_path: Path) -> None:
    assert found(show_yaml(owner="{name: Ann, email: ann-at-example.org}"), tmp_path) == [
        ("config-bad-email", base_line("owner"))
    ]


def test_show_id_is_a_unique_slug(tmp_path: Path) -> None:
    assert found(show_yaml(id="Demo Show"), tmp_path) == [("config-invalid-value", base_line("id"))]
    text = two_shows().replace("{lang}.xml", "{show}/{lang}.xml")
    assert found(text, tmp_path) == [
        ("config-duplicate-show-id", line_of(text, "- id: demo", nth=1)),
        # the same id also gives the same feed URLs
        ("config-duplicate-feed-url", line_of(text, "feed_url:", nth=1)),
    ]


@pytest.mark.parametrize(
    ("field", "written", "code"),
    [
        ("type", "Serial", None),
        ("type", "seriel", "config-invalid-value"),
        ("missing_audio", "error", None),
        ("missing_audio", "fatal", "config-invalid-value"),
        ("locked", "'yes'", None),
        ("apple_verify", "abc123", None),
        ("apple_verify", "[x]", "config-wrong-type"),
    ],
)
def test_choices_and_simple_values(
    field: str, written: str, code: str | None, tmp_path: Path
) -> None:
    text = show_yaml(**{field: written})
    assert found(text, tmp_path) == ([] if code is None else [(code, line_of(text, field))])


def test_episode_url_template(tmp_path: Path) -> None:
    show = loaded(show_yaml(episode_url="'{site_url}{lang}/{permalink}/'"), tmp_path).shows[0]
    assert show.episode_url_for("ep-1", "de") == "https://example.org/de/ep-1/"


@pytest.mark.parametrize(
    ("template", "code", "says"),
    [
        ("'{site_url}episodes/'", "config-bad-template", "must contain {permalink}"),
        ("'{site_url}{perma}'", "config-bad-template", "did you mean '{permalink}'?"),
        ("'{site_url}{permalink!r}'", "config-bad-template", "is not a field"),
        ("'{site_url}{permalink'", "config-bad-template", "not a valid template"),
        ("'{permalink}'", "config-bad-url", "does not give an absolute URL"),
    ],
)
def test_bad_episode_url_templates(template: str, code: str, says: str, tmp_path: Path) -> None:
    text = show_yaml(episode_url=template)
    _, problems = check(text, tmp_path)
    assert [(p.code, p.line) for p in problems] == [(code, line_of(text, "episode_url"))]
    assert says in problems[0].message


def test_feed_url_needs_lang_only_for_several_languages(tmp_path: Path) -> None:
    text = show_yaml(feed_url="https://example.org/feed.xml")
    assert found(text, tmp_path) == [("config-bad-template", line_of(text, "feed_url"))]
    single = show_yaml(feed_url="https://example.org/feed.xml", languages="[en]")
    assert loaded(single, tmp_path).shows[0].feed_url_for("en") == "https://example.org/feed.xml"
    relative = show_yaml(feed_url="feeds/{lang}.xml")
    assert found(relative, tmp_path) == [("config-bad-url", line_of(relative, "feed_url"))]


def test_two_shows_need_distinct_outputs_and_feed_urls(tmp_path: Path) -> None:
    text = two_shows(**{"id: demo": "id: other"})
    assert found(text, tmp_path) == [
        ("config-duplicate-feed-url", line_of(text, "feed_url", nth=1))
    ]
    text = "output: out/{lang}.xml\n" + text.replace('{lang}.xml"', '{show}-{lang}.xml"')
    assert found(text, tmp_path) == [("config-bad-template", 1)]


def test_http_settings(tmp_path: Path) -> None:
    config = loaded("http: {timeout: 2.5, retries: 0, max_bytes: 1000}\n" + BASE, tmp_path)
    assert (config.http.timeout, config.http.retries, config.http.max_bytes) == (2.5, 0, 1000)
    assert config.http.concurrency == 8
    text = "http:\n  timeout: 0\n  concurrency: two\n  retries: -1\n" + BASE
    assert found(text, tmp_path) == [
        ("config-out-of-range", 2),
        ("config-wrong-type", 3),
        ("config-out-of-range", 4),
    ]


def test_site_dir_sets_every_show_root(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    assert loaded("site_dir: site\n" + BASE, tmp_path).shows[0].root == tmp_path / "site"
    assert found("site_dir: nowhere\n" + BASE, tmp_path) == [("config-missing-site-dir", 1)]


def test_transistor_and_youtube_sections(tmp_path: Path) -> None:
    text = show_yaml(
        transistor="{feed_url: https://feeds.transistor.fm/x, show_id: 12345}",
        youtube="{check: true, oembed_url: 'http://127.0.0.1:9/oembed'}",
    )
    show = loaded(text, tmp_path).shows[0]
    assert (show.transistor.show_id, show.transistor.api_url) == (
        "12345",
        "https://api.transistor.fm/v1",
    )
    assert (show.youtube.check, show.youtube.oembed_url) == (True, "http://127.0.0.1:9/oembed")
    text = show_yaml(transistor="{feed_url: not a url, shareurl: x}")
    assert [c for c, _ in found(text, tmp_path)] == ["config-bad-url", "config-unknown-key"]


def test_transistor_language_must_be_one_of_the_show_languages(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "config.yaml").read_text()
    good = text.replace("    transistor:\n", "    transistor:\n      language: de\n")
    path = tmp_path / "config.yaml"
    path.write_text(good)
    (tmp_path / "episodes").mkdir()
    show = load_config(path).shows[0]
    assert show.reuses_host_guid("de") and not show.reuses_host_guid("en")
    path.write_text(text.replace("    transistor:\n", "    transistor:\n      language: fr\n"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert [p.code for p in info.value.problems] == ["config-bad-language"]
    path.write_text(text)  # unset: the default language (en) is the Transistor show's
    show = load_config(path).shows[0]
    assert show.reuses_host_guid("en") and not show.reuses_host_guid("de")


@pytest.mark.parametrize(
    ("written", "allowed"),
    [("true", ("en", "de")), ("false", ()), ("[de]", ("de",)), ("[de, de]", ("de",))],
)
def test_allow_empty_names_the_languages_whose_feed_may_have_no_items(
    written: str, allowed: tuple[str, ...], tmp_path: Path
) -> None:
    assert loaded(show_yaml(allow_empty=written), tmp_path).shows[0].allow_empty == allowed
    assert loaded(BASE, tmp_path).shows[0].allow_empty == ()


def test_allow_empty_takes_only_the_show_languages(tmp_path: Path) -> None:
    text = show_yaml(allow_empty="[fr]")
    assert found(text, tmp_path) == [("config-language-not-configured", base_line("languages") + 1)]
    assert found(show_yaml(allow_empty="sometimes"), tmp_path)[0][0] == "config-wrong-type"


def test_a_todo_left_in_what_a_feed_publishes_is_an_error_but_the_file_loads(
    tmp_path: Path,
) -> None:
    text = show_yaml(title="TODO the show's title", image="https://example.com/art.png")
    config, problems = check(text, tmp_path)
    assert config is not None  # `check` and the next steps of `init` still run
    levels = {p.message.split(":")[0]: p.level for p in problems if p.code == "config-placeholder"}
    assert levels == {"shows[0].title": Level.ERROR, "shows[0].image": Level.WARNING}
    assert config.problems == tuple(problems)


def test_an_unclosed_quote_in_the_config_is_reported_where_it_opens(tmp_path: Path) -> None:
    text = show_yaml(title='"Demo')
    _, problems = check(text, tmp_path)
    (problem,) = problems
    assert (problem.code, problem.line) == ("config-yaml-syntax", base_line("title"))
    assert "gave up on line" in problem.message
