"""Saved SPARQL questions (`.rq` files), read by graph/sparql.py."""
