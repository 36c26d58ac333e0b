"""Subgraph selection: focus lookup, neighbourhoods and the label/year/theory/country filters.

Most tests use a small hand-made property graph whose right answers are easy to see:

    W3 (1979) <-CITES- W1 (2018, Peru) -CITES-> W2 (2012)      W5 (2000, alone)
                        ^ CITES
                        W4 (2020) -REPORTS-> F1 -IN-> BR, -ABOUT-> S1
    P1, P2 AUTHORED W1; P2 AUTHORED W4; W1 USES_THEORY Tcp; W2 USES_THEORY Tbw
    Tcp -DERIVES_FROM-> Tra -DERIVES_FROM-> The; Tra PROPOSED_IN W3
    PE, BR PART_OF LA
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from citegraph.graph.ingest import store_results
from citegraph.graph.name_lookup import resolve_focus
from citegraph.graph.property_graph import Node, PropertyGraph, Relationship, to_property_graph
from citegraph.graph.store import Store
from citegraph.graph.subgraph import (
    MemoryAccess,
    SubgraphFilter,
    neighbourhood,
    parse_years,
    select,
)
from citegraph.loaders.records import LoadResult, Mention, Source, Work


def node(iri: str, label: str, **props: object) -> Node:
    props.setdefault("name", props.get("title", iri))
    return Node(iri, label, {"iri": iri, **props})


def rel(kind: str, start: str, end: str, **props: object) -> Relationship:
    return Relationship(kind, start, end, dict(props))


@pytest.fixture
def pg() -> PropertyGraph:
    nodes = [
        node("W1", "Work", title="Routine activities in Lima", year=2018, doi="10.1/w1"),
        node("W2", "Work", title="Broken windows revisited", year=2012),
        node("W3", "Work", title="Social change and crime rate trends", year=1979),
        node("W4", "Work", title="Policing São Paulo", year=2020),
        node("W5", "Work", title="An isolated study", year=2000),
        node("P1", "Person", family="Pérez", given="Ana", name="Pérez, Ana"),
        node("P2", "Person", family="Li", given="Bo", name="Li, Bo"),
        node("Tra", "Theory", name="Routine activity theory", aliases=["routine activities"]),
        node("The", "Theory", name="Human ecology", aliases=[]),
        node("Tcp", "Theory", name="Crime pattern theory", aliases=[]),
        node("Tbw", "Theory", name="Broken windows theory", aliases=[]),
        node("PE", "Country", name="Peru", iso2="PE"),
        node("BR", "Country", name="Brazil", iso2="BR"),
        node("LA", "Region", name="Latin America", aliases=[]),
        node("F1", "Finding", claim="Participation lowers fear", name="Participation lowers fear"),
        node("S1", "Strategy", name="Community participation", aliases=[]),
    ]
    rels = [
        rel("CITES", "W1", "W3", count=1),
        rel("CITES", "W1", "W2", count=2),
        rel("CITES", "W4", "W1", count=1),
        rel("AUTHORED", "P1", "W1", position=1),
        rel("AUTHORED", "P2", "W1", position=2),
        rel("AUTHORED", "P2", "W4", position=1),
        rel("USES_THEORY", "W1", "Tcp"),
        rel("USES_THEORY", "W2", "Tbw"),
        rel("DERIVES_FROM", "Tcp", "Tra"),
        rel("DERIVES_FROM", "Tra", "The"),
        rel("PROPOSED_IN", "Tra", "W3"),
        rel("STUDIES", "W1", "PE"),
        rel("PART_OF", "PE", "LA"),
        rel("PART_OF", "BR", "LA"),
        rel("REPORTS", "W4", "F1"),
        rel("IN", "F1", "BR"),
        rel("ABOUT", "F1", "S1"),
    ]
    return PropertyGraph({n.iri: n for n in nodes}, rels)


def kept(pg: PropertyGraph, **filters: object) -> set[str]:
    return set(select(pg, SubgraphFilter(**filters)).nodes)  # type: ignore[arg-type]


# --- resolve_focus ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("W4", "W4"),  # an IRI
        ("10.1/W1", "W1"),  # a DOI, any case
        ("https://doi.org/10.1/w1", "W1"),  # with a resolver prefix
        ("doi:10.1/w1", "W1"),
        ("policing sao paulo", "W4"),  # exact, case- and accent-insensitive
        ("  POLICING SÃO PAULO ", "W4"),
        ("perez", "P1"),  # exact family name
        ("broken windows rev", "W2"),  # unique substring
        ("Routine activties in Lma", "W1"),  # fuzzy
        ("PE", "PE"),  # ISO code
        ("Theory:routine activit", "Tra"),  # a label prefix narrows an ambiguous name
    ],
)
def test_resolve_focus_finds_the_node(pg: PropertyGraph, text: str, expected: str) -> None:
    assert resolve_focus(pg, text) == expected


def test_resolve_focus_refuses_to_guess_between_candidates(pg: PropertyGraph) -> None:
    with pytest.raises(LookupError) as error:
        resolve_focus(pg, "routine activit")
    message = str(error.value)
    assert "Routine activities in Lima" in message and "Routine activity theory" in message
    assert "Theory:NAME" in message


def test_resolve_focus_lists_close_candidates_when_nothing_matches(pg: PropertyGraph) -> None:
    with pytest.raises(LookupError, match="no node named 'zzz qqq'"):
        resolve_focus(pg, "zzz qqq")
    with pytest.raises(LookupError, match="close: .*Broken windows"):
        resolve_focus(pg, "Broken wimdous theroy revisted today")


def test_resolve_focus_unknown_doi(pg: PropertyGraph) -> None:
    with pytest.raises(LookupError, match="no work with DOI 10.9/none"):
        resolve_focus(pg, "https://doi.org/10.9/NONE")


def test_resolve_focus_restricted_to_labels(pg: PropertyGraph) -> None:
    assert resolve_focus(pg, "routine activit", ("Theory",)) == "Tra"
    with pytest.raises(LookupError):
        resolve_focus(pg, "Peru", ("Theory",))


# --- select ---------------------------------------------------------------------------------


def test_no_filter_is_the_whole_graph(pg: PropertyGraph) -> None:
    assert select(pg, SubgraphFilter()) is pg


def test_focus_depth_is_an_undirected_neighbourhood(pg: PropertyGraph) -> None:
    assert kept(pg, focus="W1", depth=0) == {"W1"}
    assert kept(pg, focus="W1") == {"W1", "W2", "W3", "W4", "P1", "P2", "Tcp", "PE"}
    two = kept(pg, focus="W1", depth=2)
    assert {"Tra", "Tbw", "F1", "LA"} <= two and "The" not in two and "BR" not in two


def test_a_walk_does_not_go_on_through_what_works_share(pg: PropertyGraph) -> None:
    """A journal, a theory or a country is reached but not walked back to the other works
    it holds (depth 2 around one paper is not everything in its journal); from there the
    walk goes on only to context: a country's region, a theory's lineage."""
    pg.nodes["V1"] = node("V1", "Venue", name="Journal of Studies")
    pg.relationships += [
        rel("PUBLISHED_IN", "W1", "V1"),
        rel("PUBLISHED_IN", "W5", "V1"),
        rel("USES_THEORY", "W5", "Tcp"),
        rel("STUDIES", "W5", "PE"),
    ]
    two = kept(pg, focus="W1", depth=2)
    assert {"V1", "Tcp", "PE", "LA", "Tra"} <= two and "W5" not in two
    assert "W5" not in kept(pg, focus="W1", depth=5)  # only context links them
    assert {"W1", "W5"} <= kept(pg, focus="V1", depth=1)  # a walk from the journal itself


def test_a_walk_past_its_node_limit_keeps_the_most_linked(pg: PropertyGraph) -> None:
    """The hop that would pass the limit keeps the nodes the most links reach from those
    already kept, ties by IRI, says how many it left out, and the walk stops there."""
    pg.relationships += [rel("CITES", "W2", "W3"), rel("CITES", "W4", "W3")]
    access = MemoryAccess(pg)
    # around W2: W1, W3 and Tbw first; then W4 cites both W1 and W3, P1, P2, Tcp, PE
    # and Tra are linked to one of them only
    walk = neighbourhood(access, ["W2"], depth=2, limit=5)
    assert walk.nodes == {"W2", "W1", "W3", "Tbw", "W4"} and walk.left_out == 5
    # W1's seven neighbours are linked once each: the IRIs decide
    walk = neighbourhood(access, ["W1"], depth=2, limit=4)
    assert walk.nodes == {"W1", "P1", "P2", "PE"} and walk.left_out == 4
    assert neighbourhood(access, ["W1"], depth=2, limit=100).left_out == 0


def test_a_limit_above_the_walk_changes_nothing(pg: PropertyGraph) -> None:
    assert kept(pg, focus="W1", depth=2, max_nodes=50) == kept(pg, focus="W1", depth=2)
    assert len(kept(pg, focus="W1", depth=2, max_nodes=3)) == 3


def test_relationships_are_kept_when_both_ends_are(pg: PropertyGraph) -> None:
    sub = select(pg, SubgraphFilter(focus="W1"))
    keys = {(r.start, r.type, r.end) for r in sub.relationships}
    assert ("W4", "CITES", "W1") in keys and ("P2", "AUTHORED", "W4") in keys
    assert all(r.start in sub.nodes and r.end in sub.nodes for r in sub.relationships)
    assert ("W2", "USES_THEORY", "Tbw") not in keys


def test_labels_keep_node_kinds(pg: PropertyGraph) -> None:
    sub = select(pg, SubgraphFilter(focus="W1", labels=("Work",)))
    assert set(sub.nodes) == {"W1", "W2", "W3", "W4"}
    assert {r.type for r in sub.relationships} == {"CITES"}


def test_years_keep_works_in_range_and_what_hangs_off_them(pg: PropertyGraph) -> None:
    assert kept(pg, years=(2010, 2020)) == {
        "W1",
        "W2",
        "W4",  # W3 (1979) and W5 (2000) are out
        "P1",
        "P2",
        "Tcp",
        "Tbw",
        "PE",  # neighbours of kept works
        "F1",
        "BR",
        "S1",  # a kept work's finding, with what and where
    }


def test_theory_keeps_its_descendants_users_and_founding_work(pg: PropertyGraph) -> None:
    # Human ecology <- Routine activity <- Crime pattern (used by W1); Tra proposed in W3
    assert kept(pg, theory="human ecology") == {
        "The",
        "Tra",
        "Tcp",
        "W1",
        "W2",
        "W3",
        "W4",
        "P1",
        "P2",
        "PE",  # W1 and its neighbours
    }
    assert kept(pg, theory="Broken windows theory") == {"Tbw", "W2", "W1"}


def test_country_region_includes_member_countries_and_findings(pg: PropertyGraph) -> None:
    latin = kept(pg, country="latin america")
    assert {"LA", "PE", "BR", "W1", "W4", "F1", "S1"} <= latin
    assert "W5" not in latin and "Tbw" not in latin
    assert kept(pg, country="BR") == {"BR", "W4", "W1", "P2", "F1", "S1"}


def test_filters_intersect(pg: PropertyGraph) -> None:
    assert kept(pg, focus="W1", years=(2015, 2024), labels=("Work",)) == {"W1", "W4"}
    assert kept(pg, theory="Human ecology", country="Peru") == {
        "W1",
        "W2",
        "W3",
        "W4",
        "P1",
        "P2",
        "PE",
        "Tcp",
    }


@pytest.mark.parametrize(
    ("f", "message"),
    [
        (SubgraphFilter(focus="W1", depth=-1), "depth -1"),
        (SubgraphFilter(labels=("Paper",)), "unknown label 'Paper'"),
        (SubgraphFilter(focus="W1", max_nodes=0), "max nodes 0"),
    ],
)
def test_bad_filters_say_what_is_wrong(pg: PropertyGraph, f: SubgraphFilter, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        select(pg, f)


def test_parse_years() -> None:
    assert parse_years("2015-2024") == (2015, 2024)
    assert parse_years(" 2015 – 2024 ") == (2015, 2024)
    assert parse_years("1999") == (1999, 1999)
    with pytest.raises(ValueError, match="after"):
        parse_years("2024-2015")
    with pytest.raises(ValueError, match="expected YEAR or FROM-TO"):
        parse_years("last decade")


def test_selection_is_linear_on_a_long_chain() -> None:
    n = 50_000
    nodes = {f"w{i}": node(f"w{i}", "Work", title=f"w{i}", year=2000) for i in range(n)}
    rels = [rel("CITES", f"w{i}", f"w{i + 1}") for i in range(n - 1)]
    started = time.perf_counter()
    sub = select(PropertyGraph(nodes, rels), SubgraphFilter(focus="w0", depth=n))
    assert len(sub.nodes) == n and len(sub.relationships) == n - 1
    assert time.perf_counter() - started < 10


def test_theory_lineage_from_the_shipped_scheme(tmp_path: Path) -> None:
    """Routine activity theory derives from human ecology in ontology/theories.ttl."""
    store = Store(tmp_path / "store")
    source = Source("review.md", 3, "review")
    work = Work("w", source, title="Guardianship on buses", year=2019, type="article")
    mention = Mention("w", "theory", "routine-activity", "routine activity", source)
    store_results(
        store, [(LoadResult("review.md", "review", [work, mention], entries=1, loaded=1), "sha")]
    )
    full = to_property_graph(store.snapshot().rdf())
    sub = select(full, SubgraphFilter(theory="Human ecology", labels=("Work",)))
    assert "Guardianship on buses" in {n.name for n in sub.nodes.values()}
    unrelated = select(full, SubgraphFilter(theory="Broken windows theory", labels=("Work",)))
    assert "Guardianship on buses" not in {n.name for n in unrelated.nodes.values()}
