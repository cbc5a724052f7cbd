"""Countries answer to the short names news writes ("Congo", "Korea"), derived in the build
from Natural Earth's sortable names ("Congo, Dem. Rep."); the document's places choose
between two countries that share one (issue 12)."""

from gazetteer.build import short_names
from geo.geoparse import geoparse
from geo.geoparse.geocoder import GazetteerGeocoder


def test_the_build_takes_the_head_of_a_sortable_name():
    assert short_names("Congo, Republic of the", "Congo, Rep.") == ["Congo"]
    assert short_names("Gambia, The", float("nan"), None, "France") == ["Gambia"]


def test_a_bare_congo_is_a_country_not_a_village_of_that_name():
    found = GazetteerGeocoder().geocode("Congo")
    assert found is not None
    assert found.raw["feature_code"] == "PCLI"
    assert found.raw["country_code"] in ("CD", "CG")


def test_the_documents_places_choose_which_congo():
    def country(text):
        [m] = [m for m in geoparse(text) if m.text == "Congo"]
        return m.place.country_code

    assert country("Fighting spread in Ituri province in the north-east of Congo.") == "CD"
    text = "An outbreak was reported in the Cuvette-Ouest region of Congo, near Gabon."
    assert country(text) == "CG"
