"""Ingest: read PATHs (files, directories, ``-`` for stdin) into RawDocument or Rejected records.

Formats are known from the file name:

* ``*.txt``: one document; an optional ``date YYYY-MM-DD`` header gives its date.
* ``*.jsonl``, ``*.jsonl.gz``: one document per line (streamed, never read whole).
* ``*.html``, ``*.htm``: one web page, the article extracted with trafilatura.

A file named explicitly with another extension is rejected. Inside a directory (read
recursively, in sorted order) files with other extensions and hidden files are skipped
silently, so a directory may hold gold files or notes beside the documents.
Every problem with one input becomes a ``Rejected`` and reading goes on with the rest: a
reason of its own, an input over a limit of :mod:`detente.ingest.limits`, or any exception of
a reader or of cleaning (a bug: "internal error while reading/cleaning"). Only regular files are
read (a FIFO or device, also behind a link, is rejected), and every string of every document
read is normalised at one place, :func:`admit` (see :mod:`detente.ingest._decode`).
"""
from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Iterator, Sequence, TextIO

from ..errors import InputError, UsageError, one_line
from ..model import Document, Rejected, RawDocument
from ._decode import normalise_text, parse_date
from . import limits

__all__ = ["check_paths", "iter_raw", "iter_documents", "format_of", "admit", "count_inputs", "STDIN"]

STDIN = "-"


def format_of(path: str | Path) -> str | None:
    """The input format of a file name: ``txt``, ``jsonl``, ``html`` or None (unsupported)."""
    name = Path(path).name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    if name.endswith(".txt"):
        return "txt"
    if name.endswith((".html", ".htm")):
        return "html"
    return None


def check_paths(paths: Sequence[str]) -> None:
    """Raise UsageError("no such file or directory: X") for the first PATH that does not exist.

    ``-`` (stdin) is always accepted.
    """
    for p in paths:
        if p != STDIN and not os.path.exists(p):
            raise UsageError(f"no such file or directory: {p}")


