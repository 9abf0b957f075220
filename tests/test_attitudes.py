"""Events told without a plain active verb: an attitude as predicate ("X is worried over Y's
plans", "X was angered by Y's decision"; data/coding/attitudes.tsv), and disapproval and
rejection verbs with a complement noun ("dismissed X's complaints", "disagreed with X").
Each on sentences written for these tests, with actors of our own choosing."""
from __future__ import annotations

import pytest

from detente.pipeline import extract_text


def events(ex, text, date="2021-06-10"):
    return extract_text(text, date=date, extractor=ex)


def coded(evs):
    return {((e.source.country if e.source else None), (e.target.country if e.target else None), e.cameo)
            for e in evs}


@pytest.mark.parametrize("text, expected", [
    ("The Uruguayan government is deeply worried over Argentina's plans for a pulp mill.", ("URY", "ARG", "110")),
    ("Uruguay remains concerned about the Argentine blockade of the bridge.", ("URY", "ARG", "110")),
    ("Uruguayan diplomats were upset that Argentina had expelled two consuls.", ("URY", "ARG", "110")),
    ("Uruguay was angered by Argentina's tariffs on wine.", ("URY", "ARG", "110")),
    ("The Uruguayan senate has long been critical of Argentina.", ("URY", "ARG", "111")),
])
def test_an_attitude_told_as_a_predicate_is_aimed_at_the_actor_of_its_phrase(ex, text, expected):
    assert expected in coded(events(ex, text))


@pytest.mark.parametrize("text", [
    "Concerned Uruguayan citizens marched in Montevideo.",       # an adjective on a noun
    "Uruguay was worried.",                                      # an attitude aimed at no one
    "Uruguay will be worried by Argentina's plans.",             # a feeling foretold
    "Uruguay was not upset with Argentina's decision.",          # no disapproval told
    "Uruguay's port is critical to Argentina's exports.",        # "critical to": important
])
def test_no_attitude_event_without_its_predicate_and_target(ex, text):
    assert not [e for e in events(ex, text) if e.cameo in ("110", "111")]


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
