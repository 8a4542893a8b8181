"""The build pipeline: episode files -> resolved media -> one feed per show and language -> disk.

Everything is computed in memory first; files are written only at the end, all together, so a
failed build (or ``--strict`` with problems, or ``--frozen`` with a changing lock) leaves every
feed and the lock on disk exactly as they were.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import multiprocessing
import os
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx

from podfeed.cache import CACHE_DIR, BuildCache, CachedFeed, CachedItem, content_digest
from podfeed.config_model import Config, Show
from podfeed.episodes import load_episodes
from podfeed.errors import BuildError, ConfigError, GuardError, LockError
from podfeed.feed import FeedItem, FeedParts, newest_first, render_feed, render_parts, split_feed
from podfeed.feeddiff import GuardPolicy, describe, diff_feeds, guard
from podfeed.fsutil import exclusive, write_files
from podfeed.media.lock import Lock, dumps_lock, read_lock
from podfeed.media.resolve import resolve
from podfeed.model import Episode, Media
from podfeed.problems import Level, Problem, sort_problems, strictify, worst
from podfeed.progress import NullProgress, Progress
from podfeed.runtime import tune_for_batch
from podfeed.validate import RULES, validate_bytes
from podfeed.validate.rules import CHECKS
from podfeed.validate.rules.dates import FUTURE


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
) -> SiteMedia:
    """Read every selected show's episodes and resolve their media (the lock chains through).

    ``cache`` skips episode files parsed by an earlier build (same content, same config).
    """
    progress = progress or NullProgress()
    selected = select_shows(config, shows)
    _check_langs(selected, langs)
    lock_before = read_lock(config.lock_path)
    site = SiteMedia(lock_before=lock_before, lock=lock_before, problems=list(config.problems))
    for show in selected:
        show_langs = _select_langs(show, langs)
        progress.stage(f"reading {show.id} episodes")
        episodes, problems = load_episodes(show, cache=cache.episodes(show) if cache else None)
        progress.advance(len(episodes))
        site.problems.extend(problems)
        wanted: dict[str, list[Episode]] = defaultdict(list)
        for ep in episodes:
            site.owner[ep.source] = (show.id, ep.lang)
            if ep.lang in show_langs and (ep.transistor_id or ep.youtube_id):
                wanted[ep.transistor_id or _VIDEO_ONLY].append(ep)
        progress.stage(f"resolving {show.id} media", total=len(wanted))
        resolution = resolve(
            show,
            wanted,
            site.lock,
            http=config.http,
            max_age=config.max_age,
            offline=offline,
            refresh=refresh,
            only=only,
            client=client,
            now=now,
        )
        progress.advance(len(wanted))
        site.lock = resolution.lock
        site.requests += resolution.requests
        site.problems.extend(resolution.problems)
        missing = resolution.videos_missing
        kept = [replace(ep, youtube_id=None) if ep.youtube_id in missing else ep for ep in episodes]
        site.shows.append(ShowMedia(show, show_langs, kept, resolution.media))
    return site


def update_lock(
    config: Config,
    *,
    shows: Sequence[str] = (),
    refresh: bool = False,
    only: Collection[str] | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> tuple[SiteMedia, bool]:
    """`podfeed resolve`: refresh the lock from the network without building any feed.

    Returns what was resolved and whether the lock file changed.
    """
    with exclusive(run_lock_path(config)):
        return _update_lock(config, shows=shows, refresh=refresh, only=only, client=client, now=now)


def _update_lock(
    config: Config,
    *,
    shows: Sequence[str],
    refresh: bool,
    only: Collection[str] | None,
    client: httpx.Client | None,
    now: datetime | None,
) -> tuple[SiteMedia, bool]:
    site = resolve_site(
        config,
        shows=shows,
        offline=False,
        refresh=refresh,
        only=only,
        client=client,
        now=now or datetime.now(UTC),
    )
    text = dumps_lock(site.lock)
    if text == dumps_lock(site.lock_before):
        return site, False
    try:
        write_files({config.lock_path: text.encode("utf-8")})
    except OSError as exc:
        raise BuildError(f"could not write {config.lock_path}: {exc.strerror}") from exc
    return site, True


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
) -> BuildResult:
    """Build every selected feed and write them (and the lock) unless the build must fail.

    A second build of the same site waits for the first (``options.wait`` seconds at most).

    :raises BuildError: ``--strict`` and problems were found; nothing was written.
    :raises LockError: the lock is corrupt, or would change under ``--frozen``.
    :raises ConfigError: ``--show``/``--lang`` name something the config does not have.
    :raises BusyError: another build held the site for longer than ``options.wait``.
    """
    with exclusive(run_lock_path(config), timeout=options.wait):
        return _build(config, options, client=client, now=now, progress=progress or NullProgress())


def _build(
    config: Config,
    options: BuildOptions,
    *,
    client: httpx.Client | None,
    now: datetime | None,
    progress: Progress,
) -> BuildResult:
    now = now or datetime.now(UTC)
    cache = BuildCache.open(config.root / CACHE_DIR if options.cache else None)
    try:
        return _build_with(config, options, cache, client=client, now=now, progress=progress)
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
) -> BuildResult:
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
    )
    result = BuildResult(problems=site.problems, requests=site.requests)
    on_disk: dict[Path, bytes | None] = {}
    kept: set[Path] = set()  # feeds that still hold every item of the file on disk
    progress.stage("building feeds", total=sum(len(part.langs) for part in site.shows))
    jobs: list[_FeedJob] = []
    for part in site.shows:
        by_lang: dict[str, list[Episode]] = defaultdict(list)  # one pass, not one per language
        for ep in part.episodes:
            by_lang[ep.lang].append(ep)
        for lang in part.langs:
            host_guids = part.show.reuses_host_guid(lang)
            items = newest_first(
                FeedItem(ep, _media_for(part.media[ep.transistor_id], host_guids))
                for ep in by_lang[lang]
                if ep.transistor_id and ep.transistor_id in part.media
            )
            result.episodes[(part.show.id, lang)] = len(by_lang[lang])
            siblings = [other for other in part.show.languages if other != lang]
            path = feed_path(config, part.show, lang, options.output_dir)
            jobs.append(_FeedJob(part.show, lang, items, siblings, path))
    for job, (data, problems) in zip(
        jobs, _feeds(cache, jobs, now, on_disk, kept, progress), strict=True
    ):
        result.problems.extend(problems)
        result.feeds.append(FeedOutput(job.show.id, job.lang, job.path, data, len(job.items)))
    progress.close()
    lock, lock_before, owner = site.lock, site.lock_before, site.owner
    result.owner = owner

    if options.strict:
        result.problems = strictify(result.problems)
    _count_warnings(result, owner)

    lock_text = dumps_lock(lock)
    # Equal locks have the same canonical text: skip encoding the old one (large on big shows).
    result.lock_changed = lock != lock_before and lock_text != dumps_lock(lock_before)
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
        return result
    # Only what differs from the disk (just compared): unchanged feeds keep their mtime.
    files = {f.path: f.data for f in result.feeds if f.changed}
    if result.lock_changed:
        files[config.lock_path] = lock_text.encode("utf-8")
    try:
        result.written = write_files(files)
    except OSError as exc:
        raise BuildError(f"could not write {exc.filename or 'output'}: {exc.strerror}") from exc
    return result


def _media_for(media: Media, host_guids: bool) -> Media:
    """The media as this feed publishes it: Transistor's guid only in the Transistor language.

    Translations share the English audio's share id; the English item's guid is not theirs
    (see :meth:`Show.reuses_host_guid`), so they keep the guid derived from their permalink.
    """
    return media if host_guids or media.guid is None else replace(media, guid=None)


@dataclass(frozen=True)
class _FeedJob:
    show: Show
    lang: str
    items: list[FeedItem]  # newest first, as the feed lists them
    siblings: list[str]
    path: Path


@dataclass
class _Rendered:
    """A rendered feed, its problems, and each item's place and item-scope problems.

    ``layout`` is None when some problem could not be attributed to an item or the channel
    (then the next build renders this feed in full again).
    """

    data: bytes
    problems: list[Problem]
    layout: list[tuple[int, int, int, tuple[Problem, ...]]] | None  # offset, length, lines, ...
    keeps_items: bool = False  # every item of the feed on disk is still there (same guid)


# Rendering and checking a feed costs about 0.5 ms an item; below this many items to render, a
# worker process (about 0.3 s to start) does not pay for itself.
PARALLEL_MIN_ITEMS = 4000


def _feeds(
    cache: BuildCache,
    jobs: list[_FeedJob],
    now: datetime,
    on_disk: dict[Path, bytes | None],
    kept: set[Path],
    progress: Progress,
) -> list[tuple[bytes, list[Problem]]]:
    """Every job's bytes and validation problems, in ``jobs`` order.

    A feed comes from the file on disk when the cache says it was rendered from the same inputs
    (and its bytes are the ones rendered then). Otherwise, when the file on disk is the last
    render and most of its items are unchanged, only the new items are rendered and checked and
    the others are copied from the file (:func:`_render_incremental`); the rest are rendered
    and checked in full, in worker processes when there is enough work. Every path gives the
    same bytes and the same problems.

    The validation problems are cached without ``item-pubdate-future``, the one rule that
    depends on the clock; it is re-run when the newest item is later than ``now``, so a cached
    build reports exactly what a cold one would.
    """
    out: list[tuple[bytes, list[Problem]] | None] = [None] * len(jobs)
    keys: list[tuple[bytes, list[bytes]] | None] = []
    todo: list[int] = []
    for index, job in enumerate(jobs):
        item_keys = cache.item_keys(job.show, job.lang, _inputs(job))
        key = (
            None
            if item_keys is None
            else cache.feed_key(job.show, job.lang, job.siblings, item_keys)
        )
        keys.append(None if key is None or item_keys is None else (key, item_keys))
        previous = cache.previous_feed(job.path)
        old = None
        if previous is not None:
            old = on_disk[job.path] = _read_existing(job.path)
            if old is None or len(old) != previous.size or content_digest(old) != previous.digest:
                previous = None
        if previous is not None and old is not None and key is not None:
            rendered: _Rendered | None = None
            if previous.key == key:
                problems = list(previous.problems) + _future(job, old, now)
                out[index] = (old, sort_problems(problems))
            elif item_keys is not None:
                rendered = _render_incremental(job, item_keys, previous, old, now)
                if rendered is not None:
                    out[index] = (rendered.data, rendered.problems)
                    if rendered.keeps_items:
                        kept.add(job.path)
                    _store(cache, job, keys[index], rendered)
            if out[index] is not None:
                progress.advance()
                continue
        todo.append(index)
    for index, rendered in zip(todo, _render_all([jobs[i] for i in todo], now), strict=True):
        _store(cache, jobs[index], keys[index], rendered)
        out[index] = (rendered.data, rendered.problems)
        progress.advance()
    return [pair for pair in out if pair is not None]


def _inputs(job: _FeedJob) -> Iterator[tuple[Episode, Media]]:
    return ((item.episode, item.media) for item in job.items)


def _future(job: _FeedJob, data: bytes, now: datetime) -> list[Problem]:
    """``item-pubdate-future`` on ``data``: only run when an item is later than ``now``."""
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if not job.items or job.items[0].episode.date <= moment:
        return []
    return validate_bytes(data, source=str(job.path), rules={FUTURE.id}, now=now)


def _store(
    cache: BuildCache,
    job: _FeedJob,
    keys: tuple[bytes, list[bytes]] | None,
    rendered: _Rendered,
) -> None:
    if keys is None:
        return
    key, item_keys = keys
    items: tuple[CachedItem, ...] = ()
    if rendered.layout is not None and len(rendered.layout) == len(item_keys):
        items = tuple(
            CachedItem(item_key, *place)
            for item_key, place in zip(item_keys, rendered.layout, strict=True)
        )
    data = rendered.data
    newest = job.items[0].episode.date if job.items else None
    timeless = tuple(p for p in rendered.problems if p.code != FUTURE.id)
    cache.store_feed(
        job.path, CachedFeed(key, len(data), content_digest(data), timeless, newest, items)
    )


def _render_all(jobs: list[_FeedJob], now: datetime) -> list[_Rendered]:
    """Render and check feeds, on every core when there are enough items to pay for it."""
    items = sum(len(job.items) for job in jobs)
    workers = min(len(jobs), _cores()) if items >= PARALLEL_MIN_ITEMS else 1
    if workers <= 1:
        return [_render_one(job, now) for job in jobs]
    # spawn, as for parsing (see podfeed.episodes): no fork of a process that may hold threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=tune_for_batch) as pool:
        return list(pool.map(_render_one, jobs, itertools.repeat(now)))


def _render_one(job: _FeedJob, now: datetime) -> _Rendered:
    """One feed's bytes, and the same rules as `podfeed validate` run on exactly those bytes."""
    data = render_feed(job.show, job.lang, job.items, siblings=job.siblings)
    problems = validate_bytes(data, source=str(job.path), now=now)
    parts = split_feed(data) if job.items else None
    layout = None
    if parts is not None and len(parts.items) == len(job.items):
        attributed = _attribute(parts, problems)
        if attributed is not None:
            layout = _layout(parts, attributed[0])
    return _Rendered(data, problems, layout)


