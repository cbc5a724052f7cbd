"""Round 9 of geoparsing: names reports spell another way, and the fields of incident lines.

Every sentence here is the tests' own, with places of the tests' own choosing.
"""

from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer
from geo.geoparse import geoparse


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def _places(text, gaz):
    return {
        m.text: (m.place.name, m.place.country_code)
        for m in geoparse(text, gazetteer=gaz)
        if m.role == "location"
    }


def test_the_arabic_article_in_another_form_still_names_the_town(gaz):
    # the gazetteer writes the article assimilated and the name with a final -ah
    found = _places("Militias clashed in Al Zawiya on Friday.", gaz)
    assert found["Al Zawiya"][1] == "LY"


def test_a_hyphenated_name_the_gazetteer_writes_as_one_word(gaz):
    found = _places("Shelling was reported in Kae-song and Ham-hung.", gaz)
    assert found["Kae-song"][1] == "KP"
    assert found["Ham-hung"][1] == "KP"


def test_name_variants_of_the_article_and_of_a_hyphen():
    from geo.geoparse.matching import name_variants

    assert {"el kufra", "kufra"} <= name_variants("al kufra")
    assert "as suwaydah" in name_variants("al suwayda")
    assert name_variants("ham hung") == {"hamhung"}
    assert name_variants("lubny") == set()


def test_a_slash_parts_the_fields_of_an_incident_line(gaz):
    found = _places("Lubny / 3 May 2025 / shop hit by a drone / 2 wounded.", gaz)
    assert found["Lubny"] == ("Lubny", "UA")


def test_a_label_in_brackets_with_a_slash(gaz):
    found = _places("[MYRHOROD / Poltava obl.] 04-05-2025 - shop - drone - 1 killed", gaz)
    assert found["MYRHOROD"] == ("Myrhorod", "UA")


def test_an_abbreviated_region_word_in_brackets_qualifies_the_town(gaz):
    found = _places("School No. 5, Hadiach (Poltava obl.) -- drone, no casualties.", gaz)
    assert found["Hadiach"][1] == "UA"
    assert found["Hadiach"][0].startswith("Hady")


def test_a_site_described_by_two_words_after_the_name(gaz):
    found = _places("Drone attack on Pryluky military academy kills two", gaz)
    assert found["Pryluky"] == ("Pryluky", "UA")


def test_a_place_verb_right_before_the_name_in_a_headline(gaz):
    # the small parse reads "attack" as a noun before the name
    found = _places("Gangs attack Zolotonosha, loot shops", gaz)
    assert found["Zolotonosha"] == ("Zolotonosha", "UA")


def test_a_unit_word_after_a_name_the_parse_calls_a_person(gaz):
    found = _places("Bandit raid, Zhmerynka commune – 3 killed, shops looted", gaz)
    assert found["Zhmerynka"][1] == "UA"


def test_guard_an_english_word_before_a_name_is_no_article(gaz):
    """Guard (passes on the start code too): "As" opening a sentence is not "as-"."""
    found = _places("As Poltava burned, people fled.", gaz)
    assert list(found) == ["Poltava"]


def test_guard_a_dash_inside_a_name_still_joins_it(gaz):
    """Guard (passes on the start code too): a hyphen without spaces is part of a name."""
    found = _places("Fighting went on near Kamianets-Podilskyi.", gaz)
    assert found["Kamianets-Podilskyi"][1] == "UA"


def test_residential_areas_of_a_town_are_the_town(gaz):
    # "industrial area of X" already named the town; the plural did not
    found = _places("Rebels shelled residential areas of Lubny, wounding five.", gaz)
    assert found["Lubny"] == ("Lubny", "UA")


def test_a_word_with_the_article_in_lower_case_goes_on_with_the_name(gaz):
    # the gazetteer writes the article assimilated ("az Z..."), the text as "al-D..."
    found = _places("Jets struck Abu al-Duhur on Monday.", gaz)
    assert found["Abu al-Duhur"][1] == "SY"


def test_a_country_that_speaks_after_a_comma_does_not_qualify_the_name(gaz):
    # "near X, Y claims": Y is who claims, not the country X lies in
    found = _places("Troops pushed back near Trostianets, Russia claims", gaz)
    assert found["Trostianets"] == ("Trostianets", "UA")
    found = _places("Assaults near Slatyne were repelled, Russia said on Monday.", gaz)
    assert found["Slatyne"] == ("Slatyne", "UA")


def test_a_bracket_qualifier_that_goes_on_after_a_semicolon(gaz):
    found = {
        m.text: m
        for m in geoparse(
            "Kobeliaky (Poltava region; river bank): a shop hit by a drone.", gazetteer=gaz
        )
    }
    assert found["Kobeliaky"].place.admin1_name.startswith("Poltava")


def test_a_country_or_state_opening_an_institutions_name_is_a_metonymic_mention(gaz):
    mentions = geoparse(
        "A spokesman for the Estonia Ministry of Health confirmed it.", gazetteer=gaz
    )
    found = {m.text: m for m in mentions if m.role == "location"}
    assert found["Estonia"].place.country_code == "EE"
    assert found["Estonia"].metonymic is True  # never an event's place
    found = {
        m.text: m for m in geoparse("The Oregon Health Authority warned residents.", gazetteer=gaz)
    }
    assert found["Oregon"].metonymic is True


def test_guard_a_town_opening_a_club_name_stays_context():
    """Guard (passes on the start code too): only countries and states open a mention."""
    assert geoparse("The Lubny Steelers won again.") == []
