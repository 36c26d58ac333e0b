"""What the views ask of the store's property-graph database, and nothing more.

Each read returns the contract's `PropertyGraph`/`Node`/`Relationship` (so the writers
work unchanged) holding only what was asked: the nodes of some labels or IRIs, some of
their columns, the relationships of some types among some nodes. A subgraph is chosen by
the rules of graph/subgraph.py, asked here as queries: breadth-first one hop per query
with the frontier as a list parameter, never a variable-length pattern.

Labels, types and column names in query text come only from the contract's constants
(graph/property_graph.py, graph/store/graphdb.py); data always travels as parameters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

import pyarrow as pa

from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.property_graph import (
    ENDPOINTS,
    LABEL_NAMES,
    PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_TYPES,
    Node,
    PropertyGraph,
    Relationship,
    cypher_label,
    cypher_type,
)
from citegraph.graph.store.graphdb import GraphDB, node_columns
from citegraph.graph.subgraph import (
    NAMING_PROPERTIES,
    Adjacency,
    SubgraphFilter,
    by_doi,
    check,
    is_whole,
    kept_nodes,
    resolve_in,
    split_label,
)

__all__ = [
    "DBAccess",
    "authored",
    "nodes",
    "relationships",
    "subgraph",
    "whole",
]


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return table.to_pylist()


# --- nodes ----------------------------------------------------------------------------


def _computed_person_name(props: dict[str, Any]) -> str:
    return " ".join(str(p) for p in (props.get("given"), props.get("family")) if p)


def _node(label: str, row: dict[str, Any], columns: Collection[str]) -> Node:
    """A row as the mapping shapes a node: `iri`, the label's properties in mapping order
    (unset scalars left out, lists always there), `sources`, then the display `name`."""
    props: dict[str, Any] = {"iri": row["iri"]}
    for _, prop, multi in PROPERTIES[label]:
        if prop not in columns:
            continue
        value = row.get(prop)
        if prop == "name":
            # the display name sits where the mapping's own name property does, unless
            # it was composed (a person known only by given and family names)
            if not value or (label == "Person" and value == _computed_person_name(row)):
                continue
        if multi:
            props[prop] = value or []
        elif value is not None:
            props[prop] = value
    if "sources" in columns:
        props["sources"] = row.get("sources") or []
    props["name"] = row.get("name") or ""
    return Node(row["iri"], label, props)


def _columns(label: str, columns: Collection[str] | None) -> list[str]:
    every = node_columns(label)
    if columns is None:
        return every
    wanted = {"iri", "name", *columns}
    if label == "Person" and "name" in wanted:
        wanted |= {"given", "family"}  # to tell a composed name from a recorded one
    return [c for c in every if c in wanted]


#: How to ask for the nodes of a list of IRIs, measured on 10k Scopus rows x 30 references
#: (300k works). A node alone: `UNWIND $iris AS x MATCH (n:Work {iri: x})` probes the
#: primary key, 0.2 ms for 1 IRI and 4 ms for 1000, where `WHERE n.iri IN $iris` scans
#: the table (13 ms, 1.1 s); without a label the probe costs 31-34 ms. A relationship
#: pattern: the UNWIND form is planned as a hash join over the whole table (0.2 s however
#: short the list), `IN` grows with the list times the table (13 ms for 1 IRI, 0.33 s
#: for 300, 1.2 s for 1000); up to this many IRIs `IN` is the faster.
SHORT_LIST = 300
#: Up to this many nodes, the relationships among them are read a start label at a time
#: by table offset (3.3k nodes, a theory's subgraph at 300k works: 0.3 s), rather than a
#: type at a time by IRI (13 queries of 0.2 s).
FEW_NODES = 20_000


def by_iris(pattern: str, var: str, iris: Collection[str], where: str = "") -> tuple[str, dict]:
    """`MATCH pattern` restricted to the nodes `var` whose IRI is in `iris` (and `where`),
    with its parameters: the fastest form for the pattern and the list's length."""
    listed = {"iris": list(iris)}
    alone = "-" not in pattern
    if not alone and len(listed["iris"]) <= SHORT_LIST:
        condition = f"{var}.iri IN $iris" + (f" AND {where}" if where else "")
        return f"MATCH {pattern} WHERE {condition}", listed
    keyed = re.sub(rf"\(({var}(?::[^)\s{{]+)?)\)", r"(\1 {iri: x})", pattern, count=1)
    return f"UNWIND $iris AS x MATCH {keyed}" + (f" WHERE {where}" if where else ""), listed


