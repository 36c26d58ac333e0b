"""Cypher on both engines: saved queries agree, Neo4j is read-only unless told otherwise."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.cypher_dialect import DialectError, inline_hop_bounds, to_embedded
from citegraph.graph.ingest import ingest
from citegraph.graph.neo4j_connect import Neo4jError, Neo4jSettings
from citegraph.graph.neo4j_sync import sync
from citegraph.graph.property_graph import PropertyGraph, to_property_graph
from citegraph.graph.query import (
    QueryError,
    QueryResult,
    parse_param,
    run_embedded,
    run_neo4j,
)
from citegraph.graph.saved_queries import SavedQueryError, saved_queries, saved_query
from citegraph.graph.store import Store
from citegraph.graph.store.graphdb import GraphDB

#: Parameters that make every saved query return rows on the `make_store` review.
ARGUMENTS = {
    "theory": "routine ACTIVITY theory",
    "strategy": "Community participation",
    "work": "Social change and crime rate trends: a routine activity approach",
    "a": "Preventive strategies for citizen security: a review",
    "b": "Citizen security in the Andes",
}
#: Theories in the review's lineage (its works use routine activity theory).
LINEAGE = {
    "theory-lineage": "Situational crime prevention",
    "theory-descendants": "Social disorganization theory",
}


def arguments(name: str) -> dict[str, Any]:
    query = saved_query(name)
    given = {p.name: ARGUMENTS[p.name] for p in query.params if p.required}
    if name in LINEAGE:
        given["theory"] = LINEAGE[name]
    return query.bind(given)


def graph_of(store: Store) -> PropertyGraph:
    return to_property_graph(Store(store.path).snapshot().rdf())


@pytest.fixture
def review(review_store: Store) -> PropertyGraph:
    return to_property_graph(review_store.snapshot().rdf())


@pytest.fixture
def embedded(review_store: Store) -> GraphDB:
    return review_store.snapshot().graph()


def canonical(result: QueryResult, ordered: bool) -> tuple[list[str], list[str]]:
    rows = [json.dumps(row, sort_keys=True) for row in result.rows]
    return result.columns, rows if ordered else sorted(rows)


# --- the library of saved queries --------------------------------------------------------


def test_the_library_documents_every_query() -> None:
    queries = saved_queries()
    assert len(queries) >= 15
    for query in queries.values():
        assert query.purpose and query.purpose[0].isupper(), query.name
        assert query.text.splitlines()[0].startswith("// "), query.name
        assert all(param.description for param in query.params), query.name
        body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
        assert set(re.findall(r"\$(\w+)", body)) == {p.name for p in query.params}, query.name
    files = {f.name for f in resources.files("citegraph.queries").iterdir()}
    assert {f"{name}.cypher" for name in queries} <= files


def test_saved_query_binding_catches_mistakes() -> None:
    query = saved_query("most-cited-on-theory")
    assert query.bind({"theory": "x"}) == {"theory": "x", "limit": 20}
    with pytest.raises(SavedQueryError, match="needs --param theory"):
        query.bind({})
    with pytest.raises(SavedQueryError, match="no parameter \\$theroy"):
        query.bind({"theroy": "x", "theory": "x"})
    with pytest.raises(SavedQueryError, match="no saved query 'nope'"):
        saved_query("nope")


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_runs_on_the_embedded_graph(name: str, embedded: GraphDB) -> None:
    result = run_embedded(embedded, saved_query(name).text, arguments(name))
    assert result.rows, f"{name} found nothing in the test review"
    assert result.columns == list(result.rows[0])


def test_saved_queries_answer_the_questions(embedded: GraphDB) -> None:
    def rows(name: str, **given: Any) -> list[dict[str, Any]]:
        return run_embedded(embedded, saved_query(name).text, arguments(name) | given).rows

    cited = rows("most-cited", limit=1)[0]
    assert (cited["year"], cited["citations"]) == (1979, 4)
    assert [r["work"] for r in rows("uncited-references")] == ["Designing out crime"]
    assert [(r["flags"], r["occurrences"]) for r in rows("flagged-citations")] == [
        (["year_mismatch"], 1)
    ]
    assert {r["work"].lower() for r in rows("shared-citations")} == {
        "social change and crime rate trends: a routine activity approach",
        "community participation and citizen security in lima",
    }
    assert [r["place"] for r in rows("findings-on-strategy-by-country")] == ["Peru"]
    assert {r["ancestor"] for r in rows("theory-lineage", depth=1)} == {
        "Rational choice theory",
        "Routine activity theory",
        "Crime pattern theory",
    }
    assert len(rows("theory-lineage", depth=3)) > len(rows("theory-lineage", depth=1))
    pairs = {(r["author"], r["coauthor"], r["works"]) for r in rows("co-authors")}
    assert ("Quispe, A.", "Ramos, C.", 2) in pairs or ("Ramos, C.", "Quispe, A.", 2) in pairs


# --- the embedded engine ------------------------------------------------------------------


def test_param_values_are_json_typed() -> None:
    assert parse_param("limit=5") == ("limit", 5)
    assert parse_param("flag=true") == ("flag", True)
    assert parse_param('names=["a", "b"]') == ("names", ["a", "b"])
    assert parse_param('year="1979"') == ("year", "1979")
    assert parse_param("theory=Routine activity theory") == ("theory", "Routine activity theory")
    assert parse_param("empty=") == ("empty", "")
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_param("no-equals-sign")


def test_hop_bounds_take_integer_parameters() -> None:
    text = "MATCH (a)-[:DERIVES_FROM*1..$depth]->(b) WHERE a.name = '*1..$depth' RETURN b"
    assert inline_hop_bounds(text, {"depth": 2}) == text.replace("*1..$depth]", "*1..2]", 1)
    with pytest.raises(DialectError, match="integer"):
        inline_hop_bounds(text, {"depth": "2"})
    both = "MATCH (a)<-[r:CITES|USES_THEORY *$low..$high]-(b) RETURN 2 * $x"
    assert inline_hop_bounds(both, {"low": 1, "high": 3, "x": 0.5}) == (
        "MATCH (a)<-[r:CITES|USES_THEORY *1..3]-(b) RETURN 2 * $x"
    )
    with pytest.raises(DialectError, match="missing parameter \\$depth"):
        inline_hop_bounds(text, {})


def test_embedded_engine_speaks_the_common_cypher(embedded: GraphDB) -> None:
    grouped = run_embedded(
        embedded,
        (
            "// which kinds of works, and how many\n"
            "MATCH (w:Work) WHERE w.year IS NOT NULL AND w.type <> 'other' "
            "RETURN w.type, count(w) AS n ORDER BY n DESC, w.type LIMIT $top"
        ),
        {"top": 2},
    )
    assert grouped.columns == ["w.type", "n"]
    assert len(grouped.rows) == 2 and grouped.rows[0]["n"] >= grouped.rows[1]["n"] > 0
    total = run_embedded(
        embedded,
        "MATCH (w:Work)<-[c:CITES]-(d:Work) "
        "RETURN d.name AS citing, SUM(c.count) AS n "
        "ORDER BY n DESC LIMIT 1",
    )
    assert total.rows[0]["n"] == 5  # counted over every match, then limited
    distinct = run_embedded(
        embedded,
        "MATCH (w:Work)-[:STUDIES]->(p:Country) RETURN DISTINCT p.name AS place ORDER BY place",
    )
    assert distinct.rows == [{"place": "Colombia"}, {"place": "Peru"}]
    quoted = run_embedded(
        embedded,
        "MATCH (t:Theory) WHERE t.name = $name RETURN t.iri AS iri",
        {"name": 'A "quoted" name\\ with \u00e9'},
    )
    assert quoted.rows == []


def test_embedded_engine_returns_entities_as_their_properties(
    embedded: GraphDB, review: PropertyGraph
) -> None:
    found = run_embedded(
        embedded,
        "MATCH (t:Theory)-[d:DERIVES_FROM]->(p:Theory) "
        "WHERE t.name = 'Collective efficacy' RETURN t, d",
    )
    theory = next(n for n in review.by_label("Theory") if n.name == "Collective efficacy")
    assert found.rows == [{"t": theory.properties, "d": {"sources": []}}]


def test_embedded_engine_explains_what_it_cannot_run(embedded: GraphDB) -> None:
    with pytest.raises(QueryError, match="embedded engine: .*nosuch"):
        run_embedded(embedded, "MATCH (n:Work) RETURN n.nosuch AS x")
    with pytest.raises(QueryError, match="missing parameter \\$x"):
        run_embedded(embedded, "MATCH (n) WHERE n.name = $x RETURN n.name")
    with pytest.raises(QueryError, match="read-only"):
        run_embedded(embedded, "CREATE (:Work {iri: 'x'})")
    assert run_embedded(embedded, "MATCH (w:Work) RETURN count(*)").rows[0]["count(*)"] > 0


def test_embedded_engine_speaks_neo4j_spellings(embedded: GraphDB) -> None:
    found = run_embedded(
        embedded,
        "MATCH (f:Finding)-[r:IN]->(p) "
        "RETURN DISTINCT type(r) AS t, labels(p) AS l, toString(f.line) AS line, "
        "toInteger('7') AS seven ORDER BY line LIMIT 1",
    )
    assert found.rows == [{"t": "IN", "l": ["Country"], "line": "11", "seven": 7}]
    # never inside strings, names or comments
    text = "MATCH (n) WHERE n.name = 'type(x)' // labels(n)\nRETURN n.`type(` AS x"
    assert to_embedded(text, {}) == text


def test_embedded_engine_runs_what_the_old_one_could_not(embedded: GraphDB) -> None:
    with_unwind = run_embedded(
        embedded,
        "MATCH (w:Work) WITH w WHERE w.year IS NOT NULL "
        "UNWIND w.keywords AS keyword "
        "OPTIONAL MATCH (w)<-[c:CITES]-(:Work) "
        "WITH keyword, count(c) AS citations "
        "RETURN keyword, citations ORDER BY citations DESC, keyword LIMIT 1",
    )
    assert with_unwind.rows == [{"keyword": "crime rates", "citations": 4}]


# --- the command line, embedded -----------------------------------------------------------


def invoke(store: Store, *args: str, **env: str | None) -> Any:
    environment = {"NEO4J_URI": None} | env
    return CliRunner().invoke(main, ["--store", str(store.path), "query", *args], env=environment)


def test_cli_lists_saved_queries(make_store: Callable[..., Store]) -> None:
    store = make_store("review")
    listed = invoke(store, "--list")
    assert listed.exit_code == 0, listed.output
    for name in saved_queries():
        assert name in listed.output
    as_json = json.loads(invoke(store, "--list", "--json").stdout)
    lineage = next(q for q in as_json if q["name"] == "theory-lineage")
    assert {p["name"]: p["required"] for p in lineage["params"]} == {"theory": True, "depth": False}


def test_cli_runs_saved_queries_with_typed_params(make_store: Callable[..., Store]) -> None:
    store = make_store("review")
    top = invoke(store, "--saved", "most-cited", "--param", "limit=2", "--json")
    assert top.exit_code == 0, top.output
    data = json.loads(top.stdout)
    assert data["engine"] == "the store's embedded database"
    assert len(data["rows"]) == 2 and data["columns"][-1] == "citations"
    table = invoke(store, "--saved", "works-on-theory", "--param", "theory=Routine activity theory")
    assert table.exit_code == 0, table.output
    assert "Community participation and citizen security in Lima" in table.stdout
    assert table.stdout.rstrip().endswith("rows, answered by the store's embedded database")
    as_csv = invoke(
        store,
        "MATCH (w:Work) WHERE w.year = $year RETURN w.title AS title, w.keywords AS keywords",
        "--param",
        "year=1979",
        "--csv",
    )
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["title", "keywords"] and len(rows) == 2
    assert json.loads(rows[1][1]) == ["crime rates", "routine activities"]
    as_string = invoke(
        store,
        "MATCH (w:Work) WHERE w.year = $year RETURN w.title AS t",
        "--param",
        'year="1979"',
        "--json",
    )
    # Neo4j finds nothing for 1979 = "1979"; the embedded engine casts the string (a
    # documented dialect difference), so both spellings find the work there
    assert len(json.loads(as_string.stdout)["rows"]) == 1


def test_cli_query_errors_are_one_line(make_store: Callable[..., Store]) -> None:
    store = make_store("review")
    cases = [
        (invoke(store, "CREATE (n:X) RETURN n", "--write"), 1, "--write needs Neo4j"),
        (invoke(store, "--saved", "most-cited-on-theory"), 1, "needs --param theory"),
        (invoke(store, "--saved", "nope"), 1, "no saved query 'nope'"),
        (invoke(store, "MATCH (n:Work) RETURN n.nosuch"), 1, "Cannot find property nosuch"),
        (invoke(store), 2, "either a CYPHER query or --saved"),
    ]
    for result, code, message in cases:
        assert result.exit_code == code, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        if code == 1:
            assert result.output.startswith("Error: ") and result.output.count("\n") == 1


# --- Neo4j ---------------------------------------------------------------------------------


@pytest.fixture
def synced(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, review: PropertyGraph
) -> neo4j.Driver:
    sync(review, neo4j_driver, neo4j_settings.database, "review")
    return neo4j_driver


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_query_is_identical_on_both_engines(
    name: str, synced: neo4j.Driver, neo4j_settings: Neo4jSettings, embedded: GraphDB
) -> None:
    text, params = saved_query(name).text, arguments(name)
    on_neo4j = run_neo4j(synced, neo4j_settings.database, text, params)
    on_embedded = run_embedded(embedded, text, params)
    assert on_neo4j.rows, f"{name} found nothing in the test review"
    ordered = "ORDER BY" in text
    assert canonical(on_embedded, ordered) == canonical(on_neo4j, ordered)


@pytest.mark.neo4j
def test_saved_queries_agree_on_the_bundled_example(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    store = make_store("example")
    example = resources.files("citegraph.examples") / "citizen-security-example.md"
    with resources.as_file(example) as path:
        ingest(Store(store.path), [path], None, None)
    pg = graph_of(store)
    sync(pg, neo4j_driver, neo4j_settings.database, "example")
    graph = Store(store.path).snapshot().graph()
    for name in saved_queries():
        text, params = saved_query(name).text, arguments(name)
        ordered = "ORDER BY" in text
        embedded = run_embedded(graph, text, params)
        assert embedded.rows, f"{name} found nothing in the bundled example"
        assert canonical(embedded, ordered) == canonical(
            run_neo4j(neo4j_driver, neo4j_settings.database, text, params), ordered
        ), name


@pytest.mark.neo4j
def test_neo4j_refuses_writes_unless_asked(
    synced: neo4j.Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    for text in (
        "CREATE (n:Scratch) RETURN n",
        "MATCH (w:Work) SET w.x = 1 RETURN count(w)",
        "MATCH (n:Work) DETACH DELETE n",
        "CREATE INDEX scratch FOR (n:Scratch) ON (n.x)",
    ):
        with pytest.raises(QueryError, match="refusing a query that may write.*--write"):
            run_neo4j(synced, db, text)
    untouched = run_neo4j(synced, db, "MATCH (w:Work) WHERE w.x IS NOT NULL RETURN count(w) AS n")
    assert untouched.rows == [{"n": 0}]
    written = run_neo4j(
        synced, db, "CREATE (n:Scratch {x: $x}) RETURN n.x AS x", {"x": [1, 2]}, write=True
    )
    assert written.rows == [{"x": [1, 2]}]
    run_neo4j(synced, db, "MATCH (n:Scratch) DELETE n", write=True)


@pytest.mark.neo4j
def test_neo4j_results_hide_citegraph_bookkeeping(
    synced: neo4j.Driver, neo4j_settings: Neo4jSettings, review: PropertyGraph
) -> None:
    found = run_neo4j(
        synced,
        neo4j_settings.database,
        "MATCH (t:Theory {name: 'Collective efficacy'})-[d:DERIVES_FROM]->() RETURN t, d",
    )
    theory = next(n for n in review.by_label("Theory") if n.name == "Collective efficacy")
    assert found.rows == [{"t": theory.properties, "d": {"sources": []}}]


@pytest.mark.neo4j
def test_cli_query_picks_neo4j_when_configured(
    synced: neo4j.Driver, neo4j_settings: Neo4jSettings, make_store: Callable[..., Store]
) -> None:
    store = make_store("review")
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USERNAME": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    auto = invoke(store, "--saved", "works-per-year", "--json", **env)
    assert auto.exit_code == 0, auto.output
    assert json.loads(auto.stdout)["engine"] == f"Neo4j at {neo4j_settings.uri}"
    forced = invoke(store, "--saved", "works-per-year", "--json", "--engine", "embedded", **env)
    assert json.loads(forced.stdout)["rows"] == json.loads(auto.stdout)["rows"]
    refused = invoke(store, "MATCH (n:Work) DETACH DELETE n", **env)
    assert refused.exit_code == 1 and "pass --write" in refused.output
    typed = invoke(
        store,
        "RETURN $n + 1 AS next, $s AS s",
        "--param",
        "n=41",
        "--param",
        "s=41",
        "--param",
        'q="41"',
        "--json",
        **env,
    )
    assert json.loads(typed.stdout)["rows"] == [{"next": 42, "s": 41}]


@pytest.fixture
def neo4j_import_dir() -> Path:
    """The server's import folder: $NEO4J_IMPORT_DIR (`neo4j/neo4j.sh env` prints it), else
    the bundled server's `import/` in its data directory."""
    repo = Path(__file__).resolve().parents[1]
    data = Path(os.environ.get("NEO4J_DATA_DIR") or repo / ".neo4j-data")
    folder = Path(os.environ.get("NEO4J_IMPORT_DIR") or data / "import")
    if not folder.is_dir():
        pytest.fail(f"no Neo4j import folder at {folder}: set NEO4J_IMPORT_DIR (neo4j.sh env)")
    return folder


