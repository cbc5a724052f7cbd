"""``conflictmap store copy SRC DST``: copy a whole store to another (SQLite ↔ PostGIS);
``conflictmap store optimize``: reorganise a store for fast reads (maintenance)."""

from __future__ import annotations

import sys

import click

from webapp.cli import main

__all__ = ["copy_store", "store_group", "store_optimize"]

#: Records written per transaction of the destination.
BATCH = 500


def _open(url, role):
    from geo.exc import StoreError
    from geo.store.base import open_store

    try:
        return open_store(url)
    except StoreError as err:
        raise click.ClickException(f"cannot open the {role} store {url!r}: {err}") from err


def _counts(store):
    from geo.store.base import EventQuery

    return {
        "articles": len(store.articles()),
        "events": store.count(EventQuery(include_deleted=True)),
        "live events": store.count(),
        "deletions": len(store.deletions()),
        "tokens": len(store.tokens()),
        "front lines": len(store.front_line_versions()),
    }


def copy_store(src, dst, *, progress=False, echo=click.echo):
    """Copy every article, event, deletion record and token hash of ``src`` into ``dst``.

    Each batch is one transaction of ``dst``; records already there unchanged are skipped, so
    a copy that stopped is finished by running it again. Returns ``(counts of src, counts of
    dst, records written)``; the caller compares the counts.
    """
    from geo.store.base import RECORD_KINDS

    before = _counts(src)
    written = 0
    bar = None
    if progress:
        from tqdm import tqdm

        total = sum(before[k] for k in RECORD_KINDS)
        bar = tqdm(total=total, unit="record", file=sys.stderr, disable=None)
    with dst.bulk():
        for kind in RECORD_KINDS:
            batch = []
            for record in src.records(kind):
                batch.append(record)
                if len(batch) >= BATCH:
                    written += dst.restore_records(kind, batch)
                    if bar is not None:
                        bar.update(len(batch))
                    batch = []
            if batch:
                written += dst.restore_records(kind, batch)
                if bar is not None:
                    bar.update(len(batch))
        written += _copy_front_lines(src, dst)
    if bar is not None:
        bar.close()
    return _counts(src), _counts(dst), written


def _copy_front_lines(src, dst):
    """Copy the dated front-line versions that DST lacks or holds differently."""
    if not src.front_line_versions():
        return 0
    if "front_lines" not in dst.capabilities:
        raise click.ClickException(f"the destination {dst!r} cannot keep front lines")
    written = 0
    for meta in src.front_line_versions():
        version = src.get_front_lines(meta["source"], meta["valid_from"])
        there = dst.get_front_lines(meta["source"], meta["valid_from"])
        if there is not None and there == version:
            continue
        dst.put_front_lines(version, replace=True)
        written += 1
    return written


@main.group("store")
def store_group():
    """Work on whole stores (copy between SQLite files and PostgreSQL/PostGIS, maintenance)."""


@store_group.command("copy")
@click.argument("src", metavar="SRC")
@click.argument("dst", metavar="DST")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
def store_copy(src, dst, progress):
    """Copy every event, source, article, deletion record and token from SRC to DST.

    SRC and DST are store paths or URLs (an SQLite file, postgresql://user@host:port/db).
    Events keep their ids, timestamps and deleted state; tokens keep their hashes. Each batch
    is committed on its own and records already copied are skipped, so an interrupted copy
    resumes when run again. At the end the records of each kind are counted on both sides;
    a difference is an error (DST should be new, or an earlier copy of SRC).
    """
    source = _open(src, "source")
    try:
        target = _open(dst, "destination")
        try:
            if target.url == source.url:
                raise click.ClickException(f"SRC and DST are the same store ({source.url!r})")
            counts, copied, written = copy_store(source, target, progress=progress)
        finally:
            target.close()
    finally:
        source.close()
    click.echo(f"{'records':<12} {'SRC':>10} {'DST':>10}")
    for kind, n in counts.items():
        click.echo(f"{kind:<12} {n:>10,} {copied[kind]:>10,}")
    differ = [k for k in counts if counts[k] != copied[k]]
    if differ:
        raise click.ClickException(
            "count check failed: "
            + "; ".join(f"{k}: {counts[k]:,} in SRC, {copied[k]:,} in DST" for k in differ)
            + ". DST held other records before the copy, or a write to either store went on "
            "meanwhile"
        )
    click.echo(f"Copied: {written:,} records written, counts equal.")


@store_group.command("optimize")
def store_optimize():
    """Reorganise the store (--store, CONFLICTMAP_STORE) for fast bbox + date pages.

    On PostgreSQL/PostGIS: rewrite the events in date order and rebuild their indexes
    (CLUSTER, then VACUUM ANALYZE). Run it after filling a store out of date order (a
    `store copy`, a backfill of old archives); a store ingesting news as it comes stays in
    order by itself. It locks the events table while it runs (minutes at a million events)
    and needs free disk for a second copy of the table. An SQLite store needs nothing.
    """
    from webapp.cli import current_store_url

    store = _open(current_store_url(), "event")
    try:
        from geo.exc import StoreError

        try:
            click.echo(store.optimize())
        except StoreError as err:
            raise click.ClickException(str(err)) from err
    finally:
        store.close()
