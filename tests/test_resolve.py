import pytest

from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.resolve import geoparse, is_metonymic

KURSK_OBLAST = 538555


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def places(text, gaz):
    return [m for m in geoparse(text, gazetteer=gaz) if m.role == "location"]


def test_offsets_index_the_text_including_cyrillic(gaz):
    text = "KYIV — Ukrainian forces fought in the Kursk region. Ещё: Київ і Суджа.\n"
    found = geoparse(text, gazetteer=gaz)
    assert found
    assert all(text[m.start : m.end] == m.text for m in found)
    ids = {m.text: m.place.geonameid for m in found}
    assert ids["Kursk"] == KURSK_OBLAST  # "the Kursk region": the name, read as the area
    assert ids["Київ"] == ids["KYIV"]


def test_region_wording_resolves_to_the_admin1_area(gaz):
    text = "Troops crossed into the Kursk region; later they entered Kursk."
    found = places(text, gaz)
    assert found[0].place.feature_code == "ADM1" and found[0].area
    assert found[1].place.feature_code.startswith("PPL")


def test_document_context_picks_the_homonym(gaz):
    text = "Russian troops advanced on Pokrovsk in Donetsk Oblast, Ukrainian officials said."
    pokrovsk = next(m for m in places(text, gaz) if m.text == "Pokrovsk")
    assert pokrovsk.place.country_code == "UA"
    assert pokrovsk.place.admin1_name and "Donetsk" in pokrovsk.place.admin1_name


def test_the_donbas_is_the_curated_region(gaz):
    found = places("Russia's objective is the Donbas, which it calls Donbass.", gaz)
    assert {m.place.feature_code for m in found if m.text.startswith("Donbas")} == {"RGN"}


def test_demonyms_are_actors_not_places(gaz):
    found = geoparse("North Korean and Ukrainian soldiers met Russian officers.", gazetteer=gaz)
    assert [m.role for m in found] == ["actor", "actor", "actor"]
    assert [m.place.country_code for m in found] == ["KP", "UA", "RU"]


@pytest.mark.parametrize(
    "text",
    [
        "Of the soldiers, few survived.",
        "The Mission said the Deal was off.",
        "Police said a Storm hit the town.",
        "Mr. Ri and Kim Jong-un spoke. Kim said nothing.",
        "Russian President Vladimir Putin and Secretary of State Antony Blinken met.",
        "Western officials and NATO allies said Eastern partners agreed.",
        "In March, One soldier said He would go To the front in August.",
    ],
)
def test_common_words_and_person_names_never_become_places(gaz, text):
    found = [(m.text, m.place.name) for m in places(text, gaz)]
    assert found == [], found


def test_a_real_place_that_is_a_common_word_needs_locative_evidence(gaz):
    text = "Artillery hit Bakhmut and Chasiv Yar in Donetsk Oblast, Ukraine said."
    names = {m.text for m in places(text, gaz)}
    assert {"Bakhmut", "Chasiv Yar", "Donetsk Oblast", "Ukraine"} <= names


def test_one_unresolvable_name_never_spoils_the_rest(gaz):
    text = "Fighting near Zzyzxqqvill and Qwrtplk spread to Sudzha in the Kursk region."
    names = [m.text for m in places(text, gaz)]
    assert names == ["Sudzha", "Kursk"]


@pytest.mark.parametrize(
    ("text", "name", "metonymic"),
    [
        ("Kyiv said the soldiers were captured.", "Kyiv", True),
        ("Moscow denied the reports.", "Moscow", True),
        ("Pyongyang supplied shells to Russia.", "Pyongyang", True),
        ("Reports from Kiev indicate heavy losses.", "Kiev", True),
        ("ties between Pyongyang and Moscow grew", "Pyongyang", True),
        ("the Pyongyang regime is secretive", "Pyongyang", True),
        ("Missiles struck apartment blocks in Kyiv overnight.", "Kyiv", False),
        ("He was stationed near Pyongyang for years.", "Pyongyang", False),
    ],
)
def test_metonymy(gaz, text, name, metonymic):
    mention = next(m for m in geoparse(text, gazetteer=gaz) if m.text == name)
    assert is_metonymic(text, mention) is metonymic


def test_mentions_serialise_to_the_cli_row(gaz):
    row = places("Shelling in Kharkiv.", gaz)[0].to_dict()
    for key in ("start", "end", "text", "lat", "lon", "geonameid", "feature_code", "country_code"):
        assert key in row
    assert row["text"] == "Kharkiv" and row["country_code"] == "UA"


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("Russian troops remain in South Ossetia, and Georgia protested in Tbilisi.", "GE", "PCLI"),
    ],
)
def test_georgia_in_a_document_about_the_caucasus_is_the_country(gaz, text, country, code):
    georgia = next(m for m in places(text, gaz) if m.text == "Georgia")
    assert (georgia.place.country_code, georgia.place.feature_code) == (country, code)
