"""The episode reader: front matter, field rules, includes, languages, duplicates, discovery.

Synthetic files are written to ``tmp_path``; real ones are byte-for-byte copies of corpus files
under ``tests/data/episodes/`` (``site/`` mirrors the real site's layout, ``seeds/`` holds the
seed pair).
"""

from __future__ import annotations

import doctest
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import podfeed.site.includes
import podfeed.site.summary
from podfeed.config.model import Owner, Show
from podfeed.model import Episode
from podfeed.problems import Level, Problem
from podfeed.site import (
    classify_youtube,
    discover_episode_files,
    first_paragraph,
    load_episodes,
    parse_episode_file,
    scan_episode_files,
)
from podfeed.site.text import strip_xml_invalid

DATA = Path(__file__).parent / "data" / "episodes"
SITE = DATA / "site"
LA = ZoneInfo("America/Los_Angeles")
ALL_LANGS = ("en", "de", "es", "fr", "it", "pt")


def make_show(root: Path, **overrides: Any) -> Show:
    """A complete ``Show`` for tests; pass only what a test is about."""
    values: dict[str, Any] = {
        "id": "edt",
        "title": {"en": "Show"},
        "description": {"en": "About the show"},
        "author": "Author",
        "owner": Owner("Author", "owner@example.org"),
        "image": "https://www.example.org/logo.png",
        "site_url": "https://www.example.org/",
        "feed_url": "https://www.example.org/feeds/{show}/{lang}.xml",
        "episodes": ("episodes/edt-*/*/episode.md", "episodes/edt-*/episode.md"),
        "languages": ALL_LANGS,
        "default_language": "en",
        "timezone": "America/Los_Angeles",
        "root": root,
    }
    values.update(overrides)
    return Show(**values)


# Line 1 is "---", then one line per key in this order (title is line 2, summary line 7).
FRONT = {
    "title": '"A title"',
    "number": "7",
    "permalink": "episode-EDT7-en",
    "lang": "en",
    "date": "2024-03-07T08:00:00Z",
    "summary": '"A summary."',
}
BODY = (
    "<div>\n"
    '{% include transistor.html id="cea47899" title="#7 A title" %}\n'
    '{% include youtube.html id="ImbRcqDHYV0" %}\n'
    "</div>\n"
    "---\n"
    "## Notes\n"
    "\n"
    "First paragraph of the notes.\n"
)
EPISODE_PATH = "episodes/edt-7/en/episode.md"


