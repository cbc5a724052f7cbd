"""Schema, migrations and query compilation for ``geo.store.sqlite`` (placeholders only)."""

from __future__ import annotations

import json
import re
import sqlite3

from geo.common.bbox import BBox
from geo.common.dates import DateWindow
from geo.exc import StoreError, ValidationError
from geo.store.base import as_tuple, vocabulary_filters
from geo.store.sqlite import health
from geo.store.sqlite.counts import filters_beyond_place_and_time
from geo.store.sqlite.migrations import migrate
from geo.store.sqlite.rows import day

__all__ = [
    "EXTENT_SQL",
    "FTS5",
    "FORMAT_NAME",
    "MIN_PREFIX_CHARS",
    "REFRESH_EXTENTS",
    "SCHEMA_VERSION",
    "ensure",
    "histogram_scan",
    "rtree_candidates",
    "sliceable",
    "where_clause",
]

#: Marker in the ``meta`` table that identifies a conflictmap store.
FORMAT_NAME = "conflictmap-events"
#: Version of the schema below; bump it and add a migration when it changes.
SCHEMA_VERSION = 5
#: ``PRAGMA application_id`` of a conflictmap store ("CMAP").
APPLICATION_ID = 0x434D4150

_CHANGED = """(new.event_type IS NOT old.event_type
    OR new.date_start IS NOT old.date_start OR new.date_end IS NOT old.date_end
    OR new.min_lon IS NOT old.min_lon OR new.min_lat IS NOT old.min_lat
    OR new.max_lon IS NOT old.max_lon OR new.max_lat IS NOT old.max_lat)"""
