"""Where events are placed, fifth session (issue 11): named places the grammar marks inside
larger ones. The sentences and names are written for these tests; the rules are general."""

from datetime import date

from geo.extract import find_events

PUB = date(2024, 3, 5)  # a Tuesday


def placed(text):
    """Return ``{trigger text: (place span text, place name)}`` of a text's events."""
    return {
        text[slice(*e.trigger)]: (
            text[slice(*e.place_span)] if e.place_span else None,
            e.place.name if e.place is not None else None,
        )
        for e in find_events(text, published=PUB)
    }


def test_two_names_before_a_plural_unit_are_places():
    # the parser makes the first name the unit's nominal modifier, not a compound
    text = (
        "The army pressed on with its assault in the western corridor of Poltava today, "
        "targeting both the Al-Hadi and Zhovtoiar suburbs that have seen heavy clashes for days."
    )
    span, name = placed(text)["targeting"]
    assert span in ("Al-Hadi", "Zhovtoiar")
    assert name == "Poltava"  # an unknown suburb stands where its city stands


def test_a_named_site_of_a_city_in_the_possessive_is_the_place():
    text = "A bomb exploded at Poltava's Sabtivka market on Monday, killing two traders."
    assert placed(text)["exploded"] == ("Sabtivka", "Poltava")
    # a site with no name of its own is in the city
    text = "A bomb exploded at Poltava's main market on Monday, killing two traders."
    assert placed(text)["exploded"] == ("Poltava", "Poltava")


def test_a_site_name_the_recogniser_finds_carries_its_sites_preposition():
    # the entity recogniser takes the name without "square"; "in" hangs on "square"
    text = "Four people were killed in a mortar attack in Poltava's Sobornyi square on Monday."
    assert placed(text)["attack"] == ("Sobornyi", "Poltava")


def test_the_city_of_a_source_a_report_is_attributed_to_is_not_the_events():
    text = "According to a military source in Poltava, the army killed 50 rebels on Thursday."
    assert placed(text)["killed"] == (None, None)
    # what the source's witnesses said happened somewhere is still said
    text = (
        "Ivan Hrytsai, 47, was shot twice and killed on Sunday, according to witnesses who said "
        "they saw him arguing with a driver in the province of Poltava."
    )
    assert placed(text)["shot"][0] == "Poltava"
    # guard: the event's own place beside an attribution stays
    text = "Troops shelled Lubny on Thursday, according to officials in Poltava."
    assert placed(text)["shelled"][0] == "Lubny"


def test_the_seat_of_a_group_is_not_where_its_event_was():
    text = (
        "The rebels claimed responsibility for the market bombing in an e-mail to the "
        "Warsaw-based Gazeta weekly."
    )
    assert placed(text)["bombing"] == (None, None)


def test_a_place_located_at_a_distance_from_a_city_is_where_the_event_was():
    text = (
        "In the Zelenyi Hai area, located around 25 kilometres west of Poltava, armed men "
        "arrived in a pickup truck and opened fire at a roadside cafe."
    )
    found = placed(text)
    # the fronted phrase hangs on "arrived" and covers "opened" joined to it; Poltava only
    # says where Zelenyi Hai lies
    assert found["opened"][0] == "Zelenyi Hai"
    assert found["arrived"][0] == "Zelenyi Hai"


def test_a_named_persons_or_a_natives_country_is_not_where_the_event_was():
    text = "Maria Kovalenko, 22, a native of Moldova, was shot and killed by police on Monday."
    assert placed(text)["shot"] == (None, None)
    # guard: residents are where they live
    text = "Residents of Lubny were killed in shelling on Monday."
    assert placed(text)["shelling"][0] == "Lubny"


def test_where_a_captive_was_taken_or_held_is_not_where_the_capture_was():
    text = "Ivan Hrytsai was captured by rebels in late 2023 and taken to Lubny a month later."
    found = placed(text)
    assert found["captured"] == (None, None)
    assert "taken" not in found  # being taken somewhere is no protest
    text = "Ivan Hrytsai was captured by militants in June and is believed to be held in Lubny."
    assert placed(text)["captured"] == (None, None)
    # the capture's own place stays; "took him to" is no protest either
    text = "Rebels captured Ivan Hrytsai near Hadiach in June and took him to Lubny."
    found = placed(text)
    assert found["captured"][0] == "Hadiach"
    assert "took" not in found
    # guard: people taking to the streets still protest
    text = "Thousands of people took to the streets of Lubny on Sunday."
    assert placed(text)["took"][0] == "Lubny"


def test_a_name_the_recogniser_takes_with_its_article_keeps_its_units_relation():
    # "the Zelenyi Hai" and "area" both hang on "area": the name's head is "Hai", not "the"
    text = (
        "Gunmen killed 13 civilians travelling on a bus in the Zelenyi Hai area on the "
        "Lubny-Poltava road in Hadiach District."
    )
    assert placed(text)["killed"][0] in ("the Zelenyi Hai", "Zelenyi Hai")


def test_a_towns_own_name_beats_the_region_it_is_said_to_lie_in():
    text = (
        "The army launched a new offensive in the northern countryside of Poltava on Monday, "
        "targeting the key town of Zhovtoiar in the Bilyi Hai region."
    )
    assert placed(text)["targeting"][0] == "Zhovtoiar"


