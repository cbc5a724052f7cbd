"""Tests of the export formats (GeoJSON, CSV, GeoPackage, KML, GeoParquet, FlatGeobuf, zipped
Shapefile), their registry, the one writing function and the readers."""

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import weakref
import xml.etree.ElementTree as ET

import pytest
import shapely
import shapely.geometry

from geo.events.model import Event
from geo.exc import ValidationError
from geo.formats import (
    CSV_COLUMNS,
    FORMATS,
    Format,
    flatten_event,
    get_format,
    read_events,
    register_format,
    write_events,
)
from geo.formats.kml import KML_CHUNK_EVENTS
from geo.formats.tables import CHUNK_EVENTS

KURSK = {
    "type": "Polygon",
    "coordinates": [[[34.1, 50.9], [38.5, 50.9], [38.5, 52.4], [34.1, 52.4], [34.1, 50.9]]],
}
HOSTILE = "<script>alert('x')</script> & \"quotes\" ]]> \x07bell"
META = {
    "data_as_of": "2025-02-01T10:00:00Z",
    "gazetteer_version": "2025.11-1",
    "attribution": "GeoNames CC BY 4.0; Natural Earth",
    "query": {"type": ["capture"]},
}


def make_events():
    return [
        Event.from_dict(
            {
                "event_id": "ev-area",
                "event_type": "capture",
                "date_start": "2025-01-09",
                "summary": "Two soldiers captured; =SUM(A1) is text",
                "location_name": "Kursk Oblast",
                "geonameid": 538555,
                "feature_code": "ADM1",
                "country_code": "RU",
                "latitude": 51.67,
                "longitude": 36.27,
                "geo_precision": "admin1",
                "geometry": KURSK,
                "actor1": "Military Forces of Ukraine",
                "actor2": "Military Forces of North Korea",
                "counts": [
                    {"kind": "captured", "low": 2, "high": 2, "best": 2},
                    {"kind": "killed_or_wounded", "low": 3000, "high": 4000, "text": "over 3,000"},
                    {"kind": "killed_or_wounded", "low": 2500, "best": 3000},
                ],
                "status": "corroborated",
                "tags": ["kursk", "dprk"],
                "sources": [
                    {
                        "source_id": "art-1",
                        "publisher": "BBC | World",
                        "url": "https://example.org/1",
                        "quote": "two North Korean soldiers were captured",
                        "start": 10,
                        "end": 49,
                        "published_at": "2025-01-12",
                    },
                    {"source_id": "art-2", "publisher": "Reuters", "quote": HOSTILE},
                ],
            }
        ),
        Event.from_dict(
            {
                "event_id": "ev-point",
                "event_type": "attack",
                "date_start": "2024-10-01",
                "date_end": "2024-12-31",
                "date_precision": "range",
                "summary": HOSTILE,
                "location_name": "Kyiv",
                "latitude": 50.45,
                "longitude": 30.52,
                "sources": [{"source_id": "art-3", "publisher": "Kyiv Independent"}],
            }
        ),
        Event.from_dict(
            {"event_id": "ev-nowhere", "event_type": "statement", "date_start": "2025-01-01"}
        ),
    ]


def export(name, events=None, meta=META):
    out = io.BytesIO()
    FORMATS[name].write(iter(events if events is not None else make_events()), out, meta=meta)
    return out.getvalue()


def test_registry_has_the_builtins_and_accepts_new_formats():
    assert {"geojson", "csv", "gpkg", "kml", "parquet", "fgb", "shp"} <= set(FORMATS)
    assert get_format("csv").media_type.startswith("text/csv")
    with pytest.raises(
        ValidationError, match="format must be one of csv, fgb, geojson, gpkg, kml, parquet, shp"
    ):
        get_format("xlsx")

    def write_ids(events, out, *, meta):
        for e in events:
            out.write(e.event_id.encode() + b"\n")

    fmt = Format("ids", "text/plain", ".txt", write_ids)
    try:
        register_format(fmt)
        assert export("ids") == b"ev-area\nev-point\nev-nowhere\n"
        with pytest.raises(ValueError, match="already registered"):
            register_format(fmt)
    finally:
        FORMATS.pop("ids", None)


