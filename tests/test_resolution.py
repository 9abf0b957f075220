"""Actor resolution (detente.actors.resolution): each rule on its own, model-free, and the
declared order. Actors and places are written for these tests."""
from __future__ import annotations

from types import SimpleNamespace

from detente.actors import resolution as R
from detente.actors.resolution import Context, Sides, resolve
from detente.model import Actor, Place

KENYA = Actor("Kenya", None, "KEN", None, "KEN")
KEN_GOV = Actor("Kenya's government", None, "KEN", "GOV", "KENGOV")
POLICE = Actor("police", None, None, "COP", "COP")
STRIKERS = Actor("strikers", None, None, "OPP", "OPP")
CIVILIANS = Actor("villagers", None, None, "CVL", "CVL")
MOMBASA = Place("Mombasa", "KEN", -4.05, 39.67)
KAMPALA = Place("Kampala", "UGA", 0.31, 32.58)


def ctx(code="173", **kw):
    base = dict(act=code, cameo=code, named_source=True, named_target=True)
    base.update(kw)
    return Context(**base)


def test_rules_are_declared_in_order_and_documented():
    assert R.PLACE_RULES[0] is R.target_at_own_place
    assert R.DOCUMENT_RULES[0] is R.unnamed_perpetrator
    for rule in R.PLACE_RULES + R.DOCUMENT_RULES:
        assert rule.__doc__ and rule.__doc__.strip()


def test_target_at_own_place_gives_a_missing_or_generic_target_that_country():
    visit = ctx("042", own_place=KAMPALA, place_target=True)  # the row lets a place be the target
    assert R.target_at_own_place(Sides(KEN_GOV, None), visit).target.country == "UGA"
    assert R.target_at_own_place(Sides(KEN_GOV, CIVILIANS), ctx("190", own_place=KAMPALA)).target.code == "UGACVL"
    # a statement's missing target is not its place
    assert R.target_at_own_place(Sides(KEN_GOV, None), ctx("010", own_place=KAMPALA)).target is None


def test_threatened_place_only_for_threats_without_target():
    where = Actor("Lagos", None, "NGA", None, "NGA")
    assert R.threatened_place(Sides(KEN_GOV, None), ctx("138", threatened=lambda: where)).target is where
    assert R.threatened_place(Sides(KEN_GOV, None), ctx("190", threatened=lambda: where)).target is None


def test_source_at_own_place_but_not_for_visitors():
    assert R.source_at_own_place(Sides(STRIKERS, None), ctx("141", own_place=MOMBASA)).source.code == "KENOPP"
    assert R.source_at_own_place(Sides(STRIKERS, None), ctx("042", own_place=MOMBASA)).source.country is None


def test_victims_at_sentence_place_only_without_an_own_place():
    s = Sides(None, CIVILIANS)
    assert R.victims_at_sentence_place(s, ctx("190", place=MOMBASA)).target.code == "KENCVL"
    assert R.victims_at_sentence_place(s, ctx("190", own_place=KAMPALA, place=KAMPALA)).target is CIVILIANS


def test_unnamed_perpetrator_is_of_the_place_else_of_the_article():
    named_victim = Sides(None, Actor("two Ugandan traders", None, "UGA", "BUS", "UGABUS"))
    c = ctx("173", named_source=False, place=MOMBASA)
    assert R.unnamed_perpetrator(named_victim, c).source.country == "KEN"
    c = ctx("173", named_source=False, home="KEN")
    src = R.unnamed_perpetrator(named_victim, c).source
    assert src.country == "KEN" and src.text == "Kenya"
    # a visit by nobody named is not given a visitor
    assert R.unnamed_perpetrator(named_victim, ctx("042", named_source=False, home="KEN")).source is None


def test_domestic_target_and_protested_institution():
    assert R.domestic_target(Sides(KEN_GOV, STRIKERS), ctx()).target.code == "KENOPP"
    parliament = Actor("parliament", None, None, "LEG", "LEG")
    kenyans = Actor("Kenyan teachers", None, "KEN", "EDU", "KENEDU")
    assert R.protested_institution(Sides(kenyans, parliament), ctx("141")).target.code == "KENLEG"
    assert R.protested_institution(Sides(kenyans, parliament), ctx("111")).target is parliament


def test_institutions_and_victims_at_home():
    s = R.institutions_at_home(Sides(POLICE, CIVILIANS), ctx(home="KEN"))
    assert s.source.code == "KENCOP" and s.target is CIVILIANS  # civilians are not an institution
    assert R.victims_at_home(Sides(None, CIVILIANS), ctx("190", home="KEN")).target.code == "KENCVL"
    assert R.victims_at_home(Sides(None, CIVILIANS), ctx("111", home="KEN")).target is CIVILIANS


