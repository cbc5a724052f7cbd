"""Villages from the GeoNames postal-code files of Ukraine and Russia, checked and deduplicated.

The city tables list places from 500 people up; most front-line villages are smaller. The
postal files name about 20,000 Ukrainian and 30,000 Russian localities with a point each, of
uneven quality (see ``gazetteer/README.md``, "Villages from the postal files"):

* Ukraine (``geonames/postal-codes-UA.txt.gz``): an accuracy code per row; 4 = the point of
  a GeoNames feature of that name (sometimes a *wrong* same-name feature), 3 = less precise,
  1 = estimated. Admin codes 12 and 13 are swapped against GeoNames' (12 is Kyiv Oblast
  here, Kyiv City in GeoNames). Raions are the 490 raions before the 2020 reform.
* Russia (``extra/geonames-postal-RU.csv.gz``): no accuracy column; the raion is named.

A point is kept only when it lies inside the Natural Earth polygon of its own oblast *and*
within reach of the other points of its raion (the raion's median point). Other rows keep
their name at the raion's median point, with ``admin2`` precision. A locality that a city
table already holds (same name, close by) gives that place its Cyrillic name instead of a
new row.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass

from shapely import points as shapely_points
from shapely.geometry import shape
from shapely.ops import unary_union
from shapely.prepared import prep

from gazetteer.romanise import romanise, russian_style
from geo.gazetteer.normalize import fold, skeleton
from geo.gazetteer.place import POSTAL_ID_RANGE

__all__ = ["POSTAL_ID_START", "PostalRow", "add_postal_places", "assign_admin2"]

#: New places get ids from here (``geo.gazetteer.place.POSTAL_ID_RANGE``).
POSTAL_ID_START = POSTAL_ID_RANGE.start
_ID_SPAN = len(POSTAL_ID_RANGE) - 1
#: GeoNames admin1 codes of the UA postal file that differ from the city tables'.
_UA_ADMIN1 = {"12": "13", "13": "12"}
#: A point farther than this from its raion's median point (km), and farther than
#: ``_SPREAD`` times the raion's median distance, is not trusted.
_RAION_REACH_KM = 35.0
_SPREAD = 3.0
#: Postal rows of one name and raion closer than this (km) are one place.
_SAME_PLACE_KM = 3.0
#: A city-table place of the same name this close (km) is the same place; a spelling with
#: the same consonants only this close.
_DEDUP_KM = 25.0
_DEDUP_SKELETON_KM = 8.0
#: Rows of a post office inside a city, not a locality ("Барнаул Мсц-1", "Почтамт").
_SERVICE = re.compile(r"\d|почтамт|мсц|уфпс|гцмпп|дти|\bуч\.|\bтары\b|\bопс\b|цопп", re.I)


@dataclass
class PostalRow:
    """One locality of a postal file (several postcodes of one place are merged later)."""

    cc: str
    admin1: str
    raion: str
    name: str
    lang: str
    lat: float
    lon: float
    accuracy: str  # "4", "3", "1" (UA), "" (RU, none given)


def _km(lat1, lon1, lat2, lon2):
    return math.hypot(lat1 - lat2, (lon1 - lon2) * math.cos(math.radians(lat1))) * 111.2


_PARENTHESIS = re.compile(r"\s*\([^)]*\)?")  # "Георгіївка (Максимільянівська сільська Рада)"
_NUMBERING = re.compile(r"(?<=\D)\s*-?\s*\d+$")  # "Улянівка -2", "Діброва1"
_HOMOGLYPHS = str.maketrans("aceiopxyAEIOPCX", "асеіорхуАЕІОРСХ")  # Latin in Cyrillic words


def _clean_ua(name):
    """Return a UA postal name without its council note, numbering and Latin look-alikes."""
    name = _NUMBERING.sub("", _PARENTHESIS.sub("", name)).strip()
    if re.search("[а-яіїєґ]", name.lower()):
        name = name.translate(_HOMOGLYPHS)
    return name


def _read_ua(src):
    path = src / "geonames" / "postal-codes-UA.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            name = _clean_ua(c[2]) if len(c) >= 12 else ""
            if not name or not c[9] or not c[10]:
                continue
            a1 = _UA_ADMIN1.get(c[4], c[4])
            yield PostalRow("UA", a1, c[5].strip(), name, "uk", float(c[9]),
                            float(c[10]), c[11].strip() or "4")  # fmt: skip


def _read_ru(src):
    path = src / "extra" / "geonames-postal-RU.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            name = re.sub(r"\s+\d+$", "", rec["place"].strip())
            # City post offices carry no raion: their city is in the city tables.
            if not name or not rec["province"] or _SERVICE.search(name):
                continue
            if not rec["latitude"] or not rec["longitude"]:
                continue
            yield PostalRow("RU", rec["state_code"], rec["province"].strip(), name, "ru",
                            float(rec["latitude"]), float(rec["longitude"]), "")  # fmt: skip


def _admin1_polygons(src, countries):
    """Return ``{(cc, admin1): prepared polygon}`` (Natural Earth, joined by geonameid)."""
    codes = {}
    with open(src / "geonames" / "admin1CodesASCII.txt", encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 4 and c[3].isdigit() and c[0][:2] in countries:
                codes[int(c[3])] = tuple(c[0].split(".", 1))
    with gzip.open(src / "natural-earth" / "ne_10m_admin_1_states_provinces.geojson.gz") as fh:
        features = json.load(fh)["features"]
    parts = defaultdict(list)
    for feat in features:
        gn_id = feat["properties"].get("gn_id")
        if gn_id and int(gn_id) in codes and feat.get("geometry"):
            parts[codes[int(gn_id)]].append(shape(feat["geometry"]))
    return {key: prep(unary_union(geoms)) for key, geoms in parts.items()}


def _median(values):
    values = sorted(values)
    return values[len(values) // 2]


class _Grid:
    """Places of the city tables on a 0.1-degree grid, for "same name close by" checks."""

    def __init__(self, places, countries):
        self.cells = defaultdict(list)
        for row in places.values():
            if row["country_code"] in countries and row["feature_class"] == "P":
                self.cells[(round(row["lat"], 1), round(row["lon"], 1))].append(row)

    def near(self, lat, lon, km):
        steps = int(km / 11) + 1
        out = []
        for dlat in range(-steps, steps + 1):
            for dlon in range(-2 * steps, 2 * steps + 1):
                cell = (round(lat + dlat / 10, 1), round(lon + dlon / 10, 1))
                for row in self.cells.get(cell, ()):
                    d = _km(lat, lon, row["lat"], row["lon"])
                    if d <= km:
                        out.append((d, row))
        return sorted(out, key=lambda item: item[0])


def _name_keys(names):
    keys, skels = set(), set()
    for name in names:
        key = fold(name)
        if key:
            keys.add(key)
            skels.add(skeleton(key))
    return keys, skels


def _same_name(locality_keys, row, km):
    """Return True when a city-table row carries one of the locality's names ``km`` away."""
    keys, skels = locality_keys
    if "_keys" not in row:
        row["_keys"] = _name_keys([row["name"], *row["alt"]])
    theirs, their_skels = row["_keys"]
    return bool(keys & theirs) or (km <= _DEDUP_SKELETON_KM and bool(skels & their_skels))


