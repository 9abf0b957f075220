"""Denials and reported acts, coded by the conventions of the gold guidelines: a denial of an
act is that act negated; reported speech is the speaker's event and, where the reported act is
stated as fact, its actor's too. Sentences written for these tests."""
from __future__ import annotations

import pytest

from detente.pipeline import extract_text


@pytest.fixture(scope="module")
def ex():
    from detente.pipeline import Extractor

    return Extractor.load()


def coded(ex, text, date="2021-06-10"):
    return [((e.source.country if e.source else None), (e.target.country if e.target else None),
             e.cameo[:2], e.modality) for e in extract_text(text, date=date, extractor=ex)]


def test_denying_the_allegation_negates_the_act_one_was_accused_of(ex):
    text = "Egypt accused Sudan of shelling its border posts on Monday. Sudan denied the charges."
    evs = coded(ex, text)
    assert any(s == "SDN" and root == "19" and m == "negated" for s, _, root, m in evs)


def test_a_denial_by_someone_not_accused_negates_nothing(ex):
    text = "Egypt accused Sudan of shelling its border posts on Monday. Libya denied the charges."
    evs = coded(ex, text)
    assert not any(m == "negated" for *_, m in evs)


@pytest.mark.parametrize("verb", ["revealed", "acknowledged", "hinted", "emphasised", "informed reporters"])
def test_verbs_of_saying_report_a_statement(ex, verb):
    # speech.tsv: any verb of saying with a clause reports its subject's statement
    got = coded(ex, f"Kenya's president {verb} that Uganda had asked for a loan.")
    assert any(s == "KEN" and t == "UGA" and c == "01" for s, t, c, _m in got), got


@pytest.mark.parametrize("text, root", [
    ("Chile's foreign minister said Peru's stubborn approach was to blame for the crisis.", "11"),
    ("Chile's president said a brutal campaign by Peru had smeared his government.", "11"),
    ("Chile's president said Peru's offer was generous.", "01"),
    ("Chile's president said Peru was not to blame.", "01"),
])
def test_words_of_disapproval_or_blame_anywhere_in_reported_words_make_a_criticism(ex, text, root):
    got = coded(ex, text)
    assert any(s == "CHL" and t == "PER" and c == root for s, t, c, _m in got), got


@pytest.mark.parametrize("text", [
    "Chile's foreign minister said Peru's plan was obsolete.",
    "Chile's president said Peru's handling of the border was incompetent.",
    "Chile's president called Peru's new tariffs a fiasco.",
])
def test_common_words_of_disapproval_make_a_criticism(ex, text):
    # data/coding/disapproval.txt: general evaluative words, not only the strongest
    got = coded(ex, text)
    assert any(s == "CHL" and t == "PER" and c == "11" for s, t, c, _m in got), got
