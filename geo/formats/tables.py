"""Events as Arrow record batches, chunk by chunk: what GDAL (and Parquet) are given to write.

Every file format written through GDAL takes the same attribute columns as the CSV export
(``geo.events.flat``), typed (integers, reals, text), plus one geometry column of ISO WKB.
Events are read from their stream ``CHUNK_EVENTS`` at a time, so that no writer ever holds
more than one chunk of events, rows and geometries in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import pyarrow as pa
import shapely
from shapely.geometry import shape

from geo.events.flat import COLUMN_TYPES, CSV_COLUMNS, flatten_event
from geo.events.model import Event, Source

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "CHUNK_EVENTS",
    "SOURCE_FIELDS",
    "attribute_schema",
    "chunks",
    "event_batch",
    "geometry_of",
    "source_batch",
    "source_schema",
]

#: Events per chunk (one Arrow record batch, one GDAL write).
CHUNK_EVENTS = 2000
#: The attribute columns of every tabular format: the CSV's, without its GeoJSON text.
ATTRIBUTE_COLUMNS = tuple(c for c in CSV_COLUMNS if c != "geometry")
#: The columns of the one-row-per-source table (after ``event_id``): the fields of ``Source``.
SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(Source))
_ARROW_TYPES = {"INTEGER": pa.int64(), "REAL": pa.float64()}


def _arrow_type(column):
    return _ARROW_TYPES.get(COLUMN_TYPES.get(column, "TEXT"), pa.string())


def attribute_schema(columns=ATTRIBUTE_COLUMNS, *, names=None, geometry="geometry") -> pa.Schema:
    """Return the Arrow schema of event rows: ``columns`` typed, then the WKB ``geometry``.

    ``names`` maps a column to the name it gets in the file (Shapefile's 10 characters).
    ``geometry=None`` leaves the geometry column out.
    """
    names = names or {}
    fields = [pa.field(names.get(c, c), _arrow_type(c)) for c in columns]
    if geometry:
        fields.append(pa.field(geometry, pa.binary()))
    return pa.schema(fields)


def source_schema() -> pa.Schema:
    """Return the Arrow schema of the sources table: ``event_id`` and ``SOURCE_FIELDS``."""
    types = {f.name: f.type for f in dataclasses.fields(Source)}
    return pa.schema(
        [pa.field("event_id", pa.string())]
        + [
            pa.field(f, pa.int64() if "int" in str(types[f]) else pa.string())
            for f in SOURCE_FIELDS
        ]
    )


def chunks(events: Iterable, size: int = CHUNK_EVENTS) -> Iterator[list]:
    """Yield lists of at most ``size`` items of ``events``, reading it lazily."""
    iterator = iter(events)
    while chunk := list(islice(iterator, size)):
        yield chunk


def geometry_of(event: Event, *, with_point: bool = False):
    """Return the shapely geometry an event is drawn with, or None when it has no location.

    The area (``event.geometry``) when there is one, else the representative point. With
    ``with_point``, an area comes with its representative point in one GeometryCollection
    (the layout of KML, where a pin marks the area).
    """
    point = None
    if event.latitude is not None and event.longitude is not None:
        point = shapely.Point(event.longitude, event.latitude)
    if not event.geometry:
        return point
    area = shape(event.geometry)
    if not with_point or point is None:
        return area
    return shapely.GeometryCollection([point, *shapely.get_parts(area)])


def event_batch(
    events: list[Event],
    *,
    schema: pa.Schema,
    columns=ATTRIBUTE_COLUMNS,
    geometry: Callable[[Event], object] | None = geometry_of,
    rows: list[dict] | None = None,
) -> pa.RecordBatch:
    """Return one record batch of ``events`` laid out as ``schema``.

    Parameters
    ----------
    events : list of Event
        One chunk.
    schema : pyarrow.Schema
        From :func:`attribute_schema` with the same ``columns`` (and geometry or not).
    columns : sequence of str
        The ``flatten_event`` columns written, in the order of ``schema``.
    geometry : callable, optional
        ``geometry(event)`` gives the shapely geometry (or None) of the last column; None
        when ``schema`` has no geometry column.
    rows : list of dict, optional
        ``flatten_event`` of each event, when the caller already has them.
    """
    rows = rows if rows is not None else [flatten_event(e) for e in events]
    arrays = [
        pa.array([row[c] for row in rows], type=schema.field(i).type) for i, c in enumerate(columns)
    ]
    if geometry is not None:
        wkb = shapely.to_wkb([geometry(e) for e in events], flavor="iso")
        arrays.append(pa.array(wkb, type=pa.binary()))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def source_batch(events: list[Event]) -> pa.RecordBatch:
    """Return the sources of ``events`` as one batch of the sources table, in event order."""
    rows = [(e.event_id, s) for e in events for s in e.sources]
    schema = source_schema()
    arrays = [pa.array([event_id for event_id, _ in rows], type=pa.string())]
    for i, name in enumerate(SOURCE_FIELDS, start=1):
        arrays.append(pa.array([getattr(s, name) for _, s in rows], type=schema.field(i).type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
