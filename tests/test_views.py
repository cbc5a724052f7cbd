"""The map routes: page, embed, oEmbed, basemap, vendored assets, and ``build-maps``."""

import gzip
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.events.model import Event
from webapp.assets import external_refs


def _event(**kw):
    data = {
        "event_type": "capture",
        "date_start": "2024-10-09",
        "date_end": "2024-10-11",
        "latitude": 51.6,
        "longitude": 35.3,
        "summary": "Marker text zq-unique-41 for the page test",
        "sources": [{"source_id": "s1", "url": "https://example.org/1", "quote": "a quote"}],
    }
    data.update(kw)
    return Event.from_dict(data)


def _config(page):
    match = re.search(r"ConflictMap\.viewer\(\s*\w+, (\{.*?\})\);", page, re.S)
    return json.loads(match.group(1))


def test_map_page_loads_only_local_assets_with_the_csp_nonce(client):
    resp = client.get("/map")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert external_refs(page) == []
    nonces = set(re.findall(r'<script[^>]*\snonce="([^"]+)"', page))
    assert len(nonces) == 1
    assert len(re.findall(r"<script\b", page)) == len(re.findall(r"<script[^>]*\snonce=", page))
    csp = resp.headers.get("Content-Security-Policy", "")
    assert f"'nonce-{nonces.pop()}'" in csp


def test_root_serves_the_map_to_browsers_with_permalink_parameters(client):
    html = {"Accept": "text/html,application/xhtml+xml"}
    resp = client.get("/", headers=html)
    assert resp.status_code == 200
    assert "ConflictMap.viewer(" in resp.get_data(as_text=True)
    link = "/?start=2024-10-01&end=2024-10-31&type=capture&q=Kursk&event=ev-1&lat=51&lon=35&z=7"
    assert client.get(link, headers=html).status_code == 200
    assert client.get(link.replace("/?", "/embed?"), headers=html).status_code == 200


def test_map_page_fetches_data_instead_of_inlining_it(client, store):
    store.put_events([_event(), _event(date_start="2024-11-20", date_end="2024-11-20")])
    page = client.get("/map").get_data(as_text=True)
    assert "zq-unique-41" not in page
    config = _config(page)
    assert config["mode"] == "api"
    assert config["api"]["items"].endswith("/collections/events/items")
    assert config["extent"] == {"start": "2024-10-09", "end": "2024-11-20"}
    assert config["bounds"] == [[51.6, 35.3], [51.6, 35.3]]


def test_embed_has_no_chrome_and_can_be_framed(client):
    resp = client.get("/embed?start=2024-10-01&end=2024-10-31")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert _config(page)["embed"] is True
    assert "addFilters" not in page and "addStamp" in page
    assert resp.headers.get("X-Frame-Options") is None
    assert "frame-ancestors 'none'" not in resp.headers.get("Content-Security-Policy", "")


def test_oembed_answers_rich_json_with_an_escaped_iframe(client):
    url = "http://localhost/?start=2024-10-01&q=<script>&zz=drop&lat=51.5"
    resp = client.get("/oembed", query_string={"url": url, "maxwidth": 640})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert body["width"] == 640 and body["height"] == 500
    snippet = body["html"]
    assert "<script" not in snippet
    src = re.fullmatch(r'<iframe src="([^"]+)" width="640" height="500".*</iframe>', snippet)
    parts = urlsplit(src.group(1).replace("&amp;", "&"))
    assert parts.path == "/embed"
    assert parse_qs(parts.query) == {"start": ["2024-10-01"], "q": ["<script>"], "lat": ["51.5"]}


def test_map_page_advertises_its_oembed(client):
    page = client.get("/map?start=2024-10-01&q=<b>").get_data(as_text=True)
    href = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    assert "<b>" not in href.group(1)
    body = client.get(href.group(1).replace("&amp;", "&")).get_json()
    assert body["type"] == "rich"
    assert "start=2024-10-01" in body["html"] and "q=%3Cb%3E" in body["html"]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        pytest.param({"url": "https://elsewhere.example/"}, 404, "url", id="other-site"),
        pytest.param({"url": "http://localhost/collections"}, 404, "url", id="not-a-map"),
        pytest.param({"url": "javascript:alert(1)"}, 404, "url", id="javascript"),
        pytest.param({"url": "http://localhost/", "format": "xml"}, 501, "format", id="xml"),
        pytest.param({"url": "http://localhost/", "maxwidth": "wide"}, 400, "maxwidth", id="w"),
    ],
)
def test_oembed_rejects_bad_requests_with_the_json_error_shape(client, params, status, field):
    resp = client.get("/oembed", query_string=params)
    assert resp.status_code == status
    body = resp.get_json()
    assert body["ok"] is False and body["status"] == status and body["field"] == field
    assert isinstance(body["error"], str) and field in body["error"]


