"""Event-type triggers and the roles of the countries' actors around a trigger."""

from __future__ import annotations

import re
from dataclasses import replace

from geo.extract.words import literal_alternation, word_alternation
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.resolve import is_metonymic

__all__ = [
    "ANY_STEM",
    "GOV_NOUN",
    "IRREALIS",
    "MILITARY",
    "SPEECH",
    "STEM_RE",
    "TRIGGERS",
    "TRIGGER_RE",
    "actor_roles",
    "doc_force",
    "government",
    "is_metonymic_text",
    "military",
]

_MILITARY = (
    r"soldiers?|troops|fighters|servicemen|personnel|forces|mercenaries|recruits|"
    r"conscripts|marines|paratroopers|commandos|units?|brigades?|battalions?|army|"
    r"military|navy|snipers?|riflem[ae]n|gunners?|scouts?|reconnaissance"
)
MILITARY = word_alternation(_MILITARY, re.I)  # fmt: skip

# Trigger patterns per event type (case-insensitive, matched on the sentence).
TRIGGERS = {
    "capture": r"\b(?:captur(?:ed|e|es|ing)|taken\s+(?:prisoner|captive)|took\s+(?:\w+\s+){1,4}"
    r"(?:alive|prisoner|captive))\b",
    "self_detonation": r"\b(?:self-detonat\w*|detonated\s+(?:a|his|her|their)\s+grenades?|"
    r"bl(?:ew|ow|own)\s+(?:himself|themselves|herself)\s+up|"
    r"suicide\s+(?:bomb\w*|attack\w*))\b",
    "casualties": r"\b(?:killed|deaths?|dead|died|wounded|injured|casualties|death\s+toll|"
    r"killing)\b",
    "deployment": r"\b(?:deploy(?:ed|ment|ing|s)?|sen(?:t|ding|ds)\s+(?:\w+\s+){0,5}?(?:to|abroad)"
    r"|dispatch(?:ed|ing)?|redeploy\w*)\b",
    "attack": r"\b(?:attack(?:ed|s)?|assaults?|airstrikes?|strikes?|struck|shell(?:ed|ing)|"
    r"bombard\w*|ambush\w*|offensive)\b",
    "front_line": r"\b(?:under\s+(?:\w+\s+){0,2}control|(?:held|controlled|occupied)\s+by|"
    r"conquest\s+of|front\s+lines?|liberat(?:ed|ion\s+of)|recaptur\w+|"
    r"(?:captured|seized|took|retook|take|taken)\s+(?:control\s+of\s+)?"
    r"(?:the\s+)?(?:town|village|city|settlement|areas?|parts?|territory))\b",
    "movement": r"\b(?:(?:moved|advanced|pushed)\s+(?:\w+\s+)?(?:to|into|toward|towards|"
    r"through|across|on|closer)|retreat(?:ed)?|withdr(?:ew|awn)|crossed\s+into|"
    r"relocated)\b",
    "statement": r"\b(?:said|confirmed|announced|stated|denied|claimed|declared)\b",
}


def _word_pattern(pattern, flags):
    """``word_alternation`` of a pattern written ``\\b(?:...)\\b``."""
    if not (pattern.startswith(r"\b(?:") and pattern.endswith(r")\b")):
        raise ValueError(f"{pattern!r} is not written \\b(?:...)\\b")
    return word_alternation(pattern[5:-3], flags)


