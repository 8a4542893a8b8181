"""parse_date: every date notation the real site uses, and clear errors for the rest."""

from __future__ import annotations

import doctest
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

import podfeed.site.dates
from podfeed.site.dates import DateError, parse_date

LA = "America/Los_Angeles"
SEEDS = Path(__file__).parent / "data" / "episodes" / "seeds" / "edt-189"


def offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def test_doctests_in_the_module_hold() -> None:
    result = doctest.testmod(podfeed.site.dates)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thu Mar 07 2024 00:00:00 GMT-0800 (Pacific Standard Time)",
            datetime(2024, 3, 7, tzinfo=offset(-8)),
        ),
        (
            "Thu May 07 2020 14:00:00 GMT-1000 (Hawaii-Aleutian Standard Time)",
            datetime(2020, 5, 7, 14, tzinfo=offset(-10)),
        ),
        (
            "Mon Feb 06 2023 16:00:00 GMT+0100 (Mitteleuropäische Normalzeit)",
            datetime(2023, 2, 6, 16, tzinfo=offset(1)),
        ),
        ("Mon Feb 06 2023 16:00:00 GMT-0500", datetime(2023, 2, 6, 16, tzinfo=offset(-5))),
        (
            "Mon Feb 06 2023 16:00:00 GMT+05:30",
            datetime(2023, 2, 6, 16, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
    ],
)
def test_javascript_date_text_counts_the_offset_not_the_zone_name(
    text: str, expected: datetime
) -> None:
    assert parse_date(text, tz=LA) == expected
    assert parse_date(text, tz=LA).utcoffset() == expected.utcoffset()


def test_javascript_date_text_without_offset_takes_the_show_time_zone() -> None:
    assert parse_date("Thu Mar 07 2024 09:30:00", tz=LA) == datetime(
        2024, 3, 7, 9, 30, tzinfo=ZoneInfo(LA)
    )


