"""`detente serve`: the web dashboard at ``/`` (with an event page at ``/event/<id>``) and a small
REST API under ``/api/``.

A WSGI application (:class:`App`) on waitress (:class:`Server`): a fixed pool of threads, a
deep listen queue, idle and size limits. Requests read a private snapshot of the store
(:mod:`detente.snapshot`), never the store file itself, so ``detente ingest`` can write it
meanwhile, and call the library functions of ``detente.relations`` and ``detente.dedup``; the
API is a thin JSON layer over them, described in :data:`OPENAPI` (served at ``/openapi.json``)
and docs/api.md.

Errors are JSON ``{"error": "...", "code": "DTE5xx"}`` (the codes: :mod:`detente.errors`, docs/errors.md): 400 for bad parameters (and a Host header not served),
401 without the bearer token (``--token``), 404 for unknown paths, 405 for methods other than
GET/HEAD, 414 for a request target over :data:`MAX_URL` bytes, 503 before the first snapshot,
504 for a request computing longer than the timeout, 500 for anything else (the traceback goes
to the server log, never into the body). No answer names a path, the interpreter or a process.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import click

from detente import settings as _settings
from detente.errors import DetenteError, UsageError, code_for_status, worded

__all__ = ["OPENAPI", "ApiError", "App", "Server", "make_server", "default_allowed_hosts", "handle",
           "dashboard_html", "serve", "cameo_name", "event_detail", "event_page_html"]

_FREQS = ("month", "quarter", "year")


class ApiError(DetenteError):
    """An error answered as ``{"error": message, "code": error_code}`` with HTTP ``status``;
    its code is that of the status (:func:`detente.errors.code_for_status`) unless ``code`` is given."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message, code=code or code_for_status(status))
        self.status = status
        self.message = message


# -- parameters ----------------------------------------------------------------------------


