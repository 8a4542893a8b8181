"""Check a feed given in pieces, reusing what an earlier check said of items that did not change.

In: a feed document as its head, its items and its tail (``head + b"".join(items) + tail`` is
the document, each item a whole ``<item>`` element), and for some items the :data:`ItemVerdict`
an earlier check gave those very bytes. Out: exactly the problems :func:`validate_bytes` gives
for the whole document, except those of the rules that depend on the clock (:func:`check_clock`
gives those), and each item's verdict, for the next check to reuse.

This is how a build checks every feed it writes without parsing every item of a large feed
again: an item's own problems depend only on its bytes (rules at item scope see the item and the
namespaces on ``<rss>``, never other items), and the rules that look at more than one item see
of each only what :class:`~podfeed.validate.base.ItemInfo` keeps. Nothing here knows about
builds, caches or files.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from lxml import etree

from podfeed.problems import Problem, sort_problems
from podfeed.validate.base import ItemInfo
from podfeed.validate.engine import screen_items, validate_bytes, validate_document
from podfeed.validate.rules import CHECKS, RULES
from podfeed.validate.rules.dates import FUTURE

__all__ = ["CLOCK_RULES", "FeedCheck", "ItemVerdict", "check_clock", "check_feed", "check_pieces"]

# The rules whose verdict changes with the clock alone (an item dated after "now" is not after
# it a day later): never part of a reusable verdict, see check_clock.
CLOCK_RULES = frozenset({FUTURE.id})

# What a check said of one item, as plain values (cheap to keep and to load again): the item's
# own problems, their lines counted from the item's first line, and the fields of what the rules
# that look at more than one item see of it (its ItemInfo, line counted the same way).
ItemVerdict = tuple[tuple[Problem, ...], tuple[Any, ...]]

_INFO_FIELDS = tuple(f.name for f in fields(ItemInfo))


@dataclass
class FeedCheck:
    """The problems of a feed document, and each item's verdict.

    ``problems`` are sorted and leave out the rules in :data:`CLOCK_RULES`. ``verdicts`` is
    ``None`` when some problem could not be placed in an item or the channel (then nothing of
    this check can be reused).
    """

    problems: list[Problem]
    verdicts: list[ItemVerdict] | None


def check_feed(
    data: bytes,
    pieces: tuple[bytes, Sequence[bytes], bytes] | None,
    *,
    source: str,
    now: datetime,
) -> FeedCheck:
    """Check the document ``data``, which ``pieces`` (when given) cuts at its items.

    With pieces, the document is parsed in one piece (libxml2 in C) and its items screened
    (see :func:`~podfeed.validate.engine.screen_items`): items found clean have no problem of
    their own, the others are checked again from their bytes in a feed holding only them, and
    the channel as for :func:`check_pieces`: 0.1 s less for a 3,000-item feed than a streaming
    parse. Without pieces, or when the document is not what this relies on, ``data`` is
    checked as ``validate`` checks it.
    """
    if pieces is not None:
        document = _tree(data)
        if document is not None:
            checked = _checked_from_tree(document, pieces, source=source, now=now)
            del document
            if checked is not None:
                return checked
    return _checked_from_bytes(data, pieces, source=source, now=now)


def check_pieces(
    head: bytes,
    items: Sequence[bytes],
    tail: bytes,
    known: Sequence[ItemVerdict | None],
    *,
    source: str,
    now: datetime,
) -> FeedCheck | None:
    """Check the document ``head + b"".join(items) + tail``, given the verdicts ``known`` of
    some of its items (one entry per item, ``None`` for an item to check); ``None`` when a
    problem could not be placed (then check the whole document).

    - the items to check are checked in a feed holding only them, and known problems are moved
      to their item's line;
    - channel problems of rules that check items too come from that small feed (the channel
      does not depend on which items it holds), lines after the items moved by the difference;
    - the rules that never look into an item (document, channel and cross-item rules such as
      duplicate guids) are run on the document with its items cut out, given what they see of
      each item.
    """
    infos = [None if verdict is None else (verdict[0], ItemInfo(*verdict[1])) for verdict in known]
    assembled = _assemble(head, items, tail, infos, source=source, now=now)
    if assembled is None:
        return None
    problems, own, item_infos = assembled
    verdicts = [
        (own[i], _info_fields(item_infos[i])) if verdict is None else verdict
        for i, verdict in enumerate(known)
    ]
    return FeedCheck(sort_problems(problems), verdicts)


def check_clock(data: bytes, *, source: str, now: datetime) -> list[Problem]:
    """The problems of the rules in :data:`CLOCK_RULES` in ``data``: only an item dated after
    ``now`` has one, so a caller that knows none is need not ask."""
    return [
        p
        for p in validate_bytes(data, source=source, rules=CLOCK_RULES, now=now)
        if p.code in CLOCK_RULES
    ]


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
    data: bytes,
    pieces: tuple[bytes, Sequence[bytes], bytes] | None,
    *,
    source: str,
    now: datetime,
) -> FeedCheck:
    """``data``'s problems, found by parsing it as ``validate`` does; the verdicts when
    ``pieces`` cuts it at its items and every problem can be placed."""
    problems, infos = validate_document(data, source=source, rules=_timeless(), now=now)
    verdicts = None
    if pieces is not None and len(pieces[1]) == len(infos):
        attributed = _attribute(pieces[0], pieces[1], problems)
        if attributed is not None:
            verdicts = _verdicts(attributed[0], _relative(pieces[0], pieces[1], infos))
    return FeedCheck(problems, verdicts)


def _checked_from_tree(
    document: Any,
    pieces: tuple[bytes, Sequence[bytes], bytes],
    *,
    source: str,
    now: datetime,
) -> FeedCheck | None:
    """The check of :func:`check_feed` on ``document`` (its bytes parsed in one piece); None
    when the document is not what this relies on (then its bytes are parsed).

    The checks see no line numbers there, so they only screen the items (see
    :func:`~podfeed.validate.engine.screen_items`). Only for a document whose namespaces are
    all declared on its root, as podfeed renders them.
    """
    head, items, tail = pieces
    if any(b"xmlns" in fragment for fragment in items):
        return None  # an item declaring a namespace: the tree would not tell where
    itemish, _ = _rule_scopes()
    screened = screen_items(document, source=source, rules=itemish - CLOCK_RULES, now=now)
    if screened is None or len(screened) != len(items):
        return None
    known: list[tuple[tuple[Problem, ...], ItemInfo] | None] = [
        None if found else ((), replace(info, line=0)) for info, found in screened
    ]
    assembled = _assemble(head, items, tail, known, source=source, now=now)
    if assembled is None:
        return None
    problems, own, item_infos = assembled
    return FeedCheck(sort_problems(problems), _verdicts(own, item_infos))


def _assemble(
    head: bytes,
    items: Sequence[bytes],
    tail: bytes,
    known: Sequence[tuple[tuple[Problem, ...], ItemInfo] | None],
    *,
    source: str,
    now: datetime,
) -> tuple[list[Problem], list[tuple[Problem, ...]], list[ItemInfo]] | None:
    """The problems of the document the pieces assemble (unsorted; see :func:`check_pieces`),
    given the own problems and info of some of its items (lines counted from the item's first
    line); the items known as None are checked here. Also each item's own problems and info.
    None when a problem could not be placed."""
    itemish, channel_only = _rule_scopes()
    todo = [i for i, entry in enumerate(known) if entry is None]
    checked = [items[i] for i in todo]
    small = head + b"".join(checked) + tail
    found, found_infos = validate_document(
        small, source=source, rules=itemish - CLOCK_RULES, now=now
    )
    del small
    attributed = _attribute(head, checked, found)
    if attributed is None or len(found_infos) != len(checked):
        return None
    fresh = iter(zip(attributed[0], _relative(head, checked, found_infos), strict=True))
    item_problems: list[tuple[Problem, ...]] = []
    item_infos: list[ItemInfo] = []
    for entry in known:
        own, info = next(fresh) if entry is None else entry
        item_problems.append(own)
        item_infos.append(info)
    firsts = _first_lines(head, items)
    problems = [
        replace(p, line=first + (p.line or 0))
        for first, own in zip(firsts, item_problems, strict=True)
        for p in own
    ]
    head_lines = head.count(b"\n")
    shift = sum(f.count(b"\n") for f in items) - sum(f.count(b"\n") for f in checked)
    problems += [
        p if p.line is None or p.line <= head_lines else replace(p, line=p.line + shift)
        for p in attributed[1]
    ]
    problems += _check_document(head, items, tail, item_infos, firsts, source, channel_only, now)
    return problems, item_problems, item_infos


def _check_document(
    head: bytes,
    items: Sequence[bytes],
    tail: bytes,
    infos: list[ItemInfo],
    firsts: list[int],
    source: str,
    rules: frozenset[str],
    now: datetime,
) -> list[Problem]:
    """The problems of the rules that never look into an item, on the document the pieces
    assemble: its items are replaced by as many line breaks (every line of the channel keeps
    its number) and stand in as their :class:`ItemInfo`.

    Only an item that declares a namespace (``xmlns``) would tell the rules something else:
    podfeed never renders one, and the whole document is parsed if one seems to.
    """
    if any(b"xmlns" in fragment for fragment in items):
        document = head + b"".join(items) + tail
        return validate_bytes(document, source=source, rules=rules, now=now)
    lines = sum(fragment.count(b"\n") for fragment in items)
    shell = head + b"\n" * lines + tail
    placed = (
        info if info.line is None else replace(info, line=first + info.line)
        for info, first in zip(infos, firsts, strict=True)
    )
    return validate_document(shell, source=source, rules=rules, now=now, items=placed)[0]


@functools.cache
def _timeless() -> frozenset[str]:
    return frozenset(RULES) - CLOCK_RULES


@functools.cache
def _rule_scopes() -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the rules with a check at item scope, and of all the others; both without
    the rules that depend on the clock."""
    itemish = frozenset(check.rule.id for check in CHECKS if check.scope == "item")
    return itemish - CLOCK_RULES, frozenset(RULES) - itemish - CLOCK_RULES


