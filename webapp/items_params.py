"""The items endpoints' query parameters: their table, and the request it validates into.

``ITEMS_PARAMETERS`` both validates ``/collections/{collectionId}/items`` and generates its
OpenAPI parameters (``webapp.openapi``).
"""

from __future__ import annotations

import re

from geo.common.bbox import BBox
from geo.common.dates import DateWindow
from geo.common.excerpt import excerpt
from geo.events.model import EVENT_TYPES, GEO_PRECISIONS, STATUSES
from geo.store.base import EventQuery
from webapp.params import (
    CRS84_ALIASES,
    Context,
    Limits,
    Param,
    bad_request,
    choices_parser,
    crs_parser,
    list_values,
    parse_args,
    parse_limit,
    parse_offset,
)

__all__ = [
    "DATETIME_PATTERN",
    "ITEMS_PARAMETERS",
    "ItemsRequest",
    "parse_items_request",
    "search_words",
]


def search_words(text, *, limits=None, field="q"):
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
    limits = limits or Limits()
    if len(text) > limits.max_q_chars:
        raise bad_request(
            f"{field} must be at most {limits.max_q_chars} characters; got {len(text)}", field
        )
    words = tuple({w.casefold(): w for w in re.findall(r"\w+", text)}.values())
    if not words:
        raise bad_request(
            f"{field} must contain at least one word (letters or digits) to search for; got "
            f"{excerpt(text)}",
            field,
        )
    if len(words) > limits.max_terms:
        raise bad_request(
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
        raise bad_request(
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
        raise bad_request(f"f must be one of {', '.join(ctx.formats)}; got {excerpt(value)}", "f")
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
        lambda limits, formats: {"type": "string", "enum": list(CRS84_ALIASES)},
        crs_parser("bbox-crs", "WGS84 lon/lat"),
    ),
    Param(
        "crs",
        "Output CRS: only CRS84 (WGS84 longitude, latitude).",
        lambda limits, formats: {"type": "string", "enum": list(CRS84_ALIASES)},
        crs_parser("crs", "the only output CRS"),
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
        choices_parser("type", EVENT_TYPES),
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
        lambda values, ctx: list_values(
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
        choices_parser("status", STATUSES),
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
        "geo_precision",
        "Only events placed at this precision (exact: a named place; the map's "
        "'precise places only').",
        lambda limits, formats: {"type": "string", "enum": list(GEO_PRECISIONS)},
        lambda value, ctx: choices_parser("geo_precision", GEO_PRECISIONS)([value], ctx)[0],
    ),
    Param(
        "source",
        "A source id, publisher or URL that reports the event "
        "(at most {limits.max_source_chars} characters).",
        lambda limits, formats: {"type": "string", "maxLength": limits.max_source_chars},
        _source,
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


def parse_items_request(args, *, formats, limits=None, fmt=None, types=None, timeout=None):
    """Validate an items request's query string into an ``ItemsRequest``.

    Parameters
    ----------
    args : MultiDict
        ``request.args``.
    formats : collection of str
        Accepted ``f`` values.
    limits : Limits, optional
        The bounds of the request's work (default: the defaults).
    fmt : str, optional
        The negotiated format (from ``f`` or the Accept header).
    types : tuple of str, optional
        Force the event types (the ``front_lines`` collection).
    timeout : float, optional
        The store query's deadline (``EventQuery.timeout``).
    """
    formats, limits = tuple(formats), limits or Limits()
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
        extra={"geo_precision": values["geo_precision"]} if "geo_precision" in values else {},
        limit=limit,
        offset=offset,
        timeout=timeout,
    )
    return ItemsRequest(
        q, limit, offset, fmt or "json", args.get("limit"), empty=empty, window=window
    )
