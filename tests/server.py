"""A real HTTP server on 127.0.0.1 that plays Transistor and YouTube for the media tests.

Why a real server and not only ``MockTransport``: timeouts, connection resets, redirects, keep-alive
and parallelism only show their true behaviour over real sockets. Routes are programmable per test;
every request is counted per path, and the highest number of requests in flight at once is kept so
tests can prove parallelism without timing assertions.

A route is a :class:`Reply`, a list of replies (served in turn, the last one repeating) or a
function ``(Request) -> Reply``. Unknown paths answer 404.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qs, urlsplit

Action = Literal["reply", "reset", "truncate"]


@dataclass(frozen=True)
class Request:
    """What the server received (headers lower-cased)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Reply:
    """What to answer. ``delay`` waits before answering (slow servers).

    ``action``: ``reply`` answers normally; ``reset`` closes the socket with a TCP reset and no
    answer; ``truncate`` sends the headers with the full Content-Length, then half the body, then
    closes. ``content_length=False`` sends the body without a length and closes (read to EOF).
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    action: Action = "reply"
    content_length: bool = True
    declared_length: int | None = None  # Content-Length for HEAD without building a huge body


Handler = Callable[[Request], Reply]
Route = Reply | list[Reply] | Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: test output stays readable."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        owner._started(request)
        try:
            reply = owner._reply_for(request)
            if reply.delay and owner._stopping.wait(reply.delay):
                return
            self._send(reply)
        finally:
            owner._finished()

    def _send(self, reply: Reply) -> None:
        if reply.action == "reset":
            # SO_LINGER 0 turns close() into a TCP RST: the client sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        body = reply.body
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.declared_length is not None:
            self.send_header("Content-Length", str(reply.declared_length))
        elif reply.content_length:
            self.send_header("Content-Length", str(len(body)))
        if reply.action == "truncate" or not reply.content_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        if reply.action == "truncate":
            body = body[: len(body) // 2]
        self.wfile.write(body)

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the socket was reset on purpose
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: Server

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that time out and hang up are expected here; keep the output clean."""


class Server:
    """The loopback server. Start with :meth:`start` (the fixture does), stop with :meth:`stop`."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str | None, str], Route] = {}
        self._turns: Counter[tuple[str | None, str]] = Counter()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.hits: Counter[str] = Counter()
        self.method_hits: Counter[tuple[str, str]] = Counter()
        self.log: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._faults: tuple[int, int, str] | None = None
        self._arrivals = 0
        self.faulted: Counter[int] = Counter()  # status -> answers the fault mode gave
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def route(self, path: str, route: Route, *, method: str | None = None) -> None:
        """Answer ``path`` (without query) with ``route``; ``method`` restricts it to GET/HEAD."""
        with self._lock:
            self._routes[(method, path)] = route
            self._turns[(method, path)] = 0

    def flaky(self, *, every_503: int = 4, every_429: int = 7, retry_after: str = "1") -> None:
        """A host under load: every ``every_503``-th request (counted across every path and
        client, in order of arrival) gets a 503, every ``every_429``-th a 429 with
        ``Retry-After``; the others are answered by their routes."""
        with self._lock:
            self._faults = (every_503, every_429, retry_after)
            self._arrivals = 0

    def count(self, path: str, *, method: str | None = None) -> int:
        """Requests seen for ``path`` (any method unless ``method`` is given)."""
        with self._lock:
            if method is None:
                return self.hits[path]
            return self.method_hits[(method, path)]

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.hits.values())

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    # -- called by the handler threads ------------------------------------------------------------

    def _started(self, request: Request) -> None:
        with self._lock:
            self.hits[request.path] += 1
            self.method_hits[(request.method, request.path)] += 1
            self.log.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _finished(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            if self._faults is not None:
                self._arrivals += 1
                every_503, every_429, retry_after = self._faults
                if self._arrivals % every_503 == 0:
                    self.faulted[503] += 1
                    return Reply(503, b"busy", {"Content-Type": "text/plain"})
                if self._arrivals % every_429 == 0:
                    self.faulted[429] += 1
                    return Reply(429, b"slow down", {"Retry-After": retry_after})
            key: tuple[str | None, str] = (request.method, request.path)
            if key not in self._routes:
                key = (None, request.path)
            route = self._routes.get(key)
            if isinstance(route, list):
                turn = self._turns[key]
                self._turns[key] += 1
                return route[min(turn, len(route) - 1)]
        if route is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        if isinstance(route, Reply):
            return route
        return route(request)


def serve() -> Iterator[Server]:
    """Generator behind the ``transistor_server`` fixture."""
    server = Server().start()
    try:
        yield server
    finally:
        server.stop()


# --- Transistor and YouTube look-alikes -------------------------------------------------------

FEED_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def feed_route(body: bytes, *, etag: str = '"v1"', last_modified: str | None = None) -> Handler:
    """The show feed: 200 with validators, 304 when the client's validators match."""
    modified = last_modified or "Thu, 07 Mar 2024 16:05:12 GMT"

    def handler(request: Request) -> Reply:
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("if-none-match") == etag:
            return Reply(304, headers=headers)
        return Reply(200, body, {**FEED_TYPE, **headers})

    return handler


def make_feed(items: Mapping[str, str], *, durations: Mapping[str, int] | None = None) -> bytes:
    """A minimal Transistor-shaped feed: share id -> enclosure URL."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        ' xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Show</title>',
    ]
    for number, (share_id, url) in enumerate(items.items()):
        duration = (durations or {}).get(share_id, 1000 + number)
        parts.append(
            f"<item><title>Episode {number}</title>"
            f'<guid isPermaLink="false">00000000-0000-4000-8000-{number:012d}</guid>'
            f"<link>https://share.transistor.fm/s/{share_id}</link>"
            f'<enclosure url="{url}" length="{1_000_000 + number}" type="audio/mpeg"/>'
            f"<itunes:duration>{duration}</itunes:duration>"
            f"<itunes:explicit>No</itunes:explicit></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def share_page(audio_url: str | None, *, share_id: str = "") -> Reply:
    """A share page advertising ``audio_url`` through og:audio, plus its oEmbed link."""
    meta = f'<meta property="og:audio" content="{audio_url}">' if audio_url else ""
    html = (
        f"<!DOCTYPE html><html><head><title>Episode</title>{meta}"
        f'<link rel="alternate" type="application/json+oembed" '
        f'href="/oembed?url=https%3A%2F%2Fshare.transistor.fm%2Fs%2F{share_id}"></head>'
        "<body><h1>Episode</h1></body></html>"
    )
    return Reply(200, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


def install_audio(server: Server, path: str, size: int, *, hop: bool = True) -> str:
    """Audio at ``path`` (HEAD gives length and type; a ranged GET for the first byte gives the
    length in ``Content-Range``, as media hosts answer), behind one redirect hop when ``hop``."""
    final = "/cdn" + path if hop else path
    server.route(
        final, Reply(200, b"", {"Content-Type": "audio/mpeg"}, declared_length=size), method="HEAD"
    )
    ranged = {"Content-Type": "audio/mpeg", "Content-Range": f"bytes 0-0/{size}"}
    server.route(final, Reply(206, b"\x00", ranged), method="GET")
    if hop:
        server.route(path, Reply(302, headers={"Location": final}))
    return server.url(path)
