"""The public queries of a store, the same for every front end (``detente events``, the API of
``detente serve``, ``detente.relations``, the Python API) and every backend (a DuckDB file, a
Parquet folder or URL, an open ``Store`` or DuckDB connection: :func:`~detente.store.backend.open_store`).

Reads only: the derived tables (``canonical_events``, ``event_map``, ``doc_groups``) are built
when data is written (at the end of ``detente ingest``, or by ``detente dedup``), never here.
A reader of canonical events on a store whose derived tables are missing or stale raises
:class:`~detente.errors.StoreError` DTE306 saying so in one line, with the command that fixes it
(:func:`check_derived`). Totals are ``count(*)`` queries; records are read in Arrow batches.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb

from detente.errors import StoreError
from detente.store.backend import Backend, db_name, open_store, store_errors
from detente.store.filters import event_filters, where_clause
from detente.store.schema import event_record

__all__ = ["check_derived", "counts", "events", "documents", "canonical_events", "count_events", "events_page", "list_events",
           "event_detail", "event_documents", "check_codes", "suggest_codes"]

_ORDER = 'ORDER BY c."date" NULLS LAST, c.doc_id, c.event_id'


def check_derived(store: Backend) -> None:
    """StoreError (DTE306) when the derived tables of an open store are missing, or stale (the
    documents or events changed since they were built: an interrupted ingest, a ``Store``
    written from Python): one line naming the fix, ``run detente dedup STORE``."""
    from detente.dedup import derived_state

    state = derived_state(store.con)
    if state == "fresh":
        return
    fix = ("call detente.dedup.rebuild on it" if store.name == "connection"
           else f"run detente dedup {store.name}")
    what = ("has no derived tables (canonical events) yet" if state == "missing"
            else "has derived tables (canonical events) older than its documents and events")
    raise StoreError(f"the store {store.name} {what}; {fix}", code="DTE306")


def _open(db: Any, derived: bool = True, filters: tuple = ()) -> Backend:
    """The open store of ``db`` (read-only), its derived tables checked when ``derived``, after
    ``filters`` (dyad, actor, since, until): a malformed bound is said before a stale store."""
    store = open_store(db, read_only=True)
    if derived or filters:
        try:
            if filters:
                event_filters(*filters)
            if derived:
                check_derived(store)
        except BaseException:
            store.close()
            raise
    return store


def documents(db: Any) -> Iterator[dict]:
    """Stored documents as dicts (every column; ``removed`` a list, ``ingested_at`` ISO 8601
    UTC with ``Z``), by id, as ``Store.documents``; on every backend."""
    store = _open(db, derived=False)

    def gen() -> Iterator[dict]:
        cur = store.con.cursor()
        try:
            for batch in cur.sql("SELECT * FROM main.documents ORDER BY id").to_arrow_reader(10_000):
                for row in batch.to_pylist():
                    row["removed"] = list(row["removed"] or [])
                    row["ingested_at"] = row["ingested_at"].isoformat() + "Z"
                    yield row
        finally:
            cur.close()
            store.close()

    return gen()


@store_errors
def counts(db: Any) -> dict[str, int]:
    """``{"documents": n, "events": n, "canonical_events": n}``, three ``count(*)`` queries."""
    with _open(db) as store:
        con = store.con
        n = [int(con.execute(f"SELECT count(*) FROM main.{t}").fetchone()[0])
             for t in ("documents", "events", "canonical_events")]
    return {"documents": n[0], "events": n[1], "canonical_events": n[2]}


def events(db: Any, dyad: tuple[str, str] | None = None, actor: str | None = None, since: str | None = None,
           until: str | None = None) -> Iterator[dict]:
    """Stored events (reports, not merged) as schema records (``Event.to_dict()``), by date
    (undated last), doc_id, event_id, filtered as :mod:`detente.store.filters` says. Works on
    every backend; needs no derived table."""
    where, params = event_filters(dyad, actor, since, until, alias="c")
    store = _open(db, derived=False)

    def gen() -> Iterator[dict]:
        cur = store.con.cursor()
        try:
            reader = cur.sql(f"SELECT * FROM main.events c{where_clause(where)} {_ORDER}",
                             params=params).to_arrow_reader(10_000)
            for batch in reader:
                for row in batch.to_pylist():
                    yield event_record(row)
        except duckdb.Error as err:
            from detente.store.writer import db_error_cause

            raise StoreError(f"cannot read database {store.name}: {db_error_cause(err)}") from err
        finally:
            cur.close()
            store.close()

    return gen()


def _records(con, dyad=None, actor=None, since=None, until=None,
             mentions: bool = False, limit: int | None = None, offset: int = 0) -> Iterator[dict]:
    """Canonical event records (see :func:`canonical_events`) of the derived tables on ``con``."""
    conditions, params = event_filters(dyad, actor, since, until, alias="c")
    where = where_clause(conditions)
    page = ""
    if limit is not None or offset:
        page = f" LIMIT {int(limit) if limit is not None else 'ALL'} OFFSET {max(0, int(offset))}"
    cur = con.cursor()
    try:
        reports: dict[str, list[dict]] = defaultdict(list)
        if mentions:
            for cid, eid, doc_id, group, counted, sent, start, end in cur.execute(
                f"WITH sel AS (SELECT c.event_id AS canonical_id FROM main.canonical_events c{where} "
                f"{_ORDER}{page}) "
                f"SELECT m.canonical_id, m.event_id, m.doc_id, m.doc_group, m.counted, "
                f"e.evidence_sentence, e.evidence_start, e.evidence_end "
                f"FROM sel JOIN main.event_map m ON m.canonical_id = sel.canonical_id "
                f"JOIN main.events e ON e.event_id = m.event_id AND e.doc_id = m.doc_id "
                f"QUALIFY row_number() OVER (PARTITION BY m.doc_id, m.event_id ORDER BY e.evidence_start) = 1 "
                f"ORDER BY m.canonical_id, m.doc_id, e.evidence_start, m.event_id", params
            ).fetchall():
                reports[cid].append({"event_id": eid, "doc_id": doc_id, "doc_group": group,
                                     "counted": bool(counted),
                                     "evidence": {"sentence": sent, "start": start, "end": end}})
        reader = cur.sql(
            f"SELECT * FROM main.canonical_events c{where} {_ORDER}{page}", params=params
        ).to_arrow_reader(10_000)
        for batch in reader:
            for row in batch.to_pylist():
                rec = event_record(row)
                rec["mentions"] = row["mentions"]
                rec["sources"] = row["sources"]
                rec["first_report"] = {"event_id": row["first_event_id"], "doc_id": row["first_doc_id"],
                                       "date": row["first_date"]}
                if mentions:
                    rec["reports"] = reports.get(row["event_id"], [])
                yield rec
    finally:
        cur.close()


def _count(con, dyad=None, actor=None, since=None, until=None) -> int:
    conditions, params = event_filters(dyad, actor, since, until, alias="c")
    cur = con.cursor()
    try:
        return int(cur.execute(f"SELECT count(*) FROM main.canonical_events c{where_clause(conditions)}",
                               params).fetchone()[0])
    finally:
        cur.close()


def _check_codes(con, dyad, actor) -> None:
    """``UnknownActorError`` for a code of ``dyad`` or ``actor`` that is no country's and no
    stored actor's (:func:`check_codes`)."""
    codes = [str(x).upper() for x in (dyad or ())] + ([str(actor).upper()] if actor is not None else [])
    if codes:
        check_codes(con, codes)


