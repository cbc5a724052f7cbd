"""``conflictmap export`` (GeoJSON, CSV, GeoPackage, KML) and ``conflictmap events`` (curation)."""

from __future__ import annotations

import functools
import getpass
import json
import os
import secrets
import sys
from pathlib import Path

import click

from geo.common.bbox import BBox
from geo.common.dates import DateWindow, parse_day
from geo.events.model import EVENT_TYPES, STATUSES
from geo.exc import GeoError, NotFoundError, StoreError, ValidationError
from geo.formats import FORMATS, write_events
from webapp.cli import current_store_url, main

__all__ = ["build_query", "events_group", "export"]


def _bbox(ctx, param, value):
    if value is None:
        return None
    try:
        return BBox.parse(value, field="--bbox")
    except ValidationError as err:
        raise click.BadParameter(
            f"{err} (like 22,44,40,53; min_lon > max_lon crosses the antimeridian)"
        ) from None


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_day(value, field=f"--{param.name}")
    except ValidationError:
        raise click.BadParameter(f"expected an ISO date like 2025-01-09; got {value!r}") from None


def filter_options(func):
    """Add the event filters shared by ``export`` and ``events list`` to a command."""
    options = [
        click.option("--bbox", callback=_bbox, metavar="MINLON,MINLAT,MAXLON,MAXLAT",
                     help="Events whose point or area intersects this box."),
        click.option("--start", callback=_date, metavar="DATE",
                     help="Events whose date range ends on or after DATE (ISO)."),
        click.option("--end", callback=_date, metavar="DATE",
                     help="Events whose date range starts on or before DATE (ISO)."),
        click.option("--type", "types", multiple=True, type=click.Choice(EVENT_TYPES),
                     help="Event type (repeatable)."),
        click.option("--actor", "actors", multiple=True,
                     help="Actor name, matched as a case-insensitive substring (repeatable)."),
        click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
                     help="Status (repeatable)."),
        click.option("--q", "text", metavar="TEXT",
                     help="Free text over summary, places, actors and quotes."),
        click.option("--source", metavar="ID|PUBLISHER|URL",
                     help="Events with this source id, publisher or URL."),
        click.option("--limit", type=click.IntRange(min=0), help="At most this many events."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def build_query(bbox, start, end, types, actors, statuses, text, source, limit):
    """Return the ``EventQuery`` for the CLI filters (exit 2 naming a bad combination)."""
    from geo.store.base import EventQuery

    try:
        DateWindow.of(start, end, fields=("--start", "--end"))
    except ValidationError as err:
        raise click.UsageError(str(err)) from None
    return EventQuery(
        bbox=bbox,
        start=start,
        end=end,
        types=tuple(types),
        actors=tuple(actors),
        statuses=tuple(statuses),
        text=text,
        source=source,
        limit=limit,
    )


def _query_meta(bbox, start, end, types, actors, statuses, text, source, limit):
    query = {
        "bbox": list(bbox) if bbox else None,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "type": list(types),
        "actor": list(actors),
        "status": list(statuses),
        "q": text,
        "source": source,
        "limit": limit,
    }
    return {k: v for k, v in query.items() if v not in (None, [])}


#: CLI option named by a ``ValidationError.field`` of the store's query checks.
_OPTION_OF_FIELD = {
    "bbox": "--bbox",
    "start": "--start",
    "end": "--end",
    "types": "--type",
    "actors": "--actor",
    "statuses": "--status",
    "text": "--q",
    "source": "--source",
    "limit": "--limit",
}


def _store_errors(func):
    """Turn library errors into CLI errors: usage (2) for bad values, failure (1) otherwise."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as err:
            option = _OPTION_OF_FIELD.get(err.field)
            message = f"Invalid value for {option!r}: {err}" if option else str(err)
            raise click.UsageError(message) from err
        except (StoreError, NotFoundError, GeoError) as err:
            raise click.ClickException(str(err)) from err

    return wrapper


def _format_for(fmt, output):
    from geo.formats import FORMATS

    if fmt is None:
        name = Path(output).name.lower() if output and output != "-" else ""
        matches = [f for f in FORMATS.values() if name.endswith(f.extension)]
        # the longest extension that fits: "x.shp.zip" is a Shapefile, not any ".zip"
        fmt = max(matches, key=lambda f: len(f.extension)).name if matches else "geojson"
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"expected one of {', '.join(sorted(FORMATS))}; got {fmt!r}", param_hint="'--format'"
        )
    return FORMATS[fmt]


def _existing_store():
    """Open the store of ``--store`` for reading; a missing file is an error, not a new store."""
    from geo.store.base import DEFAULT_STORE, open_store

    url = current_store_url()
    target = str(url) if url else DEFAULT_STORE
    path = target
    if "://" in target:
        scheme, _, rest = target.partition("://")
        if scheme != "sqlite":
            return open_store(url)
        path = rest[1:] if rest.startswith("/") else rest
    if not Path(path).exists():
        raise click.ClickException(
            f"no event store at {path!r}; ingest articles first (conflictmap ingest) "
            "or pass --store PATH"
        )
    return open_store(url)


@main.command("export")
@click.option("--format", "fmt", metavar="|".join(FORMATS),
              help="Output format (default: from the -o extension, else geojson).")  # fmt: skip
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option("--one-per-day", is_flag=True,
              help="Merge events of one type at one place on one day (VIINA's view).")  # fmt: skip
@filter_options
@_store_errors
def export(fmt, output, one_per_day, **filters):
    """Export events matching the filters as GeoJSON, CSV, GeoPackage, KML, GeoParquet,
    FlatGeobuf or zipped Shapefile (the names of --format).

    Filters combine with AND; repeated --type/--status/--actor options combine with OR. The
    file is written whole or not at all (a temporary file is renamed into place).
    """
    from geo.formats import default_meta

    fmt_obj = _format_for(fmt, output)
    query = build_query(**filters)
    with _existing_store() as store:
        meta = default_meta(data_as_of=store.data_as_of(), query=_query_meta(**filters))

        def rows():
            if not one_per_day:
                return fmt_obj.events_for(store, query)
            from geo.events.merge import one_per_day as per_day
            from geo.gazetteer.lookup import Gazetteer

            meta["view"] = "one-per-day"
            return per_day(store.query(query), Gazetteer.default())

        if output in (None, "-"):
            out = sys.stdout.buffer
            write_events(rows(), out, fmt_obj, meta=meta)
            out.flush()
            return
        target = Path(output)
        if target.is_dir():
            raise click.BadParameter(
                f"expected a file path; {output!r} is a folder", param_hint="'-o'"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        # A new file honours the umask (mkstemp's would be private); renamed when complete.
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            with open(tmp, "xb") as handle:
                write_events(rows(), handle, fmt_obj, meta=meta)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        matched = store.count(query)
    shown = min(matched, filters["limit"]) if filters["limit"] is not None else matched
    click.echo(f"wrote {target} ({fmt_obj.name}, {shown} events)", err=True)


@main.group("events")
def events_group():
    """List, curate and delete stored events."""


def _one_line(text):
    """Return ``text`` with tabs, newlines and other control characters as spaces."""
    return "".join(" " if ch < " " or ch == "\x7f" else ch for ch in text)


@events_group.command("list")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line.")
@_store_errors
def list_events(as_json, **filters):
    """List events matching the filters (one line each, or JSON lines)."""

    query = build_query(**filters)
    with _existing_store() as store:
        for event in store.query(query):
            if as_json:
                click.echo(json.dumps(event.to_dict(), ensure_ascii=False))
                continue
            when = event.date_start.isoformat()
            if event.date_end != event.date_start:
                when += f"..{event.date_end.isoformat()}"
            place = event.location_name or event.name_in_text
            if place:
                place = _one_line(place) + (
                    f" ({event.geo_precision})" if event.geo_precision else " (no location)"
                )
            elif event.latitude is not None:
                place = f"{event.latitude:.4f},{event.longitude:.4f} ({event.geo_precision})"
            else:
                place = "no location"
            click.echo(
                f"{_one_line(event.event_id)}\t{when}\t{event.event_type}\t{event.status}\t"
                f"{place}\t{len(event.sources)} sources"
            )


@events_group.command("show")
@click.argument("event_id")
@_store_errors
def show_event(event_id):
    """Print one event as JSON."""

    with _existing_store() as store:
        event = store.get(event_id)
    if event is None:
        raise click.ClickException(f"no event with event_id {event_id!r}")
    click.echo(json.dumps(event.to_dict(), ensure_ascii=False, indent=2))


def _default_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name (containers)
        return "analyst"


@events_group.command("apply-curated")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--by", default=_default_user, show_default="current user",
              help="Who is recorded for the deletions.")  # fmt: skip
@click.option("--check", is_flag=True, help="Only validate the file; change nothing.")
@_store_errors
def apply_curated_command(file, by, check):
    """Apply the curated events file (default data/curated/events.yaml) in one transaction.

    Records add or correct events (their fields replace the stored ones); records with
    "deleted: true" and a "reason" delete events, and the deletion is recorded.
    """
    from geo.pipeline.curated import CURATED_FILE, apply_curated, load_curated
    from geo.store.base import open_store

    path = Path(file) if file else CURATED_FILE
    if not path.is_file():
        raise click.BadParameter(f"expected an existing YAML or GeoJSON file; got {str(path)!r}",
                                 param_hint="'FILE'")  # fmt: skip
    if check:
        records = load_curated(path)
        click.echo(f"{path}: {len(records)} records are valid")
        return
    with open_store(current_store_url()) as store:
        result = apply_curated(store, path, by=by)
    for label in ("added", "corrected", "unchanged", "deleted", "already_deleted"):
        ids = getattr(result, label)
        click.echo(
            f"{label.replace('_', ' ')}: {len(ids)}" + (f" ({', '.join(ids)})" if ids else "")
        )
    if result.unreviewed:
        click.echo(
            f"warning: {len(result.unreviewed)} curated events are not 'status: reviewed', so "
            f"automatic extraction may replace them: {', '.join(result.unreviewed)}",
            err=True,
        )
    if result.not_found:
        click.echo(
            f"warning: {len(result.not_found)} deletions name events that are not stored: "
            f"{', '.join(result.not_found)}",
            err=True,
        )


@events_group.command("delete")
@click.argument("event_id")
@click.option("--reason", required=True, help="Why the event is deleted (recorded).")
@click.option("--by", default=_default_user, show_default="current user", help="Who deletes it.")
@_store_errors
def delete_command(event_id, reason, by):
    """Delete one event; the deletion (who, when, why, the event) is recorded."""

    if not reason.strip():
        raise click.BadParameter(f"expected a non-empty reason; got {reason!r}",
                                 param_hint="'--reason'")  # fmt: skip
    with _existing_store() as store:
        store.delete_event(event_id, reason=reason, by=by)
    click.echo(f"deleted {event_id}")


@events_group.command("deletions")
@_store_errors
def deletions_command():
    """Print the deletion log as JSON lines (who, when, why, and the deleted event)."""

    with _existing_store() as store:
        for record in store.deletions():
            click.echo(json.dumps(record, ensure_ascii=False))
