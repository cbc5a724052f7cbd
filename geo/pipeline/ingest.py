"""Article → mentions → event candidates → events merged across outlets, one transaction each."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field

from geo.articles.reader import iter_article_paths, read_article
from geo.common import paths
from geo.events.geometry import geometry_bounds
from geo.events.merge import DATE_ASSUMED, PLACE_ASSUMED, compatible, merge, merge_counts, summarise
from geo.events.model import Event, Source
from geo.exc import ArticleError, ConflictError, GeoError, StoreError
from geo.extract.candidates import extract_candidates
from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.normalize import PLACE_WORDS, fold, strip_qualifiers
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.resolve import geoparse, is_metonymic
from geo.store.base import EventQuery

__all__ = [
    "DEMO_ARTICLES",
    "EXTRACTION",
    "IngestReport",
    "Processed",
    "article_events",
    "compatible",
    "ingest_paths",
    "merge",
    "process_article",
    "theatre_of",
    "write_processed",
]

#: The bundled demo articles ingested when no path is given.
DEMO_ARTICLES = paths.DEMO_ARTICLES
#: The ``extraction`` stamp of automatically extracted events (rules and their version).
EXTRACTION = "automatic:rules-1"
_LOCATIVE_CUES = frozenset("in near at outside around inside within across to into".split())


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
        tags.add(PLACE_ASSUMED)
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
    return event.replace(counts=merge_counts(event.counts, ()), summary=None)


def _reported(published):
    from datetime import date

    return date.fromisoformat(published) if published else None


def _strength(event):
    return (DATE_ASSUMED not in event.tags, event.name_in_text is not None, len(event.counts),
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
    return [e.replace(summary=summarise(e)) for e in events]


_BOUNDS = {}


def _bbox(event):
    """Return a bbox around an event's place (its area's bounds, or a small box on its point)."""
    if event.geometry is not None:
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
        key = (not own, DATE_ASSUMED in stored.tags, stored.event_id)
        if best_key is None or key < best_key:
            best, best_key = stored, key
    return best


@dataclass
class Processed:
    """One article read and extracted, ready to be written (or the reason it cannot be).

    Made by :func:`process_article` without touching a store, so that it can run in another
    process or on another machine; :func:`write_processed` then stores it.
    """

    path: str
    article: dict | None = None
    events: list = field(default_factory=list)
    error: str | None = None


def process_article(path, *, gazetteer=None, today=None) -> Processed:
    """Read one article file and extract its events (merged within the article); no store.

    A file that cannot be read or processed gives a ``Processed`` whose ``error`` says why.
    """
    try:
        article = read_article(path, today=today)
        events = article_events(article, gazetteer)
    except ArticleError as err:
        return Processed(str(path), error=str(err))
    except (GeoError, ValueError, OSError) as err:
        return Processed(str(path), error=f"{path}: cannot ingest: {err}")
    record = {k: v for k, v in article.items() if k != "path"}
    return Processed(str(path), record, events)


def _write_article(store, processed, gaz):
    """Store one processed article and merge its events into the store (a savepoint)."""
    done = IngestReport()
    with store.transaction():
        store.put_article(processed.article)
        pending, added = {}, set()
        for event in processed.events:
            match = _store_match(store, event, gaz)
            if match is not None:
                match = pending.get(match.event_id, match)  # two reports of one stored event
            if match is not None and match.status == "reviewed":
                done.protected += 1
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
                done.protected += 1
            elif event_id in unchanged:
                done.unchanged += 1
            elif event_id in added:
                done.events_added += 1
            else:
                done.events_updated += 1
    done.ok.append(processed.article["article_id"])
    return done


def write_processed(store, batch, *, gazetteer=None) -> IngestReport:
    """Write processed articles in one store transaction, each article all or nothing.

    An article whose processing failed, or whose write fails, is listed in ``failed`` and
    nothing of it is stored; when the transaction cannot be committed, every article of the
    batch is listed there instead. Only this step holds the store's write lock.
    """
    gaz = gazetteer or Gazetteer.default()
    report, written = IngestReport(), []

    def unit():  # run again by a store whose database aborted it for a concurrent write
        nonlocal report, written
        report, written = IngestReport(), []
        for processed in batch:
            if processed.error is not None:
                report.failed.append((processed.path, processed.error))
                continue
            try:
                _add(report, _write_article(store, processed, gaz))
                written.append(processed.path)
            except ConflictError:
                raise  # the whole batch is run again
            except (GeoError, ValueError) as err:
                report.failed.append((processed.path, f"{processed.path}: cannot ingest: {err}"))

    try:
        store.atomic(unit)
    except StoreError as err:
        # Nothing of this batch is stored: each of its articles failed, for this reason.
        failed = IngestReport(failed=list(report.failed))
        failed.failed.extend((p, f"{p}: cannot ingest: {err}") for p in written)
        return failed
    return report


def _add(report, part):
    report.ok.extend(part.ok)
    report.failed.extend(part.failed)
    report.events_added += part.events_added
    report.events_updated += part.events_updated
    report.unchanged += part.unchanged
    report.protected += part.protected


#: Articles share one transaction for up to this many articles or seconds (each is a
#: savepoint in it): a commit per article would cost as much as the article's own writes.
BATCH_ARTICLES = 50
BATCH_SECONDS = 0.5


def _batches(files, gaz, today, bar):
    """Yield lists of processed articles: up to ``BATCH_ARTICLES`` or ``BATCH_SECONDS`` each."""
    batch, t0 = [], time.monotonic()
    for path in files:
        batch.append(process_article(path, gazetteer=gaz, today=today))
        if bar is not None:
            bar.update(1)
        if len(batch) >= BATCH_ARTICLES or time.monotonic() - t0 >= BATCH_SECONDS:
            yield batch
            batch, t0 = [], time.monotonic()
    if batch:
        yield batch


def ingest_paths(store, paths=None, *, progress=False, gazetteer=None, today=None):
    """Read articles, extract their events and store them; each article all or nothing.

    Articles are read and extracted outside any transaction; each batch of them is then
    written in one transaction (a savepoint per article), so writers wait only for writes.

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
    with store.bulk():  # a store may tune itself for long writes
        for batch in _batches(files, gaz, today, bar):
            _add(report, write_processed(store, batch, gazetteer=gaz))
    if bar is not None:
        bar.close()
    return report
