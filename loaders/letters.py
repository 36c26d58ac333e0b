"""Capital and small letters of every cased alphabet, for the patterns that read names.

Python's `re` has no `\\p{Lu}`, and `[A-ZÀ-Þ]` stops at Latin-1: `Łukasz`, `Šimić` or
`Соколова, Ирина` then start with no capital at all, and a name list breaks there. These
are the letters below U+2000, the scripts that have capitals: Latin with its extensions,
Greek, Cyrillic, Armenian, Georgian.
"""

from __future__ import annotations

_CASED = [chr(point) for point in range(0x2000)]
#: Every capital (titlecase `ǅ` too), as a character-class body: `[{CAPITALS}]`.
CAPITALS = "".join(c for c in _CASED if c.isupper() or c.istitle())
#: Every small letter, as a character-class body.
SMALL = "".join(c for c in _CASED if c.islower())
del _CASED

#: How the older patterns spell "a capital" and "a small letter" inside a class.
LATIN_CAPITALS = "A-ZÀ-Þ"
LATIN_SMALL = "a-zà-ÿ"


def alphabets(pattern: str) -> str:
    """`pattern` with `A-ZÀ-Þ` read as every capital and `a-zà-ÿ` as every small letter,
    so a pattern keeps reading like the Latin one it was written as."""
    return pattern.replace(LATIN_CAPITALS, CAPITALS).replace(LATIN_SMALL, SMALL)
