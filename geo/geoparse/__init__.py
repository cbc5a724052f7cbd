"""Stage 2 of places: names in text and queries to places, with the document as context.

Owns: the geopy-compatible ``GazetteerGeocoder`` and its ranking (``geocoder``), place-name
spans in running text (``toponyms``) and ``geoparse(text)`` → ``Mention`` list (``resolve``).
May import ``geo.gazetteer``, ``geo.common`` and ``geo.exc``.
"""

from geo.geoparse.geocoder import Context, GazetteerGeocoder
from geo.geoparse.resolve import Mention, geoparse

__all__ = ["Context", "GazetteerGeocoder", "Mention", "geoparse"]
