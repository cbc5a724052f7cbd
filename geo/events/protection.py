"""What automatic extraction may not overwrite: events an analyst reviewed or deleted, and
the fields an analyst edited."""

from __future__ import annotations

import dataclasses

from geo.events.model import EDITABLE_FIELDS, Event

__all__ = ["is_protected", "keep_edits", "mark_edits", "merge_allowed"]


def is_protected(event: Event | None) -> bool:
    """Return whether automatic extraction must leave ``event`` alone (it is ``reviewed``).

    Examples
    --------
    >>> e = Event.from_dict({"event_type": "attack", "date_start": "2025-01-01"})
    >>> is_protected(e), is_protected(e.replace(status="reviewed"))
    (False, True)
    """
    return event is not None and event.status == "reviewed"


def merge_allowed(old: Event | None, new: Event, *, deleted: bool = False) -> bool:
    """Return whether ``new`` may replace the stored ``old`` (the curation protection rule).

    * nothing stored yet: allowed;
    * ``new`` is itself ``reviewed`` (an analyst's decision): allowed;
    * ``old`` was deleted by an analyst (``deleted``): refused, the deletion stands;
    * ``old`` is ``reviewed``: refused, automatic extraction never overwrites it;
    * otherwise allowed.

    ``SQLiteStore.put_events`` applies this rule unless called with
    ``overwrite_reviewed=True`` (which ``apply_curated`` and authenticated API edits use). The
    pipeline can call it directly to decide before merging sources into a stored event.

    Parameters
    ----------
    old : Event or None
        The stored version.
    new : Event
        The candidate replacement.
    deleted : bool, default False
        Whether the stored version has been deleted.

    Examples
    --------
    >>> auto = Event.from_dict({"event_type": "attack", "date_start": "2025-01-01"})
    >>> merge_allowed(auto.replace(status="reviewed"), auto)
    False
    >>> merge_allowed(auto, auto.replace(status="reviewed"))
    True
    """
    if old is None or new.status == "reviewed":
        return True
    if deleted:
        return False
    return not is_protected(old)


#: Fields that stand or fall together: an edit of one keeps the whole group.
_GROUPS = (
    ("date_start", "date_end", "date_precision"),
    (
        "location_name",
        "name_in_text",
        "geonameid",
        "feature_code",
        "country_code",
        "admin1",
        "latitude",
        "longitude",
        "geo_precision",
        "geometry",
    ),
)


#: Field defaults of an Event: what a new event has when nobody set the field.
_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Event) if f.default is not dataclasses.MISSING
}


def _kept(fields):
    out = set(fields)
    for group in _GROUPS:
        if out & set(group):
            out |= set(group)
    return out


def mark_edits(old: Event | None, new: Event, *, fields=None) -> Event:
    """Return ``new`` with ``edited_fields`` naming what an analyst changed.

    The fields already marked on ``old`` stay marked; a field of ``fields`` (default: every
    field of ``EDITABLE_FIELDS``) whose value differs from ``old`` (or that ``old`` does not
    have, when there is no ``old``) is added. Sources are never marked: extraction only adds
    sources to a stored event, it never removes one.

    Examples
    --------
    >>> auto = Event.from_dict({"event_type": "attack", "date_start": "2025-01-01"})
    >>> mark_edits(auto, auto.replace(summary="Analyst wording")).edited_fields
    ('summary',)
    """
    candidates = EDITABLE_FIELDS if fields is None else [f for f in EDITABLE_FIELDS if f in fields]
    marked = set(old.edited_fields) if old is not None else set()
    for name in candidates:
        if name == "sources":
            continue
        value = getattr(new, name)
        if old is None:
            if value != _DEFAULTS.get(name):
                marked.add(name)
        elif value != getattr(old, name):
            marked.add(name)
    return new.replace(edited_fields=tuple(f for f in EDITABLE_FIELDS if f in marked))


def keep_edits(old: Event | None, new: Event) -> Event:
    """Return ``new`` with the fields an analyst edited on ``old`` kept as ``old`` has them.

    Automatic extraction updates only what nobody edited: for each field named in
    ``old.edited_fields`` (and the fields of its group: the dates together, the place
    together), ``old``'s value wins. ``SQLiteStore.put_events`` applies this to every write
    that is not an analyst's (``overwrite_reviewed=False``).

    Examples
    --------
    >>> auto = Event.from_dict({"event_type": "attack", "date_start": "2025-01-01",
    ...                         "summary": "Extracted"})
    >>> edited = mark_edits(auto, auto.replace(summary="Analyst wording"))
    >>> keep_edits(edited, auto.replace(summary="Extracted again")).summary
    'Analyst wording'
    """
    if old is None or not old.edited_fields:
        return new
    changes = {name: getattr(old, name) for name in _kept(old.edited_fields)}
    changes["edited_fields"] = tuple(
        f for f in EDITABLE_FIELDS if f in set(old.edited_fields) | set(new.edited_fields)
    )
    return new.replace(**changes)
