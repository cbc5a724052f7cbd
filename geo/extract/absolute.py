"""Date expressions that name the calendar date: "9 January 2025", "January 9", "3-5 March".

Each form is one named pattern in :data:`PATTERNS` (joined into the expression of
:func:`geo.extract.temporal.find_dates`), resolved by :func:`resolve`: full dates (ISO
"2024-03-03", "2024/03/03", European "03.03.2024", "25/12/2024", "05-05-2024" and "01/06/23" (an
ambiguous order read against the reference date, else day first),
"9 January 2025", "January 9, 2025"), a day and month in numbers as casualty logs write them
("14/06", with a reference date), day ranges ("3-5 March", "between 5 and 9 January
2024", "the night of 3-4 March", "30 March - 2 April"), days and months without a year (the
latest not after the reference date), months, years and their parts ("late 2024",
"mid-March").
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = ["MONTHS", "PATTERNS", "month_range", "part_range", "resolve", "year_for"]

#: Month names and abbreviations (lower case) to month numbers.
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
MONTHS["sept"] = 9
_MON = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?P<{0}>(?:19|20)\d\d)(?!\d|,\d)"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_PART = r"(?P<part>early|mid|late|the end of|the beginning of|the start of)[\s-]"
# Ranges: "between" / "from" / "the night of" may lead. "and" joins two days of one month
# ("3 and 4 March"), but a month and day to another only after "between": "March 3 and 4
# soldiers", "on 3 March and 5 April" are not ranges.
_RANGE_LEAD = r"(?:(?P<pre>between|from|the\s+night\s+of)\s+)?"
_DM_SEP = r"\s*(?:[-–—]|to|and|until|till|through)\s*"
_RANGE_SEP = (
    r"(?(pre)\s*(?:[-–—]|to|and|until|till|through)\s*|\s*(?:[-–—]|to|until|till|through)\s*)"
)

#: ``(kind, pattern)`` of each calendar form; group names are local to their pattern. Order
#: matters: the first pattern that matches at a position wins, longer forms first.
PATTERNS = [
    (
        "dmdm",
        rf"\b{_RANGE_LEAD}{_DAY.format('d1')}\s+{_MON.format('mon1')}(?:,?\s+{_YEAR.format('y1')})?"
        rf"{_RANGE_SEP}{_DAY.format('d2')}\s+{_MON.format('mon2')}(?:,?\s+{_YEAR.format('y')})?",
    ),
    (
        "mdmd",
        rf"\b{_RANGE_LEAD}{_MON.format('mon1')}\s+{_DAY.format('d1')}(?:,?\s+{_YEAR.format('y1')})?"
        rf"{_RANGE_SEP}{_MON.format('mon2')}\s+{_DAY.format('d2')}\b(?:,?\s+{_YEAR.format('y')})?",
    ),
    (
        "dmrange",
        rf"\b{_RANGE_LEAD}{_DAY.format('d1')}{_DM_SEP}{_DAY.format('d2')}\s+{_MON.format('mon2')}"
        rf"(?:,?\s+{_YEAR.format('y')})?",
    ),
    (
        "mdrange",
        rf"\b{_RANGE_LEAD}{_MON.format('mon2')}\s+{_DAY.format('d1')}{_RANGE_SEP}"
        rf"{_DAY.format('d2')}\b(?![:.]\d)(?:,?\s+{_YEAR.format('y')})?",
    ),
    ("iso", rf"\b{_YEAR.format('y')}-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ("ymd", rf"\b{_YEAR.format('y')}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)\b"),
    ("dotted", rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{_YEAR.format('y')}"),
    # "25/12/2024", "05-05-2024", "01/06/23": numbers joined by one separator, the year last
    (
        "slashed",
        r"\b(?P<a>[0-3]?\d)(?P<sep>[/-])(?P<b>[0-3]?\d)(?P=sep)"
        r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.-]\d|\d)",
    ),
    # "...; 11/12" closing a log line: a day and month as a field of their own, read either
    # way round against the reference (see _field_dm)
    (
        "fielddm",
        r"(?:(?<=[;|])|(?<=[;|]\s)|^)(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?=\s*(?:$|[;|\n]))",
    ),
    # "14/06", "19.10" in casualty logs: day and month without a year (see _numeric_dm).
    (
        "numdm",
        r"(?<![\w/.,:$€£])(?<!\bat\s)(?P<a>[0-3]?\d)[/.](?P<b>[01]\d)(?![\d/.,:]\d|\d)"
        r"(?!\s*(?:%|percent|per\b|[ap]\.?m\b|hrs?\b|h\b|km\b|kilomet|miles?\b|m\b|kg\b|"
        r"tons?\b|tonnes?\b|million|billion|bn\b|mln\b|points?\b))",
    ),
    ("mdy", rf"\b{_MON.format('mon')}\s+{_DAY.format('d')},?\s+{_YEAR.format('y')}"),
    ("dmy", rf"\b{_DAY.format('d')}\s+{_MON.format('mon')},?\s+{_YEAR.format('y')}"),
    # seasons: "the summer of 2023", "in winter 2022", "last autumn", "this spring", "over
    # the summer" (see _season; "the fall of X" is a town's fall, so "fall" only with a year
    # or after "last"/"this")
    (
        "season_y",
        r"\b(?:(?P<part>early|late|mid)[\s-])?(?P<season>spring|summer|autumn|fall|winter)"
        rf"\s+(?:of\s+)?{_YEAR.format('y')}",
    ),
    (
        "season",
        r"\b(?P<which>last|this|past|(?:in|during|over|through|throughout)\s+the)\s+"
        r"(?:(?P<part>early|late)\s+)?(?P<season>spring|summer|autumn|winter|(?<=last\s)fall"
        r"|(?<=this\s)fall)\b(?!\s+(?:of\s+)?(?:\d|(?-i:[A-Z])))",
    ),
    ("part_my", rf"\b{_PART}{_MON.format('mon')}\s+{_YEAR.format('y')}"),
    ("part_y", rf"\b{_PART}{_YEAR.format('y')}"),
    ("part_m", rf"\b{_PART}{_MON.format('mon')}\b"),
    ("my", rf"\b{_MON.format('mon')},?\s+(?:of\s+)?{_YEAR.format('y')}"),
    (
        "md",
        rf"\b{_MON.format('mon')}\s+{_DAY.format('d')}\b(?![:.]\d)"
        r"(?P<rel>\s+(?:this|last|next)\s+year)?",
    ),
    (
        "dm",
        rf"\b{_DAY.format('d')}\s+{_MON.format('mon')}\b"
        r"(?P<rel>\s+(?:this|last|next)\s+year)?",
    ),
    (
        "m",
        rf"\b(?:in|since|during|by|from|until|through|of|last|this|early|late)\s+"
        rf"{_MON.format('mon')}\b(?!\s+\d)",
    ),
    ("y", rf"\b(?:in|since|during|by|from|until|through|of|before|after)\s+{_YEAR.format('y')}"),
]


def month_range(year, month):
    """Return the first and last day of a month.

    Examples
    --------
    >>> month_range(2024, 2)
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def part_range(part, start, end):
    """Narrow [start, end] to its early / mid / late third.

    Examples
    --------
    >>> part_range("late", date(2024, 1, 1), date(2024, 12, 31))
    (datetime.date(2024, 9, 1), datetime.date(2024, 12, 31))
    """
    days = (end - start).days + 1
    third = days // 3
    part = " ".join(part.lower().split())
    if part in ("early", "the beginning of", "the start of"):
        return start, start + timedelta(days=third - 1)
    if part in ("mid", "the middle of"):
        return start + timedelta(days=third), start + timedelta(days=2 * third - 1)
    return start + timedelta(days=2 * third), end


