"""The DuckDB store: round trip, idempotence, replacement, queries, summary, export, errors."""
from __future__ import annotations

import hashlib
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from detente.errors import StoreError, UsageError
from detente.model import Actor, Document, Event, Evidence, Place, Rejected
from detente.store import SCHEMA_VERSION, Store

IRN = Actor("Iran", "Iran", "IRN", None, "IRN")
IRNGOV = Actor("the Iranian government", None, "IRN", "GOV", "IRNGOV")
SAU = Actor("Saudi Arabia", "Saudi Arabia", "SAU", None, "SAU")
USA = Actor("Washington", None, "USA", "GOV", "USAGOV")
CHN = Actor("Beijing", None, "CHN", "GOV", "CHNGOV")
TEHRAN = Place("Tehran", "IRN", 35.69439, 51.42151, 112931)


def doc(doc_id: str, text: str = "Some text.", **kw) -> Document:
    return Document(
        id=doc_id,
        text=text,
        origin=kw.pop("origin", f"{doc_id}.txt"),
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        language=kw.pop("language", "en"),
        **kw,
    )


def event(doc_id: str, n: int, source=IRN, target=SAU, date="2023-03-10", **kw) -> Event:
    precision = {10: "day", 7: "month", 4: "year"}.get(len(date or ""), "unknown")
    fields = dict(
        event_id=f"{doc_id}-{n}",
        doc_id=doc_id,
        source=source,
        target=target,
        cameo="042",
        plover="CONSULT",
        quad_class=1,
        goldstein=1.9,
        date=date,
        date_precision=precision,
        date_basis="text",
        modality="asserted",
        location=None,
        evidence=Evidence("Iran met Saudi Arabia.", 0, 22),
        confidence=0.8,
    )
    fields.update(kw)
    return Event(**fields)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "detente.duckdb")


def ids(records) -> list[str]:
    return [r["event_id"] for r in records]


# -- round trip ------------------------------------------------------------------------


def test_round_trip_equals_to_dict(db):
    events = [
        event("d1", 1, location=TEHRAN, confidence=0.123456789),
        event("d1", 2, source=None, target=None, date=None, date_basis="document",
              plover=None, cameo="010", goldstein=0.0,
              evidence=Evidence("«Téhéran» — 伊朗 said nothing. 🙂", 5, 36)),
        event("d1", 3, source=IRNGOV, target=None, modality="negated", quad_class=4,
              cameo="190", plover="ASSAULT", goldstein=-10.0,
              location=Place("somewhere", None, None, None)),
        event("d1", 4, date="2023-03", extra={"mentions": ["d1-4", "d9-1"], "sources": 2,
                                              "note": "ünïcode"}),
    ]
    with Store(db) as store:
        assert store.add(doc("d1", "Iran met Saudi Arabia. «Téhéran» — 伊朗 said nothing. 🙂"),
                         events) == "added"
        got = {r["event_id"]: r for r in store.events()}
    assert set(got) == {e.event_id for e in events}
    for e in events:
        assert got[e.event_id] == e.to_dict()
        # the same JSON text, key order included
        assert json.dumps(got[e.event_id], ensure_ascii=False) == json.dumps(
            e.to_dict(), ensure_ascii=False)
    assert got["d1-2"]["source"] is None and got["d1-2"]["target"] is None
    assert got["d1-2"]["location"] is None
    assert got["d1-3"]["location"] == {"name": "somewhere", "country": None, "lat": None,
                                      "lon": None, "geonameid": None}


def test_documents_round_trip(db):
    d = doc("d1", "Text ü.", date="2023-01-02", date_source="header", title="T", url="http://x",
            source="wire", removed=("Subscribe now", "Cookies"))
    with Store(db) as store:
        store.add(d, [])
        (row,) = list(store.documents())
    for key in ("id", "origin", "date", "date_source", "title", "url", "source", "language",
                "content_hash", "text"):
        assert row[key] == getattr(d, key)
    assert row["removed"] == ["Subscribe now", "Cookies"]
    assert row["ingested_at"].endswith("Z")


def test_event_of_another_document_is_refused(db):
    with Store(db) as store, pytest.raises(ValueError):
        store.add(doc("d1"), [event("d2", 1)])


# -- idempotence, replacement, reopen ---------------------------------------------------


