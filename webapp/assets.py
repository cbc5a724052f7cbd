"""Serve folium's JS/CSS from the pip-installed XStatic packages, so that maps work offline."""

from __future__ import annotations

import base64
import importlib
import mimetypes
import re
from pathlib import Path

from folium.elements import JSCSSMixin

__all__ = [
    "CDN_TO_LOCAL",
    "DROPPED",
    "VENDOR_PACKAGES",
    "VENDOR_PREFIX",
    "OfflineAssetError",
    "external_refs",
    "inline_assets",
    "local_url",
    "patch_folium",
    "require_offline",
    "vendor_file",
]

#: URL prefix under which the ``maps`` blueprint serves the vendored files.
VENDOR_PREFIX = "/vendor"

#: URL name -> (xstatic module, version served); the files live in ``xstatic/pkg/<name>/data/``.
VENDOR_PACKAGES = {
    "leaflet": ("xstatic.pkg.leaflet", "1.9.3"),
    "leaflet_markercluster": ("xstatic.pkg.leaflet_markercluster", "1.4.1"),
    "jquery": ("xstatic.pkg.jquery", "3.7.1"),
    "font_awesome": ("xstatic.pkg.font_awesome", "6.2.1"),
}

#: folium 0.20's CDN URLs -> ``<package>/<path inside its data directory>``.
CDN_TO_LOCAL = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": "jquery/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "font_awesome/css/all.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet_markercluster/leaflet.markercluster.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "leaflet_markercluster/MarkerCluster.css"
    ),
    (
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/"
        "MarkerCluster.Default.css"
    ): "leaflet_markercluster/MarkerCluster.Default.css",
}

#: folium defaults no XStatic wheel ships and our pages do not use: removed from the page.
#: Bootstrap (its XStatic package is an sdist that no longer builds), awesome-markers and the
#: glyphicon/rotate CSS serve ``folium.Icon`` pins, which we never draw (see maps.py). jQuery
#: and Font Awesome are served (mapped above) but the map page itself needs neither.
DROPPED = frozenset(
    {
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
        "leaflet.awesome-markers.js",
        "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
        "leaflet.awesome-markers.css",
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
        "leaflet.awesome.rotate.min.css",
        # the Map class loads these two although nothing on our page uses them
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
    }
)

_EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed|input)\b[^>]*?\ssrc\s*=\s*["']?"""
    r"""\s*(?:https?:)?//[^"'\s>]+"""
    r"""|<link\b[^>]*?\shref\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]+"""
    r"""|url\(\s*["']?(?:https?:)?//[^)"']+"""
    r"""|@import\s+(?:url\()?["']?(?:https?:)?//[^"')]+""",
    re.IGNORECASE,
)


class OfflineAssetError(RuntimeError):
    """Raised when a page would load an asset from the network (a CDN URL left unmapped)."""


def local_url(relative):
    """Return the URL path the app serves a vendored file at.

    Parameters
    ----------
    relative : str
        ``<package>/<path>`` as in ``CDN_TO_LOCAL``'s values.

    Examples
    --------
    >>> local_url("leaflet/leaflet.js")
    '/vendor/leaflet@1.9.3/leaflet.js'
    """
    package, _, path = relative.partition("/")
    if package not in VENDOR_PACKAGES:
        raise OfflineAssetError(
            f"vendored asset {relative!r} names an unknown package {package!r}; "
            f"expected one of {sorted(VENDOR_PACKAGES)}"
        )
    return f"{VENDOR_PREFIX}/{package}@{VENDOR_PACKAGES[package][1]}/{path}"


def vendor_file(package, path):
    """Return the file for ``<package>/<path>`` inside its XStatic package, or None.

    Parameters
    ----------
    package : str
        A key of ``VENDOR_PACKAGES``, optionally followed by ``@<version>``.
    path : str
        The path inside the package's data directory; ``..`` cannot leave it.
    """
    name, _, version = package.partition("@")
    entry = VENDOR_PACKAGES.get(name)
    if entry is None or (version and version != entry[1]):
        return None
    module = importlib.import_module(entry[0])
    base = Path(module.BASE_DIR).resolve()
    target = (base / path).resolve()
    if base not in target.parents or not target.is_file():
        return None
    return target


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


