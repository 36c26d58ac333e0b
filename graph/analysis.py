"""What a reviewer asks of a citation graph: sizes, most cited and central works, who
writes with whom, which works are cited together, and how citations spread over time.

Everything reads the property graph (graph/property_graph.py), so the numbers match what
Cypher over the synced Neo4j database would give. Built for 300k works on a laptop:
PageRank is networkx's power iteration over index arrays, co-authorship groups are
connected components by hooking roots; betweenness is exact up to BETWEENNESS_EXACT_LIMIT works
and estimated from BETWEENNESS_SAMPLES sources with a fixed seed above it; pair counts
(co-citation, coupling) stop at works that can no longer reach the top list.
"""

from __future__ import annotations

import math
import random
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from citegraph.graph.pair_counts import top_numbered_pairs
from citegraph.graph.property_graph import PropertyGraph

if TYPE_CHECKING:  # networkx costs a fifth of a second to import: only what needs it does
    import networkx as nx

    from citegraph.graph.store.graphdb import GraphDB

PAGERANK_ALPHA = 0.85
PAGERANK_TOLERANCE = 1.0e-6
PAGERANK_MAX_ITER = 200
BETWEENNESS_EXACT_LIMIT = 1000
BETWEENNESS_SAMPLES = 64
BETWEENNESS_SEED = 42


@dataclass(frozen=True)
class RankedWork:
    iri: str
    name: str
    year: int | None
    score: float


@dataclass(frozen=True)
class CitedWork:
    iri: str
    name: str
    year: int | None
    citations: int
    mentions: int


@dataclass(frozen=True)
class Pair:
    a: str
    a_name: str
    b: str
    b_name: str
    count: int


@dataclass(frozen=True)
class Component:
    size: int
    works: int
    people: list[str]


@dataclass
class Stats:
    """The whole report; `to_json` is what `citegraph stats --json` prints."""

    labels: dict[str, int]
    types: dict[str, int]
    most_cited: list[CitedWork]
    pagerank: list[RankedWork]
    betweenness: list[RankedWork]
    betweenness_samples: int | None
    coauthor_components: int
    coauthor_singletons: int
    largest_coauthor_groups: list[Component]
    cocitation: list[Pair]
    coupling: list[Pair]
    citations_by_citing_year: dict[int, int] = field(default_factory=dict)
    citations_by_cited_year: dict[int, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Measured:
    """What the measures read, and nothing else, as numbers: every work (sorted by IRI, so
    a work's number orders like its IRI), the CITES pairs with their in-text counts by
    work number, the people and who wrote what by person and work number. From an
    in-memory property graph (`of_graph`) or from the store's database (graph/views/
    stats.py, straight from Arrow): at 300k works, strings in Python dictionaries were
    most of the report's time."""

    works: list[str]
    cite_start: np.ndarray
    cite_end: np.ndarray
    cite_count: np.ndarray
    people: list[str]  # person IRIs, every author among them
    names: list[str]  # each person's name
    author: np.ndarray  # AUTHORED by person number ...
    wrote: np.ndarray  # ... and work number
    describe: Callable[[Collection[str]], dict[str, tuple[str, int | None]]]

    @classmethod
    def of_graph(cls, pg: PropertyGraph) -> Measured:
        def describe(iris: Collection[str]) -> dict[str, tuple[str, int | None]]:
            return {i: (pg.nodes[i].name, _year(pg, i)) for i in iris}

        works = sorted(iri for iri, n in pg.nodes.items() if n.label == "Work")
        number = {w: i for i, w in enumerate(works)}
        cites = [r for r in pg.relationships if r.type == "CITES"]
        authored = [
            r
            for r in pg.relationships
            if r.type == "AUTHORED" and pg.nodes[r.start].label == "Person"
        ]
        people = list(
            dict.fromkeys(
                [
                    *(i for i, n in pg.nodes.items() if n.label == "Person"),
                    *(r.start for r in authored),
                ]
            )
        )
        person = {p: i for i, p in enumerate(people)}
        return cls(
            works,
            _ints(number[r.start] for r in cites),
            _ints(number[r.end] for r in cites),
            _ints(int(r.properties.get("count", 1)) for r in cites),
            people,
            [pg.nodes[p].name if p in pg.nodes else "" for p in people],
            _ints(person[r.start] for r in authored),
            _ints(number[r.end] for r in authored),
            describe,
        )


def _ints(values: Iterable[int]) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64)


