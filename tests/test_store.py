"""Tests of the event store: ``store`` is a real SQLite file in tmp_path, then a real PostGIS
schema (see conftest); tests about the SQLite file itself use ``SQLiteStore`` directly."""

import json
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from legacy_sqlite import downgrade_to_4

from geo.events.geometry import geometry_bounds
from geo.events.model import Event
from geo.exc import NotFoundError, StoreError, ValidationError
from geo.store.base import EventQuery, open_store
from geo.store.sqlite.rows import pack_feature, unpack_feature
from geo.store.sqlite.store import SQLiteStore

KURSK_OBLAST = {
    "type": "Polygon",
    "coordinates": [[[34.1, 50.9], [38.5, 50.9], [38.5, 52.4], [34.1, 52.4], [34.1, 50.9]]],
}


def ev(event_id, event_type="attack", start="2025-01-09", end=None, **kw):
    data = {"event_id": event_id, "event_type": event_type, "date_start": start}
    if end:
        data["date_end"] = end
    data.setdefault("latitude", kw.pop("lat", 50.0))
    data.setdefault("longitude", kw.pop("lon", 30.0))
    data.update(kw)
    return Event.from_dict(data)


def ids(events):
    return [e.event_id for e in events]


def raw(store, sql, params=()):
    """Run ``sql`` on the store's database through a connection of its own driver."""
    if isinstance(store, SQLiteStore):
        conn = sqlite3.connect(store.path)
        try:
            rows = conn.execute(sql, params).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(store.url, autocommit=True) as conn:
        cur = conn.execute(sql.replace("?", "%s"), params)
        return cur.fetchall() if cur.description else []


def test_creates_file_in_wal_mode_with_schema(tmp_path):
    path = tmp_path / "a" / "b" / "store.sqlite"
    store = SQLiteStore(path)
    assert path.exists()
    assert store.url == "sqlite:///" + str(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"events", "events_rtree", "event_sources", "articles", "deletions", "tokens"} <= tables
    assert dict(conn.execute("SELECT key, value FROM meta"))["format"] == "conflictmap-events"
    store.close()
    # Reopening an existing store works and keeps data.
    with SQLiteStore(path) as again:
        assert again.count() == 0


def test_put_get_roundtrip_sets_updated_at(store):
    event = ev(
        "e1",
        "capture",
        summary="Two soldiers captured",
        counts=[{"kind": "captured", "low": 2, "high": 2}],
        sources=[{"source_id": "a1", "publisher": "BBC", "quote": "captured two", "start": 3}],
        tags=["kursk"],
    )
    result = store.put_events([event])
    assert result.written == 1
    got = store.get("e1")
    assert got.updated_at is not None
    assert got.replace(updated_at=None) == event
    assert store.get("missing") is None
    assert store.data_as_of() == got.updated_at


def test_put_is_idempotent(store):
    event = ev("e1", summary="x")
    store.put_events([event])
    stamp = store.get("e1").updated_at
    before = store.data_as_of()
    result = store.put_events([event])
    assert result.written == 0 and result.unchanged == ("e1",)
    assert store.get("e1").updated_at == stamp
    assert store.data_as_of() == before
    changed = store.put_events([event.replace(summary="y")])
    assert changed.written == 1 and store.get("e1").summary == "y"


@pytest.mark.parametrize(
    "change",
    [
        {"summary": "y"},  # only the row and the text index change
        {"date_start": "2025-02-01", "date_end": "2025-02-03"},
        {"latitude": 10.0, "longitude": 10.0},
        {"sources": [{"source_id": "b2", "publisher": "Desk B"}]},
    ],
)
def test_updates_keep_every_index_in_step(store, change):
    first = ev("e1", summary="alpha", sources=[{"source_id": "a1", "publisher": "Desk A"}])
    store.put_events([first])
    second = Event.from_dict({**first.to_dict(), "updated_at": None, **change})
    assert store.put_events([second]).written == 1
    got = store.get("e1")

    def found(**kw):
        return ids(store.query(EventQuery(**kw))) == ["e1"]

    box = (got.longitude - 0.1, got.latitude - 0.1, got.longitude + 0.1, got.latitude + 0.1)
    assert found(bbox=box, start=got.date_start, end=got.date_end)
    assert found(text=got.summary) and found(source=got.sources[0].publisher)
    if "summary" in change:
        assert not found(text="alpha")
    if "date_start" in change:
        assert not found(start=first.date_start, end=first.date_end)
    if "latitude" in change:
        assert not found(bbox=(29.9, 49.9, 30.1, 50.1))
    if "sources" in change:
        assert not found(source="Desk A")


def test_source_rows_follow_every_change_of_the_source_list(store):
    """Only changed sources are rewritten on update; the rows must still match exactly."""

    def source(i, quote="q"):
        return {"source_id": f"s{i}", "publisher": f"Desk {i}", "url": f"https://x/{i}",
                "quote": quote}  # fmt: skip

    steps = [
        [source(1), source(2), source(3)],
        [source(1), source(2), source(3), source(4)],  # one added
        [source(2), source(4)],  # two removed
        [source(2), source(4), source(4, quote="again")],  # the same row twice
        [source(4)],  # both copies of s2 gone, one of s4
        [source(5), source(1)],  # all replaced
    ]
    for sources in steps:
        store.put_events([ev("e1", sources=sources)])
        rows = raw(
            store,
            "SELECT source_id, publisher, url FROM event_sources WHERE event_rid = "
            "(SELECT rid FROM events WHERE event_id = 'e1')",
        )
        assert sorted(map(tuple, rows)) == sorted(
            (s["source_id"], s["publisher"], s["url"]) for s in sources
        )
        for s in sources:
            assert ids(store.query(EventQuery(source=s["publisher"]))) == ["e1"]
    assert ids(store.query(EventQuery(source="Desk 2"))) == []


