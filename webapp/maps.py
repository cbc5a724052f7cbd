"""Build the folium map shell (layers, time control, legend, tools) and render it offline."""

from __future__ import annotations

import re
from pathlib import Path

import folium

from geo.common.attribution import ATTRIBUTION
from geo.events.taxonomy import FALLBACK_TYPE, PRECISION_KEY, PRECISIONS, STATUSES, TYPES
from geo.formats import FORMATS
from geo.gazetteer.labels import LABEL_ZOOMS
from webapp import assets
from webapp.elements import (
    Basemap,
    DataStamp,
    EventLayer,
    FilterPanel,
    FrontLines,
    InlineJSON,
    Layout,
    Legend,
    Notices,
    PlaceLabels,
    PlaceSearch,
    PrintTitle,
    StartViewer,
    TimeControl,
    Tools,
)

__all__ = [
    "ATTRIBUTION",
    "PERMALINK_PARAMS",
    "STATIC_DIR",
    "build_map",
    "data_extent",
    "download_formats",
    "event_types",
    "render_page",
    "render_static",
    "resolve_local",
    "viewer_taxonomy",
]

#: This package's own JS/CSS (served by the ``maps`` blueprint at ``STATIC_URL``).
STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/maps-static"
_OWN_ASSETS = (
    "conflictmap.js",
    "symbols.js",
    "controls.js",
    "frontlines.js",
    "places.js",
    "panel.js",
    "layout.js",
    "conflictmap.css",
)


#: Query parameters a map URL (page, embed, static file's hash) understands: the view
#: (``lat``, ``lon``, ``z``), the window and its ``step``, the layers (``type``: event types;
#: ``layers``: regions and front lines; ``basemap``), the filters and the selected ``event``.
PERMALINK_PARAMS = (
    "start",
    "end",
    "step",
    "type",
    "layers",
    "basemap",
    "actor",
    "status",
    "q",
    "precise",
    "event",
    "lat",
    "lon",
    "z",
)


def event_types():
    """Return the layer list: one dict per event type, ``{id, label, color, shape}``.

    Generated from the taxonomy (``geo.events.taxonomy.TYPES``), like the KML styles and the
    SVG legend.
    """
    return [{"id": t.code, "label": t.legend, "color": t.colour, "shape": t.symbol} for t in TYPES]


def viewer_taxonomy():
    """Return what the viewer's JavaScript knows of the codebook, for its configuration.

    ``types`` (see :func:`event_types`), ``fallback`` (how an unknown type is drawn),
    ``precisions`` (``{id, rank, drawn, area_m}``, finest first; ``drawn`` is "point",
    "near" or "area", ``area_m`` the radius drawn around the point of an area without an
    outline, or null) and ``precision_key`` (the legend's rows).
    """
    return {
        "types": event_types(),
        "fallback": {"color": FALLBACK_TYPE.colour, "shape": FALLBACK_TYPE.symbol},
        "precisions": [
            {
                "id": p.code,
                "rank": p.rank,
                "drawn": p.drawn,
                "area_m": None if p.area_km is None else p.area_km * 1000,
            }
            for p in PRECISIONS
        ],
        "precision_key": [{"kind": kind, "label": text} for kind, text in PRECISION_KEY],
    }


def download_formats():
    """Return the download menu: ``{id, label}`` of every registered export format."""
    return [{"id": f.name, "label": f.label} for f in FORMATS.values()]


def data_extent(features):
    """Return ``(extent, bounds)`` of GeoJSON features: the date range and the lat/lon box.

    ``extent`` is ``{"start": iso, "end": iso}`` (None when there are no dates); ``bounds``
    is ``[[south, west], [north, east]]`` or None.
    """
    starts, ends, lats, lons = [], [], [], []
    for feature in features:
        props = feature.get("properties") or {}
        if props.get("date_start"):
            starts.append(props["date_start"])
            ends.append(props.get("date_end") or props["date_start"])
        _collect_coords(feature.get("geometry"), lats, lons)
        if props.get("latitude") is not None:
            lats.append(props["latitude"])
            lons.append(props["longitude"])
    extent = {"start": min(starts), "end": max(ends)} if starts else None
    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]] if lats else None
    return extent, bounds


def _collect_coords(geometry, lats, lons):
    if not geometry:
        return
    stack = [geometry.get("coordinates")]
    while stack:
        item = stack.pop()
        if not item:
            continue
        if isinstance(item[0], int | float):
            lons.append(item[0])
            lats.append(item[1])
        else:
            stack.extend(item)


