"""Issue 13 items 7, 8 and 11: input that used to answer 500, or to be stored as given.

Every case answers 400 in the one JSON error shape, naming the field, and stores nothing.
"""

import json

import pytest

from attacks.helpers import assert_error_shape
from geo.events.model import Event

ITEMS = "/collections/events/items"


def _event(**kw):
    data = {
        "event_type": "attack",
        "date_start": "2024-10-09",
        "latitude": 51.5,
        "longitude": 35.2,
        "summary": "Shelling",
        "sources": [{"source_id": "s1", "url": "https://news.example/a"}],
    }
    data.update(kw)
    return data


@pytest.fixture
def stored(store):
    store.put_events([Event.from_dict(_event(event_id="ev-1"))])


# -- item 7: reads that answered 500 -------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        pytest.param("offset=9223372036854775808", "offset", id="offset-2^63"),
        pytest.param("offset=9223372036854775808&f=csv", "offset", id="offset-2^63-csv"),
        pytest.param("offset=" + "9" * 5000, "offset", id="offset-5000-digits"),
        pytest.param("datetime=9999-12-31T23:59:59-23:59", "datetime", id="after-9999"),
        pytest.param("datetime=0001-01-01T00:00:00%2B23:59", "datetime", id="before-0001"),
        pytest.param("datetime=2024-01-01/9999-12-31T23:59:59-23:59", "datetime", id="end-9999"),
        pytest.param("actor=" + ",".join(f"x{i}" for i in range(996)), "actor", id="996-actors"),
        pytest.param("&".join(f"actor=x{i}" for i in range(1200)), "actor", id="1200-actor-params"),
        pytest.param("bbox=1,2,3,4&bbox=5,6,7,8", "bbox", id="bbox-twice"),
    ],
)
def test_reads_that_answered_500_are_400s(client, stored, query, field):
    assert_error_shape(client.get(f"{ITEMS}?{query}"), 400, field)


def _nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_nested(1000), id="list-1000-deep"),
        pytest.param(_nested(100_000), id="list-100000-deep"),
        pytest.param('{"event_type": "attack", "tags": ' + _nested(900) + "}", id="tags-900"),
        pytest.param(
            json.dumps(_event(summary=None))[:-1] + ', "summary": ' + _nested(990) + "}",
            id="summary-990",
        ),
    ],
)
def test_json_bodies_nested_too_deep_are_400s(client, store, auth, body):
    resp = client.post(ITEMS, data=body, headers={**auth, "Content-Type": "application/json"})
    assert_error_shape(resp, 400)
    assert store.count() == 0


def test_geocode_batch_nested_too_deep_is_a_400(client):
    resp = client.post("/api/geocode", data=_nested(5000), content_type="application/json")
    assert_error_shape(resp, 400, "body")


@pytest.mark.parametrize(
    "fields, field",
    [
        pytest.param({"geonameid": 2**63}, "geonameid", id="geonameid-2^63"),
        pytest.param({"geonameid": 2**53}, "geonameid", id="geonameid-2^53"),
        pytest.param({"geonameid": "9" * 5000}, "geonameid", id="geonameid-5000-digits"),
        pytest.param({"counts": [{"kind": "killed", "low": 2**63}]}, "low", id="count-2^63"),
        pytest.param(
            {"sources": [{"source_id": "s", "start": 0, "end": 2**64}]}, "end", id="offset-2^64"
        ),
    ],
)
def test_integers_beyond_what_exports_write_are_400s(client, store, auth, fields, field):
    resp = client.post(ITEMS, json=_event(**fields), headers=auth)
    body = assert_error_shape(resp, 400, field)
    assert "2^53" in body["error"] or "integer" in body["error"]
    assert store.count() == 0


# -- item 8: ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "event_id",
    ["../../x", "a/b", "a b", "a?b", "a#b", "%2e%2e", ".hidden", "-x", "é", "x" * 201, "a\\b"],
)
def test_ids_outside_the_safe_alphabet_are_refused(client, store, auth, event_id):
    resp = client.post(ITEMS, json=_event(event_id=event_id), headers=auth)
    body = assert_error_shape(resp, 400, "event_id")
    assert "letters, digits" in body["error"]
    assert store.count() == 0


def test_every_accepted_id_is_reachable_and_deletable(client, store, auth):
    for event_id in ("ev-1", "A.b_c:d~e-f", "9" * 200):
        assert client.post(ITEMS, json=_event(event_id=event_id), headers=auth).status_code == 201
        assert client.get(f"{ITEMS}/{event_id}").get_json()["id"] == event_id
        resp = client.delete(f"{ITEMS}/{event_id}?reason=test", headers=auth)
        assert resp.status_code == 200
    assert store.count() == 0


# -- item 11: URLs and coordinates --------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "//news.example/a",
        "https://",
    ],
)
def test_source_urls_must_be_http_or_https(client, store, auth, url):
    resp = client.post(ITEMS, json=_event(sources=[{"source_id": "s1", "url": url}]), headers=auth)
    assert_error_shape(resp, 400, "url")
    assert store.count() == 0


@pytest.mark.parametrize(
    "fields, field",
    [
        pytest.param({"latitude": True, "longitude": True}, "latitude", id="booleans"),
        pytest.param({"latitude": "51.5", "longitude": "35.2"}, "latitude", id="strings"),
        pytest.param({"latitude": 51.5, "longitude": False}, "longitude", id="false-lon"),
        pytest.param({"latitude": [51.5], "longitude": 35.2}, "latitude", id="list"),
    ],
)
def test_coordinates_must_be_numbers(client, store, auth, fields, field):
    assert_error_shape(client.post(ITEMS, json=_event(**fields), headers=auth), 400, field)
    assert store.count() == 0


@pytest.mark.parametrize(
    "coordinates",
    [[True, False], ["35.2", "51.5"], [35.2, 51.5, "high"], [35.2, 51.5, 0, 0]],
)
def test_feature_coordinates_must_be_numbers(client, store, auth, coordinates):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": coordinates},
        "properties": {"event_type": "attack", "date_start": "2024-10-09"},
    }
    assert_error_shape(client.post(ITEMS, json=feature, headers=auth), 400)
    assert store.count() == 0


def test_patch_cannot_sneak_bad_values_in(client, store, stored, auth):
    for patch, field in (
        ({"latitude": "51"}, "latitude"),
        ({"sources": [{"source_id": "s", "url": "javascript:x"}]}, "url"),
        ({"geonameid": 2**63}, "geonameid"),
    ):
        resp = client.patch(f"{ITEMS}/ev-1", json=patch, headers=auth)
        assert_error_shape(resp, 400, field)
    assert store.get("ev-1").latitude == 51.5
