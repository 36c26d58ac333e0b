"""Exports of the graph, or of a subgraph, to the formats other tools read.

RDF formats (`ttl`, `jsonld`) write the store's own triples; every other format writes the
property graph of graph/property_graph.py, so Neo4j, Gephi, a spreadsheet and the JSON
export all see the same labels, types and properties. A subgraph is chosen once with
graph/subgraph.py and every format writes exactly the nodes and relationships it kept.

Writers yield text chunks: the line-based formats (json, cypher, graphml, gexf) stream.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

import orjson
import pyoxigraph

from citegraph.graph.export_bibliography import write_bibtex, write_ris
from citegraph.graph.export_csl import write_csl_json
from citegraph.graph.export_csv import write_csv, write_files
from citegraph.graph.export_cypher import write_cypher
from citegraph.graph.minting import digest
from citegraph.graph.property_graph import (
    Node,
    PropertyGraph,
    Relationship,
    to_property_graph,
)
from citegraph.graph.store import Snapshot, Store
from citegraph.graph.subgraph import SubgraphFilter, is_whole, select
from citegraph.ontology.namespaces import (
    CG,
    CITO,
    DATA,
    DCTERMS,
    FABIO,
    FOAF,
    PLACE,
    PRISM,
    PRO,
    PROV,
    RDF,
    RDFS,
    SKOS,
    STRATEGY,
    THEORY,
    XSD,
)

if TYPE_CHECKING:  # each writer imports its library itself: a json export loads none of them
    import networkx as nx

FORMATS: tuple[str, ...] = (
    "ttl",
    "jsonld",
    "json",
    "graphml",
    "gexf",
    "csv",
    "cypher",
    "bibtex",
    "ris",
    "csl-json",
    "vosviewer",
)
#: Formats written as several files, to a directory or a zip.
FILE_SET_FORMATS: tuple[str, ...] = ("csv", "vosviewer")
#: Formats written as one file (or to stdout).
TEXT_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f not in FILE_SET_FORMATS)
RDF_FORMATS = ("ttl", "jsonld")

#: Prefixes of the Turtle export and the JSON-LD @context.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "fabio": str(FABIO),
    "cito": str(CITO),
    "pro": str(PRO),
    "prism": str(PRISM),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "cg": str(CG._NS),
    "theory": str(THEORY),
    "strategy": str(STRATEGY),
    "place": str(PLACE),
    **{
        kind: f"{DATA}{kind}/"
        for kind in (
            "work",
            "person",
            "organization",
            "venue",
            "finding",
            "citation",
            "statement",
            "source",
        )
    },
}

GraphSource: TypeAlias = Store | Snapshot | pyoxigraph.Store | PropertyGraph


@dataclass(frozen=True)
class Selection:
    """What a writer needs: the kept part, and `full`, which holds at least the kept part
    and the authors (AUTHORED and agents) of its works, so references stay complete;
    `nodes` tells which of some IRIs are graph nodes (for links to dropped nodes).

    `full` is read from the store when a writer first asks for it (bibliographies do;
    json, graphml and the like write `kept` alone): the bylines of a theory's 3.3k works
    at 300k works are most of such an export's reads."""

    complete: Callable[[], PropertyGraph]
    kept: PropertyGraph
    rdf: pyoxigraph.Store | None
    whole: bool
    nodes: Callable[[Collection[str]], set[str]]

    @cached_property
    def full(self) -> PropertyGraph:
        return self.complete()


@dataclass(frozen=True)
class ExportResult:
    format: str
    nodes: int
    relationships: int
    works: int