def _raion_centres(rows, polygons):
    """Return ``{(cc, admin1, raion): (lat, lon, reach km)}`` from the raion's trusted rows."""
    groups, estimated = defaultdict(list), defaultdict(list)
    for row in rows:
        if (row.cc, row.admin1) in polygons:
            trusted = row.accuracy in ("4", "")
            (groups if trusted else estimated)[(row.cc, row.admin1, row.raion)].append(row)
    # A raion with no point matched to a GeoNames feature: its estimated points instead.
    for key, members in estimated.items():
        if len(groups.get(key, ())) < 3:
            groups[key] = groups.get(key, []) + members
    centres = {}
    for key, members in groups.items():
        pts = shapely_points([r.lon for r in members], [r.lat for r in members])
        poly = polygons[(key[0], key[1])]
        inside = [r for r, p in zip(members, pts, strict=True) if poly.contains(p)]
        if len(inside) < 3:
            continue
        lat = _median([r.lat for r in inside])
        lon = _median([r.lon for r in inside])
        spread = _median([_km(lat, lon, r.lat, r.lon) for r in inside])
        centres[key] = (lat, lon, max(_RAION_REACH_KM, _SPREAD * spread))
    return centres


def _localities(rows):
    """Merge the postcodes of one place: same name and raion, points within 3 km."""
    groups = defaultdict(list)
    for row in rows:
        groups[(row.cc, row.admin1, row.raion, row.name)].append(row)
    out = []
    for members in groups.values():
        clusters = []
        best_first = sorted(members, key=lambda r: -int(r.accuracy or 4))
        for row in best_first:
            for cluster in clusters:
                if _km(row.lat, row.lon, cluster[0].lat, cluster[0].lon) <= _SAME_PLACE_KM:
                    cluster.append(row)
                    break
            else:
                clusters.append([row])
        out += [cluster[0] for cluster in clusters]  # the most accurate row of each
    return out


