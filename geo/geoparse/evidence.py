"""Is a resolved name a place? The evidence for and against, from the text and its parse.

:func:`verdict` answers True (a place), False (not a place: a person, an acronym, a common
word, a weak match) or None (a place only if the rest of the document agrees: it lies near
the places the document names with confidence, or it is listed with one of them; see
:func:`geo.geoparse.resolve.geoparse`).
"""

from __future__ import annotations

import re

from geo.common.actor_table import group_names
from geo.gazetteer.normalize import DISTRICT_WORDS, PLACE_WORDS, REGION_WORDS, fold
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.entities import (
    CALENDAR,
    NON_PLACE_LABELS,
    PEOPLE_AFTER,
    PLACE_LABELS,
    PLACE_VERBS,
    SITE_AFTER,
)
from geo.geoparse.notplace import (
    acronym_plural,
    after_kin,
    attributive,
    longer_name,
    occasion,
    of_a_place,
    only_another_name,
    people_modifier,
)
from geo.geoparse.toponyms import LOCATIVE, common_word

__all__ = [
    "BIG_UNITS",
    "CALENDAR",
    "MIN_MENTION_SCORE",
    "NOTABLE_POPULATION",
    "STRONG_LOCATIVE",
    "coordinated",
    "ordinary_name",
    "peoples_name",
    "person_names",
    "run_on",
    "verdict",
]

#: A town this large is named without further evidence (see ``_notable_town``).
NOTABLE_POPULATION = 100_000
#: Weakest candidate score a mention is kept with.
MIN_MENTION_SCORE = 0.5
#: Feature codes of places large enough to be named without locative evidence.
BIG_UNITS = COUNTRY_CODES | {"ADM1", "RGN", "PPLC"}
#: Prepositions that make a name a place more surely than "of", "from", "to", "between".
STRONG_LOCATIVE = LOCATIVE - {"of", "from", "to", "between"}
#: Prepositions that make a name a place even when the parse calls it a person ("from X").
_PLACE_CUES = LOCATIVE - {"of"}
_SPEECH_VERBS = frozenset(
    "say tell explain add note state ask answer reply respond write argue insist warn".split()
)
# What follows a name that opens a line as its label or dateline.
# A slash parts the fields of an incident line as a dash does ("Lubny / 3 May / shelling").
_DATELINE = re.compile(r"(?:,\s*[^\W_][\w .]{0,30}?)?(?:\s*\([^)]{1,20}\))?\s*(?::|[—–]|-\s|/\s)")
# A spaced field mark just before a name, and the colon that closes it as a line's label.
_FIELD_BEFORE = re.compile(r"\s[—–|/-]\s+$")
_FIELD_LABEL_END = re.compile(r"\s*:")
# What joins the names of a list ("Kingwood and Humble", "Rogaland, Vestfold, Buskerud").
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or|;)\s*")


def person_names(spans, parse):
    """Return ``{word: titled}`` for the single words the document uses as a person's name.

    A name after a title ("Dr. Moll", "Senator Dunn"; ``titled`` True) and the last word of
    a person entity of two words or more ("Tom Dunn" gives "Dunn"; ``titled`` False): in
    the rest of the document the word alone ("Dunn said") is that person too. The parse's
    person entities are less sure (the small model reads "Shakhtar Donetsk" as a person):
    a locative preposition before the word outweighs them ("far from Donetsk").
    """
    names = {}
    for ent in parse.entities:
        if ent.label == "PERSON" and ent.last - ent.first >= 2:
            names.setdefault(parse.doc[ent.last - 1].text, False)
    for span in spans:
        if span.person and " " not in span.text:
            names[span.text] = True
    return names


#: A vessel's class right before a name: the name is the ship's ("the cruiser X").
VESSEL_BEFORE = re.compile(
    r"\b(?:flagship|cruiser|frigate|corvette|submarine|warship|destroyer|tanker|vessel|ship|"
    r"tugboat|tug|ferry|trawler|freighter|icebreaker)s?\s+[\"“'‘]?$",
    re.IGNORECASE,
)
#: A person's age written after the name: "X, 41, was shot".
AGE_AFTER = re.compile(r"\s*,\s*\d{1,3}\s*,")


