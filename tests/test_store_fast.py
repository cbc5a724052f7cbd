"""Tests of the store's fast paths: shared geometry work, batched writes, ready-made features.

``store`` runs on SQLite and on PostGIS (conftest); SQLite file details use ``SQLiteStore``.
"""

import io
import json
import sqlite3
from datetime import date

import pytest
from legacy_sqlite import downgrade_to_4

from geo.events.model import Event, rfc7946_geometry
from geo.exc import ValidationError
from geo.store.base import EventQuery, EventStore
from geo.store.sqlite import rows
from geo.store.sqlite.rows import event_texts
from geo.store.sqlite.store import SQLiteStore

SQUARE = [[34.0, 50.0], [36.0, 50.0], [36.0, 52.0], [34.0, 52.0], [34.0, 50.0]]


def area_event(event_id, coords=None, **kw):
    data = {
        "event_id": event_id,
        "event_type": "attack",
        "date_start": "2025-01-09",
        "latitude": 51.0,
        "longitude": 35.0,
        "geo_precision": "admin1",
        "geometry": {"type": "Polygon", "coordinates": [coords or SQUARE]},
    }
    data.update(kw)
    return Event.from_dict(data)


def test_stored_json_is_the_event_dict(store):
    marker = "\x00geometry\x00"
    for i, summary in enumerate(["Attack on Kursk", marker, "\x00sources\x00", None]):
        # built without validation: the encoder stays right whatever a field holds
        event = area_event(f"ev-{i}", summary="x").replace(summary=summary)
        assert json.loads(event_texts(event)[0]) == event.to_dict()
    # validation refuses NUL (GDAL cuts GeoPackage text there; KML cannot hold it)
    with pytest.raises(ValidationError, match="summary"):
        store.put_events([area_event("ev-b", summary="x").replace(summary=marker)])
    assert store.get("ev-b") is None


def test_shared_immutable_geometry_is_checked_once_and_stays_correct():
    # The gazetteer hands out nested tuples; clockwise input must still be rewound.
    clockwise = tuple(tuple(p) for p in reversed(SQUARE))
    geometry = {"type": "Polygon", "coordinates": (clockwise,)}
    first = rfc7946_geometry(geometry)
    again = rfc7946_geometry(dict(geometry))
    assert first == again
    assert first["coordinates"][0] == SQUARE  # counterclockwise, as lists
    assert first["coordinates"] is again["coordinates"]


def test_stored_areas_load_whole_and_share_one_outline(tmp_path):
    # The loader cuts the Feature text at its geometry and properties keys: texts that
    # look like those keys inside fields must not fool it.
    tricky = ',"geometry":{"type":"Point"},"properties":{"event_id":"x"}}'
    store = SQLiteStore(tmp_path / "s.sqlite")
    events = [
        area_event("ev-a", summary=tricky),
        area_event("ev-b", notes=tricky, location_name='"properties":'),
        area_event("ev-c", coords=[[30.0, 40.0], [31.0, 40.0], [31.0, 41.0], [30.0, 40.0]]),
        Event.from_dict({"event_id": "ev-p", "event_type": "attack", "date_start": "2025-01-09",
                         "latitude": 51.0, "longitude": 35.0, "summary": tricky}),
    ]  # fmt: skip
    store.put_events(events)
    store.close()
    rows._LOADED.clear()  # decode the stored documents, not the events remembered on write
    store = SQLiteStore(tmp_path / "s.sqlite")
    loaded = {e.event_id: e for e in store.query(EventQuery())}
    for event in events:
        assert loaded[event.event_id].replace(updated_at=None) == event
    assert loaded["ev-a"].geometry is loaded["ev-b"].geometry  # one outline, decoded once
    assert loaded["ev-c"].geometry != loaded["ev-a"].geometry
    assert loaded["ev-p"].geometry is None
    store.close()


