"""Read front lines from GeoJSON, KML/KMZ or GeoPackage files through GDAL (pyogrio)."""

from __future__ import annotations

import math
from pathlib import Path

from geo.exc import ValidationError
from geo.frontlines.model import GEOMETRY_TYPES, FrontLineVersion

__all__ = ["SUFFIXES", "read_front_lines"]

#: File kinds read, by suffix (GDAL picks the driver; these are the ones documented).
SUFFIXES = (".geojson", ".json", ".kml", ".kmz", ".gpkg")
#: Attributes of a KML placemark that say nothing about the area (LIBKML's columns).
_KML_NOISE = frozenset(
    "id timestamp begin end altitudeMode tessellate extrude visibility drawOrder icon "
    "snippet".split()
)
_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString")


def _error(path, message):
    return ValidationError(f"front-line file {str(path)!r}: {message}", field="file")


def _transformer(path, crs):
    """Return a function mapping the file's coordinates to lon/lat, or None for EPSG:4326."""
    if not crs or crs.upper() in ("EPSG:4326", "OGC:CRS84"):
        return None
    try:
        import numpy
        from pyproj import CRS, Transformer
        from pyproj.exceptions import CRSError
    except ImportError as err:  # pragma: no cover - pyproj is a dependency
        raise _error(path, f"its CRS is {crs!r} and pyproj is not installed") from err
    try:
        source = CRS.from_user_input(crs)
    except CRSError as err:
        raise _error(path, f"its CRS {crs!r} is not understood: {err}") from err
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    transform = Transformer.from_crs(source, "EPSG:4326", always_xy=True).transform

    def to_lonlat(coords):
        x, y = transform(coords[:, 0], coords[:, 1])
        return numpy.column_stack([x, y])

    return to_lonlat


def _parts(geom):
    """Yield the polygonal and linear parts of ``geom`` (collections are opened)."""
    import shapely

    kind = geom.geom_type
    if kind in GEOMETRY_TYPES:
        yield geom
    elif kind == "GeometryCollection":
        for part in shapely.get_parts(geom):
            yield from _parts(part)
    else:
        yield geom  # a point or other kind: the caller reports it


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bytes):
        return None
    if isinstance(value, int | float | bool | str):
        return value
    return str(value)


def read_front_lines(path, *, valid_from, source=None, skip_other=False):
    """Read every layer of a GeoJSON, KML/KMZ or GeoPackage file into a front-line version.

    Coordinates are brought to lon/lat (EPSG:4326) and to two dimensions; collections (KML
    MultiGeometry) are split into polygonal and linear features; invalid polygons are
    repaired (``shapely.make_valid``).

    Parameters
    ----------
    path : str or path-like
        The file (``.geojson``/``.json``, ``.kml``, ``.kmz``, ``.gpkg``).
    valid_from : date or str
        The date from which this version is in force.
    source : str, optional
        Who drew it; the file's stem when not given.
    skip_other : bool, default False
        Leave out features of other geometry types (points, say) instead of refusing the file.

    Returns
    -------
    tuple of (FrontLineVersion, dict)
        The version and a report: ``{"layers", "features", "skipped", "repaired"}``.

    Raises
    ------
    ValidationError
        Naming the file when it cannot be read, holds no front-line geometry, holds other
        geometry types (unless ``skip_other``), or has coordinates outside lon/lat ranges.
    """
    import pyogrio
    import shapely
    from pyogrio import raw
    from pyogrio.errors import DataLayerError, DataSourceError

    path = Path(path)
    if not path.is_file():
        raise _error(path, "no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise _error(path, f"expected a {', '.join(SUFFIXES)} file; got the suffix {path.suffix!r}")
    try:
        layers = [str(name) for name, _kind in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError, ValueError) as err:
        raise _error(path, f"GDAL cannot read it: {err}") from err
    features, skipped, repaired, other = [], 0, 0, {}
    for layer in layers:
        try:
            meta, _fids, geoms, values = raw.read(path, layer=layer)
        except (DataSourceError, DataLayerError, OSError, ValueError) as err:
            raise _error(path, f"GDAL cannot read layer {layer!r}: {err}") from err
        names = [str(n) for n in meta["fields"]]
        transform = _transformer(path, meta.get("crs"))
        for i, wkb in enumerate(geoms):
            if wkb is None:
                skipped += 1
                continue
            geom = shapely.force_2d(shapely.from_wkb(wkb))
            if transform is not None:
                geom = shapely.transform(geom, transform)
            attrs = {}
            for name, column in zip(names, values, strict=True):
                if name in _KML_NOISE:
                    continue
                value = _clean(column[i])
                if value not in (None, ""):
                    attrs[name] = value
            for part in _parts(geom):
                kind = part.geom_type
                if kind not in GEOMETRY_TYPES:
                    other[kind] = other.get(kind, 0) + 1
                    continue
                if part.is_empty:
                    skipped += 1
                    continue
                if kind in _POLYGONAL and not part.is_valid:
                    fixed = shapely.make_valid(part)
                    polys = [p for p in _parts(fixed) if p.geom_type in _POLYGONAL]
                    if not polys:
                        skipped += 1
                        continue
                    part = shapely.union_all(polys)
                    repaired += 1
                lo_x, lo_y, hi_x, hi_y = part.bounds
                if lo_x < -180 or hi_x > 180 or lo_y < -90 or hi_y > 90:
                    raise _error(
                        path,
                        f"layer {layer!r} has coordinates outside longitude -180..180 and "
                        f"latitude -90..90 ({part.bounds}); is its CRS declared?",
                    )
                props = dict(attrs)
                props["kind"] = "area" if part.geom_type in _POLYGONAL else "line"
                props.setdefault("layer", layer)
                name = props.pop("Name", None) or attrs.get("name")
                if name:
                    props["name"] = str(name)
                features.append(
                    {
                        "type": "Feature",
                        "geometry": shapely.geometry.mapping(part),
                        "properties": props,
                    }
                )
    if other and not skip_other:
        found = ", ".join(f"{n} {k}" for k, n in sorted(other.items()))
        raise _error(
            path,
            f"front lines must be {', '.join(GEOMETRY_TYPES)}; it also holds {found} "
            "(leave them out with --skip-other)",
        )
    if not features:
        raise _error(path, f"it holds no {', '.join(GEOMETRY_TYPES)} geometry")
    features = [_as_lists(f) for f in features]
    version = FrontLineVersion(
        source=source if source is not None else path.stem,
        valid_from=valid_from,
        features=tuple(features),
        file_name=path.name,
    )
    report = {
        "layers": layers,
        "features": len(features),
        "skipped": skipped + sum(other.values()),
        "repaired": repaired,
    }
    return version, report


def _as_lists(feature):
    """Return ``feature`` with tuples turned into lists and coordinates rounded to 1e-7°."""

    def fix(item):
        if isinstance(item, tuple | list):
            if item and isinstance(item[0], int | float):
                return [round(float(v), 7) for v in item]
            return [fix(v) for v in item]
        return item

    geometry = feature["geometry"]
    return {
        **feature,
        "geometry": {"type": geometry["type"], "coordinates": fix(geometry["coordinates"])},
    }
