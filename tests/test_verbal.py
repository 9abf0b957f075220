"""Verbal events told in constructions of their own: appeals with a "for X to" clause, ...
Each on sentences written for these tests, with actors of our own choosing."""
from __future__ import annotations

import pytest

from _helpers import coded, events


@pytest.mark.parametrize("text, expected", [
    ("Bolivia called for Paraguay to release the detained farmers.", {("BOL", "PRY", "0253")}),
    ("Bolivia calls for Paraguay and Brazil to resume negotiations over the river.",
     {("BOL", "PRY", "026"), ("BOL", "BRA", "026")}),
    ("The Bolivian proposal calls for Paraguay to halt the dredging, and for Brazil to stop its patrols.",
     {("BOL", "PRY", "0256"), ("BOL", "BRA", "0256")}),
    ("Bolivia appealed for Paraguay to free the activists.", {("BOL", "PRY", "0253")}),
])
def test_a_for_clause_names_whom_an_appeal_is_made_to(ex, text, expected):
    assert coded(events(ex, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Bolivia's foreign minister sent a letter to the Paraguayan president asking him to free the detained farmers.",
     ("BOL", "PRY", "02")),
    ("Amnesty International published a report accusing the Bolivian police of torture.", (None, "BOL", "11")),
    ("A statement by the Bolivian foreign ministry condemned the Paraguayan raid.", ("BOL", "PRY", "11")),
    ("The Bolivian senator wrote a letter last week to the Paraguayan president asking how often "
     "Paraguayan police detained Bolivian traders.", ("BOL", "PRY", "02")),
])
def test_a_text_speaks_for_its_author(ex, text, expected):
    evs = events(ex, text)
    assert expected in {((e.source.country if e.source else None), (e.target.country if e.target else None),
                         e.cameo[:2]) for e in evs}
    assert all(e.source is not None for e in evs)


def test_a_text_demonstrating_something_is_no_protest(ex):
    assert not [e for e in events(ex, "The Bolivian ministry published a report demonstrating the benefits of the treaty.")
                if e.cameo.startswith("14")]


@pytest.mark.parametrize("text, expected", [
    ("The Bolivian minister faced criticism from Paraguay.", ("PRY", "BOL", "11")),
    ("The Bolivian bill drew strong opposition from Brazil and Chile.", ("CHL", "BOL", "11")),
    ("The Bolivian president came under pressure from the European Union.", ("EU", "BOL", "10")),
    ("Bolivia received military aid from Argentina.", ("ARG", "BOL", "07")),
    ("The Bolivian government withdrew the bill after opposition from Peru.", ("PER", "BOL", "11")),
    ("The Bolivian minister resigned amid criticism from several states including Chile.", ("CHL", "BOL", "11")),
])
def test_a_subject_undergoing_an_act_is_its_target(ex, text, expected):
    got = {((e.source.country or e.source.code[:3] if e.source else None), (e.target.country if e.target else None),
            e.cameo[:2]) for e in events(ex, text)}
    src, tgt, root = expected
    assert any(s is not None and (s == src or (src == "EU" and s.startswith("IGO"))) and t == tgt and r == root
               for s, t, r in got), got


@pytest.mark.parametrize("text, expected", [
    ("Bolivia's opposition leader Carlos Mesa attacked President Evo Morales over the new tax.", ("BOL", "BOL", "111")),
    ("The Bolivian senator attacked the Paraguayan foreign minister for his remarks.", ("BOL", "PRY", "111")),
])
def test_a_politician_attacking_a_politician_criticises(ex, text, expected):
    assert expected in coded(events(ex, text))


def test_an_armed_attack_on_an_official_stays_an_attack(ex):
    got = coded(events(ex, "Bolivian rebels attacked the Paraguayan foreign minister's convoy."))
    assert not any(c == "111" for _s, _t, c in got), got
