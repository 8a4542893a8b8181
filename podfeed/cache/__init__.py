"""The build cache: what earlier builds computed, so that a rebuild redoes only what changed.

In: a site's cache folder (``.podfeed-cache/`` next to the config). Out: answers to what a stage
would otherwise compute. It is the one seam between the pipeline and what it remembers: a stage
asks it and tells it, and never sees how entries are stored.

- the site stage asks the show's :class:`EpisodeCache` for a file's parse before parsing it
  (:meth:`~EpisodeCache.lookup`) and tells it what parsing gave (:meth:`~EpisodeCache.store`);
- the feed stage asks the :class:`FeedCache` what it holds of a feed about to be rendered
  (:meth:`~FeedCache.recall`: the whole file on disk, or the items it already had) and tells it
  what it rendered (:meth:`~FeedCache.remember`);
- the build opens the site's :class:`BuildCache` and saves it; the build stamp
  (:mod:`podfeed.publish.stamp`) keys its file as the caches do (:mod:`podfeed.cache.store`).

It is only ever an accelerator: deleting it, or any damage to it (truncated, garbage, another
format, written by another podfeed), makes the next build start cold and produce the same bytes;
it never raises and never changes output. :mod:`podfeed.cache.store` says why a stale hit cannot
happen.
"""

from podfeed.cache.episodes import EpisodeCache, Parsed
from podfeed.cache.feeds import CachedFeed, FeedCache, Recall, Reuse
from podfeed.cache.folder import CACHE_DIR, BuildCache
from podfeed.cache.store import FileIdentity, code_fingerprint, content_digest, file_identity

__all__ = [
    "CACHE_DIR",
    "BuildCache",
    "CachedFeed",
    "EpisodeCache",
    "FeedCache",
    "FileIdentity",
    "Parsed",
    "Recall",
    "Reuse",
    "code_fingerprint",
    "content_digest",
    "file_identity",
]
