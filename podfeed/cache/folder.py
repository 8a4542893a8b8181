"""The cache folder of one site (``.podfeed-cache/`` next to the config): each show's episode
cache and the feed cache, opened when first asked for and saved together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from podfeed.cache.episodes import EpisodeCache
from podfeed.cache.feeds import FeedCache
from podfeed.config.model import Show
from podfeed.publish.files import remove_stale_temporaries

__all__ = ["CACHE_DIR", "BuildCache"]

CACHE_DIR = ".podfeed-cache"


@dataclass
class BuildCache:
    """The cache of one site: one :class:`EpisodeCache` per show and the :class:`FeedCache`."""

    folder: Path | None  # None: a cache that never hits and is never saved
    shows: dict[str, EpisodeCache] = field(default_factory=dict)
    feeds: FeedCache = field(init=False)

    def __post_init__(self) -> None:
        self.feeds = FeedCache(self.folder, self.shows)

    @classmethod
    def open(cls, folder: Path | None) -> BuildCache:
        """The cache in ``folder``; ``None`` gives a cache that never hits and is never saved."""
        if folder is not None:
            remove_stale_temporaries(folder)  # up to 7 MB each
        return cls(folder)

    def episodes(self, show: Show) -> EpisodeCache | None:
        """The show's episode cache (``None`` without a folder)."""
        if self.folder is None:
            return None
        if show.id not in self.shows:
            self.shows[show.id] = EpisodeCache.open(self.folder, show)
        return self.shows[show.id]

    def save_episodes(self) -> None:
        """Write back every show's episode cache (see :meth:`EpisodeCache.save`)."""
        for cache in self.shows.values():
            cache.save()

    def save(self) -> None:
        if self.folder is None:
            return
        self.save_episodes()
        self.feeds.save()