def export(
    source: GraphSource, fmt: str, out: Path | str | TextIO, f: SubgraphFilter | None = None
) -> ExportResult:
    """Write the (sub)graph of `source` as `fmt` to a path or an open text stream.

    `source` is a citegraph Store, its pyoxigraph store, or a property graph (which has
    no triples, so it cannot give `ttl` or `jsonld`). csv needs a path: a directory, or a
    `.zip` file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    selection = _selection(source, fmt, f or SubgraphFilter())
    if not selection.kept.nodes:
        raise ValueError("the filters leave no nodes to export; loosen them")
    if fmt == "csv":
        if not isinstance(out, str | Path):
            raise ValueError("csv export writes several files: give a directory or a .zip path")
        write_csv(selection.kept, Path(out))
    elif fmt == "vosviewer":
        if not isinstance(out, str | Path):
            raise ValueError("vosviewer export writes six files: give a directory or a .zip path")
        from citegraph.graph.export_vosviewer import vosviewer_files

        write_files(vosviewer_files(selection), Path(out))
    else:
        write_text(WRITERS[fmt](selection), out)
    works = sum(1 for n in selection.kept.nodes.values() if n.label == "Work")
    return ExportResult(fmt, len(selection.kept.nodes), len(selection.kept.relationships), works)


def _selection(source: GraphSource, fmt: str, f: SubgraphFilter) -> Selection:
    """A store is asked for the kept part only (graph/views/reads.py); a pyoxigraph store
    or a property graph in memory is selected from as a whole."""
    rdf: pyoxigraph.Store | None
    if isinstance(source, Store):
        snapshot = source.snapshot()
        if snapshot is None:
            raise ValueError(f"{source.path}: nothing ingested yet")
        source = snapshot
    if isinstance(source, Snapshot):
        from citegraph.graph.views.pages import merged, works_in
        from citegraph.graph.views.reads import authored
        from citegraph.graph.views.selection import DBAccess, subgraph

        db = source.graph()
        kept = subgraph(db, f)
        rdf = source.rdf() if fmt in RDF_FORMATS else None
        whole = is_whole(f)

        def known(iris: Collection[str]) -> set[str]:
            return set(DBAccess(db).labels(iris))

        def with_bylines() -> PropertyGraph:
            return merged(kept, authored(db, works_in(kept)))

        return Selection(with_bylines, kept, rdf, whole, known)
    if isinstance(source, PropertyGraph):
        if fmt in RDF_FORMATS:
            raise ValueError(f"{fmt} export reads the RDF store; a property graph has no triples")
        rdf, full = None, source
    else:
        rdf = source
        full = to_property_graph(rdf)
    kept = select(full, f)

    def in_full(iris: Collection[str]) -> set[str]:
        return {iri for iri in iris if iri in full.nodes}

    return Selection(lambda: full, kept, rdf, kept is full, in_full)


def write_text(chunks: Iterable[str], out: Path | str | TextIO) -> None:
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(chunks)
    else:
        out.writelines(chunks)


# --- RDF: Turtle and JSON-LD ------------------------------------------------------------

#: Links from a helper resource (reified statement, author role, citation) to the nodes
#: it is about; a helper belongs to a subgraph when all of them are kept.
ANCHORS = frozenset(
    str(p)
    for p in (
        RDF.subject,
        RDF.object,
        PRO.isHeldBy,
        PRO.relatesToDocument,
        CITO.hasCitingEntity,
        CITO.hasCitedEntity,
    )
)


def rdf_triples(selection: Selection) -> list[pyoxigraph.Triple]:
    """The store's triples, or for a subgraph those describing what it kept.

    Kept: triples about kept nodes (minus links to dropped nodes), about the statements,
    author roles and citations whose anchors are all kept, and about the source locations
    any of those derive from. A subgraph reads only those subjects' triples.
    """
    rdf = selection.rdf
    assert rdf is not None
    if selection.whole:
        return [q.triple for q in rdf.quads_for_pattern(None, None, None, None)]
    keep = selection.kept.nodes

    def about(subject: str) -> list[pyoxigraph.Quad]:
        return list(rdf.quads_for_pattern(pyoxigraph.NamedNode(subject), None, None, None))

    by_subject = {iri: about(iri) for iri in keep}
    helpers: dict[str, list[pyoxigraph.Quad]] = {}
    for iri in keep:
        for quad in rdf.quads_for_pattern(None, None, pyoxigraph.NamedNode(iri), None):
            subject = _term(quad.subject)
            if quad.predicate.value in ANCHORS and subject not in keep and subject not in helpers:
                quads = list(rdf.quads_for_pattern(quad.subject, None, None, None))
                helpers[subject] = quads if _anchored(quads, keep) else []
    helpers = {s: qs for s, qs in sorted(helpers.items()) if qs}
    derived = str(PROV.wasDerivedFrom)
    chosen = [*by_subject.values(), *helpers.values()]
    sources = sorted({_term(q.object) for qs in chosen for q in qs if q.predicate.value == derived})
    chosen += [about(source) for source in sources]
    linked = {
        _term(q.object)
        for qs in chosen
        for q in qs
        if isinstance(q.object, pyoxigraph.NamedNode) and _term(q.object) not in keep
    }
    dropped = selection.nodes(linked)
    return [
        q.triple
        for qs in chosen
        for q in qs
        if not (isinstance(q.object, pyoxigraph.NamedNode) and _term(q.object) in dropped)
    ]


def _term(term: object) -> str:
    """The IRI, blank node id or literal text of an RDF term."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def _anchored(quads: list[pyoxigraph.Quad], keep: dict[str, Node]) -> bool:
    anchors = [_term(q.object) for q in quads if q.predicate.value in ANCHORS]
    return bool(anchors) and all(a in keep for a in anchors)


