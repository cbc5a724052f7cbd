"""Reading a trigger's arguments off spaCy's dependency parse.

Small functions over ``spacy.tokens.Token``: a trigger's subject, agent, objects and
modifiers, whether it is passive, which clause it is in, and what kind of thing a noun
phrase names (an armed actor, a weapon, people, a place, a target). Nothing here knows event
types; ``detect`` and ``arguments`` build on it.
"""

from __future__ import annotations

from geo.extract.lexicon import (
    ARMED_NOUNS,
    CIVILIAN_NOUNS,
    PART_NOUNS,
    PEOPLE_NOUNS,
    PERSONNEL_NOUNS,
    PLACE_NOUNS,
    TARGET_NOUNS,
    WEAPON_NOUNS,
)

__all__ = [
    "across_fields",
    "agent",
    "line_fields",
    "sentence_of",
    "token_starts",
    "text_of",
    "clause_head",
    "conjuncts",
    "direct_object",
    "gerund_misread",
    "governor",
    "independent_clause",
    "is_armed",
    "is_passive",
    "is_people",
    "is_place",
    "is_target",
    "is_weapon",
    "modifiers",
    "noun_phrase",
    "patients",
    "prep_objects",
    "subject",
]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CLAUSE_DEPS = ("ccomp", "advcl", "relcl", "xcomp", "acl", "conj", "parataxis", "ROOT")
#: Possessive pronouns that stand for people ("their capture").
_POSSESSED = frozenset("their his her my our your".split())
#: Pronouns that stand for people.
_PERSON_PRONOUNS = frozenset("him her them he she they us we me i".split())


def text_of(doc) -> str:
    """Return ``doc.text``, built once per document (``Doc.text`` joins every token anew)."""
    text = doc.user_data.get("conflictmap_text")
    if text is None:
        text = doc.user_data["conflictmap_text"] = doc.text
    return text


def token_starts(doc) -> list[int]:
    """Return the character offset of each token of ``doc``, in order (computed once)."""
    starts = doc.user_data.get("conflictmap_token_starts")
    if starts is None:
        starts = doc.user_data["conflictmap_token_starts"] = doc.to_array("IDX").tolist()
    return starts


def sentence_of(token):
    """Return the sentence (a ``Span``) holding ``token``.

    ``Token.sent`` walks the document's sentences on every call; this finds the sentence
    from boundaries computed once per document (kept in ``doc.user_data``).
    """
    doc = token.doc
    bounds = doc.user_data.get("conflictmap_sentences")
    if bounds is None:
        bounds = [(s.start, s.end) for s in doc.sents]
        doc.user_data["conflictmap_sentences"] = bounds
    lo, hi = 0, len(bounds) - 1
    while lo < hi:  # the last sentence starting at or before the token
        mid = (lo + hi + 1) // 2
        if bounds[mid][0] <= token.i:
            lo = mid
        else:
            hi = mid - 1
    start, end = bounds[lo]
    return doc[start:end]


def conjuncts(token):
    """Return ``token`` and the tokens coordinated with it ("Kharkiv and Odesa")."""
    return [token, *token.conjuncts]


#: Verbs that need an object: without one, a headline's "marines captured near X" is passive.
_TRANSITIVE = frozenset(
    "capture kill wound injure detain arrest abduct kidnap seize shell bomb hit strike "
    "target execute behead torch destroy damage".split()
)


def is_passive(token) -> bool:
    """Return whether a verb is passive ("was shelled", "attacked by", "hit in X")."""
    if any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in token.children):
        return True
    objects = ("dobj", "obj", "ccomp", "xcomp")
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    nothing_after = following is None or following.pos_ in ("ADP", "PUNCT", "CCONJ", "ADV")
    if (token.tag_ in ("VBD", "VBN") and token.lemma_.lower() in _TRANSITIVE and nothing_after
            and not any(c.dep_ in objects for c in token.children)):  # fmt: skip
        subj = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if (
            subj is not None
            and not is_weapon(subj)
            and (is_people(subj) or is_armed(subj) or subj.lemma_.lower() in TARGET_NOUNS)
        ):
            return True  # headline ellipsis: "Twelve marines [were] captured near Krynky"
    # a participle modifying a noun ("a convoy attacked near X", "Apartment block hit")
    return (
        token.tag_ == "VBN"
        and token.dep_ in ("acl", "amod", "ROOT")
        and not any(c.dep_ == "nsubj" for c in token.children)
    )


