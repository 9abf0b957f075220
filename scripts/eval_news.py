"""Score detente on the annotated news articles (shared/gold/news), on both halves of our split.

The split is fixed by id (docs/evaluation.md): articles whose number is even are the
development half, odd ones are held out. Rules are developed on the even half; the odd half
is read only as a total, to see over-fitting.

usage: python scripts/eval_news.py [EVENTS.jsonl] [--shared ../shared] [--gold DIR] [--relax KEYS] [-v]

``--gold eval/fresh35`` scores another folder of gold files on articles of the same corpus (our
own annotations of 35 other articles, docs/evaluation.md) as one set, with no split.

Without EVENTS.jsonl the articles are taken from the shared news corpus and run through
`detente extract` first (the events are kept in /tmp/detente-news-events.jsonl).
"""
from __future__ import annotations

import argparse
import contextlib
import glob
import gzip
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile


def half(doc_id: str) -> str:
    """'dev' for an even article number, 'held-out' for an odd one."""
    return "dev" if int(doc_id.rsplit("-", 1)[1]) % 2 == 0 else "held-out"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("events", nargs="?")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--gold", default=None,
                    help="another folder of gold files on articles of the corpus, scored as one set")
    ap.add_argument("--relax", default="")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every gold line of the dev half (of every article with --gold)")
    a = ap.parse_args(argv)
    gold_dir = a.gold or os.path.join(a.shared, "gold", "news")
    label = os.path.basename(os.path.normpath(a.gold)) if a.gold else None
    spec = importlib.util.spec_from_file_location("score_events", os.path.join(a.shared, "tools", "score_events.py"))
    se = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(se)
    if a.relax:
        se.RELAX.update(a.relax.split(","))
    golds = {}
    for path in sorted(glob.glob(os.path.join(gold_dir, "*.gold.json"))):
        g = json.load(open(path, encoding="utf-8"))
        golds[g.get("doc_id") or os.path.basename(path)[: -len(".gold.json")]] = g
    events_path = a.events
    if events_path is None:
        src = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False)
        with gzip.open(os.path.join(a.shared, "data", "news", "newsarticles.jsonl.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r["id"] in golds:
                    src.write(json.dumps({k: r.get(k) for k in ("id", "date", "title", "text")}) + "\n")
        src.close()
        events_path = os.path.join(tempfile.gettempdir(), f"detente-{label or 'news'}-events.jsonl")
        exe = os.path.join(os.path.dirname(sys.executable), "detente")
        with open(events_path, "w") as out:
            subprocess.run([exe, "extract", src.name, "--format", "jsonl"], stdout=out, check=False)
        os.unlink(src.name)
    events, _ = se.read_events(open(events_path, encoding="utf-8"))
    by_doc: dict[str, list] = {}
    for e in events:
        by_doc.setdefault(e["doc_id"], []).append(e)
    tot = {label: [0, 0, 0, 0]} if label else {"dev": [0, 0, 0, 0], "held-out": [0, 0, 0, 0]}
    for doc, g in golds.items():
        h = label or half(doc)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            r = se.score(g, by_doc.get(doc, []), doc, verbose=a.verbose and h != "held-out")
        if a.verbose and h != "held-out":
            print(buf.getvalue(), end="")
        for i in range(4):
            tot[h][i] += r[i]
    rows = list(tot.items())
    if not label:
        rows.append(("all", [sum(t[i] for t in tot.values()) for i in range(4)]))
    for name, (req, found, ext, ok) in rows:
        rec = found / req if req else 0.0
        prec = ok / ext if ext else 0.0
        f1 = 2 * rec * prec / (rec + prec) if rec + prec else 0.0
        print(f"{name:9s} required {req:3d} found {found:3d} recall {rec:.3f} | "
              f"extracted {ext:3d} correct {ok:3d} precision {prec:.3f} | F1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
