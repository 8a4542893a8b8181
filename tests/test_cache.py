"""The build cache (.podfeed-cache/) makes rebuilds cheap and never changes what a build gives."""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import shutil
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import podfeed.build
import podfeed.cache.episodes
import podfeed.cache.shards
import podfeed.cache.store
import podfeed.feed.render
import podfeed.model
import podfeed.publish.files
import podfeed.publish.stamp
import podfeed.site
import podfeed.site.parse
from podfeed.build import BuildOptions, BuildResult, build
from podfeed.cache import (
    CACHE_DIR,
    BuildCache,
    EpisodeCache,
    code_fingerprint,
    content_digest,
    file_identity,
)
from podfeed.config import load_config
from podfeed.problems import GuardError
from tests.sites import make_corpus_site

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The window as the source sets it (some tests below move it).
RACY_NS = podfeed.cache.store.RACY_NS


@pytest.fixture
def site(corpus: Path, tmp_path: Path) -> Path:
    """The corpus copied (so tests may edit it) with a config and a complete lock."""
    shutil.copytree(corpus / "edt", tmp_path / "corpus" / "edt")
    return make_corpus_site(tmp_path / "corpus", tmp_path / "site")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from their bytes (not taken from the cache), in order."""
    seen: list[str] = []
    real = podfeed.site.parse.parse_bytes

    def counting(path: Path, *args: Any) -> Any:
        seen.append(path.name if path.name != "episode.md" else str(path.parent.name))
        return real(path, *args)

    monkeypatch.setattr(podfeed.site.parse, "parse_bytes", counting)
    return seen


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The feeds rendered, in full (``edt/de``) or only some items (``edt/de: 1 item``)."""
    seen: list[str] = []
    real_feed, real_parts = podfeed.feed.render.render_feed, podfeed.feed.render.render_parts

    def counting(show: Any, lang: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(f"{show.id}/{lang}")
        return real_feed(show, lang, *args, **kwargs)

    def counting_parts(show: Any, lang: str, ordered: Any, only: Any, **kwargs: Any) -> Any:
        seen.append(f"{show.id}/{lang}: {len(only)} item{'s' if len(only) != 1 else ''}")
        return real_parts(show, lang, ordered, only, **kwargs)

    monkeypatch.setattr(podfeed.feed.render, "render_feed", counting)
    monkeypatch.setattr(podfeed.feed.render, "render_parts", counting_parts)
    return seen


def run(site: Path, *, cache: bool = True, now: datetime = NOW, **options: Any) -> BuildResult:
    config = load_config(site / "config.yaml")
    return build(config, BuildOptions(offline=True, cache=cache, **options), now=now)


def feeds(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "feeds").rglob("*.xml")}


def same(a: BuildResult, b: BuildResult) -> None:
    """Two builds told the same: identical feed bytes and identical problems, in order."""
    assert [(f.path, f.data, f.items, f.warnings) for f in a.feeds] == [
        (f.path, f.data, f.items, f.warnings) for f in b.feeds
    ]
    assert a.problems == b.problems
    assert a.episodes == b.episodes


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def age(site: Path) -> None:
    """Make every episode file look changed long ago, so the cache trusts its stat (racy rule)."""
    old = 1_000_000_000
    for path in (site.parent / "corpus").rglob("episode.md"):
        os.utime(path, (old, old))
    # ctime cannot be set back: instead, move the clock the cache compares with forward.
    podfeed.cache.store.RACY_NS = -(10**18)


@pytest.fixture(autouse=True)
def _restore_racy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(podfeed.cache.store, "RACY_NS", podfeed.cache.store.RACY_NS)


