"""Articles, round 5. Every sentence and place name here was written for these tests (none
comes from a dev set or a held-out file), so they check the general rules, not remembered
answers."""

from datetime import date

import pytest
from article_cases import PUB, TAIL, reported

from geo.gazetteer.lookup import Gazetteer

THU = date(2024, 9, 12)


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def dates_of(text, gaz):
    return {(e.event_type, e.place_text): (e.date_start, e.date_end) for e in reported(text, gaz)}


# -- a report told in the perfect ------------------------------------------------------------


def test_a_capture_claimed_in_the_past_perfect_may_be_of_the_day_before(gaz):
    text = (
        "Russia's Defence Ministry said its troops had captured the town of Hadiach, a claim "
        "that Kyiv denied. Ukrainian officers said fighting went on in the northern "
        "suburbs."
    )
    assert dates_of(text, gaz)[("front_line", "Hadiach")] == (THU, PUB)


def test_a_claim_dated_by_its_statement_in_the_perfect_reaches_the_day_before(gaz):
    text = (
        "POLTAVA, Ukraine — Russian drones struck Lubny overnight, wounding three people, "
        "the governor said.\n\n"
        "On Thursday the army said its units had retaken Romny after heavy fighting." + TAIL
    )
    assert dates_of(text, gaz)[("front_line", "Romny")] == (date(2024, 9, 11), THU)


def test_a_plain_past_report_keeps_the_day_of_the_report(gaz):
    """Guard: passes on the code before the rule too (the simple past is not widened)."""
    text = (
        "Russia's Defence Ministry said its troops captured the town of Hadiach, a claim "
        "that Kyiv denied. Ukrainian officers said fighting went on in the northern "
        "suburbs."
    )
    assert dates_of(text, gaz)[("front_line", "Hadiach")] == (PUB, PUB)


def test_a_perfect_with_a_day_of_its_own_keeps_that_day(gaz):
    """Guard: passes on the code before the rule too (a stated day is the event's)."""
    text = (
        "POLTAVA, Ukraine — Russian drones struck Lubny overnight, wounding three people, "
        "the governor said.\n\n"
        "The army said its units had retaken Romny on Wednesday." + TAIL
    )
    wed = date(2024, 9, 11)
    assert dates_of(text, gaz)[("front_line", "Romny")] == (wed, wed)


# -- who does what an object-control verb's infinitive says ---------------------------------


def test_residents_forced_to_flee_by_shelling_are_no_movement(gaz):
    text = (
        "Russian troops shelled Lubny on Thursday, forcing hundreds of families to flee "
        "towards Pryluky."
    )
    found = reported(text, gaz)
    assert [e.event_type for e in found] == ["attack"], [(e.event_type, e.place_text)
                                                          for e in found]  # fmt: skip


def test_troops_forced_to_withdraw_move(gaz):
    text = (
        "Heavy Russian shelling on Thursday forced Ukrainian troops to withdraw from "
        "Romny, the General Staff said."
    )
    assert "movement" in {e.event_type for e in reported(text, gaz)}


# -- a town retaken, and the toll of its retaking -------------------------------------------


def _article_events(tmp_path, text, gaz):
    from geo.pipeline.ingest import process_article

    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".yaml").write_text(f"published_at: '{PUB.isoformat()}'\n", encoding="utf-8")
    return process_article(path, gazetteer=gaz).events


_RETAKEN = (
    "POLTAVA, Ukraine — Russian troops seized the town of Romny on Thursday after a day of "
    "street fighting, local officials said.\n\n"
    "On Friday the Ukrainian army said it had retaken Romny and killed 40 of the "
    "attackers, a claim that could not be checked." + TAIL
)


def test_a_town_retaken_is_not_the_capture_told_before_it(tmp_path, gaz):
    events = [e for e in _article_events(tmp_path, _RETAKEN, gaz) if e.event_type == "front_line"]
    assert len(events) == 2, [(e.date_start, e.actor1) for e in events]
    assert sorted(e.date_start for e in events) == [THU, THU]  # (the retaking: Thu..Fri)
    assert max(e.date_end for e in events) == PUB


def test_the_dead_of_a_retaking_are_its_toll_not_an_event_of_their_own(gaz):
    found = reported(_RETAKEN, gaz)
    assert "casualties" not in {e.event_type for e in found}, [
        (e.event_type, e.place_text) for e in found
    ]
    retaking = [e for e in found if e.event_type == "front_line" and e.date_end == PUB]
    assert [c.kind for c in retaking[0].counts] == ["killed"]


# -- what a side says it does, and fighting that came before ---------------------------------


def test_a_present_claim_the_tagger_reads_as_a_noun_is_no_strike(gaz):
    text = (
        "Jets bombed a market in Lubny on Thursday, killing six people. State television has "
        "said the air force targets only armed positions."
    )
    found = reported(text, gaz)
    assert len(found) == 1, [(e.event_type, e.place_text) for e in found]


def test_weeks_of_fighting_before_a_retaking_are_its_background(gaz):
    text = (
        "On Friday the army said its troops had retaken the town of Romny, on the main road "
        "to the border, after weeks of fighting with the rebels."
    )
    assert [e.event_type for e in reported(text, gaz)] == ["front_line"]
