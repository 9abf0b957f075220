"""The actor lexicon: phrases (as lowercased token sequences) mapped to what they stand for.

Built from the data files under ``detente/data/actors/`` plus country names generated from
pycountry and countryinfo, under them the Phoenix actor dictionaries (``data/actors/phoenix``,
filtered: see :func:`_phoenix_skip`; ours win), then extended by user dictionaries. Lookups
are a dict keyed on token tuples, indexed by first token, so matching costs a few dict probes
per token.

Building is cached (a pickle under ``$DETENTE_CACHE`` or ``~/.cache/detente/``) keyed on the
data files' path, mtime and size. The cached built-in Lexicon keeps its entries as plain
tuples until they are looked up, so that some 36,000 phrases load in about a tenth of a second.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from detente.actors.dictionaries import COUNTRY_CODES, DictEntry, Period, read_dictionary, split_code, _plural
from detente.errors import DictionaryError

__all__ = ["Entry", "Lexicon", "phrase_tokens", "builtin_lexicon", "load_lexicon", "cache_dir", "DATA_DIR",
           "PHOENIX_DIR", "phoenix_enabled", "country_items"]

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
_VERSION = "20"  # bump when the pickled structure or the build changes


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase stands for.

    ``kind``: ``country`` (name or adjective), ``seat`` (capital / seat of government),
    ``org`` (IGO/NGO or other named organisation), ``actor`` (a named actor from a
    dictionary: person, group), ``title`` (a title such as "foreign minister") or ``sector``
    (a group noun such as "troops"). ``case``: ``""`` matches any case, ``cap`` needs a
    capitalised token, ``upper`` all capitals. ``role`` is an agent code (``~GOV``,
    ``NGO~``). ``periods`` are date-limited codes; ``code`` is the default one.
    ``ethnic``: a people or religious community without a state of its own ("Kurds",
    "Druze", "Shiites"); ``country`` is its usual country (or None), ``countries`` those it
    mostly lives in (empty: anywhere). ``person``: the entry is a person (built-in people
    dictionary), whatever the NER makes of the mention.
    """

    kind: str
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    name: str | None = None
    periods: tuple[Period, ...] = ()
    case: str = ""
    weak: bool = False
    role: str | None = None
    countries: tuple[str, ...] = ()
    person: bool = False  # a person from the built-in people dictionary

    def code_at(self, date: str | None) -> str | None:
        """The code in force at ``date`` (the default code if none of the periods apply)."""
        if date and self.periods:
            for p in self.periods:
                if p.contains(date):
                    return p.code
        if self.code or not self.periods:
            return self.code
        return self.periods[-1].code


def cache_dir() -> Path:
    """Where detente caches built data: the setting ``cache.dir`` (``$DETENTE_CACHE``, else
    ``~/.cache/detente``; :func:`detente.settings.cache_dir`, the one definition)."""
    from detente.settings import cache_dir as settings_cache_dir

    return settings_cache_dir()


_SIMPLE = re.compile(r"[A-Za-z0-9 ]+")
_tokenizer = None


def _spacy_tokenizer():
    global _tokenizer
    if _tokenizer is None:
        import spacy

        _tokenizer = spacy.blank("en").tokenizer
    return _tokenizer


