"""Coders' notes and log lines (issue 11): numeric dates in every order and separator, the
night a calendar date names, names the entity recogniser calls dates, the abbreviations of
notes ("btw.", "civ", "inj.", "KIA"), the district words of other countries ("LGA",
"locality"), labelled tolls after the event in the same line, and a toll placed at the
district that holds its attack's village. Sentences and places are the team's own."""

from datetime import date

import pytest
from spacy.tokens import Span

from geo.common.nlp import parse
from geo.extract import find_events
from geo.extract.events import find_events_in
from geo.extract.temporal import Reference, find_dates
from geo.geoparse import geoparse
from geo.geoparse.entities import misread_date


def days(text, ref=None):
    return [(d.start.isoformat(), d.end.isoformat()) for d in find_dates(text, ref)]


@pytest.mark.parametrize(
    "text, day",
    [
        ("14-05-2024 | Sumy obl. | shelling", "2024-05-14"),  # dashes
        ("07-07-2023 Romny: drone strike", "2023-07-07"),  # both numbers alike
        ("19/08/23 Lubny – shelling", "2023-08-19"),  # two-digit year
    ],
)
def test_numeric_dates_with_dashes_and_short_years(text, day):
    assert days(text) == [(day, day)]


def test_an_ambiguous_numeric_date_takes_the_reading_nearest_before_publication():
    # 2 September or 9 February: published on 3 September, the 2nd of September
    assert days("02/09/2024 Pryluky: strike", Reference.of(date(2024, 9, 3))) == [
        ("2024-09-02", "2024-09-02")
    ]
    # 9 February or 2 September: published on 10 February, only 9 February is past
    assert days("09/02/2024 Pryluky", Reference.of(date(2024, 2, 10))) == [
        ("2024-02-09", "2024-02-09")
    ]


def test_an_ambiguous_numeric_date_without_publication_reads_day_first():
    assert days("04/05/2024 – Hadiach: shelling") == [("2024-05-04", "2024-05-04")]


@pytest.mark.parametrize("text", ["a 3-2-1 defence", "route 12-40-7", "version 1/2/3"])
def test_numbers_that_are_no_date(text):
    """Guard: the wider numeric form takes no other numbers for dates (passes before too)."""
    assert days(text) == []


def test_the_calendar_date_after_overnight_says_which_night():
    [e] = find_events(
        "14 May 2024 – Russian forces shelled Okhtyrka overnight 12-13 May.", published=None
    )
    assert (e.date_start.isoformat(), e.date_end.isoformat()) == ("2024-05-12", "2024-05-13")


def test_a_name_the_recogniser_calls_a_date_is_still_the_place():
    # the small model at times labels a village beside a log line's numbers as a DATE; the
    # parse below is the model's own with that one label set, as it comes out in such lines
    text = "02/10/2024 – Sumy raion: RU forces shelled Okhtyrka with MLRS overnight 1-2 Oct."
    doc = parse(text)
    name = next(t for t in doc if t.text == "Okhtyrka")
    doc.ents = [e for e in doc.ents if not e.start <= name.i < e.end] + [
        Span(doc, name.i, name.i + 1, label="DATE")
    ]
    doc.ents = sorted(doc.ents, key=lambda e: e.start)
    assert misread_date(doc[name.i : name.i + 1])
    assert not misread_date(doc[-4:-1])  # "1-2 Oct": a date
    mentions = geoparse(text, doc=doc)
    assert "Okhtyrka" in [m.text for m in mentions]
    [e] = find_events_in(doc, mentions, published=date(2024, 10, 2))
    assert e.place_text == "Okhtyrka"
    assert (e.date_start.isoformat(), e.date_end.isoformat()) == ("2024-10-01", "2024-10-02")


@pytest.mark.parametrize("words", ["Ramadan", "Christmas Day", "the weekend", "Easter"])
def test_feasts_and_times_stay_dates(words):
    doc = parse(f"It happened during {words}.")
    assert not misread_date(doc[3 : 3 + len(words.split())])


@pytest.mark.parametrize(
    "text, counts",
    [
        ("RU forces shelled Lubny. 3 civ killed, 5 inj.", {"killed": 3, "wounded": 5}),
        ("Clashes near Romny: 4 KIA, 6 WIA.", {"killed": 4, "wounded": 6}),
        ("A drone hit a bus in Pryluky, 7 hurt.", {"wounded": 7}),
    ],
)
def test_the_abbreviations_of_notes_count(text, counts):
    [e] = find_events(text, published=date(2024, 5, 2))
    assert {c.kind: c.low for c in e.counts} == counts


