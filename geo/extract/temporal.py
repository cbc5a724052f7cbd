"""Date expressions in news text, resolved against the article's own date, with precision.

Calendar forms ("9 January 2025", "January 9", "3-5 March", "between 5 and 9 January",
"03.03.2024", "2024/03/03", "late 2024") are read here; forms counted from the publication
day ("on Friday", "yesterday", "overnight", "in the past 24 hours", "earlier this week")
come from :mod:`geo.extract.relative`. Each found expression is a :class:`DateExpr` whose
``anchor`` tells which of the two it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from geo.common.words import WordStarts, word_matches
from geo.exc import ValidationError
from geo.extract import absolute, relative
from geo.extract.absolute import MONTHS, month_range

__all__ = [
    "DateExpr",
    "Reference",
    "find_dates",
    "month_range",
    "parse_published",
    "unresolved_time",
]

# Order matters: the first pattern that matches at a position wins, longer forms first.
_PATTERNS = [*absolute.PATTERNS, *relative.PATTERNS]


def _local(kind, pattern):
    """A pattern's group names, conditions and back-references, prefixed with its kind."""
    for lead in ("(?P<", "(?(", "(?P="):
        pattern = pattern.replace(lead, f"{lead}{kind}_")
    return pattern


_REGEX = re.compile("|".join(f"(?P<_{k}>{_local(k, p)})" for k, p in _PATTERNS), re.IGNORECASE)
#: The kinds whose dates are counted from the publication day (``DateExpr.anchor``).
_PUBLICATION = frozenset(["rel", *(kind for kind, _ in relative.PATTERNS)])
#: The words a match of ``_REGEX`` can begin with: a number, a month, a part ("early", "the
#: end of"), a leading preposition, "between", or a word of a relative form.
_LEADS = "early mid late the in since during by from until through of last this before after"
_STARTS = WordStarts(
    [*MONTHS, *_LEADS.split(), "between", "recent", *relative.LEAD_WORDS,
     *"spring summer autumn fall winter over throughout past".split()],
    digits=True,
)  # fmt: skip
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
    r"|(?:years|decades|months)\s+ago|at\s+the\s+time|back\s+then"
    r"|in\s+the\s+past(?!\s+(?:[\w-]+\s+)?(?:hours?|days?|nights?|weeks?)\b)"
    r"|in\s+the\s+\d{4}s|(?:19|20)\d0s|previously|throughout\s+history|historically"
    r"|(?-i:in\s+the\s+(?:[A-Z]\w+\s+){1,3}(?:War|Revolution|Crisis|Uprising)))\b",
    re.IGNORECASE,
)
# A weekday that is not a past day of the report's week: "next Friday", "Good Friday".
_NOT_PAST = re.compile(
    r"(?:\b(?:next|coming|this|every|following)\s+"
    r"|(?-i:\b(?:Good|Black|Bloody|Holy|Ash|Palm|Easter|Maundy|Shrove|Cyber|Super|Whit)\s+))$",
    re.IGNORECASE,
)
# What may stand between a weekday and the calendar date it introduces ("Friday, 3 March").
_WEEKDAY_DATE_GAP = re.compile(r"[\s,(]*(?:the\s+)?")
#: Between "overnight" and the calendar date that says which night ("overnight 11-12 March",
#: "overnight on 3 March", "last night, 4 June").
_NIGHT_DATE_GAP = re.compile(r"[\s,(]*(?:(?:on|of|into|to)\s+)?(?:the\s+)?", re.IGNORECASE)
_NIGHT = re.compile(r"(?:late\s+)?last\s+night|overnight", re.IGNORECASE)


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
    around the reference date rather than a stated date). ``anchor`` is "text" when the
    text names the calendar date ("9 January 2025", "January 9", "3-5 March"; a missing
    year is taken from the reference) and "publication" when the date is counted from the
    publication day ("on Friday", "yesterday", "overnight", "in the past 24 hours", "last
    week"): such a date is only as right as the publication date it was resolved against.
    """

    start: date
    end: date
    precision: str
    text: str
    offset: int
    kind: str = "point"
    anchor: str = "text"

    @property
    def span(self):
        """The ``(start, end)`` offsets of the expression in the text searched."""
        return self.offset, self.offset + len(self.text)


def _resolve(kind, g, ref):
    """Return (start, end, precision) of one match, or None when it is not a real date."""
    if kind in _PUBLICATION:
        return relative.resolve(kind, g, ref)
    return absolute.resolve(kind, g, ref)


# Cheap test run before the full pattern: a digit, a month or a relative-date word.
_QUICK = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|yesterday|today|tonight|"
    r"last\s+(?:week|month|year|few)|this\s+(?:week|month|year|morning|afternoon|evening)|"
    r"recent|past|earlier|ago|night|overnight|weekend|spring|summer|autumn|fall|winter|"
    r"(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)",
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
        month", "on Friday") are left out when it is None.

    Returns
    -------
    list of DateExpr
        In text order. Impossible dates ("February 30") are not returned, nor weekdays
        that are not a past day ("next Friday", "Good Friday"); a weekday that introduces a
        calendar date ("Friday, 3 March 2024") gives only that date.

    Examples
    --------
    >>> ref = Reference.of(date(2025, 2, 1), "month")
    >>> [(d.start.isoformat(), d.precision) for d in find_dates("on January 9", ref)]
    [('2025-01-09', 'day')]
    >>> d = find_dates("under control since August 2024", ref)[0]
    >>> (d.kind, d.start.isoformat(), d.end.isoformat())
    ('since', '2024-08-01', '2025-02-28')
    >>> d = find_dates("shelled on Friday night", Reference.of(date(2024, 3, 4)))[0]
    >>> (d.start.isoformat(), d.text, d.anchor)
    ('2024-03-01', 'Friday night', 'publication')
    """
    out = []
    if not _QUICK.search(text):
        return out
    kinds = []
    for m in word_matches(_REGEX, text, _STARTS):
        kind = m.lastgroup[1:]
        groups = {field: m.group(name) for field, name in _FIELDS[kind]}
        resolved = _resolve(kind, groups, ref)
        if resolved is None:
            continue
        if any(f.startswith("mon") and v and not v[0].isupper() for f, v in groups.items()):
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
        if kind in ("weekday", "wnight") and _NOT_PAST.search(before):
            continue
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
        anchor = "publication" if kind in _PUBLICATION else "text"
        expr = DateExpr(start, end, precision, matched, offset, expr_kind, anchor)
        if (out and kinds[-1] == "weekday" and anchor == "text"
                and _WEEKDAY_DATE_GAP.fullmatch(text, out[-1].span[1], offset)):  # fmt: skip
            out.pop()  # "on Friday, 3 March 2024": the calendar date says it
            kinds.pop()
        elif (out and kinds[-1] == "dayrel" and anchor == "text"
                and _NIGHT.fullmatch(out[-1].text)
                and _NIGHT_DATE_GAP.fullmatch(text, out[-1].span[1], offset)):  # fmt: skip
            night = out.pop()  # "overnight 11-12 March": the calendar date says which night
            kinds.pop()
            if (start == end and re.search(r"\b(?:into|to)\s", text[night.span[1] : offset],
                                            re.IGNORECASE)):  # fmt: skip
                # "overnight into 21 October": the night that ends on that day
                expr = replace(expr, start=start - timedelta(days=1), precision="range")
        out.append(expr)
        kinds.append(kind)
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
