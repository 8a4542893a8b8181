"""Atomic output: complete old or complete new files, never a mix, and no needless rewrites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from podfeed.publish.files import atomic_write, write_files


def test_atomic_write_creates_folders_and_reports_change(tmp_path: Path) -> None:
    target = tmp_path / "feeds" / "edt" / "en.xml"
    assert atomic_write(target, b"one") is True
    assert target.read_bytes() == b"one"
    assert atomic_write(target, b"two") is True
    assert target.read_bytes() == b"two"


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "en.xml"
    target.write_bytes(b"same")
    os.utime(target, (1_000_000, 1_000_000))
    assert write_files({target: b"same"}) == []
    assert target.stat().st_mtime == 1_000_000


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    write_files({tmp_path / "a.xml": b"a", tmp_path / "b.xml": b"b"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml", "b.xml"]


def test_a_failing_file_leaves_every_other_file_as_it_was(tmp_path: Path) -> None:
    en = tmp_path / "en.xml"
    en.write_bytes(b"old english feed")
    de = tmp_path / "de.xml"
    de.mkdir()  # a folder where the German feed should go: its rename must fail
    with pytest.raises(OSError):
        write_files({en: b"new english feed", de: b"new german feed"})
    assert en.read_bytes() == b"old english feed"
    assert de.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["de.xml", "en.xml"]


def test_a_new_file_is_removed_again_when_a_later_one_fails(tmp_path: Path) -> None:
    fresh = tmp_path / "a.xml"
    blocked = tmp_path / "b.xml"
    blocked.mkdir()
    with pytest.raises(OSError):
        write_files({fresh: b"new", blocked: b"new"})
    assert not fresh.exists()


def test_new_files_get_the_permissions_of_a_plain_open_not_mkstemps_0600(tmp_path: Path) -> None:
    # A feed only the build user can read is a 403 from the web server that publishes it.
    from podfeed.publish import files

    old = os.umask(0o022)
    files._umask.cache_clear()
    try:
        write_files({tmp_path / "feeds" / "en.xml": b"feed"})
    finally:
        os.umask(old)
        files._umask.cache_clear()
    assert (tmp_path / "feeds" / "en.xml").stat().st_mode & 0o777 == 0o644


def test_a_replaced_file_keeps_its_own_permissions(tmp_path: Path) -> None:
    target = tmp_path / "en.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


# --- Staging: feeds written ahead, in the background, while the build renders the others -----


def test_a_staged_file_is_renamed_into_place_by_write_files(tmp_path: Path) -> None:
    from podfeed.publish.files import Staging

    target = tmp_path / "feeds" / "en.xml"
    data = b"<rss>english</rss>"
    with Staging() as staging:
        staging.stage(target, data)
        taken = staging._staged[target][1].result()  # the temporary file, written and synced
        assert taken is not None and taken.read_bytes() == data
        assert not target.exists()  # nothing is in place before write_files
        assert write_files({target: data}, staging) == [target]
        assert not taken.exists()  # renamed, not copied
    assert target.read_bytes() == data
    assert sorted(p.name for p in target.parent.iterdir()) == ["en.xml"]


def test_staged_bytes_that_are_not_the_ones_written_are_not_used(tmp_path: Path) -> None:
    from podfeed.publish.files import Staging

    target = tmp_path / "en.xml"
    with Staging() as staging:
        staging.stage(target, b"first render")
        write_files({target: b"what the build decided to write"}, staging)
    assert target.read_bytes() == b"what the build decided to write"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.xml"]


def test_a_build_that_stops_after_staging_leaves_no_trace(tmp_path: Path) -> None:
    from podfeed.publish.files import Staging

    existing = tmp_path / "feeds" / "edt" / "en.xml"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"published feed")
    fresh = tmp_path / "out" / "edt" / "de.xml"  # its folders do not exist yet
    with Staging() as staging:
        staging.stage(existing, b"new feed")
        staging.stage(fresh, b"new german feed")
        assert staging._staged[fresh][1].result() is not None
        # ... and then the guard refuses, or --strict finds an error: nothing is written.
    assert existing.read_bytes() == b"published feed"
    assert sorted(p.name for p in existing.parent.iterdir()) == ["en.xml"]
    assert not (tmp_path / "out").exists()  # the folders made for the staged file are gone


def test_staging_a_file_that_already_holds_the_bytes_writes_nothing(tmp_path: Path) -> None:
    from podfeed.publish.files import Staging

    target = tmp_path / "en.xml"
    target.write_bytes(b"same")
    os.utime(target, (1_000_000, 1_000_000))
    with Staging() as staging:
        staging.stage(target, b"same")
        assert staging._staged[target][1].result() is None
        assert write_files({target: b"same"}, staging) == []
    assert target.stat().st_mtime == 1_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.xml"]


def test_a_file_that_could_not_be_staged_is_written_and_its_error_reported_by_write_files(
    tmp_path: Path,
) -> None:
    from podfeed.publish.files import Staging

    blocker = tmp_path / "feeds"
    blocker.write_bytes(b"a file where the feeds folder should be")
    target = blocker / "en.xml"
    with Staging() as staging:
        staging.stage(target, b"feed")
        with pytest.raises(OSError):
            staging._staged[target][1].result()
        with pytest.raises(OSError):
            write_files({target: b"feed"}, staging)
    assert blocker.read_bytes() == b"a file where the feeds folder should be"


def test_staging_a_feed_removes_what_a_killed_build_left_for_it_long_ago(tmp_path: Path) -> None:
    import time

    from podfeed.publish.files import STALE_TEMPORARY_S, Staging

    target = tmp_path / "en.xml"
    old = time.time() - 2 * STALE_TEMPORARY_S
    stale = [tmp_path / ".en.xml.k1ll3d.tmp", tmp_path / ".en.xml.4242.bak"]
    for leftover in stale:
        leftover.write_bytes(b"half a feed")
        os.utime(leftover, (old, old))
    recent = tmp_path / ".en.xml.running.tmp"  # perhaps another run's, right now: kept
    recent.write_bytes(b"being written")
    other = tmp_path / ".de.xml.k1ll3d.tmp"  # another feed's: left for that feed's build
    other.write_bytes(b"half a feed")
    os.utime(other, (old, old))
    with Staging() as staging:
        staging.stage(target, b"feed")
        write_files({target: b"feed"}, staging)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".de.xml.k1ll3d.tmp",
        ".en.xml.running.tmp",
        "en.xml",
    ]


# --- Files another process wrote next to their target (render workers) -------------------------


def test_a_file_written_beside_its_target_is_adopted_synced_and_renamed_into_place(
    tmp_path: Path,
) -> None:
    from podfeed.publish.files import Staging, write_beside

    target = tmp_path / "feeds" / "edt" / "en.xml"
    data = b"<rss>rendered in a worker</rss>"
    with Staging() as staging:
        staging.prepare(target)  # the folder the worker writes into
        written = write_beside(target, data)  # (in the worker)
        assert written.parent == target.parent and written.name.startswith(".en.xml.")
        assert written.name.endswith(".tmp")
        assert not target.exists()
        staging.adopt(target, data, written)
        assert write_files({target: data}, staging) == [target]
        assert not written.exists()  # that very file was renamed into place
    assert target.read_bytes() == data
    assert sorted(p.name for p in target.parent.iterdir()) == ["en.xml"]


def test_a_file_written_beside_gets_the_mode_a_plain_write_would_give(tmp_path: Path) -> None:
    from podfeed.publish import files

    target = tmp_path / "en.xml"
    old = os.umask(0o022)
    files._umask.cache_clear()
    try:
        assert files.write_beside(target, b"feed").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
        files._umask.cache_clear()
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert files.write_beside(target, b"feed").stat().st_mode & 0o777 == 0o640


def test_an_adopted_file_for_a_target_that_holds_those_bytes_is_removed(tmp_path: Path) -> None:
    from podfeed.publish.files import Staging, write_beside

    target = tmp_path / "en.xml"
    target.write_bytes(b"same")
    os.utime(target, (1_000_000, 1_000_000))
    with Staging() as staging:
        staging.adopt(target, b"same", write_beside(target, b"same"))
        assert write_files({target: b"same"}, staging) == []
    assert target.stat().st_mtime == 1_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.xml"]


def test_a_build_that_stops_after_adopting_leaves_no_trace(tmp_path: Path) -> None:
    from podfeed.publish.files import Staging, write_beside

    fresh = tmp_path / "out" / "edt" / "de.xml"  # its folders do not exist yet
    with Staging() as staging:
        staging.prepare(fresh)
        staging.adopt(fresh, b"feed", write_beside(fresh, b"feed"))
        other = tmp_path / "out" / "edt" / "fr.xml"
        staging.prepare(other)  # its worker failed before writing anything
        # ... and then the guard refuses, or --strict finds an error: nothing is written.
    assert not (tmp_path / "out").exists()
