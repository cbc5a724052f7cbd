"""Analysts' curated events: a YAML or GeoJSON file of additions, corrections and deletions.

The file (default ``data/curated/events.yaml``) is a list of event mappings, or a GeoJSON
FeatureCollection. Each record goes through ``Event.from_dict``, the same validation as every
other door. A record whose ``event_id`` is already stored *corrects* that event: the fields it
lists replace the stored ones (``null`` clears a field) and the others are kept. A record with
``deleted: true`` and a ``reason`` deletes the event, and the deletion is recorded. The whole
file is applied in one transaction: a single bad record changes nothing.

Automatic extraction never overwrites an analyst's decision: see ``merge_allowed``.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from geo.common.paths import CURATED_FILE
from geo.events.model import Event
from geo.events.protection import is_protected, merge_allowed
from geo.exc import ValidationError
from geo.formats import read_records, record_error

__all__ = [
    "CURATED_FILE",
    "CuratedRecord",
    "CuratedResult",
    "apply_curated",
    "is_protected",
    "load_curated",
    "merge_allowed",
]

_EVENT_FIELDS = {f.name for f in dataclasses.fields(Event)}
_CONTROL_KEYS = {"deleted", "reason"}
_FEATURE_KEYS = {"type", "id", "geometry", "properties", "bbox"}


@dataclass(frozen=True)
class CuratedRecord:
    """One record of the curated file: where it is, its raw fields and what it asks for."""

    where: str
    event_id: str | None
    fields: dict
    delete: bool = False
    reason: str | None = None


@dataclass
class CuratedResult:
    """What ``apply_curated`` did, by event id."""

    added: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    already_deleted: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    #: Added or corrected events left without ``status: reviewed``: automatic extraction
    #: may still replace them.
    unreviewed: list[str] = field(default_factory=list)


def _check_keys(path, where, record, keys):
    unknown = sorted(set(keys) - _EVENT_FIELDS - _CONTROL_KEYS)
    if unknown:
        hint = difflib.get_close_matches(unknown[0], sorted(_EVENT_FIELDS | _CONTROL_KEYS), 1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise record_error(
            path,
            where,
            record,
            ValidationError(f"unknown field {unknown[0]!r}{suggestion}", field=unknown[0]),
        )


def load_curated(path) -> list[CuratedRecord]:
    """Read and check a curated file without touching any store.

    Raises
    ------
    ValidationError
        Naming the file, the record (index and event_id) and the field.
    """
    records, seen = [], {}
    for where, raw in read_records(path):
        if not isinstance(raw, dict):
            raise ValidationError(
                f"{path}: {where}: expected a mapping of event fields; got {raw!r:.60}",
                field="record",
            )
        if raw.get("type") == "Feature":
            extra = sorted(set(raw) - _FEATURE_KEYS)
            if extra:
                raise record_error(
                    path,
                    where,
                    raw,
                    ValidationError(f"unknown Feature member {extra[0]!r}", field=extra[0]),
                )
            props = dict(raw.get("properties") or {})
            _check_keys(path, where, raw, props)
            fields = {k: v for k, v in props.items() if k not in _CONTROL_KEYS}
            if raw.get("id") is not None:
                fields.setdefault("event_id", raw["id"])
            if raw.get("geometry"):
                fields["_feature_geometry"] = raw["geometry"]
            control = props
        else:
            _check_keys(path, where, raw, raw)
            fields = {k: v for k, v in raw.items() if k not in _CONTROL_KEYS}
            control = raw
        event_id = fields.get("event_id")
        if event_id is not None and not isinstance(event_id, str):
            event_id = str(event_id)
            fields["event_id"] = event_id
        delete = control.get("deleted", False)
        if not isinstance(delete, bool):
            raise record_error(
                path,
                where,
                raw,
                ValidationError(f"deleted must be true or false; got {delete!r}", field="deleted"),
            )
        reason = control.get("reason")
        if delete:
            if not event_id:
                raise record_error(
                    path,
                    where,
                    raw,
                    ValidationError("a deletion needs an event_id", field="event_id"),
                )
            if not isinstance(reason, str) or not reason.strip():
                raise record_error(
                    path,
                    where,
                    raw,
                    ValidationError(
                        f"a deletion needs a non-empty reason; got {reason!r}", field="reason"
                    ),
                )
        if event_id and event_id in seen:
            raise record_error(
                path,
                where,
                raw,
                ValidationError(
                    f"event_id {event_id!r} already appears in {seen[event_id]}", field="event_id"
                ),
            )
        if event_id:
            seen[event_id] = where
        records.append(CuratedRecord(where, event_id, fields, delete, reason))
    return records


def _build(path, record, stored, deleted=None):
    """Return the Event a record asks for: its fields over the stored event's, validated.

    ``deleted`` is the event as it was when deleted: listing a deleted id restores it with
    the record's fields over its old ones.
    """
    fields = dict(record.fields)
    geometry = fields.pop("_feature_geometry", None)
    base = stored.to_dict() if stored else dict(deleted or {})
    base.pop("updated_at", None)
    if geometry is not None:
        if geometry.get("type") == "Point" and "latitude" not in fields:
            coords = geometry.get("coordinates") or [None, None]
            fields["longitude"], fields["latitude"] = coords[:2]
            fields.setdefault("geometry", None)
        elif geometry.get("type") != "Point":
            fields["geometry"] = geometry
    base.update(fields)
    try:
        return Event.from_dict(base)
    except ValidationError as err:
        raise record_error(path, record.where, record.fields, err) from err


def apply_curated(store, path=None, *, by="analyst") -> CuratedResult:
    """Apply a curated file to ``store`` in one transaction and return what changed.

    Parameters
    ----------
    store : EventStore
        The store to update.
    path : path-like, optional
        The curated file (default ``CURATED_FILE``).
    by : str, default "analyst"
        Recorded as who made the deletions.

    Raises
    ------
    ValidationError
        For the first bad record (file, record, field); nothing is written then.
    """
    path = Path(path) if path else CURATED_FILE
    records = load_curated(path)
    result = CuratedResult()
    with store.transaction():
        events = []
        for record in records:
            stored = store.get(record.event_id) if record.event_id else None
            if record.delete:
                if stored is not None:
                    store.delete_event(record.event_id, reason=record.reason.strip(), by=by)
                    result.deleted.append(record.event_id)
                elif any(d["event_id"] == record.event_id for d in store.deletions()):
                    result.already_deleted.append(record.event_id)
                else:
                    result.not_found.append(record.event_id)
                continue
            deleted = None
            if stored is None and record.event_id:
                gone = [d for d in store.deletions() if d["event_id"] == record.event_id]
                deleted = gone[-1]["event"] if gone else None
            event = _build(path, record, stored, deleted)
            events.append((event, stored or deleted))
        put = store.put_events([e for e, _ in events], overwrite_reviewed=True)
        unchanged = set(getattr(put, "unchanged", ()))
        for event, stored in events:
            if event.status != "reviewed":
                result.unreviewed.append(event.event_id)
            if event.event_id in unchanged:
                result.unchanged.append(event.event_id)
            elif stored is None:
                result.added.append(event.event_id)
            else:
                result.corrected.append(event.event_id)
    return result
