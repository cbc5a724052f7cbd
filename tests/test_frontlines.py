"""Front lines as dated geometry: files read by GDAL, versions in the stores, the API, the CLI."""

import json
import sqlite3
import zipfile

import numpy as np
import pytest
import shapely
from pyogrio import raw
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from geo.exc import ValidationError
from geo.frontlines import FrontLineVersion, in_force, read_front_lines
from geo.store.sqlite.store import SQLiteStore

# An area of control near Sudzha and a line of contact, in lon/lat
AREA = Polygon([(35.0, 51.1), (35.5, 51.1), (35.5, 51.4), (35.0, 51.4)])
LINE = LineString([(35.6, 51.0), (35.8, 51.2), (36.0, 51.3)])


def write(path, geoms, *, driver, crs="EPSG:4326", names=None, layer=None):
    """Write ``geoms`` with GDAL (pyogrio) as ``driver``; return the path."""
    names = names or [f"f{i}" for i in range(len(geoms))]
    raw.write(
        str(path),
        geometry=np.array([shapely.to_wkb(g) for g in geoms], dtype=object),
        field_data=[np.array(names, dtype=object)],
        fields=["name"],
        driver=driver,
        crs=crs,
        geometry_type="Unknown",
        layer=layer,
    )
    return path


def _box(version):
    return [round(v, 4) for v in version.bbox()]


@pytest.mark.parametrize(
    "name, driver",
    [
        pytest.param("lines.geojson", "GeoJSON", id="geojson"),
        pytest.param("lines.kml", "LIBKML", id="kml"),
        pytest.param("lines.kmz", "LIBKML", id="kmz"),
        pytest.param("lines.gpkg", "GPKG", id="gpkg"),
    ],
)
def test_each_format_reads_areas_and_lines(tmp_path, name, driver):
    path = write(tmp_path / name, [AREA, LINE], driver=driver, names=["held", "contact"])
    version, report = read_front_lines(path, valid_from="2024-08-06", source="ISW")
    assert version.source == "ISW" and version.valid_from.isoformat() == "2024-08-06"
    assert version.file_name == name
    kinds = {f["properties"]["name"]: f["properties"]["kind"] for f in version.features}
    assert kinds == {"held": "area", "contact": "line"}
    shapes = {
        f["properties"]["name"]: shapely.geometry.shape(f["geometry"]) for f in version.features
    }
    assert shapes["held"].equals(AREA) and shapes["contact"].equals(LINE)
    assert _box(version) == [35.0, 51.0, 36.0, 51.4]
    assert report["features"] == 2 and report["skipped"] == 0


def test_kmz_is_a_zipped_kml(tmp_path):
    path = write(tmp_path / "z.kmz", [AREA], driver="LIBKML")
    assert zipfile.is_zipfile(path)
    version, _ = read_front_lines(path, valid_from="2024-08-06")
    assert version.source == "z"  # the file's stem when no source is given


def test_a_projected_geopackage_is_brought_to_lon_lat(tmp_path):
    from pyproj import Transformer

    to_merc = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform
    projected = shapely.transform(AREA, lambda c: np.column_stack(to_merc(c[:, 0], c[:, 1])))
    assert projected.bounds[0] > 1_000_000  # metres, not degrees
    path = write(tmp_path / "merc.gpkg", [projected], driver="GPKG", crs="EPSG:3857")
    version, _ = read_front_lines(path, valid_from="2024-09-01")
    assert _box(version) == [35.0, 51.1, 35.5, 51.4]


def test_several_layers_and_a_multipolygon(tmp_path):
    path = tmp_path / "two.gpkg"
    write(path, [MultiPolygon([AREA, shapely.affinity.translate(AREA, 1.0)])], driver="GPKG",
          layer="areas")  # fmt: skip
    write(path, [LINE], driver="GPKG", layer="lines")
    version, report = read_front_lines(path, valid_from="2024-09-01")
    assert report["layers"] == ["areas", "lines"]
    assert [f["geometry"]["type"] for f in version.features] == ["MultiPolygon", "LineString"]
    assert {f["properties"]["layer"] for f in version.features} == {"areas", "lines"}


