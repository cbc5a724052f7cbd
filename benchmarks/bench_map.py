"""Benchmark the map viewer with many events: load-to-idle and time-step redraw in Chromium.

Usage::

    .venv/bin/python benchmarks/bench_map.py [--events 100000] [--baseline 10000]

Fills an SQLite store (kept in the temp folder between runs) with ``--events`` random events
over two years, serves the real app on a loopback port and drives Debian's /usr/bin/chromium:

* the map page (``/map``) load to idle: the load event, the viewer's last draw and the end of
  the last long task, once 1 s passes with no long task;
* a time-control step (one week forward, window of 30 days), 1.2 s after the last one (the
  playback interval): from the click to the redraw (API query of the new days, transfer and
  canvas draw, two animation frames after the data is drawn), with the viewer's prefetch of
  the next step's days on and off; for the steps without prefetch, the server's wall and CPU
  time of each page asked for (``/maps/events.json``, made whole in the server's thread);
* a zoom step (includes the 150 ms debounce before the view is re-queried);
* the place labels' share of the first paint: load-to-idle with the labels layer on and off
  (``layers=`` turns the overlays off), and the labels' own request and layout times;
* when the histogram under the slider is drawn (ms after navigation start), its requests'
  status and time, and how long the event list takes to show the events in view (a click on
  its tab to the next frame).

The first visit is measured twice: right after the server started (cold: no cache of the
server's or the browser's), then once warm.

Baselines, same run: folium's best options for many points, drawing the same events:
``FastMarkerCluster`` (every event of the store, as one JavaScript array, clustered in the
browser; ``--fast-max`` caps it), ``MarkerCluster`` with one marker per event for the first
``--cluster`` events, and a plain page with one ``folium.Marker`` per event for the first
``--baseline`` events (100,000 folium markers take minutes to render and load; see
../shared/design/maps-offline.md, so those sizes are smaller and printed). A folium page is
rendered once, in Python, before it is served: that time is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LONGTASKS = """window.__longtaskEnd = 0;
new PerformanceObserver(list => { for (const e of list.getEntries())
  window.__longtaskEnd = Math.max(window.__longtaskEnd, e.startTime + e.duration); })
  .observe({type: 'longtask', buffered: true});"""
IDLE = """async () => { const sleep = ms => new Promise(r => setTimeout(r, ms));
  while (performance.now() - window.__longtaskEnd < 1000) await sleep(100);
  const nav = performance.getEntriesByType('navigation')[0];
  const v = window.ConflictMap && ConflictMap.current;
  const drawn = v ? v.lastDrawAt : 0;
  return {load: nav.loadEventEnd,
          idle: Math.max(nav.loadEventEnd, drawn || 0, window.__longtaskEnd),
          shown: v ? v.shown : null, matched: v ? v.matched : null}; }"""
FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
STEP = f"""async ([action, prefetch]) => {{ const v = ConflictMap.current;
  v.cfg.prefetch = prefetch;
  await new Promise(r => setTimeout(r, 1200));  // the playback interval: the reader looks
  const rc = v.renderCount, t0 = performance.now();
  if (action === 'step') document.querySelector('.cm-forward').click();
  else v.map.setZoom(v.map.getZoom() + 1, {{animate: false}});
  while (!(v.renderCount > rc && !v.pending)) await new Promise(r => setTimeout(r, 5));
  await {FRAMES};
  return {{ms: performance.now() - t0, shown: v.shown, timing: v.timing}}; }}"""
ZOOM_PLAIN = f"""async () => {{
  const m = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
  const t0 = performance.now(); m.setZoom(m.getZoom() + 1, {{animate: false}});
  await {FRAMES}; return performance.now() - t0; }}"""


def make_store(path, n, seed=11):
    """Return an SQLite store at ``path`` holding ``n`` random events (reused when it has)."""
    from geo.events.model import Event
    from geo.store.sqlite.store import SQLiteStore

    store = SQLiteStore(path)
    if store.count() == n:
        return store
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = SQLiteStore(path)
    rng = random.Random(seed)
    types = ["deployment", "capture", "casualties", "attack", "front_line", "movement"]
    first = date(2023, 1, 1)
    t0 = time.perf_counter()
    batch = []
    for i in range(n):
        day = first + timedelta(days=rng.randrange(730))
        lat, lon = 45 + rng.random() * 8, 30 + rng.random() * 10
        area = i % 20 == 0
        data = {
            "event_id": f"bench-{i:06d}",
            "event_type": types[i % len(types)],
            "date_start": day.isoformat(),
            "date_end": (day + timedelta(days=rng.randrange(3))).isoformat(),
            "latitude": round(lat, 4),
            "longitude": round(lon, 4),
            "geo_precision": "admin1" if area else "exact",
            "summary": f"Benchmark event {i}",
            "location_name": f"Place {i % 5000}",
            "status": "claimed",
            "sources": [
                {
                    "source_id": f"b{i}",
                    "publisher": "Bench",
                    "url": f"https://example.org/{i}",
                    "quote": f"Quote for event {i}.",
                }
            ],
        }
        if area:
            ring = [[lon - 0.5, lat - 0.3], [lon + 0.5, lat - 0.3], [lon + 0.5, lat + 0.3]]
            data["geometry"] = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
        batch.append(Event.from_dict(data))
        if len(batch) == 10_000:
            store.put_events(batch)
            batch = []
    if batch:
        store.put_events(batch)
    print(f"filled the store with {n} events in {time.perf_counter() - t0:.1f} s", flush=True)
    return store


def baseline_html(store, n):
    """Return ``(html, seconds)``: a plain folium map with one Marker per event (first ``n``)."""
    import folium

    from geo.store.base import EventQuery
    from webapp import assets

    assets.patch_folium()
    t0 = time.perf_counter()
    m = folium.Map(location=[49, 35], zoom_start=6, tiles=None)
    m.options.update(max_zoom=12, min_zoom=2)
    for event in store.query(EventQuery(limit=n)):
        folium.Marker([event.latitude, event.longitude]).add_to(m)
    html = m.get_root().render()
    return assets.require_offline(html, what="baseline"), time.perf_counter() - t0


def cluster_html(store, n, *, fast):
    """Return ``(html, seconds)``: folium's FastMarkerCluster (``fast``) or MarkerCluster of
    the first ``n`` events, offline (the vendored Leaflet.markercluster)."""
    import folium
    from folium.plugins import FastMarkerCluster, MarkerCluster

    from geo.store.base import EventQuery
    from webapp import assets

    assets.patch_folium()
    t0 = time.perf_counter()
    m = folium.Map(location=[49, 35], zoom_start=6, tiles=None)
    m.options.update(max_zoom=12, min_zoom=2)
    points = [(e.latitude, e.longitude) for e in store.query(EventQuery(limit=n))
              if e.latitude is not None]  # fmt: skip
    if fast:
        # folium's default callback needs Leaflet.awesome-markers, which is not offline here:
        # a plain marker, as MarkerCluster draws
        callback = "function (row) { return L.marker(new L.LatLng(row[0], row[1])); }"
        FastMarkerCluster(points, callback=callback).add_to(m)
    else:
        cluster = MarkerCluster().add_to(m)
        for lat, lon in points:
            folium.Marker([lat, lon]).add_to(cluster)
    html = m.get_root().render()
    what = "FastMarkerCluster" if fast else "MarkerCluster"
    return assets.require_offline(html, what=what), time.perf_counter() - t0


#: The viewer's page requests served: ``(query string, server CPU ms, server wall ms)``.
EVENT_PAGES = []


def timed(app):
    """Return ``app`` noting the CPU and wall time of each ``/maps/events.json`` it serves
    (in :data:`EVENT_PAGES`; the body is made whole before it is sent)."""

    def run(environ, start_response):
        if environ.get("PATH_INFO") != "/maps/events.json":
            return app(environ, start_response)
        t0, c0 = time.perf_counter(), time.thread_time()
        body = b"".join(app(environ, start_response))
        cpu, wall = time.thread_time() - c0, time.perf_counter() - t0
        EVENT_PAGES.append((environ.get("QUERY_STRING", ""), cpu * 1000, wall * 1000))
        return [body]

    return run


def serve(app, extra):
    """Serve ``app`` (plus ``extra`` {path: html}) on a free loopback port; return base URL."""
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    def site(environ, start_response):
        body = extra.get(environ["PATH_INFO"])
        if body is not None:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body.encode("utf-8")]
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, site, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def measure(browser, url, *, steps=0, zooms=0, plain=False):
    """Open ``url`` in a fresh context; return load/idle and step/zoom timings in ms."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 860})
    external = []
    ctx.route(
        lambda u: not u.startswith("http://127.0.0.1"),
        lambda r: (external.append(r.request.url), r.abort()),
    )
    page = ctx.new_page()
    errors, histograms, statuses = [], [], {}
    page.on("pageerror", lambda e: errors.append(str(e)))
    # the histogram's requests: their status and time to the last byte
    page.on(
        "response",
        lambda r: statuses.__setitem__(r.url, r.status) if "histogram.json" in r.url else None,
    )
    page.on(
        "requestfinished",
        lambda r: (
            histograms.append((r.url, r.timing["responseEnd"]))
            if "histogram.json" in r.url
            else None
        ),
    )
    page.add_init_script(LONGTASKS)
    page.goto(url, wait_until="load", timeout=600_000)
    if not plain:
        page.wait_for_function(  # a function, not a string: the page's CSP forbids eval
            "() => window.ConflictMap && ConflictMap.current && (ConflictMap.current.error"
            " || ConflictMap.current.renderCount > 0 && !ConflictMap.current.pending)",
            timeout=120_000,
        )
    failure = page.evaluate("() => window.ConflictMap && ConflictMap.current.error")
    if failure and not plain:
        raise RuntimeError(f"the map page could not load its events: {failure}")
    out = page.evaluate(IDLE)
    if not plain:
        page.wait_for_function(
            "() => !ConflictMap.current.placeLabels || ConflictMap.current.placeLabels.loads"
            " || !ConflictMap.current.map.hasLayer(ConflictMap.current.placeLabels)",
            timeout=60_000,
        )
        out["histogram_at"] = page.evaluate(
            """async () => { const v = ConflictMap.current;
            for (let i = 0; i < 300 && !(v.histogram && v.histogram.loads); i++)
              await new Promise(r => setTimeout(r, 20));
            return v.histogram && v.histogram.readyAt; }"""
        )
        out["list_ms"] = page.evaluate(
            f"""async () => {{ const t0 = performance.now();
            document.querySelector('.cm-tab-events').click(); await {FRAMES};
            const ms = performance.now() - t0;
            document.querySelector('.cm-tab-layers').click(); return ms; }}"""
        )
        out["labels"] = page.evaluate(
            "() => { const l = ConflictMap.current.placeLabels; return l && l.loads ?"
            " {fetch: l.fetchMs, draw: l.drawMs, shown: l.shown.length} : null; }"
        )
    served = len(EVENT_PAGES)
    cold = [page.evaluate(STEP, ["step", False]) for _ in range(steps)]
    out["served"] = EVENT_PAGES[served:]  # the pages the steps without prefetch asked for
    warm = [page.evaluate(STEP, ["step", True]) for _ in range(steps)]
    out["cold"], out["steps"] = [r["ms"] for r in cold], [r["ms"] for r in warm]
    out["parts"] = {
        name: (
            statistics.median(r["timing"]["fetch"] for r in runs),
            statistics.median(r["timing"]["draw"] for r in runs),
        )
        for name, runs in (("no prefetch", cold), ("prefetched", warm))
        if runs
    }
    if plain:
        out["zooms"] = [page.evaluate(ZOOM_PLAIN) for _ in range(zooms)]
    else:
        out["zooms"] = [page.evaluate(STEP, ["zoom", True])["ms"] for _ in range(zooms)]
    out["heap_mb"] = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize/1e6 : 0")
    out["errors"], out["external"] = errors, external
    out["histogram_requests"] = [(statuses.get(url), ms) for url, ms in histograms]
    ctx.close()
    return out


