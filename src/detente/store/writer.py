"""The writer of a DuckDB store: documents, their events, rejected inputs and document revisions.

Writes are buffered in memory and inserted in batches (one pyarrow table per table, one
transaction per flush), so a whole corpus goes in within seconds. What a flush committed is
on disk; what is still buffered is written by the next flush, at the latest at ``close()``.
The schema is documented in ``docs/store.md``.
"""
from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from detente.errors import StoreError, one_line as _one_line
from detente.model import Document, Event, Rejected
from detente.snapshot import write_lock
from detente.store.filters import event_filters
from detente.store.schema import (
    DOCUMENT_COLUMNS as _DOCUMENT_COLUMNS,
    EVENT_COLUMNS as _EVENT_COLUMNS,
    REJECTED_COLUMNS as _REJECTED_COLUMNS,
    REVISION_COLUMNS as _REVISION_COLUMNS,
    SCHEMA_VERSION,
    TABLES as _TABLES,
    arrow_table as _arrow,
    ddl as _ddl,
    document_row,
    event_record as _event_record,
    event_row as _event_row,
    quote as _q,
    rollback as _rollback,
    utc_now as _now,
)

__all__ = ["Store", "SCHEMA_VERSION", "FLUSH_EVERY_ENV", "db_error_cause", "storable", "check_schema"]

#: the environment variable that sets ``flush_every`` when a Store is not given one (a test
#: hook: the crash test flushes every two documents; see docs/store.md)
FLUSH_EVERY_ENV = "DETENTE_FLUSH_EVERY"


