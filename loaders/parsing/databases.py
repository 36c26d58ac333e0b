"""The bibliographic databases a piece of text names (ontology/databases.ttl).

Case is matched as printed names vary: `Scielo`, `SciELO` and `SCIELO` are one database,
but a label in capitals (`ERIC`, `CENTRAL`) must be printed so, and a capitalised one
(`Dimensions`) must keep its capital, so ordinary words are not taken for databases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from citegraph.ontology.vocabulary import Database, databases


@dataclass(frozen=True)
class Named:
    database: Database
    start: int
    end: int
    printed: str


def _pattern(label: str) -> str:
    words = r"[\s-]+".join(re.escape(w) for w in label.split())
    if label.isupper():
        return words
    if label[:1].islower():
        return f"(?i:{words})"
    return f"{re.escape(label[0])}(?i:{words[len(re.escape(label[0])) :]})"


@cache
def _matchers() -> tuple[tuple[Database, re.Pattern[str]], ...]:
    found = []
    for database in databases():
        # the longest label first, so `SciELO Citation Index` wins over `SciELO`
        labels = sorted(database.labels, key=len, reverse=True)
        alternatives = "|".join(_pattern(label) for label in labels)
        found.append((database, re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")))
    return tuple(found)


def find_databases(text: str) -> list[Named]:
    """Every database named in `text`, in order of appearance, overlaps dropped."""
    hits = [
        Named(database, m.start(), m.end(), m.group(0))
        for database, pattern in _matchers()
        for m in pattern.finditer(text)
    ]
    hits.sort(key=lambda n: (n.start, -(n.end - n.start)))
    kept: list[Named] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def database_named(text: str) -> Database | None:
    """The database a short label (a table row) names, if it names exactly one."""
    found = {n.database.id: n.database for n in find_databases(text)}
    return next(iter(found.values())) if len(found) == 1 else None


def database_of_file(name: str) -> Database | None:
    """The database a file name names, in any case (`scielo-2024.ris`, `WoS_export.txt`)."""
    words = " ".join(re.split(r"[^0-9a-z]+", name.casefold()))
    found = [
        d
        for d in databases()
        if any(
            re.search(
                rf"(?<!\w){re.escape(' '.join(re.split(r'[^0-9a-z]+', label.casefold())))}(?!\w)",
                words,
            )
            for label in d.labels
        )
    ]
    return found[0] if len(found) == 1 else None
