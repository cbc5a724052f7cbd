"""The geocoder's one scoring function: named features of a candidate place, and their weights.

A candidate's score is clamped to [0, 1]:

``score = strength × (WEIGHTS["name"] + WEIGHTS["prior"] × importance) + context + qualifier``

* **strength** — how the query's name matched the place: the strength of the match kind
  (:data:`MATCH_STRENGTH`: main name, alternate name, a Latin alternate name unlike the main
  one (GeoNames lists neighbours' and other languages' names among them), the name in
  another romanisation (or, written in Cyrillic, a Latin main name it equals only once
  transliterated; a place's own Cyrillic name is an alternate name), a name with the same
  consonant skeleton (a Russian or Ukrainian form, another spelling), an edit-distance
  match), times the similarity of the spellings for the last two.
* **importance** — how likely a bare mention means this place: the population (log scale),
  the feature code (capitals and admin seats up, historical and abandoned places down, areas
  by level), the query's wording ("region", "district", "village") and the precision of the
  gazetteer's point (a village known only to its raion counts a little less than one with
  its own point).
* **context** — what the document says (:class:`geo.geoparse.geocoder.Context`): the weight of
  the place's country in the document, how far that country leads the others, whether its
  admin1 unit is mentioned (together capped at :data:`MAX_CONTEXT_BONUS`, so that a ranking
  whose top leads by more cannot change), and how close it lies to the point the document
  is about (added after the cap: in a document about one country the country terms reach
  the cap, and nearness must still choose among that country's homonyms).
* **qualifier** — what the query itself says about where the place is ("X, Donetsk Oblast",
  "X near Y", "X, south of Y"): the level of the qualifier's area the place lies in (admin2,
  a radius around a named town, admin1, region, country), its distance to a named town and
  whether it lies in the direction the query gives. Places outside every area the qualifier
  names are not scored at all (they are filtered out before) when some place inside exists.

The weights were set by hand (documented in ``gazetteer/README.md``) and checked on the dev
sets (``tests/data/devset.tsv``, the tuning part of ``tests/data/places_dev.tsv``) and on the
gazetteer's own alternate names; no name of a dev set is special-cased.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from geo.gazetteer.place import COUNTRY_CODES

__all__ = [
    "FEATURE_BONUS",
    "WORLD_CITY",
    "MATCH_STRENGTH",
    "MAX_CONTEXT_BONUS",
    "NEAR_KINDS",
    "WEIGHTS",
    "Features",
    "RowInfo",
    "base_importance",
    "context_term",
    "distance_km",
    "importance",
    "qualifier_term",
    "raw_score",
    "row_info",
    "score",
    "static_term",
]

#: Largest score a document context (countries, admin1 units, nearby places) adds.
MAX_CONTEXT_BONUS = 0.35
#: The weight of each term (see the module docstring); context terms are capped together.
WEIGHTS = {
    "name": 0.45,
    "prior": 0.55,
    "doc_country": 0.2,
    "doc_lead": 0.15,
    "doc_admin1": 0.15,
    "doc_near": 0.25,
    "doc_near_km": 100.0,  # distance scale of the nearness kernel exp(-d / scale)
    "q_country": 0.3,
    "q_admin1": 0.25,
    "q_region": 0.25,
    "q_admin2": 0.35,
    "q_radius": 0.35,
    "q_radius_km": 20.0,  # distance scale around a named town
    "q_direction": 0.1,
    # A world city of the name damps the country terms of its smaller namesakes: a US text
    # does not make "Toronto" Toronto, Ohio. Importance gaps up to "rival_free" do not
    # count; beyond it the country terms fade by exp(-(gap - rival_free) / rival_scale).
    "rival_free": 0.15,
    "rival_scale": 0.15,
}
#: Strength of each kind of name match, before similarity.
MATCH_STRENGTH = {
    "main": 1.0,
    "alternate": 0.95,  # a name in another script, or a spelling of the main name
    "alternate_weak": 0.85,  # a Latin name unlike the main one (may be a neighbour's)
    # the name in another romanisation (ay/ai, dzh/dj, ya/ia...), or written in Cyrillic
    # where the place's main name is Latin: equal only once transliterated
    "transliterated": 0.95,
    "skeleton": 0.9,  # same consonants: a Russian/Ukrainian form or another spelling
    "fuzzy": 0.9,  # one edit away
}
#: Match kinds that may spell another name than the query's: answered from a higher score.
NEAR_KINDS = frozenset({"skeleton", "fuzzy"})
#: Feature-code adjustments of a populated place's importance.
FEATURE_BONUS = {
    "PPLC": 0.15, "PPLA": 0.10, "PPLG": 0.08, "PPLA2": 0.05, "PPLA3": 0.02,
    "PPLX": -0.10, "PPLL": -0.05, "PPLF": -0.10, "PPLH": -0.30, "PPLQ": -0.30, "PPLW": -0.30,
}  # fmt: skip
#: Importance adjustment by the precision of the gazetteer's point.
PRECISION_BONUS = {"exact": 0.0, "near": -0.02, "admin2": -0.04}
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLG"})
#: A populated place this large (or a capital) is a world city: see ``rival_gap``.
WORLD_CITY = 1_000_000
_MAJOR_WATER = frozenset({"OCN", "SEA", "GULF", "STRT"})


class RowInfo(NamedTuple):
    """What ranking needs of a gazetteer row, computed once per row."""

    population: int
    feature_class: str
    feature_code: str
    area_km2: float
    notable: bool  # a town (1,000 people or more, or an admin seat) or an area
    importance: float  # :func:`base_importance`


def base_importance(pop, fclass, fcode, precision="exact"):
    """Return how likely a bare mention means this place, before the query's wording."""
    if fclass == "P" and pop < 500:
        pop = 500  # unknown (0) or tiny: the city tables list places from 500 people on
    p = min(1.0, math.log10(pop + 1) / 7)
    if fcode in COUNTRY_CODES:
        return 1.0
    if fcode == "RGN" or fcode == "CONT":
        return 0.9
    if fclass == "H":
        # Seas, oceans, gulfs and straits are known by name; bays, sounds, lakes less so.
        return 0.85 if fcode in _MAJOR_WATER else 0.7
    if fcode == "ADM1":
        return 0.75 + 0.1 * p
    if fcode.startswith("ADM"):
        return 0.5 + 0.1 * p
    return p + FEATURE_BONUS.get(fcode, 0.0) + PRECISION_BONUS.get(precision, 0.0)


