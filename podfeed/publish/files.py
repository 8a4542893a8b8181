"""Files on disk: the feed there now, atomic output, staging ahead, and the lock on a site's run.

Atomic output: a reader sees the complete old file or the complete new one, never a mix. Each
file is written to a temporary file in its own folder (same filesystem), flushed, fsynced and
renamed over the target. ``write_files`` stages every file first and only starts renaming once all
of them were written, so a failure while writing leaves every previous file untouched. A
:class:`Staging` writes files ahead, in the background, for a later ``write_files``.
:func:`exclusive` keeps two builds of one site from writing at the same time.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import glob
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from podfeed.problems import BuildError, BusyError
from podfeed.publish.result import FeedOutput

__all__ = [
    "STALE_TEMPORARY_S",
    "Staging",
    "atomic_write",
    "exclusive",
    "read_existing",
    "remove_stale_temporaries",
    "unchanged",
    "write_beside",
    "write_files",
    "write_outputs",
]


@functools.cache
def _umask() -> int:
    # The only portable way to read the umask is to set it; read once, before any worker runs.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open()`` would give: the target's own, else 0o666 minus umask.

    ``mkstemp`` creates 0o600 files; renamed into place as they are, feeds and preview pages
    would be unreadable for the web server that publishes them.
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_beside(path, data, sync=True)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform allows opening a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_existing(path: Path) -> bytes | None:
    """The file on disk, None when there is none (b"" when it cannot be read, e.g. a folder)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # unreadable (e.g. a folder): the guard reports it, the write will fail


def unchanged(path: Path, data: bytes) -> bool:
    """True when ``path`` already holds exactly ``data`` (so it need not be rewritten)."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically; False (nothing touched) when unchanged."""
    return bool(write_files({path: data}))


