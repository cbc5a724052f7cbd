"""Articles, round 3: details merged into their attack, states told with "since", background
set by a "when" clause. Every sentence and place name here was written for these tests (none
comes from a dev set), so they check the general rules, not remembered answers."""

from datetime import date

import pytest

from geo.articles.reader import Article, boilerplate_spans
from geo.extract import find_events
from geo.gazetteer.lookup import Gazetteer
from geo.pipeline.ingest import extract_article

PUB = date(2024, 9, 13)  # a Friday


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def article(text, published="2024-09-13"):
    return Article(
        article_id="art-round3", title=None, publisher=None, url=None, author=None,
        published_at=published, published_precision="day", language="en", text=text,
        masked=boilerplate_spans(text), metadata_inferred={}, path="test.txt", format="txt",
    )  # fmt: skip


def counts(event):
    return {c.kind: c.best if c.best is not None else c.low for c in event.counts}


_TAIL = (
    "\n\nThe region has suffered years of violence. Aid groups said food prices had doubled. "
    "Schools in the area have been closed since the start of term."
)


def test_a_detail_naming_no_group_after_its_attack_is_that_attack(gaz):
    text = (
        "NIAMEY, Niger — Islamic State Sahel fighters stormed an army post in Tillia on "
        "Wednesday, killing five soldiers, the defence ministry said.\n\n"
        "The gunmen then looted a clinic in Tillia and burned two fuel trucks before riding off, "
        "a local official said." + _TAIL
    )
    found, _ = extract_article(article(text), gaz)
    attacks = [e for e in found if e.event_type == "attack"]
    assert len(attacks) == 1, [(e.actor1, e.sources[0].quote[:40]) for e in attacks]
    assert attacks[0].actor1 == "Islamic State Sahel"
    assert attacks[0].location_name == "Tillia"


def test_a_detail_adding_another_kind_of_count_is_that_attack(gaz):
    text = (
        "NIAMEY, Niger — On Thursday, troops on patrol near Ayorou killed 12 militants and seized "
        "motorbikes and rifles, the army said.\n\n"
        "Two soldiers were wounded in the clash near Ayorou." + _TAIL
    )
    found, _ = extract_article(article(text), gaz)
    attacks = [e for e in found if e.event_type == "attack"]
    assert len(attacks) == 1, [e.sources[0].quote[:40] for e in attacks]
    assert counts(attacks[0]) == {"killed": 12, "wounded": 2}


def test_an_unnamed_groups_attack_beside_an_armys_shelling_stays_apart(gaz):
    # guard: passes on the code before the rule too (a state's forces are named, never
    # "the gunmen" of the article)
    text = (
        "NIAMEY, Niger — Nigerien troops shelled a militant camp near Tillia on Wednesday, "
        "killing nine fighters, the army said.\n\n"
        "Gunmen opened fire on a bus near Tillia the same day, killing two passengers, a local "
        "official said." + _TAIL
    )
    found, _ = extract_article(article(text), gaz)
    assert sorted(e.actor1 for e in found if e.event_type == "attack") == [
        "Military Forces of Niger",
        "Unidentified Armed Group",
    ]


_NEWS = (
    "NIAMEY, Niger — Militants attacked a convoy near Filingue on Wednesday, killing seven "
    "soldiers, the army said.\n\n"
)


@pytest.mark.parametrize(
    "state",
    [
        "Dozens of herders have been killed in the Tahoua district since then.",
        "The shelling of Filingue had grown heavier since the harvest began, residents said.",
        "Attacks on Tahoua have killed hundreds of people since the truce collapsed in June.",
    ],
)
def test_an_articles_strike_or_toll_told_since_an_earlier_time_is_a_state(state):
    text = _NEWS + state + _TAIL
    found = find_events(text, published=PUB, keep_all=True)
    assert [e.unreported for e in found if e.event_type in ("attack", "casualties")] == [
        None,
        "state",
    ], [(text[slice(*e.trigger)], e.unreported) for e in found]


def test_an_articles_toll_since_a_recent_day_is_news():
    # guard: passes on the code before the rule too
    text = _NEWS + (
        "Three guards have been wounded in raids on a depot in Tahoua since Tuesday, the "
        "governor said." + _TAIL
    )
    found = find_events(text, published=PUB)
    assert [text[slice(*e.place_span)] for e in found] == ["Filingue", "Tahoua"]


@pytest.mark.parametrize(
    ("recalled", "trigger"),
    [
        (
            "The raids grew worse in August, when militants burned the market in Tahoua on "
            "August 28.",
            "burned",
        ),  # fmt: skip
        (
            "Its clinics have stayed shut since late August, when gunmen stormed Tahoua and "
            "shelled its barracks.",
            "stormed",
        ),  # fmt: skip
    ],
)
def test_an_articles_when_clause_describing_a_month_or_a_states_start_is_background(
    recalled, trigger
):
    text = _NEWS + recalled + _TAIL
    found = {text[slice(*e.trigger)]: e for e in find_events(text, published=PUB, keep_all=True)}
    assert found["attacked"].unreported is None
    assert found[trigger].unreported == "history"
    assert [text[slice(*e.place_span)] for e in find_events(text, published=PUB)] == ["Filingue"]


def test_an_articles_when_clause_of_a_day_is_news():
    # guard: passes on the code before the rule too
    text = _NEWS + "The worst came on Thursday, when a drone hit a school in Tahoua." + _TAIL
    assert [text[slice(*e.place_span)] for e in find_events(text, published=PUB)] == [
        "Filingue",
        "Tahoua",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Drones struck an industrial area of Rivne on Tuesday.", "PPLA"),
        ("Rockets hit the rail area of Rivne overnight.", "PPLA"),
        # guard: passes on the code before the rule too
        ("Drones were reported over the wider area of Rivne.", "ADM1"),
    ],
)
def test_a_kind_of_area_of_a_town_is_part_of_the_town_not_its_region(text, code, gaz):
    from geo.geoparse import geoparse

    found = [m for m in geoparse(text, gazetteer=gaz) if m.text == "Rivne"]
    assert [m.place.feature_code for m in found] == [code]


def test_a_district_of_the_city_named_before_is_in_that_city(gaz):
    text = (
        "RIVNE, Ukraine — Russian drones struck a fuel depot in Rivne on Tuesday night, "
        "starting a large fire, the regional governor said.\n\n"
        "Debris from a second drone hit a warehouse in the city's Tsentralnyi district, he "
        "said." + _TAIL
    )
    found, _ = extract_article(article(text), gaz)
    attacks = [e for e in found if e.event_type == "attack"]
    assert [(e.location_name, len(e.sources)) for e in attacks] == [("Rivne", 1)]
    assert abs(attacks[0].latitude - 50.62) < 0.1


def test_a_town_put_in_a_direction_from_a_city_may_lie_far_from_it():
    text = "Russian drones hit the town of Sarny, north of Rivne, on Monday, officials said."
    event = find_events(text, published=PUB)[0]
    assert text[slice(*event.place_span)] == "Sarny"
    assert event.place.name == "Sarny"  # 80 km from Rivne: no namesake