@pytest.mark.sqlite_only
def test_bulk_raises_the_page_cache_for_its_duration_only(store):
    from geo.store.sqlite.store import BULK_CACHE_KIB

    conn = store._conn()
    default = conn.execute("PRAGMA cache_size").fetchone()[0]
    with store.bulk():
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -BULK_CACHE_KIB
        store.put_events([ev("in-bulk")])
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == default
    assert store.get("in-bulk") is not None


def test_put_rejects_non_events_and_rolls_back(store):
    with pytest.raises(ValidationError, match="Event objects"):
        store.put_events([ev("ok"), {"event_id": "dict"}])
    assert store.count() == 0


def test_bbox_points_and_areas(store):
    store.put_events(
        [
            ev("kyiv", lat=50.45, lon=30.52),
            ev("kursk_city", lat=51.73, lon=36.19),
            ev("oblast", lat=51.7, lon=36.2, geometry=KURSK_OBLAST, geo_precision="admin1"),
            ev("nowhere", latitude=None, longitude=None),
        ]
    )
    assert ids(store.query(EventQuery(bbox=(30, 50, 31, 51)))) == ["kyiv"]
    # A box touching only the area's eastern part finds the area, not the city point.
    assert ids(store.query(EventQuery(bbox=(38, 52, 39, 53)))) == ["oblast"]
    assert set(ids(store.query(EventQuery(bbox=(22, 44, 40, 53))))) == {
        "kyiv",
        "kursk_city",
        "oblast",
    }
    # The R*Tree's float32 rounding never lets a point just outside the box in.
    store.put_events([ev("edge", lat=50.0000001, lon=20.0)])
    assert ids(store.query(EventQuery(bbox=(19, 49, 21, 50.0)))) == []
    assert ids(store.query(EventQuery(bbox=(19, 49, 21, 50.0000001)))) == ["edge"]


def test_bbox_crossing_antimeridian(store):
    store.put_events([ev("east", lat=60, lon=179.5), ev("west", lat=60, lon=-179.5), ev("mid")])
    assert set(ids(store.query(EventQuery(bbox=(179, 59, -179, 61))))) == {"east", "west"}


@pytest.mark.parametrize(
    ("bbox", "match"),
    [
        pytest.param((1, 2, 3), "four numbers", id="three"),
        pytest.param(("a", 1, 2, 3), "four numbers", id="text"),
        pytest.param((0, 50, 1, 40), "min_lat <= max_lat", id="lat-order"),
        pytest.param((0, -95, 1, 40), "latitudes", id="lat-range"),
        pytest.param((-200, 0, 1, 1), "longitudes", id="lon-range"),
        pytest.param((0, 0, float("nan"), 1), "four numbers", id="nan"),
    ],
)
def test_bad_bbox_is_a_validation_error(store, bbox, match):
    with pytest.raises(ValidationError, match=match) as info:
        store.count(EventQuery(bbox=bbox))
    assert info.value.field == "bbox"


