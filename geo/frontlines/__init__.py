"""Front lines as dated geometry: versions of areas of control or lines, read from GIS files.

``read_front_lines(path, valid_from=…)`` reads GeoJSON, KML/KMZ or GeoPackage through GDAL;
the stores keep each :class:`FrontLineVersion` (``EventStore.put_front_lines``) and
:func:`in_force` picks the versions in force at a date. Imports ``geo.exc`` and, when a file
is read, pyogrio, shapely and pyproj.
"""

from geo.frontlines.model import (
    GEOMETRY_TYPES,
    FrontLineVersion,
    in_force,
    parse_valid_from,
    validity,
    version_key,
)
from geo.frontlines.reader import SUFFIXES, read_front_lines

__all__ = [
    "GEOMETRY_TYPES",
    "SUFFIXES",
    "FrontLineVersion",
    "in_force",
    "parse_valid_from",
    "read_front_lines",
    "validity",
    "version_key",
]