def _one(query: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    if not values:
        return default
    if len(values) > 1:
        raise ApiError(400, f"parameter {name} given more than once")
    return values[0].strip()


def _int(query: dict[str, list[str]], name: str, default: int, lo: int, hi: int) -> int:
    raw = _one(query, name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, not {raw!r}") from None
    if not lo <= value <= hi:
        raise ApiError(400, f"{name} must be between {lo} and {hi}, not {value}")
    return value


def _flag(query: dict[str, list[str]], name: str) -> bool:
    raw = (_one(query, name) or "0").lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off", ""):
        return False
    raise ApiError(400, f"{name} must be 1 or 0, not {raw!r}")


def _choice(query: dict[str, list[str]], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = _one(query, name) or default
    if raw not in choices:
        raise ApiError(400, f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _day(query: dict[str, list[str]], name: str) -> str | None:
    from detente.dates import date_bound

    raw = _one(query, name)
    if not raw:
        return None
    try:
        return date_bound(raw, name)
    except UsageError as err:
        raise ApiError(400, str(err), err.error_code) from None


def _code(raw: str, name: str) -> str:
    code = raw.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,16}", code):
        raise ApiError(400, f"{name} must be an ISO3 country or actor code, not {raw!r}")
    return code


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


def _events(db: str, query: dict[str, list[str]]) -> dict[str, Any]:
    from detente.dates import check_range
    from detente.dedup import events_page

    dyad = None
    raw = _one(query, "dyad")
    if raw:
        parts = raw.split(",")
        if len(parts) != 2:
            raise ApiError(400, f"dyad must be two codes separated by a comma, not {raw!r}")
        dyad = (_code(parts[0], "dyad"), _code(parts[1], "dyad"))
    actor = _one(query, "actor")
    actor = _code(actor, "actor") if actor else None
    since, until = _day(query, "since"), _day(query, "until")
    try:
        check_range(since, until, ("since", "until"))
    except UsageError as err:
        raise ApiError(400, str(err), err.error_code) from None
    mentions = _flag(query, "mentions")
    limit = _int(query, "limit", 100, 0, 10000)
    offset = _int(query, "offset", 0, 0, 10**9)
    events, total = events_page(db, dyad=dyad, actor=actor, since=since, until=until, mentions=mentions,
                                limit=limit, offset=offset)
    return {"events": events, "count": len(events), "total": total, "limit": limit, "offset": offset}


def _relations(db: str, query: dict[str, list[str]]) -> dict[str, Any]:
    from detente.relations import relations

    a, b = _one(query, "a"), _one(query, "b")
    if not a or not b:
        raise ApiError(400, "parameters a and b (the two actors) are required")
    res = relations(db, _code(a, "a"), _code(b, "b"), freq=_choice(query, "freq", "month", _FREQS),
                    mentions=_flag(query, "mentions"))
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


def _dyads(db: str, query: dict[str, list[str]]) -> dict[str, Any]:
    from detente.relations import dyads

    return {"dyads": dyads(db, top=_int(query, "top", 10, 1, 1000), freq=_choice(query, "freq", "quarter", _FREQS),
                           mentions=_flag(query, "mentions"))}


def _actors(db: str, query: dict[str, list[str]]) -> dict[str, Any]:
    from detente.relations import actors

    return {"actors": actors(db, top=_int(query, "top", 20, 1, 10000),
                             by=_choice(query, "by", "country", ("country", "code")),
                             mentions=_flag(query, "mentions"))}


_ROUTES: dict[str, Callable[[str, dict[str, list[str]]], dict[str, Any]]] = {
    "/api/health": _health, "/api/events": _events, "/api/relations": _relations,
    "/api/dyads": _dyads, "/api/actors": _actors, "/api/cameo": _cameo,
}

_EVENT_API = "/api/events/"
_EVENT_PAGE = "/event/"


def _event_path(path: str) -> tuple[str, str] | None:
    """``("api" | "page", event id)`` for ``/api/events/<id>`` or ``/event/<id>``, else None."""
    from urllib.parse import unquote

    for prefix, kind in ((_EVENT_API, "api"), (_EVENT_PAGE, "page")):
        if path.startswith(prefix) and len(path) > len(prefix):
            return kind, unquote(path[len(prefix):])
    return None


def handle(db: str, target: str) -> tuple[int, str, bytes]:
    """Answer ``GET target`` (path and query string) for the database ``db``:
    ``(status, content type, body)``. Never raises."""
    import traceback

    from detente.errors import StoreError, UnknownActorError

    parts = urlsplit(target)
    path = parts.path.rstrip("/") or "/"
    try:
        if path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", dashboard_html().encode("utf-8")
        if path == "/openapi.json":
            return 200, "application/json; charset=utf-8", _dump(OPENAPI)
        event = _event_path(path)
        if event is not None and event[0] == "page":
            return _event_page(db, event[1])
        if event is not None:
            return 200, "application/json; charset=utf-8", _dump(_event_one(db, event[1]))
        route = _ROUTES.get(path)
        if route is None:
            raise ApiError(404, f"no such path: {parts.path}")
        try:
            query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
        except ValueError as err:
            raise ApiError(400, f"malformed query string: {err}") from None
        return 200, "application/json; charset=utf-8", _dump(route(db, query))
    except ApiError as err:
        status, message, code = err.status, err.message, err.error_code
    except UnknownActorError as err:
        status, message, code = 404, str(err), err.error_code
    except UsageError as err:
        status, message, code = 400, worded(err, "{}").replace("--", ""), err.error_code
    except StoreError as err:  # the detail (a path, a lock holder) goes to the log only
        print(f"detente: {err}", file=sys.stderr, flush=True)
        status, message, code = 503, "the database cannot be read (see the server log)", err.error_code
    except Exception as err:  # noqa: BLE001 - a server answers every request; the log keeps the detail
        if type(err).__name__ == "InterruptException":  # duckdb: stopped by the query timeout
            status, message = 504, "the request took too long and was stopped"
        else:
            traceback.print_exc(file=sys.stderr)
            status, message = 500, "internal error (see the server log)"
        code = code_for_status(status)
    return status, "application/json; charset=utf-8", _error_body(message, code)


def _error_body(message: str, code: str) -> bytes:
    """The JSON body of an error answer: the one-line message and its code (docs/errors.md)."""
    return _dump({"error": message, "code": code})


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8")


#: defaults of the server (docs/api.md, "The server")
# the defaults of the settings [serve] (docs/settings.md); the server reads the settings in use
_S = _settings.DEFAULTS.serve
THREADS, BACKLOG, CONNECTION_LIMIT, CHANNEL_TIMEOUT = _S.threads, _S.backlog, _S.connection_limit, _S.channel_timeout
MAX_HEADER, MAX_BODY, MAX_URL = _S.max_header, _S.max_body, _S.max_url
QUERY_TIMEOUT, REFRESH = _S.query_timeout, _S.refresh
_JSON = "application/json; charset=utf-8"
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            414: "URI Too Long", 500: "Internal Server Error", 503: "Service Unavailable",
            504: "Gateway Timeout"}


def default_allowed_hosts(host: str) -> tuple[str, ...] | None:
    """The Host header names accepted by default: the localhost names when the server listens
    on a loopback address, any (None) otherwise."""
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost":
        return _LOOPBACK_NAMES
    try:
        return _LOOPBACK_NAMES if ipaddress.ip_address(name).is_loopback else None
    except ValueError:
        return None


def _host_name(header: str) -> str:
    """The name of a Host header without its port, lower-cased (``[::1]:8000`` -> ``::1``)."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    if h.count(":") == 1:
        h = h.split(":", 1)[0]
    return h.rstrip(".")


class _Job:
    """One request's computation on a snapshot, run by a query thread."""

    __slots__ = ("cursor", "lock", "abandoned")

    def __init__(self) -> None:
        self.cursor = None
        self.lock = threading.Lock()
        self.abandoned = False

    def interrupt(self) -> None:
        with self.lock:
            self.abandoned = True
            if self.cursor is not None:
                try:
                    self.cursor.interrupt()
                except Exception:  # noqa: BLE001 - best effort, the answer is already a 504
                    pass


class App:
    """The WSGI application of ``detente serve``: checks (Host header, method, size of the
    request target, bearer token), then :func:`handle` on the current snapshot of the store
    (:class:`detente.snapshot.Snapshots`) in a query thread, stopped after ``query_timeout``
    seconds. Every answer is JSON except the dashboard and the event pages; none names a path,
    the interpreter or a process."""

    def __init__(self, snapshots, *, token: str | None = None, allowed_hosts=None,
                 query_timeout: float = QUERY_TIMEOUT, threads: int = THREADS, quiet: bool = False) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.snapshots = snapshots
        self.token = token.encode("utf-8") if token else None
        self.allowed_hosts = None if allowed_hosts is None else {h.strip("[]").lower().rstrip(".")
                                                                  for h in allowed_hosts}
        if self.allowed_hosts is not None and "*" in self.allowed_hosts:
            self.allowed_hosts = None
        self.query_timeout = float(query_timeout)
        self.max_url = _settings.current().serve.max_url
        self.quiet = quiet
        self.pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="detente-query")
        self._log_lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response) -> list[bytes]:
        """Answer one request (WSGI)."""
        status, headers, body = self.respond(environ)
        start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
        if not self.quiet:
            self._access(environ, status, len(body))
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def respond(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        """``(status, headers, body)`` for a WSGI ``environ``."""
        method = environ.get("REQUEST_METHOD", "GET").upper()
        target = environ.get("REQUEST_URI") or (environ.get("PATH_INFO", "/") + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
        host = environ.get("HTTP_HOST")
        if self.allowed_hosts is not None and host is not None and _host_name(host) not in self.allowed_hosts:
            return self._error(400, f"host {host[:100]!r} is not served here (see --allowed-hosts)")
        if method not in ("GET", "HEAD"):
            return self._error(405, f"method {method[:20]} not allowed; the API is read-only (GET)",
                               [("Allow", "GET, HEAD")])
        if len(target) > self.max_url:
            return self._error(414, f"the request target is longer than {self.max_url} bytes")
        path = urlsplit(target).path.rstrip("/") or "/"
        if path not in _ROUTES and _event_path(path) is None:  # the dashboard, the OpenAPI document, 404
            if self.token is not None and path == "/openapi.json" and not self._authorised(environ):
                return self._unauthorised()
            return self._answer(*handle(None, target))
        if self.token is not None and not self._authorised(environ):
            if path.startswith(_EVENT_PAGE):  # a link followed in a browser: a page that asks for the token
                return self._answer(200, "text/html; charset=utf-8", _EVENT_SHELL.encode("utf-8"))
            return self._unauthorised()
        snap = self.snapshots.acquire()
        if snap is None:
            why = self.snapshots.error
            message = (f"the database cannot be read: {why}" if why
                       else "no snapshot of the database yet; try again in a few seconds")
            return self._error(503, message, [("Retry-After", "2")])
        return self._compute(snap, target)

    def _compute(self, snap, target: str) -> tuple[int, list[tuple[str, str]], bytes]:
        """The answer to ``target`` on ``snap`` (released here): from the snapshot's answer
        cache, or computed by a query thread (one computation for concurrent equal requests)."""
        from concurrent.futures import TimeoutError as FutureTimeout

        timeout = self._error(504, f"the request took longer than {self.query_timeout:g} s and was stopped; "
                                   "narrow it (dyad, actor, since, until, limit)")
        job = _Job()
        with snap._lock:
            hit = snap.answers.get(target)
            if hit is not None:
                snap.answers.move_to_end(target)
            future = None if hit is not None else snap.inflight.get(target)
        if hit is not None:
            self.snapshots.release(snap)
            return self._answer(*hit)
        if future is not None:  # the same request is being computed: wait for it
            try:
                return self._answer(*future.result(timeout=self.query_timeout))
            except FutureTimeout:
                return timeout
            finally:
                self.snapshots.release(snap)

        def run() -> tuple[int, str, bytes]:
            try:
                with job.lock:
                    if job.abandoned:
                        return 504, _JSON, timeout[2]
                    job.cursor = snap.cursor()
                try:
                    answer = handle(job.cursor, target)
                finally:
                    with job.lock:
                        job.cursor.close()
                        job.cursor = None
                if answer[0] < 500:
                    snap.remember(target, answer)
                return answer
            finally:
                with snap._lock:
                    snap.inflight.pop(target, None)
                self.snapshots.release(snap)

        with snap._lock:
            try:
                future = snap.inflight[target] = self.pool.submit(run)
            except RuntimeError:  # the server is stopping
                future = None
        if future is None:
            self.snapshots.release(snap)
            return self._error(503, "the server is stopping")
        try:
            return self._answer(*future.result(timeout=self.query_timeout))
        except FutureTimeout:
            job.interrupt()
            return timeout

    def _authorised(self, environ: dict[str, Any]) -> bool:
        import hmac

        auth = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, given = auth.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("utf-8", "replace"), self.token)

    def _unauthorised(self):
        return self._error(401, "a bearer token is required (Authorization: Bearer TOKEN)",
                           [("WWW-Authenticate", 'Bearer realm="detente"')])

    @staticmethod
    def _answer(status: int, ctype: str, body: bytes, extra: list[tuple[str, str]] | None = None):
        headers = [("Content-Type", ctype), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff")]
        return status, headers + (extra or []), body

    def _error(self, status: int, message: str, extra: list[tuple[str, str]] | None = None):
        return self._answer(status, _JSON, _error_body(message, code_for_status(status)), extra)

    def _access(self, environ: dict[str, Any], status: int, size: int) -> None:
        import time as _time

        target = (environ.get("REQUEST_URI") or environ.get("PATH_INFO", ""))[:300]
        target = target.encode("ascii", "backslashreplace").decode("ascii")
        target = "".join(c if c.isprintable() else "\\x%02x" % ord(c) for c in target)
        line = (f'{environ.get("REMOTE_ADDR", "-")} - - [{_time.strftime("%d/%b/%Y %H:%M:%S")}] '
                f'"{environ.get("REQUEST_METHOD", "-")[:20]} {target}" {status} {size}\n')
        with self._log_lock:
            sys.stderr.write(line)


class Server:
    """``detente serve``'s HTTP server (waitress, a production WSGI server): ``serve_forever()``,
    ``shutdown()`` from another thread, ``server_close()``; ``server_address`` is the address
    actually bound; ``snapshots`` the store's snapshots; ``app`` the WSGI application."""

    def __init__(self, app: App, host: str, port: int, threads: int) -> None:
        from waitress.adjustments import Adjustments
        from waitress.channel import HTTPChannel
        from waitress.server import TcpWSGIServer
        from waitress.task import ErrorTask, ThreadedTaskDispatcher

        class JsonErrorTask(ErrorTask):
            """waitress's own errors (malformed request, headers or body too large) as JSON."""

            def execute(self) -> None:
                err = self.request.error
                body = _error_body(f"{err.reason.lower()}: {err.body}", code_for_status(err.code))
                self.status = f"{err.code} {err.reason}"
                self.response_headers.extend([("Content-Type", _JSON), ("Cache-Control", "no-store")])
                self.set_close_on_finish()
                self.content_length = len(body)
                self.write(body)

        class Channel(HTTPChannel):
            error_task_class = JsonErrorTask

        class Tcp(TcpWSGIServer):
            channel_class = Channel

        self.app = app
        self.snapshots = app.snapshots
        s = _settings.current().serve
        adj = Adjustments(host=host, port=port, threads=threads, backlog=s.backlog, connection_limit=s.connection_limit,
                          channel_timeout=s.channel_timeout, cleanup_interval=10, max_request_header_size=s.max_header,
                          max_request_body_size=s.max_body, ident="detente", asyncore_use_poll=True,
                          expose_tracebacks=False)
        self._map: dict = {}
        self._dispatcher = ThreadedTaskDispatcher()
        self._dispatcher.set_thread_count(threads)
        self._servers = []
        try:
            for sockinfo in adj.listen:
                self._servers.append(Tcp(app, self._map, dispatcher=self._dispatcher, adj=adj, sockinfo=sockinfo))
        except BaseException:
            self._close_sockets()
            raise
        first = self._servers[0]
        self.server_address = (first.effective_host, first.effective_port)
        self._stop = threading.Event()
        self._running = threading.Event()
        self._closed = False

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C)."""
        from waitress import wasyncore

        self._running.set()
        try:
            while not self._stop.is_set() and self._map:
                wasyncore.loop(timeout=0.5, map=self._map, use_poll=True, count=1)
        finally:
            self._running.clear()
            self._close_sockets()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread) and wait for it."""
        self._stop.set()
        for srv in self._servers:
            try:
                srv.trigger.pull_trigger()
            except Exception:  # noqa: BLE001 - already closed
                pass
        deadline = time.monotonic() + 10
        while self._running.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)

    def _close_sockets(self) -> None:
        from waitress import wasyncore

        if self._closed:
            return
        self._closed = True
        self._dispatcher.shutdown(cancel_pending=True, timeout=5)
        wasyncore.close_all(self._map)

    def server_close(self) -> None:
        """Close the sockets, the query threads and the snapshots (their files are deleted)."""
        self._stop.set()
        self._close_sockets()
        self.app.pool.shutdown(wait=False, cancel_futures=True)
        self.snapshots.close()


