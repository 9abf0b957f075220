"""Reading web pages: article text, title and date extracted with trafilatura."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Rejected, RawDocument
from ._decode import decode_bytes, looks_binary, parse_date, read_bounded
from . import limits

__all__ = ["Extracted", "extract_article", "read_html"]


@dataclass(frozen=True)
class Extracted:
    """What trafilatura found in a page: text (one paragraph per block, blank-line separated)."""

    text: str
    title: str | None
    date: str | None


def extract_article(html: str | bytes) -> Extracted:
    """Extract the article of a page, or raise InputError("no article text found in HTML").

    Paragraphs are joined by a blank line; a first line repeating the title is dropped
    (the title is kept in ``title``). The date is page metadata (YYYY-MM-DD) if any.
    """
    import trafilatura  # imported lazily: it is slow to import

    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False
        )
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup
        raise InputError(f"HTML could not be parsed ({type(exc).__name__})") from exc
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputError("no article text found in HTML")
    title = (getattr(result, "title", None) or "").strip() or None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    links = _link_texts(html)
    if not any(_is_prose(ln) for ln in lines if _squash(ln) not in links):
        raise InputError("no article text found in HTML (only links, menus or headlines, no sentence)")
    if title and lines and lines[0] == title and len(lines) > 1:
        lines = lines[1:]
    date = getattr(result, "date", None)
    if date:
        try:
            date = parse_date(str(date))
        except InputError:
            date = None
    return Extracted("\n\n".join(lines), title, date or None)


_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _link_texts(html: str | bytes) -> frozenset[str]:
    """The texts of the page's links (white space collapsed, case folded): what a menu, a
    navigation bar or a list of headlines is made of."""
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises its own errors; trafilatura read the page already
        return frozenset()
    return frozenset(t for t in (_squash(a.text_content()) for a in tree.iter("a")) if t)


def _is_prose(line: str) -> bool:
    """A line that reads as a sentence of text: three words or more, ending like a sentence
    (a menu entry, a section name or a linked headline does not)."""
    return len(line.split()) >= 3 and bool(_SENTENCE_END.search(line))


def read_html(path: Path, origin: str, default_date: str | None) -> RawDocument | Rejected:
    """Read one ``.html``/``.htm`` file (a regular file of at most MAX_FILE_BYTES) into a
    RawDocument (is_html=True), or a Rejected."""
    try:
        data = read_bounded(path, limits.MAX_FILE_BYTES)
    except InputError as exc:
        return Rejected(origin, str(exc), path.stem)
    if not data.strip():
        return Rejected(origin, "empty file")
    if looks_binary(data[:8192]):
        return Rejected(origin, "binary file")
    source: str | bytes
    try:
        source = decode_bytes(data)
    except InputError:
        source = data  # let trafilatura honour a <meta charset>
    try:
        art = extract_article(source)
    except InputError as exc:
        return Rejected(origin, str(exc), path.stem)
    if art.date:
        date, date_source = art.date, "html"
    elif default_date:
        date, date_source = default_date, "option"
    else:
        date, date_source = None, "none"
    return RawDocument(
        id=path.stem, text=art.text, origin=origin, date=date, date_source=date_source,
        title=art.title, is_html=True,
    )
