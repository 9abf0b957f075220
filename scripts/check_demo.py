"""Check a store the way a user would read it (issue 14): no event counted, or shown as
evidence, is dated after its document's publication, and every country pair's counts agree
across the command line, the API and the dashboard.

    python scripts/check_demo.py STORE [--freq quarter] [--mentions] [--browser 5] [--json]

Use a copy of a store (it is only read, but a served or shared store should not be touched).
For every pair of ``detente dyads --top 1000`` (all pairs up to 1,000), at each ``--freq``:

* the command line (``detente dyads``, ``detente relations A B``, ``detente events --dyad A B``,
  run in this process through click) and the API (``/api/dyads``, ``/api/relations``,
  ``/api/events``, through :func:`detente.serve.handle`, what the server answers) give the same
  objects, and the same counts: ``events`` of ``dyads`` = the pair's canonical events listed by
  ``events`` and ``/api/events`` (``total``) = ``counted`` + ``undated`` + ``imprecise`` +
  ``excluded_modality`` + ``after_publication`` of ``relations``; ``counted`` of ``dyads`` =
  ``counted`` of ``relations`` = the sum of its series;
* dates (docs/relations.md, "Which events count"), recounted from the listed events: those of a
  counted modality with a date fine enough for the period whose first day is at most
  ``after_publication_days`` after their first report's publication are the counted events
  (their number per period is the series), the others of a counted modality are
  ``after_publication``; no evidence event is dated after the publication of its first report
  or of its own document;
* with ``--browser N`` (Playwright and /usr/bin/chromium), the dashboard of ``detente serve``:
  its dyad table shows each listed pair's ``events``, verdict and confidence, and for the N
  busiest pairs the page of the pair shows ``counted`` and the other counts, one bar per
  quad class and period whose tooltips add up to the series, and the number of events the map
  note names;
* with ``--mentions``, the same counting reports: ``dyads --mentions`` and ``relations
  --mentions`` (CLI and API) agree on the pair's reports, counted reports, verdict and evidence.

Prints the figures (and ``--json`` the whole report); exit 0 when every check holds, 1 otherwise
(the first problems are listed).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta
from typing import Any

#: the counts of a relations answer that, added up, are the pair's canonical events
PARTS = ("counted", "undated", "imprecise", "excluded_modality", "after_publication")
CHROMIUM = "/usr/bin/chromium"


def cli_json(args: list[str]) -> Any:
    """The output of ``detente ARGS`` (run in this process) read as JSON, or as JSON Lines (a
    list) when it holds several lines; AssertionError when the command fails."""
    from click.testing import CliRunner

    from detente.cli import cli

    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 0, f"detente {' '.join(args)}: exit {res.exit_code}: {res.output.strip()[:300]}"
    out = res.stdout
    if args[0] == "events":
        return [json.loads(line) for line in out.splitlines() if line.strip()]
    return json.loads(out)


def api_json(db: str, target: str) -> Any:
    """The API's answer to ``GET target`` (as the server computes it), read as JSON."""
    from detente.serve import handle

    status, _ctype, body = handle(db, target)
    assert status == 200, f"{target}: HTTP {status}: {body[:300]!r}"
    return json.loads(body)


def _first_day(d: str) -> date:
    """The first day of a date of any precision (YYYY, YYYY-MM, YYYY-MM-DD)."""
    return date.fromisoformat((d + "0000-01-01"[len(d):])[:10])


def _after(d: str | None, published: str | None, days: int) -> bool:
    """Whether the date ``d`` begins more than ``days`` days after ``published``."""
    if not d or not published:
        return False
    return _first_day(d) > date.fromisoformat(published[:10]) + timedelta(days=days)


def _period(d: str, precision: str, freq: str) -> str | None:
    from detente.relations import period_of

    p = period_of(d, precision, freq)
    return p[1] if p else None


