"""The embedded event store: one SQLite file with an R*Tree, FTS5 and a deletion log."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import date
from json import loads as _loads
from operator import itemgetter
from pathlib import Path

from geo.common.dates import DateWindow
from geo.events.model import Event, utcnow_iso
from geo.events.protection import keep_edits, merge_allowed
from geo.events.taxonomy import EVENT_TYPES
from geo.exc import NotFoundError, StoreError, ValidationError
from geo.store.base import EventFacts, EventQuery, EventStore, actors_sql, as_tuple
from geo.store.sqlite import counts, frontlines, health, schema
from geo.store.sqlite.deadline import PROGRESS_STEPS, Deadline
from geo.store.sqlite.rows import (
    day,
    event_texts,
    load_doc,
    same_event,
    unpack_csv_line,
    unpack_feature,
    write_event,
)
from geo.store.sqlite.textcache import TextCache

__all__ = ["PutResult", "SQLiteStore"]

#: Bytes of the file that read connections map into memory (SQLite's ``mmap_size``).
READER_MMAP_BYTES = 1 << 30
#: Order of every query's results (stable for paging).
_ORDER = "ORDER BY e.date_start, e.event_id"
#: Rows fetched per round trip while streaming a query.
_CHUNK = 500
#: Read connections kept open for later queries.
_IDLE_READERS = 4
#: Page cache of a thread's connection during ``bulk()``, in KiB (SQLite's default: 2,000).
BULK_CACHE_KIB = 65536
#: The query that matches every live event.
_ALL = EventQuery()
#: Longest wait for the write lock (or any other lock), in seconds.
BUSY_SECONDS = 10.0
#: Longest pause between two attempts to take the write lock.
BUSY_POLL = 0.004
#: Largest integer SQLite binds (a larger limit or offset would be an OverflowError).
_SQLITE_MAX_INT = 2**63 - 1


@dataclass(frozen=True)
class PutResult:
    """What ``put_events`` did: how many events it wrote and which ids it left alone.

    ``unchanged`` holds ids whose stored event was already identical; ``protected`` holds ids
    it refused to overwrite (reviewed or deleted events, see ``SQLiteStore.put_events``).
    """

    written: int = 0
    unchanged: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()


def _feature_of(row):
    """Return the Feature text of a ``(document, has_geometry)`` row."""
    return unpack_feature(row[0])


def _fields_of(row):
    """Return the fields (``Event.to_dict()``) of a ``(document, has_geometry)`` row."""
    feature = _loads(unpack_feature(row[0]))
    fields = feature["properties"]
    fields["geometry"] = feature["geometry"] if row[1] else None
    return fields


_second = itemgetter(1)
_scan = json.JSONDecoder().raw_decode
#: How a stored Feature text starts, up to its id (``Event.to_feature()``'s key order).
_FEATURE_HEAD = '{"type":"Feature","id":'


def _feature_id(text):
    """Return the id of a Feature text (the event id)."""
    if text.startswith(_FEATURE_HEAD):
        return _scan(text, len(_FEATURE_HEAD))[0]
    return _loads(text)["id"]


def _csv_line_of(row):
    """Return the CSV line of a ``(document, has_geometry)`` row."""
    return unpack_csv_line(row[0], row[1])


def _event_of(row):
    """Return the event of a ``(document, has_geometry)`` row."""
    return load_doc(row[0], row[1])


#: The columns of ``EventFacts``: an area's point is not its own (None).
_FACTS = (
    "e.event_id, e.event_type, e.date_start, e.date_end, e.actor1, e.actor2, e.geonameid, "
    "CASE WHEN e.has_geometry THEN NULL ELSE e.min_lat END, "
    "CASE WHEN e.has_geometry THEN NULL ELSE e.min_lon END, e.has_geometry"
)
_day_of = date.fromisoformat


def _facts_of(row):
    return EventFacts(row[0], row[1], _day_of(row[2]), _day_of(row[3]), row[4], row[5],
                      row[6], row[7], row[8], bool(row[9]))  # fmt: skip


#: A histogram (``day_counts``) of a box is read from the types index alone when the box's
#: R*Tree holds more than this share (1 in ``HISTOGRAM_SHARE``) of the live events, and more
#: than ``HISTOGRAM_ROWS_MIN``: reading each match's row costs about 2.8 µs, an entry of the
#: index about a tenth of that (at 1,000,000 events).
HISTOGRAM_SHARE = 16
HISTOGRAM_ROWS_MIN = 2000
#: Largest ``offset + limit`` of a page found in ranges of first days; a deeper page sorts
#: every match once instead.
SLICED_PAGE_MAX = 5000


def _types_only(q):
    """Return whether ``q`` filters live events by nothing but (perhaps) their types."""
    return (
        q.bbox is None
        and q.start is None
        and q.end is None
        and not q.actors
        and not q.statuses
        and not (q.text and q.text.strip())
        and not (q.source and q.source.strip())
        and not q.ids
        and not q.include_deleted
        and not q.extra
    )


def _by_first_days(conn, q, need, search):
    """Call ``search(lo, hi)`` on ranges of first days (ordinal days, either end None) in
    order, until the matches it reports (its return values) reach ``need`` or the dates of
    ``q`` (or those stored) end.

    Events that began before the window and overlap it come first (one search); then
    ranges from the window's start, each searched in the R*Tree on its own, wider while
    they find little: as many days as the matches so far say are still needed, and a half.
    """
    bounds = conn.execute(
        "SELECT min(min_start), max(max_end) FROM type_extent WHERE live > 0"
    ).fetchone()
    if bounds[0] is None:
        return
    first, last = day(bounds[0]), day(bounds[1])
    window = DateWindow.of(q.start, q.end)
    start = day(window.start) if window.start is not None else first
    end = min(last, day(window.end)) if window.end is not None else last
    total = search(None, start - 1) if start > first else 0  # under way at the start
    lo, width = max(start, first), 1
    while total < need and lo <= end:
        hi = min(end, lo + width - 1)
        got, days = search(lo, hi), hi - lo + 1
        total += got
        lo = hi + 1
        if not got:
            width = days * 4
        else:
            width = max(1, min(days * 8, int((need - total) * days / got * 1.5) + 1))


def _hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class SQLiteStore(EventStore):
    """An ``EventStore`` in one SQLite file (WAL, R*Tree bbox index, FTS5 free text).

    Each thread gets its own connection; writes go through ``transaction()`` (nested
    transactions are savepoints), so a write is stored whole or not at all.

    Parameters
    ----------
    path : str or path-like
        The SQLite file; it and its parent folders are created when missing.

    Raises
    ------
    StoreError
        When the file cannot be opened (the message says why: a read-only file, folder or
        file system), is empty, is damaged (SQLite's ``quick_check`` at open), is not an
        SQLite database or not a conflictmap store, or has a newer schema than this code
        understands.

    Examples
    --------
    >>> import tempfile, os
    >>> store = SQLiteStore(os.path.join(tempfile.mkdtemp(), "events.sqlite"))
    >>> store.count()
    0
    """

    capabilities = frozenset({"bulk", "extent", "features", "front_lines", "kept_metadata"})

    def __init__(self, path):
        self.path = Path(path).expanduser().absolute()
        self.url = "sqlite:///" + str(self.path)
        self._local = threading.local()
        self._conns = []
        self._idle_readers = []
        self._lock = threading.Lock()
        #: Feature texts of the events that pages read lately (``geo.store.sqlite.textcache``)
        self.feature_texts = TextCache()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(
                f"cannot create the folder of store {str(self.path)!r}: {err.strerror or err}"
            ) from err
        health.check_file(self.path)
        existed = self.path.exists()
        conn = self._conn()
        try:
            if existed:
                health.check_integrity(conn, self.path)
            self.fts = schema.ensure(conn, self.path)
            # a read-only file made before the histogram's index was added has none
            self._type_days = bool(
                conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'events_type_days'"
                ).fetchone()
            )
        except BaseException:
            self.close()
            raise

    # -- connections and transactions --------------------------------------------------------

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
                )
                conn.execute("PRAGMA foreign_keys = ON")
                # WAL + NORMAL: a killed process loses nothing committed; only a power cut
                # can lose the last transactions, never consistency.
                conn.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.Error as err:
                raise StoreError(health.explain(self.path, err)) from err
            self._local.conn, self._local.depth = conn, 0
            with self._lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def bulk(self):
        """Return a context manager for a long run of writes from this thread (ingestion).

        Meanwhile the thread's connection keeps up to :data:`BULK_CACHE_KIB` of pages:
        merging reads the stored events near each new one, and with SQLite's default 2 MB
        ingestion beside 100k events read pages again at every lookup (52 -> 60 articles/s).
        Afterwards the cache is SQLite's default again, so that the server's threads, which
        read through these connections too, do not each keep 64 MB.
        """
        conn = self._conn()
        default = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield self
        finally:
            try:
                conn.execute(f"PRAGMA cache_size = {default}")
            except sqlite3.Error:
                pass  # the store was closed meanwhile

    @contextmanager
    def transaction(self):
        """Return a context manager: writes inside it commit together or roll back together.

        Nested uses are savepoints inside the outermost transaction, which takes the write
        lock at once (``BEGIN IMMEDIATE``).
        """
        conn = self._conn()
        depth = self._local.depth
        name = f"sp{depth}"
        try:
            if depth == 0:
                self._begin(conn)
            else:
                conn.execute(f"SAVEPOINT {name}")
        except sqlite3.Error as err:
            raise StoreError(health.explain(self.path, err, doing="write to")) from err
        self._local.depth = depth + 1
        try:
            yield self
        except BaseException as err:
            self._local.depth = depth
            try:
                if depth == 0:
                    self._local.touched = None
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
            except sqlite3.Error:
                pass  # SQLite already rolled back (e.g. after a full disk)
            if isinstance(err, sqlite3.Error):
                raise StoreError(
                    f"a write to store {str(self.path)!r} failed and was rolled back: {err}"
                ) from err
            raise
        self._local.depth = depth
        try:
            if depth == 0:
                touched, self._local.touched = getattr(self._local, "touched", None), None
                if conn.execute("SELECT 1 FROM type_extent WHERE dirty LIMIT 1").fetchone():
                    conn.execute(schema.REFRESH_EXTENTS)
                if touched:
                    conn.execute(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES ('data_as_of', ?)",
                        (touched,),
                    )
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE {name}")
        except sqlite3.Error as err:
            if depth == 0 and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot commit to store {str(self.path)!r}: {err}") from err

    def _begin(self, conn):
        """Take the write lock (``BEGIN IMMEDIATE``), waiting up to :data:`BUSY_SECONDS`.

        SQLite's own busy handler polls a held lock ever more rarely (every 100 ms after the
        first few), so a writer waiting behind an ingest, which commits and takes the lock
        again within microseconds, seldom got in before the ingest's whole batch was
        written. Polling every few milliseconds here catches the short gaps the ingest leaves
        (``geo.pipeline.ingest.WRITE_PAUSE``).
        """
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            stop, pause = time.monotonic() + BUSY_SECONDS, 0.001
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as err:
                    if "locked" not in str(err) or time.monotonic() > stop:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, BUSY_POLL)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")

    def _touch(self, now):
        """Note that data changed at ``now``: the outermost transaction records it in
        ``data_as_of`` as it commits (once, however many writes it holds)."""
        self._local.touched = now

    def close(self):
        """Close every connection this store opened (in any thread)."""
        with self._lock:
            conns, self._conns, self._idle_readers = self._conns, [], []
        for conn in conns:
            self.feature_texts.forget(conn)
            conn.close()
        if conns:
            # Fold the write-ahead log back into the file when no one else is using it.
            try:
                with closing(sqlite3.connect(self.path, timeout=0.1)) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # busy, or read-only: the log stays, nothing is lost
        self._local = threading.local()

    # -- events ----------------------------------------------------------------------------

    def get(self, event_id):
        """Return the event with this id, or None (deleted events are None too)."""
        try:
            row = (
                self._conn()
                .execute(
                    "SELECT d.body, e.has_geometry FROM events e JOIN event_docs d "
                    "ON d.rid = e.rid WHERE e.event_id = ? AND e.deleted = 0",
                    (event_id,),
                )
                .fetchone()
            )
        except sqlite3.DatabaseError as err:
            raise self._read_error(err) from err
        return load_doc(*row) if row else None

    def query(self, q=_ALL):
        """Yield events matching ``q`` in stable order (date_start, event_id), streaming.

        Outside a transaction the rows come from a pooled read connection through one cursor
        (``fetchmany``), so an export sees one consistent snapshot, never holds every row,
        and writes from this thread can go on meanwhile. Inside ``transaction()`` the query
        runs on the writing connection, so it sees the transaction's own writes.

        Raises
        ------
        ValidationError
            At once (not on first iteration) when a filter, the limit or the offset is bad.
        """
        return self._checked_stream(q, _event_of)

    @staticmethod
    def _check_page(q):
        limit, offset = q.limit, q.offset
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise ValidationError(
                f"limit must be a non-negative integer; got {limit!r}", field="limit"
            )
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise ValidationError(
                f"offset must be a non-negative integer; got {offset!r}", field="offset"
            )
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and value > _SQLITE_MAX_INT:
                raise ValidationError(
                    f"{name} must be at most {_SQLITE_MAX_INT}; got {value}", field=name
                )

    def query_features(self, q=_ALL):
        """Yield, like ``query``, each matching event as its GeoJSON Feature's JSON text.

        The text equals ``json.dumps(event.to_feature(), ensure_ascii=False,
        separators=(",", ":"))``; it is made when the event is written, so a page of
        features costs no decoding. Rows written before schema 3 are converted on the fly.

        Raises
        ------
        ValidationError
            At once when a filter, the limit or the offset is bad (as ``query``).
        """
        return self._checked_stream(q, _feature_of)

    def query_fields(self, q=_ALL):
        """Yield, like ``query``, each matching event's fields (as ``Event.to_dict()``),
        read from the stored Feature texts (see ``EventStore.query_fields``).

        Raises
        ------
        ValidationError
            At once when a filter, the limit or the offset is bad (as ``query``).
        """
        return self._checked_stream(q, _fields_of)

    def query_facts(self, q=_ALL, *, actors=None):
        """Yield, like ``query``, each matching event's ``EventFacts``, read from its
        ``events`` row alone (no document is read or decoded); with ``actors``, only those
        whose actors agree (``EventStore.query_facts``), tested by SQLite.

        Raises
        ------
        ValidationError
            At once when a filter, the limit or the offset is bad (as ``query``).
        """
        self._check_page(q)
        where, params = schema.where_clause(q, fts=self.fts)
        agree, more = actors_sql(actors, "?")
        sql = f"SELECT {_FACTS} FROM events e WHERE {where}{agree} {_ORDER}"
        params = [*params, *more]
        if q.limit is not None or q.offset:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, -1 if q.limit is None else q.limit, q.offset]

        def rows(conn, fetch):
            for got in fetch(sql, params):
                yield from got

        return self._stream(q, _facts_of, rows=rows, documents=False)

    def query_csv_lines(self, q=_ALL):
        """Yield, like ``query``, each matching event's CSV line, kept beside its Feature text
        when the event was written (see ``EventStore.query_csv_lines``).

        Raises
        ------
        ValidationError
            At once when a filter, the limit or the offset is bad (as ``query``).
        """
        return self._checked_stream(q, _csv_line_of)

    def _checked_stream(self, q, row):
        """Check ``q`` now (a bad filter, limit or offset raises at the call, not at the
        first ``next``), then return ``_stream(q, row)``."""
        self._check_page(q)
        schema.where_clause(q, fts=self.fts)
        return self._stream(q, row)

    def _stream(self, q, row, rows=None, documents=True):
        """Yield ``row((document, has_geometry))`` of the events matching ``q`` in order.

        A page's matches are found and ordered in the slim ``events`` rows first
        (``_ordered``), and only the documents of the rows handed out are read, 500 at a
        time; a query without limit or offset (an export) reads each document beside its
        row. All in one read transaction. ``rows`` (a function of the connection and the
        fetch step) replaces the ordered matches, for ``records``; with ``documents`` false
        its rows are handed to ``row`` as they are.
        """
        in_transaction = getattr(self._local, "depth", 0) > 0
        conn = self._conn() if in_transaction else self._take_reader()
        deadline = Deadline(q.timeout) if q is not None and q.timeout else None
        if deadline is not None:
            conn.set_progress_handler(deadline, PROGRESS_STEPS)
        cursors = []

        def fetch(sql, params, size=_CHUNK):
            """Yield lists of rows of ``sql``, the deadline armed only while SQLite works."""
            if deadline is not None:
                deadline.arm()
            cursor = conn.execute(sql, params)
            cursors.append(cursor)
            while True:
                if deadline is not None:
                    deadline.arm()
                got = cursor.fetchmany(size)
                if deadline is not None:
                    deadline.disarm()
                if not got:
                    break
                yield got
            cursors.remove(cursor)
            cursor.close()

        # a page's Feature texts may come from those read lately (before the snapshot: see
        # geo.store.sqlite.textcache); not inside a write, not for an export or a deep page
        cached = (
            not in_transaction
            and rows is None
            and row is _feature_of
            and q.limit is not None
            and q.offset + q.limit <= SLICED_PAGE_MAX
        )
        generation = self.feature_texts.generation(conn) if cached else None
        began = False
        try:
            if not in_transaction:
                conn.execute("BEGIN")  # one snapshot for the matches and their documents
                began = True
            if rows is None and q.limit is None and not q.offset:
                # a whole export: one pass in order, each document read as its row comes
                # (Feature texts need no flag: the order's index covers their search)
                where, params = schema.where_clause(q, fts=self.fts)
                flag = "0" if row in (_feature_of, _csv_line_of) else "e.has_geometry"
                sql = (
                    f"SELECT d.body, {flag} FROM events e CROSS JOIN event_docs d "
                    f"ON d.rid = e.rid WHERE {where} {_ORDER}"
                )
                for got in fetch(sql, params):
                    yield from map(row, got)
                return
            if cached and not q.offset and schema.sliceable(q):
                by_index = counts.index_count(q, self._live_types(conn) if q.types else None)
                if by_index is not None:
                    yield from self._page_by_index(conn, fetch, q, by_index, generation)
                    return
            found = rows(conn, fetch) if rows is not None else self._ordered(conn, q, fetch)
            if not documents:
                yield from map(row, found)
                return
            if cached:
                yield from self._cached_features(fetch, found, generation)
                return
            batch = []
            for item in found:
                batch.append(item)
                if len(batch) >= _CHUNK:
                    yield from map(row, self._documents(fetch, batch))
                    batch = []
            if batch:
                yield from map(row, self._documents(fetch, batch))
        except sqlite3.DatabaseError as err:
            if deadline is not None and deadline.expired:
                raise deadline.error(self.path) from err
            raise self._read_error(err) from err
        finally:
            try:
                for cursor in cursors:
                    cursor.close()
                if began:
                    conn.execute("COMMIT")
                if deadline is not None:
                    conn.set_progress_handler(None, 0)
            except sqlite3.ProgrammingError:
                pass  # the store was closed before this unfinished query was dropped
            if not in_transaction:
                self._give_reader(conn)

    @staticmethod
    def _live_types(conn):
        return [r[0] for r in conn.execute("SELECT event_type FROM type_extent WHERE live")]

    def _page_by_index(self, conn, fetch, q, by_index, generation):
        """Yield the Feature texts of the first page of ``q`` (a bbox and dates alone: see
        ``counts.index_count``), found in the R*Trees without reading the matches' rows.

        The R*Tree gives each match's row id and first day (rows are read only for entries
        near the box's edges, and the deleted events of each range are taken off); the page
        is the matches of its first days, and of the day it ends in, the first by event id
        (those rows alone are read). Its texts come from the cache or their documents, and
        the page is put in order (first day, then the event id that each Feature text
        starts with): the order of ``_ordered``, without sorting every match's row.
        """
        need = q.limit
        taken = []

        def search(lo, hi):
            (sql, params), (deleted_sql, deleted_params) = by_index.candidates(lo, hi)
            deleted = set()
            for got in fetch(deleted_sql, deleted_params):
                deleted.update(r[0] for r in got)
            before = len(taken)
            for got in fetch(sql, params):
                taken.extend(r for r in got if r[0] not in deleted)
            return len(taken) - before

        if need:
            _by_first_days(conn, q, need, search)
        if not taken:
            return
        taken.sort(key=_second)
        if len(taken) > need:
            last = taken[need - 1][1]  # the day the page ends in: its first events by id
            inside = bisect_left(taken, last, key=_second)
            edge = taken[inside : bisect_right(taken, last, key=_second)]
            ids = {}
            sql = "SELECT rid, event_id FROM events WHERE rid IN (SELECT value FROM json_each(?))"
            for got in fetch(sql, [json.dumps([r[0] for r in edge])]):
                ids.update(got)
            edge.sort(key=lambda r: ids[r[0]])
            taken = taken[:inside] + edge[: need - inside]
        texts = []
        cache = self.feature_texts
        for i in range(0, len(taken), _CHUNK):
            texts.extend(self._features_of(fetch, taken[i : i + _CHUNK], cache, generation))
        keys = [(r[1], _feature_id(t)) for r, t in zip(taken, texts, strict=True)]
        for i in sorted(range(len(texts)), key=keys.__getitem__):
            yield texts[i]

    def _cached_features(self, fetch, found, generation):
        """Yield the Feature texts of ``found`` (``(rid, has_geometry)`` rows, in order), those
        kept in :attr:`feature_texts` for ``generation`` without reading their documents."""
        cache = self.feature_texts
        batch = []
        for item in found:
            batch.append(item)
            if len(batch) < _CHUNK:
                continue
            yield from self._features_of(fetch, batch, cache, generation)
            batch = []
        if batch:
            yield from self._features_of(fetch, batch, cache, generation)

    def _features_of(self, fetch, batch, cache, generation):
        texts = cache.get_many([r[0] for r in batch], generation)
        missing = [r for r in batch if r[0] not in texts]
        if missing:
            docs = self._documents(fetch, missing)
            read = [(r[0], _feature_of(d)) for r, d in zip(missing, docs, strict=True)]
            texts.update(read)
            cache.put_many(read, generation)
        return [texts[r[0]] for r in batch]

    @staticmethod
    def _documents(fetch, batch):
        """Return ``[(document, *rest)]`` of ``batch`` (``(rid, *rest)`` rows)."""
        marks = ", ".join("?" * len(batch))
        sql = f"SELECT rid, body FROM event_docs WHERE rid IN ({marks})"
        bodies = {}
        for got in fetch(sql, [r[0] for r in batch], size=len(batch)):
            bodies.update(got)
        return [(bodies[r[0]], *r[1:]) for r in batch]

    def _ordered(self, conn, q, fetch):
        """Yield ``(rid, has_geometry)`` of the matches of ``q`` in order, paged.

        A page (``offset + limit`` up to :data:`SLICED_PAGE_MAX`) of a bbox or date query is
        found in ranges of first days taken in order (``_sliced``), so that its cost follows
        the page, not the matches; any other query sorts its matches' keys once.
        """
        limit, offset = q.limit, q.offset
        if limit is not None and offset + limit <= SLICED_PAGE_MAX and schema.sliceable(q):
            yield from self._sliced(conn, q, fetch)
            return
        where, params = schema.where_clause(q, fts=self.fts)
        sql = f"SELECT e.rid, e.has_geometry FROM events e WHERE {where} " + _ORDER
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, -1 if limit is None else limit, offset]
        for got in fetch(sql, params):
            yield from got

    def _sliced(self, conn, q, fetch):
        """Yield the page of ``q`` found range of first days by range (see ``_ordered``)."""
        need = q.offset + q.limit
        found = []

        def search(lo, hi):
            where, params = schema.where_clause(q, fts=self.fts, first_days=(lo, hi))
            # only the rows still needed come back (SQLite keeps the first ones as it sorts)
            sql = f"SELECT e.rid, e.has_geometry FROM events e WHERE {where} {_ORDER} LIMIT ?"
            before = len(found)
            for got in fetch(sql, [*params, need - before]):
                found.extend(got)
            return len(found) - before

        if need:
            _by_first_days(conn, q, need, search)
        yield from found[q.offset : need]

    def _take_reader(self):
        with self._lock:
            if self._idle_readers:
                return self._idle_readers.pop()
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA query_only = 1")
            # reads through a memory map: no system call per page of a long export
            conn.execute(f"PRAGMA mmap_size = {READER_MMAP_BYTES}")
        except sqlite3.Error as err:
            raise StoreError(f"cannot open store {str(self.path)!r}: {err}") from err
        with self._lock:
            self._conns.append(conn)
        return conn

    def _give_reader(self, conn):
        with self._lock:
            if conn not in self._conns:  # the store was closed meanwhile
                return
            if len(self._idle_readers) < _IDLE_READERS:
                self._idle_readers.append(conn)
                return
            self._conns.remove(conn)
        self.feature_texts.forget(conn)
        conn.close()

    def count(self, q=_ALL):
        """Return how many events match ``q`` (ignoring limit and offset).

        All live events, or those of some types, are counted from ``type_extent`` (kept on
        write); other queries count their matches.

        Raises
        ------
        QueryTimeoutError
            When counting takes longer than ``q.timeout`` seconds.
        """
        return self._count(q, None)

    def count_at_most(self, q, cap):
        """Return how many events match ``q`` when at most ``cap``, else None.

        The matches are counted up to ``cap + 1``, so the cost is bounded by ``cap`` whatever
        the number of matches (see ``EventStore.count_at_most``).
        """
        return self._count(q, cap)

    def _count(self, q, cap):
        where, params = schema.where_clause(q, fts=self.fts)
        in_transaction = getattr(self._local, "depth", 0) > 0
        # outside a write, a reader: its memory map reads the rows without a system call each
        conn = self._conn() if in_transaction else self._take_reader()
        try:
            if _types_only(q):
                types = as_tuple(q.types, "types")
                sql = "SELECT coalesce(sum(live), 0) FROM type_extent"
                if types:
                    sql += f" WHERE event_type IN ({', '.join('?' * len(types))})"
                n = conn.execute(sql, types).fetchone()[0]
                return n if cap is None or n <= cap else None
            with self._deadline(conn, q.timeout):
                if cap is None:
                    n = conn.execute(f"SELECT count(*) FROM events e WHERE {where}", params)
                    n = n.fetchone()[0]
                elif schema.sliceable(q):
                    # range by range: the R*Tree's candidates are never all read at once
                    n = self._count_by_first_days(conn, q, cap + 1)
                else:
                    sql = f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where} LIMIT ?)"
                    n = conn.execute(sql, [*params, cap + 1]).fetchone()[0]
        finally:
            if not in_transaction:
                self._give_reader(conn)
        return n if cap is None or n <= cap else None

    @contextmanager
    def _deadline(self, conn, timeout):
        """Run the statements of the block under ``timeout`` (SQLite's progress handler):
        past it they stop with ``QueryTimeoutError``; other database errors are read errors."""
        deadline = Deadline(timeout) if timeout else None
        if deadline is not None:
            conn.set_progress_handler(deadline, PROGRESS_STEPS)
            deadline.arm()
        try:
            yield
        except sqlite3.DatabaseError as err:
            if deadline is not None and deadline.expired:
                raise deadline.error(self.path) from err
            raise self._read_error(err) from err
        finally:
            if deadline is not None:
                conn.set_progress_handler(None, 0)

    def day_counts(self, q=_ALL):
        """Return ``[(date_start, event_type, count)]`` of the matching events (one query,
        stopped at ``q.timeout`` with ``QueryTimeoutError``).

        Without a type filter, the types that have live events are named: the same events,
        read from the index of types and days alone (at 1,000,000 events 0.2 s of CPU
        instead of 3.4 s reading every row). A box and types alone are counted from that
        index too when the box holds many events (``schema.histogram_scan``): its entries
        carry each event's bounds.
        """
        conn = self._conn()
        if not as_tuple(q.types, "types") and not q.include_deleted:
            live = [r[0] for r in conn.execute("SELECT event_type FROM type_extent WHERE live")]
            if live and set(live) <= set(EVENT_TYPES):
                q = replace(q, types=tuple(sorted(live)))
        where, params = schema.where_clause(q, fts=self.fts)
        sql = (
            f"SELECT e.date_start, e.event_type, count(*) FROM events e WHERE {where} "
            "GROUP BY e.date_start, e.event_type ORDER BY 1, 2"
        )
        scan = schema.histogram_scan(q, as_tuple(q.types, "types")) if self._type_days else None
        with self._deadline(conn, q.timeout):
            if scan is not None:
                # a box holding more than a small share of the events: every entry of the
                # types index, in order, costs less than reading each match's row
                live = conn.execute("SELECT coalesce(sum(live), 0) FROM type_extent")
                most = max(HISTOGRAM_ROWS_MIN, live.fetchone()[0] // HISTOGRAM_SHARE)
                candidates, args = schema.rtree_candidates(q, most + 1)
                if conn.execute(candidates, args).fetchone()[0] > most:
                    rows = conn.execute(*scan).fetchall()
                    return sorted((start, kind, n) for kind, start, n in rows)
            return [tuple(r) for r in conn.execute(sql, params)]

    def _count_by_first_days(self, conn, q, most):
        """Return how many events match ``q``, counting no further than ``most``.

        A bbox and dates alone are counted in the R*Trees (``counts.index_count``), in one
        statement while few events are deleted; other filters read each match's row, range of
        first days by range.
        """
        counted = [0]
        types = None
        if q.types:
            types = [r[0] for r in conn.execute("SELECT event_type FROM type_extent WHERE live")]
        by_index = counts.index_count(q, types)

        def search(lo, hi):
            if by_index is not None:
                (sql, params), (deleted_sql, deleted_params) = by_index.statements(lo, hi)
                deleted = conn.execute(deleted_sql, deleted_params).fetchone()[0]
                got = conn.execute(sql, [*params, most - counted[0] + deleted]).fetchone()[0]
                got -= deleted
            else:
                where, params = schema.where_clause(q, fts=self.fts, first_days=(lo, hi))
                sql = f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where} LIMIT ?)"
                got = conn.execute(sql, [*params, most - counted[0]]).fetchone()[0]
            counted[0] += got
            return got

        if by_index is not None and counts.few_deleted(conn):
            # one pass: the R*Tree stops at ``most`` without sorting anything
            return search(None, None)
        _by_first_days(conn, q, most, search)
        return counted[0]

    def _read_error(self, err):
        """Return the StoreError of an SQLite error met while reading."""
        if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
            return StoreError(f"store {str(self.path)!r} is busy ({err}); try again")
        return StoreError(
            f"cannot read store {str(self.path)!r}: {err}; if it is damaged, restore it from a "
            "backup"
        )

    def put_events(self, events: Iterable[Event], *, overwrite_reviewed=False):
        """Insert or replace events by id, in one transaction, and return a ``PutResult``.

        Protection rule (``geo.events.protection.merge_allowed``): unless ``overwrite_reviewed`` is
        true, an event whose stored version is ``reviewed`` is only replaced by another
        ``reviewed`` version, and an event an analyst deleted stays deleted; such ids are
        listed in ``PutResult.protected``. An event identical to the stored one (apart from
        ``updated_at``) is not rewritten, so re-ingesting the same articles changes nothing.
        Unless ``overwrite_reviewed``, the fields an analyst edited (``edited_fields``) keep
        their stored values (``geo.events.protection.keep_edits``).

        Parameters
        ----------
        events : iterable of Event
            Events to store; each gets ``updated_at`` set to the time of the write.
        overwrite_reviewed : bool, default False
            Analyst edits (the curated file, the API) pass True to replace anything.
        """
        checked = []
        for event in events:
            if not isinstance(event, Event):
                raise ValidationError(
                    f"put_events takes Event objects; got {type(event).__name__}",
                    field="events",
                )
            # The store is a door too: whatever built the Event, it passes from_dict.
            checked.append(event.checked())
        written, unchanged, protected = 0, [], []
        conn = self._conn()
        now = utcnow_iso()
        with self.transaction():
            stored = self._rows_of([e.event_id for e in checked])
            for event in checked:
                row = stored.get(event.event_id)
                old = row[1] if row else None
                if old is not None and old.edited_fields and not overwrite_reviewed:
                    # extraction updates only what no analyst edited
                    event = keep_edits(old, event).checked()
                if row and not row[2] and same_event(old, event):
                    unchanged.append(event.event_id)
                    continue
                if (
                    row
                    and not overwrite_reviewed
                    and not merge_allowed(old, event, deleted=bool(row[2]))
                ):
                    protected.append(event.event_id)
                    continue
                new = event.replace(updated_at=now)
                rid = write_event(
                    conn, row[0] if row else None, new, self.fts, old=old if row else None
                )
                stored[event.event_id] = (rid, new, 0)  # when the same id comes again
                written += 1
            if written:
                self._touch(now)
        return PutResult(written, tuple(unchanged), tuple(protected))

    def _rows_of(self, event_ids):
        """Return ``{event_id: (rid, event, deleted)}`` of the stored rows among ``event_ids``."""
        conn, rows, ids = self._conn(), {}, sorted(set(event_ids))
        for i in range(0, len(ids), _CHUNK):
            part = ids[i : i + _CHUNK]
            sql = (
                "SELECT e.event_id, e.rid, d.body, e.has_geometry, e.deleted FROM events e "
                "JOIN event_docs d ON d.rid = e.rid "
                f"WHERE e.event_id IN ({', '.join('?' * len(part))})"
            )
            for event_id, rid, body, has_geometry, deleted in conn.execute(sql, part):
                rows[event_id] = (rid, load_doc(body, has_geometry), deleted)
        return rows

    def delete_event(self, event_id, *, reason, by):
        """Delete an event and record the deletion (who, when, why) in ``deletions()``.

        Raises
        ------
        ValidationError
            When ``reason`` or ``by`` is empty.
        NotFoundError
            When no live event has this id.
        """
        for name, value in (("reason", reason), ("by", by)):
            if not isinstance(value, str) or not value.strip():
                raise ValidationError(
                    f"a deletion needs a non-empty {name}; got {value!r}", field=name
                )
        conn = self._conn()
        now = utcnow_iso()
        with self.transaction():
            row = conn.execute(
                "SELECT e.rid, d.body, e.has_geometry FROM events e JOIN event_docs d "
                "ON d.rid = e.rid WHERE e.event_id = ? AND e.deleted = 0",
                (event_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no event with event_id {event_id!r} to delete")
            conn.execute(
                "INSERT INTO deletions(event_id, deleted_at, reason, deleted_by, event) "
                "VALUES (?, ?, ?, ?, ?)",
                (event_id, now, reason.strip(), by.strip(), event_texts(load_doc(*row[1:]))[0]),
            )
            conn.execute(
                "UPDATE events SET deleted = 1, updated_at = ? WHERE rid = ?", (now, row[0])
            )
            self._touch(now)

    def deletions(self):
        """Return recorded deletions, oldest first.

        Each is ``{event_id, deleted_at, reason, by, event}`` where ``event`` is the deleted
        event as a dict, so nothing is lost.
        """
        rows = self._conn().execute(
            "SELECT event_id, deleted_at, reason, deleted_by, event FROM deletions ORDER BY id"
        )
        return [
            {
                "event_id": r[0],
                "deleted_at": r[1],
                "reason": r[2],
                "by": r[3],
                "event": json.loads(r[4]),
            }
            for r in rows
        ]

    # -- articles --------------------------------------------------------------------------

    def put_article(self, article):
        """Insert or replace an article record (``article_id``, metadata, cleaned ``text``)."""
        if (
            not isinstance(article, dict)
            or not isinstance(article.get("article_id"), str)
            or not article["article_id"]
        ):
            raise ValidationError(
                f"an article needs a non-empty string article_id; got {article!r:.80}",
                field="article_id",
            )
        meta = {k: v for k, v in article.items() if k != "text"}
        text = article.get("text")
        if text is not None and not isinstance(text, str):
            raise ValidationError(
                f"article text must be a string; got {type(text).__name__}", field="text"
            )
        try:
            meta_json = json.dumps(meta, ensure_ascii=False, default=str)
        except (TypeError, ValueError) as err:
            raise ValidationError(
                f"article metadata must be JSON-serialisable: {err}", field="metadata"
            ) from err
        conn = self._conn()
        now = utcnow_iso()
        with self.transaction():
            conn.execute(
                "INSERT OR REPLACE INTO articles(article_id, metadata, text, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (article["article_id"], meta_json, text, now),
            )
            self._touch(now)

    def get_article(self, article_id):
        """Return the article record (metadata and ``text``), or None."""
        row = (
            self._conn()
            .execute("SELECT metadata, text FROM articles WHERE article_id = ?", (article_id,))
            .fetchone()
        )
        if row is None:
            return None
        record = json.loads(row[0])
        record["text"] = row[1]
        return record

    def articles(self):
        """Return every article's metadata (without the text), ordered by ``article_id``."""
        rows = self._conn().execute("SELECT metadata FROM articles ORDER BY article_id")
        return [json.loads(r[0]) for r in rows]

    # -- tokens ----------------------------------------------------------------------------

    def create_token(self, name):
        """Create (or rotate) the API token called ``name``; return its secret once.

        Only the SHA-256 hash of the secret is stored.
        """
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"a token needs a non-empty name; got {name!r}", field="name")
        secret = secrets.token_urlsafe(32)
        conn = self._conn()
        now = utcnow_iso()
        with self.transaction():
            conn.execute(
                "INSERT OR REPLACE INTO tokens(name, sha256, created_at) VALUES (?, ?, ?)",
                (name.strip(), _hash_secret(secret), now),
            )
        return secret

    def verify_token(self, secret):
        """Return the token's name if ``secret`` is valid (constant-time compare), else None."""
        if not isinstance(secret, str) or not secret:
            return None
        digest = _hash_secret(secret)
        found = None
        for name, stored in self._conn().execute("SELECT name, sha256 FROM tokens"):
            if hmac.compare_digest(digest, stored):
                found = name
        return found

    def revoke_token(self, name):
        """Delete the token called ``name``; return whether it existed."""
        with self.transaction():
            cur = self._conn().execute("DELETE FROM tokens WHERE name = ?", (name,))
        return cur.rowcount > 0

    def tokens(self):
        """Return ``[{name, created_at}]`` of every token (never the secrets)."""
        rows = self._conn().execute("SELECT name, created_at FROM tokens ORDER BY name")
        return [{"name": r[0], "created_at": r[1]} for r in rows]

    # -- front lines (geo.store.sqlite.frontlines) ------------------------------------------

    def put_front_lines(self, version, *, replace=False):
        """Store a ``FrontLineVersion`` (see ``EventStore.put_front_lines``)."""
        return frontlines.put(self, version, replace=replace)

    def front_line_versions(self, sources=()):
        """Return the stored front-line versions' descriptions, by source then date."""
        return frontlines.versions(self, tuple(sources))

    def get_front_lines(self, source, valid_from):
        """Return the stored ``FrontLineVersion`` of ``source`` from ``valid_from``, or None."""
        return frontlines.get(self, source, valid_from)

    def delete_front_lines(self, source, valid_from):
        """Delete one stored front-line version; return whether it existed."""
        return frontlines.delete(self, source, valid_from)

    # -- copies ----------------------------------------------------------------------------

    def records(self, kind):
        """Yield every record of ``kind`` as it is stored (see ``EventStore.records``)."""
        from geo.store.sqlite.records import records

        return records(self, kind)

    def restore_records(self, kind, batch):
        """Write records of ``kind`` back as they were (see ``EventStore.restore_records``)."""
        from geo.store.sqlite.records import restore

        return restore(self, kind, batch)

    # -- metadata --------------------------------------------------------------------------

    def data_as_of(self):
        """Return the ISO timestamp of the last write of events or articles, or None."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'data_as_of'").fetchone()
        return row[0] if row else None

    def extent(self, types=None):
        """Return ``(dates, bounds)`` of the live events (of ``types``, when given).

        ``dates`` is ``{"start": iso, "end": iso}`` (earliest start, latest end) or None;
        ``bounds`` is ``[[south, west], [north, east]]`` over the events' boxes, or None.
        Read from ``type_extent``, which every write keeps up to date: no scan.
        """
        types = as_tuple(types, "types")
        sql = (
            "SELECT min(min_start), max(max_end), min(min_lat), min(min_lon), max(max_lat), "
            "max(max_lon) FROM type_extent WHERE live > 0"
        )
        if types:
            sql += f" AND event_type IN ({', '.join('?' * len(types))})"
        row = self._conn().execute(sql, types).fetchone()
        dates = {"start": row[0], "end": row[1]} if row[0] else None
        bounds = [[row[2], row[3]], [row[4], row[5]]] if row[2] is not None else None
        return dates, bounds

    def __repr__(self):
        return f"SQLiteStore({str(self.path)!r})"
