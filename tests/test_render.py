"""Pages, lineage and the evidence map, without a browser (see test_render_browser.py)."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.evidence import UNSPECIFIED, evidence_map, heatmap_html
from citegraph.graph.ingest import store_results
from citegraph.graph.lineage import lineage, render_lineage
from citegraph.graph.property_graph import Node, PropertyGraph, Relationship, to_property_graph
from citegraph.graph.render import (
    FREEZE_AFTER,
    node_sizes,
    pagerank_scores,
    render,
    script_json,
)
from citegraph.graph.store import Store
from citegraph.graph.work_text import reference
from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    LoadResult,
    Mention,
    Source,
    Work,
)

XSS = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.pwned=1</script>"
THEORY = "https://w3id.org/citegraph/theory/"
STRATEGY = "https://w3id.org/citegraph/strategy/"
PLACE = "https://w3id.org/citegraph/place/"


def src(line: int) -> Source:
    return Source("review.md", line, "review")


def person(family: str, given: str) -> Agent:
    return Agent(f"{family}, {given}", family=family, given=given)


def review_records() -> list[Any]:
    """A small review: two cited works, theory mentions, findings in two countries."""
    return [
        Work(
            "review",
            src(1),
            title=f"Citizen security {XSS}",
            year=2021,
            type="article",
            is_document=True,
            authors=(person("Pérez", "A."),),
        ),
        Work(
            "cf79",
            src(40),
            title="Social change and crime rate trends: A routine activity approach",
            year=1979,
            type="article",
            doi="10.2307/2094589",
            container="American Sociological Review",
            authors=(person("Cohen", "L. E."), person("Felson", "M.")),
        ),
        Work(
            "lima",
            src(41),
            title=f"Neighbourhood councils in Lima {BREAKOUT}",
            year=2015,
            type="article",
            authors=(person("Quispe", "R."),),
            url="javascript:alert(1)",
        ),
        Citation("review", "cf79", src(3), contexts=("Routine activity theory explains it.",)),
        Citation("review", "lima", src(5)),
        Citation("lima", "cf79", src(41)),
        Mention("review", "theory", "routine-activity", "routine activity", src(3)),
        Mention("lima", "theory", "situational-crime-prevention", "SCP", src(5)),
        Finding(
            "review",
            "Councils reduced burglary",
            f"In Lima, councils reduced burglary {XSS}.",
            src(5),
            about=("community-participation",),
            places=("PE",),
        ),
        Finding(
            "lima",
            "Participation raised trust",
            "Participation raised trust in Peru.",
            src(6),
            about=("community-participation",),
            places=("PE",),
        ),
        Finding(
            "review",
            "Lighting cut street robbery",
            "Lighting cut robbery in Bogotá.",
            src(7),
            about=("environmental-design", "cpted"),
            places=("CO",),
        ),
        Finding(
            "review",
            "Patrols displaced crime",
            "Patrols displaced crime.",
            src(8),
            about=("police-presence",),
        ),
    ]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PropertyGraph]:
    """The review's store path and graph; the store is closed again (Oxigraph locks its
    directory per process) so the CLI tests can open it."""
    path = tmp_path_factory.mktemp("render") / "store"
    store = Store(path)
    store_results(
        store, [(LoadResult("review.md", "review", review_records(), entries=3, loaded=3), "s")]
    )
    graph = to_property_graph(store.snapshot().rdf())
    del store
    gc.collect()
    return path, graph


@pytest.fixture(scope="module")
def pg(review: tuple[Path, PropertyGraph]) -> PropertyGraph:
    return review[1]


@pytest.fixture(scope="module")
def review_store(review: tuple[Path, PropertyGraph]) -> Path:
    return review[0]


def page_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="cg-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the page carries its data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def work_iri(pg: PropertyGraph, title_start: str) -> str:
    return next(n.iri for n in pg.by_label("Work") if n.name.startswith(title_start))


# --- the page -----------------------------------------------------------------------------


def test_page_is_one_offline_file(pg: PropertyGraph, tmp_path: Path) -> None:
    out = render(pg, tmp_path / "page.html", title="Review")
    page = out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', page)
    assert "<link" not in page and "bootstrap" not in page.lower()
    assert "vis.Network" in page and ".vis-network" in page
    assert page.count("</script>") == 3


def test_page_data_is_escaped_for_script_and_html(pg: PropertyGraph, tmp_path: Path) -> None:
    page = render(pg, tmp_path / "p.html", title=f"Title {XSS}").read_text()
    assert XSS not in page
    assert page.count("</script>") == 3, "no title can close a script block"
    assert f"<title>Title {XSS.replace('<', '&lt;').replace('>', '&gt;')}</title>" in page
    names = {n["name"] for n in page_data(page)["nodes"]}
    assert f"Citizen security {XSS}" in names
    assert any(BREAKOUT in name for name in names)


def test_script_json_never_opens_a_tag() -> None:
    text = script_json({"a": "</script><!--", "b": "<b>"})
    assert "<" not in text
    assert json.loads(text) == {"a": "</script><!--", "b": "<b>"}


def test_page_has_every_node_with_style_and_tooltip(pg: PropertyGraph, tmp_path: Path) -> None:
    data = page_data(render(pg, tmp_path / "p.html", title="t").read_text())
    assert len(data["nodes"]) == len(pg.nodes)
    assert len(data["edges"]) == len(pg.relationships)
    finding = next(n for n in data["nodes"] if n["name"] == "Councils reduced burglary")
    rows = dict(map(tuple, finding["tip"]))
    assert rows["sentence"] == f"In Lima, councils reduced burglary {XSS}."
    assert rows["read from"] == "review.md:5 (review)"
    work = next(n for n in data["nodes"] if n["name"].startswith("Social change"))
    assert work["label"] == "Cohen & Felson 1979"
    assert "Cohen" in dict(map(tuple, work["tip"]))["reference"]
    theory = next(n for n in data["nodes"] if n["name"] == "Routine activity theory")
    assert dict(map(tuple, theory["tip"]))["description"].startswith("Crime happens")
    assert {n["shape"] for n in data["nodes"] if n["kind"] == "Theory"} == {"star"}


def test_legend_lists_each_label_with_a_filter(pg: PropertyGraph, tmp_path: Path) -> None:
    page = render(pg, tmp_path / "p.html", title="t").read_text()
    labels = {n.label for n in pg.nodes.values()}
    for label in labels:
        count = sum(1 for n in pg.nodes.values() if n.label == label)
        assert f'data-label="{label}" checked>' in page
        assert re.search(rf"{label} \({count}\)</label>", page)
    assert 'id="cg-search"' in page


def test_sizes_follow_citations_or_pagerank(pg: PropertyGraph) -> None:
    cohen = work_iri(pg, "Social change")
    review = work_iri(pg, "Citizen security")
    by_citations = node_sizes(pg, "citations")
    assert by_citations[cohen] > by_citations[review]
    ranks = pagerank_scores(pg)
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert ranks[cohen] > ranks[review]
    with pytest.raises(ValueError):
        node_sizes(pg, "colour")


def test_big_graphs_freeze_after_layout(tmp_path: Path) -> None:
    count = FREEZE_AFTER + 10
    nodes = {f"w{i}": Node(f"w{i}", "Work", {"name": f"w{i}"}) for i in range(count)}
    rels = [Relationship("CITES", f"w{i}", f"w{i // 2}") for i in range(1, count)]
    data = page_data(
        render(PropertyGraph(nodes, rels), tmp_path / "big.html", title="big").read_text()
    )
    assert data["freeze"] is True
    assert data["options"]["edges"]["smooth"] is False
    assert data["options"]["layout"]["improvedLayout"] is False


# --- lineage ------------------------------------------------------------------------------


def test_lineage_tree_has_ancestors_descendants_and_works(pg: PropertyGraph) -> None:
    found = lineage(pg, "routine activity approach")
    assert found.root == THEORY + "routine-activity"
    assert THEORY + "human-ecology" in found.ancestors
    assert {THEORY + "situational-crime-prevention", THEORY + "diffusion-of-benefits"} <= set(
        found.descendants
    )
    tree = found.tree()
    lines = tree.splitlines()
    assert lines[0] == "Routine activity theory [routine-activity] (1979)"
    assert "├── proposed in: Cohen, L. E., & Felson, M. (1979)" in tree
    assert "used by 1 work(s)" in tree and "Pérez (2021)" in tree
    assert re.search(r"derives from\n│   └── Human ecology \[human-ecology\] \(1950\)", tree)
    assert "derived into" in tree and "(shown above)" in tree
    scp = next(line for line in lines if "[situational-crime-prevention]" in line)
    assert scp.index("Situational") > lines[0].index("Routine")


def test_lineage_json_and_levels(pg: PropertyGraph) -> None:
    found = lineage(pg, "situational-crime-prevention")
    data = json.loads(json.dumps(found.to_json()))
    assert data["theory"]["id"] == "situational-crime-prevention"
    assert set(data["theory"]["derives_from"]) == {
        "rational-choice",
        "routine-activity",
        "crime-pattern",
    }
    assert [w["title"] for w in data["theory"]["used_by"]][0].startswith("Neighbourhood")
    assert data["theory"]["founding_works"][0]["year"] == 1980
    ancestors = {a["id"]: a for a in data["ancestors"]}
    assert {"deterrence", "human-ecology", "environmental-criminology"} <= set(ancestors)
    levels = found.levels()
    assert levels[THEORY + "deterrence"] < levels[THEORY + "rational-choice"] < levels[found.root]
    assert levels[THEORY + "diffusion-of-benefits"] > levels[found.root]


def test_lineage_unknown_theory_is_a_lookup_error(pg: PropertyGraph) -> None:
    with pytest.raises(LookupError):
        lineage(pg, "phrenology")


def test_lineage_page_is_hierarchical(pg: PropertyGraph, tmp_path: Path) -> None:
    out = render_lineage(pg, lineage(pg, "CPTED"), tmp_path / "lineage.html")
    data = page_data(out.read_text())
    assert data["options"]["layout"]["hierarchical"]["direction"] == "UD"
    levels = {n["name"]: n["level"] for n in data["nodes"]}
    assert levels["Eyes on the street"] < levels["Crime prevention through environmental design"]
    assert (
        levels["Crime prevention through environmental design"] < levels["Second-generation CPTED"]
    )
    assert {n["kind"] for n in data["nodes"]} == {"Theory", "Work"}
    jacobs = next(n for n in data["nodes"] if n["name"].startswith("The death and life"))
    assert jacobs["label"] == "Jacobs 1961", "works keep author labels without people nodes"


@pytest.mark.parametrize(
    ("props", "authors", "expected"),
    [
        pytest.param(
            {"title": "Night patrols in Lima", "container": "Revista Policial"},
            ["Quispe Mamani", "Rojas", "Salas"],
            "Quispe Mamani et al. Night patrols in Lima. Revista Policial",
            id="et-al-without-year",
        ),
        pytest.param(
            {"title": "Do cameras deter theft?", "year": 2021, "container": "Crime Science"},
            ["Quispe Mamani"],
            "Quispe Mamani (2021). Do cameras deter theft? Crime Science",
            id="question-title",
        ),
        pytest.param(
            {"title": "Safer markets", "year": 2019},
            ["Rojas", "Salas"],
            "Rojas & Salas (2019). Safer markets",
            id="plain",
        ),
    ],
)
def test_a_composed_reference_never_doubles_its_stops(
    props: dict[str, Any], authors: list[str], expected: str
) -> None:
    """A review's own work has no year: its reference read `... et al.. Title`."""
    work = Node("w", "Work", {"name": props["title"], **props})
    assert reference(work, authors) == expected


