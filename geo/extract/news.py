"""What an article reports as news: the incidents it places and dates, not its background.

An article tells the news of its last days and recalls the rest (event coders code the
reported incidents, each dated and placed; background is not an event). ``find_events``
applies these rules to the events of a long text (``events.ARTICLE_SENTENCES`` sentences or
more) after reading each sentence; what is left out keeps its reason in ``unreported``:

* ``history`` (``dating.is_history``): dated more than ``dating.ARTICLE_HISTORY_DAYS`` before
  the report, or over a span begun ``dating.ARTICLE_SPAN_DAYS`` before it;
* ``detail``: no place named for it and no day of its own (``is_detail``);
* ``summary``: a strike or a battle placed only at a whole country (``is_summary``).

A toll told at a town on the days of an attack told before it is an attack there
(``tolls_as_attacks``).
"""

from __future__ import annotations

from dataclasses import replace

from geo.gazetteer.place import COUNTRY_CODES

__all__ = ["article_news", "is_detail", "is_summary", "tolls_as_attacks"]


def article_news(events):
    """Return an article's ``EventMention``s with its details and summaries left out
    (``unreported`` set) and its tolls at a town on the days of its attacks made attacks."""
    out = [replace(e, unreported="detail") if is_detail(e) else e for e in events]
    out = [replace(e, unreported="summary") if is_summary(e) else e for e in out]
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
