"""Name variants the gazetteer build derives: parentheses, oblast adjectives, country acronyms."""

from __future__ import annotations

import re

from geo.gazetteer.country_names import ABBREVIATIONS, names_of
from geo.gazetteer.normalize import fold

__all__ = ["acronyms", "country_names", "foreign_names", "oblast_forms", "split_parenthetical"]

_PAREN = re.compile(r"^\s*([^()]+?)\s*\(([^()]+)\)\s*$")
_MINOR_WORDS = frozenset("of the and de du des la le el al".split())
# Ukrainian and Russian "<adjective> область" from the noun (Київ -> Київська область).
_UK_VOWELS, _RU_VOWELS = "аяеоиіїь", "аяеоиыйь"


def split_parenthetical(name):
    """Return the names a "Name (Other)" form holds: itself, the outer and the inner part.

    Examples
    --------
    >>> split_parenthetical("Sakha (Yakutia)")
    ['Sakha (Yakutia)', 'Sakha', 'Yakutia']
    >>> split_parenthetical("Kursk")
    ['Kursk']
    """
    match = _PAREN.match(name or "")
    return [name, match.group(1), match.group(2)] if match else [name]


def _adjective(noun, lang):
    """Return the feminine adjectives a noun may give ("Київ" -> ["Київська"])."""
    suffix, vowels = ("ська", _UK_VOWELS) if lang == "uk" else ("ская", _RU_VOWELS)
    ending = "а" if lang == "uk" else "ая"
    word = noun.strip()
    low = word.lower()
    if low.endswith(("ськ", "цьк", "ск", "цк")):
        return [word + ending]  # Донецьк -> Донецька, Донецк -> Донецкая
    if low.endswith(("ький", "ский", "цкий")):
        return [word[:-2] + ending]  # Хмельницький -> Хмельницька
    out = []
    if low.endswith("ь"):
        out.append(word + suffix)  # Тернопіль -> Тернопільська
    stem = word.rstrip(vowels + vowels.upper())
    stem_low = stem.lower()
    if stem_low.endswith("с"):
        # Одеса -> Одеська (uk), Одесса -> Одесская (ru)
        out.append(stem[:-1] + suffix if lang == "uk" else stem + suffix[1:])
    elif stem_low.endswith(("ц", "к")):
        out.append(stem[:-1] + "ц" + suffix[1:])  # Вінниця -> Вінницька
    elif lang == "uk" and stem_low.endswith(("жж", "ж", "з")):
        out.append(stem.rstrip("жЖзЗ") + "з" + suffix[1:])  # Запорізька
    else:
        out.append(stem + suffix)
    return out


def oblast_forms(name_uk, name_ru):
    """Return "<adjective> область" names of an oblast known only by its centre's name.

    Parameters
    ----------
    name_uk, name_ru : str or None
        The Ukrainian and Russian names (Natural Earth ``name_uk``, ``name_ru``). A name
        that already says "область" gives nothing.

    Returns
    -------
    list of str

    Examples
    --------
    >>> oblast_forms("Київ", "Киев")
    ['Київська область', 'Киевская область']
    """
    out = []
    for name, lang in ((name_uk, "uk"), (name_ru, "ru")):
        if not name or "область" in name.lower() or " " in name.strip():
            continue
        out += [f"{adj} область" for adj in _adjective(name, lang)]
    return out


