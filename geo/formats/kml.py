"""KML 2.2 writer for events: Placemarks with a time span, ExtendedData and area polygons."""

from __future__ import annotations

import html
import re
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from geo.formats.columns import CSV_COLUMNS, flatten_event

__all__ = ["geometry_kml", "write_kml"]

#: KML colours (aabbggrr) per event type; the viewer's palette.
TYPE_COLOURS = {
    "deployment": "ffb4771f",
    "capture": "ff0e7fff",
    "casualties": "ff2827d6",
    "attack": "ff3c14dc",
    "self_detonation": "ffbd6794",
    "front_line": "ff4b568c",
    "movement": "ff2ca02c",
    "statement": "ff7f7f7f",
}


# Characters XML 1.0 forbids even when escaped (C0 controls other than tab, LF, CR).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text):
    """Return ``text`` escaped for XML character data, without characters XML forbids."""
    return _escape(_ILLEGAL_XML.sub("\ufffd", text))


def quoteattr(text):
    """Return ``text`` as a quoted, escaped XML attribute value."""
    return _quoteattr(_ILLEGAL_XML.sub("\ufffd", text))


def _coords(points):
    return " ".join(f"{float(p[0])!r},{float(p[1])!r}" for p in points)


def _polygon(rings):
    if not rings:
        return ""
    parts = [
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{_coords(rings[0])}</coordinates></LinearRing></outerBoundaryIs>"
    ]
    for ring in rings[1:]:
        parts.append(
            "<innerBoundaryIs><LinearRing><coordinates>"
            f"{_coords(ring)}</coordinates></LinearRing></innerBoundaryIs>"
        )
    parts.append("</Polygon>")
    return "".join(parts)


def geometry_kml(geometry: dict) -> str:
    """Return the KML geometry element(s) of a GeoJSON geometry dict ("" if unsupported).

    Examples
    --------
    >>> geometry_kml({"type": "Point", "coordinates": [36.19, 51.73]})
    '<Point><coordinates>36.19,51.73</coordinates></Point>'
    """
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return f"<Point><coordinates>{_coords([coords])}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_coords(coords)}</coordinates></LineString>"
    if kind == "Polygon":
        return _polygon(coords)
    if kind in ("MultiPoint", "MultiLineString", "MultiPolygon"):
        single = kind[5:]
        inner = "".join(geometry_kml({"type": single, "coordinates": c}) for c in coords)
        return f"<MultiGeometry>{inner}</MultiGeometry>"
    if kind == "GeometryCollection":
        inner = "".join(geometry_kml(g) for g in geometry.get("geometries") or ())
        return f"<MultiGeometry>{inner}</MultiGeometry>"
    return ""


def _placemark_geometry(event):
    point = ""
    if event.latitude is not None and event.longitude is not None:
        point = geometry_kml({"type": "Point", "coordinates": [event.longitude, event.latitude]})
    if event.geometry:
        area = geometry_kml(event.geometry)
        if area.startswith("<MultiGeometry>"):
            area = area[len("<MultiGeometry>") : -len("</MultiGeometry>")]
        return f"<MultiGeometry>{point}{area}</MultiGeometry>"
    return point


def _description(event):
    """Return the balloon HTML: every piece of event text is HTML-escaped first."""
    e = html.escape
    lines = [f"<b>{e(event.event_type)}</b> {e(event.date_start.isoformat())}"]
    if event.date_end != event.date_start:
        lines[0] += f" – {e(event.date_end.isoformat())}"
    lines[0] += f" ({e(event.date_precision)})"
    if event.summary:
        lines.append(e(event.summary))
    place = event.location_name or event.name_in_text
    if place:
        precision = f" (precision: {e(event.geo_precision)})" if event.geo_precision else ""
        lines.append(f"{e(place)}{precision}")
    lines.append(f"Status: {e(event.status)}")
    for s in event.sources:
        label = e(s.publisher or s.source_id)
        if s.title:
            label += f": {e(s.title)}"
        if s.url and s.url.startswith(("http://", "https://")):
            label = f'<a href="{e(s.url, quote=True)}">{label}</a>'
        if s.quote:
            label += f" — “{e(s.quote)}”"
        lines.append(label)
    return "<br/>".join(lines)


def write_kml(events, out, *, meta):
    """Write a KML document, one Placemark per event, streaming.

    Text reaches KML escaped for XML; the balloon ``description`` is HTML whose text parts
    are HTML-escaped before that, so article text can never become markup in Google Earth.
    The balloon style shows only that description; ExtendedData holds every CSV column.
    """
    name = "conflictmap events"
    if meta.get("data_as_of"):
        name += f" (data as of {meta['data_as_of']})"
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2">',
        "<Document>",
        f"<name>{escape(name)}</name>",
    ]
    if meta.get("attribution"):
        head.append(f"<description>{escape(html.escape(meta['attribution']))}</description>")
    for event_type, colour in TYPE_COLOURS.items():
        head.append(
            f'<Style id="{event_type}"><IconStyle><color>{colour}</color></IconStyle>'
            f"<LineStyle><color>{colour}</color><width>2</width></LineStyle>"
            f"<PolyStyle><color>{'55' + colour[2:]}</color></PolyStyle>"
            "<BalloonStyle><text>$[description]</text></BalloonStyle></Style>"
        )
    out.write(("\n".join(head) + "\n").encode("utf-8"))
    columns = [c for c in CSV_COLUMNS if c != "geometry"]
    for event in events:
        row = flatten_event(event)
        data = "".join(
            f"<Data name={quoteattr(c)}><value>{escape(str(row[c]))}</value></Data>"
            for c in columns
            if row[c] not in (None, "")
        )
        title = event.location_name or event.name_in_text or event.event_id
        parts = [
            f"<Placemark id={quoteattr(event.event_id)}>",
            f"<name>{escape(f'{event.event_type}: {title}')}</name>",
            f"<description>{escape(_description(event))}</description>",
            f"<TimeSpan><begin>{event.date_start.isoformat()}</begin>"
            f"<end>{event.date_end.isoformat()}</end></TimeSpan>",
            f"<styleUrl>#{event.event_type}</styleUrl>",
            f"<ExtendedData>{data}</ExtendedData>",
            _placemark_geometry(event),
            "</Placemark>\n",
        ]
        out.write("".join(parts).encode("utf-8"))
    out.write(b"</Document>\n</kml>\n")
