"""Read a geocoding query into the name it asks for and the qualifiers that say where it is.

Forms understood (any combination, in any case)::

    X, Y region | X, Y oblast | X, Y district | X, Y raion | X, Y hromada | X, Y community
    X, Donetsk Oblast, Ukraine          X, Kursk region (Russian-style)
    X in Y | X in the Y region          the village of X in the Y district
    X (Y) | X (Y district)              X near Y | X, near Y | X outside Y
    X, south of Y | X 10 km north-east of Y
    Y's X (Kyiv's Shevchenkivskyi district)
    City - district                     (ACLED's "Donetsk - Petrovskyi")

A qualifier that is not a place name ("Krynky, on the left bank of the Dnipro") is kept as
text and ignored when it does not resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.gazetteer.normalize import AREA_WORDS

__all__ = [
    "ADMIN2_REACH_KM",
    "DIRECTIONS",
    "RADIUS_KM",
    "Area",
    "ParsedQuery",
    "Qualifier",
    "parse_query",
]

#: Compass directions a qualifier can give, as bearings in degrees.
DIRECTIONS = {
    "north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
    "southwest": 225, "west": 270, "northwest": 315,
}  # fmt: skip
_DASH = re.compile(r"\s+[-–—]\s+")
_SPLIT = re.compile(r"[,;()\[\]]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPECIAL = re.compile(
    r"[\x00-\x1f\x7f-\x9f,;()\[\]]|\s[-–—]|\s(?:in|near|of|outside)\s|['’]s\s", re.I
)
# "Kyiv's Shevchenkivskyi district": the possessor is where the place is, when the rest
# names a part of it (not "Martha's Vineyard").
_PART_WORDS = AREA_WORDS | {"neighbourhood", "neighborhood", "suburb", "quarter", "microdistrict"}
_POSSESSOR = re.compile(r"^(?:the\s+)?([^'’]{2,}?)['’]s\s+(.+)$")
_DIRECTION = re.compile(
    r"^(?:(?:about|some|around|roughly)\s+)?(?:\d+(?:[.,]\d+)?\s*(?:km|kilometres|kilometers|"
    r"miles?)\s+)?(?:to\s+the\s+)?(north|south|east|west)(?:[\s-]?(east|west))?(?:ern)?"
    r"(?:\s+of)\s+(.+)$",
    re.I,
)
_NEAR = re.compile(
    r"^(?:near|nearby|outside|close\s+to|not\s+far\s+from|next\s+to|around|by|"
    r"(?:on\s+)?the\s+outskirts\s+of|in\s+the\s+vicinity\s+of|outskirts\s+of)\s+(.+)$",
    re.I,
)
_IN = re.compile(r"^in\s+(.+)$", re.I)
# "eastern Ukraine", "in the south of Lebanon": a part of an area by its compass side.
_SIDE = re.compile(
    r"^(?:in\s+)?(?:the\s+)?(?:(north|south)[\s-]?(east|west)?ern|(east|west)ern)\s+(.+)$"
    r"|^(?:in\s+)?the\s+(north|south|east|west)(?:[\s-]?(east|west))?\s+of\s+(.+)$",
    re.I,
)
# Words that say who holds an area, not which area ("occupied Donetsk oblast").
_HOLDERS = re.compile(
    r"^(?:the\s+)?(?:\w+['’]s\s+)?(?:(?:(?:russian|ukrainian|russia|ukraine)[\s-])?"
    r"(?:occupied|controlled|held|liberated|annexed|front[\s-]?line|border)\s+)?",
    re.I,
)
_INNER_NEAR = re.compile(r"\s+(?:near|outside|close\s+to)\s+", re.I)
_INNER_DIRECTION = re.compile(
    r"\s+(?=(?:\d+(?:[.,]\d+)?\s*(?:km|kilometres|kilometers|miles?)\s+)?"
    r"(?:north|south|east|west)(?:[\s-]?(?:east|west))?(?:ern)?\s+of\s)",
    re.I,
)
_INNER_IN = re.compile(r"\s+in\s+", re.I)
#: The parts of a town a name may be written with ("the X district of Y", "X colony of Y").
TOWN_PARTS = frozenset(
    """district neighbourhood neighborhood suburb quarter microdistrict colony sector ward
    commune""".split()
)
# "the Podilskyi district of Kharkiv": the town after "of" is where the named part lies.
_INNER_OF = re.compile(
    rf"^(.*\S\s+(?:{'|'.join(sorted(TOWN_PARTS))}))\s+of\s+(?:the\s+)?"
    r"(?:(?:city|town)\s+of\s+)?(\S.*)$",
    re.I,
)
# Qualifiers starting with these words say something else than where ("on the left bank").
_NOT_A_PLACE = re.compile(r"^(?:on|at|along|across|by|from|to|with|and|or)\s", re.I)


@dataclass(frozen=True, slots=True)
class Qualifier:
    """A part of a query that says where the place is.

    Attributes
    ----------
    text : str
        The place the qualifier names ("Donetsk region", "Lyman").
    relation : str
        "in" (the place lies in that area), "near" (close to that place) or "direction"
        (in the given direction of that place).
    bearing : float or None
        For "direction": the bearing in degrees from the named place; for "in": the side of
        the area ("eastern Ukraine": 90), or None.
    """

    text: str
    relation: str = "in"
    bearing: float | None = None


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into its name, its qualifiers (outermost last) and a "City - district"."""

    name: str
    qualifiers: tuple = ()
    sub: str | None = None


