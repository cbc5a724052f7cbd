"""Authenticated writes: create, replace, patch, review and delete events; upload articles."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from flask import Blueprint, g, jsonify, request

from geo.common.excerpt import excerpt
from geo.events.model import Event
from geo.events.protection import mark_edits
from geo.exc import ValidationError
from webapp.api import COLLECTIONS, GEOJSON, GEOMETRY_COLLECTIONS
from webapp.auth import require_token
from webapp.errors import ApiError
from webapp.limits import json_body
from webapp.params import Context, Limits, Param, parse_args
from webapp.store import get_store

__all__ = [
    "DELETE_PARAMETERS",
    "bp",
    "create_items",
    "delete_item",
    "patch_item",
    "replace_item",
    "review_item",
    "upload_article",
]

#: The write routes (registered by ``webapp.create_app``).
bp = Blueprint("writes", __name__)
_ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".json")


def _reason(value, ctx):
    if not value.strip() or len(value) > 2000:
        raise ApiError(
            400, f"reason must be 1 to 2000 characters saying why; got {excerpt(value)}", "reason"
        )
    return value.strip()


#: ``DELETE /collections/{collectionId}/items/{featureId}`` (the reason may also be in the body).
DELETE_PARAMETERS = (
    Param(
        "reason",
        "Why the event is deleted (recorded with the token's name); or in a JSON body.",
        lambda limits, formats: {"type": "string", "minLength": 1, "maxLength": 2000},
        _reason,
    ),
)


def _json_body(*, kinds=(dict,)):
    data = json_body(request)
    if data is None:
        raw = request.get_data(cache=True)
        got = "an empty body" if not raw else excerpt(raw)
        raise ApiError(400, f"The request body must be JSON; got {got}.", "body")
    if not isinstance(data, kinds):
        names = " or ".join("an object" if k is dict else "a list" for k in kinds)
        raise ApiError(400, f"The request body must be {names}; got {type(data).__name__}.", "body")
    return data


def _event_from(data, *, where=""):
    try:
        return Event.from_dict(data)
    except ValidationError as err:
        prefix = f"{where}: " if where else ""
        raise ApiError(400, f"{prefix}{err}", getattr(err, "field", None)) from err


def _collection(collection_id):
    if collection_id in GEOMETRY_COLLECTIONS:
        raise ApiError(
            405,
            f"collection {collection_id!r} is read-only over HTTP; import dated front lines "
            "with `conflictmap frontlines import FILE --date YYYY-MM-DD`, and write front-line "
            "events to the 'events' collection",
            "collectionId",
        )
    if collection_id not in COLLECTIONS:
        raise ApiError(
            404,
            f"collection {collection_id!r} does not exist; expected one of "
            f"{', '.join(COLLECTIONS)}",
            "collectionId",
        )
    return COLLECTIONS[collection_id][2]


def _check_type(event, types, collection_id):
    if types is not None and event.event_type not in types:
        raise ApiError(
            400,
            f"event_type must be one of {', '.join(types)} in collection {collection_id!r}; "
            f"got {event.event_type!r}",
            "event_type",
        )


def _feature_response(event, status=200):
    from flask import url_for

    resp = jsonify(event.to_feature())
    resp.status_code = status
    resp.mimetype = GEOJSON
    collection_id = request.view_args.get("collection_id", "events")
    resp.headers["Location"] = url_for(
        "api.item", collection_id=collection_id, item_id=event.event_id, _external=True
    )
    return resp


def _existing(item_id, types, collection_id):
    event = get_store().get(item_id)
    if event is None or (types is not None and event.event_type not in types):
        raise ApiError(
            404, f"no event with id {item_id!r} in collection {collection_id!r}", "featureId"
        )
    return event


@bp.post("/collections/<collection_id>/items")
@require_token
def create_items(collection_id):
    """Create events from a JSON event, a GeoJSON Feature, a FeatureCollection or a list.

    Every event is validated by ``Event.from_dict`` before anything is written, and all are
    stored in one transaction; an id that already exists is a 409 (use PUT or PATCH).
    """
    types = _collection(collection_id)
    data = _json_body(kinds=(dict, list))
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        data = data.get("features")
        if not isinstance(data, list):
            raise ApiError(400, "A FeatureCollection needs a 'features' list.", "features")
    many = isinstance(data, list)
    records = data if many else [data]
    if not records:
        raise ApiError(400, "The request body holds no event; expected at least one.", "body")
    events, seen = [], set()
    store = get_store()
    for i, record in enumerate(records):
        event = _event_from(record, where=f"event {i}" if many else "")
        if not event.edited_fields:  # what the analyst wrote is an analyst's: extraction keeps it
            event = mark_edits(None, event)
        _check_type(event, types, collection_id)
        if event.event_id in seen:
            raise ApiError(409, f"event {i} repeats event_id {event.event_id!r}", "event_id")
        seen.add(event.event_id)
        events.append(event)

    # Checked and written as one atomic unit (SQLite's write lock, or a serializable
    # PostgreSQL transaction run again after a conflict): of two clients creating one id,
    # the second gets the 409.
    def create():
        for event in events:
            if store.get(event.event_id) is not None:
                raise ApiError(
                    409,
                    f"an event with event_id {event.event_id!r} already exists (same id, or "
                    "the same type, start date and place); correct it with PUT or PATCH",
                    "event_id",
                )
        store.put_events(events, overwrite_reviewed=True)

    store.atomic(create)
    stored = [store.get(e.event_id) or e for e in events]
    if not many:
        return _feature_response(stored[0], 201)
    resp = jsonify({"ok": True, "created": [e.event_id for e in stored]})
    resp.status_code = 201
    return resp


@bp.put("/collections/<collection_id>/items/<item_id>")
@require_token
def replace_item(collection_id, item_id):
    """Replace an event with the JSON event or Feature in the body (same id)."""
    types = _collection(collection_id)
    _existing(item_id, types, collection_id)
    data = _json_body()
    body_id = data.get("id") if data.get("type") == "Feature" else data.get("event_id")
    if body_id not in (None, "", item_id):
        raise ApiError(
            400,
            f"event_id in the body must be {item_id!r} (the URL's id); got {body_id!r}",
            "event_id",
        )
    data = dict(data)
    if data.get("type") == "Feature":
        data["id"] = item_id
    else:
        data["event_id"] = item_id
    event = _event_from(data)
    _check_type(event, types, collection_id)
    store = get_store()

    def replace():  # not deleted meanwhile
        nonlocal event
        current = _existing(item_id, types, collection_id)
        # a body that sends back the stored edited_fields (GET, change, PUT) sets nothing
        if event.edited_fields == current.edited_fields:
            event = mark_edits(current, event)
        store.put_events([event], overwrite_reviewed=True)

    store.atomic(replace)
    return _feature_response(store.get(item_id) or event)


@bp.patch("/collections/<collection_id>/items/<item_id>")
@require_token
def patch_item(collection_id, item_id):
    """Change some fields of an event (JSON merge patch of its properties; null clears)."""
    # read, change, write as one unit: no other write in between
    return get_store().atomic(lambda: _patch(collection_id, item_id))


def _patch(collection_id, item_id):
    types = _collection(collection_id)
    current = _existing(item_id, types, collection_id)
    patch = _json_body()
    if patch.get("type") == "Feature":
        props = dict(patch.get("properties") or {})
        if "geometry" in patch:
            props["geometry"] = patch["geometry"]
        patch = props
    if patch.get("event_id") not in (None, item_id):
        raise ApiError(
            400, f"event_id cannot change; got {patch['event_id']!r} for {item_id!r}", "event_id"
        )
    data = current.to_dict()
    unknown = sorted(set(patch) - set(data))
    if unknown:
        raise ApiError(
            400,
            f"unknown event field {unknown[0]!r}; expected one of {', '.join(data)}",
            unknown[0],
        )
    data.update(patch)
    data["event_id"] = item_id
    data.pop("updated_at", None)
    event = _event_from(data)
    if "edited_fields" not in patch:
        event = mark_edits(current, event, fields=patch)
    _check_type(event, types, collection_id)
    store = get_store()
    store.put_events([event], overwrite_reviewed=True)
    return _feature_response(store.get(item_id) or event)


@bp.post("/collections/<collection_id>/items/<item_id>/review")
@require_token
def review_item(collection_id, item_id):
    """Mark an event as reviewed by an analyst (optional JSON body: ``{"notes": "..."}``)."""
    # read, change, write as one unit: no other write in between
    return get_store().atomic(lambda: _review(collection_id, item_id))


def _review(collection_id, item_id):
    types = _collection(collection_id)
    current = _existing(item_id, types, collection_id)
    notes = current.notes
    if request.get_data(cache=True).strip():
        body = _json_body()
        if body.get("notes") is not None:
            if not isinstance(body["notes"], str):
                raise ApiError(400, f"notes must be a string; got {body['notes']!r}", "notes")
            notes = body["notes"]
    data = current.to_dict()
    data.update(status="reviewed", notes=notes)
    data.pop("updated_at", None)
    event = _event_from(data)
    store = get_store()
    store.put_events([event], overwrite_reviewed=True)
    return _feature_response(store.get(item_id) or event)


@bp.delete("/collections/<collection_id>/items/<item_id>")
@require_token
def delete_item(collection_id, item_id):
    """Delete an event, recording who deleted it and why (``reason`` in the body or query)."""
    types = _collection(collection_id)
    _existing(item_id, types, collection_id)
    reason = parse_args(request.args, DELETE_PARAMETERS, Context(Limits())).get("reason")
    if reason is None and request.get_data(cache=True).strip():
        reason = _json_body().get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ApiError(
            400,
            f'A deletion needs a reason (JSON body {{"reason": "..."}} or ?reason=); '
            f"got {excerpt(reason)}",
            "reason",
        )
    get_store().delete_event(item_id, reason=reason.strip(), by=g.token_name)
    return jsonify({"ok": True, "deleted": item_id, "reason": reason.strip(), "by": g.token_name})


def _article_upload():
    """Return ``(filename, text)`` from a multipart file, a JSON object or a raw text body."""
    if request.files:
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(400, "A multipart upload must carry the article as 'file'.", "file")
        name, raw = upload.filename or "article.txt", upload.read()
    elif request.mimetype in ("application/json",):
        body = _json_body()
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, f"text must be the article's text; got {text!r:.60}", "text")
        name, raw = body.get("filename") or "article.txt", text.encode("utf-8")
        if not isinstance(name, str):
            raise ApiError(400, f"filename must be a string; got {name!r}", "filename")
    else:
        name, raw = request.args.get("filename") or "article.txt", request.get_data()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ApiError(
            400, f"The article must be UTF-8 text; byte {err.start} is not.", "file"
        ) from None
    if not text.strip():
        raise ApiError(400, "The article is empty; expected its text.", "file")
    return name, text


def _safe_name(name):
    stem = Path(name.replace("\\", "/")).name
    suffix = Path(stem).suffix.lower()
    if suffix not in _ARTICLE_SUFFIXES:
        suffix = ".txt"
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(stem).stem).strip("._") or "article"
    return base[:80] + suffix


@bp.post("/api/articles")
@require_token
def upload_article():
    """Ingest one uploaded article (geoparse, extract and merge its events into the store).

    The body is the article: a multipart ``file``, a JSON ``{"text", "filename"}`` or the raw
    UTF-8 text (``?filename=`` names it). Answers 201 with the ingestion report, or 422 with
    the reason when the article cannot be ingested (nothing is stored then).
    """
    from flask import current_app

    name, text = _article_upload()
    limit = int(current_app.config.get("ARTICLE_MAX_CHARS", 2_000_000))
    if len(text) > limit:
        raise ApiError(413, f"The article has {len(text)} characters; at most {limit}.", "file")
    from geo.pipeline.ingest import ingest_paths

    with tempfile.TemporaryDirectory(prefix="conflictmap-upload-") as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_text(text, encoding="utf-8")
        report = ingest_paths(get_store(), [path])
    # Reasons name the file by its path: the client knows it by its name, and the server's
    # temporary folder is none of its business.
    failed = [
        (Path(p).name, str(reason).replace(str(path), path.name).replace(tmp, "<upload>"))
        for p, reason in getattr(report, "failed", ())
    ]
    if failed:
        raise ApiError(
            422, f"The article {failed[0][0]!r} was not ingested: {failed[0][1]}", "file"
        )
    body = {
        "ok": True,
        "articles": list(getattr(report, "ok", ())),
        "events_added": getattr(report, "events_added", None),
    }
    resp = jsonify(body)
    resp.status_code = 201
    return resp
