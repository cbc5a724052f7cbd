"""Articles, round 6: where a fight between two sides is, and a town inside the region a
sentence also names. Every sentence and place name here was written for these tests (none
comes from a dev set or a held-out file), so they check the general rules, not remembered
answers."""

import pytest
from article_cases import reported

from geo.gazetteer.lookup import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def places_of(text, gaz):
    return [(e.event_type, e.place_text) for e in reported(text, gaz)]


# -- a place phrase hung on one of the sides of a fight -------------------------------------


def test_fighting_between_two_sides_near_a_town_is_at_the_town_not_its_region(gaz):
    text = (
        "In the Chernihiv region, heavy fighting raged on Tuesday between Ukrainian troops "
        "and Russian saboteurs near Pryluky, the border guard said."
    )
    assert places_of(text, gaz) == [("attack", "Pryluky")]


def test_a_gun_battle_between_police_and_smugglers_outside_a_town(gaz):
    text = (
        "In the Poltava region, a gun battle erupted on Monday between police and "
        "smugglers outside Lubny."
    )
    assert places_of(text, gaz) == [("attack", "Lubny")]


def test_fighting_that_broke_out_between_the_army_and_militias_around_a_town(gaz):
    text = (
        "Further north, in the Poltava region, fighting broke out on Wednesday between the "
        "army and militias around Hadiach, local sources said."
    )
    assert places_of(text, gaz) == [("attack", "Hadiach")]


# -- guards ------------------------------------------------------------------------------------


def test_a_region_struck_as_a_whole_stays_the_region(gaz):
    """Guard: passes on the code before the rule too (no town, nothing finer to take)."""
    text = "Russian drones struck the Poltava region overnight, the air force said."
    assert places_of(text, gaz) == [("attack", "Poltava")]


def test_a_town_of_the_speaker_does_not_replace_the_region_struck(gaz):
    """Guard: passes on the code before the rule too (a place that is not the fight's own
    does not become the event's place because it lies inside the region)."""
    text = "Russian drones struck the Poltava region on Monday, officials in Lubny said."
    assert places_of(text, gaz) == [("attack", "Poltava")]


def test_a_town_named_by_its_region_keeps_the_town(gaz):
    """Guard: passes on the code before the rule too (the town was already the place)."""
    text = "In the Sumy region, Russian artillery shelled Romny on Wednesday, killing a man."
    assert places_of(text, gaz) == [("attack", "Romny")]