def counts(pg: PropertyGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type, largest first (ties by name)."""
    labels = Counter(n.label for n in pg.nodes.values())
    types = Counter(r.type for r in pg.relationships)
    return largest_first(labels), largest_first(types)


def largest_first(found: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(((k, v) for k, v in found.items() if v), key=lambda kv: (-kv[1], kv[0])))


class CitationGraph:
    """Works and their CITES edges as adjacency, isolated works included: what PageRank
    and betweenness read. It answers them as a networkx DiGraph does (iteration over the
    works, `len`, `_succ`), built in a tenth of the time, which at 300k works is seconds."""

    def __init__(self, works: Iterable[str], cites: Iterable[tuple[str, str, int]]) -> None:
        self._succ: dict[str, dict[str, None]] = {w: {} for w in works}
        for start, end, _ in cites:
            self._succ[start][end] = None

    def __iter__(self) -> Iterator[str]:
        return iter(self._succ)

    def __len__(self) -> int:
        return len(self._succ)


def citation_digraph(pg: PropertyGraph | Measured) -> nx.DiGraph:
    """Works and their CITES edges (weight = in-text count), isolated works included."""
    import networkx as nx

    data = pg if isinstance(pg, Measured) else Measured.of_graph(pg)
    graph = nx.DiGraph()
    graph.add_nodes_from(data.works)
    works = data.works
    graph.add_edges_from(
        (works[a], works[b], {"weight": n})
        for a, b, n in zip(
            data.cite_start.tolist(), data.cite_end.tolist(), data.cite_count.tolist(), strict=True
        )
    )
    return graph


def _year(pg: PropertyGraph, iri: str) -> int | None:
    year = pg.nodes[iri].properties.get("year")
    return year if isinstance(year, int) else None


def most_cited(pg: PropertyGraph, top: int = 10) -> list[CitedWork]:
    """By citing works (CITES in-degree), then by in-text mentions (summed `count`), then
    by name and IRI."""
    citations: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for rel in pg.relationships:
        if rel.type == "CITES":
            citations[rel.end] += 1
            mentions[rel.end] += int(rel.properties.get("count", 1))
    order = sorted(citations, key=lambda w: (-citations[w], -mentions[w], pg.nodes[w].name, w))
    return [
        CitedWork(w, pg.nodes[w].name, _year(pg, w), citations[w], mentions[w]) for w in order[:top]
    ]


def pagerank(
    graph: nx.DiGraph | CitationGraph,
    alpha: float = PAGERANK_ALPHA,
    tol: float = PAGERANK_TOLERANCE,
    max_iter: int = PAGERANK_MAX_ITER,
) -> dict[str, float]:
    """PageRank, unweighted: a reference counts once however often the text cites it.

    networkx's power iteration (dangling works share their rank evenly, converged when
    the L1 change is below `len * tol`), on index arrays: no matrix of the whole graph."""
    nodes = list(graph)
    if not nodes:
        return {}
    index = {node: number for number, node in enumerate(nodes)}
    succ = graph._succ
    edges = [(index[a], index[b]) for a in nodes for b in succ[a]]
    start = np.fromiter((a for a, _ in edges), dtype=np.int64, count=len(edges))
    end = np.fromiter((b for _, b in edges), dtype=np.int64, count=len(edges))
    ranks = _power_iteration(len(nodes), start, end, alpha, tol, max_iter)
    return dict(zip(nodes, ranks.tolist(), strict=True))


def _power_iteration(
    count: int, start: np.ndarray, end: np.ndarray, alpha: float, tol: float, max_iter: int
) -> np.ndarray:
    """PageRank of nodes 0..count-1 over the edges `start[i] -> end[i]`."""
    out_degree = np.bincount(start, minlength=count).astype(float)
    dangling = out_degree == 0
    share = np.divide(1.0, out_degree, out=np.zeros(count), where=~dangling)
    x = np.full(count, 1.0 / count)
    for _ in range(max_iter):
        last = x
        spread = np.bincount(end, weights=(x * share)[start], minlength=count)
        x = alpha * (spread + x[dangling].sum() / count) + (1 - alpha) / count
        if np.abs(x - last).sum() < count * tol:
            return x
    import networkx as nx

    raise nx.PowerIterationFailedConvergence(max_iter)


class _Successors:
    """Each node's successors, read from sorted arrays only for the nodes a search reaches."""

    def __init__(self, count: int, start: np.ndarray, end: np.ndarray) -> None:
        order = np.argsort(start, kind="stable")
        self._end = end[order]
        self._bounds = np.searchsorted(start[order], np.arange(count + 1))

    def __getitem__(self, node: int) -> list[int]:
        return self._end[self._bounds[node] : self._bounds[node + 1]].tolist()


