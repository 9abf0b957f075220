"""The command line through its real entry point (the installed `detente` script) and
through click's CliRunner; inputs are files the tests write."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli import cli

DETENTE = str(Path(sys.executable).parent / "detente")

ARTICLE = """date 2024-03-04
Support our journalism. Become a member today and help keep independent news free for everyone. Donate now.

On 2 March, French President Emmanuel Macron traveled to Berlin, where he met with German Chancellor Olaf Scholz. The two discussed military aid to Ukraine.

Russia condemned the meeting on Sunday.
"""


def run(*args, stdin=None):
    return subprocess.run([DETENTE, *args], capture_output=True, text=True, input=stdin, timeout=600)


def test_help_everywhere():
    for cmd in ([], ["extract"], ["ingest"], ["events"], ["eval"], ["corpus"], ["export"], ["relations"], ["dyads"], ["actors"]):
        r = CliRunner().invoke(cli, [*cmd, "--help"])
        assert r.exit_code == 0, cmd
        assert "Usage:" in r.output


def test_missing_path_is_exit_2_with_one_line(tmp_path):
    r = run("extract", str(tmp_path / "nope.txt"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "nope.txt" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_option_is_exit_2(tmp_path):
    r = run("extract", "--format", "xml", str(tmp_path))
    assert r.returncode == 2
    r = run("extract", "--date", "2023-02-30", str(tmp_path))
    assert r.returncode == 2


def test_output_into_missing_folder_is_exit_2_before_any_work(tmp_path, monkeypatch):
    doc = tmp_path / "a.txt"
    doc.write_text("France and Germany signed a treaty.")
    target = tmp_path / "missing" / "dir" / "x.csv"
    r = run("extract", str(doc), "--format", "csv", "-o", str(target))
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert str(target) in r.stderr and r.stdout == ""
    assert not target.parent.exists()

    import detente.cli as cli_mod

    def no_work(*a, **k):  # nothing is extracted before the output is known to be writable
        raise AssertionError("extraction started")

    monkeypatch.setattr(cli_mod, "_results", no_work)
    r = CliRunner().invoke(cli, ["extract", str(doc), "-o", str(target)])
    assert r.exit_code == 2 and "cannot write" in r.output


def test_html_page_without_article_is_rejected_exit_1(tmp_path):
    nav = ('<html><head><title>Home</title></head><body><nav><a href="/">Home</a> | <a href="/w">World</a>'
           ' | <a href="/p">Politics</a></nav><ul><li><a href="/1">Chile and Peru agree on a fishing accord</a>'
           '</li></ul></body></html>')
    (tmp_path / "front.html").write_text(nav)
    r = run("extract", str(tmp_path / "front.html"))
    assert r.returncode == 1 and r.stdout == ""
    assert "front.html" in r.stderr and "no article text found in HTML" in r.stderr


def test_events_on_missing_database_is_exit_2(tmp_path):
    r = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_unreadable_database_is_exit_2(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("this is not a database")
    r = run("events", "--db", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.slow
def test_extract_ingest_events_end_to_end(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    with gzip.open(src / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "b1", "date": "2024-01-05", "text": "Israel accused Iran of attacking its embassy."}) + "\n")
        fh.write("{not json\n")
        fh.write(json.dumps({"id": "b3", "date": "2024-01-06T10:00:00Z", "text": "Egypt condemned the attack by Israel on Gaza."}) + "\n")

    out = run("extract", str(src))
    assert out.returncode == 1  # two inputs rejected, the rest processed
    assert "empty.txt" in out.stderr and "b.jsonl.gz:2" in out.stderr
    assert "Traceback" not in out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert {e["doc_id"] for e in events} >= {"a", "b1"}
    # the donation appeal is gone and offsets refer to the cleaned text
    assert not any("member" in e["evidence"]["sentence"].lower() for e in events)
    visit = [e for e in events if e["doc_id"] == "a" and e["cameo"].startswith("04")]
    assert visit and all(e["source"]["country"] in ("FRA", "DEU") for e in visit)
    # same input, same output, byte for byte
    assert run("extract", str(src)).stdout == out.stdout

    db = tmp_path / "d.duckdb"
    first = run("ingest", str(src), "--db", str(db), "--no-progress")
    assert first.returncode == 1 and "busiest actor pairs" in first.stdout
    again = run("ingest", str(src), "--db", str(db), "--no-progress")
    assert "0 documents added" in again.stdout and "3 unchanged" in again.stdout

    listed = run("events", "--db", str(db))
    assert listed.returncode == 0
    stored = [json.loads(line) for line in listed.stdout.splitlines()]
    # canonical events: the reports behind them are exactly the extracted events
    extracted = {e["event_id"] for e in events}
    assert stored and sum(e["mentions"] for e in stored) == len(events)
    with_reports = [json.loads(line) for line in run("events", "--db", str(db), "--mentions").stdout.splitlines()]
    assert {r["event_id"] for e in with_reports for r in e["reports"]} == extracted

    rel = run("relations", "FRA", "DEU", "--db", str(db), "--format", "json")
    assert rel.returncode == 0, rel.stderr
    body = json.loads(rel.stdout)
    assert body["dyad"] == ["FRA", "DEU"] and body["series"][0]["period"] == "2024-03"

    exported = run("export", str(tmp_path / "pq"), "--db", str(db))
    assert exported.returncode == 0 and (tmp_path / "pq" / "events.parquet").exists()
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "pq" / "events.parquet").num_rows == len(events)

    confident = run("events", "--db", str(db), "--min-confidence", "0.5")
    assert all(json.loads(line)["confidence"] >= 0.5 for line in confident.stdout.splitlines())

    table = run("events", "--db", str(db), "--format", "table", "--dyad", "FRA", "DEU")
    assert table.returncode == 0 and "FRA" in table.stdout


@pytest.mark.slow
def test_extract_csv_and_stdin(tmp_path):
    line = json.dumps({"id": "s1", "date": "2024-02-02", "text": "Japan praised China for its help."})
    r = run("extract", "-", "--format", "csv", stdin=line + "\n")
    assert r.returncode == 0
    header = r.stdout.splitlines()[0].split(",")
    assert "source_country" in header and "evidence_sentence" in header
    assert len(r.stdout.splitlines()) >= 2


@pytest.mark.slow
def test_user_actor_dictionaries_with_dates(tmp_path):
    """--actors takes our CSV and a PETRARCH file (format detected from the content), and a
    date-limited code is resolved at the event's date."""
    (tmp_path / "mine.csv").write_text(
        "name,country,sector,code,synonyms,from,until\n"
        "Arnor,ARN,,ARN,,,\n"
        "Gondor,GON,,GON,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "petr.txt").write_text(
        "ARAGORN_\n+KING_ARAGORN_\n\t[ARNREB <200101]\n\t[ARNGOV >200101]\n", encoding="utf-8"
    )
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps({"id": "old", "date": "2019-05-01", "text": "Aragorn attacked Gondor on Monday."}) + "\n"
        + json.dumps({"id": "new", "date": "2021-05-01", "text": "Aragorn attacked Gondor on Monday."}) + "\n",
        encoding="utf-8",
    )
    r = run("extract", str(docs), "--actors", str(tmp_path / "mine.csv"), "--actors", str(tmp_path / "petr.txt"))
    assert r.returncode == 0, r.stderr
    evs = {e["doc_id"]: e for e in map(json.loads, r.stdout.splitlines()) if e["cameo"].startswith("18")}
    assert evs["old"]["source"]["code"] == "ARNREB" and evs["new"]["source"]["code"] == "ARNGOV"
    assert evs["old"]["target"]["country"] == "GON"


