"""The trigger lexicon and the word classes the extraction reads arguments with.

The lexicon is data (``data/triggers.tsv``, a comment per entry): a lemma and part of speech
give one or more senses, each with an event type, a mode and the conditions (``needs``) the
parse must meet. The word classes (armed actors, weapons, people, targets, non-violent
causes) are the nouns those conditions test, kept here in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "ARMED_NOUNS",
    "CIVILIAN_NOUNS",
    "EVENT_TYPES",
    "NONVIOLENT_CAUSES",
    "PEOPLE_NOUNS",
    "PERSONNEL_NOUNS",
    "PLACE_NOUNS",
    "REPORT_NOUNS",
    "SPEECH_VERBS",
    "Sense",
    "TARGET_NOUNS",
    "WEAPON_NOUNS",
    "lemma_of",
    "senses",
]

_DATA = Path(__file__).resolve().parent / "data" / "triggers.tsv"

#: The event types the lexicon may give (a subset of ``geo.events.model.EVENT_TYPES``).
EVENT_TYPES = (
    "attack",
    "casualties",
    "capture",
    "front_line",
    "movement",
    "deployment",
    "self_detonation",
    "protest",
)

#: Nouns of a part of a town written after its name ("on X outskirts", "X town centre").
PART_NOUNS = frozenset("outskirts outskirt edge centre center environs vicinity periphery".split())
#: Nouns of armed actors: forces, fighters, their units and their machines of war.
ARMED_NOUNS = frozenset(
    """
    force forces troop troops soldier army military militant rebel fighter insurgent gunman
    gunmen militia militiaman militiamen jihadist terrorist separatist paramilitary police
    policeman policemen officer unit brigade battalion regiment division platoon company corps
    marine paratrooper commando mercenary partisan saboteur occupier invader guard guardsman
    sniper artillery artilleryman gunner aircraft aviation warplane jet bomber helicopter gunship
    tank navy warship ship vessel defender attacker assailant raider infantry infantryman serviceman
    servicemen personnel combatant guerrilla guerilla extremist group wing faction
    defence defense coalition junta regime kadyrovite wagnerite jihadi bandit column
    killer assassin shooter kidnapper abductor hijacker gang gangster
    """.split()
)
#: Armed actors who are people (they can be captured, killed or wounded).
PERSONNEL_NOUNS = frozenset(
    """
    soldier troop troops fighter marine paratrooper commando militant rebel gunman gunmen
    insurgent mercenary partisan saboteur sniper serviceman servicemen guard guardsman
    officer policeman policemen infantryman combatant guerrilla guerilla jihadist terrorist
    separatist paramilitary militiaman militiamen defender attacker assailant raider recruit
    conscript reservist volunteer sailor pilot gunner artilleryman scout crew crewman
    """.split()
)
#: Weapons and munitions: their use is an attack, whoever is named.
WEAPON_NOUNS = frozenset(
    """
    missile rocket drone uav shahed geran lancet shell artillery mortar howitzer bomb airstrike
    strike shelling bombardment grenade ied mine landmine explosive device munition projectile
    barrage salvo round bullet gunfire fire rpg atgm javelin himars atacms iskander kalibr
    kinzhal storm shadow s-300 s-400 kab glide fpv quadcopter tank rifle gun machine-gun
    car-bomb vbied bomber warplane jet helicopter gunship fighter-bomber cluster thermobaric
    napalm sniper warhead torpedo interceptor
    """.split()
)
#: People as victims or captives.
PEOPLE_NOUNS = frozenset(
    """
    person people civilian resident man men woman women child children boy girl baby infant
    teenager family villager worker farmer driver passenger patient doctor nurse medic
    journalist reporter volunteer teacher student pupil worshipper pilgrim refugee migrant
    prisoner captive hostage detainee pow soldier troop fighter serviceman servicemen officer
    policeman policemen guard member commander militant rebel insurgent gunman gunmen
    civilians residents individual elderly pensioner employee staff official mayor leader
    protester demonstrator shepherd herder fisherman miner engineer rescuer firefighter
    aid paramedic displaced inhabitant local adult youth victim body corpse christian
    muslim jew hindu shepherd watchman janitor guard priest imam pastor monk nun official
    widow widower wife husband mother father son daughter brother sister relative cousin
    elder chief cleric politician lawmaker legislator deputy minister governor judge lawyer
    activist businessman businesswoman trader vendor merchant shopkeeper tourist hiker
    bystander pedestrian motorist neighbour neighbor guest diplomat suspect inmate
    supporter loyalist follower opponent dissident
    """.split()
)
#: Civilians among ``PEOPLE_NOUNS`` (a victim who is no armed actor).
CIVILIAN_NOUNS = frozenset(
    """
    civilian civilians resident residents man men woman women child children boy girl baby
    infant teenager family villager worker farmer driver passenger patient doctor nurse medic
    journalist reporter volunteer teacher student pupil worshipper pilgrim refugee migrant
    elderly pensioner employee staff shepherd herder fisherman miner engineer rescuer
    firefighter paramedic displaced inhabitant local adult youth person people
    widow widower wife husband mother father son daughter brother sister relative cousin
    elder businessman businesswoman trader vendor merchant shopkeeper tourist hiker
    bystander pedestrian motorist neighbour neighbor guest
    """.split()
)
#: Things struck that are neither armed actors nor people: buildings, vehicles, sites.
TARGET_NOUNS = frozenset(
    """
    building house home apartment block flat residence hospital clinic school kindergarten
    university market shop store mall supermarket church mosque temple synagogue monastery
    cemetery camp shelter bridge dam road railway railroad train station depot warehouse
    port harbour harbor airport airfield airbase base barracks headquarters hq checkpoint
    position trench outpost convoy vehicle car bus truck lorry minibus ambulance boat ship
    tanker vessel plant factory refinery facility infrastructure substation grid pipeline
    terminal storage tower office hotel restaurant cafe stadium theatre theater museum
    library village town city neighbourhood neighborhood district suburb area settlement
    farm field enterprise object target site compound palace parliament embassy consulate
    warehouse ammunition arsenal launcher system radar aircraft helicopter drone tank
    elevator silo granary garage pharmacy bakery kiosk prison jail
    """.split()
)
#: Nouns of settlements and areas: a place undergoes the event even when unnamed here.
PLACE_NOUNS = frozenset(
    """
    village town city settlement hamlet area region territory district province oblast raion
    positions position stronghold bridgehead foothold outskirts suburb neighbourhood
    neighborhood locality airport base airbase heights hill hilltop island coast bank
    headquarters hq post outpost garrison part parts checkpoint camp
    farm farms point points building buildings block blocks bridge crossing
    station airfield barracks command
    """.split()
)
#: Causes of death or injury that are not violence (a flood kills, but is no event here).
NONVIOLENT_CAUSES = frozenset(
    """
    accident crash collision flood flooding earthquake quake storm hurricane typhoon cyclone
    tornado landslide mudslide avalanche heatwave heat cold fire blaze disease illness virus
    outbreak epidemic pandemic cholera ebola covid malaria measles flu influenza infection
    cancer overdose drowning famine starvation hunger stampede lightning eruption tsunami
    methane boiler firework fireworks deminer demining demine
    """.split()
)
#: Verbs that report what someone said ("officials said forces shelled X"). Each stage adds
#: the verbs its own question needs (where the speaker is, what the statement dates, who the
#: pronoun is) and the irrealis test takes out the ones that deny.
SPEECH_VERBS = frozenset(
    "say tell report announce confirm claim state add write post deny acknowledge".split()
)
#: Nouns of media: "captured on video", "the footage captures" are no events.
REPORT_NOUNS = frozenset(
    """
    video camera film footage tape cctv photo photograph image picture episode report book
    study documentary series novel story scene moment imagination attention mood spirit essence
    """.split()
)


#: Past forms the language model's lemmatiser does not know, by their lemma.
_IRREGULAR = {
    "retook": "retake", "retaken": "retake", "overtook": "overtake", "overtaken": "overtake",
    "outflanked": "outflank", "shot": "shoot", "underwent": "undergo", "besieged": "besiege",
    "rebombed": "bomb", "reshelled": "shell", "blew": "blow", "blown": "blow",
}  # fmt: skip


def lemma_of(token) -> str:
    """Return a token's lemma in lower case, mending past forms the model leaves as they are."""
    lemma = token.lemma_.lower()
    return _IRREGULAR.get(lemma, lemma)


