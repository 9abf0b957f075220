"""The DuckDB store: documents, their events, rejected inputs and document revisions.

Writes are buffered in memory and inserted in batches (one pyarrow table per table, one
transaction per flush), so a whole corpus goes in within seconds. What a flush committed is
on disk; what is still buffered is written by the next flush, at the latest at ``close()``.
The schema is documented in ``docs/store.md``.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from detente.dates import check_range, date_bound
from detente.errors import StoreError, one_line as _one_line
from detente.model import Document, Event, Rejected
from detente.snapshot import write_lock

__all__ = ["Store", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1


# (column, DuckDB type, Arrow type), in table order.
_DOCUMENT_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("id", "VARCHAR PRIMARY KEY", pa.string()),
    ("origin", "VARCHAR", pa.string()),
    ("date", "VARCHAR", pa.string()),
    ("date_source", "VARCHAR", pa.string()),
    ("title", "VARCHAR", pa.string()),
    ("url", "VARCHAR", pa.string()),
    ("source", "VARCHAR", pa.string()),
    ("language", "VARCHAR", pa.string()),
    ("content_hash", "VARCHAR NOT NULL", pa.string()),
    ("text", "VARCHAR NOT NULL", pa.string()),
    ("removed", "VARCHAR[]", pa.list_(pa.string())),
    ("ingested_at", "TIMESTAMP NOT NULL", pa.timestamp("us")),
]

_ACTOR_FIELDS = ("text", "name", "country", "sector", "code")

_EVENT_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("event_id", "VARCHAR NOT NULL", pa.string()),
    ("doc_id", "VARCHAR NOT NULL", pa.string()),
    *[(f"source_{f}", "VARCHAR", pa.string()) for f in _ACTOR_FIELDS],
    *[(f"target_{f}", "VARCHAR", pa.string()) for f in _ACTOR_FIELDS],
    ("cameo", "VARCHAR NOT NULL", pa.string()),
    ("plover", "VARCHAR", pa.string()),
    ("quad_class", "TINYINT NOT NULL", pa.int8()),
    ("goldstein", "DOUBLE NOT NULL", pa.float64()),
    ("date", "VARCHAR", pa.string()),
    ("date_precision", "VARCHAR NOT NULL", pa.string()),
    ("date_basis", "VARCHAR NOT NULL", pa.string()),
    ("modality", "VARCHAR NOT NULL", pa.string()),
    ("location_name", "VARCHAR", pa.string()),
    ("location_country", "VARCHAR", pa.string()),
    ("location_lat", "DOUBLE", pa.float64()),
    ("location_lon", "DOUBLE", pa.float64()),
    ("location_geonameid", "BIGINT", pa.int64()),
    ("evidence_sentence", "VARCHAR NOT NULL", pa.string()),
    ("evidence_start", "INTEGER NOT NULL", pa.int32()),
    ("evidence_end", "INTEGER NOT NULL", pa.int32()),
    ("confidence", "DOUBLE NOT NULL", pa.float64()),
    ("extra", "JSON", pa.string()),
]

_REJECTED_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("origin", "VARCHAR NOT NULL", pa.string()),
    ("doc_id", "VARCHAR", pa.string()),
    ("reason", "VARCHAR NOT NULL", pa.string()),
    ("at", "TIMESTAMP NOT NULL", pa.timestamp("us")),
]

_REVISION_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("doc_id", "VARCHAR NOT NULL", pa.string()),
    ("old_hash", "VARCHAR NOT NULL", pa.string()),
    ("new_hash", "VARCHAR NOT NULL", pa.string()),
    ("at", "TIMESTAMP NOT NULL", pa.timestamp("us")),
]

_TABLES = {
    "documents": _DOCUMENT_COLUMNS,
    "events": _EVENT_COLUMNS,
    "rejected": _REJECTED_COLUMNS,
    "revisions": _REVISION_COLUMNS,
}


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _ddl(table: str, columns: list[tuple[str, str, pa.DataType]]) -> str:
    cols = ", ".join(f"{_q(name)} {sqltype}" for name, sqltype, _ in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def _arrow(columns: list[tuple[str, str, pa.DataType]], rows: list[tuple]) -> pa.Table:
    """Rows (tuples in column order) -> an Arrow table with the column types above."""
    schema = pa.schema([(name, atype) for name, _, atype in columns])
    if not rows:
        return schema.empty_table()
    cols = list(zip(*rows))
    return pa.Table.from_arrays(
        [pa.array(col, type=atype) for col, (_, _, atype) in zip(cols, columns)], schema=schema
    )


def _now() -> datetime:
    """The current UTC time, naive (stored as TIMESTAMP)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _event_row(ev: Event) -> tuple:
    src, tgt, loc, evd = ev.source, ev.target, ev.location, ev.evidence
    if ev.extra:
        try:
            extra: str | None = json.dumps(ev.extra, ensure_ascii=False)
        except (TypeError, ValueError) as err:
            raise StoreError(
                f"event {ev.event_id}: extra fields are not JSON-serialisable: {_one_line(err)}"
            ) from err
    else:
        extra = None
    return (
        ev.event_id,
        ev.doc_id,
        *((src.text, src.name, src.country, src.sector, src.code) if src else (None,) * 5),
        *((tgt.text, tgt.name, tgt.country, tgt.sector, tgt.code) if tgt else (None,) * 5),
        ev.cameo,
        ev.plover,
        ev.quad_class,
        float(ev.goldstein),
        ev.date,
        ev.date_precision,
        ev.date_basis,
        ev.modality,
        *((loc.name, loc.country, loc.lat, loc.lon, loc.geonameid) if loc else (None,) * 5),
        evd.sentence,
        evd.start,
        evd.end,
        float(ev.confidence),
        extra,
    )


