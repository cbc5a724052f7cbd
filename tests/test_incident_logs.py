"""Casualty-log lines (issue 11, incident descriptions): a day and month written in numbers
("14/06", "12.06") date the event against the publication date, and a spaced dash ends a
place name ("Poltava city - 2 x killed"). Sentences and places are the team's own."""

from datetime import date

import pytest

from geo.extract import find_events
from geo.extract.temporal import Reference, find_dates

JUNE_15 = Reference.of(date(2024, 6, 15), "day")


def dates(text, ref=JUNE_15):
    return [(d.text, d.start.isoformat(), d.end.isoformat()) for d in find_dates(text, ref)]


@pytest.mark.parametrize(
    "text, day",
    [
        ("Drone strike on a market, Lubny; 13/06; 3 x killed", "2024-06-13"),
        ("Airstrike hit a school in Romny, 12.06 - 4 x fatality", "2024-06-12"),
        ("Shelling of Pryluky on 19/10, 2 x wounded", "2023-10-19"),  # not after publication
        ("3/06: mortar fire on Hadiach", "2024-06-03"),
    ],
)
def test_a_day_and_month_in_numbers_is_the_latest_such_day_by_publication(text, day):
    [(_, start, end)] = dates(text)
    assert start == end == day


@pytest.mark.parametrize(
    "text",
    [
        "the 9/11 anniversary",  # neither reading is told: no date
        "on duty 24/7",
        "a 10/11 split",
        "prices rose 2.05 percent",
        "the shelling began at 12.05",  # a time
        "a 50/50 chance",
        "a 3.05 km stretch of road",
    ],
)
def test_numbers_that_are_no_day_and_month_stay_undated(text):
    """Guard (held before): the new form reads none of these."""
    assert dates(text) == []


def test_without_a_publication_date_a_day_and_month_alone_is_not_dated():
    """Guard (held before)."""
    assert find_dates("Shelling of Lubny, 14/06", None) == []


def test_a_log_line_is_placed_and_dated():
    text = "Shelling, residential area in Poltava city - 2 x killed, 5 x injured; 14/06"
    [event] = find_events(text, published=date(2024, 6, 15))
    assert event.date_start == event.date_end == date(2024, 6, 14)
    assert event.place is not None and event.place.name == "Poltava"


@pytest.mark.parametrize(
    "text, mode_word",
    [
        # a line that opens with its weapon as a field is that weapon's attack (eighth
        # session): the weapon is the trigger, the toll its count
        ("Grad rockets, Lubny outskirts; 4 civilians injured", "rockets"),
        ("Sniper fire in Romny centre, 1 x fatality", "fatality"),
        ("Missile debris fell on a Lubny school; 3 injured", "injured"),
    ],
)
def test_a_toll_beside_a_named_weapon_is_the_weapons_attack(text, mode_word):
    [event] = find_events(text, published=date(2024, 6, 15))
    assert event.event_type == "attack"
    assert text[event.trigger[0] : event.trigger[1]] == mode_word
    assert len(event.counts) == 1


def test_a_toll_with_no_weapon_stays_a_toll():
    """Guard (held before): no weapon named, no attack made up."""
    [event] = find_events("Five people were injured in Lubny", published=date(2024, 6, 15))
    assert event.event_type == "casualties"


def test_log_abbreviations_count_people():
    text = "IED detonation on a road near Romny; 2 x KIA, 3 x civ inj"
    [event] = find_events(text, published=date(2024, 6, 15))
    assert event.event_type == "attack"
    assert sorted((c.kind, c.low) for c in event.counts) == [("killed", 2), ("wounded", 3)]


def test_a_strike_noun_the_tagger_read_as_a_verb_is_still_the_strike():
    text = "Tatmadaw airstrike on a village in Kale township, Sagaing region; 9 killed."
    [event] = find_events(text, published=date(2024, 3, 13))
    assert event.event_type == "attack"
    assert text[event.trigger[0] : event.trigger[1]] == "airstrike"
    assert [(c.kind, c.low) for c in event.counts] == [("killed", 9)]


def test_people_hurt_are_wounded_and_an_economy_hurt_is_no_event():
    [event] = find_events("Five people were hurt in Lubny", published=date(2024, 6, 15))
    assert [(c.kind, c.low) for c in event.counts] == [("wounded", 5)]
    assert find_events("Sanctions hurt the economy of Lubny", published=date(2024, 6, 15)) == []


def test_a_bomb_that_rocked_a_town_is_an_attack_there():
    text = "A car bomb rocked central Romny on Friday."
    [event] = find_events(text, published=date(2024, 6, 15))
    assert event.event_type == "attack" and event.place.name == "Romny"
    assert find_events("The scandal rocked Romny on Friday.", published=date(2024, 6, 15)) == []
