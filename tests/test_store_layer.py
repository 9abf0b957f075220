"""The storage layer (issue 13, items 1 and 2): one package, two backends (a DuckDB file, a
Parquet folder read lazily), public queries, one filter builder, and derived tables built when
data is written (``ingest``, ``detente dedup``), never on a read."""
from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from test_dedup import VISIT, document, event

from detente import dedup, relations, store as st
from detente.cli import cli
from detente.errors import StoreError
from detente.store import Store

SRC = Path(__file__).resolve().parents[1] / "src" / "detente"


def _docs():
    """(document, events) pairs: the Iran-Azerbaijan visit told five times, and a copy of one."""
    out = []
    for doc_id, text, src, tgt, cameo, loc in VISIT:
        doc = document(doc_id, text, "2025-04-02")
        out.append((doc, [event(doc, 0, src, tgt, cameo, "2025-04-01", text.split(". ")[0], loc)]))
    text = VISIT[0][1] + " Copyright 2025 Caucasus Wire. All rights reserved."
    doc = document("v1-copy", text, "2025-04-03")
    out.append((doc, [event(doc, 0, "IRN", "AZE", "042", "2025-04-01", text.split(". ")[0], "AZE")]))
    for doc_id, day in (("m1", "2025-05-10"), ("m2", "2025-05-20")):
        text = f"The foreign ministers of Armenia and Azerbaijan met on {day} to discuss the peace treaty."
        doc = document(doc_id, text, day)
        out.append((doc, [event(doc, 0, "ARM", "AZE", "040", day, text)]))
    return out


def _duckdb_store(path: Path, docs=None) -> str:
    with Store(str(path)) as store:
        for doc, evs in docs or _docs():
            store.add(doc, evs)
    return str(path)


def _parquet_store(root: Path, docs=None) -> str:
    """The layout of ``ingest --engine dask --parquet`` (documents and events partitioned by
    date), written with the storage layer's rows, without a cluster."""
    from detente.distributed import partition_of

    now = st.utc_now()
    parts: dict[tuple, list] = {}
    for doc, evs in docs or _docs():
        parts.setdefault(("documents", partition_of(doc.date)), []).append(st.document_row(doc, now))
        for ev in evs:
            parts.setdefault(("events", partition_of(ev.date)), []).append(st.event_row(ev))
    for (table, (year, month)), rows in parts.items():
        folder = root / table / f"year={year}" / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        columns = st.DOCUMENT_COLUMNS if table == "documents" else st.EVENT_COLUMNS
        pq.write_table(st.arrow_table(columns, rows), folder / "part-0.parquet")
    return str(root)


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _readers(db):
    """Every public reader of canonical events, as calls on ``db``."""
    return {
        "list_events": lambda: list(st.list_events(db)),
        "canonical_events": lambda: st.canonical_events(db),
        "count_events": lambda: st.count_events(db),
        "events_page": lambda: st.events_page(db),
        "counts": lambda: st.counts(db),
        "event_detail": lambda: st.event_detail(db, "x"),
        "event_documents": lambda: st.event_documents(db, ["x"]),
        "relations": lambda: relations.relations(db, "IRN", "AZE"),
        "dyads": lambda: relations.dyads(db),
        "actors": lambda: relations.actors(db),
    }


def test_reads_never_build_derived_tables_and_say_how_to_fix_it(tmp_path):
    db = _duckdb_store(tmp_path / "s.duckdb")
    before = _digest(db)
    for name, read in _readers(db).items():
        with pytest.raises(StoreError) as info:
            read()
        msg = str(info.value)
        assert info.value.error_code == "DTE306", name
        assert msg == f"the store {db} has no derived tables (canonical events) yet; run detente dedup {db}", name
    assert _digest(db) == before  # nothing written
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'canonical_events'"
                       ).fetchone() == (0,)
    con.close()
    # reports need no derived table
    with Store(db, read_only=True) as store:
        reports = list(store.events())
    assert len(reports) == 8 and list(st.events(db)) == reports


def test_detente_dedup_builds_them_once_and_reads_work(tmp_path):
    db = _duckdb_store(tmp_path / "s.duckdb")
    run = CliRunner().invoke(cli, ["dedup", db])
    assert run.exit_code == 0, run.output
    assert run.output == f"{db}: 8 documents in 6 article groups, 8 reports merged into 3 canonical events\n"
    assert CliRunner().invoke(cli, ["dedup", db]).output == (
        f"{db}: the derived tables are up to date (--force builds them again)\n")
    assert CliRunner().invoke(cli, ["dedup", db, "--force"]).output == run.output
    assert st.count_events(db) == 3 == len(st.canonical_events(db))
    assert st.counts(db) == {"documents": 8, "events": 8, "canonical_events": 3}
    # stale after more data: the reader says so, the command line in one line, exit 2
    with Store(db) as store:
        doc = document("g1", "Georgia and Turkey agreed in June 2025 to extend the railway line.", "2025-06-30")
        store.add(doc, [event(doc, 0, "GEO", "TUR", "057", "2025-06", doc.text)])
    res = CliRunner().invoke(cli, ["events", "--db", db])
    assert res.exit_code == 2
    assert res.output.splitlines() == [f"detente: the store {db} has derived tables (canonical events) older "
                                       f"than its documents and events; run detente dedup {db}"]
    assert CliRunner().invoke(cli, ["dedup", db]).exit_code == 0
    assert st.count_events(db, actor="GEO") == 1


