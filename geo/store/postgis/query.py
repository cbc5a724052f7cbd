"""Compile an ``EventQuery`` into SQL over ``events e`` for ``geo.store.postgis``.

The filters mean what they mean in the SQLite store and are validated by the same functions
(``geo.store.sqlite.schema``), so that both backends accept and refuse the same queries with
the same messages. Values are always bound parameters.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date

from geo.common.bbox import BBox
from geo.common.dates import DateWindow
from geo.exc import ValidationError
from geo.store.base import as_tuple, vocabulary_filters
from geo.store.postgis.schema import CUBE, DAY_ZERO
from geo.store.sqlite.schema import _EXTRA_FILTERS

__all__ = ["search_terms", "select_page", "text_query", "where_clause"]

#: The same filters as the SQLite store's ``extra`` (and no others).
_EXTRA = {
    "country_code": "e.country_code = %s",
    "geonameid": "e.geonameid = %s",
    "geo_precision": "e.geo_precision = %s",
    "extraction": "e.extraction = %s",
    "updated_since": "e.updated_at >= %s",
}
assert _EXTRA.keys() == _EXTRA_FILTERS.keys()

#: A word of free text: letters and digits (as SQLite's unicode61 tokenizer splits them).
_WORD = re.compile(r"[^\W_]+")


def _fold(text):
    """Return ``text`` lower-cased without diacritics (``remove_diacritics 2`` in SQLite)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_terms(parts):
    """Return the distinct folded words of ``parts`` (strings or None): a ``tsvector``'s."""
    words = []
    for part in parts:
        if part:
            words.extend(_WORD.findall(_fold(part)))
    return sorted(set(words))


def text_query(text):
    """Return the ``tsquery`` text of a free-text filter: every word, each as a prefix.

    Raises
    ------
    ValidationError
        When ``text`` holds no word.
    """
    if not re.findall(r"\w+", text):
        raise ValidationError(
            f"text must contain at least one word to search for; got {text!r}", field="text"
        )
    words = _WORD.findall(_fold(text))
    if not words:  # only underscores: matches nothing, as in the SQLite store
        return None
    return " & ".join(f"'{w}':*" for w in dict.fromkeys(words))


def _like(value):
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _window(q):
    """Return ``(start, end)`` of ``q`` as ISO dates or None (validated as SQLite does)."""
    window = DateWindow.of(q.start, q.end)
    return (window.start.isoformat() if window.start else None,
            window.end.isoformat() if window.end else None)  # fmt: skip


#: Day bounds of an open date window in the (place, days) index.
_NO_DAY = 1e7
_CUBE = CUBE.format(e="e.")


def _day(value, default):
    return float((date.fromisoformat(value) - DAY_ZERO).days) if value else default


def _bbox_clause(bbox, days, indexed=True):
    """Return ``(sql, params)`` of a bbox test over the days ``(first, last)`` (ISO dates,
    None for an open end): the (place, days) index search, and the exact bounds.

    Without ``indexed`` only the exact bounds: a dense page tests them on the entries of the
    B-tree in date order instead.
    """
    box = BBox.of(bbox)
    min_lat, max_lat = box.min_lat, box.max_lat
    # min_lon > max_lon crosses the antimeridian (RFC 7946 section 5.2): two boxes. The GiST
    # index answers ``&&&`` on boxes rounded outward to float4; the exact bounds are tested
    # on its entries.
    clauses, params = [], []
    for lo, hi in box.lon_ranges():
        exact = "e.max_lon >= %s AND e.min_lon <= %s AND e.max_lat >= %s AND e.min_lat <= %s"
        if indexed:
            clauses.append(f"({_CUBE} &&& ST_MakeLine(ST_MakePoint(%s, %s, %s), "
                           f"ST_MakePoint(%s, %s, %s)) AND {exact})")  # fmt: skip
            params.extend((lo, min_lat, _day(days[0], -_NO_DAY),
                           hi, max_lat, _day(days[1], _NO_DAY)))  # fmt: skip
        else:
            clauses.append(f"({exact})")
        params.extend((lo, hi, min_lat, max_lat))
    return "(" + " OR ".join(clauses) + ")", params


def _extra(key, value):
    if key not in _EXTRA:
        raise ValidationError(
            f"unknown extra filter {key!r}; expected one of {', '.join(sorted(_EXTRA))}",
            field=key,
        )
    if key == "geonameid":
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                f"geonameid must be an integer; got {value!r}", field=key
            ) from None
    elif value is not None:
        value = str(value)
    return _EXTRA[key], value


