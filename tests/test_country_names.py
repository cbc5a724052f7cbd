"""Countries answer to the names news gives them beside the official ones: conventional
English names ("DR Congo", "Britain", "Holland"), Natural Earth's other name ("Swaziland"),
the name in the country's own language ("Türkiye"), formal names without "the" ("Republic
of Congo") and former names, in ``geocode`` and in ``geoparse`` alike (issue 12)."""

import pytest

from gazetteer.build_names import country_names
from geo.gazetteer.country_names import ABBREVIATIONS, FORMER_NAMES, names_of
from geo.geoparse import geoparse
from geo.geoparse.geocoder import GazetteerGeocoder


@pytest.fixture(scope="module")
def geocoder():
    return GazetteerGeocoder()


@pytest.mark.parametrize(
    "query, iso",
    [
        ("DR Congo", "CD"),
        ("Congo-Kinshasa", "CD"),
        ("Democratic Republic of Congo", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Republic of Congo", "CG"),  # not the larger Congo by the name "Congo" inside it
        ("Congo Republic", "CG"),
        ("Britain", "GB"),
        ("Great Britain", "GB"),
        ("UK", "GB"),
        ("U.S.", "US"),
        ("America", "US"),
        ("Holland", "NL"),
        ("Bosnia", "BA"),
        ("Türkiye", "TR"),
        ("Swaziland", "SZ"),
        ("Persia", "IR"),
        ("Deutschland", "DE"),
        ("Polska", "PL"),
    ],
)
def test_a_country_by_the_name_news_gives_it(geocoder, query, iso):
    found = geocoder.geocode(query)
    assert found is not None, query
    assert (found.raw["feature_code"], found.raw["country_code"]) == ("PCLI", iso)


def test_the_whole_wording_beats_a_name_inside_it_but_an_area_word_still_names_the_unit(
    geocoder,
):
    """Guard (held before): "X region" is still the region when no place is named so."""
    found = geocoder.geocode("Poltava region")
    assert (found.raw["feature_code"], found.raw["country_code"]) == ("ADM1", "UA")


def test_a_province_named_like_a_former_country_stays_the_province():
    """Guard (held before): "Zaire province" is Angola's province, not the former Zaire."""
    [zaire] = [m for m in geoparse("Floods hit the Zaire province of Angola.") if m.text == "Zaire"]
    assert (zaire.place.feature_code, zaire.place.country_code) == ("ADM1", "AO")


def test_geoparse_reads_the_conventional_names_in_running_text():
    text = (
        "Britain and Holland sent medical teams to DR Congo, while Bosnia pledged funds; "
        "the Congo-Brazzaville government closed its border."
    )
    found = {m.text: m.place.country_code for m in geoparse(text) if m.place is not None}
    assert found == {
        "Britain": "GB", "Holland": "NL", "DR Congo": "CD", "Bosnia": "BA",
        "Congo-Brazzaville": "CG",
    }  # fmt: skip


def test_the_build_adds_the_other_own_language_and_conventional_names():
    rec = {
        "NAME": "Republic of the Congo", "FORMAL_EN": "Republic of the Congo",
        "NAME_ALT": float("nan"), "NAME_FR": "République du Congo",
    }  # fmt: skip
    names, abbrev = country_names("CG", "fr-CG,kg,ln-CG", [rec])
    assert "République du Congo" in names  # its first official language
    assert "Republic of Congo" in names and "Congo-Brazzaville" in names
    assert abbrev == []
    names, abbrev = country_names(
        "SZ", "en-SZ,ss-SZ", [{"NAME": "eSwatini", "NAME_ALT": "Swaziland"}]
    )
    assert "Swaziland" in names
    assert country_names("CD", "fr-CD", [])[1] == ["DRC"]


def test_one_table_of_abbreviations_and_former_names_serves_the_build_and_the_geoparser():
    from geo.geoparse import toponyms

    assert toponyms.FORMER_COUNTRIES is FORMER_NAMES
    assert ABBREVIATIONS["u k"] == "GB"
    assert "swaziland" in names_of("SZ")


def test_a_countrys_acronym_written_as_a_word_is_no_country():
    text = "Car bomb kills 5 in Lubny. The CAR army met troops from Chad in the UK."
    found = {m.text: m.place.country_code for m in geoparse(text) if m.place is not None}
    assert "Car" not in found
    assert found["CAR"] == "CF" and found["Chad"] == "TD" and found["UK"] == "GB"