def test_re_adding_the_same_document_adds_nothing(db):
    d = doc("d1", "Iran met Saudi Arabia.")
    with Store(db) as store:
        assert store.document_status("d1", d.content_hash) == "new"
        assert store.add(d, [event("d1", 1), event("d1", 2)]) == "added"
        assert store.document_status("d1", d.content_hash) == "unchanged"
        assert store.add(d, [event("d1", 1), event("d1", 2)]) == "unchanged"
        first = store.summary()
    with Store(db) as store:
        assert store.document_status("d1", d.content_hash) == "unchanged"
        assert store.add(d, [event("d1", 1), event("d1", 2), event("d1", 3)]) == "unchanged"
        assert store.summary() == first
        assert first["documents"] == 1 and first["events"] == 2
        assert list(store.revisions()) == []


def test_new_text_replaces_document_and_its_events(db):
    old, new = doc("d1", "Old text."), doc("d1", "New text.")
    with Store(db) as store:
        store.add(old, [event("d1", 1), event("d1", 2)])
        store.add(doc("d2"), [event("d2", 1)])
    with Store(db) as store:
        assert store.document_status("d1", new.content_hash) == "changed"
        assert store.add(new, [event("d1", 9, target=USA)]) == "replaced"
        assert store.document_status("d1", new.content_hash) == "unchanged"
    with Store(db, read_only=True) as store:
        assert ids(store.events()) == ["d1-9", "d2-1"]
        docs = {d["id"]: d for d in store.documents()}
        assert docs["d1"]["text"] == "New text." and len(docs) == 2
        (rev,) = list(store.revisions())
        assert (rev["doc_id"], rev["old_hash"], rev["new_hash"]) == (
            "d1", old.content_hash, new.content_hash)


def test_replacement_within_one_buffer(db):
    a, b, c = doc("d1", "A."), doc("d1", "B."), doc("d1", "C.")
    with Store(db, flush_every=100) as store:
        store.add(a, [event("d1", 1)])
        assert store.add(b, [event("d1", 2)]) == "replaced"
        assert store.add(c, [event("d1", 3)]) == "replaced"
        assert ids(store.events()) == ["d1-3"]
        assert [r["new_hash"] for r in store.revisions()] == [b.content_hash, c.content_hash]
        assert store.summary()["documents"] == 1


def test_flushes_in_batches_and_reopen_keeps_data(db):
    with Store(db, flush_every=3) as store:
        for i in range(10):
            store.add(doc(f"d{i:02d}", f"text {i}"), [event(f"d{i:02d}", k) for k in range(4)])
        # 9 documents went in three flushes; the tenth is still buffered
        assert len(store._docs) == 1
    with Store(db) as store:
        s = store.summary()
        assert (s["documents"], s["events"]) == (10, 40)
        assert store.document_status("d09", doc("d09", "text 9").content_hash) == "unchanged"


def test_flushed_rows_survive_an_abandoned_store(db):
    store = Store(db, flush_every=2)
    for i in range(3):
        store.add(doc(f"d{i}", f"t{i}"), [event(f"d{i}", 1)])
    store._abandon()  # as if the process died: the third document was never flushed
    with Store(db) as again:
        assert [d["id"] for d in again.documents()] == ["d0", "d1"]


def test_context_manager_flushes_when_the_block_raises(db):
    with pytest.raises(RuntimeError), Store(db, flush_every=100) as store:
        store.add(doc("d1"), [event("d1", 1)])
        raise RuntimeError("boom")
    with Store(db) as store:
        assert store.summary()["events"] == 1


def test_a_bad_document_costs_only_itself(db):
    unstored = []
    with Store(db, flush_every=100, on_reject=lambda *a: unstored.append(a)) as store:
        store.add(doc("d1"), [event("d1", 1)])
        store.add(doc("d2"), [event("d2", 1, cameo=None)])          # NOT NULL in DuckDB
        store.add(doc("d3"), [event("d3", 1, quad_class="one")])    # not an int for Arrow
        store.add(doc("d4"), [event("d4", 1)])
        store.add_rejected(Rejected("x.bin", "unsupported file type"))
        store.flush()  # the good documents are stored, the bad ones rejected: no error
        assert [d["id"] for d in store.documents()] == ["d1", "d4"]
        assert ids(store.events()) == ["d1-1", "d4-1"]
        rows = [(r["origin"], r["doc_id"], r["reason"]) for r in store.rejected()]
        assert rows[0] == ("x.bin", None, "unsupported file type")
        assert [r[:2] for r in rows[1:]] == [("d2.txt", "d2"), ("d3.txt", "d3")]
        assert rows[1][2].startswith("cannot store the document: ") and "cameo" in rows[1][2]
        assert [(r.doc_id, status, n) for r, status, n in unstored] == [("d2", "added", 1), ("d3", "added", 1)]
        assert store.document_status("d2", doc("d2").content_hash) == "new"


