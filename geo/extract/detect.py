"""Event triggers in a parsed sentence: a lexicon word whose sense the parse supports.

A token is a trigger when its lemma and part of speech are in the lexicon
(``data/triggers.tsv``) and one of its senses has its conditions met by the parse (an armed
agent, a person or place as patient, a particle, ...). Triggers reported as not having
happened are dropped here: negated, modal or future, conditional, asked, intended or
threatened, denied, habitual, or a figurative sense ("captured on video").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from geo.events.taxonomy import CIVILIANS_ACTOR
from geo.extract import syntax
from geo.extract.lexicon import (
    NONVIOLENT_CAUSES,
    PLACE_NOUNS,
    REPORT_NOUNS,
    SPEECH_VERBS,
    Sense,
    lemma_of,
    senses,
)

__all__ = [
    "Trigger",
    "find_triggers",
    "is_background",
    "is_bare_definite",
    "is_prospective",
    "is_scene",
    "is_unreal",
    "told_again",
]

#: Verbs that make their complement an intention, a plan, a threat or a claim denied.
_IRREALIS_GOVERNORS = frozenset(
    """
    plan threaten vow warn intend aim want wish prepare seek promise pledge hope expect order
    urge call refuse deny reject dismiss fail avoid fear risk consider propose demand ask
    decide agree allow permit prevent stop halt suspend postpone delay cancel abandon
    threat plan intention preparation bid attempt? call demand warning fear risk possibility
    prospect ability capacity readiness
    """.replace("?", "").split()
)
#: Verbs of telling: negated, what they govern is not reported ("did not comment on
#: casualties", "did not confirm the capture").
_UNSAID = frozenset("comment confirm disclose specify reveal elaborate detail".split())
#: Of those, the ones after which an attack did take place ("tried to storm the town").
_ATTEMPTS = frozenset("try attempt".split())
_MODALS = frozenset("would could might may should must can will shall ca wo".split())
_HABITUAL = frozenset(
    "often usually regularly routinely frequently sometimes typically generally rarely "
    "never seldom normally".split()
)
_CONDITIONAL_MARKS = frozenset("if unless whether lest".split())
#: Prepositions through which an intention, a plan or a call governs what it aims at
#: ("aimed at capturing", "called for storming", "prevented from entering").
_AIM_PREPS = frozenset("at for from to toward towards".split())
#: Participles used as nouns for people ("the wounded").
_NOMINAL = frozenset("wounded injured dead killed captured missing".split())
#: Prepositional phrases that set an event in the future or the conditional.
_PROSPECTIVE = frozenset(
    {("case", "of"), ("ahead", "of"), ("event", "of"), ("prospect", "of"), ("risk", "of"),
     ("threat", "of"), ("fear", "of"), ("danger", "of"), ("preparation", "for"),
     ("prepare", "for"), ("plan", "for"), ("warn", "of"), ("warn", "about"),
     ("brace", "for"), ("warning", "of")}
)  # fmt: skip
#: Verbs that react to an event told elsewhere ("condemned the strikes", "accused Kyiv of
#: shelling"): the sentence is a reaction, not a report of the event.
_REACTIONS = frozenset(
    "accuse condemn blame denounce criticize criticise decry deplore mourn commemorate "
    "recall remember investigate probe praise hail welcome retaliate avenge".split()
)
#: Nouns and prepositions that set an event in the background of another: "in retaliation
#: for the attack", "after weeks of fighting", "since the capture of X".
_BACKGROUND_NOUNS = frozenset(
    "retaliation response revenge anniversary memory aftermath wake result consequence "
    "start beginning outbreak onset".split()
)
#: Words of a standing state (who holds a place, where forces are): never mere background
#: ("two battalions, which had been deployed in X, returned to Y").
_STATES = frozenset("control hold occupy deploy station".split())
_BACKGROUND_PREPS = frozenset("after during amid following since despite before until".split())
_NEGATIONS = frozenset("no not n't never none without".split())


@dataclass(frozen=True)
class Trigger:
    """A word that reports an event, with the sense the parse supports.

    ``token`` is the trigger word; ``head`` is the token whose arguments carry the event's
    actors and places (the verb of a light-verb phrase such as "launched an attack", else
    ``token``); ``event_type`` and ``mode`` come from the sense.
    """

    token: object
    head: object
    sense: Sense
    event_type: str
    mode: str | None

    @property
    def span(self):
        """The ``(start, end)`` character offsets of the trigger word in the text."""
        return self.token.idx, self.token.idx + len(self.token)


def _words(condition):
    return frozenset(condition.split("=", 1)[1].split("|"))


class _Context:
    """What the condition tests need besides the token: places and named actors."""

    def __init__(self, place_tokens, actor_lookup, place_of=None):
        self.place_tokens = place_tokens
        self.actor_lookup = actor_lookup
        self.place_of = place_of

    def armed(self, tok):
        return syntax.is_armed(tok, self.actor_lookup)

    def agents(self, token):
        """The tokens that may name who acts: subject/agent, noun modifiers, "with" weapons."""
        out = []
        who = syntax.agent(token)
        if who is not None:
            out.extend(syntax.conjuncts(who))
            out.extend(syntax.modifiers(who))
        if token.pos_ in ("NOUN", "PROPN"):
            out.extend(syntax.modifiers(token))
            out.extend(obj for _, obj in syntax.prep_objects(token, ("by", "from")))
            gov = syntax.governor(token)
            if (gov is not None and token.dep_ == "dobj" and gov.pos_ == "VERB"
                    and gov.lemma_.lower() in _CLAIMING):  # fmt: skip
                # "Russian forces claimed an advance into X", "troops made advances": who
                # claims or makes the advance is who advanced
                subj = syntax.subject(gov)
                lookup = self.actor_lookup
                if subj is not None and (lookup is None or lookup(subj) != CIVILIANS_ACTOR):
                    out.extend([*syntax.conjuncts(subj), *syntax.modifiers(subj)])
        out.extend(obj for _, obj in syntax.prep_objects(token, ("with", "by")))
        return out


#: Verbs whose subject is the agent of the event noun they take ("claimed an advance").
_CLAIMING = frozenset("claim announce make conduct carry press continue".split())

#: The marks that end a field of a log line.
_FIELD_MARKS = frozenset(",;:|-–—")


#: Parts of speech of a field that is only a noun phrase ("Shahed drones", "ballistic missile
#: (Tochka-U)", "2 x FPV drones").
_PHRASE_POS = frozenset(("NOUN", "PROPN", "ADJ", "NUM", "PUNCT", "X", "SYM", "DET"))


def _weapon_field(token) -> bool:
    """Whether ``token`` heads a field of a log line that is only its noun phrase (what is in
    brackets aside): "X; 3 May; ballistic missile (Tochka-U); 2 killed"."""
    field = next((f for f in syntax.line_fields(token.doc) if f[0].i <= token.i <= f[-1].i),
                 None)  # fmt: skip
    if field is None:
        return False
    depth, words = 0, []
    for t in field:
        if t.text in "([":
            depth += 1
        elif t.text in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            words.append(t)
    nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN")]
    return (
        bool(nouns)
        and nouns[-1].i == token.i
        and all(t.pos_ in _PHRASE_POS or t.tag_ == "HYPH" for t in words)
    )


def _holds(alt, token, ctx):
    """Return whether one alternative of a sense's conditions holds for ``token``."""
    if alt == "armed":
        if any(ctx.armed(t) for t in ctx.agents(token)):
            return True
        # "the offensive targeted X", "the aerial campaign hit Y": an attack acts
        subj = syntax.subject(token) if token.pos_ in ("VERB", "AUX") else None
        if subj is None or subj.dep_ != "nsubj":
            return False
        mods = {c.lemma_.lower() for c in subj.children if c.dep_ in ("amod", "compound")}
        return subj.lemma_.lower() in _CAMPAIGNS or (
            subj.lemma_.lower() == "campaign" and bool(mods & _MILITARY_MODS)
        )
    if alt == "person":
        return any(
            (syntax.is_people(t) or _named_patient(t, ctx))
            and not syntax.is_place(t, ctx.place_tokens)
            for t in syntax.patients(token)
        )
    if alt == "place":
        return any(syntax.is_place(t, ctx.place_tokens) for t in syntax.patients(token))
    if alt == "target":
        return any(
            syntax.is_target(t, ctx.place_tokens, ctx.actor_lookup) for t in syntax.patients(token)
        ) or any(syntax.is_place(obj, ctx.place_tokens) for _, obj in syntax.prep_objects(
            token, ("in", "near", "at", "outside", "on")))  # fmt: skip
    if alt == "violent":
        return _violent(token)
    if alt == "held":  # "X came under Ukrainian control": whose control, and a change told
        prep = token.head
        verb = prep.head if prep.dep_ == "prep" else None
        # "X, which remains under army control" describes X; "the region, which has been
        # under Ukrainian control since August" dates a hold (a front line over time)
        dated = verb is not None and any(
            t.lower_ == "since" or t.ent_type_ == "DATE" for t in verb.subtree
        )
        return (
            any(c.dep_ in ("amod", "poss", "compound", "nmod") for c in token.children)
            and verb is not None
            and verb.pos_ in ("VERB", "AUX")
            and (verb.dep_ != "relcl" or dated)
        )
    if alt == "opening":  # the first field of a log line: "Shahed drones, power plant, X"
        sent = syntax.sentence_of(token)
        for t in sent:
            if t.i == token.i:
                # and ends it: "Drones over the city" is no field
                return token.i + 1 < len(token.doc) and token.nbor(1).text in _FIELD_MARKS
            if t.text in _FIELD_MARKS:
                return False
        return False
    if alt == "field":  # a log line's field that only names the weapon: "| cruise missile |"
        return _weapon_field(token)
    if alt == "verbless":  # a log line's fragment: "Pokrovsk – glide bomb on a school."
        return not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in syntax.sentence_of(token))
    if alt == "active":  # "people took to the streets", not "the wounded were taken to"
        # nor "took him to X": the word has no object of its own; nor "was captured and
        # taken to X", a participle sharing its head's passive
        if (
            token.tag_ == "VBN"
            and token.dep_ == "conj"
            and any(c.dep_ in ("nsubjpass", "auxpass") for c in token.head.children)
        ):
            return False
        return not any(c.dep_ in ("nsubjpass", "auxpass", "dobj") for c in token.children)
    if alt == "aimed":
        # "launched an offensive in the north, targeting the town of X": what the attack
        # was aimed at, told by a participle of the verb that launched it
        head = token.head
        if aims_attack(token):
            return True  # "launched an offensive in the north that targeted the hill of X"
        if token.dep_ != "advcl" or token.tag_ != "VBG" or head == token:
            return False
        obj = syntax.direct_object(head)
        if obj is not None and _noun_sense(obj, {"attack"}) is not None:
            return True
        return any(s.event_type == "attack" for s in senses().get((lemma_of(head), "VERB"), ()))
    key, _, _ = alt.partition("=")
    words = _words(alt)
    if key == "in":
        return token.dep_ == "pobj" and token.head.lower_ in words
    if key == "under":  # "came under fire": the "under" object's lemma
        return any(o.lemma_.lower() in words for _, o in syntax.prep_objects(token, ("under",)))
    if key == "of":  # "an exchange of fire": the "of" object's lemma
        return any(o.lemma_.lower() in words for _, o in syntax.prep_objects(token, ("of",)))
    if key == "prt":  # "pull back", also "pulls troops out of X" (parsed as a preposition)
        # (and a complement: "shot dead")
        return any(c.dep_ in ("prt", "prep", "advmod", "oprd", "acomp") and c.lower_ in words
                   for c in token.children)  # fmt: skip
    if key == "prep":
        heads = [token, *(c for c in token.children if c.dep_ in ("advmod", "prt"))]
        return any(
            c.dep_ in ("prep", "agent") and c.lower_ in words for h in heads for c in h.children
        ) or any(  # "push across the border": the parser makes the preposition an adverb
            c.dep_ == "advmod" and c.lower_ in words and any(g.dep_ == "pobj" for g in c.children)
            for c in token.children
        )
    if key in ("obj", "nobj"):
        obj = syntax.direct_object(token)
        if token.pos_ in ("NOUN", "PROPN") and not _verb_like(token):
            found = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod")}
        else:
            found = {obj.lemma_.lower()} if obj is not None else set()
            if obj is not None and (obj.pos_ == "PROPN" or any(c.isdigit() for c in obj.text)):
                # "a transport helicopter Mi-8 was downed", "sank the frigate X": a name
                # or a model after the noun of its class is of that class
                found |= {c.lemma_.lower() for c in obj.children
                          if c.dep_ == "compound" and c.pos_ == "NOUN"}  # fmt: skip
        if key == "obj" and "armed" in words:
            return obj is not None and ctx.armed(obj)
        if key == "obj" and "GPE" in words and obj is not None and obj.ent_type_ == "GPE":
            return True
        if key == "obj" and "GPE" in words and obj is not None and obj.i in ctx.place_tokens:
            place = ctx.place_of(obj.i) if ctx.place_of else None
            if place is not None and place.feature_class == "P":
                return True
        if key == "obj" and token.pos_ not in ("NOUN", "PROPN"):
            # "set a depot ablaze": the complement counts as the object's word too
            found |= {c.lemma_.lower() for c in token.children if c.dep_ in ("oprd", "acomp")}
        return bool(found & words) if key == "obj" else not (found & words)
    if key == "objlex":
        obj = syntax.direct_object(token)
        return obj is not None and _noun_sense(obj, words, ctx, light=token) is not None
    if key in ("mod", "nomod"):  # "military operations", not "the special operation"
        mods = {c.lemma_.lower() for c in token.children if c.dep_ in ("amod", "compound", "nmod")}
        return bool(mods & words) if key == "mod" else not (mods & words)
    if key == "subj":
        subj = syntax.subject(token)
        if subj is None:
            return False
        if "armed" in words and ctx.armed(subj):
            return True
        if "person" in words and syntax.is_people(subj):
            return True
        if "place" in words and syntax.is_place(subj, ctx.place_tokens):
            return True
        if "weapon" in words and syntax.is_weapon(subj):
            return True
        return subj.lemma_.lower() in words
    raise ValueError(f"unknown trigger condition {alt!r}")


