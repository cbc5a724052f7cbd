"""GazetteerGeocoder: geopy's Geocoder contract over the offline gazetteer, ranked candidates.

Names are matched in tiers (:mod:`geo.geoparse.names`; :meth:`GazetteerGeocoder.explain`
shows them): the name itself (main or alternate), other romanisations and Russian/Ukrainian
forms of it (the consonant skeleton), and names one edit away. A lower tier is only looked
at when no populated place has the name exactly, or inside a qualifier's area when no place
of that name lies in it, so that a near spelling never beats a village of that exact name
(Orlivka is not Horlivka). Candidates are scored by
:func:`geo.geoparse.ranking.score`; qualifiers of the query ("X, Donetsk region", "X near
Y", parsed by :mod:`geo.geoparse.qualifiers`) keep only the candidates inside the area they
name when there are any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from geopy.location import Location
from geopy.point import Point

from geo.common.cache import bounded_put
from geo.common.coords import parse_lat_lon
from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.normalize import AREA_WORDS, fold
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse import ranking
from geo.geoparse.matching import similarity
from geo.geoparse.names import NAME_CACHE, Found, Match, NameMatching, in_cyrillic
from geo.geoparse.qualifiers import RADIUS_KM, Area, parse_query
from geo.geoparse.ranking import MAX_CONTEXT_BONUS, NEAR_KINDS, Features, distance_km

__all__ = [
    "CACHE_SIZE",
    "MAX_CONTEXT_BONUS",
    "MAX_QUERY_LENGTH",
    "MIN_SCORE",
    "NEAR_MIN_SCORE",
    "Candidate",
    "Context",
    "GazetteerGeocoder",
]

#: Below this score ``geocode`` answers None: a weak match is reported as not found.
MIN_SCORE = 0.5
#: A place found under another spelling (transliterated, one edit away) needs this score.
NEAR_MIN_SCORE = 0.58
#: Margin of weight by which the document's leading country counts as fully leading.
_LEAD_MARGIN = 0.25
#: A town of this many people makes its name mean the town anywhere in its country.
_CITY = 100_000
#: Readings of a qualifier this close to its best one are all used; towns only this close.
_QUALIFIER_SPREAD = 0.2
_TOWN_SPREAD = 0.05
#: Longer queries are not place names; ``geocode`` answers None without looking.
MAX_QUERY_LENGTH = 300
#: Results of this many distinct queries (without context) are kept; batches repeat names.
CACHE_SIZE = 50_000
#: Names whose matching rows, and their scores before context, are kept.
_NAME_CACHE = NAME_CACHE
#: Words a shortened qualifier must not be reduced to.
_NOT_NAMES = frozenset("the near in of village town city district region oblast".split())
#: Match kinds by which a name is a place's own (a world city so named damps its namesakes).
_OWN_NAME = frozenset({"main", "alternate", "transliterated"})
#: Names this similar are spellings of one name ("Jarash", "Jerash"), not two names.
_SPELT_ALIKE = 0.8
#: A fallback answer (the qualifier's own area) scores this share of the qualifier's score.
_FALLBACK_SHARE = 0.85
#: Builds a named tuple from its fields without the Python-level ``__new__`` of the class
#: (the hot loops of a batch build several per query).
_new = tuple.__new__
_object_new = object.__new__


def _bears_name(weak, unit, name, people):
    """Return True when a town found under the whole name of a unit (``name``, ``people``
    inhabitants) as another name than its own still bears it: a town of ``unit`` (country,
    admin1) or a city of its country, spelt like it or holding at least half its people
    (``weak``: ``[(country, admin1, city, main name, population)]`` of such towns)."""
    key = None
    for cc, admin1, city, main, pop in weak:
        if cc != unit[0] or (admin1 != unit[1] and not city):
            continue
        if 2 * pop >= people:
            return True
        key = key or fold(name)
        if similarity(fold(main), key) >= _SPELT_ALIKE:
            return True
    return False


def _towns(rows):
    """Return ``(populated, own, weak)`` of the populated places among ``rows``
    (``[(match, RowInfo, place)]`` of one name): the units (``(country, admin1)``, and
    ``(country, None)`` for a city of :data:`_CITY` people) holding a town of that name,
    those holding one whose own name it is, and ``[(country, admin1, city, main name,
    population)]`` of the towns found under another name than their own.

    A bare name that is both a town and a unit means the town when the town lies in that
    unit ("Kursk", "Donetsk") or is a city of its country; a village elsewhere (Alabama,
    New York) does not make "Alabama" a town. Nor does a town that lists as another name,
    unlike its own, the whole name of a unit of which it holds under half the people
    (Salvador is not "Bahia", Fortaleza not "Ceará"); it does when it is spelt alike (Jarash
    for "Jerash"), when the unit is named after it ("X Oblast" keeps a renamed city's former
    name X) or when it is most of the unit.
    """
    populated, own, weak = set(), set(), []
    for found_as, info, town in rows:
        if info.feature_class == "P":
            cc, admin1, city = town.country_code, town.admin1_code, info.population >= _CITY
            if found_as.kind in _OWN_NAME:
                own.add((cc, admin1))
                if city:
                    own.add((cc, None))
            else:
                populated.add((cc, admin1))
                if city:
                    populated.add((cc, None))
                weak.append((cc, admin1, city, town.name, info.population))
    populated |= own
    return populated, own, weak


def _points(near):
    """Return ``near`` as a tuple of (lat, lon) points (one point or several)."""
    if not near:
        return ()
    if len(near) == 2 and all(isinstance(v, (int, float)) for v in near):
        return ((float(near[0]), float(near[1])),)
    return tuple((float(p[0]), float(p[1])) for p in near)


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
    near : (float, float), sequence of (float, float), or None
        ``(lat, lon)`` of a point the text is about, or several (the document's other
        resolved places): the closest one counts.
    """

    countries: dict = field(default_factory=dict)
    admin1: set = field(default_factory=set)
    prefer_area: bool = False
    near: tuple | list | None = None

    @property
    def near_points(self):
        """Return the points of ``near`` as a tuple of (lat, lon) pairs."""
        return _points(self.near)


