"""The event page ``/event/<id>``: one event's fields and its sentence highlighted in its
article, rendered on the server from :func:`detente.serve.data.event_detail` (every text
escaped: an article may hold markup), and the page answered without the bearer token."""
from __future__ import annotations

from typing import Any

from detente.charts import QUAD_NAMES
from detente.serve.data import event_detail

__all__ = ["event_page_html", "event_page", "EVENT_PAGE", "EVENT_SHELL"]

#: the path prefix of the event pages
EVENT_PAGE = "/event/"

# -- the event page ------------------------------------------------------------------------

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
        ("quad class", escape(f"{rec['quad_class']} {QUAD_NAMES.get(str(int(rec['quad_class'])), '')}")),
        ("reports", escape(_plural(rec.get("mentions", len(rec.get("reports") or [])), "report") + ", "
                           + (_plural(rec["sources"], "independent source") if rec.get("sources") is not None
                              else "independent sources unknown"))),
        ("event id", escape(str(rec["event_id"]))),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    reports = "".join(
        f'<li><a href="{escape(EVENT_PAGE + quote(r["event_id"], safe=""))}">{escape(r.get("title") or r["doc_id"])}</a>'
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
EVENT_SHELL = _page("event", '<p id="wait">Loading…</p>').replace("</body>", r"""<script>
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


def event_page(db: Any, event_id: str) -> tuple[int, str, bytes]:
    """``(status, content type, body)`` of the event page of ``event_id``: 200 with the page, or a
    plain HTML 404 page when no event has this id."""
    from html import escape

    rec = event_detail(db, event_id)
    if rec is None:
        body = _page("no such event", f"<p>No event with id <code>{escape(event_id[:64])}</code>.</p>")
        return 404, "text/html; charset=utf-8", body.encode("utf-8")
    return 200, "text/html; charset=utf-8", event_page_html(rec).encode("utf-8")
