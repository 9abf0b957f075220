"""Deduplication: near-duplicate documents and canonical events, on handmade articles."""
from __future__ import annotations

import hashlib

import pytest

from detente import dedup
from detente.errors import StoreError
from detente.model import Actor, Document, Event, Evidence, Place
from detente.store import Store

COUNTRY = {"IRN": "Iran", "AZE": "Azerbaijan", "ARM": "Armenia", "GEO": "Georgia", "TUR": "Turkey"}
PLOVER = {"04": "CONSULT", "05": "SUPPORT", "11": "ACCUSE", "03": "AGREE"}
QUAD = {"04": (1, 1.0), "05": (1, 3.5), "11": (3, -2.0), "03": (1, 4.0)}


def actor(iso: str, sector: str | None = "GOV") -> Actor:
    return Actor(text=COUNTRY[iso], name=None, country=iso, sector=sector, code=iso + (sector or ""))


def event(doc: Document, n: int, src: str, tgt: str, cameo: str, date: str | None,
          sentence: str, loc: str | None = None, modality: str = "asserted") -> Event:
    precision = {10: "day", 7: "month", 4: "year"}.get(len(date or ""), "unknown")
    start = doc.text.find(sentence)
    assert start >= 0, sentence
    quad, gold = QUAD[cameo[:2]]
    return Event(
        event_id=hashlib.sha256(f"{doc.id}|{n}".encode()).hexdigest()[:16], doc_id=doc.id,
        source=actor(src), target=actor(tgt), cameo=cameo, plover=PLOVER[cameo[:2]],
        quad_class=quad, goldstein=gold, date=date, date_precision=precision, date_basis="text",
        modality=modality, location=Place(COUNTRY[loc], loc, None, None) if loc else None,
        evidence=Evidence(sentence, start, start + len(sentence)), confidence=0.8)


def document(doc_id: str, text: str, date: str) -> Document:
    return Document(id=doc_id, text=text, origin=f"{doc_id}.txt",
                    content_hash=hashlib.sha256(text.encode()).hexdigest(), language="en", date=date)


VISIT = [
    ("v1", "On 1 April the Iranian presidential adviser Mehdi Sanayei travelled to Baku and met President "
           "Ilham Aliyev. The talks covered the North-South transport corridor and a new bridge over the Araz.",
     "IRN", "AZE", "042", "AZE"),
    ("v2", "Azerbaijan's president received an envoy from Tehran on Tuesday, 1 April 2025, in the capital. "
           "Officials in Baku described the conversation as frank and said trade was the main topic.",
     "AZE", "IRN", "040", "AZE"),
    ("v3", "Iranian and Azerbaijani officials held talks in Baku on 1 April, according to the foreign "
           "ministry, which said both sides wanted closer ties after years of tension in the region.",
     "IRN", "AZE", "040", None),
    ("v4", "Sanayei's trip to the Azerbaijani capital on April 1 was the highest-level contact in months; "
           "analysts in Yerevan and Tbilisi watched the meeting with Aliyev closely for signs of a thaw.",
     "IRN", "AZE", "043", "AZE"),
    ("v5", "A senior aide to Iran's president Masoud Pezeshkian met Azerbaijani leaders on 1 April 2025. "
           "Report.az published photographs of the delegation arriving at the presidential palace.",
     "IRN", "AZE", "040", None),
]


