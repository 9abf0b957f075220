"""Reading JSON Lines (``.jsonl``, ``.jsonl.gz``, stdin): one document per line, streamed."""
from __future__ import annotations

import codecs
import gzip
import json
import io
import os
import zlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from ..errors import InputError, one_line
from ..model import Rejected, RawDocument
from ._decode import decode_line, loads_line, looks_binary, open_regular, parse_date
from . import limits
from .limits import human_bytes

__all__ = ["record_to_raw", "iter_lines", "read_jsonl"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, str):
        return value.strip() or None
    return None


def record_to_raw(obj: Any, origin: str, default_id: str, default_date: str | None) -> RawDocument | Rejected:
    """Turn one parsed JSON value into a RawDocument, or a Rejected with the reason.

    The object needs a non-empty string ``text``, or else ``html`` (extracted like a web
    page). ``id`` defaults to ``default_id``; ``date`` may be YYYY-MM-DD or an ISO timestamp.
    """
    if not isinstance(obj, dict):
        return Rejected(origin, f"not a JSON object ({type(obj).__name__})")
    raw_id = obj.get("id")
    doc_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and str(raw_id).strip() else default_id
    text = obj.get("text")
    html = obj.get("html")
    title = _opt_str(obj, "title")
    html_date: str | None = None
    is_html = False
    if isinstance(text, str) and text.strip():
        pass
    elif isinstance(html, str) and html.strip():
        from .html import extract_article

        try:
            art = extract_article(html)
        except InputError as exc:
            return Rejected(origin, str(exc), doc_id)
        text, html_date, is_html = art.text, art.date, True
        title = title or art.title
    else:
        return Rejected(origin, "no text (need a non-empty string 'text' or 'html')", doc_id)

    raw_date = obj.get("date")
    if isinstance(raw_date, str) and raw_date.strip():
        try:
            date: str | None = parse_date(raw_date)
        except InputError as exc:
            return Rejected(origin, str(exc), doc_id)
        date_source = "field"
    elif raw_date is not None and not isinstance(raw_date, str):
        return Rejected(origin, f"date is not a string ({type(raw_date).__name__})", doc_id)
    elif html_date:
        date, date_source = html_date, "html"
    elif default_date:
        date, date_source = default_date, "option"
    else:
        date, date_source = None, "none"
    return RawDocument(
        id=doc_id, text=text, origin=origin, date=date, date_source=date_source, title=title,
        url=_opt_str(obj, "url"), source=_opt_str(obj, "source"), is_html=is_html,
    )


class _TooLong:
    """Stands for a line over MAX_LINE_BYTES (skipped unread) in a stream of lines."""

    def __init__(self, size: int) -> None:
        self.size = size


def bounded_lines(stream: Any, limit: int | None = None, budget: int | None = None) -> Iterator[Any]:
    """The lines of a binary or text ``stream`` (one with ``readline(size)``), each at most
    ``limit`` (default MAX_LINE_BYTES) bytes (characters for a text stream) held in memory: a
    longer line is read on in bounded chunks, dropped, and stands as a ``_TooLong``. When ``budget`` is given, reading
    more than ``budget`` in all raises InputError (the rest of a gzip bomb is not read)."""
    limit = limits.MAX_LINE_BYTES if limit is None else limit
    total = 0
    chunk = 1 << 20
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        total += len(line)
        if len(line) > limit and line[-1:] not in ("\n", b"\n"):
            size = len(line)
            while True:
                if budget is not None and total > budget:
                    break
                part = stream.readline(chunk)
                total += len(part)
                size += len(part)
                if not part or part[-1:] in ("\n", b"\n"):
                    break
            line = _TooLong(size)
        if budget is not None and total > budget:
            raise InputError(f"decompresses to more than {human_bytes(budget)} "
                             f"({limits.MAX_GZIP_RATIO}x its compressed size, at least {human_bytes(limits.MIN_GZIP_BUDGET)})")
        yield line


def _stream_lines(lines: Iterable[str | bytes]) -> Iterable[Any]:
    """Bounded lines of a stream that has ``readline`` (a file, stdin); other iterables as they are."""
    return bounded_lines(lines) if hasattr(lines, "readline") else lines


