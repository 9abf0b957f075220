"""One event, many reports: near-duplicate documents and canonical events. The algorithm and
the builder of its tables; reading them is :mod:`detente.store.query`'s.

Two steps, both computed from the store (``documents`` and ``events``) and materialised in
three tables by :func:`rebuild` when data is written (at the end of ``detente ingest``, by
``detente dedup``; never on a read), see docs/relations.md:

1. ``doc_groups``: documents grouped as copies of one article (syndicated copies, updated
   versions, one text under two URLs) by MinHash/LSH over word shingles of the cleaned text,
   plus identical ``content_hash``.
2. ``event_map`` and ``canonical_events``: reports (events) of one real-world event merged
   into a canonical event: same country pair (direction-insensitive for reciprocal CAMEO
   roots), compatible codes, compatible dates given their precision, same location country
   when both are known, same modality group. Thresholds are settings (docs/settings.md).

A canonical event is the event record of its representative report (the most precise date,
then the earliest document) plus ``mentions`` (reports merged, copies of one article counted
once), ``sources`` (distinct documents, copies counted once), ``first_report`` and, on demand,
``reports`` (every report with its evidence sentence).
"""
from __future__ import annotations

import json
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import date as _date
from pathlib import Path
from typing import Any

from detente.store.backend import open_store, store_errors
# the readers of the tables built here live in the storage layer; their names stay here too
from detente.store.query import canonical_events, count_events, events_page, list_events
from detente.store.schema import DERIVED_TABLES, rollback

__all__ = [
    "load_config",
    "doc_signature",
    "group_documents",
    "cluster_reports",
    "rebuild",
    "build_tables",
    "is_fresh",
    "derived_state",
    "fingerprint",
    "canonical_events",
    "list_events",
    "count_events",
    "events_page",
    "open_db",
    "store_errors",
]


_TABLES = DERIVED_TABLES
_WORD = re.compile(r"\w+", re.UNICODE)
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}
_MASK64 = (1 << 64) - 1
# bump when the clustering rules change, so that stored tables are rebuilt
_RULES_VERSION = 1
#: canonical_events' unordered country pair (NULL unless both countries are known and differ),
#: written once so that the busiest dyads need no expression over every row
DYAD_COLUMNS_SQL = (
    "CASE WHEN e.source_country <> e.target_country "
    "THEN least(e.source_country, e.target_country) END AS dyad_a, "
    "CASE WHEN e.source_country <> e.target_country "
    "THEN greatest(e.source_country, e.target_country) END AS dyad_b")


# -- configuration ---------------------------------------------------------------------


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """The thresholds of dedup and relations: the ``[documents]``, ``[events]`` and
    ``[relations]`` sections of the settings in use (:func:`detente.settings.current`,
    docs/settings.md), or of the settings file ``path``, as a dict of dicts."""
    from detente.settings import current, load_settings

    return (load_settings(path) if path else current()).dedup_config()


# -- connections -----------------------------------------------------------------------


def open_db(db: Any, read_only: bool = True):
    """``(connection, owned)`` for a path (a DuckDB file, or a Parquet folder or fsspec URL),
    a ``detente.store.Store`` or a DuckDB connection: the connection of
    ``detente.store.open_store(db)``, and whether the caller must close it. ``StoreError``
    (one line naming the cause) when the store cannot be opened."""
    store = open_store(db, read_only=read_only)
    return store.con, store.owned


