"""Where events are placed, seventh session (issue 11): places that belong to another
event of the sentence. The sentences and names are written for these tests; the rules are
general."""

from datetime import date

from geo.extract import find_events

PUB = date(2024, 3, 5)  # a Tuesday


def placed(text, published=PUB):
    """Return ``{trigger text: (place span text, place name)}`` of a text's events."""
    return {
        text[slice(*e.trigger)]: (
            text[slice(*e.place_span)] if e.place_span else None,
            e.place.name if e.place is not None else None,
        )
        for e in find_events(text, published=published)
    }


def test_a_place_in_a_clause_of_another_time_is_not_the_events():
    # "after he had tried to flee X": where the flight was, not the arrest
    text = "Police arrested the driver on Friday after he had tried to flee Hadiach."
    assert placed(text)["arrested"] == (None, None)
    # "since the bombings that hit X": the bombings' place, not the detentions'
    text = "Police have detained dozens of suspects since the bombings that hit Lubny in March."
    found = placed(text)
    assert found["detained"] == (None, None)


def test_a_clause_of_another_time_keeps_its_own_places():
    # guards (held before): the event told in the clause is placed there, a gerund of the
    # same actors keeps its place for the main verb, and a locative of the main verb stays
    text = "Police have detained dozens of suspects since the bombings that hit Lubny in March."
    found = find_events(text, published=PUB, keep_all=True)
    assert any(e.place is not None and e.place.name == "Lubny" for e in found
               if text[slice(*e.trigger)] != "detained")  # fmt: skip
    text = "Militants executed twelve prisoners after capturing the village of Zelena."
    assert placed(text)["executed"][0] == "Zelena"
    text = "Police arrested two men in Pryluky on Monday after they had fled Romny."
    assert placed(text)["arrested"][1] == "Pryluky"


def test_a_province_lent_a_villages_coordinates_is_no_finer_place():
    # the toll's report names the province (unknown to the gazetteer, at the village's
    # coordinates); folded into the blast it must not replace the village it lies around
    text = (
        "A blast under a minibus in Dovzhyk locality of Vilshana District of Poltava "
        "Province has killed 13 civilians."
    )
    found = placed(text)
    assert found["blast"][0] == "Dovzhyk"


def test_a_finer_unknown_name_still_replaces_its_town():
    # guard (held before): "an offensive in X, targeting the district of Y" names Y
    text = "Troops launched an offensive in Lubny on Monday, targeting the Zarichna district."
    found = find_events(text, published=PUB)
    assert any(text[slice(*e.place_span)].startswith("Zarichna") for e in found if e.place_span)


def test_a_dateline_with_the_hour_in_brackets_is_no_event_place():
    # "CITY, COUNTRY (5:30 P.M.) –": where the report was filed, like "CITY (AFP) –"
    text = "POLTAVA, UKRAINE (5:30 P.M.) – A drone attacked army positions near the border."
    assert placed(text)["attacked"] == (None, None)
    text = "LUBNY, UKRAINE (10:15 A.M.) – Rebel fighters shelled Romny overnight."
    assert placed(text)["shelled"][1] == "Romny"


def test_a_name_murdered_is_someone_not_a_place():
    # the recogniser takes these surnames for places; one murders people
    text = "He broke into the shop with his brother after murdering Sumenko."
    assert placed(text)["murdering"] == (None, None)
    text = "A court heard that he murdered Zhytomyrska for money."
    assert placed(text)["murdered"] == (None, None)


def test_a_place_after_the_persons_name_still_places_the_killing():
    # guard (held before): "killed X in Y" keeps Y, and a place is still what is stormed
    assert placed("Gunmen killed Tkachuk in Lubny on Monday.")["killed"][1] == "Lubny"
    assert placed("Rebels stormed Romny on Monday.")["stormed"][1] == "Romny"


def test_a_named_college_or_academy_is_a_site():
    # the recogniser calls them organisations; struck or shelled, they are where it happened
    text = "Overnight a drone struck the Romny Agricultural College, the regional governor said."
    assert placed(text)["struck"][0] == "Romny Agricultural College"
    text = "Shelling damaged the Hadiach Pedagogical Academy on Friday."
    assert placed(text)["Shelling"][0] == "Hadiach Pedagogical Academy"


def test_the_slope_of_a_name_is_a_place_like_its_slopes():
    text = "Overnight, artillery pounded trenches dug into the western slope of Tal Zelena."
    assert placed(text)["pounded"][0] == "Tal Zelena"


def test_names_before_a_plural_unit_are_places_for_every_unit_word():
    # "the X and Y governorates" as "the X and Y districts" (plurals of every unit noun)
    text = "The militia shot dozens of detainees in the Poltava and Sumy governorates last month."
    found = [e for e in find_events(text, published=PUB) if text[slice(*e.trigger)] == "shot"]
    assert {e.place.name for e in found if e.place is not None} >= {"Poltava Oblast", "Sumy Oblast"}
