"""``PostGISStore``: the event store in a PostgreSQL database with PostGIS.

Concurrency is the database's: every write transaction is ``SERIALIZABLE``, so a unit that
reads and then writes (an id checked free and created, an event read, patched and written,
a merge during ingestion) behaves as if it ran alone or is aborted; ``atomic`` and the
store's own writes run such a unit again after an abort. Unique constraints back it up. No
lock is held in this process, so many server processes and ingest workers may write at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import random
import secrets
import threading
import time
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict

from geo.events.model import Event, utcnow_iso
from geo.events.protection import keep_edits, merge_allowed
from geo.exc import (
    ConflictError,
    NotFoundError,
    QueryTimeoutError,
    StoreError,
    ValidationError,
)
from geo.store.base import EventFacts, EventQuery, EventStore, PutResult, actors_sql
from geo.store.postgis import frontlines, schema
from geo.store.postgis.query import (
    _ORDER,
    counted_page,
    pages_by_place,
    select_page,
    where_clause,
)
from geo.store.postgis.rows import insert_events, update_event
from geo.store.sqlite.rows import load_event, same_event

__all__ = ["PostGISStore"]

#: Rows fetched per round trip while streaming a query.
_CHUNK = 500
#: Pages up to this many events are read in one round trip (no server-side cursor).
_PAGE = 2000
#: Read connections kept open for later queries.
_IDLE_READERS = 4
#: How many times ``atomic`` runs a unit that the database aborted for a concurrent one.
ATTEMPTS = 12
#: Errors that mean "a concurrent transaction got there first: run it again".
_CONFLICTS = (errors.SerializationFailure, errors.DeadlockDetected, errors.UniqueViolation)
_ALL = EventQuery()
#: A bbox page is first found among its query's first matches, counted up to this many
#: (``counted_page``): the API's numberMatched cap (NUMBER_MATCHED_MAX, 2,000) + 1, so that
#: the count serves the page's numberMatched too.
_PROBE = 2001


def _counted_key(q):
    """What a count of ``q`` depends on: the query without its page."""
    return dataclasses.replace(q, limit=None, offset=0)


def _event_of(row):
    return load_event(row[0])


def _first(row):
    return row[0]


#: The columns of ``EventFacts``: only a point's own coordinates (an area's are None).
_FACTS = (
    "e.event_id, e.event_type, e.date_start, e.date_end, e.actor1, e.actor2, e.geonameid, "
    "CASE WHEN ST_GeometryType(e.geom) = 'ST_Point' THEN e.min_lat END, "
    "CASE WHEN ST_GeometryType(e.geom) = 'ST_Point' THEN e.min_lon END, "
    "ST_GeometryType(e.geom) IS DISTINCT FROM 'ST_Point' AND e.geom IS NOT NULL"
)


def _facts_of(row):
    return EventFacts(*row)


def _ms(seconds):
    return max(1, round(seconds * 1000)) if seconds else 0


def _set_timeout(conn, seconds):
    """Set ``statement_timeout`` for the rest of the open transaction (at least 1 ms)."""
    conn.execute(f"SET LOCAL statement_timeout = {_ms(seconds)}")


#: The session's ``statement_timeout`` (ms) of each read connection, as last set.
_SESSION_TIMEOUT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _session_timeout(conn, seconds):
    """Give the read connection ``conn`` the ``statement_timeout`` of ``seconds`` (None: no
    limit) for its next statements, a round trip only when it changes: a timed read is then
    one statement, not a transaction of four (BEGIN, SET LOCAL, the query, COMMIT)."""
    ms = _ms(seconds)
    if _SESSION_TIMEOUT.get(conn, 0) != ms:
        conn.execute(f"SET statement_timeout = {ms}")
        _SESSION_TIMEOUT[conn] = ms


def _hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _public(url):
    """Return ``url`` without its password, for messages."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.Error:
        return "<a malformed postgresql:// URL>"
    host, port, db = info.get("host", ""), info.get("port"), info.get("dbname", "")
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{host}{':' + port if port else ''}/{db}"


