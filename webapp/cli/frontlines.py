"""``conflictmap frontlines import|list|delete``: front lines as dated geometry."""

from __future__ import annotations

import json

import click

from webapp.cli import current_store_url, main

__all__ = ["frontlines_group"]


def _store():
    from geo.exc import GeoError
    from geo.store.base import open_store

    try:
        store = open_store(current_store_url())
    except GeoError as err:
        raise click.ClickException(str(err)) from err
    if "front_lines" not in store.capabilities:
        store.close()
        raise click.ClickException(f"the store {store!r} cannot keep front lines")
    return store


@main.group("frontlines")
def frontlines_group():
    """Front lines as dated geometry: areas of control or lines, one version per date."""


@frontlines_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--date",
    "valid_from",
    required=True,
    metavar="YYYY-MM-DD",
    help="The date from which this version is in force.",
)
@click.option(
    "--source",
    default=None,
    metavar="NAME",
    help="Who drew it (DeepStateMap, ISW, an analyst); default: the file's name.",
)
@click.option(
    "--replace", is_flag=True, help="Replace a version of the same source and date already stored."
)
@click.option(
    "--skip-other",
    is_flag=True,
    help="Leave out points and other geometry types instead of refusing the file.",
)
def import_command(file, valid_from, source, replace, skip_other):
    """Import FILE (GeoJSON, KML/KMZ or GeoPackage) as the front lines in force from --date.

    Every layer is read through GDAL; coordinates are brought to lon/lat (EPSG:4326);
    polygons are areas of control, lines are lines of contact. The version stays in force
    until the same source's next version. Prints the stored version as one JSON line.
    """
    from geo.exc import GeoError
    from geo.frontlines import read_front_lines

    try:
        version, report = read_front_lines(
            file, valid_from=valid_from, source=source, skip_other=skip_other
        )
    except GeoError as err:
        raise click.ClickException(str(err)) from err
    store = _store()
    try:
        meta = store.put_front_lines(version, replace=replace)
    except GeoError as err:
        message = str(err)
        if "already stored" in message:
            message += " with --replace"
        raise click.ClickException(f"{file!r} was not imported: {message}") from err
    finally:
        store.close()
    click.echo(json.dumps({**meta, **{k: report[k] for k in ("skipped", "repaired")}}))


@frontlines_group.command("list")
@click.option("--source", "sources", multiple=True, metavar="NAME", help="Only this source.")
def list_command(sources):
    """List the stored versions, one JSON line each (by source, then date)."""
    from geo.frontlines import validity

    store = _store()
    try:
        metas = store.front_line_versions(tuple(sources))
    finally:
        store.close()
    ends = validity(metas)
    for meta in metas:
        click.echo(json.dumps({**meta, "valid_to": ends[(meta["source"], meta["valid_from"])]}))


@frontlines_group.command("delete")
@click.argument("source")
@click.argument("valid_from", metavar="DATE")
def delete_command(source, valid_from):
    """Delete the version of SOURCE in force from DATE."""
    from geo.exc import GeoError

    store = _store()
    try:
        found = store.delete_front_lines(source, valid_from)
    except GeoError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if not found:
        raise click.ClickException(f"no front-line version of {source!r} from {valid_from}")
    click.echo(f"deleted the front lines of {source!r} from {valid_from}")
