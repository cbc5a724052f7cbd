"""The server event store: PostgreSQL with PostGIS (``postgresql://…`` store URLs).

``store`` holds ``PostGISStore``; ``schema`` the tables and versioned migrations; ``query``
the compilation of ``EventQuery`` filters; ``rows`` events to rows. Needs ``psycopg``
(``pip install 'conflictmap[postgis]'``).
"""

try:
    import psycopg  # noqa: F401
except ImportError as err:  # pragma: no cover - depends on the installed extras
    from geo.exc import StoreError

    raise StoreError(
        "a postgresql:// store needs psycopg; install conflictmap with the 'postgis' extra "
        "(pip install 'conflictmap[postgis]')"
    ) from err

from geo.store.postgis.store import PostGISStore

__all__ = ["PostGISStore"]
