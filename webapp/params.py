"""Query parameters of the API: one table per route that both validates and documents them.

Each :class:`Param` holds a parameter's OpenAPI schema, its description and the function that
parses it; ``webapp.openapi`` publishes the same table the routes validate with, so the
document and the server cannot disagree. :class:`Limits` holds the bounds of one request's
work (documented in docs/API.md); values beyond them are a 400 naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from geo.common.bbox import BBox
from geo.common.dates import DateWindow
from geo.common.excerpt import excerpt
from geo.events.model import EVENT_TYPES, STATUSES
from geo.store.base import EventQuery
from webapp.errors import ApiError

__all__ = [
    "CRS84",
    "ITEMS_PARAMETERS",
    "JSON_ONLY_PARAMETERS",
    "LANDING_PARAMETERS",
    "ItemsRequest",
    "Limits",
    "Param",
    "check_names",
    "parse_args",
    "parse_items_request",
    "parse_limit",
    "parse_offset",
    "search_words",
]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_CRS84_ALIASES = (CRS84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "CRS84", "OGC:CRS84")


@dataclass(frozen=True)
class Limits:
    """Bounds of the work one request may ask for; each is a setting (``API_<NAME>``).

    Examples
    --------
    >>> Limits.from_config({"API_MAX_TERMS": 4}).max_terms
    4
    """

    #: page size when ``limit`` is absent
    default_limit: int = 100
    #: largest JSON page (a larger ``limit`` is capped, not refused)
    max_limit: int = 10_000
    #: largest file export (``f=csv`` …; capped likewise)
    export_max_limit: int = 1_000_000
    #: largest ``offset``
    max_offset: int = 1_000_000_000
    #: most distinct words in ``q``
    max_terms: int = 8
    #: longest ``q``
    max_q_chars: int = 500
    #: most values of a list parameter (``type``, ``status``, ``actor``)
    max_list_values: int = 20
    #: longest ``actor`` value
    max_actor_chars: int = 200
    #: longest ``source``
    max_source_chars: int = 4000

    @classmethod
    def from_config(cls, config):
        """Return the limits set by ``config`` (``API_DEFAULT_LIMIT``, ``API_MAX_TERMS``…).

        ``EXPORT_MAX_LIMIT`` keeps its historical name.
        """
        values = {}
        for f in fields(cls):
            key = "EXPORT_MAX_LIMIT" if f.name == "export_max_limit" else f"API_{f.name.upper()}"
            if config.get(key) is not None:
                values[f.name] = int(config[key])
        return cls(**values)


@dataclass(frozen=True)
class Param:
    """One query parameter: its documentation (OpenAPI) and its parser, in one place.

    Parameters
    ----------
    name : str
        The query parameter.
    description : str
        For the OpenAPI document; ``{limits.x}`` fields are filled from the app's limits.
    schema : callable
        ``schema(limits, formats) -> dict``: its OpenAPI schema.
    parse : callable
        ``parse(value, ctx) -> object``: validate the raw text (``value``); ``ctx`` is a
        :class:`Context`. Raises ``ApiError``/``ValidationError`` naming the parameter.
    many : bool, default False
        A comma-separated list (``style: form, explode: false``); may also be repeated.
    required : bool, default False
        Whether the parameter must be present.
    """

    name: str
    description: str
    schema: Callable[[Limits, tuple], dict]
    parse: Callable[[Any, Context], Any]
    many: bool = False
    required: bool = False

    def openapi(self, limits, formats=()):
        """Return the parameter's OpenAPI 3.0 object."""
        out = {
            "name": self.name,
            "in": "query",
            "required": self.required,
            "description": self.description.format(limits=limits),
            "schema": self.schema(limits, tuple(formats)),
        }
        if self.many:
            out.update(style="form", explode=False)
        return out


@dataclass(frozen=True)
class Context:
    """What a parser may need besides its value: the limits, the format, the whole args."""

    limits: Limits
    fmt: str | None = None
    formats: tuple = ()
    args: Any = None


def _bad(message, field):
    return ApiError(400, message, field=field)


