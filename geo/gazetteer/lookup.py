"""Gazetteer: the offline place index built from ``gazetteer/data`` and the analyst's places."""

from __future__ import annotations

import gzip
import json
import math
import threading
import zlib
from array import array
from pathlib import Path

from geo.common.attribution import ATTRIBUTION
from geo.common.paths import GAZETTEER_DATA
from geo.exc import GazetteerError
from geo.gazetteer.index import (
    CACHE_ENV,
    INDEX_VERSION,
    LATIN_ALT,
    MAIN,
    NATIVE_ALT,
    SEP,
    Categorical,
    cache_dir,
    folder_signature,
    load_index,
    names_entries,
    unpack,
    unpack_array,
)
from geo.gazetteer.normalize import fold
from geo.gazetteer.place import (
    COUNTRY_CODES,
    POSTAL_ID_RANGE,
    REGION_ID_RANGE,
    USER_ID_RANGE,
    Place,
    precision_of,
)
from geo.gazetteer.user import read_user_places, user_gazetteer_dir

__all__ = [
    "ATTRIBUTION",
    "CACHE_ENV",
    "DATA_DIR",
    "INDEX_VERSION",
    "LATIN_ALT",
    "MAIN",
    "NATIVE_ALT",
    "REGION_ID_RANGE",
    "USER_ID_RANGE",
    "Gazetteer",
    "Place",
    "cache_dir",
]

#: Folder of the committed gazetteer files written by ``python -m gazetteer.build``.
DATA_DIR = GAZETTEER_DATA


def _frozen(coords):
    """Return nested coordinate lists as nested tuples (shared, so they must not change)."""
    if coords and isinstance(coords[0], (int, float)):
        return tuple(coords)
    return tuple(_frozen(part) for part in coords)


