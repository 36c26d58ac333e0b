"""Neo4j sync against the real server: exact content, idempotence, prune, concurrency."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.neo4j_connect import Neo4jError, Neo4jSettings, connect
from citegraph.graph.neo4j_sync import (
    SyncSummary,
    merge_nodes_query,
    store_id,
    sync,
)
from citegraph.graph.property_graph import (
    LABEL_NAMES,
    Node,
    PropertyGraph,
    to_property_graph,
)
from citegraph.graph.store import Store

pytestmark = pytest.mark.neo4j

Snapshot = tuple[list[str], list[str]]


def snapshot(driver: neo4j.Driver, database: str | None, internal: bool = False) -> Snapshot:
    """Everything in the database as sorted JSON lines (our bookkeeping left out by default)."""

    def props(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if internal or not k.startswith("_cg_")}

    nodes = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS p", database_=database
    ).records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.iri AS a, type(r) AS t, b.iri AS b, properties(r) AS p",
        database_=database,
    ).records
    return (
        sorted(json.dumps([sorted(r["labels"]), props(r["p"])], sort_keys=True) for r in nodes),
        sorted(json.dumps([r["a"], r["t"], r["b"], props(r["p"])], sort_keys=True) for r in rels),
    )


def expected(pg: PropertyGraph) -> Snapshot:
    return (
        sorted(json.dumps([[n.label], n.properties], sort_keys=True) for n in pg.nodes.values()),
        sorted(
            json.dumps([r.start, r.type, r.end, r.properties], sort_keys=True)
            for r in pg.relationships
        ),
    )


def graph_of(store: Store) -> PropertyGraph:
    """Read through a store object of its own, dropped at once, so the store stays unlocked."""
    return to_property_graph(Store(store.path).snapshot().rdf())


def full_sync(pg: PropertyGraph) -> SyncSummary:
    return SyncSummary(nodes_created=len(pg.nodes), rels_created=len(pg.relationships))


def test_sync_writes_the_property_graph_exactly(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    db = neo4j_settings.database
    assert sync(pg, neo4j_driver, db, "a") == full_sync(pg)
    assert snapshot(neo4j_driver, db) == expected(pg)
    cites = neo4j_driver.execute_query(
        "MATCH (:Work)-[c:CITES]->(w:Work) WHERE size(c.flags) > 0 "
        "RETURN c.flags AS flags, c.contexts AS contexts, c.count AS n, w.keywords AS kw",
        database_=db,
    ).records
    assert [(r["flags"], r["n"]) for r in cites] == [(["year_mismatch"], 1)]
    assert cites[0]["contexts"] == ["Mamani (2020) describes councils."]
    assert cites[0]["kw"] == []
    positions = neo4j_driver.execute_query(
        "MATCH (p:Person)-[a:AUTHORED]->(w:Work) WHERE w.title STARTS WITH 'Preventive' "
        "RETURN p.family AS who, a.position AS pos ORDER BY pos",
        database_=db,
    ).records
    assert [(r["who"], r["pos"]) for r in positions] == [("Quispe", 1), ("Mamani", 2)]
    unique = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD labelsOrTypes AS l, properties AS p, type "
        "WHERE type = 'UNIQUENESS' AND p = ['iri'] RETURN l[0] AS label",
        database_=db,
    ).records
    assert set(LABEL_NAMES) <= {r["label"] for r in unique}


def test_unchanged_resync_writes_nothing_and_changes_nothing(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    db = neo4j_settings.database
    sync(pg, neo4j_driver, db, "a")
    before = snapshot(neo4j_driver, db, internal=True)
    assert sync(pg, neo4j_driver, db, "a") == SyncSummary()
    assert sync(pg, neo4j_driver, db, "a", prune=True) == SyncSummary()
    assert snapshot(neo4j_driver, db, internal=True) == before


def test_dry_run_reports_changes_without_writing(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    trimmed = graph_of(make_store("t", "trimmed"))
    db = neo4j_settings.database
    assert sync(pg, neo4j_driver, db, "a", dry_run=True) == full_sync(pg)
    assert snapshot(neo4j_driver, db) == ([], [])
    sync(pg, neo4j_driver, db, "a")
    before = snapshot(neo4j_driver, db, internal=True)
    estimate = sync(trimmed, neo4j_driver, db, "a", dry_run=True, prune=True)
    assert snapshot(neo4j_driver, db, internal=True) == before
    assert estimate.nodes_deleted > 0 and estimate.rels_deleted > 0
    assert estimate.nodes_updated > 0
    assert sync(trimmed, neo4j_driver, db, "a", prune=True) == estimate
    assert snapshot(neo4j_driver, db) == expected(trimmed)


def test_changes_update_in_place_and_vanished_properties_go(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    db = neo4j_settings.database
    sync(pg, neo4j_driver, db, "a")
    work = next(n for n in pg.by_label("Work") if "doi" in n.properties)
    neo4j_driver.execute_query(
        "MATCH (w:Work {iri: $iri}) SET w.note = 'kept: not ours'", {"iri": work.iri}, database_=db
    )
    changed = dict(pg.nodes)
    changed[work.iri] = Node(
        work.iri,
        "Work",
        {k: v for k, v in work.properties.items() if k != "doi"} | {"keywords": ["one", "two"]},
    )
    smaller = PropertyGraph(changed, pg.relationships)
    assert sync(smaller, neo4j_driver, db, "a") == SyncSummary(nodes_updated=1)
    found = neo4j_driver.execute_query(
        "MATCH (w:Work {iri: $iri}) RETURN properties(w) AS p", {"iri": work.iri}, database_=db
    ).records[0]["p"]
    assert "doi" not in found and found["keywords"] == ["one", "two"]
    assert found["note"] == "kept: not ours"


def test_prune_deletes_only_what_this_store_wrote(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    trimmed = graph_of(make_store("t", "trimmed"))
    db = neo4j_settings.database
    sync(pg, neo4j_driver, db, "a")
    doc = next(n.iri for n in pg.by_label("Work") if n.name.startswith("Preventive"))
    neo4j_driver.execute_query(
        "CREATE (:Work {iri: 'urn:foreign:work', title: 'not from citegraph'}), "
        "(:Note {text: 'a note'}) WITH 1 AS one "
        "MATCH (d:Work {iri: $doc}) CREATE (d)-[:RECOMMENDED_BY {why: 'mine'}]->(:Reader)",
        {"doc": doc},
        database_=db,
    )
    foreign = (
        [
            '[["Note"], {"text": "a note"}]',
            '[["Reader"], {}]',
            '[["Work"], {"iri": "urn:foreign:work", "title": "not from citegraph"}]',
        ],
        [json.dumps([doc, "RECOMMENDED_BY", None, {"why": "mine"}], sort_keys=True)],
    )
    summary = sync(trimmed, neo4j_driver, db, "a", prune=True)
    assert summary.nodes_deleted == len(set(pg.nodes) - set(trimmed.nodes))
    nodes, rels = expected(trimmed)
    assert snapshot(neo4j_driver, db) == (sorted(nodes + foreign[0]), sorted(rels + foreign[1]))


def test_two_stores_share_one_database(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    first, second = graph_of(make_store("a")), graph_of(make_store("b", "other"))
    db = neo4j_settings.database
    sync(first, neo4j_driver, db, "a")
    sync(second, neo4j_driver, db, "b")
    shared = set(first.nodes) & set(second.nodes)
    owners = neo4j_driver.execute_query(
        "MATCH (n) WHERE n.iri IN $iris RETURN n._cg_stores AS s",
        {"iris": sorted(shared)},
        database_=db,
    ).records
    assert len(owners) == len(shared) and all(sorted(r["s"]) == ["a", "b"] for r in owners)
    empty = PropertyGraph({}, [])
    summary = sync(empty, neo4j_driver, db, "a", prune=True)
    assert summary.nodes_deleted == len(set(first.nodes) - shared)
    left = neo4j_driver.execute_query(
        "MATCH (n) RETURN n.iri AS iri, n._cg_stores AS s", database_=db
    ).records
    assert {r["iri"] for r in left} == set(second.nodes)
    assert all(r["s"] == ["b"] for r in left)
    assert sync(second, neo4j_driver, db, "b") == SyncSummary()


def _duplicates(driver: neo4j.Driver, database: str | None) -> tuple[int, int]:
    nodes = driver.execute_query(
        "MATCH (n) WITH labels(n) AS l, n.iri AS iri, count(*) AS c WHERE c > 1 "
        "RETURN count(*) AS d",
        database_=database,
    ).records[0]["d"]
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(*) AS c WHERE c > 1 "
        "RETURN count(*) AS d",
        database_=database,
    ).records[0]["d"]
    return nodes, rels


def test_concurrent_syncs_create_no_duplicates(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    db = neo4j_settings.database
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run(store: str) -> None:
        try:
            barrier.wait()
            sync(pg, neo4j_driver, db, store, batch_size=7)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in ("a", "a", "b", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _duplicates(neo4j_driver, db) == (0, 0)
    assert snapshot(neo4j_driver, db) == expected(pg)
    assert sync(pg, neo4j_driver, db, "a") == SyncSummary()
    assert sync(pg, neo4j_driver, db, "b") == SyncSummary()


class Interrupted(Exception):
    pass


def test_interrupted_sync_converges(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    pg = graph_of(make_store("a"))
    db = neo4j_settings.database
    half = dict(list(pg.nodes.items())[::2])
    partial = PropertyGraph(
        half, [r for r in pg.relationships if r.start in half and r.end in half][::2]
    )
    sync(partial, neo4j_driver, db, "a")

    def stop_after_three_batches(phase: str, done: int, total: int) -> None:
        if done >= 15:
            raise Interrupted

    with pytest.raises(Interrupted):
        sync(pg, neo4j_driver, db, "a", batch_size=5, progress=stop_after_three_batches)
    resumed = sync(pg, neo4j_driver, db, "a", batch_size=5)
    assert 0 < resumed.nodes_created + resumed.rels_created
    assert resumed.nodes_created < len(pg.nodes) - len(half)
    assert snapshot(neo4j_driver, db) == expected(pg)
    assert sync(pg, neo4j_driver, db, "a") == SyncSummary()


def test_labels_and_types_come_only_from_the_contract() -> None:
    with pytest.raises(ValueError, match="not a label"):
        merge_nodes_query("Work`) DETACH DELETE (x")


def test_store_id_is_stable_and_readable(tmp_path: Path) -> None:
    assert store_id(tmp_path / "store") == store_id(tmp_path / "x" / ".." / "store")
    assert store_id(tmp_path / "store").startswith("store-")
    assert store_id(tmp_path / "store") != store_id(tmp_path / "other" / "store")


def one_line(message: str) -> str:
    assert "\n" not in message.strip()
    assert "Traceback" not in message
    return message


def test_wrong_password_is_one_clear_line(neo4j_settings: Neo4jSettings) -> None:
    wrong = neo4j_settings.with_password(str(neo4j_settings.password) + "-not-it")
    with pytest.raises(Neo4jError) as caught:
        connect(wrong)
    message = one_line(str(caught.value))
    assert "rejected the user name or password" in message
    assert str(wrong.password) not in message


def test_unreachable_server_is_one_clear_line() -> None:
    started = time.monotonic()
    with pytest.raises(Neo4jError) as caught:
        connect(Neo4jSettings("bolt://127.0.0.1:1", "neo4j", "secret-password"))
    assert time.monotonic() - started < 10
    message = one_line(str(caught.value))
    assert message.startswith("cannot reach Neo4j at bolt://127.0.0.1:1")
    assert "secret-password" not in message


def test_missing_database_is_one_clear_line(
    neo4j_driver: neo4j.Driver, make_store: Callable[..., Store]
) -> None:
    with pytest.raises(Neo4jError, match="no such database") as caught:
        sync(graph_of(make_store("a")), neo4j_driver, "nosuchdb", "a")
    one_line(str(caught.value))


def cli_env(settings: Neo4jSettings, **changes: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.user,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database,
    }
    env.update(changes)
    return env


def test_cli_sync_reports_and_is_idempotent(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    store = make_store("a")
    pg = graph_of(store)
    runner = CliRunner()
    args = ["--store", str(store.path), "sync"]
    dry = runner.invoke(main, [*args, "--dry-run", "--json"], env=cli_env(neo4j_settings))
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["nodes_created"] == len(pg.nodes)
    first = runner.invoke(main, args, env=cli_env(neo4j_settings))
    assert first.exit_code == 0, first.output
    assert "synced to" in first.stdout and store_id(store.path) in first.stdout
    assert snapshot(neo4j_driver, neo4j_settings.database) == expected(pg)
    again = runner.invoke(main, [*args, "--prune", "--json"], env=cli_env(neo4j_settings))
    counts = json.loads(again.stdout)
    assert sum(v for k, v in counts.items() if k.endswith(("created", "updated", "deleted"))) == 0


def test_cli_sync_errors_are_one_line_without_the_password(
    neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    def run(name: str, **env: str | None) -> Any:
        # a store each: a failed invocation's traceback keeps its store open (and locked)
        args = ["--store", str(make_store(name).path), "sync"]
        return CliRunner().invoke(main, args, env=cli_env(neo4j_settings, **env))

    wrong = run("w", NEO4J_PASSWORD="hunter2-wrong")
    down = run("d", NEO4J_URI="bolt://127.0.0.1:1")
    unset = run("u", NEO4J_URI=None)
    for result, expect in (
        (wrong, "rejected the user name or password"),
        (down, "cannot reach Neo4j"),
        (unset, "no Neo4j configured"),
    ):
        assert result.exit_code == 1, result.output
        assert expect in one_line(result.output)
        assert result.output.startswith("Error: ")
        assert "hunter2-wrong" not in result.output
