"""Error codes (issue 13.7): one table of codes in detente.errors, every deliberate error a
DetenteError with a stable code (API errors too, keeping their HTTP status), the codes in the
API's JSON errors, the tree drawn in errors.py's docstring and docs/errors.md."""
from __future__ import annotations

import ast
import json
import pickle
import re
from pathlib import Path

import duckdb
import pytest

from detente import errors
from detente.errors import (CODES, DetenteError, DictionaryError, InputError, StoreError, UnknownActorError,
                            UsageError, code_for_status)
from detente.serve import ApiError, handle

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "detente"
CLASSES = {"DetenteError": DetenteError, "InputError": InputError, "DictionaryError": DictionaryError,
           "StoreError": StoreError, "UsageError": UsageError, "UnknownActorError": UnknownActorError,
           "ApiError": ApiError}


def test_the_table_is_one_code_per_row_and_names_only_real_classes():
    codes = [row.code for row in CODES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"DTE[0-9]{3}", c) for c in codes)
    assert {row.cls for row in CODES} == set(CLASSES)
    assert all(row.meaning for row in CODES)
    for name in CLASSES:  # each class's first row is its general case, its default code
        first = next(row for row in CODES if row.cls == name)
        assert first.situation == "", name


def test_every_class_is_a_detente_error_with_its_default_code():
    assert issubclass(ApiError, DetenteError)
    assert InputError("x").error_code == "DTE100"
    assert DictionaryError("x").error_code == "DTE200"
    assert StoreError("x").error_code == "DTE300"
    assert UsageError("x").error_code == "DTE400"
    assert DetenteError("x").error_code == "DTE001"
    err = UnknownActorError("KENYA", ("KEN",))
    assert err.error_code == "DTE410" and err.code == "KENYA" and err.suggestions == ("KEN",)  # .code: the actor
    assert isinstance(err, UsageError)


def test_a_subclass_without_a_row_takes_its_nearest_ancestors_code():
    class Special(StoreError):
        pass

    assert Special("x").error_code == "DTE300"
    assert Special("x", code="DTE303").error_code == "DTE303"


def test_a_code_missing_from_the_table_is_refused():
    with pytest.raises(ValueError, match="DTE999"):
        StoreError("x", code="DTE999")


def test_messages_are_unchanged_and_the_code_survives_pickling():
    err = StoreError("cannot open database x: no such file", code="DTE301")
    assert str(err) == "cannot open database x: no such file" and err.args == ("cannot open database x: no such file",)
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.error_code == "DTE301"


def test_api_error_keeps_its_status_and_takes_the_code_of_it():
    for status, code in ((400, "DTE501"), (401, "DTE502"), (404, "DTE503"), (405, "DTE504"), (414, "DTE505"),
                         (503, "DTE506"), (504, "DTE507"), (500, "DTE508"), (413, "DTE509"), (431, "DTE510"),
                         (418, "DTE500")):
        err = ApiError(status, "m")
        assert (err.status, err.message, str(err), err.error_code) == (status, "m", "m", code)
        assert code_for_status(status) == code
    assert ApiError(400, "m", "DTE401").error_code == "DTE401"


