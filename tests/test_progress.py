"""Progress reports: a total and an ETA where the total is known; plain lines, never carriage
returns, when stderr is not a terminal."""
from __future__ import annotations

import gzip
import json

from detente import cli
from detente.ingest import count_inputs


def test_count_inputs_counts_files_and_json_lines(tmp_path):
    (tmp_path / "a.txt").write_text("One text.")
    (tmp_path / "b.html").write_text("<p>A page.</p>")
    (tmp_path / "skip.csv").write_text("not an input")
    lines = [json.dumps({"id": f"n{i}", "text": "x"}) for i in range(5)]
    (tmp_path / "c.jsonl").write_text("\n".join(lines[:3]) + "\n\n")
    with gzip.open(tmp_path / "d.jsonl.gz", "wt") as fh:
        fh.write("\n".join(lines[3:]) + "\n")
    assert count_inputs([str(tmp_path)]) == 2 + 3 + 2
    assert count_inputs([str(tmp_path / "c.jsonl"), str(tmp_path / "a.txt")]) == 4
    assert count_inputs(["-"]) is None
    assert count_inputs([str(tmp_path)], max_bytes=10) is None


def test_progress_lines_off_a_terminal(monkeypatch, capsys):
    monkeypatch.setenv("DETENTE_PROGRESS_EVERY", "0")
    report = cli._Progress(True, "ingest", total=4)
    items = list(report.wrap(range(3)))
    report_lines = capsys.readouterr().err
    assert items == [0, 1, 2]
    assert "\r" not in report_lines
    lines = report_lines.splitlines()
    assert lines[0].startswith("ingest: 1 of 4 docs (25%)") and "s left" in lines[0]
    assert lines[-1].startswith("ingest: 3 of 4 docs (75%)")


def test_progress_ticks_count_skipped_documents(monkeypatch, capsys):
    monkeypatch.setenv("DETENTE_PROGRESS_EVERY", "3600")
    report = cli._Progress(True, "ingest", total=None)
    report.tick()
    list(report.wrap(["a"]))
    (line,) = capsys.readouterr().err.splitlines()  # only the final line: 10 s never passed
    assert line.startswith("ingest: 2 docs,") and report.n == 2


def test_no_report_when_not_asked(capsys):
    report = cli._Progress(False, "extract", total=3)
    assert list(report.wrap("ab")) == ["a", "b"]
    assert capsys.readouterr().err == ""
