"""The analyst's own gazetteer: CSV and GeoJSON files, errors naming file and line, ranking."""

import hashlib
import json

import pytest

from geo.exc import UserGazetteerError
from geo.gazetteer.lookup import DATA_DIR, USER_ID_RANGE, Gazetteer
from geo.gazetteer.user import add_user_place, read_user_places
from geo.geoparse.geocoder import GazetteerGeocoder


def test_missing_folder_holds_no_places(tmp_path):
    assert read_user_places(tmp_path / "nope") == ([], [])


def test_csv_rows(tmp_path):
    (tmp_path / "a.csv").write_text(
        "name,lat,lon,country_code,admin1_code,feature_code,alt_names,population\n"
        "Kruglenkoye,51.17,35.36,ru,41,,Кругленькое|Kruglen'koye,120\n",
        encoding="utf-8",
    )
    (place,), errors = read_user_places(tmp_path)
    assert errors == []
    assert (place.name, place.country_code, place.admin1_code) == ("Kruglenkoye", "RU", "41")
    assert (place.feature_code, place.feature_class, place.population) == ("PPL", "P", 120)
    assert place.alt_names == ("Кругленькое", "Kruglen'koye")
    assert place.geonameid in USER_ID_RANGE


def test_ids_are_stable(tmp_path):
    (tmp_path / "a.csv").write_text("name,lat,lon,country_code\nX,1,2,RU\n")
    first = read_user_places(tmp_path)[0][0].geonameid
    assert read_user_places(tmp_path)[0][0].geonameid == first


def test_geojson_points(tmp_path):
    (tmp_path / "b.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [35.3, 51.1]},
             "properties": {"name": "Guevo", "country_code": "RU", "alt_names": ["Гуево"]}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0]]},
             "properties": {"name": "Line", "country_code": "RU"}},
        ],
    }))  # fmt: skip
    places, errors = read_user_places(tmp_path)
    assert [(p.name, p.lat, p.lon) for p in places] == [("Guevo", 51.1, 35.3)]
    assert len(errors) == 1 and "b.geojson: feature 2" in str(errors[0])
    assert "Point" in str(errors[0])


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ("name,lat\nX,1\n", "bad.csv:1", "header must name the columns"),
        ("name,lat,lon,country_code\nX,1,2,RUS\n", "bad.csv:2", "alpha-2"),
        ("name,lat,lon,country_code\n,1,2,RU\n", "bad.csv:2", "'name' is required"),
        ("name,lat,lon,country_code\nX,1,200,RU\n", "bad.csv:2", "lon must be between"),
        ("name,lat,lon,country_code\nX,1,2,RU,extra\n", "bad.csv:2", "more fields"),
        ("name,lat,lon,country_code,population\nX,1,2,RU,many\n", "bad.csv:2", "population"),
    ],
)
def test_malformed_rows_name_file_and_line(tmp_path, content, where, message):
    (tmp_path / "bad.csv").write_text(content)
    places, errors = read_user_places(tmp_path)
    assert places == [] and len(errors) == 1
    assert isinstance(errors[0], UserGazetteerError) and isinstance(errors[0], ValueError)
    assert where in str(errors[0]) and message in str(errors[0])


def test_invalid_utf8_file(tmp_path):
    (tmp_path / "latin1.csv").write_bytes(b"name,lat,lon,country_code\nK\xf6ln,50,7,DE\n")
    places, errors = read_user_places(tmp_path)
    assert places == [] and "latin1.csv" in str(errors[0]) and "UTF-8" in str(errors[0])


def test_add_user_place_appends_and_validates(tmp_path):
    add_user_place(tmp_path, name="A", lat=1, lon=2, country_code="RU")
    add_user_place(tmp_path, name="B", lat=3, lon=4, country_code="UA", alt_names=["Б"])
    with pytest.raises(UserGazetteerError, match="lat must be between"):
        add_user_place(tmp_path, name="C", lat=-91, lon=4, country_code="UA")
    places, errors = read_user_places(tmp_path)
    assert [p.name for p in places] == ["A", "B"] and errors == []
    assert places[1].alt_names == ("Б",)


def test_user_places_rank_with_the_same_rules(tmp_path):
    shipped = hashlib.sha256((DATA_DIR / "places.tsv.gz").read_bytes()).hexdigest()
    add_user_place(tmp_path, name="Plekhovo", lat=51.1031, lon=35.3275, country_code="RU",
                   admin1_code="41")  # fmt: skip
    # A user "Kursk" village does not displace the city: population and seat still count.
    add_user_place(tmp_path, name="Kursk", lat=10.0, lon=10.0, country_code="NG")
    geocoder = GazetteerGeocoder(Gazetteer(user_dir=tmp_path))
    loc = geocoder.geocode("village of Plekhovo")
    assert loc.raw["source"] == "user" and loc.raw["admin1_name"] == "Kursk Oblast"
    assert geocoder.geocode("Kursk").raw["geonameid"] == 538560
    assert geocoder.geocode("Kursk", country_codes=["NG"]).raw["source"] == "user"
    assert hashlib.sha256((DATA_DIR / "places.tsv.gz").read_bytes()).hexdigest() == shipped


def test_default_sees_new_user_places(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFLICTMAP_USER_GAZETTEER", str(tmp_path))
    assert not Gazetteer.default().lookup("qqplaceqq")
    add_user_place(tmp_path, name="Qqplaceqq", lat=1, lon=2, country_code="RU")
    assert Gazetteer.default().lookup("qqplaceqq")[0].source == "user"


def test_add_appends_under_the_files_own_header(tmp_path):
    (tmp_path / "places.csv").write_text("country_code,name,lon,lat\nRU,First,2,1")  # no newline
    add_user_place(tmp_path, name="Second", lat=3, lon=4, country_code="UA")
    places, errors = read_user_places(tmp_path)
    assert errors == [] and [(p.name, p.lat, p.lon) for p in places] == [
        ("First", 1, 2),
        ("Second", 3, 4),
    ]
    with pytest.raises(UserGazetteerError, match="no column for alt_names"):
        add_user_place(tmp_path, name="Third", lat=3, lon=4, country_code="UA", alt_names=["T"])