def test_fresh_input_is_always_validated():
    good = [list(p) for p in SQUARE]
    rfc7946_geometry({"type": "Polygon", "coordinates": [good]})
    bad = [list(p) for p in SQUARE]
    bad[1] = [500.0, 50.0]
    with pytest.raises(ValidationError, match="lon, lat"):
        rfc7946_geometry({"type": "Polygon", "coordinates": [bad]})
    with pytest.raises(ValidationError):
        Event.from_dict(
            {
                "event_type": "attack",
                "date_start": "2025-01-09",
                "geometry": {"type": "Polygon", "coordinates": [bad]},
            }
        )


def test_same_id_twice_in_one_batch(store):
    first = area_event("ev-1", summary="first")
    second = first.replace(summary="second")
    result = store.put_events([first, second])
    assert result.written == 2
    assert store.count() == 1
    assert store.get("ev-1").summary == "second"
    assert store.put_events([second]).unchanged == ("ev-1",)
    # A stored id twice in one batch: the second version replaces the first.
    third, fourth = second.replace(summary="third"), second.replace(summary="fourth")
    result = store.put_events([third, fourth, fourth])
    assert (result.written, result.unchanged) == (2, ("ev-1",))
    assert store.get("ev-1").summary == "fourth" and store.count() == 1


def test_batched_lookup_spans_chunks(store):
    events = [area_event(f"ev-{i:04d}") for i in range(1203)]
    assert store.put_events(events).written == 1203
    again = store.put_events(events)
    assert again.written == 0 and len(again.unchanged) == 1203


def _varied():
    """Area, point, line and placeless events, with non-ASCII text, counts and sources."""
    base = {"event_type": "capture", "date_start": "2025-01-09"}
    return [
        area_event("ev-area", summary="Захват «Суджа» — “quoted”", actor1="Military Forces"),
        Event.from_dict({**base, "event_id": "ev-point", "latitude": 51.2, "longitude": 35.27,
                         "counts": [{"kind": "captured", "low": 2, "high": 2, "text": "two"}],
                         "sources": [{"source_id": "a", "publisher": "Outlet", "quote": "</script>",
                                      "start": 3, "end": 12, "published_at": "2025-01-12"}]}),
        Event.from_dict({**base, "event_id": "ev-line", "event_type": "front_line",
                         "geometry": {"type": "LineString",
                                      "coordinates": [[35.0, 51.0], [35.5, 51.4]]}}),
        Event.from_dict({**base, "event_id": "ev-none", "event_type": "statement",
                         "tags": ["x", "y"], "notes": "no place"}),
    ]  # fmt: skip


def _slow(store, query):
    return [
        json.dumps(e.to_feature(), ensure_ascii=False, separators=(",", ":"))
        for e in store.query(query)
    ]


@pytest.mark.parametrize(
    "query",
    [
        EventQuery(),
        EventQuery(bbox=(34, 49, 37, 53), start=date(2025, 1, 1), end=date(2025, 1, 31)),
        EventQuery(types=("capture", "attack"), limit=1, offset=1),
        EventQuery(text="Суджа"),
    ],
)
def test_features_fast_path_equals_to_feature(store, query):
    store.put_events(_varied())
    fast = list(store.query_features(query))
    assert fast == _slow(store, query)
    assert fast  # every query above matches something


def _tricky():
    """Events whose CSV cells need quoting, escaping of formulas, or hold a Point geometry."""
    base = {"event_type": "attack", "date_start": "2025-02-01", "latitude": 50.0, "longitude": 30.0}
    return [
        Event.from_dict({**base, "event_id": "ev-csv", "summary": '=1+1, "quoted"\nnext line',
                         "actor1": "-minus", "tags": ["a|b", "c"],
                         "counts": [{"kind": "killed", "low": 1, "high": 3},
                                    {"kind": "killed", "low": 2, "high": 5, "best": 4}],
                         "sources": [{"source_id": "s|1", "url": "https://x.example/?a=1,2",
                                      "quote": "He said \"no\"\r\nthen left"}]}),
        Event.from_dict({**base, "event_id": "ev-pt", "geometry": {"type": "Point",
                                                                   "coordinates": [30.5, 50.5]}}),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [EventQuery(), EventQuery(bbox=(34, 49, 37, 53)), EventQuery(types=("attack",), limit=1)],
)
def test_csv_lines_kept_on_write_equal_the_csv_of_the_events(store, query):
    from geo.formats.registry import write_csv

    store.put_events([*_varied(), *_tricky()])
    from_events, from_lines = io.BytesIO(), io.BytesIO()
    write_csv(store.query(query), from_events, meta={})
    write_csv(store.query_csv_lines(query), from_lines, meta={})
    assert from_lines.getvalue() == from_events.getvalue()
    assert from_lines.getvalue().count(b"\r\n") > 1
    fields = list(store.query_fields(query))
    assert fields == [e.to_dict() for e in store.query(query)]


