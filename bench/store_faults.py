"""Figures of docs/reliability.md, section Stores: what one unstorable document costs, and
what 64 bytes of damage at each place of a store give its readers.

    .venv/bin/python bench/store_faults.py

1. The issue's reproducer at the default flush size (1,000): 999 documents, one whose title
   holds a lone surrogate, 500 more (5 events each); time and transactions, against the same
   run with a good title; then the dedup tables built on it.
2. A store of 300 documents (600 events, dedup tables), 64 bytes overwritten at one place
   every 64 kB; for each place: fine, refused at open, or refused while reading (StoreError);
   any other exception is printed (none expected).
"""
from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from detente import dedup
from detente.errors import StoreError
from detente.model import Actor, Document, Event, Evidence
from detente.store import Store

IRN = Actor("Iran", "Iran", "IRN", None, "IRN")
SAU = Actor("Saudi Arabia", "Saudi Arabia", "SAU", None, "SAU")
USA = Actor("Washington", None, "USA", "GOV", "USAGOV")


def doc(doc_id: str, text: str, title: str | None = None) -> Document:
    return Document(id=doc_id, text=text, origin=f"{doc_id}.txt", title=title, language="en",
                    content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def event(doc_id: str, n: int, target: Actor = SAU, date: str = "2023-03-10") -> Event:
    return Event(event_id=f"{doc_id}-{n}", doc_id=doc_id, source=IRN, target=target, cameo="042",
                 plover="CONSULT", quad_class=1, goldstein=1.9, date=date, date_precision="day",
                 date_basis="text", modality="asserted", location=None,
                 evidence=Evidence("Iran met Saudi Arabia.", 0, 22), confidence=0.8)


def reproducer(tmp: Path) -> None:
    for bad in (False, True):
        path = tmp / f"reproducer-{bad}.duckdb"
        calls: list[int] = []
        original = Store._write

        def counting(self, docs, rejected, original=original):
            calls.append(len(docs))
            return original(self, docs, rejected)

        Store._write = counting
        start = time.perf_counter()
        try:
            with Store(str(path), flush_every=1000) as store:
                for i in range(999):
                    store.add(doc(f"d{i}", f"text {i} " * 300), [event(f"d{i}", j) for j in range(5)])
                store.add(doc("bad", "bad", title="A \ud800 title" if bad else "A title"), [event("bad", 1)])
                for i in range(999, 1499):
                    store.add(doc(f"d{i}", f"text {i} " * 300), [event(f"d{i}", j) for j in range(5)])
        finally:
            Store._write = original
        elapsed = time.perf_counter() - start
        with Store(str(path), read_only=True) as store:
            s = store.summary()
        start = time.perf_counter()
        built = dedup.rebuild(str(path))
        print(f"{'bad title' if bad else 'good title'}: {elapsed:.2f} s, {len(calls)} transactions; "
              f"{s['documents']} documents, {s['events']} events, {s['rejected']} rejected; "
              f"dedup {built['documents']} documents in {time.perf_counter() - start:.2f} s")


def damage(tmp: Path) -> None:
    good = tmp / "good.duckdb"
    with Store(str(good)) as store:
        for i in range(300):
            store.add(doc(f"d{i}", f"Text number {i} about Iran and Saudi Arabia."),
                      [event(f"d{i}", 1, date=f"2023-{1 + i % 12:02d}-10"), event(f"d{i}", 2, target=USA)])
    dedup.rebuild(str(good))
    data = good.read_bytes()
    path = tmp / "damaged.duckdb"
    out = {"fine": 0, "refused at open": 0, "refused while reading": 0, "other exception": 0}
    for offset in range(12288, len(data), 65536):
        damaged = bytearray(data)
        damaged[offset + 100: offset + 164] = b"\xaa" * 64
        path.write_bytes(bytes(damaged))
        stage = "refused at open"
        try:
            con, _ = dedup.open_db(str(path))
            con.close()
            stage = "refused while reading"
            list(dedup.list_events(str(path), mentions=True))
            with Store(str(path), read_only=True) as store:
                list(store.events())
                list(store.documents())
            out["fine"] += 1
        except StoreError:
            out[stage] += 1
        except Exception as err:  # noqa: BLE001 - what this counts
            out["other exception"] += 1
            print(f"  offset {offset}: {type(err).__name__}: {err}")
        Path(f"{path}.wal").unlink(missing_ok=True)
    print(f"{len(data):,} bytes, {sum(out.values())} places damaged: "
          + ", ".join(f"{k} {v}" for k, v in out.items()))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        reproducer(Path(d))
        damage(Path(d))
