"""Articles, round 7: which day an article's event takes (a dateline's filing day, a day
told between "said" and the reported clause), and what an article says that is no event
(summaries over years, fighting kept up, remarks on what a battle means, a "when" clause
after a dated noun, "after the attack" told before, a march of residents). Every sentence and
place name here was written for these tests (none comes from a dev set or a held-out file),
so they check the general rules, not remembered answers."""

from datetime import date

import pytest
from article_cases import PUB, TAIL, reported

from geo.extract.places import datelines
from geo.gazetteer.lookup import Gazetteer

WEDNESDAY, THURSDAY = date(2024, 9, 11), date(2024, 9, 12)  # PUB is Friday 13 September
LEAD = (
    "POLTAVA, Ukraine — A Russian drone hit a grain store in Pryluky on Thursday, "
    "wounding two workers, regional officials said."
)


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def events_of(text, gaz):
    return [(e.event_type, e.place_text, e.date_start, e.date_end) for e in reported(text, gaz)]


# -- a dateline that gives the filing day ------------------------------------------------------


def test_a_dateline_with_its_filing_day_is_a_dateline():
    for text in (
        "LUBNY, Sept 13 — Drones hit a depot.",
        "HADIACH, Ukraine, Sept. 13 — Drones hit a depot.",
        "ROMNY, Sept 13, 2024 (Reuters) — Drones hit a depot.",
    ):
        assert datelines(text) and text[datelines(text)[0][1] :] == "Drones hit a depot."


def test_the_day_of_a_lead_is_its_own_not_the_datelines(gaz):
    text = (
        "LUBNY, Ukraine, Sept 13 — Air strikes on the eastern town of Romny killed six people "
        "on Wednesday, the health ministry said." + TAIL
    )
    assert events_of(text, gaz) == [("attack", "Romny", WEDNESDAY, WEDNESDAY)]


def test_the_town_of_a_dateline_with_a_day_is_not_where_the_lead_happened(gaz):
    text = (
        "POLTAVA, Sept 13 — Gunmen attacked a police post on the outskirts of Hadiach on "
        "Wednesday, killing three officers, local officials said." + TAIL
    )
    assert events_of(text, gaz) == [("attack", "Hadiach", WEDNESDAY, WEDNESDAY)]


# -- a day told between the verb of speaking and the reported clause ---------------------------


def test_a_day_right_after_said_dates_the_claim_not_the_capture(gaz):
    text = "The rebel army said on Thursday it had captured Pryluky, a town near the border."
    assert events_of(text, gaz) == [("front_line", "Pryluky", WEDNESDAY, THURSDAY)]


def test_a_day_inside_the_reported_clause_is_the_captures(gaz):
    """Guard: passes on the code before the rule too (the day after "that" is the clause's)."""
    text = "The rebel army said that on Thursday its fighters had captured Pryluky."
    assert events_of(text, gaz) == [("front_line", "Pryluky", THURSDAY, THURSDAY)]


# -- what an article says that is no event -----------------------------------------------------


def test_a_toll_over_the_past_decade_is_no_event(gaz):
    text = (
        LEAD + "\n\nThe militia, which has its bases across the border, has killed thousands of "
        "villagers in the Sumy and Poltava regions over the past decade." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_a_campaign_widened_over_the_past_year_is_no_movement(gaz):
    text = (
        LEAD + "\n\nAnalysts say the militia has widened its raids over the past year, moving "
        "into the countryside around Romny and Hadiach." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_fighting_kept_up_in_the_present_is_no_incident(gaz):
    text = (
        LEAD + "\n\nSeparatist units continue to fight government troops around Romny, "
        "further north." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_a_remark_on_what_a_battle_resembles_is_no_event(gaz):
    text = LEAD + "\n\nThe shelling of Lubny has echoes of earlier battles in the region." + TAIL
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_a_when_clause_after_a_noun_dated_by_a_year_is_history(gaz):
    text = (
        LEAD + "\n\nThe eastern front has barely moved since Russia's 2023 winter offensive, "
        "when its units briefly seized Lubny and several villages nearby before the push "
        "stalled in minefields." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_flight_after_the_attack_told_before_is_no_new_attack(gaz):
    text = (
        "HADIACH, Sept 13 — Gunmen killed at least 11 people at a wedding on the outskirts of "
        "Romny on Wednesday night, local officials said.\n\nAbout 3,000 people fled villages "
        "around Romny toward Lubny after the attack, an aid worker said." + TAIL
    )
    assert [(e[0], e[1]) for e in events_of(text, gaz) if e[0] == "attack"] == [("attack", "Romny")]


def test_residents_marching_through_a_town_protest(gaz):
    text = (
        "On Thursday, hundreds of residents marched through the streets of Lubny to protest "
        "against the blackouts, blocking roads with burning tyres."
    )
    assert events_of(text, gaz) == [("protest", "Lubny", THURSDAY, THURSDAY)]


def test_troops_marching_into_a_town_move(gaz):
    """Guard: passes on the code before the rule too (armed marchers are a movement)."""
    text = "On Thursday, Russian troops marched into Lubny from the north."
    assert [e[0] for e in events_of(text, gaz)] == ["movement"]


def test_the_publication_day_is_friday():
    """Guard: the dates above count from the shared publication day."""
    assert PUB == date(2024, 9, 13) and PUB.weekday() == 4


def test_ground_still_held_is_no_change_of_hands(gaz):
    text = (
        LEAD + "\n\nUnder the truce the rebels were to pull their fighters back from Romny, and "
        "the army still holds three hills outside Lubny." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_a_capture_the_next_sentence_calls_a_false_claim_is_no_event(gaz):
    text = (
        LEAD + "\n\nMoscow said on Thursday its troops had captured Hadiach. Kyiv said the claim "
        "was false and that its soldiers still held positions in the town." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky"]


def test_a_capture_claim_nobody_denies_stays(gaz):
    """Guard: passes on the code before the rule too (no denial follows the claim)."""
    text = (
        LEAD + "\n\nMoscow said on Thursday its troops had captured Lubny. Kyiv did not comment "
        "on the claim." + TAIL
    )
    assert [e[1] for e in events_of(text, gaz)] == ["Pryluky", "Lubny"]
