"""PETRARCH / TABARI verb-pattern dictionaries read into rows of the coding lexicon.

A PETRARCH-2 verb dictionary (e.g. the production ``CAMEO.2.0.verbs.txt``) has synonym sets::

    &CEASEFIRE
    +CEASEFIRE
    +TRUCE

then verb blocks: a header with the block's default code, the verbs of the block (with
irregular forms in ``{}``, an own code in ``[]``, multi-word verbs as ``+SHUT_DOWN``), then
patterns, ``*`` standing for the verb::

    ---  AGREE   [030]  ---
    AGREE
    CONSENT
    +SIGN_UP [030]
    - * (TO &CEASEFIRE)                  [0356]    # AGREE
    - * {HUMANITARIAN AID}              [0333]
    - &MILITARY * EXERCISES             [062]
    - ELECTION *                        [---]

:func:`load_verb_dictionary` converts what the lexicon (``predicates.tsv``, see docs/coding.md)
can express, for every single-word verb of the block (PETRARCH applies a block's patterns
to all its verbs):

* a verb with a code: an unconditioned row ``agree V - 030``, placed after the verb's
  pattern rows; ``[---]`` gives no row (the verb codes only through its patterns);
* a multi-word verb ``+SHUT_DOWN``: ``shut V prt=down``; ``+ASK_FOR``: ``ask V prep=for``;
  a following noun (``+TAKE_SHAPE``) is an ``obj=``;
* a pattern's object side: a particle (UP, DOWN, OUT, OFF, ...) gives ``prt=``, the first noun
  phrase ``obj=`` (its last word; the words before it ``mod=``: ``{HUMANITARIAN AID}`` is
  ``obj=aid mod=humanitarian``), a phrase in parentheses ``(TO {PEACE PLAN})`` gives
  ``prep=to pobj=plan mod=peace``, a bare preposition (``COUP AGAINST``, ``ON &SOLUTION``)
  ``prep=``, its noun ``pobj=``; ``&SET`` stands for the single-word members of the set;
* a pattern's subject side (one noun phrase): ``subj=`` (and ``mod=``);
* a pattern coded ``[---]``: a blocking row (``-``: known not to be an event).

Pattern rows of a verb come first, those with more conditions before those with fewer (the
lexicon takes the first row whose conditions hold; PETRARCH the longest match), then its
unconditioned row. What the lexicon cannot express is skipped and counted by reason in
:attr:`VerbDictionary.skipped`: source/target markers (``$``, ``+``), compound-actor ``%``
and skip ``^`` markers, paired codes (``[042:043]``, ``[:173]``), codes not in detente's CAMEO
table (``[080!]``), a verb inside a phrase (``SPY_*_DEAL``), negation, unbalanced brackets (two garbled lines of the
production file), a second object
phrase, an of-phrase or a second phrase hanging on a noun (the lexicon cannot test a
grandchild), undefined synonym sets (the production file uses a few), multi-word members of
synonym sets, transformations (``~`` lines). Words are
compared with the token's lemma or lower-case form, as written (``SANCTIONS`` matches
"sanctions", not "sanction"); a trailing ``_`` (whole word) is dropped.

:func:`extend_lexicon` appends the rows to the built-in lexicon behind its own rows: a
built-in row whose conditions hold wins, so user rows only add lemmas and readings the
built-in lexicon lacks. Rows for verbs the coder treats itself (light verbs, verbs of
saying, verbs of occurrence, auxiliaries and modality-governing verbs such as "plan",
"expect", "fail") are left out: a row on them would replace that treatment.

A malformed file raises :class:`detente.errors.DictionaryError` with a one-line message
``path:line: reason``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from detente.coding.lexicon import (
    Condition,
    Lexicon,
    Predicate,
    cameo_table,
    load_lexicon,
    load_modality_cues,
    load_speech,
    spelling_variant,
)
from detente.actors.dictionaries import read_text
from detente.errors import DictionaryError

__all__ = ["VerbDictionary", "load_verb_dictionary", "extend_lexicon", "load_lexicon_with"]

# Words read as particles when they are not the first word of a parenthesised phrase.
PARTICLES = frozenset("up down out off away back forward aside together apart ahead".split())
PREPOSITIONS = frozenset(
    "about above across after against along amid amidst among around as at before behind below "
    "beside besides between beyond by despite during for from in inside into near of on onto "
    "over per since through throughout to toward towards under until upon via with within "
    "without".split()
)
_DETERMINERS = frozenset("a an the".split())
_NEGATION = frozenset("not no never n't".split())

_HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s*(?:---\s*)+$")
_CODE_AT_END = re.compile(r"\[([^\]]*)\]\s*$")
_VERB_LINE = re.compile(r"^(\+?)([A-Za-z][A-Za-z0-9'_\-+]*)\s*(\{[^{}]*\})?\s*(?:\[([^\]]*)\])?\s*$")
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'\-]*$")


@dataclass
class VerbDictionary:
    """The rows read from one verb dictionary, and what was skipped (reason -> count)."""

    path: str
    rows: list[Predicate] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    verbs: int = 0
    patterns: int = 0

    def summary(self) -> str:
        """One line: rows made, patterns read, skipped patterns by reason."""
        why = ", ".join(f"{n} {reason}" for reason, n in self.skipped.most_common())
        return (f"{self.path}: {len(self.rows)} rows from {self.verbs} verbs and {self.patterns} "
                f"patterns; skipped: {why or 'nothing'}")


class _Skip(Exception):
    """A pattern or verb the lexicon cannot express (the reason is the message)."""


def _strip_comment(line: str) -> str:
    """The line without its comment: ``#`` at the start or after a space or bracket (PETRARCH; "[###]" is
    a code), ``;`` (TABARI, left in some files), or a whole line ``<!-- ... -->`` (PETRARCH 1)."""
    if line.lstrip().startswith("<!--") and line.rstrip().endswith("-->"):
        return ""
    return re.split(r"(?:^|(?<=[\s\]}]))#|;", line, maxsplit=1)[0].rstrip()


def _word(tok: str) -> str:
    """A dictionary word as the lexicon writes it: lower case, without the trailing ``_``."""
    return tok.rstrip("_").lower()


def _code(text: str, table) -> str:
    """The lexicon code of a bracketed code: a CAMEO code, or "-" for ``---``."""
    text = text.strip()
    if text == "---":
        return "-"
    if ":" in text:
        raise _Skip("paired code [A:B]")
    if text not in table:
        raise _Skip("code not in the CAMEO table")
    return text


def _tokens(text: str, where: str) -> list[str]:
    """Pattern tokens: words, ``*``, ``&SET``, markers, and the brackets ``{ } ( )``."""
    toks = re.findall(r"[{}()]|[^\s{}()]+", text)
    depth = {"{": 0, "(": 0}
    for t in toks:
        if t in "{(":
            depth[t] += 1
        elif t in "})":
            opening = "{" if t == "}" else "("
            depth[opening] -= 1
            if depth[opening] < 0:
                raise _Skip("unbalanced brackets")
    if any(depth.values()):
        raise _Skip("unbalanced brackets")
    return toks


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.table = cameo_table()
        self.sets: dict[str, list[str]] = {}
        self.set_lines: dict[str, int] = {}
        self._expanded: dict[str, frozenset[str]] = {}
        self.out = VerbDictionary(str(path))

    # ------------------------------------------------------------ synonym sets
    def _set_values(self, name: str, where: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        key = name.upper().rstrip("_")
        if key not in self.sets:
            raise _Skip("undefined synonym set")
        if key in self._expanded:
            return self._expanded[key]
        if key in seen:
            raise DictionaryError(f"{where}: synonym set {name} contains itself")
        out: set[str] = set()
        for member in self.sets[key]:
            if member.startswith("&"):
                out |= self._set_values(member, where, seen | {key})
            elif _WORD.match(member.rstrip("_")):
                out.add(_word(member))
            else:
                self.out.skipped["multi-word synonym (member left out)"] += 1
        self._expanded[key] = frozenset(out)
        return self._expanded[key]

    # ------------------------------------------------------------ phrases
    def _phrase(self, toks: list[str], where: str) -> tuple[frozenset[str], list[frozenset[str]]]:
        """A noun phrase's head values and its modifiers' values (determiners dropped)."""
        parts: list[frozenset[str]] = []
        for t in toks:
            if t in "{}":
                continue
            if t.startswith("&"):
                vals = self._set_values(t, where)
                if not vals:
                    raise _Skip("synonym set with no single-word member")
                parts.append(vals)
                continue
            for w in t.split("_"):
                if not w:
                    continue
                lw = w.lower()
                if lw in _DETERMINERS:
                    continue
                if lw in _NEGATION:
                    raise _Skip("negation")
                if not _WORD.match(w):
                    raise _Skip("unsupported token in a phrase")
                parts.append(frozenset([lw]))
        if not parts:
            raise _Skip("empty phrase")
        return parts[-1], parts[:-1]

    def _pattern(self, body: str, where: str) -> tuple[Condition, ...]:
        toks = _tokens(body, where)
        stars = [i for i, t in enumerate(toks) if t == "*"]
        if not stars:
            if any("*" in t for t in toks):
                raise _Skip("verb inside a multi-word phrase")
            raise DictionaryError(f"{where}: pattern without the verb '*'")
        if len(stars) > 1:
            raise DictionaryError(f"{where}: pattern with more than one '*'")
        for t in toks:
            if t in ("$", "+"):
                raise _Skip("source/target marker $ or +")
            if t == "%":
                raise _Skip("compound-actor marker %")
            if t == "^":
                raise _Skip("skip marker ^")
            if "*" in t and t != "*":
                raise _Skip("verb inside a multi-word phrase")
        conds: list[Condition] = []
        before, after = toks[: stars[0]], toks[stars[0] + 1:]
        if before:
            if "(" in before:
                raise _Skip("phrase in parentheses before the verb")
            head, mods = self._phrase(before, where)
            conds.append(Condition("subj", head))
            conds.extend(Condition("mod", m) for m in mods)
        conds.extend(self._object_side(after, where))
        return tuple(conds)

    def _object_side(self, toks: list[str], where: str) -> list[Condition]:
        conds: list[Condition] = []
        have_obj = False
        have_phrase = False  # a noun phrase (object or prepositional) already read
        i = 0
        while i < len(toks):
            t = toks[i]
            if t == "(":
                j = toks.index(")", i)
                inner = [x for x in toks[i + 1: j] if x != "("]
                words = [w for x in inner if x not in "{}" for w in x.split("_") if w]
                if not words or words[0].lower() not in PREPOSITIONS:
                    raise _Skip("phrase in parentheses without a preposition")
                prep = words[0].lower()
                if have_phrase and (prep == "of" or conds and conds[-1].key == "pobj"):
                    raise _Skip("phrase hanging on a noun (of-phrase or second phrase)")
                conds.append(Condition("prep", frozenset([prep])))
                rest = self._after_first_word(inner)
                if rest:
                    head, mods = self._phrase(rest, where)
                    conds.append(Condition("pobj", head))
                    conds.extend(Condition("mod", m) for m in mods)
                    have_phrase = True
                i = j + 1
                continue
            if t == "{":
                j = toks.index("}", i)
                group = toks[i + 1: j]
                i = j + 1
                first = group[0].lower() if group else ""
                if first in PREPOSITIONS:
                    raise _Skip("preposition inside a noun phrase")
                conds.extend(self._noun(group, where, have_obj))
                have_obj = have_phrase = True
                continue
            lw = t.lower()
            if lw in PARTICLES and not have_obj:
                conds.append(Condition("prt", frozenset([lw])))
                i += 1
                continue
            if lw in PREPOSITIONS:
                # a bare preposition: the noun phrase after it is its object
                if have_phrase and lw == "of":
                    raise _Skip("phrase hanging on a noun (of-phrase or second phrase)")
                conds.append(Condition("prep", frozenset([lw])))
                j = i + 1
                group: list[str] = []
                if j < len(toks) and toks[j] == "{":
                    k = toks.index("}", j)
                    group, j = toks[j + 1: k], k + 1
                elif j < len(toks) and toks[j] not in "()" and toks[j].lower() not in PREPOSITIONS | PARTICLES:
                    group, j = [toks[j]], j + 1
                if group:
                    head, mods = self._phrase(group, where)
                    conds.append(Condition("pobj", head))
                    conds.extend(Condition("mod", m) for m in mods)
                    have_phrase = True
                i = j
                continue
            conds.extend(self._noun([t], where, have_obj))
            have_obj = have_phrase = True
            i += 1
        return conds

    @staticmethod
    def _after_first_word(inner: list[str]) -> list[str]:
        """The tokens of a parenthesised phrase after its preposition (``IN_SUPPORT`` too)."""
        for k, x in enumerate(inner):
            if x in "{}":
                continue
            parts = [p for p in x.split("_") if p]
            if len(parts) > 1:
                return ["_".join(parts[1:]), *inner[k + 1:]]
            return inner[k + 1:]
        return []

    def _noun(self, group: list[str], where: str, have_obj: bool) -> list[Condition]:
        if have_obj:
            raise _Skip("second object phrase")
        head, mods = self._phrase(group, where)
        return [Condition("obj", head), *(Condition("mod", m) for m in mods)]

    # ------------------------------------------------------------ verbs
    def _verb(self, word: str, where: str) -> tuple[str, tuple[Condition, ...]]:
        """A verb line's lemma and the conditions of its extra words (``+SHUT_DOWN``)."""
        words = [w.lower() for w in word.lstrip("+").split("_") if w]
        if any(w.startswith("+") for w in words):  # WIRE_+TAP: "+" marks a verb after words
            raise _Skip("words before the verb in a multi-word verb")
        if not words or not words[0].isalpha():
            raise _Skip("not a verb lemma")
        conds: list[Condition] = []
        have_obj = False
        for w in words[1:]:
            if not _WORD.match(w):
                raise _Skip("unsupported multi-word verb")
            if w in PARTICLES:
                conds.append(Condition("prt", frozenset([w])))
            elif w in PREPOSITIONS:
                conds.append(Condition("prep", frozenset([w])))
            elif not have_obj:
                conds.append(Condition("obj", frozenset([w])))
                have_obj = True
            else:
                raise _Skip("unsupported multi-word verb")
        return words[0], tuple(conds)

    # ------------------------------------------------------------ the file
    def read(self) -> VerbDictionary:
        text = read_text(self.path, "verb dictionary")
        lines = text.splitlines()
        p = self.path
        # pass 1: synonym sets (they may be used before they are defined)
        current: str | None = None
        for n, raw in enumerate(lines, 1):
            line = _strip_comment(raw).strip()
            if not line:
                continue
            if line.startswith("&"):
                name = line.split()[0].upper().rstrip("_")
                if len(line.split()) != 1 or not re.match(r"^&[A-Z0-9_]+$", name):
                    raise DictionaryError(f"{p}:{n}: bad synonym set name {line!r}")
                current = name
                self.sets.setdefault(name, [])
                self.set_lines[name] = n
            elif line.startswith("+") and current is not None:
                self.sets[current].append(line[1:].strip())
            else:
                current = None
        # pass 2: verb blocks
        block: tuple[str, str | None] | None = None  # (default code or None, skip reason)
        in_set = False
        verbs: list[tuple[str, tuple[Condition, ...], str | None, int]] = []  # block verbs
        patterns: list[tuple[tuple[Condition, ...], str, int]] = []
        blocks: list[tuple[list, list]] = []
        seen_block = False
        for n, raw in enumerate(lines, 1):
            where = f"{p}:{n}"
            line = _strip_comment(raw).strip()
            if not line:
                continue
            if line.startswith("&"):
                in_set = True
                continue
            if line.startswith("~"):
                self.out.skipped["transformation (~ line)"] += 1
                continue
            if line.startswith("---"):
                m = _HEADER.match(line)
                if not m:
                    raise DictionaryError(f"{where}: bad verb block header (want '--- VERB [CODE] ---')")
                in_set = False
                seen_block = True
                verbs, patterns = [], []
                blocks.append((verbs, patterns))
                try:
                    block = (_code(m.group(2), self.table), None)
                except _Skip as why:
                    block = (None, str(why))
                continue
            if in_set and line.startswith("+"):
                continue
            in_set = False
            if line.startswith(("-", "*")):  # "* (TO X) [110]": a pattern without its "- "
                if block is None:
                    raise DictionaryError(f"{where}: pattern before any verb block")
                m = _CODE_AT_END.search(line)
                if not m:
                    raise DictionaryError(f"{where}: pattern without a [CODE]")
                self.out.patterns += 1
                body = line[1: m.start()] if line.startswith("-") else line[: m.start()]
                try:
                    code = _code(m.group(1), self.table)
                    conds = self._pattern(body, where)
                except _Skip as why:
                    self.out.skipped[str(why)] += 1
                    continue
                patterns.append((conds, code, n))
                continue
            if block is None:
                raise DictionaryError(f"{where}: line before any verb block or synonym set")
            m = _VERB_LINE.match(line)
            if not m:
                raise DictionaryError(f"{where}: bad verb line {line!r} (want 'VERB {{FORMS}} [CODE]')")
            self.out.verbs += 1
            own = m.group(4)
            try:
                lemma, conds = self._verb(m.group(1) + m.group(2), where)
                if own is not None:
                    code: str | None = _code(own, self.table)
                elif block[1] is not None:
                    raise _Skip(block[1])
                else:
                    code = block[0]
            except _Skip as why:
                self.out.skipped[f"verb: {why}"] += 1
                continue
            verbs.append((lemma, conds, code, n))
        if not seen_block:
            raise DictionaryError(f"{p}:1: no verb block ('--- VERB [CODE] ---') in the file")
        self._rows(blocks)
        return self.out

    def _rows(self, blocks: list[tuple[list, list]]) -> None:
        by_lemma: dict[str, list[tuple[int, int, Predicate]]] = {}
        seen: set[tuple[str, tuple[Condition, ...]]] = set()
        order = 0

        def add(lemma: str, conds: tuple[Condition, ...], code: str, line: int) -> None:
            nonlocal order
            key = (lemma, conds)
            if key in seen:  # the first of two identical patterns wins anyway
                return
            seen.add(key)
            order += 1
            pred = Predicate(lemma, "V", conds, code, frozenset(), line)
            by_lemma.setdefault(lemma, []).append((-len(conds), order, pred))

        for verbs, patterns in blocks:
            for lemma, vconds, code, line in verbs:
                if vconds:  # a multi-word verb: one row of its own
                    if code not in (None, "-"):
                        add(lemma, vconds, code, line)
                    continue
                for pconds, pcode, pline in patterns:
                    add(lemma, pconds, pcode, pline)
            for lemma, vconds, code, line in verbs:
                if not vconds and code not in (None, "-"):
                    add(lemma, (), code, line)
        for lemma in by_lemma:
            self.out.rows.extend(pred for _, _, pred in sorted(by_lemma[lemma], key=lambda x: (x[0], x[1])))


