"""Capital and small letters of every alphabet, for the patterns that read names.

Python's `re` has no `\\p{Lu}`, and the patterns were written with `[A-ZÀ-Þ]`, which
stops at Latin-1: `Łukasz`, `Šimić`, `Żółtowski` or `Luchins Е. И.` then start with no
capital at all, and a name list breaks there. `alphabets` widens those two spellings to
every capital (Unicode Lu and Lt) and every small letter (Ll) below U+2000: the scripts
that have capitals (Latin with its extensions, Greek, Cyrillic, Armenian, Georgian), so a
pattern keeps reading like the Latin one it was written as.
"""

from __future__ import annotations

import unicodedata
from functools import cache

#: How the patterns spell "a capital letter" and "a small letter" inside a class.
LATIN_CAPITALS = "A-ZÀ-Þ"
LATIN_SMALL = "a-zà-ÿ"
_CASED_SCRIPTS_END = 0x2000


def _ranges(points: list[int]) -> str:
    """Code points, ascending, as the inside of a character class."""
    parts, start, last = [], points[0], points[0]
    for point in [*points[1:], _CASED_SCRIPTS_END + 1]:
        if point == last + 1:
            last = point
            continue
        parts.append(chr(start) if start == last else f"{chr(start)}-{chr(last)}")
        start = last = point
    return "".join(parts)


@cache
def _classes() -> tuple[str, str]:
    capitals, small = [], []
    for point in range(_CASED_SCRIPTS_END):
        category = unicodedata.category(chr(point))
        if category in ("Lu", "Lt"):
            capitals.append(point)
        elif category == "Ll":
            small.append(point)
    return _ranges(capitals), _ranges(small)


def alphabets(pattern: str) -> str:
    """`pattern` with `A-ZÀ-Þ` read as every capital and `a-zà-ÿ` as every small letter."""
    capitals, small = _classes()
    return pattern.replace(LATIN_CAPITALS, capitals).replace(LATIN_SMALL, small)
