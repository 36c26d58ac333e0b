"""What the views ask of the store's property-graph database, and nothing more.

Each read returns the contract's `PropertyGraph`/`Node`/`Relationship` (so the writers
work unchanged) holding only what was asked: the nodes of some labels or IRIs, some of
their columns, the relationships of some types among some nodes. A subgraph is chosen by
the rules of graph/subgraph.py, asked as queries (graph/views/selection.py).

Labels, types and column names in query text come only from the contract's constants
(graph/property_graph.py, graph/store/graphdb.py); data always travels as parameters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from citegraph.graph.property_graph import (
    ENDPOINTS,
    LABEL_NAMES,
    PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_TYPES,
    Node,
    PropertyGraph,
    Relationship,
    checked_type,
    cypher_label,
    cypher_type,
)
from citegraph.graph.store.graphdb import GraphDB, node_columns
from citegraph.ontology.namespaces import DATA, PLACE, STRATEGY, THEORY

__all__ = ["authored", "bylines", "induced", "node_counts", "nodes", "relationships", "whole"]


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return table.to_pylist()


# --- nodes ----------------------------------------------------------------------------


def _computed_person_name(props: dict[str, Any]) -> str:
    return " ".join(str(p) for p in (props.get("given"), props.get("family")) if p)


def as_node(label: str, row: dict[str, Any], columns: Collection[str]) -> Node:
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


def columns_for(label: str, columns: Collection[str] | None) -> list[str]:
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
#: Up to this many nodes at one end, the relationships among some nodes are filtered on
#: their table offsets (see `_among`); past it, the list costs more than reading the
#: relationship table whole and filtering it in Arrow.
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


def offsets(
    db: GraphDB, iris: Collection[str], labels: Mapping[str, str] | None = None
) -> dict[str, list[int]]:
    """The table offsets of these nodes, by label: a relationship query filtered on
    `offset(ID(a)) IN $offsets` compares integers, several times faster than IRIs
    (300 nodes at 300k works: 43 ms against 0.33 s). The IRIs whose label is in `labels`
    are probed in their own table (3.3k works: 40 ms), the others in the table their
    IRI's form names (`_MINTED`), then in every table."""
    return {
        label: list(found.values()) for label, found in offsets_by_iri(db, iris, labels).items()
    }


#: Where graph/build.py mints the nodes of each label: an IRI there is probed in that
#: table first (2 ms), and in every table only if it is not found (62 ms cold at 300k
#: works, 0.45 s on a shared machine), as a user's own IRI or a promoted concept is.
_MINTED: tuple[tuple[str, tuple[str, ...]], ...] = (
    (f"{DATA}work/", ("Work",)),
    (f"{DATA}person/", ("Person",)),
    (f"{DATA}organization/", ("Organization",)),
    (f"{DATA}venue/", ("Venue",)),
    (f"{DATA}finding/", ("Finding",)),
    (f"{DATA}flow/", ("FlowStage",)),
    (str(THEORY), ("Theory",)),
    (str(STRATEGY), ("Strategy",)),
    (str(PLACE), ("Country", "Region")),
)


def _minted(iri: str) -> tuple[str, ...]:
    return next((labels for prefix, labels in _MINTED if iri.startswith(prefix)), ())


def offsets_by_iri(
    db: GraphDB, iris: Collection[str], labels: Mapping[str, str] | None = None
) -> dict[str, dict[str, int]]:
    """`offsets`, keeping which IRI has which offset (and so which label)."""
    known = labels or {}
    by_label: dict[str, list[str]] = defaultdict(list)
    guessed: list[str] = []
    for iri in iris:
        if iri in known:
            by_label[known[iri]].append(iri)
            continue
        guessed.append(iri)
        for label in _minted(iri):
            by_label[label].append(iri)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for label, listed in by_label.items():
        _probe(db, f"(n:{cypher_label(label)} {{iri: x}})", listed, found)
    if guessed:
        seen = {iri for numbered in found.values() for iri in numbered}
        unknown = [iri for iri in guessed if iri not in seen]
        if unknown:
            _probe(db, "(n {iri: x})", unknown, found)
    return dict(found)