def recount(events: list[dict], freq: str, rc: dict[str, Any]) -> dict[str, Any]:
    """The counts docs/relations.md defines, recomputed from a pair's listed canonical events:
    ``counted`` and ``series`` (events per period), ``after_publication``, and the ids of the
    counted events and of those dated after publication."""
    days = int(rc["after_publication_days"])
    counted: dict[str, int] = {}
    ids, late = set(), set()
    for e in events:
        if e["modality"] not in rc["modalities"] or not e["date"] or e["date_precision"] not in ("day", "month", "year"):
            continue
        if _after(e["date"], e["first_report"]["date"], days):
            late.add(e["event_id"])
            continue
        p = _period(e["date"], e["date_precision"], freq)
        if p is not None:
            counted[p] = counted.get(p, 0) + 1
            ids.add(e["event_id"])
    return {"counted": len(ids), "series": counted, "after_publication": len(late), "ids": ids, "late": late}


def doc_dates(db: str, event_ids: list[str]) -> dict[str, str | None]:
    """The publication date of the document of each stored event id (read-only)."""
    import duckdb

    if not event_ids:
        return {}
    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute("SELECT e.event_id, d.date FROM events e JOIN documents d ON d.id = e.doc_id "
                           "WHERE e.event_id IN ?", [sorted(set(event_ids))]).fetchall()
    finally:
        con.close()
    return {i: (str(d) if d is not None else None) for i, d in rows}


def date_figures(db: str) -> dict[str, Any]:
    """Stored events (reports) dated after their document's publication, by modality: any day
    later, and more than ``after_publication_days`` later (the tolerance of the counts); and
    the number of stored events and of distinct event ids."""
    import duckdb

    from detente.dedup import load_config

    days = int(load_config()["relations"]["after_publication_days"])
    first = "(e.\"date\" || substr('0000-01-01', length(e.\"date\") + 1))"
    con = duckdb.connect(db, read_only=True)
    try:
        total, ids = con.execute("SELECT count(*), count(DISTINCT event_id) FROM events").fetchone()
        rows = con.execute(
            f"SELECT e.modality, count(*) FILTER (WHERE {first} > strftime(try_cast(d.date AS DATE), '%Y-%m-%d')), "
            f"count(*) FILTER (WHERE {first} > strftime(try_cast(d.date AS DATE) + INTERVAL {days} DAY, '%Y-%m-%d')) "
            f"FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.\"date\" IS NOT NULL GROUP BY ALL "
            f"ORDER BY ALL").fetchall()
    finally:
        con.close()
    return {"events": int(total), "distinct_ids": int(ids), "tolerance_days": days,
            "after_publication": {m: {"any": int(a), "beyond_tolerance": int(b)} for m, a, b in rows}}


