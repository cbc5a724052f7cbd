"""Map building: offline assets, the folium shell, escaping of inlined data, the print SVG."""

import json
import re
import xml.etree.ElementTree as ET

import folium
import pytest

from geo.events.model import EVENT_TYPES, Event
from webapp import assets, maps
from webapp.elements import js_safe_json
from webapp.svgmap import render_svg

XSS = "<script>alert(1)</script> <img src=x onerror=alert(1)> ` ${alert(1)} </script>"


def _events():
    return [
        Event.from_dict(
            {
                "event_type": "capture",
                "date_start": "2024-12-01",
                "latitude": 51.5,
                "longitude": 35.1,
                "summary": XSS,
                "location_name": "Place " + XSS,
                "sources": [{"source_id": "a", "url": "https://example.org/a", "quote": XSS}],
            }
        ),
        Event.from_dict(
            {
                "event_type": "deployment",
                "date_start": "2024-11-01",
                "date_end": "2024-11-20",
                "latitude": 51.7,
                "longitude": 36.2,
                "geo_precision": "admin1",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[34, 51], [38, 51], [38, 52.5], [34, 52.5], [34, 51]]],
                },
            }
        ),
    ]


def _fc():
    return {"type": "FeatureCollection", "features": [e.to_feature() for e in _events()]}


def _api_map(**kw):
    api = {"items": "/collections/events/items", "item": "/collections/events/items/"}
    return maps.build_map(
        mode="api", api=api, extent={"start": "2024-01-01", "end": "2024-12-31"}, **kw
    )


def test_every_mapped_cdn_url_resolves_to_an_installed_file():
    for cdn, local in assets.CDN_TO_LOCAL.items():
        package, _, path = local.partition("/")
        assert assets.vendor_file(package, path) is not None, cdn
        assert maps.resolve_local(assets.local_url(local)) is not None, local


def test_vendor_file_refuses_paths_outside_the_package():
    assert assets.vendor_file("leaflet", "../__init__.py") is None
    assert assets.vendor_file("leaflet", "../../leaflet/__init__.py") is None
    assert assets.vendor_file("leaflet@0.0.1", "leaflet.js") is None
    assert assets.vendor_file("nosuch", "x.js") is None
    assert maps.resolve_local("/maps-static/../maps.py") is None


def test_map_page_loads_only_local_assets():
    html = maps.render_page(_api_map())
    assert assets.external_refs(html) == []
    srcs = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert "/vendor/leaflet@1.9.3/leaflet.js" in srcs
    assert "/vendor/leaflet@1.9.3/leaflet.css" in css
    for url in srcs + css:
        assert maps.resolve_local(url) is not None, url
    assert "tile.openstreetmap.org" not in html


def test_unmapped_plugin_fails_loudly():
    assets.patch_folium()
    m = folium.Map(tiles=None)
    folium.plugins.MiniMap().add_to(m)
    with pytest.raises(assets.OfflineAssetError, match="cdnjs.cloudflare.com"):
        maps.render_page(m)
    assert any("MiniMap" in url for url in assets.patch_folium())


def test_external_refs_ignores_plain_hyperlinks_but_not_loads():
    assert assets.external_refs('<a href="https://leafletjs.com">x</a>') == []
    assert assets.external_refs("<img src='//x.org/a.png'>")
    assert assets.external_refs("<style>@import url(https://x.org/a.css);</style>")
    assert assets.external_refs("b{background:url( 'https://x.org/a.png')}")


def test_render_page_puts_the_nonce_on_every_script_and_style():
    html = maps.render_page(_api_map(), nonce="n0nce-Abc")
    tags = re.findall(r"<(?:script|style)\b[^>]*>", html)
    assert tags and all('nonce="n0nce-Abc"' in tag for tag in tags)
    with pytest.raises(ValueError, match="nonce"):
        maps.render_page(_api_map(), nonce='x" onload="alert(1)')


def test_api_page_carries_no_event_data():
    html = maps.render_page(_api_map())
    assert "cm-data" not in html
    assert '"mode": "api"' in html


def test_build_map_rejects_bad_arguments():
    with pytest.raises(ValueError, match="mode must be"):
        maps.build_map(mode="tiles")
    with pytest.raises(ValueError, match="needs api"):
        maps.build_map(mode="api", api={"items": "/x"})
    with pytest.raises(ValueError, match="FeatureCollection"):
        maps.build_map(mode="static", data=[])


def test_one_distinct_symbol_per_event_type():
    types = maps.event_types()
    assert [t["id"] for t in types] == list(EVENT_TYPES)
    assert len({(t["color"], t["shape"]) for t in types}) == len(types)
    assert len({t["color"] for t in types}) == len(types)


def test_js_safe_json_cannot_close_a_script_element():
    text = js_safe_json({"a": XSS, "b": "\u2028&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": XSS, "b": "\u2028&"}


def test_static_map_inlines_assets_and_escaped_data():
    html = maps.render_static(maps.build_map(mode="static", data=_fc(), data_as_of="2024-12-02"))
    assert "<script src" not in html and 'rel="stylesheet"' not in html
    assert assets.external_refs(html) == []
    assert "L.version" in html or "Leaflet" in html  # leaflet.js itself is inside
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    block = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', html, re.S)
    assert json.loads(block.group(1)) == json.loads(json.dumps(_fc()))
    # the layers icon of leaflet.css became a data URI
    assert "url(data:image/png;base64," in html


def test_data_extent_covers_dates_points_and_areas():
    extent, bounds = maps.data_extent(_fc()["features"])
    assert extent == {"start": "2024-11-01", "end": "2024-12-01"}
    assert bounds == [[51, 34], [52.5, 38]]
    assert maps.data_extent([]) == (None, None)


def test_svg_is_well_formed_and_escapes_text():
    fc = _fc()
    basemap = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[30, 45], [40, 45], [40, 55], [30, 55], [30, 45]]],
                },
            }
        ],
    }
    svg = render_svg(fc["features"], basemap=[basemap], bounds=[[51, 34], [52.5, 38]], title=XSS)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert XSS in texts
    assert "Captures (1)" in texts and "Deployments (1)" in texts
    assert "district, region or country (area)" in texts
    paths = list(root.iter("{http://www.w3.org/2000/svg}path"))
    assert len(paths) == 2  # the basemap polygon and the admin1-level area, not a pin
    dashed = [p for p in paths if p.get("stroke-dasharray") == "5 4"]
    assert len(dashed) == 1
    # an area is an outline and a light hatch, never a fill of the type's colour
    area = dashed[0]
    assert area.get("fill").startswith("url(#h") and float(area.get("fill-opacity")) <= 0.6
    pattern_ids = {p.get("id") for p in root.iter("{http://www.w3.org/2000/svg}pattern")}
    assert area.get("fill")[5:-1] in pattern_ids
    with pytest.raises(ValueError, match="bounds must be"):
        render_svg([], bounds=[[52, 30], [51, 40]])
