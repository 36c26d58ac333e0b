"""Saved questions: `.cypher` files in citegraph.queries, each run as it is on both engines.

A file starts with a header of `//` lines: the purpose, then
`// @param NAME [= JSON default] description` lines. A default makes a parameter
optional; without one it is required. SPARQL's `.rq` files (citegraph.queries.sparql)
use the same header behind `#`, so both kinds are read, listed and bound by this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

REQUIRED = object()


class SavedQueryError(Exception):
    """A saved query asked for by a wrong name or with wrong parameters, in one line."""


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    description: str

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class SavedQuery:
    name: str
    purpose: str
    params: tuple[Param, ...]
    text: str

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults plus what was given; unknown or missing names are errors, not surprises."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise SavedQueryError(
                f"query {self.name!r} has no parameter ${unknown[0]} "
                f"(it takes: {', '.join(sorted(known)) or 'none'})"
            )
        values = {p.name: p.default for p in self.params if not p.required}
        values.update(given)
        missing = [p for p in self.params if p.name not in values]
        if missing:
            raise SavedQueryError(
                f"query {self.name!r} needs --param {missing[0].name}=VALUE "
                f"({missing[0].description})"
            )
        return values


_PARAM = re.compile(r"@param\s+(\w+)\s*(.*)$")


def _param(line: str) -> Param:
    """`@param NAME = JSON description` (optional) or `@param NAME description` (required)."""
    match = _PARAM.match(line)
    if match is None:
        raise ValueError(f"bad @param line: {line!r}")
    name, rest = match.groups()
    if not rest.startswith("="):
        return Param(name, REQUIRED, rest)
    rest = rest[1:].lstrip()
    default, end = json.JSONDecoder().raw_decode(rest)
    return Param(name, default, rest[end:].strip())


def _header(text: str, comment: str) -> Iterator[str]:
    for line in text.splitlines():
        if not line.startswith(comment):
            return
        yield line[len(comment) :].strip()


def parse_saved(name: str, text: str, comment: str = "//") -> SavedQuery:
    purpose: list[str] = []
    params: list[Param] = []
    for line in _header(text, comment):
        if line.startswith("@param"):
            params.append(_param(line))
        elif line:
            purpose.append(line)
    return SavedQuery(name, " ".join(purpose), tuple(params), text)


@dataclass(frozen=True)
class QueryFolder:
    """Where one language's saved queries live, and how their header lines start."""

    package: str
    suffix: str
    comment: str
    lister: str  # the command that lists them, for the error message

    def queries(self) -> dict[str, SavedQuery]:
        found = {}
        for entry in resources.files(self.package).iterdir():
            if entry.name.endswith(self.suffix):
                name = entry.name.removesuffix(self.suffix)
                found[name] = parse_saved(name, entry.read_text(encoding="utf-8"), self.comment)
        return dict(sorted(found.items()))

    def query(self, name: str) -> SavedQuery:
        queries = self.queries()
        if name not in queries:
            raise SavedQueryError(
                f"no saved query {name!r}; `{self.lister}` shows {len(queries)} of them"
            )
        return queries[name]


CYPHER = QueryFolder("citegraph.queries", ".cypher", "//", "citegraph query --list")
SPARQL = QueryFolder("citegraph.queries.sparql", ".rq", "#", "citegraph sparql --list")


def saved_queries() -> dict[str, SavedQuery]:
    return CYPHER.queries()


def saved_query(name: str) -> SavedQuery:
    return CYPHER.query(name)
