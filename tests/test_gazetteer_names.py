"""Name variants derived at build time, and the built data carrying them."""

import pytest

from gazetteer.build_names import acronyms, foreign_names, oblast_forms, split_parenthetical
from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.geocoder import GazetteerGeocoder


@pytest.fixture(scope="module")
def geocoder():
    return GazetteerGeocoder(Gazetteer(user_dir=False))


def test_parenthetical_names_split():
    assert split_parenthetical("Respublika Sakha (Yakutiya)") == [
        "Respublika Sakha (Yakutiya)", "Respublika Sakha", "Yakutiya"
    ]  # fmt: skip
    assert split_parenthetical("Kursk Oblast") == ["Kursk Oblast"]
    assert split_parenthetical("(Yakutia)") == ["(Yakutia)"]


@pytest.mark.parametrize(
    ("uk", "ru", "expected"),
    [
        ("Полтава", "Полтава", ["Полтавська область", "Полтавская область"]),
        ("Вінниця", "Винница", ["Вінницька область", "Винницкая область"]),
        ("Одеса", "Одесса", ["Одеська область", "Одесская область"]),
        ("Запоріжжя", "Запорожье", ["Запорізька область", "Запорожская область"]),
        ("Луганськ", "Луганск", ["Луганська область", "Луганская область"]),
        ("Суми", "Сумы", ["Сумська область", "Сумская область"]),
    ],
)
def test_oblast_adjectives_follow_the_grammar(uk, ru, expected):
    # Checked against Natural Earth's own name_uk / name_ru of these oblasts.
    assert oblast_forms(uk, ru) == expected


def test_oblast_forms_leave_full_names_alone():
    assert oblast_forms("Харківська область", "Харьковская область") == []
    assert oblast_forms(None, "") == []


@pytest.mark.parametrize(
    ("formal", "abbrev", "expected"),
    [
        ("Democratic Republic of the Congo", "D.R.C.", ["DRC"]),
        ("United States of America", "U.S.A.", ["USA"]),
        ("Russian Federation", "Rus.", []),  # two letters: too short
        ("Republic of Korea", "S.K.", []),
        (float("nan"), None, []),  # pandas gives NaN for a blank
    ],
)
def test_country_acronyms(formal, abbrev, expected):
    assert acronyms(formal, abbrev) == expected


def test_unit_acronyms_come_from_dotted_abbreviations():
    # guard: acronyms() already read a dotted abbreviation; round 5 applies it to units
    assert acronyms(None, "P.E.I.") == ["PEI"]
    assert acronyms(None, "Ont.") == []  # a shortened word, not initials
    assert acronyms(None, "W.A.") == []  # two letters: too short


@pytest.mark.parametrize(
    ("query", "country", "name"),
    [
        pytest.param("NWT", "CA", "Northwest Territories", id="nwt"),
        pytest.param("ACT", "AU", "Australian Capital Territory", id="act"),
    ],
)
def test_first_level_unit_acronyms_resolve(geocoder, query, country, name):
    # Natural Earth's dotted abbreviation of a first-level unit ("P.E.I.") as an acronym.
    loc = geocoder.geocode(query)
    assert loc is not None
    assert loc.raw["feature_code"] == "ADM1"
    assert (loc.raw["country_code"], loc.raw["name"]) == (country, name)


@pytest.mark.parametrize(
    ("text", "acronym", "name"),
    [
        ("Wildfires forced residents of Hay River in the NWT to leave on Sunday.", "NWT",
         "Northwest Territories"),
        ("Police in the ACT said the man was arrested in Canberra on Monday.", "ACT",
         "Australian Capital Territory"),
    ],
)  # fmt: skip
def test_a_unit_acronym_is_found_in_running_text(text, acronym, name):
    from geo.geoparse import geoparse

    found = {m.text: m for m in geoparse(text)}
    assert acronym in found
    assert found[acronym].place.name == name


def test_foreign_names_are_dropped_only_from_a_mixed_up_unit():
    own = ["Sakha", "Sakha (Yakutia)", "Sakha Republic"]
    others = [["Chukotka", "Chukotka Autonomous Okrug"], ["Kaliningrad", "Kaliningrad Oblast"]]
    loose = ["Chukotka", "Chukot", "Chukotskiy AOk", "Yakutia"]
    assert foreign_names(loose, own, others) == {"Chukotka", "Chukot", "Chukotskiy AOk"}
    # A name that only starts like another unit's stays (Tver was Kalinin).
    assert foreign_names(["Kalinin"], ["Tver Oblast", "Tver"], others) == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Yakutia", 2013162, id="yakutia"),
        pytest.param("Yakutiya", 2013162, id="yakutiya"),
        pytest.param("Sakha", 2013162, id="sakha"),
        pytest.param("Pokrovsk, Yakutia", 2017824, id="pokrovsk-comma-yakutia"),
        pytest.param("Pokrovsk in Yakutia", 2017824, id="pokrovsk-in-yakutia"),
        pytest.param("Chukotka", 2126099, id="chukotka-not-sakha"),
        pytest.param("DPRK", 1873107, id="dprk"),
        pytest.param("UAE", 290557, id="uae"),
        pytest.param("Київська область", 703446, id="kyivska-oblast"),
        pytest.param("Киевская область", 703446, id="kievskaya-oblast"),
    ],
)
def test_built_names_resolve(geocoder, query, expected):
    loc = geocoder.geocode(query)
    assert loc is not None and loc.raw["geonameid"] == expected


def test_chukotka_names_are_not_sakha_names():
    gaz = Gazetteer(user_dir=False)
    assert 2013162 not in [p.geonameid for p in gaz.lookup("chukotka")]


def test_a_name_with_in_stays_whole_when_it_is_a_name(geocoder):
    loc = geocoder.geocode("Sankt Johann in Tirol")
    assert loc is not None and loc.raw["country_code"] == "AT"
