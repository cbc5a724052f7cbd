"""KML 2.2 for events, written by GDAL's LIBKML driver; the styles come from the taxonomy.

One Placemark per event, with the event id as its id, a ``TimeSpan`` of its dates, a
``styleUrl`` to its type's shared style, an HTML balloon ``description``, ``ExtendedData``
holding every CSV column, and its point (with its area, for area-level events, in a
``MultiGeometry``).

LIBKML builds a whole document in memory before it writes it, so events are written
``KML_CHUNK_EVENTS`` at a time, each chunk as its own small KML file, and the Placemarks of those
files are put together into one document (the first file's head, every file's Placemarks,
the last file's end). The shared ``Style`` elements, one per event type of
``geo.events.taxonomy`` with the viewer's colours, go into that head: a Placemark can never
name a style the document lacks.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import BinaryIO

import pyarrow as pa

from geo.events.flat import JSON_COLUMNS, flatten_event
from geo.events.model import Event
from geo.events.taxonomy import TYPES
from geo.formats.gdal import contents_description, scratch_folder, write_layer
from geo.formats.tables import ATTRIBUTE_COLUMNS, attribute_schema, chunks, event_batch, geometry_of

__all__ = ["KML_CHUNK_EVENTS", "kml_styles", "write_kml", "xml_safe"]

# Characters XML 1.0 forbids even when escaped (C0 controls other than tab, LF, CR), in RE2.
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
#: Fields LIBKML turns into Placemark elements (``id`` attribute, name, balloon, TimeSpan,
#: style), before the CSV columns that become ExtendedData.
_PLACEMARK_FIELDS = ("id", "name", "description", "begin", "end", "OGR_STYLE")
#: Events per KML file written by LIBKML (its document is built in memory: about 30 KB an
#: event with every column as ExtendedData).
KML_CHUNK_EVENTS = 500
_GDAL_CONFIG = {"LIBKML_USE_SIMPLEFIELD": "NO"}  # ExtendedData as <Data name=...><value>


def xml_safe(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Return ``batch`` with text LIBKML can write whole into KML.

    Characters XML 1.0 forbids become U+FFFD. LIBKML puts text holding markup characters in
    a CDATA section as it is, so a "]]>" would end the section early: inside the JSON
    columns it is written "]]\\u003e" (the same JSON string), elsewhere "]]&gt;".

    Examples
    --------
    >>> b = pa.record_batch({"summary": ["a]]>b\x07"], "sources": ['["]]>"]']})
    >>> xml_safe(b).to_pylist()
    [{'summary': 'a]]&gt;b\ufffd', 'sources': '["]]\\\\u003e"]'}]
    """
    import pyarrow.compute as pc

    columns = []
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if pa.types.is_string(field.type):
            column = pc.replace_substring_regex(column, _ILLEGAL_XML, "\ufffd")
            end = "]]\\u003e" if field.name in JSON_COLUMNS else "]]&gt;"
            column = pc.replace_substring(column, "]]>", end)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def kml_styles() -> str:
    """Return the shared ``Style`` elements: one per event type, ``id`` = the type's code.

    Icons, lines and the area's outline take the type's colour of the viewer's palette; area
    fills are translucent; the balloon shows the Placemark's description only.

    Examples
    --------
    >>> '<Style id="capture"><IconStyle><color>ff009fe6</color>' in kml_styles()
    True
    """
    return "".join(
        f'<Style id="{t.code}"><IconStyle><color>{t.kml_colour()}</color></IconStyle>'
        f"<LineStyle><color>{t.kml_colour()}</color><width>2</width></LineStyle>"
        f"<PolyStyle><color>{t.kml_colour(0x55)}</color></PolyStyle>"
        "<BalloonStyle><text>$[description]</text></BalloonStyle></Style>\n"
        for t in TYPES
    )


