"""Graph measures on a hand-made graph whose right answers can be worked out on paper.

A (2020) cites C (x3), D          B (2021) cites C, D, E          F (2021) cites C
C (2000), D (2005), E (no year); G (1990) cites nothing and is not cited
P1, P2 wrote A; P2, P3 wrote B; P4 wrote C alone; the World Bank wrote D
"""

from __future__ import annotations

import json
import random
from collections import Counter
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph import analysis
from citegraph.graph.analysis import (
    analyse,
    betweenness,
    citation_digraph,
    citations_per_year,
    coauthor_components,
    cocitation,
    counts,
    coupling,
    most_cited,
    pagerank,
)
from citegraph.graph.ingest import store_results
from citegraph.graph.pair_counts import top_pairs
from citegraph.graph.property_graph import Node, PropertyGraph, Relationship
from citegraph.graph.store import Store
from citegraph.loaders.records import Agent, Citation, LoadResult, Source, Work

YEARS = {"A": 2020, "B": 2021, "F": 2021, "C": 2000, "D": 2005, "G": 1990}


@pytest.fixture
def pg() -> PropertyGraph:
    nodes = [
        Node(w, "Work", {"iri": w, "name": f"work {w}", "year": YEARS.get(w)}) for w in "ABCDEFG"
    ]
    nodes += [Node(p, "Person", {"iri": p, "name": p}) for p in ("P1", "P2", "P3", "P4")]
    nodes.append(Node("WB", "Organization", {"iri": "WB", "name": "World Bank"}))
    cites = [
        ("A", "C", 3),
        ("A", "D", 1),
        ("B", "C", 1),
        ("B", "D", 1),
        ("B", "E", 1),
        ("F", "C", 1),
    ]
    authored = [("P1", "A", 1), ("P2", "A", 2), ("P2", "B", 1), ("P3", "B", 2), ("P4", "C", 1)]
    authored.append(("WB", "D", 1))
    rels = [Relationship("CITES", a, b, {"count": n}) for a, b, n in cites]
    rels += [Relationship("AUTHORED", p, w, {"position": n}) for p, w, n in authored]
    return PropertyGraph({n.iri: n for n in nodes}, rels)


def test_counts(pg: PropertyGraph) -> None:
    labels, types = counts(pg)
    assert labels == {"Work": 7, "Person": 4, "Organization": 1}
    assert types == {"AUTHORED": 6, "CITES": 6}


def test_most_cited_counts_citing_works_then_mentions(pg: PropertyGraph) -> None:
    found = [(w.iri, w.citations, w.mentions, w.year) for w in most_cited(pg, top=5)]
    assert found == [("C", 3, 5, 2000), ("D", 2, 2, 2005), ("E", 1, 1, None)]
    assert len(most_cited(pg, top=1)) == 1


def test_citation_digraph_holds_every_work(pg: PropertyGraph) -> None:
    graph = citation_digraph(pg)
    assert set(graph) == set("ABCDEFG")
    assert graph.number_of_edges() == 6 and graph["A"]["C"]["weight"] == 3


def test_pagerank_order_and_agreement_with_networkx(pg: PropertyGraph) -> None:
    scores = pagerank(citation_digraph(pg))
    assert sum(scores.values()) == pytest.approx(1.0)
    assert scores["C"] > scores["D"] > scores["E"] > scores["A"]
    assert scores["A"] == pytest.approx(scores["B"]) == pytest.approx(scores["G"])
    reference = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")
    expected = reference._pagerank_python(
        citation_digraph(pg), tol=1e-12, max_iter=1000, weight=None
    )
    exact = pagerank(citation_digraph(pg), tol=1e-12, max_iter=1000)
    assert exact == pytest.approx(expected, abs=1e-9)


def test_pagerank_of_two_nodes_by_hand() -> None:
    # a -> b, b dangling: r_a = 0.15/2 + 0.85 r_b/2 and r_b = r_a + 0.85 r_a ... solved:
    # r_a = 0.075 + 0.425 r_b, r_a + r_b = 1  =>  r_b = 0.925 / 1.425
    scores = pagerank(nx.DiGraph([("a", "b")]), tol=1e-12)
    assert scores["b"] == pytest.approx(0.925 / 1.425, abs=1e-9)
    assert pagerank(nx.DiGraph()) == {}


def test_pagerank_reports_no_convergence() -> None:
    with pytest.raises(nx.PowerIterationFailedConvergence):
        pagerank(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]), tol=0, max_iter=3)


def test_betweenness_exact_on_a_chain() -> None:
    scores, samples = betweenness(nx.DiGraph([("x", "y"), ("y", "z")]))
    assert samples is None
    assert scores == {"x": 0.0, "y": 0.5, "z": 0.0}  # 1 path of (n-1)(n-2) = 2 through y


def test_betweenness_samples_large_graphs_with_a_fixed_seed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(analysis, "BETWEENNESS_EXACT_LIMIT", 10)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 5)
    graph = nx.gnp_random_graph(40, 0.1, seed=1, directed=True)
    first, samples = betweenness(graph)
    again, _ = betweenness(graph)
    assert samples == 5 and first == again


def test_coauthorship_components(pg: PropertyGraph) -> None:
    components = coauthor_components(pg)
    assert [(c.size, c.works, c.people) for c in components] == [
        (3, 2, ["P1", "P2", "P3"]),
        (1, 1, ["P4"]),
    ]


def test_cocitation_pairs(pg: PropertyGraph) -> None:
    # C and D are cited together by A and B; C-E and D-E only by B
    found = [(p.a, p.b, p.count) for p in cocitation(pg, top=3)]
    assert found == [("C", "D", 2), ("C", "E", 1), ("D", "E", 1)]
    assert cocitation(pg, top=1)[0].a_name == "work C"


