"""The embedded graph: the property graph as a networkx MultiDiGraph.

Node ids are IRIs; each node carries `label` and the contract's properties, each edge its
relationship `type` and properties, straight from graph/property_graph.py.
"""

from __future__ import annotations

import networkx as nx

from citegraph.graph.property_graph import PropertyGraph


def to_networkx(pg: PropertyGraph) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (iri, {"label": node.label, **node.properties}) for iri, node in pg.nodes.items()
    )
    graph.add_edges_from(
        (rel.start, rel.end, rel.type, {"type": rel.type, **rel.properties})
        for rel in pg.relationships
    )
    return graph
