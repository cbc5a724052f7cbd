"""Spatial and temporal extents of the stored events, for the collection documents."""

from __future__ import annotations

import threading

__all__ = ["event_box", "extent_of"]

_extent_lock = threading.Lock()
_extent_cache: dict = {}


def extent_of(store, types=None):
    """Return ``(bbox, interval)`` of the live events of ``types`` (all when None).

    ``bbox`` is ``[min_lon, min_lat, max_lon, max_lat]`` over points and area geometries,
    ``interval`` is ``[first date_start, last date_end]`` as ISO dates; both None when no
    event matches. A store that keeps its extents on write (capability ``"kept_metadata"``)
    is asked every time; for others the answer is cached per data version.
    """
    if "kept_metadata" in store.capabilities:
        return _extent(store, types)
    # data_as_of has one-second resolution: the live count also tells a same-second write
    key = (getattr(store, "url", id(store)), store.data_as_of(), store.count(), types)
    with _extent_lock:
        if key in _extent_cache:
            return _extent_cache[key]
    found = _extent(store, types)
    with _extent_lock:
        if len(_extent_cache) > 32:
            _extent_cache.clear()
        _extent_cache[key] = found
    return found


def _extent(store, types):
    dates, bounds = store.extent(types)
    bbox = [bounds[0][1], bounds[0][0], bounds[1][1], bounds[1][0]] if bounds else None
    interval = [dates["start"], dates["end"]] if dates else None
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
