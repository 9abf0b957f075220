"""The API's parameter table: each endpoint's query parameters declared once, with what a value
may be. The same declaration checks a request (:meth:`Endpoint.parse`, a 400 naming the
parameter) and describes it in the OpenAPI document (:func:`openapi`, served at
``/openapi.json``), so the document cannot say something the checks do not do.

A parameter has a *kind* (:data:`KINDS`): an actor ``code`` (ISO3 country or CAMEO actor code),
a ``dyad`` (two codes), a ``day`` (YYYY, YYYY-MM or YYYY-MM-DD), an ``int`` between bounds, a
``flag`` (1 or 0) or a ``choice`` among values. Parameters are read in their declared order, the
required ones first; the first bad one answers 400.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from detente.errors import DetenteError, UsageError, code_for_status

__all__ = ["ApiError", "Param", "Endpoint", "ENDPOINTS", "BY_PATH", "KINDS", "FREQS", "openapi", "OPENAPI"]

#: the periods of a relations series
FREQS = ("month", "quarter", "year")
#: what an actor code may be (after upper-casing): ISO3 country codes and CAMEO actor codes
CODE_CHARS, CODE_MIN, CODE_MAX = "A-Za-z0-9", 2, 16
_CODE_RE = f"[{CODE_CHARS}]{{{CODE_MIN},{CODE_MAX}}}"
#: the dates :func:`detente.dates.date_bound` accepts
DAY_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
#: the kinds of parameter
KINDS = ("code", "dyad", "day", "int", "flag", "choice", "path")


class ApiError(DetenteError):
    """An error answered as ``{"error": message, "code": error_code}`` with HTTP ``status``;
    its code is that of the status (:func:`detente.errors.code_for_status`) unless ``code`` is given."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message, code=code or code_for_status(status))
        self.status = status
        self.message = message


# -- reading one value ---------------------------------------------------------------------


def _one(query: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    if not values:
        return default
    if len(values) > 1:
        raise ApiError(400, f"parameter {name} given more than once")
    return values[0].strip()


def _code(raw: str, name: str) -> str:
    code = raw.strip().upper()
    if not re.fullmatch(_CODE_RE, code):
        raise ApiError(400, f"{name} must be an ISO3 country or actor code, not {raw!r}")
    return code


def _usage(err: UsageError) -> ApiError:
    """A library's usage error as a 400 with its own code (its message names the parameter)."""
    return ApiError(400, str(err), err.error_code)


@dataclass(frozen=True)
class Param:
    """One parameter: its ``name``, ``kind`` (:data:`KINDS`), ``description`` (the OpenAPI
    document's), whether it is ``required``, its ``default`` (the value when it is absent or
    empty), the bounds ``lo`` and ``hi`` of an ``int``, the values of a ``choice``, and
    ``range_from``: the name of an earlier ``day`` parameter that must not be later than this
    one (``until`` after ``since``)."""

    name: str
    kind: str
    description: str
    required: bool = False
    default: Any = None
    lo: int | None = None
    hi: int | None = None
    choices: tuple[str, ...] = ()
    range_from: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r}")

    def value(self, raw: str | None) -> Any:
        """The checked value of the raw text ``raw`` (None: absent); raises :class:`ApiError` (400)."""
        name = self.name
        if self.kind == "int":
            if raw is None or raw == "":
                return self.default
            try:
                value = int(raw)
            except ValueError:
                raise ApiError(400, f"{name} must be an integer, not {raw!r}") from None
            if not self.lo <= value <= self.hi:
                raise ApiError(400, f"{name} must be between {self.lo} and {self.hi}, not {value}")
            return value
        if self.kind == "flag":
            raw = (raw or "0").lower()
            if raw in ("1", "true", "yes", "on"):
                return True
            if raw in ("0", "false", "no", "off", ""):
                return False
            raise ApiError(400, f"{name} must be 1 or 0, not {raw!r}")
        if self.kind == "choice":
            raw = raw or self.default
            if raw not in self.choices:
                raise ApiError(400, f"{name} must be one of {', '.join(self.choices)}, not {raw!r}")
            return raw
        if not raw:
            return self.default
        if self.kind == "day":
            from detente.dates import date_bound

            try:
                return date_bound(raw, name)
            except UsageError as err:
                raise _usage(err) from None
        if self.kind == "dyad":
            parts = raw.split(",")
            if len(parts) != 2:
                raise ApiError(400, f"dyad must be two codes separated by a comma, not {raw!r}")
            return (_code(parts[0], name), _code(parts[1], name))
        if self.kind == "code":
            return _code(raw, name)
        return raw

    def schema(self) -> dict[str, Any]:
        """The JSON schema of the parameter's value (OpenAPI)."""
        if self.kind == "int":
            return {"type": "integer", "minimum": self.lo, "maximum": self.hi, "default": self.default}
        if self.kind == "flag":
            return {"type": "integer", "enum": [0, 1], "default": int(bool(self.default))}
        if self.kind == "choice":
            return {"type": "string", "enum": list(self.choices), "default": self.default}
        if self.kind == "code":
            return {"type": "string", "pattern": f"^{_CODE_RE}$"}
        if self.kind == "dyad":
            return {"type": "string", "pattern": f"^{_CODE_RE},{_CODE_RE}$"}
        if self.kind == "day":
            return {"type": "string", "pattern": DAY_PATTERN}
        return {"type": "string"}

    def document(self) -> dict[str, Any]:
        """The parameter's OpenAPI object."""
        return {"name": self.name, "in": "path" if self.kind == "path" else "query", "required": self.required,
                "description": self.description, "schema": self.schema()}


