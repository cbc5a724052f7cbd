"""What an article reports as news: the incidents it places and dates, not its background.

An article tells the news of its last days and recalls the rest (event coders code the
reported incidents, each dated and placed; background is not an event). ``find_events``
applies these rules to the events of a long text (``events.ARTICLE_SENTENCES`` sentences or
more) after reading each sentence; what is left out keeps its reason in ``unreported``:

* ``history`` (``dating.is_history``): dated more than ``dating.ARTICLE_HISTORY_DAYS`` before
  the report, or over a span begun ``dating.ARTICLE_SPAN_DAYS`` before it;
* ``detail``: no place named for it and no day of its own (``is_detail``);
* ``summary``: a strike or a battle placed only at a whole country (``is_summary``);
* ``ongoing``: fighting told as going on, with no day of its own (``is_ongoing``);
* ``state``: a strike, battle or toll told over a span since an earlier time
  (``is_since_state``);
* ``history``: told in a "when" clause that describes a month, a year or the start of a
  state (``in_recalled_time``), as ``dating.is_history`` leaves out what is dated long ago;
* ``span``: dated only over a week or more ("earlier this month", "since October",
  "over the past week"), not to the days of an incident (``is_span_dated``);
* ``description``: a movement told by a participle that describes people ("fleeing
  soldiers", "men running toward the woods" hit by a strike), not a clause
  (``is_described_motion``);
* ``detail``: an attack told by a participle of another attack's verb, or that verb told
  with such a participle, where one of the two names no place the gazetteer knows ("struck
  X, hitting a building in the Y area": ``participle_details``);
* ``detail``: an attack told again by its definite means or doers ("The rockets landed
  ...", "The gunmen opened fire ...") at the place of the attack told just before it, or at a
  place the gazetteer does not know (``is_told_again``).

A toll told at a town on the days of an attack told before it is an attack there
(``tolls_as_attacks``); an attack by protesters is a riot, a protest (``riots``); an event
told in a time clause of another's verb, naming no place, is where that one is
(``set_by_main_clause``); an air force's tally naming no place is not placed in the
article's area (``is_tally``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from geo.extract.dating import ARTICLE_MONTH_DAYS
from geo.extract.lexicon import SPEECH_VERBS
from geo.extract.syntax import is_armed, is_people
from geo.gazetteer.place import COUNTRY_CODES

__all__ = [
    "article_news",
    "is_detail",
    "is_ongoing",
    "is_since_state",
    "is_summary",
    "is_tally",
    "in_recalled_time",
    "denied_claims",
    "is_civil_march",
    "is_held_still",
    "is_kept_up",
    "is_told_over_years",
    "is_topic",
    "set_by_main_clause",
    "tolls_as_attacks",
]


def article_news(events, doc=None, published=None):
    """Return an article's ``EventMention``s with its details, summaries, ongoing fighting
    and states since an earlier time left out (``unreported`` set), the events of its time
    clauses placed with their main clause's, and its tolls at a town on the days of its
    attacks made attacks. ``doc``: the article's parse (without it, the rules that read the
    parse are skipped); ``published``: its publication date (a ``Reference``)."""
    out = [replace(e, unreported="detail") if is_detail(e) else e for e in events]
    out = [replace(e, unreported="summary") if is_summary(e) else e for e in out]
    if doc is not None:
        out = [replace(e, unreported="ongoing") if is_ongoing(e, doc) else e for e in out]
        out = [replace(e, unreported="state") if is_since_state(e, doc, published) else e
               for e in out]  # fmt: skip
        out = [replace(e, unreported="history") if in_recalled_time(e, doc) else e
               for e in out]  # fmt: skip
        out = [replace(e, unreported="state") if is_told_over_years(e, doc) else e
               for e in out]  # fmt: skip
        out = [replace(e, unreported="ongoing") if is_kept_up(e, doc) else e for e in out]
        out = [replace(e, unreported="state") if is_held_still(e, doc) else e for e in out]
        out = denied_claims(out, doc)
        out = [replace(e, unreported="background") if is_topic(e, doc) else e for e in out]
        out = set_by_main_clause(out, doc)
        out = told_again(out, doc)
        out = participle_details(out, doc)
        out = described_motions(out, doc)
        out = riots(out, doc)
    out = [replace(e, unreported="span") if is_span_dated(e) else e for e in out]
    return tolls_as_attacks(out)


def is_detail(event) -> bool:
    """Return whether an article's event is only a detail of the story told around it: its
    sentence names no place for it and no day, so that both would come from elsewhere — its
    day from the sentences before it ("One of the wounded later died in hospital.", "A farmer
    said the drones attacked in waves.", "Two platoons withdrew, a sergeant said."). Such a
    sentence tells more of an incident already reported, a tally or a general remark, not a
    new incident: event coders code the incidents a report places and dates. An event that
    takes the previous sentence's place as the same story's next report is kept, and so is
    one whose sentence names a place the gazetteer does not know, or one dated by the
    report itself (an article that states no recent day tells its news undated)."""
    return event.unreported is None and event.place_span is None and event.date_basis == "inherited"


#: Events whose place is where they happened: a strike, a battle, their toll. (A deployment
#: or a movement placed at a country names where troops went: "deployed troops to Russia".)
_INCIDENT_TYPES = frozenset({"attack", "casualties", "self_detonation"})


def is_summary(event) -> bool:
    """Return whether an article's strike or battle is placed only at a whole country
    ("Russia fired missiles and drones at cities across Ukraine on Wednesday"): the
    article's summary of the incidents it tells town by town, not an incident event coders
    can place."""
    return (
        event.unreported is None
        and event.event_type in _INCIDENT_TYPES
        and event.place is not None
        and event.place.feature_code in COUNTRY_CODES
    )


def is_tally(event) -> bool:
    """Return whether an article's event is an air force's tally of the drones or missiles it
    shot down, naming no place ("The air force said its air defences shot down 31 of the 40
    drones launched overnight"): the night's wave of strikes over the whole country, which
    coders code with no place, not an incident in the area the article is about (it is not
    placed there). One that goes on from the sentence before takes that attack's place ("It
    said seven missiles had been shot down" after a strike on a port)."""
    return event.unreported is None and event.mode == "air_defence" and event.place_span is None


def is_ongoing(event, doc) -> bool:
    """Return whether an article's attack is fighting told as going on, with no day of its
    own: its trigger (or, for a noun, the predicate it is the subject of) in the progressive
    ("officials admitted that clashes were continuing near the village", "the raiders
    were being hunted down"), or a noun of fighting described by a copula ("the fighting was
    heavy"). The aspect presents a state that holds at the time of the report, not an
    incident that happened: event coders code the incidents (the shelling, the capture), not
    the state of a front. An event with a stated date of its own is kept ("Fighting was
    raging in X on Thursday"), and so are movements and holdings told in the progressive,
    which coders code ("troops were advancing on the flanks", "marines are holding a
    foothold")."""
    if event.unreported is not None or event.event_type != "attack" or event.date_basis == "stated":
        return False
    span = doc.char_span(*event.trigger, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    if tok.pos_ in ("NOUN", "PROPN"):
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        pred = tok.head
        if pred.lemma_ == "be" and any(c.dep_ == "acomp" for c in pred.children):
            return True  # "the fighting was heavy"
        tok = pred  # "clashes were continuing", "battles were raging"
    return (
        tok.tag_ == "VBG"
        and any(c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children)
        or any(c.dep_ in ("aux", "auxpass") and c.lower_ == "being" for c in tok.children)
    )


def _since(tok) -> bool:
    """Whether a predicate is told over a span from an earlier time: a "since" phrase or
    clause hangs on it ("since then", "since the spring", "since the truce collapsed")."""
    return any(
        (c.dep_ == "prep" and c.lower_ == "since")
        or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children))
        for c in tok.children
    )


def is_since_state(event, doc, published=None) -> bool:
    """Return whether an article's strike, battle or toll is told over a span from an
    earlier time, not as an incident: "since" hangs on its trigger, or on the predicate a
    noun trigger is the subject of ("Dozens of farmers have been killed in the district since
    then", "the shelling had grown heavier since the spring", "a port blockaded since
    May"). Such a sentence sums up a state or a tally; event coders code the incidents. A
    span stated from a recent day is kept ("two guards have been wounded in raids on the
    depot since Tuesday"): it begins within ``dating.ARTICLE_MONTH_DAYS`` of the report."""
    if event.unreported is not None or event.event_type not in _INCIDENT_TYPES:
        return False
    tok = _root(event, doc)
    if tok is None:
        return False
    preds = [tok]
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("nsubj", "nsubjpass"):
        preds.append(tok.head)  # "the shelling had grown heavier since ..."
    if not any(_since(p) for p in preds):
        return False
    recent = (
        published is not None
        and event.date_basis == "stated"
        and event.date_start >= published.start - timedelta(days=ARTICLE_MONTH_DAYS)
    )
    return not recent


_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight".split()
)


