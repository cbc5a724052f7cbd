"""The gazetteer's runtime index: built from ``gazetteer/data`` and cached per data version."""

from __future__ import annotations

import gzip
import hashlib
import json
import marshal
import os
import sys
import tempfile
import zlib
from array import array
from bisect import bisect_left
from pathlib import Path

from geo.exc import GazetteerError
from geo.gazetteer.normalize import AREA_WORDS, fold, skeleton

__all__ = [
    "CACHE_ENV",
    "Categorical",
    "INDEX_VERSION",
    "LATIN_ALT",
    "MAIN",
    "NATIVE_ALT",
    "SEP",
    "SortedKeys",
    "cache_dir",
    "folder_signature",
    "load_index",
    "names_entries",
    "unpack",
    "unpack_array",
]

#: Environment variable naming the cache folder of the runtime index.
CACHE_ENV = "CONFLICTMAP_CACHE"
#: Version of the runtime index layout; bump it when ``_build_index`` changes.
INDEX_VERSION = 18
_NOTABLE_CODES = frozenset({"PPLC", "PPLA", "PPLA2", "PPLG"})
#: How a name matched: the main name, an alternate name written in another script than Latin
#: (Cyrillic, Arabic, Chinese...), a Latin alternate name.
MAIN, NATIVE_ALT, LATIN_ALT = 0, 1, 2
SEP = "\x1f"
_CATEGORICAL = ("fclass", "fcode", "cc", "a1", "a2", "source", "prec")


