"""Feature texts of recently read events, kept by row id while the file does not change.

A page of the map viewer's time slider holds up to 5,000 events, and the next step's page
holds many of the same events (a 30-day window moved by a week keeps 23 of its days; in
``bench_map`` at 1,000,000 events 72 % of a step's events were on the step before). Each
event's Feature text is read from its LZ4 document (a look-up in ``event_docs`` and a
decompression: about 8 µs at that size), so a page pays for every event again.
:class:`TextCache` keeps the texts of the last :data:`FEATURE_CACHE_EVENTS` events read by
pages, by row id.

A text is only ever taken for the state of the file it was read in. Each read connection
asks SQLite for ``PRAGMA data_version`` before its read transaction starts: the value
changes whenever another connection (of this process or any other) committed since that
connection last asked, so a read that sees a change starts a new *generation*, which
empties the cache. A text read under one generation is stored only while it is still the
current one, and a read under an older generation takes nothing from the cache, so no read
is given a text older than its own snapshot (the check comes before the snapshot: a commit
between the two makes the snapshot newer, never older, than the generation).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

__all__ = ["FEATURE_CACHE_EVENTS", "TextCache"]

#: Most Feature texts kept (about 1.3 KB each at the benchmark's events: 13 MB).
FEATURE_CACHE_EVENTS = 10_000


class TextCache:
    """Texts by row id for the current state of the file (see the module)."""

    def __init__(self, size=FEATURE_CACHE_EVENTS):
        self.size = size
        self.hits = 0
        self.misses = 0
        self._texts = OrderedDict()
        self._generation = 0
        self._seen = {}  # read connection -> the data_version it last reported
        self._lock = threading.Lock()

    def generation(self, conn):
        """Return the generation a read on ``conn`` that starts now belongs to (call it
        outside a transaction, before the read's first statement)."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        with self._lock:
            if self._seen.get(conn) != version:
                # a commit since this connection last looked, or its first read: the kept
                # texts may be out of date
                self._seen[conn] = version
                self._generation += 1
                self._texts.clear()
            return self._generation

    def forget(self, conn):
        """Drop what is known of ``conn`` (being closed)."""
        with self._lock:
            self._seen.pop(conn, None)

    def get_many(self, rids, generation):
        """Return ``{rid: text}`` of the kept texts of ``rids`` (none for an old generation)."""
        found = {}
        with self._lock:
            if generation != self._generation:
                return found
            texts = self._texts
            for rid in rids:
                text = texts.get(rid)
                if text is not None:
                    texts.move_to_end(rid)
                    found[rid] = text
            self.hits += len(found)
            self.misses += len(rids) - len(found)
        return found

    def put_many(self, items, generation):
        """Keep the texts of ``items`` (``(rid, text)`` pairs) read under ``generation``, the
        least recently used going beyond :attr:`size`."""
        with self._lock:
            if generation != self._generation or not self.size:
                return
            texts = self._texts
            for rid, text in items:
                texts[rid] = text
                texts.move_to_end(rid)
            while len(texts) > self.size:
                texts.popitem(last=False)

    def __len__(self):
        return len(self._texts)
