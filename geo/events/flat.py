"""Events as flat rows: the columns of CSV and of every tabular export (GeoPackage, KML data).

Here rather than in ``geo.formats`` so that a store may keep each event's CSV line ready
(``csv_line``, ``CSV_LAYOUT``); the formats import it from here.
"""

from __future__ import annotations

import csv
import io
import json

from geo.events.model import COUNT_KINDS, Event

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

#: Version of the CSV line of an event (its columns and how each cell is written). Bump it
#: whenever ``CSV_COLUMNS``, ``flatten_fields`` or ``csv_cells`` changes what a line holds:
#: lines a store kept under another version are then made again from the event.
CSV_LAYOUT = 1


_SCALARS = (
    "event_id",
    "event_type",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "reported_at",
    "summary",
    "location_name",
    "name_in_text",
    "geonameid",
    "feature_code",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "actor1",
    "actor2",
    "claimed_by",
    "target",
    "status",
    "tags",
    "extraction",
    "gazetteer_version",
    "updated_at",
    "notes",
    "edited_fields",
)
_COUNT_COLUMNS = tuple(f"count_{k}_{p}" for k in COUNT_KINDS for p in ("low", "high", "best"))
#: Columns of the CSV export, in order (documented in data/CODEBOOK.md).
CSV_COLUMNS = (
    *_SCALARS,
    *_COUNT_COLUMNS,
    "counts",
    "source_count",
    "source_ids",
    "source_publishers",
    "source_urls",
    "sources",
    "geometry",
)
#: Columns holding JSON text (the full lists; ``geometry``: a GeoJSON geometry).
JSON_COLUMNS = frozenset({"counts", "sources", "geometry"})
#: Column types for typed outputs (GeoPackage); the rest are TEXT.
COLUMN_TYPES = {
    "geonameid": "INTEGER",
    "latitude": "REAL",
    "longitude": "REAL",
    "source_count": "INTEGER",
    **{c: "INTEGER" for c in _COUNT_COLUMNS},
}
_NUMERIC = {name for name, kind in COLUMN_TYPES.items() if kind in ("INTEGER", "REAL")}


def _pipe(values):
    return "|".join(str(v).replace("|", "/") for v in values if v not in (None, ""))


def flatten_event(event: Event) -> dict:
    """Return the event as one flat row keyed by ``CSV_COLUMNS``.

    Counts become ``count_<kind>_low/high/best`` (several counts of one kind: the smallest
    low, the largest high, the first best); ``counts`` and ``sources`` keep the full lists as
    JSON; ``source_ids``/``source_publishers``/``source_urls`` are pipe-joined (a "|" inside a
    value is written as "/"); ``tags`` and ``edited_fields`` are pipe-joined; ``geometry`` is
    the area geometry as GeoJSON text (empty for point events). Missing values are None.
    """
    return flatten_fields(event.to_dict())


def flatten_fields(data: dict) -> dict:
    """Return ``flatten_event`` of the event whose ``to_dict()`` is ``data``.

    ``data`` may also be the properties of the event's GeoJSON Feature with ``geometry`` set
    to the event's own geometry (None for a point): what a store's Feature texts hold, so
    that tabular exports need not rebuild each event.
    """
    row = {name: data[name] for name in _SCALARS}
    row["tags"] = _pipe(data["tags"]) or None
    row["edited_fields"] = _pipe(data["edited_fields"]) or None
    counts, sources = data["counts"], data["sources"]
    for count in counts:
        prefix = f"count_{count['kind']}_"
        for part, pick in (("low", min), ("high", max)):
            value = count[part]
            if value is not None:
                old = row.get(prefix + part)
                row[prefix + part] = value if old is None else pick(old, value)
        if count["best"] is not None and row.get(prefix + "best") is None:
            row[prefix + "best"] = count["best"]
    for column in _COUNT_COLUMNS:
        row.setdefault(column, None)
    row["counts"] = json.dumps(counts, ensure_ascii=False) if counts else None
    row["source_count"] = len(sources)
    row["source_ids"] = _pipe(s["source_id"] for s in sources) or None
    row["source_publishers"] = _pipe(s["publisher"] for s in sources) or None
    row["source_urls"] = _pipe(s["url"] for s in sources) or None
    row["sources"] = json.dumps(sources, ensure_ascii=False) if sources else None
    geometry = data.get("geometry")
    row["geometry"] = json.dumps(geometry) if geometry else None
    return row


_FORMULA_START = ("=", "+", "-", "@")


def csv_cells(row: dict) -> list:
    """Return the cells of a flat row in ``CSV_COLUMNS`` order, as the CSV export writes them.

    None is empty; a text cell that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading
    apostrophe, so that spreadsheets show it instead of evaluating it as a formula.
    """
    cells = []
    for name in CSV_COLUMNS:
        value = row[name]
        if value is None:
            value = ""
        elif name not in _NUMERIC and isinstance(value, str) and value.startswith(_FORMULA_START):
            value = "'" + value
        cells.append(value)
    return cells


def csv_line(row: dict) -> str:
    """Return the CSV line (with its ``\\r\\n``) of a flat row (``flatten_fields``)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_cells(row))
    return buffer.getvalue()
