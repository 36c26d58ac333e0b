"""What reads the store: each view is a query (graph/views/reads.py) plus a writer."""
