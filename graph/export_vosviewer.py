"""VOSviewer map and network files: co-citation, bibliographic coupling, co-authorship.

VOSviewer, the most used bibliometric viewer, reads a network as two files (its manual,
"Map and network files"): a map file, tab-delimited with a header line, one item per
line (`id`, `label`, `description`, `url`, `weight<...>` columns; VOSviewer lays out and
clusters the items itself when `x`, `y` and `cluster` are absent), and a network file
without a header, one link per line: `id1 <TAB> id2 <TAB> strength`. Ids are integers
from 1, each link is listed once (id1 < id2), and the strengths are:

- co-citation: how many kept works cite both works;
- bibliographic coupling: how many references the two works share;
- co-authorship: how many works the two authors wrote together.

Counts run on sparse matrices (scipy) rather than Python loops over pairs: a review
citing a thousand works co-cites half a million pairs.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape
from scipy.sparse import csr_matrix

from citegraph.graph.property_graph import Node, PropertyGraph

if TYPE_CHECKING:  # export.py imports this module to register the writer
    from citegraph.graph.export import Selection

#: A network beyond this many candidate pairs is refused with a hint to narrow the
#: export: VOSviewer itself would not draw it, and counting it costs gigabytes.
MAX_PAIRS = 20_000_000


@dataclass(frozen=True)
class Item:
    """One line of a map file (before its integer id is given)."""

    key: str  # the node's IRI
    label: str
    description: str  # HTML: VOSviewer renders it, so the text is escaped
    url: str
    weights: dict[str, int]


@dataclass(frozen=True)
class Network:
    """A VOSviewer network: items, and links (id1, id2, strength) between their 1-based ids."""

    name: str
    items: list[Item]
    links: list[tuple[int, int, int]]


def co_occurrence(groups: Iterable[set[str]], keys: list[str]) -> list[tuple[int, int, int]]:
    """(i, j, n) for every pair of `keys` (1-based ids, i < j) found together in n groups.

    The group-by-key incidence matrix A gives every count at once as AᵀA; its upper
    triangle is each pair once.
    """
    index = {key: number for number, key in enumerate(keys)}
    members = [sorted(index[k] for k in group if k in index) for group in groups]
    members = [m for m in members if len(m) > 1]
    pairs = sum(len(m) * (len(m) - 1) // 2 for m in members)
    if pairs > MAX_PAIRS:
        raise ValueError(
            f"vosviewer: {pairs:,} pairs to count, more than VOSviewer can show; "
            "narrow the export with --years, --theory, --country or --focus"
        )
    if not members:
        return []
    rows = [group for group, m in enumerate(members) for _ in m]
    cols = [k for m in members for k in m]
    incidence = csr_matrix(([1] * len(cols), (rows, cols)), shape=(len(members), len(keys)))
    counts = (incidence.T @ incidence).tocoo()
    upper = counts.row < counts.col
    return sorted(
        zip(
            (counts.row[upper] + 1).tolist(),
            (counts.col[upper] + 1).tolist(),
            counts.data[upper].tolist(),
            strict=True,
        )
    )


def link_weights(count: int, links: list[tuple[int, int, int]]) -> tuple[list[int], list[int]]:
    """VOSviewer's two standard weights per id: `Links` and `Total link strength`."""
    degree, strength = [0] * (count + 1), [0] * (count + 1)
    for a, b, n in links:
        for end in (a, b):
            degree[end] += 1
            strength[end] += n
    return degree, strength


def _network(name: str, items: list[Item], groups: Iterable[set[str]]) -> Network:
    """Items sorted by label (then IRI) so ids are stable; link weights added to each."""
    items = sorted(items, key=lambda i: (i.label.casefold(), i.key))
    links = co_occurrence(groups, [i.key for i in items])
    degree, strength = link_weights(len(items), links)
    weighted = [
        Item(
            i.key,
            i.label,
            i.description,
            i.url,
            {"Links": degree[n], "Total link strength": strength[n], **i.weights},
        )
        for n, i in enumerate(items, 1)
    ]
    return Network(name, weighted, links)


