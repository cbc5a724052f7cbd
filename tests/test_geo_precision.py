"""An event without a location claims no place precision: model, store, writers and the API."""

import csv
import io
import json
import sqlite3

import pytest
from legacy_sqlite import downgrade_to_4

from geo.events.model import Event
from geo.exc import ValidationError
from geo.formats import FORMATS
from geo.store.sqlite.store import SQLiteStore

BASE = {"event_type": "statement", "date_start": "2025-01-12", "summary": "Kyiv confirmed it"}


def placeless(**kw):
    return Event.from_dict({**BASE, "event_id": "ev-said", **kw})


def test_no_location_means_no_precision():
    assert placeless().geo_precision is None
    # a precision given without any location is not kept: it would claim a place
    assert placeless(geo_precision="exact").geo_precision is None
    assert placeless(location_name="somewhere unnamed").geo_precision is None
    assert placeless().to_feature()["geometry"] is None
    assert placeless().to_feature()["properties"]["geo_precision"] is None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"latitude": 51.2, "longitude": 35.3}, "exact"),
        ({"latitude": 51.2, "longitude": 35.3, "geo_precision": "near"}, "near"),
        ({"geonameid": 538555}, "exact"),
        ({"geonameid": 538555, "geo_precision": "admin1"}, "admin1"),
        (
            {
                "geo_precision": "admin1",
                "geometry": {"type": "Polygon", "coordinates": [[[34, 50], [36, 50], [35, 52]]]},
            },
            "admin1",
        ),
    ],
)
def test_located_events_keep_or_default_their_precision(extra, expected):
    assert placeless(**extra).geo_precision == expected


def test_a_bad_precision_is_refused_even_without_location():
    with pytest.raises(ValidationError, match="geo_precision must be one of") as err:
        placeless(geo_precision="street")
    assert err.value.field == "geo_precision"


def _export(name, events):
    out = io.BytesIO()
    FORMATS[name].write(events, out, meta={"data_as_of": "2025-01-13T00:00:00Z"})
    return out.getvalue()


def test_writers_leave_the_precision_empty(tmp_path):
    events = [placeless(), placeless(event_id="ev-at", latitude=51.2, longitude=35.3)]
    features = json.loads(_export("geojson", events))["features"]
    assert [f["properties"]["geo_precision"] for f in features] == [None, "exact"]
    rows = list(csv.DictReader(io.StringIO(_export("csv", events).decode("utf-8"))))
    assert [r["geo_precision"] for r in rows] == ["", "exact"]
    kml = _export("kml", [placeless(location_name="Somewhere")]).decode("utf-8")
    assert "Somewhere" in kml
    assert "(precision:" not in kml and 'name="geo_precision"' not in kml
    path = tmp_path / "out.gpkg"
    path.write_bytes(_export("gpkg", events))
    conn = sqlite3.connect(path)
    values = dict(conn.execute("SELECT event_id, geo_precision FROM events").fetchall())
    conn.close()
    assert values == {"ev-said": None, "ev-at": "exact"}


def test_store_keeps_none_and_migrates_old_exact(tmp_path):
    path = tmp_path / "s.sqlite"
    with SQLiteStore(path) as store:
        store.put_events([placeless(), placeless(event_id="ev-at", latitude=51.2, longitude=35.3)])
        assert store.get("ev-said").geo_precision is None
    # a store written before schema 4 said "exact" for placeless events
    downgrade_to_4(path)
    conn = sqlite3.connect(path)
    text = conn.execute("SELECT json FROM events WHERE event_id = 'ev-said'").fetchone()[0]
    old = json.loads(text)
    old["geo_precision"] = "exact"
    conn.execute(
        "UPDATE events SET json = ?, geo_precision = 'exact', feature = NULL "
        "WHERE event_id = 'ev-said'",
        (json.dumps(old),),
    )
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as store:
        assert store.get("ev-said").geo_precision is None
        assert store.get("ev-at").geo_precision == "exact"
        features = [json.loads(t) for t in store.query_features()]
        precision = {f["id"]: f["properties"]["geo_precision"] for f in features}
        assert precision == {"ev-said": None, "ev-at": "exact"}
        assert store.count(EventQueryExtra(geo_precision="exact")) == 1


def EventQueryExtra(**extra):  # noqa: N802 - reads like the query it builds
    from geo.store.base import EventQuery

    return EventQuery(extra=extra)


def test_api_item_has_null_precision(client, store):
    store.put_events([placeless()])
    body = client.get("/collections/events/items/ev-said").get_json()
    assert body["properties"]["geo_precision"] is None
    page = client.get("/collections/events/items").get_json()
    assert page["features"][0]["properties"]["geo_precision"] is None
