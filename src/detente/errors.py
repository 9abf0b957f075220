"""detente's exception tree: one base error, a few subclasses, each with a one-line
user-facing message and a stable code (``err.error_code``, ``DTE001``...).

The tree (drawn also in docs/errors.md)::

    Exception
     └── DetenteError            DTE001  every error detente raises on purpose
          ├── InputError         DTE100  a document or input file cannot be read
          ├── DictionaryError    DTE200  an actor dictionary, lexicon or gazetteer is malformed
          ├── StoreError         DTE300  the database cannot be opened, read or written
          │                      DTE301..DTE306 (no such file, not a detente database,
          │                      another schema version, truncated or corrupt, read-only or closed,
          │                      derived tables missing or stale)
          ├── UsageError         DTE400  the call cannot run as asked (bad option or parameter)
          │    │                 DTE401 a malformed date bound, DTE402 a reversed date range,
          │    │                 DTE403 an extractor factory workers cannot receive,
          │    │                 DTE420..DTE422 settings (file, unknown key, bad value),
          │    │                 DTE430 stages out of order (a need no earlier stage provides)
          │    └── UnknownActorError  DTE410  an actor code no country or actor has
          └── serve.ApiError     DTE500  an HTTP answer of ``detente serve`` (keeps its ``status``)
                                 DTE501..DTE510 by status (see :data:`CODES`)

Every code is assigned in ONE table, :data:`CODES` (code, class, situation, meaning). A class
gives its first code to every error raised without ``code=``; a raise site names a situation's
code with ``code="DTE3xx"``. Codes are stable: a code is never reused for another meaning.
Messages keep their text; the code travels beside it (``err.error_code``, the ``"code"`` field
of the API's JSON errors), not inside it. ``UnknownActorError.code`` stays the actor code.

A :class:`UsageError` raised by the library names its parameters generically (``since``,
``freq``; ``err.params``); each front end words them with :func:`worded`: the command line as
flags (``--since``), the API as query parameters (``since``).
"""
from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["DetenteError", "InputError", "DictionaryError", "StoreError", "UsageError", "UnknownActorError",
           "CODES", "Code", "code_for_status", "worded", "one_line"]


class Code(NamedTuple):
    """One row of :data:`CODES`."""

    code: str
    cls: str          # the class that raises it (``ApiError`` is ``detente.serve.ApiError``)
    situation: str    # when it is raised ("" for the class's general case)
    meaning: str      # what it means and what to do (docs/errors.md has examples)


#: The one table of error codes. The first row of a class is its default code.
CODES: tuple[Code, ...] = (
    Code("DTE001", "DetenteError", "", "an error detente raises on purpose, of no more specific kind"),
    Code("DTE100", "InputError", "", "a document or input file cannot be read; the run goes on with the others"),
    Code("DTE200", "DictionaryError", "", "an actor dictionary, lexicon or gazetteer file is malformed"),
    Code("DTE300", "StoreError", "", "the database cannot be opened, read or written (the message names the cause)"),
    Code("DTE301", "StoreError", "no such file", "the database file does not exist"),
    Code("DTE302", "StoreError", "not a detente database",
         "the file is a DuckDB database of something else (or empty); detente leaves it unchanged"),
    Code("DTE303", "StoreError", "schema version", "the store was written by another version of detente's schema"),
    Code("DTE304", "StoreError", "truncated or corrupt", "the file is shorter than its blocks in use, or damaged"),
    Code("DTE305", "StoreError", "read-only or closed", "a write to a store opened read-only, or any use of a closed one"),
    Code("DTE306", "StoreError", "derived tables stale",
         "the store's derived tables (canonical events) are missing or older than its data; run detente dedup"),
    Code("DTE400", "UsageError", "", "the command or call cannot run as asked (a missing path, a bad option)"),
    Code("DTE401", "UsageError", "bad date bound", "a date bound is not YYYY, YYYY-MM or YYYY-MM-DD of a real date"),
    Code("DTE402", "UsageError", "reversed date range", "since comes after until: the range holds no day"),
    Code("DTE403", "UsageError", "unpicklable extractor factory",
         "pipeline.run with several workers was given an extractor factory that cannot be sent to them"),
    Code("DTE410", "UnknownActorError", "", "an actor code that is no country code and no actor's in the database"),
    Code("DTE420", "UsageError", "settings file", "the settings file cannot be read or is not TOML"),
    Code("DTE421", "UsageError", "unknown setting", "a section or key the settings table does not have"),
    Code("DTE422", "UsageError", "bad setting value",
         "a setting's value (in the file, a variable or an override) of the wrong type or out of range"),
    Code("DTE430", "UsageError", "stage order",
         "a stage needs what no stage before it provides, or a stage appears twice (detente.stages.describe)"),
    Code("DTE500", "ApiError", "", "an error answer of the API, of no more specific status"),
    Code("DTE501", "ApiError", "400", "a bad request: a parameter, the query string or the Host header"),
    Code("DTE502", "ApiError", "401", "the bearer token is missing or wrong"),
    Code("DTE503", "ApiError", "404", "no such path"),
    Code("DTE504", "ApiError", "405", "a method other than GET or HEAD; the API is read-only"),
    Code("DTE505", "ApiError", "414", "the request target is too long"),
    Code("DTE506", "ApiError", "503", "the database cannot be read yet (no snapshot) or the server is stopping"),
    Code("DTE507", "ApiError", "504", "the request computed longer than the timeout and was stopped"),
    Code("DTE508", "ApiError", "500", "an internal error (a bug; the server log has the traceback)"),
    Code("DTE509", "ApiError", "413", "the request body is too large (waitress's limit)"),
    Code("DTE510", "ApiError", "431", "the request headers are too large (waitress's limit)"),
)

