"""Check that event ids are unique over a whole extraction (the news corpus takes minutes, too
long for the test suite, which checks its first articles: tests/test_event_ids.py).

    detente extract ../shared/data/news/newsarticles.jsonl.gz --workers 2 -o /tmp/news.jsonl
    python scripts/check_event_ids.py /tmp/news.jsonl      # or: ... | python scripts/check_event_ids.py

Reads event records (JSON Lines, `detente extract` output) from the files given or stdin and
prints the number of events, of distinct ids, of reports (ids without their `-` suffix) and of
suffixed ids; lists the ids that repeat. Exit 0 when every id is unique, 1 otherwise.
"""
from __future__ import annotations

import json
import sys
from collections import Counter


def main(argv: list[str]) -> int:
    ids: Counter[str] = Counter()
    streams = [open(p, encoding="utf-8") for p in argv] or [sys.stdin]
    for fh in streams:
        with fh:
            for line in fh:
                if line.strip():
                    ids[json.loads(line)["event_id"]] += 1
    repeated = {i: n for i, n in ids.items() if n > 1}
    events = sum(ids.values())
    reports = len({i.split("-", 1)[0] for i in ids})
    suffixed = sum("-" in i for i in ids)
    print(f"{events} events, {len(ids)} distinct ids, {reports} reports, {suffixed} suffixed ids, "
          f"{len(repeated)} repeated ids")
    for i, n in sorted(repeated.items()):
        print(f"  {i} x{n}")
    return 1 if repeated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
