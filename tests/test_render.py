"""A feed a build renders is screened on its bytes parsed in one piece, not checked through the
streaming parse of ``podfeed validate``; the problems (lines included) are exactly what
``validate`` finds in those bytes, and what the cache keeps of each item what checking the bytes
that way gives."""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lxml import etree

import podfeed.feed.workers
import podfeed.validate.incremental
from podfeed.build import BuildOptions, build
from podfeed.config import load_config
from podfeed.feed import FeedItem, newest_first, render_feed, split_feed
from podfeed.feed.render import FeedJob, Rendered, _layout, render_one
from podfeed.model import Transcript
from podfeed.problems import Problem
from podfeed.validate import validate_bytes
from podfeed.validate.engine import screen_items, validate_document
from podfeed.validate.incremental import _checked_from_bytes
from tests.conftest import CORPUS
from tests.sites import make_corpus_site

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> list[FeedJob]:
    """The feeds of the real corpus, as a build hands them to the renderer."""
    root = tmp_path_factory.mktemp("render-checks")
    shutil.copytree(CORPUS / "edt", root / "corpus" / "edt")
    site = make_corpus_site(root / "corpus", root / "site")
    seen: list[FeedJob] = []
    real = podfeed.feed.workers.render_one

    def spy(job: FeedJob, now: datetime) -> Rendered:
        seen.append(job)
        return real(job, now)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(podfeed.feed.workers, "render_one", spy)
        build(load_config(site / "config.yaml"), BuildOptions(offline=True, cache=False), now=NOW)
    assert len([job for job in seen if len(job.items) >= 5]) >= 5
    return seen


def from_bytes(job: FeedJob) -> tuple[bytes, list[Problem], list[Any] | None]:
    """The reference: the feed's bytes, the problems `podfeed validate` finds in them, and
    each item's layout from the bytes parsed as it parses them."""
    data = render_feed(job.show, job.lang, job.items, siblings=job.siblings)
    parts = split_feed(data) if job.items else None
    pieces = None if parts is None else (parts.head, parts.items, parts.tail)
    checked = _checked_from_bytes(data, pieces, source=str(job.path), now=NOW)
    layout = None
    if parts is not None and checked.verdicts is not None:
        layout = _layout(parts.head, parts.items, checked.verdicts)
    return data, validate_bytes(data, source=str(job.path), now=NOW), layout


def assert_same(job: FeedJob) -> list[Problem]:
    job = dataclasses.replace(job, items=newest_first(job.items))  # as FeedJob holds them
    rendered = render_one(job, NOW)
    data, problems, layout = from_bytes(job)
    assert rendered.data == data
    assert rendered.problems == problems
    assert rendered.layout == layout
    return problems


def test_the_corpus_feeds_are_checked_as_their_bytes_would_be(jobs: list[FeedJob]) -> None:
    for job in jobs:
        assert_same(job)