#: Entity labels of names that are no person: places, peoples, dates, quantities.
_NOT_PERSON_LABELS = frozenset("GPE LOC FAC NORP DATE TIME CARDINAL ORDINAL QUANTITY".split())


def _named_patient(token, ctx) -> bool:
    """Whether a bare proper name undergoes the event and can only be someone: "Kovalenko
    was shot", "Hrytsai was captured" (the recogniser often calls a lone surname an
    organisation). Not a place, an armed group, a people, nor a name with an article
    ("the Moskva", "the Ministry")."""
    return (
        token.pos_ == "PROPN"
        and token.ent_type_ not in _NOT_PERSON_LABELS
        and token.dep_ in ("nsubjpass", "dobj")
        and not any(c.dep_ == "det" for c in token.children)
        and not ctx.armed(token)
        and not (token.left_edge.i > 0 and token.doc[token.left_edge.i - 1].is_quote)
    )  # (nor a title in quotation marks: shooting "Pride of Lubny", a film)


def aims_attack(token) -> bool:
    """Whether a relative clause tells what the attack it describes was aimed at ("an
    offensive in the north that targeted the hill of X"): part of the report, not its
    background."""
    return (
        token.dep_ == "relcl"
        and token.head.pos_ in ("NOUN", "PROPN")
        and _noun_sense(token.head, {"attack"}) is not None
        and any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in token.children)
    )