def count_inputs(paths: Sequence[str], max_bytes: int = 256 * 2**20) -> int | None:
    """How many documents (or rejected inputs) reading ``paths`` will yield, for a progress
    bar's total and ETA: one per .txt/.html file, one per non-blank line of a JSON Lines file.
    None when it cannot be known cheaply: stdin, a file that cannot be read, or more than
    ``max_bytes`` of JSON Lines (compressed size) to count."""
    import gzip

    files: list[Path] = []
    for p in paths:
        if p == STDIN:
            return None
        path = Path(p)
        files.extend(_walk(path) if path.is_dir() else [path])
    total, budget = 0, max_bytes
    try:
        for f in files:
            if format_of(f) != "jsonl":
                total += 1
                continue
            if not f.is_file():
                total += 1  # rejected as not a regular file
                continue
            budget -= f.stat().st_size
            if budget < 0:
                return None
            opener = gzip.open if f.name.lower().endswith(".gz") else open
            with opener(f, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
    except (OSError, EOFError, ValueError):
        return None
    return total


def _walk(directory: Path) -> Iterator[Path]:
    """Supported, non-hidden files under ``directory``, recursively, in sorted path order."""
    found: list[tuple[str, ...]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(root).relative_to(directory).parts
        found.extend(rel + (f,) for f in files if not f.startswith(".") and format_of(f) is not None)
    for parts in sorted(found):
        yield directory.joinpath(*parts)


def _read_file(path: Path, default_date: str | None) -> Iterator[RawDocument | Rejected]:
    origin = str(path)
    fmt = format_of(path)
    if fmt == "txt":
        from .txt import read_txt

        yield read_txt(path, origin, default_date)
    elif fmt == "jsonl":
        from .jsonl import read_jsonl

        yield from read_jsonl(path, origin, default_date)
    elif fmt == "html":
        from .html import read_html

        yield read_html(path, origin, default_date)
    else:
        yield Rejected(origin, f"unsupported file type {path.suffix or '(no extension)'!r} "
                               "(want .txt, .jsonl, .jsonl.gz, .html or .htm)")


def _internal(origin: str, stage: str, err: BaseException, doc_id: str | None = None) -> Rejected:
    return Rejected(origin, f"internal error while {stage} ({type(err).__name__}: {one_line(err)})", doc_id)


def _guarded(origin: str, items: Iterator[RawDocument | Rejected]) -> Iterator[RawDocument | Rejected]:
    """``items`` (a reader's output), an exception escaping the reader (a bug) becoming one
    last Rejected for ``origin``: the run goes on with the next input."""
    try:
        yield from items
    except Exception as err:  # noqa: BLE001 - one input's failure must not end the run
        yield _internal(origin, "reading", err)


_FIELDS = ("id", "title", "url", "source")


def admit(item: RawDocument | Rejected) -> RawDocument | Rejected:
    """The one place text enters detente: every string of a RawDocument (and of a Rejected)
    normalised (lone surrogates to U+FFFD), and a RawDocument over a limit turned into a
    Rejected: text over MAX_DOCUMENT_CHARS characters, an id, title, url or source over
    MAX_FIELD_CHARS (see :mod:`detente.ingest.limits`)."""
    if isinstance(item, Rejected):
        fixed = {k: normalise_text(v) for k, v in (("origin", item.origin), ("reason", item.reason),
                                                   ("doc_id", item.doc_id)) if v is not None}
        return dataclasses.replace(item, **fixed)
    changes = {k: normalise_text(v) for k in ("text", "origin", *_FIELDS)
               if isinstance(v := getattr(item, k), str) and normalise_text(v) is not v}
    raw = dataclasses.replace(item, **changes) if changes else item
    if len(raw.text) > limits.MAX_DOCUMENT_CHARS:
        return Rejected(raw.origin, f"document too long ({len(raw.text):,} characters; the limit is "
                                    f"{limits.MAX_DOCUMENT_CHARS:,})", raw.id[:limits.MAX_FIELD_CHARS])
    for k in _FIELDS:
        value = getattr(raw, k)
        if isinstance(value, str) and len(value) > limits.MAX_FIELD_CHARS:
            return Rejected(raw.origin, f"{k} too long ({len(value):,} characters; the limit is {limits.MAX_FIELD_CHARS:,})",
                            None if k == "id" else raw.id)
    return raw


def iter_raw(
    paths: Sequence[str], default_date: str | None = None, stdin: TextIO | None = None
) -> Iterator[RawDocument | Rejected]:
    """Yield a RawDocument or a Rejected for every document in ``paths``, streaming.

    ``default_date`` (YYYY-MM-DD, the ``--date`` option) dates documents that carry no
    date of their own; an invalid value raises UsageError. ``-`` reads JSON Lines from
    ``stdin`` (default ``sys.stdin``), origins ``<stdin>:LINE``, default ids ``stdin-LINE``.
    A missing path yields a Rejected (call ``check_paths`` first to fail early instead).
    Stdin is read as bytes when it has a binary buffer, and decoded line by line as files are.
    Everything yielded has passed :func:`admit`.
    """
    for item in _iter_raw(paths, default_date, stdin):
        yield admit(item)


def _iter_raw(paths: Sequence[str], default_date: str | None, stdin: TextIO | None) -> Iterator[RawDocument | Rejected]:
    if default_date is not None:
        try:
            default_date = parse_date(default_date)
        except InputError as exc:
            raise UsageError(f"bad --date {default_date!r}: {exc}") from exc
        if len(default_date) != 10:
            raise UsageError(f"bad --date {default_date!r}: want YYYY-MM-DD")
    for p in paths:
        if p == STDIN:
            from .jsonl import iter_lines

            stream = stdin if stdin is not None else sys.stdin
            stream = getattr(stream, "buffer", stream)  # bytes: decoded as files are
            yield from _guarded("<stdin>", iter_lines(stream, "<stdin>", "stdin", default_date))
            continue
        path = Path(p)
        if path.is_dir():
            for f in _walk(path):
                yield from _guarded(str(f), _read_file(f, default_date))
        elif path.exists():
            yield from _guarded(str(path), _read_file(path, default_date))
        else:
            yield Rejected(p, "no such file or directory")


def iter_documents(
    paths: Sequence[str], default_date: str | None = None, stdin: TextIO | None = None
) -> Iterator[Document | Rejected]:
    """``iter_raw`` followed by ``clean``: yield a cleaned Document or a Rejected per input.

    A document whose text is all boilerplate is rejected ("no text left after cleaning"), one
    whose cleaning fails (a bug) too ("internal error while cleaning").
    """
    from ..clean import clean

    for item in iter_raw(paths, default_date=default_date, stdin=stdin):
        if isinstance(item, Rejected):
            yield item
            continue
        try:
            doc = clean(item)
        except Exception as err:  # noqa: BLE001 - one document's failure must not end the run
            yield _internal(item.origin, "cleaning", err, item.id)
            continue
        if not doc.text:
            yield Rejected(item.origin, "no text left after cleaning", item.id)
        else:
            yield doc
