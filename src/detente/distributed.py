"""Scale-out on Dask: extraction on a Dask distributed cluster.

Three entry points (see ``docs/scaling.md``):

* :func:`dask_results` / :func:`extract_dask`: events of documents, computed on the cluster and
  yielded in input order, so ``detente extract --engine dask`` writes the very bytes of the
  local engine.
* :func:`run_dask`: a whole corpus to date-partitioned Parquet (``documents`` and ``events``,
  the columns of the DuckDB store) under a local path or an fsspec URL (``s3://bucket/prefix``),
  incrementally: a manifest under ``_manifest/`` records every processed document id and
  content hash, unchanged documents are skipped and a changed document's rows are replaced.
* :func:`attach_parquet` (the storage layer's Parquet backend, ``detente.store.backend``): DuckDB
  views ``documents`` and ``events`` over that Parquet, so the queries of ``detente.store`` and
  ``detente.relations`` run on it directly (``detente dedup OUT`` builds its derived tables).

Documents are read and cleaned on the client (the machine running the command: paths and
stdin are local to it) and shipped to the workers in partitions; each worker loads the spaCy
model and the dictionaries once (a module-level cache keyed by the contents of the actor and
verb files, which are shipped with the tasks) and
writes its Parquet files itself, so results do not travel back through the client.

Nothing here imports dask at import time.
"""
from __future__ import annotations

from detente.errors import one_line as _one_line

import hashlib
import os
import posixpath
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence, TextIO

from detente.model import Document, Rejected
from detente.store.backend import attach_parquet, filesystem as _filesystem

if TYPE_CHECKING:  # pragma: no cover
    from detente.pipeline import Extractor, Result

__all__ = [
    "DaskSummary",
    "attach_parquet",
    "dask_results",
    "extract_dask",
    "load_manifest",
    "partition_of",
    "run_dask",
]

MANIFEST_DIR = "_manifest"
UNKNOWN = "unknown"
# Dask's own default is a LocalCluster of 2 worker processes, 1 thread each.
LOCAL_WORKERS = 2

# ------------------------------------------------------------------ worker side

_EXTRACTORS: dict[str, "Extractor"] = {}
_LOCK = threading.Lock()

# The dictionary files of a run, shipped to the workers as (path on the client, contents) so
# that workers on other machines need no copy: the actor files, then the verb files.
_Files = tuple[tuple[str, bytes], ...]
_Spec = tuple[_Files, _Files]


def _file_spec(paths: Sequence[str]) -> _Files:
    """The files ``paths`` as (path as given, contents)."""
    spec = []
    for path in paths:
        with open(path, "rb") as fh:
            spec.append((str(path), fh.read()))
    return tuple(spec)


def _dictionary_spec(actor_files: Sequence[str] = (), verb_files: Sequence[str] = ()) -> _Spec:
    """The actor files and the verb files of a run, as the workers receive them."""
    return _file_spec(actor_files), _file_spec(verb_files)


def _spec_key(spec: _Spec) -> str:
    h = hashlib.sha256()
    for files in spec:
        h.update(f"{len(files)}\n".encode())
        for name, data in files:
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:16]


def _worker_extractor(spec: _Spec) -> "Extractor":
    """The Extractor of this worker process for these actor and verb files, loaded once.

    A malformed file raises the DictionaryError of the local engine, naming the file by its
    path on the client."""
    key = _spec_key(spec)
    with _LOCK:
        ex = _EXTRACTORS.get(key)
        if ex is None:
            import tempfile

            from detente.errors import DictionaryError
            from detente.pipeline import Extractor

            os.environ.setdefault("OMP_NUM_THREADS", "1")
            folder = os.path.join(tempfile.gettempdir(), f"detente-dictionaries-{key}")
            actor_paths, verb_paths = (
                _write_files(files, os.path.join(folder, kind))
                for files, kind in zip(spec, ("actors", "verbs"))
            )
            try:
                ex = Extractor.load(actor_paths, verb_files=verb_paths)
            except DictionaryError as err:
                message = str(err)
                for written, (name, _) in zip(actor_paths + verb_paths, spec[0] + spec[1]):
                    message = message.replace(written, name)
                raise DictionaryError(message) from None
            _EXTRACTORS[key] = ex
    return ex


