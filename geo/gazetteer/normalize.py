"""Name folding for the gazetteer: case, accents, apostrophes, hyphens and Cyrillic to one key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "AREA_WORDS",
    "DISTRICT_WORDS",
    "FRONT_WORDS",
    "LEADING_WORDS",
    "PHYSICAL_LEADS",
    "PHYSICAL_WORDS",
    "PLACE_WORDS",
    "REGION_WORDS",
    "fold",
    "skeleton",
    "strip_qualifiers",
    "transliterate",
]

# One Cyrillic -> Latin table for Ukrainian and Russian.  It follows the spellings English
# reporting uses (Ukrainian national romanisation for і/ї/є/ґ, BGN/PCGN-like for Russian) so
# that Cyrillic input also meets names the gazetteer only knows in Latin script.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu",
    "я": "ya", "ъ": "", "ы": "y", "э": "e", "ё": "e", "ў": "u",
}  # fmt: skip
# Russian uses г for g and и for i; a word is read as Ukrainian when it has a letter only
# Ukrainian has (і ї є ґ), as Russian otherwise.
_UKRAINIAN_ONLY = set("іїєґ")
_RUSSIAN = {**_CYRILLIC, "г": "g", "и": "i", "е": "e"}
_UKRAINIAN_INNER = {**_CYRILLIC, "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}

# Latin letters that NFKD does not decompose.
_LATIN_EXTRA = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
     "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"}
)  # fmt: skip
# Apostrophes and soft-sign marks disappear (Pokrovs'k == Pokrovsk); other punctuation splits.
_APOSTROPHES = re.compile(r"['’‘`´ʼʹʻ′\"“”«»]")
# Letters of every script are kept (Arabic, Chinese, Greek names are keys too).
_SEPARATORS = re.compile(r"[\W_]+")
# Systematic romanisation differences folded away: Russian е after a vowel is "ye" or "e"
# (Nikolayev / Nikolaev, Avdeyevka / Avdeevka), ё after a consonant "yo" or "e" (Artyomovsk /
# Artemovsk, Tyotkino / Tetkino).
_YE = re.compile(r"(?<=[aeiou])ye|(?<=[b-df-hj-np-tv-z])yo")
# Abbreviations written out, so that "St. Petersburg" meets "Saint Petersburg".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

#: Words after a name that make it a first-level area ("Kursk region", "Kursk Oblast").
REGION_WORDS = frozenset(
    """region oblast oblasti oblasty obl province governorate state krai kray republic
    territory prefecture voivodeship area oblast prov reg gov""".split()
)
#: Words after a name that make it a district ("Pokrovsk raion", "Sudzhansky district"), in
#: the names the districts of other countries go by in reports (a Nigerian "LGA", a Sudanese
#: "locality", an Ethiopian "woreda", a Malian "cercle" or "commune", a Pakistani "tehsil").
DISTRICT_WORDS = frozenset(
    """district raion rayon county municipality hromada dist terr lga locality woreda
    commune cercle tehsil chiefdom""".split()
)
#: Every word that makes a name an administrative area.
AREA_WORDS = REGION_WORDS | DISTRICT_WORDS
#: Words after or before a name that make it a populated place ("Bakhmut town").
PLACE_WORDS = frozenset("city town village settlement hamlet township urban".split())
#: Words after a name that make it a physical feature, not a town or a unit ("the Dnipro
#: river", "the Donets basin" is not one: only water bodies and relief).
PHYSICAL_WORDS = frozenset(
    """river rivers sea gulf strait straits bay lake reservoir canal channel estuary lagoon
    mountain mountains mount hills""".split()
)
#: Words before a name ("Strait of Hormuz", "Lake Chad", "Mount Hermon") that do the same.
PHYSICAL_LEADS = frozenset("river sea gulf strait straits bay lake mount mt mountains".split())
#: Leading words that do not name the place ("the", "near", "village of").
LEADING_WORDS = ("the", "near", "outskirts of", "vicinity of", "around", "in", "outside")
#: Words after a name that make it the stretch of front around a town ("the Pokrovsk
#: direction", "the Kursk salient"): the town is the nearest place that can be named.
FRONT_WORDS = frozenset("direction directions axis salient bulge pocket sector".split())


@lru_cache(maxsize=65536)
def transliterate(text):
    """Return ``text`` with Cyrillic letters written in Latin letters.

    Parameters
    ----------
    text : str
        Any text; letters other than Cyrillic are kept.

    Returns
    -------
    str
        The text in Latin script, lower case where Cyrillic was replaced.

    Examples
    --------
    >>> transliterate("Покровськ")
    'pokrovsk'
    >>> transliterate("Суджа")
    'sudzha'
    """
    lower = text.lower()
    if not any("\u0400" <= ch <= "\u04ff" for ch in lower):
        return text
    words = []
    for word in lower.split(" "):
        if set(word) & _UKRAINIAN_ONLY:
            # The national romanisation: є ї й ю я are written ie i i iu ia inside a word.
            head = _CYRILLIC.get(word[:1], word[:1])
            words.append(head + "".join(_UKRAINIAN_INNER.get(ch, ch) for ch in word[1:]))
        else:
            words.append("".join(_RUSSIAN.get(ch, ch) for ch in word))
    return " ".join(words)


@lru_cache(maxsize=262144)
def fold(text):
    """Return the lookup key of a place name.

    Lower case, accents removed, apostrophes dropped, other punctuation and hyphens turned
    into single spaces, Cyrillic transliterated to Latin.

    Parameters
    ----------
    text : str
        A place name as written anywhere ("Pokrovs'k", "Zaporizhzhia", "Київ").

    Returns
    -------
    str
        The key; empty when the text holds no letters or digits.

    Examples
    --------
    >>> fold("Pokrovs'k") == fold("Pokrovsk")
    True
    >>> fold("  Ivano-Frankivsk ")
    'ivano frankivsk'
    >>> fold("Dnipró")
    'dnipro'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    text = transliterate(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LATIN_EXTRA)
    text = _SEPARATORS.sub(" ", text).strip()
    if "y" in text:
        text = _YE.sub("e", text)
    if " " in text:
        text = " ".join(_ABBREVIATIONS.get(word, word) for word in text.split(" "))
    return text


