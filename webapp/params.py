"""Query parameters of the items endpoints, validated into an ``EventQuery`` with clear 400s."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime

from geo.events.model import EVENT_TYPES, STATUSES
from geo.store.base import EventQuery
from webapp.errors import ApiError

__all__ = [
    "CRS84",
    "ItemsRequest",
    "parse_bbox",
    "parse_datetime",
    "parse_items_request",
    "parse_limit",
    "parse_offset",
]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_CRS84_ALIASES = {CRS84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "CRS84", "OGC:CRS84"}

#: Parameters the items endpoint understands (others are refused, so typos are not ignored).
ITEMS_PARAMS = frozenset(
    (
        "bbox",
        "bbox-crs",
        "crs",
        "datetime",
        "limit",
        "offset",
        "type",
        "actor",
        "status",
        "q",
        "source",
        "f",
    )
)

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2}))?$"
)


class ItemsRequest:
    """A validated items request: the store query, the page (limit, offset) and the format."""

    __slots__ = ("empty", "fmt", "limit", "offset", "query", "requested_limit")

    def __init__(self, query, limit, offset, fmt, requested_limit, *, empty=False):
        self.empty = empty
        self.query = query
        self.limit = limit
        self.offset = offset
        self.fmt = fmt
        self.requested_limit = requested_limit


def _bad(message, field):
    return ApiError(400, message, field=field)


def parse_bbox(text, *, crs=None):
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` from a ``bbox`` parameter.

    Four numbers, or six (a 3D box whose heights are ignored); longitudes in [-180, 180],
    latitudes in [-90, 90], min_lat <= max_lat. min_lon > max_lon is a box crossing the
    antimeridian (RFC 7946).

    Raises
    ------
    ApiError
        400 naming ``bbox`` for any other value.

    Examples
    --------
    >>> parse_bbox("30,44,40,53")
    (30.0, 44.0, 40.0, 53.0)
    """
    if crs not in (None, "") and crs not in _CRS84_ALIASES:
        raise _bad(f"bbox-crs must be {CRS84!r} (WGS84 lon/lat); got {crs!r}", "bbox-crs")
    parts = [p.strip() for p in text.split(",")]
    expected = "4 comma-separated numbers min_lon,min_lat,max_lon,max_lat"
    if len(parts) not in (4, 6):
        raise _bad(f"bbox must be {expected}; got {len(parts)} values in {text!r}", "bbox")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise _bad(f"bbox must be {expected}; got {text!r}", "bbox") from None
    if not all(math.isfinite(n) for n in numbers):
        raise _bad(f"bbox must be {expected} (finite); got {text!r}", "bbox")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    min_lon, min_lat, max_lon, max_lat = numbers
    for name, value, limit in (
        ("min_lon", min_lon, 180),
        ("max_lon", max_lon, 180),
        ("min_lat", min_lat, 90),
        ("max_lat", max_lat, 90),
    ):
        if not -limit <= value <= limit:
            raise _bad(
                f"bbox {name} must be in [-{limit}, {limit}]; got {value:g} in {text!r}", "bbox"
            )
    if min_lat > max_lat:
        raise _bad(f"bbox min_lat {min_lat:g} is above max_lat {max_lat:g} in {text!r}", "bbox")
    return (min_lon, min_lat, max_lon, max_lat)


def _instant(text):
    match = _RFC3339.match(text)
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
        if match[4] is None:
            return day
        if int(match[4]) > 23 or int(match[5]) > 59 or int(match[6]) > 60:
            return None
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00")[:32])
    except ValueError:
        return None
    return moment.astimezone(UTC).date()


