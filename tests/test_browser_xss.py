"""Hostile event text in the map, popup, embed and static map: shown as text, never run."""

import pytest
from browser_fixtures import (
    XSS,
    Recorder,
    chromium,
    live_server,
    make_events,
    needs_chromium,
    put_unchecked,
    screenshot,
    wait_drawn,
)

pytestmark = [pytest.mark.browser, needs_chromium]

# the popup of an event loaded with only the fields the map draws opens once the whole event
# is loaded: each is waited for
OPEN_ALL_POPUPS = """async () => { const v = ConflictMap.current, out = [];
  for (const id of Object.keys(v.features)) {
    v.select(id);
    const sel = '.leaflet-popup .cm-popup[data-event-id="' + CSS.escape(id) + '"]';
    for (let i = 0; i < 250 && !document.querySelector(sel); i++)
      await new Promise(r => setTimeout(r, 20));
    const box = document.querySelector(sel);
    out.push([id, box ? box.innerText : null, box ? box.querySelectorAll('a').length : -1,
              box ? [...box.querySelectorAll('a')].map(a => a.getAttribute('href')) : []]);
  }
  return out; }"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def events(store):
    evs = make_events(12, seed=3, with_xss=True)
    put_unchecked(store, evs)
    return evs


def _check_popups(page, events):
    by_id = {e.event_id: e for e in events}
    popups = page.evaluate(OPEN_ALL_POPUPS)
    assert len(popups) == len(events)
    for event_id, text, _, hrefs in popups:
        event = by_id[event_id]
        assert text is not None and XSS in text  # visible, as text
        for source in event.sources:
            assert source.quote in text
        # only http(s) links: the javascript: source URL is shown as plain text
        assert all(h.startswith("https://example.org/") for h in hrefs)
        assert len(hrefs) == sum(1 for s in event.sources if s.url.startswith("https:"))
    page.wait_for_timeout(300)


HOVER_ALL = """() => { const v = ConflictMap.current, out = [];
  for (const id of Object.keys(v.drawn)) {
    const layer = v.drawn[id];
    // as Leaflet delivers a mouse event: to the layer, then up to its type's group
    layer.fire('mouseover', {latlng: v.latlngOf(v.features[id])}, true);
    const tip = layer.getTooltip();
    out.push(tip && tip.getElement() ? tip.getElement().innerText : null);
    layer.closeTooltip();
  }
  return out; }"""


def _check_tooltips(page, events):
    tips = page.evaluate(HOVER_ALL)  # every event drawn in the view (popups may have panned it)
    assert 0 < len(tips) <= len(events)
    assert all(t is not None and "<script>alert(1)</script>" in t for t in tips)


def test_hostile_link_values_are_reported_as_text(browser, app, events):
    rec = Recorder(browser)
    with live_server(app) as url:
        page = rec.page()
        page.goto(url + "/map?type=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&%3Cscript%3E=1")
        wait_drawn(page)
        notice = page.locator(".cm-notice").inner_text()
        assert "type=<img src=x onerror=alert(1)>" in notice and "<script>" in notice
        _no_injected_nodes(page)
    assert rec.dialogs == []
    rec.assert_clean()
    rec.close()


def _forget_superseded_views(rec):
    """Drop the view requests the viewer aborted itself: each popup, now opened once its
    whole event is loaded, may pan the map, and the view it leaves is superseded."""
    rec.failed = [
        (url, why)
        for url, why in rec.failed
        if not (why == "net::ERR_ABORTED" and "/maps/events.json?" in url)
    ]


def _no_injected_nodes(page):
    # no <img src=x> reached the DOM, and no executable script holds the event text
    assert page.evaluate("document.querySelectorAll('img[src=x], img[onerror]').length") == 0
    code = page.evaluate(
        "[...document.scripts].filter(s => s.type !== 'application/json')"
        ".map(s => s.textContent).join('\\n')"
    )
    assert "alert(1)" not in code


def test_hostile_text_in_map_popup_and_embed(browser, app, events):
    rec = Recorder(browser)
    with live_server(app) as url:
        for path in ("/map", "/embed"):
            page = rec.page()
            response = page.goto(url + path)
            assert "alert(1)" not in response.text()  # the page itself holds no event text
            wait_drawn(page)
            assert page.evaluate("ConflictMap.current.shown") == len(events)
            _check_popups(page, events)
            _check_tooltips(page, events)
            _no_injected_nodes(page)
            page.locator(".cm-tools .cm-status").wait_for()
            screenshot(page, f"xss{path.replace('/', '_')}")
            page.close()
    assert rec.dialogs == []
    _forget_superseded_views(rec)
    rec.assert_clean()
    rec.close()


def test_hostile_text_in_static_map(browser, tmp_path, runner, events):
    result = runner.invoke(["build-maps", "--out", str(tmp_path), "--no-png"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "events.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "${alert(1)}" in html  # inside the JSON data block, inert
    rec = Recorder(browser)
    page = rec.page()
    page.goto((tmp_path / "events.html").as_uri())
    wait_drawn(page)
    assert page.evaluate("ConflictMap.current.shown") == len(events)
    _check_popups(page, events)
    _no_injected_nodes(page)
    screenshot(page, "xss_static")
    svg = (tmp_path / "events.svg").read_text(encoding="utf-8")
    assert "<script" not in svg
    assert rec.dialogs == []
    rec.assert_clean()
    rec.close()


ARTICLE = (
    "KYIV, Ukraine — Ukrainian forces captured two North Korean soldiers in Russia's Kursk "
    "region on January 9, officials said <script>alert(1)</script> and "
    "<img src=x onerror=alert(1)> with a backtick ` and ${alert(1)} </script>.\n"
    "Thousands of North Korean troops were deployed to the Kursk region in late 2024, "
    "according to South Korean intelligence.\n"
)
META = (
    'title: "Report <script>alert(1)</script> <img src=x onerror=alert(1)> ` ${alert(1)}"\n'
    "url: https://example.org/hostile\npublished_at: 2025-01-12\npublished_precision: day\n"
)


def test_ingested_hostile_article_in_map_embed_and_static(browser, app, store, runner, tmp_path):
    from geo.pipeline.ingest import ingest_paths

    (tmp_path / "hostile.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "hostile.yaml").write_text(META, encoding="utf-8")
    report = ingest_paths(store, [tmp_path / "hostile.txt"])
    assert report.failed == [] and report.events_added >= 1
    events = list(store.query())
    assert any("<script>alert(1)</script>" in s.quote for e in events for s in e.sources)
    result = runner.invoke(["build-maps", "--out", str(tmp_path / "maps"), "--no-png"])
    assert result.exit_code == 0, result.output
    rec = Recorder(browser)
    with live_server(app) as url:
        pages = [url + "/map", url + "/embed", (tmp_path / "maps" / "events.html").as_uri()]
        for target in pages:
            page = rec.page()
            page.goto(target)
            wait_drawn(page)
            assert page.evaluate("ConflictMap.current.shown") == len(events)
            popups = page.evaluate(OPEN_ALL_POPUPS)
            for _, text, _, hrefs in popups:
                assert "Report <script>alert(1)</script> <img src=x onerror=alert(1)>" in text
                assert hrefs == ["https://example.org/hostile"]
            quotes = " ".join(text for _, text, _, _ in popups)
            assert (
                "<img src=x onerror=alert(1)> with a backtick ` and ${alert(1)} </script>" in quotes
            )
            _no_injected_nodes(page)
            page.close()
    assert rec.dialogs == []
    _forget_superseded_views(rec)
    rec.assert_clean()
    rec.close()
