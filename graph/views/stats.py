"""The stats report's questions as queries on the store's database.

Counts and the most cited works are Cypher aggregations; PageRank, betweenness,
co-authorship, co-citation and coupling (graph/analysis.py) get only the rows their
algorithms read: CITES pairs with counts, Person names and AUTHORED pairs, as Arrow.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pyarrow as pa

from citegraph.graph.analysis import CitedWork, Measured, largest_first
from citegraph.graph.property_graph import RELATIONSHIP_TYPES
from citegraph.graph.store.graphdb import GraphDB
from citegraph.graph.views.reads import node_counts, nodes


def counts(db: GraphDB) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type, largest first (ties by name)."""
    labels = node_counts(db)
    types = {
        rel_type: db.rows(f"MATCH ()-[r:`{rel_type}`]->() RETURN count(*) AS n")[0]["n"]
        for rel_type in RELATIONSHIP_TYPES
    }
    return largest_first(labels), largest_first(types)


def most_cited(db: GraphDB, top: int) -> list[CitedWork]:
    """By citing works, then in-text mentions, then name and IRI (as analysis.most_cited)."""
    rows = db.rows(
        "MATCH (:Work)-[r:CITES]->(w:Work) "
        "WITH w, count(*) AS citations, sum(coalesce(r.count, 1)) AS mentions "
        "RETURN w.iri AS iri, w.name AS name, w.year AS year, citations, mentions "
        "ORDER BY citations DESC, mentions DESC, name, iri LIMIT $top",
        {"top": top},
    )
    return [
        CitedWork(r["iri"], r["name"], r["year"], int(r["citations"]), int(r["mentions"]))
        for r in rows
    ]


def citations_per_year(db: GraphDB) -> tuple[dict[int, int], dict[int, int]]:
    """CITES relationships by the citing work's year and by the cited work's year."""
    found = []
    for end in ("a", "b"):
        rows = db.rows(
            f"MATCH (a:Work)-[:CITES]->(b:Work) WHERE {end}.year IS NOT NULL "
            f"RETURN {end}.year AS year, count(*) AS n"
        )
        found.append({int(r["year"]): int(r["n"]) for r in sorted(rows, key=lambda r: r["year"])})
    return found[0], found[1]


def measured(db: GraphDB) -> Measured:
    """The rows graph/analysis.py's algorithms read, nothing else, numbered by the
    database: its node offsets, renumbered in IRI order, so no IRI is hashed in Python."""
    works = db.arrow("MATCH (w:Work) RETURN offset(ID(w)) AS o, w.iri AS iri ORDER BY iri")
    people = db.arrow(
        "MATCH (p:Person) RETURN offset(ID(p)) AS o, p.iri AS iri, p.name AS name ORDER BY iri"
    )
    cites = db.arrow(
        "MATCH (a:Work)-[r:CITES]->(b:Work) "
        "RETURN offset(ID(a)) AS a, offset(ID(b)) AS b, coalesce(r.count, 1) AS n"
    )
    authored = db.arrow(
        "MATCH (p:Person)-[:AUTHORED]->(w:Work) RETURN offset(ID(p)) AS p, offset(ID(w)) AS w"
    )
    work_number, person_number = _renumbering(works), _renumbering(people)

    def column(table: pa.Table, name: str) -> np.ndarray:
        return table.column(name).to_numpy().astype(np.int64)

    def describe(iris: Collection[str]) -> dict[str, tuple[str, int | None]]:
        found = nodes(db, ["Work"], list(iris), ("year",))
        return {
            iri: (n.name, y if isinstance(y := n.properties.get("year"), int) else None)
            for iri, n in found.items()
        }

    return Measured(
        works.column("iri").to_pylist(),
        work_number[column(cites, "a")],
        work_number[column(cites, "b")],
        column(cites, "n"),
        people.column("iri").to_pylist(),
        [name or "" for name in people.column("name").to_pylist()],
        person_number[column(authored, "p")],
        work_number[column(authored, "w")],
        describe,
    )


def _renumbering(table: pa.Table) -> np.ndarray:
    """Database offset -> position in `table` (rows in IRI order)."""
    offsets = table.column("o").to_numpy().astype(np.int64)
    number = np.zeros(int(offsets.max()) + 1 if len(offsets) else 0, dtype=np.int64)
    number[offsets] = np.arange(len(offsets))
    return number
