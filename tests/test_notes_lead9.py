"""Coders' notes, ninth session (issue 11): a question mark that doubts a name is no
question, the night "overnight into" a day names, a place that "saw" the fighting, and the
place and day a coder says an event was coded to. Sentences and places are the team's own."""

from datetime import date

import pytest

from geo.extract import find_events


def one(text, published=date(2024, 5, 20)):
    [event] = find_events(text, published=published)
    return event


def test_a_question_mark_after_a_doubtful_name_still_reports_the_event():
    e = one("Gunmen burned houses in Hadiach? [unverified] on 12 May 2024.")
    assert e.event_type == "attack"
    assert e.place_text == "Hadiach"


@pytest.mark.parametrize(
    "text",
    [
        "Did gunmen burn houses in Hadiach on 12 May 2024?",
        "Who shelled the market in Romny on 12 May 2024?",
        "Could Russian forces capture Lubny before the summer?",
    ],
)
def test_questions_report_nothing(text):
    """Guard: real questions stay unreported (passes before too)."""
    assert find_events(text, published=date(2024, 5, 20)) == []


def test_overnight_into_a_day_is_the_night_that_ends_on_it():
    e = one("Overnight into 14 May, drones attacked Romny; a warehouse burned.")
    assert (e.date_start, e.date_end) == (date(2024, 5, 13), date(2024, 5, 14))


def test_overnight_on_a_day_is_that_day():
    """Guard: "overnight on 14 May" keeps the day it names (passes before too)."""
    e = one("Overnight on 14 May, drones attacked Romny.")
    assert (e.date_start, e.date_end) == (date(2024, 5, 14), date(2024, 5, 14))


def test_a_town_that_saw_the_fighting_is_its_place():
    e = one("Reshetylivka (Poltava raion, Poltava oblast) saw continued clashes on 16 May 2024.")
    assert e.place is not None and e.place.name == "Reshetylivka"


def test_the_place_and_day_the_coder_chose():
    text = (
        "Gunmen attacked a checkpoint near Pryluky? No -- event coded near Romny on 8 May "
        "2024. Source: local police."
    )
    e = one(text)
    assert e.event_type == "attack"
    assert e.place.name == "Romny"
    assert e.near
    assert (e.date_start, e.date_end) == (date(2024, 5, 8), date(2024, 5, 8))


def test_coded_to_a_district_places_the_unknown_village_there():
    text = (
        "Militiamen looted shops in Zabolottia? [unconfirmed] -- coded to Hadiach, Poltava "
        "oblast, on 2 May 2024."
    )
    e = one(text)
    assert e.place_text == "Hadiach"
    assert not e.near


def test_the_camp_again_is_the_camp_the_heading_set_by_its_town():
    text = (
        "Sosnivka IDP camp, south of Romny, Sumy oblast. Gunmen attacked the camp on 3 May 2024; "
        "residents fled toward Lubny."
    )
    attack = next(
        e for e in find_events(text, published=date(2024, 5, 20)) if e.event_type == "attack"
    )
    assert attack.place.name == "Romny"


def test_the_day_the_coder_chose_narrows_a_vague_date_and_the_next_line_keeps_it():
    text = (
        "Russian forces shelled Romny and Lubny in early May 2024 (coded 3 May). Two civilians "
        "killed in Romny."
    )
    events = find_events(text, published=None)
    assert events and all(
        (e.date_start, e.date_end) == (date(2024, 5, 3), date(2024, 5, 3)) for e in events
    )


def test_a_shelling_by_forces_names_them_as_the_actor():
    e = one("Artillery shelling of Lubny by Russian forces on 6 May 2024 damaged a school.")
    assert e.actor1 == "Military Forces of Russia"


def test_aviation_is_an_armed_force():
    e = one("Russian aviation dropped two glide bombs on Romny on 12 May 2024.")
    assert e.actor1 == "Military Forces of Russia"


@pytest.mark.parametrize("opening", ["Fighting", "Ground fighting"])
def test_a_verbless_line_of_fighting_between_two_sides(opening):
    e = one(f"{opening} between Ukrainian troops and Wagner fighters in Romny on 3 May 2024.")
    assert e.event_type == "attack"
    assert e.place_text == "Romny"
    assert (e.actor1, e.actor2) == ("Military Forces of Ukraine", "Wagner Group")


