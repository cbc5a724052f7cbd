"""Toponym candidates: the gazetteer scan checked against spaCy's entities and parse.

The scan (:func:`geo.geoparse.toponyms.scan`) finds every capitalised run of words the
gazetteer knows; the parse says what each is. A name that is part of a longer entity is not
a place of its own: a person ("Washington Irving"), an organisation ("University of
Vermont", "Kansas City Chiefs"), a facility ("Kursk Nuclear Power Plant") or a longer
place the gazetteer lacks ("North America": not "America"). A place entity the scan
missed is added when the gazetteer knows its name. Each span keeps the entity label that
names it exactly ("GPE", "PERSON"...) for the keep rules of
:func:`geo.geoparse.resolve.geoparse`, and a locative preposition read from the parse
when the words before it do not give one ("Sumy" in "in Kharkiv and Sumy").
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.gazetteer.normalize import fold, skeleton
from geo.geoparse.entities import PLACE_LABELS, SITE_AFTER
from geo.geoparse.matching import similarity
from geo.geoparse.toponyms import LOCATIVE, Span, scan

__all__ = ["detect"]

# Entities whose inner place names tell where a document is (not people's names: "Paris
# Hilton" says nothing of Paris).
_CONTEXT_LABELS = frozenset({"ORG", "FAC", "GPE", "LOC"})


def _without_full_stop(span, parse):
    """Return the span without a final "." the parse reads as the sentence's full stop
    ("in the UK." ends with "UK"; "U.S." keeps its dots)."""
    if not span.text.endswith(".") or len(span.text) < 2:
        return span
    last = parse.tokens(span.end - 1, span.end)
    if len(last) != 1 or last[0].text != ".":
        return span
    end = span.end - 1
    query = span.query[:-1] if span.query.endswith(".") else span.query
    wording_end = span.wording_end if span.wording_end > span.end else end
    return replace(span, end=end, text=span.text[:-1], query=query, wording_end=wording_end)


#: An Arabic article joined to a capitalised word right after a name: the name goes on
#: ("Ain al-Hadi", "Ras al-Ain", "Tal Al-‘Bzhyl"), and the gazetteer does not know the
#: whole of it.
_ARTICLE_AFTER = re.compile(
    r" (?:[Aa]l|[Ee]l|ad|ed|ar|er|as|es|ash|esh|at|et|az|ez|an|en|ul|ud)[-‑][‘’'`]?[A-Z]"
)


#: How alike (``geo.geoparse.matching.similarity``) an entity's name must be to a known name
#: of the same consonant skeleton to be a candidate ("Galgadud" for "Galguduud").
NEAR_SPELLING = 0.85


def _near_spelling(key, gazetteer):
    """Whether a name the parser calls a place is a known name spelt a little differently
    (a doubled letter, a vowel): a key of its consonant skeleton nearly equal to it, which is
    an area's name ("Galgadud" for "Galguduud")."""
    if len(key) < 5:
        return False
    for other in gazetteer.skeleton_keys(skeleton(key)):
        if similarity(key, other) < NEAR_SPELLING:
            continue
        # areas only: a town spelt differently is more often another, unknown village
        if any(p.feature_class == "A" for p in gazetteer.lookup(other)):
            return True
    return False


def _opens(parse, text, span):
    """Whether a span opens the organisation entity it lies in (after "the" at most)."""
    for ent in parse._overlapping(span.start, span.end):
        if ent.label == "ORG" and ent.start <= span.start and span.end < ent.end:
            return text[ent.start : span.start].strip().lower() in ("", "the")
    return False


def detect(text, gazetteer, parse):
    """Return the candidate place, demonym and abbreviation spans of a text, in text order.

    Parameters
    ----------
    text : str
        The text ``parse`` was made from.
    gazetteer : Gazetteer
        Names known (``has_key``) and the countries for demonyms.
    parse : ParseView
        The text's parse (:class:`geo.geoparse.entities.ParseView`).

    Returns
    -------
    spans : list of Span
        The candidates. ``label`` is the entity label naming the span exactly ("" when
        none does) and ``relation`` how the entities cover it ("exact", "overlap" or "").
    inner : list of Span
        Names inside an organisation's, a facility's or a longer place's name ("Pittsburgh"
        in "the Pittsburgh Steelers"): not mentions, but evidence of where the text is.
    """
    out = []
    inner = []
    for span in scan(text, gazetteer):
        span = _without_full_stop(span, parse)
        relation, label = parse.relation(span.start, span.end, span.wording_end)
        if relation == "inside" and SITE_AFTER.match(text, span.wording_end):
            relation, label = "", ""  # "a Pryluky school" read as one organisation's name
        if span.kind == "name" and _ARTICLE_AFTER.match(text, span.end):
            relation, label = "inside", "GPE"  # "the Ain al-Hadi camp": a longer name
        if relation == "inside" and label == "ORG" and _opens(parse, text, span):
            # The country or state an organisation's name opens with ("the U.S. Centers
            # for ...", "the X government"): a toponym annotators count, kept as a
            # mention that stands for an institution (never an event's place)
            out.append(replace(span, label="", relation="", leads=True))
            continue
        if relation == "inside" and span.kind != "demonym":
            # Part of a person's, an organisation's or a longer place's name: not a place
            # mention, but an organisation's place ("the Pittsburgh Steelers") tells where
            # the document is.
            if span.kind == "name" and label in _CONTEXT_LABELS:
                inner.append(replace(span, label=label, relation=relation))
            continue
        cue = span.cue
        if cue not in LOCATIVE:
            governing = parse.preposition(span.start, span.end)
            if governing in LOCATIVE:
                cue = governing
        out.append(replace(span, label=label if relation == "exact" else "", relation=relation,
                           cue=cue, verb=parse.verb(span.start, span.end)))  # fmt: skip
    for ent in parse.entities:
        if ent.label not in PLACE_LABELS or any(
            s.start < ent.end and ent.start < s.end for s in out
        ):
            continue
        name = text[ent.start : ent.end]
        key = fold(name)
        if name[:1].isupper() and (gazetteer.has_key(key) or _near_spelling(key, gazetteer)):
            before = text[max(0, ent.start - 40) : ent.start].split()
            out.append(
                Span(
                    ent.start,
                    ent.end,
                    name,
                    key,
                    name,
                    before=" ".join(before[-4:]).lower(),
                    cue=parse.preposition(ent.start, ent.end),
                    label=ent.label,
                    relation="exact",
                )  # fmt: skip
            )
    out.sort(key=lambda s: s.start)
    return out, inner
