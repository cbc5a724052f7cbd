import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from geo.articles.reader import read_article
from geo.events.model import Count, Event
from geo.exc import StoreError
from geo.gazetteer.lookup import Gazetteer
from geo.pipeline import ingest as pipeline
from geo.pipeline.ingest import compatible, ingest_paths, merge, process_article
from geo.store.base import EventQuery
from geo.store.sqlite.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data" / "articles"
KURSK_OBLAST, DONBAS = 538555, 3000000001
PYONGYANG_IDS = {1871859}  # the city; its ADM1 is checked by name below


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = SQLiteStore(tmp_path_factory.mktemp("demo") / "events.sqlite")
    report = ingest_paths(store)
    yield store, report
    store.close()


def by_type(store, event_type):
    return list(store.query(EventQuery(types=(event_type,))))


def test_demo_ingest_reports_every_article(demo):
    store, report = demo
    assert len(report.ok) == 5 and report.failed == []
    assert len(store.articles()) == 5


def test_demo_capture_is_one_event_from_at_least_four_articles(demo):
    store, _ = demo
    captures = [
        e for e in by_type(store, "capture") if e.date_start <= date(2025, 1, 9) <= e.date_end
    ]
    assert len(captures) == 1
    cap = captures[0]
    assert (cap.date_start, cap.date_end, cap.date_precision) == (
        date(2025, 1, 9),
        date(2025, 1, 9),
        "day",
    )
    assert cap.date_basis == "stated"
    # four articles report it; three name no place in their sentence and are placed at the
    # area their article is about, the fourth says "in the Kursk region"
    assert cap.geonameid == KURSK_OBLAST and cap.geo_precision == "admin1"
    assert cap.geometry is not None and cap.geometry["type"] in ("Polygon", "MultiPolygon")
    assert len({s.source_id for s in cap.sources}) >= 4
    assert cap.actor1 == "Military Forces of Ukraine"
    assert cap.actor2 == "Military Forces of North Korea"
    assert cap.status == "corroborated"
    assert [c.low for c in cap.counts if c.kind == "captured"] == [2]
    for source in cap.sources:
        stored = store.get_article(source.source_id)
        assert stored["text"][source.start : source.end] == source.quote


def test_demo_deployment_of_10000_to_12000(demo):
    store, _ = demo
    ranged = [
        (e, c)
        for e in by_type(store, "deployment")
        for c in e.counts
        if c.kind == "deployed" and (c.low, c.high) == (10000, 12000)
    ]
    assert len(ranged) == 1
    event, _ = ranged[0]
    # the numbers come from the sentence after the one about the deployment ("Estimates
    # place their numbers between 10,000 and 12,000"): the quote spans both
    quote = event.sources[0].quote
    assert "between 10,000 and 12,000" in quote and "deployment" in quote
    sent = [e for e in by_type(store, "deployment") if any(c.best == 11000 for c in e.counts)]
    assert len(sent) == 1 and sent[0].geonameid == KURSK_OBLAST  # "sent to the Kursk region"


def test_demo_casualties_of_at_least_3000(demo):
    store, _ = demo
    big = [e for e in by_type(store, "casualties") if any((c.low or 0) >= 3000 for c in e.counts)]
    assert big
    # "The North Korean troops have suffered heavy casualties": the troops are the victims
    assert "Military Forces of North Korea" in {e.actor2 for e in big}
    assert all(e.actor1 != "Military Forces of North Korea" for e in big)


def test_demo_front_lines(demo):
    store, _ = demo
    fronts = by_type(store, "front_line")
    held = [
        e
        for e in fronts
        if e.geonameid == KURSK_OBLAST and e.actor1 == "Military Forces of Ukraine"
    ]
    assert len(held) == 1  # "the Kursk region, which has been under Ukrainian control since"
    assert held[0].date_start == date(2024, 8, 1) and held[0].date_precision == "range"
    # "The Kremlin has kept its strategic objectives clear: the conquest of the entire
    # Donbass region": an objective is an intention, not an event
    assert not [e for e in fronts if e.geonameid == DONBAS]


