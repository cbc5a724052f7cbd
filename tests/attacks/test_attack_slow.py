"""Issue 13 item 1: no request can stall the server.

Search words are de-duplicated and capped, list parameters and batches are capped (400 or 413
beyond, in the JSON error shape), store queries stop at a deadline (SQLite's progress handler:
503 with Retry-After), and requests that scan take one of a few slots. With the slow requests
of the issue sent concurrently to a live server, a normal request still answers within 1 s.
"""

import http.client
import json
import os
import random
import string
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_fixtures import free_port

from attacks.helpers import assert_error_shape
from geo.events.model import Event
from geo.exc import QueryTimeoutError
from geo.store.base import EventQuery
from geo.store.sqlite.store import SQLiteStore
from webapp import create_app, limits

ROOT = Path(__file__).resolve().parents[2]
ITEMS = "/collections/events/items"
ONE_LETTER_WORDS = "q=" + "+".join(["s"] * 250)
MANY_ACTORS = "actor=" + ",".join(f"x{i}" for i in range(990))


def make_events(n, seed=11):
    """Return ``n`` events over Ukraine and western Russia with varied words and actors."""
    rng = random.Random(seed)
    words = ["shelling", "strike", "assault", "drone", "convoy", "village", "bridge", "depot"]
    out = []
    for i in range(n):
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
        out.append(
            Event.from_dict(
                {
                    "event_id": f"ev-{i:06d}",
                    "event_type": rng.choice(["attack", "capture", "casualties", "movement"]),
                    "date_start": day.isoformat(),
                    "latitude": round(rng.uniform(44, 53), 5),
                    "longitude": round(rng.uniform(22, 40), 5),
                    "summary": f"{rng.choice(words)} {rng.choice(words)} near place {i % 997}",
                    "location_name": f"Place {i % 997}",
                    "actor1": f"Military Forces of Country {rng.randrange(6)}",
                    "sources": [
                        {
                            "source_id": f"a{i % 3000}",
                            "publisher": f"Outlet {i % 40}",
                            "url": f"https://news.example/{i}",
                            "quote": "A report of the event.",
                        }
                    ],
                }
            )  # fmt: skip
        )
    return out


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    store = SQLiteStore(tmp_path_factory.mktemp("slow") / "events.sqlite")
    events = make_events(20_000)
    for i in range(0, len(events), 5000):
        store.put_events(events[i : i + 5000])
    yield store
    store.close()


# -- caps ------------------------------------------------------------------------------------


def test_repeated_words_are_searched_once(client, store):
    store.put_events(make_events(50))
    once = client.get(f"{ITEMS}?q=shelling")
    many = client.get(f"{ITEMS}?q=" + "+".join(["shelling", "SHELLING"] * 25))
    assert once.status_code == many.status_code == 200
    assert once.get_json()["numberMatched"] == many.get_json()["numberMatched"] > 0
    assert client.get(f"{ITEMS}?{ONE_LETTER_WORDS}").status_code == 200


@pytest.mark.parametrize(
    "query, field, words",
    [
        pytest.param("q=" + "+".join(f"w{i}" for i in range(9)), "q", "at most 8", id="9-words"),
        pytest.param("q=" + "ab+" * 200, "q", "at most 500", id="q-600-chars"),
        pytest.param(MANY_ACTORS, "actor", "at most 20", id="990-actors"),
        pytest.param(
            "actor=" + ",".join(f"x{i}" for i in range(21)), "actor", "at most 20", id="21-actors"
        ),
        pytest.param("actor=" + "x" * 201, "actor", "200 characters", id="long-actor"),
        pytest.param("type=" + ",".join(["attack"] * 21), "type", "at most 20", id="21-types"),
        pytest.param("source=" + "s" * 4001, "source", "4000", id="long-source"),
        pytest.param("offset=1000000001", "offset", "at most", id="offset"),
    ],
)
def test_caps_are_400s_naming_the_parameter(client, query, field, words):
    body = assert_error_shape(client.get(f"{ITEMS}?{query}"), 400, field)
    assert words in body["error"]


