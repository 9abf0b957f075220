"""Tests for detente.ingest: every input format, directory order, stdin, and each bad input."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from detente.errors import UsageError
from detente.ingest import check_paths, iter_documents, iter_raw
from detente.model import Document, Rejected, RawDocument

ARTICLE = (
    "Officials from both countries met in Geneva on Tuesday to discuss the ceasefire and "
    "the exchange of prisoners, diplomats said."
)
ARTICLE2 = (
    "The meeting lasted four hours and ended without a joint statement, according to "
    "people familiar with the talks."
)
PAGE = f"""<!DOCTYPE html><html><head><title>Talks resume in Geneva</title>
<meta property="article:published_time" content="2023-05-04T10:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Talks resume in Geneva</h1><p>{ARTICLE}</p><p>{ARTICLE2}</p>
<p>Both delegations are expected to return to the Swiss city next month for a further round.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def raw(*paths: Path | str, **kw) -> list[RawDocument | Rejected]:
    return list(iter_raw([str(p) for p in paths], **kw))


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


# --- txt ---------------------------------------------------------------------------------


def test_txt_with_date_header(tmp_path):
    p = write(tmp_path / "doc1.txt", f"  date 2025-03-30\n\n{ARTICLE}\n")
    [doc] = raw(p)
    assert isinstance(doc, RawDocument)
    assert doc.id == "doc1"
    assert doc.date == "2025-03-30" and doc.date_source == "header"
    assert doc.text.startswith("Officials") and "date" not in doc.text[:10]
    assert doc.origin == str(p)
    assert not doc.is_html


def test_txt_header_on_same_line_as_text(tmp_path):
    p = write(tmp_path / "x.txt", f" date 2024-01-02 {ARTICLE}")
    [doc] = raw(p)
    assert doc.date == "2024-01-02"
    assert doc.text == ARTICLE


def test_txt_without_header_uses_default_date(tmp_path):
    p = write(tmp_path / "plain.txt", ARTICLE)
    [doc] = raw(p, default_date="2020-06-01")
    assert doc.date == "2020-06-01" and doc.date_source == "option"
    [doc] = raw(p)
    assert doc.date is None and doc.date_source == "none"
    assert doc.text == ARTICLE


def test_txt_header_wins_over_default_date(tmp_path):
    p = write(tmp_path / "h.txt", f"date 2019-12-31\n{ARTICLE}")
    [doc] = raw(p, default_date="2020-06-01")
    assert (doc.date, doc.date_source) == ("2019-12-31", "header")


def test_txt_impossible_header_date_rejected(tmp_path):
    p = write(tmp_path / "bad.txt", f"date 2023-02-30\n{ARTICLE}")
    [rej] = raw(p)
    assert isinstance(rej, Rejected)
    assert "impossible date 2023-02-30" in rej.reason
    assert "\n" not in rej.reason


def test_txt_encodings(tmp_path):
    text = "Le ministre a déclaré que les négociations reprendront."
    a = write(tmp_path / "a.txt", text.encode("utf-8-sig"))
    b = write(tmp_path / "b.txt", text.encode("utf-16"))
    c = write(tmp_path / "c.txt", ("The minister’s “final” offer — rejected. " * 3).encode("cp1252"))
    docs = raw(a, b, c)
    assert [d.text for d in docs[:2]] == [text, text]
    assert all(isinstance(d, RawDocument) for d in docs)
    assert "minister’s “final” offer — rejected" in docs[2].text


def test_txt_empty_binary_and_bad_encoding_rejected(tmp_path):
    empty = write(tmp_path / "empty.txt", b"")
    blank = write(tmp_path / "blank.txt", b"  \n\n ")
    binary = write(tmp_path / "bin.txt", bytes(range(256)) * 8)
    garbage = write(tmp_path / "garbage.txt", b"\x81\x8d\x8f\x90\x9d" * 50)
    good = write(tmp_path / "good.txt", ARTICLE)
    out = raw(empty, blank, binary, garbage, good)
    reasons = [r.reason if isinstance(r, Rejected) else None for r in out]
    assert reasons[0] == "empty file" and reasons[1] == "empty file"
    assert reasons[2] == "binary file"
    assert reasons[3] is not None and "UTF-8" in reasons[3]
    assert isinstance(out[4], RawDocument)  # iteration went on


def test_unsupported_extension_and_missing_path(tmp_path):
    p = write(tmp_path / "notes.md", ARTICLE)
    [rej] = raw(p)
    assert isinstance(rej, Rejected) and "unsupported file type '.md'" in rej.reason
    [rej] = raw(tmp_path / "nope.txt")
    assert isinstance(rej, Rejected) and "no such file" in rej.reason


def test_check_paths(tmp_path):
    p = write(tmp_path / "a.txt", ARTICLE)
    check_paths([str(p), "-", str(tmp_path)])
    with pytest.raises(UsageError, match="no such file or directory: .*missing.txt"):
        check_paths([str(p), str(tmp_path / "missing.txt")])


