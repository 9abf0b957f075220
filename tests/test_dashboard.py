"""The dashboard's "why" (issue 14.3): CAMEO names, article and event links in the evidence,
the event page (`/event/<id>`, `/api/events/<id>`) with its sentence highlighted and every
text escaped, and the chart's drawing rules (small bars, no line across gaps)."""
from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request

import pytest

from _helpers import serving
from detente import dedup
from detente.model import Actor, Document, Event, Evidence, Place
from detente.serve import dashboard_html, make_server
from detente.store import Store

# (doc, source, target, cameo, quad, goldstein, date)
SPECS = ([(f"r{m}{d}", "RUS", "UKR", "190", 4, -10.0, f"2024-0{m}-0{d}") for m in (1, 2) for d in (1, 2, 3)]
         + [(f"c{m}{d}", "UKR", "RUS", "042", 1, 1.9, f"2025-0{m}-0{d}") for m in (1, 2) for d in (1, 2, 3)])
HOSTILE = "<script>alert(1)</script> & <b>bold</b>"


def _doc_text(i: int, sentence: str) -> str:
    return f"Kyiv {HOSTILE} opening paragraph number {i}.\n\n{sentence}\n\nA closing line {i}."


def build(path: str) -> dict[str, str]:
    """A small store; returns the sentence of each document id."""
    sentences = {}
    with Store(path) as store:
        for i, (doc_id, a, b, cameo, quad, gold, date) in enumerate(SPECS):
            sentence = f"Officials of {a} and {b} met in round {i} on {date} <i>talks</i>."
            text = _doc_text(i, sentence)
            start = text.index(sentence)
            doc = Document(id=doc_id, text=text, origin="t", title=f"Article {i} <script>x</script>",
                           url=f"https://news.example/{doc_id}" if i % 2 == 0 else None,
                           content_hash=hashlib.sha256(text.encode()).hexdigest(), language="en", date=date)
            event = Event(
                event_id=hashlib.sha256(f"{doc_id}|0".encode()).hexdigest()[:16], doc_id=doc_id,
                source=Actor(a, None, a, "GOV", a + "GOV"), target=Actor(b, None, b, "GOV", b + "GOV"),
                cameo=cameo, plover=None, quad_class=quad, goldstein=gold, date=date, date_precision="day",
                date_basis="text", modality="asserted",
                location=Place("Kyiv", "UKR", 50.45, 30.52, 703448) if i % 3 == 0 else None,
                evidence=Evidence(sentence, start, start + len(sentence)), confidence=0.9)
            store.add(doc, [event])
            sentences[doc_id] = sentence
    dedup.rebuild(path)
    return sentences


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("dash") / "d.duckdb")
    return path, build(path)


@pytest.fixture(scope="module")
def base(store):
    with serving(store[0]) as url:
        yield url


