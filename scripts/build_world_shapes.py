#!/usr/bin/env python3
"""Write ``src/detente/serve/static/world-110m.json``: the country shapes the dashboard's map
draws under its points (served by ``detente serve`` at ``/static/world-110m.json``; no network).

The source is Natural Earth's 1:110m Admin 0 countries (version 4.1.0, public domain) as the
TopoJSON ``countries-110m.json`` of the npm package ``world-atlas`` 2.0.2 (ISC licence,
Mike Bostock). Fetch it once with npm and point this script at the file::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_world_shapes.py package/countries-110m.json

Each country becomes one SVG path in the dashboard's equirectangular projection, in tenths of a
degree: ``x = (lon + 180) * 10``, ``y = (90 - lat) * 10`` (so the world is 3600 x 1800 units;
the page scales it). Points are rounded to a tenth of a degree (about 11 km, below a pixel of
the map) and written relative to the previous one (``l dx dy``); repeated points are dropped,
and a ring left with fewer than three points (a speck of an island) is dropped; a ring across
the antimeridian is drawn on both sides (:func:`unwrap`). Each entry also
carries the country's ISO 3166-1 numeric id, its alpha-3 code (pycountry; none for the three
shapes Natural Earth gives no id: N. Cyprus, Somaliland, Kosovo) and its name. The output
depends only on its input: rerunning it on the same file writes the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "detente" / "serve" / "static" / "world-110m.json"
UNITS = 10  # path units per degree

ABOUT = {
    "source": "Natural Earth 1:110m Admin 0 countries, version 4.1.0 (naturalearthdata.com), as the TopoJSON "
              "countries-110m.json of the npm package world-atlas 2.0.2",
    "licence": "Natural Earth: public domain; world-atlas: ISC licence, Copyright 2013-2019 Michael Bostock",
    "version": "world-atlas 2.0.2 / Natural Earth 4.1.0",
    "built_by": "scripts/build_world_shapes.py",
    "projection": "equirectangular, in tenths of a degree: x = (lon + 180) * 10, y = (90 - lat) * 10; "
                  "the world is 3600 x 1800",
}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology as (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """The points of a TopoJSON ring (arc indexes; ``~i`` is arc ``i`` reversed)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring as drawn in the projection: as it is, unless it crosses the antimeridian and back
    (Chukotka, Wrangel Island, Fiji: a jump of over 180 degrees of longitude between two points).
    Such a ring is made continuous (longitudes beyond 180 or -180) and drawn twice, once on each
    side; the map's frame clips the part outside. A ring that crosses it once (Antarctica's,
    around the pole) is kept: its edge along the antimeridian is the map's edge."""
    jumps = sum(1 for a, b in zip(points, points[1:]) if abs(b[0] - a[0]) > 180)
    if not jumps or jumps % 2:
        return [points]
    out, offset = [points[0]], 0.0
    for a, b in zip(points, points[1:]):
        if b[0] - a[0] > 180:
            offset -= 360
        elif b[0] - a[0] < -180:
            offset += 360
        out.append((b[0] + offset, b[1]))
    shift = -360 if max(p[0] for p in out) > 180 else 360
    return [out, [(lon + shift, lat) for lon, lat in out]]


def ring_path(points: list[tuple[float, float]]) -> str:
    """A closed SVG subpath of a ring, in the projection's units, relative after its first point."""
    grid = []
    for lon, lat in points:
        p = (round((lon + 180) * UNITS), round((90 - lat) * UNITS))
        if not grid or grid[-1] != p:
            grid.append(p)
    if len(grid) > 1 and grid[0] == grid[-1]:
        grid.pop()
    if len(set(grid)) < 3:
        return ""
    out = [f"M{grid[0][0]} {grid[0][1]}l"]
    for (x0, y0), (x1, y1) in zip(grid, grid[1:]):
        dx, dy = x1 - x0, y1 - y0
        out.append(f"{dx}" + (f"{dy}" if dy < 0 else f" {dy}") + " ")
    return "".join(out).rstrip() + "z"


def countries(topology: dict) -> list[dict]:
    """One entry per country: id, iso3, name and its SVG path ``d``; sorted by name."""
    import pycountry

    arcs = decode_arcs(topology)
    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        d = "".join(ring_path(part) for polygon in polygons for ring in polygon
                    for part in unwrap(ring_points(ring, arcs)))
        if not d:
            continue
        numeric = geom.get("id")
        found = pycountry.countries.get(numeric=numeric) if numeric else None
        out.append({"id": numeric, "iso3": found.alpha_3 if found else None, "name": geom["properties"]["name"],
                    "d": d})
    return sorted(out, key=lambda c: c["name"])


def main(argv: list[str] | None = None) -> int:
    """Convert the TopoJSON file given to the dashboard's shapes file."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("topojson", help="countries-110m.json of world-atlas 2.0.2")
    ap.add_argument("-o", "--out", default=str(DEFAULT_OUT), help=f"output file (default: {DEFAULT_OUT})")
    args = ap.parse_args(argv)
    raw = Path(args.topojson).read_bytes()
    shapes = countries(json.loads(raw))
    doc = {"about": {**ABOUT, "source_sha256": hashlib.sha256(raw).hexdigest()}, "countries": shapes}
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # one country a line: readable diffs
    body = body.replace(',"countries":[{', ',"countries":[\n{').replace('},{"id"', '},\n{"id"')
    Path(args.out).write_text(body + "\n", encoding="utf-8")
    print(f"{args.out}: {len(shapes)} countries, {len(body.encode('utf-8')):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
