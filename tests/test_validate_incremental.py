"""The validator's API for checking a feed in pieces: what it gives is what ``validate`` gives
for the whole document, whichever items' verdicts it was handed from an earlier check."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from podfeed.feed import FeedItem, split_feed
from podfeed.problems import Problem
from podfeed.validate import (
    RULES,
    FeedCheck,
    ItemVerdict,
    check_clock,
    check_feed,
    check_pieces,
    validate_bytes,
)
from podfeed.validate.incremental import CLOCK_RULES
from tests.test_feed import make_episode, make_media, render

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SOURCE = "feeds/edt/en.xml"


def items(count: int) -> list[FeedItem]:
    """``count`` episodes a week apart, every third with problems of its own (an http
    enclosure, a title that repeats), one dated after ``NOW``."""
    made = []
    for n in range(1, count + 1):
        episode = make_episode(n, NOW - timedelta(days=7 * n))
        media = make_media(n)
        if n % 3 == 0:
            media = replace(media, url=media.url.replace("https://", "http://"))
            episode = replace(episode, title="The Same Title")
        made.append(FeedItem(episode, media))
    made[-1] = FeedItem(replace(made[-1].episode, date=NOW + timedelta(days=3)), made[-1].media)
    return made


def pieces(data: bytes) -> tuple[bytes, tuple[bytes, ...], bytes]:
    parts = split_feed(data)
    assert parts is not None
    return parts.head, parts.items, parts.tail


def timeless(data: bytes) -> list[Problem]:
    """The reference: what ``validate`` finds in the whole document, the clock's left out."""
    return [p for p in validate_bytes(data, source=SOURCE, now=NOW) if p.code not in CLOCK_RULES]


def test_the_clock_rules_are_rules_and_only_they_are_left_to_check_clock() -> None:
    assert CLOCK_RULES and CLOCK_RULES.issubset(RULES)
    data = render(items(7))
    clock = check_clock(data, source=SOURCE, now=NOW)
    assert [p.code for p in clock] == ["item-pubdate-future"]
    whole = validate_bytes(data, source=SOURCE, now=NOW)
    assert sorted(timeless(data) + clock, key=Problem.sort_key) == whole


@pytest.mark.parametrize("with_pieces", [True, False])
def test_a_whole_feed_is_checked_as_validate_checks_it(with_pieces: bool) -> None:
    data = render(items(9))
    checked = check_feed(data, pieces(data) if with_pieces else None, source=SOURCE, now=NOW)
    assert checked.problems == timeless(data)
    assert checked.problems, "the items were made to have problems"
    assert (checked.verdicts is not None) == with_pieces


def test_verdicts_from_one_check_serve_the_next_whichever_items_changed() -> None:
    before = items(9)
    old = render(before)
    first = check_feed(old, pieces(old), source=SOURCE, now=NOW)
    assert first.verdicts is not None
    by_bytes = dict(zip(pieces(old)[1], first.verdicts, strict=True))

    after = list(before)
    after[1] = FeedItem(replace(after[1].episode, title="Renamed"), after[1].media)
    after[4] = FeedItem(after[4].episode, replace(after[4].media, length=0))  # a new problem
    del after[6]
    new = render(after)
    head, fragments, tail = pieces(new)
    known: list[ItemVerdict | None] = [by_bytes.get(fragment) for fragment in fragments]
    assert known.count(None) == 2

    again = check_pieces(head, fragments, tail, known, source=SOURCE, now=NOW)
    assert isinstance(again, FeedCheck)
    assert again.problems == timeless(new)
    assert (
        again.verdicts == check_feed(new, (head, fragments, tail), source=SOURCE, now=NOW).verdicts
    )
    assert "enclosure-length-zero" in {p.code for p in again.problems}  # the changed item's
    assert "item-title-duplicate" in {p.code for p in again.problems}  # across known items
