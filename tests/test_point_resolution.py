"""Round 4 of issue 12: names resolve to the place whose point a reader would give.

A unit is not demoted by a town that lists its name only as another name, a country holds
the units a document names in it, and areas stand at the centre of their body of land.
"""

import pytest
from shapely.geometry import MultiPolygon, Point, box

from gazetteer.points import area_point
from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.place import Place
from geo.geoparse.coherence import resolution
from geo.geoparse.geocoder import Context, GazetteerGeocoder
from geo.geoparse.resolve import geoparse


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer(user_dir=False)


@pytest.fixture(scope="module")
def geocoder(gaz):
    return GazetteerGeocoder(gaz, cache_size=0)


@pytest.mark.parametrize(
    ("query", "admin1"),
    [pytest.param("Ceará", "06", id="ceara"), pytest.param("Bahia", "05", id="bahia")],
)
def test_a_state_is_not_its_capital_that_lists_its_name(geocoder, query, admin1):
    # Fortaleza and Salvador list their states' names among their other names; that does
    # not make the bare state name a town (unlike "Kursk", whose city bears the name).
    place = geocoder.candidates(query)[0].place
    assert (place.country_code, place.feature_code, place.admin1_code) == ("BR", "ADM1", admin1)


def test_a_town_named_like_its_unit_still_wins(geocoder):
    # Guard (passes before and after): a city whose own name is the unit's stays the answer.
    place = geocoder.candidates("Kursk")[0].place
    assert (place.country_code, place.feature_class) == ("RU", "P")


def test_a_country_holds_the_units_the_document_names(geocoder):
    # The document names the capital's unit (as "Macau"); the bare country name is the
    # country, not the capital that lists it as another name.
    capital = next(p for p in geocoder.gazetteer.lookup("macau") if p.feature_code == "PPLC")
    ctx = Context(countries={"MO": 1.0, "HK": 1.0}, admin1={("MO", capital.admin1_code)})
    place = geocoder.candidates("Macao", context=ctx)[0].place
    assert (place.country_code, place.feature_code) == ("MO", "PCLI")


def test_a_unit_the_document_names_counts_for_its_own_name(geocoder):
    # The document names Jordan's Karak governorate (or places in it): the bare name is
    # that unit, not the same-named town of another unit or country.
    ctx = Context(countries={"JO": 1.0, "PK": 1.0}, admin1={("JO", "09")})
    place = geocoder.candidates("Karak", context=ctx)[0].place
    assert (place.country_code, place.feature_code, place.admin1_code) == ("JO", "ADM1", "09")


def test_a_city_spelt_like_its_unit_stays_the_city(geocoder):
    # Guard (passes before and after): "Jerash" is a spelling of the city Jarash's own name,
    # so the bare name stays the city, not the governorate of that main name.
    place = geocoder.candidates("Jerash")[0].place
    assert (place.country_code, place.feature_class) == ("JO", "P")


def test_a_named_state_does_not_outweigh_a_much_likelier_city(gaz):
    # Two towns near the New York city against one Nebraska town and its state: the state
    # supports its villages as a unit, not as a town at the same point would.
    text = (
        "Snow closed schools in Oswego and Cortland, and a convoy from Grand Island, "
        "Nebraska, was stranded outside Syracuse."
    )
    found = {m.text: m.place for m in geoparse(text, gazetteer=gaz)}
    assert (found["Syracuse"].country_code, found["Syracuse"].admin1_code) == ("US", "NY")
    assert found["Grand Island"].admin1_code == "NE"


def test_the_nearest_candidates_still_choose_a_village(gaz):
    # Guard (passes before and after): towns right beside a smaller namesake make it.
    text = "Floodwater reached Layton and Clearfield, and a shelter opened in Syracuse."
    found = {m.text: m.place for m in geoparse(text, gazetteer=gaz)}
    assert (found["Syracuse"].country_code, found["Syracuse"].admin1_code) == ("US", "UT")


# Representative points of areas (gazetteer/points.py), on shapes drawn for the test.


def test_a_body_of_land_joins_islands_across_a_narrow_strait():
    # Two islands about 22 km apart: the centre lies between their middles, not in the
    # middle of the larger one alone.
    west, east = box(0.0, 0.0, 1.0, 1.0), box(1.2, 0.0, 2.0, 1.0)
    lat, lon = area_point(MultiPolygon([west, east]))
    assert 0.8 <= lon <= 1.3
    assert MultiPolygon([west, east]).buffer(1e-6).contains(Point(lon, lat))


def test_a_far_territory_does_not_pull_the_point():
    # (The largest-part rule before this one also held this.)
    main, far = box(0.0, 0.0, 4.0, 4.0), box(30.0, 0.0, 33.0, 3.0)
    lat, lon = area_point(MultiPolygon([main, far]))
    assert abs(lat - 2.0) < 0.05 and abs(lon - 2.0) < 0.05


