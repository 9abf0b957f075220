"""Relations over time: series, verdicts, evidence, the JSON shape of cli.md, charts."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from detente import dedup
from detente import relations as rel
from detente.cli_analysis import actors, dyads, relations
from detente.model import Actor, Document, Event, Evidence
from detente.store import Store

CODES = {  # cameo: (plover, quad, goldstein)
    "042": ("CONSULT", 1, 1.9), "057": ("SUPPORT", 1, 8.0), "061": ("COOPERATE", 2, 6.4),
    "112": ("ACCUSE", 3, -2.0), "130": ("THREATEN", 3, -4.4), "190": ("ASSAULT", 4, -10.0),
    "051": ("SUPPORT", 1, 3.4), "036": ("AGREE", 1, 4.0),
}


def make_event(doc_id: str, n: int, a: str, b: str, cameo: str, date: str | None, text: str,
               modality: str = "asserted") -> Event:
    plover, quad, gold = CODES[cameo]
    prec = {10: "day", 7: "month", 4: "year"}.get(len(date or ""), "unknown")
    return Event(
        event_id=hashlib.sha256(f"{doc_id}|{n}".encode()).hexdigest()[:16], doc_id=doc_id,
        source=Actor(a, None, a, "GOV", a + "GOV"), target=Actor(b, None, b, "GOV", b + "GOV"),
        cameo=cameo, plover=plover, quad_class=quad, goldstein=gold, date=date, date_precision=prec,
        date_basis="text", modality=modality, location=None, evidence=Evidence(text, 0, len(text)),
        confidence=0.9)


def store_events(path: str, specs: list[tuple]) -> dict[tuple, str]:
    """Each spec (a, b, cameo, date[, modality]) in a document of its own; returns spec -> event id."""
    ids: dict[tuple, str] = {}
    with Store(path) as store:
        for i, spec in enumerate(specs):
            a, b, cameo, date, *mod = spec
            text = f"Report {i}: {a} and {b}, code {cameo}, on {date}, a sentence long enough to shingle."
            doc = Document(id=f"d{i:03d}", text=text, origin="t", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                           language="en", date=date if date and len(date) == 10 else None)
            ev = make_event(doc.id, 0, a, b, cameo, date, text, *(mod or []))
            store.add(doc, [ev])
            ids[(i, *spec)] = ev.event_id
    return ids


def days(month: str, n: int) -> list[str]:
    return [f"{month}-{d:02d}" for d in range(1, n + 1)]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("rel") / "r.duckdb")
    specs: list[tuple] = []
    # USA-CHN easing: conflict in early 2024, cooperation in early 2025
    for m in ("2024-01", "2024-02", "2024-03"):
        specs += [("USA", "CHN", "112", d) for d in days(m, 4)]
    specs.append(("CHN", "USA", "190", "2024-02-20"))                   # the worst of the baseline
    for m in ("2025-01", "2025-02", "2025-03"):
        specs += [("CHN", "USA", "042", d) for d in days(m, 4)]
    specs.append(("USA", "CHN", "057", "2025-03-15"))                   # the best of the recent window
    # IND-PAK escalating
    for m in ("2024-01", "2024-02", "2024-03"):
        specs += [("IND", "PAK", "051", d) for d in days(m, 4)]
    for m in ("2025-01", "2025-02"):
        specs += [("PAK", "IND", "130", d) for d in days(m, 4)]
    specs.append(("IND", "PAK", "190", "2025-02-25"))
    # FRA-DEU stable
    for m in ("2024-01", "2024-04", "2024-07", "2024-10", "2025-01", "2025-02"):
        specs += [("FRA", "DEU", c, d) for c, d in zip(("042", "051", "042", "051"), days(m, 4))]
    # BRA-ARG: one month only -> insufficient data; plus an undated and a hypothetical event
    specs += [("BRA", "ARG", "042", d) for d in days("2025-03", 3)]
    specs += [("BRA", "ARG", "112", None), ("BRA", "ARG", "190", "2025-03-05", "hypothetical")]
    # EGY-ISR: a tiny sample, one event on each side
    specs += [("EGY", "ISR", "130", "2023-06-01"), ("EGY", "ISR", "061", "2025-06-01")]
    ids = store_events(path, specs)
    dedup.rebuild(path)
    return path, ids


def find(ids, a, b, cameo, date):
    return next(v for k, v in ids.items() if k[1:5] == (a, b, cameo, date))


def test_series_in_order_with_quad_counts(db):
    path, _ = db
    res = rel.relations(path, "USA", "CHN")
    periods = [s["period"] for s in res["series"]]
    assert periods == ["2024-01", "2024-02", "2024-03", "2025-01", "2025-02", "2025-03"]
    feb = res["series"][1]
    assert feb["events"] == 5 and feb["quad"] == {"1": 0, "2": 0, "3": 4, "4": 1}
    assert feb["goldstein_mean"] == pytest.approx((4 * -2.0 - 10.0) / 5, abs=1e-3)
    mar25 = res["series"][-1]
    assert mar25["quad"] == {"1": 5, "2": 0, "3": 0, "4": 0}
    q = rel.relations(path, "CHN", "USA", freq="quarter")
    assert [s["period"] for s in q["series"]] == ["2024-Q1", "2025-Q1"]
    assert [s["events"] for s in q["series"]] == [13, 13]
    y = rel.relations(path, "USA", "CHN", freq="year")
    assert [s["period"] for s in y["series"]] == ["2024", "2025"]


def test_verdict_easing_with_evidence(db):
    path, ids = db
    res = rel.relations(path, "USA", "CHN")
    assert res["verdict"] == "easing"
    assert res["uncertainty"]["confidence"] == "high"
    assert res["uncertainty"]["ci95"][0] > 0
    assert res["evidence"][0] == find(ids, "USA", "CHN", "057", "2025-03-15")
    assert find(ids, "CHN", "USA", "190", "2024-02-20") in res["evidence"]


def test_verdict_escalating(db):
    path, ids = db
    res = rel.relations(path, "PAK", "IND", freq="quarter")
    assert res["verdict"] == "escalating"
    assert res["evidence"][0] == find(ids, "IND", "PAK", "190", "2025-02-25")


def test_verdict_stable(db):
    path, _ = db
    res = rel.relations(path, "FRA", "DEU")
    assert res["verdict"] == "stable"
    assert abs(res["uncertainty"]["difference"]) <= 1.0


def test_one_sided_data_is_insufficient(db):
    path, _ = db
    res = rel.relations(path, "BRA", "ARG")
    assert res["verdict"] == "insufficient data"
    assert res["undated"] == 1 and res["excluded_modality"] == 1
    assert [s["events"] for s in res["series"]] == [3]
    assert res["evidence"]  # still the events there are
    none = rel.relations(path, "USA", "FRA")
    assert none["verdict"] == "insufficient data" and none["series"] == [] and none["evidence"] == []


def test_one_event_against_one_is_insufficient(db):
    path, _ = db
    res = rel.relations(path, "ISR", "EGY")
    assert res["verdict"] == "insufficient data"
    u = res["uncertainty"]
    assert u["n_recent"] == 1 and u["n_baseline"] == 1 and u["difference"] is None
    assert "1 event in the recent window" in u["reason"]
    assert len(res["evidence"]) == 2  # the events there are are still shown


def test_json_shape_as_cli_md(db):
    path, _ = db
    out = CliRunner().invoke(relations, ["USA", "CHN", "--db", path, "--format", "json"])
    assert out.exit_code == 0, out.output
    obj = json.loads(out.output)
    assert obj["dyad"] == ["USA", "CHN"] and obj["freq"] == "month"
    assert {"dyad", "freq", "series", "verdict", "evidence"} <= set(obj)
    assert obj["verdict"] in ("easing", "escalating", "stable", "insufficient data")
    assert all(isinstance(e, str) for e in obj["evidence"])
    for s in obj["series"]:
        assert {"period", "events", "quad", "goldstein_mean"} <= set(s)
        assert isinstance(s["events"], int) and isinstance(s["goldstein_mean"], float)
        assert set(s["quad"]) == {"1", "2", "3", "4"} and sum(s["quad"].values()) == s["events"]
    assert [s["period"] for s in obj["series"]] == sorted(s["period"] for s in obj["series"])


def test_mentions_counts_reports(db):
    path, _ = db
    a = rel.relations(path, "USA", "CHN")
    b = rel.relations(path, "USA", "CHN", mentions=True)
    assert b["counting"] == "mentions" and a["counting"] == "events"
    assert sum(s["events"] for s in b["series"]) == sum(s["events"] for s in a["series"])


def test_dyads_counting_reports_agree_with_relations(db, tmp_path):
    """dyads --mentions reads each pair's reports as relations --mentions does: the same counted
    reports, verdict, difference and evidence (it once repeated each canonical event's score by
    its number of reports)."""
    # FRA-DEU: in 2025 each meeting told twice, as praise (051, +3.4) and as support (057, +8.0):
    # one canonical event of two reports scored differently
    specs = [("FRA", "DEU", "112", d) for d in days("2024-02", 6)]
    specs += [("FRA", "DEU", code, d) for d in days("2025-02", 4) for code in ("051", "057")]
    path = str(tmp_path / "fd.duckdb")
    store_events(path, specs)
    dedup.rebuild(path)
    canonical = rel.relations(path, "FRA", "DEU", freq="quarter")
    assert canonical["counted"] == 10 and rel.relations(path, "FRA", "DEU", freq="quarter", mentions=True)["counted"] == 14
    for p in (path, db[0]):
        _reports_agree(p)


def _reports_agree(path: str) -> None:
    rows = rel.dyads(path, top=50, freq="quarter", mentions=True)
    assert rows and all(r["counting"] == "mentions" for r in rows)
    for row in rows:
        r = rel.relations(path, *row["dyad"], freq="quarter", mentions=True)
        assert (row["counted"], row["verdict"], row["confidence"], row["difference"], row["evidence"]) == (
            r["counted"], r["verdict"], r["uncertainty"]["confidence"], r["uncertainty"].get("difference"), r["evidence"])
        assert row["events"] == sum(r[k] for k in ("counted", "undated", "imprecise", "excluded_modality",
                                                   "after_publication"))


def test_png_written(db, tmp_path):
    path, _ = db
    out = tmp_path / "c.png"
    res = CliRunner().invoke(relations, ["USA", "CHN", "--db", path, "--format", "png", "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = out.read_bytes()
    assert len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_self_contained(db, tmp_path):
    path, _ = db
    out = tmp_path / "c.html"
    res = CliRunner().invoke(relations, ["USA", "CHN", "--db", path, "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script>" in page
    assert "<script src" not in page and "http://" not in page and "https://" not in page
    assert "easing" in page


def test_table_dyads_actors(db):
    path, _ = db
    r = CliRunner()
    t = r.invoke(relations, ["USA", "CHN", "--db", path, "--format", "table"])
    assert t.exit_code == 0 and "verdict: easing" in t.output
    d = r.invoke(dyads, ["--db", path, "--format", "json"])
    rows = json.loads(d.output)
    assert rows[0]["dyad"] == ["CHN", "USA"] and rows[0]["events"] == 26 and rows[0]["verdict"] == "easing"
    a = r.invoke(actors, ["--db", path, "--format", "json", "--top", "3"])
    top = json.loads(a.output)
    assert top[0]["actor"] in ("CHN", "USA") and top[0]["events"] == 26


def test_missing_or_bad_database_exit_2(tmp_path):
    r = CliRunner()
    for cmd, args in ((relations, ["A", "B"]), (dyads, []), (actors, [])):
        res = r.invoke(cmd, [*args, "--db", str(tmp_path / "none.duckdb")])
        assert res.exit_code == 2 and "no such database" in res.output
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    res = r.invoke(relations, ["A", "B", "--db", str(bad)])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_dyads_by_the_dyad_columns_equal_reading_every_pair_whole(tmp_path):
    """Busy pairs and small ones, read as numbers with their evidence by the windowed query,
    give what the row-by-row reading of every pair gives, in both counting modes and for each
    period length."""
    import duckdb

    path = str(tmp_path / "big.duckdb")
    Store(path).close()
    con = duckdb.connect(path)
    con.execute("SELECT setseed(0.25)")
    cols = [r[0] for r in con.execute("SELECT * FROM events LIMIT 0").description]
    pairs = "[['USA','CHN'], ['CHN','USA'], ['RUS','UKR'], ['IND','PAK'], ['FRA','DEU'], ['EGY','ISR']]"
    values = {
        "event_id": "'e' || lpad(i::VARCHAR, 6, '0')", "doc_id": "'d' || (i // 3)::VARCHAR",
        "source_country": "p[1]", "target_country": "p[2]", "source_code": "p[1]", "target_code": "p[2]",
        "cameo": "['042', '057', '112', '190'][1 + (i * 7) % 4]",
        "quad_class": "[1, 1, 3, 4][1 + (i * 7) % 4]",
        "goldstein": "[1.9, 8.0, -2.0, -10.0][1 + (i * 7) % 4] + (i % 3) / 10",
        "date": "CASE WHEN i % 50 = 0 THEN NULL WHEN i % 11 = 0 THEN strftime(DATE '2000-01-01' + "
                "(i * 37 % 9000)::INTEGER, '%Y-%m') ELSE strftime(DATE '2000-01-01' + (i * 37 % 9000)::INTEGER, '%Y-%m-%d') END",
        "date_precision": "CASE WHEN i % 50 = 0 THEN 'unknown' WHEN i % 11 = 0 THEN 'month' ELSE 'day' END",
        "date_basis": "'text'", "modality": "CASE WHEN i % 23 = 0 THEN 'hypothetical' ELSE 'asserted' END",
        "evidence_sentence": "'Report ' || i::VARCHAR", "evidence_start": "0", "evidence_end": "8",
        "confidence": "0.9",
    }
    # pair by i: the first two pairs busy (thousands), the last ones small
    pick = "CASE WHEN i < 2600 THEN 1 WHEN i < 5200 THEN 2 WHEN i < 7600 THEN 3 WHEN i < 7700 THEN 4 " \
           "WHEN i < 7760 THEN 5 ELSE 6 END"
    select = ", ".join(values.get(c, "NULL") + f' AS "{c}"' for c in cols)
    con.execute(f'INSERT INTO events SELECT {select} FROM (SELECT i, {pairs}[{pick}] AS p FROM range(7790) t(i))')
    con.execute("INSERT INTO documents (id, text, origin, content_hash, language, ingested_at) "
                "SELECT DISTINCT doc_id, 'x', 't', doc_id, 'en', '2026-01-01T00:00:00' FROM events")
    con.close()
    dedup.rebuild(path)
    con = duckdb.connect(path)
    assert "dyad_a" in rel._column_names(con, "canonical_events")
    con.close()
    whole_reads = []
    real = rel._analyse

    def counting(rows, freq, cfg):
        whole_reads.append(len(rows))
        return real(rows, freq, cfg)

    rel._analyse = counting
    try:
        fast = {(f, False): rel.dyads(path, top=10, freq=f) for f in ("month", "quarter")}
    finally:
        rel._analyse = real
    # no pair is read whole: the verdict does not depend on the order of the events
    assert whole_reads == []
    # counting reports, each pair is read as relations --mentions reads it (every report its own score)
    fast.update({(f, True): rel.dyads(path, top=10, freq=f, mentions=True) for f in ("month", "quarter")})
    assert [d["dyad"] for d in fast[("quarter", False)]][:3] == [["CHN", "USA"], ["RUS", "UKR"], ["IND", "PAK"]]
    assert fast[("quarter", False)][0]["events"] > 2000 and fast[("quarter", False)][-1]["events"] < 100
    con = duckdb.connect(path)  # the same store without the dyad columns: every pair read whole
    con.execute("ALTER TABLE canonical_events DROP COLUMN dyad_a")
    con.execute("ALTER TABLE canonical_events DROP COLUMN dyad_b")
    con.close()
    for (f, m), got in fast.items():
        assert got == rel.dyads(path, top=10, freq=f, mentions=m), (f, m)
