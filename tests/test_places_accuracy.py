"""Tests of the place accuracy rules (issue #4): dissolved countries, facilities named after a
larger place, places in subject clauses, places after prepositions tagged as organisations."""
from __future__ import annotations

import pytest

from detente.places import Gazetteer, PlaceResolver


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def nlp():
    from detente.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def resolver(gaz) -> PlaceResolver:
    return PlaceResolver(gaz)


def where(nlp, resolver, text, verb):
    """(name, country) where the event of the first token ``verb`` happened."""
    doc = nlp(text)
    places = resolver.document(doc)
    tok = next(t for t in doc if t.text == verb)
    p = places.locate(tok)
    return None if p is None else (p.name, p.country)


def mentions(nlp, resolver, text):
    doc = nlp(text)
    return [(m.text, m.place.name, m.place.country) for m in resolver.document(doc).mentions]


# ---------------------------------------------------------------- gazetteer
@pytest.mark.parametrize("name,country", [
    ("Serbia", "SRB"), ("Montenegro", "MNE"), ("Curacao", "CUW"), ("Bosnia", "BIH"),
])
def test_a_current_country_wins_over_a_dissolved_one(gaz, name, country):
    best = gaz.lookup(name)[0]
    assert (best.country, best.feature) == (country, "country")


def test_a_dissolved_country_keeps_only_its_own_name(gaz):
    scg = gaz.lookup("Serbia and Montenegro")
    assert [c.country for c in scg] == ["SCG"]
    assert all(c.country != "SCG" for c in gaz.lookup("Serbia"))
    assert gaz.country("SCG") is not None
