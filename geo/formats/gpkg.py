"""GeoPackage 1.3 writer for events, with the stdlib sqlite3 and shapely's WKB."""

from __future__ import annotations

import re
import shutil
import sqlite3
import struct
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import shapely
from shapely.geometry import shape

from geo.formats.columns import COLUMN_TYPES, CSV_COLUMNS, flatten_event

__all__ = ["geometry_blob", "write_gpkg"]

#: ``PRAGMA application_id`` of a GeoPackage ("GPKG") and ``user_version`` of version 1.3.0.
APPLICATION_ID = 0x47504B47
USER_VERSION = 10300

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AUTHORITY["EPSG","4326"]]'
)
_SCHEMA = """
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE event_sources (
  id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, source_id TEXT NOT NULL,
  publisher TEXT, title TEXT, url TEXT, published_at TEXT, published_precision TEXT,
  quote TEXT, start INTEGER, "end" INTEGER)
"""
# The spatial index extension (GeoPackage 1.3, Annex F.3): declared, and its triggers keep
# it right when GDAL or QGIS later edit the file (they provide the ST_ functions). This
# writer fills the index itself before creating the triggers.
_RTREE_EXTENSION = """
CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
INSERT INTO gpkg_extensions VALUES ('events', 'geom', 'gpkg_rtree_index',
  'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
CREATE TRIGGER rtree_events_geom_insert AFTER INSERT ON events
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_events_geom_update1 AFTER UPDATE OF geom ON events
  WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_events_geom_update2 AFTER UPDATE OF geom ON events
  WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
END;
CREATE TRIGGER rtree_events_geom_update3 AFTER UPDATE ON events
  WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
  INSERT OR REPLACE INTO rtree_events_geom VALUES (NEW.fid,
    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER rtree_events_geom_update4 AFTER UPDATE ON events
  WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_events_geom WHERE id IN (OLD.fid, NEW.fid);
END;
CREATE TRIGGER rtree_events_geom_delete AFTER DELETE ON events
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_events_geom WHERE id = OLD.fid;
END"""
_SOURCE_FIELDS = (
    "source_id",
    "publisher",
    "title",
    "url",
    "published_at",
    "published_precision",
    "quote",
    "start",
    "end",
)


def geometry_blob(geometry: dict | None) -> tuple[bytes | None, tuple | None]:
    """Return ``(StandardGeoPackageBinary, (minx, miny, maxx, maxy))`` of a GeoJSON geometry.

    The header is "GP", version 0, flags (little-endian, an xy envelope), SRS 4326, then
    the envelope and ISO WKB. ``None`` gives ``(None, None)`` (a NULL geometry).
    """
    if geometry is None:
        return None, None
    geom = shape(geometry)
    if geom.is_empty:
        header = struct.pack("<2sBBi", b"GP", 0, 0b00010001, 4326)
        return header + shapely.to_wkb(geom, byte_order=1, flavor="iso"), None
    minx, miny, maxx, maxy = geom.bounds
    header = struct.pack("<2sBBi4d", b"GP", 0, 0b00000011, 4326, minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geom, byte_order=1, flavor="iso"), (minx, miny, maxx, maxy)


def _geometry_of(event):
    if event.geometry:
        return event.geometry
    if event.latitude is not None and event.longitude is not None:
        return {"type": "Point", "coordinates": [event.longitude, event.latitude]}
    return None


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def write_gpkg(events, out, *, meta):
    """Write a GeoPackage with an ``events`` feature table and an ``event_sources`` table.

    The file is built in a temporary folder (SQLite needs a real file) and then copied to
    ``out``; rows are inserted as the events stream in. Attribute columns are those of the
    CSV export (``geo.formats.CSV_COLUMNS``) minus ``geometry``, which is the ``geom`` column.
    """
    columns = [c for c in CSV_COLUMNS if c != "geometry"]
    with tempfile.TemporaryDirectory(prefix="conflictmap-gpkg-") as folder:
        path = Path(folder) / "events.gpkg"
        conn = sqlite3.connect(path)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            conn.execute(f"PRAGMA user_version = {USER_VERSION:d}")
            conn.execute("BEGIN")
            for statement in _SCHEMA.split(";"):
                conn.execute(statement)
            conn.executemany(
                "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                [
                    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
                    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
                    ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude"),
                ],
            )
            typed = ", ".join(f"{_quote(c)} {COLUMN_TYPES.get(c, 'TEXT')}" for c in columns)
            conn.execute(
                f"CREATE TABLE events (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
                f"{typed})"
            )
            conn.execute(
                "CREATE VIRTUAL TABLE rtree_events_geom USING rtree(id, minx, maxx, miny, maxy)"
            )
            insert = (
                f"INSERT INTO events (geom, {', '.join(_quote(c) for c in columns)}) "
                f"VALUES ({', '.join('?' * (len(columns) + 1))})"
            )
            source_insert = (
                "INSERT INTO event_sources (event_id, source_id, publisher, title, url, "
                'published_at, published_precision, quote, start, "end") '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            extent = None
            for event in events:
                blob, bounds = geometry_blob(_geometry_of(event))
                if bounds:
                    extent = (
                        bounds
                        if extent is None
                        else (
                            min(extent[0], bounds[0]),
                            min(extent[1], bounds[1]),
                            max(extent[2], bounds[2]),
                            max(extent[3], bounds[3]),
                        )
                    )
                row = flatten_event(event)
                fid = conn.execute(insert, (blob, *(row[c] for c in columns))).lastrowid
                if bounds:
                    conn.execute(
                        "INSERT INTO rtree_events_geom VALUES (?, ?, ?, ?, ?)",
                        (fid, bounds[0], bounds[2], bounds[1], bounds[3]),
                    )
                conn.executemany(
                    source_insert,
                    [
                        (event.event_id, *(getattr(s, f) for f in _SOURCE_FIELDS))
                        for s in event.sources
                    ],
                )
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
            description = " ".join(str(meta[k]) for k in ("attribution",) if meta.get(k)) + (
                f" Data as of {meta['data_as_of']}." if meta.get("data_as_of") else ""
            )
            conn.execute(
                "INSERT INTO gpkg_contents VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)",
                (
                    "events",
                    "conflictmap events",
                    description.strip(),
                    now,
                    *(extent or (None,) * 4),
                ),
            )
            conn.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                "last_change) VALUES ('event_sources', 'attributes', 'conflictmap event sources', "
                "'One row per source of each event (join on event_id).', ?)",
                (now,),
            )
            conn.execute(
                "INSERT INTO gpkg_geometry_columns "
                "VALUES ('events', 'geom', 'GEOMETRY', 4326, 0, 0)"
            )
            # Statements start at column 0; trigger bodies are indented.
            for statement in re.split(r";\n(?=CREATE|INSERT)", _RTREE_EXTENSION):
                conn.execute(statement)
            conn.execute("COMMIT")
        finally:
            conn.close()
        with path.open("rb") as handle:
            shutil.copyfileobj(handle, out, 1 << 20)
