"""Tell the directories a feed changed, so apps pick up a new episode in minutes, not hours.

Directories poll feeds on their own schedule; a ping asks them to fetch now. Two kinds exist:

- ``websub``: a WebSub hub (W3C WebSub, section 7 leaves publishing to the hub; every public hub,
  e.g. ``https://pubsubhubbub.appspot.com/``, accepts the PubSubHubbub form): a form-encoded POST
  ``hub.mode=publish&hub.url=<feed url>``. Hubs answer ``204 No Content``; any 2xx is success.
- ``podcastindex``: Podcast Index's ``pubnotify`` endpoint
  (``https://api.podcastindex.org/api/1.0/hub/pubnotify``), a GET with ``?url=<feed url>``; it needs
  no API key.

One request per feed and target, through the shared :class:`~podfeed.media.http.Http` client
(User-Agent, timeouts, retries on 5xx and network errors). A ping that fails is an error (the
command's one job failed: exit 1), never an exception: every other ping is still sent.

Only feeds that exist and have items are pinged (:func:`pingable`): a directory told to fetch
a feed without episodes would reject it, or list an empty show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from lxml import etree

from podfeed.config.model import Config
from podfeed.media.http import FetchError, Http
from podfeed.problems import Problem, error, warning

__all__ = [
    "PING_KINDS",
    "PODCASTINDEX_PUBNOTIFY",
    "PingRun",
    "PingTarget",
    "ping",
    "ping_site",
    "pingable",
]

PODCASTINDEX_PUBNOTIFY = "https://api.podcastindex.org/api/1.0/hub/pubnotify"
PING_KINDS = ("websub", "podcastindex")
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Hubs answer with a short text at most; a megabyte answer to a ping is a broken server.
_MAX_ANSWER = 64_000


@dataclass(frozen=True)
class PingTarget:
    """Where to ping: ``kind`` is one of :data:`PING_KINDS`, ``url`` the hub or endpoint."""

    kind: str
    url: str


def pingable(feeds: Sequence[tuple[str, Path]]) -> tuple[list[str], list[Problem]]:
    """The public URLs of the feeds worth pinging, from ``(url, file)`` pairs: those whose
    built file exists and has at least one item; a warning for each one left out."""
    urls: list[str] = []
    skipped: list[Problem] = []
    for url, path in feeds:
        try:
            has_items = _has_items(path)
        except FileNotFoundError:
            skipped.append(_skipped(path, "does not exist (run `podfeed build` first)"))
            continue
        except (OSError, etree.XMLSyntaxError) as exc:
            skipped.append(_skipped(path, f"cannot be read ({exc})"))
            continue
        if has_items:
            urls.append(url)
        else:
            skipped.append(_skipped(path, "has no items"))
    return urls, skipped


def _has_items(path: Path) -> bool:
    """Whether the feed file holds an ``<item>`` (read up to the first one only)."""
    with path.open("rb") as handle:
        items = etree.iterparse(
            handle, events=("start",), tag="item", resolve_entities=False, no_network=True
        )
        return next(iter(items), None) is not None


def _skipped(path: Path, why: str) -> Problem:
    return warning(
        "ping-skipped",
        f"not pinged: the feed {why}",
        path,
        hint="directories reject a feed without episodes; build it with its episodes, then ping",
        group="feeds not pinged",
    )


def ping(feed_urls: Sequence[str], targets: Sequence[PingTarget], *, http: Http) -> list[Problem]:
    """Notify every target about every feed; the errors for the pings that failed.

    Requests run in parallel (up to ``http.concurrency``); the problems come in the order of
    targets, then feeds, so the output is the same on every run.
    """
    jobs = [(target, feed) for target in targets for feed in feed_urls]
    if not jobs:
        return []
    results = http.map(lambda job: _ping_one(job[0], job[1], http), jobs)
    return [problem for problem in results if problem is not None]


def _ping_one(target: PingTarget, feed_url: str, http: Http) -> Problem | None:
    send: Callable[[str, str, Http], int]
    if target.kind == "websub":
        send = _websub
    elif target.kind == "podcastindex":
        send = _pubnotify
    else:
        return warning(
            "ping-unknown-target",
            f"cannot ping {target.url}: unknown kind {target.kind!r}",
            hint=f"use one of: {', '.join(PING_KINDS)}",
        )
    try:
        status = send(target.url, feed_url, http)
    except FetchError as exc:
        return _failed(target, feed_url, exc.reason)
    if not 200 <= status < 300:
        # Http answers 304 without raising (it is a fine answer to a conditional GET), but a
        # ping asks for an action, and only 2xx says the action was accepted.
        return _failed(target, feed_url, f"HTTP {status}")
    return None


def _websub(hub: str, feed_url: str, http: Http) -> int:
    body = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode("ascii")
    return http.post(hub, content=body, headers=_FORM, max_bytes=_MAX_ANSWER).status


def _pubnotify(endpoint: str, feed_url: str, http: Http) -> int:
    try:
        # copy_merge_params keeps a query the configured endpoint may already carry.
        url = str(httpx.URL(endpoint).copy_merge_params({"url": feed_url}))
    except httpx.InvalidURL as exc:
        raise FetchError(endpoint, f"invalid URL ({exc})") from exc
    return http.get(url, max_bytes=_MAX_ANSWER).status


def _failed(target: PingTarget, feed_url: str, reason: str) -> Problem:
    return error(
        "ping-failed",
        f"{target.kind} ping to {target.url} for {feed_url} failed: {reason}",
        hint="the feed is published; directories will still find it on their next poll, or "
        "run `podfeed ping` again",
        group=f"{target.kind} pings to {target.url} failed",
    )


@dataclass(frozen=True)
class PingRun:
    """``targets`` hubs and endpoints told about each of ``feeds``; the feeds left out
    (``skipped``) and the pings that failed, as problems. No targets: nothing was done."""

    targets: int = 0
    feeds: Sequence[str] = ()
    skipped: Sequence[Problem] = ()
    failed: Sequence[Problem] = ()

    @property
    def sent(self) -> int:
        return len(self.feeds) * self.targets


def ping_site(config: Config, shows: Sequence[str]) -> PingRun:
    """Ping the configured targets about the built feeds of the selected shows.

    :raises ConfigError: an unknown ``--show`` (only when there is a target to ping).
    """
    from podfeed.build import select_shows  # the build imports this stage, not the reverse
    from podfeed.feed.jobs import feed_path

    targets = [PingTarget("websub", url) for url in config.ping.websub]
    if config.ping.podcastindex:
        targets.append(PingTarget("podcastindex", config.ping.podcastindex))
    if not targets:
        return PingRun()
    feeds = [
        (show.feed_url_for(lang), feed_path(config, show, lang, None))
        for show in select_shows(config, shows)
        for lang in show.languages
    ]
    feed_urls, skipped = pingable(feeds)
    with Http(config.http) as http:
        failed = ping(feed_urls, targets, http=http)
    return PingRun(len(targets), feed_urls, skipped, failed)
