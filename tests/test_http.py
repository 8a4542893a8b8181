"""The shared HTTP client against a real loopback server: retries, limits, redirects, manners."""

from __future__ import annotations

import random
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest

from podfeed import __version__
from podfeed.config.model import HttpConfig
from podfeed.media.http import FetchError, Http, parse_retry_after
from tests.server import Reply, Request, Server

FAST = HttpConfig(timeout=0.5, concurrency=8, retries=3, max_retry_after=30.0, max_bytes=10_000)


class Sleeps(list[float]):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def http(sleeps: Sleeps) -> Http:
    with Http(FAST, sleep=sleeps) as client:
        yield client  # type: ignore[misc]


def test_a_plain_get_returns_the_body_and_counts_one_request(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/a", Reply(200, b"hello", {"Content-Type": "text/plain"}))
    response = http.get(transistor_server.url("/a"))
    assert (response.status, response.content, response.text) == (200, b"hello", "hello")
    assert http.requests == 1
    assert transistor_server.count("/a") == 1


def test_every_request_names_podfeed_and_its_version(transistor_server: Server, http: Http) -> None:
    transistor_server.route("/a", Reply(200, b""))
    http.get(transistor_server.url("/a"))
    agent = transistor_server.requests_to("/a")[0].headers["user-agent"]
    assert agent.startswith(f"podfeed/{__version__} ")


def test_the_body_is_decoded_with_the_charset_the_server_names(
    transistor_server: Server, http: Http
) -> None:
    body = "Grüße".encode("latin-1")
    transistor_server.route(
        "/a", Reply(200, body, {"Content-Type": "text/html; charset=ISO-8859-1"})
    )
    assert http.get(transistor_server.url("/a")).text == "Grüße"


def test_304_is_an_answer_not_an_error(transistor_server: Server, http: Http) -> None:
    transistor_server.route("/feed", Reply(304, b"", {"ETag": '"v1"'}))
    response = http.get(transistor_server.url("/feed"), headers={"If-None-Match": '"v1"'})
    assert response.status == 304
    assert transistor_server.requests_to("/feed")[0].headers["if-none-match"] == '"v1"'


def test_404_fails_at_once_without_retrying(
    transistor_server: Server, http: Http, sleeps: Sleeps
) -> None:
    with pytest.raises(FetchError) as caught:
        http.get(transistor_server.url("/missing"))
    error = caught.value
    assert (error.status, error.transient) == (404, False)
    assert error.url == transistor_server.url("/missing")
    assert "HTTP 404 Not Found" in error.message
    assert transistor_server.count("/missing") == 1
    assert sleeps == []


def test_a_burst_of_503_is_retried_after_random_waits_below_an_exponential_step(
    transistor_server: Server, sleeps: Sleeps
) -> None:
    transistor_server.route("/a", [Reply(503), Reply(503), Reply(200, b"ok")])
    with Http(FAST, sleep=sleeps, rng=random.Random(7)) as http:
        assert http.get(transistor_server.url("/a")).content == b"ok"
    assert transistor_server.count("/a") == 3
    # Full jitter: anywhere in [0, 0.5 s), then [0, 1 s): the same seed gives the same waits.
    expected = random.Random(7)
    assert sleeps == [expected.uniform(0, 0.5), expected.uniform(0, 1.0)]


def test_jitter_spreads_the_retries_of_requests_that_failed_together(
    transistor_server: Server,
) -> None:
    transistor_server.route("/a", Reply(503))
    waits: list[float] = []
    config = HttpConfig(timeout=0.5, retries=1, max_bytes=10_000)
    for _ in range(20):  # twenty requests failing at the same moment
        with Http(config, sleep=waits.append) as http, pytest.raises(FetchError):
            http.get(transistor_server.url("/a"))
    assert len(waits) == 20 and all(0 <= w < 0.5 for w in waits)
    assert len(set(waits)) == 20  # none comes back together with another


def test_a_lasting_5xx_gives_up_after_the_configured_retries(
    transistor_server: Server, http: Http, sleeps: Sleeps
) -> None:
    transistor_server.route("/a", Reply(502))
    with pytest.raises(FetchError, match=r"HTTP 502 Bad Gateway \(gave up after 4 attempts\)") as e:
        http.get(transistor_server.url("/a"))
    assert e.value.transient is True
    assert transistor_server.count("/a") == FAST.retries + 1
    assert len(sleeps) == 3
    assert all(0 <= wait < step for wait, step in zip(sleeps, [0.5, 1.0, 2.0], strict=True))


def test_no_retry_waits_past_the_retry_budget(transistor_server: Server) -> None:
    """A run has ``retry_budget`` seconds for every retry it makes: then it gives up."""
    transistor_server.route("/a", Reply(503))
    transistor_server.route("/b", Reply(429, headers={"Retry-After": "4"}))
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    config = HttpConfig(timeout=0.5, retries=10, retry_budget=10.0, max_bytes=10_000)
    with Http(config, sleep=sleep, clock=lambda: now[0]) as http:
        with pytest.raises(FetchError, match=r"retry budget of 10 s \(http.retry_budget\)"):
            http.get(transistor_server.url("/b"))
        assert now[0] == 8.0  # two waits of 4 s; a third would end at 12 s
        with pytest.raises(FetchError, match="retry budget"):
            http.get(transistor_server.url("/a"))  # the same run: 2 s are left
    assert now[0] <= 10.0
    assert transistor_server.count("/b") == 3


def test_a_name_that_does_not_resolve_is_tried_twice_then_given_up_for_the_run(
    sleeps: Sleeps,
) -> None:
    def no_such_name(request: httpx.Request) -> httpx.Response:
        # What httpx raises when DNS says the name does not exist (no lookup leaves this test).
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request) from (
            socket.gaierror(-2, "Name or service not known")
        )

    config = HttpConfig(timeout=0.5, retries=6, max_bytes=10_000)
    client = httpx.Client(transport=httpx.MockTransport(no_such_name))
    with Http(config, sleep=sleeps, client=client) as http:
        with pytest.raises(FetchError) as first:
            http.get("http://podfeed-test.invalid/feed.xml")
        assert "gave up after 2 attempts" in first.value.message
        assert first.value.transient
        requests = http.requests
        with pytest.raises(FetchError, match="not asked again in this run"):
            http.get("http://podfeed-test.invalid/other.xml")
        assert http.requests == requests  # no request at all
    assert len(sleeps) == 1


