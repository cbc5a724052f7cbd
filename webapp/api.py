"""OGC API - Features (Part 1 Core, GeoJSON) over the event store, with exports in every format."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    request,
    url_for,
)
from werkzeug.datastructures import iter_multi_items

from geo.exc import QueryTimeoutError
from webapp import items_params, limits, params
from webapp.errors import ApiError
from webapp.extent import extent_of
from webapp.store import get_store
from webapp.streaming import feature_collection_chunks, primed

__all__ = [
    "COLLECTIONS",
    "CONFORMANCE",
    "GEOJSON",
    "GEOMETRY_COLLECTIONS",
    "bp",
    "data_meta",
    "landing",
    "negotiate_items_format",
]

bp = Blueprint("api", __name__)

GEOJSON = "application/geo+json"
#: Characters left as they are in link query strings (werkzeug's, so links read as url_for's).
_QUERY_SAFE = "!$'()*,/:;?@"
OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
_OGC = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    _OGC + "core",
    _OGC + "geojson",
    _OGC + "oas30",
]
#: The feature collections: id -> (title, description, event types or None for all).
COLLECTIONS = {
    "events": (
        "Conflict events",
        "Dated conflict events at places, each with every source that reports it (publisher, "
        "URL, date and the quote that supports it).",
        None,
    ),
}
#: Collections of other features than events: ``front_lines`` (``webapp.frontlines``).
GEOMETRY_COLLECTIONS = ("front_lines",)
_TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


# -- helpers ---------------------------------------------------------------------------------


def _now():
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _link(href, rel, type_, title=None):
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def _formats():
    """Return the export registry (``geo.formats.FORMATS``)."""
    from geo.formats import FORMATS

    return FORMATS


def data_meta(store, filters=None):
    """Return the ``meta`` mapping export writers take: data as of, gazetteer, query, credits."""
    from geo.formats import default_meta

    return default_meta(data_as_of=store.data_as_of(), query=dict(filters or {}))


def _collection_or_404(collection_id):
    if collection_id not in COLLECTIONS and collection_id not in GEOMETRY_COLLECTIONS:
        raise ApiError(
            404,
            f"collection {collection_id!r} does not exist; expected one of "
            f"{', '.join((*COLLECTIONS, *GEOMETRY_COLLECTIONS))}",
            "collectionId",
        )
    return COLLECTIONS.get(collection_id)


def _wants_json():
    """Return whether ``/`` answers JSON: ``f=json``, or no explicit preference for HTML.

    Browsers name ``text/html`` explicitly; API clients (GDAL, OWSLib, curl) send
    ``application/json`` or only ``*/*``, and get the landing page as JSON.
    """
    fmt = request.args.get("f")
    if fmt is not None:
        params.LANDING_PARAMETERS[0].parse(fmt, params.Context(params.Limits()))
        return fmt == "json"
    accept = request.accept_mimetypes
    html = max(
        (q for value, q in accept if value in ("text/html", "application/xhtml+xml")), default=0
    )
    json_q = max(accept.quality("application/json"), accept.quality(GEOJSON))
    return not (html > 0 and html >= json_q)


def _json_only():
    params.parse_args(request.args, params.JSON_ONLY_PARAMETERS, params.Context(params.Limits()))


# -- landing page, conformance, collections --------------------------------------------------


def landing():
    """Return the OGC API landing page document (JSON)."""
    u = _ext
    return {
        "title": "conflictmap",
        "description": "Conflict events extracted from news reports, with their sources, "
        "served as OGC API - Features.",
        "links": [
            _link(u("api.root", f="json"), "self", "application/json", "This document"),
            _link(u("api.root", f="html"), "alternate", "text/html", "The map"),
            _link(u("api.openapi"), "service-desc", OPENAPI_JSON, "The API definition"),
            _link(u("api.conformance"), "conformance", "application/json", "Conformance"),
            _link(u("api.collections"), "data", "application/json", "Collections"),
            _link(
                u("api.collections"),
                "http://www.opengis.net/def/rel/ogc/1.0/data",
                "application/json",
                "Collections",
            ),
            _link(u("api.items", collection_id="events"), "items", GEOJSON, "Events"),
        ],
    }


def _ext(endpoint, **values):
    return url_for(endpoint, _external=True, **values)


@bp.get("/")
def root():
    """Serve the landing page as JSON to API clients, and the map page to browsers."""
    if _wants_json():
        # the map takes its permalink parameters; the JSON document takes only f
        params.parse_args(request.args, params.LANDING_PARAMETERS, params.Context(params.Limits()))
        resp = jsonify(landing())
    else:
        from webapp.views import map_page

        resp = map_page()
    resp.vary.add("Accept")
    return resp


@bp.get("/conformance")
def conformance():
    """List the conformance classes this API implements."""
    _json_only()
    return jsonify({"conformsTo": CONFORMANCE})


def _collection_doc(collection_id, store):
    if collection_id == "front_lines":
        from webapp.frontlines import collection_doc

        return collection_doc(store)
    title, description, types = COLLECTIONS[collection_id]
    bbox, interval = extent_of(store, types)
    u = _ext
    links = [
        _link(u("api.collection", collection_id=collection_id), "self", "application/json"),
        _link(u("api.items", collection_id=collection_id), "items", GEOJSON, "Items as GeoJSON"),
    ]
    for name, fmt in _formats().items():
        links.append(
            _link(
                u("api.items", collection_id=collection_id, f=name),
                "alternate",
                fmt.media_type,
                f"Items as {name}",
            )
        )
    doc = {
        "id": collection_id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [params.CRS84],
        "storageCrs": params.CRS84,
        "extent": {
            "spatial": {"bbox": [bbox or [-180.0, -90.0, 180.0, 90.0]], "crs": params.CRS84},
            "temporal": {
                "interval": [
                    [f"{interval[0]}T00:00:00Z", f"{interval[1]}T23:59:59Z"]
                    if interval
                    else [None, None]
                ],
                "trs": _TRS,
            },
        },
        "links": links,
    }
    return doc


@bp.get("/collections")
def collections():
    """List the feature collections with their extents and links."""
    _json_only()
    store = get_store()
    return jsonify(
        {
            "links": [_link(_ext("api.collections"), "self", "application/json")],
            "collections": [
                _collection_doc(cid, store) for cid in (*COLLECTIONS, *GEOMETRY_COLLECTIONS)
            ],
        }
    )


@bp.get("/collections/<collection_id>")
def collection(collection_id):
    """Describe one feature collection."""
    _collection_or_404(collection_id)
    _json_only()
    return jsonify(_collection_doc(collection_id, get_store()))


# -- items -----------------------------------------------------------------------------------


def negotiate_items_format(formats):
    """Return the items format: ``f`` if given, else the best Accept match, else "json".

    ``json`` is the OGC GeoJSON page (with numberMatched, links, paging); the names of
    ``formats`` (geo.formats) are file exports.
    """
    fmt = request.args.get("f")
    if fmt is not None:
        return fmt
    offered = [GEOJSON, "application/json"]
    by_type = {}
    for name, f in formats.items():
        base = f.media_type.split(";")[0].strip()
        if name != "geojson" and base not in by_type:
            offered.append(base)
            by_type[base] = name
    best = request.accept_mimetypes.best_match(offered, default=GEOJSON)
    return by_type.get(best, "json")


def _filters(items):
    q = items.query
    out = {}
    if q.bbox:
        out["bbox"] = list(q.bbox)
    if q.start or q.end:
        out["datetime"] = str(items.window)
    for key, value in (("type", q.types), ("actor", q.actors), ("status", q.statuses)):
        if value:
            out[key] = list(value)
    if q.text:
        out["q"] = q.text
    if q.source:
        out["source"] = q.source
    if q.extra.get("geo_precision"):
        out["geo_precision"] = q.extra["geo_precision"]
    return out


def _page_links(collection_id, items):
    """Return ``(links, next_link)`` of an items page; ``next_link`` applies when more match.

    Built while the request is active, so the streamed body needs no request context.
    """
    args = request.args.to_dict(flat=False)
    args.pop("offset", None)
    args.pop("f", None)
    # the route is built once; each link adds its query string as url_for would
    base = _ext("api.items", collection_id=collection_id)

    def href(fmt, offset=None):
        values = dict(args, f=fmt)
        if offset:
            values["offset"] = offset
        pairs = [(k, v) for k, v in iter_multi_items(values) if v is not None]
        return f"{base}?{urlencode(pairs, safe=_QUERY_SAFE)}"

    links = [_link(href("json", items.offset), "self", GEOJSON, "This page")]
    for name, fmt in _formats().items():
        links.append(_link(href(name), "alternate", fmt.media_type, f"All matches as {name}"))
    next_link = _link(href("json", items.offset + items.limit), "next", GEOJSON, "Next page")
    if items.offset > 0:
        prev = max(0, items.offset - items.limit)
        links.append(_link(href("json", prev), "prev", GEOJSON, "Previous page"))
    links.append(
        _link(
            _ext("api.collection", collection_id=collection_id),
            "collection",
            "application/json",
            COLLECTIONS[collection_id][0],
        )
    )
    return links, next_link


@bp.get("/collections/<collection_id>/items")
def items(collection_id):
    """Answer an items query: a GeoJSON page (``f=json``) or a full export (other ``f``).

    Work is bounded: parameters beyond ``params.Limits`` are a 400, a query that scans
    (free text, actors, sources) takes a heavy-request slot, and every store step stops at
    ``QUERY_TIMEOUT`` (503 with ``Retry-After``).
    """
    if _collection_or_404(collection_id) is None:
        return front_line_items()
    _title, _description, types = COLLECTIONS[collection_id]
    cfg = current_app.config
    formats = _formats()
    fmt = negotiate_items_format(formats)
    items = items_params.parse_items_request(
        request.args,
        formats=["json", *formats],
        limits=params.Limits.from_config(cfg),
        fmt=fmt,
        types=types,
        timeout=limits.query_timeout(),
    )
    store = get_store()
    slot = limits.heavy_slot() if limits.is_heavy(items.query) and not items.empty else None
    try:
        if items.fmt != "json":
            matched = 0 if items.empty else store.count(items.query)
            return _export(store, items, formats[items.fmt], collection_id, matched, slot)
        return _page(store, items, collection_id, slot)
    except BaseException:
        if slot is not None:
            slot.release()
        raise


def _page(store, items, collection_id, slot):
    as_of = store.data_as_of()
    timestamp = _now()
    query = items.query
    links, next_link = _page_links(collection_id, items)
    cap = max(int(current_app.config["NUMBER_MATCHED_MAX"]), items.offset + items.limit)

    def make_tail(returned):
        # a page that is not full ends the matches: no count query needed
        if items.empty:
            matched = 0
        elif returned < items.limit and (returned or items.offset == 0):
            matched = items.offset + returned
        else:
            try:
                # counted up to a cap: a page's cost must not follow millions of matches
                matched = store.count_at_most(query, cap)
            except QueryTimeoutError:
                matched = None
            if matched is None:
                # numberMatched is optional: the page is sent whole, with its next link
                more = [next_link] if returned == items.limit else []
                return {"timeStamp": timestamp, "dataAsOf": as_of, "links": links + more}
        return {
            "numberMatched": matched,
            "timeStamp": timestamp,
            "dataAsOf": as_of,
            "links": links + [next_link] if items.offset + items.limit < matched else links,
        }

    # a store that keeps each event's Feature text ready skips rebuilding the events
    events = () if items.empty else primed(store.query_features(query))
    # no stream_with_context: the generator needs only the store and the values above, so
    # a response that is never read (HEAD, a test) leaves no request context behind
    body = limits.release_with(feature_collection_chunks(events, make_tail), slot)
    resp = Response(body, mimetype=GEOJSON)
    resp.headers["Content-Crs"] = f"<{params.CRS84}>"
    resp.headers["X-Data-As-Of"] = as_of or ""
    resp.vary.add("Accept")
    return resp


def _export(store, items, fmt, collection_id, matched, slot=None):
    from webapp import streaming

    meta = data_meta(store, _filters(items))
    meta["number_matched"] = matched
    if items.empty or matched <= items.offset:
        events = iter(())  # nothing to send: no second scan
    else:
        # the first rows are fetched now, so that a query past its deadline is a 503 before
        # the response starts, not a file cut short
        events = primed(fmt.events_for(store, items.query))
    body = limits.release_with(streaming.pool().stream(fmt.write, lambda: events, meta=meta), slot)
    resp = Response(body, content_type=fmt.media_type, direct_passthrough=True)
    stamp = (meta["data_as_of"] or "").replace(":", "").replace("-", "")[:15]
    name = f"conflictmap-{collection_id}{'-' + stamp if stamp else ''}{fmt.extension}"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["X-Data-As-Of"] = meta["data_as_of"] or ""
    resp.headers["X-Number-Matched"] = str(max(0, min(items.limit, matched - items.offset)))
    resp.vary.add("Accept")
    return resp


@bp.get("/collections/<collection_id>/items/<item_id>")
def item(collection_id, item_id):
    """Return one event as a GeoJSON Feature (404 in the JSON error shape when missing)."""
    if _collection_or_404(collection_id) is None:
        return front_line_item(item_id)
    _title, _description, types = COLLECTIONS[collection_id]
    _json_only()
    event = get_store().get(item_id)
    if event is None or (types is not None and event.event_type not in types):
        raise ApiError(
            404, f"no event with id {item_id!r} in collection {collection_id!r}", "featureId"
        )
    feature = event.to_feature()
    feature["links"] = [
        _link(_ext("api.item", collection_id=collection_id, item_id=item_id), "self", GEOJSON),
        _link(
            _ext("api.collection", collection_id=collection_id), "collection", "application/json"
        ),
    ]
    resp = jsonify(feature)
    resp.mimetype = GEOJSON
    resp.headers["X-Data-As-Of"] = get_store().data_as_of() or ""
    return resp


@bp.get("/collections/front_lines/items")
def front_line_items():
    """Return the front lines in force at ``datetime`` (``webapp.frontlines``)."""
    from webapp.frontlines import items_response

    limits_ = params.Limits.from_config(current_app.config)
    return items_response(get_store(), request.args, limits_)


@bp.get("/collections/front_lines/items/<item_id>")
def front_line_item(item_id):
    """Return one feature of a stored front-line version."""
    from webapp.frontlines import item_response

    _json_only()
    return item_response(get_store(), item_id)


@bp.get("/openapi")
def openapi():
    """Return the OpenAPI 3.0 document describing every route of this API."""
    from webapp.openapi import openapi_document

    _json_only()
    bounds = params.Limits.from_config(current_app.config)
    resp = jsonify(openapi_document(request.url_root.rstrip("/"), limits=bounds))
    resp.mimetype = "application/vnd.oai.openapi+json"
    resp.headers["Content-Type"] = OPENAPI_JSON
    return resp
