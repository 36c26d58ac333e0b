"""Subgraphs of the property graph: a focus and its neighbourhood, labels, years, theory, country.

Every projection that takes `--focus/--depth` (exports, pyvis pages) selects through here,
so one filter means the same nodes everywhere. Selection works on the property graph, not
on RDF, because the filters are phrased in the contract's labels and relationship types.
All filters run in time linear in the size of the graph: one adjacency index, then
breadth-first walks and set intersections.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold
from citegraph.graph.property_graph import LABEL_NAMES, Node, PropertyGraph

#: A fuzzy match below this rapidfuzz WRatio score is no match.
FUZZY_CUTOFF = 80.0
#: How many close candidates an error message lists.
CANDIDATES_SHOWN = 5

_YEARS = re.compile(r"^\s*(\d{3,4})\s*(?:[-–]\s*(\d{3,4}))?\s*$")

Adjacency = dict[str, set[str]]


@dataclass(frozen=True)
class SubgraphFilter:
    """What to keep; every filter given narrows the result (they intersect)."""

    focus: str | None = None
    depth: int = 1
    labels: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    theory: str | None = None
    country: str | None = None


def parse_years(text: str) -> tuple[int, int]:
    """`2015-2024` (or a single `2015`) to an inclusive range; ValueError says what is wrong."""
    match = _YEARS.match(text)
    if not match:
        raise ValueError(f"years {text!r}: expected YEAR or FROM-TO, e.g. 2015-2024")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if start > end:
        raise ValueError(f"years {text!r}: {start} is after {end}")
    return start, end


# --- resolving what the researcher typed to a node ---------------------------------------


def _texts(node: Node) -> Iterable[str]:
    """Every string a researcher may use to name this node."""
    props = node.properties
    yield node.name
    for prop in ("title", "iso2", "doi"):
        if props.get(prop):
            yield str(props[prop])
    for prop in ("aliases", "keys"):
        yield from (str(v) for v in props.get(prop, []))
    if node.label in ("Theory", "Strategy", "Region", "Country"):
        yield node.iri.rsplit("/", 1)[-1]


def _describe(pg: PropertyGraph, iris: Iterable[str]) -> str:
    shown = [f"{pg.nodes[i].label} {pg.nodes[i].name!r} <{i}>" for i in iris]
    return "; ".join(shown[:CANDIDATES_SHOWN])


def _split_label(text: str) -> tuple[tuple[str, ...], str]:
    """`Theory:Environmental criminology` restricts the lookup to one label."""
    head, sep, rest = text.partition(":")
    if sep and head in LABEL_NAMES:
        return (head,), rest.strip()
    return (), text


def _unique(pg: PropertyGraph, text: str, found: list[str], how: str) -> str | None:
    """The one node found, None for none; several are an error naming them."""
    distinct = list(dict.fromkeys(found))
    if len(distinct) == 1:
        return distinct[0]
    if distinct:
        raise LookupError(
            f"{text!r} {how} {len(distinct)} nodes: {_describe(pg, distinct)}; "
            "give an IRI, a DOI or a longer name (or prefix a label, e.g. Theory:NAME)"
        )
    return None


def resolve_focus(pg: PropertyGraph, text: str, labels: tuple[str, ...] = ()) -> str:
    """The IRI of the node `text` names: an IRI, a DOI, or a name/title.

    Names match case- and accent-insensitively: exactly, then as a unique substring, then
    the best fuzzy match. Anything ambiguous or absent raises LookupError naming the
    close candidates, because a silent wrong guess would export the wrong subgraph.
    """
    prefixed, text = _split_label(text.strip())
    labels = labels or prefixed
    if text in pg.nodes and (not labels or pg.nodes[text].label in labels):
        return text
    wanted_doi = normal_doi(text)
    candidates = [n for n in pg.nodes.values() if not labels or n.label in labels]
    if wanted_doi:
        hits = [n.iri for n in candidates if n.properties.get("doi") == wanted_doi]
        found = _unique(pg, text, hits, "has the DOI of")
        if found:
            return found
        raise LookupError(f"no work with DOI {wanted_doi}")
    key = fold(text)
    if not key:
        raise LookupError(f"{text!r}: nothing to look up")
    choices = [(fold(t), n.iri) for n in candidates for t in _texts(n)]
    exact = _unique(pg, text, [iri for t, iri in choices if t == key], "names")
    if exact:
        return exact
    partial = _unique(pg, text, [iri for t, iri in choices if key in t], "is part of the name of")
    if partial:
        return partial
    return _fuzzy(pg, text, key, choices, labels)


def _fuzzy(
    pg: PropertyGraph, text: str, key: str, choices: list[tuple[str, str]], labels: tuple[str, ...]
) -> str:
    scored = process.extract(
        key, [t for t, _ in choices], scorer=fuzz.WRatio, limit=CANDIDATES_SHOWN * 4
    )
    ranked: dict[str, float] = {}
    for _, score, index in scored:
        ranked.setdefault(choices[index][1], score)
    best = sorted(ranked.items(), key=lambda item: -item[1])
    if best and best[0][1] >= FUZZY_CUTOFF and (len(best) == 1 or best[1][1] < best[0][1]):
        return best[0][0]
    what = "/".join(labels) if labels else "node"
    close = _describe(pg, [iri for iri, score in best if score >= FUZZY_CUTOFF / 2])
    raise LookupError(f"no {what} named {text!r}" + (f"; close: {close}" if close else ""))


# --- selecting --------------------------------------------------------------------------


def adjacency(pg: PropertyGraph) -> Adjacency:
    """Undirected neighbours of every node, built once per selection."""
    found: Adjacency = {iri: set() for iri in pg.nodes}
    for rel in pg.relationships:
        found[rel.start].add(rel.end)
        found[rel.end].add(rel.start)
    return found


def neighbourhood(adj: Adjacency, start: Iterable[str], depth: int) -> set[str]:
    """Nodes within `depth` undirected hops of `start` (breadth first)."""
    seen = set(start)
    frontier = deque((iri, 0) for iri in seen)
    while frontier:
        iri, hops = frontier.popleft()
        if hops == depth:
            continue
        for other in adj[iri] - seen:
            seen.add(other)
            frontier.append((other, hops + 1))
    return seen


def _attached(pg: PropertyGraph, adj: Adjacency, works: set[str]) -> set[str]:
    """The works, their neighbours, and what their findings are about and where.

    A finding belongs to the work reporting it, so its ABOUT and IN ends come along.
    """
    near = set(works)
    for work in works:
        near |= adj[work]
    for finding in [n for n in near if pg.nodes[n].label == "Finding"]:
        near |= adj[finding]
    return near


def _ends(pg: PropertyGraph, rel_type: str) -> dict[str, set[str]]:
    """end -> starts of every relationship of one type (for walking edges backwards)."""
    starts: dict[str, set[str]] = defaultdict(set)
    for rel in pg.relationships:
        if rel.type == rel_type:
            starts[rel.end].add(rel.start)
    return starts


def _backwards(starts_of: dict[str, set[str]], roots: Iterable[str]) -> set[str]:
    """Everything that reaches `roots` through the relationships `starts_of` indexes."""
    seen = set(roots)
    stack = list(seen)
    while stack:
        for child in starts_of.get(stack.pop(), set()) - seen:
            seen.add(child)
            stack.append(child)
    return seen


def theory_nodes(pg: PropertyGraph, adj: Adjacency, theory: str) -> set[str]:
    """The theory and its descendants, the works using or proposing any of them, and the
    neighbourhood of those works."""
    root = resolve_focus(pg, theory, ("Theory",))
    family = _backwards(_ends(pg, "DERIVES_FROM"), [root])
    users = _ends(pg, "USES_THEORY")
    works = {w for t in family for w in users.get(t, set())}
    works |= {r.end for r in pg.relationships if r.type == "PROPOSED_IN" and r.start in family}
    return family | _attached(pg, adj, works)


def country_nodes(pg: PropertyGraph, adj: Adjacency, country: str) -> set[str]:
    """The place (with its member countries for a region), the works studying it or
    reporting findings in it, and their neighbourhood."""
    root = resolve_focus(pg, country, ("Country", "Region"))
    places = _backwards(_ends(pg, "PART_OF"), [root])
    studies, found_in, reports = _ends(pg, "STUDIES"), _ends(pg, "IN"), _ends(pg, "REPORTS")
    works = {w for p in places for w in studies.get(p, set())}
    findings = {f for p in places for f in found_in.get(p, set())}
    works |= {w for f in findings for w in reports.get(f, set())}
    return places | _attached(pg, adj, works)


def in_years(pg: PropertyGraph, adj: Adjacency, keep: set[str], years: tuple[int, int]) -> set[str]:
    """Works of `keep` published in the range, and the other nodes attached to them."""
    start, end = years
    works = {
        iri
        for iri in keep
        if pg.nodes[iri].label == "Work"
        and isinstance(year := pg.nodes[iri].properties.get("year"), int)
        and start <= year <= end
    }
    others = {iri for iri in _attached(pg, adj, works) & keep if pg.nodes[iri].label != "Work"}
    return works | others


def induced(pg: PropertyGraph, keep: set[str]) -> PropertyGraph:
    """The kept nodes (in the graph's order) and the relationships with both ends kept."""
    return PropertyGraph(
        {iri: node for iri, node in pg.nodes.items() if iri in keep},
        [rel for rel in pg.relationships if rel.start in keep and rel.end in keep],
    )


def _check(f: SubgraphFilter) -> None:
    if f.depth < 0:
        raise ValueError(f"depth {f.depth}: must be 0 or more")
    unknown = [label for label in f.labels if label not in LABEL_NAMES]
    if unknown:
        raise ValueError(f"unknown label {unknown[0]!r}; labels: {', '.join(LABEL_NAMES)}")


def select(pg: PropertyGraph, f: SubgraphFilter) -> PropertyGraph:
    """The subgraph `f` describes; the filters intersect, in a fixed order.

    Focus/theory/country choose regions of the graph, years then drops works outside the
    range (with what hangs only off them), labels finally keep node kinds. Nodes are the
    same objects as in `pg`: a selection is a view, not a copy.
    """
    _check(f)
    if f == SubgraphFilter(depth=f.depth):
        return pg
    adj = adjacency(pg)
    keep = set(pg.nodes)
    if f.focus is not None:
        keep = neighbourhood(adj, [resolve_focus(pg, f.focus)], f.depth)
    if f.theory is not None:
        keep &= theory_nodes(pg, adj, f.theory)
    if f.country is not None:
        keep &= country_nodes(pg, adj, f.country)
    if f.years is not None:
        keep = in_years(pg, adj, keep, f.years)
    if f.labels:
        keep = {iri for iri in keep if pg.nodes[iri].label in f.labels}
    return induced(pg, keep)
