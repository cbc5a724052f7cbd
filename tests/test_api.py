"""OGC API - Features reads: landing page, conformance, collections, items and their filters."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.events.model import Event


def _event(**kw):
    data = {
        "event_type": "capture",
        "date_start": "2024-10-09",
        "latitude": 51.5,
        "longitude": 35.2,
        "summary": "Troops took the village",
        "location_name": "Place",
        "actor1": "Military Forces of Russia",
        "sources": [
            {"source_id": "a1", "publisher": "Outlet One", "url": "https://one.example/a1"},
            {"source_id": "b2", "publisher": "Outlet Two", "url": "https://two.example/b2"},
        ],
    }
    data.update(kw)
    return Event.from_dict(data)


@pytest.fixture
def events(store):
    evs = [
        _event(event_id="in-oct", date_start="2024-10-09"),
        _event(event_id="in-nov", date_start="2024-11-20", event_type="attack", status="reviewed"),
        _event(event_id="out-west", longitude=10.0, latitude=50.0, date_start="2024-10-10"),
        _event(
            event_id="span",
            date_start="2024-09-01",
            date_end="2024-12-31",
            event_type="deployment",
            actor1="Military Forces of North Korea",
            summary="Soldiers deployed to the border region",
            sources=[{"source_id": "kp", "publisher": "Outlet Three", "quote": "thousands"}],
        ),
        _event(
            event_id="front",
            event_type="front_line",
            date_start="2024-11-01",
            geometry={
                "type": "LineString",
                "coordinates": [[35.0, 51.0], [35.5, 51.4], [36.0, 51.2]],
            },
        ),
    ]
    store.put_events(evs)
    return {e.event_id: e for e in evs}


def _ids(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {f["id"] for f in resp.get_json()["features"]}


@pytest.mark.parametrize(
    "headers, query",
    [
        pytest.param({"Accept": "application/json"}, "", id="accept-json"),
        pytest.param({"Accept": "*/*"}, "", id="any"),
        pytest.param({}, "", id="no-accept"),
        pytest.param({"Accept": "text/html"}, "?f=json", id="f-json-wins"),
    ],
)
def test_landing_page_is_json_for_api_clients(client, headers, query):
    resp = client.get("/" + query, headers=headers)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    links = {link["rel"]: link for link in resp.get_json()["links"]}
    assert links["service-desc"]["href"].endswith("/openapi")
    assert links["conformance"]["href"].endswith("/conformance")
    assert links["data"]["href"].endswith("/collections")
    assert "Accept" in resp.headers["Vary"]


def test_landing_page_is_the_map_for_browsers(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    resp = client.get("/", headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert "ConflictMap.viewer(" in resp.get_data(as_text=True)
    assert client.get("/?f=html").mimetype == "text/html"
    bad = client.get("/?f=xml")
    assert bad.status_code == 400 and bad.get_json()["field"] == "f"


def test_conformance_declares_core_geojson_and_oas30(client):
    classes = client.get("/conformance").get_json()["conformsTo"]
    base = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
    assert {base + "core", base + "geojson", base + "oas30"} <= set(classes)
    assert base + "html" not in classes


def test_collections_have_extents_from_the_stored_events(client, events):
    body = client.get("/collections").get_json()
    by_id = {c["id"]: c for c in body["collections"]}
    assert set(by_id) == {"events", "front_lines"}
    ext = by_id["events"]["extent"]
    assert ext["spatial"]["bbox"] == [[10.0, 50.0, 36.0, 51.5]]
    assert ext["temporal"]["interval"] == [["2024-09-01T00:00:00Z", "2024-12-31T23:59:59Z"]]
    # front_lines holds dated geometry (tests/test_frontlines.py): none imported here
    fl = client.get("/collections/front_lines").get_json()
    assert fl["versions"] == [] and fl["extent"]["temporal"]["interval"] == [[None, None]]
    missing = client.get("/collections/tanks")
    assert missing.status_code == 404 and missing.get_json()["field"] == "collectionId"


def test_items_page_is_rfc7946_geojson_with_counts_and_sources(client, events):
    resp = client.get("/collections/events/items")
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    fc = json.loads(resp.get_data())
    assert fc["type"] == "FeatureCollection"
    assert fc["numberMatched"] == fc["numberReturned"] == len(events) == len(fc["features"])
    assert fc["timeStamp"].endswith("Z")
    assert resp.headers["X-Data-As-Of"] == fc["dataAsOf"] != ""
    feature = next(f for f in fc["features"] if f["id"] == "in-oct")
    assert feature["geometry"] == {"type": "Point", "coordinates": [35.2, 51.5]}
    publishers = [s["publisher"] for s in feature["properties"]["sources"]]
    assert publishers == ["Outlet One", "Outlet Two"]


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param("bbox=30,45,40,55", {"in-oct", "in-nov", "span", "front"}, id="bbox"),
        pytest.param("bbox=0,45,20,55", {"out-west"}, id="bbox-west"),
        pytest.param("bbox=35.8,51.1,36.5,51.3", {"front"}, id="bbox-hits-line-only"),
        pytest.param("bbox=0,45,-100,20,55,9000", {"out-west"}, id="bbox-3d"),
        pytest.param("datetime=2024-10-09", {"in-oct", "span"}, id="instant-overlaps-span"),
        pytest.param("datetime=2024-10-09T23:30:00Z", {"in-oct", "span"}, id="date-time"),
        pytest.param("datetime=2024-10-10T01:00:00%2B03:00", {"in-oct", "span"}, id="offset-tz"),
        pytest.param("datetime=2024-11-01/..", {"in-nov", "span", "front"}, id="open-end"),
        pytest.param("datetime=../2024-10-09", {"in-oct", "span"}, id="open-start"),
        pytest.param("datetime=2025-01-01/2025-02-01", set(), id="after-all"),
        pytest.param("type=attack,deployment", {"in-nov", "span"}, id="types-comma"),
        pytest.param("type=attack&type=front_line", {"in-nov", "front"}, id="types-repeated"),
        pytest.param("actor=north korea", {"span"}, id="actor"),
        pytest.param("status=reviewed", {"in-nov"}, id="status"),
        pytest.param("q=deployed", {"span"}, id="text"),
        pytest.param("source=Outlet Three", {"span"}, id="source-publisher"),
        pytest.param("source=kp", {"span"}, id="source-id"),
        pytest.param("source=https://one.example/a1", {"in-oct", "in-nov", "out-west", "front"},
                     id="source-url"),
        pytest.param("bbox=30,45,40,55&datetime=2024-10-01/2024-10-31&type=capture", {"in-oct"},
                     id="combined"),
    ],
)  # fmt: skip
def test_item_filters(client, events, query, expected):
    resp = client.get(f"/collections/events/items?{query}")
    assert _ids(resp) == expected
    assert resp.get_json()["numberMatched"] == len(expected)


def test_crs84_is_accepted_and_declared(client, events):
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    resp = client.get(f"/collections/events/items?crs={crs84}&bbox-crs={crs84}&bbox=30,45,40,55")
    assert resp.status_code == 200 and resp.headers["Content-Crs"] == f"<{crs84}>"
    assert _ids(resp) == {"in-oct", "in-nov", "span", "front"}


def test_bbox_crossing_the_antimeridian(client, store):
    store.put_events(
        [
            _event(event_id="fiji", longitude=179.5, latitude=-17.0),
            _event(event_id="samoa", longitude=-172.0, latitude=-13.8),
            _event(event_id="kursk", longitude=36.2, latitude=51.7),
        ]
    )
    assert _ids(client.get("/collections/events/items?bbox=170,-20,-170,-10")) == {"fiji", "samoa"}


def test_paging_follows_next_links_over_every_match_once(client, store):
    store.put_events(
        [_event(event_id=f"e{i:03d}", date_start=f"2024-10-{1 + i % 28:02d}") for i in range(57)]
    )
    seen, url, pages = [], "/collections/events/items?limit=20&bbox=30,45,40,55", 0
    while url:
        fc = client.get(url).get_json()
        pages += 1
        assert fc["numberMatched"] == 57
        assert fc["numberReturned"] == len(fc["features"]) <= 20
        seen += [f["id"] for f in fc["features"]]
        links = {link["rel"]: link["href"] for link in fc["links"]}
        if pages > 1:
            assert "prev" in links
        url = links.get("next")
        if url:
            parts = urlsplit(url)
            assert parse_qs(parts.query)["bbox"] == ["30,45,40,55"]
            url = parts.path + "?" + parts.query
    assert pages == 3
    assert sorted(seen) == sorted(f"e{i:03d}" for i in range(57)) and len(set(seen)) == 57


def test_page_links_carry_the_query_as_url_for_writes_it(app, client, store):
    """Each link of a page keeps every parameter but f and offset, encoded as url_for
    encodes them (repeated keys, spaces, commas, non-ASCII, reserved characters)."""
    from flask import url_for

    url = "https://news.example/a?b=c&d"
    sources = [{"source_id": "s1", "publisher": "Outlet", "url": url}]
    store.put_events([
        _event(event_id=f"l{i}", date_start="2024-10-01", summary="Kyiv strike on a depot",
               actor1="Über Forces", sources=sources)
        for i in range(7)
    ])  # fmt: skip
    query = (
        "limit=2&offset=2&bbox=30,45,40,55&type=attack&type=capture&q=Kyiv%20strike"
        "&source=https%3A%2F%2Fnews.example%2Fa%3Fb%3Dc%26d&actor=%C3%9Cber+Forces"
        "&datetime=2024-09-01/2024-11-30&f=json"
    )
    fc = client.get(f"/collections/events/items?{query}").get_json()
    values = parse_qs(query)
    del values["f"], values["offset"]
    with app.test_request_context(f"/collections/events/items?{query}"):

        def expected(fmt, offset=None):
            extra = {"offset": offset} if offset else {}
            return url_for("api.items", _external=True, collection_id="events", **values,
                           f=fmt, **extra)  # fmt: skip

        hrefs = {(link["rel"], link["type"]): link["href"] for link in fc["links"]}
        assert hrefs[("self", "application/geo+json")] == expected("json", 2)
        assert hrefs[("next", "application/geo+json")] == expected("json", 4)
        assert hrefs[("prev", "application/geo+json")] == expected("json")
        assert hrefs[("alternate", "text/csv; charset=utf-8")] == expected("csv")
    assert "q=Kyiv+strike" in hrefs[("self", "application/geo+json")]


@pytest.mark.parametrize("where", ["bbox=30,45,40,55", "type=capture", ""])
def test_number_matched_is_left_out_beyond_its_cap(app, client, store, where):
    """Past NUMBER_MATCHED_MAX matches a page carries no numberMatched, only its next link;
    following the links still visits every match once."""
    store.put_events(
        [_event(event_id=f"n{i:03d}", date_start=f"2024-10-{1 + i % 28:02d}") for i in range(45)]
    )
    app.config["NUMBER_MATCHED_MAX"] = 30
    seen, url, counts = [], f"/collections/events/items?limit=20&{where}", []
    while url:
        fc = client.get(url).get_json()
        counts.append(fc.get("numberMatched"))
        seen += [f["id"] for f in fc["features"]]
        url = {link["rel"]: link["href"] for link in fc["links"]}.get("next")
        url = url and urlsplit(url).path + "?" + urlsplit(url).query
    assert counts == [None, None, 45]  # the last page, not full, ends the matches
    assert sorted(seen) == sorted(f"n{i:03d}" for i in range(45)) and len(set(seen)) == 45
    app.config["NUMBER_MATCHED_MAX"] = 45
    assert client.get(f"/collections/events/items?{where}").get_json()["numberMatched"] == 45
    fc = client.get(f"/collections/events/items?limit=20&offset=40&{where}").get_json()
    assert fc["numberMatched"] == 45 and fc["numberReturned"] == 5


def test_limit_is_capped_not_refused(app, client, store):
    store.put_events([_event(event_id=f"c{i}", date_start="2024-10-01") for i in range(12)])
    app.config["API_MAX_LIMIT"] = 5
    fc = client.get(f"/collections/events/items?limit={10**9}").get_json()
    assert fc["numberReturned"] == 5 and fc["numberMatched"] == 12
    assert any(link["rel"] == "next" for link in fc["links"])
    fc = client.get("/collections/events/items").get_json()
    assert fc["numberReturned"] == 5


def test_default_limit_is_100(client, store):
    store.put_events([_event(event_id=f"d{i:03d}", date_start="2024-10-01") for i in range(130)])
    fc = client.get("/collections/events/items").get_json()
    assert fc["numberReturned"] == 100 and fc["numberMatched"] == 130


@pytest.mark.parametrize(
    "query, field, words",
    [
        pytest.param("bbox=30,45,40", "bbox", "3 values", id="bbox-3-numbers"),
        pytest.param("bbox=30,45,40,95", "bbox", "max_lat", id="lat-95"),
        pytest.param("bbox=30,55,40,45", "bbox", "above", id="lat-reversed"),
        pytest.param("bbox=a,b,c,d", "bbox", "'a,b,c,d'", id="bbox-text"),
        pytest.param("bbox=30,45,40,nan", "bbox", "finite", id="bbox-nan"),
        pytest.param("bbox=200,45,210,50", "bbox", "min_lon", id="lon-200"),
        pytest.param("bbox-crs=EPSG:3857&bbox=1,2,3,4", "bbox-crs", "EPSG:3857", id="crs"),
        pytest.param("crs=EPSG:3857", "crs", "EPSG:3857", id="output-crs"),
        pytest.param("datetime=yesterday", "datetime", "'yesterday'", id="yesterday"),
        pytest.param("datetime=2024-02-30", "datetime", "2024-02-30", id="no-such-day"),
        pytest.param("datetime=2024-12-01/2024-01-01", "datetime", "after", id="reversed"),
        pytest.param("datetime=../..", "datetime", "closed end", id="both-open"),
        pytest.param("limit=-1", "limit", "'-1'", id="limit-negative"),
        pytest.param("limit=0", "limit", ">= 1", id="limit-zero"),
        pytest.param("limit=ten", "limit", "'ten'", id="limit-text"),
        pytest.param("offset=-5", "offset", "'-5'", id="offset-negative"),
        pytest.param("type=tank_battle", "type", "tank_battle", id="type"),
        pytest.param("status=rumoured", "status", "rumoured", id="status"),
        pytest.param("q=%21%21", "q", "word", id="q-no-words"),
        pytest.param("f=xlsx", "f", "xlsx", id="format"),
        pytest.param("bboxx=1,2,3,4", "bboxx", "unknown", id="typo"),
    ],
)
def test_bad_parameters_are_clear_400s(client, events, query, field, words):
    resp = client.get(f"/collections/events/items?{query}")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body == {"ok": False, "status": 400, "error": body["error"], "field": field}
    assert words in body["error"]


def test_single_item_and_missing_item(client, events):
    resp = client.get("/collections/events/items/span")
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    feature = resp.get_json()
    assert feature["type"] == "Feature" and feature["id"] == "span"
    assert feature["properties"]["sources"][0]["quote"] == "thousands"
    assert {link["rel"] for link in feature["links"]} == {"self", "collection"}
    missing = client.get("/collections/events/items/ev-nope")
    assert missing.status_code == 404
    assert missing.get_json()["field"] == "featureId" and "ev-nope" in missing.get_json()["error"]
    # front_lines holds dated geometry, not events: an event id is no feature there
    assert client.get("/collections/front_lines/items/front").status_code == 404


def test_front_line_events_stay_events(client, events):
    # the text references to front lines are events of type front_line
    assert _ids(client.get("/collections/events/items?type=front_line")) == {"front"}
    assert client.get("/collections/front_lines/items").get_json()["features"] == []


def test_deleted_events_are_gone_from_the_api(client, store, events):
    store.delete_event("in-oct", reason="duplicate", by="test")
    assert "in-oct" not in _ids(client.get("/collections/events/items"))
    assert client.get("/collections/events/items/in-oct").status_code == 404


def test_openapi_describes_every_route_with_typed_parameters(app, client):
    resp = client.get("/openapi")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.0")
    documented = {
        path.replace("{collectionId}", "<collection_id>").replace("{featureId}", "<item_id>")
        for path in doc["paths"]
    }
    api_blueprints = ("api.", "writes.", "geocoding.")
    routes = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith(api_blueprints)}
    assert routes == documented
    params = doc["components"]["parameters"]
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "default": 100}
    assert params["bbox"]["schema"]["minItems"] == 4
    assert set(params["f_items"]["schema"]["enum"]) >= {"json", "csv", "gpkg", "kml", "geojson"}


def test_head_and_unread_item_pages_do_not_disturb_later_requests(client, events):
    import gc

    unread = client.get("/collections/events/items?limit=2")
    assert unread.status_code == 200
    head = client.head("/collections/events/items")
    assert head.status_code == 200 and head.get_data() == b""
    del unread, head
    gc.collect()
    assert client.get("/collections/events/items/span").status_code == 200
    assert client.get("/map").status_code == 200


def test_extent_follows_a_write_in_the_same_second(client, store, events):
    before = client.get("/collections/events").get_json()["extent"]["spatial"]["bbox"]
    store.put_events([_event(event_id="far", longitude=-60.0, latitude=-30.0)])
    after = client.get("/collections/events").get_json()["extent"]["spatial"]["bbox"]
    assert before[0][0] == 10.0 and after[0][:2] == [-60.0, -30.0]


def test_offset_past_the_end_still_counts_the_matches(client, events):
    fc = client.get("/collections/events/items?offset=1000").get_json()
    assert fc["features"] == [] and fc["numberReturned"] == 0
    assert fc["numberMatched"] == len(events)
    assert not any(link["rel"] == "next" for link in fc["links"])


def test_items_page_sends_each_event_as_its_to_feature(client, events, store):
    from geo.store.base import EventQuery

    resp = client.get("/collections/events/items?bbox=30,45,40,55&datetime=2024-10-01/..")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    expected = [e.to_feature() for e in store.query(EventQuery(bbox=(30, 45, 40, 55),
                                                               start="2024-10-01"))]  # fmt: skip
    assert expected and json.loads(body)["features"] == expected
    for feature in expected:  # byte for byte as the slow path would write it
        assert json.dumps(feature, ensure_ascii=False, separators=(",", ":")) in body
