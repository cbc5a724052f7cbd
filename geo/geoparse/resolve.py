"""Geoparse a document: find its toponyms, resolve them with the document as context."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from geo.common import nlp
from geo.exc import ValidationError
from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.normalize import fold
from geo.gazetteer.place import COUNTRY_CODES, Place
from geo.geoparse.context import DocumentContext, distance_km, geocoder_for
from geo.geoparse.detect import detect
from geo.geoparse.entities import PLACE_LABELS, ParseView
from geo.geoparse.evidence import (
    BIG_UNITS,
    CALENDAR,
    MIN_MENTION_SCORE,
    coordinated,
    person_names,
    run_on,
    verdict,
)
from geo.geoparse.metonymy import decide_metonymy, is_metonymic
from geo.geoparse.qualifiers import find_qualifiers
from geo.geoparse.toponyms import LOCATIVE

__all__ = ["LOCATIVE", "MIN_MENTION_SCORE", "Mention", "geoparse", "is_metonymic"]

#: Readings of a qualifier tried, and how far below its best reading they may score.
_QUALIFIER_READINGS = 4
_QUALIFIER_SPREAD = 0.2
#: Farthest a place may lie from the town qualifying it, by the wording that joins them.
_QUALIFIER_KM = {"comma": 30, "paren": 30, "in": 30, "near": 60, "bearing": 150}
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


@dataclass(frozen=True)
class Mention:
    """A place mention: where it is in the text and the place it resolves to.

    ``role`` is "location" for a place and "actor" for a demonym or an adjective of a
    country ("North Korean", "Ukrainian"), whose ``place`` is that country. ``area`` is True
    when the text calls it a region; ``cue`` is the preposition governing it ("in",
    "near"); ``label`` the parse's entity label naming it ("GPE"; "" when none);
    ``qualifier`` the qualifier used to resolve it, as written after it (", Donetsk
    region", "near Maiorsk"; "" when none); ``metonymic`` whether it stands for a
    government or people ("Kyiv said"; None when not decided).
    """

    start: int
    end: int
    text: str
    place: Place | None
    score: float
    role: str = "location"
    area: bool = False
    cue: str = ""
    alternatives: tuple = ()
    label: str = ""
    qualifier: str = ""
    metonymic: bool | None = None

    def to_dict(self):
        """Return the CLI's JSON row (the contract keys, then score, precision, name...)."""
        p = self.place
        return {
            "start": self.start, "end": self.end, "text": self.text,
            "lat": p.lat if p else None, "lon": p.lon if p else None,
            "geonameid": p.geonameid if p else None,
            "feature_code": p.feature_code if p else None,
            "country_code": p.country_code if p else None,
            "score": self.score, "precision": p.precision if p else None,
            "name": p.name if p else None, "admin1": p.admin1_name if p else None,
            "role": self.role, "label": self.label, "qualifier": self.qualifier,
            "metonymic": self.metonymic,
        }  # fmt: skip


@dataclass(frozen=True)
class _Resolved:
    ranked: list
    best: Place
    score: float
    qualifier: str = ""
    sure: bool = False  # a qualifier, or the name alone leads to this place (see _sure)


def _resolved(ranked, weights, qualifier=""):
    """Return the best of a ranking; places of one feature class whose scores are capped at
    1.0 tie, and the country the document is most about decides between them."""
    best, score = ranked[0]
    tied = [
        p
        for p, s in ranked
        if s == score
        and p.country_code != best.country_code
        and p.feature_class == best.feature_class
    ]
    if tied and weights:
        best = max([best, *tied], key=lambda p: weights.get(p.country_code, 0.0))
    return _Resolved(ranked, best, score, qualifier)


def _parsed(text, doc):
    if doc is None:
        return nlp.parse(text)
    if getattr(doc, "text", None) != text:
        raise ValidationError(
            "doc must be the spaCy parse of exactly the text given (geo.common.nlp.parse(text));"
            f" got a {type(doc).__name__} of another text"
        )
    return doc


def geoparse(text, *, gazetteer=None, geocoder=None, doc=None):
    """Find and resolve the place mentions of a document.

    Parameters
    ----------
    text : str
        The document.
    gazetteer : Gazetteer, optional
        Default: :meth:`Gazetteer.default`.
    geocoder : GazetteerGeocoder, optional
        Default: one over ``gazetteer``.
    doc : spacy.tokens.Doc, optional
        The parse of exactly ``text`` (:func:`geo.common.nlp.parse`), when the caller has
        it; otherwise the text is parsed here.

    Returns
    -------
    list of Mention
        In text order; place mentions (role "location") and country adjectives (role
        "actor"). A name that cannot be resolved is left out; it never stops the rest.

    Raises
    ------
    ValidationError
        When ``doc`` is not a parse of ``text``.

    Examples
    --------
    >>> [m.place.name for m in geoparse("Troops crossed into the Kursk region.")]
    ['Kursk Oblast']
    """
    gaz = gazetteer or Gazetteer.default()
    geocoder = geocoder or geocoder_for(gaz)
    parse = ParseView(_parsed(text, doc))
    spans, inner = detect(text, gaz, parse)
    ctx = DocumentContext(spans + inner, geocoder)
    weights = ctx.countries
    found = {}
    for i, span in enumerate(spans):
        if span.kind == "name" and span.key not in CALENDAR:
            ranked = ctx.rank(span.query, area=span.area)
            if ranked:
                found[i] = _resolved(ranked, weights)
    for i, qual in find_qualifiers(text, spans).items():
        if i in found and qual.target in found:
            better = _qualified(ctx, spans[i], qual, found[i], found[qual.target])
            if better is not None:
                found[i], found[qual.target] = better
    for i, res in found.items():
        found[i] = replace(res, sure=_sure(ctx, spans[i], res))
    persons = person_names(spans, parse)
    verdicts = {
        i: verdict(spans[i], res, weights, text, gaz, persons, parse) for i, res in found.items()
    }
    for i in range(len(spans) - 1):
        a, b = spans[i], spans[i + 1]
        if a.kind == b.kind == "name" and run_on(text, a, b):
            if not (a.label in PLACE_LABELS and b.label in PLACE_LABELS):
                verdicts[i] = verdicts[i + 1] = False
    context_places = []
    for span in inner:
        ranked = ctx.rank(span.query)
        if ranked:
            res = _resolved(ranked, weights)
            context_places.append(replace(res, sure=_sure(ctx, span, res)))
    kept = _second_pass(ctx, spans, found, verdicts, text, context_places)
    out = []
    for i, span in enumerate(spans):
        if span.kind != "name":
            place = gaz.country(span.country) if span.country else None
            if place is None:
                continue
            role = "location" if span.kind == "abbreviation" else "actor"
            out.append(Mention(span.start, span.end, span.text, place, 1.0, role, False,
                               span.cue if role == "location" else "", (),
                               span.label))  # fmt: skip
            continue
        res = kept.get(i)
        if res is None:
            continue
        alternatives = tuple((p.geonameid, s) for p, s in res.ranked if p is not res.best)[:3]
        out.append(Mention(span.start, span.end, span.text, res.best, res.score, "location",
                           span.area, span.cue, alternatives, span.label,
                           res.qualifier))  # fmt: skip
    return [m if m.role != "location" else _with_metonymy(m, text, parse) for m in out]


def _with_metonymy(mention, text, parse):
    return replace(mention, metonymic=decide_metonymy(text, mention, parse))


def _within(place, target, kind, gaz):
    """Return True when ``place`` lies in or near ``target``, as ``kind`` wording says."""
    if place.geonameid == target.geonameid:
        return False
    code = target.feature_code
    if code in COUNTRY_CODES:
        return place.country_code == target.country_code
    if code == "ADM1":
        return (place.country_code, place.admin1_code) == (
            target.country_code,
            target.admin1_code,
        )
    if code == "ADM2" and place.admin2_code and target.admin2_code:
        return (place.country_code, place.admin1_code, place.admin2_code) == (
            target.country_code,
            target.admin1_code,
            target.admin2_code,
        )
    if target.is_area and code != "ADM2":
        return any(a.geonameid == target.geonameid for a in gaz.containing(place.lat, place.lon))
    limit = _QUALIFIER_KM[kind] * (2 if target.is_area else 1)
    return distance_km(place, target) <= limit


def _qualified(ctx, span, qual, own, target):
    """Return the span and its qualifier resolved together, or None when the qualifier does
    not qualify it (a list: "Mali, Niger and Chad"; "Alabama, Tennessee").

    The qualified string goes to the geocoder ("Heorhiivka, Donetsk region"); when the
    answer does not lie in or near the qualifying place, the name is ranked again with that
    place as the point the text is about; failing that, the name's candidates that lie
    there are kept and the best of them taken. Each reading of the qualifier scoring within
    ``_QUALIFIER_SPREAD`` of its best is tried ("Georgia" in "Columbus, Georgia": the
    country, then the state); the first that the answer lies in is the qualifier's own
    resolution too.
    """
    best = own.best
    if best.feature_code in COUNTRY_CODES:
        return None
    gaz = ctx.geocoder.gazetteer
    weights = ctx.countries
    readings = [(p, s) for p, s in target.ranked if s >= target.score - _QUALIFIER_SPREAD]
    if target.best not in [p for p, _s in readings]:
        readings.insert(0, (target.best, target.score))
    for place, score in readings[:_QUALIFIER_READINGS]:
        if best.feature_code in ("ADM1", "RGN") and place.feature_code not in COUNTRY_CODES:
            continue  # a unit is qualified by its country only
        tried = [ctx.rank(qual.query, area=span.area)]
        tried.append(ctx.rank(span.query, area=span.area, near=(place.lat, place.lon)))
        # Last, the qualifier's area filters the name's candidates.
        tried.append([(p, s) for p, s in own.ranked if _within(p, place, qual.kind, gaz)])
        for ranked in tried:
            if ranked and _within(_resolved(ranked, weights).best, place, qual.kind, gaz):
                reading = _Resolved(target.ranked, place, score, target.qualifier)
                return _resolved(ranked, weights, qual.text), reading
    return None


def _options(res):
    """Return what a resolved name can be, for the others' focus: its place when it is sure
    of it, else its candidates (countries and regions left out: they say little of where)."""
    if res.sure or res.best.feature_code == "ADM1":
        items = [(res.best, 1.0)]
    else:
        items = res.ranked[:_FOCUS_CANDIDATES]
    return [(p, s) for p, s in items if p.feature_code not in COUNTRY_CODES | {"RGN"}]


def _closeness(place, other):
    """Return how much ``other`` supports ``place``: 1 inside it when it is a first-level
    unit, else ``exp(-km / _FOCUS_KM)``."""
    if other.feature_code == "ADM1":
        same = (place.country_code, place.admin1_code) == (other.country_code, other.admin1_code)
        return 1.0 if same else 0.0
    return math.exp(-distance_km(place, other) / _FOCUS_KM)


def _focus(res, key, options):
    """Return the point of the candidate of a name that the document's other names support
    most (each by its best-scored candidate near it, :func:`_closeness`), or None when none
    is supported. Only homonyms scoring within ``_FOCUS_MARGIN`` of the best reading are
    weighed (places whose own name is the name, or the best reading's name: not "Newark"
    for "New York" by an alternate name), and other places as good as the best reading
    (Kostiantynivka for "Konstantinovka", tied with a Crimean Konstantinovka)."""
    best_point, best_support = None, _MIN_SUPPORT
    names = {key, fold(res.best.name)}
    for place, score in res.ranked:
        if (
            place.feature_code in BIG_UNITS
            or score < res.score - _FOCUS_MARGIN
            or (fold(place.name) not in names and score < res.score)
        ):
            continue
        support = 0.0
        for other, items in options.items():
            if other == key or not items:
                continue
            support += max(s * _closeness(place, p) for p, s in items)
        if support > best_support:
            best_point, best_support = (place.lat, place.lon), support
    return best_point


def _anchors(res):
    """Return True when a resolution can anchor the others: a place, not a country or a
    region, that is sure (:func:`_sure`)."""
    code = res.best.feature_code
    return code not in COUNTRY_CODES and code != "RGN" and res.sure


def _sure(ctx, span, res):
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
    return _leads(_Resolved(plain, plain[0][0], plain[0][1]))


def _leads(res):
    """Return True when no candidate far from the best scores close to it."""
    best = res.best
    for place, score in res.ranked:
        if place is best:
            continue
        if res.score - score < _CONFIDENT_MARGIN and distance_km(place, best) > _SAME_PLACE_KM:
            return False
    return True


def _second_pass(ctx, spans, found, verdicts, text, context_places):
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
        if verdicts[i] and (_anchors(res) or res.best.feature_code == "ADM1")
    ]
    confident += [res.best for res in context_places if _anchors(res)]
    wide = ctx.widened(confident)
    for i in list(kept):
        res, span = kept[i], spans[i]
        if res.sure or res.best.feature_code in BIG_UNITS:
            continue
        focus = _focus(res, span.key, options)
        if focus is not None:
            ranked = wide.rank(span.query, area=span.area, near=focus)
            if ranked:
                kept[i] = _resolved(ranked, weights)
    placed = [(spans[i].key, res.best) for i, res in kept.items() if verdicts[i]]
    placed += [("", res.best) for res in context_places if _anchors(res)]
    placed = [(k, p) for k, p in placed if p.feature_code not in COUNTRY_CODES]
    # Places a small place abroad is measured against: those sure of their place.
    trusted = [(spans[i].key, r.best) for i, r in kept.items() if verdicts[i] and _anchors(r)]
    trusted += [("", res.best) for res in context_places if _anchors(res)]
    for i in list(kept):
        best, key = kept[i].best, spans[i].key
        others = [p for k, p in placed if k != key]
        if verdicts[i] is None and not any(distance_km(best, p) <= _LOCAL_KM for p in others):
            del kept[i]
            continue
        far = [distance_km(best, p) for k, p in trusted if k != key]
        if (
            far
            and weights
            and not kept[i].qualifier
            and weights.get(best.country_code, 0) == 0
            and best.population < 100_000
            and best.feature_code not in BIG_UNITS
            and min(far) > _FAR_KM
        ):
            del kept[i]
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