#: Words that count or group what follows "of": "thousands of protesters", "a group of men",
#: "a convoy of tanks", "loads of fighters".
_QUANTITIES = frozenset(
    "thousand hundred dozen score million group number lot crowd band unit column "
    "contingent squad handful couple pair few many some load convoy".split()
)


def _of_head(token):
    """Return what a quantity counts ("thousands of protesters" → protesters), or token."""
    if token.lemma_.lower() in _QUANTITIES or token.pos_ == "NUM":
        for _, obj in prep_objects(token, ("of",)):
            return obj
    return token


_AUXILIARIES = frozenset("be have do get will shall may might can could would should must".split())


def gerund_misread(token) -> bool:
    """Whether an "auxiliary" is a gerund opening the sentence ("Shelling damaged ...")."""
    return (token.dep_ == "aux" and token.lower_.endswith("ing")
            and token.lemma_.lower() not in _AUXILIARIES)  # fmt: skip


#: Adverbs that open a clause of its own after a semicolon ("...; however, X did not").
_LINKING_ADVERBS = frozenset("however meanwhile nevertheless nonetheless still yet".split())


def independent_clause(token) -> bool:
    """Whether a clause the parser hangs as the complement of a later verb is a sentence of
    its own: "Forces have entered X; however, this could not be verified" is parsed with the
    first clause as the object of "verified". A complement stands after its verb; one that
    comes before it, cut off by a semicolon or a linking adverb, is no complement."""
    if token.dep_ != "ccomp" or token.i > token.head.i:
        return False
    between = token.doc[token.right_edge.i + 1 : token.head.i]
    return any(
        t.text == ";" or (t.lower_ in _LINKING_ADVERBS and t.head == token.head) for t in between
    )


#: Verbs whose object does what their infinitive says ("forced residents to flee", "allowed
#: the convoy to leave"): the infinitive's subject is that object, not the verb's subject.
_OBJECT_CONTROL = frozenset(
    "force compel oblige drive cause prompt push lead allow permit enable let order tell ask "
    "urge persuade".split()
)


def subject(token):
    """Return the head of a verb's subject (through coordination: "X struck and killed").

    For a participle modifying a noun ("a convoy attacked"), the noun is returned; for a
    quantity ("thousands of protesters") what it counts.
    """
    subjects = [c for c in token.children if c.dep_ in _SUBJECTS] or [
        c for c in token.children if gerund_misread(c) and c.i < token.i
    ]  # "Shelling damaged a school": a gerund subject the parser took for an auxiliary
    if not subjects and headline_verb(token):  # "Kyiv fires missiles": the name before
        subjects = [c for c in token.children if c.dep_ in ("compound", "amod") and c.i < token.i]
    if subjects:
        # several subjects: a misparsed dateline ("KYIV, Ukraine (AP) — Russian forces
        # captured ..."); the one nearest the verb is the subject
        found = min(subjects, key=lambda c: abs(token.i - c.i))
        if found.tag_ == "WP" and token.dep_ == "relcl" and token.head.pos_ in ("NOUN", "PROPN"):
            # "battalions who had been deployed in X": the battalions ("that" and "which"
            # are left alone: the parser often hangs their clause on the wrong noun, "footage
            # captured by a drone that showed ...")
            found = token.head
        return _of_head(found)
    if token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX"):
        return subject(token.head)
    if token.dep_ in ("acl", "amod") and token.head.pos_ in ("NOUN", "PROPN"):
        return token.head
    if token.dep_ == "ROOT" and token.tag_ == "VBN":
        return None
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in _OBJECT_CONTROL:
        # "shelling forced thousands of residents to flee": who flees is the object
        obj = next((c for c in token.head.children if c.dep_ == "dobj" and c.i < token.i), None)
        if obj is not None:
            return _of_head(obj)
    if token.dep_ in ("xcomp", "advcl") and token.head.pos_ in ("VERB", "AUX"):
        return subject(token.head)  # "forces tried to storm", "killing two" after a strike
    if token.dep_ == "pcomp" and token.head.dep_ == "prep":
        verb = token.head.head  # "prisoners shared ... after being captured"
        if verb.pos_ in ("VERB", "AUX"):
            return subject(verb)
    return None


