"""Rows of ``geo.store.postgis``: an event's column values, and writing them with its sources.

The stored JSON and Feature texts are made by the same code as the SQLite store's
(``geo.store.sqlite.rows.event_texts``), so that both backends hand out identical features.
"""

from __future__ import annotations

import json
from collections import Counter

from geo.store.postgis.query import search_terms
from geo.store.sqlite.rows import event_bounds, event_texts, remember_loaded

__all__ = ["COLUMNS", "event_values", "insert_events", "update_event"]

#: The written columns of ``events``, in the order of ``event_values``.
COLUMNS = (
    "event_id", "event_type", "date_start", "date_end", "status", "updated_at", "actor1",
    "actor2", "claimed_by", "geonameid", "country_code", "geo_precision", "extraction",
    "min_lon", "min_lat", "max_lon", "max_lat", "geom", "search", "json", "feature",
)  # fmt: skip
#: Placeholders of ``COLUMNS``: the geometry is GeoJSON, the search words a text array.
_MARKS = ", ".join(
    "ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)" if c == "geom"
    else "array_to_tsvector(%s::text[])" if c == "search" else "%s"
    for c in COLUMNS
)  # fmt: skip
_INSERT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({_MARKS})"
_UPDATE = (
    f"UPDATE events SET ({', '.join(COLUMNS)}) = ROW({_MARKS}), deleted = false WHERE rid = %s"
)
_INSERT_SOURCES = (
    "INSERT INTO event_sources (event_rid, source_id, publisher, url) "
    "SELECT rid, %s, %s, %s FROM events WHERE event_id = %s"
)
_DELETE_SOURCE = (
    "DELETE FROM event_sources WHERE ctid = (SELECT ctid FROM event_sources WHERE event_rid = %s "
    "AND source_id = %s AND publisher IS NOT DISTINCT FROM %s AND url IS NOT DISTINCT FROM %s "
    "LIMIT 1)"
)


def _search_parts(event):
    """Return the texts free-text search reads: summary, places, actors, quotes and titles."""
    return [
        event.summary, event.notes, *event.tags,
        event.location_name, event.name_in_text, event.admin1, event.country_code,
        event.actor1, event.actor2, event.claimed_by,
        *(s.quote for s in event.sources), *(s.title for s in event.sources),
    ]  # fmt: skip


def _geometry_json(event):
    if event.geometry:
        return json.dumps(event.geometry, separators=(",", ":"))
    if event.latitude is not None and event.longitude is not None:
        return json.dumps({"type": "Point", "coordinates": [event.longitude, event.latitude]})
    return None


def event_values(event):
    """Return the values of ``COLUMNS`` for ``event`` (its texts remembered as loaded)."""
    bounds = event_bounds(event) or (None, None, None, None)
    text, feature = event_texts(event)
    remember_loaded(text, event)
    return (
        event.event_id, event.event_type, event.date_start, event.date_end, event.status,
        event.updated_at, event.actor1, event.actor2, event.claimed_by, event.geonameid,
        event.country_code, event.geo_precision, event.extraction, *bounds,
        _geometry_json(event), search_terms(_search_parts(event)), text, feature,
    )  # fmt: skip


def _source_rows(event):
    return [(s.source_id, s.publisher, s.url) for s in event.sources]


def insert_events(conn, events):
    """Insert new events and their source rows (a few round trips for the whole list)."""
    with conn.cursor() as cur:
        cur.executemany(_INSERT, [event_values(e) for e in events])
        rows = [(*row, e.event_id) for e in events for row in _source_rows(e)]
        if rows:
            cur.executemany(_INSERT_SOURCES, rows)


def update_event(conn, rid, event, old):
    """Rewrite the row ``rid`` with ``event``; only the source rows that changed are written.

    ``old`` is the stored version (None when unknown: every source row is replaced).
    """
    with conn.cursor() as cur:
        cur.execute(_UPDATE, (*event_values(event), rid))
        after = Counter(_source_rows(event))
        if old is None:
            cur.execute("DELETE FROM event_sources WHERE event_rid = %s", (rid,))
            added = list(after.elements())
        else:
            before = Counter(_source_rows(old))
            added = list((after - before).elements())
            gone = [(rid, *row) for row in (before - after).elements()]
            if gone:
                cur.executemany(_DELETE_SOURCE, gone)
        if added:
            cur.executemany(_INSERT_SOURCES, [(*row, event.event_id) for row in added])
