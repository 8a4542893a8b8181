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

itunes-duration, itunes-episode-type (a value), itunes-type and itunes-episode-number are
reported by the walk over the vocabulary table, which names them for their elements; their
value types (DURATION, EPISODE_TYPE, SHOW_TYPE, EPISODE_NUMBER) are in
:mod:`podfeed.validate.values`.
"""

from __future__ import annotations

from collections.abc import Iterator

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources
from podfeed.validate.rules.apple_show import description_length
from podfeed.validate.xmltree import ITUNES_NS

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
    fix = "Keep <description> short and put full show notes in <content:encoded>."
    return description_length(kids, "episode", fix)