def offsets(db: GraphDB, iris: Collection[str]) -> dict[str, list[int]]:
    """The table offsets of these nodes, by label: a relationship query filtered on
    `offset(ID(a)) IN $offsets` compares integers, several times faster than IRIs
    (300 nodes at 300k works: 43 ms against 0.33 s)."""
    rows = db.arrow(
        "UNWIND $iris AS x MATCH (n {iri: x}) RETURN label(n) AS l, offset(ID(n)) AS o",
        {"iris": list(iris)},
    )
    found: dict[str, list[int]] = defaultdict(list)
    for label, offset in zip(
        rows.column("l").to_pylist(), rows.column("o").to_pylist(), strict=True
    ):
        found[label].append(offset)
    return dict(found)


def nodes(
    db: GraphDB,
    labels: Iterable[str] = LABEL_NAMES,
    iris: Collection[str] | None = None,
    columns: Collection[str] | None = None,
) -> dict[str, Node]:
    """The nodes of `labels` (only those in `iris` when given), holding only `columns`
    (with `iri` and `name`; all of them when None), ordered by IRI as the mapping orders
    them."""
    found: dict[str, Node] = {}
    for label in labels:
        wanted = _columns(label, columns)
        returned = ", ".join(f"n.{c} AS {c}" for c in wanted)
        if iris is not None and not iris:
            continue
        pattern = f"(n:{cypher_label(label)})"
        head, params = by_iris(pattern, "n", iris) if iris is not None else (f"MATCH {pattern}", {})
        table = db.arrow(f"{head} RETURN {returned}", params)
        for row in _rows(table):
            found[row["iri"]] = _node(label, row, wanted)
    return dict(sorted(found.items()))


# --- relationships ----------------------------------------------------------------------


def _among_few(db: GraphDB, types: set[str], keep: set[str]) -> list[Relationship]:
    """The relationships among a few nodes, one query a start label for every type: each
    costs a scan of that label's relationships, by table offset."""
    found = []
    for label, numbers in offsets(db, keep).items():
        _, rows = db.execute(
            f"MATCH (a:{cypher_label(label)})-[r]->(b) WHERE offset(ID(a)) IN $offsets "
            "RETURN a.iri AS s, label(r) AS t, b.iri AS e, r",
            {"offsets": numbers},
        )
        for start, rel_type, end, rel in rows:
            if rel_type in types and end in keep:
                found.append(_relationship(rel_type, {**rel, "start": start, "end": end}))
    found.sort(key=lambda r: r.key)
    return found


def _relationship(rel_type: str, row: dict[str, Any]) -> Relationship:
    props: dict[str, Any] = {}
    for prop in RELATIONSHIP_PROPERTIES[rel_type]:
        value = row.get(prop)
        if prop in ("contexts", "flags", "sources"):
            value = value or []
        props[prop] = value
    return Relationship(rel_type, row["start"], row["end"], props)


def relationships(
    db: GraphDB,
    types: Iterable[str] = RELATIONSHIP_TYPES,
    among: Collection[str] | None = None,
    ending_in: Collection[str] | None = None,
) -> list[Relationship]:
    """The relationships of `types` (with both ends in `among`, or ending in `ending_in`,
    when given), in the mapping's order (start, type, end)."""
    found: list[Relationship] = []
    keep = set(among) if among is not None else None
    if keep and len(keep) <= FEW_NODES:
        return _among_few(db, set(types), keep)
    for rel_type in types:
        props = "".join(f", r.{p} AS {p}" for p in RELATIONSHIP_PROPERTIES[rel_type])
        pattern = f"(a)-[r:{cypher_type(rel_type)}]->(b)"
        if keep is not None:  # the start in the query, the end checked here
            if not keep:
                continue
            head, params = by_iris(pattern, "a", keep)
        elif ending_in is not None:
            if not ending_in:
                continue
            head, params = by_iris(pattern, "b", ending_in)
        else:
            head, params = f"MATCH {pattern}", {}
        table = db.arrow(f"{head} RETURN a.iri AS `start`, b.iri AS `end`{props}", params)
        for row in _rows(table):
            if keep is None or row["end"] in keep:
                found.append(_relationship(rel_type, row))
    found.sort(key=lambda r: r.key)
    return found


