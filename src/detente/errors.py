"""detente's exception tree: one base error, a few subclasses, each with a user-facing message."""
from __future__ import annotations

__all__ = ["DetenteError", "InputError", "DictionaryError", "StoreError", "UsageError"]


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
