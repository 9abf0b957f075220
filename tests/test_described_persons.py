"""Persons no dictionary knows, given a country and sector by the sentence's own description of
them: the phrase in apposition to the name, or the phrase after an apposed office (each on short
articles of our own)."""
from __future__ import annotations

from detente.pipeline import extract_text


def events(ex, text, date="2021-06-10"):
    return extract_text(text, date=date, extractor=ex)


def codes(evs, text):
    return {(e.source.code if e.source else None, e.target.code if e.target else None)
            for e in evs if (e.source and text in e.source.text) or (e.target and text in e.target.text)}


NORWAY = "Norway's prime minister, Erna Haugland, thanked Denmark for its help on Monday. "


def test_an_office_for_a_country_named_with_an_adjective(ex):
    evs = events(ex, NORWAY + "Reza Tavakoli, a spokesman for the Iranian foreign ministry, condemned Israel on Friday.")
    assert ("IRNGOV", "ISR") in codes(evs, "Tavakoli")


def test_a_nominee_described_by_a_possessive_and_an_office(ex):
    evs = events(ex, "The news comes after Macron's first nominee for minister of labour, Paul Delmont, "
                     "withdrew from consideration. Senator Claire Roux called on Delmont to withdraw.")
    assert any(t == "FRAGOV" for _s, t in codes(evs, "Delmont"))


def test_a_name_followed_by_a_described_office(ex):
    evs = events(ex, "Paolo Brandini, Italy's candidate for finance minister, accused France on Wednesday.")
    assert ("ITAGOV", "FRA") in codes(evs, "Brandini")


def test_the_office_of_another_person_in_the_description_is_not_his(ex):
    evs = events(ex, "Jules Marchetti, a political analyst close to President Macron's office, "
                     "accused Germany of lying on Tuesday.")
    assert not any(s == "FRAGOV" for s, _t in codes(evs, "Marchetti"))


def test_an_envoy_of_a_countrys_office_is_of_that_country_not_where_he_is_posted(ex):
    # "the <country> president's envoy to <place>": the owner's country, not the post's
    text = ("Chile is ready to resume talks with Bolivia, the Chilean president's special envoy to Bolivia, "
            "Tomas Irarrazaval, told reporters on Monday. Irarrazaval criticised Peru on Tuesday.")
    got = codes(events(ex, text), "Irarrazaval")
    assert ("CHLGOV", "PER") in got
    assert not any(s and s.startswith("BOL") for s, _t in got)


def test_a_nationality_before_another_persons_name_is_not_the_speakers(ex):
    # an office with no country takes the sentence's country, not the nationality of a suspect
    text = ("Kenyan police arrested two men in Nairobi on Monday. Attorney General Githu Muigai said "
            "Eritrean Tesfaye Bekele and Ethiopian Dawit Alemu will be charged on Wednesday.")
    got = codes(events(ex, text), "Muigai")
    assert got and all(s == "KENJUD" for s, _t in got)


def test_an_office_held_in_a_place_named_by_no_country_word_keeps_its_name(ex):
    # "the Kenyan ambassador in the country X": X holds the office; the place is not its owner
    text = ("Kenya will send grain to Uganda next month, Kenyan ambassador in the country Peter Mwangi "
            "said on Monday. Mwangi criticised Tanzania on Tuesday.")
    assert ("KENGOV", "TZA") in codes(events(ex, text), "Mwangi")
