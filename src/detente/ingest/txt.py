"""Reading ``.txt`` files: one document each, with an optional ``date YYYY-MM-DD`` header."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..model import Rejected, RawDocument
from ._decode import decode_bytes, looks_binary, parse_date, read_bounded
from . import limits

__all__ = ["split_date_header", "read_txt"]

# "date 2025-03-30" at the very start (leading white space allowed), then white space or end.
_HEADER_RE = re.compile(r"\A\s*date:?[ \t]+(\d{4}-\d{2}-\d{2})(?=\s|\Z)", re.IGNORECASE)


def split_date_header(text: str) -> tuple[str | None, str]:
    """Return (date, rest) when ``text`` starts with a date header, else (None, text).

    Raises InputError for an impossible date such as 2023-02-30.
    """
    m = _HEADER_RE.match(text)
    if not m:
        return None, text
    return parse_date(m.group(1)), text[m.end():].lstrip()


def read_txt(path: Path, origin: str, default_date: str | None) -> RawDocument | Rejected:
    """Read one text file (a regular file of at most MAX_FILE_BYTES) into a RawDocument, or a
    Rejected with the reason."""
    doc_id = path.stem
    try:
        data = read_bounded(path, limits.MAX_FILE_BYTES)
    except InputError as exc:
        return Rejected(origin, str(exc), doc_id)
    if not data.strip():
        return Rejected(origin, "empty file", doc_id)
    if looks_binary(data[:8192]):
        return Rejected(origin, "binary file", doc_id)
    try:
        text = decode_bytes(data)
        date, text = split_date_header(text)
    except InputError as exc:
        return Rejected(origin, str(exc), doc_id)
    if not text.strip():
        return Rejected(origin, "no text", doc_id)
    if date:
        date_source = "header"
    elif default_date:
        date, date_source = default_date, "option"
    else:
        date_source = "none"
    return RawDocument(id=doc_id, text=text, origin=origin, date=date, date_source=date_source)
