"""The event model: dated events at places, each with the sources that report it.

Field names follow ``data/CODEBOOK.md`` (drawn from ACLED / UCDP GED practice). Events are
frozen dataclasses; ``Event.from_dict`` is the single validation path used by the CLI,
the HTTP API, the curated-events file and the store, so that every door checks the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from geo.common.dates import parse_day
from geo.common.excerpt import excerpt
from geo.events.fields import ID_PATTERN, ID_RULE, MAX_INT, check_id, check_tags, check_url
from geo.events.fields import choice as _choice
from geo.events.fields import opt_int as _opt_int
from geo.events.fields import opt_number as _opt_number
from geo.events.fields import opt_str as _opt_str
from geo.events.geometry import rfc7946_geometry, trust_geometry
from geo.events.taxonomy import (
    COUNT_KINDS,
    DATE_BASES,
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    STATUSES,
)
from geo.exc import ValidationError

__all__ = [
    "COUNT_KINDS",
    "DATE_BASES",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "EDITABLE_FIELDS",
    "GEO_PRECISIONS",
    "ID_PATTERN",
    "ID_RULE",
    "MAX_INT",
    "STATUSES",
    "Count",
    "Event",
    "Source",
    "make_event_id",
    "parse_date",
    "rfc7946_geometry",
    "trust_geometry",
    "trust_source",
]


def parse_date(value, *, field_name="date"):
    """Return ``value`` as a ``datetime.date`` (``geo.common.dates.parse_day``).

    Parameters
    ----------
    value : date, datetime or str
        An ISO 8601 calendar date ("2025-01-09"); a date-time keeps its date part.
    field_name : str, default "date"
        Named in the error message.

    Raises
    ------
    ValidationError
        When the value is not a real calendar date (e.g. "2025-02-30").

    Examples
    --------
    >>> parse_date("2025-01-09")
    datetime.date(2025, 1, 9)
    """
    return parse_day(value, field=field_name)


def _event_id(data):
    value = data.get("event_id")
    return "" if value in (None, "") else check_id(value)


def _edited_fields(value):
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(
            f"edited_fields must be a list of event field names; got {excerpt(value)}",
            field="edited_fields",
        )
    unknown = sorted(set(value) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            f"edited_fields names {excerpt(unknown[0])}, which is not an editable field; "
            f"expected some of {', '.join(EDITABLE_FIELDS)}",
            field="edited_fields",
        )
    return tuple(f for f in EDITABLE_FIELDS if f in value)


def _geo_precision(data, located):
    """Return the event's place precision: checked when given, "exact" by default, and
    None (never a claim) when the event has no location at all."""
    value = data.get("geo_precision")
    if value in (None, ""):
        return "exact" if located else None
    value = _choice(data, "geo_precision", GEO_PRECISIONS)
    return value if located else None


@dataclass(frozen=True)
class Count:
    """A reported number of people, with a low/high range when sources disagree.

    ``kind`` is one of ``COUNT_KINDS``; ``low == high`` for a single figure; ``best`` is the
    figure a source gives as its estimate (e.g. 11,000 within 10,000-12,000); ``text`` is the
    phrase it came from ("between 10,000 and 12,000", "thousands").
    """

    kind: str
    low: int | None = None
    high: int | None = None
    best: int | None = None
    text: str | None = None

    @classmethod
    def from_dict(cls, data):
        """Validate and build a Count from a mapping."""
        if not isinstance(data, dict):
            raise ValidationError(f"a count must be an object; got {excerpt(data)}", field="counts")
        kind = _choice(data, "kind", COUNT_KINDS)
        low, high = _opt_int(data, "low"), _opt_int(data, "high")
        best = _opt_int(data, "best")
        if low is not None and high is not None and low > high:
            raise ValidationError(f"count low {low} is above high {high}", field="counts")
        return cls(kind=kind, low=low, high=high, best=best, text=_opt_str(data, "text"))

    def to_dict(self):
        """Return the count as a JSON-ready dict."""
        return {"kind": self.kind, "low": self.low, "high": self.high, "best": self.best,
                "text": self.text}  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One report of an event: which article, who published it, and the supporting quote.

    ``start``/``end`` are Python ``str`` offsets of ``quote`` in the stored article text.
    """

    source_id: str
    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: str | None = None
    published_precision: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None

    @classmethod
    def from_dict(cls, data):
        """Validate and build a Source from a mapping."""
        if not isinstance(data, dict):
            raise ValidationError(
                f"a source must be an object; got {excerpt(data)}", field="sources"
            )
        source_id = _opt_str(data, "source_id", max_len=200)
        if not source_id:
            raise ValidationError("every source needs a source_id", field="sources")
        published_at = data.get("published_at")
        if published_at not in (None, ""):
            published_at = parse_date(published_at, field_name="published_at").isoformat()
        else:
            published_at = None
        precision = data.get("published_precision") or None
        if precision is not None and precision not in DATE_PRECISIONS:
            raise ValidationError(
                f"published_precision must be one of {', '.join(DATE_PRECISIONS)}; "
                f"got {excerpt(precision)}",
                field="published_precision",
            )
        start, end = _opt_int(data, "start"), _opt_int(data, "end")
        if start is not None and end is not None and end < start:
            raise ValidationError(f"source end {end} is before start {start}", field="sources")
        source = cls(
            source_id=source_id,
            publisher=_opt_str(data, "publisher", max_len=500),
            title=_opt_str(data, "title", max_len=2000),
            url=check_url(_opt_str(data, "url", max_len=4000)),
            published_at=published_at,
            published_precision=precision,
            quote=_opt_str(data, "quote", max_len=20_000),
            start=start,
            end=end,
        )
        trust_source(source)
        return source

    def to_dict(self):
        """Return the source as a JSON-ready dict (a new one at each call)."""
        # Sources are immutable and an event reported by hundreds of outlets is serialised at
        # each new report: the dict is built once per source and copied.
        fields = self.__dict__
        cached = fields.get("_dict")
        if cached is None:
            cached = fields["_dict"] = {name: fields[name] for name in _SOURCE_FIELDS}
        return dict(cached)


