"""Show notes: an episode's Markdown body becomes small, safe HTML that podcast apps accept.

The real bodies in tests/data/notes/ are byte-for-byte copies of corpus files
(seeds/edt-189/en and edt/briefs/edw-1/en).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podfeed.site.notes import (
    _resolve_details,
    _rewrite_details,
    _shrink_data_uris,
    join_url,
    plain_text,
    render_notes,
)

DATA = Path(__file__).parent / "data" / "notes"
BASE = "https://example.org/episodes/ep-1"
EMPTY_TRANSCRIPT = "<details>\n<summary> Podcast Transcript </summary>\n\n<p></p>\n\n</details>\n"


def body_of(path: Path) -> str:
    """The body of an episode file: everything after the second ``---`` line of the file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fences = [i for i, line in enumerate(lines) if line.rstrip() == "---"]
    return "".join(lines[fences[1] + 1 :])


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def is_xml_char(char: str) -> bool:
    """XML 1.0 production ``Char``, written out independently of the code under test."""
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


# --- real bodies ---------------------------------------------------------------------------------


def test_seed_body_keeps_headings_and_paragraphs_and_drops_the_page_furniture() -> None:
    body = body_of(DATA / "edt-189-en.md")
    html = render_notes(body, base_url=BASE)
    tree = parse(html)

    notes = body.split("\n---\n", 1)[1]  # what the author wrote under the player block
    blocks = [b.strip() for b in notes.split("\n\n") if b.strip()]
    headings = [b[3:].strip() for b in blocks if b.startswith("## ")]
    paragraphs = [b for b in blocks if not b.startswith(("#", "<"))]
    assert [h.text_content() for h in tree.findall("h2")] == headings
    assert len(tree.findall("p")) == len(paragraphs)
    assert tree[0].tag == "p"  # starts with the notes: no empty div, no leading rule
    for noise in ("{%", "{{", "<details", "<summary", "Transcript", "<div", "<hr", "<iframe"):
        assert noise not in html


def test_brief_body_keeps_every_link_and_list() -> None:
    body = body_of(DATA / "edw-1-en.md")
    tree = parse(render_notes(body, base_url=BASE))

    headings = re.findall(r"^## (.+?)\s*$", body, re.M)
    assert [h.text_content() for h in tree.findall("h2")] == headings
    source_links = re.findall(r"\]\(\s*(https?://[^)\s]+)\s*\)", body)
    assert [a.get("href") for a in tree.iter("a")] == source_links
    bullets = re.findall(r"^\* ", body, re.M)
    assert len(list(tree.iter("li"))) == len(bullets)
    assert "\u2019" in tree.text_content()  # real typographic apostrophes survive


def test_every_corpus_body_renders_clean(corpus: Path) -> None:
    for path in sorted(corpus.glob("*/**/episode.md")):
        html = render_notes(body_of(path), base_url=BASE)
        assert html, path
        for noise in ("{%", "<details", "Podcast Transcript", "<div", "<iframe", "data:"):
            assert noise not in html, (path, noise)
        assert not html.startswith("<hr>"), path
        assert parse(html).text_content().strip(), path


def test_output_is_deterministic_and_trimmed() -> None:
    body = body_of(DATA / "edw-1-en.md")
    first = render_notes(body, base_url=BASE)
    assert render_notes(body, base_url=BASE) == first
    assert first == first.strip()


# --- Liquid and the player block -----------------------------------------------------------------


def test_liquid_tags_and_output_are_removed_even_across_lines() -> None:
    body = (
        'Intro {% include transistor.html id="cea47899"\n   title="#189 Title" %} end.\n\n'
        "Title: {{ page.title | upcase }}!\n\n"
        "{% comment %}\nA private note.\n{% endcomment %}\n\n"
        "{% raw %}{{ shown as written }}{% endraw %}\n"
    )
    html = render_notes(body, base_url=BASE)
    assert html == "<p>Intro  end.</p>\n<p>Title: !</p>\n<p>{{ shown as written }}</p>"


