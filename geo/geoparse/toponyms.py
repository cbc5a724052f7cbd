"""Find place-name spans in running text: gazetteer n-grams, demonyms, region wording."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter

from geo.gazetteer.country_names import ABBREVIATIONS, FORMER_NAMES
from geo.gazetteer.normalize import (
    DISTRICT_WORDS,
    PHYSICAL_LEADS,
    PHYSICAL_WORDS,
    PLACE_WORDS,
    REGION_WORDS,
    fold,
)
from geo.geoparse.matching import ARTICLES, name_variants

__all__ = [
    "FORMER_COUNTRIES",
    "LOCATIVE",
    "PERSON_TITLES",
    "Span",
    "common_word",
    "demonyms",
    "scan",
    "tokenize",
]

# A word: letters (any script) with inner hyphens or apostrophes ("Rostov-on-Don", "Pokrovs'k").
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?", re.UNICODE)
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})", re.UNICODE)
_POSSESSIVE = ("'s", "’s", "'", "’")
#: Lower-case words that may sit inside a multi-word place name ("Rostov-on-Don", "Isle of Man").
_CONNECTORS = frozenset("of on upon de del la le al el sur am an der na nad pod and the".split())
#: Words before a name that make it a person's name ("Mr. Ri", "President Vladimir Putin").
PERSON_TITLES = frozenset(
    """mr mrs ms miss dr prof president minister secretary general gen colonel col sergeant sgt
    lt lieutenant captain capt major commander chancellor king queen prince princess pope
    senator sen rep governor gov mayor spokesman spokeswoman spokesperson leader chief
    ambassador envoy premier paratrooper soldier officer analyst journalist reporter author
    writer dictator marshal admiral private corporal defector professor sheikh emir
    ayatollah imam bishop patriarch judge""".split()
)
# Irregular demonyms and adjectives (the regular ones are made from country names).
_IRREGULAR = {
    "american": "US", "british": "GB", "briton": "GB", "english": "GB", "scottish": "GB",
    "welsh": "GB", "french": "FR", "dutch": "NL", "swiss": "CH", "swedish": "SE", "swede": "SE",
    "danish": "DK", "dane": "DK", "finnish": "FI", "finn": "FI", "norwegian": "NO",
    "polish": "PL", "pole": "PL", "turkish": "TR", "turk": "TR", "spanish": "ES",
    "spaniard": "ES", "portuguese": "PT", "greek": "GR", "irish": "IE", "icelandic": "IS",
    "filipino": "PH", "thai": "TH", "saudi": "SA", "emirati": "AE", "afghan": "AF",
    "congolese": "CD", "ivorian": "CI", "kazakh": "KZ", "uzbek": "UZ", "tajik": "TJ",
    "kyrgyz": "KG", "turkmen": "TM", "belarusian": "BY", "azerbaijani": "AZ", "azeri": "AZ",
    "czech": "CZ", "slovak": "SK", "serb": "RS", "bosnian": "BA", "kosovar": "XK",
    "persian": "IR", "burmese": "MM", "laotian": "LA", "argentine": "AR",
    "argentinian": "AR", "peruvian": "PE", "nigerien": "NE", "burkinabe": "BF",
    "ghanaian": "GH", "nepali": "NP", "israeli": "IL", "soviet": "RU", "kremlin": "RU",
    "malagasy": "MG", "sri lankan": "LK", "new zealander": "NZ", "emirates": "AE",
    # regular forms that the rules above miss or that a village's name hides
    "lebanese": "LB", "palestinian": "PS", "malian": "ML", "somali": "SO", "chadian": "TD",
    "mozambican": "MZ", "togolese": "TG", "german": "DE", "belgian": "BE", "canadian": "CA",
    "cypriot": "CY", "salvadoran": "SV", "honduran": "HN",
}  # fmt: skip
#: Former names of countries that news still uses (``geo.gazetteer.country_names``; the name
#: this module has always exported).
FORMER_COUNTRIES = FORMER_NAMES
#: Prepositions that make the following name a location ("in Kursk", "near Sudzha").
LOCATIVE = frozenset(
    "in near at outside around into to toward towards across inside within through from "
    "between of over along via throughout beyond off past".split()
)
#: Region words whose plural after a list of names makes each an area.
AREA_PLURALS = frozenset("region oblast province state governorate territory".split())
#: What separates the names of a list ("A, B and C").
#: Words before "area of X" that make it the region around X ("the wider area of X"); any
#: other lower-case word before it names a part of the town ("an industrial area of X", "the
#: port area of X": the town, not its region).
_EXTENT_WORDS = frozenset(
    "wider whole entire greater surrounding border frontier rural metropolitan".split()
)
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+")
_SENTENCE_END = re.compile(r"(?:[.!?:;…\"“”]\s*|\n\s*|^\s*)$")


@dataclass(frozen=True)
class Span:
    """A candidate place (or demonym) span in a text.

    ``query`` is what to geocode (the name, or "name district"); ``area`` is True when the
    text calls it a region ("the Kursk region", "Kursk Oblast"); ``kind`` is "name",
    "demonym" or "abbreviation"; ``country`` is set for demonyms and abbreviations.
    ``label`` is the entity label of the parse that names the span ("GPE", "PERSON"; "" when
    none) and ``relation`` how the parse's entities cover it (see
    :meth:`geo.geoparse.entities.ParseView.relation`); :func:`geo.geoparse.detect.detect`
    sets both, and ``verb``: the verb whose object the name is ("shell" in "shelled El
    Fasher"); ``placeword`` says that the text calls it a town ("Kherson city", "the city
    of Kherson": the query then asks for a populated place). A region word written after
    the name in lower case ("the Kursk region",
    "the Pokrovsk district") is left out of the span, which is the name, and ends at
    ``wording_end``; written as part of the name ("Kursk Oblast") it is in the span.
    """

    start: int
    end: int
    text: str
    key: str
    query: str
    kind: str = "name"
    area: bool = False
    country: str | None = None
    sentence_initial: bool = False
    before: str = ""
    after: str = ""
    person: bool = False
    cue: str = ""
    label: str = ""
    relation: str = ""
    wording_end: int = 0
    verb: str = ""
    placeword: bool = False
    leads: bool = False

    def __post_init__(self):
        if self.wording_end < self.end:
            object.__setattr__(self, "wording_end", self.end)


def _part_of_town(before):
    """Whether the words before a name ("... industrial area of", "residential areas of")
    make "area of X" a part of the town X: a lower-case word other than a determiner or an
    extent word qualifies "area" or "areas"."""
    if len(before) < 3 or before[-2].lower() not in ("area", "areas"):
        return False
    word = before[-3]
    return (
        word.isalpha()
        and word.islower()
        and word not in _EXTENT_WORDS
        and word not in ("the a an this that its their".split())
    )


def tokenize(text):
    """Return ``(start, end, word)`` tokens: words with possessive endings split off."""
    # re.split with the token pattern captured gives gap, word, gap, word, ..., gap; the
    # running sum of their lengths gives each word's start and end without a Python loop.
    parts = _TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, parts)))
    out = list(zip(offsets[0:-1:2], offsets[1::2], parts[1::2], strict=True))
    for i in [i for i, t in enumerate(out) if t[2][-1] == "." or "'" in t[2] or "’" in t[2]]:
        start, _end, word = out[i]
        last = word[-1]
        if (
            last == "."
            and (len(word) > 4 or not word[0].isupper())
            and not (len(word) > 2 and word[-3] == ".")
        ):
            word = word[:-1]  # a full stop, not an abbreviation's dot ("Mr.", "St.")
        elif last in "s'’":
            for ending in _POSSESSIVE:
                if word.endswith(ending) and len(word) > len(ending) + 1:
                    word = word[: -len(ending)]
                    break
        else:
            continue
        out[i] = (start, start + len(word), word)
    return out


@lru_cache(maxsize=1)
def _english_lowercase():
    """Return the set of lower-case English dictionary words (common nouns, verbs, ...)."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True)
                     if w.islower())  # fmt: skip


