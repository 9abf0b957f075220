"""Actor recognition on parsed sentences (needs the spaCy model: marked slow)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def mentions(rec, nlp, text, date=None):
    doc = nlp(text)
    return doc, rec.find(doc, date)


def by_text(da, text):
    for m in da.mentions:
        if m.actor.text == text:
            return m
    raise AssertionError(f"no mention {text!r} in {[m.actor.text for m in da.mentions]}")


def test_countries_names_and_adjectives(rec, nlp):
    _, da = mentions(rec, nlp, "Britain and the United States warned Iran, while Chinese and Azeri diplomats "
                               "said the UK would wait for U.S. allies.")
    assert by_text(da, "Britain").actor.code == "GBR"
    assert by_text(da, "United States").actor.code == "USA"
    assert by_text(da, "Iran").actor.country == "IRN" and by_text(da, "Iran").actor.sector is None
    assert by_text(da, "UK").actor.code == "GBR"
    assert by_text(da, "Azeri diplomats").actor.code == "AZEGOV"


def test_mentions_sorted_and_disjoint(rec, nlp):
    _, da = mentions(rec, nlp, "Ukrainian President Petro Marchenko met Polish officials in Warsaw on Friday.")
    starts = [m.start for m in da.mentions]
    assert starts == sorted(starts)
    for a, b in zip(da.mentions, da.mentions[1:]):
        assert a.end <= b.start


def test_seats_of_government(rec, nlp):
    _, da = mentions(rec, nlp, "Moscow rejected the plan, and the White House said Beijing had been consulted. "
                               "Downing Street declined to comment. The talks took place in Ankara.")
    assert by_text(da, "Moscow").actor.code == "RUSGOV"
    assert by_text(da, "White House").actor.code == "USAGOV"
    assert by_text(da, "Beijing").actor.code == "CHNGOV"
    assert by_text(da, "Downing Street").actor.code == "GBRGOV"
    ankara = by_text(da, "Ankara")
    assert ankara.kind == "place" and ankara.actor.country == "TUR"


def test_titled_officials_and_coreference(rec, nlp):
    _, da = mentions(rec, nlp, (
        "Kenyan Interior Minister Daniel Otieno met army General Samuel Kiprono on Monday. "
        "Otieno said he would send more police to the border. "
        "Kiprono told reporters that his troops were ready."
    ))
    otieno = by_text(da, "Kenyan Interior Minister Daniel Otieno")
    assert otieno.kind == "person"
    assert (otieno.actor.name, otieno.actor.country, otieno.actor.sector, otieno.actor.code) == (
        "Daniel Otieno", "KEN", "GOV", "KENGOV")
    general = [m for m in da.mentions if m.actor.name == "Samuel Kiprono"][0]
    assert general.actor.sector == "MIL" and general.actor.country == "KEN"  # the country of the document
    later = [m for m in da.mentions if m.actor.text == "Otieno"]
    assert later and later[0].actor.name == "Daniel Otieno" and later[0].actor.code == "KENGOV"
    he = [m for m in da.mentions if m.kind == "pronoun" and m.actor.text == "he"][0]
    assert he.actor.name == "Daniel Otieno"
    his = [m for m in da.mentions if m.actor.text.startswith("his")]
    assert his and his[0].actor.code == "KENMIL"


def test_title_after_name_and_comma(rec, nlp):
    _, da = mentions(rec, nlp, (
        "The Turkish Deputy Minister for Trade Affairs, Ayse Demir, met Lars Nilsson, "
        "Sweden's ambassador, in Stockholm."
    ))
    demir = [m for m in da.mentions if m.actor.name == "Ayse Demir"][0]
    assert demir.actor.code == "TURGOV"
    nilsson = [m for m in da.mentions if m.actor.name == "Lars Nilsson"][0]
    assert nilsson.actor.code == "SWEGOV"


def test_international_organisations(rec, nlp):
    _, da = mentions(rec, nlp, "The IAEA and the World Bank briefed NATO, while Human Rights Watch and "
                               "the Red Cross criticised the European Union.")
    assert by_text(da, "IAEA").actor.sector == "IGO"
    assert by_text(da, "World Bank").actor.code.startswith("IGO")
    assert by_text(da, "NATO").actor.sector == "IGO"
    assert by_text(da, "Human Rights Watch").actor.sector == "NGO"
    assert by_text(da, "Red Cross").actor.sector == "NGO"
    assert by_text(da, "European Union").actor.name == "European Union"


def test_who_only_in_capitals(rec, nlp):
    _, da = mentions(rec, nlp, "Officials who met the WHO delegation left.")
    who = [m for m in da.mentions if m.actor.code and "WHO" in m.actor.code]
    assert len(who) == 1 and who[0].actor.text.startswith("WHO")


def test_groups_with_sector_nouns(rec, nlp):
    _, da = mentions(rec, nlp, (
        "Egyptian pro-government media said Lebanese troops fired at Syrian rebels. "
        "Police arrested protesters, and the opposition asked parliament and the court to act. "
        "Civilians and businesses fled."
    ))
    assert by_text(da, "Egyptian pro-government media").actor.code == "EGYMED"
    assert by_text(da, "Lebanese troops").actor.code == "LBNMIL"
    assert by_text(da, "Syrian rebels").actor.code == "SYRREB"
    assert by_text(da, "Police").actor.code == "COP"  # no country without a modifier
    assert by_text(da, "protesters").actor.sector == "OPP"
    assert by_text(da, "opposition").actor.sector == "OPP"
    assert by_text(da, "parliament").actor.sector == "LEG"
    assert by_text(da, "court").actor.sector == "JUD"
    assert by_text(da, "Civilians").actor.sector == "CVL"
    assert by_text(da, "businesses").actor.sector == "BUS"


def test_possessives_and_of_phrases(rec, nlp):
    doc, da = mentions(rec, nlp, (
        "Pakistan's government protested. Officials from Nepal arrived, and the authorities in Bhutan "
        "detained members of its Buddhist community."
    ))
    assert by_text(da, "Pakistan's government").actor.code == "PAKGOV"
    assert by_text(da, "Officials from Nepal").actor.code == "NPLGOV"
    assert by_text(da, "authorities in Bhutan").actor.code == "BTNGOV"
    community = by_text(da, "members of its Buddhist community")  # a collective head takes its of-phrase
    assert community.actor.code == "BTNREL"
    members = [t for t in doc if t.text == "members"][0]
    assert da.at(members.i) is community


def test_the_owner_not_the_place_covers_a_mission(rec, nlp):
    doc, da = mentions(rec, nlp, "Armenia's Consulate in Tbilisi was closed.")
    consulate = [t for t in doc if t.text == "Consulate"][0]
    assert da.at(consulate.i).actor.country == "ARM"
    closed = [t for t in doc if t.text == "closed"][0]
    assert da.at(closed.i) is None


def test_user_dictionary_with_dated_codes(nlp, tmp_path, monkeypatch):
    from detente.actors import ActorRecognizer

    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "cache"))
    d = tmp_path / "people.txt"
    d.write_text(
        "MARIA_KOWALSKA_\n+KOWALSKA_\n\t[POLOPP 19900101-20051231]\n\t[POLGOV >20060101]\n\t[POLELI]\n",
        encoding="utf-8",
    )
    rec = ActorRecognizer.load([str(d)])
    doc = nlp("Maria Kowalska criticised the plan.")
    da = rec.find(doc, "2001-03-01")
    m = da.mentions[0]
    assert m.actor.code == "POLOPP" and m.actor.name
    assert da.resolve(m, "2010-01-01").code == "POLGOV"
    assert da.resolve(m, "2010-01-01").sector == "GOV"
    assert da.resolve(m, "1980-01-01").code == "POLELI"
    assert da.resolve(m, None).code == "POLOPP"


def test_csv_dictionary_person(nlp, tmp_path, monkeypatch):
    from detente.actors import ActorRecognizer

    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "cache"))
    d = tmp_path / "people.csv"
    d.write_text("name,country,sector,code,synonyms,from,until\n"
                 "Tomas Horak,CZE,GOV,,Horak,,\n", encoding="utf-8")
    rec = ActorRecognizer.load([str(d)])
    _, da = rec.find(nlp("Horak met Tomas Horak's critics."), None), None
    doc = nlp("Tomas Horak spoke. Later Horak left.")
    da = rec.find(doc)
    assert [m.actor.code for m in da.mentions] == ["CZEGOV", "CZEGOV"]
    assert da.mentions[0].actor.name == "Tomas Horak"


@pytest.mark.parametrize("text,owner", [
    ("An armed man stormed into Azerbaijan's Embassy in Tehran on Friday.", "Azerbaijan's Embassy"),
    ("An armed man stormed into Azerbaijan\u2019s Embassy in Tehran on Friday.", "Azerbaijan\u2019s Embassy"),
    ("Gunmen attacked the Azerbaijani Embassy in Tehran.", "Azerbaijani Embassy"),
    ("Police guarded the Azerbaijani embassy in Tehran.", "Azerbaijani embassy"),
    ("Protesters gathered outside the embassy of Azerbaijan in Tehran.", "embassy of Azerbaijan"),
])
def test_embassy_belongs_to_owner_not_location(rec, nlp, text, owner):
    doc, da = mentions(rec, nlp, text)
    m = by_text(da, owner)
    assert m.actor.code == "AZEGOV"
    emb = [t for t in doc if t.lower_ == "embassy"][0]
    assert da.at(emb.i) is m
    tehran = [m for m in da.mentions if m.actor.text == "Tehran"]
    assert tehran and tehran[0].kind == "place"


def test_in_phrase_gives_country_only_without_owner(rec, nlp):
    _, da = mentions(rec, nlp, "The authorities in Azerbaijan detained two men. "
                               "Norway\u2019s ambassador in Tehran, Lars Berg, was recalled.")
    assert by_text(da, "authorities in Azerbaijan").actor.code == "AZEGOV"
    berg = [m for m in da.mentions if m.actor.name == "Lars Berg"][0]
    assert berg.actor.code == "NORGOV"


_LIST_DOC = ("On 3 May, the Iranian Presidential Adviser on Political Affairs, Ali Rezaei, traveled to Baku, "
             "where he met with Azerbaijani President Tofig Mammadov, presidential aide Elnur Aliyev, and "
             "Foreign Minister Rashad Guliyev. Finally, Rezaei met with Guliyev. "
             "Anar Guliyev, a businessman, was absent.")


@pytest.mark.parametrize("label", [None, "GPE", "NORP", "ORG", "PERSON"])
def test_surname_of_listed_person_whatever_its_label(rec, nlp, label):
    from spacy.tokens import Span

    doc = nlp(_LIST_DOC)
    later = [t for t in doc if t.text == "Guliyev"][1]
    ents = [e for e in doc.ents if not (e.start <= later.i < e.end)]
    if label:
        ents.append(Span(doc, later.i, later.i + 1, label=label))
    doc.ents = sorted(ents, key=lambda e: e.start)
    da = rec.find(doc)
    first = [m for m in da.mentions if m.actor.text == "Foreign Minister Rashad Guliyev"][0]
    assert first.actor.name == "Rashad Guliyev"
    m = da.at(later.i)
    assert m is not None and m.kind == "person"
    assert (m.actor.name, m.actor.code) == ("Rashad Guliyev", "AZEGOV")
    rezaei = da.at(later.i - 3)
    assert rezaei is not None and rezaei.actor.name == "Ali Rezaei"
    # a longer, different name with the same surname is another person
    anar = [m for m in da.mentions if m.actor.text.startswith("Anar")][0]
    assert anar.actor.name == "Anar Guliyev"


def test_leader_and_generic_titles(rec, nlp):
    _, da = mentions(rec, nlp, (
        "Libyan leader Omar Haddad met Palestinian leader Karim Nasser in Cairo. "
        "Opposition leader Juan Perez, rebel leader Ali Musa and Hamas leader Samir Odeh spoke. "
        "Union leader Maria Lopez met Ghana\u2019s Vice President Kofi Mensah and President-elect Ama Owusu. "
        "Crown Prince Faisal of Jordan and Chancellor Otto Brandt met. The chief said no."
    ))
    code = {m.actor.name: m.actor.code for m in da.mentions if m.kind == "person"}
    assert code["Omar Haddad"] == "LBYGOV"
    assert code["Karim Nasser"] == "PSEGOV"
    assert code["Juan Perez"].endswith("OPP")
    assert code["Ali Musa"].endswith("REB")
    assert code["Samir Odeh"].startswith("PSEREB")
    assert code["Maria Lopez"].endswith("LAB")
    assert code["Kofi Mensah"] == "GHAGOV"
    assert code["Ama Owusu"].endswith("GOV")
    assert by_text(da, "Ghana\u2019s Vice President Kofi Mensah").kind == "person"
    assert by_text(da, "Crown Prince Faisal").actor.sector == "GOV"
    assert by_text(da, "Chancellor Otto Brandt").actor.sector == "GOV"
    assert not [m for m in da.mentions if m.actor.text in ("chief", "The chief")]


def test_titles_tsv_covers_common_titles():
    from detente.actors.lexicon import builtin_lexicon, phrase_tokens

    lex = builtin_lexicon()
    want = {"leader": "GOV", "chief": "GOV", "head": "GOV", "commander": "MIL", "king": "GOV", "queen": "GOV",
            "emir": "GOV", "sheikh": "REL", "prince": "GOV", "crown prince": "GOV", "premier": "GOV",
            "chancellor": "GOV", "president-elect": "GOV", "vice president": "GOV", "deputy": "LEG",
            "spokesman": "GOV", "spokeswoman": "GOV", "spokesperson": "GOV", "envoy": "GOV",
            "ambassador": "GOV", "general secretary": "PTY", "secretary-general": "IGO"}
    for title, sector in want.items():
        e = lex.phrases[phrase_tokens(title)]
        assert e.kind == "title" and e.sector == sector, title


@pytest.mark.parametrize("text,phrase,code", [
    ("Afghan rebel leaders met the envoy.", "Afghan rebel leaders", "AFGREB"),
    ("Moroccan diplomats met the envoy.", "Moroccan diplomats", "MARGOV"),
    ("Police said the Fijian rebels freed the hostages.", "Fijian rebels", "FJIREB"),
    ("The army freed thousands of Iraqi Kurds on Monday.", "thousands of Iraqi Kurds", "IRQCVL"),
    ("Police stopped a group of Syrian refugees at the border.", "a group of Syrian refugees", "SYRREF"),
    ("Hundreds of Turkish protesters marched.", "Hundreds of Turkish protesters", "TUROPP"),
    ("Palestinian youths threw stones.", "Palestinian youths", "PSECVL"),
    ("Nigerian students protested.", "Nigerian students", "NGAEDU"),
    ("Iranian workers went on strike.", "Iranian workers", "IRNLAB"),
    ("Palestinians marched in the city.", "Palestinians", "PSECVL"),
    ("Dozens of Iranians gathered.", "Dozens of Iranians", "IRNCVL"),
])
def test_groups_with_nationality(rec, nlp, text, phrase, code):
    doc, da = mentions(rec, nlp, text)
    m = by_text(da, phrase)
    assert m.actor.code == code
    assert da.at(m.head) is m


def test_pronouns_for_countries_and_organisations(rec, nlp):
    doc, da = mentions(rec, nlp, (
        "Syria has said it will withdraw. The EU said its members agreed. "
        "Turkey welcomed the plan. It said the deal was fair. Ahmet Yilmaz said it was late. "
        "The talks ended. It was raining."
    ))
    pron = [(m.actor.text, m.actor.code) for m in da.mentions if m.kind == "pronoun"]
    assert pron[:3] == [("it", "SYR"), ("its", "IGOEUREEC"), ("It", "TUR")]
    last_it = [t for t in doc if t.lower_ == "it"][-1]
    yilmaz_it = [t for t in doc if t.lower_ == "it"][-2]
    assert da.at(last_it.i) is None  # no country/organisation subject before it
    assert da.at(yilmaz_it.i) is None  # a person is the subject of that sentence


def test_he_she_stay_for_persons(rec, nlp):
    _, da = mentions(rec, nlp, "Egypt's Foreign Minister Sameh Adel said he would visit Iran. Iran said it agreed.")
    he = [m for m in da.mentions if m.actor.text == "he"][0]
    assert he.actor.name == "Sameh Adel"
    it = [m for m in da.mentions if m.actor.text == "it"][0]
    assert it.actor.code == "IRN"


@pytest.mark.slow
def test_its_refers_to_the_owner_not_a_place_after_in():
    from detente.actors import ActorRecognizer
    from detente.nlp import load_nlp

    doc = load_nlp()("Gunmen stormed Norway's embassy in Tehran, killing its head of security.")
    found = ActorRecognizer.load().find(doc, "2024-01-01")
    its = [m for m in found.mentions if doc[m.start].lower_ == "its"]
    assert its and its[0].actor.country == "NOR"


@pytest.mark.parametrize("text,phrase,code", [
    ("Bosnian Serbs shelled the town on Monday.", "Bosnian Serbs", "BIHCVL"),
    ("Croatian Serbs rejected the peace plan.", "Croatian Serbs", "HRVCVL"),
    ("Kosovo Albanians marched in the capital.", "Kosovo Albanians", "XKXCVL"),
    ("Turkish Cypriots rejected the plan.", "Turkish Cypriots", "CYPCVL"),
    ("Ethnic Albanians in eastern Montenegro held a rally.", "Albanians", "MNECVL"),
    ("Palestinians marched in the city.", "Palestinians", "PSECVL"),
])
def test_peoples_live_where_the_adjective_or_place_says(rec, nlp, text, phrase, code):
    _, da = mentions(rec, nlp, text)
    assert by_text(da, phrase).actor.code == code
    assert all(m.actor.country != "SRB" for m in da.mentions if m.actor.text in ("Serbs",))


@pytest.mark.parametrize("text,phrase,code", [
    ("Kurds in Turkey demanded more rights.", "Kurds", "TURCVL"),
    ("The Syrian Druze welcomed the decision.", "Syrian Druze", "SYRCVL"),
    ("Druze inhabitants of the Golan protested against Israel on Sunday.", "Druze inhabitants", "ISRCVL"),
    ("Chechens attacked a convoy.", "Chechens", "RUSCVL"),
    ("Uyghurs protested in Xinjiang.", "Uyghurs", "CHNCVL"),
    ("Shiites and Sunnis clashed in Baghdad.", "Shiites", "IRQREL"),
    ("Hutu militias attacked Tutsi refugees.", "Hutu militias", "REB"),
    ("Tamils fled the fighting.", "Tamils", "CVL"),
    ("Kurds fled the fighting in the hills.", "Kurds", "CVL"),
])
def test_ethnic_groups_take_the_country_the_text_gives(rec, nlp, text, phrase, code):
    _, da = mentions(rec, nlp, text)
    assert by_text(da, phrase).actor.code == code


@pytest.mark.parametrize("text,phrase,code", [
    ("Lt. Gen. John Smith of Britain said the talks failed.", "Lt. Gen. John Smith", "GBRMIL"),
    ("Maj. Gen. Ali Hassan of Egypt met the envoy.", "Maj. Gen. Ali Hassan", "EGYMIL"),
    ("Cardinal Angelo Sodano of Italy met the envoy.", "Cardinal Angelo Sodano", "ITAREL"),
    ("Grand Mufti Ahmed Hassoun of Syria condemned the attack.", "Grand Mufti Ahmed Hassoun", "SYRREL"),
    ("Arab League Secretary-General Amr Moussa condemned the raid.", "Arab League Secretary-General Amr Moussa",
     "IGOARBARL"),
    ("Emergency Relief Coordinator Jan Egeland visited Darfur.", "Emergency Relief Coordinator Jan Egeland",
     "IGOUNO"),
    # a name no dictionary knows (the built-in Phoenix people include real UN officials)
    ("UN High Commissioner for Refugees Keiko Arai visited Rwanda.",
     "UN High Commissioner for Refugees Keiko Arai", "IGOUNOREF"),
    ("Ousted president Jean-Paul Mbeki returned to Haiti on Monday.", "Ousted president Jean-Paul Mbeki", "HTIELI"),
    ("President Dos Santos conceded defeat in Angola.", "President Dos Santos", "AGOGOV"),
])
def test_more_titles(rec, nlp, text, phrase, code):
    _, da = mentions(rec, nlp, text)
    assert by_text(da, phrase).actor.code == code


def test_title_country_prefers_the_same_sentence(rec, nlp):
    _, da = mentions(rec, nlp, "Kenya and Kenya and Kenya held talks. Officials met on Monday. "
                               "President Joao Lourenco conceded defeat in Angola.")
    assert by_text(da, "President Joao Lourenco").actor.country == "AGO"


@pytest.mark.parametrize("text,phrase,code", [
    ("The PRC warned the DPRK.", "The PRC", "CHN"),
    ("The PRC warned the DPRK.", "DPRK", "PRK"),
    ("The Pentagon said it would send ships.", "The Pentagon", "USAMIL"),
    ("The Knesset approved the budget.", "The Knesset", "ISRLEG"),
    ("The Duma approved the treaty.", "The Duma", "RUSLEG"),
    ("The Elysee said the visit was postponed.", "The Elysee", "FRAGOV"),
    ("UNITA rebels attacked the town.", "UNITA rebels", "AGOREB"),
    ("The Tamil Tigers attacked a base.", "Tamil Tigers", "LKAREB"),
    ("Fighters of al Qaeda attacked a base.", "Fighters of al Qaeda", "IMGMUSALQ"),
    ("Al-Shabaab attacked a base.", "Al-Shabaab", "SOMREB"),
    ("The OPCW inspected the site.", "OPCW", "IGOUNOOPC"),
    ("Physicians for Human Rights criticised the army.", "Physicians for Human Rights", "NGOHRIHLH"),
])
def test_more_organisations(rec, nlp, text, phrase, code):
    _, da = mentions(rec, nlp, text)
    assert by_text(da, phrase).actor.code == code


def test_congress_is_american_only_with_us_context(rec, nlp):
    _, da = mentions(rec, nlp, "The United States wants a deal. Congress passed the bill.")
    assert by_text(da, "Congress").actor.code == "USALEG"
    _, da = mentions(rec, nlp, "Peru wants a deal. Congress passed the bill.")
    assert by_text(da, "Congress").actor.code == "LEG"


def test_ethnic_groups_tsv_is_well_formed():
    import re

    from detente.actors.lexicon import DATA_DIR

    for line in (DATA_DIR / "ethnic_groups.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, usual, where, sector = line.split("\t")
        assert names and sector in ("CVL", "REL", "ETH"), line
        assert usual == "" or re.fullmatch(r"[A-Z]{3}", usual), line
        assert all(re.fullmatch(r"[A-Z]{3}", c) for c in where.split("|") if c), line


@pytest.mark.parametrize("text,phrase,code", [
    ("The Kenyan Supreme Court annulled the election.", "Kenyan Supreme Court", "KENJUD"),
    ("Egyptian-led forces entered the town on Monday.", "Egyptian-led forces", "EGYMIL"),
    ("Doctors from three Canadian charities delivered medicine to the town.",
     "Doctors from three Canadian charities", "CANHLT"),
    ("Peru Mining Federation (SNMPE) officials denounced the ruling.",
     "Peru Mining Federation (SNMPE) officials", "PERGOV"),
])
def test_group_country_through_modifiers_parentheses_and_collectives(rec, nlp, text, phrase, code):
    _, da = mentions(rec, nlp, text)
    assert by_text(da, phrase).actor.code == code


def test_their_after_a_people_is_that_people(rec, nlp):
    _, da = mentions(rec, nlp, "Kosovo Albanians said on Monday their fighters had left the village.")
    assert by_text(da, "their fighters").actor.country == by_text(da, "Kosovo Albanians").actor.country


def test_headline_case_does_not_make_verbs_into_first_names(rec, nlp):
    doc, da = mentions(rec, nlp, "Former Envoy Slams Vladimir Putin Over Gas Deal\n\n"
                                 "A former envoy criticised Putin on Monday.")
    putins = [m for m in da.mentions if m.actor.text in ("Vladimir Putin", "Putin")]
    assert len(putins) == 2 and all(m.actor.country == "RUS" for m in putins)
    assert not any(m.actor.name and "Slams" in m.actor.name for m in da.mentions)


def test_a_dictionary_surname_after_another_person_of_that_name_is_that_person(rec, nlp):
    _, da = mentions(rec, nlp, "Ahmed Karim al-Sarraj, a Syrian police chief, resigned in 1961. "
                               "Al-Sarraj was arrested in Damascus.")
    assert [m.actor.name for m in da.mentions if m.kind == "person"] == ["Ahmed Karim al-Sarraj"] * 2
    _, da = mentions(rec, nlp, "Jonathan Trump sued the company. Trump said he would appeal.")
    assert by_text(da, "Trump").actor.name == "Jonathan Trump"
    _, da = mentions(rec, nlp, "Libya's Prime Minister Fayez al-Sarraj met Italian officials. Al-Sarraj said talks "
                               "were useful.")
    assert by_text(da, "Al-Sarraj").actor.country == "LBY"


def test_a_title_after_a_comma_and_a_conjunction_is_someone_elses(rec, nlp):
    _, da = mentions(rec, nlp, "Smith misled officials about his talks with Sergey Ivashin. He met Ivashin, and "
                               "Attorney General Mark Collins said he would step aside.")
    ivanovs = [m for m in da.mentions if m.actor.name == "Sergey Ivashin"]  # in no dictionary
    assert len(ivanovs) == 2 and all(m.actor.sector is None for m in ivanovs)
    assert by_text(da, "Attorney General Mark Collins").actor.sector == "JUD"


def test_a_dictionary_person_is_a_person_even_untagged(rec, nlp):
    _, da = mentions(rec, nlp, "Armenian Prime Minister Nikol Pashinyan met Georgian Prime Minister Irakli "
                               "Kobakhidze. Kobakhidze criticised Azerbaijan. Pashinyan denied that his "
                               "government had pressured the protesters.")
    assert by_text(da, "Pashinyan").kind == "person"
    assert by_text(da, "his government").actor.country == "ARM"


@pytest.mark.parametrize("text, name", [
    ("President Jean Dupont welcomed Ghanaian leader Kofi Asante on Friday.", "Jean Dupont"),
    ("Bishop Samuel Okoro demanded penalties against Nigeria.", "Samuel Okoro"),
])
def test_a_titled_person_does_not_take_another_actors_country(rec, nlp, text, name):
    _, da = mentions(rec, nlp, text)
    m = next(m for m in da.mentions if m.actor.name == name)
    assert m.actor.country is None


@pytest.mark.parametrize("text", [
    "Envoy criticises the UN\n\nCAIRO, March 15. /TASS/. An Egyptian envoy criticised the UN on Monday.",
    "NAIROBI, Nov 20 (Reuters) - Kenyan troops clashed with rebels.",
    "Lima, June 3 (AP) - Peruvian police arrested two men.",
])
def test_a_dateline_is_not_an_actor(rec, nlp, text):
    _, da = mentions(rec, nlp, text)
    assert not [m for m in da.mentions if m.actor.text.lower() in ("cairo", "nairobi", "lima")]


def test_a_singular_titled_group_is_a_person_for_pronouns(rec, nlp):
    _, da = mentions(rec, nlp, "The Iranian foreign minister arrived in Baku. He met officials there.")
    assert by_text(da, "He").actor.code == "IRNGOV"


def test_a_counterpart_is_not_of_its_possessor(rec, nlp):
    _, da = mentions(rec, nlp, "Turkey's foreign minister met his Greek counterpart. Putin met his counterpart.")
    assert by_text(da, "Greek counterpart").actor.country == "GRC"
    assert not [m for m in da.mentions if m.actor.text.endswith("his counterpart") and m.actor.country == "RUS"]


def test_acronym_words_in_capitals_are_no_actors(rec, nlp):
    # a placard set all in capitals: "IS" and "WHO" are the words, not Islamic State or the WHO
    _, da = mentions(rec, nlp, 'The marchers carried a sign reading "WHO IS GOING TO FEED OUR CHILDREN NOW" '
                               "past the town hall.")
    codes = {m.actor.code for m in da.mentions}
    assert "IMGMUSISI" not in codes and "IGOUNOWHO" not in codes, codes
    # the same acronyms in ordinary text stay actors
    _, da = mentions(rec, nlp, "The WHO sent vaccines to the province after IS fighters withdrew from the valley.")
    codes = {m.actor.code for m in da.mentions}
    assert "IGOUNOWHO" in codes and "IMGMUSISI" in codes, codes


def test_countries_in_quoted_words_are_not_the_speakers(rec, nlp):
    # the speaker's words name the countries spoken of; his own comes from the sentences before
    _, da = mentions(rec, nlp, "Chile recalled its envoy for consultations on Monday. "
                               "\"Peru and Bolivia keep provoking us,\" Ambassador Rojas told the council.")
    assert by_text(da, "Ambassador Rojas").actor.country == "CHL"


def test_a_title_to_an_office_takes_the_office_country(rec, nlp):
    _, da = mentions(rec, nlp, "Venezuelan troops crossed into Colombia. "
                               "Later, Joao Mendes, an adviser to the Brazilian president, said Venezuela "
                               "and Colombia should talk.")
    assert by_text(da, "Joao Mendes").actor.country == "BRA"


def test_a_family_name_written_first_is_the_person_without_an_honorific(rec, nlp):
    _, da = mentions(rec, nlp, "Chinese Foreign Ministry spokesman Zhao Lijun met reporters in Beijing. "
                               "Zhao criticised Japan for the drills.")
    assert by_text(da, "Zhao").actor.code == "CHNGOV"


def test_a_pronoun_outside_quotes_is_not_a_person_named_inside_them(rec, nlp):
    _, da = mentions(rec, nlp, "Peruvian Foreign Minister Ana Torres spoke in Lima on Monday. "
                               "\"We reject the demands of Bolivian President Mateo Rojas,\" she said.")
    assert by_text(da, "she").actor.country == "PER"


def test_a_country_name_with_a_media_word_is_a_news_outlet(rec, nlp):
    _, da = mentions(rec, nlp, "However, Peru Radio reported that Chile had closed the border.")
    assert by_text(da, "Peru Radio").actor.code == "PERMED"


def test_a_name_apposed_to_a_definite_office_is_the_office_told_before(rec, nlp):
    _, da = mentions(rec, nlp, "The spokesman for the Chilean navy accused rebels from Bolivia of the raid. "
                               "The spokesman, Rear Admiral Tomas Vidal, wrote that camps in Bolivia "
                               "sheltered the attackers.")
    assert by_text(da, "Admiral Tomas Vidal").actor.country == "CHL"


def test_office_owned_by_whose_is_the_relative_clauses_body(rec, nlp):
    _, da = mentions(rec, nlp, "The Turkish Foreign Ministry, whose spokesman, Hami Aksoy, said it rejected "
                               "the report, criticised Greece.")
    assert by_text(da, "spokesman, Hami Aksoy").actor.code == "TURGOV"
    _, da = mentions(rec, nlp, "The United Nations, whose spokesman, Stephane Dujarric, said it was worried, "
                               "criticised Syria.")
    assert by_text(da, "spokesman, Stephane Dujarric").actor.code == "IGOUNO"


def test_body_ending_a_phrase_before_a_comma_is_no_office(rec, nlp):
    _, da = mentions(rec, nlp, "The Kenyan government sent Jomo Mwangi, a senior diplomat, to Addis Ababa. "
                               "In an interview with Reuters, Mwangi accused Ethiopia of blocking the talks.")
    m = by_text(da, "Mwangi")
    assert m.actor.sector != "MED"
    # a body after an office noun is still the office's
    _, da = mentions(rec, nlp, "The deputy director at Amnesty International, Maria Lopez, said Chad had "
                               "jailed the reporters.")
    m = next(m for m in da.mentions if m.kind == "person")
    assert m.actor.code == "NGOAMN"


def test_body_an_office_is_accredited_to_yields_to_the_owner_country(rec, nlp):
    _, da = mentions(rec, nlp, "Chile's Permanent Representative to the United Nations Pedro Alvarez said "
                               "Bolivia must withdraw its claim.")
    m = next(m for m in da.mentions if m.kind == "person")
    assert m.actor.country == "CHL"


@pytest.mark.parametrize("text,phrase,code", [
    ("Police in Northern Ireland arrested a man in Derry.", "Police in Northern Ireland", "GBRCOP"),
    ("The Northern Ireland Secretary met party leaders in Belfast.", "Northern Ireland Secretary", "GBRGOV"),
    ("Leaders in New England criticised the tariff.", "Leaders in New England", "USAGOV"),
])
def test_regions_named_like_another_country(rec, nlp, text, phrase, code):
    """A region whose name holds another country's name belongs to its own country."""
    _, da = mentions(rec, nlp, text)
    assert by_text(da, phrase).actor.code == code