def norm(text: str) -> str:
    """Normalise a token for lookup: lowercase, straight apostrophes."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def phrase_tokens(text: str) -> tuple[str, ...]:
    """Tokenize a phrase the way spaCy tokenizes text, lowercased: ``"U.S. Army"`` -> ("u.s.", "army")."""
    text = " ".join(text.split())
    if _SIMPLE.fullmatch(text):
        return tuple(text.lower().split())
    return tuple(norm(t.text) for t in _spacy_tokenizer()(text) if not t.is_space)


def _pack(e: Entry) -> tuple:
    """An Entry as a plain tuple (fields in order, periods as (code, start, end) tuples)."""
    return (e.kind, e.country, e.sector, e.code, e.name, tuple((p.code, p.start, p.end) for p in e.periods),
            e.case, e.weak, e.role, e.countries, e.person)


def _unpack(t: tuple) -> Entry:
    kind, country, sector, code, name, periods, case, weak, role, countries, person = t
    return Entry(kind, country, sector, code, name, tuple(Period(*p) for p in periods), case, weak, role,
                 countries, person)


class _Phrases(dict):
    """Phrase -> Entry, where an entry may be stored packed (:func:`_pack`, a tuple) until it
    is first looked up. A cached lexicon of some 40,000 phrases loads as plain tuples, much
    faster than as Entry objects, and a document looks up only a few of them."""

    __slots__ = ()

    def get(self, key, default=None):
        v = dict.get(self, key, default)
        if v.__class__ is tuple:
            v = _unpack(v)
            dict.__setitem__(self, key, v)
        return v

    def __getitem__(self, key):
        v = dict.__getitem__(self, key)
        if v.__class__ is tuple:
            v = _unpack(v)
            dict.__setitem__(self, key, v)
        return v

    def values(self):
        return [self[k] for k in self]

    def items(self):
        return [(k, self[k]) for k in self]

    def packed(self) -> dict:
        """A plain dict of the packed entries (for pickling)."""
        return {k: (v if v.__class__ is tuple else _pack(v)) for k, v in dict.items(self)}


class Lexicon:
    """Phrases (lowercased token tuples) -> :class:`Entry`; longest-match lookup."""

    def __init__(self) -> None:
        self.phrases: dict[tuple[str, ...], Entry] = _Phrases()
        self.first: dict[str, tuple[int, ...]] = {}
        self.titles: set[tuple[str, ...]] = set()

    def add(self, tokens: tuple[str, ...], entry: Entry) -> None:
        """Add (or override) a phrase. An agent noun keeps a title's ability to name a person."""
        if not tokens:
            return
        old = self.phrases.get(tokens)
        if entry.kind == "title":
            self.titles.add(tokens)
        elif entry.kind == "sector" and tokens in self.titles:
            entry = replace(entry, kind="title")
        if old is not None:
            if old.kind == "seat" and entry.kind == "country":
                return  # a capital listed as a country synonym stays a seat of government
            if old.kind in ("title", "sector") and entry.kind == "sector":
                entry = replace(entry, kind=old.kind, weak=old.weak)
            elif old.name and entry.code == old.code and entry.kind != "sector":
                entry = replace(entry, name=old.name, kind=old.kind)
        self.phrases[tokens] = entry
        lens = self.first.get(tokens[0], ())
        if len(tokens) not in lens:
            self.first[tokens[0]] = tuple(sorted(lens + (len(tokens),), reverse=True))

    def update(self, items: Iterable[tuple[tuple[str, ...], Entry]]) -> None:
        """Add many (tokens, entry) pairs, later ones overriding earlier ones."""
        for tokens, entry in items:
            self.add(tokens, entry)

    def match(self, low: Sequence[str], i: int) -> tuple[int, Entry] | None:
        """Longest phrase starting at token ``i`` of ``low`` (lowercased tokens): (length, entry)."""
        lens = self.first.get(low[i])
        if not lens:
            return None
        n = len(low)
        for L in lens:
            if i + L <= n:
                e = self.phrases.get(tuple(low[i:i + L]))
                if e is not None:
                    return L, e
        return None

    def __len__(self) -> int:
        return len(self.phrases)

    def __getstate__(self):
        shared: dict[tuple, tuple] = {}
        phrases = {k: shared.setdefault(v, v) for k, v in self.phrases.packed().items()}
        return phrases, self.first, self.titles

    def __setstate__(self, state) -> None:
        phrases, self.first, self.titles = state
        self.phrases = _Phrases(phrases)


# ---------------------------------------------------------------- built-in lexicon