def _probe(db: GraphDB, pattern: str, iris: list[str], found: dict[str, dict[str, int]]) -> None:
    rows = db.arrow(
        f"UNWIND $iris AS x MATCH {pattern} RETURN label(n) AS l, n.iri AS i, offset(ID(n)) AS o",
        {"iris": iris},
    )
    for label, iri, offset in zip(*_columns(rows, "l", "i", "o"), strict=True):
        found[label][iri] = offset


def node_counts(db: GraphDB) -> dict[str, int]:
    """How many nodes each label's table holds."""
    return {
        label: db.rows(f"MATCH (n:{cypher_label(label)}) RETURN count(*) AS n")[0]["n"]
        for label in LABEL_NAMES
    }


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
        wanted = columns_for(label, columns)
        returned = ", ".join(f"n.{c} AS {c}" for c in wanted)
        if iris is not None and not iris:
            continue
        pattern = f"(n:{cypher_label(label)})"
        head, params = by_iris(pattern, "n", iris) if iris is not None else (f"MATCH {pattern}", {})
        table = db.arrow(f"{head} RETURN {returned}", params)
        for row in _rows(table):
            found[row["iri"]] = as_node(label, row, wanted)
    return dict(sorted(found.items()))


# --- relationships ----------------------------------------------------------------------


def connections(db: GraphDB, rel_type: str) -> list[tuple[str, str]]:
    """The (start label, end label) pairs the database's table of `rel_type` holds: the
    contract's, and any other the data brought."""
    rows = db.rows(f"CALL SHOW_CONNECTION('{checked_type(rel_type)}') RETURN *")
    return [(r["source table name"], r["destination table name"]) for r in rows]


def _returned_properties(rel_type: str) -> str:
    """The RETURN items (each after a comma) of a relationship's contract properties."""
    return "".join(f", r.{p} AS {p}" for p in RELATIONSHIP_PROPERTIES[rel_type])


def _among(
    db: GraphDB, types: Iterable[str], keep: Collection[str], labels: Mapping[str, str]
) -> list[Relationship]:
    """The relationships among some nodes, one query per type and pair of end labels,
    filtered on table offsets.

    Measured on 10k Scopus rows x 30 references (300k works, 300k CITES), a theory's
    3.3k nodes, on a shared 2-core machine: `offset(ID(a)) IN $list` costs the table's
    rows times the list's length (3.3k starts: 0.9-1.5 s; both ends: 1.3-2.6 s), and a
    join on an UNWIND list is planned over the whole table too (2-3 s). Reading the
    offset pairs of the whole table costs 0.3 s; so when both ends are many, those pairs
    are read and filtered in numpy, and the properties are then asked for the few nodes
    at one end of the kept relationships (a theory's 14 cited classics, against the 3.3k
    works citing them)."""
    numbered = offsets_by_iri(db, keep, labels)
    iri_at = {label: {o: i for i, o in found.items()} for label, found in numbered.items()}
    found = []
    for rel_type in types:
        props = _returned_properties(rel_type)
        for start, end in connections(db, rel_type):
            if start not in iri_at or end not in iri_at:
                continue
            pattern = (
                f"(a:{cypher_label(start)})-[r:{cypher_type(rel_type)}]->(b:{cypher_label(end)})"
            )
            starts, ends = list(iri_at[start]), list(iri_at[end])
            if min(len(starts), len(ends)) > SHORT_LIST:
                starts, ends = _ends_kept(db, pattern, starts, ends)
            side, listed = ("a", starts) if len(starts) <= len(ends) else ("b", ends)
            if not listed:
                continue
            # past FEW_NODES, the list costs more than reading the whole table
            where = "" if len(listed) > FEW_NODES else f"WHERE offset(ID({side})) IN $listed"
            rows = db.arrow(
                f"MATCH {pattern} {where} "
                f"RETURN offset(ID(a)) AS `start`, offset(ID(b)) AS `end`{props}",
                {"listed": listed} if where else {},
            )
            # the other end is checked here, before any row becomes Python objects: a
            # venue's 9 offsets reach the 300k works published in it
            both = pc.and_(
                pc.is_in(rows.column("start"), pa.array(list(iri_at[start]), pa.int64())),
                pc.is_in(rows.column("end"), pa.array(list(iri_at[end]), pa.int64())),
            )
            kept = rows.filter(both)
            a = [iri_at[start][o] for o in kept.column("start").to_pylist()]
            b = [iri_at[end][o] for o in kept.column("end").to_pylist()]
            found += _relationships(rel_type, kept, a, b)
    found.sort(key=lambda r: r.key)
    return found