def _small_db(path) -> str:
    """A store of a few events (FRA-DEU, RUS-USA) written through the library, no model."""
    import hashlib

    from detente import dedup
    from detente.model import Actor, Document, Event, Evidence
    from detente.store import Store

    specs = [("FRA", "DEU", "2017-01-10"), ("DEU", "FRA", "2017-02-12"), ("FRA", "DEU", "2017-03-05"),
             ("RUS", "USA", "2017-02-20"), ("USA", "RUS", "2017-03-21")]
    with Store(str(path)) as store:
        for i, (a, b, day) in enumerate(specs):
            text = f"The government of {a} met the government of {b} on {day} for long talks, number {i}."
            doc = Document(id=f"d{i}", text=text, origin="t", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                           language="en", date=day)
            store.add(doc, [Event(
                event_id=f"e{i}", doc_id=doc.id, source=Actor(a, None, a, "GOV", a + "GOV"),
                target=Actor(b, None, b, "GOV", b + "GOV"), cameo="040", plover="CONSULT", quad_class=1,
                goldstein=1.0, date=day, date_precision="day", date_basis="text", modality="asserted",
                location=None, evidence=Evidence(text, 0, len(text)), confidence=0.9)])
    dedup.rebuild(str(path))
    return str(path)


def test_events_date_bounds_in_three_forms(tmp_path):
    db = _small_db(tmp_path / "s.duckdb")

    def dates(*args):
        r = CliRunner().invoke(cli, ["events", "--db", db, *args])
        assert r.exit_code == 0, r.output
        return [json.loads(line)["date"] for line in r.output.splitlines()]

    assert dates("--since", "2017-02") == ["2017-02-12", "2017-02-20", "2017-03-05", "2017-03-21"]
    assert dates("--since", "2017-02", "--until", "2017-02") == ["2017-02-12", "2017-02-20"]
    assert dates("--until", "2017") == dates()
    assert dates("--since", "2017-02-15", "--until", "2017-03-05") == ["2017-02-20", "2017-03-05"]


