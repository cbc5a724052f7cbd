"""How the geocoder matches a folded name to gazetteer rows: exact names, then other spellings.

``NameMatching`` is a mixin of :class:`geo.geoparse.geocoder.GazetteerGeocoder`; it needs the
geocoder's ``gazetteer``, ``cache_size`` and the caches ``_found``, ``_rows`` and
``_spellings``. Match kinds and their strengths are those of
:data:`geo.geoparse.ranking.MATCH_STRENGTH`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from geo.common.cache import bounded_put
from geo.gazetteer.lookup import LATIN_ALT, MAIN
from geo.gazetteer.normalize import fold, skeleton, strip_qualifiers
from geo.geoparse import ranking
from geo.geoparse.matching import (
    edits1,
    letter_counts,
    name_variants,
    romanisations,
    shared_ratio,
    similarity,
    vowel_form,
)

__all__ = [
    "MAIN_MATCH",
    "NAME_CACHE",
    "SPELLINGS_CACHE",
    "Found",
    "Match",
    "NameMatching",
    "in_cyrillic",
]

#: Names whose matching rows, and their scores before context, are kept.
NAME_CACHE = 4096
#: Rows whose main name's spellings (folded, skeleton, romanisations) are kept: row data,
#: like the ranking data of ``_rows``, kept whatever the geocoder's ``cache_size``.
SPELLINGS_CACHE = 16_384
_ADJECTIVE_SUFFIXES = ("skyi", "skyy", "skiy", "sky", "kyi", "kiy", "yi", "iy", "y", "ivskyi")
#: Countries whose own place names are written in Cyrillic.
_CYRILLIC_COUNTRIES = frozenset("RU UA BY BG RS MK KZ KG TJ MN ME BA".split())
#: Cyrillic letters (the ones :func:`~geo.gazetteer.normalize.transliterate` writes in Latin).
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")


def in_cyrillic(text):
    """Return True when ``text`` holds a Cyrillic letter (a name written in Cyrillic)."""
    return _CYRILLIC_LETTER.search(text) is not None


class Match(NamedTuple):
    """How a name matched a row: the kind (a key of ``ranking.MATCH_STRENGTH``) and the
    similarity of the spellings."""

    kind: str  # a key of ranking.MATCH_STRENGTH
    similarity: float


MAIN_MATCH = Match("main", 1.0)
#: The similarity left to a name matched without its area word when the whole wording is
#: another place's name.
_PART_SHARE = 0.9
#: The exact matches of each kind, shared (tuples do not change).
_EXACT = {
    kind: Match(kind, 1.0) for kind in ("main", "alternate", "alternate_weak", "transliterated")
}


class Found(NamedTuple):
    """What a folded name matches: rows and how, the query's wording, "near" words."""

    matches: dict
    kind: str | None
    near: bool


def _strength(match):
    return ranking.MATCH_STRENGTH[match.kind] * match.similarity