def _first_lines(head: bytes, items: Sequence[bytes]) -> list[int]:
    """The line each item starts on (1-based) in the document ``head`` and ``items`` begin."""
    line = head.count(b"\n") + 1
    firsts = []
    for fragment in items:
        firsts.append(line)
        line += fragment.count(b"\n")
    return firsts


def _attribute(
    head: bytes, items: Sequence[bytes], problems: list[Problem]
) -> tuple[list[tuple[Problem, ...]], list[Problem]] | None:
    """The problems of rules that check items, split into each item's own (lines counted from
    the item's first line) and the channel's; None when one has no line to place it by.

    The rules that never look at an item are left out: they are run on the whole document
    each time.
    """
    itemish, _ = _rule_scopes()
    firsts = _first_lines(head, items)
    end = firsts[-1] + items[-1].count(b"\n") if firsts else 0
    own: list[list[Problem]] = [[] for _ in firsts]
    channel: list[Problem] = []
    for p in problems:
        if p.code not in itemish:
            continue
        if p.line is None:
            return None
        if firsts and firsts[0] <= p.line < end:
            index = bisect.bisect_right(firsts, p.line) - 1
            own[index].append(replace(p, line=p.line - firsts[index]))
        else:
            channel.append(p)
    return [tuple(x) for x in own], channel


def _relative(head: bytes, items: Sequence[bytes], infos: list[ItemInfo]) -> list[ItemInfo]:
    """``infos`` (one per item, in order) with lines counted from each item's first line."""
    return [
        info if info.line is None else replace(info, line=info.line - first)
        for info, first in zip(infos, _first_lines(head, items), strict=True)
    ]


def _verdicts(problems: list[tuple[Problem, ...]], infos: list[ItemInfo]) -> list[ItemVerdict]:
    return [(own, _info_fields(info)) for own, info in zip(problems, infos, strict=True)]


def _info_fields(info: ItemInfo) -> tuple[Any, ...]:
    return tuple([getattr(info, name) for name in _INFO_FIELDS])
