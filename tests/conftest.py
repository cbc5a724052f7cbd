"""Shared fixtures: an empty ``store`` on each backend, the ``app`` on it, ``client``, ``runner``.

``store`` is parametrised by ``store_backend``: the store, API and export tests (modules in
``BOTH_BACKENDS``, or tests marked ``both_stores``) run once on SQLite and once on PostGIS;
other tests use SQLite. The PostGIS cases use the server named by
``CONFLICTMAP_TEST_POSTGRES`` (a ``postgresql://`` URL whose database has PostGIS or may
create it), or else a throwaway cluster this session starts (``tests/pg_cluster.py``). A
developer without PostgreSQL gets those cases skipped with the reason; under CI
(``CI=true``) or ``CONFLICTMAP_REQUIRE_POSTGIS=1`` they fail instead.
"""

import os
import shutil
import tempfile
import uuid

import pytest
from click.testing import CliRunner

from geo.store.sqlite.store import SQLiteStore
from webapp import create_app

#: Test modules whose store-using tests run on both backends.
BOTH_BACKENDS = frozenset(
    {
        "test_api",
        "test_api_app",
        "test_api_exports",
        "test_api_writes",
        "test_cli_export",
        "test_ingest_dask",
        "test_merge_lookup",
        "test_store",
        "test_store_concurrency",
        "test_store_copy",
        "test_store_fast",
    }
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "both_stores: run this test's store on SQLite and on PostGIS"
    )
    config.addinivalue_line("markers", "sqlite_only: this test is about the SQLite file itself")


def pytest_generate_tests(metafunc):
    if "store_backend" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rpartition(".")[2]
    both = (
        module in BOTH_BACKENDS or metafunc.definition.get_closest_marker("both_stores")
    ) and not metafunc.definition.get_closest_marker("sqlite_only")
    metafunc.parametrize("store_backend", ["sqlite", "postgis"] if both else ["sqlite"])


def _require_postgis():
    return os.environ.get("CI", "").lower() == "true" or bool(
        os.environ.get("CONFLICTMAP_REQUIRE_POSTGIS")
    )


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL database with PostGIS for the tests (skips when none)."""
    url = os.environ.get("CONFLICTMAP_TEST_POSTGRES")
    if url:
        yield url
        return
    from pg_cluster import PostgresUnavailable, start, stop

    folder = tempfile.mkdtemp(prefix="conflictmap-pg-")
    try:
        try:
            url = start(folder)
        except PostgresUnavailable as err:
            message = f"PostGIS store tests need PostgreSQL with PostGIS: {err}"
            if _require_postgis():
                pytest.fail(message)
            pytest.skip(message)
        yield url
    finally:
        stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _admin(url):
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def pg_url(pg_server):
    """A store URL in a fresh schema of the test database (dropped after the test)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with _admin(pg_server) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    joiner = "&" if "?" in pg_server else "?"
    yield f"{pg_server}{joiner}options=-csearch_path%3D{name},public"
    with _admin(pg_server) as conn:
        conn.execute("SET lock_timeout = '5s'")
        try:
            conn.execute(f"DROP SCHEMA {name} CASCADE")
        except Exception:  # noqa: BLE001 - a connection still open; the cluster is thrown away
            pass


@pytest.fixture
def store_backend():
    """The store backend of this test ("sqlite" unless parametrised by the hook above)."""
    return "sqlite"


@pytest.fixture
def store(store_backend, tmp_path, request):
    """An empty store in a temporary SQLite file, or in a fresh PostGIS schema."""
    if store_backend == "postgis":
        from geo.store.postgis import PostGISStore

        s = PostGISStore(request.getfixturevalue("pg_url"))
    else:
        s = SQLiteStore(tmp_path / "events.sqlite")
    yield s
    s.close()


@pytest.fixture
def app(store):
    """The web app on ``store`` (testing mode); ``app.config["STORE"] is store``."""
    app = create_app({"TESTING": True, "STORE": store})
    yield app
    from webapp.store import close_store

    close_store(app)


@pytest.fixture
def client(app):
    """A Flask test client of ``app``."""
    return app.test_client()


class _Runner(CliRunner):
    """A click runner whose ``invoke(args)`` runs ``conflictmap --store <store> args``."""

    def __init__(self, store):
        super().__init__()
        self.store = store

    def invoke(self, args=None, *more, **kwargs):
        from webapp.cli import main

        if args is not None and not isinstance(args, list | tuple | str):
            return super().invoke(args, *more, **kwargs)
        args = args.split() if isinstance(args, str) else list(args or [])
        return super().invoke(main, ["--store", self.store.url, *args], *more, **kwargs)


@pytest.fixture
def runner(store):
    """Run ``conflictmap`` commands on ``store``: ``runner.invoke(["token", "list"])``."""
    return _Runner(store)