def _tsv(name: str) -> list[list[str]]:
    path = DATA_DIR / name
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            row = [c.strip() for c in line.rstrip("\n").split("\t")]
            if len(row) < 2:
                raise DictionaryError(f"{path}:{n}: want at least 2 tab-separated fields")
            rows.append(row)
    return rows


def country_items() -> list[tuple[tuple[str, ...], Entry]]:
    """Country names and adjectives, as (phrase tokens, entry): pycountry + countryinfo, then
    countries_extra.tsv."""
    import pycountry
    from countryinfo import all_countries

    items: dict[tuple[str, ...], Entry] = {}

    def put(text: str, iso: str, override: bool = False) -> None:
        if not text or "," in text or len(text) <= 3 and not override:
            return
        toks = phrase_tokens(text)
        if toks and (override or toks not in items):
            items[toks] = Entry("country", country=iso, code=iso, case="cap")

    for c in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            name = getattr(c, attr, None)
            if name:
                put(name, c.alpha_3)
                if attr == "official_name" and name.startswith("the "):
                    put(name[4:], c.alpha_3)
    for ci in all_countries():
        try:
            iso = (ci.iso() or {}).get("alpha3")
        except (KeyError, AttributeError, TypeError):
            continue
        if not iso:
            continue
        for getter in ("name", "demonym", "alt_spellings"):
            try:
                val = getattr(ci, getter)()
            except (KeyError, AttributeError, TypeError):
                continue
            vals = val if isinstance(val, list) else [val]
            for v in vals:
                if isinstance(v, str) and v.isascii():
                    put(v if getter != "name" else v.title(), iso)
                    if getter == "demonym":
                        put(_plural(v), iso)
    for row in _tsv("countries_extra.tsv"):
        text, iso = row[0], row[1]
        kind = row[2] if len(row) > 2 else "name"
        put(text, iso, override=True)
        if kind == "adjective" and not text.endswith(("sh", "ch", "se", "ss")):
            put(_plural(text), iso, override=True)
    return list(items.items())


def _build_builtin() -> list[tuple[tuple[str, ...], Entry]]:
    items: list[tuple[tuple[str, ...], Entry]] = []
    for row in _tsv("sectors.tsv"):
        forms = row[0].split("|")
        sector = row[1]
        flags = row[2].split() if len(row) > 2 else []
        # "cap": a name written with a capital ("Labour", "Democrats": parties of many countries)
        entry = Entry("sector", sector=sector, code=sector, weak="weak" in flags, case="cap" if "cap" in flags else "")
        words = forms if len(forms) > 1 else [forms[0], _plural(forms[0])]
        for w in words:
            items.append((phrase_tokens(w), entry))
    for row in _tsv("titles.tsv"):
        title, sector = row[0], row[1]
        weak = len(row) > 2 and row[2] == "weak"
        entry = Entry("title", sector=sector, code=sector, weak=weak)
        # an abbreviation tokenizes differently written "Gen." and "gen.": add both forms
        for form in dict.fromkeys((title, title.lower(), " ".join(w[:1].upper() + w[1:] for w in title.split()))):
            items.append((phrase_tokens(form), entry))
        if not title.endswith("."):
            plural = phrase_tokens(_plural(title))
            items.append((plural, Entry("sector", sector=sector, code=sector, weak=True)))
    items.extend(country_items())
    for row in _tsv("seats.tsv"):
        sector = row[2] if len(row) > 2 and row[2] else "GOV"
        items.append((phrase_tokens(row[0]), Entry("seat", country=row[1], sector=sector, code=row[1] + sector, case="cap")))
    for row in _tsv("ethnic_groups.tsv"):
        if len(row) < 4:
            raise DictionaryError(f"{DATA_DIR / 'ethnic_groups.tsv'}: row {row!r} needs names, usual, countries, sector")
        names, usual, where, sector = row[0].split("|"), row[1] or None, row[2], row[3]
        entry = Entry("ethnic", country=usual, sector=sector, code=_join(usual, sector), name=names[0],
                      case="cap", countries=tuple(c for c in where.split("|") if c))
        for p in names:
            items.append((phrase_tokens(p), entry))
    for fname in ORG_FILES:
        for row in _tsv(fname):
            if len(row) < 3:
                raise DictionaryError(f"{DATA_DIR / fname}: row {row!r} needs phrases, code, sector")
            code, sector = row[1], row[2]
            name = row[3] if len(row) > 3 and row[3] else row[0].split("|")[0]
            for p in row[0].split("|"):
                case = "upper" if p.replace(".", "").replace("-", "").isupper() and len(p) <= 6 else "cap"
                if p[:1].islower() and not p.startswith("the "):
                    case = ""  # "al Qaeda", "al-Shabaab": any case
                items.append((phrase_tokens(p), Entry("org", sector=sector, code=code, name=name, case=case)))
    items.extend(_people_items())
    if phoenix_enabled():
        ours = dict(items)
        items[:0] = _phoenix_items(ours)  # first: every entry of ours overrides
    return _interned(items)


