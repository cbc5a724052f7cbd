"""What spaCy's parse says about a name in text: its entity, the word governing it, metonymy.

The pipeline is :mod:`geo.common.nlp` (one per process). A :class:`ParseView` answers, for a
character span found by the gazetteer scan, which named entity covers it (a place, or a
person or organisation the name is only part of), which preposition governs it ("in",
"near") and whether it is the subject or possessor that makes a place stand for its
government ("Kyiv said", "Moscow's decision").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = [
    "NON_PLACE_LABELS",
    "PLACE_LABELS",
    "PLACE_VERBS",
    "SITE_AFTER",
    "Entity",
    "ParseView",
]

#: Entity labels of places (countries and cities, other locations, facilities).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels of things that are not places, although named after one ("Kansas City
#: Chiefs", "Paris Hilton", "the Kyiv Independent").
NON_PLACE_LABELS = frozenset(
    {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
)
#: A site named by the place it is in ("the Babanusa market", "a Pryluky school", "Hadiach
#: airport"), in lower case: not "Kyiv Post" or "Kyiv School of Economics".
#: One or two lower-case words may describe the site ("the X military academy", "the X
#: vegetable market", "the X supply road"), but not a function word or a verb's form ("X
#: and the school", "X said the hospital", "X targeted a plant").
SITE_AFTER = re.compile(
    r"[ \t]+(?:(?!(?:and|or|but|nor|the|a|an|of|in|on|at|to|for|with|by|from|as|is|are|was|"
    r"were|be|has|have|had|said|says|hit|hits|struck|near|than|that|which|who)\b)"
    r"[a-z]+(?<!ed)[ \t]+){0,2}"
    r"(?:market|school|hospital|"
    r"airport|airbase|port|harbour|harbor|bridge|railway|station|refinery|depot|prison|"
    r"mosque|church|stadium|dam|checkpoint|power[ \t]+plant|plant|camp|base|hotel|"
    r"university|neighbourhood|neighborhood|suburb|district|outskirts|academy|road|highway|"
    r"barracks|clinic)\b"
)
#: A people named by a word that is also a place ("the Kikuyu tribe", "the Rizeigat and
#: Misseriya tribesmen", "the Degodia clan"): a group, not where something happened.
PEOPLE_AFTER = re.compile(
    r"(?:\s+(?:and|or)\s+[A-Z][\w'’-]+)?[ \t]+(?:ethnic[ \t]+groups?|tribes?|tribesm[ae]n|"
    r"tribal|clans?|clansm[ae]n|sub-?clans?)\b"
)
# Tokens inside one entity that separate two names rather than join them into one name:
# "Kurchatov" in "the Kursk Nuclear Power Plant near Kurchatov", "Pandi, Bulacan".
_SEPARATING_WORDS = frozenset(
    "in near at outside around into to toward towards from between inside within across and or"
    " , ; ( ) [ ] / | – — 's ’s '".split()
)  # a possessive too: "Kyiv" in "Kyiv's Shevchenkivskyi district" is a place of its own


def _separating(doc, i):
    """Return True when token ``i`` parts two names: a separating word, or a hyphen with
    spaces on both sides, as between the fields of an incident line ("X - school - 3 May")."""
    tok = doc[i]
    if tok.lower_ in _SEPARATING_WORDS:
        return True
    return tok.text == "-" and i > 0 and bool(doc[i - 1].whitespace_) and bool(tok.whitespace_)


# Verbs whose subject, when a capital or a country, is its government or people ("Kyiv
# said", "Moscow denied", "Pyongyang supplied shells", "Israel struck").
_AGENT_VERBS = frozenset(
    """say deny confirm announce claim supply send insist warn accuse reject condemn respond
    report state argue agree want decide deploy acknowledge dismiss court blame threaten
    admit refuse hope believe urge call demand sign approve impose sanction recognize
    recognise expel summon protest vow pledge promise plan seek offer propose negotiate
    order launch attack invade fire strike retaliate tell accept welcome criticise
    criticize suspend halt resume ban veto dispute insist allege trade step escalate
    intensify""".split()
)
# Verbs whose object (or passive subject) is mostly a place when the gazetteer knows the name
# ("shelled El Fasher", "retook Kidal", "Dnipro was hit", "toured Moore").
PLACE_VERBS = frozenset(
    """attack strike hit shell bomb bombard raid storm capture take retake seize recapture
    liberate occupy enter reach leave flee evacuate cross encircle surround besiege
    control defend hold target pound swamp flood tour visit abandon assault rock overrun
    overtake infiltrate penetrate blockade""".split()
)
#: Nouns of a side's people and assets: a name before them is the side, not where they are
#: ("struck X positions", "hit Y fighters").
_SIDE_NOUNS = frozenset(
    """position target fighter troop force unit militant commander leader member official
    soldier rebel supporter convoy asset stronghold hideout cell camp""".split()
)
#: Nouns of force whose "on"/"against" object is a place when it is a name ("assaults on
#: Marinka", "a strike on Sumy"): read like the verbs above.
_FORCE_NOUNS = frozenset(
    "attack assault strike raid offensive shelling bombardment bombing push advance".split()
)
#: Verbs whose subject underwent their object, and the fighting that object names ("X saw
#: clashes", "the town witnessed heavy fighting").
UNDERGO_VERBS = frozenset("see witness experience endure suffer".split())
_FIGHT_NOUNS = _FORCE_NOUNS | frozenset(
    "clash fighting fight battle explosion blast airstrike skirmish gunfight firefight".split()
)
# Nouns whose possessor or modifier is a government ("Moscow's involvement", "the Pyongyang
# regime", "Kyiv's allies").
_INSTITUTION_NOUNS = frozenset(
    """regime government authority official leadership administration military army force
    troop involvement decision ministry relation tie statement response spokesman
    spokeswoman spokesperson president leader claim reaction intelligence ally policy
    position demand offer plan proposal stance strategy diplomat envoy delegation
    negotiator junta embassy fleet navy brigade battalion regiment corps""".split()
)
# Campaigns a government wages: their possessor is who wages them ("Moscow's offensive",
# "Tehran's campaign"), while a modifier says where ("the Kharkiv offensive").
_CAMPAIGN_NOUNS = frozenset("offensive counteroffensive invasion incursion campaign war".split())
# Nouns after which "from X" / "in X" names where a report comes from ("reports from Kiev").
_SOURCE_NOUNS = frozenset(
    "report source statement news media authority analyst official spokesman".split()
)


@dataclass(frozen=True)
class Entity:
    """A named entity of the parse, without a leading "the" or a trailing "'s".

    ``start`` and ``end`` are character offsets; ``first`` and ``last`` token indices
    (``last`` exclusive).
    """

    start: int
    end: int
    label: str
    first: int
    last: int


#: Bearings written in lower case before a name ("west Kabul", "northern Gaza").
_BEARINGS = frozenset(
    """north south east west northern southern eastern western central northeast northwest
    southeast southwest north-east north-west south-east south-west northeastern
    northwestern southeastern southwestern north-eastern north-western south-eastern
    south-western""".split()
)


def _trimmed(ent):
    """Return the entity's tokens without leading determiners and trailing possessives."""
    first, last = ent.start, ent.end
    doc = ent.doc
    while first < last - 1 and (
        doc[first].lower_ in ("the", "a", "an")
        or (doc[first].text in _BEARINGS and doc[first + 1].text[:1].isupper())
    ):
        first += 1  # "the", and a bearing in lower case: "west Kabul" is a part of Kabul
    for i in range(first + 1, last - 1):
        if (
            doc[i].text in ("-", "–", "—")
            and doc[i - 1].whitespace_
            and doc[i].whitespace_
            and (doc[i + 1].like_num or doc[i + 1].is_lower)
        ):
            last = i  # "Poltava city - 2 x killed": a spaced dash ends the name, as in logs
            break
    while last > first + 1 and (doc[last - 1].tag_ == "POS" or doc[last - 1].is_punct):
        last -= 1
    return first, last