def test_an_unnamed_opposition_is_of_the_articles_country():
    s = R.opposition_at_home(Sides(STRIKERS, KEN_GOV), ctx("112", home="KEN"))
    assert s.source.code == "KENOPP" and s.target is KEN_GOV
    assert R.opposition_at_home(Sides(KEN_GOV, STRIKERS), ctx(home="KEN")).target.code == "KENOPP"
    assert R.opposition_at_home(Sides(STRIKERS, KEN_GOV), ctx("112")).source is STRIKERS  # no country of the article
    # civilians and institutions are left to their own rules
    assert R.opposition_at_home(Sides(CIVILIANS, POLICE), ctx(home="KEN")) == Sides(CIVILIANS, POLICE)


def test_resolve_drops_an_event_whose_sides_become_one_actor():
    assert resolve(Sides(KENYA, KENYA), ctx()) is None
    res = resolve(Sides(POLICE, Actor("two Ugandan traders", None, "UGA", "BUS", "UGABUS")), ctx(home="KEN"))
    assert res.source.code == "KENCOP" and res.target.code == "UGABUS"
    res = resolve(Sides(POLICE, STRIKERS), ctx(home="KEN"))
    # the declared order: the police are placed at home after domestic_target has run (the
    # strikers are then the article's by opposition_at_home)
    assert res.source.code == "KENCOP" and res.target.code == "KENOPP"
    res = resolve(Sides(POLICE, CIVILIANS), ctx(home="KEN"))
    assert res.source.code == "KENCOP" and res.target.code == "CVL"


def test_home_country_needs_a_clear_majority_of_places():
    def places(*countries):
        return SimpleNamespace(mentions=[SimpleNamespace(place=Place("x", c, None, None)) for c in countries])

    assert R.home_country(places("KEN", "KEN", "UGA")) == "KEN"
    assert R.home_country(places("KEN")) is None  # one place is no setting
    assert R.home_country(places("KEN", "KEN", "UGA", "UGA", "TZA", "RWA")) is None
    assert R.home_country(None) is None


def test_troops_sent_somewhere_are_the_senders_force_not_the_target():
    troops = Actor("troops", None, None, "MIL", "MIL")
    s = R.target_at_own_place(Sides(KENYA, troops), ctx("154", own_place=KAMPALA))
    assert s.target.code == "UGA" and s.target.sector is None
    # elsewhere a generic target still takes the place's country
    assert R.target_at_own_place(Sides(KENYA, troops), ctx("190", own_place=KAMPALA)).target.code == "UGAMIL"


def test_a_country_force_moved_by_no_named_agent_is_moved_by_its_country():
    ken_troops = Actor("Kenyan troops", None, "KEN", "MIL", "KENMIL")
    unnamed = ctx("154", named_source=False)
    s = R.deployed_force(Sides(None, ken_troops), unnamed)
    assert (s.source.code, s.target.code) == ("KEN", "KENMIL")
    # sent somewhere: that place is the target
    s = R.deployed_force(Sides(None, ken_troops), ctx("154", named_source=False, own_place=KAMPALA))
    assert (s.source.code, s.target.code) == ("KEN", "UGA")
    # a named sender, another act, or a force of no country: unchanged
    assert R.deployed_force(Sides(KEN_GOV, ken_troops), ctx("154")).source is KEN_GOV
    assert R.deployed_force(Sides(None, ken_troops), ctx("190", named_source=False)).source is None
    assert R.deployed_force(Sides(None, Actor("troops", None, None, "MIL", "MIL")), unnamed).source is None


def test_a_passive_deployment_of_a_countrys_troops_is_that_countrys_act():
    from detente.pipeline import extract_text

    evs = extract_text("Ghana's president met Togo's president in Accra on Monday. "
                       "Ghanaian soldiers have been moved to the northern frontier, an army officer said.",
                       date="2021-06-10")
    assert any(e.cameo[:2] == "15" and e.source and e.source.code == "GHA" for e in evs)


def test_source_at_own_place_not_for_an_unnamed_watchdog():
    watchdog = Actor("a rights watchdog", None, None, "NGO", "NGO")
    assert R.source_at_own_place(Sides(watchdog, POLICE), ctx("112", own_place=MOMBASA)).source.code == "NGO"


