"""``BBox``: a WGS84 box ``(min_lon, min_lat, max_lon, max_lat)``, parsed and checked once.

The antimeridian rule (RFC 7946, section 5.2): a box whose ``min_lon`` is greater than its
``max_lon`` crosses the antimeridian, e.g. ``170,-20,-170,-10`` covers 170°E to 170°W. The
API, the CLI, the store's query compilation and the static maps all take their boxes from
here, so they agree on what a box means.
"""

from __future__ import annotations

import math

from geo.common.excerpt import excerpt
from geo.exc import ValidationError

__all__ = ["BBox"]

_EXPECTED = "four numbers min_lon,min_lat,max_lon,max_lat"
_EXPECTED_TEXT = "four comma-separated numbers min_lon,min_lat,max_lon,max_lat"


class BBox(tuple):
    """A box in WGS84 degrees: ``(min_lon, min_lat, max_lon, max_lat)``, a 4-tuple.

    Longitudes lie in [-180, 180] and latitudes in [-90, 90] with ``min_lat <= max_lat``;
    ``min_lon > max_lon`` is a box crossing the antimeridian.

    Parameters
    ----------
    min_lon, min_lat, max_lon, max_lat : float
        The box's edges (numbers; booleans and text are refused).
    field : str, default "bbox"
        Named in error messages.

    Raises
    ------
    ValidationError
        Naming ``field`` when a value is not a finite number in range, or
        ``min_lat > max_lat``.

    Examples
    --------
    >>> box = BBox.parse("170,-20,-170,-10")
    >>> box.crosses_antimeridian, box.lon_ranges()
    (True, ((170.0, 180.0), (-180.0, -170.0)))
    >>> BBox(30, 44, 40, 53).contains(36.2, 51.7)
    True
    """

    __slots__ = ()

    def __new__(cls, min_lon, min_lat, max_lon, max_lat, *, field="bbox", text=None):
        shown = f" in {excerpt(text)}" if text is not None else ""
        values = []
        for name, value, limit, kind in (
            ("min_lon", min_lon, 180, "longitudes"),
            ("min_lat", min_lat, 90, "latitudes"),
            ("max_lon", max_lon, 180, "longitudes"),
            ("max_lat", max_lat, 90, "latitudes"),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValidationError(
                    f"{field} must be {_EXPECTED}; got {excerpt(value)} as {name}{shown}",
                    field=field,
                )
            number = float(value)
            if not math.isfinite(number):
                raise ValidationError(
                    f"{field} must be {_EXPECTED}, all finite; got {excerpt(value)} as "
                    f"{name}{shown}",
                    field=field,
                )
            if not -limit <= number <= limit:
                raise ValidationError(
                    f"{field} {kind} must be in [-{limit}, {limit}]; got {name} {number:g}{shown}",
                    field=field,
                )
            values.append(number)
        if values[1] > values[3]:
            raise ValidationError(
                f"{field} min_lat {values[1]:g} is above max_lat {values[3]:g}{shown}; expected "
                "latitudes with min_lat <= max_lat",
                field=field,
            )
        return super().__new__(cls, values)

    def __getnewargs__(self):
        return tuple(self)

    @classmethod
    def parse(cls, text, *, field="bbox"):
        """Return the box written ``min_lon,min_lat,max_lon,max_lat``.

        Six numbers are a 3D box (OGC API - Features): its heights (3rd and 6th) are dropped.

        Raises
        ------
        ValidationError
            Naming ``field`` for any other text.

        Examples
        --------
        >>> BBox.parse("30,44,40,53")
        BBox(30.0, 44.0, 40.0, 53.0)
        """
        if not isinstance(text, str):
            raise ValidationError(
                f"{field} must be {_EXPECTED_TEXT}; got {excerpt(text)}", field=field
            )
        parts = [p.strip() for p in text.split(",")]
        if len(parts) not in (4, 6):
            raise ValidationError(
                f"{field} must be {_EXPECTED_TEXT}; got {len(parts)} values in {excerpt(text)}",
                field=field,
            )
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise ValidationError(
                f"{field} must be {_EXPECTED_TEXT}; got {excerpt(text)}", field=field
            ) from None
        if len(numbers) == 6:
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
        return cls(*numbers, field=field, text=text)

    @classmethod
    def of(cls, value, *, field="bbox"):
        """Return ``value`` as a BBox: a BBox as it is, text parsed, a 4-sequence checked.

        Raises
        ------
        ValidationError
            Naming ``field`` when ``value`` is none of these.
        """
        if isinstance(value, BBox):
            return value
        if isinstance(value, str):
            return cls.parse(value, field=field)
        try:
            items = tuple(value)
        except TypeError:
            items = ()
        if len(items) != 4:
            raise ValidationError(f"{field} must be {_EXPECTED}; got {excerpt(value)}", field=field)
        return cls(*items, field=field)

    min_lon = property(lambda self: self[0], doc="Western edge (degrees).")
    min_lat = property(lambda self: self[1], doc="Southern edge (degrees).")
    max_lon = property(lambda self: self[2], doc="Eastern edge (degrees).")
    max_lat = property(lambda self: self[3], doc="Northern edge (degrees).")

    @property
    def crosses_antimeridian(self):
        """Whether the box runs east from ``min_lon`` across 180° to ``max_lon``."""
        return self[0] > self[2]

    def lon_ranges(self):
        """Return the box's longitude ranges ``((west, east), …)``: two when it crosses."""
        if self.crosses_antimeridian:
            return ((self[0], 180.0), (-180.0, self[2]))
        return ((self[0], self[2]),)

    def contains(self, lon, lat):
        """Return whether the point ``(lon, lat)`` lies in the box (edges included)."""
        if not self[1] <= lat <= self[3]:
            return False
        return any(west <= lon <= east for west, east in self.lon_ranges())

    def intersects(self, bounds):
        """Return whether ``bounds`` ``(min_lon, min_lat, max_lon, max_lat)`` (not crossing)
        meets the box."""
        if bounds[3] < self[1] or bounds[1] > self[3]:
            return False
        return any(bounds[2] >= west and bounds[0] <= east for west, east in self.lon_ranges())

    def __repr__(self):
        return f"BBox({self[0]!r}, {self[1]!r}, {self[2]!r}, {self[3]!r})"

    def __str__(self):
        """The box as the ``bbox`` parameter writes it: ``min_lon,min_lat,max_lon,max_lat``."""
        return ",".join(str(int(v)) if v.is_integer() else repr(v) for v in self)
