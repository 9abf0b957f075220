"""The routes of ``detente serve``: which path answers what (:func:`handle`), and the HTTP
server around it: the WSGI application (:class:`App`: Host header, method, size, bearer token,
a query thread per request on the store's current snapshot, the time limit) on waitress
(:class:`Server`, :func:`make_server`).

Paths: ``/`` the dashboard (:mod:`detente.serve.dashboard`), ``/static/<file>`` its static
files, ``/openapi.json`` the API's description (:mod:`detente.serve.params`), ``/event/<id>``
an event page (:mod:`detente.serve.pages`), ``/api/...`` the API: each path's parameters are
checked by its entry of the parameter table, then answered by :mod:`detente.serve.data`.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from detente import settings as _settings
from detente.errors import UsageError, code_for_status, worded
from detente.serve import data
from detente.serve.dashboard import dashboard_html, static_file
from detente.serve.pages import EVENT_PAGE, EVENT_SHELL, event_page
from detente.serve.params import ENDPOINTS, OPENAPI, ApiError

__all__ = ["handle", "App", "Server", "make_server", "default_allowed_hosts", "THREADS", "BACKLOG",
           "CONNECTION_LIMIT", "CHANNEL_TIMEOUT", "MAX_HEADER", "MAX_BODY", "MAX_URL", "QUERY_TIMEOUT", "REFRESH",
           "READY_WAIT"]

#: each API path's route ``(db, query) -> answer``: its query checked by its entry of the
#: parameter table (:data:`detente.serve.params.ENDPOINTS`), then answered by its operation's
#: answer in :data:`detente.serve.data.ANSWERS` (those of paths without parameters take the query as it is)
_ROUTES: dict[str, Callable[[Any, dict[str, list[str]]], dict[str, Any]]] = {
    e.path: e.bind(data.ANSWERS[e.operation]) if e.params else data.ANSWERS[e.operation]
    for e in ENDPOINTS if "{" not in e.path}

_EVENT_API = "/api/events/"
_STATIC = "/static/"


def _event_path(path: str) -> tuple[str, str] | None:
    """``("api" | "page", event id)`` for ``/api/events/<id>`` or ``/event/<id>``, else None."""
    from urllib.parse import unquote

    for prefix, kind in ((_EVENT_API, "api"), (EVENT_PAGE, "page")):
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
            return event_page(db, event[1])
        if event is not None:
            return 200, "application/json; charset=utf-8", _dump(data.ANSWERS["event"](db, event[1]))
        if path.startswith(_STATIC):
            found = static_file(path[len(_STATIC):])
            if found is None:
                raise ApiError(404, f"no such path: {parts.path}")
            return 200, found[0], found[1]
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
            if path.startswith(EVENT_PAGE):  # a link followed in a browser: a page that asks for the token
                return self._answer(200, "text/html; charset=utf-8", EVENT_SHELL.encode("utf-8"))
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
