"""The stages of extraction, declared: what each needs and what it provides, in their order.

Like a spaCy component's ``requires`` and ``assigns``, each stage of :mod:`detente.pipeline`
is declared once here, as a :class:`StageInfo`: its name, the things it ``needs`` (which an
earlier stage must provide), the things it ``provides``, the record types it takes and gives,
the function that runs it, and the test the selective parser (:mod:`detente.parse`) asks it
before parsing (whether the stage needs a sentence parsed). :data:`STAGES` lists them in the
order they run; :func:`describe` checks an order (``nlp.analyze_pipes`` is the model) and
``detente stages`` prints it::

    >>> from detente.stages import STAGES, describe
    >>> [s.name for s in describe()]
    ['ingest', 'clean', 'parse', 'actors', 'dates', 'places', 'coding', 'resolution', 'events']
    >>> describe([STAGES[0], STAGES[3]])  # ingest, then actors: no parse in between
    Traceback (most recent call last):
    ...
    detente.errors.UsageError: stage actors needs doc.date, doc.sents, token.tag, token.pos, token.lemma, token.dep, doc.ents, which no stage before it provides (before it: ingest)

The things a stage needs and provides are named like spaCy's attributes: ``raw.*`` the
record read from an input, ``doc.*`` the cleaned document and its Doc, ``token.*`` the
annotations of the parse, then the stages' own products (``mentions``, ``times``,
``places``, ``frames``, ``sides``, ``events``).

Each stage takes and gives frozen records (:mod:`detente.model` and the boundary records
below: :class:`Parsed`, :class:`Actors`, :class:`Dates`, :class:`Places`); the run functions
here (:func:`run_actors`, :func:`run_dates`, :func:`run_places`, :func:`run_coding`) are the
boundaries :class:`detente.pipeline.Extractor` calls. The last three stages run inside
:meth:`detente.coding.coder.Coder.code`, sentence by sentence: the coder reads an event's
frame (``coding``), :func:`detente.actors.resolution.resolve` decides its sides
(``resolution``), and the coder dates, places and records it (``events``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from detente.errors import UsageError
from detente.model import Document, Event, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from detente.actors.recognize import ActorRecognizer, DocumentActors
    from detente.coding.coder import Coder
    from detente.places.resolve import DocumentPlaces, PlaceResolver
    from detente.when import Timeline

__all__ = [
    "Actors",
    "Dates",
    "Parsed",
    "Places",
    "STAGES",
    "StageInfo",
    "describe",
    "run_actors",
    "run_coding",
    "run_dates",
    "run_places",
    "table",
]


@dataclass(frozen=True)
class StageInfo:
    """One stage, declared: ``name``; ``needs``, the things an earlier stage must provide;
    ``provides``, the things it adds; ``takes`` and ``gives``, the record types at its
    boundary; ``run``, the function (or method) that runs it; ``parse_test``, the test the
    selective parser asks it (whether it needs a sentence parsed), "" when it asks for none;
    ``summary``, one line on what it does."""

    name: str
    needs: tuple[str, ...]
    provides: tuple[str, ...]
    takes: str
    gives: str
    run: str
    parse_test: str
    summary: str


# what the parse gives every later stage
_PARSE = ("doc.sents", "token.tag", "token.pos", "token.lemma", "token.dep", "doc.ents")

#: The stages of extraction, in the order they run.
STAGES: tuple[StageInfo, ...] = (
    StageInfo("ingest", (), ("raw.text", "raw.meta"), "path", "RawDocument | Rejected",
              "detente.ingest.iter_raw", "",
              "read an input (txt, jsonl, html, stdin): its text, date, title, url, source"),
    StageInfo("clean", ("raw.text", "raw.meta"), ("doc.text", "doc.date", "doc.language"),
              "RawDocument", "Document", "detente.clean.clean", "",
              "remove boilerplate, normalise the text, detect the language"),
    StageInfo("parse", ("doc.text", "doc.language"), ("doc.tokens",) + _PARSE, "Document", "Parsed",
              "detente.pipeline.Extractor.parse", "",
              "spaCy: tokens, sentences, tags, lemmas, dependencies, entities (selectively)"),
    StageInfo("actors", ("doc.date",) + _PARSE, ("mentions",), "Parsed", "Actors",
              "detente.stages.run_actors", "detente.parse.ActorNeeds",
              "actor mentions: countries, officials, organisations, groups, pronouns"),
    StageInfo("dates", ("doc.date",) + _PARSE, ("times",), "Parsed", "Dates",
              "detente.stages.run_dates", "detente.parse.DateNeeds",
              "when each event happened, from the sentence and the narrative before it"),
    StageInfo("places", _PARSE, ("places",), "Parsed", "Places",
              "detente.stages.run_places", "",
              "place mentions and where each event happened (gazetteer)"),
    StageInfo("coding", ("doc.text",) + _PARSE + ("mentions",), ("frames",), "Parsed, Actors", "Frame",
              "detente.stages.run_coding", "detente.parse.EventNeeds",
              "predicates to CAMEO codes with the mentions the text names as source and target"),
    StageInfo("resolution", ("frames", "mentions", "times", "places"), ("sides",), "Sides, Context", "Resolution",
              "detente.actors.resolution.resolve", "",
              "the one place an event's source and target are decided (named rules, declared order)"),
    StageInfo("events", ("frames", "sides", "times", "places"), ("events",), "Frame, Resolution", "Event",
              "detente.coding.coder.Coder.code", "",
              "dated, placed events with modality, confidence and evidence"),
)


def describe(stages: Iterable[StageInfo] | None = None) -> tuple[StageInfo, ...]:
    """The stages ``stages`` (default :data:`STAGES`), checked: every stage's needs are
    provided by a stage before it, and no name is used twice. Raises
    :class:`~detente.errors.UsageError` (code ``DTE430``) naming the first stage that breaks
    the order, what it lacks and the stages before it."""
    order = tuple(STAGES if stages is None else stages)
    provided: set[str] = set()
    seen: list[str] = []
    for s in order:
        if s.name in seen:
            raise UsageError(f"stage {s.name} appears twice in the order ({', '.join(seen)}, {s.name})",
                             code="DTE430")
        missing = [n for n in s.needs if n not in provided]
        if missing:
            before = ", ".join(seen) or "none"
            raise UsageError(f"stage {s.name} needs {', '.join(missing)}, which no stage before it provides "
                             f"(before it: {before})", code="DTE430")
        provided.update(s.provides)
        seen.append(s.name)
    return order


def table(stages: Iterable[StageInfo] | None = None) -> str:
    """The checked stages (:func:`describe`) as a text table: stage, needs, provides, takes
    -> gives, the selective parser's test. What ``detente stages`` prints."""
    order = describe(stages)
    rows = [("stage", "needs", "provides", "takes -> gives", "parse test")]
    for s in order:
        rows.append((s.name, ", ".join(_short(s.needs)) or "-", ", ".join(_short(s.provides)) or "-",
                     f"{s.takes} -> {s.gives}", s.parse_test.rsplit(".", 1)[-1] or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _short(names: Sequence[str]) -> list[str]:
    """``names`` with the parse's annotations (``doc.sents``, ``token.tag``, ... ``doc.ents``)
    shown as one entry, ``doc.parse``, where all of them are there."""
    if not all(n in names for n in _PARSE):
        return list(names)
    out: list[str] = []
    for n in names:
        n = "doc.parse" if n in _PARSE else n
        if n not in out:
            out.append(n)
    return out


# ------------------------------------------------------------------ boundary records
@dataclass(frozen=True)
class Parsed:
    """The parse stage's output: the cleaned ``document``, its spaCy ``doc`` (offsets are the
    document text's) and the parsed ``title`` (None without one)."""

    document: Document
    doc: "Doc"
    title: "Doc | None" = None


@dataclass(frozen=True)
class Actors:
    """The actor stage's output: the ``mentions`` of the document in text order, the
    ``lookup`` the coder reads them by (:class:`detente.actors.recognize.DocumentActors`:
    ``at``, ``resolve``) and the title's (``headline``, None without a title)."""

    mentions: tuple[Mention, ...]
    lookup: "DocumentActors"
    headline: "DocumentActors | None" = None


@dataclass(frozen=True)
class Dates:
    """The date stage's output: the document's :class:`detente.when.Timeline`, which the
    coder asks sentence by sentence, in order (it carries the narrative date along)."""

    timeline: "Timeline"


@dataclass(frozen=True)
class Places:
    """The place stage's output: the document's places
    (:class:`detente.places.resolve.DocumentPlaces`), or None without a gazetteer."""

    places: "DocumentPlaces | None"


def run_actors(recognizer: "ActorRecognizer", parsed: Parsed) -> Actors:
    """The actor stage: the mentions of the document (and of its title) at its date."""
    date = parsed.document.date
    found = recognizer.find(parsed.doc, date)
    headline = recognizer.find(parsed.title, date) if parsed.title is not None else None
    return Actors(tuple(found.mentions), found, headline)


def run_dates(parsed: Parsed) -> Dates:
    """The date stage: a Timeline from the document's date."""
    from detente.when import Timeline

    return Dates(Timeline(parsed.document.date))


def run_places(resolver: "PlaceResolver | None", parsed: Parsed) -> Places:
    """The place stage: the document's places (None without a resolver)."""
    return Places(resolver.document(parsed.doc) if resolver is not None else None)


def run_coding(coder: "Coder", parsed: Parsed, actors: Actors, dates: Dates, places: Places) -> tuple[Event, ...]:
    """The coding, resolution and event stages: the events of the document, in text order."""
    doc = parsed.document
    headline: Any = (parsed.title, actors.headline) if parsed.title is not None else None
    return tuple(coder.code(doc.id, doc.text, parsed.doc, actors.lookup, dates.timeline, places.places, headline))