# Tab-separated organisation files: phrases, code, sector, name (armed_groups.tsv and
# parties.tsv add a source).
ORG_FILES = ("organizations.tsv", "armed_groups.tsv", "parties.tsv")


def _interned(items: list[tuple[tuple[str, ...], Entry]]) -> list[tuple[tuple[str, ...], Entry]]:
    """The same items with equal entries shared (a smaller, faster pickle)."""
    seen: dict[Entry, Entry] = {}
    return [(toks, seen.setdefault(e, e)) for toks, e in items]


# ---------------------------------------------------------------- the Phoenix dictionaries

PHOENIX_DIR = DATA_DIR / "phoenix"
PHOENIX_FILES = ("Phoenix.Countries.actors.txt.gz", "Phoenix.International.actors.txt.gz",
                 "Phoenix.MilNonState.actors.txt.gz")


def phoenix_enabled() -> bool:
    """Whether the built-in lexicon includes the Phoenix dictionaries: the setting
    ``extract.phoenix``, true unless ``DETENTE_PHOENIX=0`` (or ``no``/``off``/``false``)."""
    from detente.settings import current

    return current().extract.phoenix


_common: frozenset[str] | None = None


def _common_words() -> frozenset[str]:
    """English dictionary words: the WordNet lemmas (nouns, verbs, adjectives, adverbs) of
    spaCy's English lemmatizer tables, shipped with the model. Empty if they cannot be read."""
    global _common
    if _common is None:
        words: set[str] = set()
        try:
            import importlib

            from spacy.lookups import Lookups

            from detente.nlp import MODEL

            root = Path(importlib.import_module(MODEL).__file__).parent
            for d in sorted(root.glob("*/lemmatizer/lookups")):
                table = Lookups().from_disk(d).get_table("lemma_index")
                for key in table:
                    words.update(w.lower() for w in table[key])
        except (ImportError, OSError, KeyError, ValueError) as err:
            log.warning("no English word list for filtering the Phoenix dictionaries: %s", err)
        _common = frozenset(words)
    return _common


def _common_word(tok: str, common: frozenset[str]) -> bool:
    """A token that is an English dictionary word, or the plural or possessive of one, or has
    no letter at all ("zero", "tigers", "1999")."""
    if not any(c.isalpha() for c in tok):
        return True
    base = tok[:-2] if tok.endswith("'s") else tok
    return base in common or (base.endswith("s") and (base[:-1] in common or base.endswith("es") and base[:-2] in common))


