"""The geocoder's fast paths answer as the plain ones they replace (guards: each passes on
43a7462 too, where the plain paths were the code; they keep the shortcuts honest)."""

import pickle
import random

import pytest
from geopy.location import Location
from geopy.point import Point

from geo.gazetteer.lookup import Gazetteer
from geo.gazetteer.place import COUNTRY_CODES
from geo.geoparse.geocoder import MIN_SCORE, NEAR_MIN_SCORE, GazetteerGeocoder
from geo.geoparse.matching import letter_counts, shared_ratio, similarity

# Our own names: towns of the Poltava and Sumy oblasts, a few shared by many villages.
QUERIES = ("Lubny", "Romny", "Hadiach", "Pryluky", "Poltava", "Zelena", "Sabtivka",
           "Novoselivka", "Oleksandrivka", "Ivanivka, Poltava oblast", "Lubny region",
           "Лохвиця", "Mirgorod", "Romny raion", "Hadyach")  # fmt: skip


@pytest.fixture(scope="module")
def geocoder():
    return GazetteerGeocoder(Gazetteer(user_dir=False), cache_size=0)


def test_locations_are_those_geopy_builds(geocoder):
    """Guard: a Location is built without geopy's constructors re-checking the point; it
    must hold what ``Location(address, Point(lat, lon), raw)`` holds, and pickle alike."""
    seen = 0
    for query in QUERIES:
        for loc in geocoder.geocode(query, exactly_one=False) or ():
            seen += 1
            plain = Location(loc.address, Point(loc.latitude, loc.longitude), loc.raw)
            assert loc == plain
            assert tuple(loc) == tuple(plain) and loc[1] == plain[1]
            assert loc.point == plain.point and tuple(loc.point) == tuple(plain.point)
            assert type(loc.point.latitude) is float and loc.point.altitude == 0.0
            assert repr(loc) == repr(plain) and str(loc) == str(plain)
            assert pickle.loads(pickle.dumps(loc)) == plain
    assert seen > len(QUERIES)


def test_the_answer_and_its_alternatives_are_the_best_candidates_that_pass(geocoder):
    """Guard: geocode stops reading the ranking once it has the answer and five
    alternatives; they are the first six candidates above the floor, in order, and
    ``exactly_one=False`` with or without ``limit`` still lists every one."""
    several = 0
    for query in QUERIES:
        parsed = geocoder._resolve(query, None, None, None)
        floor = geocoder.min_score + NEAR_MIN_SCORE - MIN_SCORE
        passing = [
            c.place.geonameid
            for c in parsed.ranked
            if c.score >= (floor if c.place.geonameid in parsed.near else geocoder.min_score)
        ]
        loc = geocoder.geocode(query)
        if not passing:
            assert loc is None
            continue
        several += len(passing) > 6
        answer = [loc.raw["geonameid"]] + [a["geonameid"] for a in loc.raw["alternatives"]]
        assert answer == passing[:6], query
        every = geocoder.geocode(query, exactly_one=False)
        assert [x.raw["geonameid"] for x in every] == passing, query
        two = geocoder.geocode(query, exactly_one=False, limit=2)
        assert [x.raw["geonameid"] for x in two] == passing[:2], query
    assert several >= 2  # names with more candidates than are shown


def test_shared_letters_bound_the_similarity():
    """Guard: near spellings skip the letter-by-letter similarity when the share of letters
    in common is already below the floor; that share is never below the similarity."""
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("aeiklmnorsvy ") for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice("aeiklmnorsvy ") for _ in range(rng.randint(0, 12)))
        assert shared_ratio(letter_counts(a), len(a), b) >= similarity(a, b), (a, b)


def test_admin1_and_country_rows_are_those_of_a_scan():
    """Guard: the first-level units and countries are found by a search of the feature
    codes' bytes; they are those a scan of every row finds (a later row of a key wins)."""
    gaz = Gazetteer(user_dir=False)
    admin1, country = gaz._admin_maps()
    scan_admin1, scan_country = {}, {}
    for idx, code in enumerate(gaz._fcode):
        if code == "ADM1":
            scan_admin1[(gaz._cc[idx], gaz._a1[idx])] = idx
        elif code in COUNTRY_CODES:
            scan_country[gaz._cc[idx]] = idx
    assert admin1 == scan_admin1 and country == scan_country
    assert len(admin1) > 1000 and len(country) > 200
