"""Exports of the graph, or of a subgraph, to the formats other tools read.

RDF formats (`ttl`, `jsonld`) write the store's own triples; every other format writes the
property graph of graph/property_graph.py, so Neo4j, Gephi, a spreadsheet and the JSON
export all see the same labels, types and properties. A subgraph is chosen once with
graph/subgraph.py and every format writes exactly the nodes and relationships it kept.

Writers yield text chunks: the line-based formats (json, cypher, graphml, gexf) stream.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

import pyoxigraph

from citegraph.graph.export_csl import write_csl_json
from citegraph.graph.identity import digest
from citegraph.graph.normalize import fold
from citegraph.graph.property_graph import (
    INTEGER_PROPERTIES,
    LIST_PROPERTIES,
    Node,
    PropertyGraph,
    Relationship,
    checked_label,
    checked_type,
    to_property_graph,
)
from citegraph.graph.store import Snapshot, Store
from citegraph.graph.subgraph import SubgraphFilter, is_whole, select
from citegraph.ontology.namespaces import (
    CG,
    CITO,
    DATA,
    DCTERMS,
    FABIO,
    FOAF,
    PLACE,
    PRISM,
    PRO,
    PROV,
    RDF,
    RDFS,
    SKOS,
    STRATEGY,
    THEORY,
    XSD,
)

if TYPE_CHECKING:  # each writer imports its library itself: a json export loads none of them
    import networkx as nx
    from bibtexparser.model import Field

FORMATS: tuple[str, ...] = (
    "ttl",
    "jsonld",
    "json",
    "graphml",
    "gexf",
    "csv",
    "cypher",
    "bibtex",
    "ris",
    "csl-json",
    "vosviewer",
)
#: Formats written as several files, to a directory or a zip.
FILE_SET_FORMATS: tuple[str, ...] = ("csv", "vosviewer")
#: Formats written as one file (or to stdout).
TEXT_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f not in FILE_SET_FORMATS)
RDF_FORMATS = ("ttl", "jsonld")

#: Prefixes of the Turtle export and the JSON-LD @context.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "fabio": str(FABIO),
    "cito": str(CITO),
    "pro": str(PRO),
    "prism": str(PRISM),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "cg": str(CG._NS),
    "theory": str(THEORY),
    "strategy": str(STRATEGY),
    "place": str(PLACE),
    **{
        kind: f"{DATA}{kind}/"
        for kind in (
            "work",
            "person",
            "organization",
            "venue",
            "finding",
            "citation",
            "statement",
            "source",
        )
    },
}

GraphSource: TypeAlias = Store | Snapshot | pyoxigraph.Store | PropertyGraph


@dataclass(frozen=True)
class Selection:
    """What a writer needs: the kept part, and `full`, which holds at least the kept part
    and the authors (AUTHORED and agents) of its works, so references stay complete;
    `nodes` tells which of some IRIs are graph nodes (for links to dropped nodes).

    `full` is read from the store when a writer first asks for it (bibliographies do;
    json, graphml and the like write `kept` alone): the bylines of a theory's 3.3k works
    at 300k works are most of such an export's reads."""

    complete: Callable[[], PropertyGraph]
    kept: PropertyGraph
    rdf: pyoxigraph.Store | None
    whole: bool
    nodes: Callable[[Collection[str]], set[str]]

    @cached_property
    def full(self) -> PropertyGraph:
        return self.complete()


@dataclass(frozen=True)
class ExportResult:
    format: str
    nodes: int
    relationships: int
    works: int


