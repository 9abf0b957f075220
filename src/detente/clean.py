"""Clean: take boilerplate out of a document's text and normalise its white space.

This is the only stage that changes text: every offset in an event refers to the cleaned
text returned here. Boilerplate cues (appeals, newsletter prompts, cookie notices, share
prompts, related-story lines, photo credits, bylines, datelines) are regular expressions
in ``data/boilerplate.tsv``; see the header of that file for the rule format.

Cleaned text: paragraphs separated by one blank line, white space inside a paragraph
collapsed to single spaces, no leading or trailing white space.

The parser does not read the cleaned text itself but :func:`parse_copy` of it: a copy of the
same length with two scraping artifacts of the corpus undone (a quotation mark turned into '"?'
and glued to the next word; a hyphen put for a space). Offsets into the copy are offsets into the cleaned text, and an
event's evidence is cut from the cleaned text: it is the article's own words.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .coding.lexicon import word_class
from .errors import DictionaryError
from .lang import detect_language
from .model import Document, RawDocument
from .when import WEEKDAY_NAMES

__all__ = ["Rule", "Rules", "load_rules", "clean", "clean_text", "parse_copy", "split_paragraphs", "split_sentences"]

SCOPES = ("paragraph", "sentence", "lead", "inline")
# A "paragraph" rule only removes short paragraphs (stand-alone lines).
_SHORT_PARAGRAPH_CHARS = 400
_SHORT_PARAGRAPH_SENTENCES = 3
# A sentence longer than this is never a cue; boilerplate runs are looked for only among
# the first and last _EDGE sentences of a long paragraph.
_MAX_CUE_SENTENCE_CHARS = 250
_EDGE = 6


@dataclass(frozen=True)
class Rule:
    """One boilerplate cue: its category, compiled pattern and scope."""

    category: str
    pattern: re.Pattern[str]
    scope: str


@dataclass(frozen=True)
class Rules:
    """The boilerplate cues grouped by scope."""

    paragraph: tuple[Rule, ...]
    sentence: tuple[Rule, ...]
    lead: tuple[Rule, ...]
    inline: tuple[Rule, ...]


def _default_rules_path() -> Path:
    return Path(str(resources.files("detente") / "data" / "boilerplate.tsv"))


@lru_cache(maxsize=8)
def load_rules(path: str | None = None) -> Rules:
    """Load and validate the boilerplate cue file (default: the packaged ``boilerplate.tsv``).

    Cached per path. Raises DictionaryError naming the line for a wrong column count,
    an unknown scope or a regex that does not compile.
    """
    p = Path(path) if path else _default_rules_path()
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"cannot read boilerplate cues {p}: {exc}") from exc
    groups: dict[str, list[Rule]] = {s: [] for s in SCOPES}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            raise DictionaryError(f"{p}:{lineno}: expected 3 tab-separated columns, got {len(cols)}")
        category, pattern, scope = (c.strip() for c in cols)
        if scope not in groups:
            raise DictionaryError(f"{p}:{lineno}: unknown scope {scope!r} (want one of {', '.join(SCOPES)})")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise DictionaryError(f"{p}:{lineno}: bad regex {pattern!r}: {exc}") from exc
        groups[scope].append(Rule(category, compiled, scope))
    return Rules(**{s: tuple(r) for s, r in groups.items()})


_BLANK_LINE = re.compile(r"\n[ \t\u00a0\u3000]*\n")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def split_paragraphs(text: str) -> list[str]:
    """Split raw text into normalised, non-empty paragraphs.

    Paragraphs are separated by blank lines. Text without any blank line but with long
    lines (over 150 characters) is taken to have one paragraph per line; otherwise single
    line breaks are hard wraps inside a paragraph.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _BLANK_LINE.search(text):
        parts = _BLANK_LINE.split(text)
    elif "\n" in text and max(len(ln) for ln in text.split("\n")) > 150:
        parts = text.split("\n")
    else:
        parts = [text]
    return [q for q in (_SPACES.sub(" ", p).strip() for p in parts) if q]


# A sentence ends with . ! ? (and closing quotes/brackets) before white space and a capital,
# digit or opening quote.
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"“‘'(\[?]*[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Maj|Adm|Jr|Sr|"
    r"No|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|vs|etc|Inc|Corp|Ltd|Co))\.$"
)


