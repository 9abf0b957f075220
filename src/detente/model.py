"""The typed records that flow between detente's stages.

Every stage takes one of these and returns another; all are frozen dataclasses so that a
stage cannot change what an earlier stage produced.

    ingest  -> RawDocument | Rejected
    clean   -> Document
    parse   -> spaCy Doc (nlp.py)
    actors  -> Mention (each with an Actor)
    when    -> When
    places  -> Place
    coding  -> Event
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DatePrecision = Literal["day", "month", "year", "unknown"]
DateBasis = Literal["text", "document"]
Modality = Literal["asserted", "planned", "hypothetical", "negated"]

__all__ = [
    "RawDocument",
    "Rejected",
    "Document",
    "Actor",
    "Mention",
    "Place",
    "When",
    "Evidence",
    "Event",
]


@dataclass(frozen=True)
class RawDocument:
    """A document as read from its input, before cleaning.

    ``date`` is ``YYYY-MM-DD`` or None; ``date_source`` says where it came from:
    ``header`` (a ``date YYYY-MM-DD`` first line), ``field`` (a JSONL ``date``),
    ``html`` (page metadata), ``option`` (``--date``) or ``none``.
    ``origin`` names the input: a path, ``path:line`` for JSONL, or ``<stdin>:line``.
    ``is_html`` is true when ``text`` was extracted from HTML.
    """

    id: str
    text: str
    origin: str
    date: str | None = None
    date_source: str = "none"
    title: str | None = None
    url: str | None = None
    source: str | None = None
    is_html: bool = False


@dataclass(frozen=True)
class Rejected:
    """An input that could not be read, with a one-line reason for the user."""

    origin: str
    reason: str
    doc_id: str | None = None

    def message(self) -> str:
        """The one-line message printed on stderr."""
        return f"rejected {self.origin}: {self.reason}"


@dataclass(frozen=True)
class Document:
    """A cleaned document: boilerplate removed, ready to parse.

    ``text`` is the cleaned text; every offset in an event refers to it.
    ``content_hash`` is the SHA-256 of ``text``. ``language`` is ``en`` for English,
    another code or ``unknown`` otherwise; only English documents are coded.
    ``removed`` holds the boilerplate paragraphs that cleaning took out.
    """

    id: str
    text: str
    origin: str
    content_hash: str
    language: str
    date: str | None = None
    date_source: str = "none"
    title: str | None = None
    url: str | None = None
    source: str | None = None
    removed: tuple[str, ...] = ()

    @property
    def is_english(self) -> bool:
        """True when the document is English (only English documents are coded)."""
        return self.language == "en"


@dataclass(frozen=True)
class Actor:
    """An event participant: the mention as written and what it resolves to.

    ``country`` is ISO 3166-1 alpha-3 (or None), ``sector`` a CAMEO role code such as GOV,
    MIL, IGO (or None), ``code`` the CAMEO actor code, e.g. ``IRNGOV``.
    """

    text: str
    name: str | None
    country: str | None
    sector: str | None
    code: str | None

    def to_dict(self) -> dict[str, Any]:
        """The actor as the event schema's JSON object."""
        return asdict(self)


@dataclass(frozen=True)
class Mention:
    """An actor mention in a parsed document: token span [start, end) and its head token.

    ``kind`` is one of ``country``, ``person``, ``org``, ``group``, ``place``, ``pronoun``.
    Token indices are document-level indices of the spaCy Doc.
    """

    start: int
    end: int
    head: int
    actor: Actor
    kind: str


@dataclass(frozen=True)
class Place:
    """Where an event happened."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The place as the event schema's ``location`` object."""
        return asdict(self)


@dataclass(frozen=True)
class When:
    """When an event happened: ``date`` as YYYY-MM-DD, YYYY-MM or YYYY, or None."""

    date: str | None
    precision: DatePrecision
    basis: DateBasis

    @staticmethod
    def unknown() -> "When":
        """No date: the text says nothing usable, or only that the event is in the past."""
        return When(None, "unknown", "text")


@dataclass(frozen=True)
class Evidence:
    """The sentence an event was coded from, with its offsets in the cleaned text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    """One coded event, a record of ``shared/spec/event.schema.json``."""

    event_id: str
    doc_id: str
    source: Actor | None
    target: Actor | None
    cameo: str
    plover: str | None
    quad_class: int
    goldstein: float
    date: str | None
    date_precision: DatePrecision
    date_basis: DateBasis
    modality: Modality
    location: Place | None
    evidence: Evidence
    confidence: float
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record, keys in schema order (plus any extra fields)."""
        d: dict[str, Any] = {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "plover": self.plover,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "modality": self.modality,
            "location": self.location.to_dict() if self.location else None,
            "evidence": asdict(self.evidence),
            "confidence": round(self.confidence, 4),
        }
        d.update(self.extra)
        return d