def _new_id(taken, *parts):
    value = POSTAL_ID_START + zlib.crc32("|".join(parts).encode("utf-8")) % _ID_SPAN
    while value in taken:
        value = POSTAL_ID_START + (value - POSTAL_ID_START + 1) % _ID_SPAN
    taken.add(value)
    return value


def _names_of(row):
    """Return the main name and the alternate names of a postal locality."""
    latin = romanise(row.name, row.lang)
    alt = [row.name]
    if row.lang == "uk":
        ru = russian_style(latin)
        if ru:
            alt.append(ru)
    return latin, alt


def add_postal_places(src, places, log=print):
    """Add the postal files' villages to ``places`` (a dict by geonameid, changed in place).

    Returns
    -------
    dict
        Counts of what was kept, merged and dropped, by country and precision.
    """
    polygons = _admin1_polygons(src, {"UA", "RU"})
    rows = [*_read_ua(src), *_read_ru(src)]
    centres = _raion_centres(rows, polygons)
    grid = _Grid(places, {"UA", "RU"})
    stats = defaultdict(int)
    taken = set(places)
    localities = _localities(rows)
    localities.sort(key=lambda r: (r.cc, r.admin1, r.raion, r.name, r.lat, r.lon))
    inside_flags = {}
    for (cc, a1), poly in polygons.items():
        chosen = [r for r in localities if (r.cc, r.admin1) == (cc, a1)]
        pts = shapely_points([r.lon for r in chosen], [r.lat for r in chosen])
        for row, pt in zip(chosen, pts, strict=True):
            inside_flags[id(row)] = poly.contains(pt)
    for row in localities:
        centre = centres.get((row.cc, row.admin1, row.raion))
        inside = inside_flags.get(id(row), False)
        near_raion = centre is not None and _km(row.lat, row.lon, centre[0], centre[1]) <= centre[2]
        if inside and near_raion and row.accuracy in ("4", ""):
            lat, lon, precision = row.lat, row.lon, "exact"
        elif inside and near_raion and row.accuracy == "3":
            lat, lon, precision = row.lat, row.lon, "near"
        elif centre is not None:
            # An estimated point, or a wrong same-name match: the name is real, the raion
            # known, the point not: the raion's median point, at admin2 precision.
            lat, lon, precision = centre[0], centre[1], "admin2"
        else:
            stats[f"{row.cc} dropped (no raion point)"] += 1
            continue
        latin, alt = _names_of(row)
        keys = _name_keys([latin, *alt])
        reach = _DEDUP_KM if precision != "admin2" else max(_DEDUP_KM, centre[2])
        match = next(
            (p for d, p in grid.near(lat, lon, reach)
             if p["admin1_code"] == row.admin1 and _same_name(keys, p, d)),
            None,
        )  # fmt: skip
        if match is not None:
            known = {fold(n) for n in (match["name"], *match["alt"])}
            for name in alt:
                if fold(name) not in known:
                    match["alt"].append(name)
            if not match.get("postal_raion"):
                match["postal_raion"] = row.raion
            stats[f"{row.cc} merged into a city-table place"] += 1
            continue
        gid = _new_id(taken, row.cc, row.admin1, row.raion, row.name, f"{lat:.2f}", f"{lon:.2f}")
        places[gid] = {
            "geonameid": gid, "name": latin, "ascii": "", "alt": alt, "lat": lat, "lon": lon,
            "feature_class": "P", "feature_code": "PPL", "country_code": row.cc,
            "admin1_code": row.admin1, "admin2_code": "", "population": 0,
            "source": f"geonames-postal-{row.cc.lower()}", "precision": precision,
            "postal_raion": row.raion,
        }  # fmt: skip
        stats[f"{row.cc} new, {precision}"] += 1
    for row in places.values():
        row.pop("_keys", None)
    for key in sorted(stats):
        log(f"postal: {key}: {stats[key]}")
    return dict(stats)


