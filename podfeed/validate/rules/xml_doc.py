"""The document as XML: well-formed, UTF-8, and no DOCTYPE tricks.

Pass::

    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0">...</rss>

Fail::

    <?xml version="1.0" encoding="ISO-8859-1"?>            (xml-encoding)
    <!DOCTYPE rss [<!ENTITY a "...">]>                      (xml-entity-declaration)
    <title>Fish &nbsp; Chips</title>                        (xml-well-formed: undefined entity)

``xml-well-formed`` has no check function: the engine reports the parser's error itself, since
nothing else can be checked in a document that does not parse.
"""

from __future__ import annotations

from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import Feed, Finding, RuleSet
from podfeed.validate.rules import sources

RULES = RuleSet()
WELL_FORMED = RULES.rule(
    "xml-well-formed",
    Level.ERROR,
    "the feed must be well-formed XML (every reader rejects a feed that is not)",
    sources.XML,
)
ENCODING = RULES.rule(
    "xml-encoding",
    Level.WARNING,
    "the feed should be encoded as UTF-8",
    sources.APPLE_RSS,
)
DOCTYPE = RULES.rule(
    "xml-doctype",
    Level.WARNING,
    "RSS 2.0 has no DTD; a DOCTYPE is ignored at best",
    sources.RSS,
)
ENTITY_DECLARATION = RULES.rule(
    "xml-entity-declaration",
    Level.ERROR,
    "no entity declarations: readers refuse them (billion laughs, external entities)",
    sources.XML_ENTITIES,
)


@RULES.check(ENCODING, "prologue")
def check_encoding(feed: Feed) -> Iterator[Finding]:
    declared = feed.declared_encoding
    if declared is not None and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        yield Finding(
            1,
            f"the XML declaration says encoding={declared!r}",
            'Save the feed as UTF-8 and declare <?xml version="1.0" encoding="UTF-8"?>.',
        )


@RULES.check(DOCTYPE, "document")
def check_doctype(feed: Feed) -> Iterator[Finding]:
    if feed.doctype and not feed.entity_declarations:
        yield Finding(
            feed.doctype_line,
            f"the feed declares a DOCTYPE ({feed.doctype[:80]})",
            "Remove the <!DOCTYPE ...> line; RSS 2.0 feeds do not use one.",
        )


@RULES.check(ENTITY_DECLARATION, "prologue")
def check_entity_declarations(feed: Feed) -> Iterator[Finding]:
    if feed.entity_declarations:
        names = ", ".join(feed.entity_declarations[:5])
        yield Finding(
            feed.doctype_line,
            f"the DOCTYPE declares entities ({names}); they were not expanded",
            "Remove the DOCTYPE and write the text itself; podcast apps and directories do not "
            "expand custom or external entities.",
        )