def test_demo_metonyms_are_never_event_locations(demo):
    store, _ = demo
    for event in store.query():
        assert event.location_name not in ("Kyiv", "Kiev", "Pyongyang", "Moscow", "Beijing")
        assert event.geonameid not in PYONGYANG_IDS


def test_ingesting_again_changes_nothing(demo):
    store, _ = demo
    before = {e.event_id: e.to_dict() for e in store.query()}
    report = ingest_paths(store)
    after = {e.event_id: e.to_dict() for e in store.query()}
    assert report.events_added == report.events_updated == 0
    assert before.keys() == after.keys()
    for key, event in before.items():
        event.pop("updated_at"), after[key].pop("updated_at")
        assert event == after[key]
        ids = [s["source_id"] for s in event["sources"]]
        assert len(ids) == len(set(ids))


@pytest.fixture
def demo_copy(tmp_path):
    store = SQLiteStore(tmp_path / "events.sqlite")
    ingest_paths(store)
    yield store
    store.close()


def _capture(store):
    return next(e for e in by_type(store, "capture") if e.date_start == date(2025, 1, 9))


def test_a_new_report_of_a_known_event_adds_a_source(demo_copy):
    store = demo_copy
    before = _capture(store)
    n_captures = len(by_type(store, "capture"))
    report = ingest_paths(store, [FIXTURES / "capture_followup.txt"])
    assert report.failed == [] and report.events_updated >= 1
    after = store.get(before.event_id)
    assert len(after.sources) == len(before.sources) + 1
    assert "Example Follow-up Desk" in {s.publisher for s in after.sources}
    assert len(by_type(store, "capture")) == n_captures


def test_reviewed_events_are_not_overwritten(demo_copy):
    store = demo_copy
    reviewed = _capture(store).replace(status="reviewed", summary="Checked by an analyst")
    store.put_events([reviewed], overwrite_reviewed=True)
    report = ingest_paths(store, [FIXTURES / "capture_followup.txt"])
    assert report.protected >= 1
    kept = store.get(reviewed.event_id)
    assert kept.summary == "Checked by an analyst" and kept.sources == reviewed.sources


def test_deleted_events_stay_deleted(demo_copy):
    store = demo_copy
    victim = _capture(store)
    store.delete_event(victim.event_id, reason="duplicate", by="analyst")
    ingest_paths(store)
    assert store.get(victim.event_id) is None


