"""Ingestion throughput with the parser: one process vs ``ingest --workers N`` (wall time).

Run: ``python benchmarks/bench_workers.py [--articles 2000] [--words 600] [--workers 1 2]
[--repeat 1] [--keep DIR] [--jsonl tests/data/extract_dev/ua_articles.jsonl ...]``.

It writes ``--articles`` synthetic articles of about ``--words`` words
(``bench_ingest.make_article``, the same articles on every call; with ``--keep DIR`` they are
written once and reused), then ingests all of them into a new SQLite store, each run in a
fresh process:

* ``1``: one process, ``ingest_paths`` (what ``conflictmap ingest`` runs);
* ``N`` >= 2: ``ingest_distributed(workers=N)`` (what ``conflictmap ingest --workers N``
  runs): N worker processes read, parse and extract, this process writes in input order.

The wall time of the ingest call is measured after the process has loaded the gazetteer and
the language model (a one-process ingest pays that once at start); for the workers it
includes starting the local cluster and loading the model in each worker, which is also
timed alone (``start s``) so that the steady rate (wall minus start) can be given too. The
load average (1 min) is printed before and after each run: run it under the team's
measurement lock on a quiet machine, and more than once.

``--jsonl FILE`` (repeatable) uses real texts instead: consecutive texts of the files are
joined into articles of at least ``--words`` words (each article gets its own publication
date, a day apart), cycled to ``--articles``; the same texts recur, so stored events gather
sources as the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _load():
    return os.getloadavg()[0]


def write_synthetic(folder, n, words):
    """Write ``n`` synthetic articles (and their .yaml) into ``folder``; return their paths
    (``bench_scale``'s articles, the same on every call)."""
    from bench_scale import write_articles

    return write_articles(folder, n, words)


def write_real(folder, n, words, files):
    """Write ``n`` articles of at least ``words`` words joined from the texts of ``files``."""
    texts = [json.loads(line)["text"].strip() for f in files for line in open(f, encoding="utf-8")]
    texts = [t for t in texts if t]
    joined, current, count = [], [], 0
    for text in texts:
        current.append(text)
        count += len(text.split())
        if count >= words:
            joined.append("\n\n".join(current))
            current, count = [], 0
    if current and not joined:
        joined.append("\n\n".join(current))
    out = []
    for i in range(n):
        published = date(2024, 1, 1) + timedelta(days=i % 600)
        path = folder / f"r{i:05d}.txt"
        path.write_text(joined[i % len(joined)] + "\n", "utf-8")
        path.with_suffix(".yaml").write_text(
            f"publisher: Desk {i % 7}\npublished_at: {published.isoformat()}\n", "utf-8"
        )
        out.append(path)
    return out


def _run(folder, store, workers):
    """Ingest every article of ``folder`` into ``store`` (in this process); print JSON."""
    from geo.common import nlp
    from geo.gazetteer.lookup import Gazetteer
    from geo.pipeline.ingest import ingest_paths
    from geo.store.sqlite.store import SQLiteStore

    files = sorted(Path(folder).glob("*.txt"))
    start = 0.0
    if workers == 1:
        Gazetteer.default()
        nlp.load()
    else:
        from distributed import Client, LocalCluster

        from geo.pipeline.distributed import _Preload

        t0 = time.perf_counter()  # what starting a cluster costs, timed alone
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address="127.0.0.1:0") as cluster,
            Client(cluster) as client,
        ):  # fmt: skip
            client.register_plugin(_Preload(), name=_Preload.name)
        start = time.perf_counter() - t0
    db = SQLiteStore(store)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    kids = kids.ru_utime + kids.ru_stime
    wall, cpu = time.perf_counter(), time.process_time()
    if workers == 1:
        report = ingest_paths(db, files)
    else:
        from geo.pipeline.distributed import ingest_distributed

        report = ingest_distributed(db, files, workers=workers)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    done = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, reaped at the end
    kids = done.ru_utime + done.ru_stime - kids
    result = {"wall": wall, "cpu": cpu, "workers_cpu": kids, "start": start, "ok": len(report.ok),
              "failed": len(report.failed), "events": db.count()}  # fmt: skip
    db.close()
    print(json.dumps(result))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each setting")
    parser.add_argument("--keep", help="folder for the articles (written once, reused)")
    parser.add_argument("--jsonl", action="append", default=[], help="real texts (see above)")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--run-workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        return _run(args.run, args.store, args.run_workers)
    with tempfile.TemporaryDirectory() as tmp:
        kind = "real" if args.jsonl else "synthetic"
        folder = Path(args.keep) if args.keep else Path(tmp) / "articles"
        if not (folder / "done").exists():
            folder.mkdir(parents=True, exist_ok=True)
            if args.jsonl:
                write_real(folder, args.articles, args.words, args.jsonl)
            else:
                write_synthetic(folder, args.articles, args.words)
            (folder / "done").write_text("", "utf-8")
        files = sorted(folder.glob("*.txt"))
        words = sum(len(p.read_text("utf-8").split()) for p in files)
        rows = []
        for k in range(args.repeat):
            for workers in args.workers:
                store = Path(tmp) / f"events-{workers}-{k}.sqlite"
                before = _load()
                command = [sys.executable, __file__, "--run", str(folder), "--store", str(store),
                           "--run-workers", str(workers)]  # fmt: skip
                out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                result = json.loads(out.strip().splitlines()[-1])
                rows.append((workers, result, before, _load()))
    print(f"Ingestion of {len(files):,} {kind} articles, {words / len(files):,.0f} words each "
          f"on average, into a new SQLite store; {os.cpu_count()} CPUs; wall time")  # fmt: skip
    print(f"{'workers':>7} {'articles':>8} {'events':>7} {'failed':>6} {'wall s':>7} "
          f"{'articles/s':>10} {'words/s':>8} {'start s':>7} {'steady art/s':>12} "
          f"{'this CPU ms/art':>15} {'workers CPU ms/art':>18}  load before-after")  # fmt: skip
    for workers, r, before, after in rows:
        steady = r["ok"] / (r["wall"] - r["start"]) if workers > 1 else r["ok"] / r["wall"]
        print(f"{workers:>7} {r['ok']:>8} {r['events']:>7} {r['failed']:>6} {r['wall']:>7.1f} "
              f"{r['ok'] / r['wall']:>10.1f} {words / r['wall']:>8,.0f} {r['start']:>7.1f} "
              f"{steady:>12.1f} {r['cpu'] * 1000 / max(r['ok'], 1):>15.1f} "
              f"{r['workers_cpu'] * 1000 / max(r['ok'], 1):>18.1f}  "
              f"{before:.2f}-{after:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