def _phoenix_skip(toks: tuple[str, ...], entry: Entry, ours: dict[tuple[str, ...], Entry], common: frozenset[str],
                  given: set[str], forenames: frozenset[str] = frozenset()) -> bool:
    """Whether a Phoenix phrase stays out of the built-in lexicon:

    - one of ours, with or without a leading "the" (ours win);
    - a single common English word, its plural or possessive, or a number (Phoenix lists
      "ZERO", "LIGHTNING", "TIGERS", "GUARDIAN" as armed groups and media, "MURRAY" as a
      country name: such words would make actors of ordinary text);
    - a single word, not an acronym, that Phoenix itself uses as the first word of a person's
      name ("HASSAN" for a Jordanian prince, "AMAL" for a militia: given names of many);
    - a phrase made of our own country names, titles and group nouns (:func:`_composed`);
    - a phrase of several words that are all given names (``forenames``, :func:`_forenames`):
      Phoenix's "ANA MARIA" (a Spanish minister), "LUIZ SERGIO", "PETER DAVID" would make
      that actor of anyone whose first names they are ("Ana Maria Soto").
    """
    if toks in ours or ("the",) + toks in ours or (toks[0] == "the" and toks[1:] in ours):
        return True
    body = toks[1:] if toks[0] == "the" and len(toks) > 1 else toks
    if len(body) != 1:
        return all(w in forenames for w in body) or _composed(body, ours)
    return _common_word(body[0], common) or (entry.case != "upper" and body[0] in given)


_GLUE = {"the", "of", "'s", "for", "and", "-", "&"}
_PARTS = {"country", "seat", "title", "sector", "ethnic"}


def _composed(toks: tuple[str, ...], ours: dict[tuple[str, ...], Entry]) -> bool:
    """Whether a phrase is only our country names, capitals, titles and group nouns (and
    "of", "the"...), with at least one title or group noun: "US PRESIDENT", "FOREIGN
    MINISTER OF FRANCE". Our recognizer reads such a phrase word by word (the title, the
    country, the date of the text), better than a fixed code for the whole."""
    i, n = 0, len(toks)
    role = False
    while i < n:
        if toks[i] in _GLUE:
            i += 1
            continue
        for L in range(n - i, 0, -1):
            e = ours.get(toks[i:i + L])
            if e is not None and e.kind in _PARTS:
                role = role or e.kind in ("title", "sector")
                i += L
                break
        else:
            return False
    return role  # places alone ("UNITED STATES OF MEXICO", "CONGO KINSHASA") stay Phoenix's


PHOENIX_LAST_YEAR = 2016  # the Phoenix dictionaries were last edited in 2015


def _phoenix_date(date: str | None) -> str | None:
    """A Phoenix date with its century right: the files write most dates as YYMMDD, which
    :func:`~detente.actors.dictionaries.parse_date` reads as 20YY below 50, but a date after
    the files were last edited ("2047-01-01", a minister born in 1947) is of the 1900s."""
    if date and int(date[:4]) > PHOENIX_LAST_YEAR:
        return f"{int(date[:4]) - 100}{date[4:]}"
    return date


def _phoenix_entry(entry: Entry) -> Entry:
    """A firm whose Phoenix code names its home country (``MNCKOR``, ``MNCUSAHLH``) becomes a
    business actor of that country (``KORBUS``): an actor has its country, and a person
    named with the firm ("the firm's chief X") gets it too."""
    code = entry.code or ""
    if entry.country is None and not entry.periods and code.startswith("MNC") and code[3:6] in COUNTRY_CODES:
        return replace(entry, kind="actor", country=code[3:6], sector="BUS", code=code[3:6] + "BUS")
    return entry