def test_points_are_refused_unless_skipped(tmp_path):
    path = write(tmp_path / "mixed.geojson", [AREA, Point(35.2, 51.2)], driver="GeoJSON")
    with pytest.raises(ValidationError, match=r"mixed\.geojson.*1 Point.*--skip-other"):
        read_front_lines(path, valid_from="2024-08-06")
    version, report = read_front_lines(path, valid_from="2024-08-06", skip_other=True)
    assert len(version.features) == 1 and report["skipped"] == 1


def test_a_self_intersecting_polygon_is_repaired(tmp_path):
    bowtie = Polygon([(35.0, 51.0), (35.4, 51.4), (35.4, 51.0), (35.0, 51.4)])
    assert not bowtie.is_valid
    path = write(tmp_path / "bow.geojson", [bowtie], driver="GeoJSON")
    version, report = read_front_lines(path, valid_from="2024-08-06")
    assert report["repaired"] == 1
    assert all(shapely.geometry.shape(f["geometry"]).is_valid for f in version.features)


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        pytest.param(b"not a GIS file", ".geojson", "GDAL cannot read it", id="garbage"),
        pytest.param(b"x", ".shp", "expected a .geojson", id="suffix"),
        pytest.param(
            json.dumps({"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {},
                 "geometry": {"type": "Point", "coordinates": [35, 51]}}]}).encode(),
            ".geojson", "holds no Polygon", id="only-points-skipped"),
        pytest.param(
            json.dumps({"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {},
                 "geometry": {"type": "LineString",
                              "coordinates": [[3500000, 51], [3600000, 52]]}}]}
            ).encode(),
            ".geojson", "outside longitude", id="metres-without-crs"),
    ],
)  # fmt: skip
def test_bad_files_are_named_in_the_error(tmp_path, content, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message) as info:
        read_front_lines(path, valid_from="2024-08-06", skip_other=True)
    assert f"bad{suffix}" in str(info.value)


def test_in_force_picks_the_version_of_each_source_at_a_date():
    metas = [
        {"source": "ISW", "valid_from": "2024-08-06"},
        {"source": "ISW", "valid_from": "2024-09-01"},
        {"source": "DSM", "valid_from": "2024-08-20"},
    ]

    def at(*window, **kw):
        return [
            (m["source"], m["valid_from"], m["valid_to"]) for m in in_force(metas, *window, **kw)
        ]

    assert at("2024-08-10", "2024-08-10") == [("ISW", "2024-08-06", "2024-08-31")]
    assert at("2024-09-01", "2024-09-01") == [
        ("DSM", "2024-08-20", None),
        ("ISW", "2024-09-01", None),
    ]
    assert at("2024-08-01", "2024-08-01") == []
    assert at() == [("DSM", "2024-08-20", None), ("ISW", "2024-09-01", None)]
    assert at("2024-08-25", "2024-09-05", sources=("ISW",)) == [
        ("ISW", "2024-08-06", "2024-08-31"), ("ISW", "2024-09-01", None)]  # fmt: skip


def _version(source="ISW", day="2024-08-06", geom=AREA, name="held"):
    feature = {"type": "Feature", "geometry": shapely.geometry.mapping(geom),
               "properties": {"name": name, "kind": "area"}}  # fmt: skip
    feature["geometry"] = json.loads(json.dumps(feature["geometry"]))
    return FrontLineVersion(source=source, valid_from=day, features=(feature,), file_name="x.kml")


@pytest.mark.both_stores
def test_the_store_keeps_versions_and_refuses_silent_replacement(store):
    first = store.put_front_lines(_version())
    assert first["imported_at"] and first["feature_count"] == 1
    with pytest.raises(ValidationError, match="already stored"):
        store.put_front_lines(_version(name="other"))
    got = store.get_front_lines("ISW", "2024-08-06")
    assert got.features[0]["properties"]["name"] == "held"  # nothing lost
    store.put_front_lines(_version(name="other"), replace=True)
    assert store.get_front_lines("ISW", "2024-08-06").features[0]["properties"]["name"] == "other"
    store.put_front_lines(_version(day="2024-09-01", geom=LINE))
    assert [m["valid_from"] for m in store.front_line_versions()] == ["2024-08-06", "2024-09-01"]
    chosen = store.front_lines_in_force("2024-08-31", "2024-08-31")
    assert [(m["valid_from"], m["valid_to"]) for m, _ in chosen] == [("2024-08-06", "2024-08-31")]
    assert store.delete_front_lines("ISW", "2024-09-01") is True
    assert store.delete_front_lines("ISW", "2024-09-01") is False
    assert store.count() == 0  # no events were made of them


