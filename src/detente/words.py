"""Word classes: the one loader of detente's word lists (``data/<folder>/<name>.txt``).

A word class file holds one entry per line (a first tab-separated column; the rest of the line
is free for a note), ``#`` comment lines and blank lines. Loading validates the file and
raises :class:`~detente.errors.DictionaryError` with the file and line on a duplicate entry,
on an upper-case entry in a class compared with lower-cased words (``lower=True``), and on an
entry of several words in a class compared with single tokens or lemmas (``single=True``),
which such a comparison can never match. The coder's classes (``data/coding``) are read
through :func:`detente.coding.lexicon.word_class`, which calls this loader.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from detente.errors import DictionaryError

__all__ = ["word_class", "read_word_class"]


def read_word_class(path: Path | str, single: bool = True, lower: bool = True) -> frozenset[str]:
    """The entries of the word class file at ``path`` (validated; see the module docstring)."""
    name = "/".join(Path(str(path)).parts[-2:])
    try:
        text = Path(str(path)).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DictionaryError(f"no word class file {name}") from None
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = line.split("\t")[0].strip()
        where = f"{name} line {n}"
        if entry in seen:
            raise DictionaryError(f"{where}: {entry!r} is already on line {seen[entry]}")
        if lower and entry != entry.lower():
            raise DictionaryError(f"{where}: entries are lower case, not {entry!r}")
        if single and " " in entry:
            raise DictionaryError(f"{where}: {entry!r} has several words; this class is compared "
                                  f"with single words, which it can never equal")
        seen[entry] = n
    return frozenset(seen)


@lru_cache(maxsize=None)
def word_class(name: str, single: bool = True, lower: bool = True) -> frozenset[str]:
    """The word class ``data/<name>.txt`` of the package (``name`` such as
    ``"places/geo_nouns"``), loaded once."""
    return read_word_class(resources.files("detente").joinpath("data", f"{name}.txt"), single, lower)
