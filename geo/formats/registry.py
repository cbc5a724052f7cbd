"""Export formats for events in one registry, and the one function that writes any of them.

Every writer has the signature ``write(events, out, *, meta)``: ``events`` is any iterable of
``Event`` (a store query streams them), ``out`` a binary file object, and ``meta`` a dict with
``data_as_of``, ``gazetteer_version``, ``attribution`` and ``query`` (the filters used). Writers
stream: they never hold every event in memory. GeoJSON and CSV are text written here; the
GIS formats are written by GDAL (GeoPackage, FlatGeobuf: ``gdal``; zipped Shapefile:
``shapefile``; KML: ``kml``) or Arrow (GeoParquet: ``parquet``), a chunk of events at a
time. The built-in formats are registered with ``register_format`` exactly as a third-party
format would be.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from geo.common.attribution import ATTRIBUTION
from geo.common.paths import GAZETTEER_DATA
from geo.events.flat import CSV_COLUMNS, csv_cells, flatten_event, flatten_fields
from geo.events.model import Event
from geo.exc import ValidationError

__all__ = [
    "FORMATS",
    "Format",
    "default_meta",
    "get_format",
    "register_format",
    "write_csv",
    "write_events",
    "write_geojson",
]


@dataclass(frozen=True)
class Format:
    """An export format: its name, media type, file extension and streaming writer.

    ``write(events, out, *, meta)`` writes ``events`` to the binary file ``out``. A writer
    with ``takes_features`` also takes, in place of Events, their GeoJSON Feature JSON texts
    as ``SQLiteStore.query_features`` yields them; one with ``takes_csv_lines`` takes each
    event's CSV line (``EventStore.query_csv_lines``) instead (see :func:`events_for`).
    ``label`` is the name people know it by (the viewer's download menu); it defaults to
    ``name``.
    """

    name: str
    media_type: str
    extension: str
    write: Callable[..., None]
    description: str = ""
    takes_features: bool = False
    label: str = ""
    takes_csv_lines: bool = False

    def __post_init__(self):
        if not self.label:
            object.__setattr__(self, "label", self.name)

    def events_for(self, store, query):
        """Return what ``write`` should get for ``query``: Feature texts when both the
        writer and the store can (no decoding of stored events), else Events."""
        if self.takes_features:
            return store.query_features(query)
        if self.takes_csv_lines:
            return store.query_csv_lines(query)
        return store.query(query)


#: Registered formats by name ("geojson", "csv", "gpkg", "kml", and any added later).
FORMATS: dict[str, Format] = {}


def register_format(fmt: Format, *, replace: bool = False) -> Format:
    """Add ``fmt`` to ``FORMATS`` and return it.

    Parameters
    ----------
    fmt : Format
        The format to register; its ``name`` is the key (and the CLI/API format name).
    replace : bool, default False
        Whether an existing format of the same name may be replaced.

    Raises
    ------
    ValueError
        When the name is taken and ``replace`` is false.

    Examples
    --------
    >>> def write_ids(events, out, *, meta):
    ...     out.writelines(e.event_id.encode() + b"\\n" for e in events)
    >>> register_format(Format("ids", "text/plain", ".txt", write_ids)).name
    'ids'
    >>> del FORMATS["ids"]
    """
    if not isinstance(fmt, Format):
        raise TypeError(f"register_format takes a Format; got {type(fmt).__name__}")
    if fmt.name in FORMATS and not replace:
        raise ValueError(f"format {fmt.name!r} is already registered; pass replace=True")
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> Format:
    """Return the registered format called ``name``.

    Raises
    ------
    ValidationError
        Naming the format and listing the registered ones.
    """
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        raise ValidationError(
            f"format must be one of {', '.join(sorted(FORMATS))}; got {name!r}", field="format"
        ) from None


def write_events(events: Iterable, out: BinaryIO, fmt: str | Format, *, meta: dict) -> None:
    """Write a stream of events to ``out`` in any registered format, bounded in memory.

    Parameters
    ----------
    events : iterable of Event
        Read once, lazily (a store query streams them); Feature JSON texts too when the
        format ``takes_features``.
    out : binary file object
        Where the file goes (written as it is made, or copied once GDAL has finished it).
    fmt : str or Format
        A name of ``FORMATS`` ("geojson", "csv", "gpkg", "kml", "parquet", "fgb", "shp").
    meta : dict
        ``data_as_of``, ``attribution``, ``gazetteer_version``, ``query``
        (see :func:`default_meta`).

    Raises
    ------
    ValidationError
        When ``fmt`` is not a registered format.
    ExportError
        When GDAL cannot write the file.

    Examples
    --------
    >>> import io
    >>> out = io.BytesIO()
    >>> write_events([], out, "csv", meta={})
    >>> out.getvalue().decode().split(",")[:2]
    ['event_id', 'event_type']
    """
    fmt = fmt if isinstance(fmt, Format) else get_format(fmt)
    fmt.write(events, out, meta=meta)


def default_meta(**meta) -> dict:
    """Return export metadata with the attribution and gazetteer version filled in if missing.

    Examples
    --------
    >>> "GeoNames" in default_meta(data_as_of="2025-01-12T00:00:00Z")["attribution"]
    True
    """
    if not meta.get("attribution"):
        meta["attribution"] = ATTRIBUTION
    if not meta.get("gazetteer_version"):
        meta["gazetteer_version"] = _gazetteer_version()
    return meta


def _gazetteer_version():
    """Return the committed gazetteer's version from its manifest, without loading the index."""
    try:
        manifest = json.loads((GAZETTEER_DATA / "manifest.json").read_text("utf-8"))
        return manifest.get("version")
    except (OSError, ValueError):
        return None


# -- GeoJSON ---------------------------------------------------------------------------------

_COMPACT = (",", ":")


def write_geojson(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write an RFC 7946 FeatureCollection, one feature per line, streaming.

    Top-level foreign members carry ``data_as_of``, ``attribution``, ``gazetteer_version``
    and ``query``; each feature's properties hold every event field, including all sources.
    ``events`` may hold, instead of Events, their Feature JSON texts (written as they are).
    """
    head = {"type": "FeatureCollection"}
    for key in ("data_as_of", "attribution", "gazetteer_version", "query"):
        if meta.get(key) is not None:
            head[key] = meta[key]
    text = json.dumps(head, ensure_ascii=False, default=str)
    out.write(text[:-1].encode("utf-8") + b', "features": [')
    separator = b"\n"
    for event in events:
        out.write(separator)
        if not isinstance(event, str):  # an Event, not a Feature's JSON text
            event = json.dumps(event.to_feature(), ensure_ascii=False, separators=_COMPACT)
        out.write(event.encode("utf-8"))
        separator = b",\n"
    out.write(b"\n]}\n")


# -- CSV -------------------------------------------------------------------------------------

#: Rows buffered before a write to ``out`` (the output streams in chunks of this many rows).
_CSV_ROWS_PER_WRITE = 200
#: Kept for callers of the former name.
_csv_row = csv_cells


def write_csv(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write UTF-8 CSV with a header row of ``CSV_COLUMNS``, one row per event, streaming.

    Rows are written to ``out`` in chunks of ``_CSV_ROWS_PER_WRITE``. A text cell that starts
    with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe so that spreadsheets show it
    instead of evaluating it as a formula. ``events`` may hold, instead of Events, their
    field mappings (``EventStore.query_fields``) or their CSV lines ready-made
    (``EventStore.query_csv_lines``: ``csv_line`` of the same row), written as they are.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    pending = 1
    for event in events:
        if isinstance(event, str):
            buffer.write(event)
        else:
            row = flatten_fields(event) if isinstance(event, dict) else flatten_event(event)
            writer.writerow(csv_cells(row))
        pending += 1
        if pending >= _CSV_ROWS_PER_WRITE:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    out.write(buffer.getvalue().encode("utf-8"))


# -- registry of the built-in formats --------------------------------------------------------


def _deferred(module: str, name: str) -> Callable[..., None]:
    """Return a writer that imports ``module`` (GDAL, Arrow) only when it first writes."""

    def write(events, out, *, meta):
        return getattr(importlib.import_module(module), name)(events, out, meta=meta)

    write.__name__ = write.__qualname__ = name
    write.__doc__ = f"Call ``{module}.{name}`` (imported on first use)."
    return write


write_gpkg = _deferred("geo.formats.gdal", "write_gpkg")
write_flatgeobuf = _deferred("geo.formats.gdal", "write_flatgeobuf")
write_shapefile_zip = _deferred("geo.formats.shapefile", "write_shapefile_zip")
write_kml = _deferred("geo.formats.kml", "write_kml")
write_geoparquet = _deferred("geo.formats.parquet", "write_geoparquet")


register_format(
    Format(
        "geojson",
        "application/geo+json",
        ".geojson",
        write_geojson,
        "RFC 7946 GeoJSON",
        takes_features=True,
        label="GeoJSON",
    )
)
register_format(
    Format(
        "csv",
        "text/csv; charset=utf-8",
        ".csv",
        write_csv,
        "CSV, one row per event",
        label="CSV",
        takes_csv_lines=True,
    )
)
register_format(
    Format(
        "gpkg",
        "application/geopackage+sqlite3",
        ".gpkg",
        write_gpkg,
        "OGC GeoPackage 1.3 (events and their sources), written by GDAL",
        label="GeoPackage",
    )
)
register_format(
    Format(
        "kml",
        "application/vnd.google-earth.kml+xml",
        ".kml",
        write_kml,
        "KML 2.2, written by GDAL (LIBKML)",
        label="KML",
    )
)
register_format(
    Format(
        "parquet",
        "application/vnd.apache.parquet",
        ".parquet",
        write_geoparquet,
        "GeoParquet 1.1",
        label="GeoParquet",
    )
)
register_format(
    Format(
        "fgb",
        "application/flatgeobuf",
        ".fgb",
        write_flatgeobuf,
        "FlatGeobuf, written by GDAL",
        label="FlatGeobuf",
    )
)
register_format(
    Format(
        "shp",
        "application/zip",
        ".shp.zip",
        write_shapefile_zip,
        "Zipped ESRI Shapefiles (points, areas, lines, sources), written by GDAL",
        label="Shapefile (zip)",
    )
)
