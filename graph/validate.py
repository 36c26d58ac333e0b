"""SHACL validation of the store, fast enough to run on every ingest.

pyshacl needs the whole graph in rdflib and takes minutes on a large store; the SHACL Core
components our shapes use (targetClass, targetSubjectsOf, minCount, maxCount, datatype,
class, pattern, in) compile to one SPARQL query each and run inside Oxigraph. The shapes
stay plain SHACL in ontology/shapes.ttl, and tests/test_validate.py checks that pyshacl
reaches the same verdicts, so this is an accelerator, not a dialect.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph
import rdflib
from rdflib.collection import Collection

from citegraph.ontology import namespaces
from citegraph.ontology.vocabulary import ontology_path

#: The shapes are read with rdflib, which wants its own terms.
SH = rdflib.Namespace(str(namespaces.SH))
#: Violations reported at most: a graph with more has one problem many times over.
LIMIT = 1000
SUPPORTED = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.pattern,
    SH["in"],
    SH.message,
    SH.severity,
    SH.name,
}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str | None = None
    severity: str = "Violation"

    def __str__(self) -> str:
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return (
            f"{self.severity}: <{self.focus}> {self.path.rsplit('/', 1)[-1]}: {self.message}{shown}"
        )


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    checks: int = 0

    @property
    def conforms(self) -> bool:
        return not self.violations

    def to_json(self) -> dict[str, Any]:
        return {"checks": self.checks, "violations": [vars(v) for v in self.violations]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ValidationReport:
        return cls([Violation(**v) for v in data["violations"]], data["checks"])


@dataclass(frozen=True)
class Check:
    """One SPARQL query covering `constraints` SHACL constraints of one property.

    The query is `head + restriction + tail`: an incremental validation puts its
    `VALUES ?focus {...}` where ?focus is first bound, inside any sub-select, so the
    query reads only those nodes."""

    head: str
    tail: str
    path: str
    message: str
    with_value: bool
    constraints: int = 1

    def query(self, restriction: str = "") -> str:
        return self.head + restriction + self.tail


def _target(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    parts = [f"{{ ?focus a {c.n3()} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?focus {p.n3()} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    if not parts:
        raise ValueError(f"shape {shape} has no target citegraph can evaluate")
    return " UNION ".join(parts)


# Each query reads the property's triples first and joins the few it keeps with the
# target, where joining every target node first and testing it after is 2-7 times slower
# in Oxigraph (62k references: a class check 1.58 s against 0.22 s, a maxCount 0.95 s
# against 0.29 s). `MINUS` stands for `FILTER NOT EXISTS`: it is the same wherever the
# shared variable is bound, as ?focus and ?v always are here, and 3 times faster.


def _count_checks(target: str, p: str, low: int | None, high: int | None) -> list[tuple[str, str]]:
    """The queries (head, tail) of a property's minCount and maxCount.

    A maxCount counts rows, not distinct values: a graph holds a triple once, so each of
    a node's values of one predicate is one row."""
    queries = []
    if low == 1:
        queries.append(("SELECT ?focus WHERE { ", f"{target} MINUS {{ ?focus {p} [] }} }}"))
    elif low is not None:
        queries.append(
            (
                "SELECT ?focus WHERE { ",
                f"{target} OPTIONAL {{ ?focus {p} ?v }} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {low})",
            )
        )
    if high is not None:
        queries.append(
            (
                "SELECT ?focus WHERE { { SELECT ?focus WHERE { ",
                f"?focus {p} ?v }} GROUP BY ?focus HAVING (COUNT(*) > {high}) }} {target} }}",
            )
        )
    return queries


def _value_query(target: str, p: str, test: str) -> tuple[str, str]:
    """The values of `p` that `test` (a FILTER or a MINUS on ?v) rejects, at target nodes."""
    return (
        "SELECT ?focus ?v WHERE { { SELECT ?focus ?v WHERE { ",
        f"?focus {p} ?v {test} }} }} {target} }}",
    )


