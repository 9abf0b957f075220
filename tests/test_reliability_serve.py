"""Issue 12, items 4 and 5: ingest and serve at once (snapshots), a server built for load."""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from detente import dedup
from detente import serve as srv
from detente import snapshot
from detente.errors import StoreError
from detente.model import Actor, Document, Event, Evidence
from detente.store import Store

SRC = str(Path(__file__).resolve().parents[1] / "src")
PAIRS = [("USA", "CHN"), ("FRA", "DEU"), ("RUS", "UKR"), ("IND", "PAK")]


def _doc(i: int) -> tuple[Document, list[Event]]:
    a, b = PAIRS[i % len(PAIRS)]
    date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
    text = f"Report {i}: {a} and {b} held talks on {date}, a sentence long enough to be shingled {i}."
    doc = Document(id=f"d{i:04d}", text=text, origin="t", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                   language="en", date=date)
    ev = Event(event_id=hashlib.sha256(f"{doc.id}|0".encode()).hexdigest()[:16], doc_id=doc.id,
               source=Actor(a, None, a, "GOV", a + "GOV"), target=Actor(b, None, b, "GOV", b + "GOV"),
               cameo="042", plover="CONSULT", quad_class=1, goldstein=1.9, date=date, date_precision="day",
               date_basis="text", modality="asserted", location=None, evidence=Evidence(text, 0, len(text)),
               confidence=0.9)
    return doc, [ev]


def _store(path: Path, n: int, derived: bool = True) -> str:
    with Store(str(path)) as store:
        for i in range(n):
            store.add(*_doc(i))
    if derived:
        dedup.rebuild(str(path))
    return str(path)


