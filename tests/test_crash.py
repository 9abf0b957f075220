"""Crash test (issue 12): `detente ingest` killed with SIGKILL at random moments, two of them
inside a mid-run flush, then run again: the store ends with exactly the documents, events
and canonical events of an uninterrupted run, nothing lost and nothing doubled.

The store flushes every two documents (``DETENTE_FLUSH_EVERY=2``, the store's test hook) so
that a run has many flushes. Kills:

1. inside the third flush's transaction, after its rows are inserted, before COMMIT;
2. a few milliseconds after the second flush's COMMIT began (during or just after it), in the
   run that resumes the first;
3. at a random moment after a random number of documents (read from the progress bar);
4. at a random moment again.

The two in-flush kills come first: they must land, so each run needs documents left to write. A
random kill may land after the last document is stored (the ingest of 40 documents takes two
seconds), and then the next run has nothing left to write and ends normally (exit 1: the corpus
holds one rejected line); either way nothing may be lost or doubled.

The in-flush kills run the real command through a small launcher that wraps the store's
transaction (``Store._write``) to send SIGKILL to its own process; the random ones kill the
installed `detente` script from the outside. Set ``DETENTE_CRASH_SEED`` to replay a run.
See docs/reliability.md, section "Stores".
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from detente.cli import cli

DETENTE = str(Path(sys.executable).parent / "detente")
SRC = str(Path(__file__).resolve().parents[1] / "src")
N_DOCS = 40

_LAUNCHER = r"""
import os, signal, sys, threading
from detente import store
mode, at = os.environ["CRASH_MODE"], int(os.environ["CRASH_AT_FLUSH"])
delay = float(os.environ.get("CRASH_DELAY", "0"))
flushes = [0]
original = store.Store._write


def die():
    os.kill(os.getpid(), signal.SIGKILL)


class Killing:
    # the store's connection, but COMMIT is where the process dies
    def __init__(self, con):
        self._con = con

    def __getattr__(self, name):
        return getattr(self._con, name)

    def commit(self):
        if mode == "before-commit":
            die()
        threading.Timer(delay, die).start()
        return self._con.commit()


def write(self, docs, rejected):
    if docs:
        flushes[0] += 1
    if not docs or flushes[0] != at:
        return original(self, docs, rejected)
    con = self._con
    self._con = Killing(con)
    try:
        return original(self, docs, rejected)
    finally:
        self._con = con


