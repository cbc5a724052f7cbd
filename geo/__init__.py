"""conflictmap's library: gazetteer, geocoding, geoparsing, events and their store.

Nothing here imports Flask; ``webapp`` wires this library into the CLI and the web app.
"""

__version__ = "0.1.0"
