"""GazetteerGeocoder: geopy's contract, the named homonyms and spellings, hints, reverse."""

import functools
import sys
from pathlib import Path

import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from geo.gazetteer.lookup import Gazetteer
from geo.geoparse.geocoder import Context, GazetteerGeocoder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_geocode import evaluate, read_devset  # noqa: E402


@pytest.fixture(scope="module")
def geocoder():
    return GazetteerGeocoder(Gazetteer(user_dir=False))


def gid(geocoder, query, **kwargs):
    loc = geocoder.geocode(query, **kwargs)
    return None if loc is None else loc.raw["geonameid"]


@pytest.mark.parametrize(
    ("query", "expected", "precision"),
    [
        pytest.param("Kursk", 538560, "exact", id="kursk-city"),
        pytest.param("Kursk region", 538555, "admin1", id="kursk-region"),
        pytest.param("Kursk Oblast", 538555, "admin1", id="kursk-oblast"),
        pytest.param("the Kursk region", 538555, "admin1", id="the-kursk-region"),
        pytest.param("Kiev", 703448, "exact", id="kiev"),
        pytest.param("Kyiv", 703448, "exact", id="kyiv"),
        pytest.param("Київ", 703448, "exact", id="kyiv-ukrainian"),
        pytest.param("Киев", 703448, "exact", id="kyiv-russian"),
        pytest.param("Kyiv Oblast", 703446, "admin1", id="kyiv-oblast-not-city"),
        pytest.param("Pyongyang", 1871859, "exact", id="pyongyang"),
        pytest.param("Moscow", 524901, "exact", id="moscow"),
        pytest.param("Donbas", 3000000001, "region", id="donbas"),
        pytest.param("Donbass", 3000000001, "region", id="donbass"),
        pytest.param("Donetsk", 709717, "exact", id="donetsk-ukraine-city"),
        pytest.param("Donetsk Oblast", 709716, "admin1", id="donetsk-oblast"),
        pytest.param("Avdiivka", 713122, "exact", id="avdiivka-town-not-village"),
        pytest.param("Georgia", 614540, "country", id="georgia-country"),
        pytest.param("Bakhmut town", 713174, "exact", id="bakhmut-town"),
        pytest.param("Kherson, Kherson Oblast", 706448, "exact", id="kherson-with-oblast"),
        pytest.param("near Sudzha", 486816, "near", id="near-sudzha"),
        pytest.param("Kharkov", 706483, "exact", id="kharkov"),
        pytest.param("Zaporozhye", 687700, "exact", id="zaporozhye"),
        pytest.param("Lugansk", 702658, "exact", id="lugansk"),
        pytest.param("Nikolaev", 700569, "exact", id="nikolaev"),
        pytest.param("Pokrovs'k", 704422, "exact", id="pokrovsk-apostrophe"),
        pytest.param("Crimea", 3000000002, "region", id="crimea-peninsula"),
        pytest.param("Gaza", 281133, "exact", id="gaza"),
        pytest.param("El Fasher", 379555, "exact", id="el-fasher"),
        pytest.param("Myitkyina", 1307741, "exact", id="myitkyina"),
    ],
)
def test_named_cases(geocoder, query, expected, precision):
    loc = geocoder.geocode(query)
    assert loc is not None, query
    assert (loc.raw["geonameid"], loc.raw["precision"]) == (expected, precision)


def test_donetsk_russia_only_when_asked(geocoder):
    assert gid(geocoder, "Donetsk", country_codes=["RU"]) == 565348
    assert gid(geocoder, "Donetsk", country_codes="ru") == 565348


def test_pokrovsk_by_country_hint(geocoder):
    assert gid(geocoder, "Pokrovsk", context=Context(countries={"UA": 1.0})) == 704422
    assert gid(geocoder, "Pokrovsk", context=Context(countries={"RU": 1.0})) == 2017824
    assert gid(geocoder, "Pokrovsk", country_codes=["RU"]) == 2017824
    assert gid(geocoder, "Pokrovsk, Ukraine") == 704422


def test_donetsk_city_district(geocoder):
    loc = geocoder.geocode("Donetsk - Petrovskyi")
    # GeoNames knows the Petrovskyi district under its new name, Voznesenskyi.
    assert loc.raw["geonameid"] == 697302 and loc.raw["country_code"] == "UA"


