"""Selective parse: the full spaCy pipeline only on the sentences that can hold an event.

The texts it is given are the parser's copies of the cleaned texts
(:func:`detente.clean.parse_copy`, made by :meth:`detente.pipeline.Extractor.parse`): the
same length, so that the Docs' character offsets are those of the cleaned text.

Every text is tokenized and split into sentences by the cheap ``senter`` pipe (it ships
disabled in en_core_web_sm); a cheap test on word forms decides, sentence by sentence, which
ones the later stages need; each run of consecutive needed sentences becomes a Doc of its own
that the full pipeline (tok2vec, tagger, parser, attribute ruler, lemmatizer, NER) annotates,
the parser placing the sentence boundaries inside it; the annotations are then copied back
into the Doc of the whole text (:func:`reassemble`), whose text, tokens and character offsets
are those of the original::

    parser = SelectiveParser(load_nlp(), ActorRecognizer.load().lexicon)
    for doc in parser.pipe(texts):
        ...   # skipped sentences: tokens and senter boundaries only (no tags, parse, entities)

The parser asks each stage that reads the parse what it looks for in a sentence: the actor
stage's :class:`ActorNeeds`, the date stage's :class:`DateNeeds` and the coding stage's
:class:`EventNeeds` (the ``parse_test`` of their :class:`detente.stages.StageInfo`), each
with a ``needs(tokens)`` method answering for every sentence of a text, and each built only
from its stage's public names (the actor lexicon, ``detente.actors.recognize``'s pronouns and
``PRONOUN_LOOK_BACK``, ``detente.when``'s ``DATE_WORDS`` and ``expression_starts``, the
coder's lexicon and ``PAIR_ANAPHORA``). From their answers, :func:`_decide` parses a sentence
(:meth:`SelectiveParser.needed`) when it may hold an event -- it has a word form of an event
predicate whose lexicon conditions can hold (:class:`PredicateTest`) *and* something an
actor can come from:

* an *actor candidate*: a phrase of the actor lexicon (country, capital, organisation,
  dictionary actor, title, group noun, people) -- the actor stage's own longest-match lookup
  with its case rules, on lower-cased token forms;
* a *name seen with a title*: a capitalised word of a sentence holding a title or a
  dictionary actor ("Foreign Minister Ali Rezaei ... Rezaei said"): surname coreference;
* a person pronoun (he, she, him, his, her) with a title, dictionary actor or such a name in
  the same or one of the ``PRONOUN_LOOK_BACK`` (three) previous sentences (how far the actor
  stage looks back), or
  a collective pronoun (it, its, they, their) right after a sentence with an actor candidate;
* "the two", "both sides" (the coder's pair anaphora) after a sentence that may hold an event;

or when an event sentence may need it for context:

* the sentences of the person a pronoun or a surname in it refers back to, the sentence
  before an "it" / "they";
* a sentence with a *date expression* (the date stage's own patterns, a month, weekday or
  year) before an event sentence: it may set the narrative date;
* a fragment of at most five tokens next to a parsed sentence (mostly a wrong cut of the
  senter: "Maj." | "Gen. Ana Okoro stepped down").

What a skipped sentence loses: it has no event (the coder needs tags and a parse); a person
named there only by the NER (no title, not in a dictionary) is not found, nor a place that
only the NER finds there (the gazetteer scan of capitalised words still runs), so a pronoun
or a place disambiguation later on may read differently. The events given up are mostly the
low-confidence fallbacks of sentences without actors (``bench/compare_parse.py`` counts them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from detente.actors.recognize import PRONOUN_LOOK_BACK

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from detente.actors.lexicon import Lexicon
    from detente.coding.lexicon import Lexicon as CodingLexicon

__all__ = ["ActorNeeds", "DateNeeds", "EventNeeds", "ParseStats", "PredicateTest", "SelectiveParser", "Tokens",
           "reassemble"]

_PERSON_KINDS = frozenset({"title", "actor"})
_YEAR = re.compile(r"^(?:1[89]|20)\d\d(?:s)?$")
_FRAGMENT = 5  # tokens: a shorter "sentence" next to a parsed one is parsed with it


@dataclass
class ParseStats:
    """Counts over the documents parsed so far: sentences and tokens, all and fully parsed."""

    documents: int = 0
    sentences: int = 0
    parsed_sentences: int = 0
    tokens: int = 0
    parsed_tokens: int = 0

    @property
    def parsed_share(self) -> float:
        """The share of tokens that went through the full pipeline."""
        return self.parsed_tokens / self.tokens if self.tokens else 0.0


@dataclass(frozen=True)
class _Sent:
    """One sentence as the tests of the stages see it."""

    start: int
    end: int
    act: "ActorSigns"
    ev: "EventSigns"
    date: bool  # a date expression: it may set the narrative date (DateNeeds)


def _inflections(nlp: "Language", lemmas: set[str]) -> dict[str, set[str]]:
    """Lower-cased word forms -> the lemmas they may be a form of: every inflection of the
    lemmas by the pipeline's own lemmatizer rules and exceptions, read backwards (a form the
    lemmatizer may map to the lemma), and the lemma itself."""
    out: dict[str, set[str]] = {}
    for lemma in lemmas:
        out.setdefault(lemma, set()).add(lemma)
    tables = nlp.get_pipe("lemmatizer").lookups
    rules = tables.get_table("lemma_rules")
    exc = tables.get_table("lemma_exc")
    for pos in ("verb", "noun", "adj"):
        for old, new in rules.get(pos, []):
            for lemma in lemmas:
                if lemma.endswith(new):
                    out.setdefault(lemma[: len(lemma) - len(new)] + old, set()).add(lemma)
        for form, bases in exc.get(pos, {}).items():
            for b in bases:
                if b in lemmas:
                    out.setdefault(form, set()).add(b)
    return out


class PredicateTest:
    """Whether a sentence may hold an event for the coder, from its word forms only.

    True when some word is a form of a predicate lemma (a verb or event noun of
    ``predicates.tsv``) with a row that is not "-" and whose conditions can hold: each
    condition that names its words ("obj=responsibility", "pobj=talks") needs one of their
    forms somewhere in the sentence. Also true for a modal of reported demands ("X said Y
    must ..."). ``strings`` maps words to the ids the test works on (the spaCy StringStore).
    """

    def __init__(self, nlp: "Language", coding: "CodingLexicon | None" = None) -> None:
        from detente.coding.lexicon import load_lexicon, load_speech, spelling_variant

        strings = nlp.vocab.strings
        lex = coding or load_lexicon()  # the coder's lexicon (built-in, or extended by --verbs)
        rows = {k: [r for r in v if r.cameo != "-"] for k, v in lex.predicates.items()}
        lemmas = {lemma for (lemma, _pos), rs in rows.items() if rs}
        words = {w for rs in rows.values() for r in rs for c in r.conditions for w in c.values}
        # the other spelling of a lemma is one of its forms (the coder looks it up too)
        variants = {v: lemma for lemma in lemmas if (v := spelling_variant(lemma)) and v not in lemmas}
        forms = _inflections(nlp, lemmas | words | set(variants))
        ids_of: dict[str, frozenset[int]] = {}
        for form, bases in forms.items():
            for b in bases:
                ids_of[b] = ids_of.get(b, frozenset()) | {strings.add(form)}
        for v, lemma in variants.items():
            ids_of[lemma] = ids_of.get(lemma, frozenset()) | ids_of.get(v, frozenset())
        # a lemma -> its rows' needs: one frozenset of word ids per condition naming words
        needs: dict[str, list[tuple[frozenset[int], ...]]] = {}
        for (lemma, _pos), rs in rows.items():
            for r in rs:
                needs.setdefault(lemma, []).append(tuple(
                    frozenset().union(*(ids_of.get(w, frozenset({strings.add(w)})) for w in c.values))
                    for c in r.conditions if c.values))
        self.free: frozenset[int] = frozenset(  # forms of a lemma with a row without word conditions
            i for lemma, rs in needs.items() if any(not r for r in rs) for i in ids_of.get(lemma, ()))
        speech = load_speech()
        self.modals = frozenset(strings.add(m) for m in speech.modals)
        # a verb of saying may be a statement event (its speaker's)
        self.free = self.free | frozenset(strings.add(f) for f in _inflections(nlp, set(speech.verbs)))
        self.by_form: dict[int, list[tuple[frozenset[int], ...]]] = {}
        for lemma, rs in needs.items():
            if any(not r for r in rs):
                continue
            for i in ids_of.get(lemma, ()):
                self.by_form.setdefault(i, []).extend(rs)
        self.conditional = frozenset(self.by_form)

    def __call__(self, words: set[int]) -> bool:
        """``words``: the lower-cased word ids of a sentence."""
        if not words.isdisjoint(self.free) or not words.isdisjoint(self.modals):
            return True
        for w in words & self.conditional:
            for row in self.by_form[w]:
                if all(not need.isdisjoint(words) for need in row):
                    return True
        return False


@dataclass(frozen=True)
class Tokens:
    """What the selective parser knows of a text before parsing it, given to each stage's
    test: the Doc (tokenized, with the ``senter``'s sentence boundaries), its text, the
    sentences' token bounds, and per token its lower-cased word id (``low_ids``) and form
    (``low``, curly apostrophes straightened as the actor stage's ``norm`` does), the
    attribute array ``arr`` (LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, LIKE_NUM, IDX), the index of
    its sentence (``sent_of``) and whether it starts one (``firsts``); ``words`` the set of
    word ids of each sentence."""

    doc: "Doc"
    text: str
    bounds: Sequence[tuple[int, int]]
    low_ids: Sequence[int]
    low: Sequence[str]
    arr: Any
    sent_of: Sequence[int]
    firsts: Any
    words: Sequence[set[int]]

    @classmethod
    def of(cls, doc: "Doc", bounds: Sequence[tuple[int, int]], text: str) -> "Tokens":
        """The view of ``doc`` (whose text is ``text``) cut into the sentences ``bounds``."""
        import numpy
        from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, IS_UPPER, LIKE_NUM, LOWER

        n = len(doc)
        arr = doc.to_array([LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, LIKE_NUM, IDX])
        low_ids = arr[:, 0].tolist()
        strings = doc.vocab.strings
        low = [strings[x] for x in low_ids]
        if "\u2019" in text or "\u2018" in text:  # the actor stage's norm()
            low = [w.replace("\u2019", "'").replace("\u2018", "'") for w in low]
        sent_of = numpy.zeros(n, dtype=numpy.int64)
        firsts = numpy.zeros(n, dtype=bool)
        for k, (a, b) in enumerate(bounds):
            sent_of[a:b] = k
            firsts[a] = True
        return cls(doc, text, bounds, low_ids, low, arr, sent_of.tolist(), firsts,
                   [set(low_ids[a:b]) for a, b in bounds])


@dataclass(frozen=True)
class ActorSigns:
    """What the actor stage looks for in a sentence: an ``actor`` candidate (a phrase of the
    actor lexicon), a ``person`` (a title or dictionary actor), its capitalised words not
    first in the sentence (``caps``, word ids: names a later sentence may use) and its first
    word's id when capitalised (``initial``, else 0), person and thing pronouns."""

    actor: bool
    person: bool
    caps: frozenset[int]
    initial: int
    person_pron: bool
    thing_pron: bool


@dataclass(frozen=True)
class EventSigns:
    """What the coding stage looks for in a sentence: a form of an event predicate whose
    lexicon conditions can hold (``pred``), words naming the two parties of the last
    encounter (``pair``: "the two", "both sides")."""

    pred: bool
    pair: bool


class ActorNeeds:
    """The actor stage's test (stage ``actors``): for each sentence, its :class:`ActorSigns`.

    Built from the actor stage's public knowledge only: the lexicon of the recognizer that
    will read the Docs (its longest match with its case rules, on lower-cased forms) and
    :data:`detente.actors.recognize.PERSON_PRONOUNS` / ``THING_PRONOUNS``. How far back a
    person pronoun looks, :data:`~detente.actors.recognize.PRONOUN_LOOK_BACK`, is the
    recognizer's own constant (:func:`_decide` reads it)."""

    stage = "actors"

    def __init__(self, nlp: "Language", lexicon: "Lexicon") -> None:
        import numpy

        from detente.actors.recognize import PERSON_PRONOUNS, THING_PRONOUNS

        strings = nlp.vocab.strings
        self.lexicon = lexicon
        firsts: set[int] = set()
        for form in lexicon.first:
            firsts.add(strings.add(form))
            if "'" in form:
                firsts.add(strings.add(form.replace("'", "\u2019")))
        self._first_array = numpy.fromiter(firsts, dtype=numpy.uint64)
        self._person_prons = frozenset(strings.add(w) for w in PERSON_PRONOUNS)
        self._thing_prons = frozenset(strings.add(w) for w in THING_PRONOUNS)

    def needs(self, tokens: Tokens) -> list[ActorSigns]:
        """What the actor stage finds in each sentence of ``tokens``."""
        import numpy

        n = len(tokens.bounds)
        actor = [False] * n
        person = [False] * n
        caps: list[set[int]] = [set() for _ in range(n)]
        initial = [0] * n
        doc, low, low_ids, arr, sent_of = tokens.doc, tokens.low, tokens.low_ids, tokens.arr, tokens.sent_of
        # actor-lexicon candidates: the actor stage's longest match, where a phrase may start
        lex = self.lexicon
        covered_until = -1
        for i in numpy.flatnonzero(numpy.isin(arr[:, 0], self._first_array)).tolist():
            if i < covered_until:
                continue
            m = lex.match(low, i)
            if m is None:
                continue
            L, e = m
            if e.case == "cap":
                t = doc[i]
                if not (t.text[:1].isupper() or t.is_upper):
                    continue
            if e.case == "upper" and not all(x.is_upper or not x.is_alpha for x in doc[i:i + L]):
                continue
            k = sent_of[i]
            actor[k] = True
            if e.kind in _PERSON_KINDS:
                person[k] = True
            covered_until = i + L
        # capitalised words (not sentence-initial): names that may refer back to a person
        # (a sentence-initial word is no name to collect, but it may use one: "Rezaei said")
        cap = (arr[:, 1] > 0) & ((arr[:, 2] > 0) | (arr[:, 3] > 0))
        firsts = tokens.firsts
        for i in numpy.flatnonzero(cap & ~firsts).tolist():
            caps[sent_of[i]].add(low_ids[i])
        for i in numpy.flatnonzero(cap & firsts).tolist():
            initial[sent_of[i]] = low_ids[i]
        pp, tp = self._person_prons, self._thing_prons
        return [ActorSigns(actor[k], person[k], frozenset(caps[k]), initial[k],
                           not w.isdisjoint(pp), not w.isdisjoint(tp))
                for k, w in enumerate(tokens.words)]


class DateNeeds:
    """The date stage's test (stage ``dates``): whether each sentence holds a date
    expression (the stage's own patterns, :func:`detente.when.expression_starts`), a word
    of :data:`detente.when.DATE_WORDS` (which the NER may tag DATE where the patterns find
    nothing) or a year."""

    stage = "dates"

    def __init__(self, nlp: "Language") -> None:
        from detente.when import DATE_WORDS

        self._date_words = frozenset(nlp.vocab.strings.add(w) for w in DATE_WORDS)

    def needs(self, tokens: Tokens) -> list[bool]:
        """For each sentence of ``tokens``, whether it may set the narrative date."""
        import numpy

        from detente.when import expression_starts

        dw = self._date_words
        date = [not w.isdisjoint(dw) for w in tokens.words]
        if not date:
            return date
        arr, low, sent_of = tokens.arr, tokens.low, tokens.sent_of
        char_starts = arr[[a for a, _b in tokens.bounds], 5].astype(numpy.int64)
        for start in expression_starts(tokens.text):
            date[int(numpy.searchsorted(char_starts, start, side="right")) - 1] = True
        for i in numpy.flatnonzero(arr[:, 4] > 0).tolist():
            if _YEAR.match(low[i]):
                date[sent_of[i]] = True
        return date


class EventNeeds:
    """The coding stage's test (stage ``coding``): for each sentence, its
    :class:`EventSigns`, from the coder's predicate lexicon (:class:`PredicateTest`) and
    :data:`detente.coding.coder.PAIR_ANAPHORA`."""

    stage = "coding"

    def __init__(self, nlp: "Language", coding: "CodingLexicon | None" = None) -> None:
        from detente.coding.coder import PAIR_ANAPHORA

        self.predicate = PredicateTest(nlp, coding)
        self._pair_words = frozenset(nlp.vocab.strings.add(w) for w in PAIR_ANAPHORA)

    def needs(self, tokens: Tokens) -> list[EventSigns]:
        """What the coding stage finds in each sentence of ``tokens``."""
        test, pw = self.predicate, self._pair_words
        return [EventSigns(test(w), not w.isdisjoint(pw)) for w in tokens.words]


class SelectiveParser:
    """Parses texts with the full pipeline on needed sentences only (see the module doc).

    ``nlp`` is the loaded en_core_web_sm pipeline (its disabled ``senter`` is used for
    sentence boundaries), ``lexicon`` the actor lexicon of the ActorRecognizer that will read
    the Docs (built-in plus user dictionaries), so that the candidate test finds what the
    actor stage finds; ``coding`` the coder's predicate lexicon when it is not the built-in
    one (extended by user verb dictionaries), so that the predicate test knows their verbs.

    The parser asks one test per stage that reads the parse (``tests``: the actor, date and
    coding stages' :class:`ActorNeeds`, :class:`DateNeeds`, :class:`EventNeeds`; the place
    stage scans unparsed sentences too and asks for none) and decides from their answers.
    """

    def __init__(self, nlp: "Language", lexicon: "Lexicon", coding: "CodingLexicon | None" = None) -> None:
        self.nlp = nlp
        self.lexicon = lexicon
        self.senter = nlp.get_pipe("senter")
        self.stats = ParseStats()
        self.actors = ActorNeeds(nlp, lexicon)
        self.dates = DateNeeds(nlp)
        self.events = EventNeeds(nlp, coding)

    @property
    def tests(self) -> tuple[ActorNeeds, DateNeeds, EventNeeds]:
        """The stages' tests this parser asks, in the stages' order."""
        return (self.actors, self.dates, self.events)

    # ------------------------------------------------------------------ the test
    def needed(self, doc: "Doc") -> list[bool]:
        """For each sentence of ``doc`` (tokenized, with sentence boundaries), whether the
        later stages need it parsed."""
        return _decide(self._sentences(doc, _bounds(doc), doc.text))

    def _sentences(self, doc: "Doc", bounds: list[tuple[int, int]], text: str) -> list[_Sent]:
        """What each stage's test finds in each sentence ``bounds`` (token start, end) of
        ``doc``, whose text is ``text``."""
        if not bounds:
            return []
        tokens = Tokens.of(doc, bounds, text)
        return [_Sent(a, b, act, ev, date) for (a, b), act, date, ev in zip(
            bounds, self.actors.needs(tokens), self.dates.needs(tokens), self.events.needs(tokens))]

    # ------------------------------------------------------------------ parsing
    def __call__(self, text: str) -> "Doc":
        """Parse one text selectively."""
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], batch_size: int = 16) -> Iterator["Doc"]:
        """Parse texts selectively, in order; ``batch_size`` texts at a time."""
        buf: list[str] = []
        for t in texts:
            buf.append(t)
            if len(buf) >= batch_size:
                yield from self._batch(buf)
                buf = []
        if buf:
            yield from self._batch(buf)

    def _batch(self, texts: list[str]) -> list["Doc"]:
        from spacy.attrs import ORTH, SPACY
        from spacy.tokens import Doc

        from detente.nlp import mark_paragraphs

        nlp = self.nlp
        docs = [mark_paragraphs(d) for d in self.senter.pipe((nlp.make_doc(t) for t in texts), batch_size=len(texts))]
        plans: list[list[tuple[int, "Doc"]]] = []
        todo: list["Doc"] = []
        st = self.stats
        strings = nlp.vocab.strings
        for doc, text in zip(docs, texts):
            st.documents += 1
            st.tokens += len(doc)
            parts: list[tuple[int, "Doc"]] = []
            plans.append(parts)
            if len(doc) == 0:
                continue
            bounds = _bounds(doc)
            keep = _decide(self._sentences(doc, bounds, text))
            st.sentences += len(bounds)
            words = spaces = None
            k = 0
            while k < len(bounds):
                j = k
                while j + 1 < len(bounds) and keep[j + 1] == keep[k]:
                    j += 1
                if keep[k]:
                    if words is None:
                        orth_space = doc.to_array([ORTH, SPACY]).tolist()
                        words = [strings[o] for o, _ in orth_space]
                        spaces = [bool(sp) for _, sp in orth_space]
                    a, b = bounds[k][0], bounds[j][1]
                    # a new Doc of these tokens; its first token starts a sentence, the parser
                    # places the others (it would respect the senter's boundaries, worse than its
                    # own), except after a blank line (the pipeline's paragraph pipe marks those)
                    chunk = Doc(nlp.vocab, words=words[a:b], spaces=spaces[a:b],
                                sent_starts=[True] + [None] * (b - a - 1))
                    parts.append((a, chunk))
                    todo.append(chunk)
                    st.parsed_sentences += j - k + 1
                    st.parsed_tokens += b - a
                k = j + 1
        parsed = iter(nlp.pipe(todo, batch_size=max(1, len(todo))))
        return [reassemble(doc, [(offset, next(parsed)) for offset, _chunk in parts]) for doc, parts in zip(docs, plans)]


def _bounds(doc: "Doc") -> list[tuple[int, int]]:
    """(start, end) token offsets of the sentences of ``doc`` (its first token starts one)."""
    import numpy
    from spacy.attrs import SENT_START

    starts = numpy.flatnonzero(doc.to_array([SENT_START]).reshape(-1).astype(numpy.int64) == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = starts[1:] + [len(doc)]
    return list(zip(starts, ends))


_ANNOTATIONS = ("TAG", "POS", "MORPH", "LEMMA", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


def reassemble(doc: "Doc", pieces: Sequence[tuple[int, "Doc"]]) -> "Doc":
    """Copy the annotations of parsed ``pieces`` into ``doc`` (in place) and return it.

    ``doc`` is the whole text, tokenized, with sentence boundaries; each piece is
    ``(offset, parsed)``: ``parsed`` was made from ``doc``'s tokens ``offset`` to ``offset +
    len(parsed)`` (``Span.as_doc``). Tags, morphology, lemmas, the dependency parse, entities
    and the piece's own sentence boundaries are copied (a piece starts a sentence); the
    other tokens keep what they had: their words and sentence boundaries. The text, tokens
    and offsets stay ``doc``'s. With no pieces, a copy of ``doc`` (see below).
    """
    from spacy.attrs import ORTH, SENT_START, intify_attr

    if not pieces:
        # the tokenizer leaves the tree fields (left and right edges) of some tokens unset,
        # which only a parse or a fresh Doc sets right; later stages read them
        return doc[:].as_doc() if len(doc) else doc

    attrs = [intify_attr(a) for a in _ANNOTATIONS]
    values = doc.to_array(attrs)
    starts = doc.to_array([SENT_START]).reshape(-1)
    orth = doc.to_array([ORTH]).reshape(-1)
    for offset, piece in pieces:
        end = offset + len(piece)
        if end > len(doc) or (piece.to_array([ORTH]).reshape(-1) != orth[offset:end]).any():
            raise ValueError(f"piece at token {offset} does not match the document")
        values[offset:end] = piece.to_array(attrs)
        starts[offset:end] = piece.to_array([SENT_START]).reshape(-1)
        starts[offset] = 1
    doc.from_array(attrs, values)
    # from_array recomputes sentence starts from the parse and leaves the unparsed sentences
    # inside the parsed one before them: restore the boundaries
    doc.from_array([SENT_START], starts.reshape(-1, 1))
    return doc


def _decide(sents: list[_Sent]) -> list[bool]:
    """Which sentences to parse: those that may hold an event (an actor candidate and an event
    predicate form), and those an event sentence may need for context (the person a pronoun
    or a surname refers back to, within the actor stage's look-back, the subject "it" /
    "they" refers to, a narrative date)."""
    acts = [s.act for s in sents]
    names: set[int] = set()
    for a in acts:
        if a.person:
            names |= a.caps
    n = len(sents)
    need = [False] * n
    event = [False] * n
    any_event = False
    for k, s in enumerate(sents):
        a = acts[k]
        back = acts[max(0, k - PRONOUN_LOOK_BACK):k]
        named = bool(names and (a.caps & names or a.initial in names))
        person_ref = a.person_pron and (a.person or any(b.person or (names and b.caps & names) for b in back))
        thing_ref = a.thing_pron and k > 0 and acts[k - 1].actor
        pair_ref = s.ev.pair and any_event
        event[k] = s.ev.pred and (a.actor or named or person_ref or thing_ref or pair_ref)
        any_event = any_event or event[k]
    later_event = [False] * n
    seen = False
    for k in range(n - 1, -1, -1):
        later_event[k] = seen
        seen = seen or event[k]
    for k, s in enumerate(sents):
        a = acts[k]
        if event[k]:
            need[k] = True
            for j in range(max(0, k - PRONOUN_LOOK_BACK), k):
                b = acts[j]
                if a.person_pron and (b.person or (names and b.caps & names)):
                    need[j] = True  # the person "he" / "she" may stand for
            if a.thing_pron and k > 0 and acts[k - 1].actor:
                need[k - 1] = True  # the subject "it" / "they" may stand for
            used = (a.caps | {a.initial}) & names
            if used:
                for j in range(k):
                    if acts[j].person and acts[j].caps & used:
                        need[j] = True  # where a name used here was introduced with a title
        elif s.date and later_event[k]:
            need[k] = True  # may set the narrative date of the events after it
    # a fragment next to a parsed sentence is most likely a wrong cut of the senter ("Lt." |
    # "Gen. Prosper Avril resigned"): parse it with its neighbour, where the parser may join them
    for k, s in enumerate(sents):
        if not need[k] and s.end - s.start <= _FRAGMENT and (
                (k + 1 < n and need[k + 1]) or (k > 0 and need[k - 1])):
            need[k] = True
    return need
