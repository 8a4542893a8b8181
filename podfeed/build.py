"""The build pipeline: episode files -> resolved media -> one feed per show and language -> disk.

Everything is computed in memory first; files are written only at the end, all together, so a
failed build (or ``--strict`` with problems, or ``--frozen`` with a changing lock) leaves every
feed and the lock on disk exactly as they were.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from podfeed.cache import CACHE_DIR, BuildCache, file_identity
from podfeed.config.model import Config, Show
from podfeed.episodes import Scan, load_episodes, parse_workers, scan_episode_files
from podfeed.errors import BuildError, ConfigError, GuardError, LockError
from podfeed.feed import FeedItem, newest_first
from podfeed.feed.batch import render_feeds
from podfeed.feed.render import FeedJob
from podfeed.feed.workers import warm_up
from podfeed.media.lock import Lock, dumps_lock, read_lock
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
from podfeed.problems import Level, Problem, error, info, strictify, worst
from podfeed.progress import NullProgress, Progress
from podfeed.publish import stamp
from podfeed.publish.diff import describe, diff_feeds
from podfeed.publish.files import Staging, exclusive, read_existing, write_files
from podfeed.publish.guard import GuardPolicy, guard
from podfeed.publish.stamp import (
    FeedRecord,
    Files,
    Stamp,
    expiry,
    output_records,
)
from podfeed.runtime import prestart_workers, release_workers, shared_workers
from podfeed.site_files import IMAGE_MISSING, missing_images

if TYPE_CHECKING:  # only for annotations: offline builds never import httpx (0.1 s)
    import httpx

    from podfeed.media.http import Http


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for on the command line."""

    offline: bool = False
    strict: bool = False
    frozen: bool = False
    refresh: bool = False
    dry_run: bool = False
    shows: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    output_dir: Path | None = None
    wait: float = 60.0  # seconds to wait for another build on the same site
    check: bool = False  # compare with the feeds on disk, write nothing
    allow_shrink: bool = False
    allow_guid_change: bool = False
    cache: bool = True  # reuse .podfeed-cache/ next to the config (never changes the output)
    # `podfeed preview`: nothing is written, so the guard only reports what it would refuse.
    preview: bool = False


@dataclass
class FeedOutput:
    """One feed: where it goes, what it holds, and whether the file on disk changed."""

    show: str
    lang: str
    path: Path
    data: bytes
    items: int
    warnings: int = 0
    changed: bool = False
    diff: list[str] = field(default_factory=list)  # human lines, filled for changed feeds
    withheld: bool = False  # never written: it would have no items (``feed-empty``)


@dataclass
class BuildResult:
    feeds: list[FeedOutput] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lock_changed: bool = False
    written: list[Path] = field(default_factory=list)
    requests: int = 0
    episodes: dict[tuple[str, str], int] = field(default_factory=dict)
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # episode file -> feed

    def problems_for(self, feed: FeedOutput) -> list[Problem]:
        """The problems about one feed: its own file and the episode files it is built from."""
        return [
            p
            for p in self.problems
            if p.file == str(feed.path) or self.owner.get(p.file or "") == (feed.show, feed.lang)
        ]

    @property
    def worst(self) -> Level | None:
        return worst(self.problems)


def select_shows(config: Config, show_ids: Sequence[str]) -> list[Show]:
    """The shows named with ``--show`` (all when none); an unknown id is a usage error."""
    if not show_ids:
        return list(config.shows)
    known = {s.id for s in config.shows}
    unknown = [s for s in show_ids if s not in known]
    if unknown:
        raise ConfigError(
            f"unknown show {', '.join(map(repr, unknown))}; configured: {', '.join(sorted(known))}"
        )
    return [s for s in config.shows if s.id in show_ids]


def feed_path(config: Config, show: Show, lang: str, output_dir: Path | None) -> Path:
    if output_dir is not None:
        return output_dir / show.id / f"{lang}.xml"
    return config.root / config.output.format(show=show.id, lang=lang)


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