def test_geojson_is_rfc7946_with_every_property():
    data = json.loads(export("geojson"))
    assert data["type"] == "FeatureCollection"
    assert data["data_as_of"] == META["data_as_of"]
    assert data["attribution"] == META["attribution"]
    assert data["gazetteer_version"] == META["gazetteer_version"]
    area, point, nowhere = data["features"]
    assert area["geometry"] == KURSK  # the area, not a pin, for admin1 precision
    assert area["properties"]["latitude"] == 51.67
    assert point["geometry"] == {"type": "Point", "coordinates": [30.52, 50.45]}  # lon, lat
    assert nowhere["geometry"] is None
    props = area["properties"]
    assert [s["source_id"] for s in props["sources"]] == ["art-1", "art-2"]
    assert props["sources"][1]["quote"] == HOSTILE
    assert props["counts"][0] == {
        "kind": "captured",
        "low": 2,
        "high": 2,
        "best": 2,
        "text": None,
    }
    # Every Event field is present and the features round-trip through the validator.
    assert set(props) | {"geometry"} == set(Event.__dataclass_fields__)
    again = [Event.from_dict(f) for f in data["features"]]
    assert again == make_events()


def test_geojson_empty_collection():
    data = json.loads(export("geojson", events=[], meta={}))
    assert data == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("name", "n"), [("geojson", 3000), ("csv", 3000), ("kml", 3 * KML_CHUNK_EVENTS + 1)]
)
def test_text_writers_stream(name, n):
    """Output reaches ``out`` while events are still being pulled from the iterable (KML: a
    chunk of events at a time)."""
    out = io.BytesIO()
    sizes = []
    base = make_events()

    def events():
        for i in range(n):
            sizes.append(len(out.getvalue()))
            yield base[i % 3].replace(event_id=f"ev-{i}")

    FORMATS[name].write(events(), out, meta=META)
    assert 0 < sizes[n // 3] < sizes[2 * n // 3] < sizes[-1] < len(out.getvalue())
    assert out.getvalue().count(f"ev-{n - 1}".encode()) >= 1


@pytest.mark.parametrize("name", ["csv", "gpkg", "kml", "parquet", "fgb", "shp"])
def test_writers_hold_at_most_two_chunks_of_events(name):
    """Every writer reads its stream lazily and lets go of the events it has written."""
    alive = most = 0
    base = make_events()

    def gone():
        nonlocal alive
        alive -= 1

    def events():
        nonlocal alive, most
        for i in range(3 * CHUNK_EVENTS + 7):
            event = base[i % 3].replace(event_id=f"ev-{i}")
            weakref.finalize(event, gone)
            alive += 1
            most = max(most, alive)
            yield event

    out = io.BytesIO()
    write_events(events(), out, name, meta=META)
    assert out.getvalue()
    assert most <= 2 * CHUNK_EVENTS


def test_csv_carries_every_field_with_documented_flattening():
    text = export("csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    area, point, nowhere = rows
    assert area["event_id"] == "ev-area" and area["date_start"] == "2025-01-09"
    assert area["summary"] == "Two soldiers captured; =SUM(A1) is text"
    assert area["count_captured_low"] == "2" and area["count_captured_best"] == "2"
    # Two killed_or_wounded counts: smallest low, largest high, first best.
    assert area["count_killed_or_wounded_low"] == "2500"
    assert area["count_killed_or_wounded_high"] == "4000"
    assert area["count_killed_or_wounded_best"] == "3000"
    assert area["count_killed_low"] == ""
    assert area["source_count"] == "2"
    assert area["source_ids"] == "art-1|art-2"
    assert area["source_publishers"] == "BBC / World|Reuters"
    assert area["source_urls"] == "https://example.org/1"
    assert json.loads(area["sources"])[1]["quote"] == HOSTILE
    assert json.loads(area["geometry"]) == KURSK
    assert area["tags"] == "kursk|dprk"
    assert point["geometry"] == "" and point["date_end"] == "2024-12-31"
    assert point["longitude"] == "30.52"
    assert nowhere["latitude"] == "" and nowhere["source_count"] == "0"


def test_csv_neutralises_formula_cells():
    event = make_events()[1].replace(summary='=HYPERLINK("http://x")', actor1="+cmd", admin1="-")
    row = next(csv.DictReader(io.StringIO(export("csv", [event]).decode())))
    assert row["summary"] == '\'=HYPERLINK("http://x")'
    assert row["actor1"] == "'+cmd"
    negative = event.replace(longitude=-3.5)
    assert next(csv.DictReader(io.StringIO(export("csv", [negative]).decode())))["longitude"] == (
        "-3.5"
    )


def test_flatten_event_has_exactly_the_csv_columns():
    for event in make_events():
        assert set(flatten_event(event)) == set(CSV_COLUMNS)


def gpkg_file(tmp_path, events=None):
    path = tmp_path / "events.gpkg"
    path.write_bytes(export("gpkg", events))
    return path


def test_gpkg_structure_follows_the_spec(tmp_path):
    path = gpkg_file(tmp_path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10300
    srs = {r[0] for r in conn.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
    assert {-1, 0, 4326} <= srs
    contents = conn.execute(
        "SELECT data_type, srs_id, min_x, min_y, max_x, max_y FROM gpkg_contents "
        "WHERE table_name = 'events'"
    ).fetchone()
    assert contents == ("features", 4326, 30.52, 50.45, 38.5, 52.4)
    assert conn.execute("SELECT geometry_type_name FROM gpkg_geometry_columns").fetchone() == (
        "GEOMETRY",
    )
    for event_id, expected in (("ev-point", "POINT (30.52 50.45)"), ("ev-area", KURSK)):
        blob = conn.execute("SELECT geom FROM events WHERE event_id = ?", (event_id,)).fetchone()[0]
        # StandardGeoPackageBinary: "GP", version 0, flags (little-endian; envelope), SRS 4326
        magic, version, flags, srs_id = struct.unpack_from("<2sBBi", blob)
        assert (magic, version, flags & 1, srs_id) == (b"GP", 0, 1, 4326)
        envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
        geom = shapely.from_wkb(blob[8 + envelope :])
        if isinstance(expected, str):
            assert geom.wkt == expected
        else:
            assert geom.equals(shapely.geometry.shape(expected))
            assert struct.unpack_from("<4d", blob, 8) == (34.1, 38.5, 50.9, 52.4)
    assert conn.execute("SELECT geom FROM events WHERE event_id = 'ev-nowhere'").fetchone() == (
        None,
    )
    sources = conn.execute(
        "SELECT event_id, source_id, quote FROM event_sources ORDER BY id"
    ).fetchall()
    assert sources[1] == ("ev-area", "art-2", HOSTILE)
    assert len(sources) == 3
    # The spatial index extension: declared, filled for every non-null geometry.
    assert conn.execute("SELECT extension_name, scope FROM gpkg_extensions").fetchall() == [
        ("gpkg_rtree_index", "write-only")
    ]
    index = conn.execute("SELECT id FROM rtree_events_geom ORDER BY id").fetchall()
    fids = conn.execute("SELECT fid FROM events WHERE geom IS NOT NULL ORDER BY fid").fetchall()
    assert index == fids and len(index) == 2


def test_gpkg_opens_in_geopandas(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    path = gpkg_file(tmp_path)
    frame = geopandas.read_file(path, layer="events")
    assert list(frame["event_id"]) == ["ev-area", "ev-point", "ev-nowhere"]
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry[0].geom_type == "Polygon"
    assert frame.geometry[1].x == 30.52 and frame.geometry[1].y == 50.45
    assert frame.geometry[2] is None
    assert frame.loc[0, "count_killed_or_wounded_high"] == 4000
    assert frame.loc[1, "summary"] == HOSTILE
    sources = geopandas.read_file(path, layer="event_sources")
    assert list(sources["source_id"]) == ["art-1", "art-2", "art-3"]


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_gpkg_opens_in_gdal(tmp_path):
    path = gpkg_file(tmp_path)
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path), "events"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "using driver `GPKG' successful" in result.stdout
    assert "Feature Count: 3" in result.stdout
    assert "Extent: (30.520000, 50.450000) - (38.500000, 52.400000)" in result.stdout
    assert 'ID["EPSG",4326]' in result.stdout
    assert "ERROR" not in result.stderr and "Warning" not in result.stderr
    listing = subprocess.run(
        ["ogrinfo", "-ro", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "events" in listing and "event_sources" in listing
    # A spatial filter around Kyiv (answered through the R*Tree) finds only the point.
    spatial = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", "-spat", "30", "50", "31", "51", str(path), "events"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "event_id (String) = ev-point" in spatial and "ev-area" not in spatial


def _gdal_python():
    """Return a Python that has GDAL's samples (python3-gdal), or None."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if (
            candidate
            and subprocess.run(
                [candidate, "-c", "import osgeo_utils.samples.validate_gpkg"], capture_output=True
            ).returncode
            == 0
        ):
            return candidate
    return None


def test_gpkg_passes_gdal_validator(tmp_path):
    python = _gdal_python()
    if python is None:
        if os.environ.get("CI"):  # .ci/run installs python3-gdal: missing there is a failure
            pytest.fail("python3-gdal (validate_gpkg) is not installed")
        pytest.skip("python3-gdal (validate_gpkg) is not installed")
    path = gpkg_file(tmp_path)
    result = subprocess.run(
        [python, "-m", "osgeo_utils.samples.validate_gpkg", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gpkg_with_no_events(tmp_path):
    path = gpkg_file(tmp_path, events=[])
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


KML = "{http://www.opengis.net/kml/2.2}"


def test_kml_is_well_formed_and_escapes_text():
    raw = export("kml")
    root = ET.fromstring(raw)
    placemarks = root.findall(f".//{KML}Placemark")
    assert [p.get("id") for p in placemarks] == ["ev-area", "ev-point", "ev-nowhere"]
    area, point, _ = placemarks
    # Areas carry the polygon (and the representative point) in a MultiGeometry.
    assert area.find(f"{KML}MultiGeometry/{KML}Polygon") is not None
    coords = point.find(f"{KML}Point/{KML}coordinates").text
    assert coords.split() == ["30.52,50.45,0"]
    span = point.find(f"{KML}TimeSpan")
    assert span.find(f"{KML}begin").text == "2024-10-01"
    assert span.find(f"{KML}end").text == "2024-12-31"
    data = {d.get("name"): d.find(f"{KML}value").text for d in area.iter(f"{KML}Data")}
    assert data["event_id"] == "ev-area" and data["source_count"] == "2"
    # JSON escapes the control character, so the quote survives XML intact.
    assert json.loads(data["sources"])[1]["quote"] == HOSTILE
    # The balloon is HTML: after XML parsing, hostile text is still HTML-escaped.
    description = point.find(f"{KML}description").text
    assert "<script>" not in description
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in description
    assert b"\x07" not in raw


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_kml_opens_in_gdal(tmp_path):
    path = tmp_path / "events.kml"
    path.write_bytes(export("kml"))
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 3" in result.stdout
    assert "ERROR" not in result.stderr


# -- readers -------------------------------------------------------------------------------


def test_read_events_from_yaml_json_geojson_jsonl(tmp_path):
    events = make_events()
    geojson = tmp_path / "e.geojson"
    geojson.write_bytes(export("geojson"))
    assert read_events(geojson) == events
    jsonl = tmp_path / "e.jsonl"
    jsonl.write_text("\n".join(json.dumps(e.to_dict()) for e in events) + "\n\n")
    assert read_events(jsonl) == events
    yaml_file = tmp_path / "e.yaml"
    yaml_file.write_text(
        "- event_type: capture\n  date_start: 2025-01-09\n  location_name: Kursk Oblast\n"
        "  latitude: 51.67\n  longitude: 36.27\n"
    )
    (event,) = read_events(yaml_file)
    assert event.location_name == "Kursk Oblast" and str(event.date_start) == "2025-01-09"
    wrapped = tmp_path / "w.json"
    wrapped.write_text(json.dumps({"events": [events[1].to_dict()]}))
    assert read_events(wrapped) == [events[1]]
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n")
    assert read_events(empty) == []


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        pytest.param(
            "bad.yaml",
            "- event_type: capture\n  date_start: 2025-01-09\n"
            "- event_id: x2\n  event_type: capture\n  date_start: 2025-02-30\n",
            r"bad\.yaml: record 1 \(event_id 'x2'\): field 'date_start'.*2025-02-30",
            id="impossible-date",
        ),
        pytest.param(
            "bad.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "f0", '
            '"geometry": null, "properties": {"event_type": "battle", '
            '"date_start": "2025-01-01"}}]}',
            r"bad\.geojson: feature 0 \(event_id 'f0'\): field 'event_type'.*'battle'",
            id="unknown-type",
        ),
        pytest.param(
            "bad.jsonl",
            '{"event_type": "attack", "date_start": "2025-01-01"}\n{not json}\n',
            r"bad\.jsonl: line 2 is not valid JSON",
            id="jsonl-syntax",
        ),
        pytest.param("bad.json", '{"a": [1,', r"bad\.json: not valid JSON at line 1", id="json"),
        pytest.param("bad.yml", "- [unclosed", r"bad\.yml: not valid YAML", id="yaml"),
        pytest.param("bad2.json", "42", r"bad2\.json: expected a list of events", id="scalar"),
    ],
)
def test_read_events_errors_name_file_record_and_field(tmp_path, name, content, match):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ValidationError, match=match):
        read_events(path)


def test_read_events_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="cannot read events file .*nope.yaml"):
        read_events(tmp_path / "nope.yaml")


def test_codebook_documents_every_field_code_and_column():
    """data/CODEBOOK.md cannot drift from the model and the CSV layout."""
    from pathlib import Path

    from geo.events.model import COUNT_KINDS, DATE_PRECISIONS, EVENT_TYPES, GEO_PRECISIONS, STATUSES

    text = (Path(__file__).resolve().parent.parent / "data" / "CODEBOOK.md").read_text("utf-8")
    documented = set(re.findall(r"`([a-z_0-9<>]+)`", text))
    for name in Event.__dataclass_fields__:
        assert name in documented, f"field {name} is not in the codebook"
    for code in (*EVENT_TYPES, *DATE_PRECISIONS, *GEO_PRECISIONS, *STATUSES, *COUNT_KINDS):
        assert code in documented, f"code {code} is not in the codebook"
    for column in CSV_COLUMNS:
        generic = re.sub(r"^count_.+_(low|high|best)$", r"count_<kind>_\1", column)
        assert column in documented or generic in documented, f"CSV column {column}"


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def test_geojson_polygons_follow_the_right_hand_rule():
    """RFC 7946 3.1.6: exterior rings counterclockwise, holes clockwise, rings closed."""
    clockwise = [[30, 50], [30, 52], [34, 52], [34, 50], [30, 50]]
    hole_ccw = [[31, 50.5], [33, 50.5], [33, 51.5], [31, 51.5]]  # not closed either
    event = Event.from_dict(
        {
            "event_type": "front_line",
            "date_start": "2024-08-06",
            "latitude": 51,
            "longitude": 32,
            "geometry": {"type": "MultiPolygon", "coordinates": [[clockwise, hole_ccw]]},
        }
    )
    feature = json.loads(export("geojson", [event]))["features"][0]
    outer, hole = feature["geometry"]["coordinates"][0]
    assert _signed_area(outer) > 0 and _signed_area(hole) < 0
    assert hole[0] == hole[-1] and len(hole) == 5
    assert sorted(map(tuple, outer)) == sorted(
        map(tuple, [[float(x), float(y)] for x, y in clockwise])
    )


@pytest.mark.parametrize(
    "geometry",
    [
        pytest.param({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, id="short-ring"),
        pytest.param({"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1]]]}, id="text"),
        pytest.param({"type": "Polygon", "coordinates": []}, id="no-rings"),
        pytest.param({"type": "Point", "coordinates": [200, 10]}, id="lon-range"),
        pytest.param({"type": "Circle", "coordinates": [0, 0]}, id="unknown-type"),
        pytest.param({"type": "MultiPolygon", "coordinates": "x"}, id="multi-text"),
    ],
)
def test_malformed_geometries_are_validation_errors(geometry):
    with pytest.raises(ValidationError) as info:
        Event.from_dict({"event_type": "attack", "date_start": "2025-01-01", "geometry": geometry})
    assert info.value.field == "geometry"