def year_for(month, day, ref, rel):
    """Return the year of a month (and day) written without one: the latest not after ref."""
    if ref is None:
        return None
    year = ref.end.year
    if rel:
        rel = rel.split()[0].lower()
        return {"this": year, "last": year - 1, "next": year + 1}[rel]
    try:
        if date(year, month, min(day or 1, calendar.monthrange(year, month)[1])) > ref.end:
            year -= 1
    except ValueError:
        return None
    return year


def _range(g, ref):
    """Resolve "3-5 March", "between 5 and 9 January 2024", "30 March - 2 April"."""
    mon2, d2, d1 = MONTHS[g["mon2"].lower()], int(g["d2"]), int(g["d1"])
    mon1 = MONTHS[g["mon1"].lower()] if g.get("mon1") else mon2
    wraps = (mon1, d1) > (mon2, d2)  # "28 December - 2 January": the end is next year
    if g.get("y"):
        y2 = int(g["y"])
    elif g.get("y1"):
        y2 = int(g["y1"]) + wraps
    else:
        y2 = year_for(mon2, d2, ref, None)
        if y2 is None:
            return None
    y1 = int(g["y1"]) if g.get("y1") else y2 - wraps
    start, end = date(y1, mon1, d1), date(y2, mon2, d2)
    if start > end or (end - start).days > 366:
        return None
    return start, end, "day" if start == end else "range"


def _slashed(g, ref):
    """Resolve "25/12/2024", "12/25/2024", "05-05-2024" or "01/06/23".

    One number above 12 tells the order. When both could be the month ("03/04/2024"), the
    reading that falls on or before the reference's last day and nearest to it wins (a
    report tells of its recent past); without a reference, or when neither reading lies
    before it, the day comes first, as in the international order of conflict logs.
    """
    a, b, year = int(g["a"]), int(g["b"]), int(g["y"])
    if len(g["y"]) == 2:
        year += 2000
    if a > 12 >= b:
        readings = [date(year, b, a)]
    elif b > 12 >= a:
        readings = [date(year, a, b)]
    elif a > 12 or b > 12:
        return None  # "13/14/2024": no month
    else:
        readings = [date(year, b, a), date(year, a, b)]  # day first, then month first
        if ref is not None:
            past = [d for d in readings if d <= ref.end]
            if past:
                readings = [max(past)]
    return readings[0], readings[0], "day"


