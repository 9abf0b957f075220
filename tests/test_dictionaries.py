"""Actor dictionary formats: detection, parsing, date-limited codes, errors."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from detente.actors.dictionaries import (
    Period,
    detect_format,
    parse_date,
    read_dictionary,
    split_code,
)
from detente.actors.lexicon import dictionary_items, load_lexicon, phrase_tokens
from detente.errors import DictionaryError

PHOENIX = Path(__file__).resolve().parents[2] / "shared" / "data" / "petrarch" / "phoenix"

ACTORS = """\
# a comment
FREEDONIA_  [FRO]
+FREEDONIAN_
+REPUBLIC_OF_FREEDONIA   # trailing comment

RUFUS_T._FIREFLY_
+FIREFLY_
+PRESIDENT_FIREFLY
\t[FROGOV 19330101-19451231]
\t[FROELI 200101-321231]
\t[FROELI]
SYLVANIA [SYC]
TRENTINO
+AMBASSADOR_TRENTINO
\t[SYCGOV 19300101-19331231]
U.N.
UNITED_NATIONS [IGOUNO]
NOBODY [---]
"""

AGENTS = """\
!PERSON! = MAN, WOMAN
POLICE {} [~COP]
CHAMBER_OF_COMMERCE {CHAMBERS_OF_COMMERCE} [~BUS]
SPOKES!PERSON! [~GOV]
RELIEF_AGENCY [NGO~]
MINISTRY [~GOV] # a comment
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "cache"))


def test_detect_formats(tmp_path):
    assert detect_format(write(tmp_path, "a.txt", ACTORS)) == "petrarch-actors"
    assert detect_format(write(tmp_path, "b.txt", AGENTS)) == "petrarch-agents"
    assert detect_format(write(tmp_path, "c.csv", "name,country,sector,code,synonyms,from,until\nX,IRN,GOV,,,,\n")) == "csv"
    assert detect_format(write(tmp_path, "d.txt", "- name: X\n  code: IRNGOV\n")) == "yaml"
    with pytest.raises(DictionaryError):
        detect_format(write(tmp_path, "e.txt", "just some words\n"))


def test_petrarch_actors():
    from detente.actors.dictionaries import parse_petrarch_actors

    es = {e.phrases[0]: e for e in parse_petrarch_actors(ACTORS, "x")}
    fre = es["FREEDONIA"]
    assert fre.code == "FRO" and "FREEDONIAN" in fre.phrases and "REPUBLIC OF FREEDONIA" in fre.phrases
    fly = es["RUFUS T. FIREFLY"]
    assert fly.code == "FROELI"
    assert Period("FROGOV", "1933-01-01", "1945-12-31") in fly.periods
    assert Period("FROELI", "2020-01-01", "2032-12-31") in fly.periods  # YYMMDD: years < 50 are 20xx
    assert es["TRENTINO"].code is None and es["TRENTINO"].periods[0].start == "1930-01-01"
    # a phrase without a code joins the next coded entry
    assert es["U.N."].code == "IGOUNO" and "UNITED NATIONS" in es["U.N."].phrases
    assert "NOBODY" not in es


def test_petrarch_agents():
    from detente.actors.dictionaries import parse_petrarch_agents

    es = parse_petrarch_agents(AGENTS, "x")
    phrases = {p: e for e in es for p in e.phrases}
    assert "POLICES" not in phrases and phrases["POLICE"].sector == "COP"
    assert "CHAMBERS OF COMMERCE" in phrases
    assert {"SPOKESMAN", "SPOKESWOMAN", "SPOKESMEN"} <= set(phrases)
    assert phrases["MINISTRIES"].code == "~GOV"
    assert phrases["RELIEF AGENCY"].code == "NGO~" and phrases["RELIEF AGENCY"].sector == "NGO"


def test_csv_and_yaml(tmp_path):
    csv_path = write(tmp_path, "people.csv", (
        "name,country,sector,code,synonyms,from,until\n"
        "Jane Roe,FRO,GOV,,Roe|J. Roe,,\n"
        "Jane Roe,FRO,OPP,FROOPP,,2001-01-01,2004-12-31\n"
    ))
    fmt, es = read_dictionary(csv_path)
    assert fmt == "csv" and len(es) == 1
    e = es[0]
    assert e.code == "FROGOV" and e.phrases == ["Jane Roe", "Roe", "J. Roe"]
    assert e.periods == [Period("FROOPP", "2001-01-01", "2004-12-31")]
    yaml_path = write(tmp_path, "people.yaml", (
        "- name: John Doe\n"
        "  code: SYCGOV\n"
        "  synonyms: [Doe, President Doe]\n"
        "  periods:\n"
        "    - {code: SYCREB, from: 1990-01-01, until: 1999-12-31}\n"
        "- name: Acme Relief\n"
        "  sector: NGO\n"
    ))
    fmt, es = read_dictionary(yaml_path)
    assert fmt == "yaml"
    assert es[0].phrases == ["John Doe", "Doe", "President Doe"] and es[0].code == "SYCGOV"
    assert es[0].periods[0] == Period("SYCREB", "1990-01-01", "1999-12-31")
    assert es[1].code == "NGO"


