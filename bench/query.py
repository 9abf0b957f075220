"""Benchmark: analysis queries over many events, in DuckDB and (optionally) over Parquet.

usage: python bench/query.py [--events N] [--db FILE] [--repeat R] [--parquet DIR] [--keep]

Generates N synthetic events (default 10 million) straight into a DuckDB file with the store's
schema (``detente.store``), with DuckDB SQL (``range()`` and ``random()``, no Python loop):
about 60 countries with a skewed popularity, dates over 2000-2024 (5% undated, 10% dated by
month only), CAMEO codes, quad classes and Goldstein scores. Then times, R times each
(median and best printed):

* the busiest dyads: undirected country pairs by number of events (``Store.summary``'s query);
* a per-month series of one dyad (USA-CHN, both directions): events, events per quad class and
  mean Goldstein per month (what ``detente relations --freq month`` aggregates).

With ``--parquet DIR`` the events are also written as the date-partitioned Parquet of
``detente.distributed.run_dask`` (``DIR/events/year=YYYY/month=MM/*.parquet``) and the same
queries are timed through ``attach_parquet`` views. Target: under 2 s per query.

Then the library calls behind ``detente relations USA CHN`` and ``detente dyads`` (series,
verdict with its bootstrap uncertainty, evidence) are timed on the database file. They read the
deduplicated events; the benchmark makes the dedup tables in SQL (each synthetic event its own
canonical event, as there are no duplicates), or with ``--dedup`` by ``detente.dedup.rebuild``
itself, whose own cost (time, memory) is then printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

COUNTRIES = (
    "USA CHN RUS GBR FRA DEU JPN IND PAK IRN IRQ SYR ISR PSE SAU TUR EGY UKR KOR PRK AFG YEM "
    "LBN JOR QAT ARE LBY SDN ETH NGA ZAF KEN BRA ARG MEX CAN AUS IDN PHL VNM THA MMR BGD LKA "
    "NPL ITA ESP POL GRC SRB BLR KAZ UZB VEN COL CUB CHL PER MAR DZA TUN"
).split()

BUSIEST_DYADS = """
SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
       count(*) AS n
FROM events
WHERE source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country
GROUP BY a, b ORDER BY n DESC, a, b LIMIT 10
"""

DYAD_SERIES = """
SELECT left("date", 7) AS period, count(*) AS events,
       count(*) FILTER (quad_class = 1) AS q1, count(*) FILTER (quad_class = 2) AS q2,
       count(*) FILTER (quad_class = 3) AS q3, count(*) FILTER (quad_class = 4) AS q4,
       avg(goldstein) AS goldstein_mean
FROM events
WHERE ((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))
  AND length("date") >= 7
GROUP BY period ORDER BY period
"""


def generate(con, n: int) -> None:
    """Insert ``n`` synthetic events into ``events`` (store schema), all in SQL."""
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    k = len(COUNTRIES)
    # pick(u): a country index skewed to the first ones (u uniform in [0, 1))
    con.execute(f"""