def export(
    source: GraphSource, fmt: str, out: Path | str | TextIO, f: SubgraphFilter | None = None
) -> ExportResult:
    """Write the (sub)graph of `source` as `fmt` to a path or an open text stream.

    `source` is a citegraph Store, its pyoxigraph store, or a property graph (which has
    no triples, so it cannot give `ttl` or `jsonld`). csv needs a path: a directory, or a
    `.zip` file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    selection = _selection(source, fmt, f or SubgraphFilter())
    if not selection.kept.nodes:
        raise ValueError("the filters leave no nodes to export; loosen them")
    if fmt == "csv":
        if not isinstance(out, str | Path):
            raise ValueError("csv export writes several files: give a directory or a .zip path")
        write_csv(selection.kept, Path(out))
    elif fmt == "vosviewer":
        if not isinstance(out, str | Path):
            raise ValueError("vosviewer export writes six files: give a directory or a .zip path")
        from citegraph.graph.export_vosviewer import vosviewer_files

        write_files(vosviewer_files(selection), Path(out))
    else:
        write_text(WRITERS[fmt](selection), out)
    works = sum(1 for n in selection.kept.nodes.values() if n.label == "Work")
    return ExportResult(fmt, len(selection.kept.nodes), len(selection.kept.relationships), works)


def _selection(source: GraphSource, fmt: str, f: SubgraphFilter) -> Selection:
    """A store is asked for the kept part only (graph/views/reads.py); a pyoxigraph store
    or a property graph in memory is selected from as a whole."""
    rdf: pyoxigraph.Store | None
    if isinstance(source, Store):
        snapshot = source.snapshot()
        if snapshot is None:
            raise ValueError(f"{source.path}: nothing ingested yet")
        source = snapshot
    if isinstance(source, Snapshot):
        from citegraph.graph.views.pages import merged, works_in
        from citegraph.graph.views.reads import DBAccess, authored, subgraph

        db = source.graph()
        kept = subgraph(db, f)
        rdf = source.rdf() if fmt in RDF_FORMATS else None
        whole = is_whole(f)

        def known(iris: Collection[str]) -> set[str]:
            return set(DBAccess(db).labels(iris))

        def with_bylines() -> PropertyGraph:
            return merged(kept, authored(db, works_in(kept)))

        return Selection(with_bylines, kept, rdf, whole, known)
    if isinstance(source, PropertyGraph):
        if fmt in RDF_FORMATS:
            raise ValueError(f"{fmt} export reads the RDF store; a property graph has no triples")
        rdf, full = None, source
    else:
        rdf = source
        full = to_property_graph(rdf)
    kept = select(full, f)

    def in_full(iris: Collection[str]) -> set[str]:
        return {iri for iri in iris if iri in full.nodes}

    return Selection(lambda: full, kept, rdf, kept is full, in_full)


def write_text(chunks: Iterable[str], out: Path | str | TextIO) -> None:
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(chunks)
    else:
        out.writelines(chunks)


# --- RDF: Turtle and JSON-LD ------------------------------------------------------------

#: Links from a helper resource (reified statement, author role, citation) to the nodes
#: it is about; a helper belongs to a subgraph when all of them are kept.
ANCHORS = frozenset(
    str(p)
    for p in (
        RDF.subject,
        RDF.object,
        PRO.isHeldBy,
        PRO.relatesToDocument,
        CITO.hasCitingEntity,
        CITO.hasCitedEntity,
    )
)


def rdf_triples(selection: Selection) -> list[pyoxigraph.Triple]:
    """The store's triples, or for a subgraph those describing what it kept.

    Kept: triples about kept nodes (minus links to dropped nodes), about the statements,
    author roles and citations whose anchors are all kept, and about the source locations
    any of those derive from. A subgraph reads only those subjects' triples.
    """
    rdf = selection.rdf
    assert rdf is not None
    if selection.whole:
        return [q.triple for q in rdf.quads_for_pattern(None, None, None, None)]
    keep = selection.kept.nodes

    def about(subject: str) -> list[pyoxigraph.Quad]:
        return list(rdf.quads_for_pattern(pyoxigraph.NamedNode(subject), None, None, None))

    by_subject = {iri: about(iri) for iri in keep}
    helpers: dict[str, list[pyoxigraph.Quad]] = {}
    for iri in keep:
        for quad in rdf.quads_for_pattern(None, None, pyoxigraph.NamedNode(iri), None):
            subject = _term(quad.subject)
            if quad.predicate.value in ANCHORS and subject not in keep and subject not in helpers:
                quads = list(rdf.quads_for_pattern(quad.subject, None, None, None))
                helpers[subject] = quads if _anchored(quads, keep) else []
    helpers = {s: qs for s, qs in sorted(helpers.items()) if qs}
    derived = str(PROV.wasDerivedFrom)
    chosen = [*by_subject.values(), *helpers.values()]
    sources = sorted({_term(q.object) for qs in chosen for q in qs if q.predicate.value == derived})
    chosen += [about(source) for source in sources]
    linked = {
        _term(q.object)
        for qs in chosen
        for q in qs
        if isinstance(q.object, pyoxigraph.NamedNode) and _term(q.object) not in keep
    }
    dropped = selection.nodes(linked)
    return [
        q.triple
        for qs in chosen
        for q in qs
        if not (isinstance(q.object, pyoxigraph.NamedNode) and _term(q.object) in dropped)
    ]


def _term(term: object) -> str:
    """The IRI, blank node id or literal text of an RDF term."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def _anchored(quads: list[pyoxigraph.Quad], keep: dict[str, Node]) -> bool:
    anchors = [_term(q.object) for q in quads if q.predicate.value in ANCHORS]
    return bool(anchors) and all(a in keep for a in anchors)


