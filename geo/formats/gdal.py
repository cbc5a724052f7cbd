"""File formats written by GDAL through pyogrio (GeoPackage, FlatGeobuf), and the machinery
every GDAL-written format shares (``write_layer``, ``Spool``, scratch folders).

Each writer streams the events into GDAL as Arrow record batches (``geo.formats.tables``),
one chunk at a time, through one open dataset (``pyogrio.write_arrow``), so memory stays
bounded whatever the number of events. Tables other than the first (the sources, the
Shapefile's areas and lines) are spooled to a temporary Arrow file while the first is
written, then written from it. GDAL writes to a temporary folder; the finished file is
then copied to ``out``.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from geo.events.model import Event
from geo.exc import ExportError
from geo.formats.tables import (
    attribute_schema,
    chunks,
    event_batch,
    source_batch,
    source_schema,
)

__all__ = [
    "FLATGEOBUF_INDEX_MAX_BYTES",
    "Spool",
    "contents_description",
    "copy_file",
    "scratch_folder",
    "write_flatgeobuf",
    "write_gpkg",
    "write_layer",
]

#: Coordinates of every written layer: WGS 84 longitude/latitude.
CRS = "EPSG:4326"


@contextlib.contextmanager
def scratch_folder(prefix: str = "conflictmap-export-") -> Iterator[Path]:
    """Yield a temporary folder for GDAL's files, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def copy_file(path: Path, out: BinaryIO) -> None:
    """Copy the finished file at ``path`` to the binary stream ``out`` in 1 MiB pieces."""
    with path.open("rb") as handle:
        shutil.copyfileobj(handle, out, 1 << 20)


class Spool:
    """Record batches kept in a temporary Arrow stream file until they are written.

    Examples
    --------
    >>> import tempfile
    >>> schema = pa.schema([pa.field("n", pa.int64())])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     spool = Spool(Path(d) / "n.arrows", schema)
    ...     spool.write(pa.record_batch([pa.array([1, 2])], schema=schema))
    ...     spool.reader().read_all().num_rows
    2
    """

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = Path(path)
        self.schema = schema
        self._sink = pa.OSFile(str(self.path), "wb")
        self._writer = pa.ipc.new_stream(self._sink, schema)
        self.rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        """Append ``batch`` (skipped when empty)."""
        if batch.num_rows:
            self._writer.write_batch(batch)
            self.rows += batch.num_rows

    def reader(self) -> pa.RecordBatchReader:
        """Close the file and return a reader of its batches (read one at a time)."""
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            self._writer = None
        return pa.ipc.open_stream(pa.OSFile(str(self.path), "rb"))


class _Feed:
    """Iterate ``batches`` for GDAL and keep any error they raise.

    GDAL reports a failing Arrow stream as its own error; ``error`` keeps the original
    (a store error, say), which :func:`write_layer` raises instead.
    """

    def __init__(self, batches: Iterable[pa.RecordBatch]):
        self._batches = batches
        self.error: BaseException | None = None

    def __iter__(self):
        try:
            yield from self._batches
        except BaseException as err:
            self.error = err
            raise


def write_layer(
    batches: Iterable[pa.RecordBatch] | pa.RecordBatchReader,
    path: Path,
    *,
    schema: pa.Schema,
    driver: str,
    layer: str,
    geometry_type: str | None,
    append: bool = False,
    **options,
) -> None:
    """Write record batches as one layer of the GDAL dataset at ``path``, in one pass.

    Parameters
    ----------
    batches : iterable of pyarrow.RecordBatch, or pyarrow.RecordBatchReader
        Laid out as ``schema``; a geometry column, if any, is the last one (ISO WKB).
    path : Path
        The dataset (created, or added to with ``append``).
    schema : pyarrow.Schema
        The batches' schema.
    driver, layer : str
        GDAL driver short name and layer name.
    geometry_type : str or None
        The layer's geometry type ("Unknown" for mixed types); None for a table.
    append : bool, default False
        Add the layer to an existing dataset.
    **options
        ``dataset_options`` and ``layer_options`` dicts, passed to GDAL.

    Raises
    ------
    ExportError
        When GDAL cannot write the layer; an error raised by the batches is raised as is.
    """
    import pyogrio

    source = _Feed(batches)
    reader = pa.RecordBatchReader.from_batches(schema, iter(source))
    geometry = schema.field(len(schema) - 1).name if geometry_type else None
    try:
        pyogrio.write_arrow(
            reader,
            str(path),
            layer=layer,
            driver=driver,
            geometry_name=geometry,
            geometry_type=geometry_type,
            crs=CRS if geometry_type else None,
            encoding="UTF-8" if driver == "ESRI Shapefile" else None,
            append=append,
            **options,
        )
    except Exception as err:
        if source.error is not None:
            raise source.error from None
        raise ExportError(f"GDAL could not write the {driver} layer {layer!r}: {err}") from err
    if source.error is not None:  # pragma: no cover - GDAL stopped reading without an error
        raise source.error