TRIGGER_RE = {k: _word_pattern(v, re.IGNORECASE) for k, v in TRIGGERS.items()}
# Words that make the trigger hypothetical, negated, generic or habitual.
_IRREALIS = (
    r"not|never|no|n't|would|could|might|may|should|if|rather\s+than|instead\s+of|"
    r"prefer\w*|risk|fear\w*|want\w*|willing|ready\s+to|seen\s+as|whether|unless|avoid|"
    r"threat\w*|often|usually|generally|typically|frequently|tend\w*|relied|routinely|"
    r"tactics|possibility|possible|likely|expected|plan\w*|intend\w*|chance|to\s+die|"
    r"opportunit\w+|bargaining|ability|how\s+to|the\s+first\s+time|training|"
    r"conditioned|trained|opt\w*|suggest\w*|previously|rare|whether|hop\w+|"
    r"decision|allegations?|accus\w+|told|thought|believed|must"
)
IRREALIS = word_alternation(_IRREALIS, re.IGNORECASE)
_SPEECH = (
    r"said|says|say|confirmed|announced|stated|reported|told|claimed|declared|argued|"
    r"insisted|acknowledged|admitted|denied|deny"
)
SPEECH = word_alternation(_SPEECH, re.I)
#: Seats of government named for the government ("the Kremlin said").
_SEATS = {"kremlin": "RU", "white house": "US", "pentagon": "US", "downing street": "GB",
          "elysee": "FR", "blue house": "KR", "zhongnanhai": "CN"}  # fmt: skip
GOV_NOUN = (
    r"government|president|ministry|authorities|officials?|leader|regime|"
    r"administration|intelligence|kremlin|military|forces|troops|soldiers|army|navy|"
    r"paratroopers|special\s+forces|units?|personnel|security\s+service"
)

# Substrings one of which a sentence must hold for a type's trigger pattern to be tried.
_STEMS = {
    "capture": ("captur", "prisoner", "captive", "took", "taken"),
    "self_detonation": ("detonat", "blew", "blow", "suicide"),
    "casualties": ("kill", "death", "dead", "died", "wounded", "injured", "casualt"),
    "deployment": ("deploy", "sent", "sending", "sends", "dispatch"),
    "attack": ("attack", "assault", "strike", "struck", "shell", "bombard", "ambush",
               "offensive"),
    "front_line": ("control", "held by", "occupied by", "conquest", "front line", "liberat",
                   "recaptur", "captured", "seized", "took", "retook", "take", "taken"),
    "movement": ("moved", "advanced", "pushed", "retreat", "withdr", "crossed", "relocat"),
    "statement": ("said", "confirmed", "announced", "stated", "denied", "claimed", "declared"),
}  # fmt: skip


STEM_RE = {k: literal_alternation(v) for k, v in _STEMS.items()}
ANY_STEM = literal_alternation(
    sorted({s for v in _STEMS.values() for s in v} | {"number", "estimat", "strength"})
)


_THE = ("united ", "republic ", "democratic ", "central african", "czech republic")
_FORCE_HEAD = re.compile(
    r"^(?:\s*(?:[a-z-]+\s+){0,2}?)(?P<noun>soldiers?|troops|forces|military|army|navy|"
    r"paratroopers|fighters|personnel|servicemen|units?|commandos|marines|brigades?|drones?|"
    r"prisoners?|captives|POWs?|conscripts|recruits|mercenaries|"
    r"artillery|group|defenders|defen[cs]es)\b",
    re.I,
)
_SPEAKER_HEAD = re.compile(
    r"^(?:\s*(?:[a-z-]+\s+){0,2}?)(?P<noun>government|president|presidency|officials?|"
    r"authorities|ministry|leader|leadership|regime|intelligence|sources?|media|"
    r"administration|security\s+service|spokes\w+|agenc\w+|defectors?)\b",
    re.I,
)
_PREPOSITION = re.compile(r"\b(?P<prep>by|of|from|to|with|against|alongside|for|among|"
                          r"support|supporting|assist|help|into|at|in|on)\s+"
                          r"(?:(?:the|a|an|\d[\d,]*|[a-z]+)\s+){0,2}$",
                          re.I)  # fmt: skip
_VERB_AFTER = re.compile(r"\s*(?:has|have|had|is|was|were|will|would|\w+ed|\w+s)\b")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.I)


def _country_name(place):
    name = place.name
    if name.lower().startswith(_THE) or (name.endswith("s") and " " not in name):
        return "the " + name
    return name


def military(place):
    """Return the actor name of a country's armed forces ("Military Forces of Ukraine")."""
    return f"Military Forces of {_country_name(place)}"


def government(place):
    """Return the actor name of a country's government ("Government of Ukraine")."""
    return f"Government of {_country_name(place)}"


