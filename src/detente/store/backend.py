"""Where a store lives: one protocol, :class:`Backend`, and its two implementations.

* :class:`DuckDBFile`: a DuckDB database file written by ``detente ingest``
  (``detente.store.Store``), or an open ``Store`` or DuckDB connection.
* :class:`ParquetFolder`: the date-partitioned Parquet of ``detente ingest --engine dask
  --parquet`` under a folder or an fsspec URL (``s3://bucket/prefix``), read lazily: DuckDB views
  over the files (:func:`attach_parquet`), nothing loaded into memory. Its derived tables (the
  dedup tables) are Parquet files under ``_derived/``, written by ``detente dedup``.

Every reader (``detente.store.query``, ``detente.relations``, ``detente serve``, the CLI) opens a
store with :func:`open_store` and queries ``backend.con``, on which the tables ``documents``,
``events`` and, once built, the derived tables (:data:`~detente.store.schema.DERIVED_TABLES`) are
in the schema ``main``. The builder of the derived tables (``detente.dedup.rebuild``) asks the
backend for a connection to build on (:meth:`Backend.build_connection`) and to keep what it built
(:meth:`Backend.save_derived`).
"""
from __future__ import annotations

import functools
import os
import posixpath
from pathlib import Path
from typing import Any, Protocol

import duckdb

from detente.errors import StoreError, one_line
from detente.store.schema import DERIVED_TABLES, DOCUMENT_COLUMNS, EVENT_COLUMNS, sql_type

__all__ = ["Backend", "DuckDBFile", "ParquetFolder", "open_store", "is_parquet", "db_name", "store_errors",
           "attach_parquet", "filesystem", "DERIVED_DIR"]

#: the folder of a Parquet store holding its derived tables, one Parquet file each
DERIVED_DIR = "_derived"


class Backend(Protocol):
    """An open store. ``con``: a DuckDB connection whose schema ``main`` has ``documents``,
    ``events`` and the derived tables once built; ``name``: how messages name the store;
    ``owned``: whether ``close`` closes ``con``. Use as a context manager."""

    name: str
    con: duckdb.DuckDBPyConnection
    owned: bool

    def close(self) -> None:
        """Close what was opened here (never a connection or ``Store`` given by the caller)."""

    def build_connection(self) -> duckdb.DuckDBPyConnection:
        """A writable connection holding ``documents`` and ``events`` as tables (the builder
        addresses rows by ``rowid``), on which the derived tables are built into ``main``."""

    def save_derived(self, con: duckdb.DuckDBPyConnection) -> None:
        """Keep the derived tables built on ``con`` (a no-op when ``con`` is the store's own)."""

    def __enter__(self) -> "Backend": ...

    def __exit__(self, *exc: object) -> None: ...


def db_name(db: Any) -> str:
    """How a store is named in messages: its path, or ``connection`` for a bare connection."""
    if isinstance(db, (str, Path)):
        return str(db)
    return str(getattr(db, "name", None) or getattr(db, "path", "connection"))


def is_parquet(db: Any) -> bool:
    """Whether ``db`` names a Parquet store: an existing folder, or a URL (``scheme://...``)."""
    if not isinstance(db, (str, Path)):
        return False
    path = str(db)
    return "://" in path or Path(path).is_dir()


def store_errors(fn):
    """Decorator of a function reading the store given as its first argument: a DuckDB error
    (a truncated or corrupt file found while reading, an I/O error) becomes
    ``StoreError("cannot read database X: <cause>")``, one line, instead of escaping as a
    ``duckdb.Error``."""

    @functools.wraps(fn)
    def wrapper(db, *args, **kwargs):
        try:
            return fn(db, *args, **kwargs)
        except duckdb.Error as err:
            from detente.store.writer import db_error_cause

            raise StoreError(f"cannot read database {db_name(db)}: {db_error_cause(err)}") from err

    return wrapper


