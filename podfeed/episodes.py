"""Read a show's episode files (Jekyll-style Markdown with YAML front matter) into ``Episode``s.

Real sites are messy (see ``corpus/README.md``): dates in four notations, titles that YAML turns
into dates, placeholder summaries and video ids, legacy files without a language folder, audio on
a host we cannot publish from. The reader never guesses silently and never raises on bad input:
every file yields an ``Episode`` or problems naming the file and, where known, the 1-based line.

An episode is *not* returned when it cannot be published at all: the file is unreadable or its
front matter unusable, ``title``/``date``/``permalink`` are missing or invalid, its language is not
configured (info), or it duplicates an earlier file. Everything else (no audio, no number, a
placeholder summary, a bad video id) is reported and the episode is still returned, so the feed
builder decides; an episode without ``transistor_id`` never gets an enclosure.

Hostile input stays bounded: files over :data:`MAX_FILE_BYTES` are refused after a ``stat``,
front matter over :data:`MAX_FRONT_MATTER_CHARS` is refused, and YAML is checked event by event
for nesting depth and aliases before it is composed, then for its size with aliases expanded (the
"billion laughs" bomb), so nothing downstream ever walks an exploding or cyclic graph. Only the
safe YAML schema is accepted; ``!!python/...`` tags are an error and the file is not used. Short,
shallow front matter (nearly every real file) is composed first and checked after, in one pass
(:func:`_compose_plain`); whatever that check cannot vouch for takes the event-by-event path.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, NamedTuple
from urllib.parse import parse_qs, quote, urlsplit

import yaml

from podfeed.cache import EpisodeCache, FileIdentity, Parsed, content_digest
from podfeed.config.model import Show
from podfeed.dates import DateError, parse_date
from podfeed.model import Episode, EpisodeState, episode_from_state, episode_state
from podfeed.notes import join_url, render_notes, strip_xml_invalid
from podfeed.notes_checks import chatter_lines, video_link_line
from podfeed.problems import Level, Problem, error, info, sort_problems, warning
from podfeed.runtime import collection_paused, worker_pool
from podfeed.walk import glob_names
from podfeed.yamlmarks import opened_at

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_FRONT_MATTER_CHARS",
    "PARALLEL_MIN_FILES",
    "Scan",
    "classify_youtube",
    "date_key",
    "discover_episode_files",
    "first_paragraph",
    "load_episodes",
    "parse_episode_file",
    "scan_episode_files",
]

MAX_FILE_BYTES = 20_000_000
MAX_FRONT_MATTER_CHARS = 1_000_000
MAX_YAML_DEPTH = 64
MAX_YAML_ALIASES = 200
MAX_YAML_EVENTS = 200_000
MAX_YAML_EXPANDED_NODES = 100_000
# Front matter composed before any check (see _compose_plain): about 270 bytes of C stack per
# nesting level, so even a 128 KB thread stack holds this depth; real files have 20-60.
_PLAIN_MAX_INDICATORS = 128
_PLAIN_MAX_CHARS = 32_768
_READ_CHUNK = 1 << 16  # what to ask for once a file turns out larger than its stat size
# Below this many files to parse, starting processes costs more than it saves (~1.5 ms a file).
PARALLEL_MIN_FILES = 800
_CHUNK_FILES = 250
# The keys whose lines a duplicate-episode problem may name (kept per file, also in the cache).
_DUPLICATE_KEYS = ("permalink", "ref", "number")
# A parse result and the content digest of the bytes it was parsed from.
_Fresh = tuple[Parsed, bytes | None]


def _plain_tagger(base: type[yaml.SafeLoader]) -> Callable[[str], str]:
    """The tag ``base`` gives a plain (unquoted) scalar, as a function of its text.

    ``BaseResolver.resolve`` builds a new list of candidate patterns for every scalar; the table
    here is the same patterns in the same order, built once. The answer depends on the text
    alone, and keys (``title``, ``date``) and list items (tags, guests) recur in every file, so
    short texts are remembered (a bounded table: hostile files cannot grow it).
    """
    implicit = base.yaml_implicit_resolvers
    anywhere = list(implicit.get(None, []))
    table = {first: [*found, *anywhere] for first, found in implicit.items() if first is not None}
    scalar_tag = base.DEFAULT_SCALAR_TAG
    known: dict[str, str] = {}

    def plain_tag(value: str) -> str:
        tag = known.get(value)
        if tag is not None:
            return tag
        tag = scalar_tag
        for candidate, pattern in table.get(value[:1], anywhere):
            if pattern.match(value):
                tag = candidate
                break
        if len(value) <= _TAG_MEMO_CHARS and len(known) < _TAG_MEMO_SIZE:
            known[value] = tag
        return tag

    return plain_tag


_TAG_MEMO_CHARS = 64
_TAG_MEMO_SIZE = 4096


def _quick_resolver(
    base: type[yaml.SafeLoader], plain_tag: Callable[[str], str]
) -> type[yaml.SafeLoader]:
    """``base`` with the same tag resolution, done with less work per node.

    libyaml's composer calls back into Python for every node (~45 a file): ``resolve``, which
    ``plain_tag`` (:func:`_plain_tagger` of ``base``) answers for plain scalars, and the path
    tracking of ``descend_resolver``/``ascend_resolver``. ``base`` has no path resolvers (the
    safe loaders never do), so the path tracking and that part of ``resolve`` never apply.
    """
    if base.yaml_path_resolvers:  # pragma: no cover - not for the safe loaders
        return base
    scalar_tag = base.DEFAULT_SCALAR_TAG

    class QuickResolver(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
            if kind is not yaml.ScalarNode:
                return super().resolve(kind, value, implicit)
            return plain_tag(value) if implicit[0] else scalar_tag

        # The composer calls these two around every node; they only track the path that path
        # resolvers match against, and there are none (checked above).
        def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    QuickResolver.__name__ = QuickResolver.__qualname__ = f"Quick{base.__name__}"
    return QuickResolver


# libyaml when available (fast); the pure-Python SafeLoader otherwise. Never the unsafe loaders.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_plain_tag = _plain_tagger(_BASE_LOADER)
_LOADER = _quick_resolver(_BASE_LOADER, _plain_tag)
_LOADER_IS_C = not issubclass(_LOADER, yaml.SafeLoader)

_Y = "tag:yaml.org,2002:"
_NULL_TAG = _Y + "null"
_SAFE_TAGS = frozenset(
    _Y + name
    for name in (
        "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set",
        "str", "seq", "map", "merge", "value",
    )
)  # fmt: skip

# XML 1.0 Char production: everything else (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF)
# makes a feed ill-formed, so it is removed from every text field.
# `{% include transistor.html id="cea47899" title="#189 ..." %}`; args stop at the next `{` so
# a body full of unterminated tags is still scanned in linear time.
_INCLUDE = re.compile(r"\{%-?\s*include\s+(?P<name>[\w-]+)\.html(?P<args>(?:[^%{]|%(?!\}))*)-?%\}")
_INCLUDE_ARG = re.compile(
    r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
)
# Regexes that run on bodies never scan past the next brace/bracket of their own kind, so a body
# full of unclosed `{%`, `[` or `<` is still read in linear time.
_LIQUID = re.compile(r"\{%[^{}]*%\}|\{\{[^{}]*\}\}")
# Show-notes text for the summary fallback: blocks are runs of non-blank lines.
_BLOCK = re.compile(r"(?:^[ \t]*\S[^\n]*(?:\n|\Z))+", re.MULTILINE)
_LINE_MARKER = re.compile(r"^\s*(?:>\s*|[-*+]\s+|\d{1,9}[.)]\s+)*")  # quote and list markers
_NOT_PROSE = re.compile(
    r"\s*(?:#.*|[-*_](?:\s*[-*_]){2,}|=+|(?:\{%[^{}]*%\}|\{\{[^{}]*\}\}|</?[A-Za-z][^<>]*>|\s)*)"
)
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)")
_MD_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\([^()\n]*\)")
# The summary fallback only looks at the start of the notes: bounded work on any body.
_FALLBACK_SCAN_CHARS = 200_000
_FALLBACK_MAX_BLOCKS = 500
_FALLBACK_BLOCK_CHARS = 20_000
_FALLBACK_MAX_CHARS = 1_000  # Apple shows a few lines; the show notes carry the rest
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*(?:>|\Z)")  # also a tag cut off by the block limit
_MD_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`+")
_TRANSISTOR_ID = re.compile(r"[0-9a-fA-F]{8}")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = frozenset({"youtube.com", "youtube-nocookie.com", "music.youtube.com"})
_YOUTUBE_PATHS = ("embed", "shorts", "live", "v")
# A folder that looks like a language code (`de`, `pt-BR`, `zh-Hant`): two letters only, so that
# folders such as `edt-10`, `src` or `new` are never mistaken for languages.
_LANG_FOLDER = re.compile(r"[a-z]{2}(?:[-_](?:[A-Za-z]{2}|[A-Za-z]{4}))?")
# Characters ``quote`` leaves alone in a path (it never changes such a path).
_URL_SAFE_PATH = re.compile(r"[A-Za-z0-9_.~/-]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_MOJIBAKE = re.compile(r"%[89][0-9A-Fa-f]|\ufffd|â€|Ã[\u0080-\u00bf]")
_SUMMARY_PLACEHOLDERS = frozenset(
    word.casefold()
    for word in ("Summary", "Zusammenfassung", "Sommario", "Resumo", "Résumé", "Resume", "Resumen")
)
_OTHER_IMAGE_EXTENSIONS = frozenset(
    {".bmp", ".gif", ".webp", ".svg", ".tif", ".tiff", ".heic", ".avif", ".ico"}
)


# --------------------------------------------------------------------------- discovery + loading


def load_episodes(
    show: Show,
    *,
    cache: EpisodeCache | None = None,
    workers: int | None = None,
    scan: Scan | None = None,
) -> tuple[list[Episode], list[Problem]]:
    """Every publishable episode of ``show`` (newest first) and every problem found on the way.

    Files are read in sorted path order; of two files with the same ``(lang, number)`` or the same
    permalink the later one is an error (``duplicate-episode``) and is left out, so the result does
    not depend on the file system's listing order. Episodes are sorted by date (newest first),
    then number (highest first), then source path.

    ``cache`` skips files parsed before with the same content (see :mod:`podfeed.cache`); the
    caller saves it. ``workers`` is the number of processes that parse the remaining files:
    ``None`` uses every core when there are at least :data:`PARALLEL_MIN_FILES` of them, ``1``
    never starts a process. The result is the same in every case. ``scan`` is what
    :func:`scan_episode_files` gave, when the caller already looked for the files.
    """
    if scan is None:
        scan = scan_episode_files(show)
    with collection_paused():  # every episode made here lives on (see the function)
        return _load(show, scan.paths, list(scan.problems), scan.stats, cache, workers)


def _load(
    show: Show,
    paths: list[Path],
    problems: list[Problem],
    stats: dict[Path, os.stat_result],
    cache: EpisodeCache | None,
    workers: int | None,
) -> tuple[list[Episode], list[Problem]]:
    episodes: list[Episode] = []
    by_number: dict[tuple[str, int], Episode] = {}
    by_permalink: dict[str, Episode] = {}
    for episode, file_problems, key_lines in _parse_all(paths, show, cache, workers, stats):
        problems.extend(file_problems)
        if episode is None:
            continue
        duplicate = _duplicate_of(episode, key_lines, by_number, by_permalink)
        if duplicate is not None:
            problems.append(duplicate)
            continue
        if episode.number is not None:
            by_number[(episode.lang, episode.number)] = episode
        by_permalink[episode.permalink] = episode
        episodes.append(episode)
    return _newest_first(episodes), sort_problems(problems)


def _parse_all(
    paths: list[Path],
    show: Show,
    cache: EpisodeCache | None,
    workers: int | None,
    stats: dict[Path, os.stat_result] | None = None,
) -> list[Parsed]:
    """Parse every file, in ``paths`` order: from the cache where it hits, else in processes.

    ``stats`` are the ``stat`` results taken when the files were found (before any is read),
    so that the cache does not ``stat`` each file again.
    """
    results: list[Parsed | None] = [None] * len(paths)
    todo: list[int] = []
    identities: dict[int, FileIdentity | None] = {}
    preread: dict[int, bytes] = {}
    for index, path in enumerate(paths):
        if cache is None:
            todo.append(index)
            continue
        parsed, identity, data = cache.lookup(path, (stats or {}).get(path))
        if parsed is not None:
            results[index] = parsed
            continue
        todo.append(index)
        identities[index] = identity
        if data is not None:
            preread[index] = data
    fresh: Iterable[tuple[Parsed, bytes | None, EpisodeState | None]]
    if _worker_count(len(todo), workers) > 1:
        # Files read for a cache check are read again by the worker: rare, and cheaper than
        # shipping their bytes to another process.
        fresh = _parse_in_processes(
            [paths[i] for i in todo], show, _worker_count(len(todo), workers)
        )
    else:
        fresh = ((*_parse_file(paths[i], show, preread.get(i)), None) for i in todo)
    # One result at a time: each episode's texts go to the cache's file as they arrive.
    for index, (parsed, digest, state) in zip(todo, fresh, strict=True):
        results[index] = parsed
        identity = identities.get(index)
        if cache is not None and identity is not None and digest is not None:
            cache.store(paths[index], identity, digest, parsed, state)
    return [parsed for parsed in results if parsed is not None]


def parse_workers(files: int) -> int:
    """How many processes parse ``files`` files by default (1: no process is started)."""
    return _worker_count(files, None)


def _worker_count(files: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, min(workers, files))
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // (PARALLEL_MIN_FILES // 2)))


def _parse_in_processes(
    paths: list[Path], show: Show, workers: int
) -> Iterator[tuple[Parsed, bytes | None, EpisodeState | None]]:
    """Parse files in ``workers`` processes; results come in ``paths`` order, as they arrive,
    each with its content digest and the episode's :func:`~podfeed.cache.episode_state` (what
    crossed the process boundary: its texts stay encoded, and go to the cache as they are).

    A spawned worker imports podfeed once (about 0.2 s), which is why small sites stay in one
    process (see :func:`podfeed.runtime.worker_pool`). Chunks are contiguous runs of paths, so
    the merged list is in the same order as the single-process one.
    """
    size = max(1, min(_CHUNK_FILES, -(-len(paths) // (workers * 4))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with worker_pool(workers) as pool:
        parts = pool.map(_parse_chunk, itertools.repeat(show), chunks)
        for part, chunk in zip(parts, chunks, strict=True):
            for (state, problems, key_lines, digest), path in zip(part, chunk, strict=True):
                episode = None if state is None else episode_from_state(state, path)
                yield (episode, list(problems), key_lines), digest, state


# What a worker sends back for one file: the episode's state (or None), its problems, the line
# of each key, the content digest.
_Sent = tuple[EpisodeState | None, tuple[Problem, ...], dict[str, int], bytes | None]


def _parse_chunk(show: Show, paths: list[Path]) -> list[_Sent]:
    """Worker entry point (module level, so it can be pickled by name)."""
    out: list[_Sent] = []
    for path in paths:
        (episode, problems, key_lines), digest = _parse_file(path, show)
        state = None if episode is None else episode_state(episode)
        out.append((state, tuple(problems), key_lines, digest))
    return out


def discover_episode_files(show: Show) -> tuple[list[Path], list[Problem]]:
    """The files ``show.episodes`` globs match below ``show.root``: sorted, each once.

    Paths stay as built from ``show.root`` (not resolved), since that is how problems name them.
    A pattern that matches nothing is a warning: it usually means a typo or a moved folder.
    """
    scan = scan_episode_files(show)
    return scan.paths, scan.problems


@dataclass
class Scan:
    """The files found, sorted, named as ``str(path)`` names them, the ``stat`` of each (in
    the same order) and the problems found looking.

    The ``Path`` objects are made on first use: a build that finds every file as the last one
    left it compares names and ``stat`` results only (see :mod:`podfeed.stamp`), and making
    and hashing 18,000 paths was a third of its time.
    """

    names: list[str]
    infos: list[os.stat_result]
    problems: list[Problem]
    _paths: list[Path] | None = field(default=None, repr=False)

    @property
    def paths(self) -> list[Path]:
        if self._paths is None:
            self._paths = [Path(name) for name in self.names]
        return self._paths

    @property
    def stats(self) -> dict[Path, os.stat_result]:
        return dict(zip(self.paths, self.infos, strict=True))

    def found(self) -> Iterator[tuple[str, os.stat_result]]:
        """Each file's name and ``stat``, in order."""
        return zip(self.names, self.infos, strict=True)


