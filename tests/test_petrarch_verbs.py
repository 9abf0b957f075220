"""PETRARCH verb dictionaries read into coding-lexicon rows (detente.coding.petrarch_verbs),
and `--verbs` on the command line. The dictionary snippets and sentences are made up here."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from detente.cli import cli
from detente.coding.lexicon import load_lexicon
from detente.coding.petrarch_verbs import extend_lexicon, load_verb_dictionary
from detente.errors import DictionaryError

SNIPPET = """\
# a made-up verb dictionary
####### SYNONYM SETS #######
&PARTNER
+ALLY
+FRIEND_
+CLOSE PARTNER

&KIN
+&PARTNER
+COUSIN

####### VERB PATTERNS #######

---  WOO   [050]  ---
WOO {WOOS WOOED WOOING}
COURT  # a comment
+SWEET_TALK [---]
+BUTTER_UP
- * (WITH {TRADE DEAL})            [0311]     # WOO
- * &KIN                           [051]
- PIRATES *                        [---]
- * {NAVAL BASE}                   [---]
- * + (TO)                         [042]
- * (TO)                           [042:043]
- * DOWN (FROM)                    [080!]

---  BLUSTER   [---]  ---
BLUSTER
- * (AT &PARTNER)                  [111]
~ a (a b WOO) SAY = a b 015
"""


def _conds(row) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in row.conditions:
        out.setdefault(c.key, []).append("|".join(sorted(c.values)))
    return out


def _write(tmp_path, text: str, name: str = "verbs.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_synonym_sets_patterns_and_verbs(tmp_path):
    d = load_verb_dictionary(_write(tmp_path, SNIPPET))
    woo = [r for r in d.rows if r.lemma == "woo"]
    # patterns first, more conditions first; the verb's own row last
    assert [(r.cameo, _conds(r)) for r in woo] == [
        ("0311", {"prep": ["with"], "pobj": ["deal"], "mod": ["trade"]}),
        ("-", {"obj": ["base"], "mod": ["naval"]}),
        ("051", {"obj": ["ally|cousin|friend"]}),  # nested set; "CLOSE PARTNER" left out
        ("-", {"subj": ["pirates"]}),
        ("050", {}),
    ]
    # a block's patterns hold for all its single-word verbs
    assert [(r.cameo, _conds(r)) for r in d.rows if r.lemma == "court"] == [(r.cameo, _conds(r)) for r in woo]
    # multi-word verbs: one row each, the block code unless their own; [---] gives none
    assert [(r.cameo, _conds(r)) for r in d.rows if r.lemma == "butter"] == [("050", {"prt": ["up"]})]
    assert not [r for r in d.rows if r.lemma == "sweet"]
    # a [---] block: its verb codes only through its patterns
    assert [(r.cameo, _conds(r)) for r in d.rows if r.lemma == "bluster"] == [
        ("111", {"prep": ["at"], "pobj": ["ally|friend"]})]
    assert d.skipped["source/target marker $ or +"] == 1
    assert d.skipped["paired code [A:B]"] == 1
    assert d.skipped["code not in the CAMEO table"] == 1
    assert d.skipped["transformation (~ line)"] == 1
    assert d.skipped["multi-word synonym (member left out)"] == 1
    assert d.patterns == 8 and d.verbs == 5
    assert "skipped" in d.summary()


@pytest.mark.parametrize("text,line,reason", [
    ("---  WOO   [050]  ---\nWOO\n- * &PARTNER\n", 3, "pattern without a [CODE]"),
    ("---  WOO   050  ---\nWOO\n", 1, "bad verb block header"),
    ("- * ALLY [051]\n---  WOO   [050]  ---\n", 1, "pattern before any verb block"),
    ("---  WOO   [050]  ---\nWOO\n- (WITH) ALLY [051]\n", 3, "pattern without the verb"),
    ("---  WOO   [050]  ---\nWOO {WOOED\n", 2, "bad verb line"),
    ("# nothing but a comment\n&PARTNER\n+ALLY\n", 1, "no verb block"),
])
def test_malformed_file_names_the_line(tmp_path, text, line, reason):
    p = _write(tmp_path, text)
    with pytest.raises(DictionaryError) as err:
        load_verb_dictionary(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}:{line}: ") and reason in msg
    assert "\n" not in msg


def test_missing_file_is_a_dictionary_error(tmp_path):
    with pytest.raises(DictionaryError, match="cannot read"):
        load_verb_dictionary(tmp_path / "nope.txt")


def test_builtin_rows_win_and_coder_verbs_are_left_alone(tmp_path):
    base = load_lexicon()
    text = ("---  WITHDRAW  [0874]  ---\nWITHDRAW\n"
            "---  SAY  [010]  ---\nSAY\n"
            "---  WOO  [050]  ---\nWOO\n")
    d = load_verb_dictionary(_write(tmp_path, text))
    lex = extend_lexicon(base, [d])
    # built-in rows first, the user's behind them
    n = len(base.rows("withdraw", "V"))
    assert n and lex.rows("withdraw", "V")[:n] == base.rows("withdraw", "V")
    assert lex.rows("withdraw", "V")[n:][0].cameo == "0874"
    # a verb of saying keeps the coder's own treatment
    assert lex.rows("say", "V") == base.rows("say", "V")
    assert d.skipped["row on a verb the coder treats itself (light, saying, modality)"] == 1
    assert [r.cameo for r in lex.rows("woo", "V")] == ["050"]
    # the built-in lexicon itself is unchanged
    assert not base.rows("woo", "V")


def test_extra_verbs_from_the_command_line(tmp_path):
    verbs = _write(tmp_path, "&PARTNER\n+ALLY\n\n---  WOO   [---]  ---\nWOO\n"
                             "- * (WITH {TRADE DEAL})   [0311]\n- * &PARTNER   [051]\n")
    doc = tmp_path / "a.txt"
    doc.write_text("date 2023-05-02\nIndia wooed Japan with a trade deal on Tuesday.\n", encoding="utf-8")
    without = CliRunner().invoke(cli, ["extract", str(doc)])
    assert without.exit_code == 0, without.output
    assert "0311" not in without.output
    r = CliRunner().invoke(cli, ["extract", str(doc), "--verbs", str(verbs)])
    assert r.exit_code == 0, r.output
    events = [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert [(e["source"]["country"], e["target"]["country"], e["cameo"]) for e in events] == [("IND", "JPN", "0311")]


def test_bad_verbs_file_on_the_command_line(tmp_path):
    bad = _write(tmp_path, "---  WOO   [050]  ---\nWOO\n- * ALLY\n")
    doc = tmp_path / "a.txt"
    doc.write_text("India wooed Japan.\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["extract", str(doc), "--verbs", str(bad)])
    assert r.exit_code == 2
    assert f"{bad}:3: pattern without a [CODE]" in r.output
