"""Which place an event happened at: a scored link from the trigger to a place mention.

Every place named in the trigger's sentence is a candidate. A candidate gets named features
read off the parse (is it the trigger's object, the object of a locative preposition
attached to the trigger's clause, a qualifier of another place, where a speaker is, how far
along the parse it is ...) and a score, the weighted sum of its features
(``WEIGHTS``; see ``benchmarks/fit_linker.py`` for how they were fitted and measured). The
best candidate above ``THRESHOLD`` is the event's place; below it, the sentence states no
place for that event. Datelines are never candidates, nor places that stand for a
government ("Kyiv said").
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.extract import syntax
from geo.extract.detect import aims_attack
from geo.extract.lexicon import PART_NOUNS, SPEECH_VERBS, TARGET_NOUNS, lemma_of, senses
from geo.gazetteer.normalize import AREA_WORDS, PLACE_WORDS
from geo.geoparse.entities import UNDERGO_VERBS
from geo.geoparse.ranking import distance_km

__all__ = [
    "FEATURES",
    "THRESHOLD",
    "WEIGHTS",
    "Candidate",
    "dateline_end",
    "eligible",
    "datelines",
    "is_location",
    "line_place",
    "link_place",
    "consequence_place",
    "cue_candidates",
    "preposition",
    "qualified_name",
    "rank_places",
    "threshold",
]

_LOCATIVE = frozenset(
    "in at near outside around inside within across throughout along over off on behind "
    "beyond between outskirts".split()
)
_DIRECTIONAL = frozenset("to into toward towards onto".split())
#: Prepositions that bring in the sides of a fight or its target ("fighting between the
#: guards and a gang around X", "clashes with rebels near X", "a raid on a camp outside X"):
#: the parser often hangs a place phrase on the last of them, but it tells where the
#: fighting is.
_PARTICIPANT_PREPS = frozenset("between with against among on upon".split())
#: Movements told by where they go, not where they start.
_ADVANCES = frozenset("advance push press move march drive head".split())
_SPEECH = (SPEECH_VERBS - {"acknowledge"}) | {"warn", "accuse", "note", "describe"}
_WEIGHTS_FILE = Path(__file__).resolve().parent / "data" / "linker.json"

_PREP_FEATURES = (
    "in", "at", "near", "on", "from", "to", "into", "of", "outside", "around", "across",
    "over", "toward", "against", "by", "with", "between", "inside", "along",
)  # fmt: skip
_DEP_FEATURES = ("pobj", "dobj", "nsubj", "nsubjpass", "compound", "appos", "conj", "poss",
                 "npadvmod", "attr", "other")  # fmt: skip
_ENT_FEATURES = ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "none")
#: The features of a (trigger, place) pair, in the order of the weight vector.
FEATURES = (
    "bias",
    "object",
    "locative",
    "directional",
    "from",
    "of",
    "qualifier",
    "qualified",
    "same_clause",
    "in_subtree",
    "path",
    "distance",
    "before",
    "subject_side",
    "speaker_side",
    "country",
    "admin1",
    "finer_exists",
    "nearest",
    "entity",
    "unresolved",
    "origin",
    "label",
    # which preposition governs the place (through "the outskirts of")
    *(f"prep_{w}" for w in _PREP_FEATURES),
    # its grammatical role, and what the spaCy entity recogniser calls it
    *(f"dep_{d}" for d in _DEP_FEATURES),
    *(f"ent_{e}" for e in _ENT_FEATURES),
    "attach_trigger",
    "attach_object",
    "fronted",
    "trigger_noun",
    "candidates",
)
#: Hand-set weights, used until ``data/linker.json`` holds fitted ones.
_DEFAULT_WEIGHTS = {
    "bias": -1.0,
    "object": 2.5,
    "locative": 2.5,
    "directional": 1.2,
    "from": -1.0,
    "of": 0.8,
    "qualifier": -2.0,
    "qualified": 0.5,
    "same_clause": 1.0,
    "in_subtree": 0.8,
    "path": -0.25,
    "distance": -0.3,
    "before": -0.2,
    "subject_side": -0.5,
    "speaker_side": -2.5,
    "country": -0.8,
    "admin1": -0.2,
    "finer_exists": -1.0,
    "nearest": 0.5,
    "entity": 0.3,
    "unresolved": -0.5,
    "origin": -2.5,
    "label": 3.0,
}
#: A candidate must score above this to be the event's place.
THRESHOLD = 0.0
#: The filing day a dateline may give after its place ("KYIV, Ukraine, June 10 —",
#: "GOMA, March 4, 2026 (Reuters) —").
_FILED = (
    r"(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?)?"
)
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z'.-]*(?:[ -][A-Z][A-Za-z'.-]*)*)(?:,\s*[A-Z][A-Za-z .'-]+)?"
    + _FILED
    + r"\s*(?:\([A-Za-z0-9 .:&/-]+\))?\s*(?:[—–]|--|-\s)"
)


@cache
def _weights():
    try:
        data = json.loads(_WEIGHTS_FILE.read_text("utf-8"))
        return {name: float(data["weights"].get(name, 0.0)) for name in FEATURES}, float(
            data.get("threshold", THRESHOLD)
        )
    except (OSError, ValueError, KeyError):
        return {name: _DEFAULT_WEIGHTS.get(name, 0.0) for name in FEATURES}, THRESHOLD


WEIGHTS = _weights()[0]


def datelines(text: str) -> list[tuple[int, int]]:
    """Return the spans of wire datelines opening a line of ``text`` ("KYIV, Ukraine (AP) —"
    at the start of the story, or of its first paragraph after a title)."""
    out = []
    start = 0
    while start < len(text):
        end = dateline_end(text[start : start + 120])
        if end:
            out.append((start, start + end))
        nxt = text.find("\n", start)
        if nxt < 0:
            break
        start = nxt + 1
    return out


def dateline_end(text: str) -> int:
    """Return the end offset of a wire dateline opening ``text`` ("KYIV, Ukraine (AP) —"), or 0.

    Examples
    --------
    >>> text = "KHARTOUM, Sudan (AP) — Fighters shelled a hospital."
    >>> text[: dateline_end(text)]
    'KHARTOUM, Sudan (AP) — '
    """
    m = _DATELINE.match(text[:120])
    if m is None:
        return 0
    head = m.group(0)
    words = re.findall(r"[A-Za-z]+", head.split(",")[0].split("(")[0])
    if not words or not all(w.isupper() for w in words if len(w) > 1):
        if "(" not in head:
            return 0  # "Russian forces - ..." is a sentence, not a dateline
    end = m.end()
    while end < len(text) and text[end] == " ":
        end += 1
    return end


@dataclass(frozen=True)
class Candidate:
    """A place named in a sentence: its span, head token and resolved place (or None)."""

    start: int
    end: int
    head: object
    place: object = None
    mention: object = None
    #: "the city" standing for the town named before it (``mention``)
    anaphor: bool = False

    @property
    def text(self):
        return syntax.text_of(self.head.doc)[self.start : self.end]


_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
#: Words that end the names of organisations, not places ("the Defence Ministry").
_ORG_WORDS = frozenset(
    "ministry council university agency committee party front movement army force forces "
    "brigade battalion regiment corps guard guards police service court office company "
    "bank association union organization organisation institute group network agency "
    "television radio news times post journal press daily".split()
)
_CUE_PREPS = frozenset("in at near outside around into toward towards inside across".split())
_AREA_NOUNS = frozenset(
    "village villages town towns city cities district districts area areas province "
    "provinces region regions neighbourhood neighborhood neighbourhoods neighborhoods suburb "
    "suburbs camp camps county counties governorate municipality locality settlement "
    "settlements hamlet quarter colony colonies sector sectors ward wards commune communes "
    "subdistrict tehsil taluka axis axes salient enclave governorates municipalities "
    "localities hamlets quarters subdistricts tehsils talukas enclaves".split()
)


def _chunk(token):
    """Return the ``(first, last)`` tokens of the proper-noun chunk ``token`` heads."""
    sent = syntax.sentence_of(token)
    left = token
    while left.i > sent.start:
        prev = left.doc[left.i - 1]
        if prev.pos_ == "PROPN" or (prev.text in ("-", "'", "’") and prev.i > sent.start):
            left = prev
        else:
            break
    right = token
    while right.i + 1 < sent.end:
        nxt = right.doc[right.i + 1]
        if nxt.pos_ == "PROPN" or (nxt.text in ("-",) and nxt.i + 1 < sent.end):
            right = nxt
        else:
            break
    if left.text in ("-", "'", "’"):
        left = left.doc[left.i + 1]
    return left, right


#: Verbs whose object is a place: a town is stormed, shelled, entered, captured...
_OVERRUN = frozenset(
    "storm shell enter invade overrun besiege bombard liberate recapture retake seize "
    "capture raid encircle".split()
)
#: Verbs whose object may be a place or a group: a place when its name says so.
_STRIKE_AT = frozenset("target attack hit strike bomb shell pound besiege surround take".split())
#: ... of which people can undergo these too ("captured the commander").
_TAKE_PEOPLE = frozenset("capture seize raid liberate".split())
#: Unit words after a name that carry its relation to the event ("in X's Y state", "in the
#: Z oblast"), though not cues of unknown names ("the Islamic State" names no place).
_UNIT_WORDS = frozenset("state states oblast oblasts raion raions rayon".split())


@cache
def _attack_nouns() -> frozenset:
    """The lexicon's nouns of attacks, whose "on" object is where they struck ("an attack
    on X", "strikes on X")."""
    return frozenset(lemma for (lemma, pos), found in senses().items()
                     if pos == "NOUN" and any(s.event_type == "attack" for s in found))  # fmt: skip


