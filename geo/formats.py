"""Export formats for events (GeoJSON, CSV, GeoPackage, KML) in one registry, and file readers.

Every writer has the signature ``write(events, out, *, meta)``: ``events`` is any iterable of
``Event`` (a store query streams them), ``out`` a binary file object, and ``meta`` a dict with
``data_as_of``, ``gazetteer_version``, ``attribution`` and ``query`` (the filters used). Writers
stream: they never hold every event in memory. The built-in formats are registered with
``register_format`` exactly as a third-party format would be.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from geo.events import COUNT_KINDS, Event
from geo.exc import ValidationError

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "Format",
    "default_meta",
    "flatten_event",
    "get_format",
    "read_events",
    "read_geojson",
    "read_records",
    "record_error",
    "register_format",
]

#: Attribution used when the gazetteer does not provide one.
FALLBACK_ATTRIBUTION = (
    "Contains data from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0. "
    "Made with Natural Earth (public domain)."
)


@dataclass(frozen=True)
class Format:
    """An export format: its name, media type, file extension and streaming writer.

    ``write(events, out, *, meta)`` writes ``events`` to the binary file ``out``. A writer
    with ``takes_features`` also takes, in place of Events, their GeoJSON Feature JSON texts
    as ``SQLiteStore.query_features`` yields them (see :func:`events_for`).
    """

    name: str
    media_type: str
    extension: str
    write: Callable[..., None]
    description: str = ""
    takes_features: bool = False

    def events_for(self, store, query):
        """Return what ``write`` should get for ``query``: Feature texts when both the
        writer and the store can (no decoding of stored events), else Events."""
        if self.takes_features and hasattr(store, "query_features"):
            return store.query_features(query)
        return store.query(query)


#: Registered formats by name ("geojson", "csv", "gpkg", "kml", and any added later).
FORMATS: dict[str, Format] = {}


def register_format(fmt: Format, *, replace: bool = False) -> Format:
    """Add ``fmt`` to ``FORMATS`` and return it.

    Parameters
    ----------
    fmt : Format
        The format to register; its ``name`` is the key (and the CLI/API format name).
    replace : bool, default False
        Whether an existing format of the same name may be replaced.

    Raises
    ------
    ValueError
        When the name is taken and ``replace`` is false.

    Examples
    --------
    >>> def write_ids(events, out, *, meta):
    ...     out.writelines(e.event_id.encode() + b"\\n" for e in events)
    >>> register_format(Format("ids", "text/plain", ".txt", write_ids)).name
    'ids'
    >>> del FORMATS["ids"]
    """
    if not isinstance(fmt, Format):
        raise TypeError(f"register_format takes a Format; got {type(fmt).__name__}")
    if fmt.name in FORMATS and not replace:
        raise ValueError(f"format {fmt.name!r} is already registered; pass replace=True")
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> Format:
    """Return the registered format called ``name``.

    Raises
    ------
    ValidationError
        Naming the format and listing the registered ones.
    """
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        raise ValidationError(
            f"format must be one of {', '.join(sorted(FORMATS))}; got {name!r}", field="format"
        ) from None


def default_meta(**meta) -> dict:
    """Return export metadata with the attribution and gazetteer version filled in if missing.

    Examples
    --------
    >>> "GeoNames" in default_meta(data_as_of="2025-01-12T00:00:00Z")["attribution"]
    True
    """
    if not meta.get("attribution"):
        try:
            from geo.gazetteer import ATTRIBUTION
        except ImportError:  # pragma: no cover - the gazetteer module defines it
            ATTRIBUTION = FALLBACK_ATTRIBUTION
        meta["attribution"] = ATTRIBUTION
    if not meta.get("gazetteer_version"):
        meta["gazetteer_version"] = _gazetteer_version()
    return meta


def _gazetteer_version():
    """Return the committed gazetteer's version from its manifest, without loading the index."""
    try:
        from geo.gazetteer import DATA_DIR

        manifest = json.loads((Path(DATA_DIR) / "manifest.json").read_text("utf-8"))
        return manifest.get("version")
    except (ImportError, OSError, ValueError):
        return None


# -- flattening (CSV, GeoPackage attributes) -------------------------------------------------