def test_unterminated_liquid_stays_as_text() -> None:
    html = render_notes("50{% off and {{ more", base_url=BASE)
    assert html == "<p>50{% off and {{ more</p>"


def test_empty_player_block_and_its_rule_leave_nothing_behind() -> None:
    body = (
        '<div>\n{% include transistor.html id="cea47899" %}\n\n'
        '{% include youtube.html id="ImbRcqDHYV0" %}\n</div>\n\n---\n\n## Notes\n\nText.\n'
    )
    assert render_notes(body, base_url=BASE) == "<h2>Notes</h2>\n<p>Text.</p>"


def test_rule_right_under_the_player_div_is_not_left_as_text() -> None:
    body = '<div>\n{% include youtube.html id="x" %}\n</div>\n---\nText.\n'
    assert render_notes(body, base_url=BASE) == "<p>Text.</p>"


def test_rules_inside_the_notes_are_kept_but_not_at_the_edges() -> None:
    body = "---\n\nOne.\n\n---\n\nTwo.\n\n---\n"
    assert render_notes(body, base_url=BASE) == "<p>One.</p>\n<hr>\n<p>Two.</p>"


# --- data: URIs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="chart">',
        "![chart](data:image/png;base64,iVBORw0KGgo=)",
        '<p><img alt="chart" src="data:image/jpeg;base64,/9j/4AAQ"></p>',
        "<img src='DATA:image/gif,GIF89a'>",
    ],
)
def test_data_uri_images_disappear(image: str) -> None:
    html = render_notes(f"Before.\n\n{image}\n\nAfter.", base_url=BASE)
    assert html == "<p>Before.</p>\n<p>After.</p>"


def test_multi_megabyte_data_uris_are_dropped_and_the_output_stays_small() -> None:
    payload = "iVBORw0KGgoAAAANSUhEUgAA" * 420_000  # about 10 MB, like the real briefs
    body = (
        f'## News\n\n<img src="data:image/png;base64,{payload}">\n\n'
        f"![x](data:image/png;base64,{payload})\n\nEnd."
    )
    html = render_notes(body, base_url=BASE)
    assert html == "<h2>News</h2>\n<p>End.</p>"
    assert len(plain_text(body)) < 20


def test_data_link_loses_its_href_but_keeps_its_text() -> None:
    html = render_notes("[click](data:text/html,<b>x</b>)", base_url=BASE)
    assert "data:" not in html
    assert parse(html).text_content().startswith("click")


def test_the_word_data_in_prose_is_untouched() -> None:
    text = "Big data: the new oil, data:text and metadata:x,y."
    assert render_notes(text, base_url=BASE) == f"<p>{text}</p>"


@pytest.mark.parametrize("scheme", ["data:", "DATA:", "Data:", "dAtA:"])
def test_data_uris_are_shrunk_in_any_letter_case(scheme: str) -> None:
    # The regex is only run where a cheap pre-check finds "data" before a colon: any case counts.
    payload = "iVBORw0KGgo" * 1000
    shrunk = _shrink_data_uris(f"![x]({scheme}image/png;base64,{payload}) end")
    assert shrunk == "![x](data:image/png;base64,) end"


def test_a_data_uri_after_many_other_colons_is_shrunk_too() -> None:
    colons = " ".join(f"https://example.org/{i}" for i in range(200))
    shrunk = _shrink_data_uris(f"{colons} ![x](DATA:image/gif,GIF89a)")
    assert shrunk == f"{colons} ![x](data:image/gif,)"


@pytest.mark.parametrize("text", ["", "no colon at all", "a: b, c:d", "ata: at the start", "data"])
def test_text_without_a_data_uri_is_returned_as_it_is(text: str) -> None:
    assert _shrink_data_uris(text) is text


# --- sanitising ----------------------------------------------------------------------------------


def test_scripts_styles_and_frames_go_with_their_content() -> None:
    body = (
        "<script>alert('x')</script>\n\n<style>p { color: red }</style>\n\n"
        '<iframe src="https://share.transistor.fm/e/cea47899">player</iframe>\n\nKept.'
    )
    assert render_notes(body, base_url=BASE) == "<p>Kept.</p>"


