"""Security headers: a per-request CSP nonce, nosniff, referrer policy and the frame policy."""

from __future__ import annotations

import functools
import secrets

from flask import current_app, g, request

__all__ = ["allow_framing", "content_security_policy", "init_app"]


def allow_framing(view):
    """Mark a view as embeddable in other sites' pages (no DENY frame policy on it).

    The same effect as listing the endpoint in the ``FRAMEABLE_ENDPOINTS`` setting.

    Examples
    --------
    >>> @allow_framing
    ... def embed():
    ...     return "map"
    >>> embed.allow_framing
    True
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.allow_framing = True
    return wrapper


def content_security_policy(nonce, *, frame_ancestors="'none'", img_src=()):
    """Return the CSP header value for a page whose scripts and styles carry ``nonce``.

    Parameters
    ----------
    nonce : str
        The request's nonce (``g.csp_nonce``).
    frame_ancestors : str or None, default "'none'"
        Who may frame the response; None leaves framing unrestricted.
    img_src : sequence of str, default ()
        Extra image sources (online tile servers when configured).

    Examples
    --------
    >>> "script-src 'self' 'nonce-abc'" in content_security_policy("abc")
    True
    """
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "style-src-attr 'unsafe-inline'",
        "img-src " + " ".join(["'self'", "data:", "blob:", *img_src]),
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if frame_ancestors:
        directives.append(f"frame-ancestors {frame_ancestors}")
    return "; ".join(directives)


def _frameable():
    endpoint = request.endpoint
    if endpoint is None:
        return False
    if endpoint in current_app.config.get("FRAMEABLE_ENDPOINTS", ()):
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "allow_framing", False))


def _set_nonce():
    g.csp_nonce = secrets.token_urlsafe(16)


def _add_headers(resp):
    cfg = current_app.config
    nonce = getattr(g, "csp_nonce", None) or secrets.token_urlsafe(16)
    frameable = _frameable()
    ancestors = cfg.get("EMBED_FRAME_ANCESTORS") if frameable else "'none'"
    headers = resp.headers
    headers.setdefault(
        "Content-Security-Policy",
        content_security_policy(
            nonce, frame_ancestors=ancestors, img_src=tuple(cfg.get("CSP_IMG_SRC", ()))
        ),
    )
    if not frameable:
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    origin = cfg.get("CORS_ALLOW_ORIGIN")
    if origin and request.method in ("GET", "HEAD") and resp.status_code < 400:
        if resp.mimetype != "text/html":
            headers.setdefault("Access-Control-Allow-Origin", origin)
    return resp


def init_app(app):
    """Give every request of ``app`` a CSP nonce and every response the security headers."""
    app.before_request(_set_nonce)
    app.after_request(_add_headers)