def split_sentences(paragraph: str) -> list[str]:
    """Split a normalised paragraph into sentences (a cheap rule-based splitter)."""
    out: list[str] = []
    start = 0
    for m in _SENT_END.finditer(paragraph):
        head = paragraph[start:m.start() + 1]
        if m.group(0).startswith(".") and _ABBREV.search(head):
            continue
        out.append(paragraph[start:m.end()].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_cue(sentence: str, rules: Rules) -> bool:
    if len(sentence) > _MAX_CUE_SENTENCE_CHARS:
        return False  # long sentences are article prose (or boilerplate glued to it)
    return any(r.pattern.search(sentence) for r in rules.sentence) or any(
        r.pattern.search(sentence) for r in rules.paragraph
    )


def _mostly(flags: list[bool]) -> bool:
    return sum(flags) * 2 > len(flags)


def _clean_paragraph(par: str, rules: Rules, removed: list[str]) -> str:
    """Return what is left of one paragraph ('' when it is all boilerplate)."""
    for rule in rules.inline:
        for m in rule.pattern.finditer(par):
            removed.append(m.group(0))
        par = rule.pattern.sub(" ", par)
    par = _SPACES.sub(" ", par).strip()
    if not par:
        return ""
    sentences = split_sentences(par)
    if len(par) <= _SHORT_PARAGRAPH_CHARS and len(sentences) <= _SHORT_PARAGRAPH_SENTENCES:
        if any(r.pattern.search(par) for r in rules.paragraph):
            removed.append(par)
            return ""
    n = len(sentences)
    flags = [
        (i < _EDGE or i >= n - _EDGE) and _is_cue(s, rules) for i, s in enumerate(sentences)
    ]
    if not any(flags):
        return par
    if _mostly(flags):
        tail = _after_last_cue(sentences[-1], rules) if flags[-1] else ""
        removed.append(par[: len(par) - len(tail)].strip())
        return tail
    # A leading run that starts and ends with a cue and is mostly cues.
    lead = 0
    if flags[0]:
        lead = max(k + 1 for k in range(len(flags)) if flags[k] and _mostly(flags[: k + 1]))
    trail = len(flags)
    if flags[-1]:
        trail = min(k for k in range(lead, len(flags)) if flags[k] and _mostly(flags[k:]))
    if lead == 0 and trail == len(flags):
        return par
    kept = sentences[lead:trail]
    if lead:
        # Article text glued after the last cue ("Become a member On 1 April, ...") survives.
        tail = _after_last_cue(sentences[lead - 1], rules)
        cut = sentences[lead - 1][: len(sentences[lead - 1]) - len(tail)] if tail else sentences[lead - 1]
        removed.append(" ".join(sentences[: lead - 1] + [cut]).strip())
        if tail:
            kept.insert(0, tail)
    if trail < len(flags):
        # Article text glued before the first cue ("... next month.- Follow X on Twitter") survives.
        head = _before_first_cue(sentences[trail], rules)
        rest = sentences[trail][len(head):] if head else sentences[trail]
        removed.append(" ".join([rest.strip()] + sentences[trail + 1:]).strip())
        if head:
            kept.append(head)
    return " ".join(kept)


_GLUE_MIN = 40


def _after_last_cue(sentence: str, rules: Rules) -> str:
    """Text after the last cue match when it looks like a glued article sentence, else ''."""
    ends = [m.end() for r in rules.sentence for m in [r.pattern.search(sentence)] if m]
    if not ends:
        return ""
    tail = sentence[max(ends):].strip()
    return tail if len(tail) >= _GLUE_MIN and tail[0].isupper() else ""


def _before_first_cue(sentence: str, rules: Rules) -> str:
    """Text before the first cue match when it ends like a finished sentence, else ''."""
    starts = [m.start() for r in rules.sentence for m in [r.pattern.search(sentence)] if m]
    if not starts:
        return ""
    head = sentence[: min(starts)].rstrip(" -–—")
    return head if len(head) >= _GLUE_MIN and head[-1] in ".!?\"”’)" else ""


_GLUE_MAX_WORDS = 20
# a capitalised opener glued after a word or a closing quote, then a lower-case word
_GLUED_OPENER = re.compile(r"(?<=[A-Za-z0-9'\"’”)]) ([A-Z][a-z]*) (?=[a-z])")
# a short quoted title standing alone at a sentence's start, then a capitalised word
_GLUED_QUOTE = re.compile(r"(?:^|(?<=[.!?][\"'’”] )|(?<=[.!?] ))(['‘\"“][^'‘’\"“”.,;:!?]{2,60}['’\"”]) (?=[A-Z])")
_FRAGMENT_END = re.compile(r"[.!?:;,\-–—]['\"’”)\]]*$")


def unglue(par: str) -> list[str]:
    """Split a paragraph where a subheading or caption was glued to the next sentence without
    punctuation (the corpus often loses the line break): a short fragment with no punctuation
    at its end followed by a sentence opener (``sentence_openers.txt``) and a lower-case word
    ("Talks stall in Lima The minister said ..."), or a short quoted title alone at a
    sentence's start followed by a capitalised word ("'A bitter dispute' The council said").
    Each piece becomes a paragraph of its own, so the sentence keeps its subject."""
    cuts: list[int] = []
    for m in _GLUED_QUOTE.finditer(par):
        if len(m.group(1).split()) <= 8:
            cuts.append(m.end())
    openers = word_class("sentence_openers")
    for m in _GLUED_OPENER.finditer(par):
        if m.group(1) not in openers:
            continue
        before = par[: m.start()]
        frag_start = max(before.rfind(". "), before.rfind("? "), before.rfind("! "), before.rfind('." '),
                         before.rfind(".\u201d "))
        fragment = before[frag_start + 1:].strip() if frag_start >= 0 else before.strip()
        words = fragment.split()
        if not words or len(words) > _GLUE_MAX_WORDS or _FRAGMENT_END.search(fragment):
            continue
        cuts.append(m.start() + 1)
    if not cuts:
        return [par]
    out, start = [], 0
    for c in sorted(set(cuts)):
        piece = par[start:c].strip()
        if piece:
            out.append(piece)
        start = c
    tail = par[start:].strip()
    if tail:
        out.append(tail)
    return out


def _strip_lead(par: str, rules: Rules, removed: list[str]) -> str:
    for rule in rules.lead:
        m = rule.pattern.match(par)
        if m and m.end() > 0:
            removed.append(m.group(0).strip())
            par = par[m.end():].lstrip()
    return par


def clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove boilerplate from ``text``: return (cleaned text, removed pieces).

    Removed pieces are whole paragraphs, runs of appeal sentences at a paragraph's edge,
    inline credits and the dateline prefix, in the order they were found.
    """
    rules = load_rules()
    removed: list[str] = []
    kept: list[str] = []
    for par in split_paragraphs(text):
        rest = _clean_paragraph(par, rules, removed)
        if rest:
            kept.extend(unglue(rest))
    while kept:
        first = _strip_lead(kept[0], rules, removed)
        if first:
            kept[0] = first
            break
        kept.pop(0)
    return "\n\n".join(kept), tuple(removed)


def clean(raw: RawDocument) -> Document:
    """Clean a RawDocument into a Document: boilerplate out, content hash and language set.

    ``content_hash`` is the SHA-256 hex digest of the cleaned text (UTF-8).
    """
    text, removed = clean_text(raw.text)
    return Document(
        id=raw.id,
        text=text,
        origin=raw.origin,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        language=detect_language(text),
        date=raw.date,
        date_source=raw.date_source,
        title=raw.title,
        url=raw.url,
        source=raw.source,
        removed=removed,
    )


# ---------------------------------------------------------------- the parser's copy
# a quotation mark or dash the scraper turned into '"?', glued to the next word ('yield,"?he')
_QUOTE_MARK = re.compile(r"\"\?(?=[A-Za-z0-9\"])")


# a hyphen the scraper put for a space: between two words, one of them a word that never
# forms a one-hyphen compound ("blocked-the order", "said-he", "the-German"), or after an
# adverb in -ly ("repeatedly-criticised"), or a word before a weekday ("talks-Saturday");
# chains ("state-of-the-art") are compounds
_GLUE_WORDS = ("the|that|has|have|had|was|were|is|are|said|says|he|she|they|it|his|her|their|its|"
               "and|but|who|which|an|of|to|at|from|with")
_SCRAPED_HYPHEN = re.compile(
    rf"(?<![-\w])(?:(?:{_GLUE_WORDS})-(?=[A-Za-z]+(?![-\w]))|[A-Za-z]+-(?=(?:{_GLUE_WORDS})(?![-\w]))"
    rf"|[a-z]{{3,}}ly-(?=[a-z]+(?![-\w]))"
    rf"|(?-i:[a-z]+-(?=(?:{'|'.join(sorted(d.title() for d in WEEKDAY_NAMES))})(?![-\w]))))",
    re.IGNORECASE,
)


def parse_copy(text: str) -> str:
    """The copy of a cleaned text that the parser reads: the same length, so that every
    character offset of the parse is an offset of ``text`` (the events' evidence is cut from
    ``text`` itself), with a scraping artifact of the corpus undone: a quotation mark,
    apostrophe or dash that the scraper turned into '"?' glued to the next word ('"We will
    stay,"?she said', 'the ministers"?talks', 'a deal "?at least') becomes the mark and a
    space: '" ' after punctuation, "' " after a word, '- ' after a space. A real question
    mark is never glued to the next word. A hyphen the scraper put for a space
    (`_SCRAPED_HYPHEN`: "said-the", "repeatedly-criticised", "talks-Saturday") becomes a space.
    """
    out = None
    for m in _SCRAPED_HYPHEN.finditer(text):
        if out is None:
            out = list(text)
        out[m.end() - 1] = " "
    if '"?' not in text:
        return text if out is None else "".join(out)
    for m in _QUOTE_MARK.finditer(text):
        i = m.start()
        before = text[i - 1] if i else " "
        if out is None:
            out = list(text)
        if before.isspace():
            out[i], out[i + 1] = "-", " "
        elif before.isalnum():
            out[i], out[i + 1] = "'", " "
        else:
            out[i], out[i + 1] = '"', " "
    return text if out is None else "".join(out)