def test_dedup_command_help_and_errors(tmp_path):
    help_text = CliRunner().invoke(cli, ["dedup", "--help"]).output
    assert "derived tables" in help_text and "--force" in help_text and "Parquet" in help_text
    missing = str(tmp_path / "none.duckdb")
    res = CliRunner().invoke(cli, ["dedup", missing])
    assert res.exit_code == 2 and res.output.splitlines() == [f"detente: no such database: {missing}"]
    assert not Path(missing).exists()  # not created


def test_parquet_store_is_read_lazily_and_answers_as_the_duckdb_store(tmp_path):
    docs = _docs()
    db = _duckdb_store(tmp_path / "s.duckdb", docs)
    root = _parquet_store(tmp_path / "parquet", docs)
    with pytest.raises(StoreError, match=r"no derived tables .*; run detente dedup .*parquet$"):
        relations.dyads(root)
    assert dedup.rebuild(db) == dedup.rebuild(root)
    assert sorted(p.name for p in (tmp_path / "parquet" / "_derived").iterdir()) == [
        "canonical_events.parquet", "dedup_state.parquet", "doc_groups.parquet", "event_map.parquet"]
    assert dedup.rebuild(root) == {"fresh": 1}
    # views over the files, not tables loaded into memory
    with st.open_store(root) as backend:
        kinds = dict(backend.con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
    assert kinds == {t: "VIEW" for t in ("documents", "events", *st.DERIVED_TABLES)}
    for kw in ({}, {"mentions": True}, {"dyad": ("AZE", "IRN")}, {"actor": "ARM", "since": "2025-05-15"}):
        assert list(st.list_events(root, **kw)) == list(st.list_events(db, **kw)), kw
    assert st.events_page(root, limit=1, offset=1) == st.events_page(db, limit=1, offset=1)
    with Store(db, read_only=True) as store:
        assert list(st.documents(db)) == list(store.documents())
    written_at = {d.pop("ingested_at") for d in st.documents(root)}  # the time each store was written
    assert [{k: v for k, v in d.items() if k != "ingested_at"} for d in st.documents(root)] == [
        {k: v for k, v in d.items() if k != "ingested_at"} for d in st.documents(db)] and len(written_at) == 1
    assert st.counts(root) == st.counts(db)
    for freq in ("month", "year"):
        assert relations.relations(root, "IRN", "AZE", freq=freq) == relations.relations(db, "IRN", "AZE", freq=freq)
    assert relations.dyads(root, mentions=True) == relations.dyads(db, mentions=True)
    assert relations.actors(root, by="code") == relations.actors(db, by="code")
    cid = st.canonical_events(db)[0]["event_id"]
    assert st.event_detail(root, cid) == st.event_detail(db, cid)
    # and through the command line
    for args in (["relations", "IRN", "AZE"], ["events", "--mentions"], ["dyads"]):
        a = CliRunner().invoke(cli, [*args, "--db", root])
        b = CliRunner().invoke(cli, [*args, "--db", db])
        assert a.exit_code == 0 and a.output == b.output and a.output, args


def test_one_filter_builder_for_reports_and_canonical_events(tmp_path):
    db = _duckdb_store(tmp_path / "s.duckdb")
    dedup.rebuild(db)
    with Store(db, read_only=True) as store:
        for kw in ({"dyad": ("aze", "irn")}, {"actor": "ARMGOV"}, {"since": "2025-05-11"}, {"until": "2025-04"}):
            reports = list(store.events(**kw))
            assert reports == list(st.events(db, **kw)), kw
            canonical = {e["event_id"] for e in st.list_events(db, **kw)}
            assert canonical <= {e["event_id"] for e in reports} and canonical, kw
    # the conditions exist once, in detente.store.filters
    owners = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
              if "_country = ? OR" in p.read_text(encoding="utf-8")]
    assert owners == ["store/filters.py"]


def test_totals_are_counted_in_sql_not_by_reading(tmp_path, monkeypatch):
    db = _duckdb_store(tmp_path / "s.duckdb")
    dedup.rebuild(db)
    from detente.store import query

    read = []
    real = query._records

    def records(*a, **k):
        for rec in real(*a, **k):
            read.append(rec["event_id"])
            yield rec

    monkeypatch.setattr(query, "_records", records)
    rows, total = st.events_page(db, limit=1)
    assert total == 3 and len(rows) == 1 and len(read) == 1


_MINE = ("store", "dedup.py", "relations.py", "distributed.py", "serve", "snapshot.py", "cli.py", "cli_analysis.py")


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_imports_another_modules_private_names():
    """store, dedup, relations, distributed, serve, snapshot and the CLI use each other's public
    names only (``_ensure``, ``_fetch``, ``_q``, ``_filters``, store's helpers... are gone)."""
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if not rel.startswith(_MINE):
            continue
        here = _module(path)
        package = here.rsplit(".", 1)[0] if path.name != "__init__.py" else here
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("detente"):
                same = node.module == here or node.module.startswith(package + ".") and package != "detente"
                for alias in node.names:
                    if alias.name.startswith("_") and not same:
                        bad.append(f"{rel}: from {node.module} import {alias.name}")
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id in ("dedup", "store", "relations")):
                bad.append(f"{rel}: {node.value.id}.{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr == "_connection" and not rel.startswith("store/"):
                bad.append(f"{rel}: ._connection")
    assert bad == []


def test_the_old_names_stay_importable():
    from detente.store import (  # noqa: F401
        _DOCUMENT_COLUMNS, _EVENT_COLUMNS, FLUSH_EVERY_ENV, SCHEMA_VERSION, _arrow, _event_record, _event_row,
        _now, check_schema, db_error_cause, storable,
    )
    from detente.distributed import attach_parquet  # noqa: F401

    assert dedup.list_events is st.list_events and dedup.events_page is st.events_page
    assert relations.check_codes is st.check_codes
