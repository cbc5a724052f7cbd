"""The ``front_lines`` collection: dated front-line geometry, the version in force at a date.

``/collections/front_lines/items?datetime=D`` answers the versions in force on day ``D``
(one per source); an interval answers every version in force at some day of it; no
``datetime`` the latest version of each source. Each feature carries its version's
``source``, ``valid_from`` and ``valid_to`` (null while in force). Versions are imported with
``conflictmap frontlines import`` (``geo.frontlines``); this module only reads them.
"""

from __future__ import annotations

from flask import jsonify, url_for

from geo.frontlines.model import version_key
from webapp import items_params, params
from webapp.errors import ApiError

__all__ = [
    "COLLECTION",
    "FRONT_LINE_PARAMETERS",
    "collection_doc",
    "item_response",
    "items_response",
    "unchanged_span",
]

#: The collection's id, title and description (listed in ``/collections``).
COLLECTION = (
    "front_lines",
    "Front lines",
    "Dated front-line geometry (areas of control and lines of contact) imported from GIS "
    "files; a version is in force from its date until its source's next version. Text "
    "references to front lines are events of type front_line in the events collection.",
)
_GEOJSON = "application/geo+json"


def _f(value, ctx):
    if value != "json":
        raise params.bad_request(f"f must be 'json' here; got {value!r}", "f")
    return value


def _sources(values, ctx):
    return params.list_values(values, "source", ctx.limits, max_chars=120)


def _shared(name):
    return next(p for p in items_params.ITEMS_PARAMETERS if p.name == name)


#: The query parameters of the front_lines items route (validated and documented here).
FRONT_LINE_PARAMETERS = (
    params.Param(
        "f",
        "json: a GeoJSON FeatureCollection (the only representation).",
        lambda limits, formats: {"type": "string", "enum": ["json"]},
        _f,
    ),
    _shared("bbox"),
    _shared("bbox-crs"),
    _shared("crs"),
    params.Param(
        "datetime",
        "A date: the version of each source in force that day; an interval 'start/end' "
        "('..' open): every version in force at some day of it; absent: the latest version "
        "of each source.",
        lambda limits, formats: {"type": "string", "pattern": items_params.DATETIME_PATTERN},
        _shared("datetime").parse,
    ),
    params.Param(
        "source",
        "Sources (comma-separated, at most {limits.max_list_values} values of 120 characters).",
        lambda limits, formats: {
            "type": "array",
            "maxItems": limits.max_list_values,
            "items": {"type": "string", "maxLength": 120},
        },
        _sources,
        many=True,
    ),
    _shared("limit"),
    _shared("offset"),
)


def _link(href, rel, type_, title=None):
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def collection_doc(store):
    """Return the ``front_lines`` collection document (extent over every stored version)."""
    from geo.frontlines.model import validity

    metas = store.front_line_versions()
    ends = validity(metas)
    boxes = [m["bbox"] for m in metas if m["bbox"] and m["bbox"][0] is not None]
    bbox = (
        [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
        if boxes
        else [-180.0, -90.0, 180.0, 90.0]
    )
    first = min((m["valid_from"] for m in metas), default=None)
    open_end = any(v is None for v in ends.values())
    last = None if open_end or not ends else max(ends.values())
    cid, title, description = COLLECTION
    return {
        "id": cid,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [params.CRS84],
        "storageCrs": params.CRS84,
        "extent": {
            "spatial": {"bbox": [bbox], "crs": params.CRS84},
            "temporal": {
                "interval": [
                    [f"{first}T00:00:00Z" if first else None, f"{last}T23:59:59Z" if last else None]
                ],  # fmt: skip
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            },
        },
        "versions": [{**m, "valid_to": ends[(m["source"], m["valid_from"])]} for m in metas],
        "links": [
            _link(
                url_for("api.collection", collection_id=cid, _external=True),
                "self",
                "application/json",
            ),  # fmt: skip
            _link(
                url_for("api.items", collection_id=cid, _external=True),
                "items",
                _GEOJSON,
                "Items as GeoJSON",
            ),  # fmt: skip
        ],
    }


def _intersects(feature, bbox):
    if bbox is None:
        return True
    box = [180.0, 90.0, -180.0, -90.0]
    stack = [feature["geometry"]["coordinates"]]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], int | float):
            box = [min(box[0], item[0]), min(box[1], item[1]),
                   max(box[2], item[0]), max(box[3], item[1])]  # fmt: skip
        else:
            stack.extend(item)
    for lo, hi in bbox.lon_ranges():
        if box[0] <= hi and box[2] >= lo and box[1] <= bbox.max_lat and box[3] >= bbox.min_lat:
            return True
    return False


