"""What automatic extraction may not overwrite: events an analyst reviewed or deleted."""

from __future__ import annotations

from geo.events.model import Event

__all__ = ["is_protected", "merge_allowed"]


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
