"""Event verbs and nouns the trigger lexicon and its parse conditions used to miss (issue 11,
the fifth detection session), and the non-events beside them that must stay out. Every
sentence and name here was written for these tests; none comes from a dev set."""

from datetime import date

import pytest

from geo.extract import find_events

PUB = date(2024, 5, 10)  # a Friday


def found(text, published=PUB):
    return [(e.event_type, text[slice(*e.trigger)], _place(text, e))
            for e in find_events(text, published=published)]  # fmt: skip


def _place(text, event):
    return text[slice(*event.place_span)] if event.place_span else None


# -- the lexicon ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a murder's victim is a person, whatever word names them
        ("A pharmacist was found murdered in Kobeliaky on Tuesday.",
         ("attack", "murdered", "Kobeliaky")),
        # people undergoing torture named by their side ("opposition supporters")
        ("Militiamen tortured opposition supporters in Nizhyn on Monday.",
         ("attack", "tortured", "Nizhyn")),
        # a mass grave is people killed, like bodies found
        ("A mass grave was discovered near Krolevets on Monday.",
         ("casualties", "discovered", "Krolevets")),
        ("A car bomb blew apart a bus station in Sokoto on Sunday.",
         ("attack", "blew", "Sokoto")),
        ("Armed bandits plundered a market near Sokoto on Saturday.",
         ("attack", "plundered", "Sokoto")),
        ("Militants threw grenades at a police post in Fastiv on Friday.",
         ("attack", "threw", "Fastiv")),
        ("Rebel fighters assailed an army outpost near Hajjah on Monday.",
         ("attack", "assailed", "Hajjah")),
        ("Police reported sporadic firing at a border post near Gwadar on Tuesday night.",
         ("attack", "firing", "Gwadar")),
        # "killer" and "assassin" are armed actors: what they shoot is attacked
        ("An assassin shot the magistrate outside a courthouse in Gwadar on Tuesday.",
         ("attack", "shot", "Gwadar")),
        # armed men breaking into a building, or through the lines
        ("Armed men broke into a pharmacy in Kotelva on Monday.",
         ("attack", "broke", "Kotelva")),
    ],
)  # fmt: skip
def test_verbs_and_nouns_of_violence_the_lexicon_missed(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The club threw a party in Romny on Friday.",  # not a grenade
        "The firing of the minister in Lubny on Tuesday surprised nobody.",  # a dismissal
        "The orchestra continued its tour in Fastiv on Tuesday.",  # no light verb's noun
        "Thieves broke into a pharmacy in Kotelva on Monday.",  # no armed actor
    ],
)
def test_the_same_words_in_peaceful_senses_report_nothing(text):
    # guards: these report nothing on the code before the new entries too
    assert found(text) == []


def test_a_light_verb_lends_its_subject_to_a_movement_noun():
    # "continued their advance": who advances is the light verb's subject, not the noun's
    text = "Ukrainian troops continued their advance near Berdychiv on Wednesday."
    assert ("movement", "advance", "Berdychiv") in found(text)


def test_expanding_military_operations_is_fighting():
    text = "The army expanded its military operations to the outskirts of Ed Daein on Sunday."
    assert [(t, p) for t, _, p in found(text)] == [("attack", "Ed Daein")]


def test_a_convoy_of_tanks_is_armed():
    # what a convoy carries says who moves ("a convoy of aid trucks" is no armed actor)
    text = "A convoy of Russian tanks entered the town of Korosten on Friday."
    assert [p for _, _, p in found(text)] == ["Korosten"]
    assert found("A convoy of aid trucks entered the town of Korosten on Friday.") == []


def test_an_aircraft_named_after_its_class_noun_is_of_that_class():
    text = "A transport helicopter Mi-17 was downed by rebel fire near Dubno on Sunday."
    assert [(t, w) for t, w, _ in found(text)] == [("attack", "downed")]


# -- places the gazetteer does not know --------------------------------------------------------


def test_a_name_the_grammar_makes_a_place_is_a_place_for_the_senses_too():
    # "entered X" with X unknown to the gazetteer: forces entered a place (movement), and
    # the name is the event's place
    text = "Pro-government militias entered Tel Zawriyah on Thursday."
    assert found(text) == [("movement", "entered", "Tel Zawriyah")]


# -- what did not happen -------------------------------------------------------------------------


def test_what_an_offensive_is_aimed_at_is_no_report():
    assert found("Officials said the offensive is aimed at capturing Romny.") == []
    assert found("Rebels called for storming the barracks in Lubny on Monday.") == []


def test_an_event_after_which_something_stopped_still_happened():
    # guard: a preposition of time under a verb of stopping is no aim
    text = "Talks were suspended after the shelling of Romny on Monday."
    assert [(t, p) for t, _, p in found(text)] == [("attack", "Romny")]


def test_an_armed_attempt_to_take_or_enter_a_place_is_fighting_there():
    text = "Rebel fighters tried to enter the town of Nizhyn on Tuesday."
    assert found(text) == [("attack", "enter", "Nizhyn")]
    text = "Government troops attempted to recapture Krolevets on Sunday."
    assert found(text) == [("attack", "recapture", "Krolevets")]


def test_an_attempt_that_is_only_planned_or_on_people_is_no_report():
    # guards: none of these reports an event on the code before the rule either
    assert found("Rebel fighters said they would try to enter Nizhyn next week.") == []
    assert found("Police tried to arrest the mayor of Krolevets on Sunday.") == []
    assert found("Two soldiers tried to flee from Romny on Sunday.") == []