_SCALARS = (
    "event_id",
    "event_type",
    "date_start",
    "date_end",
    "date_precision",
    "reported_at",
    "summary",
    "location_name",
    "name_in_text",
    "geonameid",
    "feature_code",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "actor1",
    "actor2",
    "claimed_by",
    "status",
    "tags",
    "extraction",
    "gazetteer_version",
    "updated_at",
    "notes",
)
_COUNT_COLUMNS = tuple(f"count_{k}_{p}" for k in COUNT_KINDS for p in ("low", "high", "best"))
#: Columns of the CSV export, in order (documented in data/CODEBOOK.md).
CSV_COLUMNS = (
    *_SCALARS,
    *_COUNT_COLUMNS,
    "counts",
    "source_count",
    "source_ids",
    "source_publishers",
    "source_urls",
    "sources",
    "geometry",
)
#: Column types for typed outputs (GeoPackage); the rest are TEXT.
COLUMN_TYPES = {
    "geonameid": "INTEGER",
    "latitude": "REAL",
    "longitude": "REAL",
    "source_count": "INTEGER",
    **{c: "INTEGER" for c in _COUNT_COLUMNS},
}


def _pipe(values):
    return "|".join(str(v).replace("|", "/") for v in values if v not in (None, ""))


def flatten_event(event: Event) -> dict:
    """Return the event as one flat row keyed by ``CSV_COLUMNS``.

    Counts become ``count_<kind>_low/high/best`` (several counts of one kind: the smallest
    low, the largest high, the first best); ``counts`` and ``sources`` keep the full lists as
    JSON; ``source_ids``/``source_publishers``/``source_urls`` are pipe-joined (a "|" inside a
    value is written as "/"); ``tags`` are pipe-joined; ``geometry`` is the area geometry as
    GeoJSON text (empty for point events). Missing values are None.
    """
    data = event.to_dict()
    row = {name: data[name] for name in _SCALARS}
    row["tags"] = _pipe(event.tags) or None
    for count in event.counts:
        prefix = f"count_{count.kind}_"
        for part, pick in (("low", min), ("high", max)):
            value = getattr(count, part)
            if value is not None:
                old = row.get(prefix + part)
                row[prefix + part] = value if old is None else pick(old, value)
        if count.best is not None and row.get(prefix + "best") is None:
            row[prefix + "best"] = count.best
    for column in _COUNT_COLUMNS:
        row.setdefault(column, None)
    row["counts"] = json.dumps(data["counts"], ensure_ascii=False) if event.counts else None
    row["source_count"] = len(event.sources)
    row["source_ids"] = _pipe(s.source_id for s in event.sources) or None
    row["source_publishers"] = _pipe(s.publisher for s in event.sources) or None
    row["source_urls"] = _pipe(s.url for s in event.sources) or None
    row["sources"] = json.dumps(data["sources"], ensure_ascii=False) if event.sources else None
    row["geometry"] = json.dumps(event.geometry) if event.geometry else None
    return row


# -- GeoJSON ---------------------------------------------------------------------------------

_COMPACT = (",", ":")