def rows_or_refusal(driver: neo4j.Driver, database: str, cypher: str) -> list[dict[str, Any]]:
    try:
        return run_neo4j(driver, database, cypher).rows
    except (QueryError, Neo4jError) as error:
        assert "root:" not in str(error)
        return []


@pytest.mark.neo4j
def test_load_csv_reads_the_import_folder_and_nothing_else(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, neo4j_import_dir: Path
) -> None:
    db = neo4j_settings.database
    for url in ("file:///etc/passwd", "file:/etc/passwd", "file:///../../../../../../etc/passwd"):
        rows = rows_or_refusal(neo4j_driver, db, f"LOAD CSV FROM '{url}' AS l RETURN l LIMIT 2")
        assert rows == [], f"{url} was read: {rows}"
    name = f"citegraph-test-{uuid.uuid4().hex}.csv"
    csv_file = neo4j_import_dir / name
    csv_file.write_text('title,year\n"Designing out crime, again",1995\n', encoding="utf-8")
    try:
        loaded = run_neo4j(
            neo4j_driver,
            db,
            f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row "
            "RETURN row.title AS title, toInteger(row.year) AS year",
        )
    finally:
        csv_file.unlink()
    assert loaded.rows == [{"title": "Designing out crime, again", "year": 1995}]