class NameMatching:
    """Name matching of the geocoder (a mixin): rows, match kinds, tiers of spellings."""

    def _info(self, idx):
        """Return the :class:`~geo.geoparse.ranking.RowInfo` of a row (computed once)."""
        rows = self._rows
        if idx >= len(rows):  # the gazetteer grew (user places) or first use
            rows.extend([None] * (len(self.gazetteer) - len(rows)))
        info = rows[idx]
        if info is None:
            pop, fclass, fcode, area = self.gazetteer.row_rank_data(idx)
            precision = self.gazetteer.precision_at(idx)
            info = rows[idx] = ranking.row_info(pop, fclass, fcode, area, precision)
        return info

    def _main_spellings(self, idx):
        """Return a row's folded main name, its skeleton and its other romanisations (kept
        for the last :data:`SPELLINGS_CACHE` rows asked)."""
        spellings = self._spellings.get(idx)
        if spellings is None:
            main = fold(self.gazetteer.name_at(idx))
            spellings = (main, skeleton(main), frozenset(romanisations(main)))
            bounded_put(self._spellings, idx, spellings, SPELLINGS_CACHE)
        return spellings

    def _kind_of(self, idx, kind, key, forms=None):
        """Return the match kind of the name ``key`` of entry kind ``kind`` for row ``idx``.

        ``forms``: a dict in which the key's own skeleton and romanisations are kept between
        the rows of one lookup.
        """
        if kind == MAIN:
            return "main"
        if kind != LATIN_ALT:
            # A Cyrillic name of a place outside the Cyrillic-script countries is a
            # translation (Прибрежный for Littoral, Cameroon), not a name used there.
            cc = self.gazetteer.place_at(idx).country_code
            return "alternate" if cc in _CYRILLIC_COUNTRIES else "alternate_weak"
        # Latin alternate names mix in other languages' and neighbouring villages' names
        # (Plekhiv lists "Plekhovo"); one spelt like the main name is the place's own.
        if forms is None:
            forms = {}
        main, main_skeleton, main_romanisations = self._main_spellings(idx)
        sk = forms.get("skeleton")
        if sk is None:
            sk = forms["skeleton"] = skeleton(key)
        if sk == main_skeleton or key in main_romanisations:
            return "alternate"
        roms = forms.get("romanisations")
        if roms is None:
            roms = forms["romanisations"] = romanisations(key)
        if main in roms:
            return "alternate"
        return "alternate_weak"

    def _exact(self, key, cyrillic=False):
        """Return ``{row: Match}`` of the rows one of whose names folds to ``key``.

        ``cyrillic``: the name was written in Cyrillic. It then equals a Latin main name
        only once transliterated: that is the name in another script, a ``transliterated``
        match, not the place's own written name (which its Cyrillic name, an alternate
        name, is); a main name written in Cyrillic (an analyst's place) stays ``main``.
        """
        found = {}
        forms = {}  # the key's skeleton and romanisations, once for all its rows
        for idx, kind in self.gazetteer.entries(key):
            if kind != MAIN:
                match = _EXACT[self._kind_of(idx, kind, key, forms)]
            elif cyrillic and not in_cyrillic(self.gazetteer.name_at(idx)):
                match = _EXACT["transliterated"]
            else:
                match = MAIN_MATCH
            old = found.get(idx)
            if old is None:
                found[idx] = match
            elif _strength(match) > _strength(old):
                found[idx] = match
        return found

    def _near_spellings(self, key, found, *, floor, fuzzy, notable_only=False, least=0.0):
        """Return matches of other spellings of ``key``: transliterations, then one edit.

        Only rows more populous than ``floor`` count (-1: all), only towns and areas with
        ``notable_only``, only spellings at least ``least`` alike; edits only with ``fuzzy``.
        Similarity is that of the spellings with their vowels merged
        (:func:`~geo.geoparse.matching.vowel_form`): Russian and
        Ukrainian forms of a name differ mostly in vowels (Клещеевка, Kleshcheevka and
        Кліщіївка, Klishchiivka).
        """
        gaz = self.gazetteer

        def wanted(idx):
            info = self._info(idx)
            return (
                idx not in found and info.population > floor and (info.notable or not notable_only)
            )

        out = {}
        for name in gaz.known_keys(romanisations(key)):
            for idx, _kind in gaz.entries(name):
                if wanted(idx):
                    out[idx] = Match("transliterated", 1.0)
        sk = skeleton(key)
        names = set(gaz.skeleton_keys(sk, min_population=floor)) if len(sk) >= 4 else set()
        kind = "skeleton"
        if fuzzy and not names and not out:
            names = gaz.known_keys(edits1(key, swaps_only=len(key) < 6))
            kind = "fuzzy"
        names.discard(key)
        compact = key.replace(" ", "")
        letters = letter_counts(compact)
        form = vowel_form(compact)
        form_letters = letter_counts(form)
        lowest = max(least, 0.75 if kind == "skeleton" else 0.8)
        for name in names:
            other = name.replace(" ", "")
            # The share of letters in common bounds the similarity from above: a name that
            # cannot reach ``lowest`` is not compared letter by letter.
            share = shared_ratio(letters, len(compact), other)
            if share < 0.7:
                continue
            if kind == "skeleton":
                other = vowel_form(other)
                if shared_ratio(form_letters, len(form), other) ** 2 < lowest:
                    continue
                ratio = similarity(form, other) ** 2  # vowels alike, else weak
            elif share < lowest:
                continue
            else:
                ratio = similarity(compact, other)
            if ratio < lowest:
                continue
            for idx, _kind in gaz.entries(name):
                if not wanted(idx):
                    continue
                old = out.get(idx)
                if old is None or ratio > old.similarity:
                    out[idx] = Match(kind, ratio)
        return out

    def _matches(self, key, *, wide=False, fuzzy=True, cyrillic=False):
        """Return ``{row: Match}`` for a folded key.

        The name itself first. Other spellings (another romanisation, the same consonant
        skeleton: a Russian or Ukrainian form) of any place when nothing matched, or when
        ``wide`` (a qualifier's area filters them); of towns spelt nearly alike when only
        units matched; never when a populated place has the name, however small. Names one
        edit away only when nothing matched exactly. ``cyrillic``: see :meth:`_exact`.
        """
        found = self._exact(key, cyrillic)
        if len(key) < 4:
            return found
        if not found and " " in key:
            # the Arabic article in another form, or a hyphenated name the gazetteer joins
            for variant in sorted(name_variants(key)):
                for idx in self._exact(variant, cyrillic):
                    found.setdefault(idx, Match("transliterated", 1.0))
        if wide or not found:
            found.update(self._near_spellings(key, found, floor=-1, fuzzy=fuzzy and not found))
            return found
        info = self._info
        for i in found:
            if info(i).feature_class == "P":
                return found  # a populated place has this name: no other spelling beats it
        # Only units: a town named alike in another romanisation (Deir al-Balah).
        found.update(self._near_spellings(key, found, floor=-1, fuzzy=False,
                                          notable_only=True, least=0.95))  # fmt: skip
        return found

    def _find(self, key, wide=False, fuzzy=True, cyrillic=False):
        """Return the :class:`Found` of a folded key with its wording ("X region").

        ``fuzzy`` false: no names one edit away (a qualifier must name its place).
        ``cyrillic``: the name was written in Cyrillic (see :meth:`_exact`).
        """
        cache_key = (key, wide, fuzzy, cyrillic, len(self.gazetteer)) if self.cache_size else None
        hit = self._found.get(cache_key) if cache_key else None
        if hit is not None:
            return hit
        base, kind, near = strip_qualifiers(key)
        if kind == "district" and key.split()[-1] in ("hromada", "community"):
            kind = "hromada"
        if kind == "physical" and self.gazetteer.has_key(key):
            base, kind = key, None  # the word is part of a name ("Red Sea", "Deer River")
        if base == key:
            matches = self._matches(key, wide=wide, fuzzy=fuzzy, cyrillic=cyrillic)
        else:
            matches = self._exact(key, cyrillic)
            whole = bool(matches)
            for idx, match in self._matches(
                base, wide=wide, fuzzy=fuzzy, cyrillic=cyrillic
            ).items():
                if whole and idx not in matches:
                    # The whole wording names a place ("Republic of Congo"): one named only
                    # by the name without its area word ("Congo") is a less alike spelling.
                    match = Match(match.kind, match.similarity * _PART_SHARE)
                if idx not in matches or _strength(match) > _strength(matches[idx]):
                    matches[idx] = match
        if kind == "district":
            # Districts are named after their town as adjectives: Kupiansk -> Kupianskyi Raion.
            for suffix in _ADJECTIVE_SUFFIXES:
                for idx, match in self._exact(base + suffix, cyrillic).items():
                    if self._info(idx).feature_code == "ADM2":
                        matches[idx] = match
        found = Found(matches, kind, near)
        if self.cache_size:
            bounded_put(self._found, cache_key, found, NAME_CACHE)
        return found