def test_events_bad_or_reversed_dates_exit_2(tmp_path):
    db = _small_db(tmp_path / "s.duckdb")
    for bad in ("2017-02-30", "Feb 2017", "2017-2"):
        r = run("events", "--db", db, "--since", bad)
        assert r.returncode == 2 and "Traceback" not in r.stderr and bad in r.stderr
    r = run("events", "--db", db, "--since", "2017-03", "--until", "2017-02-28")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == "detente: --since 2017-03 is after --until 2017-02-28: a reversed date range"


def test_unknown_actor_codes_exit_2_with_a_suggestion(tmp_path):
    db = _small_db(tmp_path / "s.duckdb")
    r = run("relations", "RUSSIA", "USA", "--db", db)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "unknown actor code RUSSIA" in r.stderr and "did you mean RUS?" in r.stderr
    r = run("relations", "USA", "XXX", "--db", db)
    assert r.returncode == 2 and "unknown actor code XXX" in r.stderr and r.stderr.count("\n") == 1
    r = run("relations", "FRNA", "DEU", "--db", db)  # a typo of a stored code
    assert r.returncode == 2 and "did you mean FRA" in r.stderr
    r = run("events", "--db", db, "--dyad", "GERMANY", "FRA")
    assert r.returncode == 2 and "did you mean DEU?" in r.stderr
    r = run("events", "--db", db, "--actor", "XXX")
    assert r.returncode == 2 and "unknown actor code XXX" in r.stderr
    # known codes: a country with no events is insufficient data, not an error; actor codes too
    r = run("relations", "CHN", "usa", "--db", db)
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "insufficient data"
    r = run("relations", "FRAGOV", "DEU", "--db", db)
    assert r.returncode == 0 and json.loads(r.stdout)["dyad"] == ["FRAGOV", "DEU"]
    r = run("events", "--db", db, "--actor", "RUSGOV")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 2
