"""detente's settings: one table of every tunable value, read from one TOML file.

A :class:`Settings` is a frozen dataclass of sections (``[documents]``, ``[events]``,
``[relations]``, ``[extract]``, ``[cache]``, ``[store]``, ``[cli]``, ``[serve]``), each a frozen
dataclass whose fields are the keys: their type, default and meaning (``docs/settings.md`` is
generated from them, :func:`markdown_table`). Where a value comes from, strongest first::

    a command-line flag  >  its environment variable  >  the settings file  >  the default

- the file: ``detente --config FILE`` (any command), else the environment variable
  ``DETENTE_CONFIG``; none: the defaults. :func:`load_settings` reads and checks it at once:
  an unknown section or key, or a value of the wrong type, is a one-line
  :class:`~detente.errors.UsageError` naming it (codes DTE420 file, DTE421 key, DTE422 value);
- the environment: each documented variable overrides one key (:data:`ENV`, e.g.
  ``DETENTE_CACHE`` is ``cache.dir``); nothing else in the environment is read;
- the command line: ``detente --set KEY=VALUE`` for any key, and a command's own flags for
  some (``serve --threads`` is ``serve.threads``).

The library reads :func:`current`: the settings installed by :func:`use` (the ``detente``
command installs those of its options), else those of the environment (``DETENTE_CONFIG`` and
the variables, read again when they change). Every default equals the value detente had
before the table existed, so outputs do not depend on the table's existence.

>>> from detente.settings import Settings, load_settings, use, current
>>> Settings().relations.delta
1.0
>>> s = load_settings(env={}, overrides={"relations.delta": "0.5"})
>>> with use(s):
...     current().relations.delta
0.5
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
import tomllib
import typing
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, NamedTuple

from detente.errors import UsageError

__all__ = ["Settings", "DocumentsSettings", "EventsSettings", "RelationsSettings", "ExtractSettings",
           "CacheSettings", "StoreSettings", "CliSettings", "ServeSettings", "DEFAULTS", "ENV", "CONFIG_ENV",
           "Key", "SECRET_KEYS", "keys", "load_settings", "replace", "current", "use", "install", "cache_dir", "markdown_table", "to_toml",
           "child_environ"]

#: the environment variable naming the settings file (``detente --config`` wins over it)
CONFIG_ENV = "DETENTE_CONFIG"
#: internal: the settings of a parent process, handed to the child processes it starts (JSON)
_CHILD_ENV = "DETENTE_SETTINGS_JSON"


def _key(default: Any, meaning: str, *, env: str | None = None, flag: str | None = None,
         min: float | None = None, max: float | None = None, choices: tuple[str, ...] | None = None) -> Any:
    return field(default=default, metadata={"meaning": meaning, "env": env, "flag": flag, "min": min, "max": max,
                                            "choices": choices})


@dataclass(frozen=True)
class DocumentsSettings:
    """``[documents]``: copies of one article (near-duplicate documents, :mod:`detente.dedup`)."""

    shingle_words: int = _key(5, "words per shingle of the cleaned text (lower-cased, punctuation dropped)", min=1)
    num_perm: int = _key(128, "MinHash signature length (at least bands x rows)", min=1)
    bands: int = _key(32, "LSH bands of the signature", min=1)
    rows: int = _key(4, "signature rows per LSH band", min=1)
    jaccard: float = _key(0.5, "estimated Jaccard similarity of two shingle sets at or above which two "
                               "documents are copies", min=0, max=1)
    min_words: int = _key(8, "documents shorter than this many words are grouped only by identical text", min=0)
    seed: int = _key(20250401, "seed of the MinHash permutations", min=0)


@dataclass(frozen=True)
class EventsSettings:
    """``[events]``: reports of one real-world event merged into a canonical event (:mod:`detente.dedup`)."""

    reciprocal_roots: tuple[str, ...] = _key(("03", "04", "05", "06"),
                                             "CAMEO roots whose events have no direction: A meets B == B meets A")
    codes: str = _key("root_or_plover", "two codes are compatible when they share the CAMEO root, the PLOVER "
                                        "type, or either", choices=("root", "plover", "root_or_plover"))
    day_tolerance: int = _key(0, "days two day-precision dates may be apart and be compatible (0: same day)",
                              min=0)
    modality_groups: tuple[tuple[str, ...], ...] = _key(
        (("asserted",), ("planned",), ("hypothetical",), ("negated",)),
        "modality groups: reports merge only within one group")
    location: bool = _key(True, "the same location country is required when both reports know it")


@dataclass(frozen=True)
class RelationsSettings:
    """``[relations]``: the series and the verdict of ``detente relations`` (docs/relations.md)."""

    modalities: tuple[str, ...] = _key(("asserted", "planned"), "modalities counted in the series "
                                                                "(hypothetical and negated events did not happen)")
    recent_month: int = _key(6, "periods of the recent window with --freq month", min=1)
    recent_quarter: int = _key(2, "periods of the recent window with --freq quarter", min=1)
    recent_year: int = _key(1, "periods of the recent window with --freq year", min=1)
    delta: float = _key(1.0, "|difference of mean Goldstein| (recent - baseline) below which the verdict is "
                             "stable", min=0)
    after_publication_days: int = _key(7, "an event dated more than this many days after its first report's "
                                          "publication is not counted", min=0)
    min_window_events: int = _key(2, "events a window needs for a verdict (else insufficient data)", min=0)
    min_window_sources: int = _key(1, "independent sources a window needs for a verdict", min=0)
    prior_sd: float = _key(2.0, "prior standard deviation of a window's mean Goldstein (shrinkage)", min=0)
    noise_sd_min: float = _key(2.0, "least spread assumed for single events (no zero-width interval)", min=0)
    min_events: int = _key(5, "fewer events than this in a window: confidence low", min=0)
    min_sources: int = _key(2, "fewer independent sources than this in a window: confidence low", min=0)
    evidence_recent: int = _key(3, "evidence events shown from the recent window", min=0)
    evidence_baseline: int = _key(2, "evidence events shown from the baseline", min=0)


@dataclass(frozen=True)
class ExtractSettings:
    """``[extract]``: how documents are parsed and coded."""

    parse: str = _key("selective", "selective: spaCy parses only the sentences that may hold an event; full: "
                                    "every sentence (for comparisons)", env="DETENTE_PARSE",
                      choices=("selective", "full"))
    phoenix: bool = _key(True, "the built-in actor lexicon includes the Phoenix dictionaries",
                         env="DETENTE_PHOENIX")


@dataclass(frozen=True)
class CacheSettings:
    """``[cache]``: where built data (lexicon and gazetteer pickles) is cached."""

    dir: str = _key("~/.cache/detente", "folder of the cached lexicon and gazetteer pickles", env="DETENTE_CACHE")


@dataclass(frozen=True)
class StoreSettings:
    """``[store]``: writing the DuckDB store."""

    flush_every: int = _key(1000, "documents buffered before a Store writes them (one transaction)",
                            env="DETENTE_FLUSH_EVERY", min=1)


@dataclass(frozen=True)
class CliSettings:
    """``[cli]``: the ``detente`` command."""

    progress_every: float = _key(10.0, "seconds between two progress lines when stderr is not a terminal "
                                       "(0: a line per document)", env="DETENTE_PROGRESS_EVERY", min=0)
    debug: bool = _key(False, "an internal error prints its whole traceback, not one line", env="DETENTE_DEBUG")


@dataclass(frozen=True)
class ServeSettings:
    """``[serve]``: the limits and timeouts of ``detente serve`` (docs/api.md)."""

    threads: int = _key(8, "requests computed at once (request threads, and as many query threads)",
                        flag="serve --threads", min=1, max=256)
    query_timeout: float = _key(30.0, "seconds a request may compute (504 beyond; its query is interrupted)",
                                flag="serve --timeout", min=0.1, max=3600)
    refresh: float = _key(2.0, "seconds between checks whether the store changed (then a new snapshot)",
                          flag="serve --refresh", min=0.1, max=3600)
    token: str = _key("", "bearer token the API requires (empty: none)", env="DETENTE_TOKEN", flag="serve --token")
    backlog: int = _key(2048, "listen queue (capped by the kernel's net.core.somaxconn)", min=1)
    connection_limit: int = _key(1000, "open connections before the server stops accepting", min=1)
    channel_timeout: int = _key(30, "seconds a connection may stay idle (also a client sending slowly)", min=1)
    max_header: int = _key(16384, "bytes of request line and headers (431 beyond)", min=1)
    max_body: int = _key(8192, "bytes of a request body (413 beyond; the API takes none)", min=0)
    max_url: int = _key(4096, "bytes of the request target (414 beyond)", min=1)
    ready_wait: float = _key(600.0, "seconds the server waits for its first snapshot at start", min=0)


@dataclass(frozen=True)
class Settings:
    """Every setting of detente, by section (``settings.relations.delta``). ``Settings()`` is
    the defaults; :func:`load_settings` reads a file, the environment and overrides."""

    documents: DocumentsSettings = field(default_factory=DocumentsSettings)
    events: EventsSettings = field(default_factory=EventsSettings)
    relations: RelationsSettings = field(default_factory=RelationsSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    cli: CliSettings = field(default_factory=CliSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)

    def get(self, key: str) -> Any:
        """The value of ``key`` (``"section.name"``)."""
        section, name = key.split(".", 1)
        return getattr(getattr(self, section), name)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Sections -> keys -> values, tuples as lists (the shape of the TOML file)."""
        return {s: {k.name: _plain(self.get(k.key)) for k in _KEYS if k.section == s} for s in _SECTIONS}

    def dedup_config(self) -> dict[str, dict[str, Any]]:
        """The ``[documents]``, ``[events]`` and ``[relations]`` sections as the dict that
        :func:`detente.dedup.load_config` has always returned (lists, not tuples)."""
        d = self.as_dict()
        return {s: d[s] for s in ("documents", "events", "relations")}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


