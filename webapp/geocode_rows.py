"""One geocoding query as the JSON row both the CLI (``conflictmap geocode``) and the HTTP
API (``/api/geocode``) answer with: the contract keys, never an exception for bad input."""

from __future__ import annotations

import re

__all__ = ["ECHO_LIMIT", "empty_row", "geocode_line"]

#: Longest query echoed back in full; longer ones are cut and flagged.
ECHO_LIMIT = 300
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def empty_row(query, error=None):
    """Return a not-found row for ``query`` (with ``error`` when the input was unusable)."""
    row = {
        "query": query if len(query) <= ECHO_LIMIT else query[:ECHO_LIMIT] + "…",
        "lat": None, "lon": None, "geonameid": None, "feature_code": None,
        "country_code": None, "precision": None, "score": None, "name": None,
    }  # fmt: skip
    if len(query) > ECHO_LIMIT:
        row["query_truncated"] = True
    if error:
        row["error"] = error
    return row


def geocode_line(geocoder, query, **options):
    """Geocode one query and return the CLI's JSON-ready row (never raises for bad input).

    Parameters
    ----------
    geocoder : GazetteerGeocoder
        The geocoder.
    query : str or bytes
        One input line (bytes are decoded as UTF-8; invalid bytes give an error row).
    **options
        Passed to :meth:`GazetteerGeocoder.geocode` (``country_codes``, ``feature_classes``).

    Returns
    -------
    dict
        ``query, lat, lon, geonameid, feature_code, country_code, precision, score, name``,
        plus ``admin1``, ``feature_class``, ``population`` when found and ``error`` when the
        input was not a usable query.
    """
    from geo.geoparse.geocoder import MAX_QUERY_LENGTH

    if isinstance(query, bytes):
        try:
            query = query.decode("utf-8")
        except UnicodeDecodeError as err:
            text = query.decode("utf-8", errors="replace")
            return empty_row(text, f"The line is not valid UTF-8 (byte {err.start}).")
    if not query.strip():
        return empty_row(query, "The query is empty; expected a place name.")
    if _CONTROL.search(query):
        return empty_row(query, f"The query contains control characters: {query[:80]!r}.")
    if len(query) > MAX_QUERY_LENGTH:
        return empty_row(
            query,
            f"The query is {len(query)} characters long; a place name has at most "
            f"{MAX_QUERY_LENGTH}.",
        )
    loc = geocoder.geocode(query, **options)
    if loc is None:
        return empty_row(query)
    raw = loc.raw
    row = empty_row(query)
    row.update(
        lat=round(loc.latitude, 6), lon=round(loc.longitude, 6), geonameid=raw["geonameid"],
        feature_code=raw["feature_code"], country_code=raw["country_code"],
        precision=raw["precision"], score=raw["score"], name=raw["name"],
        admin1=raw["admin1_name"], feature_class=raw["feature_class"],
        population=raw["population"], address=loc.address,
    )  # fmt: skip
    return row
