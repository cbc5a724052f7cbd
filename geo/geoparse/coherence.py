"""The second pass of geoparsing: a document's names choose each other's places.

A place is *sure* when a qualifier gives it or its name alone leads to it. The others are
ranked again near the candidate the document's other names support most
(:func:`second_pass`); names with no evidence of their own are kept when they lie near the
document's places, and small places abroad far from all of them are dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.gazetteer.normalize import DISTRICT_WORDS, fold
from geo.gazetteer.place import COUNTRY_CODES, Place
from geo.geoparse.context import distance_km
from geo.geoparse.evidence import BIG_UNITS, coordinated
from geo.geoparse.ranking import WEIGHTS

__all__ = ["Resolution", "resolution", "second_pass", "sure"]

#: A resolved place leads when no candidate farther than ``_SAME_PLACE_KM`` from it scores
#: within ``_CONFIDENT_MARGIN`` of it; leading places anchor the second pass.
_CONFIDENT_MARGIN = 0.15
_SAME_PLACE_KM = 100
#: A small place abroad this far from every leading place of a document is a local name the
#: gazetteer lacks ("the Marigny" of New Orleans is not the French village).
_FAR_KM = 500
#: A name the text alone does not make a place is one when it lies this close to a place the
#: document names with confidence ("Kingwood" beside Houston).
_LOCAL_KM = 30
#: Candidates of each other name weighed for a name's focus, the distance scale of that
#: weighing, and the least support a focus needs (one other name with a candidate about 35 km
#: away, or two farther).
_FOCUS_CANDIDATES = 10
_FOCUS_KM = 50
_MIN_SUPPORT = 0.5
#: Only readings of a name scoring this close to its best are candidates for its focus.
_FOCUS_MARGIN = 0.1
#: Weight of the support of a candidate against its score without context (the geocoder's
#: nearness weight: one other name at the same point adds what nearness adds to a score).
_NEAR_WEIGHT = WEIGHTS["doc_near"]
#: A name written as a district whose town lies farther than this from every other place of a
#: document in one first-level unit is not that town (a part of the city the text is about).
_DISTRICT_KM = _SAME_PLACE_KM
#: Support of a first-level unit for a place in it, against a place at the same point: what
#: the geocoder adds for a unit the document names, against what it adds for nearness.
_UNIT_SUPPORT = WEIGHTS["doc_admin1"] / WEIGHTS["doc_near"]


@dataclass(frozen=True)
class Resolution:
    """A name resolved in a document: its ranked ``[(Place, score)]``, the place chosen and
    its score, the qualifier used (as written), whether it is :func:`sure`, and whether the
    place is the qualifier's own unit because no place of the name lies in it."""

    ranked: list
    best: Place
    score: float
    qualifier: str = ""
    sure: bool = False
    fallback: bool = False


def resolution(ranked, weights, qualifier=""):
    """Return the best of a ranking; places of one feature class (areas: of one level) whose
    scores are capped at 1.0 tie, and the country the document is most about decides between
    them (a province does not tie with a county of another country)."""
    best, score = ranked[0]
    tied = [
        p
        for p, s in ranked
        if s == score
        and p.country_code != best.country_code
        and p.feature_class == best.feature_class
        and (best.feature_class != "A" or p.feature_code == best.feature_code)
    ]
    if tied and weights:
        best = max([best, *tied], key=lambda p: weights.get(p.country_code, 0.0))
    return Resolution(ranked, best, score, qualifier)


def _options(res):
    """Return what a resolved name can be, for the others' focus: its place when it is sure
    of it, else its candidates (countries and regions left out: they say little of where)."""
    if res.sure or res.best.feature_code == "ADM1":
        items = [(res.best, 1.0)]
    else:
        items = res.ranked[:_FOCUS_CANDIDATES]
    return [(p, s) for p, s in items if p.feature_code not in COUNTRY_CODES | {"RGN"}]


def _closeness(place, other):
    """Return how much ``other`` supports ``place``: ``_UNIT_SUPPORT`` inside it when it is a
    first-level unit, else ``exp(-km / _FOCUS_KM)``."""
    if other.feature_code == "ADM1":
        same = (place.country_code, place.admin1_code) == (other.country_code, other.admin1_code)
        return _UNIT_SUPPORT if same else 0.0
    return math.exp(-distance_km(place, other) / _FOCUS_KM)


