"""The media of every selected show at once: one session, the lock merged, one account of it.

In: each show's episodes as the site stage read them, and the lock as it was. Out: a
:class:`SiteMedia`: each show's episodes with the media they are published with, the lock after,
and what resolving found, placed on a file (the lock, or the configuration) so that CI can
annotate it; with one finding that explains every missing enclosure when the lock gave no
episode's audio at all (``lock-missing``, ``lock-empty``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from podfeed.config.model import Config, Show
from podfeed.media.lock import Lock, dumps_lock
from podfeed.media.resolve import (
    AUDIO_MISSING,
    LOCK_STALE,
    MEDIA_UNREACHABLE,
    Resolution,
    merge_locks,
    open_session,
    resolve,
)
from podfeed.model import Episode, Media
from podfeed.problems import BuildError, Level, Problem, error, warning
from podfeed.progress import Progress
from podfeed.publish.files import write_files

__all__ = [
    "LOCK_EMPTY",
    "LOCK_MISSING",
    "ShowEpisodes",
    "ShowMedia",
    "SiteMedia",
    "resolve_shows",
    "settle_lock",
]

if TYPE_CHECKING:  # annotations only: an offline build never imports httpx
    import httpx

    from podfeed.media.http import Http


LOCK_MISSING = "lock-missing"
LOCK_EMPTY = "lock-empty"


class ShowEpisodes(NamedTuple):
    """One show's episodes as read, and the languages whose feeds are built."""

    show: Show
    langs: list[str]
    episodes: list[Episode]


@dataclass
class ShowMedia:
    """One show's episodes (video links YouTube denies already removed) and their media."""

    show: Show
    langs: list[str]
    episodes: list[Episode]
    media: dict[str, Media]


@dataclass
class SiteMedia:
    """Everything resolved for the selected shows, and the lock before and after."""

    lock_before: Lock
    lock: Lock
    shows: list[ShowMedia] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # file -> (show, lang)
    lock_existed: bool = True
    share_ids: int = 0  # Transistor share ids the selected episodes use
    resolved: int = 0  # of those, how many have audio (from the lock or Transistor)
    # What resolution itself found (also in ``problems``): all `podfeed resolve` shows by default.
    resolution: list[Problem] = field(default_factory=list)

    def unused_ids(self, only: Collection[str]) -> list[Problem]:
        """``resolve --only`` ids no selected episode uses: a typo would otherwise resolve
        nothing, silently."""
        used = {
            media_id
            for show in self.shows
            for ep in show.episodes
            for media_id in (ep.transistor_id, ep.youtube_id)
            if media_id
        }
        return [
            warning(
                "resolve-unknown-id",
                f"--only {media_id}: no episode of the selected shows uses this id; nothing was "
                "resolved for it",
                hint="copy the id from the episode's transistor or youtube include",
            )
            for media_id in dict.fromkeys(only)
            if media_id not in used
        ]

    def checked(self) -> list[datetime | None]:
        """When each lock entry that gave the shows' media was last checked (``None``: never)."""
        entries = self.lock.media
        return [
            entry.checked
            for part in self.shows
            for share_id in part.media
            if (entry := entries.get(share_id)) is not None
        ]


# Episodes without Transistor audio still take part in YouTube checks: the resolver treats
# keys that are not share ids as "video only".
_VIDEO_ONLY = ""


