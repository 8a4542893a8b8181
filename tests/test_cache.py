"""The build cache (.podfeed-cache/) makes rebuilds cheap and never changes what a build gives."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import podfeed.build
import podfeed.cache
import podfeed.episodes
from podfeed.build import BuildOptions, BuildResult, build
from podfeed.cache import CACHE_DIR, code_fingerprint
from podfeed.config import load_config
from tests.sites import make_corpus_site

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def site(corpus: Path, tmp_path: Path) -> Path:
    """The corpus copied (so tests may edit it) with a config and a complete lock."""
    shutil.copytree(corpus / "edt", tmp_path / "corpus" / "edt")
    return make_corpus_site(tmp_path / "corpus", tmp_path / "site")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from their bytes (not taken from the cache), in order."""
    seen: list[str] = []
    real = podfeed.episodes._parse_bytes

    def counting(path: Path, *args: Any) -> Any:
        seen.append(path.name if path.name != "episode.md" else str(path.parent.name))
        return real(path, *args)

    monkeypatch.setattr(podfeed.episodes, "_parse_bytes", counting)
    return seen


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = podfeed.build.render_feed

    def counting(show: Any, lang: str, *args: Any, **kwargs: Any) -> bytes:
        seen.append(f"{show.id}/{lang}")
        return real(show, lang, *args, **kwargs)

    monkeypatch.setattr(podfeed.build, "render_feed", counting)
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
    podfeed.cache.RACY_NS = -(10**18)


@pytest.fixture(autouse=True)
def _restore_racy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(podfeed.cache, "RACY_NS", podfeed.cache.RACY_NS)


def test_a_second_build_parses_and_renders_nothing(
    site: Path, parses: list[str], renders: list[str]
) -> None:
    age(site)
    first = run(site)
    assert len(parses) == 53 and len(renders) == 12  # edtw is in no pattern
    parses.clear(), renders.clear()
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
    parses.clear(), renders.clear()
    episode = site.parent / "corpus/edt/episodes/edt-189/de/episode.md"
    edit(episode, "Parallel Works", "Parallel Werke")
    changed = run(site)
    assert parses == ["de"] and renders == ["edt/de"]
    assert [f.path.name for f in changed.feeds if f.changed] == ["de.xml"]
    assert b"Parallel Werke" in (site / "feeds/edt/de.xml").read_bytes()
    shutil.rmtree(site / "feeds")
    same(changed, run(site, cache=False))


def test_a_rewrite_with_the_same_size_and_mtime_is_still_seen(
    site: Path, parses: list[str]
) -> None:
    """Same length, mtime put back, and every stat trusted: the changed ctime still tells."""
    run(site)
    podfeed.cache.RACY_NS = -(10**18)
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
    monkeypatch.setattr(podfeed.cache, "__version__", "99.0.0")
    code_fingerprint.cache_clear()
    try:
        run(site)
    finally:
        code_fingerprint.cache_clear()
    assert len(parses) == 53


def test_a_config_change_invalidates_that_shows_episodes(
    site: Path, parses: list[str], renders: list[str]
) -> None:
    age(site)
    run(site)
    parses.clear(), renders.clear()
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
