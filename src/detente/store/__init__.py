"""detente's storage layer: one package through which everything is written and read.

* :mod:`detente.store.schema`: the tables (columns, DuckDB and Arrow types), the rows written
  for a document and an event, an event record read back from a row.
* :mod:`detente.store.writer`: :class:`Store`, the writer of a DuckDB store (buffered,
  one transaction per flush), and the checks of a file (:func:`check_schema`).
* :mod:`detente.store.backend`: the :class:`Backend` protocol and its two implementations, a
  DuckDB file (:class:`DuckDBFile`) and a Parquet folder or fsspec URL (:class:`ParquetFolder`,
  read lazily through DuckDB views); :func:`open_store` picks one.
* :mod:`detente.store.filters`: the one filter builder (dyad, actor, since, until).
* :mod:`detente.store.query`: the public queries (events, canonical events, counts, pages, one
  event, actor codes), used by ``detente.relations``, ``detente serve``, the CLI and the Python API.

The derived tables (canonical events...) are built by ``detente.dedup`` when data is written
(the end of ``detente ingest``, ``detente dedup``), never on a read: a read of a store whose
derived tables are stale raises ``StoreError`` DTE306 naming the fix. See docs/store.md.
"""
from __future__ import annotations

from detente.store.backend import (
    Backend,
    DuckDBFile,
    ParquetFolder,
    attach_parquet,
    is_parquet,
    open_store,
    store_errors,
)
from detente.store.filters import event_filters
from detente.store.query import (
    canonical_events,
    check_codes,
    check_derived,
    count_events,
    counts,
    documents,
    event_detail,
    event_documents,
    events,
    events_page,
    list_events,
    suggest_codes,
)
from detente.store.schema import (
    DERIVED_TABLES,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    SCHEMA_VERSION,
    arrow_table,
    document_row,
    event_record,
    event_row,
    utc_now,
)
from detente.store.writer import FLUSH_EVERY_ENV, Store, check_schema, db_error_cause, storable

# the names this module had before it became a package (kept for code and tests that use them)
_DOCUMENT_COLUMNS = DOCUMENT_COLUMNS
_EVENT_COLUMNS = EVENT_COLUMNS
_arrow = arrow_table
_event_row = event_row
_event_record = event_record
_now = utc_now

__all__ = [
    "Store", "SCHEMA_VERSION", "FLUSH_EVERY_ENV", "db_error_cause", "storable", "check_schema",
    "Backend", "DuckDBFile", "ParquetFolder", "open_store", "is_parquet", "attach_parquet", "store_errors",
    "event_filters", "DERIVED_TABLES", "DOCUMENT_COLUMNS", "EVENT_COLUMNS", "arrow_table", "document_row",
    "event_record", "event_row", "utc_now",
    "check_derived", "counts", "events", "documents", "canonical_events", "count_events", "events_page", "list_events",
    "event_detail", "event_documents", "check_codes", "suggest_codes",
]