@pytest.fixture()
def db(tmp_path):
    path = str(tmp_path / "d.duckdb")
    with Store(path) as store:
        for doc_id, text, src, tgt, cameo, loc in VISIT:
            doc = document(doc_id, text, "2025-04-02")
            first = text.split(". ")[0]
            store.add(doc, [event(doc, 0, src, tgt, cameo, "2025-04-01", first, loc)])
        # a syndicated copy of v1 under another id (another URL), with the agency's footer
        text = VISIT[0][1] + " Copyright 2025 Caucasus Wire. All rights reserved."
        doc = document("v1-copy", text, "2025-04-03")
        store.add(doc, [event(doc, 0, "IRN", "AZE", "042", "2025-04-01", text.split(". ")[0], "AZE")])
        # the same day, the same pair, but an accusation: another event
        text = ("Also on 1 April, Azerbaijani officials accused Iran of backing militant groups in the south, "
                "a charge Tehran denied.")
        doc = document("acc", text, "2025-04-02")
        store.add(doc, [event(doc, 0, "AZE", "IRN", "112", "2025-04-01", text)])
        # two meetings of Armenia and Azerbaijan on different days, and a month-only report of one
        for doc_id, day in (("m1", "2025-05-10"), ("m2", "2025-05-20")):
            text = (f"The foreign ministers of Armenia and Azerbaijan met on {day} to discuss the peace treaty "
                    f"and the border commission, their {'first' if doc_id == 'm1' else 'second'} round in May.")
            doc = document(doc_id, text, day)
            store.add(doc, [event(doc, 0, "ARM", "AZE", "040", day, text)])
        text = "Armenian and Azerbaijani diplomats held negotiations in May 2025, officials in Yerevan said."
        doc = document("m-month", text, "2025-06-01")
        store.add(doc, [event(doc, 0, "AZE", "ARM", "040", "2025-05", text)])
        # an agreement known only to the month
        text = "Georgia and Turkey agreed in June 2025 to extend the railway line to Kars, a statement said."
        doc = document("g1", text, "2025-06-30")
        store.add(doc, [event(doc, 0, "GEO", "TUR", "057", "2025-06", text)])
    return path


def test_exact_count_of_canonical_events(db):
    stats = dedup.rebuild(db)
    assert stats["canonical_events"] == 5
    assert stats["reports"] == 11
    evs = dedup.canonical_events(db)
    assert len(evs) == 5
    key = sorted((e["date"], e["cameo"][:2], e["source"]["country"], e["target"]["country"]) for e in evs)
    assert [k[:2] for k in key] == [("2025-04-01", "04"), ("2025-04-01", "11"), ("2025-05-10", "04"),
                                    ("2025-05-20", "04"), ("2025-06", "05")]


def test_visit_mentions_sources_and_reports(db):
    dedup.rebuild(db)
    visit = [e for e in dedup.canonical_events(db, dyad=("IRN", "AZE")) if e["cameo"].startswith("04")]
    assert len(visit) == 1
    v = visit[0]
    # five articles and a copy: the copy is not a source of its own, nor a mention
    assert v["sources"] == 5
    assert v["mentions"] == 5
    assert len(v["reports"]) == 6
    assert {r["doc_id"] for r in v["reports"]} == {"v1", "v2", "v3", "v4", "v5", "v1-copy"}
    assert all(r["evidence"]["sentence"] for r in v["reports"])
    assert [r["counted"] for r in v["reports"] if r["doc_id"] == "v1-copy"] == [False]
    # the representative: the most specific code of the earliest report, in the event schema
    assert v["cameo"] == "042" and v["doc_id"] == "v1"
    assert v["first_report"]["doc_id"] in {"v1", "v2", "v3", "v4", "v5"}
    assert v["first_report"]["date"] == "2025-04-02"
    assert v["location"]["country"] == "AZE"


def test_copies_grouped(db):
    import duckdb

    dedup.rebuild(db)
    con = duckdb.connect(db, read_only=True)
    try:
        groups = dict(con.execute("SELECT doc_id, group_id FROM doc_groups").fetchall())
    finally:
        con.close()
    assert groups["v1-copy"] == groups["v1"] == "v1"
    assert len({groups[d] for d in ("v1", "v2", "v3", "v4", "v5")}) == 5