def _description(event):
    """Return the balloon HTML: every piece of event text is HTML-escaped first."""
    e = html.escape
    lines = [f"<b>{e(event.event_type)}</b> {e(event.date_start.isoformat())}"]
    if event.date_end != event.date_start:
        lines[0] += f" – {e(event.date_end.isoformat())}"
    lines[0] += f" ({e(event.date_precision)})"
    if event.summary:
        lines.append(e(event.summary))
    place = event.location_name or event.name_in_text
    if place:
        precision = f" (precision: {e(event.geo_precision)})" if event.geo_precision else ""
        lines.append(f"{e(place)}{precision}")
    lines.append(f"Status: {e(event.status)}")
    for s in event.sources:
        label = e(s.publisher or s.source_id)
        if s.title:
            label += f": {e(s.title)}"
        if s.url and s.url.startswith(("http://", "https://")):
            label = f'<a href="{e(s.url, quote=True)}">{label}</a>'
        if s.quote:
            label += f" — “{e(s.quote)}”"
        lines.append(label)
    return "<br/>".join(lines)


def _rows(events):
    """Return the chunk's rows: the Placemark fields, then the CSV columns."""
    rows = []
    for event in events:
        title = event.location_name or event.name_in_text or event.event_id
        row = {
            "id": event.event_id,
            "name": f"{event.event_type}: {title}",
            "description": _description(event),
            "begin": event.date_start.isoformat(),
            "end": event.date_end.isoformat(),
            "OGR_STYLE": f"@{event.event_type}",  # LIBKML: <styleUrl>#type</styleUrl>
        }
        row.update(flatten_event(event))
        rows.append(row)
    return rows


def _split(text):
    """Return (head, placemarks, end) of a KML file written by LIBKML."""
    first = text.find("<Placemark")
    if first < 0:
        return text, "", ""
    start = text.rfind("\n", 0, first) + 1
    stop = text.index("\n", text.rindex("</Placemark>")) + 1
    return text[:start], text[start:stop], text[stop:]


def write_kml(events: Iterable[Event], out: BinaryIO, *, meta: dict) -> None:
    """Write a KML document of ``events``, one Placemark each, a chunk of events at a time.

    Text reaches KML escaped for XML (LIBKML escapes it; characters XML forbids become
    U+FFFD); the balloon ``description`` is HTML whose text parts are HTML-escaped before
    that, so article text can never become markup in Google Earth. The document's name and
    description carry the data's date and the attribution.
    """
    import pyogrio

    pyogrio.set_gdal_config_options(_GDAL_CONFIG)
    columns = (*_PLACEMARK_FIELDS, *ATTRIBUTE_COLUMNS)
    schema = attribute_schema(columns)
    name = "conflictmap events"
    if meta.get("data_as_of"):
        name += f" (data as of {meta['data_as_of']})"
    options = {"NAME": name}
    if meta.get("attribution"):
        options["DESCRIPTION"] = html.escape(contents_description({**meta, "data_as_of": None}))
    end = None
    with scratch_folder() as folder:
        for number, chunk in enumerate(chunks(events, KML_CHUNK_EVENTS), start=1):
            head, placemarks, end = _write_chunk(chunk, folder, schema, columns, options)
            if number == 1:
                out.write(_with_styles(head).encode("utf-8"))
            out.write(placemarks.encode("utf-8"))
        if end is None:  # no events: an empty document
            head, _, end = _write_chunk([], folder, schema, columns, options)
            out.write(_with_styles(head).encode("utf-8"))
        out.write(end.encode("utf-8"))


def _write_chunk(chunk, folder, schema, columns, options):
    path = folder / "chunk.kml"
    batch = event_batch(
        chunk,
        schema=schema,
        columns=columns,
        rows=_rows(chunk),
        geometry=lambda e: geometry_of(e, with_point=True),
    )
    write_layer(
        [xml_safe(batch)],
        path,
        schema=schema,
        driver="LIBKML",
        layer="events",
        geometry_type="Unknown",
        dataset_options=options,
        layer_options={"FOLDER": "YES"},
    )
    text = path.read_text(encoding="utf-8")
    path.unlink()
    return _split(text)


def _with_styles(head):
    """Return the document's head with the shared styles before its folder of Placemarks."""
    at = head.index("<Folder")
    at = head.rfind("\n", 0, at) + 1
    return head[:at] + kml_styles() + head[at:]
