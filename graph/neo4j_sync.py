"""Push the property graph to Neo4j: idempotent, batched, safe to share a database.

Why it is shaped this way:

- Content, not time, decides what is written. Each node and relationship citegraph
  writes carries `_cg_hash`, a 64-bit digest of its label or type, identity and
  properties. A sync first reads the hashes this store wrote (one query per label and
  per relationship type, each answering one list) and writes only the rows whose hash
  is not among them, so an unchanged re-sync writes nothing and an interrupted sync
  resumes where it stopped. The hash is an integer so Neo4j keeps it inline.
- Identity is MERGE on `iri` under a uniqueness constraint per contract label, and on
  (start, type, end) for relationships (the contract has at most one of each), so
  concurrent syncs cannot create duplicates.
- A property that leaves an entity leaves Neo4j: an update removes the properties of
  its label or type that the graph knows (the mapping's, and any other entity's) and
  this entity no longer has; properties others added under other names stay. (A
  property no entity of that label or type has any more is not known, so it stays.)
- `_cg_stores` lists the stores that wrote an entity. `prune` removes what this store
  wrote and no longer has: after the writes, an entity of ours still carrying a hash
  the graph no longer produces is stale. An entity another store still has survives;
  data citegraph did not write is never touched (except relationships on a node that
  is deleted). Two stores holding different content for one entity take turns: the
  last sync wins.
- Bookkeeping is what makes a first sync slower than a bare loader, so it is kept
  lean: one inline integer and one list per entity, and a creation path without the
  update logic.
- Labels and types in Cypher text come only from the contract constants; data is
  always a parameter.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import neo4j
from neo4j import RoutingControl

from citegraph.graph.neo4j_connect import neo4j_errors
from citegraph.graph.property_graph import (
    LABEL_NAMES,
    PROPERTIES,
    RELATIONSHIP_TYPES,
    PropertyGraph,
    cypher_label,
    cypher_type,
)

HASH = "_cg_hash"
STORES = "_cg_stores"
INTERNAL_PREFIX = "_cg_"

#: progress(phase, done, total): rows written (or pruned) so far in a phase: "nodes",
#: "relationships" or "pruning".
Progress = Callable[[str, int, int], None]
Row = dict[str, Any]
RelGroup = tuple[str, str, str]  # type, start label, end label


@dataclass
class SyncSummary:
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    rels_created: int = 0
    rels_updated: int = 0
    rels_deleted: int = 0

    def to_json(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class Changes:
    """For nodes or relationships: rows this store has not written yet, and stale hashes."""

    rows: dict[Any, list[Row]]  # by label, or by (type, start label, end label)
    known: dict[str, list[str]]  # by label or type: the property keys the graph uses
    stale: dict[str, list[int]]  # by label or type: hashes of ours the graph no longer has


def store_id(path: Path | str) -> str:
    """A stable id for a store directory: its name plus a digest of its absolute path."""
    resolved = Path(path).resolve()
    return f"{resolved.name}-{hashlib.sha256(str(resolved).encode()).hexdigest()[:8]}"


# --- Cypher builders: labels and types are checked against the contract -----------------


def constraint_query(label: str) -> str:
    name = f"citegraph_{label.lower()}_iri"
    node = f"(n:{cypher_label(label)})"
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR {node} REQUIRE n.iri IS UNIQUE"


def owned_nodes_query(label: str) -> str:
    return f"MATCH (n:{cypher_label(label)}) WHERE $store IN n.{STORES} RETURN collect(n.{HASH})"


def owned_rels_query(rel_type: str) -> str:
    pattern = f"()-[r:{cypher_type(rel_type)}]->()"
    return f"MATCH {pattern} WHERE $store IN r.{STORES} RETURN collect(r.{HASH})"


def _write_tail(var: str) -> str:
    """Set ours and claim the entity; on an update also drop known keys it no longer has."""
    claim = (
        f"CASE WHEN $store IN {var}.{STORES} THEN {var}.{STORES} "
        f"ELSE coalesce({var}.{STORES}, []) + $store END"
    )
    return (
        f"ON CREATE SET {var} += row.props, {var}.{HASH} = row.hash, {var}.{STORES} = [$store] "
        f"ON MATCH SET {var} += row.props, {var}.{HASH} = row.hash, {var}.{STORES} = {claim} "
        f"WITH {var}, row FOREACH (k IN [k IN $known WHERE NOT k IN keys(row.props) "
        f"AND {var}[k] IS NOT NULL] | SET {var}[k] = null)"
    )


def merge_nodes_query(label: str) -> str:
    node = f"(n:{cypher_label(label)} {{iri: row.iri}})"
    return f"UNWIND $rows AS row MERGE {node} " + _write_tail("n")


def merge_rels_query(rel_type: str, start_label: str, end_label: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{cypher_label(start_label)} {{iri: row.start}}) "
        f"MATCH (b:{cypher_label(end_label)} {{iri: row.end}}) "
        f"MERGE (a)-[r:{cypher_type(rel_type)}]->(b) " + _write_tail("r")
    )


def prune_nodes_query(label: str) -> str:
    return (
        f"MATCH (n:{cypher_label(label)}) WHERE n.{HASH} IN $rows AND $store IN n.{STORES} "
        f"SET n.{STORES} = [s IN n.{STORES} WHERE s <> $store] "
        f"WITH n WHERE size(n.{STORES}) = 0 DETACH DELETE n"
    )


def prune_rels_query(rel_type: str) -> str:
    return (
        f"MATCH ()-[r:{cypher_type(rel_type)}]->() WHERE r.{HASH} IN $rows "
        f"AND $store IN r.{STORES} SET r.{STORES} = [s IN r.{STORES} WHERE s <> $store] "
        f"WITH r WHERE size(r.{STORES}) = 0 DELETE r"
    )


def existing_nodes_query(label: str) -> str:
    return f"UNWIND $rows AS iri MATCH (n:{cypher_label(label)} {{iri: iri}}) RETURN count(n)"


def existing_rels_query(rel_type: str, start_label: str, end_label: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (:{cypher_label(start_label)} {{iri: row.start}})"
        f"-[r:{cypher_type(rel_type)}]->(:{cypher_label(end_label)} {{iri: row.end}})"
        " RETURN count(r)"
    )


def stale_nodes_query(label: str) -> str:
    return (
        f"MATCH (n:{cypher_label(label)}) WHERE n.{HASH} IN $rows AND $store IN n.{STORES} "
        f"RETURN collect([n.iri, size(n.{STORES})])"
    )


def stale_rels_query(rel_type: str) -> str:
    return (
        f"MATCH (a)-[r:{cypher_type(rel_type)}]->(b) WHERE r.{HASH} IN $rows "
        f"AND $store IN r.{STORES} RETURN collect([a.iri, b.iri, size(r.{STORES})])"
    )


# --- content hashes -----------------------------------------------------------------------


def _properties(properties: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls: an absent value is an absent property."""
    if None in properties.values():
        return {k: v for k, v in properties.items() if v is not None}
    return properties


