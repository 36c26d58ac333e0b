"""A graph's triples read into Python as the property-graph mapping reads them, small.

The build reads the very N-Triples lines it streams into Oxigraph into one of these, so a
new version's property graph needs no second pass over the store (decoding the store's
quads costs ten times as much); graph/property_graph.py `from_table` maps it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph


def term_value(term: Any) -> str:
    """The IRI or lexical value of a term (the graph holds no blank nodes or triple terms)."""
    return str(term.value)


Row = dict[str, "str | dict[str, None]"]


class TripleTable:
    """Subject -> predicate -> objects (IRIs and lexical values), each object once, as the
    mapping reads them. Filled from an RDF store's quads, or from the very N-Triples lines
    the build streams into the store, so a new version's property graph needs no second
    pass over the store.

    It holds a whole graph, so it is kept small: only the predicates in `keep`; each
    predicate and each short value (IRIs, classes, numbers, paths) one string however
    often it appears; a lone object (most are) stored as itself, not in a collection.
    """

    def __init__(self, keep: Iterable[str]) -> None:
        self._keep = {p: p for p in keep}
        self._rows: dict[str, Row] = {}
        self._shared: dict[str, str] = {}

    def add(self, subject: str, predicate: str, value: str) -> None:
        kept = self._keep.get(predicate)
        if kept is None:
            return
        shared = self._shared
        subject = shared.setdefault(subject, subject)
        if len(value) <= _SHARED_LENGTH:
            value = shared.setdefault(value, value)
        row = self._rows.get(subject)
        if row is None:
            self._rows[subject] = {kept: value}
            return
        found = row.get(kept)
        if found is None:
            row[kept] = value
        elif isinstance(found, str):
            if found != value:
                row[kept] = {found: None, value: None}
        else:
            found[value] = None

    def add_quads(self, quads: Iterable[pyoxigraph.Quad]) -> None:
        for quad in quads:
            self.add(term_value(quad.subject), quad.predicate.value, term_value(quad.object))

    def add_lines(self, lines: Iterable[str]) -> None:
        """N-Triples lines as the build writes them (`<s> <p> term .`)."""
        keep, add, loads = self._keep, self.add, json.loads
        for line in lines:
            subject, predicate, term = line[:-2].split(" ", 2)
            if predicate[1:-1] not in keep:
                continue
            if term[0] == "<":
                value = term[1:-1]
            else:  # a literal, escaped as JSON when it needs escaping (graph/ntriples.py)
                quoted = term[: term.rindex('"') + 1]
                value = loads(quoted) if "\\" in quoted else quoted[1:-1]
            add(subject[1:-1], predicate[1:-1], value)

    def objects(self, subject: str, predicate: str) -> list[str]:
        return objects(self.row(subject), predicate)

    def row(self, subject: str) -> Row:
        return self._rows.get(subject, _EMPTY)

    def rows(self) -> Iterable[tuple[str, Row]]:
        return self._rows.items()


_EMPTY: Row = {}
#: Literals up to this long are shared like IRIs: types, numbers, file paths and loader
#: names repeat by the million, titles and contexts hardly ever.
_SHARED_LENGTH = 64


def objects(row: Row, predicate: str) -> list[str]:
    """A row's objects of one predicate, in the order they were added."""
    found = row.get(predicate)
    if found is None:
        return []
    return [found] if isinstance(found, str) else list(found)


def first(row: Row, predicate: str) -> str:
    found = row[predicate]
    return found if isinstance(found, str) else next(iter(found))