def _raise_sites():
    """(file, line, class name, code or None) of every ``SomethingError(...)`` call in src/."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in CLASSES:
                    code = next((kw.value for kw in node.keywords if kw.arg == "code"), None)
                    if name == "ApiError" and len(node.args) > 2:
                        code = node.args[2]
                    yield path.relative_to(SRC), node.lineno, name, code


def test_every_code_named_at_a_raise_is_in_the_table_under_that_class():
    rows = {row.code: row for row in CODES}
    named = 0
    for where, line, name, code in _raise_sites():
        if isinstance(code, ast.Constant):
            named += 1
            assert code.value in rows, f"{where}:{line}: {code.value} not in errors.CODES"
            assert issubclass(CLASSES[name], CLASSES[rows[code.value].cls]), f"{where}:{line}: {code.value} is not {name}'s"
    assert named >= 10


def test_situation_codes_of_the_store(tmp_path):
    from detente.dedup import open_db
    from detente.store import Store

    with pytest.raises(StoreError) as info:
        open_db(str(tmp_path / "none.duckdb"), read_only=True)
    assert info.value.error_code == "DTE301" and str(info.value).endswith("no such file")
    with pytest.raises(StoreError) as info:
        Store(str(tmp_path / "none.duckdb"), read_only=True)
    assert info.value.error_code == "DTE301"

    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE invoices (n INTEGER)")
    con.close()
    with pytest.raises(StoreError) as info:
        Store(str(other))
    assert info.value.error_code == "DTE302" and "not a detente database" in str(info.value)

    old = tmp_path / "old.duckdb"
    with Store(str(old)):
        pass
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError) as info:
        Store(str(old))
    assert info.value.error_code == "DTE303" and "schema version 0" in str(info.value)

    with Store(str(old).replace("old", "new")) as store:
        pass
    with pytest.raises(StoreError) as info:
        store._connection()
    assert info.value.error_code == "DTE305" and "is closed" in str(info.value)


def test_situation_codes_of_date_bounds():
    from detente.dates import check_range, date_bound

    with pytest.raises(UsageError) as info:
        date_bound("2025-02-30", "since")
    assert info.value.error_code == "DTE401" and str(info.value).startswith("since must be a date")
    with pytest.raises(UsageError) as info:
        check_range("2025-03", "2025-01", ("since", "until"))
    assert info.value.error_code == "DTE402"
    assert str(info.value) == "since 2025-03 is after until 2025-01: a reversed date range"


def test_api_error_bodies_carry_the_code():
    status, ctype, body = handle(None, "/no/such/path")
    assert status == 404 and json.loads(body) == {"error": "no such path: /no/such/path", "code": "DTE503"}
    status, _, body = handle(None, "/api/events?since=2025-13")
    assert status == 400 and json.loads(body)["code"] == "DTE401"
    status, _, body = handle(None, "/api/events?limit=x")
    assert status == 400 and json.loads(body) == {"error": "limit must be an integer, not 'x'", "code": "DTE501"}
    schema = json.loads(handle(None, "/openapi.json")[2])["components"]["schemas"]["Error"]
    assert schema["required"] == ["error", "code"] and schema["properties"]["code"]["pattern"] == "^DTE[0-9]{3}$"


def test_the_app_answers_its_own_errors_with_codes(tmp_path):
    from detente.serve import App

    app = App.__new__(App)  # only the answer helpers: no snapshots, no threads
    status, headers, body = app._error(405, "method PUT not allowed; the API is read-only (GET)")
    assert status == 405 and json.loads(body) == {"error": "method PUT not allowed; the API is read-only (GET)",
                                                  "code": "DTE504"}


def test_the_cli_line_stays_as_it_was(tmp_path):
    from click.testing import CliRunner

    from detente.cli import cli

    result = CliRunner().invoke(cli, ["relations", "--db", str(tmp_path / "none.duckdb"), "KEN", "UGA"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"detente: no such database: {tmp_path / 'none.duckdb'}"]


def test_the_tree_and_every_code_are_documented():
    doc = errors.__doc__
    page = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for name in CLASSES:
        assert name in doc and name in page, name
    drawn = set(re.findall(r"DTE[0-9]{3}", doc))
    for lo, hi in re.findall(r"DTE([0-9]{3})\.\.DTE([0-9]{3})", doc):  # ranges: DTE301..DTE305
        drawn |= {f"DTE{n:03d}" for n in range(int(lo), int(hi) + 1)}
    for row in CODES:
        assert f"`{row.code}`" in page, row.code
        assert row.code in drawn, f"{row.code} is not drawn in errors.py's docstring"
    # each code of the page has a heading, an example message and what to do
    sections = re.split(r"^### ", page, flags=re.M)[1:]
    assert [s.split()[0].strip("`") for s in sections] == [row.code for row in CODES]
    for s in sections:
        assert "Example:" in s and "What to do:" in s, s.split("\n")[0]


def test_the_examples_of_the_page_run():
    import doctest

    result = doctest.testfile(str(ROOT / "docs" / "errors.md"), module_relative=False)
    assert result.attempted >= 3 and result.failed == 0


def test_the_library_names_parameters_generically_and_each_front_end_words_them(tmp_path):
    from detente import relations
    from detente.dates import check_range, date_bound
    from detente.errors import worded

    with pytest.raises(UsageError) as info:
        relations.relations(str(tmp_path / "x.duckdb"), "USA", "CHN", freq="week")
    err = info.value
    assert str(err) == "freq must be one of month, quarter, year, not 'week'" and err.params == ("freq",)
    assert worded(err, "--{}") == "--freq must be one of month, quarter, year, not 'week'"
    assert worded(err, "{}") == str(err)
    with pytest.raises(UsageError) as info:
        check_range("2017-03", "2017-02-28")
    assert worded(info.value, "--{}") == "--since 2017-03 is after --until 2017-02-28: a reversed date range"
    with pytest.raises(UsageError) as info:
        date_bound("since", "since")  # the value's own text is not reworded
    assert worded(info.value, "--{}") == "--since must be a date YYYY, YYYY-MM or YYYY-MM-DD, not 'since'"
    assert worded(StoreError("a --b c"), "{}") == "a --b c"


def test_the_command_line_words_a_bad_date_as_its_flag(tmp_path):
    from click.testing import CliRunner

    from detente.cli import cli

    result = CliRunner().invoke(cli, ["events", "--db", str(tmp_path / "x.duckdb"), "--since", "2017-13"])
    assert result.exit_code == 2
    assert "--since must be a date YYYY, YYYY-MM or YYYY-MM-DD, not '2017-13'" in result.output