class Candidate(NamedTuple):
    """A ranked candidate: the place and its score in [0, 1]."""

    place: object
    score: float


class Scored(NamedTuple):
    """A candidate with the :class:`~geo.geoparse.ranking.Features` its score comes from."""

    place: object
    score: float
    features: Features


class _Static(NamedTuple):
    """A candidate's score terms that do not depend on the document or the qualifiers."""

    base: float
    place: object
    match: Match
    importance: float


class _Parsed(NamedTuple):
    ranked: list  # of Candidate or Scored
    precision: str | None
    qualifier: dict | None
    near: frozenset = frozenset()  # geonameids found under another spelling


class GazetteerGeocoder(NameMatching):
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
        self._found = {}  # (folded key, wide, gazetteer size) -> Found
        self._static = {}  # (id of matches, kind, filters) -> (matches, [_Static])
        self._rows = []  # ranking.RowInfo per gazetteer row, lazily
        self._spellings = {}  # row -> its main name folded, skeleton, romanisations
        self._addresses = {}  # ("name, admin1, country", lat, lon) per geonameid
        self._outlines = {}  # geonameid -> point-in-outline test

    # -- scoring ----------------------------------------------------------------------------

    def _static_scores(self, found, kind, ccs, fcs):
        """Return the :class:`_Static` terms of the matching rows (cached per name)."""
        matches = found.matches
        key = (id(matches), kind, ccs, fcs)
        hit = self._static.get(key) if self.cache_size else None
        if hit is not None and hit[0] is matches:
            return hit[1]
        infos, info_of = self._rows, self._info
        known = len(infos)
        # Each row's ranking data (computed on its first use) and place, read once.
        rows = list(
            zip(
                matches.values(),
                [(infos[idx] if idx < known else None) or info_of(idx) for idx in matches],
                self.gazetteer.places_at(matches),
                strict=True,
            )
        )
        towns = None  # (populated, own, weak) of _towns(rows): read by units only
        out = []
        for match, info, place in rows:
            fclass = info.feature_class
            if fcs and fclass not in fcs:
                continue
            cc = place.country_code
            if ccs and cc not in ccs:
                continue
            if kind is None and fclass == "P":
                imp = info.importance  # ranking.importance: a bare name's town keeps its own
            else:
                # Whether the name is also a town's counts only for administrative units
                # (ranking.importance reads it for them alone).
                town = False
                if info.feature_code.startswith("ADM"):
                    populated, own, weak = towns = towns or _towns(rows)
                    unit = (cc, place.admin1_code)
                    town = unit in populated or (cc, None) in populated
                    if (
                        town
                        and weak
                        and match.kind in ("main", "transliterated")  # its main name
                        and fclass != "P"
                        and unit not in own
                        and (cc, None) not in own
                        and fold(place.name).rsplit(" ", 1)[-1] not in AREA_WORDS
                    ):
                        town = _bears_name(weak, unit, place.name, info.population)
                imp = ranking.importance(info.importance, fclass, info.feature_code,
                                         info.area_km2, kind, town)  # fmt: skip
                if fclass != "P" and match.kind in ("alternate_weak", "alternate"):
                    match = Match("alternate", match.similarity)  # units' names are curated
            base = ranking.static_term(match.kind, match.similarity, imp)
            out.append(_new(_Static, (base, place, match, imp)))
        if self.cache_size:
            bounded_put(self._static, key, (matches, out), _NAME_CACHE)
        return out

    def _rank(self, statics, context, areas, *, explain=False):
        """Return candidates ranked best first (:class:`Scored` with ``explain``)."""
        if context is None and not areas and not explain:
            # No document and no qualifier: the static terms are the scores.
            if len(statics) > 1:
                statics = sorted(statics, key=_static_order)
            # _clamp, inline: a batch ranks every candidate of every query here.
            return [
                _new(Candidate, (st.place, round(b if 0.0 < b < 1.0 else float(b >= 1.0), 4)))
                for st in statics
                for b in (st.base,)
            ]
        countries, lead, admin1, points = _context_terms(context)
        plain = not (countries or admin1 or points or areas)
        rival = None  # the world city of the name, if any (see ranking.Features.rival_gap)
        owner = None  # the likeliest town whose own name it is: rival of towns found otherwise
        if countries:
            for st in statics:
                place = st.place
                if place.feature_class != "P" or st.match.kind not in _OWN_NAME:
                    continue
                if owner is None or st.importance > owner.importance:
                    owner = st
                if (place.population >= ranking.WORLD_CITY or place.feature_code == "PPLC") and (
                    rival is None or st.importance > rival.importance
                ):
                    rival = st
        unit_countries = {cc for cc, _code in admin1}
        ranked = []
        for st in statics:
            place = st.place
            if plain and not explain:
                ranked.append((st.base, place, None))
                continue
            cc = place.country_code
            if place.feature_code in COUNTRY_CODES:
                # A country holds the units the document names in it ("Macao" beside
                # "Macau", which names a unit of Macao).
                doc_admin1 = cc in unit_countries
            else:
                # A unit counts when the document names it or places in it ("Karak"
                # beside the Karak governorate's towns is the governorate).
                doc_admin1 = (cc, place.admin1_code) in admin1
            near_km = None
            if points:
                near_km = min(distance_km(lat, lon, place.lat, place.lon) for lat, lon in points)
            level, km, direction = self._qualifier_fit(place, areas)
            gap = 0.0
            # A town found only under another name than its own (a village listing a
            # foreign city's name) yields to a likelier town abroad whose own name it is, as a
            # smaller namesake yields to a world city.
            other = owner if st.match.kind == "alternate_weak" else rival
            if other is not None and other is not st and other.place.country_code != cc:
                gap = max(0.0, round(other.importance - st.importance, 4))
            features = Features(
                st.match.kind, st.match.similarity, st.importance, countries.get(cc, 0.0),
                lead.get(cc, 0.0), doc_admin1, near_km, level, km, direction, gap,
            )  # fmt: skip
            ranked.append((ranking.raw_score(features), place, features))
        ranked.sort(key=lambda item: (-item[0], -item[1].population, item[1].geonameid))
        if explain:
            return [Scored(p, _clamp(s), f) for s, p, f in ranked]
        return [_new(Candidate, (p, _clamp(s))) for s, p, _f in ranked]

    def _qualifier_fit(self, place, areas):
        """Return (level, km, direction) of the best qualifier area holding ``place``."""
        best = (None, None, 0)
        best_value = -1.0
        for area in areas:
            inside, km = area.reach(place, distance_km, self._outline)
            if not inside:
                continue
            direction = 0
            if area.bearing is not None and area.level != "radius":
                # "in eastern Ukraine": the side of the area, seen from its point
                km = distance_km(area.place.lat, area.place.lon, place.lat, place.lon)
            if area.bearing is not None and km:
                p = area.place
                turn = abs((ranking.bearing(p.lat, p.lon, place.lat, place.lon) - area.bearing
                            + 180) % 360 - 180)  # fmt: skip
                direction = 1 if turn <= 67.5 else (-1 if turn >= 112.5 else 0)
            value = ranking.qualifier_term(area.level, km, direction)
            if value > best_value:
                best, best_value = (area.level, km, direction), value
        return best

    def _outline(self, geonameid):
        """Return a point-in-outline test ``f(lon, lat)`` of an area, or None."""
        test = self._outlines.get(geonameid)
        if test is None and geonameid not in self._outlines:
            from shapely import contains_xy
            from shapely.geometry import shape
            from shapely.prepared import prep

            geom = self.gazetteer.geometry(geonameid)
            if geom is not None:
                prepared = prep(shape(geom))
                test = lambda lon, lat: bool(contains_xy(prepared.context, lon, lat))  # noqa: E731
            self._outlines[geonameid] = test
        return test

    # -- qualifiers -------------------------------------------------------------------------

    def _areas(self, qual, outer):
        """Return the :class:`~geo.geoparse.qualifiers.Area` readings of a qualifier.

        A qualifier that names no place is read without its last words ("Donetsk airport"
        as Donetsk); readings outside the ``outer`` areas (the qualifiers after this one)
        are dropped when some lie inside.
        """
        words = qual.text.split()
        for n in range(len(words), 0, -1):
            key = fold(" ".join(words[:n]))
            if len(key) >= 3 and key not in _NOT_NAMES:
                areas = self._readings(key, qual, outer)
                if areas:
                    return areas
        return []

    def _readings(self, key, qual, outer):
        """Return the areas of the readings of a qualifier's folded text.

        Every reading within :data:`_QUALIFIER_SPREAD` of the best one counts ("Columbus,
        Georgia": the country and the US state). Near spellings count only when close
        ("Zaporizhia"), never one edit away.
        """
        found = self._find(key, fuzzy=False, cyrillic=in_cyrillic(qual.text))
        statics = [
            st
            for st in self._static_scores(found, found.kind, None, None)
            if st.match.kind != "fuzzy"
            and (st.match.kind != "skeleton" or st.match.similarity >= 0.85)
        ]
        ranked = [c for c in self._rank(statics, None, ()) if c.score >= self.min_score]
        if outer:
            inside = [c for c in ranked if self._qualifier_fit(c.place, outer)[0]]
            ranked = inside or ranked
        areas = []
        wording = found.kind if found.kind in ("district", "hromada") else qual.relation
        radius = RADIUS_KM.get(wording, RADIUS_KM["in"])
        for place, score in ranked[:4]:
            if score < ranked[0].score - _QUALIFIER_SPREAD:
                break
            code = place.feature_code
            if place.feature_class == "P" and score < ranked[0].score - _TOWN_SPREAD:
                continue  # a town named as a landmark: its small homonyms are not meant
            if code in COUNTRY_CODES:
                level = "country"
            elif code in ("ADM1", "RGN"):
                level = "admin1" if code == "ADM1" else "region"
            elif code.startswith("ADM"):
                level = "admin2"
            else:
                level = "radius"
            areas.append(Area(level, place, radius, qual.bearing, qual.text, score))
            if level == "radius" and qual.relation == "in" and code in ("PPLA", "PPLC"):
                # "X, Zaporizhzhia": the oblast named after its centre, too.
                unit = self.gazetteer.admin1(place.country_code, place.admin1_code)
                if unit is not None:
                    areas.append(Area("admin1", unit, 0.0, None, qual.text, score))
        return areas

    def _resolve_uncached(self, query, context, ccs, fcs, explain=False):
        parsed = parse_query(query, is_name=lambda text: self.gazetteer.has_key(fold(text)))
        key = fold(parsed.name)
        groups = []  # the areas of each qualifier, outermost first
        outer = []
        for qual in reversed(parsed.qualifiers):
            areas = self._areas(qual, outer)
            if areas:
                groups.append(areas)
                outer = areas
        cyrillic = in_cyrillic(parsed.name)
        found = self._find(key, cyrillic=cyrillic) if key else Found({}, None, False)
        kind = found.kind
        if kind is None and context is not None and context.prefer_area:
            kind = "area"
        statics, areas, used = self._inside(self._static_scores(found, kind, ccs, fcs), groups)
        if groups and used is None and key:
            # No place of this exact name in the area: its other spellings there.
            found = self._find(key, wide=True, cyrillic=cyrillic)
            statics, areas, used = self._inside(self._static_scores(found, kind, ccs, fcs),
                                                groups)  # fmt: skip
        if groups and used is None:
            return self._fallback(query, groups, found, explain)
        ranked = self._rank(statics, context, areas, explain=explain)
        precision = "near" if found.near else None
        if kind == "district" and ranked and ranked[0].place.precision == "exact":
            precision = "admin2"  # "X district" and no such unit: the town, as its district
        if kind == "hromada" and ranked and ranked[0].place.precision == "exact":
            precision = "near"  # a hromada: the area around its centre
        qualifier = None
        if used and ranked:
            top = ranked[0].place
            fits = [a for a in used if a.reach(top, distance_km, self._outline)[0]] or used
            qualifier = _qualifier_raw(fits[0], fallback=False)
        near = frozenset([st.place.geonameid for st in statics if st.match.kind in NEAR_KINDS])
        if parsed.sub and ranked and ranked[0].score >= self.min_score:
            return self._city_district(parsed.sub, ranked, context, qualifier, explain, near)
        return _Parsed(ranked, precision, qualifier, near)

    def _inside(self, statics, groups):
        """Keep the candidates inside each qualifier's areas (outermost first) when any are.

        Returns ``(statics, areas of the innermost qualifier used, that group or None)``.
        """
        used, areas = None, []
        for group in groups:
            fits = [(s, self._qualifier_fit(s.place, group)) for s in statics]
            inside = [(s, fit) for s, fit in fits if fit[0]]
            if any(fit[2] > 0 for _s, fit in inside):
                inside = [(s, fit) for s, fit in inside if fit[2] >= 0]  # the direction given
            if inside:
                statics, areas, used = [s for s, _fit in inside], group, group
        return statics, areas, used

    def _fallback(self, query, groups, found, explain):
        """Answer with the innermost qualifier's own place when the name is not inside it."""
        area = groups[-1][0]
        place = area.place
        score = round(area.score * _FALLBACK_SHARE, 4)
        precision = "near" if area.level == "radius" else None
        row = Scored(place, score, Features("main")) if explain else Candidate(place, score)
        return _Parsed([row], precision, _qualifier_raw(area, fallback=True))

    def _city_district(self, sub, ranked, context, qualifier, explain, near):
        """Resolve "City - district": the district within 40 km of the city, else the city."""
        parent = ranked[0].place
        found = self._find(fold(sub), cyrillic=in_cyrillic(sub))
        statics = self._static_scores(found, found.kind, frozenset({parent.country_code}), None)
        ctx = Context(near=(parent.lat, parent.lon))
        inner = [
            c
            for c in self._rank(statics, ctx, (), explain=explain)
            if c.score >= self.min_score
            and c.place.geonameid != parent.geonameid
            and distance_km(parent.lat, parent.lon, c.place.lat, c.place.lon) < 40
        ]
        if inner:
            kinds = frozenset(s.place.geonameid for s in statics if s.match.kind in NEAR_KINDS)
            return _Parsed(inner, None, qualifier, kinds)
        precision = "admin2" if parent.precision == "exact" else None
        return _Parsed(ranked, precision, qualifier, near)

    def _resolve(self, query, context, country_codes, feature_classes, explain=False):
        if not isinstance(query, str):
            raise TypeError(f"query must be a str; got {type(query).__name__} {query!r:.80}")
        if len(query) > MAX_QUERY_LENGTH or not query.strip():
            return _Parsed([], None, None)
        ccs = frozenset(c.upper() for c in country_codes) if country_codes else None
        fcs = frozenset(feature_classes) if feature_classes else None
        if context is None and self.cache_size and not explain:
            key = (query, ccs, fcs)
            hit = self._cache.get(key)
            if hit is None:
                hit = self._resolve_uncached(query, None, ccs, fcs)
                if len(self._cache) >= self.cache_size:
                    self._cache.clear()
                self._cache[key] = hit
            return hit
        return self._resolve_uncached(query, context, ccs, fcs, explain)

    # -- public interface -------------------------------------------------------------------

    def candidates(self, query, *, context=None, country_codes=None, feature_classes=None):
        """Return ranked candidate places for a query, best first.

        Parameters
        ----------
        query : str
            A place name as reports write it, with its qualifiers ("the Kursk region",
            "near Sudzha", "Heorhiivka, Donetsk region", "Kalynove near Ocheretyne",
            "Tiahynka, west of Beryslav", "Donetsk - Petrovskyi").
        context : Context, optional
            Document-level hints.
        country_codes : iterable of str, optional
            Keep only places in these countries (ISO alpha-2).
        feature_classes : iterable of str, optional
            Keep only these GeoNames feature classes ("P", "A", "L").

        Returns
        -------
        list of Candidate
            ``(place, score)`` pairs, scores in [0, 1]; empty when nothing matches. When the
            query names an area and no place of the name lies in it, the area's own place.
        """
        return list(self._resolve(query, context, country_codes, feature_classes).ranked)

    def explain(self, query, *, context=None, country_codes=None, feature_classes=None):
        """Return the ranked candidates with the features their scores come from.

        Returns
        -------
        list of Scored
            ``(place, score, features)``; ``ranking.score(features) == score``.
        """
        parsed = self._resolve(query, context, country_codes, feature_classes, explain=True)
        return list(parsed.ranked)

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
            admin1_code, admin1_name, admin2_code, population, precision, score, source,
            alternatives, geometry (areas only), query, and ``qualifier`` when the query's
            qualifier chose the place: ``{"text", "geonameid", "kind", "fallback"}`` (kind
            "country", "admin1", "admin2", "region" or "place"; fallback true when the
            answer is the qualifier's own place because no place of the name lies in it).
        """
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        if isinstance(feature_classes, str):
            feature_classes = [feature_classes]
        parsed = self._resolve(query, context, country_codes, feature_classes)
        near, least = parsed.near, self.min_score
        floor = least + NEAR_MIN_SCORE - MIN_SCORE
        # One answer asked: only it and its five alternatives are kept; the candidates are
        # ranked best first, so the filter stops once it has them.
        wanted = 6 if exactly_one else len(parsed.ranked)
        ranked = []
        for c in parsed.ranked:
            if c.score >= (floor if near and c.place.geonameid in near else least):
                ranked.append(c)
                if len(ranked) == wanted:
                    break
        if not ranked:
            return None
        extra = (parsed.precision, parsed.qualifier)
        if exactly_one:
            return self._location(ranked[0], ranked[1:], query, *extra)
        ranked = ranked[: limit or len(ranked)]
        return [self._location(item, (), query, *extra) for item in ranked]

    def _address(self, place):
        """Return "name, admin1, country" of a place (computed once per place)."""
        return self._located(place)[0]

    def _located(self, place):
        """Return ``(address, lat, lon)`` of a place, its point as geopy normalises it
        (computed once per place)."""
        located = self._addresses.get(place.geonameid)
        if located is None:
            country = self.gazetteer.country(place.country_code)
            parts = [place.name]
            if place.admin1_name and place.admin1_name != place.name:
                parts.append(place.admin1_name)
            if country is not None and country.geonameid != place.geonameid:
                parts.append(country.name)
            point = Point(place.lat, place.lon)
            located = (", ".join(parts), point.latitude, point.longitude)
            self._addresses[place.geonameid] = located
        return located

    def _location(self, item, others, query, precision=None, qualifier=None):
        place, score = item[0], item[1]
        raw = {
            "geonameid": place.geonameid, "name": place.name,
            "feature_class": place.feature_class, "feature_code": place.feature_code,
            "country_code": place.country_code, "admin1_code": place.admin1_code,
            "admin1_name": place.admin1_name, "admin2_code": place.admin2_code,
            "population": place.population,
            "precision": precision if precision and place.precision == "exact"
            else place.precision,
            "score": score, "source": place.source, "query": query,
            "alternatives": [
                {"geonameid": c.place.geonameid, "name": c.place.name,
                 "feature_code": c.place.feature_code,
                 "country_code": c.place.country_code, "score": c.score}
                for c in others
            ],
        }  # fmt: skip
        if qualifier is not None:
            raw["qualifier"] = dict(qualifier)
        if place.is_area:
            raw["geometry"] = self.gazetteer.geometry(place.geonameid)
        return _location_of(*self._located(place), raw)

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


def _location_of(address, lat, lon, raw):
    """Return ``Location(address, Point(lat, lon), raw)`` for a point geopy has already
    normalised (:meth:`GazetteerGeocoder._located`), without re-checking it: the same
    attributes the two constructors set, at a third of their cost (a batch builds one per
    query)."""
    point = _object_new(Point)  # Point.__new__ would check the coordinates again
    point.latitude, point.longitude, point.altitude = lat, lon, 0.0
    loc = _object_new(Location)
    loc._address, loc._point, loc._tuple, loc._raw = address, point, (address, (lat, lon)), raw
    return loc


def _clamp(value):
    """Return ``round(min(1.0, max(0.0, value)), 4)`` (without the two calls)."""
    return round(value if 0.0 < value < 1.0 else (1.0 if value >= 1.0 else 0.0), 4)


def _static_order(st):
    """Sort key of a :class:`_Static` by its static score: best, then most populous, id."""
    place = st.place
    return (-st.base, -place.population, place.geonameid)


def _qualifier_raw(area, *, fallback):
    return {"text": area.text, "geonameid": area.place.geonameid, "kind": area.kind(),
            "fallback": fallback}  # fmt: skip


def _context_terms(context):
    """Return ``(countries, lead, admin1, points)`` of a document context.

    ``lead`` gives the country the document is most about its margin over the next one,
    scaled to [0, 1] (a margin of :data:`_LEAD_MARGIN` or more counts fully).
    """
    if context is None:
        return {}, {}, frozenset(), ()
    countries = context.countries or {}
    lead = {}
    if countries:
        ordered = sorted(countries.values(), reverse=True)
        second = ordered[1] if len(ordered) > 1 else 0.0
        for cc, weight in countries.items():
            if weight == ordered[0] and weight > second:
                lead[cc] = min(1.0, (weight - second) / _LEAD_MARGIN)
    return countries, lead, context.admin1 or frozenset(), context.near_points
