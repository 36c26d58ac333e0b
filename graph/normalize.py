"""Normal forms used to decide that two spellings name the same thing."""

from __future__ import annotations

import re

from citegraph.loaders.parsing.folding import fold

_RUN_OF_INITIALS = re.compile(r"[A-Z]{2,3}")


def initials(given: str | None) -> str:
    """`Ronald V.`, `R. V.` and Web of Science's `RV` all give `rv`; `Jean-Paul` gives `jp`."""
    if not given:
        return ""
    given = given.strip()
    if _RUN_OF_INITIALS.fullmatch(given):
        return given.lower()
    return "".join(part[0] for part in fold(given).split())


def doi(value: str | None) -> str | None:
    """Lower-case DOI without resolver prefix or trailing punctuation."""
    if not value:
        return None
    cleaned = value.strip().lower()
    cleaned = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", cleaned)
    cleaned = re.sub(r"^doi:\s*", "", cleaned).rstrip(".,;)")
    return cleaned if cleaned.startswith("10.") else None