# Systematic transliteration differences, applied to folded keys (see gazetteer/README.md):
# digraphs first, then h/g (Ukrainian h = Russian g), then vowels and y/j/i are dropped and
# doubled letters merged, leaving a consonant skeleton ("zaporizhzhia" and "zaporozhye" both
# give "zprj"; "avdiivka" and "avdeevka" give "avdvk").
_ADJECTIVAL = re.compile(r"(sk|ts|zk)(ii|iy|ij|yi|yy|y|i|a|aya|aia|oe|oye|oi|oy|e|ie|iye)$")
_DIGRAPHS = (("shch", "s"), ("kh", "x"), ("zh", "j"), ("sh", "s"), ("ch", "c"), ("ts", "c"))
_DROP = str.maketrans({"a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "j": "j", "h": "g"})


@lru_cache(maxsize=262144)
def skeleton(key):
    """Return the consonant skeleton of a folded key, used to match spelling variants.

    The first letter is kept as written so that "Avdiivka" keeps its leading vowel.

    Parameters
    ----------
    key : str
        A key returned by :func:`fold`.

    Returns
    -------
    str
        The skeleton; spaces are removed.

    Examples
    --------
    >>> skeleton(fold("Zaporizhzhia")) == skeleton(fold("Zaporozhye"))
    True
    >>> skeleton(fold("Kharkiv")) == skeleton(fold("Kharkov"))
    True
    """
    key = key.replace(" ", "")
    if not key:
        return ""
    # Adjectival names (Artyomovsky, Pokrovskoye) are other places than Artyomovsk, Pokrovsk.
    marker = "+" if _ADJECTIVAL.search(key) else ""
    for digraph, single in _DIGRAPHS:
        key = key.replace(digraph, single)
    head = key[0] if key[0] in "aeiouy" else key[0].translate(_DROP)
    tail = key[1:].translate(_DROP)
    out = [head]
    for ch in tail:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out) + marker


def _kind_of(word):
    if word in PHYSICAL_WORDS:
        return "physical"
    if word in PLACE_WORDS:
        return "place"
    return "district" if word in DISTRICT_WORDS else "area"


#: :data:`LEADING_WORDS` as ``(lead, its words, how many)``; the words of a place or an area.
_LEADS = tuple((lead, lead.split(), len(lead.split())) for lead in LEADING_WORDS)
_PLACE_OR_AREA = PLACE_WORDS | AREA_WORDS


def strip_qualifiers(key):
    """Split a folded query into the name and the words around it that qualify it.

    Parameters
    ----------
    key : str
        A key returned by :func:`fold`.

    Returns
    -------
    tuple of (str, str or None, bool)
        The bare name, the kind asked for ("area" for a region or oblast, "district",
        "place", "physical" for a river, sea, lake or mountain, or None) and whether the
        query said "near" (or "outskirts of", "around"...).

    Examples
    --------
    >>> strip_qualifiers("the kursk region")
    ('kursk', 'area', False)
    >>> strip_qualifiers("near sudzha")
    ('sudzha', None, True)
    >>> strip_qualifiers("village of plekhovo")
    ('plekhovo', 'place', False)
    >>> strip_qualifiers("the pokrovsk direction")
    ('pokrovsk', None, True)
    """
    if " " not in key:
        return key.strip(), None, False  # one word: nothing qualifies it
    words = key.split()
    kind = None
    near = False
    changed = True
    while changed and len(words) > 1:
        changed = False
        for lead, lead_words, n in _LEADS:
            if len(words) > n and words[:n] == lead_words:
                near = near or lead not in ("the", "in")
                words = words[n:]
                changed = True
        if len(words) > 2 and words[1] == "of" and words[0] in _PLACE_OR_AREA:
            kind, words, changed = _kind_of(words[0]), words[2:], True
        elif len(words) > 2 and words[1] == "of" and words[0] in PHYSICAL_LEADS:
            kind, words, changed = "physical", words[2:], True  # "strait of hormuz"
        elif len(words) > 1 and words[0] in ("lake", "mount", "mt"):
            kind, words, changed = "physical", words[1:], True  # "lake chad"
        elif len(words) > 1 and words[-1] in PHYSICAL_WORDS:
            kind, words, changed = "physical", words[:-1], True  # "the dnipro river"
        elif len(words) > 1 and words[-1] in FRONT_WORDS:
            near, words, changed = True, words[:-1], True  # "the pokrovsk direction"
        elif len(words) > 3 and words[0] in ("left", "right") and words[1:3] == ["bank", "of"]:
            if words[3] == "the":  # "the left bank of the dnipro": a river's
                kind, words, changed = "physical", words[4:], True
            else:  # "the left bank of kherson": the land across the river from the city
                near, words, changed = True, words[3:], True
        elif len(words) > 1 and words[0] in PLACE_WORDS:
            kind, words, changed = "place", words[1:], True
        elif len(words) > 1 and words[-1] in AREA_WORDS:
            kind, words, changed = _kind_of(words[-1]), words[:-1], True
        elif len(words) > 1 and words[-1] in PLACE_WORDS:
            kind, words, changed = "place", words[:-1], True
    return " ".join(words), kind, near