def scan_episode_files(show: Show) -> Scan:
    """:func:`discover_episode_files`, and the ``stat`` of each file (one per file: it tells
    a regular file apart, and is the file identity of the episode cache and the build stamp).
    """
    found_by: dict[Any, tuple[str, os.stat_result]] = {}
    problems: list[Problem] = []
    for pattern in show.episodes:
        try:
            found = False
            for name, info in glob_names(show.root, pattern):
                found_by.setdefault(_same_file_key(name), (name, info))
                found = True
        except (ValueError, NotImplementedError) as exc:
            problems.append(
                error(
                    "episodes-pattern-invalid",
                    f"show {show.id}: episodes pattern {pattern!r} cannot be used: {exc}",
                    hint="use a relative glob such as 'episodes/*/*/episode.md'",
                )
            )
            continue
        if not found:
            problems.append(
                warning(
                    "episodes-pattern-empty",
                    f"show {show.id}: episodes pattern {pattern!r} matches no file below "
                    f"{show.root}",
                    hint="check the pattern and the show's root folder",
                )
            )
    ordered = sorted(found_by.values(), key=_name_order)
    return Scan([name for name, _ in ordered], [info for _, info in ordered], problems)


_POSIX = os.name == "posix"


def _same_file_key(name: str) -> Any:
    """What tells two names of one file apart as ``Path`` equality does: the name itself on
    POSIX (names are normalised as ``str(path)`` gives them), the path where paths compare
    case-insensitively."""
    return name if _POSIX else Path(name)


