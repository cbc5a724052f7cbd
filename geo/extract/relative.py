"""Date expressions counted from the publication day: weekdays, "yesterday", "overnight".

Each form is one named pattern in :data:`PATTERNS` (joined into the expression of
:func:`geo.extract.temporal.find_dates`) and one resolver, a function of the publication day
that returns ``(start, end, precision)``:

* a weekday ("on Friday", "Friday night", "late on Tuesday", "last Sunday"): the latest such
  day on or before the publication day (the publication weekday itself is that day; "last
  Friday" is strictly before it); "overnight into Tuesday", "the night of Monday to Tuesday";
* "today", "this morning", "tonight", "earlier today"; "yesterday"; "last night",
  "overnight" (the publication day and the day before);
* "in the past 24 hours", "over the last 48 hours", "the past two days", "the past week";
* "earlier this week / month / year"; "early / mid / late last week / month / year";
* "last weekend", "over the weekend" (Saturday and Sunday); "three days ago".

A publication date known only to the month or year gives the union of what its first and
last days give, with precision "range".
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from geo.extract.absolute import month_range, part_range

__all__ = [
    "LEAD_WORDS",
    "PATTERNS",
    "WEEKDAYS",
    "resolve",
]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty-four": 24,
            "forty-eight": 48, "seventy-two": 72}  # fmt: skip
# Weekdays are matched as written (capitalised): "friday" in lower case is not a date.
_WD = r"(?-i:(?P<{0}>" + "|".join(WEEKDAYS) + r"))\b"
_N = r"(?P<{0}>\d{{1,3}}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"
_WORDS = "|".join(w for w in _NUMBERS if w not in ("a", "an"))

#: ``(kind, pattern)`` of each form; group names are local to their pattern.
PATTERNS = [
    (
        "wnight",
        rf"\b(?:(?:the\s+)?night\s+(?:of|from)\s+{_WD.format('a')}\s+(?:to|into)\s+"
        rf"|overnight\s+(?:into|to)\s+){_WD.format('b')}",
    ),
    (
        "weekday",
        rf"\b(?P<pre>(?:early|late)\s+(?:on\s+)?|last\s+)?{_WD.format('wd')}"
        r"(?:\s+(?:morning|afternoon|evening|night))?",
    ),
    (
        "weekend",
        r"\b(?:(?:over|during|at|on)\s+the\s+(?:past\s+)?|(?:the\s+)?(?P<which>last|this|past)\s+)"
        r"weekend\b",
    ),
    (
        "partrel",
        r"\b(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)"
        r"[\s-](?P<which>last|this)\s+(?P<unit>week|month|year)\b",
    ),
    ("earlier", r"\bearlier\s+(?:today|this\s+(?P<unit>week|month|year))\b"),
    ("ago", rf"\b{_N.format('n')}\s+(?P<unit>hours?|days?|weeks?)\s+ago\b"),
    (
        "past",
        r"\b(?:(?:in|over|during|within|for)\s+)?"
        rf"(?:the\s+(?:past|last)|past|last(?=\s+(?:\d|(?:{_WORDS})\b)))\s+"
        rf"(?:{_N.format('n')}[\s-])?(?P<unit>hours?|days?|nights?|weeks?|months?)\b",
    ),
    (
        "dayrel",
        r"\b(?P<what>yesterday|today|tonight|this\s+(?:morning|afternoon|evening)"
        r"|(?:late\s+)?last\s+night|overnight)\b",
    ),
    (
        "rel",
        r"\b(?P<rel>last\s+(?:week|month|year)|this\s+(?:week|month|year)"
        r"|(?:in\s+)?(?:recent|the\s+past\s+few|the\s+last\s+few)\s+(?:days|weeks|months))\b",
    ),
]
#: Words a match of :data:`PATTERNS` can begin with (besides digits).
LEAD_WORDS = (
    *(w.lower() for w in WEEKDAYS),
    *{re.match(r"\w+", w).group() for w in _NUMBERS},  # "twenty-four": its first word
    *"the night overnight early late last over during at on mid earlier in within for".split(),
    *"past yesterday today tonight this".split(),
)


def _calendar_rel(rel, ref):
    """Resolve "last week", "this month", "in recent weeks" against the reference."""
    if ref is None:
        return None
    rel = " ".join(rel.lower().split())
    end = ref.end
    if rel.endswith("week"):
        back = 7 if rel.startswith("last") else 0
        monday = end - timedelta(days=end.weekday() + back)
        return monday, monday + timedelta(days=6), "week"
    if rel.endswith("month"):
        year, month = end.year, end.month
        if rel.startswith("last"):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return (*month_range(year, month), "month")
    if rel.endswith("year"):
        year = end.year - (1 if rel.startswith("last") else 0)
        return date(year, 1, 1), date(year, 12, 31), "year"
    span = {"days": 10, "weeks": 42, "months": 120}[rel.split()[-1]]
    return ref.start - timedelta(days=span), ref.end, "range"


def _number(text):
    return 1 if text is None else int(text) if text.isdigit() else _NUMBERS[text.lower()]


def _on_or_before(day, weekday):
    """Return the latest date on or before ``day`` that falls on ``weekday`` (0 = Monday)."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _weekday(g, day):
    pre = (g.get("pre") or "").split()
    found = _on_or_before(day, WEEKDAYS.index(g["wd"]))
    if pre and pre[0].lower() == "last" and found == day:
        found -= timedelta(days=7)  # "last Friday" written on a Friday: a week before
    return found, found, "day"


