"""One careful HTTP client for every request podfeed makes (Transistor, YouTube, validate URLs).

Why one place: every request must have the same manners and the same limits, whoever makes it:
a User-Agent naming podfeed, timeouts, at most ``concurrency`` requests in flight, at most five
redirects, and a cap on the bytes read so a hostile or broken server cannot fill memory. Every
failure becomes one :class:`FetchError` with the URL, the status and a reason a person can act
on; secrets (the Transistor API key) are scrubbed from it.

Retries (tenacity drives the loop; the policy is here): failures that may pass (timeouts, a
connection lost, 5xx, 429) are retried up to ``retries`` times with exponential backoff and
*full jitter* (a random wait between 0 and 0.5 s, 1 s, 2 s, ... 8 s), so that requests that
failed together do not come back together and meet the same overloaded moment again; a 429's
``Retry-After`` is waited for instead, up to ``max_retry_after``. Every wait must end within
the session's ``retry_budget`` (a build is one session): a host that keeps failing costs a
bounded time. A name that does not resolve or a refused connection is retried once, then the
host is given up for the rest of the session: nothing answers there, and asking again would
only make a build without network slow.

Tests inject an ``httpx.Client`` (a ``MockTransport`` or the loopback server), a ``sleep`` that
records instead of waiting, a ``clock`` and a seeded ``random``, so that retries are exact.
"""

from __future__ import annotations

import functools
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from podfeed import __version__
from podfeed.config.model import HttpConfig
from podfeed.problems import PodfeedError

# httpx and tenacity are imported in the functions that use them: httpx takes 0.1 s to import,
# and an offline build never makes a request.
if TYPE_CHECKING:
    import httpx
    import tenacity

__all__ = [
    "MAX_REDIRECTS",
    "USER_AGENT",
    "FetchError",
    "Http",
    "Response",
    "make_client",
    "parse_retry_after",
]

USER_AGENT = f"podfeed/{__version__} (+https://github.com/podfeed/podfeed)"
MAX_REDIRECTS = 5
# Backoff before retry n (0-based): a random wait up to 0.5 s, 1 s, 2 s, 4 s, then 8 s at most.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
FAST_FAIL_ATTEMPTS = 2  # a name that does not resolve, a refused connection
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

T = TypeVar("T")
R = TypeVar("R")