_SECTIONS = tuple(f.name for f in dataclasses.fields(Settings))


class Key(NamedTuple):
    """One row of the settings table."""

    key: str           # "section.name"
    section: str
    name: str
    type: str          # "int", "float", "bool", "str", "list of str", "list of lists of str"
    default: Any
    meaning: str
    env: str | None    # the environment variable overriding it
    flag: str | None   # the command-line flag overriding it (besides ``--set``)
    min: float | None
    max: float | None
    choices: tuple[str, ...] | None


_TYPE_NAMES = {int: "int", float: "float", bool: "bool", str: "str", tuple[str, ...]: "list of str",
               tuple[tuple[str, ...], ...]: "list of lists of str"}


def _build_keys() -> tuple[Key, ...]:
    rows = []
    for sec in dataclasses.fields(Settings):
        cls = sec.default_factory  # type: ignore[misc]
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            m = f.metadata
            rows.append(Key(f"{sec.name}.{f.name}", sec.name, f.name, _TYPE_NAMES[hints[f.name]], f.default,
                            m["meaning"], m["env"], m["flag"], m["min"], m["max"], m["choices"]))
    return tuple(rows)


_KEYS = _build_keys()
_BY_KEY = {k.key: k for k in _KEYS}
#: environment variable -> the key it overrides
ENV: dict[str, str] = {k.env: k.key for k in _KEYS if k.env}
#: the defaults
DEFAULTS = Settings()


