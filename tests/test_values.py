"""One value per fact: BBox and DateWindow parsed once, and the same answer at every door
(API, CLI export, build-maps, the store); the OpenAPI document is the validating table."""

import copy
import json
import pickle
import re
from datetime import date, timedelta

import pytest

from geo.common.bbox import BBox
from geo.common.dates import DateWindow, parse_day, parse_instant
from geo.events.model import Event
from geo.exc import ValidationError
from geo.store.base import EventQuery

# -- BBox ----------------------------------------------------------------------------------


def test_bbox_parses_once_with_the_antimeridian_rule():
    box = BBox.parse("170,-20,-170,-10")
    assert box == (170.0, -20.0, -170.0, -10.0) and box.crosses_antimeridian
    assert box.lon_ranges() == ((170.0, 180.0), (-180.0, -170.0))
    assert box.contains(179.5, -15) and box.contains(-179.5, -15) and not box.contains(0, -15)
    assert BBox.parse("1,2,0,3,4,5") == (1.0, 2.0, 3.0, 4.0)  # 3D: heights dropped
    assert BBox.of([30, 44, 40, 53]) == BBox(30, 44, 40, 53) == (30.0, 44.0, 40.0, 53.0)
    assert pickle.loads(pickle.dumps(box)) == box and copy.deepcopy(box) == box
    assert str(BBox(30, 44.5, 40, 53)) == "30,44.5,40,53"


@pytest.mark.parametrize(
    "value, words",
    [
        ("1,2,3", "3 values"),
        ("a,b,c,d", "'a,b,c,d'"),
        ("0,0,nan,1", "finite"),
        ("0,-95,1,40", "latitudes"),
        ("-200,0,1,1", "longitudes"),
        ("0,50,1,40", "min_lat <= max_lat"),
    ],
)
def test_bad_boxes_name_the_field(value, words):
    with pytest.raises(ValidationError, match=re.escape(words)) as info:
        BBox.parse(value)
    assert info.value.field == "bbox"


@pytest.mark.parametrize("bad", [(True, 0, 1, 1), ("1", 0, 1, 1), (0, 0, 1)])
def test_boxes_from_values_take_numbers_only(bad):
    with pytest.raises(ValidationError):
        BBox.of(bad)


# -- dates ---------------------------------------------------------------------------------


def test_every_day_of_a_leap_year_parses_at_every_door():
    day = date(2024, 1, 1)
    while day.year == 2024:
        text = day.isoformat()
        assert parse_day(text) == parse_instant(text) == DateWindow.parse(text).start == day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2024-10-31", date(2024, 10, 31), date(2024, 10, 31)),
        ("2024-10-01/..", date(2024, 10, 1), None),
        ("../2024-10-31", None, date(2024, 10, 31)),
        ("2024-10-09T23:30:00-05:00", date(2024, 10, 10), date(2024, 10, 10)),
        ("2024-02-29/2024-03-01", date(2024, 2, 29), date(2024, 3, 1)),
    ],
)
def test_date_windows(text, start, end):
    window = DateWindow.parse(text)
    assert (window.start, window.end) == (start, end)
    assert DateWindow.parse(str(window)) == window


@pytest.mark.parametrize(
    "text, words",
    [
        ("2023-02-29", "2023-02-29"),
        ("9999-12-31T23:59:59-23:59", "years 1-9999"),
        ("0001-01-01T00:00:00+23:59", "years 1-9999"),
        ("2024-10-09T10:00:00", "UTC offset"),
        ("2024-10-09T24:00:00Z", "does not exist"),
        ("2024-12-01/2024-01-01", "after"),
        ("../..", "closed end"),
    ],
)
def test_bad_windows_are_validation_errors(text, words):
    with pytest.raises(ValidationError, match=re.escape(words)) as info:
        DateWindow.parse(text)
    assert info.value.field == "datetime"


def test_date_window_of_two_dates_names_the_options():
    with pytest.raises(ValidationError, match="--start 2025-01-02 is after --end 2025-01-01"):
        DateWindow.of("2025-01-02", "2025-01-01", fields=("--start", "--end"))
    assert DateWindow.of(None, "2025-01-01").overlaps(date(2024, 1, 1), date(2025, 6, 1))


# -- one box, every door -------------------------------------------------------------------

_ACROSS = [
    ("east", 179.5, -15.0),
    ("west", -179.5, -15.0),
    ("middle", 0.0, -15.0),
    ("north", 179.5, 10.0),
]


@pytest.fixture
def across(store):
    store.put_events(
        [
            Event.from_dict(
                {
                    "event_id": eid,
                    "event_type": "attack",
                    "date_start": "2024-10-01",
                    "longitude": lon,
                    "latitude": lat,
                    "summary": f"Event {eid}",
                }
            )  # fmt: skip
            for eid, lon, lat in _ACROSS
        ]
    )
    return store


def test_api_cli_and_store_agree_on_a_box_crossing_the_antimeridian(across, client, runner):
    box = "170,-20,-170,-10"
    store_ids = {e.event_id for e in across.query(EventQuery(bbox=BBox.parse(box)))}
    page = client.get(f"/collections/events/items?bbox={box}").get_json()
    api_ids = {f["id"] for f in page["features"]}
    result = runner.invoke(["export", "--format", "geojson", "--bbox", box])
    assert result.exit_code == 0, result.output
    cli_ids = {f["id"] for f in json.loads(result.stdout)["features"]}
    assert store_ids == api_ids == cli_ids == {"east", "west"}