@dataclass(frozen=True, slots=True)
class Sense:
    """One sense of a trigger word: its event type, mode and the parse conditions it needs.

    ``needs`` is a tuple of groups: every group must hold, and a group holds when any of its
    alternatives does (``"armed,place; violent"`` is ``(("armed", "place"), ("violent",))``).
    """

    lemma: str
    pos: str
    event_type: str
    mode: str | None
    needs: tuple
    comment: str


def _parse_needs(text):
    """Parse "armed,place; nobj=deal|pact" into (("armed", "place"), ("nobj=deal|pact",))."""
    if text.strip() in ("", "-"):
        return ()
    return tuple(tuple(alt.strip() for alt in group.split(",")) for group in text.split(";"))


@cache
def senses() -> dict[tuple[str, str], tuple[Sense, ...]]:
    """Return the lexicon: ``(lemma, pos)`` → its senses, in the file's order.

    Raises
    ------
    ValueError
        When a line of the data file is malformed (named with its line number).
    """
    out: dict[tuple[str, str], list[Sense]] = {}
    with open(_DATA, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                raise ValueError(f"{_DATA.name}:{number}: expected 6 tab-separated columns")
            lemma, pos, event_type, mode, needs, comment = cols
            if pos not in ("VERB", "NOUN", "ADJ") or event_type not in EVENT_TYPES:
                raise ValueError(f"{_DATA.name}:{number}: bad part of speech or event type")
            sense = Sense(lemma, pos, event_type, None if mode == "-" else mode,
                          _parse_needs(needs), comment)  # fmt: skip
            out.setdefault((lemma, pos), []).append(sense)
    return {key: tuple(value) for key, value in out.items()}
