"""A dict used as a small first-in-first-out cache, safe to share between threads."""

from __future__ import annotations

__all__ = ["bounded_put"]


def bounded_put(cache: dict, key, value, limit: int) -> None:
    """Set ``cache[key] = value``, first dropping the oldest entries while ``limit`` are held.

    Another thread may empty or change the dict meanwhile: eviction then stops early, which
    at worst lets the cache hold a few entries too many for a moment.
    """
    while len(cache) >= limit:
        try:
            cache.pop(next(iter(cache)), None)
        except (StopIteration, RuntimeError):  # emptied or changed by another thread
            break
    cache[key] = value
