"""Byte-level checks shared by the readers: binary detection and text decoding.

Order of attempts: UTF-8 (a BOM is dropped), UTF-16 when the bytes start with a UTF-16
BOM, then cp1252 only if it decodes and the result looks like text.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import re

from ..errors import InputError

__all__ = ["looks_binary", "decode_bytes", "decode_line", "parse_date"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=$|[T ])")


def looks_binary(sample: bytes) -> bool:
    """True when ``sample`` (the first few KB of a file) is not text: NUL bytes, or mostly control bytes.

    A UTF-16 BOM exempts the sample from the NUL check (UTF-16 text is full of NULs).
    """
    if not sample or sample.startswith(_UTF16_BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([c])) for c in _CONTROL)
    return controls / len(sample) > 0.10


def _looks_like_text(text: str) -> bool:
    """True when at most 2% of the characters are unusual symbols or control characters."""
    if not text:
        return False
    odd = sum(1 for ch in text if not (ch.isalnum() or ch.isspace() or ch in _COMMON_PUNCT))
    return odd / len(text) <= 0.02 + (0.0 if len(text) > 200 else 0.05)


_COMMON_PUNCT = set(".,;:!?'\"()[]{}-_/\\&%$€£@#*+=<>|~^`’‘“”–—…«»°§©®")


def decode_bytes(data: bytes) -> str:
    """Decode a whole file's bytes to str, or raise InputError with a one-line reason."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("not valid UTF-8 (after a UTF-8 BOM)") from exc
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("not valid UTF-16 (after a UTF-16 BOM)") from exc
    return _utf8_or_cp1252(data, "not valid UTF-8 (cp1252 decoding does not look like text)")


def _utf8_or_cp1252(data: bytes, not_text: str) -> str:
    """UTF-8, else cp1252 when that decodes to something that looks like text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError("not valid UTF-8 (nor cp1252)") from exc
    if not _looks_like_text(text):
        raise InputError(not_text)
    return text


def decode_line(line: bytes) -> str:
    """Decode one line of a byte-oriented JSONL stream (UTF-8, else cp1252 if it looks like text)."""
    if line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8):]
    return _utf8_or_cp1252(line, "not valid UTF-8")


def parse_date(value: str) -> str:
    """Return the YYYY-MM-DD date of ``value`` (a date or ISO timestamp), or raise InputError."""
    value = value.strip()
    m = _DATE_RE.match(value)
    if not m:
        raise InputError(f"unrecognised date {value[:40]!r} (want YYYY-MM-DD or an ISO timestamp)")
    try:
        _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise InputError(f"impossible date {m.group(0)}") from exc
    return m.group(0)
