"""The episode cache's files: one show's parsed episode files, in sixteen shard files.

A shard file holds the texts payloads of its episodes one after the other, then an index (one
pickle: the magic, the fingerprint and one record per episode file, saying where its payload
lies), then a footer: the index's offset and the magic again. Loading reads the index only and
keeps the file open, so a rebuild reads the texts of the few episodes it renders, not 100 MB.
The file is written front to back as results come in (:class:`Spool`), so it never needs every
episode's texts in memory at once; a file cut short has no footer and is ignored.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import struct
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podfeed.cache.store import FileIdentity
from podfeed.model import Episode, EpisodeState, LazyTexts, episode_from_state, episode_state
from podfeed.problems import Problem

__all__ = [
    "SHARDS",
    "Entry",
    "Parsed",
    "ShardTexts",
    "Spool",
    "Stored",
    "TextsBuffer",
    "load_shard",
    "shard_of",
    "shard_path",
    "unpack",
]

# What parsing one file gives: the episode (or None), its problems, the line of each key.
Parsed = tuple[Episode | None, list[Problem], dict[str, int]]


@dataclass
class Entry:
    """One episode file as the cache knows it: as it was seen, and what parsing it gave."""

    identity: FileIdentity
    seen_ns: int  # wall clock just before the file was read or last verified
    digest: bytes
    parsed: Parsed


# Stored form of an entry, as the shard's index holds it: plain tuples, the episode's short
# fields without its ``path`` (the key gives it back), and where its long texts lie in the shard
# file. Building 18,000 ``Path`` objects and dataclasses through pickle's generic protocol, or
# copying 100 MB of texts out of the file, is most of what a rebuild would take.
Stored = tuple[
    FileIdentity,
    int,  # seen_ns
    bytes,  # digest
    tuple[Any, ...] | None,  # the episode's short fields (None: the file gave no episode)
    int,  # offset of the texts payload in the shard file
    int,  # its length
    tuple[Problem, ...],
    dict[str, int],
]


class ShardTexts:
    """The texts region of one shard file, read through a descriptor that stays open.

    Reads are ``pread`` calls: nothing is mapped or held in memory. A later build that renames
    a new file over this one leaves it readable (the descriptor keeps the old file) for as long
    as an episode still needs its texts; the descriptor closes with the last of them.
    """

    __slots__ = ("end", "file")

    def __init__(self, file: io.FileIO, end: int) -> None:
        self.file = file
        self.end = end  # where the texts stop (the index follows)

    def __del__(self) -> None:
        self.file.close()  # the last episode that could read it is gone

    def __len__(self) -> int:
        return self.end

    def __getitem__(self, part: slice) -> bytes:
        start, stop = part.start, part.stop
        data = os.pread(self.file.fileno(), stop - start, start)
        if len(data) != stop - start:
            raise ValueError(f"damaged episode texts: {self.file.name} was cut short")
        return data


# Where texts are kept: in memory, or in a shard file.
TextsBuffer = bytes | ShardTexts


def unpack(stored: Stored, buffer: TextsBuffer, path: Path) -> Entry:
    """The entry a shard's index record ``stored`` describes, its texts read from ``buffer``.

    :raises ValueError: the record is damaged.
    :raises TypeError: the record is damaged.
    """
    identity, seen_ns, digest, short, offset, length, problems, key_lines = stored
    episode = None
    if short is not None:
        episode = episode_from_state((short, LazyTexts(buffer, offset, length)), path)
    return Entry(identity, seen_ns, digest, (episode, list(problems), key_lines))


_SHARD_MAGIC = b"podfeed-shard-7\n"
_FOOTER = struct.Struct(f"<Q{len(_SHARD_MAGIC)}s")
# Payloads are a few KB: with the default 8 KB buffer nearly every one was its own write call.
_SPOOL_BUFFER = 1 << 20


def load_shard(path: Path, fingerprint: str) -> dict[str, tuple[Stored, TextsBuffer]]:
    """The entries of one shard file for ``fingerprint``, each with the file's texts (read
    from the file on demand, see :func:`_texts_of`); empty on any mismatch or damage."""
    try:
        handle = io.FileIO(path, "r")
    except Exception:  # missing, a folder, unreadable: start cold
        return {}
    kept = False  # the handle now belongs to the ShardTexts the entries read from
    try:
        size = os.fstat(handle.fileno()).st_size
        handle.seek(size - _FOOTER.size)
        index_at, magic = _FOOTER.unpack(handle.read(_FOOTER.size))
        if magic != _SHARD_MAGIC or not 0 <= index_at <= size - _FOOTER.size:
            return {}
        handle.seek(index_at)
        header, stamp, records = pickle.loads(handle.readall()[: -_FOOTER.size])
        if (header, stamp) != (_SHARD_MAGIC, fingerprint):
            return {}
        buffer = _texts_of(handle, index_at)
        kept = isinstance(buffer, ShardTexts)
    except Exception:  # truncated, garbage, another layout: start cold
        return {}
    finally:
        if not kept:
            handle.close()
    entries: dict[str, tuple[Stored, TextsBuffer]] = {}
    for source, *stored in records:
        entries[source] = (tuple(stored), buffer)
    return entries


# Where an open shard file can still be replaced by rename (Windows refuses to replace an open
# file): the texts are read from it on demand there, and read at once elsewhere.
_READ_ON_DEMAND = os.name == "posix"


def _texts_of(handle: io.FileIO, end: int) -> TextsBuffer:
    """The payloads of a shard file: the open file itself where it may stay open, else its
    bytes."""
    if _READ_ON_DEMAND:
        return ShardTexts(handle, end)
    handle.seek(0)
    return handle.read(end) or b""


@dataclass
class Spool:
    """A shard file being written: a temporary file renamed over the shard when complete.

    Only ever an accelerator: any error writing it abandons it (the shard on disk stays as it
    was, and the next build parses those files again).
    """

    path: Path
    fingerprint: str
    tmp: str | None
    handle: Any
    sources: set[str] = field(default_factory=set)
    records: list[tuple[Any, ...]] = field(default_factory=list)
    written: int = 0

    @classmethod
    def start(cls, path: Path, fingerprint: str) -> Spool:
        spool = cls(path, fingerprint, None, None)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, spool.tmp = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
            )
            spool.handle = os.fdopen(fd, "wb", buffering=_SPOOL_BUFFER)
        except OSError:
            spool.abandon()
        return spool

    def add(self, source: str, entry: Entry, state: EpisodeState | None = None) -> None:
        """Write the entry's texts now and keep its index record (a few hundred bytes)."""
        self.sources.add(source)
        if self.handle is None:
            return
        episode, problems, key_lines = entry.parsed
        short, offset, length = None, 0, 0
        if episode is not None:
            short, payload = state if state is not None else episode_state(episode)
            offset, length = self.written, len(payload)
            if not self._write(payload):
                return
        record = (source, entry.identity, entry.seen_ns, entry.digest, short, offset, length)
        self.records.append((*record, tuple(problems), key_lines))

    def finish(self) -> ShardTexts | None:
        """Write the index and the footer, close, and put the file in place of the shard.

        Returns the new file's texts, open for reading, where files are read on demand (None
        where they are not, or when the file could not be written). The reading descriptor is
        opened before the rename, so it reads the file written here whatever replaces it later.
        """
        if self.handle is None or self.tmp is None:
            return None
        try:
            index = pickle.dumps(
                (_SHARD_MAGIC, self.fingerprint, self.records), protocol=pickle.HIGHEST_PROTOCOL
            )
        except (pickle.PicklingError, RecursionError):
            self.abandon()
            return None
        index_at = self.written
        if not (self._write(index) and self._write(_FOOTER.pack(index_at, _SHARD_MAGIC))):
            return None
        reader: io.FileIO | None = None
        try:
            self.handle.close()
            self.handle = None
            if _READ_ON_DEMAND:
                reader = io.FileIO(self.tmp, "r")
            os.replace(self.tmp, self.path)
            self.tmp = None
        except OSError:
            if reader is not None:
                reader.close()
            self.abandon()
            return None
        return None if reader is None else ShardTexts(reader, index_at)

    def _write(self, data: bytes) -> bool:
        try:
            self.handle.write(data)
        except OSError:
            self.abandon()
            return False
        self.written += len(data)
        return True

    def abandon(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
            self.handle = None
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


# Episode entries are split over this many files by path, so that a build which changed a few
# files rewrites a few small files, not one holding every episode (100 MB on a large show).
SHARDS = 16


def shard_of(source: str) -> int:
    return zlib.crc32(source.encode("utf-8", "surrogateescape")) % SHARDS


def shard_path(path: Path, shard: int) -> Path:
    return path.with_name(f"{path.stem}-{shard:x}{path.suffix}")
