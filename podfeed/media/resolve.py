"""Resolve every wanted Transistor share id (and YouTube video) to what the feed needs.

This is the one entry point the build calls. The rules (DESIGN §2a, §3):

- ``offline``: no request at all. Lock entries are used as they are, stale ones too, with one note
  counting the stale ones. An id the lock lacks is a problem for each episode that uses it.
- online: the show's Transistor feed is fetched once, conditionally (ETag / Last-Modified). What
  it lists replaces what changed; what is new or stale and not in the feed goes to the share page,
  embed page or oEmbed, then a HEAD for length and type, in parallel; then the API if configured.
- A network failure never drops an episode: entries the lock has are kept, with ONE warning saying
  how many could not be refreshed and why. Only an id with no entry at all is a problem, and only
  for the episodes that use it.
- Entries nobody asked for are kept: several shows share one lock.
- Fresh entries whose answer did not change keep their ``checked`` time, so an online build of an
  unchanged show leaves the lock byte for byte as it was (``--frozen`` stays usable).

The lock passed in is not modified; :class:`Resolution` carries a new one for the caller to write.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from podfeed.config.model import HttpConfig, Show
from podfeed.media.http import FetchError, Http
from podfeed.media.lock import SHARE_ID_RE, FeedState, Lock, LockEntry, VideoState
from podfeed.media.transistor import (
    API_KEY_ENV,
    FeedParseError,
    NotFoundError,
    RateLimiter,
    api_episodes,
    fetch_feed,
    find_audio_url,
    probe_audio,
)
from podfeed.media.youtube import VIDEO_ID_RE, check_video, watch_url
from podfeed.model import Episode, Media
from podfeed.problems import Level, Problem

if TYPE_CHECKING:  # only for annotations: offline builds never import httpx (0.1 s)
    import httpx

V = TypeVar("V")

__all__ = [
    "AUDIO_MISSING",
    "FEED_UNUSABLE",
    "LOCK_STALE",
    "MEDIA_UNREACHABLE",
    "VIDEO_MISSING",
    "YOUTUBE_UNREACHABLE",
    "Resolution",
    "merge_locks",
    "open_session",
    "resolve",
]

# Problem codes (stable, never reused).
AUDIO_MISSING = "audio-missing"
LOCK_STALE = "lock-stale"
MEDIA_UNREACHABLE = "media-unreachable"
FEED_UNUSABLE = "transistor-feed-unusable"
VIDEO_MISSING = "video-missing"
YOUTUBE_UNREACHABLE = "youtube-unreachable"


@dataclass
class Resolution:
    """What :func:`resolve` found. ``media`` has an entry for every wanted id the lock now knows."""

    lock: Lock
    media: dict[str, Media]
    problems: list[Problem]
    requests: int = 0
    stale_used: int = 0
    videos_missing: set[str] = field(default_factory=set)


@dataclass
class _Run:
    """State of one online resolution (kept out of the signatures of the small steps)."""

    show: Show
    wanted: Mapping[str, Sequence[Episode]]
    lock: Lock
    http: Http
    now: datetime
    max_age: int
    refresh: bool
    problems: list[Problem] = field(default_factory=list)
    confirmed: set[str] = field(default_factory=set)
    unrefreshed: dict[str, str] = field(default_factory=dict)  # share id -> why
    not_found: dict[str, str] = field(default_factory=dict)  # share id -> why (no entry case)
    causes: dict[str, str] = field(default_factory=dict)  # share id -> why, without the details
    offline_now: str | None = None  # set once the network is known to be down

    def needs(self, share_id: str) -> bool:
        """True when the id has no entry, or a stale one, or a refresh was asked for."""
        if share_id in self.confirmed:
            return False
        entry = self.lock.media.get(share_id)
        if entry is None or self.refresh:
            return True
        return entry.is_stale(now=self.now, max_age=self.max_age)

    def store(self, share_id: str, media: Media, source: str) -> None:
        """Record an answer; an unchanged, fresh entry keeps its checked time (no lock churn)."""
        old = self.lock.media.get(share_id)
        self.confirmed.add(share_id)
        self.unrefreshed.pop(share_id, None)
        self.not_found.pop(share_id, None)
        fresh = old is not None and not old.is_stale(now=self.now, max_age=self.max_age)
        if old is not None and old.media == media and fresh and not self.refresh:
            return
        self.lock.media[share_id] = LockEntry(media=media, source=source, checked=self.now)

    def failed(self, share_id: str, why: str, cause: str) -> None:
        """Record why an id could not be resolved; ``cause`` is the same text for every id
        that failed the same way (what folds their problems into one line)."""
        if share_id in self.lock.media:
            self.unrefreshed[share_id] = why
        else:
            self.not_found[share_id] = why
            self.causes[share_id] = cause


def resolve(
    show: Show,
    wanted: Mapping[str, Sequence[Episode]],
    lock: Lock,
    *,
    http: HttpConfig,
    max_age: int,
    offline: bool,
    refresh: bool = False,
    only: Collection[str] | None = None,
    client: httpx.Client | None = None,
    now: datetime,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    session: Http | None = None,
) -> Resolution:
    """Resolve the audio of every wanted share id, and check YouTube videos when configured.

    :param wanted: share id → the episodes using it (for messages naming the episode files).
        Keys that are not share ids (an episode without Transistor audio) only take part in the
        YouTube check.
    :param only: limit network work to these share ids / video ids; others come from the lock.
    :param refresh: re-resolve wanted entries even when fresh.
    :param env: environment (``TRANSISTOR_API_KEY``); ``os.environ`` when None.
    :param sleep: how to wait between retries (tests pass a recorder).
    :param session: the run's HTTP session, shared by the shows resolved at once (its limits
        and retry budget are the run's; see :func:`open_session`); one of its own otherwise,
        made from ``http``, ``client`` and ``sleep``. ``Resolution.requests`` counts only the
        requests of a session of its own.
    """
    new_lock = lock.copy()
    if offline:
        return _offline(show, wanted, new_lock, now=now, max_age=max_age)
    environment = os.environ if env is None else env
    key = environment.get(API_KEY_ENV, "")
    with contextlib.ExitStack() as stack:
        if session is None:
            session = stack.enter_context(
                open_session(http, client=client, sleep=sleep, env=environment)
            )
            owned = True
        else:
            owned = False
        run = _Run(show, wanted, new_lock, session, now, max_age, refresh)
        in_scope = [i for i in _share_ids(wanted) if only is None or i in only]
        if in_scope:
            _from_feed(run, in_scope)
            _from_pages(run, [i for i in in_scope if run.needs(i)])
            _from_api(run, [i for i in in_scope if i not in run.lock.media], key)
        videos_missing = _youtube(run, only)
        requests = session.requests if owned else 0
    return _finish(run, videos_missing, requests)


def open_session(
    http: HttpConfig,
    *,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    env: Mapping[str, str] | None = None,
) -> Http:
    """The HTTP session of one run: the API key (if any) is one of its secrets, never shown."""
    key = (os.environ if env is None else env).get(API_KEY_ENV, "")
    return Http(http, client=client, sleep=sleep, secrets=[key] if key else ())


# --- offline -------------------------------------------------------------------------------------


def _offline(
    show: Show, wanted: Mapping[str, Sequence[Episode]], lock: Lock, *, now: datetime, max_age: int
) -> Resolution:
    problems: list[Problem] = []
    media: dict[str, Media] = {}
    stale = 0
    for share_id in _share_ids(wanted):
        entry = lock.media.get(share_id)
        if entry is None:
            problems.extend(_missing(show, wanted[share_id], share_id, _OFFLINE, _OFFLINE))
            continue
        media[share_id] = entry.media
        stale += entry.is_stale(now=now, max_age=max_age)
    if stale:
        problems.append(_stale_note(show, stale))
    missing = set()
    if show.youtube.check:
        missing = {v for v in _video_ids(wanted) if (s := lock.youtube.get(v)) and not s.exists}
        problems.extend(_video_problems(wanted, missing))
    return Resolution(lock, media, problems, requests=0, stale_used=stale, videos_missing=missing)


def _stale_note(show: Show, count: int) -> Problem:
    noun = "entry is" if count == 1 else "entries are"
    return Problem(
        Level.INFO,
        LOCK_STALE,
        f"show {show.id}: {count} lock {noun} stale (no checked time or older than max_age) "
        "and used as is",
        hint="run `podfeed resolve` where Transistor is reachable to refresh them",
    )


# --- online steps --------------------------------------------------------------------------------


def _from_feed(run: _Run, in_scope: list[str]) -> None:
    """Step 1: the show feed, conditionally; read in full only when a 304 is not enough."""
    feed_url = run.show.transistor.feed_url
    if not feed_url:
        return
    state = run.lock.feeds.get(feed_url)
    conditional = state is not None and not run.refresh
    try:
        answer = fetch_feed(
            run.http,
            feed_url,
            etag=state.etag if state and conditional else None,
            last_modified=state.last_modified if state and conditional else None,
        )
        if answer.items is None:
            _confirm_feed_entries(run, in_scope)
            if any(run.needs(i) for i in in_scope):
                # Something is needed that an unchanged feed may still hold: read it in full.
                answer = fetch_feed(run.http, feed_url)
    except FetchError as exc:
        _feed_failed(run, in_scope, feed_url, exc.reason, transient=exc.transient)
        return
    except FeedParseError as exc:
        _feed_failed(run, in_scope, feed_url, exc.message, transient=False)
        return
    same = state is not None and (state.etag, state.last_modified) == (
        answer.etag,
        answer.last_modified,
    )
    if not (same and state and state.checked and run.now - state.checked <= _age(run.max_age)):
        # Unchanged validators keep their time, so an unchanged show leaves the lock alone.
        run.lock.feeds[feed_url] = FeedState(answer.etag, answer.last_modified, run.now)
    for share_id in in_scope:
        media = (answer.items or {}).get(share_id)
        if media is not None and media.url:
            run.store(share_id, media, "feed")


def _confirm_feed_entries(run: _Run, in_scope: list[str]) -> None:
    """304: entries taken from this feed are still what it says; stale ones get a new time."""
    for share_id in in_scope:
        entry = run.lock.media.get(share_id)
        if entry is not None and entry.source == "feed" and run.needs(share_id):
            run.store(share_id, entry.media, "feed")


def _feed_failed(
    run: _Run, in_scope: list[str], feed_url: str, reason: str, *, transient: bool
) -> None:
    if transient:
        # Transistor is unreachable: asking its share pages too would only multiply timeouts.
        run.offline_now = f"{feed_url}: {reason}"
        for share_id in in_scope:
            if run.needs(share_id):
                run.failed(share_id, run.offline_now, _UNREACHABLE)
        return
    run.problems.append(
        Problem(
            Level.WARNING,
            FEED_UNUSABLE,
            f"show {run.show.id}: its Transistor feed could not be used: {feed_url}: {reason}",
            hint="check the show's transistor.feed_url; podfeed asks the share pages instead",
        )
    )


def _from_pages(run: _Run, share_ids: list[str]) -> None:
    """Step 2: share page / embed page / oEmbed, then HEAD, for each id in parallel."""
    if not share_ids or run.offline_now:
        return
    base = run.show.transistor.share_url

    def one(share_id: str) -> Media | Exception:
        try:
            url = find_audio_url(run.http, base, share_id)
            length, kind = probe_audio(run.http, url)
        except (FetchError, NotFoundError) as exc:
            return exc
        old = run.lock.media.get(share_id)
        if old is not None and old.media.url == url:
            # The page knows nothing of duration, guid or transcripts: keep what we had.
            return replace(old.media, length=length, type=kind)
        return Media(url=url, length=length, type=kind)

    for share_id, result in zip(share_ids, run.http.map(one, share_ids), strict=True):
        if isinstance(result, Media):
            run.store(share_id, result, "share")
        elif isinstance(result, FetchError):
            cause = _UNREACHABLE if result.transient else "Transistor refused the request"
            run.failed(share_id, str(result.message), cause)
        else:
            run.failed(share_id, str(result), "Transistor's pages name no audio for the id")


def _from_api(run: _Run, share_ids: list[str], key: str) -> None:
    """Step 3: the Transistor API, only with a key in the environment and a show id in config."""
    show_id = run.show.transistor.show_id
    if not share_ids or not key or not show_id or run.offline_now:
        return
    limiter = RateLimiter(10, 10.0, sleep=run.http.sleep)
    try:
        urls = api_episodes(run.http, run.show.transistor.api_url, show_id, key, limiter=limiter)
    except FetchError as exc:
        for share_id in share_ids:
            run.failed(share_id, f"Transistor API: {exc.message}", "the Transistor API failed")
        return
    for share_id in share_ids:
        url = urls.get(share_id)
        if url is None:
            continue
        try:
            length, kind = probe_audio(run.http, url)
        except FetchError as exc:
            run.failed(share_id, exc.message, "the audio file did not answer")
            continue
        run.store(share_id, Media(url=url, length=length, type=kind), "api")


def _youtube(run: _Run, only: Collection[str] | None) -> set[str]:
    """Existence checks, once per video id; an unknown answer keeps the lock's previous one."""
    if not run.show.youtube.check:
        return set()
    videos = _video_ids(run.wanted)
    due = [
        v
        for v in videos
        if (only is None or v in only)
        and (run.refresh or _video_stale(run.lock.youtube.get(v), run.now, run.max_age))
    ]
    oembed = run.show.youtube.oembed_url

    def one(video_id: str) -> bool | FetchError:
        try:
            return check_video(run.http, oembed, video_id)
        except FetchError as exc:
            return exc

    failures: list[str] = []
    for video_id, result in zip(due, run.http.map(one, due), strict=True):
        if isinstance(result, FetchError):
            failures.append(result.message)
            continue
        old = run.lock.youtube.get(video_id)
        if (
            old is None
            or old.exists != result
            or run.refresh
            or _video_stale(old, run.now, run.max_age)
        ):
            run.lock.youtube[video_id] = VideoState(exists=result, checked=run.now)
    if failures:
        run.problems.append(
            Problem(
                Level.WARNING,
                YOUTUBE_UNREACHABLE,
                f"show {run.show.id}: {_count(len(failures), 'YouTube video')} could not be "
                f"checked ({failures[0]}); the lock's previous answers were used",
            )
        )
    missing = {v for v in videos if (s := run.lock.youtube.get(v)) and not s.exists}
    run.problems.extend(_video_problems(run.wanted, missing))
    return missing