def check_names(args, table, *, where="here"):
    """Refuse (400) a query parameter not in ``table``, or a single one given twice."""
    known = {p.name: p for p in table}
    for name in args:
        param = known.get(name)
        if param is None:
            expected = ", ".join(sorted(known)) or "none"
            raise _bad(
                f"unknown query parameter {excerpt(name)} {where}; expected one of {expected}",
                name,
            )
        if not param.many and len(args.getlist(name)) > 1:
            raise _bad(f"{name} is given {len(args.getlist(name))} times; expected once", name)


def parse_args(args, table, ctx):
    """Return ``{name: parsed value}`` for the parameters of ``table`` present in ``args``."""
    check_names(args, table)
    out = {}
    for param in table:
        values = args.getlist(param.name)
        if not values:
            if param.required:
                raise _bad(f"{param.name} is required; {param.description}", param.name)
            continue
        out[param.name] = param.parse(values if param.many else values[0], ctx)
    return out


# -- parsers -----------------------------------------------------------------------------------


def _int(text, name, *, lo, hi=None):
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or value < lo:
        raise _bad(f"{name} must be an integer >= {lo}; got {excerpt(text)}", name)
    if hi is not None and value > hi:
        raise _bad(f"{name} must be at most {hi:,}; got {excerpt(text)}", name)
    return value


def parse_limit(text, *, default, cap):
    """Return the page size: ``default`` when absent, capped at ``cap`` (never an error).

    Examples
    --------
    >>> parse_limit("1000000000", default=100, cap=10000)
    10000
    """
    if text is None or text == "":
        return min(default, cap)
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or value < 1:
        raise _bad(f"limit must be an integer >= 1; got {excerpt(text)}", "limit")
    return min(value, cap)


def parse_offset(text, *, cap=Limits.max_offset):
    """Return the number of matching items to skip (0 when absent), at most ``cap``."""
    if text is None or text == "":
        return 0
    return _int(text, "offset", lo=0, hi=cap)


def _list(values, name, limits, *, max_chars=None):
    items = []
    for raw in values:
        items.extend(v.strip() for v in raw.split(",") if v.strip())
    if len(items) > limits.max_list_values:
        raise _bad(
            f"{name} has {len(items)} values; at most {limits.max_list_values} per request",
            name,
        )
    for item in items:
        if max_chars is not None and len(item) > max_chars:
            raise _bad(f"each {name} must be at most {max_chars} characters; got {len(item)}", name)
    return tuple(dict.fromkeys(items))


def _choices(name, choices):
    def parse(values, ctx):
        items = _list(values, name, ctx.limits)
        for value in items:
            if value not in choices:
                raise _bad(f"{name} must be among {', '.join(choices)}; got {excerpt(value)}", name)
        return items

    return parse


def _crs(name, what):
    def parse(value, ctx):
        if value not in ("", *_CRS84_ALIASES):
            raise _bad(f"{name} must be {CRS84!r} ({what}); got {excerpt(value)}", name)
        return value or None

    return parse


def search_words(text, *, limits=Limits(), field="q"):
    """Return the distinct words of a free-text search, checked against ``limits``.

    Words repeat nothing (case-insensitive duplicates are dropped); at least one word must
    remain, and at most ``limits.max_terms``. (The store matches words of two or more
    characters as prefixes, and shorter ones as whole words.)

    Raises
    ------
    ApiError
        400 naming ``field`` otherwise.

    Examples
    --------
    >>> search_words("Kursk, kursk and T-72")
    ('Kursk', 'and', 'T', '72')
    """
    if len(text) > limits.max_q_chars:
        raise _bad(
            f"{field} must be at most {limits.max_q_chars} characters; got {len(text)}", field
        )
    words = tuple({w.casefold(): w for w in re.findall(r"\w+", text)}.values())
    if not words:
        raise _bad(
            f"{field} must contain at least one word (letters or digits) to search for; got "
            f"{excerpt(text)}",
            field,
        )
    if len(words) > limits.max_terms:
        raise _bad(
            f"{field} has {len(words)} distinct words; at most {limits.max_terms} per search",
            field,
        )
    return words


def _q(value, ctx):
    if not value.strip():
        return None
    return " ".join(search_words(value, limits=ctx.limits))