def storable(text: str | None) -> str | None:
    """``text`` as it can be stored (valid UTF-8): unchanged when it already is; otherwise
    each lone surrogate is written out as an escape, ``\\xff`` for a byte that was not UTF-8
    (a file name read with ``surrogateescape``), ``\\ud800`` for any other."""
    if text is None:
        return None
    text = str(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


# what DuckDB says, and what it means for the user
_CAUSES = (
    (("no space left", "file too large", "disk quota", "quota exceeded"),
     "the disk is full (or a file size limit was reached)"),
    (("not a valid duckdb database file",), "not a DuckDB database (corrupt, or another kind of file)"),
    (("could not read enough bytes",), "the file is truncated or corrupt"),
    (("corrupt database file", "checksum"), "the file is corrupt"),
    (("could not set lock", "conflicting lock"), "the database is in use by another process"),
    (("trying to read a database file with version", "storage version", "serialized with"),
     "the file was written by an incompatible DuckDB version"),
    (("permission denied", "read-only file system"), "permission denied"),
)
_DISK_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def db_error_cause(err: BaseException) -> str:
    """A one-line description of a DuckDB or OS error that names its cause first, e.g.
    ``the disk is full (or a file size limit was reached) (IO Error: Could not write ...)``;
    the error's own first line when the cause is not recognised."""
    text = _one_line(err)
    if isinstance(err, OSError) and err.errno in _DISK_ERRNOS:
        return f"{_CAUSES[0][1]} ({text})"
    low = text.lower()
    for needles, cause in _CAUSES:
        if any(n in low for n in needles):
            return f"{cause} ({text})"
    return text


# Errors of one row, that writing the batch's documents in smaller parts isolates: a value
# Arrow cannot convert (a lone surrogate, a wrong type), a constraint or a conversion in
# DuckDB. Any other error (I/O, a full disk, a failed commit, an invalidated database) is a
# fault of the store, and ends the flush with a StoreError naming it.
_ROW_ERRORS = (
    pa.ArrowException, TypeError, ValueError, OverflowError,
    duckdb.ConstraintException, duckdb.ConversionException, duckdb.InvalidInputException,
    duckdb.OutOfRangeException, duckdb.TypeMismatchException, duckdb.OutOfMemoryException,
)


def _unstorable_field(pending: "_Pending") -> str | None:
    """``"its title holds ..."``: the first text field of a buffered document (or of its
    events) that is not valid UTF-8, described in one line; None when every field is."""
    names = [name for name, _, _ in _DOCUMENT_COLUMNS]
    rows = [("", names, pending.doc)]
    event_names = [name for name, _, _ in _EVENT_COLUMNS]
    rows += [(f"event {storable(e[0])}: ", event_names, e) for e in pending.events]
    for prefix, cols, row in rows:
        for name, value in zip(cols, row):
            values = value if isinstance(value, list) else [value]
            for v in values:
                if not isinstance(v, str):
                    continue
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError as err:
                    code = ord(v[err.start])
                    if 0xDC80 <= code <= 0xDCFF:  # a byte decoded with surrogateescape
                        return (f"{prefix}its {name} holds the byte \\x{code - 0xDC00:02x} at position "
                                f"{err.start}, which is not valid UTF-8")
                    return (f"{prefix}its {name} holds \\u{code:04x} at position {err.start}, "
                            f"a lone surrogate that is not valid UTF-8")
    return None


def _unstored(pending: "_Pending", err: BaseException) -> Rejected:
    """The rejected row of a buffered document that could not be written, its reason naming
    the field at fault when a text is not valid UTF-8, else the error."""
    doc_id = pending.doc[0]
    reason = _unstorable_field(pending) or db_error_cause(err)
    return Rejected(origin=storable(pending.doc[1] or doc_id) or "?", doc_id=storable(doc_id),
                    reason=storable(f"cannot store the document: {reason}"))



def _flush_every_from_env() -> int:
    """The setting ``store.flush_every``: ``DETENTE_FLUSH_EVERY`` (a positive integer), else 1000."""
    from detente.settings import current

    return current().store.flush_every


def _main_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The names of the tables and views of the database file itself (schema ``main``)."""
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()}


def _check_size(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """StoreError when the file is shorter than the blocks in use its header lists (a truncated
    copy whose catalog happens to be readable). Skipped while a write-ahead log is beside the file:
    its replay may list blocks not yet written."""
    p = Path(str(path))
    if not p.is_file() or Path(str(path) + ".wal").exists():
        return
    try:
        row = con.execute("SELECT used_blocks, block_size FROM pragma_database_size()").fetchone()
    except duckdb.Error:
        return
    if row is None or row[0] is None or row[1] is None:
        return
    # every block in use is somewhere in the file, after its three header blocks (free blocks
    # may be missing at its end)
    expected = int(row[0]) * int(row[1]) + 3 * 4096
    size = p.stat().st_size
    if size < expected:
        raise StoreError(f"cannot open database {path}: the file is truncated or corrupt "
                         f"({size} bytes, its header lists {expected})", code="DTE304")


def check_schema(con: duckdb.DuckDBPyConnection, path: str, *, create: bool = False) -> bool:
    """Check that the database on ``con`` is a detente store of this schema version.

    Returns True when the schema is still to be created: an empty database (no table), or a
    store missing some of its tables, and ``create`` allows it. Raises StoreError (one line,
    naming the cause) for a database of another application (tables, but no detente
    ``meta``), a store of another schema version, a store with missing tables when
    ``create`` is false, and an empty database when ``create`` is false.
    """
    try:
        tables = _main_tables(con)
        version: str | None = None
        if "meta" in tables:
            found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = None if found is None else str(found[0])
    except duckdb.Error as err:  # a catalog that cannot be read: a corrupt or truncated file
        raise StoreError(f"cannot open database {path}: {db_error_cause(err)}") from err
    _check_size(con, path)
    if "meta" not in tables or version is None:
        if not tables:
            if create:
                return True
            raise StoreError(f"cannot open database {path}: not a detente database (an empty DuckDB database)",
                             code="DTE302")
        names = sorted(tables)
        shown = ", ".join(storable(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        what = ("no detente schema version; its tables: " if {"documents", "events"} & tables
                else "a DuckDB database of other tables: ")
        raise StoreError(
            f"cannot open database {path}: not a detente database ({what}{shown}); detente leaves it unchanged",
            code="DTE302")
    if version != str(SCHEMA_VERSION):
        try:
            age = "an older" if int(version) < SCHEMA_VERSION else "a newer"
        except ValueError:
            age = "an unknown"
        raise StoreError(
            f"cannot open database {path}: schema version {storable(version)} ({age} detente's store), "
            f"this detente expects {SCHEMA_VERSION}; ingest into a new database",
            code="DTE303")
    missing = set(_TABLES) - tables
    if not missing:
        return False
    if create:
        return True
    raise StoreError(f"cannot open database {path}: missing tables {', '.join(sorted(missing))}")


# what a batch that cannot be written raises: a bad value for Arrow, any DuckDB error
_WRITE_ERRORS = (duckdb.Error, pa.ArrowException, TypeError, ValueError, OverflowError)


class _Pending:
    """A buffered document: its row, its event rows, and what replacing it involves."""

    __slots__ = ("doc", "events", "replace", "revisions", "status")

    def __init__(self, doc: tuple, events: list[tuple], status: str = "added") -> None:
        self.doc = doc
        self.events = events
        self.replace = False  # a stored version must be deleted first
        self.revisions: list[tuple] = []
        self.status = status  # what add() answered: "added" or "replaced"


class Store:
    """DuckDB store of documents, events and rejected inputs.

    Use as a context manager, or call ``close()``: buffered rows are written every
    ``flush_every`` documents (or ``flush_events`` events), on ``flush()``, before every query
    and at close. Each flush is one transaction.
    """

    def __init__(
        self,
        path: str = "detente.duckdb",
        read_only: bool = False,
        *,
        flush_every: int | None = None,
        flush_events: int = 50_000,
        on_reject: Callable[[Rejected, str, int], None] | None = None,
    ) -> None:
        """Open (or create) the database at ``path``.

        Raises StoreError with a one-line message naming the cause if the file cannot be
        opened (missing when read-only, corrupt or truncated, not a DuckDB database, in use),
        is a DuckDB database of another application (which is then left as it was: it is
        inspected read-only before it is opened for writing), or holds a detente schema of
        another version. ``flush_every`` defaults to the environment variable
        ``DETENTE_FLUSH_EVERY``, else 1000. ``on_reject(rejected, status, n_events)`` is
        called for each document that a flush could not store and recorded as rejected
        instead (``status`` is what ``add`` had answered for it).
        """
        self.path = str(path)
        self.read_only = read_only
        if flush_every is None:
            flush_every = _flush_every_from_env()
        self.flush_every = max(1, flush_every)
        self.flush_events = max(1, flush_events)
        self.on_reject = on_reject
        self._con: duckdb.DuckDBPyConnection | None = None
        # doc id -> content hash, for every stored or buffered document
        self._hashes: dict[str, str] = {}
        # buffered documents, by id
        self._docs: dict[str, _Pending] = {}
        self._n_buffered_events = 0
        self._rejected: list[tuple] = []
        try:
            if read_only:
                if not Path(self.path).exists():
                    raise StoreError(f"cannot open database {self.path}: no such file", code="DTE301")
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                if Path(self.path).exists():
                    self._inspect()
            # snapshot readers (`detente serve`) copy the file between two writes (detente.snapshot)
            with contextlib.nullcontext() if read_only else write_lock(self.path) as lock:
                self._con = duckdb.connect(self.path, read_only=read_only)
                self._init_schema()
                if lock is not None:
                    lock.checkpoint(self._con)
            rows = self._con.execute("SELECT id, content_hash FROM documents").fetchall()
        except StoreError:
            self._abandon()
            raise
        except (duckdb.Error, OSError) as err:
            self._abandon()
            raise StoreError(f"cannot open database {self.path}: {db_error_cause(err)}") from err
        self._hashes = dict(rows)

    # -- set-up -------------------------------------------------------------------------

    def _abandon(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            except duckdb.Error:
                pass
            self._con = None

    def _inspect(self) -> None:
        """Check an existing file on a read-only connection before opening it for writing,
        so that nothing is written into a file that is not a detente store (not even a
        replayed write-ahead log)."""
        try:
            con = duckdb.connect(self.path, read_only=True)
        except duckdb.ConnectionException as err:
            if "different configuration" in str(err):
                return  # this process has it open for writing: a store it has checked
            raise
        try:
            check_schema(con, self.path, create=True)
        finally:
            con.close()

    def _init_schema(self) -> None:
        con = self._connection()
        if not check_schema(con, self.path, create=not self.read_only):
            return
        con.begin()
        try:
            con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for table, columns in _TABLES.items():
                con.execute(_ddl(table, columns))
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                [str(SCHEMA_VERSION)],
            )
            con.execute(
                "INSERT INTO meta VALUES ('created_at', ?) ON CONFLICT DO NOTHING",
                [_now().isoformat(timespec="seconds") + "Z"],
            )
            con.commit()
        except duckdb.Error:
            _rollback(con)
            raise

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The store's DuckDB connection, with what is buffered written first (a writable
        store): for the readers of ``detente.store.query`` and the dedup tables' builder."""
        if not self.read_only:
            self.flush()
        return self._connection()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"database {self.path} is closed", code="DTE305")
        return self._con

    def _writable(self) -> None:
        self._connection()
        if self.read_only:
            raise StoreError(f"database {self.path} is open read-only", code="DTE305")

    # -- context manager ----------------------------------------------------------------

    def __enter__(self) -> "Store":
        """The store itself; leaving the block flushes and closes it."""
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Flush and close. If the block raised, a failure to flush does not hide its error."""
        if exc_type is None:
            self.close()
            return
        try:
            self.close()
        except StoreError:
            self._abandon()

    def close(self) -> None:
        """Write what is buffered and close the database. Closing twice is harmless."""
        if self._con is None:
            return
        try:
            if not self.read_only:
                self.flush()
        finally:
            self._abandon()

    # -- writing ------------------------------------------------------------------------

    def document_status(self, doc_id: str, content_hash: str) -> Literal["new", "unchanged", "changed"]:
        """Whether a document is new, stored with this very text, or stored with another text.

        Looks in an in-memory map (loaded at open, kept up to date by ``add``): no query.
        """
        stored = self._hashes.get(doc_id)
        if stored is None:
            return "new"
        return "unchanged" if stored == content_hash else "changed"

    def add(self, doc: Document, events: Sequence[Event]) -> Literal["added", "unchanged", "replaced"]:
        """Store a document and its events (buffered; written at the next flush).

        Same id and same ``content_hash`` as a stored document: nothing is added
        (``"unchanged"``). Same id, another hash: the new version replaces the old one and
        all its events, and the replacement is recorded in ``revisions`` (``"replaced"``).
        Every event must belong to ``doc`` (``event.doc_id == doc.id``).
        """
        self._writable()
        status = self.document_status(doc.id, doc.content_hash)
        if status == "unchanged":
            return "unchanged"
        for ev in events:
            if ev.doc_id != doc.id:
                raise ValueError(f"event {ev.event_id} has doc_id {ev.doc_id!r}, not {doc.id!r}")
        event_rows = [_event_row(ev) for ev in events]
        now = _now()
        doc_row = document_row(doc, now)
        pending = _Pending(doc_row, event_rows, "added" if status == "new" else "replaced")
        if status == "changed":
            previous = self._docs.pop(doc.id, None)
            if previous is not None:
                # replaced before it was written: the stored version (if any) still goes
                self._n_buffered_events -= len(previous.events)
                pending.replace = previous.replace
                pending.revisions.extend(previous.revisions)
            else:
                pending.replace = True
            pending.revisions.append((doc.id, self._hashes[doc.id], doc.content_hash, now))
        self._docs[doc.id] = pending
        self._n_buffered_events += len(event_rows)
        self._hashes[doc.id] = doc.content_hash
        if len(self._docs) >= self.flush_every or self._n_buffered_events >= self.flush_events:
            self.flush()
        return "added" if status == "new" else "replaced"

    def add_rejected(self, rejected: Rejected) -> None:
        """Record an input that could not be read (buffered; written at the next flush).

        Text that is not valid UTF-8 (a lone surrogate in a name, a file name that was not
        UTF-8) is stored escaped (see :func:`storable`), so that the row can always be written.
        """
        self._writable()
        self._rejected.append((
            storable(rejected.origin) or "?", storable(rejected.doc_id),
            storable(rejected.reason) or "no reason given", _now(),
        ))

    def flush(self) -> None:
        """Write the buffered rows in one transaction (a no-op when nothing is buffered).

        A replaced document's old version and events are deleted in the same transaction
        as its new version is inserted. If a row keeps the batch from being written (a
        value that is not valid UTF-8, a NULL where the schema has NOT NULL), the batch is
        written again in halves, down to one document per transaction: the good documents
        are stored, and each bad one is recorded in ``rejected`` with its reason instead
        (and passed to ``on_reject``), so that one bad document costs only itself. A fault
        of the store itself (a full disk, an I/O error) raises StoreError naming it; what
        earlier flushes committed stays.
        """
        self._connection()
        if not (self._docs or self._rejected):
            return
        if self.read_only:
            raise StoreError(f"database {self.path} is open read-only", code="DTE305")
        docs, rejected = list(self._docs.values()), list(self._rejected)
        self._clear_buffers()
        self._write_batch(docs, rejected)

    def _write_batch(self, docs: list["_Pending"], rejected: list[tuple]) -> None:
        """Write a flush's documents and rejected rows: in one transaction, or, when a row
        keeps that from working, in parts, turning each document that cannot be written
        into a rejected row. StoreError for a fault of the store (the id -> hash map then
        says again what the database holds)."""
        try:
            self._write(docs, rejected)
            return
        except _WRITE_ERRORS as err:
            if not isinstance(err, _ROW_ERRORS):
                self._reload_hashes()
                raise StoreError(f"cannot write database {self.path}: {db_error_cause(err)}") from err
        unstored: list[tuple[_Pending, Rejected]] = []
        try:
            self._write_parts(docs, unstored)
            rows = [(r.origin, r.doc_id, r.reason, _now()) for _, r in unstored]
            self._write([], rejected + rows)
        except _WRITE_ERRORS as err:
            self._reload_hashes()
            raise StoreError(f"cannot write database {self.path}: {db_error_cause(err)}") from err
        if not unstored:
            return
        self._reload_hashes()  # a document not stored is "new" again, or its stored version stays
        if self.on_reject is not None:
            for pending, rej in unstored:
                self.on_reject(rej, pending.status, len(pending.events))

    def _write_parts(self, docs: list["_Pending"], unstored: list[tuple["_Pending", Rejected]]) -> None:
        """Write documents in halves (in order), each half in one transaction, until each
        document that cannot be written is alone; those go to ``unstored`` with their
        Rejected. A fault of the store is raised as it is."""
        if not docs:
            return
        try:
            self._write(docs, [])
            return
        except _ROW_ERRORS as err:
            if len(docs) == 1:
                unstored.append((docs[0], _unstored(docs[0], err)))
                return
        mid = (len(docs) + 1) // 2
        self._write_parts(docs[:mid], unstored)
        self._write_parts(docs[mid:], unstored)

    def _write(self, docs: list["_Pending"], rejected: list[tuple]) -> None:
        """Write documents (replacing stored versions) and rejected rows in one transaction."""
        con = self._connection()
        batches = {
            "documents": _arrow(_DOCUMENT_COLUMNS, [p.doc for p in docs]),
            "events": _arrow(_EVENT_COLUMNS, [e for p in docs for e in p.events]),
            "rejected": _arrow(_REJECTED_COLUMNS, rejected),
            "revisions": _arrow(_REVISION_COLUMNS, [r for p in docs for r in p.revisions]),
        }
        replace = pa.table({"id": pa.array([p.doc[0] for p in docs if p.replace], type=pa.string())})
        registered: list[str] = []
        lock = write_lock(self.path, con)  # snapshot readers copy the file between two writes
        lock.__enter__()
        try:
            con.begin()
            try:
                if replace.num_rows:
                    con.register("_detente_replace", replace)
                    registered.append("_detente_replace")
                    con.execute("DELETE FROM events WHERE doc_id IN (SELECT id FROM _detente_replace)")
                    con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM _detente_replace)")
                for table, batch in batches.items():
                    if not batch.num_rows:
                        continue
                    name = f"_detente_buf_{table}"
                    con.register(name, batch)
                    registered.append(name)
                    cols = ", ".join(_q(c) for c in batch.column_names)
                    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
                con.commit()
            except duckdb.Error:
                _rollback(con)
                raise
        finally:
            lock.__exit__(None, None, None)  # CHECKPOINT, then unlock
            for name in registered:
                try:
                    con.unregister(name)
                except duckdb.Error:
                    pass

    def _clear_buffers(self) -> None:
        self._docs = {}
        self._n_buffered_events = 0
        self._rejected = []

    def _reload_hashes(self) -> None:
        """After a failed write: the id -> hash map again says what the database holds."""
        try:
            rows = self._connection().execute("SELECT id, content_hash FROM documents").fetchall()
        except duckdb.Error:
            return
        self._hashes = dict(rows)

    # -- reading ------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows of a query as dicts, fetched in Arrow batches on a cursor of their own."""
        if not self.read_only:
            self.flush()
        cur = self._connection().cursor()
        try:
            reader = cur.sql(sql, params=list(params)).to_arrow_reader(10_000)
            for batch in reader:
                yield from batch.to_pylist()
        except duckdb.Error as err:
            raise StoreError(f"cannot read database {self.path}: {db_error_cause(err)}") from err
        finally:
            cur.close()

    def events(
        self,
        dyad: tuple[str, str] | None = None,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Iterator[dict]:
        """Stored events as schema records (``Event.to_dict()`` form), by date, doc_id, event_id.

        ``dyad=(A, B)``: events between A and B in either direction; ``actor``: events with A
        on either side. A code matches an actor's ISO3 country or its CAMEO actor code.
        ``since``/``until`` (YYYY, YYYY-MM or YYYY-MM-DD, both inclusive) compare by prefix:
        an event dated 2023-01 counts as 2023-01-01, so it is after ``since=2023-01`` but
        not after ``since=2023-01-15``; ``until=2023-01`` takes all of January. Events
        without a date are left out when ``since`` or ``until`` is given, and come last
        otherwise.
        """
        where, params = event_filters(dyad, actor, since, until)
        sql = "SELECT * FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY "date" NULLS LAST, doc_id, event_id'
        return (_event_record(row) for row in self._query(sql, params))

    def documents(self) -> Iterator[dict]:
        """Stored documents as dicts (every column; ``removed`` a list, ``ingested_at`` ISO), by id."""
        for row in self._query("SELECT * FROM documents ORDER BY id"):
            row["removed"] = list(row["removed"] or [])
            row["ingested_at"] = row["ingested_at"].isoformat() + "Z"
            yield row

    def revisions(self) -> Iterator[dict]:
        """Recorded replacements: ``{"doc_id", "old_hash", "new_hash", "at"}``, oldest first."""
        for row in self._query("SELECT * FROM revisions ORDER BY \"at\", doc_id"):
            row["at"] = row["at"].isoformat() + "Z"
            yield row

    def rejected(self) -> Iterator[dict]:
        """Recorded rejected inputs: ``{"origin", "doc_id", "reason", "at"}``, oldest first."""
        for row in self._query("SELECT * FROM rejected ORDER BY \"at\", origin"):
            row["at"] = row["at"].isoformat() + "Z"
            yield row

    def summary(self, top: int = 10) -> dict:
        """Counts and the busiest country pairs.

        ``{"documents": N, "events": N, "rejected": N, "pairs": [(A, B, n), ...]}``: pairs are
        undirected (A < B, both countries known and different), busiest first, at most ``top``.
        """
        counts = list(self._query(
            "SELECT (SELECT count(*) FROM documents) AS documents, "
            "(SELECT count(*) FROM events) AS events, "
            "(SELECT count(*) FROM rejected) AS rejected"
        ))[0]
        pairs = [
            (r["a"], r["b"], r["n"])
            for r in self._query(
                "SELECT least(source_country, target_country) AS a, "
                "greatest(source_country, target_country) AS b, count(*) AS n "
                "FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL "
                "AND source_country <> target_country "
                "GROUP BY a, b ORDER BY n DESC, a, b LIMIT ?",
                [max(0, int(top))],
            )
        ]
        return {**counts, "pairs": pairs}

    def export_parquet(self, directory: str) -> list[str]:
        """Write documents.parquet, events.parquet and rejected.parquet into ``directory``.

        The directory is created if missing; the files hold the tables as stored (events
        flattened, one column per schema field). Returns the paths written.
        """
        if not self.read_only:
            self.flush()
        con = self._connection()
        out = Path(directory)
        orders = {"documents": "id", "events": '"date" NULLS LAST, doc_id, event_id',
                  "rejected": '"at", origin'}
        paths: list[str] = []
        try:
            out.mkdir(parents=True, exist_ok=True)
            for table, order in orders.items():
                path = out / f"{table}.parquet"
                literal = "'" + str(path).replace("'", "''") + "'"
                con.execute(
                    f"COPY (SELECT * FROM {table} ORDER BY {order}) TO {literal} (FORMAT parquet)"
                )
                paths.append(str(path))
        except (duckdb.Error, OSError) as err:
            raise StoreError(f"cannot export to {directory}: {db_error_cause(err)}") from err
        return paths