@pytest.mark.parametrize("name", ["Heraldo Munoz", "Pablo Vera"])
def test_the_bare_office_is_the_person_named_with_it_before(rec, nlp, name):
    # "the minister" after "Chile's foreign minister X": X, whether a dictionary knows X or not
    _, da = mentions(rec, nlp, f"Chile's foreign minister {name} flew to Lima on Monday. "
                               "Peru's president greeted him. The minister later criticised Bolivia.")
    m = by_text(da, "minister")
    assert m.actor.country == "CHL" and m.actor.name == name


@pytest.mark.parametrize("text, who", [
    ("Chile expelled two diplomats. Sen. Ann Cole, D-Del., said Chile had lied.", "Sen. Ann Cole"),
    ("Chile expelled two diplomats. Rep. Tim Ray (R-Texas) criticised Chile.", "Rep. Tim Ray"),
    ("Chile expelled two diplomats. Democratic Sen. Ann Cole criticised Chile.", "Sen. Ann Cole"),
])
def test_a_us_party_tag_makes_a_politician_american(rec, nlp, text, who):
    # the country the text is about is not the senator's: the party letter and state are
    _, da = mentions(rec, nlp, text)
    assert by_text(da, who).actor.country == "USA"


def test_a_party_letter_without_a_us_state_is_no_tag(rec, nlp):
    _, da = mentions(rec, nlp, "Chile expelled two diplomats. Sen. Ann Cole, D-Chile, criticised Peru.")
    assert by_text(da, "Sen. Ann Cole").actor.country != "USA"