def test_people_held_or_freed_by_an_unnamed_authority_are_of_its_country():
    detainees = Actor("five students", None, None, "EDU", "EDU")
    arrest = R.unnamed_perpetrator(Sides(None, detainees), ctx("173", named_source=False, place=MOMBASA))
    assert arrest.source.country == "KEN" and arrest.target.code == "KENEDU"
    # a release told without its doer is the authorities' of the place too
    freed = R.unnamed_perpetrator(Sides(None, detainees), ctx("0841", named_source=False, home="UGA"))
    assert freed.source.country == "UGA" and freed.target.code == "UGAEDU"
    # a nationality the text gives is kept
    traders = Actor("two Ugandan traders", None, "UGA", "BUS", "UGABUS")
    assert R.unnamed_perpetrator(Sides(None, traders), ctx("173", named_source=False, place=MOMBASA)).target is traders
    # an investigation or sanction by nobody named gives its generic target no country
    probed = R.unnamed_perpetrator(Sides(None, detainees), ctx("090", named_source=False, place=MOMBASA))
    assert probed.source.country == "KEN" and probed.target is detainees
    # other concessions told without a doer get none
    assert R.unnamed_perpetrator(Sides(None, detainees), ctx("0842", named_source=False, home="UGA")).source is None


# ------------------------------------------------------------------ persons at home
WANJIKU = Actor("Amina Wanjiku", "Amina Wanjiku", None, None, None)  # a person no dictionary knows


def test_persons_at_home_gives_an_unplaced_person_acted_on_the_articles_country():
    got = R.persons_at_home(Sides(KEN_GOV, WANJIKU), ctx("051", home="KEN"))
    assert (got.target.country, got.target.code, got.target.name) == ("KEN", "KEN", "Amina Wanjiku")
    assert R.persons_at_home(Sides(KEN_GOV, WANJIKU), ctx("051")).target is WANJIKU  # no country of the article
    # the source must be identified and named in the text (not the place a perpetrator is read from)
    assert R.persons_at_home(Sides(None, WANJIKU), ctx("051", home="KEN")).target is WANJIKU
    assert R.persons_at_home(Sides(KENYA, WANJIKU), ctx("193", home="KEN", named_source=False)).target is WANJIKU
    # a generic group is not a person: other rules decide it
    assert R.persons_at_home(Sides(KEN_GOV, CIVILIANS), ctx("051", home="KEN")).target is CIVILIANS


def test_person_sources_at_home_only_acting_on_a_political_actor():
    got = R.person_sources_at_home(Sides(WANJIKU, KEN_GOV), ctx("112", home="KEN"))
    assert got.source.code == "KEN" and got.source.name == "Amina Wanjiku"
    assert R.person_sources_at_home(Sides(WANJIKU, KENYA), ctx("112", home="KEN")).source.code == "KEN"
    # acting on a private person or a company is no politics of the country
    other = Actor("Peter Otieno", "Peter Otieno", None, None, None)
    assert R.person_sources_at_home(Sides(WANJIKU, other), ctx("112", home="KEN")).source is WANJIKU
    firm = Actor("a bank", None, "KEN", "BUS", "KENBUS")
    assert R.person_sources_at_home(Sides(WANJIKU, firm), ctx("112", home="KEN")).source is WANJIKU
    assert R.person_sources_at_home(Sides(WANJIKU, KEN_GOV), ctx("112")).source is WANJIKU


def test_persons_at_home_run_last_of_the_document_rules():
    assert R.DOCUMENT_RULES[-2:] == (R.persons_at_home, R.person_sources_at_home)


def test_own_country_target_of_an_act_that_names_no_one():
    # an act with no target, by an actor with a country, is aimed at that country
    got = R.own_country_target(KEN_GOV, None)
    assert (got.country, got.code, got.sector) == ("KEN", "KEN", None)
    uga = Actor("Uganda's government", None, "UGA", "GOV", "UGAGOV")
    assert R.own_country_target(uga, None).code == "UGA"  # its own country, not the article's
    # a named target stays; a source with no country, or none, gives no target
    assert R.own_country_target(KEN_GOV, uga) is uga
    assert R.own_country_target(Actor("the UN", None, None, "IGO", "IGOUNO"), None) is None
    assert R.own_country_target(None, None) is None


def test_an_opposition_faces_its_own_countrys_government():
    opp = Actor("the Kenyan opposition", None, "KEN", "OPP", "KENOPP")
    uga_gov = Actor("the government", None, "UGA", "GOV", "UGAGOV")  # "the government" read as the last named
    got = R.opposition_faces_own_government(Sides(opp, uga_gov), ctx("112")).target
    assert (got.country, got.code) == ("KEN", "KENGOV")
    # a government its text names with a country stays; so does any side of another sector
    named = Actor("the Ugandan government", None, "UGA", "GOV", "UGAGOV")
    assert R.opposition_faces_own_government(Sides(opp, named), ctx("112")).target is named
    assert R.opposition_faces_own_government(Sides(KEN_GOV, uga_gov), ctx("112")).target is uga_gov