def _name_order(found: tuple[str, os.stat_result]) -> Any:
    """The order ``sorted()`` gives the paths: part by part. Every name found for one show
    starts with the same root, so splitting at "/" orders them as ``Path.parts`` would."""
    name = found[0]
    return name.split("/") if _POSIX else _path_order(Path(name))


def _path_order(path: Path) -> tuple[str, ...]:
    """The order ``sorted()`` gives paths, by a key: ``Path.__lt__`` is slow on 18,000 files."""
    if isinstance(path, PurePosixPath):
        return path.parts
    return tuple(part.lower() for part in path.parts)  # Windows paths compare case-insensitively


def _duplicate_of(
    episode: Episode,
    key_lines: dict[str, int],
    by_number: dict[tuple[str, int], Episode],
    by_permalink: dict[str, Episode],
) -> Problem | None:
    earlier = by_permalink.get(episode.permalink)
    what = f"permalink {episode.permalink!r}"
    line = key_lines.get("permalink") or key_lines.get("ref")
    if earlier is None and episode.number is not None:
        earlier = by_number.get((episode.lang, episode.number))
        what = f"number {episode.number} in language {episode.lang!r}"
        line = key_lines.get("number")
    if earlier is None:
        return None
    return error(
        "duplicate-episode",
        f"{episode.source} has the same {what} as {earlier.source}; this file is left out",
        episode.source,
        line or 1,
        hint="give each episode its own number and permalink per language, or remove one file "
        "(e.g. from the show's episodes patterns)",
    )


