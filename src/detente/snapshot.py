"""Reading while writing: private, consistent snapshots of a store for ``detente serve``.

DuckDB lets one process hold a database file for writing, and while it does (all of
``detente ingest``) no other process can open the file, not even read-only. So the server never
opens the store itself. It reads a *snapshot*: a private copy of the store file (and of its
write-ahead log), taken between two of the writer's transactions, opened read-only, with its
derived tables (deduplication: ``doc_groups``, ``event_map``, ``canonical_events``) built once
into the copy when the writer had not built them yet. Requests only ever read the current
snapshot; when the store changes, a new snapshot is taken in the background (in a child
process, so the server's threads keep the interpreter) and swapped in, and the old one is
closed and deleted when its last request is done. See docs/store.md, "Reading while writing".

Writer side: :func:`write_lock` around each write transaction of ``detente.store.Store`` and
around the deduplication at the end of ``ingest``: an exclusive ``flock`` on the sidecar file
``<store>.lock`` and a ``CHECKPOINT`` before it is released (the store file alone is then the
committed state). The reader takes the same lock shared while it copies, and checks that the
files did not change during the copy. Neither side ever waits long: the writer at most for one
copy (bounded by :data:`WRITER_WAIT`, after which it goes on without the lock).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from detente.errors import StoreError, one_line

__all__ = ["WRITER_WAIT", "lock_path", "write_lock", "source_signature", "take", "Snapshot", "Snapshots"]

#: seconds a writer waits for the shared lock of a reader's copy before it writes anyway
WRITER_WAIT = 30.0
#: seconds a reader waits for a writer's transaction before it gives up this round
READER_WAIT = 600.0
#: bytes of answers a snapshot keeps for equal requests, and the largest answer kept
CACHE_BYTES = 64 * 2**20
CACHE_ENTRY = 2 * 2**20


def lock_path(db: str | os.PathLike) -> str:
    """The sidecar lock file of a store: ``<store>.lock``."""
    return str(db) + ".lock"


def _flock(path: str, mode: int, wait: float, create: bool) -> int | None:
    """An open descriptor of ``path`` holding ``flock(mode)``, or None when the lock cannot be
    had (no such file and ``create`` false, a file system without locks, ``wait`` exceeded)."""
    try:
        fd = os.open(path, (os.O_RDWR | os.O_CREAT) if create else os.O_RDONLY, 0o644)
    except OSError:
        return None
    deadline = time.monotonic() + wait
    delay = 0.002
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        except OSError:
            break
    os.close(fd)
    return None


def _unlock(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class _WriteLock:
    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def checkpoint(self, con: Any) -> None:
        """``CHECKPOINT`` ``con``: best effort (the write-ahead log is copied too), except that
        a fault of the disk or the file (a full disk, an I/O error, a damaged store) is raised,
        since it also ends what the writer can do and is what its user must be told."""
        import duckdb

        try:
            con.execute("CHECKPOINT")
        except (duckdb.IOException, duckdb.FatalException, duckdb.InternalException,
                duckdb.SerializationException):
            raise
        except Exception:  # noqa: BLE001 - otherwise an optimisation only; the WAL stays consistent
            pass


_HELD: dict[str, int] = {}  # lock files this process holds exclusively, with their depth
_HELD_LOCK = threading.Lock()


@contextlib.contextmanager
def write_lock(db: str | os.PathLike, con: Any = None) -> Iterator[_WriteLock]:
    """Exclusive lock of a store for one write transaction (writer side).

    Readers (:func:`take`) do not copy the store while it is held. With ``con``, the
    connection is checkpointed before the lock is released, so that the store file alone holds
    what was committed. Never fails: without the lock (no lock file can be created, a reader
    held it longer than :data:`WRITER_WAIT` seconds) the block runs anyway.
    """
    key = os.path.abspath(lock_path(db))
    with _HELD_LOCK:
        outer = key not in _HELD
        _HELD[key] = _HELD.get(key, 0) + 1
    # flock is per open file: a nested write_lock of this process must not wait for the outer one
    fd = _flock(key, fcntl.LOCK_EX, WRITER_WAIT, create=True) if outer else None
    lock = _WriteLock(fd)
    try:
        yield lock
    finally:
        try:
            if con is not None:
                lock.checkpoint(con)
        finally:
            with _HELD_LOCK:
                _HELD[key] -= 1
                if not _HELD[key]:
                    del _HELD[key]
            _unlock(fd)


def _is_parquet(db: str) -> bool:
    """Whether ``db`` is the Parquet output of ``ingest --engine dask --parquet`` (a folder or
    an fsspec URL) rather than a DuckDB file."""
    return "://" in db or os.path.isdir(db)


def source_signature(db: str | os.PathLike) -> tuple | None:
    """What identifies the state of a store on disk: (inode, size, mtime) of the file and of its
    write-ahead log; None when the store file does not exist. A Parquet folder: the number,
    total size and latest mtime of its files; a URL: a constant (read once)."""
    db = str(db)
    if "://" in db:
        return ("url",)
    if os.path.isdir(db):
        n = size = latest = 0
        for root, _, files in os.walk(db):
            for f in files:
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(root, f))
                    n, size, latest = n + 1, size + st.st_size, max(latest, st.st_mtime_ns)
        return ("parquet", n, size, latest)
    sig = []
    for path in (str(db), str(db) + ".wal"):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            sig.append(None)
            continue
        sig.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return None if sig[0] is None else tuple(sig)


def _copy(src: str, dst: str) -> tuple:
    """Copy the store ``src`` (and its WAL) to ``dst`` between two writes: under the shared
    lock, retried while the files change during the copy. Returns the source's signature."""
    for attempt in range(8):
        fd = _flock(lock_path(src), fcntl.LOCK_SH, READER_WAIT, create=False)
        try:
            before = source_signature(src)
            if before is None:
                raise StoreError("no such file", code="DTE301")
            try:
                shutil.copyfile(src, dst)
                if before[1] is not None:
                    shutil.copyfile(src + ".wal", dst + ".wal")
                elif os.path.exists(dst + ".wal"):
                    os.remove(dst + ".wal")
            except FileNotFoundError:
                after = None  # the WAL went away under a writer without the lock: again
            except OSError as err:
                raise StoreError(f"cannot copy the database: {one_line(err)}") from err
            else:
                after = source_signature(src)
        finally:
            _unlock(fd)
        if after == before:
            return before
        time.sleep(min(0.05 * 2 ** attempt, 2.0))
    raise StoreError("the database kept changing while it was copied")


