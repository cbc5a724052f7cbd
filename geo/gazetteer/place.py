"""Place: one frozen gazetteer record (a populated place, an admin unit, a country or a region)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COUNTRY_CODES",
    "POSTAL_ID_RANGE",
    "PRECISION_BY_FEATURE",
    "REGION_ID_RANGE",
    "USER_ID_RANGE",
    "Place",
    "precision_of",
]

#: Feature codes of whole countries (and country-like units) in GeoNames.
COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
#: Geographic precision of a place, from its feature code (populated places are "exact").
PRECISION_BY_FEATURE = {"ADM1": "admin1", "ADM2": "admin2", "RGN": "region"}
#: Ids of curated regions: above GeoNames' 32-bit signed ids, so they cannot collide.
REGION_ID_RANGE = range(3_000_000_000, 3_100_000_000)
#: Ids given to an analyst's own places that carry no GeoNames id.
USER_ID_RANGE = range(3_100_000_000, 3_200_000_000)
#: Ids of villages built from the GeoNames postal-code files (no GeoNames id of their own).
POSTAL_ID_RANGE = range(3_200_000_000, 3_300_000_000)


def precision_of(feature_class, feature_code):
    """Return the precision a place of this kind gives an event.

    Parameters
    ----------
    feature_class : str
        GeoNames feature class ("P", "A", "L").
    feature_code : str
        GeoNames feature code ("PPL", "ADM1", "PCLI", "RGN"...).

    Returns
    -------
    str
        One of "exact", "admin2", "admin1", "region", "country".

    Examples
    --------
    >>> precision_of("A", "ADM1")
    'admin1'
    >>> precision_of("P", "PPLA")
    'exact'
    """
    if feature_code in COUNTRY_CODES:
        return "country"
    if feature_code in PRECISION_BY_FEATURE:
        return PRECISION_BY_FEATURE[feature_code]
    if feature_code.startswith("ADM"):
        return "admin2"
    if feature_class == "L":
        return "region"
    return "exact"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer record.

    Attributes
    ----------
    geonameid : int
        GeoNames id; curated regions and analysts' places use the ranges
        :data:`REGION_ID_RANGE` and :data:`USER_ID_RANGE`.
    name : str
        Preferred name.
    lat, lon : float
        WGS84 point (the place itself, or a representative point of an area).
    feature_class, feature_code : str
        GeoNames feature class ("P", "A", "L") and code (PPL, PPLA, ADM1, PCLI, RGN...).
    country_code : str
        ISO 3166-1 alpha-2 code (Crimea and Sevastopol are "UA").
    admin1_code, admin1_name : str or None
        GeoNames first-level division code ("41") and its name ("Kursk Oblast").
    admin2_code : str or None
        GeoNames second-level division code.
    population : int
        Population (0 when unknown; the sum of member places for areas).
    precision : str
        "exact", "near", "admin2", "admin1", "region" or "country" ("near" and "admin2" for
        populated places whose point is only approximate, from the postal files).
    source : str
        "geonames", "geonames+naturalearth", "geonames-postal-ua", "geonames-postal-ru",
        "curated" or "user".
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str | None
    admin1_name: str | None
    admin2_code: str | None
    population: int
    precision: str
    source: str

    @property
    def is_area(self):
        """True for admin units, countries and regions (places drawn as areas)."""
        return self.precision != "exact"

    def to_dict(self):
        """Return the record as a JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}
