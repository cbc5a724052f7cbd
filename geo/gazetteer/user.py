"""The analyst's own gazetteer: places in CSV or GeoJSON files of one folder, and adding to it."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from geo.common.paths import USER_GAZETTEER
from geo.exc import UserGazetteerError
from geo.gazetteer.place import USER_ID_RANGE, precision_of

__all__ = [
    "CSV_COLUMNS",
    "USER_GAZETTEER_ENV",
    "UserPlace",
    "add_user_place",
    "read_user_places",
    "user_gazetteer_dir",
]

#: Environment variable naming the folder of the analyst's gazetteer files.
USER_GAZETTEER_ENV = "CONFLICTMAP_USER_GAZETTEER"
#: Columns of a user CSV file; ``name``, ``lat``, ``lon`` and ``country_code`` are required.
CSV_COLUMNS = (
    "name", "lat", "lon", "country_code", "admin1_code", "admin2_code", "feature_code",
    "alt_names", "population", "geonameid", "note",
)  # fmt: skip
_REQUIRED = ("name", "lat", "lon", "country_code")
_FEATURE_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def user_gazetteer_dir():
    """Return ``$CONFLICTMAP_USER_GAZETTEER``, or ``data/gazetteer`` in the project."""
    env = os.environ.get(USER_GAZETTEER_ENV)
    return Path(env) if env else USER_GAZETTEER


@dataclass(frozen=True, slots=True)
class UserPlace:
    """A place from the analyst's files (same fields as :class:`geo.gazetteer.place.Place`)."""

    geonameid: int
    name: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str | None
    admin2_code: str | None
    population: int
    alt_names: tuple = field(default=())

    @property
    def precision(self):
        """Precision of the place ("exact" for populated places)."""
        return precision_of(self.feature_class, self.feature_code)


def _user_id(name, country_code, lat, lon):
    """Return a stable id in :data:`USER_ID_RANGE` for a place without a GeoNames id."""
    text = f"{name.casefold()}|{country_code}|{lat:.4f}|{lon:.4f}".encode()
    return USER_ID_RANGE.start + zlib.crc32(text) % len(USER_ID_RANGE)


def make_user_place(record, *, where):
    """Validate one record (a dict of strings or numbers) and return a :class:`UserPlace`.

    Parameters
    ----------
    record : dict
        Keys from :data:`CSV_COLUMNS`.
    where : str
        "file:line" named in error messages.

    Raises
    ------
    UserGazetteerError
        When a required field is missing or a value has the wrong form.
    """

    def fail(message):
        raise UserGazetteerError(f"{where}: {message}")

    def text(key):
        value = record.get(key)
        return "" if value is None else str(value).strip()

    for key in _REQUIRED:
        if not text(key):
            fail(f"the field {key!r} is required; got {record.get(key)!r}")
    name = text("name")
    if any(ord(ch) < 32 for ch in name) or len(name) > 200:
        fail(f"name must be one line of at most 200 characters; got {name[:80]!r}")
    coords = {}
    for key, limit in (("lat", 90.0), ("lon", 180.0)):
        try:
            value = float(text(key))
        except ValueError:
            fail(f"{key} must be a number in degrees; got {record.get(key)!r}")
        if not math.isfinite(value) or abs(value) > limit:
            fail(f"{key} must be between -{limit:g} and {limit:g}; got {record.get(key)!r}")
        coords[key] = value
    cc = text("country_code").upper()
    if not _COUNTRY.match(cc):
        fail(f"country_code must be an ISO 3166-1 alpha-2 code such as 'RU'; got {cc!r}")
    code = text("feature_code").upper() or "PPL"
    if not _FEATURE_CODE.match(code):
        fail(f"feature_code must be a GeoNames feature code such as 'PPL'; got {code!r}")
    population = text("population") or "0"
    if not population.isdigit():
        fail(f"population must be a whole number; got {record.get('population')!r}")
    gid_text = text("geonameid")
    if gid_text and not gid_text.isdigit():
        fail(f"geonameid must be a positive whole number; got {record.get('geonameid')!r}")
    alt = record.get("alt_names") or ()
    if isinstance(alt, str):
        alt = [a for a in (part.strip() for part in alt.split("|")) if a]
    fclass = "P" if code.startswith("PPL") else ("A" if code.startswith(("ADM", "PCL")) else "L")
    return UserPlace(
        geonameid=int(gid_text) if gid_text else _user_id(name, cc, coords["lat"], coords["lon"]),
        name=name, lat=coords["lat"], lon=coords["lon"], feature_class=fclass,
        feature_code=code, country_code=cc, admin1_code=text("admin1_code") or None,
        admin2_code=text("admin2_code") or None, population=int(population),
        alt_names=tuple(str(a) for a in alt),
    )  # fmt: skip