def _qualifier(text):
    """Return the :class:`Qualifier` a part of a query gives, or None."""
    text = _HOLDERS.sub("", text.strip())
    if not text:
        return None
    match = _SIDE.match(text)
    side = match and (match.group(1) or match.group(3) or match.group(5))
    if match and side.islower():  # "Eastern Province", "West Bank" are names
        g = match.groups()
        word = "".join(w for w in (g[0] or g[2] or g[4], g[1] or g[5]) if w).lower()
        rest = _HOLDERS.sub("", (g[3] or g[6]).strip())
        if rest:
            return Qualifier(rest, "in", DIRECTIONS[word])
    match = _DIRECTION.match(text)
    if match:
        word = match.group(1).lower() + (match.group(2) or "").lower()
        return Qualifier(_HOLDERS.sub("", match.group(3).strip()), "direction", DIRECTIONS[word])
    match = _NEAR.match(text)
    if match:
        return Qualifier(_HOLDERS.sub("", match.group(1).strip()), "near")
    match = _IN.match(text)
    if match:
        return Qualifier(_HOLDERS.sub("", match.group(1).strip()), "in")
    if _NOT_A_PLACE.match(text):
        return None
    return Qualifier(text, "in")


def parse_query(query, *, is_name=None):
    """Split a query into the name it asks for and its qualifiers.

    Parameters
    ----------
    query : str
        The query.
    is_name : callable, optional
        ``is_name(text)`` says whether a text is itself a place name; "Sankt Johann in Tirol"
        is not split at "in" when it is.

    Returns
    -------
    ParsedQuery

    Examples
    --------
    >>> parse_query("Heorhiivka, Donetsk region")
    ParsedQuery(name='Heorhiivka', qualifiers=(Qualifier(text='Donetsk region', relation='in', bearing=None),), sub=None)
    >>> q = parse_query("Staromaiorske, south of Velyka Novosilka")
    >>> q.name, q.qualifiers[0].text, q.qualifiers[0].bearing
    ('Staromaiorske', 'Velyka Novosilka', 180)
    >>> parse_query("the village of Plekhovo in the Sudzha district").qualifiers[0].text
    'Sudzha district'
    """  # noqa: E501
    if _SPECIAL.search(query) is None:  # the common case: a bare name
        return ParsedQuery(query.strip())
    text = _CONTROL.sub(" ", query).strip()
    sub = None
    dash = _DASH.split(text, maxsplit=1)
    if len(dash) == 2 and dash[0].strip() and dash[1].strip():
        text, sub = dash[0], dash[1]
    parts = [p.strip() for p in _SPLIT.split(text) if p.strip()]
    if not parts:
        return ParsedQuery("")
    name, rest = parts[0], parts[1:]
    inner = []
    owner = _POSSESSOR.match(name)
    if (
        owner
        and not (is_name and is_name(name))
        and any(w in _PART_WORDS for w in owner.group(2).lower().split())
    ):
        name = owner.group(2).strip()
        rest = [owner.group(1).strip(), *rest]  # "Kyiv's X district": X, in Kyiv
    part_of = _INNER_OF.match(name)
    if part_of and not (is_name and is_name(name)):
        head = re.sub(r"^the\s+", "", part_of.group(1), flags=re.I)
        if len(head.split()) > 1:  # a name before the part word, not "the district of Y"
            name = head
            inner.append(f"in {part_of.group(2).strip()}")
    if not inner and not (is_name and is_name(name)):
        # "X near Y", "X south of Y", "X in Y" inside the first part.
        for pattern, wrap in ((_INNER_NEAR, "near {}"), (_INNER_DIRECTION, "{}"),
                              (_INNER_IN, "in {}")):  # fmt: skip
            split = pattern.split(name, maxsplit=1)
            if len(split) == 2 and split[0].strip() and split[1].strip():
                name = split[0].strip()
                inner.append(wrap.format(split[1].strip()))
                break
    quals = []
    for part in [*inner, *rest]:
        # "the Y district in the Z region": each "in" gives another, larger area.
        pieces = _INNER_IN.split(part)
        for piece in pieces if all(p.strip() for p in pieces) else [part]:
            qual = _qualifier(piece)
            if qual is not None and qual.text:
                quals.append(qual)
    return ParsedQuery(name, tuple(quals), sub)


