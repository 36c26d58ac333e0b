"""Interactive pages: the property graph as one self-contained, offline HTML file.

The page is a pyvis Network rendered through our own template, because pyvis's template
fetches Bootstrap from a CDN and `write_html` copies a `lib/` folder beside the page; a
researcher must be able to mail the one file and open it offline. vis-network's script
and style are pyvis's bundled copies, inlined. The node and edge lists are assigned to
the Network directly (pyvis's `add_node` checks a list of ids per call: quadratic), and
the data travels as JSON in a `<script type="application/json">` block that the page
parses, with `<` escaped, so no text from a source can close the block or run as code.
Tooltips are built in the browser with `textContent` for the same reason. The page's
HTML and script are package files (`templates/graph_page.html.j2`, `graph_page.js`), so
they can be read, linted and diffed as what they are.

Layout: nodes start from positions computed here in linear time (`seed_layout`), and
vis-network's physics polishes them for a number of rounds that shrinks as graphs grow;
past FREEZE_AFTER nodes physics is switched off once stabilised. The page then sets
`window.citegraphReady`, which the browser tests and the benchmark wait for.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, Template

from citegraph.graph.communities import communities, community_colour
from citegraph.graph.gc_paused import collector_paused
from citegraph.graph.property_graph import LABEL_NAMES, PropertyGraph
from citegraph.graph.work_text import (
    authors_by_work,
    short_label,
    tooltip,
)

SizeBy = Literal["citations", "pagerank"]

#: Past this many nodes the layout is computed once and then frozen, so dragging and
#: zooming stay fluid instead of re-running the simulation on every interaction.
FREEZE_AFTER = 3000
#: Smooth (curved) edges look better but cost a lot to draw on big graphs.
SMOOTH_EDGES_UP_TO = 1000
MIN_SIZE, MAX_SIZE = 8.0, 34.0
CONTEXT_LABELS = frozenset({"Person", "Organization", "Venue"})
#: This many of the biggest nodes are labelled at every zoom level (see graph_page.js),
#: at no less than READABLE_PX on screen; the others once their text is LABEL_FROM_PX.
TOP_LABELS = 30
READABLE_PX = 13
LABEL_FROM_PX = 7
FONT_SIZE = 12
#: Dimming restyles and redraws every node: ~0.3 s at 3k nodes in headless Chromium, too
#: slow to follow the mouse, so bigger pages highlight on click only.
HOVER_HIGHLIGHT_UP_TO = 1000
VIS_ASSETS = "templates/lib/vis-9.1.2"


@dataclass(frozen=True)
class Style:
    colour: str
    shape: str
    symbol: str


#: One colour and shape per label (a colour-blind-safe Tableau palette); the legend shows
#: the symbol, the canvas the vis-network shape.
STYLES: dict[str, Style] = {
    "Work": Style("#4e79a7", "dot", "●"),
    "Person": Style("#9c755f", "triangle", "▲"),
    "Organization": Style("#bab0ac", "square", "■"),
    "Venue": Style("#76b7b2", "square", "■"),
    "Theory": Style("#f28e2b", "star", "★"),
    "Strategy": Style("#59a14f", "hexagon", "⬢"),
    "Country": Style("#e15759", "triangleDown", "▼"),
    "Region": Style("#ff9da7", "triangleDown", "▼"),
    "Finding": Style("#edc948", "diamond", "◆"),
    "FlowStage": Style("#b07aa1", "box", "▬"),
}
EDGE_COLOURS = {"CITES": "#8a8a8a", "DERIVES_FROM": "#f28e2b", "PROPOSED_IN": "#f28e2b"}
EDGE_COLOUR = "#c8c8c8"


# --- sizes --------------------------------------------------------------------------------


def citation_scores(pg: PropertyGraph) -> dict[str, float]:
    """Citations received for works; theories, strategies, places and findings get their
    number of connections, since nothing cites them but how much hangs off them is what
    matters; people, organisations and venues are context and stay small."""
    cited: dict[str, float] = defaultdict(float)
    degree: dict[str, float] = defaultdict(float)
    for rel in pg.relationships:
        degree[rel.start] += 1
        degree[rel.end] += 1
        if rel.type == "CITES":
            cited[rel.end] += 1
    scores = {iri: 0.0 if n.label in CONTEXT_LABELS else degree[iri] for iri, n in pg.nodes.items()}
    scores.update((iri, cited[iri]) for iri, n in pg.nodes.items() if n.label == "Work")
    return scores


def pagerank_scores(pg: PropertyGraph) -> dict[str, float]:
    """PageRank over every relationship, so theories and places rank by what hangs off them."""
    from citegraph.graph.analysis import CitationGraph, pagerank

    return pagerank(CitationGraph(pg.nodes, ((r.start, r.end, 1) for r in pg.relationships)))


def node_sizes(pg: PropertyGraph, size_by: SizeBy) -> dict[str, float]:
    """Sizes between MIN_SIZE and MAX_SIZE, by the square root so area follows the score."""
    if size_by not in ("citations", "pagerank"):
        raise ValueError(f"size by {size_by!r}: expected citations or pagerank")
    scores = citation_scores(pg) if size_by == "citations" else pagerank_scores(pg)
    low = min(scores.values(), default=0.0)
    spread = (max(scores.values(), default=0.0) - low) or 1.0
    return {
        iri: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((s - low) / spread), 2)
        for iri, s in scores.items()
    }


# --- starting positions -------------------------------------------------------------------

#: Distance (px) between neighbouring nodes in the starting layout.
SPACING = 70.0


def undirected(pg: PropertyGraph) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {iri: [] for iri in pg.nodes}
    for rel in pg.relationships:
        if rel.start in found and rel.end in found:
            found[rel.start].append(rel.end)
            found[rel.end].append(rel.start)
    return found


def bfs_tree(root: str, adj: Mapping[str, list[str]], seen: set[str]) -> dict[str, str]:
    """Parent of every node reached from `root` (root -> itself), in breadth-first order."""
    parent = {root: root}
    seen.add(root)
    frontier = [root]
    while frontier:
        following = []
        for iri in frontier:
            for other in adj[iri]:
                if other not in seen:
                    seen.add(other)
                    parent[other] = iri
                    following.append(other)
        frontier = following
    return parent


def radial(parent: dict[str, str]) -> tuple[dict[str, tuple[float, float]], float]:
    """A radial tree: the root in the centre, each subtree in a wedge as wide as its share
    of the nodes, one ring per hop with room for every node on it. Returns positions
    around (0, 0) and the outer radius."""
    order = list(parent)
    root = order[0]
    depth = {root: 0}
    children: dict[str, list[str]] = defaultdict(list)
    for iri in order[1:]:
        depth[iri] = depth[parent[iri]] + 1
        children[parent[iri]].append(iri)
    weight = dict.fromkeys(order, 1)
    for iri in reversed(order[1:]):
        weight[parent[iri]] += weight[iri]
    per_ring: dict[int, int] = defaultdict(int)
    for d in depth.values():
        per_ring[d] += 1
    radius = [0.0]
    for d in range(1, max(depth.values()) + 1):
        radius.append(max(radius[-1] + SPACING, per_ring[d] * SPACING / (2 * math.pi)))
    start, span = {root: 0.0}, {root: 2 * math.pi}
    pos = {root: (0.0, 0.0)}
    for iri in order:
        angle = start[iri]
        for child in children[iri]:
            span[child] = span[iri] * weight[child] / (weight[iri] - 1)
            start[child] = angle
            angle += span[child]
            middle, r = start[child] + span[child] / 2, radius[depth[child]]
            pos[child] = (r * math.cos(middle), r * math.sin(middle))
    return pos, radius[-1]


def seed_layout(pg: PropertyGraph) -> dict[str, dict[str, float]]:
    """Starting positions: a radial tree per connected component from its best-connected
    node, components packed in rows, biggest first.

    vis-network starts from random positions and a big page can only afford a few dozen
    physics rounds before it must be usable; starting with neighbours already near each
    other lets those rounds polish instead of untangle, and makes the picture the same on
    every load. Linear in the graph (breadth-first walks and one sort).
    """
    adj = undirected(pg)
    seen: set[str] = set()
    parts = [
        radial(bfs_tree(root, adj, seen))
        for root in sorted(adj, key=lambda iri: -len(adj[iri]))
        if root not in seen
    ]
    parts.sort(key=lambda part: -len(part[0]))
    width = max(2 * parts[0][1], math.sqrt(sum((2 * r + SPACING) ** 2 for _, r in parts)))
    placed: dict[str, dict[str, float]] = {}
    x = y = row = 0.0
    for pos, r in parts:
        size = 2 * r + SPACING
        if x and x + size > width:
            x, y, row = 0.0, y + row, 0.0
        for iri, (px, py) in pos.items():
            placed[iri] = {"x": round(x + r + px, 1), "y": round(y + r + py, 1)}
        x, row = x + size, max(row, size)
    return placed


# --- vis data -----------------------------------------------------------------------------


def top_nodes(sizes: Mapping[str, float], count: int = TOP_LABELS) -> set[str]:
    """The `count` biggest nodes (ties by their place in the page): those a reader looks
    for first, so the page labels them even when zoomed out."""
    order = sorted(enumerate(sizes), key=lambda pair: (-sizes[pair[1]], pair[0]))
    return {iri for _, iri in order[:count]}


def vis_nodes(
    pg: PropertyGraph,
    sizes: Mapping[str, float],
    authors: Mapping[str, list[str]],
    placement: Mapping[str, dict[str, float]],
    label_all: bool = False,
) -> list[dict[str, Any]]:
    """vis-network node objects; `placement` adds each node's `x`/`y` or `level`;
    `label_all` labels every node at every zoom level, not only the biggest. Each
    also carries what the page's controls need: `top` (always labelled), `year` (works,
    for the year range), `community` and its colour (for colouring by cluster)."""
    top = top_nodes(sizes, len(sizes) if label_all else TOP_LABELS)
    cluster = communities(pg)
    found = []
    for number, (iri, node) in enumerate(pg.nodes.items()):
        style = STYLES[node.label]
        names = authors.get(iri, [])
        year = node.properties.get("year") if node.label == "Work" else None
        found.append(
            {
                "id": number,
                "label": short_label(node, names),
                "name": node.name,
                "kind": node.label,
                "shape": style.shape,
                "color": style.colour,
                "size": sizes[iri],
                "top": iri in top,
                "year": year if isinstance(year, int) else None,
                "community": cluster[iri] if cluster else None,
                "communityColor": community_colour(cluster[iri]) if cluster else None,
                "tip": tooltip(node, names),
                **placement.get(iri, {}),
            }
        )
    return found


def edge_tip(rel_type: str, props: Mapping[str, Any]) -> list[list[str]]:
    rows = [[rel_type, ""]]
    for context in props.get("contexts", [])[:3]:
        rows.append(["context", str(context)])
    if props.get("sources"):
        rows.append(["read from", "; ".join(props["sources"])])
    return rows


def vis_edges(pg: PropertyGraph) -> list[dict[str, Any]]:
    number = {iri: i for i, iri in enumerate(pg.nodes)}
    return [
        {
            "from": number[rel.start],
            "to": number[rel.end],
            "color": EDGE_COLOURS.get(rel.type, EDGE_COLOUR),
            "tip": edge_tip(rel.type, rel.properties),
        }
        for rel in pg.relationships
        if rel.start in number and rel.end in number
    ]


def stabilization_rounds(count: int) -> int:
    """Layout rounds for a graph: vis-network's default 1000 for small ones, down to 10 for
    huge ones (a round costs about n log n), so a 5k-node page is usable in seconds;
    `seed_layout` has already put neighbours near each other."""
    return max(10, min(1000, 125_000 // max(count, 1)))


def vis_options(count: int, hierarchical: bool) -> dict[str, Any]:
    big = count > FREEZE_AFTER
    options: dict[str, Any] = {
        "nodes": {
            "font": {"size": FONT_SIZE, "strokeWidth": 3},
            "borderWidth": 1,
            # vis-network draws a label when its on-screen size is at least
            # drawThreshold - 1 px.
            "scaling": {"label": {"drawThreshold": LABEL_FROM_PX + 1}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "width": 1,
            "smooth": {"type": "continuous"} if count <= SMOOTH_EDGES_UP_TO else False,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big},
        # Positions come from seed_layout (or levels), so vis-network's own clustering
        # pre-layout would only cost time.
        "layout": {"improvedLayout": False},
        "physics": {
            "solver": "forceAtlas2Based",
            # Coarser force approximation and fixed time steps: about half the cost per
            # round, which big graphs need and small ones do not.
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 90,
                "theta": 1.0 if big else 0.5,
            },
            "adaptiveTimestep": not big,
            "stabilization": {"iterations": stabilization_rounds(count), "updateInterval": 10},
        },
    }
    if hierarchical:
        options["layout"]["hierarchical"] = {
            "enabled": True,
            "direction": "UD",
            "sortMethod": "directed",
            "levelSeparation": 130,
            "nodeSpacing": 220,
        }
        options["physics"] = {
            "solver": "hierarchicalRepulsion",
            "hierarchicalRepulsion": {"nodeDistance": 200},
            "stabilization": {"iterations": 300, "updateInterval": 10},
        }
    return options


# --- the page -----------------------------------------------------------------------------


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> block: no `<` can start `</script>` or `<!--`."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


SIZE_NOTES = {
    "citations": "Size: citations received (works) or connections (theories, places...).",
    "pagerank": "Size: PageRank over all relationships.",
}
#: The page's HTML (a Jinja2 template) and script, package files beside this module.
TEMPLATES = resources.files("citegraph.graph") / "templates"


@cache
def vis_assets() -> tuple[str, str]:
    """pyvis's bundled vis-network stylesheet and script, read once (found without
    importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    assert spec is not None and spec.submodule_search_locations, "pyvis is a dependency"
    folder = Path(next(iter(spec.submodule_search_locations))) / VIS_ASSETS
    return (
        (folder / "vis-network.css").read_text(encoding="utf-8"),
        (folder / "vis-network.min.js").read_text(encoding="utf-8"),
    )


