"""Every export format is read back by the tool it is meant for.

The store holds a review citing two works whose titles try to break each format:
`O'Brien "quoted" \\ back\\slash` and `<img src=x onerror=alert(1)>`.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import bibtexparser
import networkx as nx
import pyoxigraph
import pytest
import rdflib
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from click.testing import CliRunner
from rdflib.compare import isomorphic

from citegraph.cli import main
from citegraph.graph.export import TEXT_FORMATS, export
from citegraph.graph.export_csv import FALLBACK_DELIMITER, csv_files
from citegraph.graph.export_cypher import cypher_statements, cypher_string, cypher_value
from citegraph.graph.ingest import store_results
from citegraph.graph.property_graph import (
    LABEL_NAMES,
    RELATIONSHIP_TYPES,
    Node,
    PropertyGraph,
    to_property_graph,
)
from citegraph.graph.store import Store
from citegraph.graph.subgraph import SubgraphFilter
from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    LoadResult,
    Mention,
    Source,
    Work,
)

QUOTED = 'O\'Brien "quoted" \\ back\\slash'
HTML = "<img src=x onerror=alert(1)>"
NASTY = [QUOTED, HTML, "semi;colon\nnew line\ttab", "Ünïcödé 日本 — “curly” ’", "\u2028\x00\u200b"]
ANA = Agent("Ana Pérez", family="Pérez", given="Ana")


def _records() -> list[object]:
    def src(line: int) -> Source:
        return Source("review.md", line, "review")

    return [
        Work(
            "rev",
            src(1),
            title="A review of citizen security",
            year=2020,
            type="article",
            authors=(ANA,),
            doi="10.1/rev",
            container="Journal of Crime",
            is_document=True,
        ),
        Work(
            "a",
            src(10),
            title=QUOTED,
            year=2015,
            type="article",
            doi="10.1/a",
            pages="1-20",
            authors=(ANA, Agent("Bo Li", family="Li", given="Bo")),
            container="Crime Science",
            keywords=("fear", "participation; local"),
        ),
        Work(
            "b",
            src(11),
            title=HTML,
            year=2010,
            type="book",
            publisher="World Bank",
            authors=(Agent("World Bank", kind="organization"),),
        ),
        Citation("rev", "a", src(3), contexts=("As O'Brien says; twice",), count=2),
        Citation("rev", "b", src(4)),
        Citation("a", "b", src(10)),
        Mention("a", "theory", "routine-activity", "routine activity", src(5)),
        Mention("a", "place", "PE", "Peru", src(5)),
        Finding(
            "a",
            "Participation reduces fear",
            "Participation reduced fear in Lima.",
            src(7),
            about=("community-participation",),
            places=("PE",),
        ),
    ]


def make_store(path: Path) -> Store:
    store = Store(path)
    records = _records()
    store_results(store, [(LoadResult("review.md", "review", records, entries=3, loaded=3), "sha")])  # type: ignore[arg-type]
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return make_store(tmp_path_factory.mktemp("export") / "store")


@pytest.fixture(scope="module")
def closed_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store for the command line: built, then closed (Oxigraph locks it while open)."""
    path = tmp_path_factory.mktemp("cli") / "store"
    make_store(path)
    return str(path)


@pytest.fixture
def cli_store(closed_store: str) -> str:
    gc.collect()  # a failed command's traceback cycle may still hold the store open
    return closed_store


@pytest.fixture(scope="module")
def pg(store: Store) -> PropertyGraph:
    return to_property_graph(store.snapshot().rdf())


FOCUS = SubgraphFilter(focus="10.1/a")


def text_export(source: Store | PropertyGraph, fmt: str, f: SubgraphFilter | None = None) -> str:
    out = io.StringIO()
    export(source, fmt, out, f)
    return out.getvalue()


