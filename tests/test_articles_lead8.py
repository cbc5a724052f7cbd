"""Articles (issue 11): descriptions of who holds a place are no events ("a city under rebel
control", "the situation is under control"), a change of hands told with "came under X
control" is one, "came under control" is no attack, and the town that "came under fire" is
where the attack was. Sentences and places are the team's own."""

from datetime import date

import pytest

from geo.extract import find_events

PUB = date(2025, 10, 30)


def told(text):
    return [(e.event_type, e.place_text) for e in find_events(text, published=PUB)]


@pytest.mark.parametrize(
    "text",
    [
        "Residents of Lubny, the largest town under rebel control, said drones hit the market.",
        "The town of Lubny, which remains under government control, was shelled.",
    ],
)
def test_a_town_described_as_held_is_no_front_line_event(text):
    assert [t for t, _ in told(text)] == ["attack"]


def test_the_situation_under_control_is_no_event():
    assert told("The army said the situation in Lubny was under control.") == []


def test_a_town_that_came_under_a_sides_control_changed_hands_and_was_not_attacked():
    assert told("Lubny came under Russian control on Monday.") == [("front_line", "Lubny")]


def test_the_town_that_came_under_fire_is_the_attacks_place():
    assert told("Lubny came under heavy fire on Monday.") == [("attack", "Lubny")]


def test_the_event_a_since_counts_from_is_no_news():
    assert told("Romny has been the seat of the regional council since the fall of Lubny.") == []
    assert told("Lubny has been quiet since the capture of Romny.") == []
    assert [t for t, _ in told("Power has been out in Lubny since a drone attack on Monday.")] == [
        "attack"
    ]


def test_a_hold_dated_since_a_month_is_a_front_line_over_time():
    """Guard (held before too): a relative clause that dates the hold stays a front line."""
    events = find_events(
        "Shelling hit the Poltava region, which has been under Ukrainian control since August.",
        published=PUB,
    )
    assert "front_line" in [e.event_type for e in events]


def test_between_two_towns_is_one_place_not_two_events():
    assert told("Fighting raged between Lubny and Romny on Monday.") == [("attack", "Lubny")]
    # a list of places is one event per place, as before
    assert len(told("Russian forces shelled Lubny and Romny on Monday.")) == 2
