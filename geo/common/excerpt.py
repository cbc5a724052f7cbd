"""Short quotes of received values for error messages, however large the value is."""

from __future__ import annotations

import reprlib

__all__ = ["excerpt"]

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxstring = _REPR.maxother = 60


def excerpt(value, limit=60):
    """Return ``repr(value)`` cut to about ``limit`` characters, saying how long it was.

    Error messages quote what they received; a value of megabytes (an expanded YAML alias,
    an upload) or nested a thousand deep must not make a message of megabytes (or fail).

    Examples
    --------
    >>> excerpt("2025-02-30")
    "'2025-02-30'"
    >>> excerpt("x" * 1000, 10)
    "'xxxxxxxxxx'… (1000 characters)"
    >>> excerpt([[[[[1]]]]])
    '[[[[...]]]]'
    """
    if isinstance(value, str | bytes):
        if len(value) <= limit:
            return repr(value)
        unit = "characters" if isinstance(value, str) else "bytes"
        return f"{value[:limit]!r}… ({len(value)} {unit})"
    text = _REPR.repr(value)
    return text if len(text) <= 2 * limit else text[: 2 * limit] + "…"
