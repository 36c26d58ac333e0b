"""Clusters of the page's graph (communities), so a page can colour by them.

Louvain on the undirected graph of the page's nodes: citation direction says who came
first, not who belongs together, and theories, places and people tie works into the same
cluster as much as citations do. The seed makes the split the same on every build, and
the clusters are numbered biggest first (ties by the first node's place in the page), so
the same graph gets the same colours.
"""

from __future__ import annotations

import networkx as nx
from networkx.algorithms.community import louvain_communities

from citegraph.graph.property_graph import PropertyGraph

SEED = 42
#: One colour per cluster for the biggest clusters (Tableau 10 and two more); the rest,
#: mostly lone nodes, share REST_COLOUR so that a colour always means one cluster.
COMMUNITY_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#8c6d31",
    "#393b79",
]
REST_COLOUR = "#c7c7c7"
#: networkx's Louvain is pure Python: about 1 s at 5k nodes but 11 s at 20k, more than
#: the rest of a 20k-node page costs, so bigger pages offer no community colouring.
COMMUNITIES_UP_TO = 5000


def communities(pg: PropertyGraph) -> dict[str, int] | None:
    """Cluster number (0 = biggest) of every node of `pg`; None past COMMUNITIES_UP_TO
    nodes. Nodes are numbered by their place in the page (integers hash and compare
    faster than IRIs: half the time)."""
    if len(pg.nodes) > COMMUNITIES_UP_TO:
        return None
    place = {iri: i for i, iri in enumerate(pg.nodes)}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(place)))
    graph.add_edges_from(
        (place[rel.start], place[rel.end])
        for rel in pg.relationships
        if rel.start in place and rel.end in place and rel.start != rel.end
    )
    found = louvain_communities(graph, seed=SEED)
    ordered = sorted(found, key=lambda part: (-len(part), min(part)))
    iris = list(place)
    return {iris[i]: number for number, part in enumerate(ordered) for i in part}


def community_colour(number: int) -> str:
    return COMMUNITY_COLOURS[number] if number < len(COMMUNITY_COLOURS) else REST_COLOUR
