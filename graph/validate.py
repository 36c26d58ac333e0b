"""SHACL validation of the store, fast enough to run on every ingest.

pyshacl needs the whole graph in rdflib and takes minutes on a large store; the SHACL Core
components our shapes use (targetClass, targetSubjectsOf, minCount, maxCount, datatype,
class, pattern, in) compile to SPARQL queries (a few per property, each in a form for a
whole large graph and one for a few nodes) that run inside Oxigraph. The shapes stay
plain SHACL in ontology/shapes.ttl, and tests/test_validate.py checks that pyshacl
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
    """One SPARQL query covering `constraints` SHACL constraints of one property, in two
    forms that find the same violations.

    `focused` starts from the shape's target nodes and looks each one's values up: for
    an incremental version's few hundred nodes, and for a target of few nodes. `whole`
    asks a large graph by scans and hashes instead (a lookup a node, about 4 us, was
    most of a large ingest's validation): it finds the property's offending values in
    one scan of the property, and when it cannot keep to the target (`in_target`
    false), its few offenders are looked up in the target afterwards.
    """

    target: str
    focused: str
    whole: str
    in_target: bool
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


def _count_queries(
    target: str, p: str, low: int | None, high: int | None
) -> list[tuple[str, str, bool]]:
    """(focused, whole, whole keeps to the target) for minCount, then for maxCount.

    Too few values is the targets MINUS the property's subjects; too many is the
    property's subjects grouped, a triple pattern's values being distinct (a graph is a
    set). The common `minCount 1` looks up with NOT EXISTS, which needs no grouping.
    """
    queries = []
    if low == 1:
        focused = f"SELECT ?focus WHERE {{ {target} FILTER NOT EXISTS {{ ?focus {p} ?v }} }}"
        whole = f"SELECT ?focus WHERE {{ {target} MINUS {{ ?focus {p} ?v }} }}"
        queries.append((focused, whole, True))
    elif low is not None:
        grouped = (
            f"SELECT ?focus WHERE {{ {target} OPTIONAL {{ ?focus {p} ?v }} }} "
            f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {low})"
        )
        queries.append((grouped, grouped, True))
    if high is not None:
        focused = (
            f"SELECT ?focus WHERE {{ {target} ?focus {p} ?v }} "
            f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {high})"
        )
        whole = (
            f"SELECT ?focus WHERE {{ ?focus {p} ?v }} GROUP BY ?focus HAVING (COUNT(*) > {high})"
        )
        queries.append((focused, whole, False))
    return queries


def _value_queries(target: str, p: str, tests: list[str], cls: str | None) -> tuple[str, str]:
    """(focused, whole) for a property's value constraints, OR-ed.

    The whole graph's offenders: values failing a test, filtered in the property's scan,
    and values not of the class, the scan MINUS the class's members (a hash, not a
    lookup a value).
    """
    not_member = [f"NOT EXISTS {{ ?v a {cls} }}"] if cls else []
    condition = " || ".join([*tests, *not_member])
    focused = f"SELECT ?focus ?v WHERE {{ {target} ?focus {p} ?v FILTER ({condition}) }}"
    offenders = []
    if tests:
        offenders.append(f"{{ ?focus {p} ?v FILTER ({' || '.join(tests)}) }}")
    if cls:
        offenders.append(f"{{ ?focus {p} ?v MINUS {{ ?v a {cls} }} }}")
    return focused, f"SELECT DISTINCT ?focus ?v WHERE {{ {' UNION '.join(offenders)} }}"


def _checks_for(shapes: rdflib.Graph, target: str, prop: rdflib.term.Node) -> list[Check]:
    """At most three queries a property: its minimum, its maximum, its values.

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
    min_count = shapes.value(prop, SH.minCount)
    max_count = shapes.value(prop, SH.maxCount)
    low = int(str(min_count)) if min_count is not None else None
    high = int(str(max_count)) if max_count is not None else None
    checks = [
        Check(target, focused, whole, in_target, str(path), message, False)
        for focused, whole, in_target in _count_queries(target, p, low, high)
    ]
    tests = []
    datatype = shapes.value(prop, SH.datatype)
    if datatype is not None:
        tests.append(f"(!isLiteral(?v) || datatype(?v) != {datatype.n3()})")
    pattern = shapes.value(prop, SH.pattern)
    if pattern is not None:
        tests.append(f"(isBlank(?v) || !REGEX(STR(?v), {rdflib.Literal(str(pattern)).n3()}))")
    allowed = shapes.value(prop, SH["in"])
    if allowed is not None:
        members = ", ".join(term.n3() for term in Collection(shapes, allowed))
        tests.append(f"(?v NOT IN ({members}))")
    cls = shapes.value(prop, SH["class"])
    if tests or cls is not None:
        focused, whole = _value_queries(target, p, tests, cls.n3() if cls is not None else None)
        constraints = len(tests) + (cls is not None)
        checks.append(Check(target, focused, whole, False, str(path), message, True, constraints))
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


#: A target with at least this many nodes is checked by scans (`Check.whole`).
MANY = 20_000
#: Nodes looked up in one query.
BATCH = 500


def _select(store: pyoxigraph.Store, query: str) -> pyoxigraph.QuerySolutions:
    solutions = store.query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return solutions


def _has_many(store: pyoxigraph.Store, target: str) -> bool:
    found = _select(store, f"SELECT ?focus WHERE {{ {target} }} LIMIT {MANY}")
    return sum(1 for _ in found) >= MANY


def _values(nodes: Iterable[str]) -> str:
    """The focus nodes as a VALUES clause."""
    return "VALUES ?focus { " + " ".join(f"<{n}>" for n in nodes) + " } "


def _in_target(store: pyoxigraph.Store, target: str, nodes: set[str]) -> set[str]:
    found = _select(store, f"SELECT ?focus WHERE {{ {_values(nodes)}{target} }}")
    return {s["focus"].value for s in found}


def _violations(
    store: pyoxigraph.Store, check: Check, query: str, in_target: bool, limit: int
) -> list[Violation]:
    """The first `limit` violations a query finds; its offenders are kept to the
    check's target a batch at a time when the query does not keep to it."""
    found: list[Violation] = []
    rows = _select(store, query)
    while len(found) < limit:
        batch = [
            (s["focus"].value, s["v"].value if check.with_value and s["v"] else None)
            for s in itertools.islice(rows, BATCH)
        ]
        if not batch:
            break
        members = None if in_target else _in_target(store, check.target, {f for f, _ in batch})
        found += [
            Violation(focus, check.path, check.message, value)
            for focus, value in batch
            if members is None or focus in members
        ]
    return found[:limit]


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
        many = {t: _has_many(store, t) for t in {c.target for c in checks}}
        jobs = [
            (c, c.whole, c.in_target) if many[c.target] else (c, c.focused, True) for c in checks
        ]
    else:
        nodes = sorted(focus)
        jobs = [
            (c, c.focused.replace("WHERE {", f"WHERE {{ {_values(nodes[i : i + BATCH])}", 1), True)
            for i in range(0, len(nodes), BATCH)
            for c in checks
        ]
    found: list[Violation] = []
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for some in pool.map(lambda job: _violations(store, job[0], job[1], job[2], limit), jobs):
            found.extend(some)
    report.violations = sorted(set(found), key=violation_order)[:limit]
    return report


def violation_order(violation: Violation) -> tuple[str, str, str, str]:
    return (violation.focus, violation.path, violation.message, violation.value or "")
