"""Counts of bbox and date matches read from the R*Trees, the events rows only near edges.

A count for ``numberMatched`` (``SQLiteStore.count_at_most``) of a query that filters on a
bbox and dates alone need not read each match's ``events`` row: the R*Tree holds every
event's bounds and days. Its float32 bounds are rounded outward, so an entry whose bounds
meet the box by more than :data:`SURE` degrees surely matches; only entries closer to an
edge than that are checked against the exact bounds of their row. Days are whole numbers,
exact in float32. The R*Trees also hold deleted events: those that match are counted from
the ``events_live`` index (``deleted`` first, then ``date_start``) and taken off.
"""

from __future__ import annotations

from datetime import date

from geo.common.bbox import BBox
from geo.common.dates import DateWindow
from geo.store.sqlite.rows import day

__all__ = ["DELETED_FEW", "SURE", "IndexCount", "few_deleted", "index_count"]

#: Degrees by which an R*Tree entry must overlap the box to match without a look at its row:
#: float32 bounds of coordinates within 256 degrees are off by at most 2**-16 (1.5e-5).
SURE = 1e-4
#: Most deleted events for which a count is one statement over all days: the deleted
#: matches are taken off by reading them all (more deleted events: range by range).
DELETED_FEW = 1000
#: Degrees added around the box when searching the R*Tree (as ``schema._SLACK``).
_SLACK = 1e-6


def _iso(ordinal):
    return date.fromordinal(ordinal).isoformat()


class IndexCount:
    """The statements that count a query's matches whose first day is in a range.

    Built by :func:`index_count`; ``statements(lo, hi)`` returns ``(count_sql, params)``,
    whose last parameter (the ``LIMIT``) the caller appends, and ``(deleted_sql, params)``,
    the matching deleted events of that range.
    """

    __slots__ = ("_box", "_end", "_start")

    def __init__(self, box, start, end):
        self._box = box
        self._start = start
        self._end = end

    def statements(self, lo, hi):
        """Return the count and deleted-count statements for first days ``lo..hi`` (ordinal
        days, either None for open)."""
        table, where, params, deleted, deleted_params = self._parts(lo, hi)
        count = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT ?)"
        deleted_sql = f"SELECT count(*) FROM events e WHERE {deleted}"
        return (count, params), (deleted_sql, deleted_params)

    def candidates(self, lo, hi):
        """Return ``(sql, params)`` of the matches whose first day is in ``lo..hi`` (no
        limit; deleted events included): rows ``(rid, first day)``; and ``(sql, params)`` of
        the row ids of the deleted events among them."""
        table, where, params, deleted, deleted_params = self._parts(lo, hi)
        prefix = "" if table == "events_span" else "r."
        sql = f"SELECT {prefix}id, {prefix}min_day FROM {table} WHERE {where}"
        return (sql, params), (f"SELECT e.rid FROM events e WHERE {deleted}", deleted_params)

    def _parts(self, lo, hi):
        """Return ``(table, where, params, deleted_where, deleted_params)`` for first days
        ``lo..hi``: the R*Tree searched and its clause, and the deleted events' clause."""
        days, day_params = [], []
        for sql, value in (
            ("max_day >= ?", day(self._start) if self._start else None),
            ("min_day <= ?", day(self._end) if self._end else None),
            ("min_day >= ?", lo),
            ("min_day <= ?", hi),
        ):
            if value is not None:
                days.append(sql)
                day_params.append(value)
        deleted = ["e.deleted = 1"]
        deleted_params = []
        for sql, value in (
            ("e.date_start >= ?", _iso(lo) if lo is not None else None),
            ("e.date_start <= ?", _iso(hi) if hi is not None else None),
            ("e.date_end >= ?", self._start.isoformat() if self._start else None),
            ("e.date_start <= ?", self._end.isoformat() if self._end else None),
        ):
            if value is not None:
                deleted.append(sql)
                deleted_params.append(value)
        if self._box is None:
            return (
                "events_span",
                " AND ".join(days) or "1 = 1",
                day_params,
                " AND ".join(deleted),
                deleted_params,
            )
        lo_lon, lo_lat, hi_lon, hi_lat = self._box
        near = (lo_lon - _SLACK, hi_lon + _SLACK, lo_lat - _SLACK, hi_lat + _SLACK)
        sure = (lo_lon + SURE, hi_lon - SURE, lo_lat + SURE, hi_lat - SURE)
        exact = "e.max_lon >= ? AND e.min_lon <= ? AND e.max_lat >= ? AND e.min_lat <= ?"
        box = "r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ?"
        day_sql = "".join(f" AND r.{d}" for d in days)
        where = (
            f"{box}{day_sql} AND (({box}) OR EXISTS (SELECT 1 FROM events e WHERE e.rid = r.id "
            f"AND {exact}))"
        )
        exact_params = (lo_lon, hi_lon, lo_lat, hi_lat)
        deleted.append(exact)
        return (
            "events_rtree r",
            where,
            [*near, *day_params, *sure, *exact_params],
            " AND ".join(deleted),
            [*deleted_params, *exact_params],
        )


def filters_beyond_place_and_time(q) -> bool:
    """Return whether ``q`` filters on more than a bbox, dates and types (actors, statuses,
    ids, deleted events, extra fields, text or source): such matches need their rows."""
    return any((
        q.actors, q.statuses, q.ids, q.include_deleted, q.extra,
        q.text and q.text.strip(), q.source and q.source.strip(),
    ))  # fmt: skip


def index_count(q, live_types=None):
    """Return an :class:`IndexCount` for ``q``, or None when its matches need their rows.

    ``q`` qualifies when it filters on a bbox (not crossing the antimeridian) or dates or
    both, and on nothing else; a type filter naming every type of ``live_types`` (the types
    with live events) filters nothing and does not count.
    """
    if q.bbox is None and q.start is None and q.end is None:
        return None
    if filters_beyond_place_and_time(q):
        return None
    if q.types:
        types = (q.types,) if isinstance(q.types, str) else q.types
        if live_types is None or not set(live_types) <= set(types):
            return None
    box = None
    if q.bbox is not None:
        bbox = BBox.of(q.bbox)
        ranges = bbox.lon_ranges()
        if len(ranges) != 1:
            return None
        box = (ranges[0][0], bbox.min_lat, ranges[0][1], bbox.max_lat)
    window = DateWindow.of(q.start, q.end)
    return IndexCount(box, window.start, window.end)


def few_deleted(conn):
    """Return whether the store holds at most :data:`DELETED_FEW` deleted events (read from
    the ``events_live`` index, no further than that)."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM events WHERE deleted = 1 LIMIT ?)"
    return conn.execute(sql, (DELETED_FEW + 1,)).fetchone()[0] <= DELETED_FEW
