"""N-Triples as the build writes them: terms looked up once, literals quoted fast, and a
builder that describes each shared node once per component.

Building strings is several times faster than building term objects, and Oxigraph's
bulk loader parses them at its floor. graph/build.py and graph/flow_rdf.py write with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from citegraph.graph.minting import digest
from citegraph.loaders.records import Source
from citegraph.ontology import namespaces as ns
from citegraph.ontology.namespaces import DATA


class _Terms:
    """A namespace whose terms are looked up once: a namespace makes its term's IRI
    anew at each lookup, and building a large graph asks for millions of terms."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)
        return value


CG, CITO, DCTERMS, FABIO, FOAF, PRISM, PRO, PROV, RDF, SKOS, XSD = (
    _Terms(n)
    for n in (
        ns.CG,
        ns.CITO,
        ns.DCTERMS,
        ns.FABIO,
        ns.FOAF,
        ns.PRISM,
        ns.PRO,
        ns.PROV,
        ns.RDF,
        ns.SKOS,
        ns.XSD,
    )
)


@cache
def N(iri: object) -> str:  # noqa: N802 - reads like a constructor
    """An IRI as an N-Triples term."""
    return f"<{iri}>"


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def text(value: str) -> str:
    """A string literal as an N-Triples term (JSON string escapes are valid N-Triples).

    Most values need no escaping, and quoting them directly is many times faster.
    """
    if _NEEDS_ESCAPE.search(value):
        return json.dumps(value, ensure_ascii=False)
    return f'"{value}"'


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD.integer}>'


def gyear(value: str) -> str:
    return f'"{int(value):04d}"^^<{XSD.gYear}>'


@dataclass
class CitationAcc:
    """What the sources say of one citing/cited pair, gathered before it is written."""

    contexts: dict[str, None] = field(default_factory=dict)
    count: int = 0
    flags: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)


@dataclass
class GraphBuilder:
    """Collects N-Triples lines until they are drained into the store.

    Lines are not kept once drained, so a 200 MB export never has its whole graph in
    memory as text. Instead of remembering every line, the builder remembers which
    shared nodes (people, venues, organisations, source lines, statements) it has
    described: the few repeated lines left (one provenance link read twice) are
    harmless, as an RDF store holds a set of triples.
    """

    pending: list[str] = field(default_factory=list)
    citations: dict[tuple[str, str], CitationAcc] = field(default_factory=dict)
    source_nodes: dict[Source, str] = field(default_factory=dict)
    described: set[object] = field(default_factory=set)

    def add(self, s: str, p: object, o: str) -> None:
        self.pending.append(f"{s} <{p}> {o} .")

    def first_time(self, node: object) -> bool:
        """True the first time a shared node (or a node and one of its variants) is met:
        describe it then, and only then."""
        if node in self.described:
            return False
        self.described.add(node)
        return True

    def drain(self) -> list[str]:
        lines, self.pending = self.pending, []
        return lines

    def add_text(self, s: str, p: object, value: str | None) -> None:
        if value:
            self.add(s, p, text(value))

    def source(self, source: Source) -> str:
        """The SourceLocation node for a file line (one node per line and loader)."""
        node = self.source_nodes.get(source)
        if node:
            return node
        place = [source.path, str(source.line), source.loader]
        if source.page is not None:  # a PDF's line is a line of its page
            place.append(f"p{source.page}")
        node = N(f"{DATA}source/{digest(*place)}")
        self.source_nodes[source] = node
        self.add(node, RDF.type, N(CG.SourceLocation))
        self.add(node, CG.file, text(source.path))
        self.add(node, CG.line, integer(source.line))
        if source.page is not None:
            self.add(node, CG.page, integer(source.page))
        self.add(node, CG.loader, text(source.loader))
        return node

    def derived(self, node: str, sources: Iterable[Source]) -> None:
        for source in sources:
            self.add(node, PROV.wasDerivedFrom, self.source(source))

    def edge(self, s: str, p: object, o: str, sources: Iterable[Source]) -> None:
        """A plain relationship plus an rdf:Statement holding where it was read.

        A relationship without a statement was read wherever its subject was: the
        property-graph mapping gives it the subject's sources (a statement for each
        publishedIn would be an eighth of a large graph's triples).
        """
        self.add(s, p, o)
        sources = list(sources)
        if not sources:
            return
        statement = N(f"{DATA}statement/{digest(s, str(p), o)}")
        if self.first_time(statement):
            self.add(statement, RDF.type, N(RDF.Statement))
            self.add(statement, RDF.subject, s)
            self.add(statement, RDF.predicate, N(p))
            self.add(statement, RDF.object, o)
        self.derived(statement, sources)


class IRILookup(Protocol):
    def get(self, key: tuple[str, str], /) -> str | None: ...
