"""Writes over HTTP behind tokens: create, replace, patch, review, delete, upload articles."""

import tempfile

import pytest

from geo.events.model import Event

ITEMS = "/collections/events/items"


def _body(**kw):
    data = {
        "event_type": "capture",
        "date_start": "2024-10-09",
        "latitude": 51.5,
        "longitude": 35.2,
        "location_name": "Sudzha",
        "summary": "Village captured",
        "sources": [{"source_id": "s1", "publisher": "Outlet", "quote": "took the village"}],
    }
    data.update(kw)
    return data


@pytest.fixture
def token(store):
    return store.create_token("analyst")


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def stored(store):
    event = Event.from_dict(_body(event_id="ev-1"))
    store.put_events([event])
    return event


@pytest.mark.parametrize(
    "method, url",
    [
        pytest.param("post", ITEMS, id="create"),
        pytest.param("put", ITEMS + "/ev-1", id="replace"),
        pytest.param("patch", ITEMS + "/ev-1", id="patch"),
        pytest.param("post", ITEMS + "/ev-1/review", id="review"),
        pytest.param("delete", ITEMS + "/ev-1?reason=dup", id="delete"),
        pytest.param("post", "/api/articles", id="article"),
    ],
)
@pytest.mark.parametrize(
    "headers, words",
    [
        pytest.param({}, "needs an API token", id="no-token"),
        pytest.param({"Authorization": "Bearer not-a-token"}, "not valid", id="bad-token"),
        pytest.param({"Authorization": "Basic YTpi"}, "another form", id="basic"),
    ],
)
def test_writes_need_a_valid_token_and_store_nothing_without_one(
    client, store, stored, token, method, url, headers, words
):
    before = (store.count(), store.get("ev-1"), store.data_as_of())
    resp = getattr(client, method)(url, json=_body(summary="changed"), headers=headers)
    assert resp.status_code == 401
    body = resp.get_json()
    assert body["ok"] is False and body["field"] == "Authorization" and words in body["error"]
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert (store.count(), store.get("ev-1"), store.data_as_of()) == before


def test_reads_stay_public(client, stored):
    assert client.get(ITEMS).status_code == 200
    assert client.get(ITEMS + "/ev-1").status_code == 200


def test_create_an_event(client, store, auth):
    resp = client.post(ITEMS, json=_body(), headers=auth)
    assert resp.status_code == 201, resp.get_json()
    feature = resp.get_json()
    event_id = feature["id"]
    assert resp.headers["Location"].endswith(f"{ITEMS}/{event_id}")
    stored = store.get(event_id)
    assert stored.summary == "Village captured" and stored.updated_at
    assert client.get(f"{ITEMS}/{event_id}").get_json()["properties"]["location_name"] == "Sudzha"
    again = client.post(ITEMS, json=_body(), headers=auth)
    assert again.status_code == 409 and again.get_json()["field"] == "event_id"
    assert store.count() == 1


def test_create_from_a_geojson_feature_collection_in_one_transaction(client, store, auth):
    features = [
        {
            "type": "Feature",
            "id": f"f{i}",
            "geometry": {"type": "Point", "coordinates": [35.0 + i, 51.0]},
            "properties": {"event_type": "attack", "date_start": "2024-11-0" + str(i + 1)},
        }
        for i in range(3)
    ]
    resp = client.post(ITEMS, json={"type": "FeatureCollection", "features": features},
                       headers=auth)  # fmt: skip
    assert resp.status_code == 201
    assert resp.get_json() == {"ok": True, "created": ["f0", "f1", "f2"]}
    assert store.get("f2").longitude == 37.0


@pytest.mark.parametrize(
    "payload, field, words",
    [
        pytest.param(_body(latitude=95), "latitude", "95", id="lat-95"),
        pytest.param(_body(event_type="tank_battle"), "event_type", "tank_battle", id="type"),
        pytest.param(_body(date_start="yesterday"), "date_start", "yesterday", id="date"),
        pytest.param(_body(date_end="2024-01-01"), "date_end", "before", id="end-before-start"),
        pytest.param([_body(event_id="ok-1"), _body(event_id="bad", longitude=-400)], "longitude",
                     "event 1", id="batch-one-bad"),
        pytest.param([_body(event_id="same"), _body(event_id="same")], "event_id", "repeats",
                     id="batch-duplicate-ids"),
        pytest.param("just a string", "body", "str", id="not-an-object"),
        pytest.param([], "body", "no event", id="empty-list"),
    ],
)  # fmt: skip
def test_bad_events_are_refused_and_nothing_is_stored(client, store, auth, payload, field, words):
    resp = client.post(ITEMS, json=payload, headers=auth)
    assert resp.status_code in (400, 409)
    body = resp.get_json()
    assert body["field"] == field and words in body["error"], body
    assert store.count() == 0 and store.data_as_of() is None


