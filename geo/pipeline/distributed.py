"""Ingestion on a Dask cluster: workers read and extract articles, this process writes.

The articles are cut into partitions; each partition runs :func:`process_articles` (which
parses its texts in batches, as a single-process ingest does) on a worker, where the
gazetteer and the language model are loaded once per worker process by a worker plugin at
start-up; the processed articles come back here, where they are written with
:func:`write_processed` in batches, in input order. Writing in input order is what makes the
result identical to a single-process ``ingest_paths`` of the same articles:
merging an article's events depends only on what the articles before it stored.

At most a few partitions per worker are in flight, so memory stays bounded however many
articles there are. A partition whose task fails (a worker died, an unexpected error) is run
again one article per task, so that only the article at fault is reported as failed.

Needs ``dask`` and ``distributed`` (``pip install 'conflictmap[dask]'``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from contextlib import ExitStack

from geo.articles.reader import iter_article_paths
from geo.exc import GeoError
from geo.pipeline.ingest import (
    BATCH_ARTICLES,
    DEMO_ARTICLES,
    IngestReport,
    Processed,
    _add,
    process_article,
    process_articles,
    write_processed,
)

try:
    from distributed import WorkerPlugin
except ImportError:  # reported by _client when a cluster is asked for
    WorkerPlugin = object

__all__ = ["PARTITION_ARTICLES", "ingest_distributed", "process_partition"]

#: Articles per task: large enough that scheduling costs little next to parsing (about
#: 10-20 ms per article), small enough to spread a few thousand articles over the workers.
PARTITION_ARTICLES = 25
#: Partitions in flight per worker thread (more keeps workers busy while this process writes).
IN_FLIGHT_PER_THREAD = 4
#: Dask settings of what an ingestion starts, used where the setting has Dask's default
#: (``{key: (default, ours)}``). This process runs the client, and with ``--workers`` the
#: scheduler and the workers' nannies, beside the writer, on cores the workers need: their
#: event loops wake every tick (20 ms) only to notice when they were blocked, each server
#: samples the machine's CPU and memory (500 ms) and each nanny the worker's memory
#: (100 ms, to restart a worker over its memory limit). An idle local cluster of 2 workers
#: cost this process 28-35 ms of CPU per second so, 9-11 ms with these. The workers' own
#: statistical profiler (a sample of the running thread's stack every 10 ms, taken in the
#: worker's Python while it parses) is off: the dashboard shows no profile.
QUIET_DASK = {
    "distributed.worker.profile.enabled": (True, False),
    "distributed.admin.tick.interval": ("20ms", "500ms"),
    "distributed.admin.system-monitor.interval": ("500ms", "2s"),
    "distributed.worker.memory.monitor-interval": ("100ms", "1s"),
}


def process_partition(paths, today=None):
    """Return ``[process_article(p) for p in paths]`` (runs on a worker), parsed in batches
    (``process_articles``) as a single-process ingest parses them."""
    return list(process_articles(paths, today=today))


def _process_one(path, today=None):
    """Run one article on a worker, turning any error into a failed ``Processed``."""
    try:
        return process_article(path, today=today)
    except Exception as err:  # noqa: BLE001 - reported for this article only
        return Processed(str(path), error=f"{path}: cannot ingest: {type(err).__name__}: {err}")


class _Preload(WorkerPlugin):
    """A Dask worker plugin: loads the gazetteer and the language model as a worker starts."""

    name = "conflictmap-preload"

    def setup(self, worker):
        from geo.common import nlp
        from geo.gazetteer.lookup import Gazetteer

        Gazetteer.default()
        nlp.load()


def _quiet_dask(stack):
    """Use ``QUIET_DASK`` for what this ingestion starts, where the settings are Dask's."""
    import dask

    get = dask.config.get
    ours = {k: v for k, (default, v) in QUIET_DASK.items() if get(k, default) == default}
    stack.enter_context(dask.config.set(ours))


