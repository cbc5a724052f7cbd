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


# -- forms counted from the publication day, and calendar ranges -------------------------------

WED = Reference.of(date(2024, 3, 6))  # a Wednesday


def found(text, ref=WED):
    """Return ``(text, start, end, precision, kind, anchor)`` of each expression found."""
    out = []
    for d in find_dates(text, ref):
        assert text[d.span[0] : d.span[1]] == d.text
        out.append((d.text, d.start.isoformat(), d.end.isoformat(), d.precision, d.kind, d.anchor))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian forces shelled Kupiansk on Friday.", ("Friday", "2024-03-01", "2024-03-01")),
        ("drones struck the port on Friday night", ("Friday night", "2024-03-01", "2024-03-01")),
        ("on Tuesday morning, a missile hit", ("Tuesday morning", "2024-03-05", "2024-03-05")),
        ("clashes broke out late on Monday", ("late on Monday", "2024-03-04", "2024-03-04")),
        ("an attack early Sunday", ("early Sunday", "2024-03-03", "2024-03-03")),
        ("the ministry said on Wednesday", ("Wednesday", "2024-03-06", "2024-03-06")),
        ("the town fell last Wednesday", ("last Wednesday", "2024-02-28", "2024-02-28")),
        ("Saturday's strike on the market", ("Saturday", "2024-03-02", "2024-03-02")),
    ],
    ids=["on-friday", "friday-night", "tuesday-morning", "late-on-monday", "early-sunday",
         "publication-weekday-is-that-day", "last-weekday-is-a-week-before", "possessive"],
)  # fmt: skip
def test_weekdays_are_the_latest_such_day_on_or_before_publication(text, expected):
    assert found(text) == [(*expected, "day", "point", "publication")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", ("yesterday", "2024-03-05", "2024-03-05", "day")),
        ("shelled the city last night", ("last night", "2024-03-05", "2024-03-06", "range")),
        ("Overnight, drones hit Odesa", ("Overnight", "2024-03-05", "2024-03-06", "range")),
        ("an overnight attack", ("overnight", "2024-03-05", "2024-03-06", "range")),
        ("this morning", ("this morning", "2024-03-06", "2024-03-06", "day")),
        ("this afternoon", ("this afternoon", "2024-03-06", "2024-03-06", "day")),
        ("earlier today", ("earlier today", "2024-03-06", "2024-03-06", "day")),
        ("tonight", ("tonight", "2024-03-06", "2024-03-06", "day")),
        ("killed in the past 24 hours",
         ("in the past 24 hours", "2024-03-05", "2024-03-06", "range")),
        ("over the last 48 hours", ("over the last 48 hours", "2024-03-04", "2024-03-06", "range")),
        ("in the past two days", ("in the past two days", "2024-03-04", "2024-03-06", "range")),
        ("over the past week", ("over the past week", "2024-02-28", "2024-03-06", "range")),
        ("earlier this week", ("earlier this week", "2024-03-04", "2024-03-06", "range")),
        ("earlier this month", ("earlier this month", "2024-03-01", "2024-03-06", "range")),
        ("late last week", ("late last week", "2024-02-29", "2024-03-03", "range")),
        ("early last month", ("early last month", "2024-02-01", "2024-02-09", "range")),
        ("last weekend", ("last weekend", "2024-03-02", "2024-03-03", "range")),
        ("over the weekend", ("over the weekend", "2024-03-02", "2024-03-03", "range")),
        ("three days ago", ("three days ago", "2024-03-03", "2024-03-03", "day")),
        ("10 days ago", ("10 days ago", "2024-02-25", "2024-02-25", "day")),
        ("overnight into Tuesday",
         ("overnight into Tuesday", "2024-03-04", "2024-03-05", "range")),
        ("during the night of Monday to Tuesday",
         ("the night of Monday to Tuesday", "2024-03-04", "2024-03-05", "range")),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)  # fmt: skip
def test_relative_forms_resolve_against_the_publication_day(text, expected):
    assert found(text) == [(*expected, "point", "publication")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the night of 3-4 March", ("the night of 3-4 March", "2024-03-03", "2024-03-04")),
        ("between 5 and 9 January", ("between 5 and 9 January", "2024-01-05", "2024-01-09")),
        ("Between 25 and 27 July 2023, rebels",
         ("Between 25 and 27 July 2023", "2023-07-25", "2023-07-27")),
        ("fighting on 3-5 March", ("3-5 March", "2024-03-03", "2024-03-05")),
        ("on 1–3 February 2022", ("1–3 February 2022", "2022-02-01", "2022-02-03")),
        ("on 3 and 4 March", ("3 and 4 March", "2024-03-03", "2024-03-04")),
        ("March 1-4, 2024", ("March 1-4, 2024", "2024-03-01", "2024-03-04")),
        ("from 28 December to 2 January",
         ("from 28 December to 2 January", "2023-12-28", "2024-01-02")),
        ("between 29 February and 2 March 2024",
         ("between 29 February and 2 March 2024", "2024-02-29", "2024-03-02")),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)  # fmt: skip
