"""Issue 13 item 4: corrections made over HTTP are not undone by the next ingest.

A PATCH or PUT records which fields the analyst changed (``edited_fields``, stored and
exported); automatic extraction then updates only what nobody edited.
"""

import csv
import io
import json
import shutil

import pytest

from geo.common.paths import DEMO_ARTICLES
from geo.events.model import Event
from geo.events.protection import keep_edits, mark_edits
from geo.pipeline.ingest import ingest_paths

ITEMS = "/collections/events/items"


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    """The demo articles, and the same articles with one line of each changed."""
    same = tmp_path_factory.mktemp("demo")
    changed = tmp_path_factory.mktemp("demo-changed")
    for path in sorted(DEMO_ARTICLES.iterdir()):
        shutil.copy(path, same / path.name)
        if path.suffix == ".txt":
            lines = path.read_text("utf-8").splitlines(keepends=True)
            lines[-1] = lines[-1].rstrip("\n") + " This report was updated.\n"
            (changed / path.name).write_text("".join(lines), "utf-8")
        else:
            shutil.copy(path, changed / path.name)
    return same, changed


def test_patched_summaries_survive_reingesting_the_changed_articles(client, store, auth, demo_copy):
    same, changed = demo_copy
    first = ingest_paths(store, [same])
    assert not first.failed and store.count() >= 10
    before = {e.event_id: e for e in store.query()}
    for n, event_id in enumerate(sorted(before)):
        resp = client.patch(
            f"{ITEMS}/{event_id}", json={"summary": f"Analyst wording {n}."}, headers=auth
        )
        assert resp.status_code == 200
        assert resp.get_json()["properties"]["edited_fields"] == ["summary"]
    report = ingest_paths(store, [changed])
    assert not report.failed and report.events_updated > 0
    after = {e.event_id: e for e in store.query()}
    kept = [after[eid].summary == f"Analyst wording {n}." for n, eid in enumerate(sorted(before))]
    assert all(kept), f"{kept.count(False)} of {len(kept)} edited summaries were regenerated"
    # extraction still updated what nobody edited: the changed articles are new sources
    grew = [eid for eid in before if len(after[eid].sources) > len(before[eid].sources)]
    assert grew
    assert all(after[eid].edited_fields == ("summary",) for eid in before)


def test_a_put_marks_the_fields_it_changes_and_an_empty_list_hands_them_back(client, store, auth):
    event = Event.from_dict(
        {"event_id": "ev-1", "event_type": "attack", "date_start": "2024-10-09",
         "summary": "Extracted", "extraction": "automatic:rules-1", "latitude": 51.5,
         "longitude": 35.2, "location_name": "Sudzha"}
    )  # fmt: skip
    store.put_events([event])
    body = event.to_dict() | {"latitude": 51.6, "notes": "moved after checking imagery"}
    body.pop("updated_at")
    resp = client.put(f"{ITEMS}/ev-1", json=body, headers=auth)
    assert resp.get_json()["properties"]["edited_fields"] == ["latitude", "notes"]
    # extraction moves the event back and rewrites the summary: only the summary changes
    auto = event.replace(latitude=51.5, longitude=35.3, summary="Extracted again")
    store.put_events([auto])
    stored = store.get("ev-1")
    assert (stored.latitude, stored.longitude) == (51.6, 35.2)  # the place stays whole
    assert stored.summary == "Extracted again" and stored.notes == "moved after checking imagery"
    resp = client.patch(f"{ITEMS}/ev-1", json={"edited_fields": []}, headers=auth)
    assert resp.get_json()["properties"]["edited_fields"] == []
    store.put_events([auto])
    assert store.get("ev-1").latitude == 51.5


def test_edited_fields_are_in_the_stored_json_and_the_exports(client, store, auth):
    client.post(
        ITEMS,
        json={"event_id": "ev-a", "event_type": "attack", "date_start": "2024-10-09",
              "summary": "Written by an analyst"},
        headers=auth,
    )  # fmt: skip
    created = store.get("ev-a")
    assert "summary" in created.edited_fields and "event_type" in created.edited_fields
    geojson = json.loads(client.get(f"{ITEMS}?f=geojson").get_data())
    assert "summary" in geojson["features"][0]["properties"]["edited_fields"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"{ITEMS}?f=csv").get_data(as_text=True))))
    assert "summary" in rows[0]["edited_fields"].split("|")


def test_edited_fields_name_only_editable_fields(client, store, auth):
    for value in (["event_id"], ["nope"], "updated_at", [1]):
        resp = client.post(
            ITEMS,
            json={"event_type": "attack", "date_start": "2024-10-09", "edited_fields": value},
            headers=auth,
        )
        assert resp.status_code == 400 and resp.get_json()["field"] == "edited_fields"


def test_keep_edits_is_the_rule_the_store_applies():
    auto = Event.from_dict({"event_type": "attack", "date_start": "2024-10-09",
                            "date_end": "2024-10-10", "summary": "Extracted"})  # fmt: skip
    edited = mark_edits(auto, auto.replace(date_end=auto.date_start, summary="Analyst"))
    assert edited.edited_fields == ("date_end", "summary")
    later = keep_edits(edited, auto.replace(date_precision="range", summary="New text"))
    assert (later.summary, later.date_end, later.date_precision) == (
        "Analyst",
        auto.date_start,
        "day",  # the dates are kept as a group
    )
