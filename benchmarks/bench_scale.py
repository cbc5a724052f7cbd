"""Scaling out, side by side in one run: API on SQLite vs PostGIS, ingest on 1 vs 2 Dask workers.

Run: ``python benchmarks/bench_scale.py --postgres postgresql://user@127.0.0.1:5432/db
[--events 100000] [--clients 16] [--duration 30] [--articles 10000] [--words 400]``.

* API: the same synthetic events (``bench_store.synthetic_events``) in an SQLite file and in
  the PostGIS database (an empty one, or a schema of it); ``conflictmap serve`` on SQLite (one
  process, waitress threads) and ``conflictmap serve --workers 2`` on PostGIS, each loaded by
  ``--clients`` keep-alive clients on loopback asking bbox + datetime pages (limit 100) for
  ``--duration`` seconds. Prints pages/s, latency percentiles and the ratio; target: PostGIS
  with 2 workers >= 1.8x the pages/s of one SQLite process.
* Ingestion: ``--articles`` synthetic articles (``bench_ingest.make_article``, ``--words``
  words each) ingested into a new SQLite store by ``ingest_distributed`` on a local cluster of
  1 worker, then of 2 workers. Two times of each: the wall time of the whole call (the
  cluster's start, i.e. workers loading the gazetteer and language model, and its stop
  included) and the ingestion alone (first partition submitted to last event written); the
  ratio is printed for both. Target: 2 workers >= 1.7x the articles/s of 1.
  ``--ingest-workers 1`` runs one of them; ``--keep DIR --part 0:5000`` then
  ``--part 5000:`` splits a run into two (the same stores, continued in input order: the
  same events as one run).

* Pages (with ``--pages-store URL``): the bbox + date page of ``bench_store.py`` (2x2 deg
  box, 30 days, limit 100, the same ``--queries`` pages) on a PostGIS store it filled, e.g.
  1,000,000 events; median and p95. Target: p95 <= 20 ms at 1,000,000 events.

The figures of every part run are printed side by side at the end.

The load average is printed before each measure: on a machine shared with other work the
figures move with it; run it when the machine is quiet and repeat. On Linux with autogroup
scheduling (``/proc/sys/kernel/sched_autogroup_enabled``), ``nice`` does not keep other
sessions' jobs off the cores: run it in a session of its own whose autogroup has a low nice,
``setsid sh -c 'echo -19 > /proc/self/autogroup; exec python benchmarks/bench_scale.py …'``
(root; see docs/SCALING.md).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
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

from bench_api import cpu_seconds, free_port, percentile, wait_until_serving  # noqa: E402
from bench_store import DAYS, START, put_synthetic  # noqa: E402

from geo.store.base import EventQuery, open_store  # noqa: E402


def _load():
    return f"load {os.getloadavg()[0]:.1f}"


def _start(store_url, port, extra):
    cmd = [sys.executable, "-c", "from webapp.cli import main; main()", "--store", store_url,
           "serve", "--port", str(port), "--no-ingest", *extra]  # fmt: skip
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=log)
    return wait_until_serving(proc, port, log)


def _page_paths(rng, n):
    for _ in range(n):
        deg = rng.choice((1, 2, 5))
        lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - deg)
        start = START + timedelta(days=rng.randrange(DAYS - 90))
        end = start + timedelta(days=rng.choice((7, 30, 90)))
        yield (f"/collections/events/items?bbox={lon:.2f},{lat:.2f},{lon + deg:.2f},"
               f"{lat + deg:.2f}&datetime={start.isoformat()}/{end.isoformat()}")  # fmt: skip


def _hammer(port, clients, duration, seed):
    """Run ``clients`` keep-alive clients for ``duration`` s; return (pages, errors, times)."""
    import http.client

    stop = threading.Event()
    results = []

    def client(k):
        rng, times, errors = random.Random(seed * 1000 + k), [], 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in _page_paths(rng, 10**9):
            if stop.is_set():
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": "application/geo+json"})
                resp = conn.getresponse()
                resp.read()
                errors += resp.status != 200
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            times.append((time.perf_counter() - t0) * 1000)
        conn.close()
        results.append((times, errors))

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    time.sleep(duration)
    stop.set()
    for t in threads:
        t.join(60)
    times = [x for ts, _ in results for x in ts]
    return len(times), sum(e for _, e in results), times


def bench_api(args, tmp):
    sqlite_path = Path(args.sqlite) if args.sqlite else Path(tmp) / "api.sqlite"
    rows = []
    for label, url, extra in (
        ("SQLite, 1 process", str(sqlite_path), ["--threads", "8"]),
        ("PostGIS, --workers 2", args.postgres, ["--workers", "2", "--threads", "4"]),
    ):
        store = open_store(url)
        if store.count(EventQuery(include_deleted=True)) not in (0, args.events):
            sys.exit(f"{store!r} holds other events; give an empty database")
        if store.count() != args.events:
            t0 = time.perf_counter()
            put_synthetic(store, args.events)
            print(f"{label}: filled {args.events:,} events in {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr)  # fmt: skip
            if url.startswith("postgres"):
                import psycopg

                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE events")
        store.close()
        port = free_port()
        proc = _start(url, port, extra)
        try:
            _hammer(port, 4, 3, seed=1)  # warm-up: caches, imports, prepared statements
            load = _load()
            pids = [proc.pid, *_children(proc.pid)]
            cpu0 = sum(cpu_seconds(p) for p in pids)
            pages, errors, times = _hammer(port, args.clients, args.duration, seed=2)
            cpu = sum(cpu_seconds(p) for p in pids) - cpu0
        finally:
            proc.terminate()
            proc.wait(30)
        rows.append((label, pages / args.duration, percentile(times, 50),
                     percentile(times, 95), errors, cpu / args.duration, load))  # fmt: skip
    print(f"\nAPI bbox + datetime pages (limit 100), {args.events:,} events, {args.clients} "
          f"keep-alive clients for {args.duration:.0f} s, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"{'server':<22} {'pages/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6} "
          f"{'app CPU':>8}  load")  # fmt: skip
    for label, rate, p50, p95, errors, cpu, load in rows:
        print(f"{label:<22} {rate:>8.1f} {p50:>7.1f} {p95:>7.1f} {errors:>6} {cpu:>7.2f}c  {load}")
    ratio = rows[1][1] / rows[0][1]
    print(f"ratio PostGIS --workers 2 / SQLite: {ratio:.2f}x; target >= 1.8x: "
          f"{'met' if ratio >= 1.8 else 'NOT met'} (app CPU: cores used by the server "
          "processes, not counting PostgreSQL's own)")  # fmt: skip
    return (
        f"{rows[1][1]:.1f} / {rows[0][1]:.1f} pages/s = {ratio:.2f}x ({rows[0][6]}, {rows[1][6]})",
        ratio >= 1.8,
    )


def bench_pages(args):
    """The page of the store target: bbox 2x2 deg + 30 days, limit 100, on ``--pages-store``
    (a PostGIS store of ``bench_store.py``'s synthetic events, e.g. 1,000,000), the same
    queries as ``bench_store.py``'s first case; median and p95 of ``--queries``."""
    from bench_store import QUERY_SEED, page_query, stats, timed

    store = open_store(args.pages_store)
    try:
        rng = random.Random(QUERY_SEED)
        queries = [page_query(rng, 2, 30, 100) for _ in range(args.queries)]
        n = store.count()
        matched = sum(store.count(q) for q in queries[:20]) / 20  # also warms the cache
        load = _load()
        wall, cpu = timed(lambda q: list(store.query(q)), queries, server=True)
        load = f"{load}-{_load()[5:]}"
    finally:
        store.close()
    med, p95 = stats(wall)
    print(f"\nPostGIS store of {n:,} events: page bbox 2x2 deg + 30 days (~{matched:,.0f} "
          f"match), limit 100, {len(queries)} queries")  # fmt: skip
    print(f"median {med:.1f} ms, p95 {p95:.1f} ms, CPU median (+ server) "
          f"{stats(cpu)[0]:.1f} ms; {load}; target p95 <= 20 ms: "
          f"{'met' if p95 <= 20 else 'NOT met'}")  # fmt: skip
    return f"{n:,} events: median {med:.1f} ms, p95 {p95:.1f} ms ({load})", p95 <= 20


def _children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def write_articles(folder, n, words):
    """Write the benchmark's ``n`` synthetic articles (and their .yaml) into ``folder``;
    return their paths in order (the same articles on every call)."""
    from bench_ingest import make_article

    rng, out = random.Random(1), []
    for i in range(n):
        published = date(2024, 1, 1) + timedelta(days=i % 600)
        path = folder / f"a{i:05d}.txt"
        path.write_text(make_article(rng, words, published), "utf-8")
        path.with_suffix(".yaml").write_text(
            f"publisher: Desk {i % 7}\npublished_at: {published.isoformat()}\n", "utf-8"
        )
        out.append(path)
    return out


def bench_ingest(args, tmp):
    from geo.pipeline.distributed import ingest_distributed
    from geo.store.sqlite.store import SQLiteStore

    home = Path(args.keep) if args.keep else Path(tmp)
    folder = home / "articles"
    if not (folder / f"a{args.articles - 1:05d}.yaml").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_articles(folder, args.articles, args.words)
    files = [folder / f"a{i:05d}.txt" for i in range(args.articles)]
    lo, hi = (int(x) if x else None for x in (args.part or ":").split(":"))
    files = files[lo:hi]
    rows = []
    for workers in args.ingest_workers:
        store = SQLiteStore(home / f"ingest-{workers}.sqlite")
        load, timings = _load(), {}
        t0, c0 = time.perf_counter(), time.process_time()
        w0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = ingest_distributed(store, files, workers=workers, timings=timings)
        wall, client = time.perf_counter() - t0, time.process_time() - c0
        w1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, reaped at the end
        cpu = w1.ru_utime + w1.ru_stime - w0.ru_utime - w0.ru_stime
        ingest = timings["written"] - timings["ready"]  # first submit to last event written
        rows.append((workers, len(report.ok), wall, ingest, store.count(), len(report.failed),
                     f"{load}-{_load()[5:]}", client, cpu))  # fmt: skip
        store.close()
    part = f", articles [{args.part}] of them into the kept stores" if args.part else ""
    print(f"\nIngestion of {args.articles:,} articles of ~{args.words} words{part} on a local "
          f"Dask cluster: wall = the whole call, cluster start and stop included; ingest = "
          f"first partition submitted (every worker's model loaded) to last event written"
          )  # fmt: skip
    print(f"{'workers':>7} {'articles':>8} {'wall s':>7} {'ingest s':>8} {'start+stop s':>12} "
          f"{'articles/s':>10} {'events':>7} {'failed':>6} {'client CPU ms/art':>17} "
          f"{'workers CPU ms/art':>18}  load")  # fmt: skip
    for workers, ok, wall, ingest, events, failed, load, client, cpu in rows:
        print(f"{workers:>7} {ok:>8} {wall:>7.1f} {ingest:>8.1f} {wall - ingest:>12.1f} "
              f"{ok / ingest:>10.1f} {events:>7} {failed:>6} "
              f"{client * 1000 / ok:>17.1f} {cpu * 1000 / ok:>18.1f}  {load}")  # fmt: skip
    client, cpu = rows[0][7] / rows[0][1], rows[0][8] / rows[0][1]
    print(f"on {os.cpu_count()} cores the CPU per article bounds 2 workers at "
          f"{min(2.0, os.cpu_count() / (client + cpu) / (1 / max(client, cpu))):.2f}x of 1 "
          "(the writing client shares the cores with the workers)")  # fmt: skip
    if len(rows) == 2:
        same = rows[0][4] == rows[1][4]
        for what, k in (("ingest", 3), ("wall", 2)):
            ratio = rows[0][k] / rows[1][k]
            print(f"ratio 2 workers / 1 ({what}): {ratio:.3f}x; target >= 1.7x: "
                  f"{'met' if ratio >= 1.7 else 'NOT met'}")  # fmt: skip
        print(f"same events stored: {same}")
        ingest, wall = rows[0][3] / rows[1][3], rows[0][2] / rows[1][2]
        return (f"ingest {rows[0][3]:.1f} / {rows[1][3]:.1f} s = {ingest:.3f}x; wall "
                f"{rows[0][2]:.1f} / {rows[1][2]:.1f} s = {wall:.3f}x ({rows[0][6]}, "
                f"{rows[1][6]}); same events: {same}", ingest >= 1.7)  # fmt: skip
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="postgresql:// URL of an empty database (API part)")
    parser.add_argument("--sqlite", help="SQLite file of the API part (kept; filled when empty)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds (at most 300)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument(
        "--ingest-workers",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1, 2],
        help="worker counts of the ingestion part (1,2)",
    )
    parser.add_argument(
        "--keep",
        help="folder keeping the articles and ingestion stores, so "
        "that a long run can be split (--part) and continued",
    )
    parser.add_argument("--part", help="LO:HI: ingest only these articles (with --keep)")
    parser.add_argument(
        "--pages-store",
        help="postgresql:// URL of a store filled by bench_store.py (e.g. 1,000,000 events): "
        "also measure its bbox + date page (target p95 <= 20 ms)",
    )
    parser.add_argument("--queries", type=int, default=200, help="pages of --pages-store")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 300.0)
    if args.part and not args.keep:
        parser.error("--part needs --keep (the parts go into the same stores)")
    if not args.skip_api and not args.postgres:
        parser.error("--postgres is needed for the API part (or --skip-api)")
    tmp = tempfile.mkdtemp(prefix="bench-scale-")
    figures = []
    try:
        if args.pages_store:
            figures.append(("page p95 <= 20 ms", bench_pages(args)))
        if not args.skip_api:
            figures.append(("API --workers 2 on PostGIS >= 1.8x SQLite", bench_api(args, tmp)))
        if not args.skip_ingest:
            figures.append(("Dask 2 workers >= 1.7x 1", bench_ingest(args, tmp)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures = [(target, got) for target, got in figures if got]
    if len(figures) > 1:
        print("\nThe targets side by side (this run)")
        for target, (figure, met) in figures:
            print(f"{target:<42} {'met' if met else 'NOT met':<8} {figure}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