def _scrub(message: str, *paths: str) -> str:
    for p in paths:
        if p:
            message = message.replace(f'"{p}" ', "").replace(p, "the database")
    return message


def take(src: str | os.PathLike, dst: str | os.PathLike,
         progress: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Take a snapshot of the store ``src`` into the new file ``dst`` (and build its derived
    tables if the store's are stale). ``progress`` is called with ``{"event": "copied", ...}``
    once the copy is known to be a readable detente store.

    Returns ``{"source": signature, "rebuilt": bool, "documents": n, "seconds": s}``; raises
    ``StoreError`` with a one-line reason that names no path (not a detente database, another
    schema version, not a DuckDB file...).
    """
    import duckdb

    from detente import dedup
    from detente.store import SCHEMA_VERSION

    src, dst = str(src), os.path.abspath(dst)
    parquet = _is_parquet(src)
    if not parquet:
        src = os.path.abspath(src)
    t0 = time.monotonic()
    sig = source_signature(src) if parquet else _copy(src, dst)
    try:
        con = duckdb.connect(dst)
    except duckdb.Error as err:
        raise StoreError(_scrub(one_line(err), dst, src)) from err
    try:
        try:
            if parquet:  # the events and documents of the Parquet, loaded into the snapshot's file
                from detente.store.backend import attach_parquet

                try:
                    attach_parquet(con, src, materialize=True, derived=False)
                except Exception as err:  # noqa: BLE001 - any reader error is one line
                    raise StoreError(f"cannot read Parquet: {_scrub(one_line(err), src)}") from err
            tables = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
            if not parquet and not {"meta", "documents", "events"} <= tables:
                raise StoreError("not a detente database", code="DTE302")
            found = None if parquet else con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if not parquet and (found[0] if found else None) != str(SCHEMA_VERSION):
                raise StoreError(f"schema version {found[0] if found else None}, "
                                 f"this detente expects {SCHEMA_VERSION}", code="DTE303")
            n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            if progress:
                progress({"event": "copied", "documents": int(n_docs)})
            con.execute("SET enable_progress_bar = false")
            rebuilt = not dedup.is_fresh(con)
            if rebuilt:
                dedup.build_tables(con)  # a write, on the private copy
            con.execute("CHECKPOINT")
        except duckdb.Error as err:
            raise StoreError(_scrub(one_line(err), dst, src)) from err
    finally:
        con.close()
    return {"source": sig, "rebuilt": rebuilt, "documents": int(n_docs), "seconds": round(time.monotonic() - t0, 3)}


def _main(argv: list[str]) -> int:
    """The snapshot child process: ``python -m detente.snapshot SRC DST``; JSON lines on stdout."""
    src, dst = argv

    def say(obj: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    try:
        say({"event": "ready", **take(src, dst, progress=say)})
    except StoreError as err:
        say({"event": "error", "error": str(err)})
        return 2
    return 0


# -- the server's side -----------------------------------------------------------------------


class Snapshot:
    """One snapshot: a private copy of the store open read-only, shared by the requests that
    hold it (:meth:`Snapshots.acquire`); closed and deleted when retired and released."""

    def __init__(self, path: str, info: dict[str, Any]) -> None:
        import duckdb

        from detente import dedup

        self.path = path
        self.info = info
        self.source = tuple(tuple(x) if isinstance(x, list) else x for x in info["source"])
        self.taken_at = time.time()
        self._lock = threading.Lock()
        self.refs = 0
        self.retired = False
        #: answers already given on this snapshot (it never changes): target -> (status, type, body)
        self.answers: OrderedDict[str, tuple] = OrderedDict()
        self.answer_bytes = 0
        #: requests being computed: target -> future of the answer
        self.inflight: dict[str, Any] = {}
        self.con = duckdb.connect(path, read_only=True)
        try:
            self.con.execute("SET enable_progress_bar = false")
            if not dedup.is_fresh(self.con):
                raise StoreError("the snapshot's derived tables are stale")
        except BaseException:
            self.con.close()
            raise

    def cursor(self):
        """A connection of its own (a DuckDB cursor) on this snapshot, for one request."""
        with self._lock:
            return self.con.cursor()

    def remember(self, target: str, answer: tuple) -> None:
        """Keep an answer for the next equal request (least recently used out beyond
        :data:`CACHE_BYTES`; answers over :data:`CACHE_ENTRY` bytes are not kept)."""
        size = len(answer[2]) + len(target)
        if size > CACHE_ENTRY:
            return
        with self._lock:
            if target in self.answers:
                return
            self.answers[target] = answer
            self.answer_bytes += size
            while self.answer_bytes > CACHE_BYTES and self.answers:
                old_target, old = self.answers.popitem(last=False)
                self.answer_bytes -= len(old[2]) + len(old_target)

    def _dispose(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()
        for p in (self.path, self.path + ".wal"):
            with contextlib.suppress(OSError):
                os.remove(p)


class Snapshots:
    """The snapshots a server reads: the first one taken at :meth:`start`, then a new one
    whenever the store changed (checked every ``refresh`` seconds), each in a child process
    (``child=True``) or a thread of this one. ``acquire``/``release`` bracket each request.

    ``stats``: ``taken`` (snapshots swapped in), ``rebuilt`` (of which the derived tables
    were built into the copy), ``failed``. ``error``: the last failure (one line, no path).
    ``prepare(snapshot)``, if given, runs on each new snapshot before requests see it. ``log``
    gets a line per snapshot taken, ``log_errors`` (default ``log``) a line per new failure.
    """

    def __init__(self, db: str | os.PathLike, refresh: float = 2.0, directory: str | None = None,
                 child: bool = True, log: Callable[[str], None] | None = None,
                 prepare: Callable[[Snapshot], None] | None = None,
                 log_errors: Callable[[str], None] | None = None) -> None:
        self.db = str(db) if "://" in str(db) else os.path.abspath(str(db))
        self.prepare = prepare  # called with each new snapshot before it is swapped in
        self.refresh = max(0.05, float(refresh))
        self.child = child
        self._log = log or (lambda line: None)
        self._log_errors = log_errors or self._log
        self._dir = tempfile.mkdtemp(prefix="detente-snapshots-", dir=directory)
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._valid = threading.Event()   # the first copy was validated (or failed)
        self._first = threading.Event()   # the first snapshot is in place (or failed)
        self._thread: threading.Thread | None = None
        self._proc: subprocess.Popen | None = None
        self._n = 0
        self.error: str | None = None
        self.stats = {"taken": 0, "rebuilt": 0, "failed": 0}
        #: the first snapshot's error is not logged (its caller reports it, e.g. `serve` exits 2)
        self.quiet_first = False

    # -- lifecycle

    def start(self) -> "Snapshots":
        """Start taking snapshots (in a background thread)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="detente-snapshots", daemon=True)
            self._thread.start()
        return self

    def wait(self, ready: bool = True, timeout: float | None = None) -> str | None:
        """Wait until the first snapshot is in place (``ready``) or its copy validated;
        the error (one line) if it failed, else None."""
        (self._first if ready else self._valid).wait(timeout)
        return self.error if self._current is None else None

    def refresh_now(self) -> None:
        """Check the store now rather than at the next tick."""
        self._wake.set()

    @property
    def closing(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._stop.is_set()

    def close(self) -> None:
        """Stop the background thread (and a running child) and delete every snapshot."""
        self._stop.set()
        self._wake.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.kill()
        if self._thread is not None:
            self._thread.join(30)
        with self._lock:
            snap, self._current = self._current, None
            if snap is not None:
                snap.retired = True
            dispose = snap is not None and snap.refs == 0
        if dispose:
            snap._dispose()  # else with its last request (the open file outlives the folder)
        shutil.rmtree(self._dir, ignore_errors=True)

    # -- requests

    def acquire(self) -> Snapshot | None:
        """The current snapshot, held until :meth:`release` (None before the first one)."""
        with self._lock:
            snap = self._current
            if snap is not None:
                snap.refs += 1
            return snap

    def release(self, snap: Snapshot) -> None:
        """Done with ``snap``; a retired snapshot is closed and deleted with its last request."""
        with self._lock:
            snap.refs -= 1
            dispose = snap.retired and snap.refs == 0
        if dispose:
            snap._dispose()

    @property
    def current(self) -> Snapshot | None:
        """The snapshot requests get now (None before the first one)."""
        return self._current

    # -- taking snapshots

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            sig = source_signature(self.db)
            cur = self._current
            if cur is None or sig != cur.source:
                if self._take_one():
                    failures = 0
                else:
                    failures += 1
                self._valid.set()
                self._first.set()
            delay = self.refresh if not failures else min(60.0, self.refresh * 2 ** min(failures, 6))
            self._wake.wait(delay)
            self._wake.clear()

    def _take_one(self) -> bool:
        self._n += 1
        dst = os.path.join(self._dir, f"snapshot-{self._n}.duckdb")
        t0 = time.monotonic()
        try:
            info = self._run_child(dst) if self.child else take(self.db, dst, progress=self._copied)
            snap = Snapshot(dst, info)
            if self.prepare is not None:
                try:
                    self.prepare(snap)
                except Exception:  # noqa: BLE001 - an optimisation only
                    pass
        except StoreError as err:
            self._failed(dst, str(err))
            return False
        except Exception as err:  # noqa: BLE001 - a bug: logged, the old snapshot stays
            import traceback

            traceback.print_exc(file=sys.stderr)
            self._failed(dst, f"internal error: {one_line(err)}")
            return False
        with self._lock:
            old, self._current = self._current, snap
            dispose_old = old is not None and old.refs == 0
            if old is not None:
                old.retired = True
        if dispose_old:
            old._dispose()
        self.error = None
        self.stats["taken"] += 1
        self.stats["rebuilt"] += int(bool(info.get("rebuilt")))
        self._log(f"snapshot {self._n}: {info.get('documents')} documents"
                  f"{', derived tables built' if info.get('rebuilt') else ''} "
                  f"in {time.monotonic() - t0:.1f} s")
        return True

    def _copied(self, obj: dict[str, Any]) -> None:
        self._valid.set()

    def _failed(self, dst: str, message: str) -> None:
        for p in (dst, dst + ".wal"):
            with contextlib.suppress(OSError):
                os.remove(p)
        self.stats["failed"] += 1
        if message != self.error and not (self.quiet_first and not self.stats["taken"]):
            self._log_errors(f"cannot take a snapshot of {self.db}: {message}")
        self.error = message

    def _run_child(self, dst: str) -> dict[str, Any]:
        import detente

        from detente.settings import child_environ

        env = {**os.environ, **child_environ()}  # the child uses the settings in use here
        root = str(Path(detente.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        proc = subprocess.Popen([sys.executable, "-m", "detente.snapshot", self.db, dst], stdout=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, env=env, text=True)
        self._proc = proc
        result: dict[str, Any] | None = None
        try:
            for line in proc.stdout:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if obj.get("event") == "copied":
                    self._copied(obj)
                elif obj.get("event") in ("ready", "error"):
                    result = obj
        finally:
            proc.stdout.close()
            code = proc.wait()
            self._proc = None
        if result is None or result["event"] == "error":
            if self._stop.is_set():
                raise StoreError("the server is stopping")
            raise StoreError(result["error"] if result else f"the snapshot process failed (exit {code})")
        return result


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