def episode_text(body: str = BODY, /, **keys: str | None) -> str:
    """Front matter from FRONT with overrides (``None`` drops a key; values are raw YAML)."""
    fields = {**FRONT, **keys}
    lines = [f"{key}: {value}".rstrip() for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def parse(
    root: Path, content: str | bytes, relative: str = EPISODE_PATH, **show: Any
) -> tuple[Episode | None, list[Problem]]:
    path = write(root, relative, content)
    return parse_episode_file(path, make_show(root, **show))


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {problems}"
    return found[0]


def ok(root: Path, content: str, relative: str = EPISODE_PATH, **show: Any) -> Episode:
    episode, problems = parse(root, content, relative, **show)
    assert episode is not None, problems
    return episode


# --------------------------------------------------------------------------- a clean file


@pytest.mark.parametrize("module", [podfeed.site.includes, podfeed.site.summary])
def test_doctests_in_the_module_hold(module: object) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_clean_file_gives_every_field_and_no_problem(tmp_path: Path) -> None:
    path = write(tmp_path, EPISODE_PATH, episode_text(tags="[hpc, ai]", guests="[Darren]"))
    episode, problems = parse_episode_file(path, make_show(tmp_path))
    assert problems == []
    assert episode is not None
    assert episode.path == path
    assert episode.source == str(path)
    assert episode.show == "edt"
    assert (episode.lang, episode.number, episode.title) == ("en", 7, "A title")
    assert episode.permalink == "episode-EDT7-en"
    assert episode.url == "https://www.example.org/episode-EDT7-en"
    assert episode.date == datetime(2024, 3, 7, 8, tzinfo=UTC)
    assert episode.summary == episode.description == "A summary."
    assert (episode.tags, episode.guests) == (("hpc", "ai"), ("Darren",))
    assert (episode.transistor_id, episode.transistor_title) == ("cea47899", "#7 A title")
    assert episode.transistor_line == 12  # "---", 8 keys, "---", "<div>", then the include
    assert episode.youtube_id == "ImbRcqDHYV0"
    assert episode.image is None


def test_show_notes_are_rendered_with_liquid_removed(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text())
    assert "First paragraph of the notes." in episode.notes_html
    assert "{%" not in episode.notes_html


# --------------------------------------------------------------------------- front matter split


def test_front_matter_ends_at_the_second_dashes_line_only(tmp_path: Path) -> None:
    body = BODY + "\n---\ntitle: Not front matter\n---\nMore notes.\n"
    episode = ok(tmp_path, episode_text(body))
    assert episode.title == "A title"


def test_crlf_files_read_like_lf_files_with_the_same_lines(tmp_path: Path) -> None:
    text = episode_text(date="soon")
    lf_episode, lf_problems = parse(tmp_path, text, "episodes/edt-7/en/episode.md")
    crlf_episode, crlf_problems = parse(
        tmp_path, text.replace("\n", "\r\n"), "episodes/edt-8/en/episode.md"
    )
    assert lf_episode is None and crlf_episode is None
    assert [(p.code, p.line) for p in crlf_problems] == [(p.code, p.line) for p in lf_problems]
    assert only(crlf_problems, "date-invalid").line == 6


def test_crlf_file_yields_the_same_episode(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text().replace("\n", "\r\n"))
    assert episode.title == "A title"
    assert episode.transistor_line == 10
    assert "\r" not in episode.summary


def test_a_bom_is_accepted_and_reported_as_info(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, b"\xef\xbb\xbf" + episode_text().encode())
    assert episode is not None and episode.title == "A title"
    assert [(p.code, p.level, p.line) for p in problems] == [("utf8-bom", Level.INFO, 1)]


def test_trailing_spaces_after_the_dashes_are_accepted(tmp_path: Path) -> None:
    text = episode_text().replace("---\n", "---  \n", 1).replace("\n---\n<div>", "\n--- \t\n<div>")
    assert ok(tmp_path, text).title == "A title"


def test_file_without_front_matter_is_an_error_on_line_1(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, "# Just markdown\n\ntitle: x\n")
    assert episode is None
    problem = only(problems, "front-matter-missing")
    assert (problem.level, problem.line, problem.file) == (
        Level.ERROR,
        1,
        str(tmp_path / EPISODE_PATH),
    )
    assert "# Just markdown" in problem.message


def test_front_matter_must_start_on_the_first_line(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, "\n" + episode_text())
    assert episode is None
    assert codes(problems) == ["front-matter-missing"]


def test_unclosed_front_matter_is_an_error(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, "---\ntitle: x\nnumber: 1\n")
    assert episode is None
    assert (only(problems, "front-matter-unclosed").line, len(problems)) == (1, 1)


# --------------------------------------------------------------------------- YAML


def test_yaml_syntax_error_names_the_file_line(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(summary='"unterminated: [x'))
    assert episode is None
    problem = only(problems, "yaml-invalid")
    assert problem.level is Level.ERROR
    assert problem.line is not None and problem.line >= 7  # the summary line or after it


def test_yaml_error_line_counts_the_opening_dashes(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, "---\ntitle: ok\nbad: [\n---\n")
    assert episode is None
    assert only(problems, "yaml-invalid").line == 4  # libyaml notices at the closing position


def test_an_unclosed_bracket_is_reported_where_it_opens(tmp_path: Path) -> None:
    text = "---\ntitle: ok\ntags: [a, b\nnumber: 1\n---\n"
    episode, problems = parse(tmp_path, text)
    assert episode is None
    problem = only(problems, "yaml-invalid")
    assert problem.line == 3 and "gave up on line 4" in problem.message
    assert problem.hint == "close the [ or { opened on this line, or quote the value"


def test_an_unclosed_quote_is_reported_where_it_opens_not_where_the_parser_gave_up(
    tmp_path: Path,
) -> None:
    text = '---\ntitle: "Unclosed\nnumber: 1\npermalink: p\ndate: 2024-01-01\nsummary: s\n---\n'
    episode, problems = parse(tmp_path, text)
    assert episode is None
    problem = only(problems, "yaml-invalid")
    assert problem.line == 2
    assert "quoted scalar" in problem.message and "gave up on line 7" in problem.message
    assert problem.hint is not None and problem.hint.startswith("close the quote")


def test_a_quote_closed_only_by_a_later_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    # The quote on line 2 runs on to the quote on line 6: the keys between are swallowed, and
    # the parser gives up after it. The fix is on line 2.
    text = (
        '---\ntitle: "Unclosed\nnumber: 1\npermalink: p\ndate: 2024-01-01\n'
        'summary: "Quoted" too\n---\n'
    )
    episode, problems = parse(tmp_path, text)
    assert episode is None
    problem = only(problems, "yaml-invalid")
    assert problem.line == 2 and "gave up on line 6" in problem.message
    assert problem.hint is not None and problem.hint.startswith("close the quote")


def test_a_colon_in_an_unquoted_value_is_a_yaml_error_on_its_line(tmp_path: Path) -> None:
    text = "---\ntitle: ok\nsummary: a: b\n---\n"
    episode, problems = parse(tmp_path, text)
    assert episode is None
    assert only(problems, "yaml-invalid").line == 3


def test_problems_about_a_key_name_its_line(tmp_path: Path) -> None:
    _, problems = parse(tmp_path, episode_text(date="'someday'"))
    assert only(problems, "date-invalid").line == 6


def test_repeated_key_warns_and_the_last_value_wins(tmp_path: Path) -> None:
    text = episode_text().replace('title: "A title"', 'title: "First"\ntitle: "Second"')
    episode, problems = parse(tmp_path, text)
    assert episode is not None and episode.title == "Second"
    problem = only(problems, "duplicate-key")
    assert (problem.level, problem.line) == (Level.WARNING, 3)
    assert "line 2" in problem.message


# --------------------------------------------------------------------------- text coercion


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2025-02-02", "2025-02-02"),  # YAML would make it a date
        ("1.50", "1.50"),  # a float would print 1.5
        ("yes", "yes"),  # a bool in YAML 1.1
        ("0x1F", "0x1F"),  # an int in YAML 1.1
        ("'quoted: text'", "quoted: text"),
        ('"  padded  "', "padded"),
        ("2023-02-06 10:00:00", "2023-02-06 10:00:00"),
    ],
)
def test_title_is_text_exactly_as_written(tmp_path: Path, written: str, expected: str) -> None:
    assert ok(tmp_path, episode_text(title=written)).title == expected


