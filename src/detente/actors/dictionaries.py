"""Actor dictionary files: our CSV and YAML formats and PETRARCH/TABARI actor and agent files.

Every reader returns a list of :class:`DictEntry` (phrases still as written; the lexicon
tokenizes them). The format of a file is detected from its content (:func:`detect_format`).
A malformed file raises :class:`detente.errors.DictionaryError` whose message is one line
naming the file and the line: ``path:12: synonym line before any entry``.

See docs/actors.md for the formats, with examples.
"""
from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from detente.errors import DictionaryError

__all__ = [
    "Period",
    "DictEntry",
    "detect_format",
    "read_dictionary",
    "parse_csv",
    "parse_yaml",
    "parse_petrarch_actors",
    "parse_petrarch_agents",
    "parse_date",
    "split_code",
    "read_text",
    "COUNTRY_CODES",
    "ORG_PREFIXES",
]

log = logging.getLogger(__name__)

# CAMEO codes that are not ISO 3166-1 alpha-3 but stand for a country or territory.
_CAMEO_EXTRA_COUNTRIES = {"KSV", "XKX", "PSE", "YUG", "SRB", "TMP", "ZAR", "BUR", "CSK", "DDR", "SUN"}
# First three letters of a code that stand for a transnational actor, not a country.
ORG_PREFIXES = {"IGO", "NGO", "IMG", "MNC", "NGM", "UIS", "REG", "INT"}

_country_codes: set[str] | None = None


def _countries() -> set[str]:
    global _country_codes
    if _country_codes is None:
        import pycountry

        _country_codes = {c.alpha_3 for c in pycountry.countries} | _CAMEO_EXTRA_COUNTRIES
    return _country_codes


class _CountryCodes:
    """Lazy set-like view of the country codes a CAMEO actor code may start with."""

    def __contains__(self, code: object) -> bool:
        return code in _countries()


COUNTRY_CODES = _CountryCodes()


def split_code(code: str | None) -> tuple[str | None, str | None]:
    """Split a CAMEO actor code into (country ISO3 or None, sector or None).

    ``RUSGOV`` -> ("RUS", "GOV"); ``IRN`` -> ("IRN", None); ``IGOUNO`` -> (None, "IGO");
    ``GOV`` -> (None, "GOV").
    """
    if not code:
        return None, None
    code = code.upper()
    head = code[:3]
    if head in COUNTRY_CODES and head not in ORG_PREFIXES:
        rest = code[3:6]
        return head, (rest or None)
    return None, head


@dataclass(frozen=True, slots=True)
class Period:
    """A code valid from ``start`` to ``end`` (ISO dates, inclusive; None = open)."""

    code: str
    start: str | None = None
    end: str | None = None

    def contains(self, date: str) -> bool:
        """True if ``date`` (YYYY-MM-DD, YYYY-MM or YYYY) falls in this period."""
        d = _pad(date)
        return (self.start is None or d >= self.start) and (self.end is None or d <= self.end)


def _pad(date: str) -> str:
    parts = date[:10].split("-")
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts)


@dataclass
class DictEntry:
    """One dictionary entry: phrases that all stand for the same actor or agent.

    ``agent`` is true for agent (role) entries, whose ``code`` is a role such as ``~GOV``
    (suffix to a country) or ``NGO~`` (prefix). ``code`` is the default (undated) code;
    ``periods`` the date-limited ones. ``line`` is where the entry starts in its file.
    """

    phrases: list[str]
    code: str | None = None
    periods: list[Period] = field(default_factory=list)
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    agent: bool = False
    line: int = 0


