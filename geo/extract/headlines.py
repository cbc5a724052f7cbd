"""Headlinese: a second reading of a short sentence whose event verb the tagger took for a noun.

The small English model reads many headlines as one long noun phrase: in "Rebels storm
police post in Lubny" it tags "storm" as a noun (the subject of a verb it invents), in
"Militia overrun Pryluky" it makes "overrun" a proper name. Present-tense headline verbs
share their form with plural or singular nouns; past forms do not. So when a short sentence
holds a word whose form is a verb of the trigger lexicon but the parse does not use it as a
verb, the sentence is parsed again with that word put in the past ("Rebels stormed police
post in Lubny"). The second parse is kept only when it is a clear reading: the word is then
the sentence's main verb, with a subject before it and an object, particle or preposition
after it, and the rest of the sentence keeps its words. The original word stays in the text
and in the token (its lemma is the lexicon's, its tag a present verb); only the tags, the
parse and the entities of that sentence come from the second reading.

A sentence whose parse already has a lexicon verb with a subject ("Drone strike on X kills
30") is left as it is.
"""

from __future__ import annotations

from geo.extract.lexicon import senses

__all__ = ["reparse_headlines"]

#: Sentences longer than this (in tokens) are not headlines.
MAX_TOKENS = 24

#: Past forms that do not take "-ed".
_PAST = {
    "strike": "struck", "hit": "hit", "shoot": "shot", "overrun": "overran", "take": "took",
    "retake": "retook", "fight": "fought", "blow": "blew", "set": "set", "fall": "fell",
    "drive": "drove", "send": "sent", "hold": "held", "leave": "left", "bring": "brought",
    "withdraw": "withdrew", "overtake": "overtook", "beat": "beat", "run": "ran",
    "seize": "seized", "win": "won", "lose": "lost", "break": "broke", "begin": "began",
    "spread": "spread", "wound": "wounded", "shut": "shut", "cut": "cut", "put": "put",
}  # fmt: skip
_VOWELS = set("aeiou")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_FOLLOWERS = ("dobj", "prep", "prt", "dative", "advmod")
#: Dependents that only a noun takes: a determiner, a possessor, an adjective, a number.
_NOUN_MARKS = ("det", "poss", "amod", "nummod")


def _verb_lemmas():
    return {lemma for lemma, pos in senses() if pos == "VERB"}


def _past(lemma: str) -> str:
    """Return the simple past of a verb lemma (regular "-ed" unless listed)."""
    if lemma in _PAST:
        return _PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ied"
    if (len(lemma) <= 4 and lemma[-1] not in _VOWELS | set("wxy")
            and lemma[-2] in _VOWELS and lemma[-3:-2] and lemma[-3] not in _VOWELS):  # fmt: skip
        return lemma + lemma[-1] + "ed"  # "drop" -> "dropped", "stab" -> "stabbed"
    return lemma + "ed"


def _lemma_and_person(word: str, verbs) -> tuple[str, bool] | None:
    """Return ``(lemma, third person singular)`` when ``word`` is a present form of a lexicon
    verb ("shells" -> ("shell", True), "storm" -> ("storm", False)), else None."""
    word = word.lower()
    if word in verbs:
        return word, False
    if word.endswith("ies") and word[:-3] + "y" in verbs:
        return word[:-3] + "y", True
    if word.endswith("es") and word[:-2] in verbs and word[:-2][-1:] in ("s", "h", "x", "z"):
        return word[:-2], True
    if word.endswith("s") and word[:-1] in verbs:
        return word[:-1], True
    return None


def _has_lexicon_verb(sent, verbs) -> bool:
    """Whether the parse already reads a lexicon verb with a subject in ``sent``."""
    for tok in sent:
        if (
            tok.pos_ in ("VERB", "AUX")
            and tok.tag_.startswith("VB")
            and (tok.lemma_.lower() in verbs)
            and any(c.dep_ in _SUBJECT_DEPS for c in tok.children)
        ):
            return True
    return False


