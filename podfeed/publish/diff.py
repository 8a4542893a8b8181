"""Compare a feed on disk with the one about to replace it: what a listener's app would see change.

Two features rest on this comparison:

- the publishing guard (:mod:`podfeed.publish.guard`, through :func:`compare`) refuses to replace
  a feed when the new one drops many items or gives a new guid to an episode that stays;
- ``podfeed build --check`` (:func:`diff_feeds`, :func:`describe`) says which items changed when
  the feeds on disk are not what a build would write.

Items are matched by guid, the identity podcast apps use; an item without one falls back to its
enclosure URL, then its title (what apps fall back to). The comparison is of meaning, not bytes:
surrounding whitespace, attribute order, CDATA versus escaped text and a ``pubDate`` rewritten in
another zone for the same instant are not changes.

Both feeds are parsed as untrusted input: no DTD, no network, no entity expansion, and a feed that
declares entities is refused outright (billion laughs, external entities). A feed on disk that
cannot be read is not a crash: the diff treats it as absent and the guard warns without blocking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

from lxml import etree

from podfeed.problems import BuildError
from podfeed.safexml import DeclaresEntities, parse_untrusted

__all__ = [
    "ITEM_FIELDS",
    "FeedDiff",
    "GuidChange",
    "ItemChange",
    "UnreadableFeedError",
    "compare",
    "describe",
    "diff_feeds",
    "label",
]

# Fixed prefixes for field names, whatever prefix a feed happens to declare.
_PREFIXES = {
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "https://podcastindex.org/namespace/1.0": "podcast",
    "http://www.w3.org/2005/Atom": "atom",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://search.yahoo.com/mrss/": "media",
}

# The item fields a listener sees, reported first and in this order; any other item element
# (category, podcast:transcript, ...) is compared too and reported after these, by name.
ITEM_FIELDS = (
    "title",
    "link",
    "pubDate",
    "enclosure",
    "itunes:duration",
    "description",
    "content:encoded",
    "itunes:episode",
    "itunes:image",
)


@dataclass(frozen=True)
class ItemChange:
    """An item added, removed or changed. ``key`` is its guid (else enclosure URL, else title);
    ``fields`` names what changed (empty for added and removed items)."""

    key: str
    title: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuidChange:
    """One episode that stays but under a new guid. ``match`` says how the two were recognised as
    the same episode: ``enclosure`` (same audio URL), ``link`` or ``title``. An item without a
    guid contributes the key used in its place."""

    title: str
    old_guid: str
    new_guid: str
    match: str


@dataclass(frozen=True)
class FeedDiff:
    """Everything that differs between two feeds, each part in feed order (new feed, then old)."""

    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]
    changed: tuple[ItemChange, ...]
    guid_changes: tuple[GuidChange, ...]
    channel_fields: tuple[str, ...]

    @property
    def identical(self) -> bool:
        """No difference a reader could see (the bytes may still differ in formatting)."""
        return not (
            self.added or self.removed or self.changed or self.guid_changes or self.channel_fields
        )


# --- parsing ----------------------------------------------------------------------------------

# One element, reduced to what it means: attributes, stripped text, children.
_Canon = tuple[tuple[tuple[str, str], ...], str, tuple["_Canon", ...]]


@dataclass(frozen=True)
class _Item:
    identity: tuple[str, str, int]  # (what the key is, the key, occurrence of that key)
    key: str
    guid: str
    title: str
    link: str
    enclosure_url: str
    fields: Mapping[str, tuple[_Canon, ...]]


@dataclass(frozen=True)
class _Feed:
    channel: Mapping[str, tuple[_Canon, ...]]
    items: tuple[_Item, ...]


class UnreadableFeedError(Exception):
    """The bytes are not a feed that can be compared (the message says why)."""


def _parse(data: bytes) -> _Feed:
    """Parse an RSS feed safely.

    :raises UnreadableFeedError: not well-formed, declares entities, or not RSS.
    """
    try:
        root = parse_untrusted(data)
    except DeclaresEntities:
        raise UnreadableFeedError("it declares XML entities, which podfeed never reads") from None
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadableFeedError(f"it is not well-formed XML ({exc})") from exc
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise UnreadableFeedError(f"it is not an RSS feed (root element <{root.tag}>)")
    return _Feed(
        channel=_fields(child for child in channel if child.tag != "item"),
        items=_items(channel.iterfind("item")),
    )


def _items(elements: Iterable[etree._Element]) -> tuple[_Item, ...]:
    seen: defaultdict[tuple[str, str], int] = defaultdict(int)
    items = []
    for element in elements:
        guid = _text(element.find("guid"))
        title = " ".join(_text(element.find("title")).split())
        enclosure = element.find("enclosure")
        url = "" if enclosure is None else (enclosure.get("url") or "").strip()
        kind, key = _key(guid, url, title)
        # Repeated keys (a feed listing one guid twice) pair up in order, first with first.
        seen[(kind, key)] += 1
        items.append(
            _Item(
                identity=(kind, key, seen[(kind, key)]),
                key=key,
                guid=guid,
                title=title,
                link=_text(element.find("link")),
                enclosure_url=url,
                fields=_fields(child for child in element if child.tag != "guid"),
            )
        )
    return tuple(items)


def _key(guid: str, url: str, title: str) -> tuple[str, str]:
    """What an app identifies an item by: its guid, else its enclosure URL, else its title."""
    if guid:
        return ("guid", guid)
    if url:
        return ("enclosure", url)
    return ("title", title)


def _fields(elements: Iterable[etree._Element]) -> dict[str, tuple[_Canon, ...]]:
    """Group elements by field name, each field's values kept in document order."""
    grouped: dict[str, list[_Canon]] = {}
    for element in elements:
        if not isinstance(element.tag, str):  # entity references left unexpanded
            continue
        name = _field_name(element)
        value = _pub_date(element) if name == "pubDate" else _canon(element)
        grouped.setdefault(name, []).append(value)
    return {name: tuple(values) for name, values in grouped.items()}


