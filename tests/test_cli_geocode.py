"""``conflictmap geocode`` and ``conflictmap gazetteer info|add``: the CLI contracts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from webapp.cli import main

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"query", "lat", "lon", "geonameid", "feature_code", "country_code", "precision", "score"}


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    folder = tmp_path / "user-gazetteer"
    monkeypatch.setenv("CONFLICTMAP_USER_GAZETTEER", str(folder))
    return folder


def run(args, stdin=None, env=None):
    """Run the installed command in a child process (real stdin bytes, real exit status)."""
    return subprocess.run(
        [_cmd(), *args],
        input=stdin, capture_output=True, cwd=ROOT, timeout=120,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def _cmd():
    exe = Path(sys.executable).with_name("conflictmap")
    return str(exe)


def lines(stdout):
    return [json.loads(line) for line in stdout.decode().splitlines()]


def test_geocode_arguments(user_dir):
    result = CliRunner().invoke(main, ["geocode", "Kyiv", "the Kursk region", "Zzzyxxqq"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["query"] for r in rows] == ["Kyiv", "the Kursk region", "Zzzyxxqq"]
    assert all(KEYS <= set(r) for r in rows)
    assert (rows[0]["geonameid"], rows[0]["precision"]) == (703448, "exact")
    assert (rows[1]["geonameid"], rows[1]["precision"]) == (538555, "admin1")
    assert rows[2]["geonameid"] is None and rows[2]["lat"] is None and "error" not in rows[2]


def test_geocode_stdin_bad_input_keeps_the_batch(user_dir):
    stdin = b"\n".join(
        [b"Kyiv", b"", b"   ", "Київ".encode(), b"\xff\xfe bad", b"ctl\x07char", b"x" * 10_000_000,
         b"Kursk\r", b"near Sudzha"]
    ) + b"\n"  # fmt: skip
    result = run(["geocode", "-"], stdin=stdin, env={"CONFLICTMAP_USER_GAZETTEER": str(user_dir)})
    assert result.returncode == 0, result.stderr
    rows = lines(result.stdout)
    assert len(rows) == 9
    assert all(KEYS <= set(r) for r in rows)
    assert rows[0]["geonameid"] == rows[3]["geonameid"] == 703448
    assert "empty" in rows[1]["error"] and "empty" in rows[2]["error"]
    assert "UTF-8" in rows[4]["error"] and rows[4]["geonameid"] is None
    assert "control characters" in rows[5]["error"]
    assert "10000000 characters" in rows[6]["error"] and rows[6]["query_truncated"]
    assert len(rows[6]["query"]) < 400
    assert rows[7]["query"] == "Kursk" and rows[7]["geonameid"] == 538560
    assert rows[8]["precision"] == "near"


def test_geocode_country_option(user_dir):
    result = CliRunner().invoke(main, ["geocode", "--country", "ru", "Donetsk"])
    assert json.loads(result.output)["geonameid"] == 565348


def test_geocode_needs_a_query():
    result = CliRunner().invoke(main, ["geocode"])
    assert result.exit_code == 2 and "QUERY" in result.output


def test_gazetteer_info(user_dir):
    result = CliRunner().invoke(main, ["gazetteer", "info"])
    assert result.exit_code == 0
    info = json.loads(result.output)
    assert info["counts"]["populated"] > 230_000
    assert "GeoNames" in info["attribution"] and "Natural Earth" in info["attribution"]
    assert info["version"] and info["sources"]
    text = CliRunner().invoke(main, ["gazetteer", "info", "--format", "text"])
    assert "Attribution: Contains data from GeoNames" in text.output


def test_gazetteer_add_then_geocode(user_dir):
    runner = CliRunner()
    # Kruglenkoye (Sudzha raion) has no row in any shipped source, the postal files included.
    first = runner.invoke(main, ["geocode", "village of Kruglenkoye"]).output
    assert json.loads(first)["lat"] is None
    result = runner.invoke(main, [
        "gazetteer", "add", "Kruglenkoye", "--lat", "51.1031", "--lon", "35.3275",
        "--country", "RU", "--admin1", "Kursk Oblast", "--alt-names",
        "Кругленькое|Kruglenkoye village",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    added = json.loads(result.output)
    assert added["admin1_code"] == "41" and 3_100_000_000 <= added["geonameid"] < 3_200_000_000
    assert (user_dir / "places.csv").is_file()
    out = runner.invoke(main, ["geocode", "village of Kruglenkoye", "Кругленькое", "Sudzha"]).output
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows[0]["geonameid"] == rows[1]["geonameid"] == added["geonameid"]
    assert rows[0]["admin1"] == "Kursk Oblast" and rows[0]["lat"] == pytest.approx(51.1031)
    assert rows[2]["geonameid"] == 486816  # shipped places unaffected
    info = json.loads(runner.invoke(main, ["gazetteer", "info"]).output)
    assert info["user_places"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lat", "95", "--lon", "35", "--country", "RU"], "lat must be between"),
        (["--lat", "51", "--lon", "35", "--country", "XX"], "country code"),
        (["--lat", "51", "--lon", "35", "--country", "RU", "--admin1", "Atlantis"], "admin1"),
        (
            ["--lat", "51", "--lon", "35", "--country", "RU", "--feature-code", "p p"],
            "feature_code",
        ),
    ],
)
def test_gazetteer_add_rejects_bad_values(user_dir, args, message):
    result = CliRunner().invoke(main, ["gazetteer", "add", "Somewhere", *args])
    assert result.exit_code != 0 and message in result.output
    assert not (user_dir / "places.csv").exists()


def test_malformed_user_file_is_reported_and_geocoding_goes_on(user_dir):
    user_dir.mkdir()
    (user_dir / "mine.csv").write_text(
        "name,lat,lon,country_code\nGoodvillage,51.2,35.1,RU\nBadvillage,north,35.1,RU\n"
    )
    result = run(["geocode", "Goodvillage", "Kyiv"],
                 env={"CONFLICTMAP_USER_GAZETTEER": str(user_dir)})  # fmt: skip
    assert result.returncode == 0
    rows = lines(result.stdout)
    assert rows[0]["country_code"] == "RU" and rows[1]["geonameid"] == 703448
    assert b"mine.csv:3" in result.stderr and b"lat must be a number" in result.stderr