def write_files(files: Mapping[Path, bytes], staging: Staging | None = None) -> list[Path]:
    """Write several files all-or-nothing as far as a filesystem allows.

    Unchanged files are left alone (their mtime is kept). Returns the paths that were replaced.
    A file ``staging`` already wrote with the same bytes is renamed into place as it is.
    :raises OSError: when a file cannot be written; no target has been touched then.
    """
    for path in files:
        if path.is_dir():  # found before anything is staged, and named as the user wrote it
            raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if unchanged(path, data):
                continue
            ahead = staging.take(path, data) if staging is not None else None
            staged.append((ahead or _stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    _replace_all(staged)
    for folder in {path.parent for _, path in staged}:
        _fsync_dir(folder)
    return [path for _, path in staged]


def write_outputs(
    feeds: Iterable[FeedOutput], lock: tuple[Path, str] | None, staging: Staging | None = None
) -> list[Path]:
    """Write a build's output all-or-nothing: the feeds that changed (the comparison with the
    disk tells), and the lock's new text (``lock``: its path and text) when it changed; the
    files ``staging`` already wrote are renamed into place. Returns the paths replaced.

    Unchanged feeds keep their mtime. A withheld feed (no items) is not written: directories
    refuse it, and the file on disk (if any) stays.

    :raises BuildError: a file could not be written; none was.
    """
    files = {f.path: f.data for f in feeds if f.changed and not f.withheld}
    if lock is not None:
        files[lock[0]] = lock[1].encode("utf-8")
    try:
        return write_files(files, staging)
    except OSError as exc:
        hint = " (remove the folder, or change `output`)" if exc.errno == errno.EISDIR else ""
        raise BuildError(
            f"could not write {exc.filename or 'output'}: {exc.strerror}{hint}; nothing was written"
        ) from exc


class Staging:
    """Files written ahead of :func:`write_files`, in a background thread, while the caller
    goes on (a build stages each feed as soon as it is rendered, and renders the others).

    :meth:`stage` writes the bytes to a temporary file next to the target and fsyncs it, as
    :func:`write_files` would; nothing is renamed. ``write_files(..., staging=)`` then takes
    the temporary file of every target it is asked to write with exactly those bytes.
    Leaving the ``with`` block removes whatever was not taken, and the folders made for it:
    a build that fails after staging leaves no trace. Staging a file whose target already
    holds those bytes writes nothing; a failure to stage is not reported here, since
    ``write_files`` writes that file itself and reports it.
    """

    def __init__(self) -> None:
        _umask()  # read now: it is read by setting it, which a second thread must not do
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="podfeed-staging")
        self._staged: dict[Path, tuple[bytes, Future[Path | None]]] = {}
        self._made: list[Path] = []  # folders that did not exist when a file was staged

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stage(self, path: Path, data: bytes) -> None:
        """Start writing ``data`` for ``path`` (in place of an earlier staging of it).

        Files a killed build left for ``path`` long ago (``.name.XXXX.tmp`` or ``.bak``) are
        removed: a feed is staged for seconds now, not only while it is renamed.
        """
        self._replace_entry(path)
        self._staged[path] = (data, self._writer.submit(_stage_if_changed, path, data))

    def prepare(self, path: Path) -> None:
        """Make ``path``'s folder, so that another process can write a temporary file there
        for :meth:`adopt` (a render worker writes the feed it rendered next to its target).

        The folders made are removed again as for :meth:`stage`. A failure is not reported
        here: the other process cannot write there either, and the file is staged as usual.
        """
        self._note_folders(path)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)

    def adopt(self, path: Path, data: bytes, written: Path) -> None:
        """Stage ``written``, a temporary file next to ``path`` that another process wrote
        with exactly ``data`` and did not sync: it is synced here, in the background, and is
        then what :meth:`take` gives for ``path`` (removed like any staged file). When
        ``path`` already holds ``data`` it is removed instead, and nothing is written.
        """
        self._replace_entry(path)
        self._staged[path] = (data, self._writer.submit(_settle, path, data, written))

    def _replace_entry(self, path: Path) -> None:
        name = glob.escape(path.name)
        for leftover in (f".{name}.*.tmp", f".{name}.*.bak"):
            remove_stale_temporaries(path.parent, leftover)
        earlier = self._staged.pop(path, None)
        if earlier is not None:
            _remove(earlier[1])
        self._note_folders(path)

    def _note_folders(self, path: Path) -> None:
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            self._made.append(folder)
            folder = folder.parent

    def take(self, path: Path, data: bytes) -> Path | None:
        """The temporary file written for ``path`` with ``data``: the caller renames it (or
        removes it). None when there is none: not staged, other bytes, or it failed."""
        entry = self._staged.get(path)
        if entry is None or not (entry[0] is data or entry[0] == data):
            return None
        del self._staged[path]
        try:
            return entry[1].result()
        except OSError:
            return None  # the caller writes it again, and reports why it cannot

    def close(self) -> None:
        """Wait for the writes, remove what was not taken, and the folders made for it."""
        for _, written in self._staged.values():
            _remove(written)
        self._staged.clear()
        self._writer.shutdown(wait=True)
        for folder in sorted(set(self._made), key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty: a file written since keeps it
        self._made.clear()


# A temporary file older than this was left by a run that was killed while writing (a live run
# renames or removes its own within seconds).
STALE_TEMPORARY_S = 3600


def remove_stale_temporaries(folder: Path, pattern: str = ".*.tmp") -> None:
    """Delete what killed runs left in ``folder``: files matching ``pattern`` (the names
    :func:`_stage` and :func:`_replace_all` give), or folders (a build's scratch folder, with
    what is in it), not touched for :data:`STALE_TEMPORARY_S`."""
    cutoff = time.time() - STALE_TEMPORARY_S
    try:
        leftovers = [p for p in folder.glob(pattern) if p.lstat().st_mtime < cutoff]
    except OSError:
        return
    for path in leftovers:
        with contextlib.suppress(OSError):
            if stat.S_ISDIR(path.lstat().st_mode):
                shutil.rmtree(path)
            else:
                path.unlink()


def _stage_if_changed(path: Path, data: bytes) -> Path | None:
    return None if unchanged(path, data) else _stage(path, data)


def write_beside(path: Path, data: bytes, *, sync: bool = False) -> Path:
    """Write ``data`` to a new temporary file ``.name.XXXX.tmp`` next to ``path``, with the
    mode ``path`` would get; synced only when asked (a file another process wrote for
    :meth:`Staging.adopt` is synced there, in the background).

    :raises OSError: it could not be written (nothing is left behind then).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _settle(path: Path, data: bytes, written: Path) -> Path | None:
    """Sync a file :func:`write_beside` wrote for ``path``; None (and the file removed) when
    ``path`` already holds ``data``, or when it cannot be synced (the error is then raised)."""
    try:
        if unchanged(path, data):
            written.unlink()
            return None
        with open(written, "r+b") as fh:  # (Windows syncs only a file open for writing)
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            written.unlink()
        raise
    return written


def _remove(written: Future[Path | None]) -> None:
    """Remove a staged file nobody took (never raises: it runs while a build unwinds)."""
    try:
        tmp = written.result()
    except Exception:  # it was not written; its error is reported by write_files, or moot
        return
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _replace_all(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file over its target; on any failure put every target back.

    A rename can still fail after staging (the target became a folder, permissions), so each
    existing target is first hard-linked to a backup name and restored if a later rename fails.
    """
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, path in staged:
            backup: Path | None = None
            if path.is_file():
                backup = path.with_name(f".{path.name}.{os.getpid()}.bak")
                with contextlib.suppress(FileNotFoundError):
                    backup.unlink()
                os.link(path, backup)
            done.append((path, backup))
            os.replace(tmp, path)
    except BaseException:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                elif path.is_file():
                    path.unlink()
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


@contextlib.contextmanager
def exclusive(path: Path, *, timeout: float = 60.0, poll: float = 0.1) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created if needed) for the ``with`` body.

    Two builds writing the same feeds and lock at once would race (the later rename wins and
    a lock update is lost), so the second waits for the first, up to ``timeout`` seconds, then
    fails clearly naming the holder's pid. The lock is released by the kernel if the holder dies.
    :raises BusyError: the lock was not free within ``timeout``.
    """
    import fcntl  # POSIX only; podfeed's CI targets are POSIX

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise BusyError(
                        f"another podfeed run (pid {holder}) holds {path}; waited {timeout:g} s"
                    ) from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
