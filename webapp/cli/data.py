"""``conflictmap geoparse`` (JSON lines of place mentions) and ``conflictmap ingest``."""

from __future__ import annotations

import json
import sys

import click

from webapp.cli import current_store_url, main

__all__ = [
    "geoparse_command",
    "geoparse_document",
    "ingest_command",
    "jsonl_document",
    "run_documents",
]


def geoparse_document(text, gazetteer=None, geocoder=None):
    """Return the JSON-ready place mentions of a text (country adjectives left out).

    Page boilerplate and reference markers are blanked before parsing, so offsets still
    index ``text`` exactly.
    """
    from geo.articles.reader import boilerplate_spans, mask_spans
    from geo.geoparse.resolve import geoparse

    masked = mask_spans(text, boilerplate_spans(text))
    mentions = geoparse(masked, gazetteer=gazetteer, geocoder=geocoder)
    return [m.to_dict() for m in mentions if m.role == "location"]


def jsonl_document(line):
    """Return ``(document, None)`` for one JSON line ``{"id", "text", ...}`` (text "" when
    missing), or ``(None, error row)`` when the line is not such an object."""
    try:
        doc = json.loads(line)
    except ValueError as err:
        return None, {"id": None, "error": f"The line is not valid JSON ({err})."}
    if not isinstance(doc, dict):
        return None, {
            "id": None,
            "error": f'Each line must be an object {{"id", "text"}}; got {doc!r:.80}.',
        }
    text = doc.get("text")
    if text is None:
        doc["text"] = ""
    elif not isinstance(text, str):
        return None, {
            "id": doc.get("id"),
            "error": f"text must be a string; got {type(text).__name__}.",
        }
    return doc, None


def _jsonl_row(line, gaz, geocoder):
    doc, error = jsonl_document(line)
    if error is not None:
        return error
    try:
        return {"id": doc.get("id"), "mentions": geoparse_document(doc["text"], gaz, geocoder)}
    except Exception as err:  # noqa: BLE001 - one bad document never stops the batch
        return {"id": doc.get("id"), "error": f"The document could not be geoparsed: {err}"}


@main.command("geoparse")
@click.argument("files", nargs=-1, metavar="FILE...|-")
@click.option(
    "--jsonl",
    "jsonl",
    is_flag=True,
    help='Read JSON lines {"id", "text"} and write {"id", "mentions"} per line.',
)
def geoparse_command(files, jsonl):
    """Find place mentions in text files and print one JSON line per mention.

    Each line has start, end (Python str offsets into the file's text), text, lat, lon,
    geonameid, feature_code, country_code, plus score, precision, name and role. With
    --jsonl, read documents as JSON lines from FILE or - (stdin) and write one line per
    document, in order, ids echoed; a malformed line gives {"id": null, "error": ...}.
    """
    from geo.exc import GazetteerError
    from geo.gazetteer.lookup import Gazetteer
    from geo.geoparse.geocoder import GazetteerGeocoder

    if not files:
        raise click.UsageError("Give a FILE to geoparse, or - to read standard input.")
    try:
        gaz = Gazetteer.default()
    except GazetteerError as err:
        raise click.ClickException(str(err)) from err
    geocoder = GazetteerGeocoder(gaz)
    run_documents(files, jsonl, lambda line: _jsonl_row(line, gaz, geocoder),
                  lambda text: geoparse_document(text, gaz, geocoder))  # fmt: skip


def run_documents(files, jsonl, jsonl_row, document_rows):
    """Read each FILE (or - for stdin) and write JSON lines: with ``jsonl``, one
    ``jsonl_row(line)`` per input line; else one line per row of ``document_rows(text)``
    (with "file" when several files are given). Unreadable files are reported on stderr
    and make the exit status 1; the others are still read."""
    out = sys.stdout
    failed = False
    for name in files:
        try:
            if name == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(name, "rb") as fh:
                    data = fh.read()
        except OSError as err:
            click.echo(f"error: cannot read {name!r}: {err.strerror or err}", err=True)
            failed = True
            continue
        if jsonl:
            for raw in data.splitlines():
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    row = {"id": None, "error": f"The line is not valid UTF-8 (byte {err.start})."}
                else:
                    if not line.strip():
                        continue
                    row = jsonl_row(line)
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            click.echo(f"error: {name!r} is not UTF-8 text (invalid byte at {err.start}); "
                       "expected a UTF-8 text file.", err=True)  # fmt: skip
            failed = True
            continue
        for row in document_rows(text):
            if len(files) > 1:
                row["file"] = name
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()
    if failed:
        sys.exit(1)


@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PATH...]")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Show a progress bar on stderr (only when it is a terminal).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run reading and extraction on this Dask scheduler's workers (tcp://host:8786).",
)
@click.option(
    "--workers", type=click.IntRange(1, 256),
    help="Run reading and extraction on a local Dask cluster of N worker processes.",
)  # fmt: skip
def ingest_command(paths, as_json, progress, scheduler, workers):
    """Ingest articles (files or folders) into the event store; default: the demo articles.

    Reads .txt, .md, .html and .json articles with optional sidecar metadata, extracts
    dated events and merges them with the events already stored, one transaction per
    article. Files that cannot be ingested are reported with the reason and the exit status
    is 1; the other files are still ingested. With --scheduler or --workers, reading and
    extraction run on Dask workers and this process writes, in input order (same result).
    """
    from geo.exc import GeoError
    from geo.pipeline.ingest import ingest_paths
    from geo.store.base import open_store

    try:
        store = open_store(current_store_url())
    except GeoError as err:
        raise click.ClickException(str(err)) from err
    try:
        if scheduler or workers:
            from geo.pipeline.distributed import ingest_distributed

            report = ingest_distributed(
                store, list(paths) or None, scheduler=scheduler, workers=workers,
                progress=progress, echo=lambda line: click.echo(line, err=True),
            )  # fmt: skip
        else:
            report = ingest_paths(store, list(paths) or None, progress=progress)
    except GeoError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(
            f"Ingested {len(report.ok)} article(s): {report.events_added} new event(s), "
            f"{report.events_updated} updated, {report.unchanged} unchanged, "
            f"{report.protected} left alone (reviewed or deleted)."
        )
        if report.events_undated:
            click.echo(
                f"{report.events_undated} event(s) not stored: their sentence states no date "
                "and their article has no publication date (give published_at in a sidecar).",
                err=True,
            )
    for _path, reason in report.failed:
        click.echo(f"error: {reason}", err=True)
    if report.failed:
        click.echo(f"{len(report.failed)} file(s) failed.", err=True)
        sys.exit(1)
