"""The build stamp: an offline build finding inputs and feeds as the last one left them is a no-op.

``make`` and ``ninja`` decide that there is nothing to do from file times. A podfeed build has
many inputs (every episode file, the config, the lock, podfeed itself) and its own outputs (the
feeds), and a no-change rebuild of a large show would otherwise still load 18,000 cached
episodes, sort them, key every item and hash 130 MB of feeds (about 1 s at 3,000 episodes) to
learn that nothing changed. The stamp lets it stop after one ``stat`` per file.

After a successful ``build --offline`` (feeds written or already up to date), the stamp records:

- a key: podfeed's code fingerprint, the whole config (``repr``, problems included), the
  selection (``--show``, ``--lang``, ``--output-dir``) and the digest of the lock file's bytes;
- every episode file found, in order, with its ``stat`` identity and content digest, and when
  the files were looked at (before any was read);
- every feed file with its identity and digest after the write, and when;
- the build's result: each feed's show, language, path and item count, the problems (before
  ``--strict`` is applied, without the guard's: the guard is only asked about changed feeds),
  the episode counts and which feed each episode file belongs to;
- the span of time in which that result holds: from the build's ``now`` until the first lock
  entry it used turns stale (the offline resolver counts stale entries). A build with an item
  dated after ``now`` (``item-pubdate-future`` depends on the clock) writes no stamp.

A later build replays the result, reading nothing but the feeds, when the key is the same, ``now``
is in the span, the same files are found and each is unchanged. "Unchanged" follows the episode
cache's rule (:func:`podfeed.cache.store.trusted_unchanged`): the same identity (device, inode,
size, mtime and ctime in nanoseconds) is trusted only for a file last changed well before it was
looked at (:data:`~podfeed.cache.store.RACY_NS`); otherwise, or when only the times differ, the
bytes are read and compared by digest. Anything else is a miss and the build runs as usual: the
stamp can only make a build skip work, never change what it reports or writes.

Online builds never use a stamp: they always ask Transistor whether anything changed.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from podfeed.cache import store
from podfeed.cache.episodes import EpisodeCache
from podfeed.cache.store import (
    FileIdentity,
    code_fingerprint,
    content_digest,
    file_identity,
    load_pickle,
    save_pickle,
    trusted_unchanged,
)
from podfeed.problems import Problem
from podfeed.publish.result import BuildResult, FeedOutput
from podfeed.site import IMAGE_MISSING

__all__ = [
    "STAMP_FILE",
    "FeedRecord",
    "FileRecord",
    "Files",
    "Stamp",
    "Unchanged",
    "check_stamp",
    "load_stamp",
    "record",
    "replay",
    "save_stamp",
    "stamp_key",
    "trusted_feeds",
]

STAMP_FILE = "build.pickle"


class FileRecord(NamedTuple):
    """A file as a build saw it: path (as problems name it), ``stat`` identity, content digest."""

    path: str
    identity: FileIdentity
    digest: bytes


class FeedRecord(NamedTuple):
    show: str
    lang: str
    path: Path
    items: int


@dataclass(frozen=True)
class Files:
    """Files as a build saw them, flat (few objects: fast to save, load and compare): their
    paths, their ``stat`` identities one after the other, and their content digests.
    """

    paths: tuple[str, ...]
    identities: tuple[int, ...]  # five numbers a file (see podfeed.cache.store.file_identity)
    digests: tuple[bytes, ...]
    seen_ns: int  # wall clock before the first of them was looked at

    @classmethod
    def of(cls, records: Sequence[FileRecord], seen_ns: int) -> Files:
        return cls(
            tuple(r.path for r in records),
            tuple(n for r in records for n in r.identity),
            tuple(r.digest for r in records),
            seen_ns,
        )

    def record(self, index: int) -> FileRecord:
        identity = self.identities[5 * index : 5 * index + 5]
        return FileRecord(self.paths[index], identity, self.digests[index])  # type: ignore[arg-type]


@dataclass(frozen=True)
class Stamp:
    """What the last successful offline build read, wrote and reported (see the module)."""

    key: bytes
    inputs: Files
    outputs: Files
    valid_from: datetime
    valid_until: datetime | None
    feeds: tuple[FeedRecord, ...]
    problems: tuple[Problem, ...]
    episodes: tuple[tuple[tuple[str, str], int], ...]
    owner: tuple[tuple[str, tuple[str, str]], ...]


@dataclass(frozen=True)
class Unchanged:
    """A stamp that still holds: its result, the feeds' bytes as on disk, and the stamp to save
    back when some file had to be compared by content (so later builds trust its ``stat``).
    """

    stamp: Stamp
    feeds: dict[Path, bytes]
    refreshed: Stamp | None


def stamp_key(config_repr: str, selection: Sequence[object], lock_path: Path) -> bytes | None:
    """The digest of everything a build depends on besides the episode files and the clock;
    ``None`` when the lock cannot be read (then no stamp is used or written).
    """
    try:
        lock = content_digest(lock_path.read_bytes())
    except FileNotFoundError:
        lock = b"-"
    except OSError:
        return None
    digest = hashlib.blake2b(digest_size=20)
    for part in (code_fingerprint(), config_repr, repr(list(selection))):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    digest.update(lock)
    return digest.digest()


def _path(folder: Path) -> Path:
    return folder / STAMP_FILE


def load_stamp(folder: Path) -> Stamp | None:
    """The stamp saved in ``folder`` by this podfeed, if any (damage reads as none)."""
    stored = load_pickle(_path(folder), code_fingerprint()).get("stamp")
    return stored if isinstance(stored, Stamp) else None


def check_stamp(
    stored: Stamp,
    key: bytes,
    files: Sequence[tuple[str, os.stat_result]],
    now: datetime,
    started_ns: int,
) -> Unchanged | None:
    """``stored`` if it still holds for this build (``key``) and the files found (in order,
    each named as ``str(path)`` names it, with its ``stat``) at ``started_ns``, at ``now``;
    ``None`` on any difference (the build then runs as usual).
    """
    if stored.key != key:
        return None
    if now < stored.valid_from or (stored.valid_until is not None and now > stored.valid_until):
        return None
    inputs = _check_inputs(stored.inputs, files, started_ns)
    if inputs is None:
        return None
    feeds: dict[Path, bytes] = {}
    outputs: list[FileRecord] = []
    fresh = inputs is not stored.inputs
    for index in range(len(stored.outputs.paths)):
        record = stored.outputs.record(index)
        path = Path(record.path)
        try:
            info = os.stat(path)
            data = path.read_bytes()
        except OSError:
            return None
        checked = _unchanged(path, info, record, stored.outputs.seen_ns, data)
        if checked is None:
            return None
        fresh |= checked is not record
        outputs.append(checked)
        feeds[path] = data
    refreshed = None
    if fresh:
        outputs_seen = Files.of(outputs, time.time_ns())
        refreshed = replace(stored, inputs=inputs, outputs=outputs_seen)
    return Unchanged(stored, feeds, refreshed)


def _check_inputs(
    stored: Files, files: Sequence[tuple[str, os.stat_result]], started_ns: int
) -> Files | None:
    """``stored`` when every file is trusted unchanged by its ``stat`` alone; new records when
    some had to be compared by content (and were the same); ``None`` when something changed.
    """
    if len(files) != len(stored.paths):
        return None
    identities = tuple(n for _, info in files for n in file_identity(info))
    if tuple(name for name, _ in files) != stored.paths:
        return None
    newest = max((max(i.st_mtime_ns, i.st_ctime_ns) for _, i in files), default=0)
    if identities == stored.identities and newest < stored.seen_ns - store.RACY_NS:
        return stored  # the common case: one comparison for every file
    records = []
    for index, (path, info) in enumerate(files):
        record = stored.record(index)
        checked = _unchanged(path, info, record, stored.seen_ns)
        if checked is None:
            return None
        records.append(checked)
    return Files.of(records, started_ns)


def _unchanged(
    path: str | Path,
    info: os.stat_result,
    record: FileRecord,
    seen_ns: int,
    data: bytes | None = None,
) -> FileRecord | None:
    """``record`` when the file is trusted unchanged by its ``stat``; a record with its current
    identity when its bytes had to be read and are the same; ``None`` when it changed.
    """
    if trusted_unchanged(info, record.identity, seen_ns):
        return record
    if info.st_size != record.identity[2]:
        return None
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
    if content_digest(data) != record.digest:
        return None
    return FileRecord(record.path, file_identity(info), record.digest)


def trusted_feeds(stored: Stamp) -> dict[Path, bytes]:
    """The digest of each feed the stamp's build wrote that is, by its ``stat`` alone, still the
    file it wrote (whatever the build's key: a fact about the file). A build that must render
    again uses it to know the feed on disk without hashing it (20 MB at 3,000 episodes).
    """
    known: dict[Path, bytes] = {}
    outputs = stored.outputs
    for index in range(len(outputs.paths)):
        record = outputs.record(index)
        try:
            info = os.stat(record.path)
        except OSError:
            continue
        if trusted_unchanged(info, record.identity, outputs.seen_ns):
            known[Path(record.path)] = record.digest
    return known


def save_stamp(folder: Path, stamp: Stamp) -> None:
    save_pickle(_path(folder), code_fingerprint(), {"stamp": stamp})


def replay(unchanged: Unchanged) -> BuildResult:
    """The result the stamp recorded, over the feeds on disk (``--strict``, ``--frozen`` and
    ``--check`` still apply to it, as to any build)."""
    stamp = unchanged.stamp
    return BuildResult(
        feeds=[
            FeedOutput(f.show, f.lang, f.path, unchanged.feeds[f.path], f.items)
            for f in stamp.feeds
        ],
        problems=list(stamp.problems),
        episodes=dict(stamp.episodes),
        owner=dict(stamp.owner),
    )


def record(
    key: bytes,
    result: BuildResult,
    reported: tuple[Problem, ...],
    *,
    started_ns: int,
    found: Mapping[str, Iterable[tuple[str, os.stat_result]]],
    episodes: Mapping[str, EpisodeCache],
    digests: Mapping[Path, bytes],
    checked: Iterable[datetime | None],
    max_age: int,
    now: datetime,
    clock_dependent: bool,
) -> Stamp | None:
    """The stamp of a build that just left every feed on disk as ``result`` holds it and
    reported ``reported``; ``None`` when its result could not be replayed exactly.

    ``found`` are the episode files found per show id (each named as ``str(path)`` names it,
    with its ``stat``) when the build started (``started_ns``), ``episodes`` the episode cache
    that knows each one's content digest, ``digests`` each feed's content digest, ``checked``
    when each lock entry the build used was checked (entries turn stale ``max_age`` seconds
    later). ``clock_dependent``: an item is dated after ``now``, so ``item-pubdate-future``
    depends on the clock.
    """
    if clock_dependent:
        return None
    if any(p.code == IMAGE_MISSING for p in reported):
        return None  # depends on image files the stamp does not watch
    sources: list[str] = []
    identities: list[int] = []
    contents: list[bytes] = []
    for show_id, files in found.items():
        cache = episodes.get(show_id)
        if cache is None:
            return None
        for source, info in files:
            digest = cache.digest(source)
            if digest is None:
                return None
            sources.append(source)
            identities.extend(file_identity(info))
            contents.append(digest)
    inputs = Files(tuple(sources), tuple(identities), tuple(contents), started_ns)
    outputs = output_records((f.path for f in result.feeds), digests)
    if outputs is None:
        return None
    expiries = [until for at in checked if (until := expiry(at, max_age, now)) is not None]
    return Stamp(
        key=key,
        inputs=inputs,
        outputs=Files.of(outputs, time.time_ns()),
        valid_from=now,
        valid_until=min(expiries, default=None),
        feeds=tuple(FeedRecord(f.show, f.lang, f.path, f.items) for f in result.feeds),
        problems=reported,
        episodes=tuple(result.episodes.items()),
        owner=tuple(result.owner.items()),
    )


def output_records(
    paths: Iterable[Path], digests: Mapping[Path, bytes]
) -> tuple[FileRecord, ...] | None:
    """The written feeds as records (``stat`` after the write), or ``None`` if one is gone."""
    records = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return None
        records.append(FileRecord(str(path), file_identity(info), digests[path]))
    return tuple(records)


def expiry(checked: datetime | None, max_age: int, now: datetime) -> datetime | None:
    """When a lock entry checked at ``checked`` turns stale (``None``: already stale, and stays
    stale as time goes on)."""
    if checked is None:
        return None
    until = checked + timedelta(seconds=max_age)
    return until if now <= until else None