def _focus(res, key, options, plain):
    """Return the point of the candidate of a name that the document's other names support
    best, or None when none is supported.

    Each other name supports a candidate by its best-scored candidate near it
    (:func:`_closeness`); a candidate needs ``_MIN_SUPPORT`` in all. Of the supported ones,
    the candidate whose score without context (``plain``: geonameid to score) plus the
    geocoder's nearness weight times its support is highest wins, and none when the name's
    own reading scores higher still with what support it has: many small supports do not
    outweigh a much likelier place ("Syracuse" beside Oswego and Cortland is the New York
    city, even when Grand Island, Nebraska, is named; beside Layton and Clearfield, the Utah
    town).
    Only homonyms scoring within ``_FOCUS_MARGIN`` of the best reading are weighed (places
    whose own name is the name, or the best reading's name: not "Newark" for "New York",
    nor a Crimean village for "Novorossiysk", by an alternate name)."""
    best_point, best_value = None, None
    own_value = None
    names = {key, fold(res.best.name)}
    for place, score in res.ranked:
        if (
            place.feature_code in BIG_UNITS
            or score < res.score - _FOCUS_MARGIN
            or fold(place.name) not in names
        ):
            continue
        support = 0.0
        for other, items in options.items():
            if other == key or not items:
                continue
            support += max(s * _closeness(place, p) for p, s in items)
        value = plain.get(place.geonameid, 0.0) + _NEAR_WEIGHT * support
        if place is res.best:
            own_value = value
        if support > _MIN_SUPPORT and (best_value is None or value > best_value):
            best_point, best_value = (place.lat, place.lon), value
    if best_value is not None and own_value is not None and own_value > best_value:
        return None
    return best_point


def _abroad(res, weights):
    """Return True when a name's place lies outside the document's countries while one of
    its other readings lies in them: its own lead ("Paris", the capital) may still yield
    to the units of the document's sure places (Paris beside Tyler and Lufkin, Texas)."""
    if not weights or weights.get(res.best.country_code):
        return False
    return any(weights.get(p.country_code) for p, _s in res.ranked)


def _elsewhere(res, units):
    """Return True when a name's town lies outside the first-level ``units`` the document
    names while another of its readings lies in one: a likelier town of the name elsewhere
    may still yield to the document's own places (a town of the named state beside two of
    its neighbours, not its larger namesake in another state)."""
    best = res.best
    if best.feature_class != "P" or not units or (best.country_code, best.admin1_code) in units:
        return False
    return any((p.country_code, p.admin1_code) in units for p, _s in res.ranked if p is not best)


def _far_district(span, res, others):
    """Return the reading of a name written as a district ("Podilskyi district", "the
    city's X district") for a document whose other places (``others``, countries left out)
    all lie in one first-level unit, when its town lies in another unit, farther than
    ``_DISTRICT_KM`` from all of them: its homonym in their unit when there is one, else
    False (no place: a part of the document's city the gazetteer lacks is not a far
    namesake, and the city the text names still says where the event is). None when the
    rule does not apply."""
    best = res.best
    words = span.query.split()
    if len(words) < 2 or words[-1] not in DISTRICT_WORDS or res.qualifier:
        return None
    others = [p for p in others if p.feature_code not in COUNTRY_CODES | {"RGN"}]
    units = {(p.country_code, p.admin1_code) for p in others}
    if (
        best.feature_class != "P"
        or len(units) != 1
        or (best.country_code, best.admin1_code) in units
        or min(distance_km(best, p) for p in others) <= _DISTRICT_KM
    ):
        return None
    homonyms = [
        p
        for p, _s in res.ranked
        if p.feature_class == "P" and (p.country_code, p.admin1_code) in units
    ]
    return homonyms[0] if homonyms else False


def _anchors(res):
    """Return True when a resolution can anchor the others: a place, not a country or a
    region, that is sure (:func:`sure`)."""
    code = res.best.feature_code
    return code not in COUNTRY_CODES and code != "RGN" and res.sure


def sure(ctx, span, res):
    """Return True when a name's place does not depend on the document: it has a qualifier,
    or the name alone (no context) ranks that place first and leads every far candidate
    by ``_CONFIDENT_MARGIN`` (a demonym's country does not make a village sure)."""
    if res.qualifier:
        return True
    if span.area:
        return _leads(res)
    plain = ctx.geocoder.candidates(span.query)[:_FOCUS_CANDIDATES]
    if not plain or plain[0][0].geonameid != res.best.geonameid:
        return False
    return _leads(Resolution(plain, plain[0][0], plain[0][1]))


def _leads(res):
    """Return True when no candidate far from the best scores close to it."""
    best = res.best
    for place, score in res.ranked:
        if place is best:
            continue
        if res.score - score < _CONFIDENT_MARGIN and distance_km(place, best) > _SAME_PLACE_KM:
            return False
    return True


