"""Tables, indexes and versioned migrations of ``geo.store.postgis``.

The schema lives in the connection's current schema (the first of its ``search_path``), so
that one database can hold several stores (``?options=-csearch_path%3Dname,public``).
Creation and each migration run in one transaction holding a transaction-level advisory lock
named after that schema: two processes opening one new database at once do not race, the
second finds the work done.
"""

from __future__ import annotations

from datetime import date

import psycopg

from geo.exc import StoreError

__all__ = ["CUBE", "DAY_ZERO", "EXTENSIONS", "FORMAT_NAME", "SCHEMA_VERSION", "ensure"]

#: Marker in the ``meta`` table that identifies a conflictmap store (as in the SQLite store).
FORMAT_NAME = "conflictmap-events"
#: Version of the schema below; bump it and add a step to ``_STEPS`` when it changes.
SCHEMA_VERSION = 4

#: Day numbers of the (place, days) index count the days since this date (exact in float4).
DAY_ZERO = date(2000, 1, 1)
#: An event's box in (longitude, latitude, day): a line from its south-west corner on its
#: first day to its north-east corner on its last day, so that its 3D bounding box is the
#: event's bounds times its date range. NULL without a place. Queries repeat it verbatim
#: (with the alias ``e.``) so that PostgreSQL matches it to the index expression.
CUBE = (
    f"ST_MakeLine(ST_MakePoint({{e}}min_lon, {{e}}min_lat, ({{e}}date_start - DATE '{DAY_ZERO}')"
    f"::float8), ST_MakePoint({{e}}max_lon, {{e}}max_lat, ({{e}}date_end - DATE '{DAY_ZERO}')"
    "::float8))"
)

#: Version 1. Event ids and timestamps sort bytewise (``COLLATE "C"``), as SQLite does, so
#: that paging order is the same on both backends whatever the database's locale.
_TABLES = """
CREATE TABLE meta (key text PRIMARY KEY, value text);
CREATE TABLE events (
    rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text COLLATE "C" NOT NULL UNIQUE,
    event_type text NOT NULL,
    date_start date NOT NULL,
    date_end date NOT NULL,
    span daterange GENERATED ALWAYS AS (daterange(date_start, date_end, '[]')) STORED,
    status text NOT NULL,
    updated_at text COLLATE "C",
    actor1 text, actor2 text, claimed_by text,
    geonameid bigint, country_code text, geo_precision text, extraction text,
    min_lon double precision, min_lat double precision,
    max_lon double precision, max_lat double precision,
    geom geometry(Geometry, 4326),
    search tsvector NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    json text NOT NULL,
    feature text NOT NULL
);
CREATE INDEX events_live_order ON events (date_start, event_id) WHERE NOT deleted;
CREATE INDEX events_place_span ON events USING gist (geom, span);
CREATE INDEX events_place_start ON events USING gist (geom, date_start);
CREATE INDEX events_span ON events USING gist (span);
CREATE INDEX events_search ON events USING gin (search);
CREATE INDEX events_updated ON events (updated_at);
CREATE INDEX events_country ON events (country_code);
CREATE INDEX events_type ON events (event_type, date_start);
CREATE TABLE event_sources (
    event_rid bigint NOT NULL REFERENCES events(rid) ON DELETE CASCADE,
    source_id text NOT NULL,
    publisher text,
    url text
);
CREATE INDEX event_sources_rid ON event_sources (event_rid);
CREATE INDEX event_sources_id ON event_sources (source_id);
CREATE INDEX event_sources_publisher ON event_sources (lower(publisher));
CREATE INDEX event_sources_url ON event_sources (url);
CREATE TABLE articles (
    article_id text COLLATE "C" PRIMARY KEY,
    metadata text NOT NULL,
    text text,
    updated_at text COLLATE "C" NOT NULL
);
CREATE INDEX articles_updated ON articles (updated_at);
CREATE TABLE deletions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text COLLATE "C" NOT NULL,
    deleted_at text NOT NULL,
    reason text NOT NULL,
    deleted_by text NOT NULL,
    event text NOT NULL
);
CREATE INDEX deletions_event ON deletions (event_id);
CREATE TABLE tokens (name text PRIMARY KEY, sha256 text NOT NULL, created_at text NOT NULL);
"""
#: Version 2: dated front-line versions (geo.frontlines), one row per source and date.
_FRONT_LINES = (
    'CREATE TABLE front_lines (source text COLLATE "C" NOT NULL, valid_from date NOT NULL, '
    "file_name text NOT NULL, imported_at text NOT NULL, feature_count integer NOT NULL, "
    "min_lon double precision, min_lat double precision, max_lon double precision, "
    "max_lat double precision, features text NOT NULL, PRIMARY KEY (source, valid_from))"
)
_TABLES += _FRONT_LINES + ";\n"