def make_server(db: str, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False, *,
                token: str | None = None, allowed_hosts=None, threads: int | None = None,
                query_timeout: float | None = None, refresh: float | None = None, wait: bool | str = True,
                child: bool = True, snapshot_dir: str | None = None) -> Server:
    """A :class:`Server` bound to ``host:port`` (0: any free port) serving snapshots of ``db``.

    The first snapshot is taken at once; ``wait=True`` returns when it is in place (or failed:
    the API then answers 503), ``wait="valid"`` as soon as the copy is known to be readable,
    ``wait=False`` at once (503 "no snapshot yet" until it is in place). ``token``: bearer token
    required by the API; ``allowed_hosts``: Host header names accepted (None: the default of
    :func:`default_allowed_hosts`; ``["*"]``: any). ``child=False`` takes snapshots in a thread
    of this process instead of a child process. Raises ``OSError`` if the address cannot be bound.
    ``threads``, ``query_timeout``, ``refresh`` (None) and the limits: the settings ``[serve]``.
    """
    from detente.snapshot import Snapshots

    s = _settings.current().serve
    threads = s.threads if threads is None else threads
    query_timeout = s.query_timeout if query_timeout is None else query_timeout
    refresh = s.refresh if refresh is None else refresh

    def log_errors(line: str) -> None:
        print(f"detente: {line}", file=sys.stderr, flush=True)

    log = (lambda line: None) if quiet else log_errors
    snapshots = Snapshots(db, refresh=refresh, directory=snapshot_dir, child=child, log=log, log_errors=log_errors,
                          prepare=lambda snap: _warm_up(snap, min(10.0, query_timeout)))
    snapshots.quiet_first = bool(wait)  # who waits reads snapshots.error
    app = App(snapshots, token=token,
              allowed_hosts=default_allowed_hosts(host) if allowed_hosts is None else allowed_hosts,
              query_timeout=query_timeout, threads=threads, quiet=quiet)
    try:
        server = Server(app, host, port, threads)
    except BaseException:
        app.pool.shutdown(wait=False)
        snapshots.close()
        raise
    snapshots.start()
    if wait:
        snapshots.wait(ready=wait is True, timeout=s.ready_wait)
    return server


