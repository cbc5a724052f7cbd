"""Benchmark of article ingestion: geoparsing KB/s, extraction and ingest articles/s.

Run: ``python benchmarks/bench_ingest.py [--articles 300] [--words 1000] [--repeat 3]
[--prefill 100000] [--demo | --jsonl tests/data/extract_dev/ua_articles.jsonl]``.
It writes synthetic news articles of about ``--words`` words (sentences about attacks,
captures, deployments, casualties and front lines in Ukrainian, Russian, Syrian and Sudanese
places, with dates, counts, demonyms, metonyms and filler), warms the gazetteer up, then
measures on one core (one process, one thread), each measure ``--repeat`` times, and
prints a table of the first pass beside the best warm run. The first pass (cold) runs in a
fresh process whose gazetteer and spaCy model are loaded (on a text naming no place) but
whose caches are empty; the warm runs follow in this process, where earlier runs filled the
geocoder's and the parser's caches (every run in the notes):

* geoparsing: KB of text per second (``geo.geoparse.resolve.geoparse``);
* extraction: articles per second (geoparse + candidates + merging within the article);
* ingest: articles per second into a fresh SQLite store, or one holding ``--prefill``
  events (read file + extract + one savepoint per article + merging with stored events),
  target >= 100 articles/s.

About one sentence in five reports an event (the rest is background, quotes, analysis), which
gives some ten extracted events per 1,000-word article.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from geo.articles.reader import read_article  # noqa: E402
from geo.gazetteer.lookup import Gazetteer  # noqa: E402
from geo.geoparse.resolve import geoparse  # noqa: E402
from geo.pipeline.ingest import article_events, ingest_paths  # noqa: E402
from geo.store.sqlite.store import SQLiteStore  # noqa: E402

PLACES = [
    ("Pokrovsk", "Donetsk Oblast"), ("Sudzha", "Kursk region"), ("Orikhiv", "Zaporizhzhia region"),
    ("Kupiansk", "Kharkiv Oblast"), ("Vovchansk", "Kharkiv region"), ("Kobani", "northern Syria"),
    ("El Fasher", "North Darfur"), ("Toretsk", "Donetsk Oblast"), ("Kherson", "Kherson Oblast"),
]  # fmt: skip
SIDES = [("Russian", "Ukrainian"), ("Ukrainian", "Russian"), ("Turkish", "Kurdish"),
         ("Sudanese", "Chadian")]  # fmt: skip
TEMPLATES = [
    "{a} forces attacked {town} in the {area} on {day}, killing {n} civilians, officials said.",
    "On {day}, {a} troops captured {n} {b} soldiers near {town}.",
    "{capital} said about {big} {b} soldiers were killed or wounded in the fighting near {town}.",
    "Around {big} {a} troops were deployed to the {area} in {month}.",
    "The {area} has been under {a} control since {month}.",
    "{a} drones struck fuel depots outside {town} last week, local authorities reported.",
    "Residents of {town} described long queues for water and bread as winter approached.",
    "Analysts said the fighting could shape negotiations, but the Mission and the Deal "
    "remained unclear to the Police and the Storm of rumours.",
    "Mr. Kim, a volunteer from Of, said the roads were muddy and the convoys slow.",
    "Reports from {capital} indicate that over {big} soldiers have been killed since {month}.",
]
CAPITALS = ["Kyiv", "Moscow", "Damascus", "Khartoum", "Ankara"]
# Most sentences of a news article report no event: background, quotes, analysis.
FILLER = [
    "The war has reshaped daily life far from the front, with prices rising every month.",
    "“We do not know what tomorrow brings,” said a teacher who asked not to be named.",
    "Diplomats in several European capitals met to discuss sanctions and reconstruction.",
    "Satellite images published by a private company showed new trenches and fortifications.",
    "Aid groups warned that funding for shelters would run out before the spring.",
    "Economists expect the budget deficit to widen as military spending keeps growing.",
    "Local journalists said mobile networks were unreliable and electricity came and went.",
    "The ministry did not respond to a request for comment on Tuesday evening.",
]


def make_article(rng, words, published):
    out, count = [], 0
    while count < words:
        town, area = rng.choice(PLACES)
        a, b = rng.choice(SIDES)
        day = published - timedelta(days=rng.randint(1, 60))
        template = rng.choice(TEMPLATES) if rng.random() < 0.2 else rng.choice(FILLER)
        sentence = template.format(
            a=a,
            b=b,
            town=town,
            area=area,
            day=f"{day:%B} {day.day}",
            month=f"{day:%B %Y}",
            n=rng.randint(2, 40),
            big=f"{rng.randint(1, 20) * 500:,}",
            capital=rng.choice(CAPITALS),
        )
        out.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(out[i : i + 5]) for i in range(0, len(out), 5)]
    return "\n\n".join(paragraphs) + "\n"


def prefill(paths, n):
    """Give each store in ``paths`` the same ``n`` synthetic events (built once, copied)."""
    from bench_store import put_synthetic

    first = SQLiteStore(paths[0])
    put_synthetic(first, n)
    first.close()  # folds the write-ahead log into the file
    for path in paths[1:]:
        shutil.copyfile(paths[0], path)


def timed(fn, repeat):
    """Run ``fn`` ``repeat`` times; return (last result, [CPU seconds], [wall seconds]).

    CPU time measures the work on one core even when other processes share the machine;
    the table reports the best run (as ``timeit`` does: the others were slowed by the
    machine, not by the code) and lists every run.
    """
    cpus, walls = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return result, cpus, walls


#: A text that loads the gazetteer and the language model but names no place of the articles.
NEUTRAL = "The committee met on Tuesday and said the report would follow next month.\n"


def _cold(args, gaz):
    """Time one pass of ``args.cold`` over the articles in ``args.folder``; print JSON."""
    folder = Path(args.folder)
    warm = folder.parent / "neutral.txt"
    warm.write_text(NEUTRAL, "utf-8")
    article_events(read_article(warm), gaz)  # loads the model and the index, no names
    articles = [read_article(p) for p in sorted(folder.glob("*.txt"))]
    wall, cpu = time.perf_counter(), time.process_time()
    if args.cold == "geoparse":
        for a in articles:
            geoparse(a.extraction_text, gazetteer=gaz)
    elif args.cold == "extract":
        for a in articles:
            article_events(a, gaz)
    else:
        store = SQLiteStore(args.cold_store)
        try:
            ingest_paths(store, [folder], gazetteer=gaz)
        finally:
            store.close()
    print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}))
    return 0


def _first_pass(measure, folder, store=None):
    """Return ``(cpu, wall)`` seconds of the first pass of ``measure`` in a fresh process."""
    command = [sys.executable, __file__, "--cold", measure, "--folder", str(folder)]
    if store is not None:
        command += ["--cold-store", str(store)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    timing = json.loads(out.strip().splitlines()[-1])
    return timing["cpu"], timing["wall"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", choices=["geoparse", "extract", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--cold-store", help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (best kept)")
    parser.add_argument(
        "--prefill",
        type=int,
        default=0,
        help="Ingest into a store already holding this many events (bench_store's synthetic "
        "events, same region and years) instead of an empty one.",
    )
    parser.add_argument(
        "--jsonl",
        action="append",
        default=[],
        help="Use the texts of this JSON-lines file (fields text, published_at) as the "
        "articles, e.g. tests/data/extract_dev/ua_articles.jsonl; repeatable; --articles "
        "caps their number.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="Use copies of the demo articles (data/articles) instead of "
        "synthetic ones: each copy gets a distinct line so it is a new article.",
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    gaz = Gazetteer.default()
    if args.cold:
        return _cold(args, gaz)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        base = date(2024, 1, 1)
        demo = sorted((ROOT / "data" / "articles").glob("*.txt")) if args.demo else []
        for i in range(args.articles if demo else 0):
            src = demo[i % len(demo)]
            path = folder / f"d{i:05d}.txt"
            path.write_text(src.read_text("utf-8") + f"\nCopy {i}.\n", "utf-8")
            path.with_suffix(".yaml").write_text(
                src.with_suffix(".yaml").read_text("utf-8"), "utf-8"
            )
        given = [json.loads(line) for f in args.jsonl for line in open(f, encoding="utf-8")]
        for i, row in enumerate(given[: args.articles]):
            path = folder / f"j{i:05d}.txt"
            path.write_text(row["text"].rstrip("\n") + "\n", "utf-8")
            if row.get("published_at"):
                path.with_suffix(".yaml").write_text(
                    f"published_at: {row['published_at']}\n", "utf-8"
                )
        for i in range(0 if demo or given else args.articles):
            published = base + timedelta(days=i % 600)
            path = folder / f"a{i:05d}.txt"
            path.write_text(make_article(rng, args.words, published), "utf-8")
            path.with_suffix(".yaml").write_text(
                f"publisher: Desk {i % 7}\npublished_at: {published.isoformat()}\n", "utf-8"
            )
        articles = [read_article(p) for p in sorted(folder.glob("*.txt"))]
        paths = [Path(tmp) / f"events-{k}.sqlite" for k in range(args.repeat + 1)]
        if args.prefill:
            prefill(paths, args.prefill)
        # first passes, each in a fresh process (empty caches)
        cold = {m: _first_pass(m, folder) for m in ("geoparse", "extract")}
        cold["ingest"] = _first_pass("ingest", folder, paths[-1])
        # warm-up: gazetteer index, word list, demonyms, area outlines
        article_events(articles[0], gaz)
        texts = [a.extraction_text for a in articles]
        kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
        words = sum(len(t.split()) for t in texts) / len(texts)
        _, geo_cpu, geo_wall = timed(
            lambda: [geoparse(t, gazetteer=gaz) for t in texts], args.repeat
        )
        counts, ext_cpu, ext_wall = timed(
            lambda: [len(article_events(a, gaz)) for a in articles], args.repeat
        )
        stores = iter(paths)

        def ingest():
            store = SQLiteStore(next(stores))
            try:
                return ingest_paths(store, [folder], gazetteer=gaz), store.count() - args.prefill
            finally:
                store.close()

        (report, stored), ing_cpu, ing_wall = timed(ingest, args.repeat)
    n = len(articles)

    def rate(amount, cpus, walls, unit, first):
        def fmt(value):  # a decimal below 100 (a parse-bound 8.4 articles/s is not 8)
            return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"

        runs = " / ".join(fmt(amount / c) for c in cpus)
        best = f"{fmt(amount / min(cpus))} {unit}"
        cold_rate = f"{fmt(amount / first[0])} {unit}"
        return cold_rate, best, f"warm runs {runs}; best wall {fmt(amount / min(walls))}"

    geo_cold, geo_rate, geo_note = rate(kb, geo_cpu, geo_wall, "KB/s", cold["geoparse"])
    ext_cold, ext_rate, ext_note = rate(n, ext_cpu, ext_wall, "articles/s", cold["extract"])
    ing_cold, ing_rate, ing_note = rate(n, ing_cpu, ing_wall, "articles/s", cold["ingest"])
    rows = [
        ("articles", f"{n}", "", f"{words:.0f} words each on average; warm: best of "
         f"{args.repeat} runs; ingest {words * n / min(ing_cpu):,.0f} words/s"),
        ("geoparse", geo_cold, geo_rate, f"{kb:,.0f} KB of text; {geo_note}"),
        ("extract", ext_cold, ext_rate,
         f"{sum(counts)} events before cross-article merging; {ext_note}"),
        ("ingest", ing_cold, ing_rate,
         f"{stored} events stored{f' beside {args.prefill:,}' if args.prefill else ''}, "
         f"{len(report.failed)} failed; {ing_note}; "
         "target >= 100 articles/s"),
    ]  # fmt: skip
    print(f"{'measure':<10} {'first pass (CPU)':>18} {'best warm (CPU)':>18}  notes")
    for name, first, value, note in rows:
        print(f"{name:<10} {first:>18} {value:>18}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
