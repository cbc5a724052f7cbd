"""Stage 3: events from the sentences of an article: type, date, place, actors and counts.

Owns: date expressions (``temporal``), counts of people (``counts``), trigger words and
actor roles (``triggers``) and the candidates of one article (``candidates``). May import
``geo.geoparse``, ``geo.gazetteer``, ``geo.events`` (the model) and ``geo.common``.
"""

from geo.extract.events import EventMention, find_events, find_events_in

__all__ = ["EventMention", "find_events", "find_events_in"]
