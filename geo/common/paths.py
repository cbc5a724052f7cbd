"""Where the project's files are: what it ships (demo articles, curated file, codebook,
gazetteer data) and the user's own data (the default store, the analyst's places).

Every path the library derives from its own location is defined here, once.

* In a checkout (an editable install, or the source tree on ``sys.path``: ``pyproject.toml``
  and ``data/articles`` beside ``geo/``) everything lives in the checkout, as it always has:
  ``data/`` holds the shipped files and the embedded store ``data/conflictmap.sqlite``.
* In an installed wheel the shipped files are the wheel's data files, installed under
  ``<prefix>/share/conflictmap`` (``SHARED``); the gazetteer data is package data of
  ``gazetteer``. The user's data (``USER_DATA``) is the user data folder:
  ``$CONFLICTMAP_DATA`` when set, else ``platformdirs.user_data_dir("conflictmap")``
  (``$XDG_DATA_HOME/conflictmap``, by default ``~/.local/share/conflictmap``, on Linux).
  An analyst's curated file goes there too (``curated/events.yaml``); until there is one,
  the shipped one (empty) is used.
"""

from __future__ import annotations

import importlib.metadata
import os
import sysconfig
from pathlib import Path

__all__ = [
    "CHECKOUT",
    "CODEBOOK",
    "CURATED_FILE",
    "DATA_ENV",
    "DEFAULT_STORE_FILE",
    "DEMO_ARTICLES",
    "GAZETTEER_DATA",
    "PROJECT_ROOT",
    "SHARED",
    "USER_DATA",
    "USER_GAZETTEER",
]

#: The folder holding ``geo/``, ``webapp/`` and ``gazetteer/``: the checkout, or site-packages.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Whether this is a checkout (see the module docstring) rather than an installed wheel.
CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (
    PROJECT_ROOT / "data" / "articles"
).is_dir()
#: Environment variable naming the user data folder of an installed conflictmap.
DATA_ENV = "CONFLICTMAP_DATA"


def _installed_share() -> Path:
    """Return ``<prefix>/share/conflictmap`` of the installed distribution."""
    try:
        dist = importlib.metadata.distribution("conflictmap")
    except importlib.metadata.PackageNotFoundError:
        dist = None
    for file in (dist.files or ()) if dist else ():
        if file.name == "CODEBOOK.md" and file.parent.name == "conflictmap":
            return Path(dist.locate_file(file)).resolve().parent
    return Path(sysconfig.get_path("data")) / "share" / "conflictmap"


def _user_data() -> Path:
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("conflictmap", appauthor=False))


#: The shipped files: ``data/`` of the checkout, or ``<prefix>/share/conflictmap``.
SHARED = PROJECT_ROOT / "data" if CHECKOUT else _installed_share()
#: The user's own data: ``data/`` of the checkout, or the user data folder.
USER_DATA = PROJECT_ROOT / "data" if CHECKOUT else _user_data()
#: The bundled demo articles ingested when no path is given.
DEMO_ARTICLES = SHARED / "articles"
#: The codebook: event fields, codes and export layouts.
CODEBOOK = SHARED / "CODEBOOK.md"
#: The analysts' curated events file (an installed copy prefers the user's own).
CURATED_FILE = (
    USER_DATA / "curated" / "events.yaml"
    if not CHECKOUT and (USER_DATA / "curated" / "events.yaml").is_file()
    else SHARED / "curated" / "events.yaml"
)
#: The committed gazetteer files written by ``python -m gazetteer.build`` (package data).
GAZETTEER_DATA = PROJECT_ROOT / "gazetteer" / "data"
#: The default folder of the analyst's own gazetteer files.
USER_GAZETTEER = USER_DATA / "gazetteer"
#: The embedded store's default file.
DEFAULT_STORE_FILE = USER_DATA / "conflictmap.sqlite"
