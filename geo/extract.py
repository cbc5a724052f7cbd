"""Event candidates from article sentences: type triggers, actors, counts, dates and place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from geo.events import Count
from geo.place import COUNTRY_CODES, Place
from geo.resolve import Mention, is_metonymic
from geo.temporal import DateExpr, find_dates, unresolved_time

__all__ = [
    "ASSUMED_WINDOW_DAYS",
    "TRIGGERS",
    "Candidate",
    "extract_candidates",
    "find_counts",
    "split_sentences",
]

#: An event whose sentence states no date is dated to this many days before publication.
ASSUMED_WINDOW_DAYS = 180

_PERSONS = (
    r"soldiers?|troops|fighters|men|people|civilians|servicemen|personnel|prisoners?|POWs?|"
    r"captives|comrades|mercenaries|recruits|conscripts|marines|paratroopers|commandos|"
    r"sailors|pilots|officers|militants|insurgents|rebels|combatants|children|women|"
    r"residents|snipers?|riflem[ae]n|gunners?|scouts?|deaths|casualties|dead|killed|wounded|injured|bodies|[A-Z][a-z]+(?:ans|ese|is)"
)
_PEOPLE = _PERSONS.replace("|deaths|casualties|dead|killed|wounded|injured|bodies", "")
_MILITARY = re.compile(r"\b(?:soldiers?|troops|fighters|servicemen|personnel|forces|"
                       r"mercenaries|recruits|conscripts|marines|paratroopers|commandos|units?|"
                       r"brigades?|battalions?|army|military|navy|snipers?|riflem[ae]n|gunners?|scouts?|"
                       r"reconnaissance)\b", re.I)  # fmt: skip
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "fifteen": 15,
    "twenty": 20, "fifty": 50, "a hundred": 100,
}  # fmt: skip
_VAGUE_NUMBERS = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
                  "tens of thousands": 20000, "hundreds of thousands": 200000}  # fmt: skip
_NUM = (r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?:\s+(?:million|thousand))?|"
        r"tens of thousands|hundreds of thousands|dozens|hundreds|thousands|"
        + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)))  # fmt: skip
_COUNT = re.compile(
    rf"(?<![\d/.:-])(?<!\d,)\b(?:(?P<between>between)\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})"
    rf"|(?P<r1>{_NUM})\s*(?:to|-|–)\s*(?P<r2>{_NUM})(?!-year)"
    rf"|(?P<mod>around|about|approximately|roughly|nearly|almost|some|an estimated|estimated|"
    rf"over|more than|at least|upwards of|in excess of|up to|fewer than|less than|at most)\s+"
    rf"(?P<n1>{_NUM})"
    rf"|(?P<n2>{_NUM}))\b(?!-year|-month|\s*(?:years?|months?|days?|hours?|percent|%|a\.m\.|p\.m\.))",
    re.IGNORECASE,
)
_ATTACH = re.compile(rf"^\s*(?:of\s+(?:the|these|those|his|their|them|[A-Z]\w+['’]s)\s*)?"
                     rf"(?:[A-Za-z-]+\s+){{0,3}}?(?:{_PERSONS})\b")  # fmt: skip
_NUMBERS_CONTEXT = re.compile(r"\b(?:their|the)\s+numbers?\b|\bestimat\w+\b|\bstrength\b", re.I)

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
_TRIGGER_RE = {k: re.compile(v, re.IGNORECASE) for k, v in TRIGGERS.items()}
# Words that make the trigger hypothetical, negated, generic or habitual.
_IRREALIS = re.compile(
    r"\b(?:not|never|no|n't|would|could|might|may|should|if|rather\s+than|instead\s+of|"
    r"prefer\w*|risk|fear\w*|want\w*|willing|ready\s+to|seen\s+as|whether|unless|avoid|"
    r"threat\w*|often|usually|generally|typically|frequently|tend\w*|relied|routinely|"
    r"tactics|possibility|possible|likely|expected|plan\w*|intend\w*|chance|to\s+die|"
    r"opportunit\w+|bargaining|ability|how\s+to|the\s+first\s+time|training|"
    r"conditioned|trained|opt\w*|suggest\w*|previously|rare|whether|hop\w+|"
    r"decision|allegations?|accus\w+|told|thought|believed|must)\b",
    re.IGNORECASE,
)
_SPEECH = re.compile(r"\b(?:said|says|say|confirmed|announced|stated|reported|told|claimed|"
                     r"declared|argued|insisted|acknowledged|admitted|denied|deny)\b",
                     re.I)  # fmt: skip
#: Seats of government named for the government ("the Kremlin said").
_SEATS = {"kremlin": "RU", "white house": "US", "pentagon": "US", "downing street": "GB",
          "elysee": "FR", "blue house": "KR", "zhongnanhai": "CN"}  # fmt: skip
_GOV_NOUN = (
    r"government|president|ministry|authorities|officials?|leader|regime|"
    r"administration|intelligence|kremlin|military|forces|troops|soldiers|army|navy|"
    r"paratroopers|special\s+forces|units?|personnel|security\s+service"
)
_OBJECTIVE = re.compile(r"\b(?:objectives?|goals?|aims?|targets?|intends?|seeks?)\b", re.I)
_ORIGIN = re.compile(r"\bfrom\b(?:\s+\S+){0,5}\s*$", re.I)
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Capt|Jr|Sr|vs|No|Jan|Feb|"
                     r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|a\.m|p\.m|e\.g|i\.e)|"
                     r"\b[A-Z](?:\.[A-Z])+)$")  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n+")


@dataclass
class Candidate:
    """One event reported by one sentence (or two adjacent sentences) of an article."""

    event_type: str
    start: int
    end: int
    quote: str
    date_start: object = None
    date_end: object = None
    date_precision: str = "range"
    date_stated: bool = False
    place: Place | None = None
    name_in_text: str | None = None
    geo_precision: str | None = None
    place_stated: bool = False
    actor1: str | None = None
    actor2: str | None = None
    claimed_by: str | None = None
    counts: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    trigger: str = ""


def split_sentences(text):
    """Return ``(start, end)`` spans of the sentences and headlines of ``text``.

    Examples
    --------
    >>> text = "Mr. Ri spoke. He left at 3 a.m. Then rain.\\nHeadline"
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Mr. Ri spoke.', 'He left at 3 a.m. Then rain.', 'Headline']
    """
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.end() if m.group(0)[0] != "\n" else m.start()
        if m.group(0)[0] != "\n" and _ABBREV.search(text[max(0, m.start() - 6) : m.start()]):
            continue
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
    numbers_context = numbers_context or bool(_NUMBERS_CONTEXT.search(sentence))
    out = []
    for m in _COUNT.finditer(sentence):
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
            if vague:
                low = n
            else:
                low = high = n
        out.append(({"low": low, "high": high, "best": best, "text": text.strip()},
                    m.start(), m.end()))  # fmt: skip
    return out


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


def _actors(sentence, offset, mentions, trigger_pos, passive, event_type="attack"):
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
            or (m.role != "actor" and _SPEECH.match(after.strip()))
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
    """Apply :func:`geo.resolve.is_metonymic` to a mention inside a sentence."""
    shifted = Mention(mention.start - offset, mention.end - offset, mention.text, mention.place,
                      mention.score, mention.role, mention.area, mention.cue)  # fmt: skip
    return is_metonymic(sentence, shifted)


def _event_place(sentence, offset, mentions, trigger_pos, event_type):
    """Return the mention that is the event's own location, or None."""
    best, best_key = None, None
    for m in mentions:
        if m.role != "location" or m.place is None:
            continue
        rel = m.start - offset
        cue = m.cue
        allowed = {"in", "near", "at", "outside", "around", "inside", "within", "across"}
        if event_type in ("deployment", "movement"):
            allowed |= {"to", "into", "toward", "towards"}
        if event_type == "front_line":
            allowed |= {"of", "as", "the", "entire", "from"}
        if cue not in allowed and not (event_type == "front_line" and m.area):
            continue
        if is_metonymic_text(sentence, m, offset):
            continue
        if event_type != "front_line" and _ORIGIN.search(sentence[max(0, rel - 40) : rel]):
            continue  # "from a relatively privileged area in Pyongyang": where someone is from
        precision_rank = {"exact": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 5}
        key = (precision_rank.get(m.place.precision, 4), abs(rel - trigger_pos))
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best


