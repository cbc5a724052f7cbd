"""Shared fixtures: a temporary SQLite ``store``, the ``app`` on it, ``client`` and ``runner``."""

import pytest
from click.testing import CliRunner

from geo.store.sqlite.store import SQLiteStore
from webapp import create_app


@pytest.fixture
def store(tmp_path):
    """An empty embedded store in a temporary file (closed after the test)."""
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