class Client:
    """Raw HTTP requests (any method, any header) to a test server."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, target: str, headers: dict[str, str] | None = None, timeout: float = 30):
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            con.putrequest(method, target, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                con.putheader(k, v)
            con.endheaders()
            r = con.getresponse()
            return r.status, r.headers, r.read()
        finally:
            con.close()

    def json(self, target: str, status: int = 200, **kw):
        code, headers, body = self.request("GET", target, **kw)
        assert code == status, body
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(body)


def _start(db: str, **kw):
    kw.setdefault("quiet", True)
    kw.setdefault("child", False)
    server = srv.make_server(db, "127.0.0.1", 0, **kw)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, Client(server.server_address[1])


def _stop(server) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("rs") / "s.duckdb", 24)


@pytest.fixture(scope="module")
def client(db):
    server, client = _start(db)
    yield client
    _stop(server)


# -- item 5: a server built for load ----------------------------------------------------------


def test_good_answers_are_the_library_answers_byte_for_byte(db, client):
    for target in ("/api/health", "/api/events?limit=5&offset=2", "/api/events?dyad=usa,chn&mentions=1",
                   "/api/relations?a=USA&b=CHN&freq=quarter", "/api/dyads?top=3", "/api/actors?by=code",
                   "/api/relations?a=RUSSIA&b=USA", "/api/events?since=2024-13", "/openapi.json", "/"):
        code, headers, body = client.request("GET", target)
        assert (code, headers["Content-Type"], body) == srv.handle(db, target), target
        assert int(headers["Content-Length"]) == len(body) and headers["Cache-Control"] == "no-store"
    code, headers, body = client.request("HEAD", "/api/health")
    assert code == 200 and body == b"" and int(headers["Content-Length"]) == len(srv.handle(db, "/api/health")[2])


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "POST", "PUT", "DELETE", "PATCH", "PROPFIND", "BREW"])
def test_every_other_method_is_a_json_405_with_allow(client, method):
    code, headers, body = client.request(method, "/api/health")
    assert code == 405 and headers["Allow"] == "GET, HEAD"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert method in json.loads(body)["error"]
    assert client.request(method, "/")[0] == 405


def test_size_limits_are_json_errors(client):
    code, headers, body = client.request("GET", "/api/events?dyad=USA,CHN&x=" + "a" * srv.MAX_URL)
    assert code == 414 and "longer than" in json.loads(body)["error"]
    code, headers, body = client.request("GET", "/api/health", headers={"X-Big": "b" * (srv.MAX_HEADER + 10)})
    assert code == 431 and headers["Content-Type"].startswith("application/json")
    assert "header" in json.loads(body)["error"]
    # a request line that is not HTTP at all: waitress's 400, in JSON too
    code, headers, body = client.request("GET", "/api/health", headers={"Bad Header": "x"})
    assert code == 400 and "error" in json.loads(body)
    assert client.json("/api/health")["status"] == "ok"  # the server goes on


def test_server_settings_hold_load(client, db):
    server, c = _start(db)
    try:
        adj = server._servers[0].adj
        assert adj.backlog >= 1024 and adj.channel_timeout <= 60 and adj.connection_limit >= 500
        assert adj.max_request_header_size <= 65536 and adj.asyncore_use_poll
        results: list[int] = []

        def worker() -> None:
            for _ in range(4):
                results.append(c.request("GET", "/api/events?dyad=USA,CHN&limit=3")[0])

        threads = [threading.Thread(target=worker) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert results == [200] * 200
    finally:
        _stop(server)


def test_host_header_check(db, client):
    port = client.port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "LOCALHOST", f"[::1]:{port}"):
        assert client.json("/api/health", headers={"Host": host})["status"] == "ok"
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
        err = client.json("/api/health", 400, headers={"Host": host})["error"]
        assert "not served here" in err
        assert client.request("GET", "/", headers={"Host": host})[0] == 400  # the dashboard too
    assert srv.default_allowed_hosts("0.0.0.0") is None and "localhost" in srv.default_allowed_hosts("127.0.0.1")
    server, c = _start(db, allowed_hosts=["*"])
    try:
        assert c.json("/api/health", headers={"Host": "evil.example"})["status"] == "ok"
    finally:
        _stop(server)
    server, c = _start(db, allowed_hosts=["detente.example"])
    try:
        assert c.json("/api/health", headers={"Host": "detente.example:80"})["status"] == "ok"
        c.json("/api/health", 400, headers={"Host": "localhost"})
    finally:
        _stop(server)


def test_bearer_token(db):
    server, c = _start(db, token="s3cret-token")
    try:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"},
                        {"Authorization": "Basic s3cret-token"}, {"Authorization": "Bearer s3cret-token-and-more"}):
            code, h, body = c.request("GET", "/api/events?limit=1", headers=headers)
            assert code == 401 and h["WWW-Authenticate"].startswith("Bearer")
            assert json.loads(body) == {"error": "a bearer token is required (Authorization: Bearer TOKEN)",
                                        "code": "DTE502"}
        assert c.request("GET", "/openapi.json")[0] == 401
        ok = {"Authorization": "Bearer s3cret-token"}
        assert c.json("/api/health", headers=ok)["documents"] == 24
        assert c.json("/openapi.json", headers=ok)["openapi"].startswith("3.1")
        assert c.request("GET", "/")[0] == 200  # the page holds no data; its script asks for the token
        assert "sessionStorage" in srv.dashboard_html()
    finally:
        _stop(server)


def test_query_timeout_is_a_json_504_and_the_query_is_stopped(db, monkeypatch):
    from detente import serve as module

    stopped = threading.Event()

    def heavy(con, query):
        try:
            con.execute("SELECT count(*) FROM range(100000000000) a, range(1000) b WHERE a.range % 7 = b.range")
            return {"never": True}
        finally:
            stopped.set()

    monkeypatch.setitem(module._ROUTES, "/api/health", heavy)
    server, c = _start(db, query_timeout=0.5, threads=2)
    try:
        t0 = time.monotonic()
        code, headers, body = c.request("GET", "/api/health")
        assert code == 504 and time.monotonic() - t0 < 5
        assert "took longer than 0.5 s" in json.loads(body)["error"]
        assert stopped.wait(10)  # the DuckDB query was interrupted, its thread is free again
        assert c.json("/api/events?limit=1")["count"] == 1
    finally:
        _stop(server)


def test_no_path_interpreter_or_pid_in_any_body(tmp_path, db, client, monkeypatch):
    secrets = [str(Path(db).parent), str(tmp_path), sys.executable, sys.prefix, f"PID {os.getpid()}",
               f"pid {os.getpid()}", "Traceback", "Python/"]
    bodies = [client.request(m, t)[2] for m, t in (
        ("GET", "/api/nothing"), ("OPTIONS", "*"), ("TRACE", "/"), ("GET", "/api/events?since=x"),
        ("GET", "/api/relations?a=QQQ&b=USA"), ("GET", "/" + "x" * 5000), ("POST", "/api/health"))]
    # a database that cannot be read, before any snapshot: 503 without the file's path
    foreign = tmp_path / "foreign.duckdb"
    import duckdb

    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INT)").close()
    for path in (foreign, tmp_path / "missing.duckdb"):
        server, c = _start(str(path))
        try:
            code, headers, body = c.request("GET", "/api/health")
            assert code == 503 and json.loads(body)["error"].startswith("the database cannot be read")
            bodies.append(body)
        finally:
            _stop(server)
    # an internal error: 500, the detail in the log only
    monkeypatch.setitem(srv._ROUTES, "/api/dyads", lambda con, q: open(str(tmp_path / "nope" / "x")))
    bodies.append(client.request("GET", "/api/dyads")[2])
    for body in bodies:
        text = body.decode("utf-8")
        assert not any(s in text for s in secrets), text


# -- item 4: ingest and serve together --------------------------------------------------------


def test_stale_derived_tables_are_built_once_per_snapshot_not_per_request(tmp_path, monkeypatch):
    db = _store(tmp_path / "stale.duckdb", 16, derived=False)  # as after an interrupted ingest
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    builds: list[str] = []
    real = dedup._build

    def counting(con, schema, cfg):
        builds.append(schema)
        return real(con, schema, cfg)

    monkeypatch.setattr(dedup, "_build", counting)
    server, c = _start(db)
    try:
        assert builds == ["main"]  # into the snapshot, once
        for _ in range(10):
            assert c.json("/api/events?limit=100")["total"] == 16
            assert c.json("/api/health")["canonical_events"] == 16
            c.json("/api/relations?a=USA&b=CHN")
            c.json("/api/dyads")
        assert builds == ["main"] and server.snapshots.stats == {"taken": 1, "rebuilt": 1, "failed": 0}
    finally:
        _stop(server)
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before  # the store itself untouched
    assert not Path(server.snapshots._dir).exists()  # the snapshots are deleted with the server


WRITER = r"""
import hashlib, sys, time
sys.path.insert(0, sys.argv[3])
from test_reliability_serve import _doc
from detente.store import Store
from detente.dedup import rebuild
from detente.snapshot import write_lock
db, n = sys.argv[1], int(sys.argv[2])
with Store(db, flush_every=5) as store:
    for i in range(24, 24 + n):
        store.add(*_doc(i))
        time.sleep(0.02)
    store.flush()
    with write_lock(db, store._connection()):
        rebuild(store)
