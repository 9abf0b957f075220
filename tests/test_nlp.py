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


def test_the_networks_multiply_with_numpy_and_the_lemma_index_is_sets(pipelines):
    fast, plain = pipelines
    for name in ("tok2vec", "parser", "ner", "senter"):
        ops = {type(n.ops).__name__ + ("" if getattr(n.ops, "use_blis", True) else "-numpy")
               for n in fast.get_pipe(name).model.walk()}
        assert ops == {"NumpyOps-numpy"}, name
        assert all(getattr(n.ops, "use_blis", True) for n in plain.get_pipe(name).model.walk())
    index = fast.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(v, frozenset) for v in index.values())
    assert "meet" in index["verb"] and "talk" in index["noun"]


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_the_plain_pipeline(pipelines, text):
    from detente.nlp import mark_paragraphs

    fast, plain = pipelines
    for _ in range(2):  # the second time from the caches
        # the plain pipeline given the same paragraph boundaries (our own extra pipe)
        assert _ann(fast(text)) == _ann(plain(mark_paragraphs(plain.make_doc(text))))


def test_a_blank_line_starts_a_sentence_and_a_single_line_break_does_not(pipelines):
    fast, _ = pipelines
    doc = fast("Envoy visits Baku amid row\n\nThe Iranian envoy met Azerbaijan's president on Monday in Baku.")
    assert [s.text.strip() for s in doc.sents] == [
        "Envoy visits Baku amid row", "The Iranian envoy met Azerbaijan's president on Monday in Baku."]
    doc = fast("The Iranian envoy met Azerbaijan's\npresident on Monday in Baku.")
    assert len(list(doc.sents)) == 1