def test_event_handlers_and_unsafe_link_schemes_are_removed() -> None:
    body = (
        '<img src="https://example.org/a.png" onerror="alert(1)" alt="a">\n\n'
        "[js](javascript:alert(1)) [vb](vbscript:x) [file](file:///etc/passwd) "
        "[mail](mailto:host@example.org) [ftp](ftp://example.org/f)"
    )
    html = render_notes(body, base_url=BASE)
    assert html == (
        '<img src="https://example.org/a.png" alt="a">\n'
        '<p>js vb file <a href="mailto:host@example.org">mail</a> ftp</p>'
    )


def test_only_podcast_friendly_markup_survives() -> None:
    body = (
        '<span style="color:red" class="x" id="y">**bold**</span> _em_ `code` ~~gone~~\n\n'
        "> quoted\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "```\nline 1\n\n\nline 4\n```\n"
    )
    html = render_notes(body, base_url=BASE)
    assert html == (
        "<p><strong>bold</strong> <em>em</em> <code>code</code> gone</p>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
        "<pre><code>line 1\n\n\nline 4\n</code></pre>"
    )


def test_markup_inside_attribute_values_stays_inert() -> None:
    body = (
        '<img alt="x><script>alert(1)</script>">\n\n'
        '<img alt="</details><b>" src="https://example.org/a<b>.png">\n\n'
        '<details><summary>a</summary>\n\n[t](https://example.org/"><script>x)\n\n</details>'
    )
    html = render_notes(body, base_url=BASE)
    assert html == (
        '<img alt="/detailsb" src="https://example.org/a%3Cb%3E.png">\n'
        "<p><strong>a</strong></p>\n"
        '<p><a href="https://example.org/%22%3E%3Cscript%3Ex">t</a></p>'
    )


def test_ordered_lists_keep_their_start_number() -> None:
    assert render_notes("3. three\n4. four", base_url=BASE).startswith('<ol start="3">')


def test_no_rel_attribute_is_added_to_links() -> None:
    assert render_notes("[a](https://example.com/)", base_url=BASE) == (
        '<p><a href="https://example.com/">a</a></p>'
    )


# --- links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("other-episode", "https://example.org/episodes/other-episode"),
        ("/about/", "https://example.org/about/"),
        ("../shop?x=1", "https://example.org/shop?x=1"),
        ("#takeaways", "https://example.org/episodes/ep-1#takeaways"),
        ("//cdn.example.net/a.mp3", "https://cdn.example.net/a.mp3"),
        ("http://example.com/plain", "http://example.com/plain"),
    ],
)
def test_relative_links_resolve_against_the_episode_page(href: str, expected: str) -> None:
    tree = parse(render_notes(f"[x]({href})", base_url=BASE))
    assert tree.find(".//a").get("href") == expected


def test_relative_images_resolve_too() -> None:
    html = render_notes("![thumb](thumbnail.png)", base_url="https://example.org/ep/189/")
    assert html == '<p><img src="https://example.org/ep/189/thumbnail.png" alt="thumb"></p>'


def test_each_call_uses_its_own_base_url() -> None:
    first = render_notes("[x](a)", base_url="https://one.example/")
    second = render_notes("[x](a)", base_url="https://two.example/")
    assert "https://one.example/a" in first
    assert "https://two.example/a" in second


def test_concurrent_renders_keep_their_own_base_url() -> None:
    body = "\n\n".join(f"[{i}](page-{i})" for i in range(50))

    def links_of(host: int) -> set[str]:
        tree = parse(render_notes(body, base_url=f"https://host{host}.example/ep/"))
        return {a.get("href").split("/")[2] for a in tree.iter("a")}

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(links_of, range(40)))
    assert results == [{f"host{host}.example"} for host in range(40)]


@pytest.mark.parametrize("href", ["http://[bad/", "//[bad/"])
def test_unparseable_url_is_dropped_not_raised(href: str) -> None:
    assert render_notes(f'<a href="{href}">x</a>', base_url=BASE) == "<p>x</p>"