def test_tags_and_guests_keep_what_was_written(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(tags="[2024-01-01, 1.50, yes, AI]"))
    assert episode.tags == ("2024-01-01", "1.50", "yes", "AI")


def test_empty_lists_become_empty_tuples(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(tags="", guests="[]"))
    assert (episode.tags, episode.guests) == ((), ())


def test_a_scalar_where_a_list_is_expected_is_a_one_item_list(tmp_path: Path) -> None:
    assert ok(tmp_path, episode_text(guests="Darren W Pulsipher")).guests == ("Darren W Pulsipher",)


def test_a_nested_list_item_is_skipped_with_a_warning(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(tags="[a, [b, c], d]"))
    assert episode is not None and episode.tags == ("a", "d")
    assert only(problems, "field-not-text").line == 8


def test_a_mapping_where_text_is_expected_is_a_warning(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(layout="{a: b}"))
    assert episode is not None and episode.layout is None
    assert only(problems, "field-not-text").line == 8


def test_characters_xml_forbids_are_removed_from_text_fields(tmp_path: Path) -> None:
    text = episode_text(
        title='"A\\x01 title\\x1f"', tags='["ok\\x0b"]', summary='"Sum\\ufffemary."'
    )
    episode, problems = parse(tmp_path, text)
    assert episode is not None
    assert (episode.title, episode.tags, episode.summary) == ("A title", ("ok",), "Summary.")
    assert sorted(p.line or 0 for p in problems if p.code == "text-forbidden-chars") == [2, 7, 8]


def test_strip_xml_forbidden_keeps_tab_newline_and_return() -> None:
    assert strip_xml_invalid("a\tb\nc\rd\x00e\ud800f\uffff") == "a\tb\nc\rdef"


# --------------------------------------------------------------------------- number


def test_number_is_an_int(tmp_path: Path) -> None:
    assert ok(tmp_path, episode_text(number="189")).number == 189


def test_a_quoted_whole_number_is_accepted(tmp_path: Path) -> None:
    assert ok(tmp_path, episode_text(number='"189"')).number == 189


@pytest.mark.parametrize(
    "written", ["1.5", "189.0", "-3", "0", "true", "one", "[1]", "99999999999"]
)
def test_a_number_that_is_not_a_positive_whole_number_warns(tmp_path: Path, written: str) -> None:
    episode, problems = parse(tmp_path, episode_text(number=written))
    assert episode is not None and episode.number is None
    problem = only(problems, "number-invalid")
    assert (problem.level, problem.line) == (Level.WARNING, 3)


def test_a_missing_number_warns(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(number=None))
    assert episode is not None and episode.number is None
    assert only(problems, "number-missing").level is Level.WARNING


# --------------------------------------------------------------------------- required fields


@pytest.mark.parametrize("title", [None, "", '""', "'   '"])
def test_a_missing_or_empty_title_is_an_error_and_no_episode(
    tmp_path: Path, title: str | None
) -> None:
    episode, problems = parse(tmp_path, episode_text(title=title))
    assert episode is None
    assert only(problems, "title-missing").level is Level.ERROR


@pytest.mark.parametrize("date", [None, "", '""', "~"])
def test_a_missing_or_empty_date_is_an_error_and_no_episode(
    tmp_path: Path, date: str | None
) -> None:
    episode, problems = parse(tmp_path, episode_text(date=date))
    assert episode is None
    problem = only(problems, "date-missing")
    assert problem.level is Level.ERROR
    assert problem.line == (1 if date is None else 6)


def test_an_unreadable_date_names_the_value_and_the_line(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(date="next Tuesday"))
    assert episode is None
    problem = only(problems, "date-invalid")
    assert (problem.level, problem.line) == (Level.ERROR, 6)
    assert "'next Tuesday'" in problem.message


