"""What a build gives back: each feed it published (or would have), and every problem found.

The CLI reports from it; the build stamp records it so that a no-change build can give it back
without rebuilding (:mod:`podfeed.publish.stamp`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from podfeed.problems import Level, Problem, error, worst

__all__ = ["BuildResult", "FeedOutput"]


@dataclass
class FeedOutput:
    """One feed: where it goes, what it holds, and whether the file on disk changed."""

    show: str
    lang: str
    path: Path
    data: bytes
    items: int
    warnings: int = 0
    changed: bool = False
    diff: list[str] = field(default_factory=list)  # human lines, filled for changed feeds
    withheld: bool = False  # never written: it would have no items (``feed-empty``)


@dataclass
class BuildResult:
    feeds: list[FeedOutput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lock_changed: bool = False
    written: list[Path] = field(default_factory=list)
    requests: int = 0
    episodes: dict[tuple[str, str], int] = field(default_factory=dict)
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # episode file -> feed

    def problems_for(self, feed: FeedOutput) -> list[Problem]:
        """The problems about one feed: its own file and the episode files it is built from."""
        return [
            p
            for p in self.problems
            if p.file == str(feed.path) or self.owner.get(p.file or "") == (feed.show, feed.lang)
        ]

    @property
    def worst(self) -> Level | None:
        return worst(self.problems)

    def count_warnings(self) -> None:
        """Set each feed's ``warnings``: the problems (warnings and errors) about the feed file
        itself and about its episode files."""
        per_feed: dict[tuple[str, str], int] = defaultdict(int)
        feeds = {str(f.path): (f.show, f.lang) for f in self.feeds}
        owner = self.owner
        for p in self.problems:
            if p.level < Level.WARNING:
                continue
            if p.file in owner:
                per_feed[owner[p.file]] += 1
            elif p.file in feeds:
                per_feed[feeds[p.file]] += 1
        for f in self.feeds:
            f.warnings = per_feed.get((f.show, f.lang), 0)

    def stale_problems(self) -> list[Problem]:
        """``build --check``: each feed on disk that differs from what the build would write is
        an error about that file, so that CI annotates it."""
        return [
            error(
                "feed-stale",
                "the feed on disk differs from what `podfeed build` would write (the items "
                "added, removed and changed are listed with the feed)",
                f.path,
                hint="run `podfeed build` and commit the feeds",
            )
            for f in self.feeds
            if f.changed and not f.withheld  # its feed-empty error says why it is not written
        ]
