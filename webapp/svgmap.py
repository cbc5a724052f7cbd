"""Render a map view as a standalone SVG for print (basemap, event symbols, legend, credits)."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from geo.common.attribution import ATTRIBUTION
from geo.events.taxonomy import FALLBACK_TYPE, PRECISION_KEY, PRECISIONS
from webapp.maps import event_types

__all__ = ["render_svg"]

_AREA_RADIUS_KM = {p.code: p.area_km for p in PRECISIONS if p.area_km}
_POINTS = {p.code for p in PRECISIONS if p.drawn == "point"}
#: How an event type outside the taxonomy is drawn.
_FALLBACK = {"color": FALLBACK_TYPE.colour, "shape": FALLBACK_TYPE.symbol}


def _merc(lon, lat):
    lat = max(-85.0, min(85.0, lat))
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


class _Projection:
    def __init__(self, bounds, width, height, pad=0.06):
        (south, west), (north, east) = bounds
        if east - west < 0.5:
            west, east = west - 0.25, east + 0.25
        if north - south < 0.5:
            south, north = south - 0.25, north + 0.25
        x0, y0 = _merc(west, south)
        x1, y1 = _merc(east, north)
        dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
        self.x0, self.y0, self.x1, self.y1 = x0 - dx, y0 - dy, x1 + dx, y1 + dy
        self.scale = min(width / (self.x1 - self.x0), height / (self.y1 - self.y0))
        self.ox = (width - (self.x1 - self.x0) * self.scale) / 2
        self.oy = (height - (self.y1 - self.y0) * self.scale) / 2
        self.height = height

    def __call__(self, lon, lat):
        x, y = _merc(lon, lat)
        return (
            round(self.ox + (x - self.x0) * self.scale, 1),
            round(self.height - self.oy - (y - self.y0) * self.scale, 1),
        )

    def km(self, lat, km):
        """Return ``km`` kilometres as pixels at latitude ``lat``."""
        deg = km / (111.32 * max(math.cos(math.radians(lat)), 0.05))
        return (self(deg, lat)[0] - self(0, lat)[0]) or 1


def _rings(geometry):
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return [coords]
    if kind == "MultiPolygon":
        return list(coords)
    if kind == "LineString":
        return [[coords]]
    if kind == "MultiLineString":
        return [[line] for line in coords]
    return []


def _path(geometry, proj, *, closed=True):
    parts = []
    for polygon in _rings(geometry):
        for ring in polygon:
            pts = [proj(lon, lat) for lon, lat, *_ in ring]
            if len(pts) < 2:
                continue
            parts.append("M" + " L".join(f"{x},{y}" for x, y in pts) + (" Z" if closed else ""))
    return " ".join(parts)


def _shape(shape, x, y, r):
    if shape == "square":
        return f'<rect x="{x - r}" y="{y - r}" width="{2 * r}" height="{2 * r}"'
    if shape in ("triangle", "triangle_down", "diamond", "star", "hexagon", "pentagon", "cross"):
        if shape == "triangle":
            pts = [(x, y - r * 1.15), (x + r * 1.05, y + r * 0.75), (x - r * 1.05, y + r * 0.75)]
        elif shape == "triangle_down":
            pts = [(x, y + r * 1.15), (x + r * 1.05, y - r * 0.75), (x - r * 1.05, y - r * 0.75)]
        elif shape == "diamond":
            pts = [(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)]
        elif shape == "cross":
            w = r * 0.4
            pts = [(x - w, y - r), (x + w, y - r), (x + w, y - w), (x + r, y - w), (x + r, y + w)]
            pts += [(x + w, y + w), (x + w, y + r), (x - w, y + r), (x - w, y + w)]
            pts += [(x - r, y + w), (x - r, y - w), (x - w, y - w)]
        else:
            n = {"star": 10, "hexagon": 6, "pentagon": 5}[shape]
            pts = []
            for i in range(n):
                a = -math.pi / 2 + i * 2 * math.pi / n
                k = r * 0.5 if shape == "star" and i % 2 else r * 1.2
                pts.append((x + k * math.cos(a), y + k * math.sin(a)))
        return '<polygon points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in pts) + '"'
    return f'<circle cx="{x}" cy="{y}" r="{r}"'


#: Opacity of an area's hatch; events stacked on one area share it (together they reach it).
AREA_FILL = 0.6
#: An area's outline: one neutral colour whatever the type (the hatch carries the type).
AREA_OUTLINE = "#4a4a4a"


def _hatch_id(color):
    return "h" + "".join(ch for ch in color if ch.isalnum())


def _hatches(colors):
    """Return the ``<defs>`` of a light diagonal hatch in each colour (areas, never fills)."""
    out = ["<defs>"]
    for color in sorted(colors):
        out.append(
            f'<pattern id="{_hatch_id(color)}" patternUnits="userSpaceOnUse" width="10" '
            f'height="10" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="10" '
            f'stroke="{color}" stroke-width="1.2"/></pattern>'
        )
    out.append("</defs>")
    return out


def _area_key(feature):
    """Return the key of the area an event is drawn as (place and precision), or None."""
    props = feature.get("properties") or {}
    geom = feature.get("geometry") or {}
    precision = props.get("geo_precision") or "exact"
    if not (geom and geom.get("type") != "Point") and precision not in _AREA_RADIUS_KM:
        return None
    place = props.get("geonameid")
    return (place if place is not None else ("event", feature.get("id")), precision)


def _area_badges(stacks, styles, proj):
    """Return, for each area holding events, a row of hollow type symbols with their counts
    at its representative point, so that print shows what happened there."""
    out = []
    for features in stacks.values():
        props = features[0].get("properties") or {}
        lat, lon = props.get("latitude"), props.get("longitude")
        if lat is None or lon is None:
            continue
        per_type = {}
        for f in features:
            kind = (f.get("properties") or {}).get("event_type")
            per_type[kind] = per_type.get(kind, 0) + 1
        order = [t for t in styles if t in per_type] + [t for t in per_type if t not in styles]
        step = 30
        x0, y = proj(lon, lat)
        x = x0 - step * (len(order) - 1) / 2
        for kind in order:
            t = styles.get(kind, _FALLBACK)
            out.append(
                f'{_shape(t["shape"], round(x - 6, 1), y, 6)} fill="white" fill-opacity="0.85" '
                f'stroke="{t["color"]}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
            out.append(
                f'<text x="{x + 2:.1f}" y="{y + 4:.1f}" font-size="11" fill="#222">'
                f"{per_type[kind]}</text>"
            )
            x += step
    return out


def render_svg(
    features,
    *,
    basemap=None,
    bounds,
    width=1200,
    height=800,
    title="conflictmap",
    subtitle="",
    attribution=ATTRIBUTION,
):
    """Return an SVG document of ``features`` over the ``basemap`` outlines, for print.

    Parameters
    ----------
    features : list of dict
        GeoJSON Features of events (``Event.to_feature``): area geometries are drawn as
        translucent dashed areas, points with the event type's symbol (hollow when "near").
    basemap : list of dict, optional
        FeatureCollections drawn first (countries, then admin1 outlines).
    bounds : list
        ``[[south, west], [north, east]]`` of the view.
    width, height : int
        Size in pixels (user units).
    title, subtitle, attribution : str
        Text drawn on the map (escaped).

    Raises
    ------
    ValueError
        When ``bounds`` is not ``[[south, west], [north, east]]`` with south <= north.
    """
    try:
        (south, west), (north, east) = bounds
        valid = south <= north and west <= east
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(f"bounds must be [[south, west], [north, east]]; got {bounds!r}")
    proj = _Projection(bounds, width, height)
    styles = {t["id"]: t for t in event_types()}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#cfe3f3"/>',
    ]
    for i, fc in enumerate(basemap or ()):
        style = (
            'fill="#f3f0e8" stroke="#8a8a8a" stroke-width="0.8"'
            if i == 0
            else 'fill="none" stroke="#b5b0a5" stroke-width="0.6" stroke-dasharray="2 3"'
        )
        for feature in fc.get("features", []):
            d = _path(feature.get("geometry") or {}, proj)
            if d:
                out.append(f'<path d="{d}" {style}/>')
    out.extend(_hatches({t["color"] for t in styles.values()} | {_FALLBACK["color"]}))
    points, counts, stacks = [], {}, {}
    for feature in features:
        key = _area_key(feature)
        if key is not None:
            stacks.setdefault(key, []).append(feature)
    for feature in features:
        props = feature.get("properties") or {}
        t = styles.get(props.get("event_type"), _FALLBACK)
        counts[props.get("event_type")] = counts.get(props.get("event_type"), 0) + 1
        geom = feature.get("geometry") or {}
        precision = props.get("geo_precision") or "exact"
        color = t["color"]
        key = _area_key(feature)
        fill = 1 - (1 - AREA_FILL) ** (1 / len(stacks[key])) if key is not None else AREA_FILL
        tags = props.get("tags") or ()
        dim = 0.45 if props.get("date_basis") == "report" or "place-assumed" in tags else 1
        area = (
            f'fill="url(#{_hatch_id(color)})" fill-opacity="{fill * dim:.3f}" '
            f'stroke="{AREA_OUTLINE}" stroke-opacity="{0.8 * dim:.2f}" stroke-dasharray="5 4"'
        )
        lat, lon = props.get("latitude"), props.get("longitude")
        if geom.get("type") == "Point":
            lon, lat = geom["coordinates"][:2]
        if geom and geom.get("type") != "Point":
            line = geom["type"].endswith("LineString")
            d = _path(geom, proj, closed=not line)
            out.append(f'<path d="{d}" {area} stroke-width="1.5"/>')
            continue
        if lat is None:
            continue
        x, y = proj(lon, lat)
        if precision in _AREA_RADIUS_KM:
            r = proj.km(lat, _AREA_RADIUS_KM[precision])
            out.append(f'<circle cx="{x}" cy="{y}" r="{r:.1f}" {area} stroke-width="1.5"/>')
        elif precision in _POINTS:
            points.append(f'{_shape(t["shape"], x, y, 6)} fill="{t["color"]}" stroke="#222"/>')
        else:
            points.append(
                f'{_shape(t["shape"], x, y, 6)} fill="{t["color"]}" fill-opacity="0.15" '
                f'stroke="{t["color"]}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
    out.extend(_area_badges(stacks, styles, proj))
    out.extend(points)
    legend = [t for t in event_types() if counts.get(t["id"])]
    box_h = 30 + 20 * (len(legend) + 2)
    out.append(
        f'<rect x="{width - 230}" y="{height - box_h - 40}" width="220" height="{box_h}" '
        'fill="white" fill-opacity="0.92" stroke="#999"/>'
    )
    y = height - box_h - 20
    out.append(f'<text x="{width - 220}" y="{y}" font-size="13" font-weight="bold">Events</text>')
    for t in legend:
        y += 20
        out.append(
            f'{_shape(t["shape"], width - 212, y - 4, 6)} fill="{t["color"]}" stroke="#222"/>'
        )
        out.append(
            f'<text x="{width - 198}" y="{y}" font-size="12">'
            f"{escape(t['label'])} ({counts[t['id']]})</text>"
        )
    key = {
        "near": '<circle cx="{x}" cy="{y}" r="6" fill="#555" fill-opacity="0.15" stroke="#555" '
        'stroke-width="2" stroke-dasharray="3 2"/>',
        "area": '<rect x="{x0}" y="{y0}" width="14" height="10" fill="#555" fill-opacity="0.12" '
        'stroke="#555" stroke-dasharray="5 4"/>',
    }  # the "point" row of the key is the event types' own symbols above
    for kind, label in PRECISION_KEY:
        if kind not in key:
            continue
        y += 20
        out.append(key[kind].format(x=width - 212, y=y - 4, x0=width - 219, y0=y - 9))
        out.append(f'<text x="{width - 198}" y="{y}" font-size="12">{escape(label)}</text>')
    out.append(f'<text x="16" y="30" font-size="20" font-weight="bold">{escape(title)}</text>')
    if subtitle:
        out.append(f'<text x="16" y="52" font-size="13">{escape(subtitle)}</text>')
    out.append(
        f'<text x="{width - 8}" y="{height - 10}" font-size="10" text-anchor="end" '
        f'fill="#333">{escape(attribution)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
