"""Small folium MacroElements for the map viewer: data layer, basemap, time, legend, tools."""

from __future__ import annotations

import json

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

__all__ = [
    "Basemap",
    "DataStamp",
    "EventLayer",
    "FilterPanel",
    "FrontLines",
    "InlineJSON",
    "Layout",
    "Legend",
    "Notices",
    "PlaceLabels",
    "PlaceSearch",
    "PrintTitle",
    "StartViewer",
    "TimeControl",
    "Tools",
    "js_safe_json",
]


def js_safe_json(obj):
    """Return ``obj`` as JSON that is safe inside any ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so no ``</script>``
    or ``<!--`` can appear), and U+2028/U+2029 are escaped too.

    Examples
    --------
    >>> print(js_safe_json({"t": "</script>"}))
    {"t":"\\u003c/script\\u003e"}
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class EventLayer(JSCSSMixin, MacroElement):
    """The event layers (one per type) fed by the API, or by inlined data in static maps.

    Parameters
    ----------
    config : dict
        The viewer's configuration (JSON-serialisable): ``mode`` ("api" or "static"),
        ``types``, ``extent``, ``api`` URLs, ``limit``, ``embed``, … (see ``maps.build_map``).
    assets : list of (str, str)
        ``(name, url)`` pairs of this app's own JS and CSS files.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = ConflictMap.viewer(
            {{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, config, *, assets):
        super().__init__()
        self._name = "EventLayer"
        self.config = config
        # instance lists: never mutate JSCSSMixin's class attributes
        self.default_js = [(n, u) for n, u in assets if u.endswith(".js")]
        self.default_css = [(n, u) for n, u in assets if u.endswith(".css")]


class _ViewerPart(MacroElement):
    """A part of the viewer: calls ``ConflictMap.<function>(viewer, options)``."""

    function = ""
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ConflictMap.{{ this.function }}({{ this.viewer.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, viewer, **options):
        super().__init__()
        self._name = type(self).__name__
        self.viewer = viewer
        self.options = options


class Basemap(_ViewerPart):
    """The offline vector basemap (Natural Earth countries, admin1), layer control, attribution.

    Options: ``urls`` ({"country": url, "admin1": url}) or ``inline`` (ids of JSON script
    elements), ``tiles`` (configured online tile layers), ``attribution`` (plain text).
    """

    function = "addBasemap"


class Legend(_ViewerPart):
    """The panel: layers and legend in one list (a checkbox, symbol, label and count per
    event type; the other overlays; the location-precision key) and the events in view."""

    function = "addPanel"


class TimeControl(_ViewerPart):
    """A date-window slider with step and playback buttons and the "as of" date.

    Options: ``step_days`` (default 7), ``play_ms`` (default 1200).
    """

    function = "addTimeControl"


class FilterPanel(_ViewerPart):
    """Filters: free text, actor, status and the date range. Options: ``statuses``."""

    function = "addFilters"


class Tools(_ViewerPart):
    """Counts, permalink, download menu (``formats``: [{id, label}]) and embed snippet."""

    function = "addTools"


class DataStamp(_ViewerPart):
    """The "data as of" stamp; ``full_url`` adds a link to the full map (used by embeds)."""

    function = "addStamp"


class FrontLines(_ViewerPart):
    """The dated front lines in force at the end of the time window (``frontlines.js``).

    Options: ``url`` (the ``front_lines`` items route, page mode) or ``inline`` (the id of a
    JSON script element holding every version with its features, static maps).
    """

    function = "addFrontLines"


class PlaceLabels(_ViewerPart):
    """Offline place labels (``places.js``), collision-free, denser as one zooms in.

    Options: ``url`` (``/maps/places.json``) or ``inline`` (the id of a JSON script element
    of places), ``zooms`` (smallest population labelled per zoom level).
    """

    function = "addPlaceLabels"


class PlaceSearch(_ViewerPart):
    """The place search box: type-ahead from ``suggest``, the best match from ``geocode``."""

    function = "addSearch"


class PrintTitle(_ViewerPart):
    """A report map's title box: the title, the time window, the counts and the data's date.

    Options: ``title``, ``data_as_of``.
    """

    function = "addPrintTitle"


class Layout(_ViewerPart):
    """Popups above the controls and fitted between them; a compact layout on small maps."""

    function = "addLayout"


class Notices(_ViewerPart):
    """A small notice listing what the URL asked for that the map did not apply."""

    function = "addNotices"


class StartViewer(MacroElement):
    """Restore the permalink state and load the first data; add it after every other part."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.viewer.get_name() }}.start();
        {% endmacro %}
        """
    )

    def __init__(self, viewer):
        super().__init__()
        self._name = "StartViewer"
        self.viewer = viewer


class InlineJSON(MacroElement):
    """Data inlined into a static page: ``<script type="application/json">`` read by JSON.parse.

    The text is escaped with ``js_safe_json`` so no string inside can close the element.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.element_id }}">{{ this.text }}</script>
        {% endmacro %}
        """
    )

    def __init__(self, element_id, obj):
        super().__init__()
        self._name = "InlineJSON"
        if not element_id.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"element_id must be letters, digits, - or _; got {element_id!r}")
        self.element_id = element_id
        self.text = js_safe_json(obj)
