"""The deadline of a store query: SQLite's progress handler stops a statement past it."""

from __future__ import annotations

import time

from geo.exc import QueryTimeoutError

__all__ = ["PROGRESS_STEPS", "Deadline"]

#: SQLite virtual-machine instructions between two looks at a query's deadline (~0.1 ms).
PROGRESS_STEPS = 2000


class Deadline:
    """A query's deadline, as an SQLite progress handler: non-zero stops the statement.

    ``arm(seconds)`` starts a step (a count, or fetching the next rows); ``disarm()`` ends
    it, so that the time a consumer spends between rows is not counted.
    """

    __slots__ = ("at", "expired", "seconds")

    def __init__(self, seconds):
        self.seconds = seconds
        self.at = None
        self.expired = False

    def arm(self):
        """Start a step: the statement may run ``seconds`` from now."""
        self.at = time.monotonic() + self.seconds

    def disarm(self):
        """End a step: the time until the next ``arm`` is not counted."""
        self.at = None

    def __call__(self):
        if self.at is not None and time.monotonic() > self.at:
            self.expired = True
            return 1
        return 0

    def error(self, path):
        """Return the ``QueryTimeoutError`` of a statement this deadline stopped."""
        return QueryTimeoutError(
            f"the query on store {str(path)!r} took more than its {self.seconds:g} s and was "
            "stopped; narrow it (a smaller bbox or date window, fewer words) or try again later",
            retry_after=max(1, round(self.seconds)),
        )