def _source(value, ctx):
    if len(value) > ctx.limits.max_source_chars:
        raise _bad(
            f"source must be at most {ctx.limits.max_source_chars} characters; got {len(value)}",
            "source",
        )
    return value.strip() or None


def _bbox(value, ctx):
    if not value.strip():
        return None
    return BBox.parse(value)


def _datetime(value, ctx):
    if not value.strip():
        return None
    return DateWindow.parse(value)


def _limit(value, ctx):
    exported = ctx.fmt not in (None, "json")
    cap = ctx.limits.export_max_limit if exported else ctx.limits.max_limit
    return parse_limit(value, default=ctx.limits.default_limit, cap=cap)


def _f(value, ctx):
    if value not in ctx.formats:
        raise _bad(f"f must be one of {', '.join(ctx.formats)}; got {excerpt(value)}", "f")
    return value


# -- the items table -----------------------------------------------------------------------

#: An RFC 3339 full-date (any day 01-31; the server refuses days a month does not have).
_DAY = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([Tt ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d))?"
_INSTANT = _DAY + _TIME
#: RFC 3339 instants and intervals (``..`` or nothing for an open end).
DATETIME_PATTERN = rf"^({_INSTANT}|({_INSTANT}|\.\.)?/({_INSTANT}|\.\.)?)$"


def _string(**extra):
    return lambda limits, formats: {"type": "string", **extra}


ITEMS_PARAMETERS = (
    Param(
        "f",
        "json: a GeoJSON page with numberMatched and next/prev links (default); the other "
        "names: a file export of every match up to the export cap ({limits.export_max_limit:,}"
        "), with all sources and a data-as-of stamp.",
        lambda limits, formats: {"type": "string", "enum": ["json", *formats]},
        _f,
    ),
    Param(
        "bbox",
        "min_lon,min_lat,max_lon,max_lat in WGS84 (CRS84); six numbers are a 3D box whose "
        "heights are ignored. Latitudes within [-90, 90] and min_lat <= max_lat; "
        "min_lon > max_lon crosses the antimeridian.",
        lambda limits, formats: {
            "type": "array",
            "minItems": 4,
            "maxItems": 4,
            "items": {"type": "number", "minimum": -180, "maximum": 180},
        },
        _bbox,
    ),
    Param(
        "bbox-crs",
        "The CRS of bbox: only CRS84 (WGS84 longitude, latitude).",
        lambda limits, formats: {"type": "string", "enum": list(_CRS84_ALIASES)},
        _crs("bbox-crs", "WGS84 lon/lat"),
    ),
    Param(
        "crs",
        "Output CRS: only CRS84 (WGS84 longitude, latitude).",
        lambda limits, formats: {"type": "string", "enum": list(_CRS84_ALIASES)},
        _crs("crs", "the only output CRS"),
    ),
    Param(
        "datetime",
        "An RFC 3339 date or date-time, or an interval 'start/end' with '..' for an open "
        "end; matches events whose date range overlaps it (date-times count by their UTC day).",
        _string(pattern=DATETIME_PATTERN),
        _datetime,
    ),
    Param(
        "limit",
        "Page size; larger values are capped ({limits.max_limit:,} for JSON pages, "
        "{limits.export_max_limit:,} for file exports).",
        lambda limits, formats: {"type": "integer", "minimum": 1, "default": limits.default_limit},
        _limit,
    ),
    Param(
        "offset",
        "Matches to skip (at most {limits.max_offset:,}).",
        lambda limits, formats: {
            "type": "integer",
            "minimum": 0,
            "maximum": limits.max_offset,
            "default": 0,
        },
        lambda value, ctx: parse_offset(value, cap=ctx.limits.max_offset),
    ),
    Param(
        "type",
        "Event types (comma-separated, at most {limits.max_list_values} values).",
        lambda limits, formats: {
            "type": "array",
            "maxItems": limits.max_list_values,
            "items": {"type": "string", "enum": list(EVENT_TYPES)},
        },
        _choices("type", EVENT_TYPES),
        many=True,
    ),
    Param(
        "actor",
        "Actor names, each a case-insensitive substring of actor1, actor2 or claimed_by "
        "(comma-separated, at most {limits.max_list_values} values of "
        "{limits.max_actor_chars} characters).",
        lambda limits, formats: {
            "type": "array",
            "maxItems": limits.max_list_values,
            "items": {"type": "string", "maxLength": limits.max_actor_chars},
        },
        lambda values, ctx: _list(
            values, "actor", ctx.limits, max_chars=ctx.limits.max_actor_chars
        ),
        many=True,
    ),
    Param(
        "status",
        "Statuses (comma-separated).",
        lambda limits, formats: {
            "type": "array",
            "maxItems": limits.max_list_values,
            "items": {"type": "string", "enum": list(STATUSES)},
        },
        _choices("status", STATUSES),
        many=True,
    ),
    Param(
        "q",
        "Words to find in summaries, places, actors and source quotes (all must match; words "
        "of two or more characters as prefixes, one-character words whole). At most "
        "{limits.max_q_chars} characters and {limits.max_terms} distinct words.",
        lambda limits, formats: {
            "type": "string",
            "maxLength": limits.max_q_chars,
            "pattern": r"^\s*$|\w",
        },
        _q,
    ),
    Param(
        "source",
        "A source id, publisher or URL that reports the event "
        "(at most {limits.max_source_chars} characters).",
        lambda limits, formats: {"type": "string", "maxLength": limits.max_source_chars},
        _source,
    ),
)