def write_geojson(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write an RFC 7946 FeatureCollection, one feature per line, streaming.

    Top-level foreign members carry ``data_as_of``, ``attribution``, ``gazetteer_version``
    and ``query``; each feature's properties hold every event field, including all sources.
    ``events`` may hold, instead of Events, their Feature JSON texts (written as they are).
    """
    head = {"type": "FeatureCollection"}
    for key in ("data_as_of", "attribution", "gazetteer_version", "query"):
        if meta.get(key) is not None:
            head[key] = meta[key]
    text = json.dumps(head, ensure_ascii=False, default=str)
    out.write(text[:-1].encode("utf-8") + b', "features": [')
    separator = b"\n"
    for event in events:
        out.write(separator)
        if not isinstance(event, str):  # an Event, not a Feature's JSON text
            event = json.dumps(event.to_feature(), ensure_ascii=False, separators=_COMPACT)
        out.write(event.encode("utf-8"))
        separator = b",\n"
    out.write(b"\n]}\n")


# -- CSV -------------------------------------------------------------------------------------

_NUMERIC = {"geonameid", "latitude", "longitude", "source_count", *_COUNT_COLUMNS}
_FORMULA_START = ("=", "+", "-", "@")
#: Rows buffered before a write to ``out`` (the output streams in chunks of this many rows).
_CSV_ROWS_PER_WRITE = 200


def _csv_row(row):
    cells = []
    for name in CSV_COLUMNS:
        value = row[name]
        if value is None:
            value = ""
        elif name not in _NUMERIC and isinstance(value, str) and value.startswith(_FORMULA_START):
            value = "'" + value  # keeps spreadsheets from evaluating text as a formula
        cells.append(value)
    return cells


def write_csv(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write UTF-8 CSV with a header row of ``CSV_COLUMNS``, one row per event, streaming.

    Rows are written to ``out`` in chunks of ``_CSV_ROWS_PER_WRITE``. A text cell that starts
    with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe so that spreadsheets show it
    instead of evaluating it as a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    pending = 1
    for event in events:
        writer.writerow(_csv_row(flatten_event(event)))
        pending += 1
        if pending >= _CSV_ROWS_PER_WRITE:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    out.write(buffer.getvalue().encode("utf-8"))


# -- registry of the built-in formats --------------------------------------------------------


def _write_gpkg(events, out, *, meta):
    from geo._gpkg import write_gpkg

    write_gpkg(events, out, meta=meta)


def _write_kml(events, out, *, meta):
    from geo._kml import write_kml

    write_kml(events, out, meta=meta)


register_format(
    Format(
        "geojson",
        "application/geo+json",
        ".geojson",
        write_geojson,
        "RFC 7946 GeoJSON",
        takes_features=True,
    )  # fmt: skip
)
register_format(
    Format("csv", "text/csv; charset=utf-8", ".csv", write_csv, "CSV, one row per event")
)
register_format(
    Format("gpkg", "application/geopackage+sqlite3", ".gpkg", _write_gpkg, "OGC GeoPackage 1.3")
)
register_format(
    Format("kml", "application/vnd.google-earth.kml+xml", ".kml", _write_kml, "KML 2.2")
)


# -- readers (curated files, imports) --------------------------------------------------------


def _records_from_json(data, path):
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValidationError(
                f"{path}: a FeatureCollection needs a 'features' list; got {features!r:.60}",
                field="features",
            )
        return [(f"feature {i}", f) for i, f in enumerate(features)]
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if isinstance(data, dict):
        return [("record 0", data)]
    if isinstance(data, list):
        return [(f"record {i}", r) for i, r in enumerate(data)]
    raise ValidationError(
        f"{path}: expected a list of events, an 'events' list or a GeoJSON FeatureCollection; "
        f"got {type(data).__name__}",
        field="file",
    )


def read_records(path) -> Iterator[tuple[str, dict]]:
    """Yield ``(where, mapping)`` for each record of an events file, not yet validated.

    ``where`` names the record ("record 3", "feature 0", "line 7") for error messages. The
    file is YAML (``.yaml``/``.yml``), JSON Lines (``.jsonl``/``.ndjson``) or JSON/GeoJSON
    (anything else): a list of event mappings, a mapping with an ``events`` list, or a
    FeatureCollection.

    Raises
    ------
    ValidationError
        Naming the file (and line) when it cannot be read or parsed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        try:
                            yield f"line {number}", json.loads(line)
                        except json.JSONDecodeError as err:
                            raise ValidationError(
                                f"{path}: line {number} is not valid JSON: {err.msg}", field="file"
                            ) from err
            return
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValidationError(
            f"cannot read events file {str(path)!r}: {err}", field="file"
        ) from err
    if suffix in (".yaml", ".yml"):
        import yaml

        from geo import _yaml

        try:
            data = _yaml.load(text)
        except yaml.YAMLError as err:
            raise ValidationError(f"{path}: not valid YAML: {err}", field="file") from err
        if data is None:
            return
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValidationError(
                f"{path}: not valid JSON at line {err.lineno} column {err.colno}: {err.msg}",
                field="file",
            ) from err
    yield from _records_from_json(data, path)


def record_error(path, where, record, err) -> ValidationError:
    """Return ``err`` restated with the file, the record and its id (if any) in front."""
    ident = None
    if isinstance(record, dict):
        ident = record.get("event_id") or record.get("id")
        if ident is None and isinstance(record.get("properties"), dict):
            ident = record["properties"].get("event_id")
    label = f"{where} (event_id {ident!r})" if ident else where
    field = getattr(err, "field", None)
    field_part = f" field {field!r}:" if field else ""
    return ValidationError(f"{path}: {label}:{field_part} {err}", field=field)


def read_events(path) -> list[Event]:
    """Read and validate every event in a YAML, JSON Lines, JSON or GeoJSON file.

    Raises
    ------
    ValidationError
        Naming the file, the record (index and id) and the field of the first bad record.
    """
    events = []
    for where, record in read_records(path):
        try:
            events.append(Event.from_dict(record))
        except ValidationError as err:
            raise record_error(path, where, record, err) from err
    return events


def read_geojson(path) -> list[Event]:
    """Read and validate the events of a GeoJSON FeatureCollection file (see ``read_events``)."""
    return read_events(path)
