"""Every read path over the store's database gives the answer the whole-graph projection
gave: `to_property_graph(snapshot.rdf())` plus the in-memory function is the expected
value, on the conftest review and on the bundled example."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import to_isomorphic

from citegraph.graph.analysis import analyse
from citegraph.graph.demo import example_paths
from citegraph.graph.evidence import evidence_map
from citegraph.graph.export import FILE_SET_FORMATS, FORMATS, export
from citegraph.graph.ingest import ingest
from citegraph.graph.lineage import lineage
from citegraph.graph.name_lookup import resolve_focus
from citegraph.graph.normalize import fold
from citegraph.graph.property_graph import PropertyGraph, to_property_graph
from citegraph.graph.store import Snapshot, Store
from citegraph.graph.subgraph import (
    SHARED_CONTEXT,
    MemoryAccess,
    SubgraphFilter,
    TooManyNodes,
    neighbourhood,
    select,
)
from citegraph.graph.views import reads, selection
from citegraph.graph.views.pages import evidence_graph, lineage_graph
from citegraph.graph.work_text import authors_by_work

WORK_TITLE = "Community participation and citizen security in Lima"


@pytest.fixture(
    params=[("review", "short lists"), ("review", "long lists"), ("example", "short lists")]
)
def snapshot(
    request: pytest.FixtureRequest,
    make_store: Callable[..., Store],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Snapshot]:
    """A store's snapshot; with "long lists" every IRI list is asked for the way long ones
    are (UNWIND, or a whole relationship table read and filtered), so both forms of each
    read answer every test."""
    name, lists = request.param
    if lists == "long lists":
        monkeypatch.setattr(reads, "SHORT_LIST", 0)
        monkeypatch.setattr(reads, "FEW_NODES", 0)
    if name == "review":
        store = make_store("review")
    else:
        store = Store(tmp_path / "example")
        ingest(store, example_paths())
        store.close()
        store = Store(store.path)
    found = store.snapshot()
    assert found is not None
    yield found
    store.close()


def same(expected: PropertyGraph, found: PropertyGraph) -> None:
    assert set(found.nodes) == set(expected.nodes)
    for iri, node in expected.nodes.items():
        assert (found.nodes[iri].label, found.nodes[iri].properties) == (
            node.label,
            node.properties,
        )
    assert found.relationships == expected.relationships


def test_whole_graph_reads_as_the_mapping_projects_it(snapshot: Snapshot) -> None:
    same(to_property_graph(snapshot.rdf()), reads.whole(snapshot.graph()))


def _filters(full: PropertyGraph) -> list[SubgraphFilter]:
    work = next(n for n in full.by_label("Work") if n.properties.get("doi"))
    cited = max(
        full.by_label("Work"),
        key=lambda n: (sum(1 for r in full.relationships if r.end == n.iri), n.iri),
    )
    return [
        SubgraphFilter(focus=cited.iri, depth=0),
        SubgraphFilter(focus=cited.iri, depth=1),
        SubgraphFilter(focus=cited.name, depth=2),
        SubgraphFilter(focus=work.properties["doi"], depth=1),
        SubgraphFilter(focus="Peru", depth=1),
        SubgraphFilter(theory="Routine activity theory"),
        SubgraphFilter(theory="Human ecology"),
        SubgraphFilter(country="Latin America"),
        SubgraphFilter(country="PE"),
        SubgraphFilter(years=(2015, 2022)),
        SubgraphFilter(labels=("Work", "Theory")),
        SubgraphFilter(focus=cited.iri, depth=2, years=(2000, 2024), labels=("Work", "Person")),
        SubgraphFilter(theory="Human ecology", country="Peru", labels=("Work",)),
        SubgraphFilter(focus=cited.iri, depth=2, max_nodes=25),
        SubgraphFilter(focus=cited.iri, depth=2, max_nodes=25, labels=("Work",)),
    ]


def test_subgraphs_read_as_select_chooses_them(snapshot: Snapshot) -> None:
    full = to_property_graph(snapshot.rdf())
    for f in _filters(full):
        same(select(full, f), selection.subgraph(snapshot.graph(), f))


@pytest.mark.parametrize("guess", ["minted", "misleading"])
def test_labels_read_from_the_database_whatever_the_iri_says(
    snapshot: Snapshot, guess: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An IRI is probed first in the table its form names, then in every table: a
    misleading form (here every IRI taken for a venue's, or for nothing) changes no
    answer."""
    if guess == "misleading":
        monkeypatch.setattr(reads, "_MINTED", (("https://", ("Venue",)),))
    full = to_property_graph(snapshot.rdf())
    expected = {iri: node.label for iri, node in full.nodes.items()}
    assert selection.DBAccess(snapshot.graph()).labels(list(expected)) == expected
    for f in _filters(full)[:4]:
        same(select(full, f), selection.subgraph(snapshot.graph(), f))


