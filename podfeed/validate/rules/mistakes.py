"""Common mistakes: look-alike namespace URIs, tags in the wrong namespace, HTML in plain text.

Pass: ``xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"``, ``<guid>``,
``<title>Fish &amp; Chips</title>``.

Fail: ``xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"`` (itunes-namespace: Apple
then ignores every itunes tag), ``xmlns:podcast="https://podcastindex.org/namespace/1.0/"``
(podcast-namespace), ``<itunes:guid>`` or an un-prefixed ``<duration>`` (wrong-namespace),
``<itunes:episodetype>`` (itunes-unknown-element). (HTML in plain-text fields is html-in-text,
in :mod:`podfeed.validate.rules.vocabulary`.)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.vocabulary import BARE_ITUNES
from podfeed.validate.xmltree import (
    ITUNES_NS,
    LEGACY_ITUNES_NS,
    LEGACY_PODCAST_NS,
    PODCAST_NS,
    Element,
)

RULES = RuleSet()

ITUNES_NAMESPACE = RULES.rule(
    "itunes-namespace",
    Level.ERROR,
    "the itunes namespace URI must be exactly http://www.itunes.com/dtds/podcast-1.0.dtd "
    "(Apple's 2005 capitalisation is a warning: Apple still reads it)",
    sources.APPLE_RSS,
)
PODCAST_NAMESPACE = RULES.rule(
    "podcast-namespace",
    Level.WARNING,
    "the podcast namespace URI must be exactly https://podcastindex.org/namespace/1.0",
    sources.PODCAST_NAMESPACE,
)
WRONG_NAMESPACE = RULES.rule(
    "wrong-namespace",
    Level.WARNING,
    "a known tag is written in the wrong namespace and is ignored",
    sources.APPLE_RSS,
)
UNKNOWN_ITUNES = RULES.rule(
    "itunes-unknown-element",
    Level.WARNING,
    "an itunes: tag Apple does not define (often a misspelling) is ignored",
    sources.APPLE_RSS,
)

# Tags of Apple's podcast namespace (current and deprecated-but-read ones).
ITUNES_TAGS = frozenset(
    {
        "applepodcastsverify",
        "author",
        "block",
        "category",
        "complete",
        "duration",
        "email",
        "episode",
        "episodeType",
        "explicit",
        "image",
        "isClosedCaptioned",
        "keywords",
        "name",
        "new-feed-url",
        "order",
        "owner",
        "season",
        "subtitle",
        "summary",
        "title",
        "type",
    }
)
# RSS 2.0 elements that people put under itunes:/podcast: by mistake (where they are ignored).
RSS_ONLY_TAGS = frozenset(
    {
        "comments",
        "copyright",
        "description",
        "docs",
        "enclosure",
        "generator",
        "guid",
        "language",
        "lastBuildDate",
        "link",
        "managingEditor",
        "pubDate",
        "ttl",
        "webMaster",
    }
)
_PODCAST_MISPLACED = RSS_ONLY_TAGS - {"guid"} | {"explicit", "duration", "author", "category"}
_I, _P = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}"
# Clark tag -> (how it was written, what readers read), for the namespaced mistakes: one dict
# look-up per element instead of splitting every tag.
_MISPLACED = {f"{_I}{name}": (f"itunes:{name}", f"<{name}>") for name in RSS_ONLY_TAGS} | {
    f"{_P}{name}": (f"podcast:{name}", f"<{name}>" if name in RSS_ONLY_TAGS else f"<itunes:{name}>")
    for name in _PODCAST_MISPLACED
}
# Apple's tags folded the way people misspell them (case, hyphens, underscores).
_FOLDED = {tag.lower().replace("-", ""): tag for tag in ITUNES_TAGS}


def _normalised(uri: str) -> str:
    return re.sub(r"[^a-z0-9]", "", uri.lower())


def _lookalikes(
    feed: Feed, prefix: str, marker: str, read: tuple[str, ...]
) -> Iterator[tuple[str, str, int | None]]:
    """Declarations of a namespace URI readers do not ``read`` as the namespace, that are
    meant to be it: declared with its usual ``prefix``, or with a URI naming ``marker``."""
    for declared, uri, line in feed.namespaces:
        if uri not in read and (declared == prefix or marker in _normalised(uri)):
            yield declared or "", uri, line


@RULES.check(ITUNES_NAMESPACE, "document")
def check_itunes_namespace(feed: Feed) -> Iterator[Finding]:
    """A wrong itunes namespace URI, once per declaration.

    Apple's own 2005 spelling (``DTDs/Podcast``) is still read by Apple and by most apps; the
    engine reads its tags as itunes tags, so it is one warning and every itunes rule runs. Any
    other spelling is an error: Apple ignores every itunes: tag in it.
    """
    for prefix, uri, line in _lookalikes(feed, "itunes", "itunescom", (ITUNES_NS,)):
        if uri == LEGACY_ITUNES_NS:
            yield Finding(
                line,
                f"xmlns:{prefix} is {uri!r}, Apple's 2005 capitalisation of the itunes "
                "namespace; Apple still reads it, stricter readers do not",
                f'Write xmlns:itunes="{ITUNES_NS}" exactly (lower case).',
                level=Level.WARNING,
                root=True,
            )
        else:
            yield Finding(
                line,
                f"xmlns:{prefix} is {uri!r}, not the itunes namespace Apple reads",
                f'Write xmlns:itunes="{ITUNES_NS}" exactly (lower case, http, with www.): '
                "otherwise Apple ignores every itunes: tag.",
                root=True,
            )


@RULES.check(PODCAST_NAMESPACE, "document")
def check_podcast_namespace(feed: Feed) -> Iterator[Finding]:
    # The namespace document says clients must treat its GitHub address as identical to the
    # namespace URI: the engine reads those tags as podcast: tags, and nothing is reported.
    read = (PODCAST_NS, LEGACY_PODCAST_NS)
    for prefix, uri, line in _lookalikes(feed, "podcast", "podcastindex", read):
        yield Finding(
            line,
            f"xmlns:{prefix} is {uri!r}, not the Podcasting 2.0 namespace",
            f'Write xmlns:podcast="{PODCAST_NS}" exactly; apps ignore podcast: tags in any '
            "other namespace.",
            root=True,
        )


@RULES.check(WRONG_NAMESPACE, "channel", "item")
def check_wrong_namespace(feed: Feed, kids: Children) -> Iterator[Finding]:
    parent = kids.element
    for node in kids.descendants():
        tag = node.tag
        misplaced = _MISPLACED.get(tag)
        if misplaced is not None:
            yield _wrong(node, *misplaced)
        elif tag in BARE_ITUNES and node.getparent() is parent:  # un-prefixed: no "{uri}"
            yield _wrong(node, tag, f"<itunes:{tag}>")


def _wrong(node: Element, written: str, right: str) -> Finding:
    return Finding(
        node.sourceline,
        f"<{written}> is not a tag readers know; they read {right}",
        f"Write {right} instead of <{written}>.",
    )


@RULES.check(UNKNOWN_ITUNES, "channel", "item")
def check_unknown_itunes(feed: Feed, kids: Children) -> Iterator[Finding]:
    for node in kids.descendants():
        tag = node.tag
        if not tag.startswith(_I):
            continue
        name = tag[len(_I) :]
        if name in ITUNES_TAGS or name in RSS_ONLY_TAGS:
            continue
        guess = _FOLDED.get(name.lower().replace("-", "").replace("_", ""))
        if guess is None:
            close = difflib.get_close_matches(name, sorted(ITUNES_TAGS), n=1, cutoff=0.75)
            guess = close[0] if close else None
        fix = f"Did you mean <itunes:{guess}>? " if guess else ""
        yield Finding(
            node.sourceline,
            f"<itunes:{name}> is not an Apple podcast tag",
            fix + "Apple ignores itunes: tags it does not define (names are case-sensitive).",
        )