def second_pass(ctx, spans, found, verdicts, text, context_places):
    """Return ``{index: resolution}`` of the place mentions, after the document's own places
    have had their say.

    Each name can be what its candidates are (one place when it is resolved with
    confidence: a qualifier, or a lead over far candidates). A name whose candidates lie
    far apart is ranked again with the candidate of it that most of the document's other
    names have a candidate near (:func:`_focus`) as the point the text is about (the
    geocoder's distance term), and with the first-level units of the confident places
    added to the document's. The places inside organisations' names count as names of the
    document here ("the Pittsburgh Steelers"). A name the text alone does not make a place
    (verdict None) is then kept when it lies within ``_LOCAL_KM`` of another place of the
    document or is listed with a kept place; a small place abroad farther than ``_FAR_KM``
    from all of them is dropped (a local name the gazetteer lacks).
    """
    weights = ctx.countries
    kept = {i: r for i, r in found.items() if verdicts.get(i) is not False}
    options = {}
    for i, res in kept.items():
        options.setdefault(spans[i].key, _options(res))
    for n, res in enumerate(context_places):
        options.setdefault(("inner", n), _options(res))
    confident = [
        res.best
        for i, res in kept.items()
        if verdicts[i]
        and (_anchors(res) or res.best.feature_code == "ADM1")
        and not _abroad(res, weights)
    ]
    confident += [res.best for res in context_places if _anchors(res)]
    wide = ctx.widened(confident)
    # The first-level units the document names as such ("South Dakota").
    named_units = {(p.country_code, p.admin1_code) for p in confident if p.feature_code == "ADM1"}
    for i in list(kept):
        res, span = kept[i], spans[i]
        if (
            (res.sure or res.best.feature_code in BIG_UNITS)
            and not _abroad(res, weights)
            and not _elsewhere(res, named_units)
        ):
            continue
        plain = {p.geonameid: sc for p, sc in ctx.geocoder.candidates(span.query)}
        focus = _focus(res, span.key, options, plain)
        if focus is not None or wide is not ctx:
            # Near the focus, or at least with the units of the document's sure places.
            ranked = wide.rank(span.query, area=span.area, near=focus)
            if ranked:
                kept[i] = resolution(ranked, weights)
    placed = [(spans[i].key, res.best) for i, res in kept.items() if verdicts[i]]
    placed += [("", res.best) for res in context_places if _anchors(res)]
    placed = [(k, p) for k, p in placed if p.feature_code not in COUNTRY_CODES]
    # Places a small place abroad is measured against: those sure of their place.
    trusted = [(spans[i].key, r.best) for i, r in kept.items() if verdicts[i] and _anchors(r)]
    trusted += [("", res.best) for res in context_places if _anchors(res)]
    # The countries the document is about, for a small place abroad: those it names and
    # those of its other units and large towns (not of another village: it may be a local
    # name's namesake abroad too, nor of the name itself: a unique name counts for its
    # country in ``weights``).
    named = {r.best.country_code for r in kept.values() if r.best.feature_code in COUNTRY_CODES}
    named |= {s.country for s in spans if s.kind == "abbreviation" and s.country}
    # and those whose people or forces it names ("Ukrainian commanders", "Malian troops")
    named |= {s.country for s in spans if s.kind == "demonym" and s.country}
    big = [(k, p.country_code) for k, p in placed
           if p.feature_code in BIG_UNITS or p.population >= 100_000]  # fmt: skip
    for i in list(kept):
        best, key = kept[i].best, spans[i].key
        others = [p for k, p in placed if k != key]
        if verdicts[i] is None and not any(distance_km(best, p) <= _LOCAL_KM for p in others):
            del kept[i]
            continue
        far = [distance_km(best, p) for k, p in trusted if k != key]
        support = named | {cc for k, cc in big if k != key}
        if (
            far
            and support
            and not kept[i].qualifier
            and best.country_code
            and best.country_code not in support
            and best.population < 100_000
            and best.feature_code not in BIG_UNITS
            and min(far) > _FAR_KM
        ):
            del kept[i]
            continue
        district = _far_district(spans[i], kept[i], others)
        if district is False:
            del kept[i]
        elif district is not None:
            kept[i] = Resolution(kept[i].ranked, district, dict(kept[i].ranked)[district])
    # Names listed with a kept place are places too ("Kingwood and Humble").
    changed = True
    while changed:
        changed = False
        for i, res in found.items():
            if i in kept or verdicts.get(i) is not None:
                continue
            for j in (i - 1, i + 1):
                if j in kept and coordinated(
                    text, *sorted((spans[i], spans[j]), key=lambda s: s.start)
                ):
                    kept[i] = res
                    changed = True
                    break
    return kept
