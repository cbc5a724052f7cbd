from datetime import date

import pytest

from geo.articles.reader import Article, boilerplate_spans
from geo.extract.candidates import extract_candidates, find_counts, split_sentences
from geo.extract.temporal import Reference
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.resolve import geoparse
from geo.pipeline.ingest import article_events, theatre_of


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def article(text, published="2025-02-01", precision="day", publisher=None):
    return Article(
        article_id="art-test",
        title=None,
        publisher=publisher,
        url=None,
        author=None,
        published_at=published,
        published_precision=precision,
        language="en",
        text=text,
        masked=boilerplate_spans(text),
        metadata_inferred={},
        path="test.txt",
        format="txt",
    )


def candidates(text, gaz, published=date(2025, 2, 1), precision="day"):
    mentions = geoparse(text, gazetteer=gaz)
    ref = Reference.of(published, precision)
    return extract_candidates(text, mentions, ref, theatre=theatre_of(text, mentions, gaz))


@pytest.mark.parametrize(
    ("text", "low", "high", "best"),
    [
        ("Estimates place their numbers between 10,000 and 12,000.", 10000, 12000, None),
        ("around 11,000 North Korean soldiers were sent", None, None, 11000),
        ("over 3,000 of these soldiers have been killed", 3000, None, None),
        ("at least 3,000 deaths", 3000, None, None),
        ("North Korea has been sending thousands of soldiers", 2000, None, None),
        ("two North Korean soldiers were captured", 2, 2, None),
        ("more than a dozen North Korean soldiers were found dead", 13, None, None),
        ("killing five of Ri's comrades", 5, 5, None),
        ("up to 500 fighters", None, 500, None),
        ("1,200-1,500 troops", 1200, 1500, None),
    ],
)
def test_counts_of_people(text, low, high, best):
    ((fields, start, end),) = find_counts(text)
    assert (fields["low"], fields["high"], fields["best"]) == (low, high, best)
    assert text[start:end].strip() == fields["text"]


@pytest.mark.parametrize(
    "text",
    [
        "a 21-year-old rifleman and a 26-year-old sniper",
        "a shipment of over 13,000 containers filled with ammunition",
        "In 2024, the war went on",
        "He had not been home in 10 years",
        "Fighting on 2024-05-10 killed soldiers",
        "at 10:30 soldiers moved",
    ],
)
def test_numbers_that_are_not_counts_of_people(text):
    assert find_counts(text) == []


def test_sentence_splitting_respects_abbreviations():
    text = "Mr. Ri, a sniper, spoke at 3 a.m. in Kursk. The U.S. said so.\nHEADLINE LINE\n"
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans == [
        "Mr. Ri, a sniper, spoke at 3 a.m. in Kursk.",
        "The U.S. said so.",
        "HEADLINE LINE",
    ]


def test_held_out_attack_capture_and_statement(gaz):
    text = (
        "KHARTOUM, Sudan — Rapid Support Forces fighters attacked the town of El Fasher in "
        "North Darfur on June 10, killing at least 40 civilians, local officials said. "
        "The Sudanese government said on June 12 that more than 200 RSF fighters were "
        "captured near El Fasher."
    )
    events = {e.event_type: e for e in article_events(article(text, "2024-06-15"), gaz)}
    attack = events["attack"]
    assert attack.location_name == "El Fasher" and attack.geo_precision == "exact"
    assert (attack.date_start, attack.date_precision) == (date(2024, 6, 10), "day")
    assert [(c.kind, c.low) for c in attack.counts] == [("killed", 40)]
    capture = events["capture"]
    assert capture.name_in_text == "El Fasher"
    # "said on June 12 that ... were captured": June 12 dates the statement, so the capture
    # happened on or before it.
    assert capture.date_end == date(2024, 6, 12) and capture.date_start < date(2024, 6, 12)
    assert events["statement"].actor1 == "Government of Sudan"
    assert events["statement"].date_start == date(2024, 6, 12)
    quote = capture.sources[0]
    assert text[quote.start : quote.end] == quote.quote


def test_held_out_metonymy_is_not_the_event_location(gaz):
    text = (
        "Russian forces captured the town of Avdiivka in Donetsk Oblast on February 17, "
        "2024. Kyiv said about 1,500 Ukrainian soldiers were killed or wounded. Moscow "
        "denied heavy losses."
    )
    events = article_events(article(text, "2024-02-20"), gaz)
    assert all(e.location_name not in ("Kyiv", "Moscow") for e in events)
    casualties = next(e for e in events if e.event_type == "casualties")
    assert casualties.actor1 == "Military Forces of Ukraine"
    assert "Donetsk" in (casualties.admin1 or casualties.location_name)
    assert casualties.geo_precision in ("admin1", "exact")
    front = next(e for e in events if e.event_type == "front_line")
    assert front.location_name == "Avdiivka" and front.actor1 == "Military Forces of Russia"
    assert front.date_start == date(2024, 2, 17)


def test_held_out_deployment_and_attack_last_week(gaz):
    text = (
        "Turkish drones struck a convoy near Kobani in northern Syria last week, killing "
        "three Kurdish fighters. In January, Turkey deployed around 2,000 soldiers to the "
        "Idlib region. Damascus condemned the strikes."
    )
    events = {e.event_type: e for e in article_events(article(text, "2023-03-01"), gaz)}
    attack = events["attack"]
    assert attack.country_code == "SY" and attack.name_in_text == "Kobani"
    assert attack.date_precision == "week" and attack.date_end < date(2023, 3, 1)
    deployment = events["deployment"]
    assert deployment.feature_code == "ADM1" and deployment.geometry is not None
    assert deployment.counts[0].best == 2000 and deployment.actor1 == "Military Forces of Turkey"
    assert (deployment.date_start, deployment.date_end) == (date(2023, 1, 1), date(2023, 1, 31))


@pytest.mark.parametrize(
    "text",
    [
        "They would rather die than be captured.",
        "If caught, their families would be executed.",
        "Soldiers fear capture more than death.",
        "The soldiers were ready to die for the leader.",
        "North Korea's decision to deploy soldiers would be a departure.",
        "In the early weeks, Russian forces captured two soldiers near Kharkiv.",
    ],
)
def test_hypothetical_negated_or_undatable_sentences_give_no_events(gaz, text):
    assert [
        c.event_type for c in candidates(text, gaz) if c.event_type in ("capture", "deployment")
    ] == []


def test_front_line_with_since_date_and_controller(gaz):
    text = (
        "The Kremlin wants the expulsion of Ukrainian forces from the Kursk region, "
        "which has been under Ukrainian control since August 2024."
    )
    front = [
        c for c in candidates(text, gaz, date(2025, 2, 1), "month") if c.event_type == "front_line"
    ]
    assert len(front) == 1
    assert front[0].place.feature_code == "ADM1"
    assert front[0].actor1 == "Military Forces of Ukraine"
    assert (front[0].date_start, front[0].date_end) == (date(2024, 8, 1), date(2025, 2, 28))


def test_sentence_without_a_place_falls_back_to_the_theatre_at_area_precision(gaz):
    text = (
        "Fighting continued in the Zaporizhzhia region. On March 3, Russian troops "
        "captured four Ukrainian soldiers."
    )
    capture = next(c for c in candidates(text, gaz, date(2024, 3, 10)) if c.event_type == "capture")
    assert capture.place.feature_code == "ADM1" and not capture.place_stated
    assert capture.actor1 == "Military Forces of Russia"
    assert capture.actor2 == "Military Forces of Ukraine"
    assert capture.counts[0].low == 4
