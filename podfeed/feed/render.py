"""One feed rendered and checked: in full, or reusing the items its last render already had.

In: a :class:`FeedJob` (a show, a language, its items newest first, the sibling languages, where
the feed goes) and the moment "now". Out: a :class:`Rendered`: the feed's bytes, the problems
``podfeed validate`` finds in exactly those bytes, and where each item lies in them with what the
checker said of it (what the feed cache keeps, so that the next render reuses unchanged items).

The checking is the validator's (:mod:`podfeed.validate.incremental`): a render only cuts the
document at its items and hands over the pieces. Every feed is parsed back and checked before it
reaches disk; that, with the byte-for-byte test of the items against feedgen's, is what makes
writing the items as text sound (see :mod:`podfeed.feed.items`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from podfeed.cache import Reuse, content_digest
from podfeed.config.model import Show
from podfeed.feed.items import FeedItem
from podfeed.feed.rss import render_feed, render_parts, split_feed
from podfeed.problems import Problem, sort_problems
from podfeed.validate import ItemVerdict, check_clock, check_feed, check_pieces

__all__ = [
    "INCREMENTAL_MAX_SHARE",
    "FeedJob",
    "Rendered",
    "render_incremental",
    "render_one",
    "with_clock",
]


@dataclass(frozen=True)
class FeedJob:
    """One feed to render: a show's feed in one language."""

    show: Show
    lang: str
    items: list[FeedItem]  # newest first, as the feed lists them
    siblings: list[str]
    path: Path

    def dated_after(self, now: datetime) -> bool:
        """Whether an item is dated after ``now`` (only then can a clock rule find something)."""
        moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
        return bool(self.items) and self.items[0].episode.date > moment


@dataclass
class Rendered:
    """A rendered feed, its problems, and each item's layout.

    ``problems`` are every rule's, sorted; ``timeless`` leaves out the clock-dependent ones (what
    the cache keeps). ``layout`` gives, for each item, where it lies in ``data`` (offset,
    length, line count) followed by its verdict; None when some problem could not be placed
    in an item or the channel (then the next build renders this feed in full again).
    """

    data: bytes
    problems: list[Problem]
    timeless: list[Problem]
    layout: list[tuple[Any, ...]] | None
    keeps_items: bool = False  # every item of the feed on disk is still there (same guid)
    digest: bytes | None = None  # content_digest(data), when the worker that rendered it took it
    # On its way back from a worker: the file the bytes were written to instead (``data`` is
    # empty then), and their length.
    written: Path | None = None
    size: int = 0


def render_one(job: FeedJob, now: datetime) -> Rendered:
    """One feed's bytes, and the problems the same rules as `podfeed validate` find in exactly
    those bytes."""
    data = render_feed(job.show, job.lang, job.items, siblings=job.siblings)
    parts = split_feed(data) if job.items else None
    pieces = None
    if parts is not None and len(parts.items) == len(job.items):
        pieces = (parts.head, parts.items, parts.tail)
    checked = check_feed(data, pieces, source=str(job.path), now=now)
    layout = None
    if pieces is not None and checked.verdicts is not None:
        layout = _layout(pieces[0], pieces[1], checked.verdicts)
    del parts, pieces
    rendered = _rendered(job, data, checked.problems, layout, now)
    # Taken here, in the worker: hashing six large feeds was 0.1 s of the parent's time.
    rendered.digest = content_digest(data)
    return rendered


# Items changed beyond this share of a feed: render it in full (about as fast, and simpler).
INCREMENTAL_MAX_SHARE = 0.5


def render_incremental(job: FeedJob, reuse: Reuse, now: datetime) -> Rendered | None:
    """The feed rendered again from the items its last render had (their bytes and verdicts in
    ``reuse``) and the new items; None to render it in full.

    Only the new items are rendered (:func:`~podfeed.feed.rss.render_parts`) and checked
    (:func:`~podfeed.validate.check_pieces`): parsing the 3,000 unchanged items of a large feed
    again was a tenth of a one-episode rebuild. The problems are what a full render gives.
    """
    missing = [i for i, fragment in enumerate(reuse.fragments) if fragment is None]
    parts = render_parts(job.show, job.lang, job.items, missing, siblings=job.siblings)
    fresh = iter(parts.items)
    fragments = [next(fresh) if fragment is None else fragment for fragment in reuse.fragments]
    known: list[ItemVerdict | None] = [
        None if layout is None else layout[3:] for layout in reuse.layouts
    ]
    head, tail = parts.head, parts.tail
    del parts
    checked = check_pieces(head, fragments, tail, known, source=str(job.path), now=now)
    if checked is None or checked.verdicts is None:
        return None  # (an item the parser could not read: the whole document says where)
    data = head + b"".join(fragments) + tail
    layout = _layout(head, fragments, checked.verdicts)
    rendered = _rendered(job, data, checked.problems, layout, now)
    rendered.keeps_items = _keeps_items(reuse.replaced, [fragments[i] for i in missing])
    return rendered


def with_clock(job: FeedJob, data: bytes, timeless: list[Problem], now: datetime) -> list[Problem]:
    """The problems of ``data``, the feed of ``job``: ``timeless`` (sorted, those of every
    rule but the clock-dependent ones) and, when an item is dated after ``now``, the others."""
    if not job.dated_after(now):
        return timeless
    clock = check_clock(data, source=str(job.path), now=now)
    return sort_problems(timeless + clock) if clock else timeless


def _rendered(
    job: FeedJob,
    data: bytes,
    timeless: list[Problem],
    layout: list[tuple[Any, ...]] | None,
    now: datetime,
) -> Rendered:
    return Rendered(data, with_clock(job, data, timeless, now), timeless, layout)


def _layout(
    head: bytes, items: Sequence[bytes], verdicts: Sequence[ItemVerdict]
) -> list[tuple[Any, ...]]:
    """Each item's offset, length and line count in the document ``head`` and ``items``
    begin, followed by its verdict."""
    offset = len(head)
    layout: list[tuple[Any, ...]] = []
    for fragment, verdict in zip(items, verdicts, strict=True):
        layout.append((offset, len(fragment), fragment.count(b"\n"), *verdict))
        offset += len(fragment)
    return layout


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