def test_date_interval_overlap(store):
    store.put_events(
        [
            ev("jan9", start="2025-01-09"),
            ev("late2024", start="2024-10-01", end="2024-12-31", date_precision="range"),
            ev("since_aug", start="2024-08-06", end="2025-03-01", date_precision="range"),
            ev("feb", start="2025-02-15"),
        ]
    )

    def window(start=None, end=None):
        return set(ids(store.query(EventQuery(start=start, end=end))))

    assert window(date(2025, 1, 1), date(2025, 1, 31)) == {"jan9", "since_aug"}
    assert window(date(2024, 12, 31), date(2024, 12, 31)) == {"late2024", "since_aug"}
    assert window(start=date(2025, 2, 1)) == {"since_aug", "feb"}
    assert window(end=date(2024, 9, 1)) == {"since_aug"}
    assert window("2025-01-09", "2025-01-09") == {"jan9", "since_aug"}
    with pytest.raises(ValidationError, match="after end"):
        window(date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(ValidationError, match="ISO date"):
        window("2025-02-30")


def test_type_status_actor_ids_filters(store):
    store.put_events(
        [
            ev(
                "a",
                "capture",
                actor1="Military Forces of Ukraine",
                actor2="Military Forces of North Korea",
                status="corroborated",
            ),
            ev("b", "deployment", actor1="Military Forces of North Korea"),
            ev("c", "statement", claimed_by="Government of Russia", status="reviewed"),
            ev("d", "attack", actor1="50%_percent actor"),
        ]
    )
    assert ids(store.query(EventQuery(types=("capture", "deployment")))) == ["a", "b"]
    assert ids(store.query(EventQuery(statuses=("reviewed",)))) == ["c"]
    assert ids(store.query(EventQuery(actors=("north korea",)))) == ["a", "b"]
    assert ids(store.query(EventQuery(actors=("russia", "ukraine")))) == ["a", "c"]
    # LIKE wildcards in the filter are matched literally.
    assert ids(store.query(EventQuery(actors=("%",)))) == ["d"]
    assert ids(store.query(EventQuery(actors=("_p",)))) == ["d"]
    assert ids(store.query(EventQuery(ids=("c", "a", "zzz")))) == ["a", "c"]
    with pytest.raises(ValidationError, match="types must be among") as info:
        store.count(EventQuery(types=("battle",)))
    assert info.value.field == "types"
    with pytest.raises(ValidationError, match="statuses"):
        store.count(EventQuery(statuses=("confirmed",)))


def test_free_text_over_summary_places_actors_quotes(store):
    store.put_events(
        [
            ev("s", summary="Soldiers captured near the border"),
            ev("p", location_name="Kursk Oblast", name_in_text="Kurskaya"),
            ev("a", actor1="Military Forces of North Korea"),
            ev("q", sources=[{"source_id": "x", "quote": "Zelensky said the prisoners talked"}]),
            ev("d", location_name="Pokrovs'k", summary="Shelling of Zaporizhzhia"),
        ]
    )

    def text(t):
        return ids(store.query(EventQuery(text=t)))

    assert text("captured") == ["s"]
    assert text("captur") == ["s"]  # prefix match
    assert text("KURSK oblast") == ["p"]
    assert text("korea") == ["a"]
    assert text("prisoners zelensky") == ["q"]
    assert text("prisoners moscow") == []
    assert text('"; DROP TABLE events; --') == []
    assert store.count() == 5
    with pytest.raises(ValidationError, match="at least one word"):
        text("!!!")


def test_source_filter_by_id_publisher_url(store):
    store.put_events(
        [
            ev(
                "one",
                sources=[{"source_id": "art-1", "publisher": "BBC News", "url": "https://x/1"}],
            ),
            ev(
                "two",
                sources=[
                    {"source_id": "art-2", "publisher": "Reuters"},
                    {"source_id": "art-1", "publisher": "BBC News"},
                ],
            ),
        ]
    )
    assert ids(store.query(EventQuery(source="art-1"))) == ["one", "two"]
    assert ids(store.query(EventQuery(source="bbc news"))) == ["one", "two"]
    assert ids(store.query(EventQuery(source="reuters"))) == ["two"]
    assert ids(store.query(EventQuery(source="https://x/1"))) == ["one"]
    assert ids(store.query(EventQuery(source="' OR 1=1 --"))) == []


def test_stable_order_and_paging_across_chunks(store):
    events = [
        ev(f"id{i:04d}", start=f"2025-01-{1 + i % 28:02d}", lat=45 + i % 7, lon=25 + i % 11)
        for i in range(1234)
    ]
    store.put_events(reversed(events))
    expected = [e.event_id for e in sorted(events, key=lambda e: (e.date_start, e.event_id))]
    assert ids(store.query()) == expected
    assert store.count() == 1234
    assert ids(store.query(EventQuery(limit=700, offset=400))) == expected[400:1100]
    assert ids(store.query(EventQuery(limit=10, offset=1230))) == expected[1230:]
    assert ids(store.query(EventQuery(limit=0))) == []
    assert store.count(EventQuery(limit=3, offset=5)) == 1234
    with pytest.raises(ValidationError, match="limit"):
        store.query(EventQuery(limit=-1))


def test_pages_of_a_date_window_are_slices_of_the_whole_result(store):
    # Events that begin before the window and last into it come first, then those that
    # begin in it (the PostGIS store reads the two apart).
    events = []
    for i in range(300):
        start = date(2025, 1, 1) + timedelta(days=i % 90)
        span = (i * 7) % 45 if i % 3 == 0 else 0
        events.append(ev(f"p{i:03d}", start=start.isoformat(),
                         end=(start + timedelta(days=span)).isoformat(),
                         date_precision="range" if span else "day",
                         lat=49 + i % 3, lon=29 + i % 4))  # fmt: skip
    store.put_events(events)
    for window in (
        dict(start=date(2025, 2, 1), end=date(2025, 2, 20)),
        dict(start=date(2025, 2, 1)),
        dict(start=date(2025, 2, 1), end=date(2025, 2, 20), bbox=(28.5, 48.5, 30.5, 50.5)),
    ):
        whole = ids(store.query(EventQuery(**window)))
        assert len(whole) > 20
        assert any(store.get(i).date_start < date(2025, 2, 1) for i in whole)
        for limit, offset in ((10, 0), (25, 5), (50, 40), (7, len(whole) - 3)):
            page = ids(store.query(EventQuery(**window, limit=limit, offset=offset)))
            assert page == whole[offset : offset + limit]
            features = store.query_features(EventQuery(**window, limit=limit, offset=offset))
            assert [json.loads(f)["id"] for f in features] == page


def test_query_streams_one_snapshot_while_writes_go_on(store):
    store.put_events([ev(f"e{i:04d}") for i in range(1100)])
    stream = store.query()
    first = next(stream)
    # A write from this thread while the stream is open neither blocks nor breaks it; the
    # stream keeps the snapshot it started with (a consistent export).
    store.put_events([ev("zzzz")])
    rest = list(stream)
    assert first.event_id == "e0000" and len(rest) == 1099
    assert "zzzz" not in ids(rest) and store.get("zzzz") is not None
    assert len(list(store.query())) == 1101


def test_query_inside_a_transaction_sees_its_own_writes(store):
    with store.transaction():
        store.put_events([ev("pending", summary="uncommitted")])
        assert ids(store.query(EventQuery(text="uncommitted"))) == ["pending"]
        assert store.count() == 1


def test_nested_queries_and_abandoned_streams(store):
    store.put_events([ev(f"e{i}") for i in range(5)])
    outer = store.query()
    pairs = [(a.event_id, len(list(store.query()))) for a in outer]
    assert pairs == [(f"e{i}", 5) for i in range(5)]
    for _ in range(20):  # abandoned generators give their connection back
        next(store.query())
    assert len(store._idle_readers) <= 4


def test_query_validates_eagerly(store):
    with pytest.raises(ValidationError, match="offset"):
        store.query(EventQuery(offset=-1))
    with pytest.raises(ValidationError, match="limit"):
        store.query(EventQuery(limit="10"))


def test_extra_filters(store):
    store.put_events([ev("ua", country_code="UA", geonameid=1), ev("ru", country_code="RU")])
    assert ids(store.query(EventQuery(extra={"country_code": "RU"}))) == ["ru"]
    assert ids(store.query(EventQuery(extra={"geonameid": 1}))) == ["ua"]
    stamp = store.get("ua").updated_at
    assert len(ids(store.query(EventQuery(extra={"updated_since": stamp})))) == 2
    assert ids(store.query(EventQuery(extra={"updated_since": "9999-01-01T00:00:00Z"}))) == []
    with pytest.raises(ValidationError, match="unknown extra filter 'colour'"):
        store.count(EventQuery(extra={"colour": "red"}))


def test_nested_transactions_commit_or_roll_back_together(store):
    with store.transaction():
        store.put_events([ev("a")])
        with store.transaction():
            store.put_events([ev("b")])
        store.put_article({"article_id": "art", "text": "t"})
    assert store.count() == 2 and store.get_article("art")

    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_events([ev("c")])
            with store.transaction():
                store.put_events([ev("d")])
            raise RuntimeError("boom")
    assert store.get("c") is None and store.get("d") is None

    with store.transaction():
        store.put_events([ev("e")])
        try:
            with store.transaction():
                store.put_events([ev("f")])
                raise ValueError("inner only")
        except ValueError:
            pass
    assert store.get("e") is not None and store.get("f") is None


def test_other_connections_do_not_see_uncommitted_writes(store, tmp_path):
    other = open_store(store.url)
    with store.transaction():
        store.put_events([ev("pending")])
        assert other.get("pending") is None
    assert other.get("pending") is not None
    other.close()


def test_delete_is_recorded_never_silent(store):
    event = ev("gone", summary="wrong place")
    store.put_events([event, ev("kept")])
    store.delete_event("gone", reason="duplicate of kept", by="analyst@example")
    assert store.get("gone") is None
    assert ids(store.query()) == ["kept"]
    assert store.count() == 1
    assert ids(store.query(EventQuery(include_deleted=True))) == ["gone", "kept"]
    (record,) = store.deletions()
    assert record["event_id"] == "gone"
    assert record["reason"] == "duplicate of kept" and record["by"] == "analyst@example"
    assert record["event"]["summary"] == "wrong place"
    assert record["deleted_at"] == store.data_as_of()
    with pytest.raises(NotFoundError, match="'gone'"):
        store.delete_event("gone", reason="again", by="x")
    with pytest.raises(ValidationError, match="reason") as info:
        store.delete_event("kept", reason="  ", by="x")
    assert info.value.field == "reason"
    assert store.get("kept") is not None


def test_reviewed_and_deleted_events_are_protected(store):
    reviewed = ev("r", summary="analyst's wording", status="reviewed")
    store.put_events([reviewed, ev("d", summary="auto")])
    store.delete_event("d", reason="not an event", by="analyst")

    auto_r = ev("r", summary="automatic wording", extraction="rules-v1")
    auto_d = ev("d", summary="auto again", extraction="rules-v1")
    result = store.put_events([auto_r, auto_d, ev("new")])
    assert set(result.protected) == {"r", "d"} and result.written == 1
    assert store.get("r").summary == "analyst's wording"
    assert store.get("d") is None

    # An analyst's own edits (reviewed, or overwrite_reviewed) go through.
    store.put_events([auto_r], overwrite_reviewed=True)
    assert store.get("r").summary == "automatic wording"
    store.put_events([auto_d.replace(status="reviewed")])
    assert store.get("d").summary == "auto again"


def test_articles(store):
    store.put_article(
        {"article_id": "b", "title": "T", "published_at": "2025-01-12", "text": "Body"}
    )
    store.put_article({"article_id": "a", "title": "A", "text": "Другой текст"})
    assert store.get_article("b") == {
        "article_id": "b",
        "title": "T",
        "published_at": "2025-01-12",
        "text": "Body",
    }
    assert store.get_article("a")["text"] == "Другой текст"
    assert [a["article_id"] for a in store.articles()] == ["a", "b"]
    assert all("text" not in a for a in store.articles())
    assert store.get_article("zzz") is None
    with pytest.raises(ValidationError, match="article_id"):
        store.put_article({"title": "no id"})


def test_tokens_store_only_a_hash(store):
    secret = store.create_token("alice")
    assert len(secret) >= 40
    assert store.verify_token(secret) == "alice"
    assert store.verify_token(secret + "x") is None
    assert store.verify_token("") is None
    assert store.verify_token(None) is None
    assert secret not in repr(raw(store, "SELECT * FROM tokens"))
    rotated = store.create_token("alice")
    assert store.verify_token(secret) is None and store.verify_token(rotated) == "alice"
    assert [t["name"] for t in store.tokens()] == ["alice"]
    assert store.revoke_token("alice") is True
    assert store.verify_token(rotated) is None
    with pytest.raises(ValidationError, match="name"):
        store.create_token(" ")


def test_not_sqlite_file_is_a_store_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="notes.sqlite"):
        SQLiteStore(path)


