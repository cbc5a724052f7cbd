"""word_matches must find exactly what finditer finds for the patterns that use it."""

import re
from pathlib import Path

import pytest

from geo.common.words import WordStarts, word_matches
from geo.extract import counts, temporal

ROOT = Path(__file__).resolve().parent.parent
TRICKY = [
    "On 9 January 2025, between 10,000 and 12,000 soldiers; by mid-March 2024 some 3-5 men.",
    "In early 2024 a dozen men, A hundred troops and tens of thousands of people left.",
    "Since the end of September, over 3,000 (up to 4,000) were killed; 2024-05-10 at 3:30.",
    "Yesterday, last week, this month, in recent weeks, the past few days; Sept. 3rd, 1999.",
    "Upwards of 200 recruits, at least five comrades, fewer than twenty, an estimated 1.5 "
    "thousand, roughly 40 to 50 marines, almost 7–9 sailors, more than 2,000,000 people.",
    "pre-2024 plans, X3 units, 12th of May, 31st December, May 5 last year, 5 May next year.",
]


def sentences():
    out = list(TRICKY)
    for path in sorted((ROOT / "data" / "articles").glob("*.txt")):
        text = path.read_text("utf-8")
        out += [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    return out


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [(temporal._REGEX, temporal._STARTS), (counts._COUNT, counts._COUNT_STARTS)],
    ids=["dates", "counts"],
)
def test_word_matches_equal_finditer_on_real_text(pattern, starts):
    found = 0
    for sentence in sentences():
        expected = [(m.span(), m.lastgroup) for m in pattern.finditer(sentence)]
        assert [(m.span(), m.lastgroup) for m in word_matches(pattern, sentence, starts)] == (
            expected
        ), sentence
        found += len(expected)
    assert found >= 20  # the check ran on text that has many matches


def test_word_matches_skip_words_that_cannot_start_a_match():
    import re

    pattern = re.compile(r"\b(?:red|blue)\s+\w+", re.I)
    only_red = WordStarts(["red"])
    assert [m.group() for m in word_matches(pattern, "Red fox, blue bird", only_red)] == ["Red fox"]
    assert [m.group() for m in word_matches(pattern, "a red red fox", only_red)] == ["red red"]
    digits = WordStarts(["Blue"], digits=True)
    assert digits("3rd") and digits("BLUE") and not digits("red")


def _plain(body, flags, tail=r"\b"):
    import re

    return re.compile(rf"\b(?:{body}){tail}", flags)


def _alternation_cases():
    from geo.common.words import grouped_alternation, literal_alternation, word_alternation

    military = r"soldiers?|troops|fighters|servicemen|forces|units?|brigades?|army|military"
    speech = r"said|says|say|confirmed|announced|stated|reported|told|claimed|denied|deny"
    cues = ("reports", "officials", "spokesmen", "misreports")
    stems = ("captur", "prisoner", "took", "taken", "kill", "death", "dead", "wound")
    return [
        ("military", word_alternation(military, re.I), _plain(military, re.I)),
        ("speech", word_alternation(speech, re.I), _plain(speech, re.I)),
        (
            "cues",
            grouped_alternation("|".join(cues), re.I, after=r"\s+(?:from|in)\s+(?:the\s+)?$"),
            re.compile(rf"(?:{'|'.join(cues)})\s+(?:from|in)\s+(?:the\s+)?$", re.I),
        ),
        ("stems", literal_alternation(stems), re.compile("|".join(map(re.escape, stems)))),
    ]


@pytest.mark.parametrize(
    ("fast", "plain"),
    [case[1:] for case in _alternation_cases()],
    ids=[case[0] for case in _alternation_cases()],
)
def test_word_alternation_finds_what_the_plain_pattern_finds(fast, plain):
    texts = sentences() + [
        "They were TAKEN PRISONER; Seized the town; took two men alive. Didn't, don't, n't.",
        "units, unit, Units' brigade; the First Time; How to; the ministry said; deploys",
        "under Russian control, Held by Ukraine, recaptured, liberation of Kherson, front lines",
        "A soldier blew himself up, one self-detonated, a suicide bombing; another detonated "
        "his grenade. Troops moved into Kursk, advanced toward Sudzha, pushed on, retreated, "
        "withdrew, had withdrawn, crossed into Russia and relocated.",
        "Reports from Moscow, officials in the Kremlin, misreports from Kyiv, spokesmen in",
        "ties between Kyiv and Seoul; relations with North Korea; partnership with Iran",
    ]
    texts += [t.lower() for t in texts]  # stems are searched in lower-cased sentences
    # Patterns anchored at the end ("reports from the" + place) are tried on text before a
    # name: every prefix of the cue lines.
    texts += [line[:i] for line in texts[-8:] for i in range(len(line))]
    found = 0
    for text in texts:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in fast.finditer(text)] == expected, text
        for start in range(0, len(text), 7):  # match() at arbitrary positions, as callers do
            a, b = fast.match(text, start), plain.match(text, start)
            assert (a and a.span()) == (b and b.span()), (text, start)
        found += len(expected)
    assert found >= 3


def test_word_alternation_groups_by_first_letter_and_distributes_groups():
    import re

    from geo.common.words import word_alternation

    pattern = word_alternation(r"(?:held|controlled)\s+by|troops|Tanks?", re.I)
    assert pattern.pattern == r"\b(?=[cht])(?:c(?:ontrolled\s+by)|h(?:eld\s+by)|t(?:roops|anks?))\b"
    assert [m.group() for m in pattern.finditer("Held by troops, TANK and tanks")] == [
        "Held by",
        "troops",
        "TANK",
        "tanks",
    ]
    for bad in (r"\w+ing|troops", r"s?oldiers", r"(troops)", r"[a-z]+"):
        with pytest.raises(ValueError, match="does not begin with a literal letter"):
            word_alternation(bad)
