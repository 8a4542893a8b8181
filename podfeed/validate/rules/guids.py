"""Episode identity: every item has a guid, guids are unique, titles are told apart.

Pass: ``<guid isPermaLink="false">7f0c3b2e-...</guid>`` on every item, all different.

Fail: two items with the same guid (item-guid-duplicate: apps merge or drop one), an item with
no guid (item-guid-missing), ``<guid>ep-12</guid>`` without ``isPermaLink="false"``
(item-guid-permalink: RSS reads it as a URL), two items titled "Episode 1"
(item-title-duplicate), ``<guid isPermaLink="false">1234</guid>`` (item-guid-weak).

item-guid-missing is reported by the walk over the vocabulary table, which names it for the
item's ``<guid>``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, Children, Feed, Finding, ItemInfo, RuleSet
from podfeed.validate.rules import sources

RULES = RuleSet()
MISSING = RULES.rule(
    "item-guid-missing",
    Level.WARNING,
    "every episode should have a non-empty <guid> that never changes",
    sources.RSS_GUID,
)
DUPLICATE = RULES.rule(
    "item-guid-duplicate",
    Level.ERROR,
    "two episodes must never share a <guid>",
    sources.APPLE_RSS,
)
PERMALINK = RULES.rule(
    "item-guid-permalink",
    Level.WARNING,
    'a <guid> that is not a URL needs isPermaLink="false"',
    sources.RSS_GUID,
)
DUPLICATE_TITLE = RULES.rule(
    "item-title-duplicate",
    Level.WARNING,
    "episode titles should be distinct so listeners can tell episodes apart",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
WEAK = RULES.rule(
    "item-guid-weak",
    Level.WARNING,
    "a <guid> that is a small number is unlikely to be unique across feeds",
    sources.RSS_GUID,
)

# A guid of at most 7 digits (a post number) collides across feeds; longer ones rarely do.
_SMALL_NUMBER = re.compile(r"^[0-9]{1,7}$")


@RULES.check(PERMALINK, "item")
def check_permalink(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = kids.value("guid")
    if found is None or not found[1]:
        return
    guid, value = found
    if (guid.get("isPermaLink") or "true").strip().lower() == "false":
        return
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        yield Finding(
            guid.sourceline,
            f"<guid> {value!r} is not a URL, but isPermaLink is true (the default)",
            'Add isPermaLink="false" to the <guid>; keep its value unchanged.',
        )


@RULES.check(WEAK, "item")
def check_weak(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = kids.value("guid")
    if found is not None and _SMALL_NUMBER.match(found[1]):
        yield Finding(
            found[0].sourceline,
            f"<guid> {found[1]!r} is a small number, which other feeds use too",
            "Make the guid globally unique, e.g. a UUID or the episode's permanent URL "
            "(and never change it once published).",
            group="<guid> is a small number",
        )


def _duplicates(
    items: list[ItemInfo], key: Callable[[ItemInfo], str | None]
) -> Iterator[tuple[str, ItemInfo, ItemInfo]]:
    seen: dict[str, list[ItemInfo]] = defaultdict(list)
    for info in items:
        value = key(info)
        if value:
            seen[value].append(info)
    for value, infos in seen.items():
        for later in infos[1:]:
            yield value, infos[0], later


@RULES.check(DUPLICATE, "channel")
def check_duplicate(feed: Feed, kids: Children) -> Iterator[Finding]:
    for value, first, later in _duplicates(feed.items, lambda i: (i.guid or "").strip()):
        yield Finding(
            later.line,
            f"{later.label}: <guid> {value!r} is also used by the item at line {first.line}",
            "Give every episode its own guid; never reuse or change one once published.",
        )


@RULES.check(DUPLICATE_TITLE, "channel")
def check_duplicate_title(feed: Feed, kids: Children) -> Iterator[Finding]:
    for value, first, later in _duplicates(feed.items, lambda i: " ".join((i.title or "").split())):
        yield Finding(
            later.line,
            f"{later.label}: <title> {value!r} is also used by the item at line {first.line}",
            "Make each title distinct, e.g. add the part or guest name.",
        )