def agent(token):
    """Return who or what acts: the subject of an active verb, the "by" agent of a passive."""
    if is_passive(token):
        for child in token.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
        return None
    if token.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "nsubj" for c in token.children):
        return None  # a noun names its agent by its modifiers ("Russian shelling")
    return subject(token)


def _hyphenated(token):
    """Return the last word of a hyphenated noun that the parser split into objects of one
    verb ("launched a counter - offensive", "a surprise counter - offensive"), else
    ``token``."""
    doc = token.doc
    last = token
    for i in range(token.i + 1, min(token.i + 5, len(doc) - 1)):
        if (doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_
                and doc[i + 1].head == token.head and doc[i + 1].dep_ == token.dep_):  # fmt: skip
            last = doc[i + 1]
    return last


def direct_object(token):
    """Return the direct object of a verb (or its passive subject), else None."""
    for child in token.children:
        if child.dep_ in ("dobj", "obj"):
            return _hyphenated(child)
    if is_passive(token):
        subj = subject(token)
        if subj is not None:
            return subj
    for child in token.children:
        if child.dep_ in ("oprd", "attr") and child.pos_ in ("NOUN", "PROPN"):
            return child
    if headline_verb(token):
        return next(c for c in token.children if c.dep_ == "appos")
    return None


def headline_verb(token):
    """Whether a plural noun heading a headline is its verb ("Ukraine fires British
    missiles into Russia": the parser reads "Ukraine fires" as a noun and the object as
    its apposition)."""
    return (
        token.dep_ == "ROOT"
        and token.tag_ == "NNS"
        and any(
            c.dep_ in ("compound", "amod") and c.i < token.i and c.text[:1].isupper()
            for c in token.children
        )  # fmt: skip
        and any(c.dep_ == "appos" and c.i > token.i for c in token.children)
    )


def prep_objects(token, preps=None):
    """Yield ``(preposition lemma, object token)`` for the prepositional phrases of ``token``.

    ``preps`` restricts the prepositions (lower-case lemmas). Multi-word prepositions made
    of a preposition and a nested one ("on the outskirts of") give the inner object too.
    """
    for child in token.children:
        if child.dep_ not in ("prep", "agent", "dative"):
            continue
        word = child.lower_
        if preps is not None and word not in preps:
            continue
        for obj in child.children:
            if obj.dep_ == "pobj":
                for conj in conjuncts(obj):
                    yield word, conj


def modifiers(token):
    """Return the modifiers of a noun that can name its actor ("Russian", "RSF", "Israel's")."""
    return [c for c in token.children if c.dep_ in ("amod", "compound", "poss", "nmod")]


def patients(token):
    """Return what undergoes the event named by ``token`` (its object, "of"/"on" objects)."""
    out = []
    obj = direct_object(token)
    if obj is not None:
        out.extend(conjuncts(obj))
        if obj.lemma_.lower() in _PARTITIVES:  # "captured most of the territory"
            out.extend(o for _, o in prep_objects(obj, ("of",)))
    elif token.dep_ == "xcomp" and token.tag_ == "VBN" and is_passive(token.head):
        held = subject(token.head)  # "was found murdered", "were reported killed"
        if held is not None:
            out.extend(conjuncts(held))
    if token.pos_ in ("NOUN", "PROPN"):
        out.extend(obj for _, obj in prep_objects(token, ("of", "on", "against", "upon")))
        # "X, which is under Russian control": what is held is the verb's subject
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            verb = token.head.head
            if verb.pos_ in ("VERB", "AUX"):
                held = subject(verb)
                if held is not None and held.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                    held = verb.head
                if held is not None:
                    out.append(held)
        # "their capture", "his death": the possessor undergoes it
        out.extend(c for c in token.children if c.dep_ == "poss" and c.lower_ in _POSSESSED)
    else:
        out.extend(obj for _, obj in prep_objects(token, ("on", "upon", "against", "at")))
    return out