class IndexGraph:
    """Works 0..n-1 and their distinct CITES edges, as betweenness reads a graph."""

    def __init__(self, count: int, start: np.ndarray, end: np.ndarray) -> None:
        pairs = np.unique(start * max(count, 1) + end)
        self.count = count
        self.start, self.end = pairs // max(count, 1), pairs % max(count, 1)
        self._succ = _Successors(count, self.start, self.end)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.count))

    def __len__(self) -> int:
        return self.count


def betweenness(
    graph: nx.DiGraph | CitationGraph | IndexGraph,
) -> tuple[dict[Any, float], int | None]:
    """Normalised betweenness; exact for small graphs, else estimated from a fixed-seed
    sample of sources (the sample size is returned, None when exact).

    networkx's `betweenness_centrality`, same sources and same scores, except that each
    source's search touches only what it reaches: networkx starts every search with a
    dictionary over all nodes, which on 300k works is most of a minute for 64 sources.
    """
    samples = BETWEENNESS_SAMPLES if len(graph) > BETWEENNESS_EXACT_LIMIT else None
    if samples is not None and samples >= len(graph):
        samples = None
    sources = (
        list(graph)
        if samples is None
        else random.Random(BETWEENNESS_SEED).sample(list(graph), samples)
    )
    scores = dict.fromkeys(graph, 0.0)
    succ = graph._succ
    for source in sources:
        order: list[Any] = []
        preds: dict[Any, list[Any]] = {source: []}
        sigma: dict[Any, float] = {source: 1.0}
        dist = {source: 0}
        queue = deque([source])
        while queue:
            v = queue.popleft()
            order.append(v)
            dv, sv = dist[v], sigma[v]
            for w in succ[v]:
                if w not in dist:
                    queue.append(w)
                    dist[w] = dv + 1
                    sigma[w] = 0.0
                    preds[w] = []
                if dist[w] == dv + 1:
                    sigma[w] += sv
                    preds[w].append(v)
        delta = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != source:
                scores[w] += delta[w]
    return _rescaled(scores, len(graph), sources if samples is not None else None), samples


def _rescaled(scores: dict[Any, float], n: int, sampled: list[Any] | None) -> dict[Any, float]:
    """networkx's normalisation for directed graphs without endpoints."""
    pairs = n - 1
    if pairs < 2:
        return scores
    if sampled is None:
        scale = 1 / (pairs * (pairs - 1))
        return {v: s * scale for v, s in scores.items()}
    k = len(sampled)
    source_scale = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    other_scale = 1 / (k * (pairs - 1))
    chosen = set(sampled)
    return {v: s * (source_scale if v in chosen else other_scale) for v, s in scores.items()}


def _ranked(
    data: Measured, scores: np.ndarray, top: int, keep: np.ndarray | None = None
) -> list[RankedWork]:
    """The `top` works by score, ties by name. Scores are rounded to 12 digits for the
    order only, so float noise from summation order cannot reorder equal scores."""
    numbers = np.arange(len(scores)) if keep is None else np.flatnonzero(keep)
    rounded = -np.round(scores[numbers], 12)
    best = numbers[np.lexsort((numbers, rounded))[: top * 4 + 16]]  # work order is IRI order
    named = data.describe([data.works[i] for i in best.tolist()])
    order = sorted(
        best.tolist(), key=lambda i: (-round(float(scores[i]), 12), named[data.works[i]][0], i)
    )[:top]
    return [
        RankedWork(
            data.works[i], named[data.works[i]][0], named[data.works[i]][1], float(scores[i])
        )
        for i in order
    ]


def coauthor_components(pg: PropertyGraph | Measured) -> list[Component]:
    """Groups of people linked by shared works, largest first.

    Each work links its authors as a star, not a clique: the same components in time
    linear in the number of authorships, even for papers with hundreds of authors.
    """
    data = pg if isinstance(pg, Measured) else Measured.of_graph(pg)
    people = len(data.people)
    works, wrote = np.unique(data.wrote, return_inverse=True)
    group = connected_groups(people + len(works), data.author, people + wrote)
    by_group = np.argsort(group[:people], kind="stable")
    cuts = np.flatnonzero(np.diff(group[:people][by_group])) + 1
    written = Counter(group[people:].tolist())
    found = []
    for members in np.split(by_group, cuts) if people else []:
        number = int(group[members[0]])
        names = sorted(data.names[m] for m in members.tolist())
        found.append(Component(len(names), written[number], names))
    return sorted(found, key=lambda c: (-c.size, -c.works, c.people))


