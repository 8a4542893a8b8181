"""One RSS 2.0 feed's bytes: ``Show`` + its items (episode and media) -> the document.

feedgen writes the channel (RSS basics and most ``itunes:`` tags);
:mod:`podfeed.feed.extension` adds the Podcasting 2.0 ``podcast:`` tags and the itunes bits
feedgen 1.0 gets wrong; the items are written as text by :mod:`podfeed.feed.items`, where lxml
would have put them. The output depends only on the inputs (no clock, no randomness), so an
unchanged folder gives a byte-identical feed and CI can tell "nothing changed" from a diff. A
rendered feed can be cut at its items (:func:`split_feed`) and a feed rendered with only some of
its items (:func:`render_parts`), so that a rebuild renders only the items that changed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from feedgen.feed import FeedGenerator
from lxml import etree

from podfeed import __version__
from podfeed.config.model import Show
from podfeed.feed.extension import RSS_TYPE, AlternateLink, ChannelExtras, PodfeedExtension
from podfeed.feed.items import FeedItem, items_xml
from podfeed.problems import BuildError
from podfeed.site import date_key, strip_xml_invalid

__all__ = [
    "PODCAST_GUID_NAMESPACE",
    "FeedParts",
    "newest_first",
    "podcast_guid",
    "render_feed",
    "render_parts",
    "split_feed",
]

# Podcasting 2.0 docs/tags/guid.md: the fixed "podcast" namespace for podcast:guid.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def podcast_guid(feed_url: str) -> str:
    """The ``podcast:guid`` of a feed: UUIDv5 of its URL without scheme and trailing slashes.

    >>> podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml")
    '917393e3-1b1e-5cef-ace4-edaa54e1f810'
    """
    seed = _SCHEME.sub("", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, seed))


def render_feed(
    show: Show, lang: str, items: Sequence[FeedItem], *, siblings: Sequence[str] = ()
) -> bytes:
    """One RSS 2.0 feed (UTF-8 bytes) for one show and language, items newest first.

    ``siblings`` are the show's other languages that get a feed; each is linked with
    ``atom:link rel="alternate" hreflang=...`` so readers can offer the other languages
    (``lang`` itself and repeats are skipped).

    :raises BuildError: a value was refused (by feedgen for the channel: an empty show title, an
        unknown ``itunes:type``; for an item: neither guid nor permalink, a negative duration,
        no title and no description); the message names the show and language.
    """
    ordered = newest_first(items)
    return _render(show, lang, ordered, ordered, siblings)


def _render(
    show: Show,
    lang: str,
    ordered: Sequence[FeedItem],
    entries: Iterable[FeedItem],
    siblings: Sequence[str],
) -> bytes:
    """The feed of ``ordered`` (newest first), with ``entries`` as its items.

    feedgen builds the channel without entries (``_create_rss``: what ``rss_str`` serialises,
    extensions applied), serialised with the arguments ``rss_str(pretty=True)`` uses; the items
    are written as text (:func:`~podfeed.feed.items.items_xml`) where lxml would have put them,
    at the end of the ``<channel>``.
    """
    fg = FeedGenerator()
    fg.load_extension("podcast")  # feedgen's own itunes: tags, written first
    fg.register_extension("podfeed", PodfeedExtension, atom=False)
    try:
        _fill_channel(fg, show, lang, ordered, siblings)
        rss, document = fg._create_rss()
        items = items_xml(show, lang, entries, rss.nsmap)
    except ValueError as exc:
        raise BuildError(f"cannot write the {lang!r} feed of show {show.id!r}: {exc}") from exc
    data = etree.tostring(document, pretty_print=True, encoding="UTF-8", xml_declaration=True)
    # The channel always has children (feedgen requires a title), so it is closed on a line of
    # its own, after a line break that ends its last child: the items go right before it.
    cut = data.rfind(_CHANNEL_END)
    if cut < 0 or not data.endswith(_CHANNEL_END + b"</rss>\n"):
        raise BuildError(f"cannot write the {lang!r} feed of show {show.id!r}: no </channel>")
    return data[:cut] + items.encode("utf-8") + data[cut:]


_CHANNEL_END = b"  </channel>\n"


@dataclass(frozen=True)
class FeedParts:
    """A rendered feed cut at its items: ``head + b"".join(items) + tail`` is the document.

    Each item is serialised independently of its neighbours (same indentation, namespaces
    declared once on ``<rss>``), so an unchanged item's bytes can be reused in the next feed.
    """

    head: bytes
    items: tuple[bytes, ...]
    tail: bytes


# An item as feedgen pretty-prints it: two levels deep, one element per line. Inside an item,
# ``<`` only appears escaped in text and attributes, so these markers cannot occur there.
_ITEM_START = b"    <item>\n"
_ITEM_END = b"\n    </item>\n"


def split_feed(data: bytes) -> FeedParts | None:
    """Cut ``data`` (as :func:`render_feed` writes it) at its items; None for another shape."""
    starts: list[int] = []
    ends: list[int] = []
    at = data.find(_ITEM_START)
    while at >= 0:
        end = data.find(_ITEM_END, at)
        if end < 0 or (ends and at != ends[-1]):  # items must follow each other directly
            return None
        starts.append(at)
        ends.append(end + len(_ITEM_END))
        at = data.find(_ITEM_START, ends[-1])
    if not starts:
        return None
    items = tuple(data[start:end] for start, end in zip(starts, ends, strict=True))
    return FeedParts(data[: starts[0]], items, data[ends[-1] :])


def render_parts(
    show: Show,
    lang: str,
    ordered: Sequence[FeedItem],
    only: Sequence[int],
    *,
    siblings: Sequence[str] = (),
) -> FeedParts:
    """The head and tail of the feed of ``ordered`` (newest first) and the items at ``only``.

    ``head + the items of ordered in order + tail`` is exactly ``render_feed(show, lang, ordered,
    siblings=siblings)``: the channel depends on the items only through the newest date. An
    item is always rendered (the first when ``only`` is empty) to find where the items go.

    :raises BuildError: as :func:`render_feed`, or the output could not be cut at its items.
    """
    if not ordered:
        raise BuildError(f"the {lang!r} feed of show {show.id!r} has no items to cut at")
    wanted = list(only) or [0]
    data = _render(show, lang, ordered, [ordered[i] for i in wanted], siblings)
    parts = split_feed(data)
    if parts is None or len(parts.items) != len(wanted):
        raise BuildError(f"cannot cut the {lang!r} feed of show {show.id!r} at its items")
    if not only:
        return FeedParts(parts.head, (), parts.tail)
    return parts


def newest_first(items: Iterable[FeedItem]) -> list[FeedItem]:
    """Newest date first, then the higher number, then the permalink (a total, stable order).

    One sort by a key that negates the first two (every rebuild sorts every feed's items).
    """
    return sorted(items, key=_newest_first_key)


def _newest_first_key(item: FeedItem) -> tuple[int, int, str]:
    episode = item.episode
    number = -1 if episode.number is None else episode.number
    return (-date_key(episode.date), -number, episode.permalink)


def _fill_channel(
    fg: FeedGenerator,
    show: Show,
    lang: str,
    ordered: Sequence[FeedItem],
    siblings: Sequence[str],
) -> None:
    feed_url = show.feed_url_for(lang)
    fg.title(strip_xml_invalid(_localized(show.title, show, lang)))
    fg.description(strip_xml_invalid(_localized(show.description, show, lang)))
    # feedgen's RSS <link> is the href of the *last* link added, so the self link comes first.
    fg.link(href=strip_xml_invalid(feed_url), rel="self", type=RSS_TYPE)
    fg.link(href=strip_xml_invalid(show.link or show.site_url), rel="alternate")
    fg.language(strip_xml_invalid(show.language_tag(lang)))
    if show.copyright:
        fg.copyright(strip_xml_invalid(show.copyright))
    fg.generator(f"podfeed {__version__}")
    fg.image(url=strip_xml_invalid(show.image))
    itunes = fg.podcast
    itunes.itunes_author(strip_xml_invalid(show.author))
    itunes.itunes_owner(
        name=strip_xml_invalid(show.owner.name), email=strip_xml_invalid(show.owner.email)
    )
    for category in show.categories:
        entry = {"cat": strip_xml_invalid(category.name)}
        if category.sub:
            entry["sub"] = strip_xml_invalid(category.sub)
        itunes.itunes_category(entry)
    itunes.itunes_type(show.type)
    fg.podfeed.configure(
        ChannelExtras(
            podcast_guid=podcast_guid(feed_url),
            explicit=show.explicit,
            image=show.image,
            last_build_date=ordered[0].episode.date if ordered else None,
            alternates=tuple(
                AlternateLink(href=show.feed_url_for(other), hreflang=show.language_tag(other))
                for other in dict.fromkeys(siblings)
                if other != lang
            ),
            locked=show.locked,
            locked_owner=show.owner.email,
            apple_verify=show.apple_verify,
        )
    )


def _localized(texts: dict[str, str], show: Show, lang: str) -> str:
    """The text for ``lang``, else the show's default language (the config loader fills both)."""
    return texts.get(lang) or texts.get(show.default_language) or ""
