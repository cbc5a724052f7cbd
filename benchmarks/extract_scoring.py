"""Scoring helpers of ``bench_extract.py``: events in one shape, matching, tallies, measures.

Gold events come from ``tests/data/extract_dev/*.jsonl``; predicted ones from
``geo.events.model.Event`` or from a baseline. Both become :class:`Ev`, matched per case by
:func:`match` and counted by :class:`Tally`. Kept apart from the script so that
``tests/test_bench_extract.py`` can check the rules on small hand-made cases.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from geopy.distance import geodesic

__all__ = [
    "COUNT_ALIASES",
    "NARROW_DAYS",
    "NEAR_KM",
    "REGION_KM",
    "Ev",
    "Tally",
    "count_ok",
    "distance_km",
    "from_event",
    "from_gold",
    "gap",
    "heldout",
    "match",
    "overlaps",
    "score_link",
    "trigger_offsets",
]

#: Place within this distance of the gold place: "the right place" (and the matching radius).
NEAR_KM = 25.0
#: A looser radius (100 miles), the usual "right region" threshold of geoparsing papers.
REGION_KM = 161.0
#: A predicted date range at most this many days wide counts as a dated event, not a window.
NARROW_DAYS = 7
#: Count kinds named differently in the dev set and in the event model.
COUNT_ALIASES = {"troops": "deployed"}
_COMPATIBLE = frozenset({"attack", "casualties"})


@dataclass
class Ev:
    """One event, gold or predicted, in the fields the benchmark scores.

    ``span`` is the ``(start, end)`` of the evidence in the case's text (a predicted event's
    quote, a gold event's trigger occurrence), None when unknown.
    """

    type: str
    start: date | None = None
    end: date | None = None
    lat: float | None = None
    lon: float | None = None
    actor1: str | None = None
    actor2: str | None = None
    counts: dict = field(default_factory=dict)
    span: tuple | None = None

    @property
    def placed(self):
        """True when the event has coordinates."""
        return self.lat is not None and self.lon is not None

    @property
    def dated(self):
        """True when the event has both ends of a date range."""
        return self.start is not None and self.end is not None


def trigger_offsets(text, triggers):
    """Return one offset per trigger: the k-th occurrence for the k-th use of the same words.

    Examples
    --------
    >>> trigger_offsets("killed two, then killed three", ["killed", "killed", "fled"])
    [0, 17, None]
    """
    seen = Counter()
    out = []
    for trig in triggers:
        spots = [m.start() for m in re.finditer(re.escape(trig), text, re.IGNORECASE)]
        k = seen[trig.lower()]
        seen[trig.lower()] += 1
        out.append(spots[min(k, len(spots) - 1)] if spots else None)
    return out


def from_gold(case):
    """Return the gold events of a dev-set case as :class:`Ev` (trigger span included)."""
    offsets = trigger_offsets(case["text"], [e["trigger"] for e in case["events"]])
    out = []
    for raw, at in zip(case["events"], offsets, strict=True):
        start = end = None
        if raw.get("date"):
            start, end = (date.fromisoformat(d) for d in raw["date"])
        place = raw.get("place") or {}
        counts = {COUNT_ALIASES.get(k, k): (n, n, n) for k, n in (raw.get("counts") or {}).items()}
        span = None if at is None else (at, at + len(raw["trigger"]))
        out.append(
            Ev(raw["type"], start, end, place.get("lat"), place.get("lon"), raw.get("actor1"),
               raw.get("actor2"), counts, span)
        )  # fmt: skip
    return out


def from_event(event):
    """Return a ``geo.events.model.Event`` as :class:`Ev` (its first source's quote as span)."""
    src = event.sources[0] if event.sources else None
    span = (src.start, src.end) if src is not None and src.start is not None else None
    counts = {c.kind: (c.low, c.high, c.best) for c in event.counts}
    return Ev(event.event_type, event.date_start, event.date_end, event.latitude, event.longitude,
              event.actor1, event.actor2, counts, span)  # fmt: skip


def distance_km(a, b):
    """Return the geodesic distance between two events' places, None when one has none."""
    if not (a.placed and b.placed):
        return None
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).km


def _overlap(a, b):
    return a.dated and b.dated and a.start <= b.end and b.start <= a.end


def _inside(span, outer):
    return span is not None and outer is not None and outer[0] <= span[0] < outer[1]


def _pair_score(g, p):
    """Return the matching score of a gold and a predicted event, None when they cannot pair.

    A pair needs a compatible type (the same, or attack/casualties) or the same place.
    """
    same = g.type == p.type
    compatible = same or {g.type, p.type} <= _COMPATIBLE
    km = distance_km(g, p)
    near = km is not None and km <= NEAR_KM
    if not (compatible or near):
        return None
    score = 4 * same + 2 * compatible + 3 * near + 2 * _overlap(g, p)
    score += 1 * (not g.placed and not p.placed) + 1 * _inside(g.span, p.span)
    return score - (km or 0.0) / 100_000


