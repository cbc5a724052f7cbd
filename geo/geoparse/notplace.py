"""Names of things that are not places, although a place bears the name.

Evidence read from the words around a name and from spaCy's parse, used by
:func:`geo.geoparse.evidence.verdict`: an acronym's plural ("three SAMs"), a name that only
modifies an ordinary noun ("a Reading sign"), the last word of a longer capitalised name
the gazetteer lacks ("the Rust Belt") or the first of one ("a Humber Scout
Car"), a people ("Toposa raiders", "the Didinga ethnic group"), an occasion ("the fast
of Ramadan"), a course of study ("a master's degree in Economics"), a relative named after
a kinship word ("his daughter X"), and a name the gazetteer holds only as another name of
a place, unlike the place's own, that the parse calls a person or an organisation.
"""

from __future__ import annotations

import re

from geo.gazetteer.normalize import DISTRICT_WORDS, PLACE_WORDS, REGION_WORDS, fold, skeleton
from geo.geoparse.matching import similarity
from geo.geoparse.toponyms import PERSON_TITLES

__all__ = [
    "acronym_plural",
    "after_kin",
    "attributive",
    "longer_name",
    "occasion",
    "of_a_place",
    "only_another_name",
    "people_modifier",
    "unknown_name_not_place",
]

#: How alike a name and a place's own name are when one is a spelling of the other.
_SPELLING = 0.6
#: Arabic articles written as a word of their own after folding ("al qunaytirah").
_ARTICLES = frozenset("al el as ash ad ar at az an".split())
#: An acronym with a plural "s" ("SAMs", "IEDs", "NGOs").
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,5}s")
#: Nouns of places, units and sites: a name modifying one of these is a place's name
#: ("the Kyiv region", "a Pryluky school").
_PLACE_NOUNS = (
    PLACE_WORDS
    | REGION_WORDS
    | DISTRICT_WORDS
    | frozenset(
        """market school hospital airport airbase port harbour harbor bridge railway station
        refinery depot prison mosque church stadium dam checkpoint plant camp base hotel
        university neighbourhood neighborhood suburb outskirts border area coast road
        highway street square centre center front frontline line side bank shore valley
        river sea lake mountain mountains hills island islands peninsula home house
        residence apartment flat office headquarters compound farm farms estate axis colony
        commune sector quarter zone""".split()
    )
)
#: Nouns of people: a name the parse calls a person, a group or a people that modifies one
#: of these names who they are ("Toposa raiders", "Didinga civilians").
PEOPLE_NOUNS = frozenset(
    """raider raiders militant militants fighter fighters gunman gunmen militiaman militiamen
    militia militias herder herders herdsman herdsmen tribesman tribesmen civilian civilians
    youth youths rebel rebels warrior warriors elder elders member members community
    communities people group groups insurgent insurgents""".split()
)
#: Occasions named after "of": "the feast of X", "the holy month of X".
_OCCASION = re.compile(
    r"\b(?:feast|fast|festival|holiday|holidays|month|eve|celebration|celebrations)"
    r"\s+of\s+(?:the\s+)?$"
)
#: A course of study: "a master's degree in X", "Master in X", "a professor of X".
_COURSE = re.compile(
    r"\b(?:(?:[Mm]asters?|[Bb]achelors?)(?:['’]s)?(?:\s+[Dd]egree)?|[Dd]egree|[Dd]iploma|"
    r"[Dd]octorate|PhD|MBA)\s+in\s+$|\b(?:[Pp]rofessor|[Ll]ecturer)\s+of\s+$"
)
#: A kinship word or "identified as" right before a name: a person ("his daughter X", "the
#: victim, identified only as X"). Lower case: "Mother Russia" is no person.
_KIN = re.compile(
    r"\b(?:daughter|son|wife|husband|brother|sister|mother|father|uncle|aunt|cousin|nephew|"
    r"niece|grandson|granddaughter|grandfather|grandmother|stepson|stepdaughter|fiancée?|"
    r"girlfriend|boyfriend|widow|widower)s?\s*,?\s+$"
    r"|\bidentified\s+(?:only\s+|simply\s+)?as\s+$"
)


def acronym_plural(span):
    """Return True for an acronym's plural ("SAMs", "IEDs"): a thing, not a place."""
    return _ACRONYM_PLURAL.fullmatch(span.text) is not None


def attributive(span, parse):
    """Return True when the parse makes a name only a modifier of an ordinary noun that is
    no place ("a Reading sign", "in CRPF firing"): the preposition before it governs that
    noun, so it says nothing of the name being a place."""
    tokens = parse.tokens(span.start, span.end)
    if not len(tokens):
        return False
    root = tokens.root
    head = root.head
    return (
        root.dep_ in ("compound", "amod", "nmod")
        and head.i > root.i
        and head.i not in range(tokens.start, tokens.end)
        and head.pos_ == "NOUN"
        and head.lower_ not in _PLACE_NOUNS
        and head.lemma_.lower() not in _PLACE_NOUNS
    )


def _capitalised_word(text):
    return text[:1].isupper() and any(ch.islower() for ch in text[1:])