def connected_groups(count: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The connected component of each of nodes 0..count-1 under the edges a[i]-b[i],
    named by its smallest node: hook each edge's larger root under its smaller, then
    halve the paths, until no edge joins two roots (a few rounds; scipy, which did
    this, cost more to import than to run)."""
    parent = np.arange(count)
    while True:
        root_a, root_b = parent[a], parent[b]
        apart = root_a != root_b
        if not apart.any():
            return parent
        np.minimum.at(parent, np.maximum(root_a, root_b)[apart], np.minimum(root_a, root_b)[apart])
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def _pairs(data: Measured, found: list[tuple[int, int, int]]) -> list[Pair]:
    named = data.describe({data.works[i] for a, b, _ in found for i in (a, b)})
    works = data.works
    return [
        Pair(works[a], named[works[a]][0], works[b], named[works[b]][0], c) for a, b, c in found
    ]


def cocitation(pg: PropertyGraph | Measured, top: int = 10) -> list[Pair]:
    """Works cited together by the same citing work, with how many citing works do so."""
    data = pg if isinstance(pg, Measured) else Measured.of_graph(pg)
    return _pairs(data, top_numbered_pairs(data.cite_start, data.cite_end, top))


def coupling(pg: PropertyGraph | Measured, top: int = 10) -> list[Pair]:
    """Bibliographic coupling: works sharing cited references, with how many they share."""
    data = pg if isinstance(pg, Measured) else Measured.of_graph(pg)
    return _pairs(data, top_numbered_pairs(data.cite_end, data.cite_start, top))


def citations_per_year(pg: PropertyGraph) -> tuple[dict[int, int], dict[int, int]]:
    """CITES relationships by the citing work's year and by the cited work's year
    (relationships whose work has no year are left out of that count)."""
    citing: Counter[int] = Counter()
    cited: Counter[int] = Counter()
    for rel in pg.relationships:
        if rel.type != "CITES":
            continue
        for counter, iri in ((citing, rel.start), (cited, rel.end)):
            year = _year(pg, iri)
            if year is not None:
                counter[year] += 1
    return dict(sorted(citing.items())), dict(sorted(cited.items()))


def analyse(source: PropertyGraph | GraphDB, top: int = 10) -> Stats:
    """Every measure at once, each list cut to `top` entries (betweenness lists only works
    that lie on some shortest citation path). `source` is a property graph in memory or
    the store's database, which is asked only for the rows each measure reads."""
    if isinstance(source, PropertyGraph):
        labels, types = counts(source)
        data = Measured.of_graph(source)
        cited = most_cited(source, top)
        by_citing, by_cited = citations_per_year(source)
    else:
        from citegraph.graph.views import stats as queries

        labels, types = queries.counts(source)
        data = queries.measured(source)
        cited = queries.most_cited(source, top)
        by_citing, by_cited = queries.citations_per_year(source)
    graph = IndexGraph(len(data.works), data.cite_start, data.cite_end)
    between, samples = betweenness(graph)
    between_scores = np.fromiter(between.values(), dtype=float, count=len(between))
    ranks = (
        _power_iteration(
            len(graph),
            graph.start,
            graph.end,
            PAGERANK_ALPHA,
            PAGERANK_TOLERANCE,
            PAGERANK_MAX_ITER,
        )
        if len(graph)
        else np.zeros(0)
    )
    components = coauthor_components(data)
    return Stats(
        labels=labels,
        types=types,
        most_cited=cited,
        pagerank=_ranked(data, ranks, top),
        betweenness=_ranked(data, between_scores, top, keep=between_scores > 0),
        betweenness_samples=samples,
        coauthor_components=len(components),
        coauthor_singletons=sum(1 for c in components if c.size == 1),
        largest_coauthor_groups=[c for c in components if c.size > 1][:top],
        cocitation=cocitation(data, top),
        coupling=coupling(data, top),
        citations_by_citing_year=by_citing,
        citations_by_cited_year=by_cited,
    )