@cache
def page_template() -> Template:
    """The page template, compiled once; vis-network is passed in as text, not parsed as
    template source."""
    env = Environment(autoescape=False)
    env.filters["script_json"] = script_json
    return env.from_string((TEMPLATES / "graph_page.html.j2").read_text(encoding="utf-8"))


@cache
def page_script() -> str:
    """The page's own script, read once; it reads its data from the JSON block."""
    return (TEMPLATES / "graph_page.js").read_text(encoding="utf-8")


@dataclass
class VisNetwork:
    """What a page draws: vis-network's node and edge lists and options. pyvis's Network
    held the same three lists; it is not imported, since pyvis imports IPython (a fifth
    of a second before a page can start)."""

    heading: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


def network(
    pg: PropertyGraph,
    title: str,
    size_by: SizeBy,
    hierarchical: bool,
    levels: Mapping[str, int] | None,
    authors: Mapping[str, list[str]],
) -> VisNetwork:
    """The graph and its options as vis-network reads them, filled in one pass."""
    net = VisNetwork(title)
    placement: dict[str, dict[str, float]]
    if hierarchical:
        placement = {iri: {"level": level} for iri, level in (levels or {}).items()}
    else:
        placement = seed_layout(pg) if pg.nodes else {}
    # A top-down page (a lineage) is read as a diagram: every box is labelled.
    net.nodes = vis_nodes(pg, node_sizes(pg, size_by), authors, placement, hierarchical)
    net.edges = vis_edges(pg)
    net.options = vis_options(len(net.nodes), hierarchical)
    return net


