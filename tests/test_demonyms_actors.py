"""Country adjectives (issue 11 actors; issue 12 demonyms): "Nigerian" is Nigeria's, not
Niger's (both names make the form: the one it keeps the more of wins); adjectives a village
name hid ("Malian") or the rules missed ("Lebanese") are known; and a country's adjective
before rebels, jihadists or militias does not make them its state's forces."""

from datetime import date

import pytest

from geo.extract import find_events
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.toponyms import demonyms


@pytest.fixture(scope="module")
def table():
    return demonyms(Gazetteer.default())


@pytest.mark.parametrize(
    "word, code",
    [("nigerian", "NG"), ("nigerians", "NG"), ("malian", "ML"), ("lebanese", "LB"),
     ("palestinian", "PS"), ("somali", "SO"), ("chadian", "TD")],
)  # fmt: skip
def test_a_country_adjective_names_its_country(table, word, code):
    assert table.get(word) == code


def test_nigerien_stays_niger(table):
    """Guard (held before)."""
    assert table["nigerien"] == "NE"


def actor1(text):
    [event] = find_events(text, published=date(2024, 6, 15))
    return event.actor1


def test_a_countrys_troops_are_its_forces():
    assert actor1("Nigerian troops attacked a camp near Maiduguri") == "Military Forces of Nigeria"
    assert actor1("Malian soldiers clashed with fighters near Gao") == "Military Forces of Mali"


def test_rebels_named_by_a_country_are_not_its_state():
    assert not (actor1("Syrian rebels seized the town of Kafr Zeitoun") or "").startswith(
        "Military Forces of"
    )


def test_jihadists_named_by_a_country_are_not_its_state():
    """Guard (held before: "Malian" was no known adjective then)."""
    assert actor1("Malian jihadists attacked a post near Gao") == "Unidentified Armed Group"


def test_who_repelled_an_assault_is_not_its_attacker():
    [event] = find_events(
        "On 14 June 2024, UAF repelled an assault near Romny, Sumy oblast.",
        published=date(2024, 6, 15),
    )
    assert event.actor2 == "Military Forces of Ukraine"
    assert event.actor1 != event.actor2