def test_quick_check_runs_once_per_change_of_the_file_and_finds_damage(tmp_path, monkeypatch):
    """Opening runs SQLite's quick_check only when the file changed since one passed; damage
    is found even when the modification time is set back (the change time moves)."""
    import os

    from geo.store.sqlite import health

    path = tmp_path / "s.sqlite"
    store = SQLiteStore(path)
    store.put_events([ev(f"ev-{i:04d}", summary="x" * 400) for i in range(400)])
    store.close()
    checks = []
    real = health.quick_check
    monkeypatch.setattr(health, "quick_check", lambda conn: checks.append(1) or real(conn))
    SQLiteStore(path).close()
    assert len(checks) == 1 and (tmp_path / "s.sqlite-checked").is_file()
    with SQLiteStore(path) as store:  # the same bytes: no check
        assert store.count() == 400
    assert len(checks) == 1
    with SQLiteStore(path) as store:  # a write changes the file: the next open checks
        store.put_events([ev("ev-new")])
    SQLiteStore(path).close()
    assert len(checks) == 2
    SQLiteStore(path).close()
    assert len(checks) == 2
    # the second half of the pages (events, not the schema) overwritten, size and
    # modification time kept
    before = path.stat()
    half = before.st_size // 8192 * 4096
    with open(path, "r+b") as fh:
        fh.seek(half)
        fh.write(b"\xa5" * (before.st_size - half))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    with pytest.raises(StoreError, match="s.sqlite' is damaged"):
        SQLiteStore(path)
    assert len(checks) == 3


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a conflictmap event store"):
        SQLiteStore(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 99"):
        SQLiteStore(path)


def test_open_store_paths_and_urls(tmp_path, monkeypatch):
    path = tmp_path / "x.sqlite"
    with open_store(f"sqlite:///{path}") as s:
        s.put_events([ev("a")])
    with open_store(path) as s:
        assert s.get("a") is not None
    monkeypatch.setenv("CONFLICTMAP_STORE", str(path))
    with open_store() as s:
        assert s.count() == 1
    with pytest.raises(StoreError, match="unknown scheme 'pg'"):
        open_store("pg://host/db")


def test_threads_use_their_own_connections(store):
    errors = []

    def writer(prefix):
        try:
            for i in range(20):
                store.put_events([ev(f"{prefix}{i:02d}")])
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(p,)) for p in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.count() == 60


