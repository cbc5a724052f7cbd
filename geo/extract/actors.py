"""Who acts and who is hit: canonical actor names for noun phrases of the parse.

State forces are named "Military Forces of <Country>" (ACLED's convention) from a country
adjective, a country name or its possessive next to an armed noun ("Russian troops",
"Ukraine's army", "Israeli airstrikes") or from a country acting as a state ("Russia
launched 120 drones"). Named non-state groups, irregular names of state forces and generic
labels come from the maintained list ``data/actors.tsv`` (aliases as reporters write them).
Victims who are not armed ("civilians", "a woman") are "Civilians".
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from geo.common.actor_table import actor_rows
from geo.events.taxonomy import CIVILIANS_ACTOR, UNIDENTIFIED_ACTOR
from geo.extract import syntax
from geo.extract.lexicon import ARMED_NOUNS, CIVILIAN_NOUNS, WEAPON_NOUNS
from geo.gazetteer.normalize import fold

__all__ = ["ActorNamer", "CIVILIANS", "UNIDENTIFIED", "aliases", "state_forces", "weapon_user"]

CIVILIANS = CIVILIANS_ACTOR
UNIDENTIFIED = UNIDENTIFIED_ACTOR
#: Country names as the conflict-data convention writes them after "Military Forces of".
_STATE_NAMES = {
    "CD": "the Democratic Republic of Congo",
    "CG": "the Republic of Congo",
    "CF": "the Central African Republic",
    "US": "the United States",
    "GB": "the United Kingdom",
    "AE": "the United Arab Emirates",
    "PS": "Palestine",
    "NL": "the Netherlands",
    "PH": "the Philippines",
}
#: Generic armed nouns that name no side.
_GENERIC_ARMED = frozenset(
    "gunman gunmen militant assailant attacker raider bandit jihadist jihadi insurgent "
    "terrorist extremist guerrilla guerilla".split()
)
_POLICE = frozenset("police policeman policemen".split())
#: Armed nouns that a country's adjective does not make its state's forces ("Syrian rebels",
#: "Malian jihadists", "Nigerian bandits").
_NON_STATE = _GENERIC_ARMED | frozenset(
    "rebel separatist partisan militia militiaman militiamen gang gangster".split()
)


#: Two-letter country codes analysts write as adjectives ("RU forces", "UA drones").
_CODE_ADJECTIVES = frozenset("RU UA BY KP IL SD US UK".split())


def _code_country(text):
    """Return ``(code, name)`` for a country code written as an adjective, else None."""
    if text not in _CODE_ADJECTIVES:
        return None
    from geo.gazetteer.lookup import Gazetteer

    code = "GB" if text == "UK" else text
    place = Gazetteer.default().country(code)
    return (code, place.name) if place is not None else None


def state_forces(country_code: str, country_name: str, *, police: bool = False) -> str:
    """Return the canonical name of a country's forces ("Military Forces of Russia")."""
    name = _STATE_NAMES.get(country_code, country_name)
    return f"{'Police' if police else 'Military'} Forces of {name}"


#: How many tokens before a place name a listed group's name may start.
GROUP_NAME_REACH = 8


@cache
def aliases() -> dict[str, str]:
    """Return ``{folded alias: canonical name}`` from ``data/actors.tsv`` (empty if missing).

    Raises
    ------
    ValueError
        When an alias is given to two different canonical names.
    """
    out: dict[str, str] = {}
    for row in actor_rows():
        canonical = (row.get("canonical") or "").strip()
        if not canonical:
            continue
        for alias in [canonical, *(row.get("aliases") or "").split("|")]:
            key = fold(alias.strip())
            if not key:
                continue
            if out.get(key, canonical) != canonical:
                raise ValueError(f"actors.tsv: alias {alias!r} names two actors")
            out[key] = canonical
    return out


@cache
def _longest_alias() -> int:
    """Return the number of words of the longest alias."""
    return max((len(k.split()) for k in aliases()), default=0)


