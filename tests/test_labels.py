"""Place labels and suggestions (geo.gazetteer.labels) and their route /maps/places.json."""

import pytest

from geo.gazetteer import Gazetteer
from geo.gazetteer.labels import LABEL_ZOOMS, PlaceLabels

KURSK_AREA = (34.0, 50.0, 38.0, 52.5)


@pytest.fixture(scope="module")
def labels():
    return PlaceLabels(Gazetteer.default())


def test_zoomed_out_only_large_places_zoomed_in_villages(labels):
    far = labels.in_view(KURSK_AREA, 5)
    assert far and all(p["population"] >= LABEL_ZOOMS[5] or p["rank"] == 0 for p in far)
    near = labels.in_view((35.0, 51.0, 35.5, 51.4), 10)
    names = [p["name"] for p in near]
    assert "Sudzha" in names and len(near) > 20
    assert any(p["rank"] == 5 for p in near)  # villages
    ranks = [p["rank"] for p in near]
    assert ranks == sorted(ranks)  # most important first: the page places them in this order


def test_capitals_come_first_and_the_antimeridian_is_crossed(labels):
    europe = labels.in_view((-10, 35, 40, 60), 4, limit=10)
    assert europe[0]["rank"] == 0
    fiji = labels.in_view((177.0, -19.0, -178.0, -16.0), 8)
    assert any(p["name"] == "Suva" for p in fiji)


def test_suggestions_prefer_large_and_near_places(labels):
    assert labels.suggest("s") == []  # one letter says too little
    assert labels.suggest("sudz")[0]["name"] == "Sudzha"
    near = [p["name"] for p in labels.suggest("kur", near=(51.7, 36.2))]
    assert near[:2] == ["Kursk Oblast", "Kursk"]
    assert labels.suggest("kyiv")[0]["feature_code"] in ("PPLC", "ADM1")


def test_route_serves_labels_and_suggestions_and_refuses_bad_input(client):
    body = client.get("/maps/places.json?bbox=34,50,38,52.5&z=7").get_json()
    assert {"Kursk", "Belgorod", "Sumy"} <= {p["name"] for p in body["places"]}
    sugg = client.get("/maps/places.json?q=Sudzh&lat=51&lon=35").get_json()["places"]
    assert sugg[0]["name"] == "Sudzha"
    for query, field in (("bbox=1,2&z=5", "bbox"), ("bbox=0,0,1,1&z=x", "z"),
                         ("q=ab&lat=99&lon=0", "lat"), ("nope=1", "nope")):  # fmt: skip
        resp = client.get("/maps/places.json?" + query)
        assert resp.status_code == 400 and resp.get_json()["field"] == field
