"""Exports of items queries: GeoJSON, CSV, GeoPackage, KML via ``f=`` and Accept, streamed."""

import csv
import io
import json
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from geo.events.model import Event
from webapp.streaming import ExportCancelled, PipeWriter, WriterPool


def _event(i, **kw):
    data = {
        "event_id": f"x{i:04d}",
        "event_type": "capture" if i % 2 else "attack",
        "date_start": f"2024-10-{1 + i % 28:02d}",
        "latitude": 51.0 + (i % 10) / 10,
        "longitude": 35.0 + (i % 7) / 10,
        "summary": f"Event number {i} <b>bold</b>",
        "sources": [
            {"source_id": f"s{i}", "publisher": "Outlet One", "url": f"https://one.example/{i}"},
            {"source_id": f"t{i}", "publisher": "Outlet Two", "quote": f"quote {i}"},
        ],
    }
    data.update(kw)
    return Event.from_dict(data)


@pytest.fixture
def events(store):
    evs = [_event(i) for i in range(40)] + [_event(99, longitude=10.0, latitude=48.0)]
    store.put_events(evs)
    return evs


def _get(client, query, **headers):
    resp = client.get(f"/collections/events/items?{query}", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp


def test_geojson_export_carries_every_source_and_the_data_as_of_stamp(client, store, events):
    resp = _get(client, "f=geojson&bbox=30,45,40,55")
    assert resp.is_streamed
    assert resp.mimetype == "application/geo+json"
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=")
    assert resp.headers["Content-Disposition"].endswith('.geojson"')
    assert resp.headers["X-Data-As-Of"] == store.data_as_of()
    fc = json.loads(resp.get_data())
    assert fc["data_as_of"] == store.data_as_of()
    assert "GeoNames" in fc["attribution"]
    assert fc["query"]["bbox"] == [30.0, 45.0, 40.0, 55.0]
    assert len(fc["features"]) == 40  # x0099 is outside the bbox
    f = next(f for f in fc["features"] if f["id"] == "x0007")
    assert [s["source_id"] for s in f["properties"]["sources"]] == ["s7", "t7"]
    assert f["properties"]["summary"] == "Event number 7 <b>bold</b>"


def test_csv_export_has_one_row_per_match(client, events):
    resp = _get(client, "f=csv&type=capture")
    assert resp.mimetype == "text/csv"
    assert resp.headers["Content-Type"].count("charset") == 1
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(rows) == sum(e.event_type == "capture" for e in events) == 21
    assert {r["event_type"] for r in rows} == {"capture"}
    assert all("Outlet One" in ",".join(r.values()) for r in rows)


def test_gpkg_export_is_a_geopackage(client, events, tmp_path):
    resp = _get(client, "f=gpkg&datetime=2024-10-01/2024-10-05")
    assert resp.mimetype == "application/geopackage+sqlite3"
    path = tmp_path / "out.gpkg"
    path.write_bytes(resp.get_data())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        tables = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")}
        assert "events" in tables
        n = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    expected = sum(1 for e in events if "2024-10-01" <= e.date_start.isoformat() <= "2024-10-05")
    assert n == expected > 0


def test_kml_export_is_well_formed_with_escaped_text(client, events):
    resp = _get(client, "f=kml&limit=5")
    assert resp.mimetype == "application/vnd.google-earth.kml+xml"
    root = ET.fromstring(resp.get_data())
    placemarks = root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")
    assert len(placemarks) == 5
    kml = "{http://www.opengis.net/kml/2.2}"
    for placemark in placemarks:
        data = {d.get("name"): d.find(f"{kml}value").text for d in placemark.iter(f"{kml}Data")}
        assert data["summary"].endswith(" <b>bold</b>")  # the text itself, as text
        # the balloon is HTML: the event's markup is escaped in it, never markup
        balloon = placemark.find(f"{kml}description").text
        assert "&lt;b&gt;bold&lt;/b&gt;" in balloon and "<b>bold</b>" not in balloon


@pytest.mark.parametrize(
    "accept, mimetype",
    [
        pytest.param("text/csv", "text/csv", id="csv"),
        pytest.param("application/vnd.google-earth.kml+xml", "application/vnd.google-earth.kml+xml",
                     id="kml"),
        pytest.param("application/geo+json", "application/geo+json", id="geojson-page"),
        pytest.param("application/json", "application/geo+json", id="json-page"),
    ],
)  # fmt: skip
def test_accept_header_picks_the_format(client, events, accept, mimetype):
    resp = _get(client, "limit=3", Accept=accept)
    assert resp.mimetype == mimetype
    if mimetype == "application/geo+json":
        assert resp.get_json()["numberReturned"] == 3
    assert "Accept" in resp.headers["Vary"]


def test_export_cap_is_separate_from_the_page_cap(app, client, events):
    app.config["API_MAX_LIMIT"] = 5
    app.config["EXPORT_MAX_LIMIT"] = 30
    assert len(json.loads(_get(client, "f=geojson&limit=1000").get_data())["features"]) == 30
    assert _get(client, "f=json&limit=1000").get_json()["numberReturned"] == 5


def test_export_pages_with_offset_and_counts_what_it_sends(client, events):
    resp = _get(client, "f=geojson&bbox=30,45,40,55&offset=35&limit=100")
    assert resp.headers["X-Number-Matched"] == "5"
    ids = [f["id"] for f in json.loads(resp.get_data())["features"]]
    assert ids == sorted(
        ids, key=lambda i: (next(e for e in events if e.event_id == i).date_start, i)
    )
    assert len(ids) == 5


def test_bad_parameters_fail_before_the_export_starts(client, events):
    resp = client.get("/collections/events/items?f=csv&bbox=1,2,3")
    assert resp.status_code == 400 and resp.get_json()["field"] == "bbox"


def test_items_page_links_to_every_export_format(client, events):
    fc = _get(client, "bbox=30,45,40,55").get_json()
    alternates = {link["type"] for link in fc["links"] if link["rel"] == "alternate"}
    assert {"text/csv; charset=utf-8", "application/geopackage+sqlite3"} <= alternates


def test_pipe_streams_in_bounded_chunks_and_stops_when_the_reader_leaves():
    pool = WriterPool(1)
    written = []
    finished = threading.Event()

    def write(events, out, *, meta):
        try:
            for i in events:
                out.write(b"x" * 10_000)
                written.append(i)
        finally:
            finished.set()

    chunks = pool.stream(write, lambda: iter(range(100_000)), meta={})
    first = next(iter(chunks))
    assert len(first) >= 64 * 1024
    time.sleep(0.5)
    # the writer is held back by the bounded queue: far fewer than 100,000 writes
    assert len(written) < 300
    chunks.close()
    assert finished.wait(5)
    assert len(written) < 300
    pool.shutdown()


def test_pipe_reraises_the_writer_error():
    pool = WriterPool(1)

    def write(events, out, *, meta):
        out.write(b"partial")
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        b"".join(pool.stream(write, lambda: (), meta={}))
    pool.shutdown()


def test_pipe_refuses_text_and_writes_after_cancel():
    pipe = PipeWriter()
    with pytest.raises(TypeError, match="bytes"):
        pipe.write("text")
    pipe.cancelled.set()
    with pytest.raises(ExportCancelled):
        pipe.write(b"late")
