"""detente's exception tree: one base error, a few subclasses, each with a user-facing message."""
from __future__ import annotations

__all__ = ["DetenteError", "InputError", "DictionaryError", "StoreError", "UsageError", "one_line"]


class DetenteError(Exception):
    """Base of every error detente raises on purpose. ``str(err)`` is a one-line message."""


class InputError(DetenteError):
    """A document or input file cannot be read (the run goes on with the others)."""


class DictionaryError(DetenteError):
    """An actor dictionary, lexicon or gazetteer file is malformed."""


class StoreError(DetenteError):
    """The database cannot be opened or written."""


class UsageError(DetenteError):
    """The command cannot run as asked (missing path, bad option)."""


def one_line(err: BaseException) -> str:
    """The first line of an exception's message (its type name when the message is empty),
    for one-line errors on stderr."""
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]
