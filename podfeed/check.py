"""`podfeed check`: read every episode of every configured show, with no network at all.

It also reads the lock, as ``build --offline`` does, so that it reports what a build would:
a missing lock, episodes whose audio the lock does not know, feeds that would have no items.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from podfeed.build import resolve_site, select_shows
from podfeed.cache import CACHE_DIR, BuildCache
from podfeed.config.model import Config
from podfeed.feed.jobs import empty_feed_problems, feed_path
from podfeed.model import Episode
from podfeed.problems import Problem, strictify
from podfeed.progress import NullProgress, Progress
from podfeed.runtime import shared_workers
from podfeed.site import Scan, scan_episode_files


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
    those episode files: a duplicate number or permalink is then found among them only, and
    whether a feed would be empty is not judged (the other files are not read). The given files
    no show's patterns match are listed in ``skipped``. The configuration itself among them
    means every episode: a changed config can make any episode wrong.
    """
    progress = progress or NullProgress()
    wanted = _wanted(config, files)
    scans: dict[str, Scan] = {}
    for show in select_shows(config, shows):
        scan = scan_episode_files(show)
        scans[show.id] = scan if wanted is None else _only(scan, wanted)
    cache = BuildCache.open(config.root / CACHE_DIR if use_cache else None)
    try:
        with shared_workers():  # shows read one after the other share the worker processes
            site = resolve_site(
                config,
                shows=shows,
                offline=True,  # never the network: the lock says what a build would have
                now=datetime.now(UTC),
                progress=progress,
                cache=cache,
                scans=scans,
            )
    finally:
        cache.save()
    result = CheckResult(problems=site.problems)
    for part in site.shows:
        by_lang: dict[str, list[Episode]] = {lang: [] for lang in part.show.languages}
        for ep in part.episodes:  # one pass, not one per language
            if ep.lang in by_lang:
                by_lang[ep.lang].append(ep)
        for lang, found in by_lang.items():
            result.episodes[(part.show.id, lang)] = found
            if wanted is None:
                path = feed_path(config, part.show, lang, None)
                result.problems.extend(empty_feed_problems(path, part, lang, found, site))
    if wanted is not None and files is not None:
        read = {os.path.realpath(name) for scan in scans.values() for name in scan.names}
        result.skipped = [path for path in files if os.path.realpath(path) not in read]
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