# --- whole graphs and subgraphs -----------------------------------------------------------


def whole(db: GraphDB) -> PropertyGraph:
    """Every node and relationship: for a question about all of it (an unfiltered export)."""
    return PropertyGraph(nodes(db), relationships(db))


def induced(db: GraphDB, keep: Collection[str], labels: dict[str, str]) -> PropertyGraph:
    """The nodes of `keep` (whose labels are known) and the relationships among them."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for iri in keep:
        by_label[labels[iri]].append(iri)
    found: dict[str, Node] = {}
    for label in LABEL_NAMES:
        if by_label.get(label):
            found.update(nodes(db, [label], by_label[label]))
    found = dict(sorted(found.items()))
    present = set(by_label)
    types = [t for t, ends in ENDPOINTS.items() if any(a in present for a, _ in ends)]
    return PropertyGraph(found, relationships(db, types, among=set(keep)))


class DBAccess:
    """`GraphAccess` (graph/subgraph.py) as queries against the store's database; labels
    seen on the way are remembered, so the final read asks each label's table once."""

    def __init__(self, db: GraphDB) -> None:
        self.db = db
        self.known: dict[str, str] = {}  # iri -> label
        self.fetched = 0  # rows read, for tests that a focused read stays local

    def _ask(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        rows = _rows(self.db.arrow(cypher, params))
        self.fetched += len(rows)
        return rows

    def resolve(self, text: str, labels: tuple[str, ...] = ()) -> str:
        prefixed, bare = split_label(text.strip())
        wanted = labels or prefixed or LABEL_NAMES
        found = self.labels([bare])
        if bare in found and found[bare] in wanted:
            return bare
        wanted_doi = normal_doi(bare)
        if wanted_doi:
            return by_doi(self._by_doi(wanted, wanted_doi), bare, wanted_doi)
        naming = nodes(self.db, wanted, columns=NAMING_PROPERTIES)
        self.fetched += len(naming)
        return resolve_in(naming, text, labels)

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
                found[row["iri"]] = _node(label, row, ("doi",))
        return found

    def neighbours(self, iris: Collection[str]) -> Adjacency:
        found: Adjacency = {iri: set() for iri in iris}
        if not found:
            return found
        for label, numbers in offsets(self.db, found).items():
            for row in self._ask(
                f"MATCH (a:{cypher_label(label)})-[]-(b) WHERE offset(ID(a)) IN $offsets "
                "RETURN a.iri AS a, b.iri AS b, label(b) AS l",
                offsets=numbers,
            ):
                found[row["a"]].add(row["b"])
                self.known[row["b"]] = row["l"]
        return found

    def labels(self, iris: Collection[str]) -> dict[str, str]:
        missing = [iri for iri in iris if iri not in self.known]
        if missing:
            head, params = by_iris("(n)", "n", missing)
            for row in self._ask(f"{head} RETURN n.iri AS i, label(n) AS l", **params):
                self.known[row["i"]] = row["l"]
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
    check(f)
    if is_whole(f):
        return whole(db)
    access = access or DBAccess(db)
    keep = kept_nodes(access, f)
    if keep is None:
        return whole(db)
    return induced(db, keep, access.labels(keep))


def authored(db: GraphDB, works: Collection[str]) -> PropertyGraph:
    """The AUTHORED relationships of `works` and their authors (Person, Organization):
    what bylines, citation keys and author links (ORCID) need of a selection that left
    the people out. Every property: writers may read any, and there are few of them."""
    rels = relationships(db, ["AUTHORED"], ending_in=list(works))
    agents = {r.start for r in rels}
    found = nodes(db, ("Person", "Organization"), agents)
    return PropertyGraph(found, rels)