def test_a_selection_too_large_for_a_page_is_refused_alike(snapshot: Snapshot) -> None:
    full = to_property_graph(snapshot.rdf())
    works = len(full.by_label("Work"))
    for f, size in (
        (SubgraphFilter(max_nodes=len(full.nodes) - 1), len(full.nodes)),
        (SubgraphFilter(labels=("Work",), max_nodes=works - 1), works),
    ):
        with pytest.raises(TooManyNodes, match=f"would hold {size:,} nodes"):
            select(full, f)
        with pytest.raises(TooManyNodes, match=f"would hold {size:,} nodes"):
            selection.subgraph(snapshot.graph(), f)
    enough = SubgraphFilter(labels=("Work",), max_nodes=works)
    same(select(full, enough), selection.subgraph(snapshot.graph(), enough))
    assert len(select(full, enough).nodes) == works


def test_a_capped_walk_leaves_out_as_many_in_the_database(snapshot: Snapshot) -> None:
    full = to_property_graph(snapshot.rdf())
    cited = _filters(full)[0].focus
    assert cited is not None
    limit = len(neighbourhood(MemoryAccess(full), [cited], 2).nodes) // 2
    walk = neighbourhood(MemoryAccess(full), [cited], 2, limit)
    graph, left_out = selection.selected(
        snapshot.graph(), SubgraphFilter(focus=cited, depth=2, max_nodes=limit)
    )
    assert len(walk.nodes) == limit and walk.left_out > 0
    assert set(graph.nodes) == walk.nodes and left_out == walk.left_out


def _lookups(full: PropertyGraph) -> list[str]:
    """Names as researchers type them: exact, a part, without accents or case, with a
    typo, with a label prefix, ambiguous, absent."""
    accented = next(n for n in full.by_label("Person") if fold(n.name) != n.name.lower())
    titled = sorted(n.name for n in full.by_label("Work") if len(n.name) > 30)[0]
    return [
        titled,
        titled[3:25],
        titled.upper(),
        titled[:12] + titled[13:],  # one letter lost
        fold(accented.name),
        "Theory:routine activit",
        "Peru",
        "the",
        "zzqq xxvv",
    ]


def test_names_resolve_in_the_database_as_in_the_whole_graph(snapshot: Snapshot) -> None:
    """The database finds names through its folded lookup column and a CONTAINS query,
    and falls back to fuzzy matching over every node's lookup texts; each answer, and
    each refusal, is the one the whole graph in memory gives."""
    full = to_property_graph(snapshot.rdf())
    for text in _lookups(full):
        try:
            expected: str = resolve_focus(full, text)
        except LookupError as error:
            expected = f"error: {error}"
        try:
            found = selection.DBAccess(snapshot.graph()).resolve(text)
        except LookupError as error:
            found = f"error: {error}"
        assert found == expected, text


@pytest.mark.parametrize(
    "f", [SubgraphFilter(focus="zzqq xxvv"), SubgraphFilter(focus="10.9/none")]
)
def test_lookups_fail_alike(snapshot: Snapshot, f: SubgraphFilter) -> None:
    full = to_property_graph(snapshot.rdf())
    with pytest.raises(LookupError) as old:
        select(full, f)
    with pytest.raises(LookupError) as new:
        selection.subgraph(snapshot.graph(), f)
    assert str(new.value) == str(old.value)


def test_relationships_ending_in_works_read_as_the_whole_graph_holds_them(
    snapshot: Snapshot,
) -> None:
    """Few ends are filtered on offsets, many (all of them here) probed by key: both
    find what ends there, with every property."""
    full = to_property_graph(snapshot.rdf())
    works = [n.iri for n in full.by_label("Work")]
    for ends in (works, works[::3]):
        kept = set(ends)
        for types in (["AUTHORED"], ["CITES", "PUBLISHED_IN"]):
            expected = [r for r in full.relationships if r.type in types and r.end in kept]
            found = reads.relationships(
                snapshot.graph(), types, ending_in=ends, labels=dict.fromkeys(ends, "Work")
            )
            assert found == expected
            assert found or ends is not works


def test_bylines_read_as_the_whole_graph_orders_its_authors(snapshot: Snapshot) -> None:
    full = to_property_graph(snapshot.rdf())
    every = authors_by_work(full)
    works = sorted(n.iri for n in full.by_label("Work"))
    for chosen in (works, works[1::4]):
        expected = {w: every[w] for w in chosen if w in every}
        assert reads.bylines(snapshot.graph(), chosen) == expected
        assert any(len(names) > 1 for names in expected.values())


def test_stats_from_the_database_equal_the_whole_graph_stats(snapshot: Snapshot) -> None:
    full = to_property_graph(snapshot.rdf())
    for top in (3, 10):
        assert analyse(snapshot.graph(), top).to_json() == analyse(full, top).to_json()


def test_lineage_reads_only_the_theory_family(snapshot: Snapshot) -> None:
    full = to_property_graph(snapshot.rdf())
    for theory in ("Routine activity theory", "human ecology", "collective-efficacy"):
        local = lineage_graph(snapshot.graph(), theory)
        assert lineage(local, theory).to_json() == lineage(full, theory).to_json()
        assert lineage(local, theory).tree() == lineage(full, theory).tree()
        assert len(local.nodes) < len(full.nodes)