def _noun_sense(token, types, ctx=None, light=None):
    """Return the first noun sense of ``token`` whose type is in ``types`` (or None); with
    ``ctx``, one whose conditions the parse meets.

    ``light`` is the light verb the noun is the object of ("continued their advance"): who
    acts is that verb's subject, so an ``armed`` condition holds on the verb as well."""

    def holds(alt):
        if _holds(alt, token, ctx):
            return True
        return alt == "armed" and light is not None and _holds(alt, light, ctx)

    for sense in senses().get((token.lemma_.lower(), "NOUN"), ()):
        if sense.event_type in types and (
            ctx is None or all(any(holds(alt) for alt in group) for group in sense.needs)
        ):
            return sense
    return None


def _violent(token):
    """Return False when the sentence blames a non-violent cause and names no weapon."""
    sent = syntax.sentence_of(token)
    causes = any(t.lemma_.lower() in NONVIOLENT_CAUSES for t in sent)
    if not causes:
        return True
    return any(syntax.is_weapon(t) or t.lemma_.lower() in ("attack", "fighting") for t in sent)


def _verb_like(token):
    """A word tagged as a noun that the parse uses as a verb (headlines: "Russian missiles
    pound Odesa", "fighters storm base"): it governs a subject or an object."""
    return token.pos_ in ("NOUN", "PROPN") and (
        any(c.dep_ in ("nsubj", "dobj", "nsubjpass") for c in token.children)
        or syntax.headline_verb(token)
    )