#: Parts of a place named by its "of" object ("the northern perimeter of X").
_PARTS = frozenset(
    "perimeter outskirts edge edges fringe fringes flank flanks countryside vicinity environs "
    "periphery heart centre center corridor slope slopes outskirt".split()
)
#: People named by the place they live in ("residents of X").
_DWELLERS = frozenset("residents inhabitants villagers townspeople".split())


def name_goes_on(ent):
    """Return the last token of the name an entity begins when the recogniser cut it short:
    "Tal" of "the village of Tal Al-Zhovt", where the entity's last token is a compound of
    proper nouns after it. The entity's own last token when the name ends there."""
    last = ent[-1]
    doc, end = ent.doc, ent.end
    sent_end = last.sent.end
    while (end < sent_end and doc[end].pos_ == "PROPN" and last.dep_ == "compound"
           and last.head.i >= end and doc[end].ent_type_ in ("", "GPE", "LOC", "FAC")
           and doc[end].lower_ not in _ORG_WORDS):  # fmt: skip
        last = doc[end]
        end += 1
    return last


#: Nouns that end the name of a site ("the Goz Tanjour Hospital", "the X Gas Fields",
#: "the Bir Hassana Military Airport", "the Y Mountains", "Z police station").
_SITE_HEADS = frozenset(
    """
    hospital airport airbase airfield base mosque church school hotel market bridge dam
    checkpoint crossing junction roundabout square prison stadium refinery plant station
    complex farm farms field fields springs plateau hill hills hilltop mountaintop mountain
    mountains valley plain plains road highway port harbour harbor project college
    university academy
    """.split()
)
# and their plurals ("the X and Y checkpoints")
_SITE_HEADS = (
    _SITE_HEADS
    | {w + ("es" if w.endswith("ch") else "s") for w in _SITE_HEADS}
    | {"universities", "academies"}
)


def _site_start(head):
    """Return the first token of a site's name ending in ``head``, or None when no proper
    noun names it ("the main hospital", "the Army base" name no site)."""
    first, proper = None, False
    current = head
    while current.i > current.sent.start:
        prev = current.doc[current.i - 1]
        if prev.pos_ == "PROPN" and prev.ent_type_ not in ("NORP", "DATE", "ORDINAL"):
            proper = True
        elif prev.pos_ == "NOUN" and prev.dep_ == "compound":
            pass  # "Bir Hassana Military Airport", "the X Gas Fields", "Y police station"
        elif prev.text in ("-", "’", "'") and first is not None:
            pass
        else:
            break
        if prev.pos_ == "PROPN" and prev.lower_ in _ORG_WORDS or prev.lower_ in _MONTHS_DAYS:
            return None
        first = current = prev
    while first is not None and not (first.pos_ == "PROPN" or first.text[:1].isupper()):
        first = first.doc[first.i + 1] if first.i + 1 < head.i else None
    return first if proper and first is not None else None


#: The clock's halves of the day ("A.M.", "pm").
_CLOCK = re.compile(r"[AaPp]\.?[Mm]\.?")


#: The end of a log line's label right after its name: an optional qualifier in brackets,
#: then a colon or a dash ("X (Y dist.): ...", "X – ..."). Stricter than ``in_label``, which
#: judges a resolved place: here the grammar alone makes an unknown name a place.
_LABEL_AFTER = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*(?::|\s[–—-]\s)")


def _opens_label(token) -> bool:
    """Whether a proper noun is the name opening a line as its label ("Zhovtoiar (Lubny
    dist.): armed assault on the village"): the line says what happened there."""
    first, last = _chunk(token)
    text = syntax.text_of(token.doc)
    start = text.rfind("\n", 0, first.idx) + 1
    if text[start : first.idx].strip():
        return False
    return _LABEL_AFTER.match(text, last.idx + len(last)) is not None


def cue_candidates(sent, taken, actors=frozenset()) -> list[Candidate]:
    """Return unresolved place names the grammar marks as places: a proper noun after a
    locative preposition ("near Goz Tanjour"), after "the village/town/district of", or
    listed with such a name ("the towns of Goz Tanjour, Ber Kashi and Dala Tsohuwa").

    ``taken`` holds token indices already inside place candidates; ``actors`` those of
    country adjectives and demonyms ("the Moldovan city of X" names X, not "Moldovan").
    """
    out = []
    seen = set(taken)

    def add(token, named=False):
        # ``named``: a unit's own name ("the village of X", "X district"), a place whatever
        # the entity recogniser says of a word without digits ("Ma'arde" is no DATE)
        first, last = _chunk(token)
        idx = set(range(first.i, last.i + 1))
        if idx & seen or last.lower_ in _ORG_WORDS or first.lower_ in _MONTHS_DAYS:
            return False
        if not any(t.text[:1].isupper() for t in token.doc[first.i : last.i + 1]):
            return False  # "near playground" in a clipped line: a common noun, no name
        if any(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL")
               and not (named and not any(ch.isdigit() for ch in t.text))
               for t in (first, last)):  # fmt: skip
            return False
        if first.i == last.i and first.norm_ in DIRECTIONS and first.text.isupper():
            return False  # "villages S of X": a compass point, no name
        if _CLOCK.fullmatch(first.text) or (first.i > 0 and first.nbor(-1).like_num):
            return False  # "at 8:45 A.M.", "at 3 PM": a time, whatever the entity recogniser says
        seen.update(idx)
        out.append(Candidate(first.idx, last.idx + len(last), token))
        return True

    for token in sent:
        if token.lower_ in _SITE_HEADS and token.i not in seen:
            first = _site_start(token)
            if first is not None:
                idx = set(range(first.i, token.i + 1))
                if not idx & seen:
                    seen.update(idx)
                    out.append(Candidate(first.idx, token.idx + len(token), token))
            continue
        if token.pos_ != "PROPN" or token.i in seen:
            continue
        head = token.head
        cue = named = False
        if token.dep_ in ("compound", "nmod"):
            if head.lower_ not in _AREA_NOUNS or _faith_quarter(token):
                continue
            if token.dep_ == "nmod" and token.ent_type_ in ("ORG", "NORP", "PERSON"):
                continue  # "the Jaysh X town of Y": who holds the town
            if token.i in actors and any(c.dep_ == "prep" and c.lower_ == "of"
                                         for c in head.children):  # fmt: skip
                continue  # "the southern Moldovan city of X": X is the name
            # "Dala Tsohuwa village", "the Sabon Gari district", "the X and Y suburbs" (the
            # first of two names before a plural unit is parsed as its nominal modifier)
            cue = named = True
        elif (token.dep_ == "pobj" and head.lower_ == "on"
              and lemma_of(head.head) in _attack_nouns()
              and token.ent_type_ not in ("PERSON", "ORG", "NORP")):  # fmt: skip
            cue = True  # "an attack on X", "strikes on X"
        elif token.dep_ == "pobj" and head.lower_ in _CUE_PREPS:
            cue = (
                token.ent_type_ != "PERSON"
                or head.lower_ in ("near", "outside", "into")
                or generic_toponym(token)
                or any(c.dep_ == "appos" and c.lower_ in _AREA_NOUNS for c in token.children)
            )  # fmt: skip  ("in X, a small town in Y")
        elif (
            token.dep_ == "pobj"
            and head.lower_ == "of"
            and (head.head.lower_ in _AREA_NOUNS or head.head.lower_ in _SITE_HEADS
                 or head.head.lower_ in _DWELLERS or head.head.lower_ in _PARTS)
        ):  # fmt: skip
            # "the village of X", "the southern farms of X", "residents of X", "the northern
            # perimeter of X"
            cue = True
            named = head.head.lower_ in _AREA_NOUNS
        elif token.dep_ == "appos" and head.lower_ in _AREA_NOUNS:
            cue = named = True
        elif _opens_label(token):
            cue = named = True  # "X (Y district): raid on the village": a log line's label
        elif (token.dep_ == "dobj" and head.pos_ == "VERB"
              and head.lemma_.lower() in _STRIKE_AT and generic_toponym(token)):  # fmt: skip
            cue = named = True  # "targeting Tal X and Jabal Y": a place, by its first word
        elif token.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_.lower() in _OVERRUN:
            # "troops stormed X", "rebels captured X": what is stormed or captured is a
            # place, unless the recogniser names a group, or a person who can be captured
            person = token.ent_type_ == "PERSON" and head.lemma_.lower() in _TAKE_PEOPLE
            cue = (token.ent_type_ != "ORG" and token.tag_ != "NNPS" and not person
                   or generic_toponym(token))  # fmt: skip
        if cue and add(token, named):
            for conj in token.conjuncts:
                if conj.pos_ == "PROPN":
                    add(conj)
    return out


