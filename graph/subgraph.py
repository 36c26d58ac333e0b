"""Subgraphs of the property graph: a focus and its neighbourhood, labels, years, theory, country.

Every projection that takes `--focus/--depth` (exports, pyvis pages) selects through here,
so one filter means the same nodes everywhere. Selection works on the property graph, not
on RDF, because the filters are phrased in the contract's labels and relationship types.
The rules are written once against `GraphAccess`; in memory they run in time linear in
the size of the graph (one adjacency index, then breadth-first walks and set
intersections), against the store's database they fetch only the nodes they reach.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from citegraph.graph.name_lookup import resolve_focus
from citegraph.graph.property_graph import LABEL_NAMES, PropertyGraph

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
    #: The walk around `focus` stops growing at this many nodes (None: never). A page is
    #: for looking at: depth 2 around a classic cited by a third of a 10k-row export
    #: reaches 100k nodes, which no browser lays out. Exports leave it None.
    max_nodes: int | None = None


@dataclass(frozen=True)
class Walk:
    """The nodes a focus walk kept, and how many more its last hop reached but left out
    (the hops beyond it were not walked, so there are at least that many more)."""

    nodes: set[str]
    left_out: int = 0


class TooManyNodes(ValueError):
    """A selection larger than a page may hold, said in one line with what to do."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"the page would hold {size:,} nodes, more than --max-nodes {limit:,}: narrow it "
            "with --focus, --theory, --country, --years or --label, or raise --max-nodes "
            "(0: no limit; a browser takes 2-4 s to lay out 5k nodes)"
        )


@dataclass(frozen=True)
class Kept:
    """The IRIs a filter keeps (None: all of them), and what its focus walk left out."""

    iris: set[str] | None
    left_out: int = 0


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


# --- selecting --------------------------------------------------------------------------
#
# The rules below ask a `GraphAccess` for the few facts they need (a node's neighbours,
# the starts of one relationship type ending at some nodes, labels, years), so the same
# rules run on an in-memory property graph (`select`) and as queries against the store's
# database (graph/views/selection.py), which then fetches only what a filter reaches.


class GraphAccess(Protocol):
    """What the selection rules read of a graph."""

    def resolve(self, text: str, labels: tuple[str, ...] = ()) -> str:
        """The IRI `text` names (see `resolve_focus`)."""
        ...

    def neighbours(self, iris: Collection[str], only: Collection[str] = ()) -> Adjacency:
        """Undirected neighbours (over every relationship) of each of `iris`; only those
        with a label in `only`, when given."""
        ...

    def labels(self, iris: Collection[str]) -> dict[str, str]:
        """The label of each of `iris`."""
        ...

    def years(self, iris: Collection[str]) -> dict[str, int]:
        """The publication year of each work among `iris` that has one."""
        ...

    def starts(self, rel_type: str, ends: Collection[str]) -> set[str]:
        """Start nodes of the `rel_type` relationships ending in `ends`."""
        ...

    def ends(self, rel_type: str, starts: Collection[str]) -> set[str]:
        """End nodes of the `rel_type` relationships starting in `starts`."""
        ...

    def works_in(self, years: tuple[int, int]) -> set[str]:
        """Every work published in the inclusive range."""
        ...

    def with_labels(self, labels: tuple[str, ...]) -> set[str]:
        """Every node with one of `labels`."""
        ...

    def size(self) -> int:
        """How many nodes the graph holds."""
        ...


