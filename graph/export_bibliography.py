"""The reference-manager exports, BibTeX and RIS: one entry per work of the selection,
its authors in AUTHORED order read from the full graph."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from citegraph.graph.normalize import fold
from citegraph.graph.property_graph import Node, PropertyGraph

if TYPE_CHECKING:
    from bibtexparser.model import Field

    from citegraph.graph.export import Selection


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