@pytest.mark.sqlite_only
def test_csv_lines_of_another_layout_are_made_again(store, monkeypatch):
    """A line kept under an older CSV_LAYOUT is not used: the export makes it again."""
    from geo.store.sqlite import rows

    store.put_events(_tricky())
    kept = list(store.query_csv_lines())
    monkeypatch.setattr(rows, "_LAYOUT", b"999")
    monkeypatch.setattr(rows, "csv_line", lambda row: "made again\r\n")
    assert list(store.query_csv_lines()) == ["made again\r\n"] * 2 != kept


@pytest.mark.sqlite_only
def test_schema_4_rows_without_feature_text_are_migrated(store, tmp_path):
    """Rows written before schema 3 had no Feature text: the move to schema 5 makes it."""
    store.put_events(_varied())
    expected = list(store.query_features())
    events = list(store.query())
    store.close()
    downgrade_to_4(tmp_path / "events.sqlite")
    conn = sqlite3.connect(tmp_path / "events.sqlite")
    conn.execute("UPDATE events SET feature = NULL")
    conn.commit()
    conn.close()
    again = SQLiteStore(tmp_path / "events.sqlite")
    try:
        assert list(again.query_features()) == expected
        assert list(again.query()) == events
        assert again.extent() == EventStore.extent(again)  # kept on write == a full scan
    finally:
        again.close()