def acronyms(formal, abbrev):
    """Return a country's acronyms: the initials of its formal name, a dotted abbreviation.

    Only acronyms of three letters or more ("DPRK", "UAE", "DRC"); shorter ones name too
    many other things.

    Parameters
    ----------
    formal : str or None
        The formal English name (Natural Earth ``FORMAL_EN``).
    abbrev : str or None
        Natural Earth's ``ABBREV`` ("U.A.E."); used when it is all single letters.

    Examples
    --------
    >>> acronyms("Democratic People's Republic of Korea", "N.K.")
    ['DPRK']
    >>> acronyms("United Arab Emirates", "U.A.E.")
    ['UAE']
    """
    formal = formal if isinstance(formal, str) else ""  # pandas reads a blank as NaN
    abbrev = abbrev if isinstance(abbrev, str) else ""
    out = []
    words = [w for w in re.split(r"[\s\-]+", formal) if w]
    capitals = [w for w in words if w[0].isupper() and w.lower() not in _MINOR_WORDS]
    if len(capitals) >= 3 and len(capitals) == len(
        [w for w in words if w.lower() not in _MINOR_WORDS]
    ):
        out.append("".join(w[0] for w in capitals))
    parts = [p for p in abbrev.split(".") if p.strip()]
    if len(parts) >= 3 and all(len(p.strip()) == 1 and p.strip().isalpha() for p in parts):
        out.append("".join(p.strip().upper() for p in parts))
    seen, unique = set(), []
    for name in out:
        if name.isascii() and name.isupper() and name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def _first_word(key):
    return key.split(" ", 1)[0] if key else ""


def foreign_names(candidates, own, others):
    """Return the candidate names that belong to another unit (Natural Earth's mix-ups).

    Natural Earth 5.1 gives the Sakha Republic the alternate names of Chukotka. A name is
    foreign when it folds to a name of another unit of the same country. Once a unit is
    shown to carry names of another, its names whose first word starts like (five letters)
    that unit's and like none of its own are foreign too ("Chukotskiy AOk").

    Parameters
    ----------
    candidates : iterable of str
        Alternate names to check.
    own : iterable of str
        The unit's own names (GeoNames' name, Natural Earth's name and name_en).
    others : iterable of list of str
        The own names of each other unit of the country.

    Returns
    -------
    set of str
    """
    own_keys = {fold(n) for n in own if n}
    own_heads = {_first_word(k)[:5] for k in own_keys if len(_first_word(k)) >= 5}
    keyed = [(name, fold(name or "")) for name in candidates]
    keyed = [(name, key) for name, key in keyed if key and key not in own_keys]
    out, heads = set(), set()
    for names in others:
        keys = {fold(n) for n in names if n} - own_keys
        hits = {name for name, key in keyed if key in keys}
        if hits:
            out |= hits
            heads |= {_first_word(k)[:5] for k in keys if len(_first_word(k)) >= 5}
    heads -= own_heads
    for name, key in keyed:
        if len(_first_word(key)) >= 5 and _first_word(key)[:5] in heads:
            out.add(name)
    return out


_OF_THE = re.compile(r"\b(of) the ", re.IGNORECASE)


def country_names(iso, languages, recs):
    """Return the names of a country the build adds to Natural Earth's usual ones, and its
    abbreviations: Natural Earth's other name (``NAME_ALT``: "Swaziland"); its name in its
    first official language where Natural Earth has that language (``NAME_TR`` of Turkey:
    "Türkiye"; ``languages`` is GeoNames' ``Languages`` column, "tr-TR,ku,…"); its formal
    names without "the" ("Democratic Republic of Congo"); and the names of
    ``geo.gazetteer.country_names``. ``recs`` are the country's Natural Earth records.

    >>> rec = {"NAME": "Republic of the Congo", "FORMAL_EN": "Republic of the Congo"}
    >>> names, abbrev = country_names("CG", "fr-CG,kg,ln-CG", [rec])
    >>> "Republic of Congo" in names, "Congo-Brazzaville" in names, abbrev
    (True, True, [])
    """
    lang = (languages or "").split(",")[0].split("-")[0].strip().upper()
    names = []
    for rec in recs:
        names += [rec.get("NAME_ALT"), rec.get(f"NAME_{lang}") if lang else None]
        for key in ("NAME", "NAME_LONG", "FORMAL_EN", "BRK_NAME"):
            value = rec.get(key)
            if isinstance(value, str) and _OF_THE.search(value):
                names.append(_OF_THE.sub(r"\1 ", value))
    names = [n for n in names if isinstance(n, str) and n.strip()]
    names += names_of(iso)
    abbrev = [key.upper() for key, code in ABBREVIATIONS.items() if code == iso]
    return names, abbrev
