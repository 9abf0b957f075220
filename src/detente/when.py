"""Event dates: when each event happened (or is planned for), not when it was published.

The event coder walks the sentences of a parsed document in order::

    timeline = Timeline(document.date)
    for sent in doc.sents:
        times = timeline.sentence(sent)
        for pred in predicates_of(sent):
            when = times.for_event(pred)

Rules (see ``tests/test_when.py`` for examples of each):

1. *Time expressions* are the spaCy DATE/TIME entities of the sentence plus what our own
   regexes find (ISO dates, "1 April", "on Tuesday", "two days ago", "a week later" ...).
   They are absolute ("3 March 2024", "January 2023", "2021"), deictic, i.e. relative to the
   moment of writing ("yesterday", "last week", "on Tuesday", "last September"), or anaphoric, i.e. relative to
   the narrative ("the next day", "later that same month", "a week later"). Precision is what
   the text allows: day, month or year. Week-level expressions ("last week") get precision
   *month*: the month holding the Thursday of that week (the ISO rule for straddling weeks).
   A season ("last summer", "next winter", "last fall", "the autumn of 2011") is its middle month, at
   precision *month*; "last" is the latest such season over before the anchor's month.
   Vague past expressions ("years ago", "the 1990s", "in recent years") and start points
   ("since 2020") are *background* expressions: they date nothing.
2. *Year inference*: a day-month or month without a year takes the year that puts it nearest
   to the anchor (a planned event: the first one on or after the anchor).
3. *Attachment*: an expression belongs to the first verb (or event noun, see the data file)
   above its root token. An event uses the expression attached to its predicate, else the one
   attached to the nearest ancestor of its predicate; never one from another branch. A verb
   whose own branch is undated shares the date of an event noun it happens during ("exploded
   during a rally on Monday": the rally's Monday; the prepositions are in the data file).
   A clause opened by "when" that hangs on a time expression ("since 2015, when the rebels
   seized the capital") takes the time that expression names (a start point as its point);
   a clause with no date of its own takes the date of a "when" or "as" clause hanging on it
   ("killed four soldiers when they stormed the post last Thursday").
   "N days after" introducing a clause ("the raid comes two days after a bomb went off") puts
   that clause N days *before* the clause above it when that clause is dated (by the present
   tense or a date of its own); otherwise the expression dates nothing.
4. *Narrative*: a date attached to the main clause (the sentence root or its conjuncts) becomes
   the narrative date of the following sentences -- unless that clause is a flashback
   (background cue) or a plan ("will hold a summit in December"); a main clause dated only by
   the document's own year or month ("elections later this year", "earlier this month")
   brings the story back to the time of writing (no narrative date). An event with nothing of its
   own takes the narrative date (basis ``text``). Dates in subordinate material do not move
   the narrative.
5. *Background*: an event whose predicate (or nearest marked ancestor) carries a background
   cue ("previously", "had long", "in the past", "since ...", a pluperfect) and no date of its
   own gets :meth:`When.unknown`, never the document or narrative date.
6. *Pluperfect*: a pluperfect act ("had jailed") with no date of its own lies before its
   reference time. Reported ("police said on Saturday they had jailed ...") under a day of the
   last week before publication -- the date of the clause above it or the narrative -- it takes
   that day; under an older or coarser reference, or in the main clause (a flashback) of a
   story with a date of its own, its time is unknown; with no date in the text at all (the
   story is told at publication), it is of the document's month (precision ``month``, basis
   ``document``): before the day of writing, and not years before, as far as the text says.
7. *Back to the present*: after a story set more than a month before publication, a sentence
   whose main verb is a report in the simple past with no date of its own ("In January 2016 the
   council resumed its work. Sapin said that ...") is at the document date, and so are the
   sentences after it (the narrative is cleared); so is a sentence whose main verb is in the
   present, the present perfect or the present progressive ("... dates back to 2005. Ministers
   are preparing to announce a plan."), outside a dated list, with its infinitives.
8. *A lead retold*: a first sentence told in the present perfect with no time ("X has accused
   Y of ...") takes the day of a report in one of the next two sentences ("..., X said on
   Monday") when that day is in the last week before publication; otherwise such a lead is at
   the document date, like every present-perfect report.
9. *Not after publication*: a past act is never dated, and the narrative never moves, more
   than a week after the document date (a header date may lag a few days behind the story;
   a date further ahead belongs to something planned in the sentence).
10. *Dated lists*: an entry opening with a date and a colon ("July 27: Moscow expels ...",
   a year heading flattened before it, "2017 January 6:", gives its year) is a timeline of
   what happened. Its yearless dates run forward from the previous entry, the first one lies
   before publication, and the entry keeps its date though told in the present.
11. *Document date*: only when the text says nothing: ``When(doc_date, "day", "document")``;
   with no document date either, :meth:`When.unknown`.

Anchors: anaphoric expressions and day-months without a year resolve against the last date
found earlier in the same sentence ("elected in 2019 and re-elected four years later"), else the
narrative date when one is set, else the document date. A range ("between 2020 and 2022") dates
its events by its start. Deictic expressions ("yesterday", "last week",
"on Tuesday") resolve against the document date -- the moment of writing -- when there is one,
else the narrative date. A weekday resolves to the most recent such day on or before the anchor,
or, for a planned event ("will", "would", "plans to"), the first one after it.

Cues (background words, future markers, event nouns) live in ``data/time_cues.tsv``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterator, Literal

from detente.model import When

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["Timeline", "SentenceTimes", "TimeCues", "Resolved", "load_cues", "resolve_expression",
           "DATE_WORDS", "WEEKDAY_NAMES", "expression_starts"]

Precision = Literal["day", "month", "year"]
# An anchor: a representative date and its precision ("2025-04" is (2025-04-15, "month")).
Anchor = tuple[date, Precision]

_RANK = {"day": 0, "month": 1, "year": 2}

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
#: the names of the days of the week, lower case
WEEKDAY_NAMES = frozenset(_WEEKDAYS)
#: single words naming a month, a weekday or a day relative to today: the selective parser
#: (detente.parse) parses a sentence holding one before an event, as it may date the event
DATE_WORDS = frozenset(_MONTHS) | frozenset(_WEEKDAYS) | frozenset(["today", "yesterday", "tomorrow", "tonight"])
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3, "few": 3, "several": 3,
}
_VAGUE_NUMBERS = {"a couple of", "a few", "few", "several"}
_NUM = r"a couple of|a few|several|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class TimeCues:
    """The word lists of ``data/time_cues.tsv`` (see the comments in that file)."""

    background_adverbs: frozenset[str]
    background_phrases: frozenset[str]
    start_preps: frozenset[str]
    future_aux: frozenset[str]
    future_heads: frozenset[str]
    future_modifiers: frozenset[str]
    report_verbs: frozenset[str]
    event_nouns: frozenset[str]
    overlap_preps: frozenset[str]
    simultaneous_marks: frozenset[str]


@lru_cache(maxsize=None)
def load_cues() -> TimeCues:
    """Read (once per process) the cue lists from ``detente/data/time_cues.tsv``."""
    kinds: dict[str, set[str]] = {}
    text = resources.files("detente").joinpath("data/time_cues.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, value = line.partition("\t")
        kinds.setdefault(kind.strip(), set()).add(value.strip().lower())

    def get(kind: str) -> frozenset[str]:
        """The values listed under ``kind``."""
        return frozenset(kinds.get(kind, ()))

    return TimeCues(
        background_adverbs=get("background_adverb"),
        background_phrases=get("background_phrase"),
        start_preps=get("start_prep"),
        future_aux=get("future_aux"),
        future_heads=get("future_head"),
        future_modifiers=get("future_modifier"),
        report_verbs=get("report_verb"),
        event_nouns=get("event_noun"),
        overlap_preps=get("overlap_prep"),
        simultaneous_marks=get("simultaneous_mark"),
    )


# --------------------------------------------------------------------------- patterns


def expression_starts(text: str) -> Iterator[int]:
    """The character offsets in ``text`` where this stage finds a time expression, in order
    (the selective parser, :mod:`detente.parse`, parses a sentence holding one before an event:
    it may set the narrative date)."""
    return (m.start() for m in _patterns().candidates.finditer(text))


@dataclass(frozen=True)
class _Patterns:
    candidates: re.Pattern[str]  # finds expressions in raw sentence text
    iso: re.Pattern[str]
    numeric: re.Pattern[str]
    dmy: re.Pattern[str]
    mdy: re.Pattern[str]
    my: re.Pattern[str]
    year: re.Pattern[str]
    month: re.Pattern[str]
    week_of: re.Pattern[str]
    dayword: re.Pattern[str]
    weekday: re.Pattern[str]
    unit: re.Pattern[str]
    ago: re.Pattern[str]
    offset: re.Pattern[str]
    day_around: re.Pattern[str]
    background: re.Pattern[str]
    bare_year: re.Pattern[str]


#: where a time expression may start (see _patterns)
_CANDIDATE_START = r"\b(?=[0-9abcdefhijlmnopstuwy])"


@lru_cache(maxsize=None)
def _patterns() -> _Patterns:
    mon = "|".join(sorted(_MONTHS, key=len, reverse=True))
    wd = "|".join(_WEEKDAYS)
    num = _NUM
    unit = r"day|week|weekend|month|year"
    part = r"(?: (?:morning|afternoon|evening|night))?"
    ordinal = r"(?:st|nd|rd|th)?"
    # Raw-text finder, case-insensitive; the resolver decides what each match means. Every
    # alternative starts at a word boundary, with a digit or one of these letters (the first
    # letters of its words): testing that first makes the scan twice as fast
    alternatives = [
        r"\b\d{4}-\d{1,2}-\d{1,2}\b",
        r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b",
        rf"\b\d{{1,2}}{ordinal}(?: of)? (?:{mon})\b(?:,? \d{{4}}\b)?",
        rf"\b(?:{mon})\.? \d{{1,2}}{ordinal}\b(?:,? \d{{4}}\b)?",
        rf"\b(?:{mon}) (?:of )?\d{{4}}\b",
        rf"\b(?:in|on|by|since|during|until|from|between|early|late|mid)[ -](?:(?:{mon})|(?:19|20)\d\d)\b",
        r"\b(?:yesterday|today|tomorrow|tonight|last night)" + part + r"\b",
        rf"\b(?:(?:last|this|next|the following|the next|the previous) )?(?:{wd}){part}\b",
        rf"\b(?:(?:the )?(?:last|past|next|coming|previous|preceding|following|same)|this|that|that same"
        rf"|(?:earlier|later) (?:this|that|that same)) (?:{unit})\b",
        rf"\b(?:{num}) (?:{unit}|decade)s? (?:ago|later|after|afterwards|afterward|earlier|before)\b",
        r"\b(?:days|weeks|months|years|decades) (?:ago|later|earlier)\b",
        r"\bthe day (?:before|after)\b",
        r"\b(?:earlier|later) in the (?:day|week|month|year)\b",
        rf"\b(?:(?:{num}) )?hours (?:later|earlier|afterwards|after|before)\b",
        r"\b(?:early|mid|late|the end of|the beginning of)[ -](?:last|this|next) (?:year|month|week)\b",
        r"\b(?:over|during|at) the weekend\b",
        r"\b(?:last|this|next|past) (?:summer|winter|spring|autumn|fall)\b",
        r"\b(?:summer|winter|spring|autumn|fall) (?:of )?(?:19|20)\d\d\b",
    ]
    cand = _CANDIDATE_START + "(?:" + "|".join(a[2:] for a in alternatives) + ")"
    return _Patterns(
        candidates=re.compile(cand, re.IGNORECASE),
        iso=re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
        numeric=re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}"),
        dmy=re.compile(rf"(?:(?:{wd}) )?(\d{{1,2}}){ordinal}(?: of)? ({mon})(?: (\d{{4}}))?"),
        mdy=re.compile(rf"(?:(?:{wd}) )?({mon}) (\d{{1,2}}){ordinal}(?: (\d{{4}}))?"),
        my=re.compile(rf"(?:(?:early|mid|late|the end of|the beginning of|the start of) )?({mon}) (?:of )?(\d{{4}})"),
        year=re.compile(r"(?:(?:early|mid|late|the end of|the beginning of|the start of|the year) )?((?:1[89]|20)\d\d)"),
        month=re.compile(rf"(?:(last|this|next|early|mid|late|the end of|the beginning of|the start of) )?({mon})"),
        week_of=re.compile(rf"the (?:first|second|third|fourth|last|final) (?:week|weekend|days) of ({mon})(?: (\d{{4}}))?"),
        dayword=re.compile(
            r"(the day before yesterday|the day after tomorrow|yesterday|today|tomorrow|tonight"
            r"|last night|this morning|this afternoon|this evening)" + part
        ),
        weekday=re.compile(rf"(?:(last|this|next|the following|the next|the previous) )?({wd}){part}"),
        unit=re.compile(
            r"(the last|the past|last|past|this|earlier this|later this|the current|next|coming|the coming"
            r"|the previous|the preceding|the next|the following|that|the same|that same"
            r"|later that|later that same|earlier that|earlier that same) "
            r"(day|week|weekend|month|year|morning|afternoon|evening|night)"
        ),
        ago=re.compile(rf"(?:({num}) )?(day|week|month|year|decade)s? ago"),
        offset=re.compile(
            rf"(?:({num}) )?(day|week|month|year)s? (later|after|afterwards|afterward|earlier|before)"
        ),
        day_around=re.compile(r"the (day|week|month|year) (before|after)"),
        background=re.compile(
            r"(?:(?:the )?(?:early |mid |late )?\d{3}0s)|(?:the \w+ century)|(?:(?:in )?recent (?:years|decades))"
            rf"|(?:(?:the )?(?:past|last|previous) (?:(?:{num}) )?(?:years|decades|decade))"
            r"|years|decades|a decade|centuries|(?:many|(?:\d+|two|three|four|five|several) decades)"
        ),
        bare_year=re.compile(r"\b(?:1[89]|20)\d\d\b"),
    )


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class Resolved:
    """A resolved time expression: ``kind`` ``date`` (with a date and a precision) or
    ``background`` (it only says "at some earlier time", e.g. "years ago", "since 2020")."""

    kind: Literal["date", "background"]
    day: date | None = None
    precision: Precision | None = None

    def when(self) -> When:
        """The When this expression gives an event it dates."""
        if self.kind != "date" or self.day is None or self.precision is None:
            return When.unknown()
        return When(_fmt(self.day, self.precision), self.precision, "text")

    def anchor(self) -> Anchor | None:
        """This expression as an anchor for later expressions, or None for background."""
        if self.kind != "date" or self.day is None or self.precision is None:
            return None
        return (self.day, self.precision)


_BACKGROUND = Resolved("background")
#: days a story's own dates may run ahead of its document date (a header date lagging behind)
_HEADER_LAG = 7


def _later_than(anchor: Anchor | None, doc: Anchor | None) -> bool:
    """Whether the period of ``anchor`` starts more than a week after the document date (a
    header date can lag a few days behind the story, so a near date is allowed)."""
    if anchor is None or doc is None:
        return False
    (d, prec), ref = anchor, doc[0]
    start = date(d.year, 1, 1) if prec == "year" else date(d.year, d.month, 1) if prec == "month" else d
    return (start - ref).days > _HEADER_LAG


def _earlier_than(anchor: Anchor | None, doc: Anchor | None) -> bool:
    """Whether the period of ``anchor`` ends more than a month before the document date."""
    if anchor is None or doc is None:
        return False
    (d, prec), ref = anchor, doc[0]
    if prec == "year":
        end = date(d.year, 12, 31)
    elif prec == "month":
        end = _add_months(date(d.year, d.month, 1), 1)
    else:
        end = d
    return (ref - end).days > 31


def _documents_own_period(anchor: Anchor | None, doc: Anchor | None) -> bool:
    """Whether ``anchor`` is the document's own year at year precision ("later this year",
    "2024" in an article of 2024) or its own month at month precision ("earlier this month"):
    as a narrative date it would only blur the dates of the sentences after it; it brings the
    story back to the time of writing instead (rule 4)."""
    if anchor is None or doc is None or anchor[1] not in ("year", "month"):
        return False
    same_year = anchor[0].year == doc[0].year
    return same_year if anchor[1] == "year" else same_year and anchor[0].month == doc[0].month


def _present(tok: "Token") -> bool:
    """A verb told in the present or the present perfect ("offers", "has offered"), with no
    modal auxiliary: an act of the time of writing."""
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" or c.lower_ in ("had", "'d", "did", "was", "were") for c in aux):
        return False
    if tok.tag_ in ("VBZ", "VBP"):
        return True
    return tok.tag_ == "VBN" and any(c.lower_ in ("has", "have", "'s", "'ve") for c in aux)


def _present_clause(tok: "Token") -> bool:
    """Whether a predicate is told in the present: itself (:func:`_present`), in the present
    progressive ("are preparing"), or as the infinitive of a verb that is ("are preparing to
    announce", "plans to visit")."""
    for _ in range(3):
        aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        if _present(tok):
            return True
        if tok.tag_ == "VBG" and any(c.tag_ in ("VBZ", "VBP") for c in aux):
            return True
        if tok.dep_ != "xcomp" or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _past_tense(tok: "Token") -> bool:
    """A verb told as past: a simple past or a perfect ("signed", "has signed"), active or
    passive ("was killed", "were arrested"), with no future or modal auxiliary."""
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in aux):
        return False
    if tok.tag_ == "VBD":
        return True
    return tok.tag_ == "VBN" and any(c.lemma_ == "have" or (c.dep_ == "auxpass" and c.tag_ == "VBD") for c in aux)