def test_schema_2_store_gains_the_feature_column(tmp_path):
    path = tmp_path / "v2.sqlite"
    with SQLiteStore(path) as s:
        s.put_events(_varied())
        expected = list(s.query_features())
    downgrade_to_4(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE events DROP COLUMN feature")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as s:
        assert list(s.query_features()) == expected
        s.put_events([s.get("ev-point").replace(summary="changed")])
        assert '"summary":"changed"' in next(
            t for t in s.query_features() if '"id":"ev-point"' in t
        )
    conn = sqlite3.connect(path)
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version[0] == "5"
    conn.close()


def test_features_validate_at_once(store):
    with pytest.raises(ValidationError, match="limit"):
        store.query_features(EventQuery(limit=-1))
    with pytest.raises(ValidationError, match="bbox"):
        store.query_features(EventQuery(bbox=(1, 2, 3)))


@pytest.mark.parametrize(
    ("bbox", "found"),
    [
        ((2.3e-235, 0.0, 0.0, 0.0), True),  # crosses the antimeridian: [2.3e-235, 180] + ...
        ((1e-300, -1.0, 1.0, 1.0), True),
        ((-1.0, -1.0, 1e-200, 1.0), True),
        ((1e-60, -1.0, 1.0, 1.0), False),  # starts east of the point
    ],
)
def test_bbox_finds_coordinates_too_small_for_the_rtree(store, bbox, found):
    # Found by the property test: the R*Tree stores float32 and rounds 4.7e-211 to 0.
    tiny = Event.from_dict(
        {"event_id": "ev-tiny", "event_type": "attack", "date_start": "2024-01-01",
         "latitude": 0.0, "longitude": 4.7e-211}
    )  # fmt: skip
    store.put_events([tiny])
    assert [e.event_id for e in store.query(EventQuery(bbox=bbox))] == (
        ["ev-tiny"] if found else []
    )
    assert store.count(EventQuery(bbox=bbox)) == int(found)


def _scattered(n, seed=5):
    """Events over a few degrees and two years, a fifth lasting up to 90 days, some deleted."""
    import random

    rng = random.Random(seed)
    events = []
    for i in range(n):
        start = date(2024, 1, 1).toordinal() + rng.randrange(730)
        span = rng.randrange(1, 90) if rng.random() < 0.2 else 0
        data = {
            "event_id": f"ev-{rng.randrange(10**6):06d}-{i}",
            "event_type": rng.choice(("attack", "capture", "front_line")),
            "date_start": date.fromordinal(start).isoformat(),
            "date_end": date.fromordinal(start + span).isoformat(),
            "latitude": round(rng.uniform(44, 53), 4),
            "longitude": round(rng.uniform(22, 40), 4),
        }
        if rng.random() < 0.05:
            lon, lat = data["longitude"], data["latitude"]
            ring = [[lon, lat], [lon + 2, lat], [lon + 2, lat + 1], [lon, lat + 1], [lon, lat]]
            data["geometry"] = {"type": "Polygon", "coordinates": [ring]}
            data["geo_precision"] = "admin1"
        events.append(Event.from_dict(data))
    return events


@pytest.mark.parametrize(
    ("bbox", "start", "end"),
    [
        ((25, 45, 30, 50), date(2024, 6, 1), date(2024, 8, 30)),
        ((22, 44, 40, 53), None, None),  # the whole area, no window: every event
        ((30, 46, 31, 47), date(2024, 3, 1), None),
        ((33, 48, 35, 50), None, date(2025, 2, 1)),
        (None, date(2025, 5, 1), date(2025, 5, 20)),
        ((39.5, 52.5, 40, 53), None, None),  # few matches: ranges widen to the end
    ],
)
def test_pages_found_range_by_range_equal_one_sort(store, bbox, start, end):
    """Pages of bbox/date queries (cut in ranges of first days on SQLite) are exactly the
    slices of the whole ordered result, deep pages and deleted events included."""
    events = _scattered(1500)
    store.put_events(events)
    for event in events[::37]:
        store.delete_event(event.event_id, reason="test", by="t")
    whole = [e.event_id for e in store.query(EventQuery(bbox=bbox, start=start, end=end))]
    keys = [(e.date_start, e.event_id) for e in store.query(EventQuery(bbox=bbox, start=start,
                                                                        end=end))]  # fmt: skip
    assert keys == sorted(keys) and whole
    for limit, offset in ((1, 0), (10, 0), (100, 0), (100, 100), (7, 250), (100, len(whole) - 5),
                          (50, len(whole) + 3)):  # fmt: skip
        q = EventQuery(bbox=bbox, start=start, end=end, limit=limit, offset=offset)
        assert [e.event_id for e in store.query(q)] == whole[offset : offset + limit]
        texts = list(store.query_features(q))
        assert [json.loads(t)["id"] for t in texts] == whole[offset : offset + limit]
    assert store.count(EventQuery(bbox=bbox, start=start, end=end)) == len(whole)
    q = EventQuery(bbox=bbox, start=start, end=end)
    assert store.count_at_most(q, len(whole)) == len(whole)
    assert store.count_at_most(q, len(whole) - 1) is None


def test_extent_and_counts_follow_every_write(store):
    """Extents and per-type counts are kept on write: they always equal a full scan."""
    events = _scattered(300, seed=9)
    store.put_events(events)

    def check():
        assert store.extent() == EventStore.extent(store)
        for types in (("attack",), ("front_line",), ("attack", "capture")):
            scan = list(store.query(EventQuery(types=types)))
            assert store.count(EventQuery(types=types)) == len(scan)
            expected = EventStore.extent(_Only(scan))
            assert store.extent(types) == expected
        assert store.count() == len(list(store.query()))

    check()
    # remove the events on every edge: the extent shrinks to the next ones
    dates, bounds = store.extent()
    edge = [
        e for e in store.query() if e.date_start.isoformat() == dates["start"]
        or e.date_end.isoformat() == dates["end"] or e.latitude in (bounds[0][0], bounds[1][0])
        or e.longitude in (bounds[0][1], bounds[1][1]) or e.geometry
    ]  # fmt: skip
    for event in edge[:40]:
        store.delete_event(event.event_id, reason="edge", by="t")
    check()
    # move one event far away, change another's type, bring a deleted one back
    moved = events[100].replace(latitude=10.0, longitude=10.0, geometry=None)
    retyped = events[101].replace(event_type="front_line" if events[101].event_type != "front_line"
                                  else "attack")  # fmt: skip
    store.put_events([moved, retyped], overwrite_reviewed=True)
    store.put_events([edge[0]], overwrite_reviewed=True)
    check()


class _Only:
    """Stands for a store holding only ``events`` (for ``EventStore.extent``'s full scan)."""

    def __init__(self, events):
        self.events = events

    def query(self, q):
        return iter(self.events)


def test_free_text_follows_every_update(store):
    """Words an update removes are no longer found (the SQLite index keeps no copy of the
    texts: it drops the old words by giving them again)."""

    def found(text):
        return [e.event_id for e in store.query(EventQuery(text=text))]

    store.put_events([area_event("ev-a", summary="alpha bravo", actor1="Delta Force")])
    store.put_events([area_event("ev-b", summary="bravo echo")])
    assert found("alpha") == ["ev-a"] and found("bravo") == ["ev-a", "ev-b"]
    store.put_events([area_event("ev-a", summary="charlie", actor1="Delta Force")])
    assert found("alpha") == [] and found("charlie") == ["ev-a"] and found("delta") == ["ev-a"]
    assert found("bravo") == ["ev-b"]
    store.put_events([area_event("ev-a", summary="alpha again")])
    assert found("alpha") == ["ev-a"] and found("charlie") == [] and found("delta") == []


@pytest.mark.sqlite_only
def test_schema_4_store_keeps_its_free_text_after_the_migration(store, tmp_path):
    store.put_events(_varied())
    store.close()
    downgrade_to_4(tmp_path / "events.sqlite")
    with SQLiteStore(tmp_path / "events.sqlite") as again:
        assert [e.event_id for e in again.query(EventQuery(text="Суджа"))] == ["ev-area"]
        area = again.get("ev-area")
        again.put_events([area.replace(summary="Retreat from the town")], overwrite_reviewed=True)
        assert list(again.query(EventQuery(text="Суджа"))) == []
        assert [e.event_id for e in again.query(EventQuery(text="retreat"))] == ["ev-area"]


@pytest.mark.sqlite_only
def test_a_failed_migration_leaves_the_old_store_whole(store, tmp_path, monkeypatch):
    """A migration that fails (here: the disk fills up half-way) is a StoreError naming the
    file, and the schema-4 store is left as it was: the next open migrates it."""
    from geo.exc import StoreError
    from geo.store.sqlite import migrations

    store.put_events(_varied())
    expected = list(store.query_features())
    store.close()
    path = tmp_path / "events.sqlite"
    downgrade_to_4(path)
    calls = []

    def failing(event):
        calls.append(event.event_id)
        if len(calls) == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return real(event)

    real = migrations.pack_document
    monkeypatch.setattr(migrations, "pack_document", failing)
    with pytest.raises(StoreError, match=r"from schema version 4 to 5: database or disk is full"):
        SQLiteStore(path)
    conn = sqlite3.connect(path)
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    conn.close()
    assert version == ("4",) and {"json", "feature"} <= columns
    monkeypatch.undo()
    with SQLiteStore(path) as again:
        assert list(again.query_features()) == expected


@pytest.mark.sqlite_only
def test_two_processes_opening_one_old_store(store, tmp_path, monkeypatch):
    """While one process migrates a schema-4 store, another is told to open it again later;
    a process that waited and finds it migrated goes on without migrating it twice."""
    from geo.exc import StoreError
    from geo.store.sqlite import migrations
    from geo.store.sqlite import store as sqlite_store

    store.put_events(_varied())
    store.close()
    path = tmp_path / "events.sqlite"
    downgrade_to_4(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # as a migrating process holds the write lock
    monkeypatch.setattr(sqlite_store, "BUSY_SECONDS", 0.2)
    with pytest.raises(StoreError, match="another process is bringing it up to date"):
        SQLiteStore(path)
    holder.execute("ROLLBACK")
    with SQLiteStore(path) as migrated:  # now at version 5
        assert migrated.count() == len(_varied())
        conn = migrated._conn()
        assert migrations.migrate(conn, 4) == 5  # a late waiter: nothing done twice
        assert migrated.count() == len(_varied())
    holder.close()


@pytest.mark.parametrize("few_deleted", [True, False], ids=["one-pass", "range-by-range"])
def test_counts_read_in_the_rtree_equal_counts_of_the_rows(tmp_path, monkeypatch, few_deleted):
    """numberMatched of a bbox/date query, counted in the R*Trees (float32 bounds, deleted
    events inside), equals a count that reads every matching row: events exactly on the
    box's edges and a hair outside them (closer than float32 can tell) included."""
    from geo.store.sqlite import counts

    store = SQLiteStore(tmp_path / "counts.sqlite")
    events = _scattered(1200, seed=11)
    hair = []
    for k, (lon, lat) in enumerate([(30.0, 46.5), (31.0, 46.5), (30.5, 46.0), (30.5, 47.0),
                                    (29.999999, 46.5), (31.000001, 46.5), (30.5, 45.9999995),
                                    (30.5, 47.0000005), (30.0000004, 46.9999996)]):  # fmt: skip
        hair.append(Event.from_dict({"event_id": f"ev-hair-{k}", "event_type": "attack",
                                     "date_start": "2024-06-01", "latitude": lat,
                                     "longitude": lon}))  # fmt: skip
    store.put_events(events + hair)
    for event in [*events[::23], hair[1], hair[4]]:
        store.delete_event(event.event_id, reason="test", by="t")
    if not few_deleted:
        monkeypatch.setattr(counts, "DELETED_FEW", 5)
    every_type = ("attack", "capture", "front_line")
    for bbox, start, end in [
        ((30, 46, 31, 47), None, None),
        ((30, 46, 31, 47), date(2024, 5, 1), date(2024, 6, 1)),
        ((22, 44, 40, 53), None, None),
        ((25, 45, 30, 50), date(2024, 6, 1), date(2024, 8, 30)),
        (None, date(2025, 5, 1), date(2025, 5, 20)),
        (None, None, date(2024, 2, 1)),
        ((179, -10, -179, 10), None, None),  # crosses the antimeridian: rows are read
    ]:
        for types in ((), every_type, ("attack", "capture")):
            q = EventQuery(bbox=bbox, start=start, end=end, types=types)
            n = store.count(q)
            assert n == len(list(store.query(q)))
            assert store.count_at_most(q, n) == n, (bbox, start, end, types)
            if n:
                assert store.count_at_most(q, n - 1) is None
            assert store.count_at_most(q, max(0, n // 3)) is None or n == 0
    store.close()


def test_page_texts_kept_between_reads_follow_every_write(tmp_path):
    """Pages take the Feature texts of events read lately from the store's cache, and a
    write by this store, by another connection or inside a transaction is never hidden."""
    path = tmp_path / "kept.sqlite"
    s = SQLiteStore(path)
    events = _scattered(600, seed=3)
    s.put_events(events)
    other = SQLiteStore(path)  # another connection to the file (as another process)
    q = EventQuery(bbox=(22, 44, 40, 53), start=date(2024, 3, 1), end=date(2024, 10, 31), limit=120)

    def fresh_page():  # read without any cache
        other.feature_texts.size = 0
        return list(other.query_features(q))

    first = list(s.query_features(q))
    assert first == fresh_page() and len(first) == 120
    hits = s.feature_texts.hits
    assert list(s.query_features(q)) == first
    assert s.feature_texts.hits >= hits + 120  # the second read took every text kept

    by_id = {e.event_id: e for e in events}
    ids = [json.loads(t)["id"] for t in first]
    # a write by this store
    s.put_events([by_id[ids[0]].replace(summary="changed here")])
    page = list(s.query_features(q))
    assert json.loads(page[0])["properties"]["summary"] == "changed here"
    assert page == fresh_page()
    # writes by another connection
    other.put_events([by_id[ids[1]].replace(summary="changed there")])
    other.delete_event(ids[2], reason="test", by="t")
    page = list(s.query_features(q))
    assert json.loads(page[1])["properties"]["summary"] == "changed there"
    assert ids[2] not in [json.loads(t)["id"] for t in page]
    assert page == fresh_page()
    # inside a transaction, the transaction's own write
    with s.transaction():
        s.put_events([by_id[ids[3]].replace(summary="in the transaction")])
        inside = list(s.query_features(q))
        assert "in the transaction" in [json.loads(t)["properties"]["summary"] for t in inside]
    assert list(s.query_features(q)) == fresh_page()
    # bounded: the least recently used go
    s.feature_texts.size = 50
    list(s.query_features(EventQuery(start=date(2024, 1, 1), limit=300)))
    assert len(s.feature_texts) == 50
    other.close()
    s.close()


@pytest.mark.parametrize(
    ("bbox", "start", "end"),
    [
        ((25, 45, 30, 50), date(2024, 6, 1), date(2024, 8, 30)),
        ((22, 44, 40, 53), date(2024, 9, 1), date(2024, 9, 30)),  # the page ends inside a day
        ((30.5, 46, 31, 47), None, None),
        (None, date(2025, 5, 1), date(2025, 5, 20)),  # no bbox: the span R*Tree
    ],
)
def test_first_pages_found_in_the_rtree_equal_one_sort(tmp_path, monkeypatch, bbox, start, end):
    """A first page of Feature texts of a bbox and dates (and every type) is found in the
    R*Trees without the matches' rows: the same texts in the same order as the whole
    ordered result, with deleted events, ties on a day and events on the box's edges."""
    s = SQLiteStore(tmp_path / "pages.sqlite")
    events = _scattered(1500, seed=8)
    # ties: one day, ids in no particular order; events touching the box's edges or just out
    tied = [
        Event.from_dict({"event_id": f"tie-{k}", "event_type": "attack", "date_start": "2024-09-02",
                         "latitude": 46.5, "longitude": 30.7})
        for k in (7, 3, 11, 0, 5)
    ]  # fmt: skip
    edges = []
    if bbox is not None:
        for k, lon in enumerate((bbox[0], bbox[0] - 1e-5, bbox[2], bbox[2] + 1e-5)):
            day0 = (start or date(2024, 9, 1)).isoformat()
            edges.append(Event.from_dict({"event_id": f"edge-{k}", "event_type": "capture",
                                          "date_start": day0, "latitude": bbox[1] + 0.5,
                                          "longitude": lon}))  # fmt: skip
    s.put_events(events + tied + edges)
    for event in events[::29]:
        s.delete_event(event.event_id, reason="test", by="t")
    calls = []
    real = SQLiteStore._page_by_index
    monkeypatch.setattr(
        SQLiteStore, "_page_by_index", lambda *a, **kw: calls.append(1) or real(*a, **kw)
    )
    whole = list(s.query_features(EventQuery(bbox=bbox, start=start, end=end)))
    ids = [json.loads(t)["id"] for t in whole]
    if bbox is not None:
        assert "edge-0" in ids and "edge-2" in ids
        assert "edge-1" not in ids and "edge-3" not in ids
    live = ("attack", "capture", "front_line")
    for types in (None, live, (*live, "movement")):
        for limit in (1, 7, 100, 333, len(whole) - 1, len(whole), len(whole) + 5):
            q = EventQuery(bbox=bbox, start=start, end=end, types=types, limit=limit)
            before = len(calls)
            assert list(s.query_features(q)) == whole[:limit], (types, limit)
            assert len(calls) == before + 1  # found in the R*Trees
    # a type list naming fewer types than have events reads the rows
    q = EventQuery(bbox=bbox, start=start, end=end, types=("attack",), limit=50)
    before = len(calls)
    page = [json.loads(t)["id"] for t in s.query_features(q)]
    assert len(calls) == before
    assert page == [e.event_id for e in s.query(q)]
    s.close()
