"""Issue 12: fuzzing every reader (txt, jsonl, jsonl.gz, html, stdin) and `ingest` into a
temporary store. Whatever the bytes, nothing escapes as an exception or a traceback, every
output is a Document or a one-line Rejected, and the good documents mixed with the fuzzed
ones all come through (are all stored). Bounded: a fixed number of examples, no deadline
per example (times vary on a busy machine); the figures are in docs/reliability.md."""
from __future__ import annotations

import gzip
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.model import Document, Rejected

GOOD = "The United States condemned Iran on Monday. Russia met China in Moscow."
READER_EXAMPLES = 400
INGEST_EXAMPLES = 40
# fuzzed inputs run (lines and files, good ones not counted), printed at the end of each test
# (`pytest -s tests/test_fuzz.py` shows them; docs/reliability.md quotes a run)
COUNTS = {"readers": 0, "ingest": 0}

# ---------------------------------------------------------------- strategies
_DIGITS = {"ascii": "0123456789", "arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹", "fullwidth": "０１２３４５６７８９",
           "devanagari": "०१२३४५६७८९"}


@st.composite
def dates(draw):
    """A date as a reader may meet it: a real or impossible date in any digits, a timestamp,
    out of range, or any text."""
    kind = draw(st.sampled_from(["date", "impossible", "text", "far", "stamp"]))
    if kind == "text":
        return draw(st.text(max_size=30))
    if kind == "far":
        return draw(st.sampled_from(["9999-12-31", "0001-01-01", "0000-00-00", "99999-01-01", "2017-1-5"]))
    if kind == "impossible":
        y, m, d = draw(st.integers(0, 9999)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
        value = f"{y:04d}-{m:02d}-{d:02d}"
    else:
        value = draw(st.dates()).isoformat()
    if kind == "stamp":
        value += draw(st.sampled_from(["T10:00:00Z", " 12:00", "T", "Tjunk"]))
    digits = _DIGITS[draw(st.sampled_from(sorted(_DIGITS)))]
    return value.translate(str.maketrans("0123456789", digits))


_surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
texts = st.one_of(
    st.text(max_size=200),
    st.builds(lambda a, s, b: a + s + b, st.text(max_size=40), _surrogates, st.text(max_size=40)),
    st.sampled_from([GOOD, " ".join(["Officials met in Berlin."] * 300), "", "   ", "\x00\x01", "<p>x</p>"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def records(draw):
    """A JSON object that is nearly a document: some of the fields, of the right type or not."""
    rec = {}
    for key, good in (("id", st.text(max_size=20).map(lambda s: "fz" + s)), ("text", texts), ("html", texts),
                      ("date", dates()), ("title", texts), ("url", texts), ("source", texts)):
        choice = draw(st.sampled_from(["absent", "good", "good", "any"]))
        if choice == "good":
            rec[key] = draw(good)
        elif choice == "any" and key != "id":
            rec[key] = draw(json_values)
    return rec


def _to_json(value) -> str:
    return json.dumps(value, ensure_ascii=True)  # lone surrogates as \\udXXX escapes


bad_lines = st.one_of(
    records().map(_to_json).map(str.encode),
    json_values.map(_to_json).map(str.encode),
    st.binary(max_size=300).map(lambda b: b.replace(b"\n", b" ")),
    st.builds(lambda r, junk: _to_json(r).encode()[: len(junk)] + junk, records(), st.binary(max_size=20)),
    st.sampled_from([
        b'{"text": "x", "n": ' + b"9" * 5000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"text": "Iran condemned Israel \\ud800 today."}',
        b'{"text": "Z\xc3\xbcrich talks \xff ended."}',
        b"\xef\xbb\xbf" + b'{"text": "bom"}',
        b"\xff\xfe{\x00",
        b'{"id": "fz-d", "date": "\xd9\xa2\xd9\xa0\xd9\xa1\xd9\xa7-01-05", "text": "Iran condemned Israel."}',
    ]),
)


def good_line(name: str, i: int) -> bytes:
    return json.dumps({"id": f"good-{name}-{i}", "date": "2017-01-05", "text": GOOD}).encode()


@st.composite
def batches(draw):
    """(lines of a JSON Lines input with good lines among fuzzed ones, the good ids)."""
    n = draw(st.integers(1, 3))
    bad = draw(st.lists(bad_lines, min_size=1, max_size=5))
    slots = draw(st.lists(st.integers(0, len(bad)), min_size=n, max_size=n))
    return bad, sorted(slots)


def _mix(name: str, bad: list[bytes], slots: list[int]) -> tuple[bytes, set[str]]:
    lines = list(bad)
    good = set()
    for i, at in enumerate(reversed(slots)):
        lines.insert(at, good_line(name, i))
        good.add(f"good-{name}-{i}")
    data = b"\n".join(lines) + b"\n"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 BOM opening a file says the whole file is UTF-16
        data = b"\n" + data
    return data, good


file_bytes = st.one_of(
    st.binary(max_size=400),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda b, t: b + GOOD.encode() + t, st.binary(max_size=8), st.binary(max_size=8)),
    st.sampled_from([b"date 9999-12-31\n" + GOOD.encode(), "date ٢٠١٧-٠١-٠٥\n".encode() + GOOD.encode(),
                     b"<html><body><p>" + GOOD.encode() + b"\xff</p></body></html>", b"\xff\xfe" + GOOD.encode("utf-16-le")]),
)


def _fuzzed(*batches_) -> int:
    """How many fuzzed inputs an example holds: its bad lines, and the .txt and .html files."""
    return sum(len(bad) for bad, _ in batches_) + 2


def _write_inputs(folder: Path, jsonl_batch, gz_batch, txt: bytes, html: bytes, cut_gz: int | None) -> set[str]:
    """The fuzzed inputs in ``folder``; the ids of the good documents that must be read."""
    data, good = _mix("j", *jsonl_batch)
    (folder / "b.jsonl").write_bytes(data)
    gz_data, gz_good = _mix("g", *gz_batch)
    packed = gzip.compress(gz_data)
    if cut_gz is not None:  # a truncated gzip file: what was read before the damage counts
        packed = packed[: max(1, len(packed) * cut_gz // 100)]
        gz_good = set()
    (folder / "c.jsonl.gz").write_bytes(packed)
    (folder / "a.txt").write_bytes(txt)
    (folder / "d.html").write_bytes(html)
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    return good | gz_good | {"ok"}


def _check_outputs(items) -> None:
    for it in items:
        assert isinstance(it, (Document, Rejected)), it
        if isinstance(it, Rejected):
            message = it.message()
            assert message.strip() and "\n" not in message and "Traceback" not in message
            message.encode("utf-8")
        else:
            for value in (it.id, it.text, it.title or "", it.url or "", it.source or "", it.origin):
                value.encode("utf-8")  # storable: no lone surrogate


# ---------------------------------------------------------------- every reader
@settings(max_examples=READER_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(jsonl_batch=batches(), gz_batch=batches(), stdin_batch=batches(), txt=file_bytes, html=file_bytes,
       cut_gz=st.one_of(st.none(), st.integers(1, 99)))
def test_fuzz_every_reader(jsonl_batch, gz_batch, stdin_batch, txt, html, cut_gz):
    from detente.ingest import iter_documents

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good = _write_inputs(folder, jsonl_batch, gz_batch, txt, html, cut_gz)
        stdin_data, stdin_good = _mix("s", *stdin_batch)
        stdin = io.TextIOWrapper(io.BytesIO(stdin_data), encoding="utf-8")
        items = list(iter_documents([tmp, "-"], stdin=stdin))
    COUNTS["readers"] += _fuzzed(jsonl_batch, gz_batch, stdin_batch)
    _check_outputs(items)
    read_ids = {it.id for it in items if isinstance(it, Document)}
    assert good | stdin_good <= read_ids


def test_fuzz_count_readers():
    """Runs after the reader fuzz: prints how many inputs it ran (with `pytest -s`)."""
    print(f"fuzz: {READER_EXAMPLES} reader examples, {COUNTS['readers']} fuzzed inputs")


# ---------------------------------------------------------------- ingest into a store
@pytest.mark.slow
def test_fuzz_ingest_into_a_store(ex, monkeypatch):
    """`detente ingest` of fuzzed files and stdin into a fresh store per example: exit 0 or 1,
    no traceback, every good document stored, one rejected row per rejected input."""
    import duckdb
    from click.testing import CliRunner

    import detente.pipeline
    from detente.cli import cli

    monkeypatch.setattr(detente.pipeline.Extractor, "load", classmethod(lambda cls, *a, **k: ex))

    @settings(max_examples=INGEST_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(jsonl_batch=batches(), gz_batch=batches(), stdin_batch=batches(), txt=file_bytes, html=file_bytes)
    def run(jsonl_batch, gz_batch, stdin_batch, txt, html):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            good = _write_inputs(folder, jsonl_batch, gz_batch, txt, html, None)
            stdin_data, stdin_good = _mix("s", *stdin_batch)
            db = Path(tmp) / "store.duckdb"
            r = CliRunner().invoke(cli, ["ingest", "--no-progress", "--db", str(db), str(folder), "-"], input=stdin_data)
            assert r.exit_code in (0, 1), r.output
            assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
            assert "Traceback" not in r.output
            printed = [ln for ln in r.output.splitlines() if ln.startswith("rejected ")]
            assert (r.exit_code == 1) == bool(printed)
            con = duckdb.connect(str(db), read_only=True)
            try:
                stored = {row[0] for row in con.execute("SELECT id FROM documents").fetchall()}
                n_rejected = con.execute("SELECT count(*) FROM rejected").fetchone()[0]
            finally:
                con.close()
            assert good | stdin_good <= stored
            assert n_rejected == len(printed)
            COUNTS["ingest"] += _fuzzed(jsonl_batch, gz_batch, stdin_batch)

    run()
    print(f"fuzz: {INGEST_EXAMPLES} ingest runs, {COUNTS['ingest']} fuzzed inputs")