def _names_a_day(tok) -> bool:
    """Whether the date a token belongs to names a day ("August 28", "Sunday"), not only a
    month or a year ("September", "May 2023")."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    words = ent if ent is not None else [tok]
    return any(
        w.lower_ in _WEEKDAYS or (w.like_num and w.text.isdigit() and int(w.text) <= 31)
        for w in words
    )


def in_recalled_time(event, doc) -> bool:
    """Return whether an article's event is told in a "when" clause that describes a period
    the article recalls: a month or a year ("The raids grew worse in August, when militants
    burned the market in X"), or the start of a state ("Its clinics have stayed shut since
    May 2023, when gunmen stormed the town"). The clause tells what that time was, not the
    news of the report's days; "on Sunday, when a drone hit X" (a day) stays news."""
    if event.unreported is not None:
        return False
    tok = _root(event, doc)
    if tok is None:
        return False
    for anc in [tok, *tok.ancestors]:
        when = next((c for c in anc.children if c.dep_ == "advmod" and c.lower_ == "when"), None)
        if anc.dep_ in ("relcl", "advcl") and when is not None:
            head = anc.head
            if head.ent_type_ == "DATE":
                return not _names_a_day(head)
            return _since(head) or _dated_noun_before(when)
    return False


def _dated_noun_before(when) -> bool:
    """Whether a "when" clause follows a noun that a year or a month dates ("since the
    country's 2023 offensive, when its troops retook X", "the March campaign, when ..."), or
    a month or a year itself ("the raids grew in September, when ..."):
    however the parser hangs the clause, it describes that time, not the news of the
    report's days."""
    doc = when.doc
    i = when.i - 1
    if i >= 0 and doc[i].is_punct:
        i -= 1
    if i < 0:
        return False
    noun = doc[i]
    if noun.pos_ not in ("NOUN", "PROPN"):
        return False
    if noun.ent_type_ == "DATE":
        return not _names_a_day(noun)  # "escalated in September, when ..."
    dated = [c for c in noun.children if c.ent_type_ == "DATE" and c.dep_ != "relcl"]
    return bool(dated) and not any(_names_a_day(c) for c in dated)


#: Units of a stretch of time that no incident takes ("over the past decade", "for months").
_LONG_UNITS = frozenset({"decade", "year", "month"})
#: Words that make such a unit a stretch reaching the report ("the past year", "recent years").
_UP_TO_NOW = frozenset({"past", "last", "recent", "several", "many", "few"})
_SPAN_PREPS = frozenset({"over", "in", "during", "throughout", "for", "across"})


def _over_years(pred) -> bool:
    """Whether a stretch of months or years reaching the report hangs on a predicate ("over
    the past decade", "in recent years", "for months", "for two years")."""
    for prep in pred.children:
        if prep.dep_ != "prep" or prep.lower_ not in _SPAN_PREPS:
            continue
        for unit in prep.children:
            if unit.dep_ != "pobj" or unit.lemma_.lower() not in _LONG_UNITS:
                continue
            if any(c.lower_ in _UP_TO_NOW for c in unit.children):
                return True
            if prep.lower_ == "for" and unit.tag_ == "NNS":
                return True
    return False


def is_told_over_years(event, doc) -> bool:
    """Return whether an article's event is told over a stretch of months or years reaching
    the report, with no day of its own: "the group has killed thousands of civilians in X
    over the past decade", "the rebels have expanded their operations over the past year,
    moving into Y", "militias have raided the valley for months". The sentence sums up a
    campaign or a tally, not an incident: a stretch hung on the trigger's clause or on a
    clause it depends on (up to the verb of speaking that reports it)."""
    if event.unreported is not None or event.date_basis == "stated":
        return False
    tok = _root(event, doc)
    if tok is None:
        return False
    for pred in [tok, *tok.ancestors]:
        if pred.lemma_.lower() in SPEECH_VERBS and pred != tok:
            return False
        if _over_years(pred):
            return True
    return False


#: Verbs that reject a claim ("denied the claim", "dismissed the reports").
_REJECT = frozenset({"deny", "dismiss", "reject", "refute"})
#: What is rejected, and what a claim is called when rejected.
_CLAIMS = frozenset({"claim", "report", "assertion"})
_FALSE = frozenset({"false", "untrue", "baseless", "fabricated", "propaganda", "fake", "lie"})


def _denies_a_claim(sent) -> bool:
    """Whether a sentence rejects a claim told before it: "X denied the claim", "Kyiv said
    the claim was false", "called the report baseless"."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
        if lemma in _REJECT and any(o.lemma_.lower() in _CLAIMS for o in objs):
            return True
        if lemma in ("be", "call") and any(o.lemma_.lower() in _CLAIMS for o in objs):
            preds = [c for c in tok.children if c.dep_ in ("acomp", "attr", "oprd")]
            if any(p.lower_ in _FALSE for p in preds):
                return True
    return False


def denied_claims(out, doc):
    """Return an article's events with each change of hands its next sentence rejects as a
    claim left out ("Moscow said its troops had captured X. Kyiv said the claim was false and
    that its soldiers still held the village."): event coders do not code a capture the
    other side denies in the same report. Only front-line events (a claim of ground) are
    judged, and only from the sentence just before the denial."""
    sents = list(doc.sents)
    denied = set()
    for k, sent in enumerate(sents[1:], start=1):
        if _denies_a_claim(sent):
            denied.add(sents[k - 1].start_char)
    if not denied:
        return out
    return [replace(e, unreported="denied") if e.unreported is None
            and e.event_type == "front_line" and e.quote[0] in denied else e
            for e in out]  # fmt: skip


#: Verbs of holding ground.
_HOLDING = frozenset({"hold", "control", "occupy", "retain", "keep", "remain"})


def is_held_still(event, doc) -> bool:
    """Return whether an article's front-line event is ground told as still held, with no
    day of its own: a verb in the simple present ("the army holds three hills outside X",
    "rebels control the road") or told with "still" ("its soldiers still held positions in
    the village", in a denial that the village fell). Nothing changed hands: the sentence
    states where the front is, not an advance, a capture or a withdrawal of the report's
    days (which the past or the progressive tell: "troops were holding a foothold")."""
    if event.unreported is not None or event.event_type != "front_line":
        return False
    if event.date_basis == "stated":
        return False
    tok = _root(event, doc)
    if tok is None or tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in _HOLDING:
        return False  # (not "Rebels seize X", a title told in the present)
    if any(c.dep_ == "advmod" and c.lower_ == "still" for c in tok.children):
        return True
    return tok.tag_ in ("VBZ", "VBP") and not any(
        c.dep_ in ("aux", "auxpass") for c in tok.children
    )


#: Verbs whose infinitive or gerund goes on, told in the present ("continues to fight").
_KEEP_UP = frozenset({"continue", "keep"})


def is_kept_up(event, doc) -> bool:
    """Return whether an article's attack is fighting told as kept up, in the present, with
    no day of its own ("the rebels continue to fight government forces further south",
    "gunmen keep raiding farms"): like the progressive of ``is_ongoing``, a state at the
    time of the report, not an incident."""
    if event.unreported is not None or event.event_type != "attack" or event.date_basis == "stated":
        return False
    tok = _root(event, doc)
    if tok is None or tok.dep_ != "xcomp":
        return False
    head = tok.head
    return head.lemma_.lower() in _KEEP_UP and head.tag_ in ("VBZ", "VBP")


#: Verbs that say what an event means or resembles, or when it comes, not that it happened
#: ("the fighting echoes earlier battles", "the violence comes as ...", "the shelling
#: underscores ...").
_TOPIC_VERBS = frozenset(
    "echo mirror recall resemble evoke come mark show underscore highlight reflect illustrate"
    " signal demonstrate".split()
)
#: ... and the nouns of that sense after "have" ("the fighting has echoes of ...").
_TOPIC_NOUNS = frozenset({"echo", "parallel", "precedent", "resonance"})


def is_topic(event, doc) -> bool:
    """Return whether an article's event is a noun of fighting made the topic of a remark on
    what it means, resembles or comes with, in a sentence that states no day of its own:
    "The fighting around X has echoes of earlier battles", "The violence in the Y area comes
    as the rebels ...". The sentence comments on the story told before it (whose day it
    inherits), not a new incident; an article's first sentence (dated by the report, not by
    one before it) may still tell its news that way and is left alone."""
    if event.unreported is not None or event.date_basis != "inherited":
        return False
    tok = _root(event, doc)
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "nsubj":
        return False
    verb = tok.head
    lemma = verb.lemma_.lower()
    if lemma in _TOPIC_VERBS:
        return True
    return lemma == "have" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _TOPIC_NOUNS for c in verb.children
    )


#: Conjunctions of a clause that sets an event in time against the one it hangs on.
_TIME_MARKS = frozenset({"after", "before", "when", "as", "once", "until"})


def _root(event, doc):
    span = doc.char_span(*event.trigger, alignment_mode="expand")
    return span.root if span is not None else None


def set_by_main_clause(out, doc):
    """Return an article's events with each one told in a time clause of another's verb,
    naming no place of its own, placed where that one is ("Militiamen captured the town of X
    on Sunday after federal troops withdrew": the troops withdrew from X, not from the region
    the article is about). The clause sets the two events on one scene; a place the clause
    names itself is kept."""
    roots = [_root(e, doc) for e in out]
    placed = {tok.i: e for e, tok in zip(out, roots, strict=True)
              if tok is not None and e.unreported is None and e.place_span is not None}  # fmt: skip
    kept = []
    for e, tok in zip(out, roots, strict=True):
        if (
            tok is not None
            and e.unreported is None
            and e.place_span is None
            and tok.dep_ == "advcl"
            and tok.head.i in placed
            and any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in tok.children)
        ):
            main = placed[tok.head.i]
            e = replace(e, place=main.place, place_span=main.place_span, place_basis="inherited",
                        mention=main.mention, near=main.near, lent=main.lent)  # fmt: skip
        kept.append(e)
    return kept


def tolls_as_attacks(out):
    """Return an article's events with each toll told at a place of its own, with no cause
    and no agent ("In Hadiach, three people were killed."), made an attack there when the
    article has told an attack on those days before it: the toll of that wave of strikes in
    that town, as event coders code it, not a casualty report of its own."""
    told = []
    kept = []
    for e in out:
        if e.unreported in (None, "summary") and e.event_type == "attack":
            told.append(e)  # ("... fired missiles at cities across Ukraine" too)
        elif (
            e.unreported is None
            and e.event_type == "casualties"
            and e.actor1 is None
            and e.place_span is not None
            and any(a.date_start <= e.date_end and e.date_start <= a.date_end for a in told)
        ):
            e = replace(e, event_type="attack")
        kept.append(e)
    return kept


#: An article's event dated only over this many days or more is not dated to an incident's
#: days (the dev set's scoring counts a date as an event's from under a week wide).
SPAN_DAYS = 7


def is_span_dated(event) -> bool:
    """Return whether an article's event is dated only over a week or more: "earlier this
    month", "since the spring", "over the past week", "in late March". The report tells what
    happened over a stretch of time (a tally, a deployment, a campaign), not an incident of
    its days that event coders date: an article's news is dated to the day or the night.
    Only a span the sentence states counts: an event dated by a report known only to the
    month ("published February 2025") is not told over that month, and a month named as
    such is left to ``dating.is_history``."""
    return (
        event.unreported is None
        and event.date_basis == "stated"
        and event.event_type != "front_line"  # a line held "since August" is the front
        and event.date_start is not None
        and event.date_end is not None
        and (event.date_end - event.date_start).days >= SPAN_DAYS
        and not _a_named_month(event)
    )


def _a_named_month(event) -> bool:
    """Whether an event is dated by one whole calendar month ("In May, missiles hit ..."):
    ``dating.is_history`` judges those (the report's month and the month just over stay
    news)."""
    start, end = event.date_start, event.date_end
    return (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and ((end + timedelta(days=1)).day == 1)
    )


def is_described_motion(event, doc, triggers=frozenset()) -> bool:
    """Return whether an article's movement is told by a participle that describes the
    people it moves, not by a clause of its own: "chasing fleeing soldiers", "fees rose for
    tankers sailing through the gulf", or the target of another event's verb ("a drone hit
    men running toward the woods", a participle clause the parser hangs on that verb). The
    sentence reports the chase, the strike or the fees; the motion only says who they were.
    ``triggers``: the token indices of the article's other events' triggers."""
    if event.unreported is not None or event.event_type != "movement":
        return False
    tok = _root(event, doc)
    if tok is None or tok.tag_ != "VBG":
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return False  # "the soldiers were fleeing": a clause of its own
    if tok.dep_ in ("amod", "acl"):
        return tok.head.pos_ in ("NOUN", "PROPN")
    return tok.dep_ == "ccomp" and tok.head.i in triggers


def described_motions(out, doc):
    """Return an article's events with its described motions left out
    (``is_described_motion``)."""
    roots = [_root(e, doc) for e in out]
    triggers = frozenset(
        t.i
        for e, t in zip(out, roots, strict=True)
        if t is not None and e.unreported is None and e.event_type != "movement"
    )
    return [replace(e, unreported="description") if is_described_motion(e, doc, triggers) else e
            for e in out]  # fmt: skip


#: Nouns of those who carry out an attack, beside the lexicon's armed nouns and weapons.
_DOERS = frozenset("attacker attackers assailant assailants raider raiders gunman gunmen".split())
#: Words that make a definite noun phrase point back to what was told before.
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def _means_told_before(tok) -> bool:
    """Whether an attack's subject is a definite noun of its means or its doers ("The
    rockets", "the raid", "The gunmen", "The three shells", "The X-type missile")."""
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.pos_ != "NOUN":
        return False
    if not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in subj.children):
        return False
    from geo.extract import syntax
    from geo.extract.places import _attack_nouns

    return syntax.is_weapon(subj) or subj.lemma_ in _attack_nouns() or subj.lower_ in _DOERS