# --- evidence map -------------------------------------------------------------------------


def hand_made_graph() -> PropertyGraph:
    """Three works, four findings: two on participation in Peru (from two works), one on
    design in Colombia citing CPTED, one on patrols with no place."""

    def node(iri: str, label: str, **props: Any) -> Node:
        return Node(iri, label, {"name": props.pop("name", iri), **props})

    nodes = [
        node(
            "w1",
            "Work",
            name=f"Councils {XSS}",
            year=2015,
            doi="10.1/x",
            references=[f"Quispe (2015). Councils {XSS}."],
        ),
        node("w2", "Work", name="Trust", year=2018, url="https://example.org/trust"),
        node("w3", "Work", name="Lights", year=2019, url="javascript:alert(1)"),
        node(STRATEGY + "participation", "Strategy", name="Community participation"),
        node(STRATEGY + "design", "Strategy", name="Environmental design"),
        node(STRATEGY + "patrols", "Strategy", name="Police presence"),
        node(STRATEGY + "youth", "Strategy", name="Youth programmes"),
        node(PLACE + "PE", "Country", name="Peru", iso2="PE"),
        node(PLACE + "CO", "Country", name="Colombia", iso2="CO"),
        node(THEORY + "cpted", "Theory", name="CPTED"),
        node(THEORY + "routine", "Theory", name="Routine activity theory"),
        node(
            "f1",
            "Finding",
            claim="Councils cut burglary",
            source=f"Councils {XSS}",
            sources=["review.md:5 (review)"],
        ),
        node("f2", "Finding", claim="Trust rose", source="Trust rose.", sources=[]),
        node("f3", "Finding", claim="Lights cut robbery", source="Lights.", sources=[]),
        node("f4", "Finding", claim="Patrols displaced", source="Patrols.", sources=[]),
    ]
    rels = [
        ("REPORTS", "w1", "f1"),
        ("REPORTS", "w2", "f2"),
        ("REPORTS", "w3", "f3"),
        ("REPORTS", "w3", "f4"),
        ("ABOUT", "f1", STRATEGY + "participation"),
        ("IN", "f1", PLACE + "PE"),
        ("ABOUT", "f2", STRATEGY + "participation"),
        ("IN", "f2", PLACE + "PE"),
        ("ABOUT", "f3", STRATEGY + "design"),
        ("ABOUT", "f3", THEORY + "cpted"),
        ("IN", "f3", PLACE + "CO"),
        ("ABOUT", "f4", STRATEGY + "patrols"),
        ("USES_THEORY", "w1", THEORY + "routine"),
        ("USES_THEORY", "w3", THEORY + "routine"),
    ]
    return PropertyGraph({n.iri: n for n in nodes}, [Relationship(*r) for r in rels])