def _newest_first(episodes: list[Episode]) -> list[Episode]:
    by_source = sorted(episodes, key=lambda e: e.source)
    # Stable sort: equal (date, number) keep source order even with reverse=True.
    return sorted(
        by_source,
        key=lambda e: (date_key(e.date), e.number if e.number is not None else -1),
        reverse=True,
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def date_key(moment: datetime) -> int:
    """``moment`` as exact microseconds since the epoch, to sort by: the same order as the
    datetimes themselves (aware ones by their instant), and integers compare far faster than
    aware datetimes (every build sorts all episodes, then each feed's items).
    """
    epoch = _NAIVE_EPOCH if moment.tzinfo is None else _EPOCH
    return (moment - epoch) // _MICROSECOND


# --------------------------------------------------------------------------- one file


def parse_episode_file(path: Path, show: Show) -> tuple[Episode | None, list[Problem]]:
    """Parse one episode file: the ``Episode`` (or ``None`` when it cannot be used) and problems.

    Never raises for anything in the file; every problem names ``str(path)`` and a line when one
    is known.
    """
    episode, problems, _ = _parse(path, show)
    return episode, problems


def _parse(path: Path, show: Show) -> Parsed:
    """:func:`parse_episode_file` plus the line of each front matter key (for later problems)."""
    parsed, _ = _parse_file(path, show)
    return parsed


def _parse_file(path: Path, show: Show, data: bytes | None = None) -> _Fresh:
    """:func:`_parse` plus the content digest of the bytes parsed (``None`` if not read).

    ``data`` are the file's bytes when the caller has already read them.
    """
    file = str(path)
    problems: list[Problem] = []
    if data is None:
        data = _read_bytes(path, file, problems)
        if data is None:
            return (None, problems, {}), None
    return _parse_bytes(path, show, data, problems), content_digest(data)


def _parse_bytes(path: Path, show: Show, data: bytes, problems: list[Problem]) -> Parsed:
    file = str(path)
    text = _decode(data, file, problems)
    if text is None:
        return None, problems, {}
    parts = _split_front_matter(text, file, problems)
    if parts is None:
        return None, problems, {}
    root = _load_yaml(parts.yaml_text, file, problems)
    if root is None:
        return None, problems, {}
    if not isinstance(root, yaml.MappingNode):
        kind = "empty" if _is_null(root) else f"a YAML {_node_kind(root)}"
        problems.append(
            error(
                "front-matter-not-mapping",
                f"front matter is {kind}, not a mapping of keys to values",
                file,
                _node_line(root) or 2,
                hint="write one 'key: value' per line between the two --- lines",
            )
        )
        return None, problems, {}
    fields = _fields(root, file, problems)
    episode = _EpisodeReader(path, file, show, fields, parts, problems).episode()
    key_lines = {key: fields[key].line for key in _DUPLICATE_KEYS if key in fields}
    return episode, sort_problems(problems), key_lines


# --------------------------------------------------------------------------- bytes -> text


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


class _Parts(NamedTuple):
    """A file split at its front matter: YAML text (starting at file line 2) and the body.

    Named tuples rather than frozen dataclasses for the per-file and per-key records: as
    immutable, and several times cheaper to create (18,000 files, ~20 keys each).
    """

    yaml_text: str
    body: str
    body_line: int  # file line of the body's first line


def _split_front_matter(text: str, file: str, problems: list[Problem]) -> _Parts | None:
    """Split at the first two ``---`` lines only: bodies contain more ``---`` (rules)."""
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip(" \t") != "---":
        problems.append(
            error(
                "front-matter-missing",
                f"file does not start with front matter: line 1 is {_clip(first_line)!r}, "
                "not '---'",
                file,
                1,
                hint="start the file with a line '---', the YAML keys, and another line '---'",
            )
        )
        return None
    closing = _closing_line(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        problems.append(
            error(
                "front-matter-unclosed",
                "front matter opened with '---' on line 1 is never closed by another '---' line",
                file,
                1,
                hint="add a line '---' after the last front matter key",
            )
        )
        return None
    closing_start, closing_end = closing
    closing_line = text.count("\n", 0, closing_start) + 1
    return _Parts(
        yaml_text=text[first_end + 1 : closing_start],
        body=text[closing_end + 1 :],
        body_line=closing_line + 1,
    )


def _closing_line(text: str, start: int) -> tuple[int, int] | None:
    """Where the first line from ``start`` (a line start) on that is ``---`` and nothing but
    spaces or tabs begins and ends: what ``^---[ \t]*$`` finds in multi-line mode, found with
    ``str.find`` (which skips to the next candidate instead of trying every position)."""
    line = start
    while line >= 0:
        if text.startswith("---", line):
            end = line + 3
            while end < len(text) and text[end] in " \t":
                end += 1
            if end == len(text) or text[end] == "\n":
                return line, end
        found = text.find("\n---", line)
        line = -1 if found < 0 else found + 1
    return None


# --------------------------------------------------------------------------- YAML (safe, bounded)


class _YamlRejected(Exception):
    """Internal: the front matter must not be composed or walked further."""

    def __init__(self, code: str, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.hint = code, message, line, hint


def _load_yaml(source: str, file: str, problems: list[Problem]) -> yaml.Node | None:
    """Compose the front matter into a node tree (no Python objects built), or record why not."""
    try:
        if len(source) > MAX_FRONT_MATTER_CHARS:
            raise _YamlRejected(
                "front-matter-too-large",
                f"front matter is {len(source):,} characters, more than {MAX_FRONT_MATTER_CHARS:,}",
                1,
                "keep long text in the body, not the front matter",
            )
        plain, root = _compose_plain(source)
        if not plain:
            root = _compose_guarded(source)
        if root is None:  # only comments or blank lines
            return yaml.ScalarNode(_NULL_TAG, "", start_mark=None, end_mark=None)
    except _YamlRejected as rejected:
        problems.append(error(rejected.code, rejected.message, file, rejected.line, rejected.hint))
        return None
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(exc, source, file))
        return None
    return root


def _compose_plain(source: str) -> tuple[bool, yaml.Node | None]:
    """One pass for the usual front matter: compose it, then confirm none of the guards applies.

    Returns ``(True, root)`` when the composed tree has no alias, no explicit tag outside the
    safe schema, no nesting deeper than :data:`MAX_YAML_DEPTH` and fewer nodes than
    :data:`MAX_YAML_EVENTS` counts: then :func:`_compose_guarded` would accept the same text
    and compose the same tree. Otherwise (or on any YAML error) ``(False, None)``, and the
    caller takes the guarded path, which finds the first problem in document order.

    Composing first is only safe while libyaml's recursive composer cannot overflow the C
    stack and the tree stays small: every collection level needs one of the characters
    ``[{-?:``, so at most :data:`_PLAIN_MAX_INDICATORS` of them bound the depth whatever the
    text, and :data:`_PLAIN_MAX_CHARS` bounds the tree's size. The pure-Python loader recurses
    in Python, so it always takes the guarded path.
    """
    if not _LOADER_IS_C or len(source) > _PLAIN_MAX_CHARS:
        return False, None
    indicators = sum(source.count(char) for char in "[{-?:")
    if indicators > _PLAIN_MAX_INDICATORS:
        return False, None
    try:
        root = yaml.compose(source, Loader=_LOADER)
    except yaml.YAMLError:
        return False, None
    if root is None:
        return True, None
    if indicators <= MAX_YAML_DEPTH and not any(char in source for char in "&*!"):
        # No anchor, alias or tag can be written without these characters, and so few
        # indicators bound the depth and the number of nodes far below the limits.
        return True, root
    return _is_plain_tree(root), root


def _is_plain_tree(root: yaml.Node) -> bool:
    """True when the composed tree is one the guarded path would accept (see above).

    An alias is a node reached twice (PyYAML's composer shares the anchored node), so a cycle
    is found too without walking it more than once.
    """
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, int]] = [(root, 0)]
    while pending:
        node, depth = pending.pop()
        if id(node) in seen or node.tag not in _SAFE_TAGS:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        depth += 1
        if depth > MAX_YAML_DEPTH or 2 * len(seen) > MAX_YAML_EVENTS - 4:
            return False
        if isinstance(node, yaml.MappingNode):
            pending.extend((item, depth) for pair in node.value for item in pair)
        else:
            pending.extend((item, depth) for item in node.value)
    return 2 * len(seen) <= MAX_YAML_EVENTS - 4


def _compose_guarded(source: str) -> yaml.Node | None:
    """Check the event stream first (see :func:`_check_events`), then compose."""
    aliases = _check_events(source)
    root = yaml.compose(source, Loader=_LOADER)
    if root is not None and aliases:  # without aliases the tree is as small as its event count
        _check_graph(root)
    return root


def _check_events(source: str) -> int:
    """Refuse deep nesting (libyaml's composer recurses in C), alias floods and tags outside the
    safe schema before anything is composed; return how many aliases were seen.
    """
    depth = aliases = 0
    for count, event in enumerate(_events(source), 1):
        # Only explicit tags can be unsafe: tag resolution never produces anything else.
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _SAFE_TAGS:
            raise _unsafe_tag(tag, event)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _too_complex(f"nested more than {MAX_YAML_DEPTH} levels deep", event)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise _too_complex(f"uses more than {MAX_YAML_ALIASES} aliases (*name)", event)
        if count > MAX_YAML_EVENTS:
            raise _too_complex(f"has more than {MAX_YAML_EVENTS} YAML nodes", event)
    return aliases


