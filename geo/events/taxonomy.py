"""The codebook's vocabularies, each written once: event types, precisions, statuses, counts.

Everything that shows or ranks these codes is derived from here: the model's validation
(``geo.events.model``), merging (``geo.events.merge``), the extraction's choice of an event's
place, the KML styles (``geo.formats.kml``), the viewer's layers, legend and JavaScript
configuration (``webapp.maps``) and the printed SVG legend (``webapp.svgmap``). The codes and
their meaning are documented in ``data/CODEBOOK.md``. Imports nothing.

Examples
--------
>>> TYPE_BY_CODE["capture"].label, TYPE_BY_CODE["capture"].colour
('Capture', '#E69F00')
>>> TYPE_BY_CODE["capture"].kml_colour()
'ff009fe6'
>>> sorted(GEO_PRECISIONS, key=PRECISION_RANK.get)[:2]
['exact', 'near']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CIVILIANS_ACTOR",
    "COUNT_KINDS",
    "DATE_BASES",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "FALLBACK_TYPE",
    "GEO_PRECISIONS",
    "PRECISIONS",
    "PRECISION_BY_CODE",
    "PRECISION_KEY",
    "PRECISION_RANK",
    "STATUSES",
    "STATE_FORCES_PREFIXES",
    "SYMBOLS",
    "TYPES",
    "TYPE_BY_CODE",
    "UNIDENTIFIED_ACTOR",
    "UNKNOWN_RANK",
    "EventType",
    "Precision",
    "event_type",
]

#: Map symbols the viewer (``webapp/static/symbols.js``) and the SVG renderer can draw.
SYMBOLS = (
    "circle",
    "square",
    "triangle",
    "triangle_down",
    "diamond",
    "star",
    "hexagon",
    "pentagon",
    "cross",
)


@dataclass(frozen=True)
class EventType:
    """One event type of the codebook and how it is shown.

    Attributes
    ----------
    code : str
        The code stored in ``event_type``.
    label : str
        Singular name, used in summaries ("Capture of ... in Kursk Oblast").
    legend : str
        Plural name of the map layer and legend row.
    colour : str
        ``#RRGGBB`` of the viewer's palette (Okabe-Ito based, colour-blind safe); KML styles
        use the same colour (:meth:`kml_colour`).
    symbol : str
        One of ``SYMBOLS``.
    """

    code: str
    label: str
    legend: str
    colour: str
    symbol: str

    def kml_colour(self, alpha: int = 0xFF) -> str:
        """Return the colour as KML writes it: ``aabbggrr`` in lower-case hex."""
        rgb = self.colour.lstrip("#").lower()
        return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


#: The event types, in the order of layers and legends.
TYPES = (
    EventType("deployment", "Deployment", "Deployments", "#0072B2", "triangle"),
    EventType("capture", "Capture", "Captures", "#E69F00", "square"),
    EventType("casualties", "Casualties", "Casualties", "#D55E00", "circle"),
    EventType("attack", "Attack", "Attacks", "#B2182B", "star"),
    EventType("self_detonation", "Self-detonation", "Self-detonations", "#7B3294", "cross"),
    EventType("front_line", "Front line", "Front-line references", "#009E73", "diamond"),
    EventType("movement", "Movement", "Movements", "#56B4E9", "triangle_down"),
    EventType("statement", "Statement", "Statements", "#666666", "hexagon"),
    EventType("protest", "Protest", "Protests", "#CC79A7", "pentagon"),
)
#: The event type codes (``Event.event_type`` must be one of them).
EVENT_TYPES = tuple(t.code for t in TYPES)
TYPE_BY_CODE = {t.code: t for t in TYPES}
#: How a code outside ``EVENT_TYPES`` is drawn (data written by a newer version, say).
FALLBACK_TYPE = EventType("", "", "", "#888888", "circle")


def event_type(code: str) -> EventType:
    """Return the type called ``code``, or ``FALLBACK_TYPE`` named after it when unknown."""
    found = TYPE_BY_CODE.get(code)
    if found is not None:
        return found
    name = str(code).replace("_", " ").capitalize()
    return EventType(str(code), name, name, FALLBACK_TYPE.colour, FALLBACK_TYPE.symbol)


@dataclass(frozen=True)
class Precision:
    """A location precision (``geo_precision``).

    Attributes
    ----------
    code : str
        The stored code.
    rank : int
        0 for the finest place; merging and extraction prefer the lowest rank.
    drawn : str
        How maps draw it: "point" (the type's symbol), "near" (the symbol, hollow) or "area"
        (the outline, else a circle of ``area_km``); the rows of ``PRECISION_KEY``.
    area_km : float or None
        Radius drawn around the point of an area when no outline is known.
    """

    code: str
    rank: int
    drawn: str
    area_km: float | None = None


#: Location precisions, finest first.
PRECISIONS = (
    Precision("exact", 0, "point"),
    Precision("near", 1, "near"),
    Precision("admin2", 2, "area", 25),
    Precision("admin1", 3, "area", 80),
    Precision("region", 4, "area", 150),
    Precision("country", 5, "area", 300),
)
GEO_PRECISIONS = tuple(p.code for p in PRECISIONS)
PRECISION_BY_CODE = {p.code: p for p in PRECISIONS}
#: Rank of each location precision (0 = finest).
PRECISION_RANK = {p.code: p.rank for p in PRECISIONS}
#: Rank given to a precision that is missing or unknown: after every known one.
UNKNOWN_RANK = len(PRECISIONS)
#: The legends' key to how precision is drawn: (``Precision.drawn``, text).
PRECISION_KEY = (
    ("point", "exact place"),
    ("near", "near a place"),
    ("area", "district, region or country (area)"),
)

#: Date precisions (``date_precision``, ``published_precision``).
DATE_PRECISIONS = ("day", "week", "month", "year", "range")
#: Where an extracted event's date comes from (``date_basis``), the surest first: stated in
#: its sentence, inherited from the sentence it continues, or the day its report was
#: published.
DATE_BASES = ("stated", "inherited", "report")
#: Review statuses, from the least to the most checked.
STATUSES = ("claimed", "corroborated", "reviewed")
#: Kinds of counts (``counts[].kind``; the CSV's ``count_<kind>_*`` columns).
COUNT_KINDS = (
    "killed",
    "wounded",
    "killed_or_wounded",
    "captured",
    "deployed",
    "missing",
    "displaced",
)
#: The actor of an armed act whose author the report does not name ("gunmen", "the
#: attackers", "the insurgents"): within one article, the non-state group it named before.
UNIDENTIFIED_ACTOR = "Unidentified Armed Group"
#: People taking no part in the fighting, as an actor.
CIVILIANS_ACTOR = "Civilians"
#: How the names of a state's forces begin ("Military Forces of Russia", ACLED's convention).
STATE_FORCES_PREFIXES = ("Military Forces of ", "Police Forces of ")
