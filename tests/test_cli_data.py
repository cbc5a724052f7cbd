import json
import shutil
from pathlib import Path

import pytest

from geo.pipeline.ingest import DEMO_ARTICLES

FIXTURES = Path(__file__).resolve().parent / "data" / "articles"


def lines(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_geoparse_file_offsets_index_the_file_text(runner, tmp_path):
    text = (
        "KYIV — Ukrainian forces captured two soldiers in the Kursk region on January 9, "
        "officials in Kyiv said.\r\nЕщё: Київ.\n"
    )
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    result = runner.invoke(["geoparse", str(path)])
    assert result.exit_code == 0, result.output
    rows = lines(result.output)
    assert rows and all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    for key in ("lat", "lon", "geonameid", "feature_code", "country_code"):
        assert all(key in r for r in rows)
    # "the Kursk region": the mention is the name; the lower-case region word is wording
    assert {r["text"] for r in rows} >= {"KYIV", "Kursk", "Kyiv", "Київ"}
    assert "Ukrainian" not in {r["text"] for r in rows}  # an actor, not a place


def test_geoparse_jsonl_batch_keeps_order_and_ids(runner):
    docs = [
        json.dumps({"id": "d1", "text": "Shelling in Kharkiv."}),
        json.dumps({"id": 2, "text": ""}),
        "not json at all",
        json.dumps(["a", "list"]),
        json.dumps({"id": 5, "text": 12}),
        json.dumps({"id": 6, "text": "Nothing here."}),
    ]
    result = runner.invoke(["geoparse", "--jsonl", "-"], input="\n".join(docs) + "\n")
    assert result.exit_code == 0, result.output
    rows = lines(result.output)
    assert [r["id"] for r in rows] == ["d1", 2, None, None, 5, 6]
    assert rows[0]["mentions"][0]["text"] == "Kharkiv"
    assert rows[1]["mentions"] == [] and rows[5]["mentions"] == []
    assert "not valid JSON" in rows[2]["error"] and "object" in rows[3]["error"]
    assert "text must be a string" in rows[4]["error"]


def test_geoparse_needs_a_file(runner, tmp_path):
    assert runner.invoke(["geoparse"]).exit_code == 2
    result = runner.invoke(["geoparse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_ingest_demo_articles_then_again(runner, store):
    first = runner.invoke(["ingest", "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert len(report["ok"]) == 5 and report["events_added"] > 0
    ids = sorted(e.event_id for e in store.query())
    again = json.loads(runner.invoke(["ingest", "--json"]).output)
    assert again["events_added"] == 0 and again["events_updated"] == 0
    assert sorted(e.event_id for e in store.query()) == ids


def test_ingest_reports_bad_files_and_exits_non_zero(runner, store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "kobani.json", folder / "kobani.json")
    (folder / "empty.txt").write_text("", "utf-8")
    result = runner.invoke(["ingest", str(folder)])
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "empty" in result.output
    assert "Ingested 1 article(s)" in result.output
    assert store.count() > 0


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO_ARTICLES.glob("*.txt")))
def test_geoparse_each_demo_article(runner, name):
    path = DEMO_ARTICLES / name
    text = path.read_text("utf-8")
    result = runner.invoke(["geoparse", str(path)])
    rows = lines(result.output)
    assert result.exit_code == 0 and rows
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert not {"Mission", "Deal", "Police", "Storm", "Ri", "Kim", "Of", "Baek"} & {
        r["text"] for r in rows
    }


def test_ingest_says_how_many_events_could_not_be_dated(tmp_path):
    from click.testing import CliRunner

    from webapp.cli import main

    article = tmp_path / "undated.txt"
    article.write_text("Russian drones struck an oil depot in Tambov.\n", "utf-8")
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "s.sqlite"), "ingest", str(article)]
    )
    assert result.exit_code == 0, result.output
    assert "1 event(s) not stored" in result.stderr
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "s.sqlite"), "ingest", "--json", str(article)]
    )
    assert '"events_undated": 1' in result.stdout


def test_extract_prints_each_event_with_offsets_into_the_text(runner, tmp_path):
    text = "Russian forces shelled the town of Lubny on Friday, killing two civilians.\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(["extract", "--published", "2024-05-12", str(path)])
    assert result.exit_code == 0, result.output
    [row] = lines(result.output)
    assert row["event_type"] == "attack"
    trigger, place = row["trigger"], row["place"]
    assert text[trigger["start"] : trigger["end"]] == trigger["text"] == "shelled"
    assert text[place["start"] : place["end"]] == place["text"] == "Lubny"
    assert place["country_code"] == "UA" and place["geonameid"] is not None
    assert (row["date_start"], row["date_end"], row["date_basis"]) == (
        "2024-05-10", "2024-05-10", "stated",
    )  # fmt: skip
    assert row["counts"] == [{"kind": "killed", "low": 2, "high": 2, "best": None}]
    # no publication date: "Friday" cannot be dated, the event is still told, undated
    [undated] = lines(runner.invoke(["extract", str(path)]).output)
    assert undated["date_start"] is None and undated["place"]["text"] == "Lubny"


def test_extract_jsonl_batch_keeps_order_ids_and_reports_bad_lines(runner):
    docs = [
        json.dumps(
            {"id": "a", "text": "Drones struck Lubny on Friday.", "published_at": "2024-05-12"}
        ),
        json.dumps({"id": "b", "text": "Drones struck Lubny.", "published_at": "last May"}),
        "not json",
        json.dumps({"id": "c", "text": "Nothing happened."}),
    ]
    result = runner.invoke(["extract", "--jsonl", "-"], input="\n".join(docs) + "\n")
    assert result.exit_code == 0, result.output
    rows = lines(result.output)
    assert [r["id"] for r in rows] == ["a", "b", None, "c"]
    assert [e["date_start"] for e in rows[0]["events"]] == ["2024-05-10"]
    assert "published_at must be a date" in rows[1]["error"]
    assert "not valid JSON" in rows[2]["error"] and rows[3]["events"] == []


def test_extract_rejects_a_bad_date_and_a_missing_file(runner, tmp_path):
    assert runner.invoke(["extract"]).exit_code == 2
    bad = runner.invoke(["extract", "--published", "Friday", str(tmp_path / "a.txt")])
    assert bad.exit_code == 2 and "--published" in bad.output
    missing = runner.invoke(["extract", str(tmp_path / "missing.txt")])
    assert missing.exit_code == 1 and "cannot read" in missing.output