def _events(source: str) -> Iterator[yaml.Event]:
    """``yaml.parse(source)``, with libyaml's own nesting limit reported as podfeed's.

    libyaml 0.2.6 (bundled with PyYAML 6.0.3 and later) refuses flow collections nested more
    than 1,000 levels while it scans ahead for a possible key, before the first event of the
    collection reaches :func:`_check_events`. It is the same refusal for the same reason, so
    it is the same problem (``yaml-too-complex``), whichever libyaml the machine has.
    """
    try:
        yield from yaml.parse(source, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" not in (exc.problem or ""):
            raise
        mark = exc.problem_mark or exc.context_mark
        raise _YamlRejected(
            "yaml-too-complex",
            f"front matter nested more than {MAX_YAML_DEPTH} levels deep; refusing to load it "
            "(YAML bomb protection)",
            None if mark is None else mark.line + 2,
            _TOO_COMPLEX_HINT,
        ) from None


def _check_graph(root: yaml.Node) -> None:
    """Walk each distinct node once: refuse cycles and a huge alias-expanded size."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > MAX_YAML_EXPANDED_NODES:
                raise _too_complex(
                    f"expands to more than {MAX_YAML_EXPANDED_NODES:,} values through aliases",
                    node,
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise _too_complex("contains an alias that refers to itself (a cycle)", node)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _unsafe_tag(tag: str, event: yaml.Event) -> _YamlRejected:
    line = None if event.start_mark is None else event.start_mark.line + 2
    if tag.startswith(_Y + "python/"):
        return _YamlRejected(
            "yaml-unsafe-tag",
            f"front matter uses the tag !!{tag[len(_Y) :]}, which asks a YAML loader to run "
            "Python code; the file is not used",
            line,
            "remove the !!python tag: front matter holds plain text, numbers, dates and lists",
        )
    return _YamlRejected(
        "yaml-unknown-tag",
        f"front matter uses the unknown YAML tag {tag!r}; the file is not used",
        line,
        "remove the tag (only the standard YAML types are accepted)",
    )


_TOO_COMPLEX_HINT = "front matter needs no anchors/aliases or deep nesting: write values out"


def _too_complex(what: str, where: yaml.Node | yaml.Event) -> _YamlRejected:
    mark = where.start_mark
    return _YamlRejected(
        "yaml-too-complex",
        f"front matter {what}; refusing to load it (YAML bomb protection)",
        None if mark is None else mark.line + 2,
        _TOO_COMPLEX_HINT,
    )


def _yaml_error(exc: yaml.YAMLError, source: str, file: str) -> Problem:
    """A YAML syntax error with its file line (YAML counts from the line after the opening ---)."""
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a byte offset into the UTF-8 text, the Python reader a character one.
        if _LOADER_IS_C:
            line = source.encode("utf-8").count(b"\n", 0, exc.position) + 2
        else:
            line = source.count("\n", 0, exc.position) + 2
        character = exc.character
        shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        return error(
            "yaml-invalid",
            f"front matter contains a character YAML does not allow ({shown}): {exc.reason}",
            file,
            line,
            hint='remove the character, or write it as an escape in double quotes ("\\x01")',
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        mark_line = None if mark is None else mark.line + 2
        what = "; ".join(part for part in (exc.context, exc.problem) if part)
        started = opened_at(source, exc)
        if started is not None and mark is not None and started.line < mark.line:
            # An unclosed quote or bracket is noticed lines later: point where it was opened.
            what += f" (the parser gave up on line {mark_line})"
            mark, mark_line = started, started.line + 2
        source_line = _source_line(source, None if mark is None else mark.line)
        if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or (
            "\t" in source_line and "cannot start any token" in (exc.problem or "")
        ):
            return error(
                "yaml-tab-indent",
                f"front matter line {mark_line} is indented with a tab, which YAML forbids "
                f"({what})",
                file,
                mark_line,
                hint="indent with spaces only",
            )
        opener = _source_line(source, mark.line)[started.column :] if started and mark else ""
        if opener.startswith(("'", '"')):
            hint = "close the quote opened on this line (a quote inside it is written \\\" or '')"
        elif opener.startswith(("[", "{")):
            hint = "close the [ or { opened on this line, or quote the value"
        else:
            hint = (
                "quote values that contain ': ' or start with a special character ([{*&!|>'\"%@`)"
            )
        return error(
            "yaml-invalid", f"front matter is not valid YAML: {what}", file, mark_line, hint=hint
        )
    return error("yaml-invalid", f"front matter is not valid YAML: {exc}", file, 1)


def _source_line(source: str, index: int | None) -> str:
    if index is None:
        return ""
    lines = source.split("\n", index + 1)
    return lines[index] if index < len(lines) else ""


# --------------------------------------------------------------------------- nodes -> fields


class _Field(NamedTuple):
    node: yaml.Node
    line: int  # file line of the key


def _fields(root: yaml.MappingNode, file: str, problems: list[Problem]) -> dict[str, _Field]:
    """Top-level keys with their value nodes and lines; a repeated key warns and the last wins."""
    fields: dict[str, _Field] = {}
    for key_node, value_node in root.value:
        mark = key_node.start_mark  # _node_line(key_node) or 1, without a call per key
        line = 1 if mark is None else mark.line + 2
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                warning("key-invalid", "front matter key is not text; ignored", file, line)
            )
            continue
        key = key_node.value
        if key in fields:
            problems.append(
                warning(
                    "duplicate-key",
                    f"key {key!r} appears again (first on line {fields[key].line}); "
                    "the last value is used",
                    file,
                    line,
                    hint=f"keep one '{key}:' line",
                )
            )
        fields[key] = _Field(value_node, line)
    return fields


def _node_line(node: yaml.Node) -> int | None:
    mark = node.start_mark
    return None if mark is None else mark.line + 2


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    return "scalar"


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------- field rules


@dataclass
class _Media:
    transistor_id: str | None = None
    transistor_title: str | None = None
    transistor_line: int | None = None
    youtube_id: str | None = None


@dataclass
class _EpisodeReader:
    """Applies the field rules to one file's front matter and body, collecting problems."""

    path: Path
    file: str
    show: Show
    fields: dict[str, _Field]
    parts: _Parts
    problems: list[Problem] = field(default_factory=list)

    _texts: dict[str, str | None] = field(default_factory=dict)

    def episode(self) -> Episode | None:
        """The episode, or ``None`` when it cannot be published (the problems say why).

        Every rule runs even when a required field is missing, so one read reports everything
        that needs fixing in the file.
        """
        lang = self._lang()
        if lang is None:  # skipped on purpose (info): its other findings would only be noise
            return None
        title = self._title()
        date = self._date()
        permalink = self._permalink()
        number = self._number()
        media = self._media()
        summary = self._summary(title or "")
        description = self._description(summary)
        tags, guests = self._text_list("tags"), self._text_list("guests")
        (image, image_line), layout = self._image(), self._text("layout")
        self._check_notes(media)
        if title is None or date is None or permalink is None:
            return None
        url = self.show.episode_url_for(permalink, lang)
        return Episode(
            path=self.path,
            source=self.file,
            show=self.show.id,
            lang=lang,
            number=number,
            title=title,
            permalink=permalink,
            url=url,
            date=date,
            summary=summary,
            description=description,
            tags=tags,
            guests=guests,
            image=image,
            transistor_id=media.transistor_id,
            transistor_title=media.transistor_title,
            transistor_line=media.transistor_line,
            youtube_id=media.youtube_id,
            notes_html=self._notes(url),
            layout=layout,
            image_line=image_line,
        )

    # -- helpers ----------------------------------------------------------------------------

    def _add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def _line(self, key: str) -> int | None:
        entry = self.fields.get(key)
        return None if entry is None else entry.line

    def _text(self, key: str) -> str | None:
        """The scalar under ``key`` as written (``2025-02-02`` stays text); ``None`` if absent.

        Cached, so a field consulted by several rules is reported once.
        """
        if key not in self._texts:
            self._texts[key] = self._read_text_field(key)
        return self._texts[key]

    def _read_text_field(self, key: str) -> str | None:
        entry = self.fields.get(key)
        if entry is None or _is_null(entry.node):
            return None
        if not isinstance(entry.node, yaml.ScalarNode):
            self._add(
                warning(
                    "field-not-text",
                    f"{key}: holds a YAML {_node_kind(entry.node)}, not text; ignored",
                    self.file,
                    entry.line,
                    hint=f"write {key}: as a single value",
                )
            )
            return None
        return self._clean(entry.node.value, key, entry.line)

    def _clean(self, text: str, key: str, line: int | None) -> str:
        cleaned = strip_xml_invalid(text)
        if cleaned != text:
            self._add(
                warning(
                    "text-forbidden-chars",
                    f"{key}: contains {len(text) - len(cleaned)} control character(s) XML forbids;"
                    " they were removed",
                    self.file,
                    line,
                    hint="delete the invisible control characters",
                )
            )
        return cleaned

    def _text_list(self, key: str) -> tuple[str, ...]:
        """A list of texts: null is empty, one scalar is a one-item list, nested values warn."""
        entry = self.fields.get(key)
        if entry is None or _is_null(entry.node):
            return ()
        node = entry.node
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: list[str] = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode):
                self._add(
                    warning(
                        "field-not-text",
                        f"{key}: an item is a YAML {_node_kind(item)}, not text; it was skipped",
                        self.file,
                        _node_line(item) or entry.line,
                    )
                )
                continue
            if item.tag == _NULL_TAG:
                continue
            value = item.value
            if not value.isprintable():  # else there is nothing to clean (and no line to find)
                value = self._clean(value, key, _node_line(item) or entry.line)
            text = value.strip()
            if text:
                result.append(text)
        return tuple(result)

    # -- language, title, date, number, permalink -----------------------------------------------

    def _lang(self) -> str | None:
        """``lang:``, else a ``<lang>/episode.md`` folder, else the show's default language."""
        folder = self.path.parent.name
        folder_is_lang = folder in self.show.languages or bool(_LANG_FOLDER.fullmatch(folder))
        written = (self._text("lang") or "").strip()
        if written:
            lang = written
            if folder_is_lang and folder != written:
                self._add(
                    warning(
                        "lang-folder-mismatch",
                        f"lang: {written!r} disagrees with the folder {folder!r}; "
                        f"using {written!r}",
                        self.file,
                        self._line("lang"),
                        hint="move the file or correct lang:",
                    )
                )
        elif folder_is_lang:
            lang = folder
        else:
            lang = self.show.default_language
        if lang not in self.show.languages:
            self._add(
                info(
                    "lang-not-configured",
                    f"language {lang!r} is not one of show {self.show.id}'s languages "
                    f"({', '.join(self.show.languages)}); this episode is skipped",
                    self.file,
                    self._line("lang") or 1,
                    hint=f"add {lang} to the show's languages in the config to publish it",
                )
            )
            return None
        return lang

    def _title(self) -> str | None:
        title = (self._text("title") or "").strip()
        if title:
            return title
        self._add(
            error(
                "title-missing",
                "title: is missing or empty; the episode is not published",
                self.file,
                self._line("title") or 1,
                hint="add a line 'title: \"...\"' to the front matter",
            )
        )
        return None

    def _date(self) -> datetime | None:
        entry = self.fields.get("date")
        if entry is not None and not isinstance(entry.node, yaml.ScalarNode):
            self._add(
                error(
                    "date-invalid",
                    f"date: holds a YAML {_node_kind(entry.node)}, not a date; the episode is "
                    "not published",
                    self.file,
                    entry.line,
                    hint="write one date, e.g. 'date: 2024-03-07T08:00:00-08:00'",
                )
            )
            return None
        # The scalar text as written, not PyYAML's conversion: an unquoted ...Z timestamp and a
        # quoted one then read the same, whatever the PyYAML version does with time zones.
        value = (self._text("date") or "").strip()
        if not value:
            self._add(
                error(
                    "date-missing",
                    "date: is missing or empty; the episode is not published",
                    self.file,
                    self._line("date") or 1,
                    hint="add 'date: 2024-03-07' (the show's time zone applies) or a full "
                    "ISO 8601 time such as 2024-03-07T08:00:00Z",
                )
            )
            return None
        try:
            return parse_date(value, tz=self.show.timezone)
        except DateError as exc:
            self._add(
                error(
                    "date-invalid",
                    f"{exc}; the episode is not published",
                    self.file,
                    self._line("date"),
                    hint="write the date as ISO 8601, e.g. 2024-03-07T08:00:00-08:00",
                )
            )
            return None

    def _number(self) -> int | None:
        entry = self.fields.get("number")
        if entry is None or _is_null(entry.node):
            self._add(
                warning(
                    "number-missing",
                    "number: is missing; the feed item gets no itunes:episode",
                    self.file,
                    self._line("number") or 1,
                    hint="add 'number: <episode number>'",
                )
            )
            return None
        number = _as_int(entry.node)
        if number is None or not 1 <= number <= 2**31 - 1:
            shown = entry.node.value if isinstance(entry.node, yaml.ScalarNode) else "a list"
            self._add(
                warning(
                    "number-invalid",
                    f"number: {_clip(str(shown))!r} is not a positive whole number; the feed item "
                    "gets no itunes:episode",
                    self.file,
                    entry.line,
                    hint="write the episode number as digits, e.g. 'number: 189'",
                )
            )
            return None
        return number

    def _permalink(self) -> str | None:
        key = "permalink" if self._text("permalink") else "ref"
        permalink = (self._text(key) or "").strip()
        if not permalink:
            self._add(
                error(
                    "permalink-missing",
                    "neither permalink: nor ref: is set, so the episode has no page URL and no "
                    "stable guid; it is not published",
                    self.file,
                    1,
                    hint="add 'permalink: episode-<show><number>-<lang>'",
                )
            )
            return None
        if _SCHEME.match(permalink) or permalink.startswith("//") or ".." in permalink.split("/"):
            self._add(
                error(
                    "permalink-invalid",
                    f"{key}: {_clip(permalink)!r} must be a path on the site, without a scheme "
                    "or '..'; the episode is not published",
                    self.file,
                    self._line(key),
                    hint="use a site path such as 'episode-EDT189-en'",
                )
            )
            return None
        return permalink

    # -- summary and description ------------------------------------------------------------

    def _summary(self, title: str) -> str:
        key = "summary" if (self._text("summary") or "").strip() else "description"
        summary = (self._text(key) or "").strip()
        if summary and summary.casefold() in _SUMMARY_PLACEHOLDERS:
            self._add(
                warning(
                    "summary-placeholder",
                    f"{key}: is the placeholder {summary!r}; the first paragraph of the show "
                    "notes is used instead",
                    self.file,
                    self._line(key),
                    hint="write a one-paragraph summary of the episode",
                    group=f"episodes of {self.show.id} whose summary is a placeholder word "
                    "(Summary, Zusammenfassung, ...): the notes' first paragraph is used",
                )
            )
            summary = ""
        elif not summary:
            self._add(
                warning(
                    "summary-missing",
                    "summary: and description: are missing or empty; the first paragraph of the "
                    "show notes is used instead",
                    self.file,
                    self._line("summary") or 1,
                    hint="add 'summary: \"...\"'",
                )
            )
        else:
            self._check_mojibake(summary, key)
            return summary
        return strip_xml_invalid(first_paragraph(self.parts.body)) or title

    def _check_mojibake(self, summary: str, key: str) -> None:
        # Left as written (text fields keep what the author wrote); the hint gives the fix.
        found = _MOJIBAKE.search(summary)
        if found is None:
            return
        fix = ""
        if found.group().startswith("%"):
            meant = bytes([int(found.group()[1:], 16)]).decode("cp1252", "replace")
            fix = f": replace {found.group()} with {meant}"
        self._add(
            warning(
                "summary-mojibake",
                f"{key}: contains garbled text {found.group()!r} (encoding damage); "
                "left as written",
                self.file,
                self._line(key),
                hint=f"fix the characters in the file{fix}",
            )
        )

    def _description(self, summary: str) -> str:
        description = (self._text("description") or "").strip()
        if not description or description.casefold() in _SUMMARY_PLACEHOLDERS:
            return summary
        return description

    # -- image ----------------------------------------------------------------------------

    def _image(self) -> tuple[str | None, int | None]:
        """The episode artwork as an absolute URL (or ``None``), and the line that names it.

        ``image:`` wins over ``img:``. A relative value names a file next to the episode file;
        Jekyll serves static files at their path below the site source, which ``show.root``
        stands for, so ``episodes/edt-189/en/thumbnail.png`` is at
        ``{site_url}episodes/edt-189/en/thumbnail.png`` (the real site's ``posts.html`` layout
        builds it the same way from ``page.path``), not next to the permalink page.
        """
        key = "image" if (self._text("image") or "").strip() else "img"
        value = (self._text(key) or "").strip()
        line = self._line(key)
        if not value:
            return None, line
        parts = urlsplit(value)
        if parts.scheme and parts.scheme not in ("http", "https"):
            self._add(
                warning(
                    "image-invalid",
                    f"{key}: {_clip(value)!r} is not an http(s) URL or a file name; no item image",
                    self.file,
                    line,
                    hint="name an image file next to the episode file, or an https URL",
                )
            )
            return None, line
        suffix = _suffix(parts.path)
        if suffix in _OTHER_IMAGE_EXTENSIONS:
            self._add(
                warning(
                    "image-format",
                    f"{key}: {_clip(value)!r} is a {suffix} image; Apple Podcasts accepts only "
                    "JPEG and PNG, so the item gets no image",
                    self.file,
                    line,
                    hint="convert the image to PNG or JPEG and update the front matter",
                    group=f"episodes of {self.show.id} whose image is not JPEG or PNG: no item "
                    "image",
                )
            )
            return None, line
        return join_url(self._folder_url(), value), line

    def _folder_url(self) -> str:
        folder = "/".join(self._relative_folder())
        if not _URL_SAFE_PATH.fullmatch(folder):  # else quoting changes nothing
            folder = "/".join(quote(part) for part in self._relative_folder())
        base = self.show.site_url if self.show.site_url.endswith("/") else self.show.site_url + "/"
        return join_url(base, folder + "/" if folder else "")

    def _relative_folder(self) -> tuple[str, ...]:
        """The parts of the file's folder below ``show.root`` (none if it is not below it)."""
        parent, root = self.path.parent, self.show.root
        # What relative_to does on POSIX paths (case-sensitive parts), without building two more
        # Path objects; an empty root and anything else take relative_to itself.
        posix = isinstance(parent, PurePosixPath) and root.parts
        if posix and parent.parts[: len(root.parts)] == root.parts:
            return parent.parts[len(root.parts) :]
        try:
            return parent.relative_to(root).parts
        except ValueError:
            return ()

    # -- body: includes and notes -----------------------------------------------------------

    def _media(self) -> _Media:
        media = _Media()
        includes = list(_includes(self.parts.body, self.parts.body_line))
        self._transistor(media, includes)
        self._youtube(media, includes)
        return media

    def _audio_level(self) -> Level:
        return Level.ERROR if self.show.missing_audio == "error" else Level.WARNING

    def _transistor(self, media: _Media, includes: list[_Include]) -> None:
        transistor = [inc for inc in includes if inc.name == "transistor"]
        for include in transistor:
            share_id = include.args.get("id", "")
            if not _TRANSISTOR_ID.fullmatch(share_id):
                self._add(
                    Problem(
                        self._audio_level(),
                        "transistor-id-invalid",
                        f"transistor include id {_clip(share_id)!r} is not an 8-character hex "
                        "share id; it gives no audio",
                        self.file,
                        include.line,
                        "copy the id from the episode's share link https://share.transistor.fm/s/<id>",
                    )
                )
                continue
            if media.transistor_id is None:
                media.transistor_id = share_id.lower()
                media.transistor_title = strip_xml_invalid(include.args.get("title", "")) or None
                media.transistor_line = include.line
            elif share_id.lower() != media.transistor_id:
                self._add(
                    warning(
                        "transistor-multiple",
                        f"a second transistor include names {share_id!r}; the first "
                        f"({media.transistor_id!r}, line {media.transistor_line}) is used",
                        self.file,
                        include.line,
                        hint="keep one transistor include per episode",
                    )
                )
        if media.transistor_id is not None:
            return
        soundcloud = next((inc for inc in includes if inc.name == "soundcloud"), None)
        if soundcloud is not None:
            self._add(
                Problem(
                    self._audio_level(),
                    "soundcloud-audio",
                    "the audio is a SoundCloud include, not Transistor: the episode has no "
                    "Transistor audio and will not be published with an enclosure",
                    self.file,
                    soundcloud.line,
                    "upload the episode to Transistor and add "
                    '{% include transistor.html id="<share id>" %}',
                )
            )
        elif not transistor:
            self._add(
                Problem(
                    self._audio_level(),
                    "no-audio",
                    "the body has no {% include transistor.html %}: the episode has no audio and "
                    "will not be published with an enclosure",
                    self.file,
                    self.parts.body_line,
                    'add {% include transistor.html id="<share id>" %} to the body',
                    group=f"episodes of {self.show.id} without a transistor include: no audio, "
                    "no enclosure",
                )
            )

    def _youtube(self, media: _Media, includes: list[_Include]) -> None:
        include = next((inc for inc in includes if inc.name == "youtube"), None)
        from_include = None
        if include is not None:
            from_include = self._youtube_value(
                include.args.get("id", ""), "youtube include id", include.line
            )
        from_video = None
        video = self._text("video")
        if video is not None:
            from_video = self._youtube_value(video, "video:", self._line("video"))
        if from_include and from_video and from_include != from_video:
            self._add(
                warning(
                    "youtube-mismatch",
                    f"video: names {from_video!r} but the youtube include names "
                    f"{from_include!r}; the include is used",
                    self.file,
                    self._line("video"),
                    hint="make video: and the include name the same video",
                )
            )
        media.youtube_id = from_include or from_video

    def _youtube_value(self, value: str, what: str, line: int | None) -> str | None:
        video_id, code = _classify_youtube_cached(value)
        if code == "youtube-placeholder":
            self._add(
                warning(
                    code,
                    f"{what} {_clip(value)!r} is a placeholder, not a video; no video link",
                    self.file,
                    line,
                    hint="put the 11-character YouTube id there, or remove it",
                    group=f"episodes of {self.show.id} whose video is a placeholder: no video link",
                )
            )
        elif code is not None:
            self._add(
                warning(
                    code,
                    f"{what} {_clip(value)!r} is not a YouTube video link or id; no video link",
                    self.file,
                    line,
                    hint="use https://youtu.be/<11-character id>",
                    group=f"episodes of {self.show.id} whose video is not a YouTube link: "
                    "no video link",
                )
            )
        return video_id

    def _check_notes(self, media: _Media) -> None:
        """What the notes should not say (see :mod:`podfeed.notes_checks`)."""
        body, first = self.parts.body, self.parts.body_line
        chatter = chatter_lines(body, first)
        if chatter:
            line, text = chatter[0]
            more = f" (and {len(chatter) - 1} more line{'s' * (len(chatter) > 2)})"
            self._add(
                warning(
                    "notes-translation-chatter",
                    f"the show notes hold what a translation tool said, not show notes: "
                    f"{_clip(text)!r}{more if len(chatter) > 1 else ''}; every app shows it",
                    self.file,
                    line,
                    hint="delete those lines (the tool's prompt or its answer) from the file",
                    group=f"episodes of {self.show.id} whose show notes hold what a "
                    "translation tool said",
                )
            )
        if media.youtube_id is not None:
            linked = video_link_line(body, first, media.youtube_id)
            if linked is not None:
                self._add(
                    warning(
                        "youtube-link-twice",
                        f"the show notes link to the episode's video ({media.youtube_id}), and "
                        "podfeed adds a 'Watch on YouTube' link to it: the item would show the "
                        "link twice",
                        self.file,
                        linked,
                        hint="remove the link from the show notes (the feed item gets one anyway)",
                    )
                )

    def _notes(self, url: str) -> str:
        try:
            return render_notes(self.parts.body, base_url=url)
        except Exception as exc:  # a bug there must not lose the whole show; report it per file
            self._add(
                error(
                    "notes-render-failed",
                    f"show notes could not be rendered: {type(exc).__name__}: {_clip(str(exc))}",
                    self.file,
                    self.parts.body_line,
                )
            )
            return ""


