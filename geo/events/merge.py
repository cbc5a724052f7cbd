"""Merging reports of one event: compatibility rules, merged dates, places, counts, sources."""

from __future__ import annotations

from datetime import date, timedelta

from geopy.distance import great_circle

from geo.events.model import Count
from geo.events.taxonomy import (
    CIVILIANS_ACTOR,
    DATE_BASES,
    PRECISION_RANK,
    STATE_FORCES_PREFIXES,
    UNIDENTIFIED_ACTOR,
    UNKNOWN_RANK,
    event_type,
)
from geo.gazetteer.place import COUNTRY_CODES

__all__ = [
    "REPORT_LAG_DAYS",
    "SAME_PLACE_KM",
    "compatible",
    "match_window",
    "may_be_compatible",
    "merge",
    "merge_counts",
    "one_per_day",
    "same_place",
    "summarise",
]

_CASUALTY_KINDS = {"killed", "wounded", "killed_or_wounded"}
#: Points this close are one place for merging (villages and their outskirts).
SAME_PLACE_KM = 10.0
#: An incident dated only by its report happened on that day or up to this many days before.
REPORT_LAG_DAYS = 7
_STATES = frozenset(("deployment", "front_line"))
_BASIS_RANK = {basis: rank for rank, basis in enumerate(DATE_BASES)}  # the surest first


_CONTAINS = {}


def _contains(outer, inner, gaz):
    """Return True when place ``inner`` lies inside area ``outer`` (admin1, region, country)."""
    if outer.geonameid == inner.geonameid:
        return True
    if outer.feature_code in COUNTRY_CODES:
        return outer.country_code == inner.country_code
    if outer.feature_code == "ADM1":
        return (inner.country_code, inner.admin1_code) == (outer.country_code,
                                                           outer.admin1_code)  # fmt: skip
    if outer.feature_code == "RGN":
        key = (outer.geonameid, inner.geonameid)
        if key not in _CONTAINS:
            from shapely.geometry import Point, shape

            geometry = gaz.geometry(outer.geonameid)
            _CONTAINS[key] = geometry is not None and shape(geometry).contains(
                Point(inner.lon, inner.lat)
            )
        return _CONTAINS[key]
    return False


def _rep(count):
    if count.best is not None:
        return count.best
    if count.low is not None and count.high is not None:
        return (count.low + count.high) / 2
    return count.low if count.low is not None else count.high


def _counts_compatible(a, b, *, by_kind=False):
    """Counts of one family (of one kind when ``by_kind``) within a factor 3 (20 for vague
    lower bounds such as "thousands")."""
    for ca in a:
        for cb in b:
            fam_a = ca.kind if by_kind else _family(ca.kind)
            fam_b = cb.kind if by_kind else _family(cb.kind)
            if fam_a != fam_b:
                continue
            ra, rb = _rep(ca), _rep(cb)
            if not ra or not rb:
                continue
            lo, hi = min(ra, rb), max(ra, rb)
            vague = any(c.high is None and c.best is None and c.low is not None
                        and c.low != c.high for c in (ca, cb))  # fmt: skip
            if hi / lo > (20 if vague else 3):
                return False
            if vague:
                bound = max(c.low for c in (ca, cb) if c.high is None and c.low is not None)
                if min(ra, rb) < bound * 0.5:
                    return False
    return True


def _located(event):
    return event.geonameid is not None or event.latitude is not None


def _reach(event):
    """Return the dates an event may have happened on: a date taken from its report (or a
    statement about it) bounds it from above; a state (a deployment, who holds a place) may
    have begun any time before, an incident within ``REPORT_LAG_DAYS``."""
    if event.date_basis != "report":
        return event.date_start, event.date_end
    if event.event_type in _STATES:
        return date.min, event.date_end
    return event.date_start - timedelta(days=REPORT_LAG_DAYS), event.date_end