def common_word(word):
    """Return True when ``word`` is also an ordinary English word ("Mission", "Deal", "Of").

    Examples
    --------
    >>> common_word("Mission"), common_word("Kursk")
    (True, False)
    """
    lower = word.lower()
    return len(lower) <= 2 or lower in _english_lowercase()


@lru_cache(maxsize=8)
def demonyms(gazetteer):
    """Return ``{folded demonym: country code}`` for the gazetteer's countries.

    Regular forms are made from each country's name (Ukraine → Ukrainian, North Korea →
    North Korean, Iraq → Iraqi, Sudan → Sudanese); irregular ones come from a table.
    Plurals ("Ukrainians") are included.
    """
    out, best = {}, {}
    names = {}
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            place = gazetteer.country(a + b)
            if place is not None:
                names[fold(place.name)] = place.country_code
    for name, cc in names.items():
        forms = {name + "n", name + "an", name + "ian", name + "i", name + "ese"}
        if name.endswith(("a", "e", "o")):
            forms |= {name[:-1] + "an", name[:-1] + "ian", name[:-1] + "ese"}
        if name.endswith("y"):
            forms |= {name[:-1], name[:-1] + "ian"}
        if name.endswith("ia"):
            forms.add(name[:-1])
        for form in forms:
            if form not in names and not gazetteer.has_key(form):
                # two countries may make one form ("Nigerian" of Niger + ian and of
                # Nigeria + n): the country whose name the form keeps the more of has it
                kept = len(name) if form.startswith(name) else len(name) - 1
                if kept > best.get(form, -1):
                    out[form], best[form] = cc, kept
    out.update(_IRREGULAR)
    for form, cc in list(out.items()):
        out.setdefault(form + "s", cc)
    return out


