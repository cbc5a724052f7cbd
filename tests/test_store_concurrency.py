"""Writes from several server processes: the database, not this process, orders them.

On PostGIS the app runs as ``conflictmap serve --workers 2`` (two gunicorn processes, each
with its own connections); on SQLite as one waitress process, since an SQLite store has one
writer and ``--workers`` is refused for it.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from geo.store.sqlite.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
ITEMS = "/collections/events/items"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.load(resp), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, json.load(err), err.headers


@pytest.fixture
def server(store):
    """Serve ``store`` from other processes; yield ``(base_url, token)``."""
    token = store.create_token("racer")
    port = _free_port()
    workers = [] if isinstance(store, SQLiteStore) else ["--workers", "2"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICTMAP_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "--store", store.url,
         "serve", "--no-ingest", "--port", str(port), *workers],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read())
        try:
            _call("GET", base + "/")
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise AssertionError("the server did not start in 60 s") from None
            time.sleep(0.2)
    yield base, token
    proc.terminate()
    output = proc.communicate(timeout=30)[0]
    if workers:
        assert "2 workers" in output


def _together(n, fn):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _event(event_id):
    return {"event_id": event_id, "event_type": "attack", "date_start": "2025-01-09",
            "latitude": 50.0, "longitude": 30.0, "summary": "race"}  # fmt: skip


def test_creating_one_id_from_many_clients_gives_one_201(store, server):
    base, token = server
    for round_ in range(5):
        codes = _together(8, lambda i, r=round_: _call("POST", base + ITEMS, _event(f"race-{r}"),
                                                     token)[0])  # fmt: skip
        assert sorted(codes) == [201] + [409] * 7, codes
    assert store.count() == 5


def test_patches_and_reviews_from_many_clients_lose_nothing(store, server):
    base, token = server
    assert _call("POST", base + ITEMS, _event("ev-1"), token)[0] == 201
    fields = ("summary", "notes", "actor2", "claimed_by")
    for j in range(5):
        codes = _together(
            len(fields),
            lambda i, j=j: _call("PATCH", f"{base}{ITEMS}/ev-1",
                                 {fields[i]: f"{fields[i]} {j}"}, token)[0],
        )  # fmt: skip
        assert codes == [200] * len(fields)
    event = store.get("ev-1")
    assert {f: getattr(event, f) for f in fields} == {f: f"{f} 4" for f in fields}
    # A review racing a PATCH of the summary: both changes stay.
    codes = _together(2, lambda i: _call(
        "POST", f"{base}{ITEMS}/ev-1/review", {"notes": "checked"}, token)[0] if i == 0
        else _call("PATCH", f"{base}{ITEMS}/ev-1", {"summary": "final"}, token)[0])  # fmt: skip
    assert codes == [200, 200]
    event = store.get("ev-1")
    assert (event.status, event.notes, event.summary) == ("reviewed", "checked", "final")


def test_deleting_one_event_from_many_clients_records_one_deletion(store, server):
    base, token = server
    assert _call("POST", base + ITEMS, _event("gone"), token)[0] == 201
    codes = _together(
        6, lambda i: _call("DELETE", f"{base}{ITEMS}/gone?reason=dup{i}", None, token)[0]
    )
    assert sorted(codes) == [200] + [404] * 5, codes
    assert len(store.deletions()) == 1 and store.get("gone") is None


@pytest.mark.sqlite_only
def test_workers_are_refused_for_an_sqlite_store(runner):
    result = runner.invoke(["serve", "--workers", "2", "--no-ingest"])
    assert result.exit_code == 2
    assert "one process (one writer)" in result.output and "postgresql://" in result.output
