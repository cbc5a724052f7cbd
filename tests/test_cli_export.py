"""Tests of ``conflictmap export`` and ``conflictmap events`` through click's runner."""

import csv
import io
import json
import os
import sqlite3
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner

from geo.events.model import Event
from geo.store.sqlite.store import SQLiteStore
from webapp.cli import main

EVENTS = [
    {
        "event_id": "ev-kyiv",
        "event_type": "attack",
        "date_start": "2024-11-03",
        "location_name": "Kyiv",
        "latitude": 50.45,
        "longitude": 30.52,
        "actor1": "Military Forces of Russia",
        "summary": "Drone strike on an energy facility",
        "sources": [{"source_id": "a1", "publisher": "Outlet One", "url": "https://one.example/1"}],
    },
    {
        "event_id": "ev-area",
        "event_type": "deployment",
        "date_start": "2024-10-01",
        "date_end": "2024-12-31",
        "date_precision": "range",
        "location_name": "Example Oblast",
        "latitude": 51.7,
        "longitude": 36.2,
        "geo_precision": "admin1",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[34, 50.9], [38.5, 50.9], [38.5, 52.4], [34, 52.4], [34, 50.9]]],
        },
        "actor1": "Military Forces of Example",
        "counts": [{"kind": "deployed", "low": 100, "high": 120, "best": 110}],
        "status": "corroborated",
        "sources": [
            {"source_id": "a2", "publisher": "Outlet Two", "quote": "troops <b>arrived</b>"},
            {"source_id": "a3", "publisher": "Outlet Three"},
        ],
    },
    {
        "event_id": "ev-odesa",
        "event_type": "statement",
        "date_start": "2025-01-20",
        "location_name": "Odesa",
        "latitude": 46.48,
        "longitude": 30.73,
        "claimed_by": "Government of Ukraine",
        "status": "reviewed",
    },
]


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.sqlite"
    with SQLiteStore(path) as store:
        store.put_events([Event.from_dict(e) for e in EVENTS])
    return path


@pytest.fixture
def run(store_path):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, ["--store", str(store_path), *args], catch_exceptions=False)

    return invoke


def geojson_ids(result):
    assert result.exit_code == 0, result.output
    return [f["id"] for f in json.loads(result.stdout)["features"]]


def test_export_geojson_to_stdout(run):
    result = run("export", "--format", "geojson")
    data = json.loads(result.stdout)
    assert [f["id"] for f in data["features"]] == ["ev-area", "ev-kyiv", "ev-odesa"]
    assert "GeoNames" in data["attribution"] and data["data_as_of"]
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert len(data["features"][0]["properties"]["sources"]) == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--bbox", "30,50,31,51"], ["ev-kyiv"], id="bbox"),
        pytest.param(["--bbox", "38,52,39,53"], ["ev-area"], id="bbox-area"),
        pytest.param(["--start", "2024-12-01"], ["ev-area", "ev-odesa"], id="start"),
        pytest.param(["--end", "2024-10-15"], ["ev-area"], id="end"),
        pytest.param(["--start", "2024-11-03", "--end", "2024-11-03"], ["ev-area", "ev-kyiv"],
                     id="interval"),
        pytest.param(["--type", "attack", "--type", "statement"], ["ev-kyiv", "ev-odesa"],
                     id="types"),
        pytest.param(["--actor", "russia"], ["ev-kyiv"], id="actor"),
        pytest.param(["--actor", "ukraine"], ["ev-odesa"], id="claimed-by"),
        pytest.param(["--status", "reviewed"], ["ev-odesa"], id="status"),
        pytest.param(["--q", "energy"], ["ev-kyiv"], id="text"),
        pytest.param(["--q", "arrived"], ["ev-area"], id="text-quote"),
        pytest.param(["--source", "outlet three"], ["ev-area"], id="source-publisher"),
        pytest.param(["--source", "https://one.example/1"], ["ev-kyiv"], id="source-url"),
        pytest.param(["--limit", "1"], ["ev-area"], id="limit"),
        pytest.param(["--type", "attack", "--status", "reviewed"], [], id="and"),
    ],
)  # fmt: skip
def test_export_filters(run, args, expected):
    assert geojson_ids(run("export", *args)) == expected


def test_export_meta_records_the_query(run):
    data = json.loads(run("export", "--type", "attack", "--bbox", "22,44,40,53").stdout)
    assert data["query"] == {"type": ["attack"], "bbox": [22.0, 44.0, 40.0, 53.0]}


