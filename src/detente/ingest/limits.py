"""Input limits: the one place that says how large, long or deep an input may be.

Each limit protects the run from one input: an input over a limit becomes a ``Rejected`` with
a reason naming the limit, and the run goes on with the others. The values (documented in
README.md and docs/reliability.md, section "Inputs"):

=========================  ==============  ==================================================
limit                      value           what happens to an input over it
=========================  ==============  ==================================================
MAX_DOCUMENT_CHARS         200,000 chars   the document is rejected (not split): spaCy refuses
                                           texts over 1,000,000 chars (E088) and a parse needs
                                           about 2.7 GB at 1 M chars; 200,000 chars peak at
                                           about 1 GB (7x the corpus's longest article)
MAX_FIELD_CHARS            10,000 chars    an id, title, url or source longer: rejected
MAX_FILE_BYTES             16 MiB          a .txt or .html file larger: rejected, read no
                                           further than the limit
MAX_LINE_BYTES             16 MiB          a JSON Lines line longer: rejected, the rest of the
                                           line skipped in bounded chunks, the next line read
MAX_GZIP_RATIO,            100x, 1 GiB     a .jsonl.gz decompressing to more than
MIN_GZIP_BUDGET                            max(1 GiB, 100 x its compressed size): the rest of
                                           the file is rejected (a gzip bomb)
MAX_JSON_DEPTH             64 levels       a JSON line nested deeper: rejected
MAX_INT_DIGITS             4,300 digits    a JSON integer longer (Python's own limit): rejected
MIN_DATE, MAX_DATE         1000-01-01,     a document date outside: rejected at read time
                           8999-12-31      (relative dates are shifted by years from it)
=========================  ==============  ==================================================

Only regular files are read: a FIFO, a device (``/dev/zero``) or a socket, also behind a
symbolic link, is rejected without being opened for reading.
"""
from __future__ import annotations

__all__ = [
    "MAX_DOCUMENT_CHARS", "MAX_FIELD_CHARS", "MAX_FILE_BYTES", "MAX_LINE_BYTES", "MAX_GZIP_RATIO",
    "MIN_GZIP_BUDGET", "MAX_JSON_DEPTH", "MAX_INT_DIGITS", "MIN_DATE", "MAX_DATE", "human_bytes",
]

MAX_DOCUMENT_CHARS = 200_000
MAX_FIELD_CHARS = 10_000
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_GZIP_RATIO = 100
MIN_GZIP_BUDGET = 1024 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_INT_DIGITS = 4300
MIN_DATE = "1000-01-01"
MAX_DATE = "8999-12-31"


def human_bytes(n: int) -> str:
    """``n`` bytes for a message: '16 MiB', '1 GiB', '512 bytes'."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n:,} bytes"
