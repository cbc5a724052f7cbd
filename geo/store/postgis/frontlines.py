"""Dated front-line versions in the PostGIS store (the ``front_lines`` table)."""

from __future__ import annotations

import json

from geo.events.model import utcnow_iso
from geo.exc import ValidationError
from geo.frontlines.model import FrontLineVersion, parse_valid_from, version_key

__all__ = ["delete", "get", "put", "versions"]

_META = (
    "source, valid_from, file_name, imported_at, feature_count, min_lon, min_lat, max_lon, max_lat"
)


def _meta(row):
    day = row[1].isoformat()
    return {
        "id": version_key(row[0], day),
        "source": row[0],
        "valid_from": day,
        "file_name": row[2],
        "imported_at": row[3],
        "feature_count": row[4],
        "bbox": [row[5], row[6], row[7], row[8]],
    }


def put(store, version, *, replace=False):
    """Store ``version`` in one transaction; refuse to replace one unless ``replace``."""
    if not isinstance(version, FrontLineVersion):
        raise ValidationError(
            f"put_front_lines takes a FrontLineVersion; got {type(version).__name__}",
            field="version",
        )
    text = version.features_json()
    if "\x00" in text:
        raise ValidationError(
            f"front lines of {version.source!r} hold a NUL character, which a PostgreSQL "
            "store cannot keep",
            field="features",
        )
    now = version.imported_at or utcnow_iso()  # a copy keeps the time of the import
    box = version.bbox()

    def unit():
        conn = store._conn()
        old = conn.execute(
            "SELECT imported_at, file_name FROM front_lines WHERE source = %s AND valid_from = %s",
            (version.source, version.valid_from),
        ).fetchone()
        if old and not replace:
            raise ValidationError(
                f"a front-line version of {version.source!r} from {version.valid_from} is "
                f"already stored (from {old[1]!r}, imported {old[0]}); replace it explicitly",
                field="date",
            )
        conn.execute(
            "INSERT INTO front_lines (source, valid_from, file_name, imported_at, "
            "feature_count, min_lon, min_lat, max_lon, max_lat, features) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (source, valid_from) DO UPDATE SET file_name = excluded.file_name, "
            "imported_at = excluded.imported_at, feature_count = excluded.feature_count, "
            "min_lon = excluded.min_lon, min_lat = excluded.min_lat, "
            "max_lon = excluded.max_lon, max_lat = excluded.max_lat, "
            "features = excluded.features",
            (version.source, version.valid_from, version.file_name, now,
             len(version.features), *box, text),
        )  # fmt: skip

    store.atomic(unit)
    return {**version.meta(), "imported_at": now}


def versions(store, sources=()):
    """Return the stored versions' descriptions, by source then date."""
    sql = f"SELECT {_META} FROM front_lines"
    params = ()
    if sources:
        sql += " WHERE source = ANY(%s)"
        params = (list(sources),)
    return [_meta(r) for r in store._read(sql + " ORDER BY source, valid_from", params)]


def get(store, source, valid_from):
    """Return one stored version, or None."""
    day = parse_valid_from(valid_from)
    row = store._read(
        "SELECT file_name, imported_at, features FROM front_lines "
        "WHERE source = %s AND valid_from = %s",
        (source, day),
        one=True,
    )
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
    day = parse_valid_from(valid_from)

    def unit():
        cur = store._conn().execute(
            "DELETE FROM front_lines WHERE source = %s AND valid_from = %s", (source, day)
        )
        return cur.rowcount > 0

    return store.atomic(unit)
