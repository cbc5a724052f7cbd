"""Query parameters of the API: one table per route that both validates and documents them.

Each :class:`Param` holds a parameter's OpenAPI schema, its description and the function that
parses it; ``webapp.openapi`` publishes the same tables the routes validate with, so the
document and the server cannot disagree. :class:`Limits` holds the bounds of one request's
work (documented in docs/API.md); values beyond them are a 400 naming the parameter. The
items endpoints' table is in ``webapp.items_params``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from geo.common.excerpt import excerpt
from webapp.errors import ApiError

__all__ = [
    "CRS84",
    "CRS84_ALIASES",
    "JSON_ONLY_PARAMETERS",
    "LANDING_PARAMETERS",
    "Context",
    "Limits",
    "Param",
    "bad_request",
    "check_names",
    "choices_parser",
    "crs_parser",
    "list_values",
    "parse_args",
    "parse_limit",
    "parse_offset",
]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84_ALIASES = (CRS84, "https://www.opengis.net/def/crs/OGC/1.3/CRS84", "CRS84", "OGC:CRS84")


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


def bad_request(message, field):
    """Return the 400 ``ApiError`` naming ``field``."""
    return ApiError(400, message, field=field)


def check_names(args, table, *, where="here"):
    """Refuse (400) a query parameter not in ``table``, or a single one given twice."""
    known = {p.name: p for p in table}
    for name in args:
        param = known.get(name)
        if param is None:
            expected = ", ".join(sorted(known)) or "none"
            raise bad_request(
                f"unknown query parameter {excerpt(name)} {where}; expected one of {expected}",
                name,
            )
        if not param.many and len(args.getlist(name)) > 1:
            raise bad_request(
                f"{name} is given {len(args.getlist(name))} times; expected once", name
            )


def parse_args(args, table, ctx):
    """Return ``{name: parsed value}`` for the parameters of ``table`` present in ``args``."""
    check_names(args, table)
    out = {}
    for param in table:
        values = args.getlist(param.name)
        if not values:
            if param.required:
                raise bad_request(f"{param.name} is required; {param.description}", param.name)
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
        raise bad_request(f"{name} must be an integer >= {lo}; got {excerpt(text)}", name)
    if hi is not None and value > hi:
        raise bad_request(f"{name} must be at most {hi:,}; got {excerpt(text)}", name)
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
        raise bad_request(f"limit must be an integer >= 1; got {excerpt(text)}", "limit")
    return min(value, cap)


def parse_offset(text, *, cap=Limits.max_offset):
    """Return the number of matching items to skip (0 when absent), at most ``cap``."""
    if text is None or text == "":
        return 0
    return _int(text, "offset", lo=0, hi=cap)


def list_values(values, name, limits, *, max_chars=None):
    items = []
    for raw in values:
        items.extend(v.strip() for v in raw.split(",") if v.strip())
    if len(items) > limits.max_list_values:
        raise bad_request(
            f"{name} has {len(items)} values; at most {limits.max_list_values} per request",
            name,
        )
    for item in items:
        if max_chars is not None and len(item) > max_chars:
            raise bad_request(
                f"each {name} must be at most {max_chars} characters; got {len(item)}", name
            )
    return tuple(dict.fromkeys(items))


def choices_parser(name, choices):
    """Return a parser of a comma list whose values must be among ``choices``."""

    def parse(values, ctx):
        items = list_values(values, name, ctx.limits)
        for value in items:
            if value not in choices:
                raise bad_request(
                    f"{name} must be among {', '.join(choices)}; got {excerpt(value)}", name
                )
        return items

    return parse


def crs_parser(name, what):
    """Return a parser of a CRS parameter that must name CRS84."""

    def parse(value, ctx):
        if value not in ("", *CRS84_ALIASES):
            raise bad_request(f"{name} must be {CRS84!r} ({what}); got {excerpt(value)}", name)
        return value or None

    return parse


def _fixed_f(*choices):
    def parse(value, ctx):
        if value not in choices:
            raise bad_request(
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
