"""Rendering the feeds of one build: from the cache, incrementally, or in full, on every core.

Given the jobs (show, language, items, path), return each feed's bytes and its validation
problems, exactly as a full ``render_feed`` + ``validate_bytes`` would give them:

- a feed whose inputs are unchanged comes from the file on disk (its digest checked);
- a feed where at most half of the items changed reuses the other items' bytes and problems
  from the previous render and renders only the new ones;
- everything else is rendered and checked in full, in worker processes on large sites.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import os
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from lxml import etree

from podfeed.cache import BuildCache, CachedFeed, CachedItem, content_digest
from podfeed.config.model import Show
from podfeed.feed import FeedItem, FeedParts, render_feed, render_parts, split_feed
from podfeed.model import Episode, EpisodeState, Media, episode_from_state, episode_state
from podfeed.problems import Problem, sort_problems
from podfeed.progress import Progress
from podfeed.publish.files import Staging, read_existing, remove_stale_temporaries, write_beside
from podfeed.runtime import worker_pool
from podfeed.validate import RULES, validate_bytes
from podfeed.validate.base import ItemInfo
from podfeed.validate.engine import screen_items, validate_document
from podfeed.validate.rules import CHECKS
from podfeed.validate.rules.dates import FUTURE


def warm_up() -> None:
    """Nothing: a worker that runs it has imported this module, and with it the parsers and
    the renderer, which is the point (see :func:`podfeed.runtime.prestart_workers`). A worker
    started ahead of a large first build imports them while the build reads the lock and the
    cache, instead of importing the renderer (0.02 s) between its last parsed file and its
    first feed."""


@dataclass(frozen=True)
class FeedJob:
    show: Show
    lang: str
    items: list[FeedItem]  # newest first, as the feed lists them
    siblings: list[str]
    path: Path


# Where an item sits in a rendered feed: offset, length, lines, its own problems, and what the
# cross-item rules see of it (lines counted from its first line).
_Place = tuple[int, int, int, tuple[Problem, ...], ItemInfo]


@dataclass
class _Rendered:
    """A rendered feed, its problems, and each item's place, item-scope problems and info.

    ``layout`` is None when some problem could not be attributed to an item or the channel
    (then the next build renders this feed in full again).
    """

    data: bytes
    problems: list[Problem]
    layout: list[_Place] | None
    keeps_items: bool = False  # every item of the feed on disk is still there (same guid)
    digest: bytes | None = None  # content_digest(data), when the worker that rendered it took it
    # On its way back from a worker: the file the bytes were written to instead (``data`` is
    # empty then), and their length.
    written: Path | None = None
    size: int = 0


# Rendering and checking a feed costs about 0.5 ms an item; below this many items to render, a
# worker process (about 0.3 s to start) does not pay for itself.
PARALLEL_MIN_ITEMS = 4000


def render_jobs(
    cache: BuildCache,
    jobs: list[FeedJob],
    now: datetime,
    on_disk: dict[Path, bytes | None],
    kept: set[Path],
    progress: Progress,
    known: Mapping[Path, bytes] | None = None,
    *,
    meanwhile: Callable[[], object] | None = None,
    staging: Staging | None = None,
) -> list[tuple[bytes, list[Problem]]]:
    """Every job's bytes and validation problems, in ``jobs`` order.

    A feed comes from the file on disk when the cache says it was rendered from the same inputs
    (and its bytes are the ones rendered then). Otherwise, when the file on disk is the last
    render and most of its items are unchanged, only the new items are rendered and checked and
    the others are copied from the file (:func:`_render_incremental`); the rest are rendered
    and checked in full, in worker processes when there is enough work. Every path gives the
    same bytes and the same problems. ``known`` holds the digest of feed files known unchanged
    since they were written (see :func:`podfeed.publish.stamp.trusted_feeds`): those are not hashed.

    Feeds never rendered before (every feed of a cold build) go to the workers first, before
    anything else is looked at; ``meanwhile`` is then called (the build saves the episode
    cache while the workers render). Each feed rendered in full is staged in ``staging`` as
    soon as it is (written to a temporary file next to its target: by the worker that
    rendered it, when it was rendered in one).

    The validation problems are cached without ``item-pubdate-future``, the one rule that
    depends on the clock; it is re-run when the newest item is later than ``now``, so a cached
    build reports exactly what a cold one would.
    """
    out: list[tuple[bytes, list[Problem]] | None] = [None] * len(jobs)
    keys: list[tuple[bytes, list[bytes]] | None] = [None] * len(jobs)
    fresh = [i for i, job in enumerate(jobs) if cache.previous_feed(job.path) is None]
    never_rendered = set(fresh)
    workers = min(len(jobs), _cores())  # one pool size for both calls: the pool is shared
    with contextlib.ExitStack() as stack:
        first = _render_all([jobs[i] for i in fresh], now, stack, workers, staging)
        if meanwhile is not None:
            meanwhile()
        todo: list[int] = []
        for index, job in enumerate(jobs):
            keys[index] = _keys(cache, job)
            if index in never_rendered:
                continue
            out[index] = _reuse(cache, job, keys[index], now, kept, on_disk, known)
            if out[index] is None:
                todo.append(index)
            else:
                progress.advance()
        later = _render_all([jobs[i] for i in todo], now, stack, workers, staging)
        for index, rendered in itertools.chain(
            zip(fresh, first, strict=True), zip(todo, later, strict=True)
        ):
            if staging is not None and rendered.written is not None:
                staging.adopt(jobs[index].path, rendered.data, rendered.written)
            elif staging is not None:
                staging.stage(jobs[index].path, rendered.data)
            _store(cache, jobs[index], keys[index], rendered)
            out[index] = (rendered.data, rendered.problems)
            progress.advance()
    return [pair for pair in out if pair is not None]


def _keys(cache: BuildCache, job: FeedJob) -> tuple[bytes, list[bytes]] | None:
    """The feed's input digest and each item's, None when some episode has no content key."""
    item_keys = cache.item_keys(job.show, job.lang, _inputs(job))
    if item_keys is None:
        return None
    key = cache.feed_key(job.show, job.lang, job.siblings, item_keys)
    return None if key is None else (key, item_keys)


def _reuse(
    cache: BuildCache,
    job: FeedJob,
    keys: tuple[bytes, list[bytes]] | None,
    now: datetime,
    kept: set[Path],
    on_disk: dict[Path, bytes | None],
    known: Mapping[Path, bytes] | None,
) -> tuple[bytes, list[Problem]] | None:
    """The feed made from the file on disk, whole or in part (see :func:`render_jobs`);
    None when it must be rendered in full. The file read is left in ``on_disk``."""
    previous = cache.previous_feed(job.path)
    if previous is None:
        return None
    old = on_disk[job.path] = read_existing(job.path)
    trusted = (known or {}).get(job.path)
    if old is None or len(old) != previous.size or not _is_render(old, previous, trusted):
        return None
    if keys is None:
        return None
    key, item_keys = keys
    if previous.key == key:
        cache.digests[job.path] = previous.digest
        return old, sort_problems(list(previous.problems) + _future(job, old, now))
    rendered = _render_incremental(job, item_keys, previous, old, now)
    if rendered is None:
        return None
    if rendered.keeps_items:
        kept.add(job.path)
    _store(cache, job, keys, rendered)
    return rendered.data, rendered.problems


def _is_render(data: bytes, previous: CachedFeed, trusted: bytes | None) -> bool:
    """Whether ``data`` (a feed file's bytes) is what ``previous`` was rendered as;
    ``trusted`` is the file's digest when it is known without reading it."""
    return previous.digest == trusted or content_digest(data) == previous.digest


def _inputs(job: FeedJob) -> Iterator[tuple[Episode, Media]]:
    return ((item.episode, item.media) for item in job.items)


def _future(job: FeedJob, data: bytes, now: datetime) -> list[Problem]:
    """``item-pubdate-future`` on ``data``: only run when an item is later than ``now``."""
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    if not job.items or job.items[0].episode.date <= moment:
        return []
    return validate_bytes(data, source=str(job.path), rules={FUTURE.id}, now=now)


def _store(
    cache: BuildCache,
    job: FeedJob,
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
    digest = rendered.digest or content_digest(data)
    cache.digests[job.path] = digest
    cache.store_feed(job.path, CachedFeed.of(key, len(data), digest, timeless, newest, items))


def _render_all(
    jobs: list[FeedJob],
    now: datetime,
    stack: contextlib.ExitStack,
    workers: int,
    staging: Staging | None = None,
) -> Iterator[_Rendered]:
    """Render and check feeds, on up to ``workers`` cores when there are enough items to pay
    for it: every job is sent off at once, the results come in ``jobs`` order. In one process
    they are rendered only as they are asked for. ``stack`` holds the pool and the files on
    their way (and, should the caller fail, cancels the jobs not started yet and removes what
    the others write).

    Jobs and feeds travel as files, not through the pool's pipes: a 20 MB job or feed went
    through a pipe 64 KB at a time, each turn waiting for the sending and the receiving
    process to be scheduled, and a worker waited 0.1-0.2 s between two feeds of a large
    show. A job is pickled into a file in a scratch folder, read (and removed) by the worker.
    The worker writes the feed it rendered to a temporary file next to its target when
    ``staging`` is given (see :meth:`Staging.adopt`: the build then renames that very file
    into place), else into the scratch folder; the bytes are read back here.
    """
    items = sum(len(job.items) for job in jobs)
    if items < PARALLEL_MIN_ITEMS or min(len(jobs), workers) <= 1:
        return (_render_one(job, now) for job in jobs)
    # Entered before the pool: on failure the pool is shut down (its workers done with the
    # folder) before the folder is removed. A killed build's folder goes an hour later.
    remove_stale_temporaries(Path(tempfile.gettempdir()), f"{_SCRATCH_PREFIX}*")
    scratch = Path(
        stack.enter_context(
            tempfile.TemporaryDirectory(prefix=_SCRATCH_PREFIX, ignore_cleanup_errors=True)
        )
    )
    pool = stack.enter_context(worker_pool(workers))
    futures: list[Future[_Rendered]] = []
    for number, job in enumerate(jobs):
        posted = scratch / f"job-{number}.pickle"
        posted.write_bytes(pickle.dumps(_Shipped(job), protocol=pickle.HIGHEST_PROTOCOL))
        if staging is not None:
            staging.prepare(job.path)
        beside = None if staging is None else job.path
        futures.append(pool.submit(_render_posted, str(posted), now, beside, str(scratch)))
    taken: set[int] = set()
    stack.callback(_discard, futures, taken)
    return (_collect(futures, index, taken, jobs[index], now) for index in range(len(jobs)))


_SCRATCH_PREFIX = "podfeed-render-"


def _render_posted(posted: str, now: datetime, beside: Path | None, scratch: str) -> _Rendered:
    """Worker entry point: the job pickled in ``posted`` (removed once read), rendered and
    checked; the feed's bytes go to a file next to ``beside`` or, without it or when that
    fails, in ``scratch`` (or back through the pipe when neither can be written)."""
    with open(posted, "rb") as handle:
        job = cast(FeedJob, pickle.loads(handle.read()))
    with contextlib.suppress(OSError):
        os.unlink(posted)
    rendered = _render_one(job, now)
    for target in ([beside] if beside is not None else []) + [Path(scratch) / job.path.name]:
        try:
            rendered.written = write_beside(target, rendered.data)
        except OSError:
            continue
        rendered.size, rendered.data = len(rendered.data), b""
        break
    return rendered


def _collect(
    futures: list[Future[_Rendered]], index: int, taken: set[int], job: FeedJob, now: datetime
) -> _Rendered:
    """The result of ``futures[index]`` with its bytes in memory again. A file written into
    the scratch folder is removed; one written next to its target is left for the caller to
    stage. Bytes that cannot be read back as written are rendered again here."""
    rendered = futures[index].result()
    taken.add(index)
    written = rendered.written
    if written is None:
        return rendered
    try:
        data = written.read_bytes()
    except OSError:
        data = b""
    beside = os.path.abspath(written.parent) == os.path.abspath(job.path.parent)
    if len(data) != rendered.size or not beside:
        with contextlib.suppress(OSError):
            written.unlink()
        rendered.written = None
    if len(data) != rendered.size:
        return _render_one(job, now)
    rendered.data = data
    return rendered


def _discard(futures: list[Future[_Rendered]], taken: set[int]) -> None:
    """Cancel the jobs not started; remove the file of each result nobody took, as it comes
    (the pool is shut down after this when the build fails, which waits for them)."""
    for index, future in enumerate(futures):
        if index not in taken and not future.cancel():
            future.add_done_callback(_remove_written)


def _remove_written(future: Future[_Rendered]) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    written = future.result().written
    if written is not None:
        with contextlib.suppress(OSError):
            written.unlink()


class _Shipped:
    """A job on its way to a worker: its episodes are frozen only when it is pickled, one job
    at a time (see :func:`podfeed.model.episode_state`: the long texts of episodes read from
    the cache or from a parsing worker travel on without being decoded, and pickling the
    parent's own strings would keep a UTF-8 copy of every episode's notes in its memory).
    """

    def __init__(self, job: FeedJob) -> None:
        self.job = job

    def __reduce__(self) -> tuple[Any, ...]:
        job = self.job
        items = [
            (str(item.episode.path), episode_state(item.episode), item.media) for item in job.items
        ]
        return (_unship, (job.show, job.lang, items, job.siblings, job.path))


def _unship(
    show: Show,
    lang: str,
    items: list[tuple[str, EpisodeState, Media]],
    siblings: list[str],
    path: Path,
) -> FeedJob:
    """The job a :class:`_Shipped` stood for, rebuilt in the worker."""
    feed_items = [
        FeedItem(episode_from_state(frozen, Path(where)), media) for where, frozen, media in items
    ]
    return FeedJob(show, lang, feed_items, siblings, path)


def _render_one(job: FeedJob, now: datetime) -> _Rendered:
    """One feed's bytes, and the problems the same rules as `podfeed validate` find in exactly
    those bytes."""
    data = render_feed(job.show, job.lang, job.items, siblings=job.siblings)
    parts = split_feed(data) if job.items else None
    rendered = None
    if parts is not None and len(parts.items) == len(job.items):
        document = _tree(data)
        if document is not None:
            rendered = _checked_from_tree(job, data, document, parts, now)
        del document
    if rendered is None:
        rendered = _checked_from_bytes(job, data, parts, now)
    # Taken here, in the worker: hashing six large feeds was 0.1 s of the parent's time.
    rendered.digest = content_digest(data)
    return rendered


# As ``podfeed validate`` parses a feed: no entity expanded, nothing fetched, libxml2's limits.
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _tree(data: bytes) -> Any:
    """``data`` parsed into one tree, for the item checks to screen; None when it cannot be
    parsed (then :func:`_checked_from_bytes` reports why, as ``validate`` would)."""
    try:
        return etree.ElementTree(etree.fromstring(data, _PARSER))
    except etree.XMLSyntaxError:
        return None


def _checked_from_bytes(
    job: FeedJob, data: bytes, parts: FeedParts | None, now: datetime
) -> _Rendered:
    """``data`` and the problems of every rule, found by parsing it."""
    problems, infos = validate_document(data, source=str(job.path), now=now)
    layout = None
    if parts is not None and len(parts.items) == len(job.items) == len(infos):
        attributed = _attribute(parts, problems)
        if attributed is not None:
            layout = _layout(parts, attributed[0], _relative(parts, infos))
    return _Rendered(data, problems, layout)


def _checked_from_tree(
    job: FeedJob, data: bytes, document: Any, parts: FeedParts, now: datetime
) -> _Rendered | None:
    """``data`` and its problems, the item checks run on ``document`` (``data`` parsed in one
    piece) instead of on a streaming parse of ``data``: 0.1 s less for a 3,000-item feed.

    The checks see no line numbers there, so they only screen the items (see
    :func:`~podfeed.validate.engine.screen_items`): items found clean have no problem of
    their own, the others are checked again from their bytes in a feed holding only them, and
    the rest of the document is checked as for an incremental render (:func:`_assemble`).
    None when the document is not what this relies on (then ``data`` is parsed).
    """
    if any(b"xmlns" in fragment for fragment in parts.items):
        return None  # an item declaring a namespace: the tree would not tell where
    itemish, _ = _rule_scopes()
    screened = screen_items(document, source=str(job.path), rules=itemish - {FUTURE.id}, now=now)
    if screened is None or len(screened) != len(parts.items):
        return None
    known: list[tuple[tuple[Problem, ...], ItemInfo] | None] = [
        None if found else ((), replace(info, line=0)) for info, found in screened
    ]
    assembled = _assemble(job, parts, known, now)
    if assembled is None:
        return None
    problems, item_problems, item_infos = assembled
    problems += _future(job, data, now)
    return _Rendered(data, sort_problems(problems), _layout(parts, item_problems, item_infos))


# Items changed beyond this share of a feed: render it in full (about as fast, and simpler).
INCREMENTAL_MAX_SHARE = 0.5


def _render_incremental(
    job: FeedJob, item_keys: list[bytes], previous: CachedFeed, old: bytes, now: datetime
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
      duplicate guids) are run on the new document with its items cut out, given what they
      see of each item (:class:`ItemInfo`, cached with the item): parsing the 3,000 unchanged
      items of a large feed again was a tenth of a one-episode rebuild.
    """
    cached = previous.items()
    known = {item.key: item for item in cached}
    missing = [i for i, key in enumerate(item_keys) if key not in known]
    if not job.items or not cached or len(missing) > INCREMENTAL_MAX_SHARE * len(item_keys):
        return None
    parts = render_parts(job.show, job.lang, job.items, missing, siblings=job.siblings)
    fresh = iter(parts.items)
    known_items: list[tuple[tuple[Problem, ...], ItemInfo] | None] = []
    fragments: list[bytes] = []
    for key in item_keys:
        entry = known.get(key)
        if entry is None:
            fragments.append(next(fresh))
            known_items.append(None)
        else:
            fragments.append(old[entry.offset : entry.offset + entry.length])
            known_items.append((entry.problems, entry.info))
    whole = FeedParts(parts.head, tuple(fragments), parts.tail)
    del fragments, parts
    assembled = _assemble(job, whole, known_items, now)
    if assembled is None:
        return None  # (an item the parser could not read: the whole document says where)
    problems, item_problems, item_infos = assembled
    data = whole.head + b"".join(whole.items) + whole.tail
    problems += _future(job, data, now)
    keeps = _keeps_items(_replaced(cached, item_keys, old), [whole.items[i] for i in missing])
    layout = _layout(whole, item_problems, item_infos)
    return _Rendered(data, sort_problems(problems), layout, keeps)


def _assemble(
    job: FeedJob,
    whole: FeedParts,
    known: Sequence[tuple[tuple[Problem, ...], ItemInfo] | None],
    now: datetime,
) -> tuple[list[Problem], list[tuple[Problem, ...]], list[ItemInfo]] | None:
    """The problems of the document ``whole`` assembles, given what is already known of some
    of its items (their own problems and :class:`ItemInfo`, lines counted from the item's
    first line); the items known as None are checked here. Also each item's own problems and
    info, as the cache keeps them. None when a problem could not be placed.

    The problems are what :func:`validate_bytes` gives for the whole document, except
    ``item-pubdate-future`` (the caller adds it, see :func:`_future`):

    - an item's own problems depend only on the item (rules at item scope see the item and the
      namespaces on ``<rss>``, never other items): the items to check are checked in a feed
      holding only them, and known problems are moved to the item's line;
    - channel problems of rules that check items too come from that small feed (the channel
      does not depend on which items it holds), lines after the items moved by the difference;
    - the rules that never look at an item (document, channel and cross-item rules such as
      duplicate guids) are run on the document with its items cut out, given what they see of
      each item (see :func:`_check_document`).
    """
    source = str(job.path)
    itemish, channel_only = _rule_scopes()
    todo = [i for i, entry in enumerate(known) if entry is None]
    parts = FeedParts(whole.head, tuple(whole.items[i] for i in todo), whole.tail)
    small = parts.head + b"".join(parts.items) + parts.tail
    found, found_infos = validate_document(
        small, source=source, rules=itemish - {FUTURE.id}, now=now
    )
    del small
    attributed = _attribute(parts, found)
    if attributed is None or len(found_infos) != len(parts.items):
        return None
    fresh = iter(zip(attributed[0], _relative(parts, found_infos), strict=True))
    item_problems: list[tuple[Problem, ...]] = []
    item_infos: list[ItemInfo] = []
    for entry in known:
        own, info = next(fresh) if entry is None else entry
        item_problems.append(own)
        item_infos.append(info)
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
    problems += _check_document(whole, item_infos, firsts, source, channel_only, now)
    return problems, item_problems, item_infos


def _check_document(
    whole: FeedParts,
    infos: list[ItemInfo],
    firsts: list[int],
    source: str,
    rules: frozenset[str],
    now: datetime,
) -> list[Problem]:
    """The problems of the rules that never look into an item, on the document ``whole``
    assembles: its items are replaced by as many line breaks (every line of the channel
    keeps its number) and stand in as their :class:`ItemInfo`.

    Only an item that declares a namespace (``xmlns``) would tell the rules something else:
    podfeed never renders one, and the whole document is parsed if one seems to.
    """
    if any(b"xmlns" in fragment for fragment in whole.items):
        document = whole.head + b"".join(whole.items) + whole.tail
        return validate_bytes(document, source=source, rules=rules, now=now)
    lines = sum(fragment.count(b"\n") for fragment in whole.items)
    shell = whole.head + b"\n" * lines + whole.tail
    placed = (
        info if info.line is None else replace(info, line=first + info.line)
        for info, first in zip(infos, firsts, strict=True)
    )
    return validate_document(shell, source=source, rules=rules, now=now, items=placed)[0]


def _replaced(previous: list[CachedItem], item_keys: list[bytes], old: bytes) -> list[bytes]:
    """The bytes of the items of the feed on disk that the new feed no longer holds."""
    wanted = Counter(item_keys)
    seen: Counter[bytes] = Counter()
    replaced = []
    for item in previous:
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
    parts: FeedParts, problems: list[tuple[Problem, ...]], infos: list[ItemInfo]
) -> list[_Place]:
    """Each item's offset, length and line count in the assembled document, its problems and
    its info."""
    offset = len(parts.head)
    layout: list[_Place] = []
    for fragment, own, info in zip(parts.items, problems, infos, strict=True):
        layout.append((offset, len(fragment), fragment.count(b"\n"), own, info))
        offset += len(fragment)
    return layout


def _relative(parts: FeedParts, infos: list[ItemInfo]) -> list[ItemInfo]:
    """``infos`` (one per item of ``parts``, in order) with lines counted from each item's
    first line, as the cache keeps them."""
    return [
        info if info.line is None else replace(info, line=info.line - first)
        for info, first in zip(infos, _first_lines(parts), strict=True)
    ]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
