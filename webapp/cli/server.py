"""``conflictmap serve`` (waitress) and ``conflictmap token create|list|revoke``."""

from __future__ import annotations

import click

from webapp.cli import current_store_url, main

__all__ = ["fill_if_empty", "serve", "token_group"]


def _open_store():
    from geo.exc import StoreError
    from geo.store.base import open_store

    try:
        return open_store(current_store_url())
    except StoreError as err:
        raise click.ClickException(str(err)) from err


def fill_if_empty(store, *, echo=click.echo):
    """Ingest the bundled demo articles into ``store`` when it holds no events and no articles.

    Returns
    -------
    bool
        Whether an ingestion ran.
    """
    if store.count() or store.articles():
        return False
    from geo.pipeline.ingest import DEMO_ARTICLES, ingest_paths

    echo(f"The store is empty: ingesting the demo articles in {DEMO_ARTICLES} ...")
    report = ingest_paths(store)
    for path, reason in getattr(report, "failed", ()):
        echo(f"warning: {path}: {reason}", err=True)
    echo(
        f"Ingested {len(getattr(report, 'ok', ()))} articles, "
        f"{getattr(report, 'events_added', '?')} events."
    )
    return True


def _server_name(host):
    """Return the host name links use when no public URL is set: the listening address."""
    import socket

    if host in ("", "0.0.0.0", "::", "*"):
        return socket.gethostname()
    return host


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port."
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Worker threads."
)
@click.option(
    "--no-ingest", is_flag=True, help="Do not fill an empty store with the demo articles."
)
@click.option(
    "--public-url",
    envvar="CONFLICTMAP_PUBLIC_URL",
    metavar="URL",
    help="The base URL clients reach the app at (behind a proxy: https://maps.example.org/cm); "
    "links use it. Default: http://HOST:PORT. The Host header is never used for links. "
    "Env CONFLICTMAP_PUBLIC_URL.",
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64),
    help="Server processes (gunicorn); more than 1 needs a PostgreSQL store.",
)  # fmt: skip
def serve(host, port, threads, no_ingest, public_url, workers):
    """Serve the map and the OGC API - Features with waitress (a production WSGI server).

    The store is --store / CONFLICTMAP_STORE / the default store; when it is empty it is
    first filled from the demo articles. Settings: CONFLICTMAP_SETTINGS (a Python file) and
    CONFLICTMAP_* environment variables.
    """
    from waitress import serve as waitress_serve

    from webapp import create_app, limits
    from webapp.security import check_public_url

    if public_url:
        try:
            public_url = check_public_url(public_url)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="'--public-url'") from None
    store = _open_store()
    if workers > 1:
        from webapp.cli.workers import check_workers, serve_workers

        try:
            check_workers(store, workers)
            if not no_ingest:
                fill_if_empty(store)
        finally:
            store.close()  # each worker opens its own connections
        settings = {"HEAVY_REQUESTS": max(1, threads // 4)}
        if public_url:
            settings["PUBLIC_URL"] = public_url
        click.echo(f"conflictmap on {store!r}: http://{host}:{port}/ ({workers} workers)")
        return serve_workers(store.url, host=host, port=port, workers=workers, threads=threads,
                             settings=settings)  # fmt: skip
    try:
        if not no_ingest:
            fill_if_empty(store)
        settings = {"STORE": store, "HEAVY_REQUESTS": max(1, threads // 4)}
        if public_url:
            settings["PUBLIC_URL"] = public_url
        app = create_app(settings)
    except BaseException:
        store.close()
        raise
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"conflictmap on {store!r}: http://{shown}:{port}/ (Ctrl+C stops)")
    if not public_url and _server_name(host) != host:
        click.echo(
            f"links name this machine as {_server_name(host)!r}; pass --public-url to set "
            "the address clients use",
            err=True,
        )
    limits.share_the_interpreter()
    try:
        waitress_serve(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="conflictmap",
            server_name=_server_name(host),
        )
    except OSError as err:
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror}") from err
    finally:
        store.close()


@main.group("token")
def token_group():
    """Manage API tokens for writes over HTTP (only their hashes are stored)."""


@token_group.command("create")
@click.argument("name")
def token_create(name):
    """Create (or rotate) the token NAME and print its secret once."""
    from geo.exc import StoreError, ValidationError

    store = _open_store()
    try:
        secret = store.create_token(name)
    except ValidationError as err:
        raise click.BadParameter(str(err), param_hint="NAME") from err
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    click.echo(secret)
    click.echo(
        f"Token {name.strip()!r} created; send it as 'Authorization: Bearer <token>'. "
        "It is not shown again.",
        err=True,
    )


@token_group.command("list")
def token_list():
    """List token names and creation times (never the secrets)."""
    from geo.exc import StoreError

    store = _open_store()
    try:
        rows = store.tokens()
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    for row in rows:
        click.echo(f"{row['name']}\t{row['created_at']}")


@token_group.command("revoke")
@click.argument("name")
def token_revoke(name):
    """Delete the token NAME so that it no longer authorizes writes."""
    from geo.exc import StoreError

    store = _open_store()
    try:
        found = store.revoke_token(name)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if not found:
        raise click.ClickException(f"no token named {name!r}; see 'conflictmap token list'")
    click.echo(f"Token {name!r} revoked.")