def trust_source(source):
    """Record that ``source`` is valid as it is (it came out of ``Source.from_dict``, or was
    read back from a store that validated it on write), so that ``Event.checked`` keeps it.

    Sources are immutable: one validated once stays valid.
    """
    source.__dict__["_checked"] = True


def _checked_source(item):
    """Return ``Source.from_dict(item)``; a Source that came out of it is returned as it is.

    Re-validating an event (``Event.checked``) so costs nothing per source it already had.
    """
    if isinstance(item, Source):
        if item.__dict__.get("_checked"):
            return item
        item = item.to_dict()
    return Source.from_dict(item)


@dataclass(frozen=True)
class Event:
    """A dated event at a place, with every source that reports it.

    Dates are ``datetime.date``; a single day has ``date_start == date_end``. ``latitude`` and
    ``longitude`` are WGS84 (the representative point of the place); ``geometry`` is a GeoJSON
    geometry dict for area-level events (admin1, region, country), ``None`` for points.
    ``geo_precision`` is None when the event has no location (no coordinates, geonameid or
    geometry): a precision is never claimed for a place that is not there.
    """

    event_id: str
    event_type: str
    date_start: date
    date_end: date
    date_precision: str = "day"
    date_basis: str | None = None
    summary: str | None = None
    location_name: str | None = None
    name_in_text: str | None = None
    geonameid: int | None = None
    feature_code: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: str | None = None
    geometry: dict | None = None
    actor1: str | None = None
    actor2: str | None = None
    claimed_by: str | None = None
    target: str | None = None
    counts: tuple[Count, ...] = ()
    status: str = "claimed"
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    reported_at: date | None = None
    extraction: str = "manual"
    gazetteer_version: str | None = None
    updated_at: str | None = None
    notes: str | None = None
    edited_fields: tuple[str, ...] = ()

    # -- construction and validation -------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """Validate a mapping (JSON, YAML, a GeoJSON Feature's properties) and build an Event.

        Raises
        ------
        ValidationError
            Naming the first offending field and the value received.
        """
        if not isinstance(data, dict):
            raise ValidationError(f"an event must be an object; got {type(data).__name__}")
        if data.get("type") == "Feature":
            props = dict(data.get("properties") or {})
            props.setdefault("event_id", data.get("id"))
            geom = data.get("geometry")
            if geom is not None and not (isinstance(geom, dict) and "type" in geom):
                raise ValidationError(
                    f"geometry must be a GeoJSON geometry object; got {excerpt(geom)}",
                    field="geometry",
                )
            if geom and geom["type"] == "Point":
                coords = geom.get("coordinates")
                if not (isinstance(coords, list | tuple) and len(coords) >= 2):
                    raise ValidationError(
                        f"a Point needs [lon, lat] coordinates; got {excerpt(coords)}",
                        field="geometry",
                    )
                rfc7946_geometry(geom)  # [lon, lat] or [lon, lat, height], numbers in range
                if props.get("latitude") is None:
                    props["longitude"], props["latitude"] = coords[:2]
            elif geom:
                # An area-level event: the area is the geometry, the point stays a property.
                props.setdefault("geometry", geom)
            data = props
        event_type = _choice(data, "event_type", EVENT_TYPES)
        if data.get("date_start") in (None, ""):
            raise ValidationError("date_start is required", field="date_start")
        start = parse_date(data["date_start"], field_name="date_start")
        end = parse_date(data.get("date_end") or start, field_name="date_end")
        if end < start:
            raise ValidationError(
                f"date_end {end.isoformat()} is before date_start {start.isoformat()}",
                field="date_end",
            )
        lat = _opt_number(data, "latitude", lo=-90, hi=90)
        lon = _opt_number(data, "longitude", lo=-180, hi=180)
        if (lat is None) != (lon is None):
            raise ValidationError("latitude and longitude come together", field="latitude")
        geometry = data.get("geometry")
        if geometry is not None and not (isinstance(geometry, dict) and "type" in geometry):
            raise ValidationError(
                f"geometry must be a GeoJSON geometry object; got {excerpt(geometry)}",
                field="geometry",
            )
        if geometry is not None:
            geometry = rfc7946_geometry(geometry)
        counts = data.get("counts") or ()
        if not isinstance(counts, list | tuple):
            raise ValidationError(f"counts must be a list; got {excerpt(counts)}", field="counts")
        sources = data.get("sources") or ()
        if not isinstance(sources, list | tuple):
            raise ValidationError(
                f"sources must be a list; got {excerpt(sources)}", field="sources"
            )
        tags = data.get("tags") or ()
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        reported = data.get("reported_at")
        country = _opt_str(data, "country_code", max_len=2)
        if country is not None and not (len(country) == 2 and country.isalpha()):
            raise ValidationError(
                f"country_code must be ISO 3166-1 alpha-2 like 'UA'; got {excerpt(country)}",
                field="country_code",
            )
        geonameid = _opt_int(data, "geonameid")
        located = lat is not None or geonameid is not None or geometry is not None
        event = cls(
            event_id=_event_id(data),
            event_type=event_type,
            date_start=start,
            date_end=end,
            date_precision=_choice(data, "date_precision", DATE_PRECISIONS, "day"),
            date_basis=_choice(data, "date_basis", (*DATE_BASES, None)),
            summary=_opt_str(data, "summary", max_len=5000),
            location_name=_opt_str(data, "location_name", max_len=500),
            name_in_text=_opt_str(data, "name_in_text", max_len=500),
            geonameid=geonameid,
            feature_code=_opt_str(data, "feature_code", max_len=10),
            country_code=country.upper() if country else None,
            admin1=_opt_str(data, "admin1", max_len=200),
            latitude=lat,
            longitude=lon,
            geo_precision=_geo_precision(data, located),
            geometry=geometry,
            actor1=_opt_str(data, "actor1", max_len=500),
            actor2=_opt_str(data, "actor2", max_len=500),
            claimed_by=_opt_str(data, "claimed_by", max_len=500),
            target=_opt_str(data, "target", max_len=200),
            counts=tuple(Count.from_dict(c) for c in counts),
            status=_choice(data, "status", STATUSES, "claimed"),
            sources=tuple(map(_checked_source, sources)),
            tags=check_tags(tags),
            reported_at=parse_date(reported, field_name="reported_at") if reported else None,
            extraction=_opt_str(data, "extraction", max_len=200) or "manual",
            gazetteer_version=_opt_str(data, "gazetteer_version", max_len=100),
            updated_at=_opt_str(data, "updated_at", max_len=64),
            notes=_opt_str(data, "notes", max_len=20_000),
            edited_fields=_edited_fields(data.get("edited_fields")),
        )
        if not event.event_id:
            event = dataclasses.replace(event, event_id=make_event_id(event))
        return event

    def replace(self, **changes) -> Event:
        """Return a copy with ``changes`` applied, as ``dataclasses.replace`` does.

        Raises
        ------
        TypeError
            When a name in ``changes`` is not a field.
        """
        unknown = changes.keys() - _EVENT_FIELD_SET
        if unknown:
            raise TypeError(f"Event has no field {sorted(unknown)[0]!r}")
        # Fields are copied as they are (no __post_init__ to run): the cost of
        # dataclasses.replace, a full __init__, adds up when events are merged by thousands.
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    # -- serialisation ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return every field as a JSON-ready dict (dates as ISO strings), in field order."""
        out = self._fields()
        out["sources"] = [s.to_dict() for s in self.sources]
        return out

    def _fields(self):
        """Return ``to_dict()`` except that ``sources`` holds the Source objects."""
        fields = self.__dict__
        out = {name: fields[name] for name in _EVENT_FIELDS}
        out["date_start"] = self.date_start.isoformat()
        out["date_end"] = self.date_end.isoformat()
        if self.reported_at is not None:
            out["reported_at"] = self.reported_at.isoformat()
        out["counts"] = [c.to_dict() for c in self.counts]
        out["tags"] = list(self.tags)
        out["edited_fields"] = list(self.edited_fields)
        return out

    def checked(self) -> Event:
        """Return ``Event.from_dict(self.to_dict())``: the event validated as if it came from
        JSON, whatever code built it (sources already validated are not rebuilt).

        Raises
        ------
        ValidationError
            As ``from_dict``.
        """
        return Event.from_dict(self._fields())

    def to_feature(self) -> dict[str, Any]:
        """Return the event as an RFC 7946 GeoJSON Feature ([lon, lat] order).

        Area-level events carry their area as the geometry; the representative point stays in
        the ``latitude``/``longitude`` properties.
        """
        props = self.to_dict()
        geometry = props.pop("geometry")
        if geometry is None and self.latitude is not None:
            geometry = {"type": "Point", "coordinates": [self.longitude, self.latitude]}
        return {"type": "Feature", "id": self.event_id, "geometry": geometry, "properties": props}

    @property
    def __geo_interface__(self):
        """GeoJSON Feature mapping (the Python geo interface)."""
        return self.to_feature()

    @property
    def publishers(self) -> set[str]:
        """Distinct publishers (case-folded) among the sources; unknown ones count by id."""
        return {(s.publisher or s.source_id).casefold() for s in self.sources}


_SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(Source))
_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_EVENT_FIELD_SET = frozenset(_EVENT_FIELDS)
#: Fields an analyst can change (and so mark edited), in field order.
EDITABLE_FIELDS = tuple(
    f for f in _EVENT_FIELDS if f not in ("event_id", "updated_at", "edited_fields", "sources")
)


def make_event_id(event: Event) -> str:
    """Return a stable id from what identifies an event: type, start date and place.

    The id does not depend on sources or wording, so re-ingesting or adding sources keeps it.

    Examples
    --------
    >>> e = Event.from_dict({"event_type": "capture", "date_start": "2025-01-09",
    ...                      "geonameid": 538555})
    >>> e.event_id == make_event_id(e)
    True
    """
    place = event.geonameid if event.geonameid is not None else event.location_name
    key = json.dumps(
        [
            event.event_type,
            event.date_start.isoformat(),
            place,
            event.summary if event.geonameid is None and event.location_name is None else None,
        ]
    )
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def utcnow_iso() -> str:
    """Return the current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
