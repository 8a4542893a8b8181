"""`podfeed check`: read every episode of every configured show, with no network at all.

It also reads the lock, as ``build --offline`` does, so that it reports what a build would:
a missing lock, episodes whose audio the lock does not know, feeds that would have no items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from podfeed.build import empty_feed_problems, feed_path, resolve_site
from podfeed.cache import CACHE_DIR, BuildCache
from podfeed.config_model import Config
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
            path = feed_path(config, part.show, lang, None)
            result.problems.extend(empty_feed_problems(path, part, lang, found, site))
    if strict:
        result.problems = strictify(result.problems)
    return result