class FetchError(PodfeedError):
    """A request failed for good (after any retries).

    ``status`` is the last HTTP status (None when no answer came at all). ``transient`` is True
    for failures that may pass by themselves (network, timeouts, 5xx, 429): callers then keep
    what the lock already knows instead of reporting the media as missing.
    """

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.status = status
        self.reason = reason

    @property
    def transient(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


@dataclass(frozen=True)
class Response:
    """A complete, size-checked answer. ``url`` is the final URL after redirects."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        """The body as text, in the charset the server named (UTF-8 otherwise)."""
        charset = _charset(self.headers.get("content-type", ""))
        try:
            return self.content.decode(charset or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def make_client(config: HttpConfig) -> httpx.Client:
    """The shared client: podfeed's User-Agent, the configured timeout, a pool sized to concurrency.

    Redirects are followed by :class:`Http` itself (to count and cap every hop), so not here.
    """
    import httpx

    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=False,
        limits=httpx.Limits(
            max_connections=max(config.concurrency, 1),
            max_keepalive_connections=max(config.concurrency, 1),
        ),
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110).

    >>> parse_retry_after("7")
    7.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT",
    ...                   now=datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC))
    5.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying, after ``wait`` seconds if given.

    ``unreachable`` marks a host that did not resolve or refused the connection: retried once.
    """

    def __init__(
        self, error: FetchError, wait: float | None = None, *, unreachable: bool = False
    ) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait
        self.unreachable = unreachable
        self.budget_spent = False


def _failure(state: tenacity.RetryCallState) -> _Retry | None:
    outcome = state.outcome
    failure = outcome.exception() if outcome is not None else None
    return failure if isinstance(failure, _Retry) else None


def _unreachable(exc: BaseException) -> bool:
    """Whether a connection failed because the name does not resolve or nobody listens."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror | ConnectionRefusedError):
            return True
        text = str(current)
        if "Name or service not known" in text or "nodename nor servname" in text:
            return True
        if "Connection refused" in text or "Temporary failure in name resolution" in text:
            return True
        current = current.__cause__ or current.__context__
    return False


class Http:
    """Requests with retries, limits and a request counter; thread-safe, used as a context manager.

    :param config: timeouts, retries and their time budget, concurrency, byte cap.
    :param client: an ``httpx.Client`` to use (tests); otherwise one from :func:`make_client`,
        closed with this object.
    :param sleep: how to wait between retries (tests pass a recorder).
    :param secrets: strings that must never appear in an error message (API keys).
    :param clock: monotonic seconds, for the retry budget (tests pass one that ``sleep`` moves).
    :param rng: the source of jitter (tests pass a seeded ``random.Random``).
    """

    def __init__(
        self,
        config: HttpConfig,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        secrets: Sequence[str] = (),
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self._own_client = client is None
        self._client = client if client is not None else make_client(config)
        self.sleep = sleep
        self._secrets = tuple(s for s in secrets if s)
        self._lock = threading.Lock()
        self._requests = 0
        self._clock = clock
        self._deadline = clock() + config.retry_budget
        self._rng = rng or random.Random()
        self._slots = threading.BoundedSemaphore(max(config.concurrency, 1))
        self._gone: dict[str, FetchError] = {}  # host -> why it was given up

    # -- lifecycle --------------------------------------------------------------------------------

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        # Never shows headers: they may hold the API key.
        return f"Http(requests={self.requests}, concurrency={self.config.concurrency})"

    @property
    def requests(self) -> int:
        """How many HTTP requests were sent so far (every retry and redirect hop counts)."""
        with self._lock:
            return self._requests

    # -- requests ---------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
        truncate: bool = False,
    ) -> Response:
        """GET ``url``; 2xx and 304 are answers, anything else raises.

        ``truncate=True`` keeps the first ``max_bytes`` bytes of a longer body and hangs up
        instead of raising: reading a file's header (artwork) even from a server that ignores
        ``Range`` and starts sending the whole file.

        :raises FetchError: after the retries, or at once for a 4xx other than 429.
        """
        return self.request("GET", url, headers=headers, max_bytes=max_bytes, truncate=truncate)

    def head(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        """HEAD ``url`` (the body is empty by definition).

        :raises FetchError: like :meth:`get`.
        """
        return self.request("HEAD", url, headers=headers, read_body=False)

    def post(
        self,
        url: str,
        *,
        content: bytes,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """POST ``content`` to ``url`` (a WebSub publish ping); retried like :meth:`get`.

        Only use it for idempotent requests: a retry sends the same body again.

        :raises FetchError: like :meth:`get`.
        """
        return self.request("POST", url, headers=headers, max_bytes=max_bytes, content=content)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
        read_body: bool = True,
        content: bytes | None = None,
        truncate: bool = False,
    ) -> Response:
        """Send, following up to MAX_REDIRECTS redirects by hand so each hop is counted; each
        hop is retried by itself (see the module docstring), so a failure at the end of a
        redirect chain does not send the whole chain again.

        ``read_body=False`` closes the answer after its headers (a ranged GET that a server
        answers with the whole file must not download it).

        :raises FetchError: the request failed for good.
        """
        import httpx

        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            send = functools.partial(
                self._send, method, current, headers or {}, max_bytes, read_body, content, truncate
            )
            response = self._attempts(current, send)
            if response.status not in _REDIRECT_STATUSES:
                return response
            location = response.headers.get("location")
            if not location:
                raise self._scrub(
                    FetchError(
                        current,
                        f"HTTP {response.status} without a Location header",
                        status=response.status,
                    )
                )
            target = httpx.URL(current).join(location)
            if target.scheme not in ("http", "https"):
                raise self._scrub(
                    FetchError(
                        current,
                        f"redirect to a non-HTTP address {location!r}",
                        status=response.status,
                    )
                )
            current = str(target)
            if response.status == 303 and method != "HEAD":
                method, content = "GET", None
            elif response.status in (301, 302) and method == "POST":
                # What browsers and httpx do; only 307/308 repeat the POST with its body.
                method, content = "GET", None
        raise self._scrub(FetchError(url, f"more than {MAX_REDIRECTS} redirects (last: {current})"))

    def _attempts(self, url: str, send: Callable[[], Response]) -> Response:
        """One request (one hop) with its retries; a redirect is an answer here."""
        import tenacity

        gone = self._gone.get(_host(url))
        if gone is not None:
            raise self._scrub(FetchError(url, gone.reason, status=gone.status))
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_Retry),
            stop=self._stop,
            wait=self._wait,
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return send()
        except _Retry as last:
            raise self._give_up(url, last, retrying.statistics["attempt_number"]) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """The wait before the next attempt: what a 429 asked for, else full jitter."""
        failure = _failure(state)
        if failure is not None and failure.wait is not None:
            return failure.wait
        step = min(BACKOFF_BASE * 2 ** (state.attempt_number - 1), BACKOFF_CAP)
        return self._rng.uniform(0.0, step)

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        """Whether the request gives up after this failed attempt (tenacity has just asked
        :meth:`_wait` for the wait that would follow: ``upcoming_sleep``)."""
        failure = _failure(state)
        if failure is None:
            return True
        attempts = max(self.config.retries, 0) + 1
        if failure.unreachable:
            attempts = min(attempts, FAST_FAIL_ATTEMPTS)
        if state.attempt_number >= attempts:
            return True
        if self._clock() + state.upcoming_sleep > self._deadline:
            failure.budget_spent = True
            return True
        return False

    def _give_up(self, url: str, last: _Retry, attempts: int) -> FetchError:
        """The final error of a request; an unreachable host is not asked again this session."""
        if last.budget_spent:
            why = f"the retry budget of {self.config.retry_budget:g} s (http.retry_budget) is spent"
        else:
            why = f"gave up after {attempts} attempt{'' if attempts == 1 else 's'}"
        error = self._scrub(
            FetchError(last.error.url, f"{last.error.reason} ({why})", status=last.error.status)
        )
        if last.unreachable:
            with self._lock:
                self._gone[_host(url)] = FetchError(
                    url, f"{last.error.reason} (not asked again in this run)", status=None
                )
        return error

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[function(item) ...]`` with at most ``concurrency`` running at once, order kept.

        Exceptions from ``function`` propagate (wrap them inside ``function`` to collect them).
        """
        todo = list(items)
        if len(todo) <= 1 or self.config.concurrency <= 1:
            return [function(item) for item in todo]
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            return list(pool.map(function, todo))

    # -- internals --------------------------------------------------------------------------------

    def _count(self) -> None:
        with self._lock:
            self._requests += 1

    def _scrub(self, error: FetchError) -> FetchError:
        if not self._secrets:
            return error
        url, reason = error.url, error.reason
        for secret in self._secrets:
            url = url.replace(secret, "***")
            reason = reason.replace(secret, "***")
        return FetchError(url, reason, status=error.status)

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        max_bytes: int | None,
        read_body: bool,
        content: bytes | None = None,
        truncate: bool = False,
    ) -> Response:
        import httpx

        limit = self.config.max_bytes if max_bytes is None else max_bytes
        with self._slots:  # at most `concurrency` requests in flight, whoever sends them
            self._count()
            try:
                request = self._client.build_request(
                    method,
                    url,
                    headers=dict(headers),
                    content=content,
                    timeout=httpx.Timeout(self.config.timeout),
                )
                response = self._client.send(request, stream=True, follow_redirects=False)
            except httpx.InvalidURL as exc:
                raise self._scrub(FetchError(url, f"invalid URL ({exc})")) from exc
            except httpx.TransportError as exc:
                error = self._scrub(FetchError(url, self._network_reason(exc)))
                unreachable = isinstance(exc, httpx.ConnectError) and _unreachable(exc)
                raise _Retry(error, unreachable=unreachable) from exc
            try:
                return self._read(
                    url, response, limit if read_body and method != "HEAD" else None, truncate
                )
            finally:
                response.close()

    def _read(
        self, url: str, response: httpx.Response, limit: int | None, truncate: bool = False
    ) -> Response:
        """Check the status, then read at most ``limit`` bytes (None: leave the body unread)."""
        status = response.status_code
        if status == 429 or status >= 500:
            raise self._retry_for_status(url, response)
        if status >= 400:
            raise self._scrub(FetchError(url, _status_text(response), status=status))
        body = b""
        if limit is not None and status not in (204, 304) and status not in _REDIRECT_STATUSES:
            body = self._body(url, response, limit, truncate)
        return Response(url=url, status=status, headers=response.headers, content=body)

    def _body(
        self, url: str, response: httpx.Response, limit: int, truncate: bool = False
    ) -> bytes:
        import httpx

        status = response.status_code
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit and not truncate:
            raise self._too_big(url, status, limit, f"Content-Length is {declared}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                if truncate and size + len(chunk) >= limit:
                    chunks.append(chunk[: limit - size])
                    break  # closing the response drops the connection: the rest is never read
                size += len(chunk)
                if size > limit:
                    raise self._too_big(url, status, limit, f"stopped reading after {size} bytes")
                chunks.append(chunk)
        except httpx.TransportError as exc:
            raise _Retry(self._scrub(FetchError(url, self._network_reason(exc)))) from exc
        except httpx.DecodingError as exc:
            raise self._scrub(FetchError(url, f"undecodable body ({exc})")) from exc
        return b"".join(chunks)

    def _too_big(self, url: str, status: int, limit: int, detail: str) -> FetchError:
        reason = f"the answer is larger than the limit of {limit} bytes (http.max_bytes): {detail}"
        return self._scrub(FetchError(url, reason, status=status))

    def _retry_for_status(self, url: str, response: httpx.Response) -> _Retry:
        status = response.status_code
        error = self._scrub(FetchError(url, _status_text(response), status=status))
        if status != 429:
            return _Retry(error)
        wait = parse_retry_after(response.headers.get("retry-after"))
        if wait is not None and wait > self.config.max_retry_after:
            # Waiting less than the server asked would only earn another 429; give up politely.
            raise self._scrub(
                FetchError(
                    url,
                    f"HTTP 429 Too Many Requests: the server asked to wait {wait:.0f} s, more than "
                    f"http.max_retry_after ({self.config.max_retry_after:.0f} s)",
                    status=429,
                )
            )
        return _Retry(error, wait)

    def _network_reason(self, exc: httpx.TransportError) -> str:
        import httpx

        timeout = f"{self.config.timeout:g} s"
        detail = str(exc) or type(exc).__name__
        if isinstance(exc, httpx.ConnectTimeout):
            return f"could not connect within {timeout}"
        if isinstance(exc, httpx.TimeoutException):
            return f"no answer within {timeout}"
        if isinstance(exc, httpx.ConnectError):
            return f"could not connect ({detail})"
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"the server broke off the answer ({detail})"
        if isinstance(exc, httpx.ReadError | httpx.WriteError):
            return f"the connection was lost ({detail})"
        return f"network error ({detail})"


def _host(url: str) -> str:
    """The host (and port) a URL names, for giving up an unreachable host; never raises."""
    import httpx

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return url
    return f"{parsed.host}:{parsed.port or ''}"


def _status_text(response: httpx.Response) -> str:
    phrase = response.reason_phrase or ""
    return f"HTTP {response.status_code} {phrase}".rstrip()