def row_info(pop, fclass, fcode, area, precision):
    """Return the :class:`RowInfo` of a row."""
    notable = fclass != "P" or pop >= 1000 or fcode in _SEATS
    return RowInfo(pop, fclass, fcode, area, notable,
                   base_importance(pop, fclass, fcode, precision))  # fmt: skip


def importance(imp, fclass, fcode, area, kind, has_populated):
    """Return the importance of a place for a query worded as ``kind``.

    ``kind`` is "area" ("X region"), "district", "hromada", "place" ("village of X") or None;
    ``has_populated`` says whether the name is also a town of the unit (a bare name that is
    both means the town: "Kursk", "Donetsk").
    """
    if kind is None and fclass == "P":
        return imp
    if kind == "area":
        if fclass == "P":
            imp -= 0.5
        elif fcode == "ADM1" or fcode == "RGN":
            # The larger unit of two with one name: "Kyiv Oblast", not Kyiv City.
            imp += 0.3 + 0.02 * math.log10(area + 1)
    elif kind == "district":
        imp += 0.45 if fcode == "ADM2" else (-0.2 if fclass == "P" else 0.0)
    elif kind in ("place", "hromada"):
        imp -= 0.5 if fclass != "P" else 0.0
    elif kind == "physical":
        # "the Dnipro river", "Strait of Hormuz": a water body or relief, never the town or
        # the unit of that name.
        imp -= 0.0 if fclass in ("H", "T") else 1.0
    elif fcode.startswith("ADM"):
        imp -= 0.4 if has_populated else 0.1
    return imp


