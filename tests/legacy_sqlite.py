"""Turn a current SQLite store file into the layout of schema 4, to test migrations.

Schema 4 kept each event twice in the ``events`` row (``json`` and ``feature`` text) and had
no ``event_docs`` or ``type_extent``; the rows written here are what version 4 wrote
(``event_texts``).
"""

import sqlite3
from contextlib import closing

from geo.store.sqlite.rows import event_texts, load_doc, search_columns


def downgrade_to_4(path):
    """Rewrite the (closed) store at ``path`` as schema 4 wrote it, events included."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        rows = conn.execute(
            "SELECT e.rid, d.body, e.has_geometry FROM events e JOIN event_docs d ON d.rid = e.rid"
        ).fetchall()
        conn.execute("ALTER TABLE events ADD COLUMN json TEXT NOT NULL DEFAULT ''")
        conn.execute("ALTER TABLE events ADD COLUMN feature TEXT")
        fts5 = conn.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()[0] == "fts5"
        if fts5:  # version 4's index kept a copy of the texts
            conn.execute("DROP TABLE events_fts")
            conn.execute(
                "CREATE VIRTUAL TABLE events_fts USING fts5(summary, places, actors, quotes, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )
        for rid, body, has_geometry in rows:
            event = load_doc(body, has_geometry)
            stored, feature = event_texts(event)
            conn.execute(
                "UPDATE events SET json = ?, feature = ? WHERE rid = ?", (stored, feature, rid)
            )
            if fts5:
                conn.execute(
                    "INSERT INTO events_fts(rowid, summary, places, actors, quotes) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (rid, *search_columns(event)),
                )
        for trigger in ("events_extent_insert", "events_extent_remove", "events_extent_add"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE type_extent")
        conn.execute("DROP TABLE event_docs")
        conn.execute("ALTER TABLE events DROP COLUMN has_geometry")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        conn.execute("COMMIT")
