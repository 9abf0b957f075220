"""detente: news articles to political event data, and event data to relations over time.

Nothing runs at import: models and gazetteers load when first asked for.
"""
from detente.errors import DetenteError, DictionaryError, InputError, StoreError, UsageError
from detente.model import Actor, Document, Event, Evidence, Mention, Place, RawDocument, Rejected, When

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "DetenteError",
    "DictionaryError",
    "Document",
    "Event",
    "Evidence",
    "InputError",
    "Mention",
    "Place",
    "RawDocument",
    "Rejected",
    "StoreError",
    "UsageError",
    "When",
    "__version__",
]
