"""Benchmark of every export format: size, time, throughput and peak memory of one export.

Run: ``python benchmarks/bench_formats.py [--events 100000] [--store PATH] [--formats a,b]``.
It builds (or reuses, with ``--store``) a store of the synthetic events of ``bench_store.py``
and exports all of them once per format, each export in a fresh Python process so that its
peak resident memory (``ru_maxrss``) is that export's alone. The ``baseline`` row is the same
process opening the store and reading every event without writing anything: what an export
adds to it is the writer's own memory. Writers stream, so the peak must not grow with the
number of events (compare ``--events 10000``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

_CHILD = r"""
import io, json, resource, sys, time
sys.path.insert(0, {root!r})
from geo.formats import FORMATS
from geo.store.base import EventQuery
from geo.store.sqlite.store import SQLiteStore


class Sink(io.RawIOBase):
    size = 0

    def writable(self):
        return True

    def write(self, b):
        self.size += len(b)
        return len(b)


store = SQLiteStore({store!r})
name = {name!r}
sink = Sink()
t0, c0 = time.perf_counter(), time.process_time()
if name == "baseline":
    for _ in store.query(EventQuery()):
        pass
else:
    fmt = FORMATS[name]
    fmt.write(fmt.events_for(store, EventQuery()), sink, meta={{"data_as_of": "x"}})
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"bytes": sink.size, "wall": wall, "cpu": cpu, "rss": rss}}))
"""


def run_one(store, name):
    """Export every event of ``store`` as ``name`` in a child process; return its figures."""
    code = _CHILD.format(root=str(HERE.parent), store=str(store), name=name)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", help="Keep (and reuse) the store at this path.")
    parser.add_argument("--formats", help="Comma-separated format names (default: all).")
    args = parser.parse_args(argv)

    from bench_store import put_synthetic

    from geo.formats import FORMATS
    from geo.store.sqlite.store import SQLiteStore

    folder = None
    if args.store:
        path = Path(args.store)
    else:
        folder = tempfile.mkdtemp(prefix="conflictmap-bench-")
        path = Path(folder) / "events.sqlite"
    store = SQLiteStore(path)
    if store.count() == 0:
        put_synthetic(store, args.events)
    n = store.count()
    store.close()
    names = args.formats.split(",") if args.formats else list(FORMATS)
    print(f"{n:,} events; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'format':<10} {'MB':>8} {'wall s':>8} {'MB/s':>8} {'CPU s':>8} {'peak RSS MiB':>13}")
    for name in ["baseline", *names]:
        r = run_one(path, name)
        mb = r["bytes"] / 1e6
        rate = f"{mb / r['wall']:.1f}" if r["bytes"] else "-"
        print(
            f"{name:<10} {mb:>8.1f} {r['wall']:>8.1f} {rate:>8} {r['cpu']:>8.1f} {r['rss']:>13.0f}"
        )
    if folder:
        for p in Path(folder).iterdir():
            p.unlink()
        os.rmdir(folder)


if __name__ == "__main__":
    main()
