"""GeoJSON geometries of events: checked positions and RFC 7946 ring winding, checked once."""

from __future__ import annotations

import math
from typing import Any

from geo.common.cache import bounded_put
from geo.common.excerpt import excerpt
from geo.exc import ValidationError

__all__ = [
    "MAX_COLLECTION_DEPTH",
    "MAX_PARTS",
    "MAX_POSITIONS",
    "geometry_bounds",
    "rfc7946_geometry",
    "trust_geometry",
]

#: GeometryCollections nested in one another, at most (RFC 7946 advises against any).
MAX_COLLECTION_DEPTH = 4
#: Positions in one event's geometry, at most (the gazetteer's largest outline has ~17,000).
MAX_POSITIONS = 200_000
#: Geometries, lines, polygons and rings in one event's geometry, at most.
MAX_PARTS = 20_000
#: How deep coordinates of each type nest: a Point's are a position (1), a LineString's a
#: list of positions (2), and so on.
_COORD_DEPTH = {"Point": 1, "MultiPoint": 2, "LineString": 2, "MultiLineString": 3,
                "Polygon": 3, "MultiPolygon": 4}  # fmt: skip


_NUMBER = (float, int)  # exact types: a bool is not a coordinate


def _position(value):
    if type(value) in (list, tuple) and len(value) in (2, 3):
        lon, lat = value[0], value[1]
        if (
            type(lon) in _NUMBER
            and type(lat) in _NUMBER
            and -180 <= lon <= 180
            and -90 <= lat <= 90
            and (len(value) == 2 or (type(value[2]) in _NUMBER and math.isfinite(value[2])))
        ):
            return [float(lon), float(lat)]
    raise ValidationError(
        f"geometry positions must be [lon, lat] (or [lon, lat, height]) in degrees; got "
        f"{excerpt(value)}",
        field="geometry",
    )


def _too_big():
    return ValidationError(
        f"an event's geometry holds at most {MAX_POSITIONS:,} positions in {MAX_PARTS:,} "
        "parts; this one holds more",
        field="geometry",
    )


def _check_size(geometry):
    """Refuse, without recursion, a geometry nested or sized beyond what exports can write.

    Raises
    ------
    ValidationError
        When GeometryCollections nest deeper than ``MAX_COLLECTION_DEPTH``, or there are
        more than ``MAX_POSITIONS`` positions or ``MAX_PARTS`` parts. Coordinates nested
        deeper than their type allows are refused later, as malformed positions.
    """
    positions = parts = 0
    stack = [(geometry, 0)]
    while stack:
        geom, depth = stack.pop()
        parts += 1
        if parts > MAX_PARTS:
            raise _too_big()
        if not isinstance(geom, dict):
            raise ValidationError(
                f"geometry must be a GeoJSON geometry object; got {excerpt(geom)}",
                field="geometry",
            )
        if geom.get("type") == "GeometryCollection":
            if depth >= MAX_COLLECTION_DEPTH:
                raise ValidationError(
                    f"GeometryCollections nest at most {MAX_COLLECTION_DEPTH} deep in an "
                    "event's geometry; this one nests deeper",
                    field="geometry",
                )
            members = geom.get("geometries")
            if isinstance(members, list | tuple):
                if parts + len(members) > MAX_PARTS:
                    raise _too_big()
                stack.extend((g, depth + 1) for g in members)
            continue
        coords = [(geom.get("coordinates"), _COORD_DEPTH.get(geom.get("type"), 1))]
        while coords:
            part, level = coords.pop()
            if level <= 1 or not isinstance(part, list | tuple):
                positions += 1
                if positions > MAX_POSITIONS:
                    raise _too_big()
                continue
            parts += 1
            if parts > MAX_PARTS or len(part) > MAX_POSITIONS:
                raise _too_big()
            coords.extend((p, level - 1) for p in part)


def _ring(points, *, ccw):
    """Return a closed linear ring wound counterclockwise (``ccw``) or clockwise."""
    if not isinstance(points, list | tuple):
        raise ValidationError(
            f"a polygon ring must be a list; got {excerpt(points)}", field="geometry"
        )
    ring = [_position(p) for p in points]
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    if len(ring) < 4:
        raise ValidationError(
            f"a polygon ring needs at least 4 positions; got {len(ring)}", field="geometry"
        )
    area2 = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
    return ring[::-1] if (area2 > 0) != ccw and area2 != 0 else ring


def _polygon(rings):
    if not isinstance(rings, list | tuple) or not rings:
        raise ValidationError(f"a polygon needs rings; got {excerpt(rings)}", field="geometry")
    return [_ring(r, ccw=(i == 0)) for i, r in enumerate(rings)]


