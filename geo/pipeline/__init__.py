"""The stages put together: articles → places → events → merged into the store.

Owns: ``ingest_paths`` and the merging of an article's events with stored ones (``ingest``),
and applying the analysts' curated file (``curated``). May import every other ``geo`` package.
"""