def test_day_ranges(text, expected):
    assert found(text) == [(*expected, "range", "point", "text")]


@pytest.mark.parametrize(
    ("text", "day"),
    [("03.03.2024", "2024-03-03"), ("on 3.12.2023 at", "2023-12-03"),
     ("2024/03/05", "2024-03-05"), ("25/12/2023", "2023-12-25"), ("12/25/2023", "2023-12-25")],
)  # fmt: skip
def test_numeric_dates(text, day):
    (d,) = find_dates(text, None)  # no reference needed: the year is written
    assert (d.start.isoformat(), d.end.isoformat(), d.precision, d.anchor) == (
        day, day, "day", "text")  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "talks are due next Friday",
        "the Good Friday Agreement",
        "markets open on Fridays",
        "friday",
        "between 10,000 and 12,000 soldiers",
        "31.02.2024",
        "they may 3-5 times",
        "in the past",
    ],
)
def test_not_dates(text):
    assert find_dates(text, WED) == []


def test_a_weekday_before_a_calendar_date_gives_only_the_date():
    assert found("On Friday, 1 March 2024, troops entered") == [
        ("1 March 2024", "2024-03-01", "2024-03-01", "day", "point", "text")
    ]


def test_march_3_and_4_soldiers_is_not_a_range():
    assert [d[0] for d in found("on March 3 and 4 soldiers were hurt")] == ["March 3"]


def test_weekdays_with_since_and_until():
    assert found("shelling since Friday") == [
        ("Friday", "2024-03-01", "2024-03-06", "range", "since", "publication")
    ]
    assert found("held until Monday")[0][4] == "until"


def test_relative_forms_need_a_reference():
    for text in ("on Friday", "yesterday", "overnight", "in the past 24 hours", "3-5 March"):
        assert find_dates(text, None) == [], text


def test_a_month_precise_reference_gives_a_range():
    (d,) = find_dates("on Friday", FEB_2025)  # February 2025, day unknown
    assert (d.start, d.end, d.precision) == (date(2025, 1, 31), date(2025, 2, 28), "range")
    (d,) = find_dates("yesterday", FEB_2025)
    assert (d.start, d.end) == (date(2025, 1, 31), date(2025, 2, 27))


def test_weekend_written_at_a_weekend():
    saturday, sunday = Reference.of(date(2024, 3, 9)), Reference.of(date(2024, 3, 10))
    assert found("over the weekend", saturday)[0][1:4] == ("2024-03-09", "2024-03-09", "day")
    assert found("over the weekend", sunday)[0][1:3] == ("2024-03-09", "2024-03-10")
    assert found("last weekend", sunday)[0][1:3] == ("2024-03-02", "2024-03-03")


def test_stated_and_publication_dates_are_told_apart():
    text = "On 3 March 2024 Russian forces shelled Kupiansk; on Friday drones hit Kharkiv."
    assert [(d.text, d.anchor) for d in find_dates(text, WED)] == [
        ("3 March 2024", "text"),
        ("Friday", "publication"),
    ]


def test_past_hours_are_not_a_vague_time():
    assert not unresolved_time("Russia launched 40 drones in the past 24 hours")
    assert unresolved_time("Such attacks were common in the past")


def test_word_matches_equal_finditer_on_the_dev_set_and_new_forms():
    import json
    from pathlib import Path

    from geo.common.words import word_matches
    from geo.extract import temporal

    texts = [
        "Overnight into Tuesday, twenty-four hours ago, the night of 3-4 March, on 3 and 4 "
        "March, between 5 and 9 January, 03.03.2024, 2024/03/03, late last week, last night.",
        "On Friday, 1 March 2024; early Sunday; two weeks ago; earlier this month; tonight.",
    ]
    root = Path(__file__).resolve().parent / "data" / "extract_dev"
    for path in sorted(root.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    found_any = 0
    for text in texts:
        expected = [(m.span(), m.lastgroup) for m in temporal._REGEX.finditer(text)]
        got = [(m.span(), m.lastgroup) for m in word_matches(temporal._REGEX, text,
                                                             temporal._STARTS)]  # fmt: skip
        assert got == expected, text
        found_any += len(expected)
    assert found_any > 400


def test_doctests_of_the_date_modules():
    import doctest

    from geo.extract import absolute, relative, temporal

    for module in (absolute, relative, temporal):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_an_ambiguous_numeric_date_reads_against_the_reference():
    # 3 April or March 4: only March 4 is not after Wednesday 6 March 2024
    (d,) = find_dates("03/04/2024", WED)
    assert (d.start.isoformat(), d.precision) == ("2024-03-04", "day")