def _is_sentence_initial(text, start):
    before = text[max(0, start - 6) : start]
    if re.search(r"(?:^|\s)(?:[A-Z][a-z]{0,3}|(?:[A-Z]\.)+)\.\s+$", before):
        return False  # after "Mr.", "Dr.", "St.", "U.S.": an abbreviation, not a full stop
    return _SENTENCE_END.search(before[-4:]) is not None


# Words between a preposition and the name it governs ("in the entire western Kursk region").
_SKIP_BEFORE = frozenset(
    """the a an entire whole western eastern northern southern
    central north south east west northeastern northwestern southeastern southwestern border
    occupied liberated frontline front-line embattled besieged nearby neighbouring
    neighboring russian ukrainian""".split()
)


def _cue(before_tokens, text, start):
    """Return the word that governs a name: the last one before it, skipping articles and
    adjectives, and a possessive country ("in Russia's Kursk region" gives "in")."""
    words = list(before_tokens)
    if len(words) >= 2 and words[-1].lower() == "of" and words[-2].lower() in PLACE_WORDS:
        return "in"  # "the town of Avdiivka": the name is the place itself
    while words:
        word = words[-1]
        low = word.lower()
        if low in _SKIP_BEFORE:
            words.pop()
            continue
        if word[:1].isupper() and len(words) < len(before_tokens) + 1:
            end = text.rfind(word, 0, start) + len(word)
            if text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in ("'", "’"):
                words.pop()
                continue
        return low
    return ""


def _physical_lead(before_tokens, tokens, i, text):
    """Return True when the capitalised words right before a name make it a physical
    feature's name ("Strait of Hormuz", "Lake Chad", "Mount Hermon")."""
    if not before_tokens:
        return False
    words = before_tokens[-2:] if before_tokens[-1] == "of" else before_tokens[-1:]
    lead = words[0]
    if not lead[:1].isupper() or lead.lower().rstrip(".") not in PHYSICAL_LEADS:
        return False
    if words[-1] != "of" and lead.lower().rstrip(".") not in ("lake", "mount", "mt"):
        return False
    first = i - len(words)
    gaps = [text[tokens[n][1] : tokens[n + 1][0]] for n in range(first, i)]
    return all(g == " " for g in gaps)


def _river_bank(before_tokens):
    """Return True when the words before a name are "bank(s) of (the)": a river's name."""
    words = [w.lower() for w in before_tokens]
    if words[-1:] == ["the"]:
        words = words[:-1]
    return len(words) >= 2 and words[-1] == "of" and words[-2] in ("bank", "banks")


def _glued_to_digits(text, start, end):
    """Return True when a word touches a digit ("H5N1", "5G"): part of a code, not a name."""
    return (start > 0 and text[start - 1].isdigit()) or text[end : end + 1].isdigit()