_PATCHED: list[str] | None = None


def patch_folium():
    """Point every folium class's default JS/CSS at the app's vendored copies (once).

    Each class that defines ``default_js``/``default_css`` gets a new list (the class lists
    are never mutated in place): mapped URLs become local, ``DROPPED`` ones are removed, and
    the rest stay as they are and are returned, so that ``require_offline`` rejects a page
    that uses such a plugin.

    Returns
    -------
    list of str
        The CDN URLs left unmapped (plugins this app cannot use offline).
    """
    global _PATCHED
    if _PATCHED is not None:
        return list(_PATCHED)
    import folium.plugins  # noqa: F401 - register every plugin class before walking them

    missing = set()

    def remap(pairs):
        out = []
        for name, url in pairs:
            if url in DROPPED:
                continue
            if url in CDN_TO_LOCAL:
                out.append((name, local_url(CDN_TO_LOCAL[url])))
            else:
                if not url.startswith(VENDOR_PREFIX + "/"):
                    missing.add(url)
                out.append((name, url))
        return out

    for cls in [JSCSSMixin, *_subclasses(JSCSSMixin)]:
        for attr in ("default_js", "default_css"):
            if attr in cls.__dict__:
                setattr(cls, attr, remap(cls.__dict__[attr]))
    _PATCHED = sorted(missing)
    return list(_PATCHED)


def external_refs(html):
    """Return the assets ``html`` would load from the network (src, stylesheet, url(), @import).

    Plain hyperlinks (``<a href>``) are not loads and are not reported.

    Examples
    --------
    >>> external_refs('<script src="https://cdn.example/x.js"></script><a href="https://x.org">')
    ['<script src="https://cdn.example/x.js']
    """
    return _EXTERNAL.findall(html)


def require_offline(html, *, what="page"):
    """Return ``html`` unchanged, or raise if it loads anything from the network.

    Raises
    ------
    OfflineAssetError
        Naming each external reference, so an unmapped CDN URL fails loudly.
    """
    refs = external_refs(html)
    if refs:
        raise OfflineAssetError(
            f"the {what} must load every asset locally, but it references {refs!r}; "
            "map these URLs in webapp.assets.CDN_TO_LOCAL or stop using the plugin"
        )
    return html


def _data_uri(path):
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path):
    css = path.read_text(encoding="utf-8")

    def repl(match):
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            return match.group(0)
        return f"url({match.group(1)}{_data_uri(target)}{match.group(1)})"

    return re.sub(r"""url\((["']?)([^)"']+)\1\)""", repl, css)


def _script_text(text):
    # a literal "</script" inside inlined JS would end the element early
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def inline_assets(html, resolve):
    """Replace every local ``<script src>``/stylesheet link in ``html`` by the file's content.

    Parameters
    ----------
    html : str
        A rendered page whose asset URLs are local paths.
    resolve : callable
        ``resolve(url) -> Path | None``: the file behind a local URL.

    Raises
    ------
    OfflineAssetError
        When a referenced asset cannot be resolved to a file.
    """

    def path_for(url):
        path = resolve(url)
        if path is None:
            raise OfflineAssetError(f"cannot inline asset {url!r}: no local file serves it")
        return path

    def script(match):
        path = path_for(match.group(2))
        return f"<script{match.group(1)}>{_script_text(path.read_text(encoding='utf-8'))}</script>"

    def style(match):
        css = _inline_css(path_for(match.group(1)))
        return "<style>" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE) + "</style>"

    html = re.sub(r'<script([^>]*?)\s+src="([^"]+)"\s*>\s*</script>', script, html)
    return re.sub(r'<link rel="stylesheet" href="([^"]+)"\s*/?>', style, html)