@dataclass(frozen=True)
class _Ends:
    """Nodes of one label that relationships end in, and how to find them: by table
    offset when few (`offsets`), by primary key otherwise."""

    label: str
    iris: list[str]
    offsets: list[int] | None = None

    def head(self, rel_type: str, start: str | None = None) -> tuple[str, dict[str, Any]]:
        """`MATCH (a)-[r]->(b)` over these ends, with its parameters.

        Measured on 10k Scopus rows x 30 references (300k works, 750k AUTHORED), the
        AUTHORED of 300 / 2k / 5k / 20k works: filtered on the ends' offsets, 0.04 / 0.12
        / 0.23 / 1.2 s (the filter costs the table times the list); each end probed by
        key and its backward adjacency read, 0.11 / 0.10 / 0.08 / 0.14 s. That plan needs
        the join hint: unhinted, the UNWIND form is a hash join over the whole table."""
        a = f"(a:{cypher_label(start)})" if start else "(a)"
        r, b = f"[r:{cypher_type(rel_type)}]", f"b:{cypher_label(self.label)}"
        if self.offsets is not None:
            return f"MATCH {a}-{r}->({b}) WHERE offset(ID(b)) IN $listed", {"listed": self.offsets}
        return f"UNWIND $iris AS x MATCH ({b} {{iri: x}})<-{r}-{a} HINT (b JOIN r) JOIN a", {
            "iris": self.iris
        }


def _ends(db: GraphDB, iris: Collection[str], labels: Mapping[str, str]) -> list[_Ends]:
    """`iris` by label, as `_Ends`: few (up to SHORT_LIST) are given their offsets, which
    also finds the labels `labels` lacks; many must all be in `labels`."""
    if len(iris) <= SHORT_LIST:
        return [
            _Ends(label, list(found), list(found.values()))
            for label, found in offsets_by_iri(db, iris, labels).items()
        ]
    by_label: dict[str, list[str]] = defaultdict(list)
    for iri in iris:
        by_label[labels[iri]].append(iri)
    return [_Ends(label, listed) for label, listed in by_label.items()]


def _ending_in(
    db: GraphDB, types: Iterable[str], ends: Collection[str], labels: Mapping[str, str]
) -> list[Relationship]:
    """The relationships ending in `ends` (the AUTHORED of a focus page's 284 works took
    0.31 s by IRI, unlabelled, at 300k works; see `_Ends.head` for how they are asked)."""
    grouped = _ends(db, ends, labels)
    found: list[Relationship] = []
    for rel_type in types:
        props = _returned_properties(rel_type)
        reached = {b for _, b in connections(db, rel_type)}
        for group in grouped:
            if group.label not in reached:
                continue
            head, params = group.head(rel_type)
            rows = db.arrow(f"{head} RETURN a.iri AS `start`, b.iri AS `end`{props}", params)
            found += _relationships(rel_type, rows, *_columns(rows, "start", "end"))
    found.sort(key=lambda r: r.key)
    return found


def _ends_kept(
    db: GraphDB, pattern: str, starts: list[int], ends: list[int]
) -> tuple[list[int], list[int]]:
    """The offsets among `starts` and among `ends` that some `pattern` relationship from
    `starts` to `ends` joins, from the table's offset pairs (no property is read)."""
    import numpy as np

    pairs = db.arrow(f"MATCH {pattern} RETURN offset(ID(a)) AS a, offset(ID(b)) AS b")
    a = pairs.column("a").to_numpy()
    b = pairs.column("b").to_numpy()
    kept = np.isin(a, np.asarray(starts)) & np.isin(b, np.asarray(ends))
    return np.unique(a[kept]).tolist(), np.unique(b[kept]).tolist()


