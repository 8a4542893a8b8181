"""Atomic file output: a reader sees the complete old file or the complete new one, never a mix.

Each file is written to a temporary file in its own folder (same filesystem), flushed, fsynced and
renamed over the target. ``write_files`` stages every file first and only starts renaming once all
of them were written, so a failure while writing leaves every previous file untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


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


def unchanged(path: Path, data: bytes) -> bool:
    """True when ``path`` already holds exactly ``data`` (so it need not be rewritten)."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically. Returns False (and touches nothing) if unchanged."""
    return bool(write_files({path: data}))


def write_files(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files all-or-nothing as far as a filesystem allows.

    Unchanged files are left alone (their mtime is kept). Returns the paths that were replaced.
    :raises OSError: when a file cannot be written; no target has been touched then.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if unchanged(path, data):
                continue
            staged.append((_stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    for folder in {path.parent for _, path in staged}:
        _fsync_dir(folder)
    return [path for _, path in staged]
