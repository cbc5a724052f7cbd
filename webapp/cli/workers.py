"""``conflictmap serve --workers N``: the app in N processes under gunicorn (POSIX).

Each worker process builds its own app and opens its own store connections after the fork;
the database orders their writes, so only a store with the ``"concurrent_writers"``
capability (PostgreSQL/PostGIS) is served this way. An SQLite store keeps one process (one
writer) and waitress's threads.
"""

from __future__ import annotations

import os

import click

__all__ = ["check_workers", "serve_workers"]


def check_workers(store, workers):
    """Raise ``click.UsageError`` unless ``store`` may be served by ``workers`` processes."""
    if workers > 1 and "concurrent_writers" not in store.capabilities:
        raise click.UsageError(
            f"--workers {workers} needs a store that several processes may write at once "
            f"(postgresql://…); {store!r} is served by one process (one writer): "
            "drop --workers, or copy the store to PostgreSQL with 'conflictmap store copy'"
        )
    if workers > 1 and os.name != "posix":
        raise click.UsageError(
            f"--workers {workers} runs gunicorn, which needs a POSIX system; on this system "
            "run several 'conflictmap serve' processes behind a load balancer instead"
        )


def serve_workers(store_url, *, host, port, workers, threads, settings=None):
    """Serve the app from ``workers`` gunicorn processes of ``threads`` threads each.

    Blocks until gunicorn stops (Ctrl+C or SIGTERM). ``settings`` are passed to
    ``create_app`` in each worker, with ``STORE`` set to ``store_url``.
    """
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        def load_config(self):
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            for key, value in {
                "bind": bind, "workers": workers, "threads": threads,
                "worker_class": "gthread", "proc_name": "conflictmap",
                "accesslog": None, "graceful_timeout": 10, "timeout": 60,
            }.items():  # fmt: skip
                self.cfg.set(key, value)

        def load(self):  # in each worker, after the fork: its own store connections
            from webapp import create_app, limits

            limits.share_the_interpreter()
            return create_app({**(settings or {}), "STORE": store_url})

    _App().run()