def _age(seconds: int) -> timedelta:
    return timedelta(seconds=seconds)


def _video_stale(state: VideoState | None, now: datetime, max_age: int) -> bool:
    if state is None or state.checked is None:
        return True
    return (now - state.checked).total_seconds() > max_age


def _finish(run: _Run, videos_missing: set[str], requests: int) -> Resolution:
    problems = run.problems
    if run.unrefreshed:
        reasons = sorted(set(run.unrefreshed.values()))
        count = len(run.unrefreshed)
        entries = (
            "1 lock entry was not refreshed and is used as it is"
            if count == 1
            else f"{count} lock entries were not refreshed and are used as they are"
        )
        shown = "; ".join(reasons[:3]) + ("; ..." if len(reasons) > 3 else "")
        problems.append(
            Problem(
                Level.WARNING,
                MEDIA_UNREACHABLE,
                f"show {run.show.id}: {entries} ({shown})",
                hint="the build goes on with the lock; run again when Transistor is reachable",
            )
        )
    media: dict[str, Media] = {}
    stale = 0
    for share_id in _share_ids(run.wanted):
        entry = run.lock.media.get(share_id)
        if entry is None:
            why = run.not_found.get(share_id, "not resolved (not among the --only ids)")
            cause = run.causes.get(share_id, "not among the --only ids")
            problems.extend(_missing(run.show, run.wanted[share_id], share_id, why, cause))
            continue
        media[share_id] = entry.media
        stale += entry.is_stale(now=run.now, max_age=run.max_age)
    return Resolution(run.lock, media, problems, requests, stale, videos_missing)


