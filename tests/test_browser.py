"""The map viewer in a real browser (Debian's Chromium through Playwright), fully offline."""

import json
import re
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_fixtures import (
    Recorder,
    chromium,
    live_server,
    make_events,
    needs_chromium,
    put_unchecked,
    screenshot,
    viewer_state,
    wait_drawn,
)

from geo.events.model import Event

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def events(store):
    evs = make_events(60)
    put_unchecked(store, evs)
    return evs


@pytest.fixture
def base_url(app, events):
    with live_server(app) as url:
        yield url


@pytest.fixture
def rec(browser):
    r = Recorder(browser)
    yield r
    r.close()


def _open(rec, url):
    page = rec.page()
    page.goto(url, wait_until="load")
    wait_drawn(page)
    return page


def _visible(page, shape):
    """Count the symbols of one shape the canvas renderer currently draws."""
    return page.evaluate(
        """s => Object.values(ConflictMap.current.renderer._layers)
                 .filter(l => l.options.shape === s).length""",
        shape,
    )


def _click_event(page, events):
    """Click the exact-precision event nearest the map centre; return its id."""
    ids = [e.event_id for e in events if e.geo_precision == "exact"]
    return page.evaluate(
        """ids => { const v = ConflictMap.current, m = v.map, c = m.getSize().divideBy(2);
        let best = null, dist = 1e9;
        for (const id of ids) { const f = v.features[id]; if (!f) continue;
          const p = m.latLngToContainerPoint(v.latlngOf(f)); const d = p.distanceTo(c);
          if (d < dist) { dist = d; best = [id, p.x, p.y]; } }
        return best; }""",
        ids,
    )


def _popup_id(page, events):
    hit = _click_event(page, events)
    box = page.locator(".leaflet-container").first.bounding_box()
    page.mouse.click(box["x"] + hit[1], box["y"] + hit[2])
    popup = page.locator(".leaflet-popup .cm-popup")
    popup.first.wait_for(timeout=5000)
    # a popup the viewer replaces (it re-opens the selected event after an auto-pan) fades
    # out over a moment: wait until only the open one is left
    page.wait_for_function(
        "() => document.querySelectorAll('.leaflet-popup .cm-popup').length === 1", timeout=5000
    )
    # the popup may pan the map into the space the controls leave: let the pan end and the
    # view be queried again before reading the state
    _wait_still(page)
    wait_drawn(page)
    return popup.get_attribute("data-event-id")


