"""Where the project's bundled files are: the demo articles, curated events, gazetteer data.

Every path the library derives from its own location is defined here, once.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CURATED_FILE", "DEMO_ARTICLES", "GAZETTEER_DATA", "PROJECT_ROOT", "USER_GAZETTEER"]

#: The checkout (or install prefix) holding ``geo/``, ``data/`` and ``gazetteer/``.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The bundled demo articles ingested when no path is given.
DEMO_ARTICLES = PROJECT_ROOT / "data" / "articles"
#: The analysts' curated events file.
CURATED_FILE = PROJECT_ROOT / "data" / "curated" / "events.yaml"
#: The committed gazetteer files written by ``python -m gazetteer.build``.
GAZETTEER_DATA = PROJECT_ROOT / "gazetteer" / "data"
#: The default folder of the analyst's own gazetteer files.
USER_GAZETTEER = PROJECT_ROOT / "data" / "gazetteer"
#: The embedded store's default file.
DEFAULT_STORE_FILE = PROJECT_ROOT / "data" / "conflictmap.sqlite"
