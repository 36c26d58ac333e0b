"""The concept schemes (theories, strategies, regions) as plain data for matchers.

Loaders must not touch RDF, yet they need the labels a researcher keeps in the Turtle
files; this module reads the schemes once and hands out frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import rdflib

from citegraph.ontology.namespaces import CG, DATABASE, PLACE, SKOS, STRATEGY, THEORY

SCHEME_FILES = ("theories.ttl", "strategies.ttl", "places.ttl")


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
    founding_reference: str | None = None
    member_codes: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)


def ontology_path(name: str) -> str:
    return str(files("citegraph.ontology") / name)


@cache
def _scheme_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in SCHEME_FILES:
        graph.parse(ontology_path(name), format="turtle")
    return graph


def _local(iri: str, base: str) -> str:
    return iri[len(base) :] if iri.startswith(base) else iri


@cache
def concepts() -> tuple[Concept, ...]:
    """Every concept of the shipped schemes, sorted by kind and id."""
    graph = _scheme_graph()
    kinds = (
        (CG.Theory, "theory", str(THEORY)),
        (CG.Strategy, "strategy", str(STRATEGY)),
        (CG.Region, "place", str(PLACE)),
    )
    found: list[Concept] = []
    for cls, kind, base in kinds:
        for subject in graph.subjects(rdflib.RDF.type, cls):

            def values(pred: rdflib.URIRef, s: rdflib.term.Node = subject) -> list[str]:
                return sorted(str(o) for o in graph.objects(s, pred))

            pref = values(SKOS.prefLabel)
            definition = values(SKOS.definition)
            founding = values(CG.foundingReference)
            codes = values(CG.memberCodes)
            found.append(
                Concept(
                    id=_local(str(subject), base),
                    kind=kind,
                    iri=str(subject),
                    label=pref[0] if pref else _local(str(subject), base),
                    alt_labels=tuple(values(SKOS.altLabel)),
                    definition=definition[0] if definition else None,
                    derives_from=tuple(_local(v, base) for v in values(CG.derivesFrom)),
                    broader=tuple(_local(v, base) for v in values(SKOS.broader)),
                    founding_reference=founding[0] if founding else None,
                    member_codes=tuple(codes[0].split()) if codes else (),
                )
            )
    return tuple(sorted(found, key=lambda c: (c.kind, c.id)))


@cache
def concept(kind: str, concept_id: str) -> Concept | None:
    return next((c for c in concepts() if c.kind == kind and c.id == concept_id), None)


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
    for subject in graph.subjects(rdflib.RDF.type, CG.BibliographicDatabase):
        pref = sorted(str(o) for o in graph.objects(subject, SKOS.prefLabel))
        formats = sorted(str(o) for o in graph.objects(subject, CG.exportFormat))
        found.append(
            Database(
                id=_local(str(subject), str(DATABASE)),
                label=pref[0],
                alt_labels=tuple(sorted(str(o) for o in graph.objects(subject, SKOS.altLabel))),
                export_format=formats[0] if formats else None,
            )
        )
    return tuple(sorted(found, key=lambda d: d.id))