def _warm_up(snap, seconds: float = 10.0) -> None:
    """Before a snapshot is swapped in: compute the dashboard's first requests into its answer
    cache (the busiest dyads, the health line, the busiest dyad's relations), so that a page
    load after each new snapshot costs nothing, and the first requests do not pay for imports."""
    cur = snap.cursor()
    timer = threading.Timer(seconds, cur.interrupt)  # never holds up a snapshot for long
    timer.daemon = True
    timer.start()
    try:
        for target in ("/api/health", "/api/dyads?top=15&freq=quarter"):
            answer = handle(cur, target)
            if answer[0] < 500:
                snap.remember(target, answer)
            if target.startswith("/api/dyads") and answer[0] == 200:
                dyads = json.loads(answer[2])["dyads"]
                if dyads:
                    a, b = dyads[0]["dyad"]
                    t = f"/api/relations?a={a}&b={b}&freq=quarter"
                    snap.remember(t, handle(cur, t))
        handle(cur, "/api/relations?a=USAX&b=CHN")  # the actor-code suggestions' tables
    finally:
        timer.cancel()
        cur.close()


#: seconds ``make_server`` waits for the first snapshot (by default: the setting serve.ready_wait)
READY_WAIT = _S.ready_wait


# -- OpenAPI -------------------------------------------------------------------------------


def _param(name: str, desc: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema}


_CODE = {"type": "string", "pattern": "^[A-Za-z0-9]{2,16}$"}
_DAY = {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
_FREQ = {"type": "string", "enum": list(_FREQS)}
_MENT = _param("mentions", "Count reports (mentions) instead of canonical events.",
               {"type": "integer", "enum": [0, 1], "default": 0})
_ERR = {"description": "Bad parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(desc: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": desc, "content": {"application/json": {"schema": schema}}}


def _get(op: str, summary: str, params: list[dict[str, Any]], ok: dict[str, Any], bad: bool = True,
         codes: bool = False) -> dict[str, Any]:
    responses = {"200": ok}
    if bad:
        responses["400"] = _ERR
    if codes:
        responses["404"] = {"description": "An unknown actor code (no country's, no stored actor's), with a suggestion",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    responses["503"] = {"description": "The database cannot be opened",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {"get": {"operationId": op, "summary": summary, "parameters": params, "responses": responses}}


def _event_path_doc() -> dict[str, Any]:
    doc = _get("event", "One event by id, with its reports and its article's text", [], _ok(
        "The event (the fields of /api/events plus cameo_name, canonical, reports and document)",
        {"type": "object", "required": ["event_id", "cameo", "evidence", "document", "reports"],
         "properties": {"event_id": {"type": "string"}, "cameo_name": {"type": ["string", "null"]},
                        "canonical": {"type": "boolean"}, "reports": {"type": "array", "items": {"type": "object"}},
                        "document": {"type": ["object", "null"]}}}), bad=False)
    get = doc["get"]
    get["parameters"] = [{"name": "event_id", "in": "path", "required": True, "description": "The event's id",
                          "schema": {"type": "string"}}]
    get["responses"]["404"] = {"description": "No event has this id",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return doc


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "detente API", "version": "1.0.0",
             "description": "Read-only access to the CAMEO events stored by `detente ingest` and to the "
                            "relations between actors. See docs/api.md."},
    "paths": {
        "/api/health": _get("health", "Database status and counts", [], _ok("Counts", {
            "type": "object", "required": ["status", "documents", "events"],
            "properties": {"status": {"const": "ok"}, "documents": {"type": "integer"},
                           "events": {"type": "integer", "description": "stored event reports"},
                           "canonical_events": {"type": "integer"}}}), bad=False),
        "/api/events": _get("events", "Canonical events (as `detente events --format jsonl`)", [
            _param("dyad", "Two actor codes separated by a comma (both directions), e.g. USA,CHN",
                   {"type": "string", "pattern": "^[A-Za-z0-9]{2,16},[A-Za-z0-9]{2,16}$"}),
            _param("actor", "An actor (ISO3 country or actor code) on either side", _CODE),
            _param("since", "First date (inclusive)", _DAY), _param("until", "Last date (inclusive)", _DAY),
            _MENT,
            _param("limit", "Events per page", {"type": "integer", "minimum": 0, "maximum": 10000, "default": 100}),
            _param("offset", "Events to skip", {"type": "integer", "minimum": 0, "default": 0}),
        ], _ok("A page of events", {
            "type": "object", "required": ["events", "count"],
            "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                           "count": {"type": "integer", "description": "events in this page"},
                           "total": {"type": "integer", "description": "events matching the filters"},
                           "limit": {"type": "integer"}, "offset": {"type": "integer"}}}), codes=True),
        "/api/relations": _get("relations", "Relations between two actors over time (as `detente relations A B "
                                            "--format json`)", [
            _param("a", "First actor (ISO3 country or actor code)", _CODE, required=True),
            _param("b", "Second actor", _CODE, required=True),
            _param("freq", "Period of the series", {**_FREQ, "default": "month"}), _MENT,
        ], _ok("Series, verdict, uncertainty and evidence", {"$ref": "#/components/schemas/Relations"}), codes=True),
        "/api/dyads": _get("dyads", "The busiest country pairs with their verdicts", [
            _param("top", "How many pairs", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10}),
            _param("freq", "Period of the verdicts' windows", {**_FREQ, "default": "quarter"}), _MENT,
        ], _ok("Pairs, busiest first", {"type": "object", "required": ["dyads"], "properties": {"dyads": {
            "type": "array", "items": {"type": "object", "properties": {
                "dyad": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
                "events": {"type": "integer"}, "verdict": {"$ref": "#/components/schemas/Verdict"},
                "confidence": {"type": ["string", "null"], "enum": ["high", "medium", "low", None]},
                "difference": {"type": ["number", "null"]}, "last_period": {"type": ["string", "null"]},
                "evidence": {"type": "array", "items": {"type": "string"}}}}}}})),
        "/api/actors": _get("actors", "Actors by number of events (either side)", [
            _param("top", "How many actors", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 20}),
            _param("by", "Count by ISO3 country or by CAMEO actor code",
                   {"type": "string", "enum": ["country", "code"], "default": "country"}), _MENT,
        ], _ok("Actors, busiest first", {"type": "object", "required": ["actors"], "properties": {"actors": {
            "type": "array", "items": {"type": "object", "properties": {
                "actor": {"type": "string"}, "events": {"type": "integer"},
                "as_source": {"type": "integer"}, "as_target": {"type": "integer"}}}}}})),
        "/api/events/{event_id}": _event_path_doc(),
        "/api/cameo": _get("cameo", "The names of the CAMEO codes", [], _ok("Names by code", {
            "type": "object", "required": ["codes"],
            "properties": {"codes": {"type": "object", "additionalProperties": {"type": "string"}}}}), bad=False),
    },
    "components": {"schemas": {
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
    }},
}


