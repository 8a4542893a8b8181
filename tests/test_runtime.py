"""Worker processes: the steps of one build share them; outside a build each step has its own.
The garbage collector: paused while a step reads objects that all survive it."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from podfeed import runtime
from podfeed.runtime import collection_paused, shared_workers, worker_pool


def _pid(_: int) -> int:
    return os.getpid()


def test_steps_of_one_run_share_the_worker_processes() -> None:
    with shared_workers():
        with worker_pool(2) as parsing:
            first = set(parsing.map(_pid, range(4)))
        with worker_pool(2) as rendering:
            assert rendering is parsing  # no second start-up of two interpreters
            assert list(rendering.map(abs, [-1, -2])) == [1, 2]
        assert os.getpid() not in first
    with pytest.raises(RuntimeError):  # shut down with the run
        parsing.submit(abs, -1)


def test_workers_started_ahead_are_the_ones_the_next_step_uses() -> None:
    with shared_workers():
        runtime.prestart_workers(2, _nothing)
        started = runtime._shared.pool
        assert started is not None
        with worker_pool(2) as parsing:
            assert parsing is started
            assert list(parsing.map(abs, [-1, -2])) == [1, 2]


def test_workers_are_not_started_ahead_outside_a_run() -> None:
    runtime.prestart_workers(2, _nothing)  # nothing would stop them: nothing is started
    assert runtime._shared.pool is None


def test_released_workers_exit_while_the_run_goes_on_and_are_waited_for_at_its_end() -> None:
    import multiprocessing

    with shared_workers():
        with worker_pool(2) as pool:
            assert len(set(pool.map(_pid, range(8)))) >= 1
        runtime.release_workers()
        assert runtime._shared.pool is None  # a later step would start new ones
        with pytest.raises(RuntimeError):
            pool.submit(abs, -1)
    assert [p for p in multiprocessing.active_children() if p.is_alive()] == []


def _nothing() -> None:
    pass


def test_a_step_that_needs_more_processes_gets_a_larger_pool() -> None:
    with shared_workers():
        with worker_pool(1) as small:
            assert list(small.map(abs, [-1])) == [1]
        with worker_pool(2) as large:
            assert large is not small
            assert list(large.map(abs, [-3, -4])) == [3, 4]


def test_a_failed_step_does_not_hand_its_pool_to_the_next() -> None:
    with shared_workers():
        with pytest.raises(ZeroDivisionError), worker_pool(2) as broken:
            list(broken.map(divmod, [1], [0]))
        with worker_pool(2) as fresh:
            assert fresh is not broken
            assert list(fresh.map(abs, [-5])) == [5]


def test_steps_outside_a_run_have_pools_of_their_own() -> None:
    with worker_pool(2) as first:
        assert list(first.map(abs, [-1])) == [1]
    with worker_pool(2) as second:
        assert second is not first
    with pytest.raises(RuntimeError):
        first.submit(abs, -1)


def test_runs_in_two_threads_keep_their_own_workers() -> None:
    """Two sites built at once in one process (two threads) do not stop each other's pool."""
    import threading

    seen: dict[str, object] = {}
    ready = threading.Barrier(2)

    def run(name: str) -> None:
        with shared_workers(), worker_pool(2) as pool:
            ready.wait()
            seen[name] = pool
            ready.wait()  # both pools are in use here
            assert list(pool.map(abs, [-1, -2])) == [1, 2]

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["a"] is not seen["b"]


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as the test found it, afterwards (enabled, nothing frozen, thresholds)."""
    enabled, thresholds, batch = (
        gc.isenabled(),
        gc.get_threshold(),
        runtime._Batch.frozen_after_pause,
    )
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    runtime._Batch.frozen_after_pause = batch
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_paused_for_the_step_and_left_as_it_was_found(collector: None) -> None:
    runtime._Batch.frozen_after_pause = False  # a library caller's process
    gc.enable()
    frozen = gc.get_freeze_count()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # nothing frozen outside batches
    gc.disable()  # a caller that turned it off keeps it off
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_a_batch_run_keeps_what_a_paused_step_read_out_of_later_collections(
    collector: None,
) -> None:
    runtime.tune_for_batch()
    with collection_paused():
        kept = [(n, str(n)) for n in range(1000)]
    assert gc.get_freeze_count() >= len(kept)
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("a failed step")
    assert gc.isenabled()  # restored on the way out of a failure too
