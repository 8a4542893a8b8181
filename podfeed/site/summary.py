"""The summary fallback: the first prose paragraph of the show notes, as one line of plain text.

An episode whose ``summary:`` and ``description:`` are missing or a placeholder word still needs
a description in the feed; the start of its show notes is the best the file offers.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["first_paragraph"]

# These regexes never scan past the next brace/bracket of their own kind, so a body full of
# unclosed `{%`, `[` or `<` is still read in linear time.
_LIQUID = re.compile(r"\{%[^{}]*%\}|\{\{[^{}]*\}\}")
# Show-notes text for the summary fallback: blocks are runs of non-blank lines.
_BLOCK = re.compile(r"(?:^[ \t]*\S[^\n]*(?:\n|\Z))+", re.MULTILINE)
_LINE_MARKER = re.compile(r"^\s*(?:>\s*|[-*+]\s+|\d{1,9}[.)]\s+)*")  # quote and list markers
_NOT_PROSE = re.compile(
    r"\s*(?:#.*|[-*_](?:\s*[-*_]){2,}|=+|(?:\{%[^{}]*%\}|\{\{[^{}]*\}\}|</?[A-Za-z][^<>]*>|\s)*)"
)
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_MD_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\([^()\n]*\)")
# The summary fallback only looks at the start of the notes: bounded work on any body.
_FALLBACK_SCAN_CHARS = 200_000
_FALLBACK_MAX_BLOCKS = 500
_FALLBACK_BLOCK_CHARS = 20_000
_FALLBACK_MAX_CHARS = 1_000  # Apple shows a few lines; the show notes carry the rest
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*(?:>|\Z)")  # also a tag cut off by the block limit
_MD_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`+")


def first_paragraph(body: str) -> str:
    """The first prose paragraph of Markdown show notes as one line of plain text.

    Liquid tags, raw HTML blocks, headings and rules are skipped; link text is kept. A plain
    block scanner rather than a Markdown parser: it must stay linear on hostile bodies (a full
    parser is quadratic on some inputs, e.g. thousands of unclosed ``{%``).

    >>> first_paragraph('{% include a.html %}\\n\\n---\\n## Hi\\n\\nSee [this](u) *now*.\\n')
    'See this now.'
    """
    blocks = _BLOCK.finditer(body, 0, _FALLBACK_SCAN_CHARS)
    for block in itertools.islice(blocks, _FALLBACK_MAX_BLOCKS):
        start = block.group()[:_FALLBACK_BLOCK_CHARS]
        if start.lstrip().startswith("<"):  # raw HTML block (<div>, <details>, <img>)
            continue
        lines = (_LINE_MARKER.sub("", line, count=1) for line in start.split("\n"))
        prose = " ".join(line for line in lines if line and not _NOT_PROSE.fullmatch(line))
        text = " ".join(_inline_text(prose).split())
        if text:
            return _shorten(text, _FALLBACK_MAX_CHARS)
    return ""


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _inline_text(markdown: str) -> str:
    text = _LIQUID.sub(" ", markdown)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\g<text>", text)
    text = _HTML_TAG.sub("", text)
    return _MD_EMPHASIS.sub("", text)
