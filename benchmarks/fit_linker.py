"""Fit the event-place linker's weights (geo/extract/data/linker.json) and measure them.

The linker scores each place named in a sentence as the place of an event, from named
features of the parse (``geo.extract.places.FEATURES``). This script fits those weights by
logistic regression on event_location (Halterman 2019; ../shared/dev-data/, MIT licence):
sentences with an event verb and the spans naming where that event happened (or none).
It fits on the sentences whose id has an even CRC-32 and reports both halves, so the
figure to quote is the held-out (odd) half's: ``bench_extract.py --split odd``. It never
reads an id or a sentence into the model: only the feature vectors of (verb, place) pairs
and their labels.

Usage::

    python benchmarks/fit_linker.py            # fit, print the table, write linker.json
    python benchmarks/fit_linker.py --dry-run  # fit and print only
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.common import nlp  # noqa: E402
from geo.extract import events as extract_events  # noqa: E402
from geo.extract.detect import Trigger  # noqa: E402
from geo.extract.lexicon import lemma_of, senses  # noqa: E402
from geo.extract.places import _DEFAULT_WEIGHTS, FEATURES, eligible, features  # noqa: E402
from geo.geoparse.resolve import geoparse, is_metonymic  # noqa: E402

DATA = ROOT.parent / "shared" / "dev-data" / "event_location_dev.jsonl.gz"
OUT = ROOT / "geo" / "extract" / "data" / "linker.json"
#: A feature seen in fewer (verb, place) pairs than this keeps its hand-set weight.
RARE = 25


def half(row_id: str) -> int:
    """Return 0 or 1: the half of the data a sentence belongs to, the parity of its id's
    CRC-32 (``bench_extract.py --split even`` is half 0, ``--split odd`` half 1)."""
    return zlib.crc32(row_id.encode("utf-8")) % 2


def _trigger_for(doc, start, end):
    """A Trigger at the gold event verb, whatever the lexicon says of it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    token = span.root if span is not None else doc[0]
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN"
    found = senses().get((lemma_of(token), pos)) or senses().get((lemma_of(token), "VERB"))
    sense = found[0] if found else None
    event_type = sense.event_type if sense else "attack"
    return Trigger(token, token, sense, event_type, None)


def examples(rows):
    """Yield ``(half, [(features, label)], has_gold_location, gold_reachable)`` per sentence."""
    texts = [r["text"] for r in rows]
    for row, doc in zip(rows, nlp.parse_many(texts), strict=True):
        text = row["text"]
        gold = [(loc["start"], loc["end"]) for loc in row["locations"]
                if text[loc["start"]:loc["end"]] == loc["name"]]  # fmt: skip
        mentions = geoparse(text, doc=doc)
        skip = extract_events.datelines(text)
        # the candidates extraction sees: armed groups' names are none
        namer = extract_events.ActorNamer(doc, extract_events._countries(doc, mentions), skip)
        per_sent = extract_events._candidates(
            doc, mentions, text, skip, lambda m, text=text: is_metonymic(text, m), namer,
        )  # fmt: skip
        trigger = _trigger_for(doc, row["event"]["start"], row["event"]["end"])
        cands = per_sent.get(trigger.token.sent.start, [])
        pairs = []
        for cand in (c for c in cands if eligible(c, trigger)):
            label = any(cand.start < b and a < cand.end for a, b in gold)
            f = features(cand, trigger, cands)
            pairs.append(([f[name] for name in FEATURES], label))
        yield half(row["id"]), pairs, bool(gold), any(label for _, label in pairs)


def fit(xs, ys, *, l2=1.0, steps=3000, lr=0.1):
    """Return logistic-regression weights (bias is the first feature) by gradient descent."""
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]] / len(y)
        w -= lr * grad
    return w