def test_bibliographic_coupling_pairs(pg: PropertyGraph) -> None:
    # A {C, D} and B {C, D, E} share two references; F {C} shares one with each
    found = [(p.a, p.b, p.count) for p in coupling(pg, top=5)]
    assert found == [("A", "B", 2), ("A", "F", 1), ("B", "F", 1)]


def _brute_force(groups: list[set[str]], top: int) -> list[tuple[str, str, int]]:
    degree = Counter(item for g in groups if len(g) > 1 for item in g)
    rank = {item: i for i, item in enumerate(sorted(degree, key=lambda x: (-degree[x], x)))}
    pairs: Counter[tuple[str, str]] = Counter()
    for group in groups:
        pairs.update(combinations(sorted(group, key=rank.__getitem__), 2))
    ordered = sorted(pairs.items(), key=lambda p: (-p[1], rank[p[0][0]], rank[p[0][1]]))
    return [(a, b, count) for (a, b), count in ordered[:top]]


@pytest.mark.parametrize("seed", range(30))
def test_top_pairs_is_exact(seed: int) -> None:
    rng = random.Random(seed)
    items = [f"i{n}" for n in range(rng.randint(2, 25))]
    groups = [set(rng.sample(items, rng.randint(0, len(items)))) for _ in range(rng.randint(1, 30))]
    top = rng.randint(1, 12)
    assert top_pairs(groups, top) == _brute_force(groups, top)


def test_citations_per_year(pg: PropertyGraph) -> None:
    by_citing, by_cited = citations_per_year(pg)
    assert by_citing == {2020: 2, 2021: 4}
    assert by_cited == {2000: 3, 2005: 2}  # E has no year


def test_analyse_gives_the_whole_report_as_json(pg: PropertyGraph) -> None:
    stats = analyse(pg, top=2)
    assert [w.iri for w in stats.most_cited] == ["C", "D"]
    assert stats.pagerank[0].iri == "C"
    assert stats.betweenness_samples is None
    assert (stats.coauthor_components, stats.coauthor_singletons) == (2, 1)
    assert [c.size for c in stats.largest_coauthor_groups] == [3]
    assert [(p.a, p.b) for p in stats.cocitation] == [("C", "D"), ("C", "E")]
    data = json.loads(json.dumps(stats.to_json()))
    assert data["labels"]["Work"] == 7 and data["most_cited"][0]["citations"] == 3


# --- citegraph stats ------------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A review cites two works, one of which cites the other; a comment cites the review."""
    source = Source("review.md", 1, "review")
    records = [
        Work(
            "rev",
            source,
            title="The review",
            year=2020,
            authors=(Agent("Ana Pérez", family="Pérez", given="Ana"),),
        ),
        Work("a", source, title="Cited twice", year=2010),
        Work("b", source, title="Cited once", year=2015),
        Work("c", source, title="A comment", year=2022),
        Citation("rev", "a", source, count=3),
        Citation("rev", "b", source),
        Citation("b", "a", source),
        Citation("c", "rev", source),
    ]
    store = Store(tmp_path / "store")
    store_results(store, [(LoadResult("review.md", "review", records, entries=3, loaded=3), "sha")])  # type: ignore[arg-type]
    return store.path


def test_stats_command_tables(runner: CliRunner, stored: Path) -> None:
    result = runner.invoke(main, ["--store", str(stored), "stats", "--top", "2"])
    assert result.exit_code == 0, result.output
    assert "Most cited works" in result.output
    lines = result.output.splitlines()
    cited = lines[lines.index("Most cited works (citing works; in-text mentions)") + 3]
    assert cited.split()[:3] == ["2", "4", "2010"] and cited.endswith("Cited twice")
    assert "Betweenness (citation network, exact)" in result.output


def test_stats_command_json(runner: CliRunner, stored: Path) -> None:
    result = runner.invoke(main, ["--store", str(stored), "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["most_cited"][0]["name"] == "Cited twice"
    assert [w["name"] for w in data["betweenness"]] == ["The review"]  # on comment -> a, b
    assert data["citations_by_cited_year"] == {"2010": 2, "2015": 1, "2020": 1}


def test_stats_without_a_store_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["--store", str(tmp_path / "none"), "stats"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "no store here yet" in result.output


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_is_networkx_betweenness(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.relabel_nodes(
        nx.gnp_random_graph(60, 0.05, seed=seed, directed=True), lambda i: f"n{i}"
    )
    exact, _ = betweenness(graph)
    assert exact == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)
    monkeypatch.setattr(analysis, "BETWEENNESS_EXACT_LIMIT", 10)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 7)
    sampled, _ = betweenness(graph)
    expected = nx.betweenness_centrality(graph, k=7, seed=analysis.BETWEENNESS_SEED)
    assert sampled == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_connected_groups_are_networkx_components(seed: int) -> None:
    """Chains, stars and self-loops in any order: each node lands with exactly the nodes
    networkx puts in its component, and the group is named by its smallest node."""
    import numpy as np

    rng = random.Random(seed)
    count = rng.randint(1, 60)
    edges = [(rng.randrange(count), rng.randrange(count)) for _ in range(rng.randint(0, 80))]
    edges += [(i, i + 1) for i in range(0, count - 1, 3)]  # chains that need many rounds
    a = np.array([x for x, _ in edges], dtype=np.int64)
    b = np.array([y for _, y in edges], dtype=np.int64)
    group = analysis.connected_groups(count, a, b)
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from(edges)
    for component in nx.connected_components(graph):
        assert {int(group[n]) for n in component} == {min(component)}
