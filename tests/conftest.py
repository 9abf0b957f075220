"""Fixtures shared by the test modules: the spaCy pipeline, the gazetteer and the place
resolver, each loaded once per test session (a module may still define its own)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from detente.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def gaz():
    from detente.places import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="session")
def resolver(gaz):
    from detente.places import PlaceResolver

    return PlaceResolver(gaz)


@pytest.fixture(scope="session")
def rec(tmp_path_factory):
    """The actor recognizer, its lexicon cache in a temporary folder (not the user's)."""
    import os

    from detente.actors import ActorRecognizer

    old = os.environ.get("DETENTE_CACHE")
    os.environ["DETENTE_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    try:
        yield ActorRecognizer.load()
    finally:
        if old is None:
            os.environ.pop("DETENTE_CACHE", None)
        else:
            os.environ["DETENTE_CACHE"] = old


@pytest.fixture(scope="session")
def ex():
    """The default Extractor (bundled model and dictionaries), loaded once for the session:
    the article-level tests (test_articles, test_verbal, test_solo_acts) share it."""
    from detente.pipeline import Extractor

    return Extractor.load()
