"""When an event happened: the date expression attached to its trigger, else its report's day.

The date of an event is, in order: a date expression attached to the trigger's clause in the
parse (or the sentence's only one), the date of the sentence it continues (the previous
sentence's stated date, ``basis="inherited"``), or the day the report was published
(``basis="report"``). Without a publication date and a stated date the event is undated.
Events dated long before the report ("in 1943 the Red Army captured ...") are history asides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from geo.extract.lexicon import SPEECH_VERBS
from geo.extract.temporal import DateExpr, Reference, find_dates

__all__ = [
    "ARTICLE_HISTORY_DAYS",
    "ARTICLE_MONTH_DAYS",
    "ARTICLE_SPAN_DAYS",
    "HISTORY_DAYS",
    "EventDate",
    "event_date",
    "is_history",
    "sentence_dates",
]

#: An event that ended this many days before its report is background, not news.
HISTORY_DAYS = 365
#: In an article, which tells the news of its last days and recalls the rest as background,
#: an event that ended this many days before the report is background ("In March, rockets hit
#: a school in X"; "X was shelled on January 14" in an article of May).
#: Event coders code what an article reports as new: no event of the dev sets' gold is dated
#: more than a week before its report.
ARTICLE_HISTORY_DAYS = 30
#: ... and so is one dated by a month (or a year) named without a day that ended this many
#: days before the report: all of it is older than the news of the last days.
ARTICLE_MONTH_DAYS = 7
#: ... and an event stated over a span that began this many days before the report is a
#: state or a tally, not an incident ("Russian forces have shelled X since last September").
ARTICLE_SPAN_DAYS = 180
#: Phrases that set a sentence in the past without a date ("years ago", "in World War II",
#: "in the early weeks" of a war, "at the time").
_ASIDE = re.compile(
    r"\b(?:(?:years|decades|centuries)\s+ago|(?:19|20)\d0s|historically|in\s+ancient"
    r"|in\s+the\s+(?:early|first|opening)\s+(?:days|weeks|months|years)"
    r"|at\s+the\s+(?:start|beginning|outset)\s+of\s+the\s+(?:war|invasion|conflict)"
    r"|(?:back\s+then|at\s+the\s+time|in\s+the\s+past)(?=\s*[,.;])"
    r"|(?-i:(?:during|in|of)\s+(?:the\s+)?(?:(?:First|Second)\s+World\s+War|World\s+War"
    r"\s+(?:I|II|One|Two)|[A-Z]\w+(?:\s+[A-Z]\w+){0,2}\s+War)))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventDate:
    """An event's date range, its precision and where it came from."""

    start: date
    end: date
    precision: str
    basis: str  # "stated", "inherited" or "report"
    text: str | None = None


def sentence_dates(sent, ref) -> list[tuple[DateExpr, object]]:
    """Return the date expressions of a sentence with the token each begins at."""
    out = []
    base = sent.start_char
    for expr in find_dates(sent.text, ref):
        token = None
        for tok in sent:
            if tok.idx >= base + expr.offset:
                token = tok
                break
        out.append((expr, token))
    return out


def _attached(token, trigger):
    """Return the number of arcs from a date's token up to the trigger's clause (or None)."""
    heads = {trigger.head.i, trigger.token.i}
    for depth, anc in enumerate([token, *token.ancestors]):
        if anc.i in heads:
            return depth
    return None


_SPEECH = SPEECH_VERBS | {"admit", "reveal", "disclose"}


def _dates_speech(token, trigger) -> bool:
    """Return whether a date phrase dates a statement about the event, not the event: it
    hangs on a speech verb whose complement holds the trigger."""
    for anc in token.ancestors:
        if anc.lemma_.lower() in _SPEECH and anc.pos_ in ("VERB", "AUX"):
            return trigger.token in anc.subtree
        if anc.pos_ in ("VERB", "AUX"):
            return _between_speech_and_clause(token, anc) and trigger.token in anc.subtree
    return False


def _fronted_speech_date(token, trigger) -> bool:
    """Whether a date the parser hangs on the trigger's own clause stands before that
    clause, right after the verb of speaking that reports it (``_between_speech_and_clause``)."""
    verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return (
        verb is not None
        and trigger.token in verb.subtree
        and _between_speech_and_clause(token, verb)
    )


def _between_speech_and_clause(token, verb) -> bool:
    """Whether a date the parser hangs on a reported verb stands between the verb of
    speaking and the reported clause ("the army said on Monday it had captured X", with no
    "that"): by its place it dates the speaking, not the reported event, which begins with
    its subject after the date."""
    head = verb.head
    if verb.dep_ != "ccomp" or head.lemma_.lower() not in _SPEECH or not head.i < token.i:
        return False
    if any(c.dep_ == "mark" and c.i < token.i for c in verb.children):
        return False  # "said that on Monday it had captured X": the clause's own date
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and token.i < subj.left_edge.i


#: Conjunctions whose clause dates something other than the event it hangs on: "since" the
#: start of a state; "before", "until" and "till" what came after the event ("burned the
#: trucks before troops arrived on Tuesday": the burning was earlier, on the day told before).
_BOUND_MARKS = frozenset({"since", "before", "until", "till"})


