"""Events of a text: each trigger with its type, place, date, actors and counts.

``find_events(text)`` parses the text (or takes its parse), geoparses it, finds the triggers
of each sentence (``detect``), links each to its place (``places``), date (``dating``),
actors and counts (``arguments``), and folds the reports of one event inside a sentence
(an attack and the deaths it caused) and across two sentences (a toll that follows its
attack) into one ``EventMention``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from geo.common import nlp
from geo.events.model import Count
from geo.extract import syntax
from geo.extract.actors import ActorNamer, state_forces, weapon_user
from geo.extract.arguments import counts_for, incident_counts, roles
from geo.extract.counts import NUMBERS_CONTEXT, find_counts
from geo.extract.dating import EventDate, event_date, is_history, sentence_dates
from geo.extract.detect import (
    Trigger,
    find_triggers,
    is_anaphor,
    is_background,
    is_bare_definite,
    is_prospective,
    is_scene,
    told_again,
)
from geo.extract.lexicon import Sense
from geo.extract.news import article_news, is_civil_march, is_tally
from geo.extract.places import (
    DIRECTIONS,
    Candidate,
    chains,
    consequence_place,
    contains,
    cue_candidates,
    datelines,
    in_answer,
    in_label,
    is_location,
    line_place,
    link_place,
    name_goes_on,
    preposition,
    qualified_name,
    rank_places,
    threshold,
)
from geo.extract.temporal import Reference, find_dates
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.entities import PEOPLE_AFTER
from geo.geoparse.evidence import AGE_AFTER, VESSEL_BEFORE
from geo.geoparse.qualifiers import TOWN_PARTS
from geo.geoparse.ranking import distance_km

__all__ = ["EventMention", "find_events", "find_events_in"]

_NEAR = frozenset("near outside around off".split())
_SELF_DETONATION = frozenset("suicide self-detonation himself herself themselves".split())


@dataclass(frozen=True)
class EventMention:
    """One event as one sentence (or two) of a text reports it.

    Offsets are ``str`` indices into the text: ``trigger`` the word that reports it,
    ``quote`` the sentence(s) quoted as evidence, ``place_span`` the place's name (None when
    the sentence names no place for it). ``date_basis`` says where the date came from:
    "stated" in the sentence, "inherited" from the sentence it continues, or "report" (the
    publication day). ``unreported`` holds why an event was found but left out (a history
    aside, a detail or a summary of an article's story: ``news``; no date) — such mentions
    are only returned with ``keep_all=True``.
    """

    event_type: str
    trigger: tuple[int, int]
    quote: tuple[int, int]
    place: object = None
    place_span: tuple[int, int] | None = None
    place_basis: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    date_basis: str | None = None
    date_text: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    target: str | None = None
    counts: tuple = ()
    mode: str | None = None
    score: float | None = None
    mention: object = None
    tags: tuple = field(default=())
    unreported: str | None = None
    near: bool = False
    #: the place is a name the gazetteer does not know, at the coordinates of a place named
    #: outside the trigger's own phrase ("launched an offensive in X, targeting Y")
    lent: bool = False

    @property
    def place_text(self):
        return self.mention.text if self.mention is not None else None


def _countries(doc, mentions):
    """Return ``{token index: (code, name)}`` for country names and country adjectives."""
    out = {}
    for m in mentions:
        place = m.place
        if place is None or not (
            m.role == "actor" or place.feature_code in COUNTRY_CODES or place.feature_code == "PPLC"
        ):
            continue  # a country, its adjective, or its capital standing for its government
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        name = place.name
        if place.feature_code == "PPLC":
            from geo.gazetteer.lookup import Gazetteer

            country = Gazetteer.default().country(place.country_code)
            if country is None:
                continue
            name = country.name
        for tok in span:
            out[tok.i] = (place.country_code, name)
    return out


def _candidates(doc, mentions, text, skip, metonymic, namer=None):
    """Return the place candidates of each sentence: ``{sentence start: [Candidate]}``.

    ``skip`` lists spans (datelines) whose places are never event places; ``namer`` (an
    ``ActorNamer``) tells armed groups, which are no places even when the entity recogniser
    calls them one ("Jabhat X members were killed") or their name ends in one.
    """
    per_sent: dict[int, list[Candidate]] = {}
    taken, not_places, actors = set(), set(), set()

    def skipped(start, end):
        return any(a <= start < b for a, b in skip)

    capitals = list(_capitals(doc, mentions, skipped))
    for m in mentions:
        if skipped(m.start, m.end):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        if any(c.start <= m.start and m.end <= c.end for c in capitals):
            continue  # "Moldova's capital": the city, below
        if m.role == "actor":
            actors.update(range(span.start, span.end))
        if m.role != "location" or metonymic(m):
            # "Moscow said", "attacks on Russia's fleet", "the central Ukrainian city of
            # X": a government or a people, and no place the gazetteer does not know
            # (unless the recogniser's name goes on: "the <people> Mountains")
            not_places.update(range(span.start, span.end))
            continue
        taken.update(range(span.start, span.end))
        if namer is not None and namer.ends_name(span):
            continue  # "the Islamic State of Iraq and al-Sham": part of an armed group's name
        root = _root(span)
        cand = Candidate(m.start, m.end, root, m.place, m)
        per_sent.setdefault(syntax.sentence_of(root).start, []).append(cand)
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC") or skipped(ent.start_char, ent.end_char):
            continue
        if namer is not None and any(namer.named(t) for t in ent):
            continue
        if ent.root.lower_ in _NOT_PLACES or _INITIALS.fullmatch(ent.text):
            continue  # "the fast of Ramadan", "the F.B.I."
        if AGE_AFTER.match(text, ent.end_char):
            continue  # "X, 41, was shot": a person
        if VESSEL_BEFORE.search(text, max(0, ent.start_char - 40), ent.start_char):
            continue  # "the landing ship X": a ship
        if PEOPLE_AFTER.match(text, ent.end_char):
            continue  # "the X and Y tribesmen": peoples
        if any(i in taken for i in range(ent.start, ent.end)) or all(
            i in not_places or ent.doc[i].lower_ == "the" for i in range(ent.start, ent.end)
        ):
            continue
        last = name_goes_on(ent)  # "the village of Tal Al-X", the recogniser's "Tal"
        if last.i >= ent.end and any(i in taken for i in range(ent.end, last.i + 1)):
            last = ent[-1]
        taken.update(range(ent.start, last.i + 1))
        root = last if last.i >= ent.end else _root(ent)
        per_sent.setdefault(syntax.sentence_of(ent.root).start, []).append(
            Candidate(ent.start_char, last.idx + len(last), root)
        )
    if skip:  # the tokens that start inside a skipped span
        starts = syntax.token_starts(doc)
        for a, b in skip:
            taken.update(range(bisect_left(starts, a), bisect_left(starts, b)))
    for cand in capitals:
        taken.update(t.i for t in doc.char_span(cand.start, cand.end, alignment_mode="expand"))
        per_sent.setdefault(syntax.sentence_of(cand.head).start, []).append(cand)
    for token, m in _anaphoric_places(doc, mentions, taken, skipped, metonymic):
        taken.add(token.i)
        per_sent.setdefault(syntax.sentence_of(token).start, []).append(
            Candidate(token.idx, token.idx + len(token), token, m.place, m, anaphor=True)
        )
    for sent in doc.sents:
        found = cue_candidates(sent, taken, actors)
        if found:
            per_sent.setdefault(sent.start, []).extend(found)
    return per_sent


def _root(span):
    """Return the head word of a name's span, past a leading article: in "the X Y area" the
    recogniser's "the X Y" hangs both "the" and "Y" on "area", and spaCy's root would be
    "the"."""
    k = 0
    while k < len(span) - 1 and span[k].dep_ == "det":
        k += 1
    return span[k:].root


#: Where "the capital" names a place: the object of a preposition or of the verb, or the
#: subject of a passive ("the Ukrainian capital was hit"); not "the capital said".
_CAPITAL_ROLES = frozenset("pobj dobj nsubjpass conj appos".split())


#: Words that make "capital" another city than the seat of government.
_OTHER_CAPITALS = frozenset(
    "industrial economic commercial cultural financial business provincial regional state "
    "district county spiritual religious former old ancient historic historical de facto "
    "administrative summer winter rebel second".split()
)


def _capitals(doc, mentions, skipped):
    """Yield a Candidate for each "capital" that names its country: "the Ukrainian capital",
    "Moldova's capital", "the capital of Moldova" are that country's capital city (the
    span runs from the country's name or adjective to "capital")."""
    countries = {}
    for m in mentions:
        if (m.place is not None and m.place.feature_code in COUNTRY_CODES
                and not skipped(m.start, m.end)):  # fmt: skip
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                countries[_root(span).i] = m
    if not countries:
        return
    from geo.gazetteer.lookup import Gazetteer

    for token in doc:
        if token.lemma_.lower() != "capital" or token.pos_ != "NOUN":
            continue
        if token.dep_ not in _CAPITAL_ROLES or any(
            (c.pos_ == "PROPN" and c.i not in countries) or c.dep_ == "appos"
            for c in token.children
        ):
            continue  # "the capital said"; "the capital Kyiv", "the capital, Kyiv": named
        if any(c.dep_ == "amod" and c.lemma_.lower() in _OTHER_CAPITALS for c in token.children):
            continue  # "Syria's industrial capital", "the provincial capital": another city
        whose = [countries[c.i] for c in token.children
                 if c.dep_ in ("amod", "poss", "compound") and c.i in countries]  # fmt: skip
        after = False
        if not whose:
            whose = [countries[o.i] for _, o in syntax.prep_objects(token, ("of",))
                     if o.i in countries]  # fmt: skip
            after = True
        if len(whose) != 1:
            continue
        m = whose[0]
        lo, hi = token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
        if any(o is not m and o.place is not None and lo <= o.start < hi
               and o.place.feature_code not in COUNTRY_CODES for o in mentions):  # fmt: skip
            continue  # "the Georgian capital of Tbilisi": named
        city = Gazetteer.default().capital(m.place.country_code)
        if city is None:
            continue
        start, end = (token.idx, m.end) if after else (m.start, token.idx + len(token))
        yield Candidate(start, end, token, city)


#: Words the entity recogniser sometimes takes for places: feasts and seasons.
_NOT_PLACES = frozenset("ramadan eid christmas easter passover hanukkah diwali lent".split())
#: Initials with full stops ("F.B.I."): an organisation, not a place.
_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")


#: Nouns that point back to a named town ("shells struck a hospital in the city").
_TOWN_NOUNS = frozenset("city town village camp".split())
#: The parts of a town a possessive names ("the city's X district", "its southern suburbs").
_TOWN_PART_NOUNS = frozenset(
    {p for w in TOWN_PARTS for p in (w, w + "s")} | {"outskirts", "centre", "center"}
)
#: How far back (characters) the named town may be.
ANAPHOR_REACH = 1500


def _anaphoric_places(doc, mentions, taken, skipped, metonymic=lambda m: False):
    """Yield ``(token, mention)`` for "the city", "the town", "the village" or "the camp"
    named as a location ("in the city", "near the village") with no name of its own: it is
    the last town the text named before it (within ``ANAPHOR_REACH`` characters); "the area"
    is the last place named, a town or a region (not a country)."""
    named = sorted((m for m in mentions if m.role == "location" and m.place is not None
                    and m.place.feature_code not in COUNTRY_CODES and not metonymic(m)
                    and not skipped(m.start, m.end)), key=lambda m: m.start)  # fmt: skip
    if not named:
        return
    # not a region that only says where the place before it is ("X in the Y region")
    text = syntax.text_of(doc)
    areas = [m for k, m in enumerate(named)
             if not (k and _QUALIFIER_GAP.fullmatch(text[named[k - 1].end : m.start]))]  # fmt: skip
    # (nor, for "the town", a district qualifying the town before it: "X, X raion, ...")
    towns = [m for m in areas
             if m.place.feature_class == "P" or m.place.feature_code in _TOWN_UNITS]  # fmt: skip
    for token in doc:
        if token.lower_ in _TOWN_NOUNS:
            pool = towns
        elif token.lower_ == "outskirts" and token.dep_ == "pobj" and token.head.lower_ in (
            "on", "to", "toward", "towards"
        ):  # fmt: skip
            pool = towns  # "fighting continues on the outskirts": the town's
        elif token.lower_ == "capital":
            # "residents of X reported explosions in the west of the capital": the national
            # capital named before it
            pool = [m for m in towns if m.place.feature_code == "PPLC"]
        elif token.lower_ == "area":
            pool = areas  # "in the area": the last place named, a town or a region
        else:
            continue
        if token.i in taken or skipped(token.idx, token.idx):
            continue
        whose_part = (
            token.dep_ == "poss"
            and token.lower_ in _TOWN_NOUNS
            and (token.head.lower_ in _TOWN_PART_NOUNS or _town_site(token.head))
        )  # "in the city's X district", "the town's northern suburbs": the town named before
        if not whose_part and (
            token.dep_ != "pobj"
            or not (
                token.head.lower_ in _LOCATIVE_WORDS
                or token.lower_ == "outskirts"
                # "withdrew from the city", "took control of the town", "the outskirts of the city"
                or token.head.lower_ == "from"
                or (token.head.lower_ == "of" and token.head.head.lemma_.lower() in _HELD_PARTS)
            )
        ):
            continue
        kids = list(token.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids) or any(
            c.pos_ == "PROPN" or c.dep_ in ("prep", "appos", "compound", "amod", "relcl", "acl")
            for c in kids
        ):
            continue  # "the city of Kharkiv", "the border town", "the town where ..."
        before = [m for m in pool if m.end <= token.idx and token.idx - m.end <= ANAPHOR_REACH]
        # a place the text introduced with the same noun ("the eastern town of X") before
        # one named in passing ("since the capture of Y last May")
        same = [m for m in before if _introduced_as(text, m, token.lower_)]
        if same or before:
            yield token, (same or before)[-1]
    yield from _sites_named_again(doc, named, taken, skipped)


def _town_site(head) -> bool:
    """Whether a town noun's possessor is a site of the town: "the city's railway station",
    "the town's grain depot" are in the town named before, as its districts are."""
    return head.lemma_.lower() in _SITE_NOUNS


def _introduced_as(text, mention, noun) -> bool:
    """Whether a place was introduced with ``noun`` ("the town of X", "the eastern town of
    X", "X town")."""
    head = text[max(0, mention.start - 40) : mention.start]
    return bool(
        re.search(rf"\b{noun}\s+of\s+$", head, re.IGNORECASE)
        or re.match(rf"\s+{noun}\b", text[mention.end : mention.end + len(noun) + 2], re.I)
    )


#: Sites that a text introduces with their place ("a military base in X") and names again
#: as "the base".
_SITE_NOUNS = frozenset(
    "base camp hospital market school post checkpoint depot airport airfield plant refinery "
    "bridge port prison compound barracks outpost station".split()
)


def _sites_named_again(doc, named, taken, skipped):
    """Yield ``(token, mention)`` for a site named again with "the" ("retook the base") after
    the text introduced it with its place ("stormed a base in X"): the place it was
    introduced with."""
    introduced = []  # (token index, lemma, mention)
    for m in named:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        site = root.head.head if root.dep_ == "pobj" else None
        if (site is not None and root.head.lower_ == "of" and site.norm_ in DIRECTIONS
                and site.dep_ in ("advmod", "amod", "npadvmod")):  # fmt: skip
            site = site.head  # "X camp, south of Y": the camp lies by Y
        if (site is not None and root.head.lower_ in ("in", "near", "at", "outside", "of")
                and site.lemma_.lower() in _SITE_NOUNS and site.i < root.i):  # fmt: skip
            introduced.append((site.i, site.lemma_.lower(), m))
    if not introduced:
        return
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma not in _SITE_NOUNS or token.i in taken or skipped(token.idx, token.idx):
            continue
        kids = list(token.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids) or any(
            c.pos_ == "PROPN" or c.dep_ in ("prep", "appos", "compound", "relcl", "acl")
            for c in kids
        ):
            continue  # "the base in X", "the X base": it names its own place
        before = [m for i, site, m in introduced if site == lemma and i < token.i
                  and token.idx - m.end <= ANAPHOR_REACH]  # fmt: skip
        if before:
            yield token, before[-1]


_LOCATIVE_WORDS = frozenset("in at near inside outside around into".split())
#: Nouns whose "of" object is a place held or reached ("control of the town", "the
#: outskirts of the city").
_HELD_PARTS = frozenset(
    "control outskirts centre center edge part parts side north south east west".split()
)
_QUALIFIER_GAP = re.compile(r"\s*(?:,|\(|in|in the|,\s*in the)\s*", re.IGNORECASE)
#: Units named after their town (GeoNames often has the district where news means the town).
_TOWN_UNITS = frozenset("ADM2 ADM3 ADM4".split())


def _self_detonation(trigger):
    words = {t.lower_ for t in trigger.token.subtree} | {t.lower_ for t in trigger.head.children}
    if trigger.token.lemma_.lower() == "bomber":
        return True
    return bool(words & _SELF_DETONATION) and trigger.event_type == "attack"


# a stated date this close to the report is the news the article tells (older: background)
NEWS_DAYS = 7


def _ends_paragraph(text, sent) -> bool:
    """Whether a line break follows the sentence (the parser may keep the break's
    whitespace in the sentence or leave it to the next one)."""
    i = sent.end_char
    while i > sent.start_char and text[i - 1].isspace():
        i -= 1
    j = sent.end_char
    while j < len(text) and text[j].isspace():
        j += 1
    return "\n" in text[i:j] or "\n" in text[sent.end_char : sent.end_char + 4]


def find_events_in(
    doc, mentions, *, published=None, metonymic=None, keep_all=False, gazetteer=None
):
    """Return the events of an already parsed and geoparsed text, in text order.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parse of the text.
    mentions : list of geo.geoparse.resolve.Mention
        Its place mentions (``geoparse``).
    published : date or Reference, optional
        The publication date relative dates resolve against; also the date of events
        whose sentence states none.
    metonymic : callable, optional
        ``mention -> bool``: places that stand for a government are never event places.
    keep_all : bool, default False
        Also return events left out (history asides, background), with ``unreported``
        set. Events that are only undated (no date stated, no ``published``) are always
        returned, with no dates and ``unreported="undated"``: ingestion counts them and
        does not store them.
    gazetteer : Gazetteer, optional
        Places the events of a long article that name no place of their own in the area
        the article is about (``article_area``); without it they stay unplaced.
    """
    text = syntax.text_of(doc)
    ref = published if isinstance(published, Reference) or published is None else (
        Reference.of(published)
    )  # fmt: skip
    # Without a publication date, relative dates ("on Sunday", "a day after") resolve against
    # the latest full date the text states; events that state no date stay undated.
    resolve = ref if ref is not None else _latest_stated(text)
    metonymic = metonymic or (lambda m: False)
    # an article tells the news of its last days; what it dates earlier is background
    article = sum(1 for _ in doc.sents) >= ARTICLE_SENTENCES
    skip = datelines(text)
    namer = ActorNamer(doc, _countries(doc, mentions), skip)
    cands = _candidates(doc, mentions, text, skip, metonymic, namer)
    # a name the gazetteer does not know counts as a place too when the grammar makes it one
    # ("the army entered X", "fighting near X"): forces that entered it entered a place
    place_tokens = frozenset(c.head.i for group in cands.values() for c in group)

    def lookup(tok):
        named = namer.named(tok)
        if named is not None:
            return named
        if tok.i in namer.countries and tok.ent_type_ == "GPE":
            return state_forces(*namer.countries[tok.i])
        return None

    out: list[EventMention] = []
    previous_date: EventDate | None = None
    article_date: EventDate | None = None  # the latest stated date of a reported event
    in_history = False  # the previous sentence of the paragraph was a history aside
    previous: list[int] = []  # indices in ``out`` of the previous sentence's events
    told_types: set[str] = set()  # types of the events reported so far (for anaphors)
    pending = None  # numbers of a sentence without an event, for the next sentence's
    for sent in doc.sents:
        if not sent.text.strip() or any(a <= sent.start_char and sent.end_char <= b
                                        for a, b in skip):  # fmt: skip
            continue
        triggers = find_triggers(sent, place_tokens=place_tokens, actor_lookup=lookup)
        # a dateline's day ("SUMY, June 10 —") is when the story was filed: the day of
        # the report, not of the events its first sentence tells ("on Sunday morning")
        dates = [(e, t) for e, t in sentence_dates(sent, resolve)
                 if t is None or not any(a <= t.idx < b for a, b in skip)]  # fmt: skip
        extra = incident_counts(sent.text)
        # a casualty-log line's own counts ("2 x killed, 14 x inj.") are the sentence's counts
        counts = counts_for(sent, triggers) if not extra else {}
        sent_cands = cands.get(sent.start, [])
        found = [
            _mention(
                k,
                trig,
                counts,
                extra,
                sent,
                sent_cands,
                dates,
                ref,
                previous_date,
                namer,
                history_ref=resolve,
                article=article,
            )
            for k, trig in enumerate(triggers)
        ]
        if found and not any(m.unreported is None for m in found):
            # "A fire broke out at a depot after a drone attack": the phrase that sets the
            # scene is the sentence's only report
            # (not "after the attack" when an attack was told: the one told before)
            found = [replace(m, unreported=None) if m.unreported == "background"
                     and is_scene(triggers[k].token) and not (
                         m.event_type in told_types and is_bare_definite(triggers[k].token))
                     else m
                     for k, m in enumerate(found)]  # fmt: skip
        # "The strike came days before a donor conference in Berlin": a definite noun pointing
        # back to an event of its type already told adds no event (nor its place)
        trigger_tokens = frozenset(t.token.i for t in triggers)
        anaphors = {m.trigger for k, m in enumerate(found) if m.event_type in told_types
                    and is_anaphor(triggers[k].token, trigger_tokens)}  # fmt: skip
        if in_history:
            # it continues a history aside, and states no date of its own
            found = [replace(m, unreported="history") if m.date_basis != "stated" else m
                     for m in found]  # fmt: skip
        if not triggers and previous:
            _place_told_again(sent, out, previous, sent_cands, dates, ref, previous_date, namer,
                              resolve, article)  # fmt: skip
        # "in response to attacks on X": reports another one answers
        answers = {m.trigger for m, t in zip(found, triggers, strict=False) if in_answer(t.token)}
        # ... which, with a date and a place of their own ("in retaliation for Monday's
        # attack on X"), are events
        found = [replace(m, unreported=None) if m.trigger in answers and m.unreported ==
                 "background" and m.place_span is not None and any(
                     w.ent_type_ == "DATE" for w in t.token.subtree) else m
                 for m, t in zip(found, triggers, strict=False)]  # fmt: skip
        found = [replace(m, event_type="protest") if is_civil_march(m, doc) else m
                 for m in found]  # fmt: skip
        found = _toll_at_its_event(found, triggers)
        found = _split_coordinated(found, sent_cands)
        found = _fold_sentence(found, text, answers)
        absorbed = bool(found)
        found = _continue(found, out, previous, sent_cands)
        absorbed = absorbed and not found  # all of it joined the event before
        if pending is not None:
            found = _take_counts(found, pending)
            pending = None
        # ... unless it brings counts of its own or lent by the sentence before
        found = [replace(m, unreported="anaphor") if m.trigger in anaphors
                 and m.unreported is None and not m.counts else m
                 for m in found]  # fmt: skip
        labels = _labelled_toll(sent, triggers, found, out, previous)
        if labels is not None:
            # "Fatalities: 18" lent to the event before: the label is no event of its own
            found = [m for m in found if not labels[0] <= m.trigger[0] < labels[1]]
        pending = _lend_counts(sent, triggers, out, previous)
        if not absorbed:
            # (a toll joined to the event before leaves that event the one a next sentence
            # goes on with: "20 killed; 70 injured")
            previous = list(range(len(out), len(out) + len(found)))
        out.extend(found)
        told_types.update(m.event_type for m in found if m.unreported is None)
        # the next sentence continues this one when it follows in the same paragraph and
        # this one reports an event: it inherits this one's stated date, or the day of the
        # statement that told it ("X said on Saturday that ... She said troops advanced")
        # ("The raid was one of several": a sentence pointing back to an event
        # goes on with that event's day too)
        stated = [m for m in found if m.unreported in (None, "anaphor") and (
            m.date_basis in ("stated", "inherited") or m.date_text is not None)]  # fmt: skip
        carried, previous_date = previous_date, None
        breaks = _ends_paragraph(text, sent)
        recent = [m for m in stated if m.unreported is None
                  and m.date_end - m.date_start <= timedelta(days=NEWS_DAYS) and (
            m.date_end >= ref.start - timedelta(days=NEWS_DAYS) if ref is not None
            else m.date_precision == "day")]  # fmt: skip
        if recent:
            m = recent[-1]
            article_date = EventDate(m.date_start, m.date_end, m.date_precision, "stated")
        if stated and not breaks:
            m = stated[-1]
            previous_date = EventDate(m.date_start, m.date_end, m.date_precision, "stated")
        elif breaks and article_date is not None:
            # a new paragraph that states no date goes on with the news the article is
            # telling: the latest date it stated for a recent event, not the report date
            previous_date = article_date
        elif not breaks and not found:
            # a sentence that only sets the date ("On Sunday, the shelling resumed." is an
            # event; "It was Sunday morning." is not) lends it to the one after
            # (not a deadline or plan: "would leave the town by May 1")
            told = [e for e, tok in dates if e.kind == "point" and tok is not None
                    and not is_prospective(tok)]  # fmt: skip
            if told and not is_history(
                EventDate(told[-1].start, told[-1].end, told[-1].precision, "stated"),
                ref,
                sent.text,
                article=article,
            ):
                e = told[-1]
                previous_date = EventDate(e.start, e.end, e.precision, "stated")
            elif not dates:
                # "Firefighters worked through the night." tells no event and no date: the
                # paragraph goes on with the day it was telling
                previous_date = carried
        in_history = not breaks and (
            is_history(None, None, sent.text) or any(m.unreported == "history" for m in found)
        )
    # a log line names where it happened as a field of its own ("Lubny | 3 May | drone |
    # 2 killed"): its events that name no place of their own are there, and those whose
    # place is a name the gazetteer does not know ("a school in Zelena") are near it
    field = line_place(doc, cands, {e.trigger[0] for e in out}, COUNTRY_CODES) if out else None
    if field is not None:
        out = [
            e if e.place is not None or e.event_type not in _PLACED_TYPES
            else replace(e, place=field.place, near=True) if e.place_span is not None
            else replace(e, place=field.place, place_span=(field.start, field.end),
                         place_basis="line", mention=field.mention)
            for e in out
        ]  # fmt: skip
    out = _coded_place(text, cands, out, resolve)
    if article:
        out = article_news(out, doc, ref)
    area = article_area(doc, out, cands, gazetteer) if gazetteer is not None else None
    if area is not None:
        out = [
            replace(e, place=area, place_basis="article")
            if e.place_span is None
            and e.place is None
            and e.event_type in _PLACED_TYPES
            and not is_tally(e)  # shot down over the whole country, not in the area
            else e
            for e in out
        ]
    return out if keep_all else [e for e in out if e.unreported in (None, "undated")]


#: A coder's own placement of the events before it ("Village of X? [unclear, coded to Y]",
#: "-- event coded near Y"): the place the coder chose, whatever the text named before.
_CODED = re.compile(r"\bcoded\s+(?:to|near|at|in)\s+(?:the\s+)?", re.IGNORECASE)


def _coded_place(text, cands, out, ref=None):
    """Place the events of a coder's note at the place it says they were coded to.

    A note that doubts the place it names and says where the event was coded ("attacked a
    post near X? No -- coded near Y", "looted houses in X? [unverified] -- coded to Y
    district") is placed at Y. The rule holds for the events of the paragraph up to the end
    of the sentence that says it, when the gazetteer knows Y. A day the coder states there
    ("coded near Y on 8 May") dates those of them the text left at the report's day."""
    if "coded" not in text:
        return out
    out = _coded_day(text, out, ref)
    for m in _CODED.finditer(text):
        cand = next((c for group in cands.values() for c in group
                     if c.start == m.end() and c.place is not None), None)  # fmt: skip
        if cand is None:
            continue
        para = text.rfind("\n\n", 0, m.start()) + 1
        ends = re.search(r"[.;\]]\s|\n|$", text[m.end() :])
        stop = m.end() + (ends.start() if ends else 0)
        days = [d for d in find_dates(text[m.start() : stop], ref)
                if d.kind == "point" and d.precision == "day"]  # fmt: skip
        out = [
            replace(e, place=cand.place, place_span=(cand.start, cand.end), place_basis="stated",
                    mention=cand.mention, near=m.group(0).lower().split()[1] == "near",
                    lent=False)
            if para <= e.trigger[0] < stop and e.event_type in _PLACED_TYPES else e
            for e in out
        ]  # fmt: skip
        if days:
            out = [
                replace(e, date_start=days[0].start, date_end=days[0].end, date_precision="day",
                        date_basis="stated", date_text=days[0].text)
                if para <= e.trigger[0] < stop and e.date_basis == "report" else e
                for e in out
            ]  # fmt: skip
    return out


_CODED_DAY = re.compile(r"\bcoded\s+(?:as\s+|on\s+)?", re.IGNORECASE)


def _coded_day(text, out, ref):
    """Date the events of a coder's note at the day the coder chose ("in early July (coded
    3 July)", "mid-May 2023 (coded 15 May)"): those of the paragraph up to the end of the
    sentence that says it, whose own dates hold that day or were only the report's. Without
    a publication date, a day with no year is read in the event's own dates."""
    for m in _CODED_DAY.finditer(text):
        ends = re.search(r"[.;)\]]\s|[)\]]|\n|$", text[m.end() :])
        told = text[m.end() : m.end() + (ends.start() if ends else 0)]
        para = text.rfind("\n\n", 0, m.start()) + 1
        sent_end = re.search(r"[.;]\s|\n|$", text[m.end() :])
        until = m.end() + (sent_end.start() if sent_end else 0)
        para_end = text.find("\n\n", until)
        para_end = len(text) if para_end < 0 else para_end

        def coded(e, told=told):
            within = ref
            if within is None and e.date_start is not None:
                within = Reference(e.date_start, e.date_end)
            days = [d for d in find_dates(told, within)
                    if d.span[0] == 0 and d.kind == "point" and d.precision == "day"]  # fmt: skip
            return days[0] if days else None

        kept, narrowed = [], {}
        for e in out:
            day = coded(e) if para <= e.trigger[0] < until else None
            if day is not None and (e.date_start is None or e.date_basis == "report"
                                    or e.date_start <= day.start <= e.date_end):  # fmt: skip
                narrowed[(e.date_start, e.date_end)] = day
            elif until <= e.trigger[0] < para_end and e.date_basis == "inherited":
                # "(coded 3 July). Two civilians killed.": the next sentence goes on with it
                day = narrowed.get((e.date_start, e.date_end))
            else:
                day = None
            if day is not None:
                e = replace(
                    e,
                    date_start=day.start,
                    date_end=day.start,
                    date_precision="day",
                    date_basis=e.date_basis if e.date_basis == "inherited" else "stated",
                    date_text=day.text,
                    unreported=None if e.unreported == "undated" else e.unreported,
                )
            kept.append(e)
        out = kept
    return out


#: How far below the linker's threshold a resolved place may score and still lend its
#: coordinates to an unresolved event place in the same sentence ("the Abu Shouk camp
#: outside El Fasher").
NEARBY_MARGIN = 1.0
#: Types of event that happen somewhere (a statement happens where it is made).
_PLACED_TYPES = frozenset(
    "attack casualties capture front_line movement deployment self_detonation".split()
)
#: An article is long enough to have a main area from this many sentences on.
ARTICLE_SENTENCES = 5
#: The main area is named at least twice, and this many times as often as any other.
AREA_MARGIN = 2


def article_area(doc, events, cands, gazetteer):
    """Return the first-level unit a long article is about, or None.

    ACLED coders place a report that names no place where the article as a whole sets it.
    Here that is the admin1 unit (or curated region) where the article's events and its
    places named as locations ("in X", "near X", "to X"; not where someone comes from or
    speaks) fall most often: each event's place and each such mention counts once; the unit
    needs at least two and ``AREA_MARGIN`` times as many as any other unit. Notes,
    headlines and wire sentences are too short to set an area.
    """
    if sum(1 for _ in doc.sents) < ARTICLE_SENTENCES:
        return None
    tally, units = {}, {}

    def count(place, weight):
        if place is None or place.feature_code in COUNTRY_CODES:
            return
        unit = _unit_of(place, gazetteer)
        if unit is not None:
            tally[unit.geonameid] = tally.get(unit.geonameid, 0) + weight
            units[unit.geonameid] = unit

    linked = set()
    for event in events:
        if not event.unreported and event.place_span is not None:
            count(event.place, 1)
            linked.add(event.place_span)
    for group in cands.values():
        for cand in group:
            if (cand.start, cand.end) not in linked and is_location(cand):
                count(cand.place, 1)
    if not tally:
        return None
    ranked = sorted(tally.values(), reverse=True)
    best = max(tally, key=tally.get)
    runner_up = ranked[1] if len(ranked) > 1 else 0
    if tally[best] >= 2 and tally[best] >= AREA_MARGIN * runner_up:
        return units[best]
    return None


def _unit_of(place, gazetteer):
    if place.feature_code in ("ADM1", "RGN"):
        return place
    if place.admin1_code:
        return gazetteer.admin1(place.country_code, place.admin1_code)
    return None


def _numbers(sent):
    found = find_counts(sent.text, numbers_context=True)
    return tuple(Count(kind="deployed", **fields) for fields, _, _ in found[:1])


def _lend_counts(sent, triggers, out, previous):
    """A sentence that only gives numbers ("Estimates place their numbers between 10,000 and
    12,000") lends them to the deployment of the sentence before it; when that has none,
    they are returned for the sentence after ("This deployment followed ...")."""
    if triggers or not NUMBERS_CONTEXT.search(sent.text):
        return None
    counts = _numbers(sent)
    if not counts:
        return None
    for index in reversed(previous):
        event = out[index]
        if event.event_type == "deployment" and not any(c.kind == "deployed" for c in event.counts):
            quote = (event.quote[0], sent.end_char)
            out[index] = replace(event, counts=event.counts + counts, quote=quote)
            return None
    return counts, sent.start_char


#: A coder's toll on a line of its own: "Fatalities: 2", "Injured: 5", "Fatalities: 18, inj.
#: 42", "Deaths: 30+".
_TOLL_LABEL = r"fatalities|deaths|killed|dead|wounded|injured|injuries|inj\.?|wia|kia"
_LABELLED_TOLL = re.compile(
    rf"(?:^|(?<=[;.]))\s*(?P<label>{_TOLL_LABEL})\s*:\s*(?P<n>\d{{1,5}})\b(?P<plus>\+)?"
    rf"(?:[^,;.]{{0,20}}[,;]\s*(?P<label2>{_TOLL_LABEL})\s*:?\s*(?P<n2>\d{{1,5}})\b)?",
    re.IGNORECASE,
)
_TOLL_TYPES = ("attack", "casualties", "self_detonation")


def _toll_kind(label):
    label = label.lower().rstrip(".")
    return "killed" if label in ("fatalities", "deaths", "killed", "dead", "kia") else "wounded"


def _labelled_toll(sent, triggers, found, out, previous):
    """Lend a labelled toll with no event of its own ("... shelled X. Fatalities: 2.", "clashes
    in X; Fatalities: 30+") to the event told before it (in the sentence, else the sentence
    before) when that event has no count of its kind. Return ``(start, end)`` of the labels
    when it was lent (the label is no event of its own), else None."""
    match = _LABELLED_TOLL.search(sent.text)
    n = int(match["n"]) if match else 0
    if n == 0:
        return None
    label_at = sent.start_char + match.start("label")

    def own(t):
        at = t.token.idx - sent.start_char
        return match.start("label") <= at < match.end("label") or (
            match["label2"] and match.start("label2") <= at < match.end("label2")
        )

    if any(t.token.idx >= label_at and not own(t) for t in triggers):
        return None  # another event told in the line
    kind = _toll_kind(match["label"])
    tolls = [(kind, n, bool(match["plus"]), match.group(0)[: match.end("n") - match.start()
                                                           + 1].strip())]  # fmt: skip
    if match["label2"] and _toll_kind(match["label2"]) != kind:
        tolls.append((_toll_kind(match["label2"]), int(match["n2"]), False,
                      sent.text[match.start("label2") : match.end()].strip()))  # fmt: skip
    before = [(found, k) for k in reversed(range(len(found))) if found[k].trigger[0] < label_at]
    if match.start("label") > 0 and not before:
        return None  # "Ten were killed; deaths: 10" is no label after the line's own event
    for events, index in before or [(out, k) for k in reversed(previous)]:
        event = events[index]
        if event.event_type in _TOLL_TYPES and not any(c.kind == kind for c in event.counts):
            added = tuple(
                Count(kind=k, low=v, high=None if plus else v,
                      text=words.strip().rstrip(",;"))
                for k, v, plus, words in tolls
                if not any(c.kind == k for c in event.counts)
            )  # fmt: skip
            quote = (event.quote[0], max(event.quote[1], sent.end_char))
            events[index] = replace(event, counts=event.counts + added, quote=quote)
            return label_at, sent.start_char + match.end()
    return None


def _take_counts(found, pending):
    counts, start = pending
    for k, event in enumerate(found):
        if event.event_type == "deployment" and not any(c.kind == "deployed" for c in event.counts):
            found[k] = replace(event, counts=event.counts + counts, quote=(start, event.quote[1]))
            break
    return found


def _latest_stated(text):
    """Return a Reference for a text without a publication date: the week from the latest
    full calendar date it states (it was written then or later), or None."""
    found = [e for e in find_dates(text, None) if e.precision == "day" and e.start == e.end]
    if not found:
        return None
    latest = max(e.start for e in found)
    return Reference(latest, latest + timedelta(days=6))


def _mention(
    k, trig, counts, extra, sent, cands, dates, ref, previous_date, namer, *, history_ref=None,
    article=False,
):  # fmt: skip
    """Return the EventMention of one trigger of a sentence. ``history_ref`` is what an old
    date is measured against: the publication date, else the latest full date the text
    states; in an ``article`` a shorter past is background (``dating.is_history``)."""
    event_type = "self_detonation" if _self_detonation(trig) else trig.event_type
    best, best_score = link_place(trig, cands)
    if best is None:
        # "X lost electricity after a missile hit its power plant": where the harm is told
        best = consequence_place(trig.token, cands)
    where = best.place if best else None
    near = lent = False
    # the names written with the event's place, and the one that says where it lies
    chain = next((g for g in chains(cands) if best in g), []) if best else []
    holder = next((c for c in cands if c.place is not None
                   and qualified_name(c, cands) is best), None) if best else None  # fmt: skip
    if where is not None:
        if holder is None and _DISTRICT.search(_name_and_after(best)):
            # "Kharkiv, Podilskyi district": the city says whose district it is
            holder = next((c for c in chain if c is not best and c.place is not None
                           and c.place.feature_class == "P"), None)  # fmt: skip
        if holder is not None and _elsewhere(where, holder.place, _stated_km(best, holder)):
            # "in Zelena colony of Lubny", the gazetteer's Zelena 500 km from Lubny: a
            # homonym; the named place lies at the one that says where it is
            where, near = holder.place, True
        elif holder is None:
            # a label that narrows from its city ("Lubny, Zasullia (Pivnichnyi market area):"):
            # a namesake of the finest name, far from every larger place named before it, is
            # not it
            label = in_label(best)

            def parted(c, doc=sent.doc):
                return any(syntax.is_field_mark(t) for t in doc[c.head.i : best.head.i])

            wider = [c for c in cands if c is not best and c.place is not None
                     and c.start < best.start
                     and (c.place.population or 0) > (where.population or 0)
                     and (c in chain or (label and in_label(c)))
                     # (not a field of its own: "A/B border – X:" names no city X lies in)
                     and not parted(c)]  # fmt: skip
            if wider and all(_elsewhere(where, c.place) for c in wider):
                where, near = wider[-1].place, True
    if best is not None and where is None:
        # an unresolved name ("Zelenyi Hai district") written with a resolved one that
        # says where it is ("Lubny, Zelenyi Hai district"): the event is there
        resolved = [c for c in chain if c.place is not None and c is not best]
        if holder is not None:
            where = holder.place  # "a market in Goz Tanjour in eastern Chad"
        elif resolved:
            where = resolved[-1].place if chain.index(best) == 0 else resolved[0].place
        else:
            # else the best resolved place the sentence gives for the event ("Lubny, 3 May:
            # missile hit a building in Zelenyi Hai district"), as a place nearby
            ranked = [(score, c) for score, c in rank_places(trig, cands)
                      if c.place is not None and c.place.feature_code not in COUNTRY_CODES
                      and (is_location(c) or in_label(c))]  # fmt: skip
            if ranked and ranked[0][0] > threshold() - NEARBY_MARGIN:
                lender = ranked[0][1]
                where, near = lender.place, True
                # lent from another clause ("launched an offensive in X, targeting the
                # village of Y"), not from the trigger's own ("attacked Y in X")
                lent = lender.head.i not in {t.i for t in trig.token.subtree}
    when = event_date(trig, dates, ref, previous_date)
    why = None
    if is_history(when, ref if ref is not None else history_ref, sent.text, article=article):
        why = "history"
    elif when is None:
        why = "undated"
    elif is_background(trig.token) or (trig.head != trig.token and is_background(trig.head)):
        why = "background"
    who = roles(trig, namer)
    if who.actor1 is None and event_type == "attack":
        # "Shahed-type drones hit a plant in X": a weapon only one side fires names the side
        user = weapon_user(sent.text, where.country_code if where is not None else None)
        if user is not None and user != who.actor2:
            who.actor1 = user
    return EventMention(
        event_type=event_type, trigger=trig.span, quote=(sent.start_char, sent.end_char),
        place=where, place_span=(best.start, best.end) if best else None,
        place_basis="stated" if best else None,
        date_start=when.start if when else None, date_end=when.end if when else None,
        date_precision=when.precision if when else None,
        date_basis=when.basis if when else None,
        date_text=when.text if when else None,
        # a side does not act on itself: "SNA shelling ... an SNA pickup" named it twice
        actor1=who.actor1, actor2=who.actor2 if who.actor2 != who.actor1 else None,
        target=who.target,
        counts=tuple(counts.get(k, ())) + (tuple(extra) if k == 0 else ()),
        mode=trig.mode, score=best_score, mention=best.mention if best else None,
        unreported=why, near=near or (best is not None and preposition(best.head) in _NEAR),
        lent=lent,
    )  # fmt: skip


#: The units of a town ("Podilskyi district", "Zelenyi Hai microdistrict").
_DISTRICT = re.compile(rf"\b(?:{'|'.join(sorted(TOWN_PARTS | {'raion', 'rayon'}))})\b",
                       re.IGNORECASE)  # fmt: skip


def _name_and_after(cand):
    """The candidate's name and the word after it ("Podilskyi district")."""
    return syntax.text_of(cand.head.doc)[cand.start : cand.end + 16]


#: A place named as lying at a town ("X colony of Y") is a homonym beyond this distance,
#: and one named as lying in an area ("X, Y region") beyond the second unless the area's
#: codes contain it.
HOLDER_KM = 50.0
HOLDER_AREA_KM = 150.0
#: ... and one the text puts in a direction from a town with no distance ("X, east of Y")
#: beyond this: a town east of a city may lie a hundred kilometres or more from it.
HOLDER_BEARING_KM = 150.0


def _elsewhere(place, holder, stated_km=None) -> bool:
    """Whether a place cannot be the one its holder says it lies in or at (or, with
    ``stated_km``, the one the text says lies that far from it)."""
    if place.geonameid == holder.geonameid:
        return False
    if (holder.feature_code or "") in COUNTRY_CODES:
        return place.country_code != holder.country_code
    km = distance_km(place.lat, place.lon, holder.lat, holder.lon)
    if holder.feature_class in ("A", "L"):
        return not contains(holder, place) and km > HOLDER_AREA_KM
    if stated_km is not None:
        # "X, 80 km west of Y": a namesake only when the gazetteer's X is much farther
        return km > (HOLDER_BEARING_KM if stated_km == _BEARING else HOLDER_KM + 1.5 * stated_km)
    return km > HOLDER_KM


#: A distance written between a place and the one it is measured from ("80 kilometres").
_DISTANCE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(km|kms|kilomet(?:re|er)s|mi|miles)\b", re.IGNORECASE)


#: ``_stated_km`` of a direction stated with no distance ("X, east of Y").
_BEARING = -1.0
_DIRECTION_OF = re.compile(
    r"\b(?:(?:north|south)-?(?:east|west)|north|south|east|west)(?:ern)?\s+of\s*$", re.IGNORECASE
)


def _stated_km(cand, holder):
    """The distance in km the text states between a place and its holder ("X, some 80 km
    west of Y"), ``_BEARING`` when it states only a direction ("X, east of Y"), or None."""
    if cand.end <= holder.start:
        lo, hi = cand.end, holder.start
    else:
        lo, hi = holder.end, cand.start
    if hi - lo > 60:
        return None
    gap = syntax.text_of(cand.head.doc)[lo:hi]
    found = _DISTANCE.search(gap)
    if found is None:
        bearing = cand.end <= holder.start and _DIRECTION_OF.search(gap) is not None
        return _BEARING if bearing else None
    value = float(found.group(1).replace(",", "."))
    return value * 1.609 if found.group(2).lower().startswith("mi") else value


def _toll_at_its_event(found, triggers):
    """A participle that tells what an event did ("a bomber detonated his vest inside X,
    killing five") and names no place of its own happened where that event did."""
    out = list(found)
    for k, (event, trig) in enumerate(zip(found, triggers, strict=True)):
        token = trig.token
        if (
            event.place_span is not None
            or token.tag_ != "VBG"
            or token.dep_ not in ("advcl", "conj")
        ):
            continue
        head = next((j for j, t in enumerate(triggers) if j != k
                     and token.head.i in (t.token.i, t.head.i)), None)  # fmt: skip
        if head is None:
            continue
        told = found[head]
        if told.place_span is None or told.unreported != event.unreported:
            continue
        out[k] = replace(event, place=told.place, place_span=told.place_span,
                         place_basis=told.place_basis, mention=told.mention, near=told.near,
                         lent=told.lent)  # fmt: skip
    return out


def _split_coordinated(found, cands):
    """One event per place when the event's place is coordinated with others ("shelled A and
    B", "strikes on A, B and C"): ACLED codes one event per location. The counts stay with
    the first place (they are the sentence's, not each place's)."""
    out = []
    by_span = {(c.start, c.end): c for c in cands}
    for event in found:
        out.append(event)
        cand = by_span.get(event.place_span) if event.place_span else None
        if cand is None:
            continue
        group = next((g for g in chains(cands) if cand in g), [cand])
        if _between(cand.head):
            continue  # "on the road between A and B": one place, between the two
        conj = {t.i for t in cand.head.conjuncts}
        for other in cands:
            if other is cand or other in group or other.head.i not in conj:
                continue
            if other.place is None or (
                cand.place is not None and other.place.geonameid == cand.place.geonameid
            ):
                continue
            out.append(replace(event, place=other.place, place_span=(other.start, other.end),
                               mention=other.mention, counts=()))  # fmt: skip
    return out


def _between(token) -> bool:
    """Whether a place is one end of "between A and B" (a road, a front between two towns)."""
    first = token
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    prep = first.head
    return first.dep_ == "pobj" and "between" in (prep.lower_, prep.norm_)


def _same_place(a, b):
    if a.place is None or b.place is None:
        return a.place_span is None or b.place_span is None or a.place_span == b.place_span
    return a.place.geonameid == b.place.geonameid


def _own_names(a, b):
    """Whether two reports of one type name places of their own, one of them unknown to
    the gazetteer and placed at coordinates lent from outside its phrase ("an offensive in
    southern X, targeting the village of Y"; X may be unknown too): two reports, each at
    the name it gives; the store merges them."""
    return (
        a.event_type == b.event_type
        and None not in (a.place_span, b.place_span, a.place, b.place)
        and a.place_span != b.place_span
        and (a.lent or b.lent)
    )


#: An attack and the deaths and injuries it caused, told in one sentence, are one event: a
#: suicide bombing too ("14 people were killed when a bomber blew himself up at X", "a bomber
#: blew himself up at X, killing 14"). The first type of ``_TOLL_LEAD`` present names it.
_TOLLS = (
    {"attack", "casualties"},
    {"self_detonation", "casualties"},
    {"self_detonation", "attack"},
)
_TOLL_LEAD = ("self_detonation", "attack", "casualties")


def _fold_sentence(found, text=None, answers=frozenset()):
    """Fold the reports of one event in one sentence: same type and place, or the deaths
    and injuries an attack or a suicide bombing caused, into one mention (counts added, the
    first trigger kept; the bombing, else the attack, gives the type). A report told as
    what another answers (its trigger in ``answers``: "in response to attacks on X") is
    another event: it does not fold into the report outside that phrase."""
    out: list[EventMention] = []
    for event in found:
        target = None
        for k, kept in enumerate(out):
            # a toll in a relative clause ("a strike that killed five") joins its report
            background = {event.unreported, kept.unreported} == {None, "background"}
            if event.unreported != kept.unreported and not background:
                continue
            if (event.trigger in answers) != (kept.trigger in answers):
                continue  # "struck X in response to attacks on Y": two events
            same_type = event.event_type == kept.event_type
            toll = {event.event_type, kept.event_type} in _TOLLS
            if _own_names(event, kept):
                continue
            if None not in (event.actor1, kept.actor1) and event.actor1 != kept.actor1:
                continue  # "A shelled X; B's drone hit a truck in X": each side's own attack
            if (same_type or toll) and (_same_place(event, kept) or _nested(event, kept)):
                target = k
                break
            if toll and _within(event, kept):
                target = k  # "X raion: shelled Y (in it) ... 2 killed": the toll of the attack
                break
            if (_entry_of_capture(event, kept) or _toll_of_capture(event, kept)) and _same_place(
                event, kept
            ):
                target = k
                break
        if target is None:
            out.append(event)
            continue
        kept = out[target]
        if _entry_of_capture(event, kept) or _toll_of_capture(event, kept):
            if event.event_type == "front_line":
                kept, event = event, kept  # the control change is the report
        elif kept.unreported == "background" and event.unreported is None:
            kept, event = event, kept
        elif kept.event_type != event.event_type and (
            _TOLL_LEAD.index(event.event_type) < _TOLL_LEAD.index(kept.event_type)
        ):
            if kept.unreported == event.unreported:
                kept, event = event, kept
        folded = _absorb(kept, event, text)
        if (_nested(event, kept) or _within(event, kept)) and contains(kept.place, event.place):
            # "attacks on the country's grid, hitting a plant in X": one attack, at X
            folded = replace(folded, place=event.place, place_span=event.place_span,
                             mention=event.mention, near=event.near, score=event.score)  # fmt: skip
        out[target] = folded
    return out


def _within(a, b):
    """Whether one report's place is an area holding the other's settlement (a toll placed at
    the district a log line opens with, its attack at a village of that district)."""
    if a.place is None or b.place is None or a.place.geonameid == b.place.geonameid:
        return False
    return any(
        outer.feature_class == "A" and inner.feature_class == "P" and contains(outer, inner)
        for outer, inner in ((a.place, b.place), (b.place, a.place))
    )


def _toll_of_capture(a, b) -> bool:
    """Whether two reports of one sentence at one place are a change of hands and the toll
    of the fighting for it ("the army said it had retaken X and killed dozens of the
    attackers"): one front-line event, with its dead counted."""
    return {a.event_type, b.event_type} == {
        "front_line",
        "casualties",
    } and a.unreported == b.unreported


def _entry_of_capture(a, b) -> bool:
    """Whether two reports of one sentence are one side's entry into a place and its taking
    of it ("M23 fighters entered X and took control of the airport"): one control change.
    A withdrawal by the other side stays its own report (other actors)."""
    return (
        {a.event_type, b.event_type} == {"front_line", "movement"}
        and a.actor1 is not None
        and a.actor1 == b.actor1
        and a.unreported == b.unreported
    )


def _nested(a, b):
    """Whether one event's place is a country containing the other's ("attacks on the
    country's grid, hitting a plant in X"). A region and a town in it stay two reports
    ("an assault in X region, targeting the town of Y"): the store merges them."""
    if a.place is None or b.place is None:
        return False
    return any(
        (outer.feature_code or "") in COUNTRY_CODES and contains(outer, inner)
        for outer, inner in ((a.place, b.place), (b.place, a.place))
    )


#: A name written as an administrative unit ("X Province", "Y Local Government Area").
_UNIT_NAME = re.compile(
    r"\b(?:province|governorate|region|state|county|district|prefecture|department|oblast"
    r"|local government area|lga)\s*$",
    re.IGNORECASE,
)


def _unit_around(kept, other, text) -> bool:
    """Whether ``other``'s unknown name is written as an administrative unit around
    ``kept``'s settlement ("in X locality of Y District of Z Province": Z lent X's
    coordinates, and is no finer place than X)."""
    if text is None or kept.place is None or kept.place.feature_class != "P":
        return False
    return _UNIT_NAME.search(text[slice(*other.place_span)]) is not None


def _absorb(kept, other, text=None):
    """Return ``kept`` with what ``other`` adds: a place, actors, counts, a stated date."""
    updates = {}
    if kept.place_span is None and other.place_span is not None:
        updates.update(place=other.place, place_span=other.place_span,
                       place_basis=other.place_basis, mention=other.mention,
                       score=other.score)  # fmt: skip
    elif (other.place_span not in (None, kept.place_span) and other.mention is None
          and kept.mention is not None and other.place is not None and kept.place is not None
          and other.place.geonameid == kept.place.geonameid
          and not _unit_around(kept, other, text)):  # fmt: skip
        # "an offensive in southern X, targeting the district of Y": one attack, named at
        # the finer place the gazetteer does not know, with X's coordinates
        updates.update(place_span=other.place_span, near=other.near)
    for name in ("actor1", "actor2", "target", "mode"):
        if getattr(kept, name) is None and getattr(other, name) is not None:
            updates[name] = getattr(other, name)
    if updates.get("actor2", kept.actor2) == updates.get("actor1", kept.actor1):
        updates["actor2"] = kept.actor2 if kept.actor2 != kept.actor1 else None
    kinds = {c.kind for c in kept.counts}
    extra = tuple(c for c in other.counts if c.kind not in kinds)
    if extra:
        updates["counts"] = kept.counts + extra
    if kept.date_basis != "stated" and other.date_basis == "stated":
        updates.update(date_start=other.date_start, date_end=other.date_end,
                       date_precision=other.date_precision, date_basis="stated")  # fmt: skip
    quote = (min(kept.quote[0], other.quote[0]), max(kept.quote[1], other.quote[1]))
    updates["quote"] = quote
    return replace(kept, **updates)


def _other_day(event, prior):
    """Whether an event states dates of its own, other than the prior event's: a new report
    ("On Saturday the air force said it shot down 51 drones"), not a continuation."""
    return (
        event.date_basis == "stated"
        and None not in (event.date_start, prior.date_start)
        and event.date_start != prior.date_start  # ("overnight" after "on Saturday" goes on)
    )


def _place_told_again(sent, out, previous, cands, dates, ref, previous_date, namer, resolve,
                      article):  # fmt: skip
    """Place the previous sentence's unplaced events where a sentence that only tells where
    the event took place puts it ("Gunmen shot dead two farmers on Monday. The incident
    occurred in X."): its place (and a date it states) join those events, in ``out``."""
    noun = told_again(sent)
    if noun is None:
        return
    told = [i for i in previous if out[i].place_span is None and out[i].event_type in
            _PLACED_TYPES and out[i].unreported in (None, "undated")]  # fmt: skip
    if not told:
        return
    for i in told:
        sense = Sense(noun.lemma_.lower(), "NOUN", out[i].event_type, None, (), "told again")
        again = _mention(0, Trigger(noun, noun, sense, out[i].event_type, None), {}, [], sent,
                         cands, dates, ref, previous_date, namer, history_ref=resolve,
                         article=article)  # fmt: skip
        if again.place_span is not None:
            out[i] = _absorb(out[i], replace(again, counts=(), actor1=None, actor2=None,
                                             target=None, mode=None))  # fmt: skip


def _continue(found, out, previous, sent_cands):
    """Link a sentence that names no place to the previous sentence's attack (or suicide
    bombing): a toll with
    no agent of its own is that attack's toll (its counts join it, its sentence joins the
    quote); another attack report takes its place (basis "inherited")."""
    if not previous:
        return found
    prior_index = next((i for i in reversed(previous) if out[i].place_span is not None
                        and out[i].event_type in _TOLL_TYPES
                        and out[i].unreported is None), None)  # fmt: skip
    if prior_index is None:
        return found
    prior = out[prior_index]
    # "the city" standing for the prior's own town names no new place
    same = {(c.start, c.end) for c in sent_cands if c.anaphor and c.place == prior.place}
    if any((c.start, c.end) not in same for c in sent_cands):
        return found
    kept = []
    for event in found:
        if (event.place_span is not None and event.place_span not in same) or (
            event.unreported is not None
        ):
            kept.append(event)
        elif event.event_type == "casualties" and not event.actor1:
            out[prior_index] = prior = _absorb(prior, event)
        elif event.event_type == prior.event_type and not _other_day(event, prior):
            kept.append(replace(event, place=prior.place, place_span=prior.place_span,
                                place_basis="inherited", mention=prior.mention))  # fmt: skip
        else:
            kept.append(event)
    return kept


def find_events(text: str, *, published=None, gazetteer=None, keep_all=False):
    """Return the events ``text`` reports, in text order.

    Parameters
    ----------
    text : str
        A sentence, a note, a headline or an article.
    published : date, optional
        The publication date: relative dates ("on Friday") resolve against it, and an
        event whose sentence states no date is dated by it (basis "report").
    gazetteer : Gazetteer, optional
        Default: ``Gazetteer.default()``.
    keep_all : bool, default False
        Also return events found but left out (``unreported`` says why). An event that is
        only undated (no date stated, no ``published``) is always returned, with no dates.

    Returns
    -------
    list of EventMention

    Examples
    --------
    >>> from datetime import date
    >>> [e.event_type for e in find_events("Russian forces shelled Kupiansk on 3 March 2024.")]
    ['attack']
    """
    from geo.extract.headlines import reparse_headlines
    from geo.geoparse.resolve import geoparse, is_metonymic

    doc = reparse_headlines(nlp.parse(text))
    mentions = geoparse(text, gazetteer=gazetteer, doc=doc)
    return find_events_in(doc, mentions, published=published, keep_all=keep_all,
                          metonymic=lambda m: is_metonymic(text, m))  # fmt: skip