def parse_date(text: str, where: str) -> str:
    """Parse a dictionary date into ``YYYY-MM-DD``.

    Accepts ``YYYY-MM-DD``, ``YYYYMMDD`` and PETRARCH's ``YYMMDD`` (years < 50 are 20xx).
    Raises DictionaryError (message prefixed by ``where``) otherwise.
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        y, mo, d = m.groups()
    elif re.fullmatch(r"\d{8}", t):
        y, mo, d = t[:4], t[4:6], t[6:]
    elif re.fullmatch(r"\d{6}", t):
        yy = int(t[:2])
        y = str(2000 + yy if yy < 50 else 1900 + yy)
        mo, d = t[2:4], t[4:]
    else:
        raise DictionaryError(f"{where}: bad date {text!r} (want YYYY-MM-DD, YYYYMMDD or YYMMDD)")
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        raise DictionaryError(f"{where}: bad date {text!r}")
    return f"{y}-{mo}-{d}"


# ---------------------------------------------------------------- format detection


def detect_format(path: str | Path, text: str | None = None) -> str:
    """Return ``csv``, ``yaml``, ``petrarch-actors`` or ``petrarch-agents`` for a file."""
    p = Path(path)
    if text is None:
        text = read_text(p)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise DictionaryError(f"{p}:1: empty dictionary file")
    first = lines[0].strip().lower()
    if first.startswith("name,") and "code" in first.split(","):
        return "csv"
    if first.startswith("- ") or first == "---" or p.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    codes = re.findall(r"\[([^\]\}\[]*)[\]\}]", text)
    if not codes:
        raise DictionaryError(f"{p}:1: unknown dictionary format (no CSV header, YAML list or [CODE])")
    tilde = sum(1 for c in codes if "~" in c)
    if tilde * 2 > len(codes) or re.search(r"^\s*![A-Z]+!\s*=", text, re.M):
        return "petrarch-agents"
    return "petrarch-actors"


def read_text(p: Path, what: str = "dictionary") -> str:
    """The text of a dictionary file: UTF-8, else Latin-1 (older TABARI/PETRARCH files); an
    unreadable file is a DictionaryError naming it (``what`` says what kind of file)."""
    try:
        data = p.read_bytes()
    except OSError as err:
        raise DictionaryError(f"{p}: cannot read {what}: {err.strerror or err}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_dictionary(path: str | Path) -> tuple[str, list[DictEntry]]:
    """Read a dictionary file of any supported format: (format, entries)."""
    p = Path(path)
    text = read_text(p)
    fmt = detect_format(p, text)
    parser = {
        "csv": parse_csv,
        "yaml": parse_yaml,
        "petrarch-actors": parse_petrarch_actors,
        "petrarch-agents": parse_petrarch_agents,
    }[fmt]
    return fmt, parser(text, str(p))


# ---------------------------------------------------------------- CSV and YAML

CSV_FIELDS = ["name", "country", "sector", "code", "synonyms", "from", "until"]


def _make_code(code: str | None, country: str | None, sector: str | None) -> str | None:
    if code:
        return code.strip().upper()
    if country or sector:
        return f"{(country or '').upper()}{(sector or '').upper()}" or None
    return None


def parse_csv(text: str, source: str = "<csv>") -> list[DictEntry]:
    """Parse our CSV format: header ``name,country,sector,code,synonyms,from,until``.

    Rows with the same name form one entry; a row with ``from``/``until`` adds a dated code.
    """
    rows = list(csv.reader(io.StringIO(text)))
    header_i = next(i for i, r in enumerate(rows) if r and not r[0].lstrip().startswith("#"))
    header = [h.strip().lower() for h in rows[header_i]]
    missing = [f for f in ("name",) if f not in header]
    if missing or not ({"code", "country", "sector"} & set(header)):
        raise DictionaryError(f"{source}:{header_i + 1}: CSV header must have name and code/country/sector")
    by_name: dict[str, DictEntry] = {}
    for i, row in enumerate(rows[header_i + 1:], start=header_i + 2):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) > len(header):
            raise DictionaryError(f"{source}:{i}: {len(row)} fields, header has {len(header)}")
        rec = {h: (row[k].strip() if k < len(row) else "") for k, h in enumerate(header)}
        name = rec.get("name", "")
        if not name:
            raise DictionaryError(f"{source}:{i}: empty name")
        country = rec.get("country") or None
        sector = rec.get("sector") or None
        code = _make_code(rec.get("code"), country, sector)
        if not code:
            raise DictionaryError(f"{source}:{i}: no code, country or sector for {name!r}")
        where = f"{source}:{i}"
        start = parse_date(rec["from"], where) if rec.get("from") else None
        end = parse_date(rec["until"], where) if rec.get("until") else None
        e = by_name.get(name.lower())
        if e is None:
            e = by_name[name.lower()] = DictEntry([name], name=name, line=i)
        for syn in (rec.get("synonyms") or "").split("|"):
            if syn.strip() and syn.strip() not in e.phrases:
                e.phrases.append(syn.strip())
        if start or end:
            e.periods.append(Period(code, start, end))
        else:
            e.code = code
            e.country, e.sector = (country.upper() if country else None), (sector.upper() if sector else None)
    return list(by_name.values())


def parse_yaml(text: str, source: str = "<yaml>") -> list[DictEntry]:
    """Parse our YAML format: a list of {name, code, synonyms, country, sector, periods}."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise DictionaryError(f"{source}:{line}: {problem}") from None
    if not isinstance(data, list):
        raise DictionaryError(f"{source}:1: YAML dictionary must be a list of entries")
    # line numbers: position of each top-level "- " item
    item_lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.startswith("- ")]
    out: list[DictEntry] = []
    for k, item in enumerate(data):
        line = item_lines[k] if k < len(item_lines) else 1
        where = f"{source}:{line}"
        if not isinstance(item, dict) or not item.get("name"):
            raise DictionaryError(f"{where}: entry must be a mapping with a name")
        name = str(item["name"])
        country = str(item["country"]).upper() if item.get("country") else None
        sector = str(item["sector"]).upper() if item.get("sector") else None
        code = _make_code(str(item.get("code") or ""), country, sector)
        syns = item.get("synonyms") or []
        if isinstance(syns, str):
            syns = [s for s in syns.split("|")]
        if not isinstance(syns, list):
            raise DictionaryError(f"{where}: synonyms must be a list")
        periods = []
        for p in item.get("periods") or []:
            if not isinstance(p, dict) or not p.get("code"):
                raise DictionaryError(f"{where}: each period needs a code")
            periods.append(Period(
                str(p["code"]).upper(),
                parse_date(str(p["from"]), where) if p.get("from") else None,
                parse_date(str(p["until"]), where) if p.get("until") else None,
            ))
        if not code and not periods:
            raise DictionaryError(f"{where}: no code, country, sector or periods for {name!r}")
        out.append(DictEntry([name] + [str(s).strip() for s in syns if str(s).strip()], code=code,
                             periods=periods, name=name, country=country, sector=sector, line=line))
    return out


