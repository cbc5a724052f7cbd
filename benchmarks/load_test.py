"""Load test on loopback: normal reads and writes beside slow-query attempts and an ingest.

Run: ``python benchmarks/load_test.py [--clients 16] [--attackers 8] [--duration 30]
[--events 20000] [--ingest 200] [--threads 8] [--store PATH] [--max-requests 200000]``.

It starts ``conflictmap serve`` on a free 127.0.0.1 port (never another host) over a store of
``--events`` synthetic events, then runs for a bounded time (``--duration``, at most 600 s,
and at most ``--max-requests`` requests):

* ``--clients`` keep-alive clients mixing normal requests: items queries (bbox + datetime),
  single items, collections, the landing page, geocoding one name, and PATCHes of an event's
  summary (with a token);
* ``--attackers`` clients sending the slow requests of issue 13 over and over: 250 one-letter
  search words, 990 actors (as a page and as CSV), the largest allowed actor list and search,
  1,000 random 200-character names to geocode, and the largest allowed geocoding batch;
* with ``--ingest N``, ``conflictmap ingest`` of N synthetic articles in another process,
  started two seconds in: PATCHes sent while it runs are counted apart.

It prints, per request kind, the count, p50/p95/p99/max latency in ms, the answers refused as
designed (400/413 for requests beyond the limits, 503 for shed load) and the errors: any other
status, a timeout or a connection failure (target: 0 errors; normal requests and PATCHes under
500 ms p99 while the attacks and the ingest run). Exit status 1 when there were errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_api import fill, free_port, percentile, start_server  # noqa: E402
from bench_store import DAYS, START  # noqa: E402

PLACES = ["Kursk", "Kyiv", "Sudzha", "Pokrovsk", "Donetsk", "Kharkiv", "Zaporizhzhia"]
ITEMS = "/collections/events/items"
#: Statuses an attack may get: answered, refused beyond a limit, or shed (503).
ATTACK_OK = {200, 400, 413, 503}


def normal_request(rng, n_events):
    """Return ``(kind, method, path, body)`` of one normal request."""
    roll = rng.random()
    if roll < 0.45:
        deg = rng.choice((1, 2, 5))
        lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - deg)
        start = START + timedelta(days=rng.randrange(DAYS - 90))
        end = start + timedelta(days=rng.choice((7, 30, 90)))
        path = (
            f"{ITEMS}?bbox={lon:.2f},{lat:.2f},{lon + deg:.2f},{lat + deg:.2f}"
            f"&datetime={start.isoformat()}/{end.isoformat()}"
        )
        return "items bbox+datetime", "GET", path, None
    if roll < 0.60:
        return "item", "GET", f"{ITEMS}/ev-{rng.randrange(n_events):08d}", None
    if roll < 0.67:
        return "collections", "GET", "/collections", None
    if roll < 0.72:
        return "landing", "GET", "/?f=json", None
    if roll < 0.80:
        return "geocode", "GET", f"/api/geocode?q={rng.choice(PLACES)}", None
    body = json.dumps({"summary": f"Checked by an analyst ({rng.random():.6f})."})
    return "PATCH", "PATCH", f"{ITEMS}/ev-{rng.randrange(n_events):08d}", body


def attacks(rng):
    """Return the slow requests of issue 13 (and the largest allowed ones) as a list."""
    names = ["".join(rng.choice(string.ascii_letters) for _ in range(200)) for _ in range(1000)]
    allowed = ["".join(rng.choice(string.ascii_letters + " ") for _ in range(200))] * 99
    twenty = ",".join(f"Forces+{i}" for i in range(20))
    return [
        ("attack q 250 letters", "GET", f"{ITEMS}?q=" + "+".join(["s"] * 250), None),
        ("attack 990 actors", "GET", f"{ITEMS}?actor=" + ",".join(f"x{i}" for i in range(990)),
         None),
        ("attack 990 actors csv", "GET",
         f"{ITEMS}?f=csv&actor=" + ",".join(f"x{i}" for i in range(990)), None),
        ("attack 20 actors", "GET", f"{ITEMS}?actor={twenty}", None),
        ("attack 20 actors csv", "GET", f"{ITEMS}?f=csv&actor={twenty}", None),
        ("attack 8 prefixes", "GET", f"{ITEMS}?q=sy+sh+ne+pl+wi+ev+se+so", None),
        ("attack geocode 1000", "POST", "/api/geocode", json.dumps(names)),
        ("attack geocode 19.8k", "POST", "/api/geocode", json.dumps(allowed)),
    ]  # fmt: skip


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


class Client(threading.Thread):
    """One keep-alive HTTP client sending requests until ``stop`` is set."""

    def __init__(self, port, stop, budget, next_request, token, ingesting):
        super().__init__(daemon=True)
        self.port, self.stop, self.budget = port, stop, budget
        self.next_request, self.token, self.ingesting = next_request, token, ingesting
        self.times: dict[str, list[float]] = {}
        self.refused: dict[str, int] = {}
        self.errors: list[tuple[str, str]] = []

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def run(self):
        conn = self._connect()
        while not self.stop.is_set() and self.budget.take():
            kind, method, path, body = self.next_request()
            if kind == "PATCH" and self.ingesting.is_set():
                kind = "PATCH during ingest"
            headers = {"Accept": "application/json", "Authorization": f"Bearer {self.token}"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                expected = ATTACK_OK if kind.startswith("attack") else {200}
                if resp.status not in expected:
                    self.errors.append((kind, f"{resp.status} {path[:80]}: {data[:160]!r}"))
                elif resp.status != 200:
                    self.refused[kind] = self.refused.get(kind, 0) + 1
            except (OSError, http.client.HTTPException) as err:
                self.errors.append((kind, f"{type(err).__name__} {path[:80]}: {err}"))
                conn.close()
                conn = self._connect()
            self.times.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        conn.close()


def write_articles(folder, n, seed=3):
    """Write ``n`` synthetic articles (``bench_ingest.make_article``) with their metadata."""
    from bench_ingest import make_article

    rng = random.Random(seed)
    base = date(2023, 1, 1)
    for i in range(n):
        published = base + timedelta(days=i % 600)
        path = Path(folder) / f"article-{i:05d}.txt"
        path.write_text(make_article(rng, 600, published), "utf-8")
        path.with_suffix(".yaml").write_text(
            f"publisher: Desk {i % 7}\npublished_at: {published.isoformat()}\n", "utf-8"
        )


def run_ingest(store_path, folder, ingesting, report, write_seconds=None):
    """Run ``conflictmap ingest`` of ``folder`` in another process; note when it runs.

    ``write_seconds`` overrides ``geo.pipeline.ingest.WRITE_SECONDS`` (to compare settings).
    """
    setting = ""
    if write_seconds is not None:
        setting = f"import geo.pipeline.ingest as i; i.WRITE_SECONDS = {float(write_seconds)!r}; "
    command = [sys.executable, "-c", setting + "from webapp.cli import main; main()"]
    command += ["--store", str(store_path), "ingest", str(folder)]
    ingesting.set()
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    report["ingest seconds"] = time.perf_counter() - t0
    report["ingest status"] = done.returncode
    report["ingest output"] = (done.stdout + done.stderr).strip().splitlines()[-1:]
    ingesting.clear()


def main(argv=None):
    """Run the load test and print the table; exit status 1 when any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--attackers", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds (at most 600).")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--ingest", type=int, default=0, help="Articles ingested meanwhile.")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=8, help="Server worker threads.")
    parser.add_argument("--store", help="Keep (and reuse) the store at this path.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--write-seconds", type=float, help="The ingest's WRITE_SECONDS (default: the code's)."
    )
    args = parser.parse_args(argv)
    duration = min(max(args.duration, 1.0), 600.0)
    clients_n = min(max(args.clients, 1), 200)
    attackers_n = min(max(args.attackers, 0), 64)
    tmp = tempfile.TemporaryDirectory(prefix="load-test-")
    store_path = Path(args.store) if args.store else Path(tmp.name) / "events.sqlite"
    fill(store_path, args.events)
    from geo.store.sqlite.store import SQLiteStore

    with SQLiteStore(store_path) as store:
        token = store.create_token("load-test")
    articles = Path(tmp.name) / "articles"
    if args.ingest:
        articles.mkdir()
        write_articles(articles, args.ingest)
    port = free_port()
    proc = start_server(store_path, port, threads=args.threads)
    stop, ingesting = threading.Event(), threading.Event()
    budget = Budget(args.max_requests)
    rng = random.Random(args.seed)
    attack_list = attacks(rng)
    clients = []
    for i in range(clients_n):
        r = random.Random(args.seed * 1000 + i)
        clients.append(Client(port, stop, budget, lambda r=r: normal_request(r, args.events),
                              token, ingesting))  # fmt: skip
    for i in range(attackers_n):
        cycle = iter(attack_list[i % len(attack_list) :] * 100_000)
        clients.append(Client(port, stop, budget, cycle.__next__, token, ingesting))
    report, ingester = {}, None
    load = os.getloadavg()
    try:
        t0 = time.perf_counter()
        for c in clients:
            c.start()
        if args.ingest:
            time.sleep(2.0)
            ingester = threading.Thread(
                target=run_ingest,
                args=(store_path, articles, ingesting, report, args.write_seconds),
                daemon=True,
            )
            ingester.start()
        stop.wait(duration)
        stop.set()
        for c in clients:
            c.join(90)
        elapsed = time.perf_counter() - t0
        if ingester is not None:
            ingester.join(900)
    finally:
        stop.set()
        proc.terminate()
        proc.wait(10)
        tmp.cleanup()
    times: dict[str, list[float]] = {}
    refused: dict[str, int] = {}
    errors = []
    for c in clients:
        errors += c.errors
        for kind, values in c.times.items():
            times.setdefault(kind, []).extend(values)
        for kind, n in c.refused.items():
            refused[kind] = refused.get(kind, 0) + n
    total = sum(len(v) for v in times.values())
    print(f"\nload test: {clients_n} clients + {attackers_n} attackers, {elapsed:.1f} s, "
          f"{args.events:,} events, {args.threads} server threads, 127.0.0.1 only; "
          f"load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f}")  # fmt: skip
    if args.ingest:
        print(f"ingest of {args.ingest} articles in another process (WRITE_SECONDS "
              f"{args.write_seconds if args.write_seconds is not None else 'default'}): "
              f"{report.get('ingest seconds', float('nan')):.1f} s, exit "
              f"{report.get('ingest status')}, "
              f"{' '.join(report.get('ingest output', []))}")  # fmt: skip
    print(f"requests {total}, {total / elapsed:.1f} req/s, errors {len(errors)}")
    header = f"{'request':<24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    print(header + f" {'refused':>8} {'errors':>6}")
    normal = [t for k, v in times.items() if not k.startswith("attack") for t in v]
    for kind, values in [*sorted(times.items()), ("all normal + writes", normal)]:
        if values:
            n_err = sum(1 for k, _ in errors if k == kind)
            print(f"{kind:<24} {len(values):>6} {percentile(values, 50):>8.1f} "
                  f"{percentile(values, 95):>8.1f} {percentile(values, 99):>8.1f} "
                  f"{max(values):>8.1f} {refused.get(kind, 0):>8} {n_err:>6}")  # fmt: skip
    for kind, line in errors[:10]:
        print(f"error: {kind}: {line}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