def test_javascript_date_with_an_unknown_month_is_an_error() -> None:
    with pytest.raises(DateError, match="Foo"):
        parse_date("Thu Foo 07 2024 00:00:00 GMT-0800", tz=LA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-07T08:00:00.000Z", datetime(2024, 3, 7, 8, tzinfo=UTC)),
        ("2024-03-07T08:00:00Z", datetime(2024, 3, 7, 8, tzinfo=UTC)),
        ("2025-02-13T14:56:13.646Z", datetime(2025, 2, 13, 14, 56, 13, 646000, tzinfo=UTC)),
        ("2024-03-07T00:00:00-08:00", datetime(2024, 3, 7, 8, tzinfo=UTC)),
        ("2024-03-07T00:00:00-0800", datetime(2024, 3, 7, 8, tzinfo=UTC)),
        ("2024-03-07 00:00:00 -0800", datetime(2024, 3, 7, 8, tzinfo=UTC)),  # Jekyll's own form
        ("2024-03-07t08:00:00.123456789z", datetime(2024, 3, 7, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2001-12-14 21:59:43.10 -5", datetime(2001, 12, 15, 2, 59, 43, 100000, tzinfo=UTC)),
    ],
)
def test_iso_8601_with_a_zone_is_that_instant(text: str, expected: datetime) -> None:
    assert parse_date(text, tz=LA) == expected


def test_iso_8601_without_a_zone_takes_the_show_time_zone() -> None:
    result = parse_date("2024-03-07T09:15", tz=LA)
    assert result == datetime(2024, 3, 7, 9, 15, tzinfo=ZoneInfo(LA))
    assert result.utcoffset() == timedelta(hours=-8)


def test_summer_dates_get_the_summer_offset_of_the_show_time_zone() -> None:
    assert parse_date("2022-08-18", tz=LA).utcoffset() == timedelta(hours=-7)


def test_a_bare_date_is_midnight_in_the_show_time_zone() -> None:
    assert parse_date("2022-08-18", tz=LA) == datetime(2022, 8, 18, tzinfo=ZoneInfo(LA))
    assert parse_date("2022-08-18", tz="Europe/Berlin") == datetime(
        2022, 8, 18, tzinfo=ZoneInfo("Europe/Berlin")
    )


def test_us_month_day_year_as_seen_in_the_real_briefs() -> None:
    # 2/10/2025 is February 10 (US order), not October 2.
    assert parse_date("2/10/2025", tz=LA) == datetime(2025, 2, 10, tzinfo=ZoneInfo(LA))
    assert parse_date("12/31/2024", tz=LA) == datetime(2024, 12, 31, tzinfo=ZoneInfo(LA))


def test_a_day_first_date_that_cannot_be_us_order_is_an_error() -> None:
    with pytest.raises(DateError, match="31/12/2024"):
        parse_date("31/12/2024", tz=LA)


def test_rfc_2822_as_in_feeds() -> None:
    assert parse_date("Thu, 07 Mar 2024 08:00:00 +0000", tz=LA) == datetime(
        2024, 3, 7, 8, tzinfo=UTC
    )


def test_pyyaml_gives_aware_datetimes_for_unquoted_z_timestamps() -> None:
    # The fact this module relies on (PyYAML >= 5.3): a naive datetime from YAML means that no
    # zone was written, so it takes the show's zone. If this ever fails, revisit parse_date.
    loaded = yaml.load("d: 2024-03-07T08:00:00.000Z", Loader=yaml.SafeLoader)["d"]
    assert loaded.tzinfo is not None
    assert loaded == datetime(2024, 3, 7, 8, tzinfo=UTC)
    if hasattr(yaml, "CSafeLoader"):
        assert yaml.load("d: 2024-03-07T08:00:00.000Z", Loader=yaml.CSafeLoader)["d"] == loaded


def test_yaml_datetime_values_read_like_their_text() -> None:
    for text in ("2024-03-07T08:00:00.000Z", "2024-03-07 00:00:00 -08:00", "2024-03-07 00:00:00"):
        loaded = yaml.safe_load(f"d: {text}")["d"]
        assert isinstance(loaded, datetime)
        assert parse_date(loaded, tz=LA) == parse_date(text, tz=LA)


def test_naive_datetime_takes_the_show_time_zone() -> None:
    assert parse_date(datetime(2024, 3, 7, 9), tz=LA) == datetime(
        2024, 3, 7, 9, tzinfo=ZoneInfo(LA)
    )


def test_aware_datetime_is_kept() -> None:
    value = datetime(2024, 3, 7, 9, tzinfo=offset(2))
    assert parse_date(value, tz=LA) is value


def test_yaml_date_is_midnight_in_the_show_time_zone() -> None:
    loaded = yaml.safe_load("d: 2022-08-18")["d"]
    assert type(loaded) is date
    assert parse_date(loaded, tz=LA) == datetime(2022, 8, 18, tzinfo=ZoneInfo(LA))


def test_the_seed_pair_gives_the_same_instant_two_ways() -> None:
    def date_line(lang: str) -> str:
        text = (SEEDS / lang / "episode.md").read_text(encoding="utf-8")
        return next(
            line[len("date:") :].strip() for line in text.splitlines() if line.startswith("date:")
        )

    de, en = date_line("de"), date_line("en")
    assert de.startswith("Thu Mar 07 2024") and en.endswith("Z")  # really two notations
    assert parse_date(de, tz="UTC") == parse_date(en, tz="UTC")
    assert parse_date(yaml.safe_load(f"d: {en}")["d"], tz="UTC") == parse_date(de, tz="UTC")


UNREADABLE: list[object] = [None, "", "   ", "soon", "2024-13-01", "2024-02-30", "1709798400",
                            "Thu Mar 07 2024 25:00:00 GMT-0800", "2024-03-07T08:00:00+25:00",
                            1709798400, 3.5, True, ["2024-03-07"]]  # fmt: skip


@pytest.mark.parametrize("value", UNREADABLE)
def test_missing_or_unreadable_dates_are_errors_naming_value_and_forms(value: object) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value, tz=LA)
    message = str(caught.value)
    assert "ISO 8601" in message and "JavaScript" in message
    if isinstance(value, str) and value.strip():
        assert repr(value) in message


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_unknown_time_zone_is_a_date_error() -> None:
    with pytest.raises(DateError, match="Mars/Base"):
        parse_date("2024-03-07", tz="Mars/Base")


def test_very_long_values_are_shortened_in_the_message() -> None:
    with pytest.raises(DateError) as caught:
        parse_date("x" * 10_000, tz=LA)
    assert len(str(caught.value)) < 1000


def test_an_out_of_range_offset_is_an_error_every_time() -> None:
    # Offsets are cached once parsed; a refused one must not be remembered as anything.
    for _ in range(2):
        with pytest.raises(DateError, match="out of range"):
            parse_date("2024-03-07T08:00:00+24:00", tz="UTC")


def test_the_same_offset_written_twice_gives_each_date_its_own_instant() -> None:
    first = parse_date("Thu Mar 07 2024 00:00:00 GMT-0800 (PST)", tz="UTC")
    second = parse_date("Fri Mar 08 2024 06:30:00 GMT-0800 (PST)", tz="UTC")
    assert first == datetime(2024, 3, 7, 8, tzinfo=UTC)
    assert second == datetime(2024, 3, 8, 14, 30, tzinfo=UTC)
    assert first.utcoffset() == second.utcoffset() == timedelta(hours=-8)
