"""Researchers' questions as Cypher files, runnable with `citegraph query --saved NAME`."""
