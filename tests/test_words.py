"""Word classes (detente.words): one loader, validated at load."""
from __future__ import annotations

from importlib import resources

import pytest

from detente.errors import DictionaryError
from detente.words import read_word_class


def _write(tmp_path, text):
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_comments_and_notes(tmp_path):
    path = _write(tmp_path, "# a comment\n\nharbour\tnote after a tab\ncanal\n")
    assert read_word_class(path) == frozenset({"harbour", "canal"})


@pytest.mark.parametrize("text, message", [
    ("quay\nwharf\nquay\n", "line 3: 'quay' is already on line 1"),
    ("quay\nDock\n", "line 2: entries are lower case"),
    ("quay\ndry dock\n", "line 2: 'dry dock' has several words"),
])
def test_bad_entries_are_errors_naming_the_line(tmp_path, text, message):
    with pytest.raises(DictionaryError, match=message):
        read_word_class(_write(tmp_path, text))


def test_phrase_classes_may_hold_several_words(tmp_path):
    assert "dry dock" in read_word_class(_write(tmp_path, "dry dock\nquay\n"), single=False)
    with pytest.raises(DictionaryError, match="no word class file"):
        read_word_class(tmp_path / "missing.txt")


@pytest.mark.parametrize("folder, single, lower", [("places", True, True), ("coding", False, False)])
def test_every_shipped_class_is_valid(folder, single, lower):
    files = sorted(p for p in resources.files("detente").joinpath("data", folder).iterdir() if p.name.endswith(".txt"))
    assert files
    for p in files:
        # scan_stop is matched against whole lower-cased names, some of several words
        words = read_word_class(p, single=single and p.name != "scan_stop.txt", lower=lower)
        assert words, p.name
