"""The lock file: canonical text, atomic unchanged-aware writes, and loud failures when corrupt."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from podfeed.media.lock import (
    FORMAT_VERSION,
    FeedState,
    Lock,
    LockEntry,
    VideoState,
    dumps_lock,
    read_lock,
    write_lock,
)
from podfeed.model import Media, Transcript
from podfeed.problems import LockError

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


def _entry(**changes: object) -> LockEntry:
    media = Media(
        url="https://media.transistor.fm/cea47899/5c4d2a1b.mp3",
        length=52_428_800,
        type="audio/mpeg",
        duration=1740,
        guid="2f6a3c1e-8d4b-4f7a-9c2e-1b3d5f7a9c0e",
        transcripts=(
            Transcript(
                url="https://share.transistor.fm/s/cea47899/transcription.vtt",
                type="text/vtt",
                language="en",
                rel="captions",
            ),
            Transcript(
                url="https://share.transistor.fm/s/cea47899/transcript.txt", type="text/plain"
            ),
        ),
    )
    fields: dict[str, object] = {"media": media, "source": "feed", "checked": NOW}
    fields.update(changes)
    return LockEntry(**fields)  # type: ignore[arg-type]


def _full_lock() -> Lock:
    return Lock(
        media={"cea47899": _entry(), "0a1b2c3d": _entry(checked=None, source="share")},
        feeds={
            "https://feeds.transistor.fm/edt": FeedState(
                etag='W/"abc"', last_modified="Mon, 23 Nov 2026 11:00:00 GMT", checked=NOW
            )
        },
        youtube={"ImbRcqDHYV0": VideoState(exists=True, checked=NOW)},
    )


def _write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _valid_document() -> dict[str, object]:
    return json.loads(dumps_lock(_full_lock()))  # type: ignore[no-any-return]


def test_a_missing_lock_file_is_an_empty_lock(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "podfeed.lock") == Lock()


def test_what_is_written_reads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    lock = _full_lock()
    assert write_lock(path, lock) is True
    assert read_lock(path) == lock


def test_the_text_is_canonical_sorted_indented_utf8_with_trailing_newline() -> None:
    lock = _full_lock()
    reordered = Lock(
        media=dict(reversed(list(lock.media.items()))), feeds=lock.feeds, youtube=lock.youtube
    )
    text = dumps_lock(lock)
    assert text == dumps_lock(reordered)
    assert text.endswith("}\n")
    assert text.startswith('{\n  "feeds": {')
    assert text.index('"0a1b2c3d"') < text.index('"cea47899"')
    assert json.loads(text)["version"] == FORMAT_VERSION


def test_non_ascii_text_is_written_as_utf8_not_escaped(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    entry = _entry(source="feed")
    lock = Lock(
        media={"cea47899": entry}, feeds={"https://feeds.example/ü": FeedState("é", None, None)}
    )
    write_lock(path, lock)
    assert "é" in path.read_text(encoding="utf-8")
    assert read_lock(path) == lock


def test_transcript_order_is_kept_because_the_feed_lists_them_in_that_order(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    write_lock(path, _full_lock())
    urls = [t.url for t in read_lock(path).media["cea47899"].media.transcripts]
    assert urls[0].endswith(".vtt") and urls[1].endswith(".txt")


def test_an_unchanged_lock_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    write_lock(path, _full_lock())
    os.utime(path, (1_000_000, 1_000_000))
    assert write_lock(path, _full_lock()) is False
    assert path.stat().st_mtime == 1_000_000
    assert [p.name for p in tmp_path.iterdir()] == ["podfeed.lock"]


def test_a_changed_lock_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    write_lock(path, _full_lock())
    changed = _full_lock()
    changed.youtube["ImbRcqDHYV0"] = VideoState(exists=False, checked=NOW)
    assert write_lock(path, changed) is True
    assert read_lock(path).youtube["ImbRcqDHYV0"].exists is False


def test_times_are_stored_in_utc_whole_seconds_with_z(tmp_path: Path) -> None:
    pacific = datetime(2026, 11, 23, 4, 0, 0, 999, tzinfo=ZoneInfo("America/Los_Angeles"))
    lock = Lock(media={"cea47899": _entry(checked=pacific)})
    assert '"checked": "2026-11-23T12:00:00Z"' in dumps_lock(lock)


def test_corrupt_json_names_file_line_and_remedy(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    path.write_text('{\n  "version": 1,\n  "media": {\n    "cea47899": {,\n', encoding="utf-8")
    with pytest.raises(LockError) as caught:
        read_lock(path)
    message = caught.value.message
    assert f"{path}:4:" in message
    assert "not valid JSON" in message
    assert "git checkout -- podfeed.lock" in message
    assert caught.value.exit_code == 2


def test_an_empty_file_is_corrupt_not_empty(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    path.write_text("", encoding="utf-8")
    with pytest.raises(LockError, match="not valid JSON"):
        read_lock(path)


def test_bytes_that_are_not_utf8_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "podfeed.lock"
    path.write_bytes(b'{\n  "version": 1,\n  "x": "\xff"\n}\n')
    with pytest.raises(LockError, match=r"podfeed\.lock:3: the lock file is not UTF-8"):
        read_lock(path)


def test_a_lock_from_a_newer_podfeed_asks_to_upgrade(tmp_path: Path) -> None:
    document = _valid_document()
    document["version"] = FORMAT_VERSION + 1
    path = _write_json(tmp_path / "podfeed.lock", document)
    with pytest.raises(LockError, match="upgrade podfeed") as caught:
        read_lock(path)
    assert str(path) in caught.value.message


@pytest.mark.parametrize("version", [None, "1", 0, 1.0, True])
def test_a_missing_or_odd_version_is_refused(tmp_path: Path, version: object) -> None:
    document = _valid_document()
    document["version"] = version
    with pytest.raises(LockError, match="version"):
        read_lock(_write_json(tmp_path / "podfeed.lock", document))


def test_the_top_level_must_be_an_object(tmp_path: Path) -> None:
    with pytest.raises(LockError, match="expected an object, got a list"):
        read_lock(_write_json(tmp_path / "podfeed.lock", []))


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "url",
            "ftp://media.transistor.fm/a.mp3",
            r"media\.cea47899\.url: expected an http\(s\) URL",
        ),
        ("url", None, r"media\.cea47899\.url"),
        ("length", -1, r"media\.cea47899\.length: expected a byte count"),
        ("length", "52428800", r"media\.cea47899\.length"),
        ("length", True, r"media\.cea47899\.length"),
        ("type", "", r"media\.cea47899\.type"),
        ("duration", "29:00", r"media\.cea47899\.duration"),
        ("guid", 7, r"media\.cea47899\.guid: expected text or null"),
        ("checked", "2026-11-23 12:00:00", r"media\.cea47899\.checked: .*no time zone"),
        ("checked", "yesterday", r"media\.cea47899\.checked"),
        ("transcripts", {}, r"media\.cea47899\.transcripts: expected a list"),
        ("transcripts", [{"url": "x", "type": "text/vtt"}], r"transcripts\[0\]\.url"),
        ("surprise", 1, r"media\.cea47899: unknown key\(s\) 'surprise'"),
    ],
)
def test_a_bad_media_entry_is_named_with_its_line(
    tmp_path: Path, field: str, value: object, expected: str
) -> None:
    document = _valid_document()
    document["media"]["cea47899"][field] = value  # type: ignore[index]
    path = _write_json(tmp_path / "podfeed.lock", document)
    line = path.read_text().splitlines().index('    "cea47899": {') + 1
    with pytest.raises(LockError, match=expected) as caught:
        read_lock(path)
    assert caught.value.message.startswith(f"{path}:{line}: ")


def test_a_share_id_must_be_eight_hex_characters(tmp_path: Path) -> None:
    document = _valid_document()
    document["media"]["not-an-id"] = document["media"].pop("cea47899")  # type: ignore[attr-defined]
    with pytest.raises(LockError, match=r"media\.not-an-id: a Transistor share id is 8 hex"):
        read_lock(_write_json(tmp_path / "podfeed.lock", document))


def test_a_bad_youtube_or_feed_state_is_refused(tmp_path: Path) -> None:
    document = _valid_document()
    document["youtube"]["ImbRcqDHYV0"]["exists"] = "yes"  # type: ignore[index]
    with pytest.raises(LockError, match=r"youtube\.ImbRcqDHYV0\.exists: expected true or false"):
        read_lock(_write_json(tmp_path / "a.lock", document))
    document = _valid_document()
    document["feeds"]["https://feeds.transistor.fm/edt"]["etag"] = 5  # type: ignore[index]
    with pytest.raises(LockError, match=r"feeds\.https://feeds\.transistor\.fm/edt\.etag"):
        read_lock(_write_json(tmp_path / "b.lock", document))


def test_an_unreadable_lock_is_an_error_not_an_empty_lock(tmp_path: Path) -> None:
    folder = tmp_path / "podfeed.lock"
    folder.mkdir()
    with pytest.raises(LockError, match="cannot read the lock file"):
        read_lock(folder)


def test_an_entry_without_checked_time_is_stale() -> None:
    assert _entry(checked=None).is_stale(now=NOW, max_age=10**9) is True


def test_an_entry_is_stale_only_once_older_than_max_age() -> None:
    entry = _entry(checked=NOW - timedelta(seconds=100))
    assert entry.is_stale(now=NOW, max_age=100) is False
    assert entry.is_stale(now=NOW, max_age=99) is True


def test_copy_gives_independent_dicts() -> None:
    lock = _full_lock()
    copy = lock.copy()
    copy.media.pop("cea47899")
    assert "cea47899" in lock.media


def test_the_bundled_example_lock_is_valid_and_stale(repo: Path) -> None:
    lock = read_lock(repo / "podfeed.lock")
    entry = lock.media["cea47899"]
    assert entry.media.url == "https://media.transistor.fm/cea47899.mp3"
    assert entry.media.type == "audio/mpeg"
    assert entry.media.length > 0
    assert entry.media.duration == 1740
    assert entry.source == "example"
    assert entry.is_stale(now=NOW, max_age=604800)
    assert (repo / "podfeed.lock").read_text(encoding="utf-8") == dumps_lock(lock)
