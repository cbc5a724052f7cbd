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
        The app with the API (bp "api", its writes and geocoding) and the map pages
        (bp "maps") registered, security headers and the JSON error shape installed.

    Examples
    --------
    >>> app = create_app({"TESTING": True})
    >>> sorted(bp for bp in app.blueprints)
    ['api', 'maps']
    """
    from flask import Flask

    from webapp import errors, security, store

    app = Flask(__name__, instance_relative_config=True)
    _load_config(app, test_config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    errors.init_app(app)
    security.init_app(app)
    store.init_app(app)

    from webapp import api, geocoding, writes  # noqa: F401 - they add routes to api.bp

    app.register_blueprint(api.bp)
    try:
        from webapp import views
    except ImportError as err:  # pragma: no cover - only while the map module is missing
        if err.name != "webapp.views":
            raise
    else:
        app.register_blueprint(views.bp)
    return app