def _fixed_f(*choices):
    def parse(value, ctx):
        if value not in choices:
            raise _bad(
                f"f must be {' or '.join(map(repr, choices))} here; got {excerpt(value)}", "f"
            )
        return value

    return parse


#: The routes that answer JSON only (conformance, collections, one item, the OpenAPI document).
JSON_ONLY_PARAMETERS = (
    Param(
        "f",
        "The representation (JSON only).",
        lambda limits, formats: {"type": "string", "enum": ["json"]},
        _fixed_f("json"),
    ),
)
#: The landing page: JSON for API clients, the map for browsers.
LANDING_PARAMETERS = (
    Param(
        "f",
        "json (the landing page document) or html (the map).",
        lambda limits, formats: {"type": "string", "enum": ["json", "html"]},
        _fixed_f("json", "html"),
    ),
)


class ItemsRequest:
    """A validated items request: the store query, the page (limit, offset) and the format."""

    __slots__ = ("empty", "fmt", "limit", "offset", "query", "requested_limit", "window")

    def __init__(self, query, limit, offset, fmt, requested_limit, *, empty=False, window=None):
        self.empty = empty
        self.query = query
        self.limit = limit
        self.offset = offset
        self.fmt = fmt
        self.requested_limit = requested_limit
        self.window = window


def parse_items_request(args, *, formats, limits=Limits(), fmt=None, types=None, timeout=None):
    """Validate an items request's query string into an ``ItemsRequest``.

    Parameters
    ----------
    args : MultiDict
        ``request.args``.
    formats : collection of str
        Accepted ``f`` values.
    limits : Limits
        The bounds of the request's work.
    fmt : str, optional
        The negotiated format (from ``f`` or the Accept header).
    types : tuple of str, optional
        Force the event types (the ``front_lines`` collection).
    timeout : float, optional
        The store query's deadline (``EventQuery.timeout``).
    """
    formats = tuple(formats)
    if fmt is not None and "f" not in args:
        _f(fmt, Context(limits, formats=formats))
    ctx = Context(limits, fmt=fmt, formats=formats, args=args)
    values = parse_args(args, ITEMS_PARAMETERS, ctx)
    window = values.get("datetime") or DateWindow()
    wanted = values.get("type", ())
    empty = False
    if types is not None:
        kept = tuple(t for t in wanted if t in types) if wanted else tuple(types)
        empty, wanted = not kept, kept or tuple(types)
    limit = values.get("limit")
    if limit is None:
        limit = _limit(None, ctx)
    offset = values.get("offset", 0)
    q = EventQuery(
        bbox=values.get("bbox"),
        start=window.start,
        end=window.end,
        types=wanted,
        actors=values.get("actor", ()),
        statuses=values.get("status", ()),
        text=values.get("q"),
        source=values.get("source"),
        limit=limit,
        offset=offset,
        timeout=timeout,
    )
    return ItemsRequest(
        q, limit, offset, fmt or "json", args.get("limit"), empty=empty, window=window
    )
