"""Events as flat rows: the columns of CSV and of every tabular export (``geo.events.flat``)."""

from geo.events.flat import (
    COLUMN_TYPES,
    CSV_COLUMNS,
    CSV_LAYOUT,
    JSON_COLUMNS,
    csv_cells,
    csv_line,
    flatten_event,
    flatten_fields,
)

__all__ = [
    "COLUMN_TYPES",
    "CSV_COLUMNS",
    "CSV_LAYOUT",
    "JSON_COLUMNS",
    "csv_cells",
    "csv_line",
    "flatten_event",
    "flatten_fields",
]
