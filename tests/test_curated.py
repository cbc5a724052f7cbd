"""Tests of the curated-events file: validation, additions, corrections, deletions, protection."""

import json
import re

import pytest

from geo.events.model import Event
from geo.exc import ValidationError
from geo.pipeline.curated import (
    CURATED_FILE,
    apply_curated,
    is_protected,
    load_curated,
    merge_allowed,
)
from geo.store.sqlite.store import SQLiteStore


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "store.sqlite")
    yield s
    s.close()


def auto_event(event_id, **kw):
    data = {
        "event_id": event_id,
        "event_type": "attack",
        "date_start": "2024-05-10",
        "location_name": "Automatic Place",
        "latitude": 49.0,
        "longitude": 36.0,
        "extraction": "rules-v1",
        "sources": [{"source_id": "art-9", "publisher": "Outlet", "quote": "q"}],
    }
    data.update(kw)
    return Event.from_dict(data)


def write(tmp_path, text, name="curated.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_file_is_valid_and_holds_no_events():
    assert CURATED_FILE.is_file()
    assert load_curated(CURATED_FILE) == []


def test_committed_examples_are_valid_when_uncommented(tmp_path, store):
    """The commented examples in data/curated/events.yaml work as documented."""
    lines = CURATED_FILE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"# - ", line))
    body = "\n".join(line[2:] for line in lines[start:] if line.startswith("# ") or line == "#")
    path = write(tmp_path, body)
    store.put_events([auto_event("ev-0123456789ab"), auto_event("ev-ba9876543210")])
    result = apply_curated(store, path, by="tester")
    assert result.corrected == ["ev-0123456789ab"]
    assert len(result.added) == 1 and result.deleted == ["ev-ba9876543210"]
    corrected = store.get("ev-0123456789ab")
    assert corrected.geo_precision == "admin1" and corrected.status == "reviewed"
    assert corrected.sources == auto_event("x").sources  # fields not listed are kept


def test_add_correct_delete_and_reapply(tmp_path, store):
    store.put_events([auto_event("ev-a"), auto_event("ev-b"), auto_event("ev-c")])
    path = write(
        tmp_path,
        """
- event_id: ev-a
  location_name: Corrected Place
  geo_precision: admin1
  latitude: 50.5
  longitude: 35.5
  summary: null
  status: reviewed
- event_type: capture
  date_start: 2024-06-01
  location_name: New Place
  latitude: 48.0
  longitude: 37.0
  status: reviewed
- event_id: ev-b
  deleted: true
  reason: not an event, a commentary
- event_id: ev-missing
  deleted: true
  reason: spurious
""",
    )
    result = apply_curated(store, path, by="ana")
    assert result.corrected == ["ev-a"] and len(result.added) == 1
    assert result.deleted == ["ev-b"] and result.not_found == ["ev-missing"]
    a = store.get("ev-a")
    assert a.location_name == "Corrected Place" and a.latitude == 50.5
    assert a.summary is None and a.status == "reviewed"
    assert a.sources == auto_event("ev-a").sources and a.extraction == "rules-v1"
    added = store.get(result.added[0])
    assert added.event_type == "capture" and added.status == "reviewed"
    assert store.get("ev-b") is None
    (deletion,) = store.deletions()
    assert deletion["by"] == "ana" and deletion["reason"] == "not an event, a commentary"
    assert deletion["event"]["location_name"] == "Automatic Place"

    assert result.unreviewed == []
    stamp = store.data_as_of()
    again = apply_curated(store, path, by="ana")
    assert again.added == [] and again.corrected == [] and again.deleted == []
    assert sorted(again.unchanged) == sorted(["ev-a", *result.added])
    assert again.already_deleted == ["ev-b"]
    assert store.data_as_of() == stamp
    assert len(store.deletions()) == 1


def test_reviewed_events_survive_automatic_extraction(tmp_path, store):
    store.put_events([auto_event("ev-a"), auto_event("ev-b")])
    path = write(
        tmp_path,
        "- event_id: ev-a\n  location_name: Analyst Place\n  status: reviewed\n"
        "- event_id: ev-b\n  deleted: true\n  reason: duplicate\n",
    )
    apply_curated(store, path)
    # The pipeline runs again and produces its original versions.
    result = store.put_events([auto_event("ev-a"), auto_event("ev-b"), auto_event("ev-c")])
    assert set(result.protected) == {"ev-a", "ev-b"}
    assert store.get("ev-a").location_name == "Analyst Place"
    assert store.get("ev-b") is None
    assert store.get("ev-c") is not None
    assert is_protected(store.get("ev-a")) and not is_protected(store.get("ev-c"))


def test_merge_allowed_rule():
    auto = auto_event("x")
    reviewed = auto.replace(status="reviewed")
    assert merge_allowed(None, auto)
    assert merge_allowed(auto, auto.replace(summary="new"))
    assert not merge_allowed(reviewed, auto)
    assert merge_allowed(reviewed, reviewed.replace(summary="analyst again"))
    assert not merge_allowed(auto, auto, deleted=True)
    assert merge_allowed(auto, reviewed, deleted=True)


