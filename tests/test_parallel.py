"""Parsing and rendering in several processes give exactly what one process gives."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pytest

import podfeed.build
import podfeed.cache.folder
import podfeed.feed.batch
import podfeed.feed.workers
import podfeed.publish.files
import podfeed.site.workers
from podfeed.build import BuildOptions, BuildResult, build
from podfeed.cache import EpisodeCache
from podfeed.config import load_config
from podfeed.config.model import Config
from podfeed.feed.render import FeedJob, Rendered, render_one
from podfeed.feed.workers import _collect, _render_posted, _Shipped
from podfeed.site import load_episodes, scan_episode_files
from tests.sites import make_corpus_site

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def site(corpus: Path, tmp_path: Path) -> Path:
    return make_corpus_site(corpus, tmp_path / "site")


def test_two_workers_read_the_same_episodes_and_problems_as_one(site: Path) -> None:
    for show in load_config(site / "config.yaml").shows:
        single = load_episodes(show, workers=1)
        pooled = load_episodes(show, workers=2)
        assert pooled == single
        assert [e.notes_html for e in pooled[0]] == [e.notes_html for e in single[0]]
        assert single[0], "the corpus has episodes for every show"


@pytest.fixture
def reference(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Config, BuildResult]:
    """The site's config and its build in one process; later builds parse and render in two
    workers, however small the site."""
    config = load_config(site / "config.yaml")
    one = build(
        config, BuildOptions(offline=True, cache=False, output_dir=tmp_path / "one"), now=NOW
    )
    monkeypatch.setattr(podfeed.site.workers, "_worker_count", lambda files, workers: 2)
    monkeypatch.setattr(podfeed.feed.workers, "PARALLEL_MIN_ITEMS", 0)
    monkeypatch.setattr(podfeed.feed.batch, "cores", lambda: 2)
    return config, one


def test_a_build_with_the_pool_forced_writes_the_same_bytes(
    reference: tuple[Config, BuildResult], tmp_path: Path
) -> None:
    config, one = reference
    two = build(
        config, BuildOptions(offline=True, cache=False, output_dir=tmp_path / "two"), now=NOW
    )
    assert [(f.path.name, f.data) for f in one.feeds] == [(f.path.name, f.data) for f in two.feeds]
    # Same problems in the same order (feed problems name each build's own output folder).
    assert [p.file for p in one.problems if "/one/" not in (p.file or "")] == [
        p.file for p in two.problems if "/two/" not in (p.file or "")
    ]
    assert [(p.code, p.line, p.message) for p in one.problems] == [
        (p.code, p.line, p.message) for p in two.problems
    ]
    a = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.xml"))
    assert len(a) == 12
    for rel in a:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()


def test_files_parsed_by_workers_are_cached_like_the_others(site: Path, tmp_path: Path) -> None:
    show = load_config(site / "config.yaml").shows[0]
    cache = EpisodeCache.open(tmp_path / "cache", show)
    pooled = load_episodes(show, cache=cache, workers=2)
    cache.save()
    again = EpisodeCache.open(tmp_path / "cache", show)
    assert len(again.stored) == len(cache.entries) > 0
    assert load_episodes(show, cache=again, workers=1) == pooled == load_episodes(show, workers=1)


def test_small_sites_stay_in_one_process() -> None:
    assert (
        podfeed.site.workers._worker_count(podfeed.site.workers.PARALLEL_MIN_FILES - 1, None) == 1
    )
    assert podfeed.site.workers._worker_count(10, 1) == 1
    assert podfeed.site.workers._worker_count(1, 4) == 1  # never more workers than files


def test_a_pool_run_leaves_no_process_behind(site: Path) -> None:
    import multiprocessing

    show = load_config(site / "config.yaml").shows[1]
    load_episodes(show, workers=2)
    assert [p for p in multiprocessing.active_children() if p.is_alive()] == []
    shutil.rmtree(site / "feeds", ignore_errors=True)


def test_a_cold_build_with_the_cache_renders_in_workers_while_the_cache_is_saved(
    reference: tuple[Config, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feeds go to the workers first; the episode cache is written while they render."""
    import multiprocessing

    config, one = reference
    steps: list[str] = []
    submit = podfeed.feed.batch.render_all
    save = podfeed.cache.folder.BuildCache.save_episodes

    def render_all(*args: object, **kwargs: object) -> object:
        steps.append("feeds sent to the workers")
        return submit(*args, **kwargs)  # type: ignore[arg-type]

    def save_episodes(self: podfeed.cache.folder.BuildCache) -> None:
        steps.append("episode cache saved")
        save(self)

    monkeypatch.setattr(podfeed.feed.batch, "render_all", render_all)
    monkeypatch.setattr(podfeed.cache.folder.BuildCache, "save_episodes", save_episodes)
    two = build(config, BuildOptions(offline=True, output_dir=tmp_path / "two"), now=NOW)
    assert steps[:2] == ["feeds sent to the workers", "episode cache saved"]
    assert [(f.path.name, f.data) for f in one.feeds] == [(f.path.name, f.data) for f in two.feeds]
    assert [p for p in multiprocessing.active_children() if p.is_alive()] == []
    # The cache saved meanwhile holds every episode: the same build again reads no file.
    monkeypatch.setattr(podfeed.site.workers, "parse_file", _never)
    again = build(config, BuildOptions(offline=True, output_dir=tmp_path / "two"), now=NOW)
    assert [f.data for f in again.feeds] == [f.data for f in two.feeds]
    assert not list((tmp_path / "two").rglob("*.tmp"))


