"""Geoparse a document: resolve place spans with the document as context, drop false places."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from geo.common.words import grouped_alternation, word_alternation
from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.normalize import PLACE_WORDS, REGION_WORDS, fold
from geo.gazetteer.place import COUNTRY_CODES, Place
from geo.geoparse.geocoder import Context, GazetteerGeocoder
from geo.geoparse.toponyms import Span, common_word, scan

__all__ = ["LOCATIVE", "MIN_MENTION_SCORE", "Mention", "geoparse", "is_metonymic"]

#: Weakest candidate score a mention is kept with.
MIN_MENTION_SCORE = 0.5
#: Prepositions that make the following name a location ("in Kursk", "near Sudzha").
LOCATIVE = frozenset(
    "in near at outside around into to toward towards across inside within through from "
    "between of".split()
)
_STRONG_LOCATIVE = LOCATIVE - {"of", "from", "to", "between"}
_CALENDAR = frozenset(
    w.lower() for w in (*calendar.month_name[1:], *calendar.day_name, *calendar.month_abbr[1:])
)
_BIG_UNITS = COUNTRY_CODES | {"ADM1", "RGN", "PPLC"}
# Words after a place that make it stand for its government or people ("Kyiv said").
_GOVERNMENT_VERBS = frozenset(
    """said says say denied denies deny confirmed confirms announced announces claimed claims
    supplied supplies sent sends has have had gains gained insisted insists warned warns
    accused accuses rejected rejects condemned condemns responded responds reported reports
    stated states argued argues agreed agrees wants wanted fills filled decided decides
    deployed deploys acknowledged acknowledges dismissed dismisses courted courts blamed
    blames threatened threatens admitted admits refused refuses is was will would could
    may might must should could hopes hoped believes believed""".split()
)
_GOVERNMENT_NOUNS = frozenset(
    """regime government authorities officials leadership administration military army
    forces troops involvement decision ministry foreign relations ties statement response
    officials spokesman president leader claim claims reaction intelligence""".split()
)
_SOURCE_CUE_WORDS = (
    r"reports?|officials?|sources?|statements?|news|media|authorities|"
    r"analysts|spokes\w+"
)
_SOURCE_CUES = grouped_alternation(_SOURCE_CUE_WORDS, re.IGNORECASE,
                                   after=r"\s+(?:from|in)\s+(?:the\s+)?$")  # fmt: skip
_BETWEEN_WORDS = r"between|ties\s+with|relations\s+with|partner(?:ship)?\s+with"
_BETWEEN = word_alternation(_BETWEEN_WORDS, re.IGNORECASE, tail=r"\s+(?:\w+\s+){0,3}$")


@dataclass(frozen=True)
class Mention:
    """A place mention: where it is in the text and the place it resolves to.

    ``role`` is "location" for a place and "actor" for a demonym or an adjective of a
    country ("North Korean", "Ukrainian"), whose ``place`` is that country. ``area`` is True
    when the text calls it a region; ``cue`` is the word before it ("in", "near").
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
            "role": self.role,
        }  # fmt: skip


_GEOCODERS = {}
_LOOKUPS = {}


def _lookup(gaz, key):
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


def _geocoder_for(gaz):
    """Return one geocoder per gazetteer, so its cache serves every document."""
    geocoder = _GEOCODERS.get(id(gaz))
    if geocoder is None or geocoder.gazetteer is not gaz:
        geocoder = _GEOCODERS[id(gaz)] = GazetteerGeocoder(gaz)
    return geocoder


def _document_countries(spans, gaz):
    """Return ``{country: weight}`` from country names, demonyms and unambiguous names."""
    counts = {}
    for span in spans:
        if span.country:
            counts[span.country] = counts.get(span.country, 0) + 1
            continue
        places = _lookup(gaz, span.key)
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


def _is_person(span, text, gaz, best):
    if span.person:
        return True
    if " " in span.key or best.feature_code in _BIG_UNITS:
        return False
    gap = text[span.end : span.end + 1]
    after = span.after
    return (
        gap == " "
        and after[:1].isupper()
        and not gaz.has_key(fold(after))
        and after.lower() not in REGION_WORDS
        and after.lower() not in PLACE_WORDS
        and after.lower() not in _CALENDAR
        and not common_word(after)
    )


def _keep(span, best, score, weights, text, gaz):
    """Return whether a resolved name span is a place mention (the false-place rules)."""
    if score < MIN_MENTION_SCORE:
        return False
    single = " " not in span.key
    cue = span.cue
    big = best.feature_code in _BIG_UNITS or best.population >= 1_000_000
    in_doc = not weights or weights.get(best.country_code, 0) > 0
    if _is_person(span, text, gaz, best):
        return False
    if single and span.text.isupper() and len(span.text) <= 5 and not big:
        return False  # an acronym ("NATO", "SBU")
    words = re.findall(r"[^\W\d_]+", span.text)
    if (single and len(span.key) <= 3) or all(common_word(w) for w in words):
        if best.feature_code in COUNTRY_CODES:
            return True  # "China", "Turkey", "Jordan": a country named outright
        if big and in_doc and weights and not span.sentence_initial:
            return True  # a capital or province of a country the document is about
        if span.sentence_initial or cue not in _STRONG_LOCATIVE | {"from", "to"}:
            return False
        return in_doc and (best.population >= 100_000 or weights.get(best.country_code, 0) > 0)
    if not in_doc and best.population < 100_000 and not big and cue not in LOCATIVE:
        return False
    return True


