"""``bench_api.py --peer pygeoapi``: conflictmap and pygeoapi serving the same events.

Both servers run on loopback under waitress with the same number of threads. pygeoapi
(its ``SQLiteGPKG`` provider) reads a GeoPackage that conflictmap's own exporter writes from
the benchmark store, so that both hold the same events. For each bbox size the two servers
are measured one after the other, in ``--rounds`` rounds (the printed ranges span them):

* 1 client: ``--queries`` pages in a row (keep-alive), p50/p95 latency and pages/s;
* 16 clients: ``--seconds`` of pages from 16 keep-alive threads, pages/s, p95, errors;
* server CPU per page (from /proc, independent of the client's load);

then the whole collection as GeoJSON (conflictmap's ``f=geojson`` export, pygeoapi's items
with ``limit`` = every event), MB/s and the server's resident memory growth. Ratios come
first: conflictmap's throughput over pygeoapi's, and its p95 over pygeoapi's.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_api import (
    PeakRss,
    cpu_seconds,
    download_bytes,
    fill,
    free_port,
    percentile,
    start_server,
    wait_until_serving,
)

ROOT = Path(__file__).resolve().parent.parent
#: Box sizes in degrees (360: the world).
BOXES = (1, 2, 5, 10, 360)
#: Threads of each server (waitress), as ``conflictmap serve --threads``.
THREADS = 4

_CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  limits: {{default_items: 100, max_items: {max_items}}}
  map: {{url: 'http://127.0.0.1/{{z}}/{{x}}/{{y}}.png', attribution: none}}
logging:
  level: ERROR
metadata:
  identification:
    title: bench
    description: bench
    keywords: [bench]
    keywords_type: theme
    terms_of_service: none
    url: http://127.0.0.1
  license: {{name: none, url: http://127.0.0.1}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact: {{name: bench}}
resources:
  events:
    type: collection
    title: events
    description: synthetic events
    keywords: [events]
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: {gpkg}
        id_field: fid
        table: events
"""


def export_gpkg(store_path, gpkg):
    """Write the store's events to the GeoPackage ``gpkg`` with conflictmap's exporter."""
    from geo.formats import FORMATS
    from geo.store.base import EventQuery
    from geo.store.sqlite.store import SQLiteStore

    store = SQLiteStore(store_path)
    try:
        fmt = FORMATS["gpkg"]
        with open(gpkg, "wb") as out:
            fmt.write(fmt.events_for(store, EventQuery()), out, meta={})
        return store.count()
    finally:
        store.close()


def start_pygeoapi(python, folder, gpkg, port, max_items):
    """Start pygeoapi under waitress on ``port``; return the process once it answers."""
    config = Path(folder) / "pygeoapi.yml"
    config.write_text(_CONFIG.format(port=port, gpkg=gpkg, max_items=max_items))
    openapi = Path(folder) / "openapi.yml"
    env = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(openapi))
    subprocess.run([python, "-c", "from pygeoapi import cli; cli()", "openapi", "generate",
                    str(config), "--output-file", str(openapi)], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [python, "-m", "waitress", f"--threads={THREADS}", "--host=127.0.0.1",
         f"--port={port}", "pygeoapi.flask_app:APP"],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    return wait_until_serving(proc, port, log, "pygeoapi")


def _paths(deg, n, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if deg == 360:
            box = (-180, -90, 180, 90)
        else:
            d = min(deg, 8)
            lon, lat = rng.uniform(22, 40 - deg), rng.uniform(44, 53 - d)
            box = (round(lon, 3), round(lat, 3), round(lon + deg, 3), round(lat + d, 3))
        out.append("/collections/events/items?f=json&limit=100&bbox=" + ",".join(map(str, box)))
    return out


def _get(conn, path):
    conn.request("GET", path, headers={"Accept": "application/geo+json"})
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, body


def one_client(port, paths):
    """Return latencies (ms) and errors of ``paths`` asked in a row over one connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, errors, returned = [], 0, []
    for path in paths:
        t0 = time.perf_counter()
        status, body = _get(conn, path)
        times.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            errors += 1
        else:
            returned.append(len(json.loads(body)["features"]))
    conn.close()
    return times, errors, returned


def many_clients(port, paths, clients, seconds):
    """Return latencies (ms), errors and pages/s of ``clients`` threads for ``seconds``."""
    stop = time.monotonic() + seconds
    times, errors, lock = [], [0], threading.Lock()

    def run(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = k
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status, _ = _get(conn, paths[i % len(paths)])
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                times.append(elapsed)
                if status != 200:
                    errors[0] += 1
            i += clients
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors[0], len(times) / (time.perf_counter() - t0)


def download(port, pid, path):
    """Return MB, seconds and the server's RSS growth (MiB) of one download of ``path``."""
    with PeakRss(pid) as rss:
        t0 = time.perf_counter()
        size = download_bytes(f"http://127.0.0.1:{port}{path}", 1200)
        secs = time.perf_counter() - t0
    return size / 1e6, secs, (rss.peak - rss.before) / 1024


def _span(values, fmt="{:.0f}"):
    lo, hi = min(values), max(values)
    return (
        fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)}-{fmt.format(hi)}"
    )


