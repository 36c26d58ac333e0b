"""Normal forms used to decide that two spellings name the same thing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Accent- and case-insensitive form with punctuation as single spaces.

    Cached and with an ASCII fast path: building a graph folds every name and title
    several times, and names repeat across thousands of records.
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def initials(given: str | None) -> str:
    """`Ronald V.` and `R. V.` both give `rv`; hyphenated `Jean-Paul` gives `jp`."""
    if not given:
        return ""
    return "".join(part[0] for part in fold(given).split())


def doi(value: str | None) -> str | None:
    """Lower-case DOI without resolver prefix or trailing punctuation."""
    if not value:
        return None
    cleaned = value.strip().lower()
    cleaned = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", cleaned)
    cleaned = re.sub(r"^doi:\s*", "", cleaned).rstrip(".,;)")
    return cleaned if cleaned.startswith("10.") else None