KILL_SCRIPT = """
import os, signal, sys
from geo.events.model import Event
from geo.store.sqlite.store import SQLiteStore
store = SQLiteStore(sys.argv[1])
store.put_events([Event.from_dict({"event_id": "committed", "event_type": "attack",
                                   "date_start": "2025-01-01"})])
with store.transaction():
    store.put_article({"article_id": "half", "text": "x"})
    store.put_events([Event.from_dict({"event_id": f"half{i}", "event_type": "attack",
                                       "date_start": "2025-01-02"}) for i in range(500)])
    print("inside", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_sigkill_mid_transaction_leaves_a_clean_store(tmp_path):
    path = tmp_path / "killed.sqlite"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -9 and "inside" in proc.stdout
    with SQLiteStore(path) as store:
        assert ids(store.query()) == ["committed"]
        assert store.get_article("half") is None
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_geometry_bounds():
    assert geometry_bounds(KURSK_OBLAST) == (34.1, 50.9, 38.5, 52.4)
    multi = {"type": "MultiPoint", "coordinates": [[1, 2], [-3, 4]]}
    assert geometry_bounds(multi) == (-3.0, 2.0, 1.0, 4.0)
    coll = {
        "type": "GeometryCollection",
        "geometries": [multi, {"type": "Point", "coordinates": [9, -9]}],
    }
    assert geometry_bounds(coll) == (-3.0, -9.0, 9.0, 4.0)
    assert geometry_bounds({"type": "Polygon", "coordinates": []}) is None


def test_data_as_of_moves_with_writes(store):
    assert store.data_as_of() is None
    store.put_article({"article_id": "a", "text": "x"})
    first = store.data_as_of()
    assert first is not None
    time.sleep(1.1)
    store.put_events([ev("a")])
    assert store.data_as_of() > first


def test_store_validates_events_built_without_from_dict(store):
    bad = ev("ok").replace(event_type="battle")
    with pytest.raises(ValidationError, match="event_type must be one of"):
        store.put_events([ev("first"), bad])
    assert store.count() == 0
    normalised = ev("cc").replace(country_code="ua")
    store.put_events([normalised])
    assert store.get("cc").country_code == "UA"


def test_sources_built_in_code_are_validated_and_validated_ones_kept():
    from geo.events.model import Source

    raw = Source(source_id="a1", published_at="2025-01-09T10:00:00", start=5, end=2)
    with pytest.raises(ValidationError, match="end 2 is before start 5"):
        ev("x").replace(sources=(raw,)).checked()
    fixed = Source(source_id="a1", published_at="2025-01-09T10:00:00")
    checked = ev("x").replace(sources=(fixed,)).checked()
    assert checked.sources[0] == Source(source_id="a1", published_at="2025-01-09")
    assert checked.sources[0] is not fixed  # normalised: a new, validated source
    again = checked.replace(summary="more").checked()
    assert again.sources[0] is checked.sources[0]  # validated once, then kept as it is
    assert again.to_dict()["sources"] == checked.to_dict()["sources"]
    again.to_dict()["sources"][0]["quote"] = "changed"  # callers may change their copy
    assert again.sources[0].to_dict()["quote"] is None


def test_schema_1_store_is_migrated(tmp_path):
    path = tmp_path / "v1.sqlite"
    with SQLiteStore(path) as s:
        s.put_events([ev("a", start="2025-01-09", lat=50, lon=30), ev("b", start="2024-01-01")])
    downgrade_to_4(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE events_rtree")
    conn.execute("DROP TABLE events_span")
    conn.execute("CREATE VIRTUAL TABLE events_rtree USING rtree(id, a, b, c, d)")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as s:
        q = EventQuery(bbox=(29, 49, 31, 51), start=date(2025, 1, 1))
        assert ids(s.query(q)) == ["a"]
        assert ids(s.query(EventQuery(end=date(2024, 6, 1)))) == ["b"]
    version = sqlite3.connect(path).execute("SELECT value FROM meta WHERE key='schema_version'")
    assert version.fetchone()[0] == "5"


def test_bbox_and_dates_together(store):
    store.put_events(
        [
            ev("in", start="2025-01-09", lat=50, lon=30),
            ev("late", start="2025-03-01", lat=50, lon=30),
            ev("far", start="2025-01-09", lat=60, lon=30),
            ev("span", start="2024-12-01", end="2025-02-01", lat=50.5, lon=30.5),
        ]
    )
    q = EventQuery(bbox=(29, 49, 31, 51), start=date(2025, 1, 5), end=date(2025, 1, 20))
    assert ids(store.query(q)) == ["span", "in"]
    assert store.count(q) == 2
    assert ids(store.query(EventQuery(bbox=(29, 49, 31, 51), end=date(2024, 12, 31)))) == ["span"]


def test_rows_from_another_model_version_still_load(store):
    """A stored row missing a field (older model) goes through Event.from_dict."""
    store.put_events([ev("old", summary="s", sources=[{"source_id": "a", "quote": "q"}])])
    if isinstance(store, SQLiteStore):  # the event is stored as its packed Feature text
        feature = json.loads(unpack_feature(raw(store, "SELECT body FROM event_docs")[0][0]))
        row = feature["properties"]
    else:
        row = json.loads(raw(store, "SELECT json FROM events")[0][0])
    del row["notes"]
    del row["sources"][0]["title"]
    if isinstance(store, SQLiteStore):
        raw(store, "UPDATE event_docs SET body = ?", (pack_feature(json.dumps(feature)),))
    else:
        raw(store, "UPDATE events SET json = ?", (json.dumps(row),))
    got = store.get("old")
    assert got.notes is None and got.sources[0].title is None and got.summary == "s"


def test_extent_of_live_events(store):
    assert store.extent() == (None, None)
    store.put_events(
        [
            ev("a", start="2024-08-06", end="2025-03-01", lat=51.0, lon=35.0),
            ev("b", start="2025-01-09", geometry=KURSK_OBLAST, lat=51.7, lon=36.2),
            ev("c", start="2023-01-01", lat=10.0, lon=10.0),
        ]
    )
    store.delete_event("c", reason="test", by="t")
    dates, bounds = store.extent()
    assert dates == {"start": "2024-08-06", "end": "2025-03-01"}
    assert bounds == [[50.9, 34.1], [52.4, 38.5]]


def test_folder_path_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match=str(tmp_path.name)):
        SQLiteStore(tmp_path)


def test_free_text_fallback_without_fts5(tmp_path, monkeypatch):
    """Where SQLite lacks FTS5, free text falls back to LIKE over the same columns."""
    from geo.store.sqlite import schema as _sqlite_schema

    monkeypatch.setattr(_sqlite_schema, "_fts5_available", lambda conn: False)
    with SQLiteStore(tmp_path / "nofts.sqlite") as s:
        assert s.fts is False
        s.put_events(
            [
                ev("a", summary="Soldiers CAPTURED near the border"),
                ev("b", actor1="Military Forces of North Korea"),
                ev("c", summary="100% of 50_50"),
            ]
        )
        assert ids(s.query(EventQuery(text="captured border"))) == ["a"]
        assert ids(s.query(EventQuery(text="korea"))) == ["b"]
        assert ids(s.query(EventQuery(text="50_50"))) == ["c"]
        s.put_events([ev("a", summary="changed")])
        assert ids(s.query(EventQuery(text="captured"))) == []
    monkeypatch.undo()
    with SQLiteStore(tmp_path / "nofts.sqlite") as again:  # the mode is kept in the file
        assert again.fts is False and ids(again.query(EventQuery(text="korea"))) == ["b"]


WRITER_SCRIPT = """
import sys
from geo.events.model import Event
from geo.store.sqlite.store import SQLiteStore
store = SQLiteStore(sys.argv[1])
for i in range(40):
    with store.transaction():
        store.put_article({"article_id": f"{sys.argv[2]}-{i}", "text": "x"})
        store.put_events([Event.from_dict({"event_id": f"{sys.argv[2]}-{i}",
                                           "event_type": "attack", "date_start": "2025-01-01",
                                           "latitude": 50, "longitude": 30})])