#: Labels of amounts, dates and quantities: their numbers are their own.
_NUMBER_LABELS = frozenset({"MONEY", "QUANTITY", "CARDINAL", "DATE", "TIME", "PERCENT", "ORDINAL"})


def _counts_after(doc, first, last):
    """Return whether an entity ends in numbers that count something outside it."""
    end = doc[last - 1]
    return (
        last - first > 1
        and end.like_num
        and doc[first].pos_ == "PROPN"
        and not (first <= end.head.i < last)
    )


#: Month and weekday names (never places).
CALENDAR = frozenset(
    w.lower() for w in (*calendar.month_name[1:], *calendar.day_name, *calendar.month_abbr[1:])
) | frozenset(
    # the Islamic months that news names (the fasting month and the months of the feasts),
    # and feasts and holidays of the year: never places, whatever village bears the name
    """ramadan ramazan muharram shawwal eid ashura christmas easter passover hanukkah diwali
    nowruz""".split()
)
#: Words of dates and times: a DATE or TIME entity holds a digit or one of these.
_TIME_WORDS = CALENDAR | frozenset(
    """
    sept day days week weeks weekend month months year years decade decades century centuries
    night nights morning mornings evening afternoon noon midnight dawn dusk today tonight
    yesterday tomorrow hour hours minute minutes season spring summer autumn fall winter
    quarter era age period time times ago past last next recent early late mid thanksgiving
    lent kippur sabbath shabbat new years holidays holiday ceasefire truce
    """.split()
)


