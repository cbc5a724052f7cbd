"""Zipped ESRI Shapefiles of events, written by GDAL through pyogrio.

A Shapefile holds one geometry type and 10-character field names, so the export is a zip of
``events`` (points), ``event_areas`` (polygons), ``event_lines`` and the ``event_sources``
table, with the long column names shortened (``SHAPEFILE_NAMES``, listed in the codebook).
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

import pyarrow as pa
import shapely

from geo.events.flat import flatten_event
from geo.events.model import COUNT_KINDS, Event
from geo.formats.gdal import Spool, contents_description, copy_file, scratch_folder, write_layer
from geo.formats.tables import (
    attribute_schema,
    chunks,
    event_batch,
    geometry_of,
    source_batch,
    source_schema,
)

__all__ = ["SHAPEFILE_NAMES", "write_shapefile_zip"]

_SHORT_KINDS = {
    "killed": "kill",
    "wounded": "wound",
    "killed_or_wounded": "kow",
    "captured": "capt",
    "deployed": "depl",
    "missing": "miss",
    "displaced": "displ",
}
_SHORT_PARTS = {"low": "lo", "high": "hi", "best": "best"}
#: Shapefile field names (10 characters at most) of the columns whose name is longer.
SHAPEFILE_NAMES = {
    "date_precision": "date_prec",
    "reported_at": "reported",
    "location_name": "location",
    "name_in_text": "name_in_tx",
    "feature_code": "feat_code",
    "country_code": "country",
    "geo_precision": "geo_prec",
    "gazetteer_version": "gaz_versn",
    "edited_fields": "edited",
    "source_count": "n_sources",
    "source_publishers": "publishers",
    "source_urls": "urls",
    "source_ids": "source_ids",
    **{
        f"count_{kind}_{part}": f"{_SHORT_KINDS[kind]}_{_SHORT_PARTS[part]}"
        for kind in COUNT_KINDS
        for part in _SHORT_PARTS
    },
}
_SHAPEFILE_SOURCE_NAMES = {"published_at": "published", "published_precision": "pub_prec"}


def _parts_of(event, dimension):
    """Return the parts of the event's area of one dimension (2 areas, 1 lines), or None."""
    if not event.geometry:
        return None
    parts = [
        g for g in shapely.get_parts(geometry_of(event)) if shapely.get_dimensions(g) == dimension
    ]
    if not parts:
        return None
    if dimension == 2:
        return shapely.MultiPolygon([p for g in parts for p in shapely.get_parts(g)])
    return shapely.MultiLineString([p for g in parts for p in shapely.get_parts(g)])


def _point_of(event):
    if event.latitude is None or event.longitude is None:
        return None
    return shapely.Point(event.longitude, event.latitude)


def write_shapefile_zip(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write a zip of Shapefiles: ``events`` (points), ``event_areas``, ``event_lines`` and the
    ``event_sources`` table (a .dbf).

    Every event is in ``events`` at its representative point (a null shape when it has no
    location); events with an area are also in ``event_areas`` (polygons) or ``event_lines``
    with the same columns. Column names longer than 10 characters are shortened
    (``SHAPEFILE_NAMES``); text longer than 254 bytes is cut there (the Shapefile limit:
    the other formats carry it whole).
    """
    schema = attribute_schema(names=SHAPEFILE_NAMES)
    names = dict(zip(source_schema().names, source_schema().names, strict=True))
    names.update(_SHAPEFILE_SOURCE_NAMES)
    sources_schema = pa.schema([f.with_name(names[f.name]) for f in source_schema()])
    with scratch_folder() as folder:
        shp = folder / "shp"
        shp.mkdir()
        areas = Spool(folder / "areas.arrows", schema)
        lines = Spool(folder / "lines.arrows", schema)
        sources = Spool(folder / "sources.arrows", sources_schema)

        def batches():
            for chunk in chunks(events):
                rows = [flatten_event(e) for e in chunk]
                for spool, dimension in ((areas, 2), (lines, 1)):
                    keep = [i for i, e in enumerate(chunk) if _parts_of(e, dimension)]
                    spool.write(
                        event_batch(
                            [chunk[i] for i in keep],
                            rows=[rows[i] for i in keep],
                            schema=schema,
                            geometry=lambda e, d=dimension: _parts_of(e, d),
                        )
                    )
                sources.write(source_batch(chunk).rename_columns(sources_schema.names))
                yield event_batch(chunk, rows=rows, schema=schema, geometry=_point_of)

        options = {"driver": "ESRI Shapefile", "layer_options": {"RESIZE": "NO"}}
        with warnings.catch_warnings():
            # Text beyond 254 bytes is cut, as documented; GDAL warns once per layer.
            warnings.filterwarnings("ignore", message=".*has been truncated to 254")
            write_layer(
                batches(), shp / "events.shp", schema=schema, layer="events",
                geometry_type="Point", **options,
            )  # fmt: skip
            for name, spool, kind in (
                ("event_areas", areas, "MultiPolygon"),
                ("event_lines", lines, "MultiLineString"),
                ("event_sources", sources, None),
            ):
                suffix = ".shp" if kind else ".dbf"
                write_layer(
                    spool.reader(), shp / (name + suffix), schema=spool.schema, layer=name,
                    geometry_type=kind, **options,
                )  # fmt: skip
        path = folder / "events.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in sorted(shp.iterdir()):
                archive.write(member, member.name)
            if meta.get("attribution") or meta.get("data_as_of"):
                archive.writestr("README.txt", contents_description(meta) + "\n")
        copy_file(path, out)