def _tables(con) -> set[str]:
    """Table and view names of the store's schema ``main``."""
    return {r[0] for r in _fetch(
        con, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database()")}


def _run(con, sql: str, params: list[Any] | None = None) -> None:
    """Run a statement on ``con`` itself (inside its transaction) and consume its result."""
    con.execute(sql, params or []).fetchall()


def _fetch(con, sql: str, params: list[Any] | None = None):
    """All rows of a query on ``con``."""
    return con.execute(sql, params or []).fetchall()


# -- near-duplicate documents ----------------------------------------------------------


class _Hasher:
    """MinHash of word shingles, vectorised with numpy (multiply-shift hashing on 64 bits)."""

    def __init__(self, cfg: dict[str, Any]):
        import numpy as np

        d = cfg["documents"]
        self.np = np
        self.k = int(d["shingle_words"])
        self.num_perm = int(d["num_perm"])
        rng = np.random.default_rng(int(d["seed"]))
        self.a = (rng.integers(0, 2**63, self.num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1))[:, None]
        self.b = rng.integers(0, 2**63, self.num_perm, dtype=np.uint64)[:, None]
        self.words: dict[str, int] = {}
        self.params = f"k={self.k};perm={self.num_perm};seed={int(d['seed'])}"

    def signature(self, text: str) -> tuple[bytes | None, int]:
        """(MinHash signature as bytes, number of words); None when the text is too short."""
        np = self.np
        tokens = _WORD.findall(text.lower())
        n = len(tokens)
        if n < self.k:
            return None, n
        cache = self.words
        ids = []
        for t in tokens:
            h = cache.get(t)
            if h is None:
                h = cache[t] = (zlib.crc32(t.encode("utf-8")) * 0x9E3779B97F4A7C15 + len(t)) & _MASK64
            ids.append(h)
        w = np.array(ids, dtype=np.uint64)
        m = np.uint64(0x100000001B3)
        sh = np.zeros(n - self.k + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(self.k):
                sh = sh * m + w[j:n - self.k + 1 + j]
            sh = np.unique(sh)
            sig = ((self.a * sh[None, :] + self.b) >> np.uint64(32)).min(axis=1).astype(np.uint32)
        return sig.tobytes(), n


def doc_signature(text: str, cfg: dict[str, Any] | None = None) -> bytes | None:
    """The MinHash signature (``num_perm`` uint32 as bytes) of a text's word shingles."""
    return _Hasher(cfg or load_config()).signature(text)[0]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_documents(con, cfg: dict[str, Any] | None = None, cache_table: str | None = "doc_signatures"
                    ) -> dict[str, tuple[str, float]]:
    """doc id -> (group id, similarity to the group's primary document).

    Copies: same ``content_hash``, or estimated Jaccard similarity of word-shingle sets at
    least ``documents.jaccard`` among LSH candidates (``bands`` x ``rows``). The group id is
    the id of its primary document: the earliest dated one, then the smallest id. Signatures
    are cached in ``cache_table`` (when writable) so a rebuild only hashes new documents.
    """
    import numpy as np

    cfg = cfg or load_config()
    d = cfg["documents"]
    hasher = _Hasher(cfg)
    cached: dict[str, tuple[str, bytes | None, int]] = {}
    if cache_table and cache_table in _tables(con):
        for doc_id, chash, params, sig, nwords in _fetch(
            con, f"SELECT doc_id, content_hash, params, sig, n_words FROM {cache_table}"
        ):
            if params == hasher.params:
                cached[doc_id] = (chash, sig, nwords)
    docs = _fetch(con, 'SELECT id, content_hash, "date" FROM documents')
    need = [doc_id for doc_id, chash, _ in docs
            if doc_id not in cached or cached[doc_id][0] != chash]
    fresh: list[tuple] = []
    if need:
        texts = dict(_fetch(con, "SELECT id, text FROM documents WHERE id IN (SELECT unnest(?))", [need]))
        hashes = {i: c for i, c, _ in docs}
        for doc_id in need:
            sig, n = hasher.signature(texts.get(doc_id) or "")
            fresh.append((doc_id, sig, n))
            cached[doc_id] = (hashes[doc_id], sig, n)
    uf = _UnionFind()
    by_hash: dict[str, str] = {}
    for doc_id, chash, _ in docs:
        uf.find(doc_id)
        if chash in by_hash:
            uf.union(doc_id, by_hash[chash])
        else:
            by_hash[chash] = doc_id
    bands, rows = int(d["bands"]), int(d["rows"])
    thr = float(d["jaccard"])
    min_words = int(d["min_words"])
    ids = [i for i, _, _ in docs if cached[i][1] is not None and cached[i][2] >= min_words]
    sigs = {i: np.frombuffer(cached[i][1], dtype=np.uint32) for i in ids}
    sim: dict[tuple[str, str], float] = {}
    checked: set[tuple[str, str]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[str]] = defaultdict(list)
        lo, hi = band * rows * 4, (band + 1) * rows * 4
        for i in ids:
            buckets[cached[i][1][lo:hi]].append(i)
        for members in buckets.values():
            if len(members) < 2:
                continue
            first = members[0]
            for other in members[1:]:
                pair = (first, other) if first < other else (other, first)
                if pair in checked:
                    continue
                checked.add(pair)
                j = float(np.mean(sigs[first] == sigs[other]))
                if j >= thr:
                    sim[pair] = j
                    uf.union(first, other)
    # primary document of each group: earliest date, then smallest id
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, _, ddate in docs:
        members[uf.find(doc_id)].append((ddate or "9999", doc_id))
    out: dict[str, tuple[str, float]] = {}
    for group in members.values():
        primary = min(group)[1]
        for _, doc_id in group:
            if doc_id == primary:
                s = 1.0
            else:
                pair = (doc_id, primary) if doc_id < primary else (primary, doc_id)
                s = sim.get(pair, 1.0 if len(group) > 1 else 0.0)
            out[doc_id] = (primary, s)
    if cache_table and fresh:
        _save_signatures(con, cache_table, [(i, cached[i][0], hasher.params, cached[i][1], cached[i][2])
                                            for i, _, _ in fresh])
    return out


def _save_signatures(con, table: str, rows: list[tuple]) -> None:
    import duckdb
    import pyarrow as pa

    try:
        _run(
            con, f"CREATE TABLE IF NOT EXISTS {table} (doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR, "
            "params VARCHAR, sig BLOB, n_words INTEGER)"
        )
        t = pa.table({
            "doc_id": [r[0] for r in rows], "content_hash": [r[1] for r in rows],
            "params": [r[2] for r in rows], "sig": pa.array([r[3] for r in rows], type=pa.binary()),
            "n_words": pa.array([r[4] for r in rows], type=pa.int32()),
        })
        con.register("_dedup_sigs", t)
        try:
            _run(con, f"INSERT OR REPLACE INTO {table} SELECT * FROM _dedup_sigs")
        finally:
            con.unregister("_dedup_sigs")
    except duckdb.Error:
        # a read-only database: the cache is an optimisation only
        return


# -- canonical events ------------------------------------------------------------------


def _codes_compatible(a: tuple[str, str | None], b: tuple[str, str | None], mode: str) -> bool:
    same_root = a[0][:2] == b[0][:2]
    same_plover = a[1] is not None and a[1] == b[1]
    if mode == "root":
        return same_root
    if mode == "plover":
        return same_plover or (a[1] is None and b[1] is None and same_root)
    return same_root or same_plover


def _ordinal(day: str) -> int | None:
    try:
        return _date.fromisoformat(day).toordinal()
    except ValueError:
        return None


def _block_key(r: dict[str, Any], mgroup: dict[str, int]) -> tuple:
    """The block of a report: no cluster crosses one (unordered country pair, modality group)."""
    s, t = r["source_country"] or "", r["target_country"] or ""
    return (min(s, t), max(s, t), mgroup.get(r["modality"], r["modality"]))


def cluster_reports(reports: list[dict[str, Any]], groups: dict[str, str],
                    cfg: dict[str, Any] | None = None) -> list[list[int]]:
    """Merge reports of one real-world event; returns clusters as lists of report indices.

    Each report is a dict with ``source_country``, ``target_country``, ``cameo``, ``plover``,
    ``date``, ``date_precision``, ``modality``, ``location_country``, ``doc_id``,
    ``doc_date``, ``evidence_start``, ``event_id``; ``groups`` maps doc id -> doc group.
    Leader clustering inside blocks of (unordered country pair, modality group): reports
    are taken most precise date first, and each joins the best compatible cluster (same
    date first, then the largest) or starts one, so a month-only report never chains two
    different days together. The first report of a cluster is its representative.
    """
    cfg = cfg or load_config()
    ev = cfg["events"]
    reciprocal = set(ev["reciprocal_roots"])
    mode = ev.get("codes", "root_or_plover")
    tol = int(ev.get("day_tolerance", 0))
    use_loc = bool(ev.get("location", True))
    mgroup = {m: i for i, grp in enumerate(ev["modality_groups"]) for m in grp}

    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        blocks[_block_key(r, mgroup)].append(i)

    def order(i: int) -> tuple:
        r = reports[i]
        return (_PRECISION_RANK.get(r["date_precision"], 3), r["date"] or "", r["doc_date"] or "9999",
                r["doc_id"], r["evidence_start"], r["cameo"].endswith("0"), r["event_id"])

    clusters: list[list[int]] = []
    for key in sorted(blocks):
        idx = sorted(blocks[key], key=order)
        by_day: dict[int, list[int]] = defaultdict(list)
        by_month: dict[str, list[int]] = defaultdict(list)
        by_year: dict[str, list[int]] = defaultdict(list)
        by_unknown: dict[str, list[int]] = defaultdict(list)
        locs: dict[int, str | None] = {}
        for i in idx:
            r = reports[i]
            prec, d = r["date_precision"], r["date"]
            if d is None or prec == "unknown":
                cands = by_unknown[groups.get(r["doc_id"], r["doc_id"])]
            elif prec == "day":
                o = _ordinal(d)
                cands = [c for k in range(-tol, tol + 1) for c in by_day.get(o + k, ())] if o else []
            elif prec == "month":
                cands = by_month.get(d[:7], [])
            else:
                cands = by_year.get(d[:4], [])
            best, best_key = None, None
            for c in cands:
                rep = reports[clusters[c][0]]
                if not _codes_compatible((r["cameo"], r["plover"]), (rep["cameo"], rep["plover"]), mode):
                    continue
                both_reciprocal = r["cameo"][:2] in reciprocal and rep["cameo"][:2] in reciprocal
                if not both_reciprocal and (r["source_country"], r["target_country"]) != (
                        rep["source_country"], rep["target_country"]):
                    continue
                loc = locs[c]
                if use_loc and loc and r["location_country"] and loc != r["location_country"]:
                    continue
                score = (rep["date"] == d, len(clusters[c]), -c)
                if best_key is None or score > best_key:
                    best, best_key = c, score
            if best is not None:
                clusters[best].append(i)
                if locs[best] is None and r["location_country"]:
                    locs[best] = r["location_country"]
                continue
            c = len(clusters)
            clusters.append([i])
            locs[c] = r["location_country"]
            if d is None or prec == "unknown":
                cands.append(c)  # the list of by_unknown for this doc group
            else:
                if prec == "day":
                    o = _ordinal(d)
                    if o:
                        by_day[o].append(c)
                if prec in ("day", "month"):
                    by_month[d[:7]].append(c)
                by_year[d[:4]].append(c)
    return clusters


_REPORT_SQL = """
SELECT e.rowid AS row_id, e.event_id, e.doc_id, e.source_country, e.target_country, e.cameo, e.plover,
       e."date", e.date_precision, e.modality, e.location_country, e.evidence_start,
       e.quad_class, e.goldstein, d."date" AS doc_date
FROM events e LEFT JOIN documents d ON d.id = e.doc_id
"""


def _report_blocks(con, cfg: dict[str, Any], batch: int = 50_000) -> Iterator[list[dict[str, Any]]]:
    """The reports of the store, one block of :func:`cluster_reports` at a time (country
    pair, modality group), each block's reports in row order. One report per (doc_id, report
    id), the first stored: events whose ids differ only by a ``-`` suffix (one act of one
    sentence told of several people of one country, ``detente.coding.coder.report_id``; in
    stores coded before the suffix, rows that repeat an event id) are one report. Read in
    batches: memory holds a block."""
    groups = cfg["events"]["modality_groups"]
    case = " ".join(f"WHEN {_sql_str(m)} THEN {i}" for i, grp in enumerate(groups) for m in grp)
    group_of = f"CASE r.modality {case} ELSE -1 END" if case else "-1"
    mgroup = {m: i for i, grp in enumerate(groups) for m in grp}
    sql = (f"SELECT * EXCLUDE (rn) FROM (SELECT r.*, row_number() OVER (PARTITION BY r.doc_id, split_part(r.event_id, '-', 1) "
           f"ORDER BY r.row_id) AS rn FROM ({_REPORT_SQL}) r) r WHERE rn = 1 "
           f"ORDER BY least(coalesce(r.source_country, ''), coalesce(r.target_country, '')), "
           f"greatest(coalesce(r.source_country, ''), coalesce(r.target_country, '')), {group_of}, "
           f"CASE WHEN {group_of} = -1 THEN r.modality END NULLS FIRST, r.row_id")
    reader = con.sql(sql).to_arrow_reader(batch)  # nothing else runs on con meanwhile
    block: list[dict[str, Any]] = []
    key = None
    for rb in reader:
        for r in rb.to_pylist():
            k = _block_key(r, mgroup)
            if k != key and block:
                yield block
                block = []
            key = k
            block.append(r)
    if block:
        yield block


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fingerprint(con) -> str:
    """What the dedup tables of a store are built from: its document and event counts, its
    latest ingestion time and the rules of the tables (kept in ``dedup_state``; tables whose
    fingerprint differs from the store's are stale)."""
    n_docs, last = _fetch(con, "SELECT count(*), max(ingested_at) FROM documents")[0]
    n_events = _fetch(con, "SELECT count(*) FROM events")[0][0]
    # the rules of the tables: [documents] and [events] (the [relations] thresholds are read
    # at query time and do not make the tables stale)
    cfg = load_config()
    tables_rules = json.dumps({k: cfg[k] for k in ("documents", "events")}, sort_keys=True)
    rules = zlib.crc32(f"{_RULES_VERSION}|{tables_rules}".encode())
    return f"{n_docs}|{n_events}|{last}|{rules:08x}"


_fingerprint = fingerprint  # its name before it was public (bench/query.py)


def derived_state(con) -> str:
    """``"fresh"`` when the dedup tables on ``con`` match the documents and events stored now,
    ``"stale"`` when they were built before the last change (or under other rules),
    ``"missing"`` when they were never built."""
    if not set(_TABLES) <= _tables(con):
        return "missing"
    rows = _fetch(con, "SELECT value FROM main.dedup_state WHERE key = 'fingerprint'")
    return "fresh" if rows and rows[0][0] == fingerprint(con) else "stale"


def is_fresh(con, schema: str = "main") -> bool:
    """Whether the dedup tables on ``con`` match the documents and events stored now."""
    return derived_state(con) == "fresh"


def _build(con, schema: str, cfg: dict[str, Any]) -> dict[str, int]:
    """Compute the dedup tables and (re)create them in ``con``'s schema ``main``, in one
    transaction (``schema`` must be ``main``)."""
    import pyarrow as pa

    if schema != "main":
        raise ValueError(f"the dedup tables are built into main, not {schema!r}")
    _run(con, "SET enable_progress_bar = false")  # no progress bar on the terminal
    groups_info = group_documents(con, cfg, cache_table="doc_signatures")
    groups = {k: v[0] for k, v in groups_info.items()}
    from array import array

    em_row, em_ci = array("q"), array("q")
    em_counted = bytearray()
    ce: dict[str, array] = {k: array("q") for k in ("ci", "rep_row", "mentions", "sources", "n_reports", "first_row")}
    n_reports = n_clusters = 0
    # clusters never cross a block (country pair, modality group): the reports are read and
    # clustered block by block, so memory holds one block's reports, not the store's
    for reports in _report_blocks(con, cfg):
        clusters = cluster_reports(reports, groups, cfg)
        n_reports += len(reports)
        cluster_of = [0] * len(reports)
        counted = [True] * len(reports)
        for local, members in enumerate(clusters):
            ci = n_clusters + local
            rep = reports[members[0]]
            if len(members) == 1:  # the common case, kept cheap
                cluster_of[members[0]] = ci
                for k, v in (("ci", ci), ("rep_row", rep["row_id"]), ("mentions", 1), ("sources", 1),
                             ("n_reports", 1), ("first_row", rep["row_id"])):
                    ce[k].append(v)
                continue
            per_doc: dict[str, int] = defaultdict(int)
            for i in members:
                cluster_of[i] = ci
                per_doc[reports[i]["doc_id"]] += 1
            # per doc group, only the copy with most reports counts (copies counted once)
            chosen: dict[str, str] = {}
            for doc_id, k in sorted(per_doc.items()):
                g = groups.get(doc_id, doc_id)
                best = chosen.get(g)
                if best is None or k > per_doc[best] or (k == per_doc[best] and doc_id == g):
                    chosen[g] = doc_id
            counted_docs = set(chosen.values())
            for i in members:
                counted[i] = reports[i]["doc_id"] in counted_docs
            first = min((reports[i] for i in members),
                        key=lambda r: (r["doc_date"] or "9999", r["doc_id"], r["evidence_start"], r["event_id"]))
            for k, v in (("ci", ci), ("rep_row", rep["row_id"]), ("mentions", sum(per_doc[d] for d in counted_docs)),
                         ("sources", len(chosen)), ("n_reports", len(members)), ("first_row", first["row_id"])):
                ce[k].append(v)
        n_clusters += len(clusters)
        em_row.extend(r["row_id"] for r in reports)
        em_ci.extend(cluster_of)
        em_counted.extend(counted)
    import numpy as np

    em_t = pa.table({"row_id": pa.array(np.frombuffer(em_row, dtype=np.int64)),
                     "ci": pa.array(np.frombuffer(em_ci, dtype=np.int64)),
                     "counted": pa.array(np.frombuffer(bytes(em_counted), dtype=np.uint8).astype(bool))})
    ce_t = pa.table({"ci": pa.array(np.frombuffer(ce["ci"], dtype=np.int64)),
                     "rep_row": pa.array(np.frombuffer(ce["rep_row"], dtype=np.int64)),
                     "mentions": pa.array(np.frombuffer(ce["mentions"], dtype=np.int64).astype(np.int32)),
                     "sources": pa.array(np.frombuffer(ce["sources"], dtype=np.int64).astype(np.int32)),
                     "n_reports": pa.array(np.frombuffer(ce["n_reports"], dtype=np.int64).astype(np.int32)),
                     "first_row": pa.array(np.frombuffer(ce["first_row"], dtype=np.int64))})
    dg_t = pa.table({
        "doc_id": list(groups_info), "group_id": [v[0] for v in groups_info.values()],
        "similarity": pa.array([v[1] for v in groups_info.values()], type=pa.float64()),
    }, schema=pa.schema([("doc_id", pa.string()), ("group_id", pa.string()), ("similarity", pa.float64())]))
    fp = fingerprint(con)
    kw = ""
    con.register("_dedup_em", em_t)
    con.register("_dedup_ce", ce_t)
    con.register("_dedup_dg", dg_t)
    try:
        con.begin()
        try:
            _run(con, f"CREATE OR REPLACE {kw}TABLE {schema}.doc_groups AS SELECT * FROM _dedup_dg ORDER BY doc_id")
            _run(con, f"CREATE OR REPLACE {kw}TABLE {schema}.event_map AS "
                 "SELECT e.event_id, e.doc_id, r.event_id AS canonical_id, "
                 "coalesce(g.group_id, e.doc_id) AS doc_group, m.counted, e.quad_class, e.goldstein, e.modality "
                 "FROM _dedup_em m JOIN main.events e ON e.rowid = m.row_id "
                 "JOIN _dedup_ce c ON c.ci = m.ci JOIN main.events r ON r.rowid = c.rep_row "
                 "LEFT JOIN _dedup_dg g ON g.doc_id = e.doc_id "
                 "ORDER BY canonical_id, e.doc_id, e.event_id")
            _run(
                con, f"CREATE OR REPLACE {kw}TABLE {schema}.canonical_events AS "
                "SELECT e.*, c.mentions, c.sources, c.n_reports, f.event_id AS first_event_id, "
                "f.doc_id AS first_doc_id, d.\"date\" AS first_date, " + DYAD_COLUMNS_SQL + " "
                "FROM _dedup_ce c JOIN main.events e ON e.rowid = c.rep_row "
                "JOIN main.events f ON f.rowid = c.first_row LEFT JOIN main.documents d ON d.id = f.doc_id "
                "ORDER BY e.\"date\" NULLS LAST, e.doc_id, e.event_id"
            )
            _run(con, f"CREATE OR REPLACE {kw}TABLE {schema}.dedup_state (key VARCHAR, value VARCHAR)")
            _run(con, f"INSERT INTO {schema}.dedup_state VALUES ('fingerprint', ?), ('config', ?)",
                        [fp, json.dumps(cfg, sort_keys=True)])
            con.commit()
        except Exception:
            rollback(con)  # a failed COMMIT has ended the transaction already
            raise
    finally:
        for name in ("_dedup_em", "_dedup_ce", "_dedup_dg"):
            con.unregister(name)
    return {"documents": len(groups_info), "doc_groups": len(set(groups.values())),
            "reports": n_reports, "canonical_events": n_clusters}


def rebuild(store_path: Any, config: str | Path | None = None, force: bool = False) -> dict[str, int]:
    """Build ``doc_groups``, ``event_map`` and ``canonical_events`` of a store: the write of
    ``detente dedup`` and of the end of ``detente ingest``.

    ``store_path`` is a path of a DuckDB store (built into the file, in one transaction), of a
    Parquet store (folder or fsspec URL: built in memory and written as ``_derived/*.parquet``),
    or an open writable ``Store`` / DuckDB connection. Idempotent: when the tables already match
    the stored documents and events (same counts and latest ingestion time) nothing is done
    unless ``force`` (or ``config``). Returns counts (``documents``, ``doc_groups``,
    ``reports``, ``canonical_events``; ``{"fresh": 1}`` when skipped).
    """
    import duckdb

    from detente.errors import StoreError
    from detente.store import db_error_cause

    store = open_store(store_path, read_only=False)
    try:
        if not force and config is None and is_fresh(store.con):
            return {"fresh": 1}
        con = store.build_connection()
        try:
            counts = _build(con, "main", load_config(config))
            store.save_derived(con)
        finally:
            if con is not store.con:
                con.close()
        return counts
    except duckdb.Error as err:  # a full disk, an I/O error: one line naming it
        raise StoreError(f"cannot write database {store.name}: {db_error_cause(err)}") from err
    finally:
        store.close()


def build_tables(con, config: str | Path | None = None) -> dict[str, int]:
    """Build the dedup tables into the schema ``main`` of ``con`` (a connection holding
    ``documents`` and ``events`` as tables, e.g. ``detente serve``'s private snapshot copy),
    unconditionally; the counts of :func:`rebuild`."""
    return _build(con, "main", load_config(config))
