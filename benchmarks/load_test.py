"""Load test on loopback: N concurrent clients for a bounded time against ``conflictmap serve``.

Run: ``python benchmarks/load_test.py [--clients 50] [--duration 60] [--events 20000]
[--store PATH] [--max-requests 500000]``. It starts the server on a free 127.0.0.1 port
(never another host), runs keep-alive clients that mix items queries (bbox + datetime),
single items, collections, the landing page and geocoding, stops by itself at the time or
request bound, and prints the error count (target 0) and latency percentiles per request kind.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_api import fill, free_port, percentile, start_server  # noqa: E402
from bench_store import DAYS, START  # noqa: E402

PLACES = ["Kursk", "Kyiv", "Sudzha", "Pokrovsk", "Donetsk", "Kharkiv", "Zaporizhzhia"]


def next_request(rng, n_events):
    """Return ``(kind, path)`` of one request of the mix."""
    roll = rng.random()
    if roll < 0.55:
        deg = rng.choice((1, 2, 5))
        lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - deg)
        start = START + timedelta(days=rng.randrange(DAYS - 90))
        end = start + timedelta(days=rng.choice((7, 30, 90)))
        return "items bbox+datetime", (
            f"/collections/events/items?bbox={lon:.2f},{lat:.2f},{lon + deg:.2f},{lat + deg:.2f}"
            f"&datetime={start.isoformat()}/{end.isoformat()}"
        )
    if roll < 0.75:
        return "item", f"/collections/events/items/ev-{rng.randrange(n_events):08d}"
    if roll < 0.85:
        return "collections", "/collections"
    if roll < 0.92:
        return "landing", "/?f=json"
    return "geocode", f"/api/geocode?q={rng.choice(PLACES)}"


class Client(threading.Thread):
    """One keep-alive HTTP client sending requests until ``stop`` is set."""

    def __init__(self, port, seed, stop, budget, n_events):
        super().__init__(daemon=True)
        self.port, self.stop, self.budget, self.n_events = port, stop, budget, n_events
        self.rng = random.Random(seed)
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set() and self.budget.take():
            kind, path = next_request(self.rng, self.n_events)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": "application/json"})
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    self.errors.append(f"{resp.status} {path}: {body[:120]!r}")
                else:
                    json.loads(body)
            except (OSError, http.client.HTTPException, ValueError) as err:
                self.errors.append(f"{type(err).__name__} {path}: {err}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.times.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        conn.close()


class Budget:
    """A thread-safe request counter that runs out at ``limit``."""

    def __init__(self, limit):
        self.left = limit
        self.lock = threading.Lock()

    def take(self):
        """Return True and count one request if any are left."""
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def main(argv=None):
    """Run the load test and print the table; exit status 1 when any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds (at most 600).")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--threads", type=int, default=8, help="Server worker threads.")
    parser.add_argument("--store", help="Keep (and reuse) the store at this path.")
    args = parser.parse_args(argv)
    duration = min(max(args.duration, 1.0), 600.0)
    clients_n = min(max(args.clients, 1), 500)
    tmp = None
    if args.store:
        store_path = Path(args.store)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="load-test-")
        store_path = Path(tmp.name) / "events.sqlite"
    fill(store_path, args.events)
    port = free_port()
    proc = start_server(store_path, port, threads=args.threads)
    stop = threading.Event()
    budget = Budget(args.max_requests)
    clients = [Client(port, i, stop, budget, args.events) for i in range(clients_n)]
    try:
        t0 = time.perf_counter()
        for c in clients:
            c.start()
        stop.wait(duration)
        stop.set()
        for c in clients:
            c.join(90)
        elapsed = time.perf_counter() - t0
    finally:
        stop.set()
        proc.terminate()
        proc.wait(10)
        if tmp:
            tmp.cleanup()
    times: dict[str, list[float]] = {}
    errors = []
    for c in clients:
        errors += c.errors
        for kind, values in c.times.items():
            times.setdefault(kind, []).extend(values)
    total = sum(len(v) for v in times.values())
    print(f"\nload test: {clients_n} clients, {elapsed:.1f} s, {args.events:,} events, "
          f"{args.threads} server threads, 127.0.0.1 only")  # fmt: skip
    print(f"requests {total}, {total / elapsed:.1f} req/s, errors {len(errors)}")
    print(f"{'request':<22} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in sorted(times.items()) + [("all", [t for v in times.values() for t in v])]:
        if values:
            print(f"{kind:<22} {len(values):>7} {percentile(values, 50):>8.1f} "
                  f"{percentile(values, 95):>8.1f} {percentile(values, 99):>8.1f} "
                  f"{max(values):>8.1f}")  # fmt: skip
    for line in errors[:10]:
        print("error:", line)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