def where_clause(q, days=None, indexed=True):
    """Compile an ``EventQuery`` into ``(sql, params)`` over ``events e``.

    ``days`` (``(first, last)`` ISO dates) bounds the days of the (place, days) index search
    instead of the query's own date window, and ``indexed=False`` leaves that search out
    (``select_page`` states its parts' dates itself).

    Raises
    ------
    ValidationError
        Naming the filter when a value is malformed (bbox, dates, type, status, extra).
    """
    clauses = ["NOT e.deleted"] if not q.include_deleted else ["true"]
    params = []
    ids = as_tuple(q.ids, "ids")
    if ids:
        clauses.append("e.event_id = ANY(%s)")
        params.append([str(i) for i in ids])
    for column, values in vocabulary_filters(q):
        clauses.append(f"e.{column} = ANY(%s)")
        params.append(list(values))
    start, end = _window(q)
    if q.bbox is not None:
        sql, args = _bbox_clause(q.bbox, days or (start, end), indexed)
        clauses.append(sql)
        params.extend(args)
    if (start or end) and q.bbox is not None:
        # The (place, days) index found the overlap; the exact test reads its entry's dates.
        # (Not the range: PostgreSQL would also read the range index and AND both.)
        if end:
            clauses.append("e.date_start <= %s::date")
            params.append(end)
        if start:
            clauses.append("e.date_end >= %s::date")
            params.append(start)
    elif start or end:
        # An open end is an unbounded range; the GiST index answers the overlap.
        clauses.append("e.span && daterange(%s::date, %s::date, '[]')")
        params.extend((start, end))
    actors = [a for a in as_tuple(q.actors, "actors") if a and a.strip()]
    if actors:
        ors = []
        for actor in actors:
            ors.append("(e.actor1 ILIKE %s OR e.actor2 ILIKE %s OR e.claimed_by ILIKE %s)")
            params.extend([_like(actor.strip())] * 3)
        clauses.append("(" + " OR ".join(ors) + ")")
    if q.text is not None and q.text.strip():
        tsquery = text_query(q.text)
        if tsquery is None:
            clauses.append("false")
        else:
            clauses.append("e.search @@ %s::tsquery")
            params.append(tsquery)
    if q.source is not None and q.source.strip():
        clauses.append(
            "e.rid IN (SELECT event_rid FROM event_sources WHERE source_id = %s "
            "UNION SELECT event_rid FROM event_sources WHERE lower(publisher) = lower(%s) "
            "UNION SELECT event_rid FROM event_sources WHERE url = %s)"
        )
        params.extend([q.source.strip()] * 3)
    for key, value in (q.extra or {}).items():
        sql, value = _extra(key, value)
        clauses.append(sql)
        params.append(value)
    return " AND ".join(clauses), params


_ORDER = " ORDER BY e.date_start, e.event_id"


def pages_by_place(q):
    """Whether a page of ``q`` is found by ``counted_page`` first: a live bbox query with a
    limit."""
    return q.bbox is not None and q.limit is not None and not q.include_deleted


def counted_page(column, q, cap):
    """Return ``(sql, params)`` of a bbox page found among the query's first ``cap + 1``
    matches, with their count: rows ``(n, value)``.

    The matches are read from the (place, days) index alone (no table row) and counted;
    when ``n <= cap`` they are every match, so the page is theirs, sorted, and only its own
    rows are read: its values in order (one row ``(n, NULL)`` when the page is empty). When
    ``n > cap``, one row ``(n, NULL)``: the page is ``select_page(column, q, dense=True)``.
    The count also serves the page's ``numberMatched``.
    """
    where, params = where_clause(q)
    sql = (
        "WITH m AS MATERIALIZED (SELECT e.rid AS r, e.date_start AS d, e.event_id AS i "
        f"FROM events e WHERE {where} LIMIT %s) "
        "SELECT c.n, x.v FROM (SELECT count(*) AS n FROM m) c LEFT JOIN LATERAL "
        f"(SELECT {column} AS v, p.d, p.i FROM (SELECT r, d, i FROM m WHERE c.n <= %s "
        f"ORDER BY d, i LIMIT %s OFFSET %s) p JOIN events e ON e.rid = p.r) x ON true "
        "ORDER BY x.d, x.i"
    )
    return sql, [*params, cap + 1, cap, q.limit, q.offset]


