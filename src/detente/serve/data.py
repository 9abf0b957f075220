"""The server's data access: the endpoints' answers, computed from the store (a snapshot's
cursor or a database path) by the library functions of :mod:`detente.relations` and
:mod:`detente.dedup`. Each endpoint takes the values its parameters were checked into
(:mod:`detente.serve.params`); :mod:`detente.serve.routes` binds them to their paths."""
from __future__ import annotations

from typing import Any

from detente.serve.params import ApiError

__all__ = ["cameo_name", "event_detail", "ANSWERS"]

# -- endpoints -----------------------------------------------------------------------------


def _health(db: str, query: dict[str, list[str]]) -> dict[str, Any]:
    from detente.dedup import _ensure, _fetch, _q, open_db

    con, owned = open_db(db, read_only=True)
    try:
        docs = _fetch(con, "SELECT count(*) FROM main.documents")[0][0]
        events = _fetch(con, "SELECT count(*) FROM main.events")[0][0]
        canonical = _fetch(con, f"SELECT count(*) FROM {_q(_ensure(con))}.canonical_events")[0][0]
    finally:
        if owned:
            con.close()
    return {"status": "ok", "documents": int(docs), "events": int(events), "canonical_events": int(canonical)}


def _events(db: str, dyad: tuple[str, str] | None = None, actor: str | None = None, since: str | None = None,
            until: str | None = None, mentions: bool = False, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    from detente.dedup import events_page

    events, total = events_page(db, dyad=dyad, actor=actor, since=since, until=until, mentions=mentions,
                                limit=limit, offset=offset)
    return {"events": events, "count": len(events), "total": total, "limit": limit, "offset": offset}


def _relations(db: str, a: str, b: str, freq: str = "month", mentions: bool = False) -> dict[str, Any]:
    from detente.relations import relations

    res = relations(db, a, b, freq=freq, mentions=mentions)
    _annotate(db, res.get("evidence_events") or [])
    return res


def _annotate(db: Any, evidence: list[dict]) -> None:
    """Add to each evidence row ``cameo_name``, and its article's ``doc_id``, ``title`` and
    ``url`` (None when unknown)."""
    from detente.dedup import _ensure, _q, open_db

    for e in evidence:
        e["cameo_name"] = cameo_name(e.get("cameo"))
        e.setdefault("doc_id", None)
        e.setdefault("title", None)
        e.setdefault("url", None)
    if not evidence:
        return
    con, owned = open_db(db, read_only=True)
    try:
        ids = sorted({e["event_id"] for e in evidence})
        marks = ", ".join("?" for _ in ids)
        found = {}
        for eid, doc_id, title, url in con.execute(
                f"SELECT c.event_id, c.doc_id, d.title, d.url FROM {_q(_ensure(con))}.canonical_events c "
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
        for e in evidence:
            if e["event_id"] in found:
                e["doc_id"], e["title"], e["url"] = found[e["event_id"]]
    finally:
        if owned:
            con.close()


def cameo_name(code: str | None) -> str | None:
    """The name of a CAMEO code (``"190"`` -> ``"Use conventional military force, not specified
    below"``), None for an unknown code."""
    if not code:
        return None
    global _CAMEO_NAMES
    if _CAMEO_NAMES is None:
        from detente.coding.lexicon import cameo_table

        _CAMEO_NAMES = {c: row.name for c, row in cameo_table().items()}
    return _CAMEO_NAMES.get(str(code))


_CAMEO_NAMES: dict[str, str] | None = None


def _cameo(db: Any, query: dict[str, list[str]]) -> dict[str, Any]:
    cameo_name("01")
    return {"codes": dict(_CAMEO_NAMES or {})}


def event_detail(db: Any, event_id: str) -> dict[str, Any] | None:
    """One event by id (a canonical event's id, else a stored report's): its record (the
    fields of ``/api/events``, with ``cameo_name``), its ``document`` (id, title, url,
    source, date, language and the cleaned ``text`` its evidence offsets point into) and its
    ``reports``; None when no event has this id."""
    from detente.dedup import _ensure, _q, open_db
    from detente.store import _event_record

    con, owned = open_db(db, read_only=True)
    try:
        schema = _q(_ensure(con))
        cur = con.execute(f"SELECT * FROM {schema}.canonical_events WHERE event_id = ? "
                          f"ORDER BY doc_id, evidence_start LIMIT 1", [event_id])
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
        rec = _event_record(row)
        rec["cameo_name"] = cameo_name(rec["cameo"])
        rec["canonical"] = canonical
        if canonical:
            rec["mentions"], rec["sources"] = row["mentions"], row["sources"]
            key = "m.canonical_id = ?"
        else:
            key = "m.event_id = ? AND m.doc_id = ?"
        params = [event_id] if canonical else [event_id, row["doc_id"]]
        reports = con.execute(
            f"SELECT m.event_id, m.doc_id, m.counted, d.title, d.url, d.\"date\" FROM {schema}.event_map m "
            f"LEFT JOIN main.documents d ON d.id = m.doc_id WHERE {key} ORDER BY m.doc_id, m.event_id",
            params).fetchall()
        rec["reports"] = [{"event_id": r[0], "doc_id": r[1], "counted": bool(r[2]), "title": r[3], "url": r[4],
                           "date": r[5]} for r in reports]
        doc = con.execute("SELECT id, title, url, source, \"date\", language, text FROM main.documents WHERE id = ?",
                          [row["doc_id"]]).fetchone()
        rec["document"] = None if doc is None else dict(zip(
            ("id", "title", "url", "source", "date", "language", "text"), doc))
        return rec
    finally:
        if owned:
            con.close()


def _event_one(db: Any, event_id: str) -> dict[str, Any]:
    rec = event_detail(db, event_id)
    if rec is None:
        raise ApiError(404, f"no event with id {event_id[:64]!r}")
    return rec


def _dyads(db: str, top: int = 10, freq: str = "quarter", mentions: bool = False) -> dict[str, Any]:
    from detente.relations import dyads

    return {"dyads": dyads(db, top=top, freq=freq, mentions=mentions)}


def _actors(db: str, top: int = 20, by: str = "country", mentions: bool = False) -> dict[str, Any]:
    from detente.relations import actors

    return {"actors": actors(db, top=top, by=by, mentions=mentions)}


#: the endpoints' answers by operation (the OpenAPI ``operationId``): each takes the store and the
#: values of its checked parameters (``event``: the event id), as routed by :mod:`detente.serve.routes`
ANSWERS: dict[str, Any] = {"health": _health, "events": _events, "relations": _relations, "dyads": _dyads,
                           "actors": _actors, "cameo": _cameo, "event": _event_one}
