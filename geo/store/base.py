"""The event store interface, and ``open_store(url)`` to get one.

``EventStore`` is what the pipeline, the CLI and the web app talk to; the embedded SQLite
store (``geo.store.sqlite.SQLiteStore``) is the default and PostgreSQL/PostGIS
(``geo.store.postgis.PostGISStore``, ``postgresql://…``) the server database. Each backend
registers its URL scheme in ``_SCHEMES``. What a backend does beyond the abstract methods is
told by ``EventStore.capabilities`` and offered through methods with defaults here
(``query_features``, ``extent``, ``bulk``, ``tokens``, ``revoke_token``, ``atomic``), so
that callers never probe a store with ``hasattr``.
"""

from __future__ import annotations

import abc
import importlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo.common.paths import DEFAULT_STORE_FILE
from geo.events.model import EVENT_TYPES, STATUSES, Event
from geo.exc import StoreError, ValidationError

__all__ = [
    "CAPABILITIES",
    "DEFAULT_STORE",
    "EventFacts",
    "EventQuery",
    "EventStore",
    "PutResult",
    "RECORD_KINDS",
    "default_store_path",
    "open_store",
    "register_scheme",
]

#: The kinds of record ``EventStore.records`` hands out, in the order a copy takes them.
RECORD_KINDS = ("articles", "events", "deletions", "tokens")

#: Environment variable naming the store (a path or a URL such as ``sqlite:///x.sqlite``).
STORE_ENV = "CONFLICTMAP_STORE"


def default_store_path() -> Path:
    """Return the embedded store's default path (``geo.common.paths.DEFAULT_STORE_FILE``)."""
    return DEFAULT_STORE_FILE


DEFAULT_STORE = str(default_store_path())