def check_pairs(db: str, freq: str = "quarter", mentions: bool = False) -> tuple[list[dict], list[str], dict[str, int]]:
    """The pairs of ``dyads`` (CLI and API) and the problems found checking each of them at
    ``freq`` (an empty list when all holds), with figures (pairs, events, counted...).
    ``mentions``: counting reports (``--mentions``); the event lists, which are of canonical
    events either way, are then not recounted."""
    from detente.dedup import load_config

    rc = load_config()["relations"]
    problems: list[str] = []
    flag, query = (["--mentions"], "&mentions=1") if mentions else ([], "")
    cli_rows = cli_json(["dyads", "--db", db, "--top", "1000", "--freq", freq, "--format", "json", *flag])
    api_rows = api_json(db, f"/api/dyads?top=1000&freq={freq}{query}")["dyads"]
    if cli_rows != api_rows:
        problems.append(f"{freq}: detente dyads and /api/dyads differ")
    figures = {"pairs": len(cli_rows), "events": 0, "counted": 0, "after_publication": 0, "evidence": 0}
    evidence_ids: list[tuple[str, str, str]] = []
    for row in cli_rows:
        a, b = row["dyad"]
        pair = f"{freq}{' mentions' if mentions else ''} {a}-{b}"
        rel = cli_json(["relations", a, b, "--db", db, "--freq", freq, "--format", "json", *flag])
        api = api_json(db, f"/api/relations?a={a}&b={b}&freq={freq}{query}")
        api_ev = api.pop("evidence_events")
        cli_ev = rel.pop("evidence_events")
        if rel != api or [{k: e[k] for k in c} for c, e in zip(cli_ev, api_ev)] != cli_ev or len(cli_ev) != len(api_ev):
            problems.append(f"{pair}: detente relations and /api/relations differ")
        counted = {"dyads counted": row["counted"], "relations counted": rel["counted"],
                   "series": sum(s["events"] for s in rel["series"])}
        if len(set(counted.values())) != 1:
            problems.append(f"{pair}: counted events disagree: {counted}")
        if (row["verdict"], row["confidence"], row["difference"], row["evidence"]) != (
                rel["verdict"], rel["uncertainty"]["confidence"], rel["uncertainty"].get("difference"), rel["evidence"]):
            problems.append(f"{pair}: dyads and relations give different verdicts or evidence")
        figures["events"] += row["events"]
        figures["counted"] += row["counted"]
        figures["after_publication"] += rel["after_publication"]
        evidence_ids += [(pair, e["event_id"], e["date"]) for e in cli_ev]
        if mentions:
            if row["events"] != sum(rel[k] for k in PARTS):
                problems.append(f"{pair}: reports disagree: dyads {row['events']}, relations "
                                f"{'+'.join(PARTS)} {sum(rel[k] for k in PARTS)}")
            continue
        listed = cli_json(["events", "--db", db, "--dyad", a, b, "--format", "jsonl"]) if row["events"] else []
        page = api_json(db, f"/api/events?dyad={a},{b}&limit=10000")
        if [e["event_id"] for e in listed] != [e["event_id"] for e in page["events"]]:
            problems.append(f"{pair}: detente events and /api/events list different events")
        counts = {"dyads events": row["events"], "relations " + "+".join(PARTS): sum(rel[k] for k in PARTS),
                  "events listed": len(listed), "/api/events total": page["total"]}
        if len(set(counts.values())) != 1:
            problems.append(f"{pair}: canonical events disagree: {counts}")
        re_ = recount(page["events"], freq, rc)
        if re_["counted"] != rel["counted"] or re_["series"] != {s["period"]: s["events"] for s in rel["series"]}:
            problems.append(f"{pair}: the listed events recounted by the documented rule give "
                            f"{re_['counted']} counted, relations {rel['counted']}")
        if re_["after_publication"] != rel["after_publication"]:
            problems.append(f"{pair}: {re_['after_publication']} listed events dated after publication, "
                            f"relations says {rel['after_publication']}")
        for e in cli_ev:
            if e["event_id"] not in re_["ids"]:
                problems.append(f"{pair}: evidence event {e['event_id']} ({e['date']}) is not a counted event")
    published = doc_dates(db, [i for _p, i, _d in evidence_ids])
    days = int(rc["after_publication_days"])
    for pair, i, d in evidence_ids:
        if _after(d, published.get(i), days):
            problems.append(f"{pair}: evidence event {i} dated {d}, after its document ({published[i]})")
    figures["evidence"] = len(evidence_ids)
    return cli_rows, problems, figures


def _chart_counts(page) -> dict[str, int]:
    """Events per period read from the dashboard chart's bar tooltips ("2017-Q1: 12 events, ...")."""
    seen: dict[str, int] = {}
    for tip in page.locator("#chart rect.bar title").all_text_contents():
        m = re.match(r"^(\S+): (\d+) ", tip)
        if m:
            seen[m[1]] = int(m[2])
    return seen