#: The generic words that open place names in Arabic-speaking lands (and their Hebrew and
#: Persian cousins), as news writes them: a village, a mound, a mountain, a valley, a spring,
#: a monastery, a caravanserai, a well, a house, a headland, a fort, a market town. A name
#: that opens with one and goes on ("Kafr X", "Tal al-X", "Wadi X") is a place, whatever
#: the entity recogniser (trained on English names) calls it.
TOPONYM_GENERICS = frozenset(
    "kafr kfar kafar tal tell tel jabal jebel jabel wadi ain ein deir dayr khan bir beit "
    "bayt ras qasr qalaat qalat kiryat souq suq".split()
)


def generic_toponym(token) -> bool:
    """Whether the proper-noun chunk of ``token`` opens with a generic place word and goes
    on with a name ("Kafr Sousa", "Tal al-Hamra")."""
    first, last = _chunk(token)
    if last.i == first.i:
        words = first.text.split("-")  # "Tal-Hamra" as one token
        return len(words) > 1 and words[0].lower() in TOPONYM_GENERICS and words[1][:1].isupper()
    return first.lower_ in TOPONYM_GENERICS and first.text[:1].isupper()


#: Faiths and their branches, which name who lives in a quarter, not the quarter.
_FAITHS = frozenset(
    "shia shiite shi'ite shi'i sunni christian muslim hindu druze alawite jewish catholic "
    "orthodox sikh buddhist yazidi".split()
)
_MOSTLY = frozenset("mostly mainly largely predominantly predominately overwhelmingly".split())


def _faith_quarter(token) -> bool:
    """Whether a word before a unit says who lives there ("a mostly Druze neighbourhood",
    "the Shiite district"), not the unit's name."""
    if token.lower_.replace("’", "'") in _FAITHS:
        return True
    return token.ent_type_ == "NORP" and token.i > 0 and token.nbor(-1).lower_ in _MOSTLY


def _tok(cand, offset):
    """Return the index of the token of ``cand``'s sentence holding character ``offset``."""
    span = cand.head.doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span.start if span is not None else cand.head.i


def _path(a, b):
    """Return the number of arcs between two tokens through their lowest common ancestor."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return index[t.i] + n, t
    return len(up_a) + 8, None


def _attach(token):
    """Return ``(preposition, the word it attaches to)`` for a prepositional object ("in and
    around X": "around", and the word "in" attaches to)."""
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent", "dative", "conj"):
        prep = token.head
        while prep.dep_ == "conj" and prep.head.pos_ == "ADP" and prep.head is not prep:
            prep = prep.head
        if prep.dep_ not in ("prep", "agent", "dative"):
            return None, None
        return token.head.lower_, prep.head
    return None, None


def coordinated(token) -> bool:
    """Return whether ``token`` is the second or later of coordinated words ("X and Y"): a
    ``conj``, or a name the parser hung on the next one with its "and" ("Hlynske and
    Velyka Dmytrivka" parsed as a modifier of "Dmytrivka")."""
    if token.dep_ == "conj":
        return True
    return (token.dep_ in ("nmod", "compound") and token.head.pos_ == "PROPN"
            and any(c.dep_ == "cc" for c in token.children))  # fmt: skip


def _anchor(token):
    """Climb from a place to the noun it names a part of ("the outskirts of Kharkiv" →
    outskirts, "the village of X" → village): that noun carries the relation to the event."""
    anchor = token
    while coordinated(anchor):
        anchor = anchor.head
    named = anchor.head
    if (
        named.dep_ == "acl"
        and named.head.pos_ == "NOUN"
        and (
            (anchor.dep_ == "oprd" and named.lemma_.lower() in ("call", "name"))
            or (
                anchor.dep_ == "pobj"
                and named.lower_ == "as"
                and named.head.lemma_.lower() == "know"
                and named.head.dep_ == "acl"
            )
        )
    ):
        # "in a village called X", "a hamlet known as X": the noun the name names
        anchor = named.head if named.lower_ != "as" else named.head.head
    if anchor.dep_ in ("compound", "amod", "nmod") and (
        anchor.head.lower_ in _AREA_NOUNS
        or anchor.head.lower_ in _UNIT_WORDS
        or anchor.head.lower_ in PART_NOUNS  # "on X outskirts", "in X town centre"
        or (
            anchor.head.lower_ in _SITE_HEADS
            and anchor.dep_ == "compound"
            and anchor.head.dep_ not in ("compound", "nmod", "amod")
        )
    ):
        # "Dala Tsohuwa village", "the Dala Tsohuwa neighbourhood of Zaria", "in X's Y
        # square": the unit or site carries the name's relation to the event
        anchor = anchor.head
    elif anchor.dep_ == "appos" and (
        anchor.head.lower_ in _AREA_NOUNS or anchor.head.lower_ == "capital"
    ):
        anchor = anchor.head  # "in the capital, Poltava", "in Ukraine's second city, Kharkiv"
    elif anchor.dep_ == "poss" and (
        anchor.head.lower_ in PART_NOUNS or anchor.head.lower_ in ("suburb", "suburbs")
    ):
        anchor = anchor.head  # "in Lubny's southern suburbs", "on Lubny's outskirts"
    for _ in range(3):
        if (anchor.dep_ == "pobj" and anchor.head.lower_ == "of"
                and anchor.head.head.pos_ in ("NOUN", "PROPN")):  # fmt: skip
            anchor = anchor.head.head
        elif (anchor.dep_ == "pobj" and anchor.head.lower_ == "of"
              and anchor.head.head.norm_ in DIRECTIONS
              and anchor.head.head.dep_ in ("amod", "advmod", "npadvmod")
              and anchor.head.head.head.pos_ in ("NOUN", "PROPN")):  # fmt: skip
            anchor = anchor.head.head.head  # "three hamlets east of X" → hamlets
        else:
            break
    return anchor


DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west "
    "south-east south-west northeast northwest".split()
)
#: The words between a place and the place it is measured from: "X, just south of Y",
#: "X, some 15 km northeast of Y", "X area, located 25 km west of Y", "X, on the western
#: edge of Y", "X in Z province -- 40 km east of Y".
_MEASURED_FROM = re.compile(
    r"(?:\s+(?:province|region|district|oblast|state|county|governorate|raion|area|sector))?"
    # or a site the name names, with no comma ("the X fuel port north of Y")
    r"(?:\s+(?:[a-z]+\s+)?(?:port|base|airbase|airport|airfield|depot|camp|terminal|refinery|"
    r"plant|dam|bridge|prison)\s+"
    r"|\s*(?:,|--|—|–)\s*(?:(?:located|situated|lying|which\s+is|that\s+is)\s+)?"
    r"(?:(?:just|some|about|around|roughly|nearly|approximately)\s+)?"
    r"(?:\d+(?:[.,]\d+)?\s*(?:km|kms|kilometres|kilometers|miles|mi)\.?\s+)?"
    # or no comma before a stated distance ("X sector about 300 km south of Y")
    r"|\s+(?:(?:just|some|about|around|roughly|nearly|approximately)\s+)?"
    r"\d+(?:[.,]\d+)?\s*(?:km|kms|kilometres|kilometers|miles|mi)\.?\s+)"
    r"(?:\(\d+(?:[.,]\d+)?\s*(?:km|kilometres|kilometers|miles)\)\s+)?"
    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?"
    # "X, on the western edge of Y", "X, on the outskirts of Y"
    r"|(?:on|at)\s+the\s+(?:(?:north|south|east|west)\w*\s+)?(?:edges?|outskirts|fringes?))"
    r"\s+of\s+(?:the\s+(?:city|town|capital)\s+(?:of\s+)?)?",
    re.IGNORECASE,
)

#: The words between a place and a town it is said to lie near: "X near the key town of Y".
_NEAR_TO = re.compile(
    r"\s*,?\s+(?:just\s+|right\s+)?(?:near|outside|close\s+to|next\s+to)\s+"
    r"(?:the\s+(?:[\w-]+\s+){0,2}(?:city|town|village|settlement)\s+of\s+)?",
    re.IGNORECASE,
)


def preposition(token):
    """Return the preposition that governs a place (through "the outskirts of"), or None;
    "near" for a place a direction is measured from ("east of Deir al-Balah")."""
    head = token
    while coordinated(head):
        head = head.head
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.norm_ in DIRECTIONS:
        return "near"
    prep, _ = _attach(_anchor(token))
    return prep


def _origin_phrase(token):
    """Return the "from" preposition of the phrase a place sits in, or None."""
    for anc in token.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            return None
        if anc.dep_ == "prep" and anc.lower_ == "from":
            return anc
        if anc.dep_ == "prep" and anc.lower_ not in ("in", "of", "near", "at"):
            return None
    return None


def _within_from(token) -> bool:
    """Return whether a place sits in a "from" phrase: the first preposition above it (past
    "in"/"of" that only locate it inside that phrase: "from a village in X") is "from", before
    any verb."""
    for anc in token.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            return False
        if anc.dep_ == "prep" and anc.lower_ == "from":
            return True
        if anc.dep_ == "prep" and anc.lower_ not in ("in", "of", "near", "at"):
            return False
    return False


def is_location(cand) -> bool:
    """Return whether a place is named as a location ("in X", "near X", "to X"), not as
    where someone comes from or speaks, nor in a qualifier's place."""
    prep = preposition(cand.head)
    if prep not in _LOCATIVE and prep not in _DIRECTIONAL:
        return False
    if _within_from(_anchor(cand.head)):
        return False
    return not _is_speaker_side(cand.head)


