"""The reads behind the pages and listings: a rendered subgraph, a theory's lineage, the
evidence map. Each asks the store's database for the part of the graph its writer reads
(graph/render.py, graph/lineage.py, graph/evidence.py) and hands that writer a
`PropertyGraph` holding just that part, so the writers' rules stay in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from citegraph.graph.name_lookup import resolve_in
from citegraph.graph.property_graph import Node, PropertyGraph, Relationship
from citegraph.graph.store.graphdb import GraphDB
from citegraph.graph.subgraph import SubgraphFilter
from citegraph.graph.views.reads import authored, bylines, induced, nodes, relationships
from citegraph.graph.views.selection import DBAccess, selected


def merged(*graphs: PropertyGraph) -> PropertyGraph:
    """One graph holding the nodes and (distinct) relationships of all of `graphs`."""
    found: dict[str, Node] = {}
    rels: dict[tuple[str, str, str], Relationship] = {}
    for pg in graphs:
        found.update(pg.nodes)
        rels.update((r.key, r) for r in pg.relationships)
    return PropertyGraph(dict(sorted(found.items())), sorted(rels.values(), key=lambda r: r.key))


def works_in(pg: PropertyGraph) -> list[str]:
    return [iri for iri, n in pg.nodes.items() if n.label == "Work"]


@dataclass(frozen=True)
class Chosen:
    """A page's subgraph, the author names of its works in byline order (whether the
    subgraph kept the people or not), and how many nodes its focus walk left out."""

    graph: PropertyGraph
    bylines: dict[str, list[str]]
    left_out: int


def chosen(db: GraphDB, f: SubgraphFilter) -> Chosen:
    kept, left_out = selected(db, f)
    return Chosen(kept, bylines(db, works_in(kept)), left_out)


def _walk(start: str, step: dict[str, list[str]]) -> set[str]:
    seen, frontier = {start}, [start]
    while frontier:
        frontier = [o for iri in frontier for o in step.get(iri, []) if o not in seen]
        seen.update(frontier)
    return seen


def lineage_graph(db: GraphDB, theory: str) -> PropertyGraph:
    """What graph/lineage.py reads for one theory: every theory and DERIVES_FROM (a small
    scheme), the founding and using works of the theory's family with every relationship
    among them, and those works' authors."""
    theories = nodes(db, ["Theory"])
    derives = relationships(db, ["DERIVES_FROM"])
    root = resolve_in(theories, theory, ("Theory",))
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for rel in derives:
        parents[rel.start].append(rel.end)
        children[rel.end].append(rel.start)
    family = _walk(root, parents) | _walk(root, children)
    access = DBAccess(db)
    works = access.starts("USES_THEORY", family) | access.ends("PROPOSED_IN", family)
    labels = {**dict.fromkeys(works, "Work"), **dict.fromkeys(theories, "Theory")}
    around = induced(db, set(theories) | works, labels)
    return merged(around, authored(db, works))


def evidence_graph(db: GraphDB) -> PropertyGraph:
    """What graph/evidence.py reads: every finding and strategy, what the findings are
    about and where, the works reporting them (with their theories and authors)."""
    findings = nodes(db, ["Finding"])
    about_in = relationships(db, ["ABOUT", "IN"])
    reports = relationships(db, ["REPORTS"], ending_in=list(findings))
    works = {r.start for r in reports}
    uses = [r for r in relationships(db, ["USES_THEORY"]) if r.start in works]
    ends = {r.end for r in [*about_in, *uses]} | works
    by_label: dict[str, list[str]] = defaultdict(list)
    for iri, label in DBAccess(db).labels(ends).items():
        by_label[label].append(iri)
    found = {**findings, **nodes(db, ["Strategy"])}
    for label, iris in by_label.items():
        found.update(nodes(db, [label], iris))
    found = dict(sorted(found.items()))
    pg = PropertyGraph(found, sorted([*about_in, *reports, *uses], key=lambda r: r.key))
    return merged(pg, authored(db, works))