@pytest.fixture(autouse=True)
def _no_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the episode and feed caches: the build stamp, which would skip
    both when nothing changed, is tested in test_stamp.py."""
    monkeypatch.setattr(podfeed.publish.stamp, "check_stamp", lambda *args, **kwargs: None)


def test_a_second_build_parses_and_renders_nothing(
    site: Path, parses: list[str], renders: list[str]
) -> None:
    age(site)
    first = run(site)
    assert len(parses) == 53 and len(renders) == 12  # edtw is in no pattern
    parses.clear()
    renders.clear()
    second = run(site)
    assert parses == [] and renders == []
    same(first, second)
    assert second.written == []


def test_the_cached_build_equals_a_build_without_cache(site: Path, tmp_path: Path) -> None:
    run(site)
    cached = run(site)
    cached_feeds = feeds(site)
    shutil.rmtree(site / "feeds")
    uncached = run(site, cache=False)
    same(cached, uncached)
    assert feeds(site) == cached_feeds
    assert cached.problems, "the corpus has problems: they must come back from the cache too"


def test_a_build_without_cache_writes_no_cache(site: Path) -> None:
    run(site, cache=False)
    assert not (site / CACHE_DIR).exists()


def test_an_edited_episode_is_parsed_again_and_only_its_feed_rendered(
    site: Path, parses: list[str], renders: list[str]
) -> None:
    age(site)
    run(site)
    parses.clear()
    renders.clear()
    episode = site.parent / "corpus/edt/episodes/edt-189/de/episode.md"
    edit(episode, "Parallel Works", "Parallel Werke")
    changed = run(site)
    assert parses == ["de"] and renders == ["edt/de: 1 item"]
    assert [f.path.name for f in changed.feeds if f.changed] == ["de.xml"]
    assert b"Parallel Werke" in (site / "feeds/edt/de.xml").read_bytes()
    shutil.rmtree(site / "feeds")
    same(changed, run(site, cache=False))


def test_a_rewrite_with_the_same_size_and_mtime_is_still_seen(
    site: Path, parses: list[str]
) -> None:
    """Same length, mtime put back, and every stat trusted: the changed ctime still tells."""
    run(site)
    podfeed.cache.store.RACY_NS = -(10**18)
    episode = site.parent / "corpus/edt/episodes/edt-189/en/episode.md"
    before = episode.stat()
    edit(episode, "Parallel Works", "Parallel Jerks")  # same length
    os.utime(episode, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert episode.stat().st_size == before.st_size
    parses.clear()
    result = run(site)
    assert parses == ["en"]
    assert b"Parallel Jerks" in (site / "feeds/edt/en.xml").read_bytes()
    assert any(f.changed for f in result.feeds)


def test_a_new_podfeed_version_invalidates_everything(
    site: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    age(site)
    run(site)
    parses.clear()
    monkeypatch.setattr(podfeed.cache.store, "__version__", "99.0.0")
    code_fingerprint.cache_clear()
    try:
        run(site)
    finally:
        code_fingerprint.cache_clear()
    assert len(parses) == 53


def test_the_cache_is_keyed_on_the_libraries_podfeed_renders_with() -> None:
    """A library that shapes the output (the Markdown engine above all) must be in the
    fingerprint, and a library podfeed no longer uses must not linger there: its version would
    stand in for the one that matters."""
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    declared = {
        re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()
        for requirement in pyproject["project"]["dependencies"]
    }
    fingerprinted = {name.lower() for name in podfeed.cache.store._LIBRARIES}
    assert fingerprinted <= declared
    assert {"cmarkgfm", "nh3", "lxml", "feedgen", "pyyaml"} <= fingerprinted


def test_a_config_change_invalidates_that_shows_episodes(
    site: Path, parses: list[str], renders: list[str]
) -> None:
    age(site)
    run(site)
    parses.clear()
    renders.clear()
    edit(site / "config.yaml", "description: The weekly news brief.", "description: Weekly.")
    run(site)
    assert parses and all(name in ("en", "de", "es", "fr", "it", "pt") for name in parses)
    assert len(parses) == 12  # edw's files only
    assert sorted(renders) == [
        f"edw/{lang}" for lang in sorted(("en", "de", "es", "fr", "it", "pt"))
    ]


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a pickle"),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(b""),
        lambda p: p.unlink(),
    ],
    ids=["garbage", "truncated", "empty", "deleted"],
)
def test_a_damaged_or_deleted_cache_is_ignored_and_rebuilt(
    site: Path, damage: Callable[[Path], object]
) -> None:
    first = run(site)
    built = feeds(site)
    for path in (site / CACHE_DIR).iterdir():
        damage(path)
    second = run(site)
    same(first, second)
    assert feeds(site) == built
    third = run(site)  # from the rebuilt cache
    same(first, third)


def test_a_deleted_cache_folder_is_fine(site: Path) -> None:
    first = run(site)
    shutil.rmtree(site / CACHE_DIR)
    same(first, run(site))
    assert (site / CACHE_DIR).is_dir()


def test_unchanged_feeds_keep_their_mtime(site: Path) -> None:
    run(site)
    before = {p: p.stat().st_mtime_ns for p in (site / "feeds").rglob("*.xml")}
    result = run(site)
    assert result.written == []
    assert {p: p.stat().st_mtime_ns for p in (site / "feeds").rglob("*.xml")} == before


def test_a_feed_edited_on_disk_is_rendered_again(site: Path, renders: list[str]) -> None:
    first = run(site)
    path = site / "feeds/edt/en.xml"
    path.write_bytes(path.read_bytes().replace(b"<channel>", b"<channel><!-- hand edit -->", 1))
    renders.clear()
    second = run(site)
    assert renders == ["edt/en"]
    assert [f.path for f in second.feeds if f.changed] == [path]
    assert b"hand edit" not in path.read_bytes()
    same(first, second)


def test_future_dates_are_reported_from_the_cache_against_the_current_clock(site: Path) -> None:
    """Feed problems are cached, but not the one rule that depends on the time of the build."""
    early = datetime(2024, 3, 1, tzinfo=UTC)  # before the newest episodes of the corpus
    cold = run(site, now=early, dry_run=True)
    assert any(p.code == "item-pubdate-future" for p in cold.problems)
    warm_early = run(site, now=early, dry_run=True)
    same(cold, warm_early)
    warm_now = run(site, dry_run=True)
    assert not any(p.code == "item-pubdate-future" for p in warm_now.problems)
    same(warm_now, run(site, cache=False, dry_run=True))


def test_strict_and_check_builds_use_the_cache_without_changing_their_answer(site: Path) -> None:
    run(site)
    cached = run(site, check=True)
    uncached = run(site, check=True, cache=False)
    same(cached, uncached)
    assert not any(f.changed for f in cached.feeds)


def test_one_edited_episode_renders_one_item_and_reports_what_a_cold_build_reports(
    site: Path, renders: list[str]
) -> None:
    """Only the edited item is rendered; the bytes and the problems are a cold build's.

    The feed has an item problem in an older item (its line moves when a newer item grows) and
    a cross-item problem (two items with one title), which are checked on the whole feed.
    """
    age(site)
    episodes = site.parent / "corpus/edt/episodes"
    edit(episodes / "edt-100/en/episode.md", 'title: "Intel', 'title: "<b>Bold</b> Intel')
    edit(
        episodes / "edt-1/en/episode.md",
        "History of Data Centric Architecture",
        "Security in Generative AI",
    )
    first = run(site)
    before = [p for p in first.problems if p.file and p.file.endswith("en.xml")]
    assert {"html-in-text", "item-title-duplicate"} <= {p.code for p in before}
    renders.clear()
    newer = episodes / "edt-189/en/episode.md"
    newer.write_text(newer.read_text(encoding="utf-8") + "\nMore.\n\n- one\n- two\n", "utf-8")
    changed = run(site)
    assert renders == ["edt/en: 1 item"]
    after = [p for p in changed.problems if p.file and p.file.endswith("en.xml")]
    moved = [p.line for p in after if p.code == "html-in-text"]
    assert moved and moved != [p.line for p in before if p.code == "html-in-text"]
    incremental = feeds(site)
    shutil.rmtree(site / "feeds")
    same(changed, run(site, cache=False))
    assert feeds(site) == incremental


def test_a_duplicate_between_an_edited_item_and_an_unchanged_one_is_found_incrementally(
    site: Path, renders: list[str]
) -> None:
    """Cross-item rules see the unchanged items through what the cache kept of them: a title
    the edit makes equal to an older item's is reported at both items' lines, as cold."""
    age(site)
    run(site)
    renders.clear()
    edit(
        site.parent / "corpus/edt/episodes/edt-189/en/episode.md",
        'title: "Parallel Works AI Workload Automation"',
        'title: "Intel\'s Public Sector Superheroes"',
    )
    changed = run(site)
    assert renders == ["edt/en: 1 item"]
    duplicates = [p for p in changed.problems if p.code == "item-title-duplicate"]
    assert duplicates and all(p.file and p.file.endswith("en.xml") for p in duplicates)
    shutil.rmtree(site / "feeds")
    same(changed, run(site, cache=False))


def test_a_new_newest_episode_is_added_without_rendering_the_others(
    site: Path, renders: list[str]
) -> None:
    """The newest episode appears (the channel's date changes too): one item is rendered."""
    age(site)
    newest = site.parent / "corpus/edt/episodes/edt-244"
    aside = site.parent / "edt-244"
    newest.rename(aside)
    first = run(site)
    aside.rename(newest)
    renders.clear()
    added = run(site)
    assert renders == [f"edt/{lang}: 1 item" for lang in ("en", "de", "es", "fr", "it", "pt")]
    assert [f.items for f in added.feeds] != [f.items for f in first.feeds]
    shutil.rmtree(site / "feeds")
    same(added, run(site, cache=False))


def test_the_guard_still_refuses_a_guid_change_in_an_incremental_build(site: Path) -> None:
    """Only one item is rendered again, but its guid changes: nothing is written."""
    age(site)
    run(site)
    before = feeds(site)
    edit(site.parent / "corpus/edt/episodes/edt-189/de/episode.md", "EDT189-de", "EDT189-deu")
    with pytest.raises(GuardError) as caught:
        run(site)
    assert any(p.code == "guard-guid-change" for p in caught.value.problems)
    assert feeds(site) == before


def test_the_guard_still_refuses_a_shrink_in_an_incremental_build(
    site: Path, renders: list[str]
) -> None:
    config = site / "config.yaml"
    config.write_text(config.read_text("utf-8") + "guard:\n  max_drop_items: 0\n", "utf-8")
    age(site)
    run(site)
    before = feeds(site)
    renders.clear()
    shutil.rmtree(site.parent / "corpus/edt/episodes/edt-189/de")
    with pytest.raises(GuardError) as caught:
        run(site)
    assert renders == ["edt/de: 0 items"]
    assert [p.code for p in caught.value.problems if p.code.startswith("guard")] == ["guard-shrink"]
    assert feeds(site) == before


def test_an_edit_rewrites_one_part_of_the_episode_cache(site: Path) -> None:
    """Episode entries are split over several files: one changed file rewrites one of them."""
    age(site)
    run(site)
    parts = sorted((site / CACHE_DIR).glob("episodes-*.pickle"))
    assert len(parts) > 1
    for p in parts:
        os.utime(p, ns=(1, 1))
    edit(site.parent / "corpus/edt/episodes/edt-189/de/episode.md", "Parallel", "Parallele")
    run(site)
    rewritten = [p for p in parts if p.stat().st_mtime_ns != 1]
    assert len(rewritten) == 1


def test_a_feed_that_loses_every_episode_is_rendered_empty_from_the_cache(site: Path) -> None:
    age(site)
    run(site)
    for folder in (site.parent / "corpus/edt/episodes").glob("*/de"):
        shutil.rmtree(folder)
    emptied = run(site, allow_shrink=True)
    assert [f.items for f in emptied.feeds if f.path.match("edt/de.xml")] == [0]
    shutil.rmtree(site / "feeds")
    same(emptied, run(site, cache=False, allow_shrink=True))


def _episode_with_any_text(path: Path) -> Any:
    from podfeed.model import Episode

    return Episode(
        path=path,
        source=str(path),
        show="edt",
        lang="de",
        number=1,
        title="Grüße aus Köln \ud800",
        permalink="/de/1/",
        url="https://example.org/de/1/",
        date=NOW,
        summary="plain ASCII",
        description="Über <b>Größe</b> \x00 \ud800",
        tags=("Käse", "bread"),
        notes_html="<p>Ça va — 😀</p>",
    )


def test_an_episode_state_comes_back_equal_with_any_text() -> None:
    """Episodes are sent between processes and stored as their state; rebuilt, they are
    equal, also with text a strict UTF-8 codec would refuse."""
    from podfeed.model import episode_from_state, episode_state

    path = Path("episodes/de/1/episode.md")
    episode = _episode_with_any_text(path)
    short, payload = pickle.loads(pickle.dumps(episode_state(episode)))
    assert "Über".encode() in payload  # the long texts travel as UTF-8 bytes
    thawed = episode_from_state((short, payload), path)
    assert episode_state(thawed)[1] is payload  # given back without decoding anything
    assert thawed == episode and thawed.path == path


def test_long_texts_of_a_thawed_episode_are_decoded_on_first_use() -> None:
    from podfeed.model import episode_from_state, episode_state

    path = Path("episodes/de/1/episode.md")
    episode = _episode_with_any_text(path)
    thawed = episode_from_state(episode_state(episode), path)
    assert "notes_html" not in vars(thawed) and thawed.title == episode.title
    assert thawed.notes_html == episode.notes_html  # decoded now
    assert vars(thawed)["description"] == episode.description
    assert dataclasses.replace(thawed, lang="fr").summary == "plain ASCII"
    with pytest.raises(AttributeError):
        _ = thawed.no_such_field  # type: ignore[attr-defined]


def test_texts_still_in_a_shard_file_are_read_on_first_use_and_pickle_as_bytes() -> None:
    """Cached episodes leave their texts in the shard file until they are used; such
    an episode pickles (to a render worker) as if its texts were in memory."""
    from podfeed.model import LazyTexts, episode_from_state, episode_state

    path = Path("episodes/de/1/episode.md")
    episode = _episode_with_any_text(path)
    short, payload = episode_state(episode)
    stored = LazyTexts(b"header" + payload + b"trailer", len(b"header"), len(payload))
    thawed = episode_from_state((short, stored), path)
    assert episode_state(thawed) == (short, payload)
    again = pickle.loads(pickle.dumps(thawed))
    assert again == episode and again.notes_html == episode.notes_html
    assert thawed.notes_html == episode.notes_html


def test_a_damaged_episode_state_is_refused() -> None:
    from podfeed.model import LazyTexts, episode_from_state, episode_state

    path = Path("episodes/de/1/episode.md")
    short, payload = episode_state(_episode_with_any_text(path))
    for damaged in (payload[:-1], payload + b"x", b"", "text"):
        with pytest.raises(ValueError):
            episode_from_state((short, damaged), path)  # type: ignore[arg-type]
    beyond = LazyTexts(payload[:-1], 0, len(payload))  # the file ends before the texts
    with pytest.raises(ValueError):
        episode_from_state((short, beyond), path)


@given(
    st.datetimes(timezones=st.timezones()),
    st.datetimes(timezones=st.timezones()),
)
def test_date_sort_key_orders_like_the_dates(a: datetime, b: datetime) -> None:
    """Episodes and feed items are sorted by an integer key (fast on every rebuild); it must
    order aware dates by their instant exactly as comparing the datetimes does."""
    from podfeed.site import date_key

    assert (date_key(a) < date_key(b)) == (a < b)
    assert (date_key(a) == date_key(b)) == (a == b)


def test_episodes_parsed_in_worker_processes_are_cached_like_any_other(
    site: Path, parses: list[str]
) -> None:
    """Workers send each episode's state; the cache writes its texts as they arrive."""
    age(site)
    show = load_config(site / "config.yaml").shows[0]
    folder = site / CACHE_DIR
    cache = EpisodeCache.open(folder, show)
    in_processes = podfeed.site.load_episodes(show, cache=cache, workers=2)
    cache.save()
    parses.clear()
    again = EpisodeCache.open(folder, show)
    from_cache = podfeed.site.load_episodes(show, cache=again, workers=2)
    assert parses == []  # every file came from the shards the workers' results filled
    one_process = podfeed.site.load_episodes(show, workers=1)
    assert in_processes == from_cache == one_process


def test_a_shard_cut_short_is_ignored_as_a_whole(site: Path, parses: list[str]) -> None:
    """A shard's index and footer come last: a file cut short has neither, and none of its
    entries is trusted."""
    age(site)
    first = run(site)
    parts = sorted((site / CACHE_DIR).glob("episodes-*.pickle"))
    cut = max(parts, key=lambda p: p.stat().st_size)
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) - 1])  # only the footer's last byte is missing
    parses.clear()
    second = run(site)
    same(first, second)
    assert 0 < len(parses) < 53  # that shard's files, and only those, were parsed again