def _write_files(files: _Files, folder: str) -> tuple[str, ...]:
    """Write shipped files under ``folder``; their paths, in order.

    A file already there with the same contents is left as it is (the actor dictionaries'
    build cache keys on the file's mtime); another is written to a temporary file and renamed,
    so that a worker process on the same machine never reads it half-written."""
    paths = []
    if files:
        os.makedirs(folder, exist_ok=True)
    for i, (name, data) in enumerate(files):
        # keep the file name (its extension says the format); the index keeps two files of
        # one name apart
        path = os.path.join(folder, f"{i:02d}-{os.path.basename(name)}")
        paths.append(path)
        try:
            with open(path, "rb") as fh:
                if fh.read() == data:
                    continue
        except OSError:
            pass
        tmp = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return tuple(paths)


def _warm(spec: _Spec) -> int:
    """Load the worker's Extractor now (run on every worker with ``client.run``)."""
    _worker_extractor(spec)
    return os.getpid()


def _extract_partition(docs: list[Document], spec: _Spec) -> list["Result"]:
    """Task: the Results of a list of documents, in order."""
    return list(_worker_extractor(spec).extract_many(docs))


def partition_of(date: str | None) -> tuple[str, str]:
    """The (year, month) partition of a date ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or None.

    Unknown parts are ``"unknown"``: an undated row goes to ``year=unknown/month=unknown``,
    a row dated only by its year to ``year=YYYY/month=unknown``.
    """
    if not date or len(date) < 4 or not date[:4].isdigit():
        return UNKNOWN, UNKNOWN
    month = date[5:7] if len(date) >= 7 and date[5:7].isdigit() else UNKNOWN
    return date[:4], month


def _write_partition(
    docs: list[Document],
    spec: _Spec,
    root: str,
    storage_options: dict[str, Any],
    run_id: str,
    task: int,
) -> dict[str, Any]:
    """Task: extract a partition of documents and write its Parquet files under ``root``.

    Returns ``{"docs": [(doc_id, content_hash, n_events, [files...]), ...], "files": [...]}``
    with file paths relative to ``root``.
    """
    import pyarrow.parquet as pq

    from detente.store.schema import DOCUMENT_COLUMNS, EVENT_COLUMNS, arrow_table, document_row, event_row, utc_now

    fs, base = _filesystem(root, storage_options)
    results = _extract_partition(docs, spec)
    now = utc_now()
    doc_rows: dict[tuple[str, str], list[tuple]] = {}
    event_rows: dict[tuple[str, str], list[tuple]] = {}
    owners: dict[tuple[str, tuple[str, str]], list[str]] = {}  # (table, part) -> doc ids
    for res in results:
        d = res.document
        part = partition_of(d.date)
        doc_rows.setdefault(part, []).append(document_row(d, now))
        owners.setdefault(("documents", part), []).append(d.id)
        for ev in res.events:
            if ev.doc_id != d.id:
                raise ValueError(f"event {ev.event_id} has doc_id {ev.doc_id!r}, not {d.id!r}")
            epart = partition_of(ev.date)
            event_rows.setdefault(epart, []).append(event_row(ev))
            owners.setdefault(("events", epart), []).append(d.id)
    files_of: dict[str, list[str]] = {d.id: [] for d in docs}
    written: list[str] = []
    for table, columns, groups in (
        ("documents", DOCUMENT_COLUMNS, doc_rows),
        ("events", EVENT_COLUMNS, event_rows),
    ):
        for (year, month), rows in sorted(groups.items()):
            rel = f"{table}/year={year}/month={month}/part-{run_id}-{task:05d}.parquet"
            path = posixpath.join(base, rel)
            fs.makedirs(posixpath.dirname(path), exist_ok=True)
            with fs.open(path, "wb") as fh:
                pq.write_table(arrow_table(columns, rows), fh, compression="zstd")
            written.append(rel)
            for doc_id in dict.fromkeys(owners[(table, (year, month))]):
                files_of[doc_id].append(rel)
    n_events = {res.document.id: len(res.events) for res in results}
    return {
        "docs": [(d.id, d.content_hash, n_events.get(d.id, 0), files_of[d.id]) for d in docs],
        "files": written,
    }


