"""The built-in dictionary of prominent people (data/actors/people.csv)."""
from __future__ import annotations

import pytest

from detente.actors.dictionaries import read_dictionary, split_code
from detente.actors.lexicon import DATA_DIR, phrase_tokens

PEOPLE = DATA_DIR / "people.csv"


def test_people_csv_is_well_formed():
    fmt, entries = read_dictionary(PEOPLE)
    assert fmt == "csv" and len(entries) >= 300
    owner: dict[tuple[str, ...], str] = {}
    for e in entries:
        codes = [e.code] + [p.code for p in e.periods]
        assert all(codes), e.name
        for c in codes:
            country, sector = split_code(c)
            assert country or sector in ("IGO", "IMG"), (e.name, c)
        for p in e.periods:
            assert p.start is None or p.end is None or p.start <= p.end, (e.name, p)
        starts = sorted((p.start or "", p.end or "9999") for p in e.periods)
        for (_, end), (start, _) in zip(starts, starts[1:]):
            assert end <= start or end == start, (e.name, starts)  # at most one day shared
        for phrase in e.phrases:
            toks = phrase_tokens(phrase)
            assert owner.setdefault(toks, e.name) == e.name, f"{phrase!r}: {owner[toks]} and {e.name}"
    for ambiguous in ("kim", "lee", "khan", "sharif", "castro", "singh", "gandhi", "sanchez", "bhutto"):
        assert (ambiguous,) not in owner, ambiguous



def codes(rec, nlp, text, date):
    da = rec.find(nlp(text), date)
    return {m.actor.text: m.actor.code for m in da.mentions}


@pytest.mark.slow
def test_leaders_without_a_nationality_word(rec, nlp):
    got = codes(rec, nlp, "Putin met Erdogan in Sochi on Monday.", "2023-05-01")
    assert got["Putin"] == "RUSGOV" and got["Erdogan"] == "TURGOV"
    got = codes(rec, nlp, "Merkel spoke with Macron by phone.", "2018-06-01")
    assert got["Merkel"] == "DEUGOV" and got["Macron"] == "FRAGOV"
    got = codes(rec, nlp, "President Donald Trump said the tariffs would stay.", "2025-03-01")
    assert got["President Donald Trump"] == "USAGOV"


@pytest.mark.slow
@pytest.mark.parametrize("date,code", [("2019-06-01", "USAGOV"), ("2022-06-01", "USAELI"),
                                       ("2016-06-01", "USAELI"), ("2025-06-01", "USAGOV")])
def test_date_limited_codes(rec, nlp, date, code):
    assert codes(rec, nlp, "Trump criticised the Fed.", date)["Trump"] == code


@pytest.mark.slow
def test_resolve_at_another_date(rec, nlp):
    da = rec.find(nlp("Netanyahu rejected the proposal."), "2020-01-01")
    m = da.mentions[0]
    assert m.actor.code == "ISRGOV"
    assert da.resolve(m, "2022-06-01").code == "ISROPP"


@pytest.mark.slow
def test_organisation_heads_have_igo_codes(rec, nlp):
    got = codes(rec, nlp, "Guterres and Tedros called for a ceasefire.", "2024-01-10")
    assert got["Guterres"] == "IGOUNO" and got["Tedros"] == "IGOUNOWHO"
    assert codes(rec, nlp, "Guterres visited Lisbon.", "1998-01-10")["Guterres"] == "PRTGOV"


@pytest.mark.slow
def test_ambiguous_surnames_and_other_people_stay_unresolved(rec, nlp):
    da = rec.find(nlp("Kim met Lee in Seoul."), "2024-01-01")
    assert not any(m.actor.country for m in da.mentions if m.actor.text in ("Kim", "Lee"))
    # a longer name ending in a listed surname is another person
    da = rec.find(nlp("Presidential aide Elnur Aliyev met Aliyev."), "2024-01-01")
    assert [m.actor.text for m in da.mentions if m.actor.code == "AZEGOV" and m.kind == "person"] == ["Aliyev"]
    da = rec.find(nlp("Hunter Biden was charged on Monday."), "2023-06-01")
    assert not any(m.actor.code for m in da.mentions)


@pytest.mark.slow
def test_two_leaders_joined_by_and_stay_two(rec, nlp):
    got = codes(rec, nlp, "Ursula von der Leyen and Mohammed bin Salman met in Riyadh.", "2024-01-01")
    assert got["Ursula von der Leyen"] == "IGOEUREEC"
    assert got["Mohammed bin Salman"] == "SAUGOV"


@pytest.mark.slow
def test_user_dictionary_overrides_the_built_in_people(nlp, tmp_path, monkeypatch):
    from detente.actors import ActorRecognizer

    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "cache"))
    d = tmp_path / "mine.csv"
    d.write_text("name,country,sector,code,synonyms,from,until\nVladimir Putin,RUS,ELI,,Putin,,\n", encoding="utf-8")
    rec = ActorRecognizer.load([str(d)])
    assert codes(rec, nlp, "Putin spoke on Monday.", "2023-05-01")["Putin"] == "RUSELI"


@pytest.mark.slow
def test_a_title_in_the_text_outranks_a_dated_elite_code():
    from detente.actors import ActorRecognizer
    from detente.nlp import load_nlp

    # Trump was out of office in 2022: ELI by the dictionary, but "President" in the text wins
    doc = load_nlp()("US President Donald Trump met German officials.")
    m = ActorRecognizer.load().find(doc, "2022-06-01").mentions[0]
    assert m.actor.code == "USAGOV"
    doc = load_nlp()("Former President Donald Trump met German officials.")
    m = ActorRecognizer.load().find(doc, "2022-06-01").mentions[0]
    assert m.actor.code != "USAGOV"