class ActorNamer:
    """Name the actors of one document's noun phrases.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed document.
    countries : dict
        ``{token index: (country_code, country_name)}`` for tokens inside country names and
        country adjectives (from the geoparse: countries and demonyms).
    """

    def __init__(self, doc, countries, skip=()):
        self.doc = doc
        self.countries = countries
        self.skip = skip
        self._aliases = aliases()
        self._longest = _longest_alias()
        self._named: dict[int, str | None] = {}  # token index -> named(token)
        self._entity_of: dict[int, tuple[int, int]] | None = None  # token index -> entity

    # -- named groups ---------------------------------------------------------------------
    def ends_name(self, span) -> bool:
        """Whether ``span`` (a place name) ends a listed group's name of several words ("the
        Islamic State of Iraq and al-Sham", "Jabhat Fateh al-Sham")."""
        for start in range(max(span.sent.start, span.start - GROUP_NAME_REACH), span.start):
            if fold(self.doc[start : span.end].text) in self._aliases:
                return True
        return False

    def named(self, token):
        """Return the canonical name of a listed group named at ``token``'s phrase, or None.

        Worked out once per token of the document (extraction asks again and again)."""
        if token.doc is not self.doc:
            return self._name_group(token)
        if token.i not in self._named:
            self._named[token.i] = self._name_group(token)
        return self._named[token.i]

    def _entity_bounds(self, token):
        """Return ``(start, end)`` of the entity holding ``token`` (entities do not overlap)."""
        if self._entity_of is None:
            self._entity_of = {
                i: (ent.start, ent.end) for ent in self.doc.ents for i in range(ent.start, ent.end)
            }
        return self._entity_of.get(token.i)

    def _name_group(self, token):
        if not self._aliases:
            return None
        left, right = token.i, token.i + 1
        for child in token.lefts:
            if child.dep_ in ("compound", "nmod", "poss") or child.pos_ in ("PROPN", "ADJ"):
                left = min(left, child.i)
                for grand in child.lefts:  # "the Syrian Arab Army's": its compounds too
                    if grand.dep_ in ("compound", "amod") and grand.pos_ in ("PROPN", "ADJ"):
                        left = min(left, grand.i)
        for child in token.rights:
            if child.dep_ == "appos" and any(t.text == ";" for t in token.doc[token.i : child.i]):
                continue  # "forces raided X; armed clashes with Y": another clause, misparsed
            if child.dep_ in ("appos",) or (child.dep_ == "prep" and child.lower_ == "of"):
                right = max(right, child.right_edge.i + 1)
        if token.ent_iob_ != "O" and token.ent_type_:
            bounds = (
                self._entity_bounds(token) if token.doc is self.doc else next(
                    ((e.start, e.end) for e in token.doc.ents if e.start <= token.i < e.end),
                    None)
            )  # fmt: skip
            if bounds is not None:
                left, right = min(left, bounds[0]), max(right, bounds[1])
        words = self.doc[left:right]
        # the longest listed name inside the phrase
        for size in range(min(self._longest, len(words)), 0, -1):
            for start in range(0, len(words) - size + 1):
                key = fold(words[start : start + size].text)
                if key in self._aliases:
                    return self._aliases[key]
        return None

    def country_of(self, token):
        """Return ``(code, name)`` of the country a phrase's modifiers or head name."""
        if token.i in self.countries:
            return self.countries[token.i]
        for child in token.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod"):
                if child.i in self.countries:
                    return self.countries[child.i]
                code = _code_country(child.text)  # "RU forces", "UA troops"
                if code is not None:
                    return code
                for grand in child.subtree:
                    if grand.i in self.countries and grand.dep_ in ("amod", "compound", "poss"):
                        return self.countries[grand.i]
        for _, obj in syntax.prep_objects(token, ("of", "from")):
            if obj.i in self.countries and token.lemma_.lower() in ARMED_NOUNS:
                return self.countries[obj.i]  # "troops of Russia"
        return None

    def name(self, token, *, acting=True):
        """Return the actor a noun phrase names, or None.

        ``acting`` is True when the phrase is who acts (so a country name stands for its
        state's forces: "Russia attacked"); for victims a bare country is not an actor.
        """
        if token is None or any(a <= token.idx < b for a, b in self.skip):
            return None  # a dateline names where the story was filed, not who acted
        group = self.named(token)
        if group is not None:
            return group
        lemma = token.lemma_.lower()
        armed = lemma in ARMED_NOUNS or token.lower_ in ARMED_NOUNS
        weapon = lemma in WEAPON_NOUNS or token.lower_ in WEAPON_NOUNS
        country = self.country_of(token)
        if country is not None and (armed or weapon) and lemma not in _NON_STATE:
            return state_forces(*country, police=lemma in _POLICE)
        if country is not None and token.i in self.countries and acting:
            if token.ent_type_ in ("GPE", "NORP") or token.pos_ == "PROPN":
                return state_forces(*country)  # "Russia launched", "Russians shelled"
        if lemma in _GENERIC_ARMED:
            return UNIDENTIFIED
        if lemma in CIVILIAN_NOUNS or token.lower_ in CIVILIAN_NOUNS:
            return CIVILIANS
        return None


_WEAPONS_TSV = Path(__file__).with_name("data") / "weapons.tsv"


@cache
def _weapon_rows():
    """Return ``[(pattern, countries, actor)]`` from ``data/weapons.tsv``."""
    with open(_WEAPONS_TSV, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        out = []
        for row in rows:
            names = [re.escape(a.strip()) for a in row["aliases"].split("|") if a.strip()]
            pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(names)})(?![\w-])", re.IGNORECASE)
            where = frozenset(c for c in (row["where"] or "").split("|") if c)
            out.append((pattern, where, row["actor"].strip()))
        return out


def weapon_user(text, country_code=None):
    """Return the side a weapon named in ``text`` says fired it, or None.

    Only weapons one side fires in the wars followed (``data/weapons.tsv``): "Shahed drones
    hit a substation in X" in Ukraine is Russia's attack; "ATACMS struck an airfield" in
    Russia, Ukraine's. A row restricted to some countries needs the event to lie in one of
    them (``country_code``). Two weapons of different sides name nobody.

    >>> weapon_user("Shahed-type drones hit an industrial site", "UA")
    'Military Forces of Russia'
    >>> weapon_user("Shahed drones hit an air base", "IL") is None
    True
    """
    found = {actor for pattern, where, actor in _weapon_rows()
             if (not where or country_code in where) and pattern.search(text)}  # fmt: skip
    return found.pop() if len(found) == 1 else None