def test_basemap_is_gzipped_cached_geojson(client):
    resp = client.get("/maps/basemap/country.geojson", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "gzip"
    fc = json.loads(gzip.decompress(resp.get_data()))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 100
    again = client.get(
        "/maps/basemap/country.geojson",
        headers={"Accept-Encoding": "gzip", "If-None-Match": resp.headers["ETag"]},
    )
    assert again.status_code == 304
    plain = client.get("/maps/basemap/country.geojson")
    assert "Content-Encoding" not in plain.headers
    assert json.loads(plain.get_data()) == fc
    bad = client.get("/maps/basemap/streets.geojson")
    assert bad.status_code == 404 and bad.get_json()["field"] == "level"


def test_vendored_and_own_assets_are_served(client):
    def get(url):
        with client.get(url) as resp:  # file responses: close them
            return resp.status_code, resp.mimetype, resp.get_data()

    status, _, body = get("/vendor/leaflet@1.9.3/leaflet.js")
    assert status == 200 and b"Leaflet" in body[:400]
    assert get("/vendor/leaflet@1.9.3/images/layers.png")[1] == "image/png"
    assert get("/vendor/leaflet_markercluster@1.4.1/MarkerCluster.css")[0] == 200
    assert get("/maps-static/conflictmap.js")[0] == 200
    for bad in ("/vendor/leaflet@1.9.3/../__init__.py", "/vendor/leaflet@9.9/leaflet.js"):
        assert get(bad)[0] == 404, bad


def test_build_maps_writes_a_self_contained_page_and_svg(tmp_path, store, runner):
    store.put_events([_event(), _event(event_type="deployment", longitude=36.0)])
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--no-png"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "events.html").read_text(encoding="utf-8")
    assert external_refs(page) == [] and "<script src" not in page
    data = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', page, re.S)
    assert len(json.loads(data.group(1))["features"]) == 2
    svg = (tmp_path / "events.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Captures (1)" in svg and "Deployments (1)" in svg


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--type", "riot"], "'riot'", id="type"),
        pytest.param(["--bbox", "1,2,3"], "'1,2,3'", id="bbox"),
        pytest.param(["--start", "2024-13-01"], "'2024-13-01'", id="start"),
        pytest.param(["--name", "../x"], "'../x'", id="name"),
    ],
)
def test_build_maps_rejects_bad_options(tmp_path, runner, args, message):
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--no-png", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "events.html").exists()


def test_the_viewer_page_holds_the_items_pages_events_with_the_fields_the_map_draws(client, store):
    """``/maps/events.json``: the events of the items page, same order, each Feature with
    only the fields the map draws, the same values; article text stays JSON string data."""
    from webapp.viewer_page import FIELDS, slim_feature

    hostile = '</script><img src=x onerror="alert(1)"> & “quotes” \\ ,"actor1":'
    area = {"type": "Polygon", "coordinates": [[[34, 51], [36, 51], [36, 52], [34, 51]]]}
    store.put_events([
        _event(event_id="a", summary=hostile, location_name=hostile, geonameid=703448,
               actor1="Someone", tags=["x,\"tags\":[1]"]),
        _event(event_id="b", event_type="attack", date_start="2024-10-10",
               tags=["date-assumed", "place-assumed"], geo_precision="admin1", geometry=area),
        _event(event_id="c", date_start="2024-10-12", date_end="2024-10-12", date_basis="report"),
        Event.from_dict({"event_id": "d", "event_type": "statement", "date_start": "2024-10-11",
                         "summary": "no place"}),
    ])  # fmt: skip
    args = "datetime=2024-10-01/2024-10-31&limit=10"
    page = client.get(f"/maps/events.json?{args}")
    assert page.status_code == 200 and page.mimetype == "application/json"
    body = page.get_json()
    items = client.get(f"/collections/events/items?{args}").get_json()["features"]
    assert [f["id"] for f in body["features"]] == [f["id"] for f in items] == ["a", "b", "d", "c"]
    assert body["numberReturned"] == body["numberMatched"] == 4 and body["next"] is False
    for slim, full in zip(body["features"], items, strict=True):
        assert list(slim["properties"]) == list(FIELDS)
        assert slim["properties"] == {k: full["properties"][k] for k in FIELDS}
        assert slim["geometry"] == full["geometry"] and slim["type"] == "Feature"
    assert body["features"][0]["properties"]["summary"] == hostile  # text, as it was
    # a Feature text in another layout is decoded and written again, with the same fields
    feature = items[0]
    moved = dict(feature, properties=dict(reversed(list(feature["properties"].items()))))
    again = json.loads(slim_feature(json.dumps(moved, ensure_ascii=False)))
    assert again == body["features"][0]
    # a page that does not hold every match says so, as the items page's next link does
    more = client.get(f"/maps/events.json?{args.replace('limit=10', 'limit=2')}").get_json()
    assert [f["id"] for f in more["features"]] == ["a", "b"]
    assert more["numberMatched"] == 4 and more["next"] is True
    # the items parameters are checked the same way (one JSON error shape)
    bad = client.get("/maps/events.json?bbox=1,2,3")
    assert bad.status_code == 400 and bad.get_json()["field"] == "bbox"
    # the map page asks for it
    assert _config(client.get("/map").get_data(as_text=True))["api"]["events"].endswith(
        "/maps/events.json"
    )
