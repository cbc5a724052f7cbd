"""The PostGIS store's per-query deadline (``EventQuery.timeout``): PostgreSQL's
``statement_timeout`` stops a query that runs past it with ``QueryTimeoutError`` (the API's
503 with Retry-After), and the store's connections stay usable afterwards.

Runs against the test PostgreSQL (see conftest); skipped with the reason without one.
"""

import time

import pytest
from attacks.test_attack_slow import make_events

from geo.exc import QueryTimeoutError
from geo.store.base import EventQuery
from geo.store.postgis import PostGISStore
from webapp import create_app

ITEMS = "/collections/events/items"


@pytest.fixture(scope="module")
def big_pg_store(pg_server):
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    joiner = "&" if "?" in pg_server else "?"
    store = PostGISStore(f"{pg_server}{joiner}options=-csearch_path%3D{name},public")
    events = make_events(20_000)
    for i in range(0, len(events), 5000):
        store.put_events(events[i : i + 5000])
    yield store
    store.close()
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


# a free-text search over every event's words: no index answers it in a millisecond
SLOW = {"text": "shelling bridge", "actors": ("nobody at all",)}


def test_postgis_queries_stop_at_their_deadline(big_pg_store):
    assert big_pg_store.count(EventQuery(**SLOW, timeout=30)) == 0
    with pytest.raises(QueryTimeoutError) as err:
        big_pg_store.count(EventQuery(**SLOW, timeout=1e-6))
    assert err.value.retry_after == 1 and "took more than" in str(err.value)
    with pytest.raises(QueryTimeoutError):
        big_pg_store.count_at_most(EventQuery(**SLOW, timeout=1e-6), 100)
    with pytest.raises(QueryTimeoutError):
        big_pg_store.day_counts(EventQuery(**SLOW, timeout=1e-6))
    with pytest.raises(QueryTimeoutError):
        list(big_pg_store.query(EventQuery(**SLOW, timeout=1e-6)))
    with pytest.raises(QueryTimeoutError):
        list(big_pg_store.query(EventQuery(**SLOW, limit=10, timeout=1e-6)))
    # the connections are fine afterwards, and a generous deadline lets the query finish
    assert big_pg_store.count(EventQuery(**SLOW, timeout=30)) == 0
    assert list(big_pg_store.query(EventQuery(**SLOW, limit=10, timeout=30))) == []
    # a stream's deadline counts each fetch, not the consumer's time between rows
    rows = big_pg_store.query_features(EventQuery(timeout=0.5))
    first = next(rows)
    time.sleep(0.7)
    assert len([first, *rows]) == 20_000


def test_postgis_counts_at_most_a_cap(big_pg_store):
    everything = EventQuery(bbox=(22, 44, 40, 53))
    assert big_pg_store.count_at_most(everything, 20_000) == 20_000
    assert big_pg_store.count_at_most(everything, 19_999) is None
    assert big_pg_store.count_at_most(EventQuery(bbox=(22, 44, 40, 53), limit=5), 10) is None


def test_a_postgis_query_past_its_deadline_is_a_503(big_pg_store):
    app = create_app({"TESTING": True, "STORE": big_pg_store, "QUERY_TIMEOUT": 1e-6})
    resp = app.test_client().get(f"{ITEMS}?q=shelling+bridge&actor=nobody")
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "1"
    assert "time limit" in resp.get_json()["error"]


def test_a_deadline_does_not_outlive_its_query_on_a_shared_connection(big_pg_store):
    """Timed reads set the read connection's statement_timeout; the next untimed read on the
    same connection (counts, pages, a streamed export) runs without it."""
    slow = EventQuery(**SLOW)
    for _ in range(3):  # every pooled read connection has had the tiny deadline
        with pytest.raises(QueryTimeoutError):
            big_pg_store.count(EventQuery(**SLOW, timeout=1e-6))
    assert big_pg_store.count(slow) == 0
    assert list(big_pg_store.query(EventQuery(**SLOW, limit=10))) == []
    assert list(big_pg_store.query(slow)) == []  # streamed through a server-side cursor
