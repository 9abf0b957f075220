"""One settings table (issue 13 item 5): defaults, a file, the environment, flags; errors with
codes; `--config` reaching a command; pipeline.run's extractor_factory on worker processes."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente import settings as S
from detente.cli import cli
from detente.errors import UsageError
from detente.model import Actor, Document, Event, Evidence, Rejected

ROOT = Path(__file__).resolve().parents[1]

# the values detente had before the settings table: src/detente/data/dedup.toml as it was, and
# the constants of store.py, cli.py and serve.py (pinned here: every output must stay the same)
OLD_DEDUP_TOML = """
[documents]
shingle_words = 5
num_perm = 128
bands = 32
rows = 4
jaccard = 0.5
min_words = 8
seed = 20250401
[events]
reciprocal_roots = ["03", "04", "05", "06"]
codes = "root_or_plover"
day_tolerance = 0
modality_groups = [["asserted"], ["planned"], ["hypothetical"], ["negated"]]
location = true
[relations]
modalities = ["asserted", "planned"]
recent_month = 6
recent_quarter = 2
recent_year = 1
delta = 1.0
after_publication_days = 7
min_window_events = 2
min_window_sources = 1
prior_sd = 2.0
noise_sd_min = 2.0
min_events = 5
min_sources = 2
evidence_recent = 3
evidence_baseline = 2
"""
OLD_CONSTANTS = {"store.flush_every": 1000, "cli.progress_every": 10.0, "cli.debug": False,
                 "extract.parse": "selective", "extract.phoenix": True, "serve.token": "",
                 "serve.threads": 8, "serve.backlog": 2048, "serve.connection_limit": 1000,
                 "serve.channel_timeout": 30, "serve.max_header": 16384, "serve.max_body": 8192,
                 "serve.max_url": 4096, "serve.query_timeout": 30.0, "serve.refresh": 2.0,
                 "serve.ready_wait": 600.0}


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_defaults_are_the_values_detente_had(monkeypatch):
    d = S.DEFAULTS
    old = tomllib.loads(OLD_DEDUP_TOML)
    assert d.dedup_config() == old
    # the store fingerprint hashes these sections as JSON: the same text, so old stores stay fresh
    assert json.dumps({k: d.dedup_config()[k] for k in ("documents", "events")}, sort_keys=True) == \
        json.dumps({k: old[k] for k in ("documents", "events")}, sort_keys=True)
    for key, value in OLD_CONSTANTS.items():
        assert d.get(key) == value and type(d.get(key)) is type(value), key
    from detente import serve

    assert (serve.THREADS, serve.MAX_URL, serve.QUERY_TIMEOUT, serve.REFRESH, serve.READY_WAIT) == (
        8, 4096, 30.0, 2.0, 600.0)
    for var in S.ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv(S.CONFIG_ENV, raising=False)
    assert S.cache_dir() == Path.home() / ".cache" / "detente"
    assert S.current() == S.DEFAULTS
    # every key is in the table once, with a meaning
    assert len({k.key for k in S.keys()}) == len(S.keys()) and all(k.meaning for k in S.keys())


def test_a_file_overrides_the_defaults(tmp_path):
    path = write(tmp_path / "s.toml", "[relations]\ndelta = 2\nmodalities = ['asserted']\n"
                                      "[serve]\nmax_url = 100\n[events]\nday_tolerance = 3\n")
    s = S.load_settings(path, env={})
    assert s.relations.delta == 2.0 and isinstance(s.relations.delta, float)  # an int where a float is wanted
    assert s.relations.modalities == ("asserted",) and s.serve.max_url == 100 and s.events.day_tolerance == 3
    assert s.relations.min_events == 5 and s.store.flush_every == 1000  # the rest: defaults
    from detente import dedup

    cfg = dedup.load_config(path)  # its callers keep their dict
    assert cfg["relations"]["delta"] == 2.0 and cfg["events"]["day_tolerance"] == 3
    assert cfg["documents"] == tomllib.loads(OLD_DEDUP_TOML)["documents"]
    # the file printed by `detente settings` reads back as the same settings
    assert S.load_settings(write(tmp_path / "all.toml", S.to_toml(s)), env={}) == s


def test_the_environment_overrides_the_file(tmp_path):
    path = write(tmp_path / "s.toml", "[store]\nflush_every = 5\n[cache]\ndir = '/from/file'\n")
    env = {"DETENTE_FLUSH_EVERY": "7", "DETENTE_PHOENIX": "0", "DETENTE_PARSE": "FULL", "DETENTE_DEBUG": "1",
           "DETENTE_PROGRESS_EVERY": "0", "DETENTE_TOKEN": "s3cret"}
    s = S.load_settings(path, env=env)
    assert s.store.flush_every == 7 and s.cache.dir == "/from/file"
    assert (s.extract.phoenix, s.extract.parse, s.cli.debug, s.cli.progress_every, s.serve.token) == (
        False, "full", True, 0.0, "s3cret")
    # the file may be named by DETENTE_CONFIG; an empty variable is no variable
    s = S.load_settings(env={"DETENTE_CONFIG": path, "DETENTE_FLUSH_EVERY": " "})
    assert s.store.flush_every == 5
    # each variable sets one key
    assert S.ENV["DETENTE_CACHE"] == "cache.dir" and len(set(S.ENV.values())) == len(S.ENV)


def test_a_flag_overrides_the_environment(tmp_path):
    path = write(tmp_path / "s.toml", "[serve]\nthreads = 2\ntoken = 'file-s3cret'\n")
    s = S.load_settings(path, env={"DETENTE_TOKEN": "env"}, overrides={"serve.threads": "3"},
                        flags={"serve.token": "flag"})
    assert (s.serve.threads, s.serve.token) == (3, "flag")
    assert S.replace(s, {"serve.threads": 4}, flags=True).serve.threads == 4
    runner = CliRunner()
    out = runner.invoke(cli, ["--config", path, "--set", "cli.progress_every=3", "settings"],
                        env={"DETENTE_PROGRESS_EVERY": "5"})
    assert out.exit_code == 0, out.output
    printed = tomllib.loads(out.output)
    assert printed["cli"]["progress_every"] == 3.0 and printed["serve"]["threads"] == 2
    assert printed["serve"]["token"] == "" and "file-s3cret" not in out.output  # a secret is not printed


@pytest.mark.parametrize("text, code, named", [
    ("[relations]\ndleta = 1.0\n", "DTE421", "relations.dleta; did you mean relations.delta?"),
    ("[relation]\ndelta = 1.0\n", "DTE421", "unknown section [relation]"),
    ("[relations]\ndelta = 'big'\n", "DTE422", "relations.delta must be a number of at least 0, not 'big'"),
    ("[store]\nflush_every = 0\n", "DTE422", "store.flush_every must be a positive integer, not 0"),
    ("[events]\nlocation = 1\n", "DTE422", "events.location must be true or false"),
    ("[events]\ncodes = 'verb'\n", "DTE422", "events.codes must be one of root, plover, root_or_plover"),
    ("[relations]\nmodalities = 'asserted'\n", "DTE422", "relations.modalities must be a list of str"),
    ("[documents]\nbands = 64\n", "DTE422", "bands x documents.rows (64 x 4) must be at most documents.num_perm"),
    ("[relations\n", "DTE420", "not TOML"),
])
def test_a_bad_key_or_value_is_one_line_with_its_code(tmp_path, text, code, named):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(UsageError) as info:
        S.load_settings(path, env={})
    assert info.value.error_code == code and named in str(info.value) and "\n" not in str(info.value)
    out = CliRunner().invoke(cli, ["--config", path, "settings"])
    assert out.exit_code == 2 and out.output.count("\n") == 1 and named in out.output


def test_bad_files_variables_and_overrides_are_named(tmp_path):
    with pytest.raises(UsageError, match="cannot read settings file .*nope.toml: no such file") as info:
        S.load_settings(str(tmp_path / "nope.toml"), env={})
    assert info.value.error_code == "DTE420"
    with pytest.raises(UsageError, match=r"^DETENTE_PROGRESS_EVERY must be a number of at least 0, not 'soon' "
                                         r"\(setting cli.progress_every\)$") as info:
        S.load_settings(env={"DETENTE_PROGRESS_EVERY": "soon"})
    assert info.value.error_code == "DTE422"
    with pytest.raises(UsageError, match="--set cli.debug must be true or false, not 'maybe'"):
        S.load_settings(env={}, overrides={"cli.debug": "maybe"})
    with pytest.raises(UsageError, match="--threads must be an integer from 1 to 256, not 0"):
        S.replace(S.DEFAULTS, {"serve.threads": 0}, flags=True)
    out = CliRunner().invoke(cli, ["--set", "relations.delta", "settings"])
    assert out.exit_code == 2 and "--set takes KEY=VALUE" in out.output


def _store(path: str) -> None:
    """NOR-SWE: accusations in January 2024, support in September (an easing by default)."""
    from detente import dedup
    from detente.store import Store

    with Store(path) as store:
        for i, (a, b, cameo, g, quad, day) in enumerate([
                ("NOR", "SWE", "112", -2.0, 3, "2024-01-05"), ("NOR", "SWE", "112", -2.0, 3, "2024-01-09"),
                ("SWE", "NOR", "057", 8.0, 1, "2024-09-02"), ("SWE", "NOR", "057", 8.0, 1, "2024-09-20")]):
            text = f"Article {i} of {day}: " + " ".join(f"w{i}x{k}" for k in range(40)) + "."
            doc = Document(id=f"d{i}", text=text, origin="t", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                           language="en", date=day)
            ev = Event(event_id=f"e{i}", doc_id=doc.id, source=Actor(a, None, a, "GOV", a + "GOV"),
                       target=Actor(b, None, b, "GOV", b + "GOV"), cameo=cameo, plover="X", quad_class=quad,
                       goldstein=g, date=day, date_precision="day", date_basis="text", modality="asserted",
                       location=None, evidence=Evidence(text, 0, len(text)), confidence=0.9)
            store.add(doc, [ev])
    dedup.rebuild(path)


def test_config_reaches_a_command(tmp_path):
    db = str(tmp_path / "s.duckdb")
    _store(db)
    runner = CliRunner()
    plain = runner.invoke(cli, ["relations", "NOR", "SWE", "--db", db])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.output)["verdict"] == "easing"
    strict = write(tmp_path / "strict.toml", "[relations]\nmin_window_events = 50\n")
    out = runner.invoke(cli, ["--config", strict, "relations", "NOR", "SWE", "--db", db])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["verdict"] == "insufficient data"
    out = runner.invoke(cli, ["relations", "NOR", "SWE", "--db", db], env={"DETENTE_CONFIG": strict})
    assert json.loads(out.output)["verdict"] == "insufficient data"
    # the settings of one command line end with it
    assert json.loads(runner.invoke(cli, ["relations", "NOR", "SWE", "--db", db]).output) == json.loads(plain.output)


def test_the_library_reads_the_settings_in_use(tmp_path, monkeypatch):
    from detente.actors import lexicon
    from detente.places import gazetteer
    from detente.pipeline import selective_default
    from detente.store import Store

    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "c1"))
    assert lexicon.cache_dir() == gazetteer.cache_dir() == S.cache_dir() == tmp_path / "c1"  # one definition
    monkeypatch.setenv("DETENTE_CACHE", str(tmp_path / "c2"))  # read again when the environment changes
    assert lexicon.cache_dir() == tmp_path / "c2"
    s = S.load_settings(env={}, overrides={"store.flush_every": "3", "extract.parse": "full",
                                           "extract.phoenix": "false", "cache.dir": str(tmp_path / "c3")})
    with S.use(s):
        assert S.current() is s and gazetteer.cache_dir() == tmp_path / "c3"
        assert not selective_default() and not lexicon.phoenix_enabled()
        with Store(str(tmp_path / "x.duckdb")) as store:
            assert store.flush_every == 3
        child = S.child_environ()  # a snapshot process or a worker gets the same settings
    assert S.current() is not s and S.child_environ() == {}
    monkeypatch.setenv(*next(iter(child.items())))
    assert S.current() == s


def test_the_server_limits_are_settings():
    from detente.serve import App

    with S.use(S.load_settings(env={}, overrides={"serve.max_url": "64"})):
        app = App(None)
    try:
        status, _, body = app.respond({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/health",
                                       "QUERY_STRING": "x=" + "a" * 70})
        assert status == 414 and b"longer than 64 bytes" in body
    finally:
        app.pool.shutdown()


def test_every_environment_variable_read_is_a_documented_setting():
    """No module reads a DETENTE_ variable the settings table does not map (tests' own aside)."""
    read = set()
    for path in (ROOT / "src" / "detente").rglob("*.py"):
        read |= set(re.findall(r"\bDETENTE_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert read <= set(S.ENV) | {S.CONFIG_ENV, S._CHILD_ENV}, read - set(S.ENV)
    assert set(S.ENV) <= read
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert S.markdown_table() in page  # the table of the page is the table of the code
    assert "flag > environment variable > settings file > default" in page
    assert "docs/settings.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# -- pipeline.run's extractor_factory with several workers ------------------------------


class _Tagging:
    """An extractor that rejects every document with a note of where it ran and what it read."""

    def extract_many(self, docs):
        for d in docs:
            yield Rejected(d.origin, f"tagged in {os.getpid()} delta={S.current().relations.delta}", d.id)


def tagging_factory() -> _Tagging:
    return _Tagging()


def _docs(n: int) -> list[Document]:
    return [Document(id=f"d{i}", text=f"text {i}", origin=f"d{i}.txt", content_hash=str(i), language="en")
            for i in range(n)]


def test_the_extractor_factory_runs_in_each_worker_with_the_settings():
    from detente.pipeline import run

    with S.use(S.load_settings(env={}, overrides={"relations.delta": "0.25"})):
        out = list(run(iter(_docs(5)), tagging_factory, workers=2, chunk=2))
    assert [r.doc_id for r in out] == [f"d{i}" for i in range(5)]  # input order
    pids = {int(re.search(r"tagged in (\d+)", r.reason).group(1)) for r in out}
    assert os.getpid() not in pids and all(r.reason.endswith("delta=0.25") for r in out)
    with pytest.raises(UsageError, match="extractor_factory cannot be sent to worker processes") as info:
        list(run(iter(_docs(2)), lambda: _Tagging(), workers=2))
    assert info.value.error_code == "DTE403"
    one = list(run(iter(_docs(2)), lambda: _Tagging(), workers=1))  # one worker: called here
    assert [r.reason for r in one] == [f"tagged in {os.getpid()} delta=1.0"] * 2


def test_the_examples_run():
    import doctest

    result = doctest.testfile(str(ROOT / "docs" / "settings.md"), module_relative=False)
    assert result.attempted >= 2 and result.failed == 0
    result = doctest.testmod(S)
    assert result.attempted >= 2 and result.failed == 0
