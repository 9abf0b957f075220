"""The one filter builder of the store's queries: which events a dyad, an actor and a date range
select, as SQL conditions on a table with the ``events`` columns (``events`` itself, or
``canonical_events``).

Semantics (the same for ``Store.events``, the canonical events of ``detente events`` and the
API, and ``relations``): a code matches an actor's ISO3 country or its CAMEO actor code;
``dyad=(A, B)`` takes the events between A and B in either direction, ``actor`` those with it
on either side. ``since``/``until`` are date bounds (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
parsed by :func:`detente.dates.date_bound`, both inclusive) compared by prefix: an event dated
2023-01 counts as 2023-01-01, so it is after ``since=2023-01`` but not after
``since=2023-01-15``; ``until=2023-01`` takes all of January. Events without a date are left
out when a bound is given.
"""
from __future__ import annotations

from typing import Any

from detente.dates import check_range, date_bound

__all__ = ["event_filters", "where_clause"]


def event_filters(dyad: tuple[str, str] | None = None, actor: str | None = None, since: str | None = None,
                  until: str | None = None, alias: str | None = None) -> tuple[list[str], list[Any]]:
    """``(conditions, params)``: the SQL conditions (to be joined with ``AND``) selecting the
    events of ``dyad``, ``actor``, ``since`` and ``until``, and their parameters in order.

    ``alias`` qualifies the columns (``c`` gives ``c.source_country``...). A malformed bound
    raises ``UsageError`` (DTE401), a reversed range ``UsageError`` (DTE402), naming the
    parameter (``since``, ``until``)."""
    col = f"{alias}." if alias else ""
    where: list[str] = []
    params: list[Any] = []

    def side(s: str, code: str) -> str:
        params.extend([code, code])
        return f"({col}{s}_country = ? OR {col}{s}_code = ?)"

    if dyad is not None:
        a, b = (str(x).upper() for x in dyad)
        where.append(f"(({side('source', a)} AND {side('target', b)}) OR "
                     f"({side('source', b)} AND {side('target', a)}))")
    if actor is not None:
        code = str(actor).upper()
        where.append(f"({side('source', code)} OR {side('target', code)})")
    # the event date as YYYY-MM-DD, counting a month or a year by its first day
    date = f'{col}"date"'
    day = f"({date} || substr('0000-01-01', length({date}) + 1))"
    since = None if since is None else date_bound(since, "since")
    until = None if until is None else date_bound(until, "until")
    check_range(since, until)
    for value, op in ((since, ">="), (until, "<=")):
        if value is None:
            continue
        where.append(f"{date} IS NOT NULL AND left({day}, {len(value)}) {op} ?")
        params.append(value)
    return where, params


def where_clause(conditions: list[str]) -> str:
    """``" WHERE a AND b"`` of conditions, ``""`` when there are none."""
    return (" WHERE " + " AND ".join(conditions)) if conditions else ""