def _raion_key(name):
    """Return the skeleton of a raion's name without its area word ("СУДЖАНСКИЙ РАЙОН")."""
    words = [w for w in fold(name).split() if w not in ("raion", "rayon", "district", "volost")]
    return skeleton(" ".join(words)) if words else ""


def assign_admin2(src, places, log=print):
    """Give UA, RU and BY places without an admin2 code one.

    A Russian postal raion name gives the GeoNames admin2 code of that name in the oblast.
    Otherwise the code is the one most of the eight nearest places of the same oblast that
    have a code carry (Ukraine's postal raions are those before 2020; GeoNames has the new
    ones).
    """
    by_name = {}
    with gzip.open(src / "geonames" / "admin2Codes.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            parts = c[0].split(".")
            if len(parts) == 3 and parts[0] in ("UA", "RU", "BY"):
                by_name.setdefault((parts[0], parts[1], _raion_key(c[1])), parts[2])
                by_name.setdefault((parts[0], parts[1], _raion_key(c[2])), parts[2])
    named = voted = 0
    for row in places.values():
        raion = row.get("postal_raion")
        if row["country_code"] == "RU" and raion and not row["admin2_code"]:
            code = by_name.get(("RU", row["admin1_code"], _raion_key(raion)))
            if code:
                row["admin2_code"] = code
                named += 1
    coded = defaultdict(list)
    for row in places.values():
        if row["country_code"] in ("UA", "RU", "BY") and row["admin2_code"]:
            coded[(row["country_code"], row["admin1_code"])].append(row)
    cells = defaultdict(list)
    for key, members in coded.items():
        for row in members:
            cells[(key, math.floor(row["lat"] * 2), math.floor(row["lon"] * 2))].append(row)
    for row in places.values():
        if row["country_code"] not in ("UA", "RU", "BY") or row["admin2_code"]:
            continue
        if row["feature_class"] != "P":
            continue
        key = (row["country_code"], row["admin1_code"])
        near = []
        for ring in range(0, 4):
            for dy in range(-ring, ring + 1):
                for dx in range(-ring, ring + 1):
                    if max(abs(dy), abs(dx)) != ring:
                        continue
                    cell = (key, math.floor(row["lat"] * 2) + dy, math.floor(row["lon"] * 2) + dx)
                    near += cells.get(cell, ())
            if len(near) >= 8:
                break
        if not near:
            continue
        near.sort(key=lambda p: _km(row["lat"], row["lon"], p["lat"], p["lon"]))
        votes = defaultdict(float)
        for rank, other in enumerate(near[:8]):
            votes[other["admin2_code"]] += 1.0 / (1 + rank)
        row["admin2_code"] = max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0]
        voted += 1
    log(f"admin2: {named} codes from Russian raion names, {voted} from the nearest places")