def write_turtle(selection: Selection) -> Iterator[str]:
    data = pyoxigraph.serialize(
        rdf_triples(selection), format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES
    )
    assert data is not None
    yield data.decode("utf-8")


def write_jsonld(selection: Selection) -> Iterator[str]:
    """Compacted with our prefixes as @context (rdflib compacts; pyoxigraph only expands)."""
    import rdflib

    ntriples = pyoxigraph.serialize(rdf_triples(selection), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert ntriples is not None
    graph = rdflib.Graph()
    graph.parse(data=ntriples.decode("utf-8"), format="nt")
    yield graph.serialize(format="json-ld", context=PREFIXES, indent=2)


# --- property-graph formats ---------------------------------------------------------------


def relationship_id(rel: Relationship) -> str:
    """Stable across exports and subgraphs (unlike Neo4j's internal ids)."""
    return digest(rel.start, rel.type, rel.end)


def _endpoint(node: Node) -> dict[str, Any]:
    return {"id": node.iri, "labels": [node.label], "properties": {"iri": node.iri}}


def write_json(selection: Selection) -> Iterator[str]:
    """APOC's JSON-lines export shape: every node, then every relationship, one per line."""
    pg = selection.kept
    for node in pg.nodes.values():
        yield _json_line(
            {"type": "node", "id": node.iri, "labels": [node.label], "properties": node.properties}
        )
    for rel in pg.relationships:
        yield _json_line(
            {
                "type": "relationship",
                "id": relationship_id(rel),
                "label": rel.type,
                "properties": rel.properties,
                "start": _endpoint(pg.nodes[rel.start]),
                "end": _endpoint(pg.nodes[rel.end]),
            }
        )


def _json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def _flat(properties: dict[str, Any]) -> dict[str, Any]:
    """GraphML and GEXF hold scalars only: lists become JSON text."""
    return {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
        for k, v in properties.items()
    }


def flat_networkx(pg: PropertyGraph, *, gexf: bool) -> nx.MultiDiGraph:
    """The property graph with scalar attributes, labelled as APOC's GraphML export does.

    Nodes carry `labels` (":Work"), edges `label` ("CITES"). In GEXF the node `label` is
    the display name Gephi shows.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri, node in pg.nodes.items():
        attrs = {"labels": f":{node.label}", **_flat(node.properties)}
        if gexf:
            attrs["label"] = node.name
        graph.add_node(iri, **attrs)
    for rel in pg.relationships:
        graph.add_edge(rel.start, rel.end, key=rel.type, label=rel.type, **_flat(rel.properties))
    return graph


def write_graphml(selection: Selection) -> Iterator[str]:
    import networkx as nx

    for line in nx.generate_graphml(flat_networkx(selection.kept, gexf=False)):
        yield line + "\n"


def write_gexf(selection: Selection) -> Iterator[str]:
    import networkx as nx

    for line in nx.generate_gexf(flat_networkx(selection.kept, gexf=True)):
        yield line + "\n"


# --- CSV for neo4j-admin database import ------------------------------------------------

ARRAY_DELIMITER = ";"
#: Used instead when some list element contains ";" (neo4j-admin cannot escape it).
FALLBACK_DELIMITER = "\x1f"


def _csv_type(key: str, values: list[Any]) -> str:
    if key in LIST_PROPERTIES or any(isinstance(v, list) for v in values):
        return ":string[]"
    if key in INTEGER_PROPERTIES or (values and all(isinstance(v, int) for v in values)):
        return ":int"
    return ""


def _columns(rows: list[dict[str, Any]], skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """(property, header) for every property the rows have, typed for neo4j-admin."""
    values: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        for key, value in row.items():
            values[key].append(value)
    return [(k, k + _csv_type(k, v)) for k, v in sorted(values.items()) if k not in skip]


def _cell(value: Any, delimiter: str) -> str:
    if isinstance(value, list):
        return delimiter.join(str(v) for v in value)
    return "" if value is None else str(value)


def _delimiter(pg: PropertyGraph) -> str:
    items = [*(n.properties for n in pg.nodes.values()), *(r.properties for r in pg.relationships)]
    clash = any(
        ARRAY_DELIMITER in str(v)
        for props in items
        for value in props.values()
        if isinstance(value, list)
        for v in value
    )
    return FALLBACK_DELIMITER if clash else ARRAY_DELIMITER


def csv_files(pg: PropertyGraph) -> dict[str, str]:
    """File name -> CSV text: `nodes_<Label>.csv`, `relationships_<TYPE>.csv`, `import.sh`."""
    delimiter = _delimiter(pg)
    files: dict[str, str] = {}
    by_label: dict[str, list[Node]] = defaultdict(list)
    for node in pg.nodes.values():
        by_label[node.label].append(node)
    for label, nodes in sorted(by_label.items()):
        columns = _columns([n.properties for n in nodes], ("iri",))
        rows = [
            [n.iri, n.label, *(_cell(n.properties.get(k), delimiter) for k, _ in columns)]
            for n in nodes
        ]
        files[f"nodes_{label}.csv"] = _csv_text(
            ["iri:ID", ":LABEL", *(h for _, h in columns)], rows
        )
    by_type: dict[str, list[Relationship]] = defaultdict(list)
    for rel in pg.relationships:
        by_type[rel.type].append(rel)
    for rel_type, rels in sorted(by_type.items()):
        columns = _columns([r.properties for r in rels], ())
        rows = [
            [r.start, r.end, r.type, *(_cell(r.properties.get(k), delimiter) for k, _ in columns)]
            for r in rels
        ]
        files[f"relationships_{rel_type}.csv"] = _csv_text(
            [":START_ID", ":END_ID", ":TYPE", *(h for _, h in columns)], rows
        )
    files["import.sh"] = _import_command(files, delimiter)
    return files


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _import_command(files: dict[str, str], delimiter: str) -> str:
    shown = "U+001F" if delimiter == FALLBACK_DELIMITER else delimiter
    parts = [f"--nodes={name}" for name in files if name.startswith("nodes_")]
    parts += [f"--relationships={name}" for name in files if name.startswith("relationships_")]
    options = [f"--array-delimiter='{shown}'", "--multiline-fields=true"]
    lines = [
        "#!/bin/sh",
        "# Import into a new, empty database; run from this directory.",
        "neo4j-admin database import full \\",
        *(f"  {o} \\" for o in options + parts),
        '  "${1:-neo4j}"',
        "",
    ]
    return "\n".join(lines)


def write_csv(pg: PropertyGraph, out: Path) -> list[str]:
    """CSV files for `neo4j-admin database import full`, in a directory or a .zip."""
    return write_files(csv_files(pg), out)


def write_files(files: dict[str, str], out: Path) -> list[str]:
    """Named text files into the directory `out`, or into a zip when `out` ends in .zip."""
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8", newline="")
    return sorted(files)


# --- Cypher -------------------------------------------------------------------------------

CYPHER_BATCH = 500
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CYPHER_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _unicode_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def cypher_string(text: str) -> str:
    """`text` as a single-quoted Cypher string literal, safe to paste into any statement.

    Backslash and quote are escaped, and so is every control, format or line/paragraph
    separator character (as \\uXXXX), so a literal can never end early nor span lines.
    Everything else, accents and scripts included, is kept as it is.
    """
    out = []
    for ch in text:
        if ch in _CYPHER_ESCAPES:
            out.append(_CYPHER_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(_unicode_escape(ch))
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_key(key: str) -> str:
    """A property key as written in a map; only plain identifiers are accepted."""
    if not _IDENTIFIER.match(key):
        raise ValueError(f"property key {key!r} is not a plain identifier")
    return key


def cypher_value(value: Any) -> str:
    """A Cypher literal for a property value (string, number, boolean, list, map)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{cypher_key(k)}: {cypher_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def constraint_name(label: str) -> str:
    """`citegraph_work_iri`: the name graph/neo4j_sync.py gives the same constraint."""
    return f"citegraph_{checked_label(label).lower()}_iri"


def _batches(rows: list[str]) -> Iterator[str]:
    for start in range(0, len(rows), CYPHER_BATCH):
        yield "UNWIND [\n  " + ",\n  ".join(rows[start : start + CYPHER_BATCH]) + "\n] AS row\n"


def cypher_statements(pg: PropertyGraph) -> Iterator[str]:
    """Statements (without the closing `;`) that MERGE the graph into Neo4j, idempotently.

    Every value is an escaped literal (no parameters needed), labels and types come from
    the contract's constants only.
    """
    labels = sorted({n.label for n in pg.nodes.values()})
    for label in labels:
        yield (
            f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS "
            f"FOR (n:{checked_label(label)}) REQUIRE n.iri IS UNIQUE"
        )
    by_label: dict[str, list[str]] = defaultdict(list)
    for node in pg.nodes.values():
        by_label[node.label].append(cypher_value(node.properties))
    for label in labels:
        for batch in _batches(by_label[label]):
            yield batch + f"MERGE (n:{checked_label(label)} {{iri: row.iri}})\nSET n += row"
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rel in pg.relationships:
        key = (rel.type, pg.nodes[rel.start].label, pg.nodes[rel.end].label)
        groups[key].append(
            cypher_value({"start": rel.start, "end": rel.end, "properties": rel.properties})
        )
    for (rel_type, start, end), rows in sorted(groups.items()):
        for batch in _batches(rows):
            yield (
                batch + f"MATCH (a:{checked_label(start)} {{iri: row.start}})\n"
                f"MATCH (b:{checked_label(end)} {{iri: row.end}})\n"
                f"MERGE (a)-[r:{checked_type(rel_type)}]->(b)\nSET r += row.properties"
            )


def write_cypher(selection: Selection) -> Iterator[str]:
    pg = selection.kept
    yield (
        f"// citegraph export: {len(pg.nodes)} nodes, {len(pg.relationships)} "
        "relationships.\n// Run with cypher-shell -f FILE; MERGE makes it safe to rerun.\n\n"
    )
    for statement in cypher_statements(pg):
        yield statement + ";\n\n"


# --- BibTeX and RIS ----------------------------------------------------------------------

BIBTEX_TYPES = {
    "article": "article",
    "book": "book",
    "chapter": "incollection",
    "thesis": "phdthesis",
    "report": "techreport",
    "other": "misc",
}
RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "thesis": "THES",
    "report": "RPRT",
    "other": "GEN",
}
#: Characters that end a group, start a comment or switch mode in BibTeX/LaTeX.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Author:
    family: str
    given: str
    organization: bool

    def inverted(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


def authors_by_work(pg: PropertyGraph) -> dict[str, list[Author]]:
    """Each work's authors in AUTHORED position order (from the full graph, so a subgraph
    without people still exports complete references)."""
    found: dict[str, list[tuple[int, Author]]] = defaultdict(list)
    for rel in pg.relationships:
        if rel.type != "AUTHORED":
            continue
        agent = pg.nodes[rel.start]
        props = agent.properties
        if agent.label == "Person" and props.get("family"):
            author = Author(props["family"], props.get("given", ""), False)
        else:
            author = Author(agent.name, "", agent.label == "Organization")
        found[rel.end].append((int(rel.properties.get("position", 0)), author))
    return {
        work: [a for _, a in sorted(pairs, key=lambda p: p[0])] for work, pairs in found.items()
    }


def _works(selection: Selection) -> list[Node]:
    return [n for n in selection.kept.nodes.values() if n.label == "Work"]


def bibtex_escape(text: str) -> str:
    """Plain text as a BibTeX field value (UTF-8 kept; LaTeX specials escaped)."""
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in " ".join(text.split()))


def _bibtex_author(author: Author) -> str:
    if author.organization:
        return "{" + bibtex_escape(author.family) + "}"
    return bibtex_escape(author.inverted())


def citation_key(work: Node, authors: list[Author], taken: set[str]) -> str:
    """`familyYEARword`, unique within the file (a, b, ... appended on a clash)."""
    props = work.properties
    family = fold(authors[0].family).replace(" ", "") if authors else "anon"
    words = [w for w in fold(str(props.get("title", ""))).split() if len(w) > 3]
    base = f"{family or 'anon'}{props.get('year', '')}{words[0] if words else ''}"
    key, suffix = base, 0
    while key in taken:
        key = base + chr(ord("a") + suffix % 26) + str(suffix // 26 or "")
        suffix += 1
    taken.add(key)
    return key


def _bibtex_fields(work: Node, authors: list[Author]) -> list[Field]:
    from bibtexparser.model import Field

    props = work.properties
    container = "booktitle" if props.get("type") == "chapter" else "journal"
    publisher = "institution" if props.get("type") == "report" else "publisher"
    values = [
        ("title", props.get("title")),
        ("author", " and ".join(_bibtex_author(a) for a in authors)),
        ("year", props.get("year")),
        (container, props.get("container")),
        ("volume", props.get("volume")),
        ("number", props.get("issue")),
        ("pages", str(props.get("pages") or "").replace("-", "--").replace("----", "--")),
        (publisher, props.get("publisher")),
        ("doi", props.get("doi")),
        ("url", props.get("url")),
        ("isbn", props.get("isbn")),
        ("language", props.get("language")),
        ("keywords", ", ".join(props.get("keywords", []))),
        ("abstract", props.get("abstract")),
    ]
    return [
        Field(k, v if k == "author" else bibtex_escape(str(v)))
        for k, v in values
        if v not in (None, "")
    ]


def write_bibtex(selection: Selection) -> Iterator[str]:
    import bibtexparser
    from bibtexparser.middlewares import default_unparse_stack
    from bibtexparser.model import Entry

    authors = authors_by_work(selection.full)
    library = bibtexparser.Library()
    taken: set[str] = set()
    for work in _works(selection):
        names = authors.get(work.iri, [])
        library.add(
            Entry(
                BIBTEX_TYPES[work.properties.get("type", "other")],
                citation_key(work, names, taken),
                _bibtex_fields(work, names),
            )
        )
    in_place = default_unparse_stack(allow_inplace_modification=True)
    yield bibtexparser.write_string(library, unparse_stack=in_place)


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def ris_entry(work: Node, authors: list[Author]) -> dict[str, Any]:
    props = work.properties
    entry: dict[str, Any] = {"type_of_reference": RIS_TYPES[props.get("type", "other")]}
    fields = {
        "title": "title",
        "year": "year",
        "container": "secondary_title",
        "volume": "volume",
        "issue": "number",
        "doi": "doi",
        "publisher": "publisher",
        "isbn": "issn",
        "language": "language",
        "abstract": "abstract",
    }
    for prop, tag in fields.items():
        if props.get(prop) not in (None, ""):
            entry[tag] = _one_line(props[prop])
    if authors:
        entry["authors"] = [_one_line(a.inverted()) for a in authors]
    pages = str(props.get("pages") or "")
    if pages:
        start, _, end = pages.partition("-")
        entry["start_page"] = start.strip()
        if end.strip("- "):
            entry["end_page"] = end.strip("- ")
    if props.get("url"):
        entry["urls"] = [_one_line(props["url"])]
    if props.get("keywords"):
        entry["keywords"] = [_one_line(k) for k in props["keywords"]]
    return entry


def write_ris(selection: Selection) -> Iterator[str]:
    import rispy

    authors = authors_by_work(selection.full)
    entries = [ris_entry(w, authors.get(w.iri, [])) for w in _works(selection)]
    yield rispy.dumps(entries) if entries else ""


WRITERS: dict[str, Callable[[Selection], Iterable[str]]] = {
    "ttl": write_turtle,
    "jsonld": write_jsonld,
    "json": write_json,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "cypher": write_cypher,
    "bibtex": write_bibtex,
    "ris": write_ris,
    "csl-json": write_csl_json,
}