class _Base:
    name: str
    con: duckdb.DuckDBPyConnection
    owned: bool

    def close(self) -> None:
        """Close the connection if it was opened here."""
        if self.owned:
            self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBFile(_Base):
    """A DuckDB store file (checked: a detente store of this schema version), an open
    ``detente.store.Store`` (flushed first when writable) or a DuckDB connection."""

    def __init__(self, db: Any, read_only: bool = True) -> None:
        from detente.store.writer import Store, check_schema, db_error_cause

        self.name = db_name(db)
        if isinstance(db, duckdb.DuckDBPyConnection):
            self.con, self.owned = db, False
            return
        if isinstance(db, Store):
            self.con, self.owned = db.connection(), False
            return
        path = str(db)
        if read_only and not Path(path).exists():
            raise StoreError(f"cannot open database {path}: no such file", code="DTE301")
        try:
            con = duckdb.connect(path, read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"cannot open database {path}: {db_error_cause(err)}") from err
        try:
            check_schema(con, path, create=False)
            # a query of many seconds (millions of events) would draw DuckDB's progress bar into
            # the command's output
            con.execute("SET enable_progress_bar = false")
        except duckdb.Error as err:
            con.close()
            raise StoreError(f"cannot open database {path}: {db_error_cause(err)}") from err
        except BaseException:
            con.close()
            raise
        self.con, self.owned = con, True

    def build_connection(self) -> duckdb.DuckDBPyConnection:
        """The store's own connection: the derived tables are built into the file."""
        return self.con

    def save_derived(self, con: duckdb.DuckDBPyConnection) -> None:
        """Nothing to do: the builder wrote into the file."""


