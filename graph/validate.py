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
    """One SPARQL query covering `constraints` SHACL constraints of one property."""

    query: str
    path: str
    message: str
    with_value: bool
    constraints: int = 1


def _target(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    parts = [f"{{ ?focus a {c.n3()} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?focus {p.n3()} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    if not parts:
        raise ValueError(f"shape {shape} has no target citegraph can evaluate")
    return " UNION ".join(parts)


def _count_check(target: str, p: str, low: int | None, high: int | None) -> str:
    """minCount and maxCount of one property in one pass over its focus nodes.

    The common `minCount 1` alone is a NOT EXISTS, which needs no grouping.
    """
    if low == 1 and high is None:
        return f"SELECT ?focus WHERE {{ {target} FILTER NOT EXISTS {{ ?focus {p} ?v }} }}"
    bounds = []
    if low is not None:
        bounds.append(f"COUNT(DISTINCT ?v) < {low}")
    if high is not None:
        bounds.append(f"COUNT(DISTINCT ?v) > {high}")
    pattern = f"OPTIONAL {{ ?focus {p} ?v }}" if low is not None else f"?focus {p} ?v"
    return (
        f"SELECT ?focus WHERE {{ {target} {pattern} }} "
        f"GROUP BY ?focus HAVING ({' || '.join(bounds)})"
    )


def _checks_for(shapes: rdflib.Graph, target: str, prop: rdflib.term.Node) -> list[Check]:
    """At most two queries a property: one for its counts, one for its values.

    A property's constraints share one message, so a value that breaks two of them is
    one violation of that property; fewer passes over the store make validation cheap
    enough to run on every ingest.
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
    if low is not None or high is not None:
        query = _count_check(target, p, low, high)
        counted = (low is not None) + (high is not None)
        checks.append(Check(query, str(path), message, False, counted))
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
    cls = shapes.value(prop, SH["class"])
    if cls is not None:
        value_checks.append(f"NOT EXISTS {{ ?v a {cls.n3()} }}")
    if value_checks:
        condition = " || ".join(value_checks)
        query = f"SELECT ?focus ?v WHERE {{ {target} ?focus {p} ?v FILTER ({condition}) }}"
        checks.append(Check(query, str(path), message, True, len(value_checks)))
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
    query = check.query.replace("WHERE {", f"WHERE {{ {focus}", 1) if focus else check.query
    solutions = store.query(query)
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