_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_UNKNOWN_ACTOR = "An unknown actor code (no country's, no stored actor's), with a suggestion"


@dataclass(frozen=True)
class Endpoint:
    """One path of the API: its OpenAPI ``operation`` id and ``summary``, its ``params`` in the
    order they are read, the description and JSON schema of its 200 answer (``ok``), the message
    when a required parameter is missing (``missing``; default ``parameter NAME is required``)
    and the description of its 404 (``not_found``; default: an unknown actor code, for an
    endpoint that takes one)."""

    path: str
    operation: str
    summary: str
    ok: tuple[str, dict[str, Any]]
    params: tuple[Param, ...] = ()
    missing: str | None = None
    not_found: str | None = None

    def parse(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """The checked values of a parsed query string, by parameter name; raises :class:`ApiError`
        (400) for the first bad one: the required parameters are read first, then every one in
        its order."""
        raw: dict[str, str | None] = {}
        for p in self.params:
            if p.required:
                raw[p.name] = _one(query, p.name)
        absent = [p.name for p in self.params if p.required and not raw[p.name]]
        if absent:
            raise ApiError(400, self.missing or f"parameter {absent[0]} is required")
        values: dict[str, Any] = {}
        for p in self.params:
            values[p.name] = p.value(raw[p.name] if p.name in raw else _one(query, p.name))
            if p.range_from is not None:
                from detente.dates import check_range

                try:
                    check_range(values[p.range_from], values[p.name], (p.range_from, p.name))
                except UsageError as err:
                    raise _usage(err) from None
        return values

    def bind(self, handler: Callable[..., dict[str, Any]]) -> Callable[[Any, dict[str, list[str]]], dict[str, Any]]:
        """A route ``(db, query) -> answer``: the query checked by :meth:`parse`, then
        ``handler(db, **values)``."""
        def route(db: Any, query: dict[str, list[str]]) -> dict[str, Any]:
            return handler(db, **self.parse(query))

        route.__name__ = route.__qualname__ = f"route_{self.operation}"
        route.__doc__ = f"{self.path}: {self.summary}"
        return route

    def document(self) -> dict[str, Any]:
        """The path's OpenAPI object: a 400 if it takes query parameters, a 404 if it takes an
        actor code or says what else is not found, a 503 always."""
        desc, schema = self.ok
        responses: dict[str, Any] = {"200": {"description": desc, "content": {"application/json": {"schema": schema}}}}
        if any(p.kind != "path" for p in self.params):
            responses["400"] = {"description": "Bad parameter", "content": _ERROR}
        not_found = self.not_found or (_UNKNOWN_ACTOR if any(p.kind in ("code", "dyad") for p in self.params)
                                       else None)
        if not_found:
            responses["404"] = {"description": not_found, "content": _ERROR}
        responses["503"] = {"description": "The database cannot be opened", "content": _ERROR}
        return {"get": {"operationId": self.operation, "summary": self.summary,
                        "parameters": [p.document() for p in self.params], "responses": responses}}


# -- the table -----------------------------------------------------------------------------


def _mentions() -> Param:
    return Param("mentions", "flag", "Count reports (mentions) instead of canonical events.", default=False)


_FREQ = {"type": "string", "enum": list(FREQS)}

#: every path of the API with its parameters, in the order of the OpenAPI document
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/api/health", "health", "Database status and counts", ("Counts", {
        "type": "object", "required": ["status", "documents", "events"],
        "properties": {"status": {"const": "ok"}, "documents": {"type": "integer"},
                       "events": {"type": "integer", "description": "stored event reports"},
                       "canonical_events": {"type": "integer"}}})),
    Endpoint("/api/events", "events", "Canonical events (as `detente events --format jsonl`)", ("A page of events", {
        "type": "object", "required": ["events", "count"],
        "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                       "count": {"type": "integer", "description": "events in this page"},
                       "total": {"type": "integer", "description": "events matching the filters"},
                       "limit": {"type": "integer"}, "offset": {"type": "integer"}}}), (
        Param("dyad", "dyad", "Two actor codes separated by a comma (both directions), e.g. USA,CHN"),
        Param("actor", "code", "An actor (ISO3 country or actor code) on either side"),
        Param("since", "day", "First date (inclusive)"),
        Param("until", "day", "Last date (inclusive)", range_from="since"),
        _mentions(),
        Param("limit", "int", "Events per page", default=100, lo=0, hi=10000),
        Param("offset", "int", "Events to skip", default=0, lo=0, hi=10**9),
    )),
    Endpoint("/api/relations", "relations", "Relations between two actors over time (as `detente relations A B "
                                            "--format json`)",
             ("Series, verdict, uncertainty and evidence", {"$ref": "#/components/schemas/Relations"}), (
        Param("a", "code", "First actor (ISO3 country or actor code)", required=True),
        Param("b", "code", "Second actor", required=True),
        Param("freq", "choice", "Period of the series", default="month", choices=FREQS),
        _mentions(),
    ), missing="parameters a and b (the two actors) are required"),
    Endpoint("/api/dyads", "dyads", "The busiest country pairs with their verdicts", ("Pairs, busiest first", {
        "type": "object", "required": ["dyads"], "properties": {"dyads": {
            "type": "array", "items": {"type": "object", "properties": {
                "dyad": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
                "events": {"type": "integer"}, "verdict": {"$ref": "#/components/schemas/Verdict"},
                "confidence": {"type": ["string", "null"], "enum": ["high", "medium", "low", None]},
                "difference": {"type": ["number", "null"]}, "last_period": {"type": ["string", "null"]},
                "evidence": {"type": "array", "items": {"type": "string"}}}}}}}), (
        Param("top", "int", "How many pairs", default=10, lo=1, hi=1000),
        Param("freq", "choice", "Period of the verdicts' windows", default="quarter", choices=FREQS),
        _mentions(),
    )),
    Endpoint("/api/actors", "actors", "Actors by number of events (either side)", ("Actors, busiest first", {
        "type": "object", "required": ["actors"], "properties": {"actors": {
            "type": "array", "items": {"type": "object", "properties": {
                "actor": {"type": "string"}, "events": {"type": "integer"},
                "as_source": {"type": "integer"}, "as_target": {"type": "integer"}}}}}}), (
        Param("top", "int", "How many actors", default=20, lo=1, hi=10000),
        Param("by", "choice", "Count by ISO3 country or by CAMEO actor code", default="country",
              choices=("country", "code")),
        _mentions(),
    )),
    Endpoint("/api/events/{event_id}", "event", "One event by id, with its reports and its article's text", (
        "The event (the fields of /api/events plus cameo_name, canonical, reports and document)",
        {"type": "object", "required": ["event_id", "cameo", "evidence", "document", "reports"],
         "properties": {"event_id": {"type": "string"}, "cameo_name": {"type": ["string", "null"]},
                        "canonical": {"type": "boolean"}, "reports": {"type": "array", "items": {"type": "object"}},
                        "document": {"type": ["object", "null"]}}}),
        (Param("event_id", "path", "The event's id", required=True),), not_found="No event has this id"),
    Endpoint("/api/cameo", "cameo", "The names of the CAMEO codes", ("Names by code", {
        "type": "object", "required": ["codes"],
        "properties": {"codes": {"type": "object", "additionalProperties": {"type": "string"}}}})),
)