# --- transcript blocks ---------------------------------------------------------------------------


def test_empty_transcript_block_disappears_completely() -> None:
    html = render_notes(f"Notes.\n\n\n\n{EMPTY_TRANSCRIPT}", base_url=BASE)
    assert html == "<p>Notes.</p>"


def test_empty_details_with_attributes_or_spaces_disappear_too() -> None:
    body = "<details open>\n<summary>Transcript</summary>\n\n<p>&nbsp;</p>\n<br>\n</details>\n\nX"
    assert render_notes(body, base_url=BASE) == "<p>X</p>"


def test_transcript_with_content_is_kept_as_paragraphs() -> None:
    body = (
        "<details>\n<summary> Podcast Transcript </summary>\n\n"
        "**Darren:** Welcome.\n\n**Guest:** Thanks.\n\n</details>\n"
    )
    html = render_notes(body, base_url=BASE)
    assert html == (
        "<p><strong>Podcast Transcript</strong></p>\n"
        "<p><strong>Darren:</strong> Welcome.</p>\n<p><strong>Guest:</strong> Thanks.</p>"
    )


DETAILS_FRAGMENTS = [
    "<p>a</p>\n<details>\n<summary>T</summary>\n<p></p>\n</details>\n",
    "<p>a</p>\n<details><summary>T</summary><p>text</p></details><p>b</p>",
    "<summary>S</summary><p>x</p><details><summary>T</summary></details>",
    "<p>a</p></details><details><summary>T</summary>y</details>",
    "<details><details><summary>A</summary></details>z</details>",
    "<p>no details, only a <summary>S</summary></p>",
    "<p>x<summ<details></details>ary>T</summary></p>",  # half a tag just before the first one
    "<p>x</det<details></details>ails>y</p>",
    "<p>nothing to do</p>",
]


@pytest.mark.parametrize("fragment", DETAILS_FRAGMENTS)
def test_details_are_rewritten_as_if_the_whole_notes_were_rewritten(fragment: str) -> None:
    # Only the part from the first details/summary tag on is rewritten, for speed.
    whole = _rewrite_details(fragment) if "<details>" in fragment else fragment
    assert _resolve_details(fragment) == whole


BASES = [
    "https://example.org/episodes/ep-1",
    "https://example.org/",
    "https://example.org",
    "https://example.org:8080/a/b/",
    "http://example.org/a/./b/../c/ep",
    "https://example.org//a/ep",
    "HTTPS://Example.org/a/",
    "https://example.org/a;p/ep",
    "https://example.org/a/ep?q=1#f",
    "https://[::1]/a/",
    "mailto:someone@example.org",
    "",
]
REFERENCES = [
    "notes.html",
    "a/b/",
    "a/b/c.png",
    "..",
    "../up.html",
    "./here",
    "a/../b",
    "a//b",
    ".hidden",
    "..x/y",
    "/root",
    "//host/x",
    "?q=1",
    "#frag",
    "x;p",
    "x:y",
    "a b",
    "%7E",
    "",
    "https://other.org/x",
]


@pytest.mark.parametrize("base", BASES)
def test_join_url_is_urljoin(base: str) -> None:
    for reference in REFERENCES:
        assert join_url(base, reference) == urljoin(base, reference), reference


def test_nested_details_are_unwrapped_without_losing_text() -> None:
    body = (
        "<details><summary>Outer</summary>\n\n"
        "<details><summary>Inner</summary>\n\nText\n\n</details>\n\n</details>"
    )
    html = render_notes(body, base_url=BASE)
    assert "<details" not in html and "<summary" not in html
    assert parse(html).text_content().split() == ["Outer", "Inner", "Text"]


# --- characters ----------------------------------------------------------------------------------


def test_xml_forbidden_characters_are_removed_and_real_text_kept() -> None:
    body = "Caf\u00e9 \U0001f399 it\u2019s\x00\x08\x0b\x0c\x1f\ufffe\uffff\ud800 &#1; &#xFFFE; ok"
    html = render_notes(body, base_url=BASE)
    assert all(is_xml_char(c) for c in html)
    assert html.startswith("<p>Caf\u00e9 \U0001f399 it\u2019s ")
    assert html.endswith(" ok</p>")