def _never(*args: object) -> None:
    raise AssertionError("an episode file was parsed again")


def test_workers_are_started_before_the_lock_is_read_only_when_most_files_are_new(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(corpus / "edt", tmp_path / "corpus" / "edt")  # an episode is edited below
    config = load_config(make_corpus_site(tmp_path / "corpus", tmp_path / "site") / "config.yaml")
    started: list[int] = []
    prestart = podfeed.build.prestart_workers

    def spy(workers: int, warm_up: Callable[[], object]) -> None:
        started.append(workers)
        # (importing its module imports the parsers and the renderer in the worker)
        assert warm_up is podfeed.feed.workers.warm_up
        prestart(workers, warm_up)

    monkeypatch.setattr(podfeed.build, "prestart_workers", spy)
    # Two workers from 4 files to parse (the default asks for 800, and for two cores).
    monkeypatch.setattr(podfeed.build, "parse_workers", lambda files: 2 if files >= 4 else 1)
    build(config, BuildOptions(offline=True, output_dir=tmp_path / "out"), now=NOW)
    assert started == [2]  # no cache yet: every file is parsed
    episode = scan_episode_files(config.shows[0]).paths[0]
    episode.write_text(episode.read_text() + "\nOne more line.\n")
    build(config, BuildOptions(offline=True, output_dir=tmp_path / "out"), now=NOW)
    assert started == [2]  # one changed file: parsed here, no worker is started for it


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder for this test, to see what a build leaves there."""
    import tempfile

    root = tmp_path / "system-tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_workers_write_each_feed_next_to_its_target_and_leave_nothing_behind(
    reference: tuple[Config, BuildResult],
    tmp_path: Path,
    temp_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file a worker wrote is the one renamed into place (no second copy is written)."""
    config, one = reference
    staged: list[Path] = []
    adopt = podfeed.publish.files.Staging.adopt

    def spy(self: podfeed.publish.files.Staging, path: Path, data: bytes, written: Path) -> None:
        staged.append(written)
        adopt(self, path, data, written)

    monkeypatch.setattr(podfeed.publish.files.Staging, "adopt", spy)
    monkeypatch.setattr(podfeed.publish.files, "_stage", _never)
    monkeypatch.chdir(tmp_path)  # feed paths relative to the working folder, as the CLI has them
    two = build(config, BuildOptions(offline=True, cache=False, output_dir=Path("two")), now=NOW)
    assert [(f.path.name, f.data) for f in one.feeds] == [(f.path.name, f.data) for f in two.feeds]
    assert len(staged) == 12
    assert all(p.parent.resolve() == (tmp_path / "two" / p.parent.name) for p in staged)
    on_disk = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    assert [p for p in on_disk if p.suffix != ".xml" and p.parent.name != ""] == []
    assert list(temp_root.iterdir()) == []  # the jobs' scratch folder is gone


def test_a_build_the_guard_stops_after_the_workers_wrote_their_feeds_leaves_no_trace(
    reference: tuple[Config, BuildResult], tmp_path: Path, temp_root: Path
) -> None:
    import re

    from podfeed.problems import GuardError

    config, _ = reference
    out = tmp_path / "out"
    build(config, BuildOptions(offline=True, cache=False, output_dir=out), now=NOW)
    english = out / "edt" / "en.xml"
    published = re.sub(rb"(<guid[^>]*>)", rb"\1old-", english.read_bytes())
    english.write_bytes(published)  # every item's guid would change: the guard refuses
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(GuardError):
        build(config, BuildOptions(offline=True, cache=False, output_dir=out), now=NOW)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert list(temp_root.iterdir()) == []


def _posted(job: FeedJob, folder: Path) -> str:
    posted = folder / "job.pickle"
    posted.write_bytes(pickle.dumps(_Shipped(job)))
    return str(posted)


def test_a_worker_that_cannot_write_beside_the_target_uses_the_scratch_folder_then_the_pipe(
    site: Path, tmp_path: Path
) -> None:
    show = load_config(site / "config.yaml").shows[0]
    job = FeedJob(show, "en", [], [], tmp_path / "missing" / "en.xml")  # no such folder
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    expected = render_one(job, NOW).data
    rendered = _render_posted(_posted(job, scratch), NOW, job.path, str(scratch))
    assert rendered.written is not None and rendered.written.parent == scratch
    assert rendered.data == b"" and rendered.written.read_bytes() == expected
    assert not (scratch / "job.pickle").exists()  # read once, then removed
    rendered = _render_posted(_posted(job, scratch), NOW, job.path, str(tmp_path / "gone"))
    assert rendered.written is None and rendered.data == expected


def test_bytes_that_do_not_come_back_as_written_are_rendered_again(
    site: Path, tmp_path: Path
) -> None:
    show = load_config(site / "config.yaml").shows[0]
    out = tmp_path / "out"
    out.mkdir()
    job = FeedJob(show, "en", [], [], out / "en.xml")
    expected = render_one(job, NOW).data
    rendered = _render_posted(_posted(job, out), NOW, job.path, str(out))
    assert rendered.written is not None
    rendered.written.write_bytes(expected[:100])  # cut short (the disk filled up, say)
    future: Future[Rendered] = Future()
    future.set_result(rendered)
    again = _collect([future], 0, set(), job, NOW)
    assert again.data == expected and again.written is None
    assert sorted(p.name for p in out.iterdir()) == []


def test_a_feed_a_worker_wrote_is_removed_when_an_earlier_feed_fails(
    site: Path, tmp_path: Path, temp_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first result raises; the second worker's file, never taken, is removed."""
    import contextlib
    import dataclasses

    from podfeed.feed.workers import render_all
    from podfeed.problems import BuildError
    from podfeed.publish.files import Staging

    monkeypatch.setattr(podfeed.feed.workers, "PARALLEL_MIN_ITEMS", 0)
    show = load_config(site / "config.yaml").shows[0]
    out = tmp_path / "out"
    broken = dataclasses.replace(show, title={lang: "" for lang in show.title})
    jobs = [
        FeedJob(broken, "en", [], [], out / "en.xml"),
        FeedJob(show, "de", [], [], out / "de.xml"),
    ]
    with pytest.raises(BuildError), Staging() as staging, contextlib.ExitStack() as stack:
        list(render_all(jobs, NOW, stack, 2, staging))
    assert sorted(p.name for p in out.rglob("*")) == []
    assert list(temp_root.iterdir()) == []


def test_the_scratch_folder_a_killed_build_left_is_removed_an_hour_later(
    reference: tuple[Config, BuildResult], tmp_path: Path, temp_root: Path
) -> None:
    import os
    import time

    from podfeed.publish.files import STALE_TEMPORARY_S

    old = time.time() - 2 * STALE_TEMPORARY_S
    stale = temp_root / "podfeed-render-k1ll3d"
    stale.mkdir()
    (stale / "job-3.pickle").write_bytes(b"a job nobody read")
    os.utime(stale, (old, old))
    recent = temp_root / "podfeed-render-running"  # perhaps another build's, right now
    recent.mkdir()
    other = temp_root / "someone-else"
    other.mkdir()
    os.utime(other, (old, old))
    config, _ = reference
    build(config, BuildOptions(offline=True, cache=False, output_dir=tmp_path / "o"), now=NOW)
    assert sorted(p.name for p in temp_root.iterdir()) == ["podfeed-render-running", "someone-else"]