@pytest.mark.parametrize(
    ("args", "option", "expected"),
    [
        pytest.param(["--bbox", "1,2,3"], "--bbox", "four comma-separated numbers", id="bbox-3"),
        pytest.param(["--bbox", "a,b,c,d"], "--bbox", "min_lon,min_lat", id="bbox-text"),
        pytest.param(["--bbox", "0,60,1,50"], "--bbox", "min_lat <= max_lat", id="bbox-order"),
        pytest.param(["--start", "2025-02-30"], "--start", "ISO date", id="start"),
        pytest.param(["--end", "yesterday"], "--end", "ISO date", id="end"),
        pytest.param(["--type", "battle"], "--type", "'battle' is not one of", id="type"),
        pytest.param(["--status", "confirmed"], "--status", "is not one of", id="status"),
        pytest.param(
            ["--format", "xlsx"],
            "--format",
            "csv, fgb, geojson, gpkg, kml, parquet, shp",
            id="format",
        ),
        pytest.param(["--limit", "-3"], "--limit", "-3", id="limit"),
        pytest.param(["--q", "?!"], "--q", "at least one word", id="text"),
    ],
)
def test_bad_filter_values_are_usage_errors(run, args, option, expected):
    result = run("export", *args)
    assert result.exit_code == 2
    assert option in result.stderr and expected in result.stderr
    assert result.stdout == ""


def test_start_after_end_is_a_usage_error(run):
    result = run("export", "--start", "2025-01-02", "--end", "2025-01-01")
    assert result.exit_code == 2 and "--start 2025-01-02 is after --end" in result.stderr


