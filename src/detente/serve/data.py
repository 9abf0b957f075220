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
    from detente.store import counts

    return {"status": "ok", **counts(db)}


def _events(db: str, dyad: tuple[str, str] | None = None, actor: str | None = None, since: str | None = None,
            until: str | None = None, mentions: bool = False, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    from detente.store import events_page

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
    from detente.store import event_documents

    for e in evidence:
        e["cameo_name"] = cameo_name(e.get("cameo"))
        e.setdefault("doc_id", None)
        e.setdefault("title", None)
        e.setdefault("url", None)
    if not evidence:
        return
    found = event_documents(db, [e["event_id"] for e in evidence])
    for e in evidence:
        if e["event_id"] in found:
            e["doc_id"], e["title"], e["url"] = found[e["event_id"]]


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
    from detente.store import event_detail as detail

    return detail(db, event_id, name_of=cameo_name)


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
