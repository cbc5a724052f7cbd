"""``conflictmap build-maps``: self-contained static HTML maps and a print SVG/PNG in ``maps/``."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import click

from webapp.cli import current_store_url, main

__all__ = ["build_maps", "build_static_map", "clip_outlines", "front_line_versions"]

CHROMIUM = "/usr/bin/chromium"


def clip_outlines(fc, bounds, *, margin=2.0):
    """Return the features of ``fc`` that intersect ``bounds`` widened by ``margin`` degrees."""
    from shapely.geometry import box, shape

    (south, west), (north, east) = bounds
    area = box(west - margin, south - margin, east + margin, north + margin)
    kept = []
    for feature in fc.get("features", []):
        geom = feature.get("geometry")
        if geom and shape(geom).intersects(area):
            kept.append(feature)
    return {"type": "FeatureCollection", "features": kept}


def _outlines(bounds):
    from geo.gazetteer.lookup import Gazetteer

    gaz = Gazetteer.default()
    out = {}
    for level in ("country", "admin1"):
        fc = gaz.outlines(level)
        out[level] = clip_outlines(fc, bounds) if bounds else fc
    return out


def build_static_map(
    features,
    *,
    data_as_of=None,
    basemap=None,
    title="conflictmap",
    embed=False,
    front_lines=None,
    labels=True,
    print_mode=False,
):
    """Return ``(html, bounds)``: a self-contained map page of ``features`` and its view box.

    Leaflet and the viewer's JS/CSS, the events and the basemap are inlined, so the page
    works from ``file://`` with no server and no network. ``embed`` drops the filter and
    tool panels (used for the PNG). ``front_lines``: the dated front-line versions to inline
    (``{source, valid_from, valid_to, features}``, see :func:`front_line_versions`).
    ``labels``: inline the gazetteer's place labels of the area (towns of 1,000 and more).
    ``print_mode``: the map for reports (the PNG): title, window, legend, attribution and no
    interactive control.
    """
    from webapp.maps import build_map, data_extent, render_static

    data = {"type": "FeatureCollection", "features": features}
    _, bounds = data_extent(features)
    if basemap is None and bounds:
        basemap = _outlines(bounds)
    m = build_map(
        mode="static",
        data=data,
        basemap=basemap,
        data_as_of=data_as_of,
        title=title,
        embed=embed,
        page_url="",
        front_lines=front_lines or None,
        labels=_labels(bounds) if labels and bounds else None,
        print_mode=print_mode,
    )
    return render_static(m), bounds


def _labels(bounds, margin=1.5):
    from webapp.views import place_labels

    (south, west), (north, east) = bounds
    box = (west - margin, south - margin, east + margin, north + margin)
    return place_labels().in_bounds(box, min_population=1_000, limit=4_000)


def front_line_versions(store, start=None, end=None):
    """Return every front-line version in force at some day of ``[start, end]`` (open ends).

    As ``{source, valid_from, valid_to, features}`` dicts (features carry their version's
    source and dates), for a static map to choose from as its window moves.
    """
    from geo.frontlines.model import validity

    metas = store.front_line_versions()
    ends = validity(metas)
    lo = start.isoformat() if start else None
    hi = end.isoformat() if end else None
    out = []
    for meta in metas:
        valid_to = ends[(meta["source"], meta["valid_from"])]
        if (hi and meta["valid_from"] > hi) or (lo and valid_to and valid_to < lo):
            continue
        version = store.get_front_lines(meta["source"], meta["valid_from"])
        dated = {"source": meta["source"], "valid_from": meta["valid_from"], "valid_to": valid_to}
        features = [
            {**f, "properties": {**f.get("properties", {}), **dated}} for f in version.features
        ]
        out.append({**meta, "valid_to": valid_to, "features": features})
    return out


def _screenshot(html_path, png_path, *, width, height):
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--virtual-time-budget=4000",
            f"--screenshot={png_path}",
            html_path.resolve().as_uri(),
        ]
        # own session: Chromium signals its process group when it exits
        subprocess.run(
            cmd,
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
            start_new_session=True,
        )


def _bbox(value):
    from geo.common.bbox import BBox
    from geo.exc import ValidationError

    if value is None:
        return None
    try:
        return BBox.parse(value, field="--bbox")
    except ValidationError as err:
        raise click.BadParameter(f"{err} (min_lon > max_lon crosses the antimeridian)") from None


def _window(start, end):
    from geo.common.dates import DateWindow
    from geo.exc import ValidationError

    try:
        return DateWindow.of(start, end, fields=("--start", "--end"))
    except ValidationError as err:
        raise click.BadParameter(str(err)) from None


@main.command("build-maps")
@click.option(
    "--out", "out_dir", default="maps", show_default=True, type=click.Path(file_okay=False)
)
@click.option("--name", default="events", show_default=True, help="File name stem of the map.")
@click.option("--title", default="conflictmap: conflict events", show_default=True)
@click.option("--start", help="Only events overlapping [start, end] (ISO dates).")
@click.option("--end")
@click.option("--type", "types", multiple=True, help="Event type (repeatable).")
@click.option("--bbox", help="min_lon,min_lat,max_lon,max_lat")
@click.option("--limit", default=20000, show_default=True, type=click.IntRange(min=1))
@click.option("--png/--no-png", default=True, help="Also a PNG screenshot (needs chromium).")
def build_maps(out_dir, name, title, start, end, types, bbox, limit, png):
    """Write a self-contained HTML map, an SVG and (with chromium) a PNG of the events."""
    from geo.events.model import EVENT_TYPES
    from geo.store.base import EventQuery, open_store
    from webapp.svgmap import render_svg

    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise click.BadParameter(f"--name must be letters, digits, '.', '_' or '-'; got {name!r}")
    for t in types:
        if t not in EVENT_TYPES:
            raise click.BadParameter(
                f"--type must be one of {', '.join(EVENT_TYPES)}; got {t!r}", param_hint="--type"
            )
    window = _window(start, end)
    query = EventQuery(
        bbox=_bbox(bbox),
        start=window.start,
        end=window.end,
        types=tuple(types),
        limit=limit,
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open_store(current_store_url()) as store:
        matched = store.count(query)
        features = [event.to_feature() for event in store.query(query)]
        data_as_of = store.data_as_of()
        fronts = front_line_versions(store, window.start, window.end)
    if matched > len(features):
        click.echo(f"warning: {matched} events match; the map holds the first {len(features)}")
    from webapp.maps import data_extent

    _, bounds = data_extent(features)
    basemap = _outlines(bounds) if bounds else {}
    page, _ = build_static_map(
        features, data_as_of=data_as_of, basemap=basemap, title=title, front_lines=fronts
    )
    html_path = out / f"{name}.html"
    html_path.write_text(page, encoding="utf-8")
    click.echo(f"wrote {html_path} ({len(features)} events, {html_path.stat().st_size} bytes)")
    if bounds:
        subtitle = f"{len(features)} events · data as of {data_as_of or 'unknown'}"
        svg = render_svg(
            features,
            basemap=[basemap["country"], basemap["admin1"]],
            bounds=bounds,
            title=title,
            subtitle=subtitle,
        )
        svg_path = out / f"{name}.svg"
        svg_path.write_text(svg, encoding="utf-8")
        click.echo(f"wrote {svg_path}")
    if png and shutil.which(CHROMIUM):
        png_path = out / f"{name}.png"
        bare, _ = build_static_map(
            features,
            data_as_of=data_as_of,
            basemap=basemap,
            title=title,
            print_mode=True,
            front_lines=fronts,
        )
        with tempfile.TemporaryDirectory() as tmp:
            shot = Path(tmp) / "print.html"
            shot.write_text(bare, encoding="utf-8")
            _screenshot(shot, png_path, width=1200, height=800)
        click.echo(f"wrote {png_path}")
    elif png:
        click.echo(f"no PNG: {CHROMIUM} is not installed (the SVG is the print version)")
