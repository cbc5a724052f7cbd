"""The map viewer's own page of events: Features with only the fields it draws
(``/maps/events.json``).

A view of the time slider asks for up to 5,000 events. As GeoJSON (``/collections/events/
items``) that is about 6.7 MB, which the browser parses whole before it draws a symbol; the
viewer draws a few fields of each event and shows the rest (actors, counts, sources…) in the
popup of one event, which it fetches when that event is opened. This page carries, for each
event, its Feature with the geometry and the properties up to ``geo_precision`` (id, type,
dates, date basis, summary, place names and codes, point, precision), then ``tags`` and
``updated_at``: about 500 bytes an event instead of 1,300.

Each slim Feature is cut out of the stored Feature text (``query_features``) without decoding
it: the properties are written in the order of ``Event.to_dict()``, and in JSON text a key's
quoted name followed by a colon cannot occur inside a string, so ``,"actor1":`` ends the
fields the viewer draws. A text in another layout is decoded and its fields written again.
Article text stays JSON string data; the viewer puts it in the page as text
(``textContent``), never as markup.
"""

from __future__ import annotations

import dataclasses
import functools
import json

from geo.events.model import Event

__all__ = ["FIELDS", "FORMAT", "slim_feature"]

#: Marks the page's layout (``format`` of the JSON object).
FORMAT = "conflictmap-viewer-1"
_EVENT_FIELDS = [f.name for f in dataclasses.fields(Event)]  # the order of Event.to_dict()
#: The properties of a slim Feature: the event's fields up to ``geo_precision`` (what the
#: cut below keeps), then ``tags`` and ``updated_at``.
FIELDS = (*_EVENT_FIELDS[: _EVENT_FIELDS.index("geo_precision") + 1], "tags", "updated_at")
_scan = json.JSONDecoder().raw_decode
_CUT = ',"actor1":'
_LAST = '"geo_precision":'
_TAGS = '"tags":'
_UPDATED = '"updated_at":'
_COMPACT = (",", ":")


#: Slim texts kept by their Feature text: the store hands out the same text objects for the
#: events it read lately (``geo.store.sqlite.textcache``), which the next step of the time
#: slider mostly shows again. A slim text depends on the Feature text alone.
SLIM_CACHE_EVENTS = 10_000


@functools.lru_cache(maxsize=SLIM_CACHE_EVENTS)
def slim_feature(text):
    """Return the slim Feature text (see the module) of a compact Feature text."""
    cut = text.find(_CUT)
    # tags and updated_at follow the sources: sought from the end (no nested object after
    # them has such keys)
    tags = text.rfind(_TAGS, cut) if cut >= 0 and text.rfind(_LAST, 0, cut) >= 0 else -1
    updated = text.rfind(_UPDATED, tags) if tags >= 0 else -1
    if updated < 0:
        feature = json.loads(text)
        props = feature.get("properties") or {}
        feature["properties"] = {k: props.get(k) for k in FIELDS}
        return json.dumps(feature, ensure_ascii=False, separators=_COMPACT)
    tags_end = _scan(text, tags + len(_TAGS))[1]
    updated_end = _scan(text, updated + len(_UPDATED))[1]
    return f"{text[:cut]},{text[tags:tags_end]},{text[updated:updated_end]}}}}}"
