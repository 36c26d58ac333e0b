"""The scheme of theories and approaches, candidate concepts in the graph, and
`citegraph concepts` promoting them into a store's scheme extension."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner, Result

from citegraph.cli import main
from citegraph.graph.build import build
from citegraph.graph.property_graph import PropertyGraph, to_property_graph
from citegraph.graph.store.extensions import promoted_file
from citegraph.loaders.mentions import find_mentions
from citegraph.loaders.reference_string import parse_reference
from citegraph.loaders.review import load
from citegraph.ontology.namespaces import THEORY
from citegraph.ontology.vocabulary import Concept, Founding, concept, concepts, extended

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "reviews" / "security-frameworks-review.md"
THEORIES = [c for c in concepts() if c.kind == "theory"]


def test_the_scheme_holds_the_canon_and_the_wider_frameworks() -> None:
    ids = {t.id for t in THEORIES}
    assert len(ids) >= 60
    assert {
        "strain", "social-learning", "procedural-justice", "maup", "human-security",
        "feminist-security-studies", "culture-of-peace", "security-from-below",
        "routine-activity", "rational-choice", "cpted", "broken-windows",
        "social-disorganization", "collective-efficacy", "crime-pattern",
        "situational-crime-prevention", "deterrence", "labelling", "control-theories",
        "defensible-space", "hot-spots-policing", "problem-oriented-policing",
        "focused-deterrence",
    } <= ids  # fmt: skip


@pytest.mark.parametrize("theory", THEORIES, ids=[t.id for t in THEORIES])
def test_every_theory_is_described_and_sourced(theory: Concept) -> None:
    ids = {t.id for t in THEORIES}
    assert theory.alt_labels and theory.definition and theory.founding
    assert theory.textbook and re.search(r"\(\d{4}\)", theory.textbook)
    assert set(theory.derives_from) | set(theory.broader) <= ids


@pytest.mark.parametrize(
    "founding",
    [f for t in THEORIES for f in t.founding],
    ids=[f"{t.id}-{n}" for t in THEORIES for n, _ in enumerate(t.founding, 1)],
)
def test_every_founding_reference_parses(founding: Founding) -> None:
    """Its year, first author and title come out of the reference parser whole."""
    text = founding.reference
    parsed = parse_reference(text)
    year = re.search(r"\((\d{4})\)", text)
    assert year and parsed.year == int(year.group(1))
    first = parsed.authors[0]
    assert (first.family or first.name).split()[0] in text.split(",")[0]
    assert parsed.title and parsed.title in text
    assert founding.line > 1


def test_an_extension_file_adds_concepts_only_while_in_force(tmp_path: Path) -> None:
    extra = tmp_path / "concepts.ttl"
    extra.write_text(
        "@prefix cg: <https://w3id.org/citegraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/citegraph/theory/legal-cynicism> a cg:Theory ; skos:prefLabel "Legal cynicism"@en .\n',
        encoding="utf-8",
    )  # fmt: skip
    assert concept("theory", "legal-cynicism") is None
    with extended([extra]):
        found = concept("theory", "legal-cynicism")
        assert found is not None and found.scheme_file == str(extra)
        assert concept("theory", "strain") is not None  # the shipped schemes stay
    assert concept("theory", "legal-cynicism") is None


@pytest.fixture(scope="module")
def pg() -> PropertyGraph:
    store = pyoxigraph.Store()
    store.load(
        "\n".join(build(load(FIXTURE).records).triples).encode(), pyoxigraph.RdfFormat.N_TRIPLES
    )
    return to_property_graph(store)


def test_a_candidate_is_a_flagged_theory_linked_like_a_scheme_one(pg: PropertyGraph) -> None:
    node = pg.nodes[f"{THEORY}risk-need-responsivity-model"]
    assert node.label == "Theory" and node.properties["flags"] == ["candidate"]
    assert node.properties["aliases"] == ["RNR"]
    assert node.properties["sources"] == [f"{FIXTURE}:31 (review)"]
    into = {(r.type, pg.nodes[r.start].label) for r in pg.relationships if r.end == node.iri}
    assert into == {("USES_THEORY", "Work"), ("ABOUT", "Finding")}
    assert pg.nodes[f"{THEORY}strain"].properties["flags"] == []


def test_a_claim_cited_to_two_works_is_one_finding_reported_by_both(pg: PropertyGraph) -> None:
    [finding] = [
        n for n in pg.by_label("Finding") if n.properties["claim"].startswith("Respectful stops")
    ]
    reporters = {r.start for r in pg.relationships if r.type == "REPORTS" and r.end == finding.iri}
    assert len(reporters) == 2
    per_claim = {}
    for node in pg.by_label("Finding"):
        key = (node.properties["line"], node.properties["source"], node.properties["claim"])
        per_claim[key] = per_claim.get(key, 0) + 1
    assert set(per_claim.values()) == {1}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_concepts_lists_and_promotes_candidates(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert run("--store", store, "ingest", str(FIXTURE)).exit_code == 0
    listed = run("--store", store, "concepts")
    assert listed.exit_code == 0
    assert "legal-cynicism-framework" in listed.output and "3 candidate concept(s)" in listed.output
    assert "planned-behaviour" not in listed.output  # the scheme's theory, no candidate
    promoted = run(
        "--store", store, "concepts", "--promote", "legal-cynicism-framework", "nosuch", "--json"
    )
    assert promoted.exit_code == 0, promoted.output
    path = promoted_file(Path(store))
    assert "legal cynicism framework" in path.read_text(encoding="utf-8")
    # the next ingest reads the file again with the extended scheme: no longer a candidate
    assert run("--store", store, "ingest", str(FIXTURE)).exit_code == 0
    after = run("--store", store, "concepts", "--json").output
    assert "legal-cynicism-framework" not in after and "whole-of-society-approach" in after
    query = run(
        "--store", store, "query", "--engine", "embedded", "--json",
        "MATCH (w:Work)-[:USES_THEORY]->(t:Theory) WHERE t.iri = $iri RETURN t.flags AS flags, count(w) AS works",
        "--param", f'iri="{THEORY}legal-cynicism-framework"',
    )  # fmt: skip
    assert '"works": 2' in query.output and '"flags": []' in query.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["--promote"], 2, "--promote needs candidate IDS or --all", id="no-ids"),
        pytest.param(["some-id"], 2, "IDS and --all need --promote", id="ids-without-promote"),
        pytest.param(["--promote", "nosuch"], 1, "nosuch: no such candidate in this store", id="unknown"),
    ],
)  # fmt: skip
def test_concepts_usage_errors(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    store = str(tmp_path / "store")
    run("--store", store, "ingest", str(FIXTURE))
    result = run("--store", store, "concepts", *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("sentence", "theory"),
    [
        ("Victimization followed the lifestyle-exposure model.", "lifestyle-exposure"),
        ("Cohen and Felson's routine activity approach explains it.", "routine-activity"),
        ("Desistance fits the life-course paradigm.", "dlc"),
        ("Compliance followed the labelling perspective.", "labelling"),
    ],
)
def test_a_theory_named_with_another_head_is_the_scheme_s(sentence: str, theory: str) -> None:
    """`model`, `approach`, `paradigm`, `perspective`, `framework` and `theory` name one
    theory interchangeably: no candidate beside the scheme's concept."""
    found = find_mentions(sentence)
    assert [(f.kind, f.concept) for f in found] == [("theory", theory)]
