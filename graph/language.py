"""The language of a title, offline: what the method audit compares language claims with.

Why py3langid (pinned in pyproject.toml): its model ships inside the wheel (4.6 MB, no
download at run time), it is deterministic (naive Bayes over byte n-grams, no random
seed to fix, unlike langdetect), it needs only numpy, which citegraph has already, and
on short titles it agrees with lingua-language-detector, whose wheel is 96 MB. Titles are
short, so detection is limited to the main languages of scholarship plus the ones the
review itself names, and a guess below `CONFIDENCE` (or on a title of one or two words)
is no answer rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

#: ISO 639-1 codes always considered (most scholarly titles are in one of these).
SCHOLARLY = ("en", "es", "pt", "fr", "de", "it", "nl", "ru", "zh", "ja")
CONFIDENCE = 0.5


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detector(also: Iterable[str] = ()) -> Any:
    """The identifier, limited to the scholarly languages and `also` (ISO 639-1 codes)."""
    identifier = _identifier()
    known = set(identifier.nb_classes)
    identifier.set_languages(sorted({*SCHOLARLY, *also} & known))
    return identifier


def title_language(title: str | None, identifier: Any) -> str | None:
    """The ISO 639-1 code of a title's language, or None when too short or unsure."""
    if not title or len(title.split()) < 3:
        return None
    code, confidence = identifier.classify(title)
    return str(code) if confidence >= CONFIDENCE else None