def test_export_csv(run):
    result = run("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["event_id"] for r in rows] == ["ev-area", "ev-kyiv", "ev-odesa"]
    assert rows[0]["count_deployed_best"] == "110"
    assert rows[0]["source_publishers"] == "Outlet Two|Outlet Three"


def test_export_gpkg_to_stdout_is_binary_safe(run, tmp_path):
    result = run("export", "--format", "gpkg", "--type", "attack")
    path = tmp_path / "out.gpkg"
    path.write_bytes(result.stdout_bytes)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT event_id FROM events").fetchall() == [("ev-kyiv",)]


def _zip_names(data):
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.parametrize(
    ("name", "check"),
    [
        pytest.param("out.geojson", lambda b: json.loads(b)["type"] == "FeatureCollection",
                     id="geojson"),
        pytest.param("out.csv", lambda b: b.startswith(b"event_id,"), id="csv"),
        pytest.param("out.gpkg", lambda b: b[:16] == b"SQLite format 3\x00", id="gpkg"),
        pytest.param("out.kml", lambda b: ET.fromstring(b).tag.endswith("kml"), id="kml"),
        pytest.param("out.parquet", lambda b: b[:4] == b[-4:] == b"PAR1", id="parquet"),
        pytest.param("out.fgb", lambda b: b[:3] == b"fgb", id="fgb"),
        pytest.param("out.shp.zip", lambda b: "events.shp" in _zip_names(b), id="shp"),
    ],
)  # fmt: skip
def test_export_to_file_infers_the_format(run, tmp_path, name, check):
    target = tmp_path / "sub" / name
    result = run("export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert check(target.read_bytes())
    assert "3 events" in result.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == [name]  # no temp file left
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not a private temp file's 0600


@pytest.mark.parametrize("fmt", ["parquet", "fgb", "shp"])
def test_export_gis_formats_hold_the_filtered_events(run, tmp_path, fmt):
    import pyogrio

    result = run("export", "--format", fmt, "--type", "attack", "-o", str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    data = (tmp_path / "x").read_bytes()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(io.BytesIO(data)).to_pylist()
        assert [r["event_id"] for r in rows] == ["ev-kyiv"]
        return
    path = tmp_path / f"x.{fmt}.zip" if fmt == "shp" else tmp_path / "x.fgb"
    path.write_bytes(data)
    target = f"/vsizip/{path}/events.shp" if fmt == "shp" else path
    frame = pyogrio.read_dataframe(target)
    assert list(frame["event_id"]) == ["ev-kyiv"]
    assert (frame.geometry[0].x, frame.geometry[0].y) == (30.52, 50.45)


def test_export_to_a_folder_is_refused(run, tmp_path):
    result = run("export", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_export_from_a_corrupt_store_names_it(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(main, ["--store", str(bad), "export"])
    assert result.exit_code == 1
    assert "bad.sqlite" in result.stderr and "Traceback" not in result.output


def test_events_list_show_delete_and_deletions(run):
    listing = run("events", "list", "--type", "deployment")
    assert listing.stdout.startswith("ev-area\t2024-10-01..2024-12-31\tdeployment\tcorroborated")
    assert "Example Oblast (admin1)" in listing.stdout and "2 sources" in listing.stdout
    lines = run("events", "list", "--json").stdout.splitlines()
    assert [json.loads(line)["event_id"] for line in lines] == ["ev-area", "ev-kyiv", "ev-odesa"]
    assert json.loads(run("events", "show", "ev-kyiv").stdout)["location_name"] == "Kyiv"
    missing = run("events", "show", "nope")
    assert missing.exit_code == 1 and "'nope'" in missing.stderr

    no_reason = run("events", "delete", "ev-kyiv")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    deleted = run("events", "delete", "ev-kyiv", "--reason", "duplicate report", "--by", "ana")
    assert deleted.exit_code == 0 and "deleted ev-kyiv" in deleted.stdout
    assert geojson_ids(run("export")) == ["ev-area", "ev-odesa"]
    (record,) = [json.loads(line) for line in run("events", "deletions").stdout.splitlines()]
    assert record["event_id"] == "ev-kyiv" and record["by"] == "ana"
    assert record["reason"] == "duplicate report" and record["event"]["summary"]
    again = run("events", "delete", "ev-kyiv", "--reason", "x")
    assert again.exit_code == 1 and "no event with event_id 'ev-kyiv'" in again.stderr


def test_events_apply_curated(run, tmp_path):
    path = tmp_path / "edits.yaml"
    path.write_text(
        "- event_id: ev-kyiv\n  status: reviewed\n  summary: Analyst wording\n"
        "- event_id: ev-odesa\n  deleted: true\n  reason: not an event\n"
    )
    check = run("events", "apply-curated", "--check", str(path))
    assert check.exit_code == 0 and "2 records are valid" in check.stdout
    assert json.loads(run("events", "show", "ev-kyiv").stdout)["status"] == "claimed"
    result = run("events", "apply-curated", str(path), "--by", "ana")
    assert result.exit_code == 0, result.output
    assert "corrected: 1 (ev-kyiv)" in result.stdout and "deleted: 1 (ev-odesa)" in result.stdout
    assert json.loads(run("events", "show", "ev-kyiv").stdout)["summary"] == "Analyst wording"
    assert "warning" not in result.stderr
    unreviewed = tmp_path / "unreviewed.yaml"
    unreviewed.write_text("- event_id: ev-area\n  summary: fixed\n")
    warned = run("events", "apply-curated", str(unreviewed))
    assert warned.exit_code == 0 and "automatic extraction may replace them: ev-area" in (
        warned.stderr
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("- event_id: ev-kyiv\n  date_start: 2025-02-30\n")
    failed = run("events", "apply-curated", str(bad))
    assert failed.exit_code == 2
    assert "bad.yaml: record 0 (event_id 'ev-kyiv'): field 'date_start'" in failed.stderr
    missing = run("events", "apply-curated", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr


def test_apply_committed_curated_file_changes_nothing(run):
    result = run("events", "apply-curated")
    assert result.exit_code == 0, result.output
    assert "added: 0" in result.stdout and "deleted: 0" in result.stdout


def test_reading_a_missing_store_is_an_error_not_a_new_file(tmp_path):
    missing = tmp_path / "typo.sqlite"
    for args in (["export"], ["events", "list"], ["events", "deletions"]):
        result = CliRunner().invoke(main, ["--store", str(missing), *args])
        assert result.exit_code == 1
        assert "no event store at" in result.stderr and "typo.sqlite" in result.stderr
    assert not missing.exists()
    url = CliRunner().invoke(main, ["--store", f"sqlite:///{missing}", "export"])
    assert url.exit_code == 1 and not missing.exists()


def test_events_list_keeps_one_line_per_event(run, store_path):
    with SQLiteStore(store_path) as store:
        store.put_events([Event.from_dict({**EVENTS[0], "location_name": "Evil\nPlace\tX"})])
        store.put_events([Event.from_dict({"event_id": "ev-none", "event_type": "statement",
                                           "date_start": "2025-01-02"})])  # fmt: skip
    lines = run("events", "list").stdout.splitlines()
    line = next(x for x in lines if x.startswith("ev-kyiv"))
    assert "Evil Place X (exact)" in line
    assert next(x for x in lines if x.startswith("ev-none")).endswith("no location\t0 sources")
