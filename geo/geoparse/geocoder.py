"""GazetteerGeocoder: geopy's Geocoder contract over the offline gazetteer, ranked candidates."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from geopy.location import Location
from geopy.point import Point

from geo.common.cache import bounded_put
from geo.common.coords import parse_lat_lon
from geo.gazetteer.lookup import LATIN_ALT, MAIN, NATIVE_ALT, Gazetteer
from geo.gazetteer.normalize import fold, skeleton, strip_qualifiers
from geo.gazetteer.place import COUNTRY_CODES

__all__ = [
    "CACHE_SIZE",
    "MAX_CONTEXT_BONUS",
    "MAX_QUERY_LENGTH",
    "MIN_SCORE",
    "Context",
    "GazetteerGeocoder",
]

#: Below this score ``geocode`` answers None: a weak match is reported as not found.
MIN_SCORE = 0.6
#: Largest score a document context (countries and admin1 units) adds to a candidate.
MAX_CONTEXT_BONUS = 0.35
#: Margin of weight by which the document's leading country counts as fully leading.
_LEAD_MARGIN = 0.25
#: A town of this many people makes its name mean the town anywhere in its country.
_CITY = 100_000
#: Readings of a qualifier this close to its best one are all used as hints.
_QUALIFIER_SPREAD = 0.2
#: Longer queries are not place names; ``geocode`` answers None without looking.
MAX_QUERY_LENGTH = 300

_NAME_STRENGTH = {MAIN: 1.0, NATIVE_ALT: 0.95, LATIN_ALT: 0.8}
#: Results of this many distinct queries (without context) are kept; batches repeat names.
CACHE_SIZE = 50_000
#: Names whose matching gazetteer rows, and their scores before context, are kept: documents
#: repeat names, each with its own context (see ``_candidates_for`` and ``_scored``).
_NAME_CACHE = 4096
_ADJECTIVE_SUFFIXES = ("skyi", "skyy", "skiy", "sky", "kyi", "kiy", "yi", "iy", "y", "ivskyi")
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLG"})
_FEATURE_BONUS = {
    "PPLC": 0.15, "PPLA": 0.10, "PPLG": 0.08, "PPLA2": 0.05, "PPLA3": 0.02,
    "PPLX": -0.10, "PPLL": -0.05, "PPLF": -0.10, "PPLH": -0.30, "PPLQ": -0.30, "PPLW": -0.30,
}  # fmt: skip
# "Donetsk - Petrovskyi" (ACLED's "city - district"); commas, semicolons and brackets split
# a name from its qualifiers ("Kherson, Kherson Oblast", "Pokrovsk (Donetsk Oblast)").
_DASH = re.compile(r"\s+[-–—]\s+")
_COMMA = re.compile(r"[,;()\[\]]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_IN = re.compile(r"\s+in\s+", re.IGNORECASE)
# Characters that make a query more than a bare name (any of the three patterns above).
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f,;()\[\]]|\s[-–—]")


@dataclass(frozen=True)
class Context:
    """Document-level hints for ranking (used by geoparsing).

    Parameters
    ----------
    countries : dict of str to float
        Weight in [0, 1] of each country (ISO alpha-2) in the document.
    admin1 : set of (str, str)
        ``(country_code, admin1_code)`` pairs of first-level units mentioned.
    prefer_area : bool
        The mention reads as an area ("X region", "X Oblast").
    near : (float, float) or None
        ``(lat, lon)`` of a point the text is about.
    """

    countries: dict = field(default_factory=dict)
    admin1: set = field(default_factory=set)
    prefer_area: bool = False
    near: tuple | None = None


def _base_importance(pop, fclass, fcode):
    """Return how likely a bare mention means this place, before the query's wording."""
    if fclass == "P" and pop < 500:
        pop = 500  # unknown (0) or tiny: the city tables list places from 500 people on
    p = min(1.0, math.log10(pop + 1) / 7)
    if fcode in COUNTRY_CODES:
        return 1.0
    if fcode == "RGN":
        return 0.9
    if fcode == "ADM1":
        return 0.75 + 0.1 * p
    if fcode.startswith("ADM"):
        return 0.5 + 0.1 * p
    return p + _FEATURE_BONUS.get(fcode, 0.0)


