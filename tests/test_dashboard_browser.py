"""The dashboard in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright;
`.ci/run` installs it): the overview, a dyad's chart (small bars visible, no line across a gap)
and map of places over the countries' shapes (points inside their countries),
an evidence link to the event page with its sentence highlighted, the hostile article text
shown as text. Screenshots go to test-artifacts/dashboard/ (gitignored)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from _helpers import serving
from detente.serve import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("DETENTE_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium; .ci/run does)")


#: places of FRA-DEU events (add_busy_month), for the map: (name, country, lat, lon, GeoNames id)
PARIS = ("Paris", "FRA", 48.8534, 2.3488, 2988507)
BERLIN = ("Berlin", "DEU", 52.5244, 13.4105, 2950159)


def add_busy_month(path: str) -> None:
    """FRA-DEU: 56 events in 2024-05, none in 2024-06, one in 2024-07 (a bar of one event
    beside one of 56); the first placed in Paris, the last in Berlin."""
    import hashlib

    from detente import dedup
    from detente.model import Actor, Document, Event, Evidence, Place
    from detente.store import Store

    specs = [(f"2024-05-{d:02d}", code) for d in range(1, 29) for code in ("042", "036")] + [("2024-07-15", "042")]
    with Store(path) as store:
        for i, (date, code) in enumerate(specs):
            text = f"France and Germany, meeting {i} of kind {code}, on {date} in Strasbourg."
            doc = Document(id=f"fd{i:03d}", text=text, origin="t", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                           language="en", date=date)
            event = Event(event_id=hashlib.sha256(doc.id.encode()).hexdigest()[:16], doc_id=doc.id,
                          source=Actor("France", None, "FRA", "GOV", "FRAGOV"),
                          target=Actor("Germany", None, "DEU", "GOV", "DEUGOV"), cameo=code, plover=None,
                          quad_class=1, goldstein=1.9, date=date, date_precision="day", date_basis="text",
                          modality="asserted", evidence=Evidence(text, 0, len(text)), confidence=0.9,
                          location=Place(*PARIS) if i == 0 else Place(*BERLIN) if i == len(specs) - 1 else None)
            store.add(doc, [event])
    dedup.rebuild(path)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from test_dashboard import build

    path = str(tmp_path_factory.mktemp("browser") / "b.duckdb")
    sentences = build(path)
    add_busy_month(path)
    with serving(path) as url:
        yield url, sentences


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_overview_dyad_evidence_event_page(site, browser):
    base, sentences = site
    shots = ARTIFACTS / "dashboard"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: errors.append("dialog: " + d.message))

    # the overview: the busiest dyad, chosen and drawn
    page.goto(base + "/")
    page.wait_for_selector("#dyads tbody tr")
    assert [t.split("\t")[0] for t in page.locator("#dyads tbody tr").all_inner_texts()] == ["DEU–FRA", "RUS–UKR"]
    page.wait_for_selector("#chart svg")
    page.wait_for_selector("#evidence tbody a.ev")
    page.screenshot(path=str(shots / "overview.png"), full_page=True)

    # 56 events in a month and 1 two months later: the one-event bar is visible, no line joins them
    page.goto(base + "/#DEU-FRA-month")
    page.reload()
    page.wait_for_function("document.querySelectorAll('#chart rect.bar').length === 2")
    heights = page.eval_on_selector_all("#chart rect.bar", "rs => rs.map(r => +r.getAttribute('height'))")
    assert heights[0] > 100 and 4 <= heights[1] < 10, heights  # scaled it would be 2.1 px
    assert page.eval_on_selector_all("#chart polyline.trend", "ls => ls.length") == 0
    assert page.eval_on_selector_all("#chart circle", "cs => cs.length") == 2
    page.screenshot(path=str(shots / "small-bar.png"), full_page=True)

    # a dyad by month: 2024-01, 2024-02, then nothing until 2025-01, 2025-02
    page.goto(base + "/#RUS-UKR-month")
    page.reload()
    page.wait_for_function("document.querySelectorAll('#chart polyline.trend').length > 0")
    lines = page.eval_on_selector_all("#chart polyline.trend", "ls => ls.map(l => l.getAttribute('points'))")
    assert len(lines) == 2 and all(len(p.split()) == 2 for p in lines), lines  # no line across the gap
    heights = page.eval_on_selector_all("#chart rect.bar", "rs => rs.map(r => r.getBoundingClientRect().height)")
    assert len(heights) == 4 and min(heights) >= 3, heights  # 3 events a month: visible bars
    cells = page.eval_on_selector_all("#evidence tbody td.c", "cs => cs.map(c => c.textContent)")
    assert cells and all(c in ("190 Use conventional military force, not specified below", "042 Make a visit")
                         for c in cells), cells
    # the map: the four events placed in Kyiv are one point, linked to an event page
    page.wait_for_selector("#mapsvg a.place circle")
    tips = page.eval_on_selector_all("#mapsvg a.place circle title", "ts => ts.map(t => t.textContent)")
    assert tips == ["Kyiv, UKR: 4 events"]
    cx, cy = (float(page.get_attribute("#mapsvg a.place circle", k)) for k in ("cx", "cy"))
    assert cx == pytest.approx((30.52 + 180) / 360 * 860) and cy == pytest.approx((90 - 50.45) / 180 * 430)
    assert page.get_attribute("#mapsvg a.place", "href").startswith("/event/")
    assert page.inner_text("#mapnote") == "(4 of 12 events with a known place; longitude across, latitude up)"
    assert "<i>talks</i>" in page.inner_text("#evidence tbody")  # the sentences' markup shown as text
    assert page.evaluate("document.querySelectorAll('#evidence i, #evidence script').length") == 0
    page.screenshot(path=str(shots / "dyad.png"), full_page=True)

    # the first evidence link opens the event page, its sentence highlighted in the article
    link = page.locator("#evidence tbody a.ev").first
    sentence = link.inner_text()
    link.click()
    page.wait_for_url("**/event/*")
    page.wait_for_selector("mark#evidence")
    assert page.inner_text("mark#evidence") == sentence
    assert sentence in sentences.values()
    text = page.inner_text("#text")
    assert "<script>alert(1)</script> & <b>bold</b>" in text  # shown as text, never run
    assert page.evaluate("document.querySelectorAll('#text script, #text b, #text i').length") == 0
    mark_color = page.eval_on_selector("mark#evidence", "m => getComputedStyle(m).backgroundColor")
    assert mark_color == "rgb(255, 224, 102)"
    fields = page.inner_text("#fields")
    assert "Goldstein" in fields and "quad class" in fields and "modality" in fields
    page.screenshot(path=str(shots / "event.png"), full_page=True)

    # an unknown event: a plain 404 page
    answer = page.goto(base + "/event/nothing-here")
    assert answer.status == 404 and "No event with id" in page.inner_text("main")
    assert errors == []
    for name in ("overview.png", "dyad.png", "event.png"):
        assert (shots / name).stat().st_size > 1000
    page.close()


#: whether the point (lon, lat) of the map falls in the fill of the country ``iso3`` and in its
#: bounding box (the shapes' units: tenths of a degree, x = (lon + 180) * 10, y = (90 - lat) * 10)
_IN_COUNTRY = """([iso3, lon, lat]) => {
  const p = document.querySelector(`#mapsvg path[data-iso3="${iso3}"]`);
  if (!p) return null;
  const x = (lon + 180) * 10, y = (90 - lat) * 10, b = p.getBBox();
  return {fill: p.isPointInFill(new DOMPoint(x, y)), box: b.x <= x && x <= b.x + b.width && b.y <= y && y <= b.y + b.height};
}"""


def test_map_draws_country_shapes_under_the_points(site, browser):
    """Issue 14.3: the map's country shapes come from detente itself (no other host is asked),
    are drawn under the points in the same projection: Kyiv's point falls in Ukraine, Paris's in
    France, Berlin's in Germany, none in a neighbour; the dyad's countries are shaded."""
    base, _ = site
    shots = ARTIFACTS / "dashboard"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/#RUS-UKR-month")
    page.wait_for_selector("#mapsvg a.place circle")
    shapes = page.eval_on_selector_all("#mapsvg #land path", "ps => ps.map(p => p.getAttribute('data-iso3'))")
    assert len(shapes) > 170 and {"RUS", "UKR", "FRA", "DEU", "USA", "CHN", "BRA", "AUS"} <= set(shapes)
    # drawn under the points: the land group comes before every place in the SVG
    assert page.evaluate("""() => { const land = document.querySelector('#mapsvg #land');
        return [...document.querySelectorAll('#mapsvg a.place')].every(a =>
          land.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    assert page.eval_on_selector_all("#mapsvg path.dyad", "ps => ps.map(p => p.dataset.iso3).sort()") == ["RUS", "UKR"]
    # the point drawn for Kyiv sits inside Ukraine's shape: same projection as the circle's
    cx, cy = (float(page.get_attribute("#mapsvg a.place circle", k)) for k in ("cx", "cy"))
    lon, lat = cx / 860 * 360 - 180, 90 - cy / 430 * 180
    assert (lon, lat) == (pytest.approx(30.52), pytest.approx(50.45))
    assert page.evaluate(_IN_COUNTRY, ["UKR", lon, lat]) == {"fill": True, "box": True}
    for other in ("RUS", "BLR", "POL"):
        assert page.evaluate(_IN_COUNTRY, [other, lon, lat])["fill"] is False, other
    page.locator("#map").screenshot(path=str(shots / "map-rus-ukr.png"))

    page.goto(base + "/#DEU-FRA-month")
    page.reload()
    page.wait_for_function("document.querySelectorAll('#mapsvg a.place circle').length === 2")
    tips = page.eval_on_selector_all("#mapsvg a.place circle title", "ts => ts.map(t => t.textContent).sort()")
    assert tips == ["Berlin, DEU: 1 event", "Paris, FRA: 1 event"]
    for (name, iso3, lat, lon, _), neighbour in ((PARIS, "DEU"), (BERLIN, "FRA")):
        assert page.evaluate(_IN_COUNTRY, [iso3, lon, lat]) == {"fill": True, "box": True}, name
        assert page.evaluate(_IN_COUNTRY, [neighbour, lon, lat])["fill"] is False, name
    # Moscow is in Russia's shape (and its box), not in Ukraine's
    assert page.evaluate(_IN_COUNTRY, ["RUS", 37.6156, 55.7522]) == {"fill": True, "box": True}
    assert page.evaluate(_IN_COUNTRY, ["UKR", 37.6156, 55.7522])["fill"] is False
    page.locator("#map").screenshot(path=str(shots / "map-deu-fra.png"))
    page.screenshot(path=str(shots / "map-page.png"), full_page=True)
    assert hosts == {base.split("/")[2]}  # offline: nothing asked of any other host
    assert errors == []
    for name in ("map-rus-ukr.png", "map-deu-fra.png"):
        assert (shots / name).stat().st_size > 5000
    page.close()


def test_event_page_with_a_token(site, browser, tmp_path):
    """With `--token`, an evidence link opened in the browser asks for the token once and shows
    the event page (the bearer token never goes into a URL)."""
    from test_dashboard import build

    path = str(tmp_path / "t.duckdb")
    build(path)
    server = make_server(path, "127.0.0.1", 0, quiet=True, token="s3cret")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = browser.new_page()
        asked: list[str] = []

        def answer(dialog):
            asked.append(dialog.message)
            dialog.accept("s3cret")

        page.on("dialog", answer)
        page.goto(base + "/")
        page.wait_for_selector("#evidence tbody a.ev")
        page.locator("#evidence tbody a.ev").first.click()
        page.wait_for_url("**/event/*")
        page.wait_for_selector("mark#evidence")
        assert page.inner_text("mark#evidence").startswith("Officials of ")
        assert len(asked) == 1  # asked on the dashboard, kept for the event page
        assert "s3cret" not in page.url
        event_url = page.url
        page.close()
        # a link opened in a new tab: the page asks for the token itself
        page = browser.new_page()
        page.on("dialog", answer)
        page.goto(event_url)
        page.wait_for_selector("mark#evidence")
        assert len(asked) == 2 and page.title().startswith("event ")
        page.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