def test_month_report_does_not_chain_two_days(db):
    dedup.rebuild(db)
    evs = dedup.canonical_events(db, dyad=("ARM", "AZE"))
    assert sorted(e["date"] for e in evs) == ["2025-05-10", "2025-05-20"]
    assert sorted(e["mentions"] for e in evs) == [1, 2]


def test_day_tolerance_from_data(db, tmp_path):
    cfg = (tmp_path / "d.toml")
    cfg.write_text("[events]\nday_tolerance = 10\n")  # a settings file: the other keys keep their defaults
    stats = dedup.rebuild(db, config=str(cfg))
    assert stats["canonical_events"] == 4  # the two May meetings are now one


def test_rebuild_idempotent_and_stale(db):
    first = dedup.rebuild(db)
    assert dedup.rebuild(db) == {"fresh": 1}
    again = dedup.rebuild(db, force=True)
    assert again == first
    with Store(db) as store:
        text = "Turkey and Georgia signed the railway agreement on 12 June 2025 in Tbilisi, officials said."
        doc = document("g2", text, "2025-06-12")
        store.add(doc, [event(doc, 0, "TUR", "GEO", "057", "2025-06-12", text)])
    # stale tables: a read never rebuilds them; it says so, with the fix (docs/store.md)
    with pytest.raises(StoreError, match="older than its documents and events; run detente dedup ") as info:
        list(dedup.list_events(db, dyad=("GEO", "TUR")))
    assert info.value.error_code == "DTE306" and len(str(info.value).splitlines()) == 1
    assert dedup.rebuild(db)["canonical_events"] == 5
    evs = list(dedup.list_events(db, dyad=("GEO", "TUR")))
    assert len(evs) == 1 and evs[0]["date"] == "2025-06-12" and evs[0]["mentions"] == 2


def test_list_events_shape_and_filters(db):
    dedup.rebuild(db)
    evs = list(dedup.list_events(db))
    assert [e["date"] for e in evs] == sorted(e["date"] for e in evs)
    for e in evs:
        assert {"event_id", "doc_id", "source", "target", "cameo", "evidence", "mentions", "sources"} <= set(e)
        assert "reports" not in e
    with_reports = list(dedup.list_events(db, actor="GEO", mentions=True))
    assert len(with_reports) == 1 and len(with_reports[0]["reports"]) == 1
    assert [e["date"] for e in dedup.list_events(db, since="2025-05", until="2025-05")] == ["2025-05-10", "2025-05-20"]


def test_signature_similarity():
    import numpy as np

    a = VISIT[0][1] * 3
    b = a + " Copyright 2025 Caucasus Wire."
    sa, sb, sc = (np.frombuffer(dedup.doc_signature(t), dtype=np.uint32) for t in (a, b, VISIT[1][1] * 3))
    assert (sa == sb).mean() > 0.7
    assert (sa == sc).mean() < 0.2


def test_missing_database(tmp_path):
    from detente.errors import StoreError

    with pytest.raises(StoreError):
        list(dedup.list_events(str(tmp_path / "none.duckdb")))


def test_reports_are_read_block_by_block_once_each(db):
    """The dedup stage reads the store one block (country pair, modality group) at a time:
    every report once, each block's reports in row order, no block split in two."""
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        cfg = dedup.load_config()
        blocks = list(dedup._report_blocks(con, cfg, batch=2))  # batches smaller than a block
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        con.close()
    keys = [{(min(r["source_country"], r["target_country"]), max(r["source_country"], r["target_country"]),
              r["modality"]) for r in b} for b in blocks]
    assert all(len(k) == 1 for k in keys)
    assert len({next(iter(k)) for k in keys}) == len(blocks)  # a block is read in one piece
    assert sum(len(b) for b in blocks) == n_events == 11
    assert all([r["row_id"] for r in b] == sorted(r["row_id"] for r in b) for b in blocks)
    assert {next(iter(k))[:2] for k in keys} == {("AZE", "IRN"), ("ARM", "AZE"), ("GEO", "TUR")}
