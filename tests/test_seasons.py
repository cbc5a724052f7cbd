"""Seasons as dates (issue 11, dates): "last summer", "the winter of 2023", "over the
summer". A history aside dated by a season is told as history, not as news of the day.
Sentences and places are the team's own."""

from datetime import date

import pytest

from geo.extract import find_events
from geo.extract.temporal import Reference, find_dates

OCT_15 = Reference.of(date(2024, 10, 15))


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("the town fell last summer", "2024-06-01", "2024-08-31"),
        ("in the summer of 2023 the front moved", "2023-06-01", "2023-08-31"),
        ("shelled in winter 2023", "2022-12-01", "2023-02-28"),
        ("over the summer the army advanced", "2024-06-01", "2024-08-31"),
        ("this spring the offensive stalled", "2024-03-01", "2024-05-31"),
        ("in late summer 2022", "2022-07-31", "2022-08-31"),
        ("they withdrew last fall", "2023-09-01", "2023-11-30"),
        ("the lines froze last winter", "2023-12-01", "2024-02-29"),
    ],
)
def test_seasons_are_ranges(text, start, end):
    [d] = find_dates(text, OCT_15)
    assert (d.start.isoformat(), d.end.isoformat(), d.precision) == (start, end, "range")


@pytest.mark.parametrize(
    "text", ["after the fall of Lubny", "the summer was hot", "in the summer of Romny's siege"]
)
def test_no_season_date(text):
    """Guard for the new form: a town's fall, a season as a subject, a season of a name."""
    assert find_dates(text, OCT_15) == []


def test_an_aside_dated_by_last_summer_is_history_in_an_article():
    paragraphs = [
        "Russian drones struck a power plant in Lubny on Monday, the regional governor said.",
        "Ukrainian forces recaptured the nearby village of Zelena last summer after weeks of "
        "fighting, and the front has barely moved since.",
    ]
    text = "\n\n".join(paragraphs + ["Residents said the shelling had grown heavier."] * 3)
    events = find_events(text, published=date(2024, 10, 15))
    assert [(e.event_type, e.place_text) for e in events] == [("attack", "Lubny")]