def build_map(
    *,
    mode="api",
    api=None,
    data=None,
    basemap=None,
    extent=None,
    window=None,
    bounds=None,
    embed=False,
    data_as_of=None,
    attribution=ATTRIBUTION,
    tiles=(),
    page_url="/",
    embed_url="/embed",
    limit=5000,
    export_limit=1_000_000,
    title="conflictmap",
    front_lines=None,
    labels=None,
    search=None,
    print_mode=False,
):
    """Return the folium map shell for the viewer.

    Parameters
    ----------
    mode : {"api", "static"}, default "api"
        "api": the page fetches events from ``api["items"]`` for the current view and time
        window; "static": ``data`` (a FeatureCollection) is inlined and filtered in the page.
    api : dict, optional
        ``{"items": url, "item": url prefix}`` (mode "api"), optionally ``"histogram"`` (the
        slider's counts) and ``"events"`` (the viewer's own page format, fetched instead of
        ``items``; see ``webapp.viewer_page``). Front-line references are the
        ``front_line`` event type: a layer of its own on the same time axis.
    data : dict, optional
        The FeatureCollection to inline (mode "static").
    basemap : dict, optional
        ``{"country": fc_or_url, "admin1": fc_or_url}``; URLs in "api" mode, FeatureCollections
        (inlined) in "static" mode.
    extent : dict, optional
        ``{"start": iso, "end": iso}``: the time axis. Computed from ``data`` when omitted.
    window : dict, optional
        The time window shown when the URL names none (default: the whole ``extent``).
    bounds : list, optional
        ``[[south, west], [north, east]]`` to fit when the URL names no centre.
    embed : bool, default False
        The embed variant: no filter/tool chrome, collapsed layers, attribution and stamp kept.
    data_as_of : str, optional
        Shown in the "data as of" stamp.
    attribution : str, default ATTRIBUTION
        Plain text for the attribution control (escaped in the page).
    tiles : sequence of dict, default ()
        Online tile layers (``{name, url, attribution}``), only when configured.
    page_url, embed_url : str
        Bases of the permalink and of the iframe snippet.
    limit : int, default 5000
        Most events the page asks the API for per view.
    export_limit : int, default 1000000
        ``limit`` passed with download links.
    title : str, default "conflictmap"
        The page title.
    front_lines : str or list, optional
        The dated front lines: the ``front_lines`` items URL ("api" mode), or every version
        as ``{source, valid_from, valid_to, features}`` (inlined, "static" mode). None: no
        front-line layer (no version stored).
    labels : str or list, optional
        Place labels: the ``/maps/places.json`` URL ("api" mode), or the places to inline
        (``PlaceLabels.in_bounds``, "static" mode). None: no labels.
    search : dict, optional
        ``{"suggest": url, "geocode": url}``: the place search box (type-ahead).
    print_mode : bool, default False
        A map for reports (the PNG of ``build-maps``): a title with the time window and the
        data's date, the legend of the types shown, the attribution; no interactive control.

    Raises
    ------
    ValueError
        When ``mode`` is not "api" or "static", or what that mode needs is missing.
    """
    if mode not in ("api", "static"):
        raise ValueError(f"mode must be 'api' or 'static'; got {mode!r}")
    if mode == "api" and not (api and api.get("items") and api.get("item")):
        raise ValueError(f"mode 'api' needs api={{'items': url, 'item': url}}; got {api!r}")
    if mode == "static" and not isinstance(data, dict):
        raise ValueError(f"mode 'static' needs data as a FeatureCollection; got {type(data)!r}")
    assets.patch_folium()
    basemap = basemap or {}
    if mode == "static":
        auto_extent, auto_bounds = data_extent(data.get("features") or [])
        extent = extent or auto_extent
        bounds = bounds or auto_bounds
    m = folium.Map(
        location=[48.5, 35.0],
        zoom_start=5,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
    )
    m.get_root().title = title
    m.options.update(max_zoom=12, min_zoom=2)
    folium.Element('<link rel="icon" href="data:,">').add_to(m.get_root().header)
    config = {
        "mode": mode,
        **viewer_taxonomy(),
        "extent": extent,
        "window": window,
        "bounds": bounds,
        "embed": bool(embed),
        "limit": int(limit),
        "export_limit": int(export_limit),
        "page_url": page_url,
        "embed_url": embed_url,
        "api": dict(api or {}),
        "statuses": list(STATUSES),
        "permalink_params": list(PERMALINK_PARAMS),
        "overlay_ids": ["regions"]
        + (["front_lines"] if front_lines else [])
        + (["labels"] if labels is not None else []),
        "step_days": 7,
        "print": bool(print_mode),
        "title": title,
    }
    if mode == "static":
        InlineJSON("cm-data", data).add_to(m)
        config["data_id"] = "cm-data"
        inline = {}
        for level in ("country", "admin1"):
            if isinstance(basemap.get(level), dict):
                InlineJSON(f"cm-basemap-{level}", basemap[level]).add_to(m)
                inline[level] = f"cm-basemap-{level}"
        base_opts = {"inline": inline}
    else:
        base_opts = {"urls": {k: v for k, v in basemap.items() if isinstance(v, str)}}
    base_opts.update(attribution=attribution, tiles=list(tiles))
    own = [(name, f"{STATIC_URL}/{name}") for name in _OWN_ASSETS]
    viewer = EventLayer(config, assets=own)
    viewer.add_to(m)
    Basemap(viewer, **base_opts).add_to(m)
    Legend(viewer).add_to(m)
    if extent and not print_mode:
        TimeControl(viewer, step_days=7, play_ms=1200).add_to(m)
    zooms = {str(k): v for k, v in LABEL_ZOOMS.items()}
    if isinstance(labels, str):
        PlaceLabels(viewer, url=labels, zooms=zooms).add_to(m)
    elif labels is not None:
        InlineJSON("cm-places", list(labels)).add_to(m)
        PlaceLabels(viewer, inline="cm-places", zooms=zooms).add_to(m)
    if search and not embed:
        PlaceSearch(viewer, **search).add_to(m)
    if isinstance(front_lines, str):
        FrontLines(viewer, url=front_lines).add_to(m)
    elif front_lines:
        InlineJSON("cm-front-lines", list(front_lines)).add_to(m)
        FrontLines(viewer, inline="cm-front-lines").add_to(m)
    if print_mode:
        PrintTitle(viewer, title=title, data_as_of=data_as_of).add_to(m)
    if not embed and not print_mode:
        FilterPanel(viewer, statuses=list(STATUSES)).add_to(m)
    if not print_mode:
        Tools(viewer, formats=download_formats()).add_to(m)
        DataStamp(viewer, data_as_of=data_as_of, full_url=page_url if embed else None).add_to(m)
    Notices(viewer).add_to(m)
    Layout(viewer).add_to(m)
    StartViewer(viewer).add_to(m)
    if embed:
        folium.Element("<style>body{margin:0}</style>").add_to(m.get_root().header)
    return m


