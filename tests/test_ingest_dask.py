"""Ingestion on a Dask ``LocalCluster``: the same store as a single-process ingest.

``store`` is each backend in turn (conftest). The articles are the bundled demo articles and
the test articles (outlets reporting the same events, so that merging across articles
matters), plus files that cannot be ingested.
"""

import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from geo.formats import FORMATS
from geo.pipeline import distributed
from geo.pipeline.ingest import DEMO_ARTICLES, ingest_paths
from geo.store.base import EventQuery
from geo.store.sqlite.store import SQLiteStore

pytest.importorskip("distributed")

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 1, 1)


def _articles(folder):
    for source in (DEMO_ARTICLES, HERE / "data" / "articles"):
        for f in sorted(Path(source).iterdir()):
            shutil.copy(f, folder / f.name)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 binary, not an article" * 10)
    (folder / "empty.md").write_text("   \n")
    return folder


def _export(store):
    sink = __import__("io").BytesIO()
    fmt = FORMATS["geojson"]
    fmt.write(fmt.events_for(store, EventQuery()), sink, meta={})
    data = json.loads(sink.getvalue())
    for feature in data["features"]:
        feature["properties"].pop("updated_at")  # the time of the write
    return data["features"]


@pytest.mark.slow
def test_dask_ingest_equals_a_single_process_ingest(store, tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    folder = _articles(tmp_path / "in")
    # Small partitions and batches, so that results come back out of order and several
    # write batches follow each other.
    monkeypatch.setattr(distributed, "PARTITION_ARTICLES", 2)
    monkeypatch.setattr(distributed, "BATCH_ARTICLES", 3)
    lines, writes, timings = [], [], {}
    real_write = distributed.write_processed

    def write(store, batch):  # the real writer, its start and end times noted
        start = time.perf_counter()
        out = real_write(store, batch)
        writes.append((start, time.perf_counter()))
        return out

    monkeypatch.setattr(distributed, "write_processed", write)
    begun = time.perf_counter()
    report = distributed.ingest_distributed(store, [folder], workers=2, today=TODAY,
                                            echo=lines.append, timings=timings)  # fmt: skip
    ended = time.perf_counter()
    with SQLiteStore(tmp_path / "single.sqlite") as single:
        expected = ingest_paths(single, [folder], today=TODAY)
        assert _export(store) == _export(single)
        assert [a["article_id"] for a in store.articles()] == [
            a["article_id"] for a in single.articles()
        ]
    assert report.ok == expected.ok and len(report.ok) == 9
    assert (report.events_added, report.events_updated) == (
        expected.events_added, expected.events_updated)  # fmt: skip
    assert report.events_added > 10 and report.events_updated > 0  # merging across outlets
    failed = sorted(Path(p).name for p, _ in report.failed)
    assert failed == ["broken.txt", "empty.md"]
    assert [r for _, r in report.failed] == [r for _, r in expected.failed]
    assert lines and lines[0].startswith("Dask dashboard: http://127.0.0.1:")
    # timings: the cluster's start before "ready", every write between "ready" and
    # "written", the cluster's stop after it.
    assert len(writes) >= 3
    assert begun < timings["ready"] <= writes[0][0]
    assert writes[-1][1] <= timings["written"] < ended


def test_a_failing_task_is_retried_one_article_at_a_time(tmp_path):
    """When a partition's task raises, each article runs alone: only the culprit fails."""
    from distributed import Client, LocalCluster

    good = tmp_path / "good.txt"
    good.write_text("Russian forces attacked Kupiansk in the Kharkiv region on 3 March.\n")
    with LocalCluster(n_workers=1, processes=False) as cluster, Client(cluster) as client:
        future = client.submit(_boom, [str(good), "missing"], pure=False)
        done = distributed._result(client, [str(good), 12345], future, TODAY)
    assert done[0].error is None and done[0].article is not None
    assert done[1].error and "12345" in done[1].error


def _boom(paths):
    raise RuntimeError("a worker-side bug")


@pytest.mark.sqlite_only
def test_ingest_command_runs_on_a_local_cluster(runner, store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for f in sorted((HERE / "data" / "articles").iterdir()):
        shutil.copy(f, folder / f.name)
    result = runner.invoke(["ingest", "--workers", "1", "--no-progress", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Dask dashboard: http://127.0.0.1:" in result.stderr
    assert f"Ingested {len(store.articles())} article(s)" in result.stdout
    assert len(store.articles()) == 4 and store.count() > 0


def _settings():
    import dask

    return {k: dask.config.get(k) for k in distributed.QUIET_DASK}


def test_the_local_cluster_samples_and_ticks_rarely_unless_configured(tmp_path):
    """The client, scheduler, nannies and workers an ingestion starts use QUIET_DASK (Dask's
    defaults cost the writing process CPU); a setting the user changed is kept."""
    from contextlib import ExitStack

    import dask

    quiet = {k: v for k, (_, v) in distributed.QUIET_DASK.items()}
    defaults = {k: d for k, (d, _) in distributed.QUIET_DASK.items()}
    assert _settings() == defaults != quiet
    with ExitStack() as stack:
        client = distributed._client(stack, None, 1)
        assert _settings() == quiet
        assert list(client.run(_settings).values()) == [quiet]
        assert client.run_on_scheduler(_settings) == quiet
    assert _settings() == defaults  # restored afterwards
    tick = "distributed.admin.tick.interval"
    with dask.config.set({tick: "100ms"}), ExitStack() as stack:
        distributed._quiet_dask(stack)
        assert _settings() == {**quiet, tick: "100ms"}


@pytest.mark.slow
def test_a_local_clusters_workers_do_not_profile_themselves():
    """The workers of ``--workers N`` share the cores with the writing process: Dask's
    statistical profiler (a stack sample every 10 ms) is off in them."""
    from contextlib import ExitStack

    import dask

    key = "distributed.worker.profile.enabled"
    with ExitStack() as stack:
        client = distributed._client(stack, None, 1)
        assert list(client.run(lambda: dask.config.get(key)).values()) == [False]
    assert dask.config.get(key) is True  # this process's own, restored
