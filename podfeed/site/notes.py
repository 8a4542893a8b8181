"""Show notes: the Markdown body of an episode file -> small, safe HTML for ``content:encoded``.

Podcast apps show ``content:encoded`` with very little markup (Apple lists p, ol, ul, li and a),
and the episode bodies were written for a Jekyll page, not for a feed: they carry Liquid tags,
player embeds, raw HTML, empty transcript blocks and sometimes multi-megabyte base64 images.
The pipeline is

1. :func:`~podfeed.site.text.strip_xml_invalid` on the input (nh3 cannot take lone surrogates);
2. remove Liquid (``{% ... %}``, ``{{ ... }}``, ``{% comment %}`` blocks; ``{% raw %}`` keeps its
   text) and the empty ``<div>`` the player includes leave at the top;
3. shrink ``data:`` URIs to their header, so no later step ever touches a 10 MB payload;
4. Markdown -> HTML with cmark-gfm (CommonMark + tables + strikethrough, raw HTML on);
5. sanitise with nh3 (Ammonia): a short allow-list, http/https/mailto only, URLs made absolute;
6. small post-passes on nh3's normalised output: drop images without a usable ``src`` (``data:``,
   ``javascript:``), unwrap links without ``href``, drop empty ``<details>`` blocks and unwrap the
   others, drop empty paragraphs and the leading/trailing ``<hr>`` left by the player block.

Decisions (each one is tested in ``tests/test_notes.py``):

- ``<img>`` is kept (``src``, ``alt``): Apple ignores it, but several apps show pictures in notes
  and it costs nothing; an image whose ``src`` is dropped (``data:``, ``javascript:``) disappears.
- ``<details>``/``<summary>`` are not kept (Apple does not render them): an empty block (the
  "Podcast Transcript" stub in every corpus file) goes entirely; a block with content is unwrapped
  and its summary becomes a bold paragraph.
- Relative links and images resolve against ``base_url`` (the episode page) exactly as a browser on
  that page would, ``#fragment`` links included: a feed reader has no page to scroll, so a bare
  fragment would go nowhere. Protocol-relative ``//host/x`` becomes ``https://host/x``.
- No ``rel`` is added to links (nh3's default ``noopener noreferrer`` is dropped): the output is not
  a web page with ``target=_blank``, and apps strip attributes anyway; fewer bytes per link.
- Strikethrough is parsed (so ``~~`` does not show) but ``<s>`` is not allowed: the text stays.

:func:`plain_text` (text for summaries) reads inline Markdown only, with the same engine: cmark-gfm
is podfeed's one Markdown engine.
"""

from __future__ import annotations

import functools
import html
import re
from contextvars import ContextVar
from urllib.parse import urljoin, urlsplit

import cmarkgfm.cmark as cmark
import nh3

from podfeed.site.text import strip_xml_invalid

__all__ = ["join_url", "plain_text", "render_notes"]


# --- URLs ---------------------------------------------------------------------------------------

# ``urljoin`` costs several microseconds a call and runs for every relative link and image of
# every episode. For the usual shapes the result is plain concatenation:
# - a base made of a lower-case http(s) scheme, a host (and port) and a path whose directory
#   segments are non-empty and not "." or "..": ``urljoin`` keeps everything up to the last "/";
# - a reference made of such segments (the last may be followed by "/"), with nothing that
#   could start a scheme, a host, a query, a fragment or parameters (":" "//" "?" "#" ";"),
#   nothing ``urlsplit`` strips (whitespace, controls) and no segment "." or "..": ``urljoin``
#   appends it unchanged.
# Anything else goes to ``urljoin`` itself (tests/test_notes.py compares the two).
_PLAIN_BASE = re.compile(
    r"(https?://[A-Za-z0-9.-]+(?::[0-9]+)?/(?:(?!\.\.?/)[A-Za-z0-9_.~%-]+/)*)[A-Za-z0-9_.~%-]*"
)
_PLAIN_SEGMENT = r"(?!\.\.?(?:/|\Z))[A-Za-z0-9_.~%-]+"
_PLAIN_REFERENCE = re.compile(rf"{_PLAIN_SEGMENT}(?:/{_PLAIN_SEGMENT})*/?")


@functools.lru_cache(maxsize=1024)
def _plain_directory(base: str) -> str | None:
    """What ``urljoin(base, reference)`` puts before a plain reference, or ``None`` if unsure."""
    match = _PLAIN_BASE.fullmatch(base)
    return None if match is None else match.group(1)


