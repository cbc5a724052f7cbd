"""Place labels and name suggestions for maps, from the gazetteer's populated places."""

from __future__ import annotations

import bisect
import math
import threading

import numpy as np

from geo.gazetteer.normalize import fold
from geo.gazetteer.place import COUNTRY_CODES

__all__ = ["LABEL_ZOOMS", "PlaceLabels"]

#: Smallest population labelled at each zoom level (capitals are labelled from zoom 3 on);
#: beyond the last level every populated place may be labelled, villages included.
LABEL_ZOOMS = {3: 2_000_000, 4: 1_000_000, 5: 400_000, 6: 150_000, 7: 40_000, 8: 8_000,
               9: 1_000, 10: 0}  # fmt: skip
#: Feature codes of capitals (national, then first-level seats).
_CAPITAL, _SEAT = ("PPLC",), ("PPLA",)


def _min_population(zoom):
    if zoom >= max(LABEL_ZOOMS):
        return 0
    return LABEL_ZOOMS.get(zoom, LABEL_ZOOMS[min(LABEL_ZOOMS)] if zoom < 3 else 0)


class PlaceLabels:
    """Populated places ranked for labelling, and prefix suggestions of place names.

    Built once from a :class:`~geo.gazetteer.lookup.Gazetteer` (about 0.1 s for its
    285,000 populated places; the suggestion index, built on the first :meth:`suggest`,
    takes longer). Ranks: 0 a national capital, 1 a city of a million or a first-level seat
    of 100,000, 2 a city of 100,000, 3 a town of 10,000, 4 a smaller town, 5 a village.

    Parameters
    ----------
    gazetteer : Gazetteer
        The gazetteer (its user places are left out: they have no population).
    """

    def __init__(self, gazetteer):
        self._gaz = gazetteer
        fclass, fcode = gazetteer._fclass, gazetteer._fcode
        rows = np.array([i for i in range(len(gazetteer)) if fclass[i] == "P"], dtype=np.int64)
        pop = np.array([gazetteer._pop[i] for i in rows], dtype=np.int64)
        codes = [fcode[i] for i in rows]
        capital = np.array([c in _CAPITAL for c in codes])
        seat = np.array([c in _SEAT for c in codes])
        rank = np.full(len(rows), 5, dtype=np.int8)
        rank[pop >= 1_000] = 4
        rank[pop >= 10_000] = 3
        rank[pop >= 100_000] = 2
        rank[(pop >= 1_000_000) | (seat & (pop >= 100_000))] = 1
        rank[capital] = 0
        # the order labels are placed in: rank first, then population (larger first)
        order = np.lexsort((-pop, rank))
        self._rows = rows[order]
        self._pop = pop[order]
        self._rank = rank[order]
        self._lat = np.array([gazetteer._lat[i] for i in self._rows])
        self._lon = np.array([gazetteer._lon[i] for i in self._rows])
        # a capital counts as a city of two million for the zoom thresholds
        self._label_pop = np.where(self._rank == 0, np.maximum(self._pop, 2_000_000), self._pop)
        self._suggest = None
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._rows)

    def _row(self, k):
        idx = int(self._rows[k])
        gaz = self._gaz
        return {
            "id": int(gaz._gid[idx]),
            "name": gaz._name[idx],
            "lat": round(float(self._lat[k]), 5),
            "lon": round(float(self._lon[k]), 5),
            "rank": int(self._rank[k]),
            "population": int(self._pop[k]),
        }

    def in_view(self, bbox, zoom, *, limit=200):
        """Return the places worth labelling in ``bbox`` at ``zoom``, most important first.

        Parameters
        ----------
        bbox : tuple of float
            ``(min_lon, min_lat, max_lon, max_lat)``; ``min_lon > max_lon`` crosses the
            antimeridian.
        zoom : int
            The map's zoom level: the smaller, the larger a place must be (``LABEL_ZOOMS``).
        limit : int, default 200
            Most places returned (the client drops those whose label would collide).

        Returns
        -------
        list of dict
            ``{id, name, lat, lon, rank, population}``.

        Examples
        --------
        >>> from geo.gazetteer import Gazetteer
        >>> labels = PlaceLabels(Gazetteer.default())
        >>> [p["name"] for p in labels.in_view((30, 50, 31, 51), 5)]
        ['Kyiv']
        """
        w, s, e, n = bbox
        lon_ok = (self._lon >= w) & (self._lon <= e) if w <= e else (
            (self._lon >= w) | (self._lon <= e))  # fmt: skip
        mask = lon_ok & (self._lat >= s) & (self._lat <= n)
        mask &= self._label_pop >= _min_population(int(zoom))
        hits = np.flatnonzero(mask)[: int(limit)]
        return [self._row(k) for k in hits]

    def in_bounds(self, bbox, *, min_population=1_000, limit=5_000):
        """Return the places in ``bbox`` from ``min_population`` on (a static map's labels)."""
        w, s, e, n = bbox
        mask = (self._lon >= w) & (self._lon <= e) & (self._lat >= s) & (self._lat <= n)
        mask &= (self._label_pop >= min_population) | (self._rank <= 1)
        return [self._row(k) for k in np.flatnonzero(mask)[: int(limit)]]

    def _suggestions(self):
        with self._lock:
            if self._suggest is None:
                gaz = self._gaz
                keys = []
                for k in range(len(self._rows)):
                    if self._rank[k] <= 4:  # villages are found by the geocoder, not typed
                        keys.append((fold(gaz._name[int(self._rows[k])]), k, "P"))
                areas = {"ADM1"} | set(COUNTRY_CODES)
                for idx in range(len(gaz)):
                    if gaz._fcode[idx] in areas:
                        keys.append((fold(gaz._name[idx]), idx, "A"))
                keys.sort()
                self._suggest = ([k[0] for k in keys], keys)
            return self._suggest

    def suggest(self, text, *, limit=8, near=None):
        """Return up to ``limit`` places whose name starts with ``text``, the likeliest first.

        Ranked by size (population; countries, first-level areas and capitals weigh more)
        and, when ``near`` (``(lat, lon)``, the map's centre) is given, by closeness.

        Examples
        --------
        >>> from geo.gazetteer import Gazetteer
        >>> [p["name"] for p in PlaceLabels(Gazetteer.default()).suggest("sudz")][:1]
        ['Sudzha']
        """
        prefix = fold(text or "")
        if len(prefix) < 2:
            return []
        folded, keys = self._suggestions()
        lo = bisect.bisect_left(folded, prefix)
        hi = bisect.bisect_left(folded, prefix + "\uffff", lo)
        gaz, found = self._gaz, []
        for _key, i, kind in keys[lo : min(hi, lo + 5_000)]:
            if kind == "P":
                row = self._row(i)
                boost = 1.0 if row["rank"] == 0 else 0.0
            else:
                place = gaz._place(i)
                row = {
                    "id": place.geonameid,
                    "name": place.name,
                    "lat": place.lat,
                    "lon": place.lon,
                    "rank": 0,
                    "population": place.population or 0,
                }
                boost = 3.0 if gaz._fcode[i] in COUNTRY_CODES else 1.5
            score = math.log10(row["population"] + 10) + boost
            if near is not None:
                cos = math.cos(math.radians(near[0]))
                km = math.hypot(row["lat"] - near[0], (row["lon"] - near[1]) * cos) * 111.2
                score -= km / 400
            row["feature_code"] = gaz._fcode[int(self._rows[i]) if kind == "P" else i]
            row["country_code"] = gaz._cc[int(self._rows[i]) if kind == "P" else i]
            found.append((-score, row["name"], row))
        found.sort(key=lambda t: (t[0], t[1]))
        seen, out = set(), []
        for _w, _name, row in found:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            out.append(row)
            if len(out) >= limit:
                break
        return out