def test_geocode_batches_are_capped_by_names_and_characters(store):
    # a generous deadline: this test is about the caps, whatever the machine's load
    client = create_app({"TESTING": True, "STORE": store, "QUERY_TIMEOUT": 120}).test_client()
    rng = random.Random(3)
    names = ["".join(rng.choice(string.ascii_letters) for _ in range(200)) for _ in range(1000)]
    assert_error_shape(client.post("/api/geocode", json=names), 413, "body")
    body = assert_error_shape(client.post("/api/geocode", json=names[:101]), 413, "body")
    assert "20000" in body["error"]
    rows = client.post("/api/geocode", json=names[:100]).get_json()  # 20,000 characters
    assert len(rows) == 100 and all(row["lat"] is None for row in rows)


# -- the deadline ----------------------------------------------------------------------------


def test_store_queries_stop_at_their_deadline(big_store):
    slow = EventQuery(actors=("nobody at all",), timeout=1e-6)
    with pytest.raises(QueryTimeoutError):
        big_store.count(slow)
    with pytest.raises(QueryTimeoutError):
        list(big_store.query(slow))
    # the connection is fine afterwards, and a generous deadline lets the same query finish
    assert big_store.count(EventQuery(actors=("nobody at all",), timeout=30)) == 0
    # the deadline counts SQLite's work per step, not the consumer's time between rows
    rows = big_store.query(EventQuery(limit=1200, timeout=0.5))
    first = next(rows)
    time.sleep(0.7)
    assert len([first, *rows]) == 1200


def test_the_histogram_stops_at_its_deadline(big_store):
    app = create_app({"TESTING": True, "STORE": big_store, "QUERY_TIMEOUT": 1e-6})
    resp = app.test_client().get("/maps/histogram.json?actor=nobody")
    body = assert_error_shape(resp, 503)
    assert resp.headers["Retry-After"] == "1" and "time limit" in body["error"]
    with pytest.raises(QueryTimeoutError):
        big_store.day_counts(EventQuery(timeout=1e-6))
    assert sum(n for _, _, n in big_store.day_counts(EventQuery(timeout=30))) == 20_000


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_a_query_past_its_deadline_is_a_503_with_retry_after(big_store, fmt):
    app = create_app({"TESTING": True, "STORE": big_store, "QUERY_TIMEOUT": 1e-6})
    resp = app.test_client().get(f"{ITEMS}?actor=nobody&f={fmt}")
    body = assert_error_shape(resp, 503)
    assert resp.headers["Retry-After"] == "1" and "time limit" in body["error"]


def test_a_geocoding_batch_past_its_deadline_is_a_503(store):
    app = create_app({"TESTING": True, "STORE": store, "QUERY_TIMEOUT": 1e-6})
    resp = app.test_client().post("/api/geocode", json=["Kursk", "Kyiv", "Sudzha"])
    assert_error_shape(resp, 503, "body")
    assert resp.headers["Retry-After"] == "1"


# -- heavy-request slots ---------------------------------------------------------------------


def test_scanning_requests_wait_for_a_slot_then_get_a_503(store):
    store.put_events(make_events(20))
    app = create_app({"TESTING": True, "STORE": store, "HEAVY_REQUESTS": 1, "HEAVY_WAIT": 0.05})
    client = app.test_client()
    with app.app_context():
        slot = limits.heavy_slot()
    resp = client.get(f"{ITEMS}?q=shelling")
    assert_error_shape(resp, 503)
    assert resp.headers["Retry-After"] == "1"
    assert_error_shape(client.post("/api/geocode", json=["Kursk"]), 503)
    assert client.get(f"{ITEMS}?bbox=22,44,40,53").status_code == 200  # cheap: no slot
    slot.release()
    for _ in range(3):  # each response gives its slot back, read or not
        assert client.get(f"{ITEMS}?q=shelling").status_code == 200
        assert client.get(f"{ITEMS}?actor=Country&f=csv").status_code == 200
        unread = client.get(f"{ITEMS}?q=village", buffered=False)
        assert unread.status_code == 200
        unread.close()


