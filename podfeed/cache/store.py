"""What every cache file shares: how it is keyed, how far a file's ``stat`` is trusted, and how
it is read and written.

Why a stale hit cannot happen:

- Everything is invalidated together by the *code fingerprint* (:func:`code_fingerprint`):
  podfeed's version plus a digest of podfeed's own source files and the versions of the
  libraries whose output ends up in a feed (PyYAML, markdown-it-py, nh3, feedgen, lxml). Editing
  podfeed without bumping the version still invalidates.
- A show's entries are also tied to the show's whole config (:func:`show_fingerprint`, ``repr``
  of the frozen ``Show``): any change to the show invalidates its episodes.
- A file is known by its bytes (:func:`content_digest`, BLAKE2). To skip reading an unchanged
  file, its ``stat`` identity (:func:`file_identity`: device, inode, size, mtime and ctime in
  nanoseconds) is kept too; a matching ``stat`` is trusted only when the file was last changed
  well before the time it was read (:data:`RACY_NS`); otherwise the bytes are read and compared
  by digest, as git does for "racily clean" index entries. ``ctime`` cannot be set back by
  ``touch`` or an editor, so a rewrite with the same size and mtime still misses.

Files are written atomically (temporary file + rename), so a crash leaves the old file or the
new one; a file that cannot be read as written reads as empty.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from podfeed import __version__
from podfeed.config.model import Show

__all__ = [
    "RACY_NS",
    "FileIdentity",
    "code_fingerprint",
    "content_digest",
    "entry_name",
    "file_identity",
    "load_pickle",
    "save_pickle",
    "show_fingerprint",
    "trusted_unchanged",
]

# A file changed less than this before it was read may change again within one timestamp tick
# without its stat changing (coarse file system clocks: 1-2 s on FAT, HFS+, some network mounts).
RACY_NS = 2_000_000_000
_FORMAT = 7  # bump when the stored layout changes
# The libraries whose versions shape what is cached: a reader, the Markdown engine, the sanitiser,
# the writers and the language tags. A new version of one of them voids the cache.
_LIBRARIES = ("PyYAML", "cmarkgfm", "nh3", "feedgen", "lxml", "langcodes")

# (st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns)
FileIdentity = tuple[int, int, int, int, int]


def file_identity(info: os.stat_result) -> FileIdentity:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def content_digest(data: bytes) -> bytes:
    """The content key of a file's bytes (BLAKE2b, 20 bytes: fast, and collisions are moot)."""
    return hashlib.blake2b(data, digest_size=20).digest()


def trusted_unchanged(info: os.stat_result, identity: FileIdentity, seen_ns: int) -> bool:
    """Whether a file whose ``stat`` is ``info`` is, by its ``stat`` alone, the one that had
    ``identity`` when it was looked at (wall clock ``seen_ns``): the same identity, and last
    changed well before it was looked at (see :data:`RACY_NS`)."""
    changed_ns = max(info.st_mtime_ns, info.st_ctime_ns)
    return file_identity(info) == identity and changed_ns < seen_ns - RACY_NS


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
    package = Path(__file__).resolve().parent.parent  # podfeed/, this file being in cache/
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


def entry_name(kind: str, key: str) -> str:
    """The file name of a cache file of some ``kind`` for ``key`` (a show id, say)."""
    return f"{kind}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}.pickle"