def keys() -> tuple[Key, ...]:
    """The settings table: every key in file order."""
    return _KEYS


# -- checking values -------------------------------------------------------------------


def _what(k: Key) -> str:
    if k.choices:
        return "one of " + ", ".join(k.choices)
    if k.type == "int":
        if k.min == 1 and k.max is None:
            return "a positive integer"
        return "an integer" + _range(k)
    if k.type == "float":
        return "a number" + _range(k)
    if k.type == "bool":
        return "true or false"
    if k.type == "str":
        return "a string"
    return "a " + k.type


def _range(k: Key) -> str:
    if k.min is not None and k.max is not None:
        return f" from {k.min:g} to {k.max:g}"
    if k.min is not None:
        return f" of at least {k.min:g}"
    return ""


def _check(k: Key, value: Any) -> Any | None:
    """``value`` as the key's type (an int where a float is wanted becomes a float), or None."""
    if k.type in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if k.type == "int" and not isinstance(value, int):
            return None
        value = float(value) if k.type == "float" else value
        if value != value:  # nan
            return None
        if (k.min is not None and value < k.min) or (k.max is not None and value > k.max):
            return None
        return value
    if k.type == "bool":
        return value if isinstance(value, bool) else None
    if k.type == "str":
        if not isinstance(value, str) or (k.choices and value not in k.choices):
            return None
        return value
    if k.type == "list of str":
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None
    if isinstance(value, (list, tuple)) and all(
            isinstance(g, (list, tuple)) and all(isinstance(v, str) for v in g) for g in value):
        return tuple(tuple(g) for g in value)
    return None


def _bad(k: Key, value: Any, where: str) -> UsageError:
    shown = repr(value) if isinstance(value, str) else _toml_value(value) if _jsonable(value) else repr(value)
    return UsageError(f"{where} must be {_what(k)}, not {shown}", code="DTE422")


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _from_text(k: Key, text: str, strict: bool = False) -> Any:
    """A value written as text (an environment variable, ``--set KEY=VALUE``), before checking.
    A variable's boolean is false for 0, no, off, false and true otherwise (as it always was);
    ``strict`` (``--set``) takes only those and 1, yes, on, true."""
    t = text.strip()
    if k.type == "bool":
        low = t.lower()
        if low in ("0", "no", "off", "false"):
            return False
        return True if not strict or low in ("1", "yes", "on", "true") else t
    if k.type == "int":
        try:
            return int(t)
        except ValueError:
            return t
    if k.type == "float":
        try:
            return float(t)
        except ValueError:
            return t
    if k.type == "str":
        return t.lower() if k.choices else text
    try:
        return tomllib.loads(f"v = {t}")["v"]
    except tomllib.TOMLDecodeError:
        return [s.strip() for s in t.split(",") if s.strip()]