def _came_under(token):
    """Return the subject that underwent an attack told as "X came under fire" or "X came
    under heavy shelling" (the trigger the verb or the noun after "under"), else None."""
    verb = token
    if token.dep_ == "pobj" and token.head.lower_ == "under":
        verb = token.head.head
    elif not any(c.dep_ == "prep" and c.lower_ == "under" for c in token.children):
        return None
    if verb.lemma_.lower() not in ("come", "be", "remain", "stay"):
        return None
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _participant_of(noun, heads) -> bool:
    """Whether ``noun`` (or the first of the nouns it is coordinated with) is the object of a
    preposition that names a side or a target of the trigger ("clashes broke out between
    border guards and a gang around X": "gang" is one of the sides of "broke out")."""
    while noun.dep_ == "conj" and noun.head != noun:
        noun = noun.head
    prep = noun.head
    named = prep.lower_ in _PARTICIPANT_PREPS or prep.norm_ in _PARTICIPANT_PREPS  # "btw."
    return noun.dep_ == "pobj" and prep.head.i in heads and named


def _is_speaker_side(cand_head, trigger=None):
    """True when the place sits with the speaker of a speech verb ("officials in Kyiv said
    forces shelled X", "..., the governor of Kursk said"), not in what was said, or with
    the source a report is attributed to ("according to a military source in X").

    A speaker phrase that holds the ``trigger`` itself tells that event (a long report the
    parser hung whole under "police said" as its subject): a place in it is on the event's
    side, not the speaker's; unless the trigger is in a relative clause that describes the
    speaker ("a soldier who fought in X said ...")."""
    if _with_source(cand_head):
        return True
    for anc in cand_head.ancestors:
        if anc.lemma_.lower() in _SPEECH and anc.pos_ in ("VERB", "AUX"):
            speakers = syntax.speakers(anc)
            subj = speakers[0] if speakers else None
            return any(
                cand_head in child.subtree
                and not (
                    trigger is not None
                    and trigger in child.subtree
                    and not _describes(trigger, child)
                )
                for child in anc.children
                if child in speakers
                or (
                    child.dep_ == "prep"
                    and child.lower_ in ("in", "from", "of")
                    and _with_speaker(child, anc, subj)
                    and not _clause_between(cand_head, child)
                )
            )
    return False


def _describes(token, top) -> bool:
    """Whether ``token`` lies in a relative clause ("who fought in X") below ``top``."""
    for t in (token, *token.ancestors):
        if t == top:
            return False
        if t.dep_ == "relcl" and any(c.tag_ in ("WP", "WDT") for c in t.children):
            return True
    return False


def _with_source(token) -> bool:
    """Whether a token lies in the phrase naming whom a report is attributed to: "according
    to a military source in X", "according to reports from X", "citing officials in X"."""
    for anc in token.ancestors:
        if anc.lower_ == "according" and anc.dep_ == "prep":
            # (not "according to witnesses who saw him shot in X": what they said)
            return any(
                token in obj.subtree and not _clause_between(token, obj)
                for _, obj in syntax.prep_objects(anc, ("to",))
            )
        if anc.lemma_.lower() == "cite" and anc.tag_ == "VBG" and anc.dep_ in ("advcl", "acl"):
            return any(token in c.subtree for c in anc.children if c.dep_ == "dobj")
    return False


def _clause_between(token, top) -> bool:
    """Whether a clause with its own subject stands between ``token`` and its ancestor
    ``top``: "said in a statement that troops had taken a village in X" hangs what was said
    on the statement ("a statement released in X" is still where the speaker is)."""
    for anc in token.ancestors:
        if anc == top:
            return False
        if anc.pos_ in ("VERB", "AUX") and any(
            c.dep_ in ("nsubj", "nsubjpass") for c in anc.children
        ):
            return True
    return False


def _with_speaker(prep, verb, subj) -> bool:
    """Whether a PP hung on a speech verb tells where the speaker is ("officials said in Kyiv",
    "in Kyiv, officials said") rather than opening the reported clause that the parser attached
    to the verb ("In the city of Rivne, a strike killed 10, the governor said"):
    the PP follows the verb, or there is no subject, or no verb stands between the
    preposition and the subject."""
    if prep.i > verb.i or subj is None:
        return True
    lo, hi = sorted((prep.i, subj.left_edge.i))
    doc = prep.doc
    return not any(doc[i].pos_ in ("VERB", "AUX") for i in range(lo + 1, hi))


_LABEL_WORDS = frozenset(
    "oblast region district raion city town village province state governorate county "
    "occupied area hromada community municipality of and prov obl dist terr reg gov loc "
    "border borders beach coast road highway junction crossing bridge camp market sector axis "
    "front outskirts suburb suburbs environs near north south east west northern southern "
    "eastern western central zone commune locality island port".split()
)
_LABEL_END = re.compile(r":|\s[–—-]\s|\s[–—]")


def in_label(cand) -> bool:
    """Return whether a place opens its line as a label ("Kherson, Dniprovskyi district:
    shelling of ...", "Pokrovsk – glide bomb hit ..."), the way casualty logs and datelined
    briefs name where what follows happened."""
    text = syntax.text_of(cand.head.doc)
    start = text.rfind("\n", 0, cand.start) + 1  # the label opens a line
    m = _LABEL_END.search(text, cand.end, min(len(text), cand.end + 60))
    if m is None:
        return False
    prefix = text[start : m.start()]
    # only names, their qualifiers and a date: no verb, no lower-case sentence words
    words = re.findall(r"[A-Za-z][\w'’-]*", prefix)
    lower = [w for w in words if w.islower() and w not in _LABEL_WORDS]
    return len(words) <= 8 and not lower


#: Verbs of driving an armed force out of a place: where they were driven from is where
#: control changed ("expelled the militants from X").
_EXPEL = frozenset("expel oust dislodge evict drive push flush".split())


