"""Loaders: one module per input format, each turning a file into plain records.

No RDF here; graph/ turns records into the knowledge graph.
"""

from citegraph.loaders.registry import UnknownFormat, available, load, loader_for

__all__ = ["UnknownFormat", "available", "load", "loader_for"]
