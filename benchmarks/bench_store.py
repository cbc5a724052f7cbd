"""Benchmark of the event store: insert, bbox + date queries, count, and export throughput.

Run: ``python benchmarks/bench_store.py [--events 100000] [--queries 200] [--store PATH|URL]``.
It builds a store of synthetic events (lon 22-40, lat 44-53, dates over two years, 5%
area-level events with a polygon), by default an SQLite file in a temporary folder, and
prints a table. ``--store postgresql://user@host:port/db`` measures the PostGIS store (an
empty database or schema; ``--reuse`` keeps the events already there). Targets: a bbox +
date-interval query over 100,000 events (SQLite) and over 1,000,000 events (PostGIS) in at
most 20 ms at p95 (median and p95 reported).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.events.model import COUNT_KINDS, EVENT_TYPES, Event  # noqa: E402
from geo.formats import FORMATS  # noqa: E402
from geo.store.base import EventQuery, open_store  # noqa: E402
from geo.store.sqlite.store import SQLiteStore  # noqa: E402

START = date(2023, 1, 1)
DAYS = 730


def synthetic_events(n, seed=7, order="random"):
    """Yield ``n`` reproducible synthetic events spread over Ukraine and western Russia.

    In ``order="random"`` their dates come in random order; ``"date"`` yields the same events
    sorted by (first day, id), as a store ingesting news as it comes receives them.
    """
    if order == "date":
        data = sorted(_synthetic_dicts(n, seed), key=lambda d: (d["date_start"], d["event_id"]))
        return (Event.from_dict(d) for d in data)
    return (Event.from_dict(d) for d in _synthetic_dicts(n, seed))


def _synthetic_dicts(n, seed):
    rng = random.Random(seed)
    publishers = [f"Outlet {i}" for i in range(40)]
    for i in range(n):
        lon, lat = rng.uniform(22, 40), rng.uniform(44, 53)
        start = START + timedelta(days=rng.randrange(DAYS))
        span = 0 if rng.random() < 0.8 else rng.randrange(1, 60)
        data = {
            "event_id": f"ev-{i:08d}",
            "event_type": rng.choice(EVENT_TYPES),
            "date_start": start.isoformat(),
            "date_end": (start + timedelta(days=span)).isoformat(),
            "date_precision": "day" if span == 0 else "range",
            "summary": f"Synthetic event {i} near place {rng.randrange(5000)} with shelling",
            "location_name": f"Place {rng.randrange(5000)}",
            "latitude": round(lat, 5),
            "longitude": round(lon, 5),
            "actor1": f"Military Forces of Country {rng.randrange(6)}",
            "status": rng.choice(("claimed", "corroborated")),
            "counts": [{"kind": rng.choice(COUNT_KINDS), "low": 1, "high": rng.randrange(1, 50)}],
            "sources": [
                {
                    "source_id": f"art-{rng.randrange(20000)}",
                    "publisher": rng.choice(publishers),
                    "url": f"https://news.example/{i}/{k}",
                    "quote": "A sentence of the article that reports the event in some detail.",
                    "start": 100,
                    "end": 166,
                }
                for k in range(rng.randrange(1, 4))
            ],
        }
        if rng.random() < 0.05:
            w, h = rng.uniform(0.5, 3), rng.uniform(0.5, 2)
            ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
            data["geometry"] = {"type": "Polygon", "coordinates": [ring]}
            data["geo_precision"] = "admin1"
        yield data


#: Seed of the queries' boxes and windows (the first case, a 2x2 deg box over 30 days with
#: limit 100, is the target's page; ``bench_scale.py --pages-store`` asks the same pages).
QUERY_SEED = 11


def page_query(rng, box_deg, days, limit):
    """Return a query of a random ``box_deg`` square box over ``days`` days among the
    synthetic events' places and dates, at most ``limit`` events."""
    lon, lat = rng.uniform(22, 40 - box_deg), rng.uniform(44, 53 - box_deg)
    start = START + timedelta(days=rng.randrange(DAYS - days))
    return EventQuery(
        bbox=(lon, lat, lon + box_deg, lat + box_deg),
        start=start,
        end=start + timedelta(days=days),
        limit=limit,
    )


