"""Geocoding over HTTP: ``GET /api/geocode?q=`` and batch ``POST /api/geocode`` (a JSON list)."""

from __future__ import annotations

import re
import threading
import time

from flask import Blueprint, current_app, jsonify, request

from geo.common.excerpt import excerpt
from geo.geoparse.geocoder import MAX_QUERY_LENGTH
from webapp import limits
from webapp.errors import ApiError
from webapp.geocode_rows import geocode_line
from webapp.params import Context, Limits, Param, parse_args

__all__ = [
    "GEOCODE_BATCH_PARAMETERS",
    "GEOCODE_PARAMETERS",
    "bp",
    "geocode_batch",
    "geocode_one",
    "geocoder",
]

#: The geocoding routes (registered by ``webapp.create_app``).
bp = Blueprint("geocoding", __name__)

_lock = threading.Lock()
_FEATURE_CLASSES = ("P", "A", "L")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def geocoder(app=None):
    """Return the app's ``GazetteerGeocoder`` over the default gazetteer, made on first use.

    ``app`` defaults to the current app.
    """
    ext = (app or current_app).extensions
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


def preload(app):
    """Make ``app``'s geocoder now (the gazetteer loads once per process), so that the first
    geocoding request does not pay for it while other requests wait. A gazetteer that cannot
    be loaded is left to the requests, which answer 503 saying why."""
    try:
        geocoder(app)
    except ApiError:
        pass


def _q(value, ctx):
    if not value.strip():
        raise ApiError(400, f"q must be a place name, e.g. ?q=Kursk; got {excerpt(value)}", "q")
    if len(value) > MAX_QUERY_LENGTH:
        raise ApiError(
            400, f"q must be at most {MAX_QUERY_LENGTH} characters; got {len(value)}", "q"
        )
    if _CONTROL.search(value):
        raise ApiError(400, f"q must not contain control characters; got {excerpt(value)}", "q")
    return value


def _countries(values, ctx):
    countries = []
    for raw in values:
        countries.extend(c.strip().upper() for c in str(raw).split(",") if c.strip())
    if len(countries) > ctx.limits.max_list_values:
        raise ApiError(
            400,
            f"country has {len(countries)} values; at most {ctx.limits.max_list_values}",
            "country",
        )
    for cc in countries:
        if len(cc) != 2 or not cc.isalpha() or not cc.isascii():
            raise ApiError(
                400,
                f"country must be ISO 3166-1 alpha-2 codes like 'UA'; got {excerpt(cc)}",
                "country",
            )
    return list(dict.fromkeys(countries))


def _classes(values, ctx):
    classes = []
    for raw in values:
        classes.extend(c.strip().upper() for c in raw.split(",") if c.strip())
    for fc in classes:
        if fc not in _FEATURE_CLASSES:
            raise ApiError(
                400,
                f"feature_class must be among {', '.join(_FEATURE_CLASSES)}; got {excerpt(fc)}",
                "feature_class",
            )
    return list(dict.fromkeys(classes))


_COUNTRY = Param(
    "country",
    "ISO 3166-1 alpha-2 codes (comma-separated, at most {limits.max_list_values}).",
    lambda limits, formats: {
        "type": "array",
        "maxItems": limits.max_list_values,
        "items": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    },
    _countries,
    many=True,
)
_FEATURE_CLASS = Param(
    "feature_class",
    "GeoNames feature classes: P (places), A (administrative areas), L (regions).",
    lambda limits, formats: {
        "type": "array",
        "maxItems": 3,
        "items": {"type": "string", "enum": ["P", "A", "L", "p", "a", "l"]},
    },
    _classes,
    many=True,
)
#: ``GET /api/geocode``.
GEOCODE_PARAMETERS = (
    Param(
        "q",
        f"A place name (at most {MAX_QUERY_LENGTH} characters, no control characters).",
        lambda limits, formats: {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_QUERY_LENGTH,
            "pattern": r"^[^\x00-\x1f\x7f-\x9f]*\S[^\x00-\x1f\x7f-\x9f]*$",
        },
        _q,
        required=True,
    ),
    _COUNTRY,
    _FEATURE_CLASS,
)
#: ``POST /api/geocode`` (the names are in the body).
GEOCODE_BATCH_PARAMETERS = (_COUNTRY, _FEATURE_CLASS)


def _options(values):
    return {
        "country_codes": values.get("country") or None,
        "feature_classes": values.get("feature_class") or None,
    }


def _ctx():
    return Context(Limits.from_config(current_app.config))


def _row(query, options):
    return geocode_line(geocoder(), query, **options)


@bp.get("/api/geocode")
def geocode_one():
    """Geocode one place name: the CLI's fields (``query, lat, lon, geonameid, ...``).

    A name not in the gazetteer answers 200 with null coordinates, as the CLI does; a query
    that is not a usable name (empty, control characters, too long) is a 400.
    """
    values = parse_args(request.args, GEOCODE_PARAMETERS, _ctx())
    row = _row(values["q"], _options(values))
    if row.get("error"):
        raise ApiError(400, f"q is not a usable place name: {row['error']}", "q")
    return jsonify(row)


@bp.post("/api/geocode")
def geocode_batch():
    """Geocode a JSON list of place names; answer a list of rows in the same order.

    Items may be strings or ``{"q": name}`` objects. Bad items get a row with an ``error``
    key (as in the CLI) instead of failing the batch. ``?country=`` and ``?feature_class=``
    apply to every item. At most ``GEOCODE_BATCH_MAX`` names of ``GEOCODE_BATCH_CHARS``
    characters in all (413 beyond); a batch takes a heavy-request slot and stops with a 503
    at ``QUERY_TIMEOUT`` seconds.
    """
    options = _options(parse_args(request.args, GEOCODE_BATCH_PARAMETERS, _ctx()))
    data = limits.json_body(request)
    if not isinstance(data, list):
        raise ApiError(
            400,
            'The body must be a JSON list of place names, e.g. ["Kursk", "Kyiv"]; got '
            f"{type(data).__name__ if data is not None else 'no JSON'}.",
            "body",
        )
    cfg = current_app.config
    limit = int(cfg.get("GEOCODE_BATCH_MAX", 1000))
    if len(data) > limit:
        raise ApiError(413, f"The list has {len(data)} names; at most {limit} per request.", "body")
    queries = []
    for i, item in enumerate(data):
        if isinstance(item, dict) and isinstance(item.get("q"), str):
            item = item["q"]
        if not isinstance(item, str):
            raise ApiError(
                400,
                f'Item {i} of the list must be a place name string or {{"q": name}}; '
                f"got {excerpt(item)}.",
                "body",
            )
        queries.append(item)
    chars = sum(len(q) for q in queries)
    max_chars = int(cfg.get("GEOCODE_BATCH_CHARS", 20_000))
    if chars > max_chars:
        raise ApiError(
            413,
            f"The names have {chars} characters in all; at most {max_chars} per request.",
            "body",
        )
    geocoder()  # loaded (once) before the batch's clock starts
    slot = limits.heavy_slot("geocoding batch")
    try:
        timeout = limits.query_timeout()
        stop = time.monotonic() + timeout if timeout else None
        rows = []
        for query in queries:
            if stop is not None and time.monotonic() > stop:
                raise ApiError(
                    503,
                    f"The batch was stopped at its time limit ({timeout:g} s) after "
                    f"{len(rows)} of {len(queries)} names; send smaller batches.",
                    "body",
                    headers={"Retry-After": "1"},
                )
            rows.append(_row(query, options))
    finally:
        slot.release()
    return jsonify(rows)
