"""Namespace constants for every vocabulary citegraph writes.

`CG` mirrors ontology/citegraph.ttl term by term (`_fail = True` makes a typo an error);
tests/test_ontology.py checks both directions so the Python and the Turtle never drift.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

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

    _fail = True
    _NS = Namespace("https://w3id.org/citegraph/ontology#")

    Theory: URIRef
    Strategy: URIRef
    Country: URIRef
    Region: URIRef
    Finding: URIRef
    SourceLocation: URIRef
    FlowStage: URIRef
    BibliographicDatabase: URIRef

    usesTheory: URIRef
    proposedIn: URIRef
    derivesFrom: URIRef
    studies: URIRef
    addresses: URIRef
    reports: URIRef
    about: URIRef
    inPlace: URIRef
    partOf: URIRef
    publishedIn: URIRef
    affiliation: URIRef
    reportsStage: URIRef
    versionOf: URIRef

    workType: URIRef
    genre: URIRef
    authorPosition: URIRef
    orcid: URIRef
    iso2: URIRef
    context: URIRef
    occurrences: URIRef
    flag: URIRef
    claim: URIRef
    sentence: URIRef
    direction: URIRef
    file: URIRef
    line: URIRef
    page: URIRef
    loader: URIRef
    citationKey: URIRef
    rawReference: URIRef
    foundingReference: URIRef
    memberCodes: URIRef
    stage: URIRef
    recordCount: URIRef
    flowSource: URIRef
    flowArm: URIRef
    stageDetail: URIRef
    printedAs: URIRef
    printedIn: URIRef
    exportFormat: URIRef