# Items changed beyond this share of a feed: render it in full (about as fast, and simpler).
INCREMENTAL_MAX_SHARE = 0.5


def _render_incremental(
    job: _FeedJob, item_keys: list[bytes], previous: CachedFeed, old: bytes, now: datetime
) -> _Rendered | None:
    """The feed rendered again from the items of ``previous`` still in it (their bytes are
    copied from ``old``, the file it describes) and the new items; None to render in full.

    The problems are what :func:`validate_bytes` gives for the whole document:

    - an item's own problems depend only on the item (rules at item scope see the item and the
      namespaces on ``<rss>``, never other items): cached ones are moved to the item's new
      line, new items are checked in a feed holding only them;
    - channel problems of rules that check items too come from that small feed (the channel
      does not depend on which items it holds), lines after the items moved by the difference;
    - the rules that never look at an item (document, channel and cross-item rules such as
      duplicate guids) are run on the whole new document.
    """
    known = {item.key: item for item in previous.items}
    missing = [i for i, key in enumerate(item_keys) if key not in known]
    if not job.items or not previous.items or len(missing) > INCREMENTAL_MAX_SHARE * len(item_keys):
        return None
    parts = render_parts(job.show, job.lang, job.items, missing, siblings=job.siblings)
    source = str(job.path)
    itemish, channel_only = _rule_scopes()
    small = parts.head + b"".join(parts.items) + parts.tail
    attributed = _attribute(
        parts, validate_bytes(small, source=source, rules=itemish - {FUTURE.id}, now=now)
    )
    if attributed is None:
        return None
    fresh = iter(zip(parts.items, attributed[0], strict=True))
    fragments: list[bytes] = []
    item_problems: list[tuple[Problem, ...]] = []
    for key in item_keys:
        entry = known.get(key)
        if entry is None:
            fragment, own = next(fresh)
        else:
            fragment, own = old[entry.offset : entry.offset + entry.length], entry.problems
        fragments.append(fragment)
        item_problems.append(own)
    whole = FeedParts(parts.head, tuple(fragments), parts.tail)
    del fragments, small
    data = whole.head + b"".join(whole.items) + whole.tail
    firsts = _first_lines(whole)
    problems = [
        replace(p, line=first + (p.line or 0))
        for first, own in zip(firsts, item_problems, strict=True)
        for p in own
    ]
    head_lines = parts.head.count(b"\n")
    shift = sum(f.count(b"\n") for f in whole.items) - sum(f.count(b"\n") for f in parts.items)
    problems += [
        p if p.line is None or p.line <= head_lines else replace(p, line=p.line + shift)
        for p in attributed[1]
    ]
    problems += validate_bytes(data, source=source, rules=channel_only, now=now)
    problems += _future(job, data, now)
    keeps = _keeps_items(_replaced(previous, item_keys, old), parts.items)
    return _Rendered(data, sort_problems(problems), _layout(whole, item_problems), keeps)


