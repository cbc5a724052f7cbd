"""Read event records from files (GeoJSON, JSON, YAML): curated files and imports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from geo.common import yamlio as _yaml
from geo.events.model import Event
from geo.exc import ValidationError

__all__ = ["read_events", "read_geojson", "read_records", "record_error"]


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
