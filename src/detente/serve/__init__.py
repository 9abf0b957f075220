"""`detente serve`: the web dashboard at ``/`` (with an event page at ``/event/<id>``) and a small
REST API under ``/api/``.

A WSGI application (:class:`App`) on waitress (:class:`Server`): a fixed pool of threads, a
deep listen queue, idle and size limits. Requests read a private snapshot of the store
(:mod:`detente.snapshot`), never the store file itself, so ``detente ingest`` can write it
meanwhile, and call the library functions of ``detente.relations`` and ``detente.dedup``; the
API is a thin JSON layer over them, described in :data:`OPENAPI` (served at ``/openapi.json``)
and docs/api.md.

The package, in parts:

- :mod:`~detente.serve.routes`: which path answers what (:func:`handle`), the WSGI application
  and the server (:class:`App`, :class:`Server`, :func:`make_server`);
- :mod:`~detente.serve.params`: the parameter table, one declaration per endpoint that both
  checks a request's query and writes the OpenAPI document (:data:`OPENAPI`);
- :mod:`~detente.serve.data`: the endpoints' answers, read from the store;
- :mod:`~detente.serve.dashboard` and ``static/``: the dashboard's HTML, CSS and JS as package
  files (its chart's names and colours from :func:`detente.charts.chart_style`) and the map's
  country shapes; :mod:`~detente.serve.pages`: the event page;
- :mod:`~detente.serve.command`: the command ``detente serve``.

Errors are JSON ``{"error": "...", "code": "DTE5xx"}`` (the codes: :mod:`detente.errors`, docs/errors.md): 400 for bad parameters (and a Host header not served),
401 without the bearer token (``--token``), 404 for unknown paths, 405 for methods other than
GET/HEAD, 414 for a request target over :data:`MAX_URL` bytes, 503 before the first snapshot,
504 for a request computing longer than the timeout, 500 for anything else (the traceback goes
to the server log, never into the body). No answer names a path, the interpreter or a process.
"""
from __future__ import annotations

from detente.serve.command import serve
from detente.serve.dashboard import dashboard_html
from detente.serve.data import cameo_name, event_detail
from detente.serve.pages import event_page_html
from detente.serve.params import ENDPOINTS, OPENAPI, ApiError, Endpoint, Param
# _ROUTES: the routes by path, the very dict handle() reads (tests replace a route in it)
from detente.serve.routes import (
    _ROUTES as _ROUTES,
    BACKLOG,
    CHANNEL_TIMEOUT,
    CONNECTION_LIMIT,
    MAX_BODY,
    MAX_HEADER,
    MAX_URL,
    QUERY_TIMEOUT,
    READY_WAIT,
    REFRESH,
    THREADS,
    App,
    Server,
    default_allowed_hosts,
    handle,
    make_server,
)

__all__ = ["OPENAPI", "ApiError", "App", "Server", "make_server", "default_allowed_hosts", "handle",
           "dashboard_html", "serve", "cameo_name", "event_detail", "event_page_html", "ENDPOINTS", "Endpoint",
           "Param", "THREADS", "BACKLOG", "CONNECTION_LIMIT", "CHANNEL_TIMEOUT", "MAX_HEADER", "MAX_BODY", "MAX_URL",
           "QUERY_TIMEOUT", "REFRESH", "READY_WAIT"]
