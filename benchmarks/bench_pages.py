"""Items pages, numberMatched, extents and exports of the SQLite store at one size, in process.

Run: ``python benchmarks/bench_pages.py --store PATH [--events 100000] [--queries 60]``.
It fills ``PATH`` with synthetic events (``bench_store.synthetic_events``) unless it holds
them already, then prints one table: the cost of an items page (``query_features``, limit
100, what ``/collections/events/items`` reads) for boxes of 1, 2, 5 and 10 degrees and the
world, with a 90-day window and without; of its ``numberMatched`` (``count_at_most`` up to
2,000 where the store has it, else a full ``count``); of the time slider's histogram of a
box (``day_counts``, every date, what ``/maps/histogram.json`` reads); of the collection
extents asked first after a write; of a free-text count; of GeoJSON and CSV exports (MB/s and
peak Python memory). Wall-clock and CPU medians and p95 are printed: the machine may be shared.

It uses whatever ``geo`` is importable, so that an older checkout can be measured on its own
store in the same run: ``PYTHONPATH=/path/to/old/checkout python benchmarks/bench_pages.py
--store old.sqlite``. Targets (issue 17): a page's cost follows the page, not the matches;
server CPU per page <= 10 ms at 100k; any page p95 <= 50 ms at 1M; first extent after a
write cheap; CSV >= 50 % of GeoJSON's MB/s (>= 80 MB/s).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import DAYS, START, Sink, put_synthetic  # noqa: E402

from geo.events.model import Event  # noqa: E402
from geo.formats import FORMATS  # noqa: E402
from geo.store.base import EventQuery  # noqa: E402
from geo.store.sqlite.store import SQLiteStore  # noqa: E402
from webapp.extent import extent_of  # noqa: E402

#: numberMatched is counted up to this many (the API's NUMBER_MATCHED_MAX default).
CAP = 2_000


def _times(func, items):
    wall, cpu = [], []
    for item in items:
        t0, c0 = time.perf_counter(), time.process_time()
        func(item)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="SQLite file (filled when empty)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--exports", default="geojson,csv", help="formats exported ('' none)")
    parser.add_argument("--no-trace", action="store_true", help="skip the traced exports")
    args = parser.parse_args(argv)

    store = SQLiteStore(args.store)
    if store.count() == 0:
        t0 = time.perf_counter()
        put_synthetic(store, args.events)
        print(f"filled {args.events:,} events in {time.perf_counter() - t0:.0f} s")
    n = store.count()
    path = Path(args.store)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    import geo

    print(f"code {Path(geo.__file__).parent.parent}, {n:,} events, store {size:,.0f} MB, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    counting = getattr(store, "count_at_most", None)

    def matched(q):
        return counting(q, CAP) if counting else store.count(q)

    rows = [("what", "matches (median)", "wall p50 ms", "wall p95 ms", "CPU p50 ms")]

    def measure(label, func, items, detail=""):
        wall, cpu = _times(func, items)
        rows.append((label, detail, f"{statistics.median(wall):.1f}", f"{_p95(wall):.1f}",
                     f"{statistics.median(cpu):.1f}"))  # fmt: skip

    rng = random.Random(17)
    for deg in (1, 2, 5, 10, 360):
        for days in (90, None):
            queries = []
            for _ in range(args.queries):
                if deg == 360:
                    box = (-180.0, -90.0, 180.0, 90.0)
                else:
                    lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - min(deg, 8))
                    box = (lon, lat, lon + deg, lat + min(deg, 8))
                start = START + timedelta(days=rng.randrange(DAYS - 90)) if days else None
                end = start + timedelta(days=days) if days else None
                queries.append(EventQuery(bbox=box, start=start, end=end, limit=100))
            counts = [store.count(q) for q in queries[:10]]
            label = f"bbox {deg if deg < 360 else 'world'}{' deg' if deg < 360 else ''}"
            label += f" + {days} days" if days else ", all dates"
            detail = f"{statistics.median(counts):,.0f}"
            measure(f"page   {label}", lambda q: list(store.query_features(q)), queries, detail)
            measure(f"number {label}", matched, queries, detail)
    # the time slider's histogram (/maps/histogram.json): every date, the viewer's type list
    from geo.events.taxonomy import EVENT_TYPES

    for deg in (1, 2, 5, 10, 360, None):
        queries = []
        for _ in range(max(3, args.queries // 4)):
            if deg is None:  # the view holds every event: the viewer sends no bbox
                box = None
            elif deg == 360:
                box = (-180.0, -90.0, 180.0, 90.0)
            else:
                lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - min(deg, 8))
                box = (lon, lat, lon + deg, lat + min(deg, 8))
            queries.append(EventQuery(bbox=box, types=tuple(EVENT_TYPES)))
        counts = [sum(r[2] for r in store.day_counts(q)) for q in queries[:3]]
        label = "no bbox" if deg is None else f"bbox {deg} deg" if deg < 360 else "bbox world"
        detail = f"{statistics.median(counts):,.0f}"
        measure(f"histogram {label}", store.day_counts, queries, detail)
    measure("count free text (all match)", store.count, [EventQuery(text="shelling place")] * 5)
    for types, label in ((None, "all"), (("front_line",), "front_line")):

        def first_extent(_, types=types):
            # a write first: extents cached per data version are made again
            store.put_events([Event.from_dict({"event_id": f"bench-{time.time_ns()}",
                                               "event_type": "attack",
                                               "date_start": "2024-01-01"})])  # fmt: skip
            t0, c0 = time.perf_counter(), time.process_time()
            extent_of(store, types)
            return time.perf_counter() - t0, time.process_time() - c0

        walls, cpus = zip(*(first_extent(i) for i in range(3)), strict=True)
        wall_ms, cpu_ms = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
        rows.append((f"extent of {label} after a write", "", f"{wall_ms:.1f}",
                     f"{max(walls) * 1000:.1f}", f"{cpu_ms:.1f}"))  # fmt: skip

    from webapp import create_app

    client = create_app({"TESTING": True, "STORE": store}).test_client()
    for path, accept in (("/", "text/html"), ("/collections", "application/json")):

        def first_request(_, path=path, accept=accept):
            time.sleep(1.05 - time.time() % 1)  # a new second: a new data version
            store.put_events([Event.from_dict({"event_id": f"bench-{time.time_ns()}",
                                               "event_type": "attack",
                                               "date_start": "2024-01-01"})])  # fmt: skip
            t0, c0 = time.perf_counter(), time.process_time()
            resp = client.get(path, headers={"Accept": accept})
            assert resp.status_code == 200 and resp.data
            return time.perf_counter() - t0, time.process_time() - c0

        walls, cpus = zip(*(first_request(i) for i in range(3)), strict=True)
        wall_ms, cpu_ms = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
        rows.append((f"first GET {path} after a write", "", f"{wall_ms:.1f}",
                     f"{max(walls) * 1000:.1f}", f"{cpu_ms:.1f}"))  # fmt: skip

    for name in [f for f in args.exports.split(",") if f]:
        fmt = FORMATS[name]
        for _ in range(0 if args.no_trace else 1):
            sink = Sink()
            tracemalloc.start()
            t0, c0 = time.perf_counter(), time.process_time()
            fmt.write(fmt.events_for(store, EventQuery()), sink, meta={})
            secs, cpu = time.perf_counter() - t0, time.process_time() - c0
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            mb = sink.size / 1e6
            rows.append((f"export {name} (traced)", f"{mb:,.0f} MB", f"{mb / secs:.0f} MB/s",
                         f"peak {peak / 1e6:.1f} MB", f"{mb / cpu:.0f} MB/s CPU"))  # fmt: skip
        sink = Sink()
        t0, c0 = time.perf_counter(), time.process_time()
        fmt.write(fmt.events_for(store, EventQuery()), sink, meta={})
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        mb = sink.size / 1e6
        rows.append((f"export {name}", f"{mb:,.0f} MB", f"{mb / secs:.0f} MB/s", "",
                     f"{mb / cpu:.0f} MB/s CPU"))  # fmt: skip
    store.close()
    width = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, width, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