@dataclass(frozen=True, slots=True)
class Features:
    """The named features of one candidate for one query (see the module docstring).

    Attributes
    ----------
    match : str
        Kind of name match, a key of :data:`MATCH_STRENGTH`.
    similarity : float
        Similarity of the spellings (1.0 for exact matches).
    importance : float
        The prior: population, feature code, query wording, point precision.
    doc_country, doc_lead : float
        Weight of the place's country in the document, and its lead over the next country.
    doc_admin1 : bool
        The document mentions the place's admin1 unit (a unit: itself; a country: one of
        its units).
    near_km : float or None
        Distance to the closest of the document's points.
    qualifier : str or None
        Level of the query's qualifier area the place lies in: "admin2", "radius",
        "admin1", "region", "country".
    qualifier_km : float or None
        Distance to the town the qualifier names.
    direction : int
        +1 when the place lies in the direction the qualifier gives, -1 when opposite.
    rival_gap : float
        How much less important the place is than a world city of the same name (a
        populated place of a million people or a capital; 0 when none or when it is one),
        or, for a town found only under another name than its own, than the likeliest town
        abroad whose own name it is.
        The document's country terms fade with it; its admin1 units and nearby places do
        not (they point at the place itself).
    """

    match: str
    similarity: float = 1.0
    importance: float = 0.0
    doc_country: float = 0.0
    doc_lead: float = 0.0
    doc_admin1: bool = False
    near_km: float | None = None
    qualifier: str | None = None
    qualifier_km: float | None = None
    direction: int = 0
    rival_gap: float = 0.0


def static_term(match, similarity, imp):
    """Return the part of the score that depends on the name and the place only."""
    strength = MATCH_STRENGTH[match] * similarity
    return strength * (WEIGHTS["name"] + WEIGHTS["prior"] * max(0.0, imp))


def context_term(doc_country, doc_lead, doc_admin1, near_km, rival_gap=0.0):
    """Return the context term of the score: the document's countries (faded by
    ``rival_gap``) and admin1 units (capped at :data:`MAX_CONTEXT_BONUS`) plus nearness to
    the point it is about."""
    bonus = WEIGHTS["doc_country"] * doc_country + WEIGHTS["doc_lead"] * doc_lead
    if rival_gap > WEIGHTS["rival_free"]:
        bonus *= math.exp(-(rival_gap - WEIGHTS["rival_free"]) / WEIGHTS["rival_scale"])
    if doc_admin1:
        bonus += WEIGHTS["doc_admin1"]
    bonus = min(MAX_CONTEXT_BONUS, bonus)
    if near_km is not None:
        bonus += WEIGHTS["doc_near"] * math.exp(-near_km / WEIGHTS["doc_near_km"])
    return bonus


def qualifier_term(level, km, direction):
    """Return the qualifier term of the score."""
    if level is None:
        return 0.0
    if level == "radius":
        bonus = WEIGHTS["q_radius"] * math.exp(-(km or 0.0) / WEIGHTS["q_radius_km"])
    else:
        bonus = WEIGHTS[f"q_{level}"]
    return bonus + WEIGHTS["q_direction"] * direction


def raw_score(features):
    """Return the sum of the four terms, before clamping (candidates are sorted by it)."""
    total = static_term(features.match, features.similarity, features.importance)
    total += context_term(features.doc_country, features.doc_lead, features.doc_admin1,
                          features.near_km, features.rival_gap)  # fmt: skip
    return total + qualifier_term(features.qualifier, features.qualifier_km, features.direction)


def score(features):
    """Return the score in [0, 1] of a candidate described by its :class:`Features`.

    Examples
    --------
    >>> score(Features("main", importance=0.5))
    0.725
    """
    return round(min(1.0, max(0.0, raw_score(features))), 4)


def distance_km(lat1, lon1, lat2, lon2):
    """Return the great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def bearing(lat1, lon1, lat2, lon2):
    """Return the initial bearing in degrees (0 = north) from point 1 to point 2."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360
