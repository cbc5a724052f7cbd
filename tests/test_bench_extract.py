"""The scoring rules of benchmarks/bench_extract.py, on small hand-made cases."""

import doctest
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import extract_scoring  # noqa: E402
from extract_scoring import Ev, Tally, count_ok, from_gold, match  # noqa: E402

D = date(2024, 3, 3)
KYIV = (50.45, 30.52)
LVIV = (49.84, 24.03)
BROVARY = (50.51, 30.79)  # about 20 km from Kyiv


def test_doctests_of_the_scoring_module():
    result = doctest.testmod(extract_scoring)
    assert result.attempted > 0 and result.failed == 0


def test_a_pair_needs_a_compatible_type_or_the_same_place():
    gold = [Ev("capture", D, D, *KYIV)]
    assert match(gold, [Ev("deployment", D, D, *LVIV)]) == []
    assert match(gold, [Ev("deployment", D, D, *BROVARY)]) == [(0, 0)]
    assert match(gold, [Ev("capture", D, D, *LVIV)]) == [(0, 0)]
    assert match([Ev("attack", D, D)], [Ev("casualties", D, D)]) == [(0, 0)]


def test_matching_is_one_to_one_and_prefers_type_place_and_date():
    gold = [Ev("attack", D, D, *KYIV), Ev("attack", D, D, *LVIV)]
    pred = [Ev("attack", D, D, *LVIV), Ev("attack", D, D, *BROVARY), Ev("attack", D, D, *KYIV)]
    assert match(gold, pred) == [(0, 2), (1, 0)]
    later = date(2024, 3, 20)
    pred = [Ev("attack", later, later, *KYIV), Ev("attack", D, D, *KYIV)]
    assert match([Ev("attack", D, D, *KYIV)], pred) == [(0, 1)]


def test_counts_are_right_when_exact_or_inside_the_range():
    assert count_ok(7, (7, 7, None))
    assert count_ok(7, (5, 10, None))
    assert count_ok(7, (3, 20, 7))
    assert not count_ok(7, (8, 12, None))
    assert not count_ok(7, (None, None, None))


def test_tally_figures():
    t = Tally()
    wide = date(2024, 2, 1)
    russia = "Military Forces of Russia"
    gold = [Ev("attack", D, D, *KYIV, russia, "Civilians", {"killed": (2, 2, 2)}),
            Ev("capture", D, D)]  # fmt: skip
    pred = [Ev("attack", wide, D, *BROVARY, russia, None, {"killed": (2, 2, None)}),
            Ev("statement", D, D, *LVIV)]  # fmt: skip
    t.score_case(gold, pred)
    det = t.figures("detection")
    assert (det["gold"], det["pred"], det["ok"]) == (2, 2, 1)
    assert det["p"] == det["r"] == 0.5
    assert t.figures("place<=25km")["ok"] == 1
    assert t.figures("date contains gold")["acc"] == 1.0
    assert t.figures("date <=7 days wide")["acc"] == 0.0  # a month-wide window is not a date
    assert t.figures("actor1")["ok"] == 1 and t.figures("actor2")["ok"] == 0
    assert t.figures("count:killed")["acc"] == 1.0
    assert t.figures("no place")["gold"] == 1 and t.figures("no place")["match"] == 0


def test_gold_events_read_from_a_dev_case():
    case = {
        "text": "Shelling killed two in Kyiv; later shelling killed one more.",
        "events": [
            {"type": "attack", "trigger": "killed", "date": ["2024-03-03", "2024-03-03"],
             "place": {"text": "Kyiv", "lat": 50.45, "lon": 30.52}, "actor1": None,
             "actor2": "Civilians", "counts": {"killed": 2, "troops": 5}},
            {"type": "attack", "trigger": "killed", "date": None, "place": None,
             "actor1": None, "actor2": None, "counts": {}},
        ],
    }  # fmt: skip
    first, second = from_gold(case)
    assert first.span == (9, 15) and second.span == (44, 50)
    assert first.counts == {"killed": (2, 2, 2), "deployed": (5, 5, 5)}
    assert not second.placed and not second.dated


@pytest.mark.parametrize("kind", ["note", "wire"])
def test_the_benchmark_runs_on_a_slice_of_the_dev_set(kind, tmp_path, capsys):
    import bench_extract

    out = tmp_path / "figures.json"
    assert bench_extract.main(["--kinds", kind, "--limit", "2", "--skip-halterman",
                               "--json", str(out)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert "## ours: 4 cases" in text and "naive peer" in text
    assert out.is_file()
