"""The event model: dated events at places, each with the sources that report it.

Owns: the codebook's vocabularies (``taxonomy``: event types with their labels, colours and
symbols, precisions with their ranks, statuses, count kinds), ``Event``, ``Source``,
``Count`` and their validation (``model``), checked GeoJSON geometries (``geometry``), the
rules that merge reports of one event (``merge``) and what automatic extraction may not
overwrite (``protection``). May import ``geo.gazetteer.place``
(country codes), ``geo.common`` and ``geo.exc``.
"""

from geo.events.model import Count, Event, Source

__all__ = ["Count", "Event", "Source"]