def _importance(imp, fclass, fcode, area, kind, has_populated):
    """Return how likely a mention means this place, in [0, 1] before clamping.

    ``imp`` is :func:`_base_importance`; ``kind`` the query's wording ("area"...).
    """
    is_unit = fcode.startswith("ADM")
    if kind == "area":
        if fclass == "P":
            imp -= 0.5
        elif fcode == "ADM1" or fcode == "RGN":
            # The larger unit of two with one name: "Kyiv Oblast", not Kyiv City.
            imp += 0.3 + 0.02 * math.log10(area + 1)
    elif kind == "district":
        imp += 0.45 if fcode == "ADM2" else (-0.2 if fclass == "P" else 0.0)
    elif kind == "place":
        imp -= 0.5 if fclass != "P" else 0.0
    elif is_unit:
        # A bare name that is both a town and a unit means the town ("Kursk", "Donetsk").
        imp -= 0.4 if has_populated else 0.1
    return imp


class GazetteerGeocoder:
    """Geocode place names offline, following geopy's Geocoder contract.

    ``geocode`` and ``reverse`` return None when nothing is found, one
    :class:`geopy.location.Location` when ``exactly_one`` is true, and a list otherwise.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Default: :meth:`Gazetteer.default`.
    min_score : float, default :data:`MIN_SCORE`
        Weakest score ``geocode`` still answers with.
    cache_size : int, default :data:`CACHE_SIZE`
        Distinct queries whose results are remembered (0: none, and the gazetteer rows
        matching a name are not remembered either).

    Examples
    --------
    >>> g = GazetteerGeocoder()
    >>> g.geocode("Kursk").raw["geonameid"]
    538560
    """

    def __init__(self, gazetteer=None, *, min_score=MIN_SCORE, cache_size=CACHE_SIZE):
        self.gazetteer = gazetteer or Gazetteer.default()
        self.min_score = min_score
        self.cache_size = cache_size
        self._cache = {}  # results of queries without context: batches repeat names
        self._found = {}  # (folded key, gazetteer size) -> what _find returns
        self._scores = {}  # (id of matches, kind, filters) -> (matches, _scored(...))
        self._rows = []  # static ranking data per gazetteer row (not per query), lazily
        self._addresses = {}  # "name, admin1, country" per geonameid

    # -- candidates -------------------------------------------------------------------------

    def _row(self, idx):
        """Return the static ranking data of a row, computed once per row.

        ``(population, feature_class, feature_code, area_km2, notable, skeleton of the main
        name, base importance)``; notable means a town (1,000 people or more, or an admin
        seat) or an area.
        """
        rows = self._rows
        if idx >= len(rows):  # the gazetteer grew (user places) or first use
            rows.extend([None] * (len(self.gazetteer) - len(rows)))
        row = rows[idx]
        if row is None:
            pop, fclass, fcode, area = self.gazetteer.row_rank_data(idx)
            notable = fclass != "P" or pop >= 1000 or fcode in _SEATS
            main_sk = skeleton(fold(self.gazetteer.name_at(idx))) if notable else None
            imp = _base_importance(pop, fclass, fcode)
            row = rows[idx] = (pop, fclass, fcode, area, notable, main_sk, imp)
        return row

    def _strength(self, idx, kind, sk, key):
        """Return how strongly the name ``key`` of kind ``kind`` (MAIN...) identifies row
        ``idx``; ``sk`` is the name's skeleton."""
        if kind != LATIN_ALT:
            return _NAME_STRENGTH[kind]
        row = self._row(idx)
        if not row[4]:
            # A village's alternate names mix in other villages' names (Plekhiv lists
            # "Plekhovo"); one that only romanises its own name otherwise is its own.
            if key in _romanisations(fold(self.gazetteer.name_at(idx))):
                return 0.95
            return 0.75
        if row[5] == sk:
            return 0.95
        return _NAME_STRENGTH[LATIN_ALT]

    def _matches(self, key, *, near_matches=True):
        """Return ``{row: name strength}`` for a folded key.

        Main names count 1.0; Cyrillic alternate names 0.95; a Latin alternate name that is
        a spelling variant of the main name (same consonant skeleton) 0.95 for towns, and
        other Latin alternate names 0.8 (0.75 for villages under 1,000 people, whose
        alternate names mix in neighbouring-language forms of other villages' names, unless
        the alternate name only romanises the main one otherwise: 0.95). A key no place has
        is read through other romanisations (:func:`_romanisations`: "Sudja" as Sudzha),
        villages included, at 0.95 of their strength. Names of towns with the query's
        consonant skeleton, or one edit away when only villages carry the name, count their
        own strength times their similarity.
        """
        gaz = self.gazetteer
        row_of = self._row
        found = {}
        sk = skeleton(key)
        for idx, kind in gaz.entries(key):
            strength = self._strength(idx, kind, sk, key)
            if strength > found.get(idx, 0.0):
                found[idx] = strength
        if not found and near_matches:
            # An unknown name may be another romanisation of a known one ("Sudja" for
            # Sudzha, "Staromayorske" for Staromaiorske): villages included, a little weaker.
            for name in gaz.known_keys(_romanisations(key)):
                name_sk = skeleton(name)
                for idx, kind in gaz.entries(name):
                    strength = self._strength(idx, kind, name_sk, name) * _ROMANISATION_STRENGTH
                    if strength > found.get(idx, 0.0):
                        found[idx] = strength
        if len(key) < 4 or not near_matches:
            return found
        # A near match only matters when it is more populous than the strong exact ones.
        floor = -1
        for i, st in found.items():
            if st >= 0.95:
                row = row_of(i)
                if row[1] == "P" and row[0] > floor:
                    floor = row[0]
        near = set(gaz.skeleton_keys(sk, min_population=floor)) if len(sk) >= 4 else set()
        if not found or (len(key) >= 6 and not any(row_of(i)[4] for i in found)):
            near |= gaz.known_keys(_edits1(key, swaps_only=len(key) < 6))
        near.discard(key)
        if not near:
            return found
        compact = key.replace(" ", "")
        letters = _letter_counts(compact)
        todo = []
        for name in near:
            rows = []
            for i, kind in gaz.entries(name):
                if i not in found:
                    row = row_of(i)
                    if row[0] > floor and row[4]:
                        rows.append((i, kind))
            if not rows:
                continue
            other = name.replace(" ", "")
            bound = _shared_ratio(letters, len(compact), other)  # >= the similarity
            if bound >= 0.75:
                name_sk = skeleton(name)
                todo.append(
                    (
                        bound,
                        name,
                        other,
                        [(i, self._strength(i, k, name_sk, name)) for i, k in rows],
                    )
                )
        # Most similar first, so that names that cannot raise a place's best are skipped.
        todo.sort(reverse=True)
        best = {}
        for bound, _name, other, rows in todo:
            if all(st * bound * 0.9 <= best.get(idx, 0.0) for idx, st in rows):
                continue
            ratio = _similarity(compact, other)
            if ratio < 0.75:
                continue
            for idx, st in rows:
                # An exact name, even an alternate one, outranks a near one of equal weight.
                strength = st * ratio * 0.9
                if strength > best.get(idx, 0.0):
                    best[idx] = strength
        found.update(best)
        return found

    def _notable(self, idx):
        """Return True for towns (1,000 people or more, or admin seats) and areas."""
        return self._row(idx)[4]

    def _rank(self, matches, *, kind, context, country_codes, feature_classes, hints):
        countries, lead, hinted, admin1, hinted_admin1, near = _hint_terms(context, hints)
        ranked = []
        for score, place, fcode in self._scored(matches, kind, country_codes, feature_classes):
            cc = place.country_code
            if countries or admin1:
                # The document: its countries, the one it is most about, its admin1 units.
                bonus = 0.2 * countries.get(cc, 0.0) + 0.15 * lead.get(cc, 0.0)
                if fcode != "ADM1" and (cc, place.admin1_code) in admin1:
                    bonus += 0.15
                score += min(MAX_CONTEXT_BONUS, bonus)
            if hinted or hinted_admin1:
                # The query's own qualifiers ("Kherson, Kherson Oblast", "X, Ukraine").
                bonus = 0.2 * hinted.get(cc, 0.0)
                if fcode != "ADM1" and (cc, place.admin1_code) in hinted_admin1:
                    bonus += 0.15
                score += bonus
            if near is not None:
                dist = _distance_km(near[0], near[1], place.lat, place.lon)
                score += 0.25 * math.exp(-dist / 100.0)
            ranked.append((score, place))
        ranked.sort(key=lambda item: (-item[0], -item[1].population, item[1].geonameid))
        return [(place, round(min(1.0, max(0.0, score)), 4)) for score, place in ranked]

    def _scored(self, matches, kind, country_codes, feature_classes):
        """Return ``[(score before context, place, feature code)]`` of the matching rows.

        It depends on the name and its wording, not on the document: remembered with the
        matches it was computed from (documents share names but not contexts).
        """
        key = (id(matches), kind, frozenset(country_codes or ()), frozenset(feature_classes or ()))
        hit = self._scores.get(key) if self.cache_size else None
        if hit is not None and hit[0] is matches:
            return hit[1]
        gaz = self.gazetteer
        row_of = self._row
        # Where the name is also a town: a bare name that is both a town and a unit means
        # the town when the town lies in that unit ("Kursk", "Donetsk") or is a city of its
        # country; a village elsewhere (Alabama, New York) does not make "Alabama" a town.
        populated = set()
        for i in matches:
            row = row_of(i)
            if row[1] == "P":
                town = gaz.place_at(i)
                populated.add((town.country_code, town.admin1_code))
                if row[0] >= _CITY:
                    populated.add((town.country_code, None))
        scored = []
        for idx, strength in matches.items():
            pop, fclass, fcode, area, _notable, _sk, base = row_of(idx)
            if feature_classes and fclass not in feature_classes:
                continue
            place = gaz.place_at(idx)
            cc = place.country_code
            if country_codes and cc not in country_codes:
                continue
            if kind is None and fclass == "P":
                imp = base  # the common case: a bare name of a town
            else:
                town = (cc, place.admin1_code) in populated or (cc, None) in populated
                imp = _importance(base, fclass, fcode, area, kind, town)
            if fclass != "P":  # alternate names of units come from Natural Earth, curated
                strength = max(strength, _NAME_STRENGTH[NATIVE_ALT] * (strength >= 0.8))
            scored.append((strength * (0.45 + 0.55 * max(0.0, imp)), place, fcode))
        if self.cache_size:
            bounded_put(self._scores, key, (matches, scored), _NAME_CACHE)
        return scored

    def _parse(self, query):
        """Split a query into its name and the hints its other parts give."""
        if _SPECIAL.search(query) is None:  # the common case: a bare name
            return query.strip(), (), None
        text = _CONTROL.sub(" ", query).strip()
        dash = _DASH.split(text, maxsplit=1)
        sub = None
        if len(dash) == 2 and dash[0].strip() and dash[1].strip():
            text, sub = dash[0], dash[1]
        parts = [p.strip() for p in _COMMA.split(text) if p.strip()]
        return (parts[0] if parts else ""), parts[1:], sub

    def _qualifier_hints(self, qualifiers):
        """Return the hints of "X, Qualifier": every reading of the qualifier close to its best.

        "Columbus, Georgia" reads Georgia as the country and as the US state, so that the
        Columbus in the state wins over a larger Columbus elsewhere ("City, State").
        """
        hints = {"countries": {}, "admin1": set()}
        for qual in qualifiers:
            ranked, _near, _kind = self._candidates_for(fold(qual), None, hints={})
            if not ranked or ranked[0][1] < self.min_score:
                continue
            top = ranked[0][1]
            for place, score in ranked[:4]:
                if score < self.min_score or score < top - _QUALIFIER_SPREAD:
                    break
                if place.feature_code in COUNTRY_CODES:
                    hints["countries"][place.country_code] = 1.5
                elif place.admin1_code:
                    hints["admin1"].add((place.country_code, place.admin1_code))
                    hints["countries"].setdefault(place.country_code, 0.5)
        return hints

    def _candidates_for(self, key, context, *, hints, country_codes=None, feature_classes=None):
        # The names that match a key do not depend on the query's context or filters: a
        # document's context ranks them anew, but they are found once.
        found = self._found.get((key, len(self.gazetteer))) if self.cache_size else None
        if found is None:
            found = self._find(key)
            if self.cache_size:
                bounded_put(self._found, (key, len(self.gazetteer)), found, _NAME_CACHE)
        matches, kind, near = found
        if kind is None and context is not None and context.prefer_area:
            kind = "area"
        ranked = self._rank(matches, kind=kind, context=context, country_codes=country_codes,
                            feature_classes=feature_classes, hints=hints)  # fmt: skip
        return ranked, near, kind

    def _find(self, key):
        """Return ``({row: name strength}, kind, near)`` of a folded key with its qualifiers."""
        base, kind, near = strip_qualifiers(key)
        matches = self._matches(key, near_matches=base == key)
        if base != key:
            for idx, strength in self._matches(base).items():
                matches[idx] = max(matches.get(idx, 0.0), strength)
        if kind == "district":
            # Districts are named after their town as adjectives: Kupiansk -> Kupianskyi Raion.
            for suffix in _ADJECTIVE_SUFFIXES:
                for idx, strength in self._matches(base + suffix, near_matches=False).items():
                    if self.gazetteer.row_rank_data(idx)[2] == "ADM2":
                        matches[idx] = max(matches.get(idx, 0.0), strength)
        return matches, kind, near

    def candidates(self, query, *, context=None, country_codes=None, feature_classes=None):
        """Return ranked candidate places for a query, best first.

        Parameters
        ----------
        query : str
            A place name as reports write it ("the Kursk region", "near Sudzha",
            "Kherson, Kherson Oblast", "Donetsk - Petrovskyi").
        context : Context, optional
            Document-level hints.
        country_codes : iterable of str, optional
            Keep only places in these countries (ISO alpha-2).
        feature_classes : iterable of str, optional
            Keep only these GeoNames feature classes ("P", "A", "L").

        Returns
        -------
        list of (Place, float)
            Scores are in [0, 1]; empty when nothing matches.
        """
        return list(self._resolve(query, context, country_codes, feature_classes)[0])

    def _resolve(self, query, context, country_codes, feature_classes):
        """Return (ranked candidates, precision override or None)."""
        if not isinstance(query, str):
            raise TypeError(f"query must be a str; got {type(query).__name__} {query!r:.80}")
        if len(query) > MAX_QUERY_LENGTH or not query.strip():
            return [], None
        ccs = frozenset(c.upper() for c in country_codes) if country_codes else None
        fcs = frozenset(feature_classes) if feature_classes else None
        if context is None and self.cache_size:
            key = (query, ccs, fcs)
            hit = self._cache.get(key)
            if hit is None:
                hit = self._resolve_uncached(query, None, ccs, fcs)
                if len(self._cache) >= self.cache_size:
                    self._cache.clear()
                self._cache[key] = hit
            return hit
        return self._resolve_uncached(query, context, ccs, fcs)

    def _resolve_uncached(self, query, context, ccs, fcs):
        name, qualifiers, sub = self._parse(query)
        if not qualifiers and not sub and " in " in name.lower():
            # "Pokrovsk in Yakutia": what follows "in" qualifies the name, unless the whole
            # is itself a name ("Sankt Johann in Tirol").
            parts = _IN.split(name)
            if all(part.strip() for part in parts) and not self.gazetteer.has_key(fold(name)):
                name, qualifiers = parts[0], parts[1:]
        hints = self._qualifier_hints(qualifiers) if qualifiers else {}
        ranked, near, kind = self._candidates_for(
            fold(name), context, hints=hints, country_codes=ccs, feature_classes=fcs
        )
        precision = "near" if near else None
        if kind == "district" and ranked and ranked[0][0].precision == "exact":
            precision = "admin2"  # "X district" and no such unit: the town, as its district
        if sub and ranked and ranked[0][1] >= self.min_score:
            parent = ranked[0][0]
            inner, _near, _kind = self._candidates_for(
                fold(sub), context, hints={"near": (parent.lat, parent.lon)},
                country_codes={parent.country_code},
            )  # fmt: skip
            inner = [
                (p, s)
                for p, s in inner
                if s >= self.min_score
                and p.geonameid != parent.geonameid
                and _distance_km(parent.lat, parent.lon, p.lat, p.lon) < 40
            ]
            if inner:
                return inner, None
            if parent.precision == "exact":
                return ranked, "admin2"  # a district of the city: the city, as an area
        return ranked, precision

    # -- geopy contract ---------------------------------------------------------------------

    def geocode(self, query, *, exactly_one=True, country_codes=None, feature_classes=None,
                limit=None, context=None):  # fmt: skip
        """Return the place a query names, or None.

        Parameters
        ----------
        query : str
            The place name (see :meth:`candidates` for the forms understood).
        exactly_one : bool, default True
            Return one Location (else a list of up to ``limit``).
        country_codes : str or iterable of str, optional
            Restrict to these countries (ISO alpha-2).
        feature_classes : str or iterable of str, optional
            Restrict to these feature classes ("P", "A", "L").
        limit : int, optional
            Longest list returned when ``exactly_one`` is false.
        context : Context, optional
            Document-level hints.

        Returns
        -------
        geopy.location.Location, list of Location or None
            ``raw`` holds geonameid, name, feature_class, feature_code, country_code,
            admin1_code, admin1_name, population, precision, score, alternatives, geometry
            (areas only) and query.
        """
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        if isinstance(feature_classes, str):
            feature_classes = [feature_classes]
        ranked, precision = self._resolve(query, context, country_codes, feature_classes)
        ranked = [(p, s) for p, s in ranked if s >= self.min_score]
        if not ranked:
            return None
        if exactly_one:
            return self._location(ranked[0], ranked[1:6], query, precision)
        ranked = ranked[: limit or len(ranked)]
        return [self._location(item, (), query, precision) for item in ranked]

    def _address(self, place):
        """Return "name, admin1, country" of a place (computed once per place)."""
        address = self._addresses.get(place.geonameid)
        if address is None:
            country = self.gazetteer.country(place.country_code)
            parts = [place.name]
            if place.admin1_name and place.admin1_name != place.name:
                parts.append(place.admin1_name)
            if country is not None and country.geonameid != place.geonameid:
                parts.append(country.name)
            address = self._addresses[place.geonameid] = ", ".join(parts)
        return address

    def _location(self, item, others, query, precision=None):
        place, score = item
        gaz = self.gazetteer
        raw = {
            "geonameid": place.geonameid, "name": place.name,
            "feature_class": place.feature_class, "feature_code": place.feature_code,
            "country_code": place.country_code, "admin1_code": place.admin1_code,
            "admin1_name": place.admin1_name, "population": place.population,
            "precision": precision if precision and place.precision == "exact"
            else place.precision,
            "score": score,
            "source": place.source, "query": query,
            "alternatives": [
                {"geonameid": p.geonameid, "name": p.name, "feature_code": p.feature_code,
                 "country_code": p.country_code, "score": s}
                for p, s in others
            ],
        }  # fmt: skip
        if place.is_area:
            raw["geometry"] = gaz.geometry(place.geonameid)
        return Location(self._address(place), Point(place.lat, place.lon), raw)

    def reverse(self, query, *, exactly_one=True):
        """Return the nearest populated place to a point (and the areas containing it).

        Parameters
        ----------
        query : (float, float), str or geopy.point.Point
            ``(lat, lon)`` in degrees.
        exactly_one : bool, default True
            Return the nearest place only; else also the containing admin1, region and
            country.

        Returns
        -------
        geopy.location.Location, list of Location or None
            ``raw["distance_km"]`` gives the distance to the point. None when no place
            lies within 100 km and no area contains the point.

        Raises
        ------
        ValueError
            When the point is not a valid latitude/longitude.
        """
        lat, lon = parse_lat_lon(query, name="query")
        place, dist = self.gazetteer.nearest(lat, lon)
        found = []
        if place is not None and dist <= 100:
            loc = self._location((place, round(max(0.0, 1 - dist / 100), 4)), (), None)
            loc.raw["distance_km"] = round(dist, 3)
            found.append(loc)
        if not exactly_one or not found:
            for area in self.gazetteer.containing(lat, lon):
                loc = self._location((area, 1.0), (), None)
                loc.raw["distance_km"] = 0.0
                found.append(loc)
        if not found:
            return None
        return found[0] if exactly_one else found


