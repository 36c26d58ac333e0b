"""Benchmark `sync` against a bare-driver baseline writing the same rows, then re-sync.

    python bench/bench_sync.py                              # ~100k nodes, ~500k relationships
    python bench/bench_sync.py --nodes 2000 --rels 10000    # smoke run

Needs the server from neo4j/neo4j.sh and NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD
(NEO4J_DATABASE optional). It EMPTIES that database. The baseline is the plain way to
load the rows: uniqueness constraints, then batched `UNWIND ... MERGE ... SET +=` in
managed transactions, nodes by label and relationships by (type, start label, end label),
with the batch size sync uses. Goals: sync >= 0.8x the baseline's throughput, and an
unchanged re-sync in < 10% of the first sync's time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import defaultdict
from typing import Any

import neo4j

from citegraph.graph.neo4j_connect import Neo4jSettings, connect
from citegraph.graph.neo4j_sync import SyncSummary, constraint_query, sync
from citegraph.graph.property_graph import LABEL_NAMES, Node, PropertyGraph, Relationship

BATCH = 5000
#: share of nodes per label, and (type, start label, end label, share) of relationships
NODE_MIX = {
    "Work": 0.45,
    "Person": 0.30,
    "Finding": 0.15,
    "Venue": 0.05,
    "Country": 0.02,
    "Theory": 0.02,
    "Strategy": 0.01,
}
REL_MIX = (
    ("CITES", "Work", "Work", 0.50),
    ("AUTHORED", "Person", "Work", 0.25),
    ("REPORTS", "Work", "Finding", 0.06),
    ("ABOUT", "Finding", "Strategy", 0.05),
    ("STUDIES", "Work", "Country", 0.05),
    ("USES_THEORY", "Work", "Theory", 0.05),
    ("PUBLISHED_IN", "Work", "Venue", 0.04),
)


def _properties(label: str, i: int, rng: random.Random) -> dict[str, Any]:
    """Properties shaped like the contract's: strings, integers, lists (some empty)."""
    source = [f"refs-{i % 97}.bib:{i} (bibtex)"]
    if label == "Work":
        return {
            "title": f"Synthetic work {i} on crime prevention",
            "year": 1950 + i % 75,
            "type": rng.choice(["article", "book", "chapter", "report"]),
            "doi": f"10.{1000 + i % 9000}/syn.{i}",
            "keys": [f"ref{i}"],
            "flags": [],
            "keywords": ["crime", f"topic {i % 50}"],
            "references": [f"Author ({i}). Work."],
            "name": f"Synthetic work {i} on crime prevention",
            "sources": source,
        }
    if label == "Person":
        return {
            "family": f"Family{i}",
            "given": "A. B.",
            "name": f"Family{i}, A. B.",
            "sources": source,
        }
    if label == "Finding":
        return {
            "claim": f"Intervention {i} reduced burglary.",
            "line": i,
            "source": f"In study {i}, the intervention reduced burglary.",
            "name": f"Intervention {i} reduced burglary.",
            "sources": source,
        }
    return {"name": f"{label} {i}", "aliases": [], "sources": []}


def _rel_properties(rel_type: str, rng: random.Random) -> dict[str, Any]:
    if rel_type == "CITES":
        return {
            "count": rng.randint(1, 3),
            "contexts": ["As shown before (Author, 1999)."],
            "flags": [],
            "sources": ["review.md:12 (review)"],
        }
    if rel_type == "AUTHORED":
        return {"position": rng.randint(1, 5), "sources": ["refs.bib:3 (bibtex)"]}
    return {"sources": []}


def synthetic(nodes: int, rels: int, seed: int = 7) -> PropertyGraph:
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = defaultdict(list)
    graph_nodes: dict[str, Node] = {}
    for label, share in NODE_MIX.items():
        for i in range(max(2, int(nodes * share))):
            iri = f"https://w3id.org/citegraph/bench/{label.lower()}/{i}"
            graph_nodes[iri] = Node(iri, label, {"iri": iri, **_properties(label, i, rng)})
            by_label[label].append(iri)
    relationships: list[Relationship] = []
    for rel_type, start, end, share in REL_MIX:
        wanted, seen = int(rels * share), set[tuple[str, str]]()
        capacity = len(by_label[start]) * len(by_label[end])
        while len(seen) < min(wanted, capacity):
            pair = (rng.choice(by_label[start]), rng.choice(by_label[end]))
            if pair[0] != pair[1] and pair not in seen:
                seen.add(pair)
                relationships.append(Relationship(rel_type, *pair, _rel_properties(rel_type, rng)))
    return PropertyGraph(graph_nodes, relationships)


