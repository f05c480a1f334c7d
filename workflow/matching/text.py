"""Norwegian-aware folding and keyword matching, without a stemmer.

Norwegian glues words into compounds (``velferdsteknologi``, ``innovasjonsanskaffelser``)
and inflects them with endings (``anskaffelse``, ``anskaffelser``, ``anskaffelsene``). A
keyword therefore matches when its *stem* — the word with its last few letters cut off,
which is where the endings are — occurs in the project text: inside a word (a compound)
when the stem is long enough to be specific, else at the start of a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: a stem this long may match inside a compound; a shorter one only at a word's start
MIN_INNER_STEM = 5


def fold(text: str) -> str:
    """``text`` case-folded with accents dropped (``é`` → ``e``), keeping æ, ø and å."""
    out = []
    for ch in text.casefold():
        if ch in "æøå":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """``word`` without the letters an ending may take: a quarter of a long word, at most 3,
    never shorter than 4 letters (``anskaffelser`` → ``anskaffel``)."""
    if len(word) <= 4:
        return word
    return word[: max(4, len(word) - min(3, len(word) // 4))]


def keyword_stems(keyword: str) -> tuple[str, ...]:
    """The stems a keyword's words must all match (empty for a keyword without letters)."""
    return tuple(stem(w) for w in words(keyword))


def haystack(texts: Iterable[str]) -> str:
    """Texts as one folded string of words, each led by a space, to search stems in."""
    return " " + " ".join(w for t in texts for w in words(t)) + " "


def matches(stems: Sequence[str], text: str) -> bool:
    """Whether every stem occurs in ``text`` (a :func:`haystack`): a long stem anywhere in a
    word, a short one at a word's start; a stem of up to 3 letters only as a whole word."""
    if not stems:
        return False
    for s in stems:
        if len(s) <= 3:
            if f" {s} " not in text:
                return False
        elif len(s) >= MIN_INNER_STEM:
            if s not in text:
                return False
        elif f" {s}" not in text:
            return False
    return True
