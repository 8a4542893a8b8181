"""A build cache: parsed episode files and rendered feeds, so a rebuild redoes only what changed.

It lives in ``.podfeed-cache/`` next to the config. It is only ever an accelerator: deleting it,
or any damage to it (truncated, garbage, another format, written by another podfeed), makes the
next build start cold and produce the same bytes; it never raises and never changes output.

Why a stale hit cannot happen:

- Everything is invalidated together by the *code fingerprint*: podfeed's version plus a digest
  of podfeed's own source files and the versions of the libraries whose output ends up in a feed
  (PyYAML, markdown-it-py, nh3, feedgen, lxml). Editing podfeed without bumping the version
  still invalidates.
- A show's entries are also tied to the show's whole config (``repr`` of the frozen ``Show``):
  any change to the show invalidates its episodes.
- An episode entry is keyed by the file's path and a BLAKE2 digest of its bytes. To skip reading
  unchanged files, the entry also keeps the file's ``stat`` identity (device, inode, size,
  mtime and ctime in nanoseconds). A matching ``stat`` is trusted only when the file was last
  changed well before the time it was read (:data:`RACY_NS`); otherwise the bytes are read and
  compared by digest, as git does for "racily clean" index entries. ``ctime`` cannot be set back
  by ``touch`` or an editor, so a rewrite with the same size and mtime still misses.
- A feed entry is keyed by a digest of everything the feed is rendered from (the code and show
  fingerprints, language, sibling languages, each item's episode content key and media). Its
  bytes are not stored: the feed file on disk is reused when its digest is the one recorded.

Files are written atomically (temporary file + rename), so a crash leaves the old cache or the
new one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from podfeed import __version__
from podfeed.config.model import Show
from podfeed.model import (
    Episode,
    EpisodeState,
    LazyTexts,
    Media,
    episode_from_state,
    episode_state,
    keep_texts_in,
)
from podfeed.problems import Problem
from podfeed.publish.files import remove_stale_temporaries
from podfeed.runtime import collection_paused
from podfeed.validate.base import ItemInfo

__all__ = [
    "CACHE_DIR",
    "RACY_NS",
    "BuildCache",
    "CachedFeed",
    "CachedItem",
    "EpisodeCache",
    "code_fingerprint",
    "content_digest",
    "file_identity",
    "load_pickle",
    "save_pickle",
    "show_fingerprint",
]

CACHE_DIR = ".podfeed-cache"
# A file changed less than this before it was read may change again within one timestamp tick
# without its stat changing (coarse file system clocks: 1-2 s on FAT, HFS+, some network mounts).
RACY_NS = 2_000_000_000
_FORMAT = 7  # bump when the stored layout changes
_LIBRARIES = ("PyYAML", "markdown-it-py", "nh3", "feedgen", "lxml")

# (st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)
FileIdentity = tuple[int, int, int, int, int]
# What parsing one file gives: the episode (or None), its problems, the line of each key.
Parsed = tuple[Episode | None, list[Problem], dict[str, int]]


def file_identity(info: os.stat_result) -> FileIdentity:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def content_digest(data: bytes) -> bytes:
    """The content key of a file's bytes (BLAKE2b, 20 bytes: fast, and collisions are moot)."""
    return hashlib.blake2b(data, digest_size=20).digest()


@functools.cache
def code_fingerprint() -> str:
    """Identifies the code that turns files into feeds: a cache made by other code is void.

    Hashing podfeed's sources (a few hundred KB, a millisecond or two) rather than trusting the
    version alone keeps a development checkout from reusing results of code that was edited.
    """
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{_FORMAT}|{__version__}|{sys.version}".encode())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"|{name}={version}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode())
        try:
            digest.update(source.read_bytes())
        except OSError:  # unreadable source: a fingerprint that never matches a stored one
            digest.update(os.urandom(16))
    return digest.hexdigest()


def show_fingerprint(show: Show) -> str:
    """The code fingerprint and the whole show config: anything that may change parsing.

    ``repr`` of the frozen dataclasses is deterministic (dicts keep the config's order).
    """
    return hashlib.blake2b(f"{code_fingerprint()}|{show!r}".encode(), digest_size=20).hexdigest()