# cmark writes the non-characters U+FFFE and U+FFFF as bytes that are not UTF-8. A body with a
# reference to one used to go through a second Markdown engine (markdown-it-py) as a whole; now
# cmark renders it like any other body and the reference becomes U+FFFD, as it did then.
@pytest.mark.parametrize(
    "reference", ["&#xFFFE;", "&#xFFFF;", "&#65534;", "&#65535;", "&#Xfffe;", "&#x0000FFFF;"]
)
def test_a_reference_to_a_noncharacter_becomes_the_replacement_character(reference: str) -> None:
    assert render_notes(f"a {reference} b", base_url=BASE) == "<p>a \ufffd b</p>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Where cmark does not decode references, the text stays as written.
        ("`&#xFFFE;` &#xFFFE;", "<p><code>&amp;#xFFFE;</code> \ufffd</p>"),
        ("![a &#xFFFF;](i.png)", f'<p><img src="{urljoin(BASE, "i.png")}" alt="a \ufffd"></p>'),
        (  # the extensions still apply
            "| a |\n|---|\n| &#xFFFE; ~~x~~ |",
            "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
            "<td>\ufffd x</td>\n</tr>\n</tbody>\n</table>",
        ),
        # The cases where markdown-it-py gave other output: its stricter reference rules made
        # U+FFFD of &#1;, of other non-characters and of C1 controls, and it left an autolink's
        # reference undecoded. cmark decodes them as in every other body; what XML forbids goes.
        ("&#1; &#xFFFE;", "<p> \ufffd</p>"),
        ("&#xFDD0; &#xFFFE;", "<p>\ufdd0 \ufffd</p>"),
        ("&#x80; &#xFFFE;", "<p>\x80 \ufffd</p>"),
        ("<http://x.org/&#xFFFE;>", '<p><a href="http://x.org/%FE">http://x.org/\ufffd</a></p>'),
    ],
)
def test_a_body_with_such_a_reference_renders_as_every_other_body(body: str, expected: str) -> None:
    assert render_notes(body, base_url=BASE) == expected


# --- plain text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "**Fish** & _chips_ with [a link](https://x.org), `code`",
            "Fish & chips with a link, code",
        ),
        ("<p>Tom &amp; Jerry&nbsp;&#8217;s</p><p>next</p>", "Tom & Jerry \u2019s next"),
        ("<script>alert(1)</script><style>p{}</style>Safe", "Safe"),
        ("Line one\n\n\n   line\ttwo  ", "Line one line two"),
        ("10. Big things\n* bullet", "10. Big things * bullet"),
        ("## Takeaways\nAI is a tool.", "Takeaways AI is a tool."),
        ("a < b and AT&T <https://x.org>", "a < b and AT&T https://x.org"),
        ("Chart ![alt](data:image/png;base64,AAAA) here", "Chart here"),
        ("bad\x00 \ufffechars", "bad chars"),
        ("<p>&#1;x</p>", "x"),  # an HTML character reference to a forbidden character
        ("&#1;x", "x"),  # U+0001 is a code point cmark decodes, and XML forbids
        # Block syntax stays text: only inline Markdown, ATX headings and HTML blocks are read.
        ("> quoted", "> quoted"),
        ("- item\n+ other", "- item + other"),
        ("Above\n\n---\n\nbelow", "Above --- below"),
        ("```\ncode\n```", "code"),  # no fence: a code span across the lines
        ("    indented **bold**", "indented bold"),
        ("Title\n===", "Title ==="),
        ("Title\n---", "Title ---"),
        ("[a]: https://x.org\n\n[a]", "[a]: https://x.org [a]"),
        ("~~kept~~ | a | b |\n|---|---|", "~~kept~~ | a | b | |---|---|"),  # no extension
        ("    # Indented heading\n\n<div>\n- raw\n</div>", "Indented heading - raw"),
        ("line one\r\nline two\r\n\r\n1) three", "line one line two 1) three"),
        ('See [the report](https://x.org/r\n"Report").', "See the report."),
        # CommonMark 0.29's rule (cmark-gfm): "_" right after a symbol opens no emphasis;
        # markdown-it-py follows 0.31, where symbols count as punctuation, and gave "🎙word".
        ("\U0001f399_word_", "\U0001f399_word_"),
        ("", ""),
    ],
)
def test_plain_text(source: str, expected: str) -> None:
    assert plain_text(source) == expected


