"""Stage 4: where events live: the ``EventStore`` interface, ``open_store(url)`` and backends.

Owns: ``EventQuery`` and ``EventStore`` (``base``) and the embedded SQLite backend
(``sqlite``). May import ``geo.events``, ``geo.common`` and ``geo.exc``.
"""

from geo.store.base import EventQuery, EventStore, open_store

__all__ = ["EventQuery", "EventStore", "open_store"]
