import pytest

from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.toponyms import common_word, demonyms, scan, tokenize


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


def test_tokenize_splits_possessives_and_keeps_abbreviations():
    words = [w for _s, _e, w in tokenize("Russia’s forces, the U.S. and Mr. Ri in Pokrovs'k")]
    assert words == ["Russia", "forces", "the", "U.S.", "and", "Mr.", "Ri", "in", "Pokrovs'k"]


def test_spans_index_the_text(gaz):
    text = "Fighting in Russia’s Kursk border region and near Київ; the U.S. said."
    spans = scan(text, gaz)
    assert spans
    for span in spans:
        assert text[span.start : span.end] == span.text
    by_text = {s.text: s for s in spans}
    assert by_text["Kursk"].area and by_text["Kursk"].wording_end == text.index(" and near")
    assert by_text["Kursk"].cue == "in"
    assert by_text["Київ"].kind == "name"
    assert by_text["U.S."].kind == "abbreviation" and by_text["U.S."].country == "US"


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("North Korean soldiers crossed", "North Korean", "KP"),
        ("Ukrainian forces said", "Ukrainian", "UA"),
        ("the Ukrainians advanced", "Ukrainians", "UA"),
        ("Iraqi police", "Iraqi", "IQ"),
        ("Sudanese army", "Sudanese", "SD"),
        ("French troops", "French", "FR"),
    ],
)
def test_demonyms_are_found_as_actors_with_their_country(gaz, text, surface, country):
    span = next(s for s in scan(text, gaz) if s.text == surface)
    assert span.kind == "demonym" and span.country == country


def test_demonym_table_is_built_from_country_names(gaz):
    table = demonyms(gaz)
    assert table["north korean"] == "KP" and table["ukrainian"] == "UA"
    assert table["vietnamese"] == "VN" and table["israeli"] == "IL"


def test_list_after_provinces_of_is_read_as_areas(gaz):
    spans = scan("the provinces of Donetsk and Luhansk", gaz)
    assert [(s.text, s.area) for s in spans] == [("Donetsk", True), ("Luhansk", True)]


def test_person_titles_mark_names(gaz):
    spans = {s.text: s for s in scan("Russian President Vladimir Putin met Mr. Kim.", gaz)}
    assert spans["Vladimir"].person


def test_common_word():
    assert common_word("Mission") and common_word("Of") and common_word("Deal")
    assert not common_word("Kursk") and not common_word("Pokrovsk")
