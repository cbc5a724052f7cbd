"""Date expressions in news text, resolved against the article's own date, with precision."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from geo.exc import ValidationError
from geo.extract.words import WordStarts, word_matches

__all__ = [
    "DateExpr",
    "Reference",
    "find_dates",
    "month_range",
    "parse_published",
    "unresolved_time",
]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_MON = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?P<{0}>(?:19|20)\d\d)(?!\d|,\d)"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_PART = r"(?P<part>early|mid|late|the end of|the beginning of|the start of|the middle of)[\s-]"

# Order matters: the first pattern that matches at a position wins, longer forms first.
_PATTERNS = [
    ("iso", rf"\b{_YEAR.format('y')}-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ("mdy", rf"\b{_MON.format('mon')}\s+{_DAY.format('d')},?\s+{_YEAR.format('y')}"),
    ("dmy", rf"\b{_DAY.format('d')}\s+{_MON.format('mon')},?\s+{_YEAR.format('y')}"),
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
    (
        "rel",
        r"\b(?P<rel>yesterday|today|last\s+(?:week|month|year)|this\s+(?:week|month|year)"
        r"|(?:in\s+)?(?:recent|the\s+past\s+few|the\s+last\s+few)\s+(?:days|weeks|months))\b",
    ),
]
_REGEX = re.compile("|".join(f"(?P<_{k}>{p.replace('(?P<', f'(?P<{k}_')})" for k, p in _PATTERNS),
                    re.IGNORECASE)  # fmt: skip
#: The words a match of ``_REGEX`` can begin with: a number, a month, a part ("early", "the
#: end of"), a leading preposition or a relative word.
_LEADS = "early mid late the in since during by from until through of last this before after"
_STARTS = WordStarts([*_MONTHS, *_LEADS.split(), "yesterday", "today", "recent"], digits=True)
#: ``{kind: [(field, group name), ...]}``: the groups of each pattern in ``_REGEX``.
_FIELDS = {
    kind: [
        (name[len(kind) + 1 :], name)
        for name in _REGEX.groupindex
        if name[: len(kind) + 1] == kind + "_"
    ]
    for kind, _ in _PATTERNS
}
_SINCE = re.compile(r"\b(since|from|starting(?:\s+in)?|as\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_UNTIL = re.compile(r"\b(until|till|through|up\s+to|before)\s+(?:the\s+)?$", re.IGNORECASE)
_VAGUE = re.compile(
    r"\b(?:in\s+the\s+(?:early|first|past|coming|following)\s+(?:days|weeks|months|years|decade)"
    r"|(?:years|decades|months)\s+ago|at\s+the\s+time|in\s+the\s+past|back\s+then"
    r"|in\s+the\s+\d{4}s|(?:19|20)\d0s|previously|throughout\s+history|historically"
    r"|(?-i:in\s+the\s+(?:[A-Z]\w+\s+){1,3}(?:War|Revolution|Crisis|Uprising)))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reference:
    """The date relative expressions are resolved against (the article's publication).

    ``start``/``end`` bound the publication date: equal for a day-precise date, the month's
    first and last day for a month-precise one.
    """

    start: date
    end: date

    @classmethod
    def of(cls, published_at, precision="day", latest=None):
        """Return the reference for a publication date of the given precision (or None)."""
        if published_at is None:
            return None
        day = (
            published_at
            if isinstance(published_at, date)
            else date.fromisoformat(str(published_at)[:10])
        )
        if latest is not None:
            return cls(day, latest)
        if precision == "month":
            return cls(*month_range(day.year, day.month))
        if precision == "year":
            return cls(date(day.year, 1, 1), date(day.year, 12, 31))
        return cls(day, day)


@dataclass(frozen=True)
class DateExpr:
    """A date expression found in text: where it is, and the interval it stands for.

    ``kind`` is "point" (the event happened within [start, end]), "since" (a state from
    ``start`` until the reference date), "until", or "vague" ("in recent weeks": a window
    around the reference date rather than a stated date).
    """

    start: date
    end: date
    precision: str
    text: str
    offset: int
    kind: str = "point"

    @property
    def span(self):
        """The ``(start, end)`` offsets of the expression in the text searched."""
        return self.offset, self.offset + len(self.text)


def month_range(year, month):
    """Return the first and last day of a month.

    Examples
    --------
    >>> month_range(2024, 2)
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _part_range(part, start, end):
    """Narrow [start, end] to its early / mid / late third."""
    days = (end - start).days + 1
    third = days // 3
    part = part.lower()
    if part in ("early", "the beginning of", "the start of"):
        return start, start + timedelta(days=third - 1)
    if part in ("mid", "the middle of"):
        return start + timedelta(days=third), start + timedelta(days=2 * third - 1)
    return start + timedelta(days=2 * third), end


def _year_for(month, day, ref, rel):
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


def _relative(rel, ref):
    if ref is None:
        return None
    rel = " ".join(rel.lower().split())
    end = ref.end
    if rel == "today":
        return ref.start, ref.end, "day" if ref.start == ref.end else "range"
    if rel == "yesterday":
        day = end - timedelta(days=1)
        return (
            (day, day, "day") if ref.start == ref.end else (ref.start - timedelta(1), day, "range")
        )
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


def _resolve(kind, g, ref):
    """Return (start, end, precision) of one match, or None when it is not a real date."""
    try:
        if kind == "iso":
            day = date(int(g["y"]), int(g["m"]), int(g["d"]))
            return day, day, "day"
        if kind in ("mdy", "dmy"):
            day = date(int(g["y"]), _MONTHS[g["mon"].lower()], int(g["d"]))
            return day, day, "day"
        if kind in ("md", "dm"):
            month, dd = _MONTHS[g["mon"].lower()], int(g["d"])
            year = _year_for(month, dd, ref, g.get("rel"))
            if year is None:
                return None
            day = date(year, month, dd)
            return day, day, "day"
        if kind == "my":
            return (*month_range(int(g["y"]), _MONTHS[g["mon"].lower()]), "month")
        if kind == "m":
            month = _MONTHS[g["mon"].lower()]
            year = _year_for(month, None, ref, None)
            return None if year is None else (*month_range(year, month), "month")
        if kind == "y":
            year = int(g["y"])
            return date(year, 1, 1), date(year, 12, 31), "year"
        if kind == "part_my":
            start, end = month_range(int(g["y"]), _MONTHS[g["mon"].lower()])
            return (*_part_range(g["part"], start, end), "range")
        if kind == "part_y":
            year = int(g["y"])
            return (*_part_range(g["part"], date(year, 1, 1), date(year, 12, 31)), "range")
        if kind == "part_m":
            month = _MONTHS[g["mon"].lower()]
            year = _year_for(month, None, ref, None)
            if year is None:
                return None
            return (*_part_range(g["part"], *month_range(year, month)), "range")
        if kind == "rel":
            return _relative(g["rel"], ref)
    except (ValueError, KeyError):
        return None  # "February 30": not a date
    return None


# Cheap test run before the full pattern: a digit, a month or a relative-date word.
_QUICK = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|yesterday|today|"
    r"last\s+(?:week|month|year|few)|this\s+(?:week|month|year)|recent|past\s+few)",
    re.IGNORECASE,
)