_TAG = re.compile(r"<(script|style)(?=[\s>])", re.IGNORECASE)


def render_page(m, *, nonce=None):
    """Render the map as an HTML page served by the app, checking that it loads nothing remote.

    Parameters
    ----------
    m : folium.Map
        From ``build_map(mode="api")``; it holds no event text, only the app's own config.
    nonce : str, optional
        The request's CSP nonce, put on every ``<script>`` and ``<style>`` element.

    Raises
    ------
    OfflineAssetError
        When the page references a network URL (an unmapped CDN asset).
    """
    html = assets.require_offline(m.get_root().render(), what="map page")
    if nonce:
        if not re.fullmatch(r"[A-Za-z0-9+/=_-]+", nonce):
            raise ValueError(f"nonce must be base64 characters; got {nonce!r}")
        html = _TAG.sub(lambda mt: f'<{mt.group(1)} nonce="{nonce}"', html)
    return html


def resolve_local(url):
    """Return the file behind one of the app's asset URLs (vendor or own static), or None."""
    if url.startswith(assets.VENDOR_PREFIX + "/"):
        package, _, path = url[len(assets.VENDOR_PREFIX) + 1 :].partition("/")
        return assets.vendor_file(package, path)
    if url.startswith(STATIC_URL + "/"):
        target = (STATIC_DIR / url[len(STATIC_URL) + 1 :]).resolve()
        return target if STATIC_DIR in target.parents and target.is_file() else None
    return None


def render_static(m):
    """Render a self-contained page: every asset and all data inlined (works from file://).

    Raises
    ------
    OfflineAssetError
        When an asset cannot be inlined or a network URL remains.
    """
    html = assets.inline_assets(m.get_root().render(), resolve_local)
    return assets.require_offline(html, what="static map")
