"""Numbers of people in a sentence: "between 10,000 and 12,000 soldiers", "over 3,000"."""

from __future__ import annotations

import re

from geo.common.words import WordStarts, word_matches

__all__ = ["NUMBERS_CONTEXT", "PEOPLE", "count_kind", "find_counts"]

_PERSONS = (
    r"soldiers?|troops|fighters|men|people|civilians|servicemen|personnel|prisoners?|POWs?|"
    r"captives|comrades|mercenaries|recruits|conscripts|marines|paratroopers|commandos|"
    r"sailors|pilots|officers|militants|insurgents|rebels|combatants|children|women|"
    r"residents|snipers?|riflem[ae]n|gunners?|scouts?|civs?|"
    r"deaths|casualties|dead|killed|wounded|injured|bodies|KIA|WIA|MIA|inj|injd|hurt|"
    r"[A-Z][a-z]+(?:ans|ese|is)"
)
#: Nouns of people, without the words of a toll ("dead", "wounded", "KIA", ...).
PEOPLE = _PERSONS.replace("deaths|casualties|dead|killed|wounded|injured|bodies|KIA|WIA|MIA|"
                          "inj|injd|hurt|", "")
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "fifteen": 15,
    "twenty": 20, "fifty": 50, "a hundred": 100,
}  # fmt: skip
_VAGUE_NUMBERS = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
                  "tens of thousands": 20000, "hundreds of thousands": 200000}  # fmt: skip
_MODIFIERS = tuple(
    "around|about|approximately|roughly|nearly|almost|some|an estimated|estimated|over|"
    "more than|at least|upwards of|in excess of|up to|fewer than|less than|at most".split("|")
)
_NUM = (r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?:\s+(?:million|thousand))?|"
        r"tens of thousands|hundreds of thousands|dozens|hundreds|thousands|"
        + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)))  # fmt: skip
_COUNT = re.compile(
    rf"(?<![\d/.:-])(?<!\d,)\b(?:(?P<between>between)\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})"
    rf"|(?P<r1>{_NUM})\s*(?:to|-|–)\s*(?P<r2>{_NUM})(?!-year)"
    rf"|(?P<mod>{'|'.join(_MODIFIERS)})\s+"
    rf"(?P<n1>{_NUM})"
    rf"|(?P<n2>{_NUM}))(?:(?<=\d)(?P<plus>\+)|\b)"
    r"(?!-year|-month|\s*(?:years?|months?|days?|hours?|percent|%|a\.m\.|p\.m\.))",
    re.IGNORECASE,
)
#: The words a match of ``_COUNT`` can begin with (a number, "between", a modifier).
_FIRST_WORDS = [phrase.split()[0] for phrase in [*_MODIFIERS, *_WORD_NUMBERS, *_VAGUE_NUMBERS]]
_COUNT_STARTS = WordStarts(["between", *_FIRST_WORDS], digits=True)
_ATTACH = re.compile(rf"^\s*(?:of\s+(?:the|these|those|his|their|them|[A-Z]\w+['’]s)\s*)?"
                     rf"(?:[A-Za-z-]+\s+){{0,3}}?(?:{_PERSONS})\b")  # fmt: skip
NUMBERS_CONTEXT = re.compile(r"\b(?:their|the)\s+numbers?\b|\bestimat\w+\b|\bstrength\b", re.I)


def _number(text):
    low = text.lower().strip()
    if low in _WORD_NUMBERS:
        return _WORD_NUMBERS[low], False
    if low in _VAGUE_NUMBERS:
        return _VAGUE_NUMBERS[low], True
    scale = 1
    for word, factor in (("million", 1_000_000), ("thousand", 1000)):
        if low.endswith(word):
            low, scale = low[: -len(word)].strip(), factor
    try:
        return int(float(low.replace(",", "")) * scale), False
    except ValueError:
        return None, False


def find_counts(sentence, *, numbers_context=False):
    """Return ``(Count fields, start, end)`` for numbers of people in a sentence.

    A number counts people when a person noun follows it ("11,000 North Korean soldiers",
    "3,000 deaths", "five of Ri's comrades") or when the sentence speaks of numbers or
    estimates ("Estimates place their numbers between 10,000 and 12,000").

    Examples
    --------
    >>> [c[0] for c in find_counts("over 3,000 of these soldiers have been killed")]
    [{'low': 3000, 'high': None, 'best': None, 'text': 'over 3,000'}]
    >>> [c[0]["best"] for c in find_counts("around 11,000 North Korean soldiers were sent")]
    [11000]
    """
    numbers_context = numbers_context or bool(NUMBERS_CONTEXT.search(sentence))
    out = []
    for m in word_matches(_COUNT, sentence, _COUNT_STARTS):
        text = m.group(0)
        if re.match(r"[-/:]\d", sentence[m.end() : m.end() + 2]):
            continue  # part of a date or time ("2024-05-10", "10/05", "3:30")
        if re.fullmatch(r"(?:19|20)\d\d", text.strip()):
            continue  # a year
        after = sentence[m.end() : m.end() + 60]
        if not (_ATTACH.match(after) or (numbers_context and m.group("n2") is None)):
            continue
        low = high = best = None
        vague = False
        if m.group("between") or m.group("r1"):
            a, _ = _number(m.group("a") or m.group("r1"))
            b, _ = _number(m.group("b") or m.group("r2"))
            if a is None or b is None or a > b:
                continue
            low, high = a, b
        elif m.group("mod"):
            n, vague = _number(m.group("n1"))
            mod = m.group("mod").lower()
            if n is None:
                continue
            if mod in ("over", "more than", "at least", "upwards of", "in excess of"):
                low = n + (1 if mod in ("more than", "over") and n < 100 else 0)
            elif mod in ("up to", "fewer than", "less than", "at most"):
                high = n
            else:
                best = n
        else:
            n, vague = _number(m.group("n2"))
            if n is None:
                continue
            if vague or m.group("plus"):
                low = n  # "dozens", "20+ soldiers": at least
            else:
                low = high = n
        out.append(({"low": low, "high": high, "best": best, "text": text.strip()},
                    m.start(), m.end()))  # fmt: skip
    return out


def count_kind(event_type, sentence):
    """Return the count kind of an event type's numbers ("killed", "deployed", ...)."""
    low = sentence.lower()
    if event_type == "deployment":
        return "deployed"
    if event_type == "capture":
        return "captured"
    killed = re.search(r"\b(?:killed|deaths?|dead|died|killing|death\s+toll)\b", low)
    wounded = re.search(r"\b(?:wounded|injured|injur(?:y|ies))\b", low)
    if "casualties" in low or (killed and wounded):
        return "killed_or_wounded"
    return "wounded" if wounded and not killed else "killed"
