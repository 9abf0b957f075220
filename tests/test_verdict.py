"""The verdict's honest uncertainty (issue 14): a minimum of evidence per window, intervals
that are never zero-width, copies counted once, events dated after publication left out."""
from __future__ import annotations

import hashlib

import pytest

from detente import dedup
from detente import relations as rel
from detente.model import Actor, Document, Event, Evidence
from detente.store import Store

GOLDSTEIN = {"042": (1, 1.9, "CONSULT"), "057": (1, 8.0, "SUPPORT"), "112": (3, -2.0, "ACCUSE"),
             "190": (4, -10.0, "ASSAULT")}


def _event(doc_id: str, a: str, b: str, cameo: str, date: str, text: str) -> Event:
    quad, g, plover = GOLDSTEIN[cameo]
    return Event(event_id=hashlib.sha256(f"{doc_id}|{cameo}|{date}".encode()).hexdigest()[:16], doc_id=doc_id,
                 source=Actor(a, None, a, "GOV", a + "GOV"), target=Actor(b, None, b, "GOV", b + "GOV"),
                 cameo=cameo, plover=plover, quad_class=quad, goldstein=g, date=date,
                 date_precision={10: "day", 7: "month", 4: "year"}[len(date)], date_basis="text",
                 modality="asserted", location=None, evidence=Evidence(text, 0, len(text)), confidence=0.9)


def build(path: str, articles: list[tuple[str, list[tuple[str, str, str, str]], int]]) -> None:
    """Each article: (publication date, its events (a, b, cameo, date), number of copies).
    Copies carry the same text under other ids (one article group); articles differ in text."""
    with Store(path) as store:
        for i, (published, events, copies) in enumerate(articles):
            words = " ".join(f"w{i}x{k}" for k in range(40))
            text = f"Article {i} published {published}: {words}."
            for c in range(copies):
                doc = Document(id=f"a{i:03d}c{c}", text=text, origin="t",
                               content_hash=hashlib.sha256(text.encode()).hexdigest(), language="en",
                               date=published)
                store.add(doc, [_event(doc.id, a, b, cameo, date, text) for a, b, cameo, date in events])
    dedup.rebuild(path)


def one_each(events: list[tuple[str, str, str, str]]) -> list[tuple[str, list, int]]:
    """Every event in an article of its own, published on the event's day."""
    return [(date, [(a, b, cameo, date)], 1) for a, b, cameo, date in events]


def test_two_identical_events_a_side_give_a_verdict_with_a_wide_interval(tmp_path):
    path = str(tmp_path / "s.duckdb")
    build(path, one_each([("NOR", "SWE", "112", "2024-01-05"), ("NOR", "SWE", "112", "2024-01-09"),
                          ("SWE", "NOR", "057", "2024-09-02"), ("SWE", "NOR", "057", "2024-09-20")]))
    res = rel.relations(path, "NOR", "SWE")
    u = res["uncertainty"]
    assert res["verdict"] == "easing"
    lo, hi = u["ci95"]
    assert hi - lo > 4  # the bootstrap of two equal scores against two gave a zero-width interval
    assert 0 < u["difference"] < u["raw_difference"] == 10.0  # shrunk towards the dyad's mean
    assert u["confidence"] == "low"


def test_a_known_shift_is_found_with_an_interval_excluding_zero(tmp_path):
    path = str(tmp_path / "s.duckdb")
    before = [("PER", "CHL", "112" if d % 3 else "190", f"2023-{m:02d}-{d:02d}") for m in (1, 2, 3, 4) for d in (3, 9, 15, 21)]
    after = [("CHL", "PER", "042" if d % 2 else "057", f"2024-{m:02d}-{d:02d}") for m in (7, 8, 9) for d in (4, 11, 18, 25)]
    build(path, one_each(before + after))
    res = rel.relations(path, "PER", "CHL")
    u = res["uncertainty"]
    assert res["verdict"] == "easing" and u["ci95"][0] > 0 and u["confidence"] == "high"
    assert u["sources_recent"] == 12 and u["sources_baseline"] == 16


def test_one_against_one_is_insufficient_and_says_why(tmp_path):
    path = str(tmp_path / "s.duckdb")
    build(path, one_each([("KEN", "UGA", "190", "2022-03-01"), ("KEN", "UGA", "057", "2024-03-01")]))
    res = rel.relations(path, "UGA", "KEN")
    assert res["verdict"] == "insufficient data"
    assert res["uncertainty"]["ci95"] is None and "recent window" in res["uncertainty"]["reason"]


