"""Issue 13 item 6 (`detente serve` in parts) and issue 14 item 3 (the map's shapes): one parameter
table checks the queries and writes the OpenAPI document; the dashboard is static package files
whose chart takes its names and colours from `detente.charts`; the country shapes are package
data served by detente and drawn in the map's projection."""
from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path

import pytest

from detente import charts
from detente.serve import handle
from detente.serve.params import ENDPOINTS, ApiError, Endpoint, Param, openapi

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "detente" / "serve" / "static"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from test_dashboard import build

    path = str(tmp_path_factory.mktemp("layout") / "l.duckdb")
    build(path)
    return path


def _answer(db: str, target: str) -> tuple[int, dict]:
    status, _, body = handle(db, target)
    return status, json.loads(body)


# -- the parameter table -------------------------------------------------------------------


def _bad_and_good(schema: dict) -> tuple[list[str], list[str]]:
    """Values the schema refuses and values it accepts (as query text)."""
    if "enum" in schema:
        return ["nope"], [str(v) for v in schema["enum"]]
    if schema["type"] == "integer":
        return ([str(schema["minimum"] - 1), str(schema["maximum"] + 1), "x"],
                [str(schema["minimum"]), str(schema["maximum"])])
    if schema["pattern"].startswith("^[0-9]{4}"):  # a day
        return ["2024-1", "24", "2024-05-06-07"], ["2024", "2024-05", "2024-05-06"]
    if "},[" in schema["pattern"]:  # a dyad: two codes
        return ["RUS", "R,UKR", "RUS,UKR,USA"], ["rus,ukr", "RUS,UKR"]
    return ["R", "X" * 17, "RU-S"], ["RUS", "ukr"]  # a code


def test_every_documented_bound_is_the_checked_bound(db):
    """Each query parameter of the served OpenAPI document: a value its schema refuses is a 400
    naming the parameter, a value at its bounds or in its enum is not refused."""
    doc = json.loads(handle(None, "/openapi.json")[2])
    probed = 0
    for path, item in doc["paths"].items():
        op = item["get"]
        params = [p for p in op["parameters"] if p["in"] == "query"]
        base = {p["name"]: ("RUS" if p["name"] == "a" else "UKR") for p in params if p["required"]}
        for p in params:
            bad, good = _bad_and_good(p["schema"])
            for value, refused in [(v, True) for v in bad] + [(v, False) for v in good]:
                query = "&".join(f"{k}={v}" for k, v in {**base, p["name"]: value}.items())
                status, body = _answer(db, f"{path}?{query}")
                if refused:
                    assert status == 400 and re.search(rf"\b{p['name']}\b", body["error"]), (path, value, body)
                else:
                    assert status != 400, (path, value, body)
                probed += 1
        assert ("400" in op["responses"]) == bool(params), path
    assert probed > 60


def test_the_table_writes_both_the_check_and_the_document():
    """A new endpoint declared once: its document states what its check does."""
    ep = Endpoint("/api/x", "x", "An example", ("X", {"type": "object"}), (
        Param("who", "code", "An actor", required=True),
        Param("n", "int", "How many", default=3, lo=1, hi=5),
        Param("since", "day", "From"), Param("until", "day", "To", range_from="since"),
        Param("by", "choice", "By what", default="a", choices=("a", "b")),
    ))
    doc = ep.document()["get"]
    assert [(p["name"], p["required"]) for p in doc["parameters"]] == [
        ("who", True), ("n", False), ("since", False), ("until", False), ("by", False)]
    assert doc["parameters"][1]["schema"] == {"type": "integer", "minimum": 1, "maximum": 5, "default": 3}
    assert set(doc["responses"]) == {"200", "400", "404", "503"}
    assert ep.parse({"who": ["usa"]}) == {"who": "USA", "n": 3, "since": None, "until": None, "by": "a"}
    for query, message in (({}, "parameter who is required"),
                           ({"who": ["usa"], "n": ["6"]}, "n must be between 1 and 5, not 6"),
                           ({"who": ["usa"], "by": ["c"]}, "by must be one of a, b, not 'c'"),
                           ({"who": ["usa"], "since": ["2024-03"], "until": ["2024-01"]}, "reversed date range")):
        with pytest.raises(ApiError) as err:
            ep.parse(query)
        assert err.value.status == 400 and message in err.value.message
    route = ep.bind(lambda db, **values: {"db": db, **values})
    assert route("D", {"who": ["fra"], "n": ["5"]})["n"] == 5
    assert openapi((ep,))["paths"]["/api/x"] == ep.document()


def test_the_served_document_is_the_table():
    doc = json.loads(handle(None, "/openapi.json")[2])
    assert list(doc["paths"]) == [e.path for e in ENDPOINTS]
    for e in ENDPOINTS:
        assert [p["name"] for p in doc["paths"][e.path]["get"]["parameters"]] == [p.name for p in e.params]


def test_names_imported_from_detente_serve_still_import():
    import detente.serve as serve
    from detente.serve import routes

    for name in ("OPENAPI", "ApiError", "App", "Server", "make_server", "default_allowed_hosts", "handle",
                 "dashboard_html", "serve", "cameo_name", "event_detail", "event_page_html", "MAX_URL", "MAX_HEADER",
                 "THREADS", "QUERY_TIMEOUT", "REFRESH", "READY_WAIT"):
        assert getattr(serve, name) is not None, name
    assert serve._ROUTES is routes._ROUTES  # replacing a route in it replaces the one handle() calls
    from detente.errors import DetenteError

    assert issubclass(serve.ApiError, DetenteError)


