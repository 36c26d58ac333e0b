"""The one mapping from RDF to the property-graph contract (shared/design.md).

The build streams `map_nodes` and `map_relationships` into the store's embedded database
(graph/store/graphdb.py), and `from_table` / `to_property_graph` collect the same mapping
into a `PropertyGraph`, so the database, Neo4j sync and every export can never disagree.
The mapping is declarative: which RDF class is which label, which predicate is which
property or relationship. Multi-valued properties stay lists.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph

from citegraph.graph.triple_table import Row, TripleTable, first, objects
from citegraph.ontology.namespaces import (
    CG,
    CITO,
    DCTERMS,
    FABIO,
    FOAF,
    PRISM,
    PRO,
    PROV,
    RDF,
    SKOS,
)

#: Node labels, most specific class first; a node gets the first that matches.
LABELS: tuple[tuple[str, str], ...] = (
    (str(FABIO.Work), "Work"),
    (str(FOAF.Person), "Person"),
    (str(FOAF.Organization), "Organization"),
    (str(FABIO.Venue), "Venue"),
    (str(CG.Theory), "Theory"),
    (str(CG.Strategy), "Strategy"),
    (str(CG.Country), "Country"),
    (str(CG.Region), "Region"),
    (str(CG.Finding), "Finding"),
    (str(CG.FlowStage), "FlowStage"),
)
LABEL_NAMES: tuple[str, ...] = tuple(label for _, label in LABELS)

# (predicate, property, multi-valued)
PROPERTIES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "Work": (
        (str(DCTERMS.title), "title", False),
        (str(FABIO.hasPublicationYear), "year", False),
        (str(CG.workType), "type", False),
        (str(CG.genre), "genre", False),
        (str(PRISM.doi), "doi", False),
        (str(FABIO.hasURL), "url", False),
        (str(PRISM.publicationName), "container", False),
        (str(PRISM.volume), "volume", False),
        (str(PRISM.issueIdentifier), "issue", False),
        (str(PRISM.pageRange), "pages", False),
        (str(DCTERMS.language), "language", False),
        (str(DCTERMS.publisher), "publisher", False),
        (str(PRISM.isbn), "isbn", False),
        (str(DCTERMS.abstract), "abstract", False),
        (str(PRISM.keyword), "keywords", True),
        (str(CG.citationKey), "keys", True),
        (str(CG.rawReference), "references", True),
        (str(CG.flag), "flags", True),
    ),
    "Person": (
        (str(FOAF.familyName), "family", False),
        (str(FOAF.givenName), "given", False),
        (str(CG.orcid), "orcid", False),
        (str(FOAF.name), "name", False),
    ),
    "Organization": ((str(FOAF.name), "name", False),),
    "Venue": ((str(DCTERMS.title), "name", False), (str(PRISM.issn), "issn", False)),
    "Theory": (
        (str(SKOS.prefLabel), "name", False),
        (str(SKOS.altLabel), "aliases", True),
        (str(SKOS.definition), "description", False),
        (str(CG.flag), "flags", True),  # `candidate`: discovered in a text, in no scheme
    ),
    "Strategy": (
        (str(SKOS.prefLabel), "name", False),
        (str(SKOS.altLabel), "aliases", True),
        (str(SKOS.definition), "description", False),
    ),
    "Country": ((str(SKOS.prefLabel), "name", False), (str(CG.iso2), "iso2", False)),
    "Region": ((str(SKOS.prefLabel), "name", False), (str(SKOS.altLabel), "aliases", True)),
    "Finding": (
        (str(CG.claim), "claim", False),
        (str(CG.sentence), "source", False),
        (str(CG.line), "line", False),
        (str(CG.page), "page", False),
        (str(CG.direction), "direction", False),
        (str(DCTERMS.description), "notes", False),
    ),
    # a contract extension: one count of a review's PRISMA 2020 flow (graph/flow_rdf.py)
    "FlowStage": (
        (str(CG.stage), "stage", False),
        (str(CG.recordCount), "count", False),
        (str(CG.flowSource), "source", False),
        (str(CG.flowArm), "arm", False),
        (str(CG.stageDetail), "detail", False),
        (str(CG.line), "line", False),
        (str(CG.printedIn), "place", False),
        (str(CG.printedAs), "printed", False),
    ),
}
#: Properties kept as lists even when empty, so Cypher can always iterate.
LIST_PROPERTIES = {"aliases", "keywords", "keys", "references", "flags", "sources", "contexts"}
INTEGER_PROPERTIES = {"year", "line", "page", "position", "count"}

RELATIONSHIPS: dict[str, str] = {
    str(CG.usesTheory): "USES_THEORY",
    str(CG.proposedIn): "PROPOSED_IN",
    str(CG.derivesFrom): "DERIVES_FROM",
    str(CG.studies): "STUDIES",
    str(CG.addresses): "ADDRESSES",
    str(CG.reports): "REPORTS",
    str(CG.about): "ABOUT",
    str(CG.inPlace): "IN",
    str(CG.partOf): "PART_OF",
    str(CG.publishedIn): "PUBLISHED_IN",
    str(CG.affiliation): "AFFILIATED_WITH",
    str(CG.reportsStage): "REPORTS_STAGE",
    str(CG.versionOf): "VERSION_OF",
}
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(sorted({*RELATIONSHIPS.values(), "AUTHORED", "CITES"}))


def checked_label(label: str) -> str:
    """`label`, once it is known to be a contract label. Labels and types cannot be Cypher
    parameters, so they are written into the text, and only contract names may be."""
    if label not in LABEL_NAMES:
        raise ValueError(
            f"{label!r} is not a label of the contract (not a contract label: "
            f"{', '.join(LABEL_NAMES)})"
        )
    return label


def checked_type(rel_type: str) -> str:
    """`rel_type`, once it is known to be a contract relationship type (see `checked_label`)."""
    if rel_type not in RELATIONSHIP_TYPES:
        raise ValueError(
            f"{rel_type!r} is not a contract relationship type: {', '.join(RELATIONSHIP_TYPES)}"
        )
    return rel_type


def cypher_label(label: str) -> str:
    """A contract label as Cypher text, quoted (LadybugDB reads some names as keywords)."""
    return f"`{checked_label(label)}`"


def cypher_type(rel_type: str) -> str:
    """A contract relationship type as Cypher text, quoted (`IN` is a LadybugDB keyword)."""
    return f"`{checked_type(rel_type)}`"


#: The (start label, end label) pairs the contract gives each type: a typed database
#: needs them before the data arrives, so a query on an absent pair finds nothing
#: instead of failing.
_PLACES = ("Country", "Region")
ENDPOINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "AUTHORED": (("Person", "Work"), ("Organization", "Work")),
    "CITES": (("Work", "Work"),),
    "PUBLISHED_IN": (("Work", "Venue"),),
    "USES_THEORY": (("Work", "Theory"),),
    "PROPOSED_IN": (("Theory", "Work"),),
    "DERIVES_FROM": (("Theory", "Theory"),),
    "STUDIES": tuple(("Work", p) for p in _PLACES),
    "ADDRESSES": (("Work", "Strategy"),),
    "REPORTS": (("Work", "Finding"),),
    "ABOUT": (("Finding", "Strategy"), ("Finding", "Theory")),
    "IN": tuple(("Finding", p) for p in _PLACES),
    "PART_OF": (("Country", "Region"), ("Region", "Region")),
    "AFFILIATED_WITH": (("Person", "Organization"),),
    "REPORTS_STAGE": (("Work", "FlowStage"),),
    "VERSION_OF": (("Work", "Work"),),
}
#: Relationship properties by type, as `Relationship.properties` holds them.
RELATIONSHIP_PROPERTIES: dict[str, tuple[str, ...]] = {
    rel_type: {
        "AUTHORED": ("position", "sources"),
        "CITES": ("count", "contexts", "flags", "sources"),
    }.get(rel_type, ("sources",))
    for rel_type in RELATIONSHIP_TYPES
}


@dataclass(slots=True)  # a large graph has millions
class Node:
    iri: str
    label: str
    properties: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.properties.get("name", ""))


@dataclass(slots=True)
class Relationship:
    type: str
    start: str
    end: str
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.start, self.type, self.end)


@dataclass
class PropertyGraph:
    nodes: dict[str, Node]
    relationships: list[Relationship]

    def by_label(self, label: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.label == label]


# IRIs the mapping reads, looked up once (a namespace makes its term's IRI anew at each
# lookup, and a large graph asks millions of times)
_CG_AUTHORPOSITION = str(CG.authorPosition)
_CG_CONTEXT = str(CG.context)
_CG_FILE = str(CG.file)
_CG_FLAG = str(CG.flag)
_CG_LINE = str(CG.line)
_CG_LOADER = str(CG.loader)
_CG_PAGE = str(CG.page)
_CG_OCCURRENCES = str(CG.occurrences)
_CITO_CITATION = str(CITO.Citation)
_CITO_HASCITEDENTITY = str(CITO.hasCitedEntity)
_CITO_HASCITINGENTITY = str(CITO.hasCitingEntity)
_PRO_ROLEINTIME = str(PRO.RoleInTime)
_PRO_AUTHOR = str(PRO.author)
_PRO_ISHELDBY = str(PRO.isHeldBy)
_PRO_RELATESTODOCUMENT = str(PRO.relatesToDocument)
_PRO_WITHROLE = str(PRO.withRole)
_PROV_WASDERIVEDFROM = str(PROV.wasDerivedFrom)
_RDF_STATEMENT = str(RDF.Statement)
_RDF_OBJECT = str(RDF.object)
_RDF_PREDICATE = str(RDF.predicate)
_RDF_SUBJECT = str(RDF.subject)
_RDF_TYPE = str(RDF.type)


#: The predicates the mapping reads (and pg_delta follows): a table keeps no others.
_READ: dict[str, str] = {
    p: p
    for p in (
        _RDF_TYPE,
        *(predicate for props in PROPERTIES.values() for predicate, _, _ in props),
        *RELATIONSHIPS,
        _PROV_WASDERIVEDFROM,
        _CG_FILE,
        _CG_PAGE,
        _CG_LINE,
        _CG_LOADER,
        _RDF_SUBJECT,
        _RDF_PREDICATE,
        _RDF_OBJECT,
        _PRO_WITHROLE,
        _PRO_ISHELDBY,
        _PRO_RELATESTODOCUMENT,
        _CG_AUTHORPOSITION,
        _CITO_HASCITINGENTITY,
        _CITO_HASCITEDENTITY,
        _CG_OCCURRENCES,
        _CG_CONTEXT,
        _CG_FLAG,
    )
}
#: Each label's list properties, present even when empty.
_LISTED: dict[str, tuple[str, ...]] = {
    label: tuple(p for p in LIST_PROPERTIES if any(p == q for _, q, _ in props))
    for label, props in PROPERTIES.items()
}


class _Sources:
    """Each node's source lines (`file:line (loader)`), each line's text made once."""

    def __init__(self, table: TripleTable) -> None:
        self.table = table
        self._text: dict[str, str | None] = {}

    def of(self, subject: str) -> list[str]:
        found = []
        for location in objects(self.table.row(subject), _PROV_WASDERIVEDFROM):
            text = self._text.get(location, "")
            if text == "":
                text = self._text[location] = self._line(location)
            if text is not None:
                found.append(text)
        return sorted(set(found))

    def _line(self, location: str) -> str | None:
        where = self.table.row(location)
        if where.get(_CG_FILE) is None:
            return None
        page = f"p{first(where, _CG_PAGE)}:" if where.get(_CG_PAGE) is not None else ""
        line = first(where, _CG_LINE)
        return f"{first(where, _CG_FILE)}:{page}{line} ({first(where, _CG_LOADER)})"


def _display_name(label: str, props: dict[str, Any]) -> str:
    if label == "Work":
        return str(props.get("title") or ", ".join(props.get("keys", [])) or "untitled")
    if label == "Finding":
        claim = str(props.get("claim", ""))
        return claim if len(claim) <= 80 else claim[:77] + "..."
    if label == "FlowStage":
        detail = f" ({props['detail']})" if props.get("detail") else ""
        return f"{props.get('stage')}{detail}: {props.get('count')}"
    if label == "Person" and not props.get("name"):
        return " ".join(p for p in (props.get("given"), props.get("family")) if p)
    return str(props.get("name", ""))


def _preferred(value: Any) -> tuple[bool, bool, int, Any]:
    """Of several spellings (a person named by many sources), the one shown: not in
    capitals, with its accents, the fullest (`Pérez García` over `Pérez`), then the
    first in sort order."""
    if isinstance(value, str):
        capitals = value.isupper() and any(len(w) > 2 and w.isalpha() for w in value.split())
        return (capitals, value.isascii(), -len(value.split()), value)
    return (False, False, 0, value)


def triple_table() -> TripleTable:
    """An empty table that keeps what the mapping reads."""
    return TripleTable(_READ)


def to_property_graph(store: pyoxigraph.Store) -> PropertyGraph:
    """Read the RDF graph once and project it onto the contract's labels and types."""
    triples = triple_table()
    triples.add_quads(store.quads_for_pattern(None, None, None, None))
    return from_table(triples)


