"""``conflictmap store copy``: SQLite → PostGIS and back, resumable, with a count check.

``store`` is each backend in turn (conftest); the copy goes to the other one and back.
"""

import time

import pytest
from click.testing import CliRunner

from geo.events.model import Event
from geo.frontlines import FrontLineVersion
from geo.store.base import RECORD_KINDS, EventQuery, open_store
from geo.store.sqlite.store import SQLiteStore
from webapp.cli import main
from webapp.cli.store import copy_store


def ev(event_id, **kw):
    data = {"event_id": event_id, "event_type": "attack", "date_start": "2025-01-09",
            "latitude": 50.0, "longitude": 30.0}  # fmt: skip
    data.update(kw)
    return Event.from_dict(data)


def fill(store, n=1203):
    store.put_article({"article_id": "art-1", "title": "Т", "text": "Shelling near Kupiansk."})
    store.put_article({"article_id": "art-2", "title": "Two", "text": None})
    store.put_events(
        [
            ev(
                f"e{i:05d}",
                summary=f"event {i} «quoted»",
                lat=45 + i % 7,
                lon=25 + i % 11,
                sources=[{"source_id": f"art-{i % 3}", "publisher": "Desk", "quote": "q"}],
            )
            for i in range(n)
        ]  # fmt: skip
    )
    store.put_events(
        [ev("area", geometry={"type": "Polygon", "coordinates": [[[34, 50], [36, 50],
            [36, 52], [34, 52], [34, 50]]]}, geo_precision="admin1", status="reviewed")]
    )  # fmt: skip
    store.delete_event("e00003", reason="duplicate", by="analyst")
    store.delete_event("e00004", reason="not an event", by="analyst")
    for day, name in (("2024-08-06", "Sudzha «salient»"), ("2024-09-01", "later")):
        line = {"type": "LineString", "coordinates": [[35.1, 51.2], [35.4, 51.25]]}
        store.put_front_lines(FrontLineVersion(
            source="ISW", valid_from=day, file_name="isw.kml", features=(
                {"type": "Feature", "geometry": line, "properties": {"name": name}},)))  # fmt: skip
    return store.create_token("alice")


def other_store(store, tmp_path, request, name="copy"):
    if isinstance(store, SQLiteStore):
        return open_store(request.getfixturevalue("pg_url"))
    return SQLiteStore(tmp_path / f"{name}.sqlite")


def snapshot(store):
    out = {kind: list(store.records(kind)) for kind in RECORD_KINDS}
    out["front_lines"] = [
        (m, store.get_front_lines(m["source"], m["valid_from"]))
        for m in store.front_line_versions()
    ]
    return out


def test_copy_to_the_other_backend_and_back_loses_nothing(store, tmp_path, request):
    secret = fill(store)
    other = other_store(store, tmp_path, request)
    try:
        result = CliRunner().invoke(main, ["store", "copy", "--no-progress", store.url, other.url])
        assert result.exit_code == 0, result.output
        assert "counts equal" in result.output
        assert snapshot(other) == snapshot(store)
        assert other.verify_token(secret) == "alice"  # the hash came along, not a new secret
        assert other.get("e00003") is None and other.count() == store.count() == 1202
        assert other.data_as_of() == store.data_as_of()
        for q in (EventQuery(), EventQuery(bbox=(29, 49, 31, 51), text="event", limit=50),
                  EventQuery(source="Desk", offset=100, limit=10)):  # fmt: skip
            assert list(other.query_features(q)) == list(store.query_features(q))
        # And back, into a new store of the first kind.
        back = SQLiteStore(tmp_path / "back.sqlite") if isinstance(store, SQLiteStore) else None
        if back is None:
            back = open_store(request.getfixturevalue("pg_server") + "?options=-csearch_path%3D"
                              + _new_schema(request))  # fmt: skip
        try:
            counts, copied, written = copy_store(other, back)
            assert counts == copied and written > 1200
            assert snapshot(back) == snapshot(store)
        finally:
            back.close()
    finally:
        other.close()