@pytest.mark.parametrize("by", ["country", "theory"])
def test_evidence_map_from_the_database(snapshot: Snapshot, by: str) -> None:
    full = to_property_graph(snapshot.rdf())
    found = evidence_map(evidence_graph(snapshot.graph()), by)  # type: ignore[arg-type]
    assert found.to_json() == evidence_map(full, by).to_json()  # type: ignore[arg-type]


def _lines(path: Path) -> list[dict[str, object]]:
    return sorted(
        (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()),
        key=lambda d: json.dumps(d, sort_keys=True),
    )


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in FILE_SET_FORMATS])
@pytest.mark.parametrize("f", [SubgraphFilter(), SubgraphFilter(country="PE")])
def test_exports_from_the_database(
    snapshot: Snapshot, tmp_path: Path, fmt: str, f: SubgraphFilter
) -> None:
    new, old = tmp_path / f"new.{fmt}", tmp_path / f"old.{fmt}"
    found = export(snapshot, fmt, new, f)
    expected = export(snapshot.rdf(), fmt, old, f)  # the whole-graph path
    assert found == expected
    if fmt in ("ttl", "jsonld"):
        graphs = [
            rdflib.Graph().parse(p, format="turtle" if fmt == "ttl" else "json-ld")
            for p in (new, old)
        ]
        assert to_isomorphic(graphs[0]) == to_isomorphic(graphs[1])
    elif fmt == "json":
        assert _lines(new) == _lines(old)
    elif fmt in ("bibtex", "ris"):
        text = [p.read_text(encoding="utf-8") for p in (new, old)]
        assert sorted(text[0].split("\n\n")) == sorted(text[1].split("\n\n"))
    else:
        assert len(new.read_text(encoding="utf-8")) == len(old.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", sorted(FILE_SET_FORMATS))
@pytest.mark.parametrize("f", [SubgraphFilter(), SubgraphFilter(country="PE")])
def test_file_set_exports_from_the_database(
    snapshot: Snapshot, tmp_path: Path, fmt: str, f: SubgraphFilter
) -> None:
    new, old = tmp_path / "new", tmp_path / "old"
    assert export(snapshot, fmt, new, f) == export(snapshot.rdf(), fmt, old, f)
    files = sorted(p.name for p in new.iterdir())
    assert files and files == sorted(p.name for p in old.iterdir())
    for name in files:
        assert (new / name).read_bytes() == (old / name).read_bytes(), name


def test_a_focused_read_fetches_only_the_neighbourhood(make_store: Callable[..., Store]) -> None:
    store = make_store("review")
    snapshot = store.snapshot()
    assert snapshot is not None
    full = to_property_graph(snapshot.rdf())
    lima = next(n.iri for n in full.by_label("Work") if n.name == WORK_TITLE)
    access = selection.DBAccess(snapshot.graph())
    found = selection.subgraph(snapshot.graph(), SubgraphFilter(focus=lima, depth=1), access)
    expected = select(full, SubgraphFilter(focus=lima, depth=1))
    assert set(found.nodes) == set(expected.nodes) and len(found.nodes) < len(full.nodes) / 2
    # one label lookup for the focus, one hop of neighbours: nothing else was read
    assert access.fetched <= 1 + sum(1 for r in full.relationships if lima in (r.start, r.end))
    store.close()


def test_a_walk_reads_only_the_context_of_a_journal(make_store: Callable[..., Store]) -> None:
    """Depth 2 around a work reaches its journal, and from the journal asks only for other
    context: the journal's other works are never read (at 300k works, 75k rows)."""
    store = make_store("review")
    snapshot = store.snapshot()
    assert snapshot is not None
    full = to_property_graph(snapshot.rdf())
    near: dict[str, set[str]] = {iri: set() for iri in full.nodes}
    for rel in full.relationships:
        near[rel.start].add(rel.end)
        near[rel.end].add(rel.start)
    label = {iri: n.label for iri, n in full.nodes.items()}
    venue = max(
        (iri for iri in full.nodes if label[iri] == "Venue"),
        key=lambda iri: sum(label[o] == "Work" for o in near[iri]),
    )
    work = sorted(o for o in near[venue] if label[o] == "Work")[0]
    assert sum(label[o] == "Work" for o in near[venue]) > 1, "the fixture needs a shared journal"
    access = selection.DBAccess(snapshot.graph())
    found = selection.subgraph(snapshot.graph(), SubgraphFilter(focus=work, depth=2), access)
    assert set(found.nodes) == set(select(full, SubgraphFilter(focus=work, depth=2)).nodes)
    first = near[work]
    read = len(first) + sum(
        sum(label[o] in SHARED_CONTEXT for o in near[i])
        if label[i] in SHARED_CONTEXT
        else len(near[i])
        for i in first
    )
    assert access.fetched <= 1 + read
    store.close()
