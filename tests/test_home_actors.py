"""Actors the text names without a country of their own: party names shared by several
countries and unnamed groups of a country's people, read as the country the article is set in
(each on short articles of our own)."""
from __future__ import annotations

from detente.pipeline import extract_text


def events(ex, text, date="2021-06-10"):
    return extract_text(text, date=date, extractor=ex)


def pairs(evs):
    return {((e.source.code if e.source else None), (e.target.code if e.target else None), e.cameo[:2]) for e in evs}


WELLINGTON = ("New Zealand ministers met in Wellington on Monday and later toured Auckland and "
              "Christchurch to defend the new budget. ")


def test_a_party_name_of_several_countries_is_of_the_articles_country(ex):
    evs = events(ex, WELLINGTON + "Labour accused the government of hiding the size of the deficit.")
    assert ("NZLPTY", "NZLGOV", "11") in pairs(evs)


def test_a_plural_party_name_is_of_the_articles_country(ex):
    text = ("Senators met in Washington on Tuesday before flying to Boston and Denver. "
            "Democrats accused the White House of hiding the cost of the wall.")
    assert any(s == "USAPTY" and t and t.startswith("USA") and c == "11" for s, t, c in pairs(events(ex, text)))


def test_a_lower_case_party_name_is_no_party(ex):
    evs = events(ex, WELLINGTON + "Labour unions accused the government of hiding the size of the deficit. "
                 "Farm labour groups criticised the government over the plan.")
    assert not any(e.source is not None and e.source.sector == "PTY" and e.source.text.lower().startswith("labour u")
                   for e in evs)
    assert not any(e.source is not None and e.source.sector == "PTY" and "labour" in e.source.text for e in evs)


def test_a_party_name_of_one_country_written_as_an_adjective_or_a_plural(ex):
    text = ("The Commons sat late in London on Tuesday, and ministers flew to Belfast and Cardiff. "
            "Tory backbenchers accused the government of hiding the cost of the plan. "
            "The Democratic Unionists criticised the government over the plan.")
    got = {(e.source.code, e.source.text, e.cameo[:2]) for e in events(ex, text) if e.source is not None}
    assert ("GBRPTY", "Tory backbenchers", "11") in got or ("GBRPTY", "Tory", "11") in got, got
    assert ("GBRPTY", "Democratic Unionists", "11") in got, got


def test_unnamed_protesters_are_of_the_articles_country(ex):
    text = ("Thousands marched in Belgrade on Saturday, and smaller rallies were held in Novi Sad and Nis. "
            "Demonstrators accused the government of rigging the local elections.")
    assert ("SRBOPP", "SRBGOV", "11") in pairs(events(ex, text))


def test_unnamed_protesters_with_no_country_of_the_article_stay_without_one(ex):
    text = ("The summit closed on Saturday with a short statement. "
            "Demonstrators accused the organisers of ignoring the poor.")
    assert not any(s and s.endswith("OPP") and len(s) > 3 for s, _, _ in pairs(events(ex, text)))


def test_a_name_the_ner_tags_as_a_body_after_an_office_is_the_offices_person(ex):
    text = ("Latvia's interior minister, Ivars Ozols, resigned on Friday after a week of protests in Riga and "
            "Daugavpils. Prime Minister Anna Berzina blamed Ozols for the police violence.")
    evs = events(ex, text)
    assert any(e.cameo == "0831" and e.source.code == "LVAGOV" and "Ozols" in e.source.text for e in evs)
    assert any(e.cameo[:2] == "11" and e.target is not None and e.target.code == "LVAGOV"
               and e.target.text == "Ozols" for e in evs)


def test_a_place_after_an_office_and_a_comma_stays_a_place(ex):
    text = ("Latvia's interior minister, Ivars Ozols, met Estonia's interior minister in the capital, "
            "Tallinn, on Friday.")
    evs = events(ex, text)
    assert not any(e.target is not None and e.target.sector == "GOV" and "Tallinn" in e.target.text for e in evs)


NAIROBI = ("Kenyan ministers met in Nairobi on Monday and later toured Mombasa and Kisumu to defend "
           "the new budget. ")


def test_a_person_no_dictionary_knows_acted_on_is_of_the_articles_country(ex):
    evs = events(ex, NAIROBI + "President William Ruto praised Amina Wanjiku for her work on the budget.")
    assert any(s == "KENGOV" and t == "KEN" and e.target.name == "Amina Wanjiku"
               for e in evs for s, t, _c in [((e.source.code if e.source else None), (e.target.code if e.target else None), e.cameo)])


def test_a_person_no_dictionary_knows_acting_on_a_government_is_of_the_articles_country(ex):
    evs = events(ex, NAIROBI + "Amina Wanjiku accused the government of hiding the cost of the road.")
    assert ("KEN", "KENGOV", "11") in pairs(evs)
    # a person's act on another private person is still no political event
    evs = events(ex, NAIROBI + "Amina Wanjiku accused Peter Otieno of stealing her goats.")
    assert not any(e.source is not None and e.source.country == "KEN" and e.source.name == "Amina Wanjiku" for e in evs)


def test_intelligence_and_security_agencies_are_the_spy_sector(ex):
    text = (NAIROBI + "Interior Minister Fred Matiangi praised the intelligence agencies. "
            "Matiangi also praised the security services.")
    got = [(e.target.text, e.target.code) for e in events(ex, text, "2017-03-01") if e.target is not None]
    assert ("intelligence agencies", "KENSPY") in got
    assert ("security services", "KENSPY") in got


def test_words_of_the_articles_side_that_name_no_one_are_aimed_at_its_country(ex):
    said = "Finance Minister Henry Rotich said farmers would pay the new tax from June."
    got = pairs(events(ex, NAIROBI + said, "2017-03-01"))
    assert ("KENGOV", "KEN", "01") in got  # Kenya's minister, in an article set in Kenya


KAMPALA = ("Ugandan ministers met in Kampala on Monday and later toured Jinja and Gulu to defend "
           "the new budget. ")


def test_an_act_an_article_keeps_that_names_no_one_is_aimed_at_its_actors_country(ex):
    voted = "Kenyan lawmakers voted on Thursday to reject the finance bill."
    assert ("KENLEG", "KEN", "12") in pairs(events(ex, NAIROBI + voted, "2017-03-01"))
    # the actor's own country, also in an article set in another
    assert ("KENLEG", "KEN", "12") in pairs(events(ex, KAMPALA + voted, "2017-03-01"))
    # a lone sentence has no article to read the act in: no target
    assert ("KENLEG", None, "12") in pairs(events(ex, voted, "2017-03-01"))


def test_an_act_done_with_a_partner_that_names_none_stays_out_of_an_article(ex):
    promised = "The Kenyan government promised on Friday to cooperate."
    assert not any(s == "KENGOV" and c == "03" for s, _t, c in pairs(events(ex, NAIROBI + promised, "2017-03-01")))


def test_an_opposition_accuses_its_own_government_after_another_countrys(ex):
    text = ("Kenya condemned the Ugandan government on Monday for closing the border. "
            "The Kenyan opposition accused the government of hiding the costs of the dispute.")
    assert ("KENOPP", "KENGOV", "11") in pairs(events(ex, text, "2017-03-01"))


def test_a_person_no_dictionary_knows_travelling_abroad_is_no_political_event(ex):
    text = NAIROBI + "Later that year, Brian Otieno travelled to Somalia to join his cousins."
    assert not any(e.source is not None and "Otieno" in e.source.text for e in events(ex, text, "2017-03-01"))
