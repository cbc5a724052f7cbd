"""One JSON error shape for every failure: ``{"ok": false, "status", "error", "field"}``."""

from __future__ import annotations

import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

from geo.exc import AuthError, NotFoundError, QueryTimeoutError, StoreError, ValidationError

__all__ = ["ApiError", "error_body", "error_response", "init_app"]

_log = logging.getLogger(__name__)


class ApiError(Exception):
    """An HTTP error answered with the JSON error shape.

    Parameters
    ----------
    status : int
        The HTTP status code (400, 401, 404, ...).
    message : str
        A sentence naming the input, what was expected and what was received.
    field : str, optional
        The request parameter or body field at fault.
    headers : dict, optional
        Extra response headers (e.g. ``WWW-Authenticate``).

    Examples
    --------
    >>> err = ApiError(400, "limit must be an integer >= 1; got '-1'", field="limit")
    >>> error_body(err.status, err.message, err.field)["field"]
    'limit'
    """

    def __init__(self, status, message, field=None, *, headers=None):
        super().__init__(message)
        self.status = int(status)
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


def error_body(status, message, field=None):
    """Return the JSON error body as a dict.

    Examples
    --------
    >>> error_body(404, "no event with id 'x'")
    {'ok': False, 'status': 404, 'error': "no event with id 'x'", 'field': None}
    """
    return {"ok": False, "status": int(status), "error": str(message), "field": field}


def error_response(status, message, field=None, headers=None):
    """Return a Flask JSON response carrying the error shape and ``status``."""
    resp = jsonify(error_body(status, message, field))
    resp.status_code = int(status)
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _sentence(text):
    text = " ".join(str(text).split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _http_error(err: HTTPException):
    status = err.code or 500
    if status == 413:
        message = "The request body is larger than the limit this server accepts"
        limit = _max_length()
        if limit:
            message += f" ({limit} bytes)"
        return error_response(413, _sentence(message), "body")
    if status == 405:
        allowed = ", ".join(err.valid_methods or ())
        return error_response(
            405,
            f"The method is not allowed on this URL; allowed: {allowed}.",
            None,
            {"Allow": allowed} if allowed else None,
        )
    if status == 404:
        return error_response(404, "No resource at this URL; see /openapi for the API.")
    headers = dict(err.get_headers() or [])
    headers.pop("Content-Type", None)
    return error_response(status, _sentence(err.description or err.name), None, headers)


def _max_length():
    from flask import current_app

    return current_app.config.get("MAX_CONTENT_LENGTH")


def _api_error(err: ApiError):
    return error_response(err.status, err.message, err.field, err.headers)


def _validation_error(err: ValidationError):
    return error_response(400, str(err), getattr(err, "field", None))


def _not_found(err: NotFoundError):
    return error_response(404, str(err))


def _auth_error(err: AuthError):
    return error_response(401, str(err), "Authorization", {"WWW-Authenticate": "Bearer"})


def _store_error(err: StoreError):
    _log.error("store error: %s", err)
    return error_response(503, f"The event store is not available: {err}")


def _timeout(err: QueryTimeoutError):
    _log.warning("query stopped at its deadline: %s", err)
    return error_response(
        503,
        "The query was stopped at its time limit; narrow it (a smaller bbox or date window, "
        "fewer words or actors) or try again later.",
        None,
        {"Retry-After": str(int(getattr(err, "retry_after", 1) or 1))},
    )


def _unexpected(err: Exception):
    _log.exception("unhandled error while answering a request")
    return error_response(500, "An internal error occurred; it has been logged.")


def init_app(app):
    """Answer every error of ``app`` (HTTP, validation, lookups, crashes) in the JSON shape."""
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(NotFoundError, _not_found)
    app.register_error_handler(AuthError, _auth_error)
    app.register_error_handler(QueryTimeoutError, _timeout)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(Exception, _unexpected)