def _new_schema(request):
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(request.getfixturevalue("pg_server"), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{name},public"


def test_a_deletion_after_the_last_event_write_keeps_its_time_in_the_copy(store, tmp_path, request):
    # the copy holds a deleted event only as its deletion record: its time is data's time
    store.put_events([ev("e00001"), ev("e00002")])
    time.sleep(1.1)  # timestamps have whole seconds: the deletion comes a second later
    store.delete_event("e00002", reason="duplicate", by="analyst")
    other = other_store(store, tmp_path, request, name="deleted")
    try:
        copy_store(store, other)
        assert other.data_as_of() == store.data_as_of()
        assert other.data_as_of() == store.deletions()[0]["deleted_at"]
    finally:
        other.close()


def test_an_interrupted_copy_resumes_without_writing_twice(store, tmp_path, request):
    fill(store)
    other = other_store(store, tmp_path, request)
    try:
        # Stopped after the articles and the first batch of events.
        other.restore_records("articles", list(store.records("articles")))
        other.restore_records("events", list(store.records("events"))[:500])
        counts, copied, written = copy_store(store, other)
        assert counts == copied
        assert (
            written == len(list(store.records("events"))) - 500 + 2 + 1 + 2
        )  # events, deletions, token, front-line versions
        assert copy_store(store, other)[2] == 0  # nothing left to write
        assert snapshot(other) == snapshot(store)
    finally:
        other.close()


def test_count_check_fails_when_the_destination_holds_more(store, tmp_path, request):
    fill(store, n=20)
    other = other_store(store, tmp_path, request)
    try:
        other.put_events([ev("only-in-dst")])
        result = CliRunner().invoke(main, ["store", "copy", "--no-progress", store.url, other.url])
        assert result.exit_code == 1
        assert "count check failed: events: 21 in SRC, 22 in DST" in result.output
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_copy_refuses_the_same_store_and_names_a_bad_one(store, tmp_path):
    result = CliRunner().invoke(main, ["store", "copy", store.url, store.url])
    assert result.exit_code == 1 and "same store" in result.output
    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"not a database" * 100)
    result = CliRunner().invoke(main, ["store", "copy", str(bad), store.url])
    assert result.exit_code == 1 and "cannot open the source store" in result.output


def test_optimize_keeps_every_answer_and_puts_a_postgis_table_in_date_order(store, runner):
    """``conflictmap store optimize``: on PostGIS the events are rewritten in (date_start,
    event_id) order (the order a store filled as news arrives has, which keeps the pages of
    the (place, days) index to a few days each); the answers are unchanged on both stores."""
    from datetime import date, timedelta

    days = [date(2024, 1, 1) + timedelta(days=(i * 37) % 300) for i in range(300)]
    store.put_events([ev(f"o{i:04d}", date_start=d.isoformat(), lat=45 + i % 5,
                         lon=25 + i % 9) for i, d in enumerate(days)])  # fmt: skip
    store.delete_event("o0007", reason="duplicate", by="analyst")
    queries = [EventQuery(include_deleted=True),
               EventQuery(bbox=(24.5, 44.5, 28.5, 47.5), start=date(2024, 3, 1),
                          end=date(2024, 5, 31), limit=20, offset=5),
               EventQuery(start=date(2024, 6, 1), limit=50)]  # fmt: skip
    before = [list(store.query_features(q)) for q in queries]
    counts = [store.count(q) for q in queries]
    result = runner.invoke(["store", "optimize"])
    assert result.exit_code == 0, result.output
    if isinstance(store, SQLiteStore):
        assert "nothing to do" in result.output
    else:
        assert "300 events rewritten in date order and their indexes rebuilt" in result.output
        import psycopg

        with psycopg.connect(store.url) as conn:
            stored = conn.execute(
                "SELECT date_start, event_id FROM events ORDER BY ctid"
            ).fetchall()
            left = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'events_date_order' "
                "AND schemaname = current_schema()"
            ).fetchone()[0]
        assert stored == sorted(stored) and len(stored) == 300
        assert left == 0
    assert [list(store.query_features(q)) for q in queries] == before
    assert [store.count(q) for q in queries] == counts
    assert store.get("o0007") is None and store.get("o0008") is not None
