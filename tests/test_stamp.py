"""The build stamp: an offline build that finds everything as the last one left it does nothing,
and reports exactly what a full build would. Any change anywhere makes the build run as usual.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import podfeed.build
import podfeed.cache.feeds
import podfeed.cache.store
import podfeed.feed.batch
import podfeed.feed.render
from podfeed.build import BuildOptions, BuildResult, build
from podfeed.cache import CACHE_DIR, BuildCache, content_digest, file_identity
from podfeed.config import load_config
from podfeed.problems import BuildError
from podfeed.publish.stamp import STAMP_FILE, FileRecord, Files, Stamp, check_stamp

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The window as the source sets it, before the fixture below moves it for most tests here.
RACY_NS = podfeed.cache.store.RACY_NS
EN = Path("episodes/edt-189/en/episode.md")
DE = Path("episodes/edt-189/de/episode.md")


@pytest.fixture
def site(repo: Path, tmp_path: Path) -> Path:
    """The bundled example, copied so tests may edit it."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(repo / "episodes", site / "episodes")
    shutil.copy(repo / "config.yaml", site / "config.yaml")
    shutil.copy(repo / "podfeed.lock", site / "podfeed.lock")
    return site


@pytest.fixture
def full_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """One entry per build that read the episodes (rather than replaying a stamp)."""
    seen: list[str] = []
    real = podfeed.build.resolve_site

    def counting(config: Any, **kwargs: Any) -> Any:
        seen.append("full")
        return real(config, **kwargs)

    monkeypatch.setattr(podfeed.build, "resolve_site", counting)
    return seen


