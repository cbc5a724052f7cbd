"""Migrations of older ``geo.store.sqlite`` files to the current schema, in one step each."""

from __future__ import annotations

import json
import sqlite3

from geo.store.sqlite.rows import day, event_texts, load_event, pack_document, search_columns

__all__ = ["migrate"]


def migrate(conn, version):
    """Bring a store at schema ``version`` up to date, one transaction per step.

    Returns
    -------
    int
        The version reached.
    """
    while version in _STEPS:
        _STEPS[version](conn)
        # another process may have migrated the file meanwhile: go on from what it holds
        version = int(
            conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        )
    return version


def _migrate_1_to_2(conn):
    """Version 2 adds date ranges (proleptic ordinal days) to the R*Tree and a span R*Tree."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DROP TABLE events_rtree")
        conn.execute(
            "CREATE VIRTUAL TABLE events_rtree USING rtree("
            "id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)"
        )
        rows = conn.execute(
            "SELECT rid, min_lon, max_lon, min_lat, max_lat, date_start, date_end FROM events "
            "WHERE min_lon IS NOT NULL"
        ).fetchall()
        conn.executemany(
            "INSERT INTO events_rtree VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*r[:5], day(r[5]), day(r[6])) for r in rows],
        )
        conn.execute("CREATE VIRTUAL TABLE events_span USING rtree(id, min_day, max_day)")
        spans = conn.execute("SELECT rid, date_start, date_end FROM events").fetchall()
        conn.executemany(
            "INSERT INTO events_span VALUES (?, ?, ?)",
            [(r[0], day(r[1]), day(r[2])) for r in spans],
        )
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _migrate_2_to_3(conn):
    """Version 3 adds ``events.feature``: the event's GeoJSON Feature text, made on write.

    Existing rows keep NULL there and are turned into features when read
    (``SQLiteStore.query_features``); every later write fills it.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
        if "feature" not in columns:
            conn.execute("ALTER TABLE events ADD COLUMN feature TEXT")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _migrate_3_to_4(conn):
    """Version 4: an event without a location has no ``geo_precision`` (it was "exact")."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = conn.execute(
            "SELECT rid, json FROM events WHERE geonameid IS NULL AND min_lon IS NULL "
            "AND geo_precision IS NOT NULL"
        ).fetchall()
        for rid, text in rows:
            data = json.loads(text)
            if data.get("latitude") is not None or data.get("geometry"):
                continue
            data["geo_precision"] = None
            event = load_event(json.dumps(data, ensure_ascii=False))
            conn.execute(
                "UPDATE events SET geo_precision = NULL, json = ?, feature = ? WHERE rid = ?",
                (*event_texts(event), rid),
            )
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


#: Rows converted per round trip by the migration to schema 5.
_BATCH = 2000


def _migrate_4_to_5(conn):
    """Version 5 stores each event once: its Feature text, packed, in ``event_docs``.

    Up to version 4 each row held the event twice (its JSON and its Feature text) in the
    ``events`` table, one row per page at 1.3 KB each; now ``events`` keeps only the columns
    filters read, and the stored JSON is derived from the Feature (``has_geometry`` tells an
    area's own geometry from the point the Feature makes of latitude and longitude). The
    per-type extents and live counts (``type_extent``) are filled, and the FTS5 index is made
    again without a copy of the texts (``content=''``). One transaction: a
    failure leaves the version 4 store as it was. The file is then vacuumed to give the
    space back (when that fails, e.g. on a full disk, the store works and stays as large).
    """
    from geo.store.sqlite.schema import EXTENT_SQL, FTS5

    fts = conn.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()
    fts = fts is not None and fts[0] == "fts5"
    conn.execute("BEGIN IMMEDIATE")
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version != ("4",):  # another process migrated it while this one waited for the lock
        conn.execute("COMMIT")
        return
    try:
        conn.execute("CREATE TABLE event_docs (rid INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        if fts:  # the index keeps no copy of the texts any more
            conn.execute("DROP TABLE events_fts")
            conn.execute(FTS5)
        conn.execute("ALTER TABLE events ADD COLUMN has_geometry INTEGER NOT NULL DEFAULT 0")
        last = -1
        while True:
            rows = conn.execute(
                "SELECT rid, json, feature FROM events WHERE rid > ? ORDER BY rid LIMIT ?",
                (last, _BATCH),
            ).fetchall()
            if not rows:
                break
            docs, areas, texts = [], [], []
            for rid, text, _feature in rows:
                event = load_event(text)
                docs.append((rid, pack_document(event)[1]))
                if event.geometry:
                    areas.append((rid,))
                if fts:
                    texts.append((rid, *search_columns(event)))
            conn.executemany("INSERT INTO event_docs(rid, body) VALUES (?, ?)", docs)
            conn.executemany(
                "INSERT INTO events_fts(rowid, summary, places, actors, quotes) "
                "VALUES (?, ?, ?, ?, ?)",
                texts,
            )
            conn.executemany("UPDATE events SET has_geometry = 1 WHERE rid = ?", areas)
            last = rows[-1][0]
        conn.execute("ALTER TABLE events DROP COLUMN json")
        conn.execute("ALTER TABLE events DROP COLUMN feature")
        for statement in EXTENT_SQL:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO type_extent(event_type, live, min_start, max_end, min_lon, min_lat, "
            "max_lon, max_lat) SELECT event_type, count(*), min(date_start), max(date_end), "
            "min(min_lon), min(min_lat), max(max_lon), max(max_lat) FROM events "
            "WHERE deleted = 0 GROUP BY event_type"
        )
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("VACUUM")
    except sqlite3.Error:
        pass  # busy or a full disk: the space is reused by later writes


#: ``_STEPS[v]`` migrates schema ``v`` to ``v + 1``.
_STEPS = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4, 4: _migrate_4_to_5}
