"""The pipeline wiring: order, batching, and a coding failure that must not stop a run."""
from __future__ import annotations

import pytest

from detente.model import Document, Rejected
from detente.pipeline import Extractor, Result, run


def doc(i: int, text: str = "Japan met China.") -> Document:
    return Document(id=f"d{i}", text=text, origin=f"o{i}", content_hash=str(i), language="en")


class FakeNLP:
    def pipe(self, texts, batch_size=1):
        return iter(list(texts))


class Boom(Extractor):
    def __init__(self):
        super().__init__(FakeNLP(), None, None)

    def _code(self, d, parsed, title=None):
        if "boom" in parsed:
            raise ValueError("boom")
        return []


def test_a_document_whose_coding_fails_is_rejected_and_the_run_goes_on():
    docs = [doc(1), doc(2, "boom"), doc(3)]
    out = list(Boom().extract_many(docs, batch_size=2))
    assert [type(o) for o in out] == [Result, Rejected, Result]
    assert "ValueError: boom" in out[1].reason and out[1].doc_id == "d2"


def test_run_keeps_input_order_and_passes_rejected_through():
    items = [doc(1), Rejected("bad.txt", "empty file"), doc(2), doc(3)]
    out = list(run(iter(items), lambda: Boom(), workers=1, chunk=2))
    assert [o.document.id if isinstance(o, Result) else o.origin for o in out] == ["d1", "bad.txt", "d2", "d3"]


def test_non_english_documents_get_no_events():
    d = Document(id="fr", text="Le gouvernement a annoncé.", origin="x", content_hash="h", language="fr")
    assert list(Boom().extract_many([d])) == [Result(d, ())]


def test_worker_processes_start_with_one_blas_thread_and_the_parent_keeps_its_environment(monkeypatch):
    import os

    from detente.pipeline import _one_thread_children

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own setting wins
    with _one_thread_children():
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        assert os.environ["OMP_NUM_THREADS"] == "3"
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    assert os.environ["OMP_NUM_THREADS"] == "3"


@pytest.mark.slow
def test_two_worker_processes_give_the_events_of_one_in_input_order():
    from detente.pipeline import Extractor

    texts = [
        "Iranian Foreign Minister Ali Rezaei met his Azerbaijani counterpart in Baku on Monday.",
        "Protesters threw stones at police in Tbilisi on Sunday.",
        "Nothing happened here.",
        "Russia accused Ukraine of shelling a dam. Turkey offered to mediate between them.",
        "The European Union imposed sanctions on Belarus.",
    ]
    docs = [Document(id=f"w{i}", text=t, origin=f"o{i}", content_hash=f"h{i}", language="en",
                     date="2024-03-05") for i, t in enumerate(texts)]
    items = [docs[0], Rejected("bad.txt", "empty file"), *docs[1:]]
    ex = Extractor.load()
    one = list(run(iter(items), lambda: ex, workers=1, chunk=2))
    two = list(run(iter(items), workers=2, chunk=2))  # no factory: each worker loads Extractor.load()

    def key(out):
        return [(o.document.id, tuple((e.source.code if e.source else None, e.cameo, e.target.code if e.target else None)
                                      for e in o.events)) if isinstance(o, Result) else o.origin for o in out]

    assert key(two) == key(one)
    assert [k if isinstance(k, str) else k[0] for k in key(one)] == ["w0", "bad.txt", "w1", "w2", "w3", "w4"]
    assert sum(len(o.events) for o in one if isinstance(o, Result)) >= 4