def content_hash(identity: str, properties: dict[str, Any]) -> int:
    """A signed 64-bit digest of identity and content. It follows the mapping's key
    order, which is fixed, so a change of that order only costs one full rewrite."""
    data = (identity + repr(properties)).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


# --- planning -------------------------------------------------------------------------------


def _scalar(driver: neo4j.Driver, database: str | None, query: str, **params: Any) -> Any:
    """The single value a query answers (a count or a collected list)."""
    records, _, _ = driver.execute_query(
        query, params, database_=database, routing_=RoutingControl.READ
    )
    return records[0][0]


def read_owned(
    driver: neo4j.Driver, database: str | None, store: str
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """The hashes this store wrote, per label and per relationship type."""
    nodes = {
        label: set(_scalar(driver, database, owned_nodes_query(label), store=store))
        for label in LABEL_NAMES
    }
    rels = {
        rel_type: set(_scalar(driver, database, owned_rels_query(rel_type), store=store))
        for rel_type in RELATIONSHIP_TYPES
    }
    return nodes, rels


def _mapped_keys(label: str) -> set[str]:
    return {prop for _, prop, _ in PROPERTIES.get(label, ())} | {"iri", "name", "sources"}


def node_changes(pg: PropertyGraph, owned: dict[str, set[int]], *, prune: bool) -> Changes:
    produced: dict[str, set[int]] = defaultdict(set)
    known: dict[str, set[str]] = defaultdict(set)
    rows: dict[str, list[Row]] = defaultdict(list)
    for node in pg.nodes.values():
        props = _properties(node.properties)
        digest = content_hash(f"{node.label} {node.iri} ", props)
        produced[node.label].add(digest)
        known[node.label].update(props)
        if digest not in owned.get(node.label, ()):
            rows[node.label].append({"iri": node.iri, "props": props, "hash": digest})
    keys = {label: sorted(found | _mapped_keys(label)) for label, found in known.items()}
    return Changes(dict(rows), keys, _stale(owned, produced) if prune else {})


def relationship_changes(pg: PropertyGraph, owned: dict[str, set[int]], *, prune: bool) -> Changes:
    produced: dict[str, set[int]] = defaultdict(set)
    known: dict[str, set[str]] = defaultdict(set)
    rows: dict[RelGroup, list[Row]] = defaultdict(list)
    for rel in pg.relationships:
        props = _properties(rel.properties)
        digest = content_hash(f"{rel.type} {rel.start} {rel.end} ", props)
        produced[rel.type].add(digest)
        known[rel.type].update(props)
        if digest not in owned.get(rel.type, ()):
            group = (rel.type, pg.nodes[rel.start].label, pg.nodes[rel.end].label)
            rows[group].append({"start": rel.start, "end": rel.end, "props": props, "hash": digest})
    keys = {rel_type: sorted(found) for rel_type, found in known.items()}
    return Changes(dict(rows), keys, _stale(owned, produced) if prune else {})


def _stale(owned: dict[str, set[int]], produced: dict[str, set[int]]) -> dict[str, list[int]]:
    found = {name: sorted(hashes - produced.get(name, set())) for name, hashes in owned.items()}
    return {name: hashes for name, hashes in found.items() if hashes}


# --- writing ----------------------------------------------------------------------------------


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class _Runner:
    """Runs batches, each in a managed transaction the driver retries on transient errors."""

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str | None,
        store: str,
        batch_size: int,
        progress: Progress | None,
    ) -> None:
        self.driver, self.database, self.store = driver, database, store
        self.batch_size, self.progress = batch_size, progress
        self.phase, self.done, self.total = "", 0, 0

    def start(self, phase: str, groups: Iterable[list[Any]]) -> None:
        self.phase, self.done, self.total = phase, 0, sum(len(rows) for rows in groups)

    def write(self, query: str, rows: list[Any], **params: Any) -> list[neo4j.SummaryCounters]:
        counters = []
        for batch in _batches(rows, self.batch_size):
            result = self.driver.execute_query(
                query, {"rows": batch, "store": self.store, **params}, database_=self.database
            )
            counters.append(result.summary.counters)
            self.done += len(batch)
            if self.progress:
                self.progress(self.phase, self.done, self.total)
        return counters

    def read(self, query: str, rows: list[Any]) -> Iterator[Any]:
        for batch in _batches(rows, self.batch_size):
            yield _scalar(self.driver, self.database, query, rows=batch, store=self.store)


