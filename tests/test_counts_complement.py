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
