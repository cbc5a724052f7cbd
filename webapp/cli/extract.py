"""``conflictmap extract``: the events a text reports, as JSON lines, without a store."""

from __future__ import annotations

import click

from geo.common.dates import parse_day
from geo.exc import ValidationError
from webapp.cli import main
from webapp.cli.data import jsonl_document, run_documents

__all__ = ["extract_command", "extract_document"]


def _span(text, span):
    if span is None:
        return None, None, None
    return span[0], span[1], text[span[0] : span[1]]


def extract_document(text, published=None, gazetteer=None):
    """Return the JSON-ready events one text reports (``geo.extract.find_events``).

    Each event has its type, the trigger and the place as offsets into ``text`` (Python
    ``str`` indices, as ``geoparse`` gives them), the place's coordinates and GeoNames id
    (null when the gazetteer does not know the name), the dates (null when the text states
    none and no publication date is given), actors, counts and the quoted sentence.
    """
    from geo.extract import find_events

    rows = []
    for e in find_events(text, published=published, gazetteer=gazetteer):
        start, end, trigger = _span(text, e.trigger)
        p_start, p_end, p_text = _span(text, e.place_span)
        place = e.place
        rows.append({
            "event_type": e.event_type,
            "trigger": {"start": start, "end": end, "text": trigger},
            "place": {
                "start": p_start, "end": p_end, "text": p_text,
                "name": place.name if place else None,
                "lat": place.lat if place else None, "lon": place.lon if place else None,
                "geonameid": place.geonameid if place else None,
                "feature_code": place.feature_code if place else None,
                "country_code": place.country_code if place else None,
                "basis": e.place_basis if place or p_text else None,
            },
            "date_start": e.date_start.isoformat() if e.date_start else None,
            "date_end": e.date_end.isoformat() if e.date_end else None,
            "date_basis": e.date_basis,
            "actor1": e.actor1, "actor2": e.actor2, "target": e.target, "mode": e.mode,
            "counts": [{"kind": c.kind, "low": c.low, "high": c.high, "best": c.best}
                       for c in e.counts],
            "quote": {"start": e.quote[0], "end": e.quote[1],
                      "text": text[e.quote[0] : e.quote[1]]},
        })  # fmt: skip
    return rows


def _published(value, where):
    """Return a publication date from "YYYY-MM-DD" (or a longer ISO timestamp), or None."""
    if value is None or value == "":
        return None
    try:
        return parse_day(value, field=where)
    except ValidationError:
        raise ValueError(f"{where} must be a date YYYY-MM-DD; got {value!r:.40}") from None


def _jsonl_row(line, gaz):
    doc, error = jsonl_document(line)
    if error is not None:
        return error
    doc_id = doc.get("id")
    try:
        published = _published(doc.get("published_at"), "published_at")
    except ValueError as err:
        return {"id": doc_id, "error": str(err)}
    try:
        return {"id": doc_id, "events": extract_document(doc["text"], published, gaz)}
    except Exception as err:  # noqa: BLE001 - one bad document never stops the batch
        return {"id": doc_id, "error": f"The document could not be read for events: {err}"}


@main.command("extract")
@click.argument("files", nargs=-1, metavar="FILE...|-")
@click.option(
    "--jsonl",
    "jsonl",
    is_flag=True,
    help='Read JSON lines {"id", "text", "published_at"} and write {"id", "events"} per line.',
)
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date of the files (dates such as 'on Friday' are read against it).",
)
def extract_command(files, jsonl, published):
    """Print the events texts report, one JSON line per event, without storing them.

    Each line has event_type, trigger and place (offsets into the file's text, as
    geoparse gives them, with the place's coordinates and GeoNames id), date_start and
    date_end (null when the text states no date and no --published date is given),
    date_basis, actors, counts and the quoted sentence. With --jsonl, read documents as
    JSON lines from FILE or - (stdin) and write one line per document, in order, ids
    echoed; a malformed line gives {"id": null, "error": ...}. To keep events, use ingest.
    """
    from geo.exc import GazetteerError
    from geo.gazetteer.lookup import Gazetteer

    if not files:
        raise click.UsageError("Give a FILE to read events from, or - to read standard input.")
    try:
        day = _published(published, "--published")
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--published") from err
    try:
        gaz = Gazetteer.default()
    except GazetteerError as err:
        raise click.ClickException(str(err)) from err
    run_documents(files, jsonl, lambda line: _jsonl_row(line, gaz),
                  lambda text: extract_document(text, day, gaz))  # fmt: skip