def test_a_list_as_date_is_an_error(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(date="[2024-03-07]"))
    assert episode is None
    assert only(problems, "date-invalid").line == 6


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-03-07T08:00:00.000Z", datetime(2024, 3, 7, 8, tzinfo=UTC)),
        ('"2024-03-07T08:00:00.000Z"', datetime(2024, 3, 7, 8, tzinfo=UTC)),
        ("2022-08-18", datetime(2022, 8, 18, tzinfo=LA)),
        ("2/10/2025", datetime(2025, 2, 10, tzinfo=LA)),
        ("2024-03-07 09:00:00", datetime(2024, 3, 7, 9, tzinfo=LA)),
        ("Thu Mar 07 2024 00:00:00 GMT-0800 (PST)", datetime(2024, 3, 7, 8, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_dates_in_every_real_notation(tmp_path: Path, written: str, expected: datetime) -> None:
    assert ok(tmp_path, episode_text(date=written)).date == expected


def test_all_missing_required_fields_are_reported_at_once(tmp_path: Path) -> None:
    episode, problems = parse(
        tmp_path, episode_text(title=None, date=None, permalink=None, number=None)
    )
    assert episode is None
    assert {"title-missing", "date-missing", "permalink-missing", "number-missing"} <= set(
        codes(problems)
    )


# --------------------------------------------------------------------------- language


def test_lang_key_wins(tmp_path: Path) -> None:
    assert ok(tmp_path, episode_text(lang="de"), "episodes/edt-7/x/episode.md").lang == "de"


def test_language_folder_is_used_without_a_lang_key(tmp_path: Path) -> None:
    assert ok(tmp_path, episode_text(lang=None), "episodes/edt-7/fr/episode.md").lang == "fr"


def test_legacy_layout_without_lang_takes_the_default_language(tmp_path: Path) -> None:
    episode, problems = parse(
        tmp_path, episode_text(lang=None), "episodes/edt-10/episode.md", default_language="de"
    )
    assert episode is not None and episode.lang == "de"
    assert problems == []


def test_lang_disagreeing_with_the_folder_warns_and_lang_wins(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(lang="de"), "episodes/edt-7/fr/episode.md")
    assert episode is not None and episode.lang == "de"
    problem = only(problems, "lang-folder-mismatch")
    assert (problem.level, problem.line) == (Level.WARNING, 5)


def test_unconfigured_language_is_skipped_with_an_info_saying_how_to_include_it(
    tmp_path: Path,
) -> None:
    episode, problems = parse(
        tmp_path, episode_text(lang="ja"), "episodes/edt-7/episode.md", languages=("en", "de")
    )
    assert episode is None
    problem = only(problems, "lang-not-configured")
    assert (problem.level, problem.line) == (Level.INFO, 5)
    assert "skipped" in problem.message
    assert problem.hint is not None and "ja" in problem.hint
    assert len(problems) == 1  # nothing else is reported for a file that is skipped on purpose


def test_a_language_folder_not_configured_is_skipped_too(tmp_path: Path) -> None:
    episode, problems = parse(
        tmp_path, episode_text(lang=None), "episodes/edt-7/es/episode.md", languages=("en",)
    )
    assert episode is None
    assert codes(problems) == ["lang-not-configured"]


# --------------------------------------------------------------------------- permalink


def test_ref_is_the_permalink_when_permalink_is_missing(tmp_path: Path) -> None:
    text = episode_text(permalink=None, ref="brief-EDW1-es")
    assert ok(tmp_path, text).permalink == "brief-EDW1-es"


def test_permalink_wins_over_ref(tmp_path: Path) -> None:
    assert ok(tmp_path, episode_text(ref="other")).permalink == "episode-EDT7-en"


def test_a_missing_permalink_is_an_error(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(permalink=None))
    assert episode is None
    problem = only(problems, "permalink-missing")
    assert problem.level is Level.ERROR
    assert problem.hint is not None and "permalink" in problem.hint


@pytest.mark.parametrize(
    "permalink",
    ["../secret", "a/../../b", "https://evil.example/x", "javascript:alert(1)", "//x/y"],
)
def test_permalinks_leaving_the_site_are_errors(tmp_path: Path, permalink: str) -> None:
    episode, problems = parse(tmp_path, episode_text(permalink=f"'{permalink}'"))
    assert episode is None
    assert only(problems, "permalink-invalid").line == 4


def test_the_url_comes_from_the_show_template(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(), episode_url="{site_url}{lang}/{permalink}/")
    assert episode.url == "https://www.example.org/en/episode-EDT7-en/"


# --------------------------------------------------------------------------- audio includes


def test_transistor_include_without_title(tmp_path: Path) -> None:
    body = '{% include transistor.html id="9a914f38" %}\n'
    episode = ok(tmp_path, episode_text(body))
    assert (episode.transistor_id, episode.transistor_title, episode.transistor_line) == (
        "9a914f38",
        None,
        9,
    )


def test_transistor_include_with_single_quotes_and_whitespace_control(tmp_path: Path) -> None:
    body = "\n\n{%- include transistor.html title='#1 x' id='cea47899' -%}\n"
    episode = ok(tmp_path, episode_text(body))
    assert (episode.transistor_id, episode.transistor_title, episode.transistor_line) == (
        "cea47899",
        "#1 x",
        11,
    )


@pytest.mark.parametrize("share_id", ["cea4789", "cea478990", "xyz47899", ""])
def test_a_transistor_id_that_is_not_8_hex_chars_gives_no_audio(
    tmp_path: Path, share_id: str
) -> None:
    episode, problems = parse(
        tmp_path, episode_text(f'{{% include transistor.html id="{share_id}" %}}\n')
    )
    assert episode is not None and episode.transistor_id is None
    problem = only(problems, "transistor-id-invalid")
    assert (problem.level, problem.line) == (Level.WARNING, 9)


def test_two_different_transistor_ids_warn_and_the_first_is_used(tmp_path: Path) -> None:
    body = (
        '{% include transistor.html id="aaaaaaaa" %}\n{% include transistor.html id="bbbbbbbb" %}\n'
    )
    episode, problems = parse(tmp_path, episode_text(body))
    assert episode is not None and episode.transistor_id == "aaaaaaaa"
    assert only(problems, "transistor-multiple").line == 10


@pytest.mark.parametrize(("setting", "level"), [("warning", Level.WARNING), ("error", Level.ERROR)])
def test_soundcloud_audio_is_reported_at_the_configured_level(
    tmp_path: Path, setting: str, level: Level
) -> None:
    body = '{% include soundcloud.html id="edt1" title="#1" %}\n'
    episode, problems = parse(tmp_path, episode_text(body), missing_audio=setting)
    assert episode is not None and episode.transistor_id is None
    problem = only(problems, "soundcloud-audio")
    assert (problem.level, problem.line) == (level, 9)
    assert "no Transistor audio" in problem.message and "enclosure" in problem.message
    assert "no-audio" not in codes(problems)


@pytest.mark.parametrize(("setting", "level"), [("warning", Level.WARNING), ("error", Level.ERROR)])
def test_no_transistor_include_is_no_audio_at_the_configured_level(
    tmp_path: Path, setting: str, level: Level
) -> None:
    episode, problems = parse(tmp_path, episode_text("Just notes.\n"), missing_audio=setting)
    assert episode is not None and episode.transistor_id is None
    assert only(problems, "no-audio").level is level


# --------------------------------------------------------------------------- YouTube


@pytest.mark.parametrize(
    "value",
    [
        "ImbRcqDHYV0",
        "https://youtu.be/ImbRcqDHYV0",
        "https://youtu.be/ImbRcqDHYV0?t=42",
        "https://www.youtube.com/watch?v=ImbRcqDHYV0",
        "https://m.youtube.com/watch?feature=share&v=ImbRcqDHYV0",
        "https://www.youtube.com/embed/ImbRcqDHYV0",
        "https://youtube.com/shorts/ImbRcqDHYV0",
        "youtu.be/ImbRcqDHYV0",
    ],
)
def test_video_key_in_every_youtube_form(tmp_path: Path, value: str) -> None:
    episode, problems = parse(tmp_path, episode_text("No includes.\n", video=f'"{value}"'))
    assert episode is not None and episode.youtube_id == "ImbRcqDHYV0"
    assert "youtube-placeholder" not in codes(problems)
    assert "youtube-invalid" not in codes(problems)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("url", "youtube-placeholder"),
        ('""', "youtube-placeholder"),
        ("https://youtu.be/", "youtube-placeholder"),
        ("https://youtu.be/url", "youtube-placeholder"),
        ("vtrnskZPA9Murl", "youtube-placeholder"),
        ("https://www.youtube.com/", "youtube-placeholder"),
        ('"https://youtu.be/function (...args) {\n    return x;\n  }"', "youtube-invalid"),
        ("https://vimeo.com/12345", "youtube-invalid"),
        ("https://youtu.be/short", "youtube-invalid"),
        ("https://youtu.be/ImbRcqDHYV0xx", "youtube-invalid"),
        ("https://www.youtube.com/channel/UC123", "youtube-invalid"),
    ],
)
def test_video_placeholders_and_junk_mean_no_video_with_a_warning(
    tmp_path: Path, value: str, code: str
) -> None:
    episode, problems = parse(tmp_path, episode_text("No includes.\n", video=value))
    assert episode is not None and episode.youtube_id is None
    problem = only(problems, code)
    assert (problem.level, problem.line) == (Level.WARNING, 8)