def test_a_failed_replacement_keeps_the_stored_version(db):
    with Store(db) as store:
        store.add(doc("d1", "old"), [event("d1", 1)])
    with Store(db) as store:
        assert store.add(doc("d1", "new"), [event("d1", 2, cameo=None)]) == "replaced"
        store.flush()
        assert store.document_status("d1", doc("d1", "old").content_hash) == "unchanged"
        assert ids(store.events()) == ["d1-1"]
        assert list(store.revisions()) == []
        assert [r["doc_id"] for r in store.rejected()] == ["d1"]


# -- rejected ---------------------------------------------------------------------------


def test_rejected_rows(db):
    with Store(db) as store:
        store.add_rejected(Rejected("in/a.bin", "unsupported file type"))
        store.add_rejected(Rejected("in/b.jsonl:3", "malformed JSON line", doc_id="b-3"))
    with Store(db) as store:
        rows = list(store.rejected())
        assert [(r["origin"], r["doc_id"], r["reason"]) for r in rows] == [
            ("in/a.bin", None, "unsupported file type"),
            ("in/b.jsonl:3", "b-3", "malformed JSON line"),
        ]
        assert store.summary()["rejected"] == 2


# -- queries ----------------------------------------------------------------------------


@pytest.fixture
def filled(db):
    with Store(db) as store:
        store.add(doc("a"), [
            event("a", 1, IRN, SAU, "2023-01-20"),
            event("a", 2, SAU, IRNGOV, "2023-01"),
            event("a", 3, IRN, USA, "2023"),
            event("a", 4, USA, CHN, "2022-12-31"),
            event("a", 5, IRN, None, None),
            event("a", 6, None, SAU, "2023-02-01"),
        ])
        store.add(doc("b"), [
            event("b", 1, SAU, IRN, "2023-01-20"),
            event("b", 2, CHN, USA, "2024-06"),
            event("b", 3, IRN, IRNGOV, "2023-01-05"),
        ])
    return db


def test_order_by_date_doc_event(filled):
    with Store(filled, read_only=True) as store:
        assert ids(store.events()) == [
            "a-4", "a-3", "a-2", "b-3", "a-1", "b-1", "a-6", "b-2", "a-5"]


def test_dyad_is_both_directions(filled):
    with Store(filled, read_only=True) as store:
        assert ids(store.events(dyad=("IRN", "SAU"))) == ["a-2", "a-1", "b-1"]
        assert ids(store.events(dyad=("sau", "irn"))) == ["a-2", "a-1", "b-1"]
        # an actor code matches too
        assert ids(store.events(dyad=("IRNGOV", "SAU"))) == ["a-2"]
        assert ids(store.events(dyad=("USA", "CHN"))) == ["a-4", "b-2"]
        assert ids(store.events(dyad=("IRN", "IRN"))) == ["b-3"]


def test_actor_is_either_side(filled):
    with Store(filled, read_only=True) as store:
        assert ids(store.events(actor="USA")) == ["a-4", "a-3", "b-2"]
        assert ids(store.events(actor="SAU")) == ["a-2", "a-1", "b-1", "a-6"]
        assert ids(store.events(actor="IRNGOV")) == ["a-2", "b-3"]