# ---------------------------------------------------------------- PETRARCH / TABARI

_CODE_RE = re.compile(r"\[([^\]\}\[]*)[\]\}]")
_NULL_CODES = {"---", "+++", ""}


def _strip_comment(line: str) -> str:
    i = line.find("#")
    return line if i < 0 else line[:i]


def _phrase(raw: str) -> str:
    """TABARI phrase -> words separated by spaces (``_`` joins words, a trailing ``_`` is dropped)."""
    return " ".join(raw.replace("_", " ").split())


def _parse_code(body: str, where: str) -> Period | None:
    """One ``[...]`` body: ``CODE``, ``CODE >YYMMDD``, ``CODE <YYMMDD``, ``CODE A-B``.

    Returns None for a null code (``---``) or an unreadable restriction (logged).
    """
    body = body.strip()
    m = re.fullmatch(r"([A-Za-z0-9~+/\-]*)\s*(.*)", body)
    code, rest = (m.group(1), m.group(2).strip()) if m else ("", body)
    if body in _NULL_CODES:
        return None
    if re.fullmatch(r"[\d<>\-\s]+", body) and not body.startswith(("---", "+++")):
        raise DictionaryError(f"{where}: code block {body!r} has a date but no code")
    if not code or not re.fullmatch(r"[A-Za-z0-9~+/\-]+", code):
        raise DictionaryError(f"{where}: bad code [{body}]")
    code = code.upper().split("/")[0]  # a compound actor (A/B): its first member
    if code in _NULL_CODES or set(code) <= {"-", "+"}:
        return None
    if not rest:
        return Period(code)
    m = re.fullmatch(r"([<>])\s*(\d+)", rest)
    try:
        if m:
            d = parse_date(m.group(2), where)
            return Period(code, d, None) if m.group(1) == ">" else Period(code, None, d)
        m = re.fullmatch(r"(\d+)", rest)
        if m:  # a lone date: taken as the start (seen in the Phoenix files)
            return Period(code, parse_date(m.group(1), where), None)
        m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", rest)
        if m:
            return Period(code, parse_date(m.group(1), where), parse_date(m.group(2), where))
    except DictionaryError as err:
        if re.fullmatch(r"[<>\d\s\-]+", rest):  # digits of the wrong length: a typo in the source
            log.warning("%s (code ignored)", err)
            return None
        raise
    raise DictionaryError(f"{where}: bad date restriction {rest!r} in [{body}]")


def _codes(text: str, where: str) -> tuple[str, list[Period], bool]:
    """Split a line into (phrase part, periods, had_code_block)."""
    if text.count("[") != len(_CODE_RE.findall(text)):
        raise DictionaryError(f"{where}: unclosed [ in {text.strip()!r}")
    blocks = _CODE_RE.findall(text)
    head = text[: text.find("[")] if blocks else text
    periods = [p for p in (_parse_code(b, where) for b in blocks) if p is not None]
    return head, periods, bool(blocks)


def _iter_lines(text: str):
    """Yield (line number, line) outside ``<!-- -->`` comments, with ``#`` comments removed."""
    in_xml = False
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if in_xml:
            if "-->" in s:
                in_xml = False
            continue
        if s.startswith("<!--"):
            if "-->" not in s:
                in_xml = True
            continue
        line = _strip_comment(line)
        if line.strip():
            yield n, line


def _finish(group: DictEntry | None, out: list[DictEntry], periods: list[Period]) -> None:
    if group is None or not periods:
        return
    default = [p for p in periods if p.start is None and p.end is None]
    group.code = default[-1].code if default else None
    group.periods = [p for p in periods if p.start is not None or p.end is not None]
    out.append(group)


