"""detente: news articles to political event data, and event data to relations over time.

Nothing runs at import: models and gazetteers load when first asked for. The heavier entry
points (``Extractor``, ``Store``, ``iter_documents``, ``clean``) are imported on first use;
the analysis functions live in ``detente.relations`` and ``detente.dedup``.

    >>> from detente import Extractor, iter_documents
    >>> ex = Extractor.load()
    >>> for doc in iter_documents(["article.txt"]):
    ...     events = ex.extract(doc)
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from detente.errors import DetenteError, DictionaryError, InputError, StoreError, UsageError
from detente.model import Actor, Document, Event, Evidence, Mention, Place, RawDocument, Rejected, When

__version__ = "0.1.0"

_LAZY = {
    "Extractor": "detente.pipeline",
    "extract_text": "detente.pipeline",
    "Store": "detente.store",
    "iter_documents": "detente.ingest",
    "clean": "detente.clean",
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
    "Store",
    "StoreError",
    "UsageError",
    "When",
    "__version__",
    "clean",
    "extract_text",
    "iter_documents",
]


def __getattr__(name: str) -> Any:
    """Import the heavier parts of the public API on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'detente' has no attribute {name!r}")
    return getattr(import_module(module), name)
