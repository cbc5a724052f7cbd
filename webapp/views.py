"""The map pages: the full viewer, ``/embed``, ``/oembed``, the basemap and vendored assets."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    request,
    send_file,
    url_for,
)

from webapp import assets
from webapp.errors import ApiError
from webapp.maps import PERMALINK_PARAMS, STATIC_DIR, STATIC_URL, build_map, render_page
from webapp.security import allow_framing

__all__ = [
    "MAP_SETTINGS",
    "PERMALINK_PARAMS",
    "bp",
    "data_extent_of",
    "default_window",
    "embed_snippet",
    "map_page",
    "place_labels",
]

bp = Blueprint("maps", __name__, static_folder=str(STATIC_DIR), static_url_path=STATIC_URL)


#: App settings the map pages read (none is required):
#: ``MAP_FETCH_LIMIT`` (5000) most events one view asks the API for; more matching events
#: show "n of m" and the map opens on the latest month; ``MAP_TILES`` (()) online tile layers
#: as ``{"name", "url", "attribution"}`` dicts, offered beside the offline basemap (also list
#: their hosts in ``CSP_IMG_SRC``).
MAP_SETTINGS = {"MAP_FETCH_LIMIT": 5000, "MAP_TILES": ()}

_BASEMAP_LEVELS = ("country", "admin1")
_cache_lock = threading.Lock()
_basemap_cache: dict[str, tuple[bytes, bytes, str]] = {}
_extent_cache: dict[tuple, tuple] = {}


def _store():
    from webapp.store import get_store

    return get_store()


def data_extent_of(store):
    """Return ``(extent, bounds)`` of every event in ``store``, cached per data version.

    ``extent`` is ``{"start": iso, "end": iso}`` or None; ``bounds`` is
    ``[[south, west], [north, east]]`` or None: ``store.extent()`` (asked of the database when
    the store has the ``"extent"`` capability), once per ``data_as_of()`` value; every time
    when the store keeps it on write (``"kept_metadata"``: nothing to cache).
    """
    if "kept_metadata" in store.capabilities:
        return store.extent()
    key = (getattr(store, "url", id(store)), store.data_as_of())
    with _cache_lock:
        if key in _extent_cache:
            return _extent_cache[key]
    result = store.extent()
    with _cache_lock:
        _extent_cache.clear()
        _extent_cache[key] = result
    return result


def default_window(extent, total, *, limit, days=30):
    """Return the time window a map opens on: all of ``extent``, or its last ``days`` days.

    When more events exist than the page fetches at once (``limit``), the map opens on the
    most recent month ("as of" the latest date), which a reader can widen with the slider.

    Examples
    --------
    >>> default_window({"start": "2023-01-01", "end": "2024-12-31"}, 100000, limit=5000)
    {'start': '2024-12-01', 'end': '2024-12-31'}
    >>> default_window({"start": "2024-10-01", "end": "2024-12-31"}, 40, limit=5000) is None
    True
    """
    if not extent or total <= limit:
        return None
    end = date.fromisoformat(extent["end"])
    start = max(date.fromisoformat(extent["start"]), end - timedelta(days=days))
    return {"start": start.isoformat(), "end": end.isoformat()}


def _page(*, embed):
    store = _store()
    extent, bounds = data_extent_of(store)
    root = request.script_root
    cfg = current_app.config
    limit = int(cfg.get("MAP_FETCH_LIMIT", MAP_SETTINGS["MAP_FETCH_LIMIT"]))
    m = build_map(
        mode="api",
        api={
            "items": f"{root}/collections/events/items",
            "item": f"{root}/collections/events/items/",
            "histogram": f"{root}/maps/histogram.json",
            "events": f"{root}/maps/events.json",
        },
        basemap={level: f"{root}/maps/basemap/{level}.geojson" for level in _BASEMAP_LEVELS},
        extent=extent,
        window=default_window(extent, store.count(), limit=limit),
        bounds=bounds,
        embed=embed,
        data_as_of=store.data_as_of(),
        tiles=cfg.get("MAP_TILES", MAP_SETTINGS["MAP_TILES"]),
        page_url=f"{root}/",
        embed_url=f"{root}/embed",
        limit=limit,
        title="conflictmap — embedded map" if embed else "conflictmap",
        front_lines=(
            f"{root}/collections/front_lines/items" if store.front_line_versions() else None
        ),
        labels=f"{root}/maps/places.json",
        search={"suggest": f"{root}/maps/places.json", "geocode": f"{root}/api/geocode"},
    )
    page = render_page(m, nonce=getattr(g, "csp_nonce", None))
    # oEmbed discovery: consumers find the embed of this exact view from the page itself
    discovery = url_for("maps.oembed", url=request.url, format="json")
    link = (
        '<link rel="alternate" type="application/json+oembed" '
        f'href="{html.escape(discovery, quote=True)}" title="conflictmap">'
    )
    page = page.replace("<head>", "<head>\n    " + link, 1)
    return Response(page, mimetype="text/html")


def map_page():
    """Return the full map page (the API's ``/`` calls this when the client wants HTML).

    The page carries no event data: it fetches the current view and time window from
    ``/collections/events/items``. Permalink parameters (``PERMALINK_PARAMS``) are read by the
    page itself, so the same URL restores the same view.
    """
    return _page(embed=False)


@bp.get("/map")
def map_view():
    """Serve the map page at ``/map`` too (``/`` is the API landing page's HTML face)."""
    return map_page()


@bp.get("/embed")
@allow_framing
def embed():
    """Serve the map without the page chrome, with attribution and a "data as of" stamp."""
    return _page(embed=True)


def embed_snippet(src, *, width=800, height=500):
    """Return a copy-paste ``<iframe>`` for ``src``, with the URL escaped for the attribute.

    Examples
    --------
    >>> embed_snippet("http://h/embed?a=1&b=2", width=10, height=20)
    '<iframe src="http://h/embed?a=1&amp;b=2" width="10" height="20" style="border:0" \
loading="lazy" title="conflictmap"></iframe>'
    """
    return (
        f'<iframe src="{html.escape(src, quote=True)}" width="{int(width)}" '
        f'height="{int(height)}" style="border:0" loading="lazy" title="conflictmap"></iframe>'
    )


def _int_param(name, default, *, lo, hi):
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < lo:
        raise ApiError(400, f"{name} must be an integer >= {lo}; got {raw!r}", field=name)
    return min(value, hi)


@bp.get("/oembed")
def oembed():
    """Answer oEmbed (JSON, type "rich") for a map URL of this site: ``/``, ``/map``, ``/embed``."""
    url = request.args.get("url", "")
    fmt = request.args.get("format", "json")
    if fmt != "json":
        raise ApiError(501, f"format must be 'json'; got {fmt!r}", field="format")
    parts = urlsplit(url)
    here = urlsplit(request.host_url)
    if not url or parts.scheme not in ("http", "https") or parts.netloc != here.netloc:
        raise ApiError(
            404,
            f"url must be a map URL on {request.host_url!r} (/, /map or /embed); got {url!r}",
            field="url",
        )
    root = request.script_root
    if parts.path not in (f"{root}/", f"{root}/map", f"{root}/embed"):
        raise ApiError(
            404, f"url must point at /, /map or /embed on this site; got {url!r}", field="url"
        )
    width = _int_param("maxwidth", 800, lo=100, hi=4000)
    height = _int_param("maxheight", 500, lo=100, hi=4000)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k in PERMALINK_PARAMS]
    src = f"{here.scheme}://{here.netloc}{root}/embed"
    if kept:
        src += "?" + urlencode(kept)
    body = {
        "version": "1.0",
        "type": "rich",
        "provider_name": "conflictmap",
        "provider_url": request.host_url,
        "title": "conflictmap: conflict events map",
        "html": embed_snippet(src, width=width, height=height),
        "width": width,
        "height": height,
    }
    return jsonify(body)


def _basemap_bytes(level):
    """Return ``(json, gzipped json, etag)`` of the gazetteer's outlines, built once."""
    with _cache_lock:
        if level in _basemap_cache:
            return _basemap_cache[level]
    from geo.gazetteer.lookup import Gazetteer

    fc = Gazetteer.default().outlines(level)
    data = json.dumps(fc, separators=(",", ":")).encode("utf-8")
    entry = (data, gzip.compress(data, 6), hashlib.sha1(data).hexdigest()[:16])
    with _cache_lock:
        _basemap_cache[level] = entry
    return entry


@bp.get("/maps/basemap/<level>.geojson")
def basemap(level):
    """Serve the offline basemap outlines (Natural Earth countries or admin1) as GeoJSON.

    The outlines are megabytes of JSON, so they are sent gzipped when the client accepts it,
    with an ETag and a day of caching.
    """
    if level not in _BASEMAP_LEVELS:
        raise ApiError(
            404, f"level must be one of {', '.join(_BASEMAP_LEVELS)}; got {level!r}", field="level"
        )
    data, zipped, etag = _basemap_bytes(level)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    resp = Response(zipped if use_gzip else data, mimetype="application/geo+json")
    if use_gzip:
        resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.set_etag(etag + ("-gz" if use_gzip else ""))
    resp.cache_control.public = True
    resp.cache_control.max_age = 86400
    return resp.make_conditional(request)


@bp.get("/maps/events.json")
def viewer_events():
    """Serve a page of events in the viewer's own format (``webapp.viewer_page``).

    Takes the items parameters (``bbox``, ``datetime``, ``type``, ``actor``, ``status``,
    ``q``, ``geo_precision``, ``limit``, ``offset``) with the items pages' limits, deadline
    and heavy-request slots, and answers the same events in the same order:
    ``{"format", "numberReturned", "numberMatched", "next", "dataAsOf", "features"}``, where
    ``numberMatched`` is left out when the matches are too many to count cheaply (as on the
    items pages) and ``next`` says that more match than the page holds.
    """
    from flask import current_app

    from geo.exc import QueryTimeoutError
    from webapp import items_params, limits, params, viewer_page

    cfg = current_app.config
    items = items_params.parse_items_request(
        request.args,
        formats=["json"],
        limits=params.Limits.from_config(cfg),
        fmt="json",
        timeout=limits.query_timeout(),
    )
    store = _store()
    slot = limits.heavy_slot() if limits.is_heavy(items.query) and not items.empty else None
    try:
        as_of = store.data_as_of()
        texts = () if items.empty else store.query_features(items.query)
        features = [viewer_page.slim_feature(text) for text in texts]
        returned, more = len(features), False
        if items.empty:
            matched = 0
        elif returned < items.limit and (returned or items.offset == 0):
            matched = items.offset + returned
        else:
            cap = max(int(cfg["NUMBER_MATCHED_MAX"]), items.offset + items.limit)
            try:
                matched = store.count_at_most(items.query, cap)
            except QueryTimeoutError:
                matched = None
            more = (
                returned == items.limit if matched is None else items.offset + items.limit < matched
            )
    finally:
        if slot is not None:
            slot.release()
    head = {"format": viewer_page.FORMAT, "numberReturned": returned}
    if matched is not None:
        head["numberMatched"] = matched
    head.update(next=more, dataAsOf=as_of)
    body = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    resp = Response(f'{body[:-1]},"features":[{",".join(features)}]}}', mimetype="application/json")
    resp.headers["X-Data-As-Of"] = as_of or ""
    return resp


@bp.get("/maps/histogram.json")
def histogram():
    """Serve the events per day and type for the time slider's histogram.

    Takes the items parameters (``bbox``, ``type``, ``actor``, ``status``, ``q``,
    ``geo_precision``…) but counts over every date: ``{"days": [[date, type, count], …]}``.
    """
    from dataclasses import replace

    from flask import current_app

    from webapp import items_params, limits, params

    items = items_params.parse_items_request(
        request.args,
        formats=["json"],
        limits=params.Limits.from_config(current_app.config),
        fmt="json",
        timeout=limits.query_timeout(),
    )
    query = replace(items.query, start=None, end=None, limit=None, offset=0)
    days = [] if items.empty else _store().day_counts(query)
    resp = jsonify({"days": [list(row) for row in days]})
    resp.headers["X-Data-As-Of"] = _store().data_as_of() or ""
    return resp


_labels_cache: dict = {}


def place_labels():
    """Return the process's ``PlaceLabels`` (built once per gazetteer, ~0.3 s)."""
    from geo.gazetteer.labels import PlaceLabels
    from geo.gazetteer.lookup import Gazetteer

    gaz = Gazetteer.default()
    with _cache_lock:
        labels = _labels_cache.get(id(gaz))
    if labels is None:
        labels = PlaceLabels(gaz)
        with _cache_lock:
            _labels_cache.clear()
            _labels_cache[id(gaz)] = labels
    return labels


def _float_arg(name, lo, hi):
    raw = request.args.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        raise ApiError(400, f"{name} must be a number from {lo} to {hi}; got {raw!r}", field=name)
    return value


@bp.get("/maps/places.json")
def places():
    """Serve place labels for a view (``bbox``, ``z``) or name suggestions (``q``).

    ``?bbox=w,s,e,n&z=Z``: the populated places worth labelling there (capitals and large
    cities when zoomed out, towns and villages as one zooms in; the page drops labels that
    would collide). ``?q=text[&lat=&lon=]``: up to 8 places whose name starts with ``text``,
    the likeliest first (the search box's type-ahead; ``/api/geocode`` resolves the text).
    """
    known = {"bbox", "z", "q", "lat", "lon"}
    for name in request.args:
        if name not in known:
            raise ApiError(
                400,
                f"unknown query parameter {name!r}; expected one of {', '.join(sorted(known))}",
                field=name,
            )
    labels = place_labels()
    if "q" in request.args:
        text = request.args["q"]
        if len(text) > 100:
            raise ApiError(400, f"q must be at most 100 characters; got {len(text)}", field="q")
        near = None
        if "lat" in request.args or "lon" in request.args:
            near = (_float_arg("lat", -90, 90), _float_arg("lon", -180, 180))
        resp = jsonify({"places": labels.suggest(text, near=near)})
    else:
        raw = request.args.get("bbox", "")
        try:
            box = [float(v) for v in raw.split(",")]
        except ValueError:
            box = []
        if len(box) != 4 or not (-90 <= box[1] <= box[3] <= 90):
            raise ApiError(
                400, f"bbox must be min_lon,min_lat,max_lon,max_lat; got {raw!r}", field="bbox"
            )
        zoom = int(_float_arg("z", 0, 22))
        resp = jsonify({"places": labels.in_view(tuple(box), zoom, limit=250)})
    resp.cache_control.public = True
    resp.cache_control.max_age = 86400
    return resp


@bp.get(f"{assets.VENDOR_PREFIX}/<package>/<path:path>")
def vendor(package, path):
    """Serve a file of a pip-installed XStatic package (Leaflet, MarkerCluster, …)."""
    target = assets.vendor_file(package, path)
    if target is None:
        raise ApiError(
            404, f"path must name a vendored asset; got {package}/{path!r}", field="path"
        )
    resp = send_file(target, conditional=True, max_age=86400)
    return resp