def get(base: str, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode("utf-8")


def test_evidence_rows_carry_cameo_names_and_article(base):
    code, _, body = get(base, "/api/relations?a=RUS&b=UKR&freq=quarter")
    assert code == 200
    ev = json.loads(body)["evidence_events"]
    assert ev
    for e in ev:
        assert e["cameo_name"] == {"190": "Use conventional military force, not specified below",
                                   "042": "Make a visit"}[e["cameo"]]
        assert e["doc_id"] in dict.fromkeys(s[0] for s in SPECS)
        assert e["title"].startswith("Article ")
        i = [s[0] for s in SPECS].index(e["doc_id"])
        assert e["url"] == (f"https://news.example/{e['doc_id']}" if i % 2 == 0 else None)


def test_cameo_route(base):
    code, ctype, body = get(base, "/api/cameo")
    assert code == 200 and ctype.startswith("application/json")
    codes = json.loads(body)["codes"]
    assert codes["190"] == "Use conventional military force, not specified below"
    assert codes["01"] == "Make public statement" and len(codes) > 200


def test_event_api(base, store):
    _, _, body = get(base, "/api/events?limit=100")
    events = json.loads(body)["events"]
    e = next(x for x in events if x["doc_id"] == "r11")
    code, _, body = get(base, "/api/events/" + e["event_id"])
    assert code == 200
    rec = json.loads(body)
    assert rec["event_id"] == e["event_id"] and rec["cameo"] == "190"
    assert rec["cameo_name"].startswith("Use conventional military force")
    assert rec["source"]["code"] == "RUSGOV" and rec["target"]["country"] == "UKR"
    assert rec["goldstein"] == -10.0 and rec["quad_class"] == 4 and rec["modality"] == "asserted"
    assert rec["location"]["name"] == "Kyiv" and rec["mentions"] == 1 and rec["sources"] == 1
    doc = rec["document"]
    assert doc["id"] == "r11" and doc["url"] == "https://news.example/r11"
    s, t = rec["evidence"]["start"], rec["evidence"]["end"]
    assert doc["text"][s:t] == store[1]["r11"]
    assert [r["doc_id"] for r in rec["reports"]] == ["r11"]


def test_event_api_missing_is_404_json(base):
    code, ctype, body = get(base, "/api/events/nope0000")
    assert code == 404 and ctype.startswith("application/json")
    assert json.loads(body) == {"error": "no event with id 'nope0000'", "code": "DTE503"}


def test_event_page_highlights_and_escapes(base, store):
    _, _, body = get(base, "/api/events?limit=100")
    e = next(x for x in json.loads(body)["events"] if x["doc_id"] == "c12")
    code, ctype, page = get(base, "/event/" + e["event_id"])
    assert code == 200 and ctype.startswith("text/html")
    assert "<script>" not in page and "<i>talks</i>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    sentence = store[1]["c12"].replace("<", "&lt;").replace(">", "&gt;")
    assert f'<mark id="evidence">{sentence}</mark>' in page
    assert page.count("<mark") == 1
    for field in ("042 Make a visit", "UKRGOV", "RUSGOV", "2025-01-02", "asserted", "+1.9",
                  "1 verbal cooperation", "1 report, 1 independent source"):
        assert field in page, field
    assert "news.example" not in page and 'id="article-url"' not in page  # c12 (SPECS[7]) has no URL
    r = next(x for x in json.loads(get(base, "/api/events?limit=100")[2])["events"] if x["doc_id"] == "r11")
    page = get(base, "/event/" + r["event_id"])[2]
    assert 'id="article-url" href="https://news.example/r11"' in page and "Kyiv, UKR (50.450, 30.520)" in page


def test_event_page_missing_is_plain_404(base):
    code, ctype, page = get(base, "/event/%3Cscript%3E")
    assert code == 404 and ctype.startswith("text/html")
    assert "No event with id" in page and "<script>" not in page and "&lt;script&gt;" in page


def test_event_routes_need_the_token(store):
    server = make_server(store[0], "127.0.0.1", 0, quiet=True, token="s3cret")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        assert get(url, "/api/events/x")[0] == 401
        assert get(url, "/api/cameo")[0] == 401
        # the event page without the token: a page without data that asks for it
        code, ctype, page = get(url, "/event/" + first_id(url, "s3cret"))
        assert code == 200 and ctype.startswith("text/html")
        assert "Officials" not in page and "<mark" not in page and 'sessionStorage.getItem("detente-token")' in page
        req = urllib.request.Request(url + "/event/" + first_id(url, "s3cret"), headers={"Authorization": "Bearer s3cret"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert '<mark id="evidence">Officials' in r.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def first_id(url: str, token: str) -> str:
    req = urllib.request.Request(url + "/api/events?limit=1", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["events"][0]["event_id"]


def test_dashboard_links_and_chart_rules():
    page = dashboard_html()
    assert '"/event/" + encodeURIComponent(e.event_id)' in page  # every evidence row links its event
    assert "cameoCell(e.cameo, e.cameo_name)" in page
    assert "Math.max(4, v / nmax * h2)" in page  # a bar of one event stays visible
    assert "idx(s.period) !== idx(ser[i - 1].period) + 1" in page  # a gap ends the line
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "").replace("/^https?:", "")


def test_openapi_describes_the_event_routes(base):
    doc = json.loads(get(base, "/openapi.json")[2])
    op = doc["paths"]["/api/events/{event_id}"]["get"]
    assert [(p["name"], p["in"], p["required"]) for p in op["parameters"]] == [("event_id", "path", True)]
    assert set(op["responses"]) == {"200", "404", "503"}
    assert doc["paths"]["/api/cameo"]["get"]["parameters"] == []


def test_evidence_with_mentions_links_reports(base):
    ev = json.loads(get(base, "/api/relations?a=RUS&b=UKR&freq=quarter&mentions=1")[2])["evidence_events"]
    assert ev and all(e["doc_id"] and e["title"].startswith("Article ") for e in ev)
    for e in ev:
        code, _, page = get(base, "/event/" + e["event_id"])
        assert code == 200 and '<mark id="evidence">' in page
