"""Shortcuts in reading one episode file give exactly what the long way gives.

Every episode file goes through YAML composition and the show-notes pipeline, so both skip
work where it cannot change the result: libyaml's resolver callbacks remember their answers
and do not track a path nobody matches, cmark renders Markdown without the table and
strikethrough extensions when the text has neither ``|`` nor ``~``, the blank-line pass only
rebuilds the notes from its first match on, and absolute ``http(s)`` links skip ``urlsplit``.
Each test pins one shortcut against the long way it replaces.
"""

from __future__ import annotations

import inspect
import string
from urllib.parse import urlsplit

import cmarkgfm.cmark as cmark
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podfeed.site import frontmatter, notes
from tests.test_episodes_fastpaths import tree

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- YAML resolution

PLAIN_RESOLVER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SCALARS = st.text(alphabet=st.sampled_from([*"0123456789+-._:~<=!&*eEnNyYoOtTfF xb"]), max_size=12)


def pyyaml_tag(value: str) -> str:
    """The tag PyYAML's own resolver gives a plain scalar."""
    return yaml.resolver.BaseResolver.resolve(
        PLAIN_RESOLVER("x"), yaml.ScalarNode, value, (True, False)
    )


@SETTINGS
@given(value=SCALARS)
def test_a_plain_scalar_gets_pyyaml_s_tag_first_time_and_remembered(value: str) -> None:
    assert frontmatter._plain_tag(value) == pyyaml_tag(value)
    assert frontmatter._plain_tag(value) == pyyaml_tag(value)  # now from the memo


@pytest.mark.parametrize(
    ("value", "tag"),
    [("7", "int"), ("0x1F", "int"), ("1.5", "float"), ("yes", "bool"), ("~", "null"),
     ("", "null"), ("2024-03-07", "timestamp"), ("<<", "merge"), ("=", "value"), ("a", "str")],
)  # fmt: skip
def test_the_memo_keeps_each_text_s_own_tag(value: str, tag: str) -> None:
    assert frontmatter._plain_tag(value) == "tag:yaml.org,2002:" + tag


def test_the_memo_is_bounded() -> None:
    for number in range(frontmatter._TAG_MEMO_SIZE + 100):
        frontmatter._plain_tag(f"k{number}")
    assert frontmatter._plain_tag("x" * (frontmatter._TAG_MEMO_CHARS + 1) + "7").endswith(":str")
    known = inspect.getclosurevars(frontmatter._plain_tag).nonlocals["known"]
    assert len(known) == frontmatter._TAG_MEMO_SIZE


NESTED = st.recursive(
    SCALARS.map(lambda text: text.strip() or "x"),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SCALARS, inner, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(data=NESTED, flow=st.booleans())
def test_composition_gives_pyyaml_s_tree_at_every_depth(data: object, flow: bool) -> None:
    # Nested mappings and lists: the path tracking the quick loader leaves out never mattered.
    source = yaml.safe_dump({"k": data}, default_flow_style=flow)
    assert tree(yaml.compose(source, Loader=frontmatter._LOADER)) == tree(
        yaml.compose(source, Loader=PLAIN_RESOLVER)
    )


# --------------------------------------------------------------------------- Markdown


def pieces(*choices: str, max_size: int) -> st.SearchStrategy[str]:
    """Texts made of ``choices`` (single characters and longer pieces of syntax)."""
    return st.lists(st.sampled_from(choices), max_size=max_size).map("".join)


MARKDOWN = pieces(
    *"ab \n\t#*_-+=>`[]()!<>/&;:.1234567890\\\"'",
    *("é", "~~", "|", "---", "```", "<p>", "\u00a0", "&#1;", "&amp;", "    ", "1. "),
    max_size=200,
)


def with_extensions(text: str) -> str:
    return cmark.markdown_to_html_with_extensions(
        text, options=notes._CMARK_OPTIONS, extensions=notes._GFM_EXTENSIONS
    )


@SETTINGS
@given(text=MARKDOWN)
def test_markdown_renders_as_with_the_extensions_attached(text: str) -> None:
    assert notes._render_markdown(text) == with_extensions(text)


@pytest.mark.parametrize(
    "text",
    [
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "a ~~gone~~ b\n",
        "# Title\n\nSee [x](y) *now* and `code`.\n\n- one\n- two\n\n> quote\n",
        "&#x2015; &amp; &#1; text\n\n<div>raw</div>\n",
    ],
)
def test_tables_strikethrough_and_plain_notes_render_as_before(text: str) -> None:
    assert notes._render_markdown(text) == with_extensions(text)


def test_a_table_is_still_a_table() -> None:
    assert "<table>" in notes._render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<del>" in notes._render_markdown("a ~~b~~ c")


# --------------------------------------------------------------------------- post-passes

BLANKS = pieces("\n", " ", "\t", "a", "<p>", "</p>", max_size=60)


@SETTINGS
@given(text=BLANKS)
def test_blank_lines_collapse_as_one_substitution_would(text: str) -> None:
    assert notes._collapse(text) == notes._BLANK_LINES.sub("\n", text)


def filter_the_long_way(tag: str, attribute: str, value: str) -> str | None:
    """``_filter_attribute`` as it was before the shortcut for absolute links."""
    if (tag, attribute) not in notes._URL_ATTRIBUTES:
        return value.replace("<", "").replace(">", "")
    url = value.strip().replace("<", "%3C").replace(">", "%3E")
    if url.startswith("//"):
        url = "https:" + url
    try:
        if urlsplit(url).scheme:
            return url
        return notes.join_url(notes._BASE_URL.get(), url)
    except ValueError:
        return None


URLS = st.builds(
    str.__add__,
    st.sampled_from(["https://", "http://", "HTTP://", "//", "", " https://", "mailto:", "x"]),
    st.text(
        alphabet=st.sampled_from([*string.ascii_letters[:6], *"/.:?#[]@% <>", "\u2100", "é"]),
        max_size=20,
    ),
)


@SETTINGS
@given(url=URLS, tag=st.sampled_from(["a", "img", "p"]))
def test_link_urls_are_filtered_as_the_long_way_does(url: str, tag: str) -> None:
    attribute = {"a": "href", "img": "src", "p": "title"}[tag]
    token = notes._BASE_URL.set("https://example.org/show/ep-1")
    try:
        assert notes._filter_attribute(tag, attribute, url) == filter_the_long_way(
            tag, attribute, url
        )
    finally:
        notes._BASE_URL.reset(token)


@pytest.mark.parametrize(
    "url", ["https://[::1", "https://a]b/", "https://exa\u2100mple.org/", "https://é.org/x"]
)
def test_links_urlsplit_refuses_still_take_the_long_way(url: str) -> None:
    assert notes._filter_attribute("a", "href", url) == filter_the_long_way("a", "href", url)


def test_notes_without_images_or_bare_links_skip_those_passes_with_the_same_result() -> None:
    body = "## Hi\n\n[a](https://x.org/a) and text\n\n<a>bare</a> <img alt=x> <img src='y.png'>\n"
    html = notes.render_notes(body, base_url="https://example.org/ep/1")
    assert "<a>" not in html and "<img alt" not in html
    assert '<img src="https://example.org/ep/y.png">' in html
