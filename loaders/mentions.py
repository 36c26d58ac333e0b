"""Finding theories, strategies and places named in a sentence.

Theory and strategy labels come from the SKOS schemes in ontology/ (a researcher extends
them there, or a store's `extensions/*.ttl`); places come from loaders/places.py; named
concepts the schemes lack come from loaders/discovery.py as candidates. A `Reader` does
all three for one document, which it needs whole: its lower-case words tell a city name
from a common word, and an acronym it introduced is known in later sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from citegraph.loaders.discovery import Discovery
from citegraph.loaders.places import Ambiguous, find_places
from citegraph.loaders.records import ConceptKind
from citegraph.ontology.vocabulary import concepts, extensions


@dataclass(frozen=True)
class Found:
    kind: ConceptKind
    concept: str
    text: str
    start: int
    candidate: bool = False  # a named concept in no scheme (see loaders/discovery.py)
    label: str | None = None  # a candidate's normalised name


@dataclass
class Scan:
    """What one sentence names: concepts, and place names it could not settle alone."""

    found: list[Found] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)


def _alternation(labels: list[str]) -> str:
    return "|".join(re.escape(label) for label in sorted(set(labels), key=len, reverse=True))


@cache
def _patterns(
    _extensions: tuple[tuple[str, str], ...],
) -> list[tuple[ConceptKind, re.Pattern[str], dict[str, str]]]:
    """One compiled regex per kind, for the schemes in force (the cache key); acronyms
    (all capitals) match case-sensitively."""
    result: list[tuple[ConceptKind, re.Pattern[str], dict[str, str]]] = []
    kinds: tuple[ConceptKind, ...] = ("theory", "strategy")
    for kind in kinds:
        lookup: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for concept in concepts():
            if concept.kind != kind:
                continue
            for label in concept.labels:
                if label.isupper():
                    acronyms[label] = concept.id
                else:
                    lookup.setdefault(label.casefold(), concept.id)
        for label, concept_id in list(lookup.items()):  # after every label: those win
            for variant in _head_variants(label):
                lookup.setdefault(variant, concept_id)
        pattern = rf"\b(?:(?i:{_alternation(list(lookup))})|{_alternation(list(acronyms))})\b"
        result.append((kind, re.compile(pattern), {**lookup, **acronyms}))
    return result


#: The heads a theory's name takes interchangeably: Cohen and Felson's routine activity
#: theory is their "routine activity approach", Hindelang's lifestyle-exposure theory a
#: "lifestyle-exposure model", the life-course perspective a "life-course paradigm".
INTERCHANGEABLE_HEADS = ("theory", "model", "perspective", "paradigm", "approach", "framework")


def _head_variants(label: str) -> list[str]:
    """A folded label ending in one of the heads, with each of the others instead."""
    stem, _, head = label.rpartition(" ")
    if not stem or head not in INTERCHANGEABLE_HEADS:
        return []
    return [f"{stem} {other}" for other in INTERCHANGEABLE_HEADS if other != head]


def _scheme(sentence: str) -> list[tuple[Found, int]]:
    """Theories and strategies of the schemes, with where each match ends."""
    found = []
    kind: ConceptKind
    for kind, pattern, lookup in _patterns(extensions()):
        for match in pattern.finditer(sentence):
            text = match.group(0)
            concept_id = lookup.get(text) or lookup.get(text.casefold())
            if concept_id is not None:
                found.append((Found(kind, concept_id, text, match.start()), match.end()))
    return found


def _once(found: list[Found]) -> list[Found]:
    """Each concept once (its first mention), in order of appearance; a candidate once
    per printed form, so that `MAUP` beside its long form becomes an alternative label."""
    first: dict[tuple[str, str, str], Found] = {}
    for item in sorted(found, key=lambda f: f.start):
        first.setdefault((item.kind, item.concept, item.text if item.candidate else ""), item)
    return sorted(first.values(), key=lambda f: f.start)


def find_mentions(sentence: str) -> list[Found]:
    """Every scheme concept and unambiguous place the sentence names, each once."""
    places, _ = find_places(sentence)
    scheme = [item for item, _ in _scheme(sentence)]
    return _once(scheme + [Found("place", p.concept, p.text, p.start) for p in places])


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans blanked, positions kept (`Santos` in `(Pazinato & Santos,
    2024)` is an author, not the Brazilian city)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@dataclass
class Reader:
    """One document's mention finder."""

    words: frozenset[str] = frozenset()  # the document's lower-case words
    names: frozenset[str] = frozenset()  # the words of its authors' names
    discovery: Discovery = field(default_factory=Discovery)
    discover: bool = True

    @classmethod
    def of(cls, text: str, names: Iterable[str] = (), discover: bool = True) -> Reader:
        words = frozenset(re.findall(r"\b[a-zà-ÿ][\w'-]*\b", text))
        parts = frozenset(part for name in names for part in name.split() if part[:1].isupper())
        return cls(words, parts, Discovery(), discover)

    def scan(
        self, sentence: str, citations: Sequence[tuple[int, int]] = (), discover: bool = True
    ) -> Scan:
        """Concepts and places of a sentence; `citations` are spans holding citations,
        where no place or candidate is read; `discover` looks for candidates too."""
        spans = list(citations)
        scheme = _scheme(sentence)
        places, ambiguous = find_places(_masked(sentence, spans), self.words, self.names)
        found = [item for item, _ in scheme]
        found += [Found("place", p.concept, p.text, p.start) for p in places]
        if self.discover and discover:
            # a place is no part of a concept's name (`the Mexican legal framework`)
            blocked = spans + [(item.start, end) for item, end in scheme]
            blocked += [(p.start, p.start + len(p.text)) for p in places]
            for candidate in self.discovery.find(sentence, blocked):
                found.append(
                    Found(
                        "theory",
                        candidate.id,
                        candidate.text,
                        candidate.start,
                        True,
                        candidate.label,
                    )
                )
        return Scan(_once(found), ambiguous)