def match(gold, pred):
    """Pair gold and predicted events one-to-one, greedily on the best score first.

    Returns
    -------
    list of (int, int)
        ``(gold index, predicted index)`` pairs.

    Examples
    --------
    >>> g = [Ev("attack", lat=48.0, lon=37.0), Ev("capture", lat=50.0, lon=30.0)]
    >>> p = [Ev("capture", lat=50.01, lon=30.0), Ev("deployment", lat=10.0, lon=10.0)]
    >>> match(g, p)
    [(1, 0)]
    """
    scored = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            s = _pair_score(g, p)
            if s is not None:
                scored.append((-s, i, j))
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in sorted(scored):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def count_ok(gold_n, predicted):
    """Return True when a predicted ``(low, high, best)`` count agrees with the gold figure.

    Exact (``best``, or ``low == high``), or the gold figure inside ``low``–``high``.

    Examples
    --------
    >>> count_ok(12, (10, 15, None)), count_ok(12, (12, 12, 12)), count_ok(12, (20, None, None))
    (True, True, False)
    """
    low, high, best = predicted
    if best == gold_n:
        return True
    if low is None:
        return False
    return low <= gold_n <= (high if high is not None else low)


class Tally:
    """Counters of one system over a set of cases, by metric, each ``[gold, pred, match, ok]``.

    ``gold``: gold events the metric applies to; ``pred``: predicted events it applies to;
    ``match``: matched pairs it applies to; ``ok``: matched pairs that are right. Accuracy is
    ``ok / match``, precision ``ok / pred``, recall ``ok / gold``.
    """

    def __init__(self):
        self.rows = {}
        self.cases = 0

    def add(self, metric, gold=0, pred=0, match=0, ok=0):
        """Add to one metric's counters."""
        row = self.rows.setdefault(metric, [0, 0, 0, 0])
        for k, v in enumerate((gold, pred, match, ok)):
            row[k] += v

    def figures(self, metric):
        """Return ``{gold, pred, match, ok, acc, p, r, f1}`` (ratios None when undefined)."""
        g, p, m, ok = self.rows.get(metric, [0, 0, 0, 0])

        def ratio(a, b):
            return a / b if b else None

        prec, rec = ratio(ok, p), ratio(ok, g)
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else (0.0 if g and p else None)
        return {"gold": g, "pred": p, "match": m, "ok": ok, "acc": ratio(ok, m),
                "p": prec, "r": rec, "f1": f1}  # fmt: skip

    def score_case(self, gold, pred):
        """Match one case's events and add every metric's counts."""
        self.cases += 1
        pairs = match(gold, pred)
        self.add("detection", len(gold), len(pred), len(pairs), len(pairs))
        self.add("type", len(pairs), len(pairs), len(pairs),
                 sum(gold[i].type == pred[j].type for i, j in pairs))  # fmt: skip
        for radius, name in ((NEAR_KM, "place<=25km"), (REGION_KM, "place<=161km")):
            ok = sum(
                1 for i, j in pairs
                if gold[i].placed and (km := distance_km(gold[i], pred[j])) is not None
                and km <= radius
            )  # fmt: skip
            self.add(name, sum(g.placed for g in gold), sum(p.placed for p in pred),
                     sum(gold[i].placed for i, _ in pairs), ok)  # fmt: skip
        self.add(
            "no place", sum(not g.placed for g in gold), sum(not p.placed for p in pred),
            sum(not gold[i].placed for i, _ in pairs),
            sum(not gold[i].placed and not pred[j].placed for i, j in pairs),
        )  # fmt: skip
        self._dates(gold, pred, pairs)
        for role in ("actor1", "actor2"):
            self.add(
                role, sum(getattr(g, role) is not None for g in gold),
                sum(getattr(p, role) is not None for p in pred),
                sum(getattr(gold[i], role) is not None for i, _ in pairs),
                sum(getattr(gold[i], role) is not None
                    and getattr(gold[i], role) == getattr(pred[j], role) for i, j in pairs),
            )  # fmt: skip
        kinds = {k for e in (*gold, *pred) for k in e.counts}
        for kind in sorted(kinds):
            self.add(
                f"count:{kind}", sum(kind in g.counts for g in gold),
                sum(kind in p.counts for p in pred),
                sum(kind in gold[i].counts for i, _ in pairs),
                sum(kind in gold[i].counts and kind in pred[j].counts
                    and count_ok(gold[i].counts[kind][0], pred[j].counts[kind])
                    for i, j in pairs),
            )  # fmt: skip
        return pairs

    def _dates(self, gold, pred, pairs):
        dated = [(gold[i], pred[j]) for i, j in pairs if gold[i].dated]
        inside = [p.dated and p.start <= g.start and g.end <= p.end for g, p in dated]
        narrow = [p.dated and (p.end - p.start).days < NARROW_DAYS for _, p in dated]
        n_gold, n_pred = sum(g.dated for g in gold), sum(p.dated for p in pred)
        self.add("date contains gold", n_gold, n_pred, len(dated), sum(inside))
        self.add("date <=7 days wide", n_gold, n_pred, len(dated), sum(narrow))
        self.add("date both", n_gold, n_pred, len(dated),
                 sum(a and b for a, b in zip(inside, narrow, strict=True)))  # fmt: skip