def test_build_maps_takes_a_box_crossing_the_antimeridian(across, runner, tmp_path):
    # before BBox, build-maps refused min_lon > max_lon ("--bbox must be ...")
    out = tmp_path / "maps"
    result = runner.invoke(
        ["build-maps", "--out", str(out), "--no-png", "--bbox", "170,-20,-170,-10"]
    )
    assert result.exit_code == 0, result.output
    assert "(2 events," in result.output
    page = (out / "events.html").read_text("utf-8")
    assert "Event east" in page and "Event west" in page and "Event middle" not in page


def test_build_maps_dates_use_the_one_parser(across, runner, tmp_path):
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--start", "2024-02-30"])
    assert result.exit_code == 2 and "2024-02-30" in result.output


# -- the OpenAPI document is the validating table ------------------------------------------


def _operations(doc):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _resolve(doc, param):
    if "$ref" in param:
        return doc["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
    return param


def _invalid_values(schema):
    """Yield values the schema refuses (one per documented constraint)."""
    if schema.get("type") == "array":
        if "maxItems" in schema:
            yield ",".join(["x"] * (schema["maxItems"] + 1))
        yield from _invalid_values(schema["items"])
        return
    if "enum" in schema:
        yield "not-" + str(schema["enum"][0])
    if schema.get("type") in ("integer", "number"):
        yield "x"
        if "minimum" in schema:
            yield str(schema["minimum"] - 1)
        if "maximum" in schema:
            yield str(schema["maximum"] + 1)
    if "maxLength" in schema:
        yield "a" * (schema["maxLength"] + 1)
    if "minLength" in schema and schema["minLength"] > 0:
        yield ""
    if "pattern" in schema:
        for candidate in ("!!", "2024-13-01", "x", " \x07 "):
            if not re.search(schema["pattern"], candidate):
                yield candidate
                break


_SAMPLE_PATHS = {
    "/": "/",
    "/conformance": "/conformance",
    "/collections": "/collections",
    "/collections/{collectionId}": "/collections/events",
    "/collections/{collectionId}/items": "/collections/events/items",
    "/collections/{collectionId}/items/{featureId}": "/collections/events/items/east",
    "/collections/front_lines/items": "/collections/front_lines/items",
    "/openapi": "/openapi",
    "/api/geocode": "/api/geocode",
}


def test_every_documented_query_parameter_is_validated_and_nothing_else_is_accepted(across, client):
    doc = client.get("/openapi").get_json()
    checked = 0
    for path, method, operation in _operations(doc):
        if method != "get" or path not in _SAMPLE_PATHS:
            continue
        url = _SAMPLE_PATHS[path]
        base = {"q": "Kursk"} if path == "/api/geocode" else {}
        query = [_resolve(doc, p) for p in operation.get("parameters", ())]
        query = [p for p in query if p["in"] == "query"]
        # vice versa: a parameter the document does not name is refused, naming it
        resp = client.get(url, query_string={**base, "zz_undocumented": "1"})
        assert resp.status_code == 400, (path, resp.get_data(as_text=True))
        assert resp.get_json()["field"] == "zz_undocumented"
        for param in query:
            bad_values = list(_invalid_values(param["schema"]))
            assert bad_values, f"{path} {param['name']}: the document states no constraint"
            for value in bad_values:
                resp = client.get(url, query_string={**base, param["name"]: value})
                assert resp.status_code == 400, (path, param["name"], value, resp.status_code)
                assert resp.get_json()["field"] == param["name"], (path, param["name"], value)
                checked += 1
    assert checked >= 25


def test_the_datetime_pattern_accepts_every_valid_day_and_the_server_agrees(client):
    doc = client.get("/openapi").get_json()
    pattern = re.compile(doc["components"]["parameters"]["datetime"]["schema"]["pattern"])
    day = date(2023, 1, 1)
    while day.year < 2025:
        for text in (day.isoformat(), f"{day.isoformat()}T23:59:59+05:30", f"{day}/.."):
            assert pattern.search(text), text
        day += timedelta(days=1)
    assert client.get("/collections/events/items?datetime=2024-10-31").status_code == 200
    assert client.get("/collections/events/items?datetime=2024-02-29/..").status_code == 200


def test_the_documented_limits_are_the_enforced_ones(app, client):
    app.config.update(API_MAX_OFFSET=500, API_MAX_LIST_VALUES=3)
    doc = client.get("/openapi").get_json()["components"]["parameters"]
    assert doc["offset"]["schema"]["maximum"] == 500
    assert doc["actor"]["schema"]["maxItems"] == 3
    assert client.get("/collections/events/items?offset=500").status_code == 200
    assert client.get("/collections/events/items?offset=501").status_code == 400
    assert client.get("/collections/events/items?actor=a,b,c").status_code == 200
    assert client.get("/collections/events/items?actor=a,b,c,d").status_code == 400