def misread_date(tokens):
    """Return True for a DATE or TIME entity of names only ("shelled X" read as a
    date beside the numbers of a log line): no digit, no word of time or of a feast."""
    words = [t.lower_.strip(".") for t in tokens if not t.is_punct]
    return (
        bool(words)
        and not any(
            any(ch.isdigit() for ch in w) or w in _TIME_WORDS or w.endswith("day") for w in words
        )
        and all(t.text[:1].isupper() for t in tokens if not t.is_punct and not t.is_stop)
    )


class ParseView:
    """Answers questions about character spans of a parsed text.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parse of the text the spans index.
    """

    def __init__(self, doc):
        self.doc = doc
        self.entities = []
        for ent in doc.ents:
            first, last = _trimmed(ent)
            label = ent.label_
            if label in ("DATE", "TIME") and misread_date(ent):
                label = ""  # a name the recogniser took for a date: no label of its own
            if label not in _NUMBER_LABELS and _counts_after(doc, first, last):
                # "shelled the city of Mykolaiv 30 times": the tagger took the count for part
                # of a name and labelled the whole an organisation; the name alone is left,
                # with no label of its own
                while last > first + 1 and doc[last - 1].like_num:
                    last -= 1
                label = label if label in ("GPE", "LOC") else ""
            start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
            self.entities.append(Entity(start, end, label, first, last))
        self._ent_starts = [e.start for e in self.entities]

    def tokens(self, start, end):
        """Return the parse's tokens that overlap the characters ``start:end``."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span if span is not None else self.doc[0:0]

    def _overlapping(self, start, end):
        from bisect import bisect_left

        i = max(0, bisect_left(self._ent_starts, start) - 1)
        out = []
        for ent in self.entities[i:]:
            if ent.start >= end:
                break
            if ent.end > start:
                out.append(ent)
        return out

    def relation(self, start, end, wording_end=None):
        """Return how the named entities cover a span: ``(relation, label)``.

        ``relation`` is "exact" (an entity names the span, or starts it and the span adds a
        region word: "Kursk" in "Kursk region"), "inside" (the span is a part of a longer
        entity: "Kansas" in "University of Kansas", "Paris" in "Paris Hilton"), "overlap"
        (they cross) or "" (no entity). Names joined inside one entity by a comma, "and"
        or a preposition ("Pandi, Bulacan"; "the power plant near Kurchatov") are separate.
        An entity that adds only the span's region word (``wording_end``: "Nyanza province")
        names it exactly.
        """
        found = ("", "")
        for ent in self._overlapping(start, end):
            if ent.start == start and ent.end in (end, wording_end):
                return "exact", ent.label
            if ent.start <= start and end <= ent.end:
                if self._separated(ent, start, end):
                    continue
                return "inside", ent.label
            if start == ent.start and ent.end < end:
                found = ("exact", ent.label)
            elif not found[0]:
                found = ("overlap", ent.label)
        return found

    def _separated(self, ent, start, end):
        """Return True when a separating word stands between the span and the rest of
        ``ent`` on every side where the entity goes on."""
        doc = self.doc
        span = self.tokens(start, end)
        if not len(span):
            return False
        before = span.start - 1
        after = span.end
        left = before >= ent.first and not _separating(doc, before)
        right = after < ent.last and not _separating(doc, after)
        return not left and not right

    def _head_noun(self, start, end):
        """Return the token heading the span, climbing over conjuncts ("in Kharkiv and
        Sumy") and appositions to the noun phrase the span belongs to."""
        span = self.tokens(start, end)
        if not len(span):
            return None
        tok = span.root
        for _ in range(4):
            if tok.dep_ in ("conj", "appos") and tok.head is not tok:
                tok = tok.head
            else:
                break
        return tok

    def preposition(self, start, end):
        """Return the preposition governing a span ("in" for "Sumy" in "in Kharkiv and
        Sumy", and for "Donetsk" in "in the Donetsk region"), or ""."""
        tok = self._head_noun(start, end)
        if tok is None:
            return ""
        if tok.dep_ in ("compound", "nmod") and tok.head is not tok:
            tok = tok.head
            while tok.dep_ in ("conj", "appos") and tok.head is not tok:
                tok = tok.head
        if tok.dep_ == "pobj" and tok.head.pos_ == "ADP":
            return tok.head.lower_
        return ""

    def verb(self, start, end):
        """Return the lemma of the verb whose object or passive subject the span is
        ("shell" for "El Fasher" in "shelled El Fasher"; "hit" in "Dnipro was hit"; a noun of
        force for its "on" object: "assault" in "assaults on Marinka"), or ""."""
        tok = self._head_noun(start, end)
        if tok is not None and tok.dep_ == "compound" and tok.pos_ == "PROPN":
            # "a strike on the X cafe", "drones hit X apartment blocks": the name before the
            # site struck is where the site is (not before a side's people or assets)
            site = tok
            while site.dep_ == "compound" and site.head is not site:
                site = site.head
            if site.pos_ == "NOUN" and site.lemma_.lower() not in _SIDE_NOUNS:
                return self._verb_of(site)
        return self._verb_of(tok)

    def _verb_of(self, tok):
        if tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in ("on", "against"):
            noun = tok.head.head
            lemma = noun.lemma_.lower()
            if noun.pos_ == "NOUN" and lemma in _FORCE_NOUNS:
                return lemma if lemma in PLACE_VERBS else "attack"
        if (tok is not None and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in UNDERGO_VERBS
                and any(c.dep_ == "dobj" and c.lemma_.lower() in _FIGHT_NOUNS
                        for c in tok.head.children)):  # fmt: skip
            return "attack"  # "X saw heavy clashes", "X witnessed fighting": where it was
        if tok is None or tok.dep_ not in ("dobj", "nsubjpass"):
            return ""
        head = tok.head
        return head.lemma_.lower() if head.pos_ in ("VERB", "AUX") else ""

    def metonymy(self, start, end):
        """Return True when the parse makes the span a government or a source, False when it
        makes it a location, None when it does not say.

        True: the subject of a verb of speech or state action ("Kyiv said", "Washington and
        Beijing agreed"), the possessor or modifier of an institution ("Moscow's decision",
        "the Pyongyang regime"), the object of "between", or where a report comes from
        ("reports from Kiev"). False: the subject of a passive or of another verb ("Kyiv
        was shelled", "Kyiv is the capital"), the possessor of a place ("Russia's Kursk
        region").
        """
        span = self.tokens(start, end)
        if not len(span):
            return None
        tok = span.root
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head
        dep = tok.dep_
        head = tok.head
        if dep == "nsubj":
            return head.lemma_.lower() in _AGENT_VERBS
        if dep == "nsubjpass":
            return False
        if dep in ("poss", "compound"):
            if head.lemma_.lower() in _INSTITUTION_NOUNS:
                return True
            if dep == "poss" and head.lemma_.lower() in _CAMPAIGN_NOUNS:
                return True
            return False if dep == "poss" else None
        if dep == "pobj" and head.pos_ == "ADP":
            prep = head.lower_
            if prep == "between":
                return True
            noun = head.head
            if prep == "of" and noun.pos_ == "NOUN":
                # "the president of X" stands for it, "the streets of X" are in it (and a
                # person "of X" is from it: the parse does not say)
                return noun.lemma_.lower() in _INSTITUTION_NOUNS
            if prep in ("from", "in") and noun.lemma_.lower() in _SOURCE_NOUNS:
                # "officials in Kyiv said", not "gunmen killed an official in X"
                return noun.dep_ not in ("dobj", "nsubjpass")
        return None
