"""detente: news articles to political event data, and event data to relations over time.

Nothing runs at import: models and gazetteers load when first asked for. The heavier entry
points (``Extractor``, ``Store``, ``iter_documents``, ``clean``, and the analysis modules
``dedup`` and ``relations``) are imported on first use. docs/python.md documents the API with examples that run as doctests.

    >>> from detente import Extractor, Rejected, iter_documents
    >>> ex = Extractor.load()
    >>> for item in iter_documents(["article.txt"]):  # doctest: +SKIP
    ...     if isinstance(item, Rejected):
    ...         print(item.message())  # an unreadable input: the others go on
    ...     else:
    ...         events = ex.extract(item)
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from detente.errors import (DetenteError, DictionaryError, InputError, StoreError, UnknownActorError,
                            UsageError)
from detente.model import Actor, Document, Event, Evidence, Mention, Place, RawDocument, Rejected, When

__version__ = "0.1.0"

_LAZY = {
    "Extractor": "detente.pipeline",
    "extract_text": "detente.pipeline",
    "Store": "detente.store",
    "iter_documents": "detente.ingest",
    "clean": "detente.clean",
    "Result": "detente.pipeline",
    "dedup": "detente.dedup",
    "relations": "detente.relations",
}

__all__ = [
    "Actor",
    "DetenteError",
    "DictionaryError",
    "Document",
    "Event",
    "Evidence",
    "Extractor",
    "InputError",
    "Mention",
    "Place",
    "RawDocument",
    "Rejected",
    "Result",
    "Store",
    "StoreError",
    "UnknownActorError",
    "UsageError",
    "When",
    "__version__",
    "clean",
    "dedup",
    "extract_text",
    "iter_documents",
    "relations",
]


def __getattr__(name: str) -> Any:
    """Import the heavier parts of the public API on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'detente' has no attribute {name!r}")
    if name == module.rsplit(".", 1)[1]:  # a module: `detente.dedup`
        return import_module(module)
    return getattr(import_module(module), name)
