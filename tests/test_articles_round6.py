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


def test_clashes_between_border_guards_and_a_gang_around_a_town(gaz):
    text = (
        "Further south, in the Poltava region, heavy clashes broke out on Wednesday between "
        "border guards and a smuggling gang around Hadiach."
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


# -- names the English dictionary knows, in a place's wording --------------------------------


def _places(text, gaz):
    from geo.geoparse import geoparse

    return [(m.text, m.place.country_code) for m in geoparse(text, gazetteer=gaz)
            if m.role == "location"]  # fmt: skip


def test_a_name_that_starts_with_an_arabic_or_spanish_article_is_no_english_phrase(gaz):
    # both words are in the word list the geoparser takes for ordinary English
    assert _places("Rebel fighters stormed El Banco on Tuesday, residents said.", gaz) == [
        ("El Banco", "CO")
    ]


def test_a_bearing_of_a_name_makes_it_a_place(gaz):
    assert _places("Warplanes hit militia camps east of El Banco.", gaz) == [("El Banco", "CO")]
    assert _places("Artillery pounded villages north of Reading overnight.", gaz) == [
        ("Reading", "GB")
    ]


def test_the_outskirts_of_a_name_make_it_a_place(gaz):
    assert _places("Drones hit warehouses on the outskirts of Bath on Tuesday.", gaz) == [
        ("Bath", "GB")
    ]


def test_an_event_east_of_a_town_is_at_the_town(gaz):
    text = "Air strikes destroyed two militia depots east of El Banco on Monday, the ministry said."
    assert places_of(text, gaz) == [("attack", "El Banco")]


def test_ordinary_words_stay_words(gaz):
    """Guard: passes on the code before the rule too (no article, no bearing, no place)."""
    assert _places("Reading the statement on Monday, the minister said the deal held.", gaz) == []
    assert _places("The deal was signed at dawn by both sides.", gaz) == []