def test_a_labelled_toll_after_the_event_in_its_line_counts_for_it():
    [e] = find_events(
        "Clashes btw. army and militias in Romny; Fatalities: 12+ incl. civ.",
        published=date(2024, 5, 2),
    )
    assert e.event_type == "attack"
    [c] = e.counts
    assert (c.kind, c.low, c.high) == ("killed", 12, None)


def test_a_labelled_toll_with_its_injured_lends_both_and_adds_no_event():
    events = find_events(
        "Artillery shelled Hadiach. Fatalities: 6, inj. 19 (local officials).",
        published=date(2024, 5, 2),
    )
    [e] = events
    assert {c.kind: c.low for c in e.counts} == {"killed": 6, "wounded": 19}


def test_the_abbreviations_of_notes_are_one_token_read_as_their_word():
    doc = parse("clashes btw. army and militias, 4 civ killed incl. 2 children")
    btw = next(t for t in doc if t.text == "btw.")
    assert btw.norm_ == "between" and btw.pos_ == "ADP"
    assert [t.text for t in doc if t.text.startswith("incl")] == ["incl."]


def test_a_nigerian_lga_is_a_district_and_its_town_is_the_place():
    text = "Yobe State – Damaturu LGA: insurgents attacked a camp in Damaturu town. Fatalities: 4."
    assert "Damaturu" in {m.text for m in geoparse(text)}
    [e] = find_events(text, published=date(2024, 7, 1))
    assert e.place.name == "Damaturu" and e.place.feature_class == "P"
    assert [(c.kind, c.low) for c in e.counts] == [("killed", 4)]


def test_a_toll_placed_at_the_district_joins_the_attack_on_its_village():
    # as in a_name_the_recogniser_calls_a_date: the model's parse with the village read as a
    # date, which left the toll at the district the line opens with
    text = "03/06/2024 – Okhtyrka raion, Sumy obl.: RU forces shelled Trostianets. 2 civ killed."
    doc = parse(text)
    name = next(t for t in doc if t.text == "Trostianets")
    doc.ents = sorted(
        [e for e in doc.ents if not e.start <= name.i < e.end]
        + [Span(doc, name.i, name.i + 1, label="DATE")],
        key=lambda e: e.start,
    )
    [e] = find_events_in(doc, geoparse(text, doc=doc), published=date(2024, 6, 3))
    assert e.event_type == "attack" and e.place.name == "Trostianets"
    assert [(c.kind, c.low) for c in e.counts] == [("killed", 2)]


def test_a_place_on_a_side_of_a_clash_is_the_clash_place():
    [e] = find_events(
        "Poltava obl.: clashes btw. police and gunmen in and around Lubny; Fatalities: 7.",
        published=date(2024, 5, 2),
    )
    assert e.place_text == "Lubny"
    assert [(c.kind, c.low) for c in e.counts] == [("killed", 7)]


def test_the_sentence_town_beats_the_district_label_of_its_line():
    [e] = find_events(
        "Sumy oblast – Okhtyrka raion: drones struck a fuel depot in Trostianets town.",
        published=date(2024, 5, 2),
    )
    assert e.place.name == "Trostianets"


@pytest.mark.parametrize("toll", ["Casualties unknown.", "Fatalities: n/a.", "Casualties: unk."])
def test_a_toll_said_to_be_unknown_is_no_event(toll):
    events = find_events(
        f"Troops said fighting continues on the outskirts. {toll}", published=date(2024, 5, 2)
    )
    assert [(e.event_type, e.counts) for e in events] == [("attack", ())]


def test_forces_in_control_of_a_place_hold_it():
    events = find_events("Rebels are in control of Lubny.", published=date(2024, 5, 2))
    assert [(e.event_type, e.place_text) for e in events] == [("front_line", "Lubny")]
    assert (
        find_events("The police are in control of the situation.", published=date(2024, 5, 2)) == []
    )


def test_a_compass_letter_points_from_the_place_and_is_no_name():
    [e] = find_events("Shelling of villages N of Romny; 2 civ killed.", published=date(2024, 5, 2))
    assert e.place_text == "Romny"


