"""The GIS formats written through GDAL and Arrow: GeoParquet, FlatGeobuf, zipped Shapefile,
KML styles from the taxonomy, and what every one of them shares (errors, empty exports)."""

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from test_formats import HOSTILE, KURSK, META, make_events

from geo.events.taxonomy import TYPES
from geo.exc import StoreError
from geo.formats import FORMATS, write_events
from geo.formats.shapefile import SHAPEFILE_NAMES
from geo.formats.tables import ATTRIBUTE_COLUMNS, CHUNK_EVENTS
from webapp.maps import event_types

GIS = ["gpkg", "kml", "parquet", "fgb", "shp"]
KML = "{http://www.opengis.net/kml/2.2}"


def written(name, events=None, meta=META):
    out = io.BytesIO()
    write_events(iter(make_events() if events is None else events), out, name, meta=meta)
    return out.getvalue()


def saved(tmp_path, name, events=None):
    path = tmp_path / f"events{FORMATS[name].extension}"
    path.write_bytes(written(name, events))
    return path


# -- GeoParquet ------------------------------------------------------------------------------


def test_geoparquet_reads_back_in_geopandas_with_its_metadata(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    path = saved(tmp_path, "parquet")
    frame = geopandas.read_parquet(path)
    assert list(frame["event_id"]) == ["ev-area", "ev-point", "ev-nowhere"]
    assert frame.crs.to_epsg() == 4326 or frame.crs.to_string() == "OGC:CRS84"
    assert frame.geometry[0].equals(shapely.geometry.shape(KURSK))
    assert (frame.geometry[1].x, frame.geometry[1].y) == (30.52, 50.45)
    assert frame.geometry[2] is None
    assert frame.loc[0, "count_killed_or_wounded_high"] == 4000
    assert frame.loc[1, "summary"] == HOSTILE
    assert json.loads(frame.loc[0, "sources"])[1]["quote"] == HOSTILE
    assert list(frame.columns) == [*ATTRIBUTE_COLUMNS, "geometry"]
    meta = pq.read_metadata(path).metadata
    geo = json.loads(meta[b"geo"])
    assert geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    assert column["geometry_types"] == ["Point", "Polygon"]
    assert column["bbox"] == [30.52, 50.45, 38.5, 52.4]
    about = json.loads(meta[b"conflictmap"])
    assert about["data_as_of"] == META["data_as_of"] and META["attribution"] in about["description"]


def test_geoparquet_has_one_row_group_per_chunk(tmp_path):
    base = make_events()
    events = [base[i % 3].replace(event_id=f"ev-{i}") for i in range(CHUNK_EVENTS + 5)]
    path = saved(tmp_path, "parquet", events)
    info = pq.ParquetFile(path)
    assert info.metadata.num_row_groups == 2
    assert info.metadata.num_rows == CHUNK_EVENTS + 5


# -- FlatGeobuf ------------------------------------------------------------------------------


def test_flatgeobuf_keeps_every_event_and_indexes_located_ones(tmp_path):
    path = saved(tmp_path, "fgb")
    frame = pyogrio.read_dataframe(path)
    assert list(frame["event_id"]) == ["ev-area", "ev-point", "ev-nowhere"]
    assert frame.geometry[2] is None  # kept, without a spatial index (FlatGeobuf's limit)
    assert frame.loc[0, "geonameid"] == 538555
    assert not pyogrio.read_info(path)["capabilities"]["fast_spatial_filter"]
    located = saved(tmp_path, "fgb", make_events()[:2])
    assert pyogrio.read_info(located)["capabilities"]["fast_spatial_filter"]
    near_kyiv = pyogrio.read_dataframe(located, bbox=(30, 50, 31, 51))
    assert list(near_kyiv["event_id"]) == ["ev-point"]


def test_flatgeobuf_too_large_to_index_in_bounded_memory_has_no_index(tmp_path, monkeypatch):
    from geo.formats import gdal

    monkeypatch.setattr(gdal, "FLATGEOBUF_INDEX_MAX_BYTES", 1000)
    path = saved(tmp_path, "fgb", make_events()[:2])
    assert not pyogrio.read_info(path)["capabilities"]["fast_spatial_filter"]
    assert list(pyogrio.read_dataframe(path)["event_id"]) == ["ev-area", "ev-point"]


# -- zipped Shapefile ------------------------------------------------------------------------


def test_shapefile_zip_has_points_areas_lines_and_sources(tmp_path):
    path = saved(tmp_path, "shp")
    names = set(zipfile.ZipFile(path).namelist())
    for layer in ("events", "event_areas", "event_lines"):
        assert {f"{layer}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} <= names
    assert "event_sources.dbf" in names
    points = pyogrio.read_dataframe(f"/vsizip/{path}/events.shp")
    assert list(points["event_id"]) == ["ev-area", "ev-point", "ev-nowhere"]
    assert (points.geometry[0].x, points.geometry[0].y) == (36.27, 51.67)  # the area's point
    assert points.geometry[2] is None
    assert max(len(c) for c in points.columns) <= 10
    assert points.loc[0, SHAPEFILE_NAMES["count_killed_or_wounded_high"]] == 4000
    assert points.loc[1, "summary"] == HOSTILE
    areas = pyogrio.read_dataframe(f"/vsizip/{path}/event_areas.shp")
    assert list(areas["event_id"]) == ["ev-area"]
    assert areas.geometry[0].equals(shapely.geometry.shape(KURSK))
    sources = pyogrio.read_dataframe(f"/vsizip/{path}/event_sources.dbf")
    assert list(zip(sources["event_id"], sources["source_id"], strict=True)) == [
        ("ev-area", "art-1"),
        ("ev-area", "art-2"),
        ("ev-point", "art-3"),
    ]


def test_shapefile_names_are_unique_and_short():
    shortened = [SHAPEFILE_NAMES.get(c, c) for c in ATTRIBUTE_COLUMNS]
    assert len(set(shortened)) == len(shortened)
    assert max(map(len, shortened)) <= 10


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
@pytest.mark.parametrize(("name", "layer"), [("fgb", "events"), ("shp", "events")])
def test_system_gdal_reads_the_files(tmp_path, name, layer):
    path = saved(tmp_path, name)
    target = f"/vsizip/{path}" if name == "shp" else str(path)
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", target, layer], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 3" in result.stdout
    assert "ERROR" not in result.stderr


# -- KML styles: the taxonomy's, with the viewer's palette -----------------------------------


def test_kml_styles_are_the_viewers_palette_and_every_style_url_resolves():
    root = ET.fromstring(written("kml"))
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    viewer = {t["id"]: t["color"] for t in event_types()}
    assert set(styles) == set(viewer) == {t.code for t in TYPES}
    for code, colour in viewer.items():
        rgb = colour.lstrip("#").lower()
        bgr = rgb[4:6] + rgb[2:4] + rgb[0:2]
        style = styles[code]
        assert style.find(f"{KML}IconStyle/{KML}color").text == "ff" + bgr
        assert style.find(f"{KML}LineStyle/{KML}color").text == "ff" + bgr
        assert style.find(f"{KML}PolyStyle/{KML}color").text == "55" + bgr
    urls = [p.find(f"{KML}styleUrl").text for p in root.iter(f"{KML}Placemark")]
    assert urls == ["#capture", "#attack", "#statement"]
    assert all(url[1:] in styles for url in urls)


def test_kml_extended_data_is_the_csv_columns():
    root = ET.fromstring(written("kml"))
    area = next(root.iter(f"{KML}Placemark"))
    names = [d.get("name") for d in area.iter(f"{KML}Data")]
    assert names[0] == "OGR_STYLE"  # GDAL's record of the style, then the CSV columns
    assert names[1:] == [c for c in ATTRIBUTE_COLUMNS if c in names]
    assert {"event_id", "summary", "sources", "count_captured_best"} <= set(names)


def test_kml_keeps_markup_in_text_as_text():
    """LIBKML writes text with markup in CDATA: a "]]>" in it must not end the section."""
    breakout = "]]><Placemark><name>injected</name></Placemark><![CDATA["
    event = make_events()[1].replace(summary=breakout, location_name="A ]]> B")
    root = ET.fromstring(written("kml", [event]))
    (placemark,) = root.iter(f"{KML}Placemark")
    data = {d.get("name"): d.find(f"{KML}value").text for d in placemark.iter(f"{KML}Data")}
    assert data["summary"] == breakout.replace("]]>", "]]&gt;")
    assert placemark.find(f"{KML}name").text == "attack: A ]]&gt; B"
    event = make_events()[0]
    root = ET.fromstring(written("kml", [event]))
    value = next(d for d in root.iter(f"{KML}Data") if d.get("name") == "sources")
    assert json.loads(value.find(f"{KML}value").text)[1]["quote"] == HOSTILE


# -- shared behaviour ------------------------------------------------------------------------


@pytest.mark.parametrize("name", GIS)
def test_an_error_of_the_event_stream_is_raised_as_it_is(name):
    def events():
        yield from make_events()
        raise StoreError("the store went away")

    with pytest.raises(StoreError, match="the store went away"):
        write_events(events(), io.BytesIO(), name, meta=META)


@pytest.mark.parametrize("name", GIS)
def test_empty_exports_are_valid_files(tmp_path, name):
    path = saved(tmp_path, name, events=[])
    if name == "parquet":
        assert pq.read_table(path).num_rows == 0
    elif name == "kml":
        root = ET.parse(path).getroot()
        assert root.find(f".//{KML}Placemark") is None
        assert len(list(root.iter(f"{KML}Style"))) == len(TYPES)
    else:
        target = f"/vsizip/{path}/events.shp" if name == "shp" else path
        assert len(pyogrio.read_dataframe(target, layer="events")) == 0
        assert "event_id" in pyogrio.read_info(target, layer="events")["fields"]


# -- the API's ?f= is the registry -------------------------------------------------------------


@pytest.mark.parametrize("name", ["parquet", "fgb", "shp"])
def test_api_serves_every_registered_format(client, store, tmp_path, name):
    store.put_events(make_events())
    resp = client.get(f"/collections/events/items?f={name}&bbox=30,50,31,51")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    fmt = FORMATS[name]
    assert resp.mimetype == fmt.media_type.split(";")[0]
    assert resp.headers["Content-Disposition"].endswith(f'{fmt.extension}"')
    assert resp.headers["X-Number-Matched"] == "1"
    path = tmp_path / f"x{fmt.extension}"
    path.write_bytes(resp.get_data())
    if name == "parquet":
        ids = pq.read_table(path).column("event_id").to_pylist()
    else:
        target = f"/vsizip/{path}/events.shp" if name == "shp" else path
        ids = list(pyogrio.read_dataframe(target)["event_id"])
    assert ids == ["ev-point"]


def test_api_rejects_an_unknown_format_naming_the_registered_ones(client):
    resp = client.get("/collections/events/items?f=xlsx")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["field"] == "f"
    assert all(name in body["error"] for name in FORMATS)


def test_the_codebook_documents_every_format_and_shapefile_name():
    from geo.common.paths import CODEBOOK

    text = CODEBOOK.read_text("utf-8")
    for name in FORMATS:
        assert f"`{name}`" in text or name in ("geojson", "csv"), name
    for column, field in SHAPEFILE_NAMES.items():
        if column != field:
            assert f"| `{column}` | `{field}` |" in text, column