@store_errors
def canonical_events(store_or_connection: Any, dyad: tuple[str, str] | None = None,
                     actor: str | None = None, since: str | None = None, until: str | None = None,
                     mentions: bool = True) -> list[dict]:
    """Canonical events of the store, as event-schema records plus ``mentions``, ``sources``,
    ``first_report`` and (``mentions=True``) ``reports`` [{event_id, doc_id, doc_group,
    counted, evidence}], by date (undated last), doc_id, event_id. Filters as ``Store.events``.
    StoreError DTE306 when the derived tables are missing or stale (:func:`check_derived`)."""
    with _open(store_or_connection, filters=(dyad, actor, since, until)) as store:
        return list(_records(store.con, dyad, actor, since, until, mentions))


@store_errors
def count_events(store_or_connection: Any, dyad: tuple[str, str] | None = None, actor: str | None = None,
                 since: str | None = None, until: str | None = None) -> int:
    """How many canonical events match the filters of :func:`list_events`: one count query,
    nothing read."""
    with _open(store_or_connection, filters=(dyad, actor, since, until)) as store:
        return _count(store.con, dyad, actor, since, until)


@store_errors
def events_page(db: Any, dyad: tuple[str, str] | None = None, actor: str | None = None,
                since: str | None = None, until: str | None = None, mentions: bool = False,
                limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """One page of :func:`list_events` (``limit`` records after skipping ``offset``, both in
    SQL) and the number of canonical events matching the filters (a ``count(*)`` query), read
    on one connection. ``UnknownActorError`` for an actor code no country or event has."""
    with _open(db, derived=False) as store:
        _check_codes(store.con, dyad, actor)
        event_filters(dyad, actor, since, until)
        check_derived(store)
        total = _count(store.con, dyad, actor, since, until)
        rows = list(_records(store.con, dyad, actor, since, until, mentions, limit=limit, offset=offset))
        return rows, total


@store_errors
def list_events(db: Any, dyad: tuple[str, str] | None = None, actor: str | None = None,
                since: str | None = None, until: str | None = None,
                mentions: bool = False) -> Iterator[dict]:
    """Canonical events for ``detente events``: schema records plus ``mentions`` and
    ``sources`` (and ``reports`` when ``mentions``), by date (undated last), doc_id, event_id.

    Opens ``db`` read-only; ``StoreError`` (one line) if it is missing, unreadable or its derived
    tables are missing or stale, ``UsageError`` for a malformed ``since``/``until``,
    ``UnknownActorError`` for an unknown actor code. Records are yielded as read.
    """
    store = _open(db, derived=False)
    try:
        _check_codes(store.con, dyad, actor)
        event_filters(dyad, actor, since, until)  # a bad bound is said before a stale store
        check_derived(store)
    except BaseException:
        store.close()
        raise

    def gen() -> Iterator[dict]:
        try:
            yield from _records(store.con, dyad, actor, since, until, mentions)
        except duckdb.Error as err:  # found while reading (a truncated or corrupt file)
            from detente.store.writer import db_error_cause

            raise StoreError(f"cannot read database {db_name(db)}: {db_error_cause(err)}") from err
        finally:
            store.close()

    return gen()


@store_errors
def event_documents(db: Any, event_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None, str | None]]:
    """event id -> (doc_id, title, url) of its article, for canonical events' ids and, for the
    ids no canonical event has, stored reports' ids (of the smallest doc_id when several)."""
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    with _open(db) as store:
        con = store.con
        marks = ", ".join("?" for _ in ids)
        found: dict[str, tuple] = {}
        for eid, doc_id, title, url in con.execute(
                f"SELECT c.event_id, c.doc_id, d.title, d.url FROM main.canonical_events c "
                f"LEFT JOIN main.documents d ON d.id = c.doc_id WHERE c.event_id IN ({marks}) "
                f"ORDER BY c.doc_id DESC", ids).fetchall():
            found[eid] = (doc_id, title, url)
        missing = sorted(set(ids) - set(found))  # with mentions=1, reports' ids
        if missing:
            for eid, doc_id, title, url in con.execute(
                    f"SELECT e.event_id, e.doc_id, d.title, d.url FROM main.events e LEFT JOIN main.documents d "
                    f"ON d.id = e.doc_id WHERE e.event_id IN ({', '.join('?' for _ in missing)}) "
                    f"ORDER BY e.doc_id DESC", missing).fetchall():
                found[eid] = (doc_id, title, url)
    return found