def test_copies_of_one_article_do_not_outweigh_independent_reports(tmp_path):
    """A clash told in one article copied eight times weighs as one event, in both countings."""
    path = str(tmp_path / "s.duckdb")
    base = one_each([("GHA", "TGO", "042", f"2023-0{m}-10") for m in (1, 2, 3, 4)])
    recent = one_each([("TGO", "GHA", "042", f"2024-0{m}-12") for m in (6, 7, 8)])
    clash = [("2024-08-20", [("TGO", "GHA", "190", "2024-08-20")], 8)]
    build(path, base + recent + clash)
    for mentions in (False, True):
        res = rel.relations(path, "GHA", "TGO", mentions=mentions)
        u = res["uncertainty"]
        assert u["n_recent"] == 4, mentions
        assert u["recent_mean"] == pytest.approx((3 * 1.9 - 10.0) / 4, abs=1e-3)
        assert u["sources_recent"] == 4


def test_a_window_from_one_article_has_low_confidence(tmp_path):
    """Many events of one article are one source: the verdict stands, its confidence is low."""
    path = str(tmp_path / "s.duckdb")
    base = one_each([("MAR", "DZA", "190", f"2022-{m:02d}-0{d}") for m in (1, 2, 3) for d in (1, 2)])
    one_article = [("2024-05-30", [("DZA", "MAR", "057", f"2024-05-{d:02d}") for d in range(1, 9)], 1)]
    build(path, base + one_article)
    res = rel.relations(path, "MAR", "DZA")
    u = res["uncertainty"]
    assert res["verdict"] == "easing" and u["n_recent"] == 8 and u["sources_recent"] == 1
    assert u["confidence"] == "low"
    cfg = dedup.load_config()
    cfg["relations"]["min_window_sources"] = 2
    _, strict = rel.verdict([8.0] * 8, [-10.0] * 6, cfg, sources=(1, 6))
    assert strict["difference"] is None and "1 source in the recent window" in strict["reason"]


def test_events_dated_after_publication_are_not_counted_or_shown(tmp_path):
    """An event dated months after its article (a misread timeline) is left out of the series,
    the verdict and the evidence, and counted apart."""
    path = str(tmp_path / "s.duckdb")
    base = one_each([("LBN", "JOR", "042", f"2023-0{m}-05") for m in (1, 2, 3)])
    recent = one_each([("JOR", "LBN", "042", f"2023-0{m}-07") for m in (8, 9)])
    late = [("2023-09-10", [("JOR", "LBN", "190", "2024-02-01"), ("LBN", "JOR", "112", "2023-10")], 1)]
    build(path, base + recent + late)
    res = rel.relations(path, "LBN", "JOR")
    assert res["after_publication"] == 2
    assert res["counted"] == 5
    assert all(s["period"] <= "2023-09" for s in res["series"])
    assert all(e["date"] <= "2023-09-10" for e in res["evidence_events"])
    assert res["uncertainty"]["n_recent"] + res["uncertainty"]["n_baseline"] == 5
    # dyads (per quarter) leave them out too
    row = next(d for d in rel.dyads(path, top=5) if d["dyad"] == ["JOR", "LBN"])
    q = rel.relations(path, "LBN", "JOR", freq="quarter")
    assert row["verdict"] == q["verdict"] and row["difference"] == q["uncertainty"]["difference"]
    assert set(row["evidence"]) <= {e["event_id"] for e in q["evidence_events"]}


def test_the_verdict_does_not_depend_on_event_order():
    cfg = dedup.load_config()
    r, b = [1.9, 8.0, -2.0, 1.9], [-10.0, -2.0, 1.9]
    assert rel.verdict(r, b, cfg) == rel.verdict(r[::-1], b[::-1], cfg)


def test_counts_say_what_they_count_and_agree(tmp_path):
    """dyads' `events` (all canonical events of the pair) and `counted` (those in the verdict)
    agree with relations' figures for the same pair, and the tables name what they count."""
    from click.testing import CliRunner

    from detente.cli_analysis import actors, dyads, relations

    path = str(tmp_path / "s.duckdb")
    base = one_each([("IRL", "GBR", "042", f"2023-0{m}-05") for m in (1, 2, 3)])
    late = [("2023-09-10", [("GBR", "IRL", "190", "2024-02-01")], 1)]
    build(path, base + late + one_each([("GBR", "IRL", "112", "2023-08-07")]))
    row = rel.dyads(path)[0]
    res = rel.relations(path, "GBR", "IRL", freq="quarter")
    assert row["counting"] == "events" and row["events"] == 5
    assert row["counted"] == res["counted"] == 4 and res["after_publication"] == 1
    r = CliRunner()
    table = r.invoke(dyads, ["--db", path]).output
    assert "canonical events" in table and "counted" in table.splitlines()[1]
    assert "reports (mentions)" in r.invoke(dyads, ["--db", path, "--mentions"]).output
    assert "canonical events" in r.invoke(actors, ["--db", path]).output
    rel_table = r.invoke(relations, ["GBR", "IRL", "--db", path, "--format", "table"]).output
    assert rel_table.splitlines()[0].startswith("GBR - IRL, per month: 4 canonical events counted")
    assert "1 dated after publication left out" in rel_table.splitlines()[0]