def _cache_filled(site: Path) -> tuple[Any, Path, EpisodeCache]:
    """The site's show, its cache folder, and the episode cache saved there after reading all."""
    age(site)
    show = load_config(site / "config.yaml").shows[0]
    folder = site / CACHE_DIR
    cache = EpisodeCache.open(folder, show)
    podfeed.site.load_episodes(show, cache=cache, workers=1)
    cache.save()
    return show, folder, cache


def test_episodes_read_from_a_shard_keep_their_texts_when_the_shard_is_rewritten(
    site: Path,
) -> None:
    """Cached episodes read their texts from the shard file on first use; a save that
    replaces the file in the meantime (a changed episode) leaves them reading the old file."""
    show, folder, _ = _cache_filled(site)
    cache = EpisodeCache.open(folder, show)
    cached, _ = podfeed.site.load_episodes(show, cache=cache, workers=1)
    assert all("notes_html" not in vars(ep) for ep in cached)  # nothing decoded yet
    for shard in folder.glob("episodes-*.pickle"):
        podfeed.cache.shards.Spool.start(shard, "another fingerprint").finish()  # replaced, emptied
    assert cached == podfeed.site.load_episodes(show, workers=1)[0]


def test_a_shard_cut_short_in_place_under_a_running_build_is_named(site: Path) -> None:
    """podfeed only ever replaces its files; something else truncating one while a build
    still needs its texts gets an error naming the file, never wrong text."""
    show, folder, _ = _cache_filled(site)
    cache = EpisodeCache.open(folder, show)
    cached, _ = podfeed.site.load_episodes(show, cache=cache, workers=1)
    for shard in folder.glob("episodes-*.pickle"):
        os.truncate(shard, 10)
    with pytest.raises(ValueError, match=r"episodes-.*\.pickle was cut short"):
        _ = [ep.notes_html for ep in cached]