def _work_item(node: Node, authors: list[str], weight: str, count: int) -> Item:
    from citegraph.graph.work_text import reference, short_label, work_link

    return Item(
        node.iri,
        short_label(node, authors),
        str(escape(reference(node, authors))),
        work_link(node) or "",
        {weight: count},
    )


def networks(selection: Selection) -> list[Network]:
    """The three networks of the kept graph.

    Citations are the kept CITES relationships. Authors are read from the full graph for
    the kept works, so a subgraph of works alone still has its co-authorship.
    """
    from citegraph.graph.work_text import authors_by_work

    kept, full = selection.kept, selection.full
    authors = authors_by_work(full)
    cited: dict[str, set[str]] = defaultdict(set)  # citing work -> works it cites
    citing: dict[str, set[str]] = defaultdict(set)  # cited work -> works citing it
    for rel in kept.relationships:
        if rel.type == "CITES":
            cited[rel.start].add(rel.end)
            citing[rel.end].add(rel.start)
    cocitation = _network(
        "cocitation",
        [
            _work_item(kept.nodes[w], authors.get(w, []), "Citations", len(by))
            for w, by in citing.items()
        ],
        cited.values(),
    )
    coupling = _network(
        "coupling",
        [
            _work_item(kept.nodes[w], authors.get(w, []), "References", len(refs))
            for w, refs in cited.items()
        ],
        citing.values(),
    )
    return [cocitation, coupling, coauthorship(kept, full)]


def coauthorship(kept: PropertyGraph, full: PropertyGraph) -> Network:
    """People and organisations who authored kept works, linked by works written together."""
    works = {iri for iri, node in kept.nodes.items() if node.label == "Work"}
    by_work: dict[str, set[str]] = defaultdict(set)
    for rel in full.relationships:
        if rel.type == "AUTHORED" and rel.end in works:
            by_work[rel.end].add(rel.start)
    documents: dict[str, int] = defaultdict(int)
    for agents in by_work.values():
        for agent in agents:
            documents[agent] += 1
    items = [_agent_item(full.nodes[a], n) for a, n in documents.items()]
    return _network("coauthorship", items, by_work.values())


def _agent_item(node: Node, documents: int) -> Item:
    props = node.properties
    family, given = props.get("family"), props.get("given")
    label = f"{family}, {given}" if family and given else str(family or node.name)
    orcid = props.get("orcid")
    return Item(
        node.iri,
        label,
        str(escape(node.name or label)),
        f"https://orcid.org/{orcid}" if orcid else "",
        {"Documents": documents},
    )


def _cell(text: str) -> str:
    """One line, no tabs: VOSviewer reads a line per item and a tab between columns."""
    return " ".join(text.split())


def map_file(network: Network) -> str:
    """The map file: a header, then one item per line."""
    weights = list(network.items[0].weights) if network.items else ["Links"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["id", "label", "description", "url", *(f"weight<{w}>" for w in weights)])
    for number, item in enumerate(network.items, 1):
        writer.writerow(
            [
                number,
                _cell(item.label),
                _cell(item.description),
                _cell(item.url),
                *(item.weights[w] for w in weights),
            ]
        )
    return buffer.getvalue()


def network_file(network: Network) -> str:
    """The network file: `id1<TAB>id2<TAB>strength` lines, no header."""
    return "".join(f"{a}\t{b}\t{n}\n" for a, b, n in network.links)


def vosviewer_files(selection: Selection) -> dict[str, str]:
    """File name -> text: `<network>_map.txt` and `<network>_network.txt` for each network."""
    files: dict[str, str] = {}
    for network in networks(selection):
        files[f"{network.name}_map.txt"] = map_file(network)
        files[f"{network.name}_network.txt"] = network_file(network)
    return files
