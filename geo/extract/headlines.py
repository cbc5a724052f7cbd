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
#: Marks that part the fields of a log line, which a headline does not use.
#: (a hyphen, slash or dash only with a space after it: not "18-month", "pro-Kyiv")
_LOG_MARKS = frozenset(";|–—") | {"-", "--", "/"}
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
        marks = [c for c in tok.children if c.dep_ in _NOUN_MARKS]
        if (marks and not _side_before(tok, marks)) or tok.doc[tok.i - 1].tag_ == "POS":
            continue  # "the strikes", "X's power station", "guided aerial bomb": a noun
        if tok.doc[tok.i + 1].lower_ in ("on", "against") and (found[0], "NOUN") in senses():
            continue  # "drone strike on a minibus": the noun of an attack, and its target
        if tok.doc[tok.i + 1].lower_ == "of":
            continue  # "an exchange of fire", "the capture of X": a noun
        before = tok.doc[tok.i - 1]
        gerund = before.tag_ == "VBG" and before.i == sent.start  # "Fighting rages in X"
        if before.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") and not (before.is_upper or gerund):
            continue
        yield tok, found[0], found[1]


def _side_before(tok, marks) -> bool:
    """Whether the only noun marks of ``tok`` are a possessor of the armed noun just before
    it ("Moldova's army withdraws": the parser hangs "Moldova's" on "withdraws")."""
    from geo.extract.syntax import is_armed

    before = tok.doc[tok.i - 1]
    return (
        all(m.dep_ == "poss" and m.i < before.i for m in marks)
        and before.dep_ == "compound"
        and before.head == tok
        and is_armed(before)
    )


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
    variant = _aligned(nlp(text), sent, tok)
    return variant if variant is not None and _clear_reading(variant, tok.i - sent.start) else None


def _aligned(variant, span, changed=None):
    """Return ``variant`` when its tokens are those of ``span`` (but the ``changed`` one)."""
    if len(variant) != len(span):
        return None
    for a, b in zip(span, variant, strict=True):
        if (changed is None or a.i != changed.i) and a.text != b.text:
            return None
    return variant


def _first_clause(sent):
    """Return the clause a two-part headline opens with, up to and with its first comma
    ("Rebels storm X, army units retreat"), and the rest; None when there is none."""
    if sent[-1].text in (".", "!", "?", ":", ";") or "\n" in sent.text.strip():
        return None  # a sentence of prose, not a headline
    if any(t.text in _LOG_MARKS and (t.text in ";|" or t.whitespace_) for t in sent):
        return None  # a log line's fields ("Drone hit, school, X - 2 killed; 3/5")
    comma = next((t for t in sent if t.text == ","), None)
    if comma is None or not sent.start + 2 < comma.i < sent.end - 2:
        return None
    return sent.doc[sent.start : comma.i + 1], sent.doc[comma.i + 1 : sent.end]


def _clause_readings(nlp, sent, verbs):
    """Return the readings of a two-part headline whose first part reads better with a
    headline verb ("Gunmen overrun X, scores feared dead": the parser makes the second
    part the sentence and the first its complement): the first part parsed with the verb in
    the past, the rest parsed as it stands, each a sentence of its own. [] when none."""
    parts = _first_clause(sent)
    if parts is None:
        return []
    head, rest = parts
    if _has_lexicon_verb(head, verbs):
        # "Rebel columns cross into X, ministry denies any breach": the parser hangs the first part
        # under the second's verb (here a denial); each part is a sentence of its own
        verb = next((t for t in head if t.lemma_.lower() in verbs and t.pos_ == "VERB"
                     and any(c.dep_ in _SUBJECT_DEPS for c in t.children)), None)  # fmt: skip
        if verb is None or not (rest.start <= verb.head.i < rest.end):
            return []
        if verb.nbor(1).lower_ == "of" or (
            verb.nbor(1).lower_ in ("on", "against") and (verb.lemma_.lower(), "NOUN") in senses()
        ):
            return []  # "Missile strike on a depot in X, ...", "an exchange of fire": a noun
        first = _aligned(nlp(head.text), head)
        tail = _aligned(nlp(rest.text), rest)
        if first is None or tail is None or not _clear_reading(first, verb.i - head.start):
            return []
        return [(head, None, None, None, first, None), (rest, None, None, None, tail, head)]
    for tok, lemma, third in _candidates(head, verbs):
        variant = _reading(nlp, head, tok, lemma)
        if variant is None:
            continue
        tail = _aligned(nlp(rest.text), rest)
        if tail is None:
            return []
        return [(head, tok, lemma, third, variant, None), (rest, None, None, None, tail, head)]
    return []


def reparse_headlines(doc, nlp=None):
    """Return ``doc``, or a new ``Doc`` of the same text in which each short sentence that
    reads better with a headline verb (see the module's docstring) has the second parse."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
    from spacy.tokens import Doc

    verbs = _verb_lemmas()
    readings = []
    for sent in doc.sents:
        if len(sent) > MAX_TOKENS:
            continue
        found = None
        if not _has_lexicon_verb(sent, verbs):
            for tok, lemma, third in _candidates(sent, verbs):
                if nlp is None:
                    from geo.common import nlp as _nlp

                    nlp = _nlp.load()
                variant = _reading(nlp, sent, tok, lemma)
                if variant is not None:
                    found = [(sent, tok, lemma, third, variant, None)]
                    break
        if found is None and _first_clause(sent) is not None:
            if nlp is None:
                from geo.common import nlp as _nlp

                nlp = _nlp.load()
            found = _clause_readings(nlp, sent, verbs)
        readings.extend(found or [])
    if not readings:
        return doc
    attrs = [TAG, POS, MORPH, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE]
    array = doc.to_array(attrs)
    for sent, _tok, _lemma, _third, variant, _head in readings:
        array[sent.start : sent.end] = variant.to_array(attrs)
    for sent, _tok, _lemma, _third, variant, head in readings:
        if head is not None:
            # the rest of a two-part headline hangs on the first part's verb: one sentence,
            # whose tolls join the first part's event ("X overrun Y, 20 killed")
            root = next(t.i for t in variant if t.dep_ == "ROOT") + sent.start
            first = next(k for k in range(head.start, head.end)
                         if _relative(array[k, attrs.index(HEAD)]) == 0)  # fmt: skip
            array[root, attrs.index(HEAD)] = _unsigned(first - root)
            array[root, attrs.index(DEP)] = doc.vocab.strings.add("parataxis")
    out = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(attrs, array)
    for _sent, tok, lemma, third, _variant, _head in readings:
        if tok is None:
            continue  # a part of a two-part headline parsed as it stands
        verb = out[tok.i]
        verb.tag_ = "VBZ" if third else "VBP"
        verb.pos_ = "VERB"
        verb.lemma_ = lemma
        verb.set_morph("Number=Sing|Person=3|Tense=Pres|VerbForm=Fin" if third
                       else "Tense=Pres|VerbForm=Fin")  # fmt: skip
    return out


def _relative(value) -> int:
    """A head offset as ``Doc.to_array`` stores it (unsigned), as a signed number."""
    value = int(value)
    return value - (1 << 64) if value >= 1 << 63 else value


def _unsigned(offset: int) -> int:
    """A signed head offset as ``Doc.from_array`` reads it."""
    return offset % (1 << 64)
