"""citegraph: citation knowledge graphs for literature reviews."""

__version__ = "0.3.0"