def test_only_as_many_requests_wait_for_a_slot_as_there_are_slots(store):
    store.put_events(make_events(20))
    app = create_app({"TESTING": True, "STORE": store, "HEAVY_REQUESTS": 1, "HEAVY_WAIT": 30})
    with app.app_context():
        slot = limits.heavy_slot()
    waited = []
    waiter = threading.Thread(
        target=lambda: waited.append(app.test_client().get(f"{ITEMS}?q=shelling").status_code)
    )
    waiter.start()
    deadline = time.monotonic() + 10
    while app.extensions["conflictmap.heavy"].waiting_room._value and time.monotonic() < deadline:
        time.sleep(0.01)  # until the waiter is in the waiting room
    resp = app.test_client().get(f"{ITEMS}?q=village")  # no room to wait: a 503 at once
    assert_error_shape(resp, 503)
    assert waiter.is_alive() and not waited  # the first is still waiting for the slot
    slot.release()
    waiter.join(10)
    assert waited == [200]


def test_the_served_app_has_its_gazetteer_loaded_before_the_first_request(store):
    assert "conflictmap.geocoder" not in create_app({"TESTING": True}).extensions
    served = create_app({"STORE": store})
    assert served.extensions["conflictmap.geocoder"].geocode("Kursk").raw["geonameid"] == 538560


# -- everything at once against a live server -------------------------------------------------


@pytest.fixture(scope="module")
def live(big_store):
    """``conflictmap serve`` on the big store, in its own process (as clients meet it: their
    threads do not share its interpreter), with its defaults: 8 threads, 2 heavy slots."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICTMAP_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "--store",
         str(big_store.path), "serve", "--port", str(port), "--no-ingest"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if _request(port, "GET", ITEMS + "?limit=1") == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, "conflictmap serve did not answer in 60 s"
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def _request(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def test_slow_requests_sent_together_leave_normal_requests_fast(live):
    rng = random.Random(5)
    geocode_1000 = json.dumps(
        ["".join(rng.choice(string.ascii_letters) for _ in range(200)) for _ in range(1000)]
    )
    geocode_allowed = json.dumps(
        ["".join(rng.choice(string.ascii_letters + " ") for _ in range(200)) for _ in range(99)]
    )
    twenty_actors = "actor=" + ",".join(f"Forces+{i}" for i in range(20))
    attacks = [
        ("GET", f"{ITEMS}?{ONE_LETTER_WORDS}", None),
        ("GET", f"{ITEMS}?{MANY_ACTORS}", None),
        ("GET", f"{ITEMS}?{MANY_ACTORS}&f=csv", None),
        ("GET", f"{ITEMS}?{twenty_actors}", None),  # allowed, scans every event
        ("GET", f"{ITEMS}?{twenty_actors}&f=csv", None),
        ("GET", f"{ITEMS}?q=sh+st+as+dr+co+vi+br+de", None),  # allowed: 8 common prefixes
        ("POST", "/api/geocode", geocode_1000),
        ("POST", "/api/geocode", geocode_allowed),  # allowed: 99 names, 19,800 characters
    ]
    stop = threading.Event()
    statuses, lock = [], threading.Lock()

    def attacker(method, path, body):
        while not stop.is_set():
            status = _request(live, method, path, body)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=attacker, args=a, daemon=True) for a in attacks * 2]
    for t in threads:
        t.start()
    time.sleep(1.0)  # every server thread is busy with an attack by now
    normal = []
    try:
        for i in range(20):
            t0 = time.perf_counter()
            status = _request(
                live, "GET", f"{ITEMS}?bbox=30,48,32,50&datetime=2023-03-01/2023-06-01&limit=10"
            )
            normal.append((status, time.perf_counter() - t0))
            time.sleep(0.1 + i % 3 * 0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(90)
    assert all(status == 200 for status, _ in normal)
    slowest = max(seconds for _, seconds in normal)
    assert slowest < 1.0, f"a normal request took {slowest:.2f} s among the slow ones"
    assert statuses and set(statuses) <= {200, 400, 413, 503}, sorted(set(statuses))
    assert 400 in statuses and 413 in statuses
