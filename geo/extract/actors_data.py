"""The maintained list of named actors (``data/actors.tsv``): groups, forces and their aliases.

The file is UTF-8, tab-separated, with a header row and ``#`` comment lines; its columns are
``canonical``, ``kind``, ``country``, ``aliases`` (pipe-separated) and ``comment``. Aliases are
matched folded (:func:`geo.gazetteer.normalize.fold`: case, accents and punctuation ignored),
so two rows must not share a folded alias.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.exc import ValidationError
from geo.gazetteer.normalize import fold

__all__ = ["ACTORS_FILE", "KINDS", "ActorRecord", "actor_index", "lookup_actor", "read_actors"]

#: The list shipped with the package.
ACTORS_FILE = Path(__file__).resolve().parent / "data" / "actors.tsv"
#: The kinds an actor can be.
KINDS = ("state_forces", "non_state", "police", "civilians", "international")
_COLUMNS = ("canonical", "kind", "country", "aliases", "comment")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class ActorRecord:
    """One row of the actors file.

    ``aliases`` holds the surface forms as written (the canonical name is not repeated);
    ``country`` is None when the row has none; ``line`` is the row's line in the file.
    """

    canonical: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]
    comment: str
    line: int

    @property
    def names(self):
        """The canonical name followed by the aliases."""
        return (self.canonical, *self.aliases)


def _row(path, line, values):
    where = f"{path}, line {line}"
    if len(values) != len(_COLUMNS):
        raise ValidationError(
            f"{where}: expected {len(_COLUMNS)} tab-separated columns "
            f"({', '.join(_COLUMNS)}); got {len(values)}: {values!r}"
        )
    canonical, kind, country, aliases, comment = (v.strip() for v in values)
    if not canonical:
        raise ValidationError(f"{where}: the canonical name is empty")
    if kind not in KINDS:
        raise ValidationError(f"{where}: kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if country and not _COUNTRY.fullmatch(country):
        raise ValidationError(
            f"{where}: country must be an ISO 3166-1 alpha-2 code like 'SD' or empty; "
            f"got {country!r}"
        )
    names = tuple(a.strip() for a in aliases.split("|")) if aliases else ()
    if any(not fold(a) for a in names):
        raise ValidationError(f"{where}: an alias is empty or has no letters: {aliases!r}")
    return ActorRecord(canonical, kind, country or None, names, comment, line)


def read_actors(path=ACTORS_FILE):
    """Read and check an actors file.

    Parameters
    ----------
    path : str or Path, default ACTORS_FILE
        A file in the format of ``data/actors.tsv``.

    Returns
    -------
    list of ActorRecord
        In file order.

    Raises
    ------
    ValidationError
        When the header, a row, a kind or a country code is malformed, a canonical name is
        listed twice, or one folded name (alias or canonical) belongs to two rows; the
        message names the file and line.

    Examples
    --------
    >>> rows = read_actors()
    >>> next(r for r in rows if r.canonical == "Rapid Support Forces").country
    'SD'
    """
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(n, text) for n, text in enumerate(fh.read().splitlines(), 1)
                 if text.strip() and not text.lstrip().startswith("#")]  # fmt: skip
    if not lines:
        raise ValidationError(f"{path}: the actors file is empty")
    header_line, header = lines[0]
    if tuple(c.strip() for c in header.split("\t")) != _COLUMNS:
        raise ValidationError(
            f"{path}, line {header_line}: the header must be {' | '.join(_COLUMNS)} "
            f"(tab-separated); got {header!r}"
        )
    records, owners, canonicals = [], {}, {}
    for n, text in lines[1:]:
        values = next(csv.reader([text], delimiter="\t", quoting=csv.QUOTE_NONE))
        record = _row(path, n, values)
        if record.canonical in canonicals:
            raise ValidationError(
                f"{path}, line {n}: {record.canonical!r} is already listed on line "
                f"{canonicals[record.canonical]}"
            )
        canonicals[record.canonical] = n
        for name in record.names:
            key = fold(name)
            owner = owners.setdefault(key, record)
            if owner.canonical != record.canonical:
                raise ValidationError(
                    f"{path}, line {n}: {name!r} would name both {owner.canonical!r} "
                    f"(line {owner.line}) and {record.canonical!r}"
                )
        records.append(record)
    return records


@cache
def actor_index():
    """Return ``{folded name: ActorRecord}`` for every canonical name and alias of the list."""
    return {fold(name): record for record in read_actors() for name in record.names}


def lookup_actor(name):
    """Return the record a surface form names, or None.

    Examples
    --------
    >>> lookup_actor("the Tatmadaw") is None, lookup_actor("Tatmadaw").canonical
    (True, 'Military Forces of Myanmar')
    """
    return actor_index().get(fold(name))