# -- the event page ------------------------------------------------------------------------

_QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_PAGE_STYLE = ("body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#f6f7f9}"
               "header{background:#1f3a5f;color:#fff;padding:10px 18px}header a{color:#fff}"
               "main{max-width:980px;margin:14px auto;padding:0 14px}"
               ".card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 14px;margin-bottom:14px}"
               "th,td{padding:3px 8px;text-align:left;vertical-align:top}th{color:#555;font-weight:600}"
               ".muted{color:#777}mark{background:#ffe066;padding:1px 0}#text{white-space:pre-wrap}")


def _page(title: str, body: str) -> str:
    from html import escape

    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_PAGE_STYLE}</style></head>\n<body>"
            f'<header><a href="/">detente</a> · {escape(title)}</header><main>{body}</main></body></html>\n')


def _highlight(text: str, sentence: str, start: int | None, end: int | None) -> tuple[str, bool]:
    """The article ``text`` escaped as HTML with its evidence in ``<mark id="evidence">``, and
    whether the evidence was found (at its offsets, else by its text)."""
    from html import escape

    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            and (not sentence or text[start:end].strip() == sentence.strip())):
        at = text.find(sentence.strip()) if sentence and sentence.strip() else -1
        if at < 0:
            return escape(text), False
        start, end = at, at + len(sentence.strip())
    return (escape(text[:start]) + '<mark id="evidence">' + escape(text[start:end]) + "</mark>"
            + escape(text[end:])), True


