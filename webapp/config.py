"""Default configuration of the web app; a settings file and ``CONFLICTMAP_*`` env override it.

Order (later wins): these defaults, ``instance/config.py``, the file named by
``$CONFLICTMAP_SETTINGS``, ``CONFLICTMAP_<KEY>`` environment variables (values parsed as JSON
when they are JSON, e.g. ``CONFLICTMAP_API_MAX_LIMIT=5000``), then ``create_app(test_config)``.
"""

__all__ = ["DEFAULTS", "ENV_PREFIX", "SETTINGS_ENV"]

#: Environment variable naming a Python settings file (``KEY = value`` lines).
SETTINGS_ENV = "CONFLICTMAP_SETTINGS"
#: Prefix of environment variables that set single keys (``CONFLICTMAP_STORE=...``).
ENV_PREFIX = "CONFLICTMAP"

DEFAULTS = {
    # the event store: None = $CONFLICTMAP_STORE or the default store (geo.common.paths:
    # data/conflictmap.sqlite in a checkout, else in the user data folder); a path, an URL
    # (sqlite:///x.sqlite) or an EventStore object (tests)
    "STORE": None,
    # request bodies above this many bytes are refused with a 413 JSON error
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    # the public base URL of links (landing page, Location, oEmbed), e.g.
    # "https://maps.example.org/conflictmap"; None: the address the server listens on. The
    # request's Host header is never used for links.
    "PUBLIC_URL": None,
    # OGC API paging: default page size and the cap of a JSON page (larger limits are capped)
    "API_DEFAULT_LIMIT": 100,
    "API_MAX_LIMIT": 10_000,
    # numberMatched of an items page is counted up to this many matches (or offset + limit
    # when more); beyond, it is left out (OGC API - Features makes it optional) and the next
    # link tells that more match. Counting costs 0.15-0.5 us of CPU per match on SQLite for
    # a bbox and dates (read in the R*Trees), about 1.2 us with other filters
    "NUMBER_MATCHED_MAX": 2_000,
    # cap of a file export (f=geojson, csv, gpkg, kml): exports stream, so this can be large
    "EXPORT_MAX_LIMIT": 1_000_000,
    # bounds of one items request (webapp.params.Limits; beyond them: 400)
    "API_MAX_OFFSET": 1_000_000_000,
    "API_MAX_TERMS": 8,
    "API_MAX_Q_CHARS": 500,
    "API_MAX_LIST_VALUES": 20,
    "API_MAX_ACTOR_CHARS": 200,
    "API_MAX_SOURCE_CHARS": 4000,
    # seconds a store query may work on one step (a count, the next rows): then 503
    "QUERY_TIMEOUT": 2.0,
    # requests that scan (free text, actor, source filters; geocoding batches) run at most
    # this many at a time; others wait up to HEAVY_WAIT seconds, then get a 503
    "HEAVY_REQUESTS": 2,
    "HEAVY_WAIT": 0.25,
    # load the gazetteer when the app is made (not under TESTING), so that no request pays
    # for it: the first geocoding request would otherwise take ~0.5 s and hold up the others
    "PRELOAD_GAZETTEER": True,
    # threads that run format writers for streamed exports (bounds concurrent exports)
    "EXPORT_WORKERS": 4,
    # most place names one batch geocoding request may carry, and their total characters
    "GEOCODE_BATCH_MAX": 1000,
    "GEOCODE_BATCH_CHARS": 20_000,
    # longest place name geocoded (GET and POST)
    "GEOCODE_MAX_CHARS": 200,
    # largest article upload (characters of text) accepted by POST /api/articles
    "ARTICLE_MAX_CHARS": 2_000_000,
    # endpoints that other sites may frame (the embed); every other response says DENY
    "FRAMEABLE_ENDPOINTS": ("maps.embed",),
    # CSP frame-ancestors of frameable endpoints; None sets no restriction (any page,
    # including a report opened from disk, may frame the embed)
    "EMBED_FRAME_ANCESTORS": None,
    # extra CSP img-src sources, e.g. ("https://tile.openstreetmap.org",) for online tiles
    "CSP_IMG_SRC": (),
    # Access-Control-Allow-Origin on public read responses (None: no CORS header)
    "CORS_ALLOW_ORIGIN": "*",
}