class ParquetFolder(_Base):
    """The Parquet of ``ingest --engine dask --parquet`` under ``root`` (a folder or an fsspec
    URL), as views on an in-memory DuckDB connection: ``documents`` and ``events`` over the
    parts, the derived tables over ``_derived/*.parquet`` when they were built."""

    def __init__(self, root: str, storage_options: dict[str, Any] | None = None) -> None:
        self.name = self.root = str(root)
        self.storage_options = dict(storage_options or {})
        self.owned = True
        self.con = duckdb.connect()
        try:
            attach_parquet(self.con, self.root, self.storage_options)
            self.con.execute("SET enable_progress_bar = false")
        except Exception as err:  # noqa: BLE001 - any reader error is one line for the user
            self.con.close()
            raise StoreError(f"cannot read Parquet at {self.root}: {one_line(err)}") from err

    def build_connection(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory connection with ``documents`` and ``events`` loaded as tables (a
        write: the builder reads every row anyway)."""
        con = duckdb.connect()
        try:
            attach_parquet(con, self.root, self.storage_options, materialize=True, derived=False)
        except Exception as err:  # noqa: BLE001
            con.close()
            raise StoreError(f"cannot read Parquet at {self.root}: {one_line(err)}") from err
        return con

    def save_derived(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write the derived tables of ``con`` as ``_derived/<table>.parquet`` (each through a
        temporary file, ``dedup_state`` last: a write cut short leaves them stale, never mixed),
        then view them on this backend's connection."""
        import pyarrow.parquet as pq

        fs, base = filesystem(self.root, self.storage_options)
        folder = posixpath.join(base, DERIVED_DIR)
        fs.makedirs(folder, exist_ok=True)
        state = posixpath.join(folder, "dedup_state.parquet")
        if fs.exists(state):
            fs.rm(state)
        for table in (*[t for t in DERIVED_TABLES if t != "dedup_state"], "dedup_state"):
            data = con.sql(f"SELECT * FROM main.{table} ORDER BY rowid").to_arrow_table()
            path = posixpath.join(folder, f"{table}.parquet")
            with fs.open(path + ".tmp", "wb") as fh:
                pq.write_table(data, fh, compression="zstd")
            fs.mv(path + ".tmp", path)
        _attach_derived(self.con, self.root, self.storage_options)


def open_store(db: Any, read_only: bool = True, storage_options: dict[str, Any] | None = None) -> Backend:
    """The :class:`Backend` of ``db``: a path of a DuckDB file, a Parquet folder or fsspec URL,
    an open ``detente.store.Store`` or a DuckDB connection.

    A database file that is missing, cannot be opened (corrupt, truncated, not a DuckDB
    database, in use), is not a detente store (a DuckDB database of other tables) or holds
    another schema version raises ``StoreError`` with a one-line message naming the cause, as
    ``Store`` does (``detente.store.check_schema``); so does a Parquet store that cannot be read.
    """
    if is_parquet(db):
        return ParquetFolder(str(db), storage_options)
    return DuckDBFile(db, read_only=read_only)


# -- Parquet ---------------------------------------------------------------------------------


def filesystem(root: str, storage_options: dict[str, Any] | None = None):
    """(fsspec filesystem, path inside it) of a local path or an fsspec URL."""
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(root, **(storage_options or {}))
    return fs, path.rstrip("/") or "/"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _location(con, root: str, storage_options: dict[str, Any] | None) -> tuple[str, str]:
    """(protocol, base path as DuckDB reads it) of a Parquet root; registers the fsspec
    filesystem of a URL with ``con``."""
    protocol = root.split("://", 1)[0] if "://" in root else "file"
    if protocol == "file":
        base = root[len("file://"):] if root.startswith("file://") else root
        return protocol, os.path.abspath(base)
    import fsspec

    fs = fsspec.filesystem(protocol, **(storage_options or {}))
    try:
        con.register_filesystem(fs)
    except duckdb.Error:  # registered already (the derived tables' views after the parts')
        pass
    return protocol, root.rstrip("/")


def attach_parquet(
    con, root: str, storage_options: dict[str, Any] | None = None, *, materialize: bool = False,
    derived: bool = True,
) -> None:
    """Create views ``documents`` and ``events`` on DuckDB connection ``con`` over the Parquet
    output of ``detente.distributed.run_dask`` under ``root`` (a folder or an fsspec URL).

    The views have the columns of the DuckDB store's tables (the ``year``/``month`` partition
    columns are left out, ``extra`` is JSON), so the store's SQL runs on them as it is,
    reading the Parquet at each query. With ``materialize=True`` they are tables instead
    (the Parquet loaded once into ``con``'s database), as the builder of the derived tables
    needs (it addresses rows by ``rowid``, which only tables have). With ``derived`` (and
    without ``materialize``), the derived tables written by ``detente dedup`` under
    ``_derived/`` are viewed too. Use a connection of its own (e.g. ``duckdb.connect()``):
    views or tables of these names already there are replaced. For a URL that is not a local
    path, the fsspec filesystem is registered with DuckDB (``s3fs`` for ``s3://``).
    """
    protocol, base = _location(con, root, storage_options)
    for table, columns in (("documents", DOCUMENT_COLUMNS), ("events", EVENT_COLUMNS)):
        cols = ", ".join(
            f'"{name}"::JSON AS "{name}"' if name == "extra" else f'"{name}"'
            for name, _, _ in columns
        )
        glob = _lit(f"{base}/{table}/**/*.parquet")
        if _has_parquet(base, table, protocol, storage_options):
            src = (f"read_parquet({glob}, hive_partitioning = true, union_by_name = true, "
                   f"hive_types = {{'year': VARCHAR, 'month': VARCHAR}})")
            query = f"SELECT {cols} FROM {src}"
        else:  # no files yet: empty, with the right types
            types = ", ".join(f'NULL::{sql_type(sqltype)} AS "{name}"' for name, sqltype, _ in columns)
            query = f"SELECT {types} WHERE false"
        _drop(con, table)
        kind = "TABLE" if materialize else "VIEW"
        con.execute(f"CREATE {kind} {table} AS {query}")
    if derived and not materialize:
        _attach_derived(con, root, storage_options)


def _attach_derived(con, root: str, storage_options: dict[str, Any] | None) -> None:
    """Views over the derived tables under ``_derived/`` (those written: none before the first
    ``detente dedup``). ``canonical_events`` gets the column ``rowid`` (its row number, as the
    table of a DuckDB store has it), on which ``relations`` addresses rows."""
    protocol, base = _location(con, root, storage_options)
    fs, fbase = filesystem(root, storage_options)
    for table in DERIVED_TABLES:
        _drop(con, table)
        if not fs.exists(posixpath.join(fbase, DERIVED_DIR, f"{table}.parquet")):
            continue
        path = _lit(f"{base}/{DERIVED_DIR}/{table}.parquet")
        if table == "canonical_events":
            query = (f"SELECT * EXCLUDE (file_row_number), file_row_number AS rowid "
                     f"FROM read_parquet({path}, file_row_number = true)")
        else:
            query = f"SELECT * FROM read_parquet({path})"
        con.execute(f"CREATE VIEW {table} AS {query}")


def _drop(con, name: str) -> None:
    for kind in ("VIEW", "TABLE"):
        if _is(con, name, kind):
            con.execute(f"DROP {kind} {name}")


def _is(con, name: str, kind: str) -> bool:
    """Whether ``con``'s main schema has a table (``TABLE``) or view (``VIEW``) ``name``."""
    table_type = "VIEW" if kind == "VIEW" else "BASE TABLE"
    return bool(con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() AND table_name = ? AND table_type = ?",
        [name, table_type],
    ).fetchall())


def _has_parquet(base: str, table: str, protocol: str, storage_options: dict[str, Any] | None) -> bool:
    if protocol == "file":
        folder = os.path.join(base, table)
        if not os.path.isdir(folder):
            return False
        return any(f.endswith(".parquet") for _, _, files in os.walk(folder) for f in files)
    fs, path = filesystem(f"{base}/{table}", storage_options)
    return fs.exists(path) and any(p.endswith(".parquet") for p in fs.find(path))