def is_told_again(event, previous, doc) -> bool:
    """Return whether an article's attack tells again the attack told just before it:
    its subject is a definite noun of the means or the doers ("The rockets landed on a
    school in the X quarter.", "The gunmen, who came on foot, opened fire at dusk.", "The
    device exploded beside a bakery in the Y quarter."), it
    names no place the gazetteer places apart from that attack's (a district, a street, a
    place the gazetteer does not know) and its dates meet that attack's. It is more of that
    incident, not another one. One told with "also" or "again" is another strike ("The
    rockets also hit a depot"); one at a town of its own is kept ("The night's raid wrecked
    a rail yard in X")."""
    if (
        previous is None
        or event.unreported is not None
        or event.event_type != "attack"
        or previous.event_type not in _INCIDENT_TYPES
    ):
        return False
    tok = _root(event, doc)
    if tok is None or tok.pos_ != "VERB" or not _means_told_before(tok):
        return False
    if any(c.dep_ == "advmod" and c.lower_ in ("also", "again") for c in tok.children):
        return False
    if event.place is not None and (
        previous.place is None or event.place.geonameid != previous.place.geonameid
    ):
        return False
    if None in (event.date_start, previous.date_start):
        return True
    return event.date_start <= previous.date_end and previous.date_start <= event.date_end