#: What a state withdraws from without moving troops: "pulled out of the deal".
_AGREEMENTS = frozenset(
    """deal agreement treaty accord pact talks negotiation initiative programme program
    ceasefire truce arrangement framework convention coalition alliance membership court
    council organisation organization mission election race""".split()
)


def _leaves_an_agreement(token):
    """A withdrawal whose object or "from"/"out of" object is an agreement or a body."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if not any(s.event_type == "movement" for s in senses().get((lemma_of(token), "VERB"), ())):
        return False
    objs = [o for _, o in syntax.prep_objects(token, ("from", "of", "out of"))]
    obj = syntax.direct_object(token)
    if obj is not None:
        objs.append(obj)
    for child in token.children:  # "pulled out of X": "of" hangs on the particle
        if child.dep_ in ("prt", "advmod", "prep") and child.lower_ == "out":
            objs.extend(o for _, o in syntax.prep_objects(child, ("of",)))
    return any(o.lemma_.lower() in _AGREEMENTS for o in objs)


def _attributive(token):
    """A participle before people (not counted) or a place, with no word of its own, in a
    clause about something else ("hand over captured soldiers", "shelled X from the occupied
    bank"): what they are, not a report; a headline that is only the phrase ("Wounded
    soldiers in Sumy") still reports."""
    return (
        token.dep_ == "amod"
        and token.i < token.head.i
        and token.tag_ in ("VBN", "VBD", "JJ")
        and (
            not any(True for _ in token.children)
            # "the Russian-occupied port of X": only its hyphenated agent
            or (token.i > 0 and token.nbor(-1).text == "-"
                and all(c.i < token.i for c in token.children))
        )
        and token.head.dep_ != "ROOT"
        and (
            # "videos of two captured soldiers" still tells how many were captured
            (syntax.is_people(token.head)
             and not any(c.dep_ == "nummod" for c in token.head.children))
            or token.head.lemma_.lower() in PLACE_NOUNS
        )
    )  # fmt: skip


def _verbal_adjective(token):
    """A past form the tagger took for an adjective though it governs a subject or an
    object ("UAF liberated Kodema, ...": ``liberated`` as ``amod``)."""
    return (
        token.pos_ == "ADJ"
        and token.lower_.endswith("ed")
        and any(c.dep_ in ("nsubj", "dobj", "nsubjpass") for c in token.children)
    )


def _ed_stems(word):
    """Return the verb lemmas a past form can have: liberated, attacked, shelled, stopped,
    carried."""
    stem = word[:-2]
    out = [word[:-1], stem]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        out.append(stem[:-1])
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    return out


def _tally(token):
    """An adjective of a count of people: "28 dead", "leaves 3 dead, 12 injured"."""
    return token.pos_ == "ADJ" and any(c.dep_ == "nummod" and c.i < token.i for c in token.children)


def _sense_of(token, ctx):
    if token.pos_ == "ADJ":
        tries = [(token.lower_, "ADJ")] if _tally(token) else []
        tries += [(lemma, "VERB") for lemma in _ed_stems(token.lower_)]
        return _first_sense(tries, token, ctx)
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
    if pos == "PROPN":
        pos = "NOUN"
    lemma = lemma_of(token)
    tries = [(lemma, pos)]
    if pos == "NOUN" and _verb_like(token):
        tries.insert(0, (token.lower_, "VERB"))  # the noun tagger's lemma of "pounds" is off
        tries.insert(0, (lemma, "VERB"))
    if pos == "VERB" and token.tag_ == "VBG" and (
        token.dep_ in ("nsubj", "nsubjpass", "pobj") or _verbless_gerund(token)
    ):
        tries.append((token.lower_, "NOUN"))  # a gerund used as a noun: "Fighting forced ..."
    if syntax.gerund_misread(token):
        tries.append((token.lower_, "NOUN"))  # "Shelling damaged ...", tagged an auxiliary
    if pos == "VERB" and token.tag_ in ("VB", "VBP") and not senses().get((lemma, "VERB")):
        tries.append((token.lower_, "NOUN"))  # "Tatmadaw airstrike on ...": only a noun
    return _first_sense(tries, token, ctx)


def _verbless_gerund(token) -> bool:
    """A gerund that heads a note's verbless line ("Fighting between X and Y in Z on 3 May.")
    or that the parser hung on the noun just before it ("Ground fighting in Z"): the noun
    "fighting", not a verb without a subject."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in token.children):
        return False
    if token.dep_ == "ROOT":
        return True
    return token.dep_ == "acl" and token.head.i == token.i - 1 and token.head.dep_ == "ROOT"


def _first_sense(keys, token, ctx):
    """Return the first sense of the lexicon keys, in order, whose needs the parse meets."""
    for key in keys:
        for sense in senses().get(key, ()):
            if all(any(_holds(alt, token, ctx) for alt in group) for group in sense.needs):
                return sense
    return None


_SPANS = frozenset("day days week weeks month months year years decade decades".split())


def _ongoing(token) -> bool:
    """A process, not an event: "have been advancing for months", "has been shelling the
    town for weeks", "has continued its offensive for months" (a perfect over a stretch of
    time)."""
    progressive = token.tag_ == "VBG" and any(c.lower_ == "been" for c in token.children)
    perfect = token.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in token.children
    )
    if not (progressive or perfect):
        return False
    return any(prep == "for" and obj.lower_ in _SPANS for prep, obj in syntax.prep_objects(token))


def _past(verb) -> bool:
    """Return whether a clause's verb tells a past event ("shelled", "had shelled")."""
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass")
        and c.lemma_.lower() in ("have", "be")
        and c.tag_ in ("VBD", "VBZ", "VBP")
        for c in verb.children
    )