class Gazetteer:
    """The offline gazetteer: lookups by folded name, by id, by admin code and by point.

    Parameters
    ----------
    data_dir : path-like, optional
        Folder of the built files (default: ``gazetteer/data`` of the package).
    user_dir : path-like or False, optional
        The analyst's own places (default: ``$CONFLICTMAP_USER_GAZETTEER`` or
        ``data/gazetteer``); ``False`` leaves them out.
    cache : path-like, optional
        Folder of the runtime index (default: :func:`cache_dir`).

    Attributes
    ----------
    version : str
        Data version from ``manifest.json`` (e.g. "2025.11-1").
    user_errors : list of UserGazetteerError
        Problems found in the analyst's files; their other rows are still used.
    """

    _default = None
    _default_signature = None
    _lock = threading.Lock()

    def __init__(self, data_dir=None, *, user_dir=None, cache=None):
        self.data_dir = Path(data_dir) if data_dir else DATA_DIR
        try:
            self.manifest = json.loads((self.data_dir / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise GazetteerError(f"Cannot read {self.data_dir / 'manifest.json'}: {err}") from err
        self.version = self.manifest.get("version", "unknown")
        index = load_index(self.data_dir, cache or cache_dir())
        cols = index["columns"]
        self._name = cols["name"].split(SEP)
        cats = {name: Categorical(*packed) for name, packed in index["categories"].items()}
        self._fclass, self._fcode, self._cc = cats["fclass"], cats["fcode"], cats["cc"]
        self._a1, self._a2, self._source = cats["a1"], cats["a2"], cats["source"]
        self._prec = cats["prec"]
        self._gid, self._pop, self._lat, self._lon = (
            unpack_array(code, index[name])
            for code, name in (("q", "gid"), ("q", "pop"), ("d", "lat"), ("d", "lon"))
        )
        self._keys, self._overflow = unpack(*index["keys"])
        self._skel, self._skel_overflow = unpack(*index["skel"])
        self._area = index["area"]
        self._shapes, self._shape_blob = index["shapes"], index["blob"]
        self._geometries = {}  # parsed on first use
        self.max_name_tokens = index["max_tokens"]
        self._user_keys = {}
        self._user_skel = {}
        self._by_id = None
        self._places = {}
        self._admin = None
        self._capitals = None
        self._areas = None
        self._tree = None
        self._grid = None
        self.user_dir = None if user_dir is False else Path(user_dir or user_gazetteer_dir())
        self.user_errors = []
        if self.user_dir is not None:
            places, self.user_errors = read_user_places(self.user_dir)
            for place in places:
                self._add_user_place(place)

    @classmethod
    def default(cls):
        """Return the process-wide gazetteer (user places included).

        It is built on the first call and rebuilt when the analyst's folder
        (``$CONFLICTMAP_USER_GAZETTEER``) or its files change.
        """
        folder = user_gazetteer_dir()
        signature = (str(folder), folder_signature(folder))
        with cls._lock:
            if cls._default is None or cls._default_signature != signature:
                cls._default = cls(user_dir=folder)
                cls._default_signature = signature
            return cls._default

    @classmethod
    def reset_default(cls):
        """Forget the process-wide gazetteer (after the analyst's files changed)."""
        with cls._lock:
            cls._default = None

    # -- records ----------------------------------------------------------------------------

    def __len__(self):
        return len(self._gid)

    def _place(self, idx):
        place = self._places.get(idx)
        if place is None:
            # The categorical columns read directly (values[codes[idx]]): a first pass
            # builds a place for each row it ranks.
            cc = self._cc.values[self._cc.codes[idx]]
            a1 = self._a1.values[self._a1.codes[idx]]
            fclass = self._fclass.values[self._fclass.codes[idx]]
            fcode = self._fcode.values[self._fcode.codes[idx]]
            a2 = self._a2.values[self._a2.codes[idx]]
            source = self._source.values[self._source.codes[idx]]
            prec = self._prec.values[self._prec.codes[idx]]
            a1 = a1 or None
            a1_idx = self._admin_maps()[0].get((cc, a1)) if a1 else None
            place = Place(
                self._gid[idx],
                self._name[idx],
                self._lat[idx],
                self._lon[idx],
                fclass,
                fcode,
                cc,
                a1,
                self._name[a1_idx] if a1_idx is not None else None,
                a2 or None,
                self._pop[idx],
                prec or precision_of(fclass, fcode),
                source,
            )
            self._places[idx] = place
        return place

    def _admin_maps(self):
        if self._admin is None:
            admin1, country = {}, {}
            fcode = self._fcode
            # in row order, a later row of a key wins
            for idx in self._rows_coded({"ADM1", *COUNTRY_CODES}):
                code = fcode[idx]
                if code == "ADM1":
                    admin1[(self._cc[idx], self._a1[idx])] = idx
                elif code in COUNTRY_CODES:
                    country[self._cc[idx]] = idx
            self._admin = (admin1, country)
        return self._admin

    def _rows_coded(self, feature_codes):
        """Return the rows whose feature code is one of ``feature_codes``, in row order,
        found by searching the codes' bytes for each code's (a C loop, not one over 318,000
        rows)."""
        codes, rows = self._fcode.codes, []
        raw, size = codes.tobytes(), codes.itemsize
        for value, code in self._fcode.lookup.items():
            if value in feature_codes:
                pattern = array(codes.typecode, [code]).tobytes()
                at = raw.find(pattern)
                while at >= 0:
                    if at % size == 0:
                        rows.append(at // size)
                        at = raw.find(pattern, at + size)
                    else:  # the bytes of two neighbouring codes
                        at = raw.find(pattern, at + 1)
        return sorted(rows)

    def _admin1_row(self, cc, a1):
        return self._admin_maps()[0].get((cc, a1)) if a1 else None

    def _index_of(self, geonameid):
        if self._by_id is None:
            self._by_id = {gid: i for i, gid in enumerate(self._gid)}
        return self._by_id.get(geonameid)

    def _add_user_place(self, place):
        idx = len(self._gid)
        self._gid.append(place.geonameid)
        self._pop.append(place.population)
        self._lat.append(place.lat)
        self._lon.append(place.lon)
        for column, value in (
            (self._name, place.name), (self._fclass, place.feature_class),
            (self._fcode, place.feature_code), (self._cc, place.country_code),
            (self._a1, place.admin1_code or ""), (self._a2, place.admin2_code or ""),
            (self._source, "user"), (self._prec, ""),
        ):  # fmt: skip
            column.append(value)
        if self._by_id is not None:
            self._by_id[place.geonameid] = idx
        self._admin = self._grid = None
        entries = names_entries(idx, place.name, place.alt_names, True, place.feature_code)
        for key, entry, sk in entries:
            self._user_keys.setdefault(key, []).append(entry)
            if sk is not None:
                self._user_skel.setdefault(sk, []).append(key)

    def _expand(self, value, overflow):
        if value >= 0:
            return (value,)
        start = -value - 1
        return overflow[start + 1 : start + 1 + overflow[start]]

    def entries(self, key):
        """Return the ``(row index, match kind)`` entries of a folded key.

        The kind is :data:`MAIN`, :data:`NATIVE_ALT` or :data:`LATIN_ALT`.
        """
        value = self._keys.get(key)
        if value is None:
            out = []
        elif value >= 0:  # the name of one row (most names)
            out = [(value >> 2, value & 3)]
        else:
            out = [(e >> 2, e & 3) for e in self._expand(value, self._overflow)]
        if self._user_keys:
            out += [(e >> 2, e & 3) for e in self._user_keys.get(key, ())]
        return out

    def skeleton_keys(self, skel, *, min_population=-1):
        """Return the name keys of notable places (towns, areas) that have this skeleton.

        Buckets whose places all have ``min_population`` people or fewer are skipped.
        """
        start = self._skel.get(skel)
        out = []
        if start is not None and self._skel_overflow[start] > min_population:
            count = self._skel_overflow[start + 1]
            ids = self._skel_overflow[start + 2 : start + 2 + count]
            key_list = self._keys.keys
            out = [key_list[k] for k in ids]
        return out + self._user_skel.get(skel, []) if self._user_skel else out

    def row_rank_data(self, idx):
        """Return (population, feature_class, feature_code, area_km2) of a row, for ranking."""
        return (
            self._pop[idx],
            self._fclass.values[self._fclass.codes[idx]],
            self._fcode.values[self._fcode.codes[idx]],
            self._area.get(self._gid[idx], 0.0),
        )

    def precision_at(self, idx):
        """Return the precision of an index row's point ("exact", "admin2"...)."""
        prec = self._prec.values[self._prec.codes[idx]]
        return prec or precision_of(self._fclass[idx], self._fcode[idx])

    def name_at(self, idx):
        """Return the main name of an index row."""
        return self._name[idx]

    def place_at(self, idx):
        """Return the :class:`Place` of an index row."""
        return self._places.get(idx) or self._place(idx)

    def places_at(self, rows):
        """Return the :class:`Place` of each index row of ``rows``, as a list."""
        get, make = self._places.get, self._place
        return [get(idx) or make(idx) for idx in rows]

    # -- the interface in docs/ARCHITECTURE.md ----------------------------------------------

    def lookup(self, key):
        """Return every place one of whose names folds to ``key`` (exact match).

        Parameters
        ----------
        key : str
            A key made by :func:`geo.gazetteer.normalize.fold` (a raw name is folded first).

        Returns
        -------
        list of Place
            Main-name matches first, in the gazetteer's order; empty when none.
        """
        entries = self.entries(key) or self.entries(fold(key))
        seen, out = set(), []
        for idx, _kind in sorted(entries, key=lambda e: e[1]):
            if idx not in seen:
                seen.add(idx)
                out.append(self._place(idx))
        return out

    def has_key(self, key):
        """Return True when some place has a name folding to ``key`` (no folding done here)."""
        return key in self._keys or key in self._user_keys

    def known_keys(self, keys):
        """Return the set of those ``keys`` (folded) that some place has as a name."""
        found = self._keys.known(keys)
        if self._user_keys:
            found |= self._user_keys.keys() & set(keys)
        return found

    def get(self, geonameid):
        """Return the place with this id, or None."""
        idx = self._index_of(int(geonameid))
        return None if idx is None else self._place(idx)

    def admin1(self, country_code, admin1_code):
        """Return the first-level division ``country_code.admin1_code`` (GeoNames codes)."""
        idx = self._admin1_row(country_code, admin1_code)
        return None if idx is None else self._place(idx)

    def country(self, country_code):
        """Return the country with this ISO 3166-1 alpha-2 code, or None."""
        idx = self._admin_maps()[1].get((country_code or "").upper())
        return None if idx is None else self._place(idx)

    def capital(self, country_code):
        """Return the national capital of the country with this ISO code (the most populous
        of its ``PPLC`` places), or None."""
        if self._capitals is None:
            best = {}
            for idx in self._rows_coded({"PPLC"}):
                cc = self._cc[idx]
                if cc not in best or self._pop[idx] > self._pop[best[cc]]:
                    best[cc] = idx
            self._capitals = best
        idx = self._capitals.get((country_code or "").upper())
        return None if idx is None else self._place(idx)

    def _load_areas(self):
        if self._areas is None:
            try:
                with gzip.open(self.data_dir / "areas.geojson.gz", "rt", encoding="utf-8") as fh:
                    self._areas = {f["id"]: f for f in json.load(fh)["features"]}
            except (OSError, ValueError) as err:
                raise GazetteerError(f"Cannot read the area outlines: {err}") from err
        return self._areas

    def geometry(self, geonameid):
        """Return the GeoJSON geometry of an admin1 unit, country or region, else None.

        Coordinates are nested tuples ([lon, lat] pairs), shared between calls.
        """
        gid = int(geonameid)
        geom = self._geometries.get(gid)
        if geom is None:
            span = self._shapes.get(gid)
            if span is None:
                return None
            geom = json.loads(zlib.decompress(self._shape_blob[span[0] : span[1]]))
            geom["coordinates"] = _frozen(geom["coordinates"])
            self._geometries[gid] = geom
        return dict(geom)  # a new dict over coordinates nobody can change

    def outlines(self, level, *, country_codes=None):
        """Return a GeoJSON FeatureCollection of outlines for a basemap.

        Parameters
        ----------
        level : {"country", "admin1", "region"}
            Which outlines.
        country_codes : iterable of str, optional
            Keep only these countries (ISO alpha-2).

        Returns
        -------
        dict
            Features with ``geonameid``, ``name``, ``country_code`` (and ``admin1_code``).

        Raises
        ------
        ValueError
            When ``level`` is not one of the three.
        """
        if level not in ("country", "admin1", "region"):
            raise ValueError(f"level must be 'country', 'admin1' or 'region'; got {level!r}")
        wanted = {c.upper() for c in country_codes} if country_codes else None
        features = [
            f
            for f in self._load_areas().values()
            if f["properties"]["level"] == level
            and (wanted is None or f["properties"]["country_code"] in wanted)
        ]
        return {"type": "FeatureCollection", "features": features}

    def containing(self, lat, lon):
        """Return the areas (admin1 units, countries, regions) that contain a point.

        Smallest area first. Outlines are simplified to about a kilometre.
        """
        from shapely import STRtree, points
        from shapely.geometry import shape

        if self._tree is None:
            ids, geoms = [], []
            for gid, feat in self._load_areas().items():
                ids.append(gid)
                geoms.append(shape(feat["geometry"]))
            self._tree = (STRtree(geoms), ids, geoms)
        tree, ids, geoms = self._tree
        hits = tree.query(points(lon, lat), predicate="intersects")
        places = [self.get(ids[i]) for i in hits]
        places = [p for p in places if p is not None]
        return sorted(places, key=lambda p: self._area.get(p.geonameid, math.inf))

    def nearest(self, lat, lon, *, populated_only=True):
        """Return the nearest place to a point (populated places only by default).

        Returns
        -------
        tuple of (Place or None, float)
            The place and its distance in km (None and infinity when nothing is in reach).
        """
        if self._grid is None:
            grid = {}
            for idx in range(len(self._gid)):
                cell = (math.floor(self._lat[idx]), math.floor(self._lon[idx]))
                grid.setdefault(cell, []).append(idx)
            self._grid = grid
        cos = max(math.cos(math.radians(lat)), 0.01)
        best, best_d = None, math.inf
        for ring in range(0, 4):
            for dlat in range(-ring, ring + 1):
                for dlon in range(-ring, ring + 1):
                    if max(abs(dlat), abs(dlon)) != ring:
                        continue
                    cell = (math.floor(lat) + dlat, math.floor(lon) + dlon)
                    for idx in self._grid.get(cell, ()):
                        if populated_only and self._fclass[idx] != "P":
                            continue
                        d = math.hypot(self._lat[idx] - lat, (self._lon[idx] - lon) * cos) * 111.2
                        if d < best_d:
                            best, best_d = idx, d
            if best is not None and best_d < ring * 111.2 * cos:
                break
        return (None, math.inf) if best is None else (self._place(best), best_d)

    def info(self):
        """Return a JSON-ready summary: version, counts, sources, attribution, user places."""
        return {
            "version": self.version,
            "counts": self.manifest.get("counts", {}),
            "names": len(self._keys),
            "areas": self.manifest.get("areas"),
            "sources": self.manifest.get("sources", []),
            "attribution": ATTRIBUTION,
            "data_dir": str(self.data_dir),
            "user_dir": str(self.user_dir) if self.user_dir else None,
            "user_places": self._source.count("user"),
            "user_errors": [str(e) for e in self.user_errors],
            "region_ids": f"{REGION_ID_RANGE.start}-{REGION_ID_RANGE.stop - 1}",
            "user_ids": f"{USER_ID_RANGE.start}-{USER_ID_RANGE.stop - 1}",
            "postal_ids": f"{POSTAL_ID_RANGE.start}-{POSTAL_ID_RANGE.stop - 1}",
            "postal": self.manifest.get("postal", {}),
        }