def find_dates(text, ref=None):
    """Return the date expressions in ``text``, resolved against a reference date.

    Parameters
    ----------
    text : str
        A sentence or a document.
    ref : Reference, optional
        The article's publication date; expressions without a year ("January 9", "last
        month") are left out when it is None.

    Returns
    -------
    list of DateExpr
        In text order. Impossible dates ("February 30") are not returned.

    Examples
    --------
    >>> ref = Reference.of(date(2025, 2, 1), "month")
    >>> [(d.start.isoformat(), d.precision) for d in find_dates("on January 9", ref)]
    [('2025-01-09', 'day')]
    >>> d = find_dates("under control since August 2024", ref)[0]
    >>> (d.kind, d.start.isoformat(), d.end.isoformat())
    ('since', '2024-08-01', '2025-02-28')
    """
    out = []
    if not _QUICK.search(text):
        return out
    for m in word_matches(_REGEX, text, _STARTS):
        kind = m.lastgroup[1:]
        groups = {field: m.group(name) for field, name in _FIELDS[kind]}
        resolved = _resolve(kind, groups, ref)
        if resolved is None:
            continue
        month = groups.get("mon")
        if month and not month[0].isupper():
            continue  # "may" the verb, not May the month
        start, end, precision = resolved
        matched = m.group(0)
        lead = re.match(r"(?:in|since|during|by|from|until|through|of|last|this|before|after)\s+",
                        matched, re.IGNORECASE) if kind in ("m", "y") else None  # fmt: skip
        offset = m.start()
        if lead and not lead.group(0).lower().startswith(("last", "this")):
            offset += lead.end()
            matched = matched[lead.end() :]
        before = text[max(0, offset - 30) : offset]
        word = lead.group(0).strip().lower() if lead else ""
        expr_kind = "point"
        if _SINCE.search(before) or word in ("since", "from"):
            expr_kind = "since"
            if ref is not None and ref.end >= start:
                end, precision = ref.end, "range"
        elif _UNTIL.search(before) or word in ("until", "through", "before"):
            expr_kind = "until"
        if kind == "rel" and re.search(r"recent|few", matched, re.IGNORECASE):
            expr_kind = "vague"  # "in recent weeks": a window, not a date the text states
        out.append(DateExpr(start, end, precision, matched, offset, expr_kind))
    return out


