"""Dated front-line versions in the SQLite store (the ``front_lines`` table)."""

from __future__ import annotations

import json
import sqlite3

from geo.events.model import utcnow_iso
from geo.exc import StoreError, ValidationError
from geo.frontlines.model import FrontLineVersion, parse_valid_from, version_key

__all__ = ["delete", "get", "put", "versions"]

_META = (
    "source, valid_from, file_name, imported_at, feature_count, min_lon, min_lat, max_lon, max_lat"
)


def _meta(row):
    return {
        "id": version_key(row[0], row[1]),
        "source": row[0],
        "valid_from": row[1],
        "file_name": row[2],
        "imported_at": row[3],
        "feature_count": row[4],
        "bbox": [row[5], row[6], row[7], row[8]],
    }


def _missing_table(err):
    return isinstance(err, sqlite3.OperationalError) and "no such table" in str(err)


def put(store, version, *, replace=False):
    """Store ``version`` in one transaction; refuse to replace one unless ``replace``."""
    if not isinstance(version, FrontLineVersion):
        raise ValidationError(
            f"put_front_lines takes a FrontLineVersion; got {type(version).__name__}",
            field="version",
        )
    now = version.imported_at or utcnow_iso()  # a copy keeps the time of the import
    box = version.bbox()
    conn = store._conn()
    with store.transaction():
        old = conn.execute(
            "SELECT imported_at, file_name FROM front_lines WHERE source = ? AND valid_from = ?",
            (version.source, version.valid_from.isoformat()),
        ).fetchone()
        if old and not replace:
            raise ValidationError(
                f"a front-line version of {version.source!r} from {version.valid_from} is "
                f"already stored (from {old[1]!r}, imported {old[0]}); replace it explicitly",
                field="date",
            )
        conn.execute(
            "INSERT OR REPLACE INTO front_lines(source, valid_from, file_name, imported_at, "
            "feature_count, min_lon, min_lat, max_lon, max_lat, features) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                version.source,
                version.valid_from.isoformat(),
                version.file_name,
                now,
                len(version.features),
                *box,
                version.features_json(),
            ),
        )
    return {**version.meta(), "imported_at": now}


def versions(store, sources=()):
    """Return the stored versions' descriptions, by source then date."""
    sql = f"SELECT {_META} FROM front_lines"
    params = []
    if sources:
        sql += f" WHERE source IN ({', '.join('?' * len(sources))})"
        params = list(sources)
    try:
        rows = store._conn().execute(sql + " ORDER BY source, valid_from", params).fetchall()
    except sqlite3.Error as err:
        if _missing_table(err):  # a read-only store opened before the table existed
            return []
        raise StoreError(f"cannot read front lines from {store!r}: {err}") from err
    return [_meta(r) for r in rows]


def get(store, source, valid_from):
    """Return one stored version, or None."""
    day = parse_valid_from(valid_from).isoformat()
    try:
        row = (
            store._conn()
            .execute(
                "SELECT file_name, imported_at, features FROM front_lines "
                "WHERE source = ? AND valid_from = ?",
                (source, day),
            )
            .fetchone()
        )
    except sqlite3.Error as err:
        if _missing_table(err):
            return None
        raise StoreError(f"cannot read front lines from {store!r}: {err}") from err
    if row is None:
        return None
    return FrontLineVersion(
        source=source,
        valid_from=day,
        features=tuple(json.loads(row[2])),
        file_name=row[0],
        imported_at=row[1],
    )


def delete(store, source, valid_from):
    """Delete one stored version; return whether it existed."""
    day = parse_valid_from(valid_from).isoformat()
    with store.transaction():
        cur = store._conn().execute(
            "DELETE FROM front_lines WHERE source = ? AND valid_from = ?", (source, day)
        )
    return cur.rowcount > 0