def test_plain_text_of_rendered_notes_reads_like_the_notes() -> None:
    html = render_notes(body_of(DATA / "edt-189-en.md"), base_url=BASE)
    text = plain_text(html)
    assert text.startswith("This episode delicately examines")
    assert "The Evolution of High-Performance Computing In the last ten years" in text


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (100, "The quick brown fox, jumps over."),  # fits: unchanged
        (32, "The quick brown fox, jumps over."),  # exactly the limit
        (31, "The quick brown fox, jumps…"),  # cut inside "over.": back to the word
        (21, "The quick brown fox…"),  # trailing comma dropped before the ellipsis
        (10, "The quick…"),  # cut falls on a space: the whole word stays
        (4, "The…"),
        (3, "Th…"),  # no word fits: hard cut
        (1, "…"),
    ],
)
def test_plain_text_cuts_at_a_word_boundary(limit: int, expected: str) -> None:
    assert plain_text("The quick brown fox, jumps over.", limit=limit) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Fish and chips. More", 15, "Fish and chips\u2026"),  # a full stop ends the word
        ("Fish and chips.More", 15, "Fish and\u2026"),  # "chips.More" is one word
        ("don't stop", 4, "don\u2026"),  # one word: hard cut, even inside "don't"
        ("We don't stop", 6, "We\u2026"),  # an apostrophe does not end a word
    ],
)
def test_plain_text_word_boundaries(text: str, limit: int, expected: str) -> None:
    assert plain_text(text, limit=limit) == expected


def test_plain_text_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="limit"):
        plain_text("text", limit=0)


# --- properties ----------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>", "<script", "<SCRIPT SRC=x>", "javascript:", "JaVaScRiPt:alert(1)",
    "java\tscript:", "data:", "data:image/png;base64,AAAA", "data:text/html,<b>", "<img src=",
    "<a href=", "<a href='", "onerror=", '"', "'", "<", ">", "](", "[x", ")", "![", "{%", "%}",
    "{{", "}}", "<details>", "</details>", "<summary>", "\n", "\n\n", "---", "&#1;", "&#0;",
    "&#xFFFE;", "&#xD800;", "\x00", "\x0b", "\ufffe", "\ud800", "`", "<!--", "-->", "<iframe>",
    "//", "#", "    ", "* ", "1. ", "> ", "|", "~~", "<pre>", "&", "&amp;", "<svg onload=x>",
    "<math>", "<div>", "</div>", " ", "é", "\U0001f399",
]  # fmt: skip
hostile_text = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(HOSTILE)), max_size=40).map(
    "".join
)


@settings(deadline=None, max_examples=300)
@given(hostile_text)
def test_render_notes_never_emits_unsafe_or_invalid_output(body: str) -> None:
    html = render_notes(body, base_url=BASE)
    assert "<script" not in html.lower()
    assert all(is_xml_char(c) for c in html)
    assert html == html.strip()
    for element in parse(html).iter():
        for name, value in element.attrib.items():
            assert name in {"href", "src", "alt", "start"}
            if name in {"href", "src"}:
                assert value.startswith(("https://", "http://", "mailto:")), value


@settings(deadline=None, max_examples=200)
@given(hostile_text, st.one_of(st.none(), st.integers(min_value=1, max_value=50)))
def test_plain_text_never_raises_and_respects_the_limit(source: str, limit: int | None) -> None:
    text = plain_text(source, limit=limit)
    assert all(is_xml_char(c) for c in text)
    assert "  " not in text and text == text.strip()
    if limit is not None:
        assert len(text) <= limit
