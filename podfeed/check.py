"""`podfeed check`: read every episode of every configured show, with no network at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from podfeed.build import select_shows
from podfeed.cache import CACHE_DIR, BuildCache
from podfeed.config_model import Config, Show
from podfeed.episodes import load_episodes
from podfeed.model import Episode
from podfeed.problems import Problem, strictify
from podfeed.progress import NullProgress, Progress
from podfeed.runtime import shared_workers


@dataclass
class CheckResult:
    """Episodes per (show, language) and every problem found while reading them."""

    episodes: dict[tuple[str, str], list[Episode]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

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
) -> CheckResult:
    """Read the selected shows' episode files; problems are returned, never raised or printed.

    Shares the build's cache of parsed episodes (same content, same config: same result), so a
    check after a build, or a build after a check, parses only what changed.
    """
    progress = progress or NullProgress()
    result = CheckResult(problems=list(config.problems))
    cache = BuildCache.open(config.root / CACHE_DIR if use_cache else None)
    try:
        with shared_workers():  # shows read one after the other share the worker processes
            for show in select_shows(config, shows):
                progress.stage(f"reading {show.id} episodes")
                progress.advance(_read_show(result, show, cache))
    finally:
        cache.save()
    if strict:
        result.problems = strictify(result.problems)
    return result


def _read_show(result: CheckResult, show: Show, cache: BuildCache) -> int:
    """Add one show's episodes and problems to ``result``; returns how many episodes it has."""
    episodes, problems = load_episodes(show, cache=cache.episodes(show))
    by_lang: dict[str, list[Episode]] = {lang: [] for lang in show.languages}
    for ep in episodes:  # one pass, not one per language
        if ep.lang in by_lang:
            by_lang[ep.lang].append(ep)
    for lang, found in by_lang.items():
        result.episodes[(show.id, lang)] = found
    result.problems.extend(problems)
    return len(episodes)
