"""The coding knowledge, loaded from data files: the CAMEO table, the predicate lexicon,
light verbs and modality cues. Each loader validates its file and raises DictionaryError
with the file and line on a malformed row."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator

from detente.errors import DictionaryError

__all__ = [
    "CameoCode",
    "Condition",
    "Predicate",
    "Lexicon",
    "ModalityCues",
    "Speech",
    "cameo_table",
    "load_speech",
    "load_intent",
    "load_acts",
    "load_lexicon",
    "load_modality_cues",
    "spelling_variant",
]

_CONDITION_KEYS = {"prt", "prep", "obj", "pobj", "xcomp", "of", "mod", "subj", "pred"}
_FLAGS = {"recip", "weak", "place", "stative"}
_MODALITIES = {"planned", "hypothetical", "negated"}
_MODALITY_KINDS = {"aux", "govern", "mark", "pending", "amod", "neg"}


@dataclass(frozen=True)
class CameoCode:
    """One row of the CAMEO table: code, name, Goldstein value, quad class, PLOVER type."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None


@dataclass(frozen=True)
class Condition:
    """A test on the predicate's dependents: ``key`` one of prt, prep, obj, pobj, xcomp, of;
    ``values`` the accepted lemmas (empty: any dependent of that kind)."""

    key: str
    values: frozenset[str]


@dataclass(frozen=True)
class Predicate:
    """A lexicon row: a lemma with a part of speech and conditions, coded as ``cameo``."""

    lemma: str
    pos: str
    conditions: tuple[Condition, ...]
    cameo: str
    flags: frozenset[str]
    line: int

    @property
    def reciprocal(self) -> bool:
        """A compound or plural subject acts on each other ("A and B met")."""
        return "recip" in self.flags

    @property
    def weak(self) -> bool:
        """A generic reading that ranks below specific ones."""
        return "weak" in self.flags

    @property
    def place_target(self) -> bool:
        """The target may be a place ("travelled to Baku" targets Azerbaijan)."""
        return "place" in self.flags

    @property
    def stative(self) -> bool:
        """A passive form reads as active: "Israel is opposed to X" (Israel opposes X), "is
        committed to a ceasefire"; its subject is the source."""
        return "stative" in self.flags


@dataclass(frozen=True)
class Lexicon:
    """Predicates indexed by (lemma, pos), rows in file order; plus the light verbs."""

    predicates: dict[tuple[str, str], tuple[Predicate, ...]]
    light_verbs: frozenset[str]
    occurrence_verbs: frozenset[str] = frozenset()
    measure_nouns: frozenset[str] = frozenset()

    def rows(self, lemma: str, pos: str) -> tuple[Predicate, ...]:
        """The rows for a lemma and part of speech (V or N), in priority order."""
        return self.predicates.get((lemma, pos), ())

    def extended(self, rows: Iterable[Predicate]) -> "Lexicon":
        """A copy with ``rows`` appended after the rows of their (lemma, pos): this lexicon's
        rows are tried first (``detente.coding.petrarch_verbs`` makes such rows)."""
        index = {k: list(v) for k, v in self.predicates.items()}
        for row in rows:
            index.setdefault((row.lemma, row.pos), []).append(row)
        return replace(self, predicates={k: tuple(v) for k, v in index.items()})


@dataclass(frozen=True)
class ModalityCues:
    """Modality cues by kind: ``cues[kind][word] -> modality``."""

    cues: dict[str, dict[str, str]]

    def get(self, kind: str, word: str) -> str | None:
        """The modality a cue word of this kind marks, or None."""
        return self.cues.get(kind, {}).get(word)


@dataclass(frozen=True)
class Speech:
    """Verbs of saying, and modal auxiliaries of a reported clause with the CAMEO code of
    the speaker's act ("must" -> 100 demand)."""

    verbs: frozenset[str]
    modals: dict[str, str]


def _data_lines(name: str) -> Iterator[tuple[int, list[str]]]:
    path = resources.files("detente") / "data" / name
    text = path.read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield n, line.rstrip("\n").split("\t")


@lru_cache(maxsize=None)
def cameo_table() -> dict[str, CameoCode]:
    """The CAMEO codes (package copy of shared/data/cameo/cameo_codes.tsv), by code."""
    path = resources.files("detente") / "data" / "cameo_codes.tsv"
    table: dict[str, CameoCode] = {}
    with path.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh, delimiter="\t"), 2):
            try:
                table[row["cameo"]] = CameoCode(
                    row["cameo"], row["name"], float(row["goldstein"]), int(row["quad_class"]),
                    row["plover"] or None,
                )
            except (KeyError, ValueError) as err:
                raise DictionaryError(f"cameo_codes.tsv line {n}: {err}") from None
    return table


def _parse_conditions(field: str, where: str) -> tuple[Condition, ...]:
    if field == "-":
        return ()
    out = []
    for part in field.split():
        key, sep, values = part.partition("=")
        if not sep or key not in _CONDITION_KEYS:
            raise DictionaryError(f"{where}: bad condition {part!r} (keys: {sorted(_CONDITION_KEYS)})")
        words: set[str] = set()
        for v in values.split("|"):
            if v.startswith("@"):
                words |= word_class(v[1:])  # a word class of its own file ("@disapproval")
            elif v:
                words.add(v)
        out.append(Condition(key, frozenset(words)))
    return tuple(out)


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset[str]:
    """The words of ``data/coding/<name>.txt`` (one per line), referred to as ``@name`` in
    the lexicon's conditions and read by the coder."""
    from detente.words import word_class as _word_class

    return _word_class(f"coding/{name}", single=False, lower=False)