def _wnight(g, day):
    end = _on_or_before(day, WEEKDAYS.index(g["b"]))
    return end - timedelta(days=1), end, "range"


def _weekend(g, day):
    saturday = _on_or_before(day, 5)
    if (g.get("which") or "").lower() == "last" and day.weekday() >= 5:
        saturday -= timedelta(days=7)  # "last weekend" written at a weekend: the one before
    end = min(saturday + timedelta(days=1), day)
    return saturday, end, "range" if end > saturday else "day"


def _period(unit, which, day):
    """Return the calendar week / month / year ``which`` ("this", "last") of ``day``."""
    last = which == "last"
    if unit == "week":
        monday = day - timedelta(days=day.weekday() + (7 if last else 0))
        return monday, monday + timedelta(days=6)
    if unit == "month":
        year, month = day.year, day.month
        if last:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return month_range(year, month)
    year = day.year - last
    return date(year, 1, 1), date(year, 12, 31)


def _partrel(g, day):
    unit, which = g["unit"].lower(), g["which"].lower()
    start, end = _period(unit, which, day)
    part = " ".join(g["part"].lower().split())
    if unit == "week":  # thirds of a week: Monday-Wednesday, Tuesday-Thursday, Thursday-Sunday
        early = {"early": (0, 2), "the beginning of": (0, 2), "the start of": (0, 2)}
        first, last = {**early, "mid": (1, 3)}.get(part, (3, 6))
        start, end = start + timedelta(days=first), start + timedelta(days=last)
    else:
        start, end = part_range(part, start, end)
    if which == "this":
        end = min(end, day)
        if start > end:
            return None  # "late this month" written early in the month: not yet
    return start, end, "range"


def _earlier(g, day):
    if not g.get("unit"):
        return day, day, "day"
    return _period(g["unit"].lower(), "this", day)[0], day, "range"


def _ago(g, day):
    n, unit = _number(g["n"]), g["unit"].lower()
    if unit.startswith("hour"):  # the hour of publication is unknown: a day either way
        start, end = day - timedelta(days=math.ceil(n / 24)), day - timedelta(days=n // 24)
        return start, end, "range" if end > start else "day"
    if unit.startswith("day"):
        found = day - timedelta(days=n)
        return found, found, "day"
    centre = day - timedelta(days=7 * n)  # "two weeks ago": a week around that day
    return centre - timedelta(days=3), min(centre + timedelta(days=3), day), "range"


def _past(g, day):
    n, unit = _number(g.get("n")), g["unit"].lower().rstrip("s")
    days = {"hour": math.ceil(n / 24), "day": n, "night": n, "week": 7 * n, "month": 30 * n}
    return day - timedelta(days=max(1, days[unit])), day, "range"


def _dayrel(g, day):
    what = " ".join(g["what"].lower().split())
    if what == "yesterday":
        found = day - timedelta(days=1)
        return found, found, "day"
    if what == "overnight" or (what.endswith("last night")):
        return day - timedelta(days=1), day, "range"
    return day, day, "day"


_RESOLVERS = {
    "wnight": _wnight, "weekday": _weekday, "weekend": _weekend, "partrel": _partrel,
    "earlier": _earlier, "ago": _ago, "past": _past, "dayrel": _dayrel,
}  # fmt: skip


def resolve(kind, groups, ref):
    """Return ``(start, end, precision)`` of a match of ``PATTERNS[kind]``, or None.

    Parameters
    ----------
    kind : str
        The pattern's kind.
    groups : dict
        Its named groups (names as in :data:`PATTERNS`).
    ref : geo.extract.temporal.Reference or None
        The publication date; None gives None (these forms need it).

    Examples
    --------
    >>> from geo.extract.temporal import Reference
    >>> resolve("weekday", {"wd": "Friday"}, Reference.of(date(2024, 3, 4)))  # a Monday
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1), 'day')
    """
    if kind == "rel":
        return _calendar_rel(groups["rel"], ref)
    if ref is None or kind not in _RESOLVERS:
        return None
    fn = _RESOLVERS[kind]
    if ref.start == ref.end:
        return fn(groups, ref.end)
    first, last = fn(groups, ref.start), fn(groups, ref.end)
    if first is None or last is None:
        return None
    return first[0], last[1], "range"