def test_date_limited_resolution(tmp_path):
    items = dict(dictionary_items(write(tmp_path, "a.txt", ACTORS)))
    fly = items[phrase_tokens("Rufus T. Firefly")]
    assert fly.code_at("1935-06-01") == "FROGOV"
    assert fly.code_at("2025-03-01") == "FROELI"
    assert fly.code_at("1910") == "FROELI"  # no period applies: the default
    assert fly.code_at(None) == "FROELI"
    tre = items[phrase_tokens("Trentino")]
    assert tre.code_at("1932-01") == "SYCGOV" and tre.kind == "actor"


def test_parse_date():
    assert parse_date("080508", "x") == "2008-05-08"
    assert parse_date("700101", "x") == "1970-01-01"
    assert parse_date("19930120", "x") == "1993-01-20"
    assert parse_date("2001-01-20", "x") == "2001-01-20"
    with pytest.raises(DictionaryError):
        parse_date("2001/01/20", "x")


def test_split_code():
    assert split_code("RUSGOV") == ("RUS", "GOV")
    assert split_code("IRN") == ("IRN", None)
    assert split_code("IGOUNO") == (None, "IGO")
    assert split_code("COP") == (None, "COP")


@pytest.mark.parametrize("name,text,line", [
    ("syn.txt", "# c\n+ORPHAN_SYNONYM\nX [FRO]\n", 2),
    ("code.txt", "\t[FRO]\nX [FRO]\n", 1),
    ("bracket.txt", "X [FRO]\nY [FROGOV\n", 2),
    ("date.txt", "X [FRO]\nY [FROGOV >2001xx]\n", 2),
    ("nocode.txt", "X [FRO]\nY [950601-990815]\n", 2),
    ("rows.csv", "name,country,sector,code,synonyms,from,until\nA,FRO,GOV,,,,\nB,FRO,GOV,,,,,,,\n", 3),
    ("dates.csv", "name,country,sector,code,synonyms,from,until\nA,FRO,GOV,,,01/02/2003,\n", 2),
    ("list.yaml", "name: not a list\n", 1),
    ("entry.yaml", "- name: A\n  code: FRO\n- synonyms: [B]\n", 3),
])
def test_malformed_files_name_file_and_line(tmp_path, name, text, line):
    p = write(tmp_path, name, text)
    with pytest.raises(DictionaryError) as err:
        load_lexicon([p])
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"{p}:{line}:"), msg


def test_missing_file(tmp_path):
    with pytest.raises(DictionaryError, match="no such dictionary"):
        load_lexicon([tmp_path / "absent.txt"])


def test_user_dictionary_overrides_and_cache(tmp_path):
    p = write(tmp_path, "a.txt", ACTORS)
    lex = load_lexicon([p])
    assert lex.phrases[phrase_tokens("Freedonian")].country == "FRO"
    assert lex.match(["the", "united", "nations"], 1)[1].code == "IGOUNO"
    assert any((tmp_path / "cache").glob("actors-dict-*.pickle"))
    # the cache follows the file: a change is seen
    time.sleep(0.01)
    p.write_text(ACTORS.replace("[FRO]", "[FRA]"), encoding="utf-8")
    os.utime(p, None)
    lex = load_lexicon([p])
    assert lex.phrases[phrase_tokens("Freedonian")].code == "FRA"


@pytest.mark.slow
@pytest.mark.skipif(not (PHOENIX / "Phoenix.Countries.actors.txt").exists(), reason="Phoenix dictionaries absent")
def test_phoenix_dictionaries_load_fast(tmp_path):
    files = [PHOENIX / f for f in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                                   "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt")]
    t0 = time.perf_counter()
    load_lexicon(files)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    lex = load_lexicon(files)
    cached = time.perf_counter() - t0
    assert cached < 5, cached
    assert cold < 60, cold
    putin = lex.phrases[phrase_tokens("Vladimir Putin")]
    assert putin.code_at("2010-01-01") == "RUSGOV" and putin.code_at("1995-01-01") == "RUSELI"
    assert lex.phrases[phrase_tokens("Afghanistan")].country == "AFG"
    assert lex.phrases[phrase_tokens("police")].sector == "COP"
    assert len(lex) > 30000
