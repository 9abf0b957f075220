"""Evaluation: score extracted events against gold files and PLOVER gold-standard records.

Two kinds of gold:

* **Gold files** (``*.gold.json``): one document, a list of expected events written as
  constraints. :func:`score_gold` applies the same matching and PASS rule as
  ``shared/tools/score_events.py``: each gold event is matched to at most one distinct
  extracted event (maximum bipartite matching, required gold events first), recall is over
  the required gold events, precision over all extracted events, and an event coded from
  the boilerplate sentence fails the document.
* **PLOVER gold-standard records** (``PLOVER_GSR_CAMEO.txt``): one sentence each with an
  annotated PLOVER event type, source, target and sometimes a location.
  :func:`score_plover` runs an extractor on each sentence and scores its main event.

Events are the JSON records of ``Event.to_dict()``. Nothing is read at import time.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable, Mapping, Sequence

from detente.errors import InputError

__all__ = [
    "GoldReport",
    "PloverRecord",
    "PloverReport",
    "PLOVER_TYPES",
    "OLD_PLOVER_TYPES",
    "load_gold",
    "score_gold",
    "find_gold_text",
    "format_gold_report",
    "load_plover_records",
    "plover_quad_class",
    "score_plover",
    "format_plover_report",
]

# ---------------------------------------------------------------------------------------
# Gold files
# ---------------------------------------------------------------------------------------

_EVENT_KEYS = ("event_id", "doc_id", "source", "target", "cameo", "plover", "quad_class", "goldstein",
               "date", "date_precision", "date_basis", "modality", "location", "evidence", "confidence")
_CAMEO_RE = re.compile(r"(0[1-9]|1[0-9]|20)[0-9]{0,2}")
_DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class GoldReport:
    """The score of one document's extracted events against its gold file.

    ``events`` is the number of well-formed extracted events (precision is over them),
    ``recall`` is over the required gold events. ``lines`` holds one line per malformed
    event, one per gold event (``ok``, ``MISS`` for a missed required event, ``--`` for an
    unmatched optional one) and one per extracted event that matched no gold event.
    ``passed`` applies the gold file's ``min_recall`` (default 1.0) and ``min_precision``
    (default 0.0), and fails on any boilerplate event (``leaks``) or malformed event.
    """

    doc: str
    events: int
    recall: float
    precision: float
    passed: bool
    lines: tuple[str, ...]
    leaks: int = 0
    malformed: int = 0
    min_recall: float = 1.0
    min_precision: float = 0.0


def _norm(s: str | None) -> str:
    s = (s or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def _country(actor: Any) -> str | None:
    return actor.get("country") if isinstance(actor, dict) else None


def _schema_problems(e: Any) -> list[str]:
    if not isinstance(e, dict):
        return ["not a JSON object"]
    problems = [f"missing {k}" for k in _EVENT_KEYS if k not in e]
    ev = e.get("evidence")
    if not isinstance(ev, dict) or not isinstance(ev.get("sentence"), str):
        problems.append("evidence.sentence missing")
    cameo = e.get("cameo")
    if not (isinstance(cameo, str) and _CAMEO_RE.fullmatch(cameo)):
        problems.append(f"bad cameo {cameo!r}")
    date = e.get("date")
    if date is not None and not (isinstance(date, str) and _DATE_RE.fullmatch(date)):
        problems.append(f"bad date {date!r}")
    return problems


def _fits(g: Mapping[str, Any], e: Mapping[str, Any]) -> bool:
    """Whether extracted event ``e`` meets every constraint of gold event ``g``."""
    if _norm(g["sentence"]) not in _norm(e["evidence"]["sentence"]):
        return False
    s, t = _country(e.get("source")), _country(e.get("target"))
    gs, gt = g.get("source_country"), g.get("target_country")
    ok_dir = (gs is None or s == gs) and (gt is None or t == gt)
    if g.get("either_direction"):
        ok_dir = ok_dir or ((gs is None or t == gs) and (gt is None or s == gt))
    if not ok_dir:
        return False
    if "cameo_root" in g and str(e.get("cameo", ""))[:2] not in g["cameo_root"]:
        return False
    if "quad_class" in g and e.get("quad_class") != g["quad_class"]:
        return False
    if "quad_class_in" in g and e.get("quad_class") not in g["quad_class_in"]:
        return False
    if "date" in g and e.get("date") != g["date"]:
        return False
    if "date_prefix" in g and not str(e.get("date") or "").startswith(g["date_prefix"]):
        return False
    if "date_not" in g and any(str(e.get("date") or "").startswith(d) for d in g["date_not"]):
        return False
    if "modality" in g and e.get("modality") != g["modality"]:
        return False
    loc = e.get("location") or {}
    if "location_country" in g and loc.get("country") != g["location_country"]:
        return False
    if "location_name" in g and _norm(g["location_name"]) not in _norm(loc.get("name")):
        return False
    return True


def _match(gold: Sequence[Mapping[str, Any]], events: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Maximum bipartite matching gold index -> event index (Kuhn's augmenting paths).

    Required gold events are tried first, each in file order, so an earlier gold event
    keeps a match once it has one (an augmenting path only moves it to another event).
    """
    fit = [[_fits(g, e) for e in events] for g in gold]
    owner: dict[int, int] = {}  # event index -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for ei in range(len(events)):
            if ei in seen or not fit[gi][ei]:
                continue
            seen.add(ei)
            if ei not in owner or augment(owner[ei], seen):
                owner[ei] = gi
                return True
        return False

    for gi in sorted(range(len(gold)), key=lambda i: not gold[i].get("required")):
        augment(gi, set())
    return {gi: ei for ei, gi in owner.items()}