def _is_person(span, text, gaz, best, persons, parse):
    if span.person:
        return True
    titled = persons.get(span.text) if " " not in span.text else None
    if titled or (titled is False and span.cue not in LOCATIVE):
        return True
    if best.feature_code in BIG_UNITS:
        return False
    root = parse.tokens(span.start, span.end)
    root = root.root if len(root) else None
    if root is not None and root.dep_ == "nsubj" and root.head.lemma_.lower() in _SPEECH_VERBS:
        return True  # a town does not speak ("Steele says"); a capital does ("Kyiv said")
    if " " in span.key or span.wording_end > span.end:
        return False  # "X town. Fatalities: 18": the word after its place word is no surname
    gap = text[span.end : span.end + 1]
    after = span.after
    return (
        gap == " "
        and after[:1].isupper()
        and not gaz.has_key(fold(after))
        and after.lower() not in REGION_WORDS
        and after.lower() not in PLACE_WORDS
        and after.lower() not in CALENDAR
        and not common_word(after)
    )


def peoples_name(span, text, parse):
    """Return True when the words after a name or the parse make it a people ("the X
    tribe", "the X and Y ethnic groups", "X raiders")."""
    return PEOPLE_AFTER.match(text, span.wording_end) is not None or people_modifier(span, parse)


#: Articles that begin Arabic and Spanish place names ("El X", "Al Y", "Ad Z"); English
#: writes none of them as a word of its own, so a name that starts with one is no English
#: phrase even when the dictionary knows its other word.
_NAME_ARTICLES = frozenset("el al ad ar ash az ed".split())


def _article_name(words):
    """Return True for a name of two or more words whose first is an Arabic or Spanish
    article and whose next is capitalised ("El X"): a proper name, not ordinary words."""
    return (
        len(words) >= 2
        and words[0].lower() in _NAME_ARTICLES
        and words[0][:1].isupper()
        and words[1][:1].isupper()
    )