def _read_csv(path):
    places, errors = [], []
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        return [], [UserGazetteerError(f"{path}: cannot be read as UTF-8 text ({err}).")]
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        got = ",".join(reader.fieldnames or [])
        message = f"{path}:1: the header must name the columns {', '.join(_REQUIRED)}"
        return [], [UserGazetteerError(f"{message} (missing {', '.join(missing)}); got {got!r}")]
    for record in reader:
        where = f"{path}:{reader.line_num}"
        if None in record:
            errors.append(UserGazetteerError(f"{where}: more fields than header columns."))
            continue
        try:
            places.append(make_user_place(record, where=where))
        except UserGazetteerError as err:
            errors.append(err)
    return places, errors


def _read_geojson(path):
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        return [], [UserGazetteerError(f"{path}: not a readable GeoJSON file ({err}).")]
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return [], [UserGazetteerError(f"{path}: expected a FeatureCollection with features.")]
    places, errors = [], []
    for n, feat in enumerate(features, 1):
        where = f"{path}: feature {n}"
        try:
            geom = feat.get("geometry") or {}
            if geom.get("type") != "Point" or len(geom.get("coordinates") or ()) < 2:
                raise UserGazetteerError(f"{where}: geometry must be a Point; got {geom!r:.80}")
            props = dict(feat.get("properties") or {})
            props["lon"], props["lat"] = geom["coordinates"][:2]
            places.append(make_user_place(props, where=where))
        except UserGazetteerError as err:
            errors.append(err)
        except (AttributeError, TypeError) as err:
            errors.append(UserGazetteerError(f"{where}: not a GeoJSON feature ({err})."))
    return places, errors


def read_user_places(folder):
    """Read every ``*.csv`` and ``*.geojson`` file of the analyst's folder.

    Parameters
    ----------
    folder : path-like
        The folder; a missing folder holds no places.

    Returns
    -------
    tuple of (list of UserPlace, list of UserGazetteerError)
        The valid places, and one error per malformed file or row (naming file and line).
    """
    folder = Path(folder)
    places, errors = [], []
    if not folder.is_dir():
        return places, errors
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            got, bad = _read_csv(path)
        elif suffix in (".geojson", ".json"):
            got, bad = _read_geojson(path)
        else:
            continue
        places += got
        errors += bad
    return places, errors


def add_user_place(folder, **fields):
    """Validate a place and append it to ``places.csv`` in the analyst's folder.

    Parameters
    ----------
    folder : path-like
        The analyst's folder (created when missing).
    **fields
        Columns of :data:`CSV_COLUMNS`; ``alt_names`` may be a list.

    Returns
    -------
    UserPlace
        The place as it will be read back.

    Raises
    ------
    UserGazetteerError
        When a field is malformed (nothing is written then).
    """
    folder = Path(folder)
    if isinstance(fields.get("alt_names"), (list, tuple)):
        fields["alt_names"] = "|".join(fields["alt_names"])
    place = make_user_place(fields, where="conflictmap gazetteer add")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "places.csv"
    new = not path.exists() or path.stat().st_size == 0
    columns = list(CSV_COLUMNS)
    if not new:  # append under the file's own header
        with open(path, encoding="utf-8-sig", newline="") as fh:
            columns = next(csv.reader(fh), [])
        values = {k for k, v in fields.items() if v not in (None, "", [], ())}
        if fields.get("feature_code") == "PPL":
            values.discard("feature_code")  # the default needs no column
        missing = sorted(values - set(columns))
        if missing:
            raise UserGazetteerError(
                f"{path}:1: the header has no column for {', '.join(missing)}; "
                f"got {','.join(columns)!r}"
            )
        with open(path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            ends_with_newline = fh.read(1) in (b"\n", b"\r")
        if not ends_with_newline:
            with open(path, "a", encoding="utf-8", newline="") as fh:
                fh.write("\r\n")
    with open(path, "a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow({k: ("" if v is None else v) for k, v in fields.items()})
    return place