@pytest.fixture(autouse=True)
def _trust_stat(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are seconds old at most: let their ``stat`` be trusted anyway.

    (The rule that a file changed within two seconds of a build is compared by content is
    tested separately below.)
    """
    monkeypatch.setattr(podfeed.cache.store, "RACY_NS", -(10**18))


def run(site: Path, *, now: datetime = NOW, **options: Any) -> BuildResult:
    options.setdefault("offline", True)
    config = load_config(site / "config.yaml")
    return build(config, BuildOptions(**options), now=now)


def told(result: BuildResult) -> tuple[Any, ...]:
    """Everything a build reports, to compare a replay with a full build."""
    return (
        [(f.show, f.lang, f.path, f.data, f.items, f.warnings, f.changed) for f in result.feeds],
        result.problems,
        result.episodes,
        result.owner,
        result.lock_changed,
        result.written,
        [result.problems_for(f) for f in result.feeds],
    )


def warn(site: Path) -> None:
    """Give the English episode a warning (an image format Apple does not take)."""
    path = site / EN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("image: thumbnail.png", "image: thumbnail.bmp"), encoding="utf-8")


def edit_title(site: Path) -> None:
    """Change the German title, keeping the file's size (only its content tells)."""
    path = site / DE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Parallele Arbeiten", "Parallele Arbeiter"), encoding="utf-8")


def mtimes(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (site / "feeds").rglob("*.xml")}


def test_a_second_build_with_nothing_changed_replays_the_first(
    site: Path, full_builds: list[str]
) -> None:
    first = run(site)
    written = mtimes(site)
    assert full_builds == ["full"] and (site / CACHE_DIR / STAMP_FILE).is_file()
    second = run(site)
    assert full_builds == ["full"], "the second build must not read any episode"
    assert second.written == [] and mtimes(site) == written
    assert [(f.path, f.data, f.items) for f in second.feeds] == [
        (f.path, f.data, f.items) for f in first.feeds
    ]
    assert second.problems == first.problems


def test_a_replay_reports_exactly_what_a_build_without_cache_reports(
    site: Path, full_builds: list[str]
) -> None:
    warn(site)  # so that problems and the feeds they belong to are part of the answer
    run(site)
    replayed = run(site)
    assert full_builds == ["full"]
    assert any(p.code == "image-format" for p in replayed.problems)
    uncached = run(site, cache=False)
    assert full_builds == ["full", "full"]
    assert told(replayed) == told(uncached)


def test_strict_check_and_dry_run_apply_to_a_replay(site: Path, full_builds: list[str]) -> None:
    warn(site)
    run(site)
    checked = run(site, check=True)
    assert [f.changed for f in checked.feeds] == [False, False]
    with pytest.raises(BuildError) as refused:
        run(site, strict=True)
    assert any(p.code == "image-format" for p in refused.value.problems)
    assert full_builds == ["full"]


@pytest.mark.parametrize(
    "change",
    [
        "edit an episode",
        "add an episode",
        "remove an episode",
        "edit the config",
        "edit the lock",
        "delete a feed",
        "edit a feed",
    ],
)
def test_any_change_makes_the_build_run_in_full(
    site: Path, full_builds: list[str], change: str
) -> None:
    run(site)
    if change == "edit an episode":
        edit_title(site)
    elif change == "add an episode":
        (site / "episodes/edt-190/de").mkdir(parents=True)
        text = (site / DE).read_text(encoding="utf-8")
        text = text.replace("number: 189", "number: 190").replace("EDT189", "EDT190")
        (site / "episodes/edt-190/de/episode.md").write_text(text, encoding="utf-8")
    elif change == "remove an episode":
        (site / EN).unlink()
    elif change == "edit the config":
        config = (site / "config.yaml").read_text(encoding="utf-8")
        (site / "config.yaml").write_text(config.replace("explicit: false", "explicit: true"))
    elif change == "edit the lock":
        lock = json.loads((site / "podfeed.lock").read_text(encoding="utf-8"))
        lock["media"]["cea47899"]["duration"] = 1741
        (site / "podfeed.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    elif change == "delete a feed":
        (site / "feeds/edt/de.xml").unlink()
    elif change == "edit a feed":
        feed = site / "feeds/edt/de.xml"
        feed.write_bytes(feed.read_bytes().replace(b"<item>", b"<item> ", 1))
    after = run(site, allow_shrink=True)  # removing the only English episode empties a feed
    assert full_builds == ["full", "full"]
    fresh = run(site, cache=False, dry_run=True)  # what a build from scratch says now
    assert [(f.path, f.data) for f in after.feeds] == [(f.path, f.data) for f in fresh.feeds]
    assert after.problems == fresh.problems
    for f in after.feeds:  # a feed left without items is withheld: the old file stays
        assert f.path.read_bytes() == f.data or f.withheld


def test_a_file_rewritten_with_the_same_bytes_still_replays(
    site: Path, full_builds: list[str]
) -> None:
    run(site)
    os.utime(site / DE)  # touched: its stat changed, its content did not
    (site / EN).write_bytes((site / EN).read_bytes())
    run(site)
    assert full_builds == ["full"]


def test_files_changed_just_before_the_build_are_compared_by_content(
    site: Path, full_builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(podfeed.cache.store, "RACY_NS", 10**18)  # every file is "just changed"
    run(site)
    run(site)  # same bytes everywhere: replayed after reading them
    assert full_builds == ["full"]
    edit_title(site)
    assert b"Parallele Arbeiter" in run(site).feeds[1].data
    assert full_builds == ["full", "full"]


def stamp_of(path: Path, digest: bytes, seen_ns: int, *, feed: bool) -> Stamp:
    """A stamp that saw ``path`` (as an episode file, or as a feed it wrote) with its current
    ``stat`` and ``digest`` at ``seen_ns``."""
    seen = Files.of([FileRecord(str(path), file_identity(os.stat(path)), digest)], seen_ns)
    none = Files.of([], seen_ns)
    return Stamp(
        key=b"key",
        inputs=none if feed else seen,
        outputs=seen if feed else none,
        valid_from=NOW,
        valid_until=None,
        feeds=(),
        problems=(),
        episodes=(),
        owner=(),
    )


@pytest.mark.parametrize("feed", [False, True], ids=["episode file", "feed"])
@pytest.mark.parametrize(
    ("age_ns", "by_stat"),
    [
        (0, False),
        (1_999_000_000, False),  # changed within 2 s of being looked at: its bytes are read
        (2_001_000_000, True),  # changed earlier: the same stat is trusted, nothing is read
        (3_600_000_000_000, True),
    ],
)
def test_a_file_changed_within_2_s_before_the_build_saw_it_is_compared_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feed: bool, age_ns: int, by_stat: bool
) -> None:
    """The stamp recorded a file ``age_ns`` after its last change. Its ``stat`` is the same now
    but its bytes are not (an edit within one tick of a coarse file-system clock): only a file
    compared by content is found changed. The clock is the stamp's ``seen_ns``, set relative to
    the file's own times, so nothing waits."""
    monkeypatch.setattr(podfeed.cache.store, "RACY_NS", RACY_NS)
    path = tmp_path / "file"
    path.write_bytes(b"edited")
    info = os.stat(path)
    seen_ns = max(info.st_mtime_ns, info.st_ctime_ns) + age_ns
    files = [] if feed else [(str(path), info)]

    other_bytes = stamp_of(path, content_digest(b"before"), seen_ns, feed=feed)
    held = check_stamp(other_bytes, b"key", files, NOW, seen_ns + 1)
    assert (held is not None) is by_stat

    same_bytes = stamp_of(path, content_digest(b"edited"), seen_ns, feed=feed)
    held = check_stamp(same_bytes, b"key", files, NOW, seen_ns + 1)
    assert held is not None
    # A file compared by content is recorded again, so that a later build trusts its stat.
    assert (held.refreshed is None) is by_stat


@pytest.mark.parametrize(
    ("options", "replays"),
    [
        ({"langs": ("de",)}, False),  # another selection: another result
        ({"cache": False}, False),
        ({"refresh": True}, False),
        ({}, True),
    ],
)
def test_only_the_same_offline_build_with_its_cache_replays(
    site: Path, full_builds: list[str], options: dict[str, Any], replays: bool
) -> None:
    run(site)
    run(site, **options)
    assert full_builds == (["full"] if replays else ["full", "full"])


def test_an_online_build_never_replays() -> None:
    config = load_config(Path(__file__).parent.parent / "config.yaml")
    cache = BuildCache.open(Path("/nonexistent") / CACHE_DIR)
    assert podfeed.build._stamp_key(config, BuildOptions(offline=False), cache) is None
    assert podfeed.build._stamp_key(config, BuildOptions(offline=True), cache) is not None


def _lock_checked(site: Path, checked: datetime) -> None:
    lock = json.loads((site / "podfeed.lock").read_text(encoding="utf-8"))
    lock["media"]["cea47899"]["checked"] = checked.isoformat().replace("+00:00", "Z")
    (site / "podfeed.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")


def test_a_lock_entry_turning_stale_ends_the_replay(site: Path, full_builds: list[str]) -> None:
    _lock_checked(site, NOW - timedelta(days=1))  # stale after 7 days (max_age), on NOW + 6 d
    first = run(site)
    assert not any(p.code == "lock-stale" for p in first.problems)
    run(site, now=NOW + timedelta(days=5))
    assert full_builds == ["full"]
    later = run(site, now=NOW + timedelta(days=7))
    assert full_builds == ["full", "full"]
    assert any(p.code == "lock-stale" for p in later.problems)


def test_a_clock_set_back_does_not_replay(site: Path, full_builds: list[str]) -> None:
    run(site)
    run(site, now=NOW - timedelta(seconds=1))
    assert full_builds == ["full", "full"]


def test_a_build_with_an_episode_dated_after_now_writes_no_stamp(
    site: Path, full_builds: list[str]
) -> None:
    early = datetime(2020, 1, 1, tzinfo=UTC)  # before the example's episode
    result = run(site, now=early)
    assert any(p.code == "item-pubdate-future" for p in result.problems)
    assert not (site / CACHE_DIR / STAMP_FILE).exists()
    run(site, now=early)
    assert full_builds == ["full", "full"]


def test_a_damaged_stamp_is_ignored(site: Path, full_builds: list[str]) -> None:
    first = run(site)
    (site / CACHE_DIR / STAMP_FILE).write_bytes(b"\x80\x04garbage")
    second = run(site)
    assert full_builds == ["full", "full"]
    assert [(f.path, f.data) for f in second.feeds] == [(f.path, f.data) for f in first.feeds]
    assert second.problems == first.problems
    run(site)
    assert full_builds == ["full", "full"], "the full build wrote a good stamp again"


def test_a_build_after_an_edit_trusts_the_untouched_feeds_without_hashing_them(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(site)
    english = (site / "feeds/edt/en.xml").read_bytes()
    hashed: list[bytes] = []
    real = podfeed.cache.store.content_digest

    def counting(data: bytes) -> bytes:
        hashed.append(data)
        return real(data)

    for module in (podfeed.cache.feeds, podfeed.feed.render, podfeed.feed.batch):
        monkeypatch.setattr(module, "content_digest", counting)
    edit_title(site)
    result = run(site)
    assert [f.changed for f in result.feeds] == [False, True]
    assert english not in hashed, "the English feed is known by its stat"
    assert len(hashed) == 1  # the German feed, rendered again

    (site / "feeds/edt/en.xml").write_bytes(english.replace(b"<item>", b"<item> ", 1))
    hashed.clear()
    repaired = run(site)
    assert repaired.feeds[0].changed and repaired.feeds[0].data == english


def test_a_build_that_misses_an_image_file_is_never_replayed(
    site: Path, full_builds: list[str]
) -> None:
    (site / "_config.yml").write_text("title: the site\n")  # a Jekyll site: images are looked for
    first = run(site)
    assert {p.code for p in first.problems} >= {"image-missing"}
    run(site)
    assert full_builds == ["full", "full"]  # the answer depends on files the stamp does not see
    for lang in ("en", "de"):
        (site / "episodes" / "edt-189" / lang / "thumbnail.png").write_bytes(b"\x89PNG")
    fixed = run(site)
    assert "image-missing" not in {p.code for p in fixed.problems}
    run(site)
    assert full_builds == ["full", "full", "full"]  # replayed now
