"""Geocoding over HTTP: ``GET /api/geocode?q=`` and batch ``POST /api/geocode`` (a JSON list)."""

from __future__ import annotations

import threading

from flask import Blueprint, current_app, jsonify, request

from webapp.errors import ApiError

__all__ = ["bp", "geocode_batch", "geocode_one", "geocoder"]

#: The geocoding routes (registered by ``webapp.create_app``).
bp = Blueprint("geocoding", __name__)

_lock = threading.Lock()
_FEATURE_CLASSES = ("P", "A", "L")


def geocoder():
    """Return the app's ``GazetteerGeocoder`` over the default gazetteer, made on first use."""
    ext = current_app.extensions
    with _lock:
        if ext.get("conflictmap.geocoder") is None:
            from geo.exc import GazetteerError
            from geo.gazetteer.lookup import Gazetteer
            from geo.geoparse.geocoder import GazetteerGeocoder

            try:
                ext["conflictmap.geocoder"] = GazetteerGeocoder(Gazetteer.default())
            except GazetteerError as err:
                raise ApiError(503, f"The gazetteer cannot be loaded: {err}") from err
        return ext["conflictmap.geocoder"]


def _options(source):
    countries = []
    for raw in source.getlist("country") if hasattr(source, "getlist") else source:
        countries.extend(c.strip().upper() for c in str(raw).split(",") if c.strip())
    for cc in countries:
        if len(cc) != 2 or not cc.isalpha():
            raise ApiError(
                400, f"country must be ISO 3166-1 alpha-2 codes like 'UA'; got {cc!r}", "country"
            )
    classes = []
    for raw in source.getlist("feature_class") if hasattr(source, "getlist") else ():
        classes.extend(c.strip().upper() for c in raw.split(",") if c.strip())
    for fc in classes:
        if fc not in _FEATURE_CLASSES:
            raise ApiError(
                400,
                f"feature_class must be among {', '.join(_FEATURE_CLASSES)}; got {fc!r}",
                "feature_class",
            )
    return {"country_codes": countries or None, "feature_classes": classes or None}


def _row(query, options):
    from webapp.cli.geocode import geocode_line

    return geocode_line(geocoder(), query, **options)


@bp.get("/api/geocode")
def geocode_one():
    """Geocode one place name: the CLI's fields (``query, lat, lon, geonameid, ...``).

    A name not in the gazetteer answers 200 with null coordinates, as the CLI does; a query
    that is not a usable name (empty, control characters, too long) is a 400.
    """
    for name in request.args:
        if name not in ("q", "country", "feature_class"):
            raise ApiError(
                400, f"unknown query parameter {name!r}; expected q, country, feature_class", name
            )
    query = request.args.get("q")
    if query is None or not query.strip():
        raise ApiError(400, f"q must be a place name, e.g. ?q=Kursk; got {query!r}", "q")
    row = _row(query, _options(request.args))
    if row.get("error"):
        raise ApiError(400, f"q is not a usable place name: {row['error']}", "q")
    return jsonify(row)


@bp.post("/api/geocode")
def geocode_batch():
    """Geocode a JSON list of place names; answer a list of rows in the same order.

    Items may be strings or ``{"q": name}`` objects. Bad items get a row with an ``error``
    key (as in the CLI) instead of failing the batch. ``?country=`` and ``?feature_class=``
    apply to every item.
    """
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, list):
        raise ApiError(
            400,
            'The body must be a JSON list of place names, e.g. ["Kursk", "Kyiv"]; got '
            f"{type(data).__name__ if data is not None else 'no JSON'}.",
            "body",
        )
    limit = int(current_app.config.get("GEOCODE_BATCH_MAX", 1000))
    if len(data) > limit:
        raise ApiError(413, f"The list has {len(data)} names; at most {limit} per request.", "body")
    options = _options(request.args)
    queries = []
    for i, item in enumerate(data):
        if isinstance(item, dict) and isinstance(item.get("q"), str):
            item = item["q"]
        if not isinstance(item, str):
            raise ApiError(
                400,
                f'Item {i} of the list must be a place name string or {{"q": name}}; '
                f"got {item!r:.80}.",
                "body",
            )
        queries.append(item)
    rows = [_row(q, options) for q in queries]
    return jsonify(rows)
