"""The lock file: what podfeed resolved for each Transistor share id, committed next to config.yaml.

Why a lock: build machines often have no internet, and Transistor's answers change rarely. The lock
lets ``build`` ask the network only for what is new or stale, lets ``--offline`` work at all and
lets ``--frozen`` prove in CI that nothing changed. Its text is canonical (sorted keys, two-space
indent, UTF-8, trailing newline) so that a diff shows exactly which entry changed.

Example::

    {
      "feeds": {"https://feeds.transistor.fm/x": {"checked": "2026-11-23T12:00:00Z",
                                                  "etag": "\\"abc\\"", "last_modified": null}},
      "media": {"cea47899": {"checked": null, "duration": 1740, "guid": null, "length": 41943040,
                             "source": "example", "transcripts": [], "type": "audio/mpeg",
                             "url": "https://media.transistor.fm/cea47899.mp3"}},
      "version": 1,
      "youtube": {"ImbRcqDHYV0": {"checked": "2026-11-23T12:00:00Z", "exists": true}}
    }

A corrupt lock is never thrown away: :func:`read_lock` raises :class:`LockError` naming the file,
the line and the remedy, because silently starting from an empty lock would make an offline build
drop every episode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from podfeed.model import Media, Transcript
from podfeed.problems import LockError
from podfeed.publish.files import atomic_write

__all__ = [
    "FORMAT_VERSION",
    "FeedState",
    "Lock",
    "LockEntry",
    "VideoState",
    "dumps_lock",
    "format_time",
    "parse_time",
    "read_lock",
    "write_lock",
]

FORMAT_VERSION = 1

SHARE_ID_RE = re.compile(r"^[0-9a-fA-F]{8}$")
VIDEO_ID_RE = re.compile(r"^[A-Za-z0-9_-]{11}$")

_REMEDY = (
    "restore it from version control (git checkout -- {name}) or fix the entry by hand; "
    "podfeed never discards a lock file silently"
)


@dataclass(frozen=True)
class LockEntry:
    """What was resolved for one share id, where it came from and when it was last confirmed.

    ``source`` names the resolver (``feed``, ``share``, ``api``, ``example``...). ``checked`` is
    None when nobody confirmed the entry against Transistor (the bundled example), which makes
    it stale by definition.
    """

    media: Media
    source: str
    checked: datetime | None

    def is_stale(self, *, now: datetime, max_age: int) -> bool:
        """True when the entry has no checked time or was checked more than ``max_age`` s ago."""
        if self.checked is None:
            return True
        return now - self.checked > timedelta(seconds=max_age)


@dataclass(frozen=True)
class FeedState:
    """HTTP validators of the show's Transistor feed, for the next conditional request."""

    etag: str | None
    last_modified: str | None
    checked: datetime | None


@dataclass(frozen=True)
class VideoState:
    """The last answer of the YouTube existence check for one video id."""

    exists: bool
    checked: datetime | None


@dataclass
class Lock:
    """The whole lock file in memory. Shared by every show, so nobody drops foreign entries."""

    media: dict[str, LockEntry] = field(default_factory=dict)
    feeds: dict[str, FeedState] = field(default_factory=dict)
    youtube: dict[str, VideoState] = field(default_factory=dict)

    def copy(self) -> Lock:
        """A new lock with new dicts; the entries are frozen, so sharing them is safe."""
        return Lock(media=dict(self.media), feeds=dict(self.feeds), youtube=dict(self.youtube))

    def answers(self) -> tuple[object, ...]:
        """What the lock says, without when it was last confirmed: two locks with equal answers
        differ at most in ``checked`` times (a refresh that found everything unchanged).

        ``build --frozen`` fails only when the answers would change: a weekly refresh of
        unchanged entries must not fail CI until someone commits new check times.
        """
        return (
            {key: (entry.media, entry.source) for key, entry in self.media.items()},
            {url: (state.etag, state.last_modified) for url, state in self.feeds.items()},
            {video: state.exists for video, state in self.youtube.items()},
        )


# --- time stamps ---------------------------------------------------------------------------------


