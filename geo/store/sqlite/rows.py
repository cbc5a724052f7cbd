"""Rows of ``geo.store.sqlite``: events to rows and index entries, and rows back to events."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from datetime import date

import lz4.block

from geo.common.cache import bounded_put
from geo.events.flat import CSV_LAYOUT, csv_line, flatten_event, flatten_fields
from geo.events.geometry import geometry_bounds
from geo.events.model import Count, Event, Source, trust_geometry, trust_source

__all__ = [
    "day",
    "event_bounds",
    "event_texts",
    "feature_json",
    "load_doc",
    "load_event",
    "pack_document",
    "pack_feature",
    "remember_loaded",
    "same_event",
    "search_columns",
    "unpack_csv_line",
    "unpack_feature",
    "write_event",
]


#: Bounds and JSON text of geometries by the identity of their coordinates (events share
#: the checked outline of their area, see ``geo.events.rfc7946_geometry``).
_GEOMETRIES: dict[int, tuple] = {}
_GEOMETRIES_MAX = 1024
_COMPACT = (",", ":")


def _geometry_facts(geometry):
    """Return ``(bounds, compact_json_text)`` of a geometry.

    Remembered while its coordinates live (events share their area's outline).
    """
    coords = geometry.get("coordinates")
    hit = _GEOMETRIES.get(id(coords)) if coords is not None else None
    if hit is not None and hit[0] is coords and hit[1] == geometry.get("type"):
        return hit[2:]
    facts = (
        geometry_bounds(geometry),
        json.dumps(geometry, ensure_ascii=False, separators=_COMPACT),
    )
    if coords is not None:
        bounded_put(_GEOMETRIES, id(coords), (coords, geometry.get("type"), *facts),
                    _GEOMETRIES_MAX)  # fmt: skip
    return facts


def event_texts(event):
    """Return ``(stored_json, feature_json)`` of ``event``, encoding its fields once.

    ``stored_json`` is ``event.to_dict()`` as compact JSON (the geometry last);
    ``feature_json`` equals ``json.dumps(event.to_feature(), ensure_ascii=False,
    separators=(",", ":"))``, what the API sends. An area's outline is encoded once for all
    its events, and each source once for all the versions of its event.
    """
    props = event.to_dict()
    geometry = props.pop("geometry")
    props_text = _props_json(props, event.sources)
    if geometry:
        geometry_text = feature_geometry = _geometry_facts(geometry)[1]
    else:
        geometry_text = feature_geometry = json.dumps(geometry, separators=_COMPACT)
        if geometry is None and event.latitude is not None:
            point = {"type": "Point", "coordinates": [event.longitude, event.latitude]}
            feature_geometry = json.dumps(point, separators=_COMPACT)
    stored = f'{props_text[:-1]},"geometry":{geometry_text}}}'
    feature = (
        f'{{"type":"Feature","id":{json.dumps(event.event_id, ensure_ascii=False)},'
        f'"geometry":{feature_geometry},"properties":{props_text}}}'
    )
    return stored, feature


#: Stands for the sources in an event's JSON while the rest is encoded.
_SLOT = "\x00sources\x00"
_SLOT_JSON = json.dumps(_SLOT)


def _source_json(source):
    """Return a source's compact JSON text, encoded once per (immutable) Source."""
    fields = source.__dict__
    text = fields.get("_json")
    if text is None:
        text = fields["_json"] = json.dumps(source.to_dict(), ensure_ascii=False,
                                            separators=_COMPACT)  # fmt: skip
    return text


def _props_json(props, sources):
    """Return ``props`` as compact JSON, its ``sources`` (those of ``sources``) spliced in
    from each source's own text: an event reported by hundreds of outlets is written again
    at each new report, and its old sources need not be encoded again."""
    listed = props.get("sources")
    props["sources"] = _SLOT
    text = json.dumps(props, ensure_ascii=False, separators=_COMPACT)
    props["sources"] = listed
    if text.count(_SLOT_JSON) != 1:  # some field holds the marker itself: encode it all
        return json.dumps(props, ensure_ascii=False, separators=_COMPACT)
    return text.replace(_SLOT_JSON, f"[{','.join(map(_source_json, sources))}]", 1)


def feature_json(event):
    """Return ``event.to_feature()`` as compact JSON text, as the API sends it."""
    return event_texts(event)[1]


#: Preset dictionary of document format 1: what every Feature text of an event holds (its
#: keys in order, common values). Never change it: stored documents need it to be read; a
#: better dictionary is a new format byte.
_ZDICT_1 = (
    b'"published_precision":"day","quote":null,"start":null,"end":null}],"tags":[],'
    b'"reported_at":null,"extraction":"manual","gazetteer_version":null,"updated_at":"20'
    b'"notes":null,"edited_fields":[]}}{"type":"Feature","id":"ev-","geometry":{"type":'
    b'"Polygon","coordinates":[[[{"type":"Point","coordinates":[null,"properties":'
    b'{"event_id":"ev-","event_type":"attack","date_start":"2025-01-01","date_end":'
    b'"2025-01-01","date_precision":"day","date_basis":"stated","summary":"'
    b'","location_name":"","name_in_text":null,"geonameid":null,"feature_code":"PPL",'
    b'"country_code":"UA","admin1":"","latitude":4,"longitude":3,"geo_precision":"exact",'
    b'"actor1":"Military Forces of Russia","actor2":"Military Forces of Ukraine",'
    b'"claimed_by":null,"target":null,"counts":[{"kind":"killed","low":1,"high":1,'
    b'"best":null,"text":null}],"status":"claimed","sources":[{"source_id":"art-",'
    b'"publisher":"","title":"","url":"https://www.","published_at":"2025-01-01",'
    b'"published_precision":"day","quote":"","start":1,"end":2}],"tags":[],'
    b'"reported_at":null,"extraction":"spacy","gazetteer_version":"","updated_at":"2025-'
    b'"notes":null,"edited_fields":[]}}'
)
_RAW, _LZ4_1 = 0, 1
#: Texts shorter than this are stored as they are (compression gains nothing on them).
_PACK_MIN = 96


#: Separates the parts of a stored document: a Feature's JSON text never holds it raw.
_PART = "\x1e"
_PART_BYTES = _PART.encode()
_LAYOUT = f"{CSV_LAYOUT}".encode()


def pack_feature(text, csv_text=None):
    """Return the stored document of a Feature text: a format byte, then the body.

    The body is the Feature text, then (when given) the separator, ``CSV_LAYOUT``, the
    separator and the event's CSV line. Format 1 is an LZ4 block (high compression) with the
    preset dictionary :data:`_ZDICT_1`: a 1.3 KB Feature with its 1 KB CSV line takes about
    0.7 KB, read back at over 1 GB/s (deflate, a fifth smaller, is read four times slower:
    GeoJSON exports ran at half their speed).
    """
    if csv_text is not None:
        text = f"{text}{_PART}{CSV_LAYOUT}{_PART}{csv_text}"
    data = text.encode("utf-8")
    if len(data) < _PACK_MIN:
        return bytes((_RAW,)) + data
    return bytes((_LZ4_1,)) + _compress(
        data, mode="high_compression", compression=9, dict=_ZDICT_1, store_size=True
    )


def pack_document(event):
    """Return ``(feature_text, document)`` of ``event``: its Feature text and, packed with its
    CSV line, what the store keeps (``pack_feature``)."""
    feature = event_texts(event)[1]
    return feature, pack_feature(feature, csv_line(flatten_event(event)))


_compress, _decompress = lz4.block.compress, lz4.block.decompress


def _unpack(blob):
    kind = blob[0]
    if kind == _LZ4_1:
        return _decompress(blob[1:], dict=_ZDICT_1)
    if kind == _RAW:
        return bytes(memoryview(blob)[1:])
    raise ValueError(f"unknown stored document format {kind}; written by a newer conflictmap?")


def unpack_feature(blob):
    """Return the Feature text of a stored document (see :func:`pack_feature`)."""
    data = _unpack(blob)
    end = data.find(_PART_BYTES)
    return (data if end < 0 else data[:end]).decode("utf-8")


def unpack_csv_line(blob, has_geometry):
    """Return the CSV line of a stored document, made again when it was kept under another
    ``CSV_LAYOUT`` (or not kept)."""
    data = _unpack(blob)
    end = data.find(_PART_BYTES)
    if end >= 0:
        layout_end = data.find(_PART_BYTES, end + 1)
        if data[end + 1 : layout_end] == _LAYOUT:
            return data[layout_end + 1 :].decode("utf-8")
    feature = json.loads(data if end < 0 else data[:end])
    fields = feature["properties"]
    fields["geometry"] = feature["geometry"] if has_geometry else None
    return csv_line(flatten_fields(fields))


def event_bounds(event):
    if event.geometry:
        bounds = _geometry_facts(event.geometry)[0]
        if bounds:
            return bounds
    if event.latitude is not None and event.longitude is not None:
        return (event.longitude, event.latitude, event.longitude, event.latitude)
    return None


def same_event(a, b):
    """Return True when events ``a`` and ``b`` are equal apart from ``updated_at``.

    Shared sources, counts and outlines compare by identity first, so comparing a stored
    event with its merged successor does not walk through every source.
    """
    return a.replace(updated_at=None) == b.replace(updated_at=None)


_EVENT_KEYS = {f.name for f in dataclasses.fields(Event)}
_COUNT_KEYS = {f.name for f in dataclasses.fields(Count)}
_SOURCE_KEYS = {f.name for f in dataclasses.fields(Source)}


def _restore(cls, data):
    """Return a ``cls`` instance holding ``data`` as its fields, skipping ``__init__``.

    Only for rows this store wrote: ``put_events`` validated them through ``Event.from_dict``,
    and building frozen dataclasses field by field is the main cost of reading many events.
    """
    obj = object.__new__(cls)
    obj.__dict__.update(data)
    return obj


#: Events recently rebuilt, by their stored text or document (events are immutable, so they
#: are shared).
_LOADED: dict = {}
_LOADED_MAX = 1024


def load_event(text):
    """Rebuild an event from its stored JSON (``event_texts(event)[0]``, validated on write).

    Recently rebuilt events are remembered by their text: merging during ingestion reads the
    same stored events again and again.
    """
    event = _LOADED.get(text)
    if event is None:
        event = _load(json.loads(text))
        remember_loaded(text, event)
    return event


def load_doc(blob, has_geometry):
    """Rebuild an event from its stored document (``pack_feature``) and geometry flag.

    The Feature's properties are the event's fields; its geometry is the event's own when
    ``has_geometry``, else the point made of latitude and longitude (or null).
    """
    key = (bytes(blob), bool(has_geometry))
    event = _LOADED.get(key)
    if event is None:
        text = unpack_feature(blob)
        # The Feature text is {"type":"Feature","id":…,"geometry":…,"properties":…}: neither
        # key can occur unescaped inside a JSON string, and the properties hold no key
        # "properties", so the last one starts them. The geometry is decoded apart, once
        # per outline (areas' outlines are most of the text, and many events share one).
        start, cut = text.find(_GEOMETRY_KEY), text.rfind(_PROPERTIES_KEY)
        if 0 < start < cut:
            data = json.loads(text[cut + len(_PROPERTIES_KEY) : -1])
            geometry = (
                _geometry_of(text[start + len(_GEOMETRY_KEY) : cut]) if has_geometry else None
            )
        else:  # not written by this module: decode it whole
            feature = json.loads(text)
            data, geometry = feature["properties"], feature["geometry"] if has_geometry else None
        data["geometry"] = geometry
        event = _load(data)
        remember_loaded(key, event)
    return event


_GEOMETRY_KEY, _PROPERTIES_KEY = ',"geometry":', ',"properties":'
#: Outlines decoded from stored documents, by their JSON text: events of one area share one
#: geometry object (as the events the pipeline makes share their gazetteer place's), so it
#: is decoded, checked and measured once (``geo.events.geometry``, ``_geometry_facts``).
_OUTLINES: dict[str, dict] = {}
_OUTLINES_MAX = 256


def _geometry_of(text):
    geometry = _OUTLINES.get(text)
    if geometry is None:
        geometry = json.loads(text)
        if geometry is not None:
            bounded_put(_OUTLINES, text, geometry, _OUTLINES_MAX)
    return geometry


def remember_loaded(key, event):
    """Record that ``key`` (a stored text, or ``(document, has_geometry)``) loads to ``event``
    (a writer knows it without decoding)."""
    bounded_put(_LOADED, key, event, _LOADED_MAX)


def _load(data):
    data.setdefault("edited_fields", [])  # rows written before the field existed
    counts, sources = data.get("counts") or (), data.get("sources") or ()
    if (
        data.keys() != _EVENT_KEYS
        or any(c.keys() != _COUNT_KEYS for c in counts)
        or any(s.keys() != _SOURCE_KEYS for s in sources)
    ):  # written by another version of the model: take the validating path
        return Event.from_dict(data)
    data["date_start"] = date.fromisoformat(data["date_start"])
    data["date_end"] = date.fromisoformat(data["date_end"])
    if data.get("reported_at"):
        data["reported_at"] = date.fromisoformat(data["reported_at"])
    data["counts"] = tuple(_restore(Count, c) for c in counts)
    data["sources"] = tuple(map(_restore_source, sources))
    data["tags"] = tuple(data.get("tags") or ())
    data["edited_fields"] = tuple(data["edited_fields"])
    trust_geometry(data.get("geometry"))
    return _restore(Event, data)


def _restore_source(data):
    source = _restore(Source, data)
    trust_source(source)  # validated when written
    return source


def day(value):
    """Return the proleptic ordinal day of an ISO date string or date (exact in float32)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.toordinal()


def search_columns(event):
    """Return the texts of ``event`` that free-text search reads (summary, places, actors,
    quotes).

    The FTS5 index keeps no copy of them (``content=''``): an update drops the old words by
    giving them again, made by this function from the stored event. Changing what it returns
    therefore needs a schema migration that rebuilds ``events_fts``.
    """
    places = [event.location_name, event.name_in_text, event.admin1, event.country_code]
    actors = [event.actor1, event.actor2, event.claimed_by]
    # Distinct quotes and titles: matching is by words, and outlets often share a wire text.
    quotes = [*dict.fromkeys(s.quote for s in event.sources),
              *dict.fromkeys(s.title for s in event.sources)]  # fmt: skip
    summary = [event.summary, event.notes, *event.tags]
    return [" ".join(x for x in part if x) for part in (summary, places, actors, quotes)]


def write_event(conn, rid, event, fts, old=None):
    """Insert (``rid`` None) or update the row of ``event`` with its index entries.

    The row holds the columns that filters and pages read; the event itself is stored once,
    as its packed Feature text in ``event_docs`` (``pack_feature``).
    ``old`` is the stored version being updated, when known: index entries it shares with
    ``event`` are kept.
    Returns the row id; the event is remembered as what its stored document loads to.
    """
    bounds = event_bounds(event)
    box = bounds if bounds else (None, None, None, None)
    doc = pack_document(event)[1]
    has_geometry = 1 if event.geometry else 0
    values = (
        event.event_id,
        event.event_type,
        event.date_start.isoformat(),
        event.date_end.isoformat(),
        event.status,
        event.updated_at,
        event.actor1,
        event.actor2,
        event.claimed_by,
        event.geonameid,
        event.country_code,
        event.geo_precision,
        event.extraction,
        *box,
        has_geometry,
    )
    columns = (
        "event_id, event_type, date_start, date_end, status, updated_at, actor1, actor2, "
        "claimed_by, geonameid, country_code, geo_precision, extraction, "
        "min_lon, min_lat, max_lon, max_lat, has_geometry"
    )
    search = search_columns(event)
    same_span = same_box = same_search = False
    added = _source_rows(event)
    if rid is None:
        marks = ", ".join("?" * len(values))
        rid = conn.execute(f"INSERT INTO events({columns}) VALUES ({marks})", values).lastrowid
        conn.execute("INSERT INTO event_docs(rid, body) VALUES (?, ?)", (rid, doc))
    else:
        if old is None and fts:  # the contentless FTS index needs the old words to drop them
            row = conn.execute(
                "SELECT d.body, e.has_geometry FROM events e JOIN event_docs d ON d.rid = e.rid "
                "WHERE e.rid = ?",
                (rid,),
            ).fetchone()
            old = load_doc(*row) if row else None
        if old is not None:
            same_span = (old.date_start, old.date_end) == (event.date_start, event.date_end)
            same_box = same_span and event_bounds(old) == bounds
            same_search = search_columns(old) == search
        sets = ", ".join(f"{c.strip()} = ?" for c in columns.split(","))
        conn.execute(f"UPDATE events SET {sets}, deleted = 0 WHERE rid = ?", (*values, rid))
        conn.execute("INSERT OR REPLACE INTO event_docs(rid, body) VALUES (?, ?)", (rid, doc))
        if old is None:
            conn.execute("DELETE FROM event_sources WHERE event_rid = ?", (rid,))
        else:
            # Only the sources that changed: a new report adds one row, not all of them.
            before, after = Counter(_source_rows(old)), Counter(added)
            added = list((after - before).elements())
            conn.executemany(
                "DELETE FROM event_sources WHERE rowid = (SELECT rowid FROM event_sources "
                "WHERE event_rid = ? AND source_id = ? AND publisher IS ? AND url IS ? LIMIT 1)",
                [(rid, *row) for row in (before - after).elements()],
            )
        if not same_box:
            conn.execute("DELETE FROM events_rtree WHERE id = ?", (rid,))
        if not same_span:
            conn.execute("DELETE FROM events_span WHERE id = ?", (rid,))
        if not same_search and fts and old is not None:
            conn.execute(
                "INSERT INTO events_fts(events_fts, rowid, summary, places, actors, quotes) "
                "VALUES ('delete', ?, ?, ?, ?, ?)",
                (rid, *search_columns(old)),
            )
        elif not same_search and not fts:
            conn.execute("DELETE FROM events_fts WHERE rowid = ?", (rid,))
    if added:
        conn.executemany(
            "INSERT INTO event_sources(event_rid, source_id, publisher, url) VALUES (?, ?, ?, ?)",
            [(rid, *row) for row in added],
        )
    if not same_span:
        conn.execute(
            "INSERT INTO events_span(id, min_day, max_day) VALUES (?, ?, ?)",
            (rid, event.date_start.toordinal(), event.date_end.toordinal()),
        )
    if bounds and not same_box:
        conn.execute(
            "INSERT INTO events_rtree(id, min_lon, max_lon, min_lat, max_lat, min_day, max_day) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rid,
                bounds[0],
                bounds[2],
                bounds[1],
                bounds[3],
                event.date_start.toordinal(),
                event.date_end.toordinal(),
            ),
        )
    if not same_search and fts:
        conn.execute(
            "INSERT INTO events_fts(rowid, summary, places, actors, quotes) VALUES (?, ?, ?, ?, ?)",
            (rid, *search),
        )
    elif not same_search:
        conn.execute(
            "INSERT INTO events_fts(rowid, body) VALUES (?, ?)", (rid, " ".join(search).lower())
        )
    remember_loaded((doc, bool(has_geometry)), event)
    return rid


def _source_rows(event):
    return [(s.source_id, s.publisher, s.url) for s in event.sources]
