"""Disapproval and rejection verbs with a complement noun ("dismissed X's complaints",
"disagreed with X"), and an act inside a denied claim.
Each on sentences written for these tests, with actors of our own choosing."""
from __future__ import annotations

import pytest

from _helpers import coded, events


@pytest.mark.parametrize("text, expected", [
    ("Uruguay dismissed Argentina's complaints about the bridge.", ("URY", "ARG", "120")),
    ("The Uruguayan ministry said it disagreed with Argentina's account of the talks.", ("URY", "ARG", "110")),
    ("Uruguay scoffed at the Argentine proposal.", ("URY", "ARG", "110")),
])
def test_disapproval_verbs_with_a_complement_noun(ex, text, expected):
    assert expected in coded(events(ex, text))


@pytest.mark.parametrize("text, expected", [
    ("Ghana denied reports that it had launched air strikes against Togo.", ("GHA", "TGO", "195")),
    ("Ghana's minister denied claims that Ghana was carrying out economic retaliation against Togolese traders.",
     ("GHA", "TGO", "163")),
])
def test_an_act_in_a_denied_claim_is_negated(ex, text, expected):
    got = {((e.source.country if e.source else None), (e.target.country if e.target else None), e.cameo): e.modality
           for e in events(ex, text)}
    assert got.get(expected) == "negated"


def test_the_of_phrase_of_a_verb_with_no_object_names_its_target(ex):
    got = coded(events(ex, "The Chilean president warned of Peruvian military expansion in the region."))
    assert ("CHL", "PER", "130") in got, got


@pytest.mark.parametrize("text", [
    "Chile has concerns over Peru's new fishing law.",
    "Chile voiced concerns about Peru's new fishing law.",
    "The Chilean senators said they had reservations about Peru's proposal.",
])
def test_concerns_about_an_act_are_aimed_at_its_doer(ex, text):
    # concern, reservation, doubt, misgiving (N rows with about/over) and "about" as a target
    # preposition
    got = coded(events(ex, text))
    assert any(s == "CHL" and t == "PER" and c == "110" for s, t, c in got), got


@pytest.mark.parametrize("verb", ["tweeted his annoyance", "vented his anger"])
def test_feelings_tweeted_or_vented_at_someone_are_disapproval(ex, verb):
    got = coded(events(ex, f"The Chilean president {verb} at Peru's decision."))
    assert ("CHL", "PER", "110") in got, got
