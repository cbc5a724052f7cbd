"""The gazetteer: committed data, lookups, areas and outlines, the cached runtime index."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geo.exc import GazetteerError
from geo.gazetteer.index import names_entries
from geo.gazetteer.lookup import ATTRIBUTION, DATA_DIR, INDEX_VERSION, REGION_ID_RANGE, Gazetteer
from geo.gazetteer.normalize import fold

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer(user_dir=False)


def test_committed_data_is_compact():
    total = sum(p.stat().st_size for p in DATA_DIR.iterdir() if p.is_file())
    assert total < 40 * 1024 * 1024
    manifest = json.loads((DATA_DIR / "manifest.json").read_text())
    assert manifest["counts"]["populated"] > 230_000
    assert manifest["counts"]["ADM1"] > 3_000


def test_default_is_one_object_per_process(monkeypatch, tmp_path):
    monkeypatch.setenv("CONFLICTMAP_USER_GAZETTEER", str(tmp_path))
    assert Gazetteer.default() is Gazetteer.default()


def test_lookup_returns_every_kind_of_place(gaz):
    ids = {p.geonameid: p.feature_code for p in gaz.lookup(fold("Kursk"))}
    assert ids[538560] == "PPLA"  # the city
    assert ids[538555] == "ADM1"  # the oblast, under its name without "Oblast"


def test_lookup_folds_a_raw_name(gaz):
    assert 704422 in {p.geonameid for p in gaz.lookup("Pokrovs'k")}


def test_has_key_and_max_name_tokens(gaz):
    assert gaz.has_key("kyiv") and gaz.has_key("donbas")
    assert not gaz.has_key("zzzyxxqq")
    assert gaz.max_name_tokens >= 4


def test_get_and_precision(gaz):
    kyiv = gaz.get(703448)
    assert (kyiv.name, kyiv.country_code, kyiv.precision) == ("Kyiv", "UA", "exact")
    assert gaz.get(538555).precision == "admin1"
    assert gaz.get(690791).precision == "country"
    assert gaz.get(1) is None


def test_admin1_uses_geonames_codes_and_crimea_is_ukraine(gaz):
    assert gaz.admin1("RU", "41").name == "Kursk Oblast"
    assert gaz.admin1("UA", "05").geonameid == 709716  # FIPS-derived code, not ISO UA-14
    crimea = gaz.admin1("UA", "11")
    assert crimea.country_code == "UA"
    assert gaz.get(694422).country_code == "UA"  # Sevastopol


def test_country(gaz):
    assert gaz.country("ua").name == "Ukraine"
    assert gaz.country("XX") is None


def test_places_carry_their_admin1_name(gaz):
    assert gaz.get(486816).admin1_name == "Kursk Oblast"  # Sudzha


def test_geometry_of_areas_only(gaz):
    geom = gaz.geometry(538555)
    assert geom["type"] in ("Polygon", "MultiPolygon")
    assert shape(geom).contains(Point(36.18735, 51.73733))  # Kursk city inside Kursk Oblast
    assert gaz.geometry(538560) is None  # a city has none


def test_admin1_outlines_are_simplified_for_display(gaz):
    geom = shape(gaz.geometry(709716))
    vertices = sum(len(p.exterior.coords) for p in getattr(geom, "geoms", [geom]))
    assert 50 < vertices < 2000


def test_curated_regions(gaz):
    donbas = gaz.lookup("donbas")
    assert len(donbas) == 1
    region = donbas[0]
    assert region.geonameid in REGION_ID_RANGE
    assert (region.feature_code, region.feature_class, region.precision) == ("RGN", "L", "region")
    union = shape(gaz.geometry(709716)).union(shape(gaz.geometry(702657)))
    assert abs(shape(gaz.geometry(region.geonameid)).area - union.area) / union.area < 0.02
    assert gaz.lookup("donbass") == donbas and gaz.lookup(fold("Донбас")) == donbas


def test_crimean_peninsula_region_is_crimea_and_sevastopol(gaz):
    region = next(p for p in gaz.lookup("crimea") if p.feature_code == "RGN")
    geom = shape(gaz.geometry(region.geonameid))
    assert geom.contains(Point(33.66, 44.56))  # Sevastopol city council land (Balaklava)
    assert geom.contains(Point(34.1024, 44.9521))  # Simferopol


def test_outlines(gaz):
    countries = gaz.outlines("country")
    assert countries["type"] == "FeatureCollection" and len(countries["features"]) > 200
    ua = gaz.outlines("admin1", country_codes=["UA"])
    names = {f["properties"]["name"] for f in ua["features"]}
    assert len(ua["features"]) == 27 and "Crimea" in names
    with pytest.raises(ValueError, match="level"):
        gaz.outlines("admin3")


def test_containing(gaz):
    ids = [p.geonameid for p in gaz.containing(51.1976, 35.2726)]  # Sudzha
    assert ids[:2] == [538555, 2017370]  # Kursk Oblast, then Russia
    around_donetsk = {p.geonameid for p in gaz.containing(48.023, 37.80224)}
    assert {709716, 3000000001, 690791} <= around_donetsk


def test_nearest(gaz):
    place, km = gaz.nearest(51.20, 35.27)
    assert place.geonameid == 486816 and km < 2


def test_info_names_sources_and_attribution(gaz):
    info = gaz.info()
    assert info["attribution"] == ATTRIBUTION
    assert "GeoNames" in ATTRIBUTION and "Natural Earth" in ATTRIBUTION
    assert any("cities500" in s for s in info["sources"])
    assert info["version"] == json.loads((DATA_DIR / "manifest.json").read_text())["version"]


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="manifest.json"):
        Gazetteer(tmp_path, user_dir=False, cache=tmp_path / "cache")


@pytest.fixture
def mini_data(tmp_path):
    """A small data folder cut from the real files (the first 3,000 places and the areas)."""
    out = tmp_path / "data"
    out.mkdir()
    with gzip.open(DATA_DIR / "places.tsv.gz", "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(3001)]
    (out / "places.tsv.gz").write_bytes(gzip.compress("".join(lines).encode()))
    (out / "areas.geojson.gz").write_bytes((DATA_DIR / "areas.geojson.gz").read_bytes())
    (out / "manifest.json").write_text(json.dumps({"version": "mini"}))
    return out


def test_index_is_built_once_into_the_cache(mini_data, tmp_path):
    cache = tmp_path / "cache"
    first = Gazetteer(mini_data, user_dir=False, cache=cache)
    files = list(cache.iterdir())
    assert len(files) == 1 and files[0].suffix == ".marshal"
    stamp = files[0].stat().st_mtime_ns
    second = Gazetteer(mini_data, user_dir=False, cache=cache)
    assert files[0].stat().st_mtime_ns == stamp  # read, not rebuilt
    assert len(second) == len(first) == 3000


def test_changed_data_gets_a_new_index(mini_data, tmp_path):
    cache = tmp_path / "cache"
    Gazetteer(mini_data, user_dir=False, cache=cache)
    with gzip.open(DATA_DIR / "places.tsv.gz", "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(101)]
    (mini_data / "places.tsv.gz").write_bytes(gzip.compress("".join(lines).encode()))
    assert len(Gazetteer(mini_data, user_dir=False, cache=cache)) == 100
    assert len(list(cache.iterdir())) == 2


def test_concurrent_first_use_is_safe(mini_data, tmp_path):
    cache = tmp_path / "cache"
    code = (
        "import sys; from geo.gazetteer.lookup import Gazetteer; "
        "g = Gazetteer(sys.argv[1], user_dir=False, cache=sys.argv[2]); print(len(g))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(mini_data), str(cache)], cwd=ROOT,
                         stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]  # fmt: skip
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert outs == ["3000"] * 4
    assert [p.suffix for p in cache.iterdir()] == [".marshal"]  # no temp files left
    assert len(Gazetteer(mini_data, user_dir=False, cache=cache)) == 3000


def test_corrupt_cache_file_is_rebuilt(mini_data, tmp_path):
    cache = tmp_path / "cache"
    Gazetteer(mini_data, user_dir=False, cache=cache)
    (path,) = cache.iterdir()
    path.write_bytes(b"garbage")
    assert len(Gazetteer(mini_data, user_dir=False, cache=cache)) == 3000


def test_obsolete_index_files_are_removed(mini_data, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer-0123456789abcdef-v1-py311.marshal").write_bytes(b"old format")
    for n in range(4):
        (cache / f"gazetteer-{n:016x}-v{INDEX_VERSION}-py311.marshal").write_bytes(b"other data")
    Gazetteer(mini_data, user_dir=False, cache=cache)
    names = [p.name for p in cache.iterdir()]
    assert len(names) == 3 and not any("-v1-" in n for n in names)


def test_geometry_cannot_be_changed_by_a_caller(gaz):
    first = gaz.geometry(709716)
    first["type"] = "Point"
    with pytest.raises(TypeError):
        first["coordinates"][0] = None
    again = gaz.geometry(709716)
    assert again["type"] in ("Polygon", "MultiPolygon")
    assert shape(json.loads(json.dumps(again))).equals(shape(again))  # still plain GeoJSON


def test_oblasts_carry_english_names(gaz):
    assert gaz.get(703446).name == "Kyiv Oblast"  # GeoNames writes "Kiev"
    assert gaz.get(706482).name == "Kharkiv Oblast"  # GeoNames writes "Kharkivs'ka Oblast'"
    assert 703446 in {p.geonameid for p in gaz.lookup("kiev")}  # GeoNames' form still a name
    assert gaz.get(703883).name == "Crimea"  # not an oblast
    assert gaz.get(709717).admin1_name == "Donetsk Oblast"


def test_region_outlines_and_place_records(gaz):
    regions = gaz.outlines("region")["features"]
    assert {f["id"] for f in regions} == {3000000001, 3000000002, 3000000003, 3000000004}
    record = gaz.get(538560).to_dict()
    assert record["geonameid"] == 538560 and record["admin1_name"] == "Kursk Oblast"
    assert not gaz.get(538560).is_area and gaz.get(538555).is_area


def test_the_index_cache_follows_the_platforms_cache_folder(monkeypatch, tmp_path):
    from geo.gazetteer.index import cache_dir

    monkeypatch.delenv("CONFLICTMAP_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "conflictmap"
    monkeypatch.setenv("CONFLICTMAP_CACHE", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"


def test_a_notable_arab_place_is_also_found_without_its_article(gaz):
    found = gaz.lookup("nasiriyah")
    assert found and found[0].country_code == "IQ"
    assert gaz.lookup("hasakah")[0].country_code == "SY"


def test_the_article_is_dropped_only_from_arabic_names():
    def keys(name, cc, notable=True):
        return {k for k, _, _ in names_entries(0, name, [], notable, "PPL", cc)}

    assert keys("Al Mayadin", "SY") == {"al mayadin", "mayadin"}
    assert keys("El Progreso", "HN") == {"el progreso"}  # a Spanish article
    assert keys("An Zhongxin", "CN") == {"an zhongxin"}  # a Chinese syllable
    assert keys("Al Mayadin", "SY", notable=False) == {"al mayadin"}  # a village: too many