@store_errors
def event_detail(db: Any, event_id: str, name_of=None) -> dict[str, Any] | None:
    """One event by id (a canonical event's id, else a stored report's): its record (the
    fields of :func:`list_events`), ``cameo_name`` (``name_of(cameo)``, None without
    ``name_of``), ``canonical``, ``mentions`` and ``sources`` (canonical events), its
    ``reports`` and its ``document`` (id, title, url, source, date, language and the cleaned
    ``text`` its evidence offsets point into); None when no event has this id."""
    with _open(db) as store:
        con = store.con
        cur = con.execute("SELECT * FROM main.canonical_events WHERE event_id = ? "
                          "ORDER BY doc_id, evidence_start LIMIT 1", [event_id])
        cols = [d[0] for d in cur.description]
        found = cur.fetchone()
        canonical = found is not None
        if not canonical:
            cur = con.execute("SELECT * FROM main.events WHERE event_id = ? ORDER BY doc_id, evidence_start LIMIT 1",
                              [event_id])
            cols = [d[0] for d in cur.description]
            found = cur.fetchone()
        if found is None:
            return None
        row = dict(zip(cols, found))
        rec = event_record(row)
        rec["cameo_name"] = name_of(rec["cameo"]) if name_of is not None else None
        rec["canonical"] = canonical
        if canonical:
            rec["mentions"], rec["sources"] = row["mentions"], row["sources"]
            key = "m.canonical_id = ?"
        else:
            key = "m.event_id = ? AND m.doc_id = ?"
        params = [event_id] if canonical else [event_id, row["doc_id"]]
        reports = con.execute(
            f"SELECT m.event_id, m.doc_id, m.counted, d.title, d.url, d.\"date\" FROM main.event_map m "
            f"LEFT JOIN main.documents d ON d.id = m.doc_id WHERE {key} ORDER BY m.doc_id, m.event_id",
            params).fetchall()
        rec["reports"] = [{"event_id": r[0], "doc_id": r[1], "counted": bool(r[2]), "title": r[3], "url": r[4],
                           "date": r[5]} for r in reports]
        doc = con.execute("SELECT id, title, url, source, \"date\", language, text FROM main.documents WHERE id = ?",
                          [row["doc_id"]]).fetchone()
        rec["document"] = None if doc is None else dict(zip(
            ("id", "title", "url", "source", "date", "language", "text"), doc))
        return rec


