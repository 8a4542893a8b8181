"""Process-wide settings for a batch run.

A build allocates millions of small objects that live until the end (parsed episodes, XML
trees); CPython's cyclic garbage collector, with its default thresholds, walks that growing
heap again and again, which made a 18,000-file build about 30% slower. Raising the first
threshold keeps collection for real garbage at a fraction of the cost (measured in
benchmarks/README.md). Called by the CLI and by every parsing worker; library users decide
for their own process.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

GC_THRESHOLDS = (100_000, 50, 100)


class _Batch:
    frozen_after_pause = False  # set for a process that runs one batch and exits


def tune_for_batch() -> None:
    """Fewer, larger young-generation collections (see the module docstring), and objects
    made while :func:`collection_paused` kept out of later collections."""
    gc.set_threshold(*GC_THRESHOLDS)
    _Batch.frozen_after_pause = True


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a step builds objects that all survive it.

    Reading a large show's episodes back from the cache makes about two million containers
    (tuples, dicts, episodes), none of them garbage; every young-generation collection still
    walks 100,000 of them to find nothing (0.1 s of a 1.5 s rebuild). Reference counting frees
    everything else as usual; a reference cycle made meanwhile is collected after the step.
    The collector is left as it was found (a caller may have disabled it).

    In a batch process (:func:`tune_for_batch`: the CLI, the workers) everything alive at the
    end of the pause is also moved out of the collector's sight (``gc.freeze``): else the next
    collection walks all of it once more (0.06 s after reading a large show's cache). Frozen
    objects are still freed by reference counting; only a cycle made during the pause would
    outlive the run, which it does not do for long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _Batch.frozen_after_pause:
            gc.freeze()
        if was_enabled:
            gc.enable()


# --- worker processes ---------------------------------------------------------------------------


class _Shared(threading.local):
    """The current thread's run: builds in two threads (two sites) keep their own workers."""

    active = 0
    pool: ProcessPoolExecutor | None = None
    size = 0
    released: list[threading.Thread] | None = None  # pools being shut down meanwhile


_shared = _Shared()


@contextmanager
def shared_workers() -> Iterator[None]:
    """Let the steps of one run share their worker processes.

    A spawned worker takes about 0.2 s to start and import podfeed; a large build parses in
    workers, then renders in workers. Inside this context the processes started for the first
    step serve the next one, and are shut down when the context ends.
    """
    _shared.active += 1
    try:
        yield
    finally:
        _shared.active -= 1
        if not _shared.active:
            _stop_shared()


def prestart_workers(workers: int, warm_up: Callable[[], object]) -> None:
    """Start the run's ``workers`` processes now, each running ``warm_up`` (a module-level
    function: unpickling it imports its module), so that they are ready when the work comes.

    Only inside :func:`shared_workers` (else nothing would keep them for the work). A build
    that will parse most of a large show's files starts them before it reads the lock and the
    cache: a spawned worker needs about 0.1 s to start and import the parsers.
    """
    if not _shared.active:
        return
    with worker_pool(workers) as pool:
        for _ in range(workers):
            pool.submit(warm_up)


def release_workers() -> None:
    """Tell the run's worker processes to exit, without waiting: the run has no more work for
    them (a build after its last render). They exit while the run writes its files, and are
    waited for when :func:`shared_workers` ends (0.05 s at the end of a large build).
    """
    pool = _shared.pool
    if pool is None:
        return
    _shared.pool, _shared.size = None, 0
    # shutdown(wait=False) drops its hold on the processes, which could then not be waited
    # for: a thread waits instead, and is joined at the end of the run.
    waiting = threading.Thread(target=pool.shutdown, name="podfeed-workers-exit")
    waiting.start()
    _shared.released = [*(_shared.released or ()), waiting]


def _stop_shared() -> None:
    pool = _shared.pool
    _shared.pool, _shared.size = None, 0
    if pool is not None:
        pool.shutdown()
    for waiting in _shared.released or ():
        waiting.join()
    _shared.released = None


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """``workers`` (or more) spawned processes: the run's shared ones inside
    :func:`shared_workers`, else a pool of their own, shut down on exit.

    ``spawn``, not ``fork``: forking a process that may have threads (HTTP resolution, a test
    server) can deadlock the child, and ``forkserver`` talks over a socket.
    """
    context = multiprocessing.get_context("spawn")
    if not _shared.active:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=tune_for_batch) as pool:
            yield pool
        return
    if _shared.pool is None or _shared.size < workers:
        _stop_shared()
        _shared.pool = ProcessPoolExecutor(workers, mp_context=context, initializer=tune_for_batch)
        _shared.size = workers
    try:
        yield _shared.pool
    except BaseException:
        _stop_shared()  # a broken or interrupted pool is not handed to the next step
        raise