def check_dashboard(db: str, rows: list[dict], n: int, browser=None) -> list[str]:
    """Problems of the dashboard (``detente serve`` on ``db`` in Chromium): its dyad table (the
    API's 15 busiest pairs at quarter) against ``rows`` (``dyads`` at quarter), and for the first
    ``n`` pairs, the counts its page shows against ``detente relations --freq quarter``.
    ``browser``: a Playwright browser to use (else one is launched)."""
    import threading
    from contextlib import ExitStack

    from detente.serve import make_server

    problems: list[str] = []
    with ExitStack() as stack:
        if browser is None:
            from playwright.sync_api import sync_playwright

            pw = stack.enter_context(sync_playwright())
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            stack.callback(browser.close)
        server = make_server(db, "127.0.0.1", 0, quiet=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        stack.callback(thread.join, 5)
        stack.callback(server.server_close)
        stack.callback(server.shutdown)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        stack.callback(page.close)
        page.goto(base + "/")
        page.wait_for_selector("#dyads tbody tr")
        shown = [[c.strip() for c in r] for r in page.eval_on_selector_all(
            "#dyads tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent))")]
        want = [["–".join(r["dyad"]), str(r["events"]), r["verdict"], r["confidence"] or "–"] for r in rows[:15]]
        if shown != want:
            problems.append(f"dashboard: the dyad table shows {shown[:3]}..., dyads gives {want[:3]}...")
        for r in rows[:n]:
            a, b = r["dyad"]
            rel = cli_json(["relations", a, b, "--db", db, "--freq", "quarter", "--format", "json"])
            page.goto(f"{base}/?pair={a}-{b}#{a}-{b}-quarter")  # a new page load for each pair
            page.wait_for_function("(t) => document.querySelector('#title').textContent.includes(t) && "
                                   "document.querySelector('#mapnote').textContent !== ''", arg=f"{a} – {b}")
            text = page.inner_text("#verdict")
            line = (f"{rel['counted']} {rel['counting']} counted; {rel['undated']} undated, {rel['imprecise']} with a "
                    f"coarser date, {rel['excluded_modality']} hypothetical/negated")
            if line not in text or rel["verdict"] not in text:
                problems.append(f"dashboard {a}-{b}: the verdict reads {text!r}, relations gives {line!r}")
            series = {s["period"]: s["events"] for s in rel["series"]}
            if _chart_counts(page) != series:
                problems.append(f"dashboard {a}-{b}: the chart's bars give {_chart_counts(page)}, the series {series}")
            note = page.inner_text("#mapnote")
            if f" of {r['events']} events" not in note:
                problems.append(f"dashboard {a}-{b}: the map note reads {note!r}, dyads gives {r['events']} events")
            shown_ev = page.eval_on_selector_all("#evidence tbody a.ev", "as => as.map(a => decodeURIComponent("
                                                 "a.getAttribute('href').split('/')[2].split('#')[0]))")
            if shown_ev != rel["evidence"]:
                problems.append(f"dashboard {a}-{b}: evidence rows {shown_ev}, relations {rel['evidence']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the checks on a store and print the figures; exit 1 when a check fails."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", help="the store (a copy: it is only read)")
    ap.add_argument("--freq", action="append", choices=["month", "quarter", "year"],
                    help="period of the series and verdicts (repeatable; default quarter)")
    ap.add_argument("--mentions", action="store_true", help="also check the counts of reports (--mentions)")
    ap.add_argument("--browser", type=int, default=0, metavar="N",
                    help="also check the dashboard in Chromium, its page for the N busiest pairs")
    ap.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = ap.parse_args(argv)
    report: dict[str, Any] = {"store": args.store, "dates": date_figures(args.store), "freqs": {}}
    problems: list[str] = []
    rows_q = None
    for freq in args.freq or ["quarter"]:
        rows, found, figures = check_pairs(args.store, freq)
        if freq == "quarter":
            rows_q = rows
        report["freqs"][freq] = {**figures, "problems": len(found)}
        problems += found
        if args.mentions:
            _rows, found, figures = check_pairs(args.store, freq, mentions=True)
            report["freqs"][freq + " mentions"] = {**figures, "problems": len(found)}
            problems += found
    if args.browser:
        if rows_q is None:
            rows_q = cli_json(["dyads", "--db", args.store, "--top", "1000", "--freq", "quarter", "--format", "json"])
        found = check_dashboard(args.store, rows_q, args.browser)
        report["dashboard"] = {"pairs": min(args.browser, len(rows_q)), "problems": len(found)}
        problems += found
    report["problems"] = problems
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        d = report["dates"]
        late = ", ".join(f"{m} {v['beyond_tolerance']} ({v['any']} any day later)"
                         for m, v in d["after_publication"].items())
        print(f"{args.store}: {d['events']} stored events, {d['distinct_ids']} distinct ids; dated more than {d['tolerance_days']} days after their "
              f"document: {late}")
        for freq, f in report["freqs"].items():
            what = "reports" if freq.endswith("mentions") else "canonical events"
            print(f"{freq}: {f['pairs']} pairs, {f['events']} {what}, {f['counted']} counted, "
                  f"{f['after_publication']} dated after publication left out, {f['evidence']} evidence events; "
                  f"{f['problems']} problems")
        if "dashboard" in report:
            print(f"dashboard: {report['dashboard']['pairs']} pairs; {report['dashboard']['problems']} problems")
        for p in problems[:20]:
            print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
