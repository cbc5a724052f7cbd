"""The document as context for ranking its names: its countries, admin1 units and places.

Every name of a document is ranked by the geocoder's one scoring function
(:meth:`GazetteerGeocoder.candidates` with a :class:`Context`): population and feature
class as priors, plus what the document says: the countries it names (by name, demonym
or unambiguous large place), the first-level units it names as such ("the Donetsk
region"), and, in a second pass, a point near the places already resolved with
confidence (:class:`DocumentContext` ``near``).
"""

from __future__ import annotations

import math

from geo.gazetteer.normalize import fold
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.geocoder import MAX_CONTEXT_BONUS, Context, GazetteerGeocoder
from geo.geoparse.toponyms import common_word

__all__ = ["DocumentContext", "distance_km", "geocoder_for", "lookup"]

_GEOCODERS = {}
_LOOKUPS = {}
# Ranked candidates by (geocoder, name, wording, document context): documents about one
# conflict share their context, and the geocoder only caches answers without context.
_CONTEXT_CACHE = {}
_CACHE_SIZE = 50_000
#: Feature codes of units whose name keeps a unit's sense (see ``DocumentContext.rank``).
_UNITS = COUNTRY_CODES | {"ADM1", "RGN"}
#: A populated place smaller than this does not take a unit's name from it.
_TOWN = 100_000
#: Candidates kept per name: the second pass looks for the one near the document's places
#: among them (the Rochester of Illinois is the tenth largest Rochester).
_KEEP = 15


def distance_km(a, b):
    """Return the great-circle distance in km between two places (or ``(lat, lon)`` pairs).

    The haversine formula on a sphere of radius 6,371 km, as geopy's ``great_circle``
    computes it, inline: the second pass of a document measures thousands of pairs.

    Examples
    --------
    >>> round(distance_km((50.45, 30.52), (49.99, 36.23)))
    410
    """
    lat1, lon1 = (a.lat, a.lon) if hasattr(a, "lat") else a
    lat2, lon2 = (b.lat, b.lon) if hasattr(b, "lat") else b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def lookup(gaz, key):
    """Return ``gaz.lookup(key)``, remembered per gazetteer (names repeat across documents)."""
    cache = _LOOKUPS.get(id(gaz))
    if cache is None or cache[0] is not gaz:
        cache = _LOOKUPS[id(gaz)] = (gaz, {})
    found = cache[1].get(key)
    if found is None:
        if len(cache[1]) > 100_000:
            cache[1].clear()
        found = cache[1][key] = gaz.lookup(key)
    return found


def geocoder_for(gaz):
    """Return one geocoder per gazetteer, so that its cache serves every document."""
    geocoder = _GEOCODERS.get(id(gaz))
    if geocoder is None or geocoder.gazetteer is not gaz:
        geocoder = _GEOCODERS[id(gaz)] = GazetteerGeocoder(gaz)
    return geocoder


def _document_countries(spans, gaz):
    """Return ``{country: weight}`` from country names, demonyms and unambiguous names."""
    counts = {}
    for span in spans:
        if span.kind == "demonym":
            continue  # "Russian troops attacked Kupiansk": who, not where
        if span.country:
            counts[span.country] = counts.get(span.country, 0) + 1
            continue
        places = lookup(gaz, span.key)
        countries = [p for p in places if p.feature_code in COUNTRY_CODES]
        if countries and fold(countries[0].name) == span.key:
            cc = countries[0].country_code
            # "Georgia" is also a US state: a name shared with a large unit elsewhere is
            # weaker evidence of the country.
            shared = any(p.country_code != cc and p.feature_code == "ADM1" for p in places)
            counts[cc] = counts.get(cc, 0) + (0.5 if shared else 1)
        elif (
            places
            and len({p.country_code for p in places}) == 1
            and not common_word(span.text)
            and any(p.feature_class != "P" or p.population >= 50_000 for p in places)
        ):
            cc = places[0].country_code
            counts[cc] = counts.get(cc, 0) + 0.5
    if not counts:
        return {}
    top = max(counts.values())
    return {cc: round(min(1.0, n / top + 0.25), 3) for cc, n in counts.items()}


