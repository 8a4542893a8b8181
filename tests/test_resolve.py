"""resolve(): the build's one call for media, end to end against the loopback Transistor/YouTube.

Request counts are asserted from the server's own counters: they are the contract that makes
builds cheap (cold = 1 request, warm = 1 conditional request, offline = 0).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from podfeed.config.model import HttpConfig, Owner, Show, TransistorConfig, YoutubeConfig
from podfeed.media.lock import Lock, LockEntry, VideoState, dumps_lock
from podfeed.media.resolve import (
    AUDIO_MISSING,
    FEED_UNUSABLE,
    LOCK_STALE,
    MEDIA_UNREACHABLE,
    VIDEO_MISSING,
    YOUTUBE_UNREACHABLE,
    Resolution,
    resolve,
)
from podfeed.model import Episode, Media
from podfeed.problems import Level
from tests.server import Reply, Request, Server, feed_route, install_audio, make_feed, share_page

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
MAX_AGE = 7 * 24 * 3600
HTTP = HttpConfig(timeout=1.0, concurrency=8, retries=1, max_retry_after=30.0, max_bytes=200_000)
IDS = ["cea47899", "1a2b3c4d", "5e6f7a8b"]
FAKE_KEY = "FAKE-TRANSISTOR-KEY-5f5f5f5f"


def episode(share_id: str | None, lang: str = "en", video: str | None = None) -> Episode:
    source = f"episodes/edt-{share_id}/{lang}/episode.md"
    return Episode(
        path=Path(source),
        source=source,
        show="edt",
        lang=lang,
        number=189,
        title="Parallel Works AI Workload Automation",
        permalink=f"episode-{share_id}-{lang}",
        url=f"https://www.embracingdigital.org/episode-{share_id}-{lang}",
        date=NOW,
        summary="",
        description="",
        notes_html="",
        transistor_id=share_id,
        transistor_line=18,
        youtube_id=video,
    )


def make_show(server: Server, *, check_videos: bool = False, **changes: object) -> Show:
    fields: dict[str, object] = {
        "id": "edt",
        "title": {"en": "Embracing Digital Transformation"},
        "description": {"en": "About digital transformation."},
        "author": "Darren W Pulsipher",
        "owner": Owner("Darren W Pulsipher", "podcast@embracingdigital.org"),
        "image": "https://www.embracingdigital.org/full-logo.png",
        "site_url": "https://www.embracingdigital.org/",
        "feed_url": "https://www.embracingdigital.org/feeds/{show}/{lang}.xml",
        "episodes": ("episodes/*/*/episode.md",),
        "languages": ("en",),
        "default_language": "en",
        "timezone": "UTC",
        "root": Path("."),
        "transistor": TransistorConfig(
            feed_url=server.url("/feed"),
            share_url=server.base_url,
            api_url=server.url("/v1"),
        ),
        "youtube": YoutubeConfig(check=check_videos, oembed_url=server.url("/youtube/oembed")),
    }
    fields.update(changes)
    return Show(**fields)  # type: ignore[arg-type]


def wanted_for(ids: Sequence[str]) -> dict[str, list[Episode]]:
    return {i: [episode(i)] for i in ids}


def feed_items(ids: Sequence[str]) -> dict[str, str]:
    return {i: f"https://media.transistor.fm/{i}/0badf00d.mp3" for i in ids}


def run(
    server: Server,
    lock: Lock,
    *,
    ids: Sequence[str] = IDS,
    wanted: dict[str, list[Episode]] | None = None,
    offline: bool = False,
    now: datetime = NOW,
    show: Show | None = None,
    http: HttpConfig = HTTP,
    env: dict[str, str] | None = None,
) -> Resolution:
    return resolve(
        show or make_show(server),
        wanted if wanted is not None else wanted_for(ids),
        lock,
        http=http,
        max_age=MAX_AGE,
        offline=offline,
        now=now,
        env=env or {},
        sleep=lambda _s: None,
    )


def codes(resolution: Resolution) -> list[str]:
    return sorted(p.code for p in resolution.problems)


def entry(url: str, *, checked: datetime | None = NOW, source: str = "feed") -> LockEntry:
    return LockEntry(Media(url=url, length=1234, type="audio/mpeg", duration=60), source, checked)


# --- the request budget --------------------------------------------------------------------------


def test_a_cold_build_with_every_id_in_the_feed_costs_one_request(
    transistor_server: Server,
) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS))))
    result = run(transistor_server, Lock())
    assert transistor_server.total == 1 and result.requests == 1
    assert sorted(result.media) == sorted(IDS)
    assert result.media["cea47899"].url == "https://media.transistor.fm/cea47899/0badf00d.mp3"
    assert result.media["cea47899"].guid is not None
    entry_ = result.lock.media["cea47899"]
    assert (entry_.source, entry_.checked) == ("feed", NOW)
    assert result.lock.feeds[transistor_server.url("/feed")].etag == '"v1"'
    assert result.problems == []


def test_a_warm_build_costs_one_conditional_request_and_changes_nothing(
    transistor_server: Server,
) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS))))
    cold = run(transistor_server, Lock())
    warm = run(transistor_server, cold.lock, now=NOW + timedelta(hours=1))
    assert transistor_server.count("/feed") == 2
    assert transistor_server.requests_to("/feed")[1].headers["if-none-match"] == '"v1"'
    assert warm.requests == 1
    assert dumps_lock(warm.lock) == dumps_lock(cold.lock)
    assert warm.media == cold.media and warm.problems == []


def test_an_offline_build_makes_no_request_and_counts_stale_entries(
    transistor_server: Server,
) -> None:
    lock = Lock(
        media={
            "cea47899": entry("https://media.transistor.fm/cea47899.mp3", checked=None),
            "1a2b3c4d": entry("https://media.transistor.fm/1a2b3c4d/a.mp3"),
        }
    )
    result = run(transistor_server, lock, offline=True)
    assert transistor_server.total == 0 and result.requests == 0
    assert result.stale_used == 1
    assert sorted(result.media) == ["1a2b3c4d", "cea47899"]
    stale = [p for p in result.problems if p.code == LOCK_STALE]
    assert len(stale) == 1 and stale[0].message.startswith("show edt: 1 lock entry is stale")
    missing = [p for p in result.problems if p.code == AUDIO_MISSING]
    assert [(p.file, p.line, p.level) for p in missing] == [
        ("episodes/edt-5e6f7a8b/en/episode.md", 18, Level.WARNING)
    ]
    assert "5e6f7a8b" in missing[0].message and "offline" in missing[0].message


def test_missing_audio_is_an_error_when_the_show_says_so(transistor_server: Server) -> None:
    show = make_show(transistor_server, missing_audio="error")
    result = run(transistor_server, Lock(), offline=True, show=show)
    assert {p.level for p in result.problems if p.code == AUDIO_MISSING} == {Level.ERROR}


def test_the_bundled_example_lock_is_refreshed_online(
    transistor_server: Server, repo: Path
) -> None:
    from podfeed.media.lock import read_lock

    example = read_lock(repo / "podfeed.lock")
    transistor_server.route("/feed", feed_route(make_feed(feed_items(["cea47899"]))))
    result = run(transistor_server, example, ids=["cea47899"])
    assert transistor_server.total == 1
    assert result.lock.media["cea47899"].source == "feed"
    assert result.lock.media["cea47899"].checked == NOW
    assert result.stale_used == 0
    assert example.media["cea47899"].source == "example"  # the input lock is not modified


def test_a_304_that_cannot_answer_a_new_id_reads_the_feed_in_full(
    transistor_server: Server,
) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS))))
    cold = run(transistor_server, Lock(), ids=IDS[:2])
    result = run(transistor_server, cold.lock, ids=IDS)
    assert transistor_server.count("/feed") == 3
    assert "if-none-match" not in transistor_server.requests_to("/feed")[2].headers
    assert "5e6f7a8b" in result.media


def test_entries_nobody_asked_for_are_kept(transistor_server: Server) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS))))
    other = entry("https://media.transistor.fm/ffffffff/a.mp3", checked=None, source="share")
    result = run(transistor_server, Lock(media={"ffffffff": other}))
    assert result.lock.media["ffffffff"] == other


def test_a_changed_enclosure_in_the_feed_replaces_a_fresh_entry(transistor_server: Server) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS)), etag='"v2"'))
    old = entry("https://media.transistor.fm/cea47899/old.mp3", checked=NOW - timedelta(hours=1))
    result = run(transistor_server, Lock(media={"cea47899": old}))
    assert result.lock.media["cea47899"].media.url.endswith("/0badf00d.mp3")


# --- ids the feed does not have ------------------------------------------------------------------


def test_ids_missing_from_the_feed_come_from_share_pages_and_head(
    transistor_server: Server,
) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS[:2]))))
    audio = install_audio(transistor_server, "/media/5e6f7a8b/77777777.mp3", 28_311_552)
    transistor_server.route("/s/5e6f7a8b", share_page(audio, share_id="5e6f7a8b"))
    result = run(transistor_server, Lock())
    media = result.media["5e6f7a8b"]
    assert (media.url, media.length, media.type) == (audio, 28_311_552, "audio/mpeg")
    assert result.lock.media["5e6f7a8b"].source == "share"
    assert transistor_server.total == 4  # feed, share page, HEAD, redirected HEAD
    assert result.problems == []


def test_two_hundred_missing_ids_are_resolved_in_parallel(transistor_server: Server) -> None:
    ids = [f"{n:08x}" for n in range(0xA0000000, 0xA0000000 + 200)]
    transistor_server.route("/feed", feed_route(make_feed({})))

    def page(request: Request) -> Reply:
        share_id = request.path.rsplit("/", 1)[1]
        reply = share_page(transistor_server.url(f"/a/{share_id}/f.mp3"), share_id=share_id)
        return Reply(reply.status, reply.body, reply.headers, delay=0.1)

    def audio(_request: Request) -> Reply:
        return Reply(200, headers={"Content-Type": "audio/mpeg"}, declared_length=5, delay=0.1)

    for share_id in ids:
        transistor_server.route(f"/s/{share_id}", page)
        transistor_server.route(f"/a/{share_id}/f.mp3", audio)
    result = run(transistor_server, Lock(), ids=ids)
    assert len(result.media) == 200 and result.problems == []
    assert transistor_server.total == 1 + 200 * 2
    assert transistor_server.max_in_flight >= 2
    # The server counts a request as done only after its answer went out, so the client's next
    # request can be counted a moment early: one over the bound is that race, not a leak.
    assert transistor_server.max_in_flight <= HTTP.concurrency + 1


def test_an_id_nobody_knows_is_a_problem_naming_the_episode_and_what_was_tried(
    transistor_server: Server,
) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS[:2]))))
    wanted = {**wanted_for(IDS[:2]), "5e6f7a8b": [episode("5e6f7a8b"), episode("5e6f7a8b", "de")]}
    result = run(transistor_server, Lock(), wanted=wanted)
    missing = [p for p in result.problems if p.code == AUDIO_MISSING]
    assert [p.file for p in missing] == [
        "episodes/edt-5e6f7a8b/en/episode.md",
        "episodes/edt-5e6f7a8b/de/episode.md",
    ]
    assert transistor_server.url("/s/5e6f7a8b") in missing[0].message
    assert "embed page" in missing[0].message and "oEmbed" in missing[0].message
    assert "5e6f7a8b" not in result.lock.media


# --- faults: what the user sees, and that the lock loses nothing ---------------------------------


def _known_lock() -> Lock:
    old = NOW - timedelta(days=30)  # stale: an online build wants to refresh them
    return Lock(
        media={i: entry(f"https://media.transistor.fm/{i}/a.mp3", checked=old) for i in IDS}
    )


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (Reply(503), "HTTP 503"),
        (Reply(action="reset"), "gave up after 2 attempts"),
        (Reply(200, b"<rss/>", delay=3.0), "no answer within 1 s"),
        (Reply(429, headers={"Retry-After": "3600"}), "asked to wait 3600 s"),
    ],
    ids=["503-burst", "connection-reset", "slow", "429-too-long"],
)
def test_an_unreachable_transistor_keeps_every_entry_with_one_warning(
    transistor_server: Server, reply: Reply, why: str
) -> None:
    transistor_server.route("/feed", reply)
    lock = _known_lock()
    wanted = {**wanted_for(IDS), "0f0f0f0f": [episode("0f0f0f0f")]}
    result = run(transistor_server, lock, wanted=wanted)
    assert result.lock.media == lock.media
    assert sorted(result.media) == sorted(IDS)
    warnings = [p for p in result.problems if p.code == MEDIA_UNREACHABLE]
    assert len(warnings) == 1
    assert warnings[0].message.startswith("show edt: 3 lock entries were not refreshed and are")
    assert why in warnings[0].message and transistor_server.url("/feed") in warnings[0].message
    assert result.stale_used == 3
    missing = [p for p in result.problems if p.code == AUDIO_MISSING]
    assert [p.file for p in missing] == ["episodes/edt-0f0f0f0f/en/episode.md"]
    assert why in missing[0].message
    assert transistor_server.count("/s/0f0f0f0f") == 0  # no share pages once Transistor is down


def test_a_429_with_a_short_retry_after_is_waited_out(transistor_server: Server) -> None:
    good = feed_route(make_feed(feed_items(IDS)))
    transistor_server.route(
        "/feed", [Reply(429, headers={"Retry-After": "2"}), good(Request("GET", "/feed", {}, {}))]
    )
    result = run(transistor_server, Lock())
    assert sorted(result.media) == sorted(IDS) and result.problems == []
    assert transistor_server.count("/feed") == 2


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (make_feed(feed_items(IDS))[:200], "not well-formed XML"),
        ((Path(__file__).parent / "data/transistor/billion-laughs.xml").read_bytes(), "entities"),
        (b"x" * 300_000, "larger than the limit"),
    ],
    ids=["truncated", "billion-laughs", "oversized"],
)
def test_an_unusable_feed_is_one_warning_and_share_pages_take_over(
    transistor_server: Server, body: bytes, why: str
) -> None:
    transistor_server.route("/feed", Reply(200, body))
    transistor_server.route(
        "/s/cea47899", share_page(install_audio(transistor_server, "/m/cea47899.mp3", 77))
    )
    lock = Lock(media={"1a2b3c4d": entry("https://media.transistor.fm/1a2b3c4d/a.mp3")})
    result = run(transistor_server, lock, ids=["cea47899", "1a2b3c4d"])
    unusable = [p for p in result.problems if p.code == FEED_UNUSABLE]
    assert len(unusable) == 1 and why in unusable[0].message
    assert transistor_server.url("/feed") in unusable[0].message
    assert result.media["cea47899"].length == 77
    assert result.lock.media["1a2b3c4d"] == lock.media["1a2b3c4d"]


def test_an_external_entity_feed_never_reads_the_local_file(
    transistor_server: Server, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        f"<rss><channel><item><title>&x;</title><link>https://share.transistor.fm/s/cea47899</link>"
        f'<enclosure url="https://media.transistor.fm/cea47899/a.mp3" length="1" '
        f'type="audio/mpeg"/>'
        f"</item></channel></rss>"
    ).encode()
    transistor_server.route("/feed", Reply(200, body))
    result = run(transistor_server, Lock(), ids=["cea47899"])
    assert FEED_UNUSABLE in codes(result)
    assert "TOP-SECRET" not in json.dumps([p.message for p in result.problems])
    assert "TOP-SECRET" not in dumps_lock(result.lock)


def test_a_404_feed_url_is_a_config_warning_not_a_lost_lock(transistor_server: Server) -> None:
    lock = _known_lock()
    for share_id in IDS:
        transistor_server.route(f"/s/{share_id}", Reply(404))
    result = run(transistor_server, lock)
    assert FEED_UNUSABLE in codes(result)
    assert result.lock.media == lock.media
    assert [p.code for p in result.problems].count(MEDIA_UNREACHABLE) == 1


# --- the API fallback ----------------------------------------------------------------------------


def test_the_api_is_used_only_with_a_key_and_never_leaks_it(transistor_server: Server) -> None:
    transistor_server.route("/feed", feed_route(make_feed({})))
    audio = install_audio(transistor_server, "/media/cea47899/api.mp3", 4242)
    api = {
        "data": [
            {
                "attributes": {
                    "share_url": "https://share.transistor.fm/s/cea47899",
                    "media_url": audio,
                }
            }
        ],
        "meta": {"totalPages": 1},
    }
    transistor_server.route("/v1/episodes", Reply(200, json.dumps(api).encode()))
    show = make_show(
        transistor_server,
        transistor=TransistorConfig(
            feed_url=transistor_server.url("/feed"),
            share_url=transistor_server.base_url,
            api_url=transistor_server.url("/v1"),
            show_id="12345",
        ),
    )
    without = run(transistor_server, Lock(), ids=["cea47899"], show=show)
    assert transistor_server.count("/v1/episodes") == 0 and "cea47899" not in without.media
    with_key = run(
        transistor_server, Lock(), ids=["cea47899"], show=show, env={"TRANSISTOR_API_KEY": FAKE_KEY}
    )
    assert with_key.media["cea47899"].length == 4242
    assert with_key.lock.media["cea47899"].source == "api"
    assert transistor_server.requests_to("/v1/episodes")[0].headers["x-api-key"] == FAKE_KEY
    assert FAKE_KEY not in dumps_lock(with_key.lock)
    assert FAKE_KEY not in repr(with_key)


# --- YouTube -------------------------------------------------------------------------------------


def test_videos_are_checked_once_per_id_and_missing_ones_reported(
    transistor_server: Server,
) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS[:2]))))

    def oembed(request: Request) -> Reply:
        url = request.arg("url") or ""
        return Reply(200, b"{}") if url.endswith("ImbRcqDHYV0") else Reply(404)

    transistor_server.route("/youtube/oembed", oembed)
    wanted = {
        "cea47899": [
            episode("cea47899", "en", "ImbRcqDHYV0"),
            episode("cea47899", "de", "ImbRcqDHYV0"),
        ],
        "1a2b3c4d": [episode("1a2b3c4d", "en", "AAAAAAAAAAA")],
    }
    show = make_show(transistor_server, check_videos=True)
    result = run(transistor_server, Lock(), wanted=wanted, show=show)
    assert transistor_server.count("/youtube/oembed") == 2
    assert result.videos_missing == {"AAAAAAAAAAA"}
    assert result.lock.youtube["ImbRcqDHYV0"] == VideoState(True, NOW)
    missing = [p for p in result.problems if p.code == VIDEO_MISSING]
    assert [p.file for p in missing] == ["episodes/edt-1a2b3c4d/en/episode.md"]
    asked = transistor_server.requests_to("/youtube/oembed")[0]
    assert asked.arg("format") == "json"
    assert asked.arg(
        "url",
    ).startswith("https://www.youtube.com/watch?v=")  # type: ignore[union-attr]


def test_a_youtube_network_failure_keeps_the_previous_answer(transistor_server: Server) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(["cea47899"]))))
    transistor_server.route("/youtube/oembed", Reply(503))
    earlier = VideoState(exists=False, checked=NOW - timedelta(days=30))
    wanted = {"cea47899": [episode("cea47899", video="ImbRcqDHYV0")]}
    show = make_show(transistor_server, check_videos=True)
    result = run(
        transistor_server, Lock(youtube={"ImbRcqDHYV0": earlier}), wanted=wanted, show=show
    )
    assert result.lock.youtube["ImbRcqDHYV0"] == earlier
    assert YOUTUBE_UNREACHABLE in codes(result)
    assert result.videos_missing == {"ImbRcqDHYV0"}


def test_offline_video_answers_come_from_the_lock(transistor_server: Server) -> None:
    lock = Lock(
        media={"cea47899": entry("https://media.transistor.fm/cea47899/a.mp3")},
        youtube={"ImbRcqDHYV0": VideoState(exists=False, checked=NOW)},
    )
    wanted = {"cea47899": [episode("cea47899", video="ImbRcqDHYV0")]}
    show = make_show(transistor_server, check_videos=True)
    result = run(transistor_server, lock, wanted=wanted, show=show, offline=True)
    assert transistor_server.total == 0
    assert result.videos_missing == {"ImbRcqDHYV0"} and codes(result) == [VIDEO_MISSING]


def test_only_limits_network_work_to_the_named_ids(transistor_server: Server) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS))))
    lock = _known_lock()
    result = resolve(
        make_show(transistor_server),
        wanted_for(IDS),
        lock,
        http=HTTP,
        max_age=MAX_AGE,
        offline=False,
        only={"cea47899"},
        now=NOW,
        env={},
    )
    assert result.lock.media["cea47899"].checked == NOW
    assert result.lock.media["1a2b3c4d"] == lock.media["1a2b3c4d"]
    assert result.stale_used == 2


def test_refresh_rechecks_fresh_entries(transistor_server: Server) -> None:
    transistor_server.route("/feed", feed_route(make_feed(feed_items(IDS))))
    cold = run(transistor_server, Lock())
    later = NOW + timedelta(hours=1)
    result = resolve(
        make_show(transistor_server),
        wanted_for(IDS),
        cold.lock,
        http=HTTP,
        max_age=MAX_AGE,
        offline=False,
        refresh=True,
        now=later,
        env={},
    )
    assert "if-none-match" not in transistor_server.requests_to("/feed")[1].headers
    assert {e.checked for e in result.lock.media.values()} == {later}