def unresolved_time(text):
    """Return True when ``text`` places its event at a time it does not state.

    Phrases such as "in the early weeks", "years ago", "at the time" tie a sentence to a time
    the reader cannot date from the sentence, so it must not default to the article's date.
    """
    return _VAGUE.search(text) is not None


_PUBLISHED_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), "day"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)


def parse_published(value, precision=None, *, today=None, field_name="published_at"):
    """Validate a publication date from metadata and return ``(date, precision)``.

    Parameters
    ----------
    value : str, date or None
        "2025-02-01", "2025-02" (month), "2025" (year), "February 3, 2025", "3 Feb 2025".
    precision : str, optional
        The precision the metadata states; inferred from the form when None.
    today : date, optional
        Dates after it are rejected (default: today).
    field_name : str, default "published_at"
        Named in error messages.

    Returns
    -------
    tuple of (date or None, str or None)
        ``(None, None)`` when ``value`` is empty.

    Raises
    ------
    ValidationError
        When the value is not a real date ("2025-02-30", "February 30, 2025") or lies after
        ``today``.

    Examples
    --------
    >>> parse_published("2025-02")
    (datetime.date(2025, 2, 1), 'month')
    """
    if value is None or value == "":
        return None, None
    today = today or date.today()
    if isinstance(value, date):
        day, form = value, "day"
    else:
        text = str(value).strip()
        day = form = None
        for regex, form_precision in _PUBLISHED_FORMS:
            m = regex.match(text)
            if m:
                parts = [int(x) for x in m.groups() if x is not None] + [1, 1]
                try:
                    day = date(parts[0], parts[1], parts[2])
                except ValueError:
                    raise ValidationError(
                        f"{field_name} must be a real calendar date; got {value!r}",
                        field=field_name,
                    ) from None
                form = form_precision
                break
        if day is None:
            m = _REGEX.fullmatch(text)
            kind = m.lastgroup[1:] if m else None
            if kind not in ("mdy", "dmy", "my"):
                raise ValidationError(
                    f"{field_name} must be a date like '2025-02-01', '2025-02' or "
                    f"'February 1, 2025'; got {value!r}",
                    field=field_name,
                )
            groups = {field: m.group(name) for field, name in _FIELDS[kind]}
            resolved = _resolve(kind, groups, None)
            if resolved is None:
                raise ValidationError(
                    f"{field_name} must be a real calendar date; got {value!r}", field=field_name
                )
            day, form = resolved[0], resolved[2]
    precision = precision or form
    if precision not in ("day", "week", "month", "year", "range"):
        raise ValidationError(
            f"published_precision must be one of day, week, month, year, range; got {precision!r}",
            field="published_precision",
        )
    if day > today:
        raise ValidationError(
            f"{field_name} {day.isoformat()} is after today ({today.isoformat()}): an article "
            "cannot be published in the future",
            field=field_name,
        )
    return day, precision