# -- the dashboard's static files ----------------------------------------------------------


def test_static_files_are_package_data():
    """Every file of static/ is matched by pyproject's package-data (so a wheel or sdist has it)."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    globs = conf["detente.serve"]
    files = sorted(f.name for f in STATIC.iterdir())
    assert {"index.html", "dashboard.css", "dashboard.js", "world-110m.json"} <= set(files)
    for name in files:
        assert any(fnmatch.fnmatch(f"static/{name}", g) for g in globs), name


def test_dashboard_takes_its_colours_from_charts(monkeypatch):
    from detente.serve import dashboard

    page = dashboard.dashboard_html()
    style = re.search(r'<script type="application/json" id="chart-style">(.*?)</script>', page, re.S).group(1)
    assert json.loads(style) == charts.chart_style()
    assert charts.chart_style()["quads"]["4"] == [charts.QUAD_NAMES["4"], charts.QUAD_COLORS["4"]]
    for colour in list(charts.QUAD_COLORS.values()) + list(charts.TONE_COLORS.values()):
        assert colour not in page.replace(style, ""), colour  # no copy of a colour outside the style
    assert (STATIC / "dashboard.js").read_text() in page and (STATIC / "dashboard.css").read_text() in page
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", page)  # one self-contained page
    # one source: change a colour in charts and the page changes with it
    monkeypatch.setitem(charts.QUAD_COLORS, "4", "#123456")
    dashboard.dashboard_html.cache_clear()
    try:
        assert '"#123456"' in dashboard.dashboard_html()
    finally:
        monkeypatch.undo()
        dashboard.dashboard_html.cache_clear()


def test_static_route(db):
    status, ctype, body = handle(None, "/static/world-110m.json")
    assert status == 200 and ctype.startswith("application/json")
    assert body == (STATIC / "world-110m.json").read_bytes()
    assert handle(None, "/static/dashboard.js")[1].startswith("text/javascript")
    for target in ("/static/../params.py", "/static/%2e%2e/params.py", "/static/nothing.json", "/static/",
                   "/static/__init__.py", "/static/..%2Fdata.py"):
        status, ctype, body = handle(None, target)
        assert status == 404 and json.loads(body)["code"] == "DTE503", target


def test_static_files_need_no_token(db):
    """With --token, the shapes (no data of the store) are served like the dashboard page."""
    from _helpers import serving
    import urllib.request

    with serving(db, token="s3cret") as url:
        with urllib.request.urlopen(url + "/static/world-110m.json", timeout=30) as r:
            assert r.status == 200 and json.loads(r.read())["countries"]


# -- the map's shapes ----------------------------------------------------------------------


def _rings(d: str) -> list[list[tuple[int, int]]]:
    """The rings of a path of ``M x y l dx dy ... z`` subpaths, as absolute points."""
    rings = []
    for sub in re.findall(r"M([^z]*)z", d):
        head, _, rest = sub.partition("l")
        x, y = (int(v) for v in head.split())
        ring = [(x, y)]
        nums = [int(v) for v in re.findall(r"-?\d+", rest)]
        for dx, dy in zip(nums[::2], nums[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _inside(rings: list[list[tuple[int, int]]], lon: float, lat: float) -> bool:
    """Even-odd rule over all the rings, as SVG fills them."""
    px, py = (lon + 180) * 10, (90 - lat) * 10
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


@pytest.fixture(scope="module")
def world():
    return json.loads((STATIC / "world-110m.json").read_text())


def test_shapes_file_is_small_and_says_its_source(world):
    assert (STATIC / "world-110m.json").stat().st_size < 200_000
    about = world["about"]
    assert "Natural Earth" in about["source"] and "world-atlas 2.0.2" in about["source"]
    assert "public domain" in about["licence"] and "ISC" in about["licence"] and about["version"]
    readme = (STATIC / "README.md").read_text()
    assert "world-atlas" in readme and "2.0.2" in readme and "public domain" in readme and about["source_sha256"] in readme


@pytest.mark.parametrize("place,lon,lat,iso3,neighbour", [
    ("Moscow", 37.6156, 55.7522, "RUS", "UKR"), ("Kyiv", 30.52, 50.45, "UKR", "BLR"),
    ("Paris", 2.3488, 48.8534, "FRA", "DEU"), ("Berlin", 13.4105, 52.5244, "DEU", "POL"),
    ("Washington", -77.0369, 38.9072, "USA", "CAN"), ("Beijing", 116.3975, 39.9085, "CHN", "MNG"),
    ("Brasilia", -47.9297, -15.7797, "BRA", "BOL"), ("Canberra", 149.1281, -35.2835, "AUS", "NZL"),
    ("Anadyr (Chukotka, beyond 180)", 177.5, 64.73, "RUS", "USA"), ("Suva", 178.44, -18.14, "FJI", "NZL"),
])
def test_places_fall_in_their_countries(world, place, lon, lat, iso3, neighbour):
    by = {c["iso3"]: _rings(c["d"]) for c in world["countries"] if c["iso3"]}
    assert _inside(by[iso3], lon, lat), place
    assert not _inside(by[neighbour], lon, lat), place


def test_no_ring_jumps_across_the_map(world):
    """No edge of a ring spans half the world (a line across the map at the antimeridian),
    but Antarctica's along the map's bottom."""
    for c in world["countries"]:
        for ring in _rings(c["d"]):
            for (x1, _), (x2, _) in zip(ring, ring[1:] + ring[:1]):
                assert abs(x2 - x1) < 1800 or c["iso3"] == "ATA", c["name"]
    assert len(world["countries"]) == 177
