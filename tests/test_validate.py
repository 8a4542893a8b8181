"""podfeed.validate as a whole: the API, parsing hostile or broken input, host-shaped feeds, and
podfeed's own output. Per-rule behaviour is in test_validate_rules.py (fixture pairs)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from podfeed.problems import InputError, Level
from podfeed.validate import RULES, validate_bytes, validate_file
from podfeed.validate.rules import CHECKS, NETWORK_RULE_IDS
from podfeed.validate.rules.dates import parse_rfc822
from podfeed.validate.rules.podcast_show import podcast_guid

FEEDS = Path(__file__).parent / "data" / "feeds"
VALID = FEEDS / "rules" / "xml-doctype.pass.xml"  # a complete feed with no problem at all
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def codes(data: bytes, rules: list[str] | None = None) -> list[tuple[str, int | None]]:
    """(code, line) of every problem, in the order validate_bytes returns them."""
    problems = validate_bytes(data, source="feed.xml", rules=rules, now=NOW)
    return [(p.code, p.line) for p in problems]


# --- the registry -----------------------------------------------------------------------------


def test_rule_ids_are_stable_kebab_case_with_a_source_link() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id)
        assert rule.url.startswith("https://")
        assert rule.summary


def test_every_check_belongs_to_a_registered_rule_and_every_rule_but_parsing_has_a_check() -> None:
    checked = {check.rule.id for check in CHECKS}
    assert checked <= set(RULES)
    # xml-well-formed is reported by the engine itself; the artwork rules need the network
    # and run from podfeed/validate/artwork.py (tests/test_artwork.py).
    assert set(RULES) - checked == {"xml-well-formed"} | NETWORK_RULE_IDS


# --- the API ----------------------------------------------------------------------------------


def test_a_clean_feed_has_no_problems() -> None:
    assert validate_file(VALID, now=NOW) == []


def test_problems_carry_rule_level_file_line_item_and_a_hint_with_the_source() -> None:
    data = VALID.read_bytes().replace(b'length="24986112"', b'length="big"')
    [problem] = validate_bytes(data, source="show.xml", now=NOW)
    assert (problem.code, problem.level, problem.file, problem.line) == (
        "enclosure-length",
        Level.ERROR,
        "show.xml",
        27,
    )
    assert 'item "Episode 2" (guid example-episode-2)' in problem.message
    assert "'big'" in problem.message
    assert problem.hint is not None and RULES["enclosure-length"].url in problem.hint


def test_validate_file_names_the_path_as_the_file() -> None:
    path = FEEDS / "rules" / "enclosure-length.fail.xml"
    assert {p.file for p in validate_file(path, now=NOW)} == {str(path)}


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.xml"):
        validate_file(tmp_path / "missing.xml")


def test_a_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        validate_file(tmp_path)


def test_rules_limits_the_run_to_the_selected_ids() -> None:
    data = VALID.read_bytes().replace(b'length="24986112"', b'length="0"')
    data = data.replace(b"<itunes:explicit>false", b"<itunes:explicit>no")
    assert {c for c, _ in codes(data)} == {"enclosure-length-zero", "apple-explicit-deprecated"}
    assert {c for c, _ in codes(data, rules=["enclosure-length-zero"])} == {"enclosure-length-zero"}
    assert codes(data, rules=[]) == []


def test_unknown_rule_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="no-such-rule"):
        validate_bytes(b"<rss/>", source="f", rules=["no-such-rule"])


def test_unparseable_xml_is_reported_whatever_the_rule_selection() -> None:
    assert codes(b"<rss><channel>", rules=["apple-image"]) == [("xml-well-formed", 1)]


def test_problems_are_sorted_by_line() -> None:
    path = FEEDS / "rules" / "itunes-namespace.fail.xml"
    lines = [p.line or 0 for p in validate_file(path, now=NOW)]
    assert lines == sorted(lines)


def test_now_decides_what_is_in_the_future() -> None:
    data = VALID.read_bytes()  # newest item: Thu, 07 Mar 2024 08:00:00 +0000
    before = datetime(2024, 3, 7, 7, 59, tzinfo=UTC)
    assert [p.code for p in validate_bytes(data, source="f", now=before)] == ["item-pubdate-future"]
    assert validate_bytes(data, source="f", now=datetime(2024, 3, 7, 8, 0, tzinfo=UTC)) == []


def test_a_naive_now_is_taken_as_utc() -> None:
    assert validate_bytes(VALID.read_bytes(), source="f", now=datetime(2024, 6, 1)) == []


# --- broken and hostile input: one problem with a line, never a crash ---------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", None),
        (b"   \n", 2),
        (b"\x00\x01\x02binary", 1),
        (b"<!DOCTYPE html>\n<html><body><p>Not found<br></body></html>", 2),
        (b"<rss version='2.0'>\n<channel>\n<title>Cut", 3),
        (b"<rss>\n<channel><title>a\xe9b</title></channel></rss>", 2),
        (b"<rss>\n<channel>\n<itunes:image href='x'/></channel></rss>", 3),
        (b"<rss><channel><title>A & B</title></channel></rss>", 1),
    ],
)
def test_unparseable_input_is_one_well_formedness_problem(data: bytes, line: int | None) -> None:
    assert codes(data) == [("xml-well-formed", line)]


def test_undeclared_prefix_hint_names_the_namespace_to_declare() -> None:
    [problem] = validate_bytes(b"<rss><channel><itunes:image/></channel></rss>", source="f")
    assert problem.hint is not None and "podcast-1.0.dtd" in problem.hint


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = VALID.read_bytes().replace(
        b"<rss ",
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n<rss '.encode(),
    )
    data = data.replace(b"The first episode.", b"The first episode. &xxe;")
    problems = validate_bytes(data, source="f", now=NOW)
    assert [(p.code, p.line) for p in problems] == [("xml-entity-declaration", 2)]
    assert all("TOP-SECRET" not in (p.message + (p.hint or "")) for p in problems)


def test_billion_laughs_is_reported_not_expanded() -> None:
    levels = "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )  # 10**9 "lol"s if expanded
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY l0 "lol">{levels}]>\n'
        "<rss version='2.0'><channel><title>&l9;</title></channel></rss>"
    ).encode()
    assert codes(data) == [("xml-well-formed", 1), ("xml-entity-declaration", 2)]


def test_entities_declared_in_a_broken_dtd_are_still_reported() -> None:
    # The parser gives up inside the DTD, before the root element, so it never hands over the
    # declarations (libxml2 2.14 does the same for the billion laughs above): they are read
    # from the text of the DOCTYPE, parameter entities included.
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        b'<!ENTITY % ext SYSTEM "http://evil.invalid/x.dtd">\n<!ENTITY name "x">\n<!BROKEN>\n]>\n'
        b'<rss version="2.0"><channel><title>&name;</title></channel></rss>'
    )
    problems = validate_bytes(data, source="f", now=NOW)
    assert [(p.code, p.line) for p in problems] == [
        ("xml-entity-declaration", 2),
        ("xml-well-formed", 5),
    ]
    assert "(ext, name)" in problems[0].message


@settings(max_examples=150, deadline=None)
@given(start=st.integers(0, 2000), length=st.integers(1, 400), junk=st.binary(max_size=8))
def test_damaged_feeds_never_crash(start: int, length: int, junk: bytes) -> None:
    data = VALID.read_bytes()
    damaged = data[:start] + junk + data[start + length :]
    problems = validate_bytes(damaged, source="f", now=NOW)
    assert all(p.code in RULES for p in problems)


# --- streaming: channel tags after the items still count ---------------------------------------


def test_channel_tags_written_after_the_items_are_still_checked() -> None:
    data = VALID.read_bytes()
    image = b'    <itunes:image href="https://example.com/artwork.jpg"/>\n'
    moved = data.replace(image, b"").replace(
        b"  </channel>", image.replace(b".jpg", b".gif") + b"  </channel>"
    )
    assert codes(moved) == [("apple-image-format", 41), ("items-not-last", 41)]


def test_many_items_are_each_checked() -> None:
    item = (
        "<item><title>Episode {n}</title><guid isPermaLink='false'>g{n}</guid>"
        "<pubDate>Thu, 07 Mar 2024 08:00:00 +0000</pubDate>"
        "<enclosure url='https://cdn.example.com/{n}.mp3' length='{length}' type='audio/mpeg'/>"
        "</item>\n"
    )
    items = "".join(item.format(n=n, length=0 if n % 100 == 0 else 1000) for n in range(1000))
    data = VALID.read_bytes().replace(b"    <item>", items.encode() + b"    <item>", 1)
    zero = [line for code, line in codes(data) if code == "enclosure-length-zero"]
    assert len(zero) == 10


# --- helpers with documented examples ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "guid"),
    [
        ("https://podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("podnews.net/rss/", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("http://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
    ],
)
def test_podcast_guid_matches_the_namespace_documents_examples(url: str, guid: str) -> None:
    assert str(podcast_guid(url)) == guid


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Thu, 07 Mar 2024 08:00:00 +0000", True),
        ("7 Mar 2024 08:00 GMT", True),
        ("Thu, 07 Mar 24 08:00:00 EST", True),
        ("Thu, 07 Mar 2024 08:00:00 Z", True),
        ("  Thu, 07 Mar 2024 08:00:00 -0800  ", True),
        ("2024-03-07T08:00:00Z", False),
        ("Thu, 07 Mar 2024", False),
        ("Thu, 30 Feb 2024 08:00:00 +0000", False),
        ("Thu, 07 March 2024 08:00:00 +0000", False),
        ("Thu, 07 Mar 2024 25:00:00 +0000", False),
        ("Thu, 07 Mar 2024 08:00:00 +0099", False),
        ("Thu, 07 Mar 2024 08:00:00 CET", False),
        ("Thu Mar 07 2024 00:00:00 GMT-0800 (Pacific Standard Time)", False),
        ("", False),
    ],
)
def test_rfc822_dates(text: str, ok: bool) -> None:
    assert (parse_rfc822(text) is not None) == ok


@pytest.mark.parametrize(
    ("duration", "ok"),
    [
        ("1801", True),
        ("30:01", True),
        ("0:30:01", True),
        ("01:30:01", True),
        ("1801.5", True),
        ("90:00", True),
        ("", False),
        ("30 min", False),
        ("1:60", False),
        ("1:00:60", False),
        ("-5", False),
        ("PT30M", False),
    ],
)
def test_itunes_duration_formats(duration: str, ok: bool) -> None:
    data = VALID.read_bytes().replace(
        b"<itunes:duration>1801<", f"<itunes:duration>{duration}<".encode()
    )
    assert (("itunes-duration", 28) not in codes(data)) == ok


@pytest.mark.parametrize(
    ("language", "ok"),
    [
        ("en", True),
        ("en-us", True),
        ("pt-BR", True),
        ("EN", True),
        ("zh-Hant-TW", True),
        ("", False),
        ("english", False),
        ("en_US", False),
        ("xx", False),
        ("eng", False),
    ],
)
def test_language_codes(language: str, ok: bool) -> None:
    data = VALID.read_bytes().replace(b"<language>en-us<", f"<language>{language}<".encode())
    assert (("apple-language", 7) not in codes(data)) == ok


@pytest.mark.parametrize(
    ("xml", "ok"),
    [
        ('<itunes:category text="Technology"/>', True),
        ('<itunes:category text="Society &amp; Culture"/>', True),
        ('<itunes:category text="Arts"><itunes:category text="Books"/></itunes:category>', True),
        ('<itunes:category text="technology"/>', False),
        ('<itunes:category text="Tech News"/>', False),
        ('<itunes:category text="Podcasting"/>', False),
        ('<itunes:category text="Arts"><itunes:category text="Drama"/></itunes:category>', False),
        ("<itunes:category>Technology</itunes:category>", False),
    ],
)
def test_apple_categories(xml: str, ok: bool) -> None:
    data = VALID.read_bytes().replace(b'<itunes:category text="Technology"/>', xml.encode())
    assert ("apple-category" not in {c for c, _ in codes(data)}) == ok


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("http://www.itunes.com/dtds/podcast-1.0.dtd", True),
        ("http://www.itunes.com/DTDs/Podcast-1.0.dtd", False),
        ("https://www.itunes.com/dtds/podcast-1.0.dtd", False),
        ("http://itunes.com/dtds/podcast-1.0.dtd", False),
    ],
)
def test_itunes_namespace_must_be_exact(uri: str, ok: bool) -> None:
    data = VALID.read_bytes().replace(
        b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
        f'xmlns:itunes="{uri}"'.encode(),
    )
    assert (("itunes-namespace", 2) not in codes(data)) == ok


# --- realistic feeds --------------------------------------------------------------------------

# Hosts write itunes:explicit as "No" (Transistor, Anchor/Spotify): accepted, but Apple now
# documents true/false; with the RSS 2.0 deviations these hosts really publish, those are the
# only findings expected in these otherwise valid feeds, and all are warnings.
HOSTS = {
    "transistor.xml": {
        # item <author> holds a name, no e-mail address: RSS 2.0 asks for one; a warning
        ("element-value", 51),
        ("element-value", 77),
        ("apple-explicit-deprecated", 39),
        ("apple-explicit-deprecated", 58),
        ("apple-explicit-deprecated", 84),
    },
    "libsyn.xml": set(),
    "anchor.xml": {
        ("element-unknown", 14),  # <author> in the channel: RSS 2.0 has it in items only
        ("apple-explicit-deprecated", 25),
        ("apple-explicit-deprecated", 39),
        ("apple-explicit-deprecated", 55),
    },
}


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_host_shaped_feeds_pass_with_only_the_expected_warnings(name: str) -> None:
    problems = validate_file(FEEDS / "hosts" / name, now=NOW)
    assert {(p.code, p.line) for p in problems} == HOSTS[name]
    assert all(p.level is not Level.ERROR for p in problems)


# What issue 20 listed as false errors on real feeds, each shaped as a host writes it: no error,
# at most the one warning the issue asks for.
FORMER_FALSE_ERRORS = {
    "legacy-itunes-namespace.xml": [("itunes-namespace", Level.WARNING, 3)],
    # the legacy Podcasting 2.0 address: no warning, and the podcast: rules run
    "legacy-podcast-namespace.xml": [("podcast-person", Level.WARNING, 32)],
    "obsolete-category.xml": [("apple-category", Level.WARNING, 18)],
    "empty-episode-type.xml": [("itunes-episode-type", Level.WARNING, 22)],
    "variant-artwork.xml": [],
}
# What it listed as missed: each is now reported, at the level it asked for.
FORMER_MISSES = {
    "tracking-enclosures.xml": [
        ("enclosure-extension", Level.ERROR, 28),
        ("enclosure-extension-mismatch", Level.WARNING, 39),
    ],
    "gif-artwork.xml": [
        ("apple-image-format", Level.ERROR, 16),
        ("apple-image-format", Level.ERROR, 32),
    ],
    "no-items.xml": [("feed-empty", Level.ERROR, 4)],
    "pdf-only.xml": [("feed-not-audio", Level.ERROR, 22)],
}


@pytest.mark.parametrize("name", sorted(FORMER_FALSE_ERRORS | FORMER_MISSES))
def test_the_issues_host_cases(name: str) -> None:
    problems = validate_file(FEEDS / "hosts" / name, now=NOW)
    expected = (FORMER_FALSE_ERRORS | FORMER_MISSES)[name]
    assert [(p.code, p.level, p.line) for p in problems] == expected


def test_the_legacy_itunes_namespace_is_read_as_itunes() -> None:
    data = VALID.read_bytes().replace(b"dtds/podcast-1.0.dtd", b"DTDs/Podcast-1.0.dtd")
    broken = data.replace(b"<itunes:explicit>false", b"<itunes:explicit>maybe")
    assert [(p.code, p.level) for p in validate_bytes(broken, source="f", now=NOW)] == [
        ("itunes-namespace", Level.WARNING),
        ("apple-explicit", Level.ERROR),
    ]


def test_the_rss_profile_leaves_out_podcast_requirements() -> None:
    plain = (
        b"<rss version='2.0'><channel><title>Blog</title><link>https://example.com/</link>"
        b"<description>Posts</description><item><title>Hello</title>"
        b"<link>ftp://example.com/hello.txt</link></item></channel></rss>"
    )
    podcast = {p.code for p in validate_bytes(plain, source="f", now=NOW)}
    assert {"apple-image", "item-enclosure-missing", "apple-language"} <= podcast
    rss = validate_bytes(plain, source="f", now=NOW, profile="rss")
    # only the RSS Best Practices Profile's recommendations remain, as warnings
    assert [(p.code, p.level) for p in rss] == [
        ("atom-self-link", Level.WARNING),
        ("item-guid-missing", Level.WARNING),
    ]
    with pytest.raises(ValueError, match="profile"):
        validate_bytes(plain, source="f", profile="blog")  # type: ignore[arg-type]


def test_item_findings_carry_a_group_for_folding_and_root_causes_are_marked() -> None:
    data = VALID.read_bytes().replace(b"<itunes:episode>", b"<itunes:episode>#")
    data = data.replace(b"http://www.itunes.com/dtds/podcast-1.0.dtd", b"https://itunes.example/")
    problems = validate_bytes(data, source="f", now=NOW)
    roots = [p.code for p in problems if p.root]
    assert roots == ["itunes-namespace"]
    broken = VALID.read_bytes().replace(b"<itunes:episode>", b"<itunes:episode>#")
    numbers = [p for p in validate_bytes(broken, source="f", now=NOW)]
    assert len(numbers) == 2 and len({p.message for p in numbers}) == 2
    assert len({p.group for p in numbers}) == 2  # '#2' and '#1' differ: shown as two causes


def test_podfeeds_own_output_has_no_errors_and_no_warnings(repo: Path, tmp_path: Path) -> None:
    from podfeed.cli import main

    result = CliRunner().invoke(
        main, ["build", "--offline", "-c", str(repo / "config.yaml"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    feeds = sorted(tmp_path.rglob("*.xml"))
    assert feeds
    for feed in feeds:
        assert validate_file(feed, now=NOW) == [], feed


def test_every_rule_is_documented(repo: Path) -> None:
    page = (repo / "docs" / "validate-rules.md").read_text(encoding="utf-8")
    assert [rule_id for rule_id in RULES if f"`{rule_id}`" not in page] == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("full", True),
        ("trailer", True),
        ("bonus", True),
        ("Full", True),
        ("normal", False),
        ("", True),  # empty means the default, full: one warning for the feed (below)
    ],
)
def test_episode_types(value: str, ok: bool) -> None:
    data = VALID.read_bytes().replace(
        b"<itunes:episodeType>full<", f"<itunes:episodeType>{value}<".encode()
    )
    assert (("itunes-episode-type", 30) not in codes(data)) == ok


def test_unnumbered_trailers_and_bonus_episodes_are_fine_in_a_serial_show() -> None:
    data = VALID.read_bytes().replace(b">episodic<", b">serial<")
    data = data.replace(b"      <itunes:episode>2</itunes:episode>\n", b"")
    assert codes(data) == [("apple-serial-episode", 21)]
    trailer = data.replace(b">full<", b">trailer<")
    assert codes(trailer) == []


def test_an_empty_episode_type_is_one_warning_for_the_feed_not_an_error_per_item() -> None:
    data = VALID.read_bytes().replace(
        b"<itunes:episodeType>full</itunes:episodeType>", b"<itunes:episodeType/>"
    )
    data = data.replace(
        b"<itunes:episode>1</itunes:episode>",
        b"<itunes:episode>1</itunes:episode><itunes:episodeType></itunes:episodeType>",
    )
    problems = validate_bytes(data, source="f", now=NOW)
    assert [(p.code, p.level, p.line) for p in problems] == [
        ("itunes-episode-type", Level.WARNING, 21)
    ]
    assert "2 items have an empty <itunes:episodeType/>" in problems[0].message


@pytest.mark.parametrize(
    ("url", "level", "said"),
    [
        # Apple's own 2005 sample feed has spaces in enclosure URLs; apps encode them as %20.
        ("https://cdn.example.com/episode 2.mp3", Level.WARNING, "contains spaces"),
        ("https://cdn.example.com/episodes\\episode-2.mp3", Level.ERROR, "a backslash"),
        ("https://cdn.example.com/ep<2>.mp3", Level.ERROR, "'<', '>': each must be"),
        # A space does not excuse what else is wrong: apps need http(s) for media.
        ("ftp://cdn.example.com/episode 2.mp3", Level.ERROR, "scheme 'ftp'"),
        ("https://cdn.example.com/episode%202.mp3", None, ""),
    ],
)
def test_a_space_in_a_url_is_a_warning_other_characters_an_error(
    url: str, level: Level | None, said: str
) -> None:
    data = VALID.read_bytes().replace(
        b"https://cdn.example.com/episode-2.mp3",
        url.replace("<", "&lt;").replace(">", "&gt;").encode(),
    )
    found = [p for p in validate_bytes(data, source="feed.xml", now=NOW) if p.code == "url-syntax"]
    if level is None:
        assert found == []
    else:
        assert [(p.level, p.line) for p in found] == [(level, 27)]
        assert said in found[0].message
