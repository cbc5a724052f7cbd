"""Geoparse a document: find its toponyms, resolve them with the document as context."""

from __future__ import annotations

from dataclasses import dataclass, replace

from geo.common import nlp
from geo.exc import ValidationError
from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.normalize import fold
from geo.gazetteer.place import COUNTRY_CODES, Place
from geo.geoparse.coherence import Resolution, resolution, second_pass, sure
from geo.geoparse.context import DocumentContext, distance_km, geocoder_for
from geo.geoparse.detect import detect
from geo.geoparse.entities import PLACE_LABELS, ParseView
from geo.geoparse.evidence import (
    CALENDAR,
    MIN_MENTION_SCORE,
    STRONG_LOCATIVE,
    ordinary_name,
    peoples_name,
    person_names,
    run_on,
    verdict,
)
from geo.geoparse.metonymy import decide_metonymy, is_metonymic
from geo.geoparse.qualified import find_qualifiers
from geo.geoparse.readings import (
    directional_unit,
    larger_district,
    listed_units,
    physical,
    region_wording,
    unit_over_country,
)
from geo.geoparse.toponyms import LOCATIVE

__all__ = ["LOCATIVE", "MIN_MENTION_SCORE", "Mention", "geoparse", "is_metonymic"]

#: Readings of a qualifier tried, and how far below its best reading they may score.
_QUALIFIER_READINGS = 4
_QUALIFIER_SPREAD = 0.2
#: Units a name can fall back on when no place of the name lies in them ("X, Y raion").
_UNIT_CODES = frozenset({"ADM1", "ADM2", "RGN"})
#: A fallback is taken over the name's own best place only when that place is a town smaller
#: than this, farther than ``_FALLBACK_KM`` from the unit; it scores this share of the unit's.
_FALLBACK_TOWN = 100_000
_FALLBACK_KM = 50
_FALLBACK_SHARE = 0.85
#: What may open an organisation's name as a mention ("the U.S. Centers for ...").
_LEAD_CODES = COUNTRY_CODES | {"ADM1"}
#: Farthest a place may lie from the town qualifying it, by the wording that joins them.
_QUALIFIER_KM = {"comma": 30, "paren": 30, "in": 30, "of": 30, "near": 60, "bearing": 150}


@dataclass(frozen=True)
class Mention:
    """A place mention: where it is in the text and the place it resolves to.

    ``role`` is "location" for a place and "actor" for a demonym or an adjective of a
    country ("North Korean", "Ukrainian"), whose ``place`` is that country. ``area`` is True
    when the text calls it a region; ``cue`` is the preposition governing it ("in",
    "near"); ``label`` the parse's entity label naming it ("GPE"; "" when none);
    ``qualifier`` the qualifier used to resolve it, as written after it (", Donetsk
    region", "near Maiorsk"; "" when none); ``metonymic`` whether it stands for a
    government or people ("Kyiv said"), or only says where someone is based ("a London-based
    group"), so that it is no event's place (None when not decided); ``fallback`` that no place
    of the name lies where its qualifier says, so ``place`` is the qualifier's own unit
    ("Stepove, Bakhmut raion" when the gazetteer knows no Stepove there).
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
    fallback: bool = False

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
            ranked = physical(span, ctx.rank(span.query, area=span.area), ctx.rank)
            if ranked:
                found[i] = resolution(ranked, weights)
    own = dict(found)  # before qualifiers: a fallback's name is judged by its own reading
    for i, qual in find_qualifiers(text, spans).items():
        if qual.kind == "in" and spans[i].sentence_initial and _ordinary_word(spans[i]):
            continue  # "Farmers in Gaza": people in a place, not a village "in" it
        if i in found and qual.target in found:
            better = _qualified(ctx, spans[i], qual, found[i], found[qual.target])
            if better is not None:
                found[i], found[qual.target] = better
    for i, res in found.items():
        found[i] = replace(res, sure=sure(ctx, spans[i], res))
    persons = person_names(spans, parse)
    verdicts = {
        i: verdict(spans[i], own[i] if res.fallback else res, weights, text, gaz, persons, parse)
        for i, res in found.items()
    }
    # A name the document makes a people somewhere ("the X tribe", "X raiders") is that
    # people wherever no locative preposition makes it a place ("six X civilians").
    peoples = {spans[i].key for i in found if peoples_name(spans[i], text, parse)}
    for i, res in found.items():
        span = spans[i]
        if (
            span.key in peoples
            and span.cue not in STRONG_LOCATIVE
            and not res.qualifier
            and res.best.feature_code not in COUNTRY_CODES
        ):
            verdicts[i] = False
    for i, res in found.items():
        # the countries of the document: its own and those of its other names' places
        countries = set(weights) | {
            r.best.country_code for j, r in found.items() if spans[j].key != spans[i].key
        }
        if not res.qualifier and region_wording(text, spans[i], res.best, countries):
            verdicts[i] = False  # "the Middle East": a region the gazetteer lacks, no town
    for i in range(len(spans) - 1):
        a, b = spans[i], spans[i + 1]
        if a.kind == b.kind == "name" and run_on(text, a, b):
            if a.label not in PLACE_LABELS and b.label not in PLACE_LABELS:
                verdicts[i] = verdicts[i + 1] = False
    context_places = []
    for span in inner:
        ranked = ctx.rank(span.query)
        if ranked:
            res = resolution(ranked, weights)
            context_places.append(replace(res, sure=sure(ctx, span, res)))
    kept = second_pass(ctx, spans, found, verdicts, text, context_places)
    _reread(ctx, spans, kept, text)
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
        if res is not None and span.leads and not _leads(span, res.best):
            res = None  # only a country or a first-level unit opens an institution's name
        if res is not None and not physical(span, [(res.best, res.score)]):
            res = found.get(i)  # the second pass may not make a sea's name a town again
            if res is not None and not physical(span, [(res.best, res.score)]):
                res = None
        if res is None:
            continue
        alternatives = tuple((p.geonameid, s) for p, s in res.ranked if p is not res.best)[:3]
        out.append(Mention(span.start, span.end, span.text, res.best, res.score, "location",
                           span.area, span.cue, alternatives, span.label,
                           res.qualifier, fallback=res.fallback))  # fmt: skip
    leads = {span.start for span in spans if span.leads}
    return [
        m
        if m.role != "location"
        else replace(m, metonymic=True)
        if m.start in leads
        else _with_metonymy(m, text, parse)
        for m in out
    ]


def _leads(span, place):
    """Whether a span opening an organisation's name is a country or first-level unit by
    its own name or abbreviation ("the U.S. Department of ...", "the X Health Authority"),
    not by another name of it, as armed groups and parties are named ("the X Army" after a
    region's older name)."""
    if place.feature_code not in _LEAD_CODES:
        return False
    return span.kind == "abbreviation" or fold(place.name) == span.key


def _ordinary_word(span):
    """Return True for a name of ordinary English words, plurals included, that the parse
    does not call a place ("Farmers", "Voters")."""
    if span.label in PLACE_LABELS:
        return False
    words = span.text.split()
    singular = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words]
    return ordinary_name(span.text) or ordinary_name(" ".join(singular))


