"""Finding episode files: ``Path.glob`` semantics, a third of the cost on large sites.

Every build starts by listing the site's episode files (18,000 on a 3,000-episode show in six
languages). ``pathlib``'s glob builds a ``Path`` for every folder it passes through, checks the
last, literal part of a pattern with one ``stat`` that the caller repeats to tell a regular
file apart, and costs about 0.25 s there. :func:`glob_names` walks the same folders with
``os.scandir`` on plain strings and takes the one ``stat`` per candidate that the build needs
anyway (it is the episode cache's file identity).

It gives exactly what ``root.glob(pattern)`` filtered to regular files gives, for the patterns
it handles: relative, without ``**``, on POSIX. Anything else (``**``, Windows' case-insensitive
matching) is handed to ``pathlib`` itself.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

__all__ = ["glob_names"]

# What ``Path.is_file``/``is_dir`` treat as "not there" rather than an error.
_NOT_FOUND = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def glob_names(root: Path, pattern: str) -> Iterator[tuple[str, os.stat_result]]:
    """The regular files ``root.glob(pattern)`` matches, each named by the string
    ``str(path)`` gives, with its ``stat`` (symlinks followed, as ``Path.is_file`` does).
    Order is the file system's: callers sort.

    Names, not paths, for the callers that may need no ``Path`` at all: a build that finds
    every file as the last one left it compares names and ``stat`` results only, and making
    and hashing 18,000 ``Path`` objects was a third of its time.

    :raises ValueError: the pattern is empty or absolute (as ``Path.glob`` raises).
    :raises OSError: a file could not be examined for a reason other than being absent.
    """
    parts = _plain_parts(pattern) if os.name == "posix" else None
    if parts is None:
        for path in root.glob(pattern):
            name = str(path)
            info = _stat_file(name)
            if info is not None:
                yield name, info
        return
    base = str(root)
    # What ``str(root / relative)`` gives: "." vanishes, and a root ending in "/" ("/", or
    # the "//" POSIX keeps) takes no other.
    prefix = "" if base == "." else base if base.endswith("/") else base + "/"
    for relative, info in _walk(base, parts):
        yield prefix + relative, info


def _plain_parts(pattern: str) -> list[str] | None:
    """The pattern's parts when :func:`_walk` reproduces ``Path.glob`` for it, else ``None``.

    ``PurePosixPath`` splits it as ``Path.glob`` does (``.`` parts and repeated slashes
    vanish). A trailing slash (``Path.glob`` then matches folders only), empty and absolute
    patterns go to ``Path.glob``, which also raises its own errors.
    """
    pure = PurePosixPath(pattern)
    if not pattern or pattern.endswith("/") or pure.is_absolute() or pure.name == "":
        return None
    if any("**" in part for part in pure.parts):
        return None
    return list(pure.parts)


def _is_wildcard(part: str) -> bool:
    return "*" in part or "?" in part or "[" in part


def _matcher(part: str) -> Callable[[str], re.Match[str] | None]:
    return re.compile(fnmatch.translate(part)).fullmatch


def _walk(base: str, parts: list[str]) -> Iterator[tuple[str, os.stat_result]]:
    """``(path relative to base, stat)`` of the regular files matching ``parts``."""
    folders = [""]  # relative folders matched so far ("" is ``base`` itself)
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if not _is_wildcard(part):
            candidates = [_join(folder, part) for folder in folders]
            if last:
                yield from _files(base, candidates)
                return
            folders = [c for c in candidates if _is_dir(os.path.join(base, c))]
            continue
        match = _matcher(part)
        found: list[str] = []
        for folder in folders:
            for entry in _entries(os.path.join(base, folder) if folder else base):
                if match(entry.name) is None:
                    continue
                if last or _entry_is_dir(entry):  # folders in between, anything last
                    found.append(_join(folder, entry.name))
        if last:
            yield from _files(base, found)
            return
        folders = found


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _entries(folder: str) -> list[os.DirEntry[str]]:
    """A folder's entries; none when it cannot be listed (as ``Path.glob`` skips it)."""
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except PermissionError:
        return []
    except OSError as exc:
        if exc.errno in _NOT_FOUND:
            return []
        raise


def _entry_is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError as exc:
        if exc.errno in _NOT_FOUND:
            return False
        raise


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno in _NOT_FOUND or isinstance(exc, PermissionError):
            return False
        raise


def _files(base: str, relatives: list[str]) -> Iterator[tuple[str, os.stat_result]]:
    for relative in relatives:
        info = _stat_file(os.path.join(base, relative))
        if info is not None:
            yield relative, info


def _stat_file(path: str) -> os.stat_result | None:
    """``stat`` of ``path`` if it is a regular file (symlinks followed), else ``None``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno in _NOT_FOUND:
            return None
        raise
    return info if stat.S_ISREG(info.st_mode) else None