def told_again(out, doc):
    """Return an article's events with each attack told again left out as a detail
    (``is_told_again``); it is compared with the last event still reported before it."""
    kept, previous = [], None
    for e in out:
        if is_told_again(e, previous, doc):
            e = replace(e, unreported="detail")
        elif e.unreported is None:
            previous = e
        kept.append(e)
    return kept


#: Nouns of people protesting: what they attack or burn is a riot (ACLED's Protests and
#: Riots), not an armed attack.
_PROTESTERS = frozenset("protester demonstrator rioter mob".split())


def riots(out, doc):
    """Return an article's events with each attack whose subject is protesters made a
    protest ("protesters attacked a police station, throwing stones", "a mob stormed the
    town hall"): a riot, which event coders code with protests, not as an armed attack."""
    kept = []
    for e in out:
        tok = _root(e, doc) if e.unreported is None and e.event_type == "attack" else None
        subj = (
            next((c for c in tok.children if c.dep_ == "nsubj"), None) if tok is not None else None
        )
        if subj is not None and subj.lemma_.lower() in _PROTESTERS:
            e = replace(e, event_type="protest")
        kept.append(e)
    return kept


#: Verbs of marching: troops march to a front, townspeople march to be heard.
_MARCHES = frozenset({"march", "parade"})
#: Words of quantity whose "of" object says who they are ("hundreds of residents").
_QUANTITIES = frozenset({"hundred", "thousand", "dozen", "crowd", "group", "number"})


