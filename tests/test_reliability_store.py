"""Reliability of the store (issue 12, items 2 and 6): one unstorable document costs only
itself; corrupt, truncated, foreign, old-schema and full-disk stores each give a one-line
error naming the cause (StoreError from the library, exit 2 without a traceback from the
CLI); a foreign file is never modified. See docs/reliability.md, section "Stores"."""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from detente import dedup, relations
from detente.cli import cli
from detente.errors import StoreError, UsageError
from detente.model import Evidence, Rejected
from detente.store import FLUSH_EVERY_ENV, Store, db_error_cause, storable

sys.path.insert(0, str(Path(__file__).parent))
from test_store import doc, event  # noqa: E402  (the synthetic documents and events of the store tests)

DETENTE = str(Path(sys.executable).parent / "detente")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def digest(path) -> str | None:
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None


def fill(path, n: int, start: int = 0, **kw) -> None:
    with Store(str(path), **kw) as store:
        for i in range(start, start + n):
            store.add(doc(f"d{i}", f"Text number {i} about Iran and Saudi Arabia."), [event(f"d{i}", 1)])


def rows(path) -> tuple[list, list]:
    """Documents (without the ingestion time) and events of a store, as stored."""
    with Store(str(path), read_only=True) as store:
        docs = [{k: v for k, v in d.items() if k != "ingested_at"} for d in store.documents()]
        return docs, list(store.events())


def env(**extra) -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = SRC + os.pathsep + e.get("PYTHONPATH", "")
    e.update(extra)
    return e


# -- item 2: one unstorable document costs only itself ----------------------------------


def test_999_documents_a_lone_surrogate_in_a_title_then_500_more(tmp_path):
    """The issue's reproducer: the 500 after the bad document are stored, it alone is
    rejected with its reason, and dedup runs."""
    path = tmp_path / "s.duckdb"
    unstored = []
    with Store(str(path), flush_every=100, on_reject=lambda *a: unstored.append(a)) as store:
        for i in range(999):
            store.add(doc(f"d{i}", f"text {i}"), [event(f"d{i}", 1)])
        assert store.add(doc("bad", "bad text", title="A title \ud800 here"), [event("bad", 1)]) == "added"
        for i in range(999, 1499):
            store.add(doc(f"d{i}", f"text {i}"), [event(f"d{i}", 1)])
    assert [(r.doc_id, status, n) for r, status, n in unstored] == [("bad", "added", 1)]
    with Store(str(path), read_only=True) as store:
        summary = store.summary()
        rejected = list(store.rejected())
        assert "bad" not in {d["id"] for d in store.documents()}
    assert (summary["documents"], summary["events"], summary["rejected"]) == (1499, 1499, 1)
    assert rejected[0]["doc_id"] == "bad" and rejected[0]["origin"] == "bad.txt"
    assert rejected[0]["reason"] == ("cannot store the document: its title holds \\ud800 at position 8, "
                                     "a lone surrogate that is not valid UTF-8")
    assert dedup.rebuild(str(path))["documents"] == 1499
    assert dedup.count_events(str(path)) == 1  # every report is the same IRN-SAU meeting


def test_surrogate_id_and_non_utf8_file_name_are_rejected_rows(tmp_path):
    path = tmp_path / "s.duckdb"
    name = os.fsdecode(b"in/caf\xe9.txt")  # a Latin-1 file name, read with surrogateescape
    with Store(str(path), flush_every=10) as store:
        store.add(doc("a"), [event("a", 1)])
        store.add(doc("id\ud800", "x", origin="in/x.jsonl:2"), [event("id\ud800", 1)])
        store.add_rejected(Rejected(name, "not UTF-8 text"))
        store.add(doc("b", "b", origin=name), [event("b", 1)])
        store.add(doc("e", "e"), [event("e", 1, evidence=Evidence("A sentence \ud800.", 0, 13))])
        store.add(doc("c"), [event("c", 1)])
    docs, events = rows(path)
    assert [d["id"] for d in docs] == ["a", "c"]
    assert [e["doc_id"] for e in events] == ["a", "c"]
    with Store(str(path), read_only=True) as store:
        got = [(r["origin"], r["doc_id"], r["reason"]) for r in store.rejected()]
    assert ("in/caf\\xe9.txt", None, "not UTF-8 text") in got
    assert ("in/x.jsonl:2", "id\\ud800",
            "cannot store the document: its id holds \\ud800 at position 2, a lone surrogate that is not "
            "valid UTF-8") in got
    assert ("in/caf\\xe9.txt", "b",
            "cannot store the document: its origin holds the byte \\xe9 at position 6, which is not valid "
            "UTF-8") in got
    assert ("e.txt", "e",
            "cannot store the document: event e-1: its evidence_sentence holds \\ud800 at position 11, "
            "a lone surrogate that is not valid UTF-8") in got
    assert len(got) == 4