def verdict(span, res, weights, text, gaz, persons, parse):
    """Return True, False or None: is a resolved name span a place mention?

    Parameters
    ----------
    span : Span
        From :func:`geo.geoparse.detect.detect`.
    res : object
        The resolution: ``best`` (Place), ``score`` and ``qualifier``.
    weights : dict
        The document's countries (:class:`geo.geoparse.context.DocumentContext`).
    text : str
        The document.
    gaz : Gazetteer
        For the names after a name ("Kim Jong-un": not a place word).
    persons : dict of str to bool
        :func:`person_names` of the document.
    parse : ParseView
        The document's parse.

    Returns
    -------
    bool or None
    """
    best, score = res.best, res.score
    if score < MIN_MENTION_SCORE:
        return False
    if res.qualifier:
        return True  # its qualifier was found where the text says
    if (
        span.kind == "name"
        and best.feature_code in COUNTRY_CODES
        and len(span.key) <= 4
        and not span.text.isupper()
        and fold(best.name) != span.key
    ):
        return False  # "Car bomb": a country's acronym ("CAR") written as a word
    placeish = span.label in PLACE_LABELS
    single = " " not in span.key
    cue = span.cue
    big = best.feature_code in BIG_UNITS or best.population >= 1_000_000
    in_doc = not weights or weights.get(best.country_code, 0) > 0
    if not placeish and _is_person(span, text, gaz, best, persons, parse):
        return False
    if after_kin(span, text) or occasion(span, text):
        return False  # "his daughter X", "the fast of X", "a degree in X": no place
    if ordinary_name(span.text) and attributive(span, parse):
        cue = ""  # "over a Reading sign": the preposition governs the sign, not the name
    country = best.feature_code in COUNTRY_CODES
    if not country and (
        people_modifier(span, parse)  # "Toposa raiders": a people, whatever unit bears it
        or (acronym_plural(span) and not big)  # "three SAMs"
        or (
            span.label in NON_PLACE_LABELS
            and cue not in _PLACE_CUES
            and span.verb not in PLACE_VERBS
            and not (span.area or span.placeword or _unit_word(span.key))
            and not of_a_place(span, text)
            and only_another_name(span, best)
        )
    ):
        # a person or an organisation the gazetteer knows only as another name of a place
        # ("identified as Oleh", "suspected <group> members")
        return False
    if (not placeish and not of_a_place(span, text) and span.key in group_names()
            and (fold(best.name) != span.key or span.cue not in LOCATIVE)):  # fmt: skip
        # "struck Hamas", "Fano commanders": a listed armed group (another place's other
        # name, or a town's own name not written as a place: "in Fano" stays the town)
        return False
    if span.sentence_initial and not placeish and not country and only_another_name(span, best):
        return False  # "Farmers in X...": a capitalised first word, another place's other name
    if (
        not placeish
        and not country
        and not (big and in_doc)
        and best.population < NOTABLE_POPULATION
        and longer_name(span, text, parse, ordinary=ordinary_name(span.text))
    ):
        return False  # "the Rust Belt", "a Humber Scout Car": a longer name
    if (span.label == "PERSON" and " " not in span.key and span.cue not in LOCATIVE
            and best.population < 5_000 and fold(best.name) != span.key
            and _subject(span, parse)):  # fmt: skip
        # a subject the recogniser calls a person that only a hamlet's alternate names hold
        # ("X was captured"): the person
        return False
    if AGE_AFTER.match(text, span.end) and best.feature_code not in BIG_UNITS:
        return False  # "X, 41, was shot": a person and their age, whatever the recogniser says
    if VESSEL_BEFORE.search(text, max(0, span.start - 40), span.start):
        return False  # "the flagship X", "the landing ship Y": a ship's name
    if PEOPLE_AFTER.match(text, span.wording_end) and best.feature_code not in COUNTRY_CODES:
        return False  # "the Toposa tribe": a people, whatever town or county bears the name
    if span.label in ("DATE", "TIME"):
        return False  # the parse reads a date ("markets open late in Ramadan"): no place
    unit = span.area or (span.wording_end > span.end and not span.placeword)
    if (span.label == "NORP" and _adjective(span, parse) and best.feature_class != "P"
            and not (unit or best.feature_code in COUNTRY_CODES)):  # fmt: skip
        # a people or a faith as an adjective ("a Jewish settlement"), not a unit's name
        # ("in western X district") nor a town the small model tags so ("X market")
        return False
    if single and span.text.isupper() and len(span.text) <= 5 and not big:
        return False  # an acronym ("NATO", "SBU")
    words = re.findall(r"[^\W\d_]+", span.text)
    site = SITE_AFTER.match(text, span.wording_end) is not None  # "the X market"
    locative = (
        cue in LOCATIVE
        or span.verb in PLACE_VERBS
        or (not span.sentence_initial and _verb_before(span, text))
        or span.placeword
        or _dateline(text, span)
        or site
    )
    if (single and len(span.key) <= 3) or (
        all(common_word(w) for w in words) and not _article_name(words)
    ):
        if best.feature_code in COUNTRY_CODES:
            return True  # "China", "Turkey", "Jordan": a country named outright
        if big and in_doc and weights and not span.sentence_initial:
            return True  # a capital or province of a country the document is about
        strong = (
            cue in STRONG_LOCATIVE | {"from", "to"}
            or span.verb in PLACE_VERBS
            or site
            or of_a_place(span, text)  # "east of X", "the outskirts of X"
            or _part_of(span)  # "neighbourhoods of X", "villages of X"
        )
        if not placeish and (span.sentence_initial or not strong):
            return False
        if in_doc and (best.population >= 100_000 or weights.get(best.country_code, 0) > 0):
            return True
        if span.label == "LOC" and strong and best.feature_class in ("H", "T", "L"):
            return True  # "in the Red Sea", "off the Black Sea coast": a sea or a range
        return None
    if span.label in NON_PLACE_LABELS and not (
        locative
        or span.area
        or span.wording_end > span.end  # "X commune", "X district": a unit's word follows
        or best.feature_code in COUNTRY_CODES
        or (big and in_doc)
        or _notable_town(best, in_doc)
    ):
        return None  # the parse reads a person or an organisation, and nothing says place
    if not in_doc and best.population < 100_000 and not big and not locative:
        return True if placeish else None
    return True


#: Nouns whose "of" names a place: "the outskirts of X", "neighbourhoods of X".
_PARTS_OF = frozenset(
    """outskirts outskirt suburbs suburb neighbourhoods neighbourhood neighborhoods neighborhood
    centre center districts villages towns edge environs streets""".split()
)


def _part_of(span):
    """Whether a name is the "of" object of a part of a town ("neighbourhoods of X")."""
    words = span.before.split()
    return span.cue == "of" and len(words) >= 2 and words[-2] in _PARTS_OF


