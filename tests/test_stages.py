"""Declared stages (issue 13, item 3): each stage says what it needs and provides, an order is
checked (a broken one is a coded error), ``detente stages`` prints it, the selective parser
asks the stages' own tests and imports no stage's private names, and the stages meet at
frozen records."""
from __future__ import annotations

import ast
import dataclasses
import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente import stages
from detente.errors import UsageError
from detente.stages import STAGES, StageInfo, describe, table

ROOT = Path(__file__).resolve().parents[1]


def _stage(name: str) -> StageInfo:
    return next(s for s in STAGES if s.name == name)


def _resolve(dotted: str):
    """The object a dotted name (``module.attr`` or ``module.Class.method``) names."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


# ------------------------------------------------------------------ the registry
def test_the_declared_order_holds_and_names_the_stages_of_extraction():
    order = describe()
    assert order == STAGES
    names = [s.name for s in order]
    for name in ("clean", "parse", "actors", "dates", "places", "coding", "resolution"):
        assert name in names
    # each stage needs only what a stage before it provides
    provided: set[str] = set()
    for s in order:
        assert set(s.needs) <= provided, s.name
        provided |= set(s.provides)
    # actor resolution comes after places and the coder's frames; the events after it
    assert names.index("places") < names.index("resolution") < names.index("events")
    assert names.index("coding") < names.index("resolution")


def test_every_stage_is_a_frozen_record_whose_run_and_parse_test_exist():
    for s in STAGES:
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.name = "x"  # type: ignore[misc]
        assert callable(_resolve(s.run)), s.run
        assert s.summary and s.takes and s.gives
        if s.parse_test:
            test = _resolve(s.parse_test)
            assert callable(test.needs) and test.stage == s.name
    # the stages that read the parse of a sentence ask for it; the parse itself asks nothing
    assert {s.name for s in STAGES if s.parse_test} == {"actors", "dates", "coding"}


def test_a_stage_before_what_it_needs_is_a_coded_error_naming_it():
    names = {s.name: s for s in STAGES}
    broken = [names["ingest"], names["clean"], names["actors"], names["parse"]]
    with pytest.raises(UsageError) as info:
        describe(broken)
    err = info.value
    assert err.error_code == "DTE430"
    msg = str(err)
    assert msg.startswith("stage actors needs ") and "doc.ents" in msg and "mentions" not in msg
    assert "before it: ingest, clean" in msg and len(msg.splitlines()) == 1
    # resolution before the coder's frames
    order = [s for s in STAGES if s.name != "coding"]
    with pytest.raises(UsageError, match=r"stage resolution needs frames") as info:
        describe(order)
    assert info.value.error_code == "DTE430"
    # and a stage of one's own that needs something nobody provides
    extra = StageInfo("translate", ("doc.language", "glossary"), ("doc.text",), "Document", "Document",
                      "detente.clean.clean", "", "a stage of one's own")
    with pytest.raises(UsageError, match=r"stage translate needs glossary, which no stage"):
        describe([*STAGES[:2], extra])
    assert describe([*STAGES[:2], dataclasses.replace(extra, needs=("doc.language",))])[-1] is not None


def test_a_stage_twice_is_refused():
    with pytest.raises(UsageError, match="stage clean appears twice") as info:
        describe([STAGES[0], STAGES[1], STAGES[1]])
    assert info.value.error_code == "DTE430"


def test_the_table_lists_each_stage_with_its_needs_and_provides():
    lines = table().splitlines()
    assert lines[0].split()[:3] == ["stage", "needs", "provides"]
    rows = lines[2:]
    assert [r.split()[0] for r in rows] == [s.name for s in STAGES]
    resolution = next(r for r in rows if r.startswith("resolution"))
    assert "frames, mentions, times, places" in resolution and "sides" in resolution
    actors = next(r for r in rows if r.startswith("actors"))
    assert "doc.parse" in actors and "ActorNeeds" in actors  # the parse's annotations, shortened
    with pytest.raises(UsageError):
        table([STAGES[3]])


# ------------------------------------------------------------------ the command
def test_detente_stages_prints_the_checked_table_and_json(monkeypatch):
    from detente.cli import cli

    r = CliRunner().invoke(cli, ["stages"])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == table()
    r = CliRunner().invoke(cli, ["stages", "--format", "json"])
    assert r.exit_code == 0
    got = json.loads(r.output)
    assert [g["name"] for g in got] == [s.name for s in STAGES]
    assert got[3]["needs"] == list(_stage("actors").needs)
    r = CliRunner().invoke(cli, ["stages", "--help"])
    assert r.exit_code == 0 and "needs" in r.output and "provides" in r.output
    # an order that does not hold: exit 2, one line with the reason
    monkeypatch.setattr(stages, "STAGES", (STAGES[0], STAGES[3]))
    r = CliRunner().invoke(cli, ["stages"])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [r.output.strip()]
    assert "stage actors needs" in r.output


def test_pipeline_describe_is_the_checked_registry(monkeypatch):
    from detente import pipeline

    assert pipeline.describe() == STAGES
    monkeypatch.setattr(stages, "STAGES", (STAGES[1],))
    with pytest.raises(UsageError, match="stage clean needs raw.text"):
        pipeline.describe()


# ------------------------------------------------------------------ the selective parser
def test_the_parser_imports_no_private_name_of_another_module():
    tree = ast.parse((ROOT / "src" / "detente" / "parse.py").read_text(encoding="utf-8"))
    private = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("detente"):
            private += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []
    # and keeps no copy of a stage's word lists or look-back
    names = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign) for t in node.targets
             if isinstance(t, ast.Name)}
    assert not names & {"_LOOK_BACK", "_PAIR_WORDS", "_DATE_WORDS", "_PERSON_PRONOUNS", "_THING_PRONOUNS"}


def _sent(k: int, person=False, pron=False, pred=False):
    from detente.parse import ActorSigns, EventSigns, _Sent

    return _Sent(k * 10, k * 10 + 8, ActorSigns(person, person, frozenset(), 0, pron, False),
                 EventSigns(pred, False), False)


def test_the_parser_looks_back_as_far_as_the_actor_stage_does(monkeypatch):
    from detente import parse
    from detente.actors import recognize

    assert parse.PRONOUN_LOOK_BACK is recognize.PRONOUN_LOOK_BACK
    n = recognize.PRONOUN_LOOK_BACK

    def decide(gap: int) -> bool:
        # a titled person, unrelated sentences, then "he" with an event verb
        sents = [_sent(0, person=True)] + [_sent(k) for k in range(1, gap)] + [_sent(gap, pron=True, pred=True)]
        return parse._decide(sents)[0]

    assert decide(n) and not decide(n + 1)
    monkeypatch.setattr(parse, "PRONOUN_LOOK_BACK", n + 1)  # the one constant decides
    assert decide(n + 1)


def test_the_date_stage_finds_the_expressions_the_parser_asks_about():
    from detente.when import DATE_WORDS, expression_starts

    text = "The envoys met on 5 May 2024. Nothing else happened. Talks resume next week."
    assert [text[i:i + 5] for i in expression_starts(text)] == ["5 May", "next "]
    assert {"may", "monday", "yesterday"} <= DATE_WORDS and "week" not in DATE_WORDS


@pytest.mark.slow
def test_each_stage_test_answers_for_its_stage(ex):
    from detente.parse import ActorNeeds, DateNeeds, EventNeeds, Tokens, _bounds

    parser = ex.parser
    assert parser is not None
    assert [t.stage for t in parser.tests] == [s.name for s in STAGES if s.parse_test]
    assert [type(t) for t in parser.tests] == [ActorNeeds, DateNeeds, EventNeeds]
    text = ("Officials of France met envoys of Chad on Monday. The weather was mild. "
            "The two discussed trade. He said nothing.")
    doc = parser.senter(parser.nlp.make_doc(text))
    tokens = Tokens.of(doc, _bounds(doc), text)
    assert len(tokens.bounds) == 4
    actors = parser.actors.needs(tokens)
    assert [a.actor for a in actors] == [True, False, False, False]
    assert actors[3].person_pron and not actors[0].person_pron
    assert parser.dates.needs(tokens) == [True, False, False, False]
    events = parser.events.needs(tokens)
    assert [e.pred for e in events][:3] == [True, False, True] and events[2].pair


# ------------------------------------------------------------------ the boundaries
@pytest.mark.slow
def test_the_stages_meet_at_frozen_records_and_give_the_extractors_events(ex):
    from detente.clean import clean
    from detente.model import RawDocument
    from detente.stages import Parsed, run_actors, run_coding, run_dates, run_places

    raw = RawDocument(id="t", text="Kenya recalled its ambassador from Uganda on Sunday after a border clash.",
                      origin="<t>", date="2024-06-05", date_source="option")
    doc = clean(raw)
    parsed = Parsed(doc, next(iter(ex.parse([doc.text]))))
    actors, dates, places = run_actors(ex.recognizer, parsed), run_dates(parsed), run_places(ex.places, parsed)
    for record in (parsed, actors, dates, places):
        assert dataclasses.is_dataclass(record)
        field = dataclasses.fields(record)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, None)
    assert {m.actor.country for m in actors.mentions} >= {"KEN", "UGA"}
    events = run_coding(ex.coder, parsed, actors, dates, places)
    assert isinstance(events, tuple)
    assert [e.to_dict() for e in events] == [e.to_dict() for e in ex.extract(doc)]
    assert [(e.source.country, e.cameo, e.target.country) for e in events] == [("KEN", "161", "UGA")]


# ------------------------------------------------------------------ the documentation
def test_the_docs_page_shows_the_registry_and_its_examples_run():
    import doctest

    from detente.stages import _short

    page = ROOT / "docs" / "stages.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    start = lines.index("| stage | needs | provides | takes -> gives | run by | parse test |")
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows.append((cells[0], cells[1], cells[2], cells[4].strip("`"), cells[5].strip("`")))
    assert rows == [(s.name, ", ".join(_short(s.needs)) or "-", ", ".join(_short(s.provides)) or "-", s.run,
                     s.parse_test.rsplit(".", 1)[-1] or "-") for s in STAGES]
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0
    module = doctest.testmod(stages, optionflags=doctest.ELLIPSIS)  # the module docstring's example
    assert module.attempted >= 3 and module.failed == 0
