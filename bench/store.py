"""Time the DuckDB store on synthetic documents and events; prints documents/s and events/s.

    .venv/bin/python bench/store.py [--docs 5000] [--events 25] [--db PATH]

Measures ``Store.add`` of every document (batched flushes included) plus the final close,
then a second pass of the same documents (all unchanged), then one query over all events.
"""
from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from detente.model import Actor, Document, Event, Evidence, Place
from detente.store import Store

COUNTRIES = ["IRN", "SAU", "USA", "CHN", "RUS", "UKR", "ISR", "TUR", "IND", "PAK"]


def synthetic(n_docs: int, n_events: int):
    sentence = "The foreign minister of Iran met his Saudi counterpart in Beijing on Friday. "
    for i in range(n_docs):
        doc_id = f"doc{i:06d}"
        text = f"Article {i}. " + sentence * 40
        doc = Document(doc_id, text, f"corpus/{doc_id}.txt",
                       hashlib.sha256(text.encode()).hexdigest(), "en",
                       date=f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}", date_source="header",
                       title=f"Title {i}", removed=("Subscribe to our newsletter",))
        events = []
        for k in range(n_events):
            a, b = COUNTRIES[(i + k) % 10], COUNTRIES[(i + 3 * k + 1) % 10]
            events.append(Event(
                event_id=f"{doc_id}-{k:03d}", doc_id=doc_id,
                source=Actor("Iran", None, a, "GOV", a + "GOV"),
                target=None if k % 7 == 0 else Actor("Riyadh", None, b, None, b),
                cameo="042", plover="CONSULT", quad_class=1, goldstein=1.9,
                date=doc.date if k % 3 else doc.date[:7], date_precision="day" if k % 3 else "month",
                date_basis="text", modality="asserted",
                location=Place("Beijing", "CHN", 39.9075, 116.39723, 1816670) if k % 2 else None,
                evidence=Evidence(sentence.strip(), 0, len(sentence) - 1), confidence=0.75,
            ))
        yield doc, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--events", type=int, default=25)
    ap.add_argument("--db", default=None, help="database path (default: a temporary file)")
    args = ap.parse_args()

    data = list(synthetic(args.docs, args.events))
    n_events = sum(len(evs) for _, evs in data)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        with Store(db) as store:
            for doc, events in data:
                store.add(doc, events)
        t_add = time.perf_counter() - t0

        t0 = time.perf_counter()
        with Store(db) as store:
            unchanged = sum(store.add(doc, events) == "unchanged" for doc, events in data)
        t_again = time.perf_counter() - t0

        t0 = time.perf_counter()
        with Store(db, read_only=True) as store:
            n_read = sum(1 for _ in store.events())
        t_read = time.perf_counter() - t0

    print(f"ingest: {args.docs} documents, {n_events} events in {t_add:.2f} s: "
          f"{args.docs / t_add:,.0f} documents/s, {n_events / t_add:,.0f} events/s")
    print(f"re-ingest (all unchanged: {unchanged}): {t_again:.2f} s")
    print(f"events(): {n_read} records in {t_read:.2f} s: {n_read / t_read:,.0f} events/s")


if __name__ == "__main__":
    main()
