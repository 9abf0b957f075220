"""The loaded pipeline: its faster attribute ruler and lemmatizer annotate exactly like spaCy's."""
from __future__ import annotations

import pytest

TEXTS = [
    "Iranian Foreign Minister Ali Rezaei met his Azerbaijani counterpart in Baku on Monday.",
    "I ain't gonna let's go, gotta leave. He 's  there \n\n and she wanna   leave.",
    "The ministers were meeting, had met and will meet again; talks are better than wars.",
    "Protesters threw stones at police, who fired tear gas and arrested 23 people in Tbilisi.",
    "Children's rights, women's groups and the leaders' statements were read aloud at 3 p.m.",
]


@pytest.fixture(scope="module")
def pipelines():
    from detente.nlp import load_nlp, load_plain_nlp

    return load_nlp(), load_plain_nlp()


def _ann(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
            for t in doc]


def test_the_fast_pipes_are_installed(pipelines):
    fast, plain = pipelines
    assert type(fast.get_pipe("attribute_ruler")).__name__ == "FastAttributeRuler"
    assert type(fast.get_pipe("lemmatizer")).__name__ == "CachedEnglishLemmatizer"
    assert type(plain.get_pipe("lemmatizer")).__name__ == "EnglishLemmatizer"


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_the_plain_pipeline(pipelines, text):
    fast, plain = pipelines
    for _ in range(2):  # the second time from the caches
        assert _ann(fast(text)) == _ann(plain(text))
