"""The selective parse: the full pipeline on the sentences that can hold an event only."""
from __future__ import annotations

import pytest

from detente.model import Document

ARTICLE = (
    "The weather in the north was mild for the season. "
    "Iranian Foreign Minister Ali Rezaei met his Azerbaijani counterpart in Baku on Monday. "
    "The two discussed trade and the reopening of the border crossing. "
    "Rezaei later accused Armenia of violating the ceasefire. "
    "The river flooded a few fields. "
    "Cafes along the promenade were full of tourists."
)


@pytest.fixture(scope="module")
def extractor():
    from detente.pipeline import Extractor

    return Extractor.load(selective=True)


@pytest.fixture(scope="module")
def parser(extractor):
    return extractor.parser


def _sents(doc):
    return [s.text.strip() for s in doc.sents]


def test_reassembled_doc_has_the_original_text_and_token_offsets(parser):
    full = parser.nlp(ARTICLE)
    doc = parser(ARTICLE)
    assert doc.text == ARTICLE
    assert [(t.idx, t.text, t.whitespace_) for t in doc] == [(t.idx, t.text, t.whitespace_) for t in full]


def test_sentences_without_actor_candidates_are_skipped(parser):
    doc = parser(ARTICLE)
    by_text = {s.text.strip(): s for s in doc.sents}
    weather = by_text["The weather in the north was mild for the season."]
    cafes = by_text["Cafes along the promenade were full of tourists."]
    for s in (weather, cafes):
        assert all(t.pos_ == "" and t.dep_ == "" and t.tag_ == "" for t in s)
    assert not [e for e in doc.ents if e.start < weather.end or e.start >= cafes.start]
    met = next(s for s in doc.sents if "Rezaei met" in s.text)
    assert all(t.dep_ for t in met)


def test_skipped_sentences_keep_their_own_boundaries(parser):
    doc = parser(ARTICLE)
    assert _sents(doc) == _sents(parser.nlp(ARTICLE))


def test_a_candidate_sentence_gets_the_same_parse_as_in_the_full_pipeline(parser):
    full = parser.nlp(ARTICLE)
    doc = parser(ARTICLE)
    met = next(s for s in doc.sents if "Rezaei met" in s.text)

    def ann(t):
        return (t.text, t.tag_, t.pos_, t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)

    assert [ann(t) for t in doc[met.start:met.end]] == [ann(t) for t in full[met.start:met.end]]


def test_the_test_decides_per_sentence(parser):
    doc = parser.senter(parser.nlp.make_doc(ARTICLE))
    assert parser.needed(doc) == [False, True, True, True, False, False]


def test_context_sentences_are_parsed(parser):
    # "He" needs the titled person two sentences back; the date sets the narrative date
    text = ("Foreign Minister Ali Rezaei arrived on 3 March. "
            "The weather in the hills was mild for the season. "
            "He then met Armenian officials.")
    doc = parser.senter(parser.nlp.make_doc(text))
    assert parser.needed(doc) == [True, False, True]
    text2 = "It rained on 3 March 2021. The weather in the hills was mild for the season. Rezaei met Armenian officials."
    doc2 = parser.senter(parser.nlp.make_doc(text2))
    assert parser.needed(doc2) == [True, False, True]


def test_the_extractor_gives_the_same_events_with_the_selective_parse(extractor):
    from detente.pipeline import Extractor

    full = Extractor(extractor.nlp, extractor.recognizer, extractor.coder, extractor.places, None)
    doc = Document(id="t", text=ARTICLE, origin="t", content_hash="t", language="en", date="2024-05-08")
    a = [e.to_dict() if hasattr(e, "to_dict") else e for e in full.extract(doc)]
    b = [e.to_dict() if hasattr(e, "to_dict") else e for e in extractor.extract(doc)]
    assert a and a == b
    assert [r.events for r in extractor.extract_many([doc])] == [tuple(extractor.extract(doc))]


def test_the_switch_to_the_full_parse(monkeypatch):
    from detente.pipeline import selective_default

    monkeypatch.setenv("DETENTE_PARSE", "full")
    assert selective_default() is False
    monkeypatch.delenv("DETENTE_PARSE")
    assert selective_default() is True


def test_empty_and_whitespace_texts(parser):
    assert [d.text for d in parser.pipe(["", "  ", "Iran met Iraq."])] == ["", "  ", "Iran met Iraq."]
    assert parser.stats.documents >= 3


def test_a_text_with_nothing_to_parse_has_a_usable_tree(parser):
    # tokenizer special cases ("That's", "'") must not leave broken tree fields behind
    text = "That's what the page says, 'really'. The weather in the hills was mild for the season."
    doc = parser(text)
    assert not doc.has_annotation("DEP")
    for s in doc.sents:
        assert s.root.i == s.start
        assert all(t.left_edge.i == t.i == t.right_edge.i and not list(t.children) for t in s)


def test_a_blank_line_ends_a_sentence_in_the_selective_parse(parser):
    doc = parser("Envoy visits Baku amid row\n\nThe Iranian envoy met Azerbaijan's president on Monday in Baku.")
    assert _sents(doc) == ["Envoy visits Baku amid row", "The Iranian envoy met Azerbaijan's president on Monday in Baku."]


def test_the_coder_reads_only_the_parsed_sentences_and_codes_them_as_a_full_parse_would(extractor):
    from detente.when import Timeline

    class Recording(Timeline):
        def __init__(self, date):
            super().__init__(date)
            self.read = []

        def sentence(self, sent):
            self.read.append(sent.text.strip())
            return super().sentence(sent)

    doc = extractor.parser(ARTICLE)
    actors = extractor.recognizer.find(doc, "2024-03-05")
    timeline = Recording("2024-03-05")
    events = extractor.coder.code("d", ARTICLE, doc, actors, timeline, extractor.places.document(doc))
    assert "The weather in the north was mild for the season." not in timeline.read
    assert "Cafes along the promenade were full of tourists." not in timeline.read
    assert any(s.startswith("Iranian Foreign Minister") for s in timeline.read)
    full = extractor.nlp(ARTICLE)
    expected = extractor.coder.code("d", ARTICLE, full, extractor.recognizer.find(full, "2024-03-05"),
                                    Timeline("2024-03-05"), extractor.places.document(full))
    assert [e.to_dict() for e in events] == [e.to_dict() for e in expected]
    assert {e.cameo[:2] for e in events} >= {"04", "11"}
