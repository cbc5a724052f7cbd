"""The Flask web app (OGC API - Features, maps, embeds) and the ``conflictmap`` CLI."""