#: Past forms of the place verbs that do not end in "-ed".
_IRREGULAR_PAST = {
    "struck": "strike", "took": "take", "retook": "retake", "overran": "overrun",
    "held": "hold", "fled": "flee", "overtook": "overtake", "hit": "hit",
}  # fmt: skip
_WORD_BEFORE = re.compile(r"\b([a-z]+)[ \t]+$")


def _verb_before(span, text):
    """Whether the word right before a name is a form of a verb whose object is a place
    ("gangs attack X", "troops stormed Y", "drones struck Z"), which a parse of a headline
    often misses (it reads "attack" as a noun)."""
    found = _WORD_BEFORE.search(text, max(0, span.start - 30), span.start)
    if found is None:
        return False
    word = found.group(1)
    lemmas = {word, _IRREGULAR_PAST.get(word, "")}
    if word.endswith("s"):
        lemmas |= {word[:-1], word[:-2]}  # "attacks", "bombards"; "besieges"
    if word.endswith("ed"):
        lemmas |= {word[:-1], word[:-2], word[:-3]}  # "seized", "raided", "shelled"
    if word.endswith("ing"):
        lemmas |= {word[:-3], word[:-3] + "e", word[:-4]}  # "attacking", "capturing"
    return bool(lemmas & PLACE_VERBS)


def _unit_word(key):
    """Return True when a name ends in a word of a place's kind ("X District", "X Camp")."""
    last = key.rsplit(" ", 1)[-1]
    return " " in key and (last in REGION_WORDS or last in DISTRICT_WORDS or last in PLACE_WORDS)


def _subject(span, parse):
    """Return whether the parse makes a name the subject of its clause."""
    tokens = parse.tokens(span.start, span.end)
    return len(tokens) > 0 and tokens.root.dep_ in ("nsubj", "nsubjpass")


def _adjective(span, parse):
    """Return whether the parse tags every word of a name as an adjective."""
    tokens = parse.tokens(span.start, span.end)
    return len(tokens) > 0 and all(t.pos_ == "ADJ" for t in tokens)


def _notable_town(place, in_doc):
    """Return True for a city or a first-level seat that a bare name means without further
    evidence ("Nikopol is quiet.", the small model's PERSON or ORG notwithstanding): a town
    of :data:`NOTABLE_POPULATION` people or a capital or first-level seat, in a country
    the document is about (or in a document that names no country). The callers have
    already ruled out titles, persons of the document and longer entities."""
    if place.feature_class != "P" or not in_doc:
        return False
    return place.population >= NOTABLE_POPULATION or (
        place.feature_code in ("PPLC", "PPLA") and place.population >= 10_000
    )


def _dateline(text, span):
    """Return True when a name opens a line as its label or dateline ("Nikopol: shelling
    of…", "KHARKIV — Drones…", "KYIV, Ukraine (AP) —")."""
    line_start = text.rfind("\n", 0, span.start) + 1
    before = text[line_start : span.start]
    if before.strip() not in ("", "[", "("):
        # a log line's place field after its date or region field, closed by a colon
        # ("3 May 2024, X obl. – Lubny: drones hit ..."); else a label opens the line (it may
        # open in a bracket: "[Lubny / Poltava obl.]")
        return (len(before) <= 60 and _FIELD_BEFORE.search(before) is not None
                and _FIELD_LABEL_END.match(text, span.wording_end) is not None)  # fmt: skip
    return _DATELINE.match(text, span.wording_end) is not None


def coordinated(text, a, b):
    """Return True when spans ``a`` and ``b`` (``a`` first) are listed together."""
    return _LIST_GAP.fullmatch(text[a.wording_end : b.start]) is not None


def run_on(text, a, b):
    """Return True when span ``b`` follows span ``a`` after a single space: two known names
    written as one name the gazetteer does not know ("Severn Trent", "Kansas City Royals").
    Not when either is an ordinary word ("In Canada", "A New Jersey woman")."""
    return (
        a.wording_end == a.end
        and text[a.end : b.start] == " "
        and not any(ordinary_name(s.text) for s in (a, b))
    )


def ordinary_name(name):
    """Return True for a name of ordinary English words or of at most three letters."""
    words = re.findall(r"[^\W\d_]+", name)
    return len(name) <= 3 or all(common_word(w) for w in words)