def test_a_store_made_before_front_lines_gains_the_table(tmp_path):
    path = tmp_path / "old.sqlite"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE front_lines")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as s:
        assert s.front_line_versions() == []
        s.put_front_lines(_version())
        assert len(s.front_line_versions()) == 1


@pytest.mark.both_stores
def test_the_api_answers_the_version_in_force(client, store):
    store.put_front_lines(_version(source="ISW", day="2024-08-06", geom=AREA, name="august"))
    store.put_front_lines(_version(source="ISW", day="2024-09-01", geom=LINE, name="september"))

    def names(query=""):
        resp = client.get("/collections/front_lines/items" + query)
        assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
        return [f["properties"]["name"] for f in resp.get_json()["features"]]

    assert names("?datetime=2024-08-20") == ["august"]
    assert names("?datetime=2024-09-01") == ["september"]
    assert names("?datetime=2024-07-01") == []
    assert names() == ["september"]  # the latest
    assert names("?datetime=2024-08-20/2024-09-10") == ["august", "september"]
    assert names("?datetime=2024-08-20&bbox=35.55,50,40,52") == []  # the area is west of it
    assert names("?datetime=2024-08-20&source=DSM") == []
    fc = client.get("/collections/front_lines/items?datetime=2024-08-20").get_json()
    props = fc["features"][0]["properties"]
    assert (props["source"], props["valid_from"], props["valid_to"]) == (
        "ISW", "2024-08-06", "2024-08-31")  # fmt: skip
    assert fc["numberMatched"] == 1 and fc["versions"][0]["valid_to"] == "2024-08-31"
    one = client.get(f"/collections/front_lines/items/{fc['features'][0]['id']}")
    assert one.status_code == 200 and one.get_json()["properties"]["name"] == "august"
    assert client.get("/collections/front_lines/items/fl-nope-0").status_code == 404
    bad = client.get("/collections/front_lines/items?datetime=2024-13-01")
    assert bad.status_code == 400 and bad.get_json()["field"] == "datetime"
    doc = client.get("/collections/front_lines").get_json()
    assert doc["extent"]["temporal"]["interval"] == [["2024-08-06T00:00:00Z", None]]
    assert [v["valid_from"] for v in doc["versions"]] == ["2024-08-06", "2024-09-01"]
    listed = {c["id"] for c in client.get("/collections").get_json()["collections"]}
    assert listed == {"events", "front_lines"}
    paths = client.get("/openapi").get_json()["paths"]
    assert "datetime" in json.dumps(paths["/collections/front_lines/items"])


def test_cli_imports_lists_and_keeps_what_is_stored(runner, store, tmp_path):
    kml = write(tmp_path / "isw.kml", [AREA, LINE], driver="LIBKML")
    out = runner.invoke(["frontlines", "import", str(kml), "--date", "2024-08-06",
                         "--source", "ISW"])  # fmt: skip
    assert out.exit_code == 0, out.output
    row = json.loads(out.output)
    assert (row["source"], row["valid_from"], row["feature_count"]) == ("ISW", "2024-08-06", 2)
    again = runner.invoke(["frontlines", "import", str(kml), "--date", "2024-08-06",
                           "--source", "ISW"])  # fmt: skip
    assert again.exit_code == 1 and "already stored" in again.output and "--replace" in again.output
    bad = tmp_path / "broken.kml"
    bad.write_text("<kml><Document><Placemark>")
    failed = runner.invoke(["frontlines", "import", str(bad), "--date", "2024-09-01"])
    assert failed.exit_code == 1 and "broken.kml" in failed.output
    wrong_date = runner.invoke(["frontlines", "import", str(kml), "--date", "6 Aug"])
    assert wrong_date.exit_code == 1 and "YYYY-MM-DD" in wrong_date.output
    listed = runner.invoke(["frontlines", "list"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["source"], r["valid_from"], r["valid_to"]) for r in rows] == [
        ("ISW", "2024-08-06", None)]  # fmt: skip
    assert runner.invoke(["frontlines", "delete", "ISW", "2024-08-06"]).exit_code == 0
    assert store.front_line_versions() == []
