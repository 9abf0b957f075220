"""Byte-level checks shared by the readers: regular files read with bounds, binary detection,
text decoding and normalisation, JSON lines and dates.

Text enters detente at one place, the same for ``.txt``, ``.html``, ``.jsonl`` and stdin:
:func:`decode_bytes` (a whole file) and :func:`decode_line` (one JSON line) decode bytes, and
:func:`normalise_text` cleans every string field of every document read (``iter_raw``).
Order of attempts when decoding: UTF-8 (a BOM is dropped); UTF-16 when the bytes start with a
UTF-16 BOM; cp1252 when the bytes hold no valid UTF-8 sequence beyond ASCII (a legacy file)
and the result looks like text; else UTF-8 with each invalid byte sequence replaced by U+FFFD
when they are at most 1% of the text (a stray byte in a UTF-8 text: never read as cp1252,
which would garble every accented letter); else the input is rejected ("not valid UTF-8").
A lone surrogate in a string (``"\\ud800"`` in JSON) becomes U+FFFD as well.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import json
import os
import re
import stat
import unicodedata
from typing import IO, Any

from ..errors import InputError
from .limits import MAX_DATE, MAX_INT_DIGITS, MAX_JSON_DEPTH, MIN_DATE, human_bytes

__all__ = ["looks_binary", "decode_bytes", "decode_line", "normalise_text", "parse_date", "open_regular",
           "read_bounded", "loads_line"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?=$|[T ])")


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
    """Decode a whole file's bytes to str (the rules in the module's docstring), or raise
    InputError with a one-line reason."""
    if data.startswith(codecs.BOM_UTF8):
        return _utf8_lenient(data[len(codecs.BOM_UTF8):], " (after a UTF-8 BOM)")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("not valid UTF-16 (after a UTF-16 BOM)") from exc
    return _utf8_or_cp1252(data, _NOT_TEXT)


_NOT_TEXT = "not valid UTF-8 (cp1252 decoding does not look like text)"
_BEYOND_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_MAX_REPLACED_SHARE = 0.01


def _utf8_or_cp1252(data: bytes, not_text: str) -> str:
    """UTF-8; else cp1252 for a legacy text (no UTF-8 sequence beyond ASCII) that looks like
    text; else UTF-8 with U+FFFD for the invalid sequences when they are at most 1% of it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if not _BEYOND_ASCII.search(lenient):  # no UTF-8 beyond ASCII: perhaps a cp1252 text
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and _looks_like_text(text):
            return text
        try:
            return _utf8_lenient(data, "", lenient)
        except InputError:
            if text is None:
                raise InputError("not valid UTF-8 (nor cp1252)") from None
            raise InputError(not_text) from None
    return _utf8_lenient(data, "", lenient)


def _utf8_lenient(data: bytes, where: str, lenient: str | None = None) -> str:
    """UTF-8 with U+FFFD for each invalid byte sequence when they are few (at most 1% of the
    characters, or one), else InputError."""
    if lenient is None:
        lenient = data.decode("utf-8", errors="replace")
    invalid = lenient.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if invalid <= max(1, int(len(lenient) * _MAX_REPLACED_SHARE)):
        return lenient
    raise InputError(f"not valid UTF-8{where} ({invalid:,} invalid byte sequences, over 1% of the text)")


def decode_line(line: bytes) -> str:
    """Decode one line of a byte-oriented JSONL stream by the same rules as a whole file
    (:func:`decode_bytes`; a UTF-8 BOM is dropped), or raise InputError."""
    if line.startswith(codecs.BOM_UTF8):
        return _utf8_lenient(line[len(codecs.BOM_UTF8):], " (after a UTF-8 BOM)")
    return _utf8_or_cp1252(line, _NOT_TEXT)


_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_text(value: str) -> str:
    """``value`` with every lone surrogate (which cannot be encoded, hashed or stored) replaced
    by U+FFFD; any other string is returned as it is."""
    if value.isascii():
        return value
    return _SURROGATE.sub("\ufffd", value)


def _ascii_digits(value: str) -> str:
    """``value`` with decimal digits of any script (Arabic-Indic, full-width...) as ASCII digits."""
    if value.isascii():
        return value
    return "".join(str(d) if (d := unicodedata.decimal(ch, None)) is not None else ch for ch in value)


def parse_date(value: str) -> str:
    """Return the YYYY-MM-DD date of ``value`` (a date or ISO timestamp, in ASCII digits or the
    decimal digits of any script), or raise InputError: unrecognised, impossible, or outside
    MIN_DATE..MAX_DATE (see :mod:`detente.ingest.limits`)."""
    value = value.strip()
    m = _DATE_RE.match(_ascii_digits(value[:40]))
    if not m:
        raise InputError(f"unrecognised date {value[:40]!r} (want YYYY-MM-DD or an ISO timestamp)")
    try:
        _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise InputError(f"impossible date {m.group(0)}") from exc
    if not MIN_DATE <= m.group(0) <= MAX_DATE:
        raise InputError(f"date {m.group(0)} out of range ({MIN_DATE} to {MAX_DATE})")
    return m.group(0)


# ---------------------------------------------------------------- regular files, bounded reads
def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a file"


def open_regular(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open ``path`` for reading bytes if it is a regular file (a symbolic link is followed),
    or raise InputError. A FIFO is opened without blocking and refused, as are devices
    (``/dev/zero``) and sockets: nothing that could hang or never end is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or type(exc).__name__})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"not a regular file ({_kind(mode)})")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, or InputError when it is not a regular file,
    cannot be read, or holds more than ``limit`` bytes (never more than ``limit + 1`` are read)."""
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(limit + 1) if size <= limit else b""
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror or type(exc).__name__})") from None
    if size > limit or len(data) > limit:
        raise InputError(f"file too large ({max(size, len(data)):,} bytes; the limit is {human_bytes(limit)})")
    return data


# ---------------------------------------------------------------- JSON lines
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _json_depth(line: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets in strings ignored)."""
    depth = deepest = 0
    for ch in _NOT_BRACKET.sub("", _JSON_STRING.sub("", line)):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads_line(line: str) -> Any:
    """Parse one JSON line, or raise InputError: malformed, nested deeper than MAX_JSON_DEPTH,
    or holding an integer of more than MAX_INT_DIGITS digits."""
    if line.count("[") + line.count("{") > MAX_JSON_DEPTH and _json_depth(line) > MAX_JSON_DEPTH:
        raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:  # int() of too many digits: "Exceeds the limit (4300 digits) ..."
        if "digits" in str(exc):
            raise InputError(f"JSON integer of more than {MAX_INT_DIGITS:,} digits") from None
        raise InputError(f"malformed JSON ({str(exc).splitlines()[0][:80]})") from None
