"""Actor recognition: which countries, officials, organisations and groups a document mentions.

``ActorRecognizer.load(dictionaries=[...])`` builds the lexicon once (built-in data plus user
dictionaries); ``recognizer.find(doc, date)`` returns the document's :class:`DocumentActors`.
Names are imported lazily so that importing the package costs nothing.
"""
from __future__ import annotations

from typing import Any

__all__ = ["ActorRecognizer", "DocumentActors"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from detente.actors import recognize

        return getattr(recognize, name)
    raise AttributeError(f"module 'detente.actors' has no attribute {name!r}")
