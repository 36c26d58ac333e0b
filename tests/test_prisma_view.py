"""`citegraph prisma` and the flow in the graph: FlowStage nodes, the side-by-side flows,
JSON, the SVG and HTML diagrams (escaped, well-formed), and the audit's method section."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.ingest import ingest
from citegraph.graph.neo4j_connect import Neo4jSettings
from citegraph.graph.neo4j_sync import sync
from citegraph.graph.prisma_flow import review_flows, template_flow
from citegraph.graph.query import run_embedded, run_neo4j
from citegraph.graph.store import Store
from citegraph.graph.views.prisma import graph_flows
from citegraph.graph.views.reads import whole

FIXTURES = Path(__file__).parent / "fixtures" / "prisma"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert`x`</script> & "quoted" \x01'


def run(runner: CliRunner, store: Path, *args: str) -> str:
    result = runner.invoke(main, ["--store", str(store), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A store with the consistent review, its template and two exports."""
    store = tmp_path / "store"
    ingest(
        Store(store),
        [
            FIXTURES / "consistent-review.md",
            FIXTURES / "consistent-template.csv",
            FIXTURES / "exports" / "scopus-search.ris",
            FIXTURES / "exports" / "wos-search.ris",
        ],
    )
    return store


def facts(flow_counts: object) -> set[tuple[object, ...]]:
    return {(c.stage, c.count, c.line, c.place, c.detail, c.arm) for c in flow_counts}  # type: ignore[attr-defined]


def test_the_graph_holds_the_flow_the_records_give(filled: Path) -> None:
    """The FlowStage nodes (what `prisma` prints) and the records (what the audit reads)
    are the same counts."""
    with Store(filled) as store:
        snapshot = store.snapshot()
        assert snapshot is not None
        assert snapshot.validation().conforms
        in_graph = graph_flows(snapshot.graph())
        sources = {s.result.path: s.result for s in snapshot.sources()}
    review = str(FIXTURES / "consistent-review.md")
    from_records = review_flows(sources[review])
    assert [f.source for f in in_graph[review]] == ["tables", "text"]
    for graph_flow, record_flow in zip(in_graph[review], from_records, strict=True):
        assert facts(graph_flow.counts) == facts(record_flow.counts)
        assert graph_flow.counts
    template = template_flow(sources[str(FIXTURES / "consistent-template.csv")])
    assert template is not None
    assert facts(in_graph[""][0].counts) == facts(template.counts)


def test_prisma_prints_the_flows_side_by_side_and_as_json(filled: Path, runner: CliRunner) -> None:
    text = run(runner, filled, "prisma")
    header = next(line for line in text.splitlines() if line.startswith("stage"))
    assert header.split() == [
        "stage",
        "tables",
        "text",
        "template",
        "consistent-template.csv",
        "exports",
    ]
    assert any(line.startswith("records identified: Scopus") and "90 (l.39)" in line
               and line.rstrip().endswith("3") for line in text.splitlines())  # fmt: skip
    data = json.loads(run(runner, filled, "prisma", "--json"))
    [review] = data["reviews"]
    assert [f["source"] for f in review["flows"]] == ["tables", "text", "template", "exports"]
    kinds = {i["kind"] for i in review["items"]}
    assert kinds == {"flow_sources"}  # the exports are a sample of the search, not all of it
    assert all(i["lines"] == sorted(i["lines"]) for i in review["items"])


def test_audit_has_the_method_section(tmp_path: Path, runner: CliRunner) -> None:
    store = tmp_path / "store"
    ingest(Store(store), [FIXTURES / "inconsistent-review.md"])
    data = json.loads(run(runner, store, "audit", "--json"))
    assert {i["kind"] for i in data["method"]} >= {"text_vs_table", "percentage", "figure"}
    assert all(set(i) == {"kind", "message", "file", "lines"} for i in data["method"])
    assert "Method audit" in run(runner, store, "audit")


def test_the_svg_is_standalone_well_formed_and_escaped(tmp_path: Path, runner: CliRunner) -> None:
    review = tmp_path / "review.md"
    text = (FIXTURES / "consistent-review.md").read_text(encoding="utf-8")
    review.write_text(text.replace("5 wrong outcome", f"5 {HOSTILE}"), encoding="utf-8")
    store = tmp_path / "store"
    ingest(Store(store), [review])
    out = tmp_path / "flow.svg"
    run(runner, store, "prisma", "-o", str(out))
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "Records screened (n = 100)" in texts
    assert any('<script>alert`x`</script> & "quoted"' in t for t in texts)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    raw = out.read_text(encoding="utf-8")
    assert "<script>" not in raw and "http://" not in raw.replace("http://www.w3.org/2000/svg", "")
    page = tmp_path / "flow.html"
    run(runner, store, "prisma", "-o", str(page), "--counts", "text")
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert`x`&lt;/script&gt;" in html
    assert "<svg" in html and 'id="flows"' in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "flow.pdf"], "write the diagram to a .svg or an .html file"),
        (["-o", "flow.svg", "--counts", "template"], "no template counts in this store"),
    ],
)
def test_prisma_errors_are_one_line(
    tmp_path: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    store = tmp_path / "store"
    shutil.copy(FIXTURES / "consistent-review.md", tmp_path / "review.md")
    ingest(Store(store), [tmp_path / "review.md"])
    result = runner.invoke(main, ["--store", str(store), "prisma", *args], catch_exceptions=False)
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and message in last
    assert "Traceback" not in result.output


def test_prisma_needs_a_store(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["--store", str(tmp_path / "none"), "prisma"], catch_exceptions=False
    )
    assert result.exit_code == 1 and "no store here yet" in result.output


@pytest.mark.neo4j
def test_flow_stages_read_alike_on_neo4j_and_embedded(
    neo4j_driver: neo4j.Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    ingest(Store(tmp_path / "store"), [FIXTURES / "inconsistent-review.md"])
    with Store(tmp_path / "store") as store:
        snapshot = store.snapshot()
        assert snapshot is not None
        sync(whole(snapshot.graph()), neo4j_driver, neo4j_settings.database, "prisma")
        cypher = (
            "MATCH (w:Work)-[:REPORTS_STAGE]->(f:FlowStage) "
            "RETURN f.stage AS stage, f.count AS count, f.line AS line, f.place AS place "
            "ORDER BY line, stage, count"
        )
        embedded = run_embedded(snapshot.graph(), cypher).rows
    on_neo4j = run_neo4j(neo4j_driver, neo4j_settings.database, cypher).rows
    assert embedded and embedded == on_neo4j
    assert {"stage": "included", "count": 16, "line": 28, "place": "Table 1"} in embedded


def test_review_picks_one_of_several(tmp_path: Path, runner: CliRunner) -> None:
    store = tmp_path / "store"
    ingest(Store(store), [FIXTURES / "consistent-review.md", FIXTURES / "inconsistent-review.md"])
    both = json.loads(run(runner, store, "prisma", "--json"))["reviews"]
    assert [Path(r["review"]).name for r in both] == [
        "consistent-review.md",
        "inconsistent-review.md",
    ]
    [one] = json.loads(
        run(runner, store, "prisma", "--json", "--review", "inconsistent-review.md")
    )["reviews"]
    assert one["review"].endswith("inconsistent-review.md") and one["items"]
    result = runner.invoke(
        main, ["--store", str(store), "prisma", "--review", "other.md"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "other.md: no such review in this store (reviews: consistent-review.md" in result.output