def write_turtle(selection: Selection) -> Iterator[str]:
    data = pyoxigraph.serialize(
        rdf_triples(selection), format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES
    )
    assert data is not None
    yield data.decode("utf-8")


def write_jsonld(selection: Selection) -> Iterator[str]:
    """Compacted with our prefixes as @context (rdflib compacts; pyoxigraph only expands)."""
    import rdflib

    ntriples = pyoxigraph.serialize(rdf_triples(selection), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert ntriples is not None
    graph = rdflib.Graph()
    graph.parse(data=ntriples.decode("utf-8"), format="nt")
    yield graph.serialize(format="json-ld", context=PREFIXES, indent=2)


# --- property-graph formats ---------------------------------------------------------------


def relationship_id(rel: Relationship) -> str:
    """Stable across exports and subgraphs (unlike Neo4j's internal ids)."""
    return digest(rel.start, rel.type, rel.end)


def _endpoint(node: Node) -> dict[str, Any]:
    return {"id": node.iri, "labels": [node.label], "properties": {"iri": node.iri}}


def write_json(selection: Selection) -> Iterator[str]:
    """APOC's JSON-lines export shape: every node, then every relationship, one per line."""
    pg = selection.kept
    for node in pg.nodes.values():
        yield _json_line(
            {"type": "node", "id": node.iri, "labels": [node.label], "properties": node.properties}
        )
    for rel in pg.relationships:
        yield _json_line(
            {
                "type": "relationship",
                "id": relationship_id(rel),
                "label": rel.type,
                "properties": rel.properties,
                "start": _endpoint(pg.nodes[rel.start]),
                "end": _endpoint(pg.nodes[rel.end]),
            }
        )


def _json_line(data: dict[str, Any]) -> str:
    """orjson, not the standard encoder: a theory's 9k lines took 0.13 s of a 1.1 s export
    at 10k Scopus rows x 30 references; the lines are compact, as APOC's are."""
    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE).decode()


def _flat(properties: dict[str, Any]) -> dict[str, Any]:
    """GraphML and GEXF hold scalars only: lists become JSON text."""
    return {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
        for k, v in properties.items()
    }


def flat_networkx(pg: PropertyGraph, *, gexf: bool) -> nx.MultiDiGraph:
    """The property graph with scalar attributes, labelled as APOC's GraphML export does.

    Nodes carry `labels` (":Work"), edges `label` ("CITES"). In GEXF the node `label` is
    the display name Gephi shows.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri, node in pg.nodes.items():
        attrs = {"labels": f":{node.label}", **_flat(node.properties)}
        if gexf:
            attrs["label"] = node.name
        graph.add_node(iri, **attrs)
    for rel in pg.relationships:
        graph.add_edge(rel.start, rel.end, key=rel.type, label=rel.type, **_flat(rel.properties))
    return graph


def write_graphml(selection: Selection) -> Iterator[str]:
    import networkx as nx

    for line in nx.generate_graphml(flat_networkx(selection.kept, gexf=False)):
        yield line + "\n"


def write_gexf(selection: Selection) -> Iterator[str]:
    import networkx as nx

    for line in nx.generate_gexf(flat_networkx(selection.kept, gexf=True)):
        yield line + "\n"


WRITERS: dict[str, Callable[[Selection], Iterable[str]]] = {
    "ttl": write_turtle,
    "jsonld": write_jsonld,
    "json": write_json,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "cypher": write_cypher,
    "bibtex": write_bibtex,
    "ris": write_ris,
    "csl-json": write_csl_json,
}