def _replaced(previous: CachedFeed, item_keys: list[bytes], old: bytes) -> list[bytes]:
    """The bytes of the items of the feed on disk that the new feed no longer holds."""
    wanted = Counter(item_keys)
    seen: Counter[bytes] = Counter()
    replaced = []
    for item in previous.items:
        seen[item.key] += 1
        if seen[item.key] > wanted[item.key]:
            replaced.append(old[item.offset : item.offset + item.length])
    return replaced


_GUID = re.compile(rb"<guid(?: [^>]*)?>([^<]*)</guid>")


def _keeps_items(replaced: Sequence[bytes], fresh: Sequence[bytes]) -> bool:
    """Whether every item the feed on disk had is still in the new one under the same guid
    (each guid at least as often), when all other items are the same bytes in both.

    Then the publishing guard has nothing to refuse (no item dropped, no guid changed) and
    parsing both whole feeds to ask it is skipped. Only used on a feed podfeed rendered itself
    (its digest is the cached one): no CDATA or comments that could hide a ``<guid>``.
    """
    counts: Counter[bytes] = Counter()
    for fragments, sign in ((fresh, 1), (replaced, -1)):
        for fragment in fragments:
            guids = _GUID.findall(fragment)
            if len(guids) != 1 or not guids[0].strip():  # identified by something else
                return False
            counts[guids[0].strip()] += sign
    return all(count >= 0 for count in counts.values())


