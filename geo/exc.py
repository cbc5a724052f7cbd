"""Exceptions raised by conflictmap's library; each also subclasses the builtin it resembles."""

__all__ = [
    "ArticleError",
    "AuthError",
    "ConflictError",
    "ExportError",
    "GazetteerError",
    "GeoError",
    "NotFoundError",
    "QueryTimeoutError",
    "StoreError",
    "UserGazetteerError",
    "ValidationError",
]


class GeoError(Exception):
    """Root of every error raised on purpose by ``geo``."""


class ValidationError(GeoError, ValueError):
    """Raised when a value (an event field, a query parameter, a coordinate) is malformed.

    ``field`` names the offending field when there is one, so that the CLI and the API can
    point at it.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


class GazetteerError(GeoError, RuntimeError):
    """Raised when the gazetteer data or its runtime index cannot be read or built."""


class UserGazetteerError(GazetteerError, ValueError):
    """Raised when an analyst's own gazetteer file is malformed (names the file and line)."""


class ArticleError(GeoError, ValueError):
    """Raised when an article file cannot be ingested (unreadable, empty, binary, too big...)."""


class StoreError(GeoError, RuntimeError):
    """Raised when the event store cannot be opened, or a write to it fails."""


class ConflictError(StoreError):
    """Raised when the database aborted a transaction because a concurrent one conflicted.

    Nothing of the transaction is stored; running it again (``EventStore.atomic`` does)
    behaves as if the two had run one after the other.
    """


class ExportError(GeoError, RuntimeError):
    """Raised when an export file cannot be written (GDAL refused a layer, say)."""


class QueryTimeoutError(StoreError, TimeoutError):
    """Raised when a store query runs past its deadline (``EventQuery.timeout``) and is stopped.

    ``retry_after`` suggests how many seconds to wait before trying again.
    """

    def __init__(self, message, *, retry_after=1):
        super().__init__(message)
        self.retry_after = retry_after


class NotFoundError(GeoError, LookupError):
    """Raised when an event, article or token asked for by id does not exist."""


class AuthError(GeoError, PermissionError):
    """Raised when a write is attempted without a valid token."""
