"""The media file: one ``<enclosure>`` per episode with url, byte length and a type Apple plays.

Pass: ``<enclosure url="https://cdn.example.com/1.mp3" length="24986112" type="audio/mpeg"/>``

Fail: no ``<enclosure>`` (item-enclosure-missing), no ``url`` (enclosure-url),
``length="12.5 MB"`` (enclosure-length), ``length="0"`` (enclosure-length-zero), ``type="mp3"``
(enclosure-type), ``type="audio/ogg"`` (apple-enclosure-type), two enclosures
(enclosure-multiple), the same file in two episodes (enclosure-url-duplicate).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import Check, Element, Feed, Finding, ItemInfo, Rule
from podfeed.validate.rules import sources

MISSING = Rule(
    "item-enclosure-missing",
    Level.ERROR,
    "every episode needs an <enclosure> with its media file",
    sources.APPLE_RSS,
)
URL = Rule("enclosure-url", Level.ERROR, "<enclosure> must have a url", sources.RSS_ENCLOSURE)
LENGTH = Rule(
    "enclosure-length",
    Level.ERROR,
    "<enclosure length> must be the file size in bytes (an integer)",
    sources.RSS_ENCLOSURE,
)
LENGTH_ZERO = Rule(
    "enclosure-length-zero",
    Level.WARNING,
    '<enclosure length="0"> hides the file size from apps',
    sources.RSS_ENCLOSURES,
)
TYPE = Rule(
    "enclosure-type",
    Level.ERROR,
    "<enclosure type> must be a MIME type such as audio/mpeg",
    sources.RSS_ENCLOSURE,
)
APPLE_TYPE = Rule(
    "apple-enclosure-type",
    Level.WARNING,
    "Apple Podcasts plays only the enclosure types it lists (M4A, MP3, MOV, MP4, M4V, PDF)",
    sources.APPLE_RSS,
)
MULTIPLE = Rule(
    "enclosure-multiple",
    Level.WARNING,
    "an item should have one <enclosure>; most apps use only the first",
    sources.RSS_ENCLOSURES,
)
DUPLICATE_URL = Rule(
    "enclosure-url-duplicate",
    Level.WARNING,
    "two episodes share a media URL; Apple ignores enclosure URLs it has already seen",
    sources.APPLE,
)

# Apple's list ("A Podcaster's Guide to RSS", <enclosure>) plus audio/mp4, the registered type of
# .m4a files that hosts commonly send and Apple plays. audio/aac, audio/ogg, audio/opus, ... are
# well-formed but not on Apple's list: a warning, since other apps may play them.
APPLE_TYPES = frozenset(
    {
        "audio/mpeg",
        "audio/x-m4a",
        "audio/mp4",
        "video/mp4",
        "video/quicktime",
        "video/x-m4v",
        "application/pdf",
    }
)
_DIGITS = re.compile(r"^[0-9]+$")
_MIME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$")


def check_missing(feed: Feed, item: Element) -> Iterator[Finding]:
    if not _enclosures(feed, item):
        yield Finding(
            item.sourceline,
            "the item has no <enclosure>",
            'Add <enclosure url="https://..." length="BYTES" type="audio/mpeg"/>; directories '
            "skip episodes without one.",
        )


def _enclosures(feed: Feed, item: Element) -> list[Element]:
    return feed.children_of(item).all("enclosure")


def check_url(feed: Feed, item: Element) -> Iterator[Finding]:
    for enclosure in _enclosures(feed, item):
        if not (enclosure.get("url") or "").strip():
            yield Finding(
                enclosure.sourceline,
                "<enclosure> has no url",
                "Set url to the media file's full https:// address.",
            )


def check_length(feed: Feed, item: Element) -> Iterator[Finding]:
    for enclosure in _enclosures(feed, item):
        value = enclosure.get("length")
        if value is None:
            yield Finding(
                enclosure.sourceline,
                "<enclosure> has no length",
                "Set length to the file size in bytes (the Content-Length of the media URL).",
            )
        elif not _DIGITS.match(value.strip()):
            yield Finding(
                enclosure.sourceline,
                f"<enclosure length={value!r}> is not a whole number of bytes",
                "Write the file size in bytes, digits only (e.g. 24986112).",
            )


def check_length_zero(feed: Feed, item: Element) -> Iterator[Finding]:
    for enclosure in _enclosures(feed, item):
        value = (enclosure.get("length") or "").strip()
        if _DIGITS.match(value) and int(value) == 0:
            yield Finding(
                enclosure.sourceline,
                '<enclosure length="0">',
                "Write the real file size in bytes so apps can show download sizes.",
            )


def check_type(feed: Feed, item: Element) -> Iterator[Finding]:
    for enclosure in _enclosures(feed, item):
        value = enclosure.get("type")
        if value is None or not value.strip():
            yield Finding(
                enclosure.sourceline,
                "<enclosure> has no type",
                'Set type to the file\'s MIME type, e.g. type="audio/mpeg" for MP3.',
            )
        elif not _MIME.match(value.strip()):
            yield Finding(
                enclosure.sourceline,
                f"<enclosure type={value!r}> is not a MIME type",
                'Write a MIME type such as "audio/mpeg" (MP3) or "audio/x-m4a" (M4A).',
            )


def check_apple_type(feed: Feed, item: Element) -> Iterator[Finding]:
    for enclosure in _enclosures(feed, item):
        value = (enclosure.get("type") or "").strip()
        essence = value.split(";", 1)[0].strip().lower()
        if _MIME.match(value) and essence not in APPLE_TYPES:
            yield Finding(
                enclosure.sourceline,
                f"<enclosure type={value!r}> is not a type Apple Podcasts accepts",
                f"Publish {', '.join(sorted(APPLE_TYPES))} (MP3 as audio/mpeg is the safe "
                "choice); offer other formats with podcast:alternateEnclosure.",
            )


def check_multiple(feed: Feed, item: Element) -> Iterator[Finding]:
    found = _enclosures(feed, item)
    if len(found) > 1:
        yield Finding(
            found[1].sourceline,
            f"the item has {len(found)} <enclosure> elements",
            "Keep one enclosure per item; list other formats with podcast:alternateEnclosure.",
        )


def check_duplicate_urls(feed: Feed, channel: Element) -> Iterator[Finding]:
    seen: dict[str, list[ItemInfo]] = defaultdict(list)
    for info in feed.items:
        if info.enclosure_url and info.enclosure_url.strip():
            seen[info.enclosure_url.strip()].append(info)
    for url, infos in seen.items():
        for info in infos[1:]:
            yield Finding(
                info.line,
                f"{info.label}: enclosure {url!r} is also used by {infos[0].label} "
                f"(line {infos[0].line})",
                "Give every episode its own media file URL.",
            )


CHECKS = (
    Check(MISSING, "item", check_missing),
    Check(URL, "item", check_url),
    Check(LENGTH, "item", check_length),
    Check(LENGTH_ZERO, "item", check_length_zero),
    Check(TYPE, "item", check_type),
    Check(APPLE_TYPE, "item", check_apple_type),
    Check(MULTIPLE, "item", check_multiple),
    Check(DUPLICATE_URL, "channel", check_duplicate_urls),
)
RULES = (MISSING, URL, LENGTH, LENGTH_ZERO, TYPE, APPLE_TYPE, MULTIPLE, DUPLICATE_URL)