def test_a_clean_feed_is_not_parsed_back(
    jobs: list[FeedJob], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the channel is parsed (with the items cut out), never the whole document."""
    job = max(jobs, key=lambda job: len(job.items))
    assert from_bytes(job)[1] == []
    parsed: list[int] = []
    real = podfeed.validate.incremental.validate_document

    def spy(data: bytes, **kwargs: Any) -> Any:
        parsed.append(data.count(b"<item>"))
        return real(data, **kwargs)

    monkeypatch.setattr(podfeed.validate.incremental, "validate_document", spy)
    assert render_one(job, NOW).problems == []
    assert parsed and max(parsed) == 0


# Changes that make a rendered feed break a rule, at item or channel scope, or send the check
# back to the bytes (an item holding the text "xmlns").
def _html_title(item: FeedItem, rng: random.Random) -> FeedItem:
    return _episode(item, title=f"<b>Bold</b> {item.episode.title}")


def _same_title(item: FeedItem, rng: random.Random) -> FeedItem:
    return _episode(item, title="One Title For Two Episodes")


def _future(item: FeedItem, rng: random.Random) -> FeedItem:
    return _episode(item, date=NOW + timedelta(days=rng.randint(1, 90)))


def _long_description(item: FeedItem, rng: random.Random) -> FeedItem:
    return _episode(item, description="word " * 1200, summary="word " * 1200)


def _escaped_entity(item: FeedItem, rng: random.Random) -> FeedItem:
    return _episode(item, title="Fish &amp; Chips")


def _odd_transcript(item: FeedItem, rng: random.Random) -> FeedItem:
    return _media(item, transcripts=(Transcript("https://e.com/t.weird", "text/x-weird"),))


def _xmlns_text(item: FeedItem, rng: random.Random) -> FeedItem:
    return _episode(item, summary=f"{item.episode.summary} xmlns")


def _plain_http(item: FeedItem, rng: random.Random) -> FeedItem:
    return _media(item, url=item.media.url.replace("https://", "http://"))


def _zero_length(item: FeedItem, rng: random.Random) -> FeedItem:
    return _media(item, length=0)


def _odd_type(item: FeedItem, rng: random.Random) -> FeedItem:
    return _media(item, type="audio/x-unknown")


def _same_audio(item: FeedItem, rng: random.Random) -> FeedItem:
    return _media(item, url="https://media.transistor.fm/00000000/same.mp3")


def _episode(item: FeedItem, **changes: Any) -> FeedItem:
    return FeedItem(dataclasses.replace(item.episode, **changes), item.media)


def _media(item: FeedItem, **changes: Any) -> FeedItem:
    return FeedItem(item.episode, dataclasses.replace(item.media, **changes))


CHANGES: list[Callable[[FeedItem, random.Random], FeedItem]] = [
    _html_title,
    _same_title,
    _future,
    _long_description,
    _escaped_entity,
    _odd_transcript,
    _xmlns_text,
    _plain_http,
    _zero_length,
    _odd_type,
    _same_audio,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_feed_with_problems_is_checked_as_its_bytes_would_be(
    jobs: list[FeedJob], change: Callable[[FeedItem, random.Random], FeedItem]
) -> None:
    """Each change on two items of each feed; the problems must be there, and the same."""
    rng = random.Random(change.__name__)
    found = 0
    for job in jobs:
        if len(job.items) < 2:
            continue
        items = list(job.items)
        for index in rng.sample(range(len(items)), 2):
            items[index] = change(items[index], rng)
        found += len(assert_same(dataclasses.replace(job, items=items)))
    assert found or change is _xmlns_text


@pytest.mark.parametrize("seed", range(12))
def test_a_feed_with_many_problems_is_checked_as_its_bytes_would_be(
    jobs: list[FeedJob], seed: int
) -> None:
    rng = random.Random(seed)
    job = rng.choice([job for job in jobs if len(job.items) >= 3])
    items = list(job.items)
    for _ in range(rng.randint(1, 6)):
        index = rng.randrange(len(items))
        items[index] = rng.choice(CHANGES)(items[index], rng)
    assert_same(dataclasses.replace(job, items=items))


def test_an_empty_feed_is_checked_from_its_bytes(jobs: list[FeedJob]) -> None:
    assert_same(dataclasses.replace(jobs[0], items=[]))


def test_screening_flags_exactly_the_items_with_problems_of_their_own() -> None:
    document = etree.ElementTree(
        etree.fromstring(
            b"<rss version='2.0' xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'>"
            b"<channel><title>Show</title>"
            b"<item><title>Fine</title><guid isPermaLink='false'>a</guid>"
            b"<enclosure url='https://e.com/a.mp3' length='1' type='audio/mpeg'/>"
            b"<pubDate>Mon, 02 Jan 2023 10:00:00 +0000</pubDate></item>"
            b"<item><title>No guid</title>"
            b"<enclosure url='https://e.com/b.mp3' length='1' type='audio/mpeg'/>"
            b"<pubDate>Mon, 02 Jan 2023 10:00:00 +0000</pubDate></item>"
            b"</channel></rss>"
        )
    )
    screened = screen_items(document, source="f.xml", rules={"item-guid-missing"}, now=NOW)
    assert screened is not None
    assert [(info.title, info.guid, found) for info, found in screened] == [
        ("Fine", "a", False),
        ("No guid", None, True),
    ]
    assert document.getroot()[0].find("item") is None  # removed as checked, as when streaming


def test_screening_refuses_a_document_with_two_channels() -> None:
    document = etree.ElementTree(etree.fromstring(b"<rss><channel/><channel/></rss>"))
    assert screen_items(document, source="f.xml", rules=set(), now=NOW) is None
    problems, _ = validate_document(b"<rss><channel/><channel/></rss>", source="f.xml", now=NOW)
    assert problems  # (the bytes path reports it)