"""


def test_a_writer_flushing_while_the_server_answers(tmp_path):
    """A writer (Store, flushes of 5 documents, the dedup build at the end, as `ingest` does)
    and the server on the same store: every answer 200 from a consistent snapshot (documents
    = events = canonical events, the counts never going back), the writer never blocked out."""
    db = _store(tmp_path / "w.duckdb", 24)
    server, c = _start(db, refresh=0.1, child=True)
    try:
        env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
        writer = subprocess.Popen([sys.executable, "-c", WRITER, db, "40", str(Path(__file__).parent)], env=env,
                                  stderr=subprocess.PIPE, text=True)
        seen: list[int] = []
        statuses: list[int] = []
        while writer.poll() is None or len(seen) < 5:
            code, _, body = c.request("GET", "/api/health")
            statuses.append(code)
            h = json.loads(body)
            assert h["documents"] == h["events"] == h["canonical_events"], h  # consistent
            seen.append(h["documents"])
            assert c.request("GET", "/api/events?dyad=USA,CHN&limit=2")[0] == 200
        assert writer.wait(60) == 0, writer.stderr.read()
        assert set(statuses) == {200} and seen == sorted(seen)
        deadline = time.monotonic() + 60
        while c.json("/api/health")["documents"] != 64 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert c.json("/api/health")["canonical_events"] == 64
        assert server.snapshots.stats["taken"] >= 2 and server.snapshots.stats["failed"] == 0
    finally:
        _stop(server)


def test_write_lock_waits_for_a_copy_but_never_fails(tmp_path, monkeypatch):
    db = _store(tmp_path / "l.duckdb", 3)
    fd = snapshot._flock(snapshot.lock_path(db), __import__("fcntl").LOCK_SH, 1, create=False)
    assert fd is not None  # a reader copying
    monkeypatch.setattr(snapshot, "WRITER_WAIT", 0.3)
    t0 = time.monotonic()
    with Store(db) as store:  # waits at most WRITER_WAIT, then writes anyway
        store.add(*_doc(3))
    assert time.monotonic() - t0 >= 0.3
    snapshot._unlock(fd)
    with Store(db, read_only=True) as store:
        assert store.summary()["documents"] == 4


def test_take_refuses_foreign_and_other_schema_stores_without_touching_them(tmp_path):
    import duckdb

    foreign = tmp_path / "f.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE documents (x INT)").close()
    old = Path(_store(tmp_path / "o.duckdb", 2))
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    text = tmp_path / "t.duckdb"
    text.write_text("not a database")
    for path, reason in ((foreign, "not a detente database"), (old, "schema version 0"),
                         (text, "not a valid DuckDB database"), (tmp_path / "none.duckdb", "no such file")):
        before = path.read_bytes() if path.exists() else None
        with pytest.raises(StoreError) as err:
            snapshot.take(path, tmp_path / "snap.duckdb")
        assert reason in str(err.value) and str(tmp_path) not in str(err.value)
        assert (path.read_bytes() if path.exists() else None) == before


@pytest.mark.slow
def test_ingest_and_serve_at_once(tmp_path):
    """`detente ingest` started into the store a running server reads: the ingest exits 0 (the
    server holds no lock on the store), every request is answered 200 (from the last snapshot)
    during the whole ingest, and the new documents are served once it is done."""
    lines = []
    for i in range(30):
        a, b = [("France", "Germany"), ("India", "Pakistan"), ("Japan", "China")][i % 3]
        lines.append(json.dumps({"id": f"n{i}", "date": f"2024-03-{1 + i % 28:02d}",
                                 "text": f"The foreign minister of {a} met the president of {b} in talks on "
                                         f"trade on Monday. {a} criticised {b} over its new tariffs, report {i}."}))
    rest = tmp_path / "rest.jsonl"
    rest.write_text("\n".join(lines) + "\n")
    db = _store(tmp_path / "i.duckdb", 5)
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, "-m", "detente", "ingest", "--db", db, "--no-progress", "--no-summary"]
    server, c = _start(db, refresh=0.2, child=True)
    try:
        assert c.json("/api/health")["documents"] == 5
        ingest = subprocess.Popen(cmd + [str(rest)], env=env, stderr=subprocess.PIPE, text=True)
        statuses: list[int] = []
        while ingest.poll() is None:
            for target in ("/api/health", "/api/events?limit=5", "/api/dyads"):
                statuses.append(c.request("GET", target)[0])
        assert ingest.wait(120) == 0, ingest.stderr.read()
        assert statuses and set(statuses) == {200}
        deadline = time.monotonic() + 60
        while c.json("/api/health")["documents"] != 35 and time.monotonic() < deadline:
            time.sleep(0.1)
        h = c.json("/api/health")
        assert h["documents"] == 35 and h["canonical_events"] > 5
    finally:
        _stop(server)


def test_equal_requests_on_one_snapshot_are_computed_once(db, monkeypatch):
    calls: list[int] = []

    def slow(con, query):
        calls.append(1)
        time.sleep(0.3)
        return {"n": con.execute("SELECT count(*) FROM documents").fetchone()[0]}

    monkeypatch.setitem(srv._ROUTES, "/api/actors", slow)
    server, c = _start(db)
    try:
        out: list = []
        threads = [threading.Thread(target=lambda: out.append(c.request("GET", "/api/actors?top=3")[::2]))
                   for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert out == [(200, b'{"n": 24}')] * 10 and calls == [1]  # joined while computed, then cached
        assert c.request("GET", "/api/actors?top=4")[0] == 200 and calls == [1, 1]  # another request
        assert c.request("HEAD", "/api/actors?top=3")[0] == 200 and calls == [1, 1]
    finally:
        _stop(server)


def test_a_parquet_folder_is_served_from_a_snapshot_too(tmp_path, db):
    import duckdb

    out = tmp_path / "pq"
    con = duckdb.connect(db, read_only=True)
    out.mkdir()
    for table in ("documents", "events"):  # the layout of `ingest --engine dask --parquet`
        con.execute(f"COPY (SELECT *, '2024' AS year, '01' AS month FROM {table}) TO '{out / table}' "
                    "(FORMAT parquet, PARTITION_BY (year, month))")
    con.close()
    server, c = _start(str(out))
    try:
        assert c.json("/api/health") == json.loads(srv.handle(db, "/api/health")[2])
        assert c.json("/api/events?limit=3") == json.loads(srv.handle(db, "/api/events?limit=3")[2])
    finally:
        _stop(server)