class MemoryAccess:
    """`GraphAccess` over a property graph in memory: one adjacency index, built once."""

    def __init__(self, pg: PropertyGraph) -> None:
        self.pg = pg
        self._adj: Adjacency | None = None
        self._by_type: dict[str, list[tuple[str, str]]] | None = None

    def resolve(self, text: str, labels: tuple[str, ...] = ()) -> str:
        return resolve_focus(self.pg, text, labels)

    def neighbours(self, iris: Collection[str], only: Collection[str] = ()) -> Adjacency:
        if self._adj is None:
            self._adj = adjacency(self.pg)
        if not only:
            return {iri: self._adj[iri] for iri in iris}
        nodes = self.pg.nodes
        return {iri: {o for o in self._adj[iri] if nodes[o].label in only} for iri in iris}

    def labels(self, iris: Collection[str]) -> dict[str, str]:
        return {iri: self.pg.nodes[iri].label for iri in iris}

    def years(self, iris: Collection[str]) -> dict[str, int]:
        found = {}
        for iri in iris:
            node = self.pg.nodes[iri]
            year = node.properties.get("year")
            if node.label == "Work" and isinstance(year, int):
                found[iri] = year
        return found

    def _pairs(self, rel_type: str) -> list[tuple[str, str]]:
        if self._by_type is None:
            self._by_type = defaultdict(list)
            for rel in self.pg.relationships:
                self._by_type[rel.type].append((rel.start, rel.end))
        return self._by_type.get(rel_type, [])

    def starts(self, rel_type: str, ends: Collection[str]) -> set[str]:
        wanted = set(ends)
        return {a for a, b in self._pairs(rel_type) if b in wanted}

    def ends(self, rel_type: str, starts: Collection[str]) -> set[str]:
        wanted = set(starts)
        return {b for a, b in self._pairs(rel_type) if a in wanted}

    def works_in(self, years: tuple[int, int]) -> set[str]:
        start, end = years
        return {iri for iri, year in self.years(self.pg.nodes).items() if start <= year <= end}

    def with_labels(self, labels: tuple[str, ...]) -> set[str]:
        return {iri for iri, node in self.pg.nodes.items() if node.label in labels}

    def size(self) -> int:
        return len(self.pg.nodes)


def adjacency(pg: PropertyGraph) -> Adjacency:
    """Undirected neighbours of every node, built once per selection."""
    found: Adjacency = {iri: set() for iri in pg.nodes}
    for rel in pg.relationships:
        found[rel.start].add(rel.end)
        found[rel.end].add(rel.start)
    return found


#: Nodes that many works share only by context. A walk goes on from them to other context
#: nodes (a country's region, a theory's lineage) but not back to works, unless it starts
#: there: through a venue, depth 2 around a reference cited once held 75k of the 310k
#: works of a 10k-row Scopus export (everything in its journal).
SHARED_CONTEXT = frozenset({"Venue", "Theory", "Strategy", "Country", "Region", "FlowStage"})


def neighbourhood(
    graph: GraphAccess, start: Iterable[str], depth: int, limit: int | None = None
) -> Walk:
    """Nodes within `depth` undirected hops of `start`, walking from a shared context node
    only to other context nodes (`SHARED_CONTEXT`): breadth first, one ask per hop with
    the whole frontier (never a variable-length pattern, which explodes around a work
    cited thousands of times).

    A hop that would pass `limit` keeps the nodes it reached most often from the nodes
    already kept (the references most co-cited with a focus classic), ties by IRI so the
    page is the same every time, and the walk stops there: walking further would read
    what is then dropped."""
    seen = set(start)
    frontier = set(seen)
    for hop in range(depth):
        if not frontier:
            break
        context = _context(graph, frontier) if hop else set()
        links: Counter[str] = Counter()
        # a journal's neighbours are asked for its context only: all of them were the
        # 75k works published there, read to be dropped
        for others in graph.neighbours(frontier - context).values():
            links.update(others)
        for others in graph.neighbours(context, only=SHARED_CONTEXT).values():
            links.update(others)
        reached = [iri for iri in links if iri not in seen]
        if limit is not None and len(seen) + len(reached) > limit:
            room = max(limit - len(seen), 0)
            reached.sort(key=lambda iri: (-links[iri], iri))
            seen.update(reached[:room])
            return Walk(seen, len(reached) - room)
        frontier = set(reached)
        seen |= frontier
    return Walk(seen)


def _context(graph: GraphAccess, iris: Collection[str]) -> set[str]:
    return {iri for iri, label in graph.labels(iris).items() if label in SHARED_CONTEXT}


def attached(graph: GraphAccess, works: set[str]) -> set[str]:
    """The works, their neighbours, and what their findings are about and where.

    A finding belongs to the work reporting it, so its ABOUT and IN ends come along.
    """
    near = set(works)
    for others in graph.neighbours(works).values():
        near |= others
    findings = [iri for iri, label in graph.labels(near).items() if label == "Finding"]
    for others in graph.neighbours(findings).values():
        near |= others
    return near


def backwards(graph: GraphAccess, rel_type: str, roots: Iterable[str]) -> set[str]:
    """Everything that reaches `roots` through `rel_type` relationships (one ask per hop)."""
    seen = set(roots)
    frontier = set(seen)
    while frontier:
        frontier = graph.starts(rel_type, frontier) - seen
        seen |= frontier
    return seen