def put_synthetic(store, n, batch_size=5000, order="random"):
    """Put ``n`` synthetic events into ``store`` in batches (one transaction each)."""
    batch = []
    for event in synthetic_events(n, order=order):
        batch.append(event)
        if len(batch) == batch_size:
            store.put_events(batch)
            batch = []
    store.put_events(batch)


def server_cpu():
    """Return the CPU seconds used so far by this machine's PostgreSQL processes (Linux)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def timed(func, items, *, server=False):
    """Return wall-clock and CPU times (ms) of ``func(item)`` for each item.

    CPU time is this process's, plus the database server's when ``server`` (a local
    PostgreSQL): on a shared machine it shows the code's own cost when the wall clock also
    counts waiting for a core.
    """
    wall, cpu = [], []
    for item in items:
        s0 = server_cpu() if server else 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        func(item)
        wall.append((time.perf_counter() - t0) * 1000)
        used = time.process_time() - c0
        if server:
            used += server_cpu() - s0
        cpu.append(used * 1000)
    return wall, cpu


def stats(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95


def _analyze(store):
    """Refresh PostgreSQL's planner statistics after a bulk load (as autovacuum would)."""
    import psycopg

    with psycopg.connect(store.url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE events")
        conn.execute("VACUUM ANALYZE event_sources")


def _pg_size(store):
    import psycopg

    with psycopg.connect(store.url) as conn:
        size = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
        ).fetchone()[0]
        return float(size) / 1e6


def _pg_version(url):
    import psycopg

    with psycopg.connect(url) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        postgis = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
    return f"PostgreSQL {pg} + PostGIS {postgis}"


