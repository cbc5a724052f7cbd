"""Spelling helpers of the geocoder: other romanisations, one-edit variants, similarity."""

from __future__ import annotations

import re

__all__ = [
    "ARTICLES",
    "ROMANISATION_SWAPS",
    "edits1",
    "letter_counts",
    "name_variants",
    "romanisations",
    "shared_ratio",
    "similarity",
    "vowel_form",
]

#: Spellings that romanisations of one Cyrillic name differ by (English, Ukrainian and
#: Russian official systems, French, German): each is tried on an unknown name, one at a time.
ROMANISATION_SWAPS = (
    ("ay", "ai"), ("ai", "ay"), ("oy", "oi"), ("oi", "oy"), ("ey", "ei"), ("iy", "yi"),
    ("yi", "iy"), ("yy", "yi"), ("ya", "ia"), ("ia", "ya"), ("yu", "iu"), ("iu", "yu"),
    ("ye", "ie"), ("ie", "ye"), ("yo", "io"), ("dj", "dzh"), ("dzh", "dj"), ("j", "y"),
    ("ou", "u"), ("tch", "ch"), ("tsch", "ch"), ("sch", "sh"), ("w", "v"), ("kh", "h"),
    ("h", "kh"), ("tz", "ts"), ("ts", "tz"), ("cz", "ch"), ("sz", "sh"), ("oe", "oye"),
    ("oye", "oe"), ("ske", "skoe"), ("skoe", "ske"), ("skiy", "skyi"), ("skyi", "skiy"),
)  # fmt: skip


_ADJECTIVE_ENDINGS = ("sky", "skiy", "skyi", "skii", "skyy")
_ADJ_END = {e: re.compile(rf"{e}(?= |$)") for e in _ADJECTIVE_ENDINGS}
_VOWELS = str.maketrans({"e": "a", "i": "a", "o": "a", "u": "a", "y": "a", "j": "a"})
_DIGRAPHS = (("shch", "s"), ("kh", "x"), ("zh", "z"), ("sh", "s"), ("ch", "c"), ("ts", "c"))


def vowel_form(key):
    """Return a spelling with every vowel (and y, j) as "a" and h as g, digraphs merged.

    Examples
    --------
    >>> vowel_form("kleshcheevka") == vowel_form("klishchiivka")
    True
    """
    for digraph, single in _DIGRAPHS:
        key = key.replace(digraph, single)
    return key.replace("h", "g").translate(_VOWELS)


def romanisations(key):
    """Return ``key`` as other romanisations would spell it (one swap, every occurrence).

    A leading "ale" and "ole" are swapped too (Russian Aleksandrovka, Ukrainian
    Oleksandrivka).
    """
    out = {key.replace(a, b) for a, b in ROMANISATION_SWAPS if a in key}
    # Adjectival endings of one word: Korenevsky, Korenevskiy, Korenevskyi, Korenevskii.
    for ending in _ADJECTIVE_ENDINGS:
        if key.endswith(ending) or (ending + " ") in key:
            for other in _ADJECTIVE_ENDINGS:
                if other != ending:
                    out.add(_ADJ_END[ending].sub(other, key))
    if key.startswith(("ale", "ole")):
        out.add(("o" if key[0] == "a" else "a") + key[1:])
    out.discard(key)
    return out


def edits1(key, *, swaps_only=False):
    """Return the strings one edit away from ``key`` (deletes, swaps, replaces, inserts)."""
    letters = "abcdefghijklmnopqrstuvwxyz "
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    out = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    if swaps_only:
        out.discard(key)
        return out
    out |= {a + b[1:] for a, b in splits if b}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(key)
    return out


def letter_counts(text):
    """Return how often each letter occurs in ``text``."""
    counts = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


def shared_ratio(counts, length, other):
    """Return an upper bound of the similarity: the share of letters the two have in common.

    ``counts`` and ``length`` describe the first string (:func:`letter_counts`).
    """
    avail = dict(counts)
    shared = 0
    for ch in other:
        left = avail.get(ch, 0)
        if left:
            avail[ch] = left - 1
            shared += 1
    return 2.0 * shared / (length + len(other)) if length + len(other) else 1.0


def similarity(a, b):
    """Return ``difflib.SequenceMatcher(None, a, b).ratio()`` for short strings, faster.

    The same Ratcliff/Obershelp matching (longest block leftmost in ``a``, then in ``b``,
    recursively on both sides), without difflib's junk and popular-element handling, which
    does not apply to strings under 200 characters.

    Examples
    --------
    >>> similarity("kharkov", "kharkiv")
    0.8571428571428571
    """
    total = len(a) + len(b)
    if not total:
        return 1.0
    b2j = {}
    for j, ch in enumerate(b):
        b2j.setdefault(ch, []).append(j)
    matched = 0
    stack = [(0, len(a), 0, len(b))]
    nothing = ()
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        besti, bestj, bestsize = alo, blo, 0
        j2len = {}
        for i in range(alo, ahi):
            newj2len = {}
            for j in b2j.get(a[i], nothing):
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = newj2len[j] = j2len.get(j - 1, 0) + 1
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
            j2len = newj2len
        if bestsize:
            matched += bestsize
            if alo < besti and blo < bestj:
                stack.append((alo, besti, blo, bestj))
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                stack.append((besti + bestsize, ahi, bestj + bestsize, bhi))
    return 2.0 * matched / total


#: The Arabic article as romanised before a name: "al-" and "el-", and its forms assimilated
#: to the next consonant ("ad-D...", "ar-R...", "as-S...", "ash-Sh...", "an-N...").
ARTICLES = frozenset("al el il ul ad ar as ash at az an adh ath ed er es esh et ez en".split())
#: The consonants the article assimilates to, as romanised (longest first).
_SUN_LETTERS = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n")


def _article_forms(word):
    """Return the romanisations of the Arabic article before ``word`` (folded)."""
    forms = {"al", "el"}
    for sun in _SUN_LETTERS:
        if word.startswith(sun):
            forms |= {"a" + sun, "e" + sun}
            break
    return forms


def name_variants(key):
    """Return other spellings of a folded multi-word name that reports write alike.

    The Arabic article in another romanisation or left out ("Al X", "El X", "X";
    "Y al-Z", "Y ez-Z") and a hyphenated name written as one word
    ("Port-Ville", "Portville"); with the article, the name's final "-ah" written or not
    ("Az-Zawiya", "Az Zawiyah"). Only the variants, not ``key`` itself; empty for one word
    with neither.

    Examples
    --------
    >>> sorted(name_variants("al kufra"))[:3]
    ['el kufra', 'kufra']
    """
    words = key.split()
    out = set()
    for n, word in enumerate(words[:-1]):
        if word not in ARTICLES:
            continue
        nxt = words[n + 1]
        for form in _article_forms(nxt):
            out.add(" ".join([*words[:n], form, *words[n + 1 :]]))
        if n == 0:
            out.add(" ".join(words[1:]))  # "Al Mukalla" is "Mukalla"
    if out:  # the final "-ah" of a name with the article comes and goes ("Az-Zawiya")
        out |= {v[:-1] if v.endswith("ah") else v + "h" for v in out if v[-1] in "ah"}
    if len(words) > 1:
        out.add("".join(words))
    out.discard(key)
    return out