def compare(args):
    """Run the side-by-side benchmark and print its tables; return the exit status."""
    tmp = tempfile.TemporaryDirectory(prefix="bench-peer-")
    store_path = Path(args.store) if args.store else Path(tmp.name) / "events.sqlite"
    fill(store_path, args.events)
    gpkg = Path(tmp.name) / "events.gpkg"
    n = export_gpkg(store_path, gpkg)
    ports = {"conflictmap": free_port(), "pygeoapi": free_port()}
    procs = {"conflictmap": start_server(store_path, ports["conflictmap"], threads=THREADS)}
    try:
        procs["pygeoapi"] = start_pygeoapi(args.peer_python, tmp.name, gpkg, ports["pygeoapi"], n)
        names = ("conflictmap", "pygeoapi")
        results = {}  # (deg, clients, name) -> list of per-round dicts
        for name in names:  # warm both (imports, page cache)
            one_client(ports[name], _paths(5, 10, seed=1))
        for rnd in range(args.rounds):
            for deg in BOXES:
                paths = _paths(deg, max(args.queries // 5, 20), seed=100 + deg)
                for name in names if rnd % 2 == 0 else names[::-1]:
                    pid = procs[name].pid
                    c0 = cpu_seconds(pid)
                    t0 = time.perf_counter()
                    times, errors, returned = one_client(ports[name], paths)
                    wall = time.perf_counter() - t0
                    cpu_ms = (cpu_seconds(pid) - c0) * 1000 / len(paths)
                    results.setdefault((deg, 1, name), []).append({
                        "rate": len(paths) / wall, "p50": percentile(times, 50),
                        "p95": percentile(times, 95), "errors": errors / len(paths),
                        "cpu": cpu_ms, "returned": statistics.mean(returned or [0]),
                    })  # fmt: skip
                    c0 = cpu_seconds(pid)
                    times, errors, rate = many_clients(ports[name], paths, 16, args.seconds)
                    cpu_ms = (cpu_seconds(pid) - c0) * 1000 / max(len(times), 1)
                    results.setdefault((deg, 16, name), []).append({
                        "rate": rate, "p50": percentile(times, 50), "p95": percentile(times, 95),
                        "errors": errors / max(len(times), 1), "cpu": cpu_ms,
                    })  # fmt: skip
        load = os.getloadavg()[0]
        print(f"\nitems pages (limit 100), {n:,} events, {THREADS} server threads each, "
              f"{args.rounds} rounds, load {load:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
        print("ratio throughput = conflictmap / pygeoapi (target >= 2); ratio p95 = conflictmap /"
              " pygeoapi (target <= 0.5)")  # fmt: skip
        head = (f"{'bbox':>6} {'clients':>7} {'ratio thr':>10} {'ratio p95':>10} | "
                f"{'cm pages/s':>10} {'cm p95 ms':>10} {'cm err':>6} {'cm CPU ms':>9} | "
                f"{'pg pages/s':>10} {'pg p95 ms':>10} {'pg err':>6} {'pg CPU ms':>9}")  # fmt: skip
        print(head)
        for deg in BOXES:
            for clients in (1, 16):
                cm, pg = results[(deg, clients, "conflictmap")], results[(deg, clients, "pygeoapi")]
                thr = [a["rate"] / b["rate"] for a, b in zip(cm, pg, strict=True)]
                p95 = [a["p95"] / b["p95"] for a, b in zip(cm, pg, strict=True)]
                label = "world" if deg == 360 else f"{deg} deg"

                def cols(rs):
                    return (f"{_span([r['rate'] for r in rs]):>10} "
                            f"{_span([r['p95'] for r in rs], '{:.1f}'):>10} "
                            f"{_span([100 * r['errors'] for r in rs]) + '%':>6} "
                            f"{_span([r['cpu'] for r in rs], '{:.1f}'):>9}")  # fmt: skip

                print(f"{label:>6} {clients:>7} {_span(thr, '{:.2f}'):>10} "
                      f"{_span(p95, '{:.2f}'):>10} | {cols(cm)} | {cols(pg)}")  # fmt: skip
        print("\nwhole collection as GeoJSON (conflictmap f=geojson; pygeoapi f=json&limit=all)")
        print(f"{'server':<12} {'MB':>7} {'s':>7} {'MB/s':>7} {'RSS +MiB':>9}")
        items = "/collections/events/items"
        for name, path in (("conflictmap", f"{items}?f=geojson&limit={n}"),
                           ("pygeoapi", f"{items}?f=json&limit={n}")):  # fmt: skip
            for _ in range(2):
                mb, secs, grew = download(ports[name], procs[name].pid, path)
                print(f"{name:<12} {mb:>7.0f} {secs:>7.1f} {mb / secs:>7.1f} {grew:>9.0f}")
    finally:
        for proc in procs.values():
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit("run benchmarks/bench_api.py --peer pygeoapi")