def test_bad_default_date_is_usage_error(tmp_path):
    p = write(tmp_path / "a.txt", ARTICLE)
    with pytest.raises(UsageError):
        raw(p, default_date="2023-13-01")


# --- jsonl ---------------------------------------------------------------------------------


def test_jsonl_fields_and_default_ids(tmp_path):
    p = write(tmp_path / "batch.jsonl", jsonl(
        {"id": "A1", "text": ARTICLE, "date": "2021-03-04T12:30:00Z", "title": "T",
         "url": "https://example.org/a", "source": "example.org"},
        {"text": ARTICLE2},
        {"id": 7, "text": ARTICLE, "date": "2021-03-05"},
    ))
    a, b, c = raw(p, default_date="2000-01-01")
    assert (a.id, a.date, a.date_source, a.title, a.url, a.source) == (
        "A1", "2021-03-04", "field", "T", "https://example.org/a", "example.org")
    assert a.origin == f"{p}:1"
    assert (b.id, b.date, b.date_source, b.text) == ("batch-2", "2000-01-01", "option", ARTICLE2)
    assert (c.id, c.date) == ("7", "2021-03-05")


def test_jsonl_bad_lines_rejected_and_rest_kept(tmp_path):
    p = write(tmp_path / "mixed.jsonl", jsonl(
        {"text": ARTICLE},
        '{"text": "unterminated',
        "",
        {"title": "no text here"},
        {"text": ""},
        {"text": 42},
        {"text": ARTICLE, "date": "2023-02-30"},
        "[1, 2]",
        {"text": ARTICLE2},
    ))
    out = raw(p)
    kinds = [(type(x).__name__, x.origin) for x in out]
    assert kinds == [
        ("RawDocument", f"{p}:1"),
        ("Rejected", f"{p}:2"),
        ("Rejected", f"{p}:4"),
        ("Rejected", f"{p}:5"),
        ("Rejected", f"{p}:6"),
        ("Rejected", f"{p}:7"),
        ("Rejected", f"{p}:8"),
        ("RawDocument", f"{p}:9"),
    ]
    assert "malformed JSON" in out[1].reason
    assert all("no text" in out[i].reason for i in (2, 3, 4))
    assert "impossible date 2023-02-30" in out[5].reason
    assert "not a JSON object" in out[6].reason
    assert out[7].id == "mixed-9"
    assert all("\n" not in x.reason for x in out if isinstance(x, Rejected))


def test_jsonl_empty_file_rejected(tmp_path):
    [rej] = raw(write(tmp_path / "e.jsonl", "\n\n"))
    assert isinstance(rej, Rejected) and rej.reason == "empty file"


def test_jsonl_gz_and_stem(tmp_path):
    p = tmp_path / "wire.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write(jsonl({"text": ARTICLE}, {"text": ARTICLE2, "id": "k"}))
    a, b = raw(p)
    assert (a.id, a.origin, a.text) == ("wire-1", f"{p}:1", ARTICLE)
    assert b.id == "k"