#: Words naming a share of what follows "of" ("all of the farms", "a number of points",
#: "more than 50 percent of the territory", "a third of the town").
_PARTITIVES = frozenset(
    "all most some many several much half part parts dozens scores number rest majority "
    "percent share third quarter side".split()
)


def governor(token):
    """Return the verb or noun a noun trigger is an argument of ("the attack killed" → killed)."""
    head = token.head
    while head.dep_ == "prep" or head.pos_ == "ADP":
        head = head.head
        if head == head.head:
            break
    return None if head == token else head


def clause_head(token):
    """Return the head of the clause ``token`` belongs to (a verb, or the sentence root)."""
    current = token
    while current.dep_ not in _CLAUSE_DEPS and current.head != current:
        current = current.head
    return current


def noun_phrase(token):
    """Return the ``(start, end)`` character span of the noun phrase headed by ``token``."""
    left = token
    for child in token.lefts:
        if child.dep_ in ("det", "amod", "compound", "nummod", "poss", "quantmod", "nmod"):
            left = child if child.i < left.i else left
            for grand in child.subtree:
                if grand.i < left.i:
                    left = grand
            break
    return left.idx, token.idx + len(token)


def _lemma(token):
    return token.lemma_.lower()


def is_weapon(token) -> bool:
    """Return whether a noun names a weapon, a munition or a strike ("missile", "shelling")."""
    if _lemma(token) in WEAPON_NOUNS or token.lower_ in WEAPON_NOUNS:
        return True
    # "- Rockets landed near X": after a dash the tagger may read a capitalised plural as a name
    return token.tag_ == "NNP" and token.lower_.endswith("s") and token.lower_[:-1] in WEAPON_NOUNS


def is_armed(token, actor_lookup=None) -> bool:
    """Return whether a noun phrase names an armed actor or a weapon.

    ``actor_lookup`` (a callable taking the token) recognises named groups ("RSF", "Hamas")
    and countries acting as states ("Russia launched ..."); without it only nouns count.
    """
    if token is None:
        return False
    lemma = _lemma(token)
    if lemma in ARMED_NOUNS or token.lower_ in ARMED_NOUNS or is_weapon(token):
        return True
    if token.ent_type_ == "NORP" and token.tag_ in ("NNPS", "NNS"):
        return True  # "Russians shelled", "the Israelis"
    if actor_lookup is not None and actor_lookup(token) is not None:
        return True
    return False


def is_people(token) -> bool:
    """Return whether a noun phrase names people (civilians, soldiers, "him", "two")."""
    if token is None:
        return False
    lemma = _lemma(token)
    if lemma in PEOPLE_NOUNS or token.lower_ in PEOPLE_NOUNS or lemma in CIVILIAN_NOUNS:
        return True
    if lemma in PERSONNEL_NOUNS or token.lower_ in PERSONNEL_NOUNS:
        return True
    if token.lower_ in _PERSON_PRONOUNS or token.lower_ in _POSSESSED:
        return True
    if token.ent_type_ == "PERSON":
        return True
    if token.ent_type_ == "NORP" and token.tag_ in ("NNPS", "NNS"):
        return True  # "two Ukrainians"
    if token.pos_ == "NUM" and token.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj"):
        return True  # "killed two", "12 were wounded"
    if lemma in ("thousand", "hundred", "dozen", "crowd", "million", "score"):
        return True  # "thousands took to the streets"
    if token.pos_ == "NOUN" and any(
        (c.dep_ == "appos" and c.ent_type_ == "PERSON")
        or (c.dep_ == "amod" and c.lower_ == "old" and any(g.lower_ == "year" for g in c.subtree))
        for c in token.children
    ):
        return True  # "a painter, X Y, was found murdered", "a 28-year-old painter"
    return False