def test_the_centre_weighs_land_by_its_true_area():
    # From the equator to 60 N the land near the pole covers less than its degrees: the
    # centre lies south of the middle latitude.
    lat, lon = area_point(box(10.0, 0.0, 12.0, 60.0))
    assert 25.0 < lat < 27.0 and abs(lon - 11.0) < 1e-6


def test_a_crescent_gets_a_point_inside_it_near_its_centre():
    crescent = box(0.0, 0.0, 10.0, 10.0).difference(box(2.0, 2.0, 10.0, 8.0))
    lat, lon = area_point(crescent)
    assert crescent.contains(Point(lon, lat))
    assert lon < 2.0 and 3.0 < lat < 7.0


def test_a_unit_the_document_names_keeps_a_town_from_a_speaker_after_a_comma(gaz):
    # "Rasskazovo, Moscow said": Moscow is who said it, and the document names the region
    # Rasskazovo lies in; the town is not replaced by the Moscow region as its qualifier.
    text = (
        "Drones struck a depot near the Tambov region border overnight; residents fled "
        "Rasskazovo, Moscow said."
    )
    found = {m.text: m for m in geoparse(text, gazetteer=gaz)}
    town = found["Rasskazovo"]
    assert (town.place.feature_class, town.place.country_code, town.fallback) == ("P", "RU", False)
    assert town.place.admin1_code == found["Tambov"].place.admin1_code


def test_round_four_places_in_a_named_state(gaz):
    # Rapid City, Custer and Hot Springs beside "South Dakota" are its towns (before round
    # 4, "Rapid City" and "Custer" both went to an Oklahoma county).
    text = "Smoke covered South Dakota, and Rapid City, Custer and Hot Springs issued alerts."
    found = {m.text: m.place for m in geoparse(text, gazetteer=gaz)}
    for name in ("Rapid City", "Custer", "Hot Springs"):
        assert (found[name].country_code, found[name].admin1_code) == ("US", "SD"), name


def test_a_town_of_a_named_state_beats_a_likelier_namesake_elsewhere(tmp_path):
    # With places invented for the test: a town of the state the text names, beside two of
    # its neighbours, is not the larger namesake in another state that the name alone gives
    # with a clear lead (a "sure" reading is looked at again when it lies outside the
    # document's named states while another reading lies in one).
    (tmp_path / "places.csv").write_text(
        "name,lat,lon,country_code,admin1_code,feature_code,alt_names,population\n"
        "Korvath,31.05,-97.02,US,TX,PPLA2,,150000\n"
        "Korvath,43.60,-96.60,US,SD,PPL,,800\n"
        "Ulmsted,43.55,-96.65,US,SD,PPL,,5000\n"
        "Brinmoor,43.65,-96.55,US,SD,PPL,,3000\n",
        encoding="utf-8",
    )
    own = Gazetteer(user_dir=tmp_path)
    text = "Hail battered South Dakota on Monday; Ulmsted, Brinmoor and Korvath reported damage."
    found = {m.text: m.place for m in geoparse(text, gazetteer=own)}
    assert found["Korvath"].admin1_code == "SD"


def _unit(gid, code, cc, admin1):
    return Place(gid, "Velmoria", 45.0, 10.0, "A", code, cc, admin1, None, None, 1000,
                 "admin1", "geonames")  # fmt: skip


def test_capped_scores_tie_only_between_units_of_one_level():
    # A province ranked first is not swapped for a county of another country when both
    # scores reach 1.0 (the country the text is most about decides only between like units).
    province, county = _unit(1, "ADM1", "CA", "08"), _unit(2, "ADM2", "US", "NY")
    res = resolution([(province, 1.0), (county, 1.0)], {"US": 1.0, "CA": 0.9})
    assert res.best is province
    other = _unit(3, "ADM1", "US", "NY")
    assert resolution([(province, 1.0), (other, 1.0)], {"US": 1.0, "CA": 0.9}).best is other


def test_a_village_listing_a_city_name_abroad_yields_to_that_city(tmp_path):
    # Places invented for the test: a Ukrainian village lists "Trelavan" among its other
    # names, a Russian city of 240,000 bears it as its own. In a text about Ukraine the
    # country's weight no longer carries the village past the city.
    (tmp_path / "places.csv").write_text(
        "name,lat,lon,country_code,admin1_code,feature_code,alt_names,population\n"
        "Velykodar,48.5,33.5,UA,,PPLA2,,60000\n"
        "Ostrohrad,48.7,33.9,UA,,PPLA2,,60000\n"
        "Zorivka,46.0,33.0,UA,,PPL,Trelavan,700\n"
        "Trelavan,44.8,37.8,RU,,PPLA2,,240000\n",
        encoding="utf-8",
    )
    own = Gazetteer(user_dir=tmp_path)
    text = "Sirens sounded in Velykodar and Ostrohrad, and air defences were active near Trelavan."
    found = {m.text: m.place for m in geoparse(text, gazetteer=own)}
    assert (found["Trelavan"].name, found["Trelavan"].country_code) == ("Trelavan", "RU")
    assert found["Velykodar"].country_code == "UA"