def store_graph(store: Store) -> rdflib.Graph:
    data = pyoxigraph.serialize(
        [q.triple for q in store.snapshot().rdf().quads_for_pattern(None, None, None, None)],
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    assert data is not None
    return rdflib.Graph().parse(data=data.decode(), format="nt")


def work_titles(pg: PropertyGraph) -> set[str]:
    return {n.properties["title"] for n in pg.nodes.values() if n.label == "Work"}


# --- RDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_rdf_exports_are_the_store_triples(store: Store, fmt: str, rdflib_format: str) -> None:
    graph = rdflib.Graph().parse(data=text_export(store, fmt), format=rdflib_format)
    assert isomorphic(graph, store_graph(store))


def test_jsonld_has_our_prefixes_as_context(store: Store) -> None:
    data = json.loads(text_export(store, "jsonld"))
    assert data["@context"]["cito"] == "http://purl.org/spar/cito/"
    assert data["@context"]["work"] == "https://w3id.org/citegraph/id/work/"


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_rdf_subgraph_keeps_what_belongs_to_kept_nodes(
    store: Store, pg: PropertyGraph, fmt: str, rdflib_format: str
) -> None:
    graph = rdflib.Graph().parse(data=text_export(store, fmt, FOCUS), format=rdflib_format)
    full = store_graph(store)
    assert set(graph) <= set(full)
    kept = {iri for iri in pg.nodes if (rdflib.URIRef(iri), None, None) in graph}
    assert (
        len(kept) == 9
    )  # the work, 2 citing/cited works, 2 authors, venue, theory, country, finding
    dropped = set(pg.nodes) - kept
    assert not any(str(o) in dropped for o in graph.objects())
    cito = rdflib.Namespace("http://purl.org/spar/cito/")
    assert len(set(graph.subjects(rdflib.RDF.type, cito.Citation))) == 3
    pro = rdflib.Namespace("http://purl.org/spar/pro/")
    assert len(set(graph.subjects(rdflib.RDF.type, pro.RoleInTime))) == 3
    for subject in set(graph.subjects()):  # every source location a kept thing derives from
        for location in full.objects(
            subject, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
        ):
            assert (location, None, None) in graph


def test_rdf_needs_the_store(pg: PropertyGraph) -> None:
    with pytest.raises(ValueError, match="ttl export reads the RDF store"):
        text_export(pg, "ttl")


# --- JSON lines (APOC shape) ----------------------------------------------------------------


def test_json_lines_follow_apoc(store: Store, pg: PropertyGraph) -> None:
    lines = [json.loads(line) for line in text_export(store, "json").splitlines()]
    nodes = [x for x in lines if x["type"] == "node"]
    rels = [x for x in lines if x["type"] == "relationship"]
    assert len(nodes) == len(pg.nodes) and len(rels) == len(pg.relationships)
    assert lines == nodes + rels  # nodes first
    assert set(nodes[0]) == {"type", "id", "labels", "properties"}
    ids = {n["id"]: n for n in nodes}
    for node in nodes:
        assert node["labels"][0] in LABEL_NAMES and node["properties"]["iri"] == node["id"]
    for rel in rels:
        assert set(rel) == {"type", "id", "label", "properties", "start", "end"}
        assert rel["label"] in RELATIONSHIP_TYPES
        for end in (rel["start"], rel["end"]):
            assert set(end) == {"id", "labels", "properties"}
            assert end["labels"] == ids[end["id"]]["labels"]
            assert end["properties"] == {"iri": end["id"]}
    assert len({r["id"] for r in rels}) == len(rels)
    cites = [r for r in rels if r["label"] == "CITES" and r["properties"]["count"] == 2]
    assert cites[0]["properties"]["contexts"] == ["As O'Brien says; twice"]
    assert {n["properties"].get("title") for n in nodes} >= {QUOTED, HTML}


def test_json_subgraph(store: Store) -> None:
    lines = [json.loads(line) for line in text_export(store, "json", FOCUS).splitlines()]
    ids = {x["id"] for x in lines if x["type"] == "node"}
    assert len(ids) == 9
    assert all(x["start"]["id"] in ids and x["end"]["id"] in ids for x in lines if "start" in x)


# --- GraphML and GEXF -----------------------------------------------------------------------


@pytest.mark.parametrize("f", [None, FOCUS])
def test_networkx_reads_graphml_back(
    store: Store, pg: PropertyGraph, f: SubgraphFilter | None, tmp_path: Path
) -> None:
    result = export(store, "graphml", tmp_path / "g.graphml", f)
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (
        result.nodes,
        result.relationships,
    )
    if f is None:
        assert result.nodes == len(pg.nodes)
    works = {n: d for n, d in graph.nodes(data=True) if d["labels"] == ":Work"}
    assert {d["title"] for d in works.values()} >= {QUOTED, HTML}
    assert all(isinstance(json.loads(d["keys"]), list) for d in works.values())
    assert {d["label"] for _, _, d in graph.edges(data=True)} <= set(RELATIONSHIP_TYPES)


@pytest.mark.parametrize("f", [None, FOCUS])
def test_networkx_reads_gexf_back(store: Store, f: SubgraphFilter | None, tmp_path: Path) -> None:
    result = export(store, "gexf", tmp_path / "g.gexf", f)
    graph = nx.read_gexf(tmp_path / "g.gexf")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (
        result.nodes,
        result.relationships,
    )
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    assert QUOTED in labels  # Gephi shows the display name
    assert {d["labels"] for _, d in graph.nodes(data=True)} >= {":Work", ":Person"}


# --- CSV for neo4j-admin ----------------------------------------------------------------------

HEADER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(:(int|long|float|double|boolean|string)(\[\])?)?$")


def _check_csv(files: dict[str, str], pg: PropertyGraph) -> None:
    nodes = rels = 0
    for name, text in files.items():
        if not name.endswith(".csv"):
            continue
        rows = list(csv.reader(io.StringIO(text)))
        header, body = rows[0], rows[1:]
        assert all(len(row) == len(header) for row in body)
        if name.startswith("nodes_"):
            assert header[:2] == ["iri:ID", ":LABEL"]
            assert {row[1] for row in body} == {name[len("nodes_") : -len(".csv")]}
            nodes += len(body)
        else:
            assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
            rels += len(body)
        assert all(HEADER.match(h) for h in header if not h.startswith(":") and h != "iri:ID")
    assert (nodes, rels) == (len(pg.nodes), len(pg.relationships))


def test_csv_directory_for_neo4j_admin(store: Store, pg: PropertyGraph, tmp_path: Path) -> None:
    export(store, "csv", tmp_path / "csv")
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "csv").iterdir()}
    _check_csv(files, pg)
    work = next(csv.DictReader(io.StringIO(files["nodes_Work.csv"])))
    assert "year:int" in work and "keys:string[]" in work and "name" in work
    assert "count:int" in files["relationships_CITES.csv"].splitlines()[0]
    assert "neo4j-admin database import full" in files["import.sh"]
    assert "--nodes=nodes_Work.csv" in files["import.sh"]


