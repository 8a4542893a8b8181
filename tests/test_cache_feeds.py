"""The feed cache as the feed stage sees it: recall what a feed's last render gives for new
inputs, remember a render. The build-level behaviour is in test_cache.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from podfeed.cache import EpisodeCache, FeedCache, content_digest
from podfeed.config.model import Show
from podfeed.feed import FeedItem, render_feed
from podfeed.feed.render import FeedJob, render_one
from podfeed.publish.files import atomic_write
from tests.test_feed import make_episode, make_media, make_show

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def episodes_cache(feed_items: list[FeedItem]) -> EpisodeCache:
    """An in-memory episode cache that knows every item's episode file (its content key)."""
    cache = EpisodeCache(None, "fingerprint")
    for item in feed_items:
        episode = item.episode
        parsed = (episode, [], {})
        digest = content_digest(episode.source.encode())
        cache.store(Path(episode.source), (0, 0, 0, 0, 0), digest, parsed)
    return cache


def make_items(count: int) -> list[FeedItem]:
    return [
        FeedItem(make_episode(n, NOW - timedelta(days=n)), make_media(n))
        for n in range(1, count + 1)
    ]


def remembered(
    tmp_path: Path, show: Show, feed_items: list[FeedItem]
) -> tuple[FeedCache, FeedJob, bytes]:
    """A feed rendered, written, and told to a cache saved in ``tmp_path``."""
    path = tmp_path / "feeds" / "en.xml"
    cache = FeedCache(tmp_path, {show.id: episodes_cache(feed_items)})
    job = FeedJob(show, "en", feed_items, [], path)
    rendered = render_one(job, NOW)
    atomic_write(path, rendered.data)
    recall = cache.recall(path, show, "en", [], [(i.episode, i.media) for i in feed_items])
    assert not recall.read and not cache.rendered_before(path)
    cache.remember(
        recall,
        size=len(rendered.data),
        digest=content_digest(rendered.data),
        problems=rendered.timeless,
        newest=feed_items[0].episode.date,
        layout=rendered.layout,
    )
    cache.save()
    return FeedCache(tmp_path, cache.shows), job, rendered.data


def test_the_same_inputs_give_back_the_file_on_disk(tmp_path: Path) -> None:
    show = make_show()
    feed_items = make_items(4)
    cache, job, data = remembered(tmp_path, show, feed_items)
    recall = cache.recall(job.path, show, "en", [], [(i.episode, i.media) for i in feed_items])
    assert recall.read and recall.on_disk == data
    assert recall.unchanged and recall.digest == content_digest(data)


def test_a_changed_item_leaves_the_others_to_reuse(tmp_path: Path) -> None:
    show = make_show()
    feed_items = make_items(4)
    cache, job, data = remembered(tmp_path, show, feed_items)
    changed = list(feed_items)
    changed[2] = FeedItem(changed[2].episode, replace(changed[2].media, length=1))
    recall = cache.recall(job.path, show, "en", [], [(i.episode, i.media) for i in changed])
    assert not recall.unchanged
    reuse = recall.reuse(0.5)
    assert reuse is not None
    assert [fragment is None for fragment in reuse.fragments] == [False, False, True, False]
    assert all(fragment is None or fragment in data for fragment in reuse.fragments)
    assert len(reuse.replaced) == 1 and reuse.replaced[0] in data
    assert recall.reuse(0.2) is None  # one item in four is more than a fifth


def test_a_feed_file_that_is_not_the_last_render_is_not_reused(tmp_path: Path) -> None:
    show = make_show()
    feed_items = make_items(3)
    cache, job, data = remembered(tmp_path, show, feed_items)
    job.path.write_bytes(data.replace(b"Episode 1", b"Episode I"))  # edited by hand
    recall = cache.recall(job.path, show, "en", [], [(i.episode, i.media) for i in feed_items])
    assert recall.read and recall.on_disk != data
    assert recall.previous is None and not recall.unchanged and recall.reuse(1.0) is None


def test_an_episode_the_cache_does_not_know_keeps_the_feed_out_of_it(tmp_path: Path) -> None:
    show = make_show()
    feed_items = make_items(2)
    cache = FeedCache(tmp_path, {show.id: episodes_cache(feed_items[:1])})
    path = tmp_path / "en.xml"
    recall = cache.recall(path, show, "en", [], [(i.episode, i.media) for i in feed_items])
    assert recall.keys is None
    data = render_feed(show, "en", feed_items)
    cache.remember(recall, size=len(data), digest=b"d", problems=(), newest=None, layout=None)
    assert not cache.rendered_before(path)


def test_a_damaged_feed_cache_starts_cold(tmp_path: Path) -> None:
    show = make_show()
    cache, job, _ = remembered(tmp_path, show, make_items(2))
    assert cache.rendered_before(job.path)
    (tmp_path / "feeds.pickle").write_bytes(b"garbage")
    assert not FeedCache(tmp_path, cache.shows).rendered_before(job.path)