# --- helpers -------------------------------------------------------------------------------------


def merge_locks(base: Lock, resolved: Sequence[Lock]) -> Lock:
    """``base`` with what each lock in ``resolved`` changed in it (later ones win).

    Shows resolved at the same time each start from ``base``; an entry a show did not touch is
    the very object ``base`` holds (entries are frozen), so only real answers are carried over.
    """
    merged = base.copy()
    for lock in resolved:
        _carry(merged.media, lock.media, base.media)
        _carry(merged.feeds, lock.feeds, base.feeds)
        _carry(merged.youtube, lock.youtube, base.youtube)
    return merged


def _carry(into: dict[str, V], changed: Mapping[str, V], base: Mapping[str, V]) -> None:
    for key, value in changed.items():
        if base.get(key) is not value:
            into[key] = value


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _share_ids(wanted: Mapping[str, Sequence[Episode]]) -> list[str]:
    return sorted(i for i in wanted if SHARE_ID_RE.match(i))


def _video_ids(wanted: Mapping[str, Sequence[Episode]]) -> list[str]:
    ids = {e.youtube_id for episodes in wanted.values() for e in episodes if e.youtube_id}
    return sorted(i for i in ids if VIDEO_ID_RE.match(i))


_UNREACHABLE = "Transistor could not be reached"
_OFFLINE = "the lock has no entry, and offline Transistor is not asked"
# What to do, by cause: the fix for a missing lock entry is not the fix for a network down.
_HINTS = {
    _OFFLINE: "run `podfeed resolve` where Transistor is reachable, then commit podfeed.lock",
    _UNREACHABLE: "check the network and Transistor's status, then run again; the lock keeps "
    "what it had",
}
_ID_HINT = "check the share id in the episode's transistor include"


