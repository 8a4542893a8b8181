"""ping: WebSub hubs and Podcast Index pubnotify are told about each feed; failures are warnings.

The WebSub hub is a tiny server in this file because it must record the POST body (the shared
loopback server in tests/server.py records method, path, query and headers only).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from podfeed.config.model import HttpConfig
from podfeed.media.http import Http
from podfeed.problems import Level
from podfeed.publish.ping import PingTarget, ping
from tests.server import Reply, Server

FAST = HttpConfig(timeout=2.0, concurrency=4, retries=2, max_retry_after=1.0, max_bytes=10_000)
FEEDS = [
    "https://example.org/feeds/edt/en.xml",
    "https://example.org/feeds/edt/de.xml?x=1&y=ü",
]


@dataclass
class Post:
    path: str
    content_type: str
    body: bytes


@dataclass
class Hub:
    """A WebSub hub on 127.0.0.1 that records every POST and answers ``status``."""

    status: int = 204
    posts: list[Post] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""


@pytest.fixture
def hub() -> Iterator[Hub]:
    state = Hub()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with state.lock:
                state.posts.append(Post(self.path, self.headers.get("Content-Type", ""), body))
            moved = self.path == "/old-hub"
            self.send_response(307 if moved else state.status)
            if moved:
                self.send_header("Location", "/hub")
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def http() -> Iterator[Http]:
    with Http(FAST, sleep=lambda _seconds: None) as client:
        yield client


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_hub_receives_one_form_encoded_publish_per_feed(hub: Hub, http: Http) -> None:
    problems = ping(FEEDS, [PingTarget("websub", hub.url)], http=http)

    assert problems == []
    assert len(hub.posts) == len(FEEDS)
    assert {post.path for post in hub.posts} == {"/hub"}
    assert {post.content_type for post in hub.posts} == {"application/x-www-form-urlencoded"}
    forms = sorted(
        (parse_qs(post.body.decode("ascii"), strict_parsing=True) for post in hub.posts), key=str
    )
    assert forms == sorted(
        ({"hub.mode": ["publish"], "hub.url": [feed]} for feed in FEEDS), key=str
    )


def test_the_hub_body_is_exactly_the_publish_form(hub: Hub, http: Http) -> None:
    ping(["https://example.org/a b.xml"], [PingTarget("websub", hub.url)], http=http)

    assert [post.body for post in hub.posts] == [
        b"hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Fa+b.xml"
    ]


def test_a_hub_that_moved_with_307_receives_the_same_form_at_its_new_address(
    hub: Hub, http: Http
) -> None:
    old_hub = hub.url.replace("/hub", "/old-hub")

    problems = ping(FEEDS[:1], [PingTarget("websub", old_hub)], http=http)

    assert problems == []
    assert [post.path for post in hub.posts] == ["/old-hub", "/hub"]
    assert hub.posts[0].body == hub.posts[1].body
    assert parse_qs(hub.posts[1].body.decode()) == {"hub.mode": ["publish"], "hub.url": [FEEDS[0]]}


def test_pubnotify_receives_the_feed_url_as_a_parameter(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/api/1.0/hub/pubnotify", Reply(200, b'{"status":"true"}'))
    endpoint = transistor_server.url("/api/1.0/hub/pubnotify")

    problems = ping(FEEDS, [PingTarget("podcastindex", endpoint)], http=http)

    assert problems == []
    requests = transistor_server.requests_to("/api/1.0/hub/pubnotify")
    assert {r.method for r in requests} == {"GET"}
    assert sorted(r.query["url"] for r in requests) == sorted([feed] for feed in FEEDS)


def test_pubnotify_keeps_a_query_the_endpoint_already_has(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/notify", Reply(200))

    ping(FEEDS[:1], [PingTarget("podcastindex", transistor_server.url("/notify?k=v"))], http=http)

    (request,) = transistor_server.requests_to("/notify")
    assert request.query == {"k": ["v"], "url": [FEEDS[0]]}


def test_a_server_error_is_an_error_naming_target_and_feed(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/notify", Reply(500, b"oops"))
    endpoint = transistor_server.url("/notify")

    problems = ping(FEEDS[:1], [PingTarget("podcastindex", endpoint)], http=http)

    assert [(p.level, p.code) for p in problems] == [(Level.ERROR, "ping-failed")]
    assert endpoint in problems[0].message
    assert FEEDS[0] in problems[0].message
    assert "500" in problems[0].message
    assert transistor_server.count("/notify") == FAST.retries + 1  # retried like every request


def test_a_hub_that_refuses_is_an_error(hub: Hub, http: Http) -> None:
    hub.status = 400

    problems = ping(FEEDS[:1], [PingTarget("websub", hub.url)], http=http)

    assert [(p.level, p.code) for p in problems] == [(Level.ERROR, "ping-failed")]
    assert hub.url in problems[0].message and "400" in problems[0].message


def test_an_unreachable_target_is_an_error_not_an_exception(http: Http) -> None:
    dead = f"http://127.0.0.1:{_unused_port()}/hub"

    problems = ping(FEEDS, [PingTarget("websub", dead)], http=http)

    assert [(p.level, p.code) for p in problems] == [(Level.ERROR, "ping-failed")] * 2
    assert [feed in p.message for p, feed in zip(problems, FEEDS, strict=True)] == [True, True]
    assert all(dead in p.message for p in problems)


def test_one_failing_target_does_not_stop_the_others(
    hub: Hub, transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/notify", Reply(503))
    targets = [
        PingTarget("podcastindex", transistor_server.url("/notify")),
        PingTarget("websub", hub.url),
    ]

    problems = ping(FEEDS, targets, http=http)

    assert len(problems) == 2
    assert all("podcastindex" in p.message for p in problems)
    assert len(hub.posts) == 2


def test_a_non_2xx_answer_that_is_no_error_still_fails_the_ping(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/notify", Reply(304))

    problems = ping(
        FEEDS[:1], [PingTarget("podcastindex", transistor_server.url("/notify"))], http=http
    )

    assert [p.code for p in problems] == ["ping-failed"]
    assert "304" in problems[0].message


def test_an_unknown_kind_is_a_warning_and_sends_nothing(
    transistor_server: Server, http: Http
) -> None:
    problems = ping(
        FEEDS[:1], [PingTarget("carrier-pigeon", transistor_server.url("/x"))], http=http
    )

    assert [p.code for p in problems] == ["ping-unknown-target"]
    assert transistor_server.total == 0


def test_nothing_to_ping_sends_nothing(http: Http) -> None:
    assert ping([], [PingTarget("websub", "https://hub.example/")], http=http) == []
    assert ping(FEEDS, [], http=http) == []
    assert http.requests == 0