def test_unknown_district_gives_the_city_as_an_area(geocoder):
    loc = geocoder.geocode("Donetsk - Qqqzzz")
    assert (loc.raw["geonameid"], loc.raw["precision"]) == (709717, "admin2")


def test_plekhovo_comes_from_the_russian_postal_file(geocoder):
    # Not in any city table; the RU postal file places it in Sudzhansky raion (Kursk).
    loc = geocoder.geocode("village of Plekhovo")
    assert (loc.raw["country_code"], loc.raw["admin1_code"]) == ("RU", "41")
    assert loc.raw["source"] == "geonames-postal-ru" and loc.raw["precision"] == "exact"
    # Plekhiv (Poltava Oblast) lists "Plekhovo" as an alternate name: it ranks below.
    ranked = [p.geonameid for p, _ in geocoder.candidates("Plekhovo")]
    assert ranked.index(697108) > 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sudja", 486816),  # dj for dzh: Sudzha
        ("Soudja", 486816),  # French
        ("Staromayorske", 692812),  # a village's own name with ay for ai
        ("Urozhayne, Donetsk Oblast", 9114393),  # Urozhaine, not a Crimean Urozhaynoye
        ("Dunayvka", 709431),  # villages not named in any issue: Dunaivka
        ("Kalantayvka", 707225),
        ("Polyanytsya", 696605),
    ],
)
def test_other_romanisations_of_a_name(geocoder, query, expected):
    assert gid(geocoder, query, country_codes=["UA", "RU"]) == expected


def test_location_contract(geocoder):
    loc = geocoder.geocode("Kursk")
    assert isinstance(loc, Location)
    assert loc.latitude == pytest.approx(51.73, abs=0.02)
    assert loc.longitude == pytest.approx(36.18, abs=0.02)
    assert loc.address == "Kursk, Kursk Oblast, Russia"
    raw = loc.raw
    for key in ("geonameid", "name", "feature_class", "feature_code", "country_code",
                "admin1_code", "admin1_name", "population", "precision", "score",
                "alternatives", "query"):  # fmt: skip
        assert key in raw
    assert "geometry" not in raw
    assert 0 < raw["score"] <= 1
    assert raw["alternatives"][0]["geonameid"] == 538555
    assert raw["alternatives"][0]["score"] <= raw["score"]


