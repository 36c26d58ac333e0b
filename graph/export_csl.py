"""CSL-JSON export: the native reference format of Zotero, Pandoc and citeproc.

One CSL item per kept Work, with the CSL variables of the CSL 1.0.2 specification. The
item ids are the BibTeX export's citation keys, so `pandoc --citeproc` cites a work by
the same key whichever of the two files a researcher hands it. Authors come from the
full graph, in AUTHORED position order, so a subgraph without people still exports
complete references; organisations are CSL `literal` names, which styles never invert.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from citegraph.graph.property_graph import Node, PropertyGraph

if TYPE_CHECKING:  # export.py imports this module to register the writer
    from citegraph.graph.export import Selection
    from citegraph.graph.export_bibliography import Author

#: Our work types as CSL item types. `document` is CSL 1.0.2's generic type; CSL
#: processors that predate it fall back to their default layout.
CSL_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "chapter": "chapter",
    "thesis": "thesis",
    "report": "report",
    "other": "document",
}

#: Work property -> CSL variable, for the variables copied as they are.
CSL_VARIABLES: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("container", "container-title"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("pages", "page"),
    ("doi", "DOI"),
    ("url", "URL"),
    ("isbn", "ISBN"),
    ("publisher", "publisher"),
    ("language", "language"),
    ("genre", "genre"),
    ("abstract", "abstract"),
)


def csl_name(author: Author) -> dict[str, str]:
    """A CSL name object: family/given for a person, `literal` for an organisation."""
    if author.organization:
        return {"literal": author.family}
    name = {"family": author.family}
    if author.given:
        name["given"] = author.given
    return name


def venue_issns(pg: PropertyGraph) -> dict[str, str]:
    """Each work's ISSN, read from the venue it is PUBLISHED_IN."""
    found: dict[str, str] = {}
    for rel in pg.relationships:
        if rel.type == "PUBLISHED_IN":
            issn = pg.nodes[rel.end].properties.get("issn")
            if issn:
                found.setdefault(rel.start, str(issn))
    return found


def csl_item(
    work: Node, authors: list[Author], key: str, issn: str | None = None
) -> dict[str, Any]:
    """One CSL item; variables without a value are left out rather than written empty."""
    props = work.properties
    item: dict[str, Any] = {
        "id": key,
        "citation-key": key,
        "type": CSL_TYPES.get(str(props.get("type", "other")), "document"),
    }
    if authors:
        item["author"] = [csl_name(a) for a in authors]
    year = props.get("year")
    if isinstance(year, int) or (isinstance(year, str) and year.isdigit()):
        item["issued"] = {"date-parts": [[int(year)]]}
    for prop, variable in CSL_VARIABLES:
        value = props.get(prop)
        if value not in (None, ""):
            item[variable] = str(value)
    if issn:
        item["ISSN"] = issn
    keywords = props.get("keywords") or []
    if keywords:
        item["keyword"] = ", ".join(str(k) for k in keywords)
    return item


def csl_items(selection: Selection) -> list[dict[str, Any]]:
    """The CSL items of the kept works, with the BibTeX export's keys as ids."""
    from citegraph.graph.export_bibliography import authors_by_work, citation_key

    authors = authors_by_work(selection.full)
    issns = venue_issns(selection.full)
    taken: set[str] = set()
    items = []
    for work in selection.kept.nodes.values():
        if work.label != "Work":
            continue
        names = authors.get(work.iri, [])
        items.append(csl_item(work, names, citation_key(work, names, taken), issns.get(work.iri)))
    return items


def write_csl_json(selection: Selection) -> Iterator[str]:
    """A JSON array of CSL items, as Zotero exports and Pandoc reads (`.json`)."""
    yield json.dumps(csl_items(selection), ensure_ascii=False, indent=2) + "\n"
