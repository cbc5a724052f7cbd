"""Spatial and temporal extents of the stored events, for the collection documents."""

from __future__ import annotations

import threading

from geo.store.base import EventQuery

__all__ = ["event_box", "extent_of"]

_extent_lock = threading.Lock()
_extent_cache: dict = {}


def extent_of(store, types=None):
    """Return ``(bbox, interval)`` of the live events of ``types``, cached per data version.

    ``bbox`` is ``[min_lon, min_lat, max_lon, max_lat]`` over points and area geometries,
    ``interval`` is ``[first date_start, last date_end]`` as ISO dates; both None when no
    event matches. The events are read once per ``store.data_as_of()`` value.
    """
    # data_as_of has one-second resolution: the live count also tells a same-second write
    key = (getattr(store, "url", id(store)), store.data_as_of(), store.count(), types)
    with _extent_lock:
        if key in _extent_cache:
            return _extent_cache[key]
    if types is None:
        extent, bounds = store.extent()
        bbox = [bounds[0][1], bounds[0][0], bounds[1][1], bounds[1][0]] if bounds else None
        interval = [extent["start"], extent["end"]] if extent else None
    else:
        lo = hi = None
        box = None
        for event in store.query(EventQuery(types=types or ())):
            start, end = event.date_start.isoformat(), event.date_end.isoformat()
            lo = start if lo is None or start < lo else lo
            hi = end if hi is None or end > hi else hi
            b = event_box(event)
            if b:
                box = (
                    list(b)
                    if box is None
                    else [
                        min(box[0], b[0]),
                        min(box[1], b[1]),
                        max(box[2], b[2]),
                        max(box[3], b[3]),
                    ]
                )
        bbox, interval = box, ([lo, hi] if lo else None)
    with _extent_lock:
        if len(_extent_cache) > 32:
            _extent_cache.clear()
        _extent_cache[key] = (bbox, interval)
    return bbox, interval


def event_box(event):
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` of an event's geometry or point."""
    from geo.events.geometry import geometry_bounds

    if event.geometry:
        bounds = geometry_bounds(event.geometry)
        if bounds:
            return bounds
    if event.latitude is not None:
        return (event.longitude, event.latitude, event.longitude, event.latitude)
    return None
