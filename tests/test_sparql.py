"""SPARQL on the RDF store: saved questions answer on a small review, output shapes,
parameters bound as terms, updates and syntax errors refused in one line."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.ingest import ingest
from citegraph.graph.saved_queries import SavedQueryError
from citegraph.graph.sparql import (
    SparqlError,
    is_update,
    plain,
    run_saved,
    run_sparql,
    saved_sparql,
    to_term,
)
from citegraph.graph.store import Store

COHEN = "Social change and crime rate trends: a routine activity approach"
LIMA = "Community participation and citizen security in Lima"

#: For each saved query: the parameters it is run with, and a row it must return.
EXPECTED: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "works-dois": (
        {},
        {
            "title": COHEN,
            "year": 1979,
            "doi": "10.2307/2094589",
            "link": "https://doi.org/10.2307/2094589",
        },
    ),
    "theory-lineage": (
        {"theory": "situational"},
        {
            "theory": "situational",
            "name": "Situational crime prevention",
            "ancestor": "Human ecology",
        },
    ),
    "citation-contexts": (
        {},
        {
            "citing": "Preventive strategies for citizen security: a review",
            "cited": COHEN,
            "occurrences": 2,
            "context": "Cohen and Felson (1979) explain crime rates.",
        },
    ),
    "authors-orcid": ({}, {"family": "Quispe", "given": "A.", "orcid": None, "works": 3}),
    "works-on-theory": (
        {"theory": "ROUTINE activity"},
        {"name": "Routine activity theory", "title": LIMA, "year": 2019, "doi": None},
    ),
}


@pytest.fixture
def rdf(review_store: Store) -> pyoxigraph.Store:
    snapshot = review_store.snapshot()
    assert snapshot is not None
    return snapshot.rdf()


def sparql(store: Store, *args: str) -> Any:
    return CliRunner().invoke(
        main, ["--store", str(store.path), "sparql", *args], catch_exceptions=False
    )


def test_the_saved_queries_are_the_expected_ones() -> None:
    assert set(saved_sparql()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_saved_query_returns_its_rows(rdf: pyoxigraph.Store, name: str) -> None:
    params, wanted = EXPECTED[name]
    result = run_saved(rdf, name, params)
    assert result.rows, f"{name} returned nothing"
    assert set(wanted) <= set(result.columns)
    assert any(all(row[k] == v for k, v in wanted.items()) for row in result.rows), result.rows


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_queries_document_and_select_their_parameters(name: str) -> None:
    """Substitution binds only variables in the SELECT list, so each @param must be there;
    each file declares its own prefixes, so it runs in any SPARQL tool as it is."""
    query = saved_sparql()[name]
    assert query.purpose and query.purpose[0].isupper()
    select = re.search(r"SELECT(.*?)WHERE", query.text, re.S)
    assert select is not None
    for param in query.params:
        assert param.description
        assert f"?{param.name}" in select.group(1)
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"\b([a-z]+):\w", re.sub(r"<[^>]*>|\"[^\"]*\"", "", body)))
    declared = set(re.findall(r"PREFIX (\w+):", body))
    assert used <= declared, f"{name}: undeclared prefixes {used - declared}"


def test_theory_lineage_is_transitive_and_filtered(rdf: pyoxigraph.Store) -> None:
    rows = run_saved(rdf, "theory-lineage", {"theory": "diffusion"}).rows
    ancestors = {r["ancestor"] for r in rows}
    # Diffusion -> situational crime prevention -> rational choice -> deterrence
    assert {
        "Situational crime prevention",
        "Rational choice theory",
        "Deterrence theory",
    } <= ancestors
    assert {r["name"] for r in rows} == {"Diffusion of crime control benefits"}
    founding = {r["ancestor"]: r["founding_year"] for r in rows}
    assert founding["Situational crime prevention"] == 1980


def test_works_on_theory_needs_its_theory(rdf: pyoxigraph.Store) -> None:
    with pytest.raises(SavedQueryError, match="needs --param theory"):
        run_saved(rdf, "works-on-theory", {})
    with pytest.raises(SavedQueryError, match="no parameter \\$year"):
        run_saved(rdf, "works-on-theory", {"theory": "routine", "year": 2019})
    with pytest.raises(SavedQueryError, match="citegraph sparql --list"):
        run_saved(rdf, "nope", {})


def test_authors_orcid_reads_the_orcid_a_source_gave(store: Store, tmp_path: Path) -> None:
    items = [
        {
            "id": "braga2019",
            "type": "article-journal",
            "title": "Hot spots policing of small geographic areas",
            "issued": {"date-parts": [[2004]]},
            "author": [
                {
                    "family": "Braga",
                    "given": "Anthony A.",
                    "ORCID": "https://orcid.org/0000-0002-1825-0097",
                },
                {"family": "Papachristos", "given": "Andrew V."},
            ],
        }
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    ingest(store, [path])
    snapshot = store.snapshot()
    assert snapshot is not None
    rows = {r["family"]: r for r in run_saved(snapshot.rdf(), "authors-orcid", {}).rows}
    assert rows["Braga"]["orcid"] == "0000-0002-1825-0097"
    # the item, and the scheme's founding work of focused deterrence (Kennedy, Piehl &
    # Braga, 1996): one person, whose ORCID the item gave
    assert rows["Braga"]["works"] == 2
    assert rows["Papachristos"]["orcid"] is None
    store.close()


# --- parameters ---------------------------------------------------------------------------


def test_a_parameter_is_one_term_never_query_text(rdf: pyoxigraph.Store) -> None:
    query = "SELECT ?work ?title WHERE { ?work dcterms:title ?title }"
    assert [r["title"] for r in run_sparql(rdf, query, {"title": COHEN}).rows] == [COHEN]
    hostile = COHEN + '" } UNION { ?work ?p ?title } #'
    assert run_sparql(rdf, query, {"title": hostile}).rows == []
    work = run_sparql(rdf, query, {"title": COHEN}).rows[0]["work"]
    by_iri = run_sparql(rdf, query, {"work": f"<{work}>"}).rows
    assert [r["title"] for r in by_iri] == [COHEN]


def test_parameter_values_become_typed_terms() -> None:
    assert to_term("<https://example.org/x>") == pyoxigraph.NamedNode("https://example.org/x")
    assert to_term(1979) == pyoxigraph.Literal(
        "1979", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert to_term(True).value == "true"
    assert to_term("routine") == pyoxigraph.Literal("routine")
    with pytest.raises(SparqlError, match="one term"):
        to_term(["a", "b"])
    with pytest.raises(SparqlError, match="not an IRI"):
        to_term("<not an iri>")


def test_a_parameter_must_be_selected(rdf: pyoxigraph.Store) -> None:
    with pytest.raises(SparqlError, match="SELECT list"):
        run_sparql(rdf, "SELECT ?s WHERE { ?s ?p ?o }", {"p": "x"})


def test_plain_values() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert plain(pyoxigraph.Literal("1979", datatype=pyoxigraph.NamedNode(xsd + "gYear"))) == 1979
    assert plain(pyoxigraph.Literal("2.5", datatype=pyoxigraph.NamedNode(xsd + "decimal"))) == 2.5
    assert (
        plain(pyoxigraph.Literal("false", datatype=pyoxigraph.NamedNode(xsd + "boolean"))) is False
    )
    assert plain(pyoxigraph.Literal("x", datatype=pyoxigraph.NamedNode(xsd + "integer"))) == "x"
    assert plain(pyoxigraph.Literal("Lima", language="es")) == "Lima"
    assert plain(None) is None


def test_ask_and_construct_answer_too(rdf: pyoxigraph.Store) -> None:
    assert run_sparql(rdf, "ASK { ?a cito:cites ?b }").rows == [{"ask": True}]
    assert run_sparql(rdf, "ASK { ?a cito:cites ?a }").rows == [{"ask": False}]
    built = run_sparql(rdf, "CONSTRUCT { ?a cito:cites ?b } WHERE { ?a cito:cites ?b }")
    assert built.columns == ["subject", "predicate", "object"]
    assert len(built.rows) == 8  # the review's eight CITES pairs
    assert {r["predicate"] for r in built.rows} == {"http://purl.org/spar/cito/cites"}


# --- refused: updates and bad syntax -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("INSERT DATA { <a:b> <a:c> <a:d> }", True),
        (
            "  # a comment\nPREFIX cg: <https://w3id.org/citegraph/ontology#>\ndelete where { ?s ?p ?o }",
            True,
        ),
        ("BASE <http://x/> PREFIX : <http://x/#> CLEAR ALL", True),
        ("LOAD <http://example.org/data.ttl>", True),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:p ?o }", False),
        ("# DELETE this comment\nSELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT ?drop WHERE { ?drop ?p ?o }", False),
    ],
)
def test_is_update(text: str, update: bool) -> None:
    assert is_update(text) is update


def test_an_update_is_refused_in_one_line(review_store: Store) -> None:
    result = sparql(
        review_store, "PREFIX cg: <https://w3id.org/citegraph/ontology#>\nDELETE WHERE { ?s ?p ?o }"
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: refusing a SPARQL update: the store is read-only here "
        "(citegraph ingest and remove change it)"
    ]
    # and nothing was deleted
    counted = sparql(review_store, "--json", "SELECT (COUNT(*) AS ?n) WHERE { ?s cito:cites ?o }")
    assert json.loads(counted.output)["rows"] == [{"n": 8}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?s WHERE {\n  ?s ?p\n}", "Error: SPARQL syntax error at line 3, column "),
        ("SELECT ?s WHERE { ?s nope:p ?o }", "unknown prefix (declare it with PREFIX)"),
        ("SELEC ?s WHERE { ?s ?p ?o }", "Error: SPARQL syntax error at line 1, column "),
    ],
)
def test_a_syntax_error_is_one_line(review_store: Store, query: str, message: str) -> None:
    result = sparql(review_store, query)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output


# --- the command line ---------------------------------------------------------------------


def test_json_output_is_columns_and_rows(review_store: Store) -> None:
    result = sparql(
        review_store, "--json", "--saved", "works-on-theory", "--param", "theory=routine"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["columns"] == ["theory", "name", "used", "title", "year", "doi"]
    assert data["engine"] == "the store's RDF graph (Oxigraph)"
    assert [r["title"] for r in data["rows"]] == [LIMA, COHEN]  # newest first
    assert data["rows"][1]["year"] == 1979 and data["rows"][1]["doi"] == "10.2307/2094589"


def test_csv_output_has_a_header_and_one_line_per_row(review_store: Store) -> None:
    result = sparql(review_store, "--csv", "--saved", "citation-contexts")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["citing", "cited", "occurrences", "context"]
    assert len(rows) == 1 + 5  # five sentences hold citations in the review
    assert [
        "Preventive strategies for citizen security: a review",
        COHEN,
        "2",
        "Routine activities matter (Cohen & Felson, 1979).",
    ] in rows


def test_table_output_and_list(review_store: Store) -> None:
    result = sparql(
        review_store, "SELECT ?title WHERE { ?w dcterms:title ?title } ORDER BY ?title LIMIT 2"
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].strip() == "title"
    assert "2 rows, answered by the store's RDF graph (Oxigraph)" in result.output
    listed = sparql(review_store, "--list", "--json")
    names = [q["name"] for q in json.loads(listed.output)]
    assert names == sorted(EXPECTED)
    works_on = next(q for q in json.loads(listed.output) if q["name"] == "works-on-theory")
    assert works_on["params"][0]["name"] == "theory" and works_on["params"][0]["required"]


@pytest.mark.parametrize(
    "args",
    [[], ["SELECT * WHERE { ?s ?p ?o }", "--saved", "works-dois"], ["--json", "--csv", "ASK {}"]],
)
def test_usage_errors(review_store: Store, args: list[str]) -> None:
    assert sparql(review_store, *args).exit_code == 2


def test_no_store_yet_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "none"), "sparql", "ASK {}"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "no store here yet" in result.output
