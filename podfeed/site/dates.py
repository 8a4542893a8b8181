"""Episode dates as they really occur in Jekyll front matter, turned into timezone-aware datetimes.

The same instant is written many ways across one site (see ``corpus/README.md``): a JavaScript
``Date.toString()`` text pasted by an authoring tool, ISO 8601 with ``Z`` (quoted or not), a bare
``2022-08-18`` that YAML turns into a ``date``, or a US ``2/10/2025``. What counts is the instant:
a written offset wins; where no zone is written the show's configured time zone applies (that is
what the podcaster meant by "the 7th of March").

PyYAML (>= 5.3, and the 6.x this project requires) returns *aware* datetimes for unquoted
timestamps that carry ``Z`` or an offset, and *naive* ones only when no zone was written, so a
naive ``datetime`` here really means "no zone": it takes the show's time zone. The episode reader
passes the scalar text as written anyway, so its result does not depend on that PyYAML detail.
:func:`date_key` is the integer every list of episodes and items is sorted by.

>>> parse_date("Thu Mar 07 2024 00:00:00 GMT-0800 (Pacific Standard Time)", tz="UTC").isoformat()
'2024-03-07T00:00:00-08:00'
>>> parse_date("2024-03-07T08:00:00.000Z", tz="UTC").isoformat()
'2024-03-07T08:00:00+00:00'
>>> parse_date("2/10/2025", tz="America/Los_Angeles").isoformat()
'2025-02-10T00:00:00-08:00'
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ACCEPTED_FORMS", "DateError", "date_key", "parse_date"]

ACCEPTED_FORMS = (
    "ISO 8601 (2024-03-07T08:00:00Z, 2024-03-07T00:00:00-08:00, 2024-03-07 08:00:00), "
    "a date (2024-03-07), US month/day/year (3/7/2024), "
    "JavaScript Date text (Thu Mar 07 2024 00:00:00 GMT-0800 (Pacific Standard Time)) "
    "or RFC 2822 (Thu, 07 Mar 2024 08:00:00 +0000)"
)

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}

# JavaScript Date.prototype.toString(): "Thu Mar 07 2024 00:00:00 GMT-0800 (Pacific Standard
# Time)". The zone name in parentheses depends on the author's browser locale, so it is ignored;
# only the numeric offset counts. Without "GMT+hhmm" the show's time zone applies.
_JS_DATE = re.compile(
    r"""(?:[A-Za-z]{3},?\s+)?               # weekday (not checked against the date)
        (?P<month>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+(?P<year>\d{4})
        \s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
        (?:\s*(?:GMT|UTC)\s*(?P<offset>[+-]\d{2}:?\d{2})?)?
        (?:\s*\([^()]*\))?                   # zone name, any language, or none
    """,
    re.VERBOSE,
)

# ISO 8601 and a superset of YAML 1.1's timestamp pattern (one-digit month/day/hour, space or T
# between date and time, optional space before the zone, fractions of any length).
_ISO = re.compile(
    r"""(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
        (?:(?:[Tt]|[ \t]+)
           (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?
           (?:[ \t]*(?P<zone>[Zz]|[+-]\d{1,2}(?::?\d{2})?))?
        )?
    """,
    re.VERBOSE,
)

# "2/10/2025" as seen in the real site's briefs: US order month/day/year (the site's author is in
# the US and the files come from a US-locale tool; 2/10/2025 is the Monday brief of Feb 10, 2025).
_US_DATE = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})")

_MAX_SHOWN = 100


class DateError(ValueError):
    """A date value that is missing or in none of the accepted forms; the message names both."""


def parse_date(value: object, *, tz: str) -> datetime:
    """Return the instant ``value`` stands for, always timezone-aware.

    ``tz`` is the show's IANA time zone, used only where the value itself names no zone.

    :raises DateError: for ``None``, empty text, non-date types and text in no accepted form.
    """
    zone = _zone(tz)
    if isinstance(value, datetime):
        return value if _is_aware(value) else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, str):
        return _parse_text(value, value.strip(), zone)
    raise DateError(f"cannot read date {_show(value)}: {_kind(value)}; expected {ACCEPTED_FORMS}")


def _parse_text(original: str, text: str, zone: tzinfo) -> datetime:
    if not text:
        raise DateError(f"date is empty; expected {ACCEPTED_FORMS}")
    for parser in (_from_iso, _from_us, _from_js, _from_rfc2822):
        try:
            result = parser(text, zone)
        except (ValueError, OverflowError) as exc:  # e.g. month 13, day 31 in April
            raise DateError(
                f"cannot read date {_show(original)}: {exc}; expected {ACCEPTED_FORMS}"
            ) from None
        if result is not None:
            return result
    raise DateError(f"cannot read date {_show(original)}; expected {ACCEPTED_FORMS}")


def _from_iso(text: str, zone: tzinfo) -> datetime | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    fraction = (match["fraction"] or "").ljust(6, "0")[:6]
    return datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        int(match["hour"] or 0),
        int(match["minute"] or 0),
        int(match["second"] or 0),
        int(fraction),
        tzinfo=_offset(match["zone"]) or zone,
    )


def _from_us(text: str, zone: tzinfo) -> datetime | None:
    match = _US_DATE.fullmatch(text)
    if match is None:
        return None
    return datetime(int(match["year"]), int(match["month"]), int(match["day"]), tzinfo=zone)


def _from_js(text: str, zone: tzinfo) -> datetime | None:
    match = _JS_DATE.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS.get(match["month"].lower())
    if month is None:
        raise ValueError(f"unknown month {match['month']!r}")
    return datetime(
        int(match["year"]),
        month,
        int(match["day"]),
        int(match["hour"]),
        int(match["minute"]),
        int(match["second"] or 0),
        tzinfo=_offset(match["offset"]) or zone,
    )


def _from_rfc2822(text: str, zone: tzinfo) -> datetime | None:
    # The pubDate form (what feeds carry), accepted so dates copied from a feed work too.
    if "," not in text:
        return None
    try:
        result = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return result if _is_aware(result) else result.replace(tzinfo=zone)


@functools.lru_cache(maxsize=256)
def _offset(text: str | None) -> timezone | None:
    """``Z``, ``+05``, ``-0800``, ``+05:30`` -> a fixed offset; ``None`` when no zone is written.

    Cached: a show writes the same few offsets thousands of times, and ``timezone`` objects are
    immutable (an out-of-range offset raises, which is not cached).
    """
    if not text:
        return None
    if text in "Zz":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    if int(minutes) >= 60 or int(hours) >= 24:
        raise ValueError(f"offset {text!r} is out of range")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _zone(tz: str) -> tzinfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DateError(f"unknown time zone {tz!r} ({exc})") from None


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None


def _show(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= _MAX_SHOWN else shown[: _MAX_SHOWN - 3] + "..."


def _kind(value: object) -> str:
    if value is None:
        return "no value"
    return f"{type(value).__name__} is not a date"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def date_key(moment: datetime) -> int:
    """``moment`` as exact microseconds since the epoch, to sort by: the same order as the
    datetimes themselves (aware ones by their instant), and integers compare far faster than
    aware datetimes (every build sorts all episodes, then each feed's items).
    """
    epoch = _NAIVE_EPOCH if moment.tzinfo is None else _EPOCH
    return (moment - epoch) // _MICROSECOND
