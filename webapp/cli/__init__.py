"""The ``conflictmap`` command: a click group whose subcommands live in this package.

Each module here adds its commands to ``main`` (geocoding, ingestion and export, the web
server, static maps), and is imported at the end of this module; the group only holds
options every command shares, such as ``--store``.
"""

import click

__all__ = ["current_store_url", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_url",
    envvar="CONFLICTMAP_STORE",
    default=None,
    metavar="PATH|URL",
    help="Event store: an SQLite file path or a URL (default: data/conflictmap.sqlite in a "
    "checkout, conflictmap.sqlite in the user data folder when installed; env "
    "CONFLICTMAP_STORE).",
)
@click.version_option(package_name="conflictmap")
@click.pass_context
def main(ctx, store_url):
    """Conflict-event mapping: gazetteer, geoparsing, sourced events, API and maps, offline."""
    ctx.ensure_object(dict)
    ctx.obj["store_url"] = store_url


def current_store_url():
    """Return the ``--store`` value of the running command (None means the default store)."""
    ctx = click.get_current_context()
    return (ctx.find_root().obj or {}).get("store_url")


# The command modules add their commands to ``main``: imported last, once ``main`` exists.
from webapp.cli import data, export, extract, frontlines, geocode, maps, server, store  # noqa: E402, F401