def join_url(base: str, reference: str) -> str:
    """``urllib.parse.urljoin(base, reference)``, without its cost in the common cases."""
    if _PLAIN_REFERENCE.fullmatch(reference):
        directory = _plain_directory(base)
        if directory is not None:
            return directory + reference
    return urljoin(base, reference)


# --- Liquid -------------------------------------------------------------------------------------

_LIQUID_OPENERS = {
    frozenset({"%}", "}}"}): re.compile(r"\{[%{]"),
    frozenset({"%}"}): re.compile(r"\{%"),
    frozenset({"}}"}): re.compile(r"\{\{"),
}
_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
_END_TAG = {
    "comment": re.compile(r"\{%-?\s*endcomment\s*-?%\}"),
    "raw": re.compile(r"\{%-?\s*endraw\s*-?%\}"),
}


def _remove_liquid(text: str) -> str:
    """Remove Liquid tags and output markup the way Jekyll's rendering would make them vanish.

    ``{% comment %}`` blocks go with their content; ``{% raw %}`` blocks keep theirs verbatim. An
    unterminated ``{%`` or ``{{`` stays as text. A hand-written scanner rather than
    ``re.sub(r"\\{%.*?%\\}")``: a lazy pattern rescans to the end of the text for every
    unterminated opening, which is quadratic on hostile input. Here each closer is searched for
    once per tag, and once a closer is missing, openings of that kind are no longer looked for.
    """
    if "{" not in text:
        return text
    out: list[str] = []
    pos = 0
    closers = {"%}", "}}"}  # closers that may still occur after ``pos``
    missing_end_tags: set[str] = set()
    while closers and (match := _LIQUID_OPENERS[frozenset(closers)].search(text, pos)):
        start = match.start()
        closer = "%}" if match.group() == "{%" else "}}"
        end = text.find(closer, start + 2)
        if end == -1:
            closers.discard(closer)
            continue
        out.append(text[pos:start])
        pos = end + 2
        name = _TAG_NAME.match(text, start) if closer == "%}" else None
        block = name.group(1) if name else ""
        if block in _END_TAG and block not in missing_end_tags:
            end_tag = _END_TAG[block].search(text, pos)
            if end_tag is None:
                missing_end_tags.add(block)
            else:
                if block == "raw":
                    out.append(text[pos : end_tag.start()])
                pos = end_tag.end()
    out.append(text[pos:])
    return "".join(out)


# What is left of the player block once its includes are gone: an empty <div> (or several) at the
# very top. Removed before Markdown so that a "---" right under "</div>" (no blank line between)
# becomes a rule that _trim_edges drops, not literal text inside an HTML block.
_EMPTY_WRAPPERS = re.compile(r"\A\s*(?:<div\b[^>]*>\s*</div>\s*)+", re.I)


def _drop_empty_wrappers(text: str) -> str:
    return _EMPTY_WRAPPERS.sub("", text)


# --- data: URIs ---------------------------------------------------------------------------------

# RFC 2397: data:[<mediatype>][;base64],<data>. The payload runs to the first character that
# cannot be inside a Markdown link destination or a quoted attribute value. Every part is a
# character class bounded by a different delimiter, so matching is linear (no backtracking).
_DATA_URI = re.compile(
    r"(?i)\bdata:((?:[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)?(?:;[a-z0-9!#$&^_.+=-]+)*,)"
    r"[^\s\"'<>()\\]*"
)


def _shrink_data_uris(text: str) -> str:
    """Keep only the header of every ``data:`` URI (``data:image/png;base64,``).

    Real bodies embed 1-3 MB base64 pictures; cutting the payload first keeps the Markdown parser
    and the sanitiser on a small input. The sanitiser then drops the ``data:`` URL (scheme not
    allowed) and the empty image goes with it.
    """
    if not _may_hold_data_uri(text):
        return text
    return _DATA_URI.sub(r"data:\1", text)


# Past this many colons the regex itself is the cheaper test.
_DATA_URI_MAX_COLONS = 64


def _may_hold_data_uri(text: str) -> bool:
    """False when ``text`` certainly has no ``data:`` in any letter case, so the case-insensitive
    regex (about 70 µs on a 6 KB body) need not scan it. Only ``D``, ``A``, ``T`` and their
    lower-case forms match those letters case-insensitively, so ``.lower()`` decides exactly.
    """
    colon = text.find(":", 4)
    for _ in range(_DATA_URI_MAX_COLONS):
        if colon < 0:
            return False
        if text[colon - 4 : colon].lower() == "data":
            return True
        colon = text.find(":", colon + 1)
    return colon >= 0


