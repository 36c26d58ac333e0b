"""Candidate concepts: named theories and approaches found by their shape, and the stop
lists that keep plain prose (`this approach`, `the model`) out."""

from __future__ import annotations

import pytest

from citegraph.loaders.discovery import Discovery, expand
from citegraph.loaders.mentions import Reader


def labels(sentence: str) -> list[str]:
    return [c.label for c in Discovery().find(sentence, [])]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("Strain theory posits that goals matter.", ["strain theory"], id="sentence-initial"),
        pytest.param("They draw on legal cynicism theory.", ["legal cynicism theory"], id="x-theory"),
        pytest.param("The theory of planned behaviour explains it.", ["theory of planned behaviour"], id="theory-of"),
        pytest.param("A Theory Of Reasoned Action was used.", ["theory of reasoned action"], id="title-case"),
        pytest.param("The Theory of Legal Socialization predicted it.", ["theory of legal socialization"], id="title-case-ends-at-lowercase"),
        pytest.param("The theory of legal cynicism explained silence.", ["theory of legal cynicism"], id="past-tense-verb-ends"),
        pytest.param("We use the risk-need-responsivity model.", ["risk-need-responsivity model"], id="hyphens"),
        pytest.param("A whole-of-society approach was used.", ["whole-of-society approach"], id="approach"),
        pytest.param("Seen from a feminist perspective here.", ["feminist perspective"], id="perspective"),
        pytest.param("The spatial mismatch hypothesis holds.", ["spatial mismatch hypothesis"], id="hypothesis"),
        pytest.param("Theories of reasoned action hold.", ["theory of reasoned action"], id="plural-of"),
        pytest.param("Strain theories differ.", ["strain theory"], id="plural-head"),
        pytest.param('The "security from below" approach sees it.', ["security from below approach"], id="quoted"),
        pytest.param("The modifiable areal unit problem was shown.", ["modifiable areal unit problem"], id="problem"),
        pytest.param("Agnew's strain theory is cited.", ["strain theory"], id="possessive-dropped"),
        pytest.param("Social learning theory and public health approach.", ["social learning theory", "public health approach"], id="generic-first-word"),
    ],
)  # fmt: skip
def test_named_concepts_are_found(sentence: str, expected: list[str]) -> None:
    assert labels(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("This approach travelled well.", id="this-approach"),
        pytest.param("The model was tested and the models failed.", id="the-model"),
        pytest.param("A qualitative approach and a mixed methods approach.", id="method"),
        pytest.param("An evidence-based approach and an established model.", id="participle"),
        pytest.param("The theoretical framework and a conceptual model.", id="framework"),
        pytest.param("Multilevel regression models were fitted.", id="regression"),
        pytest.param("A dual approach and holistic approaches.", id="generic-adjective"),
        pytest.param("New models of policing were discussed.", id="models-of"),
        pytest.param("A social theory and a legal framework.", id="generic-alone"),
        pytest.param("The theory of crime prevention and a theory of criminal behaviour.", id="generic-of"),
        pytest.param("A wicked problem and the drug problem.", id="problem-needs-two"),
        pytest.param("Data from the International Social Survey Programme (ISSP).", id="organisation-acronym"),
        pytest.param("Two historical models and suggesting approaches.", id="historical-suggesting"),
    ],
)  # fmt: skip
def test_plain_prose_is_no_candidate(sentence: str) -> None:
    assert labels(sentence) == []


def test_an_acronym_is_spelled_out_and_known_afterwards() -> None:
    discovery = Discovery()
    first = discovery.find("Jobs left with the spatial mismatch hypothesis (SMH).", [])
    later = discovery.find("The SMH explains commuting.", [])
    assert [(c.id, c.shape) for c in first] == [("spatial-mismatch-hypothesis", "acronym")]
    assert [(c.id, c.text, c.shape) for c in later] == [
        ("spatial-mismatch-hypothesis", "SMH", "acronym-use")
    ]


@pytest.mark.parametrize(
    ("before", "acronym", "expected"),
    [
        ("Crime Prevention Through Environmental Design", "CPTED", "Crime Prevention Through Environmental Design"),
        ("uses Problem-Oriented Policing", "POP", "Problem-Oriented Policing"),
        ("a growing literature on", "XYZ", None),
    ],
)  # fmt: skip
def test_acronym_expansion(before: str, acronym: str, expected: str | None) -> None:
    assert expand(before, acronym) == expected


def test_scheme_concepts_and_places_are_never_candidates() -> None:
    scan = Reader().scan("Routine activity theory and the Mexican legal framework apply.")
    assert [(f.concept, f.candidate) for f in scan.found if f.kind == "theory"] == [
        ("routine-activity", False)
    ]