#: the endpoints by path
BY_PATH: dict[str, Endpoint] = {e.path: e for e in ENDPOINTS}


_SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "code"],
              "properties": {"error": {"type": "string"},
                             "code": {"type": "string", "pattern": "^DTE[0-9]{3}$"}}},
    "Verdict": {"type": "string", "enum": ["easing", "escalating", "stable", "insufficient data"]},
    "Event": {"type": "object", "description": "A record of shared/spec/event.schema.json plus mentions "
                                               "and sources", "required": ["event_id", "cameo"],
              "properties": {"event_id": {"type": "string"}, "doc_id": {"type": "string"},
                             "cameo": {"type": "string"}, "quad_class": {"type": "integer"},
                             "goldstein": {"type": "number"}, "date": {"type": ["string", "null"]},
                             "mentions": {"type": "integer"}, "sources": {"type": "integer"}}},
    "Relations": {"type": "object", "required": ["dyad", "freq", "series", "verdict", "evidence"], "properties": {
        "dyad": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "freq": _FREQ,
        "series": {"type": "array", "items": {"type": "object", "properties": {
            "period": {"type": "string"}, "events": {"type": "integer"},
            "quad": {"type": "object", "properties": {q: {"type": "integer"} for q in "1234"}},
            "goldstein_mean": {"type": "number"}, "balance": {"type": "number"}}}},
        "verdict": {"$ref": "#/components/schemas/Verdict"},
        "evidence": {"type": "array", "items": {"type": "string"}},
        "uncertainty": {"type": "object"}, "evidence_events": {"type": "array", "items": {"type": "object"}},
        "counting": {"type": "string", "enum": ["events", "mentions"]}}},
}


def openapi(endpoints: tuple[Endpoint, ...] = ENDPOINTS) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``endpoints`` (default: the whole API)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "detente API", "version": "1.0.0",
                 "description": "Read-only access to the CAMEO events stored by `detente ingest` and to the "
                                "relations between actors. See docs/api.md."},
        "paths": {e.path: e.document() for e in endpoints},
        "components": {"schemas": _SCHEMAS},
    }


#: the OpenAPI document of the API (served at ``/openapi.json``)
OPENAPI: dict[str, Any] = openapi()
