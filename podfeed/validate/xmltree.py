"""Reading a feed's XML: the namespaces podfeed knows, how messages write a tag, element
helpers tolerant of comments and entity references, and the safe streaming parser (from
:mod:`podfeed.safexml`, where every read of an untrusted document gets its options).

The engine, the rules and the network checks read feeds only through these, so every one of
them sees namespaces, tags and text the same way.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TypeAlias

from lxml import etree

from podfeed.safexml import iterparse_safely

__all__ = [
    "ATOM_NS",
    "CONTENT_NS",
    "ITUNES_NS",
    "LEGACY_ITUNES_NS",
    "LEGACY_PODCAST_NS",
    "NAMESPACE_ALIASES",
    "PODCAST_NS",
    "PREFIXES",
    "Element",
    "attr",
    "child",
    "children",
    "elements",
    "feed_items",
    "iterparse_safely",
    "local_name",
    "namespace",
    "qualified",
    "qualified_tag",
    "text",
]

Element: TypeAlias = etree._Element

# The exact namespace URIs readers match (case-sensitive, as XML namespaces are).
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Other spellings readers treat as the same namespace: Apple's own 2005 capitalisation (still
# in real feeds, and read by Apple), and the address the Podcasting 2.0 namespace document says
# clients must treat as identical to its own. The engine reads their tags as the canonical ones.
LEGACY_ITUNES_NS = "http://www.itunes.com/DTDs/Podcast-1.0.dtd"
LEGACY_PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
NAMESPACE_ALIASES = {LEGACY_ITUNES_NS: ITUNES_NS, LEGACY_PODCAST_NS: PODCAST_NS}
# How messages write the namespaces podfeed knows, whatever prefix a feed declares.
PREFIXES = {ITUNES_NS: "itunes", PODCAST_NS: "podcast", ATOM_NS: "atom", CONTENT_NS: "content"}


def feed_items(feed: bytes) -> Iterator[Element]:
    """Each ``<item>`` of a channel, complete, then each ``<channel>`` (its items gone), read
    from ``feed`` as a stream with :func:`iterparse_safely`'s options; an item is freed once the
    caller has moved on, so a 50 MB feed is read in little memory. The network checks find
    their artwork and enclosures this way.

    :raises lxml.etree.XMLSyntaxError: the feed is not well-formed (from where it breaks).
    """
    for _event, node in iterparse_safely(io.BytesIO(feed), ("end",)):
        parent = node.getparent()
        if parent is None:
            continue
        if node.tag == "item" and parent.tag == "channel":
            yield node
            node.clear(keep_tail=False)
            parent.remove(node)
        elif node.tag == "channel":
            yield node


# --- element helpers: tolerant of comments, entity references and processing instructions ---


def elements(parent: Element) -> Iterator[Element]:
    """Child elements only (comments, PIs and unexpanded entity references have non-str tags)."""
    for node in parent:
        if isinstance(node.tag, str):
            yield node


def children(parent: Element | None, tag: str) -> list[Element]:
    """Child elements with the Clark-notation tag (``{ns}local``, or ``local`` for RSS core)."""
    if parent is None:
        return []
    return list(parent.iterchildren(tag))  # filtered in C: only elements with that exact tag


def child(parent: Element | None, tag: str) -> Element | None:
    if parent is None:
        return None
    return next(parent.iterchildren(tag), None)


def text(element: Element | None) -> str | None:
    """All text inside an element (including CDATA), or None when the element is absent."""
    if element is None:
        return None
    if not len(element):  # no child nodes at all: the text is the element's own (CDATA too)
        return element.text or ""
    return "".join(element.itertext())


def attr(element: Element | None, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(name)
    return None if value is None else str(value)


def _split(tag: str) -> tuple[str | None, str]:
    # Not etree.QName: after a namespace error libxml2 still hands over tags like
    # "itunes:image", which QName refuses; the parse error itself is reported separately.
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return None, tag


def local_name(element: Element) -> str:
    return _split(str(element.tag))[1]


def namespace(element: Element) -> str | None:
    return _split(str(element.tag))[0]


def qualified(element: Element) -> str:
    """The tag as people write it (``itunes:image``), for messages."""
    return qualified_tag(str(element.tag), element.prefix)


def qualified_tag(tag: str, prefix: str | None = None) -> str:
    """A Clark-notation tag as people write it: a known namespace by its usual prefix.

    >>> qualified_tag("{http://www.itunes.com/dtds/podcast-1.0.dtd}image"), qualified_tag("link")
    ('itunes:image', 'link')
    """
    uri, local = _split(tag)
    if uri is None:
        return local
    known = PREFIXES.get(uri) or prefix
    return f"{known}:{local}" if known else local