@lru_cache(maxsize=None)
def load_lexicon() -> Lexicon:
    """Load and validate ``data/coding/predicates.tsv``, ``light_verbs.txt`` and
    ``occurrence_verbs.txt`` and ``measure_nouns.txt``."""
    table = cameo_table()
    index: dict[tuple[str, str], list[Predicate]] = {}
    for n, cols in _data_lines("coding/predicates.tsv"):
        where = f"predicates.tsv line {n}"
        if len(cols) != 5:
            raise DictionaryError(f"{where}: expected 5 tab-separated columns, got {len(cols)}")
        lemma, pos, cond, cameo, flags = (c.strip() for c in cols)
        if pos not in ("V", "N"):
            raise DictionaryError(f"{where}: pos must be V or N, not {pos!r}")
        if cameo != "-" and cameo not in table:
            raise DictionaryError(f"{where}: unknown CAMEO code {cameo!r}")
        flagset = frozenset() if flags == "-" else frozenset(flags.split(","))
        if flagset - _FLAGS:
            raise DictionaryError(f"{where}: unknown flags {sorted(flagset - _FLAGS)}")
        pred = Predicate(lemma, pos, _parse_conditions(cond, where), cameo, flagset, n)
        index.setdefault((lemma, pos), []).append(pred)
    light = frozenset(cols[0].strip() for _, cols in _data_lines("coding/light_verbs.txt"))
    occurs = frozenset(cols[0].strip() for _, cols in _data_lines("coding/occurrence_verbs.txt"))
    measures = frozenset(cols[0].strip() for _, cols in _data_lines("coding/measure_nouns.txt"))
    return Lexicon({k: tuple(v) for k, v in index.items()}, light, occurs, measures)


@lru_cache(maxsize=None)
def load_modality_cues() -> ModalityCues:
    """Load and validate ``data/coding/modality.tsv``."""
    cues: dict[str, dict[str, str]] = {}
    for n, cols in _data_lines("coding/modality.tsv"):
        if len(cols) != 3 or cols[0] not in _MODALITY_KINDS or cols[2] not in _MODALITIES:
            raise DictionaryError(f"modality.tsv line {n}: expected KIND<TAB>CUE<TAB>MODALITY")
        cues.setdefault(cols[0], {})[cols[1]] = cols[2]
    return ModalityCues(cues)


@lru_cache(maxsize=None)
def load_speech() -> Speech:
    """Load and validate ``data/coding/speech.tsv``."""
    table = cameo_table()
    verbs: set[str] = set()
    modals: dict[str, str] = {}
    for n, cols in _data_lines("coding/speech.tsv"):
        if len(cols) != 3 or cols[0] not in ("verb", "modal"):
            raise DictionaryError(f"speech.tsv line {n}: expected KIND<TAB>WORD<TAB>VALUE, KIND verb or modal")
        if cols[0] == "verb":
            verbs.add(cols[1])
        elif cols[2] not in table:
            raise DictionaryError(f"speech.tsv line {n}: unknown CAMEO code {cols[2]!r}")
        else:
            modals[cols[1]] = cols[2]
    return Speech(frozenset(verbs), modals)


@lru_cache(maxsize=None)
def load_intent() -> dict[str, str]:
    """Load and validate ``data/coding/intent.tsv``: code prefix of a planned act -> CAMEO code."""
    table = cameo_table()
    out: dict[str, str] = {}
    for n, cols in _data_lines("coding/intent.tsv"):
        if len(cols) != 2 or cols[1] not in table or not cols[0].isdigit():
            raise DictionaryError(f"intent.tsv line {n}: expected PREFIX<TAB>CAMEO with a known code")
        out[cols[0]] = cols[1]
    return out

# British <-> American spellings: "organise"/"organize", "defence"/"defense", "honour"/"honor".
_SPELLING_SWAP = {"ise": "ize", "ize": "ise", "isation": "ization", "ization": "isation",
                  "yse": "yze", "yze": "yse", "ence": "ense", "ense": "ence", "our": "or", "or": "our"}
_SPELLING = re.compile(r"(isation|ization|ise|ize|yse|yze|ence|ense|our|or)$")


def spelling_variant(lemma: str) -> str | None:
    """The other (British or American) spelling of ``lemma``, or None; the coder tries it
    when the lexicon has no row for the lemma as written."""
    alt = _SPELLING.sub(lambda m: _SPELLING_SWAP[m.group(0)], lemma)
    return alt if alt != lemma else None


@lru_cache(maxsize=None)
def load_acts() -> dict[str, str]:
    """Load ``data/coding/acts.txt``: each word naming an act -> the name of its class (the
    first word of its line). Words of the class "move" name any act."""
    out: dict[str, str] = {}
    for n, cols in _data_lines("coding/acts.txt"):
        words = cols[0].split()
        if len(cols) != 1 or not words:
            raise DictionaryError(f"acts.txt line {n}: expected words separated by spaces")
        for w in words:
            if w in out:
                raise DictionaryError(f"acts.txt line {n}: {w!r} is already in class {out[w]!r}")
            out[w] = words[0]
    return out
