"""Wires the stages: Document -> parse -> actors / dates / places -> coded events.

The stages and what each needs and provides are declared in :mod:`detente.stages`
(:func:`describe` checks their order; ``detente stages`` prints it).

The :class:`Extractor` holds everything that loads once per process (the spaCy pipeline, the
actor dictionaries, the gazetteer, the lexicon) and is injected wherever events are extracted.
``run`` streams (Document, events) results in input order, on one process or several.

Parsing is selective by default (:mod:`detente.parse`): the full spaCy pipeline runs only on
the sentences that may hold an event or that an event needs for context. ``selective=False``
(or ``DETENTE_PARSE=full`` in the environment) parses every sentence, for comparisons.
"""
from __future__ import annotations

import functools

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from detente.model import Document, Event, Rejected

if TYPE_CHECKING:
    from detente.stages import StageInfo

__all__ = ["Extractor", "Result", "describe", "extract_text", "selective_default"]


def describe() -> "tuple[StageInfo, ...]":
    """The stages of extraction in their order, checked (each stage's needs are provided by
    one before it): :func:`detente.stages.describe` of :data:`detente.stages.STAGES`, the
    table ``detente stages`` prints (docs/stages.md)."""
    from detente.stages import describe as _describe

    return _describe()


def selective_default() -> bool:
    """Whether Extractors parse selectively when not told: the setting ``extract.parse``,
    ``selective`` unless ``DETENTE_PARSE=full``."""
    from detente.settings import current

    return current().extract.parse != "full"

@dataclass(frozen=True)
class Result:
    """One processed document and its events (empty for a non-English document)."""

    document: Document
    events: tuple[Event, ...]


class Extractor:
    """Everything needed to code events, loaded once. Use :meth:`load`."""

    def __init__(self, nlp, recognizer, coder, places=None, parser=None):
        """``nlp`` parses whole texts; ``parser`` (a :class:`detente.parse.SelectiveParser`),
        when given, is used instead."""
        self.nlp = nlp
        self.recognizer = recognizer
        self.coder = coder
        self.places = places
        self.parser = parser

    @classmethod
    def load(cls, actor_files: Sequence[str] = (), geolocate: bool = True,
             selective: bool | None = None, verb_files: Sequence[str] = ()) -> "Extractor":
        """Load the spaCy model, the actor dictionaries (built-in plus ``actor_files``), the
        gazetteer (unless ``geolocate`` is false) and the coding lexicon (built-in, plus the
        rows of the PETRARCH verb dictionaries ``verb_files`` behind its own: see
        :mod:`detente.coding.petrarch_verbs`). ``selective`` (default
        :func:`selective_default`) parses only the sentences that can hold an event."""
        from detente.actors import ActorRecognizer
        from detente.coding.coder import Coder
        from detente.coding.petrarch_verbs import load_lexicon_with
        from detente.nlp import load_nlp

        coding = load_lexicon_with(tuple(verb_files)) if verb_files else None
        nlp = load_nlp()
        recognizer = ActorRecognizer.load(dictionaries=tuple(actor_files))
        places = None
        if geolocate:
            from detente.places import Gazetteer, PlaceResolver

            places = PlaceResolver(Gazetteer.load())
        parser = None
        if selective_default() if selective is None else selective:
            from detente.parse import SelectiveParser

            parser = SelectiveParser(nlp, recognizer.lexicon, coding)
        return cls(nlp, recognizer, Coder(coding), places, parser)

    @property
    def selective(self) -> bool:
        """Whether this Extractor parses selectively."""
        return self.parser is not None

    def parse(self, texts: list[str]) -> Iterator:
        """Parsed Docs of ``texts``, in order (selectively when this Extractor does). The
        parser reads each text's :func:`detente.clean.parse_copy` (scraping artifacts undone,
        the same length): the Docs' offsets are the texts' own, their words may differ."""
        from detente.clean import parse_copy

        texts = [parse_copy(t) for t in texts]
        if self.parser is not None:
            return self.parser.pipe(texts, batch_size=len(texts) or 1)
        return self.nlp.pipe(texts, batch_size=len(texts) or 1)

    def extract(self, doc: Document) -> list[Event]:
        """The events of one cleaned document (none for a non-English one)."""
        if not doc.is_english or not doc.text.strip():
            return []
        return self._code(doc, next(iter(self.parse([doc.text]))), self._titles([doc]).get(id(doc)))

    def _titles(self, docs: list[Document]) -> dict:
        """The parsed titles of the documents that have one, by ``id(doc)``: a headline codes
        no event, the coder only remembers the acts it names (parsed in one batch)."""
        titled = [d for d in docs if d.title and d.title.strip()]
        return dict(zip((id(d) for d in titled), self.nlp.pipe([d.title for d in titled], batch_size=len(titled) or 1)))

    def _code(self, doc: Document, parsed, title=None) -> list[Event]:
        """The stages after the parse, in their declared order (:data:`detente.stages.STAGES`),
        each taking and giving its frozen boundary record."""
        from detente.stages import Parsed, run_actors, run_coding, run_dates, run_places

        p = Parsed(doc, parsed, title)
        return list(run_coding(self.coder, p, run_actors(self.recognizer, p), run_dates(p), run_places(self.places, p)))

    def extract_many(self, docs: Iterable[Document], batch_size: int = 16) -> Iterator[Result | Rejected]:
        """Events of many documents, in input order, parsing in batches. A document whose
        coding fails (a bug, not bad input) comes back as Rejected with the error, and the
        others go on."""
        buf: list[Document] = []
        for doc in docs:
            buf.append(doc)
            if len(buf) >= batch_size:
                yield from self._batch(buf)
                buf = []
        if buf:
            yield from self._batch(buf)

    def _batch(self, docs: list[Document]) -> Iterator[Result | Rejected]:
        todo = [d for d in docs if d.is_english and d.text.strip()]
        try:
            parsed = dict(zip((id(d) for d in todo), self.parse([d.text for d in todo])))
            titles = self._titles(todo)
        except Exception as err:  # noqa: BLE001 - one document broke the batch: each on its own
            if len(docs) > 1:
                for d in docs:
                    yield from self._batch([d])
            else:
                yield _rejected(docs[0], "parsing", err)
            return
        for d in docs:
            p = parsed.get(id(d))
            if p is None:
                yield Result(d, ())
                continue
            try:
                events = tuple(self._code(d, p, titles.get(id(d))))
            except Exception as err:  # noqa: BLE001 - one document's failure must not stop the run
                yield _rejected(d, "coding", err)
                continue
            yield Result(d, events)