def _reread(ctx, spans, kept, text):
    """Give a name the reading its list or its size asks for (:mod:`geo.geoparse.readings`):
    a unit among units of one country, a city's larger section over a smaller town."""
    for i in list(kept):
        unit = unit_over_country(i, spans, kept)
        if unit is not None:
            kept[i] = replace(kept[i], best=unit)
    for i, res in list(kept.items()):
        unit = directional_unit(text, spans[i], res.best, ctx.geocoder.gazetteer)
        if unit is not None:  # "southern X": X's Southern District
            kept[i] = replace(res, ranked=[(unit, res.score), *res.ranked], best=unit)
    for i, place in listed_units(text, spans, kept, ctx.geocoder.gazetteer).items():
        res = kept[i]
        kept[i] = replace(res, ranked=[(place, res.score), *res.ranked], best=place)
    for i, res in list(kept.items()):
        if res.qualifier or res.fallback:
            continue
        plain = {p.geonameid: s for p, s in ctx.geocoder.candidates(spans[i].query)}
        others = [r.best for j, r in kept.items() if j != i]
        district = larger_district(res, plain, others)
        if district is not None:
            kept[i] = replace(
                res,
                best=district,
                score=dict((p.geonameid, s) for p, s in res.ranked)[district.geonameid],
            )


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
    # An answer that is a reading of the qualifier is the geocoder falling back on it.
    qualifier_ids = {p.geonameid for p, _s in target.ranked}
    if target.best not in [p for p, _s in readings]:
        readings.insert(0, (target.best, target.score))
    tried_unit = None
    for place, score in readings[:_QUALIFIER_READINGS]:
        if best.feature_code in ("ADM1", "RGN") and place.feature_code not in COUNTRY_CODES:
            continue  # a unit is qualified by its country only
        if tried_unit is None and place.feature_code in _UNIT_CODES:
            tried_unit = (place, score)
        tried = [ctx.rank(qual.query, area=span.area)]
        tried.append(ctx.rank(span.query, area=span.area, near=(place.lat, place.lon)))
        # Last, the qualifier's area filters the name's candidates.
        tried.append([(p, s) for p, s in own.ranked if _within(p, place, qual.kind, gaz)])
        for ranked in tried:
            ranked = [(p, s) for p, s in ranked if p.geonameid not in qualifier_ids]
            if ranked and _within(resolution(ranked, weights).best, place, qual.kind, gaz):
                reading = Resolution(target.ranked, place, score, target.qualifier)
                return resolution(ranked, weights, qual.text), reading
    if (
        tried_unit is not None
        and qual.kind in ("comma", "in", "paren")
        and best.feature_class == "P"
        and best.population < _FALLBACK_TOWN
        and distance_km(best, tried_unit[0]) > _FALLBACK_KM
        and (best.country_code, best.admin1_code) not in ctx.admin1
    ):
        # "Stepove, Bakhmut raion": no Stepove in that raion is known. The raion the text
        # names is where the village is; a same-named village elsewhere is not it. But a
        # name whose own place lies in a unit the document names is that place ("residents
        # fled Rasskazovo, Moscow said" after "the Tambov region").
        place, score = tried_unit
        own_score = round(score * _FALLBACK_SHARE, 4)
        found = Resolution([(place, own_score)], place, own_score, qual.text, fallback=True)
        return found, Resolution(target.ranked, place, score, target.qualifier)
    town = target.best
    if qual.kind == "of" and town.feature_class == "P" and not _within(best, town, "of", gaz):
        # "the Podilskyi district of Kharkiv": no such part of Kharkiv is known, and the
        # gazetteer's place of that name elsewhere is not it; the town is where it lies
        own_score = round(target.score * _FALLBACK_SHARE, 4)
        found = Resolution([(town, own_score)], town, own_score, qual.text, fallback=True)
        return found, Resolution(target.ranked, town, target.score, target.qualifier)
    return None