def event_page_html(rec: dict[str, Any]) -> str:
    """The event page of :func:`event_detail`'s record: its fields and its sentence highlighted
    in the article's text; every text is escaped (an article may hold markup)."""
    from html import escape
    from urllib.parse import quote

    def actor(a: dict | None) -> str:
        if not a:
            return "–"
        parts = [a.get("name") or a.get("text"), a.get("code"), a.get("country")]
        return escape(" · ".join(str(p) for p in parts if p))

    loc = rec.get("location") or {}
    place = "–"
    if loc:
        place = escape(", ".join(str(x) for x in (loc.get("name"), loc.get("country")) if x))
        if loc.get("lat") is not None and loc.get("lon") is not None:
            place += f" ({float(loc['lat']):.3f}, {float(loc['lon']):.3f})"
    name = rec.get("cameo_name")
    rows = [
        ("source", actor(rec.get("source"))), ("target", actor(rec.get("target"))),
        ("CAMEO", escape(f"{rec['cameo']} {name}" if name else str(rec["cameo"]))),
        ("date", escape(f"{rec.get('date') or 'undated'} ({rec.get('date_precision')}, from {rec.get('date_basis')})")),
        ("modality", escape(str(rec.get("modality")))), ("place", place),
        ("Goldstein", escape(f"{float(rec['goldstein']):+.1f}")),
        ("quad class", escape(f"{rec['quad_class']} {_QUADS.get(int(rec['quad_class']), '')}")),
        ("reports", escape(_plural(rec.get("mentions", len(rec.get("reports") or [])), "report") + ", "
                           + (_plural(rec["sources"], "independent source") if rec.get("sources") is not None
                              else "independent sources unknown"))),
        ("event id", escape(str(rec["event_id"]))),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    reports = "".join(
        f'<li><a href="{escape(_EVENT_PAGE + quote(r["event_id"], safe=""))}">{escape(r.get("title") or r["doc_id"])}</a>'
        + (f' · <a href="{escape(r["url"])}" rel="noreferrer noopener">article</a>' if _web(r.get("url")) else "")
        + (f" · {escape(r['date'])}" if r.get("date") else "") + ("" if r.get("counted") else " (copy)") + "</li>"
        for r in rec.get("reports") or [])
    doc = rec.get("document") or {}
    ev = rec.get("evidence") or {}
    if doc.get("text"):
        text, found = _highlight(doc["text"], ev.get("sentence") or "", ev.get("start"), ev.get("end"))
    else:
        text, found = escape(ev.get("sentence") or ""), False
    head = escape(doc.get("title") or rec["doc_id"])
    link = (f' · <a id="article-url" href="{escape(doc["url"])}" rel="noreferrer noopener">{escape(doc["url"])}</a>'
            if _web(doc.get("url")) else "")
    meta = escape(" · ".join(str(x) for x in (doc.get("source"), doc.get("date")) if x))
    note = "" if found else '<p class="muted">(the sentence was not found in the stored text)</p>'
    body = (f'<section class="card"><h2>Event</h2><table id="fields">{table}</table></section>'
            + (f'<section class="card"><h2>Reports</h2><ul id="reports">{reports}</ul></section>' if reports else "")
            + f'<section class="card"><h2 id="article-title">{head}</h2><p>{meta}{link}</p>{note}'
              f'<div id="text">{text}</div></section>')
    return _page(f"event {rec['event_id']}", body)


#: the event page answered without the bearer token (``--token``): no data; its script asks for
#: the token (kept in the tab's sessionStorage, as the dashboard does), fetches the same page
#: with it and shows it (the server's page, every text escaped, holds no script)
_EVENT_SHELL = _page("event", '<p id="wait">Loading…</p>').replace("</body>", r"""<script>
"use strict";
(async () => {
  let t = sessionStorage.getItem("detente-token");
  if (!t) { t = (prompt("This server needs a token (detente serve --token):") || "").trim(); if (t) sessionStorage.setItem("detente-token", t); }
  const r = await fetch(location.pathname, {headers: {Authorization: "Bearer " + t}});
  if (r.status === 401) { sessionStorage.removeItem("detente-token"); document.getElementById("wait").textContent = "A valid token is needed."; return; }
  const doc = new DOMParser().parseFromString(await r.text(), "text/html");
  for (const s of doc.querySelectorAll("script")) s.remove();
  document.title = doc.title; document.body.replaceWith(document.adoptNode(doc.body));
  const at = location.hash && document.getElementById(location.hash.slice(1));
  if (at) at.scrollIntoView();
})();
</script></body>""")


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _web(url: Any) -> bool:
    """Whether ``url`` is an http(s) address (only these become links)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def _event_page(db: Any, event_id: str) -> tuple[int, str, bytes]:
    from html import escape

    rec = event_detail(db, event_id)
    if rec is None:
        body = _page("no such event", f"<p>No event with id <code>{escape(event_id[:64])}</code>.</p>")
        return 404, "text/html; charset=utf-8", body.encode("utf-8")
    return 200, "text/html; charset=utf-8", event_page_html(rec).encode("utf-8")


# -- the dashboard -------------------------------------------------------------------------


def dashboard_html() -> str:
    """The dashboard: one self-contained HTML page (inline CSS and JS, no external resource)
    that calls the API: busiest dyads, the relations chart of the chosen dyad, its verdict
    with uncertainty, a map of its events' places (an inline SVG of points by longitude and
    latitude) and the evidence events, each linked to its event page and article."""
    return _DASHBOARD


_DASHBOARD = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>detente dashboard</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:10px 18px;display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:19px;margin:0}#health{opacity:.85;font-size:13px}
main{display:grid;grid-template-columns:370px 1fr;gap:14px;padding:14px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 12px;min-width:0}
h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:3px 6px;border-bottom:1px solid #eceef1;text-align:left;vertical-align:top}
th{color:#555;font-weight:600}td.n,th.n{text-align:right}
#dyads td,#evidence td:nth-child(-n+3){white-space:nowrap}
#dyads tbody tr{cursor:pointer}#dyads tbody tr:hover{background:#eef4fb}#dyads tr.sel{background:#dbe9f6}
.v{font-weight:600}.easing{color:#238b45}.escalating{color:#d7301f}.stable{color:#555}.insufficient{color:#999}
form{display:flex;gap:6px;margin:10px 0 0;flex-wrap:wrap}input,select,button{font:inherit;padding:2px 5px}
input{width:64px;text-transform:uppercase}
#verdict{font-size:15px;margin:4px 0 8px}#verdict small{display:block;color:#555;font-size:13px}
svg text{font-size:11px;fill:#444}.leg{margin-right:12px;font-size:12px}.leg i{display:inline-block;width:10px;height:10px;margin-right:4px}
td.c{min-width:150px;max-width:260px}#evidence td.c{white-space:normal}#err{color:#b00020}.muted{color:#777}td.s{max-width:640px}
@media (max-width:800px){main{grid-template-columns:1fr}}
</style></head>
<body>
<header><h1>detente</h1><span id="health">loading…</span></header>
<main>
<section class="card"><h2>Busiest dyads <small class="muted">(verdicts per quarter; click one)</small></h2>
<table id="dyads"><thead><tr><th>dyad</th><th class="n">events</th><th>verdict</th><th>conf.</th></tr></thead>
<tbody></tbody></table>
<form id="pick"><input id="a" placeholder="A" aria-label="actor A"><input id="b" placeholder="B" aria-label="actor B">
<select id="freq" aria-label="period"><option>month</option><option selected>quarter</option><option>year</option></select>
<button>show</button></form>
<p id="err"></p></section>
<section class="card"><h2 id="title">Relations</h2>
<div id="verdict" class="muted">Choose a dyad.</div>
<div id="chart"></div>
<div id="legend"></div>
<h2 style="margin-top:12px">Places <small class="muted" id="mapnote"></small></h2>
<div id="map"></div>
<h2 style="margin-top:12px">Evidence</h2>
<table id="evidence"><thead><tr><th>window</th><th>date</th><th>CAMEO</th><th class="n">Goldstein</th><th class="n">reports</th><th>sentence</th></tr></thead><tbody></tbody></table>
</section>
</main>
<script>
"use strict";
const Q = {"1": ["verbal cooperation", "#74c476"], "2": ["material cooperation", "#238b45"],
           "3": ["verbal conflict", "#fd8d3c"], "4": ["material conflict", "#d7301f"]};
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
function el(tag, attrs, text) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function row(cells) { const tr = el("tr"); for (const c of cells) tr.append(c instanceof Node ? c : el("td", {}, c)); return tr; }
function num(v) { return el("td", {class: "n"}, v); }
function verdictCell(v) { return el("td", {class: "v " + v.split(" ")[0]}, v); }
async function api(path) {
  const t = sessionStorage.getItem("detente-token");
  const r = await fetch(path, t ? {headers: {Authorization: "Bearer " + t}} : {});
  if (r.status === 401) {
    const given = prompt("This server needs a token (detente serve --token):");
    if (given) { sessionStorage.setItem("detente-token", given.trim()); return api(path); }
  }
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
function fmt(x) { return (x >= 0 ? "+" : "") + x.toFixed(2); }
function cameoCell(code, name) { const td = el("td", {class: "c"}); td.append(el("b", {}, code)); if (name) td.append(" " + name); return td; }

function chart(res) {
  const ser = res.series, W = 860, H = 330, L = 48, R = 12, T = 10, h1 = 120, gap = 34, h2 = 130;
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img"});
  if (!ser.length) { $("chart").replaceChildren(el("p", {class: "muted"}, "No dated events for this pair.")); return; }
  // one slot per period from the first to the last, so that gaps in time show as gaps
  const idx = (p) => { const m = /^(\d{4})(?:-Q(\d)|-(\d{2}))?$/.exec(p);
    return m[2] ? m[1] * 4 + (m[2] - 1) : m[3] ? m[1] * 12 + (m[3] - 1) : +m[1]; };
  const i0 = idx(ser[0].period), n = idx(ser[ser.length - 1].period) - i0 + 1;
  const bw = (W - L - R) / n, x = (i) => L + bw * (idx(ser[i].period) - i0 + 0.5);
  const gmax = Math.min(10, Math.ceil(Math.max(1, ...ser.map(s => Math.abs(s.goldstein_mean))) * 1.2));
  const y1 = (v) => T + h1 / 2 - v / gmax * h1 / 2, top2 = T + h1 + gap;
  const top = Math.max(...ser.map(s => s.events)), nmax = Math.max(4, top <= 10 ? top + 1 : top * 1.1);
  const y2 = (v) => top2 + h2 - v / nmax * h2;
  const win = ((res.uncertainty || {}).windows || {}).recent;
  if (win) {
    const left = L + bw * Math.max(0, idx(win[0]) - i0);
    svg.append(el("svg:rect", {x: left, y: T, width: W - R - left, height: h1 + gap + h2, fill: "#e8f0f9"}));
    svg.append(el("svg:text", {x: left + 3, y: T + 11}, "recent window"));
  }
  for (const v of [-gmax, 0, gmax]) {
    svg.append(el("svg:line", {x1: L, x2: W - R, y1: y1(v), y2: y1(v), stroke: v ? "#e3e3e3" : "#999"}));
    svg.append(el("svg:text", {x: L - 5, y: y1(v) + 4, "text-anchor": "end"}, (v > 0 ? "+" : "") + v));
  }
  for (const v of [...new Set([0, Math.round(top / 2), top])]) {
    svg.append(el("svg:line", {x1: L, x2: W - R, y1: y2(v), y2: y2(v), stroke: "#e3e3e3"}));
    svg.append(el("svg:text", {x: L - 5, y: y2(v) + 4, "text-anchor": "end"}, Math.round(v)));
  }
  svg.append(el("svg:text", {x: L, y: T + h1 + 14}, "mean Goldstein (top) and " + res.counting + " per " + res.freq + " by quad class (bottom)"));
  // one line per run of consecutive periods: no line across a period without events
  let run = [];
  const flush = () => { if (run.length > 1) svg.append(el("svg:polyline", {class: "trend", points: run.join(" "), fill: "none", stroke: "#666"})); run = []; };
  ser.forEach((s, i) => { if (i && idx(s.period) !== idx(ser[i - 1].period) + 1) flush(); run.push(`${x(i)},${y1(s.goldstein_mean)}`); });
  flush();
  let lastLabel = -1e9;
  ser.forEach((s, i) => {
    const tip = `${s.period}: ${s.events} ${res.counting}, mean Goldstein ${fmt(s.goldstein_mean)}; ` +
      Object.keys(Q).map(q => `${Q[q][0]} ${s.quad[q]}`).join(", ");
    const c = el("svg:circle", {cx: x(i), cy: y1(s.goldstein_mean), r: 3.5, fill: s.goldstein_mean >= 0 ? "#238b45" : "#d7301f"});
    c.append(el("svg:title", {}, tip)); svg.append(c);
    let py = top2 + h2;  // stacked from the bottom; a segment of 1 event is at least 4 px high
    for (const q of Object.keys(Q)) {
      const v = s.quad[q]; if (!v) continue;
      const bh = Math.max(4, v / nmax * h2), bwid = Math.max(3, bw * 0.8);
      const r = el("svg:rect", {class: "bar", x: x(i) - bwid / 2, width: bwid, y: py - bh, height: bh, fill: Q[q][1]});
      r.append(el("svg:title", {}, tip)); svg.append(r); py -= bh;
    }
    if (x(i) - lastLabel >= 58 && (lastLabel = x(i))) svg.append(el("svg:text", {x: Math.min(x(i), W - R - 22), y: top2 + h2 + 14, "text-anchor": "middle"}, s.period));
  });
  $("chart").replaceChildren(svg);
  $("legend").replaceChildren(...Object.keys(Q).map(q => { const s = el("span", {class: "leg"}); s.append(el("i", {style: "background:" + Q[q][1]}), Q[q][0]); return s; }));
}

// the places of a dyad's events: points by longitude and latitude on a graticule (no tiles, offline)
function showMap(events) {
  const W = 860, H = 430, P = {}, svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", id: "mapsvg"});
  const px = (lon) => (lon + 180) / 360 * W, py = (lat) => (90 - lat) / 180 * H;
  svg.append(el("svg:rect", {x: 0, y: 0, width: W, height: H, fill: "#eef3f8"}));
  for (let lon = -180; lon <= 180; lon += 30) svg.append(el("svg:line", {x1: px(lon), x2: px(lon), y1: 0, y2: H, stroke: lon ? "#d5dde6" : "#aab6c4"}));
  for (let lat = -90; lat <= 90; lat += 30) svg.append(el("svg:line", {x1: 0, x2: W, y1: py(lat), y2: py(lat), stroke: lat ? "#d5dde6" : "#aab6c4"}));
  let placed = 0;
  for (const e of events) {
    const l = e.location; if (!l || l.lat === null || l.lon === null || l.lat === undefined) continue;
    const k = `${l.lat},${l.lon}`; placed++;
    (P[k] = P[k] || {l, n: 0, ids: []}).n++; P[k].ids.push(e.event_id);
  }
  for (const k in P) {
    const {l, n, ids} = P[k], a = el("svg:a", {href: "/event/" + encodeURIComponent(ids[0]) + "#evidence", class: "place"});
    const c = el("svg:circle", {cx: px(l.lon), cy: py(l.lat), r: 3 + 2 * Math.sqrt(n), fill: "#1f3a5f", "fill-opacity": 0.6, stroke: "#fff"});
    c.append(el("svg:title", {}, `${l.name}${l.country ? ", " + l.country : ""}: ${n} event${n > 1 ? "s" : ""}`));
    a.append(c); svg.append(a);
  }
  $("mapnote").textContent = `(${placed} of ${events.length} events with a known place; longitude across, latitude up)`;
  $("map").replaceChildren(svg);
}

function showVerdict(res) {
  const u = res.uncertainty || {}, d = $("verdict");
  d.className = ""; d.replaceChildren();
  d.append("Verdict: ", el("span", {class: "v " + res.verdict.split(" ")[0]}, res.verdict));
  if (u.confidence) d.append(` (confidence ${u.confidence})`);
  const small = el("small");
  if (u.difference !== null && u.difference !== undefined) {
    const w = u.windows;
    small.textContent = `mean Goldstein ${fmt(u.recent_mean)} in ${w.recent[0]}..${w.recent[1]} (n=${u.n_recent}) vs ` +
      `${fmt(u.baseline_mean)} in ${w.baseline[0]}..${w.baseline[1]} (n=${u.n_baseline}); difference ${fmt(u.difference)}, ` +
      `95% interval [${fmt(u.ci95[0])}, ${fmt(u.ci95[1])}]`;
  } else small.textContent = "Too few dated events before and after the recent window to compare.";
  small.append(el("br"), `${res.counted} ${res.counting} counted; ${res.undated} undated, ${res.imprecise} with a coarser date, ${res.excluded_modality} hypothetical/negated left out.`);
  d.append(small);
  const body = $("evidence").tBodies[0];
  body.replaceChildren(...(res.evidence_events || []).map(e => {
    const s = el("td", {class: "s"}), go = el("a", {href: "/event/" + encodeURIComponent(e.event_id) + "#evidence", class: "ev"}, e.sentence);
    s.append(go);
    if (/^https?:\/\//i.test(e.url || "")) s.append(" ", el("a", {href: e.url, class: "art", rel: "noreferrer noopener"}, "[article]"));
    return row([e.window, e.date, cameoCell(e.cameo, e.cameo_name), num(fmt(e.goldstein)), num(e.mentions), s]);
  }));
  if (!body.rows.length) body.append(row([el("td", {colspan: 6, class: "muted"}, "No evidence.")]));
}

async function load(a, b, freq) {
  $("err").textContent = ""; $("a").value = a; $("b").value = b; $("freq").value = freq;
  $("title").textContent = `Relations ${a} – ${b}, per ${freq}`;
  for (const tr of $("dyads").tBodies[0].rows) tr.classList.toggle("sel", tr.dataset.key === a + "-" + b);
  try {
    const res = await api(`/api/relations?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}&freq=${freq}`);
    chart(res); showVerdict(res);
    history.replaceState(null, "", `#${a}-${b}-${freq}`);
    const ev = await api(`/api/events?dyad=${encodeURIComponent(a)},${encodeURIComponent(b)}&limit=5000`);
    showMap(ev.events);
  } catch (e) { $("err").textContent = e.message; }
}

async function init() {
  try {
    const h = await api("/api/health");
    $("health").textContent = `${h.documents} documents · ${h.events} event reports · ${h.canonical_events} events`;
  } catch (e) { $("health").textContent = "database unavailable: " + e.message; }
  let first = null;
  try {
    const d = await api("/api/dyads?top=15&freq=quarter");
    $("dyads").tBodies[0].replaceChildren(...d.dyads.map(r => {
      const tr = row([r.dyad.join("–"), num(r.events), verdictCell(r.verdict), r.confidence || "–"]);
      tr.dataset.key = r.dyad.join("-");
      tr.onclick = () => load(r.dyad[0], r.dyad[1], $("freq").value);
      return tr;
    }));
    if (d.dyads.length) first = d.dyads[0].dyad;
  } catch (e) { $("err").textContent = e.message; }
  $("pick").onsubmit = (ev) => { ev.preventDefault(); load($("a").value.trim().toUpperCase(), $("b").value.trim().toUpperCase(), $("freq").value); };
  const m = /^#([A-Za-z0-9]+)-([A-Za-z0-9]+)-(month|quarter|year)$/.exec(location.hash);
  if (m) load(m[1].toUpperCase(), m[2].toUpperCase(), m[3]);
  else if (first) load(first[0], first[1], "quarter");
}
init();
</script>
</body></html>
"""