@pytest.mark.parametrize(
    ("include_id", "code"),
    [("url", "youtube-placeholder"), ("", "youtube-placeholder"), ("abc", "youtube-invalid")],
)
def test_youtube_include_placeholders(tmp_path: Path, include_id: str, code: str) -> None:
    body = f'\n{{% include youtube.html id="{include_id}" %}}\n'
    episode, problems = parse(tmp_path, episode_text(body))
    assert episode is not None and episode.youtube_id is None
    assert only(problems, code).line == 10
    assert repr(include_id) in only(problems, code).message


def test_include_and_video_disagreeing_warns_and_the_include_wins(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(video="https://youtu.be/XSOJHnr-4TY"))
    assert episode is not None and episode.youtube_id == "ImbRcqDHYV0"
    assert only(problems, "youtube-mismatch").line == 8


def test_a_placeholder_include_falls_back_to_a_valid_video_key(tmp_path: Path) -> None:
    body = '{% include youtube.html id="url" %}\n'
    episode, problems = parse(tmp_path, episode_text(body, video="https://youtu.be/XSOJHnr-4TY"))
    assert episode is not None and episode.youtube_id == "XSOJHnr-4TY"
    assert "youtube-placeholder" in codes(problems)
    assert "youtube-mismatch" not in codes(problems)


