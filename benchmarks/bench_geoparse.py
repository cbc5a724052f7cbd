"""Benchmark geoparsing: toponym detection, resolution accuracy and speed, before and after.

Run ``python benchmarks/bench_geoparse.py [--before REF] [--repeat N]``. It prints, for each
data set, one row per system:

* ``naive``: every capitalised gazetteer n-gram (:func:`geo.geoparse.toponyms.scan`)
  resolved to the most populous place of that name;
* ``before``: ``geoparse`` of the git revision ``REF`` (default ``main``), run from a
  ``git archive`` of it in a subprocess;
* ``after``: ``geoparse`` of this tree, given the spaCy parse (``doc=``).

Detection is precision, recall and F1 of the location mentions against the gold toponyms,
strict (same start and end) and overlapping (each gold span matched once). Resolution is
the share of all gold toponyms that were detected (overlap) and resolved within 25 km and
161 km, the same share among the detected ones ("of detected", the issue's figure), and
the median error. The error of an area (a country, a first-level unit, a region) is 0 when
the gold point lies inside its outline and otherwise the distance to the outline; the
"point" column measures to the place's point only.

Data: GeoVirus (Gritta et al. 2018), read from ``../shared/dev-data/geovirus_dev.jsonl.gz``
(never copied here): all of it, and its two halves (even and odd article index; the rules
were tuned looking at the even half and the project's own set, the odd half is held out);
and ``tests/data/toponyms_dev.jsonl``, 70 short news texts written for this project
(local US and UK news, international news, conflict news from Ukraine and Russia, Sudan,
Gaza, the Sahel and Myanmar) with every toponym and its coordinates from public knowledge,
including organisations and people named after places, metonymy and demonyms.

Speed is KB of text per second for ``geoparse(text)`` (which parses the text),
``geoparse(text, doc=doc)`` with the parse made beforehand, the parse alone, and the
``before`` revision; best of ``--repeat`` runs after a warm-up, with the load average.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geopy.distance import great_circle  # noqa: E402
from shapely import Point  # noqa: E402
from shapely.geometry import shape  # noqa: E402
from shapely.ops import nearest_points  # noqa: E402

from geo.common import nlp  # noqa: E402
from geo.gazetteer.lookup import Gazetteer  # noqa: E402
from geo.geoparse.resolve import geoparse, is_metonymic  # noqa: E402
from geo.geoparse.toponyms import scan  # noqa: E402

GEOVIRUS = ROOT.parent / "shared" / "dev-data" / "geovirus_dev.jsonl.gz"
DEVSET = ROOT / "tests" / "data" / "toponyms_dev.jsonl"

# Runs in a subprocess with the archived revision first on sys.path: prints one JSON list of
# predictions per document, then the seconds of the best timed pass.
_BEFORE_SCRIPT = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import geo
assert geo.__file__.startswith(sys.argv[1]), geo.__file__
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.resolve import geoparse
texts = json.load(open(sys.argv[2]))
gaz = Gazetteer(user_dir=False)
rows = []
for text in texts:
    rows.append([[m.start, m.end, m.place.geonameid, m.place.lat, m.place.lon]
                 for m in geoparse(text, gazetteer=gaz) if m.role == "location" and m.place])
best = float("inf")
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter()
    for text in texts:
        geoparse(text, gazetteer=gaz)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"rows": rows, "seconds": best}))
"""


def read_jsonl(path):
    """Return the JSON objects of a (gzipped) JSON-lines file."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def naive(text, gaz):
    """Return ``[(start, end, geonameid, lat, lon)]``: every gazetteer n-gram, most populous."""
    out = []
    for span in scan(text, gaz):
        if span.kind != "name":
            continue
        places = gaz.lookup(span.key)
        if places:
            p = max(places, key=lambda p: p.population)
            out.append((span.start, span.end, p.geonameid, p.lat, p.lon))
    return out


def after(text, gaz, doc):
    """Return this tree's predictions (and metonymy flags by span) for a text."""
    mentions = [m for m in geoparse(text, gazetteer=gaz, doc=doc) if m.role == "location"]
    rows = [(m.start, m.end, m.place.geonameid, m.place.lat, m.place.lon) for m in mentions]
    return rows, {(m.start, m.end): is_metonymic(text, m) for m in mentions}