@functools.lru_cache(maxsize=1)
def _default_extractor() -> Extractor:
    """The Extractor of ``extract_text`` calls without one, loaded once."""
    return Extractor.load()


def _rejected(doc: Document, stage: str, err: BaseException) -> Rejected:
    """The Rejected of a document whose ``stage`` raised ``err`` (a bug, not bad input)."""
    from detente.errors import one_line

    return Rejected(doc.origin, f"internal error while {stage} ({type(err).__name__}: {one_line(err)})", doc.id)


def extract_text(text: str, date: str | None = None, doc_id: str = "text", extractor: Extractor | None = None) -> list[Event]:
    """Convenience: clean and code one text, with ``extractor`` or else a default Extractor
    loaded on the first call and reused by later ones (one model load per process)."""
    from detente.clean import clean
    from detente.model import RawDocument

    ex = extractor or _default_extractor()
    doc = clean(RawDocument(id=doc_id, text=text, origin="<text>", date=date, date_source="option" if date else "none"))
    return ex.extract(doc)


# ---------------------------------------------------------------- parallel
_WORKER: Extractor | None = None


_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _one_thread_children() -> Iterator[None]:
    """While worker processes start: one BLAS / OpenMP thread each (unless the user set the
    variables), so that N workers on N cores do not each start N threads; read by numpy's
    OpenBLAS when a worker first imports it. The parent's environment is restored after."""
    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    for k in _THREAD_VARS:
        os.environ.setdefault(k, "1")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _init_worker(actor_files: tuple[str, ...], geolocate: bool, selective: bool | None = None,
                 verb_files: tuple[str, ...] = (), factory=None, settings=None) -> None:
    """A worker process's start: the parent's settings, then its Extractor (``factory()``,
    else loaded with the other arguments)."""
    global _WORKER
    if settings is not None:
        from detente.settings import install

        install(settings)
    _WORKER = factory() if factory is not None else Extractor.load(actor_files, geolocate, selective, verb_files)


