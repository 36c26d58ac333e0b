"""Namespace constants for every vocabulary citegraph writes.

`CG` mirrors ontology/citegraph.ttl term by term (an undeclared term is an AttributeError);
tests/test_ontology.py checks both directions so the Python and the Turtle never drift.

The terms are plain strings, not rdflib's: every read command imports this module, and
rdflib took 90-150 ms of their start-up. Code that hands a term to rdflib wraps it in
`rdflib.URIRef`.
"""

from __future__ import annotations


class Namespace:
    """An IRI prefix whose attributes and items are the IRIs under it (`SKOS.prefLabel`,
    `SH["class"]`); `str()` gives the prefix. Not a str itself, whose methods would
    shadow terms (`DCTERMS.title` would be `str.title`)."""

    __slots__ = ("_prefix",)

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix

    def __str__(self) -> str:
        return self._prefix

    def __repr__(self) -> str:
        return f"Namespace({self._prefix!r})"

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._prefix + name

    def __getitem__(self, name: str) -> str:
        return self._prefix + name


class DefinedNamespace:
    """A closed vocabulary: each annotated name is a term, any other is an error."""

    _NS: Namespace

    def __init_subclass__(cls) -> None:
        for name in cls.__annotations__:
            if not name.startswith("_"):
                setattr(cls, name, cls._NS[name])


FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
PRO = Namespace("http://purl.org/spar/pro/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Where citegraph mints the IRIs of data (works, people, findings ...).
DATA = Namespace("https://w3id.org/citegraph/id/")
THEORY = Namespace("https://w3id.org/citegraph/theory/")
STRATEGY = Namespace("https://w3id.org/citegraph/strategy/")
PLACE = Namespace("https://w3id.org/citegraph/place/")
DATABASE = Namespace("https://w3id.org/citegraph/database/")


class CG(DefinedNamespace):
    """The citegraph ontology (ontology/citegraph.ttl)."""

    _NS = Namespace("https://w3id.org/citegraph/ontology#")

    Theory: str
    Strategy: str
    Country: str
    Region: str
    Finding: str
    SourceLocation: str
    FlowStage: str
    BibliographicDatabase: str

    usesTheory: str
    proposedIn: str
    derivesFrom: str
    studies: str
    addresses: str
    reports: str
    about: str
    inPlace: str
    partOf: str
    publishedIn: str
    affiliation: str
    reportsStage: str
    versionOf: str

    workType: str
    genre: str
    authorPosition: str
    orcid: str
    iso2: str
    context: str
    occurrences: str
    flag: str
    claim: str
    sentence: str
    direction: str
    file: str
    line: str
    page: str
    loader: str
    citationKey: str
    rawReference: str
    foundingReference: str
    memberCodes: str
    stage: str
    recordCount: str
    flowSource: str
    flowArm: str
    stageDetail: str
    printedAs: str
    printedIn: str
    exportFormat: str