"""


def test_two_processes_write_concurrently(tmp_path):
    path = tmp_path / "shared.sqlite"
    SQLiteStore(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, str(path), name])
        for name in ("p", "q")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with SQLiteStore(path) as store:
        assert store.count() == 80 and len(store.articles()) == 80


def test_missing_indexes_are_added_on_open(tmp_path):
    path = tmp_path / "old.sqlite"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX events_live")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as store:
        plan = (
            store._conn()
            .execute("EXPLAIN QUERY PLAN SELECT count(*) FROM events e WHERE e.deleted = 0")
            .fetchall()
        )
        assert "events_live" in str(plan)


@pytest.mark.parametrize(
    ("query", "driver"),
    [
        pytest.param(
            EventQuery(bbox=(29, 49, 31, 51), start=date(2025, 1, 1), end=date(2025, 2, 1)),
            "events_rtree",
            id="bbox-dates",
        ),
        pytest.param(EventQuery(start=date(2025, 1, 1), end=date(2025, 2, 1)), "events_span",
                     id="dates"),
        pytest.param(EventQuery(text="capture"), "events_fts", id="text"),
        pytest.param(EventQuery(source="BBC"), "event_sources", id="source"),
        pytest.param(EventQuery(types=("attack",)), "events_type_days", id="type-count"),
        pytest.param(
            EventQuery(types=("attack",), statuses=("claimed",), bbox=(29, 49, 31, 51),
                       start=date(2025, 1, 1), end=date(2025, 2, 1)),
            "events_rtree",
            id="bbox-dates-type-status",
        ),
        pytest.param(EventQuery(types=("attack",), start=date(2025, 1, 1)), "events_span",
                     id="dates-type"),
        pytest.param(EventQuery(), "events_live", id="all"),
    ],
)  # fmt: skip
@pytest.mark.sqlite_only
def test_query_plans_use_the_selective_index(store, query, driver):
    """Guards the planner's choice: a scan of all live events would be 10x slower at 100k."""
    from geo.store.sqlite.schema import where_clause

    store.put_events([ev(f"e{i}", lat=45 + i % 5, lon=25 + i % 7) for i in range(300)])
    where, params = where_clause(query)
    statements = [f"SELECT count(*) FROM events e WHERE {where}"]
    if driver != "events_type_days":  # ordered by type: a scan in date order is as good
        statements.append(
            f"SELECT e.rid FROM events e WHERE {where} ORDER BY e.date_start, e.event_id"
        )
    for sql in statements:
        plan = str(store._conn().execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
        assert driver in plan
        if driver != "events_live":
            assert "events_live" not in plan
        if driver != "events_type_days":
            assert "events_type_days" not in plan and "events_status_live" not in plan


@pytest.mark.sqlite_only
def test_a_failing_write_is_a_store_error_and_changes_nothing(store):
    store.put_events([ev("kept", summary="before")])
    conn = store._conn()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
    big = [ev(f"big{i}", summary="x" * 4000) for i in range(50)]
    with pytest.raises(StoreError, match="failed and was rolled back: database or disk is full"):
        store.put_events([ev("kept", summary="after"), *big])
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.get("kept").summary == "before" and store.count() == 1
    store.put_events([ev("later")])  # the store keeps working
    assert store.count() == 2


# -- property: the SQL filters agree with a plain Python reading of the same rules -----------


_DAY0 = date(2024, 1, 1)


@st.composite
def _random_events(draw):
    events = []
    for i in range(draw(st.integers(1, 40))):
        lon = draw(st.floats(-179.5, 179, allow_nan=False))
        lat = draw(st.floats(-89, 88, allow_nan=False))
        start = _DAY0 + timedelta(days=draw(st.integers(0, 120)))
        end = start + timedelta(days=draw(st.sampled_from([0, 0, 3, 40])))
        data = {"lat": lat, "lon": lon, "start": start.isoformat(), "end": end.isoformat()}
        if draw(st.booleans()):
            w, h = draw(st.floats(0.01, 0.5)), draw(st.floats(0.01, 1))
            ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
            data["geometry"] = {"type": "Polygon", "coordinates": [ring]}
        kind = draw(st.sampled_from(["attack", "capture", "movement"]))
        events.append(ev(f"e{i:02d}", kind, **data))
    return events


def _expected(events, bbox, start, end, types):
    from geo.store.sqlite.rows import event_bounds

    out = []
    for e in events:
        if types and e.event_type not in types:
            continue
        if start and e.date_end < start or end and e.date_start > end:
            continue
        if bbox:
            b = event_bounds(e)
            lons = [(bbox[0], bbox[2])] if bbox[0] <= bbox[2] else [(bbox[0], 180), (-180, bbox[2])]
            if not (
                b[1] <= bbox[3]
                and b[3] >= bbox[1]
                and any(b[0] <= hi and b[2] >= lo for lo, hi in lons)
            ):
                continue
        out.append(e)
    return [e.event_id for e in sorted(out, key=lambda e: (e.date_start, e.event_id))]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    events=_random_events(),
    box=st.one_of(
        st.none(),
        st.tuples(st.floats(-180, 180), st.floats(-90, 80), st.floats(-180, 180), st.floats(0, 60)),
    ),
    start=st.one_of(st.none(), st.integers(0, 160)),
    span=st.one_of(st.none(), st.integers(0, 60)),
    types=st.sets(st.sampled_from(["attack", "capture", "movement"]), max_size=2),
)
def test_filters_agree_with_python(store, events, box, start, span, types):
    bbox = None if box is None else (box[0], box[1], box[2], min(90.0, box[1] + box[3]))
    start_d = None if start is None else _DAY0 + timedelta(days=start)
    end_d = None if span is None else (start_d or _DAY0) + timedelta(days=span)
    with store.transaction():  # one store for every example: empty it
        for event_id in ids(store.query()):
            store.delete_event(event_id, reason="next example", by="test")
    store.put_events(events, overwrite_reviewed=True)  # deleted ids come back
    q = EventQuery(bbox=bbox, start=start_d, end=end_d, types=tuple(types))
    expected = _expected(events, bbox, start_d, end_d, types)
    assert ids(store.query(q)) == expected
    assert store.count(q) == len(expected)