_CACHED_TYPES = ("Polygon", "MultiPolygon", "MultiPoint", "LineString", "MultiLineString")
#: Checked coordinates by identity: ``id(coords) -> (coords, geometry)``. Only
#: immutable input (the gazetteer's nested tuples) and this module's own output are kept, so
#: one outline shared by many events is checked once. Geometries held by events are shared
#: between them and must not be changed in place.
_CHECKED: dict[int, tuple[Any, dict]] = {}
_CHECKED_MAX = 4096


def _checked(coords):
    hit = _CHECKED.get(id(coords))
    return hit[1] if hit is not None and hit[0] is coords else None


def trust_geometry(geometry):
    """Record ``geometry`` (a checked RFC 7946 polygon) so that it is not checked again.

    For geometries already validated, e.g. read back from a store that validated them on
    write. Points and collections are ignored (they cost nothing to check).
    """
    if isinstance(geometry, dict) and geometry.get("type") in _CACHED_TYPES:
        _remember(geometry["coordinates"], geometry)


def _remember(coords, geometry):
    bounded_put(_CHECKED, id(coords), (coords, geometry), _CHECKED_MAX)


def rfc7946_geometry(geometry):
    """Return a GeoJSON geometry with checked positions and RFC 7946 ring winding.

    Polygon exterior rings become counterclockwise and holes clockwise (RFC 7946, 3.1.6);
    unclosed rings are closed. Other geometry types keep their coordinates (checked).

    Raises
    ------
    ValidationError
        When the geometry is not a GeoJSON geometry or a position is not [lon, lat].

    Examples
    --------
    >>> clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0]]]}
    >>> rfc7946_geometry(clockwise)["coordinates"][0]
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    """
    if not (isinstance(geometry, dict) and _checked(geometry.get("coordinates")) is not None):
        _check_size(geometry)
    return _build(geometry)


def _build(geometry):
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list | tuple) or not parts:
            raise ValidationError(
                "a GeometryCollection needs a non-empty geometries list", field="geometry"
            )
        return {"type": kind, "geometries": [_build(g) for g in parts]}
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind in ("Polygon", "MultiPolygon"):
        hit = _checked(coords)
        if hit is not None and hit["type"] == kind:
            return {"type": kind, "coordinates": hit["coordinates"]}
        if kind == "Polygon":
            out = {"type": kind, "coordinates": _polygon(coords)}
        elif isinstance(coords, list | tuple) and coords:
            out = {"type": kind, "coordinates": [_polygon(p) for p in coords]}
        else:
            out = None
        if out is not None:
            if isinstance(coords, tuple) and _deep_tuple(coords):
                _remember(coords, out)
            _remember(out["coordinates"], out)
            return out
    if kind == "Point":
        return {"type": kind, "coordinates": _position(coords)}
    if kind in ("MultiPoint", "LineString", "MultiLineString"):
        hit = _checked(coords)
        if hit is not None and hit["type"] == kind:
            return {"type": kind, "coordinates": hit["coordinates"]}
        out = None
        if kind == "MultiPoint" and isinstance(coords, list | tuple) and coords:
            out = {"type": kind, "coordinates": [_position(p) for p in coords]}
        elif kind == "LineString" and isinstance(coords, list | tuple):
            out = {"type": kind, "coordinates": _line(coords)}
        elif kind == "MultiLineString" and isinstance(coords, list | tuple) and coords:
            out = {"type": kind, "coordinates": [_line(line) for line in coords]}
        if out is not None:
            _remember(out["coordinates"], out)  # checked again by the store: at no cost
            return out
    raise ValidationError(
        f"geometry must be a GeoJSON geometry object; got {excerpt(geometry)}", field="geometry"
    )


def _line(points):
    if not isinstance(points, list | tuple) or len(points) < 2:
        raise ValidationError(
            f"a line needs at least 2 positions; got {excerpt(points)}", field="geometry"
        )
    return [_position(p) for p in points]


def _deep_tuple(coords):
    """Return True when nested coordinates are tuples all the way down (immutable)."""
    stack = [coords]
    while stack:
        part = stack.pop()
        if not isinstance(part, tuple):
            return False
        if part and isinstance(part[0], tuple):
            stack.extend(part)
    return True


def geometry_bounds(geometry):
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` of a GeoJSON geometry dict, or None.

    Examples
    --------
    >>> geometry_bounds({"type": "Polygon", "coordinates": [[[30, 50], [32, 50], [31, 52]]]})
    (30.0, 50.0, 32.0, 52.0)
    """
    xs, ys = [], []

    def walk(coords):
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        elif isinstance(coords, list | tuple):
            for part in coords:
                walk(part)

    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or ():
            bounds = geometry_bounds(part)
            if bounds:
                xs.extend((bounds[0], bounds[2]))
                ys.extend((bounds[1], bounds[3]))
    else:
        walk(geometry.get("coordinates"))
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))
