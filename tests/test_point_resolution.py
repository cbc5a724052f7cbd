"""Round 4 of issue 12: names resolve to the place whose point a reader would give.

A unit is not demoted by a town that lists its name only as another name, a country holds
the units a document names in it, and areas stand at the centre of their body of land.
"""

import pytest

from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.geocoder import Context, GazetteerGeocoder


@pytest.fixture(scope="module")
def geocoder():
    return GazetteerGeocoder(Gazetteer(user_dir=False), cache_size=0)


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
