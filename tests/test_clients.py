"""Real clients against a live server: GDAL's OAPIF driver, OWSLib, geopandas, schemathesis."""

import json
import random
import re
import shutil
import subprocess
import threading
import urllib.request
from datetime import date, timedelta

import pytest

from geo.events.model import Event
from geo.store.sqlite.store import SQLiteStore
from webapp import create_app

BBOX = (35.0, 51.0, 36.5, 52.0)


def _events(n=240, seed=7):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        day = date(2024, 9, 1) + timedelta(days=rnd.randrange(150))
        out.append(
            Event.from_dict(
                {
                    "event_id": f"c{i:04d}",
                    "event_type": rnd.choice(["capture", "attack", "casualties", "front_line"]),
                    "date_start": day.isoformat(),
                    "date_end": (day + timedelta(days=rnd.choice([0, 0, 3]))).isoformat(),
                    "latitude": round(50.0 + rnd.random() * 3, 5),
                    "longitude": round(34.0 + rnd.random() * 4, 5),
                    "summary": f"Report {i} — «quoted» <text>",
                    "location_name": f"Place {i}",
                    "actor1": rnd.choice(
                        ["Military Forces of Russia", "Military Forces of Ukraine"]
                    ),
                    "sources": [
                        {
                            "source_id": f"a{i}",
                            "publisher": "Outlet A",
                            "url": f"https://a.example/{i}",
                        },
                        {"source_id": f"b{i}", "publisher": "Outlet B", "quote": f"quote {i}"},
                    ],
                }
            )
        )
    return out


def _inside(e, bbox=BBOX):
    return bbox[0] <= e.longitude <= bbox[2] and bbox[1] <= e.latitude <= bbox[3]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A waitress server on a free loopback port, on a store of 240 generated events."""
    from waitress.server import create_server

    store = SQLiteStore(tmp_path_factory.mktemp("live") / "events.sqlite")
    events = _events()
    store.put_events(events)
    token = store.create_token("schemathesis")
    app = create_app({"STORE": store})
    # links name the address the server listens on (the Host header is never used)
    server = create_server(app, host="127.0.0.1", port=0, threads=4, server_name="127.0.0.1")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield {
            "url": f"http://127.0.0.1:{server.effective_port}",
            "events": events,
            "store": store,
            "token": token,
        }
    finally:
        server.close()
        thread.join(10)
        store.close()


def _get_json(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.load(resp)


def _download(url, path):
    with urllib.request.urlopen(url, timeout=60) as resp, open(path, "wb") as out:
        shutil.copyfileobj(resp, out)
        return resp.headers


needs_ogr = pytest.mark.skipif(
    shutil.which("ogrinfo") is None, reason="ogrinfo is not installed (apt-get install gdal-bin)"
)


def _ogrinfo(*args):
    proc = subprocess.run(
        ["ogrinfo", "-ro", *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@needs_ogr
def test_gdal_lists_the_collections(live):
    out = _ogrinfo(f"OAPIF:{live['url']}")
    assert "events (title: Conflict events)" in out
    assert "front_lines" in out


@needs_ogr
def test_gdal_reads_events_in_a_bbox(live):
    url = f"OAPIF:{live['url']}"
    out = _ogrinfo("-al", "-q", "-oo", "PAGE_SIZE=10", "-spat", *map(str, BBOX), url, "events")
    ids = set(re.findall(r"^\s+event_id \(String\) = (\S+)$", out, re.M))
    expected = {e.event_id for e in live["events"] if _inside(e)}
    assert ids == expected and len(expected) > 20
    # pages of 10: every match arrived only because GDAL followed the next links
    assert "Outlet B" in out


@needs_ogr
def test_gdal_reports_the_schema_and_the_count(live):
    out = _ogrinfo("-so", f"OAPIF:{live['url']}", "events")
    assert f"Feature Count: {len(live['events'])}" in out
    assert "date_start: Date" in out and "sources: String(JSON)" in out


def test_owslib_reads_items(live):
    from owslib.ogcapi.features import Features

    api = Features(live["url"])
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in (api.conformance()["conformsTo"])
    )
    assert [c["id"] for c in api.collections()["collections"]] == ["events", "front_lines"]
    page = api.collection_items("events", bbox=list(BBOX), limit=500)
    expected = {e.event_id for e in live["events"] if _inside(e)}
    assert {f["id"] for f in page["features"]} == expected
    assert page["numberMatched"] == len(expected)
    window = api.collection_items("events", datetime_="2024-10-01/2024-10-15", limit=500)
    overlap = {
        e.event_id
        for e in live["events"]
        if e.date_end >= date(2024, 10, 1) and e.date_start <= date(2024, 10, 15)
    }
    assert {f["id"] for f in window["features"]} == overlap
    one = api.collection_item("events", "c0003")
    assert one["properties"]["location_name"] == "Place 3"


def test_geopandas_reads_the_exports(live, tmp_path):
    import geopandas as gpd
    import pandas as pd

    bbox = ",".join(map(str, BBOX))
    expected = sorted(e.event_id for e in live["events"] if _inside(e))
    base = f"{live['url']}/collections/events/items?bbox={bbox}&limit=100000"
    frames = {}
    for fmt, ext in (("geojson", "geojson"), ("gpkg", "gpkg"), ("csv", "csv")):
        path = tmp_path / f"events.{ext}"
        headers = _download(f"{base}&f={fmt}", path)
        assert headers["X-Data-As-Of"] == live["store"].data_as_of()
        frames[fmt] = path
    gj = gpd.read_file(frames["geojson"])
    assert sorted(gj["event_id"]) == expected
    assert gj.crs.to_epsg() == 4326 and set(gj.geom_type) == {"Point"}
    gp = gpd.read_file(frames["gpkg"], layer="events")
    assert sorted(gp["event_id"]) == expected
    row = gp.set_index("event_id").loc[expected[0]]
    event = next(e for e in live["events"] if e.event_id == expected[0])
    assert (round(row.geometry.x, 5), round(row.geometry.y, 5)) == (event.longitude, event.latitude)
    table = pd.read_csv(frames["csv"])
    points = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["longitude"], table["latitude"]), crs=4326
    )
    assert sorted(points["event_id"]) == expected
    assert points.total_bounds[0] >= BBOX[0] and points.total_bounds[3] <= BBOX[3]


@pytest.fixture(scope="module")
def live_schema(live):
    import schemathesis

    return schemathesis.openapi.from_url(f"{live['url']}/openapi")


def _fuzz(operation, headers, calls):
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    @given(case=operation.as_strategy())
    @settings(
        max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        calls.append(operation.label)
        case.call_and_validate(headers=headers, checks=[not_a_server_error], timeout=30)

    return run


def test_schemathesis_finds_no_server_error(live, live_schema):
    headers = {"Authorization": f"Bearer {live['token']}"}
    operations = [op.ok() for op in live_schema.get_all_operations()]
    assert len(operations) >= 14
    failures, calls = [], []
    for operation in operations:
        try:
            _fuzz(operation, headers, calls)()
        except Exception as err:  # noqa: BLE001 - every operation runs; all failures reported
            failures.append(f"{operation.label}: {str(err)[:500]}")
    assert failures == []
    assert len(set(calls)) == len(operations) and len(calls) >= 5 * len(operations)
