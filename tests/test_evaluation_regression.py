"""Regression guards on the project's evaluation sets in ../shared (skipped where absent):
the seed article must pass its gold file, and the PLOVER figures must not fall below the
level recorded in docs/evaluation.md. The rules themselves are tested on our own sentences."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_1b80b91a42aea12f.gold.json"
PLOVER = SHARED / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
DETENTE = str(Path(sys.executable).parent / "detente")

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed not present")
def test_seed_article_passes_its_gold_file():
    r = subprocess.run([DETENTE, "eval", str(SEED)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PASS" in r.stdout


@pytest.mark.skipif(not PLOVER.exists(), reason="../shared/data/plover not present")
def test_plover_figures_do_not_regress():
    from detente.evaluate import load_plover_records, score_plover
    from detente.model import Document
    from detente.pipeline import Extractor

    ex = Extractor.load()

    def run(rec):
        doc = Document(id=rec.id, text=rec.text, origin="plover", content_hash="-", language="en")
        return [e.to_dict() for e in ex.extract(doc)]

    rep = score_plover(load_plover_records(str(PLOVER)), run)
    floor = json.loads((Path(__file__).parent / "evaluation_floor.json").read_text())
    assert rep.type_accuracy >= floor["type_accuracy"]
    assert rep.quad_accuracy >= floor["quad_accuracy"]
    assert rep.source_accuracy >= floor["source_accuracy"]
    assert rep.target_accuracy >= floor["target_accuracy"]
    assert (rep.location_country_accuracy or 0) >= floor["location_country_accuracy"]
    assert (rep.location_name_accuracy or 0) >= floor["location_name_accuracy"]