# Episodes without Transistor audio still take part in YouTube checks: the resolver treats
# keys that are not share ids as "video only".
_VIDEO_ONLY = ""


def resolve_site(
    config: Config,
    *,
    shows: Sequence[str] = (),
    langs: Sequence[str] = (),
    offline: bool,
    refresh: bool = False,
    only: Collection[str] | None = None,
    client: httpx.Client | None = None,
    now: datetime,
    progress: Progress | None = None,
    cache: BuildCache | None = None,
    scans: dict[str, Scan] | None = None,
    save_episodes: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> SiteMedia:
    """Read every selected show's episodes and resolve their media (the lock chains through).

    ``cache`` skips episode files parsed by an earlier build (same content, same config); each
    show's part of it is saved as soon as its episodes are read, unless ``save_episodes`` is
    false (the caller saves it: see :meth:`BuildCache.save_episodes`). ``scans`` are the
    episode files already found per show id (found here otherwise). ``client`` and ``sleep``
    are the network's seams for tests (a loopback client, waits that do not wait).
    """
    progress = progress or NullProgress()
    selected = select_shows(config, shows)
    _check_langs(selected, langs)
    lock_before = read_lock(config.lock_path)
    site = SiteMedia(
        lock_before=lock_before,
        lock=lock_before,
        problems=list(config.problems),
        lock_existed=config.lock_path.exists(),
    )
    loaded: list[tuple[Show, list[str], list[Episode], dict[str, list[Episode]]]] = []
    for show in selected:
        show_langs = _select_langs(show, langs)
        progress.stage(f"reading {show.id} episodes")
        episodes, problems = load_episodes(
            show,
            cache=cache.episodes(show) if cache else None,
            scan=(scans or {}).get(show.id),
        )
        episode_cache = cache.episodes(show) if cache is not None else None
        if save_episodes and episode_cache is not None:
            # Written now rather than at the end: the texts of the episodes workers parsed
            # are then read back from the file, not held (peak memory of large builds).
            episode_cache.save()
        progress.advance(len(episodes))
        site.problems.extend(problems)
        site.problems.extend(missing_images(show, episodes))
        wanted: dict[str, list[Episode]] = defaultdict(list)
        for ep in episodes:
            site.owner[ep.source] = (show.id, ep.lang)
            if ep.lang in show_langs and (ep.transistor_id or ep.youtube_id):
                wanted[ep.transistor_id or _VIDEO_ONLY].append(ep)
        loaded.append((show, show_langs, episodes, wanted))
    progress.stage("resolving media", total=sum(len(wanted) for *_, wanted in loaded))

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

    if offline:
        resolutions = [one(show, wanted, None) for show, *_, wanted in loaded]
    else:
        # One session for the run (its concurrency and retry budget are the run's); the shows
        # are resolved at the same time, so a run without network fails once, not per show.
        with (
            open_session(config.http, client=client, sleep=sleep) as session,
            ThreadPoolExecutor(max(1, min(len(loaded), config.http.concurrency))) as pool,
        ):
            resolutions = list(pool.map(lambda part: one(part[0], part[3], session), loaded))
            site.requests = session.requests
    progress.advance(sum(len(wanted) for *_, wanted in loaded))
    site.lock = merge_locks(lock_before, [r.lock for r in resolutions])
    for (show, show_langs, episodes, wanted), resolution in zip(loaded, resolutions, strict=True):
        site.requests += resolution.requests
        site.resolution.extend(_placed(p, config) for p in resolution.problems)
        share_ids = [i for i in wanted if i != _VIDEO_ONLY]
        site.share_ids += len(share_ids)
        site.resolved += sum(1 for i in share_ids if i in resolution.media)
        missing = resolution.videos_missing
        kept = [replace(ep, youtube_id=None) if ep.youtube_id in missing else ep for ep in episodes]
        site.shows.append(ShowMedia(show, show_langs, kept, resolution.media))
    if site.share_ids and not site.resolved:
        site.resolution.append(_no_audio_at_all(config.lock_path, site, offline=offline))
    site.problems.extend(site.resolution)
    return site


def update_lock(
    config: Config,
    *,
    shows: Sequence[str] = (),
    refresh: bool = False,
    only: Collection[str] | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[SiteMedia, bool]:
    """`podfeed resolve`: refresh the lock from the network without building any feed.

    Returns what was resolved and whether the lock file changed. Resolving is this command's
    whole job: an episode whose audio could not be resolved, or a lock entry that could not be
    refreshed, is an error in ``SiteMedia.resolution`` (the lock keeps what it had).
    """
    with exclusive(run_lock_path(config)):
        return _update_lock(
            config, shows=shows, refresh=refresh, only=only, client=client, now=now, sleep=sleep
        )


def _update_lock(
    config: Config,
    *,
    shows: Sequence[str],
    refresh: bool,
    only: Collection[str] | None,
    client: httpx.Client | None,
    now: datetime | None,
    sleep: Callable[[float], None],
) -> tuple[SiteMedia, bool]:
    site = resolve_site(
        config,
        shows=shows,
        offline=False,
        refresh=refresh,
        only=only,
        client=client,
        now=now or datetime.now(UTC),
        sleep=sleep,
    )
    site.resolution = [
        p.with_level(Level.ERROR) if p.code in _RESOLVE_FAILURES else p for p in site.resolution
    ]
    text = dumps_lock(site.lock)
    if text == dumps_lock(site.lock_before):
        return site, False
    try:
        write_files({config.lock_path: text.encode("utf-8")})
    except OSError as exc:
        raise BuildError(f"could not write {config.lock_path}: {exc.strerror}") from exc
    return site, True


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


def run_lock_path(config: Config) -> Path:
    """The advisory lock file that serialises builds of one site (next to the config)."""
    return config.root / ".podfeed-run.lock"


def build(
    config: Config,
    options: BuildOptions,
    *,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> BuildResult:
    """Build every selected feed and write them (and the lock) unless the build must fail.

    A second build of the same site waits for the first (``options.wait`` seconds at most).

    :raises BuildError: ``--strict`` and problems were found; nothing was written.
    :raises LockError: the lock is corrupt, or would change under ``--frozen``.
    :raises ConfigError: ``--show``/``--lang`` name something the config does not have.
    :raises BusyError: another build held the site for longer than ``options.wait``.
    """
    with exclusive(run_lock_path(config), timeout=options.wait), shared_workers():
        return _build(
            config,
            options,
            client=client,
            now=now,
            progress=progress or NullProgress(),
            sleep=sleep,
        )


def _build(
    config: Config,
    options: BuildOptions,
    *,
    client: httpx.Client | None,
    now: datetime | None,
    progress: Progress,
    sleep: Callable[[float], None],
) -> BuildResult:
    now = now or datetime.now(UTC)
    cache = BuildCache.open(config.root / CACHE_DIR if options.cache else None)
    try:
        return _build_with(
            config, options, cache, client=client, now=now, progress=progress, sleep=sleep
        )
    finally:
        cache.save()


def _build_with(
    config: Config,
    options: BuildOptions,
    cache: BuildCache,
    *,
    client: httpx.Client | None,
    now: datetime,
    progress: Progress,
    sleep: Callable[[float], None],
) -> BuildResult:
    selected = select_shows(config, options.shows)
    _check_langs(selected, options.langs)
    started_ns = time.time_ns()  # before any episode file is looked at (see podfeed.publish.stamp)
    scans = {show.id: scan_episode_files(show) for show in selected}
    key = _stamp_key(config, options, cache)
    stored = stamp.load_stamp(cache.folder) if cache.folder is not None else None
    if key is not None and stored is not None and cache.folder is not None:
        files = [found for scan in scans.values() for found in scan.found()]
        unchanged = stamp.check_stamp(stored, key, files, now, started_ns)
        if unchanged is not None:
            return _replay(config, options, cache.folder, unchanged, progress)
    _prestart_parsing(selected, scans, cache)
    site = resolve_site(
        config,
        shows=options.shows,
        langs=options.langs,
        offline=options.offline,
        refresh=options.refresh,
        client=client,
        now=now,
        progress=progress,
        cache=cache,
        scans=scans,
        save_episodes=False,  # while the workers render (see render_feeds)
        sleep=sleep,
    )
    result = BuildResult(problems=site.problems, requests=site.requests)
    progress.stage("building feeds", total=sum(len(part.langs) for part in site.shows))
    jobs: list[FeedJob] = []
    empty: dict[Path, Problem] = {}  # feeds that would have no items, and why
    published = functools.cache(_media_for)  # one object per media and kind of feed
    for part in site.shows:
        by_lang: dict[str, list[Episode]] = defaultdict(list)  # one pass, not one per language
        for ep in part.episodes:
            by_lang[ep.lang].append(ep)
        for lang in part.langs:
            host_guids = part.show.reuses_host_guid(lang)
            items = newest_first(
                FeedItem(ep, published(part.media[ep.transistor_id], host_guids))
                for ep in by_lang[lang]
                if ep.transistor_id and ep.transistor_id in part.media
            )
            result.episodes[(part.show.id, lang)] = len(by_lang[lang])
            siblings = [other for other in part.show.languages if other != lang]
            path = feed_path(config, part.show, lang, options.output_dir)
            jobs.append(FeedJob(part.show, lang, items, siblings, path))
            if not items:
                empty[path] = _empty_feed(path, part.show, lang, by_lang[lang], site)
    with contextlib.ExitStack() as stack:
        # Each feed is written to a temporary file as soon as it is rendered, while the others
        # render; only _finish renames them into place (or leaving this block removes them).
        staging = None if options.check or options.dry_run else stack.enter_context(Staging())
        rendered = render_feeds(
            jobs,
            cache.feeds,
            now,
            progress,
            trusted=stamp.trusted_feeds(stored) if stored is not None else None,
            meanwhile=cache.save_episodes,
            staging=staging,
        )
        for job, feed in zip(jobs, rendered, strict=True):
            problems, data = feed.problems, feed.data
            if job.path in empty:
                # The validator's feed-empty says the same about the rendered file; build's own
                # names the show, the language and the cause, so that one is reported.
                problems = [p for p in problems if p.code != FEED_EMPTY]
                result.problems.extend(problems)
                result.problems.append(empty[job.path])
            else:
                result.problems.extend(problems)
            withheld = job.path in empty and empty[job.path].level is Level.ERROR
            result.feeds.append(
                FeedOutput(job.show.id, job.lang, job.path, data, len(job.items), withheld=withheld)
            )
        release_workers()  # every feed is rendered: they exit while the files are written
        progress.close()
        result.owner = site.owner
        reported = tuple(result.problems)  # what a replay reports (the guard only sees changes)
        # Equal locks have the same canonical text: skip encoding them (large on big shows).
        lock_text = None if site.lock == site.lock_before else dumps_lock(site.lock)
        result.lock_changed = lock_text is not None and lock_text != dumps_lock(site.lock_before)
        on_disk = {feed.path: feed.on_disk for feed in rendered if feed.read}
        kept = {feed.path for feed in rendered if feed.keeps_items}
        _finish(config, options, result, lock_text, on_disk, kept, staging)
    if (
        key is not None
        and cache.folder is not None
        and not (options.check or options.dry_run)
        and _stamp_key(config, options, cache) == key  # the lock did not change under the build
    ):
        digests = {feed.path: feed.digest for feed in rendered}
        recorded = _stamp(
            config, key, started_ns, scans, cache, site, jobs, result, reported, now, digests
        )
        if recorded is not None:
            stamp.save_stamp(cache.folder, recorded)
    return result


def _finish(
    config: Config,
    options: BuildOptions,
    result: BuildResult,
    lock_text: str | None,
    on_disk: dict[Path, bytes | None],
    kept: Collection[Path],
    staging: Staging | None = None,
) -> None:
    """The end of every build: ``--strict`` and ``--frozen``, the guard, then the write
    (taking the files ``staging`` already wrote)."""
    if options.strict:
        result.problems = strictify(result.problems)
    _count_warnings(result, result.owner)
    if options.frozen and result.lock_changed:
        raise LockError(
            f"{config.lock_path}: the lock would change (--frozen); "
            "run `podfeed resolve` and commit podfeed.lock",
            result.problems,
        )
    if options.strict and result.worst is Level.ERROR:
        raise BuildError(
            "the build has problems and --strict is on: no feed was written", result.problems
        )

    _compare_with_disk(config, options, result, on_disk, kept)
    if options.check or options.dry_run:
        return
    # Only what differs from the disk (just compared): unchanged feeds keep their mtime. A feed
    # without items is not written: directories refuse it, and the file on disk (if any) stays.
    files = {f.path: f.data for f in result.feeds if f.changed and not f.withheld}
    if result.lock_changed and lock_text is not None:
        files[config.lock_path] = lock_text.encode("utf-8")
    try:
        result.written = write_files(files, staging)
    except OSError as exc:
        hint = " (remove the folder, or change `output`)" if exc.errno == errno.EISDIR else ""
        raise BuildError(
            f"could not write {exc.filename or 'output'}: {exc.strerror}{hint}; nothing was written"
        ) from exc


# --- the build stamp (podfeed.publish.stamp): a no-change offline build replays the last result


def _prestart_parsing(shows: Sequence[Show], scans: dict[str, Scan], cache: BuildCache) -> None:
    """Start the parsing workers now when most of a large show's files are not in the cache
    (a first build): they start while the lock and the cache are read."""
    workers = 1
    for show in shows:
        episodes = cache.episodes(show)  # opened here rather than by load_episodes
        known = 0 if episodes is None else episodes.count()
        workers = max(workers, parse_workers(len(scans[show.id].names) - known))
    if workers > 1:
        prestart_workers(workers, warm_up)


def _stamp_key(config: Config, options: BuildOptions, cache: BuildCache) -> bytes | None:
    """The stamp key of this build, ``None`` when it must run in full: online builds (they ask
    Transistor), ``--refresh`` and ``--no-cache``.
    """
    if not options.offline or options.refresh or cache.folder is None:
        return None
    selection = (options.shows, options.langs, options.output_dir)
    return stamp.stamp_key(repr(config), selection, config.lock_path)


def _replay(
    config: Config,
    options: BuildOptions,
    folder: Path,
    unchanged: stamp.Unchanged,
    progress: Progress,
) -> BuildResult:
    """The result the stamp recorded, over the feeds on disk; ``--strict``, ``--frozen`` and
    ``--check`` apply to it as to any build."""
    previous = unchanged.stamp
    progress.stage("nothing changed since the last build")
    progress.close()
    result = BuildResult(
        feeds=[
            FeedOutput(f.show, f.lang, f.path, unchanged.feeds[f.path], f.items)
            for f in previous.feeds
        ],
        problems=list(previous.problems),
        episodes=dict(previous.episodes),
        owner=dict(previous.owner),
    )
    on_disk: dict[Path, bytes | None] = dict(unchanged.feeds)
    _finish(config, options, result, None, on_disk, set(on_disk))
    if unchanged.refreshed is not None and not (options.check or options.dry_run):
        stamp.save_stamp(folder, unchanged.refreshed)
    return result


def _stamp(
    config: Config,
    key: bytes,
    started_ns: int,
    scans: dict[str, Scan],
    cache: BuildCache,
    site: SiteMedia,
    jobs: Sequence[FeedJob],
    result: BuildResult,
    reported: tuple[Problem, ...],
    now: datetime,
    digests: dict[Path, bytes],
) -> Stamp | None:
    """The stamp of a build that just left every feed on disk as ``result`` holds it; ``None``
    when its result could not be replayed exactly (an item dated after ``now``, a file without a
    digest, the lock changed under the build). ``digests`` holds each feed's content digest.
    """
    if any(job.items and job.items[0].episode.date > now for job in jobs):
        return None  # `item-pubdate-future` depends on the clock
    if any(p.code == IMAGE_MISSING for p in reported):
        return None  # depends on image files the stamp does not watch
    sources: list[str] = []
    identities: list[int] = []
    contents: list[bytes] = []
    for show_id, scan in scans.items():
        episodes = cache.shows.get(show_id)
        if episodes is None:
            return None
        for source, found in scan.found():
            digest = episodes.digest(source)
            if digest is None:
                return None
            sources.append(source)
            identities.extend(file_identity(found))
            contents.append(digest)
    inputs = Files(tuple(sources), tuple(identities), tuple(contents), started_ns)
    outputs = output_records((f.path for f in result.feeds), digests)
    if outputs is None:
        return None
    expiries = [
        until
        for part in site.shows
        for share_id in part.media
        if (entry := site.lock.media.get(share_id)) is not None
        and (until := expiry(entry.checked, config.max_age, now)) is not None
    ]
    return Stamp(
        key=key,
        inputs=inputs,
        outputs=Files.of(outputs, time.time_ns()),
        valid_from=now,
        valid_until=min(expiries, default=None),
        feeds=tuple(FeedRecord(f.show, f.lang, f.path, f.items) for f in result.feeds),
        problems=reported,
        episodes=tuple(result.episodes.items()),
        owner=tuple(result.owner.items()),
    )


def _media_for(media: Media, host_guids: bool) -> Media:
    """The media as this feed publishes it: Transistor's guid only in the Transistor language.

    Translations share the English audio's share id; the English item's guid is not theirs
    (see :meth:`Show.reuses_host_guid`), so they keep the guid derived from their permalink.
    """
    return media if host_guids or media.guid is None else replace(media, guid=None)


def _compare_with_disk(
    config: Config,
    options: BuildOptions,
    result: BuildResult,
    on_disk: dict[Path, bytes | None] | None = None,
    kept: Collection[Path] = (),
) -> None:
    """Diff every new feed against the one on disk and apply the publishing guard.

    ``on_disk`` holds files already read during this build (read again otherwise); the guard
    is not asked about feeds in ``kept``, which hold every item of the file on disk.

    :raises GuardError: a feed would lose too many items or change an item's guid.
    """
    policy = GuardPolicy(
        max_drop_items=config.guard.max_drop_items,
        max_drop_share=config.guard.max_drop_share,
        allow_shrink=options.allow_shrink or config.guard.allow_shrink,
        allow_guid_change=options.allow_guid_change or config.guard.allow_guid_change,
    )
    refusals: list[Problem] = []
    known = on_disk or {}
    for f in result.feeds:
        old = known[f.path] if f.path in known else read_existing(f.path)
        f.changed = old != f.data
        if not f.changed:
            continue
        if options.check:
            f.diff = describe(diff_feeds(old, f.data))
            if old is None:  # every channel field is "new": say so once
                f.diff = ["+ new feed", *(x for x in f.diff if not x.startswith("~ channel"))]
        if f.path not in kept and not f.withheld:  # a withheld feed replaces nothing
            refusals.extend(guard(old, f.data, policy=policy, path=str(f.path)))
    result.problems.extend(p for p in refusals if p.level is not Level.ERROR)
    errors = [p for p in refusals if p.level is Level.ERROR]
    if errors and not (options.check or options.preview):
        raise GuardError(
            "the publishing guard refused to replace "
            + ", ".join(sorted({p.file or "?" for p in errors}))
            + "; no feed was written",
            [*result.problems, *errors],
        )
    result.problems.extend(errors)


def _select_langs(show: Show, langs: Sequence[str]) -> list[str]:
    return [lang for lang in show.languages if not langs or lang in langs]


def _check_langs(shows: Sequence[Show], langs: Sequence[str]) -> None:
    known = {lang for show in shows for lang in show.languages}
    unknown = [lang for lang in langs if lang not in known]
    if unknown:
        raise ConfigError(
            f"unknown language {', '.join(map(repr, unknown))}; configured: "
            f"{', '.join(sorted(known))}"
        )


LOCK_MISSING = "lock-missing"
LOCK_EMPTY = "lock-empty"
FEED_EMPTY = "feed-empty"


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


def empty_feed_problems(
    path: Path, part: ShowMedia, lang: str, episodes: Sequence[Episode], site: SiteMedia
) -> list[Problem]:
    """``feed-empty`` for a feed in which no episode of ``episodes`` has known audio (what
    `podfeed check` says of a feed a build would find empty); no problem otherwise."""
    if any(ep.transistor_id in part.media for ep in episodes if ep.transistor_id):
        return []
    return [_empty_feed(path, part.show, lang, episodes, site)]


def _empty_feed(
    path: Path, show: Show, lang: str, episodes: Sequence[Episode], site: SiteMedia
) -> Problem:
    """A feed that would have no items: an error (the feed is not written) unless the show
    allows it (``allow_empty``); the message names the cause, the group folds one show's feeds
    that are empty for the same cause into one line."""
    count = f"{len(episodes)} episode{'' if len(episodes) == 1 else 's'}"
    with_id = sum(1 for ep in episodes if ep.transistor_id)
    if not episodes:
        cause = f"no episode file of {show.id} is in '{lang}'"
        group_cause = "no episode file is in their language"
        hint = "add episode files in that language, or remove it from the show's `languages`"
    elif not with_id:
        cause = f"none of the {count} in '{lang}' has a Transistor include (no audio)"
        group_cause = "no episode has a Transistor include"
        hint = 'add {% include transistor.html id="<share id>" %} to the episodes'
    elif not site.lock_existed or not site.resolved:
        cause = f"the lock gives the audio of none of the {count} in '{lang}'"
        group_cause = "the lock gives no episode's audio"
        hint = "run `podfeed resolve` where Transistor is reachable, then commit podfeed.lock"
    else:
        cause = f"the audio of none of the {count} in '{lang}' is known (see audio-missing)"
        group_cause = "no episode's audio is known"
        hint = "check the Transistor ids of these episodes and run `podfeed resolve`"
    allowed = lang in show.allow_empty
    if allowed:
        return info(
            FEED_EMPTY,
            f"the feed has no items ({cause}); written because the show allows it (allow_empty)",
            str(path),
            group=f"feeds of {show.id} have no items (allow_empty): {group_cause}",
        )
    return error(
        FEED_EMPTY,
        f"the feed would have no items: {cause}; Apple Podcasts and other directories reject "
        "a feed without episodes, so it was not written",
        str(path),
        hint=f"{hint}; or, if the feed may stay empty, list its language under the show's "
        "`allow_empty`",
        group=f"feeds of {show.id} would have no items and were not written: {group_cause}",
    )


def _count_warnings(result: BuildResult, owner: dict[str, tuple[str, str]]) -> None:
    """A feed's warnings: problems about the feed file itself and about its episode files."""
    per_feed: dict[tuple[str, str], int] = defaultdict(int)
    feeds = {str(f.path): (f.show, f.lang) for f in result.feeds}
    for p in result.problems:
        if p.level < Level.WARNING:
            continue
        if p.file in owner:
            per_feed[owner[p.file]] += 1
        elif p.file in feeds:
            per_feed[feeds[p.file]] += 1
    for f in result.feeds:
        f.warnings = per_feed.get((f.show, f.lang), 0)