def _field_name(element: etree._Element) -> str:
    qname = etree.QName(element)
    if qname.namespace is None:
        return qname.localname
    prefix = _PREFIXES.get(qname.namespace) or element.prefix or "{" + qname.namespace + "}"
    return f"{prefix}:{qname.localname}"


def _canon(element: etree._Element) -> _Canon:
    attributes = tuple(sorted((str(k), str(v).strip()) for k, v in element.attrib.items()))
    children = tuple(_canon(child) for child in element if isinstance(child.tag, str))
    return (attributes, _text(element), children)


def _pub_date(element: etree._Element) -> _Canon:
    """A date is compared as an instant: ``+0000`` and ``-0800`` for the same moment are equal."""
    attributes, text, children = _canon(element)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return (attributes, text, children)
    if moment.tzinfo is None:
        return (attributes, text, children)
    return (attributes, moment.astimezone(UTC).isoformat(), children)


def _text(element: etree._Element | None) -> str:
    return "" if element is None else (element.text or "").strip()


# --- diff -------------------------------------------------------------------------------------


def diff_feeds(old: bytes | None, new: bytes) -> FeedDiff:
    """What changes for a reader when ``new`` replaces ``old``.

    ``old`` is ``None`` when there is no feed on disk yet; an old feed that cannot be read is
    treated the same way. Either way every item is ``added`` and every channel field differs.

    :raises BuildError: the new feed itself cannot be read (podfeed wrote something broken).
    """
    return _diff(_parse_old(old), _parse_new(new))


def _parse_old(old: bytes | None) -> _Feed | None:
    if old is None:
        return None
    try:
        return _parse(old)
    except UnreadableFeedError:
        return None


def _parse_new(new: bytes) -> _Feed:
    try:
        return _parse(new)
    except UnreadableFeedError as exc:
        raise BuildError(f"the new feed cannot be compared with the one on disk: {exc}") from exc


def compare(old: bytes, new: bytes) -> tuple[FeedDiff, int]:
    """What changes when ``new`` replaces ``old``, and how many items ``old`` holds.

    :raises BuildError: the new feed itself cannot be read (podfeed wrote something broken).
    :raises UnreadableFeedError: the old feed cannot be read (the message says why).
    """
    new_feed = _parse_new(new)
    old_feed = _parse(old)
    return _diff(old_feed, new_feed), len(old_feed.items)