@functools.lru_cache(maxsize=1024)
def _suffix(url_path: str) -> str:
    """The lower-case file extension of a URL path, as ``Path`` sees it (cached: the same image
    name recurs in every episode folder)."""
    return Path(url_path).suffix.lower()


def _as_int(node: yaml.Node) -> int | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == _Y + "int":
        try:
            value = yaml.constructor.SafeConstructor().construct_yaml_int(node)
        except (ValueError, yaml.YAMLError):
            return None
        return value if isinstance(value, int) else None
    if node.tag == _Y + "str" and node.value.strip().isascii() and node.value.strip().isdigit():
        return int(node.value.strip())  # "189" quoted
    return None


# --------------------------------------------------------------------------- body helpers


class _Include(NamedTuple):
    name: str
    args: dict[str, str]
    line: int


def _includes(body: str, first_line: int) -> Iterator[_Include]:
    """Liquid ``{% include name.html key="value" %}`` tags in the body with their file lines."""
    line, position = first_line, 0
    for match in _INCLUDE.finditer(body):
        line += body.count("\n", position, match.start())
        position = match.start()
        args = {arg["key"]: _arg_value(arg) for arg in _INCLUDE_ARG.finditer(match["args"])}
        yield _Include(match["name"].lower(), args, line)


def _arg_value(arg: re.Match[str]) -> str:
    """The value of one include argument, whichever way it was quoted."""
    double, single, bare = arg.group("dq", "sq", "bare")
    if double is not None:
        return str(double)
    return str(single) if single is not None else str(bare)