def gap(a, b):
    """Return the characters between two spans (0 when they overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def overlaps(a, b):
    """Return True when two ``(start, end)`` spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


def heldout(case, gold, pred, pairs, sums):
    """Add one case's held-out measures to ``sums`` (``{measure: [hits, cases]}``)."""
    kind = case["kind"]

    def add(name, hit):
        row = sums.setdefault(f"{kind}: {name}", [0, 0])
        row[0] += bool(hit)
        row[1] += 1

    if not gold:
        add("no gold event, an event anyway (false alarm)", pred)
        return
    placed = [g for g in gold if g.placed]
    ppl = [p for p in pred if p.placed]

    def near(radius):
        return any((distance_km(g, p) or 0) <= radius for g in placed for p in ppl)

    if kind in ("note", "headline", "incident"):
        add(">=1 event", pred)
    if kind in ("note", "headline") and placed:
        if kind == "note":
            add("event <=25 km of gold place", near(NEAR_KM))
        add("event <=161 km of gold place", near(REGION_KM))
    if kind == "note":
        if any(g.dated for g in gold):
            add("gold date inside an event's dates",
                any(p.dated and g.dated and p.start <= g.start and g.end <= p.end
                    for g in gold for p in pred))  # fmt: skip
        if placed:
            add("spurious event >161 km from every gold place",
                any(min(distance_km(g, p) for g in placed) > REGION_KM for p in ppl))  # fmt: skip
    if kind == "wire":
        if placed:
            add("event <=25 km of gold place", near(NEAR_KM))
            if case.get("published_at"):
                # an event that can be dated: without a publication date, a sentence that
                # states no date reports no event that can be stored (issue 11)
                add("event <=25 km of gold place (with a publication date)", near(NEAR_KM))
        else:
            add("no gold place, a place attached anyway", ppl)
    if kind == "article":
        row = sums.setdefault("article: events per article", [0, 0])
        row[0] += len(pred)
        row[1] += 1
        gold_row = sums.setdefault("article: gold events per article", [0, 0])
        gold_row[0] += len(gold)
        gold_row[1] += 1
        right = sums.setdefault("article: events right on type+place+date", [0, 0])
        right[1] += len(pred)
        for i, j in pairs:
            g, p = gold[i], pred[j]
            km = distance_km(g, p)
            place_ok = (km is not None and km <= NEAR_KM) or (not g.placed and not p.placed)
            date_ok = not g.dated or (p.dated and p.start <= g.end and g.start <= p.end
                                      and (p.end - p.start).days < NARROW_DAYS)  # fmt: skip
            right[0] += g.type == p.type and place_ok and date_ok


def score_link(rows, pick):
    """Score one linker over the rows; ``pick(row)`` → ``(found, place_span, at_verb)``.

    ``found`` is False when no event was found; ``place_span`` is the linked place span or
    None; ``at_verb`` is True when the event's trigger overlaps the gold verb.
    """
    out = {}
    for subset in ("accept", "all"):
        out[subset] = dict.fromkeys(
            ("with_loc", "correct", "no_event", "no_place", "wrong", "without_loc",
             "attached", "sentences", "at_verb"), 0)  # fmt: skip
    for row in rows:
        found, span, at_verb = pick(row)
        gold = [(g["start"], g["end"]) for g in row["locations"]]
        for subset in ("accept", "all"):
            if subset == "accept" and row.get("answer") != "accept":
                continue
            s = out[subset]
            s["sentences"] += 1
            s["at_verb"] += bool(at_verb)
            if gold:
                s["with_loc"] += 1
                if not found:
                    s["no_event"] += 1
                elif span is None:
                    s["no_place"] += 1
                elif any(overlaps(span, g) for g in gold):
                    s["correct"] += 1
                else:
                    s["wrong"] += 1
            else:
                s["without_loc"] += 1
                s["attached"] += span is not None
    return out
