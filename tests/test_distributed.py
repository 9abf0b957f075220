"""Scale-out on Dask (detente.distributed): a 2-worker LocalCluster gets exactly the events of
the local engine, writes date-partitioned Parquet incrementally, and DuckDB queries it."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from detente.distributed import partition_of

# Handwritten news-style documents: countries, officials, dates (one undated, one dated by
# month in the text only, one French).
CORPUS = [
    ("n01", "2017-02-14", "The United States condemned North Korea on Tuesday after Pyongyang "
     "tested a ballistic missile over the Sea of Japan. Japan and South Korea called for an "
     "emergency meeting of the UN Security Council."),
    ("n02", "2017-02-20", "Chinese Premier Li Qiang met his Russian counterpart Mikhail "
     "Mishustin in Beijing on Monday. China and Russia pledged to deepen cooperation on trade."),
    ("n03", "2017-03-02", "Iran accused Saudi Arabia of backing militants in Yemen. Saudi "
     "officials rejected the accusation and said Tehran was arming the Houthis."),
    ("n04", "2017-03-15", "Germany hosted talks between Ukraine and Russia in Berlin on Wednesday. "
     "The German chancellor urged both sides to respect the ceasefire."),
    ("n05", "2017-04-07", "The United States launched missile strikes on a Syrian air base on "
     "Friday. Russia denounced the attack and suspended an air safety agreement with Washington."),
    ("n06", "2017-04-19", "India and Pakistan exchanged fire across the Line of Control in "
     "Kashmir. Pakistan summoned the Indian envoy to protest."),
    ("n07", None, "Turkey threatened to suspend its migrant agreement with the European Union. "
     "The Turkish president accused European leaders of hypocrisy."),
    ("n08", "2017-05-11", "France and Germany agreed to draft a joint plan for the euro zone. The "
     "French president visited Berlin on Monday, his first trip abroad."),
    ("n09", "2017-05-23", "Egypt carried out air strikes on militant camps in Libya after an "
     "attack on Christians. Libya's eastern government welcomed the strikes."),
    ("n10", "2017-06-05", "Saudi Arabia, Egypt and the United Arab Emirates cut diplomatic ties "
     "with Qatar on Monday. Qatar denied the charges of supporting terrorism."),
    ("n11", "2017-06-21", "Japan protested to China over Chinese coast guard ships near the "
     "disputed islands. Beijing said the waters belong to China."),
    ("n12", "2017-07-03", "Last month, Brazil signed a trade agreement with Argentina. In July the "
     "Argentine president praised the deal during a visit to Brasilia."),
    ("n13", "2017-07-17", "Israel reopened the Temple Mount compound after talks with Jordan. "
     "Jordan demanded that Israel remove the metal detectors."),
    ("n14", "2017-08-09", "North Korea threatened to strike Guam after the United States warned "
     "Pyongyang of fire and fury. South Korea urged restraint."),
    ("n15", "2017-08-28", "Le président français a rencontré le chancelier allemand à Paris pour "
     "discuter de la politique européenne."),
]
EXTRA = [
    ("n16", "2017-09-12", "Russia and Belarus held joint military exercises near the border with "
     "Poland. Poland and Lithuania criticised the drills."),
    ("n17", "2017-09-25", "Iraq rejected the independence referendum of the Kurdistan region. "
     "Turkey threatened to close its border with northern Iraq."),
    ("n18", "2017-10-16", "Spain suspended the autonomy of Catalonia. Belgium offered asylum to "
     "the Catalan leader, angering Madrid."),
]
CHANGED = ("n05", "2017-04-07", "The United States launched missile strikes on a Syrian air "
           "base on Friday. Russia condemned the strikes and Iran denounced Washington.")


def _write(path: Path, docs, bad_line: bool = False) -> None:
    lines = [json.dumps({"id": i, "date": d, "text": t} if d else {"id": i, "text": t})
             for i, d, t in docs]
    if bad_line:
        lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_partition_of():
    assert partition_of("2017-02-14") == ("2017", "02")
    assert partition_of("2017-02") == ("2017", "02")
    assert partition_of("2017") == ("2017", "unknown")
    assert partition_of(None) == ("unknown", "unknown")
    assert partition_of("") == ("unknown", "unknown")


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                     dashboard_address=None, silence_logs=40)
    try:
        yield c.scheduler_address
    finally:
        c.close()


@pytest.fixture(scope="module")
def extractor():
    from detente.pipeline import Extractor

    return Extractor.load()


def _local(extractor, paths):
    from detente.ingest import iter_documents
    from detente.pipeline import run

    return list(run(iter_documents(paths), lambda: extractor, workers=1))


def _jsonl(results) -> str:
    from detente.model import Rejected

    out = []
    for r in results:
        if isinstance(r, Rejected):
            out.append("REJECTED " + r.message())
        else:
            out.extend(json.dumps(e.to_dict(), ensure_ascii=False) for e in r.events)
    return "\n".join(out) + "\n"


def _parquet_events(root) -> list[dict]:
    from detente.distributed import attach_parquet
    from detente.store import _event_record

    con = duckdb.connect()
    attach_parquet(con, str(root))
    cur = con.execute("SELECT * FROM events ORDER BY doc_id, event_id")
    names = [c[0] for c in cur.description]
    rows = [_event_record(dict(zip(names, r))) for r in cur.fetchall()]
    con.close()
    return rows


def _local_events(results) -> list[dict]:
    from detente.pipeline import Result

    evs = [e.to_dict() for r in results if isinstance(r, Result) for e in r.events]
    return sorted(evs, key=lambda e: (e["doc_id"], e["event_id"]))


@pytest.mark.slow
def test_run_dask_equals_local_and_is_incremental(tmp_path, cluster, extractor):
    from detente.distributed import load_manifest, run_dask

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus / "news.jsonl", CORPUS, bad_line=True)
    out = tmp_path / "out"

    s1 = run_dask([str(corpus)], out=str(out), scheduler=cluster, partition_size=4, progress=False)
    local = _local(extractor, [str(corpus)])
    expected = _local_events(local)
    assert len(expected) >= 15  # the corpus does code events
    got = _parquet_events(out)
    assert sorted(e["event_id"] for e in got) == sorted(e["event_id"] for e in expected)
    assert got == expected
    assert (s1.added, s1.replaced, s1.unchanged) == (15, 0, 0)
    assert [r.reason for r in s1.rejected] and "news.jsonl:4" in s1.rejected[0].origin
    assert s1.events == len(expected) and not s1.failed
    assert s1.workers == 2

    # layout: by document date / event date, undated in year=unknown
    files = {str(p.relative_to(out)).split("/part-")[0] for p in out.rglob("*.parquet")}
    assert "documents/year=2017/month=02" in files
    assert "documents/year=unknown/month=unknown" in files  # n07 has no date
    assert any(f.startswith("events/year=2017/month=0") for f in files)
    assert len(load_manifest(str(out))) == 15

    con = duckdb.connect()
    from detente.distributed import attach_parquet

    attach_parquet(con, str(out))
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (15, 15)
    assert con.execute("SELECT language FROM documents WHERE id = 'n15'").fetchone()[0] != "en"
    con.close()

    # same corpus again: nothing to do
    s2 = run_dask([str(corpus)], out=str(out), scheduler=cluster, progress=False)
    assert (s2.added, s2.replaced, s2.unchanged, s2.processed) == (0, 0, 15, [])
    assert _parquet_events(out) == expected

    # three more documents: only they are processed
    _write(corpus / "more.jsonl", EXTRA)
    s3 = run_dask([str(corpus)], out=str(out), scheduler=cluster, partition_size=4, progress=False)
    assert sorted(s3.processed) == ["n16", "n17", "n18"]
    assert (s3.added, s3.unchanged) == (3, 15)
    expected3 = _local_events(_local(extractor, [str(corpus)]))
    assert _parquet_events(out) == expected3

    # one document changed: its rows are replaced
    docs = [CHANGED if d[0] == "n05" else d for d in CORPUS]
    _write(corpus / "news.jsonl", docs, bad_line=True)
    s4 = run_dask([str(corpus)], out=str(out), scheduler=cluster, partition_size=4, progress=False)
    assert s4.processed == ["n05"] and s4.replaced == 1 and s4.unchanged == 17
    expected4 = _local_events(_local(extractor, [str(corpus)]))
    assert _parquet_events(out) == expected4
    assert expected4 != expected3
    con = duckdb.connect()
    attach_parquet(con, str(out))
    assert con.execute("SELECT count(*) FROM documents WHERE id = 'n05'").fetchone()[0] == 1
    con.close()


@pytest.mark.slow
def test_interrupted_run_leaves_no_duplicates(tmp_path, cluster, extractor):
    from detente.distributed import run_dask

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus / "news.jsonl", CORPUS[:6])
    out = tmp_path / "out"
    run_dask([str(corpus)], out=str(out), scheduler=cluster, progress=False)
    # a part file left by a run that never wrote its manifest
    stray = next(out.glob("events/**/*.parquet"))
    orphan = stray.with_name("part-19990101T000000-dead-00000.parquet")
    orphan.write_bytes(stray.read_bytes())
    run_dask([str(corpus)], out=str(out), scheduler=cluster, progress=False)
    assert not orphan.exists()
    assert _parquet_events(out) == _local_events(_local(extractor, [str(corpus)]))


@pytest.mark.slow
def test_extract_dask_same_bytes_as_local(tmp_path, cluster, extractor):
    from detente.distributed import extract_dask

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus / "a.jsonl", CORPUS, bad_line=True)
    _write(corpus / "b.jsonl", EXTRA)
    got = list(extract_dask([str(corpus)], scheduler=cluster, partition_size=3))
    want = _local(extractor, [str(corpus)])
    assert [type(r).__name__ for r in got] == [type(r).__name__ for r in want]
    assert _jsonl(got) == _jsonl(want)


@pytest.mark.slow
def test_relations_on_parquet_equal_store(tmp_path, cluster, extractor):
    from detente.distributed import attach_parquet, run_dask
    from detente.pipeline import Result
    from detente.relations import actors, dyads, relations
    from detente.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus / "news.jsonl", CORPUS + EXTRA)
    out = tmp_path / "out"
    run_dask([str(corpus)], out=str(out), scheduler=cluster, progress=False)
    db = str(tmp_path / "d.duckdb")
    with Store(db) as store:
        for r in _local(extractor, [str(corpus)]):
            if isinstance(r, Result):
                store.add(r.document, r.events)
    from detente import dedup

    dedup.rebuild(db)  # derived tables are built when data is written, never on a read
    con = duckdb.connect()
    attach_parquet(con, str(out), materialize=True)
    dedup.rebuild(con)
    assert relations(con, "USA", "PRK") == relations(db, "USA", "PRK")
    assert dyads(con, top=5) == dyads(db, top=5)
    assert actors(con) == actors(db)
    con.close()
    # the command line reads the Parquet folder directly, once `detente dedup` built its tables
    from click.testing import CliRunner

    from detente.cli import cli

    assert CliRunner().invoke(cli, ["dedup", str(out)]).exit_code == 0

    res = CliRunner().invoke(cli, ["relations", "USA", "PRK", "--db", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == json.loads(json.dumps(relations(db, "USA", "PRK")))


def test_attach_parquet_empty(tmp_path):
    from detente.distributed import attach_parquet

    con = duckdb.connect()
    attach_parquet(con, str(tmp_path / "nothing"))
    assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
    cols = [r[0] for r in con.execute("DESCRIBE events").fetchall()]
    assert cols[:2] == ["event_id", "doc_id"] and "extra" in cols and "year" not in cols
    con.close()


def test_default_cluster_is_local(monkeypatch):
    """Without a scheduler address a LocalCluster of 2 processes, 1 thread each, is made."""
    pytest.importorskip("distributed")
    import detente.distributed as dd

    made = {}

    class FakeCluster:
        def __init__(self, **kw):
            made.update(kw)

        def close(self):
            made["closed"] = True

    class FakeClient:
        def __init__(self, target):
            self.target = target

        def close(self):
            pass

    import distributed

    monkeypatch.setattr(distributed, "LocalCluster", FakeCluster)
    monkeypatch.setattr(distributed, "Client", FakeClient)
    conn = dd._Cluster(None)
    conn.close()
    assert made["n_workers"] == 2 and made["threads_per_worker"] == 1 and made["processes"]
    assert made["closed"]


# A verb pattern of our own: the built-in lexicon codes nothing on "serenade", so the event
# below is coded only when the workers receive this file.
VERBS = """\
---  SERENADE   [---]  ---
SERENADE
- * (WITH {FISHING ACCORD})   [0312]
"""
VERB_DOCS = [
    ("v1", "2024-03-05", "Norway serenaded Chile with a fishing accord on Tuesday. Chile "
     "thanked the Norwegian government."),
    ("v2", "2024-03-06", "Peru condemned Bolivia over the border dispute on Wednesday."),
    ("v3", "2024-04-11", "Iceland serenaded Denmark with a fishing accord in Reykjavik."),
]


def _cli_events(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def verb_run(tmp_path_factory, extractor):
    """A small corpus, a verb file of our own, and the events the local engine codes with it."""
    from click.testing import CliRunner

    from detente.cli import cli

    folder = tmp_path_factory.mktemp("verbs")
    corpus = folder / "news.jsonl"
    _write(corpus, VERB_DOCS)
    verbs = folder / "own.verbs.txt"
    verbs.write_text(VERBS, encoding="utf-8")
    # the built-in lexicon alone does not code the serenading
    assert "0312" not in {e["cameo"] for e in _local_events(_local(extractor, [str(corpus)]))}
    local = CliRunner().invoke(cli, ["extract", str(corpus), "--verbs", str(verbs)])
    assert local.exit_code == 0, local.output
    coded = [(e["source"]["country"], e["target"]["country"], e["cameo"]) for e in _cli_events(local.output)]
    assert ("NOR", "CHL", "0312") in coded and ("ISL", "DNK", "0312") in coded
    return corpus, verbs, local.output


@pytest.mark.slow
def test_extract_dask_with_verbs_same_as_local(cluster, verb_run):
    from click.testing import CliRunner

    from detente.cli import cli

    corpus, verbs, local = verb_run
    res = CliRunner().invoke(cli, ["extract", str(corpus), "--engine", "dask", "--scheduler", cluster,
                                   "--verbs", str(verbs), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert res.output == local


@pytest.mark.slow
def test_ingest_parquet_with_verbs(tmp_path, cluster, verb_run):
    from click.testing import CliRunner

    from detente.cli import cli

    corpus, verbs, local = verb_run
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["ingest", str(corpus), "--engine", "dask", "--scheduler", cluster,
                                   "--parquet", str(out), "--verbs", str(verbs), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "3 documents added" in res.output
    want = sorted(_cli_events(local), key=lambda e: (e["doc_id"], e["event_id"]))
    assert _parquet_events(out) == want


def test_dictionary_spec_keeps_actor_and_verb_files_apart(tmp_path):
    """One Extractor per (actor files, verb files): a file shipped as actors is not the same
    as that file shipped as verbs."""
    from detente.distributed import _dictionary_spec, _spec_key

    f = tmp_path / "own.txt"
    f.write_text(VERBS, encoding="utf-8")
    as_actors = _dictionary_spec([str(f)])
    as_verbs = _dictionary_spec(verb_files=[str(f)])
    assert as_verbs == ((), ((str(f), VERBS.encode()),))
    keys = {_spec_key(s) for s in (as_actors, as_verbs, _dictionary_spec([str(f)], [str(f)]),
                                   _dictionary_spec())}
    assert len(keys) == 4
    assert _spec_key(_dictionary_spec(verb_files=[str(f)])) == _spec_key(as_verbs)


@pytest.mark.slow
def test_bad_dictionary_on_dask_is_named_as_by_the_local_engine(tmp_path, cluster):
    """A malformed verb or actor file fails the command with the local engine's message,
    which names the file by the user's path (not the copy the workers load)."""
    from click.testing import CliRunner

    from detente.cli import cli

    doc = tmp_path / "a.txt"
    doc.write_text("Norway serenaded Chile.\n", encoding="utf-8")
    bad_verbs = tmp_path / "bad.verbs.txt"
    bad_verbs.write_text("---  SERENADE   [---]  ---\nSERENADE\n- * (WITH ACCORD)\n", encoding="utf-8")
    bad_actors = tmp_path / "bad.actors.csv"
    bad_actors.write_text("Norway,,\n\"unclosed\n", encoding="utf-8")
    for option, bad in (("--verbs", bad_verbs), ("--actors", bad_actors)):
        local = CliRunner().invoke(cli, ["extract", str(doc), option, str(bad)])
        dask = CliRunner().invoke(cli, ["extract", str(doc), "--engine", "dask", "--scheduler", cluster,
                                        option, str(bad), "--no-progress"])
        assert local.exit_code == dask.exit_code == 2
        assert local.output.startswith(f"detente: {bad}:")
        assert dask.output == local.output
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["ingest", str(doc), "--engine", "dask", "--scheduler", cluster,
                                   "--parquet", str(out), "--verbs", str(bad_verbs), "--no-progress"])
    assert res.exit_code == 2
    assert f"detente: {bad_verbs}:3: pattern without a [CODE]" in res.output