def classify_youtube(value: str) -> tuple[str | None, str | None]:
    """``(video id, None)`` for a usable YouTube link or id, else ``(None, problem code)``.

    Placeholders (empty, ``url``, ``https://youtu.be/``, an id with ``url`` glued on) give
    ``youtube-placeholder``; anything else that is not an 11-character id is ``youtube-invalid``.

    >>> classify_youtube("https://youtu.be/ImbRcqDHYV0")
    ('ImbRcqDHYV0', None)
    >>> classify_youtube("https://www.youtube.com/watch?v=ImbRcqDHYV0&t=3")
    ('ImbRcqDHYV0', None)
    >>> classify_youtube("vtrnskZPA9Murl")
    (None, 'youtube-placeholder')
    >>> classify_youtube("https://youtu.be/function (...args) {")
    (None, 'youtube-invalid')
    """
    text = value.strip()
    if any(ch.isspace() for ch in text):
        return None, "youtube-invalid"
    candidate = _youtube_candidate(text)
    if candidate is None:
        return None, "youtube-invalid"
    if _YOUTUBE_ID.fullmatch(candidate):
        return candidate, None
    if candidate == "" or candidate.lower().endswith("url"):
        return None, "youtube-placeholder"
    return None, "youtube-invalid"


# The same video is named in every language's file of an episode.
_classify_youtube_cached = functools.lru_cache(maxsize=4096)(classify_youtube)


