"""The selection rules of graph/subgraph.py asked as queries of the store's database.

`DBAccess` answers what the rules ask (a name, a frontier's neighbours, labels, years)
breadth-first, one hop per query with the frontier as a list parameter, never a
variable-length pattern, which explodes around a work cited thousands of times; the
subgraph is then read with graph/views/reads.py, each label's table once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from citegraph.graph.name_lookup import (
    NAMING_PROPERTIES,
    by_doi,
    fuzzy_in,
    resolve_in,
    split_label,
)
from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold
from citegraph.graph.property_graph import (
    LABEL_NAMES,
    Node,
    PropertyGraph,
    cypher_label,
    cypher_type,
)
from citegraph.graph.store.graphdb import LOOKUP_COLUMN, GraphDB, node_columns
from citegraph.graph.subgraph import (
    Adjacency,
    SubgraphFilter,
    check,
    is_whole,
    kept_nodes,
)
from citegraph.graph.views.reads import (
    as_node,
    by_iris,
    columns_for,
    induced,
    node_counts,
    offsets,
    offsets_by_iri,
    whole,
)

__all__ = ["DBAccess", "selected", "subgraph"]


class DBAccess:
    """`GraphAccess` (graph/subgraph.py) as queries against the store's database; labels
    seen on the way are remembered, so the final read asks each label's table once."""

    def __init__(self, db: GraphDB) -> None:
        self.db = db
        self.known: dict[str, str] = {}  # iri -> label
        self.fetched = 0  # rows read, for tests that a focused read stays local

    def _ask(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.db.arrow(cypher, params).to_pylist()
        self.fetched += len(rows)
        return rows

    def resolve(self, text: str, labels: tuple[str, ...] = ()) -> str:
        prefixed, bare = split_label(text.strip())
        wanted = labels or prefixed or LABEL_NAMES
        # every IRI has a scheme; a name without a colon spares probing every table
        # (30-60 ms at 300k works)
        found = self.labels([bare]) if ":" in bare else {}
        if bare in found and found[bare] in wanted:
            return bare
        wanted_doi = normal_doi(bare)
        if wanted_doi:
            return by_doi(self._by_doi(wanted, wanted_doi), bare, wanted_doi)
        key = fold(bare)
        if not key:
            raise LookupError(f"{bare!r}: nothing to look up")
        # every exact or partial match holds the key, so the nodes holding it decide
        # those two steps exactly as all nodes would; only the fuzzy one needs them all
        holding, _ = self._naming(wanted, f"WHERE n.`{LOOKUP_COLUMN}` CONTAINS $key", key=key)
        if holding:
            return resolve_in(holding, text, labels)
        every, lookups = self._naming(wanted, columns=("iri", "name"))
        return fuzzy_in(every, text, key, lookups, labels)

    def _naming(
        self,
        labels: Iterable[str],
        where: str = "",
        columns: Collection[str] = NAMING_PROPERTIES,
        **params: Any,
    ) -> tuple[dict[str, Node], dict[str, str]]:
        """Nodes of `labels` matching `where`, with their naming properties, and their
        lookup texts by IRI."""
        found: dict[str, Node] = {}
        lookups: dict[str, str] = {}
        for label in labels:
            wanted = columns_for(label, columns)
            returned = "".join(f", n.{c} AS {c}" for c in wanted)
            for row in self._ask(
                f"MATCH (n:{cypher_label(label)}) {where} "
                f"RETURN n.`{LOOKUP_COLUMN}` AS lookup{returned}",
                **params,
            ):
                found[row["iri"]] = as_node(label, row, wanted)
                lookups[row["iri"]] = row["lookup"] or ""
        return found, lookups

    def _by_doi(self, labels: Iterable[str], wanted: str) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for label in labels:
            if "doi" not in node_columns(label):
                continue
            for row in self._ask(
                f"MATCH (n:{cypher_label(label)}) WHERE n.doi = $doi "
                "RETURN n.iri AS iri, n.name AS name, n.doi AS doi",
                doi=wanted,
            ):
                found[row["iri"]] = as_node(label, row, ("doi",))
        return found

    def neighbours(self, iris: Collection[str], only: Collection[str] = ()) -> Adjacency:
        found: Adjacency = {iri: set() for iri in iris}
        if not found:
            return found
        # the label filter is in the pattern, so the database drops the other neighbours
        # before any row is made (a journal's 75k works: 0.08 s and 75k rows otherwise)
        other = "b:" + "|".join(cypher_label(label) for label in sorted(only)) if only else "b"
        for label, numbers in offsets(self.db, found, self.known).items():
            for row in self._ask(
                f"MATCH (a:{cypher_label(label)})-[]-({other}) WHERE offset(ID(a)) IN $offsets "
                "RETURN a.iri AS a, b.iri AS b, label(b) AS l",
                offsets=numbers,
            ):
                found[row["a"]].add(row["b"])
                self.known[row["b"]] = row["l"]
        return found

    def labels(self, iris: Collection[str]) -> dict[str, str]:
        missing = [iri for iri in iris if iri not in self.known]
        if missing:
            for label, found in offsets_by_iri(self.db, missing).items():
                self.fetched += len(found)
                self.known.update(dict.fromkeys(found, label))
        return {iri: self.known[iri] for iri in iris if iri in self.known}

    def years(self, iris: Collection[str]) -> dict[str, int]:
        if not iris:
            return {}
        head, params = by_iris("(n:Work)", "n", iris, where="n.year IS NOT NULL")
        rows = self._ask(f"{head} RETURN n.iri AS i, n.year AS y", **params)
        return {row["i"]: row["y"] for row in rows}

    def _walk(self, rel_type: str, given: Collection[str], forwards: bool) -> set[str]:
        if not given:
            return set()
        step = f"[:{cypher_type(rel_type)}]"
        pattern = f"(a)-{step}->(b)" if forwards else f"(b)-{step}->(a)"
        head, params = by_iris(pattern, "a", given)
        rows = self._ask(f"{head} RETURN DISTINCT b.iri AS i, label(b) AS l", **params)
        for row in rows:
            self.known[row["i"]] = row["l"]
        return {row["i"] for row in rows}

    def starts(self, rel_type: str, ends: Collection[str]) -> set[str]:
        return self._walk(rel_type, ends, forwards=False)

    def ends(self, rel_type: str, starts: Collection[str]) -> set[str]:
        return self._walk(rel_type, starts, forwards=True)

    def works_in(self, years: tuple[int, int]) -> set[str]:
        rows = self._ask(
            "MATCH (n:Work) WHERE n.year >= $first AND n.year <= $last RETURN n.iri AS i",
            first=years[0],
            last=years[1],
        )
        self.known.update((row["i"], "Work") for row in rows)
        return {row["i"] for row in rows}

    def size(self) -> int:
        return sum(node_counts(self.db).values())

    def with_labels(self, labels: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for label in labels:
            rows = self._ask(f"MATCH (n:{cypher_label(label)}) RETURN n.iri AS i")
            self.known.update((row["i"], label) for row in rows)
            found |= {row["i"] for row in rows}
        return found


def subgraph(db: GraphDB, f: SubgraphFilter, access: DBAccess | None = None) -> PropertyGraph:
    """What `graph/subgraph.select` gives on the whole graph, read as queries: only the
    nodes the filters reach are fetched (no filter: the whole graph)."""
    return selected(db, f, access)[0]


def selected(
    db: GraphDB, f: SubgraphFilter, access: DBAccess | None = None
) -> tuple[PropertyGraph, int]:
    """`subgraph`, and how many nodes its focus walk reached but left out (`max_nodes`)."""
    check(f)
    if is_whole(f) and f.max_nodes is None:
        return whole(db), 0
    access = access or DBAccess(db)
    keep = kept_nodes(access, f)
    if keep.iris is None:
        return whole(db), 0
    return induced(db, keep.iris, access.labels(keep.iris)), keep.left_out
