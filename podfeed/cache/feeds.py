"""The feed cache: the last render of each feed, so a rebuild renders only the items that changed.

The feed stage asks it what it holds for a feed it is about to render from some inputs
(:meth:`FeedCache.recall`): the file on disk as it is, when it was rendered from exactly these
inputs; else the bytes and the checker's verdict of each item the last render already had; and
tells it what it rendered (:meth:`FeedCache.remember`). It never sees how entries are kept.

An entry is keyed by a digest of everything the feed is rendered from: the code and show
fingerprints, the language, the sibling languages, and each item's episode content key (from the
show's :class:`~podfeed.cache.episodes.EpisodeCache`) and media. Its bytes are not stored: the feed
file on disk holds them, and is reused only when its digest is the one recorded.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from podfeed.cache.episodes import EpisodeCache
from podfeed.cache.store import code_fingerprint, content_digest, load_pickle, save_pickle
from podfeed.config.model import Show
from podfeed.model import Episode, Media
from podfeed.problems import Problem
from podfeed.publish.files import read_existing

__all__ = ["FEEDS_FILE", "CachedFeed", "FeedCache", "Recall", "Reuse"]

FEEDS_FILE = "feeds.pickle"

# What the feed stage keeps of one item, opaque here: where it lies in the feed's bytes (offset,
# length, line count), then what the checker said of it (see podfeed.validate.incremental).
Layout = tuple[Any, ...]


@dataclass(frozen=True)
class CachedFeed:
    """What a feed render produced, minus the bytes (the file on disk holds those).

    ``problems`` are the validation problems except the clock-dependent ones, ``newest`` the
    latest item date (``None`` without items), ``layout`` each item's key followed by its
    :data:`Layout`, newest first (none when the items could not be told apart).

    The items are kept as plain tuples: every build loads every feed's entry, and unpickling
    18,000 named tuples and dataclasses took 0.1 s.
    """

    key: bytes
    size: int
    digest: bytes
    problems: tuple[Problem, ...]
    newest: datetime | None
    layout: tuple[tuple[Any, ...], ...] = ()


@dataclass
class Recall:
    """What the cache holds for one feed about to be rendered (see :meth:`FeedCache.recall`).

    ``on_disk`` is the feed file as it was read here (``None``: there is none), when ``read``;
    a file is read only for a feed rendered before.
    """

    path: Path
    keys: tuple[bytes, list[bytes]] | None  # the feed's input digest and each item's
    previous: CachedFeed | None  # the last render, when the file on disk is still that render
    on_disk: bytes | None = None
    read: bool = False

    @property
    def unchanged(self) -> bool:
        """The file on disk is the render of exactly these inputs (see :attr:`problems`)."""
        previous, keys = self.previous, self.keys
        return previous is not None and keys is not None and previous.key == keys[0]

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The validation problems of the last render, the clock-dependent ones left out."""
        return () if self.previous is None else self.previous.problems

    @property
    def digest(self) -> bytes | None:
        """The content digest of the last render (the file on disk)."""
        return None if self.previous is None else self.previous.digest

    def reuse(self, max_share: float) -> Reuse | None:
        """What the last render gives of this feed's items: for each item (in this feed's
        order), its bytes and :data:`Layout` when the last render had it, else ``None``; itself
        ``None`` when more than ``max_share`` of the items would be new, or nothing is known."""
        previous, keys, old = self.previous, self.keys, self.on_disk
        if previous is None or keys is None or old is None or not previous.layout:
            return None
        item_keys = keys[1]
        known = {entry[0]: entry for entry in previous.layout}
        missing = sum(1 for key in item_keys if key not in known)
        if not item_keys or missing > max_share * len(item_keys):
            return None
        fragments: list[bytes | None] = []
        layouts: list[Layout | None] = []
        for key in item_keys:
            entry = known.get(key)
            if entry is None:
                fragments.append(None)
                layouts.append(None)
            else:
                fragments.append(old[entry[1] : entry[1] + entry[2]])
                layouts.append(entry[1:])
        return Reuse(fragments, layouts, self._replaced(previous, item_keys, old))

    @staticmethod
    def _replaced(previous: CachedFeed, item_keys: list[bytes], old: bytes) -> list[bytes]:
        """The bytes of the items of the feed on disk that the new feed no longer holds."""
        wanted = Counter(item_keys)
        seen: Counter[bytes] = Counter()
        replaced = []
        for entry in previous.layout:
            key = entry[0]
            seen[key] += 1
            if seen[key] > wanted[key]:
                replaced.append(old[entry[1] : entry[1] + entry[2]])
        return replaced