#: Radius (km) around a town a qualifier names: "near Y", "south of Y"; "X, Y district" when
#: no unit has that name (a raion is named after its centre); "X, Y hromada"; "X in Y".
RADIUS_KM = {"near": 60.0, "direction": 80.0, "district": 50.0, "hromada": 25.0, "in": 30.0}
#: A place without an admin2 code counts as inside an admin2 unit this close to its point.
ADMIN2_REACH_KM = 40.0


@dataclass(frozen=True, slots=True)
class Area:
    """Where a qualifier says the place is: one reading of the qualifier.

    ``level`` is "country", "admin1", "admin2", "region" (a curated region, by its outline)
    or "radius" (around the town ``place``, ``radius_km``); ``score`` is the reading's own.
    """

    level: str
    place: object
    radius_km: float = 0.0
    bearing: float | None = None
    text: str = ""
    score: float = 0.0

    def reach(self, cand, distance, shape_of):
        """Return ``(inside, km from the named town or None)`` for a candidate place."""
        p = self.place
        if self.level == "country":
            return cand.country_code == p.country_code, None
        if self.level == "admin1":
            return (cand.country_code, cand.admin1_code) == (p.country_code, p.admin1_code), None
        if self.level == "admin2":
            same = (cand.country_code, cand.admin1_code) == (p.country_code, p.admin1_code)
            if cand.admin2_code:
                return same and cand.admin2_code == p.admin2_code, None
            km = distance(p.lat, p.lon, cand.lat, cand.lon)
            return km <= ADMIN2_REACH_KM, None
        if self.level == "region":
            outline = shape_of(p.geonameid)
            return outline is not None and outline(cand.lon, cand.lat), None
        km = distance(p.lat, p.lon, cand.lat, cand.lon)
        return km <= self.radius_km and cand.geonameid != p.geonameid, km

    def kind(self):
        """Return the qualifier kind reported in ``Location.raw``."""
        return "place" if self.level == "radius" else self.level
