"""Issue 12, "Inputs": every document in isolation. The reproducers of items 1, 3, 7 and 8 (one
bad line ending the run, unbounded reads and hangs, dates and language, exit codes), each with
good documents around it that must still come through."""
from __future__ import annotations

import gzip
import io
import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.errors import UsageError
from detente.ingest import iter_documents, iter_raw, limits
from detente.model import Document, Rejected

GOOD = "The United States condemned Iran on Monday. Russia met China in Moscow."


def good_line(i: int) -> str:
    return json.dumps({"id": f"good-{i}", "date": "2017-01-05", "text": GOOD})


def read(paths, stdin=None, date=None) -> list[Document | Rejected]:
    return list(iter_documents([str(p) for p in paths], default_date=date, stdin=stdin))


def docs_of(items) -> dict[str, Document]:
    return {d.id: d for d in items if isinstance(d, Document)}


def rejected_of(items) -> list[Rejected]:
    return [r for r in items if isinstance(r, Rejected)]


def jsonl(tmp_path: Path, name: str, *lines: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(b"".join((ln if isinstance(ln, bytes) else ln.encode("utf-8")) + b"\n" for ln in lines))
    return p


# ---------------------------------------------------------------- item 1: one line ends the run
def test_integer_of_5000_digits_is_one_rejected_line(tmp_path):
    p = jsonl(tmp_path, "a.jsonl", good_line(1), '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}", good_line(2))
    out = read([p])
    assert set(docs_of(out)) == {"good-1", "good-2"}
    [rej] = rejected_of(out)
    assert rej.origin.endswith("a.jsonl:2") and "4,300 digits" in rej.reason


def test_100000_nested_brackets_are_one_rejected_line(tmp_path):
    p = jsonl(tmp_path, "a.jsonl", "[" * 100_000 + "]" * 100_000, '{"a": ' * 70 + "1" + "}" * 70, good_line(1))
    out = read([p])
    assert set(docs_of(out)) == {"good-1"}
    assert [r.reason for r in rejected_of(out)] == [f"JSON nested deeper than {limits.MAX_JSON_DEPTH} levels"] * 2


def test_brackets_inside_strings_are_not_nesting(tmp_path):
    text = GOOD + " [[[[{{{{" * 40
    p = jsonl(tmp_path, "a.jsonl", json.dumps({"id": "b", "text": text, "tags": [[1, [2]]]}))
    assert docs_of(read([p]))["b"].text.endswith("{{{{")


def test_lone_surrogate_becomes_replacement_character_everywhere(tmp_path):
    line = '{"id": "s\\ud800", "title": "T\\udfff", "url": "http://x/\\ud800", "text": "Iran condemned Israel \\ud800 today."}'
    p = jsonl(tmp_path, "a.jsonl", line, good_line(1))
    docs = docs_of(read([p]))
    d = docs["s\ufffd"]
    assert d.text == "Iran condemned Israel \ufffd today." and d.title == "T\ufffd" and d.url == "http://x/\ufffd"
    assert len(d.content_hash) == 64 and "good-1" in docs
    for value in (d.id, d.text, d.title, d.url):
        value.encode("utf-8")  # storable: no surrogate left


def test_surrogate_pair_escape_is_kept_as_the_character(tmp_path):
    p = jsonl(tmp_path, "a.jsonl", '{"id": "e", "text": "Iran condemned Israel \\ud83d\\ude00 today."}')
    assert docs_of(read([p]))["e"].text == "Iran condemned Israel \U0001F600 today."


def test_invalid_byte_on_stdin_is_read_like_a_file(tmp_path):
    data = (b'{"id": "z", "text": "Z\xc3\xbcrich talks \xff ended with a deal."}\n'
            + b"\x81\x8d\x8f\x90\x9d" * 20 + b"\n" + good_line(1).encode() + b"\n")
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")  # strict: reading it as text would raise
    out = read(["-"], stdin=stdin)
    assert docs_of(out)["z"].text == "Zürich talks \ufffd ended with a deal."
    assert "good-1" in docs_of(out)
    [rej] = rejected_of(out)
    assert rej.origin == "<stdin>:2" and "UTF-8" in rej.reason


def test_document_over_the_size_limit_is_rejected_not_parsed(tmp_path):
    n = limits.MAX_DOCUMENT_CHARS
    words = (GOOD + " ") * (n // len(GOOD) + 10)
    big, fits = words[: n + 1].strip() + "x", words[:n].strip()
    p = jsonl(tmp_path, "a.jsonl", json.dumps({"id": "big", "text": big}), json.dumps({"id": "fits", "text": fits}),
              good_line(1))
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    out = read([p, tmp_path / "big.txt"])
    assert set(docs_of(out)) == {"fits", "good-1"}
    reasons = [r.reason for r in rejected_of(out)]
    assert len(reasons) == 2 and all(r.startswith("document too long") and f"{n:,}" in r for r in reasons)


def test_field_over_the_limit_is_rejected(tmp_path):
    p = jsonl(tmp_path, "a.jsonl", json.dumps({"id": "t", "title": "T" * (limits.MAX_FIELD_CHARS + 1), "text": GOOD}),
              json.dumps({"id": "i" * (limits.MAX_FIELD_CHARS + 1), "text": GOOD}), good_line(1))
    out = read([p])
    assert set(docs_of(out)) == {"good-1"}
    assert [r.reason.split(" (")[0] for r in rejected_of(out)] == ["title too long", "id too long"]


# ---------------------------------------------------------------- item 3: unbounded memory, hangs
def _finishes(fn, seconds: float = 20.0):
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "reading did not finish (a hang)"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_named_txt_is_rejected_without_hanging(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("x.txt", "y.jsonl", "z.html", "w.jsonl.gz"):
        os.mkfifo(folder / name)
    jsonl(folder, "zz.jsonl", good_line(1))
    out = _finishes(lambda: read([folder, folder / "x.txt"]))
    assert set(docs_of(out)) == {"good-1"}
    rej = rejected_of(out)
    assert len(rej) == 5 and all(r.reason == "not a regular file (a FIFO)" for r in rej)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_link_to_dev_zero_is_rejected_not_read(tmp_path):
    for name in ("zero.txt", "zero.jsonl", "zero.jsonl.gz", "zero.html"):
        (tmp_path / name).symlink_to("/dev/zero")
    jsonl(tmp_path, "ok.jsonl", good_line(1))
    out = _finishes(lambda: read([tmp_path]))
    assert set(docs_of(out)) == {"good-1"}
    assert [r.reason for r in rejected_of(out)] == ["not a regular file (a character device)"] * 4


def test_file_over_the_byte_limit_is_rejected_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    (tmp_path / "a.txt").write_text(GOOD * 20, encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>" + GOOD * 20 + "</p></body></html>", encoding="utf-8")
    (tmp_path / "c.txt").write_text(GOOD, encoding="utf-8")
    out = read([tmp_path])
    assert set(docs_of(out)) == {"c"}
    assert [r.reason.split(" (")[0] for r in rejected_of(out)] == ["file too large"] * 2


def test_long_line_is_skipped_in_bounded_chunks_and_the_next_line_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 4096)
    long_line = json.dumps({"id": "long", "text": GOOD * 500})
    for name, opener in (("a.jsonl", open), ("b.jsonl.gz", gzip.open)):
        with opener(tmp_path / name, "wt", encoding="utf-8") as fh:
            fh.write(good_line(1) + "\n" + long_line + "\n" + good_line(2) + "\n")
    out = read([tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"])
    assert [d.id for d in out if isinstance(d, Document)] == ["good-1", "good-2"] * 2
    rej = rejected_of(out)
    assert [r.origin.rsplit(":", 1)[1] for r in rej] == ["2", "2"]
    assert all(r.reason.startswith("line too long") for r in rej)


def test_gzip_bomb_stops_at_the_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MIN_GZIP_BUDGET", 1 << 20)
    monkeypatch.setattr(limits, "MAX_GZIP_RATIO", 10)
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 64 * 1024)
    with gzip.open(tmp_path / "bomb.jsonl.gz", "wb") as fh:
        fh.write(good_line(1).encode() + b"\n")
        fh.write(b'{"text": "' + b"a" * (64 << 20) + b'"}\n')  # 64 MiB in about 64 KB
        fh.write(good_line(2).encode() + b"\n")
    jsonl(tmp_path, "next.jsonl", good_line(3))
    out = read([tmp_path / "bomb.jsonl.gz", tmp_path / "next.jsonl"])
    assert set(docs_of(out)) == {"good-1", "good-3"}
    assert "decompresses to more than 1 MiB" in rejected_of(out)[-1].reason


# ---------------------------------------------------------------- item 7: text, dates, language
STRAY = "Zürich talks \xff ended with a deal between Iran and Russia."


def _stray_bytes() -> bytes:
    return STRAY.replace("\xff", "\x00").encode("utf-8").replace(b"\x00", b"\xff")


def test_a_stray_byte_is_read_the_same_in_txt_jsonl_stdin_and_html(tmp_path):
    text = _stray_bytes()
    (tmp_path / "t.txt").write_bytes(text)
    (tmp_path / "j.jsonl").write_bytes(b'{"id": "j", "text": "' + text + b'"}\n')
    (tmp_path / "h.html").write_bytes(b"<html><body><article><p>" + text + b"</p></article></body></html>")
    stdin = io.TextIOWrapper(io.BytesIO(b'{"id": "s", "text": "' + text + b'"}\n'), encoding="utf-8")
    docs = docs_of(read([tmp_path, "-"], stdin=stdin))
    want = "Zürich talks \ufffd ended with a deal between Iran and Russia."
    assert {k: d.text for k, d in docs.items()} == {"t": want, "j": want, "h": want, "s": want}


def test_a_legacy_cp1252_text_is_read_the_same_in_txt_and_jsonl(tmp_path):
    text = "The minister’s “final” offer was rejected by Iran."
    (tmp_path / "t.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "j.jsonl").write_bytes(b'{"id": "j", "text": "' + text.encode("cp1252") + b'"}\n')
    docs = docs_of(read([tmp_path]))
    assert docs["t"].text == docs["j"].text == text


def test_many_invalid_bytes_reject_the_input_in_every_reader(tmp_path):
    bad = "Zürich ".encode() + b"\xff\xfe\x81" * 30
    (tmp_path / "t.txt").write_bytes(bad)
    (tmp_path / "j.jsonl").write_bytes(b'{"text": "' + bad + b'"}\n')
    out = read([tmp_path])
    assert not docs_of(out)
    assert all("not valid UTF-8" in r.reason for r in rejected_of(out)) and len(rejected_of(out)) == 2


@pytest.mark.parametrize("value", ["٢٠١٧-٠١-٠٥", "２０１７-０１-０５", "۲۰۱۷-۰۱-۰۵", "२०१७-०१-०५", "٢٠١٧-٠١-٠٥T10:00:00Z"])
def test_a_date_in_unicode_digits_is_read_as_the_date(tmp_path, value):
    p = jsonl(tmp_path, "a.jsonl", json.dumps({"id": "u", "date": value, "text": GOOD}))
    (tmp_path / "b.txt").write_text(f"date {value[:10]}\n{GOOD}", encoding="utf-8")
    docs = docs_of(read([p, tmp_path / "b.txt"]))
    assert docs["u"].date == docs["b"].date == "2017-01-05"


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "0999-12-31", "9000-01-01"])
def test_a_date_out_of_range_is_rejected_at_read_time(tmp_path, value):
    p = jsonl(tmp_path, "a.jsonl", json.dumps({"id": "u", "date": value, "text": GOOD}), good_line(1))
    (tmp_path / "b.txt").write_text(f"date {value}\n{GOOD}", encoding="utf-8")
    out = read([p, tmp_path / "b.txt"])
    assert set(docs_of(out)) == {"good-1"}
    assert [r.reason for r in rejected_of(out)] == [f"date {value} out of range (1000-01-01 to 8999-12-31)"] * 2
    with pytest.raises(UsageError, match="out of range"):
        list(iter_raw([str(tmp_path / "b.txt")], default_date=value))


def test_dates_at_the_range_ends_are_accepted(tmp_path):
    p = jsonl(tmp_path, "a.jsonl", json.dumps({"id": "lo", "date": "1000-01-01", "text": GOOD}),
              json.dumps({"id": "hi", "date": "8999-12-31", "text": GOOD}))
    assert {k: d.date for k, d in docs_of(read([p])).items()} == {"lo": "1000-01-01", "hi": "8999-12-31"}


@pytest.mark.parametrize("sentence", [
    "Officials met in Berlin.",
    "Protesters in Los Angeles met police at the door.",
    "The war will die down, officials said.",
    "The United States condemned Iran on Monday.",
])
def test_english_repeated_a_thousand_times_is_english(sentence):
    from detente.lang import detect_language

    assert detect_language(sentence) == "en"
    assert detect_language(" ".join([sentence] * 1000)) == "en"


@pytest.mark.parametrize("text, lang", [
    ("De minister heeft gezegd dat het kabinet niet zal aftreden. ", "nl"),
    ("Le président a dit que la guerre est finie. ", "fr"),
    ("O presidente do Brasil disse que a economia está em crise e que o governo vai agir. ", "pt"),
    ("Il presidente ha detto che il governo non cadrà. ", "it"),
])
def test_other_languages_are_still_told_apart(text, lang):
    from detente.lang import detect_language

    assert detect_language(text) == detect_language(text * 1000) == lang


# ---------------------------------------------------------------- any exception is one Rejected
def test_a_reader_that_raises_costs_only_its_input(tmp_path, monkeypatch):
    from detente.ingest import txt

    real = txt.read_txt

    def flaky(path, origin, default_date):
        if path.name == "b.txt":
            raise RuntimeError("boom")
        return real(path, origin, default_date)

    monkeypatch.setattr(txt, "read_txt", flaky)
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    out = read([tmp_path])
    assert set(docs_of(out)) == {"a", "c"}
    [rej] = rejected_of(out)
    assert rej.origin.endswith("b.txt") and rej.reason == "internal error while reading (RuntimeError: boom)"


def test_a_record_that_raises_costs_only_its_line(tmp_path, monkeypatch):
    from detente.ingest import jsonl as jl

    real = jl.record_to_raw

    def flaky(obj, origin, default_id, default_date):
        if obj.get("id") == "bad":
            raise KeyError("oops")
        return real(obj, origin, default_id, default_date)

    monkeypatch.setattr(jl, "record_to_raw", flaky)
    p = jsonl(tmp_path, "a.jsonl", good_line(1), json.dumps({"id": "bad", "text": GOOD}), good_line(2))
    out = read([p])
    assert set(docs_of(out)) == {"good-1", "good-2"}
    assert rejected_of(out)[0].reason.startswith("internal error while reading (KeyError")


def test_cleaning_that_raises_costs_only_its_document(tmp_path, monkeypatch):
    import detente.clean as clean_mod

    real = clean_mod.clean

    def flaky(raw):
        if raw.id == "bad":
            raise ValueError("cannot clean")
        return real(raw)

    monkeypatch.setattr(clean_mod, "clean", flaky)
    p = jsonl(tmp_path, "a.jsonl", good_line(1), json.dumps({"id": "bad", "text": GOOD}), good_line(2))
    out = read([p])
    assert set(docs_of(out)) == {"good-1", "good-2"}
    [rej] = rejected_of(out)
    assert rej.doc_id == "bad" and rej.reason == "internal error while cleaning (ValueError: cannot clean)"


def _doc(i: str, text: str = GOOD) -> Document:
    return Document(id=i, text=text, origin=f"o-{i}", content_hash=i, language="en", date="2017-01-05")


class _FakeExtractor:
    """An Extractor whose parser fails on texts holding 'PARSEFAIL' (whole batches then fail, as
    spaCy's do) and whose coder fails on 'CODEFAIL'; others give one marker event."""

    def __init__(self):
        from detente.pipeline import Extractor

        self._batch = Extractor._batch.__get__(self)

    def parse(self, texts):
        if any("PARSEFAIL" in t for t in texts):
            raise ValueError("[E088] Text of length 2000000 exceeds maximum")
        return iter(texts)

    def _titles(self, docs):
        return {}

    def _code(self, doc, parsed, title=None):
        if "CODEFAIL" in doc.text:
            raise OverflowError("date value out of range")
        return ["event"]

    def extract_many(self, docs, batch_size=16):
        from detente.pipeline import Extractor

        return Extractor.extract_many(self, docs, batch_size)


def test_a_document_that_fails_parsing_or_coding_costs_only_itself():
    from detente.pipeline import Result, run

    items = [_doc("a"), _doc("p", "PARSEFAIL"), Rejected("r", "bad"), _doc("b"), _doc("c", "CODEFAIL"), _doc("d")]
    out = list(run(items, _FakeExtractor, chunk=16))
    assert [o.document.id if isinstance(o, Result) else o.origin for o in out] == ["a", "o-p", "r", "b", "o-c", "d"]
    assert out[1].reason == "internal error while parsing (ValueError: [E088] Text of length 2000000 exceeds maximum)"
    assert out[4].reason == "internal error while coding (OverflowError: date value out of range)"
    assert all(o.events == ("event",) for o in out if isinstance(o, Result))


def test_a_worker_failure_rejects_its_documents_and_the_run_goes_on():
    from detente.pipeline import Result, _drain

    class Failed:
        def get(self):
            raise RuntimeError("worker died")

    class Done:
        def get(self):
            return [("e",)]

    group = [_doc("a"), Rejected("r", "bad"), _doc("b")]
    out = [*_drain((group, Failed())), *_drain(([_doc("c")], Done()))]
    assert [type(o).__name__ for o in out] == ["Rejected", "Rejected", "Rejected", "Result"]
    assert out[0].reason == "internal error while extracting in a worker process (RuntimeError: worker died)"
    assert out[1].reason == "bad" and isinstance(out[3], Result) and out[3].events == ("e",)


# ---------------------------------------------------------------- item 8: exit codes
class _NoModel:
    """Stands for the Extractor in CLI tests that need no parsing (every input rejected)."""

    @classmethod
    def load(cls, *a, **k):
        return cls()

    def extract_many(self, docs, batch_size=16):
        return iter(())


def _main(args, monkeypatch, capsys) -> tuple[int, str]:
    from detente.cli import main

    with pytest.raises(SystemExit) as exc:
        main(args)
    return exc.value.code, capsys.readouterr().err


def test_exit_codes_0_1_2(tmp_path, monkeypatch, capsys):
    import detente.pipeline

    monkeypatch.setattr(detente.pipeline, "Extractor", _NoModel)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("Le président a dit que la guerre est finie et que les soldats rentrent.", encoding="utf-8")
    assert _main(["extract", str(tmp_path / "fr.txt")], monkeypatch, capsys)[0] == 0
    code, err = _main(["extract", str(tmp_path / "empty.txt"), str(tmp_path / "fr.txt")], monkeypatch, capsys)
    assert code == 1 and "rejected" in err and "empty file" in err
    code, err = _main(["extract", str(tmp_path / "missing.txt")], monkeypatch, capsys)
    assert code == 2 and err.strip() == f"detente: no such file or directory: {tmp_path / 'missing.txt'}"
    assert _main(["extract", "--no-such-option", "x"], monkeypatch, capsys)[0] == 2
    code, err = _main(["ingest", "--db", str(tmp_path / "fr.txt" / "x.duckdb"), str(tmp_path / "fr.txt")],
                      monkeypatch, capsys)  # a store that cannot open: its folder is a file
    assert code == 2 and err.startswith("detente: cannot open database")


def test_an_internal_error_exits_3_with_one_line(tmp_path, monkeypatch, capsys):
    import detente.cli

    def broken(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(detente.cli, "_results", broken)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.delenv("DETENTE_DEBUG", raising=False)
    for cmd in (["extract"], ["ingest", "--db", str(tmp_path / "x.duckdb")]):
        code, err = _main([*cmd, str(tmp_path / "a.txt")], monkeypatch, capsys)
        assert code == 3, err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert err.startswith("detente: internal error (ZeroDivisionError: division by zero) at ")
        assert "DETENTE_DEBUG=1" in err
    monkeypatch.setenv("DETENTE_DEBUG", "1")
    code, err = _main(["extract", str(tmp_path / "a.txt")], monkeypatch, capsys)
    assert code == 3 and "Traceback (most recent call last)" in err and "def broken" not in err


def test_exit_codes_are_in_the_help():
    from detente.cli import cli

    for cmd in ([], ["extract"], ["ingest"]):
        out = " ".join(CliRunner().invoke(cli, [*cmd, "--help"]).output.split())
        assert "3 internal error" in out and "1 some rejected" in out and "2 could not run" in out


# ---------------------------------------------------------------- end to end with the model
@pytest.mark.slow
def test_ingest_keeps_every_good_document_among_the_reproducers(tmp_path, monkeypatch, ex):
    """Items 1 and 7 through `ingest` into a store: every good document stored, each bad one a
    rejected row, exit 1; the Unicode-digit date codes like its ASCII twin."""
    import duckdb

    import detente.pipeline
    from detente.cli import cli

    monkeypatch.setattr(detente.pipeline.Extractor, "load", classmethod(lambda cls, *a, **k: ex))
    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "cache"))
    lines = [good_line(1),
             '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",
             "[" * 100_000 + "]" * 100_000,
             '{"id": "surrogate", "title": "T\\ud800", "text": "' + GOOD + ' \\ud800"}',
             json.dumps({"id": "arabic", "date": "٢٠١٧-٠١-٠٥", "text": GOOD}),
             json.dumps({"id": "far", "date": "9999-12-31", "text": GOOD}),
             json.dumps({"id": "long", "text": "a " * limits.MAX_DOCUMENT_CHARS}),
             json.dumps({"id": "repeated", "date": "2017-01-05", "text": " ".join(["Officials met in Berlin."] * 1000)}),
             good_line(2)]
    p = tmp_path / "mixed.jsonl"
    p.write_bytes("\n".join(lines).encode("utf-8") + b"\n" + b'{"id": "stray", "text": "' + _stray_bytes() + b'"}\n')
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(cli, ["ingest", "--no-progress", "--db", str(db), str(p)])
    assert r.exit_code == 1, r.output
    con = duckdb.connect(str(db), read_only=True)
    stored = dict(con.execute("SELECT id, language FROM documents").fetchall())
    assert set(stored) == {"good-1", "good-2", "surrogate", "arabic", "repeated", "stray"}
    assert stored["repeated"] == "en"
    assert con.execute("SELECT count(*) FROM rejected").fetchone()[0] == 4
    assert con.execute("SELECT date FROM documents WHERE id = 'arabic'").fetchone()[0] == "2017-01-05"
    events = {d: con.execute("SELECT cameo, date FROM events WHERE doc_id = ? ORDER BY 1, 2", [d]).fetchall()
              for d in ("arabic", "good-1")}
    assert events["arabic"] == events["good-1"] and events["arabic"]
    con.close()


@pytest.mark.skipif(os.name != "posix", reason="byte file names are POSIX")
def test_a_file_name_that_is_not_utf8_is_read_with_a_replacement_character(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.encode())
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.html"), "wb") as fh:
        fh.write(b"<html><body><nav>x</nav></body></html>")
    out = read([folder])
    [doc] = [d for d in out if isinstance(d, Document)]
    [rej] = rejected_of(out)
    assert doc.id == "caf\ufffd" and doc.origin.endswith("caf\ufffd.txt")
    assert rej.origin.endswith("caf\ufffd.html") and rej.doc_id == "caf\ufffd"
    rej.message().encode("utf-8")


@pytest.mark.parametrize("packed", [False, True])
def test_documents_after_a_binary_looking_head_are_read(tmp_path, packed):
    """A JSON Lines file whose first 4 KB are lines of binary bytes is not rejected whole: its
    binary lines are rejected one by one and the documents after them read. A file of binary
    bytes with no JSON object line stays one "binary file" rejection."""
    junk = (b"\x00\x07noise" * 500 + b"\n") * 3
    doc = json.dumps({"id": "after-junk", "text": "Peru and Chile signed a fisheries accord in Lima on Monday."})
    data = junk + doc.encode() + b"\n"
    name = "mixed.jsonl.gz" if packed else "mixed.jsonl"
    (tmp_path / name).write_bytes(gzip.compress(data) if packed else data)
    out = list(iter_raw([str(tmp_path / name)]))
    assert [x.id for x in out if not isinstance(x, Rejected)] == ["after-junk"]
    assert sum(isinstance(x, Rejected) for x in out) == 3
    noise = bytes((i * 7919 + 13) % 256 for i in range(50_000)).replace(b"{", b"(")
    (tmp_path / "noise.jsonl").write_bytes(noise)
    out = list(iter_raw([str(tmp_path / "noise.jsonl")]))
    assert len(out) == 1 and isinstance(out[0], Rejected) and out[0].reason == "binary file"