class PostGISStore(EventStore):
    """An ``EventStore`` in PostgreSQL: a PostGIS geometry with a GiST index, date ranges,
    ``tsvector`` free text, and transactions ordered by the database.

    Each thread gets its own connection; reads outside a transaction come from a small pool.
    The schema is created (or migrated) on first use.

    Parameters
    ----------
    url : str
        A libpq URL, ``postgresql://user:password@host:port/dbname`` (any libpq parameter
        may follow, e.g. ``?options=-csearch_path%3Dmine,public`` to keep the store in the
        schema ``mine``).

    Raises
    ------
    StoreError
        When the server cannot be reached, PostGIS is missing, or the schema is not a
        conflictmap store (or is newer than this code).
    """

    capabilities = frozenset({"concurrent_writers", "extent", "features", "front_lines"})

    def __init__(self, url):
        self.url = str(url)
        self._where = repr(_public(self.url))
        self._local = threading.local()
        self._conns = []
        self._idle_readers = []
        self._lock = threading.Lock()
        schema.ensure(self._conn(), self._where)

    # -- connections and transactions --------------------------------------------------------

    def _connect(self):
        try:
            conn = psycopg.connect(
                self.url, autocommit=True, connect_timeout=10, application_name="conflictmap"
            )
        except psycopg.Error as err:
            raise StoreError(f"cannot connect to store {self._where}: {err}".strip()) from err
        with self._lock:
            self._conns.append(conn)
        return conn

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = self._local.conn = self._connect()
            self._local.depth, self._local.doomed = 0, False
        return conn

    def _error(self, err, what):
        if isinstance(err, _CONFLICTS):
            return ConflictError(f"{what} on store {self._where}: a concurrent write conflicted "
                                 f"({err.sqlstate}); nothing of it was stored")  # fmt: skip
        return StoreError(f"{what} on store {self._where}: {err}")

    @contextmanager
    def transaction(self):
        """Return a context manager: writes inside it commit together or roll back together.

        The outermost use is a ``SERIALIZABLE`` transaction; nested uses are savepoints. A
        conflict with a concurrent transaction raises ``ConflictError`` (after a rollback);
        a conflict inside a savepoint dooms the whole transaction, which then rolls back at
        its end with ``ConflictError`` even when the inner error was caught.
        """
        conn = self._conn()
        depth = self._local.depth
        name = f"sp{depth}"
        self._local.counted = None  # a count kept for a page is not one after a write
        try:
            if depth == 0:
                self._local.doomed = False
                conn.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            else:
                conn.execute(f"SAVEPOINT {name}")
        except psycopg.Error as err:
            raise self._error(err, "cannot start a write") from err
        self._local.depth = depth + 1
        try:
            yield self
        except BaseException as err:
            self._local.depth = depth
            conflict = isinstance(err, (ConflictError, *_CONFLICTS))
            try:
                if depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                    self._local.doomed = self._local.doomed or conflict
            except psycopg.Error:
                pass  # the connection is gone; the server rolled back
            if isinstance(err, psycopg.Error):
                raise self._error(err, "a write failed and was rolled back") from err
            raise
        self._local.depth = depth
        try:
            if depth > 0:
                conn.execute(f"RELEASE SAVEPOINT {name}")
            elif self._local.doomed:
                conn.execute("ROLLBACK")
                raise ConflictError(f"a write on store {self._where} met a concurrent write "
                                    "and was rolled back; nothing of it was stored")  # fmt: skip
            else:
                conn.execute("COMMIT")
        except psycopg.Error as err:
            if depth == 0 and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                try:
                    conn.execute("ROLLBACK")
                except psycopg.Error:
                    pass
            raise self._error(err, "cannot commit") from err

    def atomic(self, fn):
        """Call ``fn()`` in one transaction, again when a concurrent one made it abort.

        Inside another transaction ``fn`` runs once in a savepoint (the outermost ``atomic``
        retries the whole). After :data:`ATTEMPTS` aborts ``ConflictError`` is raised.
        """
        if getattr(self._local, "depth", 0):
            with self.transaction():
                return fn()
        for attempt in range(ATTEMPTS):
            try:
                with self.transaction():
                    return fn()
            except ConflictError:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 7)))
        raise AssertionError("unreachable")

    def close(self):
        """Close every connection this store opened (in any thread)."""
        with self._lock:
            conns, self._conns, self._idle_readers = self._conns, [], []
        for conn in conns:
            try:
                conn.close()
            except psycopg.Error:
                pass
        self._local = threading.local()

    def _read(self, sql, params=(), *, one=False):
        try:
            cur = self._conn().execute(sql, params)
            return cur.fetchone() if one else cur.fetchall()
        except psycopg.Error as err:
            raise self._error(err, "cannot read") from err

    # -- events ----------------------------------------------------------------------------

    def get(self, event_id):
        """Return the event with this id, or None (deleted events are None too)."""
        row = self._read(
            "SELECT json FROM events WHERE event_id = %s AND NOT deleted", (event_id,), one=True
        )
        return load_event(row[0]) if row else None

    @staticmethod
    def _check_page(q):
        limit, offset = q.limit, q.offset
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit < 2**62
        ):
            raise ValidationError(
                f"limit must be a non-negative integer below 2^62; got {limit!r}", field="limit"
            )
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset < 2**62:
            raise ValidationError(
                f"offset must be a non-negative integer below 2^62; got {offset!r}",
                field="offset",
            )

    def _fetch(self, column, q, row):
        """Return an iterator of ``row(r)`` over the rows of ``column`` matching ``q``:
        validated now, read when first iterated (see ``query``)."""
        self._check_page(q)
        small = q.limit is not None and q.limit <= _PAGE
        if small and pages_by_place(q):
            return self._counted(column, q, row)
        sql, params = select_page(column, q)
        return self._stream(sql, params, row, small=small, timeout=q.timeout)

    def _counted(self, column, q, row):
        """Yield a bbox page (``counted_page``), keeping its count for ``count_at_most``."""
        sql, params = counted_page(column, q, _PROBE - 1)
        rows = self._read_timed(sql, params, q.timeout)
        n = rows[0][0]
        self._local.counted = (_counted_key(q), n)
        if n < _PROBE:
            yield from (row((v,)) for _, v in rows if v is not None)
            return
        sql, params = select_page(column, q, dense=True)
        yield from self._stream(sql, params, row, small=True, timeout=q.timeout)

    def query(self, q=_ALL):
        """Yield events matching ``q`` in stable order (date_start, event_id), streaming.

        Outside a transaction a page (a limit up to 2,000) is read in one round trip (a
        bbox page in one or two: ``counted_page``, then a dense page when it matches more
        than 2,000); longer results stream through a server-side cursor in a read-only
        snapshot, so an export sees one consistent state and never holds every row. Inside
        ``transaction()`` the query sees the transaction's own writes.

        Raises
        ------
        ValidationError
            At once (not on first iteration) when a filter, the limit or the offset is bad.
        """
        return self._fetch("e.json", q, _event_of)

    def query_features(self, q=_ALL):
        """Yield, like ``query``, each matching event as its GeoJSON Feature's JSON text.

        The text is made when the event is written (equal to ``json.dumps(event.to_feature(),
        ensure_ascii=False, separators=(",", ":"))``).
        """
        return self._fetch("e.feature", q, _first)

    def query_facts(self, q=_ALL, *, actors=None):
        """Yield, like ``query``, each matching event's ``EventFacts``, read from its row's
        columns (no event text is read or decoded). A point given as the event's own
        geometry counts as its point here (more candidates for merging, never fewer). With
        ``actors``, only the events whose actors agree (``EventStore.query_facts``), tested
        by PostgreSQL."""
        self._check_page(q)  # (never the counted bbox page: it reads one column)
        agree, more = actors_sql(actors, "%s")
        if agree:
            where, params = where_clause(q)
            sql = f"SELECT {_FACTS} FROM events e WHERE {where}{agree}{_ORDER}"
            params = [*params, *more]
            if q.limit is not None or q.offset:
                sql += " LIMIT %s OFFSET %s"
                params += [q.limit, q.offset]
        else:
            sql, params = select_page(_FACTS, q)
        small = q.limit is not None and q.limit <= _PAGE
        return self._stream(sql, params, _facts_of, small=small, timeout=q.timeout)

    def _stream(self, sql, params, row, *, small, timeout=None) -> Iterator:
        """Yield ``row(r)`` for each row of ``sql`` (see ``query`` for how rows are read).

        ``timeout`` (seconds) is PostgreSQL's ``statement_timeout`` for the query and, when
        it streams, for each fetch of the next rows (the consumer's time between fetches is
        not counted), like the SQLite store's deadline."""
        if getattr(self._local, "depth", 0) > 0:
            yield from map(row, self._read(sql, params))
            return
        conn = self._take_reader()
        try:
            if small:
                _session_timeout(conn, timeout)
                rows = conn.execute(sql, params).fetchall()
                self._give_reader(conn)
                conn = None
                yield from map(row, rows)
                return
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # Every row will be read: plan for the whole result, not for the first rows.
            conn.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            _set_timeout(conn, timeout)  # (0: none, whatever the session's)
            with conn.cursor(name="conflictmap_stream") as cursor:
                cursor.execute(sql, params)
                while rows := cursor.fetchmany(_CHUNK):
                    yield from map(row, rows)
            conn.execute("COMMIT")
        except psycopg.errors.QueryCanceled as err:
            raise self._timeout(timeout) from err
        except psycopg.Error as err:
            raise self._error(err, "cannot read") from err
        finally:
            if conn is not None:
                self._give_reader(conn)

    def _take_reader(self):
        with self._lock:
            if self._idle_readers:
                return self._idle_readers.pop()
        return self._connect()

    def _give_reader(self, conn):
        try:
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.execute("ROLLBACK")  # an abandoned stream
        except psycopg.Error:
            conn.close()
        with self._lock:
            if conn in self._conns and not conn.closed and not conn.broken:
                if len(self._idle_readers) < _IDLE_READERS:
                    self._idle_readers.append(conn)
                    return
                self._conns.remove(conn)
        conn.close()

    def count(self, q=_ALL):
        """Return how many events match ``q`` (ignoring limit and offset).

        Raises
        ------
        QueryTimeoutError
            When counting takes longer than ``q.timeout`` seconds.
        """
        return self._count(q, None)

    def count_at_most(self, q, cap):
        """Return how many events match ``q`` when at most ``cap``, else None: the matches are
        counted up to ``cap + 1`` (``LIMIT`` in a subquery), so a page of a query matching
        millions costs no full count (see ``EventStore.count_at_most``)."""
        counted, self._local.counted = getattr(self._local, "counted", None), None
        if (
            counted is not None
            and counted[0] == _counted_key(q)
            and not getattr(self._local, "depth", 0)
        ):
            # The count made in this thread to choose the page of this query, just before.
            n = counted[1]
            if n < _PROBE:
                return n if n <= cap else None
            if cap < _PROBE:
                return None
        n = self._count(q, cap + 1)
        return n if n <= cap else None

    def _count(self, q, most):
        where, params = where_clause(q)
        sql = f"SELECT count(*) FROM events e WHERE {where}"
        if most is not None:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where} LIMIT %s) s"
            params = [*params, most]
        return self._read_timed(sql, params, q.timeout)[0][0]

    def _read_timed(self, sql, params, timeout):
        """Return the rows of ``sql``, stopped past ``timeout`` seconds (PostgreSQL's
        ``statement_timeout``) with ``QueryTimeoutError``; inside a transaction, untimed."""
        if not timeout or getattr(self._local, "depth", 0) > 0:
            return self._read(sql, params)
        conn = self._take_reader()
        try:
            _session_timeout(conn, timeout)
            return conn.execute(sql, params).fetchall()
        except psycopg.errors.QueryCanceled as err:
            raise self._timeout(timeout) from err
        except psycopg.Error as err:
            raise self._error(err, "cannot read") from err
        finally:
            self._give_reader(conn)

    def _timeout(self, seconds):
        return QueryTimeoutError(
            f"the query on store {self._where} took more than its {seconds:g} s and was "
            "stopped; narrow it (a smaller bbox or date window, fewer words) or try again later",
            retry_after=max(1, round(seconds)),
        )

    def day_counts(self, q=_ALL):
        """Return ``[(date_start, event_type, count)]`` of the matching events (one query,
        stopped at ``q.timeout`` with ``QueryTimeoutError``)."""
        where, params = where_clause(q)
        sql = (
            f"SELECT e.date_start, e.event_type, count(*) FROM events e WHERE {where} "
            "GROUP BY 1, 2 ORDER BY 1, 2"
        )
        rows = self._read_timed(sql, params, q.timeout)
        return [(r[0].isoformat(), r[1], r[2]) for r in rows]

    def put_events(self, events: Iterable[Event], *, overwrite_reviewed=False):
        """Insert or replace events by id, in one transaction, and return a ``PutResult``.

        Same rules as ``SQLiteStore.put_events``: reviewed and deleted events are protected
        unless ``overwrite_reviewed``; an event identical to the stored one is not rewritten.
        The stored rows are read and written in one serializable transaction (run again when
        a concurrent write conflicts), so a concurrent writer never slips in between.
        """
        checked = []
        for event in events:
            if not isinstance(event, Event):
                raise ValidationError(
                    f"put_events takes Event objects; got {type(event).__name__}",
                    field="events",
                )
            checked.append(event.checked())
        now = utcnow_iso()
        return self.atomic(lambda: self._put(checked, now, overwrite_reviewed))

    def _put(self, checked, now, overwrite_reviewed):
        conn = self._conn()
        written, unchanged, protected = 0, [], []
        stored = self._rows_of(sorted({e.event_id for e in checked}))
        new = {}  # event_id -> event not stored before this call
        for event in checked:
            row = stored.get(event.event_id)
            old = new.get(event.event_id)
            if old is None and row:
                old = row[1] if isinstance(row[1], Event) else load_event(row[1])
            if old is not None and old.edited_fields and not overwrite_reviewed:
                event = keep_edits(old, event).checked()  # only what no analyst edited
            if old is not None and not (row and row[2]) and same_event(old, event):
                unchanged.append(event.event_id)
                continue
            if row and not overwrite_reviewed and not merge_allowed(old, event, deleted=row[2]):
                protected.append(event.event_id)
                continue
            version = event.replace(updated_at=now)
            if row:
                update_event(conn, row[0], version, old)
                stored[event.event_id] = (row[0], version, False)
            else:
                new[event.event_id] = version
            written += 1
        if new:
            insert_events(conn, list(new.values()))
        return PutResult(written, tuple(unchanged), tuple(protected))

    def _rows_of(self, event_ids):
        """Return ``{event_id: (rid, json, deleted)}`` of the stored rows among ``event_ids``."""
        rows = {}
        for i in range(0, len(event_ids), _CHUNK):
            part = event_ids[i : i + _CHUNK]
            for event_id, *row in self._conn().execute(
                "SELECT event_id, rid, json, deleted FROM events WHERE event_id = ANY(%s)",
                (part,),
            ):
                rows[event_id] = tuple(row)
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

        def unit():
            conn, now = self._conn(), utcnow_iso()
            row = conn.execute(
                "SELECT rid, json FROM events WHERE event_id = %s AND NOT deleted", (event_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no event with event_id {event_id!r} to delete")
            conn.execute(
                "INSERT INTO deletions (event_id, deleted_at, reason, deleted_by, event) "
                "VALUES (%s, %s, %s, %s, %s)",
                (event_id, now, reason.strip(), by.strip(), row[1]),
            )
            conn.execute(
                "UPDATE events SET deleted = true, updated_at = %s WHERE rid = %s", (now, row[0])
            )

        self.atomic(unit)

    def deletions(self):
        """Return recorded deletions, oldest first (``{event_id, deleted_at, reason, by,
        event}``)."""
        rows = self._read(
            "SELECT event_id, deleted_at, reason, deleted_by, event FROM deletions ORDER BY id"
        )
        return [
            {"event_id": r[0], "deleted_at": r[1], "reason": r[2], "by": r[3],
             "event": json.loads(r[4])}
            for r in rows
        ]  # fmt: skip

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
        if "\x00" in (text or ""):
            raise ValidationError(
                f"article {article['article_id']!r} holds a NUL character, which a "
                "PostgreSQL store cannot keep; expected text without NUL",
                field="text",
            )

        def unit():
            self._conn().execute(
                "INSERT INTO articles (article_id, metadata, text, updated_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
                "metadata = excluded.metadata, text = excluded.text, "
                "updated_at = excluded.updated_at",
                (article["article_id"], meta_json, text, utcnow_iso()),
            )

        self.atomic(unit)

    def get_article(self, article_id):
        """Return the article record (metadata and ``text``), or None."""
        row = self._read(
            "SELECT metadata, text FROM articles WHERE article_id = %s", (article_id,), one=True
        )
        if row is None:
            return None
        record = json.loads(row[0])
        record["text"] = row[1]
        return record

    def articles(self):
        """Return every article's metadata (without the text), ordered by ``article_id``."""
        rows = self._read("SELECT metadata FROM articles ORDER BY article_id")
        return [json.loads(r[0]) for r in rows]

    # -- tokens ----------------------------------------------------------------------------

    def create_token(self, name):
        """Create (or rotate) the API token called ``name``; return its secret once."""
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"a token needs a non-empty name; got {name!r}", field="name")
        secret = secrets.token_urlsafe(32)
        self.atomic(
            lambda: self._conn().execute(
                "INSERT INTO tokens (name, sha256, created_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, "
                "created_at = excluded.created_at",
                (name.strip(), _hash_secret(secret), utcnow_iso()),
            )
        )
        return secret

    def verify_token(self, secret):
        """Return the token's name if ``secret`` is valid (constant-time compare), else None."""
        if not isinstance(secret, str) or not secret:
            return None
        digest, found = _hash_secret(secret), None
        for name, stored in self._read("SELECT name, sha256 FROM tokens"):
            if hmac.compare_digest(digest, stored):
                found = name
        return found

    def revoke_token(self, name):
        """Delete the token called ``name``; return whether it existed."""
        cur = self.atomic(
            lambda: self._conn().execute("DELETE FROM tokens WHERE name = %s", (name,))
        )
        return cur.rowcount > 0

    def tokens(self):
        """Return ``[{name, created_at}]`` of every token (never the secrets)."""
        rows = self._read("SELECT name, created_at FROM tokens ORDER BY name")
        return [{"name": r[0], "created_at": r[1]} for r in rows]

    # -- front lines (geo.store.postgis.frontlines) -----------------------------------------

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
        from geo.store.postgis.records import records

        return records(self, kind)

    def restore_records(self, kind, batch):
        """Write records of ``kind`` back as they were (see ``EventStore.restore_records``)."""
        from geo.store.postgis.records import restore

        return restore(self, kind, batch)

    # -- maintenance -----------------------------------------------------------------------

    def optimize(self):
        """Rewrite the events in date order and rebuild their indexes; return what was done.

        A bbox + date page reads the (place, days) index, an N-D GiST index that PostgreSQL
        builds by inserting entries in the table's order. A store filled as news arrives
        (mostly in date order) gets index pages that each hold a few days; one filled out of
        date order (a copy, a backfill of old archives) gets pages mixing far-apart days, and
        a page of a month then reads several times as many index pages. This runs
        ``CLUSTER`` on a B-tree in (date_start, event_id) order (made for it and dropped in
        the same transaction), which rewrites the table in that order and rebuilds every
        index from it, then ``VACUUM ANALYZE`` (index-only scans need the visibility map).

        ``CLUSTER`` holds an exclusive lock on the events table while it runs (minutes at a
        million events, and free disk for a second copy of the table): reads and writes of
        the store wait meanwhile.
        """
        t0 = time.perf_counter()
        conn = self._connect()
        try:
            with conn.transaction():
                conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
                conn.execute("CREATE INDEX events_date_order ON events (date_start, event_id)")
                conn.execute("CLUSTER events USING events_date_order")
                conn.execute("DROP INDEX events_date_order")
            conn.execute("VACUUM ANALYZE events")
            n = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        except psycopg.Error as err:
            raise StoreError(f"cannot optimize store {self._where}: {err}") from err
        finally:
            with self._lock:
                if conn in self._conns:
                    self._conns.remove(conn)
            conn.close()
        return (f"store {self._where}: {n:,} events rewritten in date order and their "
                f"indexes rebuilt in {time.perf_counter() - t0:.1f} s")  # fmt: skip

    # -- metadata --------------------------------------------------------------------------

    def data_as_of(self):
        """Return the ISO timestamp of the last write of events or articles, or None.

        Read from the indexed ``updated_at`` columns (and the deletions' times: a copied
        store holds a deleted event only as its deletion record) rather than kept in one
        row, which every concurrent writer would otherwise have to update.
        """
        return self._read(
            "SELECT greatest((SELECT max(updated_at) FROM events), "
            "(SELECT max(updated_at) FROM articles), "
            '(SELECT max(deleted_at) COLLATE "C" FROM deletions))',
            one=True,
        )[0]

    def extent(self, types=None):
        """Return ``(dates, bounds)`` of the live events (of ``types``, when given; see
        ``EventStore.extent``)."""
        types = [types] if isinstance(types, str) else list(types or ())
        row = self._read(
            "SELECT min(date_start), max(date_end), min(min_lat), min(min_lon), max(max_lat), "
            "max(max_lon) FROM events WHERE NOT deleted"
            + (" AND event_type = ANY(%s)" if types else ""),
            [types] if types else (),
            one=True,
        )
        dates = {"start": row[0].isoformat(), "end": row[1].isoformat()} if row[0] else None
        bounds = [[row[2], row[3]], [row[4], row[5]]] if row[2] is not None else None
        return dates, bounds

    def __repr__(self):
        return f"PostGISStore({_public(self.url)!r})"
