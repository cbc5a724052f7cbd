"""Incident lines, wire sentences and headlines, ninth session: the place a log line names as a
field of its own, weapon fields, fields parsed together, two-part headlines, datelines with a
day, and a few trigger words. The sentences and names are written for these tests; the rules
are general."""

from datetime import date

from geo.extract import find_events

PUB = date(2024, 6, 4)  # a Tuesday


def events(text, published=PUB):
    """Return ``[(trigger text, type, place name)]`` of a text's events."""
    return [
        (
            text[slice(*e.trigger)],
            e.event_type,
            e.place.name if e.place is not None else None,
        )
        for e in find_events(text, published=published)
    ]


def places(text, published=PUB):
    return {name for _, _, name in events(text, published)}


# -- log lines: the field that names the place -----------------------------------------------


def test_a_place_field_places_the_events_of_its_line():
    text = "Lubny | 2024-06-02 | guided bomb on a warehouse | 1 killed, 4 wounded"
    assert places(text) == {"Lubny"}


def test_a_place_field_after_a_site_places_the_line():
    text = "Warehouse, Poltava. 02.06.2024 around 22:40. Rocket hit. Two dead, five hurt."
    found = events(text)
    assert found and {name for _, _, name in found} == {"Poltava"}


def test_a_place_field_with_its_district_gives_the_town():
    text = "02 Jun 2024 | 09:10 | Pryluky, Zelena district | school | missile | K: 1 | W: 3"
    assert places(text) == {"Pryluky"}


def test_a_country_field_gives_way_to_the_town_after_it():
    text = "Ukraine | Hadiach | 2024-06-02 | airstrike on a depot | 3 injured"
    assert places(text) == {"Hadyach"}


def test_a_label_field_names_the_place():
    text = (
        "EVENT: depot hit by rockets. PLACE: fuel depot, Pryluky (Chernihiv obl.). "
        "DATE: 02/06/2024. TOLL: 1 killed."
    )
    assert places(text) == {"Pryluky"}


def test_a_namesake_on_another_continent_gives_way_to_the_city_after_it():
    # "Dover beach" alone is read as a namesake far away: the line says it lies by Poltava
    text = "02/06/2024 – Dover beach, Poltava: gunmen shot dead two guards at the gate. K: 2."
    assert places(text) == {"Poltava"}


def test_a_line_whose_fields_name_no_place_stays_unplaced():
    """A guard: without a place field the rule adds nothing."""
    text = "02/06/2024 | drone strike on a truck | 2 killed"
    assert places(text) <= {None}


def test_a_wire_sentence_is_no_log_line():
    """A guard: one sentence of prose has no fields; its event names no place."""
    text = "Gunmen killed two guards at a checkpoint, the army said on Monday."
    assert places(text) <= {None}


# -- log lines: fields that name the weapon, and fields parsed together ------------------------


def test_a_field_that_only_names_the_weapon_is_an_attack():
    text = "Market, Pryluky; 2024-06-02 10:30; ballistic missile (Tochka-U); 2 KIA, 5 WIA."
    found = events(text)
    assert [(k, n) for _, k, n in found] == [("attack", "Pryluky")]


def test_a_later_field_does_not_make_a_line_background():
    text = (
        "Romny market -- 2 Jun 2024 -- mortar rounds fell on stalls -- 12 killed -- each side "
        "accused the other"
    )
    assert ("fell", "attack", "Romny") in events(text)


def test_shells_that_fell_on_a_place_are_an_attack():
    found = events("Four shells fell on a market in Lubny on Sunday, officials said.")
    assert [(k, n) for _, k, n in found] == [("attack", "Lubny")]


# -- wire sentences --------------------------------------------------------------------------


def test_a_dateline_with_a_day_is_not_the_event_place():
    text = (
        "POLTAVA, Ukraine, Jun 3 (Reuters) - Russian forces shelled the village of "
        "Sabtivka overnight, the regional governor said."
    )
    assert "Poltava" not in places(text)


def test_a_capitalised_weapon_after_a_dateline_is_a_weapon():
    text = "LUBNY, Ukraine (AFP) - Shells landed near a grain terminal in Romny overnight."
    assert [(k, n) for _, k, n in events(text)] == [("attack", "Romny")]


def test_forces_that_pushed_the_enemy_back_near_a_village_moved_the_line():
    text = "The army said on Monday its troops had pushed enemy units back near Hadiach."
    assert [(k, n) for _, k, n in events(text)] == [("front_line", "Hadyach")]


def test_forces_that_exchanged_fire_attacked():
    text = "Border guards and militants exchanged heavy fire near Romny on Monday."
    assert [(k, n) for _, k, n in events(text)] == [("attack", "Romny")]


# -- headlines ---------------------------------------------------------------------------------


def test_the_first_clause_of_a_two_part_headline_is_read_with_its_verb():
    found = events("Rebels storm Hadiach, army units retreat")
    assert ("storm", "attack", "Hadyach") in found


def test_a_first_clause_hung_under_a_denial_is_still_reported():
    found = events("Rebel columns cross into Poltava region, ministry denies any breach")
    assert [(t, k) for t, k, _ in found] == [("cross", "movement")]


def test_a_first_clause_with_a_toll_after_the_comma():
    found = events("Gunmen overrun army base in Hadiach, scores of troops feared dead")
    assert [(t, n) for t, _, n in found] == [("overrun", "Hadyach")]


def test_an_army_with_its_country_possessive_is_the_subject_of_a_headline_verb():
    found = events("Moldova's army withdraws to new lines near Hadiach")
    assert ("withdraws", "movement", "Hadyach") in found


def test_fighting_rages_in_a_town():
    assert [(k, n) for _, k, n in events("Fighting rages in Lubny as talks stall")] == [
        ("attack", "Lubny")
    ]


def test_a_seized_site_is_a_place_that_changed_hands():
    found = events("Rebel forces seize Romny power station")
    assert [(k, n) for _, k, n in found] == [("front_line", "Romny")]


def test_militants_hijack_a_train():
    found = events("Gunmen hijack bus in Lubny")
    assert [(k, n) for _, k, n in found] == [("attack", "Lubny")]


def test_people_taken_from_a_site_were_taken_at_its_town():
    found = events("Bandits abduct 40 pupils from boarding school in Pryluky")
    assert [(k, n) for _, k, n in found] == [("capture", "Pryluky")]


def test_a_headline_of_prose_and_a_log_line_are_not_split_at_their_comma():
    """A guard: a sentence that ends with a full stop, or a log line, keeps its one parse."""
    found = events("Drone strike on a market in Romny, Sumy region, on 2 June: 6 killed.")
    assert [(k, n) for _, k, n in found][0][0] == "attack"
    assert all(n == "Romny" for _, _, n in found)


# -- places told around the event ------------------------------------------------------------


def test_the_capital_after_a_named_capital_is_that_city():
    text = "Residents of Kyiv reported explosions in the west of the capital on Sunday."
    assert places(text) == {"Kyiv"}


def test_a_part_of_the_city_named_before_is_that_city():
    text = "Residents of Lubny reported shelling in the south of the city on Monday."
    assert places(text) == {"Lubny"}


def test_a_town_that_lost_power_after_a_strike_is_where_it_struck():
    text = "Lubny lost electricity after a missile hit its power plant."
    assert [(t, n) for t, _, n in events(text)] == [("hit", "Lubny")]