def as_tuple(value, name) -> tuple:
    """Return a query's list parameter as a tuple (one string is one value; None none).

    Raises
    ------
    ValidationError
        Naming ``name`` when the value is not a string nor iterable.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise ValidationError(
            f"{name} must be a list of strings; got {value!r}", field=name
        ) from None


def vocabulary_filters(q) -> list[tuple[str, tuple[str, ...]]]:
    """Return ``[(column, values)]`` of the query's type and status filters that are set,
    each value checked against the codebook (both backends filter on these columns).

    Raises
    ------
    ValidationError
        Naming the filter when a value is not in the codebook.
    """
    out = []
    for name, values, column, choices in (
        ("types", q.types, "event_type", EVENT_TYPES),
        ("statuses", q.statuses, "status", STATUSES),
    ):
        values = as_tuple(values, name)
        for value in values:
            if value not in choices:
                raise ValidationError(
                    f"{name} must be among {', '.join(choices)}; got {value!r}", field=name
                )
        if values:
            out.append((column, values))
    return out


@dataclass(frozen=True)
class EventQuery:
    """Filters for ``EventStore.query``; every filter is optional and they combine with AND.

    ``bbox`` is ``(min_lon, min_lat, max_lon, max_lat)`` and matches events whose point or
    area intersects it. ``start``/``end`` match events whose date range overlaps
    ``[start, end]`` (either end open when ``None``). ``text`` is a free-text match over
    summary, place names, actors and source quotes. ``source`` matches a source id, publisher
    or URL. Results come in stable order (date_start, then event_id) for paging. ``extra``
    holds further exact-match filters: ``country_code``, ``geonameid``, ``geo_precision``,
    ``extraction`` and ``updated_since`` (an ISO timestamp); other keys are rejected.
    ``timeout`` (seconds) bounds the store's work on each step of the query (the count, or
    the wait for the next rows): beyond it the query stops with ``QueryTimeoutError``.
    """

    bbox: tuple[float, float, float, float] | None = None
    start: date | None = None
    end: date | None = None
    types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    text: str | None = None
    source: str | None = None
    ids: tuple[str, ...] = ()
    limit: int | None = None
    offset: int = 0
    include_deleted: bool = False
    extra: dict = field(default_factory=dict)
    timeout: float | None = None


@dataclass(frozen=True)
class PutResult:
    """What ``put_events`` did: how many events it wrote and which ids it left alone.

    ``unchanged`` holds ids whose stored event was already identical; ``protected`` holds ids
    it refused to overwrite (reviewed or deleted events, see ``EventStore.put_events``).
    """

    written: int = 0
    unchanged: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventFacts:
    """What a stored event's index row tells without reading the event (``query_facts``).

    Merging tests these before it reads a candidate whole
    (``geo.events.merge.may_be_compatible``). ``latitude`` and ``longitude`` are the event's
    point, or None for an event drawn as an area (``has_geometry``) or without a place.
    """

    event_id: str
    event_type: str
    date_start: date
    date_end: date
    actor1: str | None
    actor2: str | None
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    has_geometry: bool

    @classmethod
    def of(cls, event: Event) -> EventFacts:
        """Return the facts of ``event`` (as a store's index row gives them)."""
        point = not event.geometry and event.longitude is not None
        return cls(
            event.event_id, event.event_type, event.date_start, event.date_end, event.actor1,
            event.actor2, event.geonameid, event.latitude if point else None,
            event.longitude if point else None, bool(event.geometry),
        )  # fmt: skip


def actors_agree(facts, actors) -> bool:
    """Return whether ``facts``' actors do not conflict with ``actors`` ``(actor1, actor2)``:
    for each, one of the two is empty or they are equal (``query_facts(actors=…)``)."""
    pairs = zip((facts.actor1, facts.actor2), actors, strict=True)
    return all(not x or not y or x == y for x, y in pairs)


def actors_sql(actors, mark):
    """Return ``(sql, params)``: the condition over ``events e`` of ``actors_agree``
    (``mark``: the driver's parameter mark), or ``("", [])`` when no actor is given."""
    clauses, params = [], []
    for column, value in zip(("e.actor1", "e.actor2"), actors or (None, None), strict=True):
        if value:
            clauses.append(f" AND ({column} IS NULL OR {column} = '' OR {column} = {mark})")
            params.append(value)
    return "".join(clauses), params


#: What a backend may declare in ``EventStore.capabilities``, and what each means.
CAPABILITIES = {
    "features": "query_features reads stored Feature texts (no decoding of events)",
    "extent": "extent() is answered by the database, not by streaming every event",
    "bulk": "bulk() tunes the store for a long run of writes",
    "concurrent_writers": "several processes may write at once (the database orders them)",
    "front_lines": "keeps dated front-line versions (put_front_lines, front_line_versions, …)",
    "kept_metadata": "extent() and count() of all events or of some types are kept on write "
    "(no scan)",
}

_COMPACT = (",", ":")


class EventStore(abc.ABC):
    """Persistent events, articles, deletions and API tokens.

    Every write happens in a transaction: either all of it is stored or none of it.

    ``capabilities`` names what the backend does natively (keys of :data:`CAPABILITIES`);
    the optional methods below work on every store, with defaults built on the abstract
    ones, and a backend that declares a capability overrides them.
    """

    url: str
    #: Native abilities of this backend (see :data:`CAPABILITIES`); none by default.
    capabilities: frozenset[str] = frozenset()

    # -- events ----------------------------------------------------------------------------
    @abc.abstractmethod
    def get(self, event_id: str) -> Event | None:
        """Return the event with this id, or None (deleted events are None too)."""

    @abc.abstractmethod
    def query(self, q: EventQuery = EventQuery()) -> Iterator[Event]:
        """Yield events matching ``q`` in stable order (date_start, event_id), streaming."""

    @abc.abstractmethod
    def count(self, q: EventQuery = EventQuery()) -> int:
        """Return how many events match ``q`` (ignoring limit and offset)."""

    @abc.abstractmethod
    def put_events(self, events: Iterable[Event], *, overwrite_reviewed: bool = False):
        """Insert or replace events by id, in one transaction (sets ``updated_at``).

        Unless ``overwrite_reviewed``, a stored ``reviewed`` event is only replaced by a
        ``reviewed`` version and a deleted event stays deleted
        (``geo.events.protection.merge_allowed``);
        an event identical to the stored one is not rewritten. Returns a result with
        ``written`` (int), ``unchanged`` and ``protected`` (tuples of ids): a
        :class:`PutResult`.
        """

    @abc.abstractmethod
    def delete_event(self, event_id: str, *, reason: str, by: str) -> None:
        """Delete an event and record the deletion (who, when, why) in ``deletions()``."""

    @abc.abstractmethod
    def deletions(self) -> list[dict]:
        """Return recorded deletions: ``{event_id, deleted_at, reason, by, event}``."""

    # -- articles --------------------------------------------------------------------------
    @abc.abstractmethod
    def put_article(self, article: dict) -> None:
        """Insert or replace an article record (``article_id``, metadata, cleaned ``text``)."""

    @abc.abstractmethod
    def get_article(self, article_id: str) -> dict | None:
        """Return the article record, or None."""

    @abc.abstractmethod
    def articles(self) -> list[dict]:
        """Return every article's metadata (without the text)."""

    # -- atomic units ----------------------------------------------------------------------
    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[EventStore]:
        """Return a context manager: writes inside it commit together or roll back together.

        Uses nest: an exception leaving an inner use undoes only the writes made inside it
        (a savepoint), and the outer transaction goes on.
        """

    # -- tokens (write access over HTTP) ---------------------------------------------------
    @abc.abstractmethod
    def create_token(self, name: str) -> str:
        """Create an API token called ``name``; return the secret once (only a hash is kept)."""

    @abc.abstractmethod
    def verify_token(self, secret: str) -> str | None:
        """Return the token's name if ``secret`` is valid (constant-time compare), else None."""

    # -- metadata --------------------------------------------------------------------------
    @abc.abstractmethod
    def data_as_of(self) -> str | None:
        """Return the ISO timestamp of the last write, for "data as of" stamps."""

    # -- optional abilities, with defaults ------------------------------------------------
    def query_features(self, q: EventQuery = EventQuery()) -> Iterator[str]:
        """Yield, like ``query``, each matching event as its GeoJSON Feature's JSON text.

        The text equals ``json.dumps(event.to_feature(), ensure_ascii=False,
        separators=(",", ":"))``. The default encodes each event; a store with the
        ``"features"`` capability reads texts made when the events were written.
        """
        for event in self.query(q):
            yield json.dumps(event.to_feature(), ensure_ascii=False, separators=_COMPACT)

    def query_facts(
        self, q: EventQuery = EventQuery(), *, actors: tuple | None = None
    ) -> Iterator[EventFacts]:
        """Yield, like ``query``, each matching event's :class:`EventFacts` (what its index
        row holds). Backends read them without decoding the events; this default decodes.

        ``actors`` ``(actor1, actor2)``, either None: only the events whose actors do not
        conflict with them, i.e. whose ``actor1`` is empty or equals the given ``actor1``
        (when one is given), likewise ``actor2`` (``geo.events.merge.compatible``'s actor
        rule, tested by the database so that merging reads fewer rows).
        """
        facts = map(EventFacts.of, self.query(q))
        if actors is None:
            return facts
        return (f for f in facts if actors_agree(f, actors))

    def query_fields(self, q: EventQuery = EventQuery()) -> Iterator[dict]:
        """Yield, like ``query``, each matching event's fields as ``event.to_dict()`` has them.

        For tabular exports (``geo.events.flat.flatten_fields``). The default calls
        ``to_dict()`` of each event; a store with the ``"features"`` capability reads them
        from its stored Feature texts without rebuilding the events.
        """
        for event in self.query(q):
            yield event.to_dict()

    def query_csv_lines(self, q: EventQuery = EventQuery()) -> Iterator[str]:
        """Yield, like ``query``, each matching event's CSV line (``geo.events.flat.csv_line``).

        The default makes each from the event's fields; a store with the ``"features"``
        capability reads the line it kept when the event was written.
        """
        from geo.events.flat import csv_line, flatten_fields

        for fields in self.query_fields(q):
            yield csv_line(flatten_fields(fields))

    def count_at_most(self, q: EventQuery, cap: int) -> int | None:
        """Return how many events match ``q`` when that is at most ``cap``, else None.

        For ``numberMatched`` (optional in OGC API - Features): a store counts at most
        ``cap + 1`` matches, so a page of a query matching millions costs no full count. The
        default counts them all.
        """
        n = self.count(q)
        return n if n <= cap else None

    def extent(self, types=None) -> tuple[dict | None, list | None]:
        """Return ``(dates, bounds)`` of the live events (of ``types``, when given), for a
        map's time axis and view and the collections' extents.

        ``dates`` is ``{"start": iso, "end": iso}`` (earliest start, latest end) or None;
        ``bounds`` is ``[[south, west], [north, east]]`` over the events' boxes, or None.
        The default streams every event once; a store with the ``"extent"`` capability asks
        its indexes or keeps them on write.
        """
        from geo.events.geometry import geometry_bounds

        lo = hi = box = None
        types = (types,) if isinstance(types, str) else tuple(types or ())
        for event in self.query(EventQuery(types=types)):
            start, end = event.date_start.isoformat(), event.date_end.isoformat()
            lo = start if lo is None or start < lo else lo
            hi = end if hi is None or end > hi else hi
            b = geometry_bounds(event.geometry) if event.geometry else None
            if b is None and event.latitude is not None:
                b = (event.longitude, event.latitude, event.longitude, event.latitude)
            if b is not None:
                box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]),
                                             max(box[2], b[2]), max(box[3], b[3]))  # fmt: skip
        dates = {"start": lo, "end": hi} if lo else None
        bounds = [[box[1], box[0]], [box[3], box[2]]] if box else None
        return dates, bounds

    @contextmanager
    def bulk(self):
        """Return a context manager for a long run of writes (ingestion, copies).

        The default does nothing; a store with the ``"bulk"`` capability tunes itself
        meanwhile (larger caches) and undoes it afterwards.
        """
        yield self

    def optimize(self) -> str:
        """Reorganise the store for fast reads (maintenance, e.g. after a bulk load out of
        date order) and return a line saying what was done.

        The default does nothing: the SQLite store keeps itself in shape. ``PostGISStore``
        rewrites its events in date order (see its ``optimize``).
        """
        return f"store {self!r}: nothing to do"

    def atomic(self, fn: Callable[[], object]) -> object:
        """Call ``fn()`` inside one transaction and return what it returns.

        Use it for read-modify-write units (check an id is free, then create; read an event,
        patch it, write it). The default runs ``fn`` once in ``transaction()``. A store with
        ``"concurrent_writers"`` may run ``fn`` again when the database aborts the
        transaction because of a concurrent one (``fn`` must only touch the store), so that
        the unit behaves as if it had run alone; any other exception leaves at once.
        """
        with self.transaction():
            return fn()

    def tokens(self) -> list[dict]:
        """Return ``[{name, created_at}]`` of every API token (never the secrets)."""
        return []

    def revoke_token(self, name: str) -> bool:
        """Delete the token called ``name``; return whether it existed."""
        return False

    def day_counts(self, q: EventQuery = EventQuery()) -> list[tuple[str, str, int]]:
        """Return ``[(date_start, event_type, count)]`` of the events matching ``q``.

        Sorted by day then type; ``limit`` and ``offset`` are ignored. The maps' histogram
        of events over time. The default streams the events; the backends group in SQL.
        """
        from collections import Counter

        counts = Counter((e.date_start.isoformat(), e.event_type) for e in self.query(_unpaged(q)))
        return sorted((day, kind, n) for (day, kind), n in counts.items())

    # -- front lines as dated geometry (``geo.frontlines``) ---------------------------------
    def put_front_lines(self, version, *, replace: bool = False) -> dict:
        """Store a ``FrontLineVersion``; return its description (``version.meta()``).

        ``imported_at`` is now, or the version's own when it has one (a copy keeps it).

        A version of the same source and date already stored is kept (``ValidationError``
        naming both) unless ``replace``. Needs the ``"front_lines"`` capability.
        """
        raise StoreError(f"{self!r} cannot keep front lines")

    def front_line_versions(self, sources: tuple[str, ...] = ()) -> list[dict]:
        """Return the descriptions of the stored versions (``FrontLineVersion.meta()``).

        Ordered by source, then date; only ``sources`` when given. Empty when the store
        cannot keep front lines.
        """
        return []

    def get_front_lines(self, source: str, valid_from):
        """Return the stored ``FrontLineVersion`` of ``source`` from ``valid_from``, or None."""
        return None

    def delete_front_lines(self, source: str, valid_from) -> bool:
        """Delete one stored version; return whether it existed."""
        raise StoreError(f"{self!r} cannot keep front lines")

    def front_lines_in_force(self, start=None, end=None, *, sources=()):
        """Return ``[(description with valid_to, FrontLineVersion)]`` in force in the window.

        See ``geo.frontlines.in_force``: one date gives the version of each source in force
        that day, no date the latest version of each source.
        """
        from geo.frontlines.model import in_force

        chosen = in_force(self.front_line_versions(tuple(sources)), start, end)
        out = []
        for meta in chosen:
            version = self.get_front_lines(meta["source"], meta["valid_from"])
            if version is not None:
                out.append((meta, version))
        return out

    # -- copies between stores (``conflictmap store copy``) ----------------------------------
    def records(self, kind: str) -> Iterator[dict]:
        """Yield every stored record of ``kind`` as it is, in a stable order.

        ``kind`` is one of :data:`RECORD_KINDS`: ``events`` (``{"event": Event, "deleted":
        bool}``, ``updated_at`` kept), ``articles`` (``{article_id, metadata, text,
        updated_at}`` with ``metadata`` as JSON text), ``deletions`` (as ``deletions()``) and
        ``tokens`` (``{name, sha256, created_at}``: hashes, never secrets).
        """
        raise StoreError(f"{self!r} cannot hand out its records for a copy")

    def restore_records(self, kind: str, batch: list[dict]) -> int:
        """Write records from ``records(kind)`` of another store back as they were.

        One transaction per batch; records already stored identically are skipped (a copy run
        again resumes). Returns how many records changed this store.
        """
        raise StoreError(f"{self!r} cannot take records from a copy")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (connections)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _unpaged(q):
    from dataclasses import replace

    return replace(q, limit=None, offset=0)


