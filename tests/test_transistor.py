"""Transistor: share ids in every enclosure shape, the safe feed parser, pages, HEAD and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podfeed.config.model import HttpConfig
from podfeed.media.http import FetchError, Http
from podfeed.media.transistor import (
    FeedParseError,
    NotFoundError,
    RateLimiter,
    api_episodes,
    audio_url_from_page,
    fetch_feed,
    find_audio_url,
    parse_duration,
    parse_feed,
    probe_audio,
    share_id_from_url,
)
from podfeed.model import Transcript
from tests.server import Reply, Server, feed_route, install_audio, share_page

DATA = Path(__file__).parent / "data" / "transistor"
FEED = (DATA / "feed.xml").read_bytes()
CONFIG = HttpConfig(timeout=1.0, retries=0, max_bytes=100_000)


@pytest.fixture
def http() -> Http:
    with Http(CONFIG, sleep=lambda _s: None) as client:
        yield client  # type: ignore[misc]


@pytest.mark.parametrize(
    ("url", "share_id"),
    [
        ("https://media.transistor.fm/cea47899/5c4d2a1b.mp3", "cea47899"),
        ("https://media.transistor.fm/cea47899/5c4d2a1b.mp3?src=rss", "cea47899"),
        ("https://media.transistor.fm/cea47899.mp3", "cea47899"),
        ("https://op3.dev/e/media.transistor.fm/cea47899/5c4d2a1b.mp3", "cea47899"),
        ("https://pdst.fm/e/media.transistor.fm/cea47899/5c4d2a1b.mp3", "cea47899"),
        (
            "https://dts.podtrac.com/redirect.mp3/media.transistor.fm/cea47899/5c4d2a1b.mp3",
            "cea47899",
        ),
        (
            "https://op3.dev/e/dts.podtrac.com/redirect.mp3/media.transistor.fm/cea47899.mp3",
            "cea47899",
        ),
        ("https://op3.dev/e/,pg=7e1b3b5a/media.transistor.fm/CEA47899/5c4d2a1b.mp3", "cea47899"),
        ("https://audio.example.com/episodes/edt-183.mp3", None),
        ("https://media.transistor.fm/cea4789/5c4d2a1b.mp3", None),
    ],
)
def test_the_share_id_is_found_in_every_enclosure_shape(url: str, share_id: str | None) -> None:
    assert share_id_from_url(url) == share_id


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1740", 1740), ("29:00", 1740), ("00:29:00", 1740), ("1:02:03", 3723), ("1740.6", 1740)],
)
def test_durations_are_whole_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", [None, "", "half an hour", "1:2:3:4", "-5"])
def test_odd_durations_are_unknown_not_zero(text: str | None) -> None:
    assert parse_duration(text) is None


def test_the_feed_is_indexed_by_share_id_keeping_enclosures_as_published() -> None:
    items = parse_feed(FEED, url="feed.xml")
    assert sorted(items) == sorted(
        [
            "cea47899",
            "1a2b3c4d",
            "5e6f7a8b",
            "9c0d1e2f",
            "a1b2c3d4",
            "b5c6d7e8",
            "c9d0e1f2",
            "d3e4f5a6",
        ]
    )
    assert items["c9d0e1f2"].url == (
        "https://op3.dev/e/dts.podtrac.com/redirect.mp3/media.transistor.fm/c9d0e1f2/abad1dea.mp3?src=rss"
    )
    assert items["1a2b3c4d"].url.endswith("9e8f7a6b.mp3?src=rss")
    # An enclosure on another domain: the id comes from the item link.
    assert items["d3e4f5a6"].url == "https://audio.embracingdigital.org/episodes/edt-183.mp3"


def test_a_feed_item_carries_length_type_duration_guid_and_transcripts() -> None:
    media = parse_feed(FEED, url="feed.xml")["cea47899"]
    assert (media.length, media.type, media.duration) == (41943040, "audio/mpeg", 1740)
    assert media.guid == "2f6a3c1e-8d4b-4f7a-9c2e-1b3d5f7a9c0e"
    assert media.transcripts[0] == Transcript(
        url="https://share.transistor.fm/s/cea47899/transcription.vtt",
        type="text/vtt",
        language="en",
        rel="captions",
    )
    assert [t.type for t in media.transcripts] == [
        "text/vtt",
        "application/x-subrip",
        "application/json",
        "text/plain",
    ]
    assert media.transcripts[3].rel is None
    assert parse_feed(FEED, url="feed.xml")["5e6f7a8b"].duration == 1180  # written 00:19:40


def test_a_billion_laughs_feed_is_refused_without_expanding() -> None:
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed((DATA / "billion-laughs.xml").read_bytes(), url="https://feeds.example/x")


def test_an_external_entity_feed_is_refused_and_the_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><title>&x;</title></channel></rss>"
    ).encode()
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, url="https://feeds.example/x")
    assert "TOP-SECRET-CONTENT" not in caught.value.message


def test_a_truncated_feed_names_the_line() -> None:
    cut = FEED[: len(FEED) // 2]
    with pytest.raises(FeedParseError, match=r"not well-formed XML \(line \d+"):
        parse_feed(cut, url="https://feeds.example/x")


def test_something_that_is_not_rss_is_refused() -> None:
    with pytest.raises(FeedParseError, match="not an RSS feed"):
        parse_feed(b"<html><body>Moved</body></html>", url="https://feeds.example/x")


def test_the_feed_is_fetched_conditionally(transistor_server: Server, http: Http) -> None:
    transistor_server.route("/feed", feed_route(FEED, etag='"abc"'))
    first = fetch_feed(http, transistor_server.url("/feed"))
    assert first.items is not None and first.etag == '"abc"'
    second = fetch_feed(
        http, transistor_server.url("/feed"), etag=first.etag, last_modified=first.last_modified
    )
    assert second.items is None and second.etag == '"abc"'
    sent = transistor_server.requests_to("/feed")[1].headers
    assert sent["if-none-match"] == '"abc"' and "if-modified-since" in sent


@pytest.mark.parametrize(
    "html",
    [
        '<meta property="og:audio" content="https://media.transistor.fm/cea47899/a.mp3">',
        '<meta property="og:audio:url" content="https://media.transistor.fm/cea47899/a.mp3">',
        '<meta name="twitter:player:stream" content="https://media.transistor.fm/cea47899/a.mp3">',
        '<audio src="https://media.transistor.fm/cea47899/a.mp3"></audio>',
        '<audio controls><source src="https://media.transistor.fm/cea47899/a.mp3"></audio>',
        '<script>window.player={"media_url":"https:\\/\\/media.transistor.fm\\/cea47899\\/a.mp3"}'
        "</script>",
    ],
)
def test_a_page_is_searched_in_several_places_for_the_audio(html: str) -> None:
    page = f"<html><head>{html}</head><body></body></html>"
    found = audio_url_from_page(
        page, base_url="https://share.transistor.fm/s/cea47899", share_id="cea47899"
    )
    assert found == "https://media.transistor.fm/cea47899/a.mp3"


def test_a_page_without_audio_gives_none() -> None:
    page = "<html><head><title>x</title></head><body>nothing</body></html>"
    assert audio_url_from_page(page, base_url="https://x/", share_id="cea47899") is None


def test_the_share_page_is_asked_first(transistor_server: Server, http: Http) -> None:
    audio = "https://media.transistor.fm/cea47899/5c4d2a1b.mp3"
    transistor_server.route("/s/cea47899", share_page(audio, share_id="cea47899"))
    assert find_audio_url(http, transistor_server.base_url, "cea47899") == audio
    assert transistor_server.total == 1


def test_the_embed_page_is_asked_when_the_share_page_has_no_audio(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/s/cea47899", share_page(None, share_id="cea47899"))
    transistor_server.route(
        "/e/cea47899",
        Reply(200, b'<html><body><audio src="/media/cea47899/x.mp3"></audio></body></html>'),
    )
    found = find_audio_url(http, transistor_server.base_url, "cea47899")
    assert found == transistor_server.url("/media/cea47899/x.mp3")


def test_oembed_and_its_player_iframe_are_the_last_resort(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/s/cea47899", share_page(None, share_id="cea47899"))
    iframe = '<iframe src="/player/cea47899" width="100%" height="180"></iframe>'
    transistor_server.route(
        "/oembed", Reply(200, json.dumps({"type": "rich", "html": iframe}).encode())
    )
    transistor_server.route(
        "/player/cea47899",
        Reply(
            200, b'<meta property="og:audio" content="https://media.transistor.fm/cea47899/p.mp3">'
        ),
    )
    assert find_audio_url(http, transistor_server.base_url, "cea47899").endswith("/cea47899/p.mp3")
    assert transistor_server.count("/oembed") == 1


def test_when_nothing_names_audio_every_source_tried_is_listed(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/s/cea47899", share_page(None, share_id="cea47899"))
    with pytest.raises(NotFoundError) as caught:
        find_audio_url(http, transistor_server.base_url, "cea47899")
    message = caught.value.message
    assert "share id cea47899" in message
    assert f"share page {transistor_server.url('/s/cea47899')} (no og:audio" in message
    assert f"embed page {transistor_server.url('/e/cea47899')} (HTTP 404" in message
    assert "oEmbed " in message and "(HTTP 404" in message


def test_a_network_failure_on_the_share_page_is_not_a_not_found(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/s/cea47899", Reply(503))
    with pytest.raises(FetchError) as caught:
        find_audio_url(http, transistor_server.base_url, "cea47899")
    assert caught.value.transient


def test_head_gives_length_and_type_through_a_redirect(
    transistor_server: Server, http: Http
) -> None:
    url = install_audio(transistor_server, "/media/cea47899/5c4d2a1b.mp3", 41_943_040)
    assert probe_audio(http, url) == (41_943_040, "audio/mpeg")
    assert transistor_server.count("/cdn/media/cea47899/5c4d2a1b.mp3", method="HEAD") == 1


def test_a_refused_head_falls_back_to_a_one_byte_range(
    transistor_server: Server, http: Http
) -> None:
    path = "/media/cea47899/a.mp3"
    transistor_server.route(path, Reply(405), method="HEAD")
    transistor_server.route(
        path,
        Reply(206, b"\xff", {"Content-Range": "bytes 0-0/1234567", "Content-Type": "audio/mpeg"}),
        method="GET",
    )
    assert probe_audio(http, transistor_server.url(path)) == (1_234_567, "audio/mpeg")
    assert transistor_server.requests_to(path)[1].headers["range"] == "bytes=0-0"


def test_a_head_that_keeps_failing_falls_back_to_a_one_byte_range(
    transistor_server: Server, http: Http
) -> None:
    path = "/media/cea47899/b.mp3"
    transistor_server.route(path, Reply(503), method="HEAD")  # after every retry
    transistor_server.route(
        path,
        Reply(206, b"\xff", {"Content-Range": "bytes 0-0/7654321", "Content-Type": "audio/mpeg"}),
        method="GET",
    )
    assert probe_audio(http, transistor_server.url(path)) == (7_654_321, "audio/mpeg")


def test_when_head_and_the_ranged_get_both_fail_the_error_says_both(
    transistor_server: Server, http: Http
) -> None:
    path = "/media/cea47899/c.mp3"
    transistor_server.route(path, Reply(503), method="HEAD")
    transistor_server.route(path, Reply(502), method="GET")
    with pytest.raises(FetchError) as caught:
        probe_audio(http, transistor_server.url(path))
    assert (
        "HEAD: HTTP 503" in caught.value.message and "ranged GET: HTTP 502" in caught.value.message
    )
    assert caught.value.transient  # the lock keeps what it had


def test_an_octet_stream_type_is_guessed_from_the_extension(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route(
        "/a.m4a",
        Reply(200, headers={"Content-Type": "application/octet-stream"}, declared_length=9),
    )
    assert probe_audio(http, transistor_server.url("/a.m4a")) == (9, "audio/x-m4a")


def test_a_server_that_never_tells_the_length_is_an_error(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/a.mp3", Reply(200, b"", content_length=False))
    with pytest.raises(FetchError, match="does not say how many bytes"):
        probe_audio(http, transistor_server.url("/a.mp3"))


FAKE_KEY = "FAKE-TRANSISTOR-KEY-0123456789"


def test_the_api_sends_the_key_only_in_its_header(transistor_server: Server) -> None:
    page = {
        "data": [
            {
                "id": "1",
                "attributes": {
                    "share_url": "https://share.transistor.fm/s/cea47899",
                    "media_url": "https://media.transistor.fm/cea47899/5c4d2a1b.mp3",
                },
            }
        ],
        "meta": {"currentPage": 1, "totalPages": 1},
    }
    transistor_server.route("/v1/episodes", Reply(200, json.dumps(page).encode()))
    limiter = RateLimiter(sleep=lambda _s: None)
    with Http(CONFIG, secrets=[FAKE_KEY]) as http:
        found = api_episodes(http, transistor_server.url("/v1"), "12345", FAKE_KEY, limiter=limiter)
    assert found == {"cea47899": "https://media.transistor.fm/cea47899/5c4d2a1b.mp3"}
    request = transistor_server.requests_to("/v1/episodes")[0]
    assert request.headers["x-api-key"] == FAKE_KEY
    assert request.arg("show_id") == "12345"
    assert FAKE_KEY not in json.dumps(request.query)


def test_an_api_error_never_shows_the_key(transistor_server: Server) -> None:
    transistor_server.route("/v1/episodes", Reply(401, FAKE_KEY.encode()))
    with Http(CONFIG, secrets=[FAKE_KEY]) as http, pytest.raises(FetchError) as caught:
        api_episodes(
            http, transistor_server.url("/v1"), "1", FAKE_KEY, limiter=RateLimiter(sleep=print)
        )
    assert FAKE_KEY not in str(caught.value) and FAKE_KEY not in repr(caught.value)


def test_the_rate_limiter_allows_ten_calls_per_ten_seconds() -> None:
    clock = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(10, 10.0, clock=lambda: clock[0], sleep=sleep)
    for _ in range(10):
        limiter.wait()
        clock[0] += 0.1
    assert waits == []
    limiter.wait()
    assert waits == [pytest.approx(9.0)]