def _fmt(d: date, precision: str) -> str:
    if precision == "day":
        return d.isoformat()
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def _rep(y: int, m: int | None = None, d: int | None = None) -> tuple[date, Precision]:
    """Representative date of a period: the day itself, the 15th of a month, 1 July of a year."""
    if m is None:
        return date(y, 7, 1), "year"
    if d is None:
        return date(y, m, 15), "month"
    return date(y, m, d), "day"


def _date(d: date, precision: Precision) -> Resolved:
    if precision == "month":
        d = date(d.year, d.month, 15)
    elif precision == "year":
        d = date(d.year, 7, 1)
    return Resolved("date", d, precision)


def _coarser(a: Precision, b: Precision) -> Precision:
    return a if _RANK[a] >= _RANK[b] else b


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + (d.month - 1) + n
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, 28))


def _week(d: date, anchor_prec: Precision) -> Resolved:
    """A week-level expression: the month of the Thursday of the week holding ``d``."""
    thursday = d - timedelta(days=d.weekday()) + timedelta(days=3)
    return _date(thursday, _coarser("month", anchor_prec))


def _shift(anchor: Anchor, unit: str, n: int, precision: Precision | None = None) -> Resolved:
    """``anchor`` moved by ``n`` units; precision no finer than the anchor's."""
    d, aprec = anchor
    if unit in ("day", "morning", "afternoon", "evening", "night"):
        return _date(d + timedelta(days=n), _coarser(precision or "day", aprec))
    if unit in ("week", "weekend"):
        return _week(d + timedelta(days=7 * n), aprec)
    if unit == "month":
        return _date(_add_months(d, n), _coarser(precision or "month", aprec))
    return _date(date(d.year + n, d.month, min(d.day, 28)), "year")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(
    month: int, day: int | None, anchor: Anchor, future: bool, past: bool = False, doc: Anchor | None = None
) -> date | None:
    """The date of a yearless day-month (or month) nearest to the anchor (rule 2); for a
    planned event the next one; for an act told in the past the one nearest to the anchor
    among those up to a month after the document date (or after the anchor, with no document
    date): "met in March", written in November, is this year's March; "In August 2016 ...
    In December ...", written in February 2017, is December 2016, not 2015."""
    a = anchor[0]
    options = []
    for y in (a.year - 1, a.year, a.year + 1):
        cand = _safe_date(y, month, day) if day is not None else date(y, month, 15)
        if cand is not None:
            options.append(cand)
    if not options:
        return None
    if future:
        floor = a if anchor[1] == "day" else date(a.year, a.month, 1)
        later = [c for c in options if c >= floor]
        if later:
            return min(later)
    if past:
        limit = doc[0] if doc is not None else a
        earlier = [c for c in options if (c - limit).days <= 31]
        if earlier:
            return min(earlier, key=lambda c: (abs((c - a).days), -c.toordinal()))
    return min(options, key=lambda c: (abs((c - a).days), c))