def _outside_modal(chain, i) -> bool:
    """Whether the modal of ``chain[i]`` leaves the trigger below it as told: a modal
    perfect weighs a past cause or effect, not whether the event it is said of happened
    ("the explosion may have been caused by a bomb")."""
    if i == 0:
        return False
    below, verb = chain[i - 1], chain[i]
    return below.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" and c.tag_ == "VB" for c in verb.children
    )


def _past_clause(verb) -> bool:
    """Whether an adverbial clause tells a past event ("as 100 fighters were killed",
    "after it was shelled", "when rebels had fled"; not "once the town is liberated"):
    what the verb it hangs on wants, fears or may do does not reach back to it ("the battle
    might boast the highest toll, as 100 fighters were killed"; "demanded access to the
    wounded after the town was shelled")."""
    return verb.dep_ == "advcl" and (
        verb.tag_ == "VBD"
        or any(
            c.dep_ in ("aux", "auxpass") and (c.tag_ == "VBD" or c.lemma_.lower() == "have")
            for c in verb.children
        )
    )


#: After a toll's noun, words that say no toll is known ("Casualties unknown", "Fatalities:
#: unk.", "Casualties: not reported", "Fatalities: none").
_NOT_KNOWN = re.compile(
    r"\s*[:\-–—]?\s*(?:unknown|unk\b|unconfirmed|not\s+(?:known|reported|available|"
    r"confirmed|yet\s+known)|none\b|nil\b|n/?a\b|no\s+(?:data|information|info)\b)",
    re.IGNORECASE,
)


#: Words that open a question ("Who shelled the school?", "How many were killed?").
_WH_WORDS = frozenset("who whom whose what which when where why how".split())


def _asks(sent) -> bool:
    """Return whether a sentence that ends in "?" asks something.

    A question opens with a wh-word or puts its auxiliary before the subject ("Was the
    bridge hit?", "Did troops enter Romny?", "Could Lubny fall?"). A coder's statement with
    a question mark after a doubtful name ("Gunmen burned houses in Zelena? [unverified]")
    keeps its subject first: it reports the event with a doubt, it does not ask.
    """
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    if not words:
        return False
    first = words[0]
    if first.lower_ in _WH_WORDS:
        return True
    return first.pos_ == "AUX" or first.tag_ == "MD"


def is_unreal(token) -> bool:
    """Return whether the event a trigger names is not reported as having happened.

    Negated ("did not attack", "no casualties", "without a fight"), modal or future ("could
    strike", "will deploy"), conditional ("if they capture"), a question, an intention, threat,
    plan or denial ("vowed to retake", "denied shelling"), habitual ("often shell"), or a figurative
    capture ("captured on video", "the footage captures").
    """
    sent = syntax.sentence_of(token)
    if sent.text.rstrip().endswith("?") and _asks(sent):
        return True
    if token.dep_ in ("pcomp", "pobj") and token.head.lower_ == "without":
        return True  # "crossed the river without firing a shot", "... without a fight"
    if token.pos_ == "NOUN" and _NOT_KNOWN.match(syntax.text_of(token.doc), token.idx + len(token)):
        return True  # a coder's "Casualties unknown.", "Fatalities: n/a": no toll told
    chain = [token]
    current = token
    while current.head != current and len(chain) < 6:
        if current.dep_ in ("ccomp", "parataxis", "advcl") and (
            current.head.lemma_.lower() in _REPORTING
        ):
            break  # reported speech: "X said forces shelled Y" is a report of the shelling
        if syntax.independent_clause(current):
            break  # "troops entered X; however, this was not confirmed": a clause of its own
        if _past_clause(current):
            break  # "... might boast the highest toll, as 100 fighters were killed"
        if syntax.across_fields(token, current.head):
            break  # "X -- 2 killed -- officials fear more": another field of a log line
        current = current.head
        chain.append(current)
    if _purpose(token) or _generic_claim(token):
        return True
    helper = token.head
    if (token.dep_ in ("ccomp", "xcomp") and helper.lemma_.lower() == "help"
            and _infinitive(helper) and helper.dep_ in ("advcl", "xcomp", "relcl")):  # fmt: skip
        return True  # "sent troops to help Moscow push Ukraine out": what the help was for
    for i, tok in enumerate(chain):
        for child in tok.children:
            lower = child.lower_
            if child.dep_ == "neg" and (i == 0 or tok.pos_ in ("VERB", "AUX")):
                if i == 0 or chain[i - 1].dep_ in ("xcomp", "dobj", "nsubjpass", "ccomp"):
                    return True
            if (
                child.dep_ == "det"
                and lower == "no"
                and (
                    i == 0
                    or (i <= 2 and all(t.dep_ in ("pobj", "pcomp", "prep") for t in chain[:i]))
                    or (i == 1 and chain[0].dep_ == "conj" and token.pos_ == "NOUN")
                )
            ):
                # "no casualties", "no reports of shelling", "no strikes or explosions" (not
                # a clause beside)
                return True
            reach = 2 if token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("acl", "amod") else 1
            if child.dep_ in ("aux",) and lower in _MODALS and i <= reach:
                if not (lower in ("could", "can", "ca") and tok.lemma_.lower() == "confirm"
                        or _outside_modal(chain, i)):  # fmt: skip
                    return True
            if child.dep_ == "mark" and lower in _CONDITIONAL_MARKS and i <= 2:
                return True
            if child.dep_ == "advmod" and lower in _HABITUAL and i == 0:
                return True
            if i == 0 and _ongoing(tok):
                return True
        if i == 0:
            continue
        prev = chain[i - 1]
        lemma = tok.lemma_.lower()
        if lemma in _UNSAID and any(c.dep_ == "neg" for c in tok.children):
            return True  # "did not comment on casualties", "gave no details of the attack"
        # (also through a preposition of aim: "the offensive is aimed at capturing X",
        # "called for storming Y"; not one of time: "talks were suspended after the shelling")
        aim = prev.dep_ == "prep" and prev.lower_ in _AIM_PREPS
        if (
            aim or prev.dep_ in ("xcomp", "ccomp", "pobj", "dobj", "acl", "nsubj", "compound")
        ) and (lemma in _IRREALIS_GOVERNORS):
            if lemma == "warn" and prev.dep_ == "ccomp" and _past(prev):
                break  # "warned that forces had shelled X", "X was shelled, officials warned"
            if lemma == "fail" and prev.dep_ == "nsubj":
                break  # "the attack failed", "the attempt to storm X failed": it took place
            return True
        if (
            prev.dep_ == "xcomp"
            and lemma == "be"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in prev.children)
        ):
            return True  # "troops are to withdraw within 60 days": an obligation to come
        if prev.dep_ == "xcomp" and lemma in _ATTEMPTS:
            return token.lemma_.lower() not in ("attack", "storm", "assault", "break", "raid")
            # (an armed attempt to take or enter a place is fighting there: ``_fought_for``)
    # "in case of an attack", "ahead of the offensive", "to prevent a capture"
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        words = (token.head.head.lower_, token.head.lower_)
        if words in _PROSPECTIVE or (token.head.head.lemma_.lower(), words[1]) in _PROSPECTIVE:
            return True
    # figurative captures: on video / the footage captures
    lemma = token.lemma_.lower()
    if lemma in ("capture", "catch", "record"):
        if any(obj.lemma_.lower() in REPORT_NOUNS for _, obj in syntax.prep_objects(token)):
            return True
        subj = syntax.subject(token)
        if subj is not None and subj.lemma_.lower() in REPORT_NOUNS:
            return True
        obj = syntax.direct_object(token)
        if obj is not None and obj.lemma_.lower() in REPORT_NOUNS:
            return True
    return False