def test_where_open_files_cannot_be_replaced_the_texts_are_read_at_once(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace an open file, so there the shard's texts are read at once:
    the episodes are the same."""
    show, folder, _ = _cache_filled(site)
    monkeypatch.setattr(podfeed.cache.shards, "_READ_ON_DEMAND", False)
    cache = EpisodeCache.open(folder, show)
    assert {type(buffer) for _, buffer in cache.stored.values()} == {bytes}
    cached, _ = podfeed.site.load_episodes(show, cache=cache, workers=1)
    assert cached == podfeed.site.load_episodes(show, workers=1)[0]


def test_texts_received_from_workers_are_read_back_from_the_cache_once_it_is_written(
    site: Path,
) -> None:
    """A cold build does not keep every episode's texts in memory next to the cache file that
    now holds them: once the shard is written, the episodes read their texts from it."""
    age(site)
    show = load_config(site / "config.yaml").shows[0]
    cache = EpisodeCache.open(site / CACHE_DIR, show)
    episodes, _ = podfeed.site.load_episodes(show, cache=cache, workers=2)
    assert {type(vars(ep)["_lazy"][1]) for ep in episodes} == {bytes}  # as the workers sent them
    cache.save()
    payloads = {type(vars(ep)["_lazy"][1]) for ep in episodes}
    assert payloads == {podfeed.model.LazyTexts}
    assert episodes == podfeed.site.load_episodes(show, workers=1)[0]


def test_a_shard_cut_at_the_front_is_ignored(site: Path) -> None:
    show, folder, cache = _cache_filled(site)
    shard = max(folder.glob("episodes-*.pickle"), key=lambda p: p.stat().st_size)
    data = shard.read_bytes()
    shard.write_bytes(data[1000:])  # texts cut at the front: every offset now points wrong
    again = EpisodeCache.open(folder, show)
    assert again.stored and len(again.stored) < len(cache.entries)
    assert (
        podfeed.site.load_episodes(show, cache=again, workers=1)[0]
        == (podfeed.site.load_episodes(show, workers=1)[0])
    )


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(site: Path) -> None:
    (site / CACHE_DIR).write_text("a file where the cache folder should be")
    first = run(site)
    second = run(site, cache=False)
    same(first, second)


def test_temporary_files_left_by_a_killed_run_are_removed_later(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR
    folder.mkdir()
    old = folder / ".episodes-abc-3.pickle.x1y2.tmp"
    recent = folder / ".feeds.pickle.z9.tmp"  # maybe a run writing right now: kept
    for path in (old, recent):
        path.write_bytes(b"half a shard")
    hours_ago = time.time() - 2 * podfeed.publish.files.STALE_TEMPORARY_S
    os.utime(old, (hours_ago, hours_ago))
    BuildCache.open(folder)
    assert not old.exists() and recent.exists()


@pytest.mark.parametrize(
    ("age_ns", "by_stat"),
    [
        (0, False),
        (1_999_000_000, False),  # changed within 2 s of being read: its bytes are read again
        (2_001_000_000, True),  # changed earlier: the same stat is trusted
        (3_600_000_000_000, True),
    ],
)
def test_an_episode_file_changed_within_2_s_before_it_was_read_is_compared_by_content(
    tmp_path: Path, age_ns: int, by_stat: bool
) -> None:
    """The cache parsed a file ``age_ns`` after its last change; its ``stat`` is the same now but
    its bytes are not (an edit within one tick of a coarse file-system clock). The clock is the
    cache's ``started_ns``, set relative to the file's own times, so nothing waits."""
    podfeed.cache.store.RACY_NS = RACY_NS  # restored after the test by _restore_racy
    path = tmp_path / "episode.md"
    path.write_bytes(b"edited")
    info = os.stat(path)
    seen_ns = max(info.st_mtime_ns, info.st_ctime_ns) + age_ns
    parsed: Any = (None, [], {"title": 2})
    cache = EpisodeCache(None, "fingerprint", started_ns=seen_ns)
    cache.store(path, file_identity(info), content_digest(b"before"), parsed)

    hit, identity, data = cache.lookup(path)

    assert identity == file_identity(info)
    if by_stat:
        assert (hit, data) == (parsed, None)
    else:
        assert (hit, data) == (None, b"edited")
