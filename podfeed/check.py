"""`podfeed check`: read every episode of every configured show, with no network at all."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from podfeed.build import select_shows
from podfeed.cache import CACHE_DIR, BuildCache
from podfeed.config_model import Config, Show
from podfeed.episodes import Scan, load_episodes, scan_episode_files
from podfeed.model import Episode
from podfeed.problems import Problem, strictify
from podfeed.progress import NullProgress, Progress
from podfeed.runtime import shared_workers


@dataclass
class CheckResult:
    """Episodes per (show, language) and every problem found while reading them."""

    episodes: dict[tuple[str, str], list[Episode]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Files given to check that no selected show's ``episodes`` patterns match (not read).
    skipped: list[Path] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (show, lang), eps in self.episodes.items():  # config order
            out.setdefault(show, {})[lang] = len(eps)
        return out


def check_site(
    config: Config,
    *,
    shows: Sequence[str] = (),
    strict: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
    files: Sequence[Path] | None = None,
) -> CheckResult:
    """Read the selected shows' episode files; problems are returned, never raised or printed.

    Shares the build's cache of parsed episodes (same content, same config: same result), so a
    check after a build, or a build after a check, parses only what changed.

    ``files`` (a pre-commit hook passes the files a commit changes) restricts the check to
    those episode files: a duplicate number or permalink is then found among them only. The
    given files no show's patterns match are listed in ``skipped``. The configuration itself
    among them means every episode: a changed config can make any episode wrong.
    """
    progress = progress or NullProgress()
    result = CheckResult(problems=list(config.problems))
    wanted = _wanted(config, files)
    found: set[str] = set()
    cache = BuildCache.open(config.root / CACHE_DIR if use_cache else None)
    try:
        with shared_workers():  # shows read one after the other share the worker processes
            for show in select_shows(config, shows):
                progress.stage(f"reading {show.id} episodes")
                scan = scan_episode_files(show)
                if wanted is not None:
                    scan = _only(scan, wanted)
                    found.update(os.path.realpath(name) for name in scan.names)
                progress.advance(_read_show(result, show, cache, scan))
    finally:
        cache.save()
    if wanted is not None and files is not None:
        result.skipped = [path for path in files if os.path.realpath(path) not in found]
    if strict:
        result.problems = strictify(result.problems)
    return result


def _wanted(config: Config, files: Sequence[Path] | None) -> set[str] | None:
    """The real paths of the files to check; ``None``: every episode file."""
    if files is None:
        return None
    wanted = {os.path.realpath(path) for path in files}
    return None if os.path.realpath(config.path) in wanted else wanted


def _only(scan: Scan, wanted: set[str]) -> Scan:
    """The files of ``scan`` that are among ``wanted`` (its pattern problems are not about
    them, so they go)."""
    kept = [(n, i) for n, i in scan.found() if os.path.realpath(n) in wanted]
    return Scan([n for n, _ in kept], [i for _, i in kept], [])


def _read_show(result: CheckResult, show: Show, cache: BuildCache, scan: Scan) -> int:
    """Add one show's episodes and problems to ``result``; returns how many episodes it has."""
    episodes, problems = load_episodes(show, cache=cache.episodes(show), scan=scan)
    by_lang: dict[str, list[Episode]] = {lang: [] for lang in show.languages}
    for ep in episodes:  # one pass, not one per language
        if ep.lang in by_lang:
            by_lang[ep.lang].append(ep)
    for lang, found in by_lang.items():
        result.episodes[(show.id, lang)] = found
    result.problems.extend(problems)
    return len(episodes)