def _phoenix_items(ours: dict[tuple[str, ...], Entry]) -> list[tuple[tuple[str, ...], Entry]]:
    """The entries of the Phoenix actor dictionaries (``data/actors/phoenix``, MIT licence,
    Open Event Data Alliance) that are not ours and not common words (:func:`_phoenix_skip`)."""
    import gzip

    from detente.actors.dictionaries import parse_petrarch_actors

    dict_log = logging.getLogger("detente.actors.dictionaries")
    level = dict_log.level
    dict_log.setLevel(logging.ERROR)  # a few dates with typos in the source: their codes are ignored
    items: list[tuple[tuple[str, ...], Entry]] = []
    try:
        for fname in PHOENIX_FILES:
            data = gzip.decompress((PHOENIX_DIR / fname).read_bytes())
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            for e in parse_petrarch_actors(text, f"phoenix/{fname}"):
                e.periods = [Period(p.code, _phoenix_date(p.start), _phoenix_date(p.end)) for p in e.periods]
                items.extend(_entry_items(e))
    finally:
        dict_log.setLevel(level)
    common = _common_words()
    given = {toks[0] for toks, e in items if e.kind == "actor" and len(toks) > 1 and toks[0] != "the"}
    forenames = _forenames(items, ours)
    out = []
    for toks, e in items:
        if not _phoenix_skip(toks, e, ours, common, given, forenames):
            out.append((toks, _phoenix_entry(e)))
        elif _acronym_only(toks, ours, common):
            # the dictionary word list holds proper nouns too ("fbi", "cia"): a short one
            # stands for the actor when written in capitals, as an acronym is
            out.append((toks, replace(_phoenix_entry(e), case="upper")))
    return out


def _acronym_only(toks: tuple[str, ...], ours: dict[tuple[str, ...], Entry], common: frozenset[str]) -> bool:
    """A single Phoenix word of at most five letters that is in the English word list and not
    one of ours ("FBI", "CIA", "NSA"): kept, but matched only in capitals."""
    return (len(toks) == 1 and toks[0].isalpha() and len(toks[0]) <= 5 and toks[0] in common
            and toks not in ours and ("the",) + toks not in ours)


FORENAME_MIN = 5  # a given name starts the names of at least this many Phoenix actors ...
FORENAME_RATIO = 10  # ... and this many times more of them than it ends


def _forenames(items: list[tuple[tuple[str, ...], Entry]], ours: dict[tuple[str, ...], Entry]) -> frozenset[str]:
    """Words that the Phoenix dictionaries use as given names: words that start the names
    (phrases of two or more words) of at least ``FORENAME_MIN`` distinct people (entries with
    dated roles) and start at least ``FORENAME_RATIO`` times as many as they end. "MARIA"
    starts 86 names and ends 2, "JUAN" starts 64 and ends none; "MICHEL" (32 and 7) and
    "HUSSEIN" (7 and 12) are surnames too and stay out. Words of ours ("president") and
    initials are not names."""
    first: dict[str, set] = {}
    last: dict[str, set] = {}
    for toks, e in items:
        if e.kind == "actor" and e.periods and len(toks) > 1 and toks[0] != "the" and e.name:
            first.setdefault(toks[0], set()).add(e.name)
            last.setdefault(toks[-1], set()).add(e.name)
    return frozenset(w for w, names in first.items()
                     if len(names) >= FORENAME_MIN and len(names) >= FORENAME_RATIO * len(last.get(w, ()))
                     and w.isalpha() and len(w) > 2 and (w,) not in ours)


def _join(country: str | None, sector: str | None) -> str | None:
    return f"{country or ''}{sector or ''}" or None


PEOPLE_FILE = "people.csv"


def _people_items() -> list[tuple[tuple[str, ...], Entry]]:
    """The built-in dictionary of prominent people (``people.csv``, our CSV dictionary format).

    A phrase written in mixed case ("Xi", "Moi") needs a capitalised token, not all capitals
    as a short phrase from a PETRARCH file would; one written lower-case first ("von der
    Leyen", "bin Salman") matches in any case.
    """
    path = DATA_DIR / PEOPLE_FILE
    if not path.is_file():
        return []
    out = []
    for e in read_dictionary(path)[1]:
        written = {phrase_tokens(p): p for p in e.phrases}
        for toks, entry in _entry_items(e):
            p = written.get(toks, "")
            if p[:1].islower() and not p.startswith("the "):
                entry = replace(entry, case="")
            elif entry.case == "upper" and not p.isupper():
                entry = replace(entry, case="cap")
            out.append((toks, replace(entry, person=True)))
    return out


