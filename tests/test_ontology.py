"""The ontology files and the Python constants describe the same terms."""

from __future__ import annotations

import rdflib

from citegraph.ontology.namespaces import CG
from citegraph.ontology.vocabulary import concepts, ontology_path


def test_namespace_constants_match_turtle_both_ways() -> None:
    graph = rdflib.Graph().parse(ontology_path("citegraph.ttl"))
    base = str(CG._NS)
    in_turtle = {str(s)[len(base) :] for s in graph.subjects() if str(s).startswith(base)}
    in_python = set(CG.__annotations__)
    assert in_turtle, "the ontology defines no terms"
    assert in_turtle == in_python


def test_every_theory_has_labels_definition_and_founding_work() -> None:
    theories = [c for c in concepts() if c.kind == "theory"]
    ids = {t.id for t in theories}
    assert {
        "routine-activity",
        "rational-choice",
        "cpted",
        "situational-crime-prevention",
        "social-control",
        "crime-pattern",
    } <= ids
    for theory in theories:
        assert theory.alt_labels, theory.id
        assert theory.definition, theory.id
        assert theory.founding_reference, theory.id
        assert set(theory.derives_from) <= ids, theory.id


def test_lineage_as_the_literature_states_it() -> None:
    by_id = {c.id: c for c in concepts() if c.kind == "theory"}
    assert {"rational-choice", "routine-activity"} <= set(
        by_id["situational-crime-prevention"].derives_from
    )
    assert "cpted" in by_id["second-generation-cpted"].derives_from
    assert "1979" in (by_id["routine-activity"].founding_reference or "")


def test_strategies_and_regions_exist() -> None:
    kinds = {c.kind for c in concepts()}
    assert kinds == {"theory", "strategy", "place"}
    scandinavia = next(c for c in concepts() if c.id == "scandinavia")
    assert set(scandinavia.member_codes) == {"DK", "NO", "SE"}