INSERT INTO events
WITH r AS (
    SELECT i,
           {countries}[1 + floor(pow(random(), 2.2) * {k})::INT] AS sc,
           {countries}[1 + floor(pow(random(), 2.2) * {k})::INT] AS tc,
           random() AS u_sector, random() AS u_date, random() AS u_code, random() AS u_loc,
           DATE '2000-01-01' + floor(random() * 9131)::INT AS day
    FROM range({n}) t(i)
), c AS (
    SELECT *, ['010', '020', '036', '042', '043', '051', '057', '061', '071', '112', '120', '130',
               '138', '141', '160', '173', '190', '193'][1 + floor(u_code * 18)::INT] AS cameo
    FROM r
)
SELECT
    'ev-' || i::VARCHAR AS event_id,
    'doc-' || (i // 25)::VARCHAR AS doc_id,
    sc AS source_text, sc AS source_name, sc AS source_country,
    CASE WHEN u_sector < 0.5 THEN 'GOV' WHEN u_sector < 0.7 THEN 'MIL' END AS source_sector,
    sc || coalesce(CASE WHEN u_sector < 0.5 THEN 'GOV' WHEN u_sector < 0.7 THEN 'MIL' END, '') AS source_code,
    tc AS target_text, tc AS target_name, tc AS target_country,
    CASE WHEN u_sector > 0.6 THEN 'GOV' END AS target_sector,
    tc || CASE WHEN u_sector > 0.6 THEN 'GOV' ELSE '' END AS target_code,
    cameo,
    NULL AS plover,
    CASE WHEN cameo < '060' THEN 1 WHEN cameo < '100' THEN 2 WHEN cameo < '150' THEN 3 ELSE 4 END::TINYINT AS quad_class,
    CASE WHEN cameo < '060' THEN 3.5 WHEN cameo < '100' THEN 6.0 WHEN cameo < '150' THEN -4.0 ELSE -9.0 END AS goldstein,
    CASE WHEN u_date < 0.05 THEN NULL
         WHEN u_date < 0.15 THEN strftime(day, '%Y-%m')
         ELSE strftime(day, '%Y-%m-%d') END AS "date",
    CASE WHEN u_date < 0.05 THEN 'unknown' WHEN u_date < 0.15 THEN 'month' ELSE 'day' END AS date_precision,
    'document' AS date_basis,
    'asserted' AS modality,
    CASE WHEN u_loc < 0.3 THEN 'Capital of ' || tc END AS location_name,
    CASE WHEN u_loc < 0.3 THEN tc END AS location_country,
    CASE WHEN u_loc < 0.3 THEN 10.0 END AS location_lat,
    CASE WHEN u_loc < 0.3 THEN 20.0 END AS location_lon,
    NULL::BIGINT AS location_geonameid,
    'Synthetic report ' || i::VARCHAR || ' of ' || sc || ' and ' || tc || '.' AS evidence_sentence,
    0 AS evidence_start,
    40 AS evidence_end,
    0.5 + u_loc / 2 AS confidence,
    NULL AS extra
FROM c
""")


def as_deduplicated(con) -> None:
    """Create the deduplication tables of ``detente.dedup`` for the synthetic events, in SQL:
    each event its own canonical event, reported once (the generator makes no duplicates).
    With them (and their fingerprint) the relations commands query the store as they would
    after ``detente ingest`` (which runs ``detente.dedup.rebuild``); building them with the
    dedup stage itself is a separate cost (``--dedup``)."""
    import json

    from detente.dedup import DYAD_COLUMNS_SQL, fingerprint, load_config

    con.execute("CREATE OR REPLACE TABLE doc_groups (doc_id VARCHAR, group_id VARCHAR, similarity DOUBLE)")
    con.execute("CREATE OR REPLACE TABLE event_map AS SELECT event_id, doc_id, event_id AS canonical_id, "
                "doc_id AS doc_group, true AS counted, quad_class, goldstein, modality FROM events")
    con.execute("CREATE OR REPLACE TABLE canonical_events AS SELECT e.*, 1 AS mentions, 1 AS sources, "
                "1 AS n_reports, e.event_id AS first_event_id, e.doc_id AS first_doc_id, "
                "NULL::VARCHAR AS first_date, " + DYAD_COLUMNS_SQL + " "
                "FROM events e ORDER BY e.\"date\" NULLS LAST, e.doc_id, e.event_id")
    con.execute("CREATE OR REPLACE TABLE dedup_state (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO dedup_state VALUES ('fingerprint', ?), ('config', ?)",
                [fingerprint(con), json.dumps(load_config(None), sort_keys=True)])


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_call(fn, repeat: int) -> tuple[float, float, object]:
    """(median s, best s, result) of ``repeat`` calls of ``fn()``."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), out


def report_commands(db: str, repeat: int) -> None:
    """Time the library calls behind ``detente relations USA CHN`` and ``detente dyads`` on
    the database file (each call opens it read-only, as the commands do)."""
    from detente.relations import dyads, relations

    med, best, res = timed_call(lambda: relations(db, "USA", "CHN"), repeat)
    print(f"[commands] relations USA CHN: median {med:.3f} s, best {best:.3f} s  "
          f"({res['counted']:,} events counted, verdict {res['verdict']})")
    med, best, res = timed_call(lambda: dyads(db), repeat)
    top = ", ".join(f"{d['dyad'][0]}-{d['dyad'][1]} {d['events']:,}" for d in res[:3])
    print(f"[commands] dyads (top 10, with verdicts): median {med:.3f} s, best {best:.3f} s  (top: {top})")


def timed(con, sql: str, params: list, repeat: int) -> tuple[float, float, list]:
    """(median s, best s, rows) of ``repeat`` runs of a query."""
    times, rows = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), rows


