"""Candidate concepts: the named theories and approaches found in texts that no scheme
holds yet, listed for a researcher and promoted into the store's scheme extension.

Discovery (loaders/discovery.py) makes them `Theory` nodes flagged `candidate`; this
module reads them from the store's graph, and writes the chosen ones as SKOS concepts
into `<store>/extensions/concepts.ttl`, which every later ingest and build of the store
reads beside the shipped schemes. A promoted concept keeps its IRI, so the works and
findings already linked to it stay linked, now to a scheme concept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import rdflib

from citegraph.graph.store import Store
from citegraph.graph.store.extensions import promoted_file
from citegraph.graph.store.sources import write_durably
from citegraph.ontology.namespaces import CG, SKOS, THEORY

CANDIDATES = """
MATCH (t:Theory) WHERE 'candidate' IN t.flags
OPTIONAL MATCH (w:Work)-[:USES_THEORY]->(t)
WITH t, count(DISTINCT w) AS works
OPTIONAL MATCH (f:Finding)-[:ABOUT]->(t)
RETURN t.iri AS iri, t.name AS name, t.aliases AS aliases, t.sources AS sources,
       works, count(DISTINCT f) AS findings
ORDER BY works DESC, name
"""
HEADER = """# Concepts this store adds to citegraph's schemes (ontology/*.ttl), read by every
# ingest of the store. `citegraph concepts --promote` writes here; edit freely: add a
# skos:definition, alternative labels, cg:derivesFrom lineage, cg:foundingReference.
"""


@dataclass(frozen=True)
class Candidate:
    """A candidate concept with how often the store's texts use it and where."""

    id: str
    name: str
    aliases: tuple[str, ...]
    works: int  # works linked to it (the reviews naming it and the works cited beside it)
    findings: int
    sources: tuple[str, ...]  # file:line places it was read from

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "works": self.works,
            "findings": self.findings,
            "mentions": len(self.sources),
            "sources": list(self.sources),
        }


def candidates(db: Any) -> list[Candidate]:
    """The candidates of a store version's graph database, most used first."""
    found = []
    for row in db.rows(CANDIDATES):
        iri = str(row["iri"])
        found.append(
            Candidate(
                id=iri.removeprefix(str(THEORY)),
                name=str(row["name"]),
                aliases=tuple(row["aliases"] or ()),
                works=int(row["works"]),
                findings=int(row["findings"]),
                sources=tuple(row["sources"] or ()),
            )
        )
    return found


@dataclass(frozen=True)
class Promotion:
    path: Path
    promoted: list[str]
    unknown: list[str]  # ids asked for that are no candidate of this store


def promote(store: Store, ids: Sequence[str] | None, wait: float = 60) -> Promotion:
    """Write the candidates `ids` (None: all of them) into the store's extension file.

    Holds the store's write lock, so no ingest reads the file half-changed; the graph
    shows them as scheme concepts from the next ingest on."""
    snapshot = store.snapshot()
    found = {c.id: c for c in candidates(snapshot.graph())} if snapshot else {}
    wanted = list(found) if ids is None else list(dict.fromkeys(ids))
    chosen = [found[i] for i in wanted if i in found]
    path = promoted_file(store.path)
    with store.writer(wait):
        graph = rdflib.Graph()
        graph.bind("cg", str(CG._NS))
        graph.bind("skos", str(SKOS))
        graph.bind("th", str(THEORY))
        if path.is_file():
            graph.parse(path, format="turtle")
        for candidate in chosen:
            _describe(graph, candidate)
        if chosen:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_durably(path, HEADER + graph.serialize(format="turtle"))
    return Promotion(path, [c.id for c in chosen], [i for i in wanted if i not in found])


def _describe(graph: rdflib.Graph, candidate: Candidate) -> None:
    term = rdflib.URIRef
    node = term(THEORY[candidate.id])
    graph.add((node, rdflib.RDF.type, term(CG.Theory)))
    graph.add((node, rdflib.RDF.type, term(SKOS.Concept)))
    graph.add((node, term(SKOS.inScheme), term(str(THEORY))))
    graph.set((node, term(SKOS.prefLabel), rdflib.Literal(candidate.name, lang="en")))
    for alias in candidate.aliases:
        graph.add((node, term(SKOS.altLabel), rdflib.Literal(alias, lang="en")))
    first = candidate.sources[0] if candidate.sources else "a text"
    note = f"Promoted from a candidate on {date.today().isoformat()}; first read at {first}."
    graph.set((node, term(SKOS.editorialNote), rdflib.Literal(note, lang="en")))
