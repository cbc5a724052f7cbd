"""Stage 1 of places: the offline gazetteer (GeoNames + Natural Earth + curated regions + the
analyst's own places), its name keys and its runtime index.

Owns: ``Place`` (``place``), name folding (``normalize``), the index built from
``gazetteer/data`` (``index``), lookups by name, id, admin code and point (``lookup``) and
user places (``user``). May import ``geo.common`` and ``geo.exc`` only.
"""

from geo.gazetteer.lookup import ATTRIBUTION, DATA_DIR, Gazetteer
from geo.gazetteer.normalize import fold
from geo.gazetteer.place import COUNTRY_CODES, Place

__all__ = ["ATTRIBUTION", "COUNTRY_CODES", "DATA_DIR", "Gazetteer", "Place", "fold"]