def test_a_comma_parts_an_abbreviated_governorate_from_the_next_name():
    """Guard (passes before too, where the recogniser labels the name otherwise): the
    title rule no longer reaches over a comma."""
    # "gov." after a name is its governorate; the next name is no governor's
    text = "Sumy gov., Okhtyrka dist.: shelling of Okhtyrka outskirts."
    assert "Okhtyrka" in {m.text for m in geoparse(text)}
    [e] = find_events(text, published=date(2024, 5, 2))
    assert e.place.name == "Okhtyrka"


def test_two_sides_attacks_in_one_line_stay_two():
    events = find_events(
        "Russian forces shelled Romny; Ukrainian drones hit a Russian truck on Romny outskirts.",
        published=date(2024, 5, 2),
    )
    assert sorted(e.actor1 for e in events) == ["Military Forces of Russia",
                                                 "Military Forces of Ukraine"]  # fmt: skip
    assert all(e.place_text == "Romny" for e in events)
    assert all(e.actor2 != e.actor1 for e in events)


def test_neighbourhoods_of_a_town_name_the_town():
    """Guard (passes before too: the recogniser labels this name a place)."""
    # an "of" after a part of a town is as good as "in" for a name the recogniser calls an
    # organisation
    text = "Militia artillery hit northern neighbourhoods of Nyala overnight."
    assert "Nyala" in {m.text for m in geoparse(text)}


def test_an_unknown_district_in_brackets_lies_in_the_city_after_it():
    [e] = find_events(
        "Car bomb, mosque (Zelenyi Hai district), Poltava – 6 killed, 9 injured; 14/05",
        published=date(2024, 5, 15),
    )
    assert e.place.name == "Poltava"
    assert {c.kind: c.low for c in e.counts} == {"killed": 6, "wounded": 9}
    assert e.date_start.isoformat() == "2024-05-14"


def test_a_log_line_that_opens_with_the_weapon_is_an_attack_dated_by_its_last_field():
    [e] = find_events(
        "Shahed drones, power substation, Poltava region - no casualties; 11/12",
        published=date(2024, 12, 12),
    )
    assert e.event_type == "attack" and e.mode == "drone"
    assert e.date_start.isoformat() == "2024-12-11"
    assert (
        find_events("Drones over the city; residents sheltered.", published=date(2024, 12, 12))
        == []
    )


@pytest.mark.parametrize(
    "text, day",
    [
        ("Shelling of Lubny | 2 x killed | 05/12", "2024-12-05"),
        ("Mortars, Romny; 12/11", "2024-12-11"),
    ],
)
def test_a_day_and_month_field_reads_either_way_against_publication(text, day):
    ref = Reference.of(date(2024, 12, 12))
    assert [(d.start.isoformat(), d.text) for d in find_dates(text, ref)][-1:] == [
        (day, text.rsplit(" ", 1)[-1])
    ]


def test_the_toll_in_the_next_sentence_is_the_suicide_bombings():
    [e] = find_events(
        "On 2 August 2024, a suicide bomber blew himself up at a cafe in Romny. "
        "12 people were killed and 30 injured.",
        published=date(2024, 8, 3),
    )
    assert e.event_type == "self_detonation" and e.place_text == "Romny"
    assert {c.kind: c.low for c in e.counts} == {"killed": 12, "wounded": 30}


def test_a_post_overrun_by_fighters_is_their_attack():
    [e] = find_events(
        "Army post at Romny overrun by rebels on Monday.", published=date(2024, 6, 12)
    )
    assert (e.event_type, e.place_text) == ("attack", "Romny")
    events = find_events("Rebels overran Romny.", published=date(2024, 6, 12))
    assert [(e.event_type, e.place_text) for e in events] == [("front_line", "Romny")]
    assert find_events("The overrun of the budget was large.", published=date(2024, 6, 12)) == []


def test_a_count_with_a_plus_is_a_lower_bound_and_kia_after_the_people_says_killed():
    [e] = find_events(
        "Militants attacked an army post at Romny on 11 June; 20+ soldiers KIA.",
        published=date(2024, 6, 12),
    )
    [c] = e.counts
    assert (c.kind, c.low, c.high) == ("killed", 20, None)


@pytest.mark.parametrize(
    "who, actor",
    [
        ("TTP militants", "Tehrik-i-Taliban Pakistan"),
        ("PKK fighters", "Kurdistan Workers' Party"),
        ("Amba Boys", "Ambazonian separatists"),
        ("HZB", "Hezbollah"),
    ],
)
def test_groups_named_as_notes_name_them(who, actor):
    [e] = find_events(
        f"{who} attacked a checkpoint near Lubny on Monday.", published=date(2024, 5, 2)
    )
    assert e.actor1 == actor
