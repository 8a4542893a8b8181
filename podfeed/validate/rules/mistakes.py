"""Common mistakes: look-alike namespace URIs, tags in the wrong namespace, HTML in plain text.

Pass: ``xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"``, ``<guid>``,
``<title>Fish &amp; Chips</title>``.

Fail: ``xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"`` (itunes-namespace: Apple
then ignores every itunes tag), ``xmlns:podcast="https://podcastindex.org/namespace/1.0/"``
(podcast-namespace), ``<itunes:guid>`` or an un-prefixed ``<duration>`` (wrong-namespace),
``<itunes:episodetype>`` (itunes-unknown-element), ``<title><b>Live</b> show</title>`` or
``Fish &amp;amp; Chips`` (html-in-text).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import (
    ITUNES_NS,
    PODCAST_NS,
    Check,
    Children,
    Element,
    Feed,
    Finding,
    Rule,
    local_name,
)
from podfeed.validate.rules import sources

ITUNES_NAMESPACE = Rule(
    "itunes-namespace",
    Level.ERROR,
    "the itunes namespace URI must be exactly http://www.itunes.com/dtds/podcast-1.0.dtd",
    sources.APPLE_RSS,
)
PODCAST_NAMESPACE = Rule(
    "podcast-namespace",
    Level.WARNING,
    "the podcast namespace URI must be exactly https://podcastindex.org/namespace/1.0",
    sources.PODCAST_NAMESPACE,
)
WRONG_NAMESPACE = Rule(
    "wrong-namespace",
    Level.WARNING,
    "a known tag is written in the wrong namespace and is ignored",
    sources.APPLE_RSS,
)
UNKNOWN_ITUNES = Rule(
    "itunes-unknown-element",
    Level.WARNING,
    "an itunes: tag Apple does not define (often a misspelling) is ignored",
    sources.APPLE_RSS,
)
HTML_IN_TEXT = Rule(
    "html-in-text",
    Level.WARNING,
    "title, itunes:title and itunes:author are plain text: no HTML tags or escaped entities",
    sources.RSS_HTML,
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
# itunes tags that are sometimes written without a prefix (RSS 2.0 has no such element).
_BARE_ITUNES = frozenset(
    {"duration", "explicit", "episodeType", "subtitle", "summary", "keywords", "owner"}
)
_PODCAST_MISPLACED = RSS_ONLY_TAGS - {"guid"} | {"explicit", "duration", "author", "category"}
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPED_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{2,6}|#x[0-9A-Fa-f]{2,5});")
_PLAIN_TEXT = ("title", f"{{{ITUNES_NS}}}title", f"{{{ITUNES_NS}}}author")
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


def check_itunes_namespace(feed: Feed) -> Iterator[Finding]:
    for prefix, uri, line in feed.namespaces:
        if uri == ITUNES_NS:
            continue
        if prefix == "itunes" or "itunescom" in _normalised(uri):
            yield Finding(
                line,
                f"xmlns:{prefix or ''} is {uri!r}, not the itunes namespace Apple reads",
                f'Write xmlns:itunes="{ITUNES_NS}" exactly (lower case, http, with www.): '
                "otherwise Apple ignores every itunes: tag.",
            )


def check_podcast_namespace(feed: Feed) -> Iterator[Finding]:
    for prefix, uri, line in feed.namespaces:
        if uri == PODCAST_NS:
            continue
        if prefix == "podcast" or "podcastindex" in _normalised(uri):
            yield Finding(
                line,
                f"xmlns:{prefix or ''} is {uri!r}, not the Podcasting 2.0 namespace",
                f'Write xmlns:podcast="{PODCAST_NS}" exactly; apps ignore podcast: tags in any '
                "other namespace.",
            )


def _wrong_namespace(kids: Children) -> Iterator[Finding]:
    parent = kids.element
    for node in kids.descendants():
        tag = node.tag
        misplaced = _MISPLACED.get(tag)
        if misplaced is not None:
            yield _wrong(node, *misplaced)
        elif tag in _BARE_ITUNES and node.getparent() is parent:  # un-prefixed: no "{uri}"
            yield _wrong(node, tag, f"<itunes:{tag}>")


def _wrong(node: Element, written: str, right: str) -> Finding:
    return Finding(
        node.sourceline,
        f"<{written}> is not a tag readers know; they read {right}",
        f"Write {right} instead of <{written}>.",
    )


def check_channel_wrong_namespace(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _wrong_namespace(feed.children_of(channel))


def check_item_wrong_namespace(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _wrong_namespace(feed.children_of(item))


def _unknown_itunes(kids: Children) -> Iterator[Finding]:
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


def check_channel_unknown_itunes(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _unknown_itunes(feed.children_of(channel))


def check_item_unknown_itunes(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _unknown_itunes(feed.children_of(item))


def _markup(node: Element, value: str) -> str | None:
    """What makes a plain-text field look like HTML, or None."""
    if any(isinstance(n.tag, str) for n in node) or _HTML_TAG.search(value):
        return "HTML markup"
    escaped = _ESCAPED_ENTITY.search(value)
    return None if escaped is None else f"an escaped entity {escaped.group(0)!r}"


def _html_findings(kids: Children) -> Iterator[Finding]:
    for tag in _PLAIN_TEXT:
        node = kids.first(tag)
        if node is None:
            continue
        value = kids.text(tag) or ""
        what = _markup(node, value)
        if what is not None:
            name = "title" if tag == "title" else f"itunes:{local_name(node)}"
            yield Finding(
                node.sourceline,
                f"<{name}> contains {what}: {' '.join(value.split())[:80]!r}",
                "Write plain text (an ampersand is written &amp; once in the XML); apps show "
                "tags and entities literally.",
            )


def check_channel_html(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _html_findings(feed.children_of(channel))


def check_item_html(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _html_findings(feed.children_of(item))


CHECKS = (
    Check(ITUNES_NAMESPACE, "document", check_itunes_namespace),
    Check(PODCAST_NAMESPACE, "document", check_podcast_namespace),
    Check(WRONG_NAMESPACE, "channel", check_channel_wrong_namespace),
    Check(WRONG_NAMESPACE, "item", check_item_wrong_namespace),
    Check(UNKNOWN_ITUNES, "channel", check_channel_unknown_itunes),
    Check(UNKNOWN_ITUNES, "item", check_item_unknown_itunes),
    Check(HTML_IN_TEXT, "channel", check_channel_html),
    Check(HTML_IN_TEXT, "item", check_item_html),
)
RULES = (ITUNES_NAMESPACE, PODCAST_NAMESPACE, WRONG_NAMESPACE, UNKNOWN_ITUNES, HTML_IN_TEXT)
