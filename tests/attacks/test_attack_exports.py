"""Issue 13 item 3: no accepted write can break an export.

Each boundary case (the deepest GeometryCollection, the most positions, the largest
integers, every writable control character, the longest texts) is written over the API and
exported in every format, over HTTP and by the CLI; each export is complete and read back by
a real reader (json, csv, GDAL). One step beyond each boundary is a 400.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from attacks.helpers import assert_error_shape
from geo.events.fields import MAX_INT
from geo.events.geometry import MAX_COLLECTION_DEPTH, MAX_POSITIONS
from geo.events.model import Event
from geo.exc import ValidationError
from geo.formats import FORMATS

ITEMS = "/collections/events/items"
TEXT = "".join(chr(c) for c in range(1, 32)) + "<&>\"' \ufffe\uffff 🙂 𝔘 ‮rtl"


def _nest(depth, leaf):
    geometry = leaf
    for _ in range(depth):
        geometry = {"type": "GeometryCollection", "geometries": [geometry]}
    return geometry


POINT = {"type": "Point", "coordinates": [35.2, 51.5]}


def _base(event_id, **kw):
    data = {
        "event_id": event_id,
        "event_type": "attack",
        "date_start": "2024-10-09",
        "latitude": 51.5,
        "longitude": 35.2,
        "summary": "Shelling",
        "sources": [{"source_id": "s1", "url": "https://news.example/a", "quote": "q"}],
    }
    data.update(kw)
    return data


BOUNDARY = {
    "deepest-collection": _base("b-deep", geometry=_nest(MAX_COLLECTION_DEPTH, POINT)),
    "most-positions": _base(
        "b-long",
        geometry={
            "type": "LineString",
            "coordinates": [[30 + i * 1e-5, 50 + (i % 7) * 1e-4] for i in range(MAX_POSITIONS)],
        },
    ),
    "largest-integers": _base(
        "b-ints",
        geonameid=MAX_INT,
        counts=[{"kind": "killed", "low": 0, "high": MAX_INT, "best": MAX_INT}],
        sources=[{"source_id": "s1", "start": MAX_INT - 1, "end": MAX_INT}],
    ),
    "control-characters": _base(
        "b-text",
        summary=TEXT,
        location_name=TEXT,
        notes=TEXT,
        tags=[TEXT[:100]],
        sources=[{"source_id": "s1", "title": TEXT, "quote": TEXT, "publisher": TEXT}],
    ),
    "longest-texts": _base(
        "b-big",
        summary="s" * 5000,
        notes="n" * 20_000,
        sources=[{"source_id": "s" * 200, "quote": "q" * 20_000, "url": "https://x.example/"}],
    ),
}
BEYOND = {
    "collection-one-deeper": (
        _base("x1", geometry=_nest(MAX_COLLECTION_DEPTH + 1, POINT)),
        "geometry",
    ),
    # refused as a body nested too deep, before anything walks it
    "collection-400-deep": (_base("x2", geometry=_nest(400, POINT)), "body"),
    "one-position-more": (
        _base(
            "x3", geometry={"type": "MultiPoint", "coordinates": [[30, 50]] * (MAX_POSITIONS + 1)}
        ),
        "geometry",
    ),
    "integer-one-more": (_base("x4", geonameid=MAX_INT + 1), "geonameid"),
    "count-2^63": (_base("x5", counts=[{"kind": "killed", "low": 2**63}]), "low"),
    "nul": (_base("x6", summary="a\x00b"), "summary"),
    "lone-surrogate": (_base("x7", summary="a\ud800b"), "summary"),
    "empty-line": (
        _base("x8", geometry={"type": "LineString", "coordinates": [[30, 50]]}),
        "geometry",
    ),
    "empty-collection": (
        _base("x9", geometry={"type": "GeometryCollection", "geometries": []}),
        "geometry",
    ),
    "position-with-4-numbers": (
        _base("x10", geometry={"type": "LineString", "coordinates": [[30, 50, 1, 2], [31, 50]]}),
        "geometry",
    ),
}


def _read_back(fmt, data, tmp_path):
    """Return the event ids an export holds, read by the reader that format's users have."""
    if fmt == "geojson":
        return [f["id"] for f in json.loads(data)["features"]]
    if fmt == "csv":
        csv.field_size_limit(2**31 - 1)  # a geometry cell holds every position
        return [row["event_id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8")))]
    import pyogrio

    path = tmp_path / f"export{FORMATS[fmt].extension}"
    path.write_bytes(data)
    if fmt == "kml":
        ET.fromstring(data)  # well-formed XML
        return list(pyogrio.read_dataframe(path)["Name"])
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).column("event_id").to_pylist()
    if fmt == "shp":  # every event is a point of 'events'; lines have their own layer too
        lines = pyogrio.read_dataframe(path, layer="event_lines")
        assert "b-long" in set(lines["event_id"])
        return list(pyogrio.read_dataframe(path, layer="events")["event_id"])
    return list(pyogrio.read_dataframe(path, layer="events")["event_id"])


@pytest.fixture
def written(client, store, auth):
    for data in BOUNDARY.values():
        resp = client.post(ITEMS, json=data, headers=auth)
        assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    return sorted(d["event_id"] for d in BOUNDARY.values())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_boundary_case_exports_whole_over_http(client, written, fmt, tmp_path):
    resp = client.get(f"{ITEMS}?f={fmt}")
    assert resp.status_code == 200
    data = resp.get_data()
    ids = _read_back(fmt, data, tmp_path)
    if fmt == "kml":  # placemarks are named by the event's place or summary: count them
        assert len(ids) == len(written)
    else:
        assert sorted(ids) == written


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_boundary_case_exports_whole_from_the_cli(runner, written, fmt, tmp_path):
    out = tmp_path / f"all{FORMATS[fmt].extension}"
    result = runner.invoke(["export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output[-500:]
    ids = _read_back(fmt, out.read_bytes(), tmp_path)
    assert len(ids) == len(written)


def test_the_json_pages_hold_every_boundary_case(client, written):
    page = client.get(f"{ITEMS}?limit=100").get_json()
    assert sorted(f["id"] for f in page["features"]) == written
    deep = client.get(f"{ITEMS}/b-deep").get_json()["geometry"]
    for _ in range(MAX_COLLECTION_DEPTH):
        deep = deep["geometries"][0]
    assert deep == POINT | {"coordinates": [35.2, 51.5]}


@pytest.mark.parametrize("case", sorted(BEYOND))
def test_one_step_beyond_each_boundary_is_a_400(client, store, auth, case):
    data, field = BEYOND[case]
    body = json.dumps(data)  # ASCII: a lone surrogate travels as its \\u escape
    resp = client.post(ITEMS, data=body, headers={**auth, "Content-Type": "application/json"})
    assert_error_shape(resp, 400, field)
    assert store.count() == 0


@pytest.mark.parametrize("depth", [MAX_COLLECTION_DEPTH + 1, 400, 5000])
def test_the_library_refuses_deep_collections_without_recursing(store, depth):
    with pytest.raises(ValidationError, match="nest at most"):
        store.put_events([Event.from_dict(_base("deep", geometry=_nest(depth, POINT)))])
    assert store.count() == 0