store.Store._write = write
from detente.cli import main
main(sys.argv[1:])
"""


def _env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["DETENTE_FLUSH_EVERY"] = "2"
    env.update(extra)
    return env


_PEOPLE = [("French President Emmanuel Macron", "Paris"), ("German Chancellor Olaf Scholz", "Berlin"),
           ("Iranian Foreign Minister Abbas Araghchi", "Tehran"), ("Saudi Crown Prince Mohammed bin Salman", "Riyadh"),
           ("President Erdogan of Turkey", "Ankara"), ("Indian Prime Minister Narendra Modi", "New Delhi")]
_ACTS = ["The two discussed military aid to Ukraine.", "They signed an agreement on trade.",
         "The talks ended without a deal.", "Both sides promised to cooperate on energy."]
_REACTIONS = ["Russia condemned the meeting on Sunday.", "China welcomed the talks.",
              "Israel criticised the agreement.", "The United States praised the visit."]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 short news articles in a jsonl file (written here: CI has no corpus), and a
    binary file with a non-UTF-8 name (a rejected input whose name must be stored escaped,
    issue 12 item 2), in one folder."""
    folder = tmp_path_factory.mktemp("crash-input")
    with open(folder / "news.jsonl", "w", encoding="utf-8") as out:
        for i in range(N_DOCS):
            (guest, _), (host, capital) = _PEOPLE[i % 6], _PEOPLE[(i // 6 + i + 1) % 6]
            if guest == host:
                host, capital = _PEOPLE[(i + 3) % 6]
            text = (f"On {1 + i % 27} March, {guest} traveled to {capital}, where he met with {host}. "
                    f"{_ACTS[i % 4]}\n\n{_REACTIONS[(i // 4) % 4]}\n")
            out.write(json.dumps({"id": f"news-{i:02d}", "date": f"2024-03-{1 + i % 27:02d}",
                                  "title": f"Talks in {capital}", "text": text}) + "\n")
    with open(os.path.join(os.fsencode(folder), b"scan-\xff.txt"), "wb") as fh:
        fh.write(b"\x00\x01\x02 not text \xff\xfe")
    return folder


def _ingest_in_process(folder: Path, db: Path) -> int:
    """`detente ingest` run through click in this process (the model loads once per session)."""
    r = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--no-progress"],
                           env={"DETENTE_FLUSH_EVERY": "2"})
    assert isinstance(r.exception, SystemExit), r.exception
    return r.exit_code


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """The store of an uninterrupted run."""
    db = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    assert _ingest_in_process(corpus, db) == 1  # the binary file is rejected
    return db


def _contents(db: Path) -> dict:
    """Documents (without ingestion times), events and canonical events, in a fixed order."""
    from detente.dedup import canonical_events

    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY id").fetchall()
        events = con.execute("SELECT * FROM events ORDER BY doc_id, event_id, evidence_start").fetchall()
    finally:
        con.close()
    canon = canonical_events(str(db), mentions=True)
    return {"documents": docs, "events": events, "canonical": canon}


def _kill_after_progress(args: list[str], env: dict, rng: random.Random, log: list) -> int:
    """Start the real command, wait until its progress bar shows a random number of
    documents, wait a random fraction of a second more, SIGKILL it. Its return code."""
    target = rng.randint(1, 8)
    delay = rng.uniform(0.0, 0.6)
    start = time.monotonic()
    proc = subprocess.Popen([DETENTE, *args, "--progress"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**env, "DETENTE_PROGRESS_EVERY": "0"})
    seen = [0]

    def read() -> None:
        buf = b""
        while True:
            chunk = proc.stderr.read1(4096)
            if not chunk:
                return
            buf = (buf + chunk)[-4096:]
            counts = re.findall(rb"ingest: (\d+) (?:of|docs)", buf)
            if counts:
                seen[0] = int(counts[-1])

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 180
    while proc.poll() is None and seen[0] < target and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    rc = proc.wait(timeout=60)
    reader.join(timeout=10)
    log.append(f"random kill after {seen[0]} documents (+{delay:.2f} s, target {target}): rc {rc}, "
               f"{time.monotonic() - start:.1f} s")
    return rc


def _kill_in_flush(args: list[str], env: dict, mode: str, at: int, delay: float, log: list) -> int:
    start = time.monotonic()
    r = subprocess.run([sys.executable, "-c", _LAUNCHER, *args, "--no-progress"], capture_output=True,
                       env={**env, "CRASH_MODE": mode, "CRASH_AT_FLUSH": str(at), "CRASH_DELAY": str(delay)},
                       timeout=300)
    log.append(f"kill {mode} of flush {at} (+{delay * 1000:.1f} ms): rc {r.returncode}, "
               f"{time.monotonic() - start:.1f} s")
    assert b"Traceback" not in r.stderr, r.stderr.decode(errors="replace")
    return r.returncode


@pytest.mark.slow
def test_ingest_killed_at_random_moments_loses_and_doubles_nothing(corpus, reference, tmp_path):
    seed = int(os.environ.get("DETENTE_CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    log: list[str] = [f"seed {seed}"]
    expected = _contents(reference)
    assert len(expected["documents"]) == N_DOCS and expected["events"]

    db = tmp_path / "crashed.duckdb"
    args = ["ingest", str(corpus), "--db", str(db)]
    env = _env()
    rcs = [
        _kill_in_flush(args, env, "before-commit", 3, 0.0, log),
        _kill_in_flush(args, env, "during-commit", 2, rng.uniform(0.0, 0.005), log),
        _kill_after_progress(args, env, rng, log),
        _kill_after_progress(args, env, rng, log),
    ]
    assert rcs[0] == -signal.SIGKILL and rcs[1] == -signal.SIGKILL, log  # both in-flush kills landed
    # a random kill lands, or comes after the run has ended normally (nothing left to write)
    assert all(rc in (-signal.SIGKILL, 1) for rc in rcs[2:]), log
    assert _ingest_in_process(corpus, db) == 1, log  # the re-run finishes
    got = _contents(db)
    assert got["documents"] == expected["documents"], log
    assert got["events"] == expected["events"], log  # nothing lost, nothing doubled
    assert got["canonical"] == expected["canonical"], log
    # a re-run adds nothing
    assert _ingest_in_process(corpus, db) == 1
    assert _contents(db) == expected
    print("\n".join(log))


@pytest.mark.slow
def test_a_non_utf8_file_name_is_a_stored_rejected_row(corpus, reference):
    """Issue 12 item 2 through the command: a rejected input whose name is not UTF-8 used to
    abort the ingest at the next flush (exit 2, later documents never processed); its row is
    now stored with the name made valid text, and every document is processed and deduplicated."""
    from detente.store import Store

    db = reference
    with Store(str(db), read_only=True) as store:
        rejected = [(r["origin"], r["reason"]) for r in store.rejected()]
        assert store.summary()["documents"] == N_DOCS
    # the undecodable byte of the name is U+FFFD, as every string is made on the way in
    assert rejected == [(f"{corpus}/scan-\ufffd.txt", "binary file")]
    from detente.dedup import is_fresh

    con = duckdb.connect(str(db), read_only=True)
    assert is_fresh(con)
    con.close()
