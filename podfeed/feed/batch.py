"""Every feed of one build: from the feed cache, incrementally, or in full on every core.

In: the build's :class:`~podfeed.feed.render.FeedJob` list, the site's
:class:`~podfeed.cache.FeedCache` and the moment "now". Out: each feed's bytes and problems
exactly as a full render and ``podfeed validate`` would give them (:class:`RenderedFeed`), and
what was learnt of the file on disk on the way (for the publishing guard):

- a feed whose inputs are unchanged comes from the file on disk (its digest checked);
- a feed where at most half of the items changed reuses the other items' bytes and verdicts
  from its last render and renders only the new ones;
- everything else is rendered and checked in full, in worker processes on large sites.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from podfeed.cache import FeedCache, Recall, content_digest
from podfeed.feed.render import (
    INCREMENTAL_MAX_SHARE,
    FeedJob,
    Rendered,
    render_incremental,
    with_clock,
)
from podfeed.feed.workers import cores, render_all
from podfeed.model import Episode, Media
from podfeed.problems import Problem
from podfeed.progress import Progress
from podfeed.publish.files import Staging

__all__ = ["RenderedFeed", "render_feeds"]


@dataclass(frozen=True)
class RenderedFeed:
    """One feed's bytes and validation problems, and what its render saw of the file on disk.

    ``on_disk`` is that file as read here (``None``: there is none) when ``read``;
    ``keeps_items`` says the new feed still holds every item of the file on disk under the same
    guid (then the guard has nothing to refuse).
    """

    path: Path
    data: bytes
    problems: list[Problem]
    digest: bytes  # content digest of ``data``
    on_disk: bytes | None = None
    read: bool = False
    keeps_items: bool = False


def render_feeds(
    jobs: list[FeedJob],
    cache: FeedCache,
    now: datetime,
    progress: Progress,
    *,
    trusted: Mapping[Path, bytes] | None = None,
    meanwhile: Callable[[], object] | None = None,
    staging: Staging | None = None,
) -> list[RenderedFeed]:
    """Every job's feed, in ``jobs`` order (see the module for where each comes from; every
    path gives the same bytes and the same problems). ``trusted`` holds the digest of feed
    files known unchanged since they were written (see
    :func:`podfeed.publish.stamp.trusted_feeds`): those are not hashed.

    Feeds never rendered before (every feed of a cold build) go to the workers first, before
    anything else is looked at; ``meanwhile`` is then called (the build saves the episode
    cache while the workers render). Each feed rendered in full is staged in ``staging`` as
    soon as it is (written to a temporary file next to its target: by the worker that
    rendered it, when it was rendered in one).

    The cache keeps the validation problems without those of the clock-dependent rules; they
    are checked again when the newest item is later than ``now``, so a cached build reports
    exactly what a cold one would.
    """
    out: list[RenderedFeed | None] = [None] * len(jobs)
    recalls: list[Recall | None] = [None] * len(jobs)
    fresh = [i for i, job in enumerate(jobs) if not cache.rendered_before(job.path)]
    never_rendered = set(fresh)
    workers = min(len(jobs), cores())  # one pool size for both calls: the pool is shared
    with contextlib.ExitStack() as stack:
        first = render_all([jobs[i] for i in fresh], now, stack, workers, staging)
        if meanwhile is not None:
            meanwhile()
        todo: list[int] = []
        for index, job in enumerate(jobs):
            recall = recalls[index] = cache.recall(
                job.path,
                job.show,
                job.lang,
                job.siblings,
                _inputs(job),
                trusted=(trusted or {}).get(job.path),
            )
            if index in never_rendered:
                continue
            out[index] = _reuse(cache, job, recall, now)
            if out[index] is None:
                todo.append(index)
            else:
                progress.advance()
        later = render_all([jobs[i] for i in todo], now, stack, workers, staging)
        for index, rendered in itertools.chain(
            zip(fresh, first, strict=True), zip(todo, later, strict=True)
        ):
            job = jobs[index]
            if staging is not None and rendered.written is not None:
                staging.adopt(job.path, rendered.data, rendered.written)
            elif staging is not None:
                staging.stage(job.path, rendered.data)
            remembered = recalls[index]
            assert remembered is not None  # every job was recalled above
            out[index] = _remembered(cache, job, remembered, rendered)
            progress.advance()
    return [feed for feed in out if feed is not None]


def _inputs(job: FeedJob) -> Iterator[tuple[Episode, Media]]:
    return ((item.episode, item.media) for item in job.items)


def _reuse(cache: FeedCache, job: FeedJob, recall: Recall, now: datetime) -> RenderedFeed | None:
    """The feed made from the file on disk, whole or in part; None when it must be rendered
    in full."""
    old = recall.on_disk
    if recall.previous is None or old is None:
        return None
    if recall.unchanged:
        problems = with_clock(job, old, list(recall.problems), now)
        digest = recall.previous.digest
        return RenderedFeed(job.path, old, problems, digest, old, recall.read)
    reuse = recall.reuse(INCREMENTAL_MAX_SHARE)
    if reuse is None:
        return None
    rendered = render_incremental(job, reuse, now)
    if rendered is None:
        return None
    return _remembered(cache, job, recall, rendered)


def _remembered(cache: FeedCache, job: FeedJob, recall: Recall, rendered: Rendered) -> RenderedFeed:
    """``rendered``, told to the cache."""
    digest = rendered.digest or content_digest(rendered.data)
    cache.remember(
        recall,
        size=len(rendered.data),
        digest=digest,
        problems=rendered.timeless,
        newest=job.items[0].episode.date if job.items else None,
        layout=rendered.layout,
    )
    return RenderedFeed(
        job.path,
        rendered.data,
        rendered.problems,
        digest,
        recall.on_disk,
        recall.read,
        rendered.keeps_items,
    )