def test_evidence_counts_per_strategy_and_country() -> None:
    emap = evidence_map(hand_made_graph(), "country")
    assert [r.name for r in emap.rows] == [
        "Community participation",
        "Environmental design",
        "Police presence",
        "Youth programmes",
    ]
    assert [c.short for c in emap.columns] == ["CO", "PE", "unspecified"]
    assert emap.count(STRATEGY + "participation", PLACE + "PE") == 2
    assert emap.cell(STRATEGY + "participation", PLACE + "PE").works == ["w1", "w2"]
    assert emap.count(STRATEGY + "design", PLACE + "CO") == 1
    assert emap.count(STRATEGY + "patrols", UNSPECIFIED) == 1
    assert emap.count(STRATEGY + "youth", PLACE + "PE") == 0
    assert sum(len(c.findings) for c in emap.cells.values()) == 4


def test_evidence_by_theory_uses_about_else_the_works_theories() -> None:
    emap = evidence_map(hand_made_graph(), "theory")
    assert emap.count(STRATEGY + "design", THEORY + "cpted") == 1
    assert emap.count(STRATEGY + "design", THEORY + "routine") == 0
    assert emap.count(STRATEGY + "participation", THEORY + "routine") == 1
    assert emap.count(STRATEGY + "participation", UNSPECIFIED) == 1
    assert emap.count(STRATEGY + "patrols", THEORY + "routine") == 1