def parse_datetime(text):
    """Return ``(start, end)`` dates from an RFC 3339 instant or interval (open ends ``..``).

    Instants with a time are reduced to their UTC date (events are dated by day). An
    interval ``a/b`` matches events whose date range overlaps it.

    Raises
    ------
    ApiError
        400 naming ``datetime`` when a part is not an RFC 3339 date or date-time, both ends
        are open, or the start is after the end.

    Examples
    --------
    >>> parse_datetime("2024-10-01/..")
    (datetime.date(2024, 10, 1), None)
    >>> parse_datetime("2024-10-09T12:00:00Z")
    (datetime.date(2024, 10, 9), datetime.date(2024, 10, 9))
    """
    expected = (
        "an RFC 3339 date or date-time ('2024-10-09', '2024-10-09T00:00:00Z') or an "
        "interval 'start/end' with '..' for an open end"
    )
    text = text.strip()
    if "/" in text:
        parts = text.split("/")
        if len(parts) != 2:
            raise _bad(f"datetime must be {expected}; got {text!r}", "datetime")
        ends = []
        for part in parts:
            if part in ("..", ""):
                ends.append(None)
                continue
            day = _instant(part)
            if day is None:
                raise _bad(f"datetime must be {expected}; got {part!r} in {text!r}", "datetime")
            ends.append(day)
        start, end = ends
        if start is None and end is None:
            raise _bad(f"datetime needs at least one closed end; got {text!r}", "datetime")
        if start and end and start > end:
            raise _bad(f"datetime interval starts after it ends: {text!r}", "datetime")
        return start, end
    day = _instant(text)
    if day is None:
        raise _bad(f"datetime must be {expected}; got {text!r}", "datetime")
    return day, day


def _int(text, name, *, lo):
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or value < lo:
        raise _bad(f"{name} must be an integer >= {lo}; got {text!r}", name)
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
    return min(_int(text, "limit", lo=1), cap)


def parse_offset(text):
    """Return the number of matching items to skip (0 when absent)."""
    if text is None or text == "":
        return 0
    return _int(text, "offset", lo=0)


def _values(args, name):
    values = []
    for raw in args.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return tuple(dict.fromkeys(values))


def _choices(args, name, choices):
    values = _values(args, name)
    for value in values:
        if value not in choices:
            raise _bad(f"{name} must be among {', '.join(choices)}; got {value!r}", name)
    return values


def _text(args, name, *, max_len=500, words=False):
    value = args.get(name)
    if value is None or not value.strip():
        return None
    if len(value) > max_len:
        raise _bad(f"{name} must be at most {max_len} characters; got {len(value)}", name)
    if words and not re.search(r"\w", value):
        raise _bad(f"{name} must contain at least one word to search for; got {value!r}", name)
    return value.strip()


def parse_items_request(
    args, *, formats, default_limit, page_cap, export_cap, fmt=None, types=None
):
    """Validate an items request's query string into an ``ItemsRequest``.

    Parameters
    ----------
    args : MultiDict
        ``request.args``.
    formats : collection of str
        Accepted ``f`` values.
    default_limit, page_cap, export_cap : int
        Default page size; the cap of a JSON page; the cap of a file export.
    fmt : str, optional
        The negotiated format (from ``f`` or the Accept header).
    types : tuple of str, optional
        Force the event types (the ``front_lines`` collection).
    """
    for name in args:
        if name not in ITEMS_PARAMS:
            raise _bad(
                f"unknown query parameter {name!r}; expected one of "
                f"{', '.join(sorted(ITEMS_PARAMS))}",
                name,
            )
    if fmt is not None and fmt not in formats:
        raise _bad(f"f must be one of {', '.join(formats)}; got {fmt!r}", "f")
    bbox = None
    if args.get("bbox", "").strip():
        bbox = parse_bbox(args["bbox"], crs=args.get("bbox-crs"))
    elif args.get("bbox-crs"):
        parse_bbox("-180,-90,180,90", crs=args["bbox-crs"])
    crs = args.get("crs")
    if crs not in (None, "") and crs not in _CRS84_ALIASES:
        raise _bad(f"crs must be {CRS84!r} (the only output CRS); got {crs!r}", "crs")
    start = end = None
    if args.get("datetime", "").strip():
        start, end = parse_datetime(args["datetime"])
    wanted = _choices(args, "type", EVENT_TYPES)
    empty = False
    if types is not None:
        kept = tuple(t for t in wanted if t in types) if wanted else tuple(types)
        empty, wanted = not kept, kept or tuple(types)
    statuses = _choices(args, "status", STATUSES)
    cap = page_cap if fmt in (None, "json") else export_cap
    raw_limit = args.get("limit")
    limit = parse_limit(raw_limit, default=default_limit, cap=cap)
    offset = parse_offset(args.get("offset"))
    q = EventQuery(
        bbox=bbox,
        start=start,
        end=end,
        types=wanted,
        actors=_values(args, "actor"),
        statuses=statuses,
        text=_text(args, "q", words=True),
        source=_text(args, "source", max_len=4000),
        limit=limit,
        offset=offset,
    )
    return ItemsRequest(q, limit, offset, fmt or "json", raw_limit, empty=empty)
