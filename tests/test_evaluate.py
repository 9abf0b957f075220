"""Tests for detente.evaluate: gold-file scoring and PLOVER gold-standard scoring."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from detente.errors import InputError
from detente.evaluate import (
    PloverRecord,
    find_gold_text,
    format_gold_report,
    format_plover_report,
    load_gold,
    load_plover_records,
    plover_quad_class,
    score_gold,
    score_plover,
)

SHARED_PLOVER = Path(__file__).resolve().parents[2] / "shared" / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"


def event(sentence, src=None, tgt=None, cameo="042", quad=1, date="2024-05-02", modality="asserted",
          loc=None, confidence=0.9, plover="CONSULT"):
    """An extracted event record shaped like Event.to_dict()."""
    def actor(c):
        return None if c is None else {"text": c, "name": c, "country": c, "sector": None, "code": c}
    return {
        "event_id": "e", "doc_id": "d", "source": actor(src), "target": actor(tgt), "cameo": cameo,
        "plover": plover, "quad_class": quad, "goldstein": 1.0, "date": date, "date_precision": "day",
        "date_basis": "text", "modality": modality, "location": loc,
        "evidence": {"sentence": sentence, "start": 0, "end": len(sentence)}, "confidence": confidence,
    }


GOLD = {
    "doc": "x.txt",
    "boilerplate": "Subscribe to our newsletter today.",
    "min_recall": 1.0,
    "min_precision": 0.75,
    "events": [
        {"id": "visit", "required": True, "sentence": "flew to Oslo", "source_country": "FRA",
         "target_country": "NOR", "cameo_root": ["04"], "quad_class": 1, "date": "2024-05-02",
         "location_country": "NOR", "location_name": "Oslo"},
        {"id": "threat", "required": True, "sentence": "warned Norway", "source_country": "SWE",
         "target_country": "NOR", "cameo_root": ["13"], "quad_class_in": [3, 4], "modality": "asserted"},
        {"id": "extra", "required": False, "sentence": "flew to Oslo", "either_direction": True,
         "source_country": "FRA", "target_country": "NOR", "cameo_root": ["04"]},
    ],
}

OSLO = "The French minister flew to Oslo on Thursday."
WARN = "Sweden warned Norway about the fishing quota."
OSLO_LOC = {"name": "Oslo", "country": "NOR", "lat": 59.9, "lon": 10.7, "geonameid": None}


def passing_events():
    return [event(OSLO, "FRA", "NOR", loc=OSLO_LOC),
            event(WARN, "SWE", "NOR", cameo="130", quad=3, plover="THREATEN")]


# ------------------------------------------------------------------------------ gold files

def test_passing_set():
    r = score_gold(GOLD, passing_events())
    assert (r.events, r.recall, r.precision, r.passed) == (2, 1.0, 1.0, True)
    assert r.lines[:3] == ("ok   required visit", "ok   required threat", "--   optional extra")
    assert r.doc == "x.txt" and r.leaks == 0 and r.malformed == 0
    assert format_gold_report(r).splitlines()[-1].endswith("PASS")


def test_missing_required_event_fails():
    r = score_gold(GOLD, passing_events()[:1])
    assert r.recall == 0.5 and r.precision == 1.0 and not r.passed
    assert "MISS required threat" in r.lines
    assert format_gold_report(r).endswith("FAIL")


def test_constraints_are_checked():
    # wrong location name (visit), quad class outside quad_class_in (threat): both missed
    r = score_gold(GOLD, [event(OSLO, "FRA", "NOR", loc={**OSLO_LOC, "name": "Bergen"}),
                          event(WARN, "SWE", "NOR", cameo="130", quad=2)])
    assert r.recall == 0.0 and not r.passed  # "extra" takes the Oslo event (no location constraint)
    assert "ok   optional extra" in r.lines and "MISS required visit" in r.lines
    assert any(line.startswith("unmatched: SWE->NOR cameo=130") for line in r.lines)
    assert r.precision == 0.5


def test_either_direction():
    gold = {"events": [{"id": "meet", "required": True, "sentence": "met", "either_direction": True,
                        "source_country": "FRA", "target_country": "NOR"}]}
    swapped = [event("Støre met Macron.", "NOR", "FRA")]
    assert score_gold(gold, swapped).recall == 1.0
    one_way = {"events": [{**gold["events"][0], "either_direction": False}]}
    r = score_gold(one_way, swapped)
    assert r.recall == 0.0 and r.precision == 0.0 and not r.passed


def test_date_not():
    gold = {"events": [{"id": "old", "required": True, "sentence": "had demanded",
                        "date_not": ["2024-05", "2024-04-30"]}]}
    assert score_gold(gold, [event("Oslo had demanded it.", date="2024-05-02")]).recall == 0.0
    assert score_gold(gold, [event("Oslo had demanded it.", date="2024-04-30")]).recall == 0.0
    assert score_gold(gold, [event("Oslo had demanded it.", date="2021")]).recall == 1.0
    assert score_gold(gold, [event("Oslo had demanded it.", date=None)]).recall == 1.0


def test_boilerplate_leak_fails():
    events = passing_events() + [event("Please subscribe  to our Newsletter today.", "FRA", "NOR")]
    r = score_gold(GOLD, events)
    assert r.recall == 1.0 and r.leaks == 1 and not r.passed
    assert r.precision == pytest.approx(2 / 3)  # the leak also matches no gold event
    assert "boilerplate events 1" in format_gold_report(r)


def test_event_matched_to_optional_entry_counts_as_correct():
    events = passing_events() + [event(OSLO, "NOR", "FRA")]  # the reverse direction of the visit
    r = score_gold(GOLD, events)
    assert r.events == 3 and r.precision == 1.0 and r.passed
    assert "ok   optional extra" in r.lines
    # a fourth event matching nothing lowers precision below the 0.75 floor
    r = score_gold(GOLD, events + [event(WARN, "NOR", "SWE", cameo="010")])
    assert r.precision == 0.75 and r.passed
    r = score_gold(GOLD, events + [event(WARN, "NOR", "SWE", cameo="010")] * 2)
    assert r.precision == 0.6 and not r.passed


def test_required_first_maximum_matching():
    gold = {"events": [
        {"id": "opt", "required": False, "sentence": "met"},
        {"id": "a", "required": True, "sentence": "met"},
        {"id": "b", "required": True, "sentence": "met", "source_country": "FRA"},
    ]}
    # one event fits all three: a required entry gets it, not the optional one listed first
    r = score_gold(gold, [event("Macron met Støre.", "FRA", "NOR")])
    assert r.lines[0] == "--   optional opt" and r.lines[1] == "ok   required a"
    # two events: "a" first grabs the FRA event, then gives it up to "b" (augmenting path)
    r = score_gold(gold, [event("Macron met Støre.", "FRA", "NOR"), event("Støre met Macron.", "NOR", "FRA")])
    assert r.recall == 1.0 and r.precision == 1.0


def test_malformed_event_fails():
    bad = event(WARN, "SWE", "NOR", cameo="99")
    del bad["confidence"]
    r = score_gold(GOLD, passing_events() + [bad])
    assert r.malformed == 1 and r.events == 2 and not r.passed
    assert r.lines[0].startswith("event 3: missing confidence; bad cameo '99'")


def test_bad_gold_dict():
    with pytest.raises(InputError):
        score_gold({"doc": "x"}, [])
    with pytest.raises(InputError):
        score_gold({"events": [{"id": "no sentence"}]}, [])


def test_find_gold_text(tmp_path):
    (tmp_path / "a.txt").write_text("date 2024-05-02\nText.", encoding="utf-8")
    gold = tmp_path / "a.gold.json"
    gold.write_text(json.dumps({"doc": "a.txt", "events": []}), encoding="utf-8")
    assert find_gold_text(str(gold)) == str(tmp_path / "a.txt")
    assert load_gold(str(gold))["doc"] == "a.txt"
    gold.write_text(json.dumps({"doc": "missing.txt", "events": []}), encoding="utf-8")
    with pytest.raises(InputError):
        find_gold_text(str(gold))
    gold.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError):
        find_gold_text(str(gold))
    with pytest.raises(InputError):
        find_gold_text(str(tmp_path / "nope.gold.json"))


# ------------------------------------------------------------------------------ PLOVER

RECORDS = [
    {"id": "DOC-0001", "event": "DOCUMENT", "eventText": "documentation", "version": "0.5b1"},
    {"id": "R-A", "date": "2000-01-01", "event": "AGREE", "text": "The US and Russia agreed in Geneva.",
     "source": [{"actorText": "US", "code": "USAGOV", "sector": "GOV"}],
     "target": [{"actorText": "Russia", "code": "RUS"}],
     "eventLoc": {"name": "Geneva", "country code": "CH"}},
    {"id": "R-B", "date": "2000-01-01", "event": "DEMAND", "text": "The UN demanded that Israel withdraw.",
     "source": [{"actorText": "UN", "code": "IGOUNO", "sector": "IGO"}],
     "target": [{"actorText": "Israel", "code": "ISR", "sector": "GOV"}]},
    {"id": "R-C", "date": "2000-01-01", "event": "FIGHT", "text": "Iraqi and US troops clashed in Basra.",
     "source": [{"actorText": "Iraqi", "code": "IRQMIL"}, {"actorText": "US", "code": "USA"}],
     "target": "", "eventLoc": {"name": "Basra"}},
    {"id": "R-D", "event": "DISAPPROVE", "text": "Tokyo criticised the plan in Iran.",
     "source": [{"actorText": "Tokyo", "code": "JAP", "sector": "GOV"}], "target": None,
     "eventLoc": {"name": "Iran"}},
    {"id": "R-E", "date": "2000-01-01", "event": "COMMENT", "text": "Nothing happened.", "source": None,
     "target": None},
]


def fake_extract(calls):
    def ev(plover, quad, src=None, tgt=None, loc=None, confidence=0.5):
        e = event("s", src, tgt, quad=quad, loc=loc, confidence=confidence, plover=plover)
        return e

    table = {
        "R-A": [ev("REJECT", 3, "USA", "RUS", confidence=0.4),
                ev("AGREE", 1, "USA", "RUS", {"name": "Geneva", "country": "CHE"}, confidence=0.8)],
        "R-B": [ev("REQUEST", 3, None, "PSE", confidence=0.7), ev("ACCUSE", 3, None, "ISR", confidence=0.7)],
        "R-C": [ev("COERCE", 4, "USA", "IRQ", {"name": "Basra", "country": "IRQ"})],
        "R-D": [],
    }

    def extract(record):
        calls.append(record.id)
        return table[record.id]
    return extract


@pytest.fixture()
def records(tmp_path):
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return load_plover_records(str(path))


def test_load_plover_records(records):
    assert [r.id for r in records] == ["R-A", "R-B", "R-C", "R-D", "R-E"]
    by_id = {r.id: r for r in records}
    assert isinstance(by_id["R-A"], PloverRecord)
    # old names mapped, quad class from the type (old names: from their CAMEO root)
    assert [(r.plover, r.quad_class) for r in records] == [
        ("AGREE", 1), ("REQUEST", 3), ("ASSAULT", 4), ("ACCUSE", 3), (None, None)]
    assert by_id["R-A"].source_countries == {"USA"} and by_id["R-A"].target_countries == {"RUS"}
    assert by_id["R-B"].source_countries == frozenset()  # IGO: no country
    assert by_id["R-C"].source_countries == {"IRQ", "USA"} and by_id["R-C"].target_countries == frozenset()
    assert by_id["R-D"].source_countries == {"JPN"} and by_id["R-D"].date is None
    assert (by_id["R-A"].location_name, by_id["R-A"].location_country) == ("Geneva", "CHE")
    assert (by_id["R-C"].location_name, by_id["R-C"].location_country) == ("Basra", None)
    assert (by_id["R-D"].location_name, by_id["R-D"].location_country) == ("Iran", "IRN")
    assert by_id["R-B"].location_name is None and by_id["R-A"].date == "2000-01-01"


def test_score_plover(records):
    calls: list[str] = []
    r = score_plover(records, fake_extract(calls))
    assert calls == ["R-A", "R-B", "R-C", "R-D"]  # the untyped record is not run
    assert (r.records, r.with_event, r.no_event) == (5, 4, 1)
    assert r.type_accuracy == 0.5          # A, B (tie: first) right; C wrong, D no event
    assert r.quad_accuracy == 0.75         # A, B, C
    assert r.source_accuracy == pytest.approx(2 / 3) and r.source_scored == 3   # B (IGO) left out
    assert r.target_accuracy == 0.5 and r.target_scored == 2    # A right, B wrong (PSE); C, D left out
    assert r.location_country_accuracy == 0.5 and r.location_country_scored == 2
    assert r.location_name_accuracy == pytest.approx(2 / 3) and r.location_name_scored == 3
    assert r.confusion == {("AGREE", "AGREE"): 1, ("REQUEST", "REQUEST"): 1,
                           ("ASSAULT", "COERCE"): 1, ("ACCUSE", "(none)"): 1}
    text = format_plover_report(r)
    assert "ASSAULT -> COERCE" in text and "ACCUSE -> (none)" in text and "AGREE -> AGREE" not in text


def test_score_plover_progress_and_empty(records):
    r = score_plover(records, lambda rec: [], progress=True)
    assert r.no_event == 4 and r.type_accuracy == 0.0
    empty = score_plover([], lambda rec: [])
    assert empty.records == 0 and empty.type_accuracy == 0.0 and empty.location_name_accuracy is None
    assert "n/a" in format_plover_report(empty)


def test_plover_quad_class():
    assert plover_quad_class("AGREE") == 1
    assert plover_quad_class("aid") == 2
    assert plover_quad_class("REJECT") == 3
    assert plover_quad_class("ASSAULT") == 4
    assert plover_quad_class("REQUEST") == 1  # 28 codes quad 1 (02), 28 quad 3 (10): first wins
    assert plover_quad_class("DEMAND") == 3 and plover_quad_class("FIGHT") == 4
    assert plover_quad_class("NOTATYPE") is None and plover_quad_class("") is None


def test_load_plover_records_bad_input(tmp_path):
    with pytest.raises(InputError):
        load_plover_records(str(tmp_path / "missing.txt"))
    (tmp_path / "obj.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError):
        load_plover_records(str(tmp_path / "obj.json"))


@pytest.mark.skipif(not SHARED_PLOVER.exists(), reason="shared PLOVER file absent")
def test_real_plover_file():
    records = load_plover_records(str(SHARED_PLOVER))
    assert len(records) == 322                      # 323 entries minus the DOCUMENT record
    assert all(r.text for r in records)
    types = Counter(r.plover for r in records)
    assert None not in types and len(types) == 16   # old names all mapped into the 16
    assert types["REQUEST"] == 34 and types["ACCUSE"] == 25 and types["ASSAULT"] == 32
    assert all(r.quad_class in (1, 2, 3, 4) for r in records)
    assert sum(1 for r in records if r.location_name) == 48
    assert 4 <= sum(1 for r in records if r.location_country) <= 48
    assert sum(1 for r in records if r.source_countries) > 250
