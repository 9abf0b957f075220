"""Load test of `detente serve` on 127.0.0.1, optionally while `detente ingest` writes the store.

usage: python bench/load.py --db FILE [--threads 100] [--requests 20] [--with-ingest INPUT]
                            [--server-threads 8] [--keep-alive] [--url http://127.0.0.1:PORT]

Starts `detente serve --db FILE --port 0 --quiet` (a child process; or uses a running server
with ``--url``), reads the busiest dyads and actors from ``/api/dyads`` and ``/api/actors``, then
runs ``--threads`` client threads, each making ``--requests`` requests in turn over:

* ``/api/events?dyad=A,B&limit=100`` and ``/api/events?actor=A&since=...`` (canonical events),
* ``/api/relations?a=A&b=B&freq=month|quarter|year`` (series, verdict, bootstrap uncertainty),
* the dashboard: ``/``, ``/api/health``, ``/api/dyads?top=15&freq=quarter``,

one new connection per request (``--keep-alive``: one per thread). The server keeps the
answers of each snapshot (it never changes), so repeated requests are answered from memory;
``--distinct`` makes every request distinct (an extra parameter the API ignores) to measure
the cost of computing every answer. It prints the requests per
second, the latency percentiles (p50, p95, p99, max), the status codes and the errors (a
status other than 200, or a failed or timed-out connection: client timeout 60 s).

With ``--with-ingest INPUT``, ``detente ingest INPUT --db FILE`` runs at the same time into the
very store being served; the clients go on (round after round) until the ingest has finished
and the server has answered with the new document count, and the ingest's exit code is
checked. Target (issue 12): no errors, p99 under 1 s on the news-corpus store.

The numbers depend on the machine and on what else runs on it: the script prints the load
average before and after.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _detente() -> list[str]:
    return [sys.executable, "-m", "detente"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = os.path.join(ROOT, "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def start_server(db: str, threads: int) -> tuple[subprocess.Popen, str]:
    """`detente serve` on a free port; (process, base URL) once it listens."""
    proc = subprocess.Popen(_detente() + ["serve", "--db", db, "--port", "0", "--quiet", "--threads", str(threads)],
                            stderr=subprocess.PIPE, text=True, env=_env())
    for line in proc.stderr:
        m = re.search(r"on (http://[0-9.]+:\d+)/", line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, m.group(1)
        sys.stderr.write(line)
    raise SystemExit(f"the server did not start (exit {proc.wait()})")


def fetch(base: str, target: str, conn: http.client.HTTPConnection | None = None, timeout: float = 60.0):
    """(status, body, seconds) of GET target; status 0 when the connection failed."""
    parts = urlsplit(base)
    own = conn is None
    t0 = time.perf_counter()
    try:
        if own:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        conn.request("GET", target)
        r = conn.getresponse()
        body = r.read()
        return r.status, body, time.perf_counter() - t0
    except (OSError, http.client.HTTPException) as err:
        if not own and conn is not None:
            conn.close()
        return 0, repr(err).encode(), time.perf_counter() - t0
    finally:
        if own and conn is not None:
            conn.close()


def wait_ready(base: str, timeout: float = 600) -> dict:
    """/api/health once the server has its first snapshot."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body, _ = fetch(base, "/api/health")
        if status == 200:
            return json.loads(body)
        time.sleep(0.5)
    raise SystemExit("no snapshot after %d s" % timeout)


def targets(base: str) -> list[str]:
    """The request mix, from the busiest dyads and actors of the served store."""
    dyads = [d["dyad"] for d in json.loads(fetch(base, "/api/dyads?top=10")[1])["dyads"]] or [["USA", "CHN"]]
    actors = [a["actor"] for a in json.loads(fetch(base, "/api/actors?top=10")[1])["actors"]] or ["USA"]
    out = []
    for i, (a, b) in enumerate(dyads):
        out.append(f"/api/events?dyad={a},{b}&limit=100")
        out.append(f"/api/relations?a={a}&b={b}&freq={('month', 'quarter', 'year')[i % 3]}")
        out.append(f"/api/events?actor={actors[i % len(actors)]}&since=2017-01&limit=50")
    out += ["/", "/api/health", "/api/dyads?top=15&freq=quarter"]
    return out


