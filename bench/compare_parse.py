"""Compare the events of the selective parse with those of the full parse on the same articles.

usage: python bench/compare_parse.py CORPUS [--limit N]

An event is kept unchanged when the selective parse gives one with the same document, CAMEO
code, actors, date, modality and place; changed when it gives one of the same CAMEO root from
an overlapping sentence that differs otherwise; lost otherwise. For events with both a source
and a target, and for all events.
"""
from __future__ import annotations

import argparse
import sys


def _full(e) -> tuple:
    # not the sentence offsets: the two parses may cut sentences differently
    return (e.doc_id, e.cameo, e.source, e.target, e.date, e.date_precision, e.modality, e.location)


def _overlap(x, y) -> bool:
    return x.doc_id == y.doc_id and x.cameo[:2] == y.cameo[:2] \
        and x.evidence.start < y.evidence.end and y.evidence.start < x.evidence.end


def _pair(a: list, b: list) -> tuple[list, list, list]:
    """Pair events of ``a`` and ``b`` of the same CAMEO root from overlapping sentences."""
    rest_b = list(b)
    pairs, rest_a = [], []
    for e in a:
        k = next((i for i, x in enumerate(rest_b) if _overlap(e, x)), None)
        if k is None:
            rest_a.append(e)
        else:
            pairs.append((e, rest_b.pop(k)))
    return pairs, rest_a, rest_b


def _match(a: list, b: list, key) -> tuple[list, list, list]:
    """Pair events of ``a`` and ``b`` with equal ``key``: (pairs, unpaired a, unpaired b)."""
    pool: dict[tuple, list] = {}
    for e in b:
        pool.setdefault(key(e), []).append(e)
    pairs, rest_a = [], []
    for e in a:
        got = pool.get(key(e))
        if got:
            pairs.append((e, got.pop(0)))
        else:
            rest_a.append(e)
    return pairs, rest_a, [e for v in pool.values() for e in v]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--show", type=int, default=0, help="print this many lost / changed events")
    args = ap.parse_args(argv)

    from detente.ingest import iter_documents
    from detente.model import Document
    from detente.pipeline import Extractor

    docs = []
    for d in iter_documents([args.corpus]):
        if isinstance(d, Document) and d.is_english:
            docs.append(d)
        if len(docs) >= args.limit:
            break
    sel = Extractor.load(selective=True)
    full = Extractor(sel.nlp, sel.recognizer, sel.coder, sel.places, None)
    ev_full = [e for r in full.extract_many(docs) for e in r.events]
    ev_sel = [e for r in sel.extract_many(docs) for e in r.events]
    st = sel.parser.stats
    print(f"{len(docs)} articles; selective parse: {st.parsed_sentences:,} of {st.sentences:,} sentences, "
          f"{st.parsed_share:.1%} of tokens parsed")
    print(f"events: full parse {len(ev_full)}, selective {len(ev_sel)}")
    for label, pick in (("with source and target", lambda e: e.source is not None and e.target is not None),
                        ("all", lambda e: True)):
        a = [e for e in ev_full if pick(e)]
        b = [e for e in ev_sel if pick(e)]
        same, a_rest, b_rest = _match(a, b, _full)
        changed_pairs, lost_ev, added_ev = _pair(a_rest, b_rest)
        changed, lost, added = len(changed_pairs), len(lost_ev), len(added_ev)
        changed_ev = [x for x, _ in changed_pairs]
        same = len(same)
        print(f"events {label}: full {len(a)}; selective keeps {same} unchanged, {changed} changed, "
              f"loses {lost}, adds {added}")
        if label.startswith("with") and args.show:
            for e in lost_ev[: args.show]:
                print("  LOST", e.doc_id, e.cameo, e.source and e.source.code, e.target and e.target.code, "|",
                      e.evidence.sentence[:150])
            for e in changed_ev[: args.show]:
                print("  CHANGED", e.doc_id, e.cameo, e.source and e.source.code, e.target and e.target.code, "|",
                      e.evidence.sentence[:150])
    return 0


if __name__ == "__main__":
    sys.exit(main())