def _own_features(cand, trigger, cands) -> dict[str, float]:
    """Return the named features of one candidate place for one trigger, from its own head."""
    head = cand.head
    if _qualifies_unknown(cand, cands):
        # a village the gazetteer does not know, its region in brackets: the region stands
        # where the village stands
        head = head.head
    thead = trigger.head
    f = dict.fromkeys(FEATURES, 0.0)
    f["bias"] = 1.0
    patients = {t.i for p in syntax.patients(thead) for t in syntax.conjuncts(p)}
    if trigger.token != thead:
        patients |= {t.i for p in syntax.patients(trigger.token) for t in syntax.conjuncts(p)}
    undergoer = _came_under(trigger.token)
    if undergoer is not None:
        patients |= {t.i for t in syntax.conjuncts(undergoer)}
    if head.i in patients or (coordinated(head) and head.head.i in patients):
        f["object"] = 1.0
    anchor = _anchor(head)
    if anchor != head:
        f["of"] = 1.0
        # "killed the governor of X": X is where the victim holds office, not the scene
        if anchor.i in patients and anchor.lemma_.lower() not in _OFFICES:
            f["object"] = 1.0
    if anchor.dep_ == "poss" and anchor.head.i in patients:
        f["object"] = 1.0  # "struck X region's main substation": where the target is
    prep, attached = _attach(anchor)
    if prep == "of" and attached is not None and attached.lower_ == "out":
        prep, attached = "from", attached.head  # "pulled out of X" is "from X"
    elif (prep == "of" and attached is not None
          and (attached.lower_ in DIRECTIONS or attached.norm_ in DIRECTIONS)
          and attached.dep_ in ("advmod", "npadvmod", "amod")):  # fmt: skip
        prep, attached = "near", attached.head  # "withdrew north of X" is "near X"
    clause = syntax.clause_head(thead)
    party = False
    if prep is not None:
        near_trigger = attached is not None and (
            attached.i in (thead.i, trigger.token.i)
            or attached.i in patients
            # "beat back an attempt to cross the river near X": in the object's own phrase
            or any(a.i in patients for a in attached.ancestors)
            or syntax.clause_head(attached) == clause
            or attached == clause
            # "In X, gunmen arrived and opened fire": a fronted phrase covers the verbs
            # joined to the one it hangs on
            or (anchor.i < attached.i and thead.dep_ == "conj" and thead in attached.conjuncts)
            or (party := _participant_of(attached, (thead.i, trigger.token.i, clause.i)))
        )
        if prep in _LOCATIVE and near_trigger:
            f["locative"] = 1.0
            if party:
                f["same_clause"] = 1.0  # on a side of the fight: the fight's own phrase
        elif prep in _DIRECTIONAL and near_trigger:
            f["directional"] = 1.0
        elif (prep == "from" and trigger.event_type == "movement"
              and thead.lemma_.lower() not in _ADVANCES):  # fmt: skip
            # "withdrew from Lyman": where the movement happened (but "advanced from A to
            # B" happened on the way to B)
            f["locative"] = 1.0
        elif (
            prep == "from"
            and trigger.event_type == "front_line"
            and (thead.lemma_.lower() in _EXPEL or any(c.lower_ == "out" for c in thead.children))
        ):
            f["locative"] = 1.0  # "pushed the rebels out of X": control changed in X
        elif prep == "from" and _takes_away(trigger, thead):
            f["locative"] = 1.0  # "abducted pupils from a school in X": where they were
        elif prep == "from":
            f["from"] = 1.0
    scene = _scene_of(head, trigger.token)
    if scene:
        f["locative"] = 1.0
    # "in the south, where fighting goes on": the event's clause says what happens in the
    # place
    where = next((c for c in clause.children if c.lower_ == "where"), None)
    if (
        clause.dep_ == "relcl"
        and where is not None
        and (
            clause.head == head  # the parser may hang the clause on a noun before the place
            or (
                0 < where.i - head.i <= 2
                and all(t.is_punct for t in head.doc[head.i + 1 : where.i])
            )
        )
    ):
        f["locative"] = 1.0
    # "Ri, from a privileged area in Pyongyang", "drones launched from X": where someone or
    # something comes from is not where the event happened (unless it is a withdrawal)
    if (trigger.event_type != "movement" and not _takes_away(trigger, thead)
            and _within_from(anchor)):  # fmt: skip
        f["origin"] = 1.0
        f["locative"] = f["directional"] = 0.0  # "from a village in X": "in" locates the origin
    # "Velyka Novosilka, Donetsk region": the region qualifies the village
    others = [c for c in cands if c is not cand]
    if qualified_name(cand, cands, head) is not None:
        f["qualifier"] = 1.0
    elif scene and cand.head.i == head.i and head.head.lemma_.lower() in _UNDERGO:
        f["object"] = 1.0  # "Lubny saw clashes": the place underwent them
    if any(o.head.head == head and o.head.dep_ in ("appos", "npadvmod") for o in others):
        f["qualified"] = 1.0
    if syntax.clause_head(head) == clause:
        f["same_clause"] = 1.0
    if head in thead.subtree or head in trigger.token.subtree:
        f["in_subtree"] = 1.0
    length, _ = _path(head, trigger.token)
    f["path"] = float(min(length, 10))
    distance = abs(head.i - trigger.token.i)
    f["distance"] = math.log1p(distance)
    f["before"] = 1.0 if cand.start < trigger.token.idx else 0.0
    subj = syntax.subject(thead)
    if subj is not None and head in subj.subtree and head.i not in patients:
        f["subject_side"] = 1.0
    if _is_speaker_side(head, trigger.token):
        f["speaker_side"] = 1.0
    place = cand.place
    if place is not None:
        code = place.feature_code or ""
        if code.startswith("PCL") or code == "TERR":
            f["country"] = 1.0
        elif code in ("ADM1", "RGN"):
            f["admin1"] = 1.0
        if any(o.place is not None and o.place is not place and contains(place, o.place)
               for o in others):  # fmt: skip
            f["finer_exists"] = 1.0
    else:
        f["unresolved"] = 1.0
    # the nearest of the places that may be the event's (not the speaker's "X's ministry
    # said" before the trigger)
    nearest = min([c for c in cands if eligible(c, trigger)] or cands,
                  key=lambda c: abs(c.head.i - trigger.token.i))  # fmt: skip
    if nearest is cand:
        f["nearest"] = 1.0
    if head.ent_type_ in ("GPE", "LOC", "FAC"):
        f["entity"] = 1.0
    if in_label(cand):
        f["label"] = 1.0
    word = (prep or "").replace("towards", "toward")
    if word in _PREP_FEATURES:
        f[f"prep_{word}"] = 1.0
    dep = head.dep_ if head.dep_ in _DEP_FEATURES else "other"
    f[f"dep_{dep}"] = 1.0
    ent = head.ent_type_ if head.ent_type_ in _ENT_FEATURES else "none"
    f[f"ent_{ent}"] = 1.0
    if attached is not None and attached.i in (thead.i, trigger.token.i):
        f["attach_trigger"] = 1.0
    elif attached is not None and attached.i in patients:
        f["attach_object"] = 1.0
    subj = syntax.subject(thead)
    if (prep is not None and attached is not None and subj is not None
            and anchor.i < subj.i and attached == clause):  # fmt: skip
        f["fronted"] = 1.0  # "In the city of Nablus on Saturday, a man was shot"
    if trigger.token.pos_ in ("NOUN", "PROPN"):
        f["trigger_noun"] = 1.0
    f["candidates"] = math.log(len(cands))
    return f


#: Stands for a named unit that is no candidate ("Kherson's district").
_UNNAMED = object()


def qualified_name(cand, cands, head=None):
    """Return the candidate place ``cand`` only says the whereabouts of, or None.

    "Velyka Novosilka, Donetsk region", "Zaria's Sabon Gari district", "the Dala Tsohuwa
    neighbourhood of Zaria", "the Zaria neighbourhood of Dala Tsohuwa", "the Goz Tanjour
    hospital in eastern Chad": the region, Zaria and Chad only say where the other named
    place is. ``head`` is the token standing for ``cand`` (its own head by
    default). A unit named by a possessor with no name of its own ("Kherson's central
    district") gives a marker that is no candidate.
    """
    head = cand.head if head is None else head
    others = [c for c in cands if c is not cand]

    def at(token):
        return next((o for o in others if o.head.i == token.i), None)

    def spanning(token):
        return next((o for o in others if _tok(o, o.start) <= token.i <= _tok(o, o.end - 1)),
                    None)  # fmt: skip

    if head.dep_ in ("appos", "npadvmod", "compound") and at(head.head) is not None:
        return at(head.head)
    if head.dep_ == "poss" and head.head.lower_ in _SITE_HEADS:
        # "X's Y market", "X's Y hospital": the city says where the named site is (a site
        # with no name of its own, "X's main market", is in X)
        named = next(
            (spanning(c) for c in head.head.children if c.dep_ == "compound" and spanning(c)),
            None,
        )
        if named is not None:
            return named
    if head.dep_ == "poss" and (head.head.lower_ in _AREA_NOUNS or at(head.head) is not None):
        # "Zaria's Sabon Gari district": the city only says where the named district is
        named = (
            at(head.head)
            or next(
                (spanning(c) for c in head.head.children if c.dep_ == "compound" and spanning(c)),
                None,
            )
            or next(
                (at(o) for _, o in syntax.prep_objects(head.head, ("of",)) if at(o) is not None),
                None,
            )
        )  # "X's northwestern city of Y"
        return named or _UNNAMED
    unit = head.head.head
    if head.dep_ == "pobj" and head.head.lower_ == "of" and unit.lower_ in _AREA_NOUNS:
        named = [
            spanning(c)
            for c in unit.children
            if c.dep_ in ("compound", "amod", "nmod") and spanning(c) is not None
        ]
        # "the Dala Tsohuwa neighbourhood of Zaria", unless the name before the unit is the
        # larger ("the Zaria neighbourhood of Dala Tsohuwa")
        if named and not any(_larger(o, cand) for o in named):
            return named[0]
    if head.dep_ in ("compound", "amod", "nmod") and head.head.lower_ in _AREA_NOUNS:
        for o in others:
            if (o.head.dep_ == "pobj" and o.head.head.lower_ == "of"
                    and o.head.head.head == head.head and _larger(cand, o)):  # fmt: skip
                return o  # "the Zaria neighbourhood of Dala Tsohuwa"
    text = syntax.text_of(head.doc)
    for o in others:
        if 0 <= cand.start - o.end <= 60 and _MEASURED_FROM.fullmatch(text[o.end : cand.start]):
            return o  # "in X, just south of Y,": the parse may hang the bearing on the verb
    for o in others:
        if (0 <= cand.start - o.end <= 40 and _NEAR_TO.fullmatch(text[o.end : cand.start])
                and _larger(o, cand) is not True and _settlement(o)
                and preposition(o.head) not in ("from", "near")):  # fmt: skip
            # "the village of X near the town of Y", however the parse hangs "near" (not
            # "workers from X near Y", "south of X, near Y")
            return o
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.norm_ in DIRECTIONS:
        # "in X, north of Y", "X, 15 km east of Y": Y is where X is measured from
        up = head.head.head
        for _ in range(3):
            if up.dep_ not in ("appos", "npadvmod", "amod", "advmod", "nummod", "compound"):
                break
            up = up.head
            if at(up) is not None:
                return at(up)
    described = _described_by_apposition(head)
    if described is not None and at(described) is not None:
        return at(described)
    within = _anchor(head) if head.dep_ == "compound" else head  # "in Y's Z state"
    if within.dep_ == "pobj" and within.head.lower_ in _WITHIN:
        # "the Goz Tanjour hospital in eastern Chad", "a market in X in northern Y"
        unit = within.head.head
        holder = spanning(unit)
        if holder is not None and _larger(cand, holder):
            return holder
        if holder is None and unit.lower_ in PLACE_WORDS and within.lower_ in AREA_WORDS:
            # "the town of X in the Y region": a town's own name, in a region
            holder = next((at(o) for _, o in syntax.prep_objects(unit, ("of",)) if at(o)), None)
            if holder is not None and _larger(holder, cand) is not True:
                return holder
    return None


