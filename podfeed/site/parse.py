"""One episode file, from its bytes to an ``Episode`` and the problems found in it.

In: a path and the :class:`~podfeed.config.model.Show` it belongs to. Out: the ``Episode`` (or
``None`` when it cannot be published) and problems naming the file and, where known, the line.
The steps: read the bytes (files over :data:`MAX_FILE_BYTES` are refused after a ``stat``),
decode them as UTF-8, read the front matter (:mod:`~podfeed.site.frontmatter`), apply the field
rules (:mod:`~podfeed.site.fields`). Nothing in a file makes it raise.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path
from typing import BinaryIO

from podfeed.cache import Parsed, content_digest
from podfeed.config.model import Show
from podfeed.model import Episode
from podfeed.problems import Problem, error, info, sort_problems
from podfeed.site.fields import EpisodeReader
from podfeed.site.frontmatter import read_front_matter

__all__ = ["MAX_FILE_BYTES", "Fresh", "parse_bytes", "parse_episode_file", "parse_file"]

MAX_FILE_BYTES = 20_000_000
_READ_CHUNK = 1 << 16  # what to ask for once a file turns out larger than its stat size
# The keys whose lines a duplicate-episode problem may name (kept per file, also in the cache).
_DUPLICATE_KEYS = ("permalink", "ref", "number")
# A parse result and the content digest of the bytes it was parsed from.
Fresh = tuple[Parsed, bytes | None]


def parse_episode_file(path: Path, show: Show) -> tuple[Episode | None, list[Problem]]:
    """Parse one episode file: the ``Episode`` (or ``None`` when it cannot be used) and problems.

    Never raises for anything in the file; every problem names ``str(path)`` and a line when one
    is known.
    """
    (episode, problems, _), _ = parse_file(path, show)
    return episode, problems


def parse_file(path: Path, show: Show, data: bytes | None = None) -> Fresh:
    """What parsing ``path`` gives (see :data:`~podfeed.cache.Parsed`: the episode, its problems
    and the line of each key a duplicate-episode problem may name), and the content digest of
    the bytes parsed (``None`` if not read).

    ``data`` are the file's bytes when the caller has already read them.
    """
    file = str(path)
    problems: list[Problem] = []
    if data is None:
        data = _read_bytes(path, file, problems)
        if data is None:
            return (None, problems, {}), None
    return parse_bytes(path, show, data, problems), content_digest(data)


def parse_bytes(path: Path, show: Show, data: bytes, problems: list[Problem]) -> Parsed:
    """:func:`parse_file` of bytes already read (``problems`` holds what reading found)."""
    file = str(path)
    text = _decode(data, file, problems)
    if text is None:
        return None, problems, {}
    found = read_front_matter(text, file, problems)
    if found is None:
        return None, problems, {}
    fields, parts = found
    episode = EpisodeReader(path, file, show, fields, parts, problems).episode()
    key_lines = {key: fields[key].line for key in _DUPLICATE_KEYS if key in fields}
    return episode, sort_problems(problems), key_lines


def _read_bytes(path: Path, file: str, problems: list[Problem]) -> bytes | None:
    """The file's bytes, or ``None`` after recording why it cannot be read (or is too large)."""
    try:
        info_ = path.stat()
        if not stat.S_ISREG(info_.st_mode):
            raise OSError("not a regular file")
        if info_.st_size > MAX_FILE_BYTES:
            problems.append(_too_large(file, info_.st_size))
            return None
        with path.open("rb", buffering=0) as handle:  # one read: no buffer to copy through
            data = _read_at_most(handle, info_.st_size, MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(error("file-unreadable", f"cannot read the file: {exc}", file))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(_too_large(file, len(data)))
        return None
    return data


def _read_at_most(handle: BinaryIO, expected: int, limit: int) -> bytes:
    """The first ``limit`` bytes of ``handle`` (all of them if fewer); ``expected`` is its size.

    Asking for ``limit`` bytes at once would allocate a 20 MB buffer for every 6 KB file; asking
    for one byte more than ``stat`` said tells whether the file grew since. Read until the end
    of the file (an empty read) or the limit, as a buffered ``read(limit)`` would.
    """
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        wanted = expected - size + 1 if size <= expected else _READ_CHUNK
        chunk = handle.read(min(wanted, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    """Bytes as UTF-8 text with LF line ends, or ``None`` after recording why not."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        problems.append(
            info(
                "utf8-bom",
                "file starts with a UTF-8 byte order mark; it was ignored",
                file,
                1,
                hint="save the file as UTF-8 without BOM",
            )
        )
    if not data or data.isspace():  # only ASCII whitespace: what bytes.strip() removes
        problems.append(
            error("file-empty", "file is empty", file, 1, hint="add front matter and show notes")
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            error(
                "encoding-invalid",
                f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
                f"(line {line}): {exc.reason}",
                file,
                line,
                hint="save the file as UTF-8",
            )
        )
        return None
    # Windows and old Mac line ends: YAML and line numbers then agree on what a line is.
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large(file: str, size: int) -> Problem:
    return error(
        "file-too-large",
        f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} bytes an episode file may have",
        file,
        hint="move embedded data (e.g. base64 images) out of the file",
    )
