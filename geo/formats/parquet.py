"""GeoParquet 1.1 for events, written with pyarrow one row group per chunk of events.

The GDAL that pyogrio ships has no Parquet driver, so the file is written by Arrow's own
Parquet writer (as geopandas does): the CSV columns, typed, and a ``geometry`` column of ISO
WKB (the area, else the point), with the GeoParquet ``geo`` metadata (encoding, geometry
types, bounding box; coordinates are OGC:CRS84 longitude/latitude, the GeoParquet default)
added to the footer once every chunk is written. Read it with ``geopandas.read_parquet``,
DuckDB or GDAL builds that have the Parquet driver.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

import shapely

from geo.events.model import Event
from geo.formats.gdal import contents_description, copy_file, scratch_folder
from geo.formats.tables import attribute_schema, chunks, event_batch

__all__ = ["GEOPARQUET_VERSION", "geo_metadata", "write_geoparquet"]

GEOPARQUET_VERSION = "1.1.0"
_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def geo_metadata(geometry_types, bbox) -> dict:
    """Return the GeoParquet ``geo`` metadata of a file whose ``geometry`` column is WKB.

    Examples
    --------
    >>> geo_metadata({"Point"}, [30.5, 50.4, 30.5, 50.4])["columns"]["geometry"]["encoding"]
    'WKB'
    """
    column = {"encoding": "WKB", "geometry_types": sorted(geometry_types)}
    if bbox is not None:
        column["bbox"] = [float(v) for v in bbox]
    return {
        "version": GEOPARQUET_VERSION,
        "primary_column": "geometry",
        "columns": {"geometry": column},
    }


def write_geoparquet(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write a GeoParquet file of ``events``: one row group per chunk, bounded in memory.

    The file's key-value metadata also carry ``conflictmap`` (the attribution, the data's
    date and the query) beside ``geo``.
    """
    import pyarrow.parquet as pq

    schema = attribute_schema()
    types: set[str] = set()
    bbox = None
    with scratch_folder() as folder:
        path = folder / "events.parquet"
        with pq.ParquetWriter(str(path), schema) as writer:
            for chunk in chunks(events):
                batch = event_batch(chunk, schema=schema)
                geoms = shapely.from_wkb(batch.column("geometry").to_numpy(zero_copy_only=False))
                present = geoms[~shapely.is_missing(geoms)]
                if len(present):
                    types.update(_TYPE_NAMES[t] for t in set(shapely.get_type_id(present)))
                    bounds = shapely.total_bounds(present)
                    bbox = (
                        bounds
                        if bbox is None
                        else [*map(min, bbox[:2], bounds[:2]), *map(max, bbox[2:], bounds[2:])]
                    )
                writer.write_batch(batch)
            about = {
                "description": contents_description(meta),
                "data_as_of": meta.get("data_as_of"),
                "gazetteer_version": meta.get("gazetteer_version"),
                "query": meta.get("query"),
            }
            writer.add_key_value_metadata(
                {
                    "geo": json.dumps(geo_metadata(types, bbox)),
                    "conflictmap": json.dumps(about, ensure_ascii=False, default=str),
                }
            )
        copy_file(path, out)