def test_truncated_gz_yields_lines_then_rejection(tmp_path):
    lines = jsonl(*({"id": f"d{i}", "text": f"{ARTICLE} Number {i}."} for i in range(2000)))
    full = gzip.compress(lines.encode("utf-8"))
    p = write(tmp_path / "cut.jsonl.gz", full[: len(full) // 2])
    out = raw(p)
    docs = [x for x in out if isinstance(x, RawDocument)]
    assert 0 < len(docs) < 2000
    assert [d.id for d in docs] == [f"d{i}" for i in range(len(docs))]
    assert isinstance(out[-1], Rejected) and "truncated" in out[-1].reason
    assert sum(isinstance(x, Rejected) for x in out) == 1


def test_corrupt_gz_rejected(tmp_path):
    [rej] = raw(write(tmp_path / "junk.jsonl.gz", b"this is not gzip data at all\n"))
    assert isinstance(rej, Rejected) and "gzip" in rej.reason


def test_jsonl_streams_lazily(tmp_path):
    """The reader yields the first record before the rest of the file is needed."""
    p = write(tmp_path / "big.jsonl", jsonl(*({"text": ARTICLE} for _ in range(50))))
    it = iter_raw([str(p)])
    first = next(it)
    assert isinstance(first, RawDocument) and first.id == "big-1"


def test_jsonl_html_record(tmp_path):
    p = write(tmp_path / "pages.jsonl", jsonl({"id": "p", "html": PAGE}))
    [doc] = raw(p)
    assert isinstance(doc, RawDocument) and doc.is_html
    assert ARTICLE in doc.text and "Home" not in doc.text
    assert (doc.date, doc.date_source) == ("2023-05-04", "html")
    assert doc.title == "Talks resume in Geneva"


def test_jsonl_html_without_article_rejected(tmp_path):
    p = write(tmp_path / "pages.jsonl", jsonl({"id": "p", "html": "<html><body><nav></nav></body></html>"}))
    [rej] = raw(p)
    assert isinstance(rej, Rejected) and "no article" in rej.reason


# --- html ---------------------------------------------------------------------------------


def test_html_page(tmp_path):
    p = write(tmp_path / "page.html", PAGE)
    [doc] = raw(p)
    assert isinstance(doc, RawDocument) and doc.is_html and doc.id == "page"
    assert doc.title == "Talks resume in Geneva"
    assert (doc.date, doc.date_source) == ("2023-05-04", "html")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == ARTICLE and paragraphs[1] == ARTICLE2
    assert "Copyright" not in doc.text


def test_html_without_article_rejected(tmp_path):
    p = write(tmp_path / "empty.htm", "<html><head><title>x</title></head><body></body></html>")
    [rej] = raw(p)
    assert isinstance(rej, Rejected) and "no article text found in HTML" == rej.reason


NAV_ONLY = """<!DOCTYPE html><html><head><title>Example News - Home</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="menu"><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/terms">Terms of use</a></li></ul></div>
<div id="main"><ul><li><a href="/a1">Chile and Peru agree on a new fishing accord</a></li>
<li><a href="/a2">Norway expels two Russian diplomats after spying row</a></li></ul></div>
<div>Sign in</div><div>Subscribe to our newsletter</div></body></html>"""


def test_html_page_with_only_navigation_rejected(tmp_path):
    # trafilatura returns the menu entries and linked headlines as text: no sentence of an article
    p = write(tmp_path / "front.html", NAV_ONLY)
    [rej] = raw(p)
    assert isinstance(rej, Rejected) and rej.reason.startswith("no article text found in HTML")
    p = write(tmp_path / "pages.jsonl", jsonl({"id": "front", "html": NAV_ONLY}))
    [rej] = raw(p)
    assert isinstance(rej, Rejected) and rej.reason.startswith("no article text found in HTML")


def test_html_page_with_a_short_article_kept(tmp_path):
    page = NAV_ONLY.replace('<div>Sign in</div>', '<article><p>Chile and Peru signed a fishing accord.</p></article>')
    [doc] = raw(write(tmp_path / "short.html", page))
    assert isinstance(doc, RawDocument) and "Chile and Peru signed a fishing accord." in doc.text


# --- directories and stdin ----------------------------------------------------------------


def test_directory_recursive_sorted_skips_other_files(tmp_path):
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "a" / "z.txt", ARTICLE)
    write(tmp_path / "a" / "sub" / "c.jsonl", jsonl({"id": "c1", "text": ARTICLE}))
    write(tmp_path / "a" / "m.txt", ARTICLE)
    write(tmp_path / "c.gold.json", "{}")
    write(tmp_path / ".hidden.txt", ARTICLE)
    write(tmp_path / "README.md", "notes")
    ids = [d.id for d in raw(tmp_path)]
    assert ids == ["m", "c1", "z", "b"]  # a/m.txt, a/sub/c.jsonl, a/z.txt, b.txt


def test_stdin_jsonl():
    stdin = io.StringIO(jsonl({"text": ARTICLE}, "", "{oops", {"id": "s", "text": ARTICLE2}))
    out = list(iter_raw(["-"], stdin=stdin))
    assert [type(x).__name__ for x in out] == ["RawDocument", "Rejected", "RawDocument"]
    assert out[0].id == "stdin-1" and out[0].origin == "<stdin>:1"
    assert out[1].origin == "<stdin>:3"
    assert out[2].id == "s"


def test_iter_documents_cleans_and_rejects(tmp_path):
    write(tmp_path / "a.txt", f"date 2022-02-02\nFollow us on Twitter\n\nLONDON (Reuters) - {ARTICLE}")
    write(tmp_path / "b.txt", "Share this article\n\nSign up for our daily newsletter.")
    write(tmp_path / "c.txt", b"\x00\x01\x02" * 100)
    out = list(iter_documents([str(tmp_path)]))
    assert isinstance(out[0], Document)
    assert out[0].text == ARTICLE and out[0].date == "2022-02-02" and out[0].language == "en"
    assert isinstance(out[1], Rejected) and "no text left after cleaning" in out[1].reason
    assert isinstance(out[2], Rejected) and out[2].reason == "binary file"


def test_jsonl_utf16_and_cp1252_lines(tmp_path):
    u16 = write(tmp_path / "u16.jsonl", jsonl({"text": "Le ministre a déclaré la fin des combats."}).encode("utf-16"))
    cp = write(tmp_path / "cp.jsonl", '{"text": "The minister’s “final” offer was rejected."}\n'.encode("cp1252"))
    a, b = raw(u16, cp)
    assert a.text == "Le ministre a déclaré la fin des combats."
    assert b.text == "The minister’s “final” offer was rejected."