def test_classify_youtube_directly() -> None:
    assert classify_youtube(" ImbRcqDHYV0 ") == ("ImbRcqDHYV0", None)
    assert classify_youtube("https://www.youtube-nocookie.com/embed/ImbRcqDHYV0") == (
        "ImbRcqDHYV0",
        None,
    )
    assert classify_youtube("Url") == (None, "youtube-placeholder")


# --------------------------------------------------------------------------- summary


def test_summary_is_kept_exactly_except_surrounding_whitespace(tmp_path: Path) -> None:
    summary = '"  Line one,  with  spaces.\\n\\nTakeaways:\\n- *one*  "'
    assert ok(tmp_path, episode_text(summary=summary)).summary == (
        "Line one,  with  spaces.\n\nTakeaways:\n- *one*"
    )


def test_description_is_the_summary_when_summary_is_missing(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(summary=None, description='"From desc."'))
    assert episode is not None
    assert (episode.summary, episode.description) == ("From desc.", "From desc.")
    assert problems == []


def test_description_is_kept_apart_from_the_summary(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(description='"Longer description."'))
    assert (episode.summary, episode.description) == ("A summary.", "Longer description.")


PLACEHOLDERS = ["Summary", "Zusammenfassung", "Sommario", "Resumo", "Résumé", "Resumen"]


@pytest.mark.parametrize("placeholder", [*PLACEHOLDERS, "SUMMARY", "' summary '"])
def test_placeholder_summaries_fall_back_to_the_first_paragraph(
    tmp_path: Path, placeholder: str
) -> None:
    episode, problems = parse(tmp_path, episode_text(summary=placeholder))
    assert episode is not None
    assert episode.summary == "First paragraph of the notes."
    assert episode.description == episode.summary
    problem = only(problems, "summary-placeholder")
    assert (problem.level, problem.line) == (Level.WARNING, 7)


def test_a_word_that_only_contains_a_placeholder_is_a_real_summary(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(summary="Summary of the week"))
    assert episode is not None and episode.summary == "Summary of the week"
    assert problems == []


def test_no_summary_and_no_description_falls_back_with_a_warning(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(summary=None))
    assert episode is not None and episode.summary == "First paragraph of the notes."
    assert only(problems, "summary-missing").level is Level.WARNING


def test_with_no_prose_at_all_the_summary_falls_back_to_the_title(tmp_path: Path) -> None:
    body = '{% include transistor.html id="cea47899" %}\n---\n## Only a heading\n'
    assert ok(tmp_path, episode_text(body, summary=None)).summary == "A title"


def test_mojibake_in_the_summary_warns_and_the_text_is_left_as_written(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(summary='"we don%92t yet"'))
    assert episode is not None and episode.summary == "we don%92t yet"
    problem = only(problems, "summary-mojibake")
    assert (problem.level, problem.line) == (Level.WARNING, 7)
    assert problem.hint is not None and "\u2019" in problem.hint  # the apostrophe meant


def test_first_paragraph_skips_liquid_html_headings_and_rules() -> None:
    body = (
        "<div>\n{% include youtube.html id='x' %}\n</div>\n\n---\n\n## Heading\n\n"
        "Text with [a link](https://x.example) and **bold**\nand a second line.\n\nNext.\n"
    )
    assert first_paragraph(body) == "Text with a link and bold and a second line."


def test_first_paragraph_of_nothing_is_empty() -> None:
    assert first_paragraph("") == ""
    assert first_paragraph("<details><summary> Podcast Transcript </summary>\n</details>\n") == ""


def test_first_paragraph_is_shortened_for_very_long_paragraphs() -> None:
    text = first_paragraph("word " * 5000)
    assert len(text) <= 1000 and text.endswith("…")


# --------------------------------------------------------------------------- image


def test_relative_image_is_served_from_the_episode_folder(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(image="thumbnail.png"))
    assert episode.image == "https://www.example.org/episodes/edt-7/en/thumbnail.png"


def test_site_url_without_trailing_slash_still_gives_the_folder(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(img="thumb.jpeg"), site_url="https://www.example.org/sub")
    assert episode.image == "https://www.example.org/sub/episodes/edt-7/en/thumb.jpeg"


def test_absolute_image_urls_are_kept(tmp_path: Path) -> None:
    url = "https://cdn.example.org/a/b.png?x=1"
    assert ok(tmp_path, episode_text(image=url)).image == url


def test_image_is_preferred_over_img(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(img="old.png", image="new.png"))
    assert episode.image is not None and episode.image.endswith("/new.png")


def test_img_is_used_when_there_is_no_image(tmp_path: Path) -> None:
    episode = ok(tmp_path, episode_text(img="old.png"))
    assert episode.image == "https://www.example.org/episodes/edt-7/en/old.png"


@pytest.mark.parametrize("name", ["thumbnail.bmp", "THUMB.BMP", "a.gif", "a.webp"])
def test_images_apple_does_not_accept_warn_and_give_no_image(tmp_path: Path, name: str) -> None:
    episode, problems = parse(tmp_path, episode_text(img=name))
    assert episode is not None and episode.image is None
    problem = only(problems, "image-format")
    assert (problem.level, problem.line) == (Level.WARNING, 8)