# --- Markdown -----------------------------------------------------------------------------------

# cmark-gfm (GitHub's C CommonMark implementation) renders CommonMark about ten times faster than
# a Python parser, and show notes are most of a cold build's time. Raw HTML passes (UNSAFE)
# because nh3 is the single sanitising gate, for link schemes too; GFM's "tagfilter" is left out
# for the same reason: it would turn <script> into visible text instead of letting nh3 drop it.
_CMARK_OPTIONS = cmark.Options.CMARK_OPT_UNSAFE
_GFM_EXTENSIONS = ["table", "strikethrough"]


def _may_use_extensions(text: str) -> bool:
    """False when neither extension can apply: a table needs ``|`` (its delimiter row) and
    strikethrough ``~``. Without them cmark renders the same HTML with no extension attached,
    which saves a sixth of its time (tests/test_parse_equivalence.py compares the two)."""
    return "|" in text or "~" in text


def _render_markdown(text: str, *, extensions: bool = True) -> str:
    """cmark's HTML for ``text``, with the table and strikethrough extensions if ``extensions``."""
    try:
        if not (extensions and _may_use_extensions(text)):
            return cmark.markdown_to_html(text, options=_CMARK_OPTIONS)
        return cmark.markdown_to_html_with_extensions(
            text, options=_CMARK_OPTIONS, extensions=_GFM_EXTENSIONS
        )
    except UnicodeDecodeError as exc:
        # cmark writes the non-characters U+FFFE and U+FFFF, which only a numeric reference
        # (&#xFFFE;) can name once the input is cleaned, as the single bytes 0xFE and 0xFF: not
        # UTF-8. The rest of its output is, so each such byte becomes U+FFFD, CommonMark's
        # stand-in for a code point it cannot use. Code and raw HTML tags keep the reference as
        # written: cmark does not decode references there.
        return bytes(exc.object).decode("utf-8", "replace")


# --- sanitising ---------------------------------------------------------------------------------

_ALLOWED_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "code", "pre", "hr", "img",
    "table", "thead", "tbody", "tr", "th", "td",
    "details", "summary",  # kept only until _resolve_details unwraps or drops them
}  # fmt: skip
# Removed together with their content: code, players, vector art and form widgets are noise.
_DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "noscript", "template", "object", "embed", "svg", "math",
    "textarea", "select", "title",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "ol": {"start"}}
_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}
# Absolute links, most of those in show notes. ``urlsplit`` refuses only an unbalanced bracket
# in the host or a non-ASCII host that NFKC normalisation changes: neither without "[", "]" or
# a non-ASCII character.
_WEB_SCHEMES = ("https://", "http://")

