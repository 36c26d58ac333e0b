"""SHACL validation of the store, fast enough to run on every ingest.

pyshacl needs the whole graph in rdflib and takes minutes on a large store; the SHACL Core
components our shapes use (targetClass, targetSubjectsOf, minCount, maxCount, datatype,
class, pattern, in) compile to one SPARQL query each and run inside Oxigraph. The shapes
stay plain SHACL in ontology/shapes.ttl, and tests/test_validate.py checks that pyshacl
reaches the same verdicts, so this is an accelerator, not a dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph
import rdflib
from rdflib.collection import Collection

from citegraph.ontology.namespaces import SH
from citegraph.ontology.vocabulary import ontology_path

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


@dataclass(frozen=True)
class Check:
    query: str
    path: str
    message: str
    with_value: bool


def _target(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    parts = [f"{{ ?focus a {c.n3()} }}" for c in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?focus {p.n3()} [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    if not parts:
        raise ValueError(f"shape {shape} has no target citegraph can evaluate")
    return " UNION ".join(parts)


def _checks_for(shapes: rdflib.Graph, target: str, prop: rdflib.term.Node) -> list[Check]:
    unsupported = set(shapes.predicates(prop)) - SUPPORTED
    if unsupported:
        raise ValueError(f"unsupported SHACL components in shapes: {sorted(map(str, unsupported))}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise ValueError("only predicate paths are supported")
    message = str(shapes.value(prop, SH.message) or f"constraint on {path} not met")
    p = path.n3()
    checks = []
    value_checks = []
    min_count = shapes.value(prop, SH.minCount)
    if min_count is not None:
        checks.append(
            Check(
                f"SELECT ?focus WHERE {{ {target} OPTIONAL {{ ?focus {p} ?v }} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {int(min_count)})",
                str(path),
                message,
                False,
            )
        )
    max_count = shapes.value(prop, SH.maxCount)
    if max_count is not None:
        checks.append(
            Check(
                f"SELECT ?focus WHERE {{ {target} ?focus {p} ?v }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {int(max_count)})",
                str(path),
                message,
                False,
            )
        )
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
    for condition in value_checks:
        checks.append(
            Check(
                f"SELECT ?focus ?v WHERE {{ {target} ?focus {p} ?v FILTER {condition} }}",
                str(path),
                message,
                True,
            )
        )
    cls = shapes.value(prop, SH["class"])
    if cls is not None:
        checks.append(
            Check(
                f"SELECT ?focus ?v WHERE {{ {target} ?focus {p} ?v "
                f"FILTER NOT EXISTS {{ ?v a {cls.n3()} }} }}",
                str(path),
                message,
                True,
            )
        )
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


def validate(
    store: pyoxigraph.Store, shapes_file: str | None = None, limit: int = 1000
) -> ValidationReport:
    """Every violation of the shapes (up to `limit`), each naming the offending node."""
    report = ValidationReport()
    for check in compiled_checks(shapes_file):
        report.checks += 1
        solutions = store.query(check.query)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        for solution in solutions:
            if len(report.violations) >= limit:
                return report
            value = solution["v"].value if check.with_value and solution["v"] else None
            report.violations.append(
                Violation(solution["focus"].value, check.path, check.message, value)
            )
    return report