def _fmt(values):
    if not values:
        return "n/a"
    return f"{statistics.median(values):.0f} (max {max(values):.0f})"


def main(argv=None):
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=10_000)
    parser.add_argument("--cluster", type=int, default=100_000, help="MarkerCluster events")
    parser.add_argument("--fast-max", type=int, default=1_000_000,
                        help="FastMarkerCluster events (default: all, up to 1M)")  # fmt: skip
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--store", default=None, help="SQLite file (default: in the temp dir)")
    args = parser.parse_args(argv)
    path = args.store or os.path.join(tempfile.gettempdir(), f"cm-bench-{args.events}.sqlite")
    store = make_store(path, args.events)
    os.environ["CONFLICTMAP_STORE"] = path

    from playwright.sync_api import sync_playwright

    from webapp import create_app

    app = create_app({"TESTING": False, "STORE": path})
    html, build_s = baseline_html(store, args.baseline)
    n_fast, n_cluster = min(args.events, args.fast_max), min(args.events, args.cluster)
    fast_html, fast_s = cluster_html(store, n_fast, fast=True)
    cluster_page, cluster_s = cluster_html(store, n_cluster, fast=False)
    pages = {"/baseline.html": html, "/fast.html": fast_html, "/cluster.html": cluster_page}
    base = serve(timed(app), pages)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        first = measure(browser, base + "/map")  # the first visit after the server started
        rows.append(("conflictmap /map, first visit after start (cold)", args.events, first))
        cold = measure(browser, base + "/map", steps=0, zooms=2)
        rows.append(("conflictmap /map (opens on latest 30 days)", args.events, cold))
        bare = measure(browser, base + "/map?layers=", steps=0, zooms=0)
        rows.append(("conflictmap /map, labels off (layers=)", args.events, bare))
        view = base + "/map?start=2023-06-01&end=2023-06-30&lat=49&lon=35&z=6"
        stepped = measure(browser, view, steps=args.steps, zooms=0)
        rows.append(("conflictmap /map, 30-day window, step 1 week", args.events, stepped))
        for label, url, n, secs in (
            ("folium FastMarkerCluster", "/fast.html", n_fast, fast_s),
            ("folium MarkerCluster", "/cluster.html", n_cluster, cluster_s),
            ("folium.Marker each", "/baseline.html", args.baseline, build_s),
        ):
            for visit in ("first visit", "again"):
                r = measure(browser, base + url, zooms=2, plain=True)
                rows.append((f"{label}, {visit} ({secs:.1f} s to render in Python)", n, r))
        browser.close()
    print()
    print(
        "| page | events in store/page | load ms | load-to-idle ms | shown | step ms (prefetched) "
        "| step ms (no prefetch) | zoom ms | heap MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, r in rows:
        shown = "" if r.get("shown") is None else f"{r['shown']} of {r['matched']}"
        print(
            f"| {name} | {n:,} | {r['load']:.0f} | {r['idle']:.0f} | {shown} | "
            f"{_fmt(r['steps'])} | {_fmt(r['cold'])} | {_fmt(r['zooms'])} | {r['heap_mb']:.0f} |"
        )
        if r.get("histogram_at"):
            print(f"|   histogram drawn at {r['histogram_at']:.0f} ms; event list shown in "
                  f"{r['list_ms']:.0f} ms |")  # fmt: skip
        if r.get("histogram_requests"):
            done = ", ".join(f"{st} in {ms:.0f} ms" for st, ms in r["histogram_requests"])
            print(f"|   histogram requests: {done} |")
        if r.get("labels"):
            lab = r["labels"]
            print(f"|   place labels: request {lab['fetch']:.0f} ms, layout {lab['draw']:.1f} ms, "
                  f"{lab['shown']} labels |")  # fmt: skip
        if r.get("cold"):
            each = ", ".join(f"{ms:.0f}" for ms in r["cold"])
            print(f"|   steps no prefetch, each in order: {each} ms |")
        for part, (fetch_ms, draw_ms) in r.get("parts", {}).items():
            print(f"|   step {part}: data {fetch_ms:.0f} ms, layers {draw_ms:.0f} ms (median) |")
        if r.get("served"):
            cpu = statistics.median(c for _, c, _ in r["served"])
            wall = statistics.median(w for _, _, w in r["served"])
            print(f"|   step no prefetch: its page served in {wall:.0f} ms, {cpu:.0f} ms of server "
                  f"CPU (median of {len(r['served'])}) |")  # fmt: skip
        if r["errors"] or r["external"]:
            print(f"|   errors: {r['errors'][:3]} external: {r['external'][:3]} |")
    print(
        f"\nfolium pages: FastMarkerCluster {len(fast_html) / 1e6:.1f} MB, MarkerCluster "
        f"{len(cluster_page) / 1e6:.1f} MB, Marker each {len(html) / 1e6:.1f} MB; targets: "
        "viewer first visit <= 3000 ms at 1M, time step <= 300 ms"
    )


if __name__ == "__main__":
    main()