# The episode page the current render_notes call resolves against. nh3 calls the attribute filter
# synchronously in the calling thread, so a ContextVar lets one module-level Cleaner serve every
# call (and every thread) with its own base URL.
_BASE_URL: ContextVar[str] = ContextVar("_BASE_URL", default="")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: make ``href``/``src`` absolute; nh3 has already vetted the scheme.

    ``<`` and ``>`` never reach the output inside a value (percent-encoded in URLs, removed from
    alt text), so the post-passes below can rely on ``>`` ending a tag whatever nh3's serialiser
    does with attribute values.
    """
    if (tag, attribute) not in _URL_ATTRIBUTES:
        return value.replace("<", "").replace(">", "")
    url = value.strip().replace("<", "%3C").replace(">", "%3E")
    if url.startswith("//"):
        url = "https:" + url
    elif url.startswith(_WEB_SCHEMES) and url.isascii() and "[" not in url and "]" not in url:
        return url  # what the check below gives: a scheme, and nothing urlsplit could refuse
    try:
        if urlsplit(url).scheme:
            return url
        return join_url(_BASE_URL.get(), url)
    except ValueError:  # e.g. an unbalanced "[" in the host: not a URL at all
        return None


_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
)

# --- post-passes on nh3's output ----------------------------------------------------------------
# nh3 serialises a normalised tree: attributes double-quoted, "<" escaped in text, no "<" or ">"
# in attribute values (see _filter_attribute), every element closed, no comments. That makes
# these small patterns exact and linear.

_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')
_LINK_WITHOUT_HREF = re.compile(r"<a>(.*?)</a>", re.S)
_DETAILS = re.compile(r"<details>(.*?)</details>", re.S)
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
_PRE = re.compile(r"(<pre>.*?</pre>)", re.S)
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_TAG = re.compile(r"<[^>]*>")
_EDGE_NOISE = ("<hr>", "<br>")


def _is_blank(fragment: str) -> bool:
    """True when an HTML fragment shows nothing: no text (``&nbsp;`` counts as space), no image."""
    return "<img" not in fragment and not html.unescape(_TAG.sub("", fragment)).strip()


def _drop_empty_details(match: re.Match[str]) -> str:
    inner = match.group(1)
    if "<details>" in inner:  # nested: the lazy match is not one block, leave it to the unwrap
        return match.group(0)
    return "" if _is_blank(_SUMMARY.sub("", inner)) else match.group(0)


def _summary_as_paragraph(match: re.Match[str]) -> str:
    text = _TAG.sub("", match.group(1)).strip()
    return f"<p><strong>{text}</strong></p>" if text else ""


# The first tag _resolve_details works on: the text before it is never touched.
_DETAILS_TAGS = ("<details>", "</details>", "<summary>")
_DETAILS_TAG = re.compile("|".join(_DETAILS_TAGS))


def _resolve_details(fragment: str) -> str:
    """Drop ``<details>`` blocks with nothing but a summary; unwrap the rest (summary -> bold p).

    Only the part from the first details or summary tag on is rewritten (usually the transcript
    stub at the very end), so that the rewrites do not each scan the whole notes. Unless the part
    before ends in half such a tag, which a removal could complete: then all of it is rewritten.
    """
    first = _DETAILS_TAG.search(fragment)
    if first is None:
        return fragment
    head, tail = fragment[: first.start()], fragment[first.start() :]
    if "<details>" not in tail:
        return fragment
    # Each tag has one "<", its first character: half a tag would start at the last "<".
    half = head[head.rfind("<", max(0, len(head) - len("</details>"))) :] if head else ""
    if half.startswith("<") and any(tag.startswith(half) for tag in _DETAILS_TAGS):
        return _rewrite_details(fragment)
    return head + _rewrite_details(tail)


def _rewrite_details(fragment: str) -> str:
    fragment = _DETAILS.sub(_drop_empty_details, fragment)
    fragment = _SUMMARY.sub(_summary_as_paragraph, fragment)
    return fragment.replace("<details>", "").replace("</details>", "")


def _collapse_blank_lines(fragment: str) -> str:
    """One newline between blocks: removed elements leave their line breaks behind.

    Blank lines are insignificant in HTML except inside ``<pre>`` (the only element left that can
    hold them: Markdown paragraphs never do), so those parts are kept as they are.
    """
    if "<pre>" not in fragment:
        return _collapse(fragment)
    parts = _PRE.split(fragment)  # odd indexes are the <pre> blocks
    return "".join(part if index % 2 else _collapse(part) for index, part in enumerate(parts))


def _collapse(text: str) -> str:
    """``_BLANK_LINES.sub("\\n", text)``, rebuilding only the text from the first match on
    (usually near the end, where a removed transcript block was). Searching is cheap,
    substituting copies the text in pieces."""
    first = _BLANK_LINES.search(text)
    if first is None:
        return text
    start = first.start()
    return text[:start] + _BLANK_LINES.sub("\n", text[start:])  # no anchor, no lookbehind


def _trim_edges(fragment: str) -> str:
    """Remove rules and breaks at the very start and end: the ``---`` under the player block."""
    fragment = fragment.strip()
    changed = True
    while changed:
        changed = False
        for noise in _EDGE_NOISE:
            if fragment.startswith(noise):
                fragment, changed = fragment[len(noise) :].lstrip(), True
            if fragment.endswith(noise):
                fragment, changed = fragment[: -len(noise)].rstrip(), True
    return fragment


def render_notes(body: str, *, base_url: str) -> str:
    """Markdown body of an episode file -> safe HTML for ``content:encoded``.

    ``base_url`` is the episode page URL; relative links and images resolve against it. The
    result is deterministic, has no leading or trailing whitespace and is valid XML text.

    >>> render_notes('<div>{% include youtube.html id="x" %}</div>\\n\\n---\\n\\n## Hi\\n\\n'
    ...              '[more](more.html)', base_url="https://example.org/ep/1")
    '<h2>Hi</h2>\\n<p><a href="https://example.org/ep/more.html">more</a></p>'
    """
    text = _drop_empty_wrappers(_remove_liquid(strip_xml_invalid(body)))
    text = _shrink_data_uris(text)
    rendered = _render_markdown(text)
    token = _BASE_URL.set(base_url)
    try:
        cleaned = strip_xml_invalid(_CLEANER.clean(rendered))  # &#1; decodes to U+0001
    finally:
        _BASE_URL.reset(token)
    if "<img" in cleaned:  # both patterns start with these literal characters
        cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    if "<a>" in cleaned:
        cleaned = _LINK_WITHOUT_HREF.sub(r"\1", cleaned)
    cleaned = _resolve_details(cleaned)
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned)
    return _trim_edges(_collapse_blank_lines(cleaned))


# --- plain text ---------------------------------------------------------------------------------


# Only inline Markdown is interpreted for plain text: summaries are prose, and block rules would
# eat what a writer meant literally ("10. Big things" would lose its "10." as a list marker, a
# "> " or a "---" line would vanish). ATX headings and raw HTML blocks are still understood, and
# neither extension applies ("~~" and "|" stay). cmark has no switch for that, so every line that
# could open another block (a list, quote, rule, fence, setext underline, reference definition,
# indented code) starts with a FIGURE SPACE: cmark reads such a line as paragraph text, and the
# mark is whitespace, which plain text collapses with the line break before it. A line starting
# with "#" or "<" loses its indentation instead: with no code blocks, a heading or an HTML block
# may be indented.
_PARAGRAPH_MARK = "\u2007"
_MAY_OPEN_BLOCK = re.compile(r"[ \t]*[->+*_=~`0-9\[]| {4}| {0,3}\t")


def _as_paragraph_text(line: str) -> str:
    stripped = line.lstrip(" \t")
    if not stripped:
        return line  # blank: it still ends a paragraph
    if stripped[0] in "#<":
        return stripped
    return _PARAGRAPH_MARK + line if _MAY_OPEN_BLOCK.match(line) else line


def _render_inline_markdown(text: str) -> str:
    """HTML of ``text`` read as paragraphs of inline Markdown, ATX headings and HTML blocks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _render_markdown("\n".join(map(_as_paragraph_text, lines)), extensions=False)


