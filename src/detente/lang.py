"""A cheap language check: function-word ratios for Latin-script languages, script for others.

No model is loaded; the check is meant to flag documents that are clearly not English so
that they are stored but not coded.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["detect_language"]

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to a in is was that for on with as by at from it be has have had are were "
        "his her their its this which but not an or will would said after over who been they "
        "he she we i you our than also into about against more new two one".split()
    ),
    "fr": frozenset(
        "le la les de des du un une et est en au aux que qui pour dans sur pas par avec ce cette "
        "il elle ils sont ont été mais ou plus son sa ses leur nous vous je à été être selon".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine einen dem den des zu mit sich auf für von im sie es "
        "er wir ich auch als an bei nach wird wurde haben hat sind war aus oder noch wie über".split()
    ),
    "es": frozenset(
        "el la los las de del y en que un una es por con para se su sus al lo como más pero fue "
        "ha han no sobre este esta entre también sin son está según ya".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della dei e è un una che per con non si sono da al alla nel nella "
        "ha hanno anche come più ma questo questa stato dopo".split()
    ),
    "pt": frozenset(
        "o a os as de do da dos das e em um uma que para com não se por no na mais foi ao como "
        "mas são também pelo pela sobre está entre".split()
    ),
    "nl": frozenset(
        "de het een en van in is op te dat die niet met voor zijn er aan ook als bij door heeft "
        "worden werd wordt naar om maar nog dan over".split()
    ),
}

# Function words of other languages that are also English words or parts of names in English
# news ("met", "die", "war", "no", "Los Angeles", "de Blasio", "Van"): they are no evidence of
# another language. Without this, "Officials met in Berlin." (nl: "met", "in"; en: "in") was
# Dutch, and so was that sentence repeated a thousand times.
_ENGLISH_HOMOGRAPHS = frozenset(
    "de la le son plus die war hat den dem al con del el las los no sin ha di do com met door van dan op".split()
)

_SCRIPTS = (  # (unicodedata name prefix, language code)
    ("CYRILLIC", "ru"), ("ARABIC", "ar"), ("HEBREW", "he"), ("GREEK", "el"), ("DEVANAGARI", "hi"),
    ("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("CJK", "zh"), ("THAI", "th"),
    ("GEORGIAN", "ka"), ("ARMENIAN", "hy"), ("BENGALI", "bn"), ("TAMIL", "ta"),
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_MAX_WORDS = 1500
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_EN_ENDING = re.compile(r"(?:[^e]ed|ing|tion|ment|ness|ly|ship|ity|['’]s)$")


def _script_language(text: str) -> str | None:
    """The language implied by the dominant non-Latin script, if more than half the letters use one."""
    sample = text[:5000]
    if sample.isascii():
        return None
    letters = len(_LETTER.findall(sample))
    foreign = [ch for ch in _NON_ASCII_LETTER.findall(sample)]
    if not letters or len(foreign) * 2 <= letters:
        return None
    counts: dict[str, int] = {}
    for ch in foreign:
        name = unicodedata.name(ch, "")
        for prefix, code in _SCRIPTS:
            if name.startswith(prefix):
                counts[code] = counts.get(code, 0) + 1
                break
    if not counts or not letters:
        return None
    code, n = max(counts.items(), key=lambda kv: kv[1])
    if counts.get("ja") and code == "zh":
        code = "ja"
    return code if n * 2 > letters else None


def detect_language(text: str) -> str:
    """Return ``en`` for English text, another ISO 639-1 code when another language is clear,
    or ``unknown`` (no letters, or no recognisable function words).

    Very short plain-ASCII texts with no function words of any language (headlines such
    as "Iran condemns sanctions") are ``en``: too short to tell, and English is the
    likelier reading in an English news pipeline.

    English wins ties: a short English sentence with one function word is ``en``. Another
    language wins only on words that cannot be English: its function words that are neither
    English function words nor common English words (``_ENGLISH_HOMOGRAPHS``) must outnumber
    the English function words; else the text is ``en``.
    """
    script = _script_language(text)
    if script:
        return script
    words = [w.lower() for w in _WORD.findall(text[:20000])][:_MAX_WORDS]
    if not words:
        return "unknown"
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _FUNCTION_WORDS.items()}
    best = max(scores.values())
    if best == 0:
        # A short text without function words (a headline). Plain ASCII is taken as
        # English when it is too short to tell (under 8 words) or has an English ending.
        if text.isascii() and (
            len(words) < 8 or (len(words) < 30 and any(_EN_ENDING.search(w) for w in words))
        ):
            return "en"
        return "unknown"
    # Long texts need a real share of function words (English prose has about 40%).
    if len(words) >= 30 and best / len(words) < 0.08:
        return "unknown"
    if scores["en"] == best:
        return "en"
    lang = max(scores, key=lambda k: scores[k])
    not_english = _FUNCTION_WORDS[lang] - _FUNCTION_WORDS["en"] - _ENGLISH_HOMOGRAPHS
    if sum(1 for w in words if w in not_english) <= scores["en"]:
        return "en"
    return lang