def page_html(net: VisNetwork, title: str, size_by: SizeBy) -> str:
    """Our template rather than pyvis's `generate_html`, whose template loads Bootstrap
    from a CDN and cannot escape the data for a script block."""
    nodes, edges = net.nodes, net.edges
    css, script = vis_assets()
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "freeze": len(nodes) > FREEZE_AFTER,
        "hoverHighlight": len(nodes) <= HOVER_HIGHLIGHT_UP_TO,
        "readablePx": READABLE_PX,
        "communityCount": len({node["community"] for node in nodes} - {None}),
    }
    years = [node["year"] for node in nodes if node["year"] is not None]
    return page_template().render(
        title=title,
        years=(min(years), max(years)) if years else None,
        communities=data["communityCount"],
        legend=legend_items(nodes),
        note=SIZE_NOTES[size_by],
        nodes=nodes,
        edges=edges,
        data=data,
        vis_css=css,
        vis_js=script,
        page_js=page_script(),
    )


def legend_items(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The labels present, in the contract's order, with their counts and styles."""
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node["kind"]] += 1
    return [
        {"label": label, "count": counts[label], "style": STYLES[label]}
        for label in LABEL_NAMES
        if counts[label]
    ]


def render(
    pg: PropertyGraph,
    out_path: Path | str,
    *,
    title: str,
    size_by: SizeBy = "citations",
    hierarchical: bool = False,
    levels: Mapping[str, int] | None = None,
    authors: Mapping[str, list[str]] | None = None,
) -> Path:
    """Write the page for `pg` to `out_path` (nothing else is written) and return its path.

    `hierarchical` lays the graph out top-down; `levels` (IRI -> row, 0 at the top) fixes
    each node's row, otherwise edge direction decides. `authors` (work IRI -> names, from
    `authors_by_work` on the whole graph) labels works when `pg` is a selection that left
    their people out.
    """
    with collector_paused():
        names = authors if authors is not None else authors_by_work(pg)
        net = network(pg, title, size_by, hierarchical, levels, names)
        page = page_html(net, title, size_by)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