def _hint_terms(context, hints):
    """Return the ranking terms of a document context and of a query's qualifiers.

    ``(countries, lead, hinted countries, admin1, hinted admin1, point)``: ``lead`` gives the
    country the document is most about its margin over the next one, scaled to [0, 1]
    (a margin of :data:`_LEAD_MARGIN` or more counts fully).
    """
    countries = context.countries if context else {}
    lead = {}
    if countries:
        ordered = sorted(countries.values(), reverse=True)
        second = ordered[1] if len(ordered) > 1 else 0.0
        for cc, weight in countries.items():
            if weight == ordered[0] and weight > second:
                lead[cc] = min(1.0, (weight - second) / _LEAD_MARGIN)
    admin1 = context.admin1 if context and context.admin1 else frozenset()
    near = hints.get("near") or (context.near if context else None)
    return countries, lead, hints.get("countries", {}), admin1, hints.get("admin1", ()), near


def _distance_km(lat1, lon1, lat2, lon2):
    """Return the great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _letter_counts(text):
    """Return how often each letter occurs in ``text``."""
    counts = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


def _shared_ratio(counts, length, other):
    """Return an upper bound of the similarity: the share of letters the two have in common.

    ``counts`` and ``length`` describe the first string (:func:`_letter_counts`).
    """
    avail = dict(counts)
    shared = 0
    for ch in other:
        left = avail.get(ch, 0)
        if left:
            avail[ch] = left - 1
            shared += 1
    return 2.0 * shared / (length + len(other)) if length + len(other) else 1.0


def _similarity(a, b):
    """Return ``difflib.SequenceMatcher(None, a, b).ratio()`` for short strings, faster.

    The same Ratcliff/Obershelp matching (longest block leftmost in ``a``, then in ``b``,
    recursively on both sides), without difflib's junk and popular-element handling, which
    does not apply to strings under 200 characters.
    """
    total = len(a) + len(b)
    if not total:
        return 1.0
    b2j = {}
    for j, ch in enumerate(b):
        b2j.setdefault(ch, []).append(j)
    matched = 0
    stack = [(0, len(a), 0, len(b))]
    nothing = ()
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        besti, bestj, bestsize = alo, blo, 0
        j2len = {}
        for i in range(alo, ahi):
            newj2len = {}
            for j in b2j.get(a[i], nothing):
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = newj2len[j] = j2len.get(j - 1, 0) + 1
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
            j2len = newj2len
        if bestsize:
            matched += bestsize
            if alo < besti and blo < bestj:
                stack.append((alo, besti, blo, bestj))
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                stack.append((besti + bestsize, ahi, bestj + bestsize, bhi))
    return 2.0 * matched / total


#: Spellings that romanisations of one Cyrillic name differ by (English, Ukrainian and
#: Russian official systems, French, German): each is tried on an unknown name, one at a time.
_ROMANISATION_SWAPS = (
    ("ay", "ai"), ("ai", "ay"), ("oy", "oi"), ("oi", "oy"), ("ey", "ei"), ("iy", "yi"),
    ("yi", "iy"), ("yy", "yi"), ("ya", "ia"), ("ia", "ya"), ("yu", "iu"), ("iu", "yu"),
    ("ye", "ie"), ("ie", "ye"), ("yo", "io"), ("dj", "dzh"), ("dzh", "dj"), ("j", "y"),
    ("ou", "u"), ("tch", "ch"), ("tsch", "ch"), ("sch", "sh"), ("w", "v"), ("kh", "h"),
    ("h", "kh"), ("tz", "ts"), ("ts", "tz"), ("cz", "ch"), ("sz", "sh"),
)  # fmt: skip
#: How much a name read through another romanisation counts, times the name's own strength.
_ROMANISATION_STRENGTH = 0.95


def _romanisations(key):
    """Return ``key`` as other romanisations would spell it (one swap, every occurrence)."""
    out = {key.replace(a, b) for a, b in _ROMANISATION_SWAPS if a in key}
    out.discard(key)
    return out


def _edits1(key, *, swaps_only=False):
    """Return the strings one edit away from ``key`` (deletes, swaps, replaces, inserts)."""
    letters = "abcdefghijklmnopqrstuvwxyz "
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    out = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    if swaps_only:
        out.discard(key)
        return out
    out |= {a + b[1:] for a, b in splits if b}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(key)
    return out
