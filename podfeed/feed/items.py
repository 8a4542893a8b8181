"""One ``<item>`` as text: an episode and its media, byte for byte what feedgen 1.0 wrote.

Building each item through feedgen's ``FeedEntry`` setters and ``rss_entry`` cost more than half
of rendering a large feed, so items are written here as text with libxml2's own escaping, in
exactly the form feedgen's entries took (tests/test_feed_items.py compares the bytes with
feedgen's on random inputs, and every feed a build renders is parsed back and checked before it
reaches disk). :mod:`podfeed.feed.rss` puts them into the channel feedgen writes.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from podfeed.config.model import Show
from podfeed.feed.extension import ITUNES_NS, PODCAST_NS
from podfeed.model import Episode, Media, Transcript
from podfeed.site import strip_xml_invalid

__all__ = ["EPISODE_GUID_NAMESPACE", "FeedItem", "Person", "episode_guid", "items_xml"]

# podfeed's own namespace for episode guids: uuid5(NAMESPACE_URL,
# "https://podfeed.invalid/episode-guid"), computed once and frozen here. It must never change:
# a changed guid makes every app list every episode a second time.
EPISODE_GUID_NAMESPACE = uuid.UUID("4487776d-9677-5cf0-acb4-14be7fd681bf")

_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")

# The show-notes link to the video, in the feed's language (English for any other language).
_WATCH_ON_YOUTUBE = {
    "en": "Watch on YouTube",
    "de": "Auf YouTube ansehen",
    "es": "Ver en YouTube",
    "fr": "Regarder sur YouTube",
    "it": "Guarda su YouTube",
    "pt": "Assista no YouTube",
}


@dataclass(frozen=True)
class FeedItem:
    """One episode with the audio it is published with."""

    episode: Episode
    media: Media


class Person(NamedTuple):
    """A ``podcast:person``: the name and its Podcast Taxonomy role (``host``, ``guest``)."""

    name: str
    role: str


def episode_guid(episode: Episode) -> str:
    """A stable item guid for an episode whose audio host published none.

    Derived from the permalink only: the permalink is the episode's public address, the one
    thing its author keeps fixed (it carries the language, so translations differ). A file path
    moves when the folder is reorganised, a date is re-typed in another format, and a hash of the
    title or notes changes with every typo fix; any of those would change the guid and make apps
    show the episode twice. Leading and trailing slashes do not change the address, so they do
    not change the guid either.

    :raises ValueError: the permalink is empty (the guid would collide with every other such
        episode).
    """
    permalink = episode.permalink.strip().strip("/")
    if not permalink:
        raise ValueError(f"{episode.source}: an episode without a permalink has no stable guid")
    return str(uuid.uuid5(EPISODE_GUID_NAMESPACE, permalink))


def items_xml(
    show: Show, lang: str, entries: Iterable[FeedItem], nsmap: dict[str | None, str]
) -> str:
    """The ``<item>`` elements of ``entries``, in order, as text for a channel whose ``<rss>``
    element declares the namespace prefixes ``nsmap`` (feedgen declares them there only).

    :raises ValueError: as feedgen did for an entry (see :func:`_item_xml`).
    """
    names = _ItemNames.of(nsmap)
    texts = _TextCache(show.author)
    return "".join([_item_xml(show, lang, item, texts, names) for item in entries])


_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


@dataclass(frozen=True)
class _ItemNames:
    """The prefixed names of an item's namespaced elements, as the ``<rss>`` element declares
    the prefixes (feedgen declares them there, and nowhere else)."""

    content: str
    itunes: str
    podcast: str

    @classmethod
    def of(cls, nsmap: dict[str | None, str]) -> _ItemNames:
        prefixes = {uri: prefix for prefix, uri in nsmap.items() if prefix}
        try:
            return cls(prefixes[_CONTENT_NS], prefixes[ITUNES_NS], prefixes[PODCAST_NS])
        except KeyError as exc:
            raise ValueError(f"the feed declares no prefix for {exc.args[0]}") from None


# What libxml2 escapes when it serialises element text (``&`` first: the others bring one), and
# in double-quoted attribute values besides: the quote, and the whitespace that attribute
# normalisation would turn into spaces when the feed is read back.
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ATTR_ESCAPES = (*_TEXT_ESCAPES, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"))


def _text(value: str, escapes: tuple[tuple[str, str], ...] = _TEXT_ESCAPES) -> str:
    """Element text escaped as libxml2 serialises it. The value is XML-safe already (every
    text goes through :func:`strip_xml_invalid` first)."""
    for char, entity in escapes:
        if char in value:
            value = value.replace(char, entity)
    return value


def _attr(value: str) -> str:
    """An attribute value escaped as libxml2 serialises it in double quotes."""
    return _text(value, _ATTR_ESCAPES)


def _item_xml(show: Show, lang: str, item: FeedItem, texts: _TextCache, names: _ItemNames) -> str:
    """One ``<item>`` for an episode and its media, as text, pretty-printed in place.

    The elements, their order and their text are what feedgen 1.0 wrote for the entry podfeed
    used to fill (``FeedEntry.rss_entry``, then the podcast extension's ``extend_rss``, then
    podfeed's entry extension), serialised the way lxml serialised them two levels deep in a
    pretty-printed document: tests/test_feed_items.py holds that entry path and compares the
    bytes. Written as text, not as lxml elements, because building 15 elements an item and
    serialising them was half of rendering a 3,000-item feed (0.72 s against 0.36 s, on a slow
    host); every element of an item holds text or attributes only, so its serialisation is a
    template plus libxml2's escaping (:func:`_text`, :func:`_attr`). feedgen's ``author``,
    ``comments`` and ``source`` are never set by podfeed, so they have no counterpart here.

    ``texts`` is shared by every item of the feed: tags, guests and media types repeat from one
    episode to the next, and cleaning each once per feed instead of once per item is most of
    what this function would otherwise spend on them.

    :raises ValueError: as feedgen did: a guid cannot be made (:func:`episode_guid`), the
        duration is not ``itunes:duration`` text, or the item has neither title nor description.
    """
    episode, media = item.episode, item.media
    title = strip_xml_invalid(episode.title)
    guid = _item_guid(item)
    duration = _itunes_duration(media.duration)
    description = _plain_description(episode)
    notes = _notes_html(episode, lang)
    if not (title or description or notes):
        raise ValueError("Required fields not set")  # feedgen's rss_entry, word for word
    itunes, podcast = names.itunes, names.podcast
    out = ["    <item>\n"]
    if title:
        out.append(f"      <title>{_text(title)}</title>\n")
    link = strip_xml_invalid(episode.url)
    if link:  # feedgen wrote no <link> for an empty href
        out.append(f"      <link>{_text(link)}</link>\n")
    # With both texts, both; with the plain description only, just that; with the notes only,
    # the notes go into <description> and there is no content:encoded. The notes count as
    # given when they were given, even if nothing is left of them once cleaned (feedgen saw the
    # entry's content as set, and wrote it empty).
    if description:
        out.append(f"      <description>{_text(description)}</description>\n")
        if notes:
            content = names.content
            out.append(
                f"      <{content}:encoded>{_text(strip_xml_invalid(notes))}</{content}:encoded>\n"
            )
    elif notes:
        out.append(f"      <description>{_text(strip_xml_invalid(notes))}</description>\n")
    out.append(f'      <guid isPermaLink="false">{_text(guid)}</guid>\n')
    for tag in texts.unique(episode.tags):
        out.append(f"      <category>{_text(tag)}</category>\n")
    out.append(
        f'      <enclosure url="{_attr(strip_xml_invalid(media.url))}"'
        f' length="{_attr(str(media.length))}" type="{_attr(texts.clean(media.type))}"/>\n'
    )
    # One zone for every language feed. astimezone() always gives an aware datetime, which is
    # all feedgen's pubDate() checked.
    out.append(f"      <pubDate>{_rfc2822_utc(episode.date.astimezone(UTC))}</pubDate>\n")
    if duration:  # 0 (or None) means the host did not know it
        out.append(f"      <{itunes}:duration>{duration}</{itunes}:duration>\n")
    number = episode.number
    if number is not None and number > 0:  # Apple: a non-zero integer
        out.append(f"      <{itunes}:episode>{int(number)}</{itunes}:episode>\n")
    if title:
        out.append(f"      <{itunes}:title>{_text(title)}</{itunes}:title>\n")
    # feedgen checked episodeType against full/trailer/bonus; podfeed only writes "full".
    out.append(f"      <{itunes}:episodeType>full</{itunes}:episodeType>\n")
    # What podfeed's entry extension wrote after feedgen's own elements (podfeed.feed.extension).
    image = episode.image if _is_artwork_url(episode.image) else None
    if image:
        out.append(f'      <{itunes}:image href="{_attr(strip_xml_invalid(image))}"/>\n')
    explicit = "true" if show.explicit else "false"
    out.append(f"      <{itunes}:explicit>{explicit}</{itunes}:explicit>\n")
    if number is not None:
        out.append(f"      <{podcast}:episode>{_text(str(number))}</{podcast}:episode>\n")
    for person in texts.persons(episode.guests):  # names cleaned there, roles are ours
        out.append(
            f'      <{podcast}:person role="{person.role}">'
            f"{_text(person.name)}</{podcast}:person>\n"
        )
    for transcript in media.transcripts:
        attrs = "".join(
            f' {key}="{_attr(strip_xml_invalid(value))}"'
            for key, value in _transcript_attrs(transcript)
        )
        out.append(f"      <{podcast}:transcript{attrs}/>\n")
    video = episode.youtube_url
    if video:  # the same episode elsewhere, and a label for people
        out.append(
            f'      <{podcast}:contentLink href="{_attr(strip_xml_invalid(video))}">'
            f"YouTube</{podcast}:contentLink>\n"
        )
    out.append("    </item>\n")
    return "".join(out)


def _transcript_attrs(transcript: Transcript) -> list[tuple[str, str]]:
    """A ``podcast:transcript``'s attributes, in the order the entry extension set them."""
    attrs = [("url", transcript.url), ("type", transcript.type)]
    if transcript.language:
        attrs.append(("language", transcript.language))
    if transcript.rel:
        attrs.append(("rel", transcript.rel))
    return attrs


def _itunes_duration(seconds: int | None) -> str | None:
    """The ``itunes:duration`` text, or None for an unknown (None or 0) duration.

    :raises ValueError: the text is not digits and colons (a negative number), the check
        feedgen's ``itunes_duration()`` made, with its message.
    """
    if not seconds:
        return None
    text = str(seconds)
    if len(text.split(":")) > 3 or text.lstrip("0123456789:") != "":
        raise ValueError("Invalid duration format")
    return text


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rfc2822_utc(moment: datetime) -> str:
    """feedgen's ``formatRFC2822`` of a UTC datetime, without its two ``setlocale`` calls.

    That is ``strftime("%a, %d %b %Y %H:%M:%S %z")`` in the C locale: English names, and the
    year as glibc writes ``%Y``, not padded (year 999 is ``999``), unlike
    :func:`podfeed.feed.extension.rfc2822`. ``moment`` is in UTC, so the offset is ``+0000``.
    """
    return (
        f"{_DAY_NAMES[moment.weekday()]}, {moment.day:02d} {_MONTH_NAMES[moment.month - 1]}"
        f" {moment.year} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} +0000"
    )


class _TextCache:
    """Cleaned texts that repeat across the items of one feed, each cleaned once.

    One per rendered feed (not module-wide), so nothing outlives the feed it was made for.
    """

    def __init__(self, host: str) -> None:
        self._host_key = " ".join(host.split()).casefold()
        self._words: dict[str, tuple[str, str]] = {}
        self._clean: dict[str, str] = {}

    def clean(self, raw: str) -> str:
        """:func:`strip_xml_invalid` of ``raw``."""
        try:
            return self._clean[raw]
        except KeyError:
            value = self._clean[raw] = strip_xml_invalid(raw)
            return value

    def unique(self, texts: Iterable[str]) -> list[str]:
        """Each text once, in first-seen order: XML-safe, whitespace collapsed, empties dropped.

        Repeats are found case-insensitively (``AI`` after ``ai`` is dropped), within
        ``texts`` only: each item has its own tags.

        Every tag becomes an item ``<category>`` (Apple deprecated ``itunes:keywords``); no cap,
        since RSS sets none and dropping an author's tags silently would be worse than a longer
        item.
        """
        words = self._words
        seen: set[str] = set()
        unique = []
        for raw in texts:
            try:
                text, folded = words[raw]
            except KeyError:
                text = " ".join(strip_xml_invalid(raw).split())
                folded = text.casefold()
                words[raw] = (text, folded)
            if text and folded not in seen:
                seen.add(folded)
                unique.append(text)
        return unique

    def persons(self, guests: Iterable[str]) -> tuple[Person, ...]:
        """One ``podcast:person`` per guest; the show's author among them is the ``host``.

        The corpus lists the host among the ``guests:``; the namespace assumes ``host`` when
        ``role`` is missing, so the role is always written.
        """
        host_key = self._host_key
        return tuple(
            Person(name=name, role="host" if name.casefold() == host_key else "guest")
            for name in self.unique(guests)
        )


def _item_guid(item: FeedItem) -> str:
    """The host's guid when it published one (continuity with its feed), else our stable one."""
    published = strip_xml_invalid(item.media.guid or "").strip()
    return published or episode_guid(item.episode)


def _plain_description(episode: Episode) -> str:
    """The item ``<description>`` as plain text: the summary, else the front-matter description,
    else the title, else the permalink.

    Not left empty: with an empty description the HTML notes would go there instead (as feedgen
    did, see :func:`_item_xml`).
    """
    for candidate in (episode.summary, episode.description, episode.title, episode.permalink):
        text = strip_xml_invalid(candidate).strip()
        if text:
            return text
    return ""


def _notes_html(episode: Episode, lang: str) -> str:
    """``content:encoded``: the show notes, plus a paragraph linking to the video when there is one.

    The HTML is written as escaped text (no CDATA, as feedgen did), which stays well-formed even
    when the notes contain ``]]>``.
    """
    parts = [episode.notes_html.strip()] if episode.notes_html.strip() else []
    if episode.youtube_url:
        label = _WATCH_ON_YOUTUBE.get(lang.split("-")[0].lower(), _WATCH_ON_YOUTUBE["en"])
        href = html.escape(episode.youtube_url, quote=True)
        parts.append(f'<p><a href="{href}">{html.escape(label)}</a></p>')
    return "\n".join(parts)


def _is_artwork_url(url: str | None) -> bool:
    """An absolute http(s) URL whose path names a JPEG or PNG file (what Apple accepts)."""
    if not url:
        return False
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and parts.path.lower().endswith(_IMAGE_SUFFIXES)
    )