def test_area_results_carry_geometry(geocoder):
    loc = geocoder.geocode("Kursk region")
    assert loc.raw["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert geocoder.geocode("Donbas").raw["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_exactly_one_false_and_limit(geocoder):
    locs = geocoder.geocode("Pokrovsk", exactly_one=False, limit=2)
    assert isinstance(locs, list) and len(locs) == 2
    assert locs[0].raw["score"] >= locs[1].raw["score"]
    assert geocoder.geocode("Zzzyxxqq", exactly_one=False) is None


def test_feature_classes_filter(geocoder):
    assert gid(geocoder, "Kursk", feature_classes=["A"]) == 538555
    assert gid(geocoder, "Donbas", feature_classes="P") is None


def test_context_admin1_and_near(geocoder):
    assert gid(geocoder, "Kostiantynivka") == 705104  # the Donetsk Oblast town
    ctx = Context(admin1={("UA", "26")})
    assert gid(geocoder, "Kostiantynivka", context=ctx) == 705115  # Zaporizhzhia Oblast
    near = Context(near=(47.2, 35.6))
    assert gid(geocoder, "Kostiantynivka", context=near) == 705115
    assert gid(geocoder, "Kursk", context=Context(prefer_area=True)) == 538555


def test_remembered_matches_and_scores_rank_like_a_geocoder_without_caches(geocoder):
    """Names are matched and scored once, then ranked anew for each document context."""
    fresh = GazetteerGeocoder(geocoder.gazetteer, cache_size=0)
    contexts = [None, Context(countries={"UA": 1.0}), Context(countries={"RU": 1.0, "UA": 0.3}),
                Context(prefer_area=True), Context(admin1={("UA", "26")}),
                Context(near=(47.2, 35.6))]  # fmt: skip
    for _ in range(2):  # the second round answers from what the first one remembered
        for query in ("Pokrovsk", "Kostiantynivka", "Kursk region", "Georgia", "Kupiansk district"):
            for ctx in contexts:
                assert geocoder.candidates(query, context=ctx) == fresh.candidates(
                    query, context=ctx
                ), (query, ctx)


def test_a_bare_query_ranks_as_with_an_empty_context():
    """A query without document or qualifier is ranked by its static terms directly: the
    same candidates and scores as the full ranking with an empty context, and as explain."""
    fresh = GazetteerGeocoder(Gazetteer.default(), cache_size=0)
    several = 0
    for query in ("Pokrovsk", "Georgia", "Kursk region", "Alabama", "Bahia", "Kupiansk district",
                  "Oleksandrivka", "Novoselivka", "Kharkov", "Zaporizhzhia"):  # fmt: skip
        bare = fresh.candidates(query)
        several += len(bare) > 1
        assert bare == fresh.candidates(query, context=Context()), query
        assert [(p.geonameid, s) for p, s, _f in fresh.explain(query)] == [
            (p.geonameid, s) for p, s in bare
        ], query
    assert several >= 6  # rankings, not single answers


@pytest.mark.parametrize(
    "value", [-1.5, -0.0, 0.0, 1e-9, 0.12345, 0.99995, 0.99996, 1, 1.0, 1.00001, 7, float("nan")]
)
def test_scores_are_clamped_and_rounded(value):
    from geo.geoparse.geocoder import _clamp

    expected = round(min(1.0, max(0.0, value)), 4)
    assert _clamp(value) == expected and type(_clamp(value)) is type(expected)
    assert str(_clamp(value)) == str(expected)


def test_candidates_are_ranked_and_scored(geocoder):
    ranked = geocoder.candidates("Pokrovsk")
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert {p.geonameid for p, _ in ranked} >= {704422, 2017824}
    ranked[:] = []  # the caller's copy; the geocoder's memory is not affected
    assert geocoder.candidates("Pokrovsk")


@pytest.mark.parametrize("query", ["", "   ", "x" * 10_000, "\x00\x01"])
def test_bad_queries_are_not_found(geocoder, query):
    assert geocoder.geocode(query) is None


def test_non_string_query_is_a_type_error(geocoder):
    with pytest.raises(TypeError, match="query must be a str"):
        geocoder.geocode(42)


def test_drops_into_geopy_helpers(geocoder):
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert geocode("Kyiv").raw["geonameid"] == 703448
    ukraine_only = functools.partial(geocoder.geocode, country_codes=["UA"])
    assert ukraine_only("Donetsk").raw["geonameid"] == 709717


def test_reverse(geocoder):
    loc = geocoder.reverse((51.73, 36.19))
    assert loc.raw["geonameid"] == 538560 and loc.raw["distance_km"] < 2
    locs = geocoder.reverse("51.73, 36.19", exactly_one=False)
    assert [x.raw["geonameid"] for x in locs][:3] == [538560, 538555, 2017370]
    ocean = geocoder.reverse((0.0, -140.0))  # the open Pacific: no town, the ocean
    assert (ocean.raw["feature_class"], ocean.raw["feature_code"]) == ("H", "OCN")
    assert ocean.raw["distance_km"] == 0.0 and "Pacific" in ocean.raw["name"]
    with pytest.raises(ValueError):
        geocoder.reverse((95.0, 10.0))


def test_devset_accuracy():
    rows = read_devset()
    assert len(rows) >= 300
    correct, wrong_country, _not_found, misses = evaluate(
        GazetteerGeocoder(Gazetteer(user_dir=False)), rows
    )
    assert wrong_country == 0, [m for m in misses if m[2] is not None]
    assert correct / len(rows) >= 0.98, misses


def test_district_wording(geocoder):
    loc = geocoder.geocode("Kramatorsk district")  # GeoNames: Kramatorskyi Raion
    assert (loc.raw["feature_code"], loc.raw["precision"]) == ("ADM2", "admin2")
    loc = geocoder.geocode("Sudzha district")  # no such unit shipped: the town, as an area
    assert (loc.raw["geonameid"], loc.raw["precision"]) == (486816, "admin2")


def test_near_spelling_of_a_different_place_is_not_an_answer(geocoder):
    assert geocoder.geocode("Golan Heights") is None  # not Glenn Heights, Texas


def test_document_context_can_outweigh_the_country_prior(geocoder):
    georgia = [(p.geonameid, p.feature_code) for p, _ in geocoder.candidates("Georgia")]
    assert georgia[0] == (614540, "PCLI")  # bare: the country
    # A document mostly about the US (its other places there, Georgia itself half-counted).
    us_doc = Context(countries={"US": 1.0, "GE": 0.75})
    assert gid(geocoder, "Georgia", context=us_doc) == 4197000  # the US state
    assert gid(geocoder, "Georgia", context=Context(countries={"US": 1.0})) == 4197000
    # A Caucasus document, or one that leads with no country: the prior stands.
    for countries in ({"GE": 1.0, "RU": 0.9}, {"US": 1.0, "GE": 1.0}, {"RU": 1.0}):
        assert gid(geocoder, "Georgia", context=Context(countries=countries)) == 614540


def test_context_bonus_is_bounded(geocoder):
    from geo.geoparse.geocoder import MAX_CONTEXT_BONUS

    plain = geocoder.candidates("Pokrovsk")
    low = [(p, s) for p, s in plain if s < 1 - MAX_CONTEXT_BONUS and p.feature_code != "ADM1"]
    assert low
    place, score = low[-1]
    # Its country leads the document and its admin1 unit is mentioned: the largest bonus.
    ctx = Context(
        countries={place.country_code: 1.0}, admin1={(place.country_code, place.admin1_code)}
    )
    with_ctx = dict((p.geonameid, s) for p, s in geocoder.candidates("Pokrovsk", context=ctx))
    assert with_ctx[place.geonameid] - score == pytest.approx(MAX_CONTEXT_BONUS, abs=1e-3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Columbus, Georgia", 4188985, id="columbus-ga-not-ohio"),
        pytest.param("Athens, Georgia", 4180386, id="athens-ga-not-greece"),
        pytest.param("Paris, Texas", 4717560, id="paris-tx-not-france"),
        pytest.param("Batumi, Georgia", 615532, id="batumi-georgia-the-country"),
        pytest.param("Gori, Georgia", 614455, id="gori-georgia-the-country"),
    ],
)
def test_city_state_qualifier_reads_every_close_reading(geocoder, query, expected):
    assert gid(geocoder, query) == expected


