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