def _write_nodes(runner: _Runner, nodes: Changes, summary: SyncSummary) -> None:
    runner.start("nodes", nodes.rows.values())
    for label, rows in nodes.rows.items():
        counters = runner.write(merge_nodes_query(label), rows, known=nodes.known[label])
        created = sum(c.nodes_created for c in counters)
        summary.nodes_created += created
        summary.nodes_updated += len(rows) - created


def _write_rels(runner: _Runner, rels: Changes, summary: SyncSummary) -> None:
    runner.start("relationships", rels.rows.values())
    for group, rows in rels.rows.items():
        counters = runner.write(merge_rels_query(*group), rows, known=rels.known[group[0]])
        created = sum(c.relationships_created for c in counters)
        summary.rels_created += created
        summary.rels_updated += len(rows) - created


def _prune(runner: _Runner, nodes: Changes, rels: Changes, summary: SyncSummary) -> None:
    """After the writes, anything of ours still carrying a stale hash is gone from the graph."""
    runner.start("pruning", [*rels.stale.values(), *nodes.stale.values()])
    for rel_type, hashes in rels.stale.items():
        counters = runner.write(prune_rels_query(rel_type), hashes)
        deleted = sum(c.relationships_deleted for c in counters)
        summary.rels_deleted += deleted
        summary.rels_updated += sum(c.properties_set for c in counters) - deleted
    for label, hashes in nodes.stale.items():
        counters = runner.write(prune_nodes_query(label), hashes)
        deleted = sum(c.nodes_deleted for c in counters)
        summary.nodes_deleted += deleted
        summary.rels_deleted += sum(c.relationships_deleted for c in counters)
        summary.nodes_updated += sum(c.properties_set for c in counters) - deleted