def _diff(old: _Feed | None, new: _Feed) -> FeedDiff:
    if old is None:
        return FeedDiff(
            added=tuple(ItemChange(i.key, i.title) for i in new.items),
            removed=(),
            changed=(),
            guid_changes=(),
            channel_fields=tuple(new.channel),
        )
    old_by_identity = {item.identity: item for item in old.items}
    new_identities = {item.identity for item in new.items}
    added = [item for item in new.items if item.identity not in old_by_identity]
    removed = [item for item in old.items if item.identity not in new_identities]
    pairs = _same_episodes(added, removed)
    paired_old = {id(before) for before, _ in pairs.values()}
    return FeedDiff(
        added=tuple(ItemChange(i.key, i.title) for i in added if i.identity not in pairs),
        removed=tuple(ItemChange(i.key, i.title) for i in removed if id(i) not in paired_old),
        changed=tuple(_changed_items(new.items, old_by_identity, pairs)),
        guid_changes=tuple(
            GuidChange(item.title or before.title, before.key, item.key, match)
            for item in added
            if item.identity in pairs
            for before, match in (pairs[item.identity],)
        ),
        channel_fields=_changed_channel(old.channel, new.channel),
    )


def _changed_items(
    items: Iterable[_Item],
    old_by_identity: Mapping[tuple[str, str, int], _Item],
    pairs: Mapping[tuple[str, str, int], tuple[_Item, str]],
) -> Iterator[ItemChange]:
    """Items present in both feeds (under the same key or a changed guid) whose fields differ."""
    for item in items:
        before = old_by_identity.get(item.identity)
        if before is None and item.identity in pairs:
            before = pairs[item.identity][0]
        fields = () if before is None else _changed_fields(before.fields, item.fields)
        if fields:
            yield ItemChange(item.key, item.title, fields)


def _same_episodes(
    added: Sequence[_Item], removed: Sequence[_Item]
) -> dict[tuple[str, str, int], tuple[_Item, str]]:
    """Pair each added item with a removed one that is the same episode under another key.

    Audio URL first (the surest sign), then link, then title; within a pass, new-feed order picks
    the first unpaired old item in old-feed order, so the result is deterministic.
    """
    pairs: dict[tuple[str, str, int], tuple[_Item, str]] = {}
    taken: set[int] = set()
    for match, attribute in (("enclosure", "enclosure_url"), ("link", "link"), ("title", "title")):
        candidates: dict[str, list[_Item]] = defaultdict(list)
        for old_item in removed:
            if id(old_item) not in taken and getattr(old_item, attribute):
                candidates[getattr(old_item, attribute)].append(old_item)
        for item in added:
            value = getattr(item, attribute)
            if item.identity in pairs or not value or not candidates.get(value):
                continue
            old_item = candidates[value].pop(0)
            taken.add(id(old_item))
            pairs[item.identity] = (old_item, match)
    return pairs


def _changed_fields(
    old: Mapping[str, tuple[_Canon, ...]], new: Mapping[str, tuple[_Canon, ...]]
) -> tuple[str, ...]:
    """The item fields that differ: :data:`ITEM_FIELDS` in that order, then the rest by name."""
    others = sorted((set(old) | set(new)) - set(ITEM_FIELDS))
    return tuple(name for name in (*ITEM_FIELDS, *others) if old.get(name, ()) != new.get(name, ()))


def _changed_channel(
    old: Mapping[str, tuple[_Canon, ...]], new: Mapping[str, tuple[_Canon, ...]]
) -> tuple[str, ...]:
    """The channel fields that differ, in the new feed's order, then those only the old had."""
    names = dict.fromkeys([*new, *old])
    return tuple(name for name in names if old.get(name, ()) != new.get(name, ()))


# --- description ------------------------------------------------------------------------------


def describe(diff: FeedDiff, *, limit: int = 20) -> list[str]:
    """One human line per difference, at most ``limit`` of them plus a line counting the rest.

    Order: channel, guid changes, removed, added, changed items (the most harmful first).

    :raises ValueError: ``limit`` is negative.
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    lines = list(_lines(diff))
    if len(lines) <= limit:
        return lines
    rest = len(lines) - limit
    return [*lines[:limit], f"… and {rest} more change{'s' if rest != 1 else ''}"]


def _lines(diff: FeedDiff) -> Iterator[str]:
    if diff.channel_fields:
        yield f"~ channel: {', '.join(diff.channel_fields)}"
    for change in diff.guid_changes:
        yield (
            f"! guid changed: {label(change.title, change.new_guid)} "
            f"{change.old_guid or '(none)'} → {change.new_guid or '(none)'}"
        )
    for item in diff.removed:
        yield f"- removed: {label(item.title, item.key)}"
    for item in diff.added:
        yield f"+ added: {label(item.title, item.key)}"
    for item in diff.changed:
        yield f"~ changed: {label(item.title, item.key)} ({', '.join(item.fields)})"


def label(title: str, key: str) -> str:
    return " ".join(title.split()) or " ".join(key.split()) or "(untitled)"
