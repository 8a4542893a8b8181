"""The episode reader's shortcuts give exactly what the long way gives.

Parsing 18,000 files must be cheap, so the reader takes shortcuts for the usual case: the front
matter is composed in one pass and only then checked (instead of an event pass first), file bytes
are read without a 20 MB buffer, image URLs are joined without ``urljoin``. Each test here pins a
case where a shortcut could go wrong against the long way, which stays in the code for every
input the shortcut cannot vouch for.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from podfeed.problems import Problem
from podfeed.site import frontmatter
from podfeed.site.frontmatter import _compose_plain, load_yaml
from podfeed.site.parse import _read_at_most, parse_episode_file
from tests.test_episodes import episode_text, make_show, only, parse

GOOD_FRONT = "---\ntitle: T\nnumber: 1\npermalink: p\ndate: 2024-01-01\n"


def tree(node: yaml.Node | None) -> object:
    """A composed node tree as plain data (tags, values, lines), to compare two compositions."""
    if node is None:
        return None
    line = None if node.start_mark is None else node.start_mark.line
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, line)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [tree(item) for item in node.value], line)
    return (node.tag, [(tree(key), tree(value)) for key, value in node.value], line)


def load_guarded(source: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, list[Problem]]:
    """``load_yaml`` with the one-pass shortcut turned off: the event pass always runs first."""
    with monkeypatch.context() as patch:
        patch.setattr(frontmatter, "_compose_plain", lambda source: (False, None))
        problems: list[Problem] = []
        root = load_yaml(source, "f.md", problems)
    return tree(root), problems


def load_default(source: str) -> tuple[object, list[Problem]]:
    problems: list[Problem] = []
    return tree(load_yaml(source, "f.md", problems)), problems


FRONT_MATTERS = {
    "plain": "title: T\ntags:\n  - a\n  - b\n",
    "quoted specials": "title: \"Q&A: *now*! & more\"\nsummary: 'a & b * c ! d'\n",
    "specials in a comment": "title: T  # a & b * c ! d\n",
    "specials in a block scalar": "notes: |\n  a & b\n  *c* !d\n",
    "safe explicit tags": "title: !!str 2025-02-02\nnumber: !!int '7'\nx: ! 12\n",
    "one alias": "tags: &t [a, b]\nmore: *t\n",
    "a cycle": "a: &a [*a]\n",
    "a duplicate anchor": "a: &x 1\nb: &x 2\n",
    "an undefined alias": "a: *nope\n",
    "a python tag": "x: !!python/object:os.system ''\n",
    "an unknown tag": "x: !custom value\n",
    "a python tag in a second document": "a: 1\n---\nb: !!python/object:os.system ''\n",
    "a syntax error before a python tag": "a: [1\nb: !!python/name:os.system ''\n",
    "64 levels": "x: " + "[" * 63 + "]" * 63 + "\n",  # the mapping is the first level
    "65 levels": "x: " + "[" * 64 + "]" * 64 + "\n",
    "65 block levels": "".join(" " * i + f"k{i}:\n" for i in range(65)),
    "many flow items": "x: [" + ", ".join("a" for _ in range(5000)) + "]\n",
    "only a comment": "# nothing here\n",
    "empty": "",
    "a scalar": "just text\n",
    "a tab indent": "tags:\n\t- a\n",
    "a control character": "summary: a\x07\n",
}


@pytest.mark.parametrize("source", FRONT_MATTERS.values(), ids=FRONT_MATTERS.keys())
def test_one_pass_composition_agrees_with_the_guarded_path(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_default(source) == load_guarded(source, monkeypatch)


@pytest.mark.parametrize(
    "source",
    [
        FRONT_MATTERS["one alias"],
        FRONT_MATTERS["a cycle"],
        FRONT_MATTERS["a python tag"],
        FRONT_MATTERS["an unknown tag"],
        FRONT_MATTERS["65 levels"],
        FRONT_MATTERS["65 block levels"],
        FRONT_MATTERS["a python tag in a second document"],
        FRONT_MATTERS["a syntax error before a python tag"],
    ],
)
def test_the_one_pass_leaves_aliases_tags_depth_and_errors_to_the_guards(source: str) -> None:
    plain, _ = _compose_plain(source)
    assert not plain


@pytest.mark.parametrize(
    "source",
    [
        FRONT_MATTERS["plain"],
        FRONT_MATTERS["quoted specials"],
        FRONT_MATTERS["safe explicit tags"],
        FRONT_MATTERS["64 levels"],
    ],
)
def test_the_one_pass_takes_ordinary_front_matter(source: str) -> None:
    plain, root = _compose_plain(source)
    assert plain and root is not None


def test_deeply_nested_text_is_never_composed_unchecked() -> None:
    # More indicator characters than the bound: libyaml's recursive composer is not trusted.
    deep = "x: " + "[" * 129 + "]" * 129 + "\n"
    assert _compose_plain(deep) == (False, None)


def test_a_quoted_ampersand_star_and_bang_still_parse(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, episode_text(title='"Q&A *now*!"'))
    assert episode is not None and episode.title == "Q&A *now*!"
    assert not [p for p in problems if p.code.startswith("yaml")]


def test_an_alias_in_a_small_file_still_meets_the_guard(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, GOOD_FRONT + "a: &a [*a]\n---\n")
    assert episode is None
    assert only(problems, "yaml-too-complex").line == 6


def test_a_python_tag_in_a_small_file_still_meets_the_guard(tmp_path: Path) -> None:
    episode, problems = parse(tmp_path, GOOD_FRONT + "x: !!python/object:os.system ''\n---\n")
    assert episode is None
    assert only(problems, "yaml-unsafe-tag").line == 6


def test_the_quick_resolver_gives_every_scalar_the_tag_pyyaml_gives() -> None:
    source = (
        "a: 7\nb: 0x1F\nc: 1_000\nd: 1.5\ne: .inf\nf: yes\ng: No\nh: ~\ni: null\nj:\n"
        "k: 2024-03-07\nl: 2024-03-07T08:00:00Z\nm: '7'\nn: \"true\"\no: <<\np: =\nq: -1\n"
        "r: +2\ns: text\nt: ''\n"
    )
    plain = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    quick = yaml.compose(source, Loader=frontmatter._LOADER)
    assert tree(quick) == tree(plain)


# --------------------------------------------------------------------------- reading bytes


class Growing(io.RawIOBase):
    """A file that holds more bytes than its ``stat`` said (it grew in between)."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(min(size, 3))  # short reads too, as a raw file may give


