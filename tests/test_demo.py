"""`citegraph demo` on a fresh clone: the bundled example through the whole pipeline."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.property_graph import to_property_graph
from citegraph.graph.store import Store


def test_demo_builds_a_rich_graph_and_writes_every_output(tmp_path: Path) -> None:
    store_path = tmp_path / "demo-store"
    result = CliRunner().invoke(main, ["--store", str(store_path), "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "SHACL: valid" in result.stdout
    assert "Entries never cited in the text: 10" in result.stdout
    pg = to_property_graph(Store(store_path).snapshot().rdf())
    labels = Counter(n.label for n in pg.nodes.values())
    types = Counter(r.type for r in pg.relationships)
    assert labels["Finding"] >= 29  # one per coded row of the sheet, plus the summary's
    assert labels["Country"] >= 8
    assert types["CITES"] >= 30
    assert types["USES_THEORY"] >= 10
    assert types["ADDRESSES"] >= 25
    assert types["STUDIES"] >= 20
    out = store_path / "demo"
    for name in (
        "citegraph.ttl",
        "citegraph.jsonld",
        "citegraph.json",
        "citegraph.graphml",
        "citegraph.gexf",
        "citegraph.cypher",
        "citegraph.bib",
        "citegraph.ris",
        "citegraph.csl.json",
        "graph.html",
        "lineage.html",
        "evidence.html",
    ):
        assert (out / name).stat().st_size > 500, name
    assert any((out / "csv").iterdir())
    assert (out / "vosviewer" / "cocitation_network.txt").stat().st_size > 0


def test_demo_will_not_wipe_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.md").write_text("draft")
    result = CliRunner().invoke(main, ["--store", str(precious), "demo"])
    assert result.exit_code == 1
    assert "is not a citegraph store" in result.output
    assert (precious / "chapter1.md").read_text() == "draft"
