"""How pages and listings name and describe a work: its reference line, short label,
link and tooltip, and its authors in byline order. Shared by the graph page, the
lineage and the evidence map, so a work reads the same on each, and light to import
(no layout or community detection)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from citegraph.graph.property_graph import Node, PropertyGraph

LABEL_CHARS = 40


def authors_by_work(pg: PropertyGraph) -> dict[str, list[str]]:
    """Each work's author names in byline order (one pass over the relationships)."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for rel in pg.relationships:
        if rel.type == "AUTHORED" and rel.start in pg.nodes:
            person = pg.nodes[rel.start]
            name = person.properties.get("family") or person.name
            found[rel.end].append((int(rel.properties.get("position", 0)), str(name)))
    return {work: [name for _, name in sorted(names)] for work, names in found.items()}


def author_names(authors: list[str]) -> str:
    """`Cohen`, `Cohen & Felson`, `Sampson et al.`: as an in-text citation names them."""
    return " & ".join(authors) if len(authors) <= 2 else f"{authors[0]} et al."


def reference(node: Node, authors: list[str]) -> str:
    """The work as a reader knows it: the longest reference a source printed, else one
    composed from the graph (authors, year, title, container; the title leads when no
    author is known, as in APA)."""
    printed = node.properties.get("references") or []
    if printed:
        return str(max(printed, key=len))
    props = node.properties
    year = f"({props['year']})" if props.get("year") else ""
    title = str(props.get("title") or node.name)
    lead = [author_names(authors), year, title] if authors else [title, year]
    head = " ".join(p for p in lead[:2] if p)
    return sentences([head, *lead[2:], str(props.get("container") or "")])


def sentences(parts: list[str]) -> str:
    """Parts joined as sentences, without a second stop after one that has its own
    (`Cruz et al.`, `What works?`): `Cruz et al. Title`, never `Cruz et al.. Title`."""
    joined = ""
    for part in filter(None, parts):
        if joined:
            joined += " " if joined.endswith((".", "?", "!")) else ". "
        joined += part
    return joined


def short_label(node: Node, authors: list[str]) -> str:
    """What the canvas prints under a node: `Cohen & Felson 1979` for works, else the name."""
    if node.label == "Work" and authors:
        year = node.properties.get("year")
        return f"{author_names(authors)} {year}" if year else author_names(authors)
    name = node.name
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def work_link(node: Node) -> str | None:
    """A link a browser may follow: the DOI resolver, else an http(s) URL, never a script."""
    doi = node.properties.get("doi")
    if doi:
        return f"https://doi.org/{doi}"
    url = str(node.properties.get("url") or "")
    return url if url.startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class WorkRef:
    """A work as listings (lineage, evidence map) show it: reference and where to read it."""

    iri: str
    title: str
    year: int | None
    reference: str
    link: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "title": self.title,
            "year": self.year,
            "reference": self.reference,
            "link": self.link,
        }


def work_ref(node: Node, authors: list[str]) -> WorkRef:
    year = node.properties.get("year")
    return WorkRef(
        node.iri,
        node.name,
        year if isinstance(year, int) else None,
        reference(node, authors),
        work_link(node),
    )


def tooltip(node: Node, authors: list[str]) -> list[list[str]]:
    """Rows of (heading, text) for the hover box; the first row is the title line."""
    props = node.properties
    rows = [[node.label, node.name]]
    if node.label == "Work":
        rows.append(["reference", reference(node, authors)])
    for heading, prop in (
        ("description", "description"),
        ("claim", "claim"),
        ("sentence", "source"),
        ("also called", "aliases"),
        ("ORCID", "orcid"),
        ("ISO code", "iso2"),
    ):
        value = props.get(prop)
        if value:
            rows.append([heading, "; ".join(value) if isinstance(value, list) else str(value)])
    if props.get("sources"):
        rows.append(["read from", "; ".join(props["sources"])])
    rows.append(["IRI", node.iri])
    return rows
