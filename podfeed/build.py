"""The build pipeline: episode files -> resolved media -> one feed per show and language -> disk.

Each stage is a package; this module strings them together, top to bottom:

1. read (:mod:`podfeed.site`): every selected show's episode files, parsed and checked;
2. resolve (:mod:`podfeed.media`): each episode's audio and video, from the lock or the network;
3. render and check (:mod:`podfeed.feed`, :mod:`podfeed.validate`): each feed's bytes, parsed
   back and checked as ``podfeed validate`` would;
4. publish (:mod:`podfeed.publish`): compared with the feeds on disk, guarded, written.

Everything is computed in memory first; files are written only at the end, all together, so a
failed build (or ``--strict`` with problems, or ``--frozen`` with a changing lock) leaves every
feed and the lock on disk exactly as they were. The build cache (:mod:`podfeed.cache`) lets a
rebuild redo only what changed, and the build stamp (:mod:`podfeed.publish.stamp`) lets an
offline build that finds everything as the last one left it give back that build's result.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from podfeed.cache import CACHE_DIR, BuildCache
from podfeed.config.model import Config, Show
from podfeed.media.lock import dumps_lock, read_lock
from podfeed.media.shows import ShowEpisodes, SiteMedia, resolve_shows, settle_lock
from podfeed.problems import BuildError, ConfigError, Level, LockError, strictify
from podfeed.progress import NullProgress, Progress
from podfeed.publish import stamp
from podfeed.publish.files import Staging, exclusive, write_outputs
from podfeed.publish.guard import GuardPolicy, compare_with_disk
from podfeed.publish.result import BuildResult, FeedOutput
from podfeed.runtime import prestart_workers, release_workers, shared_workers
from podfeed.site import Scan, load_episodes, missing_images, parse_workers, scan_episode_files

if TYPE_CHECKING:  # only for annotations: offline builds never import httpx (0.1 s)
    import httpx

__all__ = [
    "BuildOptions",
    "BuildResult",
    "FeedOutput",
    "SiteMedia",
    "build",
    "resolve_site",
    "run_lock_path",
    "select_shows",
    "update_lock",
]


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
    ``client`` and ``sleep`` are the network's seams for tests.

    :raises BuildError: ``--strict`` and problems were found; nothing was written.
    :raises LockError: the lock is corrupt, or would change under ``--frozen``.
    :raises ConfigError: ``--show``/``--lang`` name something the config does not have.
    :raises GuardError: the publishing guard refused to replace a feed; nothing was written.
    :raises BusyError: another build held the site for longer than ``options.wait``.
    """
    with exclusive(run_lock_path(config), timeout=options.wait), shared_workers():
        cache = BuildCache.open(config.root / CACHE_DIR if options.cache else None)
        try:
            return _build(
                config,
                options,
                cache,
                client=client,
                now=now or datetime.now(UTC),
                progress=progress or NullProgress(),
                sleep=sleep,
            )
        finally:
            cache.save()