def _check_picklable(factory) -> None:
    """``factory`` must reach the worker processes: a module-level function, a class method,
    a ``functools.partial`` of them, not a lambda or a local function."""
    import pickle

    try:
        pickle.dumps(factory)
    except Exception as err:  # noqa: BLE001 - pickle raises several kinds
        from detente.errors import UsageError, one_line

        raise UsageError(f"extractor_factory cannot be sent to worker processes ({one_line(err)}); with "
                         "workers > 1 give a picklable one (a module-level function or a functools.partial "
                         "of Extractor.load) or none", code="DTE403") from None


def _work(docs: list[Document]) -> list[tuple[Event, ...] | Rejected]:
    """A worker's share: the events of each document (the parent has the documents; sending
    them back would pickle every text twice), or Rejected."""
    assert _WORKER is not None
    return [r.events if isinstance(r, Result) else r for r in _WORKER.extract_many(docs)]


def run(
    items: Iterable[Document | Rejected],
    extractor_factory=None,
    workers: int = 1,
    actor_files: Sequence[str] = (),
    chunk: int = 16,
    selective: bool | None = None,
    verb_files: Sequence[str] = (),
) -> Iterator[Result | Rejected]:
    """Process documents (passing Rejected through) on ``workers`` processes, in input order.

    ``extractor_factory()`` gives the Extractor: in this process with one worker, in each
    worker process (once) with several; it must then be picklable (a module-level function or
    a ``functools.partial`` of :meth:`Extractor.load`; else a UsageError DTE403 before any
    process starts). Without a factory the Extractor is ``Extractor.load`` with
    ``actor_files``, ``verb_files`` and ``selective`` (default :func:`selective_default`).
    Worker processes use the settings in use here (:func:`detente.settings.current`).
    """
    if workers <= 1:
        ex = extractor_factory() if extractor_factory is not None else Extractor.load(
            actor_files, True, selective, verb_files)
        pending: list[Document] = []
        for it in items:
            if isinstance(it, Rejected):
                yield from ex.extract_many(pending)
                pending = []
                yield it
            else:
                pending.append(it)
                if len(pending) >= chunk:
                    yield from ex.extract_many(pending)
                    pending = []
        yield from ex.extract_many(pending)
        return
    import multiprocessing as mp
    from collections import deque

    from detente.settings import current

    if extractor_factory is not None:
        _check_picklable(extractor_factory)
    ctx = mp.get_context("spawn")
    with _one_thread_children():  # the pool starts its processes here
        pool = ctx.Pool(workers, initializer=_init_worker,
                        initargs=(tuple(actor_files), True, selective, tuple(verb_files), extractor_factory,
                                  current()))
    with pool:
        queue: deque = deque()

        def chunks() -> Iterator[list[Document | Rejected]]:
            buf: list[Document | Rejected] = []
            for it in items:
                buf.append(it)
                if len(buf) >= chunk:
                    yield buf
                    buf = []
            if buf:
                yield buf

        def submit(group: list[Document | Rejected]):
            docs = [d for d in group if isinstance(d, Document)]
            return group, pool.apply_async(_work, (docs,))

        for group in chunks():
            queue.append(submit(group))
            while len(queue) > workers * 2:
                yield from _drain(queue.popleft())
        while queue:
            yield from _drain(queue.popleft())


def _drain(entry) -> Iterator[Result | Rejected]:
    group, fut = entry
    try:
        results = iter(fut.get())
    except Exception as err:  # noqa: BLE001 - the worker's failure (a bug): its documents are rejected
        for it in group:
            yield it if isinstance(it, Rejected) else _rejected(it, "extracting in a worker process", err)
        return
    for it in group:
        if isinstance(it, Rejected):
            yield it
        else:
            out = next(results)  # the events, or a Rejected for a document whose coding failed
            yield out if isinstance(out, Rejected) else Result(it, out)