def _estimate_writes(runner: _Runner, nodes: Changes, rels: Changes, summary: SyncSummary) -> None:
    for label, rows in nodes.rows.items():
        found = sum(runner.read(existing_nodes_query(label), [r["iri"] for r in rows]))
        summary.nodes_created += len(rows) - found
        summary.nodes_updated += found
    for group, rows in rels.rows.items():
        keys = [{"start": r["start"], "end": r["end"]} for r in rows]
        found = sum(runner.read(existing_rels_query(*group), keys))
        summary.rels_created += len(rows) - found
        summary.rels_updated += found


def _estimate_prune(
    runner: _Runner, pg: PropertyGraph, nodes: Changes, rels: Changes, summary: SyncSummary
) -> None:
    """Stale hashes of entities the graph still has are updates, not deletions."""
    wanted_rels = {r.key for r in pg.relationships} if rels.stale else set()
    for rel_type, hashes in rels.stale.items():
        for stale in runner.read(stale_rels_query(rel_type), hashes):
            for start, end, owners in stale:
                if (start, rel_type, end) not in wanted_rels:
                    summary.rels_deleted += owners == 1
                    summary.rels_updated += owners > 1
    for label, hashes in nodes.stale.items():
        for stale in runner.read(stale_nodes_query(label), hashes):
            for iri, owners in stale:
                node = pg.nodes.get(iri)
                if node is None or node.label != label:
                    summary.nodes_deleted += owners == 1
                    summary.nodes_updated += owners > 1


def ensure_constraints(driver: neo4j.Driver, database: str | None) -> None:
    for label in LABEL_NAMES:
        driver.execute_query(constraint_query(label), database_=database)


def sync(
    pg: PropertyGraph,
    driver: neo4j.Driver,
    database: str | None,
    store_id: str,
    *,
    dry_run: bool = False,
    prune: bool = False,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> SyncSummary:
    """Make the database hold `pg` for this store; with `dry_run`, only say what would change.

    Raises `Neo4jError` (one line) for anything the driver reports.
    """
    summary = SyncSummary()
    runner = _Runner(driver, database, store_id, batch_size, progress)
    with neo4j_errors(f"Neo4j database {database or '(default)'}"):
        if not dry_run:
            ensure_constraints(driver, database)
        owned_nodes, owned_rels = read_owned(driver, database, store_id)
        nodes = node_changes(pg, owned_nodes, prune=prune)
        rels = relationship_changes(pg, owned_rels, prune=prune)
        if dry_run:
            _estimate_writes(runner, nodes, rels, summary)
            _estimate_prune(runner, pg, nodes, rels, summary)
        else:
            _write_nodes(runner, nodes, summary)
            _write_rels(runner, rels, summary)
            _prune(runner, nodes, rels, summary)
    return summary