class DocumentContext:
    """Rank a document's names with what the document says.

    Parameters
    ----------
    spans : list of Span
        The document's candidate spans (names, demonyms, abbreviations).
    geocoder : GazetteerGeocoder
        Ranks the candidates.

    Attributes
    ----------
    countries : dict of str to float
        Weight of each country the document names (:class:`Context` ``countries``).
    admin1 : set of (str, str)
        First-level units the document names as such, read with its countries.
    """

    def __init__(self, spans, geocoder):
        self.geocoder = geocoder
        self.countries = _document_countries(spans, geocoder.gazetteer)
        self.admin1 = frozenset()
        self._cache = {}
        admin1 = set()
        for span in spans:
            if span.kind != "name" or not (span.area or " " in span.key):
                continue
            # The unit a strong name stands for, read with the document's countries: "the
            # Donetsk region of Ukraine" is Donetsk Oblast, not the first Donetsk listed.
            for place, _score in self.rank(span.query, area=span.area)[:1]:
                if place.admin1_code and self.countries.get(place.country_code):
                    admin1.add((place.country_code, place.admin1_code))
        self.admin1 = frozenset(admin1)
        self._cache = {}  # rankings made before the admin1 units were known are stale

    def widened(self, places):
        """Return this context with the first-level units of ``places`` added (the places
        the document names with confidence: "Pittsburgh" makes Pennsylvania's
        Lawrenceville likelier)."""
        extra = {(p.country_code, p.admin1_code) for p in places if p.admin1_code}
        if extra <= self.admin1:
            return self
        other = object.__new__(DocumentContext)
        other.geocoder, other.countries = self.geocoder, self.countries
        other.admin1 = self.admin1 | extra
        other._cache = {}
        return other

    def rank(self, query, *, area=False, near=None):
        """Return the ranked ``[(Place, score)]`` of a name in this document, best first.

        Parameters
        ----------
        query : str
            The name as written, or qualified ("Heorhiivka, Donetsk region").
        area : bool, default False
            The text calls it a region.
        near : (float, float), optional
            A point the other places of the document make likely.
        """
        key = (query, area, near)
        if key not in self._cache:
            try:
                self._cache[key] = self._candidates(query, area, near)
            except (ValueError, TypeError, LookupError):
                self._cache[key] = []  # one bad name never spoils the rest
        return self._cache[key]

    def _candidates(self, query, area, near):
        ranked = self._ranked(query, area, near)
        if not area and ranked and ranked[0][0].feature_class == "P":
            plain = self.geocoder.candidates(query)[:1]
            top = ranked[0][0]
            if (
                plain
                and plain[0][0].feature_code in _UNITS
                and (top.population < _TOWN or fold(top.name) != fold(query))
            ):
                # A name whose own first sense is a country or a first-level unit keeps a
                # unit's sense: the document's countries choose among units ("Georgia", the
                # state or the country), they do not make it a village ("Mexico", Indiana)
                # nor a town abroad that lists the name among its other names (a country's
                # name given to a foreign city by some language).
                units = [(p, s) for p, s in ranked if p.feature_code in _UNITS]
                if units:
                    return [units[0], *[item for item in ranked if item is not units[0]]]
                return [plain[0], *ranked]
        return ranked

    def _ranked(self, query, area, near):
        """Return the ranking, with the document as context when it can matter.

        Without context the geocoder caches answers across documents; when the best
        candidate leads the next by more than the context could add (and the text does
        not call the name a region, and no point is given), that cached ranking is used.
        """
        geocoder = self.geocoder
        if not area and near is None:
            ranked = geocoder.candidates(query)[:_KEEP]
            if len(ranked) < 2 or ranked[0][1] - ranked[1][1] > MAX_CONTEXT_BONUS:
                return ranked
        key = (id(geocoder), query, area, near, tuple(sorted(self.countries.items())),
               tuple(sorted(self.admin1)))  # fmt: skip
        ranked = _CONTEXT_CACHE.get(key)
        if ranked is None:
            ctx = Context(countries=self.countries, admin1=set(self.admin1), prefer_area=area,
                          near=near)  # fmt: skip
            ranked = geocoder.candidates(query, context=ctx)[:_KEEP]
            if len(_CONTEXT_CACHE) > _CACHE_SIZE:
                _CONTEXT_CACHE.clear()
            _CONTEXT_CACHE[key] = ranked
        return ranked
