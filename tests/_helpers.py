"""Helpers shared by several test modules (imported as ``from _helpers import ...``: pytest puts
this folder on ``sys.path``)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from detente.pipeline import extract_text


def events(ex, text, date="2021-06-10"):
    """The events ``ex`` (an Extractor) codes in ``text``, published on ``date``."""
    return extract_text(text, date=date, extractor=ex)


def coded(evs):
    """{(source country, target country, CAMEO code)} of events."""
    return {((e.source.country if e.source else None), (e.target.country if e.target else None), e.cameo)
            for e in evs}


@contextmanager
def serving(db: str, **options) -> Iterator[str]:
    """`detente serve` on ``db`` in a thread, on a free port of 127.0.0.1: its base URL; the
    server is shut down when the block ends. ``options`` go to ``make_server``."""
    from detente.serve import make_server

    server = make_server(db, "127.0.0.1", 0, quiet=True, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
