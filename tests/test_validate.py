"""SHACL validation: our SPARQL-compiled checks reach pyshacl's verdicts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib

from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store
from citegraph.graph.validate import validate
from citegraph.ontology.namespaces import CG, DATA, FABIO, PRISM
from citegraph.ontology.vocabulary import ontology_path


def to_rdflib(store: pyoxigraph.Store) -> rdflib.Graph:
    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return rdflib.Graph().parse(data=data, format="nt")


def pyshacl_focus_nodes(store: pyoxigraph.Store) -> set[str]:
    conforms, report, _ = pyshacl.validate(
        to_rdflib(store), shacl_graph=ontology_path("shapes.ttl")
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return {str(o) for o in report.objects(None, sh.focusNode)}


@pytest.fixture
def seeded(tmp_path: Path, seed_path: Path) -> Store:
    store = Store(tmp_path / "s")
    ingest(store, [seed_path])
    return store


def writable_copy(store: Store) -> pyoxigraph.Store:
    """The published graph is read-only: these tests break a copy of it."""
    copy = pyoxigraph.Store()
    copy.extend(store.snapshot().rdf().quads_for_pattern(None, None, None, None))
    return copy


def test_seed_graph_is_valid_for_both_validators(seeded: Store) -> None:
    report = validate(seeded.snapshot().rdf())
    assert report.checks > 30
    assert report.conforms, [str(v) for v in report.violations]
    assert pyshacl_focus_nodes(seeded.snapshot().rdf()) == set()


def test_violations_name_the_offending_node_like_pyshacl(seeded: Store) -> None:
    store = writable_copy(seeded)
    work = next(iter(store.quads_for_pattern(None, None, pyoxigraph.NamedNode(str(FABIO.Work)))))
    bad = work.subject
    store.add(
        pyoxigraph.Quad(
            bad, pyoxigraph.NamedNode(str(PRISM.doi)), pyoxigraph.Literal("https://doi.org/10.1/X")
        )
    )
    store.add(
        pyoxigraph.Quad(bad, pyoxigraph.NamedNode(str(CG.workType)), pyoxigraph.Literal("poem"))
    )
    theory = pyoxigraph.NamedNode(f"{DATA}theory-without-label")
    store.add(
        pyoxigraph.Quad(
            theory, pyoxigraph.NamedNode(str(rdflib.RDF.type)), pyoxigraph.NamedNode(str(CG.Theory))
        )
    )
    report = validate(store)
    ours = {v.focus for v in report.violations}
    assert ours == {bad.value, theory.value}
    messages = " ".join(str(v) for v in report.violations)
    assert "DOI is lower case" in messages and "exactly one type" in messages
    assert pyshacl_focus_nodes(store) == ours


def broken_roles_citations_works(seeded: Store) -> tuple[pyoxigraph.Store, list[str]]:
    """A copy where a role is held by two agents, one of them no agent (maxCount and
    class), a citation cites no work (class), and a work has three types (maxCount)."""
    store = writable_copy(seeded)
    pro = "http://purl.org/spar/pro/"
    cito = "http://purl.org/spar/cito/"
    rdf_type = pyoxigraph.NamedNode(str(rdflib.RDF.type))
    role = next(
        iter(store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(f"{pro}RoleInTime")))
    ).subject
    citation = next(
        iter(store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(f"{cito}Citation")))
    ).subject
    work = next(
        iter(store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(str(FABIO.Work))))
    ).subject
    not_a_work = pyoxigraph.NamedNode(f"{DATA}not-a-work")
    store.add(pyoxigraph.Quad(role, pyoxigraph.NamedNode(f"{pro}isHeldBy"), not_a_work))
    store.remove(
        next(
            iter(
                store.quads_for_pattern(
                    citation, pyoxigraph.NamedNode(f"{cito}hasCitedEntity"), None
                )
            )
        )
    )
    store.add(pyoxigraph.Quad(citation, pyoxigraph.NamedNode(f"{cito}hasCitedEntity"), not_a_work))
    store.add(
        pyoxigraph.Quad(work, pyoxigraph.NamedNode(str(CG.workType)), pyoxigraph.Literal("book"))
    )
    store.add(
        pyoxigraph.Quad(work, pyoxigraph.NamedNode(str(CG.workType)), pyoxigraph.Literal("thesis"))
    )
    return store, [role.value, citation.value, work.value]


def test_count_and_class_violations_agree_with_pyshacl(seeded: Store) -> None:
    """Counts (maxCount a query of its own) and classes (their own query, beside the other
    value checks)."""
    store, (role, citation, work) = broken_roles_citations_works(seeded)
    report = validate(store)
    ours = {v.focus for v in report.violations}
    assert ours == {role, citation, work}
    assert pyshacl_focus_nodes(store) == ours
    by_focus = {v.focus: str(v) for v in report.violations}
    assert "held by exactly one agent" in by_focus[role]
    assert "one cited Work" in by_focus[citation]
    assert "exactly one type" in by_focus[work]


def test_validating_some_nodes_finds_what_the_whole_validation_finds_of_them(
    seeded: Store,
) -> None:
    """An incremental version validates only the nodes it changed: each query is
    restricted inside its sub-select, where ?focus is first bound."""
    store, (role, citation, work) = broken_roles_citations_works(seeded)
    whole = validate(store).violations
    some = validate(store, focus=[role, work]).violations
    assert some == [v for v in whole if v.focus in (role, work)]
    assert {v.focus for v in some} == {role, work}
    assert validate(writable_copy(seeded), focus=[citation]).violations == []