def test_a_bad_rejected_row_alone_is_stored_escaped(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(str(path)) as store:
        store.add_rejected(Rejected("in/\ud83d.jsonl:1", "bad \udcc3 text", doc_id="x\udfff"))
    with Store(str(path), read_only=True) as store:
        assert [(r["origin"], r["doc_id"], r["reason"]) for r in store.rejected()] == [
            ("in/\\ud83d.jsonl:1", "x\\udfff", "bad \\xc3 text")]


def test_storable_leaves_valid_text_as_it_is():
    for text in ("", "plain", "Zürich – 東京 😀", "\x00 nul", "\\ud800 already escaped"):
        assert storable(text) is text or storable(text) == text
    assert storable(None) is None
    assert storable("a\ud800b\udcffc") == "a\\ud800b\\xffc"


def test_good_documents_are_stored_the_same_with_a_bad_one_in_their_batch(tmp_path):
    good = [(doc(f"g{i}", f"good text {i}", title=f"Title {i}"), [event(f"g{i}", 1), event(f"g{i}", 2)])
            for i in range(40)]
    with Store(str(tmp_path / "clean.duckdb"), flush_every=7) as store:
        for d, evs in good:
            store.add(d, evs)
    with Store(str(tmp_path / "mixed.duckdb"), flush_every=7) as store:
        for i, (d, evs) in enumerate(good):
            store.add(d, evs)
            if i % 9 == 4:
                store.add(doc(f"bad{i}", "bad", title="\ud800"), [event(f"bad{i}", 1)])
    assert rows(tmp_path / "clean.duckdb") == rows(tmp_path / "mixed.duckdb")


def test_the_fallback_writes_halves_not_every_document_alone(tmp_path, monkeypatch):
    """One bad document among 1,000 costs about 2 log2(1000) transactions, not 1,000."""
    calls = []
    original = Store._write

    def counting(self, docs, rejected):
        calls.append(len(docs))
        return original(self, docs, rejected)

    monkeypatch.setattr(Store, "_write", counting)
    with Store(str(tmp_path / "s.duckdb"), flush_every=1000) as store:
        for i in range(1000):
            bad = i == 617
            store.add(doc(f"d{i}", f"text {i}", title="\ud800" if bad else None), [event(f"d{i}", 1)])
        assert store.summary()["documents"] == 999
    assert 10 <= len(calls) <= 25, calls


def test_flush_every_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(FLUSH_EVERY_ENV, "3")
    store = Store(str(tmp_path / "s.duckdb"))
    assert store.flush_every == 3
    store.close()
    assert Store(str(tmp_path / "s.duckdb"), flush_every=5).flush_every == 5
    for bad in ("0", "-1", "many"):
        monkeypatch.setenv(FLUSH_EVERY_ENV, bad)
        with pytest.raises(UsageError, match=f"{FLUSH_EVERY_ENV} must be a positive integer"):
            Store(str(tmp_path / "s.duckdb"))


# -- item 6: stores that cannot be used ------------------------------------------------


@pytest.fixture(scope="module")
def good_store(tmp_path_factory):
    """A small store (300 documents, 600 events, dedup tables built) to damage."""
    path = tmp_path_factory.mktemp("good") / "good.duckdb"
    with Store(str(path)) as store:
        for i in range(300):
            store.add(doc(f"d{i}", f"Text number {i} about Iran and Saudi Arabia."),
                      [event(f"d{i}", 1, date=f"2023-{1 + i % 12:02d}-10"), event(f"d{i}", 2, target=event(
                          "x", 0).source.__class__("Washington", None, "USA", "GOV", "USAGOV"))])
    dedup.rebuild(str(path))
    return path


def _damaged(kind: str, good: Path, path: Path) -> str:
    """Write a damaged store of ``kind`` at ``path``; return the cause its error names."""
    data = good.read_bytes()
    if kind == "random bytes":
        path.write_bytes(random.Random(1).randbytes(len(data)))
        return "not a DuckDB database"
    if kind == "text file":
        path.write_text("id,text\n1,hello\n" * 100)
        return "not a DuckDB database"
    if kind == "empty file":
        path.write_bytes(b"")
        return "not a DuckDB database"
    if kind == "truncated to 100 bytes":
        path.write_bytes(data[:100])
        return "truncated or corrupt"
    if kind == "truncated to a tenth":
        path.write_bytes(data[: len(data) // 10])
        return "truncated or corrupt"
    if kind == "truncated to a half":
        path.write_bytes(data[: len(data) // 2])
        return "truncated or corrupt"
    if kind == "corrupt header block":
        path.write_bytes(data[:4096] + bytes(4096) + data[8192:])
        return "the file is corrupt"
    if kind == "foreign DuckDB database":
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
        con.execute("INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')")
        con.close()
        return "not a detente database (a DuckDB database of other tables: customers)"
    if kind == "detente tables without meta":
        shutil.copy(good, path)
        con = duckdb.connect(str(path))
        con.execute("DROP TABLE meta")
        con.close()
        return "not a detente database (no detente schema version"
    if kind.startswith("schema version"):
        shutil.copy(good, path)
        con = duckdb.connect(str(path))
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [kind.split()[-1]])
        con.close()
        return f"{kind} ("
    raise AssertionError(kind)


KINDS = ["random bytes", "text file", "empty file", "truncated to 100 bytes", "truncated to a tenth",
         "truncated to a half", "corrupt header block", "foreign DuckDB database",
         "detente tables without meta", "schema version 0", "schema version 2"]


def _one_line_error(excinfo, path, cause):
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith(f"cannot open database {path}: "), message
    assert cause in message, message


@pytest.mark.parametrize("kind", KINDS)
def test_unusable_store_is_a_one_line_store_error_everywhere(kind, good_store, tmp_path):
    path = tmp_path / "bad.duckdb"
    cause = _damaged(kind, good_store, path)
    before = digest(path)
    readers = [
        lambda: Store(str(path), read_only=True),
        lambda: dedup.open_db(str(path)),
        lambda: list(dedup.list_events(str(path))),
        lambda: dedup.canonical_events(str(path)),
        lambda: dedup.count_events(str(path)),
        lambda: dedup.events_page(str(path)),
        lambda: relations.relations(str(path), "IRN", "SAU"),
        lambda: relations.dyads(str(path)),
        lambda: relations.actors(str(path)),
    ]
    for read in readers:
        with pytest.raises(StoreError) as err:
            read()
        _one_line_error(err, path, cause)
    with pytest.raises(StoreError) as err:  # writing: refused before anything is written
        with Store(str(path)) as store:
            store.add(doc("new"), [event("new", 1)])
    _one_line_error(err, path, cause)
    with pytest.raises(StoreError) as err:
        dedup.rebuild(str(path))
    _one_line_error(err, path, cause)
    assert digest(path) == before
    assert not Path(f"{path}.wal").exists()


@pytest.mark.parametrize("kind", ["truncated to a tenth", "foreign DuckDB database", "schema version 0"])
def test_unusable_store_from_every_command_is_exit_2_and_one_line(kind, good_store, tmp_path):
    path = tmp_path / "bad.duckdb"
    cause = _damaged(kind, good_store, path)
    before = digest(path)
    commands = [["events"], ["events", "--dyad", "IRN", "SAU", "--mentions"], ["relations", "IRN", "SAU"],
                ["dyads"], ["actors"], ["export", str(tmp_path / "out")]]
    for args in commands:
        r = CliRunner().invoke(cli, [*args, "--db", str(path)])
        assert r.exit_code == 2, (args, r.output)
        assert isinstance(r.exception, SystemExit), (args, r.exception)
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"detente: cannot open database {path}: "), (args, r.output)
        assert cause in lines[0], (args, lines[0])
    assert digest(path) == before


def test_ingest_into_a_foreign_file_leaves_it_byte_identical(tmp_path):
    """The real command (no model is loaded: the store is refused first), and a foreign
    database whose last writes are still in its write-ahead log: neither file changes."""
    path = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(path))
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("CREATE TABLE orders (id INTEGER, item VARCHAR)")
    con.execute("INSERT INTO orders SELECT range, 'item ' || range FROM range(1000)")
    con.execute("CREATE VIEW big AS SELECT * FROM orders WHERE id > 500")
    con.close()
    # leave a write-ahead log behind, as a crashed writer would
    script = textwrap.dedent(f"""
        import duckdb, os
        con = duckdb.connect({str(path)!r})
        con.execute("SET checkpoint_threshold = '1GB'")
        con.execute("INSERT INTO orders VALUES (1000, 'last order')")
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    wal = Path(f"{path}.wal")
    assert wal.exists()
    before = (digest(path), digest(wal))
    text = tmp_path / "a.txt"
    text.write_text("Iran met Saudi Arabia in Riyadh on Monday.\n")
    r = subprocess.run([DETENTE, "ingest", str(text), "--db", str(path), "--no-progress"],
                       capture_output=True, text=True, timeout=300, env=env())
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == (f"detente: cannot open database {path}: not a detente database (a DuckDB database "
                                f"of other tables: big, orders); detente leaves it unchanged")
    assert (digest(path), digest(wal)) == before
    r = subprocess.run([DETENTE, "events", "--db", str(path)], capture_output=True, text=True, timeout=300, env=env())
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (digest(path), digest(wal)) == before


def test_an_empty_duckdb_database_becomes_a_store_and_is_refused_for_reading(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match="not a detente database \\(an empty DuckDB database\\)"):
        Store(str(path), read_only=True)
    with pytest.raises(StoreError, match="an empty DuckDB database"):
        dedup.open_db(str(path))
    fill(path, 3)
    assert len(rows(path)[0]) == 3


def test_corruption_found_while_reading_is_a_store_error(good_store, tmp_path):
    """64 bytes overwritten at one place of the file, for every 64 kB of it: every reader
    either reads the store or raises a one-line StoreError naming the corruption; some
    places are found only while reading the events, after the store opened."""
    data = good_store.read_bytes()
    path = tmp_path / "damaged.duckdb"
    outcomes = []
    for offset in range(12288, len(data), 65536):
        damaged = bytearray(data)
        damaged[offset + 100: offset + 164] = b"\xaa" * 64
        path.write_bytes(bytes(damaged))
        stage = "open"
        try:
            con, owned = dedup.open_db(str(path))
            con.close()
            stage = "read"
            list(dedup.list_events(str(path), mentions=True))
            with Store(str(path), read_only=True) as store:
                list(store.events())
                list(store.documents())
            outcomes.append("ok")
        except StoreError as err:
            assert "\n" not in str(err)
            assert "corrupt" in str(err), str(err)
            outcomes.append(stage)
        Path(f"{path}.wal").unlink(missing_ok=True)
    assert "open" in outcomes and "read" in outcomes, outcomes


_FULL_DISK = textwrap.dedent("""
    import json, resource, sys
    sys.path.insert(0, sys.argv[1])
    from test_store import doc, event
    from detente.errors import StoreError
    from detente.store import Store
    path, limit, step = sys.argv[2], int(sys.argv[3]), sys.argv[4]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    try:
        if step == "rebuild":
            from detente.dedup import rebuild
            rebuild(path)
        else:
            with Store(path, flush_every=100) as store:
                for i in range(int(step)):
                    store.add(doc(f"x{i}", f"A longer text {i} " * 100), [event(f"x{i}", 1)])
        print(json.dumps({"ok": True}))
    except StoreError as err:
        print(json.dumps({"error": str(err)}))
""")


def _full_disk(tmp_path, path, limit, step):
    """Run a write under a file size limit (RLIMIT_FSIZE; Python ignores SIGXFSZ, so a write
    past it fails with EFBIG, "File too large", as a full disk fails with ENOSPC)."""
    r = subprocess.run([sys.executable, "-c", _FULL_DISK, str(Path(__file__).parent), str(path), str(limit), str(step)],
                       capture_output=True, text=True, timeout=300, env=env())
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    import json

    return json.loads(r.stdout)


def test_a_full_disk_reports_the_disk_error_and_loses_nothing_committed(tmp_path):
    path = tmp_path / "s.duckdb"
    fill(path, 10)
    out = _full_disk(tmp_path, path, Path(path).stat().st_size + 300_000, 3000)
    message = out["error"]
    assert message.startswith(f"cannot write database {path}: the disk is full (or a file size limit was reached) (")
    assert "File too large" in message and "cannot rollback" not in message and "\n" not in message
    # what was committed before is there, whole: whole flushes of 100 documents with their events
    docs, events = rows(path)
    assert len(docs) >= 10 and (len(docs) - 10) % 100 == 0
    assert len(events) == len(docs)
    assert {e["doc_id"] for e in events} == {d["id"] for d in docs}
    # a re-run with space adds the rest, and nothing is doubled
    with Store(str(path)) as store:
        for i in range(3000):
            d = doc(f"x{i}", f"A longer text {i} " * 100)
            if store.document_status(d.id, d.content_hash) != "unchanged":
                store.add(d, [event(d.id, 1)])
    docs, events = rows(path)
    assert len(docs) == len(events) == 3010


def test_a_full_disk_while_deduplicating_is_a_store_error(tmp_path):
    path = tmp_path / "s.duckdb"
    fill(path, 2000)
    out = _full_disk(tmp_path, path, 50_000, "rebuild")  # the write-ahead log may not grow past 50 kB
    assert out["error"].startswith(f"cannot write database {path}: the disk is full"), out
    assert "cannot rollback" not in out["error"]
    assert len(rows(path)[0]) == 2000
    assert dedup.rebuild(str(path))["documents"] == 2000  # with space again


def test_a_full_disk_when_the_store_is_created_from_the_cli(tmp_path):
    """`detente ingest` into a new store on a full disk: exit 2 and the disk error, one line,
    before any model is loaded."""
    text = tmp_path / "a.txt"
    text.write_text("Iran met Saudi Arabia in Riyadh on Monday.\n")
    path = tmp_path / "new.duckdb"
    script = ("import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (2000, resource.RLIM_INFINITY)); "
              "from detente.cli import main; main(sys.argv[1:])")
    r = subprocess.run([sys.executable, "-c", script, "ingest", str(text), "--db", str(path), "--no-progress"],
                       capture_output=True, text=True, timeout=300, env=env())
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"detente: cannot open database {path}: the disk is full"), lines


def _tmpfs_available() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    r = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
                        "mount -t tmpfs -o size=1m tmpfs /tmp"], capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not _tmpfs_available(), reason="no user namespace to mount a small tmpfs in")
def test_a_really_full_disk_on_a_small_tmpfs(tmp_path):
    """Where user namespaces allow it: a 2 MB tmpfs, filled until ENOSPC."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = textwrap.dedent(f"""
        mount -t tmpfs -o size=2m tmpfs {mnt} && \\
        {sys.executable} -c '
    import sys
    sys.path.insert(0, "{Path(__file__).parent}")
    from test_store import doc, event
    from detente.errors import StoreError
    from detente.store import Store
    try:
        with Store("{mnt}/s.duckdb", flush_every=100) as store:
            for i in range(5000):
                store.add(doc(f"x{{i}}", f"A longer text {{i}} " * 100), [event(f"x{{i}}", 1)])
    except StoreError as err:
        print(err)
    '
    """)
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300, env=env())
    assert "Traceback" not in r.stderr, r.stderr
    assert r.stdout.startswith(f"cannot write database {mnt}/s.duckdb: the disk is full"), (r.stdout, r.stderr)
    assert "No space left on device" in r.stdout


def test_db_error_cause_names_the_cause():
    assert db_error_cause(OSError(28, "No space left on device")).startswith("the disk is full")
    assert db_error_cause(duckdb.IOException('IO Error: Could not write file "x": No space left on device')
                          ).startswith("the disk is full")
    assert db_error_cause(duckdb.IOException("IO Error: Could not set lock on file \"x\": Conflicting lock "
                                             "is held")).startswith("the database is in use by another process")
    assert db_error_cause(ValueError("something else")) == "something else"