@dataclass(frozen=True)
class Reuse:
    """The items of a feed its last render already had (see :meth:`Recall.reuse`)."""

    fragments: list[bytes | None]  # each item's bytes; None: the item is new
    layouts: list[Layout | None]  # each item's layout in the last render
    replaced: list[bytes]  # the bytes of the last render's items this feed no longer has


@dataclass
class FeedCache:
    """The last render of each feed of a site, by path (see the module)."""

    folder: Path | None  # None: never hits, never saved
    shows: Mapping[str, EpisodeCache]  # the site's episode caches (each episode's content key)
    _entries: dict[str, CachedFeed] | None = None  # read on first use (a replay never needs it)
    dirty: bool = False
    # repr() of each media object keyed so far (the same media is in every language's feed).
    _media_reprs: dict[int, tuple[Media, str]] = field(default_factory=dict)

    @property
    def entries(self) -> dict[str, CachedFeed]:
        """The last render of each feed, by path."""
        if self._entries is None:
            found = {}
            if self.folder is not None:
                found = load_pickle(self.folder / FEEDS_FILE, code_fingerprint())
            self._entries = {k: v for k, v in found.items() if isinstance(v, CachedFeed)}
        return self._entries

    def rendered_before(self, path: Path) -> bool:
        """Whether the cache knows a render of ``path`` (whatever it was rendered from)."""
        return str(path) in self.entries

    def recall(
        self,
        path: Path,
        show: Show,
        lang: str,
        siblings: Sequence[str],
        items: Iterable[tuple[Episode, Media]],
        *,
        trusted: bytes | None = None,
    ) -> Recall:
        """What the cache holds for the feed at ``path`` rendered from ``items`` (newest first).

        The file on disk is read when a render of it is known, and that render is given back
        only when the file still holds its bytes; ``trusted`` is the file's digest when it is
        known without reading it (then it is not hashed).
        """
        keys = self._keys(show, lang, siblings, items)
        previous = self.entries.get(str(path))
        if previous is None:
            return Recall(path, keys, None)
        old = read_existing(path)
        if (
            old is None
            or len(old) != previous.size
            or not (previous.digest == trusted or content_digest(old) == previous.digest)
        ):
            previous = None
        return Recall(path, keys, previous, old, read=True)

    def remember(
        self,
        recall: Recall,
        *,
        size: int,
        digest: bytes,
        problems: Iterable[Problem],
        newest: datetime | None,
        layout: Sequence[Layout] | None,
    ) -> None:
        """Keep what a render of ``recall``'s feed from its inputs gave: ``size`` bytes with
        ``digest``, the validation problems (the clock-dependent ones left out), and each
        item's :data:`Layout` (``None`` when the items could not be told apart)."""
        if recall.keys is None:
            return  # an episode without a content key: never cached
        key, item_keys = recall.keys
        items: tuple[tuple[Any, ...], ...] = ()
        if layout is not None and len(layout) == len(item_keys):
            items = tuple(
                (item_key, *place) for item_key, place in zip(item_keys, layout, strict=True)
            )
        entry = CachedFeed(key, size, digest, tuple(problems), newest, items)
        if self.entries.get(str(recall.path)) != entry:
            self.entries[str(recall.path)] = entry
            self.dirty = True

    def save(self) -> None:
        if self.folder is not None and self.dirty:
            save_pickle(self.folder / FEEDS_FILE, code_fingerprint(), self.entries)
            self.dirty = False

    def _keys(
        self, show: Show, lang: str, siblings: Sequence[str], items: Iterable[tuple[Episode, Media]]
    ) -> tuple[bytes, list[bytes]] | None:
        """The feed's input digest and each item's; ``None`` when an episode has no content key
        (then the feed is always rendered in full, and never cached).

        An episode is identified by its content key (path + bytes, under the show fingerprint),
        plus the fields the build may change after parsing (``youtube_id`` is cleared when the
        video is gone) and the media it is published with. The feed adds the show, the
        language, the sibling languages and its items' keys in feed order.
        """
        cache = self.shows.get(show.id)
        if cache is None:
            return None
        base = f"{cache.fingerprint}|{lang}|".encode()
        keys = []
        for episode, media in items:
            content = cache.digest(episode.source)
            if content is None:
                return None
            described = self._media_reprs.get(id(media))
            if described is None or described[0] is not media:
                described = self._media_reprs[id(media)] = (media, repr(media))
            tail = f"|{episode.source}|{episode.youtube_id}|{described[1]}".encode()
            keys.append(hashlib.blake2b(base + content + tail, digest_size=20).digest())
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{cache.fingerprint}|{lang}|{list(siblings)!r}".encode())
        for key in keys:
            digest.update(key)
        return digest.digest(), keys
