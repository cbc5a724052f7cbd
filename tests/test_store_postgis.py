"""What only the PostGIS store has: a server, a schema created on first use, its messages.

Runs against the test PostgreSQL (see conftest); skipped with the reason without one.
"""

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
    assert meta == {"format": "conflictmap-events", "schema_version": "2"}
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
