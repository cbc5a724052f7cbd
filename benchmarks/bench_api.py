"""Benchmark of the HTTP API: items queries (bbox + datetime) and a streamed GeoJSON export.

Run: ``python benchmarks/bench_api.py [--events 100000] [--queries 300] [--store PATH]``.
It fills a store with synthetic events (``bench_store.synthetic_events``), starts
``conflictmap serve`` on a free loopback port in a child process, and prints a table:

With ``--peer pygeoapi`` it compares instead, side by side in one run, conflictmap and
pygeoapi (``pip install -e '.[bench]'``, or ``--peer-python`` naming an interpreter that
has it; its SQLiteGPKG provider needs SpatiaLite: Debian's ``libsqlite3-mod-spatialite``)
serving the same events: pygeoapi reads a GeoPackage exported from the store. Both run
under waitress with the same threads; the client is the same; requests alternate between
the two servers. It prints, ratios first, items pages (limit 100) for bboxes of 1, 2, 5 and
10 degrees and the world at 1 and 16 clients (throughput, p50/p95, errors, server CPU per
page), then the whole collection as GeoJSON (MB/s, server RSS growth). See ``peer.py``.

* p50/p95 latency of ``/collections/events/items?bbox=...&datetime=...`` (default limit 100)
  over HTTP, per query shape; target p95 <= 50 ms over 100,000 events;
* the full GeoJSON export (``f=geojson``) of every event: MB/s, and the server's resident
  memory before, during (peak) and after, next to a 10x smaller export; target >= 20 MB/s
  with flat memory (the peak must not grow with the export size).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import DAYS, START, put_synthetic  # noqa: E402

from geo.store.sqlite.store import SQLiteStore  # noqa: E402


def free_port():
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid):
    """Return ``(VmRSS, VmHWM)`` of process ``pid`` in KiB (Linux /proc)."""
    values = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def cpu_seconds(pid):
    """Return the user + system CPU time of process ``pid`` in seconds (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fill(path, n):
    """Create the store at ``path`` with ``n`` synthetic events unless it already has them."""
    store = SQLiteStore(path)
    try:
        if store.count() != n:
            t0 = time.perf_counter()
            put_synthetic(store, n)
            print(f"filled {n} events in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    finally:
        store.close()


def start_server(store_path, port, *, threads=4):
    """Start ``conflictmap serve`` on ``port``; return the process once it answers."""
    command = [sys.executable, "-c", "from webapp.cli import main; main()"]
    command += ["--store", str(store_path), "serve", "--port", str(port), "--no-ingest"]
    # the server's log goes to a file: an unread pipe would fill up and stall the server
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [*command, "--threads", str(threads)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
    )
    return wait_until_serving(proc, port, log)


def wait_until_serving(proc, port, log, what="the server"):
    """Return ``proc`` once it answers ``/conformance`` on ``port``; raise with its ``log``
    (a file it writes to) if it exits, and kill it after 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/conformance", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read().decode(errors="replace")) from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{what} did not start within 60 s")


def percentile(values, p):
    """Return the ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def query_shapes(rng, n):
    """Yield ``(label, query string)`` items queries of a few bbox and window sizes."""
    shapes = [("bbox 2x2 deg + 30 days", 2, 30), ("bbox 5x5 deg + 90 days", 5, 90),
              ("bbox 1x1 deg + 1 year", 1, 365)]  # fmt: skip
    for i in range(n):
        label, deg, days = shapes[i % len(shapes)]
        lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - deg)
        start = START + timedelta(days=rng.randrange(DAYS - days))
        end = start + timedelta(days=days)
        yield (
            label,
            (
                f"bbox={lon:.3f},{lat:.3f},{lon + deg:.3f},{lat + deg:.3f}"
                f"&datetime={start.isoformat()}/{end.isoformat()}"
            ),
        )


def bench_queries(base, n, seed=11):
    """Time ``n`` items queries over HTTP (keep-alive off: a fresh connection each)."""
    times, matched = {}, {}
    rng = random.Random(seed)
    for label, qs in query_shapes(rng, n):
        url = f"{base}/collections/events/items?{qs}"
        t0 = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as resp:
            body = resp.read()
        times.setdefault(label, []).append((time.perf_counter() - t0) * 1000)
        matched.setdefault(label, []).append(json.loads(body)["numberMatched"])
    return times, matched


class PeakRss:
    """Sample a process's RSS every 50 ms while the ``with`` block runs: ``before``,
    ``peak`` and ``after`` in KiB."""

    def __init__(self, pid):
        self.pid = pid
        self.before = self.peak = self.after = rss_kib(pid)[0]
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._done.is_set():
            self.peak = max(self.peak, rss_kib(self.pid)[0])
            time.sleep(0.05)

    def __enter__(self):
        self._sampler.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._sampler.join()
        self.after = rss_kib(self.pid)[0]


def download_bytes(url, timeout):
    """Return the size in bytes of the body at ``url``, read in 1 MiB chunks."""
    size = 0
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        while chunk := resp.read(1 << 20):
            size += len(chunk)
    return size


def bench_export(base, pid, limit):
    """Download a GeoJSON export of ``limit`` events.

    Returns ``(MB, wall s, server CPU s, RSS before, peak RSS, RSS after)`` (RSS in MiB).
    """
    url = f"{base}/collections/events/items?f=geojson&limit={limit}"
    with PeakRss(pid) as rss:
        cpu0 = cpu_seconds(pid)
        t0 = time.perf_counter()
        size = download_bytes(url, 600)
        elapsed = time.perf_counter() - t0
        cpu = cpu_seconds(pid) - cpu0
    return size / 1e6, elapsed, cpu, rss.before / 1024, rss.peak / 1024, rss.after / 1024


def main(argv=None):
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--store", help="Keep (and reuse) the store at this path.")
    parser.add_argument("--peer", choices=["pygeoapi"], help="compare with this server")
    parser.add_argument("--peer-python", default=sys.executable,
                        help="interpreter with the peer installed (default: this one)")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="--peer: seconds of 16 clients per box size and server")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=2, help="--peer: rounds (ranges)")
    args = parser.parse_args(argv)
    if args.peer:
        from peer import compare

        return compare(args)
    tmp = None
    if args.store:
        store_path = Path(args.store)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
        store_path = Path(tmp.name) / "events.sqlite"
    fill(store_path, args.events)
    port = free_port()
    proc = start_server(store_path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        bench_queries(base, 15, seed=1)  # warm-up (page cache, imports)
        cpu0 = cpu_seconds(proc.pid)
        times, matched = bench_queries(base, args.queries)
        server_cpu_ms = (cpu_seconds(proc.pid) - cpu0) * 1000 / args.queries
        load = os.getloadavg()[0]
        print(f"\nitems queries over HTTP, {args.events:,} events, default limit 100 "
              f"(load average {load:.1f} on {os.cpu_count()} CPUs)")  # fmt: skip
        print(f"{'query':<26} {'n':>4} {'matched p50':>11} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'max ms':>8}")  # fmt: skip
        every = []
        for label, values in times.items():
            every += values
            print(
                f"{label:<26} {len(values):>4} {statistics.median(matched[label]):>11.0f} "
                f"{percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
                f"{max(values):>8.1f}"
            )
        p95 = percentile(every, 95)
        print(f"{'all':<26} {len(every):>4} {'':>11} {percentile(every, 50):>8.1f} "
              f"{p95:>8.1f} {max(every):>8.1f}   target p95 <= 50 ms: "
              f"{'met' if p95 <= 50 else 'NOT met'}")  # fmt: skip
        print(f"server CPU per query (mean, independent of other load): {server_cpu_ms:.1f} ms")
        print(f"\nGeoJSON export (f=geojson) over HTTP, server RSS in MiB (pid {proc.pid})")
        print(f"{'events':>8} {'MB':>8} {'s':>7} {'MB/s':>7} {'CPU s':>7} {'MB/CPU-s':>8} "
              f"{'RSS before':>10} {'RSS peak':>9} {'RSS after':>9}")  # fmt: skip
        results = []
        for limit in (args.events // 10, args.events):
            mb, s, cpu, before, peak, after = bench_export(base, proc.pid, limit)
            results.append((limit, mb, s, before, peak))
            print(f"{limit:>8} {mb:>8.1f} {s:>7.2f} {mb / s:>7.1f} {cpu:>7.2f} "
                  f"{mb / max(cpu, 1e-9):>8.1f} {before:>10.1f} {peak:>9.1f} "
                  f"{after:>9.1f}")  # fmt: skip
        limit, mb, s, before, peak = results[-1]
        small_growth = results[0][4] - results[0][3]
        growth = peak - before
        print(f"target >= 20 MB/s: {'met' if mb / s >= 20 else 'NOT met'} ({mb / s:.1f}); "
              f"flat memory: peak grew {growth:.1f} MiB for {limit:,} events vs "
              f"{small_growth:.1f} MiB for {results[0][0]:,}")  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(10)
        if tmp:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