def _check_gold(gold: Any, where: str = "gold") -> list[dict[str, Any]]:
    if not isinstance(gold, dict) or not isinstance(gold.get("events"), list):
        raise InputError(f"{where}: not a gold file (needs an \"events\" list)")
    for n, g in enumerate(gold["events"], 1):
        if not isinstance(g, dict) or not isinstance(g.get("sentence"), str):
            raise InputError(f"{where}: gold event {n} has no \"sentence\"")
    return gold["events"]


def _read_json(path: str, what: str) -> Any:
    """The JSON content of ``path``; InputError naming ``what`` ("gold file X", "X")."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as err:
        raise InputError(f"cannot read {what}: {err.strerror or err}") from err
    except json.JSONDecodeError as err:
        raise InputError(f"{what} is not JSON: {err}") from err


def load_gold(gold_path: str) -> dict[str, Any]:
    """Read a gold file; raise :class:`InputError` if it cannot be read or is not a gold file."""
    gold = _read_json(gold_path, f"gold file {gold_path}")
    _check_gold(gold, gold_path)
    return gold


def find_gold_text(gold_path: str) -> str:
    """The path of the document a gold file scores: its ``doc`` key, next to the gold file.

    Raises :class:`InputError` when the gold file cannot be read, has no ``doc`` key, or
    the document does not exist.
    """
    gold = load_gold(gold_path)
    doc = gold.get("doc")
    if not isinstance(doc, str) or not doc:
        raise InputError(f"gold file {gold_path} has no \"doc\" key")
    path = os.path.join(os.path.dirname(os.path.abspath(gold_path)), doc)
    if not os.path.isfile(path):
        raise InputError(f"gold file {gold_path} names {doc}, which is not next to it")
    return path


def score_gold(gold: dict, events: Sequence[dict]) -> GoldReport:
    """Score extracted events (``Event.to_dict()`` records) against a gold file's dict.

    Same rule as ``shared/tools/score_events.py``: malformed events are reported and left
    out; each gold event is matched to a distinct well-formed event meeting all its
    constraints (``sentence`` contained in the evidence sentence, ``source_country``,
    ``target_country`` - swappable with ``either_direction`` -, ``cameo_root``,
    ``quad_class``, ``quad_class_in``, ``date``, ``date_prefix``, ``date_not``,
    ``modality``, ``location_country``, ``location_name``); the matching is maximum,
    required gold events first. Raises :class:`InputError` on a malformed gold dict.
    """
    gold_events = _check_gold(gold)
    lines: list[str] = []
    valid: list[dict] = []
    malformed = 0
    for n, e in enumerate(events, 1):
        problems = _schema_problems(e)
        if problems:
            lines.append(f"event {n}: {'; '.join(problems)}")
            malformed += 1
        else:
            valid.append(e)
    matched = _match(gold_events, valid)
    for gi, g in enumerate(gold_events):
        mark = "ok  " if gi in matched else ("MISS" if g.get("required") else "--  ")
        lines.append(f"{mark} {'required' if g.get('required') else 'optional'} {g.get('id', gi + 1)}")
    boiler = _norm(gold.get("boilerplate"))
    leaks = sum(1 for e in valid if boiler and boiler in _norm(e["evidence"]["sentence"]))
    used = set(matched.values())
    for ei, e in enumerate(valid):
        if ei not in used:
            src, tgt = _country(e.get("source")), _country(e.get("target"))
            lines.append(f"unmatched: {src}->{tgt} cameo={e.get('cameo')} date={e.get('date')} "
                         f"modality={e.get('modality')} | {e['evidence']['sentence'][:90]}")
    required = [gi for gi, g in enumerate(gold_events) if g.get("required")]
    recall = sum(gi in matched for gi in required) / len(required) if required else 1.0
    precision = len(used) / len(valid) if valid else 0.0
    min_recall = float(gold.get("min_recall", 1.0))
    min_precision = float(gold.get("min_precision", 0.0))
    passed = recall >= min_recall and precision >= min_precision and not leaks and not malformed
    return GoldReport(doc=str(gold.get("doc", "")), events=len(valid), recall=recall, precision=precision,
                      passed=passed, lines=tuple(lines), leaks=leaks, malformed=malformed,
                      min_recall=min_recall, min_precision=min_precision)


def format_gold_report(r: GoldReport) -> str:
    """The report for the terminal: its lines, then one summary line ending PASS or FAIL."""
    summary = (f"{r.doc or 'document'}: {r.events} events, recall {r.recall:.2f} (min {r.min_recall}), "
               f"precision {r.precision:.2f} (min {r.min_precision}), boilerplate events {r.leaks}, "
               f"malformed events {r.malformed}: {'PASS' if r.passed else 'FAIL'}")
    return "\n".join([*r.lines, summary])


# ---------------------------------------------------------------------------------------
# PLOVER gold-standard records
# ---------------------------------------------------------------------------------------

PLOVER_TYPES: frozenset[str] = frozenset({
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
})
"""The 16 PLOVER event types of the event schema."""

OLD_PLOVER_TYPES: dict[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
"""PLOVER 0.5 type names and the type that replaced each (as the PLOVER manual maps them)."""

# The CAMEO root each old type was made from: its quad class is the record's quad class
# (REQUEST covers both 02 Appeal, quad 1, and 10 Demand, quad 3; a DEMAND is quad 3).
_OLD_TYPE_ROOT = {"DEMAND": "10", "DISAPPROVE": "11", "INVESTIGATE": "09", "FIGHT": "19"}

# Actor codes in the GSR file whose first three letters are old CAMEO codes, not ISO 3166.
_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}

NO_EVENT = "(none)"
UNTYPED = "(untyped)"


@dataclass(frozen=True)
class PloverRecord:
    """One PLOVER gold-standard sentence.

    ``plover`` is the annotated type mapped to the 16 current types (None for a record
    without one), ``quad_class`` its quad class. ``source_countries``/``target_countries``
    are the ISO alpha-3 countries of the annotated actors (empty when no actor carries a
    country: IGO, NGO, ... codes, a string or null actor). ``location_country`` is alpha-3.
    """

    id: str
    text: str
    date: str | None
    plover: str | None
    quad_class: int | None
    source_countries: frozenset[str]
    target_countries: frozenset[str]
    location_name: str | None
    location_country: str | None


@functools.lru_cache(maxsize=1)
def _cameo_rows() -> tuple[tuple[str, int, str], ...]:
    """(cameo, quad_class, plover) for each row of the package's cameo_codes.tsv."""
    text = resources.files("detente").joinpath("data", "cameo_codes.tsv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        try:
            rows.append((row["cameo"].strip(), int(row["quad_class"]), (row.get("plover") or "").strip().upper()))
        except (KeyError, ValueError, AttributeError):
            continue
    return tuple(rows)


@functools.lru_cache(maxsize=64)
def plover_quad_class(plover_type: str) -> int | None:
    """The quad class (1-4) of a PLOVER type: the one most of its CAMEO codes have.

    Read from the package's ``cameo_codes.tsv``. A tie goes to the quad class of the
    type's first CAMEO code (REQUEST: 28 codes in quad 1, 28 in quad 3, gives 1). An old
    type name (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT) gets the quad class of the CAMEO
    root it stood for (DEMAND: 10, quad 3). None for an unknown type.
    """
    name = (plover_type or "").strip().upper()
    rows = _cameo_rows()
    if name in _OLD_TYPE_ROOT:
        root = _OLD_TYPE_ROOT[name]
        return next((q for c, q, _ in rows if c == root), None)
    quads = [q for _, q, p in rows if p == name] if name else []
    if not quads:
        return None
    counts = Counter(quads)
    best = max(counts.values())
    return next(q for q in quads if counts[q] == best)


def _alpha3(code: Any) -> str | None:
    """The ISO alpha-3 country a CAMEO actor code starts with, or None (IGO, NGO, ...)."""
    import pycountry

    if not isinstance(code, str) or len(code.strip()) < 3:
        return None
    head = code.strip()[:3].upper()
    head = _CODE_FIXES.get(head, head)
    return head if pycountry.countries.get(alpha_3=head) is not None else None


def _countries(actors: Any) -> frozenset[str]:
    if not isinstance(actors, list):
        return frozenset()
    found = (_alpha3(a.get("code")) for a in actors if isinstance(a, dict))
    return frozenset(c for c in found if c)


def _location(loc: Any) -> tuple[str | None, str | None]:
    """(name, alpha-3 country) of an ``eventLoc``.

    The country comes from its alpha-2 ``country code``; without one, from the name when
    the name is itself a country pycountry knows (``Iran``, ``Serbia``), else None.
    """
    import pycountry

    if not isinstance(loc, dict):
        return None, None
    name = loc.get("name") if isinstance(loc.get("name"), str) and loc.get("name").strip() else None
    code = loc.get("country code")
    country = None
    if isinstance(code, str) and code.strip():
        found = pycountry.countries.get(alpha_2=code.strip().upper())
        country = found.alpha_3 if found is not None else None
    elif name and len(name.strip()) > 3:
        try:
            country = pycountry.countries.lookup(name.strip()).alpha_3
        except LookupError:
            country = None
    return (name.strip() if name else None), country


def load_plover_records(path: str) -> list[PloverRecord]:
    """Read the PLOVER gold-standard file (a JSON array), skipping the DOCUMENT record.

    Old type names are mapped (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE ->
    ACCUSE, FIGHT -> ASSAULT); a type outside the 16 gives ``plover=None``. Records
    without a text are skipped. Raises :class:`InputError` if the file cannot be read or
    is not a JSON array.
    """
    data = _read_json(path, path)
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of records")
    records = []
    for n, r in enumerate(data, 1):
        if not isinstance(r, dict):
            continue
        old = str(r.get("event") or "").strip().upper()
        if old == "DOCUMENT":
            continue
        text = r.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        plover = OLD_PLOVER_TYPES.get(old, old)
        if plover not in PLOVER_TYPES:
            plover = None
        quad = (plover_quad_class(old) if old in OLD_PLOVER_TYPES else plover_quad_class(plover)) if plover else None
        loc_name, loc_country = _location(r.get("eventLoc"))
        date = r.get("date") if isinstance(r.get("date"), str) and r.get("date") else None
        records.append(PloverRecord(
            id=str(r.get("id") or f"record-{n}"), text=text, date=date, plover=plover, quad_class=quad,
            source_countries=_countries(r.get("source")), target_countries=_countries(r.get("target")),
            location_name=loc_name, location_country=loc_country,
        ))
    return records


@dataclass(frozen=True)
class PloverReport:
    """Accuracy of the main extracted event over PLOVER gold-standard records.

    ``records``: records scored; ``with_event``: those with an annotated (gold) type, the
    denominator of ``type_accuracy`` and ``quad_accuracy``; ``no_event``: of those, how
    many got no extracted event at all (each counted wrong everywhere).
    ``source_accuracy`` is over the typed records whose gold source has at least one
    country (``source_scored`` of them); records whose gold source carries no country code
    (IGO, NGO, a string or null source) are left out; same for ``target_accuracy``.
    Location accuracies are over the typed records whose gold location has a country /
    a name (None when there are none). ``confusion`` maps (gold type, predicted type) to a
    count, the prediction being ``(none)`` without an event and ``(untyped)`` for an
    event without a PLOVER type.
    """

    records: int
    with_event: int
    no_event: int
    type_accuracy: float
    quad_accuracy: float
    source_accuracy: float
    target_accuracy: float
    location_country_accuracy: float | None
    location_name_accuracy: float | None
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    source_scored: int = 0
    target_scored: int = 0
    location_country_scored: int = 0
    location_name_scored: int = 0


def _main_event(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The event with the highest confidence, the first one on a tie; None if no events."""
    best = None
    best_conf = float("-inf")
    for e in events:
        if not isinstance(e, Mapping):
            continue
        conf = e.get("confidence")
        conf = float(conf) if isinstance(conf, (int, float)) else 0.0
        if best is None or conf > best_conf:
            best, best_conf = e, conf
    return best


def _names_agree(gold: str, predicted: Any) -> bool:
    g, p = _norm(gold), _norm(predicted if isinstance(predicted, str) else None)
    return bool(g and p) and (g in p or p in g)


def score_plover(records: Sequence[PloverRecord], extract: Callable[[PloverRecord], Sequence[dict]],
                 progress: bool = False) -> PloverReport:
    """Run ``extract`` on each record with a gold type and score its main event.

    The main event is the extracted event with the highest ``confidence`` (first on a
    tie). Type: its ``plover`` equals the gold type; quad: its ``quad_class`` equals the
    gold one; source: its source country is one of the gold source countries (records
    whose gold source has no country code are left out of that denominator); target
    likewise; location country: equal alpha-3; location name: one name contains the
    other, ignoring case. A record with no extracted event counts as wrong in every
    figure it enters. Records without a gold type are not run. ``progress`` shows a tqdm
    bar on stderr.
    """
    typed = [r for r in records if r.plover]
    iterable: Any = typed
    if progress:
        from tqdm import tqdm

        iterable = tqdm(typed, desc="PLOVER", unit="sentence")
    confusion: Counter[tuple[str, str]] = Counter()
    no_event = type_ok = quad_ok = 0
    src_n = src_ok = tgt_n = tgt_ok = lc_n = lc_ok = ln_n = ln_ok = 0
    for r in iterable:
        main = _main_event(list(extract(r) or ()))
        if main is None:
            no_event += 1
            main = {}
            predicted = NO_EVENT
        else:
            predicted = main.get("plover") or UNTYPED
        confusion[(r.plover, predicted)] += 1
        type_ok += predicted == r.plover
        quad_ok += main.get("quad_class") is not None and main.get("quad_class") == r.quad_class
        if r.source_countries:
            src_n += 1
            src_ok += _country(main.get("source")) in r.source_countries
        if r.target_countries:
            tgt_n += 1
            tgt_ok += _country(main.get("target")) in r.target_countries
        loc = main.get("location") if isinstance(main.get("location"), dict) else {}
        if r.location_country:
            lc_n += 1
            lc_ok += loc.get("country") == r.location_country
        if r.location_name:
            ln_n += 1
            ln_ok += _names_agree(r.location_name, loc.get("name"))

    def ratio(ok: int, n: int) -> float:
        return ok / n if n else 0.0

    return PloverReport(
        records=len(records), with_event=len(typed), no_event=no_event,
        type_accuracy=ratio(type_ok, len(typed)), quad_accuracy=ratio(quad_ok, len(typed)),
        source_accuracy=ratio(src_ok, src_n), target_accuracy=ratio(tgt_ok, tgt_n),
        location_country_accuracy=ratio(lc_ok, lc_n) if lc_n else None,
        location_name_accuracy=ratio(ln_ok, ln_n) if ln_n else None,
        confusion=dict(confusion), source_scored=src_n, target_scored=tgt_n,
        location_country_scored=lc_n, location_name_scored=ln_n,
    )


def format_plover_report(r: PloverReport) -> str:
    """The report for the terminal: counts, accuracies, and the 10 most frequent mistakes."""
    def pct(x: float | None, n: int) -> str:
        return "n/a" if x is None else f"{100 * x:5.1f}%  (of {n})"

    lines = [
        f"PLOVER records: {r.records}, with an annotated event: {r.with_event}, "
        f"no event extracted: {r.no_event}",
        f"  type accuracy            {pct(r.type_accuracy, r.with_event)}",
        f"  quad class accuracy      {pct(r.quad_accuracy, r.with_event)}",
        f"  source country accuracy  {pct(r.source_accuracy, r.source_scored)}",
        f"  target country accuracy  {pct(r.target_accuracy, r.target_scored)}",
        f"  location country         {pct(r.location_country_accuracy, r.location_country_scored)}",
        f"  location name            {pct(r.location_name_accuracy, r.location_name_scored)}",
    ]
    mistakes = sorted(((n, g, p) for (g, p), n in r.confusion.items() if g != p), key=lambda t: (-t[0], t[1], t[2]))
    if mistakes:
        lines.append("  most frequent mistakes (gold -> predicted):")
        lines.extend(f"    {n:4d}  {g} -> {p}" for n, g, p in mistakes[:10])
    return "\n".join(lines)
