"""The maintained list of armed actors (``geo/extract/data/actors.tsv``), read once.

Extraction names actors from it (:mod:`geo.extract.actors`); geoparsing reads the names of
its non-state armed groups, which are no places where a text does not write them as places
(:mod:`geo.geoparse.evidence`, :func:`group_names`). The file's header says what each
column holds; :mod:`geo.extract.actors_data` validates it row by row (the CLI's check of an
analyst's edited list). Here in ``geo.common`` because geoparsing, which extraction builds on,
reads it too.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from geo.gazetteer.normalize import fold

__all__ = ["ACTORS_TSV", "actor_rows", "group_names"]

#: The list, kept as data beside the extraction code that names actors.
ACTORS_TSV = Path(__file__).resolve().parent.parent / "extract" / "data" / "actors.tsv"


@cache
def actor_rows() -> tuple[dict, ...]:
    """Return the list's rows (``canonical, kind, country, aliases, comment``), the
    comment lines left out; empty when the file is missing."""
    if not ACTORS_TSV.exists():
        return ()
    with open(ACTORS_TSV, encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return tuple(csv.DictReader(lines, delimiter="\t"))


@cache
def group_names() -> frozenset:
    """Return the folded names of the listed non-state armed groups ("hamas", "wagner"): a
    text that names one names the group, though a gazetteer place may bear the name too."""
    out = set()
    for row in actor_rows():
        if (row.get("kind") or "").strip() != "non_state":
            continue
        for alias in [row.get("canonical") or "", *(row.get("aliases") or "").split("|")]:
            if fold(alias.strip()):
                out.add(fold(alias.strip()))
    return frozenset(out)