def load_verb_dictionary(path: str | Path) -> VerbDictionary:
    """Read a PETRARCH verb dictionary into lexicon rows (see the module doc).

    Raises DictionaryError (``path:line: reason``) on a malformed file."""
    return _Reader(Path(path)).read()


def _coder_verbs(lexicon: Lexicon) -> frozenset[str]:
    """Verbs the coder treats itself: a lexicon row on them would replace that treatment."""
    cues = load_modality_cues().cues
    return (lexicon.light_verbs | lexicon.occurrence_verbs | load_speech().verbs
            | frozenset(cues.get("govern", {})) | frozenset(cues.get("aux", {})))


def extend_lexicon(base: Lexicon, dictionaries: Iterable[VerbDictionary]) -> Lexicon:
    """``base`` with the dictionaries' rows appended behind its own rows of the same lemma
    (a row of ``base`` whose conditions hold wins). Rows on verbs the coder treats itself are
    left out and counted in the dictionary's ``skipped``; a lemma the base lexicon has under
    its other spelling ("organise"/"organize") joins the base's rows."""
    protected = _coder_verbs(base)
    extra: list[Predicate] = []
    for d in dictionaries:
        for row in d.rows:
            if row.lemma in protected:
                d.skipped["row on a verb the coder treats itself (light, saying, modality)"] += 1
                continue
            lemma = row.lemma
            if not base.rows(lemma, row.pos):
                alt = spelling_variant(lemma)
                if alt is not None and base.rows(alt, row.pos):
                    lemma = alt
            extra.append(row if lemma == row.lemma else Predicate(
                lemma, row.pos, row.conditions, row.cameo, row.flags, row.line))
    return base.extended(extra)


def load_lexicon_with(verb_files: Sequence[str | Path] = ()) -> Lexicon:
    """The built-in lexicon, extended with the rows of ``verb_files`` (the built-in one
    itself when there are none)."""
    if not verb_files:
        return load_lexicon()
    return extend_lexicon(load_lexicon(), [load_verb_dictionary(p) for p in verb_files])