def report(con, label: str, repeat: int) -> None:
    """Time both queries on ``con`` and print the figures."""
    med, best, rows = timed(con, BUSIEST_DYADS, [], repeat)
    top = ", ".join(f"{a}-{b} {n:,}" for a, b, n in rows[:3])
    print(f"[{label}] busiest dyads: median {med:.3f} s, best {best:.3f} s  (top: {top})")
    med, best, rows = timed(con, DYAD_SERIES, ["USA", "CHN", "CHN", "USA"], repeat)
    total = sum(r[1] for r in rows)
    print(f"[{label}] USA-CHN per-month series: median {med:.3f} s, best {best:.3f} s  "
          f"({len(rows)} months, {total:,} events)")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000_000, help="events to generate (default 10,000,000)")
    ap.add_argument("--db", default=None, help="DuckDB file (default: a temporary file, removed at the end)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each query (default 5)")
    ap.add_argument("--parquet", default=None, help="also write partitioned Parquet here and time over it")
    ap.add_argument("--keep", action="store_true", help="keep the temporary database")
    ap.add_argument("--dedup", action="store_true",
                    help="build the dedup tables with detente.dedup.rebuild (slow: about 40 s per million "
                         "events, 6 GB peak for ten million) instead of in SQL")
    args = ap.parse_args(argv)

    import duckdb

    from detente.store import Store

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.mkdtemp(prefix="detente-bench-")
        db = os.path.join(tmp, "events.duckdb")
    elif os.path.exists(db):
        print(f"{db} exists; give a new file", file=sys.stderr)
        return 2
    Store(db).close()  # the store's schema

    con = duckdb.connect(db)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"duckdb {duckdb.__version__}, {threads} threads, {os.cpu_count()} cores; db {db}")
    t0 = time.perf_counter()
    generate(con, args.events)
    con.execute("CHECKPOINT")
    gen = time.perf_counter() - t0
    size = os.path.getsize(db) / 2**20
    print(f"generated {args.events:,} events in {gen:.1f} s ({size:,.0f} MiB on disk)")
    if not args.dedup:
        t0 = time.perf_counter()
        as_deduplicated(con)
        con.execute("CHECKPOINT")
        print(f"dedup tables (each event its own, in SQL) in {time.perf_counter() - t0:.1f} s")
    con.close()
    if args.dedup:
        from detente.dedup import rebuild

        t0 = time.perf_counter()
        counts = rebuild(db)
        print(f"detente.dedup.rebuild: {counts} in {time.perf_counter() - t0:.1f} s, "
              f"peak RSS {_rss_mb():,.0f} MB")

    con = duckdb.connect(db, read_only=True)  # a fresh connection: nothing cached but the OS's
    report(con, "duckdb", args.repeat)
    report_commands(db, args.repeat)

    if args.parquet:
        from detente.distributed import attach_parquet

        t0 = time.perf_counter()
        target = os.path.join(args.parquet, "events")
        os.makedirs(args.parquet, exist_ok=True)
        lit = "'" + target.replace("'", "''") + "'"
        con.execute(
            "COPY (SELECT *, coalesce(left(\"date\", 4), 'unknown') AS year, "
            "CASE WHEN length(\"date\") >= 7 THEN substr(\"date\", 6, 2) ELSE 'unknown' END AS month "
            f"FROM events) TO {lit} (FORMAT parquet, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE, "
            "COMPRESSION zstd)"
        )
        print(f"wrote partitioned Parquet to {target} in {time.perf_counter() - t0:.1f} s")
        pcon = duckdb.connect()
        attach_parquet(pcon, args.parquet)
        report(pcon, "parquet", args.repeat)
        pcon.close()
    con.close()

    if tmp and not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
