"""Whole records of ``geo.store.postgis`` for copies between stores (``conflictmap store copy``).

The same records as ``geo.store.sqlite.records``: events with their ``updated_at`` and
deleted flag, articles, deletion records and token hashes, each written back as it was.
"""

from __future__ import annotations

import json

from geo.store.postgis.rows import insert_events, update_event
from geo.store.sqlite.rows import event_texts, load_event

__all__ = ["records", "restore"]

_READ = {
    "events": ("SELECT json, deleted FROM events ORDER BY event_id",
               lambda r: {"event": load_event(r[0]), "deleted": bool(r[1])}),
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
    return store._stream(sql, [], row, small=False)


def restore(store, kind, batch):
    """Write ``batch`` (records of ``kind``) as they are; return how many changed the store.

    Records already stored identically are skipped, so that a copy run again goes on where
    it stopped without writing twice. One serializable unit per batch.
    """
    return store.atomic(lambda: _restore(store, kind, batch))


def _restore(store, kind, batch):
    conn, changed = store._conn(), 0
    if kind == "events":
        stored = store._rows_of(sorted({r["event"].event_id for r in batch}))
        new, deleted_ids = [], []
        for record in batch:
            event, deleted = record["event"], record["deleted"]
            row = stored.get(event.event_id)
            if row is None:
                new.append(event)
            else:
                old = load_event(row[1])
                if event_texts(old)[0] == event_texts(event)[0] and row[2] == deleted:
                    continue
                update_event(conn, row[0], event, old)
            if deleted:
                deleted_ids.append(event.event_id)
            changed += 1
        if new:
            insert_events(conn, new)
        if deleted_ids:
            conn.execute(
                "UPDATE events SET deleted = true WHERE event_id = ANY(%s)", (deleted_ids,)
            )
    elif kind == "articles":
        for r in batch:
            changed += conn.execute(
                "INSERT INTO articles (article_id, metadata, text, updated_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
                "metadata = excluded.metadata, text = excluded.text, "
                "updated_at = excluded.updated_at WHERE (articles.metadata, articles.text, "
                "articles.updated_at) IS DISTINCT FROM (excluded.metadata, excluded.text, "
                "excluded.updated_at)",
                (r["article_id"], r["metadata"], r["text"], r["updated_at"]),
            ).rowcount
    elif kind == "deletions":
        for r in batch:
            key = (r["event_id"], r["deleted_at"], r["reason"], r["by"])
            changed += conn.execute(
                "INSERT INTO deletions (event_id, deleted_at, reason, deleted_by, event) "
                "SELECT %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM deletions WHERE "
                "event_id = %s AND deleted_at = %s AND reason = %s AND deleted_by = %s)",
                (*key, json.dumps(r["event"], ensure_ascii=False), *key),
            ).rowcount
    elif kind == "tokens":
        for r in batch:
            changed += conn.execute(
                "INSERT INTO tokens (name, sha256, created_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, "
                "created_at = excluded.created_at WHERE tokens.sha256 <> excluded.sha256",
                (r["name"], r["sha256"], r["created_at"]),
            ).rowcount
    else:
        raise ValueError(f"unknown kind of record {kind!r}")
    return changed
