"""Dates: one parser of ISO calendar dates and RFC 3339 instants, and ``DateWindow``.

Events are dated by day. Every door that reads a date (event fields, the API's ``datetime``
parameter, the CLI's ``--start``/``--end``, the store's query compilation, publication dates)
parses it here, so that they accept and refuse the same values with the same messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from geo.common.excerpt import excerpt
from geo.exc import ValidationError

__all__ = ["DateWindow", "parse_day", "parse_instant"]

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
#: An ISO 8601 date or date-time; RFC 3339 (section 5.6) requires the offset (group 8),
#: which a date-time stored by a program (``2025-01-09 10:00:00``) may leave out.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})?)?"
)
_DAY_EXAMPLE = "an ISO date like '2025-01-09'"
_OPEN = ("..", "")


def _real_day(match):
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_day(value, *, field="date"):
    """Return ``value`` as a ``datetime.date``: an ISO 8601 calendar date.

    Parameters
    ----------
    value : date, datetime or str
        "2025-01-09"; a date-time ("2025-01-09T10:00:00Z") keeps the day as written (its
        date part); a ``datetime`` keeps its date.
    field : str, default "date"
        Named in the error message.

    Raises
    ------
    ValidationError
        When the value is not a real calendar date ("2025-02-30", "yesterday", 20250109).

    Examples
    --------
    >>> parse_day("2025-01-09")
    datetime.date(2025, 1, 9)
    >>> parse_day("2024-10-31T23:00:00-05:00")
    datetime.date(2024, 10, 31)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _RFC3339.fullmatch(text)
        if match and (match[4] is None or _moment(text) is not None):
            day = _real_day(match)
            if day is not None:
                return day
    raise ValidationError(f"{field} must be {_DAY_EXAMPLE}; got {excerpt(value)}", field=field)


def _moment(text):
    try:
        return datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_instant(text, *, field="datetime"):
    """Return the UTC day of an RFC 3339 date or date-time.

    A date stands for itself; a date-time is moved to UTC first, so
    "2024-10-09T23:30:00-05:00" is 10 October.

    Raises
    ------
    ValidationError
        When ``text`` is not an RFC 3339 date or date-time, names a day that does not exist,
        or lies outside the years 1-9999 once in UTC.

    Examples
    --------
    >>> parse_instant("2024-10-09T23:30:00-05:00")
    datetime.date(2024, 10, 10)
    """
    text = text.strip() if isinstance(text, str) else text
    match = _RFC3339.fullmatch(text) if isinstance(text, str) else None
    if match and match[4] is not None and match[8] is None:
        raise ValidationError(
            f"{field} has a time without its UTC offset ('Z' or '+02:00', as RFC 3339 "
            f"requires); got {excerpt(text)}",
            field=field,
        )
    day = _real_day(match) if match else None
    if day is None:
        raise ValidationError(
            f"{field} must be an RFC 3339 date or date-time ('2024-10-09', "
            f"'2024-10-09T00:00:00Z'); got {excerpt(text)}",
            field=field,
        )
    if match[4] is None:
        return day
    moment = _moment(text)
    if moment is None:
        raise ValidationError(
            f"{field} has a time that does not exist (hours 00-23, minutes and seconds 00-59, "
            f"offset within +-23:59); got {excerpt(text)}",
            field=field,
        )
    try:
        return moment.astimezone(UTC).date()
    except OverflowError:
        raise ValidationError(
            f"{field} falls outside the years 1-9999 in UTC; got {excerpt(text)}", field=field
        ) from None