def test_never_more_requests_in_flight_than_the_concurrency(transistor_server: Server) -> None:
    transistor_server.route("/slow", Reply(200, b"ok", delay=0.2))
    config = HttpConfig(timeout=2.0, concurrency=2, max_bytes=10_000)
    # Eight threads at once, as two shows resolving at the same time with their own pools.
    with Http(config) as http, ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: http.get(transistor_server.url("/slow")), range(8)))
    assert transistor_server.max_in_flight == 2


def test_429_waits_as_long_as_retry_after_says(
    transistor_server: Server, http: Http, sleeps: Sleeps
) -> None:
    transistor_server.route("/a", [Reply(429, headers={"Retry-After": "7"}), Reply(200, b"ok")])
    assert http.get(transistor_server.url("/a")).content == b"ok"
    assert sleeps == [7.0]


def test_429_with_an_http_date_waits_until_then(
    transistor_server: Server, http: Http, sleeps: Sleeps
) -> None:
    transistor_server.route(
        "/a", [Reply(429, headers={"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}), Reply(200)]
    )
    http.get(transistor_server.url("/a"))
    assert sleeps == [0.0]  # a date in the past: retry at once


def test_429_asking_for_more_than_max_retry_after_gives_up_without_waiting(
    transistor_server: Server, http: Http, sleeps: Sleeps
) -> None:
    transistor_server.route("/a", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match=r"asked to wait 3600 s, more than http\.max_retry_after"):
        http.get(transistor_server.url("/a"))
    assert transistor_server.count("/a") == 1
    assert sleeps == []


def test_a_slow_server_times_out_and_is_retried(transistor_server: Server, sleeps: Sleeps) -> None:
    transistor_server.route("/slow", Reply(200, b"late", delay=2.0))
    config = HttpConfig(timeout=0.2, retries=1)
    with Http(config, sleep=sleeps) as http, pytest.raises(FetchError) as caught:
        http.get(transistor_server.url("/slow"))
    assert "no answer within 0.2 s (gave up after 2 attempts)" in caught.value.message
    assert caught.value.transient is True
    assert transistor_server.count("/slow") == 2


def test_a_connection_reset_is_a_transient_failure(transistor_server: Server, http: Http) -> None:
    transistor_server.route("/reset", Reply(action="reset"))
    with pytest.raises(FetchError) as caught:
        http.get(transistor_server.url("/reset"))
    assert caught.value.status is None and caught.value.transient
    assert "gave up after 4 attempts" in caught.value.message
    assert transistor_server.count("/reset") == 4


def test_a_body_cut_short_is_a_failure_not_a_short_answer(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/cut", Reply(200, b"x" * 1000, action="truncate"))
    with pytest.raises(FetchError, match=r"broke off|connection was lost"):
        http.get(transistor_server.url("/cut"))


def test_a_refused_connection_says_so() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Http(HttpConfig(retries=0)) as http, pytest.raises(FetchError, match="could not connect"):
        http.get(f"http://127.0.0.1:{port}/")


def test_redirects_are_followed_and_every_hop_is_counted(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/old", Reply(302, headers={"Location": "/new"}))
    transistor_server.route("/new", Reply(200, b"moved"))
    response = http.get(transistor_server.url("/old"))
    assert response.content == b"moved"
    assert response.url == transistor_server.url("/new")
    assert http.requests == 2


def test_more_than_five_redirects_is_an_error(transistor_server: Server, http: Http) -> None:
    for hop in range(10):
        transistor_server.route(f"/r{hop}", Reply(301, headers={"Location": f"/r{hop + 1}"}))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        http.get(transistor_server.url("/r0"))
    assert transistor_server.total == 6


def test_a_redirect_away_from_http_is_refused(transistor_server: Server, http: Http) -> None:
    transistor_server.route("/a", Reply(302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError, match="non-HTTP address"):
        http.get(transistor_server.url("/a"))


def test_a_body_declared_too_big_is_refused_before_reading(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/big", Reply(200, b"x" * 20_000))
    with pytest.raises(
        FetchError, match=r"larger than the limit of 10000 bytes \(http\.max_bytes\)"
    ) as caught:
        http.get(transistor_server.url("/big"))
    assert caught.value.transient is False


def test_a_body_without_length_is_cut_off_at_the_limit(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/big", Reply(200, b"x" * 50_000, content_length=False))
    with pytest.raises(FetchError, match="stopped reading after"):
        http.get(transistor_server.url("/big"))


def test_a_per_call_limit_is_tighter_than_the_configured_one(
    transistor_server: Server, http: Http
) -> None:
    transistor_server.route("/page", Reply(200, b"x" * 500))
    with pytest.raises(FetchError, match="limit of 100 bytes"):
        http.get(transistor_server.url("/page"), max_bytes=100)


def test_head_and_unread_bodies_download_nothing(transistor_server: Server, http: Http) -> None:
    transistor_server.route("/audio", Reply(200, b"x" * 50_000, {"Content-Type": "audio/mpeg"}))
    head = http.head(transistor_server.url("/audio"))
    assert (head.headers["content-length"], head.content) == ("50000", b"")
    ranged = http.request("GET", transistor_server.url("/audio"), read_body=False)
    assert (ranged.status, ranged.content) == (200, b"")


def test_map_runs_requests_in_parallel_and_keeps_order(
    transistor_server: Server, http: Http
) -> None:
    def echo(request: Request) -> Reply:
        return Reply(200, request.path.encode(), delay=0.1)

    paths = [f"/p{n}" for n in range(16)]
    for path in paths:
        transistor_server.route(path, echo)
    bodies = http.map(lambda p: http.get(transistor_server.url(p)).content, paths)
    assert bodies == [p.encode() for p in paths]
    assert transistor_server.max_in_flight >= 2
    assert transistor_server.max_in_flight <= FAST.concurrency


def test_secrets_never_appear_in_errors(transistor_server: Server, sleeps: Sleeps) -> None:
    key = "FAKE-KEY-d34db33f"
    with Http(FAST, sleep=sleeps, secrets=[key]) as http, pytest.raises(FetchError) as caught:
        http.get(transistor_server.url(f"/v1/episodes?key={key}"))
    assert key not in str(caught.value)
    assert key not in caught.value.url
    assert key not in repr(http)


def test_an_injected_client_is_used_and_not_closed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"mock")

    client = httpx.Client(transport=httpx.MockTransport(handler))
    with Http(FAST, client=client) as http:
        assert http.get("https://share.transistor.fm/s/cea47899").content == b"mock"
    assert not client.is_closed
    assert str(seen[0].url) == "https://share.transistor.fm/s/cea47899"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("120", 120.0),
        ("Wed, 21 Oct 2015 07:28:05 GMT", 5.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
        ("-3", None),
        ("later", None),
        (None, None),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(
    value: str | None, expected: float | None
) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(value, now=now) == expected


def test_a_refused_connection_is_tried_twice_not_seven_times(sleeps: Sleeps) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Http(HttpConfig(retries=6), sleep=sleeps) as http:
        with pytest.raises(FetchError, match="gave up after 2 attempts"):
            http.get(f"http://127.0.0.1:{port}/a")
        with pytest.raises(FetchError, match="not asked again"):
            http.get(f"http://127.0.0.1:{port}/b")
        assert http.requests == 2
