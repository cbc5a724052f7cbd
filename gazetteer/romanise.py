"""Display romanisations of Ukrainian and Russian place names, used by the gazetteer build.

The runtime folds every name to one key (``geo.gazetteer.normalize.fold``); these functions
give the *main name* a place built from a Cyrillic-only source is shown under: the Ukrainian
national romanisation (Cabinet of Ministers resolution 55 of 2010) for Ukrainian names and
BGN/PCGN (1947) for Russian names, the two systems English reporting follows. They also give
the Russian-style spelling of a Ukrainian name that reports often use instead (Avdiivka is
"Avdeyevka", Novoselivka "Novoselovka"), derived by rule from the Ukrainian form.
"""

from __future__ import annotations

import re

__all__ = ["romanise", "russian_style"]

_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "ʼ": "", "’": "",
}  # fmt: skip
# Word-initial forms of the national system (Єнакієве -> Yenakiieve, Їжакевич -> Yizhakevych).
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_RU_VOWELS = set("аеёиоуыэюяйъь")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_APOSTROPHES = re.compile(r"['ʼ’`]")


def _uk_word(word):
    low = word.lower()
    out = []
    for i, ch in enumerate(low):
        if ch == "г" and i and low[i - 1] == "з":
            out.append("gh")  # зг -> zgh, keeping it apart from ж (zh)
        elif i == 0 and ch in _UK_INITIAL:
            out.append(_UK_INITIAL[ch])
        else:
            out.append(_UK.get(ch, ch))
    return "".join(out)


def _ru_word(word):
    low = word.lower()
    out = []
    for i, ch in enumerate(low):
        if ch == "е" and (i == 0 or low[i - 1] in _RU_VOWELS):
            out.append("ye")  # BGN/PCGN: е at the start and after a vowel, ъ or ь
        elif ch == "ё":
            out.append("yo" if i == 0 or low[i - 1] in _RU_VOWELS else "ë")
        else:
            out.append(_RU.get(ch, ch))
    return "".join(out).replace("ë", "e")  # ё is mostly written е in the sources


def _capitalise(text):
    """Capitalise each word and each hyphenated part ("velyka novosilka" -> "Velyka...")."""
    return _WORD.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:], text)


def romanise(name, lang):
    """Return a Cyrillic name in Latin letters as English reporting writes it.

    Parameters
    ----------
    name : str
        A place name in Ukrainian or Russian Cyrillic.
    lang : {"uk", "ru"}
        The language the name is written in.

    Returns
    -------
    str
        The romanised name, each word capitalised.

    Examples
    --------
    >>> romanise("Велика Новосілка", "uk")
    'Velyka Novosilka'
    >>> romanise("Єнакієве", "uk")
    'Yenakiieve'
    >>> romanise("Черкасское Поречное", "ru")
    'Cherkasskoye Porechnoye'
    """
    convert = _uk_word if lang == "uk" else _ru_word
    text = _APOSTROPHES.sub("", name.strip())  # Мар'їнка: ї inside the word (Marinka)
    return _capitalise(_WORD.sub(lambda m: convert(m.group(0)), text))


# Russian-style spellings of Ukrainian names, on the Ukrainian romanisation: adjectival and
# other endings first (one form per word), then the letters.
_RU_ENDINGS = (
    ("ivka", "ovka"), ("iivka", "eyevka"), ("ske", "skoye"), ("tske", "tskoye"),
    ("ne", "noye"), ("ve", "vo"), ("ove", "ovo"), ("yi", "y"), ("iv", "ov"),
)  # fmt: skip
_RU_ADJECTIVES = {"velyka": "velikaya", "mala": "malaya", "nova": "novaya", "stara": "staraya",
                  "nove": "novoye", "novyi": "novy", "krasnyi": "krasny", "velykyi": "veliky",
                  "verkhnia": "verkhnyaya", "nyzhnia": "nizhnyaya"}  # fmt: skip


def russian_style(latin):
    """Return the Russian-style spelling of a Ukrainian name in the national romanisation.

    Ukrainian ``y`` (и) is written ``i``, ``h`` (г) ``g``, ``ia``/``iu`` ``ya``/``yu``, and
    common endings take their Russian forms (-ivka -> -ovka, -ske -> -skoye, -ne -> -noye,
    -ove -> -ovo). Only a spelling that differs is returned.

    Examples
    --------
    >>> russian_style("Novoselivka")
    'Novoselovka'
    >>> russian_style("Zarichne")
    'Zarichnoye'
    >>> russian_style("Velyka Novosilka")
    'Velikaya Novosilka'
    """
    words = []
    for word in latin.lower().split(" "):
        parts = []
        for part in word.split("-"):
            if part in _RU_ADJECTIVES:
                parts.append(_RU_ADJECTIVES[part])
                continue
            for ending, russian in sorted(_RU_ENDINGS, key=lambda e: -len(e[0])):
                if part.endswith(ending) and len(part) > len(ending) + 2:
                    part = part[: -len(ending)] + russian
                    break
            if part.startswith("olek"):
                part = "a" + part[1:]  # Oleksandrivka -> Aleksandrovka
            part = re.sub(r"(?<![kzscg])h", "g", part)  # kh, zh, sh, ch stay
            part = re.sub(r"(?<=[aeou])i(?![aeiouy])", "y", part)  # й after a vowel
            part = part.replace("ia", "ya").replace("iu", "yu").replace("ie", "ye")
            part = re.sub(r"(?<=[bcdfgjklmnpqrstvwxz])y(?=[bcdfgjklmnpqrstvwxz])", "i", part)
            parts.append(part)
        words.append("-".join(parts))
    out = _capitalise(" ".join(words))
    return out if out.lower() != latin.lower() else None