def _pick_date(dates, trigger_pos, sentence):
    """Return (DateExpr, bounded) for the trigger: the nearest date; bounded when it dates a
    statement about the event rather than the event ("On January 12 the government said it
    captured him")."""
    if not dates:
        return None, False
    date = min(dates, key=lambda d: abs(d.offset - trigger_pos))
    between = sentence[min(date.offset, trigger_pos) : max(date.offset, trigger_pos)]
    bounded = date.offset < trigger_pos and _SPEECH.search(between) is not None
    for speech in _SPEECH.finditer(sentence[:trigger_pos]):
        if abs(date.offset - speech.end()) <= 12 or abs(speech.start() - date.span[1]) <= 12:
            bounded = True  # "said on June 12 that ... were captured": the statement's date
    return date, bounded


def _count_kind(event_type, sentence):
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


def _doc_force(mentions, text):
    """Return the country whose forces the document is most about ("North Korean soldiers")."""
    counts = {}
    for m in mentions:
        if m.role == "actor" and m.place is not None:
            if _MILITARY.match(text[m.end : m.end + 30].lstrip()):
                counts[m.place.name] = counts.get(m.place.name, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else None


def extract_candidates(text, mentions, reference, *, theatre=None):
    """Return event candidates, one per trigger, from a (masked) article text.

    Parameters
    ----------
    text : str
        The article text with boilerplate blanked (offsets index the stored text).
    mentions : list of Mention
        The document's geoparse.
    reference : Reference or None
        The publication date; without it only absolutely dated events are kept.
    theatre : Place, optional
        Where the document's events happen when a sentence names no place (an admin1
        area, region or country).

    Returns
    -------
    list of Candidate
    """
    out = []
    force = _doc_force(mentions, text)
    sentences = split_sentences(text)
    by_sentence = [[] for _ in sentences]
    j = 0
    for m in mentions:
        while j < len(sentences) and sentences[j][1] <= m.start:
            j += 1
        if j < len(sentences) and sentences[j][0] <= m.start:
            by_sentence[j].append(m)
    pending_counts = {}
    for idx, (s0, s1) in enumerate(sentences):
        sentence = text[s0:s1]
        if len(sentence) > 2000:
            continue
        if not _ANY_STEM.search(sentence.lower()):
            continue
        dates = find_dates(sentence, reference)
        found = _sentence_candidates(sentence, s0, by_sentence[idx], dates, reference,
                                     theatre, force)  # fmt: skip
        if not found and _NUMBERS_CONTEXT.search(sentence):
            counts = find_counts(sentence, numbers_context=True)
            if counts:
                pending_counts[idx] = (counts, s0, s1)
        for cand in found:
            cand.tags.append(f"sentence:{idx}")
        out.extend(found)
    _attach_counts(out, pending_counts, text)
    return out


def _attach_counts(cands, pending, text):
    """Give a "their numbers" sentence's count to the deployment in the next/previous one."""
    for idx, (counts, s0, s1) in pending.items():
        for near in (idx + 1, idx - 1):
            target = next((c for c in cands if c.event_type == "deployment"
                           and f"sentence:{near}" in c.tags and not c.counts), None)  # fmt: skip
            if target is None:
                continue
            target.counts = [Count(kind="deployed", **fields) for fields, _a, _b in counts]
            target.start, target.end = min(target.start, s0), max(target.end, s1)
            target.quote = text[target.start : target.end]
            break


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


_STEM_RE = {k: re.compile("|".join(map(re.escape, v))) for k, v in _STEMS.items()}
_ANY_STEM = re.compile("|".join(
    map(re.escape, sorted({s for v in _STEMS.values() for s in v} | {"number", "estimat",
                                                                     "strength"}))
))  # fmt: skip


def _sentence_candidates(sentence, s0, mentions, dates, reference, theatre, force):
    found = []
    seen_types = set()
    low = sentence.lower()
    for event_type, regex in _TRIGGER_RE.items():
        if not _STEM_RE[event_type].search(low):
            continue
        for m in regex.finditer(sentence):
            cand = _candidate(event_type, m, sentence, s0, mentions, dates, reference,
                              theatre, force)  # fmt: skip
            if cand is None:
                continue
            if event_type != "front_line" and event_type in seen_types:
                continue
            if event_type == "front_line" and any(
                c.event_type == "front_line" and c.place == cand.place for c in found
            ):
                continue
            seen_types.add(event_type)
            found.append(cand)
    types = {c.event_type for c in found}
    if "attack" in types or "capture" in types or "self_detonation" in types:
        # Deaths in an attack sentence are the attack's casualties, not a separate event.
        keep = []
        for c in found:
            if c.event_type == "casualties" and ({"attack", "self_detonation"} & types):
                host = next(x for x in found if x.event_type in ("attack", "self_detonation"))
                host.counts.extend(c.counts)
                continue
            keep.append(c)
        found = keep
    return found


def _candidate(event_type, m, sentence, s0, mentions, dates, reference, theatre, force):
    pos = m.start()
    clause_start = max(sentence.rfind(",", 0, pos), sentence.rfind(";", 0, pos),
                       sentence.rfind("—", 0, pos), sentence.rfind(":", 0, pos)) + 1  # fmt: skip
    window = sentence[max(clause_start, pos - 60) : pos] + " " + sentence[m.end() : m.end() + 25]
    if _IRREALIS.search(window) or re.match(r"\s*(?:if|unless|whether)\b", sentence, re.I):
        return None
    if re.search(r"\bto\s+$", sentence[max(0, pos - 4) : pos]):
        return None  # an infinitive: "decision to deploy", "ready to die"
    adjectival = re.search(r"\b(?:the|these|those|their|his|her|its|a|an)\s+$",
                           sentence[max(0, pos - 8):pos], re.I)  # fmt: skip
    if adjectival and event_type == "casualties" and m.group(0).lower().endswith("ed"):
        return None  # "the killed soldiers": a description, not a report
    low = sentence.lower()
    persons = re.search(rf"\b(?:{_PEOPLE})\b", sentence) is not None
    if event_type == "capture":
        if not re.search(rf"\b(?:{_PEOPLE}|him|them|her|he|they|their|his)\b", sentence, re.I):
            return None  # "captured some areas": territory, not people
        if re.search(
            r"\bcaptured\s+(?:some\s+|the\s+)?(?:areas?|territor|town|village|city|"
            r"parts?)",
            low[pos : pos + 40],
        ):
            return None
    if event_type == "casualties" and not persons:
        return None
    if event_type == "deployment":
        tail = sentence[pos : pos + 120]
        anaphoric = re.search(r"\b(?:this|the|his|their|its|that)\s+$",
                              sentence[max(0, pos - 8):pos], re.I) and m.group(0).lower() == (
            "deployment")  # fmt: skip
        if re.match(r"deploy\w*\s+(?:\w+\s+){0,4}(?:missiles?|weapons?|systems?|drones?)", tail,
                    re.I) or not (_MILITARY.search(sentence) or anaphoric):  # fmt: skip
            return None
    if event_type == "movement" and not _MILITARY.search(sentence):
        return None
    if event_type == "attack" and not (
        _MILITARY.search(sentence) or re.search(r"\bdrones?\b", low)
    ):
        return None
    if event_type == "statement":
        subject = sentence[max(0, pos - 60) : pos]
        if not re.search(rf"\b(?:{_GOV_NOUN})\b", subject, re.I) or not dates:
            return None
    passive = bool(re.search(r"\b(?:was|were|been|being|be|is|are)\s+(?:\w+\s+)?$",
                             sentence[max(0, pos - 25):pos], re.I)) or (
        m.group(0).lower().endswith("ed")
        and re.match(r"\s+(?:by|in|on|at|near|after|during)\b", sentence[m.end():], re.I)
        is not None
    )  # fmt: skip
    roles = _actors(sentence, s0, mentions, pos, passive, event_type)
    speaker = roles["speaker"]
    cand = Candidate(event_type, s0, s0 + len(sentence), sentence, trigger=m.group(0))
    # -- date --------------------------------------------------------------------------------
    date, bounded = _pick_date(dates, pos, sentence)
    if (
        event_type == "front_line"
        and _OBJECTIVE.search(sentence)
        and re.match(r"conquest|expulsion", m.group(0), re.I)
    ):
        cand.tags.append("objective")
        date = None
    if date is not None and not bounded and event_type == "statement":
        cand.date_start, cand.date_end, cand.date_precision = date.start, date.end, date.precision
        cand.date_stated = True
    elif date is not None and not bounded and date.kind not in ("until", "vague"):
        cand.date_start, cand.date_end, cand.date_precision = date.start, date.end, date.precision
        cand.date_stated = True
    elif date is not None and date.kind == "vague":
        cand.date_start, cand.date_end, cand.date_precision = date.start, date.end, "range"
    elif date is not None:
        cand.date_start = date.start - timedelta(days=ASSUMED_WINDOW_DAYS)
        cand.date_end, cand.date_precision = date.end, "range"
    elif reference is not None and not unresolved_time(sentence):
        cand.date_start = reference.start - timedelta(days=ASSUMED_WINDOW_DAYS)
        cand.date_end, cand.date_precision = reference.end, "range"
        if "objective" in cand.tags:
            cand.date_start = reference.start
    else:
        return None
    # -- place -------------------------------------------------------------------------------
    place = _event_place(sentence, s0, mentions, pos, event_type)
    if event_type == "front_line":
        place = _front_line_place(sentence, s0, mentions, m) or place
        if place is None or place.place.precision == "country":
            return None
    if place is not None:
        cand.place, cand.name_in_text = place.place, place.text
        cand.geo_precision = (
            "region" if place.place.feature_code == "RGN" else (place.place.precision)
        )
        cand.place_stated = True
    elif theatre is not None and event_type != "statement":  # a statement is made elsewhere
        cand.place, cand.geo_precision = theatre, theatre.precision
    # -- actors and counts -------------------------------------------------------------------
    doc_force = f"Military Forces of {force}" if force else None
    agent, patient, ally = roles["agent"], roles["patient"], roles["ally"]
    if event_type == "capture":
        cand.actor1, cand.actor2 = agent, patient
    elif event_type == "deployment":
        cand.actor1 = patient or agent or doc_force
        cand.actor2 = ally if ally != cand.actor1 else None
    elif event_type == "self_detonation":
        cand.actor1 = doc_force or patient
    elif event_type == "casualties":
        cand.actor1 = patient or roles["subject"] or doc_force
        cand.actor2 = agent if agent != cand.actor1 else None
    elif event_type == "front_line":
        controller = re.search(r"(?:under|by)\s+(\w+)", m.group(0), re.I)
        cand.actor1 = agent or roles["subject"]
        if controller:
            for mention in mentions:
                if (
                    mention.start - s0 >= m.start()
                    and mention.place is not None
                    and (mention.place.feature_code in COUNTRY_CODES)
                ):
                    cand.actor1 = military(mention.place)
                    break
        elif "objective" not in cand.tags and cand.actor1 is None:
            cand.actor1 = doc_force
        if "objective" in cand.tags and speaker:
            cand.actor1 = speaker.replace("Government", "Military Forces")
    elif event_type == "statement":
        cand.actor1 = speaker
    else:
        cand.actor1, cand.actor2 = agent or roles["subject"], patient
        if cand.actor1 == cand.actor2:
            cand.actor2 = None
    cand.claimed_by = speaker
    if event_type in ("deployment", "capture", "casualties", "attack"):
        kind = _count_kind(event_type, sentence)
        if event_type == "attack":
            kind = "killed" if re.search(r"\bkill", low) else None
        if kind:
            for fields, _a, _b in find_counts(sentence):
                if event_type == "deployment" and not _MILITARY.search(
                    sentence[_b : _b + 60] + " numbers"
                ):
                    continue
                cand.counts.append(Count(kind=kind, **fields))
    if not cand.date_stated:
        cand.tags.append("date-assumed")
    return cand


def _front_line_place(sentence, s0, mentions, m):
    """Return the area a front-line phrase is about: after "conquest of", else the nearest
    area before the phrase ("the Kursk region, which has been under Ukrainian control")."""
    after = [
        x
        for x in mentions
        if x.role == "location"
        and x.start - s0 >= m.end()
        and x.place is not None
        and x.place.precision not in ("exact", "country")
    ]
    before = [
        x
        for x in mentions
        if x.role == "location"
        and x.end - s0 <= m.start()
        and x.place is not None
        and x.place.precision not in ("exact", "country")
    ]
    word = m.group(0).lower()
    if word.startswith(("captured", "seized", "took", "retook", "take", "recaptur", "liberat")):
        taken = [x for x in mentions if x.role == "location" and x.start - s0 >= m.start()
                 and x.place is not None and x.place.precision != "country"]  # fmt: skip
        return taken[0] if taken else None
    if (word.startswith(("conquest", "expulsion"))) and after:
        return after[0]
    if word.startswith("expulsion"):
        later = [x for x in mentions if x.role == "location" and x.start - s0 > m.end()
                 and x.place is not None and x.place.precision == "admin1"]  # fmt: skip
        return later[0] if later else None
    if before:
        return before[-1]
    return after[0] if after else None


def with_precision(cand, precision):
    """Return a copy of a candidate with another place precision."""
    return replace(cand, geo_precision=precision)


def date_of(expr: DateExpr):
    """Return ``(start, end, precision)`` of a date expression."""
    return expr.start, expr.end, expr.precision
