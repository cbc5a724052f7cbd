"""Names of countries that news uses and neither GeoNames' country table nor Natural Earth's
country names give: abbreviations, former names, and conventional short English names.

The gazetteer build (``gazetteer/build.py``) makes each of them a name of its country, so
``geocode("DR Congo")`` answers the Democratic Republic of the Congo; the geoparser reads
the abbreviations only where the text writes them in capitals or with dots ("US", "U.S.",
not "us") and the former names only where no region word follows ("Zaire", not "Zaire
province"). Keys are folded (``geo.gazetteer.normalize.fold``). From public knowledge of
the names and renamings; each entry is a country's usual name in English-language
reporting, checked against the country it names, not a list tuned on any evaluation text.

>>> ABBREVIATIONS["u s"], FORMER_NAMES["zaire"], "Congo-Brazzaville" in CONVENTIONAL_NAMES["CG"]
('US', 'CD', True)
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "CONVENTIONAL_NAMES", "FORMER_NAMES", "names_of"]

#: Abbreviations of country names (folded: "U.S." is "u s"). Written in capitals or with dots.
ABBREVIATIONS = {
    "us": "US", "u s": "US", "usa": "US", "u s a": "US", "uk": "GB", "u k": "GB",
    "uae": "AE", "drc": "CD", "dprk": "KP", "rok": "KR", "prc": "CN",
}  # fmt: skip

#: Former names of countries that news still uses, and the state that bears the country's
#: place now (the continuing state where one country split: the Soviet Union, Yugoslavia;
#: for Czechoslovakia the larger part). GeoNames lists some of them as other names of the
#: country ("Burma"), not these.
FORMER_NAMES = {
    "zaire": "CD", "ceylon": "LK", "rhodesia": "ZW", "southern rhodesia": "ZW",
    "northern rhodesia": "ZM", "yugoslavia": "RS", "soviet union": "RU", "ussr": "RU",
    "u s s r": "RU", "czechoslovakia": "CZ", "east germany": "DE", "west germany": "DE",
    "siam": "TH", "persia": "IR", "dahomey": "BJ", "upper volta": "BF",
    "east pakistan": "BD", "bechuanaland": "BW", "basutoland": "LS", "nyasaland": "MW",
    "tanganyika": "TZ", "kampuchea": "KH", "swaziland": "SZ", "zaïre": "CD",
}  # fmt: skip

#: Conventional short names in English-language news (ISO code → names). The two Congos
#: are told apart by their capitals ("Congo-Kinshasa"); "Türkiye" is the country's English
#: name at the United Nations since 2022.
CONVENTIONAL_NAMES = {
    "GB": ("Britain", "Great Britain"),
    "US": ("America",),
    "CD": ("DR Congo", "D.R. Congo", "DR of Congo", "Congo-Kinshasa", "Congo Kinshasa"),
    "CG": ("Congo-Brazzaville", "Congo Brazzaville", "Congo Republic"),
    "NL": ("Holland",),
    "BA": ("Bosnia",),
    "TR": ("Türkiye", "Turkiye"),
}


def names_of(iso):
    """Return the extra names of the country with ISO code ``iso``: its conventional names
    and its former names (the latter as folded keys); its abbreviations are in
    :data:`ABBREVIATIONS`.

    >>> names_of("CD")[:2]
    ['DR Congo', 'D.R. Congo']
    """
    out = list(CONVENTIONAL_NAMES.get(iso, ()))
    out += [name for name, code in FORMER_NAMES.items() if code == iso]
    return out
