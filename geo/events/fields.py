"""Checks of single event fields: ids, text, numbers, choices and URLs, with clear messages.

The bounds are those every export format can write: integers within ±(2^53 - 1) (exact in
JavaScript and in every GeoJSON reader, and far inside GeoPackage's 64-bit integers), text
without NUL or lone surrogates (which neither UTF-8 nor GDAL can carry), and ids that stay one
URL path segment.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from geo.common.excerpt import excerpt
from geo.exc import ValidationError

__all__ = [
    "ID_PATTERN",
    "ID_RULE",
    "MAX_INT",
    "MAX_TAGS",
    "MAX_TAG_CHARS",
    "check_id",
    "check_tags",
    "check_url",
    "choice",
    "opt_int",
    "opt_number",
    "opt_str",
]

#: Largest integer an event may hold (counts, offsets, geonameid): 2^53 - 1.
MAX_INT = 2**53 - 1
#: Event ids: a letter or digit, then letters, digits, ``.``, ``_``, ``:``, ``~`` or ``-``.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$"
ID_RULE = (
    "1 to 200 characters: ASCII letters, digits, '.', '_', ':', '~' and '-', starting with a "
    "letter or digit"
)
_ID = re.compile(ID_PATTERN)
#: What UTF-8 text (and so JSON, SQLite, GDAL) cannot hold: NUL and lone surrogates.
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
_URL_SCHEMES = ("http", "https")


def check_id(value, *, field="event_id"):
    """Return ``value`` if it is a valid event id (see ``ID_RULE``).

    Raises
    ------
    ValidationError
        Naming ``field`` otherwise ("../../x", "a b", 300 characters).

    Examples
    --------
    >>> check_id("ev-0123abcd")
    'ev-0123abcd'
    """
    if not isinstance(value, str) or not _ID.match(value):
        raise ValidationError(f"{field} must be {ID_RULE}; got {excerpt(value)}", field=field)
    return value


def opt_str(data, key, *, max_len=100_000):
    """Return ``data[key]`` as text, None when absent or empty.

    Raises
    ------
    ValidationError
        When the value is not text, is longer than ``max_len`` or holds NUL or a lone
        surrogate.
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{key} must be a string; got {excerpt(value)}", field=key)
    if len(value) > max_len:
        raise ValidationError(
            f"{key} must be at most {max_len} characters; got {len(value)}", field=key
        )
    bad = _UNWRITABLE.search(value)
    if bad:
        raise ValidationError(
            f"{key} holds a character no export can write ({bad.group()!r} at {bad.start()}); "
            f"got {excerpt(value)}",
            field=key,
        )
    return value


def choice(data, key, choices, default=None):
    """Return ``data[key]`` (or ``default``) if it is one of ``choices``."""
    value = data.get(key, default)
    if not isinstance(value, str | type(None)) or value not in choices:
        raise ValidationError(
            f"{key} must be one of {', '.join(choices)}; got {excerpt(value)}", field=key
        )
    return value


def opt_number(data, key, *, lo, hi):
    """Return ``data[key]`` as a float in ``[lo, hi]``, None when absent.

    Only numbers are numbers: ``true`` or ``"51.7"`` are refused.
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(
            f"{key} must be a number (not text or a boolean); got {excerpt(value)}", field=key
        )
    number = float(value)
    if not math.isfinite(number) or not lo <= number <= hi:
        raise ValidationError(f"{key} must be in [{lo}, {hi}]; got {excerpt(value)}", field=key)
    return number


def opt_int(data, key, *, lo=0, hi=MAX_INT):
    """Return ``data[key]`` as an int in ``[lo, hi]`` (digits as text count), None when absent."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(f"{key} must be an integer; got {excerpt(value)}", field=key)
    try:
        number = int(value) if isinstance(value, int) or len(value) <= 30 else None
    except ValueError:
        number = None
    if number is None:
        raise ValidationError(f"{key} must be an integer; got {excerpt(value)}", field=key)
    if number < lo:
        raise ValidationError(f"{key} must be >= {lo}; got {excerpt(value)}", field=key)
    if number > hi:
        raise ValidationError(
            f"{key} must be at most {hi:,} (2^53 - 1, what every export can write); got "
            f"{excerpt(value)}",
            field=key,
        )
    return number


def check_url(value, *, field="url"):
    """Return ``value`` if it is an absolute http or https URL (None stays None).

    Raises
    ------
    ValidationError
        For any other scheme (``javascript:``, ``data:``, ``file:``) or a URL without a host.

    Examples
    --------
    >>> check_url("https://news.example/a")
    'https://news.example/a'
    """
    if value is None:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in _URL_SCHEMES or not parts.netloc:
        raise ValidationError(
            f"{field} must be an http or https URL like 'https://news.example/report'; got "
            f"{excerpt(value)}",
            field=field,
        )
    return value


#: Most tags of an event, and the longest tag.
MAX_TAGS, MAX_TAG_CHARS = 100, 200


def check_tags(tags):
    """Return ``tags`` as a tuple of text, checked (count, length, characters)."""
    if not isinstance(tags, list | tuple):
        raise ValidationError(
            f"tags must be a list of strings (or a comma-separated string); got {excerpt(tags)}",
            field="tags",
        )
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"tags must be at most {MAX_TAGS}; got {len(tags)}", field="tags")
    out = []
    for tag in tags:
        if isinstance(tag, bool) or not isinstance(tag, str | int | float):
            raise ValidationError(f"each tag must be a string; got {excerpt(tag)}", field="tags")
        out.append(opt_str({"tags": str(tag)}, "tags", max_len=MAX_TAG_CHARS) or "")
    return tuple(out)