def test_geojson_curated_file(tmp_path, store):
    store.put_events([auto_event("ev-area")])
    area = {"type": "Polygon", "coordinates": [[[34, 50], [38, 50], [38, 52], [34, 52], [34, 50]]]}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "ev-area",
                "geometry": area,
                "properties": {"geo_precision": "admin1", "status": "reviewed"},
            },
            {
                "type": "Feature",
                "id": "ev-new",
                "geometry": {"type": "Point", "coordinates": [30.5, 50.4]},
                "properties": {"event_type": "statement", "date_start": "2024-07-01"},
            },
        ],
    }
    path = write(tmp_path, json.dumps(collection), "edits.geojson")
    result = apply_curated(store, path)
    assert result.corrected == ["ev-area"] and result.added == ["ev-new"]
    assert store.get("ev-area").geometry == area
    assert store.get("ev-area").latitude == 49.0  # the representative point is kept
    new = store.get("ev-new")
    assert (new.longitude, new.latitude) == (30.5, 50.4)


@pytest.mark.parametrize(
    ("text", "match", "field"),
    [
        pytest.param(
            "- event_type: attack\n  date_start: 2024-01-01\n  sumary: typo\n",
            r"curated\.yaml: record 0: field 'sumary': unknown field 'sumary' "
            r"\(did you mean 'summary'\?\)",
            "sumary",
            id="unknown-field",
        ),
        pytest.param(
            "- event_type: attack\n  date_start: 2024-01-01\n"
            "- event_id: ev-x\n  event_type: attack\n  date_start: 2025-02-30\n",
            r"record 1 \(event_id 'ev-x'\): field 'date_start'.*'2025-02-30'",
            "date_start",
            id="impossible-date",
        ),
        pytest.param(
            "- event_id: ev-new\n  summary: only a summary\n",
            r"record 0 \(event_id 'ev-new'\): field 'event_type'",
            "event_type",
            id="new-event-incomplete",
        ),
        pytest.param(
            "- event_id: ev-a\n  deleted: true\n",
            r"record 0 \(event_id 'ev-a'\): field 'reason': a deletion needs a non-empty reason",
            "reason",
            id="deletion-without-reason",
        ),
        pytest.param(
            "- event_id: ev-a\n  deleted: yes please\n  reason: x\n",
            r"deleted must be true or false",
            "deleted",
            id="deleted-not-bool",
        ),
        pytest.param(
            "- event_id: ev-a\n  status: reviewed\n- event_id: ev-a\n  status: claimed\n",
            r"record 1 \(event_id 'ev-a'\): field 'event_id': .*already appears in record 0",
            "event_id",
            id="duplicate-id",
        ),
        pytest.param(
            "- event_id: ev-a\n  latitude: 95\n",
            r"field 'latitude': latitude must be in \[-90, 90\]",
            "latitude",
            id="latitude-range",
        ),
        pytest.param("- just a string\n", r"record 0: expected a mapping", "record", id="scalar"),
    ],
)
def test_bad_records_name_file_record_and_field(tmp_path, store, text, match, field):
    store.put_events([auto_event("ev-a")])
    path = write(tmp_path, text)
    with pytest.raises(ValidationError, match=match) as info:
        apply_curated(store, path)
    assert "curated.yaml" in str(info.value)
    assert info.value.field == field


def test_one_bad_record_means_nothing_is_applied(tmp_path, store):
    store.put_events([auto_event("ev-a"), auto_event("ev-b")])
    before = list(store.query())
    stamp = store.data_as_of()
    path = write(
        tmp_path,
        "- event_id: ev-a\n  summary: changed\n  status: reviewed\n"
        "- event_id: ev-b\n  deleted: true\n  reason: gone\n"
        "- event_type: attack\n  date_start: 2024-01-01\n"
        "- event_type: attack\n  date_start: 2024-13-01\n",
    )
    with pytest.raises(ValidationError, match=r"record 3: field 'date_start'"):
        apply_curated(store, path)
    assert list(store.query()) == before
    assert store.deletions() == [] and store.data_as_of() == stamp


def test_unreviewed_corrections_are_reported(tmp_path, store):
    store.put_events([auto_event("ev-a")])
    path = write(tmp_path, "- event_id: ev-a\n  summary: corrected but not reviewed\n")
    result = apply_curated(store, path)
    assert result.corrected == ["ev-a"] and result.unreviewed == ["ev-a"]
    # Which is why it matters: the next automatic run replaces the correction.
    store.put_events([auto_event("ev-a")])
    assert store.get("ev-a").summary is None


def test_listing_a_deleted_event_restores_it(tmp_path, store):
    store.put_events([auto_event("ev-a", summary="original")])
    store.delete_event("ev-a", reason="mistake", by="ana")
    path = write(tmp_path, "- event_id: ev-a\n  status: reviewed\n")
    result = apply_curated(store, path)
    assert result.corrected == ["ev-a"]
    restored = store.get("ev-a")
    assert restored.summary == "original" and restored.status == "reviewed"
    assert len(store.deletions()) == 1  # the deletion stays in the log