def match_window(event):
    """Return ``(start, end)``: the dates a stored event must overlap to possibly be the same
    event as ``event`` (``None`` for an open end). Wider than ``event``'s own dates: reports
    dated by their publication reach back, and dates a day apart may be one night."""
    start, end = _reach(event)
    start = None if start == date.min else start - timedelta(days=1)
    if event.event_type in _STATES:
        return start, None  # a later report of the same deployment, dated by its report
    return start, end + timedelta(days=1 + REPORT_LAG_DAYS)


def _dates_touch(a, b):
    """Overlapping date ranges, or day-precise dates (stated or by report) a day apart."""
    (a0, a1), (b0, b1) = _reach(a), _reach(b)
    if a0 <= b1 and b0 <= a1:
        return True
    gap = max(a.date_start, b.date_start) - min(a.date_end, b.date_end)
    single = a.date_start == a.date_end and b.date_start == b.date_end
    return single and gap <= timedelta(days=1)


def same_place(a, b, gazetteer) -> bool:
    """Return whether two located events are at one place: the same id, one inside the other
    (a town in its admin1 or admin2 unit, a unit in a curated region; never a country, which
    is too coarse to tell events apart), or points within ``SAME_PLACE_KM``."""
    return _same_place(a.geonameid, _point(a), b.geonameid, _point(b), gazetteer)


def _point(event):
    """Return ``(lat, lon)`` of an event drawn as a point, else None (an area, no place)."""
    return None if event.latitude is None or event.geometry else (event.latitude, event.longitude)


def _same_place(id_a, point_a, id_b, point_b, gazetteer):
    if id_a is not None and id_a == id_b:
        return True
    pa = gazetteer.get(id_a) if id_a is not None else None
    pb = gazetteer.get(id_b) if id_b is not None else None
    if pa is not None and pb is not None:
        coarse = pa.feature_code in COUNTRY_CODES or pb.feature_code in COUNTRY_CODES
        if not coarse and (_contains(pa, pb, gazetteer) or _contains(pb, pa, gazetteer)):
            return True
    if point_a is None or point_b is None:
        return False
    return great_circle(point_a, point_b).km <= SAME_PLACE_KM


def may_be_compatible(facts, event, gazetteer) -> bool:
    """Return False when a stored event cannot be ``compatible`` with ``event`` across
    articles, knowing of it only its ``facts`` (``geo.store.base.EventFacts``: type, dates,
    actors, place). True means: read the stored event and ask ``compatible``, which also
    tests what the facts lack (its date basis, tags and counts). Never False where
    ``compatible(stored, event, gazetteer)`` is True: its date basis unknown, the stored
    event is given the widest reach any basis allows (a report's)."""
    if facts.event_type != event.event_type:
        return False
    for name in ("actor1", "actor2"):
        x, y = getattr(facts, name), getattr(event, name)
        if x and y and x != y:
            return False
    if facts.event_type in _STATES:
        a0 = date.min
    else:
        a0 = facts.date_start - timedelta(days=REPORT_LAG_DAYS)
    b0, b1 = _reach(event)
    if not (a0 <= b1 and b0 <= facts.date_end):
        gap = max(facts.date_start, event.date_start) - min(facts.date_end, event.date_end)
        single = facts.date_start == facts.date_end and event.date_start == event.date_end
        if not (single and gap <= timedelta(days=1)):
            return False
    if not _located(event) or (facts.geonameid is None and facts.latitude is None):
        # an area without a gazetteer place is at no same place either way
        return False
    point = None if facts.latitude is None else (facts.latitude, facts.longitude)
    return _same_place(facts.geonameid, point, event.geonameid, _point(event), gazetteer)


def _named_later(x, y):
    """Return whether two actors of one article may be one: an armed group it does not name
    ("the insurgents") and the non-state group it named (not a state's forces, not
    civilians)."""
    if UNIDENTIFIED_ACTOR not in (x, y):
        return False
    named = y if x == UNIDENTIFIED_ACTOR else x
    return not named.startswith(STATE_FORCES_PREFIXES) and named != CIVILIANS_ACTOR