def _youtube_candidate(text: str) -> str | None:
    """The id part of a YouTube URL, the text itself when it is no URL, ``None`` for other sites."""
    looks_like_url = "/" in text or text.lower().startswith(("youtu", "www."))
    if not looks_like_url:
        return text
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if host == "youtu.be":
        return segments[0] if segments else ""
    if host not in _YOUTUBE_HOSTS:
        return None
    if segments[:1] == ["watch"]:
        return parse_qs(parts.query).get("v", [""])[0]
    if len(segments) >= 2 and segments[0] in _YOUTUBE_PATHS:
        return segments[1]
    return "" if not segments else None


def first_paragraph(body: str) -> str:
    """The first prose paragraph of Markdown show notes as one line of plain text.

    Liquid tags, raw HTML blocks, headings and rules are skipped; link text is kept. A plain
    block scanner rather than a Markdown parser: it must stay linear on hostile bodies (a full
    parser is quadratic on some inputs, e.g. thousands of unclosed ``{%``).

    >>> first_paragraph('{% include a.html %}\\n\\n---\\n## Hi\\n\\nSee [this](u) *now*.\\n')
    'See this now.'
    """
    blocks = _BLOCK.finditer(body, 0, _FALLBACK_SCAN_CHARS)
    for block in itertools.islice(blocks, _FALLBACK_MAX_BLOCKS):
        start = block.group()[:_FALLBACK_BLOCK_CHARS]
        if start.lstrip().startswith("<"):  # raw HTML block (<div>, <details>, <img>)
            continue
        lines = (_LINE_MARKER.sub("", line, count=1) for line in start.split("\n"))
        prose = " ".join(line for line in lines if line and not _NOT_PROSE.fullmatch(line))
        text = " ".join(_inline_text(prose).split())
        if text:
            return _shorten(text, _FALLBACK_MAX_CHARS)
    return ""


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _inline_text(markdown: str) -> str:
    text = _LIQUID.sub(" ", markdown)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\g<text>", text)
    text = _HTML_TAG.sub("", text)
    return _MD_EMPHASIS.sub("", text)
