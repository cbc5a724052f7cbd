"""Held-out geoparsing texts: same-document evidence outweighs a name's prior, and no more."""

import pytest

from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.resolve import geoparse


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer(user_dir=False)


def resolved(text, gaz, name):
    found = [m for m in geoparse(text, gazetteer=gaz) if m.text == name]
    assert found, (name, text)
    return found[0].place


@pytest.mark.parametrize(
    "text",
    [
        "Flooding closed roads in Macon, Georgia, and in Birmingham, Alabama, where officials "
        "in Nashville, Tennessee, sent crews.",
        "Heavy rain hit Georgia and South Carolina; Atlanta and Columbia reported flooding.",
    ],
)
def test_georgia_in_a_us_text_is_the_state(gaz, text):
    place = resolved(text, gaz, "Georgia")
    assert (place.country_code, place.feature_code, place.admin1_code) == ("US", "ADM1", "GA")


def test_other_us_states_in_the_same_text_are_states(gaz):
    text = (
        "Flooding closed roads in Macon, Georgia, and in Birmingham, Alabama, where officials "
        "in Nashville, Tennessee, sent crews."
    )
    for name, code in (("Alabama", "AL"), ("Tennessee", "TN")):
        place = resolved(text, gaz, name)
        assert (place.country_code, place.feature_code, place.admin1_code) == ("US", "ADM1", code)


def test_a_homonym_follows_the_document_country(gaz):
    text = (
        "Tornadoes damaged homes in Paris, Tyler and Lufkin in East Texas, and in "
        "Shreveport, Louisiana."
    )
    place = resolved(text, gaz, "Paris")
    assert (place.country_code, place.admin1_code) == ("US", "TX")


@pytest.mark.parametrize(
    "text",
    [
        "Wildfires spread near Tbilisi, and Georgia asked Armenia and Azerbaijan for help.",
        "Georgia signed a trade deal with Azerbaijan in Baku on Monday.",
        "Officials in Tbilisi said Georgia would hold talks with Armenia.",
        "Georgia.",
    ],
)
def test_georgia_in_a_caucasus_or_bare_text_stays_the_country(gaz, text):
    place = resolved(text, gaz, "Georgia")
    assert (place.country_code, place.feature_code) == ("GE", "PCLI")


def test_the_ukrainian_homonyms_keep_their_document(gaz):
    text = "Shelling hit Lyman and Siversk in Donetsk Oblast, and Kupiansk in Kharkiv Oblast."
    for name in ("Lyman", "Siversk", "Kupiansk"):
        assert resolved(text, gaz, name).country_code == "UA"


def test_a_region_named_beside_a_homonym_decides_it(gaz):
    text = "Floods cut off Pokrovsk in Yakutia on Tuesday, and Sakha officials sent boats."
    assert resolved(text, gaz, "Pokrovsk").geonameid == 2017824
    assert resolved(text, gaz, "Yakutia").geonameid == 2013162


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian forces said they had taken positions near Konstantinovka and Artemovsk in "
            "the Donetsk region of Ukraine.",
            {"Konstantinovka": 705104, "Artemovsk": 713174},  # Kostiantynivka, Bakhmut
        ),
        (
            "Russian troops shelled Volchansk and Kupyansk in the Kharkiv region of Ukraine, "
            "local officials said.",
            {"Volchansk": 689304, "Kupyansk": 703656},  # Vovchansk, Kupiansk
        ),
    ],
)
def test_a_region_named_with_its_country_gives_its_towns_their_russian_names(text, expected):
    """The oblast a document names ("the Donetsk region of Ukraine") is read with the
    document's countries, so towns in it win under their Russian-language names."""
    found = {m.text: m.place.geonameid for m in geoparse(text) if m.place}
    assert {name: found.get(name) for name in expected} == expected


@pytest.mark.parametrize(
    "text, local",
    [
        ("Gunmen ambushed a patrol between Menaka and Fama, near the Gao region.", "Fama"),
        (
            "Rebels attacked a convoy near Tessit in the Gao region; fighting also reached Wagner.",
            "Wagner",
        ),  # fmt: skip
    ],
)
def test_with_no_country_named_a_sure_region_sets_the_documents_country(gaz, text, local):
    # the village names the gazetteer has only abroad (in Brazil) are local names it lacks
    found = {m.text: m.place for m in geoparse(text, gazetteer=gaz)}
    assert found["Gao"].country_code == "ML"
    assert local not in found


@pytest.mark.parametrize(
    "text, country, place",
    [
        ("US warplanes struck a depot near Sanaa overnight.", "US", "Sanaa"),
        ("UK aircraft joined the strikes on Hodeida.", "UK", None),
    ],
)
def test_a_country_before_a_noun_stands_for_its_forces(gaz, text, country, place):
    mentions = {m.text: m for m in geoparse(text, gazetteer=gaz)}
    assert mentions[country].metonymic  # whose warplanes, not where they struck
    if place:
        assert not mentions[place].metonymic


def test_a_country_as_a_place_stays_a_place(gaz):
    mentions = geoparse("Protests spread across the US on Sunday.", gazetteer=gaz)
    assert [m.metonymic for m in mentions if m.text == "US"] == [False]


def test_a_count_after_a_name_does_not_make_it_an_organisation(gaz):
    # taggers read "Mykolaiv 30 times" as one organisation name
    text = "Russian forces shelled the city of Mykolaiv 30 times overnight."
    assert resolved(text, gaz, "Mykolaiv").country_code == "UA"


@pytest.mark.parametrize(
    "text, local, there",
    [
        # a unique name abroad (an Italian town) used as a militia's name beside a large
        # Ethiopian town: the town's country is the document's, not the namesake's
        ("Fano fighters stormed the outskirts of Gondar before dawn.", "Fano", "Gondar"),
    ],
)
def test_a_small_namesake_abroad_needs_support_beyond_its_own_name(gaz, text, local, there):
    found = {m.text: m.place for m in geoparse(text, gazetteer=gaz)}
    assert found[there].country_code == "ET"
    assert local not in found


def test_a_small_town_abroad_named_with_its_country_stays(gaz):
    found = {
        m.text: m.place for m in geoparse("Floods hit Fano, Italy, and Gondar.", gazetteer=gaz)
    }
    assert found["Fano"].country_code == "IT"


@pytest.mark.parametrize(
    "text, name",
    [
        # every word of the name is an ordinary word: the preposition and the parser's
        # LOC label make it a place
        ("Militants fired at a cargo ship in Red Sea overnight.", "Red Sea"),
        ("Navy intercepts drones over Red Sea", "Red Sea"),
    ],
)
def test_a_sea_named_in_ordinary_words_after_in_is_a_place(gaz, text, name):
    assert resolved(text, gaz, name).feature_class == "H"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Russian forces launched large-scale assaults on Marinka from two directions.", "Marinka"),
        ("Troops repelled attacks on Krasnohorivka overnight.", "Krasnohorivka"),
    ],
)
def test_the_object_of_an_attack_noun_is_a_place_whatever_the_tagger_says(gaz, text, name):
    assert resolved(text, gaz, name).country_code == "UA"
