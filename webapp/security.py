"""Security headers (a per-request CSP nonce, nosniff, referrer and frame policies) and links
built from the configured public URL, never from the request's Host header."""

from __future__ import annotations

import functools
import secrets
from urllib.parse import urlsplit

from flask import current_app, g, request

__all__ = ["PublicURL", "allow_framing", "check_public_url", "content_security_policy", "init_app"]


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


def check_public_url(url):
    """Return ``url`` without a trailing slash if it is an absolute http(s) base URL.

    Raises
    ------
    ValueError
        For anything else (a relative path, another scheme, a query or fragment).

    Examples
    --------
    >>> check_public_url("https://maps.example.org/conflictmap/")
    'https://maps.example.org/conflictmap'
    """
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            "the public URL must be an absolute http or https URL like "
            f"'https://maps.example.org/conflictmap'; got {url!r}"
        )
    return str(url).rstrip("/")


class PublicURL:
    """WSGI middleware: the request's scheme, host and prefix come from the configuration.

    Links the app builds (``url_for(_external=True)``, ``request.host_url``: the landing page,
    ``Location``, oEmbed) then use ``PUBLIC_URL``, or, when it is not set, the address the
    server listens on (``SERVER_NAME``/``SERVER_PORT``). A client's ``Host`` (or
    ``X-Forwarded-Host``) header never reaches a link.
    """

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        public = self.app.config.get("PUBLIC_URL")
        if public:
            parts = urlsplit(check_public_url(public))
            environ["wsgi.url_scheme"] = parts.scheme
            environ["HTTP_HOST"] = parts.netloc
            environ["SCRIPT_NAME"] = parts.path + environ.get("SCRIPT_NAME", "")
        else:
            name = environ.get("SERVER_NAME") or "localhost"
            port = environ.get("SERVER_PORT") or ""
            default = "443" if environ.get("wsgi.url_scheme") == "https" else "80"
            if ":" in name and not name.startswith("["):
                name = f"[{name}]"
            environ["HTTP_HOST"] = name if port in ("", default) else f"{name}:{port}"
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        return self.wsgi_app(environ, start_response)


def init_app(app):
    """Give every request of ``app`` a CSP nonce, every response the security headers, and
    every link the public URL (:class:`PublicURL`)."""
    if app.config.get("PUBLIC_URL"):
        check_public_url(app.config["PUBLIC_URL"])
    app.before_request(_set_nonce)
    app.after_request(_add_headers)
    app.wsgi_app = PublicURL(app, app.wsgi_app)
