"""Token authentication of writes: ``Authorization: Bearer <token>`` checked by the store."""

from __future__ import annotations

import functools

from flask import g, request

from webapp.errors import ApiError
from webapp.store import get_store

__all__ = ["bearer_token", "require_token"]

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="conflictmap"'}


def bearer_token(header):
    """Return the token of an ``Authorization: Bearer <token>`` header value, or None.

    Examples
    --------
    >>> bearer_token("Bearer abc.def")
    'abc.def'
    >>> bearer_token("Basic dXNlcg==") is None
    True
    """
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_token(view):
    """Refuse the request with a 401 JSON error unless it carries a valid API token.

    The token's name (who wrote) is put in ``g.token_name``. Tokens are created with
    ``conflictmap token create NAME``; the store keeps only their hashes and compares in
    constant time.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization")
        token = bearer_token(header)
        if token is None:
            message = (
                "This request writes data and needs an API token: send the header "
                "'Authorization: Bearer <token>' (create one with 'conflictmap token create NAME')"
            )
            if header:
                message += f"; got an Authorization header of another form ({header[:12]!r}…)"
            raise ApiError(401, message + ".", "Authorization", headers=_CHALLENGE)
        name = get_store().verify_token(token)
        if name is None:
            raise ApiError(
                401,
                "The API token in the Authorization header is not valid (unknown or revoked).",
                "Authorization",
                headers={**_CHALLENGE, "WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        g.token_name = name
        return view(*args, **kwargs)

    return wrapper