def _missing(
    show: Show, episodes: Sequence[Episode], share_id: str, why: str, cause: str
) -> list[Problem]:
    """One problem per episode using ``share_id``; ``cause`` (no share id, no URL in it) is what
    the episodes of a show that failed the same way have in common."""
    level = Level.ERROR if show.missing_audio == "error" else Level.WARNING
    return [
        Problem(
            level,
            AUDIO_MISSING,
            f"no audio for Transistor share id {share_id} "
            f"({show.transistor.share_url.rstrip('/')}/s/{share_id}): {why}",
            file=episode.source,
            line=episode.transistor_line,
            hint=_HINTS.get(cause, _ID_HINT),
            group=f"episodes of {show.id} have no audio: {cause}",
        )
        for episode in episodes
    ]


def _video_problems(wanted: Mapping[str, Sequence[Episode]], missing: set[str]) -> list[Problem]:
    episodes = {e.source: e for group in wanted.values() for e in group}
    return [
        Problem(
            Level.WARNING,
            VIDEO_MISSING,
            f"YouTube says video {episode.youtube_id} does not exist or is private "
            f"({watch_url(episode.youtube_id)}); the link is left out",
            file=episode.source,
            hint="fix the video id or make the video public",
        )
        for episode in episodes.values()
        if episode.youtube_id in missing
    ]