def test_day_counts_group_the_matching_events_by_day_and_type(store):
    from geo.store.base import EventStore

    def one(event_id, kind, day, lat=50.0):
        return Event.from_dict({"event_id": event_id, "event_type": kind, "date_start": day,
                                "latitude": lat, "longitude": 30.0})  # fmt: skip

    store.put_events([one("a", "attack", "2024-01-02"), one("b", "attack", "2024-01-02"),
                      one("c", "capture", "2024-01-02"), one("d", "attack", "2024-01-05"),
                      one("e", "attack", "2024-01-05", lat=10.0)])  # fmt: skip
    store.delete_event("d", reason="duplicate", by="t")
    assert store.day_counts() == [
        ("2024-01-02", "attack", 2),
        ("2024-01-02", "capture", 1),
        ("2024-01-05", "attack", 1),
    ]
    q = EventQuery(bbox=(29, 45, 31, 55), types=("attack",), limit=1)
    assert store.day_counts(q) == [("2024-01-02", "attack", 2)]
    # the generic default (any store) agrees with the backend's SQL
    assert EventStore.day_counts(store, q) == store.day_counts(q)


@pytest.mark.sqlite_only
def test_a_histogram_of_a_box_read_from_the_types_index_counts_what_the_rows_say(
    store, monkeypatch
):
    """A box holding many events is counted from ``events_type_days`` alone: the same
    counts as the rows give, on the edges of the box, across the antimeridian, without
    deleted or unplaced events, and through a plan that reads no table row."""
    import geo.store.sqlite.store as sqlite_store
    from geo.store.base import EventStore
    from geo.store.sqlite import schema

    events = [
        ev(f"p{i}", ("attack", "capture", "movement")[i % 3], f"2024-03-{1 + i % 9:02d}",
           lat=49 + (i % 7) * 0.5, lon=29 + (i % 11) * 0.5)
        for i in range(120)
    ]  # fmt: skip
    events += [
        ev("area", "attack", "2024-03-02", geometry=KURSK_OBLAST),  # outline across the edge
        ev("east", "attack", "2024-03-03", lat=60.0, lon=179.5),
        ev("west", "capture", "2024-03-03", lat=60.0, lon=-179.5),
        ev("edge", "movement", "2024-03-04", lat=50.0, lon=31.0),  # on the box's edge
        Event.from_dict(
            {"event_id": "nowhere", "event_type": "attack", "date_start": "2024-03-02"}
        ),  # fmt: skip
    ]
    store.put_events(events)
    store.delete_event("p5", reason="duplicate", by="t")
    boxes = [(31.0, 49.0, 33.2, 51.0), (35.0, 50.0, 36.0, 51.0), (179.0, 59.0, -179.0, 61.0),
             (-180.0, -90.0, 180.0, 90.0)]  # fmt: skip
    queries = [EventQuery(bbox=b) for b in boxes]
    queries += [EventQuery(bbox=boxes[0], types=("attack", "movement"))]
    by_rows = [store.day_counts(q) for q in queries]
    assert by_rows[0] and by_rows[2] == [("2024-03-03", "attack", 1), ("2024-03-03", "capture", 1)]
    # every box is now "big": read from the index
    monkeypatch.setattr(sqlite_store, "HISTOGRAM_ROWS_MIN", 0)
    monkeypatch.setattr(sqlite_store, "HISTOGRAM_SHARE", 10**9)
    statements = []
    store._conn().set_trace_callback(statements.append)
    by_index = [store.day_counts(q) for q in queries]
    store._conn().set_trace_callback(None)
    assert sum("INDEXED BY events_type_days" in s for s in statements) == len(queries)
    assert by_index == by_rows
    assert by_index == [EventStore.day_counts(store, q) for q in queries]
    sql, params = schema.histogram_scan(queries[0], ("attack", "capture", "movement"))
    plan = str(store._conn().execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "COVERING INDEX events_type_days" in plan
    # other filters than a box and types need the rows: not read from the index
    assert schema.histogram_scan(EventQuery(bbox=boxes[0], statuses=("claimed",)), ("a",)) is None
    assert schema.histogram_scan(EventQuery(bbox=boxes[0], start=date(2024, 3, 2)), ("a",)) is None


@pytest.mark.sqlite_only
def test_a_store_with_the_old_types_index_gets_the_histogram_index_on_open(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    with SQLiteStore(path) as store:
        store.put_events([ev("a", lat=50.0, lon=30.0), ev("b", "capture", lat=51.0, lon=31.0)])
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX events_type_days")  # as a store written before it
    conn.execute("CREATE INDEX events_type_live ON events(event_type, deleted, date_start)")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as store:
        names = {r[0] for r in store._conn().execute("SELECT name FROM sqlite_master")}
        assert "events_type_days" in names and "events_type_live" not in names
        entries = (
            store._conn()
            .execute(
                "SELECT event_type, min_lon, max_lat FROM events INDEXED BY events_type_days "
                "WHERE event_type IN ('attack', 'capture') ORDER BY event_type"
            )
            .fetchall()
        )
        assert entries == [("attack", 30.0, 50.0), ("capture", 31.0, 51.0)]
        assert store.day_counts(EventQuery(bbox=(29, 49, 32, 52))) == [
            ("2025-01-09", "attack", 1),
            ("2025-01-09", "capture", 1),
        ]
    # a file the index could not be added to (read-only) counts from the rows
    from geo.store.sqlite import schema

    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX events_type_days")
    conn.commit()
    conn.close()
    kept = tuple(sql for sql in schema._INDEXES if "events_type_days" not in sql)
    monkeypatch.setattr(schema, "_INDEXES", kept)
    monkeypatch.setattr("geo.store.sqlite.store.HISTOGRAM_ROWS_MIN", 0)
    with SQLiteStore(path) as store:
        assert not store._type_days
        assert store.day_counts(EventQuery(bbox=(29, 49, 32, 52))) == [
            ("2025-01-09", "attack", 1),
            ("2025-01-09", "capture", 1),
        ]
