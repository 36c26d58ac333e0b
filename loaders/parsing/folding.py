"""The one folded form of a name or title: accents, case and punctuation set aside.

Loaders match citations to entries with it and graph/ decides identity with it, so it
lives below both. Letters that Unicode does not decompose (`Ø`, `Ł`, `ß`, `Æ`) are
written as the exports that strip diacritics write them: `Ødegård` is `odegard`, as Web
of Science prints it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ß": "ss", "æ": "ae",
     "œ": "oe", "þ": "th", "ð": "d", "ĸ": "k", "ŀ": "l"}
)  # fmt: skip


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Accent- and case-insensitive form with punctuation as single spaces.

    Cached and with an ASCII fast path: building a graph folds every name and title
    several times, and names repeat across thousands of records.
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()