def _settlement(cand) -> bool:
    """Whether a candidate names a settlement or a site: a populated place or spot the
    gazetteer knows, or a name the grammar gives a unit or site ("the village of X", "the X
    Farms"), not a river's bank or a region."""
    if cand.place is not None:
        return cand.place.feature_class in ("P", "S")
    head = cand.head
    if head.lower_ in _SITE_HEADS:
        return True
    if head.dep_ == "compound" and head.head.lower_ in _AREA_NOUNS:
        return True
    unit = head.head.head.lower_
    return (
        head.dep_ == "pobj"
        and head.head.lower_ == "of"
        and (unit in _AREA_NOUNS or unit in _SITE_HEADS)
    )


def _described_by_apposition(head):
    """Return the token an apposition holding ``head`` describes, or None: "X, a border town
    between Y and Z", "X, a village near Y" (Y and Z only say where X is)."""
    token, through = head, False
    for _ in range(6):
        if token.dep_ not in ("pobj", "prep", "conj", "compound", "amod"):
            return None
        through = through or token.dep_ == "prep"  # not the apposition's own name
        token = token.head
        if token.dep_ == "appos" and token.pos_ == "NOUN":
            return token.head if through else None
    return None


#: People named by the office they hold over a place ("the governor of X").
_OFFICES = frozenset(
    "governor mayor prefect minister president premier chief head leader commander "
    "representative envoy ambassador".split()
)
#: Prepositions that put one named place inside another ("X hospital in Y").
_WITHIN = frozenset("in inside within".split())


def _larger(outer, inner) -> bool | None:
    """Whether place ``outer`` is the larger of two named places, the one that says where
    the other is: a known place around one the gazetteer does not know, a unit containing
    the other, or an area around a town; None when neither is known to be."""
    if outer.place is None:
        return None if inner.place is None else False
    if inner.place is None:
        return True
    if contains(outer.place, inner.place):
        return True
    if contains(inner.place, outer.place):
        return False
    return outer.place.feature_class == "A" and inner.place.feature_class == "P" or None


def _qualifies_unknown(cand, cands) -> bool:
    """Whether a place only qualifies a name that is no candidate of its own ("X (Est)",
    "X, Y region" with X unknown to the gazetteer)."""
    head = cand.head
    named = head.head
    if head.dep_ not in ("appos", "npadvmod") or named == head or named.pos_ != "PROPN":
        return False
    if not named.text[:1].isupper():
        return False
    return not any(c is not cand and c.start <= named.idx < c.end for c in cands)


_CHAIN_GAP = re.compile(r"\s*\)?\s*(?:,|\(|,?\s+in)\s*$")
#: Features of how a place relates to the trigger: shared along a chain of qualifiers.
_RELATION = ("object", "locative", "directional", "of", "same_clause", "in_subtree")


def chains(cands) -> list[list[Candidate]]:
    """Group places written as one name with its qualifiers ("Lyman, Kramatorsk raion,
    Donetsk oblast", "Bukavu (South Kivu)"): the parse often hangs them the wrong way round,
    but they stand in one relation to the event."""
    ordered = sorted(cands, key=lambda c: c.start)
    groups: list[list[Candidate]] = []
    for cand in ordered:
        if groups:
            last = groups[-1][-1]
            text = syntax.text_of(cand.head.doc)
            gap = text[last.end : cand.start]
            if (
                0 <= cand.start - last.end <= 6
                and _CHAIN_GAP.match(gap)
                and _qualifies(cand, last, text)
            ):
                groups[-1].append(cand)
                continue
        groups.append([cand])
    return groups


_AREA_WORD = re.compile(
    r"\b(?:oblast|region|raion|rayon|district|province|state|governorate|county|territory|"
    r"hromada|community|municipality|prefecture|department)\b",
    re.IGNORECASE,
)


def _qualifies(cand, last, text) -> bool:
    """Return whether a place written after another says where that one is ("Lyman,
    Kramatorsk raion"), rather than being the next of a list ("Kharkiv, Sumy and Poltava")."""
    after = text[cand.end : cand.end + 14]
    if _AREA_WORD.search(text[cand.start : cand.end]) or _AREA_WORD.match(after.lstrip()):
        return True
    if cand.place is None:
        return False
    if last.place is None and _AREA_WORD.search(text[last.start : last.end + 12]):
        return True  # "a church (X district), Damascus": the city holds the unknown district
    if cand.place.feature_class == "A" or cand.place.feature_code in ("RGN", "ADM1", "ADM2"):
        return True
    if last.place is not None and contains(cand.place, last.place):
        return True
    return False


def features(cand, trigger, cands, groups=None) -> dict[str, float]:
    """Return the named features of one candidate place for one trigger.

    A place in a chain of qualifiers takes the strongest relation any member of its chain
    has to the trigger; ``qualifier``/``finer_exists`` then tell the members apart.
    """
    own = _own_features(cand, trigger, cands)
    groups = chains(cands) if groups is None else groups
    chain = next((g for g in groups if cand in g), [cand])
    if len(chain) > 1:
        for other in chain:
            if other is cand:
                continue
            theirs = _own_features(other, trigger, cands)
            for name in _RELATION:
                own[name] = max(own[name], theirs[name])
            own["path"] = min(own["path"], theirs["path"])
        if chain[0] is not cand:
            own["qualifier"] = 1.0
        elif any(o.place is not None for o in chain[1:]):
            own["qualified"] = 1.0
    return own


def contains(outer, inner) -> bool:
    """Return whether place ``outer`` contains place ``inner`` (by admin codes)."""
    if outer.geonameid == inner.geonameid:
        return False
    code = outer.feature_code or ""
    if code.startswith("PCL"):
        return inner.country_code == outer.country_code
    if code == "ADM1":
        return (inner.country_code, inner.admin1_code) == (outer.country_code, outer.admin1_code)
    if code == "ADM2":
        return inner.admin2_code is not None and inner.admin2_code == outer.admin2_code
    if code == "RGN":
        # a region drawn as an area (the Donbas): its outline holds the place
        return _in_region(outer.geonameid, inner.lat, inner.lon)
    return False


@cache
def _in_region(geonameid, lat, lon) -> bool:
    from geo.gazetteer.lookup import Gazetteer

    return any(p.geonameid == geonameid for p in Gazetteer.default().containing(lat, lon))


def score(feats) -> float:
    """Return the linker's score of a candidate's features."""
    weights, _ = _weights()
    return sum(weights[name] * value for name, value in feats.items())


def threshold() -> float:
    """Return the score a place must beat to be an event's place."""
    return _weights()[1]


#: People whose "of" object says where they come from ("a native of X"), and missions
#: whose "of" object says whose they are ("the embassies of X and Y in Z").
_NATIVES = frozenset(
    "native natives citizen citizens national nationals embassy embassies consulate "
    "consulates".split()
)


def _belongs_to(head) -> bool:
    """Whether a place only says where a named person or a native comes from, or whose an
    embassy is: "Ivan Hrytsai of Moldova was shot", "a native of X", "outside the embassies
    of X and Y in Z" (not "the governor of X", a victim's post, nor "residents of X", who
    are where they live)."""
    while coordinated(head):
        head = head.head
    if head.dep_ != "pobj" or head.head.lower_ != "of":
        return False
    owner = head.head.head
    return (owner.pos_ == "PROPN" and owner.ent_type_ == "PERSON") or (owner.lower_ in _NATIVES)


#: Verbs of what is done with a captive after the capture.
_CUSTODY = frozenset(
    "take ship transfer bring fly send deport hold keep detain imprison jail".split()
)


def _in_custody(cand, trigger) -> bool:
    """Whether a place belongs to a verb joined to a capture that tells where the captive
    was taken or held ("was captured in June and taken to X", "... and is believed to be
    held in Y"): not where the capture was."""
    _, verb = _attach(_anchor(cand.head))
    if verb is None or verb.lemma_.lower() not in _CUSTODY:
        return False
    if verb.i in (trigger.token.i, trigger.head.i):
        return False
    up = verb
    for _ in range(4):
        if up.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
            return False
        up = up.head
        if up.i in (trigger.token.i, trigger.head.i):
            return True
    return False


#: A place written as the seat of what follows it ("the X-based monitoring group").
_SEAT = re.compile(r"\s?[-–]\s?(?:based|headquartered)\b", re.IGNORECASE)


#: Verbs that take people away from where they were ("abducted pupils from a school").
_TAKING_AWAY = frozenset("abduct kidnap snatch seize grab take".split())


def _takes_away(trigger, thead) -> bool:
    """Whether a capture is told by a verb that takes people away from a place: its "from"
    phrase is where they were taken, the scene ("kidnapped ten from a church in X")."""
    return trigger.event_type == "capture" and thead.lemma_.lower() in _TAKING_AWAY