def theory_nodes(graph: GraphAccess, theory: str) -> set[str]:
    """The theory and its descendants, the works using or proposing any of them, and the
    neighbourhood of those works."""
    root = graph.resolve(theory, ("Theory",))
    family = backwards(graph, "DERIVES_FROM", [root])
    works = graph.starts("USES_THEORY", family) | graph.ends("PROPOSED_IN", family)
    return family | attached(graph, works)


def country_nodes(graph: GraphAccess, country: str) -> set[str]:
    """The place (with its member countries for a region), the works studying it or
    reporting findings in it, and their neighbourhood."""
    root = graph.resolve(country, ("Country", "Region"))
    places = backwards(graph, "PART_OF", [root])
    works = graph.starts("STUDIES", places)
    findings = graph.starts("IN", places)
    works |= graph.starts("REPORTS", findings)
    return places | attached(graph, works)


def in_years(graph: GraphAccess, keep: set[str] | None, years: tuple[int, int]) -> set[str]:
    """Works of `keep` (None: of the whole graph) published in the range, and the other
    nodes of `keep` attached to them."""
    start, end = years
    if keep is None:
        works = graph.works_in(years)
    else:
        works = {iri for iri, year in graph.years(keep).items() if start <= year <= end}
    near = attached(graph, works)
    if keep is not None:
        near &= keep
    return works | {iri for iri, label in graph.labels(near - works).items() if label != "Work"}


def induced(pg: PropertyGraph, keep: set[str]) -> PropertyGraph:
    """The kept nodes (in the graph's order) and the relationships with both ends kept."""
    return PropertyGraph(
        {iri: node for iri, node in pg.nodes.items() if iri in keep},
        [rel for rel in pg.relationships if rel.start in keep and rel.end in keep],
    )


def check(f: SubgraphFilter) -> None:
    """ValueError for a negative depth or a label the contract does not have."""
    if f.depth < 0:
        raise ValueError(f"depth {f.depth}: must be 0 or more")
    if f.max_nodes is not None and f.max_nodes < 1:
        raise ValueError(f"max nodes {f.max_nodes}: must be 1 or more")
    unknown = [label for label in f.labels if label not in LABEL_NAMES]
    if unknown:
        raise ValueError(f"unknown label {unknown[0]!r}; labels: {', '.join(LABEL_NAMES)}")


def is_whole(f: SubgraphFilter) -> bool:
    """True when `f` filters nothing (a depth means nothing without a focus)."""
    return f == SubgraphFilter(depth=f.depth)


def kept_nodes(graph: GraphAccess, f: SubgraphFilter) -> Kept:
    """The IRIs `f` keeps (None for all of them); the filters intersect, in a fixed order.

    Focus/theory/country choose regions of the graph, years then drops works outside the
    range (with what hangs only off them), labels finally keep node kinds. Without a
    focus, a selection of more than `max_nodes` is refused (`TooManyNodes`): the page of
    a 300k-work store took 44 s and 5.6 GB to write, and no browser can lay it out.
    Keeping the nodes in most relationships instead was tried: at 10k Scopus rows, those
    are 1,993 prolific authors, 4 journals and 3 works, and no relationship among them.
    """
    check(f)
    keep: set[str] | None = None
    left_out = 0
    if f.focus is not None:
        walk = neighbourhood(graph, [graph.resolve(f.focus)], f.depth, f.max_nodes)
        keep, left_out = walk.nodes, walk.left_out
    if f.theory is not None:
        found = theory_nodes(graph, f.theory)
        keep = found if keep is None else keep & found
    if f.country is not None:
        found = country_nodes(graph, f.country)
        keep = found if keep is None else keep & found
    if f.years is not None:
        keep = in_years(graph, keep, f.years)
    if f.labels:
        if keep is None:
            keep = graph.with_labels(f.labels)
        else:
            keep = {iri for iri, label in graph.labels(keep).items() if label in f.labels}
    if f.focus is None and f.max_nodes is not None:
        size = graph.size() if keep is None else len(keep)
        if size > f.max_nodes:
            raise TooManyNodes(size, f.max_nodes)
    return Kept(keep, left_out)


def select(pg: PropertyGraph, f: SubgraphFilter) -> PropertyGraph:
    """The subgraph `f` describes (see `kept_nodes`). Nodes are the same objects as in
    `pg`: a selection is a view, not a copy; no filter gives `pg` itself."""
    check(f)
    if is_whole(f) and f.max_nodes is None:
        return pg
    keep = kept_nodes(MemoryAccess(pg), f).iris
    return pg if keep is None else induced(pg, keep)
