"""The store's embedded property-graph database holds exactly what the one mapping gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citegraph.graph.demo import example_paths
from citegraph.graph.ingest import ingest
from citegraph.graph.property_graph import (
    LABEL_NAMES,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_TYPES,
    PropertyGraph,
    to_property_graph,
)
from citegraph.graph.store import Store, graphdb
from citegraph.graph.store.graphdb import plain


def rows_of(pg: PropertyGraph) -> tuple[set[str], set[str]]:
    nodes = {json.dumps([n.label, n.properties], sort_keys=True) for n in pg.nodes.values()}
    rels = {
        json.dumps([r.type, r.start, r.end, r.properties], sort_keys=True) for r in pg.relationships
    }
    return nodes, rels


def rows_in_database(store: Store) -> tuple[set[str], set[str]]:
    snapshot = store.snapshot()
    assert snapshot is not None
    db = snapshot.graph()
    nodes = set()
    for label in LABEL_NAMES:
        for row in db.rows(f"MATCH (n:{label}) RETURN n"):
            nodes.add(json.dumps([label, plain(row["n"])], sort_keys=True))
    rels = set()
    for rel_type in RELATIONSHIP_TYPES:
        found = db.rows(f"MATCH (a)-[r:`{rel_type}`]->(b) RETURN a.iri AS a, r, b.iri AS b")
        for row in found:
            props: dict[str, Any] = {
                k: v for k, v in plain(row["r"]).items() if k in RELATIONSHIP_PROPERTIES[rel_type]
            }
            rels.add(json.dumps([rel_type, row["a"], row["b"], props], sort_keys=True))
    return nodes, rels


def test_the_database_holds_the_mapped_property_graph(tmp_path: Path, seed_path: Path) -> None:
    store = Store(tmp_path / "store")
    ingest(store, [seed_path, *example_paths()])
    snapshot = store.snapshot()
    assert snapshot is not None
    expected = rows_of(to_property_graph(snapshot.rdf()))  # read back from the RDF store
    assert len(expected[0]) > 200 and len(expected[1]) > 500
    assert rows_in_database(store) == expected


def test_a_version_built_with_other_columns_is_rebuilt_on_open(tmp_path: Path) -> None:
    """A store from a citegraph whose property graph had other columns (a property added
    to the contract) is rebuilt from its records instead of failing every query."""
    store = Store(tmp_path / "store")
    ingest(store, example_paths())
    store.close()
    published = store.current_name()
    manifest = store.versions_dir / str(published) / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["mapping"] = "an older schema"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with Store(store.path) as reopened:
        snapshot = reopened.snapshot()
        assert snapshot is not None and snapshot.name != published
        assert snapshot.graph().rows("MATCH (w:Work) RETURN count(w) AS n")[0]["n"] > 40


def test_tables_written_a_chunk_at_a_time_hold_the_mapping_in_iri_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large tables go to Parquet a chunk of rows at a time: with chunks of 7 rows every
    table of the example is split, and the database still holds exactly the mapping, each
    table in key order."""
    monkeypatch.setattr(graphdb, "CHUNK", 7)
    store = Store(tmp_path / "store")
    ingest(store, example_paths())
    snapshot = store.snapshot()
    assert snapshot is not None
    expected = rows_of(to_property_graph(snapshot.rdf()))
    assert rows_in_database(store) == expected
    db = snapshot.graph()
    works = [r["iri"] for r in db.rows("MATCH (w:Work) RETURN w.iri AS iri")]
    assert len(works) > 7 * 3 and works == sorted(works)
    cites = [
        (r["a"], r["b"])
        for r in db.rows("MATCH (a:Work)-[:CITES]->(b:Work) RETURN a.iri AS a, b.iri AS b")
    ]
    assert len(cites) > 7 * 3 and cites == sorted(cites)


def test_a_build_that_finds_the_page_cache_full_starts_again_with_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """COPY holds a table's new pages in the cache until it commits, and a million
    references filled 256 MB. With a 4 MB floor the example's tables do not fit either:
    the build tries again with twice the cache until they do, and the database holds the
    whole mapping, nothing from the failed tries."""
    monkeypatch.setattr(graphdb, "BUILD_BUFFER_POOL", 4 << 20)
    monkeypatch.setattr(graphdb, "_decoded_bytes", lambda file: 0)
    pools: list[int] = []
    fill_once = graphdb._fill_once

    def counted(path: Path, copies: Any, pairs: Any, pool: int) -> None:
        pools.append(pool)
        fill_once(path, copies, pairs, pool)

    monkeypatch.setattr(graphdb, "_fill_once", counted)
    store = Store(tmp_path / "store")
    ingest(store, example_paths())
    assert len(pools) > 1 and pools == [(4 << 20) * 2**i for i in range(len(pools))]
    snapshot = store.snapshot()
    assert snapshot is not None
    assert rows_in_database(store) == rows_of(to_property_graph(snapshot.rdf()))