def is_civil_march(event, doc) -> bool:
    """Return whether an article's movement is a march of people who bear no arms
    ("hundreds of residents marched through the streets of X", "villagers marched to the
    district office"): a demonstration, which coders code as a protest, not a movement of
    forces. (The actors list calls residents civilians, which the trigger's conditions take
    for a side that moves; marching troops stay a movement.)"""
    if event.unreported is not None or event.event_type != "movement":
        return False
    tok = _root(event, doc)
    if tok is None or tok.lemma_.lower() not in _MARCHES:
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is not None and (subj.lemma_.lower() in _QUANTITIES or subj.like_num):
        subj = next((o for p in subj.children if p.dep_ == "prep" and p.lower_ == "of"
                     for o in p.children if o.dep_ == "pobj"), subj)  # fmt: skip
    return subj is not None and is_people(subj) and not is_armed(subj)


def _participle_of(a, b) -> bool:
    """Whether token ``a`` is a participle clause of ``b`` ("struck X, hitting Y")."""
    return a.dep_ == "advcl" and a.tag_ == "VBG" and a.head.i == b.i


def participle_details(out, doc):
    """Return an article's events with an attack left out as a detail when its sentence
    tells it as a participle clause of another attack's verb, or tells that verb with it as
    its participle, and it names no place the gazetteer knows while the other does
    ("Jets bombed the edge of X, hitting a barn in the Y quarter"; "Shells fell on the rail
    depot of X, wrecking two engines"): one strike told with
    its detail. Two places the gazetteer knows stay two events ("struck X, hitting a depot
    in Z")."""
    roots = [_root(e, doc) for e in out]
    kept = []
    for e, tok in zip(out, roots, strict=True):
        if (
            e.unreported is None
            and e.event_type == "attack"
            and e.place is None
            and tok is not None
        ):
            for f, other in zip(out, roots, strict=True):
                if (
                    f is not e
                    and other is not None
                    and f.unreported is None
                    and f.event_type == "attack"
                    and f.place is not None
                    and (_participle_of(tok, other) or _participle_of(other, tok))
                ):
                    e = replace(e, unreported="detail")
                    break
        kept.append(e)
    return kept