# ------------------------------------------------------------------ client side


class _Cluster:
    """A Dask client on ``scheduler``, or on a LocalCluster started (and closed) here."""

    def __init__(self, scheduler: str | None, n_workers: int = LOCAL_WORKERS) -> None:
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40,
            )
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)

    def workers(self) -> int:
        """How many workers the scheduler has now (at least 1)."""
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def close(self) -> None:
        """Close the client, and the LocalCluster if it was started here."""
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def _usage(message: str) -> Exception:
    from detente.errors import UsageError

    return UsageError(message)


def _connect(scheduler: str | None) -> _Cluster:
    try:
        return _Cluster(scheduler)
    except ImportError as err:
        raise _usage("--engine dask needs dask[distributed]: pip install 'dask[distributed]'") from err
    except (OSError, TimeoutError) as err:
        raise _usage(f"cannot reach the Dask scheduler {scheduler}: {_one_line(err)}") from err


def dask_results(
    items: Iterable[Document | Rejected],
    *,
    scheduler: str | None = None,
    actor_files: Sequence[str] = (),
    verb_files: Sequence[str] = (),
    partition_size: int = 16,
) -> Iterator["Result | Rejected"]:
    """Process documents on a Dask cluster, passing Rejected through, in input order.

    The drop-in counterpart of ``detente.pipeline.run`` for ``--engine dask``: ``items`` is
    what ``iter_documents`` yields; every Document gives one ``Result`` (the same as the local
    engine's) and every Rejected is yielded as it is, at its place. ``scheduler`` is the
    address of a running scheduler (``tcp://host:8786``); without one a LocalCluster of 2
    worker processes (1 thread each) is started and closed at the end. At most a few
    partitions per worker are in flight, so memory stays bounded on a corpus of any size.
    ``actor_files`` and ``verb_files`` (PETRARCH verb dictionaries) are read here and shipped
    to the workers, as ``Extractor.load`` takes them.
    """
    size = max(1, int(partition_size))
    spec = _dictionary_spec(actor_files, verb_files)
    conn = _connect(scheduler)
    try:
        client = conn.client
        client.run(_warm, spec)
        depth = 2 * conn.workers() + 2
        queue: deque = deque()

        def drain(entry) -> Iterator[Result | Rejected]:
            group, fut = entry
            try:
                results = iter(fut.result() if fut is not None else ())
            except Exception as err:  # noqa: BLE001 - a worker's error: its documents are rejected, the run goes on
                reason = f"extraction failed on a worker: {_one_line(err)}"
                results = iter([Rejected(d.origin, reason, d.id) for d in group if isinstance(d, Document)])
            for it in group:
                yield it if isinstance(it, Rejected) else next(results)

        buf: list[Document | Rejected] = []
        n_docs = 0

        def submit() -> None:
            docs = [d for d in buf if isinstance(d, Document)]
            fut = client.submit(_extract_partition, docs, spec, pure=False) if docs else None
            queue.append((list(buf), fut))

        for it in items:
            buf.append(it)
            n_docs += isinstance(it, Document)
            if n_docs >= size:
                submit()
                buf, n_docs = [], 0
                while len(queue) > depth:
                    yield from drain(queue.popleft())
        if buf:
            submit()
        while queue:
            yield from drain(queue.popleft())
    finally:
        conn.close()


