"""The Flask web app (OGC API - Features, maps, embeds) and the ``conflictmap`` CLI."""

from __future__ import annotations

import os

__all__ = ["create_app"]


def _load_config(app, test_config):
    from webapp.config import DEFAULTS, ENV_PREFIX, SETTINGS_ENV

    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    settings = os.environ.get(SETTINGS_ENV)
    if settings:
        try:
            app.config.from_pyfile(os.path.abspath(settings))
        except OSError as err:
            raise RuntimeError(
                f"{SETTINGS_ENV} must name a readable Python settings file; got "
                f"{settings!r} ({err.strerror})"
            ) from err
    app.config.from_prefixed_env(ENV_PREFIX)
    app.config.pop("SETTINGS", None)
    if test_config is not None:
        app.config.from_mapping(test_config)


def create_app(test_config=None):
    """Create the conflictmap Flask app.

    Parameters
    ----------
    test_config : mapping, optional
        Settings applied last, over the defaults (``webapp.config``), the instance and
        ``$CONFLICTMAP_SETTINGS`` files and the ``CONFLICTMAP_*`` environment variables.
        ``STORE`` may be an ``EventStore`` object.

    Returns
    -------
    flask.Flask
        The app with its blueprints registered (the OGC API reads, its
        writes, geocoding and the map pages), security headers and the JSON error shape
        installed.

    Examples
    --------
    >>> app = create_app({"TESTING": True})
    >>> sorted(app.blueprints)
    ['api', 'geocoding', 'maps', 'writes']
    """
    from flask import Flask

    from webapp import api, errors, geocoding, security, store, views, writes

    app = Flask(__name__, instance_relative_config=True)
    _load_config(app, test_config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    errors.init_app(app)
    security.init_app(app)
    store.init_app(app)
    for blueprint in (api.bp, writes.bp, geocoding.bp, views.bp):
        app.register_blueprint(blueprint)
    if app.config.get("PRELOAD_GAZETTEER") and not app.testing:
        geocoding.preload(app)
    return app