def load_pickle(path: Path, fingerprint: str) -> dict[Any, Any]:
    """The entries stored in ``path`` for ``fingerprint``; empty on any mismatch or damage.

    Only podfeed ever writes this folder (next to the config, which already decides what the build
    reads and writes), so unpickling it is no more trusting than running the config's build.
    """
    try:
        with path.open("rb") as handle:
            document = pickle.load(handle)
    except Exception:  # missing, truncated, garbage, an old layout: start cold
        return {}
    if (
        not isinstance(document, dict)
        or document.get("fingerprint") != fingerprint
        or not isinstance(document.get("entries"), dict)
    ):
        return {}
    return document["entries"]


def save_pickle(path: Path, fingerprint: str, entries: dict[Any, Any]) -> None:
    """Write atomically (temporary file + rename); a cache that cannot be written is not written.

    Pickled straight into the file: ``pickle.dumps`` would hold a second copy (100 MB on a
    3,000-episode show) in memory.
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            document = {"fingerprint": fingerprint, "entries": entries}
            pickle.dump(document, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except (OSError, pickle.PicklingError, RecursionError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _name(kind: str, key: str) -> str:
    return f"{kind}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.pickle"


@dataclass
class _Entry:
    identity: FileIdentity
    seen_ns: int  # wall clock just before the file was read or last verified
    digest: bytes
    parsed: Parsed


# Stored form of an entry, as the shard's index holds it: plain tuples, the episode's short
# fields without its ``path`` (the key gives it back), and where its long texts lie in the shard
# file. Building 18,000 ``Path`` objects and dataclasses through pickle's generic protocol, or
# copying 100 MB of texts out of the file, is most of what a rebuild would take.
_Stored = tuple[
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


def _unpack(stored: _Stored, buffer: TextsBuffer, path: Path) -> _Entry:
    identity, seen_ns, digest, short, offset, length, problems, key_lines = stored
    episode = None
    if short is not None:
        episode = episode_from_state((short, LazyTexts(buffer, offset, length)), path)
    return _Entry(identity, seen_ns, digest, (episode, list(problems), key_lines))


@dataclass
class EpisodeCache:
    """Parsed episode files of one show, by path (as problems name it) and content.

    Use :meth:`lookup` before parsing a file and :meth:`store` after; :meth:`save` writes the
    cache back if anything changed.
    """

    path: Path | None  # None: in memory only (nothing read or written)
    fingerprint: str
    entries: dict[str, _Entry] = field(default_factory=dict)
    # As loaded, unpacked on lookup: each entry with the texts of its shard file.
    stored: dict[str, tuple[_Stored, TextsBuffer]] = field(default_factory=dict)
    started_ns: int = field(default_factory=time.time_ns)
    dirty: set[int] = field(default_factory=set)  # shards to write back
    _used: set[str] = field(default_factory=set)
    _spools: dict[int, _Spool] = field(default_factory=dict)  # shards being written

    @classmethod
    def open(cls, folder: Path, show: Show) -> EpisodeCache:
        fingerprint = show_fingerprint(show)
        path = folder / _name("episodes", show.id)
        stored: dict[str, tuple[_Stored, TextsBuffer]] = {}
        with collection_paused():  # a few hundred thousand tuples, all kept
            for shard in range(SHARDS):
                stored.update(_load_shard(_shard_path(path, shard), fingerprint))
        return cls(path, fingerprint, stored=stored)

    def _entry(self, source: str, path: Path) -> _Entry | None:
        entry = self.entries.get(source)
        if entry is None and source in self.stored:
            try:
                entry = _unpack(*self.stored.pop(source), path)
            except (TypeError, ValueError):  # damaged: a miss, and rewritten
                self.dirty.add(_shard(source))
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
        if entry.identity == identity and changed_ns < entry.seen_ns - RACY_NS:
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
        self.entries[source] = _Entry(identity, self.started_ns, entry.digest, entry.parsed)
        self._used.add(source)
        self.dirty.add(_shard(source))
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
        entry = self.entries[source] = _Entry(identity, self.started_ns, digest, parsed)
        self._used.add(source)
        shard = _shard(source)
        self.dirty.add(shard)
        if state is not None and self.path is not None:
            spool = self._spools.get(shard)
            if spool is None:
                spool = _Spool.start(_shard_path(self.path, shard), self.fingerprint)
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

    def digest(self, source: str) -> bytes | None:
        entry = self.entries.get(source)
        return None if entry is None else entry.digest

    def save(self) -> None:
        """Write back the shards that changed; entries of files no longer found are dropped."""
        for source in set(self.entries) - self._used:
            del self.entries[source]
            self.dirty.add(_shard(source))
        self.dirty.update(_shard(source) for source in self.stored)  # never looked up: gone
        self.stored.clear()
        if self.dirty and self.path is not None:
            shards: dict[int, list[str]] = {shard: [] for shard in self.dirty}
            for source in self.entries:
                shard = _shard(source)
                if shard in shards:
                    shards[shard].append(source)
            for shard, sources in shards.items():
                spool = self._spools.pop(shard, None) or _Spool.start(
                    _shard_path(self.path, shard), self.fingerprint
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


# A shard file holds the texts payloads of its episodes one after the other, then an index (one
# pickle: the magic, the fingerprint and one record per episode file, saying where its payload
# lies), then a footer: the index's offset and the magic again. Loading reads the index only
# and keeps the file open, so a rebuild reads the texts of the few episodes it renders, not 100 MB.
# The file is written front to back as results come in (see EpisodeCache.store), so it never
# needs every episode's texts in memory at once; a file cut short has no footer and is ignored.
_SHARD_MAGIC = b"podfeed-shard-7\n"
_FOOTER = struct.Struct(f"<Q{len(_SHARD_MAGIC)}s")
# Payloads are a few KB: with the default 8 KB buffer nearly every one was its own write call.
_SPOOL_BUFFER = 1 << 20


def _load_shard(path: Path, fingerprint: str) -> dict[str, tuple[_Stored, TextsBuffer]]:
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
    entries: dict[str, tuple[_Stored, TextsBuffer]] = {}
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
class _Spool:
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
    def start(cls, path: Path, fingerprint: str) -> _Spool:
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

    def add(self, source: str, entry: _Entry, state: EpisodeState | None = None) -> None:
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


def _shard(source: str) -> int:
    return zlib.crc32(source.encode("utf-8", "surrogateescape")) % SHARDS


def _shard_path(path: Path, shard: int) -> Path:
    return path.with_name(f"{path.stem}-{shard:x}{path.suffix}")


class CachedItem(NamedTuple):
    """Where one item sits in the feed file on disk, and its own validation problems.

    ``key`` is the item's input digest (:meth:`BuildCache.item_keys`); ``offset`` and ``length``
    locate its bytes, ``lines`` is how many lines they span; ``problems`` are the item-scope
    problems (clock-independent ones) and ``info`` what the cross-item rules see of the item,
    with lines counted from the item's first line (0).
    """

    key: bytes
    offset: int
    length: int
    lines: int
    problems: tuple[Problem, ...]
    info: ItemInfo


@dataclass(frozen=True)
class CachedFeed:
    """What a feed render produced, minus the bytes (the file on disk holds those).

    ``problems`` are the validation problems except the clock-dependent ones (see
    :func:`podfeed.build`), ``newest`` the latest item date (``None`` without items),
    :meth:`items` each item's place, problems and info, newest first (none when they could not
    be told apart).

    The items are kept as plain tuples (``layout``): every build loads every feed's entry, and
    unpickling 18,000 named tuples and dataclasses took 0.1 s; only a feed rendered again
    incrementally needs them as objects.
    """

    key: bytes
    size: int
    digest: bytes
    problems: tuple[Problem, ...]
    newest: datetime | None
    layout: tuple[tuple[Any, ...], ...] = ()

    @classmethod
    def of(
        cls,
        key: bytes,
        size: int,
        digest: bytes,
        problems: tuple[Problem, ...],
        newest: datetime | None,
        items: Iterable[CachedItem] = (),
    ) -> CachedFeed:
        layout = tuple((*item[:5], _info_fields(item.info)) for item in items)
        return cls(key, size, digest, problems, newest, layout)

    def items(self) -> list[CachedItem]:
        return [
            CachedItem(key, offset, length, lines, problems, ItemInfo(*info))
            for key, offset, length, lines, problems, info in self.layout
        ]


def _info_fields(info: ItemInfo) -> tuple[Any, ...]:
    return tuple(getattr(info, name) for name in _ITEM_INFO_FIELDS)


_ITEM_INFO_FIELDS = tuple(f.name for f in dataclasses.fields(ItemInfo))


@dataclass
class BuildCache:
    """The cache of one site: one :class:`EpisodeCache` per show and the rendered feeds."""

    folder: Path | None
    shows: dict[str, EpisodeCache] = field(default_factory=dict)
    _feeds: dict[str, CachedFeed] | None = None  # read on first use (a replay never needs it)
    feeds_dirty: bool = False
    # The digest of each feed's bytes as this build holds them (rendered or checked on disk).
    digests: dict[Path, bytes] = field(default_factory=dict)
    # repr() of each media object keyed so far (the same media is in every language's feed).
    _media_reprs: dict[int, tuple[Media, str]] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path | None) -> BuildCache:
        """The cache in ``folder``; ``None`` gives a cache that never hits and is never saved."""
        if folder is None:
            return cls(None)
        remove_stale_temporaries(folder)  # up to 7 MB each
        return cls(folder)

    @property
    def feeds(self) -> dict[str, CachedFeed]:
        """The last render of each feed, by path."""
        if self._feeds is None:
            found = {}
            if self.folder is not None:
                found = load_pickle(self.folder / "feeds.pickle", code_fingerprint())
            self._feeds = {k: v for k, v in found.items() if isinstance(v, CachedFeed)}
        return self._feeds

    def episodes(self, show: Show) -> EpisodeCache | None:
        if self.folder is None:
            return None
        if show.id not in self.shows:
            self.shows[show.id] = EpisodeCache.open(self.folder, show)
        return self.shows[show.id]

    def item_keys(
        self, show: Show, lang: str, items: Iterable[tuple[Episode, Media]]
    ) -> list[bytes] | None:
        """The digest of everything each item is rendered from; ``None`` when an episode has no
        content key (then the feed is always rendered in full).

        An episode is identified by its content key (path + bytes, under the show fingerprint),
        plus the fields the build may change after parsing (``youtube_id`` is cleared when the
        video is gone) and the media it is published with.
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
        return keys

    def feed_key(
        self, show: Show, lang: str, siblings: Sequence[str], item_keys: Sequence[bytes]
    ) -> bytes | None:
        """The digest of everything a feed is rendered from: the show, the language, the sibling
        languages and its items' keys in feed order (``None`` without a cache for the show).
        """
        cache = self.shows.get(show.id)
        if cache is None:
            return None
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{cache.fingerprint}|{lang}|{list(siblings)!r}".encode())
        for key in item_keys:
            digest.update(key)
        return digest.digest()

    def previous_feed(self, path: Path) -> CachedFeed | None:
        """The entry of the last render of ``path``, whatever it was rendered from."""
        return self.feeds.get(str(path))

    def feed(self, path: Path, key: bytes | None) -> CachedFeed | None:
        entry = self.feeds.get(str(path))
        return entry if key is not None and entry is not None and entry.key == key else None

    def store_feed(self, path: Path, entry: CachedFeed) -> None:
        if self.feeds.get(str(path)) != entry:
            self.feeds[str(path)] = entry
            self.feeds_dirty = True

    def save_episodes(self) -> None:
        """Write back every show's episode cache (see :meth:`EpisodeCache.save`)."""
        for cache in self.shows.values():
            cache.save()

    def save(self) -> None:
        if self.folder is None:
            return
        self.save_episodes()
        if self.feeds_dirty:
            save_pickle(self.folder / "feeds.pickle", code_fingerprint(), self.feeds)
            self.feeds_dirty = False
