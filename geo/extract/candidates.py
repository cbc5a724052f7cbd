"""Event candidates from article sentences: type triggers, actors, counts, dates and place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from geo.events.model import Count
from geo.events.taxonomy import PRECISION_RANK, UNKNOWN_RANK
from geo.extract.counts import NUMBERS_CONTEXT, PEOPLE, count_kind, find_counts
from geo.extract.temporal import DateExpr, find_dates, unresolved_time
from geo.extract.triggers import (
    ANY_STEM,
    GOV_NOUN,
    IRREALIS,
    MILITARY,
    SPEECH,
    STEM_RE,
    TRIGGER_RE,
    TRIGGERS,
    actor_roles,
    doc_force,
    is_metonymic_text,
    military,
)
from geo.extract.words import word_alternation
from geo.gazetteer.place import COUNTRY_CODES, Place

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
_OBJECTIVE = word_alternation(r"objectives?|goals?|aims?|targets?|intends?|seeks?", re.I)
_ORIGIN = re.compile(r"\bfrom\b(?:\s+\S+){0,5}\s*$", re.I)
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Col|Lt|Sgt|Capt|Jr|Sr|vs|No|Jan|Feb|"
                     r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|a\.m|p\.m|e\.g|i\.e)|"
                     r"\b[A-Z](?:\.[A-Z])+)$")  # fmt: skip
_PEOPLE_RE = re.compile(rf"\b(?:{PEOPLE})\b")
_CAPTIVES_RE = re.compile(rf"\b(?:{PEOPLE}|him|them|her|he|they|their|his)\b", re.I)
_GOV_RE = word_alternation(GOV_NOUN, re.I)
# What the words around a trigger say of it (see _candidate).
_CONDITIONAL = re.compile(r"\s*(?:if|unless|whether)\b", re.I)
_INFINITIVE = re.compile(r"\bto\s+$")
_DETERMINER = re.compile(r"\b(?:the|these|those|their|his|her|its|a|an)\s+$", re.I)
_TERRITORY = re.compile(r"\bcaptured\s+(?:some\s+|the\s+)?(?:areas?|territor|town|village|city|"
                        r"parts?)")  # fmt: skip
_ANAPHOR = re.compile(r"\b(?:this|the|his|their|its|that)\s+$", re.I)
_WEAPONS = re.compile(r"deploy\w*\s+(?:\w+\s+){0,4}(?:missiles?|weapons?|systems?|drones?)", re.I)
_DRONES = re.compile(r"\bdrones?\b")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are)\s+(?:\w+\s+)?$", re.I)
_AGENT_AFTER = re.compile(r"\s+(?:by|in|on|at|near|after|during)\b", re.I)
#: Every position where a trigger stem (or a count cue) starts, overlapping ones included.
_STEM_STARTS = re.compile(f"(?={ANY_STEM.pattern})")
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


class _Lazy:
    """A value computed on its first call (``find_dates`` only for sentences that need it)."""

    __slots__ = ("_args", "_fn", "_value")

    def __init__(self, fn, *args):
        self._fn, self._args, self._value = fn, args, None

    def __call__(self):
        if self._fn is not None:
            self._value, self._fn, self._args = self._fn(*self._args), None, ()
        return self._value


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
        rank = PRECISION_RANK.get(m.place.precision, UNKNOWN_RANK)  # the finest place first
        key = (rank, abs(rel - trigger_pos))
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
    bounded = date.offset < trigger_pos and SPEECH.search(between) is not None
    for speech in SPEECH.finditer(sentence[:trigger_pos]):
        if abs(date.offset - speech.end()) <= 12 or abs(speech.start() - date.span[1]) <= 12:
            bounded = True  # "said on June 12 that ... were captured": the statement's date
    return date, bounded


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
    force = doc_force(mentions, text)
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
        low = sentence.lower()
        first = ANY_STEM.search(low)
        if first is None:
            continue
        # Where any type's stem starts: each type's own stems are then tried only there.
        stems = [m.start() for m in _STEM_STARTS.finditer(low, first.start())]
        dates = _Lazy(find_dates, sentence, reference)  # only sentences with a trigger
        found = _sentence_candidates(sentence, low, stems, s0, by_sentence[idx], dates, reference,
                                     theatre, force)  # fmt: skip
        if not found and NUMBERS_CONTEXT.search(sentence):
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


def _sentence_candidates(sentence, low, stems, s0, mentions, dates, reference, theatre, force):
    found = []
    seen_types = set()
    for event_type, regex in TRIGGER_RE.items():
        stem = STEM_RE[event_type].match
        if not any(stem(low, pos) for pos in stems):
            continue
        for m in regex.finditer(sentence):
            cand = _candidate(event_type, m, sentence, low, s0, mentions, dates, reference,
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


def _candidate(event_type, m, sentence, low, s0, mentions, dates, reference, theatre, force):
    pos = m.start()
    clause_start = max(sentence.rfind(",", 0, pos), sentence.rfind(";", 0, pos),
                       sentence.rfind("—", 0, pos), sentence.rfind(":", 0, pos)) + 1  # fmt: skip
    window = sentence[max(clause_start, pos - 60) : pos] + " " + sentence[m.end() : m.end() + 25]
    if IRREALIS.search(window) or _CONDITIONAL.match(sentence):
        return None
    if _INFINITIVE.search(sentence[max(0, pos - 4) : pos]):
        return None  # an infinitive: "decision to deploy", "ready to die"
    adjectival = _DETERMINER.search(sentence[max(0, pos - 8) : pos])
    if adjectival and event_type == "casualties" and m.group(0).lower().endswith("ed"):
        return None  # "the killed soldiers": a description, not a report
    persons = _PEOPLE_RE.search(sentence) is not None
    if event_type == "capture":
        if not _CAPTIVES_RE.search(sentence):
            return None  # "captured some areas": territory, not people
        if _TERRITORY.search(low[pos : pos + 40]):
            return None
    if event_type == "casualties" and not persons:
        return None
    if event_type == "deployment":
        tail = sentence[pos : pos + 120]
        anaphoric = m.group(0).lower() == "deployment" and _ANAPHOR.search(
            sentence[max(0, pos - 8) : pos]
        )
        if _WEAPONS.match(tail) or not (MILITARY.search(sentence) or anaphoric):
            return None
    if event_type == "movement" and not MILITARY.search(sentence):
        return None
    if event_type == "attack" and not (MILITARY.search(sentence) or _DRONES.search(low)):
        return None
    if event_type == "statement":
        subject = sentence[max(0, pos - 60) : pos]
        if not _GOV_RE.search(subject) or not dates():
            return None
    passive = _PASSIVE.search(sentence[max(0, pos - 25) : pos]) is not None or (
        m.group(0).lower().endswith("ed") and _AGENT_AFTER.match(sentence, m.end()) is not None
    )
    roles = actor_roles(sentence, s0, mentions, pos, passive, event_type)
    speaker = roles["speaker"]
    cand = Candidate(event_type, s0, s0 + len(sentence), sentence, trigger=m.group(0))
    # -- date --------------------------------------------------------------------------------
    date, bounded = _pick_date(dates(), pos, sentence)
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
        kind = count_kind(event_type, sentence)
        if event_type == "attack":
            kind = "killed" if re.search(r"\bkill", low) else None
        if kind:
            for fields, _a, _b in find_counts(sentence):
                if event_type == "deployment" and not MILITARY.search(
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
