"""Benchmark: end-to-end extraction against a plain spaCy full parse of the same texts.

usage: python bench/extract.py [CORPUS] [--limit N] [--workers N] [--full-parse] [--skip-spacy] [--no-places]

CORPUS defaults to the demo news corpus (fetched into .cache/ like `make demo`). Prints
articles/s, words/s and peak memory (RSS) for detente's extraction (ingest + clean + parse +
actors + dates + places + coding) and for spaCy's full pipeline on the same cleaned texts, and
their ratio. detente parses selectively unless ``--full-parse``; the spaCy baseline is the
plain pipeline as spaCy ships it (all sentences, stock attribute ruler and lemmatizer), then
the same with numpy's matrix products (as detente's pipeline does). Run on a quiet machine and
quote medians of a few runs.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from functools import partial


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _ready(_: int) -> int:
    return 0


def _startup(workers: int, selective: bool) -> float:
    """Seconds for a pool of ``workers`` processes to start and load their Extractors, as
    ``detente.pipeline.run`` does before the first document."""
    import multiprocessing as mp

    from detente.pipeline import _init_worker, _one_thread_children

    t0 = time.perf_counter()
    with _one_thread_children():
        pool = mp.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=((), True, selective))
    with pool:
        pool.map(_ready, range(workers), chunksize=1)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=None)
    ap.add_argument("--limit", type=int, default=300, help="articles to use (default 300)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--skip-spacy", action="store_true", help="do not run the spaCy baseline")
    ap.add_argument("--full-parse", action="store_true", help="parse every sentence (no selective parse)")
    ap.add_argument("--no-places", action="store_true",
                    help="no geolocation (1 process only): what the places stage costs, by difference")
    args = ap.parse_args(argv)

    from detente.corpus import fetch_news_corpus
    from detente.ingest import iter_documents
    from detente.model import Document
    from detente.pipeline import Extractor, run

    path = args.corpus or str(fetch_news_corpus(".cache"))
    docs = []
    for d in iter_documents([path]):
        if isinstance(d, Document) and d.is_english:
            docs.append(d)
        if len(docs) >= args.limit:
            break
    words = sum(len(d.text.split()) for d in docs)
    print(f"corpus {path}: {len(docs)} articles, {words:,} words, workers={args.workers}")

    t0 = time.perf_counter()
    selective = not args.full_parse
    ex = Extractor.load(selective=selective, geolocate=not args.no_places) if args.workers == 1 else None
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_events = 0
    factory = (lambda: ex) if args.workers == 1 else partial(Extractor.load, geolocate=not args.no_places,
                                                             selective=selective)
    for res in run(iter(docs), factory, workers=args.workers):
        n_events += len(res.events)
    dt = time.perf_counter() - t0
    mem = (f"peak RSS {_rss_mb():,.0f} MB" if args.workers == 1
           else f"peak RSS per worker {_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB")
    print(f"detente extract ({'selective' if selective else 'full'} parse): {len(docs) / dt:.2f} articles/s, "
          f"{words / dt:,.0f} words/s, {n_events} events, model load {load:.1f} s, {mem}")
    if args.workers > 1:
        up = _startup(args.workers, selective)
        print(f"  worker start-up (spawn + loading, measured apart): {up:.1f} s; without it "
              f"{len(docs) / max(dt - up, 1e-9):.2f} articles/s")
    if ex is not None and ex.parser is not None:
        st = ex.parser.stats
        print(f"selective parse: {st.parsed_sentences:,} of {st.sentences:,} sentences, "
              f"{st.parsed_share:.0%} of tokens through the full pipeline")

    if not args.skip_spacy:
        from detente.nlp import load_plain_nlp

        nlp = load_plain_nlp()
        t0 = time.perf_counter()
        for _ in nlp.pipe((d.text for d in docs), batch_size=16):
            pass
        sp = time.perf_counter() - t0
        print(f"spaCy full parse: {len(docs) / sp:.2f} articles/s, {words / sp:,.0f} words/s")
        print(f"ratio detente / spaCy (words/s): {sp / dt:.2f}")
        # the same plain pipeline with the matrix products detente's pipeline uses (numpy's
        # BLAS instead of BLIS, detente.nlp._numpy_gemm): how much of the ratio is that alone
        from detente.nlp import _numpy_gemm

        _numpy_gemm(nlp)
        t0 = time.perf_counter()
        for _ in nlp.pipe((d.text for d in docs), batch_size=16):
            pass
        sp2 = time.perf_counter() - t0
        print(f"spaCy full parse, numpy matrix products: {len(docs) / sp2:.2f} articles/s, "
              f"{words / sp2:,.0f} words/s; ratio detente / this: {sp2 / dt:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
