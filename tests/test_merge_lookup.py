"""Merging with stored events: the lookup that tests index rows first picks the same event.

``store`` is each backend in turn (conftest). ``_store_match`` reads only the candidates
whose index row (``query_facts``) may match; the reference below reads and decodes every
candidate of the place and window, as the lookup did before, and keeps the same best one.
"""

import random
from datetime import date, timedelta

import pytest

from geo.events.merge import compatible, match_window, may_be_compatible
from geo.events.model import Event
from geo.gazetteer.lookup import Gazetteer
from geo.pipeline import ingest
from geo.store.base import EventFacts, EventQuery

TYPES = ("attack", "deployment", "front_line", "casualties")
ACTORS = (None, "Russia", "Ukraine", "Belarus", "Wagner")
BASES = ("stated", "stated", "report")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def _places(gaz):
    """Nested and nearby places: towns of Kursk Oblast, the oblast (an area), a point 5 km
    from Sudzha, a town elsewhere."""
    sudzha, kharkiv = gaz.lookup("sudzha")[0], gaz.lookup("kharkiv")[0]
    oblast = gaz.admin1(sudzha.country_code, sudzha.admin1_code)
    kursk = gaz.lookup("kursk")[0]
    return [
        {"geonameid": sudzha.geonameid, "latitude": sudzha.lat, "longitude": sudzha.lon},
        {"geonameid": kursk.geonameid, "latitude": kursk.lat, "longitude": kursk.lon},
        {"geonameid": oblast.geonameid, "latitude": oblast.lat, "longitude": oblast.lon,
         "geometry": gaz.geometry(oblast.geonameid), "geo_precision": "admin1"},
        {"latitude": sudzha.lat + 0.045, "longitude": sudzha.lon},
        {"geonameid": kharkiv.geonameid, "latitude": kharkiv.lat, "longitude": kharkiv.lon},
    ]  # fmt: skip


def _random_event(rng, places, k, *, article):
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(400))
    length = rng.choice((0, 0, 0, 1, 6, 30))
    counts = []
    if rng.random() < 0.4:
        n = rng.choice((3, 5, 10, 40, 300))
        counts = [{"kind": "killed", "low": n, "high": n}]
    fields = {
        "event_id": f"ev-{article}-{k}",
        "event_type": rng.choice(TYPES),
        "date_start": day.isoformat(),
        "date_end": (day + timedelta(days=length)).isoformat(),
        "date_basis": rng.choice(BASES),
        "actor1": rng.choice(ACTORS),
        "counts": counts,
        "tags": ["objective"] if rng.random() < 0.2 else [],
        "sources": [{"source_id": article, "publisher": f"Desk {rng.randrange(3)}"}],
        **rng.choice(places),
    }
    return Event.from_dict(fields)


def _reference_match(store, event, gaz):
    """The lookup before index rows were tested: every candidate read and decoded."""
    if event.geonameid is None and event.latitude is None:
        return None, 0
    start, end = match_window(event)
    query = EventQuery(types=(event.event_type,), start=start, end=end,
                       bbox=ingest._bbox(event))  # fmt: skip
    read = list(store.query(query))
    fitting = [s for s in read if compatible(s, event, gaz)]
    best = min(fitting, key=lambda s: ingest.match_preference(s, event), default=None)
    return best, len(read)


def test_the_lookup_picks_the_same_event_as_reading_every_candidate(store, gaz):
    rng = random.Random(14)
    places = _places(gaz)
    stored = [_random_event(rng, places, k, article=f"a{k % 40}") for k in range(400)]
    store.put_events(stored)
    matched = unmatched = most = skipped = 0
    for k in range(250):
        probe = _random_event(rng, places, k, article=f"a{rng.randrange(60)}")
        expected, seen = _reference_match(store, probe, gaz)
        got = ingest._store_match(store, probe, gaz)
        assert (got.event_id if got else None) == (expected.event_id if expected else None)
        if expected is not None:
            assert got == expected
        matched += expected is not None
        unmatched += expected is None
        most = max(most, seen)
        start, end = match_window(probe)
        query = EventQuery(types=(probe.event_type,), start=start, end=end,
                           bbox=ingest._bbox(probe))  # fmt: skip
        candidates = {e.event_id: e for e in store.query(query)}
        for facts in store.query_facts(query):
            # the index rows' test never drops an event that merging would take
            if compatible(candidates[facts.event_id], probe, gaz):
                assert may_be_compatible(facts, probe, gaz)
            else:
                skipped += not may_be_compatible(facts, probe, gaz)
    assert matched >= 40 and unmatched >= 40  # both outcomes, many times
    assert most >= 60  # a case with many candidates
    assert skipped >= 1000  # the cheap test did spare reading most candidates


def test_query_facts_are_the_facts_of_the_stored_events(store, gaz):
    rng = random.Random(7)
    places = _places(gaz)
    events = [_random_event(rng, places, k, article="a") for k in range(60)]
    store.put_events(events)
    q = EventQuery(bbox=(34.0, 50.5, 36.5, 52.5), start=date(2025, 2, 1))
    facts = list(store.query_facts(q))
    expected = [EventFacts.of(e) for e in store.query(q)]
    assert facts == expected and len(facts) >= 20
    assert any(f.has_geometry and f.latitude is None for f in facts)  # an area has no point
    assert any(f.latitude is not None and f.geonameid is None for f in facts)


def _agree(stored, given):
    return all(not x or not y or x == y for x, y in zip(stored, given, strict=True))


def test_query_facts_by_actors_keeps_exactly_the_events_whose_actors_agree(store, gaz):
    rng = random.Random(21)
    places = _places(gaz)
    events = []
    for k in range(120):
        event = _random_event(rng, places, k, article="a")
        events.append(event.replace(actor2=rng.choice((None, "  ", "Russia", "Ukraine"))))
    store.put_events(events)
    q = EventQuery(bbox=(34.0, 50.5, 36.5, 52.5))
    everything = list(store.query_facts(q))
    for actors in (("Russia", None), (None, "Ukraine"), ("Wagner", "Russia"), ("  ", "  ")):
        expected = [f for f in everything if _agree((f.actor1, f.actor2), actors)]
        got = list(store.query_facts(q, actors=actors))
        assert got == expected  # the same events, in the same order
        assert 0 < len(got) < len(everything)
    # no actor given: nothing to conflict with
    assert list(store.query_facts(q, actors=(None, None))) == everything
    # paged like query_facts without actors
    page = EventQuery(bbox=q.bbox, limit=5, offset=3)
    agree = [f for f in everything if f.actor1 in (None, "Russia")]
    assert list(store.query_facts(page, actors=("Russia", None))) == agree[3:8]