def compatible(a, b, gazetteer, *, across=True, anywhere=False):
    """Return True when events ``a`` and ``b`` may report the same event.

    Same type; dates that overlap (or day-precise dates a day apart: reports differ on the
    day of a night attack); the same place (``same_place``); no conflicting actors;
    compatible counts (the same order of magnitude, vague lower bounds such as "thousands"
    allowing more). An event with no place never merges with another article's event
    (``across``): two reports of "an attack" somewhere are not one event. Within one article
    (``across=False``) unplaced reports merge only with each other, unless ``anywhere``
    (the caller has another reason to think they are one event); and a detail told after
    its attack is that attack: an armed group the article does not name
    (``UNIDENTIFIED_ACTOR``: "the gunmen then looted the clinic" after "JNIM fighters
    stormed the village") is the non-state group it named, and counts are compared kind by
    kind ("Two guards were hurt in the raid" after "the raid killed 30": two wounded beside
    30 killed contradict nothing).
    """
    if a.event_type != b.event_type:
        return False
    if not _dates_touch(a, b):
        return False
    la, lb = _located(a), _located(b)
    if anywhere:
        pass
    elif not (la and lb):
        if across or la != lb:
            return False
    elif not same_place(a, b, gazetteer):
        return False
    for name in ("actor1", "actor2"):
        x, y = getattr(a, name), getattr(b, name)
        if x and y and x != y and (across or not _named_later(x, y)):
            return False
    if a.event_type == "front_line" and (("objective" in a.tags) != ("objective" in b.tags)):
        return False
    return _counts_compatible(a.counts, b.counts, by_kind=not across)


def _family(kind):
    return "casualty" if kind in _CASUALTY_KINDS else kind


def merge_counts(a, b):
    """Return the counts of ``a`` and ``b`` merged per kind (low/high over precise figures)."""
    kinds = {}
    for c in (*a, *b):
        kinds.setdefault(c.kind, []).append(c)
    out = []
    for kind in sorted(kinds):
        group = kinds[kind]
        precise = [
            c for c in group if c.best is not None or (c.low is not None and c.high is not None)
        ]
        best = next((c.best for c in group if c.best is not None), None)
        texts = "; ".join(sorted({part for c in group if c.text for part in c.text.split("; ")}))
        ranged = [c for c in group if c.low is not None and c.high is not None]
        if ranged:
            values = [v for c in ranged for v in (c.low, c.high)] + [
                c.best for c in precise if c.best is not None
            ]
            out.append(Count(kind, min(values), max(values), best, texts or None))
        elif precise:
            out.append(Count(kind, None, None, best, texts or None))
        else:
            lows = [c.low for c in group if c.low is not None]
            highs = [c.high for c in group if c.high is not None]
            out.append(Count(kind, max(lows) if lows else None, min(highs) if highs else None,
                             None, texts or None))  # fmt: skip
    return tuple(out)


