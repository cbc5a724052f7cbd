"""Stream a format writer's output as a response body, with bounded memory and backpressure.

A ``geo.formats`` writer pushes bytes into a file object; a WSGI response pulls chunks. The
writer runs in a small shared thread pool and writes into a pipe whose bounded queue the
response drains, so a 100,000-event export never sits in memory, and a client that goes
away stops the writer.
"""

from __future__ import annotations

import io
import itertools
import json
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = [
    "ExportCancelled",
    "PipeWriter",
    "WriterPool",
    "feature_collection_chunks",
    "pool",
    "primed",
]

_CHUNK = 64 * 1024
_DONE = object()


class ExportCancelled(Exception):
    """Raised inside a writer when the response it feeds was closed by the client."""


class PipeWriter(io.RawIOBase):
    """A write-only binary file whose bytes come out of ``chunks()`` in ~64 KiB pieces.

    Parameters
    ----------
    depth : int, default 16
        Chunks buffered before ``write`` blocks (the memory bound is depth x 64 KiB).
    """

    def __init__(self, depth=16):
        super().__init__()
        self._queue = queue.Queue(maxsize=depth)
        self._buffer = bytearray()
        self.cancelled = threading.Event()
        self._position = 0

    def writable(self):
        """Return True: the pipe accepts bytes."""
        return True

    def tell(self):
        """Return how many bytes were written so far."""
        return self._position

    def write(self, data):
        """Buffer ``data``; hand a chunk to the reader whenever 64 KiB have gathered."""
        if self.cancelled.is_set():
            raise ExportCancelled("the client closed the response")
        if isinstance(data, str):
            raise TypeError(f"PipeWriter.write takes bytes; got str {data[:40]!r}")
        self._buffer += data
        self._position += len(data)
        if len(self._buffer) >= _CHUNK:
            self._put(bytes(self._buffer))
            self._buffer.clear()
        return len(data)

    def _put(self, item, stall=300.0):
        waited = 0.0
        while True:
            if self.cancelled.is_set():
                raise ExportCancelled("the client closed the response")
            try:
                self._queue.put(item, timeout=0.25)
                return
            except queue.Full:
                waited += 0.25
                if waited >= stall:  # nobody reads: give the thread back
                    self.cancelled.set()

    def finish(self, error=None):
        """Flush what is buffered and signal the end (with the writer's ``error``, if any)."""
        try:
            if self._buffer and error is None:
                self._put(bytes(self._buffer))
            self._buffer.clear()
            self._put((_DONE, error))
        except ExportCancelled:
            pass

    def chunks(self, timeout=300):
        """Return an iterable of the written bytes; its ``close()`` stops the writer.

        The iteration re-raises the writer's error at the end, if it failed.
        """
        return _Chunks(self, timeout)


class _Chunks:
    """The reading end of a ``PipeWriter``: iterable, and closable before it starts."""

    def __init__(self, pipe, timeout):
        self._pipe = pipe
        self._timeout = timeout
        self._done = False

    def __iter__(self):
        return self

    def __next__(self):
        if self._done:
            raise StopIteration
        try:
            item = self._pipe._queue.get(timeout=self._timeout)
        except queue.Empty:
            self.close()
            raise TimeoutError(f"the export writer sent nothing for {self._timeout} s") from None
        if isinstance(item, tuple) and item and item[0] is _DONE:
            self.close()
            if item[1] is not None:
                raise item[1]
            raise StopIteration
        return item

    def close(self):
        """Stop the writer (if still running) and end the iteration."""
        self._done = True
        self._pipe.cancelled.set()


class WriterPool:
    """A bounded pool of threads that run format writers into pipes.

    Parameters
    ----------
    workers : int
        Concurrent writers; further exports wait for a free thread.
    """

    def __init__(self, workers):
        self._executor = ThreadPoolExecutor(
            max_workers=max(1, int(workers)), thread_name_prefix="conflictmap-export"
        )

    def stream(self, write, events_factory, *, meta, depth=16):
        """Run ``write(events_factory(), pipe, meta=meta)`` in the pool; return the byte chunks.

        ``events_factory`` is called in the writer's thread, so a store query opens its
        cursor there.
        """
        pipe = PipeWriter(depth=depth)

        def run():
            error = None
            try:
                write(events_factory(), pipe, meta=meta)
            except ExportCancelled:
                return
            except BaseException as err:  # noqa: BLE001 - handed to the reader
                error = err
            pipe.finish(error)

        self._executor.submit(run)
        return pipe.chunks()

    def shutdown(self):
        """Stop accepting exports and let running ones finish."""
        self._executor.shutdown(wait=False, cancel_futures=True)


_pool_lock = threading.Lock()


def pool():
    """Return the current app's writer pool (``EXPORT_WORKERS`` threads), made on first use."""
    from flask import current_app

    ext = current_app.extensions
    with _pool_lock:
        if ext.get("conflictmap.writers") is None:
            ext["conflictmap.writers"] = WriterPool(current_app.config.get("EXPORT_WORKERS", 4))
        return ext["conflictmap.writers"]


def feature_collection_chunks(events, make_tail):
    """Yield a FeatureCollection in ~64 KiB pieces: the features, then the tail members.

    ``make_tail(n)`` is called after the features, with how many were sent, and returns the
    closing members (numberMatched, links, ...). ``events`` holds Events or ready-made
    Feature JSON texts (``SQLiteStore.query_features``).
    """
    buf = ['{"type":"FeatureCollection","features":[']
    size, n = 0, 0
    for event in events:
        if isinstance(event, str):
            text = event
        else:
            text = json.dumps(event.to_feature(), ensure_ascii=False, separators=(",", ":"))
        buf.append("," + text if n else text)
        n += 1
        size += len(text)
        if size >= 65536:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    tail = dict(make_tail(n), numberReturned=n)
    members = json.dumps(tail, ensure_ascii=False, separators=(",", ":"))[1:]
    buf.append("]," + members)
    yield "".join(buf).encode("utf-8")


def primed(iterator):
    """Run ``iterator`` up to its first item now (so store errors happen before streaming)."""
    iterator = iter(iterator)
    for first in iterator:
        return itertools.chain((first,), iterator)
    return iter(())