def test_what_a_relative_clause_of_speech_says_is_reported():
    # "the brigade, which said that ...": the clause reports, it does not describe
    text = (
        "The claim was backed by a local militia, which said that a large force of rebels "
        "entered Kotelva on Thursday."
    )
    assert ("movement", "entered", "Kotelva") in found(text)


def test_a_clause_cut_off_by_a_semicolon_is_no_complement_of_the_next():
    # the parser hangs the first clause on "verified" as its object; it is a report of its own
    text = (
        "Rebel units have captured several hills around Kotelva; however, reporters "
        "could not verify the claim."
    )
    assert [(t, w) for t, w, _ in found(text)] == [("front_line", "captured")]
    # guard: a complement after its verb still carries the verb's negation
    assert found("Reporters could not verify that rebels captured the hills around Kotelva.") == []


def test_a_modal_perfect_weighs_the_cause_not_the_event():
    # "may have been caused by": the explosion happened, its cause is weighed
    text = "The explosion at a market in Kotelva may have been caused by a mortar round."
    assert [(t, w, p) for t, w, p in found(text)] == [("attack", "explosion", "Kotelva")]


def test_a_past_clause_under_a_modal_verb_is_told():
    text = (
        "Officials in Kotelva said the town might lose its bridge, as rebels blew up two "
        "culverts on Sunday."
    )
    assert [(t, w) for t, w, _ in found(text)] == [("attack", "blew")]
    # guards: a clause still to come, and the modal verb's own event, stay out
    assert found("The army will enter Kotelva once the bridge is repaired.") == []
    assert found("Rebels might storm Kotelva when the river freezes.") == []


def test_a_relative_clause_tells_where_the_unit_it_describes_was_deployed():
    # the relative pronoun stands for the unit ("battalions who had been deployed"), and
    # where forces are is a state, never mere background
    text = (
        "Two reserve battalions who had been deployed in Kotelva returned to their base on Tuesday."
    )
    assert ("deployment", "deployed", "Kotelva") in found(text)


def test_a_past_clause_under_a_call_or_a_wish_is_told():
    # what an appeal or a wish wants does not reach back into a past clause hung below it
    text = "The mayor urged residents to leave Kotelva after it was shelled on Monday."
    assert [(t, w) for t, w, _ in found(text)] == [("attack", "shelled")]
    text = "The council wants compensation for homes in Kotelva after rebels shelled it on Monday."
    assert [(t, w) for t, w, _ in found(text)] == [("attack", "shelled")]
    # guard: a clause still to come stays out
    assert found("The mayor urged residents to leave Kotelva before rebels shell it again.") == []


# -- a sentence that only says where the event told before took place ----------------------


def _placed(text):
    return [(e.event_type, text[slice(*e.trigger)], _place(text, e)) for e in
            find_events(text, published=PUB)]  # fmt: skip


def test_the_incident_occurred_in_x_places_the_event_told_before():
    text = "Gunmen shot dead two farmers on Monday. The incident occurred in Kotelva."
    assert _placed(text) == [("attack", "shot", "Kotelva")]
    text = (
        "Gunmen shot dead two farmers on Monday. The incident took place in the village of Kotelva."
    )
    assert _placed(text) == [("attack", "shot", "Kotelva")]


def test_the_incident_sentence_moves_no_place_already_stated():
    # guards: a stated place stays, an incident denied places nothing, an accident is none
    text = (
        "Gunmen shot dead two farmers in Lubny on Monday. The incident occurred near a checkpoint."
    )
    assert _placed(text) == [("attack", "shot", "Lubny")]
    text = "Gunmen shot dead two farmers on Monday. The incident did not occur in Kotelva."
    assert _placed(text) == [("attack", "shot", None)]
    assert _placed("A bus crashed on Monday. The accident occurred in Kotelva.") == []


def test_the_clause_of_a_cleft_sentence_is_the_report():
    text = "It was government troops who shelled the market in Kotelva on Monday."
    assert _placed(text) == [("attack", "shelled", "Kotelva")]
    # guard: a relative clause describing the subject stays background
    text = (
        "Government troops, who shelled the market in Kotelva on Monday, withdrew to Lubny "
        "on Tuesday."
    )
    assert _placed(text) == [("movement", "withdrew", "Lubny")]


def test_strangling_a_person_is_an_attack():
    text = "A man strangled a shopkeeper in Kotelva on Monday."
    assert _placed(text) == [("attack", "strangled", "Kotelva")]
    assert _placed("The blockade strangled supply lines to Kotelva on Monday.") == []  # guard


@pytest.mark.parametrize("share", ["more than 40 percent", "a third"])
def test_a_share_of_a_place_taken_is_a_place_taken(share):
    text = f"Rebel units captured {share} of the town of Kotelva on Monday."
    assert _placed(text) == [("front_line", "captured", "Kotelva")]


def test_an_attempt_named_by_a_noun_is_fighting_too():
    # "the rebels' latest attempt to enter X failed": the attempt took place, and failing is
    # no denial that it did
    text = "The rebels' latest attempt to enter Kotelva failed on Monday."
    assert _placed(text) == [("attack", "enter", "Kotelva")]
    # guard: an attempt still to be made is none
    assert _placed("The rebels will make another attempt to enter Kotelva next week.") == []
