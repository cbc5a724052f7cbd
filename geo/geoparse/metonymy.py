"""Metonymy: a place named for its government or people ("Kyiv said"), not as a location."""

from __future__ import annotations

import re

from geo.common.words import grouped_alternation, word_alternation
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.toponyms import LOCATIVE

__all__ = ["decide_metonymy", "is_metonymic"]

_STRONG_LOCATIVE = LOCATIVE - {"of", "from", "to", "between"}
# Words after a place that make it stand for its government or people ("Kyiv said"), when
# the parse cannot say (no parse, or the name is neither subject nor possessor).
_GOVERNMENT_VERBS = frozenset(
    """said says say denied denies deny confirmed confirms announced announces claimed claims
    supplied supplies sent sends has have had gains gained insisted insists warned warns
    accused accuses rejected rejects condemned condemns responded responds reported reports
    stated states argued argues agreed agrees wants wanted fills filled decided decides
    deployed deploys acknowledged acknowledges dismissed dismisses courted courts blamed
    blames threatened threatens admitted admits refused refuses is was will would could
    may might must should could hopes hoped believes believed""".split()
)
_GOVERNMENT_NOUNS = frozenset(
    """regime government authorities officials leadership administration military army
    forces troops involvement decision ministry foreign relations ties statement response
    officials spokesman president leader claim claims reaction intelligence""".split()
)
_SOURCE_CUE_WORDS = (
    r"reports?|officials?|sources?|statements?|news|media|authorities|"
    r"analysts|spokes\w+"
)
_SOURCE_CUES = grouped_alternation(_SOURCE_CUE_WORDS, re.IGNORECASE,
                                   after=r"\s+(?:from|in)\s+(?:the\s+)?$")  # fmt: skip
_BETWEEN_WORDS = r"between|ties\s+with|relations\s+with|partner(?:ship)?\s+with"
#: A name made into an adjective of where someone or something is based or from
#: ("London-based", "Kyiv-born"): an attribute of that one, not a place where things happen.
_BASED = re.compile(r"[-‑–](?:based|born|headquartered|registered|bred)\b")
_BETWEEN = word_alternation(_BETWEEN_WORDS, re.IGNORECASE, tail=r"\s+(?:\w+\s+){0,3}$")


def _can_stand_for_a_government(place):
    """Countries, capitals, first-level units, seats of government, cities of a million."""
    return (
        place.feature_code in COUNTRY_CODES
        or place.feature_code in ("PPLC", "ADM1", "PPLG")
        or place.population >= 1_000_000
    )


#: Nouns of settlements and areas: a country before one says where it is ("the Chad town
#: of X", "the Iraq border"), not whose it is.
_WHERE_NOUNS = frozenset(
    """town city village settlement hamlet capital port region province district state
    governorate county area border frontier coast countryside desert outskirts side""".split()
)


def _modifies_noun(parse, mention):
    """Return whether a name modifies a noun after it ("US airstrikes"), not a noun of a
    settlement or an area ("the Mali town of X")."""
    tokens = parse.tokens(mention.start, mention.end)
    if not len(tokens):
        return False
    last = tokens[-1]
    head = last.head
    return (
        last.dep_ in ("compound", "amod", "nmod")
        and head.i > last.i
        and head.pos_ in ("NOUN", "PROPN")
        and head.ent_type_ not in ("GPE", "LOC", "FAC", "ORG")
        and head.lemma_.lower() not in _WHERE_NOUNS
    )


def decide_metonymy(text, mention, parse=None):
    """Return True when a place mention stands for a government or people, not a location.

    ``parse`` (a :class:`geo.geoparse.entities.ParseView` of ``text``) decides where it
    can: the subject of a verb of speech or state action ("Kyiv said", "Kyiv has sent
    troops"), not of a passive ("Kyiv was shelled"); the possessor of an institution
    ("Moscow's decision"), not of a place ("Russia's Kursk region"). Where it cannot, and
    without a parse, the words around the name decide (:func:`is_metonymic`'s rules).
    Only places that can stand for a government are metonymic (countries, capitals,
    first-level units, seats of government, cities of a million).
    """
    place = mention.place
    if place is None:
        return False
    if mention.role == "actor":
        return True
    if _BASED.match(text, mention.end):
        return True  # "a London-based group": where the group is, not where anything happens
    if not _can_stand_for_a_government(place):
        return False
    before = text[max(0, mention.start - 60) : mention.start]
    if _BETWEEN.search(before):
        return True
    if parse is None and _SOURCE_CUES.search(before):
        return True  # "officials in Kyiv" (with a parse, the parse says what "in" hangs on)
    if parse is not None and place.feature_code in COUNTRY_CODES:
        if _modifies_noun(parse, mention):
            return True  # "US airstrikes", "UK aircraft": whose, not where
    if parse is not None:
        found = parse.metonymy(mention.start, mention.end)
        if found is not None:
            return found
    after = text[mention.end : mention.end + 40]
    m = re.match(r"(['’]s?)?\s*([A-Za-z]+)", after)
    if not m:
        return False
    word = m.group(2).lower()
    if word in _GOVERNMENT_NOUNS:
        return True  # "the Pyongyang regime", "Moscow's involvement"
    if mention.cue in _STRONG_LOCATIVE:
        return False
    if m.group(1):
        return place.feature_code in COUNTRY_CODES
    return word in _GOVERNMENT_VERBS or word in ("and", "or")


def is_metonymic(text, mention):
    """Return True when a place stands for its government or people, not for a location.

    "Kyiv said", "Pyongyang supplied shells", "Moscow's involvement", "the Pyongyang
    regime", "reports from Kiev", "ties between Pyongyang and Moscow": countries, capitals
    and seats of government used as actors or sources. A mention from
    :func:`geo.geoparse.resolve.geoparse` carries the answer its parse gave
    (``mention.metonymic``); without one, the words around it decide.

    Parameters
    ----------
    text : str
        The text ``mention``'s offsets index.
    mention : Mention
        A place mention.

    Returns
    -------
    bool

    Examples
    --------
    >>> from geo.geoparse.resolve import geoparse
    >>> text = "Moscow denied it."
    >>> is_metonymic(text, geoparse(text)[0])
    True
    """
    if mention.place is None:
        return False
    if mention.role == "actor":
        return True
    known = getattr(mention, "metonymic", None)
    if known is not None:
        return known
    return decide_metonymy(text, mention)