def geoparse(text, *, gazetteer=None, geocoder=None):
    """Find and resolve the place mentions of a document.

    Parameters
    ----------
    text : str
        The document.
    gazetteer : Gazetteer, optional
        Default: :meth:`Gazetteer.default`.
    geocoder : GazetteerGeocoder, optional
        Default: one over ``gazetteer``.

    Returns
    -------
    list of Mention
        In text order; place mentions (role "location") and country adjectives (role
        "actor"). A name that cannot be resolved is left out; it never stops the rest.

    Examples
    --------
    >>> [m.place.name for m in geoparse("Troops crossed into the Kursk region.")]
    ['Kursk Oblast']
    """
    gaz = gazetteer or Gazetteer.default()
    geocoder = geocoder or _geocoder_for(gaz)
    spans = scan(text, gaz)
    weights = _document_countries(spans, gaz)
    strong = [s for s in spans if s.kind == "name" and (s.area or " " in s.key)]
    admin1 = set()
    units = {}  # strong names ranked with the countries alone
    for span in strong:
        # The unit a strong name stands for, read with the document's countries: "the
        # Donetsk region of Ukraine" is Donetsk Oblast, not the first Donetsk listed.
        for place, _score in _ranked(units, geocoder, span, weights, frozenset())[:1]:
            if place.admin1_code and weights.get(place.country_code):
                admin1.add((place.country_code, place.admin1_code))
    cache = {}  # every name ranked with the countries and these units
    out = []
    for span in spans:
        if span.kind != "name":
            place = gaz.country(span.country) if span.country else None
            if span.kind == "abbreviation" and place is not None:
                out.append(Mention(span.start, span.end, span.text, place, 1.0, "location",
                                   False, _cue(span)))  # fmt: skip
            elif place is not None:
                out.append(Mention(span.start, span.end, span.text, place, 1.0, "actor"))
            continue
        if span.key in _CALENDAR:
            continue
        ranked = _ranked(cache, geocoder, span, weights, admin1)
        if not ranked:
            continue
        best, score = ranked[0]
        tied = [p for p, s in ranked if s >= score and p.country_code != best.country_code]
        if tied and weights:
            # Scores capped at 1.0 tie: the country the document is most about decides.
            best = max([best, *tied], key=lambda p: weights.get(p.country_code, 0.0))
        if not _keep(span, best, score, weights, text, gaz):
            continue
        alternatives = tuple((p.geonameid, s) for p, s in ranked[1:4])
        out.append(Mention(span.start, span.end, span.text, best, score, "location", span.area,
                           _cue(span), alternatives))  # fmt: skip
    return out


def _ranked(cache, geocoder, span, weights, admin1):
    """Return ``_candidates(...)`` for a span, once per name and wording in a document."""
    key = (span.query, span.area)
    if key not in cache:
        try:
            cache[key] = _candidates(geocoder, span, weights, admin1)
        except (ValueError, TypeError, LookupError):
            cache[key] = []  # one bad name never spoils the rest
    return cache[key]


# Ranked candidates by (geocoder, name, area wording, document context): documents about one
# conflict share their context, and the geocoder only caches answers without context.
_CONTEXT_CACHE = {}
#: Largest score the document context can add to a candidate (countries 0.2, admin1 0.15).
_MAX_CONTEXT_BONUS = 0.35


def _candidates(geocoder, span, weights, admin1):
    """Return ranked candidates for a span, with the document as context when it matters.

    Without context the geocoder caches answers across documents; when the best candidate
    leads the next by more than the context could add (and the text does not call the name
    a region), the context cannot change the answer and that cached ranking is used.
    """
    if not span.area:
        ranked = geocoder.candidates(span.query)[:4]
        if len(ranked) < 2 or ranked[0][1] - ranked[1][1] > _MAX_CONTEXT_BONUS:
            return ranked
    key = (id(geocoder), span.query, span.area, tuple(sorted(weights.items())),
           tuple(sorted(admin1)))  # fmt: skip
    ranked = _CONTEXT_CACHE.get(key)
    if ranked is None:
        ctx = Context(countries=weights, admin1=admin1, prefer_area=span.area)
        ranked = geocoder.candidates(span.query, context=ctx)[:4]
        if len(_CONTEXT_CACHE) > 50_000:
            _CONTEXT_CACHE.clear()
        _CONTEXT_CACHE[key] = ranked
    return ranked


def _cue(span: Span):
    return span.cue


def is_metonymic(text, mention):
    """Return True when a place stands for its government or people, not for a location.

    "Kyiv said", "Pyongyang supplied shells", "Moscow's involvement", "the Pyongyang
    regime", "reports from Kiev", "ties between Pyongyang and Moscow": countries, capitals
    and seats of government used as actors or sources.

    Examples
    --------
    >>> text = "Moscow denied it."
    >>> is_metonymic(text, geoparse(text)[0])
    True
    """
    place = mention.place
    if place is None:
        return False
    if mention.role == "actor":
        return True
    big = place.feature_code in COUNTRY_CODES or place.feature_code in ("PPLC", "ADM1")
    big = big or place.feature_code == "PPLG" or place.population >= 1_000_000
    if not big:
        return False
    before = text[max(0, mention.start - 60) : mention.start]
    if _SOURCE_CUES.search(before) or _BETWEEN.search(before):
        return True
    after = text[mention.end : mention.end + 40]
    m = re.match(r"(['’]s?)?\s*([A-Za-z]+)", after)
    if not m:
        return False
    word = m.group(2).lower()
    if word in _GOVERNMENT_NOUNS:
        return True  # "the Pyongyang regime", "Moscow's involvement"
    if mention.cue in _STRONG_LOCATIVE:
        return False
    if m.group(1):
        return place.feature_code in COUNTRY_CODES
    return word in _GOVERNMENT_VERBS or word in ("and", "or")
