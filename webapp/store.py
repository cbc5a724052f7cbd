"""The app's event store: ``get_store()`` opens the configured ``EventStore`` once per app."""

from __future__ import annotations

import threading

from flask import current_app

from geo.store.base import EventStore, open_store

__all__ = ["close_store", "get_store", "init_app", "store_for"]

_KEY = "conflictmap.store"
_lock = threading.Lock()


def store_for(app) -> EventStore:
    """Return ``app``'s store, opening it on first use from the ``STORE`` setting.

    ``STORE`` may be an ``EventStore`` object (used as is, not closed by the app), a path or a
    store URL; None means ``$CONFLICTMAP_STORE`` or the embedded default.
    """
    ext = app.extensions
    store = ext.get(_KEY)
    if store is None:
        with _lock:
            store = ext.get(_KEY)
            if store is None:
                target = app.config.get("STORE")
                if isinstance(target, EventStore):
                    store, owned = target, False
                else:
                    store, owned = open_store(target), True
                ext[_KEY + ".owned"] = owned
                ext[_KEY] = store
    return store


def get_store() -> EventStore:
    """Return the current app's event store (in a request or an app context)."""
    return store_for(current_app._get_current_object())


def close_store(app):
    """Close ``app``'s store when the app opened it (not when it was handed one)."""
    store = app.extensions.pop(_KEY, None)
    if store is not None and app.extensions.pop(_KEY + ".owned", False):
        store.close()


def init_app(app):
    """Prepare ``app`` to open its store lazily, on the first request that needs it."""
    app.extensions.setdefault(_KEY, None)
    app.extensions.setdefault(_KEY + ".owned", False)
