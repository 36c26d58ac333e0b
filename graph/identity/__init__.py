"""Identity, decided in one place: which records describe the same work (works.py, with
the evidence for and against a merge in evidence.py and the reviewer's own decisions in
reviewer.py), and which author names name the same person (people.py).

Every decision is a pure function of the records and the reviewer's decisions, so a
build never depends on input order, and the store keeps the decisions for the audit.
"""

from citegraph.graph.identity.keys import (
    closure_keys,
    family_token,
    family_tokens,
    first_family,
    is_stub,
    title_key,
    title_keys,
)
from citegraph.graph.identity.merged import (
    CONFLICT_FIELDS,
    best_title,
    conflicting_values,
    decisions,
)
from citegraph.graph.identity.people import (
    AuthorSlot,
    align_authors,
    name_key,
    person_key,
    same_person,
    unify_people,
)
from citegraph.graph.identity.works import ONTOLOGY_LOADER, WorkCluster, cluster_works, components

__all__ = [
    "CONFLICT_FIELDS",
    "ONTOLOGY_LOADER",
    "AuthorSlot",
    "WorkCluster",
    "align_authors",
    "best_title",
    "closure_keys",
    "cluster_works",
    "components",
    "conflicting_values",
    "decisions",
    "family_token",
    "family_tokens",
    "first_family",
    "is_stub",
    "name_key",
    "person_key",
    "same_person",
    "title_key",
    "title_keys",
    "unify_people",
]
