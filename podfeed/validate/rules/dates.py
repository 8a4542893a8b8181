"""Dates: RFC 822 (as updated by RFC 2822), with a real calendar day, and not in the future.

Pass: ``<pubDate>Thu, 07 Mar 2024 08:00:00 +0000</pubDate>``, ``Thu, 7 Mar 2024 08:00 GMT``.

Fail: ``2024-03-07T08:00:00Z`` (rss-date: ISO 8601 is not RFC 822), ``Thu, 30 Feb 2024 ...``
(rss-date), ``Mon, 07 Mar 2024 ...`` (rss-date-weekday: 7 March 2024 was a Thursday), an
episode dated next year (item-pubdate-future), an item without ``<pubDate>``
(item-pubdate-missing), ``07 Mar 24 08:00 A`` or ``Thu (today), 07 Mar 2024 ...`` (rss-date-form:
valid RFC 822 that readers misread), ``Thu, 04 Jul 1776 ...`` (rss-date-implausible).

Every form RFC 822 allows is accepted (no weekday, two-digit years, GMT/EST/... zones,
comments); the forms readers often get wrong are warnings, never errors.

item-pubdate-missing is reported by the walk over the vocabulary table, which names it for the
item's ``<pubDate>``.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

from podfeed.problems import Level
from podfeed.validate.base import PODCAST_ONLY, Children, Feed, Finding, RuleSet
from podfeed.validate.rules import sources

RULES = RuleSet()
DATE = RULES.rule(
    "rss-date",
    Level.ERROR,
    "pubDate and lastBuildDate must be RFC 822/2822 dates",
    sources.RSS_DATES,
)
WEEKDAY = RULES.rule(
    "rss-date-weekday",
    Level.WARNING,
    "the day of the week in a date must match the date",
    sources.RSS_DATES,
)
FUTURE = RULES.rule(
    "item-pubdate-future",
    Level.WARNING,
    "an episode dated in the future is hidden or shown out of order by apps",
    sources.APPLE_RSS,
)
MISSING = RULES.rule(
    "item-pubdate-missing",
    Level.WARNING,
    "every episode should have a <pubDate> (apps sort and announce episodes by it)",
    sources.APPLE_RSS,
    PODCAST_ONLY,
)
FORM = RULES.rule(
    "rss-date-form",
    Level.WARNING,
    "a valid RFC 822 date in a form readers misread (two-digit year, military zone letter, "
    "comments, no space after the comma, an odd zone offset)",
    sources.RSS_DATES,
)
IMPLAUSIBLE = RULES.rule(
    "rss-date-implausible",
    Level.WARNING,
    "a date before 1970 is almost certainly a mistake (a missing year, a zero timestamp)",
    sources.RSS_DATES,
)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# RFC 822 section 5 zones; "UTC" is not in RFC 822 but every reader (and Python) accepts it.
_ZONES = {"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5}
_ZONES |= {"MST": -7, "MDT": -6, "PST": -8, "PDT": -7}
_RFC822 = re.compile(
    r"^(?:(?P<wd>[A-Za-z]{3}),\s*)?(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3})\s+(?P<y>\d{4}|\d{2})\s+"
    r"(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s+(?P<z>[+-]\d{4}|[A-Za-z]{1,3})$"
)
_EXAMPLE = "Thu, 07 Mar 2024 08:00:00 +0000"


def parse_rfc822(value: str) -> tuple[datetime, str | None] | None:
    """The instant and the written weekday of an RFC 822 date, or None when it is not one.

    Stricter than :func:`email.utils.parsedate_tz`, which guesses at ISO dates and garbage.

    >>> parse_rfc822("Thu, 07 Mar 2024 08:00:00 +0100")[0].isoformat()
    '2024-03-07T08:00:00+01:00'
    >>> parse_rfc822("2024-03-07T08:00:00Z") is None
    True
    """
    match = _RFC822.match(value.strip())
    if match is None:
        return None
    month_name = match["mon"].title()
    weekday = match["wd"]
    if month_name not in _MONTHS or (weekday is not None and weekday.title() not in _DAYS):
        return None
    offset = _offset(match["z"])
    if offset is None:
        return None
    year = int(match["y"])
    if len(match["y"]) == 2:  # RFC 2822 section 4.3: 00-49 are 2000-2049, 50-99 are 1950-1999
        year += 2000 if year < 50 else 1900
    try:
        moment = datetime(
            year,
            _MONTHS.index(month_name) + 1,
            int(match["d"]),
            int(match["H"]),
            int(match["M"]),
            min(int(match["S"] or 0), 59),  # a leap second (60) is legal in RFC 2822
            tzinfo=offset,
        )
    except ValueError:
        return None
    return moment, weekday


_COMMENT = re.compile(r"\([^()]*\)")


def _lenient(value: str) -> str:
    """The date with RFC 822 comments removed and spaces normalised (for dates that are valid
    but unusual; the strict pattern reads every other one)."""
    text = _COMMENT.sub(" ", value)
    return re.sub(r"\s+,", ",", " ".join(text.split()))


@functools.lru_cache(maxsize=256)
def _parse(value: str) -> tuple[datetime, str | None] | None:
    """:func:`parse_rfc822`, also for dates with comments; cached because the same date is
    read by several rules (rss-date, rss-date-weekday, rss-date-form, item-pubdate-future)."""
    parsed = parse_rfc822(value)
    if parsed is None and "(" in value:
        parsed = parse_rfc822(_lenient(value))
    return parsed


def date_form(value: str) -> list[str]:
    """What makes a valid RFC 822 date one that readers misread (empty: nothing).

    >>> date_form("Thu, 07 Mar 2024 08:00:00 +0000"), date_form("31 Dec 99 23:59 A")
    ([], ['has a two-digit year', 'uses the military zone letter A, which RFC 2822 reads as +0000'])
    """
    text = _lenient(value)
    match = _RFC822.match(text)
    if match is None:
        return []
    found = []
    if "(" in value:
        found.append("contains comments in parentheses")
    if re.search(r",\S", value.strip()):
        found.append("has no space after the comma")
    if len(match["y"]) == 2:
        found.append("has a two-digit year")
    zone = match["z"]
    if len(zone) == 1 and zone.upper() != "Z":
        found.append(f"uses the military zone letter {zone}, which RFC 2822 reads as +0000")
    elif zone[0] in "+-" and zone[3:] not in ("00", "30", "45"):
        found.append(f"has the unusual zone offset {zone}")
    return found


def _offset(zone: str) -> timezone | None:
    if zone[0] in "+-":
        hours, minutes = int(zone[1:3]), int(zone[3:5])
        if minutes > 59:
            return None
        sign = -1 if zone[0] == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    upper = zone.upper()
    if upper in _ZONES:
        return timezone(timedelta(hours=_ZONES[upper]))
    # RFC 2822 section 4.3: military zones are ambiguous and are read as -0000.
    if len(upper) == 1 and upper != "J":
        return UTC
    return None


def judge_dates(feed: Feed, kids: Children) -> dict[str, list[Finding]]:
    """The channel's or an item's dates, each parsed once and judged by the rules on their
    form (rss-date, rss-date-weekday, rss-date-form, rss-date-implausible), by rule id."""
    found: dict[str, list[Finding]] = defaultdict(list)
    for tag in ("pubDate", "lastBuildDate"):
        element = kids.first(tag)
        if element is None:
            continue
        value = kids.text(tag) or ""
        line, shown = element.sourceline, f"<{tag}> {value.strip()!r}"
        parsed = _parse(value)
        if parsed is None:
            fix = f"Write dates like {_EXAMPLE!r} (day, month name, 4-digit year, time, zone)."
            found[DATE.id].append(Finding(line, f"{shown} is not an RFC 822 date", fix))
            continue
        moment, written = parsed
        actual = _DAYS[moment.weekday()]
        if written is not None and written.title() != actual:
            message = f"{shown} says {written} but that date is a {actual}"
            fix = f"Write {actual}, or leave the day name out; check that the date is right."
            found[WEEKDAY.id].append(Finding(line, message, fix))
        reasons = " and ".join(date_form(value))
        if reasons:
            fix = f"Write dates like {_EXAMPLE!r}: a four-digit year, a numeric zone, no comments."
            group = f"<{tag}> {reasons}"
            found[FORM.id].append(Finding(line, f"{shown} {reasons}", fix, group=group))
        if moment.year < 1970:
            fix = "Check the date: the year, or a timestamp of 0, is wrong."
            found[IMPLAUSIBLE.id].append(Finding(line, f"{shown} is before 1970", fix))
    return found


RULES.share(judge_dates, "channel", "item", rules=(DATE, WEEKDAY, FORM, IMPLAUSIBLE))


@RULES.check(FUTURE, "item")
def check_future(feed: Feed, kids: Children) -> Iterator[Finding]:
    element = kids.first("pubDate")
    parsed = _parse(kids.text("pubDate") or "") if element is not None else None
    if element is not None and parsed is not None and parsed[0] > feed.now:
        yield Finding(
            element.sourceline,
            f"<pubDate> {parsed[0].isoformat()} is after now ({feed.now.isoformat()})",
            "Publish the episode when it is released, or fix the date (check the time zone).",
        )