def test_evidence_table_csv_and_json() -> None:
    emap = evidence_map(hand_made_graph())
    table = emap.table()
    header, rule, first = table.splitlines()[:3]
    assert header.split() == ["strategy", "CO", "PE", "unspecified"]
    assert first.split()[-3:] == [".", "2", "."]
    assert (
        f"Community participation × Peru: 2 finding(s)\n  - Quispe (2015). Councils {XSS}." in table
    )
    rows = list(csv.DictReader(io.StringIO(_csv(emap))))
    assert len(rows) == len(emap.rows) * len(emap.columns)
    cell = next(
        r for r in rows if r["strategy"] == "Community participation" and r["country"] == "Peru"
    )
    assert cell["findings"] == "2" and cell["work_iris"] == "w1 w2"
    data = emap.to_json()
    assert {c["count"] for c in data["cells"]} == {1, 2}
    assert data["cells"][0]["works"][0]["link"] == "https://doi.org/10.1/x"


def _csv(emap: Any) -> str:
    out = io.StringIO()
    emap.write_csv(out)
    return out.getvalue()


def test_heatmap_is_escaped_and_cells_link_to_their_works() -> None:
    page = heatmap_html(evidence_map(hand_made_graph()), f"Map {XSS}")
    assert XSS not in page and "<script" not in page
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//[^"]*\.(js|css)', page)
    assert "javascript:" not in page, "only http(s) links are kept"
    match = re.search(r'<a href="#(cell-\d+-\d+)">2</a>', page)
    assert match
    section = re.search(
        rf'<section class="cell" id="{match.group(1)}">(.*?)</section>', page, re.DOTALL
    )
    assert section
    assert '<a href="https://doi.org/10.1/x">' in section.group(1)
    assert '<a href="https://example.org/trust">Trust' in section.group(1)
    assert "&lt;img src=x onerror=alert(1)&gt;" in section.group(1)


