"""The public API: explicit, and cheap to import."""
import subprocess
import sys

import detente


def test_everything_in_all_is_reachable():
    for name in detente.__all__:
        assert getattr(detente, name) is not None, name


def test_import_loads_no_model():
    code = "import sys, detente; print('spacy' in sys.modules, 'duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