def test_csv_zip(store: Store, pg: PropertyGraph, tmp_path: Path) -> None:
    export(store, "csv", tmp_path / "graph.zip")
    with zipfile.ZipFile(tmp_path / "graph.zip") as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    _check_csv(files, pg)


def test_csv_arrays_split_back_to_the_lists(pg: PropertyGraph) -> None:
    files = csv_files(pg)
    # "participation; local" is a keyword, so ";" cannot delimit arrays in this export
    assert "--array-delimiter='U+001F'" in files["import.sh"]
    rows = list(csv.DictReader(io.StringIO(files["nodes_Work.csv"])))
    by_iri = {row["iri:ID"]: row for row in rows}
    for node in pg.by_label("Work"):
        cell = by_iri[node.iri]["keywords:string[]"]
        assert (cell.split(FALLBACK_DELIMITER) if cell else []) == node.properties["keywords"]


def test_csv_uses_semicolons_when_it_can() -> None:
    graph = PropertyGraph(
        {"t": Node("t", "Theory", {"iri": "t", "name": "T", "aliases": ["a", "b"]})}, []
    )
    files = csv_files(graph)
    assert "--array-delimiter=';'" in files["import.sh"]
    assert files["nodes_Theory.csv"].splitlines()[1] == "t,Theory,a;b,T"


def test_csv_needs_a_path(store: Store) -> None:
    with pytest.raises(ValueError, match="directory or a .zip"):
        export(store, "csv", io.StringIO())


# --- Cypher -------------------------------------------------------------------------------

_CYPHER_UNESCAPE = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
}


def read_cypher_string(script: str, start: int) -> tuple[str, int]:
    """Decode the single-quoted literal starting at `start`, as Cypher's lexer does."""
    assert script[start] == "'"
    out, i, units = [], start + 1, []
    while script[i] != "'":
        ch = script[i]
        assert ch not in "\n\r", "a literal must not span lines"
        if ch == "\\":
            code = script[i + 1]
            if code == "u":
                units.append(int(script[i + 2 : i + 6], 16))
                i += 6
                continue
            out.append(_CYPHER_UNESCAPE[code])
            i += 2
            continue
        if units:
            out.append(b"".join(u.to_bytes(2, "big") for u in units).decode("utf-16-be"))
            units = []
        out.append(ch)
        i += 1
    if units:
        out.append(b"".join(u.to_bytes(2, "big") for u in units).decode("utf-16-be"))
    return "".join(out), i + 1