def decide(sentences, w, threshold):
    """Return counts of right span / wrong / none / none-correct for a weight vector."""
    out = {"right": 0, "wrong": 0, "missed": 0, "with_gold": 0, "without": 0, "anyway": 0}
    for pairs, has_gold in sentences:
        scored = [(float(np.dot(w, f)), label) for f, label in pairs]
        best = max(scored, default=None)
        chosen = best if best is not None and best[0] > threshold else None
        if has_gold:
            out["with_gold"] += 1
            if chosen is None:
                out["missed"] += 1
            elif chosen[1]:
                out["right"] += 1
            else:
                out["wrong"] += 1
        else:
            out["without"] += 1
            out["anyway"] += chosen is not None
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="do not write linker.json")
    parser.add_argument("--all-rows", action="store_true",
                        help="also use unreviewed rows (answer null) for fitting")  # fmt: skip
    parser.add_argument("--limit", type=int, default=None, help="use the first N rows")
    parser.add_argument("--curve", action="store_true", help="print right/anyway by threshold")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in gzip.open(DATA, "rt", encoding="utf-8")]
    reviewed = [r for r in rows if r["answer"] == "accept"]
    fit_rows = rows if args.all_rows else reviewed
    if args.limit:
        fit_rows = fit_rows[: args.limit]
    t0 = time.perf_counter()
    halves = {0: [], 1: []}
    reach = {0: [0, 0], 1: [0, 0]}
    for h, pairs, has_gold, reachable in examples(fit_rows):
        halves[h].append((pairs, has_gold))
        if has_gold:
            reach[h][0] += 1
            reach[h][1] += reachable
    parse_s = time.perf_counter() - t0
    xs = [f for pairs, _ in halves[0] for f, _ in pairs]
    ys = [label for pairs, _ in halves[0] for _, label in pairs]
    w = fit(xs, ys)
    # a feature the data hardly shows (casualty-log labels are not wire style) keeps its
    # hand-set weight: the fit has next to nothing to say about it
    unseen = [i for i, name in enumerate(FEATURES) if sum(1 for row in xs if row[i]) < RARE]
    for i in unseen:
        w[i] = _DEFAULT_WEIGHTS.get(FEATURES[i], 0.0)
    # the threshold that maximises right spans minus places attached where there is none
    best_t, best_v = 0.0, -math.inf
    for t in np.linspace(-3, 3, 61):
        d = decide(halves[0], w, t)
        value = d["right"] / max(1, d["with_gold"]) - d["anyway"] / max(1, d["without"])
        if value > best_v:
            best_t, best_v = float(t), value
    print(f"event_location (Halterman 2019): {len(fit_rows)} sentences parsed in {parse_s:.0f} s")
    if args.curve:
        for t in np.linspace(-2, 2, 21):
            d = decide(halves[1], w, t)
            print(
                f"threshold {t:+.1f}: held-out right {d['right'] / max(1, d['with_gold']):.1%}"
                f", anyway {d['anyway'] / max(1, d['without']):.1%}"
            )
    print(
        f"fitted on half 0: {len(xs)} (verb, place) pairs; threshold {best_t:+.2f}; "
        f"hand-set (never seen in the data): {', '.join(FEATURES[i] for i in unseen) or '-'}"
    )
    print()
    print(
        "| half | sentences with a place | gold span among candidates | right span | wrong "
        "span | no place | sentences without a place | place attached anyway |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for h in (0, 1):
        d = decide(halves[h], w, best_t)
        name = "fit" if h == 0 else "held out"
        n, m = max(1, d["with_gold"]), max(1, d["without"])
        print(f"| {name} | {d['with_gold']} | {reach[h][1] / max(1, reach[h][0]):.1%} | "
              f"{d['right'] / n:.1%} | {d['wrong'] / n:.1%} | {d['missed'] / n:.1%} | "
              f"{d['without']} | {d['anyway'] / m:.1%} |")  # fmt: skip
    print()
    print("| feature | weight |")
    print("|---|---|")
    for name, value in zip(FEATURES, w, strict=True):
        print(f"| {name} | {value:+.3f} |")
    if not args.dry_run:
        OUT.write_text(json.dumps({
            "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True)},
            "threshold": round(best_t, 3),
            "fitted_on": "event_location (Halterman 2019), ids with an even CRC-32, "
                         + ("all rows" if args.all_rows else "reviewed rows"),
            "pairs": len(xs),
            "hand_set": [FEATURES[i] for i in unseen],
        }, indent=1) + "\n", encoding="utf-8")  # fmt: skip
        print(f"\nwrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