_GROW = """
    INSERT INTO type_extent(event_type, live, min_start, max_end, min_lon, min_lat, max_lon,
                            max_lat)
    VALUES (new.event_type, 1, new.date_start, new.date_end, new.min_lon, new.min_lat,
            new.max_lon, new.max_lat)
    ON CONFLICT(event_type) DO UPDATE SET
        live = live + 1,
        min_start = min(coalesce(min_start, excluded.min_start), excluded.min_start),
        max_end = max(coalesce(max_end, excluded.max_end), excluded.max_end),
        min_lon = min(coalesce(min_lon, excluded.min_lon), coalesce(excluded.min_lon, min_lon)),
        min_lat = min(coalesce(min_lat, excluded.min_lat), coalesce(excluded.min_lat, min_lat)),
        max_lon = max(coalesce(max_lon, excluded.max_lon), coalesce(excluded.max_lon, max_lon)),
        max_lat = max(coalesce(max_lat, excluded.max_lat), coalesce(excluded.max_lat, max_lat));
"""
#: Per event type: how many live events, and their dates and bounds, kept by triggers on
#: every write. ``dirty`` marks a type from which an event on the edge of its extent left:
#: the transaction recomputes it from its index before it commits (:data:`REFRESH_EXTENTS`).
EXTENT_SQL = (
    """CREATE TABLE type_extent (
    event_type TEXT PRIMARY KEY,
    live INTEGER NOT NULL,
    min_start TEXT, max_end TEXT,
    min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
    dirty INTEGER NOT NULL DEFAULT 0
)""",
    f"""CREATE TRIGGER events_extent_insert AFTER INSERT ON events WHEN new.deleted = 0
BEGIN {_GROW} END""",
    f"""CREATE TRIGGER events_extent_remove AFTER UPDATE ON events
WHEN old.deleted = 0 AND (new.deleted != 0 OR {_CHANGED})
BEGIN
    UPDATE type_extent SET
        live = live - 1,
        dirty = dirty OR coalesce(old.date_start <= min_start, 1)
            OR coalesce(old.date_end >= max_end, 1)
            OR coalesce(old.min_lon <= min_lon, old.min_lon IS NOT NULL)
            OR coalesce(old.min_lat <= min_lat, old.min_lat IS NOT NULL)
            OR coalesce(old.max_lon >= max_lon, old.max_lon IS NOT NULL)
            OR coalesce(old.max_lat >= max_lat, old.max_lat IS NOT NULL)
    WHERE event_type = old.event_type;
END""",
    f"""CREATE TRIGGER events_extent_add AFTER UPDATE ON events
WHEN new.deleted = 0 AND (old.deleted != 0 OR {_CHANGED})
BEGIN {_GROW} END""",
)
#: Recompute the types whose extent a removal may have shrunk (from ``events_type_days``).
REFRESH_EXTENTS = """
UPDATE type_extent SET (live, min_start, max_end, min_lon, min_lat, max_lon, max_lat, dirty) =
    (SELECT count(*), min(date_start), max(date_end), min(min_lon), min(min_lat),
            max(max_lon), max(max_lat), 0
     FROM events WHERE event_type = type_extent.event_type AND deleted = 0)
WHERE dirty
"""

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE events (
    rid INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT,
    actor1 TEXT, actor2 TEXT, claimed_by TEXT,
    geonameid INTEGER, country_code TEXT, geo_precision TEXT, extraction TEXT,
    min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
    deleted INTEGER NOT NULL DEFAULT 0,
    has_geometry INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE event_docs (rid INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE INDEX events_start ON events(date_start, event_id);
CREATE INDEX events_end ON events(date_end);
CREATE INDEX events_updated ON events(updated_at);
CREATE INDEX events_country ON events(country_code);
CREATE VIRTUAL TABLE events_rtree USING rtree(
    id, min_lon, max_lon, min_lat, max_lat, min_day, max_day
);
CREATE VIRTUAL TABLE events_span USING rtree(id, min_day, max_day);
CREATE TABLE event_sources (
    event_rid INTEGER NOT NULL REFERENCES events(rid) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    publisher TEXT,
    url TEXT
);
CREATE INDEX event_sources_rid ON event_sources(event_rid);
CREATE INDEX event_sources_id ON event_sources(source_id);
CREATE INDEX event_sources_publisher ON event_sources(publisher COLLATE NOCASE);
CREATE INDEX event_sources_url ON event_sources(url);
CREATE TABLE articles (
    article_id TEXT PRIMARY KEY,
    metadata TEXT NOT NULL,
    text TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE deletions (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    deleted_by TEXT NOT NULL,
    event TEXT NOT NULL
);
CREATE INDEX deletions_event ON deletions(event_id);
CREATE TABLE tokens (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, created_at TEXT NOT NULL);
"""
#: Tables created on open when missing: additions that change nothing stored (a store made
#: before them gains them, and an older conflictmap opening the file ignores them).
#: ``front_lines``: dated front-line versions (geo.frontlines), one row per source and date.
_ADDED_TABLES = (
    (
        "front_lines",
        "CREATE TABLE IF NOT EXISTS front_lines (source TEXT NOT NULL, valid_from TEXT NOT NULL, "
        "file_name TEXT NOT NULL, imported_at TEXT NOT NULL, feature_count INTEGER NOT NULL, "
        "min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL, features TEXT NOT NULL, "
        "PRIMARY KEY (source, valid_from))",
    ),
)
#: Indexes created on open when missing (adding one needs no schema version change). With
#: ``deleted`` second, counts of live events read only the index.
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS events_live ON events(deleted, date_start, event_id)",
    # the bounds too: the time slider's histogram of a box is read from this index alone
    # (``histogram_scan``); before it, ``events_type_live`` held the first three columns
    "CREATE INDEX IF NOT EXISTS events_type_days ON events(event_type, deleted, date_start, "
    "min_lon, max_lon, min_lat, max_lat)",
    "CREATE INDEX IF NOT EXISTS events_status_live ON events(status, deleted)",
)
#: Free text: a contentless FTS5 index (the texts are in the stored events; ``search_columns``)
FTS5 = (
    "CREATE VIRTUAL TABLE events_fts USING fts5(summary, places, actors, quotes, "
    "content = '', tokenize = 'unicode61 remove_diacritics 2')"
)
_FTS_FALLBACK = "CREATE TABLE events_fts (rowid INTEGER PRIMARY KEY, body TEXT NOT NULL)"

#: Clauses that a selective index answers better than a scan of live events.
_DRIVING = re.compile(r"events_rtree|events_span|events_fts|event_sources|e\.event_id IN")
#: Filters on columns with a B-tree index that must not drive when an index above can.
_SECONDARY = ("e.event_type IN", "e.status IN", "e.date_end >=", "e.date_start <=")

#: Shortest search word matched as a prefix; shorter words match whole words only.
MIN_PREFIX_CHARS = 2
#: Degrees added around a bbox when searching the R*Tree (the exact check follows).
_SLACK = 1e-6

_EXTRA_FILTERS = {
    "country_code": "e.country_code = ?",
    "geonameid": "e.geonameid = ?",
    "geo_precision": "e.geo_precision = ?",
    "extraction": "e.extraction = ?",
    "updated_since": "e.updated_at >= ?",
}


def _fts5_available(conn):
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts_probe")
        return True
    except sqlite3.OperationalError:
        return False


def ensure(conn, path):
    """Create the schema in an empty file or check an existing one; return the FTS mode.

    Returns
    -------
    bool
        True when free text uses FTS5, False for the LIKE fallback.

    Raises
    ------
    StoreError
        Naming ``path`` when it is not an SQLite file, not a conflictmap store, or newer.
    """
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    fts = _fts5_available(conn)
                    statements = (*_TABLES.split(";"), *EXTENT_SQL, FTS5 if fts else _FTS_FALLBACK)
                    for statement in statements:
                        if statement.strip():
                            conn.execute(statement)
                    conn.executemany(
                        "INSERT INTO meta(key, value) VALUES (?, ?)",
                        [
                            ("format", FORMAT_NAME),
                            ("schema_version", str(SCHEMA_VERSION)),
                            ("fts", "fts5" if fts else "like"),
                        ],
                    )
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            raise StoreError(
                f"{str(path)!r} is an SQLite file but not a conflictmap event store "
                f"(no meta table); expected a file created by conflictmap"
            )
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta.get("format") == FORMAT_NAME:
            _ensure_indexes(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as err:
        raise StoreError(health.explain(path, err)) from err
    if (
        meta.get("format") == FORMAT_NAME
        and 1 <= int(meta.get("schema_version", "0")) < SCHEMA_VERSION
    ):
        old = int(meta["schema_version"])
        try:
            meta["schema_version"] = str(migrate(conn, old))
        except sqlite3.Error as err:
            now = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            remedy = (
                "another process is bringing it up to date: open it again when that is done"
                if "locked" in str(err)
                else "free disk space or make the file writable, then open it again"
            )
            raise StoreError(
                f"cannot bring store {str(path)!r} from schema version {old} to "
                f"{SCHEMA_VERSION}: {err}; it is left whole at version {now[0]} (each step is "
                f"one transaction): {remedy}"
            ) from err
    if meta.get("format") != FORMAT_NAME:
        raise StoreError(
            f"{str(path)!r} is not a conflictmap event store; its meta format is "
            f"{meta.get('format')!r}, expected {FORMAT_NAME!r}"
        )
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"store {str(path)!r} has schema version {version}, newer than this conflictmap "
            f"understands ({SCHEMA_VERSION}); upgrade conflictmap"
        )
    return meta.get("fts") == "fts5"


#: Indexes that one of :data:`_INDEXES` replaces: dropped on open once it exists.
_REPLACED_INDEXES = ("events_type_live",)


def _ensure_indexes(conn):
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    missing = [sql for name, sql in _ADDED_TABLES if name not in existing]
    missing += [sql for sql in _INDEXES if sql.split()[5] not in existing]
    replaced = [name for name in _REPLACED_INDEXES if name in existing]
    if not missing and not replaced:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        for sql in missing:
            conn.execute(sql)
        for name in replaced:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute("COMMIT")
    except sqlite3.OperationalError:  # read-only file or busy: the store still works
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _bbox_sql(bbox, start, end, first_days=None):
    box = BBox.of(bbox)
    min_lat, max_lat = box.min_lat, box.max_lat
    # min_lon > max_lon crosses the antimeridian (RFC 7946 section 5.2): two boxes.
    boxes = box.lon_ranges()
    # The R*Tree holds each event's bounds and its date range as ordinal days, so one search
    # answers bbox + date interval; its float32 boxes are rounded outward, hence the exact
    # re-check on the events row. That rounding fails for coordinates too small for float32
    # (|x| < 1e-45 is stored as 0), so the R*Tree is searched with a little slack.
    days, day_params = "", []
    if start:
        days += " AND max_day >= ?"
        day_params.append(day(start))
    if end:
        days += " AND min_day <= ?"
        day_params.append(day(end))
    days, day_params = _first_days(days, day_params, first_days)
    clauses, params = [], []
    for lo, hi in boxes:
        clauses.append(
            "e.rid IN (SELECT id FROM events_rtree WHERE max_lon >= ? AND min_lon <= ? "
            f"AND max_lat >= ? AND min_lat <= ?{days}) AND e.max_lon >= ? AND e.min_lon <= ? "
            "AND e.max_lat >= ? AND e.min_lat <= ?"
        )
        params.extend(
            (lo - _SLACK, hi + _SLACK, min_lat - _SLACK, max_lat + _SLACK, *day_params)
            + (lo, hi, min_lat, max_lat)
        )
    return "(" + " OR ".join(f"({c})" for c in clauses) + ")", params


def _first_days(sql, params, first_days):
    """Add a range of first days (``min_day``, i.e. ``date_start``) to an R*Tree search."""
    if first_days is None:
        return sql, params
    lo, hi = first_days
    if lo is not None:
        sql += " AND min_day >= ?"
        params = [*params, lo]
    if hi is not None:
        sql += " AND min_day <= ?"
        params = [*params, hi]
    return sql, params


def histogram_scan(q, types):
    """Return ``(sql, params)`` counting the live events of ``q`` per type and first day from
    the ``events_type_days`` index alone, or None when ``q`` needs more than that index.

    ``q`` qualifies when it filters on a bbox and on ``types`` (a non-empty tuple: the
    query's types, or those with live events) and on nothing else. The rows come grouped
    by type, then day: ``(event_type, date_start, count)``. A box holding many events is
    counted faster so (every entry of the types read in order, a fraction of a microsecond
    each) than through the R*Tree, which reads each match's row.
    """
    if q.bbox is None or not types or q.start or q.end or filters_beyond_place_and_time(q):
        return None
    box = BBox.of(q.bbox)
    lon = " OR ".join("(e.max_lon >= ? AND e.min_lon <= ?)" for _ in box.lon_ranges())
    params = [*types, *(v for r in box.lon_ranges() for v in r), box.min_lat, box.max_lat]
    sql = (
        "SELECT e.event_type, e.date_start, count(*) FROM events e INDEXED BY events_type_days "
        f"WHERE e.event_type IN ({', '.join('?' * len(types))}) AND e.deleted = 0 "
        f"AND ({lon}) AND e.max_lat >= ? AND e.min_lat <= ? GROUP BY e.event_type, e.date_start"
    )
    return sql, params


def rtree_candidates(q, most):
    """Return ``(sql, params)`` counting the R*Tree entries in the bbox of ``q`` (any day,
    deleted events too), up to ``most``: how many rows a search of the box would read."""
    box = BBox.of(q.bbox)
    ranges = box.lon_ranges()
    part = (
        "SELECT 1 FROM events_rtree WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? "
        "AND min_lat <= ?"
    )
    sql = f"SELECT count(*) FROM ({' UNION ALL '.join([part] * len(ranges))} LIMIT ?)"
    params = [v for lo, hi in ranges for v in (lo, hi, box.min_lat, box.max_lat)]
    return sql, [*params, most]


def sliceable(q):
    """Return whether pages of ``q`` may be cut in ranges of first days (``where_clause``'s
    ``first_days``): an R*Tree drives it (a bbox or a date window) and no other selective
    index would (free text, sources, ids are found once per query, not per range)."""
    return (
        (q.bbox is not None or q.start is not None or q.end is not None)
        and not q.include_deleted
        and not (q.text and q.text.strip())
        and not (q.source and q.source.strip())
        and not q.ids
    )


def _balanced_or(terms):
    """Return ``terms`` joined with OR as a balanced tree of parentheses.

    SQLite refuses expressions nested over 1,000 deep, and ``a OR b OR c …`` nests one level
    per term; the balanced form nests log2(n) levels.
    """
    if len(terms) == 1:
        return terms[0]
    half = len(terms) // 2
    return f"({_balanced_or(terms[:half])} OR {_balanced_or(terms[half:])})"


def _like(value):
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clause(q, *, fts=True, first_days=None):
    """Compile an ``EventQuery`` into ``(sql, params)`` over ``events e``; values are bound.

    ``first_days`` (``(lo, hi)`` ordinal days, either None) keeps only events whose first
    day is in that range, searched in the R*Tree (for queries that ``sliceable`` accepts).

    Raises
    ------
    ValidationError
        Naming the filter when a value is malformed (bbox, dates, type, status, extra).
    """
    clauses = ["e.deleted = 0"] if not q.include_deleted else ["1 = 1"]
    params = []
    ids = as_tuple(q.ids, "ids")
    if ids:
        # one JSON parameter, however many ids: no limit on bound variables
        clauses.append("e.event_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps([str(i) for i in ids]))
    for column, values in vocabulary_filters(q):
        clauses.append(f"e.{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)
    window = DateWindow.of(q.start, q.end)
    start = window.start.isoformat() if window.start else None
    end = window.end.isoformat() if window.end else None
    if q.bbox is not None:
        sql, args = _bbox_sql(q.bbox, start, end, first_days)
        clauses.append(sql)
        params.extend(args)
    if (start or end) and q.bbox is None:
        # Without a bbox, the span R*Tree finds the events whose range overlaps the window.
        span = " AND ".join(
            c for c, v in (("max_day >= ?", start), ("min_day <= ?", end)) if v is not None
        )
        span, span_params = _first_days(
            span, [day(v) for v in (start, end) if v is not None], first_days
        )
        clauses.append(f"e.rid IN (SELECT id FROM events_span WHERE {span})")
        params.extend(span_params)
    if start:
        clauses.append("e.date_end >= ?")
        params.append(start)
    if end:
        clauses.append("e.date_start <= ?")
        params.append(end)
    actors = list(dict.fromkeys(a.strip() for a in as_tuple(q.actors, "actors") if a and a.strip()))
    if actors:
        match = (
            "(e.actor1 LIKE ? ESCAPE '\\' OR e.actor2 LIKE ? ESCAPE '\\' "
            "OR e.claimed_by LIKE ? ESCAPE '\\')"
        )
        clauses.append(_balanced_or([match] * len(actors)))
        for actor in actors:
            params.extend([_like(actor)] * 3)
    if q.text is not None and q.text.strip():
        words = list({w.casefold(): w for w in re.findall(r"\w+", q.text)}.values())
        if not words:
            raise ValidationError(
                f"text must contain at least one word to search for; got {q.text!r}", field="text"
            )
        if fts:
            clauses.append("e.rid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            # a one-letter prefix ("s*") matches nearly every word: short words match whole
            params.append(
                " AND ".join(f'"{w}"*' if len(w) >= MIN_PREFIX_CHARS else f'"{w}"' for w in words)
            )
        else:
            for w in words:
                clauses.append(
                    "e.rid IN (SELECT rowid FROM events_fts WHERE body LIKE ? ESCAPE '\\')"
                )
                params.append(_like(w.lower()))
    if q.source is not None and q.source.strip():
        clauses.append(
            "e.rid IN (SELECT event_rid FROM event_sources WHERE source_id = ? "
            "UNION SELECT event_rid FROM event_sources WHERE publisher = ? COLLATE NOCASE "
            "UNION SELECT event_rid FROM event_sources WHERE url = ?)"
        )
        params.extend([q.source.strip()] * 3)
    for key, value in (q.extra or {}).items():
        if key not in _EXTRA_FILTERS:
            raise ValidationError(
                f"unknown extra filter {key!r}; expected one of "
                f"{', '.join(sorted(_EXTRA_FILTERS))}",
                field=key,
            )
        clauses.append(_EXTRA_FILTERS[key])
        params.append(value)
    if _DRIVING.search(" ".join(clauses[1:])):
        # A selective index (R*Tree, FTS, sources, ids) should drive the search: keep the
        # planner from scanning the live-events, type, status or date index instead ("+"
        # disables its use). Without statistics SQLite takes a type's index for selective:
        # at 100k events a bbox + type search then read a seventh of the table (1.9 ms
        # instead of 0.07 ms), and merging during ingestion makes one per event.
        if not q.include_deleted:
            clauses[0] = "+e.deleted = 0"
        clauses = [f"+{c}" if c.startswith(_SECONDARY) else c for c in clauses]
    return " AND ".join(clauses), params
