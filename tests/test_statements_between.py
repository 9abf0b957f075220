"""Statements, appeals and accusations between two sides (seventh session, branch kc).
Each on sentences written for these tests, with actors of our own choosing."""
from __future__ import annotations

import pytest

from detente.pipeline import extract_text


def events(ex, text, date="2021-06-10"):
    return extract_text(text, date=date, extractor=ex)


def sides(evs, root=None):
    return {((e.source.code if e.source else None), (e.target.code if e.target else None), e.cameo)
            for e in evs if root is None or e.cameo.startswith(root)}


@pytest.mark.parametrize("text, expected", [
    ("The Czech premier met the Slovak premier in Prague on Monday.\n\n"
     "Prime Minister Viktor Orban said the opposition had broken its promises to the voters.",
     ("HUNGOV", "HUNOPP", "010")),
    ("The Czech premier met the Slovak premier in Prague on Monday.\n\n"
     "Opposition leader Gergely Karacsony said the audit proved that Orban had misled the voters.",
     ("HUNOPP", "HUNGOV", "010")),
    ("The Czech premier met the Slovak premier in Prague on Monday.\n\n"
     "The Hungarian Socialist Party has only a few days to choose a new leader, Prime Minister Viktor Orban said.",
     ("HUNGOV", "HUNPTY", "010")),
])
def test_a_statement_about_a_rival_of_the_speakers_own_country_is_aimed_at_it(ex, text, expected):
    assert expected in sides(events(ex, text), "01")


def test_a_statement_about_the_speakers_own_forces_has_no_domestic_target(ex):
    evs = events(ex, "The Czech premier met the Slovak premier in Prague on Monday.\n\n"
                     "Hungarian Defence Minister Tibor Benko said Hungarian troops would stay in Iraq for a year.")
    assert not any(e.target and e.target.country == "HUN" for e in evs if e.source and e.source.country == "HUN")


def test_disagreeing_with_someone_is_disapproval(ex):
    evs = events(ex, "The Czech premier met the Slovak premier in Prague on Monday.\n\n"
                     "The Egyptian foreign ministry said it firmly disagreed with Sudan's account of the dam talks.")
    assert ("EGYGOV", "SDN", "110") in sides(evs, "11")


def test_calling_a_position_worrying_is_a_criticism(ex):
    evs = events(ex, "The Czech premier met the Slovak premier in Prague on Monday.\n\n"
                     "The Peruvian foreign minister called the Chilean position \"troubling and confused\" "
                     "after meeting Chilean officials.")
    assert ("PERGOV", "CHL", "111") in sides(evs, "11")


def test_words_said_of_someone_are_aimed_at_them(ex):
    text = ("Kenyan ministers met in Nairobi on Monday and later toured Mombasa and Kisumu to defend the budget. "
            '"She has done remarkable work," President Uhuru Kenyatta said of Sarah Mwangi. '
            '"They are still in the hills," the minister said of the rebels.')
    got = sides(events(ex, text, "2017-03-01"), "01")
    assert ("KENGOV", "KEN", "010") in got  # the person, of the article's country (persons_at_home)
    assert ("KENGOV", "KENREB", "010") in got
    # words of disapproval said of someone criticise them
    assert ("KENGOV", "KENREB", "111") in sides(events(ex, text.replace("still in the hills", "dangerous"),
                                                       "2017-03-01"), "11")
    # without "of", words that name no one are aimed at no one
    plain = sides(events(ex, text.replace(" said of Sarah Mwangi", " said").replace(" said of the rebels", " said"),
                         "2017-03-01"), "01")
    assert not any(t in ("KEN", "KENREB") for _s, t, _c in plain)