def test_a_clause_after_a_semicolon_does_not_rename_the_subject():
    text = (
        "Israeli forces raided the camp on the morning of 4 May 2024; armed clashes with "
        "Palestinian militants."
    )
    [e] = find_events(text, published=date(2024, 5, 20))
    assert e.actor1 == "Military Forces of Israel"


def test_a_log_label_may_name_a_border_or_a_beach():
    e = one(
        "20 May 2024, Sumy/Poltava border – Okhtyrka: gunmen attacked a police post with grenades; "
        "2 police inj."
    )
    assert e.place_text == "Okhtyrka"


def test_a_compass_letter_measures_an_unknown_site_from_a_known_town():
    e = one("2024-05-12 Poltava obl. Drone strikes on fuel tanks at Zorianyi air base N of Lubny.")
    assert e.place is not None and e.place.name == "Lubny"
    assert e.near


def test_fighting_on_the_outskirts_is_on_the_town_named_before():
    events = find_events(
        "Russian troops entered Lubny on 3 May 2024. Fighting continues on the outskirts.",
        published=date(2024, 5, 4),
    )
    fighting = next(e for e in events if e.event_type == "attack")
    assert fighting.place is not None and fighting.place.name == "Lubny"


def test_a_namesake_far_from_the_city_a_label_opens_with_is_not_the_place():
    e = one("2024-05-07 Kharkiv, Zhukovskyi Street (Poltava market area): shelling killed two.")
    assert e.place is not None and e.place.name == "Kharkiv"
    assert e.near


def test_a_city_whose_suburbs_were_hit_is_where_they_are():
    e = one(
        "On 3 May 2024, jets bombed a depot in Zorianyi Hai, in Kharkiv's northern suburbs "
        "(Pivnichna Saltivka)."
    )
    assert e.place is not None and e.place.name == "Kharkiv"


def test_forces_that_claim_an_advance_advanced():
    e = one("On 6 May 2024, Russian forces claimed an advance into Sumy oblast.")
    assert e.event_type == "movement"
    assert e.actor1 == "Military Forces of Russia"


def test_civilians_who_claim_something_report_no_advance():
    """Guard: the claimants must be armed (passes before too)."""
    assert find_events("Residents claimed an advance of the flood near Lubny on 6 May 2024.",
                       published=date(2024, 5, 20)) == []  # fmt: skip


def test_units_reported_in_control_of_a_town_centre_hold_the_town():
    e = one("UAF units reported in control of Romny town centre on 18 May 2024.")
    assert e.event_type == "front_line"
    assert e.place_text == "Romny" or e.place.name == "Romny"
    assert e.actor1 == "Military Forces of Ukraine"


def test_a_site_north_of_a_town_is_one_place_for_the_strike_and_its_verb():
    [e] = find_events(
        "On 17 May 2024, drone strikes hit the Zorianyi fuel depot north of Lubny.",
        published=date(2024, 5, 20),
    )
    assert e.place is not None and e.place.name == "Lubny"


def test_a_town_inside_a_region_label_is_the_place():
    e = one("2024-05-03 Donbas: Russian artillery struck residential blocks in Bilozerske. 4 civ.")
    assert e.place is not None and e.place.name == "Bilozerske"


def test_a_weapon_only_one_side_fires_names_the_attacker():
    e = one("On 3 May 2024, Shahed-type drones hit a substation in Poltava.")
    assert e.actor1 == "Military Forces of Russia"
    e = one("On 3 May 2024, ATACMS missiles struck an airfield near Lipetsk.")
    assert e.actor1 == "Military Forces of Ukraine"


def test_a_weapon_fired_by_several_states_names_nobody_outside_the_war():
    """Guard (passes before too): the same drones over another country name no side."""
    e = one("On 3 May 2024, Shahed drones hit an air base near Beersheba.")
    assert e.actor1 is None


def test_a_note_abbreviates_the_compass_word_of_a_unit():
    from geo.geoparse import geoparse

    names = {m.place.name for m in geoparse("2024-05-03 E. Kazakhstan: a depot burned.") if m.place}
    assert "East Kazakhstan" in names


def test_a_town_that_saw_clashes_is_a_place_whatever_the_recogniser_says():
    e = one("Romny saw heavy clashes on 18 May 2024.")
    assert e.place is not None and e.place.name == "Romny"


def test_a_place_field_closed_by_a_colon_after_a_border_field_is_the_place():
    e = one(
        "20 May 2024, Sumy/Poltava border – Romny: gunmen attacked a police post with grenades; "
        "2 police inj."
    )
    assert e.place is not None and e.place.name == "Romny"