def _features(store, window, sources, bbox):
    start = window.start if window else None
    end = window.end if window else None
    out, versions = [], []
    for meta, version in store.front_lines_in_force(start, end, sources=sources):
        versions.append(meta)
        key = meta["id"]
        for n, feature in enumerate(version.features):
            if not _intersects(feature, bbox):
                continue
            props = {
                **feature.get("properties", {}),
                "source": meta["source"],
                "valid_from": meta["valid_from"],
                "valid_to": meta["valid_to"],
                "version": key,
                "file_name": meta["file_name"],
            }
            out.append(
                {
                    "type": "Feature",
                    "id": f"{key}-{n}",
                    "geometry": feature["geometry"],
                    "properties": props,
                }
            )
    return out, versions


def _store_or_404(store):
    if "front_lines" not in store.capabilities:
        raise ApiError(404, f"the store {store!r} keeps no front lines", "collectionId")


def items_response(store, args, limits):
    """Answer ``/collections/front_lines/items`` (the versions in force, as GeoJSON)."""
    ctx = params.Context(limits, fmt="json", formats=("json",), args=args)
    values = params.parse_args(args, FRONT_LINE_PARAMETERS, ctx)
    limit = values.get("limit", params.parse_limit(None, default=limits.default_limit,
                                                   cap=limits.max_limit))  # fmt: skip
    offset = values.get("offset", 0)
    _store_or_404(store)
    features, versions = _features(
        store, values.get("datetime"), values.get("source", ()), values.get("bbox")
    )
    page = features[offset : offset + limit]
    window = values.get("datetime")
    body = {
        "type": "FeatureCollection",
        "numberMatched": len(features),
        "numberReturned": len(page),
        "versions": versions,
        "features": page,
        "links": [
            _link(
                url_for(
                    "api.items",
                    collection_id=COLLECTION[0],
                    _external=True,
                    **args.to_dict(flat=True),
                ),
                "self",
                _GEOJSON,
                "This page",
            ),  # fmt: skip
        ],
    }
    if window is not None and window.start is not None and window.start == window.end:
        metas = store.front_line_versions(values.get("source", ()))
        body["unchanged"] = unchanged_span(metas, window.start)
    resp = jsonify(body)
    resp.mimetype = _GEOJSON
    resp.headers["Content-Crs"] = f"<{params.CRS84}>"
    return resp


def unchanged_span(metas, day):
    """Return ``{"start", "end"}``: the days around ``day`` with the same versions in force.

    A client showing the answer for ``day`` needs no new request while the date it shows
    stays inside (None is open). Every version's start and end bounds it.

    Examples
    --------
    >>> from datetime import date
    >>> metas = [{"source": "a", "valid_from": "2024-01-10"},
    ...          {"source": "a", "valid_from": "2024-02-01"}]
    >>> unchanged_span(metas, date(2024, 1, 20))
    {'start': '2024-01-10', 'end': '2024-01-31'}
    >>> unchanged_span(metas, date(2024, 1, 1))
    {'start': None, 'end': '2024-01-09'}
    """
    from datetime import date, timedelta

    from geo.frontlines.model import validity

    iso = day.isoformat()
    lo = hi = None
    for (_source, start), end in validity(metas).items():
        if start <= iso:
            lo = start if lo is None or start > lo else lo
        else:
            before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
            hi = before if hi is None or before < hi else hi
        if end is not None and end < iso:
            after = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
            lo = after if lo is None or after > lo else lo
        elif end is not None:
            hi = end if hi is None or end < hi else hi
    return {"start": lo, "end": hi}


def item_response(store, item_id):
    """Answer ``/collections/front_lines/items/<id>``: one feature of a stored version."""
    _store_or_404(store)
    key, _, number = item_id.rpartition("-")
    for meta in store.front_line_versions():
        if meta["id"] != key or not number.isdigit():
            continue
        version = store.get_front_lines(meta["source"], meta["valid_from"])
        if version is not None and int(number) < len(version.features):
            feature = version.features[int(number)]
            resp = jsonify(
                {
                    "type": "Feature",
                    "id": item_id,
                    "geometry": feature["geometry"],
                    "properties": {
                        **feature.get("properties", {}),
                        "source": meta["source"],
                        "valid_from": meta["valid_from"],
                        "version": version_key(meta["source"], meta["valid_from"]),
                    },
                }
            )
            resp.mimetype = _GEOJSON
            return resp
    raise ApiError(404, f"no front-line feature with id {item_id!r}", "featureId")