def _client(stack, scheduler, workers):
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise GeoError(
            "ingestion on Dask needs dask and distributed; install conflictmap with the "
            "'dask' extra (pip install 'conflictmap[dask]')"
        ) from err
    _quiet_dask(stack)  # the client's, and a local cluster's scheduler, nannies and workers'
    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout=30))
        except (OSError, TimeoutError) as err:
            raise GeoError(f"cannot reach the Dask scheduler {scheduler!r}: {err}") from err
    cluster = stack.enter_context(
        LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                     dashboard_address="127.0.0.1:0", silence_logs=logging.WARNING)
    )  # fmt: skip
    return stack.enter_context(Client(cluster))


def ingest_distributed(store, paths=None, *, scheduler=None, workers=None, progress=False,
                       today=None, echo=None, timings=None) -> IngestReport:  # fmt: skip
    """Ingest articles with a Dask cluster doing the reading, geoparsing and extraction.

    Parameters
    ----------
    store : EventStore
        Where articles and events go (written from this process only).
    paths : iterable of path-like, optional
        Files and folders; default: the bundled demo articles. The workers read them, so on
        a remote cluster they must be at the same paths there (a shared file system).
    scheduler : str, optional
        The address of a running scheduler (``tcp://host:8786``); its workers need
        conflictmap installed. Without it a local cluster of ``workers`` processes runs.
    workers : int, optional
        Worker processes of the local cluster (default 1).
    progress : bool, default False
        Show a progress bar on stderr (and the dashboard's address).
    today : date, optional
        Publication dates after it are refused (default: today, on each worker).
    echo : callable, optional
        Called with a line of text to show (the dashboard's address).
    timings : dict, optional
        Filled with ``time.perf_counter()`` readings: ``"ready"`` once the cluster is up and
        every worker has loaded the gazetteer and the language model (just before the first
        partition is submitted), ``"written"`` once the last batch is written (before the
        local cluster is shut down). Their difference is the ingestion without the
        cluster's start and stop (benchmarks report both).

    Returns
    -------
    IngestReport
        As ``ingest_paths``: the same events, the same failures.
    """
    files = [str(p) for p in iter_article_paths([DEMO_ARTICLES] if paths is None else paths)]
    parts = [files[i : i + PARTITION_ARTICLES] for i in range(0, len(files), PARTITION_ARTICLES)]
    report = IngestReport()
    with ExitStack() as stack:
        client = _client(stack, scheduler, workers)
        client.register_plugin(_Preload(), name=_Preload.name)
        if timings is not None:
            timings["ready"] = time.perf_counter()
        if echo is not None and client.dashboard_link:
            echo(f"Dask dashboard: {client.dashboard_link}")
        bar = None
        if progress:
            from tqdm import tqdm

            bar = stack.enter_context(
                tqdm(total=len(files), unit="article", file=sys.stderr, disable=None)
            )
        threads = sum(client.nthreads().values()) or 1
        pending, todo = deque(), iter(parts)

        def submit():
            part = next(todo, None)
            if part is not None:
                pending.append((part, client.submit(process_partition, part, today, pure=False)))

        for _ in range(threads * IN_FLIGHT_PER_THREAD):
            submit()
        batch = []
        with store.bulk():
            while pending:
                part, future = pending.popleft()
                batch.extend(_result(client, part, future, today))
                future.release()
                submit()
                if len(batch) >= BATCH_ARTICLES or not pending:
                    _add(report, write_processed(store, batch))
                    if bar is not None:
                        bar.update(len(batch))
                    batch = []
        if timings is not None:
            timings["written"] = time.perf_counter()
    return report


def _result(client, part, future, today):
    """Return the processed articles of ``part``, one task per article after a failure."""
    try:
        return future.result()
    except Exception:  # noqa: BLE001 - a worker died or a bug: find the article at fault
        singles = client.map(_process_one, part, today=today, pure=False)
        out = []
        for path, single in zip(part, singles, strict=True):
            try:
                out.append(single.result())
            except Exception as err:  # noqa: BLE001 - this article only
                out.append(Processed(path, error=f"{path}: cannot ingest: {err}"))
        return out