def _weekday(target: int, anchor: Anchor, mode: str) -> Resolved:
    d, aprec = anchor
    if mode == "before":  # most recent on or before
        back = (d.weekday() - target) % 7
        res = d - timedelta(days=back)
    elif mode == "strictly_before":
        back = (d.weekday() - target) % 7 or 7
        res = d - timedelta(days=back)
    else:  # strictly after
        fwd = (target - d.weekday()) % 7 or 7
        res = d + timedelta(days=fwd)
    return _date(res, _coarser("day", aprec))


def _num(word: str | None) -> int | None:
    if word is None:
        return 1
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _normalize(text: str) -> str:
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"'s\b", "", t)
    t = t.replace("mid-", "mid ")
    t = re.sub(r"[,.;:()\"']", " ", t.replace("'ll", ""))
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^(?:on|in|at|during|of|from|by|until|till|as of|around|about|since|between) ", "", t)
    t = re.sub(r"^the (?=\d)", "", t)
    return t


@lru_cache(maxsize=16384)
def resolve_expression(
    text: str, doc: Anchor | None, narrative: Anchor | None, future: bool = False, past: bool = False
) -> Resolved | None:
    """Resolve one time expression (raw text as written) against its anchors.

    ``doc`` is the document date anchor, ``narrative`` the narrative one (or None);
    ``future`` is true when the event it dates is planned, ``past`` when it is told in the past
    tense (a yearless month then means the last one). Returns None when the text is not
    a date we can place (a duration such as "three years", a frequency, no anchor for a
    relative expression).
    """
    t = _normalize(text)
    if not t:
        return None
    p = _patterns()
    deictic = doc or narrative
    anaphoric = narrative or doc
    yearless = anaphoric  # a planned event's yearless date comes after publication, not after the story's past
    if future and doc is not None and narrative is not None and narrative[0] < doc[0]:
        yearless = doc

    m = re.fullmatch(r"(?:early|mid|late|the end of|the beginning of)[ -](last|this|next) (year|month|week)", t)
    if m:
        t = f"{m[1]} {m[2]}"  # "late last year": last year, at that precision
    m = re.fullmatch(r"(earlier|later) in the (day|week|month|year)", t)
    if m:
        t = f"{m[1]} that {m[2]}"  # "earlier in the day": that same day of the story
    m = re.fullmatch(rf"(?:({_NUM}) )?hours (?:later|earlier|afterwards|after|before)", t)
    if m:
        if m[1] is not None and (_num(m[1]) is None or _num(m[1]) > 12):
            return None  # "36 hours later" may be another day
        t = "that same day"  # "hours later": the day of the story
    if re.fullmatch(r"(?:over|during|at) the weekend", t):
        if deictic is None:
            return None
        # the weekend just gone (or this one, when the text is dated on a weekend)
        t = "this weekend" if deictic[1] == "day" and deictic[0].weekday() >= 5 else "last weekend"
    m = re.fullmatch(r"(?:the )?(summer|winter|spring|autumn|fall) (?:of )?(\d{4})", t)
    if m:
        return _date(date(int(m[2]), _SEASON_MID[m[1]], 15), "month")
    m = re.fullmatch(r"(last|this|next|past) (summer|winter|spring|autumn|fall)", t)
    if m:
        return _season(m[1], m[2], deictic)
    m = p.iso.fullmatch(t)
    if m:
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _date(d, "day") if d else None
    if p.numeric.fullmatch(t):
        return _dateparser(t, deictic)
    m = p.dmy.fullmatch(t) or p.mdy.fullmatch(t)
    if m:
        if p.dmy.fullmatch(t):
            day, month, year = int(m[1]), _MONTHS[m[2]], m[3]
        else:
            month, day, year = _MONTHS[m[1]], int(m[2]), m[3]
        if year:
            d = _safe_date(int(year), month, day)
            return _date(d, "day") if d else None
        if anaphoric is None:
            return None
        d = _infer_year(month, day, yearless, future, past, doc)
        return _date(d, "day") if d else None
    m = p.my.fullmatch(t)
    if m:
        return _date(date(int(m[2]), _MONTHS[m[1]], 15), "month")
    m = p.week_of.fullmatch(t)
    if m:
        if m[2]:
            return _date(date(int(m[2]), _MONTHS[m[1]], 15), "month")
        if anaphoric is None:
            return None
        d = _infer_year(_MONTHS[m[1]], None, yearless, future, past, doc)
        return _date(d, "month") if d else None
    m = p.year.fullmatch(t)
    if m:
        return _date(date(int(m[1]), 7, 1), "year")
    m = p.month.fullmatch(t)
    if m:
        if anaphoric is None:
            return None
        month = _MONTHS[m[2]]
        # "last September", "next May", "this June" are told from the time of writing, as
        # "last week" and "last Tuesday" are; a bare month follows the story
        a = (deictic or anaphoric)[0]
        if m[1] == "last":
            y = a.year if month < a.month else a.year - 1
            return _date(date(y, month, 15), "month")
        if m[1] == "next":
            y = a.year if month > a.month else a.year + 1
            return _date(date(y, month, 15), "month")
        if m[1] == "this":
            return _date(date(a.year, month, 15), "month")
        d = _infer_year(month, None, yearless, future, past, doc)
        return _date(d, "month") if d else None
    m = p.dayword.fullmatch(t)
    if m:
        if deictic is None:
            return None
        offset = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                  "tomorrow": 1, "the day after tomorrow": 2}.get(m[1], 0)
        return _shift(deictic, "day", offset)
    m = p.weekday.fullmatch(t)
    if m:
        mod, target = m[1], _WEEKDAYS[m[2]]
        if mod in ("the following", "the next", "the previous"):
            if anaphoric is None:
                return None
            return _weekday(target, anaphoric, "strictly_before" if mod == "the previous" else "after")
        if deictic is None:
            return None
        if mod == "last":
            return _weekday(target, deictic, "strictly_before")
        if mod == "next" or future:
            return _weekday(target, deictic, "after")
        return _weekday(target, deictic, "before")
    m = p.unit.fullmatch(t)
    if m:
        mod, unit = m[1], m[2]
        deictic_offsets = {"the last": -1, "the past": -1, "last": -1, "past": -1, "this": 0,
                           "earlier this": 0, "later this": 0, "the current": 0, "next": 1,
                           "coming": 1, "the coming": 1}
        if mod in deictic_offsets:
            if unit == "day" or unit in ("morning", "afternoon", "evening", "night") and mod != "this":
                return None  # "the last day", "past night": not a date we can place
            return _shift(deictic, unit, deictic_offsets[mod]) if deictic else None
        if anaphoric is None:
            return None
        offset = {"the previous": -1, "the preceding": -1, "the next": 1, "the following": 1}.get(mod, 0)
        return _shift(anaphoric, unit, offset)
    m = p.ago.fullmatch(t)
    if m:
        n, unit = _num(m[1]), m[2]
        vague = m[1] is None or m[1] in _VAGUE_NUMBERS
        if unit == "decade" or (vague and unit in ("month", "year")) or n is None:
            return _BACKGROUND
        if deictic is None:
            return None
        return _shift(deictic, unit, -n, "month" if vague else None)
    m = p.offset.fullmatch(t)
    if m:
        n, unit = _num(m[1]), m[2]
        if n is None or anaphoric is None:
            return None
        vague = m[1] is None or m[1] in _VAGUE_NUMBERS
        if vague and unit in ("month", "year"):
            return None
        sign = -1 if m[3] in ("earlier", "before") else 1
        return _shift(anaphoric, unit, sign * n, "month" if vague else None)
    m = p.day_around.fullmatch(t)
    if m:
        if anaphoric is None:
            return None
        return _shift(anaphoric, m[1], -1 if m[2] == "before" else 1)
    if p.background.fullmatch(t):
        return _BACKGROUND
    return None


