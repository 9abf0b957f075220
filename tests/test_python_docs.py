"""The examples of docs/python.md run as doctests, and every event the seed article gives is
valid against shared/spec/event.schema.json."""
from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.mark.slow
def test_python_api_page_runs():
    result = doctest.testfile(str(ROOT / "docs" / "python.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 20
    assert result.failed == 0


def test_package_exports_resolve():
    import detente

    for name in detente.__all__:
        assert getattr(detente, name) is not None, name
    assert callable(detente.relations.relations) and callable(detente.relations.dyads)
    assert callable(detente.dedup.rebuild) and detente.Result.__name__ == "Result"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "spec" / "event.schema.json").exists(), reason="needs ../shared")
def test_seed_events_are_valid_against_the_schema(ex):
    import jsonschema

    from detente.ingest import iter_documents

    schema = json.loads((SHARED / "spec" / "event.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    (doc,) = list(iter_documents([str(SHARED / "seed" / "000_1b80b91a42aea12f.txt")]))
    events = ex.extract(doc)
    assert len(events) >= 10
    for e in events:
        errors = sorted(validator.iter_errors(json.loads(json.dumps(e.to_dict()))), key=str)
        assert not errors, (e.event_id, [err.message for err in errors])
