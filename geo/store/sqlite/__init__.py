"""The embedded event store: one SQLite file with an R*Tree, FTS5 and a deletion log.

``store`` holds ``SQLiteStore``; ``schema`` the tables, migrations and query compilation;
``rows`` events to rows and back; ``migrations`` the upgrades of older files.
"""

from geo.store.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
