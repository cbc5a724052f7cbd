"""Article → mentions → event candidates → events merged across outlets, one transaction each."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from geo.articles.reader import iter_article_paths, read_article
from geo.common import nlp, paths
from geo.events.geometry import geometry_bounds
from geo.events.merge import (
    compatible,
    match_window,
    may_be_compatible,
    merge,
    merge_counts,
    summarise,
)
from geo.events.model import Event, Source
from geo.exc import ArticleError, ConflictError, GeoError, StoreError
from geo.extract import find_events_in
from geo.extract.headlines import reparse_headlines
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.resolve import geoparse, is_metonymic
from geo.store.base import EventQuery

__all__ = [
    "DEMO_ARTICLES",
    "EXTRACTION",
    "IngestReport",
    "PLACE_ASSUMED",
    "Processed",
    "article_events",
    "compatible",
    "extract_article",
    "ingest_paths",
    "merge",
    "process_article",
    "process_articles",
    "write_processed",
]

#: The bundled demo articles ingested when no path is given.
DEMO_ARTICLES = paths.DEMO_ARTICLES
#: The ``extraction`` stamp of automatically extracted events (rules and their version).
EXTRACTION = "automatic:parse-2"
_LOCATIVE_CUES = frozenset("in near at outside around inside within across to into".split())


@dataclass
class IngestReport:
    """What an ingestion run did.

    ``ok`` lists the ids of articles stored, ``failed`` the ``(path, reason)`` of files
    refused; ``events_added`` new events, ``events_updated`` events that gained a source or
    detail, ``unchanged`` events already holding what the article says, ``protected``
    reviewed or deleted events left alone; ``events_undated`` events reported but not stored
    because neither their sentence nor their article gives a date.
    """

    ok: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    events_added: int = 0
    events_updated: int = 0
    unchanged: int = 0
    protected: int = 0
    events_undated: int = 0

    def to_dict(self):
        """Return the report as a JSON-ready dict."""
        return {
            "ok": self.ok, "failed": [{"path": str(p), "reason": r} for p, r in self.failed],
            "events_added": self.events_added, "events_updated": self.events_updated,
            "unchanged": self.unchanged, "protected": self.protected,
            "events_undated": self.events_undated,
        }  # fmt: skip


# -- one article ------------------------------------------------------------------------------


_NEAR = frozenset("near outside around close by off".split())


#: Tag of an event whose place is not named by its sentence (taken from the article or from
#: the sentence before): the codebook's ``tags``; the viewer draws such events fainter.
PLACE_ASSUMED = "place-assumed"


def _place_fields(mention, text, gaz):
    """Return the place fields of an event (empty when its sentence names no place)."""
    place = mention.place
    if place is None:
        if mention.place_span is None:
            return {}, None
        return {"name_in_text": text[slice(*mention.place_span)]}, None
    name_in_text = text[slice(*mention.place_span)] if mention.place_span else None
    notes = None
    if mention.place_basis == "article":
        notes = (
            "The sentence names no place; the article is about this area (most of the places "
            "it names are in it)."
        )
    precision = place.precision
    if precision == "exact" and mention.near:
        precision = "near"
    admin = gaz.admin1(place.country_code, place.admin1_code) if place.admin1_code else None
    fields = {
        "location_name": place.name, "name_in_text": name_in_text,
        "geonameid": place.geonameid, "feature_code": place.feature_code,
        "country_code": place.country_code, "admin1": admin.name if admin else None,
        "latitude": place.lat, "longitude": place.lon, "geo_precision": precision,
        "geometry": gaz.geometry(place.geonameid) if place.is_area else None,
    }  # fmt: skip
    return fields, notes


def _event_from(mention, article, text, gaz):
    """Return the Event one EventMention of an article reports (one source: the article).

    ``text`` is the article's extraction text (boilerplate blanked); offsets index the
    stored text too, and the quote is taken from the stored text.
    """
    published = article.get("published_at")
    start, end = mention.quote
    stored = article["text"]
    while start < end and stored[start].isspace():
        start += 1
    while end > start and stored[end - 1].isspace():
        end -= 1
    source = Source(
        source_id=article["article_id"], publisher=article.get("publisher"),
        title=article.get("title"), url=article.get("url"), published_at=published,
        published_precision=article.get("published_precision"), quote=stored[start:end],
        start=start, end=end,
    )  # fmt: skip
    fields, notes = _place_fields(mention, text, gaz)
    if mention.place_basis == "inherited":
        notes = "The sentence names no place; it continues the report before it."
    tags = {f"mode:{mention.mode}"} if mention.mode else set()
    if fields and mention.place_basis in ("article", "inherited"):
        tags.add(PLACE_ASSUMED)  # the sentence names no place: the map draws it fainter
    tags = tuple(sorted(tags))
    trigger = text[slice(*mention.trigger)]
    key = json.dumps([mention.event_type, article["article_id"], start, trigger])
    event = Event(
        event_id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12],
        event_type=mention.event_type, date_start=mention.date_start,
        date_end=mention.date_end, date_precision=mention.date_precision,
        date_basis=mention.date_basis, actor1=mention.actor1, actor2=mention.actor2,
        target=mention.target, counts=tuple(mention.counts), sources=(source,), tags=tags,
        reported_at=_reported(published), extraction=EXTRACTION,
        gazetteer_version=gaz.version, notes=notes, **fields,
    )  # fmt: skip
    return event.replace(counts=merge_counts(event.counts, ()), summary=None)


def _reported(published):
    from datetime import date

    return date.fromisoformat(published) if published else None


def _strength(event):
    return (
        event.date_basis == "stated",
        event.geonameid is not None,
        len(event.counts),
        event.actor1 is not None,
    )


def extract_article(article, gazetteer=None, *, doc=None):
    """Return ``(events, undated)``: the events one article reports, merged within the
    article (one source each), and how many it reports that could not be dated (no date
    stated and no publication date). ``doc`` is the parse of its extraction text, when the
    caller parsed it already."""
    gaz = gazetteer or Gazetteer.default()
    text = article.extraction_text
    doc = reparse_headlines(doc if doc is not None else nlp.parse(text))
    mentions = geoparse(text, gazetteer=gaz, doc=doc)
    found = find_events_in(doc, mentions, published=article.reference, keep_all=True,
                           metonymic=lambda m: is_metonymic(text, m), gazetteer=gaz)  # fmt: skip
    undated = sum(1 for m in found if m.unreported == "undated")
    events, retaken = [], []
    for mention in found:
        if mention.unreported is not None:
            continue
        event = _event_from(mention, article, text, gaz)
        back = _retaking(mention, doc)
        for k, other in enumerate(events):
            if event.event_type == "front_line" and retaken[k] != back:
                continue  # a town retaken is not the capture of it told before
            if compatible(other, event, gaz, across=False):
                strong, weak = (
                    (event, other) if _strength(event) > _strength(other) else (other, event)
                )
                events[k] = merge(strong, weak.replace(sources=()), gaz)
                break
        else:
            events.append(event)
            retaken.append(back)
    events = _fold_unplaced(events, gaz)
    return [e.replace(summary=summarise(e)) for e in events], undated


#: Verbs of taking back a place: the other side held it, so a retaking told in an article is
#: a change of hands of its own, never the capture of the same town told before it ("RSF
#: fighters seized X on Saturday ... The army said it had retaken X").
_RETAKE = frozenset("retake recapture regain reclaim reoccupy".split())
_TAKE_BACK = frozenset("take win seize".split())


def _retaking(mention, doc):
    """Return whether a front-line event is told by a verb or noun of taking back a place
    ("retook", "the recapture of", "took back")."""
    if mention.event_type != "front_line":
        return False
    span = doc.char_span(*mention.trigger, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    lemma = tok.lemma_.lower()
    return lemma in _RETAKE or (
        lemma in _TAKE_BACK and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back"
                                    for c in tok.children)
    )  # fmt: skip


def _located(event):
    return event.geonameid is not None or event.latitude is not None


def _fold_unplaced(events, gaz):
    """Within one article, a report that names no place ("the attack killed ...") of an event
    of which the article gives one placed report of the same type, at a compatible date,
    is that event: it joins it (two or more candidates: it stays apart, unplaced)."""
    out = []
    for event in events:
        if _located(event):
            out.append(event)
            continue
        hosts = [k for k, other in enumerate(events) if _located(other)
                 and compatible(other, event, gaz, across=False, anywhere=True)]  # fmt: skip
        if len(hosts) == 1:
            host = events[hosts[0]]
            index = next(i for i, e in enumerate(out) if e.event_id == host.event_id) if any(
                e.event_id == host.event_id for e in out) else None  # fmt: skip
            merged = merge(host, event.replace(sources=()), gaz)
            events[hosts[0]] = merged
            if index is not None:
                out[index] = merged
        else:
            out.append(event)
    return out


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
    return extract_article(article, gazetteer)[0]


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
    """Return the stored event that ``event`` reports too, or None.

    Of the stored events ``compatible`` with it, the one with the least ``(not its own
    article's, not stated, event id)``. The candidates' index rows (``query_facts``) are
    tested first (``may_be_compatible``), so that only the few that may match are read and
    decoded: the candidates of a place and window grow with the store (states reach every
    later report), and reading each whole cost most of a writer's time at 10,000 articles.
    """
    # Events at nested places always have intersecting boxes: the box narrows the search.
    if event.geonameid is None and event.latitude is None:
        return None  # an event with no place never joins another article's event
    start, end = match_window(event)
    query = EventQuery(types=(event.event_type,), start=start, end=end, bbox=_bbox(event))
    # other actors rule most candidates out (a place's deployments reach every later report):
    # the database drops them before they become rows here
    facts = store.query_facts(query, actors=(event.actor1, event.actor2))
    ids = tuple(f.event_id for f in facts if may_be_compatible(f, event, gaz))
    if not ids:
        return None
    fitting = [s for s in store.query(EventQuery(ids=ids)) if compatible(s, event, gaz)]
    return min(fitting, key=lambda s: match_preference(s, event), default=None)


def match_preference(stored, event):
    """Sort key of the stored events a new one may merge into, best first: one its own
    article already reported, then one with a stated date, then the oldest id."""
    sid = event.sources[0].source_id
    own = any(s.source_id == sid for s in stored.sources)
    return (not own, stored.date_basis != "stated", stored.event_id)


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
    undated: int = 0


def process_article(path, *, gazetteer=None, today=None) -> Processed:
    """Read one article file and extract its events (merged within the article); no store.

    A file that cannot be read or processed gives a ``Processed`` whose ``error`` says why.
    """
    return next(process_articles([path], gazetteer=gazetteer, today=today))


#: Articles parsed together (spaCy is faster on batches than one text at a time).
PARSE_BATCH = 16


def process_articles(paths, *, gazetteer=None, today=None) -> Iterator[Processed]:
    """Yield ``process_article(path)`` for each path, in order, parsing them in batches."""
    paths = list(paths)
    for i in range(0, len(paths), PARSE_BATCH):
        read = []
        for path in paths[i : i + PARSE_BATCH]:
            try:
                read.append((path, read_article(path, today=today)))
            except ArticleError as err:
                read.append((path, Processed(str(path), error=str(err))))
            except (GeoError, ValueError, OSError) as err:
                read.append((path, Processed(str(path), error=f"{path}: cannot ingest: {err}")))
        texts = [a.extraction_text for _, a in read if not isinstance(a, Processed)]
        docs = iter(nlp.parse_many(texts))
        for path, article in read:
            if isinstance(article, Processed):
                yield article
                continue
            doc = next(docs)
            try:
                events, undated = extract_article(article, gazetteer, doc=doc)
            except (GeoError, ValueError, OSError) as err:
                yield Processed(str(path), error=f"{path}: cannot ingest: {err}")
                continue
            record = {k: v for k, v in article.items() if k != "path"}
            yield Processed(str(path), record, events, undated=undated)


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
    done.events_undated = processed.undated
    return done


def write_processed(store, batch, *, gazetteer=None, hold=None) -> IngestReport:
    """Write processed articles into the store, each article all or nothing.

    Articles share a transaction (a savepoint each) until it has held the store's write lock
    for ``hold`` seconds (default :data:`WRITE_SECONDS`); it then commits and the next
    articles go into a new one, so that other writers (the API's) wait at most about that
    long. An article whose processing failed, or whose write fails, is listed in ``failed``
    and nothing of it is stored; when a transaction cannot be committed, each article it held
    is listed there instead.
    """
    gaz = gazetteer or Gazetteer.default()
    hold = WRITE_SECONDS if hold is None else hold
    report, queue = IngestReport(), list(batch)
    while queue:
        part, written, snapshot = IngestReport(), [], list(queue)

        def unit(snapshot=snapshot):  # run again when the database aborted it (a conflict)
            nonlocal part, written
            part, written = IngestReport(), []
            queue[:] = snapshot  # a retried transaction starts from the same articles
            started = time.monotonic()
            while queue:
                processed = queue.pop(0)
                if processed.error is not None:
                    part.failed.append((processed.path, processed.error))
                    continue
                try:
                    _add(part, _write_article(store, processed, gaz))
                    written.append(processed.path)
                except ConflictError:
                    raise  # the whole transaction is run again
                except (GeoError, ValueError) as err:
                    part.failed.append((processed.path, f"{processed.path}: cannot ingest: {err}"))
                if time.monotonic() - started >= hold:
                    break  # commit: let waiting writers in

        try:
            store.atomic(unit)
        except StoreError as err:
            # Nothing of this transaction is stored: each of its articles failed, for this reason.
            part = IngestReport(failed=list(part.failed))
            part.failed.extend((p, f"{p}: cannot ingest: {err}") for p in written)
        _add(report, part)
        if queue:
            time.sleep(WRITE_PAUSE)  # a writer polling for the lock takes it now
    return report


def _add(report, part):
    report.ok.extend(part.ok)
    report.failed.extend(part.failed)
    report.events_added += part.events_added
    report.events_updated += part.events_updated
    report.unchanged += part.unchanged
    report.protected += part.protected
    report.events_undated += part.events_undated


#: Articles are processed (read, extracted) in batches of up to this many articles or
#: seconds, outside any transaction.
BATCH_ARTICLES = 50
BATCH_SECONDS = 0.5
#: A write transaction commits once it has held the write lock this long (each article is a
#: savepoint in it): a commit per article would cost as much as the article's own writes,
#: and one per batch kept API writes waiting up to ~0.5 s (PATCH p99 663 ms during an
#: ingest, benchmarks/load_test.py --ingest; ~0.25 s with 0.1 s).
WRITE_SECONDS = 0.1
#: Pause between two write transactions of one batch, in which a waiting writer (polling
#: every few ms, ``SQLiteStore._begin``) takes the lock.
WRITE_PAUSE = 0.01


def _batches(files, gaz, today, bar):
    """Yield lists of processed articles: up to ``BATCH_ARTICLES`` or ``BATCH_SECONDS`` each."""
    batch, t0 = [], time.monotonic()
    for processed in process_articles(files, gazetteer=gaz, today=today):
        batch.append(processed)
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
