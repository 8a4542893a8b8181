"""A show's episodes: every file found, parsed (or taken from the cache), duplicates left out,
newest first.

In: a :class:`~podfeed.config.model.Show` (and, optionally, the episode cache and the files
:mod:`~podfeed.site.discover` found). Out: the show's publishable ``Episode`` values and every
problem found reading them, sorted.
"""

from __future__ import annotations

import os
from pathlib import Path

from podfeed.cache import EpisodeCache
from podfeed.config.model import Show
from podfeed.model import Episode
from podfeed.problems import Problem, error, sort_problems
from podfeed.runtime import collection_paused
from podfeed.site.dates import date_key
from podfeed.site.discover import Scan, scan_episode_files
from podfeed.site.workers import parse_all

__all__ = ["load_episodes"]


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
    ``None`` uses every core when there are at least
    :data:`~podfeed.site.workers.PARALLEL_MIN_FILES` of them, ``1`` never starts a process.
    The result is the same in every case. ``scan`` is what :func:`scan_episode_files` gave,
    when the caller already looked for the files.
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
    for episode, file_problems, key_lines in parse_all(paths, show, cache, workers, stats):
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