def _checks_for(shapes: rdflib.Graph, target: str, prop: rdflib.term.Node) -> list[Check]:
    """Few queries a property: its counts, the values it filters, the class of its values.

    A property's constraints share one message, so a value that breaks two of them is
    one violation of that property (the report is a set); fewer passes over the store make
    validation cheap enough to run on every ingest.
    """
    unsupported = set(shapes.predicates(prop)) - SUPPORTED
    if unsupported:
        raise ValueError(f"unsupported SHACL components in shapes: {sorted(map(str, unsupported))}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise ValueError("only predicate paths are supported")
    message = str(shapes.value(prop, SH.message) or f"constraint on {path} not met")
    p = path.n3()
    checks = []
    min_count = shapes.value(prop, SH.minCount)
    max_count = shapes.value(prop, SH.maxCount)
    low = int(str(min_count)) if min_count is not None else None
    high = int(str(max_count)) if max_count is not None else None
    for head, tail in _count_checks(target, p, low, high):
        checks.append(Check(head, tail, str(path), message, False))
    value_checks = []
    datatype = shapes.value(prop, SH.datatype)
    if datatype is not None:
        value_checks.append(f"(!isLiteral(?v) || datatype(?v) != {datatype.n3()})")
    pattern = shapes.value(prop, SH.pattern)
    if pattern is not None:
        value_checks.append(
            f"(isBlank(?v) || !REGEX(STR(?v), {rdflib.Literal(str(pattern)).n3()}))"
        )
    allowed = shapes.value(prop, SH["in"])
    if allowed is not None:
        members = ", ".join(term.n3() for term in Collection(shapes, allowed))
        value_checks.append(f"(?v NOT IN ({members}))")
    if value_checks:
        test = f"FILTER ({' || '.join(value_checks)})"
        head, tail = _value_query(target, p, test)
        checks.append(Check(head, tail, str(path), message, True, len(value_checks)))
    cls = shapes.value(prop, SH["class"])
    if cls is not None:
        head, tail = _value_query(target, p, f"MINUS {{ ?v a {cls.n3()} }}")
        checks.append(Check(head, tail, str(path), message, True))
    return checks


@cache
def compiled_checks(shapes_file: str | None = None) -> tuple[Check, ...]:
    shapes = rdflib.Graph().parse(shapes_file or ontology_path("shapes.ttl"), format="turtle")
    checks: list[Check] = []
    for shape in sorted(shapes.subjects(rdflib.RDF.type, SH.NodeShape), key=str):
        target = _target(shapes, shape)
        for prop in shapes.objects(shape, SH.property):
            checks.extend(_checks_for(shapes, target, prop))
    return tuple(checks)


def _violations(
    store: pyoxigraph.Store, check: Check, limit: int, focus: str = ""
) -> list[Violation]:
    solutions = store.query(check.query(focus))
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    found = []
    for solution in itertools.islice(solutions, limit):
        value = solution["v"].value if check.with_value and solution["v"] else None
        found.append(Violation(solution["focus"].value, check.path, check.message, value))
    return found


def validate(
    store: pyoxigraph.Store,
    shapes_file: str | None = None,
    limit: int = LIMIT,
    focus: Iterable[str] | None = None,
) -> ValidationReport:
    """Every violation of the shapes (up to `limit`), each naming the offending node;
    with `focus`, only those of these nodes (what an incremental version changed).

    The checks run on a few threads (Oxigraph evaluates queries without holding the
    GIL). The violations are sorted, so the report depends neither on which thread
    finished first nor on whether the graph was validated whole or a part at a time.
    """
    checks = compiled_checks(shapes_file)
    report = ValidationReport(checks=sum(c.constraints for c in checks))
    if focus is None:
        restrictions = [""]
    else:
        nodes = sorted(focus)
        restrictions = [
            "VALUES ?focus { " + " ".join(f"<{n}>" for n in nodes[i : i + 500]) + " } "
            for i in range(0, len(nodes), 500)
        ]
    jobs = [(check, where) for where in restrictions for check in checks]
    found: list[Violation] = []
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for some in pool.map(lambda job: _violations(store, job[0], limit, job[1]), jobs):
            found.extend(some)
    report.violations = sorted(set(found), key=violation_order)[:limit]
    return report


def violation_order(violation: Violation) -> tuple[str, str, str, str]:
    return (violation.focus, violation.path, violation.message, violation.value or "")