def _actor(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    # Actor.text is a str, never None: a NULL text means "no actor".
    if row[f"{side}_text"] is None:
        return None
    return {f: row[f"{side}_{f}"] for f in _ACTOR_FIELDS}


def _event_record(row: dict[str, Any]) -> dict[str, Any]:
    """A flattened events row -> the event record in the schema's JSON form (Event.to_dict())."""
    location = None
    if row["location_name"] is not None:
        location = {
            "name": row["location_name"],
            "country": row["location_country"],
            "lat": row["location_lat"],
            "lon": row["location_lon"],
            "geonameid": row["location_geonameid"],
        }
    record: dict[str, Any] = {
        "event_id": row["event_id"],
        "doc_id": row["doc_id"],
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "cameo": row["cameo"],
        "plover": row["plover"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "date": row["date"],
        "date_precision": row["date_precision"],
        "date_basis": row["date_basis"],
        "modality": row["modality"],
        "location": location,
        "evidence": {
            "sentence": row["evidence_sentence"],
            "start": row["evidence_start"],
            "end": row["evidence_end"],
        },
        "confidence": round(row["confidence"], 4),
    }
    if row["extra"] is not None:
        record.update(json.loads(row["extra"]))
    return record


# what a batch that cannot be written raises: a bad value for Arrow, a constraint for DuckDB
_WRITE_ERRORS = (duckdb.Error, pa.ArrowException, TypeError, ValueError, OverflowError)


class _Pending:
    """A buffered document: its row, its event rows, and what replacing it involves."""

    __slots__ = ("doc", "events", "replace", "revisions")

    def __init__(self, doc: tuple, events: list[tuple]) -> None:
        self.doc = doc
        self.events = events
        self.replace = False  # a stored version must be deleted first
        self.revisions: list[tuple] = []


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
        flush_every: int = 1000,
        flush_events: int = 50_000,
    ) -> None:
        """Open (or create) the database at ``path``.

        Raises StoreError with a one-line message if the file cannot be opened, is not a
        DuckDB database, or holds a detente schema of another version.
        """
        self.path = str(path)
        self.read_only = read_only
        self.flush_every = max(1, flush_every)
        self.flush_events = max(1, flush_events)
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
                    raise StoreError(f"cannot open database {self.path}: no such file")
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
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
            raise StoreError(f"cannot open database {self.path}: {_one_line(err)}") from err
        self._hashes = dict(rows)

    # -- set-up -------------------------------------------------------------------------

    def _abandon(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            except duckdb.Error:
                pass
            self._con = None

    def _init_schema(self) -> None:
        con = self._connection()
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()}
        if "meta" in tables:
            found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = found[0] if found else None
            if version != str(SCHEMA_VERSION):
                raise StoreError(
                    f"cannot open database {self.path}: schema version {version}, "
                    f"this detente expects {SCHEMA_VERSION}"
                )
            missing = set(_TABLES) - tables
            if not missing:
                return
            if self.read_only:
                raise StoreError(
                    f"cannot open database {self.path}: missing tables {', '.join(sorted(missing))}"
                )
        elif self.read_only:
            raise StoreError(f"cannot open database {self.path}: not a detente database")
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
            con.rollback()
            raise

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"database {self.path} is closed")
        return self._con

    def _writable(self) -> None:
        self._connection()
        if self.read_only:
            raise StoreError(f"database {self.path} is open read-only")

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
        doc_row = (
            doc.id, doc.origin, doc.date, doc.date_source, doc.title, doc.url, doc.source,
            doc.language, doc.content_hash, doc.text, list(doc.removed), now,
        )
        pending = _Pending(doc_row, event_rows)
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
        """Record an input that could not be read (buffered; written at the next flush)."""
        self._writable()
        self._rejected.append((rejected.origin, rejected.doc_id, rejected.reason, _now()))

    def flush(self) -> None:
        """Write the buffered rows in one transaction (a no-op when nothing is buffered).

        A replaced document's old version and events are deleted in the same transaction
        as its new version is inserted. If the batch cannot be written, it is rolled back and
        written again one document per transaction, so that one bad document costs only
        itself; StoreError then names the documents that could not be written.
        """
        self._connection()
        if not (self._docs or self._rejected):
            return
        if self.read_only:
            raise StoreError(f"database {self.path} is open read-only")
        docs, rejected = list(self._docs.values()), list(self._rejected)
        self._clear_buffers()
        try:
            self._write(docs, rejected)
            return
        except _WRITE_ERRORS as err:
            if len(docs) + len(rejected) <= 1:
                self._reload_hashes()
                raise StoreError(f"cannot write database {self.path}: {_one_line(err)}") from err
        failed: list[tuple[str, BaseException]] = []
        if rejected:
            try:
                self._write([], rejected)
            except _WRITE_ERRORS as err:
                failed.append(("rejected inputs", err))
        for pending in docs:
            try:
                self._write([pending], [])
            except _WRITE_ERRORS as err:
                failed.append((f"document {pending.doc[0]}", err))
        if failed:
            self._reload_hashes()
            what, err = failed[0]
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            raise StoreError(
                f"cannot write {what} to {self.path}: {_one_line(err)}{more}"
            ) from err

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
                con.rollback()
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
            raise StoreError(f"cannot read database {self.path}: {_one_line(err)}") from err
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
        where: list[str] = []
        params: list[Any] = []

        def side(s: str, code: str) -> str:
            params.extend([code, code])
            return f"({s}_country = ? OR {s}_code = ?)"

        if dyad is not None:
            a, b = (str(x).upper() for x in dyad)
            where.append(
                f"(({side('source', a)} AND {side('target', b)}) OR "
                f"({side('source', b)} AND {side('target', a)}))"
            )
        if actor is not None:
            code = actor.upper()
            where.append(f"({side('source', code)} OR {side('target', code)})")
        # the event date as YYYY-MM-DD, counting a month or a year by its first day
        day = "(\"date\" || substr('0000-01-01', length(\"date\") + 1))"
        s = None if since is None else date_bound(since, "--since")
        u = None if until is None else date_bound(until, "--until")
        check_range(s, u)
        if s is not None:
            where.append(f"\"date\" IS NOT NULL AND left({day}, {len(s)}) >= ?")
            params.append(s)
        if u is not None:
            where.append(f"\"date\" IS NOT NULL AND left({day}, {len(u)}) <= ?")
            params.append(u)
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
            raise StoreError(f"cannot export to {directory}: {_one_line(err)}") from err
        return paths
