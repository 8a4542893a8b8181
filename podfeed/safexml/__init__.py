"""Reading XML nobody vouches for: Transistor's feed, the feeds on disk the guard compares, the
feeds ``podfeed validate`` is given.

In: bytes or a binary stream. Out: an lxml tree (or a streaming parser), read with the one set
of parser options every such read uses, or :class:`DeclaresEntities` / lxml's
``XMLSyntaxError`` saying why it was not read. Having the options in one place keeps a new
reader from forgetting one of them.
"""

from __future__ import annotations

from typing import BinaryIO

from lxml import etree

__all__ = ["DeclaresEntities", "declares_entities", "iterparse_safely", "parse_untrusted"]

# resolve_entities=False keeps entity declarations from expanding (billion laughs) or reading
# files (external entities); load_dtd=False and no_network=True keep the parser offline;
# huge_tree=False keeps libxml2's limits on single text nodes; comments and processing
# instructions are dropped, so element text is only what the document says.
_OPTIONS = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


class DeclaresEntities(Exception):
    """The document declares XML entities: refused, since they are how billion-laughs and
    external-entity attacks work, and no feed needs them."""


def declares_entities(data: bytes) -> bool:
    """A cheap look at the DOCTYPE's internal subset before libxml2 sees it."""
    start = data.find(b"<!DOCTYPE")
    if start < 0:
        return False
    end = data.find(b"]>", start)
    return b"<!ENTITY" in data[start : end if end > 0 else len(data)]


def parse_untrusted(data: bytes) -> etree._Element:
    """The root element of ``data``.

    :raises DeclaresEntities: the DOCTYPE declares entities (seen in the bytes, or, for
        encodings the byte check cannot read such as UTF-16, in the parsed DTD).
    :raises etree.XMLSyntaxError: the document is not well-formed.
    """
    if declares_entities(data):
        raise DeclaresEntities
    # A new parser per call: lxml parsers are not thread-safe.
    root = etree.fromstring(data, etree.XMLParser(**_OPTIONS))
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise DeclaresEntities
    return root


def iterparse_safely(source: BinaryIO, events: tuple[str, ...]) -> etree.iterparse:
    """lxml's streaming parse with the same options (the validator reports entity
    declarations itself, so they are not refused here)."""
    return etree.iterparse(source, events=events, **_OPTIONS)
