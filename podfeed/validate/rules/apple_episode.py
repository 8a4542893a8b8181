"""Apple's episode-level values: duration, episode type, numbering, show type, description size.

Pass: ``<itunes:duration>1801</itunes:duration>`` (or ``30:01``, ``0:30:01``),
``<itunes:episodeType>full</itunes:episodeType>``, ``<itunes:episode>46</itunes:episode>``,
``<itunes:type>serial</itunes:type>`` with every episode numbered.

Fail: ``<itunes:duration>30 min</itunes:duration>`` (itunes-duration),
``<itunes:episodeType>normal</itunes:episodeType>`` (itunes-episode-type; an empty one means
the default, full: one warning for the whole feed),
``<itunes:type>series</itunes:type>`` (itunes-type), ``<itunes:episode>#3</itunes:episode>``
(itunes-episode-number), a serial show with an unnumbered episode (apple-serial-episode), an
episode description over 4000 bytes (item-description-length).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import ITUNES_NS, PODCAST_ONLY, Children, Element, Feed, Finding, RuleSet
from podfeed.validate.rules import sources

RULES = RuleSet()

DURATION = RULES.rule(
    "itunes-duration",
    Level.ERROR,
    "<itunes:duration> must be seconds, MM:SS or HH:MM:SS",
    sources.APPLE_RSS,
)
EPISODE_TYPE = RULES.rule(
    "itunes-episode-type",
    Level.ERROR,
    "<itunes:episodeType> must be full, trailer or bonus",
    sources.APPLE_RSS,
)
SHOW_TYPE = RULES.rule(
    "itunes-type",
    Level.ERROR,
    "<itunes:type> must be episodic or serial",
    sources.APPLE_RSS,
)
NUMBER = RULES.rule(
    "itunes-episode-number",
    Level.ERROR,
    "<itunes:episode> and <itunes:season> must be positive whole numbers",
    sources.APPLE_RSS,
)
SERIAL = RULES.rule(
    "apple-serial-episode",
    Level.ERROR,
    "in a serial show every full episode needs <itunes:episode>",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
DESCRIPTION_LENGTH = RULES.rule(
    "item-description-length",
    Level.WARNING,
    "an episode <description> should be at most 4000 bytes",
    sources.PSP1,
    PODCAST_ONLY,
)

_I = f"{{{ITUNES_NS}}}"
# Seconds (fractions tolerated: readers accept them), M:SS / MM:SS, or H:MM:SS / HH:MM:SS.
_DURATION = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)?|[0-9]+:[0-5][0-9]|[0-9]+:[0-5][0-9]:[0-5][0-9])$")
# Compared without regard to case: Apple documents lower case, some hosts write "Full".
_EPISODE_TYPES = ("full", "trailer", "bonus")
_SHOW_TYPES = ("episodic", "serial")
_POSITIVE = re.compile(r"^[0-9]+$")


def _value(kids: Children, tag: str) -> tuple[Element, str] | None:
    found = kids.first(tag)
    return None if found is None else (found, (kids.text(tag) or "").strip())


@RULES.check(DURATION, "item")
def check_duration(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = _value(kids, f"{_I}duration")
    if found is not None and not _DURATION.match(found[1]):
        yield Finding(
            found[0].sourceline,
            f"<itunes:duration> {found[1]!r} is not seconds, MM:SS or HH:MM:SS",
            "Write the length in whole seconds, e.g. <itunes:duration>1801</itunes:duration>.",
        )


@RULES.check(EPISODE_TYPE, "item")
def check_episode_type(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = _value(kids, f"{_I}episodeType")
    # Empty means the default (full), as Apple documents: one warning for the feed
    # (check_empty_episode_types), not an error per item.
    if found is not None and found[1] and found[1].lower() not in _EPISODE_TYPES:
        yield Finding(
            found[0].sourceline,
            f"<itunes:episodeType> {found[1]!r} is not one of {', '.join(_EPISODE_TYPES)}",
            "Write full (a normal episode), trailer or bonus.",
        )


@RULES.check(EPISODE_TYPE, "channel")
def check_empty_episode_types(feed: Feed, kids: Children) -> Iterator[Finding]:
    empty = [info for info in feed.items if info.episode_type_empty]
    if empty:
        first = empty[0]
        count = f"{len(empty)} items have" if len(empty) > 1 else "1 item has"
        yield Finding(
            first.line,
            f"{count} an empty <itunes:episodeType/>, first {first.label}; Apple reads it as full",
            "Write <itunes:episodeType>full</itunes:episodeType> (or trailer, bonus), or leave "
            "the tag out: full is the default.",
            level=Level.WARNING,
        )


@RULES.check(SHOW_TYPE, "channel")
def check_show_type(feed: Feed, kids: Children) -> Iterator[Finding]:
    found = _value(kids, f"{_I}type")
    if found is not None and found[1].lower() not in _SHOW_TYPES:
        yield Finding(
            found[0].sourceline,
            f"<itunes:type> {found[1]!r} is not episodic or serial",
            "Write episodic (newest first) or serial (oldest first).",
        )


@RULES.check(NUMBER, "item")
def check_numbers(feed: Feed, kids: Children) -> Iterator[Finding]:
    for tag in ("episode", "season"):
        found = _value(kids, f"{_I}{tag}")
        if found is not None and not (_POSITIVE.match(found[1]) and int(found[1]) > 0):
            yield Finding(
                found[0].sourceline,
                f"<itunes:{tag}> {found[1]!r} is not a positive whole number",
                f"Write the number only, e.g. <itunes:{tag}>3</itunes:{tag}>.",
            )


@RULES.check(SERIAL, "channel")
def check_serial(feed: Feed, kids: Children) -> Iterator[Finding]:
    if (kids.text(f"{_I}type") or "").strip().lower() != "serial":
        return
    for info in feed.items:
        # Apple shows an unnumbered trailer or bonus as the show's (or season's) trailer/bonus.
        kind = (info.episode_type or "full").lower()
        if not info.has_itunes_episode and kind not in ("trailer", "bonus"):
            yield Finding(
                info.line,
                f"{info.label}: the show is serial but the episode has no <itunes:episode>",
                "Number every episode with <itunes:episode>, or make the show episodic.",
            )


@RULES.check(DESCRIPTION_LENGTH, "item")
def check_description_length(feed: Feed, kids: Children) -> Iterator[Finding]:
    description = kids.first("description")
    size = len((kids.text("description") or "").encode("utf-8"))
    if description is not None and size > 4000:
        yield Finding(
            description.sourceline,
            f"the episode <description> is {size} bytes long (at most 4000)",
            "Keep <description> short and put full show notes in <content:encoded>.",
        )
