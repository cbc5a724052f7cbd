"""Dated front-line versions: areas of control or lines, each in force from a date on."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from geo.exc import ValidationError

__all__ = [
    "GEOMETRY_TYPES",
    "FrontLineVersion",
    "in_force",
    "parse_valid_from",
    "validity",
    "version_key",
]

#: Geometry types a front-line version may hold: control areas and lines of contact.
GEOMETRY_TYPES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString")
#: What a source name may hold: it is shown on the map and in the API.
_SOURCE = re.compile(r"[^\x00-\x1f\x7f]{1,120}")


def parse_valid_from(value):
    """Return ``value`` (a ``date`` or an ISO ``YYYY-MM-DD`` string) as a ``date``.

    Raises
    ------
    ValidationError
        When ``value`` is not a calendar date.

    Examples
    --------
    >>> parse_valid_from("2024-08-06")
    datetime.date(2024, 8, 6)
    """
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"the date of a front-line version must be YYYY-MM-DD; got {value!r}", field="date"
        ) from None


def version_key(source, valid_from):
    """Return the stable id of the version of ``source`` in force from ``valid_from``.

    Examples
    --------
    >>> version_key("ISW", "2024-08-06")
    'fl-2024-08-06-372c1c3e'
    """
    digest = hashlib.sha1(f"{source}\n{valid_from}".encode()).hexdigest()[:8]
    return f"fl-{valid_from}-{digest}"


@dataclass(frozen=True)
class FrontLineVersion:
    """One dated version of a source's front lines (GeoJSON features, lon/lat, EPSG:4326).

    Parameters
    ----------
    source : str
        Who drew it (``DeepStateMap``, ``ISW``, an analyst's name); versions of one source
        replace each other in time, versions of different sources coexist.
    valid_from : date
        The date from which this version is in force (until the source's next version).
    features : tuple of dict
        GeoJSON Features, each with a geometry of :data:`GEOMETRY_TYPES` and ``properties``
        (``name`` and ``kind`` — "area" or "line" — plus the file's own attributes).
    file_name : str, default ""
        The name of the file it was read from (provenance).
    imported_at : str, default ""
        When it was stored (ISO timestamp), set by the store.
    """

    source: str
    valid_from: date
    features: tuple = field(repr=False)
    file_name: str = ""
    imported_at: str = ""

    def __post_init__(self):
        if not isinstance(self.source, str) or not _SOURCE.fullmatch(self.source.strip()):
            raise ValidationError(
                "the source of a front-line version must be 1 to 120 printable characters; "
                f"got {self.source!r}",
                field="source",
            )
        object.__setattr__(self, "source", self.source.strip())
        object.__setattr__(self, "valid_from", parse_valid_from(self.valid_from))
        if not self.features:
            raise ValidationError(
                f"a front-line version needs at least one feature; {self.source!r} at "
                f"{self.valid_from} has none",
                field="features",
            )
        for feature in self.features:
            kind = (feature.get("geometry") or {}).get("type")
            if kind not in GEOMETRY_TYPES:
                raise ValidationError(
                    f"front-line geometries must be one of {', '.join(GEOMETRY_TYPES)}; "
                    f"got {kind!r}",
                    field="geometry",
                )
        object.__setattr__(self, "features", tuple(self.features))

    @property
    def key(self):
        """The version's stable id (see :func:`version_key`)."""
        return version_key(self.source, self.valid_from.isoformat())

    def bbox(self):
        """Return ``(min_lon, min_lat, max_lon, max_lat)`` over every feature."""
        box = [180.0, 90.0, -180.0, -90.0]
        for feature in self.features:
            stack = [feature["geometry"]["coordinates"]]
            while stack:
                item = stack.pop()
                if item and isinstance(item[0], int | float):
                    box = [
                        min(box[0], item[0]),
                        min(box[1], item[1]),
                        max(box[2], item[0]),
                        max(box[3], item[1]),
                    ]
                else:
                    stack.extend(item)
        return tuple(box)

    def features_json(self):
        """Return the features as compact JSON text (how the stores keep them)."""
        return json.dumps(list(self.features), ensure_ascii=False, separators=(",", ":"))

    def meta(self):
        """Return the version's description without its geometries (what listings show)."""
        return {
            "id": self.key,
            "source": self.source,
            "valid_from": self.valid_from.isoformat(),
            "file_name": self.file_name,
            "imported_at": self.imported_at,
            "feature_count": len(self.features),
            "bbox": list(self.bbox()),
        }


def validity(metas):
    """Return each version's ``valid_to``: the day before its source's next version, or None.

    ``metas`` are dicts with ``source`` and ``valid_from`` (ISO); the answer maps
    ``(source, valid_from)`` to an ISO date or None (in force until today).

    Examples
    --------
    >>> validity([{"source": "a", "valid_from": "2024-01-01"},
    ...           {"source": "a", "valid_from": "2024-02-01"}])
    {('a', '2024-01-01'): '2024-01-31', ('a', '2024-02-01'): None}
    """
    by_source = {}
    for m in metas:
        by_source.setdefault(m["source"], []).append(m["valid_from"])
    out = {}
    for source, starts in by_source.items():
        starts = sorted(starts)
        for here, after in zip(starts, [*starts[1:], None], strict=True):
            end = None if after is None else date.fromisoformat(after) - timedelta(days=1)
            out[(source, here)] = None if end is None else end.isoformat()
    return out


def in_force(metas, start=None, end=None, *, sources=()):
    """Return the versions in force at some day of ``[start, end]``, oldest first.

    A version is in force from its ``valid_from`` until the day before its source's next
    version. With neither ``start`` nor ``end``, the latest version of each source. With
    one date (``start == end``), at most one version per source: the one in force that day.

    Parameters
    ----------
    metas : list of dict
        Version descriptions (``source``, ``valid_from``), e.g. ``store.front_line_versions()``.
    start, end : date or str, optional
        The window (ISO dates); an open end is unbounded.
    sources : sequence of str, default ()
        Only these sources (all when empty).

    Returns
    -------
    list of dict
        The chosen ``metas``, each with ``valid_to`` added.
    """
    ends = validity(metas)
    lo = None if start is None else parse_valid_from(start).isoformat()
    hi = None if end is None else parse_valid_from(end).isoformat()
    chosen = []
    for m in metas:
        if sources and m["source"] not in sources:
            continue
        valid_to = ends[(m["source"], m["valid_from"])]
        if lo is None and hi is None:
            keep = valid_to is None
        else:
            keep = (hi is None or m["valid_from"] <= hi) and (
                lo is None or valid_to is None or valid_to >= lo
            )
        if keep:
            chosen.append({**m, "valid_to": valid_to})
    chosen.sort(key=lambda m: (m["valid_from"], m["source"]))
    return chosen
