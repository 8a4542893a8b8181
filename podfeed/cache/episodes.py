"""The episode cache: one show's parsed episode files, so a rebuild parses only what changed.

The site stage asks it before parsing a file (:meth:`EpisodeCache.lookup`) and tells it what
parsing gave (:meth:`EpisodeCache.store`); how entries are kept is this package's business
(:mod:`podfeed.cache.shards`). An entry is keyed by the file's path and a digest of its bytes,
under the show's fingerprint (:mod:`podfeed.cache.store` says why a stale hit cannot happen).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podfeed.cache import store
from podfeed.cache.shards import (
    SHARDS,
    Entry,
    Parsed,
    ShardTexts,
    Spool,
    Stored,
    TextsBuffer,
    load_shard,
    shard_of,
    shard_path,
    unpack,
)
from podfeed.cache.store import (
    FileIdentity,
    content_digest,
    entry_name,
    file_identity,
    show_fingerprint,
)
from podfeed.config.model import Show
from podfeed.model import EpisodeState, keep_texts_in
from podfeed.runtime import collection_paused

__all__ = ["EpisodeCache", "Parsed"]


@dataclass
class EpisodeCache:
    """Parsed episode files of one show, by path (as problems name it) and content.

    Use :meth:`lookup` before parsing a file and :meth:`store` after; :meth:`save` writes the
    cache back if anything changed.
    """

    path: Path | None  # None: in memory only (nothing read or written)
    fingerprint: str
    entries: dict[str, Entry] = field(default_factory=dict)
    # As loaded, unpacked on lookup: each entry with the texts of its shard file.
    stored: dict[str, tuple[Stored, TextsBuffer]] = field(default_factory=dict)
    started_ns: int = field(default_factory=time.time_ns)
    dirty: set[int] = field(default_factory=set)  # shards to write back
    _used: set[str] = field(default_factory=set)
    _spools: dict[int, Spool] = field(default_factory=dict)  # shards being written

    @classmethod
    def open(cls, folder: Path, show: Show) -> EpisodeCache:
        fingerprint = show_fingerprint(show)
        path = folder / entry_name("episodes", show.id)
        stored: dict[str, tuple[Stored, TextsBuffer]] = {}
        with collection_paused():  # a few hundred thousand tuples, all kept
            for shard in range(SHARDS):
                stored.update(load_shard(shard_path(path, shard), fingerprint))
        return cls(path, fingerprint, stored=stored)

    def _entry(self, source: str, path: Path) -> Entry | None:
        entry = self.entries.get(source)
        if entry is None and source in self.stored:
            try:
                entry = unpack(*self.stored.pop(source), path)
            except (TypeError, ValueError):  # damaged: a miss, and rewritten
                self.dirty.add(shard_of(source))
                return None
            self.entries[source] = entry
        return entry

    def lookup(
        self, path: Path, info: os.stat_result | None = None
    ) -> tuple[Parsed | None, FileIdentity | None, bytes | None]:
        """``(parsed, identity, data)``: ``parsed`` on a hit; else the file's identity and the
        bytes that were read to check it (``None`` when not read), for the caller to parse.

        ``info`` is the file's ``stat`` when the caller already took it (before any read of
        the file in this build); otherwise it is taken here.
        """
        source = str(path)
        if info is None:
            try:
                info = os.stat(path)
            except OSError:
                return None, None, None  # the parser reports why
        identity = file_identity(info)
        entry = self._entry(source, path)
        if entry is None:
            return None, identity, None
        changed_ns = max(info.st_mtime_ns, info.st_ctime_ns)
        if entry.identity == identity and changed_ns < entry.seen_ns - store.RACY_NS:
            self._used.add(source)
            return entry.parsed, identity, None
        if entry.identity[2] != info.st_size:
            return None, identity, None
        try:
            data = path.read_bytes()
        except OSError:
            return None, identity, None
        if content_digest(data) != entry.digest:
            return None, identity, data
        # Same bytes (e.g. the file was touched, or read too soon after its last change).
        self.entries[source] = Entry(identity, self.started_ns, entry.digest, entry.parsed)
        self._used.add(source)
        self.dirty.add(shard_of(source))
        return entry.parsed, identity, None

    def store(
        self,
        path: Path,
        identity: FileIdentity,
        digest: bytes,
        parsed: Parsed,
        state: EpisodeState | None = None,
    ) -> None:
        """Record a parse of ``path``: ``identity`` was taken before the bytes with ``digest``
        were read, so a change after that is seen as a changed ``ctime``.

        ``state`` is the episode's :func:`episode_state` when the caller has it (from a
        parsing worker): its texts are written to the shard's file at once, so that a cold
        build of a large show never holds every episode's texts twice.
        """
        source = str(path)
        entry = self.entries[source] = Entry(identity, self.started_ns, digest, parsed)
        self._used.add(source)
        shard = shard_of(source)
        self.dirty.add(shard)
        if state is not None and self.path is not None:
            spool = self._spools.get(shard)
            if spool is None:
                spool = Spool.start(shard_path(self.path, shard), self.fingerprint)
                self._spools[shard] = spool
            spool.add(source, entry, state)

    def _read_from(self, texts: ShardTexts | None, records: list[tuple[Any, ...]]) -> None:
        """Let the episodes just written to a shard file read their texts from it again.

        A cold build receives every episode's texts from the parsing workers; once they are in
        the shard file, holding them in memory too (110 MB on a 3,000-episode show in six
        languages) only raises the build's peak memory. Texts already decoded stay as they are.
        """
        if texts is None:
            return
        for source, *_, offset, length, _problems, _lines in records:
            entry = self.entries.get(source)
            episode = None if entry is None else entry.parsed[0]
            if episode is not None:
                keep_texts_in(episode, texts, offset, length)

    def count(self) -> int:
        """How many episode files it holds."""
        return len(self.entries) + len(self.stored)

    def digest(self, source: str) -> bytes | None:
        """The content digest of the file ``source``, as last parsed or verified."""
        entry = self.entries.get(source)
        return None if entry is None else entry.digest

    def save(self) -> None:
        """Write back the shards that changed; entries of files no longer found are dropped."""
        for source in set(self.entries) - self._used:
            del self.entries[source]
            self.dirty.add(shard_of(source))
        self.dirty.update(shard_of(source) for source in self.stored)  # never looked up: gone
        self.stored.clear()
        if self.dirty and self.path is not None:
            shards: dict[int, list[str]] = {shard: [] for shard in self.dirty}
            for source in self.entries:
                shard = shard_of(source)
                if shard in shards:
                    shards[shard].append(source)
            for shard, sources in shards.items():
                spool = self._spools.pop(shard, None) or Spool.start(
                    shard_path(self.path, shard), self.fingerprint
                )
                # One entry at a time: a state holds a copy of the episode's texts.
                for source in sources:
                    if source not in spool.sources:
                        spool.add(source, self.entries[source])
                self._read_from(spool.finish(), spool.records)
        for spool in self._spools.values():  # shards no longer wanted (cannot happen; safe)
            spool.abandon()
        self._spools.clear()
        self.dirty.clear()