#: Version 3: every event's box in (longitude, latitude, day) in one N-D GiST index (PostGIS
#: ``gist_geometry_ops_nd``): a bbox + date query prunes on both at once, where the
#: (geometry, dates) GiST indexes of versions 1-2 were split on the place alone and read
#: every entry of the bbox, whatever its dates. It carries what the exact tests and the page
#: order read (``INCLUDE``), so that counting a query's matches, or sorting a few hundred of
#: them, reads no table row (an index-only scan); not partial, so that PostgreSQL keeps
#: statistics of its boxes. The B-tree in page order carries the bounds for the same reason:
#: a dense page walks it in date order, tests each entry's bounds, and stops after the page.
_CUBE_INDEX = (
    f"CREATE INDEX events_cube ON events USING gist (({CUBE.format(e='')}) "
    "gist_geometry_ops_nd) INCLUDE (min_lon, min_lat, max_lon, max_lat, date_start, date_end, "
    "deleted, event_id, rid)"
)
_ORDER_INDEX = (
    "CREATE INDEX events_live_order ON events (date_start, event_id) "
    "INCLUDE (min_lon, min_lat, max_lon, max_lat, rid) WHERE NOT deleted"
)
#: The date ranges' GiST index carries the page order too: the events that began before a
#: window and last into it (thousands at 1,000,000 events) are sorted without their rows.
_SPAN_INDEX = (
    "CREATE INDEX events_span ON events USING gist (span) "
    "INCLUDE (deleted, date_start, event_id, rid)"
)
_V3 = (
    "DROP INDEX events_place_span",
    "DROP INDEX events_place_start",
    "DROP INDEX events_live_order",
    "DROP INDEX events_span",
    _ORDER_INDEX,
    _CUBE_INDEX,
    _SPAN_INDEX,
)
_TABLES = (
    _TABLES.replace(
        "CREATE INDEX events_live_order ON events (date_start, event_id) WHERE NOT deleted;\n",
        _ORDER_INDEX + ";\n" + _CUBE_INDEX + ";\n",
    )
    .replace("CREATE INDEX events_span ON events USING gist (span);\n", _SPAN_INDEX + ";\n")
    .replace("CREATE INDEX events_place_span ON events USING gist (geom, span);\n", "")
    .replace("CREATE INDEX events_place_start ON events USING gist (geom, date_start);\n", "")
)

#: Version 4: the live events by type, in a small B-tree (7 MB at 1,000,000 events, its keys
#: deduplicated): counting every live event, or those of some types, is an index-only scan
#: of it, where it read the 73 MB B-tree in page order (which carries the bounds) since
#: version 3.
_LIVE_TYPE_INDEX = "CREATE INDEX events_live_type ON events (event_type) WHERE NOT deleted"
_TABLES += _LIVE_TYPE_INDEX + ";\n"

#: ``_STEPS[v]`` holds the statements that migrate schema ``v`` to ``v + 1``.
_STEPS: dict[int, tuple[str, ...]] = {1: (_FRONT_LINES,), 2: _V3, 3: (_LIVE_TYPE_INDEX,)}


def _lock_key(conn):
    """Return the advisory lock's key: a hash of this store's schema name."""
    return conn.execute(
        "SELECT hashtextextended('conflictmap-schema:' || current_schema(), 0)"
    ).fetchone()[0]


def _meta(conn):
    # An MVCC read of the catalog, not to_regclass: after waiting for the lock, the name
    # cache of this session may still hold "no such table" from before the other
    # process's commit.
    exists = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = 'meta')"
    ).fetchone()[0]
    if not exists:
        return None
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def ensure(conn, where):
    """Create the schema on first use, or migrate or check an existing one.

    ``conn`` is an autocommit connection; ``where`` names the store in messages.

    Raises
    ------
    StoreError
        When PostGIS is missing and cannot be created, when the schema holds other tables
        than a conflictmap store's, or when its version is newer than this code.
    """
    try:
        if conn.execute("SELECT current_schema()").fetchone()[0] is None:
            raise StoreError(
                f"store {where}: no schema of the search_path exists; create it first "
                "(CREATE SCHEMA ...) or fix the search_path"
            )
        meta = _meta(conn)
        if meta is not None and meta.get("schema_version") == str(SCHEMA_VERSION):
            _check(meta, where)
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(conn),))
            meta = _meta(conn)  # another process may have finished meanwhile
            if meta is None:
                _create(conn, where)
                return
            _check(meta, where)
            version = int(meta.get("schema_version", "0"))
            while version in _STEPS:
                for statement in _STEPS[version]:
                    conn.execute(statement)
                version += 1
                conn.execute(
                    "UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(version),)
                )
    except psycopg.Error as err:
        raise StoreError(f"cannot prepare store {where}: {err}") from err


#: Extensions the schema needs: PostGIS alone. (Schema versions 1-2 also used btree_gist,
#: for their (place, first day) GiST index; a store of those versions was created with it,
#: and migrating it drops that index. The extension is left in the database, which other
#: users may need.)
EXTENSIONS = ("postgis",)


def _create_extensions(conn, where):
    """Create the missing extensions (in PostGIS's schema when it is installed)."""
    for name in EXTENSIONS:
        installed = conn.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = %s",
            (name,),
        ).fetchone()
        if installed:
            continue
        home = conn.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'postgis'"
        ).fetchone()
        statement = f"CREATE EXTENSION IF NOT EXISTS {name}"
        if home:
            statement += f" SCHEMA {home[0]}"
        try:
            with conn.transaction():
                conn.execute(statement)
        except psycopg.Error as err:
            raise StoreError(
                f"store {where} needs the {name} extension and cannot create it ({err}); "
                f"ask the database's owner to run CREATE EXTENSION {name}"
            ) from err


def _create(conn, where):
    _create_extensions(conn, where)
    taken = conn.execute(
        "SELECT string_agg(tablename, ', ') FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename IN ('events', 'articles', 'deletions', 'tokens', 'event_sources')"
    ).fetchone()[0]
    if taken:
        raise StoreError(
            f"store {where}: the schema already holds tables named {taken} but is not a "
            "conflictmap store (no meta table); use an empty database or another schema"
        )
    for statement in _TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('format', %s), ('schema_version', %s)",
        (FORMAT_NAME, str(SCHEMA_VERSION)),
    )


def _check(meta, where):
    if meta.get("format") != FORMAT_NAME:
        raise StoreError(
            f"store {where} is not a conflictmap event store; its meta format is "
            f"{meta.get('format')!r}, expected {FORMAT_NAME!r}"
        )
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"store {where} has schema version {version}, newer than this conflictmap "
            f"understands ({SCHEMA_VERSION}); upgrade conflictmap"
        )
