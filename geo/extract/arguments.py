"""A trigger's actors, target and counts, read from its arguments in the parse.

Roles follow the grammar, not word order: the agent (the subject of an active verb, the
"by" phrase of a passive, a noun trigger's modifier: "Russian shelling") is ``actor1``; the
patient (object, passive subject, "on"/"of" object) is ``actor2`` when it is an armed side or
civilians, and the ``target`` when it is a thing (a hospital, an apartment block). Counts of
people attach to the trigger whose argument they count, with a kind from the word that
governs them ("killing two" → killed; "12 were injured" → wounded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.events.model import Count
from geo.extract import syntax
from geo.extract.actors import CIVILIANS
from geo.extract.counts import find_counts
from geo.extract.lexicon import SPEECH_VERBS, TARGET_NOUNS

__all__ = ["Roles", "count_kind_of", "counts_for", "incident_counts", "roles"]

#: Words that give a count its kind, by lemma.
_KINDS = {
    **dict.fromkeys("kill death dead die fatality toll body corpse murder execute slay".split(),
                    "killed"),
    **dict.fromkeys("wound injure injury hurt injured wounded".split(), "wounded"),
    # the abbreviations of logs and coders' notes ("2 civ killed, 4 inj.", "3 KIA")
    **{"kia": "killed", "inj": "wounded", "injd": "wounded", "wia": "wounded", "mia": "missing"},
    **dict.fromkeys("casualty".split(), "killed_or_wounded"),
    **dict.fromkeys("capture prisoner captive pow detain arrest abduct kidnap hostage seize "
                    "surrender".split(), "captured"),
    **dict.fromkeys("missing".split(), "missing"),
    **dict.fromkeys("displace displaced flee evacuate homeless refugee uproot".split(),
                    "displaced"),
    **dict.fromkeys("deploy deployment send station dispatch reinforce arrive".split(),
                    "deployed"),
}  # fmt: skip
_INCIDENT = re.compile(
    r"(?P<n>\d{1,5})\s*(?:x|×)\s*(?:civ(?:ilian)?s?\.?\s+)?(?P<kind>fatalit(?:y|ies)|killed|"
    r"dead|deaths?|wounded|injured|inj|injur(?:y|ies)|casualt(?:y|ies)|missing|KIA|WIA|MIA)\b",
    re.IGNORECASE,
)


@dataclass
class Roles:
    """The actors and target of one trigger."""

    actor1: str | None = None
    actor2: str | None = None
    target: str | None = None


_SPEECH = SPEECH_VERBS | {"warn", "admit", "insist"}
_PRONOUNS = frozenset("it they we its their our".split())
#: Verbs whose object is the attack and whose subject is the defender.
_DEFENCE = frozenset("repel repulse thwart foil fend".split())


def _speaker(token):
    """Return the subject of the speech verb whose complement holds ``token`` ("Ukraine says
    it shot down ...": Ukraine), or None."""
    for anc in token.ancestors:
        if anc.lemma_.lower() in _SPEECH and anc.pos_ in ("VERB", "AUX"):
            return syntax.subject(anc)
    return None


def _refers_back(token):
    """Return whether a phrase stands for someone named before: "it", "they", "its forces"."""
    if token.lower_ in _PRONOUNS:
        return True
    return any(c.dep_ == "poss" and c.lower_ in _PRONOUNS for c in token.children)


def _name(token, namer, trigger, *, acting):
    """Name a phrase's actor; a pronoun in reported speech stands for the speaker."""
    if _refers_back(token):
        speaker = _speaker(trigger.head)
        if speaker is not None and speaker.i != token.i and not _refers_back(speaker):
            return namer.name(speaker, acting=True)
        return None
    return namer.name(token, acting=acting)


def roles(trigger, namer) -> Roles:
    """Return the actors and target of a trigger from its arguments.

    Parameters
    ----------
    trigger : geo.extract.detect.Trigger
    namer : geo.extract.actors.ActorNamer
    """
    head, token = trigger.head, trigger.token
    out = Roles()
    agents = []
    who = syntax.agent(head)
    if who is not None:
        agents.extend(syntax.conjuncts(who))
    if token.pos_ in ("NOUN", "PROPN"):
        agents.extend(syntax.modifiers(token))
        agents.extend(obj for _, obj in syntax.prep_objects(token, ("by",)))
        if head == token:
            gov = syntax.governor(token)
            # "an attack by X", or the subject of the verb whose object the noun is
            if gov is not None and token.dep_ in ("dobj",) and gov.pos_ == "VERB":
                subj = syntax.subject(gov)
                if subj is not None and gov.lemma_.lower() in _DEFENCE:
                    # "UAF repelled an assault": who repelled it was attacked, not attacking
                    out.actor2 = namer.name(subj, acting=False) or out.actor2
                elif subj is not None:
                    agents.append(subj)
    if head.pos_ in ("VERB", "AUX") and token != head:
        agents.extend(syntax.modifiers(token))
    if token.tag_ == "VBG" and token.pos_ == "VERB" and token.dep_ not in ("ROOT", "conj"):
        # "artillery shelling of X by Russian forces": the parser's gerund is the noun
        agents.extend(obj for _, obj in syntax.prep_objects(token, ("by",)))
    agents.extend(obj for _, obj in syntax.prep_objects(head, ("with",)) if syntax.is_weapon(obj))
    sufferer = _sufferer(token)
    if sufferer is not None:
        # "The troops suffered heavy casualties": the subject is the victim, not the agent
        out.actor2 = namer.name(sufferer, acting=False)
        agents = [a for a in agents if a.i != sufferer.i]
    for candidate in agents:
        name = _name(candidate, namer, trigger, acting=True)
        if name is not None and name != CIVILIANS:
            out.actor1 = name
            break
    if trigger.head.lemma_.lower() in _DEFENCE:
        # "Ukrainian forces repelled a Russian assault": the assault's side attacked
        defender, out.actor1 = out.actor1, None
        for patient in syntax.patients(trigger.head):
            for part in [patient, *syntax.modifiers(patient),
                         *(o for _, o in syntax.prep_objects(patient, ("by", "of")))]:  # fmt: skip
                name = namer.name(part, acting=True)
                if name is not None and name != CIVILIANS:
                    out.actor1 = name
                    break
            if out.actor1 is not None:
                break
        out.actor2 = defender
        return out
    for patient in [*syntax.patients(head), *(syntax.patients(token) if token != head else ())]:
        name = _name(patient, namer, trigger, acting=False)
        if name is not None and name != out.actor1:
            if out.actor2 is None:
                out.actor2 = name
        elif out.target is None and patient.lemma_.lower() in TARGET_NOUNS:
            out.target = patient.lemma_.lower()
    if trigger.event_type == "casualties" and out.actor1 is None and out.actor2 is not None:
        pass  # victims only: who caused them is unknown
    if (token.lemma_.lower() == "control" and token.dep_ == "pobj"
            and token.head.lower_ == "in"):  # fmt: skip
        # "units (reported) in control of X": who is in control holds X
        holder = token.head.head
        who = holder if holder.pos_ in ("NOUN", "PROPN") else syntax.subject(holder)
        if who is None and holder.dep_ == "acl":
            who = holder.head  # "units reported in control of X"
        name = _name(who, namer, trigger, acting=True) if who is not None else None
        if name is not None and name != CIVILIANS:
            out.actor1 = name
            if out.actor2 == name:
                out.actor2 = None
    if out.actor1 is None and trigger.event_type in ("attack", "front_line"):
        # "fighting between the army and Hamas", "clashes between X and Y": the two sides
        sides = [
            name
            for _, obj in syntax.prep_objects(token, ("between",))
            for side in syntax.conjuncts(obj)
            if (name := _name(side, namer, trigger, acting=True)) not in (None, CIVILIANS)
        ]
        if len(sides) >= 2 and sides[0] != sides[1]:
            out.actor1, out.actor2 = sides[0], sides[1]
    return out


_SUFFER = frozenset("suffer sustain incur take endure".split())


def _sufferer(token):
    """Return the subject of "suffer/sustain ... casualties/losses", the side that lost."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ != "dobj":
        return None
    verb = token.head
    if verb.lemma_.lower() in _SUFFER:
        return syntax.subject(verb)
    return None


def count_kind_of(word) -> str | None:
    """Return the count kind a governing word gives ("killed" → "killed"), or None."""
    return (
        _KINDS.get(word.lemma_.lower().rstrip("."))
        or _KINDS.get(word.lower_.rstrip("."))
        or _KINDS.get(word.norm_)  # "4 inj.": the abbreviation's norm ("injured")
    )


def _complement_kind(noun):
    """Return the kind a participle after a counted noun gives it ("2 civilians killed") or
    a complement right after an object ("leaves 2 dead", "left four people wounded"), or
    None."""
    for child in noun.children:
        if child.i > noun.i and child.dep_ in ("acl", "amod") and (kind := count_kind_of(child)):
            return kind  # "2 civilians killed, 3 injured": its own participle
    if noun.i + 1 < len(noun.doc):
        after = noun.doc[noun.i + 1]
        if after.text.isupper() and (after.head == noun or noun.head == after):
            kind = count_kind_of(after)
            if kind:
                return kind  # "20+ soldiers KIA": a log's abbreviation after the people
    if noun.dep_ != "dobj":
        return None
    for child in noun.head.children:
        if child.i == noun.i + 1 and child.dep_ in ("oprd", "acomp", "advcl", "xcomp", "ccomp"):
            return count_kind_of(child)
    return None


def _count_token(sent, start):
    for token in sent:
        if token.idx >= start:
            return token
    return None


def counts_for(sent, triggers) -> dict[int, list[Count]]:
    """Attach the counts of people in a sentence to its triggers.

    Returns ``{index of the trigger in triggers: [Count, ...]}``. A count attaches to the
    trigger whose argument it is, or failing that to the trigger nearest along the parse;
    its kind comes from the nearest governing word with a kind (else the trigger's type).
    """
    out: dict[int, list[Count]] = {}
    if not triggers:
        return out
    base = sent.start_char
    found = list(find_counts(sent.text))
    spans = [(base + start, base + end) for _, start, end in found]
    for token in sent:
        # "killing five and wounding 7": a bare number as the verb's object counts people;
        # so does the number of a plural the verb kills or wounds ("killed 12 villagers")
        noun = token.head if token.dep_ == "nummod" and token.head.tag_ == "NNS" else token
        if (token.pos_ == "NUM" and noun.dep_ in ("dobj", "nsubjpass")
                and count_kind_of(noun.head)
                and not any(a <= token.idx < b for a, b in spans)):  # fmt: skip
            value = _number_value(token)
            if value:
                found.append(({"low": value, "high": value, "best": None, "text": token.text},
                              token.idx - base, token.idx - base + len(token)))  # fmt: skip
    for fields, start, _ in found:
        num = _count_token(sent, base + start)
        if num is None or _included(num) or fields.get("high") == 0 or _denied(num):
            continue  # "including 3 children" is part of a count; "0 killed", "no one" nobody
        noun = num.head if num.dep_ in ("nummod", "quantmod", "compound", "amod") else num
        if noun.text == "+" and noun.head.tag_ == "NNS":
            noun = noun.head  # "20+ soldiers": the parser hangs the number on its plus
        if num.dep_ == "pobj" and num.head.lower_ == "of":
            noun = num.head.head  # "five of them"
        kind = count_kind_of(noun) or _complement_kind(noun)
        chain = [noun, *noun.ancestors]
        best = None
        for depth, anc in enumerate(chain):
            if kind is None and depth > 0:
                kind = count_kind_of(anc)
            for k, trig in enumerate(triggers):
                if anc.i in (trig.token.i, trig.head.i):
                    best = k
                    break
            if best is not None:
                break
        if best is None:
            best = min(range(len(triggers)), key=lambda k: abs(triggers[k].token.i - num.i))
        trig = triggers[best]
        if kind in ("killed", "wounded"):
            governing = next((a for a in chain if count_kind_of(a) == kind), None)
            own = ("nsubj", "nsubjpass", "dobj")
            if governing is not None and any(
                count_kind_of(c) not in (None, kind) and not any(g.dep_ in own for g in c.children)
                for c in governing.conjuncts
            ):
                kind = "killed_or_wounded"  # "killed or wounded", not "X killed and Y wounded"
        if kind is None:
            # the trigger's own word when it tells a kind ("leaves 4 wounded": wounded)
            kind = count_kind_of(trig.token) or {
                "capture": "captured", "deployment": "deployed", "casualties": "killed",
                "attack": None,
            }.get(trig.event_type)  # fmt: skip
            if kind is None:
                continue
        out.setdefault(best, []).append(Count(kind=kind, **fields))
    for k, trig in enumerate(triggers):
        if k not in out:
            one = _one_person(trig)
            if one is not None:
                out[k] = [one]
    return out


_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip


def _number_value(token):
    text = token.lower_.replace(",", "")
    if text.isdigit():
        return int(text)
    return _WORDS.get(text)


def _included(num) -> bool:
    """Return whether a number counts a part of another count ("including three children")."""
    for anc in [num, *num.ancestors][:4]:
        if anc.dep_ == "prep" and anc.lower_ in ("including", "among"):
            return True
        if anc.lower_ in ("including", "incl", "incl."):
            return True
    return False


def _denied(num) -> bool:
    """Return whether a number is denied: "no one was killed", "not one soldier"."""
    return (
        num.i > 0
        and num.doc[num.i - 1].lower_ in ("no", "not")
        or any(c.dep_ in ("det", "neg") and c.lower_ in ("no", "not") for c in num.children)
    )


def _one_person(trig):
    """Return a count of one for "a man was killed", "killing the driver" (no number)."""
    kind = count_kind_of(trig.head) or count_kind_of(trig.token)
    if kind not in ("killed", "wounded", "captured"):
        return None
    for patient in syntax.patients(trig.head):
        if (patient.tag_ == "NN" and syntax.is_people(patient)
                and not any(c.dep_ in ("nummod", "conj") for c in patient.children)
                and any(c.dep_ in ("det", "poss") for c in patient.children)):  # fmt: skip
            return Count(kind=kind, low=1, high=1, text=patient.text)
    return None


def incident_counts(text) -> list[Count]:
    """Return counts written the casualty-log way: "1 x fatality 12 x wounded"."""
    out = []
    for m in _INCIDENT.finditer(text):
        word = m.group("kind").lower()
        kind = (
            "killed" if word.startswith(("fatal", "kill", "dead", "death", "kia"))
            else "killed_or_wounded" if word.startswith("casualt")
            else "missing" if word in ("missing", "mia") else "wounded"
        )  # fmt: skip
        n = int(m.group("n"))
        out.append(Count(kind=kind, low=n, high=n, text=m.group(0)))
    return out