#: URL scheme → backend class, as ``"module:Class"`` (imported when first used, so that this
#: module never imports a backend) or as a callable taking the URL's rest.
_SCHEMES: dict[str, str | Callable[[str], EventStore]] = {
    "sqlite": "geo.store.sqlite:SQLiteStore",
    "postgresql": "geo.store.postgis:PostGISStore",
    "postgres": "geo.store.postgis:PostGISStore",
}
#: Schemes whose backend takes the whole URL rather than the part after ``scheme://``.
_WHOLE_URL = {"postgresql", "postgres"}


def register_scheme(scheme: str, backend: str | Callable[[str], EventStore]) -> None:
    """Make ``open_store("scheme://…")`` open ``backend`` (``"module:Class"`` or a callable)."""
    _SCHEMES[scheme] = backend


def _backend(scheme: str) -> Callable[[str], EventStore]:
    backend = _SCHEMES[scheme]
    if isinstance(backend, str):
        module, _, name = backend.partition(":")
        backend = getattr(importlib.import_module(module), name)
    return backend


def open_store(url: str | os.PathLike | None = None) -> EventStore:
    """Open the store named by ``url``, ``$CONFLICTMAP_STORE``, or the embedded default.

    Parameters
    ----------
    url : str or path-like, optional
        A filesystem path (an SQLite file, created if missing) or a URL
        ``scheme://…`` whose scheme is registered (``sqlite:///relative.sqlite``,
        ``sqlite:////abs/path.sqlite``, ``postgresql://user@host:5432/db``).

    Raises
    ------
    StoreError
        When the URL scheme is unknown or the store cannot be opened.
    """
    target = str(url) if url else os.environ.get(STORE_ENV) or DEFAULT_STORE
    if "://" in target:
        scheme, _, rest = target.partition("://")
        if scheme not in _SCHEMES:
            raise StoreError(
                f"store URL {target!r} has an unknown scheme {scheme!r}; "
                f"expected a file path or one of: {', '.join(sorted(_SCHEMES))}://"
            )
        if scheme in _WHOLE_URL:
            return _backend(scheme)(target)
        return _backend(scheme)(rest[1:] if rest.startswith("/") else rest)
    return _backend("sqlite")(target)