def extract_dask(
    paths: Sequence[str],
    *,
    scheduler: str | None = None,
    actor_files: Sequence[str] = (),
    verb_files: Sequence[str] = (),
    default_date: str | None = None,
    partition_size: int = 16,
    stdin: TextIO | None = None,
) -> Iterator["Result | Rejected"]:
    """``Result`` (or ``Rejected``) of every document in ``paths``, in input order, on Dask.

    Reads ``paths`` like ``detente extract`` (files, directories, ``-`` for stdin) on this
    machine and extracts on the cluster (see :func:`dask_results`): writing the events of the
    Results in order gives exactly the bytes of the local engine.
    """
    from detente.ingest import iter_documents

    yield from dask_results(
        iter_documents(paths, default_date=default_date, stdin=stdin),
        scheduler=scheduler, actor_files=actor_files, verb_files=verb_files,
        partition_size=partition_size,
    )


# ------------------------------------------------------------------ manifest


_MANIFEST_COLUMNS = ("doc_id", "content_hash", "run_id", "n_events", "files")


def _manifest_schema():
    import pyarrow as pa

    return pa.schema([
        ("doc_id", pa.string()), ("content_hash", pa.string()), ("run_id", pa.string()),
        ("n_events", pa.int32()), ("files", pa.list_(pa.string())),
    ])


def _manifest_files(fs, base: str) -> list[str]:
    folder = posixpath.join(base, MANIFEST_DIR)
    if not fs.exists(folder):
        return []
    return sorted(p for p in fs.ls(folder, detail=False)
                  if posixpath.basename(p).startswith("manifest-") and p.endswith(".parquet"))


