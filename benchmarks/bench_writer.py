"""The ingest writer alone: merging and writing pre-processed articles into a store.

Run: ``python benchmarks/bench_writer.py --cache FILE [--articles 10000] [--words 400]
[--jobs 2] [--store URL] [--profile OUT.prof]``.

The articles are ``bench_scale.py``'s (the same seed, words and dates). They are read and
extracted once, in ``--jobs`` processes, and the results (``Processed``) kept in ``--cache``
(a pickle made by this script; delete it when the extraction changes). Then
``write_processed`` writes them in batches of ``BATCH_ARTICLES`` into a new SQLite store (or
``--store``, which must be empty), as the command of a Dask ingestion does, and the table
gives the writer's CPU per article for each step of ``--step`` articles: what the command
spends besides Dask's client, and how it grows with the store. ``--profile`` writes a
cProfile of the writing.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import write_articles  # noqa: E402

from geo.gazetteer.lookup import Gazetteer  # noqa: E402
from geo.pipeline.ingest import BATCH_ARTICLES, process_articles, write_processed  # noqa: E402
from geo.store.base import EventQuery, open_store  # noqa: E402

PART = 25


def _process(paths):
    return list(process_articles(paths))


def processed_articles(args):
    """Return the processed articles, from ``--cache`` or extracted now (and cached)."""
    cache = Path(args.cache)
    if cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)
    with tempfile.TemporaryDirectory(prefix="bench-writer-") as tmp:
        files = [str(p) for p in write_articles(Path(tmp), args.articles, args.words)]
        parts = [files[i : i + PART] for i in range(0, len(files), PART)]
        out = []
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            for k, part in enumerate(pool.imap(_process, parts)):
                out.extend(part)
                if k % 40 == 0:
                    print(f"extracted {len(out):,} / {len(files):,}", file=sys.stderr)
        for p in out:  # the paths of a temporary folder: keep the file names only
            p.path = Path(p.path).name
    with cache.open("wb") as f:
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", required=True, help="pickle of the processed articles")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=2, help="processes extracting the articles")
    parser.add_argument("--store", help="an empty store (default: a new SQLite file)")
    parser.add_argument("--step", type=int, default=1000, help="articles per table row")
    parser.add_argument("--limit", type=int, help="write only the first N articles")
    parser.add_argument("--profile", help="write a cProfile of the writing here")
    args = parser.parse_args(argv)
    batch = processed_articles(args)[: args.limit]
    Gazetteer.default()  # loaded before the clock starts, as a command has it by then
    with tempfile.TemporaryDirectory(prefix="bench-writer-") as tmp:
        store = open_store(args.store or str(Path(tmp) / "w.sqlite"))
        if store.count(EventQuery(include_deleted=True)):
            sys.exit(f"{store!r} is not empty")
        profile = cProfile.Profile() if args.profile else None
        print(f"Writer alone: {len(batch):,} processed articles in batches of {BATCH_ARTICLES}, "
              f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
        print(f"{'articles':>9} {'events':>7} {'CPU ms/article':>14} {'wall ms/article':>15}")
        rows, total_cpu, total_wall = [], 0.0, 0.0
        for lo in range(0, len(batch), args.step):
            c0, t0 = time.process_time(), time.perf_counter()
            if profile:
                profile.enable()
            with store.bulk():
                for i in range(lo, min(lo + args.step, len(batch)), BATCH_ARTICLES):
                    write_processed(store, batch[i : min(i + BATCH_ARTICLES, lo + args.step)])
            if profile:
                profile.disable()
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            n = min(lo + args.step, len(batch)) - lo
            total_cpu, total_wall = total_cpu + cpu, total_wall + wall
            rows.append((lo + n, store.count(), cpu * 1000 / n, wall * 1000 / n))
            print(f"{rows[-1][0]:>9,} {rows[-1][1]:>7,} {rows[-1][2]:>14.1f} {rows[-1][3]:>15.1f}")
        print(f"all {len(batch):,}: {total_cpu * 1000 / len(batch):.1f} ms CPU, "
              f"{total_wall * 1000 / len(batch):.1f} ms wall per article; "
              f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
        store.close()
        if profile:
            profile.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
