"""Tests of the store's fast paths: shared geometry work, batched writes, ready-made features."""

import json

import pytest

from geo._sqlite_rows import event_json
from geo.events import Event, rfc7946_geometry
from geo.exc import ValidationError
from geo.sqlite_store import SQLiteStore

SQUARE = [[34.0, 50.0], [36.0, 50.0], [36.0, 52.0], [34.0, 52.0], [34.0, 50.0]]


def area_event(event_id, coords=None, **kw):
    data = {
        "event_id": event_id,
        "event_type": "attack",
        "date_start": "2025-01-09",
        "latitude": 51.0,
        "longitude": 35.0,
        "geo_precision": "admin1",
        "geometry": {"type": "Polygon", "coordinates": [coords or SQUARE]},
    }
    data.update(kw)
    return Event.from_dict(data)


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "events.sqlite")
    yield s
    s.close()


def test_stored_json_is_the_event_dict(store):
    marker = "\x00geometry\x00"
    for i, summary in enumerate(["Attack on Kursk", marker, None]):
        event = area_event(f"ev-{i}", summary=summary)
        assert json.loads(event_json(event)) == event.to_dict()
    store.put_events([area_event("ev-a", summary=marker)])
    assert store.get("ev-a").summary == marker


def test_shared_immutable_geometry_is_checked_once_and_stays_correct():
    # The gazetteer hands out nested tuples; clockwise input must still be rewound.
    clockwise = tuple(tuple(p) for p in reversed(SQUARE))
    geometry = {"type": "Polygon", "coordinates": (clockwise,)}
    first = rfc7946_geometry(geometry)
    again = rfc7946_geometry(dict(geometry))
    assert first == again
    assert first["coordinates"][0] == SQUARE  # counterclockwise, as lists
    assert first["coordinates"] is again["coordinates"]


def test_fresh_input_is_always_validated():
    good = [list(p) for p in SQUARE]
    rfc7946_geometry({"type": "Polygon", "coordinates": [good]})
    bad = [list(p) for p in SQUARE]
    bad[1] = [500.0, 50.0]
    with pytest.raises(ValidationError, match="lon, lat"):
        rfc7946_geometry({"type": "Polygon", "coordinates": [bad]})
    with pytest.raises(ValidationError):
        Event.from_dict(
            {
                "event_type": "attack",
                "date_start": "2025-01-09",
                "geometry": {"type": "Polygon", "coordinates": [bad]},
            }
        )


def test_same_id_twice_in_one_batch(store):
    first = area_event("ev-1", summary="first")
    second = first.replace(summary="second")
    result = store.put_events([first, second])
    assert result.written == 2
    assert store.count() == 1
    assert store.get("ev-1").summary == "second"
    assert store.put_events([second]).unchanged == ("ev-1",)


def test_batched_lookup_spans_chunks(store):
    events = [area_event(f"ev-{i:04d}") for i in range(1203)]
    assert store.put_events(events).written == 1203
    again = store.put_events(events)
    assert again.written == 0 and len(again.unchanged) == 1203
