"""Merging reports of one event: compatibility rules, merged dates, places, counts, sources."""

from __future__ import annotations

from geo.events.model import Count
from geo.events.taxonomy import PRECISION_RANK, UNKNOWN_RANK, event_type
from geo.gazetteer.place import COUNTRY_CODES

__all__ = ["DATE_ASSUMED", "PLACE_ASSUMED", "compatible", "merge", "merge_counts", "summarise"]

_CASUALTY_KINDS = {"killed", "wounded", "killed_or_wounded"}
#: Tag of an event whose sentence states no date (dated from the publication).
DATE_ASSUMED = "date-assumed"
#: Tag of an event whose sentence names no place (placed at the article's main area).
PLACE_ASSUMED = "place-assumed"


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


def _counts_compatible(a, b):
    for ca in a:
        for cb in b:
            fam_a = "casualty" if ca.kind in _CASUALTY_KINDS else ca.kind
            fam_b = "casualty" if cb.kind in _CASUALTY_KINDS else cb.kind
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


def _place_of(event, gaz):
    return gaz.get(event.geonameid) if event.geonameid is not None else None


def compatible(a, b, gazetteer, *, across=True):
    """Return True when events ``a`` and ``b`` may report the same event.

    Same type; overlapping date ranges; the same place, or one inside the other (a town in
    an oblast, an oblast in a region; a country-level place is too coarse to tell events
    apart and fits any place); no conflicting actors; compatible counts (the same order of
    magnitude, vague lower bounds such as "thousands" allowing more). ``across`` (reports
    from different articles): a report that states neither its date nor its place must
    also share actor1 or a kind of count with the other.
    """
    if a.event_type != b.event_type:
        return False
    if a.date_start > b.date_end or b.date_start > a.date_end:
        return False
    pa, pb = _place_of(a, gazetteer), _place_of(b, gazetteer)
    if pa is not None and pb is not None and pa.geonameid != pb.geonameid:
        coarse = pa.feature_code in COUNTRY_CODES or pb.feature_code in COUNTRY_CODES
        if not coarse and not (_contains(pa, pb, gazetteer) or _contains(pb, pa, gazetteer)):
            return False
    for name in ("actor1", "actor2"):
        x, y = getattr(a, name), getattr(b, name)
        if x and y and x != y:
            return False
    if a.event_type == "front_line" and (("objective" in a.tags) != ("objective" in b.tags)):
        return False
    if not _counts_compatible(a.counts, b.counts):
        return False
    if across and (_weak(a) or _weak(b)):
        # A report with neither a date nor a place of its own must share something positive.
        shared_actor = a.actor1 is not None and a.actor1 == b.actor1
        kinds = {_family(c.kind) for c in a.counts} & {_family(c.kind) for c in b.counts}
        return shared_actor or bool(kinds)
    return True


def _family(kind):
    return "casualty" if kind in _CASUALTY_KINDS else kind


def _weak(event):
    return DATE_ASSUMED in event.tags and PLACE_ASSUMED in event.tags


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

    ``a`` keeps its id. Stated dates narrow to their overlap; an assumed date (none was
    stated) never narrows a stated one. The finer place wins. Counts of a kind merge into
    low/high over the precise figures (a "best" estimate is kept). Merging the same event
    again changes nothing.
    """
    a_assumed, b_assumed = DATE_ASSUMED in a.tags, DATE_ASSUMED in b.tags
    start, end, precision = a.date_start, a.date_end, a.date_precision
    if (a_assumed and not b_assumed) or (a_assumed == b_assumed and
                                         (max(a.date_start, b.date_start)
                                          <= min(a.date_end, b.date_end))):  # fmt: skip
        if a_assumed and not b_assumed:
            start, end, precision = b.date_start, b.date_end, b.date_precision
        else:
            start, end = max(a.date_start, b.date_start), min(a.date_end, b.date_end)
            if (start, end) == (b.date_start, b.date_end):
                precision = b.date_precision
            elif (start, end) != (a.date_start, a.date_end):
                precision = "range" if start != end else "day"
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
    for name in ("actor1", "actor2", "claimed_by"):
        if getattr(a, name) is None and getattr(b, name) is not None:
            changes[name] = getattr(b, name)
    sources = {s.source_id: s for s in a.sources}
    for s in b.sources:
        sources.setdefault(s.source_id, s)
    sources = tuple(sorted(sources.values(), key=lambda s: (s.published_at or "", s.source_id)))
    tags = set(a.tags) | set(b.tags)
    if not (a_assumed and b_assumed):
        tags.discard(DATE_ASSUMED)
    if not (PLACE_ASSUMED in a.tags and PLACE_ASSUMED in b.tags):
        tags.discard(PLACE_ASSUMED)
    reported = [d for d in (a.reported_at, b.reported_at) if d is not None]
    merged = a.replace(
        date_start=start, date_end=end, date_precision=precision,
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