_PREPOSITIONS = frozenset(
    "by of from to with against alongside for among support supporting "
    "assist help into at in on".split()
)


def _governing_preposition(before):
    """Return the preposition (or "support"...) just before a phrase, skipping up to two
    determiners, numbers or adjectives ("death of two North Koreans" gives "of")."""
    words = re.findall(r"[\w'’,-]+", before)[-4:]
    skipped = 0
    for word in reversed(words):
        low = word.lower()
        if low in _PREPOSITIONS:
            return low
        if skipped >= 2 or not (word.islower() or word[:1].isdigit()):
            return None
        skipped += 1
    return None


def actor_roles(sentence, offset, mentions, trigger_pos, passive, event_type="attack"):
    """Return the roles of the countries' actors around a trigger in a sentence.

    A demonym or a country standing for its government is a *force* when a military noun
    follows ("North Korean soldiers", "Ukrainian forces") or it is a plural people
    ("North Koreans"), a *speaker* when an institution follows ("Ukrainian government",
    "South Korean intelligence") or "according to" precedes. A force after "by" is the
    agent; one after "of" the patient; after "support"/"alongside"/"with" an ally; a force
    before the trigger is its subject (agent in the active voice, patient in the passive),
    one after it the object.

    Returns
    -------
    dict
        ``agent``, ``patient``, ``ally``, ``speaker``, ``subject`` (actor names or None).
    """
    roles = {"agent": None, "patient": None, "ally": None, "speaker": None, "subject": None}
    for m in mentions:
        if m.place is None or m.place.feature_code not in COUNTRY_CODES:
            continue
        if m.role != "actor" and not is_metonymic_text(sentence, m, offset):
            continue
        rel_start, rel_end = m.start - offset, m.end - offset
        after = sentence[rel_end : rel_end + 40]
        before = sentence[max(0, rel_start - 30) : rel_start]
        force = _FORCE_HEAD.match(after)
        speaker = _SPEAKER_HEAD.match(after)
        if m.text.lower().removeprefix("the ").strip() in _SEATS:
            roles["speaker"] = roles["speaker"] or government(m.place)
            continue
        if (
            _ACCORDING.search(before)
            or (speaker and not force)
            or (m.role != "actor" and SPEECH.match(after.strip()))
        ):
            roles["speaker"] = roles["speaker"] or government(m.place)
            continue
        if not force and not (m.role == "actor" and m.text.endswith("s")) and m.role == "actor":
            continue  # "Russian invasion", "North Korean regime": an adjective, no participant
        if (
            m.role != "actor"
            and not force
            and not (
                rel_start < trigger_pos
                and _VERB_AFTER.match(after)
                and event_type in ("deployment", "attack", "movement", "front_line")
            )
        ):
            continue  # "revealing North Korea's involvement": the country, no participant
        name = military(m.place)
        word = _governing_preposition(before)
        if word == "by":
            role = "agent"
        elif word in ("support", "supporting", "alongside", "with", "assist", "help"):
            role = "ally"
        elif word == "of":
            role = "patient"
        elif word is not None:
            role = None  # "sympathy from Ukrainian soldiers", "a challenge for Ukrainian forces"
        elif rel_start < trigger_pos:
            roles["subject"] = roles["subject"] or name
            role = "patient" if passive else "agent"
        else:
            role = "patient"
        if role and roles[role] is None:
            roles[role] = name
    return roles


def is_metonymic_text(sentence, mention, offset):
    """Apply :func:`geo.geoparse.resolve.is_metonymic` to a mention inside a sentence."""
    shifted = replace(mention, start=mention.start - offset, end=mention.end - offset)
    return is_metonymic(sentence, shifted)


def doc_force(mentions, text):
    """Return the country whose forces the document is most about ("North Korean soldiers")."""
    counts = {}
    for m in mentions:
        if m.role == "actor" and m.place is not None:
            if MILITARY.match(text[m.end : m.end + 30].lstrip()):
                counts[m.place.name] = counts.get(m.place.name, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else None
