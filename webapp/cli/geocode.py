"""``conflictmap geocode`` (JSON lines) and ``conflictmap gazetteer info|add``."""

from __future__ import annotations

import json
import sys

import click

from webapp.cli import main
from webapp.geocode_rows import empty_row, geocode_line

__all__ = ["gazetteer_group", "geocode"]


def _load(user_dir=None):
    """Return the geocoder, or exit with a clear message when the gazetteer cannot load."""
    from geo.exc import GazetteerError
    from geo.gazetteer.lookup import Gazetteer
    from geo.geoparse.geocoder import GazetteerGeocoder

    try:
        gaz = Gazetteer(user_dir=user_dir) if user_dir else Gazetteer.default()
    except GazetteerError as err:
        raise click.ClickException(str(err)) from err
    for err in gaz.user_errors:
        click.echo(f"warning: user gazetteer: {err} (row skipped)", err=True)
    return GazetteerGeocoder(gaz)


def _stdin_lines():
    stream = sys.stdin.buffer
    for line in iter(stream.readline, b""):
        yield line[:-1] if line.endswith(b"\n") else line


@main.command("geocode")
@click.argument("queries", nargs=-1, required=True, metavar="QUERY...|-")
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="Only places in this country (ISO alpha-2); repeatable.")  # fmt: skip
@click.option("--feature-class", "feature_classes", multiple=True,
              type=click.Choice(["P", "A", "L"]),
              help="Only this feature class; repeatable.")  # fmt: skip
def geocode(queries, countries, feature_classes):
    """Geocode place names offline: one JSON object per line, in input order.

    Give the names as arguments, or "-" to read one name per line from stdin. Each line
    carries query, lat, lon, geonameid, feature_code, country_code, precision and score
    (nulls when not found, with an "error" key when the input is not a usable name).
    """
    geocoder = _load()
    options = {
        "country_codes": [c.upper() for c in countries] or None,
        "feature_classes": list(feature_classes) or None,
    }
    source = _stdin_lines() if list(queries) == ["-"] else iter(queries)
    out = sys.stdout
    for query in source:
        if isinstance(query, bytes) and query.endswith(b"\r"):
            query = query[:-1]
        try:
            row = geocode_line(geocoder, query, **options)
        except Exception as err:  # noqa: BLE001 - one bad line never loses the batch
            text = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
            row = empty_row(text, f"Internal error while geocoding: {err}")
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()


@main.group("gazetteer")
def gazetteer_group():
    """Inspect the offline gazetteer, or add your own places to it."""


@gazetteer_group.command("info")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="Output format.")  # fmt: skip
def info(fmt):
    """Print the gazetteer's version, counts, sources and the attribution it requires."""
    data = _load().gazetteer.info()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"Gazetteer version {data['version']} ({data['data_dir']})")
    for key, value in data["counts"].items():
        click.echo(f"  {key:<10} {value:>8}")
    click.echo(f"  names      {data['names']:>8}")
    click.echo(f"  user places {data['user_places']} in {data['user_dir']}")
    for err in data["user_errors"]:
        click.echo(f"  user gazetteer problem: {err}")
    click.echo("Sources: " + ", ".join(data["sources"]))
    click.echo("Attribution: " + data["attribution"])


@gazetteer_group.command("add")
@click.argument("name")
@click.option("--lat", type=float, required=True, help="Latitude in degrees (WGS84).")
@click.option("--lon", type=float, required=True, help="Longitude in degrees (WGS84).")
@click.option("--country", required=True, metavar="CC", help="ISO 3166-1 alpha-2 code.")
@click.option("--admin1", default=None, help="GeoNames admin1 code (e.g. 41) or its name.")
@click.option("--feature-code", default="PPL", show_default=True, help="GeoNames code.")
@click.option("--alt-names", "alt_names", multiple=True,
              help="Other spellings; repeatable, or several separated by '|'.")  # fmt: skip
@click.option("--population", type=click.IntRange(min=0), default=None)
@click.option("--dir", "folder", default=None, type=click.Path(file_okay=False),
              help="User gazetteer folder (default $CONFLICTMAP_USER_GAZETTEER or "
              "data/gazetteer).")  # fmt: skip
def add(name, lat, lon, country, admin1, feature_code, alt_names, population, folder):
    """Add a place to your own gazetteer (a CSV file); the shipped data stays untouched."""
    from geo.exc import UserGazetteerError
    from geo.gazetteer.lookup import Gazetteer
    from geo.gazetteer.user import add_user_place, user_gazetteer_dir

    folder = folder or str(user_gazetteer_dir())
    gaz = Gazetteer.default() if folder == str(user_gazetteer_dir()) else Gazetteer(user_dir=False)
    cc = country.strip().upper()
    if gaz.country(cc) is None:
        raise click.BadParameter(f"expected an ISO 3166-1 alpha-2 country code; got {country!r}",
                                 param_hint="--country")  # fmt: skip
    if admin1:
        unit = gaz.admin1(cc, admin1.strip())
        if unit is None:
            matches = [p for p in gaz.lookup(admin1) if p.feature_code == "ADM1"
                       and p.country_code == cc]  # fmt: skip
            if not matches:
                raise click.BadParameter(
                    f"expected a GeoNames admin1 code or name in {cc}; got {admin1!r}",
                    param_hint="--admin1",
                )
            unit = matches[0]
        admin1 = unit.admin1_code
    names = [part.strip() for value in alt_names for part in value.split("|") if part.strip()]
    try:
        place = add_user_place(
            folder, name=name, lat=lat, lon=lon, country_code=cc, admin1_code=admin1,
            feature_code=feature_code, alt_names=names, population=population,
        )  # fmt: skip
    except UserGazetteerError as err:
        raise click.ClickException(str(err)) from err
    Gazetteer.reset_default()
    result = {"added": place.name, "geonameid": place.geonameid, "lat": place.lat,
              "lon": place.lon, "country_code": place.country_code,
              "admin1_code": place.admin1_code, "feature_code": place.feature_code,
              "alt_names": list(place.alt_names), "file": f"{folder}/places.csv"}  # fmt: skip
    click.echo(json.dumps(result, ensure_ascii=False))