def run(base: str, mix: list[str], threads: int, requests: int, keep_alive: bool,
        until: threading.Event | None = None, distinct: bool = False) -> tuple[list[float], dict[int, int], list[str], float, int]:
    """Latencies, status counts, error samples, wall seconds and rounds of a load run."""
    lat: list[float] = []
    codes: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    rounds = [0]

    def client(k: int) -> None:
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60) if keep_alive else None
        n = 0
        while True:
            for j in range(requests):
                target = mix[(k * requests + j + n) % len(mix)]
                if distinct and target.startswith("/api/"):
                    target += ("&" if "?" in target else "?") + f"distinct={k}-{n + j}"
                status, body, dt = fetch(base, target, conn)
                if status == 0 and keep_alive:
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                with lock:
                    lat.append(dt)
                    codes[status] = codes.get(status, 0) + 1
                    if status != 200 and len(errors) < 10:
                        errors.append(f"{status} {target}: {body[:200]!r}")
            n += requests
            with lock:
                rounds[0] = max(rounds[0], n // requests)
            if until is None or until.is_set():
                break
        if conn is not None:
            conn.close()

    t0 = time.perf_counter()
    pool = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return lat, codes, errors, time.perf_counter() - t0, rounds[0]


def report(title: str, lat: list[float], codes: dict[int, int], errors: list[str], wall: float) -> dict:
    """Print and return the figures of a run."""
    lat = sorted(lat)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
    fig = {"requests": len(lat), "seconds": round(wall, 1), "req_per_s": round(len(lat) / wall, 1),
           "p50": round(q[49], 3), "p95": round(q[94], 3), "p99": round(q[98], 3), "max": round(lat[-1], 3),
           "codes": {str(k): v for k, v in sorted(codes.items())},
           "errors": sum(v for k, v in codes.items() if k != 200)}
    print(f"{title}: {fig['requests']} requests in {fig['seconds']} s, {fig['req_per_s']} req/s; "
          f"p50 {fig['p50']} s, p95 {fig['p95']} s, p99 {fig['p99']} s, max {fig['max']} s; "
          f"status {fig['codes']}; errors {fig['errors']}")
    for e in errors:
        print("  error:", e)
    return fig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="the store to serve (with --with-ingest: also the one written)")
    ap.add_argument("--url", help="a running server instead of starting one")
    ap.add_argument("--threads", type=int, default=100)
    ap.add_argument("--requests", type=int, default=20, help="requests per thread (per round)")
    ap.add_argument("--server-threads", type=int, default=8)
    ap.add_argument("--keep-alive", action="store_true")
    ap.add_argument("--distinct", action="store_true",
                    help="make every API request distinct (an extra parameter the API ignores), so that none "
                         "is answered from the server's answer cache: the cost of computing every answer")
    ap.add_argument("--with-ingest", metavar="INPUT", help="ingest INPUT into --db meanwhile")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args()
    if not args.url and not args.db:
        ap.error("give --db (or --url)")
    if args.with_ingest and not args.db:
        ap.error("--with-ingest needs --db")
    print("load average before:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.db, args.server_threads)
    out: dict = {}
    try:
        health = wait_ready(base)
        print(f"serving {health['documents']} documents, {health['canonical_events']} canonical events")
        mix = targets(base)
        until = None
        ingest = None
        if args.with_ingest:
            until = threading.Event()
            log = open(os.path.join(os.path.dirname(os.path.abspath(args.db)), "load-ingest.log"), "w")
            t_ing = time.perf_counter()
            ingest = subprocess.Popen(_detente() + ["ingest", args.with_ingest, "--db", args.db, "--no-progress"],
                                      stdout=log, stderr=subprocess.STDOUT, env=_env())

            def watch() -> None:
                code = ingest.wait()
                out["ingest_exit"] = code
                out["ingest_seconds"] = round(time.perf_counter() - t_ing, 1)
                import duckdb

                con = duckdb.connect(args.db, read_only=True)  # the writer is done
                want = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    status, body, _ = fetch(base, "/api/health")
                    if status == 200 and (want is None or json.loads(body)["documents"] >= want):
                        out["served_after"] = json.loads(body)
                        break
                    time.sleep(0.5)
                until.set()

            threading.Thread(target=watch, daemon=True).start()
        lat, codes, errors, wall, rounds = run(base, mix, args.threads, args.requests, args.keep_alive, until,
                                                   args.distinct)
        title = ("with ingest" if ingest else "load") + (", distinct requests" if args.distinct else "")
        out["load"] = report(f"{title} ({args.threads} threads x {args.requests} requests"
                             f"{f' x {rounds} rounds' if ingest else ''})", lat, codes, errors, wall)
        if ingest:
            print(f"ingest: exit {out.get('ingest_exit')} after {out.get('ingest_seconds')} s; then served "
                  f"{out.get('served_after', {}).get('documents')} documents")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
    print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)
    bad = out["load"]["errors"] or (args.with_ingest and out.get("ingest_exit") != 0)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
