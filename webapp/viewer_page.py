"""The map viewer's own page of events: the fields it draws, as columns (``/maps/events.json``).

A view of the time slider asks for up to 5,000 events. As GeoJSON (``/collections/events/
items``) that is about 6.7 MB, which the browser parses whole before it draws a symbol; the
viewer draws only a few fields of each event and shows the rest (actors, counts, sources…)
in the popup of one event, which it fetches when that event is opened. This page carries
those few fields, one JSON array per field (about 170 bytes an event instead of 1,300):

``id``, ``type`` (an index into ``types``), ``start`` and ``end`` (ISO dates), ``lon`` and
``lat`` (the event's point, or null), ``precision``, ``geonameid``, ``place`` (the location
name), ``label`` (the summary, cut at :data:`LABEL_CHARS`), ``updated`` (``updated_at``:
the viewer redraws an event whose version changed) and ``assumed`` (1: date assumed, 2:
place assumed, 3: both). ``geometry`` maps the index of each event whose geometry is not its
point (an area's outline) to that geometry. ``numberReturned``, ``numberMatched`` (left out
when the matches are too many to count cheaply, as on the items pages) and ``next`` (more
match than this page) say whether the page holds every match.

The fields are read from each event's stored Feature text (``query_features``) by looking up
their keys, not by decoding the whole text (half the time of ``json.loads``). The JSON is
made by ``json.dumps``: article text in it reaches the page only as data, which the viewer
puts in the page as text (``textContent``), never as markup.
"""

from __future__ import annotations

import json

__all__ = ["FORMAT", "LABEL_CHARS", "columns"]

#: Marks the page's layout (``format`` of the JSON object).
FORMAT = "conflictmap-viewer-1"
#: Longest label (summary) sent; a longer summary is cut and ends with "…" (the popup, loaded
#: when the event is opened, shows it whole).
LABEL_CHARS = 160
_scan = json.JSONDecoder().raw_decode
_FIELDS = (
    ("event_id", '"event_id":'),
    ("event_type", '"event_type":'),
    ("date_start", '"date_start":'),
    ("date_end", '"date_end":'),
    ("date_basis", '"date_basis":'),
    ("summary", '"summary":'),
    ("location_name", '"location_name":'),
    ("geonameid", '"geonameid":'),
    ("latitude", '"latitude":'),
    ("longitude", '"longitude":'),
    ("geo_precision", '"geo_precision":'),
    ("tags", '"tags":'),
    ("updated_at", '"updated_at":'),
)
_GEOMETRY = '"geometry":'
_PROPERTIES = '"properties":'


def _fields(text):
    """Return ``(geometry, {name: value})`` of a compact Feature text (``query_features``).

    Each property is found by its key after ``"properties":``: in JSON text a key's quoted
    name followed by a colon cannot occur inside a string, and none of these names is a key
    of a nested object (sources, counts), so the first match is the property.
    """
    props_at = text.find(_PROPERTIES)
    if props_at < 0:
        feature = json.loads(text)
        return feature.get("geometry"), feature.get("properties") or {}
    values = {}
    for name, key in _FIELDS:
        at = text.find(key, props_at)
        values[name] = None if at < 0 else _scan(text, at + len(key))[0]
    at = text.find(_GEOMETRY)
    geometry = _scan(text, at + len(_GEOMETRY))[0] if 0 <= at < props_at else None
    return geometry, values


def columns(feature_texts):
    """Return the page's columns (a dict, see the module) of an iterable of Feature texts."""
    types, type_index = [], {}
    out = {
        name: []
        for name in (
            "id",
            "type",
            "start",
            "end",
            "lon",
            "lat",
            "precision",
            "geonameid",
            "place",
            "label",
            "updated",
            "assumed",
        )
    }
    shapes = {}
    ids, kinds, starts, ends = out["id"], out["type"], out["start"], out["end"]
    lons, lats, precisions, places = out["lon"], out["lat"], out["precision"], out["place"]
    geonameids, labels, updated, assumed = (
        out["geonameid"],
        out["label"],
        out["updated"],
        out["assumed"],
    )
    for text in feature_texts:
        geometry, p = _fields(text)
        kind = p["event_type"]
        index = type_index.get(kind)
        if index is None:
            index = type_index[kind] = len(types)
            types.append(kind)
        lon, lat = p["longitude"], p["latitude"]
        if geometry is not None and not (
            geometry.get("type") == "Point" and geometry.get("coordinates") == [lon, lat]
        ):
            shapes[str(len(ids))] = geometry
        tags = p["tags"] or ()
        summary = p["summary"]
        if isinstance(summary, str) and len(summary) > LABEL_CHARS:
            summary = summary[: LABEL_CHARS - 1].rstrip() + "…"
        ids.append(p["event_id"])
        kinds.append(index)
        starts.append(p["date_start"])
        ends.append(p["date_end"])
        lons.append(lon)
        lats.append(lat)
        precisions.append(p["geo_precision"])
        geonameids.append(p["geonameid"])
        places.append(p["location_name"])
        labels.append(summary)
        updated.append(p["updated_at"])
        assumed.append(
            (1 if p["date_basis"] == "report" or "date-assumed" in tags else 0)
            | (2 if "place-assumed" in tags else 0)
        )
    out["types"] = types
    out["geometry"] = shapes
    return out