def test_malformed_json_is_a_400(client, store, auth):
    resp = client.post(
        ITEMS, data=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert resp.status_code == 400 and resp.get_json()["field"] == "body"
    assert store.count() == 0


def test_front_lines_collection_is_read_only_and_front_line_events_go_to_events(
    client, store, auth
):
    resp = client.post("/collections/front_lines/items", json=_body(event_type="front_line"),
                       headers=auth)  # fmt: skip
    assert resp.status_code == 405 and resp.get_json()["field"] == "collectionId"
    assert "conflictmap frontlines import" in resp.get_json()["error"]
    assert store.count() == 0
    ok = client.post(ITEMS, json=_body(event_type="front_line"), headers=auth)
    assert ok.status_code == 201
    assert "/collections/events/items/" in ok.headers["Location"]


def test_replace_an_event(client, store, stored, auth):
    resp = client.put(f"{ITEMS}/ev-1", json=_body(summary="Village retaken", status="reviewed"),
                      headers=auth)  # fmt: skip
    assert resp.status_code == 200
    assert store.get("ev-1").summary == "Village retaken"
    assert store.get("ev-1").status == "reviewed"
    other = client.put(f"{ITEMS}/ev-1", json=_body(event_id="ev-2"), headers=auth)
    assert other.status_code == 400 and other.get_json()["field"] == "event_id"
    missing = client.put(f"{ITEMS}/ev-9", json=_body(), headers=auth)
    assert missing.status_code == 404 and store.get("ev-9") is None


def test_patch_changes_only_the_given_fields(client, store, stored, auth):
    resp = client.patch(f"{ITEMS}/ev-1", json={"summary": "Corrected", "actor2": None},
                        headers=auth)  # fmt: skip
    assert resp.status_code == 200
    event = store.get("ev-1")
    assert event.summary == "Corrected"
    assert event.location_name == "Sudzha" and event.sources == stored.sources


@pytest.mark.parametrize(
    "patch, field",
    [
        pytest.param({"latitude": 95}, "latitude", id="lat-95"),
        pytest.param({"event_id": "other"}, "event_id", id="id-change"),
        pytest.param({"colour": "red"}, "colour", id="unknown-field"),
        pytest.param({"date_start": "2025-02-30"}, "date_start", id="no-such-day"),
    ],
)
def test_bad_patch_leaves_the_event_unchanged(client, store, stored, auth, patch, field):
    before = store.get("ev-1")
    resp = client.patch(f"{ITEMS}/ev-1", json=patch, headers=auth)
    assert resp.status_code == 400 and resp.get_json()["field"] == field
    assert store.get("ev-1") == before


def test_review_marks_the_event_reviewed(client, store, stored, auth):
    resp = client.post(f"{ITEMS}/ev-1/review", json={"notes": "Checked against imagery"},
                       headers=auth)  # fmt: skip
    assert resp.status_code == 200
    assert resp.get_json()["properties"]["status"] == "reviewed"
    event = store.get("ev-1")
    assert event.status == "reviewed" and event.notes == "Checked against imagery"
    assert client.post(f"{ITEMS}/nope/review", headers=auth).status_code == 404


def test_delete_records_who_and_why(client, store, stored, auth):
    no_reason = client.delete(f"{ITEMS}/ev-1", headers=auth)
    assert no_reason.status_code == 400 and no_reason.get_json()["field"] == "reason"
    assert store.get("ev-1") is not None
    resp = client.delete(f"{ITEMS}/ev-1", json={"reason": "duplicate of ev-7"}, headers=auth)
    assert resp.status_code == 200
    assert store.get("ev-1") is None
    record = store.deletions()[-1]
    assert (record["event_id"], record["reason"], record["by"]) == (
        "ev-1", "duplicate of ev-7", "analyst",
    )  # fmt: skip
    assert record["event"]["summary"] == "Village captured"
    assert client.get(f"{ITEMS}/ev-1").status_code == 404
    assert client.delete(f"{ITEMS}/ev-1?reason=again", headers=auth).status_code == 404


def test_article_upload_is_validated_before_ingestion(client, store, auth):
    empty = client.post("/api/articles", data=b"   ", headers=auth)
    assert empty.status_code == 400 and empty.get_json()["field"] == "file"
    binary = client.post("/api/articles", data=b"\xff\xfe\x00bad", headers=auth)
    assert binary.status_code == 400 and "UTF-8" in binary.get_json()["error"]
    no_text = client.post("/api/articles", json={"title": "x"}, headers=auth)
    assert no_text.status_code == 400 and no_text.get_json()["field"] == "text"
    assert store.articles() == [] and store.count() == 0


def test_article_upload_ingests_through_the_pipeline(client, store, auth):
    text = (
        "KYIV, Ukraine — Ukrainian forces said on January 9, 2025 that they captured two "
        "North Korean soldiers in Russia's Kursk region, the SBU security service reported."
    )
    resp = client.post("/api/articles?filename=../../etc/passwd.txt", data=text.encode(),
                       headers={**auth, "Content-Type": "text/plain"})  # fmt: skip
    try:
        import geo.pipeline.ingest  # noqa: F401
    except ImportError:
        assert resp.status_code == 503 and "pipeline" in resp.get_json()["error"]
        return
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["ok"] is True and len(body["articles"]) == 1
    assert len(store.articles()) == 1


def test_article_upload_failure_names_the_article_not_the_server_path(client, store, auth):
    text = "---\npublished_at: 2025-02-30\n---\nTroops were deployed to Kursk on January 9.\n"
    resp = client.post("/api/articles?filename=report.md", data=text.encode(),
                       headers={**auth, "Content-Type": "text/plain"})  # fmt: skip
    try:
        import geo.pipeline.ingest  # noqa: F401
    except ImportError:
        return
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert "'report.md'" in error and "2025-02-30" in error
    assert "conflictmap-upload-" not in error and tempfile.gettempdir() not in error
    assert store.articles() == [] and store.count() == 0


def test_concurrent_creates_of_one_id_give_one_201(app, store, auth):
    """The existence check and the write share the store's write lock."""
    import threading

    rounds, clients = 15, 6
    codes = {i: [] for i in range(rounds)}
    barrier = threading.Barrier(clients)

    def worker():
        client = app.test_client()
        for i in range(rounds):
            barrier.wait()
            resp = client.post(ITEMS, json=_body(event_id=f"race-{i}"), headers=auth)
            codes[i].append(resp.status_code)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(rounds):
        assert sorted(codes[i]) == [201] + [409] * (clients - 1), (i, codes[i])
    assert store.count() == rounds


def test_concurrent_patches_of_other_fields_lose_no_change(app, store, auth, stored):
    """A PATCH reads and writes the event under the write lock: no field change is lost."""
    import threading

    fields = ("summary", "notes", "actor2", "claimed_by")
    barrier = threading.Barrier(len(fields))

    def worker(field):
        client = app.test_client()
        for j in range(10):
            barrier.wait()
            resp = client.patch(f"{ITEMS}/ev-1", json={field: f"{field} {j}"}, headers=auth)
            assert resp.status_code == 200, resp.get_json()

    threads = [threading.Thread(target=worker, args=(f,)) for f in fields]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    event = store.get("ev-1")
    assert {f: getattr(event, f) for f in fields} == {f: f"{f} 9" for f in fields}


def test_token_cli_creates_lists_and_revokes(runner, client, store):
    created = runner.invoke(["token", "create", "editor"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert len(secret) >= 32
    listed = runner.invoke(["token", "list"])
    assert "editor" in listed.stdout and secret not in listed.stdout
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.post(ITEMS, json=_body(), headers=headers).status_code == 201
    assert runner.invoke(["token", "revoke", "editor"]).exit_code == 0
    assert (
        client.post(ITEMS, json=_body(date_start="2024-10-10"), headers=headers).status_code == 401
    )
    bad = runner.invoke(["token", "create", "  "])
    assert bad.exit_code != 0 and "name" in bad.output
