"""What feedgen 1.0 cannot write: Podcasting 2.0 tags and some itunes bits, channel and item.

For the channel this is a feedgen extension: feedgen calls ``extend_rss`` on every registered
extension after it has written its own channel elements. feedgen builds extension objects itself,
without arguments, so the class takes its data in one frozen dataclass through :meth:`configure`
instead of a getter/setter per tag; it appends lxml elements, never edits XML text. Items are
written by :mod:`podfeed.feed.items` without feedgen, these tags included (``podcast:person``,
``podcast:transcript``, ``podcast:contentLink``, ``podcast:episode``, item ``itunes:image`` and
``itunes:explicit``), in the order this module's entry extension once wrote them.

Why these tags live here and not in ``feedgen.ext.podcast``:

- ``itunes:explicit``: Apple asks for ``true``/``false``; feedgen 1.0 only accepts ``yes``/``no``/
  ``clean``.
- ``itunes:image``: feedgen only accepts a URL whose text ends in ``.jpg`` or ``.png``, which
  rejects ``.jpeg``, upper-case extensions and query strings that Apple accepts.
- ``lastBuildDate``: feedgen always writes one, set to ``now()`` unless told otherwise; a build
  must be deterministic, so this extension replaces it with the given date or removes it.
- ``atom:link rel="alternate" hreflang``: feedgen writes only the ``rel="self"`` link into RSS.
- ``podcast:*`` (https://podcastindex.org/namespace/1.0): feedgen has no support at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from feedgen.ext.base import BaseExtension
from lxml import etree

from podfeed.site import strip_xml_invalid

__all__ = [
    "ATOM_NS",
    "ITUNES_NS",
    "PODCAST_NS",
    "AlternateLink",
    "ChannelExtras",
    "PodfeedExtension",
    "rfc2822",
]

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
RSS_TYPE = "application/rss+xml"


def rfc2822(moment: datetime) -> str:
    """The RSS date text of ``moment`` in UTC, in the same form feedgen writes ``pubDate``.

    UTC makes the same instant read the same in every language feed, whatever offset the episode
    file was written with. ``email.utils`` is locale-independent; feedgen's own formatter switches
    the process locale to get the same result.

    >>> from datetime import timedelta, timezone
    >>> rfc2822(datetime(2024, 3, 7, tzinfo=timezone(timedelta(hours=-8))))
    'Thu, 07 Mar 2024 08:00:00 +0000'
    """
    return format_datetime(moment.astimezone(UTC))


@dataclass(frozen=True)
class AlternateLink:
    """Another language's feed of the same show (``atom:link rel="alternate" hreflang=...``)."""

    href: str
    hreflang: str


@dataclass(frozen=True)
class ChannelExtras:
    """Everything this extension writes into ``<channel>``.

    ``last_build_date`` is the newest item date, or None for a feed without items (then no
    ``lastBuildDate`` at all, rather than the wall-clock time feedgen would write).
    """

    podcast_guid: str
    explicit: bool
    image: str
    last_build_date: datetime | None = None
    alternates: tuple[AlternateLink, ...] = ()
    locked: bool | None = None
    locked_owner: str | None = None
    apple_verify: str | None = None


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    """Append ``tag`` to ``parent`` with XML-safe text and attributes."""
    if attrs:
        element = _SubElement(parent, tag, {k: strip_xml_invalid(v) for k, v in attrs.items()})
    else:
        element = _SubElement(parent, tag)
    if text is not None:
        element.text = strip_xml_invalid(text)
    return element


_SubElement = etree.SubElement


def _explicit(value: bool) -> str:
    return "true" if value else "false"


class PodfeedExtension(BaseExtension):
    """Channel part: register with ``fg.register_extension("podfeed", PodfeedExtension, ...)``."""

    def __init__(self) -> None:
        self._extras: ChannelExtras | None = None

    def configure(self, extras: ChannelExtras) -> None:
        self._extras = extras

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def extend_rss(self, rss_feed: Any) -> Any:
        extras = self._extras
        if extras is None:
            raise ValueError("PodfeedExtension.configure() was not called")
        channel = rss_feed[0]
        _set_last_build_date(channel, extras.last_build_date)
        for alternate in extras.alternates:
            _sub(
                channel,
                f"{{{ATOM_NS}}}link",
                href=alternate.href,
                rel="alternate",
                hreflang=alternate.hreflang,
                type=RSS_TYPE,
            )
        _sub(channel, f"{{{ITUNES_NS}}}image", href=extras.image)
        _sub(channel, f"{{{ITUNES_NS}}}explicit", _explicit(extras.explicit))
        _sub(channel, f"{{{PODCAST_NS}}}guid", extras.podcast_guid)
        if extras.locked is not None:
            owner = {"owner": extras.locked_owner} if extras.locked_owner else {}
            _sub(channel, f"{{{PODCAST_NS}}}locked", "yes" if extras.locked else "no", **owner)
        if extras.apple_verify:
            _sub(
                channel, f"{{{PODCAST_NS}}}txt", extras.apple_verify, purpose="applepodcastsverify"
            )
        return rss_feed


def _set_last_build_date(channel: Any, moment: datetime | None) -> None:
    """Replace feedgen's ``lastBuildDate`` (wall-clock by default) in place, or drop it."""
    existing = channel.find("lastBuildDate")
    if moment is None:
        if existing is not None:
            channel.remove(existing)
        return
    if existing is None:
        existing = _sub(channel, "lastBuildDate")
    existing.text = rfc2822(moment)
