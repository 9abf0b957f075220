"""The dashboard: static package files (``detente/serve/static/``: ``index.html``,
``dashboard.css``, ``dashboard.js``, the map's ``world-110m.json``) and the one page ``/`` made
of them. The page is self-contained (one request, no external resource): its stylesheet and
script are put inline, and with them the chart's names and colours from
:func:`detente.charts.chart_style`, the ones the PNG and HTML charts are drawn with. The other
static files are served as they are under ``/static/`` (:func:`static_file`)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["dashboard_html", "static_file", "STATIC_TYPES"]

#: the static files served under ``/static/``, by extension: their content type
STATIC_TYPES = {".json": "application/json; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
                ".md": "text/markdown; charset=utf-8"}


def _read(name: str) -> bytes:
    return resources.files("detente.serve").joinpath("static", name).read_bytes()


@lru_cache(maxsize=None)
def _names() -> frozenset[str]:
    folder = resources.files("detente.serve").joinpath("static")
    return frozenset(f.name for f in folder.iterdir() if f.is_file() and "." + f.name.rsplit(".", 1)[-1] in STATIC_TYPES)


@lru_cache(maxsize=None)
def static_file(name: str) -> tuple[str, bytes] | None:
    """``(content type, bytes)`` of the static file ``name`` (a bare file name of the package's
    static folder), None for any other name (no paths: ``../x`` is None)."""
    if name not in _names():
        return None
    return STATIC_TYPES["." + name.rsplit(".", 1)[-1]], _read(name)


@lru_cache(maxsize=1)
def dashboard_html() -> str:
    """The dashboard: one self-contained HTML page (inline CSS and JS, no external resource)
    that calls the API: busiest dyads, the relations chart of the chosen dyad, its verdict
    with uncertainty, a map of its events' places (points by longitude and latitude over the
    countries' shapes, fetched from ``/static/world-110m.json``) and the evidence events, each
    linked to its event page and article. Made of the files ``index.html``, ``dashboard.css``
    and ``dashboard.js`` and of :func:`detente.charts.chart_style`."""
    from detente.charts import chart_style

    page = _read("index.html").decode("utf-8")
    parts = {
        '<link rel="stylesheet" href="dashboard.css">': "<style>\n" + _read("dashboard.css").decode("utf-8")
                                                        + "</style>",
        '<script src="dashboard.js"></script>': "<script>\n" + _read("dashboard.js").decode("utf-8") + "</script>",
        '<script type="application/json" id="chart-style">{}</script>':
            '<script type="application/json" id="chart-style">'
            + json.dumps(chart_style(), ensure_ascii=True).replace("</", "<\\/") + "</script>",
    }
    for tag, inline in parts.items():
        if page.count(tag) != 1:
            raise RuntimeError(f"static/index.html must hold {tag} once")  # a broken package, not a request
        page = page.replace(tag, inline)
    return page
