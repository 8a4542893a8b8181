"""Podcasting 2.0 show tags: ``podcast:guid``, ``podcast:locked``, ``podcast:funding``.

Pass::

    <atom:link href="https://podnews.net/rss" rel="self"/>
    <podcast:guid>9b024349-ccf0-5f69-a609-6b82873eab3c</podcast:guid>
    <podcast:locked>yes</podcast:locked>
    <podcast:funding url="https://example.com/donate">Support the show</podcast:funding>

Fail: ``<podcast:guid>my-show</podcast:guid>`` (podcast-guid-format), a version-4 UUID
(podcast-guid-version), a UUIDv5 of another URL (podcast-guid-mismatch: a warning only, since
the guid must stay the same when a show moves), ``<podcast:locked>true</podcast:locked>``
(podcast-locked), ``<podcast:funding>Donate</podcast:funding>`` (podcast-funding).

podcast-guid-format, podcast-locked and podcast-funding are reported by the walk over the
vocabulary table, which names them for ``<podcast:guid>``, ``<podcast:locked>`` and
``<podcast:funding url>``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.values import UUID
from podfeed.validate.xmltree import ATOM_NS, PODCAST_NS, Element

RULES = RuleSet()

GUID_FORMAT = RULES.rule(
    "podcast-guid-format",
    Level.ERROR,
    "<podcast:guid> must be a UUID",
    sources.podcast_tag("guid"),
)
GUID_VERSION = RULES.rule(
    "podcast-guid-version",
    Level.WARNING,
    "<podcast:guid> should be a version 5 UUID derived from the feed URL",
    sources.podcast_tag("guid"),
)
GUID_MISMATCH = RULES.rule(
    "podcast-guid-mismatch",
    Level.WARNING,
    "<podcast:guid> differs from the UUIDv5 of the self URL (fine only if the feed moved)",
    sources.podcast_tag("guid"),
)
LOCKED = RULES.rule(
    "podcast-locked",
    Level.ERROR,
    "<podcast:locked> must be yes or no",
    sources.podcast_tag("locked"),
)
FUNDING = RULES.rule(
    "podcast-funding",
    Level.ERROR,
    "<podcast:funding> must have a url",
    sources.podcast_tag("funding"),
)

# The Podcasting 2.0 "podcast" namespace UUID used to derive podcast:guid from the feed URL.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_P = f"{{{PODCAST_NS}}}"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def podcast_guid(feed_url: str) -> uuid.UUID:
    """The podcast:guid of a feed URL: UUIDv5 of the URL without scheme and trailing slashes.

    >>> str(podcast_guid("https://podnews.net/rss"))
    '9b024349-ccf0-5f69-a609-6b82873eab3c'
    """
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, _SCHEME.sub("", feed_url.strip()).rstrip("/"))


def _uuid(kids: Children) -> tuple[Element, str, uuid.UUID] | None:
    """The ``<podcast:guid>``, its text and its UUID, when it is one (else podcast-guid-format
    reports it)."""
    found = kids.value(f"{_P}guid")
    if found is None or UUID.check(found[1]) is not None:
        return None
    return found[0], found[1], uuid.UUID(found[1])


@RULES.check(GUID_VERSION, "channel")
def check_guid_version(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = _uuid(kids)
    if found is not None and found[2].version != 5:
        yield Finding(
            found[0].sourceline,
            f"<podcast:guid> {found[1]!r} is a version {found[2].version} UUID",
            "New shows should use the UUIDv5 of their feed URL; an existing guid must not change.",
        )


def _self_url(kids: Children) -> str | None:
    for link in kids.all(f"{{{ATOM_NS}}}link"):
        href = (link.get("href") or "").strip()
        if (link.get("rel") or "").strip() == "self" and href:
            return href
    return None


@RULES.check(GUID_MISMATCH, "channel")
def check_guid_mismatch(feed: Feed, kids: Children) -> Iterator[Finding]:
    found, self_url = _uuid(kids), _self_url(kids)
    if found is None or self_url is None:
        return
    expected = podcast_guid(self_url)
    if found[2] != expected:
        yield Finding(
            found[0].sourceline,
            f"<podcast:guid> {found[1]} is not the UUIDv5 of the self URL {self_url!r} "
            f"({expected})",
            "If the feed moved, keep the old guid (that is its purpose); otherwise use "
            f"{expected}.",
        )