def before(ref, texts, repeat):
    """Return (predictions per text, seconds of the best pass) of ``geoparse`` at ``ref``."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "src.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "geo",
                        "gazetteer"], check=True)  # fmt: skip
        src = Path(tmp) / "src"
        with tarfile.open(archive) as tar:
            tar.extractall(src, filter="data")
        (Path(tmp) / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", _BEFORE_SCRIPT, str(src), str(Path(tmp) / "texts.json"),
             str(repeat)],
            check=True, capture_output=True, text=True, cwd=tmp,
        )  # fmt: skip
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return [[tuple(r) for r in rows] for rows in out["rows"]], out["seconds"]


class Errors:
    """Distance from a gold point to a predicted place, areas measured to their outline."""

    def __init__(self, gaz):
        self.gaz = gaz
        self._shapes = {}

    def _shape(self, geonameid):
        if geonameid not in self._shapes:
            geom = self.gaz.geometry(geonameid)
            self._shapes[geonameid] = shape(geom) if geom else None
        return self._shapes[geonameid]

    def km(self, gold, pred, *, point_only=False):
        """Return the error in km of prediction ``pred`` for gold toponym ``gold``."""
        point = great_circle((gold["lat"], gold["lon"]), (pred[3], pred[4])).km
        outline = None if point_only else self._shape(pred[2])
        if outline is None:
            return point
        here = Point(gold["lon"], gold["lat"])
        if outline.contains(here):
            return 0.0
        near = nearest_points(outline, here)[0]
        return min(point, great_circle((gold["lat"], gold["lon"]), (near.y, near.x)).km)


def score(rows, preds, errors):
    """Return the figures of one system on one data set."""
    tp = n_pred = n_gold = 0
    o_pred = o_gold = 0
    found, found_point = [], []
    for row, pred in zip(rows, preds, strict=True):
        gold = row["toponyms"]
        n_gold += len(gold)
        n_pred += len(pred)
        spans = {(p[0], p[1]) for p in pred}
        tp += sum((g["start"], g["end"]) in spans for g in gold)
        o_pred += sum(any(g["start"] < p[1] and p[0] < g["end"] for g in gold) for p in pred)
        used = set()
        for g in gold:
            hit = next(
                (i for i, p in enumerate(pred)
                 if i not in used and g["start"] < p[1] and p[0] < g["end"]),
                None,
            )  # fmt: skip
            if hit is None:
                continue
            used.add(hit)
            found.append(errors.km(g, pred[hit]))
            found_point.append(errors.km(g, pred[hit], point_only=True))
    o_gold = len(found)

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    p, r = tp / max(1, n_pred), tp / max(1, n_gold)
    op, orr = o_pred / max(1, n_pred), o_gold / max(1, n_gold)
    within = {d: sum(e <= d for e in found) for d in (25, 161)}
    return {
        "gold": n_gold, "P": p, "R": r, "F1": f1(p, r), "oP": op, "oR": orr, "oF1": f1(op, orr),
        "25": within[25] / max(1, n_gold), "161": within[161] / max(1, n_gold),
        "det161": within[161] / max(1, len(found)),
        "det161pt": sum(e <= 161 for e in found_point) / max(1, len(found)),
        "median": statistics.median(found) if found else float("nan"),
    }  # fmt: skip


def _table(title, results):
    print(f"\n{title}")
    head = (
        f"{'system':8} {'P':>6} {'R':>6} {'F1':>6} | {'oP':>6} {'oR':>6} {'oF1':>6} | "
        f"{'<=25km':>7} {'<=161km':>7} | {'of det.':>7} {'point':>6} {'med km':>7}"
    )
    print(head)
    print("-" * len(head))
    for name, s in results:
        print(
            f"{name:8} {s['P']:6.1%} {s['R']:6.1%} {s['F1']:6.1%} | {s['oP']:6.1%} "
            f"{s['oR']:6.1%} {s['oF1']:6.1%} | {s['25']:7.1%} {s['161']:7.1%} | "
            f"{s['det161']:7.1%} {s['det161pt']:6.1%} {s['median']:7.1f}"
        )


def _metonymy(rows, flags):
    """Return (right, total) of the metonymy answers on the gold toponyms detected."""
    right = total = 0
    for row, flag in zip(rows, flags, strict=True):
        for g in row["toponyms"]:
            key = (g["start"], g["end"])
            if key in flag:
                total += 1
                right += flag[key] == bool(g.get("metonymic"))
    return right, total


def main(argv=None):
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best is kept)")
    parser.add_argument("--geovirus", default=str(GEOVIRUS), help="GeoVirus JSON lines")
    parser.add_argument("--dev", default=str(DEVSET), help="the project's toponym dev set")
    args = parser.parse_args(argv)

    gaz = Gazetteer(user_dir=False)
    errors = Errors(gaz)
    sets = []
    if os.path.exists(args.geovirus):
        gv = read_jsonl(args.geovirus)
        sets += [("GeoVirus (Gritta et al. 2018), all", gv),
                 ("GeoVirus, even half (looked at while tuning)", gv[0::2]),
                 ("GeoVirus, odd half (held out)", gv[1::2])]  # fmt: skip
    else:
        print(f"GeoVirus not found at {args.geovirus}; skipped")
    dev = read_jsonl(args.dev)
    sets += [
        ("toponyms_dev (this project)", dev),
        ("toponyms_dev: local US and UK news", [r for r in dev if r["kind"].startswith("local")]),
        ("toponyms_dev: international news", [r for r in dev if r["kind"] == "intl"]),
        ("toponyms_dev: conflict news", [r for r in dev if r["kind"].startswith("conflict")]),
    ]

    texts = list(dict.fromkeys(r["text"] for _n, rows in sets for r in rows))
    index = {t: i for i, t in enumerate(texts)}
    load = os.getloadavg()
    docs = list(nlp.parse_many(texts))
    before_rows, before_s = before(args.before, texts, args.repeat)
    naive_rows = [naive(t, gaz) for t in texts]
    after_rows, flags = zip(*(after(t, gaz, d) for t, d in zip(texts, docs, strict=True)),
                            strict=True)  # fmt: skip
    for title, rows in sets:
        ids = [index[r["text"]] for r in rows]
        _table(title, [(name, score(rows, [preds[i] for i in ids], errors))
                       for name, preds in (("naive", naive_rows), ("before", before_rows),
                                           ("after", after_rows))])  # fmt: skip
    right, total = _metonymy(dev, [flags[index[r["text"]]] for r in dev])
    print(f"\nmetonymy on toponyms_dev (after): {right}/{total} detected toponyms right")

    kb = sum(len(t.encode("utf-8")) for t in texts) / 1000

    def best(fn):
        fn()
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t0)
        return min(runs), max(runs)

    parse_s = best(lambda: list(nlp.parse_many(texts)))
    with_doc = best(
        lambda: [geoparse(t, gazetteer=gaz, doc=d) for t, d in zip(texts, docs, strict=True)]
    )
    no_doc = best(lambda: [geoparse(t, gazetteer=gaz) for t in texts])
    print(f"\nspeed over {len(texts)} texts, {kb:,.0f} KB; load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f} at start, {os.getloadavg()[0]:.1f} at end "
          f"(best of {args.repeat}; slowest in brackets)")  # fmt: skip
    for name, (lo, hi) in (("after, doc given", with_doc), ("after, parses the text", no_doc),
                           ("spaCy parse alone (parse_many)", parse_s)):  # fmt: skip
        print(f"  {name:32} {kb / lo:8.1f} KB/s  ({kb / hi:.1f})")
    print(f"  {'before (' + args.before + ')':32} {kb / before_s:8.1f} KB/s")


if __name__ == "__main__":
    main()