def _in_since_clause(token, trigger) -> bool:
    """Return whether a date sits in a "since" clause that does not hold the trigger ("the
    talks in a city where the minister has lived since he fled the capital last year"): it dates
    the start of a state, not the event; or in a "before" or "until" clause ("the gunmen held
    the base before reinforcements arrived on Tuesday"), which dates a later event, not this
    one."""
    for anc in [token, *token.ancestors]:
        if anc.pos_ in ("VERB", "AUX") and any(
            c.dep_ == "mark" and c.lower_ in _BOUND_MARKS for c in anc.children
        ):
            return trigger.token not in anc.subtree
    return False


#: Days counted from the day of speaking ("overnight", "yesterday", "last night").
_DEICTIC = re.compile(r"\b(?:overnight|yesterday|last\s+night)\b", re.IGNORECASE)


def _counted_from_statement(expr, usable, trigger, ref):
    """Return ``expr`` counted from the day of the statement that reports the event when the
    sentence dates that statement ("gunmen burned a farm overnight, police said on
    Saturday" in Monday's paper: the night before Saturday, not before Monday):
    "overnight", "yesterday" and "last night" are the speaker's, not the reporter's."""
    if ref is None or expr.anchor != "publication" or not _DEICTIC.search(expr.text):
        return expr
    said = [e for e, t in usable if e is not expr and e.precision == "day" and e.start == e.end
            and _dates_speech(t, trigger)]  # fmt: skip
    if not said or said[0].start == ref.start:
        return expr
    again = [e for e in find_dates(expr.text, Reference(said[0].start, said[0].start))
             if e.anchor == "publication"]  # fmt: skip
    if not again:
        return expr
    e = again[0]
    return DateExpr(e.start, e.end, e.precision, expr.text, expr.offset, expr.kind, expr.anchor)


_DAY = timedelta(days=1)


def _told_as_done(trigger) -> bool:
    """Whether a trigger is a verb in the perfect ("troops had retaken the district", "the
    army said it has captured X", "soldiers had been killed"): the event is told as done
    before the time of speaking, so a report dated only by its statement or its
    publication day tells an event of that day or the day before it (a claim on Tuesday
    that a village "had been captured" reports a capture of Monday or Tuesday)."""
    tok = trigger.token
    return tok.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in tok.children
    )


def event_date(trigger, dates, ref, inherited=None) -> EventDate | None:
    """Return the date of the event ``trigger`` reports, or None when it cannot be dated.

    Parameters
    ----------
    trigger : geo.extract.detect.Trigger
    dates : list
        ``sentence_dates`` of the trigger's sentence.
    ref : geo.extract.temporal.Reference or None
        The publication date.
    inherited : EventDate, optional
        The stated date of the sentence this one continues.
    """
    usable = [(e, t) for e, t in dates if e.kind != "vague" and t is not None
              and not _in_since_clause(t, trigger)]  # fmt: skip
    if usable:
        ranked = []
        for expr, token in usable:
            depth = _attached(token, trigger)
            distance = abs(token.i - trigger.token.i)
            ranked.append((depth is None, depth or 0, distance, expr))
        best = min(ranked, key=lambda r: r[:3])
        expr = best[3]
        token = next(t for e, t in usable if e is expr)
        if _dates_speech(token, trigger) if best[0] else _fronted_speech_date(token, trigger):
            # "On January 12 the government said it captured him": the day of the
            # statement, not of the capture, which happened on or before it
            if expr.precision == "day" and _told_as_done(trigger):
                return EventDate(expr.start - _DAY, expr.end, "range", "report", expr.text)
            return EventDate(expr.start, expr.end, expr.precision, "report", expr.text)
        expr = _counted_from_statement(expr, usable, trigger, ref)
        return EventDate(expr.start, expr.end, expr.precision, "stated", expr.text)
    if inherited is not None:
        return EventDate(inherited.start, inherited.end, inherited.precision, "inherited",
                         inherited.text)  # fmt: skip
    if ref is not None:
        if ref.start == ref.end and _told_as_done(trigger):
            return EventDate(ref.start - _DAY, ref.end, "range", "report")
        if ref.start == ref.end:
            return EventDate(ref.start, ref.end, "day", "report")
        return EventDate(ref.start, ref.end, "range", "report")
    return None


def is_history(when: EventDate | None, ref, sent_text: str, *, article: bool = False) -> bool:
    """Return whether a dated sentence is a history aside, not a report of news.

    ``article``: the sentence is part of an article, whose background is anything dated
    more than ``ARTICLE_HISTORY_DAYS`` before the report, stated over a span that began
    more than ``ARTICLE_SPAN_DAYS`` before it, or dated by a month (or a year) named without
    a day that ended ``ARTICLE_MONTH_DAYS`` before it; elsewhere (a note, a wire line) only what
    ended ``HISTORY_DAYS`` before it.
    """
    if _ASIDE.search(sent_text):
        return True
    if when is None or ref is None or when.basis == "report":
        return False
    if article and when.start < ref.start - timedelta(days=ARTICLE_SPAN_DAYS):
        return True
    if (
        article
        and when.precision in ("month", "year")
        and (when.end < ref.start - timedelta(days=ARTICLE_MONTH_DAYS))
    ):
        # "In July, drones hit a depot" in an article of late August: a month named without
        # a day, over more than a week before the report, is recalled, not the news of the
        # last days ("last month" in an article of February 1 may still be its news)
        return True
    days = ARTICLE_HISTORY_DAYS if article else HISTORY_DAYS
    return when.end < ref.start - timedelta(days=days)