@pytest.mark.parametrize(
    "text", [*NASTY, "", "'", "\\", "\\'", "'; MATCH (n) DETACH DELETE n; //", "😀\U000e0001"]
)
def test_cypher_string_survives_anything(text: str) -> None:
    literal = cypher_string(text)
    decoded, end = read_cypher_string(literal, 0)
    assert decoded == text and end == len(literal)


def test_cypher_string_keeps_unicode_readable() -> None:
    assert cypher_string("Pérez 日本") == "'Pérez 日本'"
    assert cypher_string(QUOTED) == "'O\\'Brien \"quoted\" \\\\ back\\\\slash'"
    assert cypher_string("a\nb\u2028") == "'a\\nb\\u2028'"


def test_cypher_values() -> None:
    assert cypher_value({"a": [1, "x"], "b": None, "c": True}) == "{a: [1, 'x'], b: null, c: true}"
    with pytest.raises(ValueError, match="not a plain identifier"):
        cypher_value({"bad key}": 1})
    with pytest.raises(TypeError):
        cypher_value(object())


def test_cypher_labels_and_types_come_from_the_contract() -> None:
    evil = Node("x", "Work`) DETACH DELETE (n", {"iri": "x"})
    with pytest.raises(ValueError, match="not a contract label"):
        list(cypher_statements(PropertyGraph({"x": evil}, [])))


def _statements(script: str) -> list[str]:
    """The script's statements, without its `//` comment lines."""
    chunks = (
        "\n".join(x for x in c.splitlines() if not x.startswith("//"))
        for c in script.split(";\n\n")
    )
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def test_cypher_script_parses(store: Store, pg: PropertyGraph) -> None:
    script = text_export(store, "cypher")
    statements = _statements(script)
    assert len(statements) == len(list(cypher_statements(pg)))
    literals, i = [], 0
    while (i := script.find("'", i)) != -1:  # every quote opens a literal that closes on its line
        value, i = read_cypher_string(script, i)
        literals.append(value)
    assert {QUOTED, HTML} <= set(literals)
    used = set(re.findall(r"\((?:n|a|b):(\w+) ", script)) | set(re.findall(r"\[r:(\w+)\]", script))
    assert used <= set(LABEL_NAMES) | set(RELATIONSHIP_TYPES)
    assert "MERGE (n:Work {iri: row.iri})" in script


@pytest.mark.neo4j
def test_cypher_script_recreates_the_graph_in_neo4j(
    store: Store, pg: PropertyGraph, neo4j_session_driver: Any, neo4j_settings: Any
) -> None:
    """Run in one transaction that is rolled back, so a shared database is left as it was.

    Constraint statements change the schema, which cannot share a transaction with data:
    they are only compiled (EXPLAIN), not run.
    """
    statements = _statements(text_export(store, "cypher"))
    schema = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert schema
    keys = [{"start": r.start, "type": r.type, "end": r.end} for r in pg.relationships]
    work = next(n for n in pg.by_label("Work") if n.properties["title"] == QUOTED)
    driver = neo4j_session_driver
    with driver.session(database=neo4j_settings.database) as session:
        for statement in schema:
            session.run("EXPLAIN " + statement).consume()
        tx = session.begin_transaction()
        try:
            for statement in statements[len(schema) :]:
                tx.run(statement).consume()
            nodes = tx.run(
                "MATCH (n) WHERE n.iri IN $iris RETURN count(n) AS c", iris=list(pg.nodes)
            ).single()["c"]
            rels = tx.run(
                "UNWIND $keys AS k MATCH (a {iri: k.start})-[r]->(b {iri: k.end}) "
                "WHERE type(r) = k.type RETURN count(r) AS c",
                keys=keys,
            ).single()["c"]
            title = tx.run("MATCH (w:Work {iri: $iri}) RETURN w.title AS t", iri=work.iri).single()[
                "t"
            ]
        finally:
            tx.rollback()
    assert (nodes, rels) == (len(pg.nodes), len(pg.relationships))
    assert title == QUOTED


# --- BibTeX and RIS -----------------------------------------------------------------------


