"""Helpers for the browser tests: a live app server in a thread, Chromium, request recording."""

import dataclasses
import random
import re
import socket
import threading
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from geo.events.model import Event

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
XSS = "<script>alert(1)</script> <img src=x onerror=alert(1)> O`Brien ${alert(1)} </script>"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)


def free_port():
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(app):
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def chromium():
    """Yield a Playwright Chromium browser driving Debian's /usr/bin/chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """A browser context whose non-local requests are aborted and recorded, with page events.

    ``external`` lists aborted URLs, ``failed`` failed requests, ``bad`` HTTP >= 400 responses,
    ``errors`` console errors and page errors, ``dialogs`` alert/confirm/prompt messages.
    """

    def __init__(self, browser, allow=r"http://127\.0\.0\.1:\d+/", **context_args):
        self.external, self.failed, self.bad, self.errors, self.dialogs = [], [], [], [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, **context_args)
        local = re.compile(rf"^(?:{allow}|file:|data:|blob:|about:)")

        def route(r):
            url = r.request.url
            if local.match(url):
                r.continue_()
            else:
                self.external.append(url)
                r.abort()

        self.context.route(re.compile(".*"), route)

    def page(self):
        """Return a new page wired to the recorder."""
        page = self.context.new_page()
        page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure)))
        page.on("response", lambda r: r.status >= 400 and self.bad.append((r.url, r.status)))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        return page

    def assert_clean(self):
        """Assert nothing went to the network, failed, errored or opened a dialog."""
        assert self.external == []
        assert self.failed == []
        assert self.bad == []
        assert self.errors == []
        assert self.dialogs == []

    def close(self):
        """Close the context."""
        self.context.close()


def wait_drawn(page, at_least=1, timeout=15000):
    """Wait until the viewer has drawn ``at_least`` times and no request is pending."""
    page.wait_for_function(
        "n => window.ConflictMap && ConflictMap.current && ConflictMap.current.renderCount >= n"
        " && !ConflictMap.current.pending",
        arg=at_least,
        timeout=timeout,
    )
    return page.evaluate("ConflictMap.current.renderCount")


def viewer_state(page):
    """Return the viewer's counts per type, events shown, state and map view."""
    return page.evaluate(
        """() => { const v = ConflictMap.current, c = v.map.getCenter();
        return {counts: v.counts, shown: v.shown, matched: v.matched, state: {...v.state},
                lat: c.lat, lon: c.lng, zoom: v.map.getZoom(), renders: v.renderCount}; }"""
    )


def screenshot(page, name):
    """Save a screenshot under tests/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def make_events(n=60, *, seed=7, start=date(2024, 10, 1), days=60, with_xss=False):
    """Return ``n`` varied events (types, dates, exact/near/admin1 precision, 1-3 sources).

    Points fall in a box over the Kursk/Belgorod/Sumy area; every fourth event is admin1-level
    with a polygon, so both symbol kinds are drawn.
    """
    rng = random.Random(seed)
    types = ["deployment", "capture", "casualties", "attack", "front_line"]
    events = []
    for i in range(n):
        day = start + timedelta(days=rng.randrange(days))
        lat, lon = 50.5 + rng.random() * 2, 34.0 + rng.random() * 4
        precision = "admin1" if i % 4 == 0 else ("near" if i % 7 == 0 else "exact")
        text = XSS if with_xss else f"event number {i}"
        data = {
            "event_type": types[i % len(types)],
            "date_start": day.isoformat(),
            "date_end": (day + timedelta(days=rng.randrange(3))).isoformat(),
            "latitude": round(lat, 4),
            "longitude": round(lon, 4),
            "geo_precision": precision,
            "summary": f"Summary {i}: {text}",
            "location_name": f"Place {i}",
            "status": "corroborated" if i % 3 == 0 else "claimed",
            "actor1": "Military Forces of North Korea" if i % 2 else "Military Forces of Ukraine",
            "counts": [{"kind": "captured", "low": 2, "high": 3, "text": "two or three"}],
            "sources": [
                {
                    "source_id": f"src-{i}-{k}",
                    "publisher": f"Outlet {k}",
                    "title": f"Report {i}.{k} {text}",
                    "url": f"https://example.org/{i}/{k}",
                    "published_at": day.isoformat(),
                    "quote": f"Quote {i}.{k}: {text}",
                }
                for k in range(1 + i % 3)
            ],
        }
        if precision == "admin1":
            data["geometry"] = {
                "type": "Polygon",
                "coordinates": [
                    [
                        [lon - 0.6, lat - 0.3],
                        [lon + 0.6, lat - 0.3],
                        [lon + 0.6, lat + 0.3],
                        [lon - 0.6, lat + 0.3],
                        [lon - 0.6, lat - 0.3],
                    ]
                ],
            }
        event = Event.from_dict(data)
        if len(event.sources) > 1:
            # validation refuses it now; a store written before may still hold one
            second = dataclasses.replace(event.sources[1], url="javascript:alert(1)")
            event = event.replace(sources=(event.sources[0], second, *event.sources[2:]))
        events.append(event)
    return events


def put_unchecked(store, events):
    """Write ``events`` into the rows as they are, skipping validation: what a store written
    by an older version may hold (a ``javascript:`` source URL), which the viewer must still
    show safely."""
    from geo.store.sqlite.rows import write_event

    with store.transaction():
        conn = store._conn()
        for event in events:
            write_event(conn, None, event.replace(updated_at="2025-01-01T00:00:00Z"), store.fts)