def test_data_uri_images_are_refused(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(image='"data:image/png;base64,AAAA"'))
    assert episode is not None and episode.image is None
    assert only(problems, "image-invalid").line == 8


# --------------------------------------------------------------------------- real files


def site_show(**overrides: Any) -> Show:
    return make_show(SITE, **overrides)


def test_seed_pair_same_instant_and_null_lists(tmp_path: Path) -> None:
    show = make_show(DATA / "seeds", episodes=("edt-189/*/episode.md",))
    episodes, problems = load_episodes(show)
    assert problems == []
    by_lang = {episode.lang: episode for episode in episodes}
    assert by_lang["de"].date == by_lang["en"].date == datetime(2024, 3, 7, 8, tzinfo=UTC)
    assert by_lang["de"].tags and by_lang["de"].guests
    assert by_lang["en"].tags == ("moderncomputing", "hpc", "technology")
    assert by_lang["de"].transistor_id == by_lang["en"].transistor_id == "cea47899"
    assert by_lang["de"].transistor_title == "#189 Parallel Works AI Workload Automation"
    assert by_lang["de"].title == "Parallele Arbeiten KI Workload-Automatisierung"


def test_real_legacy_file_soundcloud_bmp_mojibake_and_default_language() -> None:
    path = SITE / "episodes/edt-1/episode.md"
    episode, problems = parse_episode_file(path, site_show())
    assert episode is not None
    assert (episode.lang, episode.number, episode.permalink) == ("en", 1, "episode-EDT1")
    assert episode.date == datetime(2020, 5, 8, tzinfo=LA)
    assert episode.tags[0] == "DataArchitecture"
    assert (episode.transistor_id, episode.youtube_id, episode.image) == (
        None,
        "SZyyG2AGM6g",
        None,
    )
    assert "don%92t" in episode.summary
    assert sorted((p.code, p.line) for p in problems) == [
        ("image-format", 20),
        ("soundcloud-audio", 24),
        ("summary-mojibake", 21),
    ]


def test_real_legacy_file_is_a_duplicate_of_the_english_file() -> None:
    episodes, problems = load_episodes(site_show())
    assert [e.source for e in episodes] == [str(SITE / "episodes/edt-1/en/episode.md")]
    duplicate = only(problems, "duplicate-episode")
    assert duplicate.file == str(SITE / "episodes/edt-1/episode.md")
    assert duplicate.level is Level.ERROR and duplicate.line == 4
    assert str(SITE / "episodes/edt-1/en/episode.md") in duplicate.message


def test_real_brief_with_js_junk_in_video_and_no_audio() -> None:
    episode, problems = parse_episode_file(SITE / "briefs/edw-1/de/episode.md", site_show())
    assert episode is not None and episode.youtube_id is None
    assert episode.date == datetime(2023, 2, 7, 0, tzinfo=UTC)
    junk = only(problems, "youtube-invalid")
    assert junk.line == 24 and "function (...args)" in junk.message
    assert only(problems, "no-audio").level is Level.WARNING


def test_real_brief_with_url_glued_to_the_youtube_id() -> None:
    episode, problems = parse_episode_file(SITE / "briefs/edw-1/es/episode.md", site_show())
    assert episode is not None
    assert (episode.permalink, episode.transistor_id, episode.youtube_id) == (
        "brief-EDW1-es",
        "d0473beb",
        None,
    )
    assert only(problems, "youtube-placeholder").line == 28


def test_real_brief_with_an_unquoted_date_title() -> None:
    episode, problems = parse_episode_file(SITE / "briefs/edw-1/it/episode.md", site_show())
    assert episode is not None and episode.title == "2023-02-06"
    assert only(problems, "youtube-placeholder").line == 24
    assert episode.image == "https://www.example.org/briefs/edw-1/it/thumbnail.png"


def test_real_first_brief_numbering_with_ref_only() -> None:
    episode, problems = parse_episode_file(SITE / "briefs/edtw-1/en/episode.md", site_show())
    assert problems == []
    assert episode is not None
    assert (episode.permalink, episode.transistor_title, episode.transistor_line) == (
        "brief-EDW1",
        None,
        23,
    )
    assert episode.date == datetime(2023, 2, 7, tzinfo=LA)
    assert episode.tags == ("AI", "Compute", "Cybersecurity")


def test_real_placeholder_summary_uses_the_first_paragraph() -> None:
    episode, problems = parse_episode_file(SITE / "briefs/edw-12/de/episode.md", site_show())
    assert episode is not None
    assert episode.summary.startswith("Laut MarketWatch wird die KI-Hardware-Industrie")
    assert only(problems, "summary-placeholder").line == 23


# --------------------------------------------------------------------------- loading a show


