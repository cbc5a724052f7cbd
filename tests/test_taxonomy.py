"""One taxonomy: every layer, legend, style and rank of event types and precisions comes from
``geo.events.taxonomy``, and nothing else in the code restates its values."""

import re
from pathlib import Path

import pytest

from geo.events import merge, model, taxonomy
from geo.events.model import Event
from geo.events.taxonomy import (
    EVENT_TYPES,
    GEO_PRECISIONS,
    PRECISION_RANK,
    PRECISIONS,
    SYMBOLS,
    TYPES,
    event_type,
)
from webapp import maps, svgmap

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "webapp" / "static"


def test_every_type_has_a_label_a_legend_a_colour_and_a_symbol():
    assert len(TYPES) == len(set(EVENT_TYPES))
    for t in TYPES:
        assert t.label and t.legend
        assert re.fullmatch(r"#[0-9A-F]{6}", t.colour), t
        assert t.symbol in SYMBOLS
    assert len({t.colour for t in TYPES}) == len(TYPES)
    assert len({t.symbol for t in TYPES}) == len(TYPES)


def test_the_model_validates_with_the_taxonomy():
    for name in ("EVENT_TYPES", "GEO_PRECISIONS", "DATE_PRECISIONS", "STATUSES", "COUNT_KINDS"):
        assert getattr(model, name) is getattr(taxonomy, name)
    with pytest.raises(model.ValidationError, match="event_type"):
        Event.from_dict({"event_type": "battle", "date_start": "2025-01-01"})


def test_precisions_are_ranked_finest_first_and_areas_grow():
    assert [p.rank for p in PRECISIONS] == sorted(p.rank for p in PRECISIONS)
    assert list(PRECISION_RANK) == list(GEO_PRECISIONS)
    areas = [p.area_km for p in PRECISIONS if p.area_km is not None]
    assert areas == sorted(areas) and len(areas) == 4
    assert {p.drawn for p in PRECISIONS} == {kind for kind, _ in taxonomy.PRECISION_KEY}
    assert all((p.area_km is not None) == (p.drawn == "area") for p in PRECISIONS)
    assert taxonomy.UNKNOWN_RANK > max(PRECISION_RANK.values())


def test_the_viewer_configuration_is_generated_from_the_taxonomy():
    config = maps.viewer_taxonomy()
    assert [t["id"] for t in config["types"]] == list(EVENT_TYPES)
    assert [(t["label"], t["color"], t["shape"]) for t in config["types"]] == [
        (t.legend, t.colour, t.symbol) for t in TYPES
    ]
    assert {p["id"]: p["rank"] for p in config["precisions"]} == PRECISION_RANK
    assert [p["drawn"] for p in config["precisions"]] == [p.drawn for p in PRECISIONS]
    assert {p["id"]: p["area_m"] for p in config["precisions"] if p["area_m"]} == {
        p.code: p.area_km * 1000 for p in PRECISIONS if p.area_km
    }
    html = maps.render_page(maps.build_map(mode="api", api={"items": "/i", "item": "/i/"}))
    for t in TYPES:
        assert t.colour in html and t.legend in html


def test_the_javascript_draws_every_symbol_and_restates_no_taxonomy_value():
    symbols_js = (STATIC / "symbols.js").read_text("utf-8")
    drawn = set(re.findall(r's === "([a-z_]+)"', symbols_js)) | {"circle"}  # circle: default
    assert drawn == set(SYMBOLS)
    for path in STATIC.glob("*.js"):
        text = path.read_text("utf-8")
        for t in TYPES:
            assert t.colour.lower() not in text.lower(), (path.name, t.code)
        for p in PRECISIONS:
            assert not re.search(rf"\b{p.code}\s*:\s*\d", text), (path.name, p.code)


def test_the_svg_draws_every_symbol_distinctly():
    shapes = {s: svgmap._shape(s, 50, 50, 6) for s in SYMBOLS}
    assert len(set(shapes.values())) == len(SYMBOLS)


def test_no_other_module_restates_the_palette_or_the_labels():
    """Colours, code-to-label tables and precision ranks appear in the taxonomy only."""
    owners = {ROOT / "geo" / "events" / "taxonomy.py"}
    for folder in ("geo", "webapp"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".js", ".css", ".html") or path in owners:
                continue
            text = path.read_text("utf-8")
            for t in TYPES:
                assert t.colour.lower() not in text.lower(), (path, t.colour)
                label = re.compile(rf'"{t.code}":\s*\(?\s*"({t.label}|{t.legend})"')
                assert not label.search(text), (path, t.code)
            # a table of numbers by precision (ranks, radii): several codes mapped to numbers
            ranked = [p.code for p in PRECISIONS if re.search(rf'"{p.code}":\s*\d', text)]
            assert len(ranked) < 3, (path, ranked)


def test_summaries_use_the_taxonomy_labels():
    event = Event.from_dict(
        {"event_type": "front_line", "date_start": "2025-01-01", "location_name": "Kupiansk"}
    )
    assert merge.summarise(event) == "Front line in Kupiansk"
    assert event_type("self_detonation").label == "Self-detonation"
    assert event_type("not_yet_known").label == "Not yet known"
