"""Representative points of areas: where a reader puts "the country", "the state", "the sea".

Built once into ``places.tsv.gz`` (``gazetteer/README.md``, "Representative points").
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import MultiPolygon, Point
from shapely.ops import nearest_points

__all__ = ["JOIN_KM", "area_point"]

#: Parts of an area closer than this to its largest part (or to a part joined to it) are
#: one body of land with it: see :func:`area_point`.
JOIN_KM = 50


def area_point(geom, *, join_km=JOIN_KM):
    """Return ``(lat, lon)`` of an area: the centre of its main body.

    The body is the largest part and every part joined to it, part by part, across less
    than ``join_km`` (New Zealand's two islands, Great Britain and Northern Ireland, Sicily
    with Italy; not Alaska, Hawaii or overseas departments). Its centre is the
    area-weighted centroid in an equal-area projection (longitude, sine of latitude: land
    near the poles does not weigh more than it covers); when that falls outside the body (a
    crescent, an archipelago around a sea), a point of the body next to it.

    Parameters
    ----------
    geom : shapely Polygon or MultiPolygon
        The area's outline in longitude/latitude degrees.
    join_km : float, default :data:`JOIN_KM`
        Widest gap between parts of one body.

    Returns
    -------
    (float, float)
        Latitude and longitude of a point inside the body.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> lat, lon = area_point(box(10.0, 0.0, 12.0, 60.0))
    >>> round(lon, 1), 25 < lat < 30
    (11.0, True)
    """
    body = _main_body(geom, join_km)
    lon, lat = _equal_area_centroid(body)
    centre = Point(lon, lat)
    if body.contains(centre):
        return lat, lon
    near = nearest_points(body, centre)[0]
    inside = body.intersection(near.buffer(0.25)).representative_point()
    return inside.y, inside.x


def _main_body(geom, join_km):
    """Return the largest part of ``geom`` with the parts joined to it (see area_point)."""
    parts = sorted(getattr(geom, "geoms", [geom]), key=lambda g: -g.area)
    if len(parts) == 1:
        return parts[0]
    tree = STRtree(parts)
    kept, todo = {0}, [0]
    while todo:
        part = parts[todo.pop()]
        # A degree of longitude shrinks towards the poles: search wide, then measure.
        lat = max(abs(part.bounds[1]), abs(part.bounds[3]))
        reach = join_km / (111.0 * max(0.05, math.cos(math.radians(min(lat, 89.0)))))
        for j in tree.query(part, predicate="dwithin", distance=reach):
            j = int(j)
            if j in kept:
                continue
            a, b = nearest_points(part, parts[j])
            if _haversine_km(a.y, a.x, b.y, b.x) <= join_km:
                kept.add(j)
                todo.append(j)
    body = [parts[i] for i in sorted(kept)]
    return body[0] if len(body) == 1 else MultiPolygon(body)


def _equal_area_centroid(geom):
    """Return ``(lon, lat)`` of the area-weighted centroid of ``geom``."""
    flat = shapely.transform(
        geom, lambda xy: np.column_stack([xy[:, 0], np.sin(np.radians(xy[:, 1]))])
    )
    c = flat.centroid
    return c.x, math.degrees(math.asin(max(-1.0, min(1.0, c.y))))


def _haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))
