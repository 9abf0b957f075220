"""The tables of a detente store: their columns (DuckDB and Arrow types), the rows written
for a document and an event, and an event record read back from a row.

One definition for every writer (``detente.store.Store``, the Dask engine's Parquet parts in
``detente.distributed``) and every reader (``detente.store.query``): a row written here and read
back with :func:`event_record` is exactly ``Event.to_dict()``. The schema is documented in
``docs/store.md``.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from detente.errors import StoreError, one_line
from detente.model import Document, Event

__all__ = ["SCHEMA_VERSION", "DOCUMENT_COLUMNS", "EVENT_COLUMNS", "REJECTED_COLUMNS", "REVISION_COLUMNS",
           "ACTOR_FIELDS", "TABLES", "DERIVED_TABLES", "quote", "ddl", "sql_type", "arrow_table", "utc_now",
           "document_row", "event_row", "event_record", "rollback"]

#: the version of the schema below; a store of another version is refused (docs/store.md)
SCHEMA_VERSION = 1
#: the tables built from ``documents`` and ``events`` by ``detente.dedup`` (``detente dedup``,
#: the end of ``detente ingest``), never on a read
DERIVED_TABLES = ("doc_groups", "event_map", "canonical_events", "dedup_state")

# (column, DuckDB type, Arrow type), in table order.
DOCUMENT_COLUMNS: list[tuple[str, str, pa.DataType]] = [
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

ACTOR_FIELDS = ("text", "name", "country", "sector", "code")

EVENT_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("event_id", "VARCHAR NOT NULL", pa.string()),
    ("doc_id", "VARCHAR NOT NULL", pa.string()),
    *[(f"source_{f}", "VARCHAR", pa.string()) for f in ACTOR_FIELDS],
    *[(f"target_{f}", "VARCHAR", pa.string()) for f in ACTOR_FIELDS],
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

REJECTED_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("origin", "VARCHAR NOT NULL", pa.string()),
    ("doc_id", "VARCHAR", pa.string()),
    ("reason", "VARCHAR NOT NULL", pa.string()),
    ("at", "TIMESTAMP NOT NULL", pa.timestamp("us")),
]

REVISION_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("doc_id", "VARCHAR NOT NULL", pa.string()),
    ("old_hash", "VARCHAR NOT NULL", pa.string()),
    ("new_hash", "VARCHAR NOT NULL", pa.string()),
    ("at", "TIMESTAMP NOT NULL", pa.timestamp("us")),
]

TABLES = {
    "documents": DOCUMENT_COLUMNS,
    "events": EVENT_COLUMNS,
    "rejected": REJECTED_COLUMNS,
    "revisions": REVISION_COLUMNS,
}


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def ddl(table: str, columns: list[tuple[str, str, pa.DataType]]) -> str:
    cols = ", ".join(f"{quote(name)} {sqltype}" for name, sqltype, _ in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def arrow_table(columns: list[tuple[str, str, pa.DataType]], rows: list[tuple]) -> pa.Table:
    """Rows (tuples in column order) -> an Arrow table with the column types above."""
    schema = pa.schema([(name, atype) for name, _, atype in columns])
    if not rows:
        return schema.empty_table()
    cols = list(zip(*rows))
    return pa.Table.from_arrays(
        [pa.array(col, type=atype) for col, (_, _, atype) in zip(cols, columns)], schema=schema
    )


def utc_now() -> datetime:
    """The current UTC time, naive (stored as TIMESTAMP)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)

def sql_type(decl: str) -> str:
    """The SQL type of a column declaration, without its constraints (``VARCHAR NOT NULL`` -> ``VARCHAR``)."""
    return decl.replace("PRIMARY KEY", "").replace("NOT NULL", "").strip()


def document_row(doc: Document, now: datetime) -> tuple:
    """The ``documents`` row of a document (in :data:`DOCUMENT_COLUMNS` order), ingested at ``now``."""
    return (
        doc.id, doc.origin, doc.date, doc.date_source, doc.title, doc.url, doc.source,
        doc.language, doc.content_hash, doc.text, list(doc.removed), now,
    )


def event_row(ev: Event) -> tuple:
    src, tgt, loc, evd = ev.source, ev.target, ev.location, ev.evidence
    if ev.extra:
        try:
            extra: str | None = json.dumps(ev.extra, ensure_ascii=False)
        except (TypeError, ValueError) as err:
            raise StoreError(
                f"event {ev.event_id}: extra fields are not JSON-serialisable: {one_line(err)}"
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
    return {f: row[f"{side}_{f}"] for f in ACTOR_FIELDS}


def event_record(row: dict[str, Any]) -> dict[str, Any]:
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

def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if there is still one: when a COMMIT fails (a full
    disk), DuckDB has already ended the transaction, and the error to report is the
    commit's, not "cannot rollback - no transaction is active"."""
    try:
        con.rollback()
    except duckdb.Error:
        pass