def iter_lines(
    lines: Iterable[str | bytes], label: str, stem: str, default_date: str | None
) -> Iterator[RawDocument | Rejected]:
    """Parse a stream of JSONL lines; origins are ``label:LINE``, default ids ``stem-LINE``.

    A stream with ``readline`` (a file, stdin) is read in bounded lines (MAX_LINE_BYTES).
    Blank lines are skipped silently; a malformed, too long or too deeply nested line, or one
    whose record fails, yields a Rejected and parsing goes on. Reading errors from the
    underlying stream propagate to the caller.
    """
    for lineno, line in enumerate(_stream_lines(lines), start=1):
        origin = f"{label}:{lineno}"
        if isinstance(line, _TooLong):
            yield Rejected(origin, f"line too long ({line.size:,} bytes or more; the limit is {human_bytes(limits.MAX_LINE_BYTES)})")
            continue
        if isinstance(line, bytes):
            try:
                line = decode_line(line)
            except InputError as exc:
                yield Rejected(origin, str(exc))
                continue
        elif lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            obj = loads_line(line)
        except InputError as exc:
            yield Rejected(origin, str(exc))
            continue
        try:
            item = record_to_raw(obj, origin, f"{stem}-{lineno}", default_date)
        except Exception as err:  # noqa: BLE001 - one record's failure (a bug) must not end the file
            item = Rejected(origin, f"internal error while reading ({type(err).__name__}: {one_line(err)})")
        yield item


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".jsonl.gz", ".jsonl"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _an_object(line: bytes) -> bool:
    """Whether a line is a JSON object (not a binary line that happens to start with "{")."""
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _json_line_within(path: Path, gz: bool, scan: int) -> bool:
    """Whether a line of the file that is a JSON object comes within its first
    ``scan`` bytes (decompressed): a file whose first 4 KB look binary is a binary file only
    when none does; else its binary lines are rejected one by one and its documents read. A
    second, bounded read of the file, done only for files whose head looks binary."""
    try:
        raw = open_regular(path)
        with raw, (gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw) as fh:
            for line in bounded_lines(fh, budget=scan):
                if not isinstance(line, _TooLong) and line.lstrip().startswith(b"{") and _an_object(line):
                    return True
    except (InputError, EOFError, OSError, zlib.error):
        pass
    return False


def read_jsonl(path: Path, origin: str, default_date: str | None) -> Iterator[RawDocument | Rejected]:
    """Stream a ``.jsonl`` or ``.jsonl.gz`` file, one RawDocument or Rejected per non-blank line.

    Only a regular file is read. An empty file, a binary file (its first 4 KB look binary and
    hold no line starting like a JSON object, and no line of its first 16 MiB is one; else a
    line with binary bytes is rejected alone), a truncated/corrupt gzip stream
    or one decompressing to more than max(MIN_GZIP_BUDGET, MAX_GZIP_RATIO x its size) yields
    one Rejected for the file (after everything read before the damage).
    """
    gz = path.name.lower().endswith(".gz")
    stem = _stem(path)
    try:
        raw = open_regular(path)
    except InputError as exc:
        yield Rejected(origin, str(exc))
        return
    budget = None
    if gz:
        budget = max(limits.MIN_GZIP_BUDGET, limits.MAX_GZIP_RATIO * os.fstat(raw.fileno()).st_size)
        fh: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb")
    else:
        fh = raw
    seen = 0
    try:
        with raw, fh:
            head = fh.peek(4096)[:4096] if hasattr(fh, "peek") else b""
            if looks_binary(head) and not any(ln.lstrip().startswith(b"{") for ln in head.split(b"\n")) \
                    and not _json_line_within(path, gz, limits.MAX_FILE_BYTES):
                yield Rejected(origin, "binary file")
                return
            stream: Any
            if head.startswith(_UTF16_BOMS):
                stream = io.TextIOWrapper(fh, encoding="utf-16")  # type: ignore[arg-type]
            else:
                stream = fh
            for item in iter_lines(bounded_lines(stream, budget=budget), origin, stem, default_date):
                seen += 1
                yield item
    except EOFError:
        yield Rejected(origin, f"truncated gzip file (stopped after {seen} lines)")
        return
    except (OSError, zlib.error) as exc:
        what = "corrupt gzip file" if gz else "read error"
        yield Rejected(origin, f"{what} ({exc}) after {seen} lines")
        return
    except UnicodeDecodeError:
        yield Rejected(origin, f"not valid UTF-16 after {seen} lines")
        return
    except InputError as exc:
        yield Rejected(origin, f"{exc} after {seen} lines: the rest is not read")
        return
    if seen == 0:
        yield Rejected(origin, "empty file")
