"""Which reading of a name its wording and its neighbours in the text allow.

Rules applied to a name's ranked candidates in :func:`geo.geoparse.resolve.geoparse`:

* :func:`physical` — a name worded as a river, sea, bay or mountain range ("the Carpathian
  Mountains", "Bzhylivka Bay") is never a town or an administrative unit of the name;
* :func:`listed_units` — a name listed among first-level units of one country ("Utah,
  Virginia, Washington and Wyoming") is that country's unit of the name, not a town;
* :func:`larger_district` — a section of a city (GeoNames PPLX) that holds more people than
  the town of the same name that outranks it only by the section's feature code is the
  place meant (a big city's district, not a smaller town of the name elsewhere);
* :func:`unit_over_country` — a name that is both a country and a first-level unit
  elsewhere, tied on score, is the unit when the document's other places lie in it or in
  its country and none in the other ("Georgia" beside Savannah and Valdosta);
* :func:`region_wording` — a name of ordinary English words, one of them a word of
  position, after "the" ("the Middle East", "the Far North") is a region the gazetteer
  lacks, not a small town of that name.
"""

from __future__ import annotations

import re

from geo.gazetteer.normalize import fold, strip_qualifiers
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.context import distance_km
from geo.geoparse.evidence import coordinated
from geo.geoparse.toponyms import common_word

__all__ = ["larger_district", "listed_units", "physical", "region_wording", "unit_over_country"]

#: Feature classes a physical name may be: water, relief, and areas such as continents
#: (GeoNames "L").
_PHYSICAL_CLASSES = frozenset("HTLU")
#: Words of a water body written after its name ("Azov Sea") that the gazetteer may hold
#: before it ("Sea of Azov").
_INVERTED = frozenset("sea gulf strait bay lake".split())
#: Least number of a list's other names that must be first-level units of one country for
#: the list to be read as a list of units.
_MIN_UNITS = 2
#: How much a section of a city may score below a town of its name and still be preferred
#: for being larger: what the section's feature code costs it (0.55 × 0.10, ranking.py).
_DISTRICT_MARGIN = 0.06
#: Another place of the document this close to a town makes it the town meant.
_NEAR_KM = 100
#: Scores this close are a tie (capped scores are equal).
_TIE = 0.01
#: A town at most this large is no answer for a region's wording ("the Middle East").
_SMALL_TOWN = 100_000


def physical(span, ranked, rank=None):
    """Return ``ranked`` without towns and units when the span is worded as a physical
    feature ("the Carpathian Mountains", "Bzhylivka Bay"): the gazetteer's rivers, seas and ranges
    answer it, or nothing does. When none does and ``rank`` (a name's ranking function) is
    given, the other English order of the name is tried ("Azov Sea" for "Sea of Azov",
    "Chad Lake" for "Lake Chad").

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> town = S(feature_class="P", name="Carpathia")
    >>> physical(S(query="Carpathian Mountains"), [(town, 0.8)])
    []
    >>> physical(S(query="Carpathian"), [(town, 0.8)]) == [(town, 0.8)]
    True
    """
    phrase = fold(span.query)
    name, kind, _near = strip_qualifiers(phrase)
    if kind != "physical":
        return ranked
    kept = [(p, s) for p, s in ranked if _physical_place(p, phrase)]
    if kept or rank is None:
        return kept
    words = phrase.split()
    others = []
    if words[-1] in _INVERTED:
        others.append(f"{words[-1]} {name}" if words[-1] == "lake" else f"{words[-1]} of {name}")
    if "straits" in words:
        others.append(" ".join("strait" if w == "straits" else w for w in words))
    for other in others:
        found = [(p, s) for p, s in rank(other) if _physical_place(p, phrase)]
        if found:
            return found
    return []


def _physical_place(place, phrase):
    """Return True when a place can answer a physical name: a water body, relief or area,
    or a place whose own name holds the whole phrase ("Guantanamo Bay" for the naval
    station of that name)."""
    return place.feature_class in _PHYSICAL_CLASSES or phrase in fold(place.name)


def _runs(text, spans, indices):
    """Return the runs of listed name spans (``indices`` in text order)."""
    runs, run = [], []
    for i in indices:
        if run and coordinated(text, spans[run[-1]], spans[i]):
            run.append(i)
        else:
            if len(run) > 1:
                runs.append(run)
            run = [i]
    if len(run) > 1:
        runs.append(run)
    return runs


def listed_units(text, spans, kept, gazetteer):
    """Return ``{index: place}`` for names listed among first-level units of one country
    whose own reading is not that country's unit of the name.

    A list of states names states: "Virginia, Washington, West Virginia" gives the state
    of Washington, not the capital nor a village of West Virginia; "Georgia" beside
    Alabama and Tennessee is the state. At least ``_MIN_UNITS`` other names of the list
    must be units of that country, and they must be most of the list.
    """
    out = {}
    names = sorted(i for i in kept if spans[i].kind == "name")
    for run in _runs(text, spans, names):
        countries = {}
        for i in run:
            best = kept[i].best
            if best.feature_code == "ADM1":
                countries.setdefault(best.country_code, []).append(i)
        for cc, units in countries.items():
            if len(units) < _MIN_UNITS or 2 * len(units) < len(run):
                continue
            for i in run:
                best = kept[i].best
                if best.feature_code == "ADM1" and best.country_code == cc:
                    continue
                if len([u for u in units if u != i]) < _MIN_UNITS:
                    continue
                unit = next(
                    (p for p in gazetteer.lookup(spans[i].key)
                     if p.feature_code == "ADM1" and p.country_code == cc
                     and fold(p.name) == spans[i].key),
                    None,
                )  # fmt: skip
                if unit is not None:
                    out[i] = unit
    return out