#: A name's word with the Arabic article joined in lower case ("al-X", "ez-Z").
_ARTICLED = re.compile(r"(?:al|el|ad|ed|ar|er|as|es|ash|esh|at|et|az|ez|an|en|ul|ud)[-‑][A-Z]")


def _capitalised(word):
    return word[:1].isupper() or _ARTICLED.match(word) is not None


def _known_variant(key, written, gazetteer):
    """Return the gazetteer's spelling of a name written with another form of the Arabic
    article or hyphenated where the gazetteer writes one word (:func:`name_variants`), or "".

    The article is only dropped or changed when written as such: "Al" or "El" as a word, or
    any form joined to the name by a hyphen ("as-Sx"), never an English word ("As").
    """
    words = key.split()
    if words[0] in ARTICLES and not (words[0] in ("al", "el") or re.match(r"[^\W\d_]+-", written)):
        return ""
    if "-" not in written and not any(w in ("al", "el") for w in words):
        return ""
    known = [v for v in sorted(name_variants(key)) if gazetteer.has_key(v)]
    return known[0] if known else ""


def scan(text, gazetteer):
    """Return place-name and demonym spans in ``text``, longest match first, left to right.

    A span starts at a capitalised word and runs over up to ``gazetteer.max_name_tokens``
    words whose folded form is a gazetteer key; lower-case connectors may sit inside a name
    ("Rostov-on-Don") but it ends on a capitalised word. A region word after the name
    ("region", "oblast", "province"; "border region") makes it an area span; it is part of
    the span only when written as part of the name ("Kursk Oblast", not "Kursk region").
    Words touching a digit are codes, not names ("N" in "H5N1").

    Parameters
    ----------
    text : str
        Any text.
    gazetteer : Gazetteer
        Provides ``has_key``, ``max_name_tokens`` and the countries for demonyms.

    Returns
    -------
    list of Span
    """
    tokens = tokenize(text)
    dem = demonyms(gazetteer)
    max_n = max(1, min(gazetteer.max_name_tokens, 8))
    out = []
    n_tok = len(tokens)
    first_letters = map(itemgetter(0), map(itemgetter(2), tokens))
    starts = list(compress(range(n_tok), map(str.isupper, first_letters)))
    resume = 0
    for i in starts:
        if i < resume:
            continue  # inside the previous span
        start, end, word = tokens[i]
        best = None
        key = ""
        for j in range(i, min(n_tok, i + max_n)):
            s_j, e_j, w_j = tokens[j]
            if j > i:
                gap = text[tokens[j - 1][1] : s_j]
                if gap not in (" ", "-", "- ", " - ") or (
                    not _capitalised(w_j) and w_j.lower() not in _CONNECTORS
                ):
                    break
            key = (key + " " + fold(w_j)).strip()
            if not _capitalised(w_j):
                continue
            if key in dem:
                best = ("demonym", j, key)
            elif key in ABBREVIATIONS and (w_j.isupper() or "." in text[start:e_j]):
                best = ("abbreviation", j, key)
            elif key in FORMER_NAMES and not (
                j + 1 < n_tok
                and tokens[j + 1][2].lower() in REGION_WORDS | DISTRICT_WORDS
                and gazetteer.has_key(key)
            ):
                best = ("abbreviation", j, key)  # "Zaire", not "Zaire province"
            elif gazetteer.has_key(key):
                best = ("name", j, key)
            elif " " in key and (variant := _known_variant(key, text[start:e_j], gazetteer)):
                best = ("name", j, variant)  # "Al X" for the gazetteer's "El X"
        if best is None:
            continue
        kind, j, key = best
        if _glued_to_digits(text, start, tokens[j][1]):
            continue  # a letter of a code ("N" in "H5N1")
        span_end = tokens[j][1]
        query = text[start:span_end]
        area = placeword = plural = False
        wording_end = span_end
        k = j + 1
        if kind == "name" and k < n_tok:
            follow = [t[2] for t in tokens[k : k + 2]]
            if follow and follow[0].lower() in ("border", "frontier") and len(follow) > 1:
                follow, k = follow[1:], k + 1
            # an abbreviated region word keeps its full stop as a token: "Poltava obl."
            word = follow[0].lower().rstrip(".") if follow else ""
            if word[:-1] in AREA_PLURALS and word.endswith("s") and follow[0].islower():
                # "the Tula, Oryol and Lipetsk regions": this name and the names listed
                # before it are areas
                word, plural = word[:-1], True
            if (word in REGION_WORDS or word in DISTRICT_WORDS) and (
                text[span_end : tokens[k][0]].strip() == "" or k > j + 1
            ):
                area = word in REGION_WORDS
                if word == "territory" and follow[0].islower() and not plural:
                    # "Lubero territory", "Walikale territory": a second-level unit (as in
                    # Congo); "Krasnodar Territory" (a Russian krai) stays a region
                    area, word = False, "district"
                if not area:
                    query = f"{query} {word}"
                wording_end = tokens[k][1]
                if follow[0][:1].isupper() and k == j + 1:
                    span_end = wording_end  # "Donetsk Oblast": the word is part of the name
                j = k
            elif (
                word in PLACE_WORDS
                and follow[0].islower()
                and k == j + 1
                and text[span_end : tokens[k][0]] == " "
            ):
                # "Kherson city": the town (not its oblast), and said to be a place.
                query = f"{query} {word}"
                wording_end = tokens[k][1]
                placeword = True
                j = k
            elif (
                word in PHYSICAL_WORDS and k == j + 1 and not text[span_end : tokens[k][0]].strip()
            ):
                # "the Dnipro river": a river, not the city (the geocoder keeps water bodies
                # and relief only); "Dnipro River" is one name.
                query = f"{query} {follow[0]}"
                wording_end = tokens[k][1]
                if follow[0][:1].isupper():
                    span_end = wording_end
                j = k
        before_tokens = [t[2] for t in tokens[max(0, i - 4) : i]]
        lead = [w.lower() for w in before_tokens[-2:]]
        if kind == "name" and not placeword and _river_bank(before_tokens):
            query = f"{query} river"  # "the east bank of the Dnipro": the river, not the city
        if kind == "name" and len(lead) == 2 and lead[1] == "of" and lead[0] in PLACE_WORDS:
            query = f"{lead[0]} of {query}"  # "the city of Kherson": the town, not the oblast
            placeword = True
        elif kind == "name" and _physical_lead(before_tokens, tokens, i, text):
            # "Strait of Hormuz", "Lake Chad", "Mount Hermon": the feature, not a town.
            lead_start = tokens[i - (2 if before_tokens[-1] == "of" else 1)][0]
            query = f"{text[lead_start:start]}{query}"
        lowered = [w.lower().rstrip("s") for w in before_tokens[-2:]]
        if (
            kind == "name"
            and len(lowered) == 2
            and lowered[1] == "of"
            and (lowered[0] in REGION_WORDS or lowered[0] == "provinc")
            and not _part_of_town(before_tokens)
        ):
            area = True  # "the provinces of Donetsk and Luhansk"
        elif (
            kind == "name"
            and out
            and out[-1].area
            and lowered[-1:] == ["and"]
            and (text[out[-1].wording_end : start].strip() == "and")
        ):
            area = True
        before = " ".join(before_tokens).lower()
        cue = _cue(before_tokens, text, start)
        after = tokens[j + 1][2] if j + 1 < n_tok else ""
        # "Gov. Smith" (but "X gov., Y dist.": a comma parts the title from the name)
        person = (
            bool(before_tokens)
            and before_tokens[-1].lower().rstrip(".") in PERSON_TITLES
            and not re.search(r"[,;:]", text[tokens[i - 1][1] : start])
        )
        country = (
            dem.get(key) if kind == "demonym" else ABBREVIATIONS.get(key) or FORMER_NAMES.get(key)
        )
        if plural and area:
            m = len(out)
            while m and _LIST_GAP.fullmatch(text[out[m - 1].wording_end : start if m == len(out)
                                                 else out[m].start]):  # fmt: skip
                m -= 1
                out[m] = replace(out[m], area=True)
        out.append(Span(start, span_end, text[start:span_end], key, query, kind, area, country,
                        _is_sentence_initial(text, start), before, after, person,
                        cue, wording_end=wording_end, placeword=placeword))  # fmt: skip
        resume = j + 1
    return out