def cache_dir():
    """Return the cache folder: ``$CONFLICTMAP_CACHE`` when set, else the platform's user
    cache folder (``platformdirs.user_cache_dir``: ``$XDG_CACHE_HOME/conflictmap``, by
    default ``~/.cache/conflictmap``, on Linux)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("conflictmap", appauthor=False))


# The index build folds a million names once: the per-process caches would only hold them.
_fold_uncached = fold.__wrapped__
_skeleton_uncached = skeleton.__wrapped__


#: The Arabic definite article as GeoNames romanises it ("Al Qāmishlī", "Ar Raqqah",
#: "Ad Dāliʼ"), which English news usually leaves out ("Hasakah", "Raqqa").
_ARTICLES = frozenset("al el ar as ash ad adh az at ath an".split())


#: Countries whose place names GeoNames romanises from Arabic (the Arab League, Chad and
#: Western Sahara); elsewhere "El" and "An" are Spanish articles or Chinese syllables.
_ARABIC_NAMES = frozenset(
    "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE TD EH".split()
)


def _name_variants(name, feature_code, notable=False, country_code=""):
    """Yield the keys a name is found under (an admin unit also without "Oblast", "Region";
    a notable place of an Arabic-speaking country also without its article: "al qamishli"
    and "qamishli")."""
    key = _fold_uncached(name)
    if not key:
        return
    yield key
    words = key.split()
    if (notable and country_code in _ARABIC_NAMES and len(words) > 1
            and words[0] in _ARTICLES and len(words[1]) >= 5):  # fmt: skip
        yield " ".join(words[1:])
    if feature_code.startswith("ADM") or feature_code == "RGN":
        words = key.split()
        while len(words) > 1 and words[-1] in AREA_WORDS:
            words = words[:-1]
            yield " ".join(words)
    words = key.split()
    if (
        (notable or feature_code.startswith(("ADM", "PCL")) or feature_code == "RGN")
        and len(words) > 1
        and words[0] in _COMPASS_LETTERS
    ):
        # "N. Ossetia", "E. Kazakhstan": notes abbreviate the compass word of a unit's name
        yield " ".join([_COMPASS_LETTERS[words[0]], *words[1:]])


#: The compass words that open names, as notes abbreviate them.
_COMPASS_LETTERS = {
    "north": "n", "northern": "n", "south": "s", "southern": "s", "east": "e",
    "eastern": "e", "west": "w", "western": "w",
}  # fmt: skip


def _script_kind(text):
    """Return NATIVE_ALT for a name with a letter outside the Latin script, else LATIN_ALT."""
    for ch in text:
        if ch.isalpha() and not (ch < "\u0250" or "\u1e00" <= ch < "\u1f00"):
            return NATIVE_ALT
    return LATIN_ALT


def names_entries(idx, name, alternates, notable, feature_code, country_code=""):
    """Yield ``(key, entry, skeleton or None)`` for a place; entry = ``idx * 4 + kind``.

    Every name of a notable place (a town, an admin seat or an area) gets its consonant
    skeleton; a village only its main name and its names in other scripts (its Latin
    alternate names mix in neighbouring villages' names).
    """
    seen = set()
    for text, kind in ((name, MAIN), *((a, None) for a in alternates)):
        if kind is None:
            kind = _script_kind(text)
        for key in _name_variants(text, feature_code, notable, country_code):
            if key in seen:
                continue
            seen.add(key)
            sk = None
            if (notable or kind != LATIN_ALT) and len(key) >= 5 and key.isascii():
                sk = _skeleton_uncached(key)
                sk = sk if len(sk) >= 4 else None
            yield key, idx * 4 + kind, sk


def _pack(keys, values, order):
    """Pack keys (in sorted ``order``) and their entries (an int, or a list of ints)."""
    packed, flat = array("q"), array("q")
    names = list(keys)
    for key_id in order:
        value = values[key_id]
        if isinstance(value, int):
            packed.append(value)
        else:
            packed.append(-(len(flat) + 1))
            flat.append(len(value))
            flat.extend(value)
    return SEP.join(names[i] for i in order), packed.tobytes(), flat.tobytes()


def _pack_skeletons(skel, entries, pop, fclass, position):
    """Pack skeleton buckets as offsets into ``[max population, count, key ids...]`` runs.

    The largest population among the populated places of a bucket (areas count 0) lets a
    lookup skip buckets that cannot beat the towns already matched exactly.
    """
    packed, flat = array("q"), array("q")
    for sk in sorted(skel):
        bucket = skel[sk]
        ids = [bucket] if isinstance(bucket, int) else bucket
        best = -1
        for key_id in ids:
            found = entries[key_id]
            for entry in [found] if isinstance(found, int) else found:
                row = entry >> 2
                best = max(best, pop[row] if fclass[row] == "P" else 0)
        packed.append(len(flat))
        flat.append(best)
        flat.append(len(ids))
        flat.extend(sorted(position[key_id] for key_id in ids))
    return SEP.join(sorted(skel)), packed.tobytes(), flat.tobytes()


def _categorise(values):
    """Return (distinct values joined, codes as bytes) for a column of few distinct values."""
    vocab, codes = {}, array("I")
    for value in values:
        code = vocab.get(value)
        if code is None:
            code = vocab[value] = len(vocab)
        codes.append(code)
    return SEP.join(vocab), codes.tobytes()


class Categorical:
    """A column of few distinct strings (feature codes, country codes...) kept as codes."""

    __slots__ = ("codes", "lookup", "values")

    def __init__(self, joined, codes):
        self.values = joined.split(SEP)
        self.lookup = {value: code for code, value in enumerate(self.values)}
        self.codes = unpack_array("I", codes)

    def __getitem__(self, idx):
        return self.values[self.codes[idx]]

    def __len__(self):
        return len(self.codes)

    def __iter__(self):
        values = self.values
        return (values[code] for code in self.codes)

    def append(self, value):
        """Add a value at the end."""
        code = self.lookup.get(value)
        if code is None:
            code = self.lookup[value] = len(self.values)
            self.values.append(value)
        self.codes.append(code)

    def count(self, value):
        """Return how many rows hold ``value``."""
        code = self.lookup.get(value)
        return 0 if code is None else self.codes.count(code)


class SortedKeys:
    """A read-only map from sorted string keys to ints, looked up by bisection.

    A million keys held as one list of strings and one array of values take about half the
    memory of a dict (no hash table, no int objects); a lookup takes about a microsecond.
    """

    __slots__ = ("keys", "values")

    def __init__(self, joined, values):
        self.keys = joined.split(SEP) if joined else []
        self.values = unpack_array("q", values)

    def __len__(self):
        return len(self.keys)

    def position(self, key):
        """Return the position of ``key`` in the sorted keys, or -1."""
        keys = self.keys
        i = bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else -1

    def get(self, key, default=None):
        """Return the value of ``key``, or ``default``."""
        keys = self.keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return self.values[i]
        return default

    def __contains__(self, key):
        return self.position(key) >= 0

    def known(self, candidates):
        """Return the set of ``candidates`` that are keys."""
        keys, n = self.keys, len(self.keys)
        out = set()
        for key in candidates:
            i = bisect_left(keys, key)
            if i < n and keys[i] == key:
                out.add(key)
        return out


def unpack(keys, values, flat):
    """Return (SortedKeys, overflow array) of a packed key index."""
    return SortedKeys(keys, values), unpack_array("q", flat)


def _build_index(data_dir):
    """Read ``places.tsv.gz`` into the packed, columnar index stored in the cache."""
    cols = {name: [] for name in ("name", "fclass", "fcode", "cc", "a1", "a2", "source", "prec")}
    gid, pop, lat, lon = array("q"), array("q"), array("d"), array("d")
    keys, entries, skel, area, shared = {}, [], {}, {}, {}
    try:
        blob, shapes = bytearray(), {}
        # The outlines first: their parse is freed before the name index grows.
        with gzip.open(data_dir / "areas.geojson.gz", "rt", encoding="utf-8") as fh:
            for feat in json.load(fh)["features"]:
                area[feat["id"]] = feat["properties"].get("area_km2") or 0.0
                # Each geometry compressed on its own: geometry(id) reads one, not all.
                packed = zlib.compress(json.dumps(feat["geometry"]).encode(), 6)
                shapes[feat["id"]] = (len(blob), len(blob) + len(packed))
                blob += packed
        with gzip.open(data_dir / "places.tsv.gz", "rt", encoding="utf-8") as fh:
            header = fh.readline().rstrip("\n").split("\t")
            if header[:2] != ["geonameid", "name"]:
                raise GazetteerError(f"{data_dir / 'places.tsv.gz'} has an unknown header.")
            for idx, line in enumerate(fh):
                c = line.rstrip("\n").split("\t")
                gid.append(int(c[0]))
                lat.append(float(c[2]))
                lon.append(float(c[3]))
                pop.append(int(c[9]))
                prec = c[12] if len(c) > 12 else ""
                cols["name"].append(c[1])
                for name, value in zip(
                    _CATEGORICAL, (c[4], c[5], c[6], c[7], c[8], c[10], prec), strict=True
                ):
                    # One object per distinct code: 318,000 rows repeat a few thousand.
                    cols[name].append(shared.setdefault(value, value))
                notable = c[4] != "P" or int(c[9]) >= 1000 or c[5] in _NOTABLE_CODES
                alternates = c[11].split("|") if c[11] else []
                for key, entry, sk in names_entries(idx, c[1], alternates, notable, c[5], c[6]):
                    key_id = keys.get(key)
                    if key_id is None:  # one int per key; a list only for shared names
                        key_id = keys[key] = len(entries)
                        entries.append(entry)
                    elif isinstance(entries[key_id], int):
                        entries[key_id] = [entries[key_id], entry]
                    else:
                        entries[key_id].append(entry)
                    if sk is not None:
                        bucket = skel.get(sk)
                        if bucket is None:
                            skel[sk] = key_id
                        elif isinstance(bucket, int):
                            if bucket != key_id:
                                skel[sk] = [bucket, key_id]
                        elif key_id not in bucket:
                            bucket.append(key_id)
    except (OSError, ValueError, IndexError) as err:
        raise GazetteerError(f"Cannot read the gazetteer data in {data_dir}: {err}") from err
    names = list(keys)
    order = array("q", sorted(range(len(names)), key=names.__getitem__))
    del names
    position = array("q", bytes(8 * len(order)))
    for pos, key_id in enumerate(order):
        position[key_id] = pos
    return {
        "columns": {"name": SEP.join(cols.pop("name"))},
        "categories": {name: _categorise(values) for name, values in cols.items()},
        "gid": gid.tobytes(), "pop": pop.tobytes(), "lat": lat.tobytes(), "lon": lon.tobytes(),
        "keys": _pack(keys, entries, order), "area": area, "shapes": shapes,
        "blob": bytes(blob),
        "skel": _pack_skeletons(skel, entries, pop, cols["fclass"], position),
        "max_tokens": max((len(k.split()) for k in keys), default=0),
    }  # fmt: skip


def folder_signature(folder):
    """Return names, sizes and times of the files in ``folder`` (empty when it is missing)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    out = []
    for entry in entries:
        try:
            st = entry.stat()
        except OSError:
            continue
        out.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def unpack_array(code, data):
    out = array(code)
    out.frombytes(data)
    return out


def _data_hash(data_dir):
    digest = hashlib.sha256()
    for name in ("places.tsv.gz", "areas.geojson.gz"):
        try:
            digest.update((data_dir / name).read_bytes())
        except OSError as err:
            raise GazetteerError(
                f"The gazetteer file {data_dir / name} is missing; run python -m gazetteer.build."
            ) from err
    return digest.hexdigest()[:16]


def load_index(data_dir, cache):
    """Return the index, from the cache when a build for this data exists, else build it."""
    tag = f"v{INDEX_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"
    path = Path(cache) / f"gazetteer-{_data_hash(data_dir)}-{tag}.marshal"
    try:
        with open(path, "rb") as fh:
            return marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    index = _build_index(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(index, fh)
        os.replace(tmp, path)  # atomic: concurrent builders each write a whole file
        _prune(path)
    except OSError:
        pass  # a read-only cache only costs the rebuild next time
    return index


def _version_of(path):
    """Return the index format of a cached index file ("...-v15-py311.marshal" -> 15)."""
    tag = path.name.rsplit("-", 2)[-2]
    return int(tag[1:]) if tag[1:].isdigit() else -1


def _prune(current, keep=3):
    """Remove index files of older index formats, and all but the ``keep`` newest others.

    Files of newer formats are left alone: another checkout sharing the cache uses them.
    """
    tag = current.name.rsplit("-", 2)[-2]  # "v9"
    files = sorted(current.parent.glob("gazetteer-*.marshal"), key=lambda p: -p.stat().st_mtime)
    stale = [p for p in files if _version_of(p) < INDEX_VERSION]
    stale += [p for p in files if f"-{tag}-" in p.name and p != current][keep - 1 :]
    for path in stale:
        try:
            path.unlink()
        except OSError:
            pass  # another process removed or is replacing it