def test_since_until_with_month_and_year_precision(filled):
    with Store(filled, read_only=True) as store:
        # 2023 counts as 2023-01-01 and 2023-01 as 2023-01-01: before the 15th
        assert ids(store.events(since="2023-01-15")) == ["a-1", "b-1", "a-6", "b-2"]
        assert ids(store.events(since="2023-01")) == ["a-3", "a-2", "b-3", "a-1", "b-1", "a-6", "b-2"]
        assert ids(store.events(since="2023")) == ids(store.events(since="2023-01"))
        assert ids(store.events(since="2023-01-01")) == ids(store.events(since="2023-01"))
        # until is inclusive and takes all of a month or year
        assert ids(store.events(until="2022-12-31")) == ["a-4"]
        assert ids(store.events(until="2023-01-01")) == ["a-4", "a-3", "a-2"]
        assert ids(store.events(until="2023-01")) == ["a-4", "a-3", "a-2", "b-3", "a-1", "b-1"]
        assert ids(store.events(until="2023")) == ["a-4", "a-3", "a-2", "b-3", "a-1", "b-1", "a-6"]
        assert ids(store.events(since="2023-01-06", until="2023-01-31")) == ["a-1", "b-1"]
        assert ids(store.events(dyad=("IRN", "SAU"), since="2023-01-10")) == ["a-1", "b-1"]
        assert ids(store.events(actor="CHN", since="2024")) == ["b-2"]


def test_bad_date_argument(filled):
    with Store(filled, read_only=True) as store:
        with pytest.raises(UsageError):
            store.events(since="Jan 2023")  # raised at the call, before iterating
        with pytest.raises(UsageError):
            store.events(until="2023-1-5")


def test_reversed_or_impossible_date_range_is_an_error(filled):
    with Store(filled, read_only=True) as store:
        with pytest.raises(UsageError, match="reversed"):
            store.events(since="2023-02", until="2023-01-31")
        with pytest.raises(UsageError, match="reversed"):
            store.events(since="2024", until="2023-12")
        with pytest.raises(UsageError, match="2023-02-30"):
            store.events(since="2023-02-30")
        # a day inside the month it ends with is no reversal
        assert ids(store.events(since="2023-01-06", until="2023-01")) == ["a-1", "b-1"]
    from detente import dedup

    with pytest.raises(UsageError, match="reversed"):
        list(dedup.list_events(filled, since="2023-03", until="2023-02"))
    with pytest.raises(UsageError, match="reversed"):
        dedup.count_events(filled, since="2023-03", until="2023-02")


def test_summary_pairs(filled):
    with Store(filled, read_only=True) as store:
        s = store.summary()
        assert (s["documents"], s["events"], s["rejected"]) == (2, 9, 0)
        assert s["pairs"] == [("IRN", "SAU", 3), ("CHN", "USA", 2), ("IRN", "USA", 1)]
        assert store.summary(top=1)["pairs"] == [("IRN", "SAU", 3)]


# -- export -----------------------------------------------------------------------------


def test_export_parquet(filled, tmp_path):
    with Store(filled) as store:
        store.add_rejected(Rejected("x.bin", "unsupported file type"))
        paths = store.export_parquet(str(tmp_path / "out" / "pq"))
    assert [p.rsplit("/", 1)[1] for p in paths] == [
        "documents.parquet", "events.parquet", "rejected.parquet"]
    counts = [pq.read_table(p).num_rows for p in paths]
    assert counts == [2, 9, 1]
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_parquet('{paths[1]}')").fetchone() == (9,)
    events = pq.read_table(paths[1])
    assert "source_country" in events.column_names and "evidence_sentence" in events.column_names
    assert pq.read_table(paths[0]).column("removed").type.value_type == "string"


# -- opening ----------------------------------------------------------------------------


def test_parent_directory_is_created(tmp_path):
    path = tmp_path / "a" / "b" / "detente.duckdb"
    with Store(str(path)) as store:
        store.add(doc("d1"), [])
    assert path.exists()


def test_corrupt_file_is_a_store_error(tmp_path):
    path = tmp_path / "not.duckdb"
    path.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError) as err:
        Store(str(path))
    message = str(err.value)
    assert message.startswith(f"cannot open database {path}: ")
    assert "\n" not in message


def test_missing_file_read_only_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open database"):
        Store(str(tmp_path / "missing.duckdb"), read_only=True)


def test_other_schema_version_is_a_store_error(db):
    Store(db).close()
    con = duckdb.connect(db)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="schema version 999"):
        Store(db)


def test_meta_and_read_only(db):
    with Store(db) as store:
        store.add(doc("d1"), [])
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),)
    con.close()
    with Store(db, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.add(doc("d2"), [])
        assert store.summary()["documents"] == 1