def test_an_office_listing_several_portfolios_is_one_title(rec, nlp):
    _, da = mentions(rec, nlp, "Minister for Transport, Tourism and Sport Niamh Daly said the Labour Party "
                               "would back the plan.")
    m = by_text(da, "Minister for Transport, Tourism and Sport Niamh Daly")
    assert m.actor.sector == "GOV"


def test_a_national_party_named_near_an_office_gives_it_its_country(rec, nlp):
    # no country is named: the party's (a dictionary code such as IRLPTY) is the office's
    _, da = mentions(rec, nlp, "Housing Minister Niamh Daly said Fine Gael would back the plan.")
    assert by_text(da, "Minister Niamh Daly").actor.country == "IRL"


def test_an_office_of_a_body_named_before_with_its_country_is_of_that_country(rec, nlp):
    # "Defence Ministry spokesman X" after "the Chilean Defence Ministry": Chile's, not the
    # country the sentence is about
    _, da = mentions(rec, nlp, "The Chilean Defence Ministry described the Peruvian drill as a provocation, "
                               "Defence Ministry spokesman Pablo Vera said on Monday.")
    assert by_text(da, "Defence Ministry spokesman Pablo Vera").actor.country == "CHL"


def test_the_bloc_is_the_international_body_named_before(rec, nlp):
    _, da = mentions(rec, nlp, "Chile's foreign minister met his European Union counterparts in Brussels. "
                               "He said the bloc should open its markets to Chilean fruit.")
    assert by_text(da, "bloc").actor.code.startswith("IGOEUR")