def test_bad_files_are_reported_and_the_rest_ingested(demo_copy, tmp_path):
    store = demo_copy
    before = {e.event_id: e.to_dict() for e in store.query()}
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x00\x00")
    (folder / "bad_date.txt").write_text("Troops captured two soldiers near Sudzha.", "utf-8")
    (folder / "bad_date.yaml").write_text("published_at: 2025-02-30\n", "utf-8")
    (folder / "future.txt").write_text("Troops captured two soldiers near Sudzha.", "utf-8")
    (folder / "future.yaml").write_text("published_at: 2999-01-01\n", "utf-8")
    (folder / "broken.txt").write_text("Troops moved.", "utf-8")
    (folder / "broken.yaml").write_text("title: [oops\n", "utf-8")
    good = folder / "good.txt"
    good.write_text(
        "On March 3, 2024, Russian troops captured four Ukrainian soldiers near "
        "Orikhiv in the Zaporizhzhia region.",
        "utf-8",
    )
    report = ingest_paths(store, [folder])
    failed = {Path(p).name: reason for p, reason in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "bad_date.txt", "future.txt", "broken.txt"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["binary.txt"]
    assert "real calendar date" in failed["bad_date.txt"]
    assert "after today" in failed["future.txt"] and "YAML" in failed["broken.txt"]
    assert len(report.ok) == 1
    after = {e.event_id: e.to_dict() for e in store.query()}
    for key, event in before.items():
        event.pop("updated_at"), after[key].pop("updated_at")
        assert after[key] == event
    new = [e for k, e in ((k, store.get(k)) for k in after) if k not in before]
    assert any(e.event_type == "capture" and e.name_in_text == "Orikhiv" for e in new)


class _FailingStore(SQLiteStore):
    """A real SQLite store whose write of one article's events fails after writing them."""

    def __init__(self, path, fail_on):
        super().__init__(path)
        self.fail_on, self.current = fail_on, None

    def put_article(self, article):
        self.current = article["article_id"]
        super().put_article(article)

    def put_events(self, events, **kw):
        result = super().put_events(events, **kw)
        if self.current == self.fail_on:
            raise StoreError(f"disk trouble while storing {self.current}")
        return result


@pytest.mark.parametrize("batch", [1, 2, 50])
def test_a_store_failure_rolls_back_that_article_alone(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(pipeline, "BATCH_ARTICLES", batch)
    articles = sorted(p for p in pipeline.DEMO_ARTICLES.glob("*.txt"))
    ids = [read_article(a)["article_id"] for a in articles]
    bad = ids[2]
    store = _FailingStore(tmp_path / "events.sqlite", fail_on=bad)
    try:
        report = ingest_paths(store, [pipeline.DEMO_ARTICLES])
        assert [Path(p) for p, _ in report.failed] == [articles[2]]
        assert "disk trouble" in report.failed[0][1]
        assert sorted(report.ok) == sorted(i for i in ids if i != bad)
        assert store.get_article(bad) is None
        sources = {s.source_id for e in store.query() for s in e.sources}
        assert bad not in sources and sources == set(report.ok)
        assert store.count() > 0
    finally:
        store.close()


def test_batches_hold_the_same_events_as_one_article_per_transaction(tmp_path, monkeypatch):
    one = SQLiteStore(tmp_path / "one.sqlite")
    monkeypatch.setattr(pipeline, "BATCH_ARTICLES", 1)
    ingest_paths(one)
    monkeypatch.setattr(pipeline, "BATCH_ARTICLES", 50)
    many = SQLiteStore(tmp_path / "many.sqlite")
    ingest_paths(many)
    try:

        def dump(store):
            return [{**e.to_dict(), "updated_at": None} for e in store.query()]

        assert dump(one) == dump(many) and len(dump(one)) >= 5
    finally:
        one.close(), many.close()


def _event(**fields):
    base = {
        "event_type": "casualties",
        "date_start": "2025-01-01",
        "date_end": "2025-01-31",
        "sources": [{"source_id": "a", "publisher": "A"}],
    }
    return Event.from_dict({**base, **fields})


def test_compatible_uses_dates_places_actors_and_counts(gaz):
    sudzha = gaz.lookup("sudzha")[0]
    oblast = gaz.get(KURSK_OBLAST)
    a = _event(geonameid=sudzha.geonameid, counts=[{"kind": "killed", "low": 10, "high": 12}])
    b = _event(
        geonameid=oblast.geonameid,
        counts=[{"kind": "killed", "low": 11, "high": 11}],
        date_start="2025-01-15",
        date_end="2025-01-15",
    )
    assert compatible(a, b, gaz) and compatible(b, a, gaz)
    assert not compatible(a, b.replace(date_start=date(2025, 2, 1), date_end=date(2025, 2, 1)), gaz)
    assert not compatible(a, b.replace(counts=(Count("killed", 3000, None),)), gaz)
    assert not compatible(a.replace(actor1="X"), b.replace(actor1="Y"), gaz)
    kharkiv = gaz.lookup("kharkiv")[0]
    assert not compatible(a, b.replace(geonameid=kharkiv.geonameid), gaz)


def test_merge_narrows_dates_merges_counts_and_is_idempotent(gaz):
    a = _event(counts=[{"kind": "killed", "low": 10, "high": 10, "text": "10"}])
    b = _event(
        date_start="2025-01-09",
        date_end="2025-01-09",
        date_precision="day",
        counts=[{"kind": "killed", "low": 12, "high": 14, "text": "12 to 14"}],
        sources=[{"source_id": "b", "publisher": "B"}],
    )
    merged = merge(a, b, gaz)
    assert merged.event_id == a.event_id
    assert (merged.date_start, merged.date_precision) == (date(2025, 1, 9), "day")
    assert (merged.counts[0].low, merged.counts[0].high) == (10, 14)
    assert merged.status == "corroborated"
    assert merge(merged, b, gaz) == merged


def test_one_publisher_is_not_corroboration(gaz):
    a = _event()
    b = _event(sources=[{"source_id": "other-article", "publisher": "a"}])
    assert merge(a, b, gaz).status == "claimed"


ARTICLE = """On {day}, Russian troops captured {n} Ukrainian soldiers near Orikhiv in the
Zaporizhzhia region, officials said. A drone attack on {day} killed {k} soldiers.
"""


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_whole_articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    total = 600
    for i in range(total):
        day = date.fromordinal(date(2020, 1, 1).toordinal() + 2 * i)
        text = ARTICLE.format(day=f"{day:%B} {day.day}, {day.year}", n=i % 7 + 2, k=i % 5 + 1)
        (folder / f"a{i:04d}.txt").write_text(text, "utf-8")
    path = tmp_path / "events.sqlite"
    SQLiteStore(path).close()
    code = (
        "import sys; from geo.store.sqlite.store import SQLiteStore; "
        "from geo.pipeline.ingest import ingest_paths; "
        "ingest_paths(SQLiteStore(sys.argv[1]), [sys.argv[2]])"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(folder)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            con = sqlite3.connect(path, timeout=5)
            try:
                n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                n = 0
            finally:
                con.close()
            if n >= 30:
                break
            assert proc.poll() is None, "the ingest finished before it could be killed"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    store = SQLiteStore(path)
    try:
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        stored = {a["article_id"] for a in store.articles()}
        assert 30 <= len(stored) < total
        per_article = {}
        for event in store.query():
            for source in event.sources:
                assert source.source_id in stored  # no event without its article
                per_article.setdefault(source.source_id, set()).add(event.event_type)
        # every stored article has all of its events: the types its own extraction gives
        expected = {}
        for file in sorted(folder.iterdir()):
            done = process_article(file)
            if done.article["article_id"] in stored:
                expected[done.article["article_id"]] = {e.event_type for e in done.events}
        assert len(expected) == len(stored)
        assert all({"capture"} <= types for types in expected.values())
        assert per_article == expected
    finally:
        store.close()


def test_held_out_articles_in_every_format_flow_into_the_store(tmp_path, gaz):
    store = SQLiteStore(tmp_path / "held_out.sqlite")
    try:
        report = ingest_paths(store, [FIXTURES])
        assert report.failed == [] and len(report.ok) == 4
        events = list(store.query())
        attack = next(e for e in events if e.event_type == "attack" and e.country_code == "SD")
        assert attack.location_name == "El Fasher" and attack.date_start == date(2024, 6, 10)
        assert attack.sources[0].publisher == "Example Desk"
        front = next(
            e
            for e in events
            if e.event_type == "front_line"
            and e.location_name == "Avdiivka"
            and e.date_precision == "day"
        )
        assert front.actor1 == "Military Forces of Russia"
        assert front.sources[0].publisher == "Example Wire"
        kobani = next(e for e in events if e.event_type == "attack" and e.country_code == "SY")
        assert kobani.date_precision == "week"
        follow = next(e for e in events if e.event_type == "capture" and e.country_code == "RU")
        assert follow.date_start == date(2025, 1, 9) and follow.geonameid == KURSK_OBLAST
        for event in events:
            for source in event.sources:
                text = store.get_article(source.source_id)["text"]
                assert text[source.start : source.end] == source.quote
            assert event.location_name not in ("Kyiv", "Moscow", "Damascus", "Khartoum")
    finally:
        store.close()


def test_events_without_a_place_never_merge_across_articles(gaz):
    # two reports of "an attack" on one day, by one actor, but no place: not one event
    a = _event(event_type="attack", actor1="Military Forces of Sudan")
    b = _event(event_type="attack", actor1="Military Forces of Sudan",
               sources=[{"source_id": "b", "publisher": "B"}])  # fmt: skip
    assert a.geonameid is None and a.latitude is None
    assert not compatible(a, b, gaz)
    assert compatible(a, b, gaz, across=False)  # one article telling one story
    sudzha = gaz.lookup("sudzha")[0]
    placed = {"geonameid": sudzha.geonameid, "latitude": sudzha.lat, "longitude": sudzha.lon}
    assert compatible(a.replace(**placed), b.replace(**placed), gaz)
    # a placed and an unplaced report are not one event either, even in one article
    assert not compatible(a.replace(**placed), b, gaz, across=False)


def test_merge_needs_the_same_place_or_one_within_ten_km(gaz):
    sudzha = gaz.lookup("sudzha")[0]
    a = _event(event_type="attack", geonameid=sudzha.geonameid, latitude=sudzha.lat,
               longitude=sudzha.lon, date_start="2025-01-09", date_end="2025-01-09")  # fmt: skip
    near = a.replace(geonameid=None, latitude=sudzha.lat + 0.05, longitude=sudzha.lon)  # ~5.6 km
    far = a.replace(geonameid=None, latitude=sudzha.lat + 0.2, longitude=sudzha.lon)  # ~22 km
    assert compatible(a, near, gaz) and not compatible(a, far, gaz)
    # day-precise reports a day apart may be one night's attack; two days apart are not
    next_day = near.replace(date_start=date(2025, 1, 10), date_end=date(2025, 1, 10))
    assert compatible(a, next_day, gaz)
    later = near.replace(date_start=date(2025, 1, 11), date_end=date(2025, 1, 11))
    assert not compatible(a, later, gaz)


def test_one_per_day_view_merges_one_type_at_one_place_on_one_day(gaz):
    from geo.events.merge import one_per_day

    sudzha = gaz.lookup("sudzha")[0]
    day = {"date_start": "2025-01-09", "date_end": "2025-01-09", "event_type": "attack",
           "geonameid": sudzha.geonameid, "latitude": sudzha.lat,
           "longitude": sudzha.lon}  # fmt: skip
    a = _event(**day, actor1="Military Forces of Ukraine")
    b = _event(**day, actor1="Military Forces of Russia",
               sources=[{"source_id": "b", "publisher": "B"}])  # fmt: skip
    assert not compatible(a, b, gaz)  # different actors: two events in the store
    other_day = _event(**{**day, "date_start": "2025-01-10", "date_end": "2025-01-10"})
    unplaced = _event(date_start="2025-01-09", date_end="2025-01-09", event_type="attack")
    out = list(one_per_day([a, b, unplaced, other_day], gaz))
    assert len(out) == 3
    merged = next(e for e in out if e.geonameid == sudzha.geonameid and e.date_start.day == 9)
    assert {s.source_id for s in merged.sources} == {"a", "b"}
    assert unplaced in out and other_day in out


def test_an_assumed_place_is_tagged_and_a_stated_one_wins_a_merge(demo):
    from geo.events.merge import merge
    from geo.gazetteer.lookup import Gazetteer

    store, _ = demo
    events = list(store.query(EventQuery()))
    assumed = [e for e in events if (e.notes or "").startswith("The sentence names no place")]
    assert assumed, "the demo articles hold events whose sentence names no place"
    # tagged: only events whose sentence names no place (when a mention that names it was
    # merged in, the tag goes: see below)
    tagged = [e for e in events if "place-assumed" in e.tags]
    assert tagged and all(e in assumed for e in tagged)
    one = tagged[0]
    other = one.replace(tags=tuple(t for t in one.tags if t != "place-assumed"),
                        event_id="ev-other")  # fmt: skip
    assert "place-assumed" not in merge(one, other, Gazetteer.default()).tags
    assert "place-assumed" in merge(one, one, Gazetteer.default()).tags