def _linking(text, trigger_word, place_text_):
    """Return ``(candidate, trigger, candidates)`` of one place and one trigger of a
    one-sentence text, as the linker sees them."""
    from geo.common import nlp
    from geo.extract.detect import find_triggers
    from geo.extract.events import _candidates
    from geo.extract.places import datelines
    from geo.geoparse.resolve import geoparse

    doc = nlp.parse(text)
    cands = _candidates(doc, geoparse(text, doc=doc), text, datelines(text), lambda m: False)
    (group,) = cands.values()
    (trigger,) = [t for t in find_triggers(next(doc.sents)) if t.token.lower_ == trigger_word]
    (cand,) = [c for c in group if text[c.start : c.end] == place_text_]
    return cand, trigger, group


def _eligible(text, trigger_word, place_text_):
    """Whether one place of a one-sentence text may be the place of one trigger's event."""
    from geo.extract.places import eligible

    cand, trigger, _ = _linking(text, trigger_word, place_text_)
    return eligible(cand, trigger)


def test_whose_embassy_it_is_is_not_where_a_protest_was():
    text = "Students demonstrated outside the embassy of Poland in Chisinau on Thursday."
    assert not _eligible(text, "demonstrated", "Poland")
    assert _eligible(text, "demonstrated", "Chisinau")


def test_a_town_measured_from_without_a_comma_only_says_where_the_place_is():
    from geo.extract.places import features

    text = (
        "Eight civilians were wounded by mortar fire in the Zhovtoiar sector about 300 "
        "kilometres (180 miles) south of Poltava, officials said."
    )
    poltava, trigger, group = _linking(text, "wounded", "Poltava")
    assert features(poltava, trigger, group)["qualifier"] == 1.0


def test_a_log_line_of_a_weapon_on_a_target_is_an_attack_at_its_label():
    text = "Lubny – glide bomb on a grain elevator. 2 x killed, 5 x inj."
    found = find_events(text, published=PUB)
    assert [(e.event_type, text[slice(*e.place_span)]) for e in found] == [("attack", "Lubny")]
    assert {c.kind: c.low for c in found[0].counts}.get("killed") == 2  # the toll joined it
    # guard: weapons on show in a sentence with no verb are no attack
    assert find_events("Missiles on display at the Lubny parade.", published=PUB) == []


def test_a_common_noun_in_a_clipped_line_is_no_unknown_place():
    # "near playground": the parser may tag a bare common noun as a proper one
    text = (
        "Hadiach, 4 Mar 2024: ballistic missile hit residential area near playground. "
        "6 killed incl. 2 children; 30+ injured."
    )
    found = find_events(text, published=PUB)
    assert [text[slice(*e.place_span)] for e in found] == ["Hadiach"]


def test_the_town_whose_control_changed_or_that_was_left_is_the_one_named_before():
    text = (
        "Around 1 October 2023, Russian forces withdrew from Lubny, Lubny raion, Poltava "
        "oblast, and Ukrainian forces retook control of the town."
    )
    found = {text[slice(*e.trigger)]: e for e in find_events(text, published=PUB)}
    assert found["retook"].place.name == "Lubny"  # the town, not the raion qualifying it
    text = (
        "On 3 July 2023, rebel forces captured Hadiach, Poltava oblast; the General Staff "
        "confirmed that its forces had withdrawn from the city."
    )
    found = {text[slice(*e.trigger)]: e for e in find_events(text, published=PUB)}
    assert found["withdrawn"].place.name == "Hadyach"


def test_the_town_is_the_one_introduced_as_a_town_not_one_named_in_passing():
    text = (
        "The army chief said on Saturday that he had ordered troops to withdraw from the "
        "eastern town of Hadiach to avoid encirclement, the biggest loss since the capture "
        "of Lubny last May.\n\nOn Sunday, the defence ministry in Moscow said its forces had "
        "taken full control of the town."
    )
    found = {text[slice(*e.trigger)]: e for e in find_events(text, published=PUB)}
    assert found["taken"].place.name == "Hadyach"


def test_an_unknown_name_opening_a_log_line_is_its_place():
    text = "Bzhylivka: drone attack on a bus, 2 x killed."
    (event,) = find_events(text, published=PUB)
    assert text[slice(*event.place_span)] == "Bzhylivka"


def test_a_district_the_gazetteer_lacks_stands_at_its_lines_label():
    text = "Lubny, 3 Mar 2024: missile hit a residential building in Sabtivka district, 10 killed."
    (event,) = find_events(text, published=PUB)
    assert text[slice(*event.place_span)] == "Sabtivka"
    assert event.place.name == "Lubny" and event.near


def test_one_sides_entry_and_taking_of_a_place_in_one_sentence_is_one_control_change():
    from dataclasses import replace

    from geo.extract.events import EventMention, _fold_sentence
    from geo.gazetteer.lookup import Gazetteer

    (lubny,) = [p for p in Gazetteer.default().lookup("lubny") if p.feature_class == "P"][:1]
    entry = EventMention("movement", (30, 37), (0, 80), place=lubny, place_span=(38, 43),
                         actor1="Rebels")  # fmt: skip
    taking = replace(entry, event_type="front_line", trigger=(48, 52))
    (folded,) = _fold_sentence([entry, taking])
    assert folded.event_type == "front_line"
    # the other side's withdrawal from the place stays a report of its own
    withdrawal = replace(entry, actor1="Military Forces of Ukraine")
    assert [e.event_type for e in _fold_sentence([taking, withdrawal])] == [
        "front_line",
        "movement",
    ]