def format_time(moment: datetime | None) -> str | None:
    """UTC, whole seconds, ``Z`` suffix: the one spelling the lock uses (stable diffs).

    >>> from datetime import timezone, timedelta
    >>> format_time(datetime(2026, 11, 23, 4, 0, 0, 123, tzinfo=timezone(timedelta(hours=-8))))
    '2026-11-23T12:00:00Z'
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("lock times must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time with a zone (``Z`` or offset); a time without a zone is refused.

    >>> parse_time("2026-11-23T12:00:00Z").isoformat()
    '2026-11-23T12:00:00+00:00'
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no time zone (write it in UTC with a trailing Z)")
    return moment.astimezone(UTC)


# --- writing -------------------------------------------------------------------------------------


def _transcript_json(transcript: Transcript) -> dict[str, Any]:
    return {
        "url": transcript.url,
        "type": transcript.type,
        "language": transcript.language,
        "rel": transcript.rel,
    }


def _entry_json(entry: LockEntry) -> dict[str, Any]:
    media = entry.media
    return {
        "url": media.url,
        "length": media.length,
        "type": media.type,
        "duration": media.duration,
        "guid": media.guid,
        # Transcript order is kept: it is the order the feed lists them in.
        "transcripts": [_transcript_json(t) for t in media.transcripts],
        "source": entry.source,
        "checked": format_time(entry.checked),
    }


def dumps_lock(lock: Lock) -> str:
    """The canonical text of ``lock``: same lock, same bytes, keys sorted, trailing newline."""
    document = {
        "version": FORMAT_VERSION,
        "feeds": {
            url: {
                "etag": state.etag,
                "last_modified": state.last_modified,
                "checked": format_time(state.checked),
            }
            for url, state in lock.feeds.items()
        },
        "media": {share_id: _entry_json(entry) for share_id, entry in lock.media.items()},
        "youtube": {
            video_id: {"exists": state.exists, "checked": format_time(state.checked)}
            for video_id, state in lock.youtube.items()
        },
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_lock(path: Path, lock: Lock) -> bool:
    """Write ``lock`` atomically. Returns False, leaving the file untouched, when nothing changed.

    :raises OSError: when the file cannot be written (the old file is kept then).
    """
    return atomic_write(path, dumps_lock(lock).encode("utf-8"))


# --- reading -------------------------------------------------------------------------------------


class _ShapeError(ValueError):
    """A lock value has the wrong shape; ``where`` is its JSON path, ``key`` finds its line."""

    def __init__(
        self, where: str, message: str, key: str | None = None, remedy: str | None = None
    ) -> None:
        super().__init__(message)
        self.where = where
        self.key = key
        self.remedy = remedy


def read_lock(path: Path) -> Lock:
    """Read the lock file; a missing file is an empty lock (the first build creates it).

    :raises LockError: the file cannot be read, is not valid JSON, has the wrong shape or was
        written by a newer podfeed. The message names the file, the line and what to do.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Lock()
    except OSError as exc:
        raise LockError(f"{path}: cannot read the lock file: {exc.strerror or exc}") from exc
    remedy = _REMEDY.format(name=path.name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LockError(f"{path}:{line}: the lock file is not UTF-8 text; {remedy}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LockError(
            f"{path}:{exc.lineno}: the lock file is not valid JSON "
            f"({exc.msg}, column {exc.colno}); {remedy}"
        ) from exc
    try:
        return _lock_from_json(document)
    except _ShapeError as exc:
        found = _line_of(text, exc.key)
        where = f"{path}:{found}" if found else str(path)
        raise LockError(f"{where}: {exc.where}: {exc}; {exc.remedy or remedy}") from exc


def _line_of(text: str, key: str | None) -> int | None:
    """Best-effort line of the first ``"key":`` in the text, to point the user at the entry."""
    if not key:
        return None
    needle = json.dumps(key, ensure_ascii=False) + ":"
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1


def _lock_from_json(document: object) -> Lock:
    top = _object(document, "the lock file", None)
    _only_keys(top, {"version", "feeds", "media", "youtube"}, "the lock file", None)
    version = top.get("version")
    if type(version) is not int or version < 1:
        raise _ShapeError(
            "version", f"expected a format version number, got {version!r}", "version"
        )
    if version > FORMAT_VERSION:
        raise _ShapeError(
            "version",
            f"format version {version} is newer than this podfeed reads ({FORMAT_VERSION})",
            "version",
            remedy="upgrade podfeed: the file was written by a newer release",
        )
    media = {
        share_id: _media_entry(value, share_id)
        for share_id, value in _object(top.get("media", {}), "media", "media").items()
    }
    feeds = {
        url: _feed_state(value, url)
        for url, value in _object(top.get("feeds", {}), "feeds", "feeds").items()
    }
    youtube = {
        video_id: _video_state(value, video_id)
        for video_id, value in _object(top.get("youtube", {}), "youtube", "youtube").items()
    }
    return Lock(media=media, feeds=feeds, youtube=youtube)


def _object(value: object, where: str, key: str | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _ShapeError(where, f"expected an object, got {_kind(value)}", key)
    return value


def _only_keys(value: Mapping[str, Any], allowed: set[str], where: str, key: str | None) -> None:
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _ShapeError(where, f"unknown key(s) {', '.join(map(repr, unknown))}", key)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _media_entry(value: object, share_id: str) -> LockEntry:
    where = f"media.{share_id}"
    if not SHARE_ID_RE.match(share_id):
        raise _ShapeError(where, "a Transistor share id is 8 hexadecimal characters", share_id)
    entry = _object(value, where, share_id)
    allowed = {"url", "length", "type", "duration", "guid", "transcripts", "source", "checked"}
    _only_keys(entry, allowed, where, share_id)
    url = _http_url(entry.get("url"), f"{where}.url", share_id)
    length = entry.get("length")
    if type(length) is not int or length < 0:
        raise _ShapeError(f"{where}.length", f"expected a byte count ≥ 0, got {length!r}", share_id)
    media_type = _text(entry.get("type"), f"{where}.type", share_id)
    duration = entry.get("duration")
    if duration is not None and (type(duration) is not int or duration < 0):
        raise _ShapeError(
            f"{where}.duration", f"expected whole seconds ≥ 0 or null, got {duration!r}", share_id
        )
    guid = entry.get("guid")
    if guid is not None and not isinstance(guid, str):
        raise _ShapeError(f"{where}.guid", f"expected text or null, got {_kind(guid)}", share_id)
    transcripts = _transcripts(entry.get("transcripts", []), f"{where}.transcripts", share_id)
    media = Media(
        url=url,
        length=length,
        type=media_type,
        duration=duration,
        guid=guid,
        transcripts=transcripts,
    )
    source = _text(entry.get("source", "unknown"), f"{where}.source", share_id)
    checked = _checked(entry.get("checked"), f"{where}.checked", share_id)
    return LockEntry(media=media, source=source, checked=checked)


def _transcripts(value: object, where: str, key: str) -> tuple[Transcript, ...]:
    if not isinstance(value, list):
        raise _ShapeError(where, f"expected a list, got {_kind(value)}", key)
    result = []
    for index, item in enumerate(value):
        here = f"{where}[{index}]"
        obj = _object(item, here, key)
        _only_keys(obj, {"url", "type", "language", "rel"}, here, key)
        result.append(
            Transcript(
                url=_http_url(obj.get("url"), f"{here}.url", key),
                type=_text(obj.get("type"), f"{here}.type", key),
                language=_optional_text(obj.get("language"), f"{here}.language", key),
                rel=_optional_text(obj.get("rel"), f"{here}.rel", key),
            )
        )
    return tuple(result)


def _feed_state(value: object, url: str) -> FeedState:
    where = f"feeds.{url}"
    _http_url(url, where, url)
    state = _object(value, where, url)
    _only_keys(state, {"etag", "last_modified", "checked"}, where, url)
    return FeedState(
        etag=_optional_text(state.get("etag"), f"{where}.etag", url),
        last_modified=_optional_text(state.get("last_modified"), f"{where}.last_modified", url),
        checked=_checked(state.get("checked"), f"{where}.checked", url),
    )


def _video_state(value: object, video_id: str) -> VideoState:
    where = f"youtube.{video_id}"
    if not VIDEO_ID_RE.match(video_id):
        raise _ShapeError(where, "a YouTube video id is 11 characters of A-Z a-z 0-9 _ -", video_id)
    state = _object(value, where, video_id)
    _only_keys(state, {"exists", "checked"}, where, video_id)
    exists = state.get("exists")
    if not isinstance(exists, bool):
        raise _ShapeError(f"{where}.exists", f"expected true or false, got {exists!r}", video_id)
    return VideoState(
        exists=exists, checked=_checked(state.get("checked"), f"{where}.checked", video_id)
    )


def _text(value: object, where: str, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise _ShapeError(where, f"expected non-empty text, got {value!r}", key)
    return value


def _optional_text(value: object, where: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _ShapeError(where, f"expected text or null, got {_kind(value)}", key)
    return value


def _http_url(value: object, where: str, key: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/?#]+", value):
        raise _ShapeError(where, f"expected an http(s) URL, got {value!r}", key)
    return value


def _checked(value: object, where: str, key: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _ShapeError(
            where, f"expected a time like 2026-11-23T12:00:00Z or null, got {value!r}", key
        )
    try:
        return parse_time(value)
    except ValueError as exc:
        raise _ShapeError(where, f"not a time like 2026-11-23T12:00:00Z: {exc}", key) from exc