def select_page(column, q, dense=False):
    """Return ``(sql, params)`` selecting ``column`` of the events matching ``q``, in order.

    A ``dense`` bbox page (``pages_by_place(q)``, more matches than ``counted_page`` sorts)
    walks the B-tree in (date_start, event_id) order from the window's first day, tests
    each entry's bounds and stops after the page, and merges in the events that began
    before the window and last into it (the (place, days) index on that first day); only
    the page's own rows are read.

    Another page with a start date is two queries in one likewise: the events that began
    before the window and last into it (few; the GiST index of date ranges finds them), then
    those that begin in it, in date order, from the B-tree. Without that split the planner
    may read the date index from the beginning of time (two seconds at 1,000,000 events for
    a wide bbox and a month). Either way the result is the same as one ordered query.
    """
    start, end = _window(q)
    if dense and pages_by_place(q):
        return _dense_page(column, q, start, end)
    if q.limit is None:
        where, params = where_clause(q)
        sql = f"SELECT {column} FROM events e WHERE {where}{_ORDER}"
        if q.offset:
            sql += " OFFSET %s"
            params.append(q.offset)
        return sql, params
    # A page is found on (id, first day, event_id) alone and only its own rows are read: a
    # sort of the matches' whole rows would read (and decompress) every match's text.
    keys = "e.rid AS r, e.date_start AS d, e.event_id AS i"
    if start is None:
        where, params = where_clause(q)
        found = f"SELECT {keys} FROM events e WHERE {where}{_ORDER} LIMIT %s OFFSET %s"
        return _rows_of(column, found), [*params, q.limit, q.offset]
    n = q.limit + q.offset
    # Without the dates in the shared filters: each half states its own, which the planner
    # estimates well (an overlap test and a date_start range are correlated, and together
    # they made it expect few rows and sort a bitmap of 20,000).
    where, params = where_clause(dataclasses.replace(q, start=None, end=None))
    before = (f"SELECT {keys} FROM events e WHERE {where} AND e.span @> %s::date "
              f"AND e.date_start < %s::date{_ORDER} LIMIT %s")  # fmt: skip
    within = f"SELECT {keys} FROM events e WHERE {where} AND e.date_start >= %s::date"
    within_params = [*params, start]
    if end is not None:
        within += " AND e.date_start <= %s::date"
        within_params.append(end)
    found = (f"SELECT r, d, i FROM (({before}) UNION ALL ({within}{_ORDER} LIMIT %s)) u "
             "ORDER BY d, i LIMIT %s OFFSET %s")  # fmt: skip
    return _rows_of(column, found), [*params, start, start, n, *within_params, n, q.limit,
                                     q.offset]  # fmt: skip


def _rows_of(column, found):
    """Return SQL reading ``column`` of the rows ``found`` (``r, d, i``), in their order."""
    return f"SELECT {column} FROM ({found}) p JOIN events e ON e.rid = p.r ORDER BY p.d, p.i"


def _dense_page(column, q, start, end):
    keys = "e.rid AS r, e.date_start AS d, e.event_id AS i"
    n = q.limit + q.offset
    undated = dataclasses.replace(q, start=None, end=None)
    # Begin in the window (or anywhere, without a start): the B-tree in date order.
    where, params = where_clause(undated, indexed=False)
    found = f"SELECT {keys} FROM events e WHERE {where}"
    if start is not None:
        found += " AND e.date_start >= %s::date"
        params.append(start)
    if end is not None:
        found += " AND e.date_start <= %s::date"
        params.append(end)
    found = f"({found}{_ORDER} LIMIT %s)"
    params.append(n)
    if start is not None:
        # Began before the window and last into it: on its first day.
        where, before = where_clause(undated, days=(start, start))
        before_sql = (f"SELECT {keys} FROM events e WHERE {where} AND e.date_end >= %s::date "
                      f"AND e.date_start < %s::date{_ORDER} LIMIT %s")  # fmt: skip
        found = f"({before_sql}) UNION ALL {found}"
        params = [*before, start, start, n, *params]
    found = f"SELECT r, d, i FROM ({found}) u ORDER BY d, i LIMIT %s OFFSET %s"
    params += [q.limit, q.offset]
    return _rows_of(column, found), params