def _unknown(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


# -- loading ---------------------------------------------------------------------------


def _read_file(path: str) -> dict[str, Any]:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"cannot read settings file {path}: no such file", code="DTE420") from None
    except (OSError, UnicodeDecodeError) as err:
        cause = getattr(err, "strerror", None) or str(err)
        raise UsageError(f"cannot read settings file {path}: {cause}", code="DTE420") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"cannot read settings file {path}: not TOML ({err})", code="DTE420") from None


def _file_values(path: str, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, table in data.items():
        if section not in _SECTIONS:
            raise UsageError(f"settings file {path}: unknown section [{section}]"
                             f"{_unknown(section, list(_SECTIONS))} (docs/settings.md lists the keys)", code="DTE421")
        if not isinstance(table, dict):
            raise UsageError(f"settings file {path}: {section} must be a section [{section}], not a value",
                             code="DTE421")
        for name, value in table.items():
            key = f"{section}.{name}"
            k = _BY_KEY.get(key)
            if k is None:
                raise UsageError(f"settings file {path}: unknown setting {key}"
                                 f"{_unknown(key, list(_BY_KEY))} (docs/settings.md lists the keys)", code="DTE421")
            checked = _check(k, value)
            if checked is None:
                raise _bad(k, value, f"settings file {path}: {key}")
            out[key] = checked
    return out


def _override_values(overrides: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        k = _BY_KEY.get(key)
        if k is None:
            raise UsageError(f"{where}: unknown setting {key}{_unknown(key, list(_BY_KEY))} "
                             "(docs/settings.md lists the keys)", code="DTE421")
        raw = _from_text(k, value, strict=True) if isinstance(value, str) else value
        checked = _check(k, raw)
        if checked is None:
            raise _bad(k, value, (k.flag or key).split()[-1] if where == "flag" else f"{where} {key}")
        out[key] = checked
    return out


def _env_values(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for var, key in ENV.items():
        text = env.get(var)
        if text is None or not text.strip():
            continue  # unset or empty: the file's value, else the default
        k = _BY_KEY[key]
        checked = _check(k, _from_text(k, text))
        if checked is None:
            raise UsageError(f"{var} must be {_what(k)}, not {text!r} (setting {key})", code="DTE422")
        out[key] = checked
    return out


def _assemble(values: Mapping[str, Any], base: Settings = DEFAULTS) -> Settings:
    by_section: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        section, name = key.split(".", 1)
        by_section.setdefault(section, {})[name] = value
    s = dataclasses.replace(base, **{sec: dataclasses.replace(getattr(base, sec), **vals)
                                     for sec, vals in by_section.items()})
    d = s.documents
    if d.bands * d.rows > d.num_perm:
        raise UsageError(f"documents.bands x documents.rows ({d.bands} x {d.rows}) must be at most "
                         f"documents.num_perm ({d.num_perm})", code="DTE422")
    return s


def load_settings(path: str | os.PathLike | None = None, *, env: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None, flags: Mapping[str, Any] | None = None) -> Settings:
    """The settings: the defaults, then the TOML file ``path`` (else the file named by
    ``DETENTE_CONFIG`` in ``env``; ``env`` defaults to ``os.environ``), then the documented
    environment variables of ``env``, then ``overrides`` (``{"section.key": value}``, a value
    or its text as ``--set`` takes it), then ``flags`` (the same, from a command's own flags).

    Raises :class:`~detente.errors.UsageError` with one line naming the file and the key:
    DTE420 a file that cannot be read or is not TOML, DTE421 an unknown section or key,
    DTE422 a value of the wrong type or out of range (also from a variable or override)."""
    env = os.environ if env is None else env
    if path is None and (env.get(CONFIG_ENV) or "").strip():
        path = env[CONFIG_ENV].strip()
    values: dict[str, Any] = {}
    if path is not None:
        values.update(_file_values(str(path), _read_file(str(path))))
    values.update(_env_values(env))
    values.update(_override_values(overrides or {}, "--set"))
    values.update(_override_values(flags or {}, "flag"))
    return _assemble(values)


def replace(settings: Settings, values: Mapping[str, Any], *, flags: bool = False) -> Settings:
    """``settings`` with ``values`` (``{"section.key": value}``) over them, checked as
    :func:`load_settings` checks overrides (``flags``: named in errors as a command's flags)."""
    return _assemble(_override_values(values, "flag" if flags else "--set"), base=settings)


# -- the settings in use ---------------------------------------------------------------

_lock = threading.Lock()
_installed: list[Settings] = []
_from_env: tuple[tuple, Settings] | None = None


def _env_key(env: Mapping[str, str]) -> tuple:
    path = (env.get(CONFIG_ENV) or "").strip()
    stat: tuple = ()
    if path:
        try:
            st = os.stat(Path(path).expanduser())
            stat = (st.st_mtime_ns, st.st_size)
        except OSError:
            stat = ("missing",)
    return (path, stat, env.get(_CHILD_ENV), *(env.get(v) for v in ENV))


def current() -> Settings:
    """The settings in use: those installed by :func:`use` / :func:`install` (the ``detente``
    command installs its own), else those of the environment (``DETENTE_CONFIG`` and the
    documented variables), read again whenever they change."""
    global _from_env
    if _installed:
        return _installed[-1]
    env = os.environ
    key = _env_key(env)
    cached = _from_env
    if cached is not None and cached[0] == key:
        return cached[1]
    inherited = env.get(_CHILD_ENV)
    s = _from_json(inherited) if inherited else load_settings(env=env)
    _from_env = (key, s)
    return s


@contextmanager
def use(settings: Settings) -> Iterator[Settings]:
    """Make ``settings`` the ones :func:`current` returns (in every thread) inside the block."""
    with _lock:
        _installed.append(settings)
    try:
        yield settings
    finally:
        with _lock:
            _installed.remove(settings)


def install(settings: Settings | None) -> None:
    """Make ``settings`` current for the rest of the process (None: back to the environment's);
    for worker processes, which receive their parent's settings."""
    with _lock:
        _installed.clear()
        if settings is not None:
            _installed.append(settings)


def child_environ() -> dict[str, str]:
    """Environment variables that give a child process (a snapshot, a worker) the settings in
    use here: empty when they are the environment's own (the child reads the same)."""
    if not _installed:
        return {}
    return {_CHILD_ENV: json.dumps(_installed[-1].as_dict())}


def _from_json(text: str) -> Settings:
    values = _file_values(_CHILD_ENV, json.loads(text))
    return _assemble(values)


def cache_dir() -> Path:
    """Where detente caches built data (lexicon and gazetteer pickles): ``cache.dir``
    (``DETENTE_CACHE``), by default ``~/.cache/detente``."""
    return Path(current().cache.dir).expanduser()


# -- documentation ---------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


#: keys whose values :func:`to_toml` does not print unless asked (secrets)
SECRET_KEYS = ("serve.token",)


def to_toml(settings: Settings | None = None, *, secrets: bool = True) -> str:
    """``settings`` (default: :func:`current`) as a settings file, each key under a comment
    with its meaning: ``detente settings > detente.toml`` gives a file to start from.
    ``secrets=False`` prints the keys of :data:`SECRET_KEYS` empty, with a note when set."""
    s = settings or current()
    lines: list[str] = []
    for section in _SECTIONS:
        cls = type(getattr(s, section))
        if lines:
            lines.append("")
        lines.append("# " + re.sub(r":\w+:|`", "", (cls.__doc__ or "").strip()))
        lines.append(f"[{section}]")
        for k in _KEYS:
            if k.section == section:
                lines.append(f"# {k.meaning}" + (f" (env {k.env})" if k.env else ""))
                value = s.get(k.key)
                if not secrets and k.key in SECRET_KEYS and value:
                    lines.append("# (set, not shown)")
                    value = k.default
                lines.append(f"{k.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """The table of docs/settings.md: every key, its type, default, meaning and overrides."""
    out = ["| key | type | default | meaning | environment | flag |", "| --- | --- | --- | --- | --- | --- |"]
    for k in _KEYS:
        kind = k.type + (f" ({', '.join(k.choices)})" if k.choices else "") + _range(k).replace(" of ", " ")
        meaning = k.meaning.replace("|", "\\|")
        out.append(f"| `{k.key}` | {kind} | `{_toml_value(k.default)}` | {meaning} | "
                   f"{'`' + k.env + '`' if k.env else ''} | {'`' + k.flag + '`' if k.flag else ''} |")
    return "\n".join(out) + "\n"
