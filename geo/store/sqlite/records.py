"""Whole records of ``geo.store.sqlite`` for copies between stores (``conflictmap store copy``).

``records(store, kind)`` streams what ``restore(store, kind, batch)`` writes back as it was:
events with their ``updated_at`` and deleted flag, articles, deletion records and token hashes.
"""

from __future__ import annotations

import json

from geo.store.sqlite.rows import event_texts, load_doc, write_event

__all__ = ["records", "restore"]

_READ = {
    "events": ("SELECT rid, has_geometry, deleted FROM events ORDER BY event_id",
               lambda r: {"event": load_doc(r[0], r[1]), "deleted": bool(r[2])}),
    "articles": ("SELECT article_id, metadata, text, updated_at FROM articles ORDER BY article_id",
                 lambda r: dict(zip(("article_id", "metadata", "text", "updated_at"), r,
                                    strict=True))),
    "deletions": ("SELECT event_id, deleted_at, reason, deleted_by, event FROM deletions "
                  "ORDER BY id",
                  lambda r: {"event_id": r[0], "deleted_at": r[1], "reason": r[2], "by": r[3],
                             "event": json.loads(r[4])}),
    "tokens": ("SELECT name, sha256, created_at FROM tokens ORDER BY name",
               lambda r: {"name": r[0], "sha256": r[1], "created_at": r[2]}),
}  # fmt: skip


def records(store, kind):
    """Yield every record of ``kind`` (events, articles, deletions, tokens) in key order."""
    sql, row = _READ[kind]

    def rows(conn, fetch):
        for got in fetch(sql, []):
            yield from got

    return store._stream(None, row, rows=rows, documents=kind == "events")


def restore(store, kind, batch):
    """Write ``batch`` (records of ``kind``) as they are; return how many changed the store.

    Records already stored identically are skipped, so that a copy run again goes on where
    it stopped without writing twice.
    """
    conn, changed = store._conn(), 0
    with store.transaction():
        if kind == "events":
            stored = store._rows_of([r["event"].event_id for r in batch])
            for record in batch:
                event, deleted = record["event"], record["deleted"]
                row = stored.get(event.event_id)
                old = None
                if row is not None:
                    old = row[1]
                    if event_texts(old)[0] == event_texts(event)[0] and bool(row[2]) == deleted:
                        continue
                rid = write_event(conn, row[0] if row else None, event, store.fts, old=old)
                if deleted:
                    conn.execute("UPDATE events SET deleted = 1 WHERE rid = ?", (rid,))
                stored[event.event_id] = (rid, event, int(deleted))
                changed += 1
        elif kind == "articles":
            for r in batch:
                cur = conn.execute(
                    "INSERT INTO articles (article_id, metadata, text, updated_at) "
                    "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM articles WHERE "
                    "article_id = ? AND metadata = ? AND text IS ? AND updated_at = ?) "
                    "ON CONFLICT (article_id) DO UPDATE SET metadata = excluded.metadata, "
                    "text = excluded.text, updated_at = excluded.updated_at",
                    (*_article(r), *_article(r)),
                )
                changed += cur.rowcount
        elif kind == "deletions":
            for r in batch:
                key = (r["event_id"], r["deleted_at"], r["reason"], r["by"])
                if conn.execute(
                    "SELECT 1 FROM deletions WHERE event_id = ? AND deleted_at = ? AND "
                    "reason = ? AND deleted_by = ?",
                    key,
                ).fetchone():
                    continue
                conn.execute(
                    "INSERT INTO deletions (event_id, deleted_at, reason, deleted_by, event) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (*key, json.dumps(r["event"], ensure_ascii=False)),
                )
                changed += 1
        elif kind == "tokens":
            for r in batch:
                cur = conn.execute(
                    "INSERT INTO tokens (name, sha256, created_at) SELECT ?, ?, ? WHERE NOT "
                    "EXISTS (SELECT 1 FROM tokens WHERE name = ? AND sha256 = ?) "
                    "ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, "
                    "created_at = excluded.created_at",
                    (r["name"], r["sha256"], r["created_at"], r["name"], r["sha256"]),
                )
                changed += cur.rowcount
        else:
            raise ValueError(f"unknown kind of record {kind!r}")
        stamps = [_stamp(kind, r) for r in batch]
        stamps = [s for s in stamps if s]
        if changed and stamps:
            current = conn.execute("SELECT value FROM meta WHERE key = 'data_as_of'").fetchone()
            latest = max([*stamps, *(current or ())])
            store._touch(latest)
    return changed


def _article(r):
    return (r["article_id"], r["metadata"], r["text"], r["updated_at"])


def _stamp(kind, record):
    if kind == "events":
        return record["event"].updated_at
    if kind == "articles":
        return record["updated_at"]
    if kind == "deletions":
        return record["deleted_at"]  # a deletion is a write of an event (data_as_of)
    return None