_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=_DROPPED_WITH_CONTENT, attributes={})
# A space before every block-level tag, so "<p>a</p><p>b</p>" reads "a b", not "ab".
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|hr|details|summary)\b)",
    re.I,
)
_TRAILING_PUNCTUATION = " \t\n,;:.!?-\u2013\u2014"


def _ends_word(text: str, index: int) -> bool:
    """True when a cut just before ``text[index]`` falls between words, not inside one.

    Trailing punctuation counts as a boundary ("twice." may lose its full stop), an apostrophe
    inside a word ("don't") does not.
    """
    char = text[index]
    if char.isspace():
        return True
    return not char.isalnum() and (index + 1 == len(text) or text[index + 1].isspace())


def _cut(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, ending with ``…``."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]  # room for the ellipsis
    if not _ends_word(text, limit - 1) and " " in head:  # inside a word: back up to its start
        head = head[: head.rindex(" ")]
    return head.rstrip(_TRAILING_PUNCTUATION) + "…"


def plain_text(html_or_markdown: str, *, limit: int | None = None) -> str:
    """Plain text for summaries and description fallbacks.

    Tags are removed (script/style with their content), entities decoded, inline Markdown
    (emphasis, links, code) reduced to its text and all whitespace collapsed to single spaces.
    With ``limit`` (in characters, ``>= 1``) a longer text is cut at a word boundary and ends
    with ``…``; the result is then never longer than ``limit``.

    >>> plain_text("**Fish &amp; chips**, <i>twice</i>.\\n\\nThen   more.", limit=20)
    'Fish & chips, twice…'

    :raises ValueError: if ``limit`` is less than 1.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    text = _shrink_data_uris(strip_xml_invalid(html_or_markdown))
    rendered = _BLOCK_TAG.sub(" <", _render_inline_markdown(text))
    # Entities such as &#1; decode to forbidden characters: drop them before collapsing spaces.
    text = " ".join(strip_xml_invalid(html.unescape(_TEXT_CLEANER.clean(rendered))).split())
    return text if limit is None else _cut(text, limit)
