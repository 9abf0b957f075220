"""detente's exception tree: one base error, a few subclasses, each with a user-facing message."""
from __future__ import annotations

__all__ = ["DetenteError", "InputError", "DictionaryError", "StoreError", "UsageError", "UnknownActorError",
           "one_line"]


class DetenteError(Exception):
    """Base of every error detente raises on purpose. ``str(err)`` is a one-line message."""


class InputError(DetenteError):
    """A document or input file cannot be read (the run goes on with the others)."""


class DictionaryError(DetenteError):
    """An actor dictionary, lexicon or gazetteer file is malformed."""


class StoreError(DetenteError):
    """The database cannot be opened, read or written; the message names the cause (corrupt
    or truncated file, not a detente database, another schema version, a full disk...)."""


class UsageError(DetenteError):
    """The command cannot run as asked (missing path, bad option)."""


class UnknownActorError(UsageError):
    """An actor code that is neither a country code nor any actor's code in the database
    (``code``), with the codes it may be a mistyping of (``suggestions``)."""

    def __init__(self, code: str, suggestions: tuple[str, ...] = ()) -> None:
        self.code = code
        self.suggestions = tuple(suggestions)
        hint = (f"did you mean {' or '.join(self.suggestions)}?" if self.suggestions
                else "`detente actors --by code` lists the codes in the database")
        super().__init__(f"unknown actor code {code}: not a country code, and no actor in the database has it; {hint}")


def one_line(err: BaseException) -> str:
    """The first line of an exception's message (its type name when the message is empty),
    for one-line errors on stderr."""
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]