# -- actor codes ---------------------------------------------------------------------------


def check_codes(con, codes: Sequence[str]) -> None:
    """Raise :class:`~detente.errors.UnknownActorError` for the first code (upper case) that is
    neither a country code (ISO 3166-1 alpha-3 or a CAMEO country) nor the country or actor
    code of any stored event: a mistyping ("RUSSIA", "XXX") answers with that, and a
    suggestion, rather than "insufficient data". A known country without events is no error."""
    from detente.actors.dictionaries import COUNTRY_CODES
    from detente.errors import UnknownActorError

    for code in codes:
        if code in COUNTRY_CODES:
            continue
        hit = con.execute(
            "SELECT 1 FROM main.events WHERE source_country = $c OR target_country = $c "
            "OR source_code = $c OR target_code = $c LIMIT 1", {"c": code}).fetchall()
        if not hit:
            raise UnknownActorError(code, suggest_codes(con, code))


def suggest_codes(con, code: str, n: int = 3) -> tuple[str, ...]:
    """Codes ``code`` may stand for: the country whose name it spells ("RUSSIA", "SOUTHKOREA"),
    else the closest country names and codes of the database by spelling (difflib)."""
    import difflib

    from detente.actors.lexicon import country_items

    names: dict[str, str] = {}
    for toks, entry in country_items():
        names.setdefault("".join(toks).upper(), entry.country)
    key = "".join(ch for ch in code.upper() if ch.isalnum())
    if key in names:
        return (names[key],)
    stored = [r[0] for r in con.execute(
        "SELECT DISTINCT c FROM (SELECT source_country AS c FROM main.events UNION ALL "
        "SELECT target_country FROM main.events UNION ALL SELECT source_code FROM main.events "
        "UNION ALL SELECT target_code FROM main.events) WHERE c IS NOT NULL ORDER BY c").fetchall()]
    out: list[str] = []
    for m in difflib.get_close_matches(key, list(names) + stored, n=n * 2, cutoff=0.6):
        c = names.get(m, m)
        if c not in out:
            out.append(c)
    return tuple(out[:n])
