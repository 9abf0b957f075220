"""The Phoenix actor dictionaries built into the lexicon, and the armed groups of
armed_groups.tsv: spellings and acronyms, dated roles, what is filtered out, ours winning."""
from __future__ import annotations

import pytest

from detente.actors.lexicon import (
    DATA_DIR,
    PHOENIX_DIR,
    PHOENIX_FILES,
    builtin_lexicon,
    phrase_tokens,
)


@pytest.fixture(scope="module")
def lex(tmp_path_factory):
    """The built-in lexicon, built afresh in a temporary cache (not the user's)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DETENTE_CACHE", str(tmp_path_factory.mktemp("phoenix-cache")))
    mp.delenv("DETENTE_PHOENIX", raising=False)
    try:
        yield builtin_lexicon()
    finally:
        mp.undo()


def entry(lex, phrase):
    e = lex.phrases.get(phrase_tokens(phrase))
    assert e is not None, f"{phrase!r} not in the lexicon"
    return e


def test_phoenix_files_shipped_with_licence():
    for name in PHOENIX_FILES:
        assert (PHOENIX_DIR / name).is_file()
    assert "MIT License" in (PHOENIX_DIR / "LICENSE").read_text(encoding="utf-8")


def test_phoenix_person_dated_roles(lex):
    # only in Phoenix (not in our people.csv): Afghan president 1992-1996, a party leader before
    ours = (DATA_DIR / "people.csv").read_text(encoding="utf-8")
    assert "Rabbani" not in ours
    e = entry(lex, "Burhanuddin Rabbani")
    assert e.country == "AFG"
    assert e.code_at("1994-05-01") == "AFGGOV"
    assert e.code_at("1985-05-01") == "AFGELI"


def test_two_digit_years_of_the_1900s(lex):
    # Phoenix writes "471001" for 1 October 1947: a date after the files' last edit is not 2047
    for _toks, e in list(lex.phrases.items()):
        for p in e.periods:
            assert not (p.start and p.start[:4] > "2016" and p.end and p.end < p.start), (e.name, p)


def test_phoenix_organisations_and_firms(lex):
    assert entry(lex, "Samsung").code == "KORBUS" and entry(lex, "Samsung").country == "KOR"
    assert entry(lex, "Burhanuddin Rabbani").name == "Burhanuddin Rabbani"


@pytest.mark.parametrize("word", ["zero", "lightning", "tigers", "guardian", "murray", "amal", "hassan"])
def test_common_words_and_given_names_filtered(lex, word):
    # Phoenix lists these as armed groups, media, a country synonym or a prince: not here,
    # or (a short word) only when written in capitals, as an acronym
    e = lex.phrases.get((word,))
    assert e is None or (len(word) <= 5 and e.case == "upper")


@pytest.mark.slow
def test_short_dictionary_words_are_acronyms_in_capitals(rec, nlp):
    # the English word list holds "fbi" and "cia" (proper nouns, lower-cased): written in
    # capitals they are the agencies, in lower case nothing
    acts = found(rec, nlp, "The FBI and the CIA questioned two Canadian diplomats in Ottawa.")
    assert acts["FBI"].code == "USACOP" and acts["CIA"].code == "USASPY"
    acts = found(rec, nlp, "Zero tigers escaped, and the zoo reported no losses.")
    assert not any(a.code and a.code.endswith("REB") for a in acts.values()), acts


@pytest.mark.parametrize("phrase", ["Ana Maria", "Luiz Sergio", "Peter David", "Miguel Jorge"])
def test_phrases_of_given_names_only_filtered(lex, phrase):
    # each is a whole Phoenix entry (a minister) made only of words Phoenix uses as first names
    assert phrase_tokens(phrase) not in lex.phrases


@pytest.mark.parametrize("phrase", ["Burhanuddin Rabbani", "Ana Palacio", "Louis Michel", "John Howard"])
def test_names_with_a_surname_kept(lex, phrase):
    # a surname ("Palacio"), or a word Phoenix often ends names with ("Michel", "Howard"), stays
    assert phrase_tokens(phrase) in lex.phrases


def test_ours_win(lex):
    e = entry(lex, "Islamic State")
    assert (e.code, e.name) == ("IMGMUSISI", "Islamic State")
    # Phoenix's "THE ISLAMIC STATE" (dated, another name) must not shadow ours
    assert lex.phrases.get(("the", "islamic", "state")) is None
    assert entry(lex, "Hezbollah").name == "Hezbollah"


@pytest.mark.parametrize("phrase,code", [
    ("ISIS", "IMGMUSISI"), ("Isis", "IMGMUSISI"), ("IS", "IMGMUSISI"), ("ISIL", "IMGMUSISI"),
    ("Daesh", "IMGMUSISI"), ("ISWAP", "IMGMUSISI"), ("Nato", "IGOWSTNAT"), ("NATO", "IGOWSTNAT"),
    ("al-Qaeda", "IMGMUSALQ"),
])
def test_acronyms_and_spellings(lex, phrase, code):
    assert entry(lex, phrase).code == code


@pytest.mark.parametrize("phrase,country", [
    ("SDF", "SYR"), ("Syrian Democratic Forces", "SYR"), ("YPG", "SYR"), ("YPJ", "SYR"),
    ("PKK", "TUR"), ("HTS", "SYR"), ("Hayat Tahrir al-Sham", "SYR"), ("Jabhat al-Nusra", "SYR"),
    ("Nusra Front", "SYR"), ("Free Syrian Army", "SYR"), ("Houthis", "YEM"), ("Ansar Allah", "YEM"),
    ("al-Shabab", "SOM"), ("RSF", "SDN"), ("Rapid Support Forces", "SDN"), ("Wagner Group", "RUS"),
    ("Taliban", "AFG"), ("Boko Haram", "NGA"), ("Hamas", "PSE"), ("Hezbollah", "LBN"),
    ("Hizbollah", "LBN"), ("Hizballah", "LBN"), ("M23", "COD"),
])
def test_armed_groups_have_their_country(lex, phrase, country):
    from detente.actors.dictionaries import split_code

    assert split_code(entry(lex, phrase).code)[0] == country


def test_armed_groups_file_has_sources():
    rows = [ln.split("\t") for ln in (DATA_DIR / "armed_groups.tsv").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    assert rows
    for row in rows:
        assert len(row) == 5 and row[4].strip(), row


def test_phoenix_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path))
    monkeypatch.setenv("DETENTE_PHOENIX", "0")
    lex = builtin_lexicon()
    assert phrase_tokens("Burhanuddin Rabbani") not in lex.phrases
    assert lex.phrases.get(phrase_tokens("SDF")).code == "SYRREB"


def test_cached_lexicon_same_entries(lex, tmp_path, monkeypatch):
    """The cache keeps entries packed until looked up: the same entries come back."""
    import pickle

    copy = pickle.loads(pickle.dumps(lex))
    for phrase in ("Burhanuddin Rabbani", "Samsung", "SDF", "foreign minister", "Germany"):
        assert copy.phrases.get(phrase_tokens(phrase)) == lex.phrases.get(phrase_tokens(phrase))
    assert copy.first == lex.first and copy.titles == lex.titles and len(copy) == len(lex)


# ---------------------------------------------------------------- in sentences (spaCy model)


def found(rec, nlp, text, date=None):
    """Actors by mention text, a leading "The" dropped."""
    return {m.actor.text.removeprefix("The "): m.actor for m in rec.find(nlp(text), date).mentions}


@pytest.mark.slow
def test_spellings_give_one_code_in_text(rec, nlp):
    a = found(rec, nlp, "Hizbollah fighters crossed the ridge at dawn.")
    b = found(rec, nlp, "Hezbollah fighters crossed the ridge at dawn.")
    assert a["Hizbollah fighters"].code == b["Hezbollah fighters"].code == "LBNREB"
    c = found(rec, nlp, "Isis gunmen stormed a checkpoint, and Daesh later claimed it.")
    assert c["Isis gunmen"].code == c["Daesh"].code == "IMGMUSISI"
    d = found(rec, nlp, "Nato envoys gathered on Monday to discuss the drills.")
    assert d["Nato envoys"].code == "IGOWSTNAT"


@pytest.mark.slow
def test_rebels_of_one_country_in_text(rec, nlp):
    a = found(rec, nlp, "The SDF said its units had pushed back an assault by HTS east of the river.")
    assert a["SDF"].country == "SYR" and a["HTS"].country == "SYR"
    b = found(rec, nlp, "The Rapid Support Forces shelled a market on the edge of the city.")
    assert b["Rapid Support Forces"].country == "SDN"


@pytest.mark.slow
def test_phoenix_person_in_text_by_date(rec, nlp):
    text = "Burhanuddin Rabbani received a delegation of elders on Sunday."
    assert found(rec, nlp, text, "1994-05-01")["Burhanuddin Rabbani"].code == "AFGGOV"
    assert found(rec, nlp, text, "1985-05-01")["Burhanuddin Rabbani"].code == "AFGELI"


@pytest.mark.slow
def test_common_words_make_no_actor(rec, nlp):
    acts = found(rec, nlp, "Lightning hit the old tower, and zero tigers escaped from the zoo.")
    assert not any(a.code and a.code.endswith("REB") for a in acts.values()), acts


@pytest.mark.slow
def test_given_names_make_no_phoenix_actor(rec, nlp):
    acts = found(rec, nlp, "Ana Maria Quintero, a nurse from Valencia, opened a clinic for migrants on Tuesday.")
    assert not any(a.code and a.code.startswith("ESPGOV") for a in acts.values()), acts


@pytest.mark.parametrize("phrase,code", [
    ("Fine Gael", "IRLPTY"), ("Sinn Fein", "IRLPTY"), ("SNP", "GBRPTY"), ("Tories", "GBRPTY"),
    ("AfD", "DEUPTY"), ("Likud", "ISRPTY"), ("BJP", "INDPTY"), ("Kuomintang", "TWNPTY"),
    ("Mossad", "ISRSPY"), ("Gardai", "IRLCOP"), ("Workers' Party of Korea", "PRKGOV"),
])
def test_parties_and_services_have_their_country(lex, phrase, code):
    assert entry(lex, phrase).code == code


def test_parties_file_has_sources():
    rows = [ln.split("\t") for ln in (DATA_DIR / "parties.tsv").read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    assert rows and all(len(r) == 5 and r[4].startswith("Wikipedia: ") for r in rows)


@pytest.mark.slow
def test_parties_and_parliaments_in_text(rec, nlp):
    acts = found(rec, nlp, "Fianna Fail walked out of the Dail after the Taoiseach refused to answer, and the SNP backed them.")
    assert acts["Fianna Fail"].code == "IRLPTY" and acts["SNP"].code == "GBRPTY"
    assert acts["Dail"].code == "IRLLEG" and acts["Taoiseach"].code == "IRLGOV"
