"""Reading JSON Lines (``.jsonl``, ``.jsonl.gz``, stdin): one document per line, streamed."""
from __future__ import annotations

import codecs
import gzip
import io
import json
import zlib
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from ..errors import InputError
from ..model import Rejected, RawDocument
from ._decode import decode_line, looks_binary, parse_date

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


def iter_lines(
    lines: Iterable[str | bytes], label: str, stem: str, default_date: str | None
) -> Iterator[RawDocument | Rejected]:
    """Parse a stream of JSONL lines; origins are ``label:LINE``, default ids ``stem-LINE``.

    Blank lines are skipped silently; a malformed line yields a Rejected and parsing goes on.
    Reading errors from the underlying stream propagate to the caller.
    """
    for lineno, line in enumerate(lines, start=1):
        origin = f"{label}:{lineno}"
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
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(origin, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        yield record_to_raw(obj, origin, f"{stem}-{lineno}", default_date)


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".jsonl.gz", ".jsonl"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def read_jsonl(path: Path, origin: str, default_date: str | None) -> Iterator[RawDocument | Rejected]:
    """Stream a ``.jsonl`` or ``.jsonl.gz`` file, one RawDocument or Rejected per non-blank line.

    An empty file, a binary file, or a truncated/corrupt gzip stream yields one Rejected
    for the file (after everything read before the damage).
    """
    gz = path.name.lower().endswith(".gz")
    stem = _stem(path)
    try:
        fh: IO[bytes] = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield Rejected(origin, f"cannot read file ({exc.strerror or type(exc).__name__})")
        return
    seen = 0
    try:
        with fh:
            head = fh.peek(4096)[:4096] if hasattr(fh, "peek") else b""
            if looks_binary(head):
                yield Rejected(origin, "binary file")
                return
            stream: Iterable[str | bytes]
            if head.startswith(_UTF16_BOMS):
                stream = io.TextIOWrapper(fh, encoding="utf-16")
            else:
                stream = fh
            for item in iter_lines(stream, origin, stem, default_date):
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
    if seen == 0:
        yield Rejected(origin, "empty file")