def larger_district(res, plain, others):
    """Return the section of a city (PPLX) a name means instead of its best town, or None.

    The section must bear the name as its own, hold more people than the town, and score
    within ``_DISTRICT_MARGIN`` of it without context (``plain`` maps geonameid to the
    name's score without context): only the section's feature code puts it below. Nothing
    else of the document may prefer the town: none of the document's ``others`` places
    (countries aside) lies in the town's first-level unit or within ``_NEAR_KM`` of it.
    """
    best = res.best
    if best.feature_class != "P" or best.feature_code == "PPLX":
        return None
    for other in others:
        if other.feature_code in COUNTRY_CODES or other.geonameid == best.geonameid:
            continue
        same_unit = (other.country_code, other.admin1_code) == (best.country_code, best.admin1_code)
        if same_unit or distance_km(other, best) <= _NEAR_KM:
            return None
    for place, _score in res.ranked:
        if (
            place.feature_code == "PPLX"
            and fold(place.name) == fold(best.name)
            and place.population > best.population
            and plain.get(place.geonameid, 0.0) >= plain.get(best.geonameid, 1.0) - _DISTRICT_MARGIN
        ):
            return place
    return None


#: Words of position that make a region's name ("the Middle East", "the Deep South").
_POSITION_WORDS = frozenset(
    """north south east west northern southern eastern western middle central far near deep
    upper lower inner outer greater midwest""".split()
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def region_wording(text, span, best, countries=()):
    """Return True when a name of ordinary English words, one of them a word of position,
    follows "the" and is no region the document's countries hold: a town of under
    ``_SMALL_TOWN`` people ("the Middle East", "the Deep South" are regions the gazetteer
    lacks, not the towns that bear their names; a building is no region: "the White House"
    is left to the other rules), or, for a single word ("the South", "the West"), any place
    outside the ``countries`` the document is about (Lebanon's South Governorate in a text
    about Lebanon, not in one about Texas)."""
    words = re.findall(r"[^\W\d_]+", span.text)
    if (
        not words
        or not all(common_word(w) for w in words)
        or not any(w.lower() in _POSITION_WORDS for w in words)
        or _THE_BEFORE.search(text, max(0, span.start - 5), span.start) is None
    ):
        return False
    if len(words) == 1:
        return bool(countries) and best.country_code not in countries
    return best.feature_class == "P" and best.population < _SMALL_TOWN


def unit_over_country(i, spans, kept):
    """Return the first-level unit a country's name means in this document, or None.

    "Georgia" beside Savannah and Valdosta is the US state: the name's country and unit
    readings tie (both capped), and the document's other places lie in the unit, or in the
    unit's country while none lies in the other country.
    """
    res = kept[i]
    best = res.best
    if best.feature_code not in COUNTRY_CODES:
        return None
    units = [p for p, s in res.ranked if p.feature_code == "ADM1" and s >= res.score - _TIE]
    if not units:
        return None
    others = [r.best for j, r in kept.items() if j != i and spans[j].key != spans[i].key]
    for unit in units:
        inside = [o for o in others
                  if (o.country_code, o.admin1_code) == (unit.country_code, unit.admin1_code)
                  and o.feature_code not in COUNTRY_CODES]  # fmt: skip
        same_country = [o for o in others if o.country_code == unit.country_code]
        rival = [o for o in others if o.country_code == best.country_code]
        if not rival and (inside or len(same_country) >= _MIN_UNITS):
            return unit
    return None


#: Words of direction before a country's name, and the names a unit of that part may bear.
_DIRECTIONS = {
    "northern": ("northern", "north"), "north": ("north", "northern"),
    "southern": ("southern", "south"), "south": ("south", "southern"),
    "eastern": ("eastern", "east"), "east": ("east", "eastern"),
    "western": ("western", "west"), "west": ("west", "western"),
}  # fmt: skip
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+$")


def directional_unit(text, span, best, gazetteer):
    """Return the first-level unit a country's name with a word of direction before it
    means, or None: "southern X" is X's Southern District when X has a unit so named (its
    names in the gazetteer include the bare word: "Southern", "South"). A country with no
    such unit keeps its own reading ("eastern X")."""
    if best.feature_code not in COUNTRY_CODES:
        return None
    before = _WORD_BEFORE.search(text, max(0, span.start - 12), span.start)
    if before is None or before.group(1).lower() not in _DIRECTIONS:
        return None
    for word in _DIRECTIONS[before.group(1).lower()]:
        units = [p for p in gazetteer.lookup(word)
                 if p.feature_code == "ADM1" and p.country_code == best.country_code]  # fmt: skip
        if len(units) == 1:
            return units[0]
    return None
