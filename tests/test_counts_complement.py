"""Counts told by a complement after "leave": "leaves 4 wounded", "left four people
wounded", "leaves 2 dead, 5 wounded" (issue 11: counts by kind). Before, a number whose
kind was its complement took the kind of the nearest trigger's type, so the wounded were
counted as killed. Sentences and places are the team's own."""

from datetime import date

import pytest

from geo.extract import find_events

JUNE_15 = date(2024, 6, 15)


def counts(text):
    [event] = find_events(text, published=JUNE_15)
    return sorted((c.kind, c.low) for c in event.counts)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Blast at Poltava checkpoint leaves 4 wounded", [("wounded", 4)]),
        ("A blast at a Poltava checkpoint left four people wounded", [("wounded", 4)]),
        ("Shelling of Lubny leaves 3 injured", [("wounded", 3)]),
        ("Strike leaves 2 dead, 5 wounded in Lubny", [("killed", 2), ("wounded", 5)]),
    ],
)
def test_a_complement_after_leave_gives_the_count_its_kind(text, expected):
    assert counts(text) == expected


def test_dead_after_leave_stays_killed():
    """Guard (held before)."""
    assert counts("Shelling of Lubny leaves 3 dead") == [("killed", 3)]


def test_a_participle_after_the_counted_people_gives_their_kind():
    text = "On 14 June 2024, RU forces shelled Lubny. 2 civilians killed, 3 injured."
    [event] = find_events(text, published=JUNE_15)
    assert sorted((c.kind, c.low) for c in event.counts) == [("killed", 2), ("wounded", 3)]


@pytest.mark.parametrize(
    "tail, expected",
    [("Fatalities: 2.", [("killed", 2)]), ("Injured: 4", [("wounded", 4)]), ("Fatalities: 0.", [])],
)
def test_a_labelled_toll_on_its_own_line_is_the_events_toll(tail, expected):
    """("Fatalities: 0" is a guard: it held before.)"""
    text = f"On 14 June 2024, RU forces shelled Romny (Romny raion, Sumy oblast). {tail}"
    [event] = find_events(text, published=JUNE_15)
    assert sorted((c.kind, c.low) for c in event.counts) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gunmen killed 12 villagers near Romny.", [("killed", 12)]),
        ("Militants abducted 30 pupils in Lubny.", [("captured", 30)]),
        ("Troops destroyed 12 houses in Lubny.", []),
    ],
)
def test_the_number_of_people_a_verb_kills_or_takes_is_a_count(text, expected):
    """("12 houses" destroyed is a guard: it held before.)"""
    [event] = find_events(text, published=JUNE_15)
    assert sorted((c.kind, c.low) for c in event.counts) == expected
