"""The command ``detente serve`` (click): its options, and the server started, announced and
stopped (Ctrl-C or SIGTERM)."""
from __future__ import annotations

import sys

import click

from detente import settings as _settings
from detente.serve.routes import QUERY_TIMEOUT, REFRESH, THREADS, make_server

__all__ = ["serve"]


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
