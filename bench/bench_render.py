"""Benchmark page building against the naive pyvis loop, and time the page in Chromium.

For each size a synthetic property graph (works citing earlier works, their authors,
theories, findings) is rendered twice in the same run: by `citegraph.graph.render.render`
and by the way pyvis is usually driven (`Network.add_node`/`add_edge` one by one, then
`generate_html`). Then headless Chromium opens our page offline and we time how long
until it is interactive (`window.citegraphReady`, set when the layout has stabilised).

    python bench/bench_render.py                 # 1k, 5k and 20k nodes
    python bench/bench_render.py --sizes 1000    # smoke run
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from chromium import offline_tab
from pyvis.network import Network

from citegraph.graph.property_graph import Node, PropertyGraph, Relationship
from citegraph.graph.render import STYLES, render

WORDS = [
    "crime",
    "prevention",
    "community",
    "policing",
    "security",
    "urban",
    "design",
    "routine",
    "activity",
    "situational",
    "youth",
    "evidence",
    "patrols",
    "trust",
]
#: Share of each label in the synthetic graph (works dominate, as in a real review).
MIX = {"Work": 0.70, "Person": 0.20, "Finding": 0.07, "Theory": 0.02, "Strategy": 0.01}


def synthetic_graph(size: int, seed: int = 7) -> PropertyGraph:
    """About `size` nodes and two relationships per node, repeatable for a seed."""
    rng = random.Random(seed)
    nodes: dict[str, Node] = {}
    for label, share in MIX.items():
        for i in range(max(1, round(size * share))):
            iri = f"https://example.org/{label.lower()}/{i}"
            name = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
            nodes[iri] = Node(
                iri,
                label,
                {
                    "name": name,
                    "title": name,
                    "year": 1960 + i % 64,
                    "sources": [f"review.md:{i + 1} (review)"],
                },
            )
    by_label = {label: [i for i, n in nodes.items() if n.label == label] for label in MIX}
    works = by_label["Work"]
    rels = []
    for index, work in enumerate(works[1:], 1):
        for _ in range(2):
            # Preferential attachment: early works collect most citations.
            cited = works[int(index * rng.random() ** 2)]
            rels.append(Relationship("CITES", work, cited, {"count": 1}))
    for person in by_label["Person"]:
        rels.append(Relationship("AUTHORED", person, rng.choice(works), {"position": 1}))
    for finding in by_label["Finding"]:
        rels.append(Relationship("REPORTS", rng.choice(works), finding))
        rels.append(Relationship("ABOUT", finding, rng.choice(by_label["Strategy"])))
    for work in rng.sample(works, len(works) // 5):
        rels.append(Relationship("USES_THEORY", work, rng.choice(by_label["Theory"])))
    return PropertyGraph(nodes, rels)


def ours(pg: PropertyGraph, out: Path) -> float:
    start = time.perf_counter()
    render(pg, out, title="benchmark")
    return time.perf_counter() - start


def naive(pg: PropertyGraph) -> float:
    """pyvis as its documentation drives it: one add_node/add_edge per item."""
    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    for node in pg.nodes.values():
        style = STYLES[node.label]
        net.add_node(
            node.iri, label=node.name, title=node.name, color=style.colour, shape=style.shape
        )
    for rel in pg.relationships:
        net.add_edge(rel.start, rel.end, title=rel.type)
    net.generate_html()
    return time.perf_counter() - start


def interactive(page: Path) -> float:
    """Seconds from opening the page (offline) until its layout is done and usable."""
    with offline_tab(1400, 900) as tab:
        start = time.perf_counter()
        tab.goto(page.as_uri())
        tab.wait_for_function("window.citegraphReady === true", timeout=600_000, polling=50)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--no-browser", action="store_true", help="Skip the Chromium timing.")
    args = parser.parse_args()
    print(
        f"{'nodes':>6} {'edges':>6} {'ours s':>7} {'pyvis s':>8} {'speedup':>8} "
        f"{'page MB':>8} {'interactive s':>14}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            pg = synthetic_graph(size)
            page = Path(tmp) / f"graph-{size}.html"
            mine, theirs = ours(pg, page), naive(pg)
            ready = "-" if args.no_browser else f"{interactive(page):.2f}"
            print(
                f"{len(pg.nodes):>6} {len(pg.relationships):>6} {mine:>7.2f} {theirs:>8.2f} "
                f"{theirs / mine:>7.1f}x {page.stat().st_size / 1e6:>8.1f} {ready:>14}",
                flush=True,
            )


if __name__ == "__main__":
    main()