def _stamp(paths: Iterable[Path]) -> str:
    h = hashlib.sha1(_VERSION.encode())
    for p in paths:
        st = p.stat()
        h.update(f"{p}|{st.st_mtime_ns}|{st.st_size}".encode())
    return h.hexdigest()[:16]


def _cached(key: str, build):
    path = cache_dir() / f"actors-{key}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as err:  # a read-only home: work without the cache
        log.debug("cannot write lexicon cache %s: %s", path, err)
    return value


def builtin_lexicon_items() -> list[tuple[tuple[str, ...], Entry]]:
    """The built-in (token tuple, Entry) pairs, in the order they are added (built, not cached:
    :func:`builtin_lexicon` caches the Lexicon they make)."""
    return _build_builtin()


def _builtin_key() -> str:
    files = sorted(DATA_DIR.glob("*.tsv")) + sorted(DATA_DIR.glob(PEOPLE_FILE))
    key = "builtin-"
    if phoenix_enabled():
        files += [PHOENIX_DIR / f for f in PHOENIX_FILES]
        key = "builtin-phoenix-"
    return key + _stamp(files)


def _build_builtin_lexicon() -> Lexicon:
    lex = Lexicon()
    lex.update(_build_builtin())
    return lex


def builtin_lexicon() -> Lexicon:
    """A Lexicon of the built-in entries only (a fresh copy from the cache when it is fresh)."""
    return _cached(_builtin_key(), _build_builtin_lexicon)


def _entry_items(e: DictEntry) -> list[tuple[tuple[str, ...], Entry]]:
    if e.agent:
        role = e.code or ""
        entry = Entry("sector", sector=e.sector, code=role.replace("~", "") or None, role=role)
        return [(phrase_tokens(p), entry) for p in e.phrases]
    code = e.code
    ref = code or (e.periods[-1].code if e.periods else None)
    country, sector = e.country, e.sector
    if ref and not (country or sector):
        country, sector = split_code(ref)
    if ref and len(ref) == 3 and country:
        kind = "country"
    elif country is None:
        kind = "org"
    else:
        kind = "actor"
    out = []
    is_person_like = kind != "country"
    for p in e.phrases:
        toks = phrase_tokens(p)
        if not toks:
            continue
        case = "upper" if len(toks) == 1 and len(toks[0]) <= 3 else "cap"
        name = e.name if e.name and e.name != e.name.upper() else (_nice(e.phrases[0]) if is_person_like else None)
        out.append((toks, Entry(kind, country=country, sector=sector, code=code, name=name,
                                periods=tuple(e.periods), case=case)))
        if toks[0] == "the" and len(toks) > 1:
            out.append((toks[1:], out[-1][1]))
    return out


def _nice(phrase: str) -> str:
    """A readable name from an upper-case dictionary phrase: "THE_EUROPEAN_UNION" -> "European Union"."""
    words = phrase.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return " ".join(w if len(w) <= 4 and len(words) == 1 else w.title() for w in words)


def dictionary_items(path: str | os.PathLike) -> list[tuple[tuple[str, ...], Entry]]:
    """The (token tuple, Entry) pairs of a user dictionary file (cached by path+mtime+size)."""
    p = Path(path).resolve()
    if not p.is_file():
        raise DictionaryError(f"{path}: no such dictionary file")

    def build():
        _fmt, entries = read_dictionary(p)
        items = []
        for e in entries:
            items.extend(_entry_items(e))
        return items

    return _cached("dict-" + _stamp([p]), build)


def load_lexicon(dictionaries: Sequence[str | os.PathLike] = ()) -> Lexicon:
    """The built-in lexicon extended (and overridden) by the given dictionary files, in order."""
    lex = builtin_lexicon()
    for d in dictionaries:
        lex.update(dictionary_items(d))
    return lex