def from_table(table: TripleTable) -> PropertyGraph:
    """The mapping itself, on a graph read into a `TripleTable`, as one `PropertyGraph`."""
    nodes = {node.iri: node for node in map_nodes(table)}
    nodes = dict(sorted(nodes.items()))  # by IRI: every reader sees the same order
    relationships = sorted(map_relationships(table, nodes), key=lambda r: r.key)
    return PropertyGraph(nodes, relationships)


def map_nodes(table: TripleTable) -> Iterator[Node]:
    """The table's nodes, one at a time, in table order: a consumer that writes them out
    as they come (graph/store/graphdb.py) never holds the whole graph as objects."""
    sources = _Sources(table)
    for subject, predicates in table.rows():
        types = objects(predicates, _RDF_TYPE)
        label = next((name for cls, name in LABELS if cls in types), None)
        if label is None:
            continue
        props: dict[str, Any] = {"iri": subject}
        for predicate, prop, multi in PROPERTIES[label]:
            values: list[Any] = objects(predicates, predicate)
            if prop in INTEGER_PROPERTIES:
                values = [int(v) for v in values]
            if multi:
                props[prop] = sorted(set(values))
            elif values:
                props[prop] = min(values, key=_preferred) if len(values) > 1 else values[0]
        for prop in _LISTED[label]:
            props.setdefault(prop, [])
        props["sources"] = sources.of(subject)
        props["name"] = _display_name(label, props)
        yield Node(subject, label, props)