def _relationships(
    rel_type: str, table: pa.Table, starts: list[str], ends: list[str]
) -> list[Relationship]:
    """The relationships of `table`'s rows (their contract properties), between `starts`
    and `ends` in row order. Read a column at a time: row dicts cost a 200k-reference
    review's export 17 of its 107 s."""
    names = RELATIONSHIP_PROPERTIES[rel_type]
    columns = _columns(table, *names)
    lists = [p in ("contexts", "flags", "sources") for p in names]
    found = []
    for row, (a, b) in enumerate(zip(starts, ends, strict=True)):
        props = {
            p: (c[row] or []) if listed else c[row]
            for p, c, listed in zip(names, columns, lists, strict=True)
        }
        found.append(Relationship(rel_type, a, b, props))
    return found


def _columns(table: pa.Table, *names: str) -> list[list[Any]]:
    """These columns of `table` as Python lists: a column at a time, not a dict a row."""
    return [table.column(name).to_pylist() for name in names]


def relationships(
    db: GraphDB,
    types: Iterable[str] = RELATIONSHIP_TYPES,
    among: Collection[str] | None = None,
    ending_in: Collection[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[Relationship]:
    """The relationships of `types` (with both ends in `among`, or ending in `ending_in`,
    when given), in the mapping's order (start, type, end). `labels` may give the
    labels of `among`, which spares asking for them."""
    if among is not None:
        return _among(db, types, set(among), labels or {}) if among else []
    known = labels or {}
    if ending_in is not None and (
        len(ending_in) <= SHORT_LIST or all(e in known for e in ending_in)
    ):
        return _ending_in(db, types, ending_in, known)
    found: list[Relationship] = []
    for rel_type in types:
        props = _returned_properties(rel_type)
        pattern = f"(a)-[r:{cypher_type(rel_type)}]->(b)"
        if ending_in is not None:
            if not ending_in:
                continue
            head, params = by_iris(pattern, "b", ending_in)
        else:
            head, params = f"MATCH {pattern}", {}
        table = db.arrow(f"{head} RETURN a.iri AS `start`, b.iri AS `end`{props}", params)
        found += _relationships(rel_type, table, *_columns(table, "start", "end"))
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
    return PropertyGraph(found, relationships(db, types, among=set(keep), labels=labels))


def authored(db: GraphDB, works: Collection[str]) -> PropertyGraph:
    """The AUTHORED relationships of `works` and their authors (Person, Organization):
    what bylines, citation keys and author links (ORCID) need of a selection that left
    the people out. Every property: writers may read any, and there are few of them."""
    listed = list(works)
    rels = relationships(db, ["AUTHORED"], ending_in=listed, labels=dict.fromkeys(listed, "Work"))
    agents = {r.start for r in rels}
    found = nodes(db, ("Person", "Organization"), agents)
    return PropertyGraph(found, rels)


def bylines(db: GraphDB, works: Collection[str]) -> dict[str, list[str]]:
    """Each work's author names in byline order, as graph/work_text.authors_by_work reads
    them from a graph holding the AUTHORED and authors: all a page's labels and
    citation keys need. Asked with the authors' labels and only these columns: the
    relationships' `sources` lists and unlabelled authors cost a 2k-work focus page
    0.2 of its 0.35 s cold."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    grouped = _ends(db, works, dict.fromkeys(works, "Work"))
    for start, _ in ENDPOINTS["AUTHORED"]:
        family = "a.family" if "family" in node_columns(start) else "NULL"
        for group in grouped:
            head, params = group.head("AUTHORED", start)
            rows = db.arrow(
                f"{head} RETURN b.iri AS work, r.position AS position, "
                f"coalesce({family}, a.name) AS name",
                params,
            )
            for work, position, name in zip(
                *_columns(rows, "work", "position", "name"), strict=True
            ):
                found[work].append((int(position or 0), str(name or "")))
    return {work: [name for _, name in sorted(names)] for work, names in sorted(found.items())}