def load_manifest(out: str, storage_options: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The manifest of a Parquet output: ``{doc_id: {"content_hash", "run_id", "n_events",
    "files"}}`` for every document written there (empty when there is none yet).

    ``files`` are the Parquet files (relative to ``out``) that hold the document's rows.
    """
    import pyarrow.parquet as pq

    fs, base = _filesystem(out, storage_options)
    found = _manifest_files(fs, base)
    if not found:
        return {}
    with fs.open(found[-1], "rb") as fh:
        table = pq.read_table(fh)
    cols = table.to_pydict()
    return {
        doc_id: {"content_hash": h, "run_id": r, "n_events": n, "files": list(f or [])}
        for doc_id, h, r, n, f in zip(*(cols[c] for c in _MANIFEST_COLUMNS))
    }


def _save_manifest(fs, base: str, manifest: dict[str, dict[str, Any]], run_id: str) -> str:
    """Write the whole manifest as ``_manifest/manifest-RUN.parquet`` (the commit point of a
    run), then remove the older ones."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = sorted(manifest)
    table = pa.table({
        "doc_id": ids,
        "content_hash": [manifest[i]["content_hash"] for i in ids],
        "run_id": [manifest[i]["run_id"] for i in ids],
        "n_events": [manifest[i]["n_events"] for i in ids],
        "files": [manifest[i]["files"] for i in ids],
    }, schema=_manifest_schema())
    folder = posixpath.join(base, MANIFEST_DIR)
    fs.makedirs(folder, exist_ok=True)
    final = posixpath.join(folder, f"manifest-{run_id}.parquet")
    tmp = final + ".tmp"
    with fs.open(tmp, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
    fs.mv(tmp, final)
    for old in _manifest_files(fs, base):
        if old != final:
            fs.rm(old)
    return final


def _data_files(fs, base: str) -> list[str]:
    """Every Parquet part under ``documents/`` and ``events/``, relative to ``base``."""
    out: list[str] = []
    for table in ("documents", "events"):
        folder = posixpath.join(base, table)
        if fs.exists(folder):
            for p in fs.find(folder):
                if p.endswith(".parquet"):
                    out.append(posixpath.relpath(p, base) if p.startswith(base) else p)
    return sorted(out)


def _purge(fs, base: str, rel: str, doc_ids: set[str]) -> bool:
    """Remove the rows of ``doc_ids`` from one Parquet file (delete it when nothing is left).

    Returns whether the file still exists.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = posixpath.join(base, rel)
    if not fs.exists(path):
        return False
    with fs.open(path, "rb") as fh:
        table = pq.read_table(fh)
    key = "id" if rel.startswith("documents/") else "doc_id"
    keep = table.filter(pc.invert(pc.is_in(table[key], value_set=_str_array(doc_ids))))
    if keep.num_rows == table.num_rows:
        return True
    if keep.num_rows == 0:
        fs.rm(path)
        return False
    tmp = path + ".tmp"
    with fs.open(tmp, "wb") as fh:
        pq.write_table(keep, fh, compression="zstd")
    fs.mv(tmp, path)
    return True


def _str_array(values: Iterable[str]):
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


# ------------------------------------------------------------------ run_dask


@dataclass
class DaskSummary:
    """What :func:`run_dask` did.

    ``documents``: documents read; ``added``/``replaced``: written this run (new ids / ids
    whose text changed); ``unchanged``: skipped, already in the manifest with the same hash;
    ``events``: event rows written this run; ``rejected``: inputs that could not be read;
    ``failed``: documents whose extraction failed on a worker (not in the manifest, so the
    next run tries them again); ``processed``: ids written this run, in input order;
    ``files``: Parquet files written; ``workers``: workers of the cluster; ``seconds``: wall
    time.
    """

    out: str
    run_id: str
    documents: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    events: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    failed: list[Rejected] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)
    files: int = 0
    workers: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The summary for people, one line each (rejected inputs are printed by the caller)."""
        lines = [
            f"this run: {self.added} documents added, {self.replaced} replaced, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected, {len(self.failed)} failed, "
            f"{self.events} events written",
            f"{self.out}: {self.files} parquet files written by {self.workers} workers "
            f"in {self.seconds:.1f} s" if self.workers else
            f"{self.out}: nothing to extract ({self.seconds:.1f} s)",
        ]
        return lines


def _new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]


def run_dask(
    paths: Sequence[str],
    *,
    out: str,
    scheduler: str | None = None,
    actor_files: Sequence[str] = (),
    verb_files: Sequence[str] = (),
    default_date: str | None = None,
    partition_size: int = 64,
    progress: bool = True,
    storage_options: dict[str, Any] | None = None,
    stdin: TextIO | None = None,
) -> DaskSummary:
    """Extract the documents of ``paths`` on a Dask cluster into date-partitioned Parquet.

    ``out`` is a local folder or an fsspec URL (``s3://bucket/prefix``; credentials through
    ``storage_options`` or the usual environment). It receives
    ``documents/year=YYYY/month=MM/part-RUN-TASK.parquet`` (by document date) and
    ``events/year=YYYY/month=MM/...`` (by event date), the columns of the DuckDB store's
    tables; undated rows go to ``year=unknown/month=unknown``, year-only dates to
    ``month=unknown``. ``_manifest/`` records each document's id, content hash and files.

    Incremental: a document already in the manifest with the same content hash is skipped; one
    with another hash is extracted again and its old rows are removed from their files. Parts
    left by an interrupted run (files no manifest entry names) are deleted first; the
    manifest is written last, so an interrupted run is simply done again.

    ``scheduler``: address of a running scheduler; without one a LocalCluster of 2 worker
    processes (1 thread each) runs here, started only when there is something to extract.
    Each worker loads the model and the dictionaries (built-in plus ``actor_files`` and
    ``verb_files``) once and writes its own files. Rejected inputs are collected in the summary and the run goes on; so is a
    partition whose extraction failed (its documents in ``failed``).
    """
    from detente.ingest import iter_documents

    t0 = time.perf_counter()
    run_id = _new_run_id()
    summary = DaskSummary(out=out, run_id=run_id)
    opts = dict(storage_options or {})
    fs, base = _filesystem(out, opts)
    fs.makedirs(base, exist_ok=True)
    manifest = load_manifest(out, opts)

    # parts of an interrupted run: named by no manifest entry
    known = {f for entry in manifest.values() for f in entry["files"]}
    for rel in _data_files(fs, base):
        if rel not in known:
            fs.rm(posixpath.join(base, rel))

    size = max(1, int(partition_size))
    spec = _dictionary_spec(actor_files, verb_files)
    items = iter_documents(paths, default_date=default_date, stdin=stdin)
    bar = _bar(progress)
    conn: _Cluster | None = None  # started when there is a first partition to extract
    # doc id -> files to purge of it once this run's rows are written (older versions)
    stale: dict[str, set[str]] = {}
    this_run: dict[str, dict[str, Any]] = {}  # doc id -> new manifest entry
    pending: dict[str, Document] = {}  # partition being filled, by id (a later copy wins)
    in_run_hash: dict[str, str] = {}  # hash of each id met in this run
    try:
        queue: deque = deque()
        depth = 0
        task = 0

        def collect(entry) -> None:
            docs, fut = entry
            try:
                res = fut.result()
            except Exception as err:  # noqa: BLE001 - a worker's error, reported per document
                reason = f"extraction failed on a worker: {_one_line(err)}"
                summary.failed.extend(Rejected(d.origin, reason, d.id) for d in docs)
                for d in docs:
                    in_run_hash.pop(d.id, None)
                bar.update(len(docs))
                return
            summary.files += len(res["files"])
            for doc_id, content_hash, n_events, files in res["docs"]:
                earlier = this_run.get(doc_id)
                if earlier is not None:  # the same id twice in this run: the later wins
                    stale.setdefault(doc_id, set()).update(earlier["files"])
                    summary.events -= earlier["n_events"]
                this_run[doc_id] = {"content_hash": content_hash, "run_id": run_id,
                                    "n_events": n_events, "files": list(files)}
                summary.events += n_events
            bar.update(len(docs))

        def submit() -> None:
            nonlocal task, conn, depth
            if conn is None:
                conn = _connect(scheduler)
                conn.client.run(_warm, spec)
                summary.workers = conn.workers()
                depth = 2 * summary.workers + 2
            docs = list(pending.values())
            pending.clear()
            fut = conn.client.submit(_write_partition, docs, spec, out, opts, run_id, task, pure=False)
            task += 1
            queue.append((docs, fut))
            while len(queue) > depth:
                collect(queue.popleft())

        for it in items:
            if isinstance(it, Rejected):
                summary.rejected.append(it)
                continue
            summary.documents += 1
            seen = in_run_hash.get(it.id)
            old = manifest.get(it.id)
            if seen is None and old is not None and old["content_hash"] == it.content_hash:
                summary.unchanged += 1
                bar.update(1)
                continue
            if seen is not None:
                if seen == it.content_hash:
                    summary.unchanged += 1
                    bar.update(1)
                    continue
                summary.replaced += 1
            elif old is not None:
                summary.replaced += 1
                stale.setdefault(it.id, set()).update(old["files"])
            else:
                summary.added += 1
            in_run_hash[it.id] = it.content_hash
            if it.id in pending:
                del pending[it.id]
            pending[it.id] = it
            if len(pending) >= size:
                submit()
        if pending:
            submit()
        while queue:
            collect(queue.popleft())
    finally:
        bar.close()
        if conn is not None:
            conn.close()

    # remove the older versions of replaced documents, then commit the manifest
    by_file: dict[str, set[str]] = {}
    for doc_id, files in stale.items():
        if doc_id not in this_run:  # its new version failed: keep the old rows
            continue
        for rel in files:
            by_file.setdefault(rel, set()).add(doc_id)
    gone: set[str] = set()
    for rel, doc_ids in sorted(by_file.items()):
        if not _purge(fs, base, rel, doc_ids):
            gone.add(rel)
    for doc_id, entry in this_run.items():
        manifest[doc_id] = entry
    if gone:
        for entry in manifest.values():
            if any(f in gone for f in entry["files"]):
                entry["files"] = [f for f in entry["files"] if f not in gone]
    _save_manifest(fs, base, manifest, run_id)
    summary.processed = [d for d in in_run_hash if d in this_run]
    summary.seconds = time.perf_counter() - t0
    return summary


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(progress: bool):
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(desc="dask", unit="doc", file=sys.stderr, dynamic_ncols=True)


# ------------------------------------------------------------------ querying

# ``attach_parquet`` (views over the Parquet written here) is the storage layer's
# (``detente.store.backend``, the Parquet backend); it is imported above and kept in ``__all__``.
