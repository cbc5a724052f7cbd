from datetime import date

import pytest

from geo.exc import ValidationError
from geo.extract.temporal import Reference, find_dates, parse_published, unresolved_time

FEB_2025 = Reference.of(date(2025, 2, 1), "month")


def one(text, ref=FEB_2025):
    found = find_dates(text, ref)
    assert len(found) == 1, found
    d = found[0]
    assert text[d.span[0] : d.span[1]] == d.text
    return d.start.isoformat(), d.end.isoformat(), d.precision, d.kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "captured on January 9 by",
            ("2025-01-09", "2025-01-09", "day", "point"),
            id="month-day-without-year",
        ),
        pytest.param(
            "Captured on January 9 this year",
            ("2025-01-09", "2025-01-09", "day", "point"),
            id="this-year",
        ),
        pytest.param(
            "captured last month", ("2025-01-01", "2025-01-31", "month", "point"), id="last-month"
        ),
        pytest.param(
            "deployment in October 2024.",
            ("2024-10-01", "2024-10-31", "month", "point"),
            id="month-year",
        ),
        pytest.param(
            "under control since August 2024.",
            ("2024-08-01", "2025-02-28", "range", "since"),
            id="since",
        ),
        pytest.param(
            "On January 12, 2025, the government",
            ("2025-01-12", "2025-01-12", "day", "point"),
            id="full-date",
        ),
        pytest.param(
            "sent in late 2024.", ("2024-09-01", "2024-12-31", "range", "point"), id="late-year"
        ),
        pytest.param(
            "on 9 January 2025 at dawn",
            ("2025-01-09", "2025-01-09", "day", "point"),
            id="day-month-year",
        ),
        pytest.param(
            "In January, troops", ("2025-01-01", "2025-01-31", "month", "point"), id="bare-month"
        ),
        pytest.param(
            "fighting on 2024-11-03", ("2024-11-03", "2024-11-03", "day", "point"), id="iso"
        ),
        pytest.param(
            "on May 5 the unit",
            ("2024-05-05", "2024-05-05", "day", "point"),
            id="month-after-reference-is-last-year",
        ),
    ],
)
def test_date_expressions_resolve_against_the_article_date(text, expected):
    assert one(text) == expected


def test_recent_weeks_is_a_vague_window_not_a_stated_date():
    start, end, precision, kind = one("has intensified in recent weeks")
    assert kind == "vague" and precision == "range" and end == "2025-02-28"


@pytest.mark.parametrize(
    "text",
    [
        "on February 30, 2025",
        "on 31 April 2024",
        "they may 5 times",
        "over 10,000 soldiers",
        "at 3 a.m.",
    ],
)
def test_impossible_or_non_dates_are_not_found(text):
    assert find_dates(text, FEB_2025) == []


def test_relative_dates_need_a_reference():
    assert find_dates("captured last month on January 9", None) == []
    assert [d.text for d in find_dates("since August 2024", None)] == ["August 2024"]


def test_unresolved_time_phrases():
    assert unresolved_time("In the early weeks, Russian forces advanced")
    assert unresolved_time("in the Vietnam War, North Korea sent pilots")
    assert not unresolved_time("On January 9 Ukrainian forces captured two soldiers")


def test_parse_published_forms():
    assert parse_published("2025-02") == (date(2025, 2, 1), "month")
    assert parse_published("2025") == (date(2025, 1, 1), "year")
    assert parse_published("February 3, 2025") == (date(2025, 2, 3), "day")
    assert parse_published("2025-02-03T10:00:00Z") == (date(2025, 2, 3), "day")
    assert parse_published(None) == (None, None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "real calendar date"),
        ("February 30, 2025", "real calendar date"),
        ("last Tuesday", "must be a date like"),
        ("2999-01-01", "after today"),
    ],
)
def test_parse_published_rejects_bad_dates(value, message):
    with pytest.raises(ValidationError, match=message) as err:
        parse_published(value, today=date(2026, 1, 1))
    assert repr(value) in str(err.value) or "after today" in str(err.value)