def longer_name(span, text, parse, *, ordinary=False):
    """Return True when a name is part of a longer capitalised name the gazetteer does not
    know: a name of ordinary words (``ordinary``) right after a capitalised word that is
    not a title nor the sentence's first ("the Rust Belt"), or any name right before
    two capitalised words that name no kind of place ("a Humber Scout Car")."""
    tokens = parse.tokens(span.start, span.end)
    if not len(tokens):
        return False
    doc = parse.doc
    first, last = tokens.start, tokens.end
    prev = doc[first - 1] if first > 0 else None
    if ordinary and prev is not None and text[prev.idx + len(prev) : span.start] == " ":
        if (
            prev.text[:1].isupper()
            and not prev.is_sent_start
            and prev.pos_ in ("PROPN", "ADJ", "NOUN")
            and prev.lower_.rstrip(".") not in PERSON_TITLES
            and prev.lower_ not in ("north", "south", "east", "west", "central", "greater")
        ):
            return True
    following = []
    end = span.wording_end
    for tok in doc[last:]:
        if tok.idx != end + 1 or text[end : tok.idx] != " " or not _capitalised_word(tok.text):
            break
        following.append(tok)
        end = tok.idx + len(tok)
        if len(following) == 2:
            break
    return len(following) == 2 and not any(
        t.lower_ in _PLACE_NOUNS or t.lemma_.lower() in _PLACE_NOUNS for t in following
    )


def people_modifier(span, parse):
    """Return True when the parse calls a name a person, a group or a people (not a place)
    and the name modifies a noun of people ("Toposa raiders", "six Didinga civilians")."""
    if span.label not in ("PERSON", "NORP", "ORG"):
        return False
    tokens = parse.tokens(span.start, span.end)
    if not len(tokens):
        return False
    root = tokens.root
    while root.dep_ in ("conj",) and root.head is not root:
        root = root.head
    return root.dep_ in ("compound", "amod", "nmod") and root.head.lower_ in PEOPLE_NOUNS


def occasion(span, text):
    """Return True when a name follows "the feast / fast / month / anniversary of", or names
    a course of study or a chair ("a degree in X", "professor of X")."""
    before = text[max(0, span.start - 40) : span.start]
    return _OCCASION.search(before.lower()) is not None or _COURSE.search(before) is not None


def after_kin(span, text):
    """Return True when a kinship word or "identified as" comes right before a name."""
    return _KIN.search(text[max(0, span.start - 40) : span.start]) is not None


def _bare(key):
    """Return a folded name without an Arabic article or a last word of a place's kind."""
    words = key.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    if len(words) > 1 and words[-1] in _PLACE_NOUNS:
        words = words[:-1]
    return " ".join(words)


_OF_PLACE = re.compile(r"(\w+)(?:-\w+)?\s+of\s+(?:the\s+)?$")
_PARTS = frozenset(
    """north south east west northeast northwest southeast southwest northern southern eastern
    western central outskirts suburbs edge heart centre center vicinity environs parts part
    entrance gates""".split()
)


def of_a_place(span, text):
    """Return True when "of" before a name follows a bearing, a part or a kind of place
    ("west of X", "the outskirts of X", "the island of X"): the name is a place's."""
    found = _OF_PLACE.search(text[max(0, span.start - 40) : span.start].lower())
    return found is not None and (found.group(1) in _PARTS or found.group(1) in _PLACE_NOUNS)


def only_another_name(span, place):
    """Return True when ``place`` bears the name only as another name, unlike its own
    ("Oleh" for a village of that name): neither its name, nor a spelling of it (same
    consonant skeleton, or ``_SPELLING`` alike, an Arabic article and a word of the place's
    kind aside: "Ma’arda" for Al Ma‘arda, "Tal Bzhyl" for Tall Bzhyl, "Bzhyl Camp")."""
    own = _bare(fold(place.name))
    key = _bare(span.key)
    if own == key or own.startswith(key + " ") or key.startswith(own + " "):
        return False
    return skeleton(key) != skeleton(own) and similarity(key, own) < _SPELLING


def unknown_name_not_place(text, parse, start, end):
    """Return True when the words around a name the gazetteer does not know, or the parse,
    make it no place: a relative, an occasion or a course of study, an acronym the parse
    calls an organisation ("in CRPF firing") or an acronym's plural, or a people modifier
    ("X raiders"). (Not a modifier of an ordinary noun: an unknown name before "axis",
    "colony", "commune" is mostly a place's.)

    For the event linker's names that only grammar marks as places (``geo.extract.places``):
    with no gazetteer reading to weigh, any of these says no.

    Parameters
    ----------
    text : str
        The text ``parse`` was made from.
    parse : ParseView
        The text's parse (:class:`geo.geoparse.entities.ParseView`).
    start, end : int
        The name's character offsets.

    Returns
    -------
    bool
    """
    from geo.geoparse.toponyms import Span

    name = text[start:end]
    relation, label = parse.relation(start, end)
    span = Span(start, end, name, fold(name), name, label=label if relation == "exact" else "")
    return (
        after_kin(span, text)
        or occasion(span, text)
        or acronym_plural(span)
        or (name.isupper() and 2 <= len(name) <= 6 and span.label == "ORG")
        or people_modifier(span, parse)
    )
