"""Date bounds of queries: one format for the command line (``--since``/``--until``), the API
(``since``/``until``) and the library (``Store.events``, ``dedup.list_events``...).

A bound is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and must name a real date; a range whose
start comes after its end (``since=2017-03 until=2017-02``) is an error, not an empty answer.
Both raise :class:`~detente.errors.UsageError` with a one-line message.
"""
from __future__ import annotations

import re
from datetime import date

from detente.errors import UsageError

__all__ = ["FORMS", "date_bound", "check_range"]

FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
_BOUND = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def date_bound(value: object, name: str) -> str:
    """``value`` as a date bound (white space stripped), or UsageError naming ``name`` (a
    generic name, ``since``; the front ends word it, :func:`detente.errors.worded`)."""
    raw = str(value).strip()
    m = _BOUND.match(raw)
    ok = m is not None
    if m is not None:
        try:
            date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except ValueError:
            ok = False
    if not ok:
        raise UsageError(f"{name} must be a date {FORMS}, not {value!r}", code="DTE401", params=(name.lstrip("-"),))
    return raw


def check_range(since: str | None, until: str | None, names: tuple[str, str] = ("since", "until")) -> None:
    """UsageError when the range from ``since`` to ``until`` (both inclusive, a month or year
    taken whole) holds no day: its start is after its end. Bounds compare on their common
    prefix, as the queries compare dates: ``since=2017-02-15 until=2017-02`` is the second half
    of February, ``since=2017-03 until=2017-02-15`` is reversed."""
    if not since or not until:
        return
    n = min(len(since), len(until))
    if since[:n] > until[:n]:
        raise UsageError(f"{names[0]} {since} is after {names[1]} {until}: a reversed date range", code="DTE402",
                         params=tuple(n.lstrip("-") for n in names))
