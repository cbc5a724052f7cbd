"""Export formats and file readers: one registry of writers, each streaming events to a file.

Owns: the ``Format`` registry (GeoJSON, CSV, GeoPackage, KML), flat rows of events
(``columns``) and readers of event files (``readers``). May import ``geo.events`` and
``geo.common``; the gazetteer only for its attribution and version.
"""

from geo.formats.columns import COLUMN_TYPES, CSV_COLUMNS, flatten_event
from geo.formats.readers import read_events, read_geojson, read_records, record_error
from geo.formats.registry import (
    FORMATS,
    Format,
    default_meta,
    get_format,
    register_format,
    write_csv,
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
    "write_geojson",
]