def baseline(pg: PropertyGraph, driver: neo4j.Driver, database: str | None) -> None:
    """The best plain writer for the same rows: constraints, UNWIND MERGE SET += batches."""
    for label in LABEL_NAMES:
        driver.execute_query(constraint_query(label), database_=database)
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in pg.nodes.values():
        nodes[node.label].append({"iri": node.iri, "props": node.properties})
    for label, rows in nodes.items():
        query = f"UNWIND $rows AS row MERGE (n:`{label}` {{iri: row.iri}}) SET n += row.props"
        for start in range(0, len(rows), BATCH):
            driver.execute_query(query, {"rows": rows[start : start + BATCH]}, database_=database)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in pg.relationships:
        group = (rel.type, pg.nodes[rel.start].label, pg.nodes[rel.end].label)
        rels[group].append({"start": rel.start, "end": rel.end, "props": rel.properties})
    for (rel_type, start_label, end_label), rows in rels.items():
        query = (
            f"UNWIND $rows AS row MATCH (a:`{start_label}` {{iri: row.start}}) "
            f"MATCH (b:`{end_label}` {{iri: row.end}}) "
            f"MERGE (a)-[r:`{rel_type}`]->(b) SET r += row.props"
        )
        for start in range(0, len(rows), BATCH):
            driver.execute_query(query, {"rows": rows[start : start + BATCH]}, database_=database)


def empty(driver: neo4j.Driver, database: str | None) -> None:
    """Relationships first: a batch of nodes that includes a journal of a 10k-row export
    detaches 75k relationships in one transaction, past the memory pool of a 2 GB heap."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run(
            "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def timed(action: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return time.perf_counter() - start, result


def settings() -> Neo4jSettings:
    missing = [n for n in ("NEO4J_URI", "NEO4J_PASSWORD") if not os.environ.get(n)]
    if missing:
        raise SystemExit(f"set {', '.join(missing)} (neo4j/neo4j.sh start; neo4j/neo4j.sh env)")
    return Neo4jSettings(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USERNAME", "neo4j"),
        os.environ["NEO4J_PASSWORD"],
        os.environ.get("NEO4J_DATABASE"),
    )


def one_round(
    pg: PropertyGraph, driver: neo4j.Driver, db: str | None, baseline_first: bool
) -> tuple[float, float, float]:
    """Baseline, and sync plus an unchanged re-sync, each on an emptied database; rounds
    alternate which goes first so neither always meets a warmer server."""

    def ours() -> tuple[float, float]:
        empty(driver, db)
        first_s, first = timed(sync, pg, driver, db, "bench")
        again_s, again = timed(sync, pg, driver, db, "bench")
        assert first == SyncSummary(nodes_created=len(pg.nodes), rels_created=len(pg.relationships))
        assert again == SyncSummary(), again
        return first_s, again_s

    def theirs() -> float:
        empty(driver, db)
        return timed(baseline, pg, driver, db)[0]

    if baseline_first:
        base_s = theirs()
        first_s, again_s = ours()
    else:
        first_s, again_s = ours()
        base_s = theirs()
    empty(driver, db)
    return base_s, first_s, again_s


def verdict(met: bool, judged: bool) -> str:
    """The goals are stated for the full size; a smoke run only shows the figures."""
    return ("met" if met else "MISSED") if judged else "not judged at smoke size"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rels", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=1, help="repeat; goals use medians")
    args = parser.parse_args()
    config = settings()
    pg = synthetic(args.nodes, args.rels)
    rows = len(pg.nodes) + len(pg.relationships)
    print(f"graph: {len(pg.nodes)} nodes, {len(pg.relationships)} relationships")
    print(
        f"{'round':>5}{'baseline s':>12}{'rows/s':>9}{'sync s':>9}{'rows/s':>9}"
        f"{'x base':>8}{'re-sync s':>11}{'% first':>9}"
    )
    results = []
    with connect(config) as driver:
        warm = synthetic(200, 1000, seed=1)  # compile every query once, for both writers
        for writer in (baseline, lambda g, d, b: sync(g, d, b, "warm-up")):
            empty(driver, config.database)
            writer(warm, driver, config.database)
        for number in range(1, args.rounds + 1):
            base_s, first_s, again_s = one_round(pg, driver, config.database, number % 2 == 1)
            results.append((base_s / first_s, again_s / first_s))
            print(
                f"{number:5}{base_s:12.2f}{rows / base_s:9.0f}{first_s:9.2f}"
                f"{rows / first_s:9.0f}{base_s / first_s:8.2f}{again_s:11.2f}"
                f"{again_s / first_s:9.1%}"
            )
    ratio = statistics.median(r for r, _ in results)
    share = statistics.median(s for _, s in results)
    full = args.nodes >= 100_000 and args.rels >= 500_000
    print(f"sync throughput = {ratio:.2f}x baseline (goal >= 0.8x): {verdict(ratio >= 0.8, full)}")
    print(f"re-sync = {share:.1%} of the first sync (goal < 10%): {verdict(share < 0.1, full)}")


if __name__ == "__main__":
    main()