def is_prospective(token) -> bool:
    """Return whether a word (a date, say) belongs to a clause about what is to come: its
    verb has a modal ("would leave the town by May 1") or is an infinitive ("plans to
    leave by Friday")."""
    for anc in [token, *token.ancestors]:
        if anc.pos_ in ("VERB", "AUX"):
            return _infinitive(anc) or any(
                c.dep_ == "aux" and c.lower_ in _MODALS for c in anc.children
            )
    return False


def _infinitive(verb) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _purpose(token) -> bool:
    """What something is for, not what it did: "rockets built to pierce armour",
    "drones built to strike tanks", "troops trained to storm trenches" (an infinitive of
    purpose under a verb of making, supplying or preparing; "used drones to hit a depot" and
    "sent to reinforce" do report the act)."""
    verb = token
    if token.pos_ == "NOUN" and token.dep_ == "dobj":
        verb = token.head
    if verb.dep_ not in ("advcl", "relcl", "xcomp") or not _infinitive(verb):
        return False
    return verb.head.lemma_.lower() in _MAKING


def _fought_for(token, event_type) -> bool:
    """An armed attempt to take, enter or storm a place: "troops tried to enter X", "rebels
    are attempting to dislodge the garrison from Y", "the group's latest attempt to storm Z"
    is fighting there, whether it succeeded or not (an attempt to capture a person, or to
    flee, is still no report)."""
    if event_type not in ("front_line", "attack") and not (
        event_type == "movement" and lemma_of(token) == "enter"
    ):
        return False
    if not _infinitive(token):
        return False
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in _ATTEMPTS:
        return event_type != "attack"  # (an attack tried is one already: ``is_unreal``)
    return (
        token.dep_ == "acl" and token.head.pos_ == "NOUN" and token.head.lemma_.lower() in _ATTEMPTS
    )


def _attack_purpose(token) -> bool:
    """What an attack was launched for: "launched an offensive to recapture X", "an assault
    to retake Y" (fighting for the place, not yet a change of hands)."""
    if token.dep_ not in ("advcl", "xcomp", "acl") or not _infinitive(token):
        return False
    head = token.head.lemma_.lower()
    return head in _LAUNCHING or (token.head.pos_ == "NOUN" and head in _ASSAULTS)


#: Verbs that start an attack, and attack nouns: their purpose clause tells what the attack
#: was for ("launched an offensive to capture X", "an assault to retake Y").
_LAUNCHING = frozenset("launch begin start mount stage unleash".split())
_ASSAULTS = frozenset(
    "offensive counteroffensive assault attack operation push campaign bid attempt".split()
)
#: Verbs whose purpose clause tells what a thing or a unit is for ("designed to", "trained
#: to", "supplied to"), not an act that took place.
_MAKING = frozenset(
    "design build make develop produce manufacture modify adapt convert equip arm train "
    "supply deliver provide give buy purchase order acquire intend mean prepare".split()
)


#: Verbs that pass a report on (a denial or an acknowledgement is weighed by the irrealis
#: rules instead).
_REPORTING = SPEECH_VERBS - {"post", "deny", "acknowledge"}
#: Verbs of asserting a policy or habit ("insisting its gunners only hit depots").
_SPEECH_VERBS = frozenset("say claim insist maintain argue".split())


def _verb_read_as_noun(token) -> bool:
    """Whether a plural noun is a present-tense verb the tagger misread ("the air force
    targets only positions": "targets" with a subject and a direct object of its own)."""
    return (
        token.tag_ == "NNS"
        and token.lower_.endswith("s")
        and any(c.dep_ == "nsubj" for c in token.children)
        and any(c.dep_ == "dobj" for c in token.children)
    )