@functools.cache
def _rule_scopes() -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the rules with a check at item scope, and of all the others."""
    itemish = frozenset(check.rule.id for check in CHECKS if check.scope == "item")
    return itemish, frozenset(RULES) - itemish


def _first_lines(parts: FeedParts) -> list[int]:
    """The line each item of ``parts`` starts on (1-based) in the assembled document."""
    line = parts.head.count(b"\n") + 1
    firsts = []
    for fragment in parts.items:
        firsts.append(line)
        line += fragment.count(b"\n")
    return firsts


def _attribute(
    parts: FeedParts, problems: list[Problem]
) -> tuple[list[tuple[Problem, ...]], list[Problem]] | None:
    """The problems of rules that check items, split into each item's own (lines counted from
    the item's first line) and the channel's; None when one has no line to place it by.

    The rules that never look at an item, and the clock-dependent ``item-pubdate-future``,
    are left out: they are run on the whole document each time.
    """
    itemish, _ = _rule_scopes()
    firsts = _first_lines(parts)
    end = firsts[-1] + parts.items[-1].count(b"\n") if firsts else 0
    own: list[list[Problem]] = [[] for _ in firsts]
    channel: list[Problem] = []
    for p in problems:
        if p.code not in itemish or p.code == FUTURE.id:
            continue
        if p.line is None:
            return None
        if firsts and firsts[0] <= p.line < end:
            index = bisect.bisect_right(firsts, p.line) - 1
            own[index].append(replace(p, line=p.line - firsts[index]))
        else:
            channel.append(p)
    return [tuple(x) for x in own], channel


def _layout(
    parts: FeedParts, problems: list[tuple[Problem, ...]]
) -> list[tuple[int, int, int, tuple[Problem, ...]]]:
    """Each item's offset, length and line count in the assembled document, and its problems."""
    offset = len(parts.head)
    layout = []
    for fragment, own in zip(parts.items, problems, strict=True):
        layout.append((offset, len(fragment), fragment.count(b"\n"), own))
        offset += len(fragment)
    return layout


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
        old = known[f.path] if f.path in known else _read_existing(f.path)
        f.changed = old != f.data
        if not f.changed:
            continue
        if options.check:
            f.diff = describe(diff_feeds(old, f.data))
            if old is None:  # every channel field is "new": say so once
                f.diff = ["+ new feed", *(x for x in f.diff if not x.startswith("~ channel"))]
        if f.path not in kept:
            refusals.extend(guard(old, f.data, policy=policy, path=str(f.path)))
    result.problems.extend(p for p in refusals if p.level is not Level.ERROR)
    errors = [p for p in refusals if p.level is Level.ERROR]
    if errors and not options.check:
        raise GuardError(
            "the publishing guard refused to replace "
            + ", ".join(sorted({p.file or "?" for p in errors}))
            + "; no feed was written",
            [*result.problems, *errors],
        )
    result.problems.extend(errors)


def _read_existing(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # unreadable (e.g. a folder): the guard reports it, the write will fail


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


def _count_warnings(result: BuildResult, owner: dict[str, tuple[str, str]]) -> None:
    """A feed's warnings are the problems about the episode files of its show and language."""
    per_feed: dict[tuple[str, str], int] = defaultdict(int)
    for p in result.problems:
        if p.file in owner and p.level >= Level.WARNING:
            per_feed[owner[p.file]] += 1
    for f in result.feeds:
        f.warnings = per_feed.get((f.show, f.lang), 0)
