"""Stage 7: exports. One registry of file formats, each writing a stream of events to a file.

Owns: the ``Format`` registry and ``write_events`` (``registry``: GeoJSON and CSV written as
text), the GIS formats written by GDAL through pyogrio (``gdal``: GeoPackage, FlatGeobuf and
what they share; ``shapefile``: zipped Shapefile; ``kml``: KML) or by Arrow (``parquet``:
GeoParquet), events as flat rows (``columns``) and as Arrow batches (``tables``), and readers
of event files (``readers``).
May import ``geo.events``, ``geo.common`` and ``geo.exc``; GDAL and Arrow are imported when a
format that needs them first writes.
"""

from geo.events.flat import COLUMN_TYPES, CSV_COLUMNS, flatten_event
from geo.formats.readers import read_events, read_geojson, read_records, record_error
from geo.formats.registry import (
    FORMATS,
    Format,
    default_meta,
    get_format,
    register_format,
    write_csv,
    write_events,
    write_geojson,
)

__all__ = [
    "COLUMN_TYPES",
    "CSV_COLUMNS",
    "FORMATS",
    "Format",
    "default_meta",
    "flatten_event",
    "get_format",
    "read_events",
    "read_geojson",
    "read_records",
    "record_error",
    "register_format",
    "write_csv",
    "write_events",
    "write_geojson",
]