def _from_site(prep, trigger) -> bool:
    """Whether a "from" phrase of a taking away names the site people were taken from (a
    school, a mosque, a camp), not where they come from ("a soldier from Lviv")."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return (
        obj is not None
        and _takes_away(trigger, trigger.head)
        and obj.lemma_.lower() in TARGET_NOUNS
        and obj.ent_type_ not in ("GPE", "LOC")
    )


def eligible(cand, trigger=None) -> bool:
    """Return whether a place may be an event's place at all, whatever the score says: a
    speaker's city ("the air force said in Kyiv", "officials in Kyiv said") never is, nor
    where a person comes from ("a soldier from Lviv", "Ri, from a village in X, said"), unless
    the event is a withdrawal."""
    if _is_speaker_side(cand.head, trigger.token if trigger is not None else None):
        return False
    if _SEAT.match(syntax.text_of(cand.head.doc), cand.end):
        return False  # "the Poltava-based monitor": where a group sits, not the event
    if _belongs_to(cand.head):
        return False  # "Ivan Hrytsai of Moldova", "a native of X": whose, not where
    anchor = _anchor(cand.head)
    if (anchor.dep_ == "pobj" and anchor.head.dep_ == "agent" and cand.place is None
            and anchor.head.head.tag_ == "VBN"):  # fmt: skip
        return False  # "was captured by the Carpathian Sich": who did it, not where
    if trigger is not None and _home_of_actor(anchor, trigger.token):
        return False  # "planes stationed in X bombed Y": where the attackers sit
    if trigger is not None and trigger.event_type == "capture" and _in_custody(cand, trigger):
        return False  # "was captured in June and taken to X": where the captive went
    if (trigger is not None and syntax.headline_verb(trigger.token)
            and cand.head == syntax.subject(trigger.token)):  # fmt: skip
        return False  # "Kyiv fires missiles into X": the government that fired
    if (trigger is not None and trigger.event_type == "deployment"
            and _within_from(_anchor(cand.head))):  # fmt: skip
        return False  # "troops sent from X": they were deployed elsewhere
    if trigger is not None and trigger.event_type == "attack":
        prep, attached = _attach(_anchor(cand.head))
        if (
            prep == "from"
            and attached is not None
            and attached.i in (trigger.token.i, trigger.head.i)
        ):
            # "missiles launched from X", "shelled Y from X": where the fire came from
            return False
    if trigger is not None and trigger.event_type != "movement":
        origin = _origin_phrase(_anchor(cand.head))
        if origin is not None and _from_site(origin, trigger):
            origin = None  # "abducted 40 pupils from a boarding school in X": the scene
        if origin is not None and (
            syntax.is_people(origin.head) or origin.head.ent_type_ == "PERSON"
            or (origin.i > 0 and origin.doc[origin.i - 1].text == ",")
        ):  # fmt: skip
            return False  # "a soldier from Lviv", "Ri, from a village in X, said"
    if trigger is not None and trigger.event_type == "protest" and _in_grievance(cand, trigger):
        return False  # "protested against the bombing of X": what the protest is about
    if trigger is not None and _person_patient(cand, trigger):
        return False  # "after murdering Petrenko": someone, whatever the recogniser says
    if trigger is not None and _in_other_time(cand.head, trigger):
        return False  # "arrested him after he tried to flee X": the flight's place
    return True


#: Verbs whose object can only be someone ("murdered X", "kidnapped Y").
_PERSON_VERBS = frozenset(
    "kill murder assassinate behead stab execute kidnap abduct arrest detain torture rape "
    "lynch strangle slay".split()
)


def _person_patient(cand, trigger) -> bool:
    """Whether a place candidate is a bare proper name that the trigger's verb does to
    someone ("after murdering Petrenko", "police arrested Kovalenko"): a person."""
    head = cand.head
    verb = trigger.token
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in _PERSON_VERBS
        and head.head == verb
        and head.dep_ in ("dobj", "nsubjpass")
        and head.pos_ == "PROPN"
        and not any(c.dep_ in ("det", "poss", "compound", "amod") for c in head.children)
        and head.lower_ not in _AREA_NOUNS
    )


#: Words that open a clause or phrase telling something that happened at another time than
#: the verb they hang on ("after he fled", "since the raids in X", "following a failed
#: attempt to take X").
_OTHER_TIME = frozenset("after before since until till following prior once".split())
#: Nouns whose object is an earlier event the trigger's answers ("in response to attacks
#: on X", "in retaliation for the shelling of Y").
_ANSWERS = frozenset("response retaliation revenge reprisal reply".split())


def _verbal(token) -> bool:
    """Whether a noun has a clause of its own ("the attempt to take X", "the raid that
    destroyed Y")."""
    return any(c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in token.children)


def _opens_other_time(token) -> bool:
    """Whether ``token`` heads a clause of another time ("after the air force struck X":
    struck): a subordinate clause with its own subject opened by "after", "before",
    "since", "until" or "once"."""
    return (
        token.dep_ == "advcl"
        and token.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "mark" and c.lower_ in _OTHER_TIME for c in token.children)
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    )


def in_answer(token) -> bool:
    """Whether ``token`` lies in the object of "in response to", "in retaliation for" and
    the like: an earlier event that another one answers."""
    return any(a.lemma_.lower() in _ANSWERS and a.dep_ == "pobj" for a in token.ancestors)


def _in_other_time(head, trigger) -> bool:
    """Whether a place lies in a clause that tells another event, earlier or later than the
    trigger's ("captured the man after he tried to flee X", "a counter-attack following
    the failed attempt to take X", "has arrested more leaders since the attacks in X"):
    where that happened is not where the trigger's event did. The trigger's own clause ("after
    storming X") keeps its places."""
    own = {trigger.token.i, trigger.head.i}
    for anc in (head, *head.ancestors):
        if anc.i in own:
            return False
        if _opens_other_time(anc):
            return trigger.token not in anc.subtree
        if (
            anc.lemma_.lower() in _ANSWERS
            and anc.dep_ == "pobj"
            and trigger.token not in anc.subtree
        ):
            return True  # "struck X in response to attacks on Y": Y's attacks came before
        if anc.dep_ == "prep" and anc.lower_ in _OTHER_TIME:
            # (not a gerund of the same actors: "executed them after capturing X")
            objs = [c for c in anc.children if c.dep_ == "pobj"]
            if objs and any(_verbal(o) for o in objs) and trigger.token not in anc.subtree:
                return True
    return False


#: Nouns that make their subject the place of what they are of ("X was the scene of
#: clashes", "X has been the site of heavy fighting").
_SCENES = frozenset("scene scenes site sites theatre theater".split())
#: Verbs whose subject is where their object happened ("X saw clashes"); a place also
#: "records" what it counted ("X recorded 40 attacks").
_UNDERGO = UNDERGO_VERBS | {"record"}


def _scene_of(head, trigger) -> bool:
    """Whether the place is the subject of "be the scene/site of" the trigger's event, or of
    a verb of undergoing whose object is the event ("Lubny saw heavy clashes", "the town
    witnessed fierce fighting")."""
    if head.dep_ == "nsubj" and head.head.lemma_.lower() in _UNDERGO:
        return any(c.dep_ == "dobj" and trigger in c.subtree for c in head.head.children)
    if head.dep_ != "nsubj" or head.head.lemma_.lower() != "be":
        return False
    for attr in head.head.children:
        if attr.dep_ == "attr" and attr.lower_ in _SCENES:
            return any(trigger in obj.subtree for _, obj in syntax.prep_objects(attr, ("of",)))
    return False


#: Participles that say where a force sits ("troops based in X", "jets stationed at Y").
_BASED = frozenset("base station headquarter garrison".split())


def _home_of_actor(anchor, trigger) -> bool:
    """Whether a place says where the acting subject of ``trigger`` is based ("police teams
    based in X are patrolling Y", "planes stationed in X bombed Y"): not where it acted. A
    passive subject is what underwent the event ("troops stationed in X were attacked")."""
    prep, part = _attach(anchor)
    if prep is None or part is None or part == trigger:
        return False
    if part.dep_ != "acl" or part.tag_ != "VBN" or part.lemma_.lower() not in _BASED:
        return False
    who = part.head  # the subject of the trigger, or of the verb the trigger hangs on
    return who.dep_ == "nsubj" and who.head in (trigger, trigger.head)


def _in_grievance(cand, trigger) -> bool:
    """Whether a place lies in what a protest is against ("demonstrators protested against
    the war on X", "marched over the killings in Y")."""
    heads = {trigger.token.i, trigger.head.i}
    path = [cand.head]
    for anc in cand.head.ancestors:
        if anc.i in heads:
            return False
        if anc.dep_ == "prep" and anc.lower_ in ("against", "over") and anc.head.i in heads:
            # "protested against the tax rise in Lubny": a locative on the grievance's own noun
            # is where the parser hangs where the protest was
            own = len(path) >= 3 and path[-2].lower_ in _CUE_PREPS and path[-1].dep_ == "pobj"
            return not (own and path[-2].head == path[-1])
        path.append(anc)
    return False


def rank_places(trigger, cands):
    """Return ``[(score, candidate)]`` for the eligible places of a sentence, best first."""
    groups = chains(cands)
    scored = [
        (score(features(c, trigger, cands, groups)), c) for c in cands if eligible(c, trigger)
    ]
    return sorted(scored, key=lambda x: (-x[0], x[1].start))


#: How far below the threshold a place in a participle's own phrase may score and still
#: be what it was aimed at.
OWN_OBJECT_MARGIN = 1.0