def _generic_claim(token) -> bool:
    """What a side says it does, not what it did: "insisting its gunners only hit depots",
    "the army said it strikes only fighters" (a simple present after a past
    statement; a headline's "Army says it captures village" keeps its present speech verb)."""
    if token.dep_ != "ccomp" or not (token.tag_ in ("VBP", "VBZ") or _verb_read_as_noun(token)):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return False
    head = token.head
    return head.lemma_.lower() in _SPEECH_VERBS and head.tag_ in ("VBD", "VBG", "VBN")


def is_background(token) -> bool:
    """Return whether a trigger tells an event only as the background of the sentence's own
    report: in a relative clause ("Avdiivka, which Russia captured in February"), a "since"
    clause, a phrase "after/during/amid/following" a noun ("after weeks of fighting"), an
    occasion ("in retaliation for the attack"), or the object of a reaction ("condemned the
    strikes", "accused Kyiv of shelling")."""
    if token.lemma_.lower() in _STATES:
        return False  # "the region, which has been under Ukrainian control since August"
    if _describes_speaker(token):
        return True
    if token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("pcomp", "pobj"):
        # (a gerund the tagger calls a verb too: "after weeks of fighting")
        phrase = token
        while (phrase.dep_ in ("pobj", "pcomp") and phrase.head.lower_ == "of"
               and phrase.head.head.pos_ in ("NOUN", "NUM")):  # fmt: skip
            phrase = phrase.head.head  # "after weeks of fighting"
        if phrase.dep_ in ("pobj", "pcomp") and phrase.head.lower_ in _BACKGROUND_PREPS:
            return True
    current = came_from = token
    for _ in range(5):
        if current.head == current:
            break
        if (current.dep_ == "relcl" and current != token and came_from.dep_ == "ccomp"
                and current.lemma_.lower() in _REPORTING):  # fmt: skip
            break  # "the brigade, which said that a large force entered X": a report
        if _cleft(current):
            break  # "It was government troops who shelled X": the clause is the report
        if current.dep_ == "relcl" and not _infinitive(current) and not aims_attack(current):
            # ("the first time to strike X" is no relative clause of a past event)
            # "the village, where they clashed with ...": a new event at that place
            return not any(c.lower_ in ("where", "when") for c in current.children)
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("since", "until") for c in current.children
        ):
            return True
        head = current.head
        if syntax.across_fields(token, head):
            break  # a log line's field says no more than itself
        lemma = head.lemma_.lower()
        if lemma in _BACKGROUND_NOUNS and current.dep_ in ("prep", "pobj"):
            return True
        if lemma in _REACTIONS and head.pos_ in ("VERB", "NOUN"):
            return True
        if current != token and current.dep_ in ("ccomp", "advcl", "conj", "parataxis"):
            break
        came_from, current = current, head
    return False


def _cleft(verb) -> bool:
    """Whether a relative clause is the report of a cleft sentence ("It was government
    troops who shelled X", "It was they who took X"): the noun it hangs on is what "it was"
    points at, and the clause tells what they did."""
    noun = verb.head
    return (
        verb.dep_ == "relcl"
        and noun.dep_ == "attr"
        and noun.head.lemma_.lower() == "be"
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in noun.head.children)
    )


def _describes_speaker(token) -> bool:
    """Words that say who is speaking ("a gunner fighting in the east said ...", "residents
    fleeing the shelling told reporters ...") tell no event of their own."""
    current = token
    while current.head != current:
        if (current.dep_ == "nsubj" and current.head.lemma_.lower() in _SAYING
                and current in syntax.speakers(current.head)):  # fmt: skip
            # ("a medic fighting near X said": the tagger may make the participle the noun)
            return current != token or any(
                c.dep_ == "compound" and syntax.is_people(c) for c in token.children
            )
        if (
            current != token
            and current.pos_ in ("VERB", "AUX")
            and current.dep_ not in ("acl", "relcl")
        ):
            return False  # (a participle or relative clause is still the speaker's phrase)
        current = current.head
    return False


_SAYING = frozenset("say tell recall describe explain add".split())


def is_scene(token) -> bool:
    """Return whether a background trigger names one event that sets the scene ("after a
    drone attack", "during an air raid"), not a stretch of war ("after weeks of shelling")
    nor a past event told in a clause, nor the event a "since" counts from ("quiet since the
    fall of X": a time named by an event known to the reader)."""
    if token.head.lower_ == "since" and any(c.lower_ == "the" for c in token.children):
        return False
    return token.dep_ in ("pobj", "pcomp") and token.head.lower_ in _BACKGROUND_PREPS


_ANAPHORIC_DETS = frozenset("the this that these those both such".split())
# verbs that tell where or when the event itself took place ("the attack happened in X")
_LOCATING = frozenset("happen occur take unfold erupt break begin start".split())


def is_bare_definite(token) -> bool:
    """Whether a noun is definite with nothing of its own ("the attack", "these strikes"; not
    "the attack on X", "the first strike", "Sunday's raid"): it names an event the reader
    already knows."""
    if not any(c.dep_ in ("det", "predet") and c.lower_ in _ANAPHORIC_DETS
               for c in token.children):  # fmt: skip
        return False
    own = ("prep", "compound", "amod", "poss", "nummod", "acl", "relcl", "appos")
    return not any(c.dep_ in own for c in token.children)


