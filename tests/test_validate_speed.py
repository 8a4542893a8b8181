"""The validator's speed work must not change a single reported problem.

``tests/data/feeds/expected-problems.json`` is a snapshot of what the validator reported before it
was optimised: every problem (code, level, file, line, message, hint), in order, for

- every fixture in ``tests/data/feeds/rules/`` and ``tests/data/feeds/hosts/``, and
- damaged feeds made on the fly: a fixture with a few random edits (an element removed,
  duplicated, renamed into another namespace, given odd text or attributes, an item copied...),
  chosen by a seeded random generator so the same seed always makes the same feed.

Each test validates the feed again and requires exactly the snapshot. The snapshot is only
regenerated on purpose, when a rule's output is meant to change::

    python tests/test_validate_speed.py  # rewrites expected-problems.json
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from podfeed.problems import Problem
from podfeed.validate import validate_bytes, validate_file
from podfeed.validate.base import Children
from podfeed.validate.rules.urls import (
    _PLAIN_HTTP,
    _relative_by_urlsplit,
    _urlsplit_syntax_error,
)
from podfeed.validate.xmltree import ITUNES_NS, PODCAST_NS, child, children, elements, text

FEEDS = Path(__file__).parent / "data" / "feeds"
SNAPSHOT = FEEDS / "expected-problems.json"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
DAMAGED_FEEDS = 400

_I, _P = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}"
_WRONG_ITUNES = "{http://www.itunes.com/DTDs/Podcast-1.0.dtd}"
# Local names rules look at: RSS core, Apple's itunes tags, Podcasting 2.0 tags, misspellings.
_NAMES = (
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "pubDate",
    "lastBuildDate",
    "guid",
    "enclosure",
    "comments",
    "image",
    "url",
    "author",
    "category",
    "explicit",
    "duration",
    "episode",
    "episodeType",
    "season",
    "type",
    "owner",
    "name",
    "email",
    "new-feed-url",
    "block",
    "complete",
    "summary",
    "subtitle",
    "keywords",
    "episodetype",
    "episode_type",
    "transcript",
    "chapters",
    "person",
    "funding",
    "locked",
    "alternateEnclosure",
    "source",
    "contentLink",
    "trailer",
    "value",
    "valueRecipient",
    "soundbite",
    "location",
    "medium",
    "txt",
    "podping",
)
_NAMESPACES = ("", _I, _P, _WRONG_ITUNES)
_VALUES = (
    "",
    " ",
    "abc",
    "0",
    "-5",
    "12",
    "1.5",
    "01:02:03",
    "99:99",
    "3600",
    "yes",
    "No",
    "true",
    "false",
    "clean",
    "full",
    "trailer",
    "bonus",
    "episodic",
    "serial",
    "http://example.com/a.mp3",
    "https://example.com/a b.mp3",
    "https://cdn.example.com/1.mp3",
    "/relative/path.mp3",
    "ftp://example.com/x",
    "ipfs://bafy",
    "https://",
    "audio/mpeg",
    "audio/mp3",
    "video/mp4",
    "text/vtt",
    "application/json",
    "application/x-subrip",
    "Mon, 01 Jan 2024 00:00:00 GMT",
    "Tue, 01 Jan 2024 00:00:00 +0000",
    "Sat, 01 Jan 2033 00:00:00 GMT",
    "2024-01-01",
    "<b>Live</b> show",
    "Fish &amp; Chips",
    "en",
    "en-us",
    "xx_YY",
    "Technology",
    "Sports",
    "host",
    "guest",
    "d84ced82-1926-54c0-88c2-bb01dd35d7e3",
    "d84ced82-1926-14c0-88c2-bb01dd35d7e3",
    "x@example.com",
    "https://example.com/art.png",
    "https://example.com/art.gif",
    "http://example.com/art.jpg",
    "a" * 4001,
)
_ATTRIBUTES = (
    "url",
    "href",
    "length",
    "type",
    "isPermaLink",
    "text",
    "role",
    "img",
    "uri",
    "version",
    "rel",
    "title",
    "owner",
    "language",
    "rel",
    "group",
)


def _elements(tree: etree._Element) -> list[etree._Element]:
    return [node for node in tree.iter() if isinstance(node.tag, str) and node is not tree]


def _damage(root: etree._Element, rng: random.Random) -> None:
    """One random edit somewhere below the root."""
    nodes = _elements(root)
    if not nodes:
        return
    node = rng.choice(nodes)
    parent = node.getparent()
    kind = rng.choice((0, 1, 2, 2, 3, 3, 3, 4, 5, 6, 7))
    if kind == 0 and parent is not None:
        parent.remove(node)
    elif kind == 1 and parent is not None:
        parent.insert(parent.index(node) + 1, copy.deepcopy(node))
    elif kind == 2:
        node.text = rng.choice(_VALUES)
        if rng.random() < 0.3:
            for below in list(node):
                node.remove(below)
    elif kind == 3:
        present = sorted(node.attrib)
        name = rng.choice(present) if present and rng.random() < 0.7 else rng.choice(_ATTRIBUTES)
        node.set(name, rng.choice(_VALUES))
    elif kind == 4:
        node.tag = rng.choice(_NAMESPACES) + etree.QName(node).localname
    elif kind == 5:
        added = etree.SubElement(node, rng.choice(_NAMESPACES) + rng.choice(_NAMES))
        added.text = rng.choice(_VALUES)
        if rng.random() < 0.5:
            added.set(rng.choice(_ATTRIBUTES), rng.choice(_VALUES))
    elif kind == 6:
        items = root.findall("channel/item")
        if items:
            item = rng.choice(items)
            item.addnext(copy.deepcopy(item))
    else:
        etree.SubElement(node, rng.choice(("b", "i", f"{_I}title"))).text = rng.choice(_VALUES)


def _bases() -> list[Path]:
    # Fail fixtures too: damage on top of a broken feed reaches more branches of each rule.
    return sorted(FEEDS.glob("rules/*.xml")) + sorted(FEEDS.glob("hosts/*.xml"))


def damaged_feed(seed: int) -> bytes:
    """The feed for ``seed``: a fixture with one to six random edits."""
    rng = random.Random(seed)
    base = rng.choice(_bases())
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False)
    try:
        root = etree.fromstring(base.read_bytes(), parser)
    except etree.XMLSyntaxError:
        return base.read_bytes()  # a not-well-formed fixture stays as it is
    for _ in range(rng.randint(1, 6)):
        _damage(root, rng)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _record(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "level": p.level.name,
            "file": p.file,
            "line": p.line,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]


def _fixture_problems(name: str) -> list[dict[str, Any]]:
    # Relative file names, so the snapshot does not depend on where the repository is.
    return _record(validate_file(Path("tests/data/feeds") / name, now=NOW))


def _damaged_problems(seed: int) -> list[dict[str, Any]]:
    return _record(validate_bytes(damaged_feed(seed), source=f"damaged-{seed}.xml", now=NOW))


def _fixture_names() -> list[str]:
    paths = sorted(FEEDS.glob("rules/*.xml")) + sorted(FEEDS.glob("hosts/*.xml"))
    return [str(path.relative_to(FEEDS)) for path in paths]


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FEEDS.parent.parent.parent)


def test_the_snapshot_covers_every_fixture(snapshot: dict[str, Any]) -> None:
    assert sorted(snapshot["fixtures"]) == sorted(_fixture_names())


def test_the_damaged_feeds_break_many_rules(snapshot: dict[str, Any]) -> None:
    """Guards the generator: damage that broke nothing would make the comparison toothless."""
    codes = {p["code"] for problems in snapshot["damaged"].values() for p in problems}
    assert len(codes) >= 30


@pytest.mark.usefixtures("in_repository")
@pytest.mark.parametrize("name", _fixture_names())
def test_fixture_problems_are_unchanged(name: str, snapshot: dict[str, Any]) -> None:
    assert _fixture_problems(name) == snapshot["fixtures"][name]


@pytest.mark.parametrize("seed", range(DAMAGED_FEEDS))
def test_damaged_feed_problems_are_unchanged(seed: int, snapshot: dict[str, Any]) -> None:
    assert _damaged_problems(seed) == snapshot["damaged"][str(seed)]


# --- the shortcuts agree with what they replace, on generated input ------------------------------

_TAGS = ("title", "guid", "link", f"{_I}title", f"{_I}duration", f"{_P}person", "b")
_TEXTS = st.sampled_from(("", " ", "A", "Fish &amp; Chips", "<b>x</b>", "é", "\n  x  \n"))


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> str:
    """A small XML element as text: mixed content, CDATA, comments and nested children."""
    tag = draw(st.sampled_from(_TAGS))
    name = tag.replace(f"{_I}", "itunes:").replace(f"{_P}", "podcast:")
    parts = [draw(_TEXTS).replace("&", "&amp;").replace("<", "&lt;")]
    if depth < 3:
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(("element", "cdata", "comment", "text")))
            if kind == "element":
                parts.append(draw(_trees(depth + 1)))
            elif kind == "cdata":
                parts.append(f"<![CDATA[{draw(_TEXTS)}]]>")
            elif kind == "comment":
                parts.append("<!-- note -->")
            else:
                parts.append(draw(_TEXTS).replace("&", "&amp;").replace("<", "&lt;"))
    return f"<{name}>{''.join(parts)}</{name}>"


def _parse_item(body: str) -> etree._Element:
    return etree.fromstring(
        f'<item xmlns:itunes="{ITUNES_NS}" xmlns:podcast="{PODCAST_NS}">{body}</item>'
    )


def _descendants(parent: etree._Element) -> list[etree._Element]:
    """The definition mistakes.py used before: depth first over child elements."""
    found = []
    for node in elements(parent):
        found.append(node)
        found.extend(_descendants(node))
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(_trees(), max_size=6))
def test_children_answers_as_the_element_helpers_do(bodies: list[str]) -> None:
    item = _parse_item("".join(bodies))
    kids = Children(item)
    assert kids.elements == list(elements(item))
    assert kids.descendants() == _descendants(item)
    for tag in (*_TAGS, "missing"):
        assert kids.first(tag) is child(item, tag)
        assert kids.all(tag) == children(item, tag)
        assert kids.text(tag) == text(child(item, tag))
    for node in item.iter(etree.Element):
        assert text(node) == "".join(node.itertext())


_URL_CHARACTERS = st.sampled_from(list('ahtps:/.-_?#[]@%: \t"<>^`{|}é0123456789\x00\x7f'))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(("http://", "https://", "HTTP://", "http:/", "")),
    st.lists(_URL_CHARACTERS, max_size=20).map("".join),
)
def test_a_plain_http_url_is_absolute_and_well_formed_for_urlsplit_too(
    start: str, rest: str
) -> None:
    url = start + rest
    if _PLAIN_HTTP.match(url):
        assert not _relative_by_urlsplit(url)
        assert _urlsplit_syntax_error(url, True) is None
        assert _urlsplit_syntax_error(url, False) is None


def _write_snapshot() -> None:
    data = {
        "fixtures": {name: _fixture_problems(name) for name in _fixture_names()},
        "damaged": {str(seed): _damaged_problems(seed) for seed in range(DAMAGED_FEEDS)},
    }
    SNAPSHOT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import os

    os.chdir(FEEDS.parent.parent.parent)
    _write_snapshot()