def _argument_inside_label(best, scored, feats, threshold):
    """Return ``(score, candidate)`` for the trigger's own place argument ("attacked a camp
    in X town") when the best place is the area a log line opens with ("Y State – X LGA:")
    and the argument lies inside it: the label says the district, the sentence the town."""
    if not feats[id(best)].get("label") or best.place is None:
        return None
    area = best.place.feature_class == "A"
    # "Okhtyrka raion" the gazetteer knows only as the town: a district all the same
    if not area and not _written_as_unit(best):
        return None

    def within(c):
        if area:
            return contains(best.place, c.place)
        return distance_km(best.place.lat, best.place.lon, c.place.lat, c.place.lon) <= _UNIT_KM

    inside = [
        (s, c) for s, c in scored
        if c is not best and c.place is not None and s > threshold
        and (feats[id(c)].get("locative") or feats[id(c)].get("object"))
        and c.place.geonameid != best.place.geonameid and within(c)
    ]  # fmt: skip
    return max(inside, key=lambda x: (x[0], -x[1].start), default=None)


#: How far a district named after its town reaches from the town, for the rule above.
_UNIT_KM = 60.0


def _written_as_unit(cand) -> bool:
    """Whether the text writes a name as a district or region ("X raion", "X LGA")."""
    doc = cand.head.doc
    last = next((t for t in doc if t.idx < cand.end <= t.idx + len(t)), None)
    if last is None:
        return False
    words = cand.text.lower().split()
    after = doc[last.i + 1].lower_.rstrip(".") if last.i + 1 < len(doc) else ""
    return words[-1].rstrip(".") in AREA_WORDS or after in AREA_WORDS


def _own_object(trigger, scored, best, threshold):
    """Return ``(score, candidate)`` for a place in the phrase of a participle or relative
    clause that tells what an attack was aimed at ("launched an offensive in X, targeting
    the village of Y", "an offensive in X that targeted Y"), when the best place lies
    outside that phrase; else None."""
    token = trigger.token
    if not (token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp", "conj")) and not (
        aims_attack(token)  # ("an offensive in X that targeted the hill of Y")
    ):
        return None
    own = {t.i for t in token.subtree}
    if best.head.i in own:
        return None
    inside = [(s, c) for s, c in scored if c.head.i in own and s > threshold - OWN_OBJECT_MARGIN]
    return max(inside, key=lambda x: (x[0], -x[1].start), default=None)


#: Verbs that say what an offensive was launched for ("an offensive to capture X").
_SEIZE = frozenset("capture seize retake recapture take liberate storm free".split())


def _sought(trigger, cands):
    """Return the place an attack was launched to take, when it has no place of its own:
    "launched an offensive on Monday to capture the village of X" (the fighting is there)."""
    if trigger.event_type != "attack":
        return None
    for verb in (*trigger.token.children, *trigger.head.children):
        if (verb.dep_ in ("acl", "advcl", "xcomp") and verb.lemma_.lower() in _SEIZE
                and any(c.tag_ == "TO" for c in verb.children)):  # fmt: skip
            taken = {t.i for p in syntax.patients(verb) for t in syntax.conjuncts(p)}
            for cand in cands:
                anchor = _anchor(cand.head)
                if cand.head.i in taken or anchor.i in taken:
                    return cand
    return None


def _goes_to(cand, trigger):
    """Whether a place is where the trigger's movement goes ("toward X", "to X")."""
    prep, attached = _attach(_anchor(cand.head))
    if attached is not None and attached.norm_ in DIRECTIONS:
        attached = attached.head  # "advanced north ... to X"
    return (
        prep in _DIRECTIONAL
        and attached is not None
        and attached.i in (trigger.token.i, trigger.head.i)
    )


#: Feature codes of areas a town can lie in.
_AREAS = ("ADM1", "ADM2", "ADM3", "RGN")
#: The relations that make a place the trigger's own (its object, where it happened).
_OWN_RELATIONS = ("object", "locative", "directional")


def _finer_within(scored, best, feats, threshold):
    """Return a place inside the best one that the trigger names as its own too, when the
    best is a region or a country ("in the X region, a gun battle erupted between police and
    smugglers outside Y", "in X province, rebels shelled Y"): the event is at the finest
    place the sentence sets it in. None when there is none."""
    outer = best.place
    if outer is None:
        return None
    code = outer.feature_code or ""
    if code not in _AREAS and not code.startswith("PCL"):
        return None
    inside = [
        (s, c) for s, c in scored
        if c is not best and c.place is not None and contains(outer, c.place)
        and s > threshold - OWN_OBJECT_MARGIN
        and any(feats[id(c)][r] for r in _OWN_RELATIONS)
    ]  # fmt: skip
    return max(inside, key=lambda x: (x[0], -x[1].start), default=(None, None))[1]


def link_place(trigger, cands):
    """Return ``(candidate, score)`` for the event's place, or ``(None, best score)``.

    Parameters
    ----------
    trigger : geo.extract.detect.Trigger
        The event's trigger.
    cands : list of Candidate
        The places named in the trigger's sentence.
    """
    if not cands:
        return None, None
    _, threshold = _weights()
    groups = chains(cands)
    feats = {id(c): features(c, trigger, cands, groups) for c in cands if eligible(c, trigger)}
    scored = [(score(feats[id(c)]), c) for c in cands if id(c) in feats]
    if not scored:
        return None, None
    best_score, best = max(scored, key=lambda x: (x[0], -x[1].start))
    inner = _argument_inside_label(best, scored, feats, threshold)
    if inner is not None:
        best_score, best = inner
    own = _own_object(trigger, scored, best, threshold)
    if own is not None:
        best_score, best = own
    if best_score <= threshold:
        sought = _sought(trigger, [c for _, c in scored])
        if sought is not None:
            return sought, best_score
        return None, best_score
    finer = _finer_within(scored, best, feats, threshold)
    if finer is not None:
        best = finer
    if trigger.event_type == "movement" and trigger.head.lemma_.lower() in _ADVANCES:
        # "advanced from A toward B": the advance is told by where it went
        going = [c for _, c in scored if _goes_to(c, trigger)]
        if going and _attach(_anchor(best.head))[0] == "from":
            best = going[0]
    # a place that only says where another named one is ("the Zaria neighbourhood of Dala
    # Tsohuwa", "the X hospital in Y"): the event is at the named one
    named = qualified_name(best, cands)
    seen = {id(best)}
    while isinstance(named, Candidate) and id(named) not in seen and eligible(named, trigger):
        seen.add(id(named))
        best, named = named, qualified_name(named, cands)
    return best, best_score


_FINITE = frozenset(("VBD", "VBZ", "VBP", "MD"))


def line_place(doc, cands, triggers, countries=frozenset()):
    """Return the place a log line names in a field of its own, or None.

    Casualty and incident logs write where it happened as a field with no verb ("Lubny,
    Zelena district | 3 May | drone | 2 killed", "School No. 4, Romny (Sumy obl.) -- ...",
    "Hadiach. Drone hit a depot."): that field tells the place of the line's events that
    name none in their own words. ``cands`` are the place candidates (``{sentence start:
    [Candidate]}``), ``triggers`` the character offsets of the line's triggers (a field
    that holds one tells an event, not only a place), ``countries`` the feature codes of
    countries (a country alone says too little). The first such field wins; within it a
    town before a larger unit ("Pazin village, X district, Y region": the village).
    """
    fields = syntax.line_fields(doc)
    if not fields:
        return None
    by_token = {}
    for group in cands.values():
        for c in group:
            if c.place is not None and not c.anaphor:
                by_token.setdefault(c.head.i, c)
    named = []  # the candidates of each field that only names places (else None)
    for field in fields:
        first, last = field[0].idx, field[-1].idx + len(field[-1])
        if any(first <= t < last for t in triggers) or any(t.tag_ in _FINITE for t in field):
            named.append(None)
            continue
        found = [by_token[t.i] for t in field if t.i in by_token]
        named.append([c for c in found if c.place.feature_code not in countries] or None)
    every = [c for group in named if group for c in group]

    def far(c):
        # "X Beach, Lubny": a name read as a namesake on another continent is not where the
        # larger place written after it says it lies
        later = every[every.index(c) + 1 :]
        return any(distance_km(c.place.lat, c.place.lon, o.place.lat, o.place.lon) > _FAR_KM
                   for o in later)  # fmt: skip

    for k, group in enumerate(named):
        if not group:
            continue
        # the run of place fields it opens ("Pazin village, X district, Y region")
        run = []
        for more in named[k:]:
            if not more:
                break
            run.extend(more)
        run = [c for c in run if not far(c)]
        if run:
            towns = [c for c in run if c.place.feature_class == "P"]
            return (towns or run)[0]
    return None


#: Two names of one log-line field further apart than this are not one place and its unit.
_FAR_KM = 500.0


#: Words that open what caused the state a clause tells ("lost electricity after a missile hit").
_CAUSES = frozenset("after following".split())


def consequence_place(token, cands):
    """Return the place whose plight a clause tells when the trigger only says what caused
    it ("X lost electricity after a missile hit its power plant", "X went dark after the
    shelling"): the subject of the clause the "after" phrase hangs on, when
    that clause tells no event of its own; else None."""
    current = token
    for _ in range(4):
        head = current.head
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _CAUSES for c in current.children
        ):
            verb = head
            break
        if current.dep_ == "pobj" and head.lower_ in _CAUSES and head.dep_ == "prep":
            verb = head.head
            break
        if head == current:
            return None
        current = head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX") or (lemma_of(verb), "VERB") in senses():
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    heads = {subject.i} | {c.i for c in subject.children if c.dep_ in ("compound", "poss")}
    found = [c for c in cands if c.head.i in heads and c.place is not None]
    return found[0] if len(found) == 1 else None