def _candidates(sent, verbs):
    """Yield ``(token, lemma, third person)`` for words of ``sent`` that may be its verb: a
    present form of a lexicon verb that the parse does not read as a verb, with words
    before and after it, no finite verb before it, and nothing that only a noun takes
    (a determiner, a possessor, an adjective, a number)."""
    for tok in sent:
        if tok.tag_ in ("VBD", "VBZ", "VBP", "MD") and tok.pos_ in ("VERB", "AUX"):
            return  # a finite verb comes first ("X repelled Y attacks near Z"): not headlinese
        if tok.i == sent.start or tok.i >= sent.end - 1 or tok.tag_.startswith("VB"):
            continue
        if not tok.is_alpha or tok.is_upper:
            continue  # "US", "RSF": a name, not a headline verb
        found = _lemma_and_person(tok.text, verbs)
        if found is None:
            continue
        if any(c.dep_ in _NOUN_MARKS for c in tok.children) or tok.doc[tok.i - 1].tag_ == "POS":
            continue  # "the strikes", "X's power station", "guided aerial bomb": a noun
        if tok.doc[tok.i + 1].lower_ in ("on", "against") and (found[0], "NOUN") in senses():
            continue  # "drone strike on a minibus": the noun of an attack, and its target
        before = tok.doc[tok.i - 1]
        if before.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") and not before.is_upper:
            continue
        yield tok, found[0], found[1]


def _clear_reading(variant, k) -> bool:
    """Whether token ``k`` of the variant parse is its main verb with a subject before it and
    a complement after it, in one sentence."""
    if len(list(variant.sents)) != 1:
        return False
    verb = variant[k]
    if verb.pos_ != "VERB" or verb.dep_ != "ROOT":
        return False
    subject = any(c.dep_ in _SUBJECT_DEPS and c.i < k for c in verb.children)
    follows = any(c.dep_ in _FOLLOWERS and c.i > k for c in verb.children)
    return subject and follows


def _reading(nlp, sent, tok, lemma):
    """Return the variant parse of ``sent`` with ``tok`` in the past, or None when it is not
    a clear reading or its tokens do not line up with the sentence's."""
    past = _past(lemma)
    if tok.text[:1].isupper():
        past = past[:1].upper() + past[1:]
    start = sent[0].idx
    text = (
        sent.doc.text[start : tok.idx]
        + past
        + sent.doc.text[tok.idx + len(tok.text) : sent[-1].idx + len(sent[-1])]
    )
    variant = nlp(text)
    if len(variant) != len(sent):
        return None
    k = tok.i - sent.start
    for a, b in zip(sent, variant, strict=True):
        if a.i != tok.i and a.text != b.text:
            return None
    return variant if _clear_reading(variant, k) else None


def reparse_headlines(doc, nlp=None):
    """Return ``doc``, or a new ``Doc`` of the same text in which each short sentence that
    reads better with a headline verb (see the module's docstring) has the second parse."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
    from spacy.tokens import Doc

    verbs = _verb_lemmas()
    readings = []
    for sent in doc.sents:
        if len(sent) > MAX_TOKENS or _has_lexicon_verb(sent, verbs):
            continue
        for tok, lemma, third in _candidates(sent, verbs):
            if nlp is None:
                from geo.common import nlp as _nlp

                nlp = _nlp.load()
            variant = _reading(nlp, sent, tok, lemma)
            if variant is not None:
                readings.append((sent, tok, lemma, third, variant))
                break
    if not readings:
        return doc
    attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE]
    array = doc.to_array(attrs)
    for sent, _tok, _lemma, _third, variant in readings:
        array[sent.start : sent.end] = variant.to_array(attrs)
    out = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(attrs, array)
    for _sent, tok, lemma, third, _variant in readings:
        verb = out[tok.i]
        verb.tag_ = "VBZ" if third else "VBP"
        verb.pos_ = "VERB"
        verb.lemma_ = lemma
        verb.set_morph("Number=Sing|Person=3|Tense=Pres|VerbForm=Fin" if third
                       else "Tense=Pres|VerbForm=Fin")  # fmt: skip
    return out