_BY_CODE = {row.code: row for row in CODES}
_DEFAULT = {}
for _row in CODES:
    _DEFAULT.setdefault(_row.cls, _row.code)
_BY_STATUS = {int(row.situation): row.code for row in CODES if row.cls == "ApiError" and row.situation}


def code_for_status(status: int) -> str:
    """The code of an API error answered with HTTP ``status`` (DTE500 for a status without its own)."""
    return _BY_STATUS.get(status, _DEFAULT["ApiError"])


class DetenteError(Exception):
    """Base of every error detente raises on purpose. ``str(err)`` is a one-line message;
    ``err.error_code`` its stable code (``DTE001``...; the table is :data:`CODES`)."""

    def __init__(self, *args: object, code: str | None = None) -> None:
        super().__init__(*args)
        if code is not None:
            if code not in _BY_CODE:
                raise ValueError(f"unknown error code {code!r}: add it to detente.errors.CODES")
            self._error_code = code

    @property
    def error_code(self) -> str:
        """This error's code: the one given at the raise, else its class's (the nearest ancestor's) default."""
        given = getattr(self, "_error_code", None)
        if given:
            return given
        for cls in type(self).__mro__:
            if cls.__name__ in _DEFAULT:
                return _DEFAULT[cls.__name__]
        return _DEFAULT["DetenteError"]


class InputError(DetenteError):
    """A document or input file cannot be read (the run goes on with the others). DTE100."""


class DictionaryError(DetenteError):
    """An actor dictionary, lexicon or gazetteer file is malformed. DTE200."""


class StoreError(DetenteError):
    """The database cannot be opened, read or written; the message names the cause (corrupt
    or truncated file, not a detente database, another schema version, a full disk...).
    DTE300, or DTE301-DTE305 for the situations of :data:`CODES`."""


class UsageError(DetenteError):
    """The command cannot run as asked (missing path, bad option). DTE400 (DTE401, DTE402 dates).

    ``params`` are the parameters the message names, by their generic names (``since``,
    ``freq``); each front end words them its way with :func:`worded` (``--since`` on the
    command line, ``since`` in the API's query string)."""

    def __init__(self, *args: object, code: str | None = None, params: tuple[str, ...] = ()) -> None:
        super().__init__(*args, code=code)
        self.params = tuple(params)


class UnknownActorError(UsageError):
    """An actor code that is neither a country code nor any actor's code in the database
    (``code``), with the codes it may be a mistyping of (``suggestions``). DTE410."""

    def __init__(self, code: str, suggestions: tuple[str, ...] = ()) -> None:
        self.code = code
        self.suggestions = tuple(suggestions)
        hint = (f"did you mean {' or '.join(self.suggestions)}?" if self.suggestions
                else "`detente actors --by code` lists the codes in the database")
        super().__init__(f"unknown actor code {code}: not a country code, and no actor in the database has it; {hint}")


def worded(err: BaseException, form: str) -> str:
    """The message of ``err`` with each parameter it names (``err.params``, generic names)
    worded as a front end names it: ``form`` is ``"--{}"`` for the command line's flags,
    ``"{}"`` for the API's query parameters. Other errors: their message as it is."""
    text = str(err)
    for name in getattr(err, "params", ()):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", lambda _m: form.format(name), text, count=1)
    return text


def one_line(err: BaseException) -> str:
    """The first line of an exception's message (its type name when the message is empty),
    for one-line errors on stderr."""
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]
