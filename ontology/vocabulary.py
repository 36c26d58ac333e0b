"""The concept schemes (theories, strategies, regions) as plain data for matchers.

Loaders must not touch RDF, yet they need the labels a researcher keeps in the Turtle
files; this module reads the schemes once and hands out frozen dataclasses.

The shipped schemes can be extended without code: Turtle files given to `extended` (a
store's `extensions/*.ttl`, where `citegraph concepts --promote` writes) are read beside
them for as long as the block runs. The set of files in force is a context variable, so
two stores used one after the other in one process never see each other's additions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import rdflib

from citegraph.ontology.namespaces import CG, DATABASE, DCTERMS, PLACE, SKOS, STRATEGY, THEORY

SCHEME_FILES = ("theories.ttl", "strategies.ttl", "places.ttl")

#: Extension files in force: (path, sha256 of its bytes), the key of every cache below,
#: so an extension rewritten in place is read again.
_EXTENSIONS: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("scheme_extensions", default=())


@dataclass(frozen=True)
class Founding:
    """A founding work as the scheme prints it, and where (file and line) it is printed."""

    reference: str
    file: str
    line: int


@dataclass(frozen=True)
class Concept:
    """A theory, a strategy or a region, with every label it may be written as."""

    id: str
    kind: str  # "theory" | "strategy" | "place"
    iri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    definition: str | None = None
    derives_from: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    founding: tuple[Founding, ...] = ()
    textbook: str | None = None  # dcterms:source: where definition and lineage were checked
    member_codes: tuple[str, ...] = ()
    scheme_file: str = ""  # the file it was read from, as provenance shows it

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)

    @property
    def founding_reference(self) -> str | None:
        return self.founding[0].reference if self.founding else None


def ontology_path(name: str) -> str:
    return str(files("citegraph.ontology") / name)


@contextmanager
def extended(paths: Iterable[Path]) -> Iterator[None]:
    """Within the block, the schemes include these Turtle files (missing ones are skipped)."""
    key = tuple(
        (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(paths)
        if path.is_file()
    )
    token = _EXTENSIONS.set(key)
    try:
        yield
    finally:
        _EXTENSIONS.reset(token)


def extensions() -> tuple[tuple[str, str], ...]:
    """The extension files in force, with their content digests (empty: shipped schemes)."""
    return _EXTENSIONS.get()


def _sources(extra: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """(file to parse, file as provenance names it) for the shipped schemes and extras."""
    shipped = [(ontology_path(name), f"ontology/{name}") for name in SCHEME_FILES]
    return shipped + [(path, path) for path, _ in extra]


def _line_of(text: str, needle: str) -> int:
    """The line of a Turtle file where a reference is printed (for provenance)."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle[:60] in line:
            return number
    return 1


def _local(iri: str, base: str) -> str:
    return iri[len(base) :] if iri.startswith(base) else iri


KINDS = (
    (CG.Theory, "theory", str(THEORY)),
    (CG.Strategy, "strategy", str(STRATEGY)),
    (CG.Region, "place", str(PLACE)),
)


def _read(path: str, shown: str) -> list[Concept]:
    graph = rdflib.Graph().parse(path, format="turtle")
    text = Path(path).read_text(encoding="utf-8")
    found: list[Concept] = []
    for cls, kind, base in KINDS:
        for subject in graph.subjects(rdflib.RDF.type, rdflib.URIRef(cls)):

            def values(pred: str, s: rdflib.term.Node = subject) -> list[str]:
                return sorted(str(o) for o in graph.objects(s, rdflib.URIRef(pred)))

            pref = values(SKOS.prefLabel)
            definition = values(SKOS.definition)
            textbook = values(DCTERMS.source)
            codes = values(CG.memberCodes)
            founding = tuple(
                Founding(ref, shown, _line_of(text, ref)) for ref in values(CG.foundingReference)
            )
            found.append(
                Concept(
                    id=_local(str(subject), base),
                    kind=kind,
                    iri=str(subject),
                    label=pref[0] if pref else _local(str(subject), base),
                    alt_labels=tuple(values(SKOS.altLabel)),
                    definition=definition[0] if definition else None,
                    derives_from=tuple(_local(v, str(THEORY)) for v in values(CG.derivesFrom)),
                    broader=tuple(_local(v, base) for v in values(SKOS.broader)),
                    founding=tuple(sorted(founding, key=lambda f: f.line)),
                    textbook=textbook[0] if textbook else None,
                    member_codes=tuple(codes[0].split()) if codes else (),
                    scheme_file=shown,
                )
            )
    return found


@cache
def _concepts(extra: tuple[tuple[str, str], ...]) -> tuple[Concept, ...]:
    """Shipped concepts first; an extension may add concepts but never replaces one."""
    by_key: dict[tuple[str, str], Concept] = {}
    for path, shown in _sources(extra):
        for concept in _read(path, shown):
            by_key.setdefault((concept.kind, concept.id), concept)
    return tuple(sorted(by_key.values(), key=lambda c: (c.kind, c.id)))


@cache
def _index(extra: tuple[tuple[str, str], ...]) -> dict[tuple[str, str], Concept]:
    return {(c.kind, c.id): c for c in _concepts(extra)}


def concepts() -> tuple[Concept, ...]:
    """Every concept of the schemes in force, sorted by kind and id."""
    return _concepts(_EXTENSIONS.get())


def concept(kind: str, concept_id: str) -> Concept | None:
    return _index(_EXTENSIONS.get()).get((kind, concept_id))


@dataclass(frozen=True)
class Database:
    """A bibliographic database or register, with its printed names and, when citegraph
    reads its own export format, that loader's name."""

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    export_format: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)


@cache
def databases() -> tuple[Database, ...]:
    """The databases of ontology/databases.ttl, sorted by id."""
    graph = rdflib.Graph().parse(ontology_path("databases.ttl"), format="turtle")
    found = []

    def values(subject: rdflib.term.Node, pred: str) -> list[str]:
        return sorted(str(o) for o in graph.objects(subject, rdflib.URIRef(pred)))

    for subject in graph.subjects(rdflib.RDF.type, rdflib.URIRef(CG.BibliographicDatabase)):
        pref = values(subject, SKOS.prefLabel)
        formats = values(subject, CG.exportFormat)
        found.append(
            Database(
                id=_local(str(subject), str(DATABASE)),
                label=pref[0],
                alt_labels=tuple(values(subject, SKOS.altLabel)),
                export_format=formats[0] if formats else None,
            )
        )
    return tuple(sorted(found, key=lambda d: d.id))