def contents_description(meta: dict) -> str:
    """Return the attribution and "Data as of ..." sentence files carry in their metadata."""
    parts = [str(meta["attribution"])] if meta.get("attribution") else []
    if meta.get("data_as_of"):
        parts.append(f"Data as of {meta['data_as_of']}.")
    return " ".join(parts)


# -- GeoPackage -------------------------------------------------------------------------------


def write_gpkg(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write a GeoPackage 1.3: an ``events`` feature table and an ``event_sources`` table.

    ``events`` holds the CSV columns (``ATTRIBUTE_COLUMNS``, typed) and the ``geom`` column
    (the area, else the point; spatial index included); ``event_sources`` one row per source
    of each event (join on ``event_id``). ``gpkg_contents`` describes the events with the
    attribution and the data's date.
    """
    schema = attribute_schema(geometry="geom")
    with scratch_folder() as folder:
        path = folder / "events.gpkg"
        sources = Spool(folder / "sources.arrows", source_schema())

        def batches():
            for chunk in chunks(events):
                sources.write(source_batch(chunk))
                yield event_batch(chunk, schema=schema)

        write_layer(
            batches(),
            path,
            schema=schema,
            driver="GPKG",
            layer="events",
            geometry_type="Unknown",
            dataset_options={"VERSION": "1.3"},
            layer_options={
                "FID": "fid",
                "IDENTIFIER": "conflictmap events",
                "DESCRIPTION": contents_description(meta),
            },
        )
        write_layer(
            sources.reader(),
            path,
            schema=sources.schema,
            driver="GPKG",
            layer="event_sources",
            geometry_type=None,
            append=True,
            layer_options={
                "FID": "id",
                "IDENTIFIER": "conflictmap event sources",
                "DESCRIPTION": "One row per source of each event (join on event_id).",
            },
        )
        copy_file(path, out)


# -- FlatGeobuf -------------------------------------------------------------------------------


#: Largest export (its Arrow spool, in bytes) that gets a FlatGeobuf spatial index: GDAL
#: holds every feature in memory while it builds the index.
FLATGEOBUF_INDEX_MAX_BYTES = 64 << 20


def write_flatgeobuf(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write a FlatGeobuf file of the events: CSV columns, the area else the point.

    Sources are in the ``sources`` column (JSON), as in the CSV export. The events are
    spooled to a temporary Arrow file first, then written with a spatial index when every
    event has a location (FlatGeobuf's index cannot hold a feature without geometry, and
    every matching event is exported) and the export is at most
    ``FLATGEOBUF_INDEX_MAX_BYTES`` (GDAL keeps the features in memory to build the index):
    memory stays bounded either way.
    """
    schema = attribute_schema()
    with scratch_folder() as folder:
        spool = Spool(folder / "events.arrows", schema)
        unplaced = 0
        for chunk in chunks(events):
            batch = event_batch(chunk, schema=schema)
            unplaced += batch.column("geometry").null_count
            spool.write(batch)
        reader = spool.reader()
        indexed = not unplaced and spool.path.stat().st_size <= FLATGEOBUF_INDEX_MAX_BYTES
        path = folder / "events.fgb"
        write_layer(
            reader,
            path,
            schema=schema,
            driver="FlatGeobuf",
            layer="events",
            geometry_type="Unknown",
            layer_options={
                "SPATIAL_INDEX": "YES" if indexed else "NO",
                "TITLE": "conflictmap events",
                "DESCRIPTION": contents_description(meta),
            },
        )
        copy_file(path, out)
