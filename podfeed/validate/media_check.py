"""``podfeed validate --check-media``: ask each enclosure's server what the feed claims.

A feed says where each episode's file is, how large it is and what type; only the server knows
whether that is true, and Apple fetches the files with HEAD and byte-range requests. For each
item's enclosure (all, or ``sample`` of them spread over the feed) this sends:

- one ``HEAD``: is the file there, how many redirects away, its Content-Length and
  Content-Type, and whether the server says ``Accept-Ranges: bytes``;
- when the server refuses HEAD (405, 501) or does not announce byte ranges, one
  ``GET`` with ``Range: bytes=0-1``, read with a cap of 2 bytes: a 206 answer proves range
  support and its ``Content-Range`` total gives the size; a 200 answer means no range support
  (the connection is closed after 2 bytes, never the whole file).

Requests go through the shared client (:class:`podfeed.media.http.Http`), which caps redirects
at five, retries what may pass and runs at most ``concurrency`` requests at once. Network
failures are problems (``media-unreachable``), never exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from podfeed.media.http import MAX_REDIRECTS, FetchError, Http, Response
from podfeed.problems import Problem, sort_problems
from podfeed.validate.base import Finding, Rule, item_label
from podfeed.validate.rules import media as rules
from podfeed.validate.rules.enclosures import APPLE_EXTENSIONS
from podfeed.validate.xmltree import feed_items

__all__ = ["EnclosureRef", "check_media", "find_enclosures", "spread"]

# A size may differ this much (a fraction of the feed's length) before it is reported.
LENGTH_TOLERANCE = 0.01
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+\d+-\d+/(\d+)\s*$", re.IGNORECASE)
_HEAD_REFUSED = frozenset({405, 501})
_T = TypeVar("_T")


@dataclass(frozen=True)
class EnclosureRef:
    """One item's (first) enclosure as the feed states it."""

    url: str
    length: str | None
    type: str | None
    line: int | None
    label: str


def find_enclosures(feed: bytes) -> list[EnclosureRef]:
    """The first enclosure of every item, in order, read as a stream (items freed as read).

    A feed that does not parse yields nothing: the validator has already said why.
    """
    found: list[EnclosureRef] = []
    try:
        for node in feed_items(feed):
            enclosure = next(node.iterchildren("enclosure"), None) if node.tag == "item" else None
            url = (enclosure.get("url") or "").strip() if enclosure is not None else ""
            if enclosure is not None and url:
                length, kind = enclosure.get("length"), enclosure.get("type")
                found.append(
                    EnclosureRef(url, length, kind, enclosure.sourceline, item_label(node))
                )
    except etree.XMLSyntaxError:  # the validator reports why
        return found
    return found


def spread(refs: Sequence[_T], count: int | None) -> list[_T]:
    """``count`` of ``refs`` spread evenly from the first to the last (all when None).

    >>> spread(list(range(10)), 3), spread([1, 2], 5), spread([7, 8, 9], 1)
    ([0, 4, 9], [1, 2], [7])
    """
    if count is None or count >= len(refs):
        return list(refs)
    if count == 1:
        return [refs[0]]
    step = (len(refs) - 1) / (count - 1)
    return [refs[round(i * step)] for i in range(count)]


def check_media(
    feed: bytes, *, source: str, http: Http, sample: int | None = None
) -> list[Problem]:
    """Ask the server of each enclosure (or of ``sample`` of them) and compare its answers with
    the feed. Problems name ``source`` and the enclosure's line."""
    refs = spread(find_enclosures(feed), sample)
    found = http.map(lambda ref: _inspect(ref, source, http), refs)
    return sort_problems(problem for problems in found for problem in problems)


@dataclass(frozen=True)
class _Answer:
    """What the server said: the status, its headers, and whether ranges were proven."""

    response: Response
    ranged: bool | None  # True: 206 to a range; False: 200 to a range; None: not asked


def _inspect(ref: EnclosureRef, source: str, http: Http) -> list[Problem]:
    problems: list[Problem] = []

    def report(rule: Rule, message: str, fix: str, group: str) -> None:
        finding = Finding(ref.line, message, fix, group=group)
        problems.append(finding.problem(rule, source, f"{ref.label}: "))

    try:
        answer = _ask(ref.url, http)
    except FetchError as exc:
        if exc.status is None and "redirects" in exc.reason and exc.reason.startswith("more"):
            report(
                rules.REDIRECTS,
                f"enclosure {ref.url} redirects more than {MAX_REDIRECTS} times",
                "Point the enclosure at the file or at most a few analytics prefixes; Apple "
                "gives up on long redirect chains.",
                f"enclosure URLs redirect more than {MAX_REDIRECTS} times",
            )
        else:
            report(
                rules.UNREACHABLE,
                f"enclosure {ref.url} cannot be fetched: {exc.reason}",
                "Make sure the media URL is public and answers 200 (or 206) without a login.",
                "enclosure URLs cannot be fetched",
            )
        return problems
    response = answer.response
    if answer.ranged is False:
        report(
            rules.RANGE,
            f"enclosure {ref.url} was asked for bytes 0-1 and the server answered "
            f"{response.status} with the whole file",
            "Serve the media from a server or CDN that answers Range requests with 206 "
            "Partial Content (and Accept-Ranges: bytes), as Apple requires.",
            "the media server does not support byte ranges",
        )
    size = _size(response)
    declared = (ref.length or "").strip()
    if size is not None and declared.isdigit() and int(declared) > 0:
        expected = int(declared)
        if abs(size - expected) > LENGTH_TOLERANCE * expected:
            report(
                rules.LENGTH,
                f'<enclosure length="{expected}"> but the server says the file has {size} bytes',
                f'Write length="{size}" (the file size in bytes), or fix the file.',
                "enclosure length disagrees with the server",
            )
    served = _essence(response.headers.get("content-type"))
    stated = _essence(ref.type)
    if served and stated and not _same_format(served, stated):
        report(
            rules.TYPE,
            f'<enclosure type="{stated}"> but the server sends Content-Type: {served}',
            "Make the server send the file's real type, and write the same type in the feed.",
            "enclosure type disagrees with the server",
        )
    return problems


def _ask(url: str, http: Http) -> _Answer:
    """HEAD, then a 2-byte ranged GET when HEAD is refused or ranges are not announced."""
    try:
        head = http.head(url)
    except FetchError as exc:
        if exc.status not in _HEAD_REFUSED:
            raise
        head = None
    if head is not None and "bytes" in head.headers.get("accept-ranges", "").lower():
        return _Answer(head, None)
    ranged = http.get(url, headers={"Range": "bytes=0-1"}, max_bytes=2, truncate=True)
    if head is None:
        return _Answer(ranged, ranged.status == 206)
    # HEAD answered: its headers describe the whole file; the GET only tells about ranges.
    return _Answer(head if ranged.status == 206 else ranged, ranged.status == 206)


def _size(response: Response) -> int | None:
    """The file's size: the Content-Range total of a 206, else the Content-Length."""
    if response.status == 206:
        match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
        return int(match.group(1)) if match else None
    declared = response.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else None


def _essence(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _same_format(served: str, stated: str) -> bool:
    """Whether two media types name one format (``audio/mp4`` and ``audio/x-m4a`` do)."""
    if served == stated:
        return True
    return any(served in types and stated in types for types in APPLE_EXTENSIONS.values())