# --- the command line ---------------------------------------------------------------------


def cli(store: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--store", str(store), *args])


def test_cli_render_with_filters(review_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    result = cli(
        review_store,
        "render",
        "-o",
        str(out),
        "--focus",
        "routine activity theory",
        "--depth",
        "1",
        "--size-by",
        "pagerank",
    )
    assert result.exit_code == 0, result.output
    names = {n["name"] for n in page_data(out.read_text())["nodes"]}
    assert "Routine activity theory" in names and "Peru" not in names
    result = cli(review_store, "render", "-o", str(out), "--label", "Work", "--years", "2010-2030")
    assert result.exit_code == 0, result.output
    assert {n["kind"] for n in page_data(out.read_text())["nodes"]} == {"Work"}


def test_cli_render_stops_a_walk_at_its_node_limit_and_says_so(
    review_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "capped.html"
    args = ["render", "-o", str(out), "--focus", "routine activity theory", "--depth", "2"]
    result = cli(review_store, *args, "--max-nodes", "12")
    assert result.exit_code == 0, result.output
    assert len(page_data(out.read_text())["nodes"]) == 12
    assert "stopped at 12 nodes; its last hop left out" in result.stderr
    whole = cli(review_store, *args, "--max-nodes", "0")
    assert whole.exit_code == 0 and "left out" not in whole.stderr
    assert len(page_data(out.read_text())["nodes"]) > 12


def test_cli_render_refuses_a_selection_larger_than_a_page_without_a_focus(
    review_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "whole.html"
    nodes = len(
        page_data((cli(review_store, "render", "-o", str(out)), out.read_text())[1])["nodes"]
    )
    out.unlink()
    result = cli(review_store, "render", "-o", str(out), "--max-nodes", str(nodes - 1))
    assert result.exit_code == 1 and not out.exists()
    assert result.output.strip() == (
        f"Error: the page would hold {nodes:,} nodes, more than --max-nodes {nodes - 1:,}: "
        "narrow it with --focus, --theory, --country, --years or --label, or raise "
        "--max-nodes (0: no limit; a browser takes 2-4 s to lay out 5k nodes)"
    )
    works = cli(review_store, "render", "-o", str(out), "--label", "Work", "--max-nodes", "100")
    assert works.exit_code == 0, works.output
    exact = cli(review_store, "render", "-o", str(out), "--max-nodes", str(nodes))
    assert exact.exit_code == 0 and len(page_data(out.read_text())["nodes"]) == nodes


@pytest.mark.parametrize(
    "args",
    [
        ["render", "-o", "x.html", "--focus", "zzzzqqq"],
        ["render", "-o", "x.html", "--years", "soon"],
        ["render", "-o", "x.html", "--label", "Planet"],
        ["lineage", "phrenology"],
    ],
)
def test_cli_errors_are_one_line(review_store: Path, args: list[str]) -> None:
    result = cli(review_store, *args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_cli_lineage_text_json_and_page(review_store: Path, tmp_path: Path) -> None:
    result = cli(review_store, "lineage", "routine-activity")
    assert result.exit_code == 0
    assert result.output.startswith("Routine activity theory [routine-activity]")
    out = tmp_path / "lineage.html"
    result = cli(review_store, "lineage", "Rational choice", "--json", "-o", str(out))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["theory"]["id"] == "rational-choice"
    assert out.is_file()


def test_cli_evidence_outputs(review_store: Path, tmp_path: Path) -> None:
    result = cli(review_store, "evidence")
    assert result.exit_code == 0
    assert "Community participation × Peru: 2 finding(s)" in result.output
    csv_path, html_path = tmp_path / "e.csv", tmp_path / "e.html"
    result = cli(
        review_store,
        "evidence",
        "--by",
        "theory",
        "--json",
        "--csv",
        str(csv_path),
        "-o",
        str(html_path),
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    cell = next(c for c in data["cells"] if c["theory"] == THEORY + "cpted")
    assert cell["strategy"] == STRATEGY + "environmental-design" and cell["count"] == 1
    assert csv_path.read_text().startswith("strategy,strategy_iri,theory,theory_iri,")
    assert "<table>" in html_path.read_text()


def test_cli_help_has_an_example() -> None:
    for command in ("render", "lineage", "evidence"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Example: citegraph " + command in result.output


def cliques(size: int = 5) -> PropertyGraph:
    """Two groups of works citing each other, joined by one citation."""
    nodes = {f"w{i}": Node(f"w{i}", "Work", {"name": f"work {i}"}) for i in range(2 * size)}
    rels = [
        Relationship("CITES", f"w{a}", f"w{b}")
        for group in (range(size), range(size, 2 * size))
        for a in group
        for b in group
        if a < b
    ]
    rels.append(Relationship("CITES", f"w{size - 1}", f"w{size}"))
    return PropertyGraph(nodes, rels)


def test_communities_split_two_cliques_the_same_way_every_time() -> None:
    from citegraph.graph.communities import communities

    found = communities(cliques())
    assert found is not None
    assert {found[f"w{i}"] for i in range(5)} != {found[f"w{i}"] for i in range(5, 10)}
    assert len({found[f"w{i}"] for i in range(5)}) == 1
    assert len({found[f"w{i}"] for i in range(5, 10)}) == 1
    assert all(communities(cliques()) == found for _ in range(3))


def test_page_nodes_carry_what_the_controls_need(tmp_path: Path) -> None:
    from citegraph.graph.render import TOP_LABELS

    graph = cliques(25)
    graph.nodes["w0"].properties["year"] = 1990
    graph.relationships += [Relationship("CITES", f"w{i}", "w7") for i in range(8, 50)]
    page = render(graph, tmp_path / "page.html", title="t").read_text()
    block = re.search(r'id="cg-data"[^>]*>(.*?)</script>', page, re.S)
    assert block
    data = json.loads(block.group(1))
    nodes = {n["name"]: n for n in data["nodes"]}
    assert sum(n["top"] for n in nodes.values()) == TOP_LABELS
    assert nodes["work 7"]["top"], "the most cited work is labelled at every zoom"
    assert nodes["work 0"]["year"] == 1990 and nodes["work 1"]["year"] is None
    assert nodes["work 0"]["communityColor"] == nodes["work 1"]["communityColor"]
    assert 'id="cg-year-from" type="range" min="1990"' in page
    assert '<option value="community">by community (2)</option>' in page


def test_pages_past_the_louvain_limit_offer_no_community_colours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("citegraph.graph.communities.COMMUNITIES_UP_TO", 9)
    page = render(cliques(), tmp_path / "page.html", title="t").read_text()
    assert 'id="cg-colour"' not in page
    assert '"communityColor":null' in page