def test_bibtexparser_reads_our_bibtex(store: Store) -> None:
    library = bibtexparser.parse_string(
        text_export(store, "bibtex"), append_middleware=[LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks
    entries = {e.fields_dict["title"].value: e for e in library.entries}
    assert {QUOTED, HTML, "A review of citizen security"} <= set(entries)
    quoted = entries[QUOTED]
    assert quoted.entry_type == "article"
    assert quoted.fields_dict["author"].value == "Pérez, Ana and Li, Bo"
    assert quoted.fields_dict["year"].value == "2015"
    assert quoted.fields_dict["pages"].value == "1–20"  # written 1--20, decoded as LaTeX does
    assert quoted.fields_dict["journal"].value == "Crime Science"
    assert entries[HTML].entry_type == "book"
    assert entries[HTML].fields_dict["author"].value == "World Bank"
    assert len({e.key for e in library.entries}) == len(library.entries)


def test_bibtex_of_a_works_only_subgraph_keeps_authors(store: Store) -> None:
    f = SubgraphFilter(focus="10.1/a", depth=0, labels=("Work",))
    library = bibtexparser.parse_string(text_export(store, "bibtex", f))
    assert [e.fields_dict["author"].value for e in library.entries] == ["Pérez, Ana and Li, Bo"]


def test_rispy_reads_our_ris(store: Store, pg: PropertyGraph) -> None:
    entries = rispy.loads(text_export(store, "ris"))
    assert len(entries) == len(pg.by_label("Work"))
    by_title = {e["title"]: e for e in entries}
    quoted = by_title[QUOTED]
    assert quoted["type_of_reference"] == "JOUR"
    assert quoted["authors"] == ["Pérez, Ana", "Li, Bo"]
    assert quoted["year"] == "2015"
    assert (quoted["start_page"], quoted["end_page"]) == ("1", "20")
    assert quoted["keywords"] == ["fear", "participation; local"]
    assert by_title[HTML]["type_of_reference"] == "BOOK"


# --- the entry point ------------------------------------------------------------------------


def test_unknown_format(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown export format 'xls'"):
        text_export(store, "xls")


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_every_text_format_writes_a_file(store: Store, fmt: str, tmp_path: Path) -> None:
    result = export(store, fmt, tmp_path / f"out.{fmt}", FOCUS)
    assert (tmp_path / f"out.{fmt}").stat().st_size > 0
    assert (result.nodes, result.works) == (9, 3)


# --- citegraph export -----------------------------------------------------------------------


def test_export_command_to_stdout(runner: CliRunner, cli_store: str) -> None:
    args = [
        "--store",
        cli_store,
        "export",
        "--format",
        "ris",
        "--focus",
        "10.1/a",
        "--depth",
        "0",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert [e["title"] for e in rispy.loads(result.stdout)] == [QUOTED]
    assert "1 nodes, 0 relationships, 1 works as ris" in result.stderr


def test_export_command_to_a_file_with_filters(
    runner: CliRunner, cli_store: str, tmp_path: Path
) -> None:
    out = tmp_path / "works.graphml"
    args = [
        "--store",
        cli_store,
        "export",
        "--format",
        "graphml",
        "-o",
        str(out),
        "--years",
        "2010-2015",
        "--label",
        "Work",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    nodes = [d for _, d in nx.read_graphml(out).nodes(data=True)]
    # the scheme's founding works of those years come along; no other work does
    ours = {d["title"] for d in nodes if "ontology/theories.ttl" not in d["sources"]}
    assert ours == {QUOTED, HTML}
    assert all(2010 <= int(d["year"]) <= 2015 for d in nodes)
    assert f"wrote {out}" in result.stderr


def test_export_command_csv_zip(runner: CliRunner, cli_store: str, tmp_path: Path) -> None:
    out = tmp_path / "graph.zip"
    result = runner.invoke(
        main, ["--store", cli_store, "export", "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "import.sh" in zipfile.ZipFile(out).namelist()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv"], "csv writes several files: give -o DIR or -o FILE.zip"),
        (["--format", "json", "--focus", "no such thing anywhere"], "no node named"),
        (["--format", "json", "--years", "soon"], "expected YEAR or FROM-TO"),
        (["--format", "json", "--years", "1500-1600", "--label", "Work"], "leave no nodes"),
        (["--format", "json", "--label", "Paper"], "unknown label 'Paper'"),
    ],
)
def test_export_command_errors_are_one_line(
    runner: CliRunner, cli_store: str, args: list[str], message: str
) -> None:
    result = runner.invoke(main, ["--store", cli_store, "export", *args])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and message in result.output
    assert result.output.strip().count("\n") == 0


def test_export_command_rejects_unknown_formats(runner: CliRunner, cli_store: str) -> None:
    result = runner.invoke(main, ["--store", cli_store, "export", "--format", "xls"])
    assert result.exit_code == 2