def is_place(token, place_tokens=frozenset()) -> bool:
    """Return whether a noun phrase names a place: a resolved mention or a settlement noun.

    ``place_tokens`` holds the indices of tokens inside place mentions of the document.
    """
    if token is None:
        return False
    if token.i in place_tokens:
        return True
    if token.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    if _lemma(token) in PART_NOUNS:
        # "X town centre", "the X outskirts": the part of a named place
        return any(c.dep_ == "compound" and is_place(c, place_tokens) for c in token.children)
    return _lemma(token) in PLACE_NOUNS



def is_target(token, place_tokens=frozenset(), actor_lookup=None) -> bool:
    """Return whether a noun phrase names something struck: a place, people, a building..."""
    if token is None:
        return False
    return (
        _lemma(token) in TARGET_NOUNS
        or is_place(token, place_tokens)
        or is_people(token)
        or is_armed(token, actor_lookup)
    )


def speakers(verb):
    """Return the subjects of a speech verb that name who speaks. A sentence ending in
    "..., police said" may be parsed with two subjects, the report's and the speaker's: the
    speaker is then the one next to the verb, the other what was said."""
    found = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
    if len(found) > 1:
        found = [min(found, key=lambda c: abs(c.i - verb.i))]
    return found


#: The marks that part the fields of a log line ("X | 3 May | drone | 2 killed", "X -- 3 May
#: -- shelling", "X; 3 May; drone", "X / 3 May / drone", "LOCATION: X"); a hyphen or a slash
#: only with spaces on both sides (not "Rostov-on-Don", "1/2").
_FIELD_MARKS = frozenset("| / ; : -- — – -".split())
#: A log line has at least this many fields.
LINE_FIELDS = 3


def is_field_mark(tok) -> bool:
    """Whether a token parts two fields of a log line (``_FIELD_MARKS``; a hyphen or a slash
    only with spaces on both sides)."""
    if tok.text not in _FIELD_MARKS:
        return False
    if tok.text not in ("-", "/"):
        return True
    return bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)


def line_fields(doc):
    """Return the fields of a one-line log text as lists of tokens (its sentences parted
    further at field marks, and a field with no finite verb at its commas), or [] when the
    text has a line break or fewer than ``LINE_FIELDS`` fields (before the commas)."""
    cached = doc.user_data.get("line_fields")
    if cached is None:
        cached = doc.user_data["line_fields"] = _line_fields(doc)
    return cached


def _line_fields(doc):
    if "\n" in text_of(doc).strip():
        return []
    fields, current = [], []
    for tok in doc:
        if is_field_mark(tok):
            if current:
                fields.append(current)
            current = []
            continue
        if not tok.is_space:
            current.append(tok)
        if tok.is_sent_end and current:
            fields.append(current)
            current = []
    if current:
        fields.append(current)
    if len(fields) < LINE_FIELDS:
        return []
    # a field with no verb lists its items with commas ("Car bomb, market, Lubny"): each is
    # a field of its own
    out = []
    for field in fields:
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in field):
            out.append(field)
            continue
        item = []
        for tok in field:
            if tok.text == ",":
                if item:
                    out.append(item)
                item = []
            else:
                item.append(tok)
        if item:
            out.append(item)
    return out


def across_fields(a, b) -> bool:
    """Whether tokens ``a`` and ``b`` lie in two fields of a log line ("X -- 4 shells fell on
    stalls -- each side accused the other"): the parser joins the fields into one tree,
    but each field is a statement of its own."""
    fields = line_fields(a.doc)
    if not fields:
        return False
    first = next((k for k, f in enumerate(fields) if f[0].i <= a.i <= f[-1].i), None)
    second = next((k for k, f in enumerate(fields) if f[0].i <= b.i <= f[-1].i), None)
    return first is not None and second is not None and first != second