def test_duplicate_number_in_one_language_is_an_error_on_the_later_file(tmp_path: Path) -> None:
    write(tmp_path, "episodes/edt-7/en/episode.md", episode_text())
    write(tmp_path, "episodes/edt-8/en/episode.md", episode_text(permalink="other-link"))
    episodes, problems = load_episodes(make_show(tmp_path))
    assert [e.source for e in episodes] == [str(tmp_path / "episodes/edt-7/en/episode.md")]
    problem = only(problems, "duplicate-episode")
    assert problem.file == str(tmp_path / "episodes/edt-8/en/episode.md")
    assert str(tmp_path / "episodes/edt-7/en/episode.md") in problem.message
    assert problem.line == 3


def test_duplicate_permalink_is_an_error_even_across_languages(tmp_path: Path) -> None:
    write(tmp_path, "episodes/edt-7/de/episode.md", episode_text(lang="de"))
    write(tmp_path, "episodes/edt-7/en/episode.md", episode_text())
    episodes, problems = load_episodes(make_show(tmp_path))
    assert [e.lang for e in episodes] == ["de"]
    assert only(problems, "duplicate-episode").line == 4


def test_the_same_number_in_two_languages_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "episodes/edt-7/de/episode.md", episode_text(lang="de", permalink="p-de"))
    write(tmp_path, "episodes/edt-7/en/episode.md", episode_text())
    episodes, problems = load_episodes(make_show(tmp_path, episodes=("episodes/*/*/episode.md",)))
    assert sorted(e.lang for e in episodes) == ["de", "en"]
    assert problems == []


def test_episodes_are_sorted_newest_first_then_by_number_then_source(tmp_path: Path) -> None:
    same_day = "2024-03-07T08:00:00Z"
    write(
        tmp_path,
        "episodes/edt-1/en/episode.md",
        episode_text(number="1", permalink="p1", date="2020-01-01"),
    )
    write(
        tmp_path,
        "episodes/edt-2/en/episode.md",
        episode_text(number="2", permalink="p2", date=same_day),
    )
    write(
        tmp_path,
        "episodes/edt-3/en/episode.md",
        episode_text(number="3", permalink="p3", date=same_day),
    )
    write(
        tmp_path,
        "episodes/edt-3/de/episode.md",
        episode_text(number="3", permalink="p3de", lang="de", date=same_day),
    )
    write(
        tmp_path,
        "episodes/edt-4/en/episode.md",
        episode_text(number="4", permalink="p4", date="2030-01-01"),
    )
    episodes, _ = load_episodes(make_show(tmp_path))
    assert [(e.number, e.lang) for e in episodes] == [
        (4, "en"),
        (3, "de"),
        (3, "en"),
        (2, "en"),
        (1, "en"),
    ]


def test_a_pattern_matching_nothing_is_a_warning_naming_it(tmp_path: Path) -> None:
    write(tmp_path, EPISODE_PATH, episode_text())
    show = make_show(tmp_path, episodes=("episodes/*/*/episode.md", "posts/*.md"))
    episodes, problems = load_episodes(show)
    assert len(episodes) == 1
    problem = only(problems, "episodes-pattern-empty")
    assert problem.level is Level.WARNING and "'posts/*.md'" in problem.message


def test_an_absolute_pattern_is_an_error_not_a_crash(tmp_path: Path) -> None:
    show = make_show(tmp_path, episodes=("/etc/*.md",))
    episodes, problems = load_episodes(show)
    assert episodes == []
    assert only(problems, "episodes-pattern-invalid").level is Level.ERROR


def test_overlapping_patterns_give_each_file_once_in_sorted_order(tmp_path: Path) -> None:
    for relative in ("episodes/edt-2/en/episode.md", "episodes/edt-1/en/episode.md"):
        write(tmp_path, relative, "")
    write(tmp_path, "episodes/edt-1/en/notes.txt", "")
    show = make_show(tmp_path, episodes=("episodes/*/*/episode.md", "episodes/**/*.md"))
    paths, problems = discover_episode_files(show)
    assert paths == [
        tmp_path / "episodes/edt-1/en/episode.md",
        tmp_path / "episodes/edt-2/en/episode.md",
    ]
    assert problems == []


def test_files_are_sorted_part_by_part_as_paths_sort(tmp_path: Path) -> None:
    # "." and "-" sort before "/" as characters, so sorting the names as plain strings would
    # put edt-1.5 and edt-1-b before edt-1; paths compare part by part.
    folders = ["edt-1", "edt-1.5", "edt-1-b", "edt-10", "edt-2", "Edt-3", "édt-4"]
    for folder in folders:
        for lang in ("en", "de", "en-GB"):
            write(tmp_path, f"episodes/{folder}/{lang}/episode.md", "")
    show = make_show(tmp_path, episodes=("episodes/*/*/episode.md",))
    scan = scan_episode_files(show)
    assert scan.paths == sorted(tmp_path.glob("episodes/*/*/episode.md"))
    assert scan.names == [str(path) for path in scan.paths]
    assert scan.infos == [path.stat() for path in scan.paths]


def test_sources_are_paths_as_built_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "site/" + EPISODE_PATH, episode_text(title=None))
    monkeypatch.chdir(tmp_path)
    episodes, problems = load_episodes(make_show(Path("site")))
    assert episodes == []
    assert only(problems, "title-missing").file == str(Path("site") / EPISODE_PATH)