# A season by its middle month (winter: the January of its new year), and its last month.
_SEASON_MID = {"spring": 4, "summer": 7, "autumn": 10, "fall": 10, "winter": 1}
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}


def _season(mod: str, season: str, anchor: Anchor | None) -> Resolved | None:
    """ "last summer": the latest such season over before the anchor's month; "this summer"
    the one of the anchor's year (winter: the one around the coming or current January);
    "next summer" the first one not begun. Month precision, the season's middle month."""
    if anchor is None:
        return None
    a = anchor[0]
    mid, end = _SEASON_MID[season], _SEASON_END[season]
    if mod in ("last", "past"):
        # the season of year y ends in month ``end`` of year y; the latest one ended before a
        y = a.year if end < a.month else a.year - 1
    elif season == "winter":
        # the winter around January of year y runs from December of y - 1
        this = a.year + 1 if a.month >= 9 else a.year
        y = this if mod == "this" else (a.year + 2 if a.month == 12 else a.year + 1)
    elif mod == "this":
        y = a.year
    else:
        y = a.year + 1 if a.month >= mid - 1 else a.year
    return _date(date(y, mid, 15), "month")


def _dateparser(text: str, anchor: Anchor | None) -> Resolved | None:
    """Numeric dates such as 04/05/2025, left to dateparser (its default month-first order)."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past"}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor[0].year, anchor[0].month, anchor[0].day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    period = data.period if data.period in ("day", "month", "year") else "day"
    return _date(data.date_obj.date(), period)


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class _Expression:
    text: str
    start: int  # token index in the Doc
    end: int
    attach: int  # token index of the predicate it modifies
    start_point: bool  # governed by "since": a background cue, not a date
    mirrored: bool = False  # "N days after" opening a clause: that clause is N days before its head


def _is_pred(tok: "Token", cues: TimeCues) -> bool:
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
        return True
    return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in cues.event_nouns


def _attachment(root: "Token", cues: TimeCues) -> "Token":
    """First verb or event noun above the expression root (the sentence root if none)."""
    tok = root
    while tok.head.i != tok.i:
        tok = tok.head
        if _is_pred(tok, cues):
            return tok
    return tok


def _list_entry(sent: "Span", expr: _Expression) -> str | None:
    """The text to resolve for a dated entry of a list ("July 27: Moscow expels ..."), or None
    when ``expr`` is not one: the expression opens its sentence or line (after any bullet, or a
    year heading flattened into the text, "2017 January 6:") and a colon follows it. The year
    heading, when there is one, is added to the text."""
    doc = sent.doc
    if expr.end >= sent.end or doc[expr.end].text != ":":
        return None
    i = expr.start - 1
    text = expr.text
    if i >= sent.start and re.fullmatch(r"(19|20)\d\d", doc[i].text) and not _patterns().bare_year.search(expr.text):
        text = f"{expr.text} {doc[i].text}"
        i -= 1
    while i >= sent.start and doc[i].is_punct:
        i -= 1
    return text if i < sent.start or (doc[i].is_space and "\n" in doc[i].text) else None


def _is_future(tok: "Token", cues: TimeCues) -> bool:
    """True when the predicate is planned: "will/would visit", "plans to visit", "upcoming visit"."""
    for child in tok.children:
        if child.dep_ == "aux" and child.lower_ in cues.future_aux:
            return True
        if child.dep_ == "amod" and child.lower_ in cues.future_modifiers:
            return True
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in cues.future_heads:
        return tok.head.lemma_.lower() != "go" or tok.head.tag_ == "VBG"
    if tok.dep_ == "conj" and tok.head.i != tok.i and tok.head.pos_ == "VERB":
        return _is_future(tok.head, cues)
    return False


class SentenceTimes:
    """The time expressions of one sentence, attached to predicates, with the narrative and
    document anchors as they stood when the sentence was read."""

    def __init__(
        self,
        sent: "Span",
        expressions: list[_Expression],
        doc_anchor: Anchor | None,
        narrative: Anchor | None,
        cues: TimeCues,
        list_anchor: Anchor | None = None,
    ) -> None:
        self._doc = doc_anchor
        self._narrative = narrative
        # token indices inside time expressions (their words are not background cues)
        self._covered = frozenset(i for e in expressions for i in range(e.start, e.end))
        self.expressions: tuple[tuple[str, int], ...] = tuple((e.text, e.attach) for e in expressions)
        """(text, index of the predicate token it attaches to) of each expression found."""
        # Resolve in text order. An anaphoric expression refers to the last date before it in
        # the same sentence if there is one ("elected in 2019 and re-elected four years
        # later"), else to the narrative.
        self._by_pred: dict[int, list[Resolved]] = {}
        self.list_date: Anchor | None = None
        """The date of the list entry this sentence opens, if it opens one."""
        doc = sent.doc
        local = narrative
        # the point in time each expression names, by its tokens: what a "when" clause hanging
        # on it took place at ("since 2015, when the rebels seized the capital": 2015)
        self._point: dict[int, Resolved] = {}
        for expr in expressions:
            words = expr.text.split()
            if expr.start_point and words and words[0].lower() in cues.start_preps:
                words = words[1:]
            point = resolve_expression(" ".join(words), doc_anchor, narrative, False, True) if words else None
            if point is not None and point.kind == "date":
                for i in range(expr.start, expr.end):
                    self._point[i] = point
        for expr in expressions:
            if expr.start_point:
                res: Resolved | None = _BACKGROUND
            else:
                future = _is_future(doc[expr.attach], cues)
                past = not future and _past_tense(doc[expr.attach])
                entry = _list_entry(sent, expr)
                if entry is not None:
                    # a timeline runs forward from its previous entry; its first entry lies
                    # before publication (a list tells what happened)
                    if list_anchor is not None:
                        res = resolve_expression(entry, None, list_anchor, True, False)
                    else:
                        res = resolve_expression(entry, doc_anchor, local, False, True)
                    if res is not None and res.kind == "date":
                        self.list_date = res.anchor()
                elif expr.mirrored:
                    # "comes two days after X happened": X is two days before the clause above
                    # (the clause above dated by the present tense or a date of its own, else
                    # nothing: a guess from the narrative would be no better than none)
                    head = doc[expr.attach].head
                    own = [r for r in self._by_pred.get(head.i, ()) if r.kind == "date"]
                    ref = doc_anchor if _present(head) else own[0].anchor() if own else None
                    text = re.sub(r"(after|before)$", lambda m: "before" if m[1] == "after" else "after", expr.text)
                    res = resolve_expression(text, doc_anchor, ref, future, past) if ref else None
                else:
                    res = resolve_expression(expr.text, doc_anchor, local, future, past)
            if res is None:
                continue
            if res.kind == "date":
                local = res.anchor()
            self._by_pred.setdefault(expr.attach, []).append(res)

        # "In January 2016 the council resumed its work. Sapin said that ...": a report in the
        # simple past with no date of its own, after a story told long before publication, is
        # made at the time of writing (rule 7)
        self.lead: Anchor | None = None  # set by Timeline for a lead retold with a date
        self.listed = False  # set by Timeline for the entry that follows a list's date alone
        root = sent.root
        self.reported_now = (
            narrative is not None
            and _earlier_than(narrative, doc_anchor)
            and root.lemma_.lower() in cues.report_verbs
            and root.tag_ == "VBD"
            and not any(c.dep_ in ("aux", "auxpass") for c in root.children)
            and root.i not in self._by_pred
            and not self._has_background_cue(root, cues)
        )

    def _resolve_at(self, tok: "Token", cues: TimeCues) -> Resolved | None:
        """The date (or background) attached to ``tok`` itself, dates first."""
        found = self._by_pred.get(tok.i)
        if not found:
            return None
        for res in found:
            if res.kind == "date":
                return res
        return found[0]

    @staticmethod
    def _pluperfect(tok: "Token") -> bool:
        """A verb in the pluperfect ("had jailed", "had been fighting")."""
        aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        if tok.tag_ == "VBN" or (tok.tag_ == "VBG" and any(c.lower_ == "been" for c in aux)):
            return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") and c.tag_ == "VBD" for c in aux)
        return False

    def _has_background_cue(self, tok: "Token", cues: TimeCues) -> bool:
        if self._pluperfect(tok):
            return True
        if tok.dep_ == "xcomp" and tok.head.lemma_ == "use" and tok.head.tag_ == "VBD":
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
                return True
        for child in tok.children:
            if child.i in self._covered:
                continue
            if child.dep_ in ("advmod", "npadvmod") and child.lower_ in cues.background_adverbs:
                return True
            if child.dep_ in ("prep", "advmod", "npadvmod"):
                sub = list(child.subtree)
                if len(sub) <= 5:
                    phrase = " ".join(s.lower_ for s in sub)
                    if phrase in cues.background_phrases:
                        return True
        return False

    def _has_other_cue(self, tok: "Token", cues: TimeCues) -> bool:
        """A background cue other than the tense ("had long opposed", "had previously met")."""
        for child in tok.children:
            if child.i in self._covered:
                continue
            if child.dep_ in ("advmod", "npadvmod") and child.lower_ in cues.background_adverbs:
                return True
        return False

    def _before_recent_reference(self, tok: "Token", cues: TimeCues) -> When:
        """A pluperfect act with no date of its own lies before its reference time: the date
        of the clause above it, else the narrative date. When that reference is a day of the
        last week before publication ("police said on Saturday they had jailed ..."), the act
        is of those days too and takes the reference day; otherwise, and always in the main
        clause (a flashback), its time is unknown."""
        main = tok
        while main.dep_ == "conj" and main.head.i != main.i:
            main = main.head
        if main.head.i == main.i:
            # a flashback of the main clause ("the two had met before"): before the story;
            # of the document's month when the story is told at publication
            return self._month_of_document() if self._narrative is None else When.unknown()
        ref: Anchor | None = None
        up = tok
        while up.head.i != up.i:
            up = up.head
            res = self._resolve_at(up, cues)
            if res is not None:
                ref = res.anchor()
                break
            if self._has_background_cue(up, cues):
                return When.unknown()
        if ref is None and up.head.i == up.i:
            ref = self._narrative  # not the document date: "said it had" dates nothing
            if ref is None:
                return self._month_of_document()  # "officials said they had ...": not its day
        if ref is None or self._doc is None or ref[1] != "day":
            return When.unknown()
        if not -7 <= (ref[0] - self._doc[0]).days <= 1:
            return When.unknown()
        return When(_fmt(ref[0], "day"), "day", "text")

    def _month_of_document(self) -> When:
        """The document's month: the date of an act told as before a story that is told at
        publication, with no date of its own (not the document's day, which it precedes)."""
        if self._doc is None:
            return When.unknown()
        return When(_fmt(self._doc[0], "month"), "month", "document")

    def _during(self, tok: "Token", cues: TimeCues) -> Resolved | None:
        """The date of an event noun that ``tok`` happens during ("exploded during the rally
        on Monday"), or None."""
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in cues.overlap_preps:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        res = self._resolve_at(obj, cues)
                        if res is not None and res.kind == "date":
                            return res
        return None

    def _simultaneous(self, tok: "Token", cues: TimeCues) -> Resolved | None:
        """The date of a clause that ``tok`` happens at the same time as ("killed four soldiers
        when they stormed the post on Monday", "... as the talks opened in May"), or None."""
        for c in tok.children:
            if c.dep_ == "advcl" and any(m.dep_ in ("advmod", "mark") and m.lower_ in cues.simultaneous_marks
                                         for m in c.children):
                res = self._resolve_at(c, cues)
                if res is not None and res.kind == "date":
                    return res
        return None

    def for_event(self, pred: "Token") -> When:
        """The When of the event whose predicate token is ``pred`` (a token of this sentence).

        Walks from ``pred`` up its heads; the nearest token with an attached date gives it,
        a nearest background cue (or start-point expression) gives :meth:`When.unknown`.
        With neither: the narrative date, else the document date, else unknown.
        """
        cues = load_cues()
        tok = pred
        while True:
            res = self._resolve_at(tok, cues)
            if res is not None and not (_later_than(res.anchor(), self._doc) and _past_tense(pred)):
                return res.when()  # a past act is not dated after publication
            if self._has_background_cue(tok, cues):
                if self._pluperfect(tok) and not self._has_other_cue(tok, cues):
                    return self._before_recent_reference(tok, cues)
                return When.unknown()
            res = self._during(tok, cues) or self._simultaneous(tok, cues)
            if res is not None and not (_later_than(res.anchor(), self._doc) and _past_tense(pred)):
                return res.when()
            res = self._point.get(tok.head.i) if tok.dep_ in ("relcl", "advcl") and any(
                c.dep_ == "advmod" and c.lower_ == "when" for c in tok.children) else None
            if res is not None and not (_later_than(res.anchor(), self._doc) and _past_tense(pred)):
                return res.when()  # "in 2014, when X annexed Y": the time the clause hangs on
            if tok.head.i == tok.i:
                break
            tok = tok.head
        if self.reported_now:
            return When(self._doc[0].isoformat(), "day", "document")
        if self._narrative is None and self.lead is not None:
            return When(_fmt(*self.lead), "day", "text")
        if self._narrative is not None and _present_clause(pred) and _earlier_than(self._narrative, self._doc) \
                and not self.listed:
            # "They last met in September. Ankara has offered ...": back to the present
            return When(self._doc[0].isoformat(), "day", "document")
        if self._narrative is not None and not (_later_than(self._narrative, self._doc) and _past_tense(pred)):
            d, prec = self._narrative
            return When(_fmt(d, prec), prec, "text")
        if self._doc is not None:
            return When(self._doc[0].isoformat(), "day", "document")
        return When.unknown()


def _main_clause(root: "Token") -> list["Token"]:
    """The sentence root and its verbal conjuncts, in text order."""
    out = [root]
    stack = [root]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ == "conj" and _is_pred(child, load_cues()):
                out.append(child)
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


class Timeline:
    """Narrative date state of one document.

    ``doc_date`` is the publication date as ``YYYY-MM-DD`` (longer ISO strings are cut to
    their date) or None; a malformed date raises ValueError.
    """

    def __init__(self, doc_date: str | None) -> None:
        self.doc_date = doc_date
        self._doc: Anchor | None = None
        if doc_date:
            self._doc = (date.fromisoformat(doc_date[:10]), "day")
        self._narrative: Anchor | None = None
        self._doc_obj: object | None = None  # the spaCy Doc whose entities are cached
        self._ents: list[tuple[int, int]] = []
        self._text = ""
        self._first = True
        self._list_date = False  # the last sentence was a list entry's date alone ("July 27:")
        self._list_anchor: Anchor | None = None  # the date of the last list entry read

    def _lead_date(self, sent: "Span", cues: TimeCues) -> Anchor | None:
        """The day of a lead told in the present perfect with no time ("X has accused Y of
        ..."), when one of the next two sentences reports it with a day of the last week
        ("..., X said on Monday"): rule 8."""
        root = sent.root
        if self._doc is None or not (root.tag_ == "VBN" and any(
                c.dep_ == "aux" and c.lower_ in ("has", "have") for c in root.children)):
            return None
        doc = sent.doc
        nxt = sent.end
        for _ in range(2):
            if nxt >= len(doc):
                return None
            follow = doc[nxt].sent
            nxt = follow.end
            ents = [(s, min(e, follow.end_char)) for s, e in self._ents
                    if follow.start_char <= s < follow.end_char]
            text = self._text[follow.start_char:follow.end_char]
            for expr in _find_expressions(follow, text, ents, cues):
                verb = doc[expr.attach]
                if verb.i != follow.root.i or verb.lemma_.lower() not in ("say", "tell") or verb.tag_ != "VBD":
                    continue
                res = resolve_expression(expr.text, self._doc, None, False, True)
                anchor = res.anchor() if res is not None else None
                if anchor is not None and anchor[1] == "day" and -7 <= (anchor[0] - self._doc[0]).days <= 0:
                    return anchor
        return None

    @property
    def narrative(self) -> When | None:
        """The current narrative date (None until a main clause sets one)."""
        if self._narrative is None:
            return None
        return When(_fmt(*self._narrative), self._narrative[1], "text")

    def sentence(self, sent: "Span") -> SentenceTimes:
        """Find and attach the time expressions of ``sent``, then advance the narrative.

        Call once per sentence, in document order; the returned object keeps the anchors of
        this sentence, so it may be queried after later sentences were read.
        """
        cues = load_cues()
        if self._doc_obj is not sent.doc:  # Span.ents scans the whole Doc: do it once
            self._doc_obj = sent.doc
            self._text = sent.doc.text
            self._ents = [(e.start_char, e.end_char) for e in sent.doc.ents if e.label_ in ("DATE", "TIME")]
        lo = bisect_left(self._ents, (sent.start_char, -1))
        ents = []
        for s, e in self._ents[lo:]:
            if s >= sent.end_char:
                break
            ents.append((s, min(e, sent.end_char)))
        sent_text = self._text[sent.start_char : sent.end_char]
        expressions = _find_expressions(sent, sent_text, ents, cues)
        times = SentenceTimes(sent, expressions, self._doc, self._narrative, cues, self._list_anchor)
        if times.list_date is not None:
            self._list_anchor = times.list_date
        # the entry a list date opens ("July 27:" parsed as a sentence of its own) is told in
        # the historical present: it stays at that date
        times.listed = self._list_date
        root = sent.root
        if (not times.reported_now and not times.listed and self._narrative is not None
                and _earlier_than(self._narrative, self._doc) and _present_clause(root)
                and root.i not in times._by_pred and not times._has_background_cue(root, cues)):
            # "Piracy dates back to 2005. Ministers are preparing a plan.": a main clause in
            # the present, with no date of its own, after a story told long before
            # publication, is at the time of writing, and so is the story after it (rule 7)
            times.reported_now = True
        self._list_date = len(expressions) == 1 and _list_entry(sent, expressions[0]) is not None and all(
            t.is_punct or t.is_space or expressions[0].start <= t.i < expressions[0].end for t in sent)
        if self._first and not expressions and self._narrative is None:
            times.lead = self._lead_date(sent, cues)
        self._first = False
        if times.reported_now:
            self._narrative = None  # back to the time of writing
        for tok in _main_clause(sent.root):
            res = times._resolve_at(tok, cues)
            # neither a flashback ("had signed a truce in 2019") nor a plan ("will meet in
            # December") moves the story
            if (
                res is not None
                and res.kind == "date"
                and not times._has_background_cue(tok, cues)
                and not _is_future(tok, cues)
                and not _later_than(res.anchor(), self._doc)  # the story told so far is not ahead of its date
            ):
                # only the document's own year ("elections later this year"): the time of writing
                self._narrative = None if _documents_own_period(res.anchor(), self._doc) else res.anchor()
        return times


def _find_expressions(
    sent: "Span", sent_text: str, ents: list[tuple[int, int]], cues: TimeCues
) -> list[_Expression]:
    """DATE/TIME entities (char offsets) plus regex matches, merged (widest wins), each attached."""
    doc = sent.doc
    base = sent.start_char
    spans: list[tuple[int, int]] = list(ents)
    for m in _patterns().candidates.finditer(sent_text):
        spans.append((base + m.start(), base + m.end()))
    if not spans:
        return []
    spans.sort()
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out = []
    for s, e in merged:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        text = span.text
        # An entity that does not parse whole may hold a regex match that does.
        if not _parses(text):
            sub = _patterns().candidates.search(text) or _patterns().bare_year.search(text)
            if sub is None:
                continue
            inner = doc.char_span(span.start_char + sub.start(), span.start_char + sub.end(),
                                  alignment_mode="expand")
            if inner is None or len(inner) == 0:
                continue
            span, text = inner, inner.text
        root = span.root
        attach = _attachment(root, cues)
        start_point = root.dep_ == "pobj" and root.head.lower_ in cues.start_preps
        if not start_point and span[0].lower_ in cues.start_preps:
            start_point = True
        last = span[-1]
        mirrored = last.lower_ in ("after", "before") and last.dep_ == "mark"
        if mirrored:
            attach = last.head  # the clause it opens, whichever clause the parse hangs it on
        out.append(_Expression(text, span.start, span.end, attach.i, start_point, mirrored))
    return out


_PROBE: Anchor = (date(2000, 6, 15), "day")


def _parses(text: str) -> bool:
    """Whether the text resolves at all (probed with a fixed anchor)."""
    return resolve_expression(text, _PROBE, _PROBE, False) is not None