def test_a_village_abroad_does_not_make_a_state_name_a_town(geocoder):
    # Alabama, New York (a village) is no reason to read "Alabama" as a town; Kursk still is.
    assert geocoder.geocode("Alabama").raw["feature_code"] == "ADM1"
    assert gid(geocoder, "Kursk") == 538560


def _with_places(tmp_path, features):
    """A geocoder over the gazetteer and the analyst's places ``features`` (GeoJSON)."""
    import json

    (tmp_path / "places.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return GazetteerGeocoder(Gazetteer(user_dir=tmp_path), cache_size=0)


def _village(name, lon, lat, cc, population, alt_names=()):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name, "country_code": cc, "population": population,
                           "feature_code": "PPL", "alt_names": list(alt_names)}}  # fmt: skip


def test_a_cyrillic_name_is_a_foreign_latin_name_only_in_another_script(tmp_path):
    """A name written in Cyrillic equals a place's Latin main name only once transliterated:
    that is a ``transliterated`` match, as strong as a Ukrainian village's own Cyrillic name
    (an ``alternate`` one), so the larger village wins; written in Latin, the name is the
    foreign town's own and it keeps its edge. An analyst's place whose main name is written
    in Cyrillic is matched by its own name."""
    geocoder = _with_places(tmp_path, [
        _village("Verteni", 24.1, 46.2, "RO", 1000),
        _village("Verteny", 33.4, 49.6, "UA", 1500, ["Вертени"]),
    ])  # fmt: skip
    assert geocoder.geocode("Вертени").raw["country_code"] == "UA"
    kinds = {s.place.country_code: s.features.match for s in geocoder.explain("Вертени")}
    assert kinds == {"RO": "transliterated", "UA": "alternate"}
    assert geocoder.geocode("Verteni").raw["country_code"] == "RO"
    assert geocoder.geocode("Вертени, Romania").raw["country_code"] == "RO"

    own = _with_places(tmp_path, [
        _village("Verteni", 24.1, 46.2, "RO", 1000),
        _village("Вертени", 33.4, 49.6, "UA", 100),
    ])  # fmt: skip
    assert own.geocode("Вертени").raw["country_code"] == "UA"
    assert [s.features.match for s in own.explain("Вертени")] == ["main", "transliterated"]