def _numeric_dm(g, ref):
    """Resolve "14/06" or "19.10": day first, as casualty logs write it, in the latest year
    that does not put it after ``ref``. Only when the order cannot be read the other way
    round: the month written with two digits from 01 to 09, or the day above 12 ("9/11",
    "10/11" and "24/7" are no dates here)."""
    a, b = int(g["a"]), int(g["b"])
    if ref is None or not 1 <= b <= 12 or not (g["b"].startswith("0") or a > 12):
        return None
    year = year_for(b, a, ref, None)
    if year is None:
        return None
    day = date(year, b, a)
    return day, day, "day"


def _field_dm(g, ref):
    """Resolve a log line's "11/12" field: of its two readings (11 December, November 12),
    the latest on or before the reference's last day, within a year of it."""
    if ref is None:
        return None
    a, b = int(g["a"]), int(g["b"])
    readings = []
    for day, month in ((a, b), (b, a)):
        if 1 <= month <= 12:
            year = year_for(month, day, ref, None)
            try:
                readings.append(date(year, month, day))
            except (TypeError, ValueError):
                continue
    if not readings:
        return None
    day = max(readings)
    return day, day, "day"


#: The first month of each season (meteorological, northern hemisphere); a winter is named
#: by the year of its January ("winter 2023": December 2022 to February 2023).
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def season_range(season, year):
    """Return the first and last day of a season of ``year``.

    Examples
    --------
    >>> season_range("winter", 2023)
    (datetime.date(2022, 12, 1), datetime.date(2023, 2, 28))
    """
    first = _SEASONS[season.lower()]
    start_year = year - 1 if first == 12 else year
    start = date(start_year, first, 1)
    end_month = (first + 1) % 12 + 1
    end_year = start_year + (1 if first == 12 else 0)
    return start, month_range(end_year, end_month)[1]


def _season(g, ref):
    """Resolve "last summer", "this spring", "over the winter" against the reference."""
    if ref is None:
        return None
    season, which = g["season"].lower(), " ".join(g["which"].lower().split())
    year = ref.end.year + (1 if season == "winter" and ref.end.month == 12 else 0)
    start, end = season_range(season, year)
    if which in ("last", "past"):
        while end >= ref.start:  # the latest season over before the reference
            year -= 1
            start, end = season_range(season, year)
    elif which != "this":
        while start > ref.end:  # "in the summer": the latest that has begun
            year -= 1
            start, end = season_range(season, year)
    if g.get("part"):
        start, end = part_range(g["part"], start, end)
    return start, end, "range"


def resolve(kind, g, ref):
    """Return ``(start, end, precision)`` of a match of ``PATTERNS[kind]``, or None.

    None when it is not a real date ("February 30") or needs a reference that is None.

    Examples
    --------
    >>> resolve("dmrange", {"d1": "3", "d2": "5", "mon2": "March", "y": "2024"}, None)
    (datetime.date(2024, 3, 3), datetime.date(2024, 3, 5), 'range')
    """
    try:
        if kind in ("dmdm", "mdmd", "dmrange", "mdrange"):
            return _range(g, ref)
        if kind in ("iso", "ymd", "dotted"):
            day = date(int(g["y"]), int(g["m"]), int(g["d"]))
            return day, day, "day"
        if kind == "slashed":
            return _slashed(g, ref)
        if kind == "numdm":
            return _numeric_dm(g, ref)
        if kind == "fielddm":
            return _field_dm(g, ref)
        if kind in ("mdy", "dmy"):
            day = date(int(g["y"]), MONTHS[g["mon"].lower()], int(g["d"]))
            return day, day, "day"
        if kind in ("md", "dm"):
            month, dd = MONTHS[g["mon"].lower()], int(g["d"])
            year = year_for(month, dd, ref, g.get("rel"))
            if year is None:
                return None
            day = date(year, month, dd)
            return day, day, "day"
        if kind == "my":
            return (*month_range(int(g["y"]), MONTHS[g["mon"].lower()]), "month")
        if kind == "m":
            month = MONTHS[g["mon"].lower()]
            year = year_for(month, None, ref, None)
            return None if year is None else (*month_range(year, month), "month")
        if kind == "y":
            year = int(g["y"])
            return date(year, 1, 1), date(year, 12, 31), "year"
        if kind == "season_y":
            start, end = season_range(g["season"], int(g["y"]))
            if g.get("part"):
                start, end = part_range(g["part"], start, end)
            return start, end, "range"
        if kind == "season":
            return _season(g, ref)
        if kind == "part_my":
            start, end = month_range(int(g["y"]), MONTHS[g["mon"].lower()])
            return (*part_range(g["part"], start, end), "range")
        if kind == "part_y":
            year = int(g["y"])
            return (*part_range(g["part"], date(year, 1, 1), date(year, 12, 31)), "range")
        if kind == "part_m":
            month = MONTHS[g["mon"].lower()]
            year = year_for(month, None, ref, None)
            if year is None:
                return None
            return (*part_range(g["part"], *month_range(year, month)), "range")
    except (ValueError, KeyError):
        return None  # "February 30": not a date
    return None