def _build(
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

    # Nothing changed since the last offline build: give back its result.
    key = _stamp_key(config, options, cache)
    stored = stamp.load_stamp(cache.folder) if cache.folder is not None else None
    if key is not None and stored is not None:
        files = [found for scan in scans.values() for found in scan.found()]
        unchanged = stamp.check_stamp(stored, key, files, now, started_ns)
        if unchanged is not None:
            return _replay(config, options, cache, unchanged, progress)

    # A build the stamp replays never imports the renderer and the validator's rules (0.05 s).
    from podfeed.feed.batch import render_feeds
    from podfeed.feed.jobs import plan_feeds

    # 1-2. Read the episode files and resolve their media.
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

    # 3. Render and check every feed.
    plan = plan_feeds(config, site, options.output_dir)
    result = BuildResult(problems=site.problems, requests=site.requests, episodes=plan.episodes)
    progress.stage("building feeds", total=len(plan.jobs))
    with contextlib.ExitStack() as stack:
        # Each feed is written to a temporary file as soon as it is rendered, while the others
        # render; only _publish renames them into place (or leaving this block removes them).
        staging = None if options.check or options.dry_run else stack.enter_context(Staging())
        rendered = render_feeds(
            plan.jobs,
            cache.feeds,
            now,
            progress,
            trusted=stamp.trusted_feeds(stored) if stored is not None else None,
            meanwhile=cache.save_episodes,
            staging=staging,
        )
        for job, feed in zip(plan.jobs, rendered, strict=True):
            result.problems.extend(plan.problems(job, feed.problems))
            result.feeds.append(
                FeedOutput(
                    job.show.id,
                    job.lang,
                    job.path,
                    feed.data,
                    len(job.items),
                    withheld=plan.withheld(job),
                )
            )
        release_workers()  # every feed is rendered: they exit while the files are written
        progress.close()
        result.owner = site.owner
        reported = tuple(result.problems)  # what a replay reports (the guard only sees changes)
        # Equal locks have the same canonical text: skip encoding them (large on big shows).
        lock_text = None if site.lock == site.lock_before else dumps_lock(site.lock)
        if options.frozen and site.lock.answers() == site.lock_before.answers():
            # Only check times moved (a refresh found every entry unchanged): under --frozen
            # that is no change, and the committed lock stays as it is.
            lock_text = None
        result.lock_changed = lock_text is not None and lock_text != dumps_lock(site.lock_before)

        # 4. Publish: compare with the disk, guard, write.
        on_disk = {feed.path: feed.on_disk for feed in rendered if feed.read}
        kept = {feed.path for feed in rendered if feed.keeps_items}
        _publish(config, options, result, lock_text, on_disk, kept, staging)

    # The stamp that lets the next build, if nothing changes, give back this result.
    if (
        key is not None
        and cache.folder is not None
        and not (options.check or options.dry_run)
        and _stamp_key(config, options, cache) == key  # the lock did not change under the build
    ):
        recorded = stamp.record(
            key,
            result,
            reported,
            started_ns=started_ns,
            found={show_id: scan.found() for show_id, scan in scans.items()},
            episodes=cache.shows,
            digests={feed.path: feed.digest for feed in rendered},
            checked=site.checked(),
            max_age=config.max_age,
            now=now,
            clock_dependent=plan.dated_after(now),
        )
        if recorded is not None:
            stamp.save_stamp(cache.folder, recorded)
    return result


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

    :raises LockError: the lock is corrupt (before any episode file is read).
    """
    progress = progress or NullProgress()
    selected = select_shows(config, shows)
    _check_langs(selected, langs)
    lock_before = read_lock(config.lock_path)
    problems = list(config.problems)
    read: list[ShowEpisodes] = []
    for show in selected:
        progress.stage(f"reading {show.id} episodes")
        episode_cache = cache.episodes(show) if cache is not None else None
        scan = (scans or {}).get(show.id)
        episodes, found = load_episodes(show, cache=episode_cache, scan=scan)
        if save_episodes and episode_cache is not None:
            # Written now rather than at the end: the texts of the episodes workers parsed
            # are then read back from the file, not held (peak memory of large builds).
            episode_cache.save()
        progress.advance(len(episodes))
        problems.extend(found)
        problems.extend(missing_images(show, episodes))
        built = [lang for lang in show.languages if not langs or lang in langs]
        read.append(ShowEpisodes(show, built, episodes))
    return resolve_shows(
        config,
        read,
        lock_before,
        problems,
        offline=offline,
        refresh=refresh,
        only=only,
        client=client,
        now=now,
        progress=progress,
        sleep=sleep,
    )


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

    Returns what was resolved and whether the lock file changed (see
    :func:`~podfeed.media.shows.settle_lock`).
    """
    with exclusive(run_lock_path(config)):
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
        return site, settle_lock(site, config.lock_path)


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


def _check_langs(shows: Sequence[Show], langs: Sequence[str]) -> None:
    known = {lang for show in shows for lang in show.languages}
    unknown = [lang for lang in langs if lang not in known]
    if unknown:
        raise ConfigError(
            f"unknown language {', '.join(map(repr, unknown))}; configured: "
            f"{', '.join(sorted(known))}"
        )


def run_lock_path(config: Config) -> Path:
    """The advisory lock file that serialises builds of one site (next to the config)."""
    return config.root / ".podfeed-run.lock"


def _publish(
    config: Config,
    options: BuildOptions,
    result: BuildResult,
    lock_text: str | None,
    on_disk: dict[Path, bytes | None],
    kept: Collection[Path],
    staging: Staging | None = None,
) -> None:
    """The end of every build: ``--strict`` and ``--frozen``, the guard, then the write
    (taking the files ``staging`` already wrote). ``on_disk`` holds the feed files already
    read, ``kept`` the feeds known to hold every item of the file on disk."""
    if options.strict:
        result.problems = strictify(result.problems)
    result.count_warnings()
    if options.frozen and result.lock_changed:
        raise LockError(
            f"{config.lock_path}: what the lock records would change (--frozen): a new, changed "
            "or vanished entry; run `podfeed resolve` and commit podfeed.lock",
            result.problems,
        )
    if options.strict and result.worst is Level.ERROR:
        raise BuildError(
            "the build has problems and --strict is on: no feed was written", result.problems
        )
    policy = GuardPolicy.of(
        config.guard,
        allow_shrink=options.allow_shrink,
        allow_guid_change=options.allow_guid_change,
    )
    compare_with_disk(
        result,
        policy,
        on_disk=on_disk,
        kept=kept,
        describe_changes=options.check,
        refuse=not (options.check or options.preview),
    )
    if options.check or options.dry_run:
        return
    lock = (config.lock_path, lock_text) if result.lock_changed and lock_text is not None else None
    result.written = write_outputs(result.feeds, lock, staging)


# --- the build stamp (podfeed.publish.stamp) and the parsing workers ------------------------------


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
    cache: BuildCache,
    unchanged: stamp.Unchanged,
    progress: Progress,
) -> BuildResult:
    """The result the stamp recorded, over the feeds on disk; ``--strict``, ``--frozen`` and
    ``--check`` apply to it as to any build."""
    progress.stage("nothing changed since the last build")
    progress.close()
    result = stamp.replay(unchanged)
    on_disk: dict[Path, bytes | None] = dict(unchanged.feeds)
    _publish(config, options, result, None, on_disk, set(on_disk))
    writes = not (options.check or options.dry_run)
    if unchanged.refreshed is not None and cache.folder is not None and writes:
        stamp.save_stamp(cache.folder, unchanged.refreshed)
    return result


def _prestart_parsing(shows: Sequence[Show], scans: dict[str, Scan], cache: BuildCache) -> None:
    """Start the parsing workers now when most of a large show's files are not in the cache
    (a first build): they start while the lock and the cache are read."""
    workers = 1
    for show in shows:
        episodes = cache.episodes(show)  # opened here rather than by load_episodes
        known = 0 if episodes is None else episodes.count()
        workers = max(workers, parse_workers(len(scans[show.id].names) - known))
    if workers > 1:
        from podfeed.feed.workers import warm_up  # (imported here: see _build)

        prestart_workers(workers, warm_up)
