"""The attribution the data's licences require, written once for maps, exports and docs."""

__all__ = ["ATTRIBUTION"]

#: GeoNames (CC BY 4.0) and Natural Earth (public domain, credit requested).
ATTRIBUTION = (
    "Contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0. "
    "Made with Natural Earth (public domain)."
)
