"""Bounded work per request: a query deadline, and a few slots for the expensive requests.

A free-text or actor filter makes the store scan; a geocoding batch keeps a thread
busy in Python. Such requests take one of ``HEAVY_REQUESTS`` slots (waiting at most
``HEAVY_WAIT`` seconds, else 503 with ``Retry-After``). A waiting request holds a server
thread too, so at most ``HEAVY_REQUESTS`` of them wait at a time and any more are answered
503 at once: however many heavy requests arrive, the other server threads stay free for the
cheap requests. Store queries stop at
``QUERY_TIMEOUT`` seconds per step (``EventQuery.timeout``), answered 503 with
``Retry-After`` by ``webapp.errors``.

A served process also switches threads every ``SWITCH_INTERVAL`` seconds instead of
CPython's 5 ms (``share_the_interpreter``). A cheap request gives up the interpreter lock at
every socket call and at every SQLite progress callback, and each time waits for a busy
thread's switch interval before it runs again; with heavy requests in Python, those waits
made a 40 ms request take 0.5 s now and then.
"""

from __future__ import annotations

import sys
import threading
import weakref

from flask import current_app

from webapp.errors import ApiError

__all__ = [
    "MAX_JSON_DEPTH",
    "SWITCH_INTERVAL",
    "heavy_slot",
    "is_heavy",
    "json_body",
    "json_depth",
    "query_timeout",
    "release_with",
    "share_the_interpreter",
]

#: Seconds a thread holds the interpreter lock while others wait, in a served process.
#: With the slow requests of tests/attacks/test_attack_slow.py running, the slowest of 20
#: cheap requests took 0.45-0.54 s at CPython's 5 ms and 0.13-0.19 s at 1 ms (4 runs each,
#: 2 cores); the median rose from about 35 to 55 ms.
SWITCH_INTERVAL = 0.001


def share_the_interpreter(interval=SWITCH_INTERVAL):
    """Make this process's threads take turns every ``interval`` seconds (``sys``'s switch
    interval). Called by ``conflictmap serve`` before it serves, in each worker process too."""
    sys.setswitchinterval(interval)


_lock = threading.Lock()
_KEY = "conflictmap.heavy"


def query_timeout():
    """Return the store query deadline of the current app (``QUERY_TIMEOUT``), or None."""
    value = current_app.config.get("QUERY_TIMEOUT")
    return float(value) if value else None


def is_heavy(query):
    """Return whether an ``EventQuery`` makes the store scan: free text (a common word
    matches most events) or actors (matched as substrings, so no index helps)."""
    return bool(query.text or query.actors)


class _Slot:
    """One taken slot; ``release()`` gives it back once, however often it is called."""

    def __init__(self, semaphore):
        self._semaphore = semaphore
        self._lock = threading.Lock()
        self._held = True

    def release(self):
        with self._lock:
            if self._held:
                self._held = False
                self._semaphore.release()


class _Slots:
    """``HEAVY_REQUESTS`` slots, and as many places to wait for one."""

    def __init__(self, size):
        self.semaphore = threading.BoundedSemaphore(size)
        self.waiting_room = threading.BoundedSemaphore(size)


def _slots():
    ext = current_app.extensions
    with _lock:
        if ext.get(_KEY) is None:
            ext[_KEY] = _Slots(max(1, int(current_app.config["HEAVY_REQUESTS"])))
        return ext[_KEY]


def heavy_slot(what="search"):
    """Take a slot for an expensive request; return it (call ``release()`` when done).

    Raises
    ------
    ApiError
        503 with ``Retry-After`` when no slot frees up within ``HEAVY_WAIT`` seconds, or at
        once when as many requests as there are slots are waiting already.
    """
    slots = _slots()
    taken = slots.semaphore.acquire(blocking=False)
    if not taken and slots.waiting_room.acquire(blocking=False):
        try:
            taken = slots.semaphore.acquire(
                timeout=float(current_app.config.get("HEAVY_WAIT", 0.25))
            )
        finally:
            slots.waiting_room.release()
    if not taken:
        raise ApiError(
            503,
            f"The server is busy with other requests of this kind ({what}); try again in a "
            "second, or narrow the request.",
            headers={"Retry-After": "1"},
        )
    return _Slot(slots.semaphore)


class _Releasing:
    """A response body that gives its slot back when closed, or when it is dropped unread."""

    def __init__(self, body, slot):
        self._body = iter(body)
        self._slot = slot
        self._finalizer = weakref.finalize(self, slot.release)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._body)
        except BaseException:
            self.close()
            raise

    def close(self):
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._finalizer()


def release_with(body, slot):
    """Return ``body`` (an iterable of bytes) made to release ``slot`` when it ends."""
    return body if slot is None else _Releasing(body, slot)


#: Deepest nesting of a JSON request body (an event with a GeometryCollection needs ~16).
MAX_JSON_DEPTH = 64


def json_depth(value, limit=MAX_JSON_DEPTH):
    """Return how deep ``value`` nests (lists and objects), counting no further than ``limit + 1``.

    Examples
    --------
    >>> json_depth({"a": [1, [2]]})
    3
    """
    if type(value) not in (dict, list):
        return 0
    level, depth = [value], 0
    while level:  # one level at a time: no recursion, and no tuple per item
        depth += 1
        if depth > limit:
            return depth
        deeper = []
        for item in level:
            children = item.values() if type(item) is dict else item
            deeper.extend([c for c in children if type(c) is list or type(c) is dict])
        level = deeper
    return depth


def json_body(request, *, field="body"):
    """Return the request's JSON body, or None when it is not JSON.

    Raises
    ------
    ApiError
        400 when the body nests deeper than ``MAX_JSON_DEPTH`` (it is refused before any
        code walks it recursively).
    """
    try:
        data = request.get_json(force=True, silent=True)
    except RecursionError:
        data = _TOO_DEEP
    if data is _TOO_DEEP or json_depth(data) > MAX_JSON_DEPTH:
        raise ApiError(400, f"The request body nests deeper than {MAX_JSON_DEPTH} levels.", field)
    return data


_TOO_DEEP = object()
