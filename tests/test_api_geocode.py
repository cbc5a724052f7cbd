"""Geocoding over HTTP answers exactly what ``conflictmap geocode`` prints, one row per name."""

import json

import pytest

FIELDS = {"query", "lat", "lon", "geonameid", "feature_code", "country_code", "precision", "score"}


def _cli_rows(runner, *queries):
    result = runner.invoke(["geocode", *queries])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_get_answers_the_cli_row(client, runner):
    resp = client.get("/api/geocode", query_string={"q": "Kyiv"})
    assert resp.status_code == 200
    row = resp.get_json()
    assert FIELDS <= set(row)
    assert row == _cli_rows(runner, "Kyiv")[0]
    assert row["country_code"] == "UA" and row["lat"] is not None


def test_country_filter_changes_the_answer(client):
    anywhere = client.get("/api/geocode?q=Pokrovsk&country=UA").get_json()
    in_russia = client.get("/api/geocode?q=Pokrovsk&country=RU").get_json()
    assert anywhere["country_code"] == "UA" and in_russia["country_code"] == "RU"
    assert anywhere["geonameid"] != in_russia["geonameid"]


def test_unknown_name_is_a_row_of_nulls(client):
    row = client.get("/api/geocode?q=Qwzxvbnmplk").get_json()
    assert row["query"] == "Qwzxvbnmplk" and row["lat"] is None and row["geonameid"] is None


@pytest.mark.parametrize(
    "query, field",
    [
        pytest.param({}, "q", id="missing"),
        pytest.param({"q": "   "}, "q", id="blank"),
        pytest.param({"q": "Kyiv\x07"}, "q", id="control-char"),
        pytest.param({"q": "x" * 400}, "q", id="too-long"),
        pytest.param({"q": "Kyiv", "country": "Ukraine"}, "country", id="country-name"),
        pytest.param({"q": "Kyiv", "feature_class": "Z"}, "feature_class", id="class"),
        pytest.param({"q": "Kyiv", "lang": "en"}, "lang", id="unknown-param"),
    ],
)
def test_bad_queries_are_400s(client, query, field):
    resp = client.get("/api/geocode", query_string=query)
    assert resp.status_code == 400 and resp.get_json()["field"] == field


def test_batch_keeps_order_and_matches_the_cli(client, runner):
    names = ["Kursk", "Kiev", "Qwzxvbnmplk", "", "Donetsk"]
    resp = client.post("/api/geocode", json=names)
    assert resp.status_code == 200
    rows = resp.get_json()
    assert [r["query"] for r in rows] == names
    cli = _cli_rows(runner, *names)
    assert rows == cli
    assert rows[3]["error"] and rows[2]["lat"] is None
    objects = client.post("/api/geocode", json=[{"q": "Kursk"}]).get_json()
    assert objects[0] == rows[0]


@pytest.mark.parametrize(
    "body, status",
    [
        pytest.param({"q": "Kursk"}, 400, id="object-not-list"),
        pytest.param(["Kursk", 42], 400, id="number-item"),
        pytest.param(["Kursk"] * 1001, 413, id="too-many"),
    ],
)
def test_bad_batches_are_refused(client, body, status):
    resp = client.post("/api/geocode", json=body)
    assert resp.status_code == status and resp.get_json()["field"] == "body"
