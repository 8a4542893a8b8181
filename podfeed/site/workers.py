"""Parsing many episode files: from the cache where it hits, else in worker processes.

In: the paths of one show's files (in the order the result keeps) and the episode cache. Out:
what :func:`~podfeed.site.parse.parse_file` gives for each, the same whichever way it was made.
Fresh results go to the cache as they arrive.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from podfeed.cache import EpisodeCache, FileIdentity, Parsed
from podfeed.config.model import Show
from podfeed.model import EpisodeState, episode_from_state, episode_state
from podfeed.problems import Problem
from podfeed.runtime import worker_pool
from podfeed.site.parse import parse_file

__all__ = ["PARALLEL_MIN_FILES", "parse_all", "parse_workers"]

# Below this many files to parse, starting processes costs more than it saves (~1.5 ms a file).
PARALLEL_MIN_FILES = 800
_CHUNK_FILES = 250


def parse_all(
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
        fresh = ((*parse_file(paths[i], show, preread.get(i)), None) for i in todo)
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
    each with its content digest and the episode's :func:`~podfeed.model.episode_state` (what
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
        (episode, problems, key_lines), digest = parse_file(path, show)
        state = None if episode is None else episode_state(episode)
        out.append((state, tuple(problems), key_lines, digest))
    return out
