"""Atomic output: complete old or complete new files, never a mix, and no needless rewrites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from podfeed.fsutil import atomic_write, write_files


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
    from podfeed import fsutil

    old = os.umask(0o022)
    fsutil._umask.cache_clear()
    try:
        write_files({tmp_path / "feeds" / "en.xml": b"feed"})
    finally:
        os.umask(old)
        fsutil._umask.cache_clear()
    assert (tmp_path / "feeds" / "en.xml").stat().st_mode & 0o777 == 0o644


def test_a_replaced_file_keeps_its_own_permissions(tmp_path: Path) -> None:
    target = tmp_path / "en.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