def _wait_still(page, timeout=5.0):
    """Wait until the map's centre stops moving (a popup's auto-pan is animated)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        state = viewer_state(page)
        here = (round(state["lat"], 6), round(state["lon"], 6), state["zoom"])
        if here == last:
            return
        last = here
        page.wait_for_timeout(300)


def test_page_loads_offline_with_every_event_drawn(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    assert page.evaluate("L.version") == "1.9.3"
    # the first outline request of a process loads the gazetteer (its index may be built)
    page.wait_for_function("() => ConflictMap.current.basemapLoaded >= 1", timeout=120_000)
    state = viewer_state(page)
    assert state["shown"] == len(events)
    by_type = {}
    for e in events:
        by_type[e.event_type] = by_type.get(e.event_type, 0) + 1
    assert {k: v for k, v in state["counts"].items() if v} == by_type
    # admin1-level events are areas (paths), never a point symbol
    areas = sum(1 for e in events if e.geo_precision == "admin1")
    drawn_areas = page.evaluate(
        "Object.values(ConflictMap.current.renderer._layers).filter(l => l._rings).length"
    )
    assert drawn_areas == areas
    assert page.locator(".cm-legend li").count() >= 8
    assert "GeoNames" in page.locator(".leaflet-control-attribution").inner_text()
    screenshot(page, "map_page")
    rec.assert_clean()


def test_toggling_a_layer_hides_its_events(rec, base_url):
    page = _open(rec, base_url + "/map")
    before = _visible(page, "square")  # captures
    others = _visible(page, "triangle")  # deployments
    assert before > 0 and others > 0
    renders = viewer_state(page)["renders"]
    label = page.locator(".cm-panel label.cm-layer", has_text="Captures")
    label.locator("input").uncheck()
    wait_drawn(page, renders + 1)
    assert _visible(page, "square") == 0
    assert _visible(page, "triangle") == others
    assert "type=" in page.url and "capture" not in page.url.split("type=")[1].split("&")[0]
    label.locator("input").check()
    wait_drawn(page, renders + 2)
    assert _visible(page, "square") == before
    rec.assert_clean()


def test_time_control_changes_what_is_shown(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    full = viewer_state(page)["shown"]
    renders = viewer_state(page)["renders"]
    page.locator(".cm-to").focus()
    for _ in range(30):
        page.keyboard.press("ArrowLeft")
    wait_drawn(page, renders + 1)
    page.wait_for_timeout(300)
    wait_drawn(page, renders + 1)
    state = viewer_state(page)
    end = state["state"]["end"]
    expected = sum(1 for e in events if e.date_start.isoformat() <= end)
    assert state["shown"] == expected < full
    start = state["state"]["start"]
    assert page.locator(".cm-window").inner_text() == f"{start} → {end}"
    days = date.fromisoformat(end).toordinal() - date.fromisoformat(start).toordinal() + 1
    assert page.locator(".cm-asof").inner_text() == f"{days} days"
    # one step forward moves the whole window by the step (7 days)
    start = state["state"]["start"]
    page.locator(".cm-forward").click()
    wait_drawn(page, state["renders"] + 1)
    moved = viewer_state(page)["state"]
    assert date.fromisoformat(moved["end"]).toordinal() - date.fromisoformat(end).toordinal() == 7
    assert moved["start"] > start
    lo, hi = moved["start"], moved["end"]
    inside = sum(
        1 for e in events if e.date_start.isoformat() <= hi and e.date_end.isoformat() >= lo
    )
    assert viewer_state(page)["shown"] == inside
    screenshot(page, "map_time_window")
    rec.assert_clean()


def test_popup_lists_every_source_with_quote_and_link(rec, base_url, events):
    page = rec.page()
    asked = []
    page.on("request", lambda r: asked.append(urlsplit(r.url).path))
    page.goto(base_url + "/map", wait_until="load")
    wait_drawn(page)
    # the view's events come in the viewer's own page format: only the fields it draws
    assert "/maps/events.json" in asked and "/collections/events/items" not in asked
    assert page.evaluate("Object.values(ConflictMap.current.features).every(f => f.slim)")
    assert page.evaluate(
        "Object.values(ConflictMap.current.features).every(f => !('actor1' in f.properties))"
    )
    event_id = _popup_id(page, events)
    event = next(e for e in events if e.event_id == event_id)
    popup = page.locator(".leaflet-popup .cm-popup")
    items = popup.locator(".cm-source")
    assert items.count() == len(event.sources)
    for i, source in enumerate(event.sources):
        item = items.nth(i)
        assert source.quote in item.locator("blockquote").inner_text()
        if source.url.startswith("https:"):
            assert item.locator("a").get_attribute("href") == source.url
        else:  # a javascript: URL is shown as text, never as a link
            assert item.locator("a").count() == 0
    text = popup.inner_text()
    assert event.summary in text
    assert f"precision: {event.geo_precision}" in text
    assert f"precision: {event.date_precision}" in text
    assert "captured: 2–3" in text
    # what the map's page leaves out comes with the whole event, loaded as it opens
    assert event.actor1 in text and event.status in text
    assert f"/collections/events/items/{event_id}" in asked
    screenshot(page, "map_popup")
    rec.assert_clean()


def test_permalink_restores_the_view_after_reload(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    renders = viewer_state(page)["renders"]
    page.locator(".cm-filters summary").click()
    page.locator(".cm-filters select[name=status]").select_option("corroborated")
    wait_drawn(page, renders + 1)
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(400)
    wait_drawn(page)
    page.locator(".cm-to").focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(400)
    wait_drawn(page)
    event_id = _popup_id(page, events)
    page.locator(".cm-permalink").click()
    link = page.locator(".cm-share-text").input_value()
    before = viewer_state(page)
    assert before["state"]["status"] == "corroborated" and before["state"]["event"] == event_id

    again = _open(rec, link)
    page.close()
    again.locator(".leaflet-popup .cm-popup").wait_for(timeout=5000)
    after = viewer_state(again)
    for key in ("start", "end", "status", "event", "q", "actor"):
        assert after["state"][key] == before["state"][key], key
    assert after["zoom"] == before["zoom"]
    assert after["lat"] == pytest.approx(before["lat"], abs=1e-3)
    assert after["lon"] == pytest.approx(before["lon"], abs=1e-3)
    assert after["shown"] == before["shown"]
    assert again.locator(".cm-filters select[name=status]").input_value() == "corroborated"
    assert again.locator(".cm-popup").get_attribute("data-event-id") == event_id
    rec.assert_clean()


def test_download_links_carry_the_view_filters(rec, base_url):
    page = _open(rec, base_url + "/map")
    page.locator(".cm-download summary").click()
    href = page.locator(".cm-dl-csv").get_attribute("href")
    state = viewer_state(page)["state"]
    assert "f=csv" in href and "bbox=" in href
    assert f"datetime={state['start']}%2F{state['end']}" in href
    shown = viewer_state(page)["shown"]
    for fmt in ("geojson", "csv", "gpkg", "kml"):
        with page.expect_download() as info:
            page.locator(f".cm-dl-{fmt}").click()
        assert info.value.suggested_filename.endswith("." + fmt)
        if fmt == "geojson":  # exactly the events on screen
            with open(info.value.path(), encoding="utf-8") as fh:
                ids = {f["id"] for f in json.load(fh)["features"]}
            assert ids == set(page.evaluate("Object.keys(ConflictMap.current.features)"))
            assert len(ids) == shown
    rec.assert_clean()


def test_embed_renders_offline_inside_a_foreign_page(browser, app, events):
    # a report page on another origin (localhost, not 127.0.0.1) frames the embed. It is
    # served beside the app by a plain WSGI wrapper (outside the app and its headers), so
    # that both are real loopback responses (Chromium's local network access checks).
    def site(environ, start_response):
        if environ["PATH_INFO"] == "/report.html":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [f'<iframe src="{url}/embed" width="900" height="600"></iframe>'.encode()]
        return app(environ, start_response)

    rec = Recorder(browser, allow=r"http://(?:127\.0\.0\.1|localhost):\d+/")
    with live_server(site) as url:
        page = rec.page()
        page.goto(url.replace("127.0.0.1", "localhost") + "/report.html")
        frame = page.frame_locator("iframe")
        frame.locator(".cm-stamp").wait_for(timeout=15000)
        inner = page.frames[1]
        wait_drawn(inner)
        assert inner.evaluate("ConflictMap.current.shown") == len(events)
        assert frame.locator(".cm-filters").count() == 0
        assert "Data as of" in frame.locator(".cm-stamp").inner_text()
        assert "Natural Earth" in frame.locator(".leaflet-control-attribution").inner_text()
        screenshot(page, "embed_in_report")
        rec.assert_clean()
    rec.close()


def test_static_map_from_disk_renders_with_no_network(rec, tmp_path, runner, events):
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--no-png"])
    assert result.exit_code == 0, result.output
    page = rec.page()
    page.goto((tmp_path / "events.html").as_uri())
    wait_drawn(page)
    assert viewer_state(page)["shown"] == len(events)
    assert page.locator(".cm-legend").count() == 1
    screenshot(page, "static_map")
    # the same filters work in the page itself, with no API behind it
    page.locator(".cm-filters summary").click()
    renders = viewer_state(page)["renders"]
    page.locator(".cm-filters select[name=status]").select_option("corroborated")
    wait_drawn(page, renders + 1)
    corroborated = [e for e in events if e.status == "corroborated"]
    assert viewer_state(page)["shown"] == len(corroborated)
    renders = viewer_state(page)["renders"]
    target = corroborated[-1]  # "Summary 57: ..." - no other event has a word "57…"
    page.locator(".cm-filters input[name=q]").fill(" ".join(target.summary.split()[:2]))
    wait_drawn(page, renders + 1)
    page.wait_for_timeout(300)
    assert page.evaluate("Object.keys(ConflictMap.current.features)") == [target.event_id]
    assert "status=corroborated" in page.url  # the permalink lives in the hash on file://
    assert (tmp_path / "events.svg").stat().st_size > 1000
    rec.assert_clean()


@pytest.mark.parametrize("name", ["events", "kursk-2024-2025"])
def test_committed_demo_maps_open_from_disk(rec, name):
    """The static maps shipped in maps/ (the demo corpus) render offline from the file."""
    path = Path(__file__).resolve().parent.parent / "maps" / f"{name}.html"
    page = rec.page()
    page.goto(path.as_uri())
    wait_drawn(page)
    state = viewer_state(page)
    assert state["shown"] >= 5 and state["counts"]["capture"] >= 1
    assert "GeoNames" in page.locator(".leaflet-control-attribution").inner_text()
    rec.assert_clean()


def test_playback_moves_the_window_until_paused(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    page.locator(".cm-to").focus()
    for _ in range(40):  # a 20-day window at the start of the data
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(400)
    wait_drawn(page)
    first = viewer_state(page)["state"]
    page.locator(".cm-play").click()
    page.wait_for_function(
        "s => ConflictMap.current.state.start > s && !ConflictMap.current.pending",
        arg=first["start"],
        timeout=10_000,
    )
    page.locator(".cm-play").click()  # pause
    paused = viewer_state(page)["state"]
    page.wait_for_timeout(1600)
    assert viewer_state(page)["state"]["start"] == paused["start"]
    days = (
        date.fromisoformat(paused["start"]).toordinal()
        - date.fromisoformat(first["start"]).toordinal()
    )
    assert days > 0 and days % 7 == 0
    lo, hi = paused["start"], paused["end"]
    inside = sum(
        1 for e in events if e.date_start.isoformat() <= hi and e.date_end.isoformat() >= lo
    )
    wait_drawn(page)
    assert viewer_state(page)["shown"] == inside
    rec.assert_clean()


def test_actor_status_and_text_filters_narrow_the_map(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    page.locator(".cm-filters summary").click()
    actor = "Military Forces of North Korea"
    renders = viewer_state(page)["renders"]
    page.locator(".cm-filters input[name=actor]").fill(actor)
    wait_drawn(page, renders + 1)
    page.wait_for_timeout(300)
    wait_drawn(page)
    assert viewer_state(page)["shown"] == sum(1 for e in events if e.actor1 == actor)
    renders = viewer_state(page)["renders"]
    page.locator(".cm-filters select[name=status]").select_option("corroborated")
    wait_drawn(page, renders + 1)
    wanted = [e for e in events if e.actor1 == actor and e.status == "corroborated"]
    assert viewer_state(page)["shown"] == len(wanted) > 0
    renders = viewer_state(page)["renders"]
    page.locator(".cm-filters input[name=q]").fill(wanted[0].location_name)
    wait_drawn(page, renders + 1)
    page.wait_for_timeout(300)
    wait_drawn(page)
    shown = set(page.evaluate("Object.keys(ConflictMap.current.features)"))
    assert wanted[0].event_id in shown and len(shown) < len(wanted)
    words = wanted[0].location_name.casefold().split()
    for e in events:
        if e.event_id in shown:  # every word of the query starts a word of the event's text
            text = " ".join([e.summary, e.location_name, *(s.quote for s in e.sources)])
            tokens = re.findall(r"\w+", text.casefold())
            assert all(any(t.startswith(w) for t in tokens) for w in words)
    assert "q=Place" in page.url and "status=corroborated" in page.url
    rec.assert_clean()


def test_embed_snippet_points_at_the_same_view(rec, base_url):
    page = _open(rec, base_url + "/map")
    page.locator(".cm-embed").click()
    snippet = page.locator(".cm-share-text").input_value()
    assert snippet.startswith('<iframe src="' + base_url + "/embed?")
    src = snippet.split('"')[1].replace("&amp;", "&")
    state = viewer_state(page)["state"]
    assert f"start={state['start']}" in src and f"end={state['end']}" in src
    embed = rec.page()
    embed.goto(src)
    wait_drawn(embed)
    assert viewer_state(embed)["shown"] == viewer_state(page)["shown"]
    assert viewer_state(embed)["zoom"] == viewer_state(page)["zoom"]
    rec.assert_clean()


def test_empty_store_shows_an_empty_map_without_errors(browser, app):
    rec = Recorder(browser)
    with live_server(app) as url:
        page = rec.page()
        page.goto(url + "/map")
        wait_drawn(page)
        assert viewer_state(page)["shown"] == 0
        assert page.locator(".cm-time").count() == 0  # no dates, no time axis
        assert page.locator(".cm-status").inner_text() == "0 events in view"
    rec.assert_clean()
    rec.close()


def test_more_events_than_a_page_fetches(browser, app, events):
    app.config["MAP_FETCH_LIMIT"] = 10
    rec = Recorder(browser)
    with live_server(app) as url:
        page = rec.page()
        page.goto(url + "/map")
        wait_drawn(page)
        state = viewer_state(page)
        last = max(e.date_end for e in events)
        # the map opens on the latest month and says how much it does not show
        assert state["state"]["end"] == last.isoformat()
        assert date.fromisoformat(state["state"]["start"]) == last.fromordinal(
            last.toordinal() - 30
        )
        lo, hi = state["state"]["start"], state["state"]["end"]
        inside = sum(
            1 for e in events if e.date_start.isoformat() <= hi and e.date_end.isoformat() >= lo
        )
        assert state["shown"] == 10 and state["matched"] == inside > 10
        status = page.locator(".cm-status").inner_text()
        assert status.startswith(f"Showing 10 of {inside} matching events")
        page.locator(".cm-back").click()  # the missing days exceed the page: a full query
        wait_drawn(page, state["renders"] + 1)
        back = viewer_state(page)
        assert back["shown"] == 10 and back["matched"] > 10
    rec.assert_clean()
    rec.close()


def test_more_events_than_the_api_counts(browser, app, events):
    """Past NUMBER_MATCHED_MAX the API leaves numberMatched out: the viewer reads the next
    link and says that many more match."""
    app.config["MAP_FETCH_LIMIT"] = 10
    app.config["NUMBER_MATCHED_MAX"] = 5
    rec = Recorder(browser)
    with live_server(app) as url:
        page = rec.page()
        page.goto(url + "/map")
        wait_drawn(page)
        state = viewer_state(page)
        assert state["shown"] == 10 and state["matched"] is None
        status = page.locator(".cm-status").inner_text()
        assert status.startswith("Showing 10 of many more matching events")
    rec.assert_clean()
    rec.close()


def test_events_stacked_on_one_area_are_each_reachable(browser, app, store):
    """Several events at one oblast share its fill and a click offers each of them."""
    square = [[[35.0, 51.0], [37.0, 51.0], [37.0, 52.0], [35.0, 52.0], [35.0, 51.0]]]
    stacked = [
        Event.from_dict({
            "event_id": f"area-{kind}", "event_type": kind, "date_start": "2024-11-0" + str(i + 1),
            "geonameid": 538555, "location_name": "Kursk Oblast", "geo_precision": "admin1",
            "latitude": 51.5, "longitude": 36.0, "summary": f"{kind} in the oblast",
            "geometry": {"type": "Polygon", "coordinates": square},
        })
        for i, kind in enumerate(["deployment", "capture", "casualties"])
    ]  # fmt: skip
    point = Event.from_dict({
        "event_id": "town", "event_type": "attack", "date_start": "2024-11-02",
        "latitude": 51.2, "longitude": 35.3, "geo_precision": "exact", "summary": "a town",
    })  # fmt: skip
    store.put_events([*stacked, point])
    r = Recorder(browser)
    try:
        with live_server(app) as url:
            page = r.page()
            page.goto(url + "/map", wait_until="load")
            wait_drawn(page)
            fills = page.evaluate(
                "Object.values(ConflictMap.current.drawn).filter(l => l.cmAreaKey)"
                ".map(l => l.cmFill)"
            )
            assert len(fills) == 3 and all(0 < f < 0.6 for f in fills)
            assert abs((1 - (1 - fills[0]) ** 3) - 0.6) < 1e-9  # together: one area's hatch

            def click(lat, lon):
                x, y = page.evaluate(
                    "([a, o]) => { const p = ConflictMap.current.map"
                    ".latLngToContainerPoint([a, o]); return [p.x, p.y]; }",
                    [lat, lon],
                )
                box = page.locator(".leaflet-container").first.bounding_box()
                page.mouse.click(box["x"] + x, box["y"] + y)

            click(51.7, 36.6)  # inside the oblast, away from the town
            chooser = page.locator(".leaflet-popup .cm-chooser")
            chooser.wait_for(timeout=5000)
            assert "3 events here" in chooser.inner_text()
            buttons = chooser.locator(".cm-choice")
            assert sorted(buttons.nth(i).get_attribute("data-event-id") for i in range(3)) == [
                "area-capture", "area-casualties", "area-deployment"
            ]  # fmt: skip
            page.wait_for_timeout(300)  # the popup fades in
            screenshot(page, "map_stacked_chooser")
            chooser.locator('[data-event-id="area-capture"]').click()
            popup = page.locator(".leaflet-popup .cm-popup")
            popup.wait_for(timeout=5000)
            assert popup.get_attribute("data-event-id") == "area-capture"
            assert "event=area-capture" in page.url
            page.keyboard.press("Escape")
            click(51.2, 35.3)  # the town's symbol, drawn over the oblast: no list
            # (a closed popup fades out for 200 ms: wait for the new one by its id)
            page.locator('.leaflet-popup .cm-popup[data-event-id="town"]').wait_for(timeout=5000)
            # the list closed earlier fades out; none is opened for the town
            page.wait_for_function("() => !document.querySelector('.cm-chooser')", timeout=3000)
            assert "event=town" in page.url
            # the oblast's badge tells what happened there, and lists the events on a click
            badge = page.locator('.cm-badge[data-area^="g538555/"]')
            assert badge.count() == 1 and page.locator(".cm-badge").count() == 1
            title = badge.get_attribute("title")
            assert title.startswith("Kursk Oblast: ")
            for label in ("1 Deployments", "1 Captures", "1 Casualties"):
                assert label in title
            assert "Attacks" not in title
            page.keyboard.press("Escape")  # the town's popup may cover the badge
            page.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=3000)
            badge.click()
            page.locator(".leaflet-popup .cm-chooser .cm-choice").nth(2).wait_for(timeout=5000)
        r.assert_clean()
    finally:
        r.close()


def _front_version(day, geom, name):
    from geo.frontlines import FrontLineVersion

    feature = {"type": "Feature", "geometry": geom, "properties": {"name": name, "kind": (
        "area" if geom["type"].endswith("Polygon") else "line")}}  # fmt: skip
    return FrontLineVersion(source="ISW", valid_from=day, features=(feature,), file_name="t.kml")


def test_front_lines_follow_the_end_of_the_window(rec, store, base_url, events):
    area = {"type": "Polygon", "coordinates": [[[35, 51], [36, 51], [36, 52], [35, 52], [35, 51]]]}
    line = {"type": "LineString", "coordinates": [[35.0, 51.0], [36.0, 51.5], [37.0, 51.8]]}
    store.put_front_lines(_front_version("2024-10-01", area, "october"))
    store.put_front_lines(_front_version("2024-11-01", line, "november"))
    asked = []
    page = rec.page()
    page.on("request", lambda r: "/front_lines/" in r.url and asked.append(r.url))
    page.goto(base_url + "/map", wait_until="load")
    wait_drawn(page)

    def front():
        page.wait_for_function(
            "() => { const f = ConflictMap.current.frontLines;"
            " return f && f.date === (ConflictMap.current.state.end) }",
            timeout=5000,
        )
        return page.evaluate(
            """() => { const f = ConflictMap.current.frontLines;
            return {from: f.versions.map(v => v.valid_from), date: f.date,
                    areas: document.querySelectorAll('.cm-front-area').length,
                    lines: document.querySelectorAll('.cm-front-line').length}; }"""
        )

    # the window ends after 1 November: the November version (a line) is drawn
    now = front()
    assert now["from"] == ["2024-11-01"] and (now["areas"], now["lines"]) == (0, 1)
    caption = page.locator(".cm-front-caption").inner_text()
    assert "ISW of 2024-11-01" in caption
    # the window's end moved back into October: the October area replaces it
    page.locator(".cm-to").focus()
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(400)
    wait_drawn(page)
    end = viewer_state(page)["state"]["end"]
    assert end < "2024-11-01"
    then = front()
    assert then["from"] == ["2024-10-01"] and (then["areas"], then["lines"]) == (1, 0)
    assert "until 2024-10-31" in page.locator(".cm-front-caption").inner_text()
    screenshot(page, "map_front_lines")
    # playing the window forward brings the November version back
    fetched = len(asked)
    page.locator(".cm-play").click()
    page.wait_for_function(
        "() => ConflictMap.current.frontLines.versions.some(v => v.valid_from === '2024-11-01')",
        timeout=20_000,
    )
    page.locator(".cm-play").click()
    # one request per version change, not one per step: the answer says how long it holds
    assert len(asked) - fetched <= 2
    assert all("datetime=" in u for u in asked)
    # the layer can be turned off like any other
    label = page.locator(".cm-panel label.cm-layer", has_text="Front lines")
    label.locator("input").uncheck()
    assert page.locator(".cm-front-line, .cm-front-area").count() == 0
    rec.assert_clean()


def test_static_map_carries_the_front_lines_of_its_window(rec, tmp_path, runner, store, events):
    area = {"type": "Polygon", "coordinates": [[[35, 51], [36, 51], [36, 52], [35, 52], [35, 51]]]}
    line = {"type": "LineString", "coordinates": [[35.0, 51.0], [36.0, 51.5], [37.0, 51.8]]}
    store.put_front_lines(_front_version("2024-10-01", area, "october"))
    store.put_front_lines(_front_version("2024-11-01", line, "november"))
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--no-png"])
    assert result.exit_code == 0, result.output
    page = rec.page()
    page.goto((tmp_path / "events.html").as_uri())
    wait_drawn(page)
    page.wait_for_function("() => ConflictMap.current.frontLines.loads >= 1", timeout=5000)
    assert page.locator(".cm-front-line").count() == 1  # the window ends in November
    page.locator(".cm-to").focus()
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => ConflictMap.current.frontLines.versions.map(v => v.valid_from).join() ==="
        " '2024-10-01'",
        timeout=5000,
    )
    assert page.locator(".cm-front-area").count() == 1
    rec.assert_clean()


def test_permalink_carries_layers_basemap_step_and_filters(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    renders = viewer_state(page)["renders"]
    overlays = page.locator(".cm-panel")
    overlays.locator("label", has_text="Regions").locator("input").check()
    overlays.locator("label", has_text="Captures").locator("input").uncheck()
    wait_drawn(page, renders + 1)
    page.locator(".cm-step").select_option("30")
    page.locator(".cm-filters summary").click()
    renders = viewer_state(page)["renders"]
    page.locator(".cm-filters select[name=status]").select_option("claimed")
    page.wait_for_function("() => ConflictMap.current.state.status === 'claimed'")
    wait_drawn(page, renders + 1)
    event_id = _popup_id(page, events)
    page.locator(".cm-permalink").click()
    link = page.locator(".cm-share-text").input_value()
    for part in ("layers=regions", "step=30", "status=claimed", f"event={event_id}", "type="):
        assert part in link, part
    again = _open(rec, link)
    page.close()
    again.locator(".leaflet-popup .cm-popup").wait_for(timeout=5000)
    regions = again.locator(".cm-panel label.cm-layer", has_text="Regions")
    assert regions.locator("input").is_checked()
    captures = again.locator(".cm-panel label.cm-layer", has_text="Captures")
    assert not captures.locator("input").is_checked()
    assert again.locator(".cm-step").input_value() == "30"
    assert again.locator(".cm-filters select[name=status]").input_value() == "claimed"
    assert again.locator(".cm-notice").is_hidden()  # nothing in it was unknown
    # the regions outlines were asked for because the link said so
    again.wait_for_function("() => ConflictMap.current.basemapLoaded >= 2", timeout=120_000)
    # with the regions on, borders are drawn once (by the regions), so the two never disagree
    weights = again.evaluate(
        """() => { const v = ConflictMap.current;
        return [v.baseLayers.countries.getLayers()[0].options.weight,
                v.overlays.regions.layer.getLayers()[0].options.weight]; }"""
    )
    assert weights[0] == 0 and weights[1] > 0
    rec.assert_clean()


def test_unknown_link_values_are_reported_not_applied(rec, base_url, events):
    page = _open(rec, base_url + "/map?type=bogus")
    state = viewer_state(page)
    assert state["shown"] == len(events)  # every layer stays on
    notice = page.locator(".cm-notice")
    assert notice.is_visible() and "type=bogus" in notice.inner_text()
    query = "type=bogus,capture&step=9&status=nope&lat=999&start=2024-99-01&layers=tanks&zz=1"
    page = _open(rec, base_url + "/map?" + query)
    state = viewer_state(page)
    captures = sum(1 for e in events if e.event_type == "capture")
    assert state["shown"] == captures and state["state"]["status"] == ""
    params = page.eval_on_selector_all(".cm-notice li", "ls => ls.map(l => l.dataset.param)")
    assert sorted(params) == ["lat", "layers", "start", "status", "step", "type", "zz"]
    assert page.locator(".cm-step").input_value() == "7"
    screenshot(page, "map_link_notice")
    page.locator(".cm-notice-close").click()
    assert page.locator(".cm-notice").is_hidden()
    rec.assert_clean()


def test_areas_are_hatched_outlines_and_assumed_events_fainter(browser, app, store):
    square = [[[35.0, 51.0], [37.0, 51.0], [37.0, 52.0], [35.0, 52.0], [35.0, 51.0]]]
    base = {"date_start": "2024-11-02", "summary": "s"}
    events = [
        Event.from_dict({**base, "event_id": "oblast", "event_type": "deployment",
                         "geonameid": 538555, "location_name": "Kursk Oblast",
                         "geo_precision": "admin1", "latitude": 51.5, "longitude": 36.0,
                         "geometry": {"type": "Polygon", "coordinates": square}}),
        Event.from_dict({**base, "event_id": "oblast-attack", "event_type": "attack",
                         "geonameid": 538555, "location_name": "Kursk Oblast",
                         "geo_precision": "admin1", "latitude": 51.5, "longitude": 36.0,
                         "geometry": {"type": "Polygon", "coordinates": square}}),
        Event.from_dict({**base, "event_id": "stated", "event_type": "attack",
                         "latitude": 51.2, "longitude": 35.3, "geo_precision": "exact",
                         "date_basis": "stated"}),
        Event.from_dict({**base, "event_id": "undated", "event_type": "attack",
                         "latitude": 51.3, "longitude": 35.6, "geo_precision": "exact",
                         "date_basis": "report", "reported_at": "2024-11-02"}),
        Event.from_dict({**base, "event_id": "unplaced", "event_type": "capture",
                         "latitude": 51.25, "longitude": 35.9, "geo_precision": "exact",
                         "tags": ["place-assumed"],
                         "sources": [{"source_id": "art-7f3a", "quote": "they were taken",
                                      "published_at": "2024-11-03"}]}),
        Event.from_dict({**base, "event_id": "near", "event_type": "capture",
                         "latitude": 51.35, "longitude": 36.3, "geo_precision": "near"}),
    ]  # fmt: skip
    store.put_events(events)
    r = Recorder(browser)
    try:
        with live_server(app) as url:
            page = r.page()
            page.goto(url + "/map", wait_until="load")
            wait_drawn(page)
            styles = page.evaluate(
                """() => { const out = {}, d = ConflictMap.current.drawn;
                for (const id in d) {
                  const o = (d[id].getLayers ? d[id].getLayers()[0] : d[id]).options;
                  out[id] = {pattern: o.fillColor instanceof CanvasPattern, color: o.color,
                             fill: o.fillOpacity, opacity: o.opacity}; }
                return out; }"""
            )
            # areas: a hatch (a pattern, never a flat fill) and one outline colour for all types
            for area in ("oblast", "oblast-attack"):
                assert styles[area]["pattern"] and styles[area]["fill"] < 0.6
            assert styles["oblast"]["color"] == styles["oblast-attack"]["color"]
            # an assumed date or place is drawn fainter than a stated one
            assert styles["stated"]["opacity"] == 1
            assert styles["undated"]["opacity"] < 1 and styles["unplaced"]["opacity"] < 1
            assert styles["undated"]["fill"] < styles["stated"]["fill"]
            page.evaluate("ConflictMap.current.select('undated')")
            popup = page.locator('.leaflet-popup .cm-popup[data-event-id="undated"]')
            popup.wait_for(timeout=5000)
            assert "Date assumed" in popup.inner_text() and "2024-11-02" in popup.inner_text()
            page.evaluate("ConflictMap.current.select('unplaced')")
            popup = page.locator('.leaflet-popup .cm-popup[data-event-id="unplaced"]')
            popup.wait_for(timeout=5000)
            assert "Place assumed" in popup.inner_text()
            # thin metadata: the day of the report, said to have no title or link
            source = popup.locator(".cm-source").inner_text()
            assert "Report of 2024-11-03" in source and "no title or link recorded" in source
            assert "art-7f3a" not in source and "Untitled" not in source
            page.keyboard.press("Escape")
            screenshot(page, "map_honest_precision")
            # "precise places only": no areas, no "near"
            renders = viewer_state(page)["renders"]
            page.locator(".cm-filters summary").click()
            page.locator(".cm-filters input[name=precise]").check()
            wait_drawn(page, renders + 1)
            page.wait_for_function("() => ConflictMap.current.shown === 3")
            shown = sorted(page.evaluate("Object.keys(ConflictMap.current.features)"))
            assert shown == ["stated", "undated", "unplaced"]
            assert "precise=1" in page.url
            page.locator(".cm-download summary").click()
            assert "geo_precision=exact" in page.locator(".cm-dl-csv").get_attribute("href")
        r.assert_clean()
    finally:
        r.close()


NO_OVERLAP = """() => { const r = [...document.querySelectorAll('.cm-label')]
  .map(n => n.getBoundingClientRect());
  for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
    const a = r[i], b = r[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) return false;
  }
  return true; }"""


def _labels(page, loads):
    page.wait_for_function(
        "n => (ConflictMap.current.placeLabels.loads || 0) >= n", arg=loads, timeout=15_000
    )
    return page.evaluate(
        "[...document.querySelectorAll('.cm-label')].map(n => [n.innerText, n.className])"
    )


def test_place_labels_search_and_tooltips_orient_the_reader(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    labels = _labels(page, 1)
    assert labels and page.evaluate(NO_OVERLAP)
    names = {name for name, _ in labels}
    assert "Kursk" in names or "Sumy" in names or "Belgorod" in names
    # near Sudzha at zoom 10 the map names the villages around
    loads = page.evaluate("ConflictMap.current.placeLabels.loads")
    page.evaluate("() => { ConflictMap.current.map.setView([51.19, 35.27], 10); }")
    labels = _labels(page, loads + 1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cm-label')].some(n => n.innerText === 'Sudzha')",
        timeout=10_000,
    )
    labels = page.evaluate(
        "[...document.querySelectorAll('.cm-label')].map(n => [n.innerText, n.className])"
    )
    assert len(labels) >= 10 and page.evaluate(NO_OVERLAP)
    assert any("cm-label-r5" in cls or "cm-label-r4" in cls for _, cls in labels)
    screenshot(page, "map_labels_sudzha")
    # the search box: type-ahead, then a jump to the place, highlighted
    page.evaluate("() => { ConflictMap.current.map.setView([50, 30], 5, {animate: false}); }")
    box = page.locator(".cm-search input")
    box.fill("Sudz")
    page.locator(".cm-suggestion", has_text="Sudzha").first.wait_for(timeout=10_000)
    box.press("Enter")
    page.wait_for_function("() => ConflictMap.current.searched", timeout=5000)
    state = viewer_state(page)
    assert abs(state["lat"] - 51.19) < 0.01 and abs(state["lon"] - 35.27) < 0.01
    assert state["zoom"] >= 10
    assert page.locator(".cm-highlight").count() == 1
    assert page.locator(".cm-highlight-label").inner_text() == "Sudzha"
    # a tooltip on hover names the event without a click
    page.evaluate("() => { ConflictMap.current.map.setView([51.5, 36], 8, {animate: false}); }")
    wait_drawn(page)
    hit = _click_event(page, events)
    area = page.locator(".leaflet-container").first.bounding_box()
    page.mouse.move(area["x"] + hit[1], area["y"] + hit[2])
    tip = page.locator(".cm-tooltip")
    tip.wait_for(timeout=5000)
    event = next(e for e in events if e.event_id == hit[0])
    assert event.date_start.isoformat() in tip.inner_text()
    assert event.summary[:20] in tip.inner_text()
    rec.assert_clean()


def test_event_list_follows_the_map_and_opens_events(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    page.locator(".cm-tab-events").click()
    rows = page.locator(".cm-list-row")
    shown = viewer_state(page)["shown"]
    assert rows.count() == min(shown, 150) and shown > 0
    assert page.locator(".cm-tab-events").inner_text() == f"Events ({shown})"
    dates = page.eval_on_selector_all(
        ".cm-list-date", "ns => ns.map(n => n.innerText.slice(0, 10))"
    )
    assert dates == sorted(dates, reverse=True)  # newest first
    rows.nth(0).hover()
    assert page.locator(".cm-list-ring").count() == 1  # hover highlights it on the map
    first = rows.nth(2).get_attribute("data-event-id")
    rows.nth(2).click()
    page.locator(f'.leaflet-popup .cm-popup[data-event-id="{first}"]').wait_for(timeout=5000)
    assert f"event={first}" in page.url
    page.wait_for_timeout(300)  # the jump re-queries the view
    wait_drawn(page)
    # narrowing the window narrows the list
    renders = viewer_state(page)["renders"]
    page.locator(".cm-to").focus()
    for _ in range(30):
        page.keyboard.press("ArrowLeft")
    wait_drawn(page, renders + 1)
    page.wait_for_timeout(300)
    wait_drawn(page)
    shown = viewer_state(page)["shown"]
    page.wait_for_function(
        "n => document.querySelectorAll('.cm-list-row').length === Math.min(n, 150)", arg=shown
    )
    screenshot(page, "map_event_list")
    rec.assert_clean()


def test_histogram_counts_the_events_and_brushing_sets_the_window(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    page.wait_for_function("() => ConflictMap.current.histogram.loads >= 1", timeout=10_000)
    hist = page.evaluate("ConflictMap.current.histogram")
    assert hist["total"] == len(events) and hist["binDays"] == 1
    per_day = {}
    for e in events:
        per_day[e.date_start] = per_day.get(e.date_start, 0) + 1
    first = min(e.date_start for e in events)
    assert hist["counts"][0] == per_day.get(first, 0)
    assert sum(hist["counts"]) == len(events)
    # drag across the middle of the histogram: the window becomes those days
    box = page.locator(".cm-histogram").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    page.wait_for_timeout(200)
    wait_drawn(page)
    state = viewer_state(page)
    span = (max(e.date_end for e in events) - first).days + 1
    start = date.fromisoformat(state["state"]["start"])
    end = date.fromisoformat(state["state"]["end"])
    assert abs((start - first).days - span * 0.25) <= 2
    assert abs((end - first).days - span * 0.5) <= 2
    inside = sum(1 for e in events if e.date_start <= end and e.date_end >= start)
    assert state["shown"] == inside
    # one type off: the histogram counts the others only
    loads = page.evaluate("ConflictMap.current.histogram.loads")
    page.locator(".cm-panel label.cm-layer", has_text="Captures").locator("input").uncheck()
    page.wait_for_function("n => ConflictMap.current.histogram.loads > n", arg=loads)
    captures = sum(1 for e in events if e.event_type == "capture")
    assert page.evaluate("ConflictMap.current.histogram.total") == len(events) - captures
    screenshot(page, "map_histogram")
    rec.assert_clean()


def test_play_in_the_default_view_starts_at_the_beginning_one_step_wide(rec, base_url, events):
    page = _open(rec, base_url + "/map")
    state = viewer_state(page)["state"]
    first = min(e.date_start for e in events).isoformat()
    assert state["start"] == first  # the default window holds every date
    page.locator(".cm-play").click()
    page.wait_for_function(
        "f => ConflictMap.current.state.start === f && ConflictMap.current.state.end !== "
        "ConflictMap.current.cfg.extent.end",
        arg=first,
        timeout=5000,
    )
    page.locator(".cm-play").click()
    now = viewer_state(page)["state"]
    width = (date.fromisoformat(now["end"]) - date.fromisoformat(now["start"])).days + 1
    assert width == 7
    rec.assert_clean()


OVERLAPS = """() => { const els = [...document.querySelectorAll('.leaflet-control, .leaflet-popup')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0);
  const out = [];
  for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
    const a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5
        && b.top < a.bottom - 0.5)
      out.push([els[i].className, els[j].className]);
  } return out; }"""


@pytest.mark.parametrize(
    "path, width, height",
    [
        pytest.param("/embed", 800, 500, id="embed-800x500"),
        pytest.param("/embed", 390, 844, id="embed-phone"),
        pytest.param("/map", 390, 844, id="map-phone"),
        pytest.param("/map", 1280, 800, id="map-desktop"),
    ],
)
def test_no_control_overlaps_another_or_the_open_popup(browser, base_url, events, path, width,
                                                       height):  # fmt: skip
    r = Recorder(browser)
    r.context.close()
    r.context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = r.context.new_page()
        page.on("pageerror", lambda e: r.errors.append(str(e)))
        page.goto(base_url + path)
        wait_drawn(page)
        page.wait_for_timeout(500)
        assert page.evaluate(OVERLAPS) == []
        # the event nearest the centre, opened as a click would
        hit = _click_event(page, events)
        page.evaluate("id => ConflictMap.current.select(id)", hit[0])
        popup = page.locator(".leaflet-popup")
        popup.first.wait_for(timeout=5000)
        page.wait_for_timeout(600)  # the auto-pan and the fade-in
        wait_drawn(page)
        assert page.evaluate(OVERLAPS) == []
        # and the popup is drawn over everything: its centre is its own
        on_top = page.evaluate(
            """() => { const r = document.querySelector('.leaflet-popup-content')
                .getBoundingClientRect();
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + 10);
              return !!hit && !!hit.closest('.leaflet-popup'); }"""
        )
        assert on_top
        screenshot(page, f"layout_{path.strip('/')}_{width}x{height}")
        assert r.errors == []
    finally:
        r.close()


def test_report_map_has_title_window_legend_and_no_controls(rec, tmp_path, store, events):
    from webapp.cli.maps import build_static_map

    unplaced = Event.from_dict(
        {"event_id": "statement", "event_type": "statement", "date_start": "2024-10-20"}
    )
    features = [e.to_feature() for e in [*events, unplaced]]
    html, _ = build_static_map(features, data_as_of="2025-01-02T03:04:05Z", title="Kursk 2024",
                               print_mode=True)  # fmt: skip
    path = tmp_path / "print.html"
    path.write_text(html, encoding="utf-8")
    page = rec.page()
    page.set_viewport_size({"width": 1200, "height": 800})
    page.goto(path.as_uri())
    wait_drawn(page)
    title = page.locator(".cm-print-title").inner_text()
    first, last = min(e.date_start for e in events), max(e.date_end for e in events)
    assert "Kursk 2024" in title and f"{len(events)} events, {first} to {last}" in title
    assert "1 more without a location are in the data file" in title
    assert "Data as of 2025-01-02T03:04:05Z" in title
    # no interactive control: no zoom, slider, filters, tools, search or checkbox
    for selector in (".leaflet-control-zoom", ".cm-time", ".cm-filters", ".cm-tools",
                     ".cm-search", ".cm-panel input", ".cm-panel-head"):  # fmt: skip
        assert not page.locator(selector).first.is_visible(), selector
    legend = page.locator(".cm-panel .cm-legend li[data-type]:visible")
    kinds = {e.event_type for e in events}
    assert legend.count() == len(kinds)
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.evaluate(OVERLAPS) == []
    screenshot(page, "report_map")
    rec.assert_clean()


def test_static_download_holds_what_the_status_line_counts(rec, tmp_path, runner, store, events):
    unplaced = Event.from_dict(
        {"event_id": "statement", "event_type": "statement", "date_start": "2024-10-20"}
    )
    store.put_events([unplaced])
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--no-png"])
    assert result.exit_code == 0, result.output
    page = rec.page()
    page.goto((tmp_path / "events.html").as_uri())
    wait_drawn(page)
    assert "1 more without a location: in the downloads" in page.locator(".cm-status").inner_text()
    page.locator(".cm-download summary").click()
    with page.expect_download() as info:
        page.locator(".cm-dl-geojson").click()
    with open(info.value.path(), encoding="utf-8") as fh:
        ids = {f["id"] for f in json.load(fh)["features"]}
    assert "statement" in ids and len(ids) == len(events) + 1
    rec.assert_clean()


def test_a_step_after_an_incomplete_page_draws_the_window_loaded_ahead(browser, app, events):
    """When the window holds more events than a page, the next step's whole window is
    loaded while the reader looks, and the step draws it (the same events a fresh query
    gives)."""
    app.config["MAP_FETCH_LIMIT"] = 10
    rec = Recorder(browser)
    with live_server(app) as url:
        page = rec.page()
        page.goto(url + "/map?start=2024-10-05&end=2024-11-03")
        wait_drawn(page)
        state = viewer_state(page)
        assert state["shown"] == 10 and state["matched"] > 10
        page.wait_for_function("() => Object.keys(ConflictMap.current.prefetched || {}).length > 0")
        page.wait_for_timeout(800)  # the request waits for an idle moment, then loads
        page.locator(".cm-forward").click()
        wait_drawn(page, state["renders"] + 1)
        moved = viewer_state(page)
        assert (moved["state"]["start"], moved["state"]["end"]) == ("2024-10-12", "2024-11-10")
        timing = page.evaluate("ConflictMap.current.timing")
        assert timing["source"] == "prefetched"
        inside = sorted(
            (e.date_start.isoformat(), e.event_id) for e in events
            if e.date_start.isoformat() <= "2024-11-10" and e.date_end.isoformat() >= "2024-10-12"
        )  # fmt: skip
        drawn = page.evaluate(
            "ConflictMap.current.cache.features.map(f => [f.properties.date_start, f.id])"
        )
        assert sorted(map(tuple, drawn)) == inside[:10]
        assert moved["shown"] == 10 and moved["matched"] == len(inside)
    rec.assert_clean()
    rec.close()


def test_a_step_keeps_the_objects_of_events_it_draws_again(browser, app, store, events):
    """A step whose whole window is asked for again keeps, for each event drawn before and
    alike in the new page, the object it was drawn from (the page's copy is dropped); an
    event rewritten since, even within the same second (the same ``updated_at``), takes
    the page's new copy, which its tooltip then shows."""
    from geo.store.sqlite.rows import write_event

    app.config["MAP_FETCH_LIMIT"] = 10  # a page is not the whole window: each step asks again
    start, end, nxt, nxt_end = "2024-10-05", "2024-11-03", "2024-10-06", "2024-11-04"

    def page_of(lo, hi):
        inside = sorted(
            (e.date_start.isoformat(), e.event_id)
            for e in events
            if e.date_start.isoformat() <= hi and e.date_end.isoformat() >= lo
        )
        return [i for _, i in inside[:10]]

    both = [i for i in page_of(nxt, nxt_end) if i in page_of(start, end)]
    assert len(both) >= 3
    changed = next(e for e in events if e.event_id == both[1])
    rec = Recorder(browser)
    with live_server(app) as url:
        page = rec.page()
        page.goto(url + f"/map?start={start}&end={end}&step=1")
        wait_drawn(page)
        renders = page.evaluate(
            """() => { const v = ConflictMap.current;
            v.cfg.prefetch = false; v.prefetched = {};  // the step's page is asked for now
            window.__kept = Object.assign({}, v.features); return v.renderCount; }"""
        )
        assert sorted(page.evaluate("Object.keys(window.__kept)")) == sorted(page_of(start, end))
        # rewritten in place with the same update time (as a second write in one second)
        with store.transaction():
            conn = store._conn()
            rid = conn.execute(
                "SELECT rid FROM events WHERE event_id = ?", (changed.event_id,)
            ).fetchone()[0]
            write_event(
                conn,
                rid,
                changed.replace(
                    summary="Rewritten <b>summary</b>", updated_at="2025-01-01T00:00:00Z"
                ),
                store.fts,
            )
        page.locator(".cm-forward").click()
        wait_drawn(page, renders + 1)
        got = page.evaluate(
            """ids => { const v = ConflictMap.current;
            return {source: v.timing.source, state: [v.state.start, v.state.end],
              drawn: Object.keys(v.features).sort(),
              kept: ids.map(id => v.features[id] === window.__kept[id]),
              summary: ids.map(id => v.features[id].properties.summary)}; }""",
            both,
        )
        assert got["state"] == [nxt, nxt_end] and got["source"] == "full"
        assert got["drawn"] == sorted(page_of(nxt, nxt_end))
        for id_, kept, summary in zip(both, got["kept"], got["summary"], strict=True):
            if id_ == changed.event_id:
                assert not kept and summary == "Rewritten <b>summary</b>"
            else:
                assert kept, f"{id_}: drawn again from a new copy"
                assert summary == next(e.summary for e in events if e.event_id == id_)
        # the tooltip of the rewritten event names its new summary, as text
        tip = page.evaluate(
            """id => { const v = ConflictMap.current, l = v.drawn[id];
            const at = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
            l.fire('mouseover', {latlng: at}, true);
            const el = l.getTooltip() && l.getTooltip().getElement();
            return el ? [el.innerText, el.querySelectorAll('b').length] : null; }""",
            changed.event_id,
        )
        assert tip is not None and "Rewritten <b>summary</b>" in tip[0] and tip[1] == 0
    rec.assert_clean()
    rec.close()


STEP_SYMBOLS = """() => { const v = ConflictMap.current, out = {};
  for (const id of Object.keys(v.drawn)) {
    const l = v.drawn[id];
    if (!(l instanceof ConflictMap.ShapeMarker)) continue;
    const f = v.features[id], fresh = v.symbolFor(f), o = l.options, q = fresh.options;
    const at = l.getLatLng(), want = fresh.getLatLng();
    l.fire('mouseover', {latlng: at}, true);  // as Leaflet delivers a hover: up to the group
    const tip = l.getTooltip() && l.getTooltip().getElement();
    out[id] = {stamp: L.stamp(l), type: l.cmType, id: l.cmId,
      inGroup: v.layers[f.properties.event_type].hasLayer(l),
      same: ['shape', 'color', 'weight', 'fillColor', 'fillOpacity', 'opacity', 'dashArray']
        .every(k => o[k] === q[k]) && at.lat === want.lat && at.lng === want.lng,
      tip: tip ? tip.innerText : null};
    l.closeTooltip();
  }
  out.__leaves = Object.values(v.renderer._layers).length;
  out.__drawn = Object.values(v.drawn)
    .reduce((n, l) => n + (l.getLayers ? l.getLayers().length : 1), 0);
  return out; }"""


def test_a_step_moves_the_symbols_it_keeps_to_the_events_it_now_draws(rec, base_url, events):
    """A step takes the points it no longer needs over for its new events (moved and
    restyled, not made again): each then draws, names and opens its new event."""
    page = _open(rec, base_url + "/map?start=2024-10-01&end=2024-10-21")
    before = page.evaluate(STEP_SYMBOLS)  # binds a tooltip to every symbol, to be dropped
    renders = viewer_state(page)["renders"]
    page.locator(".cm-forward").click()
    wait_drawn(page, renders + 1)
    after = page.evaluate(STEP_SYMBOLS)
    assert after.pop("__leaves") == after.pop("__drawn")  # nothing left over on the canvas
    before.pop("__leaves"), before.pop("__drawn")
    by_id = {e.event_id: e for e in events}
    taken = {id_: s for id_, s in after.items() if id_ not in before
             and s["stamp"] in {b["stamp"] for b in before.values()}}  # fmt: skip
    assert taken, "no symbol was taken over: the step must replace some events"
    for id_, s in after.items():
        event = by_id[id_]
        assert s["id"] == id_ and s["type"] == event.event_type and s["inGroup"]
        assert s["same"], f"{id_} is drawn unlike a new symbol of its event"
        assert s["tip"] is not None and event.summary in s["tip"]  # names the new event
    # a click on a symbol taken over opens its new event (a real click where it is drawn)
    for id_ in taken:
        hit = page.evaluate(
            """id => { const v = ConflictMap.current, l = v.drawn[id], ll = l.getLatLng();
            if (v.hitsAt(ll, false).length !== 1) return null;
            const p = v.map.latLngToContainerPoint(ll); return [p.x, p.y]; }""",
            id_,
        )
        if hit is None:
            continue  # another symbol is drawn there: the click would list both
        area = page.locator(".leaflet-container").first.bounding_box()
        page.mouse.click(area["x"] + hit[0], area["y"] + hit[1])
        page.locator(f'.cm-popup[data-event-id="{id_}"]').wait_for(timeout=5000)
        break
    else:
        pytest.fail("no symbol taken over stands alone to be clicked")
    rec.assert_clean()