def resolve_shows(
    config: Config,
    shows: list[ShowEpisodes],
    lock_before: Lock,
    problems: list[Problem],
    *,
    offline: bool,
    refresh: bool = False,
    only: Collection[str] | None = None,
    client: httpx.Client | None = None,
    now: datetime,
    progress: Progress,
    sleep: Callable[[float], None] = time.sleep,
) -> SiteMedia:
    """Resolve the media of every show's episodes in the languages built (the lock chains
    through); ``problems`` (what reading found) come first in the result's problems.

    ``client`` and ``sleep`` are the network's seams for tests (a loopback client, waits that
    do not wait).
    """
    site = SiteMedia(
        lock_before=lock_before,
        lock=lock_before,
        problems=problems,
        lock_existed=config.lock_path.exists(),
    )
    wanted_by_show: list[dict[str, list[Episode]]] = []
    for show, show_langs, episodes in shows:
        wanted: dict[str, list[Episode]] = defaultdict(list)
        for ep in episodes:
            site.owner[ep.source] = (show.id, ep.lang)
            if ep.lang in show_langs and (ep.transistor_id or ep.youtube_id):
                wanted[ep.transistor_id or _VIDEO_ONLY].append(ep)
        wanted_by_show.append(wanted)
    progress.stage("resolving media", total=sum(len(wanted) for wanted in wanted_by_show))

    def one(show: Show, wanted: dict[str, list[Episode]], session: Http | None) -> Resolution:
        return resolve(
            show,
            wanted,
            lock_before,
            http=config.http,
            max_age=config.max_age,
            offline=offline,
            refresh=refresh,
            only=only,
            now=now,
            session=session,
        )

    parts = list(zip([part.show for part in shows], wanted_by_show, strict=True))
    if offline:
        resolutions = [one(show, wanted, None) for show, wanted in parts]
    else:
        # One session for the run (its concurrency and retry budget are the run's); the shows
        # are resolved at the same time, so a run without network fails once, not per show.
        with (
            open_session(config.http, client=client, sleep=sleep) as session,
            ThreadPoolExecutor(max(1, min(len(parts), config.http.concurrency))) as pool,
        ):
            resolutions = list(pool.map(lambda part: one(part[0], part[1], session), parts))
            site.requests = session.requests
    progress.advance(sum(len(wanted) for wanted in wanted_by_show))
    site.lock = merge_locks(lock_before, [r.lock for r in resolutions])
    for part, wanted, resolution in zip(shows, wanted_by_show, resolutions, strict=True):
        site.requests += resolution.requests
        site.resolution.extend(_placed(p, config) for p in resolution.problems)
        share_ids = [i for i in wanted if i != _VIDEO_ONLY]
        site.share_ids += len(share_ids)
        site.resolved += sum(1 for i in share_ids if i in resolution.media)
        missing = resolution.videos_missing
        kept = [
            replace(ep, youtube_id=None) if ep.youtube_id in missing else ep for ep in part.episodes
        ]
        site.shows.append(ShowMedia(part.show, part.langs, kept, resolution.media))
    if site.share_ids and not site.resolved:
        site.resolution.append(_no_audio_at_all(config.lock_path, site, offline=offline))
    site.problems.extend(site.resolution)
    return site


def settle_lock(site: SiteMedia, path: Path) -> bool:
    """The end of `podfeed resolve`, whose whole job resolving is: an episode whose audio could
    not be resolved, or a lock entry that could not be refreshed, is an error in
    ``site.resolution`` (the lock keeps what it had); the lock is written to ``path`` when it
    changed. Returns whether it did.

    :raises BuildError: the lock could not be written.
    """
    site.resolution = [
        p.with_level(Level.ERROR) if p.code in _RESOLVE_FAILURES else p for p in site.resolution
    ]
    text = dumps_lock(site.lock)
    if text == dumps_lock(site.lock_before):
        return False
    try:
        write_files({path: text.encode("utf-8")})
    except OSError as exc:
        raise BuildError(f"could not write {path}: {exc.strerror}") from exc
    return True


_RESOLVE_FAILURES = frozenset({AUDIO_MISSING, MEDIA_UNREACHABLE})
_ABOUT_THE_LOCK = frozenset({LOCK_STALE, MEDIA_UNREACHABLE})


def _placed(problem: Problem, config: Config) -> Problem:
    """A show's finding about no episode in particular names a file all the same (the lock for
    its entries, the configuration for its Transistor and YouTube settings), so that CI can
    annotate it and text output groups it with its file."""
    if problem.file is not None:
        return problem
    file = config.lock_path if problem.code in _ABOUT_THE_LOCK else config.path
    return replace(problem, file=str(file))


def _no_audio_at_all(path: Path, site: SiteMedia, *, offline: bool) -> Problem:
    """The one finding that explains every missing enclosure: the lock gave no episode audio
    (it does not exist, is empty, or knows none of the share ids) and Transistor was not asked
    (``--offline``) or gave none. Shown first; the per-episode findings fold below it."""
    ids = f"{site.share_ids} Transistor share id{'' if site.share_ids == 1 else 's'}"
    if not site.lock_existed:
        code, state = LOCK_MISSING, f"{path} does not exist"
    elif not site.lock_before.media:
        code, state = LOCK_EMPTY, f"{path} has no entries"
    else:
        code, state = LOCK_EMPTY, f"{path} has no entry for any of the {ids} the episodes use"
    if offline:
        return error(
            code,
            f"{state}: offline, every episode's audio comes from it, so no feed can have items",
            str(path),
            hint="run `podfeed resolve` where Transistor is reachable (it records every "
            "episode's audio in the lock), then commit podfeed.lock; `build --offline` uses it "
            "from then on",
            root=True,
        )
    return error(
        code,
        f"{state}, and Transistor gave the audio of none of the {ids} (see audio-missing)",
        str(path),
        hint="check the network and Transistor's status (and each show's transistor.feed_url), "
        "then run again",
        root=True,
    )
