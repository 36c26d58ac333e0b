"""SHACL validation: our SPARQL-compiled checks reach pyshacl's verdicts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
import rdflib

from citegraph.graph import validate as validation
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


@pytest.fixture(autouse=True, params=["lookups", "scans"])
def checked_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test twice: targets checked by looking their nodes up (the seed's size),
    and by scanning properties, as a large graph is (every target counts as large)."""
    if request.param == "scans":
        monkeypatch.setattr(validation, "MANY", 0)
    return str(request.param)


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


def test_count_and_class_violations_agree_with_pyshacl(seeded: Store) -> None:
    """Counts (min and max in one query) and classes (OR-ed with other value checks)."""
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
    report = validate(store)
    ours = {v.focus for v in report.violations}
    assert ours == {role.value, citation.value, work.value}
    assert pyshacl_focus_nodes(store) == ours
    by_focus = {v.focus: str(v) for v in report.violations}
    assert "held by exactly one agent" in by_focus[role.value]
    assert "one cited Work" in by_focus[citation.value]
    assert "exactly one type" in by_focus[work.value]


def test_offenders_outside_the_target_are_not_violations(seeded: Store) -> None:
    """A scan finds every bad value of a property; only the target's nodes' count."""
    store = writable_copy(seeded)
    person = next(
        iter(
            store.quads_for_pattern(
                None,
                pyoxigraph.NamedNode(str(rdflib.RDF.type)),
                pyoxigraph.NamedNode("http://xmlns.com/foaf/0.1/Person"),
            )
        )
    ).subject
    for value in ("poem", "novel"):
        store.add(
            pyoxigraph.Quad(
                person, pyoxigraph.NamedNode(str(CG.workType)), pyoxigraph.Literal(value)
            )
        )
    assert validate(store).conforms
    assert pyshacl_focus_nodes(store) == set()


def test_checking_some_nodes_finds_their_violations_of_the_whole(seeded: Store) -> None:
    """What an incremental version asks (the nodes it touched) agrees with the whole."""
    store = writable_copy(seeded)
    rdf_type = pyoxigraph.NamedNode(str(rdflib.RDF.type))
    works = [
        q.subject
        for q in store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(str(FABIO.Work)))
    ]
    for work in works[:3]:
        store.add(
            pyoxigraph.Quad(
                work, pyoxigraph.NamedNode(str(CG.workType)), pyoxigraph.Literal("poem")
            )
        )
    derived = pyoxigraph.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    for quad in list(store.quads_for_pattern(works[3], derived, None)):
        store.remove(quad)
    whole = validate(store).violations
    assert {v.focus for v in whole} == {w.value for w in works[:4]}
    focus = {works[0].value, works[3].value, works[10].value}
    assert validate(store, focus=focus).violations == [v for v in whole if v.focus in focus]
