"""Stage 3: events from the sentences of an article: type, date, place, actors and counts.

Everything is read off one spaCy parse of the text (``geo.common.nlp``):

* ``lexicon`` + ``data/triggers.tsv`` — trigger words, their senses and conditions;
* ``detect`` — triggers whose sense the parse supports, and what did not happen;
* ``syntax`` — a trigger's subject, agent, objects and modifiers;
* ``headlines`` — a second parse of a headline whose verb the tagger read as a noun;
* ``places`` + ``data/linker.json`` — the scored link from a trigger to its place;
* ``temporal`` (``absolute``, ``relative``) and ``dating`` — dates and an event's date;
* ``arguments``, ``actors`` + ``data/actors.tsv`` — actors, targets and counts (``counts``);
* ``events`` — ``find_events``: the EventMentions of a text;
* ``news`` — what an article reports as news, not its background, details or summaries.

May import ``geo.geoparse``, ``geo.gazetteer``, ``geo.events`` (the model) and
``geo.common``.
"""

from geo.extract.events import EventMention, find_events, find_events_in

__all__ = ["EventMention", "find_events", "find_events_in"]