def is_anaphor(token, trigger_tokens=frozenset()) -> bool:
    """Return whether a noun trigger points back to an event already told ("The attack came
    days before a donor conference in Berlin", "Both strikes followed ..."): a definite subject
    with nothing of its own (no place, modifier, count or clause), whose verb is neither an
    event word nor one that locates the event ("the attack took place in X")."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if not is_bare_definite(token):
        return False
    verb = token.head
    return verb.i not in trigger_tokens and verb.lemma_.lower() not in _LOCATING


#: Nouns that name an event told before without saying what it was.
_EVENT_WORDS = frozenset("incident event episode".split())


def told_again(sent):
    """Return the subject of a sentence that only says where or when the event told before
    took place ("The incident occurred in X", "The event took place at night in the village
    of Y"; a definite noun that names no kind of event), else None."""
    for token in sent:
        if not (token.lemma_.lower() in _EVENT_WORDS and token.dep_ == "nsubj"
                and any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS
                        for c in token.children)):  # fmt: skip
            continue
        verb, lemma = token.head, token.head.lemma_.lower()
        if lemma in ("happen", "occur") or (
            lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "place" for c in verb.children)
        ):
            return None if is_unreal(verb) else token
    return None


#: Nouns of campaigns that last weeks or months: named alone ("its offensive in the east")
#: they are no event; launched or begun ("launched an offensive on Monday"), they are.
#: Subjects that make "struck" or "hit" a figure of speech ("disaster struck").
_MISFORTUNES = frozenset("disaster tragedy misfortune catastrophe calamity crisis".split())
_CAMPAIGNS = frozenset("offensive counteroffensive incursion invasion operation".split())
#: Words that make a campaign a military one ("the aerial campaign", not "the election
#: campaign").
_MILITARY_MODS = frozenset(
    "air aerial bombing military drone missile artillery shelling naval ground".split()
)


def find_triggers(sent, *, place_tokens=frozenset(), actor_lookup=None) -> list[Trigger]:
    """Return the event triggers of a parsed sentence (a spaCy ``Span``), in text order.

    Parameters
    ----------
    sent : spacy.tokens.Span
        One sentence of a parsed document.
    place_tokens : frozenset of int, optional
        Indices of the document's tokens that lie in place mentions.
    actor_lookup : callable, optional
        ``token -> actor name or None`` for named armed groups and states.
    """
    ctx = _Context(place_tokens, actor_lookup)
    found = []
    light_nouns = set()
    for token in sent:
        if token.pos_ not in ("VERB", "AUX", "NOUN", "PROPN") and not (
            _verbal_adjective(token) or _tally(token)
        ):
            continue
        if token.i in light_nouns:
            continue
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "compound":
            continue  # "casualty figures", "strike drones": a modifier names no event
        if token.lower_ in _NOMINAL and any(c.lower_ in ("the", "those") for c in token.children):
            continue  # "among the wounded", "the dead were buried": people, not an event
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in _CAMPAIGNS:
            continue  # "the offensive", "its incursion": a campaign, not a dated event
        if _attributive(token):
            continue  # "families of captured soldiers": a state of the soldiers, no report
        if _leaves_an_agreement(token):
            continue  # "Russia pulled out of the grain deal": no troops moved
        sense = _sense_of(token, ctx)
        if sense is None:
            continue
        subject = syntax.subject(token) if token.pos_ in ("VERB", "AUX") else None
        if (subject is not None and subject.lemma_.lower() in NONVIOLENT_CAUSES
                and subject.lemma_.lower() != "fire"  # "artillery fire wounded two"
                and not any(syntax.is_weapon(t) for t in subject.subtree)):  # fmt: skip
            continue  # "an earthquake struck the city", "floods hit the camp"
        if subject is not None and subject.lemma_.lower() in _MISFORTUNES:
            continue  # "tragedy struck the family when gunmen attacked": the attack is told
        trigger_token, head = token, token
        if any(alt.startswith("objlex=") for group in sense.needs for alt in group):
            obj = syntax.direct_object(token)  # "launched an attack": the noun names it
            noun_sense = _noun_sense(obj, {sense.event_type}, ctx, light=token)
            trigger_token = obj
            light_nouns.add(obj.i)
            sense = noun_sense or sense
        event_type = sense.event_type
        if _fought_for(token, event_type):  # "troops tried to enter X": fighting at X
            if not is_unreal(token.head):  # (not "said they would try to enter X")
                found.append(Trigger(trigger_token, head, sense, "attack", sense.mode))
            continue
        if is_unreal(token) or (trigger_token != token and is_unreal(trigger_token)):
            continue
        if event_type in ("capture", "front_line") and _attack_purpose(token):
            event_type = "attack"  # "launched an offensive to retake X": fighting for X
        found.append(Trigger(trigger_token, head, sense, event_type, sense.mode))
    found = _weapon_tolls(sent, found)
    # a noun trigger that is the object of a light verb found later keeps the verb's reading
    return [t for t in found if not (t.head == t.token and t.token.i in light_nouns)]


def _named_weapon(token) -> bool:
    """A weapon the sentence names as such: "mortar rounds", "Grad rockets", "sniper fire"
    (a fire or blaze only with a weapon's or a fighter's word before it)."""
    if token.pos_ not in ("NOUN", "PROPN") or not syntax.is_weapon(token):
        return False
    if token.lemma_.lower() in NONVIOLENT_CAUSES or token.lower_ in NONVIOLENT_CAUSES:
        return any(
            c.dep_ in ("compound", "amod") and (syntax.is_weapon(c) or syntax.is_armed(c))
            for c in token.children
        )
    return True


def _weapon_tolls(sent, found):
    """A toll in a sentence that names a weapon and no attack is the weapon's attack
    ("Mortar rounds, X camp; 5 injured", "Sniper fire in X, 1 x fatality"): casualty
    logs and headlines tell the strike by its weapon and the harm by its toll."""
    if not found or any(t.event_type == "attack" for t in found):
        return found
    if not any(t.event_type == "casualties" for t in found):
        return found
    if not any(_named_weapon(t) for t in sent):
        return found
    return [replace(t, event_type="attack") if t.event_type == "casualties" else t for t in found]
