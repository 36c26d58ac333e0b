"""Normal forms used to decide that two spellings name the same thing."""

from __future__ import annotations

import re
from functools import lru_cache

from citegraph.loaders.parsing.folding import fold

_RUN_OF_INITIALS = re.compile(r"[A-Z]{2,3}")


@lru_cache(maxsize=1 << 16)
def initials(given: str | None) -> str:
    """`Ronald V.`, `R. V.` and Web of Science's `RV` all give `rv`; `Jean-Paul` gives `jp`.
    (Cached: a build asks for every author's several times, and given names repeat.)"""
    if not given:
        return ""
    given = given.strip()
    if _RUN_OF_INITIALS.fullmatch(given):
        return given.lower()
    return "".join(part[0] for part in fold(given).split())


_DOI_PREFIX = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)")


@lru_cache(maxsize=1 << 16)
def doi(value: str | None) -> str | None:
    """Lower-case DOI without resolver prefix or trailing punctuation (cached: identity
    asks for every record's several times)."""
    if not value:
        return None
    cleaned = _DOI_PREFIX.sub("", value.strip().lower()).rstrip(".,;)")
    return cleaned if cleaned.startswith("10.") else None