class Sink(io.RawIOBase):
    """A binary sink that counts bytes (keeps export memory out of the measurement)."""

    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, b):
        self.size += len(b)
        return len(b)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--store", help="Keep the store at this path (default: a temp folder).")
    parser.add_argument(
        "--reuse", action="store_true", help="Reuse the events already in --store (no insert)."
    )
    parser.add_argument("--no-export", action="store_true", help="Skip the export measures.")
    parser.add_argument(
        "--order",
        choices=("random", "date"),
        default="random",
        help="Order in which the events are inserted: dates in random order (default), or "
        "in date order as a store ingesting news as it comes receives them.",
    )
    parser.add_argument(
        "--optimize",
        action="store_true",
        help="Run the store's optimize() (conflictmap store optimize) before measuring.",
    )
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="bench-store-")
    server = bool(args.store) and args.store.startswith(("postgresql://", "postgres://"))
    path = Path(folder) / "bench.sqlite" if not args.store or server else Path(args.store)
    rows = []
    if server:
        store = open_store(args.store)
        if store.count(EventQuery(include_deleted=True)) and not args.reuse:
            sys.exit(f"{store!r} holds events; give an empty database or --reuse")
        if not args.reuse:
            t0 = time.perf_counter()
            put_synthetic(store, args.events, order=args.order)
            insert_s = time.perf_counter() - t0
            rate = f"{args.events / insert_s:,.0f} events/s"
            rows.append((f"insert (batches of 5,000, {args.order} order)",
                         f"{args.events:,} events", f"{insert_s:.1f} s", rate, ""))  # fmt: skip
            _analyze(store)
        if args.optimize:
            t0 = time.perf_counter()
            store.optimize()
            rows.append(("optimize (date order)", "", f"{time.perf_counter() - t0:.1f} s", "", ""))
        store.close()
    elif not (args.reuse and path.exists()):
        for old in path.parent.glob(path.name + "*"):
            old.unlink()
        store = SQLiteStore(path)
        t0 = time.perf_counter()
        put_synthetic(store, args.events, order=args.order)
        insert_s = time.perf_counter() - t0
        rows.append(("insert (batches of 5,000)", f"{args.events:,} events", f"{insert_s:.1f} s",
                     f"{args.events / insert_s:,.0f} events/s", ""))  # fmt: skip
        store.close()
    store = open_store(args.store) if server else SQLiteStore(path)
    if server:
        size_mb = _pg_size(store)
    else:
        size_mb = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    rows.append(("store size", f"{store.count():,} events", f"{size_mb:.0f} MB", "", ""))

    rng = random.Random(QUERY_SEED)

    def random_query(box_deg, days, limit):
        return page_query(rng, box_deg, days, limit)

    cases = [
        ("bbox 2x2 deg + 30 days", 2, 30, 100),
        ("bbox 5x5 deg + 90 days", 5, 90, 100),
        ("bbox 5x5 deg + 90 days", 5, 90, 1000),
        ("bbox 2x2 deg + 2 years", 2, DAYS - 1, 100),
        ("bbox 10x8 deg + 30 days", 8, 30, 100),
        ("bbox 10x8 deg + 30 days", 8, 30, 1000),
    ]

    def measure(label, detail, func, items):
        wall, cpu = timed(func, items, server=server)
        med, p95 = stats(wall)
        rows.append((label, detail, f"{med:.1f} ms", f"{p95:.1f} ms", f"{stats(cpu)[0]:.1f} ms"))

    def fetch(q):
        return list(store.query(q))

    for label, box, days, limit in cases:
        queries = [random_query(box, days, limit) for _ in range(args.queries)]
        matched = statistics.mean(store.count(q) for q in queries[:20])
        if limit == 100:
            measure(f"count {label}", f"~{matched:,.0f} match", store.count, queries)
        measure(f"query {label}", f"~{matched:,.0f} match, limit {limit}", fetch, queries)

    windows = [random_query(1, 30, 1000) for _ in range(args.queries // 4 or 1)]
    dated = [EventQuery(start=q.start, end=q.end, limit=1000) for q in windows]
    measure("count 30 days, no bbox", "", store.count, dated)
    measure("query 30 days, no bbox", "limit 1000", fetch, dated)
    measure(
        "count free text (all match)", "", store.count, [EventQuery(text="shelling place")] * 10
    )
    source_q = [EventQuery(source=f"Outlet {i}", limit=1000) for i in range(10)]
    measure("query source=publisher", "limit 1000", fetch, source_q)
    measure("count all", f"{store.count():,}", store.count, [EventQuery()] * 5)

    for name in () if args.no_export else ("geojson", "csv"):
        sink = Sink()
        t0, c0 = time.perf_counter(), time.process_time()
        fmt, meta = FORMATS[name], {"data_as_of": store.data_as_of()}
        fmt.write(fmt.events_for(store, EventQuery()), sink, meta=meta)  # as CLI and API do
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        mb = sink.size / 1e6
        rows.append((f"export {name} (all)", f"{mb:.0f} MB", f"{secs:.1f} s",
                     f"{mb / secs:.1f} MB/s", f"{mb / cpu:.1f} MB/s (CPU)"))  # fmt: skip

    # Peak Python memory of an export: flat in the number of events (it streams).
    for n in () if args.no_export else (args.events // 10, args.events):
        tracemalloc.start()
        fmt = FORMATS["geojson"]
        fmt.write(fmt.events_for(store, EventQuery(limit=n)), Sink(), meta={})
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(("export geojson peak memory", f"{n:,} events", f"{peak / 1e6:.1f} MB", "", ""))

    store.close()
    cpu_head = "CPU median (+ server)" if server else "CPU median"
    rows.insert(0, ("what", "detail", "wall median|total", "wall p95|rate", cpu_head))
    width = [max(len(str(r[i])) for r in rows) for i in range(5)]
    engine = (_pg_version(args.store) if server
              else f"SQLite {__import__('sqlite3').sqlite_version}")  # fmt: skip
    print(f"{engine}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, width, strict=True)))
    if not args.store or server:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        os.rmdir(folder)


if __name__ == "__main__":
    main()