@pytest.mark.parametrize(
    ("data", "stat_size", "limit", "expected"),
    [
        (b"0123456789", 10, 100, b"0123456789"),  # the usual case
        (b"0123456789", 4, 100, b"0123456789"),  # grew since stat
        (b"0123456789", 20, 100, b"0123456789"),  # shrank since stat
        (b"0123456789", 4, 7, b"0123456"),  # grew past the limit: stop there
        (b"0123456789", 0, 100, b"0123456789"),  # stat size 0 (a file that reports none)
        (b"", 0, 100, b""),
    ],
)
def test_reading_stops_at_the_end_of_the_file_or_the_limit(
    data: bytes, stat_size: int, limit: int, expected: bytes
) -> None:
    assert _read_at_most(Growing(data), stat_size, limit) == expected  # type: ignore[arg-type]


# --------------------------------------------------------------------------- image URLs


@pytest.mark.parametrize(
    ("site_url", "image", "expected"),
    [
        (
            "https://www.example.org/",
            "thumbnail.png",
            "https://www.example.org/ep/en/thumbnail.png",
        ),
        ("https://example.org/pod", "a%20b.png", "https://example.org/pod/ep/en/a%20b.png"),
        ("https://example.org/", "a b.png", "https://example.org/ep/en/a b.png"),
        ("https://example.org/", "../up.png", "https://example.org/ep/up.png"),
        ("https://example.org/", "./x.png", "https://example.org/ep/en/x.png"),
        ("https://example.org/", "/root.png", "https://example.org/root.png"),
        ("https://example.org/", "x.png?v=1", "https://example.org/ep/en/x.png?v=1"),
        ("HTTPS://Example.org//a/./b/", "x.png", "https://Example.org/a/b/ep/en/x.png"),
    ],
)
def test_image_urls_resolve_as_urljoin_would(
    tmp_path: Path, site_url: str, image: str, expected: str
) -> None:
    path = tmp_path / "ep" / "en" / "episode.md"
    path.parent.mkdir(parents=True)
    path.write_text(episode_text(image=f"'{image}'"), encoding="utf-8")
    episode, _ = parse_episode_file(path, make_show(tmp_path, site_url=site_url))
    assert episode is not None and episode.image == expected


def test_an_episode_outside_the_show_root_gets_its_image_at_the_site_root(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "en" / "episode.md"
    path.parent.mkdir(parents=True)
    path.write_text(episode_text(image="x.png"), encoding="utf-8")
    show = make_show(tmp_path / "site", site_url="https://example.org/")
    episode, _ = parse_episode_file(path, show)
    assert episode is not None and episode.image == "https://example.org/x.png"
