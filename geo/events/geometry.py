"""GeoJSON geometries of events: checked positions and RFC 7946 ring winding, checked once."""

from __future__ import annotations

from typing import Any

from geo.common.cache import bounded_put
from geo.exc import ValidationError

__all__ = ["geometry_bounds", "rfc7946_geometry", "trust_geometry"]


def _position(value):
    if (
        isinstance(value, list | tuple)
        and len(value) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
        and -180 <= value[0] <= 180
        and -90 <= value[1] <= 90
    ):
        return [float(value[0]), float(value[1])]
    raise ValidationError(
        f"geometry positions must be [lon, lat] in degrees; got {value!r:.60}", field="geometry"
    )


def _ring(points, *, ccw):
    """Return a closed linear ring wound counterclockwise (``ccw``) or clockwise."""
    if not isinstance(points, list | tuple):
        raise ValidationError(
            f"a polygon ring must be a list; got {points!r:.60}", field="geometry"
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
        raise ValidationError(f"a polygon needs rings; got {rings!r:.60}", field="geometry")
    return [_ring(r, ccw=(i == 0)) for i, r in enumerate(rings)]


#: Checked polygon coordinates by identity: ``id(coords) -> (coords, geometry)``. Only
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
    write. Other geometries are ignored.
    """
    if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
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
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list | tuple):
            raise ValidationError("a GeometryCollection needs a geometries list", field="geometry")
        return {"type": kind, "geometries": [rfc7946_geometry(g) for g in parts]}
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind in ("Polygon", "MultiPolygon"):
        hit = _checked(coords)
        if hit is not None and hit["type"] == kind:
            return {"type": kind, "coordinates": hit["coordinates"]}
        if kind == "Polygon":
            out = {"type": kind, "coordinates": _polygon(coords)}
        elif isinstance(coords, list | tuple):
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
    if kind in ("MultiPoint", "LineString") and isinstance(coords, list | tuple):
        return {"type": kind, "coordinates": [_position(p) for p in coords]}
    if kind == "MultiLineString" and isinstance(coords, list | tuple):
        return {"type": kind, "coordinates": [[_position(p) for p in line] for line in coords]}
    raise ValidationError(
        f"geometry must be a GeoJSON geometry object; got {geometry!r:.80}", field="geometry"
    )


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
