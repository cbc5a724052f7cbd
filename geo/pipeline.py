"""Article → mentions → event candidates → events merged across outlets, one transaction each."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from geo.articles import iter_article_paths, read_article
from geo.events import Count, Event, Source
from geo.exc import ArticleError, GeoError
from geo.extract import extract_candidates
from geo.gazetteer import Gazetteer
from geo.normalize import PLACE_WORDS, fold, strip_qualifiers
from geo.place import COUNTRY_CODES
from geo.resolve import geoparse, is_metonymic
from geo.store import EventQuery

__all__ = [
    "DEMO_ARTICLES",
    "EXTRACTION",
    "IngestReport",
    "article_events",
    "compatible",
    "ingest_paths",
    "merge",
    "theatre_of",
]

#: The bundled demo articles ingested when no path is given.
DEMO_ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
#: The ``extraction`` stamp of automatically extracted events (rules and their version).
EXTRACTION = "automatic:rules-1"
_PRECISION_RANK = {"exact": 0, "near": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}
_CASUALTY_KINDS = {"killed", "wounded", "killed_or_wounded"}
_ASSUMED = "date-assumed"
_PLACE_ASSUMED = "place-assumed"
_LOCATIVE_CUES = frozenset("in near at outside around inside within across to into".split())
_LABELS = {
    "deployment": "Deployment", "capture": "Capture", "casualties": "Casualties",
    "attack": "Attack", "self_detonation": "Self-detonation", "front_line": "Front line",
    "movement": "Movement", "statement": "Statement",
}  # fmt: skip


@dataclass
class IngestReport:
    """What an ingestion run did.

    ``ok`` lists the ids of articles stored, ``failed`` the ``(path, reason)`` of files
    refused; ``events_added`` new events, ``events_updated`` events that gained a source or
    detail, ``unchanged`` events already holding what the article says, ``protected``
    reviewed or deleted events left alone.
    """

    ok: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    events_added: int = 0
    events_updated: int = 0
    unchanged: int = 0
    protected: int = 0

    def to_dict(self):
        """Return the report as a JSON-ready dict."""
        return {
            "ok": self.ok, "failed": [{"path": str(p), "reason": r} for p, r in self.failed],
            "events_added": self.events_added, "events_updated": self.events_updated,
            "unchanged": self.unchanged, "protected": self.protected,
        }  # fmt: skip


# -- places ---------------------------------------------------------------------------------


def _admin1_of(place, gaz):
    if place.feature_code in ("ADM1", "RGN") or place.feature_code in COUNTRY_CODES:
        return place
    if place.admin1_code:
        return gaz.admin1(place.country_code, place.admin1_code) or place
    return place


def theatre_of(text, mentions, gazetteer):
    """Return the area a document's events happen in when a sentence names no place.

    The first-level unit (or curated region) most often named as a location ("in the Kursk
    region", "in Kursk"), not counting places that stand for governments ("Kyiv said");
    a country only when no finer place is named. None when the text names no location.
    """
    counts, first = {}, {}
    for m in mentions:
        if m.role != "location" or m.place is None or is_metonymic(text, m):
            continue
        if m.cue not in _LOCATIVE_CUES:
            continue
        area = _admin1_of(m.place, gazetteer)
        weight = 0.5 if area.feature_code in COUNTRY_CODES else 1.0
        if area.feature_code in COUNTRY_CODES and any(
            x.place is not None and x.role == "location"
            and x.place.feature_code not in COUNTRY_CODES for x in mentions
        ):  # fmt: skip
            continue
        counts[area.geonameid] = counts.get(area.geonameid, 0) + weight
        first.setdefault(area.geonameid, (m.start, area))
    if not counts:
        return None
    best = max(counts, key=lambda gid: (counts[gid], -first[gid][0]))
    return first[best][1]


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


# -- compatibility and merging ----------------------------------------------------------------


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
    return _ASSUMED in event.tags and _PLACE_ASSUMED in event.tags


def _merge_counts(a, b):
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
    a_assumed, b_assumed = _ASSUMED in a.tags, _ASSUMED in b.tags
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
    ra = _PRECISION_RANK.get(a.geo_precision, 9) if a.geonameid is not None else 99
    rb = _PRECISION_RANK.get(b.geo_precision, 9) if b.geonameid is not None else 99
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
        tags.discard(_ASSUMED)
    if not (_PLACE_ASSUMED in a.tags and _PLACE_ASSUMED in b.tags):
        tags.discard(_PLACE_ASSUMED)
    reported = [d for d in (a.reported_at, b.reported_at) if d is not None]
    merged = a.replace(
        date_start=start, date_end=end, date_precision=precision,
        counts=_merge_counts(a.counts, b.counts), sources=sources, tags=tuple(sorted(tags)),
        reported_at=min(reported) if reported else None, **changes,
    )  # fmt: skip
    publishers = merged.publishers
    status = (
        a.status
        if a.status == "reviewed"
        else ("corroborated" if len(publishers) >= 2 else "claimed")
    )
    merged = merged.replace(status=status)
    return merged.replace(summary=_summary(merged))


def _summary(event):
    label = _LABELS.get(event.event_type, event.event_type)
    parts = [label]
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


# -- one article ------------------------------------------------------------------------------


def _homonym_area(place, name_in_text, gaz):
    """Return the admin1 unit when a town shares its name with it ("Kursk": city or oblast)."""
    if place is None or place.feature_class != "P" or not place.admin1_code or not name_in_text:
        return None
    if any(w in name_in_text.lower().split() for w in PLACE_WORDS):
        return None  # "Kursk city", "the town of X": the text says which
    area = gaz.admin1(place.country_code, place.admin1_code)
    if area is not None and strip_qualifiers(fold(area.name))[0] == fold(name_in_text):
        return area
    return None


def _event_from(cand, article, gaz, index):
    place = cand.place
    notes = None
    area = _homonym_area(place, cand.name_in_text, gaz)
    if area is not None:
        notes = (
            f"{cand.name_in_text!r} names both a town and its {area.name}; the text does "
            "not say which, so the event is placed at the area."
        )
        place = area
        cand.geo_precision = area.precision
    published = article.get("published_at")
    source = Source(
        source_id=article["article_id"], publisher=article.get("publisher"),
        title=article.get("title"), url=article.get("url"), published_at=published,
        published_precision=article.get("published_precision"), quote=cand.quote,
        start=cand.start, end=cand.end,
    )  # fmt: skip
    tags = {t for t in cand.tags if not t.startswith("sentence:")}
    if not cand.place_stated:
        tags.add(_PLACE_ASSUMED)
    tags = sorted(tags)
    fields = {}
    if place is not None:
        admin = gaz.admin1(place.country_code, place.admin1_code) if place.admin1_code else None
        fields = {
            "location_name": place.name, "name_in_text": cand.name_in_text,
            "geonameid": place.geonameid, "feature_code": place.feature_code,
            "country_code": place.country_code,
            "admin1": admin.name if admin else None,
            "latitude": place.lat, "longitude": place.lon,
            "geo_precision": cand.geo_precision or place.precision,
            "geometry": gaz.geometry(place.geonameid) if place.is_area else None,
        }  # fmt: skip
    if not cand.place_stated and place is not None:
        notes = "The sentence names no place: the article's main area is used."
    key = json.dumps([cand.event_type, article["article_id"], cand.start, cand.trigger])
    event = Event(
        event_id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12],
        event_type=cand.event_type, date_start=cand.date_start, date_end=cand.date_end,
        date_precision=cand.date_precision, actor1=cand.actor1, actor2=cand.actor2,
        claimed_by=cand.claimed_by, counts=tuple(cand.counts), sources=(source,),
        tags=tuple(tags), reported_at=_reported(published), extraction=EXTRACTION,
        gazetteer_version=gaz.version, notes=notes, **fields,
    )  # fmt: skip
    return event.replace(counts=_merge_counts(event.counts, ()), summary=None)


def _reported(published):
    from datetime import date

    return date.fromisoformat(published) if published else None


def _strength(event):
    return (_ASSUMED not in event.tags, event.name_in_text is not None, len(event.counts),
            event.actor1 is not None)  # fmt: skip


def article_events(article, gazetteer=None):
    """Return the events one article reports, merged within the article (one source each).

    Parameters
    ----------
    article : Article
        From :func:`geo.articles.read_article`.
    gazetteer : Gazetteer, optional
        Default: :meth:`Gazetteer.default`.

    Returns
    -------
    list of Event
    """
    gaz = gazetteer or Gazetteer.default()
    text = article.extraction_text
    mentions = geoparse(text, gazetteer=gaz)
    theatre = theatre_of(text, mentions, gaz)
    cands = extract_candidates(text, mentions, article.reference, theatre=theatre)
    events = []
    for i, cand in enumerate(cands):
        event = _event_from(cand, article, gaz, i)
        for k, other in enumerate(events):
            if compatible(other, event, gaz, across=False):
                strong, weak = (
                    (event, other) if _strength(event) > _strength(other) else (other, event)
                )
                merged = merge(strong, weak.replace(sources=()), gaz)
                events[k] = merged
                break
        else:
            events.append(event)
    return [e.replace(summary=_summary(e)) for e in events]


_BOUNDS = {}


def _bbox(event):
    """Return a bbox around an event's place (its area's bounds, or a small box on its point)."""
    if event.geometry is not None:
        from geo.sqlite_store import geometry_bounds

        key = event.geonameid
        bounds = _BOUNDS.get(key) if key is not None else None
        if bounds is None:
            bounds = geometry_bounds(event.geometry)
            if key is not None:
                _BOUNDS[key] = bounds
        if bounds is not None:
            return bounds
    if event.latitude is None:
        return None
    d = 0.05
    return (max(-180.0, event.longitude - d), max(-90.0, event.latitude - d),
            min(180.0, event.longitude + d), min(90.0, event.latitude + d))  # fmt: skip


def _store_match(store, event, gaz):
    # Events at nested places always have intersecting boxes: the box narrows the search.
    query = EventQuery(types=(event.event_type,), start=event.date_start, end=event.date_end,
                       bbox=_bbox(event))  # fmt: skip
    best, best_key = None, None
    sid = event.sources[0].source_id
    for stored in store.query(query):
        if not compatible(stored, event, gaz):
            continue
        own = any(s.source_id == sid for s in stored.sources)
        key = (not own, _ASSUMED in stored.tags, stored.event_id)
        if best_key is None or key < best_key:
            best, best_key = stored, key
    return best


def _ingest_article(store, article, gaz, report):
    events = article_events(article, gaz)
    record = {k: v for k, v in article.items() if k != "path"}
    with store.transaction():
        store.put_article(record)
        pending, added = {}, set()
        for event in events:
            match = _store_match(store, event, gaz)
            if match is not None:
                match = pending.get(match.event_id, match)  # two reports of one stored event
            if match is not None and match.status == "reviewed":
                report.protected += 1
                continue
            new = merge(match, event, gaz) if match is not None else event
            pending[new.event_id] = new
            if match is None:
                added.add(new.event_id)
        result = store.put_events(list(pending.values()))
        unchanged = set(getattr(result, "unchanged", ()))
        protected = set(getattr(result, "protected", ()))
        for event_id in pending:
            if event_id in protected:
                report.protected += 1
            elif event_id in unchanged:
                report.unchanged += 1
            elif event_id in added:
                report.events_added += 1
            else:
                report.events_updated += 1


def ingest_paths(store, paths=None, *, progress=False, gazetteer=None, today=None):
    """Read articles, extract their events and store them, one transaction per article.

    Parameters
    ----------
    store : EventStore
        Where articles and events go.
    paths : iterable of path-like, optional
        Files and folders; default: the bundled demo articles (``data/articles``).
    progress : bool, default False
        Show a progress bar on stderr.
    gazetteer : Gazetteer, optional
        Default: :meth:`Gazetteer.default`.
    today : date, optional
        Publication dates after it are refused (default: today).

    Returns
    -------
    IngestReport
        A file that cannot be read or processed is listed in ``failed`` with the reason;
        the others are stored and nothing already stored changes because of it.
    """
    gaz = gazetteer or Gazetteer.default()
    report = IngestReport()
    files = list(iter_article_paths([DEMO_ARTICLES] if paths is None else paths))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="article", file=sys.stderr, disable=None)
    for path in files:
        try:
            article = read_article(path, today=today)
            _ingest_article(store, article, gaz, report)
            report.ok.append(article["article_id"])
        except ArticleError as err:
            report.failed.append((str(path), str(err)))
        except (GeoError, ValueError, OSError) as err:
            report.failed.append((str(path), f"{path}: cannot ingest: {err}"))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return report