def parse_petrarch_actors(text: str, source: str = "<actors>") -> list[DictEntry]:
    """Parse a PETRARCH/TABARI ``.actors`` file.

    An entry is a phrase line, optionally with codes, then ``+SYNONYM`` lines and indented
    ``[CODE dates]`` lines. Phrase lines without a code are grouped with the next code.
    """
    out: list[DictEntry] = []
    group: DictEntry | None = None
    periods: list[Period] = []
    for n, line in _iter_lines(text):
        where = f"{source}:{n}"
        s = line.strip()
        if s.startswith("+"):
            if group is None:
                raise DictionaryError(f"{where}: synonym line before any entry")
            head, ps, _ = _codes(s, where)
            for syn in head.split("+"):
                if _phrase(syn):
                    group.phrases.append(_phrase(syn))
            periods.extend(ps)
            continue
        if s.startswith("["):
            if group is None:
                raise DictionaryError(f"{where}: code line before any entry")
            head, ps, _ = _codes(s, where)
            if head.strip():
                raise DictionaryError(f"{where}: text before code block")
            periods.extend(ps)
            continue
        head, ps, had = _codes(s, where)
        phrase = _phrase(head)
        if not phrase:
            raise DictionaryError(f"{where}: entry without a phrase")
        if group is not None and not periods and not group.agent:
            # an entry with no code yet: this phrase joins it (TABARI groups them)
            group.phrases.append(phrase)
            periods.extend(ps)
            continue
        _finish(group, out, periods)
        group = DictEntry([phrase], name=phrase.title(), line=n)
        periods = list(ps)
        if had and not ps:  # a null code such as [---]: matches, codes nothing
            group.agent = True  # marks "closed" so following phrases do not join it
    _finish(group, out, periods)
    for e in out:
        e.agent = False
        ref = e.code or (e.periods[-1].code if e.periods else None)
        e.country, e.sector = split_code(ref)
    return out


def _plural(phrase: str) -> str:
    words = phrase.split(" ")
    w = words[-1]
    lw = w.lower()
    if lw.endswith("man"):
        p = w[:-3] + ("MEN" if w.isupper() else "men")
    elif lw.endswith("y") and len(lw) > 1 and lw[-2] not in "aeiou":
        p = w[:-1] + ("IES" if w.isupper() else "ies")
    elif lw.endswith(("s", "x", "ch", "sh", "z")):
        p = w + ("ES" if w.isupper() else "es")
    else:
        p = w + ("S" if w.isupper() else "s")
    return " ".join(words[:-1] + [p])


def parse_petrarch_agents(text: str, source: str = "<agents>") -> list[DictEntry]:
    """Parse a PETRARCH agents file: ``PHRASE {PLURAL} [~CODE]`` lines and ``!SET! = A, B`` sets.

    Regular plurals are generated unless ``{}`` (none) or ``{PLURAL}`` (explicit) is given;
    ``!SET!`` in a phrase expands to each member of the substitution set.
    """
    sets: dict[str, list[str]] = {}
    out: list[DictEntry] = []
    for n, line in _iter_lines(text):
        where = f"{source}:{n}"
        s = line.strip()
        m = re.fullmatch(r"(![A-Za-z]+!)\s*=\s*(.*)", s)
        if m:
            members = [x.strip() for x in m.group(2).split(",") if x.strip()]
            if not members:
                raise DictionaryError(f"{where}: empty substitution set {m.group(1)}")
            sets[m.group(1).upper()] = members
            continue
        head, ps, had = _codes(s, where)
        if not had:
            log.warning("%s: agent %r has no code (ignored)", where, s)
            continue
        if not ps:
            continue
        plurals: list[str] | None = None
        pm = re.search(r"\{([^}]*)\}", head)
        if pm:
            plurals = [_phrase(x) for x in pm.group(1).split(",") if _phrase(x)]
            head = head[: pm.start()] + head[pm.end():]
        elif "{" in head or "}" in head:
            raise DictionaryError(f"{where}: unbalanced braces in {s!r}")
        base = _phrase(head)
        if not base:
            raise DictionaryError(f"{where}: agent without a phrase")
        variants = [base]
        for name, members in sets.items():
            if name in base.upper():
                variants = [v.replace(name, mem).replace(name.lower(), mem) for v in variants for mem in members]
        if "!" in "".join(variants):
            raise DictionaryError(f"{where}: unknown substitution set in {base!r}")
        phrases = list(variants)
        if plurals is None:
            phrases += [_plural(v) for v in variants]
        else:
            phrases += plurals
        code = ps[0].code
        role = code.replace("~", "")
        out.append(DictEntry(phrases, code=code, agent=True, sector=role[:3] or None, line=n))
    return out