# -- the command ---------------------------------------------------------------------------


def _hosts(ctx, param, value: str | None):
    if value is None:
        return None
    hosts = [h.strip() for h in value.split(",") if h.strip()]
    if not hosts:
        raise click.BadParameter("give host names separated by commas, or *")
    return hosts


@click.command()
@click.option("--db", default="detente.duckdb", show_default=True,
              help="Database file to serve (read through private snapshots; `ingest` may write it meanwhile).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--token", default=None,
              help="Require `Authorization: Bearer TOKEN` on the API (default: the setting serve.token, "
                   "or the environment variable DETENTE_TOKEN; none: no authentication).")
@click.option("--allowed-hosts", callback=_hosts, default=None, metavar="NAMES",
              help="Host header names accepted, separated by commas, or * for any (default: localhost, "
                   "127.0.0.1 and ::1 when listening on a loopback address, any otherwise).")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help=f"Requests computed at once (default: the setting serve.threads, {THREADS}).")
@click.option("--timeout", "query_timeout", type=click.FloatRange(0.1, 3600), default=None,
              help=f"Seconds a request may compute before it is stopped (504) (default: the setting "
                   f"serve.query_timeout, {QUERY_TIMEOUT:g}).")
@click.option("--refresh", type=click.FloatRange(0.1, 3600), default=None,
              help=f"Seconds between checks whether the database changed (then a new snapshot is taken) "
                   f"(default: the setting serve.refresh, {REFRESH:g}).")
