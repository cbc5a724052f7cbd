"""What only the PostGIS store has: a server, a schema created on first use, its messages.

Runs against the test PostgreSQL (see conftest); skipped with the reason without one.
"""

import dataclasses
import subprocess
import sys
import uuid

import psycopg
import pytest

from geo.exc import StoreError
from geo.store.base import open_store


@pytest.fixture
def schema_url(pg_server):
    """A URL whose search_path starts with a new, empty schema; yields (url, schema name)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield f"{pg_server}?options=-csearch_path%3D{name},public", name


OPEN_SCRIPT = """
import sys, time
from geo.store.base import open_store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start at once
with open_store(sys.argv[1]) as store:
    print(store.count())
"""


def test_processes_opening_one_new_database_at_once_do_not_race(schema_url):
    import time

    url, name = schema_url
    start = str(time.time() + 2.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_SCRIPT, url, start],
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outs
    assert [o.strip() for o, _ in outs] == ["0"] * 4
    with psycopg.connect(url) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = %s", (name,)
        ).fetchone()[0]
    assert meta == {"format": "conflictmap-events", "schema_version": "4"}
    assert tables == 7  # meta, events, event_sources, articles, deletions, tokens, front_lines


def test_a_newer_schema_is_refused(schema_url):
    url, _ = schema_url
    open_store(url).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99, newer than this conflictmap"):
        open_store(url)


def test_other_tables_are_not_taken_for_a_store(schema_url):
    url, _ = schema_url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE events (x int)")
    with pytest.raises(StoreError, match="holds tables named events but is not a conflictmap"):
        open_store(url)


def test_connection_errors_name_the_server_but_never_the_password():
    url = "postgresql://analyst:s3cret-pw@127.0.0.1:1/conflicts?connect_timeout=2"
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "cannot connect to store 'postgresql://analyst@127.0.0.1:1/conflicts'" in message
    assert "s3cret-pw" not in message


def test_a_missing_schema_is_named(pg_server):
    url = f"{pg_server}?options=-csearch_path%3Dno_such_schema"
    with pytest.raises(StoreError, match="no schema of the search_path exists"):
        open_store(url)


def test_postgres_scheme_and_repr(schema_url):
    url, _ = schema_url
    with open_store(url.replace("postgresql://", "postgres://", 1)) as store:
        assert type(store).__name__ == "PostGISStore"
        assert "concurrent_writers" in store.capabilities
        assert repr(store).startswith("PostGISStore('postgresql://")


def test_a_dropped_connection_is_replaced(schema_url):
    url, _ = schema_url
    with open_store(url) as store:
        assert store.count() == 0
        pid = store._conn().info.backend_pid
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError, match="cannot read"):
            store.count()  # the query that met the dropped connection fails, named
        assert store.count() == 0  # the next one reconnects


def _index_names(conn):
    return {
        r[0]
        for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'events'"
        )
    }


def test_a_version_2_store_gets_the_place_and_days_index(schema_url):
    from datetime import date

    from geo.events.model import Event
    from geo.store.base import EventQuery

    url, _ = schema_url
    events = [
        Event.from_dict({"event_id": f"e{i}", "event_type": "attack", "date_start": day,
                         "date_end": end, "latitude": 48.0 + i / 10, "longitude": 37.0,
                         "summary": "x"})
        for i, (day, end) in enumerate([("2024-01-01", "2024-03-01"), ("2024-02-10", "2024-02-10"),
                                        ("2024-04-01", "2024-04-01")])
    ]  # fmt: skip
    with open_store(url) as store:
        store.put_events(events)
    with psycopg.connect(url, autocommit=True) as conn:  # the indexes of schema version 2
        conn.execute("DROP INDEX events_cube")
        conn.execute("DROP INDEX events_live_type")
        conn.execute("DROP INDEX events_span")
        conn.execute("CREATE INDEX events_span ON events USING gist (span)")
        conn.execute("DROP INDEX events_live_order")
        conn.execute(
            "CREATE INDEX events_live_order ON events (date_start, event_id) WHERE NOT deleted"
        )
        conn.execute("CREATE INDEX events_place_span ON events USING gist (geom, span)")
        conn.execute("CREATE INDEX events_place_start ON events USING gist (geom, date_start)")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with open_store(url) as store:
        q = EventQuery(bbox=(36, 47, 38, 49), start=date(2024, 2, 1), end=date(2024, 2, 29))
        assert [e.event_id for e in store.query(q)] == ["e0", "e1"]
        assert [e.event_id for e in store.query(dataclasses.replace(q, limit=1, offset=1))] == [
            "e1"
        ]
        assert store.count(q) == 2
    with psycopg.connect(url) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        names = _index_names(conn)
        order, span = (
            conn.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s "
                "AND schemaname = current_schema()",
                (name,),
            ).fetchone()[0]
            for name in ("events_live_order", "events_span")
        )
    assert version == ("4",)
    assert {"events_cube", "events_live_type"} <= names
    assert not {"events_place_span", "events_place_start"} & names
    assert "INCLUDE (min_lon, min_lat, max_lon, max_lat, rid)" in order
    assert "INCLUDE (deleted, date_start, event_id, rid)" in span


def _plan(conn, sql, params):
    conn.execute("SET enable_seqscan = off")  # a small table: as when it is large
    return "\n".join(r[0] for r in conn.execute(f"EXPLAIN {sql}", params))


def test_a_page_count_reads_the_place_and_days_index_alone(schema_url):
    from datetime import date

    from geo.store.base import EventQuery
    from geo.store.postgis.query import where_clause

    url, _ = schema_url
    open_store(url).close()
    q = EventQuery(bbox=(36, 47, 38, 49), start=date(2024, 2, 1), end=date(2024, 2, 29))
    where, params = where_clause(q)
    with psycopg.connect(url) as conn:
        plan = _plan(conn, f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where} "
                           "LIMIT 10) s", params)  # fmt: skip
    assert "Index Only Scan using events_cube" in plan, plan


def test_counts_of_all_or_some_types_read_the_small_live_type_index(schema_url):
    from geo.store.base import EventQuery
    from geo.store.postgis.query import where_clause

    url, _ = schema_url
    open_store(url).close()
    with psycopg.connect(url) as conn:
        for q in (EventQuery(), EventQuery(types=("front_line",))):
            where, params = where_clause(q)
            plan = _plan(conn, f"SELECT count(*) FROM events e WHERE {where}", params)
            assert "events_live_type" in plan, plan  # (index-only once it is vacuumed)


def test_sparse_and_dense_bbox_pages_equal_the_ordered_matches(schema_url):
    """Both ways of finding a bbox page (all its matches sorted when they are few, the
    B-tree in date order when they are many) give the matches in (date_start, event_id) order:
    points and areas, events lasting into the window, deleted ones, the antimeridian."""
    import random
    from datetime import date, timedelta

    from geo.events.model import Event
    from geo.store.base import EventQuery
    from geo.store.postgis.query import counted_page, select_page

    url, _ = schema_url
    rng = random.Random(5)
    events = []
    for i in range(600):
        lon, lat = rng.choice((rng.uniform(170, 180), rng.uniform(-180, -170))), rng.uniform(0, 9)
        first = date(2024, 1, 1) + timedelta(days=rng.randrange(120))
        data = {
            "event_id": f"ev-{rng.randrange(40):02d}-{i:04d}",
            "event_type": "attack",
            "date_start": first.isoformat(),
            "summary": "x",
            "latitude": round(lat, 5),
            "longitude": round(lon, 5),
            "date_end": (first + timedelta(days=rng.choice((0, 0, 0, 3, 40)))).isoformat(),
        }
        if i % 10 == 0:
            w, h = rng.uniform(0.1, 2), rng.uniform(0.1, 2)
            lon = min(lon, 178.0)
            ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
            data["geometry"] = {"type": "Polygon", "coordinates": [ring]}
        events.append(Event.from_dict(data))  # fmt: skip
    with open_store(url) as store:
        store.put_events(events)
        for event in events[::17]:
            store.delete_event(event.event_id, reason="test", by="test")
        deleted = {e.event_id for e in events[::17]}

        def expected(q):
            west, south, east, north = q.bbox
            out = []
            for e in events:
                lons = [c[0] for c in (e.geometry or {}).get("coordinates", [[]])[0]] or [
                    e.longitude
                ]
                lats = [c[1] for c in (e.geometry or {}).get("coordinates", [[]])[0]] or [
                    e.latitude
                ]
                in_lon = (
                    max(lons) >= west and min(lons) <= east
                    if west <= east
                    else max(lons) >= west or min(lons) <= east
                )
                if (
                    e.event_id not in deleted
                    and in_lon
                    and max(lats) >= south
                    and min(lats) <= north
                    and (q.end is None or e.date_start <= q.end)
                    and (q.start is None or e.date_end >= q.start)
                ):
                    out.append((e.date_start, e.event_id))
            return [i for _, i in sorted(out)][q.offset : q.offset + q.limit]

        queries = [
            EventQuery(bbox=(172, 1, 176, 6), start=date(2024, 2, 1), end=date(2024, 2, 20)),
            EventQuery(bbox=(175, 0, -175, 9), start=date(2024, 3, 1), end=date(2024, 3, 31)),
            EventQuery(bbox=(170, 0, 180, 9), start=date(2024, 2, 10)),
            EventQuery(bbox=(170, 0, 180, 9), end=date(2024, 1, 20)),
            EventQuery(bbox=(171.5, 2, 173.5, 4)),
        ]
        for q in queries:
            for limit, offset in ((20, 0), (15, 7), (1000, 0)):
                page = dataclasses.replace(q, limit=limit, offset=offset)
                want = expected(page)
                assert [e.event_id for e in store.query(page)] == want, page
                sql, params = select_page("e.event_id", page, dense=True)
                assert [r[0] for r in store._read(sql, params)] == want, page
                sql, params = counted_page("e.event_id", page, 2000)  # every match
                rows = store._read(sql, params)
                assert [v for _, v in rows if v is not None] == want, page
                assert {n for n, _ in rows} == {store.count(page)}
                sql, params = counted_page("e.event_id", page, 5)  # more than 5 match
                assert store._read(sql, params) == [(6, None)]


def test_a_page_count_kept_for_numberMatched_is_not_served_after_a_write(schema_url):
    from datetime import date

    from geo.events.model import Event
    from geo.store.base import EventQuery

    url, _ = schema_url

    def event(i):
        data = {"event_id": f"e{i}", "event_type": "attack", "summary": "x"}
        return Event.from_dict({**data, "date_start": "2024-02-02", "latitude": 48.0,
                                "longitude": 37.0})  # fmt: skip

    with open_store(url) as store:
        store.put_events([event(i) for i in range(3)])
        q = EventQuery(bbox=(36, 47, 38, 49), start=date(2024, 2, 1), limit=2)
        assert len(list(store.query(q))) == 2
        assert store.count_at_most(q, 2) is None  # 3 match: more than the cap
        assert len(list(store.query(q))) == 2
        assert store.count_at_most(q, 5) == 3
        assert len(list(store.query(q))) == 2
        store.put_events([event(3)])
        assert store.count_at_most(q, 5) == 4
        assert store.count_at_most(dataclasses.replace(q, bbox=(0, 0, 1, 1)), 5) == 0


def test_a_new_store_needs_postgis_alone(pg_server):
    """No btree_gist (the index that needed it went with schema version 3)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(pg_server, autocommit=True)
    try:
        try:
            admin.execute(f"CREATE DATABASE {name}")
        except psycopg.errors.InsufficientPrivilege:
            pytest.skip("the test server's user may not create databases")
        url = pg_server.split("?")[0].rsplit("/", 1)[0] + f"/{name}"
        with open_store(url) as store:
            assert store.count() == 0
        with psycopg.connect(url) as conn:
            extensions = {r[0] for r in conn.execute("SELECT extname FROM pg_extension")}
        assert extensions == {"plpgsql", "postgis"}
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
