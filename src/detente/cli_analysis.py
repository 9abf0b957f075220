"""The analysis commands `detente relations`, `detente dyads` and `detente actors`, and
`detente dedup`, which builds the derived tables they read.

Click commands to be registered on the `detente` group (``cli.add_command(relations)``...).
Exit codes as in shared/spec/cli.md: 2 with a one-line message on stderr when the command
cannot run (missing or unreadable database, bad option).
"""
from __future__ import annotations

import json
import sys

import click

__all__ = ["relations", "dyads", "actors", "dedup"]

_DB = click.option("--db", default="detente.duckdb", show_default=True,
                   help="Database file, or the Parquet folder (or fsspec URL) of `ingest --engine dask --parquet`.")
_MENTIONS = click.option("--mentions", is_flag=True, default=False,
                         help="Count reports (mentions) instead of canonical events.")


def _fail(message: str) -> None:
    click.echo(f"detente: {message}", err=True)
    sys.exit(2)


def _check_db(db: str) -> None:
    import os

    if "://" not in db and not os.path.exists(db):
        _fail(f"no such database: {db}")


def _emit(text: str, output: str | None) -> None:
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        except OSError as err:
            _fail(f"cannot write {output}: {err.strerror or err}")
    else:
        click.echo(text)


@click.command()
@click.argument("a")
@click.argument("b")
@_DB
@click.option("--freq", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table", "png", "html"]), default="json",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (png and html default to relations-A-B.png/.html).")
@_MENTIONS
def relations(a, b, db, freq, fmt, output, mentions) -> None:
    """Relations between actors A and B (ISO3 country or actor codes) over time, both
    directions: events per period by quad class, mean Goldstein, and a verdict (easing,
    escalating, stable, insufficient data) with its uncertainty and evidence."""
    from detente import relations as rel
    from detente.errors import DetenteError, worded

    _check_db(db)
    try:
        res = rel.relations(db, a, b, freq=freq, mentions=mentions)
        if fmt == "json":
            _emit(json.dumps(res, ensure_ascii=False, indent=2), output)
        elif fmt == "table":
            _emit(rel.format_table(res), output)
        else:
            from detente import charts

            path = output or f"relations-{res['dyad'][0]}-{res['dyad'][1]}.{fmt}"
            try:
                (charts.write_png if fmt == "png" else charts.write_html)(res, path)
            except OSError as err:
                _fail(f"cannot write {path}: {err.strerror or err}")
            click.echo(path, err=True)
    except DetenteError as err:
        _fail(worded(err, "--{}"))


@click.command()
@_DB
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many pairs.")
@click.option("--freq", type=click.Choice(["month", "quarter", "year"]), default="quarter", show_default=True,
              help="Period of the verdicts' windows.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_MENTIONS
def dyads(db, top, freq, fmt, mentions) -> None:
    """The busiest country pairs with their verdicts."""
    from detente import relations as rel
    from detente.errors import DetenteError, worded

    _check_db(db)
    try:
        rows = rel.dyads(db, top=top, freq=freq, mentions=mentions)
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    what = "reports (mentions)" if mentions else "canonical events"
    click.echo(f"# events: {what} of the pair; counted: those dated, asserted or planned, in the "
               f"series and verdict")
    click.echo(f"{'dyad':<9} {'events':>6} {'counted':>7}  {'verdict':<17} {'confidence':<10} {'diff':>6}  last")
    for r in rows:
        diff = f"{r['difference']:+.2f}" if r["difference"] is not None else "-"
        click.echo(f"{'-'.join(r['dyad']):<9} {r['events']:>6} {r['counted']:>7}  {r['verdict']:<17} "
                   f"{r['confidence'] or '-':<10} {diff:>6}  {r['last_period'] or '-'}")


@click.command()
@_DB
@click.option("--top", type=click.IntRange(1, 10000), default=20, show_default=True, help="How many actors.")
@click.option("--by", type=click.Choice(["country", "code"]), default="country", show_default=True,
              help="Count by ISO3 country or by CAMEO actor code.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_MENTIONS
def actors(db, top, by, fmt, mentions) -> None:
    """Actors by number of events (either side)."""
    from detente import relations as rel
    from detente.errors import DetenteError, worded

    _check_db(db)
    try:
        rows = rel.actors(db, top=top, by=by, mentions=mentions)
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"# {'reports (mentions)' if mentions else 'canonical events'} with the actor on either side")
    click.echo(f"{'actor':<10} {'events':>7} {'source':>7} {'target':>7}")
    for r in rows:
        click.echo(f"{r['actor']:<10} {r['events']:>7} {r['as_source']:>7} {r['as_target']:>7}")


@click.command("dedup")
@click.argument("store", default="detente.duckdb", required=False)
@click.option("--force", is_flag=True, default=False, help="Build the tables even when they are up to date.")
def dedup(store, force) -> None:
    """Build the derived tables of STORE (default: detente.duckdb; a database file, or the
    Parquet folder or fsspec URL of `ingest --engine dask --parquet`): copies of one article
    grouped, reports of one real-world event merged into canonical events.

    `detente ingest` builds them at its end; run this after an interrupted ingest or after
    writing a store from Python. The readers (events, relations, dyads, actors, serve) never
    build them: on a stale store they say so and name this command. Prints one line of counts
    (or that the tables were up to date); exit 2 when the store cannot be opened or written."""
    from detente.dedup import rebuild
    from detente.errors import DetenteError, worded
    from detente.store import Store, is_parquet

    _check_db(store)
    try:
        if is_parquet(store):
            counts = rebuild(store, force=force)
        else:
            from detente.snapshot import write_lock

            with Store(store) as st, write_lock(store, st.connection()):  # `serve` copies between writes
                counts = rebuild(st, force=force)
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    if counts.get("fresh"):
        click.echo(f"{store}: the derived tables are up to date (--force builds them again)")
    else:
        click.echo(f"{store}: {counts['documents']} documents in {counts['doc_groups']} article groups, "
                   f"{counts['reports']} reports merged into {counts['canonical_events']} canonical events")