@click.option("--quiet", is_flag=True, help="No access log and no line per snapshot on stderr (errors still).")
def serve(db: str, host: str, port: int, token: str | None, allowed_hosts, threads: int | None,
          query_timeout: float | None, refresh: float | None, quiet: bool) -> None:
    """Serve the web dashboard at / and the REST API under /api/ (OpenAPI at /openapi.json).

    The server reads a private snapshot of the database, renewed in the background when the
    database changes, so `detente ingest` can write the same database meanwhile (docs/api.md)."""
    from pathlib import Path

    from detente.errors import one_line

    def fail(message: str) -> None:
        click.echo(f"detente: {message}", err=True)
        sys.exit(2)

    if "://" not in db and not Path(db).exists():  # a folder or URL: the Parquet of `ingest --parquet`
        fail(f"cannot open database {db}: no such file")
    flags = {"serve.threads": threads, "serve.query_timeout": query_timeout, "serve.refresh": refresh,
             "serve.token": token}
    settings = _settings.replace(_settings.current(), {k: v for k, v in flags.items() if v is not None}, flags=True)
    click.get_current_context().with_resource(_settings.use(settings))  # for the server and its snapshots
    s = settings.serve
    try:
        server = make_server(db, host, port, quiet, token=s.token or None, allowed_hosts=allowed_hosts,
                             threads=s.threads, query_timeout=s.query_timeout, refresh=s.refresh, wait="valid")
    except OSError as err:
        fail(f"cannot listen on {host}:{port}: {one_line(err)}")
    if server.snapshots.current is None and server.snapshots.error:
        error = server.snapshots.error
        server.server_close()
        fail(f"cannot open database {db}: {error}")
    bound = server.server_address
    click.echo(f"detente: serving {db} on http://{bound[0]}:{bound[1]}/ (Ctrl-C to stop)", err=True)

    def stop(signum, frame):  # SIGTERM as Ctrl-C: the snapshots' files are deleted on the way out
        raise KeyboardInterrupt

    import signal

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
