"""Qualifiers written beside a name in text: "X, Y region", "X in the Y district", "X near Y".

A qualifier is the next name after a name, joined to it by wording that makes it say which
X is meant: a comma ("Heorhiivka, Donetsk region"; "Macon, Georgia"), "in" ("Pokrovsk in
Donetsk Oblast", "the village of X in the Y district"), brackets ("Zarichne (Zaporizhzhia)"),
"near"/"outside" ("Kalynove near Maiorsk") or a bearing ("Sudzha, 10 km south of Kursk").
Lists are written the same way ("Mali, Niger and Chad"): whether the second name really
qualifies the first is decided when both are resolved (:func:`geo.geoparse.resolve.geoparse`
keeps a qualifier only when the place it gives lies in or near the qualifying place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.geoparse.qualifiers import TOWN_PARTS

__all__ = ["TextQualifier", "find_qualifiers"]

_BEARING = (
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?"
)
_DISTANCE = r"(?:(?:about|some|around|roughly|nearly|almost)\s+)?\d+(?:[.,]\d+)?\s*(?:-\s*)?" \
    r"(?:km|kilometres?|kilometers?|miles?|mi)\s+"  # fmt: skip
_TOWN_OF = r"(?:(?:the\s+)?(?:town|city|village|settlement|hamlet)\s+of\s+)?"
# The wording between a name and the name that qualifies it, by kind (matched whole).
_GAPS = (
    ("comma", re.compile(r"\s*,\s*")),
    ("paren", re.compile(r"\s*\(\s*")),
    ("in", re.compile(rf"\s+in\s+(?:the\s+)?(?:{_BEARING}\s+)?", re.IGNORECASE)),
    (
        "near",
        re.compile(
            rf",?\s+(?:near|outside|close\s+to|next\s+to|not\s+far\s+from|just\s+outside)\s+"
            rf"(?:the\s+)?{_TOWN_OF}",
            re.IGNORECASE,
        ),
    ),
    (
        "bearing",
        re.compile(
            rf",?\s+(?:{_DISTANCE})?(?:\(\d+\s*miles?\)\s+)?{_BEARING}\s+of\s+(?:the\s+)?{_TOWN_OF}",
            re.IGNORECASE,
        ),
    ),
)
# "the Podilskyi district of Kharkiv", "Zelena colony of Lubny": a part of a town.
_PART_OF = re.compile(
    rf"\s*(?:\b(?:{'|'.join(sorted(TOWN_PARTS))})\s+)?of\s+(?:the\s+)?"
    r"(?:(?:city|town)\s+of\s+)?",
    re.IGNORECASE,
)
_PART_WORD = re.compile(rf"\b(?:{'|'.join(sorted(TOWN_PARTS))})\b", re.IGNORECASE)
_CLOSE_PAREN = re.compile(r"\.?\s*[);]")  # "(Poltava obl.)", "(Poltava obl.; ...)"
_SPACES = re.compile(r"\s+")
#: A verb of speech right after the name after a comma: the name is who speaks, not where
#: the first lies ("captured near X, Y claims"; "shelled X, Y said").
_SPEAKER_AFTER = re.compile(
    r"\s+(?:(?:has|have|had|also)\s+)?(?:said|says|say|claims|claimed|claim|reported|reports|"
    r"announced|announces|alleged|alleges|stated|states|insisted|insists|denied|denies|"
    r"confirmed|confirms|told|tells|added|adds|warned|warns)\b"
)


@dataclass(frozen=True)
class TextQualifier:
    """The name that qualifies another, and how the text joins them.

    ``kind`` is "comma", "paren", "in", "of", "near" or "bearing"; ``target`` the index of the
    qualifying span in the list given to :func:`find_qualifiers`; ``text`` the qualifier as
    written after the name (", Donetsk region", "near Maiorsk"); ``query`` the whole
    qualified string the geocoder is asked ("Heorhiivka, Donetsk region").
    """

    kind: str
    target: int
    text: str
    query: str


def find_qualifiers(text, spans):
    """Return ``{index of a span: TextQualifier}`` for names followed by a qualifying name.

    Parameters
    ----------
    text : str
        The text the spans index.
    spans : list of Span
        In text order (:func:`geo.geoparse.toponyms.scan`); only "name" spans are qualified
        and only "name" and "abbreviation" spans qualify.

    Returns
    -------
    dict of int to TextQualifier

    Examples
    --------
    >>> from geo.gazetteer.lookup import Gazetteer
    >>> from geo.geoparse.toponyms import scan
    >>> text = "Shelling hit Sloviansk, Donetsk region."
    >>> q = find_qualifiers(text, scan(text, Gazetteer.default()))[0]
    >>> q.kind, q.query
    ('comma', 'Sloviansk, Donetsk region')
    """
    out = {}
    for i in range(len(spans) - 1):
        span, nxt = spans[i], spans[i + 1]
        if span.kind != "name" or nxt.kind not in ("name", "abbreviation"):
            continue
        gap = text[span.wording_end : nxt.start]
        if len(gap) > 60 or "\n" in gap:
            continue
        kind = next((k for k, pattern in _GAPS if pattern.fullmatch(gap)), None)
        if (kind is None and _PART_OF.fullmatch(gap)
                and _PART_WORD.search(text[span.end : nxt.start])):  # fmt: skip
            kind = "of"  # "the X district of Y": X is a part of the town Y
        if kind is None:
            continue
        end = nxt.wording_end  # with its region word: "Donetsk region"
        if kind == "comma" and _SPEAKER_AFTER.match(text, end):
            continue
        if kind == "paren":
            close = _CLOSE_PAREN.match(text, end)
            if close is None:
                continue
            end = close.end() if close.group().endswith(")") else close.start()
        query = _SPACES.sub(" ", text[span.start : end]).strip()
        written = _SPACES.sub(" ", text[span.end : end]).strip()
        out[i] = TextQualifier(kind, i + 1, written, query)
    return out
