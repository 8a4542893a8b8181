"""The media file: one ``<enclosure>`` per episode with url, byte length and a type Apple plays.

Pass: ``<enclosure url="https://cdn.example.com/1.mp3" length="24986112" type="audio/mpeg"/>``

Fail: no ``<enclosure>`` (item-enclosure-missing), no ``url`` (enclosure-url),
``length="12.5 MB"`` (enclosure-length), ``length="0"`` (enclosure-length-zero), ``type="mp3"``
(enclosure-type), ``type="audio/ogg"`` (apple-enclosure-type), two enclosures
(enclosure-multiple), the same file in two episodes (enclosure-url-duplicate),
``url=".../download?id=7"`` (enclosure-extension: Apple decides by the extension whether an
episode appears), ``.m4a`` with ``type="audio/mpeg"`` (enclosure-extension-mismatch), a feed
of PDFs only (feed-not-audio).

item-enclosure-missing, enclosure-url, enclosure-length and enclosure-type are reported by the
walk over the vocabulary table, which names them for ``<enclosure>`` and its attributes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, Children, Feed, Finding, ItemInfo, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.values import BYTES, MIME_TYPE

RULES = RuleSet()
MISSING = RULES.rule(
    "item-enclosure-missing",
    Level.ERROR,
    "every episode needs an <enclosure> with its media file",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
URL = RULES.rule("enclosure-url", Level.ERROR, "<enclosure> must have a url", sources.RSS_ENCLOSURE)
LENGTH = RULES.rule(
    "enclosure-length",
    Level.ERROR,
    "<enclosure length> must be the file size in bytes (an integer)",
    sources.RSS_ENCLOSURE,
)
LENGTH_ZERO = RULES.rule(
    "enclosure-length-zero",
    Level.WARNING,
    '<enclosure length="0"> hides the file size from apps (RSS allows it when the size is unknown)',
    sources.RSS_ENCLOSURES,
)
TYPE = RULES.rule(
    "enclosure-type",
    Level.ERROR,
    "<enclosure type> must be a MIME type such as audio/mpeg",
    sources.RSS_ENCLOSURE,
)
APPLE_TYPE = RULES.rule(
    "apple-enclosure-type",
    Level.WARNING,
    "Apple Podcasts plays only the enclosure types it lists (M4A, MP3, MOV, MP4, M4V, PDF)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
EXTENSION = RULES.rule(
    "enclosure-extension",
    Level.ERROR,
    "the enclosure URL's path must end in a media extension Apple lists (.mp3, .m4a, .mp4, "
    ".m4v, .mov, .pdf): Apple decides by it whether the episode appears",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
EXTENSION_MISMATCH = RULES.rule(
    "enclosure-extension-mismatch",
    Level.WARNING,
    "the enclosure URL's extension and its type must name the same format (.m4a is not audio/mpeg)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
NOT_AUDIO = RULES.rule(
    "feed-not-audio",
    Level.ERROR,
    "a podcast needs audio or video: a feed whose every enclosure is something else is refused",
    sources.APPLE,
    PODCAST_ONLY,
)
MULTIPLE = RULES.rule(
    "enclosure-multiple",
    Level.WARNING,
    "an item should have one <enclosure>; most apps use only the first",
    sources.RSS_ENCLOSURES,
)
DUPLICATE_URL = RULES.rule(
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
# Apple: "The file extension specified within the URL attribute determines whether or not
# content appears in the podcast directory. Supported file formats include M4A, MP3, MOV, MP4,
# M4V, and PDF." Each extension with the types that name the same format.
APPLE_EXTENSIONS: dict[str, frozenset[str]] = {
    ".mp3": frozenset({"audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg", "audio/x-mp3"}),
    ".m4a": frozenset({"audio/x-m4a", "audio/mp4", "audio/m4a", "audio/aac", "audio/x-aac"}),
    ".mp4": frozenset({"video/mp4", "audio/mp4"}),
    ".m4v": frozenset({"video/x-m4v", "video/mp4"}),
    ".mov": frozenset({"video/quicktime"}),
    ".pdf": frozenset({"application/pdf"}),
}
# Extensions of audio and video files in general (for feed-not-audio).
_MEDIA_EXTENSIONS = frozenset(APPLE_EXTENSIONS) - {".pdf"} | {
    ".aac",
    ".ogg",
    ".oga",
    ".opus",
    ".wav",
    ".flac",
    ".webm",
    ".mkv",
}
_URL_EXTENSION = re.compile(r"\.[A-Za-z0-9]{2,5}$")


@RULES.check(LENGTH_ZERO, "item")
def check_length_zero(feed: Feed, kids: Children) -> Iterator[Finding]:
    for enclosure in kids.all("enclosure"):
        value = (enclosure.get("length") or "").strip()
        if BYTES.check(value) is None and int(value) == 0:
            yield Finding(
                enclosure.sourceline,
                '<enclosure length="0">',
                "Write the real file size in bytes so apps can show download sizes.",
            )


@RULES.check(APPLE_TYPE, "item")
def check_apple_type(feed: Feed, kids: Children) -> Iterator[Finding]:
    for enclosure in kids.all("enclosure"):
        value = (enclosure.get("type") or "").strip()
        essence = value.split(";", 1)[0].strip().lower()
        if MIME_TYPE.check(value) is None and essence not in APPLE_TYPES:
            yield Finding(
                enclosure.sourceline,
                f"<enclosure type={value!r}> is not a type Apple Podcasts accepts",
                f"Publish {', '.join(sorted(APPLE_TYPES))} (MP3 as audio/mpeg is the safe "
                "choice); offer other formats with podcast:alternateEnclosure.",
            )


@RULES.check(MULTIPLE, "item")
def check_multiple(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = kids.all("enclosure")
    if len(found) > 1:
        yield Finding(
            found[1].sourceline,
            f"the item has {len(found)} <enclosure> elements",
            "Keep one enclosure per item; list other formats with podcast:alternateEnclosure.",
        )


def url_extension(url: str) -> str | None:
    """The extension a media URL's path ends in (lower case), or None.

    >>> url_extension("https://op3.dev/e/media.example.com/1/ep.MP3?src=rss")
    '.mp3'
    >>> url_extension("https://cdn.example.com/download?id=7") is None
    True
    """
    # The path's last segment, without urlsplit (it runs for every item of a large feed).
    path = url.strip().split("#", 1)[0].split("?", 1)[0]
    match = _URL_EXTENSION.search(path.rsplit("/", 1)[-1])
    return match.group(0).lower() if match else None


def _type_essence(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


@RULES.check(EXTENSION, "item")
def check_extension(feed: Feed, kids: Children) -> Iterator[Finding]:
    for enclosure in kids.all("enclosure")[:1]:  # Apple reads the first one
        url = (enclosure.get("url") or "").strip()
        if not url:
            continue
        extension = url_extension(url)
        if extension in APPLE_EXTENSIONS:
            continue
        # Some hosts append the extension to the query (".../file?.mp3"); Apple reads the end.
        if url.lower().endswith(tuple(APPLE_EXTENSIONS)):
            continue
        shown = f"ends in {extension}" if extension else "has no file extension"
        yield Finding(
            enclosure.sourceline,
            f"<enclosure url={url!r}> {shown}; Apple lists the episode only when the URL ends "
            "in .mp3, .m4a, .mp4, .m4v, .mov or .pdf",
            "Use the media file's own URL (analytics prefixes that keep the file name at the "
            "end, such as .../op3.dev/e/.../episode.mp3, are fine).",
            group=f"enclosure URL {shown}, not a media extension Apple lists",
        )


@RULES.check(EXTENSION_MISMATCH, "item")
def check_extension_mismatch(feed: Feed, kids: Children) -> Iterator[Finding]:
    for enclosure in kids.all("enclosure"):
        extension = url_extension(enclosure.get("url") or "")
        essence = _type_essence(enclosure.get("type"))
        types = APPLE_EXTENSIONS.get(extension or "")
        if types is None or not essence or essence in types or essence not in APPLE_TYPES:
            continue
        yield Finding(
            enclosure.sourceline,
            f"<enclosure> URL ends in {extension} but type={essence!r}",
            f"Make the type match the file: {extension} is {' or '.join(sorted(types))}.",
            group=f"enclosure {extension} with type {essence}",
        )


def _is_media(info: ItemInfo) -> bool:
    # "x-audio/mp3" and other home-made types still say audio: the type is another rule's.
    major = _type_essence(info.enclosure_type).split("/", 1)[0]
    return (
        "audio" in major
        or "video" in major
        or url_extension(info.enclosure_url or "") in _MEDIA_EXTENSIONS
    )


@RULES.check(NOT_AUDIO, "channel")
def check_not_audio(feed: Feed, kids: Children) -> Iterator[Finding]:
    with_enclosure = [info for info in feed.items if (info.enclosure_url or "").strip()]
    if with_enclosure and not any(_is_media(info) for info in with_enclosure):
        first = with_enclosure[0]
        yield Finding(
            first.line,
            f"none of the {len(with_enclosure)} enclosures is audio or video (the first: "
            f"{first.enclosure_url!r}, type {first.enclosure_type!r})",
            "Publish the episodes' audio (audio/mpeg, audio/x-m4a) or video (video/mp4); "
            "directories refuse a podcast without any.",
        )


@RULES.check(DUPLICATE_URL, "channel")
def check_duplicate_urls(feed: Feed, kids: Children) -> Iterator[Finding]:
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
