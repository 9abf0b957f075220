"""Acts one side does alone (leaving office, laying down arms), refusals of a partnership, and
the modality of acts only asked or waited for: each on short articles of our own."""
from __future__ import annotations

import pytest

from detente.pipeline import extract_text


def events(ex, text, date="2021-06-10"):
    return extract_text(text, date=date, extractor=ex)


def codes(evs):
    return {((e.source.code if e.source else None), (e.target.code if e.target else None), e.cameo, e.modality)
            for e in evs}


INTRO = "Chile's president met Peru's foreign minister in Lima on Monday. "


def test_a_resignation_with_no_other_party_is_kept_in_an_article(ex):
    evs = events(ex, INTRO + "Chile's interior minister, Pablo Rojas, resigned on Tuesday after a week of strikes.")
    # kept, and aimed at the minister's own country (resolution.own_country_target)
    assert any(e.cameo == "0831" and e.source.country == "CHL" and e.target.code == "CHL" and e.modality == "asserted"
               for e in evs)


def test_a_planned_disarmament_with_no_other_party_is_kept_in_an_article(ex):
    evs = events(ex, INTRO + "The Kurdistan Workers' Party plans to lay down its weapons by September.")
    assert any(e.cameo == "0356" and e.modality == "planned" for e in evs)


def test_a_resignation_asked_for_is_not_an_act_of_its_own(ex):
    evs = events(ex, INTRO + "Police attacked protesters calling for Chile's interior minister to step down.")
    assert not any(e.cameo == "0831" for e in evs)


def test_a_resignation_waited_for_is_not_an_act_of_its_own(ex):
    evs = events(ex, INTRO + "Chilean miners have vowed to keep marching until the interior minister steps down.")
    assert not any(e.cameo == "0831" for e in evs)


@pytest.mark.parametrize("text, mark", [
    ("Peru's president said it was time for Chile to restore ties with Bolivia.", "for"),
    ("Peru's president will keep pressing Chile until Chile restores ties with Bolivia.", "until"),
])
def test_an_act_only_wanted_or_waited_for_is_hypothetical(ex, text, mark):
    evs = events(ex, text)
    assert [e.modality for e in evs if e.source and e.source.country == "CHL"] == ["hypothetical"], mark


def test_a_pledge_not_to_govern_with_a_party_rejects_it(ex):
    evs = events(ex, INTRO + "Most German parties have pledged not to govern with the Christian Social Union.")
    assert any(e.cameo == "120" and e.modality == "asserted" and e.target is not None
               and e.target.code == "DEUPTY" for e in evs)


def test_saying_one_will_not_share_power_with_a_party_rejects_it(ex):
    evs = events(ex, "On Friday the SNP said it will not share power with the Liberal Democrats.")
    assert ("GBRPTY", "GBRPTY", "120", "asserted") in codes(evs)


def test_saying_a_past_act_with_a_party_did_not_happen_refuses_nothing(ex):
    evs = events(ex, "Peru's foreign minister said Chile had not held talks with Bolivia.")
    assert not any(e.cameo.startswith("12") for e in evs)


def test_pulling_out_of_a_union_reduces_relations_with_it(ex):
    evs = events(ex, "Greece pulled out of the European Union in 2020.")
    assert ("GRC", "IGOEUREEC", "160", "asserted") in codes(evs)


def test_naming_someone_to_a_political_office_supports_them(ex):
    evs = events(ex, "Britain's prime minister appointed Boris Johnson as foreign secretary on Wednesday.")
    assert ("GBRGOV", "GBRGOV", "051", "asserted") in codes(evs)


def test_naming_someone_to_a_post_of_a_company_is_no_event(ex):
    assert events(ex, "The carmaker appointed Mark Smith as chief executive on Wednesday.") == []