def merge(a, b, gazetteer):
    """Return event ``a`` with what ``b`` adds: its sources, a finer date or place, counts.

    ``a`` keeps its id. Dates of the same basis narrow to their overlap (or span both days
    when they are a day apart); a stated date wins over an inherited or a report's date.
    The finer place wins. Counts of a kind merge into low/high over the precise figures (a
    "best" estimate is kept). Merging the same event again changes nothing.
    """
    start, end, precision, basis = a.date_start, a.date_end, a.date_precision, a.date_basis
    last = len(DATE_BASES)
    rank_a, rank_b = _BASIS_RANK.get(a.date_basis, last), _BASIS_RANK.get(b.date_basis, last)
    if rank_b < rank_a:
        # a stated date wins over one inherited or taken from the report
        start, end, precision, basis = b.date_start, b.date_end, b.date_precision, b.date_basis
    elif rank_b == rank_a:
        lo, hi = max(a.date_start, b.date_start), min(a.date_end, b.date_end)
        if lo > hi:  # a day apart: the event lies on one of the two days
            lo, hi = min(a.date_start, b.date_start), max(a.date_end, b.date_end)
        if (lo, hi) == (b.date_start, b.date_end):
            precision = b.date_precision
        elif (lo, hi) != (a.date_start, a.date_end):
            precision = "range" if lo != hi else "day"
        start, end = lo, hi
    place_fields = ("location_name", "name_in_text", "geonameid", "feature_code",
                    "country_code", "admin1", "latitude", "longitude", "geo_precision",
                    "geometry")  # fmt: skip
    changes = {}
    # finest place first; a precision without a gazetteer place ranks after every other
    unplaced = UNKNOWN_RANK + 1
    ra = PRECISION_RANK.get(a.geo_precision, UNKNOWN_RANK) if a.geonameid is not None else unplaced
    rb = PRECISION_RANK.get(b.geo_precision, UNKNOWN_RANK) if b.geonameid is not None else unplaced
    if rb < ra or (rb == ra and a.name_in_text is None and b.name_in_text is not None
                   and a.geonameid == b.geonameid):  # fmt: skip
        changes.update({f: getattr(b, f) for f in place_fields})
    for name in ("actor1", "actor2", "claimed_by", "target"):
        if getattr(a, name) in (None, UNIDENTIFIED_ACTOR) and getattr(b, name) is not None:
            changes[name] = getattr(b, name)  # (the named actor of an article's detail)
    sources = {s.source_id: s for s in a.sources}
    for s in b.sources:
        sources.setdefault(s.source_id, s)
    sources = tuple(sorted(sources.values(), key=lambda s: (s.published_at or "", s.source_id)))
    tags = set(a.tags) | set(b.tags)
    if ("place-assumed" in a.tags) != ("place-assumed" in b.tags):
        tags.discard("place-assumed")  # one report names the place
    reported = [d for d in (a.reported_at, b.reported_at) if d is not None]
    merged = a.replace(
        date_start=start, date_end=end, date_precision=precision, date_basis=basis,
        counts=merge_counts(a.counts, b.counts), sources=sources, tags=tuple(sorted(tags)),
        reported_at=min(reported) if reported else None, **changes,
    )  # fmt: skip
    publishers = merged.publishers
    status = (
        a.status
        if a.status == "reviewed"
        else ("corroborated" if len(publishers) >= 2 else "claimed")
    )
    merged = merged.replace(status=status)
    return merged.replace(summary=summarise(merged))


def summarise(event):
    """Return a one-line summary of an event ("Capture of ... by ... in Kursk Oblast")."""
    parts = [event_type(event.event_type).label]
    if event.event_type == "capture" and event.actor2:
        parts.append(f"of {event.actor2}" + (f" by {event.actor1}" if event.actor1 else ""))
    elif event.actor1:
        parts.append(f"— {event.actor1}" + (f" with {event.actor2}" if event.actor2 else ""))
    counts = ", ".join(f"{c.kind.replace('_', ' ')} {c.text}" for c in event.counts if c.text)
    if counts:
        parts.append(f"({counts})")
    if event.location_name:
        parts.append(f"in {event.location_name}")
    if "objective" in event.tags:
        parts.append("(stated objective)")
    return " ".join(parts)


def _day_key(event):
    """Return ``(type, place, day)`` of a day-precise located event, else None."""
    if event.date_start != event.date_end:
        return None
    if event.geonameid is not None:
        place = ("id", event.geonameid)
    elif event.latitude is not None:
        place = ("point", round(event.latitude, 3), round(event.longitude, 3))
    else:
        return None
    return event.event_type, place, event.date_start


def one_per_day(events, gazetteer):
    """Yield events with those of one type at one place on one day merged into one.

    VIINA's "one per day" view: several reports of shelling of one village on one day count
    as one event. ``events`` must come in date order (as a store query returns them); events
    that are not day-precise or have no place pass through unchanged.
    """
    day, groups = None, {}
    for event in events:
        if event.date_start != day:
            yield from groups.values()
            day, groups = event.date_start, {}
        key = _day_key(event)
        if key is None:
            yield event
        elif key in groups:
            groups[key] = merge(groups[key], event, gazetteer)
        else:
            groups[key] = event
    yield from groups.values()
