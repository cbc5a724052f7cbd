"""Coordinates: validate (lat, lon) pairs; (lat, lon) inside, [lon, lat] only in GeoJSON."""

from __future__ import annotations

import math

__all__ = ["parse_lat_lon", "validate_lat_lon"]


def validate_lat_lon(lat, lon, *, name="point"):
    """Return ``(lat, lon)`` as floats after checking them.

    Parameters
    ----------
    lat, lon : float or str
        Latitude and longitude in degrees (WGS84).
    name : str, default "point"
        Named in the error message.

    Raises
    ------
    ValueError
        When a value is not a finite number in [-90, 90] / [-180, 180].

    Examples
    --------
    >>> validate_lat_lon("51.7", 36.2)
    (51.7, 36.2)
    """
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be two numbers (lat, lon); got {(lat, lon)!r}") from err
    if not (math.isfinite(lat_f) and -90 <= lat_f <= 90):
        raise ValueError(f"{name} latitude must be between -90 and 90; got {lat!r}")
    if not (math.isfinite(lon_f) and -180 <= lon_f <= 180):
        raise ValueError(f"{name} longitude must be between -180 and 180; got {lon!r}")
    return lat_f, lon_f


def parse_lat_lon(value, *, name="point"):
    """Return ``(lat, lon)`` from a pair, a "lat, lon" string or a geopy ``Point``.

    Raises
    ------
    ValueError
        When the value is not a point in one of these forms, or out of range.

    Examples
    --------
    >>> parse_lat_lon("51.73, 36.19")
    (51.73, 36.19)
    """
    if hasattr(value, "latitude") and hasattr(value, "longitude"):
        return validate_lat_lon(value.latitude, value.longitude, name=name)
    if isinstance(value, str):
        parts = value.replace(";", ",").split(",")
        if len(parts) != 2:
            raise ValueError(f"{name} must be written 'lat, lon'; got {value!r}")
        return validate_lat_lon(parts[0].strip(), parts[1].strip(), name=name)
    try:
        lat, lon = value
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a (lat, lon) pair; got {value!r}") from err
    return validate_lat_lon(lat, lon, name=name)
