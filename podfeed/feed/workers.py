"""Rendering feeds in worker processes, on every core, when there are enough items to pay for it.

In: the jobs to render in full and the moment "now". Out: each job's :class:`Rendered`, in job
order, as the workers finish them; each feed's bytes written next to its target on the way (for
the build to rename into place) when a :class:`~podfeed.publish.files.Staging` is given.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from podfeed.config.model import Show
from podfeed.feed.items import FeedItem
from podfeed.feed.render import FeedJob, Rendered, render_one
from podfeed.model import EpisodeState, Media, episode_from_state, episode_state
from podfeed.publish.files import Staging, remove_stale_temporaries, write_beside
from podfeed.runtime import worker_pool

__all__ = ["PARALLEL_MIN_ITEMS", "cores", "render_all", "warm_up"]


def warm_up() -> None:
    """Nothing: a worker that runs it has imported this module, and with it the parsers and
    the renderer, which is the point (see :func:`podfeed.runtime.prestart_workers`). A worker
    started ahead of a large first build imports them while the build reads the lock and the
    cache, instead of importing the renderer (0.02 s) between its last parsed file and its
    first feed."""


# Rendering and checking a feed costs about 0.5 ms an item; below this many items to render, a
# worker process (about 0.3 s to start) does not pay for itself.
PARALLEL_MIN_ITEMS = 4000


def render_all(
    jobs: list[FeedJob],
    now: datetime,
    stack: contextlib.ExitStack,
    workers: int,
    staging: Staging | None = None,
) -> Iterator[Rendered]:
    """Render and check feeds, on up to ``workers`` cores when there are enough items to pay
    for it: every job is sent off at once, the results come in ``jobs`` order. In one process
    they are rendered only as they are asked for. ``stack`` holds the pool and the files on
    their way (and, should the caller fail, cancels the jobs not started yet and removes what
    the others write).

    Jobs and feeds travel as files, not through the pool's pipes: a 20 MB job or feed went
    through a pipe 64 KB at a time, each turn waiting for the sending and the receiving
    process to be scheduled, and a worker waited 0.1-0.2 s between two feeds of a large
    show. A job is pickled into a file in a scratch folder, read (and removed) by the worker.
    The worker writes the feed it rendered to a temporary file next to its target when
    ``staging`` is given (see :meth:`Staging.adopt`: the build then renames that very file
    into place), else into the scratch folder; the bytes are read back here.
    """
    items = sum(len(job.items) for job in jobs)
    if items < PARALLEL_MIN_ITEMS or min(len(jobs), workers) <= 1:
        return (render_one(job, now) for job in jobs)
    # Entered before the pool: on failure the pool is shut down (its workers done with the
    # folder) before the folder is removed. A killed build's folder goes an hour later.
    remove_stale_temporaries(Path(tempfile.gettempdir()), f"{_SCRATCH_PREFIX}*")
    scratch = Path(
        stack.enter_context(
            tempfile.TemporaryDirectory(prefix=_SCRATCH_PREFIX, ignore_cleanup_errors=True)
        )
    )
    pool = stack.enter_context(worker_pool(workers))
    futures: list[Future[Rendered]] = []
    for number, job in enumerate(jobs):
        posted = scratch / f"job-{number}.pickle"
        posted.write_bytes(pickle.dumps(_Shipped(job), protocol=pickle.HIGHEST_PROTOCOL))
        if staging is not None:
            staging.prepare(job.path)
        beside = None if staging is None else job.path
        futures.append(pool.submit(_render_posted, str(posted), now, beside, str(scratch)))
    taken: set[int] = set()
    stack.callback(_discard, futures, taken)
    return (_collect(futures, index, taken, jobs[index], now) for index in range(len(jobs)))


_SCRATCH_PREFIX = "podfeed-render-"


def _render_posted(posted: str, now: datetime, beside: Path | None, scratch: str) -> Rendered:
    """Worker entry point: the job pickled in ``posted`` (removed once read), rendered and
    checked; the feed's bytes go to a file next to ``beside`` or, without it or when that
    fails, in ``scratch`` (or back through the pipe when neither can be written)."""
    with open(posted, "rb") as handle:
        job = cast(FeedJob, pickle.loads(handle.read()))
    with contextlib.suppress(OSError):
        os.unlink(posted)
    rendered = render_one(job, now)
    for target in ([beside] if beside is not None else []) + [Path(scratch) / job.path.name]:
        try:
            rendered.written = write_beside(target, rendered.data)
        except OSError:
            continue
        rendered.size, rendered.data = len(rendered.data), b""
        break
    return rendered


def _collect(
    futures: list[Future[Rendered]], index: int, taken: set[int], job: FeedJob, now: datetime
) -> Rendered:
    """The result of ``futures[index]`` with its bytes in memory again. A file written into
    the scratch folder is removed; one written next to its target is left for the caller to
    stage. Bytes that cannot be read back as written are rendered again here."""
    rendered = futures[index].result()
    taken.add(index)
    written = rendered.written
    if written is None:
        return rendered
    try:
        data = written.read_bytes()
    except OSError:
        data = b""
    beside = os.path.abspath(written.parent) == os.path.abspath(job.path.parent)
    if len(data) != rendered.size or not beside:
        with contextlib.suppress(OSError):
            written.unlink()
        rendered.written = None
    if len(data) != rendered.size:
        return render_one(job, now)
    rendered.data = data
    return rendered


def _discard(futures: list[Future[Rendered]], taken: set[int]) -> None:
    """Cancel the jobs not started; remove the file of each result nobody took, as it comes
    (the pool is shut down after this when the build fails, which waits for them)."""
    for index, future in enumerate(futures):
        if index not in taken and not future.cancel():
            future.add_done_callback(_remove_written)


def _remove_written(future: Future[Rendered]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    written = future.result().written
    if written is not None:
        with contextlib.suppress(OSError):
            written.unlink()


class _Shipped:
    """A job on its way to a worker: its episodes are frozen only when it is pickled, one job
    at a time (see :func:`podfeed.model.episode_state`: the long texts of episodes read from
    the cache or from a parsing worker travel on without being decoded, and pickling the
    parent's own strings would keep a UTF-8 copy of every episode's notes in its memory).
    """

    def __init__(self, job: FeedJob) -> None:
        self.job = job

    def __reduce__(self) -> tuple[Any, ...]:
        job = self.job
        items = [
            (str(item.episode.path), episode_state(item.episode), item.media) for item in job.items
        ]
        return (_unship, (job.show, job.lang, items, job.siblings, job.path))


def _unship(
    show: Show,
    lang: str,
    items: list[tuple[str, EpisodeState, Media]],
    siblings: list[str],
    path: Path,
) -> FeedJob:
    """The job a :class:`_Shipped` stood for, rebuilt in the worker."""
    feed_items = [
        FeedItem(episode_from_state(frozen, Path(where)), media) for where, frozen, media in items
    ]
    return FeedJob(show, lang, feed_items, siblings, path)


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
