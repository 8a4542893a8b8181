"""URLs: absolute, well-formed, and https for media.

Pass: ``<link>https://example.com/show</link>``, ``<enclosure url="https://cdn.example.com/1.mp3"``.

Fail: ``<link>/episodes/1</link>`` (url-relative), ``url="https://example.com/my episode.mp3"``
(url-syntax: a space), ``url="http://cdn.example.com/1.mp3"`` (media-https),
``<itunes:new-feed-url>feeds.example.com/show</itunes:new-feed-url>`` (itunes-new-feed-url).

Which fields are checked is one table (:data:`_CHANNEL_URLS`, :data:`_ITEM_URLS`); fields whose
own rule already checks the URL (``itunes:new-feed-url``) are left out so one mistake is
reported once. ``podcast:source`` and ``podcast:contentLink`` may use any scheme (ipfs:,
magnet:, ...), so for them only "absolute" and "no spaces" are checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from podfeed.problems import Level
from podfeed.validate.base import (
    ATOM_NS,
    ITUNES_NS,
    PODCAST_NS,
    Check,
    Element,
    Feed,
    Finding,
    Rule,
    child,
    elements,
)
from podfeed.validate.base import text as text_of
from podfeed.validate.rules import sources

RELATIVE = Rule(
    "url-relative",
    Level.ERROR,
    "links and media URLs must be absolute (apps fetch them without a base URL)",
    sources.RSS_URLS,
)
SYNTAX = Rule(
    "url-syntax",
    Level.ERROR,
    "URLs must be well-formed http(s) URLs without spaces",
    sources.RSS_URLS,
)
HTTPS = Rule(
    "media-https",
    Level.WARNING,
    "media and artwork should be served over https",
    sources.APPLE,
)
NEW_FEED_URL = Rule(
    "itunes-new-feed-url",
    Level.ERROR,
    "<itunes:new-feed-url> must be the absolute http(s) URL of the new feed",
    sources.APPLE_MOVE,
)

_Table = tuple[tuple[str, str | None, bool], ...]
_I, _P, _A = f"{{{ITUNES_NS}}}", f"{{{PODCAST_NS}}}", f"{{{ATOM_NS}}}"
# (tag, attribute or None for the text, http only?) for direct children of channel / item.
_COMMON = (
    (f"{_I}image", "href", True),
    (f"{_P}person", "href", True),
    (f"{_P}person", "img", True),
    (f"{_P}contentLink", "href", False),
)
_CHANNEL_URLS = (
    ("link", None, True),
    (f"{_A}link", "href", True),
    (f"{_P}funding", "url", True),
    *_COMMON,
)
_ITEM_URLS = (
    ("link", None, True),
    ("enclosure", "url", True),
    ("comments", None, True),
    (f"{_P}transcript", "url", True),
    (f"{_P}chapters", "url", True),
    *_COMMON,
)
_BAD_CHARACTERS = re.compile(r"[\s\"<>\\^`{|}\x00-\x1f\x7f]")


def _urls(parent: Element, table: _Table) -> Iterator[tuple[Element, str, str, bool]]:
    """(element, how to name it, value, http only) for every URL field present and non-empty."""
    for node in elements(parent):
        for tag, attribute, http_only in table:
            if node.tag != tag:
                continue
            value = text_of(node) if attribute is None else node.get(attribute)
            if value and value.strip():
                name = _name(node, attribute)
                yield node, name, value.strip(), http_only
    for node in _image_children(parent):
        yield node, f"<image><{node.tag}>", (text_of(node) or "").strip(), True
    for node in _sources(parent):
        yield node, "<podcast:source uri>", (node.get("uri") or "").strip(), False


def _image_children(parent: Element) -> Iterator[Element]:
    image = child(parent, "image")
    for tag in ("url", "link"):
        found = child(image, tag)
        if found is not None and (text_of(found) or "").strip():
            yield found


def _sources(parent: Element) -> Iterator[Element]:
    for alternate in elements(parent):
        if alternate.tag == f"{_P}alternateEnclosure":
            for source in elements(alternate):
                if source.tag == f"{_P}source" and (source.get("uri") or "").strip():
                    yield source


def _name(node: Element, attribute: str | None) -> str:
    tag = str(node.tag)
    for uri, prefix in ((ITUNES_NS, "itunes"), (PODCAST_NS, "podcast"), (ATOM_NS, "atom")):
        tag = tag.replace(f"{{{uri}}}", f"{prefix}:")
    return f"<{tag} {attribute}>" if attribute else f"<{tag}>"


def _relative(value: str) -> bool:
    try:
        return not urlsplit(value).scheme
    except ValueError:
        return False


def _syntax_error(value: str, http_only: bool) -> str | None:
    """Why ``value`` (an absolute URL) is malformed, or None."""
    if _BAD_CHARACTERS.search(value):
        return "contains spaces or characters that must be percent-encoded"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return str(exc)
    if http_only and parts.scheme.lower() not in ("http", "https"):
        return f"uses the scheme {parts.scheme!r}; apps need http or https"
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return "has no host name"
    return None


def _relative_findings(parent: Element, table: _Table) -> Iterator[Finding]:
    for node, name, value, _ in _urls(parent, table):
        if _relative(value):
            yield Finding(
                node.sourceline,
                f"{name} {value!r} is a relative URL",
                "Write the full URL, starting with https://.",
            )


def _syntax_findings(parent: Element, table: _Table) -> Iterator[Finding]:
    for node, name, value, http_only in _urls(parent, table):
        if _relative(value):
            continue
        reason = _syntax_error(value, http_only)
        if reason:
            yield Finding(
                node.sourceline,
                f"{name} {value!r} {reason}",
                "Percent-encode spaces and special characters (a space is %20) and use an "
                "http(s) URL.",
            )


def check_channel_relative(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _relative_findings(channel, _CHANNEL_URLS)


def check_item_relative(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _relative_findings(item, _ITEM_URLS)


def check_channel_syntax(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _syntax_findings(channel, _CHANNEL_URLS)


def check_item_syntax(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _syntax_findings(item, _ITEM_URLS)


def _http_media(parent: Element) -> Iterator[Finding]:
    for tag, attribute in (("enclosure", "url"), (f"{_I}image", "href")):
        for node in elements(parent):
            value = (node.get(attribute) or "").strip() if node.tag == tag else ""
            if value.lower().startswith("http://"):
                yield Finding(
                    node.sourceline,
                    f"{_name(node, attribute)} {value!r} is served over http",
                    "Serve media and artwork over https (Apple and browsers-based players "
                    "block or warn about http).",
                )


def check_channel_https(feed: Feed, channel: Element) -> Iterator[Finding]:
    yield from _http_media(channel)


def check_item_https(feed: Feed, item: Element) -> Iterator[Finding]:
    yield from _http_media(item)


def check_new_feed_url(feed: Feed, channel: Element) -> Iterator[Finding]:
    node = child(channel, f"{_I}new-feed-url")
    if node is None:
        return
    value = (text_of(node) or "").strip()
    if not value or _relative(value) or _syntax_error(value, http_only=True):
        yield Finding(
            node.sourceline,
            f"<itunes:new-feed-url> {value!r} is not an absolute http(s) URL",
            "Write the full URL of the feed's new location, e.g. https://feeds.example.com/show; "
            "remove the tag if the feed has not moved.",
        )


CHECKS = (
    Check(RELATIVE, "channel", check_channel_relative),
    Check(RELATIVE, "item", check_item_relative),
    Check(SYNTAX, "channel", check_channel_syntax),
    Check(SYNTAX, "item", check_item_syntax),
    Check(HTTPS, "channel", check_channel_https),
    Check(HTTPS, "item", check_item_https),
    Check(NEW_FEED_URL, "channel", check_new_feed_url),
)
RULES = (RELATIVE, SYNTAX, HTTPS, NEW_FEED_URL)
