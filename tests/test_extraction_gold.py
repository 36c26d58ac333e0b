"""Extraction scored against hand annotations (tests/fixtures/gold/*.yaml) of the bundled
example and of a fixture review written for citegraph: findings, the theories and
approaches named (candidates included) and the countries named, each at 0.9 or better
in precision and recall."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from citegraph.loaders.records import Finding, LoadResult, Mention, Work
from citegraph.loaders.review import load

REPO = Path(__file__).resolve().parents[1]
GOLD = sorted((REPO / "tests" / "fixtures" / "gold").glob("*.yaml"))
TARGET = 0.9


@dataclass
class Score:
    precision: float
    recall: float
    missed: list[object]
    extra: list[object]


def _name(work: Work) -> str:
    first = work.authors[0] if work.authors else None
    family = (first.family or first.name) if first else work.key
    return f"{family} {work.year}"


def _sets(predicted: set[str], gold: set[str]) -> Score:
    hits = predicted & gold
    return Score(
        len(hits) / len(predicted) if predicted else 0.0,
        len(hits) / len(gold),
        sorted(gold - predicted),
        sorted(predicted - gold),
    )


def score_findings(result: LoadResult, gold: list[list[object]]) -> Score:
    """Each gold finding matched by at most one Finding record of its line and work whose
    sentence holds its words; precision over every Finding record."""
    names = {w.key: _name(w) for w in result.works}
    found = [r for r in result.records if isinstance(r, Finding)]
    free = list(range(len(found)))
    missed = []
    for line, work, words in gold:
        match = next(
            (
                i
                for i in free
                if found[i].source.line == line
                and names[found[i].work] == work
                and str(words) in found[i].sentence
            ),
            None,
        )
        if match is None:
            missed.append((line, work, words))
        else:
            free.remove(match)
    extra = [(found[i].source.line, names[found[i].work], found[i].claim) for i in free]
    matched = len(gold) - len(missed)
    return Score(matched / len(found), matched / len(gold), missed, extra)


def score_theories(result: LoadResult, gold: list[str]) -> Score:
    predicted = {
        f"candidate:{m.concept}" if m.candidate else m.concept
        for m in result.records
        if isinstance(m, Mention) and m.kind == "theory" and m.work == "document"
    }
    return _sets(predicted, set(gold))


def score_countries(result: LoadResult, gold: list[str]) -> Score:
    predicted = {
        m.concept
        for m in result.records
        if isinstance(m, Mention) and m.kind == "place" and len(m.concept) == 2
    }
    return _sets(predicted, set(gold))


@pytest.fixture(scope="module", params=GOLD, ids=[g.stem for g in GOLD])
def annotated(request: pytest.FixtureRequest) -> tuple[LoadResult, dict[str, Any]]:
    gold = yaml.safe_load(request.param.read_text(encoding="utf-8"))
    return load(REPO / gold["document"]), gold


def test_there_is_gold() -> None:
    assert len(GOLD) >= 2


@pytest.mark.parametrize(
    ("field", "scorer"),
    [
        pytest.param("findings", score_findings, id="findings"),
        pytest.param("theories", score_theories, id="theories"),
        pytest.param("countries", score_countries, id="countries"),
    ],
)
def test_extraction_reaches_the_target(
    annotated: tuple[LoadResult, dict[str, Any]],
    field: str,
    scorer: Callable[[LoadResult, Any], Score],
) -> None:
    result, gold = annotated
    assert gold[field], "an empty annotation scores nothing"
    score = scorer(result, gold[field])
    assert score.precision >= TARGET and score.recall >= TARGET, score