def map_relationships(table: TripleTable, nodes: Container[str]) -> Iterator[Relationship]:
    """The table's relationships between `nodes` (the IRIs `map_nodes` gave), one at a
    time, in table order, read in one pass over the table."""
    sources = _Sources(table)
    provenance = _statement_sources(table, sources)
    for subject, predicates in table.rows():
        if subject in nodes:
            yield from _plain_relationships(subject, predicates, nodes, sources, provenance)
        types = objects(predicates, _RDF_TYPE)
        if _PRO_ROLEINTIME in types:
            yield from _authorship(subject, predicates, nodes, sources)
        if _CITO_CITATION in types:
            yield from _citation(subject, predicates, nodes, sources)


def _statement_sources(
    table: TripleTable, sources: _Sources
) -> dict[tuple[str, str, str], list[str]]:
    found: dict[tuple[str, str, str], list[str]] = {}
    statement = _RDF_STATEMENT
    for subject, predicates in table.rows():
        if statement in objects(predicates, _RDF_TYPE):
            key = (
                first(predicates, _RDF_SUBJECT),
                first(predicates, _RDF_PREDICATE),
                first(predicates, _RDF_OBJECT),
            )
            found[key] = sources.of(subject)
    return found


def _plain_relationships(
    subject: str,
    predicates: Row,
    nodes: Container[str],
    sources: _Sources,
    provenance: dict[tuple[str, str, str], list[str]],
) -> Iterator[Relationship]:
    own: list[str] | None = None  # the node's own sources, shared by its relationships
    for predicate, rel_type in RELATIONSHIPS.items():
        for target in objects(predicates, predicate):
            if target in nodes:
                found = provenance.get((subject, predicate, target))
                if not found:
                    found = own = sources.of(subject) if own is None else own
                yield Relationship(rel_type, subject, target, {"sources": found})


def _authorship(
    subject: str, predicates: Row, nodes: Container[str], sources: _Sources
) -> Iterator[Relationship]:
    if _PRO_AUTHOR not in objects(predicates, _PRO_WITHROLE):
        return
    agent = first(predicates, _PRO_ISHELDBY)
    work = first(predicates, _PRO_RELATESTODOCUMENT)
    if agent in nodes and work in nodes:
        position = int(first(predicates, _CG_AUTHORPOSITION))
        yield Relationship(
            "AUTHORED", agent, work, {"position": position, "sources": sources.of(subject)}
        )


def _citation(
    subject: str, predicates: Row, nodes: Container[str], sources: _Sources
) -> Iterator[Relationship]:
    citing = first(predicates, _CITO_HASCITINGENTITY)
    cited = first(predicates, _CITO_HASCITEDENTITY)
    if citing in nodes and cited in nodes:
        yield Relationship(
            "CITES",
            citing,
            cited,
            {
                "count": int((objects(predicates, _CG_OCCURRENCES) or [1])[0]),
                "contexts": sorted(objects(predicates, _CG_CONTEXT)),
                "flags": sorted(objects(predicates, _CG_FLAG)),
                "sources": sources.of(subject),
            },
        )