@dataclass(frozen=True)
class DateWindow:
    """A window of days ``[start, end]``; either end may be open (None).

    Events match a window when their own ``[date_start, date_end]`` overlaps it.

    Examples
    --------
    >>> w = DateWindow.parse("2024-10-01/..")
    >>> w.start, w.end, str(w)
    (datetime.date(2024, 10, 1), None, '2024-10-01/..')
    >>> w.overlaps(date(2024, 9, 20), date(2024, 10, 2))
    True
    """

    start: date | None = None
    end: date | None = None

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                raise ValidationError(
                    f"a date window's {name} must be a date; got {excerpt(value)}", field=name
                )
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValidationError(
                f"the window starts after it ends: {self.start.isoformat()} is after "
                f"{self.end.isoformat()}",
                field="start",
            )

    @classmethod
    def of(cls, start=None, end=None, *, fields=("start", "end")):
        """Return the window between two ISO dates (strings or dates; None is open).

        Raises
        ------
        ValidationError
            Naming ``fields[0]`` or ``fields[1]`` when a date is malformed, and
            ``fields[0]`` when the start is after the end.

        Examples
        --------
        >>> DateWindow.of("2024-10-01", None)
        DateWindow(start=datetime.date(2024, 10, 1), end=None)
        """
        first = None if start in (None, "") else parse_day(start, field=fields[0])
        last = None if end in (None, "") else parse_day(end, field=fields[1])
        if first is not None and last is not None and first > last:
            raise ValidationError(
                f"{fields[0]} {first.isoformat()} is after {fields[1]} {last.isoformat()}; "
                f"expected {fields[0]} <= {fields[1]}",
                field=fields[0],
            )
        return cls(first, last)

    @classmethod
    def parse(cls, text, *, field="datetime"):
        """Return the window of an RFC 3339 instant or interval ``start/end`` (``..`` open).

        An instant is the window of its UTC day; an interval needs one closed end at least.

        Raises
        ------
        ValidationError
            Naming ``field`` for any other value, or an interval that starts after it ends.

        Examples
        --------
        >>> DateWindow.parse("2024-10-09T12:00:00Z")
        DateWindow(start=datetime.date(2024, 10, 9), end=datetime.date(2024, 10, 9))
        """
        if not isinstance(text, str):
            raise ValidationError(f"{field} must be text; got {excerpt(text)}", field=field)
        text = text.strip()
        expected = (
            "an RFC 3339 date or date-time ('2024-10-09', '2024-10-09T00:00:00Z') or an "
            "interval 'start/end' with '..' for an open end"
        )
        if "/" not in text:
            day = _instant(text, field, expected, text)
            return cls(day, day)
        parts = text.split("/")
        if len(parts) != 2:
            raise ValidationError(f"{field} must be {expected}; got {excerpt(text)}", field=field)
        start, end = (None if p in _OPEN else _instant(p, field, expected, text) for p in parts)
        if start is None and end is None:
            raise ValidationError(
                f"{field} needs at least one closed end; got {excerpt(text)}", field=field
            )
        if start is not None and end is not None and start > end:
            raise ValidationError(
                f"{field} interval starts after it ends: {excerpt(text)}", field=field
            )
        return cls(start, end)

    @property
    def is_open(self):
        """Whether the window is unbounded on both sides (matches every date)."""
        return self.start is None and self.end is None

    def overlaps(self, start, end=None):
        """Return whether the days ``[start, end]`` (``end`` defaults to ``start``) meet it."""
        end = start if end is None else end
        return (self.start is None or end >= self.start) and (self.end is None or start <= self.end)

    def __str__(self):
        """The window as an RFC 3339 interval, ``..`` for an open end."""
        return "/".join(d.isoformat() if d else ".." for d in (self.start, self.end))


def _instant(part, field, expected, whole):
    try:
        return parse_instant(part, field=field)
    except ValidationError as err:
        if _real_day_of(part) is not None:
            raise  # a real day with a bad time or offset: that message is the clearer one
        where = f" in {excerpt(whole)}" if part != whole else ""
        raise ValidationError(
            f"{field} must be {expected}; got {excerpt(part)}{where}", field=field
        ) from err


def _real_day_of(text):
    match = _RFC3339.fullmatch(text.strip())
    return _real_day(match) if match else None
