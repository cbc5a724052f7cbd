"""The maintained actors list (geo/extract/data/actors.tsv) and its loader."""

import csv
import json
from pathlib import Path

import pytest

from geo.exc import ValidationError
from geo.extract.actors_data import ACTORS_FILE, KINDS, actor_index, lookup_actor, read_actors
from geo.gazetteer.normalize import fold

DEV = Path(__file__).resolve().parent / "data" / "extract_dev"
HEADER = "canonical\tkind\tcountry\taliases\tcomment\n"


def test_the_shipped_file_parses_with_unique_canonical_names():
    rows = read_actors()
    assert len(rows) >= 80
    names = [r.canonical for r in rows]
    assert len(names) == len(set(names))
    assert all(r.kind in KINDS and r.comment for r in rows)
    assert all(r.country is None or (len(r.country) == 2 and r.country.isupper()) for r in rows)


def test_no_alias_names_two_actors():
    # Checked here independently of the loader: every folded name has one canonical.
    owner = {}
    with open(ACTORS_FILE, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            for name in [row["canonical"], *row["aliases"].split("|")]:
                assert owner.setdefault(fold(name), row["canonical"]) == row["canonical"], name


def test_a_standard_tsv_reader_sees_the_same_rows():
    with open(ACTORS_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t"))
    assert [(r["canonical"], tuple(r["aliases"].split("|")), r["comment"]) for r in rows] == [
        (r.canonical, r.aliases, r.comment) for r in read_actors()
    ]


def test_no_alias_is_a_common_short_word():
    # Folded matching would turn these into actors everywhere ("IS" is the verb "is").
    words = set("a an as at be by do he if in is it me my no of on or so to up us we".split())
    for name in actor_index():
        assert len(name) >= 2 and name not in words, name


def test_canonical_names_follow_the_dev_set():
    canonical = {r.canonical for r in read_actors()}
    named = set()
    for path in DEV.glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            for event in json.loads(line)["events"]:
                named |= {event["actor1"], event["actor2"]}
    groups = {a for a in named if a and not a.startswith(("Military Forces of", "Police Forces"))}
    assert len(groups) > 25
    assert groups <= canonical, sorted(groups - canonical)


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("RSF", "Rapid Support Forces"),
        ("paramilitary RSF", "Rapid Support Forces"),
        ("Wagner", "Wagner Group"),
        ("Africa Corps", "Wagner Group"),
        ("al-Qassam Brigades", "Hamas"),
        ("Hizbollah", "Hezbollah"),
        ("ISIS", "Islamic State"),
        ("Daesh", "Islamic State"),
        ("M23", "M23"),
        ("AFC/M23", "M23"),
        ("Al Shabaab", "al-Shabaab"),
        ("Ansar Allah", "Houthis"),
        ("pro-Russian forces", "Pro-Russian separatists"),
        ("Russian-backed separatists", "Pro-Russian separatists"),
        ("JNIM", "JNIM"),
        ("ISGS", "Islamic State Sahel"),
        ("Volontaires pour la défense de la patrie", "Volunteers for the Defence of the Homeland"),
        ("Tatmadaw", "Military Forces of Myanmar"),
        ("FARDC", "Military Forces of the Democratic Republic of Congo"),
        ("Sudanese Armed Forces", "Military Forces of Sudan"),
        ("IDF", "Military Forces of Israel"),
        ("ZSU", "Military Forces of Ukraine"),
        ("VSU", "Military Forces of Ukraine"),
        ("RuAF", "Military Forces of Russia"),
        ("UNIFIL", "UNIFIL"),
        ("ATMIS", "AMISOM"),
        ("unknown gunmen", "Unidentified Armed Group"),
        ("villagers", "Civilians"),
    ],
)
def test_reporters_names_find_their_actor(surface, canonical):
    assert lookup_actor(surface).canonical == canonical


def test_irregular_state_force_names_carry_the_country():
    record = lookup_actor("Tatmadaw")
    assert (record.kind, record.country) == ("state_forces", "MM")
    assert lookup_actor("Ukrainian troops") is None  # built in code from the country, not listed


def _write(tmp_path, *rows):
    path = tmp_path / "actors.tsv"
    path.write_text("# a comment\n" + HEADER + "".join(r + "\n" for r in rows), "utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(["A\tnon_state\tSD\ta1\tc", "A\tnon_state\t\ta2\tc"],
                     r"'A' is already listed on line 3", id="duplicate-canonical"),
        pytest.param(["A\tnon_state\t\tal-Shabab\tc", "B\tnon_state\t\tAl Shabab\tc"],
                     r"line 4: 'Al Shabab' would name both 'A' \(line 3\) and 'B'",
                     id="alias-of-two"),
        pytest.param(["A\tnon_state\t\tB\tc", "B\tnon_state\t\t\tc"], r"would name both",
                     id="alias-is-another-canonical"),
        pytest.param(["A\trebels\t\t\tc"], r"line 3: kind must be one of", id="kind"),
        pytest.param(["A\tnon_state\tSDN\t\tc"], r"ISO 3166-1 alpha-2", id="country"),
        pytest.param(["A\tnon_state\t\tx||y\tc"], r"an alias is empty", id="empty-alias"),
        pytest.param(["A\tnon_state\t\tc"], r"expected 5 tab-separated columns", id="columns"),
    ],
)  # fmt: skip
def test_malformed_files_are_refused_with_the_line(tmp_path, rows, message):
    with pytest.raises(ValidationError, match=message) as err:
        read_actors(_write(tmp_path, *rows))
    assert "actors.tsv" in str(err.value)


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "actors.tsv"
    path.write_text("name\tkind\n", "utf-8")
    with pytest.raises(ValidationError, match="the header must be"):
        read_actors(path)
